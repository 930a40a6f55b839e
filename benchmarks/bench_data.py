"""tf.data speed: reading a 1,000,000 x 8 float32 array in batches of 128.

Run with `python benchmarks/bench_data.py`. A one-shot iterator (`sess.run(next_batch)` until
OutOfRangeError, 7,813 runs) against two plain numpy loops over the same array:

- slicing only: `data[start:start + 128]`, a view (nothing is copied);
- slicing + copy: the same view copied, which is what a run hands out. A fetched batch is the
  learner's own array, as in TensorFlow: changing it in place (`batch /= 255`) must not change
  the dataset, which the next epoch reads again.

The dataset itself yields views of its array (a batch is never assembled element by element),
so the difference from the second loop is the cost of one `sess.run` per batch. The same loops
with batches of 1,024 show it: the extra time per batch stays about the same with 8 times the
elements, so none of it is spent per element.

The three loops run in turns, so that the machine's changing speed affects them alike; times are
medians over the turns, ratios medians of the ratios within a turn. (TensorFlow 2.21 compat.v1
on the same machine: ~1 ms per batch.)
"""
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

ROWS, COLS, TURNS = 1_000_000, 8, 15


def seconds(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def loops(tf, data, batch):
    """The three loops over ``data`` in batches of ``batch``."""
    def numpy_views():
        total = 0
        for start in range(0, len(data), batch):
            total += len(data[start:start + batch])
        assert total == ROWS

    def numpy_copies():
        total = 0
        for start in range(0, len(data), batch):
            total += len(data[start:start + batch].copy())
        assert total == ROWS

    tf.reset_default_graph()
    dataset = tf.data.Dataset.from_tensor_slices(data).batch(batch)   # built once, as in a real program
    next_batch = dataset.make_one_shot_iterator().get_next()

    def tinyflow():
        total = 0
        with tf.Session() as sess:               # a new session restarts the one-shot iterator
            while True:
                try:
                    total += len(sess.run(next_batch))
                except tf.errors.OutOfRangeError:
                    break
        assert total == ROWS

    return numpy_views, numpy_copies, tinyflow


def report(tf, data, batch):
    fns = loops(tf, data, batch)
    turns = [[seconds(fn) for fn in fns] for _ in range(TURNS)]
    t_views, t_copies, t_tf = (statistics.median(t[i] for t in turns) for i in range(3))
    batches = -(-ROWS // batch)
    print("%d x %d float32, batches of %d (%d batches), median of %d turns:" % (ROWS, COLS, batch, batches, TURNS))
    for label, t in [("numpy slicing (views)", t_views), ("numpy slicing + copy", t_copies),
                     ("tf.data one-shot iterator", t_tf)]:
        print("  %-27s %8.1f ms  (%5.2f us per batch)" % (label, t * 1e3, t / batches * 1e6))
    print("  ratio to slicing + copy     %8.1f x   (to bare slicing: %.1f x)"
          % (statistics.median(t[2] / t[1] for t in turns), statistics.median(t[2] / t[0] for t in turns)))
    print("  extra per batch over slicing + copy: %.2f us"
          % (statistics.median(t[2] - t[1] for t in turns) / batches * 1e6))


def main():
    import tinyflow as tf
    data = np.random.RandomState(0).rand(ROWS, COLS).astype(np.float32)
    report(tf, data, 128)
    report(tf, data, 1024)


if __name__ == "__main__":
    main()

"""tf.data speed: reading a 1,000,000 x 8 float32 array in batches of 128.

Run with `python benchmarks/bench_data.py`. A one-shot iterator (`sess.run(next_batch)` until
OutOfRangeError, 7,813 runs) against two plain numpy loops over the same array:

- slicing only: `data[start:start + 128]`, a view (nothing is copied);
- slicing + copy: the same view copied, which is what a run hands out. A fetched batch is the
  learner's own array, as in TensorFlow: changing it in place (`batch /= 255`) must not change
  the dataset, which the next epoch reads again.

The dataset itself yields views of its array (a batch is never assembled element by element),
so the difference from the second loop is the cost of one `sess.run` per batch.
Figures are medians over several turns of the three loops. (TensorFlow 2.21 compat.v1 on the same machine: ~1 ms
per batch.)
"""
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

ROWS, COLS, BATCH, TURNS = 1_000_000, 8, 128, 9


def seconds(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main():
    import tinyflow as tf
    data = np.random.RandomState(0).rand(ROWS, COLS).astype(np.float32)

    def numpy_loop():
        total = 0
        for start in range(0, len(data), BATCH):
            total += len(data[start:start + BATCH])
        assert total == ROWS

    def numpy_copy_loop():
        total = 0
        for start in range(0, len(data), BATCH):
            total += len(data[start:start + BATCH].copy())
        assert total == ROWS

    tf.reset_default_graph()
    dataset = tf.data.Dataset.from_tensor_slices(data).batch(BATCH)   # built once, as in a real program
    next_batch = dataset.make_one_shot_iterator().get_next()

    def tinyflow_loop():
        total = 0
        with tf.Session() as sess:               # a new session restarts the one-shot iterator
            while True:
                try:
                    total += len(sess.run(next_batch))
                except tf.errors.OutOfRangeError:
                    break
        assert total == ROWS

    # The three loops run in turns, so that the machine's changing speed affects them alike;
    # each ratio is the median of the ratios within a turn.
    turns = [(seconds(numpy_loop), seconds(numpy_copy_loop), seconds(tinyflow_loop)) for _ in range(TURNS)]
    t_numpy, t_copy, t_tf = (statistics.median(t[i] for t in turns) for i in range(3))
    to_copy = statistics.median(t[2] / t[1] for t in turns)
    to_views = statistics.median(t[2] / t[0] for t in turns)
    batches = -(-ROWS // BATCH)
    print("%d x %d float32, batches of %d (%d batches), median of %d turns:" % (ROWS, COLS, BATCH, batches, TURNS))
    for label, t in [("numpy slicing (views)", t_numpy), ("numpy slicing + copy", t_copy),
                     ("tf.data one-shot iterator", t_tf)]:
        print("  %-27s %8.1f ms  (%5.2f us per batch)" % (label, t * 1e3, t / batches * 1e6))
    print("  ratio to slicing + copy     %8.1f x   (to bare slicing: %.1f x)" % (to_copy, to_views))


if __name__ == "__main__":
    main()

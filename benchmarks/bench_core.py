"""Core engine speed: import, the guide's `sess.run(total)`, a fed run, and a long chain.

Run with `make bench` (or `python benchmarks/bench_core.py`). Figures are medians of several
repeats; the machine is noisy, so compare orders of magnitude, not the last digit.
Yardstick (TensorFlow 2.21, tf.compat.v1, 2-core machine): import 3-5 s; `sess.run(total)`
~100 us; a run feeding two placeholders ~250 us; 8,000-op chain (build + gradients + run) ~23 s.
"""
import gc
import os
import statistics
import subprocess
import sys
import time
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing


def median_seconds(fn, repeat=7, number=1):
    return statistics.median(timeit.repeat(fn, repeat=repeat, number=number)) / number


def bench_import():
    """A fresh interpreter per run; the first (which may compile bytecode) is not counted."""
    code = "import time; t = time.perf_counter(); import tinyflow; print(time.perf_counter() - t)"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    runs = [float(subprocess.check_output([sys.executable, "-c", code], env=env)) for _ in range(6)]
    return statistics.median(runs[1:])


def bench_runs():
    import tinyflow as tf
    tf.reset_default_graph()
    a = tf.constant(3.0)
    b = tf.constant(4.0)
    total = a + b
    x = tf.placeholder(tf.float32)
    y = tf.placeholder(tf.float32)
    z = x + y
    sess = tf.Session()
    sess.run(total)
    sess.run(z, {x: 3, y: 4.5})
    n = 20000
    plain = median_seconds(lambda: sess.run(total), number=n)
    fed = median_seconds(lambda: sess.run(z, feed_dict={x: 3, y: 4.5}), number=n)
    return plain, fed


def chain(n):
    """Build, differentiate and run an n-op chain. Python's garbage collector stays on (as for a
    learner), but each repetition starts with the previous repetition's graph collected."""
    import tinyflow as tf
    tf.reset_default_graph()
    gc.collect()
    t0 = time.perf_counter()
    x = tf.placeholder(tf.float32, [])
    y = x
    for i in range(n):
        y = y * 1.0001 if i % 2 else y + 0.5
    (g,) = tf.gradients(y, x)
    tf.Session().run([y, g], {x: 1.0})
    return time.perf_counter() - t0


def main():
    print("tinyflow core benchmarks (medians)")
    print("  import tinyflow                      %8.3f s   (target < 0.3 s)" % bench_import())
    plain, fed = bench_runs()
    print("  sess.run(total)                      %8.1f us  (target <= 10 us; numpy a+b ~1 us)" % (plain * 1e6))
    print("  sess.run(z, feed_dict={x:.., y:..})  %8.1f us  (target <= 20 us)" % (fed * 1e6))
    # In turns, so that the machine's changing speed affects both sizes alike; the ratio is the
    # median of the ratios of each turn.
    pairs = [(chain(8000), chain(32000)) for _ in range(3)]
    t8 = statistics.median(p[0] for p in pairs)
    t32 = statistics.median(p[1] for p in pairs)
    ratio = statistics.median(p[1] / p[0] for p in pairs)
    print("  8,000-op chain: build+grad+run       %8.3f s   (target < 1 s)" % t8)
    print("  32,000-op chain: build+grad+run      %8.3f s   (x%.1f for 4x the ops)" % (t32, ratio))


if __name__ == "__main__":
    main()

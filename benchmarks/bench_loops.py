"""Loops: tf.while_loop forward and with its gradient, beside numpy doing the same loop by hand.

Run with `make bench` (or `python benchmarks/bench_loops.py`). Figures are medians.
Yardstick (TensorFlow 2.21, tf.compat.v1, this 2-core machine, measured side by side):
1,000 iterations of `v * 0.999 + x`: 5.7 ms per run, 21 ms with the gradient;
100 iterations of `tanh(v @ m)` with a 64x64 `m`: 2.4 ms, 6.6 ms with the gradient w.r.t. `m`.
Targets: the loops no slower than TensorFlow, their gradients at most 1.5x TensorFlow's.
"""
import statistics
import sys
import timeit
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

TF_FIGURES = {"scalar": (5.7e-3, 21e-3), "matmul": (2.4e-3, 6.6e-3)}


def median_seconds(fn, repeat=9, number=5):
    return statistics.median(timeit.repeat(fn, repeat=repeat, number=number)) / number


def scalar_loop():
    import tinyflow as tf
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [])
    _, v = tf.while_loop(lambda i, v: i < 1000, lambda i, v: (i + 1, v * 0.999 + x), [0, tf.constant(1.0)])
    (g,) = tf.gradients(v, x)
    sess = tf.Session()
    feed = {x: 0.5}
    sess.run([v, g], feed)

    def by_hand():
        v, x, dv = np.float32(1.0), np.float32(0.5), np.float32(0.0)
        for _ in range(1000):
            v = v * np.float32(0.999) + x
        for _ in range(1000):                        # the gradient: d v / d x, by hand, backwards
            dv = dv * np.float32(0.999) + np.float32(1.0)
        return v, dv
    return (median_seconds(lambda: sess.run(v, feed)), median_seconds(lambda: sess.run(g, feed)),
            median_seconds(by_hand), 1000)


def matmul_loop():
    import tinyflow as tf
    tf.reset_default_graph()
    rng = np.random.RandomState(0)
    m = tf.Variable(rng.uniform(-0.2, 0.2, (64, 64)).astype(np.float32))
    v0 = tf.constant(rng.uniform(-1, 1, (1, 64)).astype(np.float32))
    _, v = tf.while_loop(lambda i, v: i < 100, lambda i, v: (i + 1, tf.tanh(tf.matmul(v, m))), [0, v0])
    (g,) = tf.gradients(tf.reduce_sum(v), m)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    sess.run([v, g])
    m0, h0 = sess.run([m, v0])

    def by_hand():
        hs = [h0]
        for _ in range(100):
            hs.append(np.tanh(hs[-1] @ m0))
        dh, dm = np.ones_like(h0), np.zeros_like(m0)
        for k in range(100, 0, -1):
            dz = dh * (1 - hs[k] ** 2)
            dm += hs[k - 1].T @ dz
            dh = dz @ m0.T
        return dm
    return median_seconds(lambda: sess.run(v)), median_seconds(lambda: sess.run(g)), median_seconds(by_hand), 100


def main():
    print("tinyflow loop benchmarks (medians; TensorFlow 2.21 figures of this machine beside them)")
    for name, what, bench in [("scalar", "1,000 x (v * 0.999 + x)", scalar_loop),
                              ("matmul", "100 x tanh(v @ m), m 64x64", matmul_loop)]:
        forward, backward, numpy_time, n = bench()
        tf_forward, tf_backward = TF_FIGURES[name]
        print("  %-28s run %7.2f ms (TF %4.1f ms)  with gradient %7.2f ms (TF %4.1f ms, target <= %4.1f)"
              % (what, forward * 1e3, tf_forward * 1e3, backward * 1e3, tf_backward * 1e3, 1.5 * tf_backward * 1e3))
        print("  %-28s numpy by hand, forward + backward: %6.2f ms; per iteration: tinyflow %5.2f us forward, "
              "%5.2f us forward + backward" % ("", numpy_time * 1e3, forward / n * 1e6, backward / n * 1e6))


if __name__ == "__main__":
    main()

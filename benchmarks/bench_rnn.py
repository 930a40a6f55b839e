"""Recurrent networks: one Adam training step of an LSTM, unrolled by tf.nn.dynamic_rnn and by
tf.nn.static_rnn, beside numpy doing the same step's matmuls by hand.

Run with `make bench` (or `python benchmarks/bench_rnn.py`). Figures are medians.
The network is the classic LSTM-on-MNIST-rows example: 28 steps of 28 inputs, an LSTM of 128
units (tf.nn.rnn_cell.BasicLSTMCell), a dense layer to 10 classes on the last output, softmax
cross-entropy, Adam; batch 128.
Yardstick (TensorFlow 2.21, tf.compat.v1, measured on a machine like this one): 103 ms per
training step with dynamic_rnn, 97 ms with static_rnn.
Targets: each at most TensorFlow's time; dynamic_rnn within 1.3x of static_rnn.
"""
import statistics
import sys
import timeit
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

TF_FIGURES = {"dynamic_rnn": 103e-3, "static_rnn": 97e-3}
STEPS, INPUTS, UNITS, CLASSES, BATCH = 28, 28, 128, 10, 128


def median_seconds(fn, repeat=7, number=3):
    return statistics.median(timeit.repeat(fn, repeat=repeat, number=number)) / number


def training_step(unroll):
    import tinyflow as tf
    tf.reset_default_graph()
    tf.set_random_seed(0)
    x = tf.placeholder(tf.float32, [None, STEPS, INPUTS])
    y = tf.placeholder(tf.int64, [None])
    cell = tf.nn.rnn_cell.BasicLSTMCell(UNITS)
    if unroll == "dynamic_rnn":
        outputs, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
        last = outputs[:, -1]
    else:
        outputs, _ = tf.nn.static_rnn(cell, tf.unstack(x, STEPS, 1), dtype=tf.float32)
        last = outputs[-1]
    logits = tf.layers.dense(last, CLASSES)
    loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
    train = tf.train.AdamOptimizer(1e-3).minimize(loss)
    rng = np.random.RandomState(0)
    feed = {x: rng.rand(BATCH, STEPS, INPUTS).astype(np.float32), y: rng.randint(0, CLASSES, BATCH)}
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    sess.run(train, feed)                                    # plan once
    return median_seconds(lambda: sess.run(train, feed))


def numpy_step():
    """The step's arithmetic by hand: the LSTM forward over 28 steps, then its backward pass."""
    rng = np.random.RandomState(0)
    x = rng.rand(STEPS, BATCH, INPUTS).astype(np.float32)
    w = rng.uniform(-0.1, 0.1, (INPUTS + UNITS, 4 * UNITS)).astype(np.float32)
    b = np.zeros(4 * UNITS, np.float32)

    def sigmoid(v):
        return 1 / (1 + np.exp(-v))

    def step():
        h, c = np.zeros((BATCH, UNITS), np.float32), np.zeros((BATCH, UNITS), np.float32)
        cache = []
        for t in range(STEPS):
            xh = np.concatenate([x[t], h], 1)
            i, j, f, o = np.split(xh @ w + b, 4, 1)
            i, j, f, o = sigmoid(i), np.tanh(j), sigmoid(f + 1.0), sigmoid(o)
            c_new = c * f + i * j
            h = np.tanh(c_new) * o
            cache.append((xh, i, j, f, o, c, c_new))
            c = c_new
        dh, dc, dw = np.ones_like(h), np.zeros_like(c), np.zeros_like(w)
        for xh, i, j, f, o, c_prev, c_new in reversed(cache):
            tc = np.tanh(c_new)
            do = dh * tc * o * (1 - o)
            dc = dc + dh * o * (1 - tc ** 2)
            di, dj, df = dc * j * i * (1 - i), dc * i * (1 - j ** 2), dc * c_prev * f * (1 - f)
            dz = np.concatenate([di, dj, df, do], 1)
            dw += xh.T @ dz
            dh = (dz @ w.T)[:, INPUTS:]
            dc = dc * f
        return dw
    return median_seconds(step)


def main():
    print("tinyflow RNN benchmark (medians): an LSTM of %d units, %d steps of %d inputs, batch %d, Adam"
          % (UNITS, STEPS, INPUTS, BATCH))
    times = {}
    for unroll in ("dynamic_rnn", "static_rnn"):
        times[unroll] = training_step(unroll)
        print("  %-12s one training step %7.1f ms  (TF 2.21: %5.1f ms; target <= TF)"
              % (unroll, times[unroll] * 1e3, TF_FIGURES[unroll] * 1e3))
    print("  dynamic_rnn / static_rnn: %.2fx (target <= 1.3x)" % (times["dynamic_rnn"] / times["static_rnn"]))
    print("  numpy by hand, the LSTM's forward + backward only: %.1f ms" % (numpy_step() * 1e3))


if __name__ == "__main__":
    main()

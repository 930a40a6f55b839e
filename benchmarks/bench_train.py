"""Training speed: one SGD step of an MLP against the same step written in numpy, and the guide's program.

Run with `make bench` (or `python benchmarks/bench_train.py`). Figures are medians of several
repeats (the MLP's two steps timed in turns); the machine is noisy, so compare orders of
magnitude, not the last digit.

(a) A 784-512-10 ReLU network, batch 256, sparse softmax cross-entropy, plain gradient descent:
    `sess.run(train_op, feed)` versus a hand-written numpy step (forward, backward, update) doing
    the same float32 arithmetic. The matrix products dominate both, so tinyflow should be
    within 1.15x of numpy.
(b) The guide's "Complete program" (tf.layers.Dense, mean_squared_error, 100 training steps):
    build + initialize + train, from an empty graph (target < 30 ms).
"""
import statistics
import sys
import time
import timeit
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

import tinyflow as tf  # noqa: E402

BATCH, N_IN, N_HIDDEN, N_OUT, LR = 256, 784, 512, 10, 0.1


def in_turns(fns, turns=15, number=3):
    """Seconds per call of each function, timed in turns (the machine's changing load then
    affects all of them alike): a list of ``turns`` lists, one time per function."""
    return [[timeit.timeit(fn, number=number) / number for fn in fns] for _ in range(turns)]


def data():
    rng = np.random.RandomState(0)
    x = rng.rand(BATCH, N_IN).astype(np.float32)
    labels = rng.randint(0, N_OUT, size=BATCH).astype(np.int32)
    return x, labels


def mlp_tinyflow():
    """One training step: `sess.run(train_op, feed)`."""
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, N_IN])
    y = tf.placeholder(tf.int32, [None])
    hidden = tf.layers.dense(x, N_HIDDEN, activation=tf.nn.relu)
    logits = tf.layers.dense(hidden, N_OUT)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    train_op = tf.train.GradientDescentOptimizer(LR).minimize(loss)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    xs, labels = data()
    feed = {x: xs, y: labels}
    sess.run(train_op, feed)
    return lambda: sess.run(train_op, feed)


def mlp_numpy():
    """One hand-written numpy training step (the same maths, float32)."""
    rng = np.random.RandomState(1)
    lim1, lim2 = np.sqrt(6 / (N_IN + N_HIDDEN)), np.sqrt(6 / (N_HIDDEN + N_OUT))
    w1 = rng.uniform(-lim1, lim1, (N_IN, N_HIDDEN)).astype(np.float32)
    b1 = np.zeros(N_HIDDEN, np.float32)
    w2 = rng.uniform(-lim2, lim2, (N_HIDDEN, N_OUT)).astype(np.float32)
    b2 = np.zeros(N_OUT, np.float32)
    xs, labels = data()
    rows = np.arange(BATCH)
    lr = np.float32(LR)

    def step():
        nonlocal w1, b1, w2, b2
        # forward
        h = xs @ w1 + b1
        a = np.maximum(h, 0)
        logits = a @ w2 + b2
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = -log_probs[rows, labels].mean()
        # backward
        dlogits = np.exp(log_probs)
        dlogits[rows, labels] -= 1
        dlogits /= BATCH
        dw2 = a.T @ dlogits
        db2 = dlogits.sum(axis=0)
        dh = (dlogits @ w2.T) * (h > 0)
        dw1 = xs.T @ dh
        db1 = dh.sum(axis=0)
        # update
        w1 = w1 - lr * dw1
        b1 = b1 - lr * db1
        w2 = w2 - lr * dw2
        b2 = b2 - lr * db2
        return loss

    step()
    return step


def guide_program():
    """Seconds for the guide's complete program: build, initialize, 100 training steps."""
    tf.reset_default_graph()
    t0 = time.perf_counter()
    x = tf.constant([[1], [2], [3], [4]], dtype=tf.float32)
    y_true = tf.constant([[0], [-1], [-2], [-3]], dtype=tf.float32)
    linear_model = tf.layers.Dense(units=1)
    y_pred = linear_model(x)
    loss = tf.losses.mean_squared_error(labels=y_true, predictions=y_pred)
    optimizer = tf.train.GradientDescentOptimizer(0.01)
    train = optimizer.minimize(loss)
    init = tf.global_variables_initializer()
    sess = tf.Session()
    sess.run(init)
    for _ in range(100):
        _, loss_value = sess.run((train, loss))
    sess.run(y_pred)
    return time.perf_counter() - t0


def main():
    print("tinyflow training benchmarks (medians)")
    guide_program()           # first, before the MLP's large arrays exist
    t = statistics.median(guide_program() for _ in range(7))
    print("  guide's complete program (build + init + 100 steps) %6.1f ms  (target < 30 ms)" % (t * 1e3))
    turns = in_turns([mlp_tinyflow(), mlp_numpy()])
    print("  MLP 784-512-10, batch 256, one SGD step (median of %d turns)" % len(turns))
    print("    tinyflow sess.run(train_op, feed)  %8.2f ms" % (statistics.median(t[0] for t in turns) * 1e3))
    print("    hand-written numpy step            %8.2f ms" % (statistics.median(t[1] for t in turns) * 1e3))
    print("    ratio (median of the turns' ratios) %7.2fx  (target <= 1.15x)"
          % statistics.median(t[0] / t[1] for t in turns))


if __name__ == "__main__":
    main()

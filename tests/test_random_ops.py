"""Random ops: names, ranges, per-run / within-run semantics, sessions and seeds (as in TensorFlow 1.15)."""
import os
import subprocess
import sys

import numpy as np
import pytest

import tinyflow as tf


def op_names():
    return [(op.name, op.type) for op in tf.get_default_graph().get_operations()]


def test_random_uniform_ops_and_tensor():
    vec = tf.random_uniform(shape=(3,))
    assert str(vec) == 'Tensor("random_uniform:0", shape=(3,), dtype=float32)'
    assert op_names() == [("random_uniform/shape", "Const"), ("random_uniform/min", "Const"),
                          ("random_uniform/max", "Const"), ("random_uniform/RandomUniform", "RandomUniform"),
                          ("random_uniform/sub", "Sub"), ("random_uniform/mul", "Mul"),
                          ("random_uniform", "Add")]


def test_random_normal_and_truncated_normal_ops():
    n = tf.random_normal([2, 3])
    t = tf.truncated_normal([4], name="tn")
    assert n.name == "random_normal:0" and n.shape.as_list() == [2, 3]
    assert t.name == "tn:0"
    names = [n_ for n_, _ in op_names()]
    assert names[:6] == ["random_normal/shape", "random_normal/mean", "random_normal/stddev",
                         "random_normal/RandomStandardNormal", "random_normal/mul", "random_normal"]
    assert "tn/TruncatedNormal" in names


def test_uniform_range_and_dtype():
    u = tf.random_uniform([10000], minval=-1.0, maxval=3.0)
    d = tf.random_uniform([100], dtype=tf.float64)
    with tf.Session() as sess:
        x, y = sess.run([u, d])
    assert x.dtype == np.float32 and y.dtype == np.float64
    assert x.min() >= -1.0 and x.max() < 3.0
    assert abs(x.mean() - 1.0) < 0.05


def test_uniform_float32_never_reaches_maxval():
    u = tf.random_uniform([200000], dtype=tf.float16)
    with tf.Session() as sess:
        x = sess.run(u)
    assert x.max() < 1.0 and x.min() >= 0.0


def test_integer_uniform():
    i = tf.random_uniform([1000], minval=2, maxval=5, dtype=tf.int32)
    assert i.op.type == "RandomUniformInt" and i.op.name == "random_uniform"
    with tf.Session() as sess:
        x = sess.run(i)
    assert x.dtype == np.int32 and set(x.tolist()) == {2, 3, 4}
    with pytest.raises(ValueError, match="^Must specify maxval for integer dtype tf.int32$"):
        tf.random_uniform([2], dtype=tf.int32)
    with pytest.raises(ValueError, match="Invalid dtype tf.bool"):
        tf.random_uniform([2], dtype=tf.bool)
    bad = tf.random_uniform([2], minval=5, maxval=5, dtype=tf.int64)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="Need minval < maxval: 5 >= 5"):
            sess.run(bad)


def test_normal_statistics_and_truncation():
    n = tf.random_normal([20000], mean=5.0, stddev=2.0)
    t = tf.truncated_normal([20000], mean=1.0, stddev=0.5)
    with tf.Session() as sess:
        x, y = sess.run([n, t])
    assert abs(x.mean() - 5.0) < 0.06 and abs(x.std() - 2.0) < 0.06
    assert np.all(np.abs(y - 1.0) <= 1.0 + 1e-6)
    assert abs(y.std() - 0.5 * 0.87962566103423978) < 0.01


def test_new_value_every_run_same_value_within_a_run():
    vec = tf.random_uniform(shape=(3,))
    out1 = vec + 1
    out2 = vec + 2
    with tf.Session() as sess:
        a = sess.run(vec)
        b = sess.run(vec)
        assert not np.array_equal(a, b)
        v, o1, o2 = sess.run((vec, out1, out2))
        np.testing.assert_allclose(o1, v + 1)
        np.testing.assert_allclose(o2, v + 2)
        x, y, z = sess.run([vec, vec, vec + 0])
        np.testing.assert_array_equal(x, y)
        np.testing.assert_array_equal(x, z)


def test_graph_seed_makes_sessions_repeat_and_new_session_restarts():
    tf.set_random_seed(1234)
    u = tf.random_uniform([4])
    with tf.Session() as s1:
        a1, a2 = s1.run(u), s1.run(u)
    with tf.Session() as s2:
        b1, b2 = s2.run(u), s2.run(u)
    np.testing.assert_array_equal(a1, b1)
    np.testing.assert_array_equal(a2, b2)
    assert not np.array_equal(a1, a2)


def test_no_seed_gives_different_streams_per_session():
    u = tf.random_uniform([8])
    with tf.Session() as s1:
        a = s1.run(u)
    with tf.Session() as s2:
        b = s2.run(u)
    assert not np.array_equal(a, b)


def test_op_seed_alone_uses_default_graph_seed():
    u = tf.random_uniform([5], seed=7)
    w = tf.random_uniform([5], seed=7)
    assert (u.op.inputs[0].op.inputs[0].op.get_attr("seed"),
            u.op.inputs[0].op.inputs[0].op.get_attr("seed2")) == (87654321, 7)
    with tf.Session() as sess:
        np.testing.assert_array_equal(*sess.run([u, w]))   # same seeds, same sequence
    g = tf.Graph()
    with g.as_default():
        v = tf.random_uniform([5], seed=7)
        with tf.Session() as sess2:
            x = sess2.run(v)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(u), x)


def test_get_seed_rule():
    from tinyflow.ops.random_ops import get_seed
    assert get_seed(None) == (None, None)
    assert get_seed(3) == (87654321, 3)
    tf.set_random_seed(42)
    tf.constant(1.0)
    tf.constant(2.0)
    assert get_seed(None) == (42, tf.get_default_graph()._last_id) == (42, 2)
    assert get_seed(5) == (42, 5)
    tf.set_random_seed(0)
    assert get_seed(0) == (0, 2 ** 31 - 1)


def test_graph_seed_op_seed_depends_on_op_count():
    tf.set_random_seed(1)
    a = tf.random_uniform([3])
    b = tf.random_uniform([3])
    with tf.Session() as sess:
        x, y = sess.run([a, b])
    assert not np.array_equal(x, y)


_PROGRAM = """
import tinyflow as tf
tf.set_random_seed(2024)
u = tf.random_uniform([3])
n = tf.random_normal([2], seed=3)
k = tf.get_variable("k", [2, 2])
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print(sess.run(u).tolist(), sess.run(u).tolist(), sess.run(n).tolist(), sess.run(k).tolist())
"""


def test_seeded_program_repeats_across_processes():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, PYTHONPATH=root + os.pathsep + os.environ.get("PYTHONPATH", ""))
    outs = [subprocess.run([sys.executable, "-c", _PROGRAM], capture_output=True, text=True, env=env,
                           check=True).stdout for _ in range(2)]
    assert outs[0] == outs[1] and outs[0].strip()


def test_shape_arguments():
    p = tf.placeholder(tf.float32, [None, 3])
    r = tf.random_normal(tf.shape(p))
    assert r.shape.as_list() == [None, None] or r.shape.ndims == 2
    s = tf.random_uniform(tf.TensorShape([2, 2]))
    e = tf.random_uniform([])
    assert s.shape.as_list() == [2, 2] and e.shape.as_list() == []
    with tf.Session() as sess:
        assert sess.run(r, {p: np.zeros((4, 3))}).shape == (4, 3)
        assert sess.run(e).shape == ()


def test_random_shuffle():
    x = tf.constant(np.arange(20).reshape(10, 2))
    s = tf.random_shuffle(x)
    assert s.op.name == "RandomShuffle" and s.shape.as_list() == [10, 2]
    with tf.Session() as sess:
        a, b = sess.run(s), sess.run(s)
    assert sorted(a[:, 0].tolist()) == list(range(0, 20, 2))
    np.testing.assert_array_equal(a[:, 1], a[:, 0] + 1)
    assert not np.array_equal(a, b) or not np.array_equal(a, np.arange(20).reshape(10, 2))


def test_multinomial_and_categorical():
    logits = tf.constant([[0.0, 0.0, 50.0], [50.0, 0.0, 0.0]])
    m = tf.multinomial(logits, 4)
    c = tf.categorical(logits, 3)
    assert m.op.type == "Multinomial" and m.op.name == "multinomial/Multinomial"
    assert m.dtype == tf.int64 and m.shape.as_list() == [2, 4]
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(m), [[2] * 4, [0] * 4])
        assert sess.run(c).shape == (2, 3)


def test_random_ops_have_no_gradient():
    x = tf.constant([1.0, 2.0])
    y = x * tf.random_normal([2])
    (g,) = tf.gradients(y, [x])
    assert g is not None
    with tf.Session() as sess:
        assert sess.run(g).shape == (2,)


# Op names, shapes and dtypes below as TF 1.15 builds them (seen in TF 2.21's tf.compat.v1; its
# random_gamma broadcasts alpha with BroadcastTo where TF 1.15 adds zeros_like(beta)).
def test_random_gamma_ops_shapes_and_statistics():
    tf.set_random_seed(11)
    g = tf.random_gamma([20000], [0.5, 2.0, 9.0], beta=[1.0, 2.0, 0.5])
    assert g.name == "random_gamma/Maximum:0" and g.dtype == tf.float32 and g.shape.as_list() == [20000, 3]
    assert [n for n, t in op_names() if t == "RandomGamma"] == ["random_gamma/RandomGamma"]
    assert tf.random_gamma([2, 3], [[1.0], [2.0]]).shape.as_list() == [2, 3, 2, 1]
    d = tf.random_gamma([4], 3.0, dtype=tf.float64, seed=3)
    assert d.dtype == tf.float64 and d.shape.as_list() == [4]
    op = d.op.inputs[1].op.inputs[0].op
    assert op.type == "RandomGamma" and (op.get_attr("seed"), op.get_attr("seed2")) == (11, 3)
    with tf.Session() as sess:
        x, y = sess.run(g), sess.run(g)
    assert not np.array_equal(x, y) and x.min() > 0
    alpha, beta = np.array([0.5, 2.0, 9.0]), np.array([1.0, 2.0, 0.5])
    np.testing.assert_allclose(x.mean(0), alpha / beta, rtol=0.05)
    np.testing.assert_allclose(x.var(0), alpha / beta ** 2, rtol=0.1)


def test_random_gamma_edge_values_and_errors():
    z = tf.random_gamma([3], [0.0, -1.0, 0.5], seed=1)     # TF: alpha 0 gives the smallest float, < 0 NaN
    with tf.Session() as sess:
        x = sess.run(z)
    np.testing.assert_array_equal(x[:, 0], np.finfo(np.float32).tiny)
    assert np.isnan(x[:, 1]).all() and (x[:, 2] > 0).all()
    with pytest.raises(TypeError):
        tf.random_gamma([2], [1.0], dtype=tf.int32)


def test_random_poisson_ops_shapes_and_statistics():
    p = tf.random_poisson([0.5, 4.0, 30.0], [20000], seed=5)
    assert p.name == "random_poisson/RandomPoissonV2:0" and p.shape.as_list() == [20000, 3]
    assert op_names()[:3] == [("random_poisson/shape", "Const"), ("random_poisson/RandomPoissonV2/rate", "Const"),
                              ("random_poisson/RandomPoissonV2", "RandomPoissonV2")]
    assert (p.op.get_attr("seed"), p.op.get_attr("seed2"), p.op.get_attr("dtype")) == (87654321, 5, tf.float32)
    i = tf.random_poisson(3.0, [7], dtype=tf.int32)
    assert i.dtype == tf.int32 and i.shape.as_list() == [7]
    zero = tf.random_poisson([-1.0, 0.0], [3])                # TF: a rate <= 0 gives 0
    with tf.Session() as sess:
        x, n, z = sess.run([p, i, zero])
    lam = np.array([0.5, 4.0, 30.0])
    np.testing.assert_allclose(x.mean(0), lam, rtol=0.05)
    np.testing.assert_allclose(x.var(0), lam, rtol=0.1)
    assert n.dtype == np.int32 and (n >= 0).all()
    np.testing.assert_array_equal(z, np.zeros((3, 2)))
    with pytest.raises(TypeError, match="DataType bool not in list of allowed values"):
        tf.random_poisson(1.0, [2], dtype=tf.bool)


def test_random_gamma_and_poisson_seeded_sessions_repeat():
    tf.set_random_seed(7)
    a, b = tf.random_gamma([5], 2.0), tf.random_poisson(3.0, [5])
    with tf.Session() as s1:
        first = s1.run([a, b])
    with tf.Session() as s2:
        again = s2.run([a, b])
    for u, v in zip(first, again):
        np.testing.assert_array_equal(u, v)
    assert tf.random.gamma is tf.random_gamma and tf.random.poisson is tf.random_poisson


def test_random_crop_ops_values_and_error():
    x = tf.constant(np.arange(30.0).reshape(5, 6))
    c = tf.random_crop(x, [2, 3], seed=1)
    assert c.name == "random_crop:0" and c.op.type == "Slice" and c.shape.as_list() == [2, 3]
    names = [n for n, _ in op_names()]
    for n in ["random_crop/size", "random_crop/Shape", "random_crop/GreaterEqual", "random_crop/All",
              "random_crop/Assert/Assert", "random_crop/control_dependency", "random_crop/sub", "random_crop/add",
              "random_crop/random_uniform", "random_crop/mod"]:
        assert n in names
    assert tf.get_default_graph().get_operation_by_name("random_crop/random_uniform").type == "RandomUniformInt"
    full = np.arange(30.0).reshape(5, 6)
    seen = set()
    with tf.Session() as sess:
        for _ in range(60):
            v = sess.run(c)
            r, k = divmod(int(v[0, 0]), 6)
            np.testing.assert_array_equal(v, full[r:r + 2, k:k + 3])
            seen.add((r, k))
    assert len(seen) > 8 and all(r <= 3 and k <= 3 for r, k in seen)
    p = tf.placeholder(tf.float32, [None, None])
    big = tf.random_crop(p, [3, 3])
    with tf.Session() as sess:
        # TF 2.21 compat.v1: assertion failed: [Need value.shape >= size, got ] [2 2] [3 3]
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"^assertion failed: \[Need value.shape >= size, got \] \[2 2\] \[3 3\]"):
            sess.run(big, {p: [[1.0, 2.0], [3.0, 4.0]]})

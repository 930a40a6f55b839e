"""tf.nn: activations, softmax, cross-entropies, dropout, bias_add, embedding_lookup, moments.

Values are checked against numpy formulas, gradients against finite differences, and the
stable kernels against logits of +-1000 (finite values, finite gradients).
"""
import numpy as np
import pytest

import tinyflow as tf
from op_catalogue import check_gradients


def run(fetches, feed_dict=None):
    return tf.Session().run(fetches, feed_dict)


X = np.array([[-3.0, -0.5, 0.7, 2.0], [5.0, 7.5, -1.2, 0.3]], dtype=np.float32)
SELU_ALPHA, SELU_SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946


def np_softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def np_log_softmax(x, axis=-1):
    s = x - x.max(axis=axis, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=axis, keepdims=True))


def np_sigmoid(x):
    return 1 / (1 + np.exp(-x))


# Away from kinks (0 for relu-like, 6 for relu6) so finite differences are valid.
X64 = np.array([[-3.0, -0.5, 0.7, 2.0], [5.0, 7.5, -1.2, 0.3]])


# --------------------------------------------------------------------------------------------
# Activations
# --------------------------------------------------------------------------------------------
ACTIVATIONS = [
    ("relu", tf.nn.relu, lambda x: np.maximum(x, 0), "Relu"),
    ("relu6", tf.nn.relu6, lambda x: np.clip(x, 0, 6), "Relu6"),
    ("leaky_relu", tf.nn.leaky_relu, lambda x: np.where(x > 0, x, 0.2 * x), "LeakyRelu"),
    ("elu", tf.nn.elu, lambda x: np.where(x > 0, x, np.exp(x) - 1), "Elu"),
    ("selu", tf.nn.selu, lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * (np.exp(x) - 1)), "Selu"),
    ("softplus", tf.nn.softplus, lambda x: np.log1p(np.exp(x)), "Softplus"),
    ("softsign", tf.nn.softsign, lambda x: x / (1 + np.abs(x)), "Softsign"),
    ("sigmoid", tf.nn.sigmoid, np_sigmoid, "Sigmoid"),
    ("tanh", tf.nn.tanh, np.tanh, "Tanh"),
    ("softmax", tf.nn.softmax, np_softmax, "Softmax"),
    ("log_softmax", tf.nn.log_softmax, np_log_softmax, "LogSoftmax"),
]


@pytest.mark.parametrize("name,fn,ref,op_type", ACTIVATIONS, ids=[a[0] for a in ACTIVATIONS])
def test_activation_values_names_and_dtype(name, fn, ref, op_type):
    y = fn(tf.constant(X))
    assert y.op.type == op_type and y.name == op_type + ":0"
    assert y.dtype == tf.float32 and y.shape.as_list() == [2, 4]
    np.testing.assert_allclose(run(y), ref(X.astype(np.float64)), rtol=1e-5, atol=1e-6)
    assert fn(tf.constant(X), name="act").name == "act:0"


@pytest.mark.parametrize("name,fn,ref,op_type", ACTIVATIONS, ids=[a[0] for a in ACTIVATIONS])
def test_activation_gradients(name, fn, ref, op_type):
    check_gradients(fn, X64)


SMOOTH = [a for a in ACTIVATIONS if a[0] not in ("relu", "relu6", "leaky_relu")]


@pytest.mark.parametrize("name,fn,ref,op_type", SMOOTH, ids=[a[0] for a in SMOOTH])
def test_activation_second_derivative(name, fn, ref, op_type):
    check_gradients(lambda x: tf.gradients(fn(x), x)[0], X64)


def test_python_input_is_named_like_tf():
    y = tf.nn.relu([-1.0, 2.0])
    assert y.op.inputs[0].name == "Relu/features:0"
    np.testing.assert_array_equal(run(y), [0.0, 2.0])


def test_relu_gradient_is_zero_at_the_kink():
    x = tf.constant([-1.0, 0.0, 1.0])
    np.testing.assert_array_equal(run(tf.gradients(tf.nn.relu(x), x)[0]), [0.0, 0.0, 1.0])


def test_relu_on_integers():
    np.testing.assert_array_equal(run(tf.nn.relu(tf.constant([-2, 3]))), [0, 3])


def test_relu6_gradient_is_zero_outside_0_6():
    x = tf.constant([-1.0, 3.0, 7.0])
    np.testing.assert_array_equal(run(tf.gradients(tf.nn.relu6(x), x)[0]), [0.0, 1.0, 0.0])


def test_leaky_relu_alpha_and_integer_input():
    y = tf.nn.leaky_relu(tf.constant([-2.0, 3.0]), alpha=0.1)
    np.testing.assert_allclose(run(y), [-0.2, 3.0])
    yi = tf.nn.leaky_relu(tf.constant([-2, 3]))
    assert yi.dtype == tf.float32
    np.testing.assert_allclose(run(yi), [-0.4, 3.0])


def test_softmax_along_another_axis():
    y = tf.nn.softmax(tf.constant(X), axis=0)
    np.testing.assert_allclose(run(y), np_softmax(X, axis=0), rtol=1e-6)
    assert y.shape.as_list() == [2, 4]
    np.testing.assert_allclose(run(tf.nn.log_softmax(tf.constant(X), dim=0)), np_log_softmax(X, axis=0),
                               rtol=1e-5)
    check_gradients(lambda x: tf.nn.softmax(x, axis=0), X64)


def test_softmax_rows_sum_to_one_and_scalar_is_rejected():
    np.testing.assert_allclose(run(tf.nn.softmax(tf.constant(X))).sum(axis=1), [1.0, 1.0], rtol=1e-6)
    with pytest.raises(ValueError, match="Shape must be at least rank 1 but is rank 0"):
        tf.nn.softmax(tf.constant(1.0))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Dimension \(2\) must be in the range"):
        tf.nn.softmax(tf.constant(X), axis=2)


# --------------------------------------------------------------------------------------------
# Numerical stability: logits of +-1000
# --------------------------------------------------------------------------------------------
BIG = np.array([[1000.0, 0.0, -1000.0], [-1000.0, -1000.0, 1000.0]], dtype=np.float32)
ONEHOT = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], dtype=np.float32)


def assert_finite_with_finite_gradient(y, x):
    value, grad = run([y, tf.gradients(y, x)[0]])
    assert np.all(np.isfinite(value)), value
    assert np.all(np.isfinite(grad)), grad
    return value, grad


def test_softmax_and_log_softmax_of_huge_logits():
    x = tf.constant(BIG)
    s, _ = assert_finite_with_finite_gradient(tf.nn.softmax(x), x)
    np.testing.assert_allclose(s, [[1, 0, 0], [0, 0, 1]], atol=1e-6)
    ls, g = assert_finite_with_finite_gradient(tf.nn.log_softmax(x), x)
    np.testing.assert_allclose(ls, [[0, -1000, -2000], [-2000, -2000, 0]])
    np.testing.assert_allclose(g, [[-2, 1, 1], [1, 1, -2]], atol=1e-6)


def test_softplus_of_huge_values():
    x = tf.constant([1000.0, -1000.0, 0.0])
    y, g = assert_finite_with_finite_gradient(tf.nn.softplus(x), x)
    np.testing.assert_allclose(y, [1000.0, 0.0, np.log(2.0)], rtol=1e-6)
    np.testing.assert_allclose(g, [1.0, 0.0, 0.5])


def test_softmax_cross_entropy_of_huge_logits():
    x = tf.constant(BIG)
    loss, g = assert_finite_with_finite_gradient(
        tf.nn.softmax_cross_entropy_with_logits_v2(labels=ONEHOT, logits=x), x)
    np.testing.assert_allclose(loss, [1000.0, 0.0])
    np.testing.assert_allclose(g, [[1, -1, 0], [0, 0, 0]], atol=1e-6)


def test_sparse_softmax_cross_entropy_of_huge_logits():
    x = tf.constant(BIG)
    loss, g = assert_finite_with_finite_gradient(
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[1, 2], logits=x), x)
    np.testing.assert_allclose(loss, [1000.0, 0.0])
    np.testing.assert_allclose(g, [[1, -1, 0], [0, 0, 0]], atol=1e-6)


def test_sigmoid_cross_entropy_of_huge_logits():
    x = tf.constant([1000.0, -1000.0, 1000.0, -1000.0])
    z = tf.constant([1.0, 0.0, 0.0, 1.0])
    loss, g = assert_finite_with_finite_gradient(tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x), x)
    np.testing.assert_allclose(loss, [0.0, 0.0, 1000.0, 1000.0])
    np.testing.assert_allclose(g, [0.0, 0.0, 1.0, -1.0])


# --------------------------------------------------------------------------------------------
# Cross-entropies: values, names, gradients
# --------------------------------------------------------------------------------------------
LOGITS = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0]], dtype=np.float32)
SOFT_LABELS = np.array([[0.7, 0.2, 0.1], [0.0, 1.0, 0.0]], dtype=np.float32)


def test_softmax_cross_entropy_v2_value_and_name():
    loss = tf.nn.softmax_cross_entropy_with_logits_v2(labels=SOFT_LABELS, logits=LOGITS)
    assert loss.name == "softmax_cross_entropy_with_logits/Reshape_2:0"
    assert loss.shape.as_list() == [2] and loss.dtype == tf.float32
    fused = tf.get_default_graph().get_operation_by_name("softmax_cross_entropy_with_logits")
    assert fused.type == "SoftmaxCrossEntropyWithLogits" and len(fused.outputs) == 2
    np.testing.assert_allclose(run(loss), -(SOFT_LABELS * np_log_softmax(LOGITS)).sum(axis=1), rtol=1e-6)


def test_softmax_cross_entropy_v1_name_and_no_gradient_into_labels():
    labels = tf.constant(SOFT_LABELS)
    logits = tf.constant(LOGITS)
    loss = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    assert loss.name == "softmax_cross_entropy_with_logits_sg/Reshape_2:0"
    np.testing.assert_allclose(run(loss), -(SOFT_LABELS * np_log_softmax(LOGITS)).sum(axis=1), rtol=1e-6)
    assert tf.gradients(loss, labels) == [None]
    loss2 = tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)
    np.testing.assert_allclose(run(tf.gradients(loss2, labels)[0]), -np_log_softmax(LOGITS), rtol=1e-6)


def test_softmax_cross_entropy_v1_needs_named_arguments_v2_does_not():
    # TF 1.15: the v1 function has a `_sentinel` first parameter; _v2 is (labels, logits, axis, name, dim)
    with pytest.raises(ValueError, match="Only call `softmax_cross_entropy_with_logits` with named arguments"):
        tf.nn.softmax_cross_entropy_with_logits(SOFT_LABELS, LOGITS)
    with pytest.raises(ValueError, match="Both labels and logits must be provided."):
        tf.nn.softmax_cross_entropy_with_logits(logits=LOGITS)
    np.testing.assert_allclose(run(tf.nn.softmax_cross_entropy_with_logits_v2(SOFT_LABELS, LOGITS)),
                               run(tf.nn.softmax_cross_entropy_with_logits_v2(labels=SOFT_LABELS, logits=LOGITS)))
    with pytest.raises(TypeError, match="labels"):
        tf.nn.softmax_cross_entropy_with_logits_v2(logits=LOGITS)


def test_softmax_cross_entropy_shape_mismatch():
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 3 and 4"):
        tf.nn.softmax_cross_entropy_with_logits_v2(labels=np.zeros((2, 4), np.float32), logits=LOGITS)


def test_softmax_cross_entropy_rank_3_and_axis_0():
    logits = np.random.RandomState(1).randn(2, 3, 4).astype(np.float32)
    labels = np_softmax(np.random.RandomState(2).randn(2, 3, 4)).astype(np.float32)
    loss = tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)
    assert loss.shape.as_list() == [2, 3]
    np.testing.assert_allclose(run(loss), -(labels * np_log_softmax(logits)).sum(-1), rtol=1e-5)
    loss0 = tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits, axis=0)
    assert loss0.shape.as_list() == [3, 4]
    np.testing.assert_allclose(run(loss0), -(labels * np_log_softmax(logits, 0)).sum(0), rtol=1e-5)


def test_softmax_cross_entropy_with_placeholder_batch():
    x = tf.placeholder(tf.float32, [None, 3])
    z = tf.placeholder(tf.float32, [None, 3])
    loss = tf.nn.softmax_cross_entropy_with_logits_v2(labels=z, logits=x)
    assert loss.shape.as_list() == [None]
    np.testing.assert_allclose(run(loss, {x: LOGITS, z: SOFT_LABELS}),
                               -(SOFT_LABELS * np_log_softmax(LOGITS)).sum(1), rtol=1e-6)


def test_softmax_cross_entropy_gradients():
    labels = SOFT_LABELS.astype(np.float64)
    check_gradients(lambda z, x: tf.nn.softmax_cross_entropy_with_logits_v2(labels=z, logits=x),
                    labels, LOGITS.astype(np.float64))
    # second derivative w.r.t. the logits (through the fused op's second output)
    check_gradients(lambda x: tf.gradients(
        tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=x), x)[0], LOGITS.astype(np.float64))


def test_sparse_softmax_cross_entropy_value_name_and_gradient():
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 1], logits=LOGITS)
    assert loss.name == "SparseSoftmaxCrossEntropyWithLogits/SparseSoftmaxCrossEntropyWithLogits:0"
    assert loss.shape.as_list() == [2]
    np.testing.assert_allclose(run(loss), -np_log_softmax(LOGITS)[[0, 1], [0, 1]], rtol=1e-6)
    labels = np.array([2, 1], dtype=np.int64)
    check_gradients(lambda x, z: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=z, logits=x),
                    LOGITS.astype(np.float64), labels)
    check_gradients(lambda x: tf.gradients(
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=x), x)[0], LOGITS.astype(np.float64))


def test_sparse_softmax_cross_entropy_rank_3():
    logits = np.random.RandomState(3).randn(2, 3, 4).astype(np.float32)
    labels = np.array([[0, 3, 1], [2, 2, 0]], dtype=np.int32)
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    assert loss.shape.as_list() == [2, 3]
    expected = -np.take_along_axis(np_log_softmax(logits), labels[..., None], -1)[..., 0]
    np.testing.assert_allclose(run(loss), expected, rtol=1e-5)


def test_sparse_softmax_cross_entropy_errors():
    with pytest.raises(ValueError, match=r"Rank mismatch: Rank of labels \(received 2\) should equal rank of "
                                         r"logits minus 1 \(received 2\)."):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[[0], [1]], logits=LOGITS)
    with pytest.raises(ValueError, match=r"Shape mismatch: The shape of labels \(received \(3,\)\)"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 1, 2], logits=LOGITS)
    with pytest.raises(TypeError, match="has DataType float32 not in list of allowed values: int32, int64"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0.0, 1.0], logits=LOGITS)
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 5], logits=LOGITS)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Received a label value of 5 which is outside the valid range of \[0, 3\)"):
        run(loss)


def test_sigmoid_cross_entropy_value_name_and_gradient():
    x = np.array([[-2.0, 0.5], [3.0, -0.1]], dtype=np.float32)
    z = np.array([[0.0, 1.0], [0.3, 1.0]], dtype=np.float32)
    loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x)
    assert loss.name == "logistic_loss:0"
    p = np_sigmoid(x.astype(np.float64))
    np.testing.assert_allclose(run(loss), -z * np.log(p) - (1 - z) * np.log(1 - p), rtol=1e-5)
    check_gradients(lambda a, b: tf.nn.sigmoid_cross_entropy_with_logits(labels=a, logits=b),
                    z.astype(np.float64), x.astype(np.float64))
    with pytest.raises(ValueError, match=r"logits and labels must have the same shape \(\(2, 2\) vs \(2,\)\)"):
        tf.nn.sigmoid_cross_entropy_with_logits(labels=[1.0, 0.0], logits=x)


# --------------------------------------------------------------------------------------------
# l2_loss, bias_add
# --------------------------------------------------------------------------------------------
def test_l2_loss():
    t = tf.constant([[1.0, -2.0], [3.0, 0.5]])
    y = tf.nn.l2_loss(t)
    assert y.name == "L2Loss:0" and y.shape.as_list() == []
    assert run(y) == pytest.approx(0.5 * (1 + 4 + 9 + 0.25))
    check_gradients(tf.nn.l2_loss, X64)


def test_bias_add_values_name_and_gradient():
    v, b = tf.constant(X), tf.constant([1.0, 2.0, 3.0, 4.0])
    y = tf.nn.bias_add(v, b)
    assert y.name == "BiasAdd:0" and y.op.type == "BiasAdd"
    np.testing.assert_allclose(run(y), X + [1, 2, 3, 4])
    gv, gb = run(tf.gradients(y, [v, b]))
    np.testing.assert_array_equal(gv, np.ones_like(X))
    np.testing.assert_array_equal(gb, [2.0, 2.0, 2.0, 2.0])
    check_gradients(tf.nn.bias_add, np.random.RandomState(4).randn(2, 3, 4), np.array([0.1, 0.2, 0.3, 0.4]))


def test_bias_add_nchw():
    v = np.arange(24, dtype=np.float64).reshape(2, 3, 2, 2)
    b = np.array([10.0, 20.0, 30.0])
    y = tf.nn.bias_add(v, b, data_format="NCHW")
    np.testing.assert_allclose(run(y), v + b.reshape(3, 1, 1))
    check_gradients(lambda a, c: tf.nn.bias_add(a, c, data_format="NCHW"), v, b)


def test_bias_add_gradient_is_one_bias_add_grad_op_as_in_tf():
    # TF 2.21 compat.v1: tf.gradients(tf.nn.bias_add(x, b), b) -> 'gradients/BiasAdd_grad/BiasAddGrad:0'
    x = tf.placeholder(tf.float32, [None, 4])
    b = tf.constant([1.0, 2.0, 3.0, 4.0])
    gb = tf.gradients(tf.nn.bias_add(x, b), b)[0]
    assert gb.name == "gradients/BiasAdd_grad/BiasAddGrad:0" and gb.shape.as_list() == [4]
    assert gb.op.get_attr("data_format") == "NHWC"
    np.testing.assert_array_equal(run(gb, {x: X}), [2.0, 2.0, 2.0, 2.0])
    # the rank may be unknown while building: the kernel sums over whatever leading axes come;
    # the gradient gets the bias's shape, as tf.gradients sets it (TF 2.21: shape=(4,))
    u = tf.placeholder(tf.float32)
    gu = tf.gradients(tf.nn.bias_add(u, b, data_format="NCHW"), b)[0]
    assert gu.name == "gradients_1/BiasAdd_1_grad/BiasAddGrad:0" and gu.shape.as_list() == [4]
    np.testing.assert_array_equal(run(gu, {u: np.ones((2, 4, 3, 5))}), [30.0] * 4)


@pytest.mark.parametrize("data_format, shape", [("NHWC", (2, 3, 4)), ("NCHW", (2, 4, 3, 2))])
def test_bias_add_grad_has_a_gradient(data_format, shape):
    """Second order: the bias gradient, as a function of the input, differentiated again."""
    v = np.random.RandomState(5).randn(*shape)
    b = np.array([0.1, 0.2, 0.3, 0.4])

    def bias_grad(a, c):
        y = tf.nn.bias_add(a * a, c, data_format=data_format)
        return tf.gradients(tf.reduce_sum(y * y), c)[0]
    check_gradients(bias_grad, v, b)


def test_bias_add_of_unknown_rank_checks_the_rank_when_run():
    v = tf.placeholder(tf.float32, None)
    b = tf.constant([1.0, 2.0, 3.0])
    y = tf.nn.bias_add(v, b, data_format="NCHW")
    (gb,) = tf.gradients(y, b)
    for fetch in (y, gb):
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"Input tensor must be at least 2D: \[3\]"):
            run(fetch, {v: [1.0, 1.0, 1.0]})
    np.testing.assert_array_equal(run(gb, {v: np.ones((2, 3))}), [2.0, 2.0, 2.0])


def test_bias_add_shape_errors():
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 4 and 3 for 'BiasAdd'"):
        tf.nn.bias_add(tf.constant(X), tf.constant([1.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match="Shape must be rank 1 but is rank 2"):
        tf.nn.bias_add(tf.constant(X), tf.constant([[1.0, 2.0, 3.0, 4.0]]))
    with pytest.raises(ValueError, match="Shape must be at least rank 2 but is rank 1"):
        tf.nn.bias_add(tf.constant([1.0, 2.0]), tf.constant([1.0, 2.0]))


# --------------------------------------------------------------------------------------------
# dropout
# --------------------------------------------------------------------------------------------
def test_dropout_scales_kept_values_and_drops_about_rate():
    x = tf.ones([200, 50])
    y = tf.nn.dropout(x, keep_prob=0.5)
    assert y.name == "dropout/mul_1:0" and y.shape.as_list() == [200, 50]
    value = run(y)
    assert set(np.unique(value)) <= {0.0, 2.0}
    assert 0.45 < (value == 0).mean() < 0.55
    assert abs(value.mean() - 1.0) < 0.1
    value = run(tf.nn.dropout(x, rate=0.25))
    np.testing.assert_allclose(np.unique(value), [0.0, 1 / 0.75], rtol=1e-6)
    assert 0.2 < (value == 0).mean() < 0.3


def test_dropout_new_mask_each_run_and_gradient_uses_mask():
    x = tf.ones([100])
    y = tf.nn.dropout(x, keep_prob=0.5)
    (g,) = tf.gradients(y, x)
    sess = tf.Session()
    a, b = sess.run(y), sess.run(y)
    assert not np.array_equal(a, b)
    value, grad = sess.run([y, g])
    np.testing.assert_array_equal(value, grad)           # d(x * mask * 2)/dx = mask * 2


def test_dropout_keep_prob_placeholder_and_keep_prob_one():
    x = tf.ones([1000])
    keep = tf.placeholder(tf.float32, [])
    value = run(tf.nn.dropout(x, keep_prob=keep), {keep: 0.8})
    np.testing.assert_allclose(np.unique(value), [0.0, 1.25], rtol=1e-6)
    assert tf.nn.dropout(x, keep_prob=1.0) is x


def test_dropout_noise_shape_drops_whole_rows():
    for noise_shape in ([50, 1], [None, 1]):
        value = run(tf.nn.dropout(tf.ones([50, 4]), keep_prob=0.5, noise_shape=noise_shape))
        assert np.all((value == 0).all(axis=1) | (value == 2).all(axis=1))
        assert 0 < (value == 0).mean() < 1


def test_dropout_errors():
    x = tf.ones([3])
    with pytest.raises(ValueError, match="You must provide a rate to dropout."):
        tf.nn.dropout(x)
    with pytest.raises(ValueError, match=r"rate must be a scalar tensor or a float in the range \[0, 1\), got 1"):
        tf.nn.dropout(x, rate=1.0)
    with pytest.raises(ValueError, match="x has to be a floating point tensor"):
        tf.nn.dropout(tf.constant([1, 2]), keep_prob=0.5)


# --------------------------------------------------------------------------------------------
# embedding_lookup, moments
# --------------------------------------------------------------------------------------------
def test_embedding_lookup_values_name_and_gradient():
    params = np.arange(12, dtype=np.float32).reshape(4, 3)
    p = tf.constant(params)
    y = tf.nn.embedding_lookup(p, [[0, 2], [3, 0]])
    assert y.name == "embedding_lookup/Identity:0"
    assert y.shape.as_list() == [2, 2, 3]
    np.testing.assert_array_equal(run(y), params[[[0, 2], [3, 0]]])
    np.testing.assert_array_equal(run(tf.gradients(y, p)[0]), [[2, 2, 2], [0, 0, 0], [1, 1, 1], [1, 1, 1]])


def test_moments_values_names_and_gradients():
    x = np.random.RandomState(5).randn(4, 3).astype(np.float32)
    mean, variance = tf.nn.moments(tf.constant(x), axes=[0])
    assert mean.name == "moments/Squeeze:0" and variance.name == "moments/Squeeze_1:0"
    assert mean.shape.as_list() == [3] and variance.shape.as_list() == [3]
    m, v = run([mean, variance])
    np.testing.assert_allclose(m, x.mean(0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(v, x.var(0), rtol=1e-5)
    mk, vk = tf.nn.moments(tf.constant(x), axes=[0, 1], keepdims=True)
    assert mk.shape.as_list() == [1, 1]
    np.testing.assert_allclose(run(vk), [[x.var()]], rtol=1e-5)
    check_gradients(lambda a: tf.nn.moments(a, [0])[1], X64)
    check_gradients(lambda a: tf.nn.moments(a, [1])[0], X64)


# --------------------------------------------------------------------------------------------
# Golden values from TensorFlow (values and gradients of reduce_sum(output))
# --------------------------------------------------------------------------------------------
def value_and_grads(y, *xs):
    return run((y, tf.gradients(tf.reduce_sum(y), list(xs))))


def test_golden_softmax_cross_entropy_v2():
    # golden value from TensorFlow 2.21 (tf.compat.v1)
    labels = tf.constant([[0., 1., 0.], [0.3, 0.3, 0.4]])
    logits = tf.constant([[1000., -1000., 0.], [1., 2., 3.]])
    out = tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)
    assert out.name == "softmax_cross_entropy_with_logits/Reshape_2:0"
    value, (g_logits, g_labels) = value_and_grads(out, logits, labels)
    np.testing.assert_allclose(value, [2000.0, 1.3076059818267822], rtol=1e-6)
    np.testing.assert_allclose(g_logits, [[1.0, -1.0, 0.0],
                                          [-0.2099694311618805, -0.055271536111831665, 0.26524093747138977]],
                               rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(g_labels, [[-0.0, 2000.0, 1000.0],
                                          [2.4076058864593506, 1.4076058864593506, 0.40760594606399536]], rtol=1e-6)


def test_golden_sparse_softmax_cross_entropy():
    # golden value from TensorFlow 2.21 (tf.compat.v1)
    logits = tf.constant([[1000., -1000., 0.], [1., 2., 3.]])
    out = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.constant([2, 0]), logits=logits)
    assert out.name == "SparseSoftmaxCrossEntropyWithLogits/SparseSoftmaxCrossEntropyWithLogits:0"
    value, (g,) = value_and_grads(out, logits)
    np.testing.assert_allclose(value, [1000.0, 2.4076058864593506], rtol=1e-6)
    np.testing.assert_allclose(g, [[1.0, 0.0, -1.0], [-0.9099694490432739, 0.2447284758090973, 0.6652409434318542]],
                               rtol=1e-5, atol=1e-7)


def test_golden_sigmoid_cross_entropy():
    # golden value from TensorFlow 2.21 (tf.compat.v1)
    labels = tf.constant([0., 1., 1., 0.])
    logits = tf.constant([1000., -1000., 0.5, -2.])
    out = tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
    assert out.name == "logistic_loss:0"
    value, (g_logits, g_labels) = value_and_grads(out, logits, labels)
    np.testing.assert_allclose(value, [1000.0, 1000.0, 0.4740769863128662, 0.12692800164222717], rtol=1e-6)
    np.testing.assert_allclose(g_logits, [1.0, -1.0, -0.3775407075881958, 0.11920291185379028], rtol=1e-6)
    np.testing.assert_allclose(g_labels, [-1000.0, 1000.0, -0.5, 2.0], rtol=1e-6)


def test_golden_softmax_and_log_softmax():
    # golden value from TensorFlow 2.21 (tf.compat.v1)
    x = tf.constant([[1000., -1000., 0.], [1., 2., 3.]])
    value, (g,) = value_and_grads(tf.nn.softmax(x), x)
    np.testing.assert_allclose(value, [[1.0, 0.0, 0.0], [0.09003057330846786, 0.2447284758090973, 0.6652409434318542]],
                               rtol=1e-6)
    np.testing.assert_allclose(g, np.zeros((2, 3)), atol=1e-7)
    value, (g,) = value_and_grads(tf.nn.log_softmax(x), x)
    np.testing.assert_allclose(value, [[0.0, -2000.0, -1000.0],
                                       [-2.4076058864593506, -1.4076058864593506, -0.40760594606399536]], rtol=1e-6)
    np.testing.assert_allclose(g, [[-2.0, 1.0, 1.0], [0.7299082279205322, 0.26581454277038574, -0.995722770690918]],
                               rtol=1e-5)


# golden value from TensorFlow 2.21 (tf.compat.v1): x = [-1000, -2, -0.5, 0, 0.5, 2, 1000]
GOLDEN_ACTIVATIONS = {
    "relu6": ([0.0, 0.0, 0.0, 0.0, 0.5, 2.0, 6.0], [0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 0.0]),
    "leaky_relu": ([-200.0, -0.4000000059604645, -0.10000000149011612, 0.0, 0.5, 2.0, 1000.0],
                   [0.20000000298023224] * 4 + [1.0, 1.0, 1.0]),
    "elu": ([-1.0, -0.8646647334098816, -0.39346933364868164, 0.0, 0.5, 2.0, 1000.0],
            [0.0, 0.1353352665901184, 0.6065306663513184, 1.0, 1.0, 1.0, 1.0]),
    "selu": ([-1.7580993175506592, -1.5201665163040161, -0.6917581558227539, 0.0, 0.5253505110740662,
              2.1014020442962646, 1050.7010498046875],
             [0.0, 0.23793280124664307, 1.0663411617279053] + [1.0507010221481323] * 4),
    "softplus": ([0.0, 0.12692800164222717, 0.4740769863128662, 0.6931471824645996, 0.9740769863128662,
                  2.1269280910491943, 1000.0],
                 [0.0, 0.11920291930437088, 0.3775406777858734, 0.5, 0.622459352016449, 0.8807970881462097, 1.0]),
    "relu": ([0.0, 0.0, 0.0, 0.0, 0.5, 2.0, 1000.0], [0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0]),
    "sigmoid": ([0.0, 0.11920291930437088, 0.3775406777858734, 0.5, 0.622459352016449, 0.8807970881462097, 1.0],
                [0.0, 0.10499358177185059, 0.23500370979309082, 0.25, 0.23500370979309082, 0.10499357432126999,
                 0.0]),
    "tanh": ([-1.0, -0.9640275835990906, -0.46211713552474976, 0.0, 0.46211713552474976, 0.9640275835990906, 1.0],
             [0.0, 0.07065081596374512, 0.7864477634429932, 1.0, 0.7864477634429932, 0.07065081596374512, 0.0]),
    "softsign": ([-0.9990010261535645, -0.6666666865348816, -0.3333333432674408, 0.0, 0.3333333432674408,
                  0.6666666865348816, 0.9990010261535645],
                 [9.980029744838248e-07, 0.1111111119389534, 0.4444444477558136, 1.0, 0.4444444477558136,
                  0.1111111119389534, 9.980029744838248e-07]),
}


@pytest.mark.parametrize("name", sorted(GOLDEN_ACTIVATIONS))
def test_golden_activations(name):
    x = tf.constant([-1000., -2., -0.5, 0., 0.5, 2., 1000.])
    y = getattr(tf.nn, name)(x)
    value, (g,) = value_and_grads(y, x)
    expected_value, expected_grad = GOLDEN_ACTIVATIONS[name]
    np.testing.assert_allclose(value, expected_value, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(g, expected_grad, rtol=1e-5, atol=1e-7)


def test_golden_moments_and_l2_loss():
    # golden value from TensorFlow 2.21 (tf.compat.v1)
    data = [[1., 2.], [3., 5.], [4., 9.]]
    mean, variance = tf.nn.moments(tf.constant(data), axes=[0])
    mk, vk = tf.nn.moments(tf.constant(data), axes=[0], keep_dims=True)
    x = tf.constant([1., 2., 3.])
    l2 = tf.nn.l2_loss(x)
    assert [mean.name, variance.name, l2.name] == ["moments/Squeeze:0", "moments/Squeeze_1:0", "L2Loss:0"]
    m, v, l, a, b, g = run((mean, variance, l2, mk, vk, tf.gradients(l2, x)[0]))
    np.testing.assert_allclose(m, [2.6666667461395264, 5.333333492279053], rtol=1e-6)
    np.testing.assert_allclose(v, [1.5555557012557983, 8.222222328186035], rtol=1e-6)
    np.testing.assert_allclose(a, [[2.6666667461395264, 5.333333492279053]], rtol=1e-6)
    np.testing.assert_allclose(b, [[1.5555557012557983, 8.222222328186035]], rtol=1e-6)
    assert l == 7.0
    np.testing.assert_array_equal(g, [1.0, 2.0, 3.0])


@pytest.mark.parametrize("fn, arg", [
    (tf.nn.softmax, "logits"), (tf.nn.log_softmax, "logits"), (tf.nn.elu, "features"),
    (tf.nn.selu, "features"), (tf.nn.softplus, "features"), (tf.nn.softsign, "features"),
    (tf.nn.l2_loss, "t")])
def test_float_only_ops_refuse_ints_like_tf1(fn, arg):
    # numpy would compute in float64 while the graph promised int32
    with pytest.raises(TypeError) as e:
        fn(tf.constant([[1, 2], [3, 4]]))
    assert str(e.value).startswith("Value passed to parameter '%s' has DataType int32 not in list" % arg)
    assert "Fix:" in str(e.value)


def test_softmax_on_another_axis_refuses_ints_before_adding_ops():
    logits = tf.constant([[1, 2], [3, 4]])
    n_ops = len(tf.get_default_graph().get_operations())
    with pytest.raises(TypeError):
        tf.nn.softmax(logits, axis=0)
    assert len(tf.get_default_graph().get_operations()) == n_ops


def test_cross_entropies_refuse_integer_logits():
    logits = tf.constant([[1, 2], [3, 4]])
    with pytest.raises(TypeError, match="parameter 'features' has DataType int32"):
        tf.nn.softmax_cross_entropy_with_logits_v2(labels=[[0, 1], [1, 0]], logits=logits)
    with pytest.raises(TypeError, match="parameter 'features' has DataType int32"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[1, 0], logits=logits)

"""tf.losses: every loss and reduction, names, the LOSSES collection (as in TensorFlow 1.15)."""
import numpy as np
import pytest

import tinyflow as tf


def run(fetches, feed_dict=None):
    return tf.Session().run(fetches, feed_dict)


LABELS = [[1.0], [2.0]]
PREDS = [[2.0], [4.0]]           # elementwise squared errors [1, 4]
R = tf.losses.Reduction


# --------------------------------------------------------------------------------------------
# mean_squared_error: the numbers and names seen in TF 1.15
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs,expected", [
    ({}, 2.5),
    ({"weights": 2.0}, 5.0),
    ({"weights": 0.0}, 0.0),
    ({"weights": [[1.0], [0.0]]}, 1.0),
    ({"weights": [[2.0], [0.0]]}, 2.0),
    ({"reduction": R.SUM}, 5.0),
    ({"weights": [[2.0], [0.0]], "reduction": R.MEAN}, 1.0),
    ({"reduction": R.SUM_OVER_BATCH_SIZE}, 2.5),
    ({"weights": [[2.0], [0.0]], "reduction": R.SUM_OVER_BATCH_SIZE}, 1.0),
    ({"weights": 0.0, "reduction": R.MEAN}, 0.0),
])
def test_mean_squared_error_values(kwargs, expected):
    loss = tf.losses.mean_squared_error(LABELS, PREDS, **kwargs)
    assert loss.shape.as_list() == [] and loss.dtype == tf.float32
    assert run(loss) == pytest.approx(expected)


def test_mean_squared_error_reduction_none():
    loss = tf.losses.mean_squared_error(LABELS, PREDS, reduction=R.NONE)
    assert loss.shape.as_list() == [2, 1]
    np.testing.assert_array_equal(run(loss), [[1.0], [4.0]])


def test_mean_squared_error_casts_int_inputs():
    loss = tf.losses.mean_squared_error(tf.constant([[1], [2]]), tf.constant([[2], [4]]))
    assert loss.dtype == tf.float32 and run(loss) == 2.5


def test_mean_squared_error_names():
    loss = tf.losses.mean_squared_error(LABELS, PREDS)
    assert str(loss) == 'Tensor("mean_squared_error/value:0", shape=(), dtype=float32)'
    g = tf.get_default_graph()
    assert g.get_operation_by_name("mean_squared_error/SquaredDifference").type == "SquaredDifference"
    assert tf.losses.mean_squared_error(LABELS, PREDS).name == "mean_squared_error_1/value:0"
    assert tf.losses.mean_squared_error(LABELS, PREDS, scope="foo").name == "foo/value:0"


def test_mean_squared_error_none_arguments():
    with pytest.raises(ValueError, match="^labels must not be None.$"):
        tf.losses.mean_squared_error(None, PREDS)
    with pytest.raises(ValueError, match="^predictions must not be None.$"):
        tf.losses.mean_squared_error(LABELS, None)


def test_mean_squared_error_shapes_must_match_even_if_broadcastable():
    with pytest.raises(ValueError, match=r"^Shapes \(2, 1\) and \(2,\) are incompatible$"):
        tf.losses.mean_squared_error(labels=[1.0, 2.0], predictions=PREDS)
    with pytest.raises(ValueError, match=r"^Shapes \(2, 1\) and \(1, 2\) are incompatible$"):
        tf.losses.mean_squared_error(labels=[[1.0, 2.0]], predictions=PREDS)


def test_mean_squared_error_with_placeholders_and_gradient():
    y = tf.placeholder(tf.float32, [None, 1])
    p = tf.placeholder(tf.float32, [None, 1])
    loss = tf.losses.mean_squared_error(y, p)
    (gp,) = tf.gradients(loss, p)
    value, grad = run([loss, gp], {y: LABELS, p: PREDS})
    assert value == 2.5
    np.testing.assert_allclose(grad, [[1.0], [2.0]])       # 2 (p - y) / 2


# --------------------------------------------------------------------------------------------
# compute_weighted_loss and Reduction
# --------------------------------------------------------------------------------------------
def test_reduction_keys():
    assert R.all() == ("none", "weighted_sum", "weighted_mean", "weighted_sum_over_batch_size",
                       "weighted_sum_by_nonzero_weights", "weighted_sum_by_nonzero_weights")
    assert R.SUM_OVER_NONZERO_WEIGHTS == R.SUM_BY_NONZERO_WEIGHTS
    with pytest.raises(ValueError, match="Invalid ReductionKey mean."):
        tf.losses.compute_weighted_loss([1.0, 2.0], reduction="mean")


def test_compute_weighted_loss_every_reduction():
    losses = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=np.float32)
    weights = np.array([[0.0], [2.0]], dtype=np.float32)   # broadcast along the rows
    expected = {
        R.SUM: 30.0,                  # 2 * (4 + 5 + 6)
        R.MEAN: 30.0 / 6.0,           # / sum of the broadcast weights (0 0 0 2 2 2)
        R.SUM_OVER_BATCH_SIZE: 5.0,   # / 6 elements
        R.SUM_BY_NONZERO_WEIGHTS: 10.0,   # / 3 elements with non-zero weight
    }
    for reduction, value in expected.items():
        loss = tf.losses.compute_weighted_loss(losses, weights, reduction=reduction)
        assert run(loss) == pytest.approx(value), reduction
    none = tf.losses.compute_weighted_loss(losses, weights, reduction=R.NONE)
    np.testing.assert_array_equal(run(none), losses * weights)


def test_compute_weighted_loss_names_and_default_scope():
    loss = tf.losses.compute_weighted_loss([1.0, 3.0])
    assert loss.name == "weighted_loss/value:0" and run(loss) == 2.0
    assert tf.losses.compute_weighted_loss([1.0, 3.0], reduction=R.SUM).name == "weighted_loss_1/Sum:0"


def test_compute_weighted_loss_all_zero_weights_gives_zero_not_nan():
    for reduction in (R.MEAN, R.SUM_BY_NONZERO_WEIGHTS):
        loss = tf.losses.compute_weighted_loss([1.0, 3.0], [0.0, 0.0], reduction=reduction)
        assert run(loss) == 0.0


def test_weights_must_be_broadcastable_the_tf_way():
    with pytest.raises(ValueError, match=r"weights can not be broadcast to values. values.rank=2. "
                                         r"weights.rank=1. values.shape=\(2, 1\). weights.shape=\(2,\)."):
        tf.losses.mean_squared_error(LABELS, PREDS, weights=[1.0, 0.0])
    with pytest.raises(ValueError, match=r"weights can not be broadcast to values. Mismatch at dim 0. "
                                         r"values.shape=\[2, 1\] weights.shape=\[3, 1\]."):
        tf.losses.mean_squared_error(LABELS, PREDS, weights=[[1.0], [0.0], [1.0]])
    with pytest.raises(ValueError, match="None values not supported."):
        tf.losses.mean_squared_error(LABELS, PREDS, weights=None)


def test_weights_may_be_a_tensor():
    w = tf.placeholder(tf.float32, [2, 1])
    loss = tf.losses.mean_squared_error(LABELS, PREDS, weights=w)
    assert run(loss, {w: [[1.0], [0.0]]}) == 1.0
    assert run(loss, {w: [[1.0], [1.0]]}) == 2.5


# --------------------------------------------------------------------------------------------
# The LOSSES collection
# --------------------------------------------------------------------------------------------
def test_losses_collection_and_total_loss():
    a = tf.losses.mean_squared_error(LABELS, PREDS)                     # 2.5
    b = tf.losses.absolute_difference(LABELS, PREDS)                    # 1.5
    c = tf.losses.mean_squared_error(LABELS, PREDS, loss_collection=None)
    assert tf.losses.get_losses() == [a, b]
    assert tf.get_collection(tf.GraphKeys.LOSSES) == [a, b]
    assert c not in tf.losses.get_losses()
    assert tf.losses.get_losses(scope="absolute") == [b]
    reg = tf.constant(0.25, name="reg")
    tf.add_to_collection(tf.GraphKeys.REGULARIZATION_LOSSES, reg)
    assert tf.losses.get_regularization_losses() == [reg]
    total = tf.losses.get_total_loss()
    assert total.name == "total_loss:0"
    assert run(total) == pytest.approx(4.25)
    assert run(tf.losses.get_total_loss(add_regularization_losses=False, name="data_loss")) == 4.0
    assert run(tf.losses.get_regularization_loss()) == 0.25


def test_add_loss_and_custom_collection():
    loss = tf.constant(1.5)
    tf.losses.add_loss(loss)
    tf.losses.add_loss(loss, loss_collection="mine")
    assert tf.losses.get_losses() == [loss]
    assert tf.losses.get_losses(loss_collection="mine") == [loss]


def test_total_loss_without_losses_explains():
    with pytest.raises(ValueError, match="^inputs must be a list of at least one Tensor"):
        tf.losses.get_total_loss()
    assert run(tf.losses.get_regularization_loss()) == 0.0


# --------------------------------------------------------------------------------------------
# The other losses
# --------------------------------------------------------------------------------------------
def test_absolute_difference():
    loss = tf.losses.absolute_difference(LABELS, PREDS)
    assert loss.name == "absolute_difference/value:0"
    assert run(loss) == 1.5
    assert run(tf.losses.absolute_difference(LABELS, PREDS, weights=[[0.0], [1.0]])) == 2.0


def test_huber_loss():
    labels = np.array([0.0, 0.0, 0.0, 0.0], dtype=np.float32)
    preds = np.array([0.5, -0.5, 3.0, -2.0], dtype=np.float32)
    # |x| <= 1: 0.5 x^2;  |x| > 1: 0.5 + (|x| - 1)
    elementwise = [0.125, 0.125, 2.5, 1.5]
    loss = tf.losses.huber_loss(labels, preds)
    assert loss.name == "huber_loss/value:0"
    assert run(loss) == pytest.approx(np.mean(elementwise))
    # delta = 2: |x| <= 2: 0.5 x^2;  else 2 + 2 (|x| - 2)
    assert run(tf.losses.huber_loss(labels, preds, delta=2.0)) == pytest.approx(np.mean([0.125, 0.125, 4.0, 2.0]))
    p = tf.constant(preds)
    grad = run(tf.gradients(tf.losses.huber_loss(labels, p, reduction=R.SUM), p)[0])
    np.testing.assert_allclose(grad, [0.5, -0.5, 1.0, -1.0])


def test_log_loss():
    labels = np.array([[1.0], [0.0], [1.0]], dtype=np.float32)
    preds = np.array([[0.9], [0.2], [0.6]], dtype=np.float32)
    eps = 1e-7
    expected = np.mean(-labels * np.log(preds + eps) - (1 - labels) * np.log(1 - preds + eps))
    loss = tf.losses.log_loss(labels, preds)
    assert loss.name == "log_loss/value:0"
    assert run(loss) == pytest.approx(expected, rel=1e-6)
    assert np.isfinite(run(tf.losses.log_loss([1.0, 0.0], [0.0, 1.0])))     # epsilon avoids log(0)


def test_hinge_loss():
    labels = np.array([1.0, 0.0, 1.0, 0.0], dtype=np.float32)
    logits = np.array([2.0, -3.0, 0.5, 0.5], dtype=np.float32)
    # y = +-1: max(0, 1 - y * logit) -> [0, 0, 0.5, 1.5]
    loss = tf.losses.hinge_loss(labels, logits)
    assert loss.name == "hinge_loss/value:0"
    assert run(loss) == pytest.approx(0.5)
    np.testing.assert_allclose(run(tf.losses.hinge_loss(labels, logits, reduction=R.NONE)), [0, 0, 0.5, 1.5])


def np_sigmoid_xent(z, x):
    return np.maximum(x, 0) - x * z + np.log1p(np.exp(-np.abs(x)))


def test_sigmoid_cross_entropy():
    labels = np.array([[1, 0], [0, 1]], dtype=np.int32)
    logits = np.array([[2.0, -1.0], [0.5, 1000.0]], dtype=np.float32)
    loss = tf.losses.sigmoid_cross_entropy(labels, logits)
    assert loss.name == "sigmoid_cross_entropy_loss/value:0"
    assert tf.get_default_graph().get_operation_by_name("sigmoid_cross_entropy_loss/xentropy")
    assert run(loss) == pytest.approx(np.mean(np_sigmoid_xent(labels, logits.astype(np.float64))), rel=1e-6)
    smoothed = labels * 0.8 + 0.5 * 0.2
    loss = tf.losses.sigmoid_cross_entropy(labels, logits, label_smoothing=0.2)
    assert run(loss) == pytest.approx(np.mean(np_sigmoid_xent(smoothed, logits.astype(np.float64))), rel=1e-5)


def np_log_softmax(x):
    s = x - x.max(-1, keepdims=True)
    return s - np.log(np.exp(s).sum(-1, keepdims=True))


LOGITS = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0]], dtype=np.float32)
ONEHOT = np.array([[1, 0, 0], [0, 0, 1]], dtype=np.float32)


def test_softmax_cross_entropy():
    per_example = -(ONEHOT * np_log_softmax(LOGITS.astype(np.float64))).sum(-1)
    loss = tf.losses.softmax_cross_entropy(ONEHOT, LOGITS)
    assert loss.name == "softmax_cross_entropy_loss/value:0"
    assert run(loss) == pytest.approx(per_example.mean(), rel=1e-6)
    weighted = tf.losses.softmax_cross_entropy(ONEHOT, LOGITS, weights=[0.0, 3.0])
    assert run(weighted) == pytest.approx(3.0 * per_example[1], rel=1e-6)
    smooth = ONEHOT * 0.7 + 0.3 / 3
    smoothed = tf.losses.softmax_cross_entropy(ONEHOT, LOGITS, label_smoothing=0.3)
    assert run(smoothed) == pytest.approx(-(smooth * np_log_softmax(LOGITS)).sum(-1).mean(), rel=1e-5)


def test_softmax_cross_entropy_stops_gradient_into_labels():
    labels, logits = tf.constant(ONEHOT), tf.constant(LOGITS)
    loss = tf.losses.softmax_cross_entropy(labels, logits)
    g_labels, g_logits = tf.gradients(loss, [labels, logits])
    assert g_labels is None
    p = np.exp(np_log_softmax(LOGITS))
    np.testing.assert_allclose(run(g_logits), (p - ONEHOT) / 2, rtol=1e-5, atol=1e-7)


def test_sparse_softmax_cross_entropy():
    per_example = -np_log_softmax(LOGITS.astype(np.float64))[[0, 1], [0, 2]]
    loss = tf.losses.sparse_softmax_cross_entropy([0, 2], LOGITS)
    assert loss.name == "sparse_softmax_cross_entropy_loss/value:0"
    xent = tf.get_default_graph().get_operation_by_name("sparse_softmax_cross_entropy_loss/xentropy/xentropy")
    assert xent.type == "SparseSoftmaxCrossEntropyWithLogits"
    assert run(loss) == pytest.approx(per_example.mean(), rel=1e-6)
    # labels of shape [batch, 1] are squeezed; so are weights of shape [batch, 1]
    squeezed = tf.losses.sparse_softmax_cross_entropy([[0], [2]], LOGITS, weights=[[1.0], [0.0]])
    assert run(squeezed) == pytest.approx(per_example[0], rel=1e-6)


def test_losses_check_for_none():
    with pytest.raises(ValueError, match="logits must not be None."):
        tf.losses.hinge_loss([1.0], None)
    with pytest.raises(ValueError, match="multi_class_labels must not be None."):
        tf.losses.sigmoid_cross_entropy(None, [1.0])
    with pytest.raises(ValueError, match="onehot_labels must not be None."):
        tf.losses.softmax_cross_entropy(None, [[1.0]])


# --------------------------------------------------------------------------------------------
# Golden values from TensorFlow: every loss in one graph
# --------------------------------------------------------------------------------------------
def build_all_losses(include_none):
    lab = tf.constant([[1.], [2.], [3.]])
    pred = tf.constant([[2.], [4.], [3.5]])
    wts = tf.constant([[1.], [0.], [2.]])
    L = {}
    L["mse_default"] = tf.losses.mean_squared_error(labels=lab, predictions=pred)
    L["mse_weights_1_0_2"] = tf.losses.mean_squared_error(labels=lab, predictions=pred, weights=wts)
    L["mse_weights2_SUM"] = tf.losses.mean_squared_error(labels=lab, predictions=pred, weights=2.0,
                                                         reduction=R.SUM)
    if include_none:
        L["mse_NONE"] = tf.losses.mean_squared_error(labels=lab, predictions=pred, reduction=R.NONE)
    L["mse_MEAN_weights_1_0_2"] = tf.losses.mean_squared_error(labels=lab, predictions=pred, weights=wts,
                                                               reduction=R.MEAN)
    L["mse_SUM_OVER_BATCH_SIZE_weights_1_0_2"] = tf.losses.mean_squared_error(
        labels=lab, predictions=pred, weights=wts, reduction=R.SUM_OVER_BATCH_SIZE)
    L["absolute_difference"] = tf.losses.absolute_difference(labels=lab, predictions=pred)
    L["huber_loss"] = tf.losses.huber_loss(labels=tf.constant([[0.], [1.], [5.]]),
                                           predictions=tf.constant([[0.5], [3.], [1.]]), delta=1.0)
    L["log_loss"] = tf.losses.log_loss(labels=tf.constant([[0.], [1.], [1.]]),
                                       predictions=tf.constant([[0.1], [0.8], [0.3]]))
    L["hinge_loss"] = tf.losses.hinge_loss(labels=tf.constant([[0.], [1.], [1.]]),
                                           logits=tf.constant([[0.3], [-0.5], [2.0]]))
    mcl = tf.constant([[0., 1.], [1., 0.]])
    sl = tf.constant([[1., -2.], [0.5, 3.]])
    L["sigmoid_cross_entropy"] = tf.losses.sigmoid_cross_entropy(multi_class_labels=mcl, logits=sl)
    L["sigmoid_cross_entropy_ls0.1"] = tf.losses.sigmoid_cross_entropy(multi_class_labels=mcl, logits=sl,
                                                                        label_smoothing=0.1)
    oh = tf.constant([[0., 1., 0.], [1., 0., 0.]])
    lg = tf.constant([[1., 2., 3.], [1., -1., 0.]])
    L["softmax_cross_entropy"] = tf.losses.softmax_cross_entropy(onehot_labels=oh, logits=lg)
    L["softmax_cross_entropy_ls0.1"] = tf.losses.softmax_cross_entropy(onehot_labels=oh, logits=lg,
                                                                        label_smoothing=0.1)
    L["sparse_softmax_cross_entropy"] = tf.losses.sparse_softmax_cross_entropy(labels=tf.constant([1, 0]),
                                                                               logits=lg)
    return L


# golden value from TensorFlow 2.21 (tf.compat.v1)
GOLDEN_LOSS_VALUES = {
    "mse_default": 1.75,
    "mse_weights_1_0_2": 0.75,
    "mse_weights2_SUM": 10.5,
    "mse_NONE": [[1.0], [4.0], [0.25]],
    "mse_MEAN_weights_1_0_2": 0.5,
    "mse_SUM_OVER_BATCH_SIZE_weights_1_0_2": 0.5,
    "absolute_difference": 1.1666666269302368,
    "huber_loss": 1.7083333730697632,
    "log_loss": 0.5108253955841064,
    "hinge_loss": 0.9333333373069763,
    "sigmoid_cross_entropy": 1.7407135963439941,
    "sigmoid_cross_entropy_ls0.1": 1.6719634532928467,
    "softmax_cross_entropy": 0.9076059460639954,
    "softmax_cross_entropy_ls0.1": 0.9576059579849243,
    "sparse_softmax_cross_entropy": 0.9076059460639954,
}

# golden value from TensorFlow 2.21 (tf.compat.v1)
GOLDEN_LOSS_NAMES = {
    "mse_default": "mean_squared_error/value:0",
    "mse_weights_1_0_2": "mean_squared_error_1/value:0",
    "mse_weights2_SUM": "mean_squared_error_2/Sum:0",
    "mse_NONE": "mean_squared_error_3/Mul:0",
    "mse_MEAN_weights_1_0_2": "mean_squared_error_4/value:0",
    "mse_SUM_OVER_BATCH_SIZE_weights_1_0_2": "mean_squared_error_5/value:0",
    "absolute_difference": "absolute_difference/value:0",
    "huber_loss": "huber_loss/value:0",
    "log_loss": "log_loss/value:0",
    "hinge_loss": "hinge_loss/value:0",
    "sigmoid_cross_entropy": "sigmoid_cross_entropy_loss/value:0",
    "sigmoid_cross_entropy_ls0.1": "sigmoid_cross_entropy_loss_1/value:0",
    "softmax_cross_entropy": "softmax_cross_entropy_loss/value:0",
    "softmax_cross_entropy_ls0.1": "softmax_cross_entropy_loss_1/value:0",
    "sparse_softmax_cross_entropy": "sparse_softmax_cross_entropy_loss/value:0",
}


def test_golden_all_losses_values_names_and_collection():
    L = build_all_losses(include_none=True)
    values = run(L)
    for key, expected in GOLDEN_LOSS_VALUES.items():
        np.testing.assert_allclose(values[key], expected, rtol=1e-6, err_msg=key)
        assert L[key].name == GOLDEN_LOSS_NAMES[key]
    assert L["mse_NONE"].shape.as_list() == [3, 1]
    assert [t.name for t in tf.losses.get_losses()] == list(GOLDEN_LOSS_NAMES.values())
    # golden value from TensorFlow 2.21 (tf.compat.v1): an unreduced loss in LOSSES breaks AddN
    # (TF names the ranks "2 and 0")
    with pytest.raises(ValueError, match="^Shapes must be equal rank, but are (2 and 0|0 and 2)"):
        tf.losses.get_total_loss()


def test_golden_total_loss():
    build_all_losses(include_none=False)
    total = tf.losses.get_total_loss()
    assert total.name == "total_loss:0"
    # golden value from TensorFlow 2.21 (tf.compat.v1)
    assert run(total) == pytest.approx(24.50465202331543, rel=1e-6)
    assert [t.name for t in tf.losses.get_losses()][3] == "mean_squared_error_3/value:0"

"""``tf.losses``: loss functions that reduce to one number and register it in a collection.

Every loss follows the same two steps (as in TensorFlow's ``losses_impl.py``):

1. compute an elementwise loss, e.g. ``(predictions - labels)^2`` for mean_squared_error;
2. :func:`compute_weighted_loss`: multiply by ``weights`` and reduce. The default reduction,
   ``SUM_BY_NONZERO_WEIGHTS``, divides the weighted sum by the number of elements whose weight
   is non-zero, so ``weights=0`` masks elements out of the average. Every division is a
   ``div_no_nan`` (0/0 gives 0), and the final op is named ``value``:
   ``Tensor("mean_squared_error/value:0", shape=(), dtype=float32)``.

The result is also added to the ``tf.GraphKeys.LOSSES`` collection, so that
``tf.losses.get_total_loss()`` can add up all the losses of a model.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .not_provided import module_getattr
from . import dtypes
from .framework import GraphKeys, Tensor, add_to_collection, convert_to_tensor, get_collection, name_scope
from .ops import (array_ops, comparison_ops, creation_ops, gather_ops, math_ops, nn_impl, nn_ops, reduction_ops,
                  softmax_ops, unary_ops)
from .ops.constant_op import constant
from .tensor_shape import TensorShape

__all__ = [
    "Reduction", "compute_weighted_loss", "absolute_difference", "huber_loss", "log_loss", "hinge_loss",
    "mean_squared_error", "sigmoid_cross_entropy", "softmax_cross_entropy", "sparse_softmax_cross_entropy",
    "add_loss", "get_losses", "get_regularization_losses", "get_regularization_loss", "get_total_loss",
]


class Reduction:
    """How :func:`compute_weighted_loss` turns the weighted elementwise losses into a result."""

    NONE = "none"                                    # no reduction: elementwise weighted losses
    SUM = "weighted_sum"                             # sum(losses * weights)
    MEAN = "weighted_mean"                           # SUM / sum(weights)
    SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"    # SUM / number of elements
    SUM_BY_NONZERO_WEIGHTS = "weighted_sum_by_nonzero_weights"  # SUM / number of non-zero weights
    SUM_OVER_NONZERO_WEIGHTS = SUM_BY_NONZERO_WEIGHTS

    @classmethod
    def all(cls) -> tuple:
        return (cls.NONE, cls.SUM, cls.MEAN, cls.SUM_OVER_BATCH_SIZE, cls.SUM_OVER_NONZERO_WEIGHTS,
                cls.SUM_BY_NONZERO_WEIGHTS)

    @classmethod
    def validate(cls, key: str) -> None:
        if key not in cls.all():
            raise ValueError("Invalid ReductionKey %s." % key)


# --------------------------------------------------------------------------------------------
# The LOSSES collection
# --------------------------------------------------------------------------------------------
def add_loss(loss: Tensor, loss_collection: str = GraphKeys.LOSSES) -> None:
    """Adds ``loss`` to the collection ``loss_collection`` (nothing happens if it is falsy)."""
    if loss_collection:
        add_to_collection(loss_collection, loss)


def get_losses(scope: "str | None" = None, loss_collection: str = GraphKeys.LOSSES) -> list:
    """The losses added so far (those whose names start with ``scope``, if given)."""
    return get_collection(loss_collection, scope)


def get_regularization_losses(scope: "str | None" = None) -> list:
    """The losses in ``tf.GraphKeys.REGULARIZATION_LOSSES`` (e.g. from layer regularizers)."""
    return get_collection(GraphKeys.REGULARIZATION_LOSSES, scope)


def get_regularization_loss(scope: "str | None" = None, name: str = "total_regularization_loss") -> Tensor:
    """The sum of the regularization losses (the constant 0.0 if there are none)."""
    losses = get_regularization_losses(scope)
    if losses:
        return math_ops.add_n(losses, name=name)
    return constant(0.0)


def get_total_loss(add_regularization_losses: bool = True, name: str = "total_loss",
                   scope: "str | None" = None) -> Tensor:
    """The sum of all losses in the LOSSES collection, plus the regularization losses."""
    losses = get_losses(scope=scope)
    if add_regularization_losses:
        losses += get_regularization_losses(scope=scope)
    if not losses:
        raise ValueError("inputs must be a list of at least one Tensor/IndexedSlices with the same dtype and "
                         "shape\n(tinyflow: no losses to add up. tf.losses.get_total_loss() sums the LOSSES "
                         "collection, which is empty. Create a loss first, e.g. "
                         "tf.losses.mean_squared_error(labels, predictions), or add your own with "
                         "tf.losses.add_loss(loss).)")
    return math_ops.add_n(losses, name=name)


# --------------------------------------------------------------------------------------------
# Weighting and reduction
# --------------------------------------------------------------------------------------------
_BROADCAST_ERROR = "weights can not be broadcast to values."


def _static_shape(x: Any) -> TensorShape:
    return x.shape if isinstance(x, Tensor) else TensorShape(np.shape(x))


def _assert_broadcastable(weights: Any, values: Any) -> None:
    """TF's rule for weights: a scalar, or the same rank as the losses with each dim 1 or equal.

    (Looser than numpy broadcasting: weights of shape [2] do not fit losses of shape [2, 1].)
    Only static shapes are checked; with unknown shapes a mismatch fails when the graph runs.
    """
    w, v = _static_shape(weights), _static_shape(values)
    if w.ndims is None or v.ndims is None or w.ndims == 0:
        return
    if w.ndims != v.ndims:
        raise ValueError("%s values.rank=%s. weights.rank=%s. values.shape=%s. weights.shape=%s."
                         % (_BROADCAST_ERROR, v.ndims, w.ndims, v, w))
    if w.is_fully_defined() and v.is_fully_defined():
        for i, (dw, dv) in enumerate(zip(w.as_list(), v.as_list())):
            if dw not in (1, dv):
                raise ValueError("%s Mismatch at dim %s. values.shape=%s weights.shape=%s."
                                 % (_BROADCAST_ERROR, i, v.as_list(), w.as_list()))


def _broadcast_weights(weights: Tensor, values: Tensor) -> Tensor:
    """``weights`` repeated to the shape of ``values`` (``weights * ones_like(values)``)."""
    with name_scope(None, "broadcast_weights", (weights, values)) as scope:
        values = convert_to_tensor(values, name="values")
        weights = convert_to_tensor(weights, dtype=values.dtype.base_dtype, name="weights")
        if (weights.shape.is_fully_defined() and values.shape.is_fully_defined()
                and weights.shape.is_compatible_with(values.shape)):
            return weights
        _assert_broadcastable(weights, values)
        return math_ops.multiply(weights, creation_ops.ones_like(values), name=scope)


def _num_present(losses: Tensor, weights: Tensor) -> Tensor:
    """How many elements of ``losses`` have a non-zero (broadcast) weight."""
    with name_scope(None, "num_present", (losses, weights)) as scope:
        weights = unary_ops.cast(weights, dtypes.float32)
        present = gather_ops.where(comparison_ops.equal(weights, 0.0), creation_ops.zeros_like(weights),
                                  creation_ops.ones_like(weights))
        present = _broadcast_weights(present, losses)
        return reduction_ops.reduce_sum(present, name=scope)


def _num_elements(losses: Tensor) -> Tensor:
    """The number of elements of ``losses``, as a float."""
    with name_scope(None, "num_elements", [losses]) as scope:
        return unary_ops.cast(array_ops.size(losses, name=scope), losses.dtype)


def _safe_mean(losses: Tensor, num_present: Tensor) -> Tensor:
    """``sum(losses) / num_present``, and 0 when ``num_present`` is 0 (the op named ``value``)."""
    total_loss = reduction_ops.reduce_sum(losses)
    return math_ops.div_no_nan(total_loss, num_present, name="value")


def compute_weighted_loss(losses: Any, weights: Any = 1.0, scope: "str | None" = None,
                          loss_collection: str = GraphKeys.LOSSES,
                          reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    """Multiplies ``losses`` by ``weights`` and reduces them as ``reduction`` says.

    Args:
        losses: elementwise losses, shape ``[batch, d1, ..., dN]``.
        weights: a scalar, or a tensor of the same rank as ``losses`` whose dims are 1 or equal.
        scope: name scope for the ops.
        loss_collection: the result is added to this collection.
        reduction: a :class:`Reduction` key.

    Returns:
        A float32 scalar (the elementwise weighted losses for ``Reduction.NONE``).
    """
    Reduction.validate(reduction)
    with name_scope(scope, "weighted_loss", (losses, weights)):
        _assert_broadcastable(weights, losses)
        losses = convert_to_tensor(losses)
        input_dtype = losses.dtype.base_dtype
        losses = unary_ops.cast(losses, dtypes.float32)
        weights = unary_ops.cast(weights, dtypes.float32)
        weighted_losses = math_ops.multiply(losses, weights)
        if reduction == Reduction.NONE:
            loss = weighted_losses
        else:
            loss = reduction_ops.reduce_sum(weighted_losses)
            if reduction == Reduction.MEAN:
                loss = _safe_mean(loss, reduction_ops.reduce_sum(creation_ops.ones_like(losses) * weights))
            elif reduction == Reduction.SUM_BY_NONZERO_WEIGHTS:
                loss = _safe_mean(loss, _num_present(losses, weights))
            elif reduction == Reduction.SUM_OVER_BATCH_SIZE:
                loss = _safe_mean(loss, _num_elements(losses))
        loss = unary_ops.cast(loss, input_dtype)        # back to the input type
        add_loss(loss, loss_collection)
        return loss


# --------------------------------------------------------------------------------------------
# Regression losses
# --------------------------------------------------------------------------------------------
def _check_not_none(**args: Any) -> None:
    for arg_name, value in args.items():
        if value is None:
            raise ValueError("%s must not be None." % arg_name)


def _float_pair(labels: Any, predictions: Any) -> "tuple[Tensor, Tensor]":
    """Both cast to float32, with TF1's strict shape check (no broadcasting: (2, 1) vs (2,) fails)."""
    predictions = unary_ops.cast(predictions, dtypes.float32)
    labels = unary_ops.cast(labels, dtypes.float32)
    predictions.shape.assert_is_compatible_with(labels.shape)
    return labels, predictions


def mean_squared_error(labels: Any, predictions: Any, weights: Any = 1.0, scope: "str | None" = None,
                       loss_collection: str = GraphKeys.LOSSES,
                       reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    """``(predictions - labels)^2``, weighted and reduced (by default: averaged)."""
    _check_not_none(labels=labels, predictions=predictions)
    with name_scope(scope, "mean_squared_error", (predictions, labels, weights)) as scope:
        labels, predictions = _float_pair(labels, predictions)
        losses = math_ops.squared_difference(predictions, labels)
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)


def absolute_difference(labels: Any, predictions: Any, weights: Any = 1.0, scope: "str | None" = None,
                        loss_collection: str = GraphKeys.LOSSES,
                        reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    """``|predictions - labels|``, weighted and reduced."""
    _check_not_none(labels=labels, predictions=predictions)
    with name_scope(scope, "absolute_difference", (predictions, labels, weights)) as scope:
        labels, predictions = _float_pair(labels, predictions)
        losses = unary_ops.abs(math_ops.subtract(predictions, labels))
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)


def huber_loss(labels: Any, predictions: Any, weights: Any = 1.0, delta: float = 1.0,
               scope: "str | None" = None, loss_collection: str = GraphKeys.LOSSES,
               reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    """Quadratic for small errors, linear for large ones (``d = delta``, ``x = predictions - labels``)::

        0.5 * x^2                  if |x| <= d
        0.5 * d^2 + d * (|x| - d)  if |x| > d
    """
    _check_not_none(labels=labels, predictions=predictions)
    with name_scope(scope, "huber_loss", (predictions, labels, weights)) as scope:
        labels, predictions = _float_pair(labels, predictions)
        error = math_ops.subtract(predictions, labels)
        abs_error = unary_ops.abs(error)
        quadratic = math_ops.minimum(abs_error, delta)
        # Equal to max(abs_error - delta, 0), but with gradient 0 (not 1) at abs_error == delta,
        # where the quadratic part already contributes.
        linear = math_ops.subtract(abs_error, quadratic)
        losses = math_ops.add(math_ops.multiply(convert_to_tensor(0.5, dtype=quadratic.dtype),
                                                math_ops.multiply(quadratic, quadratic)),
                              math_ops.multiply(delta, linear))
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)


def log_loss(labels: Any, predictions: Any, weights: Any = 1.0, epsilon: float = 1e-7,
             scope: "str | None" = None, loss_collection: str = GraphKeys.LOSSES,
             reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    """Binary cross-entropy of probabilities: ``-z*log(p + eps) - (1-z)*log(1 - p + eps)``."""
    _check_not_none(labels=labels, predictions=predictions)
    with name_scope(scope, "log_loss", (predictions, labels, weights)) as scope:
        labels, predictions = _float_pair(labels, predictions)
        losses = (-math_ops.multiply(labels, unary_ops.log(predictions + epsilon))
                  - math_ops.multiply((1 - labels), unary_ops.log(1 - predictions + epsilon)))
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)


def hinge_loss(labels: Any, logits: Any, weights: Any = 1.0, scope: "str | None" = None,
               loss_collection: str = GraphKeys.LOSSES,
               reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    """``max(0, 1 - y * logits)`` where labels 0/1 become ``y = -1/+1``."""
    _check_not_none(labels=labels, logits=logits)
    with name_scope(scope, "hinge_loss", (logits, labels, weights)) as scope:
        logits = unary_ops.cast(logits, dtypes.float32)
        labels = unary_ops.cast(labels, dtypes.float32)
        logits.shape.assert_is_compatible_with(labels.shape)
        all_ones = creation_ops.ones_like(labels)
        labels = math_ops.subtract(2 * labels, all_ones)             # {0, 1} -> {-1, 1}
        losses = nn_ops.relu(math_ops.subtract(all_ones, math_ops.multiply(labels, logits)))
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)


# --------------------------------------------------------------------------------------------
# Classification losses (cross-entropies of logits)
# --------------------------------------------------------------------------------------------
def sigmoid_cross_entropy(multi_class_labels: Any, logits: Any, weights: Any = 1.0, label_smoothing: float = 0,
                          scope: "str | None" = None, loss_collection: str = GraphKeys.LOSSES,
                          reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    """``tf.nn.sigmoid_cross_entropy_with_logits`` (independent yes/no labels), weighted and reduced.

    With ``label_smoothing`` s > 0 the labels move towards 1/2: ``z * (1 - s) + 0.5 * s``.
    """
    _check_not_none(multi_class_labels=multi_class_labels, logits=logits)
    with name_scope(scope, "sigmoid_cross_entropy_loss", (logits, multi_class_labels, weights)) as scope:
        logits = convert_to_tensor(logits)
        multi_class_labels = unary_ops.cast(multi_class_labels, logits.dtype)
        logits.shape.assert_is_compatible_with(multi_class_labels.shape)
        if label_smoothing > 0:
            multi_class_labels = multi_class_labels * (1 - label_smoothing) + 0.5 * label_smoothing
        losses = nn_impl.sigmoid_cross_entropy_with_logits(labels=multi_class_labels, logits=logits, name="xentropy")
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)


def softmax_cross_entropy(onehot_labels: Any, logits: Any, weights: Any = 1.0, label_smoothing: float = 0,
                          scope: "str | None" = None, loss_collection: str = GraphKeys.LOSSES,
                          reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    """``tf.nn.softmax_cross_entropy_with_logits_v2`` per example, weighted and reduced.

    ``weights`` is a scalar or one weight per example. No gradient flows into the labels. With
    ``label_smoothing`` s > 0 the labels move towards uniform: ``z * (1 - s) + s / num_classes``.
    """
    _check_not_none(onehot_labels=onehot_labels, logits=logits)
    with name_scope(scope, "softmax_cross_entropy_loss", (logits, onehot_labels, weights)) as scope:
        logits = convert_to_tensor(logits)
        onehot_labels = unary_ops.cast(onehot_labels, logits.dtype)
        logits.shape.assert_is_compatible_with(onehot_labels.shape)
        if label_smoothing > 0:
            num_classes = onehot_labels.shape[1].value
            if num_classes is None:
                num_classes = array_ops.shape(onehot_labels)[1]
            num_classes = unary_ops.cast(num_classes, logits.dtype)
            smooth_positives = 1.0 - label_smoothing
            smooth_negatives = label_smoothing / num_classes
            onehot_labels = onehot_labels * smooth_positives + smooth_negatives
        onehot_labels = array_ops.stop_gradient(onehot_labels, name="labels_stop_gradient")
        losses = softmax_ops.softmax_cross_entropy_with_logits_v2(labels=onehot_labels, logits=logits, name="xentropy")
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)


def _remove_squeezable_dimensions(labels: Any, logits: Any, weights: Any) -> tuple:
    """Sparse labels of shape [batch, 1] become [batch] (one rank less than the logits), and
    weights of shape [batch, 1] likewise."""
    labels, logits = convert_to_tensor(labels), convert_to_tensor(logits)
    labels_rank, logits_rank = labels.shape.ndims, logits.shape.ndims
    if labels_rank is not None and logits_rank is not None:
        if labels_rank == logits_rank and labels.shape[-1].is_compatible_with(1):
            labels = array_ops.squeeze(labels, [-1])
        elif logits_rank - labels_rank == 2 and logits.shape[-1].is_compatible_with(1):
            logits = array_ops.squeeze(logits, [-1])
    if weights is not None:
        weights = convert_to_tensor(weights)
        labels_rank, weights_rank = labels.shape.ndims, weights.shape.ndims
        if labels_rank is not None and weights_rank is not None and weights_rank - labels_rank == 1:
            weights = array_ops.squeeze(weights, [-1])
    return labels, logits, weights


def sparse_softmax_cross_entropy(labels: Any, logits: Any, weights: Any = 1.0, scope: "str | None" = None,
                                 loss_collection: str = GraphKeys.LOSSES,
                                 reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    """``tf.nn.sparse_softmax_cross_entropy_with_logits`` (labels are class indices), weighted and reduced."""
    _check_not_none(labels=labels, logits=logits)
    with name_scope(scope, "sparse_softmax_cross_entropy_loss", (logits, labels, weights)) as scope:
        labels, logits, weights = _remove_squeezable_dimensions(labels, logits, weights)
        losses = softmax_ops.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits, name="xentropy")
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)


def __dir__() -> "list[str]":
    """``dir(tf.losses)`` lists TensorFlow's names only (``__all__``)."""
    return list(__all__)


__getattr__ = module_getattr("tinyflow.losses", "losses", globals())
"""A TensorFlow name of ``tf.losses`` that tinyflow leaves out says so (``not_provided.py``)."""

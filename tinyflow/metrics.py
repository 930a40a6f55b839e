"""``tf.metrics``: running evaluation metrics, as TF1 programs compute accuracy over many batches::

    accuracy, update = tf.metrics.accuracy(labels, tf.argmax(logits, 1))
    sess.run(tf.local_variables_initializer())      # the metric's counters start at 0
    for batch in batches:
        sess.run(update, feed_dict=...)              # adds the batch to the counters
    print(sess.run(accuracy))                        # the accuracy over all of them

Each metric returns ``(value, update_op)``. Its counters are *local* variables (``total``,
``count``, ...) in ``tf.GraphKeys.LOCAL_VARIABLES`` and ``METRIC_VARIABLES``, named under the
metric's scope as TensorFlow names them (``accuracy/total:0``, ``accuracy/count:0``,
``precision/true_positives/count:0``), so ``tf.global_variables_initializer()`` leaves them
alone: run ``tf.local_variables_initializer()``. Fetching ``value`` and ``update_op`` in one
``sess.run`` reads the value before the update (as TF, whose order there is not defined).

TensorFlow's counterpart: ``python/ops/metrics_impl.py``.
"""
from __future__ import annotations

from typing import Any, Sequence

from . import dtypes
from .framework import GraphKeys, Tensor, add_to_collections, control_dependencies, convert_to_tensor
from .not_provided import module_getattr
from .ops import array_ops, comparison_ops, creation_ops, gather_ops, math_ops, reduction_ops, unary_ops
from .variable_scope import variable_scope
from .variables import Variable, assign_add

__all__ = ["accuracy", "mean", "mean_squared_error", "mean_absolute_error", "root_mean_squared_error",
           "true_positives", "false_positives", "true_negatives", "false_negatives", "precision", "recall"]


def _metric_variable(name: str) -> Variable:
    """A float32 scalar counter starting at 0, local (not saved, not trained)."""
    return Variable(lambda: creation_ops.zeros([], dtypes.float32), trainable=False, name=name,
                    collections=[GraphKeys.LOCAL_VARIABLES, GraphKeys.METRIC_VARIABLES])


def _squeezable(predictions: Tensor, labels: "Tensor | None") -> "tuple[Tensor, Tensor | None]":
    """TF's ``_remove_squeezable_dimensions``: a trailing size-1 axis that one has and the other not goes."""
    if labels is None:
        return predictions, labels
    p, lab = predictions.shape, labels.shape
    if p.ndims is not None and lab.ndims is not None:
        if p.ndims == lab.ndims + 1 and p[-1].value == 1:
            predictions = array_ops.squeeze(predictions, [-1])
        elif lab.ndims == p.ndims + 1 and lab[-1].value == 1:
            labels = array_ops.squeeze(labels, [-1])
    return predictions, labels


def _collect(value: Tensor, update: Tensor, metrics_collections: Any, updates_collections: Any) -> None:
    if metrics_collections:
        add_to_collections(metrics_collections, value)
    if updates_collections:
        add_to_collections(updates_collections, update)


def mean(values: Any, weights: Any = None, metrics_collections: "Sequence[str] | None" = None,
         updates_collections: "Sequence[str] | None" = None, name: "str | None" = None) -> "tuple[Tensor, Tensor]":
    """The (weighted) mean of all ``values`` seen by ``update_op`` so far: ``total / count``."""
    with variable_scope(name, "mean", [values, weights]):
        values = unary_ops.cast(convert_to_tensor(values), dtypes.float32)
        total = _metric_variable("total")
        count = _metric_variable("count")
        if weights is None:
            num_values = unary_ops.cast(array_ops.size(values), dtypes.float32)
        else:
            weights = unary_ops.cast(convert_to_tensor(weights), dtypes.float32) * creation_ops.ones_like(values)
            values = math_ops.multiply(values, weights)
            num_values = reduction_ops.reduce_sum(weights)
        update_total = assign_add(total, reduction_ops.reduce_sum(values))
        with control_dependencies([values]):
            update_count = assign_add(count, num_values)
        value = math_ops.div_no_nan(total, math_ops.maximum(count, 0.0), name="value")
        update = math_ops.div_no_nan(update_total, math_ops.maximum(update_count, 0.0), name="update_op")
    _collect(value, update, metrics_collections, updates_collections)
    return value, update


def _matching(labels: Any, predictions: Any) -> "tuple[Tensor, Tensor]":
    labels, predictions = convert_to_tensor(labels), convert_to_tensor(predictions)
    predictions, labels = _squeezable(predictions, labels)
    predictions.shape.assert_is_compatible_with(labels.shape)
    return labels, predictions


def accuracy(labels: Any, predictions: Any, weights: Any = None, metrics_collections: Any = None,
             updates_collections: Any = None, name: "str | None" = None) -> "tuple[Tensor, Tensor]":
    """How often ``predictions`` equals ``labels``: the mean of ``predictions == labels``."""
    labels, predictions = _matching(labels, predictions)
    if labels.dtype.base_dtype is not predictions.dtype.base_dtype:
        predictions = unary_ops.cast(predictions, labels.dtype.base_dtype)
    is_correct = unary_ops.cast(comparison_ops.equal(predictions, labels), dtypes.float32)
    return mean(is_correct, weights, metrics_collections, updates_collections, name or "accuracy")


def mean_squared_error(labels: Any, predictions: Any, weights: Any = None, metrics_collections: Any = None,
                       updates_collections: Any = None, name: "str | None" = None) -> "tuple[Tensor, Tensor]":
    """The mean of ``(labels - predictions)**2`` over everything seen."""
    labels, predictions = _matching(labels, predictions)
    return mean(math_ops.squared_difference(labels, predictions), weights, metrics_collections,
                updates_collections, name or "mean_squared_error")


def mean_absolute_error(labels: Any, predictions: Any, weights: Any = None, metrics_collections: Any = None,
                        updates_collections: Any = None, name: "str | None" = None) -> "tuple[Tensor, Tensor]":
    """The mean of ``|predictions - labels|`` over everything seen."""
    labels, predictions = _matching(labels, predictions)
    return mean(unary_ops.abs(predictions - labels), weights, metrics_collections, updates_collections,
                name or "mean_absolute_error")


def root_mean_squared_error(labels: Any, predictions: Any, weights: Any = None, metrics_collections: Any = None,
                            updates_collections: Any = None,
                            name: "str | None" = None) -> "tuple[Tensor, Tensor]":
    """The square root of the mean squared error over everything seen."""
    labels, predictions = _matching(labels, predictions)
    mse, update_mse = mean(math_ops.squared_difference(labels, predictions), weights, None, None,
                           name or "root_mean_squared_error")
    value, update = unary_ops.sqrt(mse), unary_ops.sqrt(update_mse)
    _collect(value, update, metrics_collections, updates_collections)
    return value, update


def _count_condition(condition: Tensor, weights: Any, metrics_collections: Any,
                     updates_collections: Any) -> "tuple[Tensor, Tensor]":
    count = _metric_variable("count")
    values = unary_ops.cast(condition, dtypes.float32)
    if weights is not None:
        values = math_ops.multiply(values, unary_ops.cast(convert_to_tensor(weights), dtypes.float32))
    value = array_ops.identity(count)
    update = assign_add(count, reduction_ops.reduce_sum(values))
    _collect(value, update, metrics_collections, updates_collections)
    return value, update


def _counter(default_name: str, want_label: bool, want_prediction: bool):
    def metric(labels: Any, predictions: Any, weights: Any = None, metrics_collections: Any = None,
               updates_collections: Any = None, name: "str | None" = None) -> "tuple[Tensor, Tensor]":
        with variable_scope(name, default_name, [predictions, labels, weights]):
            labels, predictions = _matching(unary_ops.cast(convert_to_tensor(labels), dtypes.bool),
                                            unary_ops.cast(convert_to_tensor(predictions), dtypes.bool))
            condition = comparison_ops.logical_and(comparison_ops.equal(labels, want_label),
                                                   comparison_ops.equal(predictions, want_prediction))
            return _count_condition(condition, weights, metrics_collections, updates_collections)
    metric.__name__ = default_name
    metric.__doc__ = "How many times (weighted) the label was %s and the prediction %s, over everything seen." \
        % (want_label, want_prediction)
    return metric


true_positives = _counter("true_positives", True, True)
false_positives = _counter("false_positives", False, True)
true_negatives = _counter("true_negatives", False, False)
false_negatives = _counter("false_negatives", True, False)


def _ratio(hits: Tensor, misses: Tensor, name: str) -> Tensor:
    """``hits / (hits + misses)``, 0 when both are 0."""
    total = hits + misses
    return gather_ops.where(comparison_ops.greater(total, 0.0), math_ops.divide(hits, total),
                            creation_ops.zeros_like(total), name=name)


def _rate(default_name: str, misses: Any):
    def metric(labels: Any, predictions: Any, weights: Any = None, metrics_collections: Any = None,
               updates_collections: Any = None, name: "str | None" = None) -> "tuple[Tensor, Tensor]":
        with variable_scope(name, default_name, [predictions, labels, weights]):
            labels, predictions = _matching(unary_ops.cast(convert_to_tensor(labels), dtypes.bool),
                                            unary_ops.cast(convert_to_tensor(predictions), dtypes.bool))
            hits, hits_update = true_positives(labels, predictions, weights)
            missed, missed_update = misses(labels, predictions, weights)
            value = _ratio(hits, missed, "value")
            update = _ratio(hits_update, missed_update, "update_op")
        _collect(value, update, metrics_collections, updates_collections)
        return value, update
    return metric


precision = _rate("precision", false_positives)
precision.__doc__ = "true_positives / (true_positives + false_positives) over everything seen (0 if none)."
recall = _rate("recall", false_negatives)
recall.__doc__ = "true_positives / (true_positives + false_negatives) over everything seen (0 if none)."


def __dir__() -> "list[str]":
    return list(__all__)


__getattr__ = module_getattr("tinyflow.metrics", "metrics", globals())
"""A TensorFlow name of ``tf.metrics`` that tinyflow leaves out says so (``not_provided.py``)."""


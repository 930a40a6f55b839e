"""``tf.nn.softmax``, ``tf.nn.log_softmax`` and the softmax cross-entropies.

The theme is **numerical stability**. The textbook formulas overflow: ``exp(1000)`` is ``inf``
in float32, so ``softmax([1000., 0.])`` written as ``exp(x) / sum(exp(x))`` gives ``nan``. Each
kernel uses an equal formula that cannot overflow:

* ``softmax(x) = softmax(x - max(x))``  (shifting all logits by the same amount changes nothing)
* ``log_softmax(x) = (x - m) - log(sum(exp(x - m)))``  with ``m = max(x)``

The softmax cross-entropies are *fused* ops, as in TensorFlow: one kernel returns both the loss
and its gradient ``softmax(logits) - labels``, and the gradient rule reuses that second output.

TensorFlow's counterparts: ``python/ops/nn_ops.py``, ``python/ops/nn_grad.py``,
``core/ops/nn_ops.cc``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import errors
from ..framework import Operation, Tensor, convert_to_tensor, graph_of, name_scope
from ..op_def_library import FLOAT_TYPES, check_dtype, python_int, unary_op
from ..op_registry import RegisterGradient, primitive
from ..tensor_shape import ShapeError, TensorShape, broadcast_static_shape
from . import array_ops, concat_ops, math_ops, reduction_ops, unary_ops

__all__ = ["softmax", "log_softmax", "softmax_cross_entropy_with_logits",
           "softmax_cross_entropy_with_logits_v2", "sparse_softmax_cross_entropy_with_logits"]


# --------------------------------------------------------------------------------------------
# Helpers of the softmax ops
# --------------------------------------------------------------------------------------------
def _at_least_rank_1(op: Operation) -> TensorShape:
    shape = op.inputs[0].shape
    if shape.ndims == 0:
        raise ShapeError("Shape must be at least rank 1 but is rank 0",
                         "Fix: softmax normalises along an axis; give it a vector or a batch of vectors.")
    return shape


def _zeros_or_none(t: "Tensor | None") -> bool:
    """True if ``t`` is a gradient known to be zero (tf.gradients fills unused outputs with zeros)."""
    return t is None or t.op.type == "ZerosLike"


def _swap_with_last(axis: int, ndims: int) -> "list[int]":
    """The permutation exchanging ``axis`` and the last axis (it is its own inverse)."""
    perm = list(range(ndims))
    perm[axis], perm[-1] = perm[-1], perm[axis]
    return perm


def _softmax_vjp(grad: Tensor, softmax: Tensor) -> Tensor:
    """Vector-Jacobian product of softmax along the last axis.

    With ``s = softmax(x)``: ds_i/dx_j = s_i (delta_ij - s_j), so
    ``grad @ J = (grad - sum(grad * s)) * s``.
    """
    return (grad - reduction_ops.reduce_sum(grad * softmax, -1, keepdims=True)) * softmax


# --------------------------------------------------------------------------------------------
# Softmax
# --------------------------------------------------------------------------------------------
def _softmax(op_type: str, logits: Any, axis: Any, name: "str | None") -> Tensor:
    """Softmax ops work on the last axis; any other axis is first swapped to the end (as in TF)."""
    if axis is not None:
        axis = python_int(axis, "axis", op_type)
    logits = convert_to_tensor(logits)
    check_dtype(logits, op_type, FLOAT_TYPES, "logits")
    ndims = logits.shape.ndims
    if axis is None or axis == -1 or (ndims is not None and axis == ndims - 1):
        return unary_op(op_type, logits, name, None, input_name="logits")
    if ndims is None:
        raise ValueError("softmax along axis %d needs a tensor of known rank; %s has unknown rank. "
                         "Set its shape (e.g. placeholder(..., shape=[None, 3]))." % (axis, logits.name))
    if not -ndims <= axis < ndims:
        raise errors.InvalidArgumentError(
            None, None, "Dimension (%d) must be in the range [%d, %d) where %d is the number of dimensions "
            "in the input." % (axis, -ndims, ndims, ndims))
    perm = _swap_with_last(axis % ndims, ndims)
    output = unary_op(op_type, array_ops.transpose(logits, perm), None, None, input_name="logits")
    return array_ops.transpose(output, perm, name=name)


def softmax(logits: Any, axis: "int | None" = None, name: "str | None" = None,
            dim: "int | None" = None) -> Tensor:
    """``exp(logits) / sum(exp(logits), axis)``: turns scores into probabilities (default: last axis)."""
    return _softmax("Softmax", logits, dim if axis is None else axis, name)


@primitive("Softmax", shape=_at_least_rank_1)
def _softmax_kernel(ctx, logits):
    if not np.size(logits):                   # nothing to normalise (np.max would refuse)
        return np.array(logits)
    e = np.exp(logits - np.max(logits, axis=-1, keepdims=True))    # the largest exponent is 0
    return e / np.sum(e, axis=-1, keepdims=True)


@RegisterGradient("Softmax")
def _softmax_grad(op, grad):
    """s = softmax(x):  ds_i/dx_j = s_i (delta_ij - s_j),  so  dx = (grad - sum(grad * s)) * s."""
    return _softmax_vjp(grad, op.outputs[0])


def log_softmax(logits: Any, axis: "int | None" = None, name: "str | None" = None,
                dim: "int | None" = None) -> Tensor:
    """``logits - log(sum(exp(logits), axis))``: the log of softmax, without overflow or log(0)."""
    return _softmax("LogSoftmax", logits, dim if axis is None else axis, name)


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    """``(x - m) - log(sum(exp(x - m)))`` along the last axis, with ``m = max(x)``: the largest
    exponent is 0, so it is finite even for logits of +-1000 (also used by the cross-entropies)."""
    if not np.size(logits):
        return np.array(logits)
    shifted = logits - np.max(logits, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


@primitive("LogSoftmax", shape=_at_least_rank_1)
def _log_softmax_kernel(ctx, logits):
    return _log_softmax(logits)


@RegisterGradient("LogSoftmax")
def _log_softmax_grad(op, grad):
    """y = x - log(sum(e^x)):  dy_i/dx_j = delta_ij - softmax_j,  so  dx = grad - sum(grad) * e^y."""
    return grad - reduction_ops.reduce_sum(grad, -1, keepdims=True) * unary_ops.exp(op.outputs[0])


# --------------------------------------------------------------------------------------------
# Softmax cross-entropy (a fused op: loss and gradient from one kernel)
# --------------------------------------------------------------------------------------------
def ensure_xent_args(name: str, sentinel: Any, labels: Any, logits: Any) -> None:
    if sentinel is not None:
        raise ValueError("Only call `%s` with named arguments (labels=..., logits=..., ...)" % name)
    if labels is None or logits is None:
        raise ValueError("Both labels and logits must be provided.")


def _outer_dims(shape: TensorShape) -> "list[int] | None":
    """All dims but the last as a reshape target (one unknown dim becomes -1), or None."""
    outer = shape.as_list()[:-1]
    if outer.count(None) > 1:
        return None
    return [-1 if d is None else d for d in outer]


def _flatten_outer_dims(x: Tensor) -> Tensor:
    """Reshapes ``x`` to ``[batch, classes]``, keeping the last dimension."""
    last = x.shape[-1].value
    if last is not None:
        return array_ops.reshape(x, [-1, last])
    return array_ops.reshape(x, concat_ops.concat([[-1], array_ops.shape(x)[-1:]], 0))


def softmax_cross_entropy_with_logits_v2(labels: Any, logits: Any, axis: "int | None" = None,
                                         name: "str | None" = None, dim: "int | None" = None) -> Tensor:
    """``-sum(labels * log_softmax(logits), axis)``: the cross-entropy per example.

    ``labels`` is a probability distribution per example (e.g. one-hot). Gradients flow into both
    ``logits`` and ``labels`` (the v1 function stops the one into labels).
    """
    ensure_xent_args("softmax_cross_entropy_with_logits_v2", None, labels, logits)
    axis = -1 if axis is None and dim is None else (dim if axis is None else axis)
    with name_scope(name, "softmax_cross_entropy_with_logits", [logits, labels]) as scope:
        logits = convert_to_tensor(logits, name="logits")
        check_dtype(logits, "SoftmaxCrossEntropyWithLogits", FLOAT_TYPES, "features")
        labels = unary_ops.cast(convert_to_tensor(labels, name="labels"), logits.dtype)
        shape = logits.shape
        if shape.ndims is None:
            raise ValueError("softmax_cross_entropy_with_logits needs logits of known rank; %s has unknown "
                             "rank." % logits.name)
        if shape.ndims == 0:
            raise ValueError("Logits cannot be scalars - received shape %s." % shape)
        if labels.shape.ndims is not None and labels.shape.ndims != shape.ndims:
            raise ValueError("labels and logits must have the same rank: labels %s has shape %s, logits %s has "
                             "shape %s.\nFix: one row of class probabilities per row of logits (for class "
                             "ids, use sparse_softmax_cross_entropy_with_logits)."
                             % (labels.name, labels.shape, logits.name, shape))
        axis = python_int(axis, "axis", "softmax_cross_entropy_with_logits")
        if not -shape.ndims <= axis < shape.ndims:
            raise ValueError("axis %d is out of range for logits of rank %d\nFix: axis is the class axis, "
                             "-1 (the last) by default." % (axis, shape.ndims))
        axis %= shape.ndims
        if axis != shape.ndims - 1:                       # move the class axis to the end
            perm = [i for i in range(shape.ndims) if i != axis] + [axis]
            logits, labels = array_ops.transpose(logits, perm), array_ops.transpose(labels, perm)
            shape = logits.shape
        cost, _ = _softmax_xent(_flatten_outer_dims(logits), _flatten_outer_dims(labels), scope)
        outer = _outer_dims(shape)
        if outer is None:
            outer = array_ops.shape(logits)[:-1]
        cost = array_ops.reshape(cost, outer)
        cost.set_shape(shape[:-1])
        return cost


def softmax_cross_entropy_with_logits(_sentinel: Any = None, labels: Any = None, logits: Any = None,
                                      dim: int = -1, name: "str | None" = None,
                                      axis: "int | None" = None) -> Tensor:
    """TF1's (deprecated) version: like ``_v2``, but no gradient flows into ``labels``."""
    ensure_xent_args("softmax_cross_entropy_with_logits", _sentinel, labels, logits)
    with name_scope(name, "softmax_cross_entropy_with_logits_sg", [logits, labels]) as scope:
        labels = array_ops.stop_gradient(labels, name="labels_stop_gradient")
    return softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits,
                                                axis=dim if axis is None else axis, name=scope)


def _xent_rule(op: Operation) -> "list[TensorShape]":
    shape = broadcast_static_shape(op.inputs[0].shape, op.inputs[1].shape)
    if shape.ndims is None:
        return [TensorShape([None]), TensorShape([None, None])]
    if shape.ndims != 2:
        raise ShapeError("Shape must be rank 2 but is rank %d" % shape.ndims)
    return [shape[:1], shape]


def _softmax_xent(logits: Tensor, labels: Tensor, name: str) -> "tuple[Tensor, Tensor]":
    """The fused op on ``[batch, classes]`` inputs: returns (loss, backprop)."""
    dtype = logits.dtype.base_dtype
    op = graph_of([logits, labels]).create_op("SoftmaxCrossEntropyWithLogits", [logits, labels],
                                               [dtype, dtype], name=name)
    return op.outputs[0], op.outputs[1]


@primitive("SoftmaxCrossEntropyWithLogits", shape=_xent_rule)
def _softmax_xent_kernel(ctx, logits, labels):
    logits, labels = np.broadcast_arrays(logits, labels)
    log_probs = _log_softmax(logits)                 # finite even for logits of +-1000
    loss = -np.sum(labels * log_probs, axis=1)
    backprop = np.exp(log_probs) - labels                 # softmax(logits) - labels
    return loss.astype(logits.dtype), backprop.astype(logits.dtype)


@RegisterGradient("SoftmaxCrossEntropyWithLogits")
def _softmax_xent_grad(op, grad_loss, grad_backprop):
    """loss = -sum(z * log_softmax(x)):  d loss/dx = softmax(x) - z (the op's second output),
    d loss/dz = -log_softmax(x).

    The second output, backprop = softmax(x) - z, is differentiated only for second derivatives:
    d backprop/dx is the softmax Jacobian, d backprop/dz = -1.
    """
    logits, labels = op.inputs
    grad_loss = array_ops.reshape(grad_loss, [-1, 1])            # one value per row
    grad_logits = grad_loss * op.outputs[1]
    grad_labels = grad_loss * -log_softmax(logits)
    if not _zeros_or_none(grad_backprop):
        grad_logits += _softmax_vjp(grad_backprop, softmax(logits))
        grad_labels -= grad_backprop
    return math_ops.unbroadcast(grad_logits, logits), math_ops.unbroadcast(grad_labels, labels)


def sparse_softmax_cross_entropy_with_logits(_sentinel: Any = None, labels: Any = None, logits: Any = None,
                                             name: "str | None" = None) -> Tensor:
    """``-log_softmax(logits)[label]`` per example, with ``labels`` given as class indices.

    ``labels`` has shape ``[d0, ..., dn]`` (int32 or int64), ``logits`` ``[d0, ..., dn, classes]``.
    """
    ensure_xent_args("sparse_softmax_cross_entropy_with_logits", _sentinel, labels, logits)
    with name_scope(name, "SparseSoftmaxCrossEntropyWithLogits", [labels, logits]):
        labels = convert_to_tensor(labels)
        logits = convert_to_tensor(logits)
        check_dtype(logits, "SparseSoftmaxCrossEntropyWithLogits", FLOAT_TYPES, "features")
        if not labels.dtype.is_integer:
            raise TypeError("Value passed to parameter 'labels' has DataType %s not in list of allowed "
                            "values: int32, int64. (Labels are class indices; use "
                            "softmax_cross_entropy_with_logits for one-hot or probability labels.)"
                            % labels.dtype.base_dtype.name)
        labels_shape, logits_shape = labels.shape, logits.shape
        if logits_shape.ndims == 0:
            raise ValueError("Logits cannot be scalars - received shape %s." % logits_shape)
        if (logits_shape.ndims is not None and labels_shape.ndims is not None
                and labels_shape.ndims != logits_shape.ndims - 1):
            raise ValueError("Rank mismatch: Rank of labels (received %s) should equal rank of logits minus 1 "
                             "(received %s)." % (labels_shape.ndims, logits_shape.ndims))
        if (labels_shape.is_fully_defined() and logits_shape[:-1].is_fully_defined()
                and labels_shape != logits_shape[:-1]):
            raise ValueError("Shape mismatch: The shape of labels (received %s) should equal the shape of "
                             "logits except for the last dimension (received %s)." % (labels_shape, logits_shape))
        if logits_shape.ndims == 2:
            return _sparse_softmax_xent(logits, labels, name)[0]
        classes = logits_shape[-1].value if logits_shape.ndims is not None else None
        if classes is None:
            classes = array_ops.shape(logits)[-1]
        flat_logits = array_ops.reshape(logits, [-1, classes])
        cost, _ = _sparse_softmax_xent(flat_logits, array_ops.reshape(labels, [-1]), name)
        target = labels_shape.as_list() if labels_shape.is_fully_defined() else array_ops.shape(labels)
        cost = array_ops.reshape(cost, target)
        cost.set_shape(labels_shape)
        return cost


def _sparse_xent_rule(op: Operation) -> "list[TensorShape]":
    logits, labels = op.inputs[0].shape, op.inputs[1].shape
    if logits.ndims is not None and logits.ndims != 2:
        raise ShapeError("Shape must be rank 2 but is rank %d" % logits.ndims)
    if labels.ndims is not None and labels.ndims != 1:
        raise ShapeError("Shape must be rank 1 but is rank %d" % labels.ndims)
    batch, classes = (logits.as_list() if logits.ndims is not None else [None, None])
    n = labels[0].value if labels.ndims is not None else None
    if batch is not None and n is not None and batch != n:
        raise ShapeError("Dimensions must be equal, but are %d and %d" % (n, batch),
                         "Fix: one label per row of logits.")
    batch = batch if batch is not None else n
    return [TensorShape([batch]), TensorShape([batch, classes])]


def _sparse_softmax_xent(logits: Tensor, labels: Tensor, name: "str | None") -> "tuple[Tensor, Tensor]":
    dtype = logits.dtype.base_dtype
    op = graph_of([logits, labels]).create_op("SparseSoftmaxCrossEntropyWithLogits", [logits, labels],
                                               [dtype, dtype], name=name or "SparseSoftmaxCrossEntropyWithLogits")
    return op.outputs[0], op.outputs[1]


@primitive("SparseSoftmaxCrossEntropyWithLogits", shape=_sparse_xent_rule)
def _sparse_softmax_xent_kernel(ctx, logits, labels):
    logits, labels = np.asarray(logits), np.asarray(labels)
    classes = logits.shape[1]
    bad = (labels < 0) | (labels >= classes)
    if bad.any():
        raise errors.InvalidArgumentError(
            None, ctx.op, "Received a label value of %d which is outside the valid range of [0, %d).  "
            "Label values: %s" % (labels[bad][0], classes, " ".join(str(v) for v in labels)))
    rows = np.arange(len(labels))
    log_probs = _log_softmax(logits)
    loss = -log_probs[rows, labels]
    backprop = np.exp(log_probs)
    backprop[rows, labels] -= 1                           # softmax(logits) - one_hot(labels)
    return loss.astype(logits.dtype), backprop.astype(logits.dtype)


@RegisterGradient("SparseSoftmaxCrossEntropyWithLogits")
def _sparse_softmax_xent_grad(op, grad_loss, grad_backprop):
    """loss = -log_softmax(x)[label]:  d loss/dx = softmax(x) - one_hot(label) (the second output).
    Labels are integers: no gradient."""
    logits = op.inputs[0]
    grad_logits = array_ops.reshape(grad_loss, [-1, 1]) * op.outputs[1]
    if not _zeros_or_none(grad_backprop):
        grad_logits += _softmax_vjp(grad_backprop, softmax(logits))
    return grad_logits, None

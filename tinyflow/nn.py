"""``tf.nn``: activations, softmax, cross-entropies, dropout and other neural-network ops.

The theme of this module is **numerical stability**. The textbook formulas overflow:
``exp(1000)`` is ``inf`` in float32, so ``softmax([1000., 0.])`` written as
``exp(x) / sum(exp(x))`` gives ``nan``. Each kernel uses an equal formula that cannot overflow:

* ``softmax(x) = softmax(x - max(x))``  (shifting all logits by the same amount changes nothing)
* ``log_softmax(x) = (x - m) - log(sum(exp(x - m)))``  with ``m = max(x)``
* ``softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^-|x|)``
* sigmoid cross-entropy ``= max(x, 0) - x*z + log1p(e^-|x|)``

The softmax cross-entropies are *fused* ops, as in TensorFlow: one kernel returns both the loss
and its gradient ``softmax(logits) - labels``, and the gradient rule reuses that second output.

Each op is one block: the function learners call, the numpy kernel (``@primitive``) and the
gradient rule (``@RegisterGradient``), with the maths in the docstring. Ops that need no kernel
of their own (dropout, moments, ``sigmoid_cross_entropy_with_logits``) are built from others.
"""
from __future__ import annotations

import numbers
from typing import Any, Sequence

import numpy as np

from . import array_ops, dtypes, errors, math_ops
from .framework import Operation, ShapeError, Tensor, _graph_of, convert_to_tensor, name_scope
from .op_registry import primitive
from .op_registry import RegisterGradient
from .math_ops import sigmoid, tanh  # noqa: F401  (tf.nn.sigmoid and tf.nn.tanh are the same ops)
from .math_ops import _same_shape
from .tensor_shape import TensorShape

__all__ = [
    "relu", "relu6", "leaky_relu", "elu", "selu", "softplus", "softsign", "sigmoid", "tanh", "softmax",
    "log_softmax", "softmax_cross_entropy_with_logits", "softmax_cross_entropy_with_logits_v2",
    "sparse_softmax_cross_entropy_with_logits", "sigmoid_cross_entropy_with_logits", "l2_loss",
    "dropout", "bias_add", "embedding_lookup", "moments",
]


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------
def _unary_op(op_type: str, x: Any, name: "str | None", input_name: str = "features",
              attrs: "dict | None" = None, floats_only: bool = False) -> Tensor:
    """One-input op named like TF's generated wrappers: scope ``name`` (default ``op_type``),
    a Python input becomes the constant ``<scope>/<input_name>``, the op takes the scope's name.
    ``floats_only``: the op's maths (exp, log, division) needs a floating-point input, as in TF1."""
    with name_scope(name, op_type, [x]) as scope:
        x = convert_to_tensor(x, name=input_name)
        if floats_only:
            math_ops._check_dtype(x, op_type, math_ops._FLOAT_TYPES, input_name)
        return _graph_of([x]).create_op(op_type, [x], [x.dtype.base_dtype], name=scope,
                                        attrs=attrs).outputs[0]


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
    return (grad - math_ops.reduce_sum(grad * softmax, -1, keepdims=True)) * softmax


# --------------------------------------------------------------------------------------------
# Activations
# --------------------------------------------------------------------------------------------
def relu(features: Any, name: "str | None" = None) -> Tensor:
    """Rectified linear unit: ``max(features, 0)``."""
    return _unary_op("Relu", features, name)


@primitive("Relu", shape=_same_shape)
def _relu_kernel(ctx, x):
    return np.maximum(x, np.zeros((), dtype=np.asarray(x).dtype))


@RegisterGradient("Relu")
def _relu_grad(op, grad):
    """y = max(x, 0):  dy/dx = 1 where x > 0, else 0 (0 at the kink, as in TF).
    One fused op, ``ReluGrad`` (as in TF): it is on every training step of a ReLU network."""
    return _relu_grad_op(grad, op.outputs[0])


def _relu_grad_op(grad: Tensor, y: Tensor) -> Tensor:
    return _graph_of([grad, y]).create_op("ReluGrad", [grad, y], [grad.dtype.base_dtype], name="ReluGrad",
                                          shapes=[grad.shape]).outputs[0]


@primitive("ReluGrad")
def _relu_grad_kernel(ctx, grad, y):
    """``grad * (y > 0)``."""
    return np.multiply(grad, np.asarray(y) > 0)


@RegisterGradient("ReluGrad")
def _relu_grad_grad(op, grad):
    """ReluGrad is linear in ``grad`` (the mask does not depend on it); y gets no gradient."""
    return _relu_grad_op(grad, op.inputs[1]), array_ops.zeros_like(op.inputs[1])


def relu6(features: Any, name: "str | None" = None) -> Tensor:
    """``min(max(features, 0), 6)``."""
    return _unary_op("Relu6", features, name)


@primitive("Relu6", shape=_same_shape)
def _relu6_kernel(ctx, x):
    x = np.asarray(x)
    return np.clip(x, 0, 6).astype(x.dtype)


@RegisterGradient("Relu6")
def _relu6_grad(op, grad):
    """y = min(max(x, 0), 6):  dy/dx = 1 where 0 < x < 6, else 0."""
    y = op.outputs[0]
    inside = math_ops.logical_and(math_ops.greater(y, 0), math_ops.less(y, 6))
    return array_ops.where(inside, grad, array_ops.zeros_like(grad))


def leaky_relu(features: Any, alpha: float = 0.2, name: "str | None" = None) -> Tensor:
    """``features`` where positive, else ``alpha * features``. Integer inputs are cast to float32."""
    with name_scope(name, "LeakyRelu", [features]) as scope:
        features = convert_to_tensor(features, name="features")
        if features.dtype.is_integer:
            features = math_ops.cast(features, dtypes.float32)
        if isinstance(alpha, np.ndarray):
            alpha = alpha.item()
        return _unary_op("LeakyRelu", features, scope, attrs={"alpha": float(alpha)})


@primitive("LeakyRelu", shape=_same_shape)
def _leaky_relu_kernel(ctx, x):
    x = np.asarray(x)
    return np.where(x > 0, x, ctx.attrs["alpha"] * x).astype(x.dtype)


@RegisterGradient("LeakyRelu")
def _leaky_relu_grad(op, grad):
    """y = x if x > 0 else alpha*x:  dy/dx = 1 where x > 0, else alpha."""
    x = op.inputs[0]
    return array_ops.where(math_ops.greater(x, 0), grad, grad * op.attrs["alpha"])


def elu(features: Any, name: "str | None" = None) -> Tensor:
    """Exponential linear unit: ``features`` if positive, else ``exp(features) - 1``."""
    return _unary_op("Elu", features, name, floats_only=True)


@primitive("Elu", shape=_same_shape)
def _elu_kernel(ctx, x):
    x = np.asarray(x)
    return np.where(x > 0, x, np.expm1(np.minimum(x, 0))).astype(x.dtype)   # exp only of x <= 0


@RegisterGradient("Elu")
def _elu_grad(op, grad):
    """y = e^x - 1 for x < 0:  dy/dx = e^x = y + 1;  for x > 0, dy/dx = 1."""
    y = op.outputs[0]
    return array_ops.where(math_ops.less(y, 0), grad * (y + 1), grad)


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(features: Any, name: "str | None" = None) -> Tensor:
    """Scaled ELU: ``scale * elu_alpha(features)`` with the self-normalising constants."""
    return _unary_op("Selu", features, name, floats_only=True)


@primitive("Selu", shape=_same_shape)
def _selu_kernel(ctx, x):
    x = np.asarray(x)
    negative = _SELU_ALPHA * np.expm1(np.minimum(x, 0))
    return (_SELU_SCALE * np.where(x > 0, x, negative)).astype(x.dtype)


@RegisterGradient("Selu")
def _selu_grad(op, grad):
    """y = scale*alpha*(e^x - 1) for x < 0:  dy/dx = scale*alpha*e^x = y + scale*alpha;
    for x > 0, dy/dx = scale."""
    y = op.outputs[0]
    return array_ops.where(math_ops.less(y, 0), grad * (y + _SELU_SCALE * _SELU_ALPHA), grad * _SELU_SCALE)


def softplus(features: Any, name: "str | None" = None) -> Tensor:
    """``log(exp(features) + 1)``, computed without overflow."""
    return _unary_op("Softplus", features, name, floats_only=True)


@primitive("Softplus", shape=_same_shape)
def _softplus_kernel(ctx, x):
    x = np.asarray(x)
    return (np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))).astype(x.dtype)


@RegisterGradient("Softplus")
def _softplus_grad(op, grad):
    """d log(1 + e^x)/dx = e^x / (1 + e^x) = sigmoid(x)."""
    return grad * math_ops.sigmoid(op.inputs[0])


def softsign(features: Any, name: "str | None" = None) -> Tensor:
    """``features / (1 + |features|)``: like tanh, but approaching +-1 slowly."""
    return _unary_op("Softsign", features, name, floats_only=True)


@primitive("Softsign", shape=_same_shape)
def _softsign_kernel(ctx, x):
    x = np.asarray(x)
    return (x / (1 + np.abs(x))).astype(x.dtype)


@RegisterGradient("Softsign")
def _softsign_grad(op, grad):
    """d/dx x / (1 + |x|) = 1 / (1 + |x|)^2."""
    return grad / math_ops.square(1 + math_ops.abs(op.inputs[0]))


# --------------------------------------------------------------------------------------------
# Softmax
# --------------------------------------------------------------------------------------------
def _softmax(op_type: str, logits: Any, axis: Any, name: "str | None") -> Tensor:
    """Softmax ops work on the last axis; any other axis is first swapped to the end (as in TF)."""
    logits = convert_to_tensor(logits)
    math_ops._check_dtype(logits, op_type, math_ops._FLOAT_TYPES, "logits")
    ndims = logits.shape.ndims
    if axis is None or axis == -1 or (ndims is not None and axis == ndims - 1):
        return _unary_op(op_type, logits, name, input_name="logits")
    if ndims is None:
        raise ValueError("softmax along axis %d needs a tensor of known rank; %s has unknown rank. "
                         "Set its shape (e.g. placeholder(..., shape=[None, 3]))." % (axis, logits.name))
    if not -ndims <= axis < ndims:
        raise errors.InvalidArgumentError(
            None, None, "Dimension (%d) must be in the range [%d, %d) where %d is the number of dimensions "
            "in the input." % (axis, -ndims, ndims, ndims))
    perm = _swap_with_last(axis % ndims, ndims)
    output = _unary_op(op_type, array_ops.transpose(logits, perm), None, input_name="logits")
    return array_ops.transpose(output, perm, name=name)


def softmax(logits: Any, axis: "int | None" = None, name: "str | None" = None,
            dim: "int | None" = None) -> Tensor:
    """``exp(logits) / sum(exp(logits), axis)``: turns scores into probabilities (default: last axis)."""
    return _softmax("Softmax", logits, dim if axis is None else axis, name)


@primitive("Softmax", shape=_at_least_rank_1)
def _softmax_kernel(ctx, logits):
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


@primitive("LogSoftmax", shape=_at_least_rank_1)
def _log_softmax_kernel(ctx, logits):
    shifted = logits - np.max(logits, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


@RegisterGradient("LogSoftmax")
def _log_softmax_grad(op, grad):
    """y = x - log(sum(e^x)):  dy_i/dx_j = delta_ij - softmax_j,  so  dx = grad - sum(grad) * e^y."""
    return grad - math_ops.reduce_sum(grad, -1, keepdims=True) * math_ops.exp(op.outputs[0])


# --------------------------------------------------------------------------------------------
# Softmax cross-entropy (a fused op: loss and gradient from one kernel)
# --------------------------------------------------------------------------------------------
def _ensure_xent_args(name: str, sentinel: Any, labels: Any, logits: Any) -> None:
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
    return array_ops.reshape(x, array_ops.concat([[-1], array_ops.shape(x)[-1:]], 0))


def softmax_cross_entropy_with_logits_v2(labels: Any, logits: Any, axis: "int | None" = None,
                                         name: "str | None" = None, dim: "int | None" = None) -> Tensor:
    """``-sum(labels * log_softmax(logits), axis)``: the cross-entropy per example.

    ``labels`` is a probability distribution per example (e.g. one-hot). Gradients flow into both
    ``logits`` and ``labels`` (the v1 function stops the one into labels).
    """
    _ensure_xent_args("softmax_cross_entropy_with_logits_v2", None, labels, logits)
    axis = -1 if axis is None and dim is None else (dim if axis is None else axis)
    with name_scope(name, "softmax_cross_entropy_with_logits", [logits, labels]) as scope:
        logits = convert_to_tensor(logits, name="logits")
        math_ops._check_dtype(logits, "SoftmaxCrossEntropyWithLogits", math_ops._FLOAT_TYPES, "features")
        labels = math_ops.cast(convert_to_tensor(labels, name="labels"), logits.dtype)
        shape = logits.shape
        if shape.ndims is None:
            raise ValueError("softmax_cross_entropy_with_logits needs logits of known rank; %s has unknown "
                             "rank." % logits.name)
        if shape.ndims == 0:
            raise ValueError("Logits cannot be scalars - received shape %s." % shape)
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
    _ensure_xent_args("softmax_cross_entropy_with_logits", _sentinel, labels, logits)
    with name_scope(name, "softmax_cross_entropy_with_logits_sg", [logits, labels]) as scope:
        labels = array_ops.stop_gradient(labels, name="labels_stop_gradient")
    return softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits,
                                                axis=dim if axis is None else axis, name=scope)


def _xent_rule(op: Operation) -> "list[TensorShape]":
    shape = math_ops.broadcast_static_shape(op.inputs[0].shape, op.inputs[1].shape)
    if shape.ndims is None:
        return [TensorShape([None]), TensorShape([None, None])]
    if shape.ndims != 2:
        raise ShapeError("Shape must be rank 2 but is rank %d" % shape.ndims)
    return [shape[:1], shape]


def _softmax_xent(logits: Tensor, labels: Tensor, name: str) -> "tuple[Tensor, Tensor]":
    """The fused op on ``[batch, classes]`` inputs: returns (loss, backprop)."""
    dtype = logits.dtype.base_dtype
    op = _graph_of([logits, labels]).create_op("SoftmaxCrossEntropyWithLogits", [logits, labels],
                                               [dtype, dtype], name=name)
    return op.outputs[0], op.outputs[1]


def _log_softmax_rows(logits: np.ndarray) -> np.ndarray:
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))


@primitive("SoftmaxCrossEntropyWithLogits", shape=_xent_rule)
def _softmax_xent_kernel(ctx, logits, labels):
    logits, labels = np.broadcast_arrays(logits, labels)
    log_probs = _log_softmax_rows(logits)                 # finite even for logits of +-1000
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
    _ensure_xent_args("sparse_softmax_cross_entropy_with_logits", _sentinel, labels, logits)
    with name_scope(name, "SparseSoftmaxCrossEntropyWithLogits", [labels, logits]):
        labels = convert_to_tensor(labels)
        logits = convert_to_tensor(logits)
        math_ops._check_dtype(logits, "SparseSoftmaxCrossEntropyWithLogits", math_ops._FLOAT_TYPES, "features")
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
    op = _graph_of([logits, labels]).create_op("SparseSoftmaxCrossEntropyWithLogits", [logits, labels],
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
    log_probs = _log_softmax_rows(logits)
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


# --------------------------------------------------------------------------------------------
# Sigmoid cross-entropy (composed from primitives)
# --------------------------------------------------------------------------------------------
def sigmoid_cross_entropy_with_logits(_sentinel: Any = None, labels: Any = None, logits: Any = None,
                                      name: "str | None" = None) -> Tensor:
    """Elementwise ``-z*log(sigmoid(x)) - (1-z)*log(1-sigmoid(x))`` for labels z and logits x.

    Written as ``max(x, 0) - x*z + log(1 + exp(-|x|))``: no exp of a large positive number, and
    no log of 0, so logits of +-1000 are fine.
    """
    _ensure_xent_args("sigmoid_cross_entropy_with_logits", _sentinel, labels, logits)
    with name_scope(name, "logistic_loss", [logits, labels]) as scope:
        logits = convert_to_tensor(logits, name="logits")
        labels = convert_to_tensor(labels, name="labels")
        try:
            labels.shape.merge_with(logits.shape)
        except ValueError:
            raise ValueError("logits and labels must have the same shape (%s vs %s)"
                             % (logits.shape, labels.shape)) from None
        zeros = array_ops.zeros_like(logits, dtype=logits.dtype)
        cond = logits >= zeros
        relu_logits = array_ops.where(cond, logits, zeros)               # max(x, 0)
        neg_abs_logits = array_ops.where(cond, -logits, logits)          # -|x|
        return math_ops.add(relu_logits - logits * labels, math_ops.log1p(math_ops.exp(neg_abs_logits)),
                            name=scope)


# --------------------------------------------------------------------------------------------
# l2_loss, bias_add
# --------------------------------------------------------------------------------------------
def l2_loss(t: Any, name: "str | None" = None) -> Tensor:
    """``sum(t ** 2) / 2``: half the squared L2 norm, a scalar (used for weight decay)."""
    return _unary_op("L2Loss", t, name, input_name="t", floats_only=True)


@primitive("L2Loss", shape=lambda op: TensorShape([]))
def _l2_loss_kernel(ctx, t):
    t = np.asarray(t)
    return np.asarray(np.sum(t * t) / 2, dtype=t.dtype)


@RegisterGradient("L2Loss")
def _l2_loss_grad(op, grad):
    """y = sum(t^2)/2:  dy/dt = t."""
    return op.inputs[0] * grad


def bias_add(value: Any, bias: Any, data_format: "str | None" = None, name: "str | None" = None) -> Tensor:
    """Adds the 1-D ``bias`` to the channel axis of ``value`` (the last axis, or axis 1 for NCHW)."""
    if data_format not in (None, "NHWC", "NCHW", "N..C", "NC.."):
        raise ValueError("data_format must be 'NHWC' or 'NCHW', got %r." % (data_format,))
    channels_first = data_format in ("NCHW", "NC..")
    with name_scope(name, "BiasAdd", [value, bias]) as scope:
        value = convert_to_tensor(value, name="input")
        bias = convert_to_tensor(bias, dtype=value.dtype.base_dtype, name="bias")
        return _graph_of([value, bias]).create_op(
            "BiasAdd", [value, bias], [value.dtype.base_dtype], name=scope,
            attrs={"data_format": "NCHW" if channels_first else "NHWC"}).outputs[0]


def _bias_add_rule(op: Operation) -> TensorShape:
    value, bias = op.inputs[0].shape, op.inputs[1].shape
    if bias.ndims is not None and bias.ndims != 1:
        raise ShapeError("Shape must be rank 1 but is rank %d" % bias.ndims, "Fix: the bias is a vector.")
    if value.ndims is None:
        return value
    if value.ndims < 2:
        raise ShapeError("Shape must be at least rank 2 but is rank %d" % value.ndims,
                         "Fix: bias_add expects a batch, e.g. shape [batch, channels].")
    axis = 1 if op.attrs["data_format"] == "NCHW" else -1
    channels, size = value[axis].value, bias[0].value if bias.ndims else None
    if channels is not None and size is not None and channels != size:
        raise ShapeError("Dimensions must be equal, but are %d and %d" % (channels, size),
                         "Fix: the bias needs one value per channel.")
    return value


@primitive("BiasAdd", shape=_bias_add_rule)
def _bias_add_kernel(ctx, value, bias):
    value = np.asarray(value)
    if value.ndim < 2:
        raise _not_2d_error(ctx, value)
    if ctx.attrs["data_format"] == "NCHW":
        bias = np.reshape(bias, (-1,) + (1,) * (value.ndim - 2))
    return np.add(value, bias)


def _not_2d_error(ctx, value: np.ndarray) -> errors.InvalidArgumentError:
    """A rank unknown while building is checked when the value arrives (TF's run-time error)."""
    return errors.InvalidArgumentError(
        None, ctx.op, "Input tensor must be at least 2D: %s\nFix: bias_add expects a batch, e.g. a value "
        "of shape [batch, channels]." % TensorShape(value.shape).debug_string())


@RegisterGradient("BiasAdd")
def _bias_add_grad(op, grad):
    """y = value + bias (broadcast over all but the channel axis):  d/dvalue = 1, and the bias
    gradient sums the incoming gradient over every other axis: one ``BiasAddGrad`` op, as in TF."""
    return grad, _graph_of([grad]).create_op(
        "BiasAddGrad", [grad], [grad.dtype.base_dtype], name="BiasAddGrad",
        attrs={"data_format": op.attrs["data_format"]}).outputs[0]


def _bias_add_grad_rule(op: Operation) -> TensorShape:
    grad = op.inputs[0].shape
    if grad.ndims is None:
        return TensorShape([None])
    if grad.ndims < 2:
        raise ShapeError("Shape must be at least rank 2 but is rank %d" % grad.ndims)
    return TensorShape([grad[1 if op.attrs["data_format"] == "NCHW" else -1]])


@primitive("BiasAddGrad", shape=_bias_add_grad_rule)
def _bias_add_grad_kernel(ctx, grad):
    """``sum(grad)`` over every axis but the channel axis."""
    grad = np.asarray(grad)
    if grad.ndim < 2:
        raise _not_2d_error(ctx, grad)
    if ctx.attrs["data_format"] == "NCHW":
        return np.add.reduce(grad, axis=(0,) + tuple(range(2, grad.ndim)))
    return np.add.reduce(grad, axis=tuple(range(grad.ndim - 1)))


@RegisterGradient("BiasAddGrad")
def _bias_add_grad_grad(op, grad):
    """b = sum of g over the non-channel axes:  db/dg = 1 everywhere, so the incoming gradient
    (one value per channel) is broadcast back to g's shape along the channel axis."""
    shape = array_ops.shape(op.inputs[0])
    if op.attrs["data_format"] == "NCHW":      # [C] -> [1, C, 1, ..., 1]
        grad = array_ops.reshape(grad, array_ops.concat(
            [array_ops.ones_like(shape[:1]), array_ops.shape(grad), array_ops.ones_like(shape[2:])], 0))
    return array_ops.broadcast_to(grad, shape)


# --------------------------------------------------------------------------------------------
# Composed ops: dropout, embedding_lookup, moments
# --------------------------------------------------------------------------------------------
def dropout(x: Any, keep_prob: Any = None, noise_shape: Any = None, seed: "int | None" = None,
            name: "str | None" = None, rate: Any = None) -> Tensor:
    """Zeroes each element with probability ``rate = 1 - keep_prob`` and scales the others by
    ``1 / keep_prob``, so the expected value is unchanged. New random choices on every run.
    """
    if keep_prob is not None and rate is not None:
        raise ValueError("Cannot specify both 'rate' and 'keep_prob'. (rate = 1 - keep_prob.)")
    if keep_prob is not None:
        try:
            rate = 1. - keep_prob
        except TypeError:
            raise ValueError("keep_prob must be a floating point number or Tensor (got %r)" % (keep_prob,)) from None
    if rate is None:
        raise ValueError("You must provide a rate to dropout.")
    from .random_ops import random_uniform
    with name_scope(name, "dropout", [x]):
        x = convert_to_tensor(x, name="x")
        if not x.dtype.is_floating:
            raise ValueError("x has to be a floating point tensor since it's going to be scaled. Got a %s "
                             "tensor instead." % x.dtype.base_dtype.name)
        if isinstance(rate, numbers.Real):
            if not 0 <= rate < 1:
                raise ValueError("rate must be a scalar tensor or a float in the range [0, 1), got %g" % rate)
            if rate == 0:
                return x
        rate = convert_to_tensor(rate, dtype=x.dtype.base_dtype, name="rate")
        rate.shape.assert_is_compatible_with(TensorShape([]))
        if noise_shape is None:
            noise_shape = array_ops.shape(x)
        elif isinstance(noise_shape, (list, tuple)) and len(noise_shape) == x.shape.ndims:
            # None entries mean "the size of x along that axis", e.g. [None, 1] drops whole rows
            noise_shape = [x.shape[i].value if d is None else d for i, d in enumerate(noise_shape)]
        random_tensor = random_uniform(noise_shape, seed=seed, dtype=x.dtype.base_dtype)
        scale = 1 / (1 - rate)
        keep_mask = random_tensor >= rate                 # true with probability 1 - rate
        ret = x * scale * math_ops.cast(keep_mask, x.dtype.base_dtype)
        ret.set_shape(x.shape)
        return ret


def embedding_lookup(params: Any, ids: Any, partition_strategy: str = "mod", name: "str | None" = None,
                     validate_indices: bool = True, max_norm: Any = None) -> Tensor:
    """Rows of ``params`` selected by ``ids``: ``params[ids]`` (a ``gather``).

    ``params`` is a ``[vocabulary, dim]`` tensor or variable (or a list holding one).
    """
    if isinstance(params, (list, tuple)):
        if len(params) != 1:
            raise NotImplementedError("tinyflow's embedding_lookup takes one params tensor, not a list of "
                                      "%d shards; concatenate them first with tf.concat(params, 0)."
                                      % len(params))
        params = params[0]
    if params is None:
        raise ValueError("Need at least one param")
    with name_scope(name, "embedding_lookup", [params, ids]) as scope:
        ids = convert_to_tensor(ids, name="ids")
        result = array_ops.gather(params, ids, name=scope)
        if max_norm is not None:
            norms = math_ops.sqrt(math_ops.reduce_sum(math_ops.square(result), -1, keepdims=True))
            result = result * math_ops.minimum(max_norm / math_ops.maximum(norms, 1e-12), 1.0)
        return array_ops.identity(result)


def moments(x: Any, axes: Sequence[int], shift: Any = None, name: "str | None" = None,
            keep_dims: "bool | None" = None, keepdims: "bool | None" = None) -> "tuple[Tensor, Tensor]":
    """Mean and (population) variance of ``x`` over ``axes``: returns ``(mean, variance)``.

    variance = mean((x - mean)^2). Used e.g. by batch normalisation with ``axes=[0]``.
    """
    keep = bool(keepdims if keepdims is not None else keep_dims)
    with name_scope(name, "moments", [x, axes]):
        x = convert_to_tensor(x)
        mean = math_ops.reduce_mean(x, axes, keepdims=True, name="mean")
        # stop_gradient: the mean's own gradient through the variance is zero anyway.
        variance = math_ops.reduce_mean(math_ops.squared_difference(x, array_ops.stop_gradient(mean)),
                                        axes, keepdims=True, name="variance")
        if not keep:
            mean = array_ops.squeeze(mean, axes)
            variance = array_ops.squeeze(variance, axes)
        return mean, variance

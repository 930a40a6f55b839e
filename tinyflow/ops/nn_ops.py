"""Activations (``tf.nn.relu``, ``relu6``, ``leaky_relu``, ``elu``, ``selu``, ``softplus``,
``softsign``), ``tf.nn.bias_add`` and ``tf.nn.l2_loss``.

Each op is one block: the function learners call, the numpy kernel (``@primitive``) and the
gradient rule (``@RegisterGradient``), with the maths in the docstring. ``softplus`` uses a
formula that cannot overflow: ``log(1 + e^x) = max(x, 0) + log1p(e^-|x|)``.

TensorFlow's counterparts: ``python/ops/nn_ops.py``, ``python/ops/nn_grad.py``,
``core/ops/nn_ops.cc``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import dtypes, errors
from ..framework import Operation, Tensor, convert_to_tensor, graph_of, name_scope
from ..op_def_library import FLOAT_TYPES, check_dtype, make_op, same_shape, unary_op
from ..op_registry import NoGradient, RegisterGradient, primitive
from ..tensor_shape import ShapeError, TensorShape
from ..tensor_util import constant_value
from . import array_ops, broadcast_ops, comparison_ops, concat_ops, creation_ops, gather_ops, unary_ops

__all__ = ["relu", "relu6", "leaky_relu", "elu", "selu", "softplus", "softsign", "l2_loss", "bias_add", "top_k",
           "in_top_k"]


# --------------------------------------------------------------------------------------------
# Activations
# --------------------------------------------------------------------------------------------
def relu(features: Any, name: "str | None" = None) -> Tensor:
    """Rectified linear unit: ``max(features, 0)``."""
    return unary_op("Relu", features, name, _RELU_TYPES, input_name="features")


_RELU_TYPES = "float32, float64, int32, uint8, int16, int8, int64, bfloat16, uint16, float16, uint32, uint64"


@primitive("Relu", shape=same_shape)
def _relu_kernel(ctx, x):
    return np.maximum(x, np.zeros((), dtype=np.asarray(x).dtype))


@RegisterGradient("Relu")
def _relu_grad(op, grad):
    """y = max(x, 0):  dy/dx = 1 where x > 0, else 0 (0 at the kink, as in TF).
    One fused op, ``ReluGrad`` (as in TF): it is on every training step of a ReLU network."""
    return _fused_grad("ReluGrad", grad, op.outputs[0])


def _fused_grad(op_type: str, grad: Tensor, features: Tensor, attrs: "dict | None" = None) -> Tensor:
    """One fused gradient op ``op_type(grad, features)`` (ReluGrad, Relu6Grad, LeakyReluGrad), grad's shape."""
    return make_op(op_type, [grad, features], [grad.dtype.base_dtype], op_type, attrs=attrs,
                   shapes=[grad.shape]).outputs[0]


@primitive("ReluGrad")
def _relu_grad_kernel(ctx, grad, y):
    """``grad * (y > 0)``."""
    return np.multiply(grad, np.asarray(y) > 0)


@RegisterGradient("ReluGrad")
def _relu_grad_grad(op, grad):
    """ReluGrad is linear in ``grad`` (the mask does not depend on it); y gets no gradient."""
    return _fused_grad("ReluGrad", grad, op.inputs[1]), creation_ops.zeros_like(op.inputs[1])


def relu6(features: Any, name: "str | None" = None) -> Tensor:
    """``min(max(features, 0), 6)``."""
    return unary_op("Relu6", features, name, None, input_name="features")


@primitive("Relu6", shape=same_shape)
def _relu6_kernel(ctx, x):
    x = np.asarray(x)
    return np.clip(x, 0, 6).astype(x.dtype)


@RegisterGradient("Relu6")
def _relu6_grad(op, grad):
    """y = min(max(x, 0), 6):  dy/dx = 1 where 0 < x < 6, else 0 (one fused ``Relu6Grad`` op, as in TF)."""
    return _fused_grad("Relu6Grad", grad, op.outputs[0])


@primitive("Relu6Grad")
def _relu6_grad_kernel(ctx, grad, features):
    """``grad`` where ``0 < features < 6``, else 0."""
    features = np.asarray(features)
    return np.multiply(grad, (features > 0) & (features < 6))


@RegisterGradient("Relu6Grad")
def _relu6_grad_grad(op, grad):
    """Relu6Grad is linear in ``grad`` (the mask does not depend on it); the features get zeros."""
    x = op.inputs[1]
    return _fused_grad("Relu6Grad", grad, x), creation_ops.zeros_like(x)


def leaky_relu(features: Any, alpha: float = 0.2, name: "str | None" = None) -> Tensor:
    """``features`` where positive, else ``alpha * features``. Integer inputs are cast to float32."""
    with name_scope(name, "LeakyRelu", [features]) as scope:
        features = convert_to_tensor(features, name="features")
        if features.dtype.is_integer:
            features = unary_ops.cast(features, dtypes.float32)
        if isinstance(alpha, np.ndarray):
            alpha = alpha.item()
        return unary_op("LeakyRelu", features, scope, None, input_name="features", attrs={"alpha": float(alpha)})


@primitive("LeakyRelu", shape=same_shape)
def _leaky_relu_kernel(ctx, x):
    x = np.asarray(x)
    return np.where(x > 0, x, ctx.attrs["alpha"] * x).astype(x.dtype)


@RegisterGradient("LeakyRelu")
def _leaky_relu_grad(op, grad):
    """y = x if x > 0 else alpha*x:  dy/dx = 1 where x > 0, else alpha (one ``LeakyReluGrad`` op, as in TF)."""
    return _fused_grad("LeakyReluGrad", grad, op.inputs[0], {"alpha": op.attrs["alpha"]})


@primitive("LeakyReluGrad")
def _leaky_relu_grad_kernel(ctx, grad, features):
    """``grad`` where ``features > 0``, else ``alpha * grad``."""
    grad = np.asarray(grad)
    return np.where(np.asarray(features) > 0, grad, ctx.attrs["alpha"] * grad).astype(grad.dtype)


@RegisterGradient("LeakyReluGrad")
def _leaky_relu_grad_grad(op, grad):
    """LeakyReluGrad is linear in ``grad``; the features get zeros."""
    x = op.inputs[1]
    return (_fused_grad("LeakyReluGrad", grad, x, {"alpha": op.attrs["alpha"]}),
            creation_ops.zeros_like(x))


def elu(features: Any, name: "str | None" = None) -> Tensor:
    """Exponential linear unit: ``features`` if positive, else ``exp(features) - 1``."""
    return unary_op("Elu", features, name, FLOAT_TYPES, input_name="features")


@primitive("Elu", shape=same_shape)
def _elu_kernel(ctx, x):
    x = np.asarray(x)
    return np.where(x > 0, x, np.expm1(np.minimum(x, 0))).astype(x.dtype)   # exp only of x <= 0


@RegisterGradient("Elu")
def _elu_grad(op, grad):
    """y = e^x - 1 for x < 0:  dy/dx = e^x = y + 1;  for x > 0, dy/dx = 1."""
    y = op.outputs[0]
    return gather_ops.where(comparison_ops.less(y, 0), grad * (y + 1), grad)


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(features: Any, name: "str | None" = None) -> Tensor:
    """Scaled ELU: ``scale * elu_alpha(features)`` with the self-normalising constants."""
    return unary_op("Selu", features, name, FLOAT_TYPES, input_name="features")


@primitive("Selu", shape=same_shape)
def _selu_kernel(ctx, x):
    x = np.asarray(x)
    negative = _SELU_ALPHA * np.expm1(np.minimum(x, 0))
    return (_SELU_SCALE * np.where(x > 0, x, negative)).astype(x.dtype)


@RegisterGradient("Selu")
def _selu_grad(op, grad):
    """y = scale*alpha*(e^x - 1) for x < 0:  dy/dx = scale*alpha*e^x = y + scale*alpha;
    for x > 0, dy/dx = scale."""
    y = op.outputs[0]
    return gather_ops.where(comparison_ops.less(y, 0), grad * (y + _SELU_SCALE * _SELU_ALPHA), grad * _SELU_SCALE)


def softplus(features: Any, name: "str | None" = None) -> Tensor:
    """``log(exp(features) + 1)``, computed without overflow."""
    return unary_op("Softplus", features, name, FLOAT_TYPES, input_name="features")


@primitive("Softplus", shape=same_shape)
def _softplus_kernel(ctx, x):
    x = np.asarray(x)
    return (np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))).astype(x.dtype)


@RegisterGradient("Softplus")
def _softplus_grad(op, grad):
    """d log(1 + e^x)/dx = e^x / (1 + e^x) = sigmoid(x)."""
    return grad * unary_ops.sigmoid(op.inputs[0])


def softsign(features: Any, name: "str | None" = None) -> Tensor:
    """``features / (1 + |features|)``: like tanh, but approaching +-1 slowly."""
    return unary_op("Softsign", features, name, FLOAT_TYPES, input_name="features")


@primitive("Softsign", shape=same_shape)
def _softsign_kernel(ctx, x):
    x = np.asarray(x)
    return (x / (1 + np.abs(x))).astype(x.dtype)


@RegisterGradient("Softsign")
def _softsign_grad(op, grad):
    """d/dx x / (1 + |x|) = 1 / (1 + |x|)^2."""
    return grad / unary_ops.square(1 + unary_ops.abs(op.inputs[0]))


# --------------------------------------------------------------------------------------------
# l2_loss, bias_add
# --------------------------------------------------------------------------------------------
def l2_loss(t: Any, name: "str | None" = None) -> Tensor:
    """``sum(t ** 2) / 2``: half the squared L2 norm, a scalar (used for weight decay)."""
    return unary_op("L2Loss", t, name, FLOAT_TYPES, input_name="t")


@primitive("L2Loss", shape=lambda op: TensorShape([]))
def _l2_loss_kernel(ctx, t):
    t = np.asarray(t)
    with np.errstate(over="ignore"):                 # inf, quietly, as TensorFlow
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
        return graph_of([value, bias]).create_op(
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
    return grad, graph_of([grad]).create_op(
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
        grad = array_ops.reshape(grad, concat_ops.concat(
            [creation_ops.ones_like(shape[:1]), array_ops.shape(grad), creation_ops.ones_like(shape[2:])], 0))
    return broadcast_ops.broadcast_to(grad, shape)


# --------------------------------------------------------------------------------------------
# top_k, in_top_k
# --------------------------------------------------------------------------------------------
def top_k(input: Any, k: Any = 1, sorted: bool = True, name: "str | None" = None) -> "tuple[Tensor, Tensor]":  # noqa: A002
    """The ``k`` largest entries of each row (last axis), largest first, and their indices (int32);
    of equal entries the one with the lower index comes first."""
    with name_scope(name, "TopKV2", [input]) as scope:
        input = convert_to_tensor(input, name="input")  # noqa: A001
        check_dtype(input, "TopKV2", _RELU_TYPES, "input")
        k = convert_to_tensor(k, dtype=dtypes.int32, name="k")
        op = make_op("TopKV2", [input, k], [input.dtype.base_dtype, dtypes.int32], scope,
                     attrs={"sorted": bool(sorted)})
        return op.outputs[0], op.outputs[1]


def _top_k_rule(op: Operation) -> "list[TensorShape]":
    x, k = op.inputs[0].shape, constant_value(op.inputs[1])
    if op.inputs[1].shape.ndims not in (None, 0):
        raise ShapeError("Shape must be rank 0 but is rank %d" % op.inputs[1].shape.ndims, "Fix: k is one number.")
    if x.ndims is None:
        return [TensorShape(None)] * 2
    if x.ndims < 1:
        raise ShapeError("Shape must be at least rank 1 but is rank 0", "Fix: top_k looks along the last axis.")
    if k is not None:
        if int(k) < 0:
            raise ShapeError("Need k >= 0, got %d" % int(k))
        if x[-1].value is not None and x[-1].value < int(k):
            raise ShapeError("input must have last dimension >= k = %d but is %d" % (int(k), x[-1].value),
                             "Fix: ask for at most %d entries." % x[-1].value)
    out = TensorShape(x.as_list()[:-1] + [None if k is None else int(k)])
    return [out, out]


@primitive("TopKV2", shape=_top_k_rule)
def _top_k_kernel(ctx, x, k):
    x, k = np.asarray(x), int(k)
    if x.ndim < 1:
        raise errors.InvalidArgumentError(None, ctx.op, "input must be >= 1-D, got shape []")
    if k < 0:
        raise errors.InvalidArgumentError(None, ctx.op, "Need k >= 0, got %d" % k)
    if x.shape[-1] < k:
        raise errors.InvalidArgumentError(None, ctx.op, "input must have at least k columns. Had %d, needed %d"
                                          % (x.shape[-1], k))
    key = -x if x.dtype.kind != "f" else np.where(np.isnan(x), -np.inf, -x)     # NaN counts as the largest
    order = np.argsort(key, axis=-1, kind="stable")[..., :k]     # stable: ties keep the lower index first
    return np.take_along_axis(x, order, axis=-1), order.astype(np.int32)


@RegisterGradient("TopKV2")
def _top_k_grad(op, grad, _):
    """Each value's gradient goes back to the entry it was taken from (TensorFlow scatters it)."""
    x, indices = op.inputs[0], op.outputs[1]
    columns = array_ops.shape(x)[-1]
    rows = array_ops.reshape(indices, [-1, array_ops.shape(indices)[-1]])
    offsets = array_ops.expand_dims(creation_ops.range(0, array_ops.shape(rows)[0]) * columns, -1)
    flat = gather_ops.unsorted_segment_sum(array_ops.reshape(grad, [-1]), array_ops.reshape(rows + offsets, [-1]),
                                           array_ops.size(x))
    return array_ops.reshape(flat, array_ops.shape(x)), None


def in_top_k(predictions: Any, targets: Any, k: Any, name: "str | None" = None) -> Tensor:
    """For each row, whether ``targets[i]`` is among the ``k`` largest ``predictions[i]`` (ties at
    the edge count as in; a row with a NaN or an infinity, or a target out of range, gives False),
    as TF1's evaluation code uses."""
    with name_scope(name, "in_top_k", [predictions, targets]):
        predictions = convert_to_tensor(predictions, name="predictions")
        check_dtype(predictions, "InTopKV2", "float32", "predictions")
        targets = convert_to_tensor(targets, name="targets")
        if not targets.dtype.is_integer:
            raise TypeError("Value passed to parameter 'targets' has DataType %s not in list of allowed values: "
                            "int32, int64\nFix: targets are class ids, e.g. tf.argmax(labels, 1)."
                            % targets.dtype.base_dtype.name)
        k = convert_to_tensor(k, dtype=targets.dtype.base_dtype, name="k")
        return make_op("InTopKV2", [predictions, targets, k], [dtypes.bool], "InTopKV2",
                       shapes=[TensorShape(predictions.shape.as_list()[:1] if predictions.shape.ndims else None)]
                       ).outputs[0]


@primitive("InTopKV2")
def _in_top_k_kernel(ctx, predictions, targets, k):
    predictions, targets = np.asarray(predictions), np.asarray(targets)
    if predictions.ndim != 2 or targets.shape != predictions.shape[:1]:
        raise errors.InvalidArgumentError(None, ctx.op, "predictions must be 2-dimensional and targets "
                                          "1-dimensional of the same first size, got %s and %s"
                                          % (list(predictions.shape), list(targets.shape)))
    inside = (targets >= 0) & (targets < predictions.shape[1])      # a target out of range: False (as TF)
    chosen = predictions[np.arange(len(targets)), np.where(inside, targets, 0)]
    better = (predictions > chosen[:, None]).sum(axis=1)
    return inside & np.isfinite(predictions).all(axis=1) & (better < int(k))


NoGradient("InTopKV2")

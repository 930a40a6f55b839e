"""One-input elementwise maths, and casts: ``-x``, ``tf.abs``, ``tf.sqrt``, ``tf.exp``, ``tf.log``,
``tf.sin``, ``tf.sigmoid``, ``tf.tanh``, ..., ``tf.cast``.

Each op is one block: the function learners call, the numpy kernel (``@primitive``, with the
shape rule ``same_shape``: the output has the input's shape) and the gradient rule
(``@RegisterGradient``), with the derivative in its docstring. The gradients are built from the
same ops, so they can be differentiated again.

TensorFlow's counterparts: ``python/ops/math_ops.py``, ``python/ops/math_grad.py``,
``core/ops/math_ops.cc``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import dtypes, errors
from ..framework import Tensor, convert_to_tensor, graph_of, name_scope
from ..op_def_library import FLOAT_TYPES, make_op, same_shape, unary_op
from ..op_registry import NoGradient, RegisterGradient, primitive
from . import constant_op, creation_ops, math_ops

__all__ = ["negative", "abs", "sign", "square", "sqrt", "rsqrt", "exp", "expm1", "log", "log1p", "sin", "cos",
           "sigmoid", "tanh", "reciprocal", "round", "rint", "floor", "ceil", "is_nan", "is_inf", "is_finite", "cast",
           "to_float", "to_double", "to_int32", "to_int64"]


# --------------------------------------------------------------------------------------------
# Unary elementwise
# --------------------------------------------------------------------------------------------
def negative(x: Any, name: "str | None" = None) -> Tensor:
    """``-x``."""
    return unary_op("Neg", x, name)


@primitive("Neg", shape=same_shape)
def _neg_kernel(ctx, x):
    return np.negative(x)


@RegisterGradient("Neg")
def _neg_grad(op, grad):
    """d(-x)/dx = -1."""
    return negative(grad)


def abs(x: Any, name: "str | None" = None) -> Tensor:  # noqa: A001
    """``|x|``."""
    return unary_op("Abs", x, name)


@primitive("Abs", shape=same_shape)
def _abs_kernel(ctx, x):
    return np.abs(x)


@RegisterGradient("Abs")
def _abs_grad(op, grad):
    """d|x|/dx = sign(x) (0 at x = 0)."""
    return grad * sign(op.inputs[0])


def sign(x: Any, name: "str | None" = None) -> Tensor:
    """-1, 0 or 1 elementwise."""
    return unary_op("Sign", x, name)


@primitive("Sign", shape=same_shape)
def _sign_kernel(ctx, x):
    return np.sign(x)


@RegisterGradient("Sign")
def _sign_grad(op, grad):
    """sign is flat almost everywhere: gradient 0."""
    return creation_ops.zeros_like(op.inputs[0])


def square(x: Any, name: "str | None" = None) -> Tensor:
    """``x^2``."""
    return unary_op("Square", x, name)


@primitive("Square", shape=same_shape)
def _square_kernel(ctx, x):
    return np.multiply(x, x)


@RegisterGradient("Square")
def _square_grad(op, grad):
    """d(x^2)/dx = 2x (built as TF1 builds it: Const 2, Mul = x * 2, Mul_1 = grad * Mul)."""
    x = op.inputs[0]
    return math_ops.multiply(grad, math_ops.multiply(x, constant_op.constant(2, dtype=x.dtype.base_dtype)))


def sqrt(x: Any, name: "str | None" = None) -> Tensor:
    """``sqrt(x)``."""
    return unary_op("Sqrt", x, name, FLOAT_TYPES)


@primitive("Sqrt", shape=same_shape)
def _sqrt_kernel(ctx, x):
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.sqrt(x)


@RegisterGradient("Sqrt")
def _sqrt_grad(op, grad):
    """d sqrt(x)/dx = 1 / (2 sqrt(x)) = 0.5 / y."""
    return grad * (0.5 / op.outputs[0])


def rsqrt(x: Any, name: "str | None" = None) -> Tensor:
    """``1 / sqrt(x)``."""
    return unary_op("Rsqrt", x, name, FLOAT_TYPES)


@primitive("Rsqrt", shape=same_shape)
def _rsqrt_kernel(ctx, x):
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.reciprocal(np.sqrt(x))


@RegisterGradient("Rsqrt")
def _rsqrt_grad(op, grad):
    """d x^(-1/2)/dx = -0.5 x^(-3/2) = -0.5 y^3."""
    y = op.outputs[0]
    return grad * (-0.5 * y * y * y)


def reciprocal(x: Any, name: "str | None" = None) -> Tensor:
    """``1 / x``."""
    return unary_op("Reciprocal", x, name)


@primitive("Reciprocal", shape=same_shape)
def _reciprocal_kernel(ctx, x):
    with np.errstate(divide="ignore"):
        return np.reciprocal(x)


@RegisterGradient("Reciprocal")
def _reciprocal_grad(op, grad):
    """d(1/x)/dx = -1/x^2 = -y^2."""
    y = op.outputs[0]
    return grad * negative(y * y)


def exp(x: Any, name: "str | None" = None) -> Tensor:
    """``e^x``."""
    return unary_op("Exp", x, name, FLOAT_TYPES)


@primitive("Exp", shape=same_shape)
def _exp_kernel(ctx, x):
    with np.errstate(over="ignore"):
        return np.exp(x)


@RegisterGradient("Exp")
def _exp_grad(op, grad):
    """d e^x/dx = e^x = y."""
    return grad * op.outputs[0]


def expm1(x: Any, name: "str | None" = None) -> Tensor:
    """``e^x - 1``, exact for small x (where ``exp(x) - 1`` loses digits)."""
    return unary_op("Expm1", x, name, FLOAT_TYPES)


@primitive("Expm1", shape=same_shape)
def _expm1_kernel(ctx, x):
    with np.errstate(over="ignore"):
        return np.expm1(x)


@RegisterGradient("Expm1")
def _expm1_grad(op, grad):
    """d(e^x - 1)/dx = e^x."""
    return grad * exp(op.inputs[0])


def log(x: Any, name: "str | None" = None) -> Tensor:
    """Natural logarithm."""
    return unary_op("Log", x, name, FLOAT_TYPES)


@primitive("Log", shape=same_shape)
def _log_kernel(ctx, x):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(x)


@RegisterGradient("Log")
def _log_grad(op, grad):
    """d log(x)/dx = 1/x."""
    return grad * reciprocal(op.inputs[0])


def log1p(x: Any, name: "str | None" = None) -> Tensor:
    """``log(1 + x)``, accurate for small x."""
    return unary_op("Log1p", x, name, FLOAT_TYPES)


@primitive("Log1p", shape=same_shape)
def _log1p_kernel(ctx, x):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log1p(x)


@RegisterGradient("Log1p")
def _log1p_grad(op, grad):
    """d log(1+x)/dx = 1/(1+x)."""
    return grad * reciprocal(1.0 + op.inputs[0])


def sin(x: Any, name: "str | None" = None) -> Tensor:
    """``sin(x)``."""
    return unary_op("Sin", x, name, FLOAT_TYPES)


@primitive("Sin", shape=same_shape)
def _sin_kernel(ctx, x):
    return np.sin(x)


@RegisterGradient("Sin")
def _sin_grad(op, grad):
    """d sin(x)/dx = cos(x)."""
    return grad * cos(op.inputs[0])


def cos(x: Any, name: "str | None" = None) -> Tensor:
    """``cos(x)``."""
    return unary_op("Cos", x, name, FLOAT_TYPES)


@primitive("Cos", shape=same_shape)
def _cos_kernel(ctx, x):
    return np.cos(x)


@RegisterGradient("Cos")
def _cos_grad(op, grad):
    """d cos(x)/dx = -sin(x)."""
    return grad * negative(sin(op.inputs[0]))


def sigmoid(x: Any, name: "str | None" = None) -> Tensor:
    """``1 / (1 + e^-x)``, computed without overflow."""
    return unary_op("Sigmoid", x, name, FLOAT_TYPES)


@primitive("Sigmoid", shape=same_shape)
def _sigmoid_kernel(ctx, x):
    # 1 / (1 + e^-x) is accurate everywhere: e^-x only overflows (to inf, giving 0) below
    # x = -88, where the true value is below float32's smallest normal number anyway.
    x = np.asarray(x)
    y = np.empty_like(x)                 # one buffer, worked on in place (0-d arrays too)
    with np.errstate(over="ignore"):
        np.negative(x, out=y)
        np.exp(y, out=y)
    y += 1
    return np.reciprocal(y, out=y)


@RegisterGradient("Sigmoid")
def _sigmoid_grad(op, grad):
    """d sigmoid(x)/dx = y (1 - y): one ``SigmoidGrad`` op, as TF builds it."""
    return _activation_grad("SigmoidGrad", op.outputs[0], grad)


def _activation_grad(op_type: str, y: Tensor, dy: Tensor) -> Tensor:
    """``SigmoidGrad(y, dy) = dy * y * (1 - y)``, ``TanhGrad(y, dy) = dy * (1 - y^2)``: the gradient
    of an activation from its output ``y``, in one kernel."""
    return make_op(op_type, [y, dy], [y.dtype.base_dtype], op_type, shapes=[y.shape]).outputs[0]


@primitive("SigmoidGrad", shape=same_shape)
def _sigmoid_grad_kernel(ctx, y, dy):
    y = np.asarray(y)
    out = np.empty_like(y)
    np.subtract(1, y, out=out)
    out *= y
    out *= dy
    return out


@RegisterGradient("SigmoidGrad")
def _sigmoid_grad_grad(op, grad):
    """z = dy y (1 - y):  dz/dy = dy (1 - 2y),  dz/d(dy) = y (1 - y)."""
    y, dy = op.inputs
    gb = grad * dy
    return gb - 2.0 * gb * y, _activation_grad("SigmoidGrad", y, grad)


def tanh(x: Any, name: "str | None" = None) -> Tensor:
    """Hyperbolic tangent."""
    return unary_op("Tanh", x, name, FLOAT_TYPES)


@primitive("Tanh", shape=same_shape)
def _tanh_kernel(ctx, x):
    return np.tanh(x)


@RegisterGradient("Tanh")
def _tanh_grad(op, grad):
    """d tanh(x)/dx = 1 - y^2: one ``TanhGrad`` op, as TF builds it."""
    return _activation_grad("TanhGrad", op.outputs[0], grad)


@primitive("TanhGrad", shape=same_shape)
def _tanh_grad_kernel(ctx, y, dy):
    y = np.asarray(y)
    out = np.empty_like(y)
    np.multiply(y, y, out=out)
    np.subtract(1, out, out=out)
    out *= dy
    return out


@RegisterGradient("TanhGrad")
def _tanh_grad_grad(op, grad):
    """z = dy (1 - y^2):  dz/dy = -2 dy y,  dz/d(dy) = 1 - y^2."""
    y, dy = op.inputs
    return grad * -2.0 * dy * y, _activation_grad("TanhGrad", y, grad)


# --------------------------------------------------------------------------------------------
# Rounding, and what kind of number it is
# --------------------------------------------------------------------------------------------
def round(x: Any, name: "str | None" = None) -> Tensor:  # noqa: A001 (TF's name)
    """Rounds to the nearest integer, halves to even (``round(2.5)`` is 2, as numpy and TF)."""
    x = convert_to_tensor(x, name="x")
    if x.dtype.is_integer:
        return x                     # (TF returns an integer tensor as it is)
    return unary_op("Round", x, name)


def rint(x: Any, name: "str | None" = None) -> Tensor:
    """The nearest integer, halves to even, as a float."""
    return unary_op("Rint", x, name, FLOAT_TYPES)


def floor(x: Any, name: "str | None" = None) -> Tensor:
    """The largest integer not above x (as a float)."""
    return unary_op("Floor", x, name, FLOAT_TYPES)


def ceil(x: Any, name: "str | None" = None) -> Tensor:
    """The smallest integer not below x (as a float)."""
    return unary_op("Ceil", x, name, FLOAT_TYPES)


primitive("Round", shape=same_shape)(lambda ctx, x: np.round(x))
primitive("Rint", shape=same_shape)(lambda ctx, x: np.rint(x))
primitive("Floor", shape=same_shape)(lambda ctx, x: np.floor(x))
primitive("Ceil", shape=same_shape)(lambda ctx, x: np.ceil(x))
for _op_type in ("Round", "Rint", "Floor", "Ceil"):       # flat steps: TF gives them no gradient (None)
    RegisterGradient(_op_type)(lambda op, grad: [None])


def is_nan(x: Any, name: "str | None" = None) -> Tensor:
    """True where x is NaN."""
    return unary_op("IsNan", x, name, FLOAT_TYPES, dtype=dtypes.bool)


def is_inf(x: Any, name: "str | None" = None) -> Tensor:
    """True where x is +inf or -inf."""
    return unary_op("IsInf", x, name, FLOAT_TYPES, dtype=dtypes.bool)


def is_finite(x: Any, name: "str | None" = None) -> Tensor:
    """True where x is neither NaN nor infinite."""
    return unary_op("IsFinite", x, name, FLOAT_TYPES, dtype=dtypes.bool)


primitive("IsNan", shape=same_shape)(lambda ctx, x: np.isnan(x))
primitive("IsInf", shape=same_shape)(lambda ctx, x: np.isinf(x))
primitive("IsFinite", shape=same_shape)(lambda ctx, x: np.isfinite(x))
for _op_type in ("IsNan", "IsInf", "IsFinite"):
    NoGradient(_op_type)


# --------------------------------------------------------------------------------------------
# Casting
# --------------------------------------------------------------------------------------------
def cast(x: Any, dtype: Any, name: "str | None" = None) -> Tensor:
    """Converts ``x`` to ``dtype`` (floats to ints truncate towards zero; x itself if it has it)."""
    dtype = dtypes.as_dtype(dtype).base_dtype
    if isinstance(x, Tensor) and x.dtype.base_dtype is dtype:
        return x
    with name_scope(name, "Cast", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        if x.dtype.base_dtype is dtype:
            return x
        return graph_of([x]).create_op("Cast", [x], [dtype], name=scope,
                                        attrs={"SrcT": x.dtype.base_dtype, "DstT": dtype},
                                        shapes=[x.shape]).outputs[0]


@primitive("Cast")
def _cast_kernel(ctx, x):
    src, dst = ctx.op._inputs[0]._dtype.base_dtype, ctx.attrs["DstT"]
    if (src is dtypes.string) != (dst is dtypes.string):
        raise errors.UnimplementedError(None, ctx.op, "Cast %s to %s is not supported\nFix: tf.cast does not parse "
                                        "or format strings." % (src.short_name, dst.short_name))
    with np.errstate(invalid="ignore", over="ignore"):
        return np.asarray(x).astype(ctx.attrs["DstT"].as_numpy_dtype)


@RegisterGradient("Cast")
def _cast_grad(op, grad):
    """Casting between float types passes the gradient (cast back); to or from ints gives none."""
    src = op.inputs[0].dtype.base_dtype
    if src.is_floating and grad.dtype.is_floating:
        return cast(grad, src)
    return None


def to_float(x: Any, name: str = "ToFloat") -> Tensor:
    """``tf.cast(x, tf.float32)`` (deprecated in TF1; the op is named ``ToFloat``)."""
    return cast(x, dtypes.float32, name=name)


def to_double(x: Any, name: str = "ToDouble") -> Tensor:
    """``tf.cast(x, tf.float64)`` (deprecated in TF1; the op is named ``ToDouble``)."""
    return cast(x, dtypes.float64, name=name)


def to_int32(x: Any, name: str = "ToInt32") -> Tensor:
    """``tf.cast(x, tf.int32)`` (deprecated in TF1; the op is named ``ToInt32``)."""
    return cast(x, dtypes.int32, name=name)


def to_int64(x: Any, name: str = "ToInt64") -> Tensor:
    """``tf.cast(x, tf.int64)`` (deprecated in TF1; the op is named ``ToInt64``)."""
    return cast(x, dtypes.int64, name=name)

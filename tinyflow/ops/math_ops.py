"""Arithmetic: ``tf.add``, ``subtract``, ``multiply``, the divisions, ``maximum``, ``pow``, ...,
``tf.add_n``; and :func:`unbroadcast`, which every binary op's gradient uses.

Every op here is one block: the function learners call, the numpy kernel with its shape
rule (``@primitive``) and the gradient rule (``@RegisterGradient``), with the maths in the
docstring. Gradients are built from the same ops, so they can be differentiated again.

Broadcasting: binary ops follow numpy's rules. In the backward pass a gradient that was
broadcast must be summed back to the input's shape; :func:`unbroadcast` is the one helper
that does this for every op.

Dtypes: like TensorFlow 1.x, nothing is promoted implicitly. ``float32 + int32`` is a
TypeError; a Python number next to a tensor takes the tensor's dtype (``x + 1``).

Names: ``tf.add(a, b)`` makes an op named ``Add`` (type ``Add``), while ``a + b`` makes one
named ``add`` (type ``AddV2``): the operators use their own lowercase names, as in TF1
(see ``operators.py``).

TensorFlow's counterparts: ``python/ops/math_ops.py``, ``python/ops/math_grad.py``,
``core/ops/math_ops.cc``.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .. import dtypes, errors
from ..framework import Operation, Tensor, convert_to_tensor, graph_of, name_scope
from ..op_def_library import (ADD_TYPES, FLOAT_TYPES, NUMBER_TYPES, binary_op, broadcast_rule, check_dtype,
                              convert_pair, make_tensor)
from ..op_registry import RegisterGradient, primitive
from ..tensor_shape import ShapeError, TensorShape, broadcast_static_shape
from . import array_ops, broadcast_ops, comparison_ops, creation_ops, gather_ops, reduction_ops, unary_ops

__all__ = ["add", "subtract", "multiply", "divide", "truediv", "realdiv", "div", "floordiv", "floor_div",
           "mod", "floormod", "pow", "maximum", "minimum", "add_n", "squared_difference", "scalar_mul",
           "div_no_nan", "truncatediv", "truncatemod"]


# --------------------------------------------------------------------------------------------
# The backward pass of broadcasting, which every gradient here uses
# --------------------------------------------------------------------------------------------
def unbroadcast(grad: Tensor, x: Tensor) -> Tensor:
    """Sums ``grad`` over the axes along which ``x`` was broadcast, so it gets ``x``'s shape.

    If ``x`` has shape (3,) and the op's output (2, 3), the gradient for x is
    ``reduce_sum(grad, axis=0)``. With fully known shapes the axes are found now;
    otherwise a ``BroadcastGradientArgs`` op finds them at run time.
    """
    xs, gs = x._shape, grad._shape
    if xs._dims == gs._dims and xs.is_fully_defined():
        return grad
    if xs.is_fully_defined() and gs.is_fully_defined():
        full = broadcast_static_shape(xs, gs)
        if full != gs:         # a smaller upstream gradient (e.g. grad_ys=2.0): spread it out first
            grad, gs = broadcast_ops.broadcast_to(grad, full.as_list()), full
        xl, gl = xs.as_list(), gs.as_list()
        lead = len(gl) - len(xl)
        axes = list(range(lead)) + [lead + i for i, d in enumerate(xl) if d == 1 and gl[lead + i] != 1]
        summed = reduction_ops.reduce_sum(grad, axes) if axes else grad
        return array_ops.reshape(summed, xl)
    rx, _ = broadcast_ops.broadcast_gradient_args(array_ops.shape(x), array_ops.shape(grad))
    return array_ops.reshape(reduction_ops.reduce_sum(grad, rx), array_ops.shape(x))


def _integer_divisor_check(ctx, x, y) -> None:
    """numpy quietly returns 0 for an integer division by zero; TensorFlow refuses."""
    y = np.asarray(y)
    if y.dtype.kind in "iu" and not y.all():
        raise errors.InvalidArgumentError(None, ctx.op, "Integer division by zero")


# --------------------------------------------------------------------------------------------
# Binary arithmetic
# --------------------------------------------------------------------------------------------
def add(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """``x + y`` elementwise, with broadcasting (op type ``Add``; ``a + b`` makes ``AddV2``)."""
    return binary_op("Add", x, y, name, "Add", allowed=ADD_TYPES)


def add_v2(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """What ``x + y`` calls: TF 1.15's ``AddV2`` op (``Add`` for strings)."""
    op_type = "Add" if getattr(x, "dtype", None) is dtypes.string else "AddV2"
    return binary_op(op_type, x, y, name, op_type, allowed=ADD_TYPES if op_type == "Add" else NUMBER_TYPES)


@primitive("Add", shape=broadcast_rule)
@primitive("AddV2", shape=broadcast_rule)
def _add_kernel(ctx, x, y):
    return np.add(x, y)


@RegisterGradient("Add")
@RegisterGradient("AddV2")
def _add_grad(op, grad):
    """z = x + y:  dz/dx = 1, dz/dy = 1."""
    x, y = op.inputs
    return unbroadcast(grad, x), unbroadcast(grad, y)


def subtract(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """``x - y`` elementwise."""
    return binary_op("Sub", x, y, name, "Sub")


@primitive("Sub", shape=broadcast_rule)
def _sub_kernel(ctx, x, y):
    return np.subtract(x, y)


@RegisterGradient("Sub")
def _sub_grad(op, grad):
    """z = x - y:  dz/dx = 1, dz/dy = -1."""
    x, y = op.inputs
    return unbroadcast(grad, x), unbroadcast(unary_ops.negative(grad), y)


def multiply(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """``x * y`` elementwise."""
    return binary_op("Mul", x, y, name, "Mul")


@primitive("Mul", shape=broadcast_rule)
def _mul_kernel(ctx, x, y):
    return np.multiply(x, y)


@RegisterGradient("Mul")
def _mul_grad(op, grad):
    """z = x * y:  dz/dx = y, dz/dy = x."""
    x, y = op.inputs
    return unbroadcast(multiply(grad, y), x), unbroadcast(multiply(x, grad), y)   # TF1's names: Mul, Mul_1


def scalar_mul(scalar: Any, x: Any, name: "str | None" = None) -> Tensor:
    """``scalar * x`` for a scalar (0-d) ``scalar``, converted to x's dtype."""
    x = convert_to_tensor(x)
    scalar = convert_to_tensor(scalar, dtype=x.dtype.base_dtype, name="scalar")
    if scalar.shape.ndims != 0:
        raise ValueError("Only scalar multiply works, got shape %s" % scalar.shape)
    with name_scope(name, "scalar_mul", [scalar, x]) as scope:
        return multiply(scalar, x, name=scope)


def realdiv(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """``x / y`` (integers are divided rounding towards zero)."""
    return binary_op("RealDiv", x, y, name, "RealDiv")


@primitive("RealDiv", shape=broadcast_rule)
def _realdiv_kernel(ctx, x, y):
    x, y = np.asarray(x), np.asarray(y)
    if x.dtype.kind in "iu":
        _integer_divisor_check(ctx, x, y)
        q = np.abs(x) // np.abs(y)                 # C's integer division truncates
        return (q * np.sign(x) * np.sign(y)).astype(x.dtype)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.true_divide(x, y)


@RegisterGradient("RealDiv")
def _realdiv_grad(op, grad):
    """z = x / y:  dz/dx = 1/y, dz/dy = -x/y^2."""
    x, y = op.inputs
    return (unbroadcast(realdiv(grad, y), x),                    # TF's names: RealDiv, Neg, RealDiv_1, ...
            unbroadcast(multiply(grad, realdiv(realdiv(unary_ops.negative(x), y), y), name="mul"), y))


# TF1's true division: integers are first cast to a float type wide enough to hold them.
_TRUEDIV_TABLE = {"uint8": dtypes.float32, "int8": dtypes.float32, "int16": dtypes.float32,
                  "int32": dtypes.float64, "int64": dtypes.float64}


def truediv(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """Python 3 division ``x / y``: integers are cast to float first (int32 -> float64, as in TF1)."""
    with name_scope(name, "truediv", [x, y]) as scope:
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, name="y")
        if x.dtype.base_dtype is not y.dtype.base_dtype:
            raise TypeError("x and y must have the same dtype, got %r != %r\n"
                            "Fix: cast one of them, e.g. tf.cast(y, %r)."
                            % (x.dtype.base_dtype, y.dtype.base_dtype, x.dtype.base_dtype))
        if not (x.dtype.is_floating or x.dtype.base_dtype.name in _TRUEDIV_TABLE):
            raise TypeError("Invalid dtype %r in __truediv__" % x.dtype.base_dtype)
        target = _TRUEDIV_TABLE.get(x.dtype.base_dtype.name)
        if target is not None:
            x, y = unary_ops.cast(x, target), unary_ops.cast(y, target)
        return make_tensor("RealDiv", [x, y], x.dtype.base_dtype, scope)


def divide(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """Python-style division ``x / y`` (the same as the ``/`` operator)."""
    if name is not None:
        return truediv(x, y, name=name)
    return x / y


def div(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """Python 2 division (deprecated in TF1): floats divide, integers floor-divide."""
    with name_scope(name, "div", [x, y]) as scope:
        x, y = convert_pair(x, y, "RealDiv")
        op_type = "RealDiv" if x.dtype.is_floating else "FloorDiv"
        return make_tensor(op_type, [x, y], x.dtype.base_dtype, scope)


def floordiv(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """``x // y``: division rounded towards minus infinity."""
    return binary_op("FloorDiv", x, y, name, "floordiv")


def floor_div(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """The generated-op spelling of :func:`floordiv` (op name ``FloorDiv``)."""
    return binary_op("FloorDiv", x, y, name, "FloorDiv")


@primitive("FloorDiv", shape=broadcast_rule)
def _floordiv_kernel(ctx, x, y):
    _integer_divisor_check(ctx, x, y)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.floor_divide(x, y)


@RegisterGradient("FloorDiv")
def _floordiv_grad(op, grad):
    """floor(x / y) is a staircase: flat (or a jump) everywhere, so TF gives no gradient."""
    return None, None


def mod(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """``x % y`` with the sign of y (Python's rule)."""
    return binary_op("FloorMod", x, y, name, "FloorMod")


floormod = mod


@primitive("FloorMod", shape=broadcast_rule)
def _floormod_kernel(ctx, x, y):
    _integer_divisor_check(ctx, x, y)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.mod(x, y)


@RegisterGradient("FloorMod")
def _floormod_grad(op, grad):
    """z = x - floor(x/y) * y:  dz/dx = 1, dz/dy = -floor(x/y)."""
    x, y = op.inputs
    return unbroadcast(grad, x), unbroadcast(grad * unary_ops.negative(floordiv(x, y)), y)


def truncatediv(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """``x / y`` rounded towards zero (C's rule: ``-7 / 2`` is -3, where floordiv gives -4)."""
    return binary_op("TruncateDiv", x, y, name, "TruncateDiv")


@primitive("TruncateDiv", shape=broadcast_rule)
def _truncatediv_kernel(ctx, x, y):
    _integer_divisor_check(ctx, x, y)
    x, y = np.asarray(x), np.asarray(y)
    if x.dtype.kind in "iu":
        q = np.floor_divide(x, y)             # one up where the division was inexact and the signs differ
        return (q + ((q * y != x) & ((x < 0) != (y < 0)))).astype(q.dtype)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.trunc(np.true_divide(x, y)).astype(np.result_type(x, y))


@RegisterGradient("TruncateDiv")
def _truncatediv_grad(op, grad):
    """A staircase, as floordiv: TF gives no gradient (None for both)."""
    return None, None


def truncatemod(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """``x - truncatediv(x, y) * y``: the remainder with the sign of x (C's ``fmod``). TensorFlow
    registers no gradient for it, so differentiating through it fails (LookupError) as in TF."""
    return binary_op("TruncateMod", x, y, name, "TruncateMod")


@primitive("TruncateMod", shape=broadcast_rule)
def _truncatemod_kernel(ctx, x, y):
    _integer_divisor_check(ctx, x, y)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.fmod(x, y)


def pow(x: Any, y: Any, name: "str | None" = None) -> Tensor:  # noqa: A001
    """``x ** y`` elementwise."""
    return binary_op("Pow", x, y, name, "Pow")


@primitive("Pow", shape=broadcast_rule)
def _pow_kernel(ctx, x, y):
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.power(x, y)


@RegisterGradient("Pow")
def _pow_grad(op, grad):
    """z = x^y:  dz/dx = y x^(y-1),  dz/dy = z log(x) (taken as 0 where x <= 0)."""
    x, y = op.inputs
    z = op.outputs[0]
    gx = grad * y * pow(x, y - 1)
    positive = x > 0
    safe_x = gather_ops.where(positive, x, creation_ops.ones_like(x))
    log_x = gather_ops.where(positive, unary_ops.log(safe_x), creation_ops.zeros_like(x))
    return unbroadcast(gx, x), unbroadcast(grad * z * log_x, y)


def maximum(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """Elementwise ``max(x, y)``."""
    return binary_op("Maximum", x, y, name, "Maximum")


@primitive("Maximum", shape=broadcast_rule)
def _maximum_kernel(ctx, x, y):
    return np.maximum(x, y)


@RegisterGradient("Maximum")
def _maximum_grad(op, grad):
    """The gradient goes to the larger input; on ties (x == y) all of it goes to x, as in TF."""
    return _max_min_grad(op, grad, comparison_ops.greater_equal(op.inputs[0], op.inputs[1]))


def minimum(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """Elementwise ``min(x, y)``."""
    return binary_op("Minimum", x, y, name, "Minimum")


@primitive("Minimum", shape=broadcast_rule)
def _minimum_kernel(ctx, x, y):
    return np.minimum(x, y)


@RegisterGradient("Minimum")
def _minimum_grad(op, grad):
    """The gradient goes to the smaller input; on ties (x == y) all of it goes to x, as in TF."""
    return _max_min_grad(op, grad, comparison_ops.less_equal(op.inputs[0], op.inputs[1]))


def _max_min_grad(op: Operation, grad: Tensor, x_wins: Tensor):
    x, y = op.inputs
    zeros = creation_ops.zeros_like(grad)
    return unbroadcast(gather_ops.where(x_wins, grad, zeros), x), unbroadcast(gather_ops.where(x_wins, zeros, grad), y)


def squared_difference(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """``(x - y)^2`` elementwise."""
    return binary_op("SquaredDifference", x, y, name, "SquaredDifference")


@primitive("SquaredDifference", shape=broadcast_rule)
def _squared_difference_kernel(ctx, x, y):
    d = np.subtract(x, y)
    return d * d


@RegisterGradient("SquaredDifference")
def _squared_difference_grad(op, grad):
    """z = (x-y)^2:  dz/dx = 2(x-y), dz/dy = -2(x-y)."""
    x, y = op.inputs
    g = (2.0 * grad) * (x - y)
    return unbroadcast(g, x), unbroadcast(unary_ops.negative(g), y)


def div_no_nan(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """``x / y``, but 0 wherever ``y == 0``."""
    with name_scope(name, "div_no_nan", [x, y]) as scope:
        x, y = convert_pair(x, y, "DivNoNan")
        check_dtype(x, "DivNoNan", FLOAT_TYPES)
        return make_tensor("DivNoNan", [x, y], x.dtype.base_dtype, scope)


@primitive("DivNoNan", shape=broadcast_rule)
def _div_no_nan_kernel(ctx, x, y):
    """``x / y``, and 0 wherever ``y == 0`` (whatever x is)."""
    x, y = np.asarray(x), np.asarray(y)
    if y.ndim == 0:                          # the usual case: a loss's total over a count
        return np.true_divide(x, y) if y else np.zeros(x.shape, np.result_type(x, y))
    is_zero = np.equal(y, 0)
    return np.where(is_zero, 0, np.true_divide(x, np.where(is_zero, 1, y)))


@RegisterGradient("DivNoNan")
def _div_no_nan_grad(op, grad):
    """z = x / y (0 where y = 0):  dz/dx = 1/y, dz/dy = -x/y^2 (both 0 where y = 0)."""
    x, y = op.inputs
    return (unbroadcast(div_no_nan(grad, y), x),
            unbroadcast(grad * div_no_nan(div_no_nan(unary_ops.negative(x), y), y), y))


# --------------------------------------------------------------------------------------------
# Adding many tensors
# --------------------------------------------------------------------------------------------
def add_n(inputs: Sequence[Any], name: "str | None" = None) -> Tensor:
    """Adds a list of tensors of the same shape and dtype (one ``AddN`` op)."""
    if not isinstance(inputs, (list, tuple)) or not inputs:
        raise ValueError("inputs must be a list of at least one Tensor/IndexedSlices with the same "
                         "dtype and shape")
    inputs = [convert_to_tensor(t) for t in inputs]
    if len(inputs) == 1:
        if name:
            return array_ops.identity(inputs[0], name=name)
        return inputs[0]
    types = [t.dtype.base_dtype for t in inputs]
    if any(t is not types[0] for t in types):
        raise TypeError("Tensors in list passed to 'inputs' of 'AddN' Op have types [%s] that don't all "
                        "match.\nFix: cast them to one dtype with tf.cast first."
                        % ", ".join(t.name for t in types))
    return graph_of(inputs).create_op("AddN", inputs, [types[0]], name=name or "AddN",
                                       attrs={"N": len(inputs)}).outputs[0]


def _add_n_rule(op: Operation) -> TensorShape:
    """All inputs must have the same shape (no broadcasting, unlike ``+``)."""
    shape = TensorShape(None)
    for t in op.inputs:
        if not shape.is_compatible_with(t.shape):
            raise ShapeError("Shapes must be equal rank, but are %d and %d" % (shape.ndims, t.shape.ndims)
                             if shape.ndims != t.shape.ndims else
                             "Dimensions must be equal, but are %s and %s" % (shape, t.shape),
                             "Fix: tf.add_n adds tensors of one shape; use + to broadcast.")
        shape = shape.merge_with(t.shape)
    return shape


@primitive("AddN", shape=_add_n_rule)
def _add_n_kernel(ctx, *xs):
    total = xs[0]
    for x in xs[1:]:
        total = np.add(total, x)
    return total


@RegisterGradient("AddN")
def _add_n_grad(op, grad):
    """z = x1 + ... + xn:  every dz/dxi = 1."""
    return [grad] * len(op.inputs)

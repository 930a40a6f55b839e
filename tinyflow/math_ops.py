"""Arithmetic, elementwise maths, comparisons, reductions and matrix multiplication.

Every op here is one block: the function learners call, the numpy kernel with its shape
rule (``@primitive``) and the gradient rule (``@RegisterGradient``), with the maths in the
docstring. Gradients are built from the same ops, so they can be differentiated again.

Broadcasting: binary ops follow numpy's rules. In the backward pass a gradient that was
broadcast must be summed back to the input's shape; :func:`unbroadcast` is the one helper
that does this for every op.

Dtypes: like TensorFlow 1.x, nothing is promoted implicitly. ``float32 + int32`` is a
TypeError; a Python number next to a tensor takes the tensor's dtype (``x + 1``).

Names: ``tf.add(a, b)`` makes an op named ``Add`` (type ``Add``), while ``a + b`` makes one
named ``add`` (type ``AddV2``): the operators use their own lowercase names, as in TF1.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from . import dtypes, errors
from .framework import (Operation, ShapeError, Tensor, _graph_of, convert_to_tensor, get_default_graph,
                        name_scope)
from .op_registry import primitive
from .op_registry import NoGradient, RegisterGradient
from .tensor_shape import TensorShape

__all__ = [
    "add", "subtract", "multiply", "divide", "truediv", "realdiv", "div", "floordiv", "floor_div", "mod",
    "floormod", "pow", "negative", "abs", "sign", "square", "sqrt", "rsqrt", "exp", "log", "log1p",
    "sin", "cos", "sigmoid", "tanh", "maximum", "minimum", "matmul", "add_n", "squared_difference",
    "reciprocal", "reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod", "argmax",
    "argmin", "equal", "not_equal", "less", "less_equal", "greater", "greater_equal",
    "logical_and", "logical_or", "logical_not", "logical_xor", "cast", "to_float", "to_double",
    "to_int32", "to_int64", "scalar_mul", "div_no_nan", "count_nonzero", "reduce_any", "reduce_all",
]


# --------------------------------------------------------------------------------------------
# Helpers: converting operands, building ops, shape rules, unbroadcast
# --------------------------------------------------------------------------------------------
_FLOAT_TYPES = "bfloat16, float16, float32, float64, complex64, complex128"
_NUMBER_TYPES = "bfloat16, float16, float32, float64, uint8, int8, int16, int32, int64, complex64, complex128"


def _check_dtype(t: Tensor, op_type: str, allowed: str, arg: str = "x") -> None:
    """TF1 rejects e.g. ``tf.sqrt`` of an int32 tensor while the graph is built.

    ``allowed`` is ``_FLOAT_TYPES`` or ``_NUMBER_TYPES`` (their text goes into the message).
    """
    dt = t._dtype.base_dtype
    if dt.is_floating:
        return
    floats_only = allowed == _FLOAT_TYPES
    if floats_only or dt.is_bool or dt is dtypes.string:
        raise TypeError("Value passed to parameter '%s' has DataType %s not in list of allowed values: %s\n"
                        "Fix: %s needs a %s tensor; convert it first, e.g. tf.cast(t, tf.float32)."
                        % (arg, dt.name, allowed, op_type, "floating-point" if floats_only else "numeric"))


def _convert_pair(x: Any, y: Any, op_type: str, names: "tuple[str, str]" = ("x", "y")):
    """Converts the two inputs of an op whose inputs share one dtype, the way TF1 does it.

    ``x`` is converted first (a Python float becomes float32, an int int32); ``y`` must then
    have exactly x's dtype: a Python/numpy ``y`` is converted *to* that dtype, a tensor of
    another dtype is an error. (The operators ``x + 1`` convert the Python operand before
    calling this, with the tensor's dtype as a hint.)
    """
    x = convert_to_tensor(x, name=names[0])
    want = x.dtype.base_dtype
    if isinstance(y, Tensor):
        got = y
    else:
        try:
            got = convert_to_tensor(y, dtype=want, name=names[1])
        except TypeError as e:
            raise TypeError("Expected %s passed to parameter '%s' of op '%s', got %r of type '%s' instead. "
                            "Error: %s" % (want.name, names[1], op_type, y, type(y).__name__, e)) from None
        except ValueError:
            got = convert_to_tensor(y, name=names[1])      # e.g. a variable of another dtype
    if got.dtype.base_dtype is not want:
        raise TypeError("Input '%s' of '%s' Op has type %s that does not match type %s of argument '%s'.\n"
                        "Fix: tinyflow, like TensorFlow 1.x, never converts dtypes implicitly; use "
                        "tf.cast(...) on one operand (e.g. tf.cast(t, tf.%s))."
                        % (names[1], op_type, got.dtype.base_dtype.name, want.name, names[0], want.name))
    return x, got


def _make(op_type: str, inputs: Sequence[Tensor], dtype: Any, name: str,
          attrs: "dict | None" = None) -> Tensor:
    """Creates a single-output op in the inputs' graph and returns its output."""
    g = _graph_of(inputs)
    return g.create_op(op_type, inputs, (dtype,), name, attrs)._outputs[0]


def _binary(op_type: str, x: Any, y: Any, name: "str | None", default_name: str,
            allowed: "str | None" = _NUMBER_TYPES) -> Tensor:
    """TF1's generated-op wrapper for ``z = f(x, y)``: opens the op's name scope, converts
    Python operands inside it (so they are named e.g. ``Add/y``), checks the dtypes."""
    if type(x) is Tensor and type(y) is Tensor and x._dtype is y._dtype:
        # Fast path, same result: with nothing to convert, the op simply takes the scope's name.
        dtype = x._dtype.base_dtype
        if allowed:
            _check_dtype(x, op_type, allowed)
        return _make(op_type, (x, y), dtype, name or default_name)
    with name_scope(name, default_name, [x, y]) as scope:
        x, y = _convert_pair(x, y, op_type)
        if allowed:
            _check_dtype(x, op_type, allowed)
        return _make(op_type, [x, y], x.dtype.base_dtype, scope)


def _unary(op_type: str, x: Any, name: "str | None", allowed: "str | None" = _NUMBER_TYPES,
           dtype: Any = None) -> Tensor:
    """TF1's generated-op wrapper for ``y = f(x)``."""
    with name_scope(name, op_type, [x]) as scope:
        x = convert_to_tensor(x, name="x")
        if allowed:
            _check_dtype(x, op_type, allowed)
        return _make(op_type, [x], dtype or x.dtype.base_dtype, scope)


def broadcast_static_shape(a: TensorShape, b: TensorShape) -> TensorShape:
    """numpy's broadcasting rule on static shapes (unknown dims stay unknown)."""
    if a._dims == b._dims:
        return a
    if a._dims is None or b._dims is None:
        return TensorShape(None)
    x, y = list(a._dims), list(b._dims)
    n = max(len(x), len(y))
    x, y = [1] * (n - len(x)) + x, [1] * (n - len(y)) + y
    out = []
    for dx, dy in zip(x, y):
        if dx == 1:
            out.append(dy)
        elif dy == 1:
            out.append(dx)
        elif dx is None:
            out.append(dy)
        elif dy is None or dx == dy:
            out.append(dx)
        else:
            raise ShapeError("Dimensions must be equal, but are %d and %d" % (dx, dy),
                             "Fix: elementwise ops need equal sizes, or size 1 to broadcast; check the "
                             "shapes of both operands (e.g. with print(tensor)).")
    return TensorShape(out)


def _broadcast_rule(op: Operation) -> TensorShape:
    return broadcast_static_shape(op._inputs[0]._shape, op._inputs[1]._shape)


def _same_shape(op: Operation) -> TensorShape:
    return op.inputs[0].shape


def unbroadcast(grad: Tensor, x: Tensor) -> Tensor:
    """Sums ``grad`` over the axes along which ``x`` was broadcast, so it gets ``x``'s shape.

    If ``x`` has shape (3,) and the op's output (2, 3), the gradient for x is
    ``reduce_sum(grad, axis=0)``. With fully known shapes the axes are found now;
    otherwise a ``BroadcastGradientArgs`` op finds them at run time.
    """
    xs, gs = x._shape, grad._shape
    if xs._dims == gs._dims and xs.is_fully_defined():
        return grad
    from . import array_ops
    if xs.is_fully_defined() and gs.is_fully_defined():
        full = broadcast_static_shape(xs, gs)
        if full != gs:         # a smaller upstream gradient (e.g. grad_ys=2.0): spread it out first
            grad, gs = array_ops.broadcast_to(grad, full.as_list()), full
        xl, gl = xs.as_list(), gs.as_list()
        lead = len(gl) - len(xl)
        axes = list(range(lead)) + [lead + i for i, d in enumerate(xl) if d == 1 and gl[lead + i] != 1]
        summed = reduce_sum(grad, axes) if axes else grad
        return array_ops.reshape(summed, xl)
    rx, _ = array_ops.broadcast_gradient_args(array_ops.shape(x), array_ops.shape(grad))
    return array_ops.reshape(reduce_sum(grad, rx), array_ops.shape(x))


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
    return _binary("Add", x, y, name, "Add", allowed=None)


def _add_v2(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """What ``x + y`` calls: TF 1.15's ``AddV2`` op (``Add`` for strings)."""
    op_type = "Add" if getattr(x, "dtype", None) is dtypes.string else "AddV2"
    return _binary(op_type, x, y, name, op_type, allowed=None)


@primitive("Add", shape=_broadcast_rule)
@primitive("AddV2", shape=_broadcast_rule)
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
    return _binary("Sub", x, y, name, "Sub")


@primitive("Sub", shape=_broadcast_rule)
def _sub_kernel(ctx, x, y):
    return np.subtract(x, y)


@RegisterGradient("Sub")
def _sub_grad(op, grad):
    """z = x - y:  dz/dx = 1, dz/dy = -1."""
    x, y = op.inputs
    return unbroadcast(grad, x), unbroadcast(negative(grad), y)


def multiply(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """``x * y`` elementwise."""
    return _binary("Mul", x, y, name, "Mul")


@primitive("Mul", shape=_broadcast_rule)
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
    return _binary("RealDiv", x, y, name, "RealDiv")


@primitive("RealDiv", shape=_broadcast_rule)
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
    return unbroadcast(grad / y, x), unbroadcast(grad * (-x / y / y), y)


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
            x, y = cast(x, target), cast(y, target)
        return _make("RealDiv", [x, y], x.dtype.base_dtype, scope)


def divide(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """Python-style division ``x / y`` (the same as the ``/`` operator)."""
    if name is not None:
        return truediv(x, y, name=name)
    return x / y


def div(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """Python 2 division (deprecated in TF1): floats divide, integers floor-divide."""
    with name_scope(name, "div", [x, y]) as scope:
        x, y = _convert_pair(x, y, "RealDiv")
        op_type = "RealDiv" if x.dtype.is_floating else "FloorDiv"
        return _make(op_type, [x, y], x.dtype.base_dtype, scope)


def floordiv(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """``x // y``: division rounded towards minus infinity."""
    return _binary("FloorDiv", x, y, name, "floordiv")


def floor_div(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """The generated-op spelling of :func:`floordiv` (op name ``FloorDiv``)."""
    return _binary("FloorDiv", x, y, name, "FloorDiv")


@primitive("FloorDiv", shape=_broadcast_rule)
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
    return _binary("FloorMod", x, y, name, "FloorMod")


floormod = mod


@primitive("FloorMod", shape=_broadcast_rule)
def _floormod_kernel(ctx, x, y):
    _integer_divisor_check(ctx, x, y)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.mod(x, y)


@RegisterGradient("FloorMod")
def _floormod_grad(op, grad):
    """z = x - floor(x/y) * y:  dz/dx = 1, dz/dy = -floor(x/y)."""
    x, y = op.inputs
    return unbroadcast(grad, x), unbroadcast(grad * negative(floordiv(x, y)), y)


def pow(x: Any, y: Any, name: "str | None" = None) -> Tensor:  # noqa: A001
    """``x ** y`` elementwise."""
    return _binary("Pow", x, y, name, "Pow")


@primitive("Pow", shape=_broadcast_rule)
def _pow_kernel(ctx, x, y):
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.power(x, y)


@RegisterGradient("Pow")
def _pow_grad(op, grad):
    """z = x^y:  dz/dx = y x^(y-1),  dz/dy = z log(x) (taken as 0 where x <= 0)."""
    from .array_ops import ones_like, where, zeros_like
    x, y = op.inputs
    z = op.outputs[0]
    gx = grad * y * pow(x, y - 1)
    positive = x > 0
    log_x = where(positive, log(where(positive, x, ones_like(x))), zeros_like(x))
    return unbroadcast(gx, x), unbroadcast(grad * z * log_x, y)


def maximum(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """Elementwise ``max(x, y)``."""
    return _binary("Maximum", x, y, name, "Maximum")


@primitive("Maximum", shape=_broadcast_rule)
def _maximum_kernel(ctx, x, y):
    return np.maximum(x, y)


@RegisterGradient("Maximum")
def _maximum_grad(op, grad):
    """The gradient goes to the larger input; on ties (x == y) all of it goes to x, as in TF."""
    return _select_grad(op, grad, greater_equal(op.inputs[0], op.inputs[1]))


def minimum(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """Elementwise ``min(x, y)``."""
    return _binary("Minimum", x, y, name, "Minimum")


@primitive("Minimum", shape=_broadcast_rule)
def _minimum_kernel(ctx, x, y):
    return np.minimum(x, y)


@RegisterGradient("Minimum")
def _minimum_grad(op, grad):
    """The gradient goes to the smaller input; on ties (x == y) all of it goes to x, as in TF."""
    return _select_grad(op, grad, less_equal(op.inputs[0], op.inputs[1]))


def _select_grad(op: Operation, grad: Tensor, x_wins: Tensor):
    from .array_ops import where, zeros_like
    x, y = op.inputs
    zeros = zeros_like(grad)
    return unbroadcast(where(x_wins, grad, zeros), x), unbroadcast(where(x_wins, zeros, grad), y)


def squared_difference(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """``(x - y)^2`` elementwise."""
    return _binary("SquaredDifference", x, y, name, "SquaredDifference")


@primitive("SquaredDifference", shape=_broadcast_rule)
def _squared_difference_kernel(ctx, x, y):
    d = np.subtract(x, y)
    return d * d


@RegisterGradient("SquaredDifference")
def _squared_difference_grad(op, grad):
    """z = (x-y)^2:  dz/dx = 2(x-y), dz/dy = -2(x-y)."""
    x, y = op.inputs
    g = (2.0 * grad) * (x - y)
    return unbroadcast(g, x), unbroadcast(negative(g), y)


def div_no_nan(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """``x / y``, but 0 wherever ``y == 0``."""
    with name_scope(name, "div_no_nan", [x, y]) as scope:
        x, y = _convert_pair(x, y, "DivNoNan")
        _check_dtype(x, "DivNoNan", _FLOAT_TYPES)
        return _make("DivNoNan", [x, y], x.dtype.base_dtype, scope)


@primitive("DivNoNan", shape=_broadcast_rule)
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
            unbroadcast(grad * div_no_nan(div_no_nan(negative(x), y), y), y))


# --------------------------------------------------------------------------------------------
# Adding many tensors
# --------------------------------------------------------------------------------------------
def add_n(inputs: Sequence[Any], name: "str | None" = None) -> Tensor:
    """Adds a list of tensors of the same shape and dtype (one ``AddN`` op)."""
    if not inputs or not isinstance(inputs, (list, tuple)):
        raise ValueError("inputs must be a list of at least one Tensor/IndexedSlices with the same "
                         "dtype and shape")
    inputs = [convert_to_tensor(t) for t in inputs]
    if len(inputs) == 1:
        if name:
            from .array_ops import identity
            return identity(inputs[0], name=name)
        return inputs[0]
    types = [t.dtype.base_dtype for t in inputs]
    if any(t is not types[0] for t in types):
        raise TypeError("Tensors in list passed to 'inputs' of 'AddN' Op have types [%s] that don't all "
                        "match.\nFix: cast them to one dtype with tf.cast first."
                        % ", ".join(t.name for t in types))
    return _graph_of(inputs).create_op("AddN", inputs, [types[0]], name=name or "AddN",
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


# --------------------------------------------------------------------------------------------
# Unary elementwise
# --------------------------------------------------------------------------------------------
def negative(x: Any, name: "str | None" = None) -> Tensor:
    """``-x``."""
    return _unary("Neg", x, name)


@primitive("Neg", shape=_same_shape)
def _neg_kernel(ctx, x):
    return np.negative(x)


@RegisterGradient("Neg")
def _neg_grad(op, grad):
    """d(-x)/dx = -1."""
    return negative(grad)


def abs(x: Any, name: "str | None" = None) -> Tensor:  # noqa: A001
    """``|x|``."""
    return _unary("Abs", x, name)


@primitive("Abs", shape=_same_shape)
def _abs_kernel(ctx, x):
    return np.abs(x)


@RegisterGradient("Abs")
def _abs_grad(op, grad):
    """d|x|/dx = sign(x) (0 at x = 0)."""
    return grad * sign(op.inputs[0])


def sign(x: Any, name: "str | None" = None) -> Tensor:
    """-1, 0 or 1 elementwise."""
    return _unary("Sign", x, name)


@primitive("Sign", shape=_same_shape)
def _sign_kernel(ctx, x):
    return np.sign(x)


@RegisterGradient("Sign")
def _sign_grad(op, grad):
    """sign is flat almost everywhere: gradient 0."""
    from .array_ops import zeros_like
    return zeros_like(op.inputs[0])


def square(x: Any, name: "str | None" = None) -> Tensor:
    """``x^2``."""
    return _unary("Square", x, name)


@primitive("Square", shape=_same_shape)
def _square_kernel(ctx, x):
    return np.multiply(x, x)


@RegisterGradient("Square")
def _square_grad(op, grad):
    """d(x^2)/dx = 2x (built as TF1 builds it: Const 2, Mul = x * 2, Mul_1 = grad * Mul)."""
    from .constant_op import constant
    x = op.inputs[0]
    return multiply(grad, multiply(x, constant(2, dtype=x.dtype.base_dtype)))


def sqrt(x: Any, name: "str | None" = None) -> Tensor:
    """``sqrt(x)``."""
    return _unary("Sqrt", x, name, _FLOAT_TYPES)


@primitive("Sqrt", shape=_same_shape)
def _sqrt_kernel(ctx, x):
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.sqrt(x)


@RegisterGradient("Sqrt")
def _sqrt_grad(op, grad):
    """d sqrt(x)/dx = 1 / (2 sqrt(x)) = 0.5 / y."""
    return grad * (0.5 / op.outputs[0])


def rsqrt(x: Any, name: "str | None" = None) -> Tensor:
    """``1 / sqrt(x)``."""
    return _unary("Rsqrt", x, name, _FLOAT_TYPES)


@primitive("Rsqrt", shape=_same_shape)
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
    return _unary("Reciprocal", x, name)


@primitive("Reciprocal", shape=_same_shape)
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
    return _unary("Exp", x, name, _FLOAT_TYPES)


@primitive("Exp", shape=_same_shape)
def _exp_kernel(ctx, x):
    with np.errstate(over="ignore"):
        return np.exp(x)


@RegisterGradient("Exp")
def _exp_grad(op, grad):
    """d e^x/dx = e^x = y."""
    return grad * op.outputs[0]


def log(x: Any, name: "str | None" = None) -> Tensor:
    """Natural logarithm."""
    return _unary("Log", x, name, _FLOAT_TYPES)


@primitive("Log", shape=_same_shape)
def _log_kernel(ctx, x):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(x)


@RegisterGradient("Log")
def _log_grad(op, grad):
    """d log(x)/dx = 1/x."""
    return grad * reciprocal(op.inputs[0])


def log1p(x: Any, name: "str | None" = None) -> Tensor:
    """``log(1 + x)``, accurate for small x."""
    return _unary("Log1p", x, name, _FLOAT_TYPES)


@primitive("Log1p", shape=_same_shape)
def _log1p_kernel(ctx, x):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log1p(x)


@RegisterGradient("Log1p")
def _log1p_grad(op, grad):
    """d log(1+x)/dx = 1/(1+x)."""
    return grad * reciprocal(1.0 + op.inputs[0])


def sin(x: Any, name: "str | None" = None) -> Tensor:
    """``sin(x)``."""
    return _unary("Sin", x, name, _FLOAT_TYPES)


@primitive("Sin", shape=_same_shape)
def _sin_kernel(ctx, x):
    return np.sin(x)


@RegisterGradient("Sin")
def _sin_grad(op, grad):
    """d sin(x)/dx = cos(x)."""
    return grad * cos(op.inputs[0])


def cos(x: Any, name: "str | None" = None) -> Tensor:
    """``cos(x)``."""
    return _unary("Cos", x, name, _FLOAT_TYPES)


@primitive("Cos", shape=_same_shape)
def _cos_kernel(ctx, x):
    return np.cos(x)


@RegisterGradient("Cos")
def _cos_grad(op, grad):
    """d cos(x)/dx = -sin(x)."""
    return grad * negative(sin(op.inputs[0]))


def sigmoid(x: Any, name: "str | None" = None) -> Tensor:
    """``1 / (1 + e^-x)``, computed without overflow."""
    return _unary("Sigmoid", x, name, _FLOAT_TYPES)


@primitive("Sigmoid", shape=_same_shape)
def _sigmoid_kernel(ctx, x):
    x = np.asarray(x)
    e = np.exp(-np.abs(x))             # never overflows
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(x.dtype)


@RegisterGradient("Sigmoid")
def _sigmoid_grad(op, grad):
    """d sigmoid(x)/dx = y (1 - y)."""
    y = op.outputs[0]
    return grad * (y * (1.0 - y))


def tanh(x: Any, name: "str | None" = None) -> Tensor:
    """Hyperbolic tangent."""
    return _unary("Tanh", x, name, _FLOAT_TYPES)


@primitive("Tanh", shape=_same_shape)
def _tanh_kernel(ctx, x):
    return np.tanh(x)


@RegisterGradient("Tanh")
def _tanh_grad(op, grad):
    """d tanh(x)/dx = 1 - y^2."""
    y = op.outputs[0]
    return grad * (1.0 - y * y)


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
        return _graph_of([x]).create_op("Cast", [x], [dtype], name=scope,
                                        attrs={"SrcT": x.dtype.base_dtype, "DstT": dtype},
                                        shapes=[x.shape]).outputs[0]


@primitive("Cast")
def _cast_kernel(ctx, x):
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


# --------------------------------------------------------------------------------------------
# Matrix multiplication
# --------------------------------------------------------------------------------------------
def matmul(a: Any, b: Any, transpose_a: bool = False, transpose_b: bool = False,
           adjoint_a: bool = False, adjoint_b: bool = False, a_is_sparse: bool = False,
           b_is_sparse: bool = False, name: "str | None" = None) -> Tensor:
    """Matrix product ``a @ b`` (optionally transposing either first).

    Rank-2 operands make a ``MatMul`` op. Operands of rank > 2 (or unknown rank) are stacks
    of matrices: ``BatchMatMulV2`` multiplies them pairwise, broadcasting the leading axes.
    (For real numbers ``adjoint`` is the same as ``transpose``.)
    """
    if transpose_a and adjoint_a:
        raise ValueError("Only one of transpose_a and adjoint_a can be True.")
    if transpose_b and adjoint_b:
        raise ValueError("Only one of transpose_b and adjoint_b can be True.")
    ta, tb = bool(transpose_a or adjoint_a), bool(transpose_b or adjoint_b)
    with name_scope(name, "MatMul", [a, b]) as scope:
        a = convert_to_tensor(a, name="a")
        b = convert_to_tensor(b, name="b")
        if b.dtype.base_dtype is not a.dtype.base_dtype:
            raise TypeError("Input 'b' of 'MatMul' Op has type %s that does not match type %s of argument "
                            "'a'.\nFix: cast one operand, e.g. tf.cast(b, tf.%s)."
                            % (b.dtype.base_dtype.name, a.dtype.base_dtype.name, a.dtype.base_dtype.name))
        _check_dtype(a, "MatMul", _NUMBER_TYPES, "a")
        ra, rb = a.shape.ndims, b.shape.ndims
        if ra is None or rb is None or ra > 2 or rb > 2:
            return _make("BatchMatMulV2", [a, b], a.dtype.base_dtype, scope, {"adj_x": ta, "adj_y": tb})
        return _make("MatMul", [a, b], a.dtype.base_dtype, scope, {"transpose_a": ta, "transpose_b": tb})


def _matrix_dims(shape: TensorShape, transposed: bool) -> list:
    rows, cols = shape.as_list()[-2:]
    return [cols, rows] if transposed else [rows, cols]


def _matmul_rule(op: Operation) -> TensorShape:
    a, b = op.inputs[0].shape, op.inputs[1].shape
    for s in (a, b):
        if s.ndims is not None and s.ndims != 2:
            raise ShapeError("Shape must be rank 2 but is rank %d" % s.ndims,
                             "Fix: tf.matmul multiplies matrices; reshape the operands to rank 2 "
                             "(or use rank > 2 for stacks of matrices).")
    (m, k1) = _matrix_dims(a, op.attrs["transpose_a"]) if a.ndims else (None, None)
    (k2, n) = _matrix_dims(b, op.attrs["transpose_b"]) if b.ndims else (None, None)
    if k1 is not None and k2 is not None and k1 != k2:
        raise ShapeError("Dimensions must be equal, but are %d and %d" % (k1, k2),
                         "Fix: in matmul(a, b) the columns of a must equal the rows of b.")
    return TensorShape([m, n])


def _check_matrices(a: np.ndarray, b: np.ndarray, ta: bool, tb: bool, batch: bool):
    """Run-time checks (the static shapes may have been unknown)."""
    if (a.ndim >= 2 and b.ndim >= 2) if batch else (a.ndim == 2 and b.ndim == 2):
        if a.shape[-2 if ta else -1] == b.shape[-1 if tb else -2]:
            return
        raise ValueError("Matrix size-incompatible: In[0]: %s, In[1]: %s" % (_dims(a), _dims(b)))
    for i, m in enumerate((a, b)):
        if batch and m.ndim < 2:
            raise ValueError("In[%d] ndims must be >= 2: %d\n(tinyflow: matmul multiplies matrices, or stacks "
                             "of them; In[%d] has shape %s. Fix: give it at least two dimensions, e.g. "
                             "tf.reshape(x, [1, -1]) for one row.)" % (i, m.ndim, i, _dims(m)))
        if not batch and m.ndim != 2:
            raise ValueError("In[%d] is not a matrix. Instead it has shape %s" % (i, _dims(m)))


def _dims(m: np.ndarray) -> str:
    return "[%s]" % ",".join(str(d) for d in m.shape)


@primitive("MatMul", shape=_matmul_rule)
def _matmul_kernel(ctx, a, b):
    a, b = np.asarray(a), np.asarray(b)
    ta, tb = ctx.attrs["transpose_a"], ctx.attrs["transpose_b"]
    _check_matrices(a, b, ta, tb, batch=False)
    return np.matmul(a.T if ta else a, b.T if tb else b)


@RegisterGradient("MatMul")
def _matmul_grad(op, grad):
    """C = A B:  dA = dC B^T,  dB = A^T dC (with the transposes folded in)."""
    a, b = op.inputs
    ta, tb = op.attrs["transpose_a"], op.attrs["transpose_b"]
    if not ta and not tb:
        return matmul(grad, b, transpose_b=True), matmul(a, grad, transpose_a=True)
    if not ta and tb:
        return matmul(grad, b), matmul(grad, a, transpose_a=True)
    if ta and not tb:
        return matmul(b, grad, transpose_b=True), matmul(a, grad)
    return (matmul(b, grad, transpose_a=True, transpose_b=True),
            matmul(grad, a, transpose_a=True, transpose_b=True))


def _batch_matmul_rule(op: Operation) -> TensorShape:
    a, b = op.inputs[0].shape, op.inputs[1].shape
    for s in (a, b):
        if s.ndims is not None and s.ndims < 2:
            raise ShapeError("Shape must be at least rank 2 but is rank %d" % s.ndims,
                             "Fix: tf.matmul multiplies matrices; reshape the operands.")
    if a.ndims is None or b.ndims is None:
        return TensorShape(None)
    m, k1 = _matrix_dims(a, op.attrs["adj_x"])
    k2, n = _matrix_dims(b, op.attrs["adj_y"])
    if k1 is not None and k2 is not None and k1 != k2:
        raise ShapeError("Dimensions must be equal, but are %d and %d" % (k1, k2),
                         "Fix: in matmul(a, b) the columns of a must equal the rows of b.")
    batch = broadcast_static_shape(TensorShape(a.as_list()[:-2]), TensorShape(b.as_list()[:-2]))
    return batch.concatenate([m, n])


@primitive("BatchMatMulV2", shape=_batch_matmul_rule)
def _batch_matmul_kernel(ctx, a, b):
    a, b = np.asarray(a), np.asarray(b)
    ta, tb = ctx.attrs["adj_x"], ctx.attrs["adj_y"]
    _check_matrices(a, b, ta, tb, batch=True)
    return np.matmul(np.swapaxes(a, -1, -2) if ta else a, np.swapaxes(b, -1, -2) if tb else b)


@RegisterGradient("BatchMatMulV2")
def _batch_matmul_grad(op, grad):
    """C = A B for each matrix of the stack: as for MatMul, then summed over broadcast batch axes."""
    a, b = op.inputs
    ta, tb = op.attrs["adj_x"], op.attrs["adj_y"]
    if not ta and not tb:
        ga, gb = matmul(grad, b, adjoint_b=True), matmul(a, grad, adjoint_a=True)
    elif not ta and tb:
        ga, gb = matmul(grad, b), matmul(grad, a, adjoint_a=True)
    elif ta and not tb:
        ga, gb = matmul(b, grad, adjoint_b=True), matmul(a, grad)
    else:
        ga, gb = (matmul(b, grad, adjoint_a=True, adjoint_b=True),
                  matmul(grad, a, adjoint_a=True, adjoint_b=True))
    return unbroadcast(ga, a), unbroadcast(gb, b)


# --------------------------------------------------------------------------------------------
# Comparisons and logic (no gradients: their outputs are bool)
# --------------------------------------------------------------------------------------------
def _compare(op_type: str, x: Any, y: Any, name: "str | None") -> Tensor:
    with name_scope(name, op_type, [x, y]) as scope:
        x, y = _convert_pair(x, y, op_type)
        return _make(op_type, [x, y], dtypes.bool, scope)


def equal(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """``x == y`` elementwise, as a bool tensor. (Python's ``==`` on tensors compares identity.)"""
    return _compare("Equal", x, y, name)


def not_equal(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """``x != y`` elementwise."""
    return _compare("NotEqual", x, y, name)


def less(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """``x < y`` elementwise."""
    return _compare("Less", x, y, name)


def less_equal(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """``x <= y`` elementwise."""
    return _compare("LessEqual", x, y, name)


def greater(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """``x > y`` elementwise."""
    return _compare("Greater", x, y, name)


def greater_equal(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """``x >= y`` elementwise."""
    return _compare("GreaterEqual", x, y, name)


def _check_bool(t: Tensor, op_type: str, arg: str) -> None:
    if not t.dtype.is_bool:
        raise TypeError("Input '%s' of '%s' Op has type %s that does not match expected type of bool.\n"
                        "Fix: logical ops need bool tensors, e.g. from a comparison (x > 0) or "
                        "tf.cast(t, tf.bool)." % (arg, op_type, t.dtype.base_dtype.name))


def _logical(op_type: str, x: Any, y: Any, name: "str | None") -> Tensor:
    with name_scope(name, op_type, [x, y]) as scope:
        x = convert_to_tensor(x, dtype=None if isinstance(x, Tensor) else dtypes.bool, name="x")
        _check_bool(x, op_type, "x")
        x, y = _convert_pair(x, y, op_type)
        return _make(op_type, [x, y], dtypes.bool, scope)


def logical_and(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """Elementwise AND of bool tensors."""
    return _logical("LogicalAnd", x, y, name)


def logical_or(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """Elementwise OR of bool tensors."""
    return _logical("LogicalOr", x, y, name)


def logical_not(x: Any, name: "str | None" = None) -> Tensor:
    """Elementwise NOT of a bool tensor."""
    with name_scope(name, "LogicalNot", [x]) as scope:
        x = convert_to_tensor(x, dtype=None if isinstance(x, Tensor) else dtypes.bool, name="x")
        _check_bool(x, "LogicalNot", "x")
        return _make("LogicalNot", [x], dtypes.bool, scope)


def logical_xor(x: Any, y: Any, name: str = "LogicalXor") -> Tensor:
    """Elementwise XOR, built as TF1 does: ``(x or y) and not (x and y)``."""
    return logical_and(logical_or(x, y), logical_not(logical_and(x, y)), name=name)


for _type, _fn in [("Equal", np.equal), ("NotEqual", np.not_equal), ("Less", np.less),
                   ("LessEqual", np.less_equal), ("Greater", np.greater),
                   ("GreaterEqual", np.greater_equal), ("LogicalAnd", np.logical_and),
                   ("LogicalOr", np.logical_or)]:
    primitive(_type, shape=_broadcast_rule)(lambda ctx, x, y, _fn=_fn: np.asarray(_fn(x, y)))
    NoGradient(_type)
primitive("LogicalNot", shape=_same_shape)(lambda ctx, x: np.logical_not(x))
NoGradient("LogicalNot")


# --------------------------------------------------------------------------------------------
# Reductions
# --------------------------------------------------------------------------------------------
def _deprecated_alias(new_name: str, new_value: Any, old_name: str, old_value: Any) -> Any:
    """TF1 keeps old argument names (``keep_dims``, ``reduction_indices``) working."""
    if old_value is not None:
        if new_value is not None:
            raise ValueError("Cannot specify both '%s' and '%s'" % (old_name, new_name))
        return old_value
    return new_value


def _all_axes(x: Tensor) -> Tensor:
    """``[0, 1, ..., rank-1]``: a constant when the rank is known, else computed at run time."""
    if x.shape.ndims is not None:
        from .constant_op import constant
        return constant(np.arange(x.shape.ndims, dtype=np.int32))
    from .array_ops import range as range_, rank
    return range_(0, rank(x))


def _reduce(op_type: str, x: Any, axis: Any, keepdims: Any, name: "str | None",
            keep_dims: Any = None, reduction_indices: Any = None) -> Tensor:
    """Builds a reduction op ``op_type(x, axes)`` with TF1's names.

    Without ``axis`` the axes are a ``Const`` made next to the op (``Const``, then ``Sum``);
    an explicit axis becomes ``Sum/reduction_indices``.
    """
    axis = _deprecated_alias("axis", axis, "reduction_indices", reduction_indices)
    keepdims = bool(_deprecated_alias("keepdims", keepdims, "keep_dims", keep_dims))
    x = convert_to_tensor(x)
    if op_type in ("Any", "All"):
        _check_bool(x, op_type, "input")
    else:                 # numpy would quietly sum bools with `or`; TF1 refuses them
        _check_dtype(x, op_type, _NUMBER_TYPES, "input")
    axes = _all_axes(x) if axis is None else axis
    with name_scope(name, op_type, [x]) as scope:
        axes = convert_to_tensor(axes, preferred_dtype=dtypes.int32, name="reduction_indices")
        if not axes.dtype.is_integer:
            raise TypeError("Value passed to parameter 'reduction_indices' has DataType %s not in list of "
                            "allowed values: int32, int64" % axes.dtype.base_dtype.name)
        shapes = [TensorShape([])] if axis is None and not keepdims else None
        return _graph_of([x]).create_op(op_type, [x, axes], [x.dtype.base_dtype], name=scope,
                                        attrs={"keep_dims": keepdims}, shapes=shapes).outputs[0]


def _constant_axes(op: Operation) -> "list[int] | None":
    """The reduced axes, sorted and non-negative, if they are known while building."""
    from .array_ops import constant_value
    axes, rank_ = constant_value(op.inputs[1]), op.inputs[0].shape.ndims
    if axes is None or rank_ is None:
        return None
    return sorted({int(a) % rank_ for a in np.ravel(axes)}) if rank_ else []


def _reduce_rule(op: Operation) -> TensorShape:
    from .array_ops import constant_value
    x, keep = op.inputs[0].shape, op.attrs["keep_dims"]
    values = constant_value(op.inputs[1])
    if values is None or x.ndims is None:
        return TensorShape(None) if x.ndims is None or not keep else TensorShape([None] * x.ndims)
    for a in np.ravel(values):
        if not -x.ndims <= int(a) < x.ndims:
            raise ShapeError("Invalid reduction dimension %d for input with %d dimensions." % (a, x.ndims),
                             "Fix: axis must be between -rank and rank-1 (here %d and %d)."
                             % (-x.ndims, x.ndims - 1))
    axes = _constant_axes(op)
    dims = x.as_list()
    if keep:
        return TensorShape([1 if i in axes else d for i, d in enumerate(dims)])
    return TensorShape([d for i, d in enumerate(dims) if i not in axes])


def _axes_tuple(axes) -> tuple:
    return tuple(np.asarray(axes).ravel().tolist())


def _reduced_grad(op: Operation, grad: Tensor) -> Tensor:
    """Reshapes a reduction's gradient (or output) to keep the reduced axes with size 1,
    ready to broadcast against the input: sum over axis 1 of (2, 3) -> shape (2, 1)."""
    from . import array_ops
    x, axes = op.inputs
    if op.attrs["keep_dims"]:
        return grad
    static_axes = _constant_axes(op)
    if static_axes is not None and x.shape.is_fully_defined():
        dims = [1 if i in static_axes else d for i, d in enumerate(x.shape.as_list())]
        return array_ops.reshape(grad, dims)
    return array_ops.reshape(grad, array_ops.reduced_shape(array_ops.shape(x), axes))


def _input_shape(x: Tensor) -> Any:
    """x's shape: a Python list when known while building, else a ``Shape`` op."""
    from . import array_ops
    return x.shape.as_list() if x.shape.is_fully_defined() else array_ops.shape(x)


def reduce_sum(input_tensor: Any, axis: Any = None, keepdims: Any = None, name: "str | None" = None,
               reduction_indices: Any = None, keep_dims: Any = None) -> Tensor:
    """Sum over ``axis`` (all axes by default)."""
    return _reduce("Sum", input_tensor, axis, keepdims, name, keep_dims, reduction_indices)


@primitive("Sum", shape=_reduce_rule)
def _sum_kernel(ctx, x, axes):
    x = np.asarray(x)
    return np.add.reduce(x, axis=_axes_tuple(axes), dtype=x.dtype, keepdims=ctx.attrs["keep_dims"])


@RegisterGradient("Sum")
def _sum_grad(op, grad):
    """y = sum(x):  dy/dx = 1 for every element: broadcast the gradient back to x's shape."""
    from . import array_ops
    x = op.inputs[0]
    return array_ops.broadcast_to(_reduced_grad(op, grad), _input_shape(x)), None


def reduce_mean(input_tensor: Any, axis: Any = None, keepdims: Any = None, name: "str | None" = None,
                reduction_indices: Any = None, keep_dims: Any = None) -> Tensor:
    """Mean over ``axis`` (all axes by default). For integer tensors the result is an integer."""
    return _reduce("Mean", input_tensor, axis, keepdims, name, keep_dims, reduction_indices)


@primitive("Mean", shape=_reduce_rule)
def _mean_kernel(ctx, x, axes):
    x = np.asarray(x)
    ax, keep = _axes_tuple(axes), ctx.attrs["keep_dims"]
    count = 1
    for a in ax:
        count *= x.shape[a]
    if x.dtype.kind in "iu":       # integer mean: summed in 64 bits (no overflow), C's division (to zero)
        wide = np.uint64 if x.dtype.kind == "u" else np.int64
        total = np.add.reduce(x, axis=ax, keepdims=keep, dtype=wide)
        return (np.sign(total) * (np.abs(total) // wide(max(count, 1)))).astype(x.dtype)
    total = np.add.reduce(x, axis=ax, keepdims=keep, dtype=x.dtype)
    # Divided as np.mean divides (by an intp count), so the result is np.mean's to the bit.
    with np.errstate(invalid="ignore", divide="ignore"):     # the mean of nothing is nan, quietly
        if type(total) is np.ndarray:
            return np.true_divide(total, np.intp(count), out=total, casting="unsafe")
        return total.dtype.type(total / np.intp(count))


@RegisterGradient("Mean")
def _mean_grad(op, grad):
    """y = mean(x):  dy/dx = 1/N for every element, N = number of elements averaged."""
    from . import array_ops
    from .constant_op import constant
    x, y = op.inputs[0], op.outputs[0]
    dtype = grad.dtype.base_dtype
    if x.shape.is_fully_defined() and y.shape.is_fully_defined():
        count = constant(x.shape.num_elements() // max(y.shape.num_elements(), 1), dtype=dtype)
    else:
        n_in = reduce_prod(array_ops.shape(x))
        n_out = reduce_prod(array_ops.shape(y))
        count = cast(n_in // maximum(n_out, 1), dtype)
    g = array_ops.broadcast_to(_reduced_grad(op, grad), _input_shape(x))
    return g / count, None


def reduce_max(input_tensor: Any, axis: Any = None, keepdims: Any = None, name: "str | None" = None,
               reduction_indices: Any = None, keep_dims: Any = None) -> Tensor:
    """Maximum over ``axis``."""
    return _reduce("Max", input_tensor, axis, keepdims, name, keep_dims, reduction_indices)


def reduce_min(input_tensor: Any, axis: Any = None, keepdims: Any = None, name: "str | None" = None,
               reduction_indices: Any = None, keep_dims: Any = None) -> Tensor:
    """Minimum over ``axis``."""
    return _reduce("Min", input_tensor, axis, keepdims, name, keep_dims, reduction_indices)


@primitive("Max", shape=_reduce_rule)
def _max_kernel(ctx, x, axes):
    return np.max(x, axis=_axes_tuple(axes), keepdims=ctx.attrs["keep_dims"])


@primitive("Min", shape=_reduce_rule)
def _min_kernel(ctx, x, axes):
    return np.min(x, axis=_axes_tuple(axes), keepdims=ctx.attrs["keep_dims"])


@RegisterGradient("Max")
@RegisterGradient("Min")
def _min_or_max_grad(op, grad):
    """The gradient goes to the elements equal to the result, shared equally among ties:
    max([1, 3, 3]) has gradient [0, 0.5, 0.5]."""
    x = op.inputs[0]
    y = _reduced_grad(op, op.outputs[0])
    hits = cast(equal(y, x), grad.dtype)
    count = reduce_sum(hits, op.inputs[1], keepdims=True)
    return divide(hits, count) * _reduced_grad(op, grad), None


def reduce_prod(input_tensor: Any, axis: Any = None, keepdims: Any = None, name: "str | None" = None,
                reduction_indices: Any = None, keep_dims: Any = None) -> Tensor:
    """Product over ``axis``."""
    return _reduce("Prod", input_tensor, axis, keepdims, name, keep_dims, reduction_indices)


@primitive("Prod", shape=_reduce_rule)
def _prod_kernel(ctx, x, axes):
    x = np.asarray(x)
    return np.prod(x, axis=_axes_tuple(axes), keepdims=ctx.attrs["keep_dims"], dtype=x.dtype)


@RegisterGradient("Prod")
def _prod_grad(op, grad):
    """y = prod(x):  dy/dx_i = product of all the *other* elements (exact even where x_i = 0).

    Dividing y by x_i would fail at zeros, so the other elements' product is built from two
    exclusive cumulative products: move the reduced axes to the front and flatten them into
    one axis of length n; then for position i, (x_0 ... x_{i-1}) * (x_{i+1} ... x_{n-1}) is
    ``cumprod(exclusive=True) * cumprod(exclusive=True, reverse=True)``.
    """
    from . import array_ops
    x = op.inputs[0]
    axes = _constant_axes(op)
    if axes is None:
        raise NotImplementedError(
            "tinyflow's gradient of reduce_prod needs the input's rank and the axes while building "
            "the graph (op '%s'). Give the input a known rank (e.g. a placeholder with shape "
            "[None, 3]) and a constant axis." % op.name)
    g = array_ops.broadcast_to(_reduced_grad(op, grad), _input_shape(x))
    if not axes:                                    # nothing reduced: y = x
        return g, None
    other = [i for i in range(x.shape.ndims) if i not in axes]
    perm = axes + other
    moved = array_ops.transpose(x, perm)            # reduced axes first
    other_size = reduce_prod(array_ops.gather(array_ops.shape(x), other)) if other else 1
    flat = array_ops.reshape(moved, array_ops.stack([-1, other_size]))
    left = array_ops.cumprod(flat, axis=0, exclusive=True)
    right = array_ops.cumprod(flat, axis=0, exclusive=True, reverse=True)
    others = array_ops.reshape(left * right, array_ops.shape(moved))
    return g * array_ops.transpose(others, [int(i) for i in np.argsort(perm)]), None


def reduce_any(input_tensor: Any, axis: Any = None, keepdims: Any = None, name: "str | None" = None,
               reduction_indices: Any = None, keep_dims: Any = None) -> Tensor:
    """Logical OR over ``axis`` of a bool tensor."""
    return _reduce("Any", input_tensor, axis, keepdims, name, keep_dims, reduction_indices)


def reduce_all(input_tensor: Any, axis: Any = None, keepdims: Any = None, name: "str | None" = None,
               reduction_indices: Any = None, keep_dims: Any = None) -> Tensor:
    """Logical AND over ``axis`` of a bool tensor."""
    return _reduce("All", input_tensor, axis, keepdims, name, keep_dims, reduction_indices)


primitive("Any", shape=_reduce_rule)(
    lambda ctx, x, axes: np.any(x, axis=_axes_tuple(axes), keepdims=ctx.attrs["keep_dims"]))
primitive("All", shape=_reduce_rule)(
    lambda ctx, x, axes: np.all(x, axis=_axes_tuple(axes), keepdims=ctx.attrs["keep_dims"]))
NoGradient("Any")
NoGradient("All")


def count_nonzero(input_tensor: Any, axis: Any = None, keepdims: Any = None, dtype: Any = dtypes.int64,
                  name: "str | None" = None, reduction_indices: Any = None,
                  keep_dims: Any = None) -> Tensor:
    """Number of non-zero elements over ``axis``."""
    from .array_ops import zeros
    axis = _deprecated_alias("axis", axis, "reduction_indices", reduction_indices)
    keepdims = _deprecated_alias("keepdims", keepdims, "keep_dims", keep_dims)
    with name_scope(name, "count_nonzero", [input_tensor]):
        x = convert_to_tensor(input_tensor, name="input_tensor")
        zero = zeros([], dtype=x.dtype)
        return cast(reduce_sum(cast(not_equal(x, zero), dtypes.int64), axis=axis, keepdims=keepdims), dtype)


# --------------------------------------------------------------------------------------------
# argmax / argmin
# --------------------------------------------------------------------------------------------
def argmax(input: Any, axis: Any = None, name: "str | None" = None, dimension: Any = None,  # noqa: A002
           output_type: Any = dtypes.int64) -> Tensor:
    """Index of the largest value along ``axis`` (default 0)."""
    return _arg("ArgMax", input, axis, dimension, name, output_type)


def argmin(input: Any, axis: Any = None, name: "str | None" = None, dimension: Any = None,  # noqa: A002
           output_type: Any = dtypes.int64) -> Tensor:
    """Index of the smallest value along ``axis`` (default 0)."""
    return _arg("ArgMin", input, axis, dimension, name, output_type)


def _arg(op_type: str, x: Any, axis: Any, dimension: Any, name: "str | None", output_type: Any) -> Tensor:
    axis = _deprecated_alias("axis", axis, "dimension", dimension)
    with name_scope(name, op_type, [x]) as scope:
        x = convert_to_tensor(x, name="input")
        axis = convert_to_tensor(0 if axis is None else axis, preferred_dtype=dtypes.int32, name="dimension")
        out = dtypes.as_dtype(output_type).base_dtype
        return _make(op_type, [x, axis], out, scope, {"output_type": out})


def _arg_rule(op: Operation) -> TensorShape:
    from .array_ops import constant_value
    x, axis = op.inputs[0].shape, constant_value(op.inputs[1])
    if axis is None or x.ndims is None:
        return TensorShape(None) if x.ndims is None else TensorShape([None] * max(x.ndims - 1, 0))
    axis = int(axis)
    if not -x.ndims <= axis < x.ndims:
        raise ShapeError("Expected dimension in the range [%d, %d), but got %d" % (-x.ndims, x.ndims, axis),
                         "Fix: pick an axis of the input.")
    axis %= x.ndims
    return TensorShape([d for i, d in enumerate(x.as_list()) if i != axis])


primitive("ArgMax", shape=_arg_rule)(lambda ctx, x, axis: np.asarray(np.argmax(x, axis=int(axis))).astype(
    ctx.attrs["output_type"].as_numpy_dtype))
primitive("ArgMin", shape=_arg_rule)(lambda ctx, x, axis: np.asarray(np.argmin(x, axis=int(axis))).astype(
    ctx.attrs["output_type"].as_numpy_dtype))
NoGradient("ArgMax")
NoGradient("ArgMin")


# --------------------------------------------------------------------------------------------
# Python operators on tensors (TF1's names: a + b is "add", tf.add(a, b) is "Add")
# --------------------------------------------------------------------------------------------
_NUMBER_OPERATOR_TYPES = {"add": "AddV2", "sub": "Sub", "mul": "Mul", "truediv": "RealDiv",
                          "floordiv": "FloorDiv", "mod": "FloorMod", "pow": "Pow"}
_INT_LIMITS = {dtypes.int32: 2 ** 31, dtypes.int64: 2 ** 63}


def _with_number(op_name: str, tensor: Tensor, number: Any, reflected: bool) -> "Tensor | None":
    """``tensor * 2.0`` (or ``2.0 * tensor``) built directly: learners write these in loops.

    The graph is exactly the general path's: scope ``mul``, the number as the constant
    ``mul/y`` (``mul/x`` when reflected) of the tensor's dtype, the op ``mul``. Returns None
    when this shortcut does not apply (then the general path below decides, and reports errors).
    """
    op_type = _NUMBER_OPERATOR_TYPES.get(op_name)
    dtype = tensor._dtype.base_dtype
    kind = type(number)
    if op_type is None or not (kind is float or kind is int):
        return None
    if dtype.is_floating:
        if kind is int and not -2 ** 53 <= number <= 2 ** 53:
            return None
    elif dtype in _INT_LIMITS and kind is int and op_type != "RealDiv":
        if not -_INT_LIMITS[dtype] <= number < _INT_LIMITS[dtype]:
            return None
    else:
        return None
    g, default = tensor._op._graph, get_default_graph()
    if g is not default and default.building_function:
        return None                     # a dataset function captures outer tensors: general path
    value = np.array(number, dtype=dtype.as_numpy_dtype)
    value.flags.writeable = False
    scope = g.unique_name(op_name)      # what `name_scope(None, op_name)` opens
    outer, g._name_stack = g._name_stack, scope
    try:
        const = g.create_op("Const", (), (dtype,), "x" if reflected else "y",
                            {"value": value, "dtype": dtype}, (_SCALAR,))._outputs[0]
    finally:
        g._name_stack = outer
    inputs = [const, tensor] if reflected else [tensor, const]
    return g.create_op(op_type, inputs, (dtype,), scope + "/")._outputs[0]


_SCALAR = TensorShape(())


def _binary_operator(fn, op_name: str):
    """``tensor <op> other`` and ``other <op> tensor``, as TF1's ``_OverrideBinaryOperatorHelper``.

    Both open the name scope ``op_name`` (``add``, ``add_1``, ...). A non-tensor right operand is
    converted there as ``y`` with the tensor's dtype as a *hint* (``x + 1`` is float if x is); a
    left operand (reflected form ``1 + x``) is converted as ``x`` to exactly the tensor's dtype.
    """
    def forward(self, other):
        if type(other) is Tensor:          # nothing to convert: no scope needed, same names
            return fn(self, other, name=op_name)
        if type(self) is Tensor:
            out = _with_number(op_name, self, other, reflected=False)
            if out is not None:
                return out
        with name_scope(None, op_name, [self, other]) as scope:
            if not isinstance(other, Tensor):
                try:
                    other = convert_to_tensor(other, name="y", preferred_dtype=self.dtype.base_dtype)
                except TypeError:
                    if hasattr(type(other), "__r%s__" % op_name):
                        return NotImplemented
                    raise
            return fn(self, other, name=scope)

    def reflected(self, other):
        if type(self) is Tensor:
            out = _with_number(op_name, self, other, reflected=True)
            if out is not None:
                return out
        with name_scope(None, op_name, [self, other]) as scope:
            other = convert_to_tensor(other, dtype=self.dtype.base_dtype, name="x")
            return fn(other, self, name=scope)

    forward.__name__, reflected.__name__ = "__%s__" % op_name, "__r%s__" % op_name
    return forward, reflected


_OPERATORS = {"add": _add_v2, "sub": subtract, "mul": multiply, "truediv": truediv, "floordiv": floordiv,
              "mod": mod, "pow": pow, "matmul": matmul, "and": logical_and, "or": logical_or,
              "xor": logical_xor}
for _name, _fn in _OPERATORS.items():
    _forward, _reflected = _binary_operator(_fn, _name)
    setattr(Tensor, "__%s__" % _name, _forward)
    setattr(Tensor, "__r%s__" % _name, _reflected)

# Unary operators and comparisons call the generated ops directly: -a is "Neg", a < b is "Less".
Tensor.__neg__ = lambda self: negative(self)
Tensor.__abs__ = lambda self: abs(self)
Tensor.__invert__ = lambda self: logical_not(self)
Tensor.__lt__ = lambda self, other: less(self, other)
Tensor.__le__ = lambda self, other: less_equal(self, other)
Tensor.__gt__ = lambda self, other: greater(self, other)
Tensor.__ge__ = lambda self, other: greater_equal(self, other)
# `==` and `!=` are *not* overloaded (TF1): they compare identity, so tensors can be dict keys.
Tensor.__hash__ = object.__hash__

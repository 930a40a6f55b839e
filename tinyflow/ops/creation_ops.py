"""New tensors of a given shape: ``tf.fill``, ``tf.zeros``, ``tf.ones``, ``tf.zeros_like``,
``tf.ones_like``, and ``tf.range``.

TensorFlow's counterparts: ``python/ops/array_ops.py`` (fill, zeros, ones, *_like),
``python/ops/math_ops.py`` (range), ``core/ops/array_ops.cc``, ``core/ops/math_ops.cc``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import dtypes, errors
from ..framework import Operation, Tensor, convert_to_tensor, name_scope
from ..op_def_library import check_dtype, int_input, make_op, python_size
from ..op_registry import NoGradient, RegisterGradient, primitive, read_value
from ..tensor_shape import ShapeError, TensorShape
from ..tensor_util import constant_value, shape_from_tensor
from . import constant_op, reduction_ops, unary_ops

__all__ = ["fill", "zeros", "ones", "zeros_like", "ones_like", "range", "linspace", "lin_space"]


# --------------------------------------------------------------------------------------------
# Filled tensors and ranges
# --------------------------------------------------------------------------------------------
def fill(dims: Any, value: Any, name: "str | None" = None) -> Tensor:
    """A tensor of shape ``dims`` filled with ``value``."""
    with name_scope(name, "Fill", [dims, value]) as scope:
        dims = int_input(dims, "dims")
        value = convert_to_tensor(value, name="value")
        return make_op("Fill", [dims, value], [value.dtype.base_dtype], scope).outputs[0]


def _fill_rule(op: Operation) -> TensorShape:
    if op.inputs[0].shape.ndims not in (None, 1):
        raise ShapeError("Shape must be rank 1 but is rank %d" % op.inputs[0].shape.ndims,
                         "Fix: dims is the list of sizes, e.g. tf.fill([2, 3], 1.5).")
    if op.inputs[1].shape.ndims not in (None, 0):
        raise ShapeError("Shape must be rank 0 but is rank %d" % op.inputs[1].shape.ndims,
                         "Fix: the fill value must be a scalar.")
    dims = constant_value(op.inputs[0])
    if dims is not None and np.ndim(dims) == 1 and (np.asarray(dims) < 0).any():
        negative = int(np.asarray(dims)[np.asarray(dims) < 0][0])
        raise ShapeError(_negative_size(negative), "Fix: sizes cannot be negative.")
    return shape_from_tensor(op.inputs[0])


primitive("Fill", shape=_fill_rule)(
    lambda ctx, dims, value: np.full(tuple(int(d) for d in dims), value, dtype=np.asarray(value).dtype))


@RegisterGradient("Fill")
def _fill_grad(op, grad):
    """Every element is the value: its gradient is the sum of all gradients."""
    return None, reduction_ops.reduce_sum(grad)


def _filled(value: int, shape_: Any, dtype: Any, name: "str | None", default_name: str) -> Tensor:
    """TF1's zeros/ones: a constant when the shape is known and small (under 1,000 elements),
    else a ``Fill`` of a scalar constant, so a graph never stores a big array of zeros."""
    dtype = dtypes.as_dtype(dtype).base_dtype
    if dtype is dtypes.string:
        if value:
            raise TypeError("Expected string, but got 1 of type 'int'.\nFix: there is no string one; tf.ones "
                            "makes numbers (tf.zeros of strings gives empty strings).")
        value = b""
    else:
        value = np.array(value, dtype=dtype.as_numpy_dtype)[()]          # 0 / 1 / False / True
    if isinstance(shape_, Tensor) or (isinstance(shape_, (list, tuple)) and any(isinstance(d, Tensor) for d in shape_)):
        with name_scope(name, default_name, [shape_]) as scope:
            return fill(convert_to_tensor(shape_, dtype=dtypes.int32), constant_op.constant(value, dtype=dtype),
                        name=scope)
    if isinstance(shape_, TensorShape):
        if not shape_.is_fully_defined():
            raise ValueError("Cannot convert a partially known TensorShape %s to a Tensor.\nFix: for a shape known "
                             "only when the graph runs, pass tf.shape(x)." % shape_)
        entries = shape_.as_list()
    else:
        entries = shape_ if isinstance(shape_, (list, tuple, np.ndarray)) else [shape_]
    sizes = [d if type(d) is int and d >= 0 else _shape_entry(d) for d in entries]
    count = 1
    for d in sizes:
        count *= d
    if count < _SMALL and not isinstance(shape_, (float, np.floating)):
        if dtype is dtypes.string:
            return constant_op.constant(np.full(sizes, value, dtype=object), dtype=dtype, name=name or default_name)
        return constant_op.constant(np.full(sizes, value), name=name or default_name)     # (the scope's name)
    floats = [d for d in entries if isinstance(d, (float, np.floating))]
    if floats:     # TF1 truncates floats only in a small shape's list (np.zeros does); a tensor refuses them
        raise TypeError("Expected int32, but got %r of type 'float'.\nFix: sizes are ints, e.g. "
                        "tf.zeros([2, 3])." % (floats[0],))
    with name_scope(name, default_name, [shape_]) as scope:
        wide = any(d >= 2 ** 31 for d in sizes)
        dims = constant_op.constant(sizes, dtypes.int64 if wide else dtypes.int32, name="shape_as_tensor")
        return fill(dims, constant_op.constant(value, dtype=dtype), name=scope)


_SMALL = 1000
"""zeros/ones with fewer elements are constants (TF1's ``_constant_if_small``)."""


def _shape_entry(d: Any) -> int:
    """One size of a shape given as a Python list: a non-negative int."""
    d = python_size(d)
    if d < 0:
        raise ValueError(_negative_size(d) + "\nFix: sizes cannot be negative.")
    return d


def _negative_size(d: int) -> str:
    """TensorFlow's words: -1 is an unknown size, which Fill cannot make; below that is no size at all."""
    return "Fill dimensions must be >= 0" if d == -1 else "Invalid value in tensor used for shape: %d" % d


def zeros(shape: Any, dtype: Any = dtypes.float32, name: "str | None" = None) -> Tensor:
    """A tensor of zeros."""
    return _filled(0, shape, dtype, name, "zeros")


def ones(shape: Any, dtype: Any = dtypes.float32, name: "str | None" = None) -> Tensor:
    """A tensor of ones."""
    return _filled(1, shape, dtype, name, "ones")


def zeros_like(tensor: Any, dtype: Any = None, name: "str | None" = None, optimize: bool = True) -> Tensor:
    """Zeros with the shape (and dtype) of ``tensor``."""
    return _like("ZerosLike", tensor, dtype, name or "zeros_like")


def ones_like(tensor: Any, dtype: Any = None, name: "str | None" = None, optimize: bool = True) -> Tensor:
    """Ones with the shape (and dtype) of ``tensor``."""
    return _like("OnesLike", tensor, dtype, name or "ones_like")


def _like(op_type: str, tensor: Any, dtype: Any, name: str) -> Tensor:
    tensor = convert_to_tensor(tensor)
    dtype = dtypes.as_dtype(dtype).base_dtype if dtype is not None else tensor.dtype.base_dtype
    if op_type == "OnesLike" and dtype is dtypes.string:
        raise TypeError("Expected string, but got 1 of type 'int'.\nFix: there is no string one; ones_like "
                        "needs a numeric tensor (or give dtype=tf.float32).")
    return make_op(op_type, [tensor], [dtype], name, attrs={"T": dtype}, shapes=[tensor.shape]).outputs[0]


primitive("ZerosLike")(lambda ctx, x: np.zeros(np.shape(read_value(x)), dtype=ctx.attrs["T"].as_numpy_dtype))
primitive("OnesLike")(lambda ctx, x: np.ones(np.shape(read_value(x)), dtype=ctx.attrs["T"].as_numpy_dtype))
RegisterGradient("ZerosLike")(lambda op, grad: None)
RegisterGradient("OnesLike")(lambda op, grad: None)

_RANGE_DTYPES = [dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64]


def range(start: Any, limit: Any = None, delta: Any = 1, dtype: Any = None,  # noqa: A001
          name: str = "range") -> Tensor:
    """``[start, start + delta, ...]`` up to (not including) ``limit``; ``tf.range(5)`` is 0..4.

    Without ``dtype`` the result has the "widest" dtype of the arguments, in the order
    int32 < int64 < float32 < float64: ``tf.range(3)`` is int32, ``tf.range(0, 1, 0.25)`` float32.
    """
    if limit is None:
        start, limit = 0, start
    with name_scope(name, "Range", [start, limit, delta]) as scope:
        start = convert_to_tensor(start, dtype=dtype, name="start")
        limit = convert_to_tensor(limit, dtype=dtype, name="limit")
        delta = convert_to_tensor(delta, dtype=dtype, name="delta")
        if dtype is None:
            args = [start, limit, delta]
            for a in args:
                if a.dtype.base_dtype not in _RANGE_DTYPES:
                    raise TypeError("tf.range needs int32, int64, float32 or float64 arguments, got %s (%s)."
                                    % (a.dtype.base_dtype.name, a.name))
            widest = max((a.dtype.base_dtype for a in args), key=_RANGE_DTYPES.index)
            start, limit, delta = [unary_ops.cast(a, widest) for a in args]
        return make_op("Range", [start, limit, delta], [start.dtype.base_dtype], scope).outputs[0]


def _range_size(start, limit, delta) -> int:
    """Number of elements of the range; raises ValueError with TensorFlow's messages."""
    if delta == 0:
        raise ValueError("Requires delta != 0: %s" % delta)
    if delta > 0 and start > limit:
        raise ValueError("Requires start <= limit when delta > 0: %s/%s" % (start, limit))
    if delta < 0 and start < limit:
        raise ValueError("Requires start >= limit when delta < 0: %s/%s" % (start, limit))
    if isinstance(start, (int, np.integer)) and isinstance(delta, (int, np.integer)):
        return int((abs(limit - start) + abs(delta) - 1) // abs(delta))
    with np.errstate(all="ignore"):
        size = np.ceil(abs((limit - start) / delta))
    if not size <= np.iinfo(np.int64).max:                   # inf or nan
        raise ValueError("Requires ((limit - start) / delta) <= %d: %s/%s/%s\nFix: start, limit and delta must "
                         "be finite numbers." % (np.iinfo(np.int64).max, start, limit, delta))
    return int(size)


def _range_rule(op: Operation) -> TensorShape:
    values = [constant_value(t) for t in op.inputs]
    for t in op.inputs:
        if t.shape.ndims not in (None, 0):
            raise ShapeError("Shape must be rank 0 but is rank %d" % t.shape.ndims,
                             "Fix: start, limit and delta of tf.range are scalars.")
    if any(v is None for v in values):
        return TensorShape([None])
    try:
        return TensorShape([_range_size(*[v.item() for v in values])])
    except ValueError as e:
        raise ShapeError(str(e)) from None


@primitive("Range", shape=_range_rule)
def _range_kernel(ctx, start, limit, delta):
    dtype = np.asarray(start).dtype
    try:
        n = _range_size(np.asarray(start).item(), np.asarray(limit).item(), np.asarray(delta).item())
    except ValueError as e:
        raise errors.InvalidArgumentError(None, ctx.op, str(e)) from None
    try:
        return (start + delta * np.arange(n)).astype(dtype)
    except (MemoryError, ValueError):            # (numpy: "Maximum allowed size exceeded")
        raise errors.ResourceExhaustedError(None, ctx.op, "OOM when allocating tensor with %d elements\nFix: ask "
                                            "tf.range for fewer numbers." % n) from None


NoGradient("Range")


def linspace(start: Any, stop: Any, num: Any, name: "str | None" = None) -> Tensor:
    """``num`` evenly spaced values from ``start`` to ``stop``, both included (TF1's ``LinSpace`` op;
    start and stop are floats)."""
    with name_scope(name, "LinSpace", [start, stop, num]) as scope:
        start = convert_to_tensor(start, name="start")
        stop = convert_to_tensor(stop, dtype=start.dtype.base_dtype, name="stop")
        check_dtype(start, "LinSpace", "bfloat16, float32, float64", "start")
        num = int_input(num, "num")
        return make_op("LinSpace", [start, stop, num], [start.dtype.base_dtype], scope).outputs[0]


lin_space = linspace


def _linspace_rule(op: Operation) -> TensorShape:
    for t, what in zip(op.inputs, ("start", "stop", "num")):
        if t.shape.ndims not in (None, 0):
            raise ShapeError("Shape must be rank 0 but is rank %d" % t.shape.ndims, "Fix: %s is one number." % what)
    num = constant_value(op.inputs[2])
    if num is not None and int(num) <= 0:
        raise ShapeError("Requires num > 0: %d" % int(num), "Fix: ask for at least one value.")
    return TensorShape([None if num is None else int(num)])


@primitive("LinSpace", shape=_linspace_rule)
def _linspace_kernel(ctx, start, stop, num):
    if int(num) <= 0:
        raise errors.InvalidArgumentError(None, ctx.op, "Requires num > 0: %d" % int(num))
    return np.linspace(start, stop, int(num)).astype(np.asarray(start).dtype)


NoGradient("LinSpace")

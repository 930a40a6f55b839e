"""Creating, reshaping, combining and selecting tensors: placeholders, reshape, concat, slicing, ...

Like ``math_ops.py``, each op is one block: the function learners call, its numpy kernel with
the static shape rule, and its gradient rule.

Most ops here move values around without changing them, so their gradients move the
incoming gradient back to where each value came from: ``transpose`` transposes it back,
``concat`` slices it apart, a slice pads it with zeros, ``gather`` adds it up per source row.

Names follow TensorFlow 1.x: ``tf.transpose`` makes an op named ``transpose``, ``x[0]`` one
named ``strided_slice``, ``tf.stack`` one named ``stack`` (op type ``Pack``). Python values
given as inputs become constants named after the input inside the op's scope
(``tf.reshape(x, [2, 3])`` adds ``Reshape/shape``).

(This module defines ``range`` and ``slice`` as TensorFlow ops; Python's own are used as
``builtins.range`` and ``builtins.slice``.)
"""
from __future__ import annotations

import builtins
from typing import Any, Sequence

import numpy as np

from . import dtypes, errors
from .constant_op import constant
from .framework import (Operation, ShapeError, Tensor, _conversion_functions, _graph_of, convert_to_tensor,
                        get_default_graph, name_scope)
from .op_registry import get_op_def, primitive
from .op_registry import NoGradient, RegisterGradient
from .op_registry import VariableRef, read_value
from .tensor_shape import Dimension, TensorShape, as_shape

__all__ = [
    "placeholder", "placeholder_with_default", "identity", "stop_gradient", "shape", "size", "rank",
    "reshape", "expand_dims", "squeeze", "fill", "zeros", "ones", "zeros_like", "ones_like", "range",
    "broadcast_to", "broadcast_gradient_args", "transpose", "invert_permutation", "concat", "stack",
    "unstack", "split", "slice", "strided_slice", "pad", "gather", "unsorted_segment_sum", "boolean_mask",
    "one_hot", "tile", "cumsum", "cumprod", "where", "newaxis", "constant_value",
]

newaxis = None
"""``x[:, tf.newaxis]`` inserts an axis of size 1 (it is Python's ``None``)."""


# --------------------------------------------------------------------------------------------
# Values known while building the graph
# --------------------------------------------------------------------------------------------
# Ops whose value can be computed at build time when all their inputs are known: they only
# move or combine small integer tensors such as shapes and axes. TensorFlow's shape inference
# evaluates such small constant subgraphs too, so `tf.reshape(x, [n * 2, -1])` gets a static shape.
_FOLDABLE = frozenset([
    "Identity", "StopGradient", "Cast", "Pack", "Unpack", "ConcatV2", "Split", "SplitV", "Slice",
    "StridedSlice", "Reshape", "ExpandDims", "Squeeze", "Range", "Transpose", "InvertPermutation",
    "GatherV2", "ConcatOffset", "AddV2", "Sub", "Mul", "FloorDiv", "FloorMod", "Maximum", "Minimum", "Neg",
    "Sum", "Prod",
])
_FOLD_MAX_ELEMENTS = 1000


class _FoldContext:
    """Stands in for the session's OpContext when a kernel runs at build time."""

    def __init__(self, op: Operation):
        self.op, self.attrs, self.session, self.cache = op, op.attrs, None, {}


def constant_value(t: Tensor) -> "np.ndarray | None":
    """The value of ``t`` if it can be known while building the graph, else None.

    Known are constants, shapes/sizes/ranks of tensors with known static shapes, and small
    computations on known values (packing, slicing, arithmetic, ... see ``_FOLDABLE``).
    """
    op = t.op
    if op.type == "Const":
        return op.attrs["value"]
    if op.type in ("Shape", "Size", "Rank"):
        s = op.inputs[0].shape
        out_type = op.attrs.get("out_type", dtypes.int32).as_numpy_dtype
        if op.type == "Rank" and s.ndims is not None:
            return np.array(s.ndims, dtype=np.int32)
        if s.is_fully_defined():
            return (np.array(s.as_list(), dtype=out_type) if op.type == "Shape"
                    else np.array(s.num_elements(), dtype=out_type))
        return None
    if op.type not in _FOLDABLE:
        return None
    values = []
    for i in op.inputs:
        v = constant_value(i)
        if v is None or np.size(v) > _FOLD_MAX_ELEMENTS:
            return None
        values.append(v)
    try:
        with np.errstate(all="ignore"):
            out = get_op_def(op.type).kernel(_FoldContext(op), *values)
    except Exception:          # an invalid value: the run-time kernel will report it
        return None
    if len(op.outputs) > 1:
        out = out[t.value_index]
    return np.asarray(out)


def _shape_from_tensor(t: Tensor) -> TensorShape:
    """Static shape described by a 1-D shape tensor (e.g. the ``shape`` input of Reshape/Fill).

    As much as is known: ``[-1, 3]`` gives ``(?, 3)``, ``tf.shape(x)`` gives x's static shape,
    ``tf.stack([n, 3])`` with unknown n gives ``(?, 3)``. (TensorFlow's ``constant_value_as_shape``.)
    """
    value = constant_value(t)
    if value is not None:
        if np.ndim(value) == 0:            # a scalar -1 means "unknown shape"
            return TensorShape(None)
        return TensorShape([None if d < 0 else int(d) for d in np.ravel(value)])
    op = t.op
    if op.type == "Shape":
        return op.inputs[0].shape
    if op.type == "Pack" and op.attrs["axis"] == 0:
        return TensorShape([_dim_from_tensor(i) for i in op.inputs])
    if op.type == "ConcatV2":
        result = TensorShape([])
        for part in op.inputs[:-1]:
            result = result.concatenate(_shape_from_tensor(part))
        return result
    if op.type == "StridedSlice":
        sliced = _slice_of_shape(op)
        if isinstance(sliced, list):
            return TensorShape(sliced)
    if op.type == "Cast":
        return _shape_from_tensor(op.inputs[0])
    if t.shape.ndims == 1 and t.shape[0].value is not None:
        return TensorShape([None] * t.shape[0].value)
    return TensorShape(None)


def _dim_from_tensor(t: Tensor) -> "int | None":
    """The size given by a scalar int tensor, as far as known (``tf.shape(x)[1]`` is x's dim 1)."""
    value = constant_value(t)
    if value is not None:
        return None if int(value) < 0 else int(value)
    if t.op.type == "StridedSlice":
        sliced = _slice_of_shape(t.op)
        if not isinstance(sliced, list):
            return sliced
    return None


def _slice_of_shape(op: Operation) -> "list | int | None":
    """For ``shape_tensor[i]`` or ``shape_tensor[a:b]``: the known dims (or None)."""
    source = _shape_from_tensor(op.inputs[0]) if op.inputs[0].shape.ndims == 1 else TensorShape(None)
    spec = [constant_value(i) for i in op.inputs[1:]]
    a = op.attrs
    if (source.ndims is None or any(s is None or np.size(s) != 1 for s in spec)
            or a["ellipsis_mask"] or a["new_axis_mask"]):
        return None
    try:
        return source.as_list()[_numpy_index(a, *spec)[0]]
    except IndexError:
        return None


def _is_tensor_like(value: Any) -> bool:
    """Tensors and objects with a registered conversion (variables) count as tensors in lists."""
    return isinstance(value, Tensor) or any(isinstance(value, base) for base, _ in _conversion_functions)


def _make(op_type: str, inputs: Sequence[Tensor], out_dtypes: Sequence[Any], name: str,
          attrs: "dict | None" = None, shapes: Any = None) -> Operation:
    """Creates an op in the inputs' graph."""
    return _graph_of(inputs).create_op(op_type, inputs, out_dtypes, name=name, attrs=attrs, shapes=shapes)


def _int_input(value: Any, name: str) -> Tensor:
    """An index-like input (shape, axis, begin, ...): int32 unless it already is an int64 tensor."""
    if isinstance(value, Tensor) and value.dtype.base_dtype is dtypes.int64:
        return value
    return convert_to_tensor(value, dtype=dtypes.int32, name=name)


def _constant_int(t: Tensor) -> "int | None":
    value = constant_value(t)
    return None if value is None else int(value)


def _normalize_axis(axis: int, rank_: int, what: str = "axis") -> int:
    if not -rank_ <= axis < rank_:
        raise ShapeError("%s %d is out of range for a tensor of rank %d" % (what, axis, rank_),
                         "Fix: %s must be in [-%d, %d)." % (what, rank_, rank_))
    return axis % rank_


def _merge_error(a: TensorShape, b: TensorShape) -> "str | None":
    """Why shapes a and b are incompatible, in TensorFlow's words (None if they are compatible)."""
    if a.ndims is None or b.ndims is None:
        return None
    if a.ndims != b.ndims:
        return "Shapes must be equal rank, but are %d and %d" % (a.ndims, b.ndims)
    for d, (x, y) in enumerate(zip(a.as_list(), b.as_list())):
        if x is not None and y is not None and x != y:
            return ("Dimension %d in both shapes must be equal, but are %d and %d. Shapes are %s and %s."
                    % (d, x, y, a.debug_string(), b.debug_string()))
    return None


def _merge_shapes(shapes: Sequence[TensorShape]) -> TensorShape:
    """The shape compatible with all of ``shapes`` (all inputs of stack, ...), with TF's messages."""
    merged = TensorShape(None)
    for i, s in enumerate(shapes):
        problem = _merge_error(merged, s)
        if problem:
            raise ShapeError("%s\n\tFrom merging shape %d with other shapes." % (problem, i),
                             "Fix: all the tensors must have the same shape.")
        merged = merged.merge_with(s)
    return merged


def _reshape_to_input(op: Operation, grad: Tensor) -> Tensor:
    """The gradient of an op that only changes the shape: give it the input's shape back."""
    x = op.inputs[0]
    return reshape(grad, x.shape.as_list() if x.shape.is_fully_defined() else shape(x))


# --------------------------------------------------------------------------------------------
# Placeholders and identity
# --------------------------------------------------------------------------------------------
def placeholder(dtype: Any, shape: Any = None, name: "str | None" = None) -> Tensor:
    """A tensor whose value must be fed on every run: ``sess.run(y, feed_dict={x: value})``.

    ``shape`` may be partial, e.g. ``[None, 3]`` for "any number of rows of 3 values".
    """
    dtype = dtypes.as_dtype(dtype).base_dtype
    shape = as_shape(shape)
    op = get_default_graph().create_op("Placeholder", [], [dtype], name=name or "Placeholder",
                                       attrs={"dtype": dtype, "shape": shape}, shapes=[shape])
    return op.outputs[0]


@primitive("Placeholder")
def _placeholder_kernel(ctx):
    # Normally unreachable: Session.run checks feeds before running anything.
    raise errors.InvalidArgumentError(None, ctx.op, "You must feed a value for placeholder tensor '%s'"
                                      % ctx.op.name)


def placeholder_with_default(input: Any, shape: Any, name: "str | None" = None) -> Tensor:  # noqa: A002
    """Gives ``input`` unless a value is fed for it (handy for a ``training`` flag)."""
    with name_scope(name, "PlaceholderWithDefault", [input]) as scope:
        input = convert_to_tensor(input, name="input")
        shape = as_shape(shape)
        if not shape.is_compatible_with(input.shape):
            raise ValueError("Shapes %s and %s are incompatible (the default value must fit the "
                             "placeholder's shape)." % (input.shape, shape))
        return _make("PlaceholderWithDefault", [input], [input.dtype.base_dtype], scope,
                     attrs={"shape": shape}, shapes=[shape]).outputs[0]


primitive("PlaceholderWithDefault")(lambda ctx, x: read_value(x))
RegisterGradient("PlaceholderWithDefault")(lambda op, grad: grad)


def identity(input: Any, name: "str | None" = None) -> Tensor:  # noqa: A002
    """Returns a tensor with the same value (a new node; handy to name a value)."""
    with name_scope(name, "Identity", [input]) as scope:
        input = convert_to_tensor(input, name="input")
        return _make("Identity", [input], [input.dtype.base_dtype], scope, shapes=[input.shape]).outputs[0]


@primitive("Identity")
def _identity_kernel(ctx, x):
    return x.read() if type(x) is VariableRef else x      # reading a variable is an Identity of its reference


@RegisterGradient("Identity")
def _identity_grad(op, grad):
    """d x/dx = 1."""
    return grad


def stop_gradient(input: Any, name: "str | None" = None) -> Tensor:  # noqa: A002
    """Passes the value through but blocks gradients: ``tf.gradients`` treats it as a constant."""
    with name_scope(name, "StopGradient", [input]) as scope:
        input = convert_to_tensor(input, name="input")
        return _make("StopGradient", [input], [input.dtype.base_dtype], scope,
                     shapes=[input.shape]).outputs[0]


primitive("StopGradient")(lambda ctx, x: read_value(x))
NoGradient("StopGradient")


# --------------------------------------------------------------------------------------------
# Shapes as tensors
# --------------------------------------------------------------------------------------------
def shape(input: Any, name: "str | None" = None, out_type: Any = dtypes.int32) -> Tensor:  # noqa: A002
    """The run-time shape of ``input`` as a 1-D int32 tensor."""
    input = convert_to_tensor(input)
    out_type = dtypes.as_dtype(out_type)
    return _make("Shape", [input], [out_type], name or "Shape", attrs={"out_type": out_type},
                 shapes=[TensorShape([input.shape.ndims])]).outputs[0]


primitive("Shape")(lambda ctx, x: np.array(np.shape(read_value(x)), dtype=ctx.attrs["out_type"].as_numpy_dtype))


def size(input: Any, name: "str | None" = None, out_type: Any = dtypes.int32) -> Tensor:  # noqa: A002
    """The number of elements of ``input``."""
    input = convert_to_tensor(input)
    out_type = dtypes.as_dtype(out_type)
    return _make("Size", [input], [out_type], name or "Size", attrs={"out_type": out_type},
                 shapes=[TensorShape([])]).outputs[0]


primitive("Size")(lambda ctx, x: np.array(np.size(read_value(x)), dtype=ctx.attrs["out_type"].as_numpy_dtype))


def rank(input: Any, name: "str | None" = None) -> Tensor:  # noqa: A002
    """The number of dimensions of ``input``."""
    input = convert_to_tensor(input)
    return _make("Rank", [input], [dtypes.int32], name or "Rank", shapes=[TensorShape([])]).outputs[0]


primitive("Rank")(lambda ctx, x: np.array(np.ndim(read_value(x)), dtype=np.int32))
for _t in ("Shape", "Size", "Rank"):
    NoGradient(_t)


# --------------------------------------------------------------------------------------------
# Reshape, expand_dims, squeeze
# --------------------------------------------------------------------------------------------
def reshape(tensor: Any, shape: Any, name: "str | None" = None) -> Tensor:
    """Same values, new shape; one dimension may be -1 ("whatever is left")."""
    with name_scope(name, "Reshape", [tensor, shape]) as scope:
        tensor = convert_to_tensor(tensor, name="tensor")
        shape = _int_input(shape, "shape")
        return _make("Reshape", [tensor, shape], [tensor.dtype.base_dtype], scope).outputs[0]


def _reshape_rule(op: Operation) -> TensorShape:
    """TensorFlow's rule: with at most one unknown size on each side, the -1 can be inferred.

    Known input (2, 6) to [-1, 4]: 12 elements / 4 = 3, giving (3, 4). An input of unknown
    size (?, 3) to [-1, 3] gives (?, 3).
    """
    x = op.inputs[0].shape
    value = constant_value(op.inputs[1])
    if value is not None:
        target = [int(d) for d in np.ravel(value)]
        if target.count(-1) > 1:
            raise ShapeError("Cannot infer multiple unknown dimensions in shape [%s]"
                             % ",".join(map(str, target)), "Fix: at most one dimension may be -1.")
        if any(d < -1 for d in target):
            raise ShapeError("Size %d must be non-negative, not %d" % (target.index(min(target)), min(target)))
        out = [None if d == -1 else d for d in target]
    else:
        out_shape = _shape_from_tensor(op.inputs[1])
        if out_shape.ndims is None:
            return out_shape
        out = out_shape.as_list()
    if x.ndims is None:
        return TensorShape(out)
    unknown_out = [i for i, d in enumerate(out) if d is None]
    unknown_in = [d for d in x.as_list() if d is None]
    known_out = int(np.prod([d for d in out if d is not None], dtype=np.int64))
    known_in = int(np.prod([d for d in x.as_list() if d is not None], dtype=np.int64))
    hint = "Fix: the new shape must hold the same number of elements as the tensor."
    if not unknown_in and not unknown_out and known_in != known_out:
        raise ShapeError("Cannot reshape a tensor with %d elements to shape %s (%d elements)"
                         % (known_in, TensorShape(out).debug_string(), known_out), hint)
    if not unknown_in and len(unknown_out) == 1 and known_out > 0:
        if known_in % known_out:
            raise ShapeError("Dimension size must be evenly divisible by %d but is %d" % (known_out, known_in),
                             hint)
        out[unknown_out[0]] = known_in // known_out
    return TensorShape(out)


@primitive("Reshape", shape=_reshape_rule)
def _reshape_kernel(ctx, x, shape):
    x = read_value(x)
    try:
        return np.reshape(x, shape)
    except ValueError:
        target = [int(d) for d in np.ravel(shape)]
        known = int(np.prod([d for d in target if d != -1], dtype=np.int64))
        wanted = ("has %d" % known) if -1 not in target else ("requires a multiple of %d" % known)
        raise errors.InvalidArgumentError(None, ctx.op, "Input to reshape is a tensor with %d values, but the "
                                                        "requested shape %s" % (np.size(x), wanted)) from None


@RegisterGradient("Reshape")
def _reshape_grad(op, grad):
    """Reshaping moves no values: the gradient is reshaped back to the input's shape."""
    return _reshape_to_input(op, grad), None


def expand_dims(input: Any, axis: Any = None, name: "str | None" = None, dim: Any = None) -> Tensor:  # noqa: A002
    """Inserts a dimension of size 1 at ``axis`` (``-1`` appends one): shape (3,) -> (3, 1)."""
    if axis is None:
        if dim is None:
            raise ValueError("Must specify an axis argument to tf.expand_dims()")
        axis = dim
    elif dim is not None:
        raise ValueError("Cannot specify both 'axis' and 'dim'")
    with name_scope(name, "ExpandDims", [input]) as scope:
        input = convert_to_tensor(input, name="input")
        axis = _int_input(axis, "dim")
        return _make("ExpandDims", [input, axis], [input.dtype.base_dtype], scope).outputs[0]


def _expand_dims_rule(op: Operation) -> TensorShape:
    x, axis = op.inputs[0].shape, _constant_int(op.inputs[1])
    if x.ndims is None:
        return TensorShape(None)
    if axis is None:
        return TensorShape([None] * (x.ndims + 1))
    if not -x.ndims - 1 <= axis <= x.ndims:
        raise ShapeError("Tried to expand dim index %d for tensor with %d dimensions." % (axis, x.ndims),
                         "Fix: axis must be in [-rank-1, rank].")
    dims = x.as_list()
    dims.insert(axis % (x.ndims + 1), 1)
    return TensorShape(dims)


@primitive("ExpandDims", shape=_expand_dims_rule)
def _expand_dims_kernel(ctx, x, axis):
    return np.expand_dims(read_value(x), int(axis))


@RegisterGradient("ExpandDims")
def _expand_dims_grad(op, grad):
    """Only the shape changed: reshape the gradient back."""
    return _reshape_to_input(op, grad), None


def squeeze(input: Any, axis: Any = None, name: "str | None" = None,  # noqa: A002
            squeeze_dims: Any = None) -> Tensor:
    """Removes dimensions of size 1 (all of them, or those listed in ``axis``)."""
    if squeeze_dims is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'squeeze_dims' and 'axis'")
        axis = squeeze_dims
    if np.isscalar(axis):
        axis = [axis]
    axes = [int(a) for a in (axis or [])]
    with name_scope(name, "Squeeze", [input]) as scope:
        input = convert_to_tensor(input, name="input")
        return _make("Squeeze", [input], [input.dtype.base_dtype], scope,
                     attrs={"squeeze_dims": axes}).outputs[0]


def _squeeze_rule(op: Operation) -> TensorShape:
    x, axes = op.inputs[0].shape, op.attrs["squeeze_dims"]
    if x.ndims is None:
        return TensorShape(None)
    dims = x.as_list()
    if not axes:
        if None in dims:        # an unknown dim may or may not be 1
            return TensorShape(None)
        return TensorShape([d for d in dims if d != 1])
    wanted = set()
    for a in axes:
        if not -len(dims) <= a < len(dims):
            raise ShapeError("Tried squeezing dim index %d for tensor with %d dimensions." % (a, len(dims)))
        a %= len(dims)
        if dims[a] not in (None, 1):
            raise ShapeError("Can not squeeze dim[%d], expected a dimension of 1, got %d" % (a, dims[a]),
                             "Fix: only dimensions of size 1 can be squeezed.")
        wanted.add(a)
    return TensorShape([d for i, d in enumerate(dims) if i not in wanted])


@primitive("Squeeze", shape=_squeeze_rule)
def _squeeze_kernel(ctx, x):
    x = np.asarray(read_value(x))
    axes = tuple(a % max(x.ndim, 1) for a in ctx.attrs["squeeze_dims"])
    for a in axes:
        if x.shape[a] != 1:
            raise errors.InvalidArgumentError(None, ctx.op, "Can not squeeze dim[%d], expected a dimension "
                                                            "of 1, got %d" % (a, x.shape[a]))
    return np.squeeze(x, axis=axes if axes else None)


@RegisterGradient("Squeeze")
def _squeeze_grad(op, grad):
    """Only the shape changed: reshape the gradient back."""
    return _reshape_to_input(op, grad)


# --------------------------------------------------------------------------------------------
# Filled tensors and ranges
# --------------------------------------------------------------------------------------------
def fill(dims: Any, value: Any, name: "str | None" = None) -> Tensor:
    """A tensor of shape ``dims`` filled with ``value``."""
    with name_scope(name, "Fill", [dims, value]) as scope:
        dims = _int_input(dims, "dims")
        value = convert_to_tensor(value, name="value")
        return _make("Fill", [dims, value], [value.dtype.base_dtype], scope).outputs[0]


def _fill_rule(op: Operation) -> TensorShape:
    if op.inputs[1].shape.ndims not in (None, 0):
        raise ShapeError("Shape must be rank 0 but is rank %d" % op.inputs[1].shape.ndims,
                         "Fix: the fill value must be a scalar.")
    return _shape_from_tensor(op.inputs[0])


primitive("Fill", shape=_fill_rule)(
    lambda ctx, dims, value: np.full(tuple(int(d) for d in dims), value, dtype=np.asarray(value).dtype))


@RegisterGradient("Fill")
def _fill_grad(op, grad):
    """Every element is the value: its gradient is the sum of all gradients."""
    from .math_ops import reduce_sum
    return None, reduce_sum(grad)


def _filled(value: float, shape_: Any, dtype: Any, name: str) -> Tensor:
    dtype = dtypes.as_dtype(dtype).base_dtype
    if isinstance(shape_, Tensor) or (isinstance(shape_, (list, tuple))
                                      and any(isinstance(d, Tensor) for d in shape_)):
        with name_scope(None, name, [shape_]) as scope:
            return fill(shape_, constant(value, dtype=dtype), name=scope)
    dims = [int(d) for d in (shape_ if isinstance(shape_, (list, tuple, np.ndarray)) else
                             as_shape(shape_).as_list() if isinstance(shape_, TensorShape) else [shape_])]
    return constant(np.full(dims, value, dtype=dtype.as_numpy_dtype), name=name)


def zeros(shape: Any, dtype: Any = dtypes.float32, name: "str | None" = None) -> Tensor:
    """A tensor of zeros."""
    return _filled(0, shape, dtype, name or "zeros")


def ones(shape: Any, dtype: Any = dtypes.float32, name: "str | None" = None) -> Tensor:
    """A tensor of ones."""
    return _filled(1, shape, dtype, name or "ones")


def zeros_like(tensor: Any, dtype: Any = None, name: "str | None" = None, optimize: bool = True) -> Tensor:
    """Zeros with the shape (and dtype) of ``tensor``."""
    return _like("ZerosLike", tensor, dtype, name or "zeros_like")


def ones_like(tensor: Any, dtype: Any = None, name: "str | None" = None, optimize: bool = True) -> Tensor:
    """Ones with the shape (and dtype) of ``tensor``."""
    return _like("OnesLike", tensor, dtype, name or "ones_like")


def _like(op_type: str, tensor: Any, dtype: Any, name: str) -> Tensor:
    tensor = convert_to_tensor(tensor)
    dtype = dtypes.as_dtype(dtype).base_dtype if dtype is not None else tensor.dtype.base_dtype
    return _make(op_type, [tensor], [dtype], name, attrs={"T": dtype}, shapes=[tensor.shape]).outputs[0]


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
            from .math_ops import cast
            args = [start, limit, delta]
            for a in args:
                if a.dtype.base_dtype not in _RANGE_DTYPES:
                    raise TypeError("tf.range needs int32, int64, float32 or float64 arguments, got %s (%s)."
                                    % (a.dtype.base_dtype.name, a.name))
            widest = max((a.dtype.base_dtype for a in args), key=_RANGE_DTYPES.index)
            start, limit, delta = [cast(a, widest) for a in args]
        return _make("Range", [start, limit, delta], [start.dtype.base_dtype], scope).outputs[0]


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
    return int(np.ceil(abs((limit - start) / delta)))


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
    return (start + delta * np.arange(n)).astype(dtype)


NoGradient("Range")


# --------------------------------------------------------------------------------------------
# Broadcasting helpers used by gradients
# --------------------------------------------------------------------------------------------
def broadcast_to(input: Any, shape: Any, name: "str | None" = None) -> Tensor:  # noqa: A002
    """Repeats ``input`` along size-1 (or missing leading) axes to reach ``shape``."""
    with name_scope(name, "BroadcastTo", [input, shape]) as scope:
        input = convert_to_tensor(input, name="input")
        shape = _int_input(shape, "shape")
        return _make("BroadcastTo", [input, shape], [input.dtype.base_dtype], scope).outputs[0]


primitive("BroadcastTo", shape=lambda op: _shape_from_tensor(op.inputs[1]))(
    lambda ctx, x, shape: np.broadcast_to(x, tuple(int(d) for d in shape)))


@RegisterGradient("BroadcastTo")
def _broadcast_to_grad(op, grad):
    """Each input element was copied to several places: sum the gradients of the copies."""
    from .math_ops import unbroadcast
    return unbroadcast(grad, op.inputs[0]), None


def broadcast_gradient_args(s0: Any, s1: Any, name: "str | None" = None):
    """For shapes s0, s1 that broadcast together: the axes along which each was broadcast."""
    s0, s1 = convert_to_tensor(s0, dtype=dtypes.int32), convert_to_tensor(s1, dtype=dtypes.int32)
    op = _make("BroadcastGradientArgs", [s0, s1], [dtypes.int32, dtypes.int32], name or "BroadcastGradientArgs",
               shapes=[TensorShape([None]), TensorShape([None])])
    return op.outputs[0], op.outputs[1]


@primitive("BroadcastGradientArgs")
def _broadcast_gradient_args_kernel(ctx, s0, s1):
    s0, s1 = [int(d) for d in s0], [int(d) for d in s1]
    n = max(len(s0), len(s1))
    a, b = [1] * (n - len(s0)) + s0, [1] * (n - len(s1)) + s1
    r0 = [i for i in builtins.range(n) if a[i] == 1 and (b[i] != 1 or i < n - len(s0))]
    r1 = [i for i in builtins.range(n) if b[i] == 1 and (a[i] != 1 or i < n - len(s1))]
    return np.array(r0, dtype=np.int32), np.array(r1, dtype=np.int32)


NoGradient("BroadcastGradientArgs")


def reduced_shape(input_shape: Any, axes: Any) -> Tensor:
    """``input_shape`` with the ``axes`` set to 1 (the keepdims shape of a reduction)."""
    input_shape = convert_to_tensor(input_shape, dtype=dtypes.int32)
    axes = convert_to_tensor(axes, dtype=dtypes.int32)
    return _make("ReducedShape", [input_shape, axes], [dtypes.int32], "ReducedShape",
                 shapes=[input_shape.shape]).outputs[0]


@primitive("ReducedShape")
def _reduced_shape_kernel(ctx, input_shape, axes):
    out = np.array(input_shape, dtype=np.int32)
    if out.size:
        out[np.ravel(axes) % out.size] = 1
    return out


NoGradient("ReducedShape")


# --------------------------------------------------------------------------------------------
# Transpose
# --------------------------------------------------------------------------------------------
def transpose(a: Any, perm: Any = None, name: str = "transpose", conjugate: bool = False) -> Tensor:
    """Permutes the dimensions: output dim i is input dim ``perm[i]``. By default reverses them
    (the matrix transpose for rank 2)."""
    with name_scope(name, "transpose", [a]) as scope:
        a = convert_to_tensor(a, name="a")
        if perm is None:
            if a.shape.ndims is not None:
                perm = np.arange(a.shape.ndims - 1, -1, -1, dtype=np.int32)
            else:
                r = rank(a)
                perm = (r - 1) - range(0, r, 1)
        perm = _int_input(perm, "perm")
        return _make("Transpose", [a, perm], [a.dtype.base_dtype], scope).outputs[0]


def _transpose_rule(op: Operation) -> TensorShape:
    x, perm = op.inputs[0].shape, constant_value(op.inputs[1])
    n = x.ndims if x.ndims is not None else op.inputs[1].shape[0].value if op.inputs[1].shape.ndims else None
    if perm is None:
        return TensorShape(None if n is None else [None] * n)
    perm = [int(p) for p in np.ravel(perm)]
    if x.ndims is None:
        return TensorShape([None] * len(perm))
    if len(perm) != x.ndims:
        raise ShapeError("Dimension must be %d but is %d" % (x.ndims, len(perm)),
                         "Fix: perm lists every dimension of the tensor once.")
    if sorted(p % max(x.ndims, 1) for p in perm) != list(builtins.range(x.ndims)):
        raise ShapeError("perm %s is not a permutation of 0..%d" % (perm, x.ndims - 1),
                         "Fix: perm lists every dimension of the tensor once.")
    dims = x.as_list()
    return TensorShape([dims[p] for p in perm])


@primitive("Transpose", shape=_transpose_rule)
def _transpose_kernel(ctx, x, perm):
    return np.transpose(read_value(x), [int(p) for p in perm])


@RegisterGradient("Transpose")
def _transpose_grad(op, grad):
    """y = transpose(x, perm): the gradient is transposed back with the inverse permutation."""
    return transpose(grad, invert_permutation(op.inputs[1])), None


def invert_permutation(x: Any, name: "str | None" = None) -> Tensor:
    """``y[x[i]] = i``: the permutation that undoes ``x``."""
    with name_scope(name, "InvertPermutation", [x]) as scope:
        x = _int_input(x, "x")
        return _make("InvertPermutation", [x], [x.dtype.base_dtype], scope, shapes=[x.shape]).outputs[0]


primitive("InvertPermutation")(lambda ctx, x: np.argsort(x).astype(np.asarray(x).dtype))
NoGradient("InvertPermutation")


# --------------------------------------------------------------------------------------------
# Concat, stack, unstack, split
# --------------------------------------------------------------------------------------------
def _convert_list(values: Sequence[Any], arg_name: str, op_type: str) -> "list[Tensor]":
    """Converts a list input; Python values take the dtype of the first tensor. All must match."""
    preferred = next((v.dtype.base_dtype for v in values if _is_tensor_like(v)), None)
    tensors = [convert_to_tensor(v, name="%s_%d" % (arg_name, i), preferred_dtype=preferred)
               for i, v in enumerate(values)]
    types = [t.dtype.base_dtype for t in tensors]
    if any(d is not types[0] for d in types):
        raise TypeError("Tensors in list passed to '%s' of '%s' Op have types [%s] that don't all match.\n"
                        "Fix: cast them to one dtype first, e.g. with tf.cast(t, tf.float32)."
                        % (arg_name, op_type, ", ".join(d.name for d in types)))
    return tensors


def concat(values: Sequence[Any], axis: Any, name: str = "concat") -> Tensor:
    """Joins tensors along an existing dimension: [2, 3] and [4, 3] on axis 0 give [6, 3]."""
    if not isinstance(values, (list, tuple)):
        values = [values]
    if len(values) == 1:      # TF1: one tensor is returned through an Identity
        with name_scope(name, None, values):
            axis = convert_to_tensor(axis, dtype=dtypes.int32, name="concat_dim")
            if axis.shape.ndims not in (None, 0):
                raise ValueError("Shape %s must have rank 0" % axis.shape)
            return identity(values[0], name=name)
    with name_scope(name, "concat", values) as scope:
        values = _convert_list(values, "values", "ConcatV2")
        axis = _int_input(axis, "axis")
        return _make("ConcatV2", values + [axis], [values[0].dtype.base_dtype], scope,
                     attrs={"N": len(values)}).outputs[0]


def _concat_rule(op: Operation) -> TensorShape:
    shapes = [t.shape for t in op.inputs[:-1]]
    ranks = [s.ndims for s in shapes if s.ndims is not None]
    if not ranks:
        return TensorShape(None)
    n = ranks[0]
    if n == 0:
        raise ShapeError("Can't concatenate scalars (use tf.stack instead)",
                         "Fix: tf.stack makes a new dimension; tf.concat joins along an existing one.")
    for s in shapes:
        if s.ndims is not None and s.ndims != n:
            raise ShapeError("Shape must be rank %d but is rank %d" % (n, s.ndims),
                             "Fix: tf.concat needs tensors of the same rank.")
    axis = _constant_int(op.inputs[-1])
    if axis is None:
        return TensorShape([None] * n)
    if not -n <= axis < n:
        raise ShapeError("Expected concatenating dimensions in the range [%d, %d), but got %d" % (-n, n, axis))
    axis %= n
    known = [s for s in shapes if s.ndims is not None]
    dims = [None] * n
    for s in known:
        for d, size_ in enumerate(s.as_list()):
            if d == axis or size_ is None:
                continue
            if dims[d] is not None and dims[d] != size_:
                first = next(k for k in known if k[d].value is not None)
                raise ShapeError("Dimension %d in both shapes must be equal, but are %d and %d. Shapes are %s "
                                 "and %s." % (d, dims[d], size_, first.debug_string(), s.debug_string()),
                                 "Fix: tf.concat needs equal sizes in every dimension except the axis %d."
                                 % axis)
            dims[d] = size_
    if len(known) == len(shapes) and all(s[axis].value is not None for s in known):
        dims[axis] = sum(s[axis].value for s in known)
    return TensorShape(dims)


@primitive("ConcatV2", shape=_concat_rule)
def _concat_kernel(ctx, *values_and_axis):
    *values, axis = values_and_axis
    return np.concatenate([read_value(v) for v in values], axis=int(axis))


@RegisterGradient("ConcatV2")
def _concat_grad(op, grad):
    """Each input gets back its own piece of the gradient: a slice of ``grad`` that starts at
    the input's offset along the axis and has the input's shape."""
    values, axis = op.inputs[:-1], op.inputs[-1]
    sizes = [shape(v) for v in values]
    offsets = _concat_offset(axis, sizes)
    return [slice(grad, begin, size_) for begin, size_ in zip(offsets, sizes)] + [None]


def _concat_offset(axis: Tensor, shapes: "list[Tensor]") -> "list[Tensor]":
    """Where each concatenated input starts: [0, 0], [0, 2], [0, 5] ... (op ``ConcatOffset``)."""
    op = _make("ConcatOffset", [axis] + shapes, [dtypes.int32] * len(shapes), "ConcatOffset",
               shapes=[s.shape for s in shapes])
    return op.outputs


@primitive("ConcatOffset")
def _concat_offset_kernel(ctx, axis, *shapes):
    axis = int(axis) % max(len(shapes[0]), 1)
    offsets, start = [], 0
    for s in shapes:
        offset = np.zeros(len(s), dtype=np.int32)
        offset[axis] = start
        start += int(s[axis])
        offsets.append(offset)
    return offsets


NoGradient("ConcatOffset")


def stack(values: Sequence[Any], axis: int = 0, name: str = "stack") -> Tensor:
    """Joins same-shaped tensors along a new dimension: three [2] tensors give [3, 2] (op ``Pack``)."""
    if axis == 0:
        try:          # all Python values: a constant; tensors among them: packed (TF1 does the same)
            return convert_to_tensor(values, name=name)
        except (TypeError, ValueError):
            pass
    with name_scope(name, "stack", values) as scope:
        values = _convert_list(values, "values", "Pack")
        n = values[0].shape.ndims
        if n is not None and not -n - 1 <= axis < n + 1:
            raise ValueError("axis = %d not in [%d, %d)" % (axis, -n - 1, n + 1))
        return _pack(values, axis, scope)


def _pack(tensors: "list[Tensor]", axis: int, name: str) -> Tensor:
    return _make("Pack", tensors, [tensors[0].dtype.base_dtype], name,
                 attrs={"axis": int(axis), "N": len(tensors)}).outputs[0]


def _pack_rule(op: Operation) -> TensorShape:
    merged = _merge_shapes([t.shape for t in op.inputs])
    if merged.ndims is None:
        return merged
    dims = merged.as_list()
    dims.insert(_normalize_axis(op.attrs["axis"], len(dims) + 1), len(op.inputs))
    return TensorShape(dims)


@primitive("Pack", shape=_pack_rule)
def _pack_kernel(ctx, *values):
    return np.stack([read_value(v) for v in values], axis=ctx.attrs["axis"])


@RegisterGradient("Pack")
def _pack_grad(op, grad):
    """Stacking moved each input into one slice of the output: unstack the gradient."""
    return unstack(grad, num=op.attrs["N"], axis=op.attrs["axis"])


def _autopack(value: "list | tuple", dtype: Any = None, name: "str | None" = None) -> "Tensor | None":
    """``convert_to_tensor`` of a (nested) list that holds tensors: stack them, with Python
    numbers becoming constants (``tf.reshape(x, [-1, n])`` with a tensor ``n``). None if the
    list holds no tensors. The op is named ``packed`` unless a name is given."""
    first = _first_tensor_like(value)
    if first is None:
        return None
    inferred = first.dtype.base_dtype
    dtype = inferred if dtype is None else dtypes.as_dtype(dtype).base_dtype
    with _graph_of(_flat_tensors(value)).as_default():
        return _autopack_helper(value, dtype, name or "packed", cast_tensors=dtype is not inferred)


def _first_tensor_like(value: Any) -> Any:
    for v in value:
        if _is_tensor_like(v):
            return v
        if isinstance(v, (list, tuple)):
            found = _first_tensor_like(v)
            if found is not None:
                return found
    return None


def _flat_tensors(value: Any) -> list:
    out = []
    for v in value:
        if isinstance(v, (list, tuple)):
            out.extend(_flat_tensors(v))
        elif _is_tensor_like(v):
            out.append(v)
    return out


def _autopack_helper(value: Any, dtype: dtypes.DType, name: str, cast_tensors: bool) -> Any:
    """Packs one nesting level: the scope is ``name`` (nested lists get scopes ``0``, ``1``, ...)."""
    from .math_ops import cast
    with name_scope(name) as scope:
        elems, must_pack = [], False
        for i, v in enumerate(value):
            if _is_tensor_like(v):
                t = convert_to_tensor(v)
                if t.dtype.base_dtype is not dtype:
                    if not cast_tensors:
                        raise TypeError("Cannot convert a list containing a tensor of dtype %s to %s (Tensor "
                                        "is: %r)" % (t.dtype.base_dtype.name, dtype.name, t))
                    t = cast(t, dtype)
                elems.append(t)
                must_pack = True
            elif isinstance(v, (list, tuple)):
                packed = _autopack_helper(v, dtype, str(i), cast_tensors)
                must_pack = must_pack or isinstance(packed, Tensor)
                elems.append(packed)
            else:
                elems.append(v)
        if not must_pack:
            return elems
        tensors = [e if isinstance(e, Tensor) else constant(e, dtype=dtype, name=str(i))
                   for i, e in enumerate(elems)]
        return _pack(tensors, 0, scope)


def unstack(value: Any, num: "int | None" = None, axis: int = 0, name: str = "unstack") -> "list[Tensor]":
    """Splits a tensor along ``axis`` into a list of tensors with that dimension removed (``Unpack``)."""
    value = convert_to_tensor(value)
    s = value.shape
    if num is None:
        if s.ndims is not None:
            if not -s.ndims <= axis < s.ndims:
                raise ValueError("axis = %d not in [%d, %d)" % (axis, -s.ndims, s.ndims))
            num = s[axis].value
        if num is None:
            raise ValueError("Cannot infer num from shape %s\nFix: pass num=..., the number of tensors "
                             "to unstack, when that dimension is not known statically." % s)
    with name_scope(name, "unstack", [value]) as scope:
        return _make("Unpack", [value], [value.dtype.base_dtype] * num, scope,
                     attrs={"num": num, "axis": int(axis)}).outputs


def _unpack_rule(op: Operation) -> "list[TensorShape]":
    x, num = op.inputs[0].shape, op.attrs["num"]
    if x.ndims is None:
        return [TensorShape(None)] * num
    axis = _normalize_axis(op.attrs["axis"], x.ndims)
    dims = x.as_list()
    if dims[axis] is not None and dims[axis] != num:
        raise ShapeError("Dimension must be %d but is %d" % (num, dims[axis]))
    return [TensorShape(dims[:axis] + dims[axis + 1:])] * num


@primitive("Unpack", shape=_unpack_rule)
def _unpack_kernel(ctx, x):
    x = np.asarray(read_value(x))
    axis = ctx.attrs["axis"] % x.ndim
    return [np.take(x, i, axis=axis) for i in builtins.range(x.shape[axis])]


@RegisterGradient("Unpack")
def _unpack_grad(op, *grads):
    """Unstacking cut the input into slices: stack their gradients back together."""
    return stack(list(grads), axis=op.attrs["axis"])


def split(value: Any, num_or_size_splits: Any, axis: Any = 0, num: "int | None" = None,
          name: str = "split") -> "list[Tensor]":
    """Cuts ``value`` along ``axis`` into ``n`` equal pieces (an int) or pieces of the given sizes
    (a list; one size may be -1)."""
    # TF1 converts num_or_size_splits first, outside any scope (so an int split adds a "Const").
    if isinstance(num_or_size_splits, Dimension):
        num_or_size_splits = num_or_size_splits.value
    size_splits = convert_to_tensor(num_or_size_splits)
    if size_splits.shape.ndims == 0 and size_splits.dtype.is_integer:
        n = int(num_or_size_splits)
        with name_scope(name, "split", [value]) as scope:
            axis = _int_input(axis, "split_dim")
            value = convert_to_tensor(value, name="value")
            return _make("Split", [axis, value], [value.dtype.base_dtype] * n, scope,
                         attrs={"num_split": n}).outputs
    if num is None:
        num = size_splits.shape[0].value if size_splits.shape.ndims == 1 else None
        if num is None:
            raise ValueError("Cannot infer num from shape %s" % (num_or_size_splits,))
    with name_scope(name, "split", [value]) as scope:
        value = convert_to_tensor(value, name="value")
        axis = _int_input(axis, "split_dim")
        return _make("SplitV", [value, size_splits, axis], [value.dtype.base_dtype] * num, scope,
                     attrs={"num_split": num}).outputs


def _split_rule(op: Operation) -> "list[TensorShape]":
    axis_t, x = op.inputs
    n = op.attrs["num_split"]
    axis = _constant_int(axis_t)
    if x.shape.ndims is None:
        return [TensorShape(None)] * n
    dims = x.shape.as_list()
    if axis is None:
        return [TensorShape([None] * len(dims))] * n
    axis = _normalize_axis(axis, len(dims))
    if dims[axis] is not None:
        if dims[axis] % n:
            raise ShapeError("Dimension size must be evenly divisible by %d but is %d" % (n, dims[axis]),
                             "Fix: split into a number of pieces that divides the size, or pass a "
                             "list of sizes.")
        dims[axis] //= n
    return [TensorShape(dims)] * n


@primitive("Split", shape=_split_rule)
def _split_kernel(ctx, axis, x):
    x = np.asarray(read_value(x))
    axis, n = int(axis) % x.ndim, ctx.attrs["num_split"]
    if x.shape[axis] % n:
        raise errors.InvalidArgumentError(
            None, ctx.op, "Number of ways to split should evenly divide the split dimension, but got "
                          "split_dim %d (size = %d) and num_split %d" % (axis, x.shape[axis], n))
    return np.split(x, n, axis=axis)


@RegisterGradient("Split")
def _split_grad(op, *grads):
    """The pieces' gradients are concatenated back in order."""
    return None, concat(list(grads), op.inputs[0])


def _split_v_sizes(sizes: "list[int]", total: "int | None") -> "list[int | None]":
    """Replaces the one -1 size by what is left of ``total``."""
    if -1 in sizes:
        known = sum(s for s in sizes if s != -1)
        return [(None if total is None else total - known) if s == -1 else s for s in sizes]
    return list(sizes)


def _split_v_rule(op: Operation) -> "list[TensorShape]":
    x, sizes_t, axis_t = op.inputs
    n = op.attrs["num_split"]
    axis, sizes = _constant_int(axis_t), constant_value(sizes_t)
    if x.shape.ndims is None:
        return [TensorShape(None)] * n
    dims = x.shape.as_list()
    if axis is None:
        return [TensorShape([None] * len(dims))] * n
    axis = _normalize_axis(axis, len(dims))
    if sizes is None:
        return [TensorShape(dims[:axis] + [None] + dims[axis + 1:])] * n
    sizes = _split_v_sizes([int(s) for s in sizes], dims[axis])
    if dims[axis] is not None and sum(sizes) != dims[axis]:
        raise ShapeError("Determined shape must either match input shape along split_dim exactly if fully "
                         "specified, or be less than the size of the input along split_dim if not fully "
                         "specified.  Got: %d" % sum(sizes), "Fix: the sizes must add up to %d." % dims[axis])
    return [TensorShape(dims[:axis] + [s] + dims[axis + 1:]) for s in sizes]


@primitive("SplitV", shape=_split_v_rule)
def _split_v_kernel(ctx, x, sizes, axis):
    x = np.asarray(read_value(x))
    axis = int(axis) % x.ndim
    sizes = _split_v_sizes([int(s) for s in sizes], x.shape[axis])
    if sum(sizes) != x.shape[axis] or min(sizes) < 0:
        raise errors.InvalidArgumentError(None, ctx.op, "Determined shape must either match input shape along "
                                                        "split_dim exactly if fully specified, or be less than "
                                                        "the size of the input along split_dim if not fully "
                                                        "specified.  Got: %d" % sum(sizes))
    return np.split(x, np.cumsum(sizes)[:-1], axis=axis)


@RegisterGradient("SplitV")
def _split_v_grad(op, *grads):
    """The pieces' gradients are concatenated back in order."""
    return concat(list(grads), op.inputs[2]), None, None


# --------------------------------------------------------------------------------------------
# Slicing: tf.slice, x[...], tf.pad
# --------------------------------------------------------------------------------------------
def slice(input_: Any, begin: Any, size: Any, name: "str | None" = None) -> Tensor:  # noqa: A001
    """The block of ``input_`` that starts at index ``begin`` and has shape ``size``
    (a size of -1 means "to the end of that dimension")."""
    with name_scope(name, "Slice", [input_, begin, size]) as scope:
        input_ = convert_to_tensor(input_, name="input")
        begin = _int_input(begin, "begin")
        size = _int_input(size, "size")
        return _make("Slice", [input_, begin, size], [input_.dtype.base_dtype], scope).outputs[0]


def _partial_ints(t: Tensor) -> "list | None":
    """The entries of a 1-D int tensor as far as known (None for unknown entries), or None."""
    value = constant_value(t)
    if value is not None:
        return [int(v) for v in np.ravel(value)]
    known = _shape_from_tensor(t)
    return None if known.ndims is None else known.as_list()


def _slice_rule(op: Operation) -> TensorShape:
    x = op.inputs[0].shape
    begin, sizes = _partial_ints(op.inputs[1]), _partial_ints(op.inputs[2])
    n = x.ndims if x.ndims is not None else len(sizes) if sizes is not None else None
    if n is None:
        return TensorShape(None)
    if sizes is None:
        return TensorShape([None] * n)
    if len(sizes) != n or (begin is not None and len(begin) != n):
        raise ShapeError("Expected begin and size arguments to be 1-D tensors of size %d, but got shapes %s "
                         "and %s instead." % (n, op.inputs[1].shape, op.inputs[2].shape))
    dims = x.as_list() if x.ndims is not None else [None] * n
    out = []
    for i, (d, s) in enumerate(zip(dims, sizes)):
        b = begin[i] if begin is not None else None
        if s is not None and s != -1:
            if d is not None and b is not None and not 0 <= s <= d - b:
                raise ShapeError("Expected size[%d] in [0, %d], but got %d" % (i, d - b, s),
                                 "Fix: begin + size must stay inside the tensor.")
            out.append(s)
        elif s == -1 and d is not None and b is not None:
            out.append(d - b)
        else:
            out.append(None)
    return TensorShape(out)


@primitive("Slice", shape=_slice_rule)
def _slice_kernel(ctx, x, begin, size):
    x = np.asarray(read_value(x))
    index = []
    for i, (b, s) in enumerate(zip(np.ravel(begin), np.ravel(size))):
        b, s = int(b), int(s)
        end = x.shape[i] if s == -1 else b + s
        if not 0 <= b <= end <= x.shape[i]:
            raise errors.InvalidArgumentError(None, ctx.op, "Expected size[%d] in [0, %d], but got %d"
                                              % (i, x.shape[i] - b, s))
        index.append(builtins.slice(b, end))
    return x[tuple(index)]


@RegisterGradient("Slice")
def _slice_grad(op, grad):
    """The slice's gradient goes back to its place; everywhere else the gradient is 0: pad
    ``grad`` with ``begin`` zeros before and the rest after, along every dimension."""
    from .math_ops import cast
    x, begin = op.inputs[0], cast(op.inputs[1], dtypes.int32)
    after = shape(x) - shape(op.outputs[0]) - begin
    return pad(grad, stack([begin, after], axis=1)), None, None


_SLICE_TYPE_ERROR = ("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
                     "tf.int32/tf.int64 tensors are valid indices")


def _check_index(idx: Any) -> None:
    if isinstance(idx, (int, np.integer, Dimension)) and not isinstance(idx, bool):
        return
    if (isinstance(idx, Tensor) and idx.dtype.base_dtype in (dtypes.int32, dtypes.int64)
            and idx.shape.ndims in (None, 0)):
        return
    raise TypeError(_SLICE_TYPE_ERROR + ", got %r" % (idx,))


def _slice_helper(tensor: Tensor, slice_spec: Any) -> Tensor:
    """``tensor[slice_spec]``: numpy-style basic indexing as one ``StridedSlice`` op.

    Each index becomes a (begin, end, stride) triple plus a bit in one of five masks:
    ``x[1]`` shrinks the axis (shrink_axis_mask), ``x[:2]`` has no begin (begin_mask),
    ``x[..., 0]`` sets ellipsis_mask, ``x[tf.newaxis]`` new_axis_mask. A bool tensor or
    array index selects with :func:`boolean_mask`.
    """
    if (isinstance(slice_spec, bool)
            or (isinstance(slice_spec, Tensor) and slice_spec.dtype.base_dtype is dtypes.bool)
            or (isinstance(slice_spec, np.ndarray) and slice_spec.dtype == bool)):
        return boolean_mask(tensor, slice_spec)
    if not isinstance(slice_spec, (list, tuple)):
        slice_spec = [slice_spec]
    begin, end, strides = [], [], []
    masks = dict(begin_mask=0, end_mask=0, ellipsis_mask=0, new_axis_mask=0, shrink_axis_mask=0)
    for index, s in enumerate(slice_spec):
        bit = 1 << index
        if isinstance(s, builtins.slice):
            s = builtins.slice(*[p.value if isinstance(p, Dimension) else p for p in (s.start, s.stop, s.step)])
            for part in (s.start, s.stop, s.step):
                if part is not None:
                    _check_index(part)
            begin.append(s.start if s.start is not None else 0)
            end.append(s.stop if s.stop is not None else 0)
            strides.append(s.step if s.step is not None else 1)
            masks["begin_mask"] |= bit if s.start is None else 0
            masks["end_mask"] |= bit if s.stop is None else 0
        elif s is Ellipsis:
            if masks["ellipsis_mask"]:
                raise ValueError("Multiple ellipses in slice spec not allowed")
            begin.append(0), end.append(0), strides.append(1)
            masks["ellipsis_mask"] |= bit
        elif s is newaxis:
            begin.append(0), end.append(0), strides.append(1)
            masks["new_axis_mask"] |= bit
        else:
            _check_index(s)
            s = s.value if isinstance(s, Dimension) else s
            begin.append(s), end.append(s + 1), strides.append(1)
            masks["shrink_axis_mask"] |= bit
    with name_scope(None, "strided_slice", [tensor] + begin + end + strides) as scope:
        if begin:
            packed = [stack(part) for part in (begin, end, strides)]
            if any(p.dtype.base_dtype is dtypes.int64 for p in packed):
                from .math_ops import cast
                packed = [cast(p, dtypes.int64) for p in packed]
        else:
            packed = [constant([], dtype=dtypes.int32)] * 3
        return strided_slice(tensor, *packed, name=scope, **masks)


def strided_slice(input_: Any, begin: Any, end: Any, strides: Any = None, begin_mask: int = 0,
                  end_mask: int = 0, ellipsis_mask: int = 0, new_axis_mask: int = 0,
                  shrink_axis_mask: int = 0, var: Any = None, name: "str | None" = None) -> Tensor:
    """The general slicing op behind ``x[...]``: ``input_[begin:end:strides]`` per dimension, with
    bit masks that say which entries are absent, ``...``, ``tf.newaxis`` or single indices."""
    with name_scope(name, "StridedSlice", [input_, begin, end, strides]) as scope:
        input_ = convert_to_tensor(input_, name="input")
        begin = _int_input(begin, "begin")
        end = _int_input(end, "end")
        strides = ones_like(begin) if strides is None else _int_input(strides, "strides")
        attrs = dict(begin_mask=int(begin_mask), end_mask=int(end_mask), ellipsis_mask=int(ellipsis_mask),
                     new_axis_mask=int(new_axis_mask), shrink_axis_mask=int(shrink_axis_mask))
        return _make("StridedSlice", [input_, begin, end, strides], [input_.dtype.base_dtype], scope,
                     attrs=attrs).outputs[0]


def _numpy_index(attrs: dict, begin: Any, end: Any, strides: Any) -> tuple:
    """The numpy index tuple equal to a strided slice spec, e.g. ``(0, slice(None, 2, 1), None)``."""
    index = []
    for i, (b, e, s) in enumerate(zip(np.ravel(begin), np.ravel(end), np.ravel(strides))):
        bit = 1 << i
        if attrs["ellipsis_mask"] & bit:
            index.append(Ellipsis)
        elif attrs["new_axis_mask"] & bit:
            index.append(np.newaxis)
        elif attrs["shrink_axis_mask"] & bit:
            index.append(int(b))
        else:
            if int(s) == 0:
                raise ValueError("strides[%d] must be non-zero" % i)
            index.append(builtins.slice(None if attrs["begin_mask"] & bit else int(b),
                                        None if attrs["end_mask"] & bit else int(e), int(s)))
    return tuple(index)


def _strided_slice_dims(attrs: dict, dims: list, begin: list, end: list, strides: list) -> list:
    """Applies a strided slice spec to static dims (None = unknown size or unknown spec entry)."""
    n = len(begin)
    spec_bits = [1 << i for i in builtins.range(n)]
    consumed = sum(1 for bit in spec_bits if not (attrs["ellipsis_mask"] | attrs["new_axis_mask"]) & bit)
    out, d = [], 0
    for i, bit in enumerate(spec_bits):
        if attrs["ellipsis_mask"] & bit:
            k = max(len(dims) - consumed, 0)
            out += dims[d:d + k]
            d += k
            continue
        if attrs["new_axis_mask"] & bit:
            out.append(1)
            continue
        if d >= len(dims):
            raise ShapeError("Index out of range using input dim %d; input has only %d dims" % (d, len(dims)),
                             "Fix: the tensor has fewer dimensions than the index.")
        size_, b, e, s = dims[d], begin[i], end[i], strides[i]
        if s == 0:
            raise ShapeError("strides[%d] must be non-zero" % i)
        if attrs["shrink_axis_mask"] & bit:
            if size_ is not None and b is not None and not -size_ <= b < size_:
                raise ShapeError("slice index %d of dimension %d out of bounds." % (b, d),
                                 "Fix: an index into a dimension of size %d must be in [-%d, %d)."
                                 % (size_, size_, size_))
        else:
            b = "all" if attrs["begin_mask"] & bit else b
            e = "all" if attrs["end_mask"] & bit else e
            if size_ is None or None in (b, e, s):
                out.append(None)
            else:
                py = builtins.slice(None if b == "all" else b, None if e == "all" else e, s)
                out.append(len(builtins.range(*py.indices(size_))))
        d += 1
    if not attrs["ellipsis_mask"]:
        out += dims[d:]
    return out


def _strided_slice_rule(op: Operation) -> TensorShape:
    x = op.inputs[0].shape
    spec = [_partial_ints(t) for t in op.inputs[1:]]
    if x.ndims is None or any(s is None for s in spec):
        return TensorShape(None)
    return TensorShape(_strided_slice_dims(op.attrs, x.as_list(), *spec))


@primitive("StridedSlice", shape=_strided_slice_rule)
def _strided_slice_kernel(ctx, x, begin, end, strides):
    x = np.asarray(read_value(x))
    index = _numpy_index(ctx.attrs, begin, end, strides)
    _check_bounds(ctx.op, x.shape, index)
    return x[index]


def _check_bounds(op: Operation, dims: tuple, index: tuple) -> None:
    """Single indices must be inside their dimension (numpy's IndexError, TensorFlow's message)."""
    consumed = sum(1 for i in index if i is not None and i is not Ellipsis)
    d = 0
    for i in index:
        if i is Ellipsis:
            d += len(dims) - consumed
        elif isinstance(i, int):
            if not -dims[d] <= i < dims[d]:
                raise errors.InvalidArgumentError(None, op, "slice index %d of dimension %d out of bounds."
                                                  % (i, d))
            d += 1
        elif i is not None:
            d += 1


@RegisterGradient("StridedSlice")
def _strided_slice_grad(op, grad):
    """The gradient of a slice is zeros of the input's shape with ``grad`` written at the sliced
    places (op ``StridedSliceGrad``)."""
    x, begin, end, strides = op.inputs
    dx = _make("StridedSliceGrad", [shape(x, out_type=begin.dtype.base_dtype), begin, end, strides, grad],
               [grad.dtype.base_dtype], "StridedSliceGrad", attrs=dict(op.attrs)).outputs[0]
    return dx, None, None, None


@primitive("StridedSliceGrad", shape=lambda op: _shape_from_tensor(op.inputs[0]))
def _strided_slice_grad_kernel(ctx, shape_, begin, end, strides, dy):
    dx = np.zeros([int(d) for d in shape_], dtype=np.asarray(dy).dtype)
    dx[_numpy_index(ctx.attrs, begin, end, strides)] = dy
    return dx


@RegisterGradient("StridedSliceGrad")
def _strided_slice_grad_grad(op, grad):
    """StridedSliceGrad is linear in dy; its adjoint is the strided slice itself."""
    _, begin, end, strides, _ = op.inputs
    masks = {k: op.attrs[k] for k in ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask",
                                      "shrink_axis_mask")}
    return None, None, None, None, strided_slice(grad, begin, end, strides, **masks)


Tensor.__getitem__ = _slice_helper


def pad(tensor: Any, paddings: Any, mode: str = "CONSTANT", name: "str | None" = None,
        constant_values: Any = 0) -> Tensor:
    """Adds ``paddings[d][0]`` values before and ``paddings[d][1]`` after dimension d.

    ``mode``: ``"CONSTANT"`` (``constant_values``), ``"REFLECT"`` (mirror without the edge) or
    ``"SYMMETRIC"`` (mirror including the edge).
    """
    mode = mode.upper()
    if mode == "CONSTANT":
        if not isinstance(constant_values, Tensor) and np.all(np.asarray(constant_values) == 0):
            with name_scope(name, "Pad", [tensor, paddings]) as scope:
                tensor = convert_to_tensor(tensor, name="input")
                paddings = _int_input(paddings, "paddings")
                return _make("Pad", [tensor, paddings], [tensor.dtype.base_dtype], scope).outputs[0]
        with name_scope(name, "PadV2", [tensor, paddings, constant_values]) as scope:
            tensor = convert_to_tensor(tensor, name="input")
            paddings = _int_input(paddings, "paddings")
            value = convert_to_tensor(constant_values, dtype=tensor.dtype.base_dtype, name="constant_values")
            return _make("PadV2", [tensor, paddings, value], [tensor.dtype.base_dtype], scope).outputs[0]
    if mode in ("REFLECT", "SYMMETRIC"):
        with name_scope(name, "MirrorPad", [tensor, paddings]) as scope:
            tensor = convert_to_tensor(tensor, name="input")
            paddings = _int_input(paddings, "paddings")
            return _make("MirrorPad", [tensor, paddings], [tensor.dtype.base_dtype], scope,
                         attrs={"mode": mode}).outputs[0]
    raise ValueError("Unknown padding mode: %s" % mode)


def _pad_rule(op: Operation, sign: int = 1) -> TensorShape:
    x, paddings = op.inputs[0].shape, constant_value(op.inputs[1])
    n = x.ndims if x.ndims is not None else op.inputs[1].shape[0].value if op.inputs[1].shape.ndims else None
    if n is None:
        return TensorShape(None)
    if paddings is None:
        return TensorShape([None] * n)
    paddings = np.asarray(paddings).reshape(-1, 2) if np.size(paddings) else np.zeros((0, 2), np.int32)
    if paddings.shape[0] != n:
        raise ShapeError("The first dimension of paddings must be the rank of inputs[%d,2] %s"
                         % (paddings.shape[0], x.debug_string()),
                         "Fix: paddings needs one [before, after] pair per dimension.")
    dims = x.as_list() if x.ndims is not None else [None] * n
    return TensorShape([None if d is None else d + sign * int(p.sum()) for d, p in zip(dims, paddings)])


def _pad_kernel(ctx, x, paddings, value=0):
    return np.pad(read_value(x), np.asarray(paddings).reshape(-1, 2), mode="constant", constant_values=value)


primitive("Pad", shape=_pad_rule)(_pad_kernel)
primitive("PadV2", shape=_pad_rule)(_pad_kernel)


@RegisterGradient("Pad")
def _pad_grad(op, grad):
    """Padding put the input inside a bigger tensor: slice the input's part back out of ``grad``."""
    x, paddings = op.inputs[0], op.inputs[1]
    before = reshape(slice(paddings, [0, 0], stack([rank(x), 1])), [-1])
    dx = slice(grad, before, shape(x))
    return (dx, None) if len(op.inputs) == 2 else (dx, None, None)


RegisterGradient("PadV2")(_pad_grad)


@primitive("MirrorPad", shape=_pad_rule)
def _mirror_pad_kernel(ctx, x, paddings):
    return np.pad(read_value(x), np.asarray(paddings).reshape(-1, 2), mode=ctx.attrs["mode"].lower())


@RegisterGradient("MirrorPad")
def _mirror_pad_grad(op, grad):
    """Every output element is a copy of one input element: add the gradients of the copies
    (op ``MirrorPadGrad``)."""
    dx = _make("MirrorPadGrad", [grad, op.inputs[1]], [grad.dtype.base_dtype], "MirrorPadGrad",
               attrs={"mode": op.attrs["mode"]}).outputs[0]
    return dx, None


@primitive("MirrorPadGrad", shape=lambda op: _pad_rule(op, sign=-1))
def _mirror_pad_grad_kernel(ctx, grad, paddings):
    paddings = np.asarray(paddings).reshape(-1, 2)
    x_shape = tuple(int(d - p.sum()) for d, p in zip(np.shape(grad), paddings))
    # Pad the *positions* of the input the same way: then source[i] says where output i came from.
    source = np.pad(np.arange(int(np.prod(x_shape))).reshape(x_shape), paddings, mode=ctx.attrs["mode"].lower())
    dx = np.zeros(int(np.prod(x_shape)), dtype=np.asarray(grad).dtype)
    np.add.at(dx, source.ravel(), np.ravel(grad))
    return dx.reshape(x_shape)


@RegisterGradient("MirrorPadGrad")
def _mirror_pad_grad_grad(op, grad):
    """MirrorPadGrad is linear; its adjoint is MirrorPad."""
    return pad(grad, op.inputs[1], mode=op.attrs["mode"]), None


# --------------------------------------------------------------------------------------------
# Gathering and masks: gather, unsorted_segment_sum, boolean_mask, one_hot
# --------------------------------------------------------------------------------------------
def gather(params: Any, indices: Any, validate_indices: Any = None, name: "str | None" = None,
           axis: Any = 0, batch_dims: int = 0) -> Tensor:
    """Picks slices of ``params`` along ``axis`` at ``indices``: ``gather(p, [2, 0])`` is
    ``[p[2], p[0]]``. The output shape is ``params.shape[:axis] + indices.shape + params.shape[axis+1:]``."""
    if batch_dims:
        raise NotImplementedError("tinyflow's gather does not support batch_dims.")
    with name_scope(name, "GatherV2", [params, indices]) as scope:
        params = convert_to_tensor(params, name="params")
        indices = _int_input(indices, "indices")
        axis = _int_input(0 if axis is None else axis, "axis")
        return _make("GatherV2", [params, indices, axis], [params.dtype.base_dtype], scope).outputs[0]


def _gather_rule(op: Operation) -> TensorShape:
    params, indices = op.inputs[0].shape, op.inputs[1].shape
    axis = _constant_int(op.inputs[2])
    if params.ndims is None or indices.ndims is None or axis is None:
        return TensorShape(None)
    if not -params.ndims <= axis < params.ndims:
        raise ShapeError("Shape must be at least rank %d but is rank %d"
                         % (max(axis, -axis - 1) + 1, params.ndims))
    axis %= params.ndims
    return params[:axis].concatenate(indices).concatenate(params[axis + 1:])


@primitive("GatherV2", shape=_gather_rule)
def _gather_kernel(ctx, params, indices, axis):
    params, indices = np.asarray(read_value(params)), np.asarray(indices)
    axis = int(axis) % params.ndim
    _check_indices(ctx.op, indices, params.shape[axis], "indices")
    return np.take(params, indices, axis=axis)


def _check_indices(op: Operation, indices: np.ndarray, n: int, what: str) -> None:
    bad = np.argwhere((indices < 0) | (indices >= n))
    if bad.size:
        where_ = ",".join(str(i) for i in bad[0])
        raise errors.InvalidArgumentError(None, op, "%s[%s] = %d is not in [0, %d)"
                                          % (what, where_, indices[tuple(bad[0])], n))


@RegisterGradient("GatherV2")
def _gather_grad(op, grad):
    """Each params slice receives the sum of the gradients of every place it was copied to:
    a scatter-add of ``grad`` into zeros of params' shape (``unsorted_segment_sum`` by index).

    TensorFlow returns this as sparse ``IndexedSlices``; tinyflow keeps it dense.
    """
    params, indices, axis_t = op.inputs
    axis = _constant_int(axis_t)
    rank_p, rank_i = params.shape.ndims, indices.shape.ndims
    if axis is None or (axis != 0 and (rank_p is None or rank_i is None)):
        raise NotImplementedError("tinyflow differentiates gather only with a constant axis (and known "
                                  "ranks when the axis is not 0).")
    if axis < 0:
        if rank_p is None:
            raise NotImplementedError("tinyflow needs the rank of params to differentiate gather with a "
                                      "negative axis.")
        axis %= rank_p
    n = params.shape[axis].value if params.shape.ndims is not None else None
    num = n if n is not None else shape(params)[axis]
    if axis == 0:
        return unsorted_segment_sum(grad, indices, num), None, None
    # grad has dims params[:axis] + indices + params[axis+1:]: move the index dims to the front,
    # scatter-add along axis 0, then move that axis back to position `axis`.
    index_dims = list(builtins.range(axis, axis + rank_i))
    before, after = list(builtins.range(axis)), list(builtins.range(axis + rank_i, rank_p - 1 + rank_i))
    summed = unsorted_segment_sum(transpose(grad, index_dims + before + after), indices, num)
    back = list(builtins.range(1, axis + 1)) + [0] + list(builtins.range(axis + 1, rank_p))
    return transpose(summed, back), None, None


def unsorted_segment_sum(data: Any, segment_ids: Any, num_segments: Any, name: "str | None" = None) -> Tensor:
    """``out[k] = sum of data[i] where segment_ids[i] == k`` (negative ids are dropped)."""
    with name_scope(name, "UnsortedSegmentSum", [data, segment_ids, num_segments]) as scope:
        data = convert_to_tensor(data, name="data")
        segment_ids = _int_input(segment_ids, "segment_ids")
        num_segments = _int_input(num_segments, "num_segments")
        return _make("UnsortedSegmentSum", [data, segment_ids, num_segments], [data.dtype.base_dtype],
                     scope).outputs[0]


def _unsorted_segment_sum_rule(op: Operation) -> TensorShape:
    data, ids = op.inputs[0].shape, op.inputs[1].shape
    num = _constant_int(op.inputs[2])
    if data.ndims is None or ids.ndims is None:
        return TensorShape(None)
    if not ids.is_compatible_with(data[:ids.ndims]):
        raise ShapeError("segment_ids.shape = %s does not start data.shape = %s"
                         % (ids.debug_string(), data.debug_string()))
    return TensorShape([num]).concatenate(data[ids.ndims:])


@primitive("UnsortedSegmentSum", shape=_unsorted_segment_sum_rule)
def _unsorted_segment_sum_kernel(ctx, data, ids, num):
    data, ids, num = np.asarray(read_value(data)), np.asarray(ids), int(num)
    _check_indices(ctx.op, np.where(ids < 0, 0, ids), num, "segment_ids")
    out = np.zeros((num,) + data.shape[ids.ndim:], dtype=data.dtype)
    keep = ids >= 0
    np.add.at(out, ids[keep], data[keep])
    return out


@RegisterGradient("UnsortedSegmentSum")
def _unsorted_segment_sum_grad(op, grad):
    """Each data row was added to row ``segment_ids[i]``: it gets that row's gradient back
    (a gather; rows with negative ids were dropped and get 0)."""
    from .math_ops import cast, greater_equal, maximum
    data, ids = op.inputs[0], op.inputs[1]
    gathered = gather(grad, maximum(ids, 0))
    if data.shape.ndims is None or ids.shape.ndims is None:
        return gathered, None, None
    keep = cast(greater_equal(ids, 0), grad.dtype.base_dtype)
    keep = reshape(keep, concat([shape(ids), [1] * (data.shape.ndims - ids.shape.ndims)], 0))
    return gathered * keep, None, None


def boolean_mask(tensor: Any, mask: Any, name: str = "boolean_mask", axis: Any = None) -> Tensor:
    """The entries of ``tensor`` where ``mask`` is True, flattened over the mask's dimensions:
    a [3, 2] tensor with mask ``[True, False, True]`` gives the [2, 2] rows 0 and 2."""
    from .math_ops import reduce_prod
    with name_scope(name, "boolean_mask", [tensor, mask]):
        tensor = convert_to_tensor(tensor, name="tensor")
        mask = convert_to_tensor(mask, name="mask")
        k = mask.shape.ndims
        if k == 0:
            raise ValueError("mask cannot be scalar.")
        if k is None:
            raise ValueError("Number of mask dimensions must be specified, even if some dimensions are None.  "
                             "E.g. shape=[None] is ok, but shape=None is not.")
        axis = 0 if axis is None else int(axis)
        tensor.shape[axis:axis + k].assert_is_compatible_with(mask.shape)
        s = shape(tensor)
        leading = reduce_prod(s[axis:axis + k], [0])
        tensor = reshape(tensor, concat([s[:axis], [leading], s[axis + k:]], 0))
        indices = squeeze(where(reshape(mask, [-1])), axis=[1])
        return gather(tensor, indices, axis=axis)


def one_hot(indices: Any, depth: Any, on_value: Any = None, off_value: Any = None, axis: Any = None,
            dtype: Any = None, name: "str | None" = None) -> Tensor:
    """A new axis of size ``depth`` (last by default) that is ``on_value`` (1) at each index and
    ``off_value`` (0) elsewhere. Indices outside [0, depth), e.g. -1, give rows of all off_value.

    The dtype is ``dtype``, else that of on_value/off_value, else float32.
    """
    from .constant_op import convert_value

    def dtype_of(v):
        return v.dtype.base_dtype if _is_tensor_like(v) else dtypes.from_numpy(convert_value(v))

    with name_scope(name, "one_hot", [indices, depth, on_value, off_value]) as scope:
        on_dtype = dtype_of(on_value) if on_value is not None else None
        off_dtype = dtype_of(off_value) if off_value is not None else None
        if on_dtype is not None or off_dtype is not None:
            if dtype is not None:
                dtype = dtypes.as_dtype(dtype)
                for what, d in (("on_value", on_dtype), ("off_value", off_dtype)):
                    if d is not None and d is not dtype:
                        raise TypeError("dtype %s of %s does not match dtype parameter %s" % (d, what, dtype))
            else:
                dtype = on_dtype or off_dtype
        else:
            dtype = dtypes.as_dtype(dtype or dtypes.float32)
        on_value = convert_to_tensor(1 if on_value is None else on_value, dtype=dtype, name="on_value")
        off_value = convert_to_tensor(0 if off_value is None else off_value, dtype=dtype, name="off_value")
        if on_dtype is not None and off_dtype is not None and on_dtype is not off_dtype:
            raise TypeError("dtype %s of on_value does not match dtype %s of off_value" % (on_dtype, off_dtype))
        indices = _int_input(indices, "indices")
        depth = convert_to_tensor(depth, dtype=dtypes.int32, name="depth")
        return _make("OneHot", [indices, depth, on_value, off_value], [dtype.base_dtype], scope,
                     attrs={"axis": -1 if axis is None else int(axis)}).outputs[0]


def _one_hot_rule(op: Operation) -> TensorShape:
    indices, depth, axis = op.inputs[0].shape, _constant_int(op.inputs[1]), op.attrs["axis"]
    if indices.ndims is None:
        return TensorShape(None)
    if not -1 <= axis <= indices.ndims:
        raise ShapeError("Expected axis to be -1 or between [0, %d).  But received: %d"
                         % (indices.ndims + 1, axis))
    dims = indices.as_list()
    dims.insert(indices.ndims if axis == -1 else axis, depth)
    return TensorShape(dims)


@primitive("OneHot", shape=_one_hot_rule)
def _one_hot_kernel(ctx, indices, depth, on_value, off_value):
    indices = np.asarray(indices)
    hot = indices[..., np.newaxis] == np.arange(int(depth))       # the new axis is last
    axis = ctx.attrs["axis"]
    if axis != -1:
        hot = np.moveaxis(hot, -1, axis)
    return np.where(hot, on_value, off_value).astype(np.asarray(on_value).dtype)


NoGradient("OneHot")


# --------------------------------------------------------------------------------------------
# tile, cumsum, cumprod
# --------------------------------------------------------------------------------------------
def tile(input: Any, multiples: Any, name: "str | None" = None) -> Tensor:  # noqa: A002
    """Repeats the whole tensor ``multiples[d]`` times along each dimension d:
    ``tile([[1, 2]], [2, 3])`` is ``[[1, 2, 1, 2, 1, 2], [1, 2, 1, 2, 1, 2]]``."""
    with name_scope(name, "Tile", [input, multiples]) as scope:
        input = convert_to_tensor(input, name="input")
        multiples = _int_input(multiples, "multiples")
        return _make("Tile", [input, multiples], [input.dtype.base_dtype], scope).outputs[0]


def _tile_rule(op: Operation) -> TensorShape:
    x, multiples = op.inputs[0].shape, _partial_ints(op.inputs[1])
    n = x.ndims if x.ndims is not None else len(multiples) if multiples is not None else None
    if n is None:
        return TensorShape(None)
    if multiples is None:
        return TensorShape([None] * n)
    if len(multiples) != n:
        raise ShapeError("Expected multiples argument to be a vector of length %d but got length %d"
                         % (n, len(multiples)), "Fix: give one multiple per dimension.")
    dims = x.as_list() if x.ndims is not None else [None] * n
    return TensorShape([None if d is None or m is None else d * m for d, m in zip(dims, multiples)])


@primitive("Tile", shape=_tile_rule)
def _tile_kernel(ctx, x, multiples):
    return np.tile(read_value(x), [int(m) for m in multiples])


@RegisterGradient("Tile")
def _tile_grad(op, grad):
    """Each input element has one copy per tile: sum them. Reshaping ``grad`` to
    ``[m0, d0, m1, d1, ...]`` puts the copies along the even axes, which are summed away."""
    from .math_ops import reduce_sum
    x, multiples = op.inputs
    split_shape = reshape(transpose(stack([multiples, shape(x, out_type=multiples.dtype.base_dtype)])), [-1])
    axes = range(0, size(split_shape), 2)
    dx = reduce_sum(reshape(grad, split_shape), axes)
    dx.set_shape(x.shape)
    return dx, None


def cumsum(x: Any, axis: Any = 0, exclusive: bool = False, reverse: bool = False,
           name: "str | None" = None) -> Tensor:
    """Running sum along ``axis``: ``cumsum([a, b, c]) = [a, a+b, a+b+c]``.

    ``exclusive=True`` gives ``[0, a, a+b]``; ``reverse=True`` sums from the end: ``[a+b+c, b+c, c]``.
    """
    return _cumulative("Cumsum", x, axis, exclusive, reverse, name)


def cumprod(x: Any, axis: Any = 0, exclusive: bool = False, reverse: bool = False,
            name: "str | None" = None) -> Tensor:
    """Running product along ``axis``: ``cumprod([a, b, c]) = [a, a*b, a*b*c]`` (``exclusive``
    and ``reverse`` as in :func:`cumsum`)."""
    return _cumulative("Cumprod", x, axis, exclusive, reverse, name)


def _cumulative(op_type: str, x: Any, axis: Any, exclusive: bool, reverse: bool, name: "str | None") -> Tensor:
    with name_scope(name, op_type, [x]) as scope:
        x = convert_to_tensor(x, name="x")
        axis = _int_input(axis, "axis")
        return _make(op_type, [x, axis], [x.dtype.base_dtype], scope,
                     attrs={"exclusive": bool(exclusive), "reverse": bool(reverse)},
                     shapes=[x.shape]).outputs[0]


def _cumulative_kernel(fn, identity_value):
    def kernel(ctx, x, axis):
        x = np.asarray(read_value(x))
        axis = int(axis) % max(x.ndim, 1)
        if ctx.attrs["reverse"]:
            x = np.flip(x, axis)
        y = fn(x, axis=axis, dtype=x.dtype)
        if ctx.attrs["exclusive"]:      # shift by one: [id, y0, y1, ...]
            first = np.full_like(np.take(y, [0], axis=axis), identity_value)
            y = np.concatenate([first, np.delete(y, -1, axis=axis)], axis=axis)
        return np.flip(y, axis) if ctx.attrs["reverse"] else y
    return kernel


primitive("Cumsum")(_cumulative_kernel(np.cumsum, 0))
primitive("Cumprod")(_cumulative_kernel(np.cumprod, 1))


@RegisterGradient("Cumsum")
def _cumsum_grad(op, grad):
    """y_j = sum of x_i for i <= j, so dL/dx_i = sum of grad_j for j >= i: a cumsum of the
    gradient in the other direction."""
    a = op.attrs
    return cumsum(grad, op.inputs[1], exclusive=a["exclusive"], reverse=not a["reverse"]), None


@RegisterGradient("Cumprod")
def _cumprod_grad(op, grad):
    """y_j = prod of x_i for i <= j, so dy_j/dx_i = y_j / x_i for i <= j and
    dL/dx_i = (sum over j >= i of grad_j * y_j) / x_i. (TensorFlow's formula: it needs x != 0.)"""
    x, axis = op.inputs
    a = op.attrs
    prod = cumprod(x, axis, exclusive=a["exclusive"], reverse=a["reverse"])
    return cumsum(prod * grad, axis, exclusive=a["exclusive"], reverse=not a["reverse"]) / x, None


# --------------------------------------------------------------------------------------------
# where
# --------------------------------------------------------------------------------------------
def where(condition: Any, x: Any = None, y: Any = None, name: "str | None" = None) -> Tensor:
    """``x`` where ``condition`` is true, else ``y`` (op ``Select``); with only ``condition``, the
    coordinates of its true entries as an int64 [num_true, rank] tensor (op ``Where``).

    A rank-1 condition may pick whole rows of higher-rank x and y.
    """
    if x is None and y is None:
        with name_scope(name, "Where", [condition]) as scope:
            condition = convert_to_tensor(condition, preferred_dtype=dtypes.bool, name="condition")
            n = condition.shape.ndims
            return _make("Where", [condition], [dtypes.int64], scope,
                         shapes=[TensorShape([None, n])]).outputs[0]
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    with name_scope(name, "Select", [condition, x, y]) as scope:
        from .math_ops import _convert_pair
        condition = convert_to_tensor(condition, dtype=dtypes.bool, name="condition")
        x, y = _convert_pair(x, y, "Select")
        return _make("Select", [condition, x, y], [x.dtype.base_dtype], scope).outputs[0]


def _select_rule(op: Operation) -> TensorShape:
    c, x, y = (t.shape for t in op.inputs)
    problem = _merge_error(x, y)
    if problem:
        raise ShapeError(problem, "Fix: tf.where(c, x, y) needs x and y of the same shape (it does not "
                                  "broadcast).")
    out = x.merge_with(y)
    if c.ndims is None or out.ndims is None or c.ndims == 0:
        return out
    if c.ndims == 1 and out.ndims > 1:
        if not c[0].is_compatible_with(out[0]):
            raise ShapeError("Dimensions must be equal, but are %s and %s" % (c[0], out[0]),
                             "Fix: a rank-1 condition picks rows, so it needs one entry per row of x.")
        return out
    problem = _merge_error(c, out)
    if problem:
        raise ShapeError(problem, "Fix: the condition needs the shape of x and y (or be a vector over "
                                  "their rows).")
    return out.merge_with(c)


@primitive("Select", shape=_select_rule)
def _select_kernel(ctx, c, x, y):
    c = np.asarray(c)
    if c.ndim == 1 and np.ndim(x) > 1:          # TF1: a vector condition picks whole rows
        c = c.reshape((-1,) + (1,) * (np.ndim(x) - 1))
    return np.where(c, x, y)


@RegisterGradient("Select")
def _select_grad(op, grad):
    """The gradient flows to x where the condition held, and to y elsewhere."""
    c = op.inputs[0]
    zeros = zeros_like(grad)
    return None, where(c, grad, zeros), where(c, zeros, grad)


primitive("Where")(lambda ctx, c: np.argwhere(np.asarray(c)).astype(np.int64))
NoGradient("Where")

"""Joining and splitting tensors: ``tf.concat``, ``tf.stack`` (op ``Pack``), ``tf.unstack``
(``Unpack``), ``tf.split``; and a list that holds tensors becomes one tensor by stacking
(``tf.reshape(x, [-1, n])`` with a tensor ``n``).

The gradient of a join splits the incoming gradient apart, and the gradient of a split joins
the pieces' gradients.

TensorFlow's counterparts: ``python/ops/array_ops.py``, ``python/ops/array_grad.py``,
``core/ops/array_ops.cc``.
"""
from __future__ import annotations

import builtins
from typing import Any, Sequence

import numpy as np

from .. import dtypes, errors
from ..framework import (Operation, Tensor, convert_to_tensor, graph_of, is_tensor_like, name_scope,
                         register_tensor_conversion_function)
from ..op_def_library import int_input, make_op, normalize_axis, python_int, short_repr
from ..op_registry import NoGradient, RegisterGradient, primitive, read_value, several_outputs
from ..tensor_shape import Dimension, ShapeError, TensorShape, merge_problem
from ..tensor_util import constant_int, constant_value
from . import array_ops, constant_op, slicing_ops, unary_ops

__all__ = ["concat", "stack", "unstack", "split"]



# --------------------------------------------------------------------------------------------
# Concat, stack, unstack, split
# --------------------------------------------------------------------------------------------
def _require_list(values: Any, arg_name: str, op_type: str) -> None:
    if not isinstance(values, (list, tuple)):
        raise TypeError("Expected list for '%s' argument to '%s' Op, not %s.\n"
                        "Fix: pass a list of tensors, e.g. [a, b]." % (arg_name, op_type, short_repr(values)))


def _convert_list(values: Sequence[Any], arg_name: str, op_type: str) -> "list[Tensor]":
    """Converts a list input; Python values take the dtype of the first tensor. All must match."""
    _require_list(values, arg_name, op_type)
    if not values:
        raise ValueError("'%s' Op needs at least one tensor in '%s'; the list is empty.\nFix: pass the tensors "
                         "to join, e.g. [a, b]." % (op_type, arg_name))
    preferred = next((v.dtype.base_dtype for v in values if is_tensor_like(v)), None)
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
    if not values:
        raise ValueError("List argument 'values' to 'ConcatV2' Op with length 0 shorter than minimum length 2.\n"
                         "Fix: give tf.concat the list of tensors to join.")
    if len(values) == 1:      # TF1: one tensor is returned through an Identity
        with name_scope(name, None, values):
            axis = int_input(axis, "concat_dim")
            if axis.shape.ndims not in (None, 0):
                raise ValueError("Shape %s must have rank 0" % axis.shape)
            return array_ops.identity(values[0], name=name)
    with name_scope(name, "concat", values) as scope:
        values = _convert_list(values, "values", "ConcatV2")
        axis = int_input(axis, "axis")
        return make_op("ConcatV2", values + [axis], [values[0].dtype.base_dtype], scope,
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
    axis = constant_int(op.inputs[-1])
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
    sizes = [array_ops.shape(v) for v in values]
    offsets = _concat_offset(axis, sizes)
    return [slicing_ops.slice(grad, begin, size_) for begin, size_ in zip(offsets, sizes)] + [None]


def _concat_offset(axis: Tensor, shapes: "list[Tensor]") -> "list[Tensor]":
    """Where each concatenated input starts: [0, 0], [0, 2], [0, 5] ... (op ``ConcatOffset``)."""
    op = make_op("ConcatOffset", [axis] + shapes, [dtypes.int32] * len(shapes), "ConcatOffset",
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
    return several_outputs(offsets)


NoGradient("ConcatOffset")


def stack(values: Sequence[Any], axis: int = 0, name: str = "stack") -> Tensor:
    """Joins same-shaped tensors along a new dimension: three [2] tensors give [3, 2] (op ``Pack``)."""
    axis = python_int(axis, "axis", "stack")
    if axis == 0:
        try:          # all Python values: a constant; tensors among them: packed (TF1 does the same)
            return convert_to_tensor(values, name=name)
        except (TypeError, ValueError):
            pass
    _require_list(values, "values", "Pack")
    with name_scope(name, "stack", values) as scope:
        values = _convert_list(values, "values", "Pack")
        n = values[0].shape.ndims
        if n is not None and not -n - 1 <= axis < n + 1:
            raise ValueError("axis = %d not in [%d, %d)" % (axis, -n - 1, n + 1))
        return _pack_op(values, axis, scope)


def _pack_op(tensors: "list[Tensor]", axis: int, name: str) -> Tensor:
    return make_op("Pack", tensors, [tensors[0].dtype.base_dtype], name,
                 attrs={"axis": int(axis), "N": len(tensors)}).outputs[0]


def _merge_shapes(shapes: Sequence[TensorShape]) -> TensorShape:
    """The shape compatible with all of ``shapes`` (all inputs of stack, ...), with TF's messages."""
    merged = TensorShape(None)
    for i, s in enumerate(shapes):
        problem = merge_problem(merged, s)
        if problem:
            raise ShapeError("%s\n\tFrom merging shape %d with other shapes." % (problem, i),
                             "Fix: all the tensors must have the same shape.")
        merged = merged.merge_with(s)
    return merged


def _pack_rule(op: Operation) -> TensorShape:
    merged = _merge_shapes([t.shape for t in op.inputs])
    if merged.ndims is None:
        return merged
    dims = merged.as_list()
    dims.insert(normalize_axis(op.attrs["axis"], len(dims) + 1), len(op.inputs))
    return TensorShape(dims)


@primitive("Pack", shape=_pack_rule)
def _pack_kernel(ctx, *values):
    return np.stack([read_value(v) for v in values], axis=ctx.attrs["axis"])


@RegisterGradient("Pack")
def _pack_grad(op, grad):
    """Stacking moved each input into one slice of the output: unstack the gradient."""
    return unstack(grad, num=op.attrs["N"], axis=op.attrs["axis"])


def _autopacking_conversion_function(value: "list | tuple", dtype: Any = None, name: "str | None" = None,
                                     as_ref: bool = False) -> Any:
    """``convert_to_tensor`` of a (nested) list that holds tensors: stack them, with Python
    numbers becoming constants (``tf.reshape(x, [-1, n])`` with a tensor ``n``). A list that holds
    no tensors is left to the next conversion (a constant). The op is named ``packed`` unless a
    name is given."""
    first = None if as_ref else _first_tensor_like(value)
    if first is None:
        return NotImplemented
    inferred = first.dtype.base_dtype
    dtype = inferred if dtype is None else dtypes.as_dtype(dtype).base_dtype
    with graph_of(_flat_tensors(value)).as_default():
        return _autopack_helper(value, dtype, name or "packed", cast_tensors=dtype is not inferred)


# Tried before the conversion to a constant (priority 200), as in TensorFlow.
register_tensor_conversion_function((list, tuple), _autopacking_conversion_function, priority=99)


def _first_tensor_like(value: Any) -> Any:
    for v in value:
        if is_tensor_like(v):
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
        elif is_tensor_like(v):
            out.append(v)
    return out


def _autopack_helper(value: Any, dtype: dtypes.DType, name: str, cast_tensors: bool) -> Any:
    """Packs one nesting level: the scope is ``name`` (nested lists get scopes ``0``, ``1``, ...)."""
    with name_scope(name) as scope:
        elems, must_pack = [], False
        for i, v in enumerate(value):
            if is_tensor_like(v):
                t = convert_to_tensor(v)
                if t.dtype.base_dtype is not dtype:
                    if not cast_tensors:
                        raise TypeError("Cannot convert a list containing a tensor of dtype %s to %s (Tensor "
                                        "is: %r)" % (t.dtype.base_dtype.name, dtype.name, t))
                    t = unary_ops.cast(t, dtype)
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
        tensors = [e if isinstance(e, Tensor) else constant_op.constant(e, dtype=dtype, name=str(i))
                   for i, e in enumerate(elems)]
        return _pack_op(tensors, 0, scope)


def unstack(value: Any, num: "int | None" = None, axis: int = 0, name: str = "unstack") -> "list[Tensor]":
    """Splits a tensor along ``axis`` into a list of tensors with that dimension removed (``Unpack``)."""
    axis = python_int(axis, "axis", "unstack")
    if num is not None:
        num = python_int(num, "num", "unstack")
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
        return make_op("Unpack", [value], [value.dtype.base_dtype] * num, scope,
                     attrs={"num": num, "axis": int(axis)}).outputs


def _unpack_rule(op: Operation) -> "list[TensorShape]":
    x, num = op.inputs[0].shape, op.attrs["num"]
    if x.ndims is None:
        return [TensorShape(None)] * num
    axis = normalize_axis(op.attrs["axis"], x.ndims)
    dims = x.as_list()
    if dims[axis] is not None and dims[axis] != num:
        raise ShapeError("Dimension must be %d but is %d" % (num, dims[axis]))
    return [TensorShape(dims[:axis] + dims[axis + 1:])] * num


@primitive("Unpack", shape=_unpack_rule)
def _unpack_kernel(ctx, x):
    x = np.asarray(read_value(x))
    axis = ctx.attrs["axis"] % x.ndim
    return several_outputs([np.take(x, i, axis=axis) for i in builtins.range(x.shape[axis])])


@RegisterGradient("Unpack")
def _unpack_grad(op, *grads):
    """Unstacking cut the input into slices: stack their gradients back together."""
    return stack(list(grads), axis=op.attrs["axis"])


_MAX_OUTPUTS = 2 ** 24
"""More outputs than this in one op is certainly a mistake (each output is a Python object)."""


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
        if n < 1:
            raise ValueError("Attr 'num_split' of 'Split' Op passed %d less than minimum 1.\nFix: split into at "
                             "least one piece (or give a list of sizes)." % n)
        if n >= _MAX_OUTPUTS:
            raise ValueError("Number of outputs is too big: %d\nFix: tf.split makes one tensor per piece; ask "
                             "for fewer pieces." % n)
        with name_scope(name, "split", [value]) as scope:
            axis = int_input(axis, "split_dim")
            value = convert_to_tensor(value, name="value")
            return make_op("Split", [axis, value], [value.dtype.base_dtype] * n, scope,
                         attrs={"num_split": n}).outputs
    if not size_splits.dtype.is_integer:
        raise TypeError("Value passed to parameter 'size_splits' has DataType %s not in list of allowed values: "
                        "int32, int64\nFix: give the number of pieces or their sizes as ints."
                        % size_splits.dtype.base_dtype.name)
    if num is None:
        num = size_splits.shape[0].value if size_splits.shape.ndims == 1 else None
        if num is None:
            raise ValueError("Cannot infer num from shape %s" % (num_or_size_splits,))
    with name_scope(name, "split", [value]) as scope:
        value = convert_to_tensor(value, name="value")
        axis = int_input(axis, "split_dim")
        return make_op("SplitV", [value, size_splits, axis], [value.dtype.base_dtype] * num, scope,
                     attrs={"num_split": num}).outputs


def _split_rule(op: Operation) -> "list[TensorShape]":
    axis_t, x = op.inputs
    n = op.attrs["num_split"]
    axis = constant_int(axis_t)
    if x.shape.ndims is None:
        return [TensorShape(None)] * n
    dims = x.shape.as_list()
    if axis is None:
        return [TensorShape([None] * len(dims))] * n
    axis = normalize_axis(axis, len(dims))
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
    return several_outputs(np.split(x, n, axis=axis))


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
    axis, sizes = constant_int(axis_t), constant_value(sizes_t)
    if x.shape.ndims is None:
        return [TensorShape(None)] * n
    dims = x.shape.as_list()
    if axis is None:
        return [TensorShape([None] * len(dims))] * n
    axis = normalize_axis(axis, len(dims))
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
    return several_outputs(np.split(x, np.cumsum(sizes)[:-1], axis=axis))


@RegisterGradient("SplitV")
def _split_v_grad(op, *grads):
    """The pieces' gradients are concatenated back in order."""
    return concat(list(grads), op.inputs[2]), None, None

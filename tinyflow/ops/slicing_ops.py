"""Slicing: ``tf.slice``, ``x[...]`` (one ``StridedSlice`` op), ``tf.strided_slice`` and
``tf.pad``.

The gradient of a slice puts the incoming gradient back at the sliced places, zeros elsewhere;
the gradient of a pad slices it out again.

(This module defines ``slice`` as a TensorFlow op; Python's own is ``builtins.slice``.)

TensorFlow's counterparts: ``python/ops/array_ops.py`` (``_slice_helper``),
``python/ops/array_grad.py``, ``core/ops/array_ops.cc``.
"""
from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from .. import dtypes, errors
from ..framework import Operation, Tensor, convert_to_tensor, name_scope
from ..op_def_library import int_input, make_op
from ..op_registry import RegisterGradient, primitive, read_value
from ..tensor_shape import Dimension, ShapeError, TensorShape, merge_problem
from ..tensor_util import constant_value, partial_ints, shape_from_tensor
from . import array_ops, concat_ops, constant_op, creation_ops, gather_ops, unary_ops

__all__ = ["slice", "strided_slice", "pad", "newaxis"]


newaxis = None
"""``x[:, tf.newaxis]`` inserts an axis of size 1 (it is Python's ``None``)."""


# --------------------------------------------------------------------------------------------
# Slicing: tf.slice, x[...], tf.pad
# --------------------------------------------------------------------------------------------
def slice(input_: Any, begin: Any, size: Any, name: "str | None" = None) -> Tensor:  # noqa: A001
    """The block of ``input_`` that starts at index ``begin`` and has shape ``size``
    (a size of -1 means "to the end of that dimension")."""
    with name_scope(name, "Slice", [input_, begin, size]) as scope:
        input_ = convert_to_tensor(input_, name="input")
        begin = int_input(begin, "begin")
        size = int_input(size, "size")
        return make_op("Slice", [input_, begin, size], [input_.dtype.base_dtype], scope).outputs[0]


def _slice_rule(op: Operation) -> TensorShape:
    x = op.inputs[0].shape
    begin, sizes = partial_ints(op.inputs[1]), partial_ints(op.inputs[2])
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
    x, begin = op.inputs[0], unary_ops.cast(op.inputs[1], dtypes.int32)
    after = array_ops.shape(x) - array_ops.shape(op.outputs[0]) - begin
    return pad(grad, concat_ops.stack([begin, after], axis=1)), None, None


_SLICE_TYPE_ERROR = ("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
                     "tf.int32/tf.int64 tensors are valid indices")


def _check_index(idx: Any) -> None:
    if isinstance(idx, (int, np.integer, Dimension)) and not isinstance(idx, bool):
        return
    if (isinstance(idx, Tensor) and idx.dtype.base_dtype in (dtypes.int32, dtypes.int64)
            and idx.shape.ndims in (None, 0)):
        return
    raise TypeError(_SLICE_TYPE_ERROR + ", got %r" % (idx,))


def slice_helper(tensor: Tensor, slice_spec: Any) -> Tensor:
    """``tensor[slice_spec]``: numpy-style basic indexing as one ``StridedSlice`` op.

    Each index becomes a (begin, end, stride) triple plus a bit in one of five masks:
    ``x[1]`` shrinks the axis (shrink_axis_mask), ``x[:2]`` has no begin (begin_mask),
    ``x[..., 0]`` sets ellipsis_mask, ``x[tf.newaxis]`` new_axis_mask. A bool tensor or
    array index selects with :func:`boolean_mask`.
    """
    if (isinstance(slice_spec, bool)
            or (isinstance(slice_spec, Tensor) and slice_spec.dtype.base_dtype is dtypes.bool)
            or (isinstance(slice_spec, np.ndarray) and slice_spec.dtype == bool)):
        return gather_ops.boolean_mask(tensor, slice_spec)
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
            packed = [concat_ops.stack(part) for part in (begin, end, strides)]
            if any(p.dtype.base_dtype is dtypes.int64 for p in packed):
                packed = [unary_ops.cast(p, dtypes.int64) for p in packed]
        else:
            packed = [constant_op.constant([], dtype=dtypes.int32)] * 3
        return strided_slice(tensor, *packed, name=scope, **masks)


def strided_slice(input_: Any, begin: Any, end: Any, strides: Any = None, begin_mask: int = 0,
                  end_mask: int = 0, ellipsis_mask: int = 0, new_axis_mask: int = 0,
                  shrink_axis_mask: int = 0, var: Any = None, name: "str | None" = None) -> Tensor:
    """The general slicing op behind ``x[...]``: ``input_[begin:end:strides]`` per dimension, with
    bit masks that say which entries are absent, ``...``, ``tf.newaxis`` or single indices."""
    with name_scope(name, "StridedSlice", [input_, begin, end, strides]) as scope:
        input_ = convert_to_tensor(input_, name="input")
        begin = int_input(begin, "begin")
        end = int_input(end, "end")
        strides = creation_ops.ones_like(begin) if strides is None else int_input(strides, "strides")
        attrs = dict(begin_mask=int(begin_mask), end_mask=int(end_mask), ellipsis_mask=int(ellipsis_mask),
                     new_axis_mask=int(new_axis_mask), shrink_axis_mask=int(shrink_axis_mask))
        return make_op("StridedSlice", [input_, begin, end, strides], [input_.dtype.base_dtype], scope,
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
    for t in op.inputs[1:]:
        if t.shape.ndims not in (None, 1):
            raise ShapeError("Shape must be rank 1 but is rank %d" % t.shape.ndims,
                             "Fix: begin, end and strides are lists with one entry per sliced dimension.")
    begin = op.inputs[1].shape
    for t in op.inputs[2:]:
        problem = merge_problem(begin, t.shape)
        if problem:
            raise ShapeError(problem, "Fix: begin, end and strides need the same number of entries.")
    spec = [partial_ints(t) for t in op.inputs[1:]]
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
    dx = make_op("StridedSliceGrad", [array_ops.shape(x, out_type=begin.dtype.base_dtype), begin, end, strides, grad],
               [grad.dtype.base_dtype], "StridedSliceGrad", attrs=dict(op.attrs)).outputs[0]
    return dx, None, None, None


@primitive("StridedSliceGrad", shape=lambda op: shape_from_tensor(op.inputs[0]))
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
                paddings = int_input(paddings, "paddings")
                return make_op("Pad", [tensor, paddings], [tensor.dtype.base_dtype], scope).outputs[0]
        with name_scope(name, "PadV2", [tensor, paddings, constant_values]) as scope:
            tensor = convert_to_tensor(tensor, name="input")
            paddings = int_input(paddings, "paddings")
            value = convert_to_tensor(constant_values, dtype=tensor.dtype.base_dtype, name="constant_values")
            return make_op("PadV2", [tensor, paddings, value], [tensor.dtype.base_dtype], scope).outputs[0]
    if mode in ("REFLECT", "SYMMETRIC"):
        with name_scope(name, "MirrorPad", [tensor, paddings]) as scope:
            tensor = convert_to_tensor(tensor, name="input")
            paddings = int_input(paddings, "paddings")
            return make_op("MirrorPad", [tensor, paddings], [tensor.dtype.base_dtype], scope,
                         attrs={"mode": mode}).outputs[0]
    raise ValueError("Unknown padding mode: %s" % mode)


def _pad_rule(op: Operation, sign: int = 1) -> TensorShape:
    pshape = op.inputs[1].shape
    if pshape.ndims not in (None, 2):
        raise ShapeError("Shape must be rank 2 but is rank %d" % pshape.ndims,
                         "Fix: paddings is a list of [before, after] pairs, one per dimension, e.g. [[1, 1], [0, 2]].")
    if pshape.ndims == 2 and pshape[1].value not in (None, 2):
        raise ShapeError("Dimension 1 in both shapes must be equal, but are %d and 2. Shapes are %s and [?,2]."
                         % (pshape[1].value, pshape.debug_string()), "Fix: each padding is a [before, after] pair.")
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
    before = array_ops.reshape(slice(paddings, [0, 0], concat_ops.stack([array_ops.rank(x), 1])), [-1])
    dx = slice(grad, before, array_ops.shape(x))
    return (dx, None) if len(op.inputs) == 2 else (dx, None, None)


RegisterGradient("PadV2")(_pad_grad)


@primitive("MirrorPad", shape=_pad_rule)
def _mirror_pad_kernel(ctx, x, paddings):
    return np.pad(read_value(x), np.asarray(paddings).reshape(-1, 2), mode=ctx.attrs["mode"].lower())


@RegisterGradient("MirrorPad")
def _mirror_pad_grad(op, grad):
    """Every output element is a copy of one input element: add the gradients of the copies
    (op ``MirrorPadGrad``)."""
    dx = make_op("MirrorPadGrad", [grad, op.inputs[1]], [grad.dtype.base_dtype], "MirrorPadGrad",
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

"""Selecting by index or mask: ``tf.gather``, ``tf.unsorted_segment_sum``, ``tf.boolean_mask``,
``tf.one_hot`` and ``tf.where``.

A gathered row's gradient is added back to the row it came from; ``where`` sends the gradient
to ``x`` where the condition held, and to ``y`` elsewhere.

TensorFlow's counterparts: ``python/ops/array_ops.py``, ``python/ops/array_grad.py``,
``python/ops/math_grad.py``, ``core/ops/array_ops.cc``.
"""
from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from .. import dtypes, errors
from ..framework import Operation, Tensor, convert_to_tensor, is_tensor_like, name_scope
from ..op_def_library import convert_pair, int_input, make_op
from ..op_registry import NoGradient, RegisterGradient, primitive, read_value
from ..tensor_shape import ShapeError, TensorShape, merge_problem
from ..tensor_util import constant_int
from . import (array_ops, comparison_ops, concat_ops, constant_op, creation_ops, math_ops, reduction_ops,
               unary_ops)

__all__ = ["gather", "unsorted_segment_sum", "boolean_mask", "one_hot", "where", "sequence_mask", "reverse_sequence"]


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
        kind = _non_integer_kind(indices)
        if kind:
            raise TypeError("Value passed to parameter 'indices' has DataType %s not in list of allowed values: "
                            "int16, int32, int64\nFix: indices are ints, e.g. [0, 2]." % kind)
        indices = int_input(indices, "indices")
        if isinstance(axis, (bool, np.bool_)):
            raise TypeError("Value passed to parameter 'axis' has DataType bool not in list of allowed values: "
                            "int32, int64\nFix: axis is an int, e.g. axis=1.")
        axis = int_input(0 if axis is None else axis, "axis")
        return make_op("GatherV2", [params, indices, axis], [params.dtype.base_dtype], scope).outputs[0]


def _non_integer_kind(indices: Any) -> "str | None":
    """The dtype TensorFlow infers for Python/numpy ``indices`` that are not integers ([] is float32)."""
    if isinstance(indices, (bool, np.bool_)):
        return "bool"
    if isinstance(indices, (list, tuple)) and not indices:
        return "float32"
    if isinstance(indices, np.ndarray) and indices.dtype.kind not in "iu":
        return dtypes.from_numpy(indices).name
    return None


def _gather_rule(op: Operation) -> TensorShape:
    params, indices = op.inputs[0].shape, op.inputs[1].shape
    axis = constant_int(op.inputs[2])
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
    """Indices must be in [0, n): a negative one is an error, not numpy's count from the end."""
    if indices.ndim == 0:
        if not 0 <= indices < n:
            raise errors.InvalidArgumentError(None, op, "%s = %d is not in [0, %d)\nFix: indices count from 0; "
                                              "a negative index does not count from the end here." % (what, indices, n))
        return
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
    axis = constant_int(axis_t)
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
    num = n if n is not None else array_ops.shape(params)[axis]
    if axis == 0:
        return unsorted_segment_sum(grad, indices, num), None, None
    # grad has dims params[:axis] + indices + params[axis+1:]: move the index dims to the front,
    # scatter-add along axis 0, then move that axis back to position `axis`.
    index_dims = list(builtins.range(axis, axis + rank_i))
    before, after = list(builtins.range(axis)), list(builtins.range(axis + rank_i, rank_p - 1 + rank_i))
    summed = unsorted_segment_sum(array_ops.transpose(grad, index_dims + before + after), indices, num)
    back = list(builtins.range(1, axis + 1)) + [0] + list(builtins.range(axis + 1, rank_p))
    return array_ops.transpose(summed, back), None, None


def unsorted_segment_sum(data: Any, segment_ids: Any, num_segments: Any, name: "str | None" = None) -> Tensor:
    """``out[k] = sum of data[i] where segment_ids[i] == k`` (negative ids are dropped)."""
    with name_scope(name, "UnsortedSegmentSum", [data, segment_ids, num_segments]) as scope:
        data = convert_to_tensor(data, name="data")
        segment_ids = int_input(segment_ids, "segment_ids")
        num_segments = int_input(num_segments, "num_segments")
        return make_op("UnsortedSegmentSum", [data, segment_ids, num_segments], [data.dtype.base_dtype],
                     scope).outputs[0]


def _unsorted_segment_sum_rule(op: Operation) -> TensorShape:
    data, ids = op.inputs[0].shape, op.inputs[1].shape
    num = constant_int(op.inputs[2])
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
    data, ids = op.inputs[0], op.inputs[1]
    gathered = gather(grad, math_ops.maximum(ids, 0))
    if data.shape.ndims is None or ids.shape.ndims is None:
        return gathered, None, None
    keep = unary_ops.cast(comparison_ops.greater_equal(ids, 0), grad.dtype.base_dtype)
    ones = [1] * (data.shape.ndims - ids.shape.ndims)
    keep = array_ops.reshape(keep, concat_ops.concat([array_ops.shape(ids), ones], 0))
    return gathered * keep, None, None


def boolean_mask(tensor: Any, mask: Any, name: str = "boolean_mask", axis: Any = None) -> Tensor:
    """The entries of ``tensor`` where ``mask`` is True, flattened over the mask's dimensions:
    a [3, 2] tensor with mask ``[True, False, True]`` gives the [2, 2] rows 0 and 2."""
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
        s = array_ops.shape(tensor)
        leading = reduction_ops.reduce_prod(s[axis:axis + k], [0])
        tensor = array_ops.reshape(tensor, concat_ops.concat([s[:axis], [leading], s[axis + k:]], 0))
        indices = array_ops.squeeze(where(array_ops.reshape(mask, [-1])), axis=[1])
        return gather(tensor, indices, axis=axis)


def one_hot(indices: Any, depth: Any, on_value: Any = None, off_value: Any = None, axis: Any = None,
            dtype: Any = None, name: "str | None" = None) -> Tensor:
    """A new axis of size ``depth`` (last by default) that is ``on_value`` (1) at each index and
    ``off_value`` (0) elsewhere. Indices outside [0, depth), e.g. -1, give rows of all off_value.

    The dtype is ``dtype``, else that of on_value/off_value, else float32.
    """

    def dtype_of(v):
        return v.dtype.base_dtype if is_tensor_like(v) else dtypes.from_numpy(constant_op.convert_value(v))

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
        indices = int_input(indices, "indices")
        depth = convert_to_tensor(depth, dtype=dtypes.int32, name="depth")
        return make_op("OneHot", [indices, depth, on_value, off_value], [dtype.base_dtype], scope,
                     attrs={"axis": -1 if axis is None else int(axis)}).outputs[0]


def _one_hot_rule(op: Operation) -> TensorShape:
    indices, depth, axis = op.inputs[0].shape, constant_int(op.inputs[1]), op.attrs["axis"]
    if depth is not None and depth < 0:
        raise ShapeError("Dimension size, given by scalar input 1, must be non-negative but is %d" % depth,
                         "Fix: depth is the number of classes, e.g. tf.one_hot(labels, 10).")
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
    for what, v in (("on_value", on_value), ("off_value", off_value)):
        if np.ndim(v):
            raise errors.InvalidArgumentError(None, ctx.op, "%s must be a scalar, but got: %s\nFix: one value for "
                                              "every hot (or cold) entry." % (what, list(np.shape(v))))
    if int(depth) < 0:
        raise errors.InvalidArgumentError(None, ctx.op, "depth must be non-negative, got: %d\nFix: depth "
                                          "is the number of classes." % int(depth))
    indices = np.asarray(indices)
    hot = indices[..., np.newaxis] == np.arange(int(depth))       # the new axis is last
    axis = ctx.attrs["axis"]
    if axis != -1:
        hot = np.moveaxis(hot, -1, axis)
    return np.where(hot, on_value, off_value).astype(np.asarray(on_value).dtype)


NoGradient("OneHot")


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
            return make_op("Where", [condition], [dtypes.int64], scope,
                         shapes=[TensorShape([None, n])]).outputs[0]
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    with name_scope(name, "Select", [condition, x, y]) as scope:
        condition = convert_to_tensor(condition, dtype=dtypes.bool, name="condition")
        x, y = convert_pair(x, y, "Select")
        return make_op("Select", [condition, x, y], [x.dtype.base_dtype], scope).outputs[0]


def _select_rule(op: Operation) -> TensorShape:
    c, x, y = (t.shape for t in op.inputs)
    problem = merge_problem(x, y)
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
    problem = merge_problem(c, out)
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
    zeros = creation_ops.zeros_like(grad)
    return None, where(c, grad, zeros), where(c, zeros, grad)


primitive("Where")(lambda ctx, c: np.argwhere(np.asarray(c)).astype(np.int64))
NoGradient("Where")


def sequence_mask(lengths: Any, maxlen: Any = None, dtype: Any = dtypes.bool, name: "str | None" = None) -> Tensor:
    """``mask[i, j] = j < lengths[i]``: which steps of each sequence are real, e.g.
    ``sequence_mask([1, 3], 4)`` is ``[[T, F, F, F], [T, T, T, F]]`` (maxlen: the longest by default)."""
    with name_scope(name, "SequenceMask", [lengths, maxlen]):
        lengths = convert_to_tensor(lengths)
        if not lengths.dtype.is_integer:
            raise TypeError("sequence_mask's lengths must be integers, got %s.\nFix: e.g. tf.cast(lengths, tf.int32)."
                            % lengths.dtype.name)
        if maxlen is None:
            maxlen = math_ops.maximum(constant_op.constant(0, lengths.dtype.base_dtype),
                                      reduction_ops.reduce_max(lengths))
        else:
            maxlen = convert_to_tensor(maxlen)
        if maxlen.shape.ndims not in (None, 0):
            raise ValueError("maxlen must be scalar for sequence_mask\nFix: one length for every row, e.g. 10.")
        row = creation_ops.range(constant_op.constant(0, maxlen.dtype.base_dtype), maxlen,
                                 constant_op.constant(1, maxlen.dtype.base_dtype))
        matrix = unary_ops.cast(array_ops.expand_dims(lengths, -1), maxlen.dtype.base_dtype)
        result = comparison_ops.less(row, matrix)
        dtype = dtypes.as_dtype(dtype)
        return result if dtype.base_dtype is dtypes.bool else unary_ops.cast(result, dtype)


# --------------------------------------------------------------------------------------------
# reverse_sequence: each row reversed up to its own length
# --------------------------------------------------------------------------------------------
def reverse_sequence(input: Any, seq_lengths: Any, seq_axis: Any = None, batch_axis: Any = None,  # noqa: A002
                     name: "str | None" = None, seq_dim: Any = None, batch_dim: Any = None) -> Tensor:
    """Reverses the first ``seq_lengths[b]`` steps of each example ``b``; the steps after stay:
    ``out[b, t] = x[b, L_b - 1 - t]`` for ``t < L_b``, else ``x[b, t]`` (``seq_axis`` is time)."""
    seq_axis = seq_axis if seq_axis is not None else seq_dim
    batch_axis = batch_axis if batch_axis is not None else (batch_dim if batch_dim is not None else 0)
    if seq_axis is None:
        raise TypeError("reverse_sequence() missing required argument: 'seq_axis'\nFix: say which axis is "
                        "time, e.g. seq_axis=1 for [batch, time, ...] inputs.")
    with name_scope(name, "ReverseSequence", [input, seq_lengths]) as scope:
        input = convert_to_tensor(input, name="input")
        seq_lengths = convert_to_tensor(seq_lengths, name="seq_lengths")
        if not seq_lengths.dtype.is_integer:
            raise TypeError("Value passed to parameter 'seq_lengths' has DataType %s not in list of allowed "
                            "values: int32, int64\nFix: lengths are integers, e.g. tf.cast(lengths, tf.int32)."
                            % seq_lengths.dtype.name)
        return make_op("ReverseSequence", [input, seq_lengths], [input.dtype.base_dtype], scope,
                       attrs={"seq_dim": int(seq_axis), "batch_dim": int(batch_axis), "T": input.dtype.base_dtype,
                              "Tlen": seq_lengths.dtype.base_dtype}).outputs[0]


def _reverse_sequence_rule(op: Operation) -> TensorShape:
    shape, lengths = op.inputs[0].shape, op.inputs[1].shape
    if shape.ndims is not None:
        seq, batch = op.get_attr("seq_dim"), op.get_attr("batch_dim")
        for axis, what in ((seq, "seq_dim"), (batch, "batch_dim")):
            if not 0 <= axis < shape.ndims:
                raise ShapeError("%s must be < input rank ( %d vs. %d)" % (what, axis, shape.ndims))
        if seq == batch:
            raise ShapeError("seq_dim and batch_dim must not be equal (both %d)" % seq)
        if lengths.ndims not in (None, 1):
            raise ShapeError("Shape must be rank 1 but is rank %d" % lengths.ndims)
        if lengths.ndims == 1 and lengths[0].value is not None and shape[batch].value not in (None, lengths[0].value):
            raise ShapeError("Dimensions must be equal, but are %d and %d (seq_lengths has one length per example)"
                             % (shape[batch].value, lengths[0].value))
    return shape


@primitive("ReverseSequence", shape=_reverse_sequence_rule)
def _reverse_sequence_kernel(ctx, x, lengths):
    x, lengths = np.asarray(x), np.asarray(lengths).astype(np.int64)
    seq, batch = ctx.attrs["seq_dim"], ctx.attrs["batch_dim"]
    if lengths.shape != (x.shape[batch],):
        raise errors.InvalidArgumentError(None, ctx.op, "Length of seq_lengths != input.dims(%d), (%d vs. %d)"
                                          % (batch, lengths.size, x.shape[batch]))
    if lengths.size and (lengths.min() < 0 or lengths.max() > x.shape[seq]):
        raise errors.InvalidArgumentError(None, ctx.op, "seq_lengths must be in [0, %d], got %s\nFix: a sequence "
                                          "cannot be longer than the time axis." % (x.shape[seq], lengths.tolist()))
    t = np.arange(x.shape[seq])
    source = np.where(t[None, :] < lengths[:, None], lengths[:, None] - 1 - t[None, :], t[None, :])  # [batch, time]
    if batch > seq:
        source = source.T
    index_shape = [1] * x.ndim
    index_shape[min(seq, batch)], index_shape[max(seq, batch)] = source.shape
    index = np.broadcast_to(source.reshape(index_shape), x.shape)
    return np.take_along_axis(x, index, axis=seq)


@RegisterGradient("ReverseSequence")
def _reverse_sequence_grad(op, grad):
    """Reversing is its own inverse: the gradient is ``grad`` reversed the same way."""
    return [reverse_sequence(grad, op.inputs[1], seq_axis=op.get_attr("seq_dim"),
                             batch_axis=op.get_attr("batch_dim")), None]

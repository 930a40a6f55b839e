"""Reductions over segments of rows: ``tf.segment_sum``, ``segment_mean``, ``segment_max``,
``segment_min`` (sorted ids), ``tf.unsorted_segment_max``, ``unsorted_segment_min`` and
``unsorted_segment_mean`` (ids in any order, with a count); ``tf.unsorted_segment_sum`` is in
``gather_ops`` (it is gather's gradient).

A segment sum sends each segment's gradient back to all its rows, a mean shares it among them,
and a max (min) sends it to the rows that won, shared equally between ties.

TensorFlow's counterparts: ``python/ops/math_ops.py``, ``python/ops/math_grad.py``,
``core/kernels/segment_reduction_ops.cc``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import dtypes, errors
from ..framework import Operation, Tensor, convert_to_tensor, name_scope
from ..op_def_library import int_input, make_op
from ..op_registry import RegisterGradient, primitive, read_value
from ..tensor_shape import ShapeError, TensorShape
from ..tensor_util import constant_int
from . import (array_ops, comparison_ops, concat_ops, constant_op, creation_ops, gather_ops, index_ops, math_ops,
               unary_ops)

__all__ = ["segment_sum", "segment_mean", "segment_max", "segment_min", "unsorted_segment_max",
           "unsorted_segment_min", "unsorted_segment_mean"]


# --------------------------------------------------------------------------------------------
# Segment reductions: sorted ids (SegmentSum, ...) and unsorted ids with a count (UnsortedSegmentMax, ...)
# --------------------------------------------------------------------------------------------
def _segment(op_type: str, data: Any, segment_ids: Any, name: "str | None", num_segments: Any = None) -> Tensor:
    with name_scope(name, op_type, [data, segment_ids, num_segments]) as scope:
        data = convert_to_tensor(data, name="data")
        segment_ids = index_ops.index_input(segment_ids, "segment_ids", op_type)
        inputs = [data, segment_ids]
        if num_segments is not None:
            inputs.append(int_input(num_segments, "num_segments"))
        return make_op(op_type, inputs, [data.dtype.base_dtype], scope).outputs[0]


def segment_sum(data: Any, segment_ids: Any, name: "str | None" = None) -> Tensor:
    """``out[k] = sum of data[i] with segment_ids[i] == k``; the ids are sorted (0, 0, 1, 3, ...),
    one per row of data, and there are ``segment_ids[-1] + 1`` output rows (missing ids give 0)."""
    return _segment("SegmentSum", data, segment_ids, name)


def segment_mean(data: Any, segment_ids: Any, name: "str | None" = None) -> Tensor:
    """``out[k] = mean of data[i] with segment_ids[i] == k`` (sorted ids; an empty segment is 0)."""
    return _segment("SegmentMean", data, segment_ids, name)


def segment_max(data: Any, segment_ids: Any, name: "str | None" = None) -> Tensor:
    """``out[k] = max of data[i] with segment_ids[i] == k`` (sorted ids; an empty segment is 0)."""
    return _segment("SegmentMax", data, segment_ids, name)


def segment_min(data: Any, segment_ids: Any, name: "str | None" = None) -> Tensor:
    """``out[k] = min of data[i] with segment_ids[i] == k`` (sorted ids; an empty segment is 0)."""
    return _segment("SegmentMin", data, segment_ids, name)


def unsorted_segment_max(data: Any, segment_ids: Any, num_segments: Any, name: "str | None" = None) -> Tensor:
    """``out[k] = max of data[i] with segment_ids[i] == k``, for k < num_segments, ids in any order
    (negative ids are dropped; an empty segment is the dtype's lowest value)."""
    return _segment("UnsortedSegmentMax", data, segment_ids, name, num_segments)


def unsorted_segment_min(data: Any, segment_ids: Any, num_segments: Any, name: "str | None" = None) -> Tensor:
    """``out[k] = min of data[i] with segment_ids[i] == k`` (an empty segment is the dtype's highest value)."""
    return _segment("UnsortedSegmentMin", data, segment_ids, name, num_segments)


def unsorted_segment_mean(data: Any, segment_ids: Any, num_segments: Any, name: "str | None" = None) -> Tensor:
    """``out[k] = mean of data[i] with segment_ids[i] == k``: composed as TensorFlow does, the
    sum over the count ``max(n_k, 1)`` (so an empty segment is 0)."""
    with name_scope(name, "UnsortedSegmentMean", [data, segment_ids, num_segments]):
        data = convert_to_tensor(data)
        segment_ids = index_ops.index_input(segment_ids, "segment_ids", "unsorted_segment_mean")
        num_segments = int_input(num_segments, "num_segments")
        ones = creation_ops.ones(array_ops.shape(segment_ids), dtype=data.dtype.base_dtype)
        n = gather_ops.unsorted_segment_sum(ones, segment_ids, num_segments)
        extra = creation_ops.ones([array_ops.rank(data) - array_ops.rank(segment_ids)], dtype=num_segments.dtype)
        n = array_ops.reshape(n, concat_ops.concat([array_ops.reshape(num_segments, [1]), extra], 0))
        n = math_ops.maximum(n, constant_op.constant(1, dtype=data.dtype.base_dtype))
        return math_ops.truediv(gather_ops.unsorted_segment_sum(data, segment_ids, num_segments), n)


def _segment_rule(op: Operation) -> TensorShape:
    data, ids = op.inputs[0].shape, op.inputs[1].shape
    if ids.ndims not in (None, 1):
        raise ShapeError("Shape must be rank 1 but is rank %d" % ids.ndims,
                         "Fix: segment_ids holds one id per row of data.")
    if data.ndims is None:
        return TensorShape(None)
    if data.ndims == 0:
        raise ShapeError("Shape must be at least rank 1 but is rank 0", "Fix: the segments group rows of data.")
    if ids.ndims == 1 and not ids[0].is_compatible_with(data[0]):
        raise ShapeError("Dimensions must be equal, but are %s and %s" % (ids[0], data[0]),
                         "Fix: segment_ids holds one id per row of data.")
    return TensorShape([None]).concatenate(data[1:])


def _unsorted_rule(op: Operation) -> TensorShape:
    data, ids = op.inputs[0].shape, op.inputs[1].shape
    if data.ndims is None or ids.ndims is None:
        return TensorShape(None)
    if not ids.is_compatible_with(data[:ids.ndims]):
        raise ShapeError("segment_ids.shape = %s does not start data.shape = %s"
                         % (ids.debug_string(), data.debug_string()), "Fix: one id per row (or entry) of data.")
    return TensorShape([constant_int(op.inputs[2])]).concatenate(data[ids.ndims:])


def _reduce(kind: str, data: np.ndarray, ids: np.ndarray, num: int, empty_zero: bool) -> np.ndarray:
    """``out[k]`` = the reduction of the rows ``data[i]`` with ``ids[i] == k`` (ids >= 0 only), all at once."""
    shape = (num,) + data.shape[ids.ndim:]
    keep = ids >= 0
    ids, rows = ids[keep], data[keep]
    if kind in ("Sum", "Mean"):
        out = np.zeros(shape, dtype=data.dtype)
        np.add.at(out, ids, rows)
        if kind == "Mean":
            counts = np.maximum(np.bincount(ids, minlength=num), 1).reshape((num,) + (1,) * (rows.ndim - 1))
            out = (out / counts).astype(data.dtype)
        return out
    info = np.finfo(data.dtype) if data.dtype.kind == "f" else np.iinfo(data.dtype)
    out = np.full(shape, info.min if kind == "Max" else info.max, dtype=data.dtype)
    (np.maximum if kind == "Max" else np.minimum).at(out, ids, rows)
    if empty_zero:
        out[np.bincount(ids, minlength=num) == 0] = 0
    return out


def _segment_kernel(kind: str):
    def kernel(ctx, data, ids):
        data, ids = np.asarray(read_value(data)), np.asarray(ids).astype(np.int64)
        if data.ndim == 0 or ids.shape != data.shape[:1]:
            raise errors.InvalidArgumentError(
                None, ctx.op, "segment_ids should be the same size as dimension 0 of input, got %s and %s\nFix: one "
                "id per row of data." % (list(ids.shape), list(data.shape)))
        num = int(ids[-1]) + 1 if ids.size else 0
        if ids.size and ids.min() < 0:
            raise errors.InvalidArgumentError(
                None, ctx.op, "Segment id %d out of range [0, %d), possibly because 'segment_ids' input is not "
                "sorted.\nFix: segment_%s numbers segments from 0; tf.unsorted_segment_sum drops negative ids."
                % (ids.min(), num, kind.lower()))
        down = np.flatnonzero(np.diff(ids) < 0)
        if down.size:
            raise errors.InvalidArgumentError(
                None, ctx.op, "segment ids are not increasing\nFix: segment_ids[%d] = %d comes after %d; sort the "
                "ids, or use tf.unsorted_segment_%s, which takes them in any order." % (
                    down[0] + 1, ids[down[0] + 1], ids[down[0]], "sum" if kind in ("Sum", "Mean") else kind.lower()))
        return _reduce(kind, data, ids, num, empty_zero=True)
    return kernel


def _unsorted_kernel(kind: str):
    def kernel(ctx, data, ids, num):
        data, ids, num = np.asarray(read_value(data)), np.asarray(ids).astype(np.int64), int(num)
        if data.shape[:ids.ndim] != ids.shape:
            raise errors.InvalidArgumentError(None, ctx.op, "data.shape = %s does not start with segment_ids.shape "
                                              "= %s" % (list(data.shape), list(ids.shape)))
        high = np.flatnonzero(ids.reshape(-1) >= num)
        if high.size:
            raise errors.InvalidArgumentError(None, ctx.op, "segment_ids[%d] = %d is out of range [0, %d)\nFix: ids "
                                              "count segments from 0 (negative ids are dropped)."
                                              % (high[0], ids.reshape(-1)[high[0]], num))
        return _reduce(kind, data, ids, num, empty_zero=False)
    return kernel


for _kind in ("Sum", "Mean", "Max", "Min"):
    primitive("Segment" + _kind, shape=_segment_rule)(_segment_kernel(_kind))
for _kind in ("Max", "Min"):
    primitive("UnsortedSegment" + _kind, shape=_unsorted_rule)(_unsorted_kernel(_kind))


@RegisterGradient("SegmentSum")
def _segment_sum_grad(op, grad):
    """Every row of segment k was added into out[k]: it gets grad[k] back (a gather)."""
    return gather_ops.gather(grad, op.inputs[1]), None


@RegisterGradient("SegmentMean")
def _segment_mean_grad(op, grad):
    """out[k] = sum / n_k: each row of segment k gets ``grad[k] / n_k``."""
    data, ids = op.inputs
    ones_shape = concat_ops.concat([array_ops.shape(ids), creation_ops.ones(
        array_ops.expand_dims(array_ops.rank(data) - 1, 0), dtype=dtypes.int32)], 0)
    ones = creation_ops.ones(ones_shape, dtype=grad.dtype.base_dtype)
    scaled = math_ops.divide(grad, segment_sum(ones, ids))
    return gather_ops.gather(scaled, ids), None


def _min_or_max_grad(op, grad, ids, gathered_out, keep=None):
    """The rows equal to their segment's max (min) share its gradient equally: TF's rule."""
    data = op.inputs[0]
    selected = comparison_ops.equal(data, gathered_out)
    if keep is not None:
        selected = comparison_ops.logical_and(selected, keep)
    weights = unary_ops.cast(selected, grad.dtype.base_dtype)
    if keep is None:
        num_selected = segment_sum(weights, ids)
    else:
        num_selected = gather_ops.unsorted_segment_sum(weights, ids, op.inputs[2])
    spread = gather_ops.gather(math_ops.divide(grad, num_selected), math_ops.maximum(ids, 0))
    return gather_ops.where(selected, spread, creation_ops.zeros_like(spread))


@RegisterGradient("SegmentMax")
@RegisterGradient("SegmentMin")
def _segment_min_or_max_grad(op, grad):
    """d out[k] / d data[i] = 1 / (number of rows of segment k equal to out[k]) where data[i] == out[k], else 0."""
    ids = op.inputs[1]
    return _min_or_max_grad(op, grad, ids, gather_ops.gather(op.outputs[0], ids)), None


@RegisterGradient("UnsortedSegmentMax")
@RegisterGradient("UnsortedSegmentMin")
def _unsorted_segment_min_or_max_grad(op, grad):
    """As for the sorted segments; rows with a negative id (dropped) get 0."""
    data, ids = op.inputs[0], op.inputs[1]
    gathered = gather_ops.gather(op.outputs[0], math_ops.maximum(ids, 0))
    ones = array_ops.reshape(creation_ops.ones([array_ops.rank(data) - array_ops.rank(ids)], dtypes.int32), [-1])
    positive = array_ops.reshape(comparison_ops.greater_equal(ids, 0),
                                 concat_ops.concat([array_ops.shape(ids), ones], 0))
    keep = comparison_ops.logical_and(positive, creation_ops.ones_like(gathered, dtype=dtypes.bool))
    return _min_or_max_grad(op, grad, ids, gathered, keep), None, None

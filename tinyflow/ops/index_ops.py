"""Indexing by coordinates: ``tf.gather_nd``, ``tf.scatter_nd``, ``tf.roll``, ``tf.meshgrid``
and ``tf.unique`` (the segment reductions are the next family, ``segment_ops``).

``gather_nd`` and ``scatter_nd`` are each other's gradient: a gathered element's gradient is
scattered back to where it came from, a scattered update's gradient is gathered from where it
went. ``roll``'s gradient rolls back; ``unique`` has none.

TensorFlow's counterparts: ``python/ops/array_ops.py``, ``python/ops/array_grad.py``,
``python/ops/manip_grad.py``, ``core/ops/array_ops.cc``.
"""
from __future__ import annotations

import collections
from typing import Any

import numpy as np

from .. import dtypes, errors
from ..framework import Operation, Tensor, convert_to_tensor, name_scope
from ..op_def_library import int_input, make_op
from ..op_registry import NoGradient, RegisterGradient, primitive, read_value
from ..tensor_shape import ShapeError, TensorShape
from ..tensor_util import constant_value
from . import array_ops, creation_ops, unary_ops

__all__ = ["gather_nd", "scatter_nd", "roll", "meshgrid", "unique", "unique_with_counts"]


def index_input(value: Any, name: str, op_type: str) -> Tensor:
    """An int32/int64 index input (Python values become int32); other dtypes are TF's TypeError."""
    t = int_input(value, name) if not isinstance(value, Tensor) else value
    if t.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError("Value passed to parameter '%s' has DataType %s not in list of allowed values: int32, int64"
                        "\nFix: %s's %s are ints, e.g. tf.cast(%s, tf.int32)." % (name, t.dtype.base_dtype.name,
                                                                                 op_type, name, name))
    return t


def _bad_index(op: Operation, coords: np.ndarray, shape: tuple, what: str) -> None:
    """Each row of ``coords`` [n, depth] must lie inside the first ``depth`` dims of ``shape``: TF's message
    names the first row that does not."""
    limits = np.asarray(shape[:coords.shape[1]], dtype=np.int64)
    bad = np.flatnonzero(((coords < 0) | (coords >= limits)).any(axis=1))
    if bad.size:
        raise errors.InvalidArgumentError(
            None, op, "indices[%d] = [%s] does not index into %s [%s]\nFix: each index row counts from 0 in every "
            "dimension; a negative index does not count from the end here." % (
                bad[0], ", ".join(str(int(c)) for c in coords[bad[0]]), what, ",".join(str(n) for n in shape)))


# --------------------------------------------------------------------------------------------
# gather_nd, scatter_nd
# --------------------------------------------------------------------------------------------
def gather_nd(params: Any, indices: Any, name: "str | None" = None, batch_dims: int = 0) -> Tensor:
    """``out[i...] = params[indices[i..., :]]``: the last axis of ``indices`` holds coordinates
    into the first ``d = indices.shape[-1]`` dimensions of params, so the output shape is
    ``indices.shape[:-1] + params.shape[d:]`` (``gather_nd(p, [[1, 0]])`` is ``[p[1, 0]]``)."""
    if batch_dims:
        raise NotImplementedError("tinyflow's gather_nd does not support batch_dims.")
    with name_scope(name, "GatherNd", [params, indices]) as scope:
        params = convert_to_tensor(params, name="params")
        indices = index_input(indices, "indices", "gather_nd")
        return make_op("GatherNd", [params, indices], [params.dtype.base_dtype], scope,
                       attrs={"Tparams": params.dtype.base_dtype, "Tindices": indices.dtype.base_dtype}).outputs[0]


def _gather_nd_rule(op: Operation) -> TensorShape:
    params, indices = op.inputs[0].shape, op.inputs[1].shape
    if indices.ndims == 0:
        raise ShapeError("Shape must be at least rank 1 but is rank 0",
                         "Fix: gather_nd's indices end in an axis of coordinates, e.g. [[1, 0]].")
    if indices.ndims is None or indices[-1].value is None:
        return TensorShape(None)
    depth = indices[-1].value
    if params.ndims is not None and depth > params.ndims:
        raise ShapeError("indices.shape[-1] must be <= params.rank, but saw indices shape: %s and params shape: %s"
                         % (indices.debug_string(), params.debug_string()),
                         "Fix: each index row has one coordinate per leading dimension of params (at most %d)."
                         % params.ndims)
    rest = params[depth:] if params.ndims is not None else TensorShape(None)
    return indices[:-1].concatenate(rest)


@primitive("GatherNd", shape=_gather_nd_rule)
def _gather_nd_kernel(ctx, params, indices):
    params, indices = np.asarray(read_value(params)), np.asarray(indices).astype(np.int64)
    depth = indices.shape[-1] if indices.ndim else 0
    if indices.ndim < 1 or depth > params.ndim:
        raise errors.InvalidArgumentError(
            None, ctx.op, "index innermost dimension length must be <= params rank; saw: %d vs. %d\nFix: each index "
            "row has one coordinate per leading dimension of params." % (depth, params.ndim))
    coords = indices.reshape(int(np.prod(indices.shape[:-1])), depth)
    _bad_index(ctx.op, coords, params.shape, "param shape")
    picked = params[tuple(coords.T)] if depth else np.broadcast_to(params, (len(coords),) + params.shape)
    return picked.reshape(indices.shape[:-1] + params.shape[depth:])


@RegisterGradient("GatherNd")
def _gather_nd_grad(op, grad):
    """Each picked element's gradient is added back at its coordinates: ``scatter_nd(indices, grad,
    shape(params))`` (TensorFlow's own rule; dense here, as tinyflow has no IndexedSlices)."""
    params, indices = op.inputs
    return scatter_nd(indices, grad, array_ops.shape(params, out_type=indices.dtype.base_dtype)), None


def scatter_nd(indices: Any, updates: Any, shape: Any, name: "str | None" = None) -> Tensor:
    """A new tensor of ``shape``, zero but for ``updates`` added at ``indices`` (repeated
    coordinates add up): ``out[indices[i...]] += updates[i...]``. ``updates`` has the shape
    ``indices.shape[:-1] + shape[indices.shape[-1]:]``."""
    with name_scope(name, "ScatterNd", [indices, updates, shape]) as scope:
        indices = index_input(indices, "indices", "scatter_nd")
        updates = convert_to_tensor(updates, name="updates")
        shape = convert_to_tensor(shape, dtype=indices.dtype.base_dtype, name="shape")
        return make_op("ScatterNd", [indices, updates, shape], [updates.dtype.base_dtype], scope,
                       attrs={"T": updates.dtype.base_dtype, "Tindices": indices.dtype.base_dtype}).outputs[0]


def _scatter_nd_rule(op: Operation) -> TensorShape:
    indices, updates = op.inputs[0].shape, op.inputs[1].shape
    value = constant_value(op.inputs[2])
    if value is not None and (np.ndim(value) != 1 or (np.asarray(value) < 0).any()):
        raise ShapeError("shape must be a vector of non-negative sizes, got %s" % np.asarray(value).tolist(),
                         "Fix: the shape of the output, e.g. [4, 2].")
    out = TensorShape([int(n) for n in value]) if value is not None else TensorShape(None)
    if indices.ndims is not None and indices.ndims and indices[-1].value is not None and out.ndims is not None:
        depth = indices[-1].value
        if depth > out.ndims:
            raise ShapeError("Index innermost dimension length must be <= output rank; saw: %d vs. %d"
                             % (depth, out.ndims), "Fix: one coordinate per leading dimension of shape.")
        expect = indices[:-1].concatenate(out[depth:])
        if updates.ndims is not None and not updates.is_compatible_with(expect):
            raise ShapeError("Dimensions of updates %s must match indices.shape[:-1] + shape[%d:] = %s"
                             % (updates.debug_string(), depth, expect.debug_string()),
                             "Fix: one update slice per index row.")
    return out


@primitive("ScatterNd", shape=_scatter_nd_rule)
def _scatter_nd_kernel(ctx, indices, updates, shape):
    indices, updates, shape = np.asarray(indices).astype(np.int64), np.asarray(updates), np.asarray(shape)
    if indices.ndim < 1 or shape.ndim != 1 or (shape < 0).any() or indices.shape[-1] > len(shape):
        raise errors.InvalidArgumentError(
            None, ctx.op, "Index innermost dimension length must be <= output rank, and shape a vector of sizes; "
            "got indices of shape %s, shape %s\nFix: one coordinate per leading dimension of shape."
            % (list(indices.shape), shape.tolist()))
    shape, depth = tuple(int(n) for n in shape), indices.shape[-1]
    if updates.shape != indices.shape[:-1] + shape[depth:]:
        raise errors.InvalidArgumentError(
            None, ctx.op, "updates.shape %s != indices.shape[:-1] + shape[%d:] = %s\nFix: one update slice per "
            "index row." % (list(updates.shape), depth, list(indices.shape[:-1] + shape[depth:])))
    coords = indices.reshape(int(np.prod(indices.shape[:-1])), depth)
    _bad_index(ctx.op, coords, shape, "shape")
    out = np.zeros(shape, dtype=updates.dtype)
    np.add.at(out, tuple(coords.T), updates.reshape((len(coords),) + shape[depth:]))
    return out


@RegisterGradient("ScatterNd")
def _scatter_nd_grad(op, grad):
    """An update went to ``out[indices[i]]``: its gradient is ``gather_nd(grad, indices)``."""
    return None, gather_nd(grad, op.inputs[0]), None


# --------------------------------------------------------------------------------------------
# roll, meshgrid
# --------------------------------------------------------------------------------------------
def roll(input: Any, shift: Any, axis: Any, name: "str | None" = None) -> Tensor:  # noqa: A002
    """Shifts entries along ``axis`` by ``shift`` places, wrapping around: ``roll([1, 2, 3, 4, 5], 2, 0)``
    is ``[4, 5, 1, 2, 3]``. ``shift`` and ``axis`` may be lists (one shift per axis; repeats add up)."""
    with name_scope(name, "Roll", [input, shift, axis]) as scope:
        input = convert_to_tensor(input, name="input")  # noqa: A001
        shift = index_input(shift, "shift", "roll")
        axis = index_input(axis, "axis", "roll")
        return make_op("Roll", [input, shift, axis], [input.dtype.base_dtype], scope).outputs[0]


def _roll_rule(op: Operation) -> TensorShape:
    shift, axis = op.inputs[1].shape, op.inputs[2].shape
    if shift.ndims not in (None, 0, 1) or axis.ndims not in (None, 0, 1):
        raise ShapeError("shift and axis must be scalars or vectors", "Fix: e.g. shift=[1, -1], axis=[0, 1].")
    if shift.is_fully_defined() and axis.is_fully_defined() and shift.as_list() != axis.as_list():
        raise ShapeError("shift and axis must have the same size", "Fix: one shift per axis.")
    return op.inputs[0].shape


@primitive("Roll", shape=_roll_rule)
def _roll_kernel(ctx, x, shift, axis):
    x, shift, axis = np.asarray(x), np.asarray(shift), np.asarray(axis)
    if shift.shape != axis.shape:
        raise errors.InvalidArgumentError(None, ctx.op, "shift and axis must have the same size\nFix: one shift "
                                          "per axis.")
    bad = (axis < -x.ndim) | (axis >= x.ndim)
    if bad.any():
        raise errors.InvalidArgumentError(None, ctx.op, "axis %d is out of range [-%d, %d)\nFix: roll along an axis "
                                          "of the input." % (np.ravel(axis)[np.ravel(bad)][0], x.ndim, x.ndim))
    return np.roll(x, tuple(np.ravel(shift)), tuple(np.ravel(axis)))


@RegisterGradient("Roll")
def _roll_grad(op, grad):
    """Rolling is a permutation: its gradient rolls the other way, ``roll(grad, -shift, axis)``."""
    return roll(grad, unary_ops.negative(op.inputs[1]), op.inputs[2]), None, None


def meshgrid(*args: Any, **kwargs: Any) -> "list[Tensor]":
    """N coordinate grids from N vectors: with ``indexing='xy'`` (the default, Cartesian) the first
    two dimensions are swapped, so ``meshgrid(x, y)`` gives grids of shape [len(y), len(x)];
    ``indexing='ij'`` (matrix) gives [len(x), len(y)]. Composed as TensorFlow does: each vector
    reshaped to its own axis, then multiplied by ones of the full shape."""
    indexing = kwargs.pop("indexing", "xy")
    name = kwargs.pop("name", "meshgrid")
    if kwargs:
        raise TypeError("'%s' is an invalid keyword argument for this function" % next(iter(kwargs)))
    if not isinstance(indexing, str) or indexing not in ("xy", "ij"):
        raise ValueError("indexing parameter must be either 'xy' or 'ij'\nFix: 'xy' for x-y grids (as "
                         "np.meshgrid), 'ij' for matrix indexing.")
    with name_scope(name, "meshgrid", list(args)):
        ndim = len(args)
        ones_ = (1,) * ndim
        args = [convert_to_tensor(x, name="stack") for x in args]
        output = [array_ops.reshape(x, ones_[:i] + (-1,) + ones_[i + 1:]) for i, x in enumerate(args)]
        shapes = [array_ops.size(x) for x in args]
        if indexing == "xy" and ndim > 1:
            output[0] = array_ops.reshape(output[0], (1, -1) + (1,) * (ndim - 2))
            output[1] = array_ops.reshape(output[1], (-1, 1) + (1,) * (ndim - 2))
            shapes[0], shapes[1] = shapes[1], shapes[0]
        dtype = args[0].dtype.base_dtype if args else dtypes.float32
        factor = creation_ops.ones(shapes, dtype)
        return [x * factor for x in output]


# --------------------------------------------------------------------------------------------
# unique, unique_with_counts
# --------------------------------------------------------------------------------------------
_Unique = collections.namedtuple("Unique", "y idx")
_UniqueWithCounts = collections.namedtuple("UniqueWithCounts", "y idx count")


def _unique(op_type: str, x: Any, out_idx: Any, name: "str | None") -> Operation:
    out_idx = dtypes.as_dtype(out_idx)
    if out_idx not in (dtypes.int32, dtypes.int64):
        raise TypeError("Value passed to parameter 'out_idx' has DataType %s not in list of allowed values: int32, "
                        "int64\nFix: out_idx=tf.int32 or tf.int64." % out_idx.name)
    with name_scope(name, op_type, [x]) as scope:
        x = convert_to_tensor(x, name="x")
        n = 3 if op_type == "UniqueWithCounts" else 2
        return make_op(op_type, [x], [x.dtype.base_dtype] + [out_idx] * (n - 1), scope, attrs={"out_idx": out_idx})


def unique(x: Any, out_idx: Any = dtypes.int32, name: "str | None" = None) -> "_Unique":
    """The distinct values of the vector ``x`` in order of first appearance (``y``), and for each
    entry of x the position of its value in y (``idx``): ``x == gather(y, idx)``. No gradient."""
    return _Unique(*_unique("Unique", x, out_idx, name).outputs)


def unique_with_counts(x: Any, out_idx: Any = dtypes.int32, name: "str | None" = None) -> "_UniqueWithCounts":
    """As :func:`unique`, with ``count[j]``, how many times ``y[j]`` occurs in x."""
    return _UniqueWithCounts(*_unique("UniqueWithCounts", x, out_idx, name).outputs)


def _unique_rule(op: Operation) -> "list[TensorShape]":
    x = op.inputs[0].shape
    if x.ndims not in (None, 1):
        raise ShapeError("Shape must be rank 1 but is rank %d" % x.ndims, "Fix: flatten first, e.g. "
                                                                           "tf.unique(tf.reshape(x, [-1])).")
    counts = [TensorShape([None])] if op.type == "UniqueWithCounts" else []
    return [TensorShape([None]), x if x.ndims else TensorShape([None])] + counts


def _unique_kernel(ctx, x):
    x = np.asarray(x)
    if x.ndim != 1:
        raise errors.InvalidArgumentError(None, ctx.op, "unique expects a 1D vector.\nFix: flatten first, e.g. "
                                          "tf.reshape(x, [-1]).")
    values, first, inverse, counts = np.unique(x, return_index=True, return_inverse=True, return_counts=True)
    order = np.argsort(first, kind="stable")                 # distinct values in order of first appearance
    position = np.empty_like(order)
    position[order] = np.arange(len(order))
    index_type = ctx.attrs["out_idx"].as_numpy_dtype
    out = [values[order], position[inverse.reshape(-1)].astype(index_type)]
    return out + [counts[order].astype(index_type)] if ctx.op.type == "UniqueWithCounts" else out


primitive("Unique", shape=_unique_rule)(_unique_kernel)
primitive("UniqueWithCounts", shape=_unique_rule)(_unique_kernel)
NoGradient("Unique")
NoGradient("UniqueWithCounts")

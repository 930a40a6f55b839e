"""Catalogue entries for array_ops: reshaping, combining, slicing, gathering (see op_catalogue.py).

Index-like inputs (gather indices, one_hot labels, ...) are either constants inside ``build``
or int arrays made by ``inputs=``; ``grad_inputs`` then names the float inputs to differentiate.
Ops with several outputs (unstack, split) are checked through ``_weighted``: each output is
flattened and scaled by its position, so a gradient routed to the wrong piece shows up.
"""
from __future__ import annotations

import numpy as np

import tinyflow as tf
from op_catalogue import Case


def _weighted(parts):
    """One tensor from a list of outputs: concat of flatten(part_i) * (i + 1)."""
    return tf.concat([tf.reshape(p, [-1]) * (i + 1.0) for i, p in enumerate(parts)], 0)


def _np_weighted(parts):
    return np.concatenate([np.reshape(p, [-1]) * (i + 1.0) for i, p in enumerate(parts)])


def _floats_then_ints(high: int, dtype=np.int32):
    """inputs=: a float array for the first shape, ints in [0, high) for the second."""
    def make(rng, shapes):
        return [rng.uniform(-2.0, 2.0, size=shapes[0]), rng.randint(0, high, size=shapes[1]).astype(dtype)]
    return make


def _floats_then_bools(rng, shapes):
    return [rng.uniform(-2.0, 2.0, size=s) for s in shapes[:-1]] + [rng.uniform(size=shapes[-1]) > 0.5]


def _bools_then_floats(rng, shapes):
    return [rng.uniform(size=shapes[0]) > 0.5] + [rng.uniform(-2.0, 2.0, size=s) for s in shapes[1:]]


def _cum(fn, x, axis=0, exclusive=False, reverse=False, identity=0.0):
    """numpy reference for cumsum/cumprod with TensorFlow's exclusive/reverse attrs."""
    if reverse:
        x = np.flip(x, axis)
    y = fn(x, axis=axis)
    if exclusive:
        first = np.full_like(np.take(y, [0], axis=axis), identity)
        y = np.concatenate([first, np.delete(y, -1, axis=axis)], axis=axis)
    return np.flip(y, axis) if reverse else y


def _one_hot(indices, depth, axis=-1, on=1.0, off=0.0):
    hot = indices[..., None] == np.arange(depth)
    if axis != -1:
        hot = np.moveaxis(hot, -1, axis)
    return np.where(hot, on, off).astype(np.float32)


def _segment_sum(data, ids, num):
    out = np.zeros((num,) + data.shape[ids.ndim:])
    np.add.at(out, ids, data)
    return out


def _gather_nd(params, indices):
    """Slow reference: one index row at a time."""
    depth = indices.shape[-1]
    rows = [params[tuple(i)] for i in indices.reshape(-1, depth)]
    return np.array(rows).reshape(indices.shape[:-1] + params.shape[depth:])


def _scatter_nd(indices, updates, shape):
    out = np.zeros(shape, updates.dtype)
    depth = indices.shape[-1]
    for i, u in zip(indices.reshape(-1, depth), updates.reshape((-1,) + tuple(shape[depth:]))):
        out[tuple(i)] += u
    return out


def _segments(reduce, data, ids, num, empty=0.0):
    """Slow reference for the segment reductions: ``reduce`` of each segment's rows, ``empty`` if it has none."""
    ids = np.asarray(ids)
    rows = [reduce(data[ids == k], axis=0) if (ids == k).any() else np.full(data.shape[1:], empty)
            for k in range(num)]
    return np.array(rows, dtype=data.dtype).reshape((num,) + data.shape[1:])


def _roll(x, shifts, axes):
    for shift, axis in zip(shifts, axes):
        n = x.shape[axis]
        x = np.take(x, [(i - shift) % n for i in range(n)], axis=axis)
    return x


def _unique(x):
    """Slow reference: (y, idx, count) in order of first appearance."""
    y, idx = [], []
    for v in x.tolist():
        if v not in y:
            y.append(v)
        idx.append(y.index(v))
    count = [idx.count(j) for j in range(len(y))]
    return np.array(y, x.dtype), np.array(idx, np.int32), np.array(count, np.int32)


def _ints(low, high, dtype=np.int32):
    return lambda rng, shapes: [rng.randint(low, high, size=s).astype(dtype) for s in shapes]


def _divisors(rng, shapes):
    """int32 x in [-9, 10) and y in +-[1, 4)."""
    return [rng.randint(-9, 10, size=shapes[0]).astype(np.int32),
            (rng.randint(1, 4, size=shapes[1]) * rng.choice([-1, 1], size=shapes[1])).astype(np.int32)]


def _reverse_sequence(x, lengths, seq_axis, batch_axis):
    """Slow reference: each example's first ``lengths[b]`` steps reversed, the rest kept."""
    y = np.array(x)
    for b, n in enumerate(lengths):
        index = [slice(None)] * x.ndim
        index[batch_axis] = b
        steps = np.take(x[tuple(index)], np.arange(n)[::-1], axis=seq_axis - (batch_axis < seq_axis))
        index[seq_axis] = slice(0, n)
        y[tuple(index)] = steps
    return y


def _sin_times_itself(x, n):
    for _ in range(n):
        x = np.sin(x) * x
    return x


CASES = [
    # --- identity-like -----------------------------------------------------------------------
    Case("identity", lambda x: tf.identity(x), lambda x: x, [((3,),), ((2, 3),)]),
    Case("stop_gradient", lambda x: tf.stop_gradient(x), lambda x: x, [((2, 3),)], grad=False),
    Case("Print", lambda x: tf.Print(x, [x], "x:", first_n=0), lambda x: x, [((3,),), ((2, 3),)]),
    Case("check_numerics", lambda x: tf.check_numerics(x, "x"), lambda x: x, [((3,),), ((2, 3),)]),
    Case("placeholder_with_default", lambda x: tf.placeholder_with_default(x, x.shape) * 2.0,
         lambda x: x * 2.0, [((2, 3),)]),
    # --- shapes as tensors -------------------------------------------------------------------
    Case("shape", lambda x: tf.shape(x), lambda x: np.array(x.shape, np.int32), [((2, 3),), ((4,),)],
         grad=False),
    Case("size", lambda x: tf.size(x), lambda x: np.array(x.size, np.int32), [((2, 3),)], grad=False),
    Case("rank", lambda x: tf.rank(x), lambda x: np.array(x.ndim, np.int32), [((2, 3),), ((),)], grad=False),
    # --- reshape, expand_dims, squeeze ---------------------------------------------------------
    Case("reshape", lambda x: tf.reshape(x, [3, -1]), lambda x: x.reshape(3, -1),
         [((6,),), ((2, 3),), ((3, 2, 2),)]),
    Case("reshape/to_scalar", lambda x: tf.reshape(x, []), lambda x: x.reshape(()), [((1,),), ((1, 1),)]),
    Case("reshape/tensor_shape", lambda x, y: tf.reshape(x, tf.shape(y)) + y, lambda x, y: x.reshape(y.shape) + y,
         [((6,), (2, 3)), ((2, 2), (4,))]),
    Case("expand_dims", lambda x: tf.expand_dims(x, 0), lambda x: x[None], [((3,),), ((2, 3),)]),
    Case("expand_dims/last", lambda x: tf.expand_dims(x, -1), lambda x: x[..., None], [((3,),), ((2, 3),)]),
    Case("expand_dims/middle", lambda x: tf.expand_dims(x, 1), lambda x: np.expand_dims(x, 1), [((2, 3),)]),
    Case("squeeze", lambda x: tf.squeeze(x), lambda x: np.squeeze(x), [((1, 3, 1),), ((2, 1),)],
         unknown_dims="any"),                 # an unknown dim may be 1: the rank is unknown
    Case("squeeze/axis", lambda x: tf.squeeze(x, [2]), lambda x: np.squeeze(x, 2), [((1, 3, 1),)]),
    # --- filled tensors and ranges -------------------------------------------------------------
    Case("fill", lambda v: tf.fill([2, 3], v), lambda v: np.full((2, 3), v), [((),)]),
    Case("zeros_like", lambda x: tf.zeros_like(x), lambda x: np.zeros_like(x), [((2, 3),)], grad=False),
    Case("ones_like", lambda x: tf.ones_like(x), lambda x: np.ones_like(x), [((2, 3),)], grad=False),
    Case("range", lambda x: x * tf.cast(tf.range(4), tf.float64), lambda x: x * np.arange(4),
         [((4,),), ((2, 4),)]),
    Case("range/float_delta", lambda x: x + tf.range(1.0, 2.0, 0.25, dtype=tf.float64),
         lambda x: x + np.arange(1.0, 2.0, 0.25), [((4,),)]),
    Case("range/negative_delta", lambda x: x * tf.cast(tf.range(5, 0, -2), tf.float64),
         lambda x: x * np.arange(5, 0, -2), [((3,),)]),
    Case("broadcast_to", lambda x: tf.broadcast_to(x, [4, 2, 3]), lambda x: np.broadcast_to(x, (4, 2, 3)),
         [((3,),), ((2, 1),), ((1, 2, 3),)]),
    # --- transpose ------------------------------------------------------------------------------
    Case("transpose", lambda x: tf.transpose(x), lambda x: x.T, [((2, 3),), ((2, 3, 4),), ((5,),)]),
    Case("transpose/perm", lambda x: tf.transpose(x, [1, 0, 2]), lambda x: x.transpose(1, 0, 2), [((2, 3, 4),)]),
    Case("transpose/perm_cycle", lambda x: tf.transpose(x, [2, 0, 1]), lambda x: x.transpose(2, 0, 1),
         [((2, 3, 4),)]),
    # --- concat, stack, unstack, split -----------------------------------------------------------
    Case("concat", lambda a, b: tf.concat([a, b], 0), lambda a, b: np.concatenate([a, b], 0),
         [((2, 3), (4, 3)), ((1,), (2,))]),
    Case("concat/axis1", lambda a, b, c: tf.concat([a, b, c], 1), lambda a, b, c: np.concatenate([a, b, c], 1),
         [((2, 1), (2, 3), (2, 2))]),
    Case("concat/negative_axis", lambda a, b: tf.concat([a, b], -1), lambda a, b: np.concatenate([a, b], -1),
         [((2, 2, 1), (2, 2, 3))]),
    Case("concat/single", lambda a: tf.concat([a], 0), lambda a: a, [((2, 3),)]),
    Case("concat/python_values", lambda a: tf.concat([a, [[1.0, 2.0]]], 0),
         lambda a: np.concatenate([a, [[1.0, 2.0]]], 0), [((3, 2),)]),
    Case("stack", lambda a, b: tf.stack([a, b]), lambda a, b: np.stack([a, b]), [((3,), (3,)), ((2, 3), (2, 3))]),
    Case("stack/axis1", lambda a, b, c: tf.stack([a, b, c], axis=1), lambda a, b, c: np.stack([a, b, c], 1),
         [((2, 3), (2, 3), (2, 3))]),
    Case("stack/axis_last", lambda a, b: tf.stack([a, b], axis=-1), lambda a, b: np.stack([a, b], -1),
         [((2, 3), (2, 3))]),
    Case("stack/scalars_and_numbers", lambda a, b: tf.stack([a, 3.0, b]), lambda a, b: np.stack([a, 3.0, b]),
         [((), ())]),
    Case("unstack", lambda x: _weighted(tf.unstack(x)), lambda x: _np_weighted(list(x)), [((3, 2),), ((2, 2, 2),)],
         unknown_dims="skip"),                # the number of outputs must be known statically
    Case("unstack/axis1", lambda x: _weighted(tf.unstack(x, axis=1)),
         lambda x: _np_weighted([x[:, i] for i in range(x.shape[1])]), [((2, 3),), ((2, 4, 2),)],
         unknown_dims="skip"),
    Case("split", lambda x: _weighted(tf.split(x, 3)), lambda x: _np_weighted(np.split(x, 3)),
         [((6,),), ((3, 2),)]),
    Case("split/axis1", lambda x: _weighted(tf.split(x, 2, axis=1)), lambda x: _np_weighted(np.split(x, 2, 1)),
         [((2, 4),)]),
    Case("split/sizes", lambda x: _weighted(tf.split(x, [1, -1, 2], axis=1)),
         lambda x: _np_weighted(np.split(x, [1, x.shape[1] - 2], 1)), [((2, 6),), ((3, 4),)]),
    # --- slicing -----------------------------------------------------------------------------------
    Case("slice", lambda x: tf.slice(x, [1, 0], [2, 2]), lambda x: x[1:3, 0:2], [((3, 3),), ((4, 2),)]),
    Case("slice/to_end", lambda x: tf.slice(x, [0, 1], [-1, -1]), lambda x: x[:, 1:], [((3, 3),)]),
    Case("getitem/int", lambda x: x[0], lambda x: x[0], [((3,),), ((3, 2),)]),
    Case("getitem/negative_int", lambda x: x[-1], lambda x: x[-1], [((3,),), ((3, 2),)]),
    Case("getitem/slice", lambda x: x[1:], lambda x: x[1:], [((4,),), ((3, 2),)]),
    Case("getitem/reverse", lambda x: x[::-1], lambda x: x[::-1], [((4,),), ((3, 2),)]),
    Case("reverse_sequence", lambda x: tf.reverse_sequence(x, [2, 0, 4], seq_axis=1, batch_axis=0),
         lambda x: _reverse_sequence(x, [2, 0, 4], 1, 0), [((3, 4),), ((3, 4, 2),)]),
    Case("reverse_sequence/time_major", lambda x: tf.reverse_sequence(x, [1, 3], seq_axis=0, batch_axis=1),
         lambda x: _reverse_sequence(x, [1, 3], 0, 1), [((3, 2),), ((3, 2, 2),)]),
    Case("getitem/step", lambda x: x[1::2, -3:-1], lambda x: x[1::2, -3:-1], [((5, 4),)]),
    Case("getitem/negative_step", lambda x: x[3:0:-2], lambda x: x[3:0:-2], [((5, 2),)]),
    Case("getitem/column", lambda x: x[:, 1], lambda x: x[:, 1], [((3, 2),), ((2, 3, 4),)]),
    Case("getitem/ellipsis", lambda x: x[..., 0], lambda x: x[..., 0], [((3, 2),), ((2, 3, 4),)]),
    Case("getitem/ellipsis_middle", lambda x: x[1, ..., ::-1], lambda x: x[1, ..., ::-1], [((2, 3, 4),)]),
    Case("getitem/newaxis", lambda x: x[tf.newaxis], lambda x: x[None], [((3,),)]),
    Case("getitem/newaxis_mixed", lambda x: x[:, tf.newaxis, 1:3], lambda x: x[:, None, 1:3], [((2, 4),)]),
    Case("getitem/out_of_range_slice", lambda x: x[1:10], lambda x: x[1:10], [((3,),)]),
    Case("getitem/tensor_index", lambda x: x[tf.constant(1)], lambda x: x[1], [((3, 2),)]),
    Case("getitem/tensor_bounds", lambda x: x[tf.constant(1):tf.constant(3)], lambda x: x[1:3], [((4, 2),)]),
    Case("getitem/bool_mask", lambda x: x[tf.constant([True, False, True])], lambda x: x[[0, 2]], [((3, 2),)],
         static_shape="partial"),
    Case("strided_slice", lambda x: tf.strided_slice(x, [0, 1], [3, 4], [2, 1]), lambda x: x[0:3:2, 1:4],
         [((4, 5),)]),
    Case("pad", lambda x: tf.pad(x, [[1, 0], [2, 1]]), lambda x: np.pad(x, [[1, 0], [2, 1]]), [((2, 3),)]),
    Case("pad/constant_values", lambda x: tf.pad(x, [[1, 2]], constant_values=5.0),
         lambda x: np.pad(x, [[1, 2]], constant_values=5.0), [((3,),)]),
    Case("pad/reflect", lambda x: tf.pad(x, [[1, 1], [2, 0]], mode="REFLECT"),
         lambda x: np.pad(x, [[1, 1], [2, 0]], mode="reflect"), [((3, 4),)]),
    Case("pad/symmetric", lambda x: tf.pad(x, [[2, 1]], mode="SYMMETRIC"),
         lambda x: np.pad(x, [[2, 1]], mode="symmetric"), [((3,),)]),
    # --- gather, segment sums, masks, one_hot ------------------------------------------------------
    Case("gather", lambda p: tf.gather(p, [2, 0, 2]), lambda p: p[[2, 0, 2]], [((3,),), ((4, 2),)]),
    Case("gather/axis1", lambda p: tf.gather(p, [1, 1, 0], axis=1), lambda p: np.take(p, [1, 1, 0], 1),
         [((2, 3),), ((2, 2, 3),)]),
    Case("gather/axis_last", lambda p: tf.gather(p, [[0, 2], [1, 1]], axis=-1),
         lambda p: np.take(p, [[0, 2], [1, 1]], -1), [((2, 3, 4),)]),
    Case("gather/index_input", lambda p, i: tf.gather(p, i), lambda p, i: p[i], [((5, 2), (3, 2))],
         inputs=_floats_then_ints(5), grad_inputs=[0]),
    Case("gather/int64_indices", lambda p, i: tf.gather(p, i, axis=1), lambda p, i: np.take(p, i, 1),
         [((2, 4), (6,))], inputs=_floats_then_ints(4, np.int64), grad_inputs=[0]),
    Case("unsorted_segment_sum", lambda d, i: tf.unsorted_segment_sum(d, i, 4), lambda d, i: _segment_sum(d, i, 4),
         [((6,), (6,)), ((5, 2), (5,))], inputs=_floats_then_ints(4), grad_inputs=[0]),
    # --- gather_nd, scatter_nd, segment reductions, roll, meshgrid, sort, unique (index_ops, ...) ----------
    Case("gather_nd", lambda p: tf.gather_nd(p, [[1, 0], [2, 3], [1, 0]]),
         lambda p: _gather_nd(p, np.array([[1, 0], [2, 3], [1, 0]])), [((3, 4),), ((3, 4, 2),)]),
    Case("gather_nd/slices", lambda p: tf.gather_nd(p, [[[2], [0]], [[1], [2]]]),
         lambda p: _gather_nd(p, np.array([[[2], [0]], [[1], [2]]])), [((3, 2),), ((3, 2, 2),)]),
    Case("gather_nd/index_input", lambda p, i: tf.gather_nd(p, i), _gather_nd, [((3, 4), (5, 1))],
         inputs=_floats_then_ints(3), grad_inputs=[0], unknown_dims="any"),     # index depth unknown: rank too
    Case("scatter_nd", lambda u: tf.scatter_nd([[1], [0], [1]], u, [4, 2]),
         lambda u: _scatter_nd(np.array([[1], [0], [1]]), u, (4, 2)), [((3, 2),)]),
    Case("scatter_nd/elements", lambda u: tf.scatter_nd([[0, 1], [2, 0], [0, 1]], u, [3, 2]),
         lambda u: _scatter_nd(np.array([[0, 1], [2, 0], [0, 1]]), u, (3, 2)), [((3,),)]),
    Case("segment_sum", lambda d: tf.segment_sum(d, [0, 0, 1, 3, 3]),
         lambda d: _segments(np.sum, d, [0, 0, 1, 3, 3], 4), [((5,),), ((5, 2),)], static_shape="partial"),
    Case("segment_mean", lambda d: tf.segment_mean(d, [0, 0, 1, 3, 3]),
         lambda d: _segments(np.mean, d, [0, 0, 1, 3, 3], 4), [((5,),), ((5, 2),)], static_shape="partial"),
    Case("segment_max", lambda d: tf.segment_max(d, [0, 0, 1, 3, 3]),
         lambda d: _segments(np.max, d, [0, 0, 1, 3, 3], 4), [((5,),), ((5, 2),)], static_shape="partial"),
    Case("segment_min", lambda d: tf.segment_min(d, [0, 0, 1, 3, 3]),
         lambda d: _segments(np.min, d, [0, 0, 1, 3, 3], 4), [((5,),), ((5, 2),)], static_shape="partial"),
    Case("unsorted_segment_max", lambda d: tf.unsorted_segment_max(d, [2, 0, 2, -1, 1], 3),
         lambda d: _segments(np.max, d, [2, 0, 2, -1, 1], 3), [((5,),), ((5, 2),)]),
    Case("unsorted_segment_max/empty", lambda d: tf.unsorted_segment_max(d, [2, 0, 2], 4),
         lambda d: _segments(np.max, d, [2, 0, 2], 4, np.finfo(np.float64).min), [((3, 2),)], grad=False),
    Case("unsorted_segment_min", lambda d: tf.unsorted_segment_min(d, [2, 0, 2, -1, 1], 3),
         lambda d: _segments(np.min, d, [2, 0, 2, -1, 1], 3), [((5,),), ((5, 2),)]),
    Case("unsorted_segment_mean", lambda d: tf.unsorted_segment_mean(d, [2, 0, 2, -1, 1], 4),
         lambda d: _segments(np.mean, d, [2, 0, 2, -1, 1], 4), [((5,),), ((5, 2),)]),
    Case("roll", lambda x: tf.roll(x, 2, 0), lambda x: _roll(x, [2], [0]), [((5,),), ((5, 2),)]),
    Case("roll/axes", lambda x: tf.roll(x, [1, -1, 3], [0, 1, 1]), lambda x: _roll(x, [1, -1, 3], [0, 1, 1]),
         [((3, 4),)]),
    Case("meshgrid", lambda x, y: _weighted(tf.meshgrid(x, y)),
         lambda x, y: _np_weighted(np.meshgrid(x, y)), [((3,), (2,))]),
    Case("meshgrid/ij", lambda x, y, z: _weighted(tf.meshgrid(x, y, z, indexing="ij")),
         lambda x, y, z: _np_weighted(np.meshgrid(x, y, z, indexing="ij")), [((3,), (2,), (4,))]),
    Case("sort", tf.sort, np.sort, [((5,),), ((3, 4),)]),
    Case("sort/descending_axis0", lambda x: tf.sort(x, axis=0, direction="DESCENDING"),
         lambda x: -np.sort(-x, axis=0), [((4,),), ((3, 4, 2),)]),
    Case("argsort", tf.argsort, lambda x: np.argsort(x, axis=-1, kind="stable").astype(np.int32),
         [((5,),), ((3, 4),)], grad=False),
    Case("argsort/descending_ints", lambda x: tf.argsort(x, axis=0, direction="DESCENDING"),
         lambda x: np.argsort(-x, axis=0, kind="stable").astype(np.int32), [((6,),), ((5, 3),)],
         grad=False, inputs=_ints(0, 3)),
    Case("unique", lambda x: tf.unique(x).y, lambda x: _unique(x)[0], [((8,),)], grad=False,
         inputs=_ints(0, 4), static_shape="partial"),
    Case("unique/idx", lambda x: tf.unique(x).idx, lambda x: _unique(x)[1], [((8,),)], grad=False,
         inputs=_ints(0, 4)),
    Case("unique_with_counts", lambda x: tf.unique_with_counts(x).count, lambda x: _unique(x)[2], [((8,),)],
         grad=False, inputs=_ints(0, 4), static_shape="partial"),
    Case("truncatediv", tf.truncatediv, lambda x, y: np.trunc(x / y).astype(np.int32), [((6,), (6,)), ((2, 3), (3,))],
         grad=False, inputs=_divisors),
    Case("truncatediv/float", tf.truncatediv, lambda x, y: np.trunc(x / y), [((6,), (6,))], grad=False),
    Case("truncatemod", tf.truncatemod, lambda x, y: (x - np.trunc(x / y) * y).astype(np.int32),
         [((6,), (6,)), ((2, 3), (3,))], grad=False, inputs=_divisors),
    Case("boolean_mask", lambda x, m: tf.boolean_mask(x, m), lambda x, m: x[m], [((4, 2), (4,)), ((3, 2), (3, 2))],
         inputs=_floats_then_bools, grad_inputs=[0], static_shape="partial"),
    Case("one_hot", lambda i: tf.one_hot(i, 4), lambda i: _one_hot(i, 4), [((5,),), ((2, 3),)],
         inputs=lambda rng, shapes: [rng.randint(-1, 5, size=shapes[0]).astype(np.int32)], grad=False),
    Case("one_hot/axis0", lambda i: tf.one_hot(i, 3, axis=0), lambda i: _one_hot(i, 3, axis=0), [((4,),)],
         inputs=lambda rng, shapes: [rng.randint(0, 3, size=shapes[0]).astype(np.int32)], grad=False),
    Case("one_hot/on_off", lambda x: x * tf.one_hot([0, 2, 1], 3, on_value=np.float64(2.0),
                                                     off_value=np.float64(-1.0)),
         lambda x: x * np.where(np.eye(3)[[0, 2, 1]] > 0, 2.0, -1.0), [((3, 3),)]),
    # --- tile, cumsum, cumprod, where ---------------------------------------------------------------
    Case("tile", lambda x: tf.tile(x, [2, 3]), lambda x: np.tile(x, [2, 3]), [((2, 3),), ((1, 2),)]),
    Case("tile/rank3", lambda x: tf.tile(x, [1, 2, 2]), lambda x: np.tile(x, [1, 2, 2]), [((2, 1, 3),)]),
    Case("cumsum", lambda x: tf.cumsum(x), lambda x: np.cumsum(x, 0), [((5,),), ((3, 2),)]),
    Case("cumsum/axis1_exclusive", lambda x: tf.cumsum(x, axis=1, exclusive=True),
         lambda x: _cum(np.cumsum, x, 1, exclusive=True), [((2, 4),)]),
    Case("cumsum/reverse", lambda x: tf.cumsum(x, reverse=True), lambda x: _cum(np.cumsum, x, reverse=True),
         [((4,),), ((3, 2),)]),
    Case("cumsum/exclusive_reverse", lambda x: tf.cumsum(x, axis=-1, exclusive=True, reverse=True),
         lambda x: _cum(np.cumsum, x, -1, True, True), [((2, 4),)]),
    Case("cumprod", lambda x: tf.cumprod(x), lambda x: np.cumprod(x, 0), [((5,),), ((3, 2),)], low=0.5),
    Case("cumprod/exclusive", lambda x: tf.cumprod(x, axis=1, exclusive=True),
         lambda x: _cum(np.cumprod, x, 1, exclusive=True, identity=1.0), [((2, 4),)], low=0.5),
    Case("cumprod/reverse", lambda x: tf.cumprod(x, reverse=True), lambda x: _cum(np.cumprod, x, reverse=True),
         [((4,),)], low=0.5),
    Case("cumprod/exclusive_reverse", lambda x: tf.cumprod(x, exclusive=True, reverse=True),
         lambda x: _cum(np.cumprod, x, 0, True, True, identity=1.0), [((4,),), ((3, 2),)], low=0.5),
    Case("where", lambda c, x, y: tf.where(c, x, y), lambda c, x, y: np.where(c, x, y),
         [((4,), (4,), (4,)), ((2, 3), (2, 3), (2, 3))], inputs=_bools_then_floats, grad_inputs=[1, 2]),
    Case("where/row_condition", lambda c, x, y: tf.where(c, x, y), lambda c, x, y: np.where(c[:, None], x, y),
         [((3,), (3, 2), (3, 2))], inputs=_bools_then_floats, grad_inputs=[1, 2]),
    Case("where/indices", lambda c: tf.where(c), lambda c: np.argwhere(c).astype(np.int64),
         [((5,),), ((2, 3),)], inputs=lambda rng, shapes: [rng.uniform(size=shapes[0]) > 0.5], grad=False,
         static_shape="partial"),
    # --- control flow: cond, case, while_loop, TensorArray (tests/test_cond_while.py has their graphs) -------
    Case("cond", lambda x: tf.cond(tf.reduce_sum(x) > 0, lambda: x * 2.0, lambda: tf.sin(x)),
         lambda x: x * 2.0 if x.sum() > 0 else np.sin(x), [((3,),), ((2, 3),)]),
    Case("case", lambda x: tf.case([(tf.reduce_sum(x) > 1, lambda: x * x), (tf.reduce_sum(x) > -1, lambda: -x)],
                                   default=lambda: tf.exp(x)),
         lambda x: x * x if x.sum() > 1 else -x if x.sum() > -1 else np.exp(x), [((4,),), ((2, 2),)]),
    Case("while_loop", lambda x: tf.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, tf.sin(v) * v), [0, x])[1],
         lambda x: _sin_times_itself(x, 3), [((3,),), ((2, 3),)]),
    Case("TensorArray/unstack_stack", lambda x: tf.TensorArray(x.dtype, size=tf.shape(x)[0]).unstack(x * 2.0).stack(),
         lambda x: x * 2.0, [((3,),), ((4, 2),)], static_shape="partial"),
    Case("TensorArray/split_concat", lambda x: tf.TensorArray(x.dtype, size=2, infer_shape=False).split(
        x, [1, 2]).concat() * x, lambda x: x * x, [((3,),), ((3, 2),)], static_shape="partial", unknown_dims="any"),
    Case("TensorArray/scatter_gather", lambda x: tf.TensorArray(x.dtype, size=3).scatter([2, 0, 1], x).gather([1, 2]),
         lambda x: x[[2, 0]], [((3, 2),)], static_shape="partial"),
]

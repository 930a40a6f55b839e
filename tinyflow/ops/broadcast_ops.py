"""Repeating a tensor: ``tf.broadcast_to``, ``tf.tile``; and ``BroadcastGradientArgs``, which
finds the axes along which two shapes were broadcast (for the gradients, see
``math_ops.unbroadcast``).

A repeated element gets one gradient per copy, so the gradients of these ops sum them.

TensorFlow's counterparts: ``python/ops/array_ops.py``, ``python/ops/array_grad.py``,
``core/ops/array_ops.cc``.
"""
from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from .. import dtypes
from ..framework import Operation, Tensor, convert_to_tensor, name_scope
from ..op_def_library import int_input, make_op
from ..op_registry import NoGradient, RegisterGradient, primitive, read_value
from ..tensor_shape import ShapeError, TensorShape
from ..tensor_util import partial_ints, shape_from_tensor
from . import array_ops, concat_ops, creation_ops, math_ops, reduction_ops

__all__ = ["broadcast_to", "broadcast_gradient_args", "tile"]


# --------------------------------------------------------------------------------------------
# broadcast_to, and the axes along which two shapes broadcast
# --------------------------------------------------------------------------------------------
def broadcast_to(input: Any, shape: Any, name: "str | None" = None) -> Tensor:  # noqa: A002
    """Repeats ``input`` along size-1 (or missing leading) axes to reach ``shape``."""
    with name_scope(name, "BroadcastTo", [input, shape]) as scope:
        input = convert_to_tensor(input, name="input")
        shape = int_input(shape, "shape")
        return make_op("BroadcastTo", [input, shape], [input.dtype.base_dtype], scope).outputs[0]


primitive("BroadcastTo", shape=lambda op: shape_from_tensor(op.inputs[1]))(
    lambda ctx, x, shape: np.broadcast_to(x, tuple(int(d) for d in shape)))


@RegisterGradient("BroadcastTo")
def _broadcast_to_grad(op, grad):
    """Each input element was copied to several places: sum the gradients of the copies."""
    return math_ops.unbroadcast(grad, op.inputs[0]), None


def broadcast_gradient_args(s0: Any, s1: Any, name: "str | None" = None):
    """For shapes s0, s1 that broadcast together: the axes along which each was broadcast."""
    s0, s1 = convert_to_tensor(s0, dtype=dtypes.int32), convert_to_tensor(s1, dtype=dtypes.int32)
    op = make_op("BroadcastGradientArgs", [s0, s1], [dtypes.int32, dtypes.int32], name or "BroadcastGradientArgs",
               shapes=[TensorShape([None]), TensorShape([None])])
    return op.outputs[0], op.outputs[1]


@primitive("BroadcastGradientArgs")
def _broadcast_gradient_args_kernel(ctx, s0, s1):
    key = (s0.tobytes(), s1.tobytes()) if s0.dtype == s1.dtype == np.int32 else None
    known = _BROADCAST_ARGS.get(key)
    if known is not None:                      # a loop's gradient asks the same every iteration
        return known
    s0, s1 = [int(d) for d in s0], [int(d) for d in s1]
    n = max(len(s0), len(s1))
    a, b = [1] * (n - len(s0)) + s0, [1] * (n - len(s1)) + s1
    r0 = [i for i in builtins.range(n) if a[i] == 1 and (b[i] != 1 or i < n - len(s0))]
    r1 = [i for i in builtins.range(n) if b[i] == 1 and (a[i] != 1 or i < n - len(s1))]
    result = np.array(r0, dtype=np.int32), np.array(r1, dtype=np.int32)
    for r in result:
        r.flags.writeable = False              # shared between runs: nobody may change them
    if key is not None and len(_BROADCAST_ARGS) < 4096:
        _BROADCAST_ARGS[key] = result
    return result


_BROADCAST_ARGS: "dict[tuple[bytes, bytes], tuple[np.ndarray, np.ndarray]]" = {}
"""Answers of BroadcastGradientArgs by the two shapes (small, and bounded)."""


NoGradient("BroadcastGradientArgs")


# --------------------------------------------------------------------------------------------
# tile, cumsum, cumprod
# --------------------------------------------------------------------------------------------
def tile(input: Any, multiples: Any, name: "str | None" = None) -> Tensor:  # noqa: A002
    """Repeats the whole tensor ``multiples[d]`` times along each dimension d:
    ``tile([[1, 2]], [2, 3])`` is ``[[1, 2, 1, 2, 1, 2], [1, 2, 1, 2, 1, 2]]``."""
    with name_scope(name, "Tile", [input, multiples]) as scope:
        input = convert_to_tensor(input, name="input")
        multiples = int_input(multiples, "multiples")
        return make_op("Tile", [input, multiples], [input.dtype.base_dtype], scope).outputs[0]


def _tile_rule(op: Operation) -> TensorShape:
    x, multiples = op.inputs[0].shape, partial_ints(op.inputs[1])
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
    x, multiples = op.inputs
    x_shape = array_ops.shape(x, out_type=multiples.dtype.base_dtype)
    split_shape = array_ops.reshape(array_ops.transpose(concat_ops.stack([multiples, x_shape])), [-1])
    axes = creation_ops.range(0, array_ops.size(split_shape), 2)
    dx = reduction_ops.reduce_sum(array_ops.reshape(grad, split_shape), axes)
    dx.set_shape(x.shape)
    return dx, None

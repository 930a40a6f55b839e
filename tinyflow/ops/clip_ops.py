"""Clipping: ``tf.clip_by_value``, ``tf.clip_by_norm``, ``tf.global_norm``, ``tf.clip_by_global_norm``.

``clip_by_global_norm`` is how TF1 programs tame exploding gradients (every RNN tutorial)::

    grads, _ = tf.clip_by_global_norm(tf.gradients(loss, params), 5.0)
    train_op = optimizer.apply_gradients(zip(grads, params))

All four are built from other ops (minimum and maximum, l2_loss, sqrt, where), so their gradients
come from those. Names are TensorFlow's (``clip_by_value:0``, ``global_norm/global_norm:0``,
``clip_by_global_norm/clip_by_global_norm/_0:0``).

TensorFlow's counterpart: ``python/ops/clip_ops.py``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..framework import Tensor, convert_to_tensor, name_scope
from ..tensor_util import constant_value
from . import array_ops, concat_ops, constant_op, creation_ops, gather_ops, math_ops, nn_ops, reduction_ops, unary_ops

__all__ = ["clip_by_value", "clip_by_norm", "global_norm", "clip_by_global_norm"]


def clip_by_value(t: Any, clip_value_min: Any, clip_value_max: Any, name: "str | None" = None) -> Tensor:
    """``min(max(t, clip_value_min), clip_value_max)`` elementwise; the bounds may be tensors
    broadcast against ``t``, but may not make the result bigger than ``t``."""
    with name_scope(name, "clip_by_value", [t, clip_value_min, clip_value_max]) as scope:
        values = convert_to_tensor(t, name="t")
        low, high = _known(clip_value_min), _known(clip_value_max)
        if low is not None and high is not None and low.shape == high.shape and (low > high).any():
            raise ValueError("clip_by_value: clip_value_min %s is greater than clip_value_max %s (TensorFlow would "
                             "give clip_value_min everywhere).\nFix: swap them." % (low, high))
        t_min = math_ops.minimum(values, clip_value_max)
        values.shape.merge_with(t_min.shape)     # (the bounds may not broadcast t to a bigger shape)
        t_max = math_ops.maximum(t_min, clip_value_min, name=scope)
        values.shape.merge_with(t_max.shape)
        return t_max


def _known(value: Any) -> Any:
    """The value of a bound if it is known now (a Python number, an array or a constant), else None."""
    if isinstance(value, Tensor):
        return constant_value(value)
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None


def clip_by_norm(t: Any, clip_norm: Any, axes: Any = None, name: "str | None" = None) -> Tensor:
    """``t * clip_norm / max(l2norm(t, axes), clip_norm)``: ``t`` scaled down to L2 norm ``clip_norm``
    if it is longer (along ``axes``, default all)."""
    with name_scope(name, "clip_by_norm", [t, clip_norm]) as scope:
        values = convert_to_tensor(t, name="t")
        l2sum = reduction_ops.reduce_sum(values * values, axes, keepdims=True)
        positive = l2sum > 0
        l2sum_safe = gather_ops.where(positive, l2sum, creation_ops.ones_like(l2sum))   # no NaN gradient at 0
        l2norm = gather_ops.where(positive, unary_ops.sqrt(l2sum_safe), l2sum)
        intermediate = values * clip_norm
        values.shape.merge_with(intermediate.shape)
        return array_ops.identity(intermediate / math_ops.maximum(l2norm, clip_norm), name=scope)


def global_norm(t_list: Any, name: "str | None" = None) -> Tensor:
    """``sqrt(sum of l2norm(t)**2 over t in t_list)`` (None entries are skipped)."""
    if not isinstance(t_list, (list, tuple)):
        raise TypeError("`t_list` should be a sequence of tensors. Received %s.\nFix: pass a list, e.g. "
                        "tf.global_norm([g1, g2])." % type(t_list))
    with name_scope(name, "global_norm", [t for t in t_list if t is not None]):
        values = [convert_to_tensor(t, name="t_%d" % i) for i, t in enumerate(t_list) if t is not None]
        half_squared_norms = [nn_ops.l2_loss(v) for v in values]
        half_squared_norm = reduction_ops.reduce_sum(concat_ops.stack(half_squared_norms))
        two = constant_op.constant(2.0, dtype=half_squared_norm.dtype)
        return unary_ops.sqrt(half_squared_norm * two, name="global_norm")


def clip_by_global_norm(t_list: Any, clip_norm: Any, use_norm: Any = None,
                        name: "str | None" = None) -> "tuple[list, Tensor]":
    """Scales every tensor of ``t_list`` by ``clip_norm / max(global_norm, clip_norm)``; returns the
    scaled list (None stays None) and the global norm. A NaN or infinite norm makes every value NaN."""
    if not isinstance(t_list, (list, tuple)):
        raise TypeError("`t_list` should be a sequence of tensors. Received %s.\nFix: pass the list of "
                        "gradients, e.g. tf.clip_by_global_norm(grads, 5.0)." % type(t_list))
    t_list = list(t_list)
    if use_norm is None:
        use_norm = global_norm(t_list, name)
    with name_scope(name, "clip_by_global_norm", [t for t in t_list if t is not None] + [clip_norm]) as scope:
        scale_for_finite = clip_norm * math_ops.minimum(
            1.0 / use_norm, constant_op.constant(1.0, dtype=use_norm.dtype) / clip_norm)
        scale = scale_for_finite + (use_norm - use_norm)             # NaN unless the norm is finite
        clipped = []
        for i, t in enumerate(t_list):
            if t is None:
                clipped.append(None)
            else:
                value = convert_to_tensor(t, name="t_%d" % i)
                clipped.append(array_ops.identity(value * scale, name="%s_%d" % (scope, i)))
        return clipped, use_norm

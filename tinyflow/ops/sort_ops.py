"""Sorting: ``tf.sort`` and ``tf.argsort``, composed from ``tf.nn.top_k`` as TensorFlow does.

This is a family of its own after ``nn_ops`` because ``top_k`` lives there. ``top_k`` of the
whole axis is a descending sort along the last axis; another axis is first swapped with the
last (and swapped back after); an ascending sort is the descending sort of ``-values`` (negated
back for ``sort``). The gradient is ``top_k``'s: each sorted value's gradient goes back to the
entry it came from. ``argsort`` keeps equal values in their original order.

TensorFlow's counterpart: ``python/ops/sort_ops.py``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..framework import Tensor, convert_to_tensor, name_scope
from ..tensor_util import constant_value
from . import array_ops, constant_op, nn_ops, unary_ops

__all__ = ["sort", "argsort"]


def sort(values: Any, axis: Any = -1, direction: str = "ASCENDING", name: "str | None" = None) -> Tensor:
    """``values`` sorted along ``axis`` (the last by default), ``'ASCENDING'`` or ``'DESCENDING'``."""
    with name_scope(name, "sort"):
        return _sort_or_argsort(values, axis, direction, return_argsort=False)


def argsort(values: Any, axis: Any = -1, direction: str = "ASCENDING", stable: bool = False,
            name: "str | None" = None) -> Tensor:
    """The int32 indices that sort ``values`` along ``axis``: ``gather(values, argsort(values))`` is
    sorted (1-D). Equal values keep their order, so ``stable`` changes nothing."""
    del stable
    with name_scope(name, "argsort"):
        return _sort_or_argsort(values, axis, direction, return_argsort=True)


def _sort_or_argsort(values: Any, axis: Any, direction: str, return_argsort: bool) -> Tensor:
    if not isinstance(direction, str) or direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError("%s should be one of ASCENDING, DESCENDING\nFix: direction='ASCENDING' (smallest first) "
                         "or 'DESCENDING'." % (direction,))
    axis = convert_to_tensor(axis, name="axis")
    axis_static = constant_value(axis)
    if axis.shape.ndims not in (None, 0) or axis_static is None or not axis.dtype.is_integer:
        raise ValueError("axis must be a constant scalar\nFix: sort along one axis known while building, e.g. "
                         "axis=-1.")
    values = convert_to_tensor(values, name="values")
    if direction == "DESCENDING":
        return _descending_sort(values, int(axis_static), return_argsort)
    result = _descending_sort(unary_ops.negative(values), int(axis_static), return_argsort)
    return result if return_argsort else unary_ops.negative(result)


def _descending_sort(values: Tensor, axis: int, return_argsort: bool) -> Tensor:
    k = array_ops.shape(values)[axis]
    rank = values.shape.ndims
    if rank is not None and not -rank <= axis < rank:
        raise ValueError("axis %d is out of range for a tensor of rank %d\nFix: sort along an axis of values."
                         % (axis, rank))
    transposition = None
    if axis != -1 and (rank is None or axis + 1 != rank):
        if rank is None:
            raise NotImplementedError("tinyflow sorts along an axis other than the last only with a known rank.")
        axis %= rank
        perm = np.r_[np.arange(axis), [rank - 1], np.arange(axis + 1, rank - 1), [axis]].astype(np.int32)
        transposition = constant_op.constant(perm, name="transposition")
        values = array_ops.transpose(values, transposition)
    top_values, indices = nn_ops.top_k(values, k)
    result = indices if return_argsort else top_values
    return result if transposition is None else array_ops.transpose(result, transposition)

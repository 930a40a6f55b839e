"""Comparisons and logic: ``tf.equal``, ``tf.less``, ..., ``tf.logical_and``, ``tf.logical_not``.

Their outputs are ``bool`` tensors, so no gradient flows through them (``NoGradient``).

TensorFlow's counterparts: ``python/ops/math_ops.py``, ``core/ops/math_ops.cc``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import dtypes
from ..framework import Tensor, convert_to_tensor, name_scope
from ..op_def_library import broadcast_rule, convert_pair, make_tensor, same_shape
from ..op_registry import NoGradient, primitive

__all__ = ["equal", "not_equal", "less", "less_equal", "greater", "greater_equal", "logical_and",
           "logical_or", "logical_not", "logical_xor"]


# --------------------------------------------------------------------------------------------
# Comparisons and logic (no gradients: their outputs are bool)
# --------------------------------------------------------------------------------------------
def _compare(op_type: str, x: Any, y: Any, name: "str | None") -> Tensor:
    with name_scope(name, op_type, [x, y]) as scope:
        x, y = convert_pair(x, y, op_type)
        return make_tensor(op_type, [x, y], dtypes.bool, scope)


def equal(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """``x == y`` elementwise, as a bool tensor. (Python's ``==`` on tensors compares identity.)"""
    return _compare("Equal", x, y, name)


def not_equal(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """``x != y`` elementwise."""
    return _compare("NotEqual", x, y, name)


def less(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """``x < y`` elementwise."""
    return _compare("Less", x, y, name)


def less_equal(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """``x <= y`` elementwise."""
    return _compare("LessEqual", x, y, name)


def greater(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """``x > y`` elementwise."""
    return _compare("Greater", x, y, name)


def greater_equal(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """``x >= y`` elementwise."""
    return _compare("GreaterEqual", x, y, name)


def check_bool(t: Tensor, op_type: str, arg: str) -> None:
    if not t.dtype.is_bool:
        raise TypeError("Input '%s' of '%s' Op has type %s that does not match expected type of bool.\n"
                        "Fix: logical ops need bool tensors, e.g. from a comparison (x > 0) or "
                        "tf.cast(t, tf.bool)." % (arg, op_type, t.dtype.base_dtype.name))


def _logical(op_type: str, x: Any, y: Any, name: "str | None") -> Tensor:
    with name_scope(name, op_type, [x, y]) as scope:
        x = convert_to_tensor(x, dtype=None if isinstance(x, Tensor) else dtypes.bool, name="x")
        check_bool(x, op_type, "x")
        x, y = convert_pair(x, y, op_type)
        return make_tensor(op_type, [x, y], dtypes.bool, scope)


def logical_and(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """Elementwise AND of bool tensors."""
    return _logical("LogicalAnd", x, y, name)


def logical_or(x: Any, y: Any, name: "str | None" = None) -> Tensor:
    """Elementwise OR of bool tensors."""
    return _logical("LogicalOr", x, y, name)


def logical_not(x: Any, name: "str | None" = None) -> Tensor:
    """Elementwise NOT of a bool tensor."""
    with name_scope(name, "LogicalNot", [x]) as scope:
        x = convert_to_tensor(x, dtype=None if isinstance(x, Tensor) else dtypes.bool, name="x")
        check_bool(x, "LogicalNot", "x")
        return make_tensor("LogicalNot", [x], dtypes.bool, scope)


def logical_xor(x: Any, y: Any, name: str = "LogicalXor") -> Tensor:
    """Elementwise XOR, built as TF1 does: ``(x or y) and not (x and y)``."""
    return logical_and(logical_or(x, y), logical_not(logical_and(x, y)), name=name)


for _type, _fn in [("Equal", np.equal), ("NotEqual", np.not_equal), ("Less", np.less),
                   ("LessEqual", np.less_equal), ("Greater", np.greater),
                   ("GreaterEqual", np.greater_equal), ("LogicalAnd", np.logical_and),
                   ("LogicalOr", np.logical_or)]:
    primitive(_type, shape=broadcast_rule)(lambda ctx, x, y, _fn=_fn: np.asarray(_fn(x, y)))
    NoGradient(_type)
primitive("LogicalNot", shape=same_shape)(lambda ctx, x: np.logical_not(x))
NoGradient("LogicalNot")

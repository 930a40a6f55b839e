"""Ordering ops: ``tf.no_op``, ``tf.group``, ``tf.tuple`` and ``tf.control_dependencies``.

A session runs only what the fetches need. To make it run something *else* as well (the
initializers of all variables, several training updates), TF1 uses an op that computes
nothing but has **control inputs**: ``tf.group(a, b)`` is a ``NoOp`` that runs after ``a``
and ``b``. Fetching it runs them; ``sess.run(group_op)`` returns ``None``.

TensorFlow's counterparts: ``python/ops/control_flow_ops.py`` (``group``, ``tuple``,
``with_dependencies``), ``core/ops/no_op.cc``.
"""
from __future__ import annotations

import builtins
from typing import Any, Sequence

from ..framework import (Operation, Tensor, control_dependencies, convert_to_tensor, get_default_graph,
                         name_scope)
from ..op_registry import NoGradient, primitive
from . import array_ops

__all__ = ["no_op", "group", "tuple", "with_dependencies", "control_dependencies"]


def no_op(name: "str | None" = None) -> Operation:
    """An op that does nothing (useful as a target for control dependencies)."""
    return get_default_graph().create_op("NoOp", [], [], name=name or "NoOp")


@primitive("NoOp")
def _no_op_kernel(ctx):
    return ()          # no outputs


NoGradient("NoOp")


def _flatten_inputs(inputs: Any) -> list:
    out = []
    for x in inputs:
        if isinstance(x, (list, builtins.tuple)):
            out.extend(_flatten_inputs(x))
        elif isinstance(x, dict):
            out.extend(_flatten_inputs(list(x.values())))
        else:
            out.append(x)
    return out


def group(*inputs: Any, name: "str | None" = None) -> Operation:
    """A ``NoOp`` that runs after all ``inputs`` (ops, tensors or variables, possibly in lists).

    ``sess.run(tf.group(a, b))`` runs ``a`` and ``b`` and returns ``None``.
    """
    inputs = _flatten_inputs(inputs)
    for x in inputs:
        if not hasattr(x, "_as_graph_element"):
            raise TypeError("Expected tf.group() expected Tensor arguments not '%s' with type '%s'"
                            % (x, type(x)))
    with name_scope(name, "group_deps", inputs) as scope:
        if not inputs:
            return no_op(name=scope)
        with control_dependencies(inputs):
            return no_op(name=scope)


def with_dependencies(dependencies: Sequence[Any], output_tensor: Any, name: "str | None" = None) -> Tensor:
    """``output_tensor``'s value, produced only after ``dependencies`` have run (an Identity)."""
    with name_scope(name, "control_dependency", list(dependencies) + [output_tensor]) as scope:
        with control_dependencies(dependencies):
            return array_ops.identity(convert_to_tensor(output_tensor), name=scope)


def tuple(tensors: Sequence[Any], name: "str | None" = None,  # noqa: A001 (TF's name)
          control_inputs: "Sequence[Any] | None" = None) -> list:
    """Groups tensors: each returned tensor is available only after *all* of them are computed.

    Returns a list with one ``Identity`` per tensor (``tuple/control_dependency``, ...), each with
    a control input on a shared ``tuple/group_deps``. Operations in ``tensors`` become groups;
    ``None`` entries stay ``None``.
    """
    with name_scope(name, "tuple", [t for t in tensors if t is not None]):
        tensors = [t if t is None or isinstance(t, (Operation, Tensor)) else convert_to_tensor(t)
                   for t in tensors]
        gating = [t if isinstance(t, Operation) else t.op for t in tensors if t is not None]
        for c in control_inputs or ():
            if isinstance(c, Tensor):
                c = c.op
            elif not isinstance(c, Operation):
                raise TypeError("Control input must be Operation or Tensor: %s" % (c,))
            gating.append(c)
        unique = []
        for op in sorted(gating, key=lambda o: o._id):     # creation order: deterministic
            if op not in unique:
                unique.append(op)
        if not unique:
            raise ValueError("Must have at least one Tensor: %s" % (tensors,))
        gate = group(*unique)
        result = []
        for t in tensors:
            if isinstance(t, Tensor):
                result.append(with_dependencies([gate], t))
            elif isinstance(t, Operation):
                with control_dependencies([gate]):
                    result.append(group(t))
            else:
                result.append(None)
        return result

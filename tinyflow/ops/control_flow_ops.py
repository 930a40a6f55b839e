"""Ordering ops (``tf.no_op``, ``tf.group``, ``tf.tuple``) and the primitives of TF1's control flow.

**Ordering.**
A session runs only what the fetches need. To make it run something *else* as well (the
initializers of all variables, several training updates), TF1 uses an op that computes
nothing but has **control inputs**: ``tf.group(a, b)`` is a ``NoOp`` that runs after ``a``
and ``b``. Fetching it runs them; ``sess.run(group_op)`` returns ``None``.

**Control flow inside a dataflow graph.** A graph has no ``if`` and no ``for``: TF1 builds
them from six small ops, and :mod:`cond` and :mod:`while_loop` put them together.

* ``Switch(data, pred)`` has two outputs: ``data`` goes to output 1 if ``pred`` is true, else to
  output 0; the other output is *dead*. An op with a dead input does not run, and its outputs
  are dead too (so a whole branch is skipped).
* ``Merge(inputs)`` passes on the one input that is alive (and its index).
* ``Enter`` takes a value into a loop's *frame* (its body, run once per iteration), ``Exit``
  takes one out; ``NextIteration`` hands a value to the next iteration, ``LoopCond`` holds the
  loop's predicate.

Ops built inside a branch or a body belong to a :class:`ControlFlowContext`, which brings in
every outside tensor they use through a ``Switch`` (branch) or an ``Enter`` (body).

TensorFlow's counterparts: ``python/ops/control_flow_ops.py`` (``group``, ``tuple``,
``with_dependencies``, ``ControlFlowContext``), ``core/ops/no_op.cc``, ``core/ops/control_flow_ops.cc``.
"""
from __future__ import annotations

import builtins
from typing import Any, Sequence

import numpy as np

from .. import dtypes
from ..framework import (Operation, Tensor, control_dependencies, convert_to_tensor, get_default_graph,
                         name_scope)
from ..op_def_library import make_op
from ..op_registry import DEAD, NoGradient, primitive
from ..tensor_shape import TensorShape
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


# --------------------------------------------------------------------------------------------
# The primitives of control flow
# --------------------------------------------------------------------------------------------
def switch(data: Any, pred: Any, name: "str | None" = None) -> "builtins.tuple[Tensor, Tensor]":
    """``(output_false, output_true)``: ``data`` on the side ``pred`` chooses, the other side dead.

    A reference (a variable) goes through a ``RefSwitch`` and stays a reference."""
    with name_scope(name, "Switch", [data, pred]) as scope:
        data = convert_to_tensor(data, name="data")
        pred = convert_to_tensor(pred, name="pred")
        if pred.dtype.base_dtype is not dtypes.bool:
            raise TypeError("Input 'pred' of 'Switch' Op has type %s that does not match expected type of bool."
                            "\nFix: the predicate must be a bool tensor, e.g. `x > 0` or `tf.cast(flag, tf.bool)`."
                            % pred.dtype.base_dtype.name)
        op_type = "RefSwitch" if data.dtype.is_ref else "Switch"
        op = make_op(op_type, [data, pred], [data.dtype, data.dtype], scope, attrs={"T": data.dtype.base_dtype})
        return op.outputs[0], op.outputs[1]


def _switch_shape(op: Operation) -> list:
    pred = op.inputs[1].shape
    if pred.ndims not in (None, 0):
        raise ValueError("Shape must be rank 0 but is rank %d for '%s' (op: '%s') with input shapes: %s, %s."
                         "\nFix: a tf.cond predicate is one bool, e.g. `tf.reduce_all(x > 0)` rather than `x > 0`."
                         % (pred.ndims, op.name, op.type, op.inputs[0].shape.debug_string(), pred.debug_string()))
    return [op.inputs[0].shape, op.inputs[0].shape]


@primitive("Switch", shape=_switch_shape)
def _switch_kernel(ctx, data, pred):
    return (DEAD, data) if pred else (data, DEAD)


primitive("RefSwitch", shape=_switch_shape)(_switch_kernel)


def merge(inputs: Sequence[Any], name: "str | None" = None) -> "builtins.tuple[Tensor, Tensor]":
    """``(output, value_index)``: the one input that is alive, and which one it was."""
    with name_scope(name, "Merge", list(inputs)) as scope:
        inputs = [convert_to_tensor(t) for t in inputs]
        dtype = inputs[0].dtype
        for t in inputs[1:]:
            if t.dtype.base_dtype is not dtype.base_dtype:
                raise TypeError("Inputs to Merge must all have the same type, but %s is %s and %s is %s."
                                % (inputs[0].name, dtype.base_dtype.name, t.name, t.dtype.base_dtype.name))
        op_type = "RefMerge" if all(t.dtype.is_ref for t in inputs) else "Merge"
        out = dtype if op_type == "RefMerge" else dtype.base_dtype
        op = make_op(op_type, inputs, [out, dtypes.int32], scope, attrs={"T": dtype.base_dtype, "N": len(inputs)})
        return op.outputs[0], op.outputs[1]


def _merge_shape(op: Operation) -> list:
    """The shape all inputs share: dimensions that differ (or inputs of different ranks) are unknown."""
    shapes = [t.shape for t in op.inputs]
    shape = shapes[0]
    for other in shapes[1:]:
        if shape.ndims is None or other.ndims != shape.ndims:
            shape = TensorShape(None)
            break
        shape = TensorShape([a if a == b else None for a, b in zip(shape.as_tuple(), other.as_tuple())])
    return [shape, TensorShape([])]


@primitive("Merge", shape=_merge_shape)
def _merge_kernel(ctx, *inputs):
    for i, value in enumerate(inputs):
        if value is not DEAD:
            return value, np.int32(i)
    return DEAD, DEAD


primitive("RefMerge", shape=_merge_shape)(_merge_kernel)


def _same_shape(op: Operation) -> list:
    return [op.inputs[0].shape]


def _pass_through(ctx, x):
    """Enter, Exit, NextIteration and LoopCond pass a value on; what they mean for a loop, the
    session's frames take care of (see ``frames.py``)."""
    return x


for _op_type in ("Enter", "RefEnter", "Exit", "RefExit", "NextIteration", "RefNextIteration", "LoopCond"):
    primitive(_op_type, shape=_same_shape)(_pass_through)


def enter(data: Tensor, frame_name: str, is_constant: bool = False, parallel_iterations: int = 10,
          name: str = "Enter") -> Tensor:
    """``data`` inside the loop frame ``frame_name``: for a loop variable the value of the first
    iteration, for a loop constant (``is_constant``) the same value in every iteration."""
    op_type = "RefEnter" if data.dtype.is_ref else "Enter"
    return make_op(op_type, [data], [data.dtype], name,
                   attrs={"T": data.dtype.base_dtype, "frame_name": frame_name, "is_constant": bool(is_constant),
                          "parallel_iterations": int(parallel_iterations)}).outputs[0]


def exit(data: Tensor, name: str = "Exit") -> Tensor:  # noqa: A001 (TF's name)
    """``data``'s value when the loop ends, outside the frame."""
    op_type = "RefExit" if data.dtype.is_ref else "Exit"
    return make_op(op_type, [data], [data.dtype], name, attrs={"T": data.dtype.base_dtype}).outputs[0]


def next_iteration(data: Tensor, name: str = "NextIteration") -> Tensor:
    """``data`` as the next iteration's value of a loop variable (the loop's back edge)."""
    op_type = "RefNextIteration" if data.dtype.is_ref else "NextIteration"
    return make_op(op_type, [data], [data.dtype], name, attrs={"T": data.dtype.base_dtype}).outputs[0]


def loop_cond(pred: Tensor, name: str = "LoopCond") -> Tensor:
    """The predicate of a loop: the body runs again while it is true."""
    return make_op("LoopCond", [pred], [dtypes.bool], name).outputs[0]


NoGradient("LoopCond")


def control_trigger(name: str = "ControlTrigger") -> Operation:
    """An op that does nothing and, unlike a NoOp, runs even when its control inputs are dead."""
    return get_default_graph().create_op("ControlTrigger", [], [], name=name)


primitive("ControlTrigger")(lambda ctx: ())
NoGradient("ControlTrigger")


# --------------------------------------------------------------------------------------------
# Contexts: where the ops of a branch or a loop body are built
# --------------------------------------------------------------------------------------------
class ControlFlowContext:
    """The branch or loop body that ops are being built in (``graph._control_flow_context``).

    Every op built inside is recorded with its context. A tensor from outside that such an op
    uses is brought in once, by :meth:`add_value` (a ``Switch`` for a branch, an ``Enter`` for a
    loop body), and the op uses what comes out."""

    def __init__(self):
        self._graph = get_default_graph()
        self._outer_context = self._graph._control_flow_context
        self._values: "set[Tensor]" = set()                 # the tensors that belong here
        self._external_values: "dict[Tensor, Tensor]" = {}  # outside tensor -> its value in here
        self._graph._has_control_flow = True

    outer_context = property(lambda self: self._outer_context)

    def Enter(self) -> None:  # noqa: N802 (TF's names)
        self._graph._control_flow_context = self

    def Exit(self) -> None:  # noqa: N802
        self._graph._control_flow_context = self._outer_context

    def add_value(self, t: Tensor) -> Tensor:
        raise NotImplementedError

    def process_inputs(self, name: str, inputs: "builtins.tuple[Tensor, ...]") -> "builtins.tuple[Tensor, ...]":
        """The inputs of an op about to be built here (named ``name``), outside ones brought in.
        The Switches and Enters this makes are named after the op: ``cond/mul/Switch``."""
        values = self._values
        if all(t in values for t in inputs):
            return inputs
        graph = self._graph
        scope = graph._name_stack
        graph._name_stack = name
        try:
            return builtins.tuple([t if t in values else self.add_value(t) for t in inputs])
        finally:
            graph._name_stack = scope

    def add_op(self, op: Operation) -> None:
        """Records an op built here; its outputs belong here and to every enclosing context. Only
        a loop's Exit can be fetched (the rest may not have a value, or have one per iteration)."""
        self._graph._op_contexts[op] = self
        if op._type not in ("Exit", "RefExit") or self._outer_context is not None:
            self._graph.prevent_fetching(op)
        context = self
        while context is not None:
            context._values.update(op._outputs)
            context = context._outer_context

    def _build_outside(self, fn: Any, *args: Any, keep_control_dependencies: bool = False) -> Any:
        """``fn(*args)`` built outside any context (its inputs are already what the enclosing context
        sees), free of control dependencies unless ``keep_control_dependencies``, and the op it makes
        recorded here: the Switch or Enter that brings a value in."""
        graph = self._graph
        if keep_control_dependencies:
            graph._control_flow_context = None
            try:
                result = fn(*args)
            finally:
                graph._control_flow_context = self
        else:
            with control_dependencies(None):
                result = fn(*args)
        self.add_op((result[0] if isinstance(result, builtins.tuple) else result).op)
        return result

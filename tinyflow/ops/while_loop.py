"""``tf.while_loop``: a loop inside the graph, a *frame* of ops run once per iteration.

``tf.while_loop(cond, body, loop_vars)`` calls ``cond`` and ``body`` once, to build the loop:

* each loop variable enters the frame through an ``Enter`` and meets its next value in a
  ``Merge`` (``while/Merge``): the first iteration gets the ``Enter``'s value, each later one the
  ``NextIteration`` that the body produced (the *back edge*, the only edge in a graph that goes
  back to an older op);
* ``cond`` is built on the ``Merge`` values and ends in ``while/LoopCond``;
* a ``Switch`` on it sends each value into the body (through ``while/Identity``) while the
  predicate is true, and out through ``while/Exit`` when it is false.

A tensor from outside that the body or ``cond`` uses comes in once through an ``Enter`` with
``is_constant=True`` (``while/mul/Enter``): the same value in every iteration.

A session runs the frame as a sub-plan (``session.LoopPlan``): per iteration the ops up to
``LoopCond``, then the body; no graph walk per iteration. Gradients: ``control_flow_grad``.

TensorFlow's counterparts: ``python/ops/while_loop.py`` (``while_loop``) and
``control_flow_ops.py`` (``WhileContext``).
"""
from __future__ import annotations

import builtins
import inspect
from typing import Any, Callable

from .. import dtypes
from ..framework import (GraphKeys, Operation, Tensor, add_to_collection, control_dependencies, convert_to_tensor,
                         name_scope)
from ..tensor_shape import TensorShape, as_shape
from . import array_ops, comparison_ops, cond as cond_module, control_flow_ops

__all__ = ["while_loop"]


class WhileContext(control_flow_ops.ControlFlowContext):
    """The body (and predicate) of one ``tf.while_loop``: the frame ``name``."""

    def __init__(self, maximum_iterations: Any = None, parallel_iterations: int = 10, back_prop: bool = True,
                 swap_memory: bool = False, name: str = "while_context"):
        super().__init__()
        self.name = self._graph.unique_name(name)
        self.maximum_iterations = maximum_iterations
        self.parallel_iterations, self.back_prop, self.swap_memory = parallel_iterations, back_prop, swap_memory
        self.pivot: "Tensor | None" = None             # LoopCond
        self.pivot_for_pred: "Tensor | None" = None    # the first Merge
        self.pivot_for_body: "Tensor | None" = None    # the first Identity
        self.loop_enters: "list[Tensor]" = []
        self.loop_exits: "list[Tensor]" = []
        self.grad_state: Any = None                    # set on a gradient loop (control_flow_grad)
        self.forward_grad_state: Any = None            # set on a forward loop being differentiated

    def control_pivot(self) -> "Tensor | None":
        return self.pivot_for_body if self.pivot_for_body is not None else self.pivot_for_pred

    def add_value(self, t: Tensor) -> Tensor:
        """``t`` (from outside) as the loop sees it: an ``Enter`` with ``is_constant``, made once.
        In a gradient loop, a value of the forward loop comes from that loop's saved history."""
        found = self._external_values.get(t)
        if found is not None:
            return found
        if t in self._values and t.op._get_control_flow_context() is self:
            return t
        if self.grad_state is not None:
            real = self.grad_state.real_value_for(t)
            if real is not None:
                self._external_values[t] = real
                return real
        real = t
        if self._outer_context is not None:
            real = self._outer_context.add_value(t)
        result = self._build_outside(control_flow_ops.enter, real, self.name, True, self.parallel_iterations)
        self._graph.prevent_feeding(result)
        self._values.add(result)
        self._external_values[t] = result
        return result

    def add_op(self, op: Operation) -> None:
        super().add_op(op)
        if op._type not in ("Exit", "RefExit") or self._outer_context is not None:
            for t in op._outputs:           # a value per iteration: it cannot be fed either
                self._graph.prevent_feeding(t)
        if op._type in ("Enter", "RefEnter", "Merge", "RefMerge", "LoopCond"):
            return
        # A control input from outside the loop (a `tf.control_dependencies` around the body) is
        # replaced by one on an Identity of its value entered into the loop, as TF1 does: the loop
        # then waits for it once, and the op stays in the loop's frame.
        outside = [c for c in op._control_inputs if not self._contains(c)]
        if outside:
            op._control_inputs = [c for c in op._control_inputs if c not in outside]
        pivot = self.control_pivot()
        if pivot is not None:
            if not op._inputs:
                if not op._control_inputs:
                    op._add_control_input(pivot.op)     # a constant runs once per iteration
            elif not op._control_inputs and all(t.op._type in ("Enter", "RefEnter") and
                                                t.op._attrs.get("is_constant") for t in op._inputs):
                op._add_control_input(pivot.op)         # only loop constants as inputs: wait for the iteration
        if outside:
            graph = self._graph
            with control_dependencies(None):
                graph._control_flow_context = self
                pulled = [array_ops.identity(self.add_value(c._outputs[0])).op for c in outside if c._outputs]
            for p in pulled:
                op._add_control_input(p)

    def _contains(self, op: Operation) -> bool:
        """Whether ``op`` was built in this loop (or in a branch or loop inside it)."""
        context = op._get_control_flow_context()
        while context is not None:
            if context is self:
                return True
            context = context.outer_context
        return False

    def build_loop(self, cond: Callable, body: Callable, loop_vars: Any, shape_invariants: Any) -> "tuple[Any, list]":
        originals = cond_module.flatten(loop_vars)
        flat = [cond_module.as_flow(v) for v in originals]
        invariants = ([v.shape if s is None else as_shape(s)          # (None: the variable's own shape, as TF)
                       for v, s in zip(flat, cond_module.flatten(shape_invariants))] if shape_invariants is not None
                      else [v.shape for v in flat])
        real = [self._outer_context.add_value(v) if self._outer_context is not None else v for v in flat]
        self.Enter()
        try:
            with control_dependencies(None):
                enters = [self._build_outside(_loop_var_enter, v, self) for v in real]
            for v, e, shape in zip(flat, enters, invariants):
                if not _shape_less_than_or_equal(v.shape, shape):
                    raise ValueError("The shape invariant specified for %s is not compatible with the initial shape "
                                     "of the loop variable. It enters the loop with shape %s, but the specified shape "
                                     "invariant is %s." % (v.name, v.shape, shape))
                e._shape = shape
                self._graph.prevent_feeding(e)
            self.loop_enters = enters
            merges = [control_flow_ops.merge([e, e])[0] for e in enters]
            self.pivot_for_pred = merges[0]
            entered = cond_module.pack_sequence_as(loop_vars, cond_module.with_flows(originals, merges))
            c = convert_to_tensor(_call(cond, "cond", entered))
            if c.dtype.base_dtype is not dtypes.bool or c.shape.ndims not in (None, 0):
                raise ValueError("The loop condition must return a scalar bool tensor, got %s.\nFix: e.g. "
                                 "`lambda i, x: i < 10` (use tf.reduce_all / tf.reduce_any to make one bool)." % c)
            self.pivot = control_flow_ops.loop_cond(c, name="LoopCond")
            switches = [control_flow_ops.switch(m, self.pivot) for m in merges]
            for s in switches:
                self._graph.prevent_fetching(s[0].op)
            body_vars = [array_ops.identity(s[1]) for s in switches]
            self.pivot_for_body = body_vars[0]
            packed = cond_module.pack_sequence_as(loop_vars, cond_module.with_flows(originals, body_vars))
            result = _call(body, "body", packed)
            if not isinstance(result, (list, builtins.tuple, dict)):
                result = [result]
            mismatch = cond_module.structure_mismatch(list(packed) if isinstance(packed, builtins.tuple) else packed,
                                                      list(result) if isinstance(result, builtins.tuple) else result)
            if mismatch is not None:
                kind, text = mismatch
                raise kind("%s\nFix: the body must return the loop variables in the structure of loop_vars (the first "
                           "structure), one new value for each." % text)
            next_values = [cond_module.as_flow(v) for v in cond_module.flatten(result)]
            if len(next_values) != len(merges):
                raise ValueError("Number of inputs and outputs of body must match loop_vars: %d, %d"
                                 % (len(merges), len(next_values)))
            for m, v, var in zip(merges, next_values, flat):
                add_next_and_back_edge(m, v, var)
            exits = [control_flow_ops.exit(s[0]) for s in switches]
            self.loop_exits = exits
        finally:
            self.Exit()
        return result, cond_module.with_flows(cond_module.flatten(result), exits)


def _call(fn: Callable, what: str, loop_vars: Any) -> Any:
    """``fn(*loop_vars)``; a function that does not take that many arguments gets a clear error."""
    try:
        inspect.signature(fn).bind(*loop_vars)
    except TypeError as e:
        raise TypeError("tf.while_loop calls %s(*loop_vars) with %d loop variables, but %s.\nFix: give %s one "
                        "parameter per loop variable, e.g. `lambda i, x: ...` for loop_vars=[i, x]."
                        % (what, len(loop_vars), e, what)) from None
    except ValueError:                          # (no signature to check: a builtin)
        pass
    return fn(*loop_vars)


def _loop_var_enter(value: Tensor, context: WhileContext) -> Tensor:
    return control_flow_ops.enter(value, context.name, False, context.parallel_iterations)


def _check_invariants(shape_invariants: Any) -> None:
    if not isinstance(shape_invariants, (list, builtins.tuple, dict)):
        raise TypeError("shape_invariants must have the structure of loop_vars, with one shape per loop variable, got "
                        "%r.\nFix: e.g. shape_invariants=[tf.TensorShape([]), tf.TensorShape([None, 3])]."
                        % (shape_invariants,))
    for s in cond_module.flatten(shape_invariants):
        try:
            if s is not None:
                as_shape(s)
        except (TypeError, ValueError) as e:
            raise TypeError("shape_invariants must hold shapes (tf.TensorShape, or lists of sizes and None), got "
                            "%r: %s\nFix: e.g. tf.TensorShape([None]) for a vector whose length changes." % (s, e)) \
                from None


def _shape_less_than_or_equal(shape1: TensorShape, shape2: TensorShape) -> bool:
    if shape2.ndims is None:
        return True
    if shape1.ndims != shape2.ndims:
        return False
    return all(b is None or a == b for a, b in zip(shape1.as_tuple(), shape2.as_tuple()))


def add_next_and_back_edge(merge_var: Tensor, value: Tensor, loop_var: "Tensor | None" = None,
                           enforce_shape_invariant: bool = True) -> Tensor:
    """Closes a loop variable: ``NextIteration(value)`` becomes its Merge's second input."""
    enter = merge_var.op.inputs[0].op
    if value.dtype.base_dtype is not merge_var.dtype.base_dtype:
        name = (loop_var if loop_var is not None else enter.inputs[0]).name
        raise ValueError("Input 1 of node %s was passed %s from %s incompatible with expected %s.\n(tinyflow: the body "
                        "changed the dtype of the loop variable %s.)\nFix: return it with its dtype, e.g. "
                        "`tf.cast(..., tf.%s)`." % (merge_var.op.name, value.dtype.base_dtype.name, value.name,
                                                   merge_var.dtype.base_dtype.name, name,
                                                   merge_var.dtype.base_dtype.name))
    nxt = control_flow_ops.next_iteration(value)
    if enforce_shape_invariant and not _shape_less_than_or_equal(nxt.shape, merge_var.shape):
        input_t = enter.inputs[0]
        raise ValueError("Input tensor '%s' enters the loop with shape %s, but has shape %s after one iteration. To "
                         "allow the shape to vary across iterations, use the `shape_invariants` argument of "
                         "tf.while_loop to specify a less-specific shape.\nFix: e.g. shape_invariants=[..., "
                         "tf.TensorShape(%s), ...] for this loop variable%s." % (
                             input_t.name, input_t.shape, nxt.shape,
                             [None] * (nxt.shape.ndims or 0) if nxt.shape.ndims is not None else None,
                             "; or, if its shape should not change, start it with the shape it has after one "
                             "iteration (e.g. tf.zeros_like(x) rather than 0.0)" if input_t.shape.ndims == 0 and
                             nxt.shape.ndims else ""))
    merge_var.op._update_input(1, nxt)
    return nxt


def while_loop(cond: Callable, body: Callable, loop_vars: Any, shape_invariants: Any = None,
               parallel_iterations: int = 10, back_prop: bool = True, swap_memory: bool = False,
               name: "str | None" = None, maximum_iterations: Any = None, return_same_structure: bool = False) -> Any:
    """Repeats ``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)``, when the graph runs.

    ``loop_vars`` is a tensor or a (nested) list/tuple/dict of them; ``body`` returns the same
    structure, each with its dtype and shape (or a shape its ``shape_invariants`` allows). The
    result is the loop variables' final values (``while/Exit``, ``while/Exit_1``, ...).
    ``maximum_iterations`` stops the loop after that many iterations.
    """
    with name_scope(name, "while", cond_module.flatten(loop_vars) if loop_vars is not None else []):
        if loop_vars is None or (isinstance(loop_vars, (list, builtins.tuple, dict)) and not loop_vars):
            raise ValueError("No loop variables provided")
        if not callable(cond):
            raise TypeError("cond must be callable.")
        if not callable(body):
            raise TypeError("body must be callable.")
        if not isinstance(parallel_iterations, int) or parallel_iterations < 1:
            raise TypeError("parallel_iterations must be a positive integer.")
        try_to_pack = isinstance(loop_vars, (list, builtins.tuple)) and len(loop_vars) == 1 and \
            not return_same_structure
        if not isinstance(loop_vars, (list, builtins.tuple)):
            loop_vars = [loop_vars]
            try_to_pack = not return_same_structure
            if shape_invariants is not None:
                shape_invariants = [shape_invariants]
        if maximum_iterations is not None:
            maximum_iterations = convert_to_tensor(maximum_iterations, name="maximum_iterations")
            if maximum_iterations.shape.ndims != 0:
                raise ValueError("maximum_iterations must be a scalar, saw shape: %s" % maximum_iterations.shape)
            counter = convert_to_tensor(0, dtype=maximum_iterations.dtype, name="iteration_counter")
            orig_cond, orig_body, limit = cond, body, maximum_iterations
            if try_to_pack:
                loop_vars = (counter, loop_vars[0])
                cond = lambda i, lv: comparison_ops.logical_and(comparison_ops.less(i, limit), orig_cond(lv))  # noqa: E731
                body = lambda i, lv: (i + 1, orig_body(lv))  # noqa: E731
            else:
                loop_vars = (counter, builtins.tuple(loop_vars) if isinstance(loop_vars, list) else loop_vars)
                cond = lambda i, lv: comparison_ops.logical_and(comparison_ops.less(i, limit), orig_cond(*lv))  # noqa: E731
                body = lambda i, lv: (i + 1, orig_body(*lv))  # noqa: E731
            if shape_invariants is not None:
                _check_invariants(shape_invariants)
                if try_to_pack and (not isinstance(shape_invariants, (list, builtins.tuple)) or
                                    len(shape_invariants) != 1):
                    raise ValueError("The two structures don't have the same number of elements: loop_vars has 1, "
                                     "shape_invariants %d.\nFix: give one shape per loop variable."
                                     % len(cond_module.flatten(shape_invariants)))
                shape_invariants = (TensorShape([]), shape_invariants[0] if try_to_pack else shape_invariants)
            try_to_pack = False
        context = WhileContext(maximum_iterations, parallel_iterations, back_prop, swap_memory)
        if context.outer_context is None:
            add_to_collection(GraphKeys.WHILE_CONTEXT, context)
        if shape_invariants is not None:
            _check_invariants(shape_invariants)
        if shape_invariants is not None and len(cond_module.flatten(loop_vars)) != len(
                cond_module.flatten(shape_invariants)):
            raise ValueError("The two structures don't have the same number of elements: loop_vars has %d, "
                             "shape_invariants %d.\nFix: give one shape per loop variable, in the same structure."
                             % (len(cond_module.flatten(loop_vars)), len(cond_module.flatten(shape_invariants))))
        result, exits = context.build_loop(cond, body, loop_vars, shape_invariants)
        packed = cond_module.pack_sequence_as(result, exits)
        if maximum_iterations is not None:
            return packed[1]
        if return_same_structure:
            return packed
        return packed[0] if len(exits) == 1 else packed

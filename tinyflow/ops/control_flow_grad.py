"""The gradient of a ``tf.while_loop``: a second loop that runs the iterations backwards.

``tf.gradients`` meets a forward loop at its ``Exit`` ops and builds, as TF1 does:

1. a **forward counter**, one more loop variable of the forward loop (``gradients/f_count``):
   how many iterations ran;
2. the **gradient loop** (frame ``gradients/while/while_context``), which counts that number
   back down to zero (``gradients/b_count``) and carries one gradient per loop variable, in
   through ``b_exit`` (the gradient at the forward ``Exit``), round through ``b_switch``
   (a ``Merge``), out through an ``Exit`` (the gradient of the variable's initial value);
3. its body, the gradients of the forward body's ops, built inside the gradient loop. A value of
   the forward loop that they need was different in every iteration: the forward loop pushes it
   on a stack each iteration (``f_acc``, ``StackPushV2``) and the gradient loop pops it
   (``StackPopV2``), last first. Constants are copied, loop constants entered once;
4. for each loop constant (an outside tensor the body used), an **accumulator** loop variable
   (``b_acc``) that sums its gradient over the iterations.

``gradients.py`` drives the traversal; this module builds the loops and the stacks.
TensorFlow's counterparts: ``python/ops/control_flow_state.py`` (``_GradLoopState``),
``control_flow_grad.py`` and ``control_flow_ops.py`` (``AddForwardLoopCounter``,
``AddBackpropLoopCounter``, ``AddBackpropAccumulator``).
"""
from __future__ import annotations

from typing import Any

from .. import dtypes
from ..framework import Operation, Tensor, control_dependencies
from ..op_registry import NoGradient
from . import (comparison_ops, cond, constant_op, control_flow_ops, creation_ops, data_flow_ops, math_ops,
               while_loop)

__all__: "list[str]" = []


def while_context_of(t: Tensor) -> Any:
    """The innermost ``tf.while_loop`` a tensor belongs to (an Exit's value is outside its loop)."""
    context = t.op._get_control_flow_context()
    if context is not None and t.op._type in ("Exit", "RefExit"):
        context = context.outer_context
    while context is not None and not isinstance(context, while_loop.WhileContext):
        context = context.outer_context
    return context


def _loop_constant_enter(t: Tensor) -> "Operation | None":
    op = t.op
    while op._type in ("Identity", "RefIdentity"):
        op = op._inputs[0].op
    if op._type in ("Enter", "RefEnter") and op._attrs.get("is_constant"):
        return op
    return None


class _InContext:
    """``with _InContext(graph, context):`` builds in ``context`` (a branch, a loop or None)."""

    __slots__ = ("graph", "context", "saved")

    def __init__(self, graph: Any, context: Any):
        self.graph, self.context = graph, context

    def __enter__(self) -> None:
        self.saved = self.graph._control_flow_context
        self.graph._control_flow_context = self.context

    def __exit__(self, *exc) -> None:
        self.graph._control_flow_context = self.saved


class GradLoopState:
    """What differentiating one forward loop builds: its counter, the gradient loop
    (``grad_context``) and the stacks of forward values (``history``)."""

    def __init__(self, forward: "while_loop.WhileContext", outer: "GradLoopState | None"):
        self.forward_context, self.outer_grad_state = forward, outer
        self.history: "dict[Tensor, Tensor]" = {}
        graph = self._graph = forward._graph
        with _InContext(graph, forward.outer_context):
            count, self.forward_index = _add_forward_counter(forward, outer)
        if outer is not None:      # an inner loop: how many iterations it ran, each time it ran
            with _InContext(graph, outer.grad_context):
                count = outer.real_value_for(count, force=True)
            start = outer.grad_context
        else:
            start = forward.outer_context
        with _InContext(graph, start):
            self.grad_context = while_loop.WhileContext(forward.maximum_iterations, forward.parallel_iterations,
                                                        forward.back_prop, forward.swap_memory,
                                                        name=forward.name)
            self.grad_context.grad_state = self
            _add_backprop_counter(self.grad_context, count)

    def real_value_for(self, t: Tensor, force: bool = False) -> "Tensor | None":
        """``t``, a forward value of this loop, as the gradient loop sees it (None: not one).

        A loop constant is entered once, a constant copied, anything else kept on a stack."""
        if not force and while_context_of(t) is not self.forward_context:
            return None
        found = self.history.get(t)
        if found is not None:
            return found
        cur, state, real = t, self, None
        while True:
            enter = _loop_constant_enter(cur)
            if enter is not None:
                cur, state = enter._inputs[0], state.outer_grad_state
                if state is None:
                    real = self.grad_context.add_value(cur)
                    break
                continue
            if cur.op._type == "Const":
                with _InContext(self._graph, self.grad_context):
                    real = constant_op.constant(cur.op._attrs["value"], dtype=cur.dtype.base_dtype)
                break
            acc = state.forward_accumulator(cur)
            real = state.backprop_value(acc, cur)
            if state is not self:
                real = self.grad_context.add_value(real)
            break
        self.history[t] = real
        return real

    def forward_accumulator(self, value: Tensor) -> Tensor:
        """A stack (made outside every loop) that the forward loop pushes ``value`` onto."""
        graph = self._graph
        with control_dependencies(None):
            max_size = constant_op.constant(-1, dtype=dtypes.int32)
            acc = data_flow_ops.stack_v2(max_size, value.dtype.base_dtype, name="f_acc")
        value_context = value.op._get_control_flow_context()
        if value.op._type in ("Exit", "RefExit"):
            value_context = value_context.outer_context
        with control_dependencies(None), _InContext(graph, self.forward_context):
            enter_acc = self.forward_context.add_value(acc)
        with control_dependencies(None), _InContext(graph, value_context):
            push = data_flow_ops.stack_push_v2(enter_acc, value, swap_memory=self.forward_context.swap_memory)
        push.op._add_control_input(self.forward_index.op._inputs[0].op)   # after this iteration's count
        self.forward_index.op._add_control_input(push.op)                 # and before the next
        return acc

    def backprop_value(self, acc: Tensor, value: Tensor) -> Tensor:
        """The gradient loop's pop of ``acc`` (only when the branch that pushed ran, for a value
        in a ``tf.cond`` inside the loop)."""
        branch_context = value.op._get_control_flow_context()
        while branch_context is not None and branch_context is not self.forward_context and \
                not isinstance(branch_context, cond.CondContext):
            branch_context = branch_context.outer_context
        with control_dependencies(None), _InContext(self._graph, self.grad_context):
            handle = acc
            if isinstance(branch_context, cond.CondContext):
                pred = self.real_value_for(branch_context.pred, force=True)
                handle = control_flow_ops.switch(self.grad_context.add_value(acc), pred)[branch_context.branch]
            return data_flow_ops.stack_pop_v2(handle, value.dtype.base_dtype, shape=value.shape)

    def add_backprop_accumulator(self, grad: Tensor, enter: Operation) -> Tensor:
        """A loop variable of the gradient loop summing ``grad`` (a loop constant's gradient) over
        the iterations: ``b_acc``; its Exit is the constant's gradient."""
        graph, context = self._graph, self.grad_context
        with _InContext(graph, context.outer_context):
            if grad.shape.is_fully_defined():
                acc = constant_op.constant(0, dtype=grad.dtype.base_dtype, shape=grad.shape.as_list(), name="b_acc")
            else:
                acc = creation_ops.zeros_like(enter._inputs[0], name="b_acc")
        with _InContext(graph, context):
            context._values.add(acc)
            enter_acc = control_flow_ops.enter(acc, context.name, False, context.parallel_iterations, name="b_acc")
            context.loop_enters.append(enter_acc)
            merge_acc = control_flow_ops.merge([enter_acc, enter_acc], name="b_acc")[0]
            false, true = control_flow_ops.switch(merge_acc, context.pivot)
            nxt = control_flow_ops.next_iteration(math_ops.add(true, grad))
            merge_acc.op._update_input(1, nxt)
            result = control_flow_ops.exit(false, name="b_acc")
            context.loop_exits.append(result)
        return result


def _add_forward_counter(forward: "while_loop.WhileContext", outer: "GradLoopState | None") -> tuple:
    """``gradients/f_count``: a loop variable counting the forward loop's iterations."""
    n = constant_op.constant(0, name="f_count")
    if outer is not None:
        n.op._add_control_input(outer.forward_index.op._inputs[0].op)
    graph = forward._graph
    with _InContext(graph, forward):
        forward._values.add(n)
        enter_n = control_flow_ops.enter(n, forward.name, False, forward.parallel_iterations, name="f_count")
        forward.loop_enters.append(enter_n)
        merge_n = control_flow_ops.merge([enter_n, enter_n])[0]
        switch_n = control_flow_ops.switch(merge_n, forward.pivot)
        next_n = control_flow_ops.next_iteration(math_ops.add(switch_n[1], 1))
        merge_n.op._update_input(1, next_n)
        total = control_flow_ops.exit(switch_n[0], name="f_count")
        forward.loop_exits.append(total)
    return total, next_n


def _add_backprop_counter(context: "while_loop.WhileContext", count: Tensor) -> None:
    """``gradients/b_count``: the gradient loop's predicate, counting ``count`` down to zero."""
    one = constant_op.constant(1, name="b_count")
    with _InContext(context._graph, context):
        context._values.add(count)
        enter_count = control_flow_ops.enter(count, context.name, False, context.parallel_iterations,
                                             name="b_count")
        context.loop_enters.append(enter_count)
        merge_count = control_flow_ops.merge([enter_count, enter_count])[0]
        context.pivot_for_pred = merge_count
        context.pivot = control_flow_ops.loop_cond(comparison_ops.greater_equal(merge_count, one), name="b_count")
        switch_count = control_flow_ops.switch(merge_count, context.pivot)
        index = math_ops.subtract(switch_count[1], one)
        context.pivot_for_body = index
        next_count = control_flow_ops.next_iteration(index)
        merge_count.op._update_input(1, next_count)
        context.loop_exits.append(control_flow_ops.exit(switch_count[0], name="b_count"))


def loop_variable_gradient(state: GradLoopState, exit_t: Tensor, grad: Tensor, scopes: Any) -> tuple:
    """The gradient loop's side of one forward loop variable: ``b_exit`` (the gradient at its
    Exit, entering), ``b_switch`` (its Merge, whose back edge comes later), a Switch on the
    gradient loop's predicate, and the Exit with the gradient of the initial value.
    ``scopes(op)`` opens the ``<op>_grad`` name scope of a forward op."""
    context = state.grad_context
    switch_op = exit_t.op._inputs[0].op
    merge_op = switch_op._inputs[0].op
    enter_op = merge_op._inputs[0].op
    graph = context._graph
    with scopes(exit_t.op), control_dependencies(None), _InContext(graph, context.outer_context):
        b_exit = control_flow_ops.enter(grad, context.name, False, context.parallel_iterations, name="b_exit")
    context.add_op(b_exit.op)
    context.loop_enters.append(b_exit)
    with _InContext(graph, context):
        with scopes(switch_op):
            b_switch = control_flow_ops.merge([b_exit, b_exit], name="b_switch")[0]
        with scopes(merge_op):
            to_exit, to_body = control_flow_ops.switch(b_switch, context.pivot)
        with scopes(enter_op):
            result = control_flow_ops.exit(to_exit)
            context.loop_exits.append(result)
    return b_switch, to_body, result


def close_loop_variable(state: GradLoopState, b_switch: Tensor, grad: Tensor) -> None:
    """The back edge of a gradient loop variable: the next iteration's gradient."""
    with _InContext(state._graph, state.grad_context):
        while_loop.add_next_and_back_edge(b_switch, grad, enforce_shape_invariant=False)


for _op_type in ("Enter", "RefEnter", "Exit", "RefExit", "NextIteration", "RefNextIteration"):
    NoGradient(_op_type)          # (a loop is differentiated as a whole: gradients.py, above)


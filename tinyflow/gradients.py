"""``tf.gradients``: reverse-mode differentiation that builds the backward pass as graph ops.

``tf.gradients(ys, xs)`` does not compute numbers. It adds new ops to the graph (under a
``gradients/`` name scope) whose values, when run, are ``d(sum of ys)/dx`` for each x. Because
the result is ordinary tensors, it can be fetched, drawn, or differentiated again.

The algorithm (reverse-mode automatic differentiation):

1. Find the ops *between* the xs and the ys: reachable forward from an x and backward from a y.
2. Visit them in reverse topological order. Creation order is a topological order (an op's
   inputs exist before it does), so reverse creation order is a valid order, and it is
   deterministic. No recursion, so chains of any length work.
3. For each op, sum the gradients arriving at each of its outputs (one ``AddN`` when a tensor
   feeds several consumers), then call the op type's gradient function, registered with
   ``@tf.RegisterGradient("OpType")``, which returns one gradient per input.

In :func:`gradients`: step 1 is :func:`_ops_between`; :func:`_seed` puts the starting gradients
at the ys; steps 2 and 3 are the loop over the ops, each op's turn being :func:`_backprop`.
TensorFlow's counterpart: ``python/ops/gradients_util.py`` (``_GradientsHelper``).
"""
from __future__ import annotations

import bisect
from typing import Any

from . import dtypes, frames
from .framework import (Operation, Tensor, convert_to_tensor, creation_order, dependencies, gc_paused,
                        get_default_graph, name_scope)
from .op_registry import get_gradient_function
from .ops import (array_ops, concat_ops, cond, constant_op, control_flow_grad, control_flow_ops, creation_ops, math_ops,
                  while_loop)


def _as_list(x: Any) -> list:
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _is_differentiable(t: Tensor) -> bool:
    return t._dtype.is_floating


@gc_paused()
def gradients(ys: Any, xs: Any, grad_ys: Any = None, name: str = "gradients",
              colocate_gradients_with_ops: bool = False, gate_gradients: bool = False,
              aggregation_method: Any = None, stop_gradients: Any = None,
              unconnected_gradients: str = "none") -> "list[Tensor | None]":
    """Returns ``[d(sum(ys))/dx for x in xs]`` as new graph tensors (``None`` if x does not affect ys).

    Args:
        ys: a tensor or list of tensors to differentiate.
        xs: a tensor, variable, or list of them.
        grad_ys: optional upstream gradients, one per y (default: ones).
        gate_gradients: if True, each op's input gradients are grouped (``tf.tuple``), so that none
            is used before all are computed, as optimizers ask (``Optimizer.GATE_OP``).
        stop_gradients: tensors treated as constants.
        unconnected_gradients: ``"none"`` (default) or ``"zero"`` for unconnected xs.
    """
    ys = [convert_to_tensor(y) for y in _as_list(ys)]
    xs = [_x_tensor(x) for x in _as_list(xs)]
    grad_ys = _as_list(grad_ys) if grad_ys is not None else [None] * len(ys)
    if len(grad_ys) != len(ys):
        raise ValueError("Passed %d grad_ys for %d ys (give one upstream gradient per y, or None "
                         "for the default ones)." % (len(grad_ys), len(ys)))
    if unconnected_gradients not in (UnconnectedGradients.NONE, UnconnectedGradients.ZERO):
        raise ValueError("Unknown value for unconnected_gradients: %r (use 'none' or 'zero', i.e. "
                         "tf.UnconnectedGradients.NONE or .ZERO)." % (unconnected_gradients,))
    stop_ops = {_x_tensor(t).op for t in _as_list(stop_gradients)} if stop_gradients is not None else set()
    first = (ys + xs)[0] if ys or xs else None
    for t in ys + xs:
        if t.graph is not first.graph:
            raise ValueError("%s must be from the same graph as %s.\nFix: build the ys and the xs in one graph "
                             "(the same `with graph.as_default():` block)." % (t, first))
    with name_scope(name, "gradients", ys + xs):
        graph = get_default_graph()         # the graph of ys and xs (name_scope made it the default)
        between = _ops_between(graph, xs, ys)                          # 1. the ops in between
        grads = _seed(ys, grad_ys)                                     # the gradients at the ys
        level = graph._control_flow_context        # (tf.gradients called inside a loop body: that loop)
        while level is not None and not isinstance(level, while_loop.WhileContext):
            level = level.outer_context
        _backprop_all(graph, between, grads, gate_gradients, stop_ops, level)  # 2. and 3.
        result = []
        for x in xs:
            g = _sum_grads(grads.get(x))
            if g is None and unconnected_gradients == UnconnectedGradients.ZERO:
                g = creation_ops.zeros_like(x)
            result.append(g)
    return result


def _backprop_all(graph: Any, between: "set[Operation]", grads: dict, gate_gradients: bool, stop_ops: set,
                  level: Any = None) -> None:
    """Steps 2 and 3: each op's gradient rule, in reverse creation order. A ``tf.while_loop``
    (directly inside ``level``, the loop whose body this is) is differentiated as a whole, by
    :func:`_loop_backprop`, when the traversal reaches its last op."""
    done: set = set()
    for op in sorted(between, key=creation_order, reverse=True):
        if op in stop_ops:
            continue
        loop = _loop_of(op, level) if graph._has_control_flow else None
        if loop is None:
            _backprop(graph, op, grads, gate_gradients)
        elif loop not in done:
            done.add(loop)
            _loop_backprop(graph, loop, grads, gate_gradients, stop_ops)


def _loop_of(op: Operation, level: Any) -> Any:
    """The while loop directly inside ``level`` (None: the top) that ``op`` is built in, if any."""
    found = None
    context = op._get_control_flow_context()
    while context is not None and context is not level:
        if isinstance(context, while_loop.WhileContext):
            found = context
        context = context.outer_context
    return found


def _loop_backprop(graph: Any, loop: Any, grads: dict, gate_gradients: bool, stop_ops: set) -> None:
    """The gradient of one forward while loop (``control_flow_grad`` says what is built): from
    the gradients at its Exits to those of its initial values and of the outside tensors its
    body used."""
    exit_grads = [_sum_grads(grads.get(e)) for e in loop.loop_exits]
    if not loop.back_prop or not any(g is not None for g in exit_grads):
        return                                   # back_prop=False: no gradient flows through
    wanted = _loop_variables_with_gradients(loop, exit_grads)
    if not wanted:
        return
    context = graph._control_flow_context
    outer = getattr(context, "grad_state", None)
    state = control_flow_grad.GradLoopState(loop, outer)
    scopes = _GradScopes(graph)
    variables, body_grads, xs, ys = [], {}, [], []
    for exit_t, grad in zip(list(loop.loop_exits), exit_grads):
        if exit_t not in wanted:
            continue
        switch_op = exit_t.op._inputs[0].op
        merge_op = switch_op._inputs[0].op
        if grad is None:
            grad = creation_ops.zeros_like(exit_t)
        b_switch, to_body, result = control_flow_grad.loop_variable_gradient(state, exit_t, grad, scopes)
        grads.setdefault(merge_op._inputs[0].op._inputs[0], []).append(result)
        body_out = merge_op._inputs[1].op._inputs[0]
        body_grads.setdefault(body_out, []).append(to_body)
        variables.append((switch_op, b_switch, to_body))
        xs.append(switch_op._outputs[1])
        ys.append(body_out)
    constants = [t for t in loop._external_values.values() if t.op._type in ("Enter", "RefEnter")
                 and t.op._attrs.get("is_constant") and _is_differentiable(t)]
    xs += constants
    graph._control_flow_context = state.grad_context
    try:
        between = {op for op in _ops_between(graph, xs, ys) if not _is_loop_op(op, loop)}   # the body only
        _backprop_all(graph, between, body_grads, gate_gradients, stop_ops, level=loop)
        for t in sorted(constants, key=lambda t: t.op._id, reverse=True):
            g = _sum_grads(body_grads.get(t))
            if g is not None:
                with scopes(t.op):
                    grads.setdefault(t.op._inputs[0], []).append(state.add_backprop_accumulator(g, t.op))
        for switch_op, b_switch, to_body in variables:
            g = _sum_grads(body_grads.get(switch_op._outputs[1]))
            with scopes(switch_op):
                g = g if g is not None else creation_ops.zeros_like(to_body)
                control_flow_grad.close_loop_variable(state, b_switch, g)
    finally:
        graph._control_flow_context = context


def _loop_variables_with_gradients(loop: Any, exit_grads: list) -> "set[Tensor]":
    """The Exits of the loop variables a gradient reaches: those with one at their Exit, and those
    the body computes them from (a variable that only the predicate reads gets none, as in TF)."""
    variables = {}                                        # Exit -> (its Switch's output 1, the body's value)
    for exit_t in loop.loop_exits:
        merge_op = exit_t.op._inputs[0].op._inputs[0].op
        if _is_differentiable(exit_t) and merge_op._inputs[1].op._type == "NextIteration":
            variables[exit_t] = (exit_t.op._inputs[0].op._outputs[1], merge_op._inputs[1].op._inputs[0])
    entering = {t for t in loop._external_values.values()} | set(loop.loop_enters)
    into_body = {into: exit_t for exit_t, (into, _) in variables.items()}
    uses: "dict[Tensor, set[Tensor]]" = {}                # Exit -> the Exits of the variables its next value reads
    for exit_t, (_, out) in variables.items():
        found = dependencies([out.op], stop_at=set(into_body) | entering, follow_control=lambda c: False)
        uses[exit_t] = {into_body[t] for op in found for t in op._inputs if t in into_body}
        if out in into_body:
            uses[exit_t].add(into_body[out])
    wanted = {e for e, g in zip(loop.loop_exits, exit_grads) if g is not None and e in variables}
    grown = True
    while grown:
        more = set().union(*[uses[e] for e in wanted]) - wanted if wanted else set()
        wanted |= more
        grown = bool(more)
    return wanted


def _is_loop_op(op: Operation, loop: Any) -> bool:
    """One of the ops that make ``loop`` a loop (not its body's): Enter, its Merges and Switches, ..."""
    if op._get_control_flow_context() is not loop:
        return False
    return op._type in frames.STRUCTURAL or op._type == "LoopCond" or frames.is_loop_merge(op) or \
        frames.is_loop_switch(op)


class _GradScopes:
    """``with scopes(op):`` opens ``gradients/<op name>_grad`` (made unique), as for one op's rule."""

    def __init__(self, graph: Any):
        self.graph = graph

    def __call__(self, op: Operation) -> "_GradScopes":
        self.op = op
        return self

    def __enter__(self) -> None:
        self.saved = self.graph._name_stack
        self.graph._name_stack = self.graph.unique_name(self.op._name + "_grad")

    def __exit__(self, *exc) -> None:
        self.graph._name_stack = self.saved


def _ops_between(graph: Any, xs: "list[Tensor]", ys: "list[Tensor]") -> "set[Operation]":
    """The ops reachable forward from an x and backward from a y (step 1)."""
    # Forward from the xs: one pass over the ops created after the first x (creation order is
    # topological: an op's inputs are always older than the op) ...
    xs_set = set(xs)
    ops = graph._ops
    start = bisect.bisect_right(ops, min(x._op._id for x in xs), key=creation_order) if xs else len(ops)
    reached: "set[Operation]" = set()
    while True:                # once, or, with loops, until the back edges (to older Merges) add nothing
        count = len(reached)
        for op in ops[start:]:
            if op in reached:
                continue
            for t in op._inputs:
                if t in xs_set or t._op in reached:
                    reached.add(op)
                    break
        if not graph._has_control_flow or len(reached) == count:
            break
        # A loop's back edge leads to its Merges, which are older than the body (and so than an x
        # made while the body was built, such as a cell's kernel): start the next pass there.
        merges = [m for op in reached if op._type == "NextIteration" for m in op._outputs[0].consumers()]
        if merges:
            start = min(start, bisect.bisect_left(ops, min(m._id for m in merges), key=creation_order))
    # ... and backward from the ys, through the reached ops only.
    between: "set[Operation]" = set()
    stack = [y.op for y in ys if y.op in reached]
    while stack:
        op = stack.pop()
        if op in between:
            continue
        between.add(op)
        for t in op._inputs:
            if t._op in reached:
                stack.append(t._op)
    return between


def _seed(ys: "list[Tensor]", grad_ys: list) -> "dict[Tensor, list[Tensor]]":
    """The gradient arriving at each y: ``grad_ys``, or ones. Returns the table that the backward
    pass fills in: tensor -> the gradients reaching it (one per path)."""
    grads: "dict[Tensor, list[Tensor]]" = {}
    for i, (y, gy) in enumerate(zip(ys, grad_ys)):
        if y.dtype.base_dtype is dtypes.string:
            raise TypeError("Expected string, got 1 of type 'int' instead.\n(tinyflow: %s is a string tensor: it "
                            "has no derivative. Differentiate a number computed from your inputs instead.)" % y)
        if not _is_differentiable(y):
            continue
        if gy is None:
            # As TF1 builds it: Fill(Shape(y), 1) with the 1 named grad_ys_i.
            gy = creation_ops.fill(array_ops.shape(y), constant_op.constant(1, dtype=y.dtype.base_dtype,
                                                                          name="grad_ys_%d" % i))
        else:
            gy = _grad_y(gy, y, i)
        grads.setdefault(y, []).append(gy)
    return grads


def _backprop(graph: Any, op: Operation, grads: "dict[Tensor, list[Tensor]]", gate_gradients: bool) -> None:
    """Step 3 for one op, once all its consumers are done: the gradients reaching its outputs,
    summed, go through its gradient function; what comes out joins the gradients of its inputs."""
    out_grads = [grads.get(t) for t in op._outputs]
    if not any(out_grads):
        return
    fn = get_gradient_function(op)
    if fn is None:                       # not differentiable (tf.NoGradient): the gradient stops
        return
    # Gradients that reach an output along several paths are added up first, in the `gradients`
    # scope (`gradients/AddN`, as TF names them); outputs without a gradient get zeros.
    summed = [_sum_grads(g) for g in out_grads]
    if len(summed) > 1 and None in summed:      # (a cond's Switch: zeros alive when the branch is not)
        zeros = cond.zeros_like_outside_loop if op._type in ("Switch", "RefSwitch") else _zeros_like_output
        summed = [g if g is not None or not _is_differentiable(t) else zeros(op, i)
                  for i, (g, t) in enumerate(zip(summed, op._outputs))]
    # The gradient's ops go into the scope `gradients/<op name>_grad` (as `with
    # tf.name_scope(op.name + "_grad")` would open it; this runs for every op).
    outer_scope = graph._name_stack
    graph._name_stack = graph.unique_name(op._name + "_grad")
    try:
        in_grads = fn(op, *summed)
        in_grads = list(in_grads) if isinstance(in_grads, (list, tuple)) else [in_grads]
        if len(in_grads) != len(op._inputs):
            raise ValueError("Num gradients %d generated for op %s do not match num inputs %d. The "
                             "gradient function registered for %r must return one gradient per input "
                             "(None for inputs that get none)."
                             % (len(in_grads), op.node_def, len(op._inputs),
                                op._attrs.get("_gradient_op_type", op.type)))
        if gate_gradients and sum(g is not None for g in in_grads) > 1:
            # Each of this op's input gradients becomes usable only once all are computed
            # (`<op>_grad/tuple/control_dependency`, ...): what optimizers ask for.
            in_grads = control_flow_ops.tuple(in_grads)
    finally:
        graph._name_stack = outer_scope
    for i, (t, g) in enumerate(zip(op._inputs, in_grads)):
        if g is not None and _is_differentiable(t):
            g = convert_to_tensor(g)
            if g._shape is not t._shape:          # a gradient has its input's shape (as TF sets it)
                _set_grad_shape(g, t, op, i)
            found = grads.get(t)
            if found is None:
                grads[t] = [g]
            else:
                found.append(g)


def _zeros_like_output(op: Operation, index: int) -> Tensor:
    return creation_ops.zeros_like(op._outputs[index])


def _sum_grads(grads: "list[Tensor] | None") -> "Tensor | None":
    """Adds up the gradients reaching one tensor along different paths (one ``AddN``)."""
    if not grads:
        return None
    if len(grads) == 1:
        return grads[0]
    return math_ops.add_n(grads)


def _set_grad_shape(grad: Tensor, t: Tensor, op: Operation, i: int) -> None:
    try:
        grad._shape = grad._shape.merge_with(t._shape)
    except ValueError:
        raise ValueError("Incompatible shapes between op input and calculated input gradient. Forward "
                         "operation: %s. Input index: %d. Original input shape: %s. Calculated input "
                         "gradient shape: %s\n(tinyflow: a gradient has the shape of its input. Check that each "
                         "of grad_ys has the shape of its y; if they do, the gradient function used for this "
                         "%r op is wrong.)"
                         % (op.name, i, t.shape, grad.shape, op.type)) from None


def _grad_y(grad_y: Any, y: Tensor, i: int) -> Tensor:
    """``grad_ys[i]`` as a tensor of ``y``'s dtype and shape (a scalar is let through, as TF lets
    it: ops whose gradient broadcasts accept it), passed on through an ``Identity`` named
    ``grad_ys_<i>`` (a value given as an array becomes the constant ``grad_y_<i>`` first), so that
    the learner's own tensor is never changed by the gradient pass."""
    try:
        grad_y = convert_to_tensor(grad_y, dtype=y.dtype.base_dtype, name="grad_y_%d" % i)
    except (TypeError, ValueError) as e:
        raise TypeError("grad_ys[%d] cannot be the upstream gradient of %s: %s\nFix: give it y's dtype "
                        "%s, e.g. `tf.cast(g, %s)`." % (i, y, e, y.dtype.base_dtype.name,
                                                        "tf." + y.dtype.base_dtype.name)) from None
    if grad_y.shape.ndims != 0 and not grad_y.shape.is_compatible_with(y.shape):
        raise ValueError("grad_ys[%d] has shape %s, but %s has shape %s: the upstream gradient must have "
                         "the shape of the y it belongs to." % (i, grad_y.shape, y, y.shape))
    return array_ops.identity(grad_y, name="grad_ys_%d" % i)


def _x_tensor(x: Any) -> Tensor:
    """Variables are differentiated through their reference tensor (``v:0``)."""
    ref = getattr(x, "_ref", None)
    if callable(ref):
        return ref()
    return convert_to_tensor(x)


class UnconnectedGradients:
    NONE = "none"
    ZERO = "zero"


def hessians(ys: Any, xs: Any, name: str = "hessians") -> list:
    """Second derivatives ``d2(sum(ys))/dx2`` for (flattened) xs; built from two tf.gradients calls."""
    result = []
    for x in _as_list(xs):
        (g,) = gradients(ys, x)
        flat = array_ops.reshape(g, [-1])
        rows = [gradients(gi, x)[0] for gi in concat_ops.unstack(flat)]
        result.append(concat_ops.stack(rows))
    return result

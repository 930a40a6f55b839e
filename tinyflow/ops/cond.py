"""``tf.cond``: an ``if`` inside the graph, built from ``Switch`` and ``Merge``.

``tf.cond(pred, true_fn, false_fn)`` calls *both* functions once, while the graph is built:
each builds its branch, inside a :class:`CondContext`. Every outside tensor a branch uses comes
in through a ``Switch`` on ``pred``, so when the graph runs only the chosen branch gets live
values; the ops of the other branch see dead inputs and do not run (an ``assign_add`` there
changes nothing, a ``tf.log`` of a negative is never computed). A ``Merge`` per result passes
on the value of the branch that ran::

    x ──► Switch ──(true)──► x * 2 ──┐
            │                        Merge ──► cond/Merge:0
            └───(false)──► x + 1 ────┘

Constants in a branch have no input to switch, so they get a control input on the branch's
*pivot* (``cond/switch_t`` or ``cond/switch_f``), which is dead when the branch is not taken.

TensorFlow's counterparts: ``python/ops/cond.py`` (``cond``), ``control_flow_ops.py``
(``CondContext``).
"""
from __future__ import annotations

import builtins
from typing import Any, Callable

from ..framework import GraphKeys, Operation, Tensor, add_to_collection, convert_to_tensor, name_scope
from ..op_registry import RegisterGradient
from . import array_ops, comparison_ops, control_flow_ops, creation_ops, tensor_array_ops

__all__ = ["cond"]


class CondContext(control_flow_ops.ControlFlowContext):
    """One branch of a ``tf.cond``: ``branch`` 1 (true) or 0 (false) of the predicate ``pred``."""

    def __init__(self, pred: Tensor, pivot: Tensor, branch: int):
        super().__init__()
        self.pred, self.pivot, self.branch = pred, pivot, branch
        self._values.update([pred, pivot])

    def add_value(self, t: Tensor, result_of_branch: bool = False) -> Tensor:
        """``t`` (from outside) as this branch sees it: a ``Switch`` output, made once. (For a
        branch that returns an outside tensor, the Switch keeps the control dependencies around
        the branch, as TF's ``_ProcessOutputTensor``.)"""
        found = self._external_values.get(t)
        if found is not None:
            return found
        if t in self._values:
            return t
        real = t
        if self._outer_context is not None:
            real = self._outer_context.add_value(t)
        result = self._build_outside(control_flow_ops.switch, real, self.pred,
                                     keep_control_dependencies=result_of_branch)[self.branch]
        self._graph.prevent_fetching(result.op)
        context = self
        while context is not None:
            context._values.add(result)
            context = context._outer_context
        self._external_values[t] = result
        return result

    def add_op(self, op: Operation) -> None:
        super().add_op(op)
        if not op._inputs and not any(self._graph._op_contexts.get(c) is self for c in op._control_inputs):
            op._add_control_input(self.pivot.op)     # a constant runs only if its branch does

    def build_branch(self, fn: Callable) -> "tuple[Any, list]":
        """Calls ``fn`` inside this branch: its result as given, and flattened into tensors that
        belong to the branch (an op becomes the pivot with a control input on it)."""
        self.Enter()
        try:
            result = fn()
            if result is None:
                return None, []
            flat = []
            for v in flatten(result):
                if isinstance(v, Operation):
                    flat.append(control_flow_ops.with_dependencies([v], self.pivot))
                else:
                    v = as_flow(v)
                    flat.append(v if v in self._values else self.add_value(v, result_of_branch=True))
            return result, flat
        finally:
            self.Exit()


def as_flow(value: Any) -> Tensor:
    """A loop variable or branch result as a tensor: a TensorArray travels as its flow."""
    if isinstance(value, tensor_array_ops.TensorArray):
        return value.flow
    return convert_to_tensor(value)


def with_flows(originals: list, tensors: list) -> list:
    """``tensors`` with each one that stands for a TensorArray of ``originals`` made that array again."""
    return [o._with_flow(t) if isinstance(o, tensor_array_ops.TensorArray) else t for o, t in zip(originals, tensors)]


def flatten(structure: Any) -> list:
    """The leaves of nested lists, tuples and dicts (dicts in sorted key order, as ``tf.nest``)."""
    if isinstance(structure, dict):
        return [leaf for k in sorted(structure) for leaf in flatten(structure[k])]
    if isinstance(structure, (list, builtins.tuple)):
        return [leaf for item in structure for leaf in flatten(item)]
    return [structure]


def pack_sequence_as(structure: Any, flat: list) -> Any:
    """``flat``'s values in ``structure``'s shape (the inverse of :func:`flatten`)."""
    it = iter(flat)

    def build(s):
        if isinstance(s, dict):
            built = {k: build(s[k]) for k in sorted(s)}
            return type(s)((k, built[k]) for k in s)
        if isinstance(s, (list, builtins.tuple)):
            items = [build(item) for item in s]
            return type(s)(*items) if hasattr(s, "_fields") else type(s)(items)
        return next(it)
    return build(structure)


def _unpack_if_singleton(res: Any) -> Any:
    if isinstance(res, (list, builtins.tuple)) and len(res) == 1:
        return res[0]
    return res


def cond(pred: Any, true_fn: "Callable | None" = None, false_fn: "Callable | None" = None, strict: bool = False,
         name: "str | None" = None, fn1: "Callable | None" = None, fn2: "Callable | None" = None) -> Any:
    """``true_fn()`` if ``pred`` else ``false_fn()``, decided when the graph runs.

    Both functions are called now, once, to build their branches; only the chosen branch runs.
    They must return the same structure (nested lists, tuples, dicts) of tensors with the same
    dtypes; the result has that structure, each tensor a ``cond/Merge``.
    """
    true_fn = true_fn if true_fn is not None else fn1
    false_fn = false_fn if false_fn is not None else fn2
    if not callable(true_fn):
        raise TypeError("true_fn must be callable.\nFix: pass a function that builds the branch, e.g. "
                        "`tf.cond(pred, lambda: x * 2, lambda: x + 1)`.")
    if not callable(false_fn):
        raise TypeError("false_fn must be callable.\nFix: pass a function that builds the branch, e.g. "
                        "`tf.cond(pred, lambda: x * 2, lambda: x + 1)`.")
    with name_scope(name, "cond", [pred]):
        if isinstance(pred, (bool, type(None))) or type(pred).__name__ == "bool_":
            raise TypeError("pred must not be a Python bool\nFix: a Python bool is known now, so use a Python "
                            "`if` (`a if flag else b`); tf.cond is for a bool tensor, known only when the graph runs.")
        pred = convert_to_tensor(pred)
        p_2, p_1 = control_flow_ops.switch(pred, pred)
        pivot_1 = array_ops.identity(p_1, name="switch_t")
        pivot_2 = array_ops.identity(p_2, name="switch_f")
        pred = array_ops.identity(pred, name="pred_id")
        graph = pred.graph
        for t in (p_1, p_2, pivot_1, pivot_2, pred):
            graph.prevent_fetching(t.op)
        context_t = CondContext(pred, pivot_1, branch=1)
        orig_t, res_t = context_t.build_branch(true_fn)
        if orig_t is None:
            raise ValueError("true_fn must have a return value.\nFix: return the branch's tensor(s), e.g. "
                             "`lambda: x * 2` (a `def` needs a `return`).")
        context_f = CondContext(pred, pivot_2, branch=0)
        orig_f, res_f = context_f.build_branch(false_fn)
        if orig_f is None:
            raise ValueError("false_fn must have a return value.\nFix: return the branch's tensor(s), e.g. "
                             "`lambda: x + 1` (a `def` needs a `return`).")
        if not strict:
            orig_t, orig_f = _unpack_if_singleton(orig_t), _unpack_if_singleton(orig_f)
        mismatch = structure_mismatch(orig_t, orig_f)
        if mismatch is not None:
            kind, text = mismatch
            raise kind("Incompatible return %s of true_fn and false_fn: %s\nFix: return the same structure (the same "
                       "nesting of tuples, lists and dicts) from both branches; a list or tuple of one tensor counts "
                       "as that tensor (tf.cond unpacks it)." % ("types" if kind is TypeError else "values", text))
        if not res_t:
            raise ValueError("true_fn and false_fn must return at least one result.")
        for x, y in zip(res_t, res_f):
            if x.dtype.base_dtype is not y.dtype.base_dtype:
                raise ValueError("Outputs of true_fn and false_fn must have the same type: %s, %s\n(tinyflow: true_fn "
                                 "gives %s %s, false_fn %s %s.)\nFix: cast one of them, e.g. `tf.cast(..., tf.%s)`."
                                 % (x.dtype.base_dtype.name, y.dtype.base_dtype.name, x.dtype.base_dtype.name, x.name,
                                    y.dtype.base_dtype.name, y.name, x.dtype.base_dtype.name))
        merges = with_flows(flatten(orig_t), [control_flow_ops.merge([f, t])[0] for f, t in zip(res_f, res_t)])
        if context_t.outer_context is None:
            add_to_collection(GraphKeys.COND_CONTEXT, context_t)
            add_to_collection(GraphKeys.COND_CONTEXT, context_f)
        result = pack_sequence_as(orig_t if isinstance(orig_t, (list, builtins.tuple, dict)) else [orig_t], merges)
        return result if isinstance(orig_t, (list, builtins.tuple, dict)) else result[0]


def structure_mismatch(first: Any, second: Any) -> "tuple[type, str] | None":
    """How two nested structures differ, as ``tf.nest.assert_same_structure`` says it: (the error
    class, its text), or None if they have the same nesting."""
    def desc(s):
        return "type=%s str=%s" % ("Tensor" if isinstance(s, Tensor) else type(s).__name__, s)

    def is_sequence(s):
        return isinstance(s, (list, builtins.tuple, dict))

    def walk(x, y):
        if is_sequence(x) != is_sequence(y):
            seq, other = (x, y) if is_sequence(x) else (y, x)
            return ValueError, 'Substructure "%s" is a sequence, while substructure "%s" is not' % (desc(seq),
                                                                                                   desc(other))
        if not is_sequence(x):
            return None
        if isinstance(x, dict) != isinstance(y, dict) or type(x) is not type(y) and not (
                isinstance(x, dict) and isinstance(y, dict)):
            return TypeError, ("The two namedtuples don't have the same sequence type. First structure %s has type "
                               "%s, while second structure %s has type %s" % (desc(x), type(x).__name__, desc(y),
                                                                              type(y).__name__))
        if isinstance(x, dict):
            if sorted(x) != sorted(y):
                return ValueError, ("The two dictionaries don't have the same set of keys. First structure has keys "
                                    "type=list str=%s, while second structure has keys type=list str=%s"
                                    % (sorted(x), sorted(y)))
            pairs = [(x[k], y[k]) for k in sorted(x)]
        else:
            if len(x) != len(y):
                return ValueError, ("The two structures don't have the same number of elements. First structure: "
                                    "%s. Second structure: %s" % (desc(x), desc(y)))
            pairs = list(zip(x, y))
        for a, b in pairs:
            found = walk(a, b)
            if found is not None:
                return found
        return None

    found = walk(first, second)
    if found is None:
        return None
    kind, detail = found
    return kind, ("The two structures don't have the same nested structure.\n\nFirst structure: %s\n\nSecond "
                  "structure: %s\n\nMore specifically: %s\nEntire first structure:\n%s\nEntire second structure:\n%s"
                  % (desc(first), desc(second), detail, _describe(first), _describe(second)))


def _describe(s: Any) -> str:
    if isinstance(s, dict):
        return "{%s}" % ", ".join("%r: %s" % (k, _describe(s[k])) for k in sorted(s))
    if isinstance(s, list):
        return "[%s]" % ", ".join(_describe(x) for x in s)
    if isinstance(s, builtins.tuple):
        return "(%s)" % "".join(_describe(x) + ", " for x in s).rstrip(" ") if len(s) == 1 else \
            "(%s)" % ", ".join(_describe(x) for x in s)
    return "."


# --------------------------------------------------------------------------------------------
# Gradients: a branch's gradient flows back through the same Switch and Merge, swapped
# --------------------------------------------------------------------------------------------
@RegisterGradient("Merge")
def _merge_grad(op, grad, _):
    """The gradient of a cond's ``Merge`` goes to the branch that ran: a ``Switch`` of it on the
    predicate (``gradients/cond/Merge_grad/cond_grad``). Inside a loop: see ``control_flow_grad``."""
    context = op.inputs[0].op._get_control_flow_context()
    if isinstance(context, CondContext):
        return control_flow_ops.switch(grad, context.pred, name="cond_grad")
    loop_grad = getattr(context, "merge_grad", None)
    if loop_grad is not None:
        return loop_grad(op, grad)
    count = len(op.inputs)
    return [control_flow_ops.switch(grad, comparison_ops.equal(op.outputs[1], i))[1] for i in range(count)]


RegisterGradient("RefMerge")(_merge_grad)


@RegisterGradient("Switch")
def _switch_grad(op, *grads):
    """The gradient of a cond's ``Switch``: the branch's gradient and the zeros of the branch
    that did not run, merged (``gradients/cond/mul/Switch_grad/cond_grad``)."""
    context = op._get_control_flow_context()
    if isinstance(context, CondContext):
        good, zero = grads[context.branch], grads[1 - context.branch]
        if good is None:
            return None, None
        pair = [zero, good] if context.branch == 1 else [good, zero]
        return control_flow_ops.merge(pair, name="cond_grad")[0], None
    loop_grad = getattr(context, "switch_grad", None)
    if loop_grad is not None:
        return loop_grad(op, *grads)
    false_grad = control_flow_ops.switch(grads[0], op.inputs[1])[0]
    true_grad = control_flow_ops.switch(grads[1], op.inputs[1])[1]
    return control_flow_ops.merge([false_grad, true_grad])[0], None


RegisterGradient("RefSwitch")(_switch_grad)


def zeros_like_outside_loop(op: Operation, index: int) -> Tensor:
    """The zero gradient of output ``index`` of a branch's ``Switch``: made on the *other* side of
    a new Switch, so that it is alive exactly when that output is dead (``gradients/zeros``)."""
    context = op._get_control_flow_context()
    val = op.outputs[index]
    if not isinstance(context, CondContext):
        return creation_ops.zeros_like(val)
    switch_val = control_flow_ops.switch(op.inputs[0], context.pred)[1 - context.branch]
    pivot = array_ops.identity(switch_val)
    zeros_shape = array_ops.shape(switch_val)
    with control_flow_ops.control_dependencies([pivot]):
        return creation_ops.zeros(zeros_shape, val.dtype.base_dtype)

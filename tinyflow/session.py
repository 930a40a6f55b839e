"""``tf.Session``: runs the parts of a graph that the fetches need.

``sess.run(fetches, feed_dict)`` works in two stages:

1. **Plan** (once per distinct fetches + feed keys): find the ops the fetches need, stopping
   at fed tensors; order them by creation (inputs are always created before the ops that use
   them, so creation order is a valid execution order); give every tensor a slot number.
2. **Execute** (every call): put the fed values into their slots and call each op's numpy
   kernel once, in order. No graph walking happens here, which keeps a run cheap.

State that outlives one run lives in the session, not in the graph: variable values,
random generators, iterator positions and lookup tables. Variable writes made during a run
are kept aside and only stored when the whole run succeeds, so a failing run changes nothing.
"""
from __future__ import annotations

import collections.abc
import contextlib
import sys
from typing import Any, Callable, Iterator, NamedTuple

import numpy as np

from . import errors, frames
from .config_pb2 import ConfigProto
from .framework import (Graph, Operation, Tensor, creation_order, default_session, dependencies, gc_paused,
                        get_default_graph)
from .op_registry import DEAD, OpContext, find_op_def, get_op_def, is_stateful, read_value
from .ops.cond import flatten
from .ops.constant_op import convert_value
from .tensor_util import can_fold, value_from_shape
from .traceback_utils import assigned_name


def _fetched(v: Any, was_fed: bool, is_ref: bool) -> Any:
    """What a run returns for a fetched value: the learner's own array (0-d arrays as numpy scalars)."""
    if is_ref:
        v = read_value(v)
    if not was_fed and type(v) is np.ndarray:
        if not v.ndim:
            return v[()]
        if not v.flags.writeable:          # shared with the graph or a dataset: a copy of its own
            return v.copy()
    return v


# --------------------------------------------------------------------------------------------
# Fetch structures
# --------------------------------------------------------------------------------------------
_LEAF_TYPES = frozenset([Tensor, Operation])


def _structure_key(fetches: Any) -> Any:
    """A hashable key describing a fetch structure (leaves by identity).

    Dict keys go in with their type: ``{1: t}``, ``{1.0: t}`` and ``{True: t}`` are equal as
    keys but must give results keyed as the caller wrote them.
    """
    if (type(fetches) is tuple or type(fetches) is list) and _LEAF_TYPES.issuperset(map(type, fetches)):
        return (type(fetches),) + tuple(fetches)      # the usual case, (train_op, loss): no Python loop
    if isinstance(fetches, (list, tuple)):
        return (type(fetches),) + tuple(_structure_key(f) for f in fetches)
    if isinstance(fetches, collections.abc.Mapping):
        return (type(fetches),) + tuple((type(k), k, _structure_key(v)) for k, v in fetches.items())
    if isinstance(fetches, (Tensor, Operation, str, bytes)) or hasattr(fetches, "_as_graph_element"):
        return fetches
    raise TypeError("Fetch argument %r has invalid type %s, must be a string or Tensor. (Can not "
                    "convert a %s into a Tensor or Operation.)"
                    % (fetches, type(fetches), type(fetches).__name__))


def _flatten_feeds(feed_dict: Any) -> dict:
    """TF1's ``nest.flatten_dict_items``: a key that is a (nested) tuple of tensors, such as an RNN's
    ``initial_state`` (a tuple of ``LSTMStateTuple``s), feeds each of its tensors the matching part of
    its value (the state a previous run fetched, say)."""
    flat: dict = {}
    for key, value in feed_dict.items():
        pairs = [(key, value)]
        if isinstance(key, tuple):
            keys, values = flatten(key), flatten(value)
            if len(keys) != len(values):
                raise ValueError("Could not flatten dictionary. Key had %d elements, but value had %d elements. Key: "
                                 "%s, value: %s.\nFix: give a key that is a tuple of tensors a value of the same "
                                 "structure, one array for each tensor (such as the state a previous run fetched: "
                                 "`state = sess.run(final_state)`)." % (len(keys), len(values), keys, values))
            pairs = zip(keys, values)
        for k, v in pairs:
            if k in flat:
                raise ValueError("Cannot flatten dict because this key is not unique: %s\nFix: feed each tensor once "
                                 "(it is also part of a tuple key)." % (k,))
            flat[k] = v
    return flat


def _flatten_fetches(fetches: Any, graph: Graph, leaves: list, index: dict) -> Callable:
    """Collects unique leaves and returns a function that rebuilds the structure from values."""
    if fetches is None:
        raise TypeError("Fetch argument None has invalid type <class 'NoneType'>\n(tinyflow: a None among the "
                        "fetches often comes from tf.gradients, which gives None for an x that y does "
                        "not depend on.)")
    if isinstance(fetches, (list, tuple)):
        builders = [_flatten_fetches(f, graph, leaves, index) for f in fetches]
        if isinstance(fetches, list):
            return lambda vals: [b(vals) for b in builders]
        if type(fetches) is tuple:
            return lambda vals: tuple(b(vals) for b in builders)
        ftype = type(fetches)
        return lambda vals: ftype(*[b(vals) for b in builders])
    if isinstance(fetches, collections.abc.Mapping):
        ftype = type(fetches)
        items = [(k, _flatten_fetches(v, graph, leaves, index)) for k, v in fetches.items()]

        def build_mapping(vals):
            out = ftype()
            for k, b in items:
                out[k] = b(vals)
            return out
        return build_mapping
    try:
        element = graph.as_graph_element(fetches, allow_tensor=True, allow_operation=True)
    except TypeError:
        raise TypeError("Fetch argument %r has invalid type %s, must be a string or Tensor. (Can not "
                        "convert a %s into a Tensor or Operation.)"
                        % (fetches, type(fetches), type(fetches).__name__)) from None
    except (ValueError, KeyError) as e:   # str() of a KeyError keeps its quotes, as in TF1
        raise ValueError("Fetch argument %r cannot be interpreted as a Tensor. (%s)"
                         % (fetches, e)) from None
    if element not in index:
        index[element] = len(leaves)
        leaves.append(element)
    i = index[element]
    return lambda vals: vals[i]


# --------------------------------------------------------------------------------------------
# Plans
# --------------------------------------------------------------------------------------------
class _Feed:
    """How to convert and check one fed value."""

    __slots__ = ("tensor", "slot", "np_dtype", "shape", "is_int")

    def __init__(self, tensor: Tensor, slot: int):
        self.tensor, self.slot = tensor, slot
        self.np_dtype = tensor.dtype.base_dtype.as_numpy_dtype
        self.shape = tensor.shape.as_tuple()
        self.is_int = tensor.dtype.is_integer

    def convert(self, value: Any) -> np.ndarray:
        t = self.tensor
        if isinstance(value, Tensor):
            raise TypeError(
                "The value of a feed cannot be a tf.Tensor object. Acceptable feed values include Python "
                "scalars, strings, lists, numpy ndarrays, or TensorHandles. For reference, the tensor "
                "object was %s which was passed to the feed with key %s. (Run it first: feed "
                "`sess.run(that_tensor)` instead.)" % (value, t))
        if self.is_int and type(value) is int:
            info = np.iinfo(self.np_dtype)
            if not info.min <= value <= info.max:
                raise TypeError("Type of feed value %r with type %s is not compatible with Tensor type %s. "
                                "Try explicitly setting the type of the feed tensor to a larger type "
                                "(e.g. int64)." % (value, type(value), self.np_dtype))
        if self.np_dtype is np.object_:
            array = convert_value(value, t.dtype)
        else:
            try:
                array = np.asarray(value, dtype=self.np_dtype)
            except OverflowError:            # an int in a list that the dtype cannot hold
                raise TypeError("Type of feed value %r is not compatible with Tensor type %s: a number in it does "
                                "not fit.\nFix: feed values that fit %s, or give the placeholder %r a larger type "
                                "(e.g. int64)." % (value, self.np_dtype, t.dtype.base_dtype.name, t.name)) from None
            except (ValueError, TypeError) as e:
                raise ValueError("%s\n(tinyflow: the value fed to %r cannot be converted to its dtype %s.)"
                                 % (e, t.name, t.dtype.base_dtype.name)) from None
        shape = self.shape
        if shape is not None:
            ashape = array.shape
            if len(ashape) != len(shape) or any(d is not None and d != a for d, a in zip(shape, ashape)):
                raise ValueError("Cannot feed value of shape %r for Tensor %r, which has shape %r"
                                 % (ashape, t.name, str(t.shape)))
        return array


ONE_INPUT, TWO_INPUTS, ANY_INPUTS, MULTI_OUTPUT = 0, 1, 2, 3
"""How a step calls its kernel (``run_steps``): with one input value, two, any number, or
unpacking several outputs. Calling ``kernel(ctx, a, b)`` directly is cheaper than building an
argument list, and a training step is mostly such calls."""


class Step(NamedTuple):
    """One kernel call of every run: ``outs = kernel(ctx, *ins)``, on the run's value slots."""

    kernel: Callable
    ctx: OpContext
    ins: Any                  # the input slot (ONE_INPUT), else a tuple of slots
    outs: Any                 # the output slot, else (MULTI_OUTPUT) a tuple of slots
    how: int                  # ONE_INPUT, TWO_INPUTS, ANY_INPUTS or MULTI_OUTPUT

    @property
    def op(self) -> Operation:
        return self.ctx.op


_new_step = tuple.__new__


class Plan:
    """What running some fetches with some fed tensors takes: made once, run many times.

    Every value of a run has a *slot*, a place in a list: the fed values, then every output of
    every op the fetches need. ``template`` holds what is known before the run starts; a run
    copies it, puts the fed values in, and calls the ``steps`` in order. Each needed op becomes
    one of four things (``_place``):

    * **nothing**: a ``NoOp`` (running in order is all it asks), or an op whose outputs are fed;
    * **an alias**: an ``Identity`` of a plain value shares its input's slot;
    * **a value in the template**: a constant; a handle to this session's state (a variable, an
      iterator, a table: the same object in every run); or a value computed now, once, because
      it is the same in every run ("constant folding": ``tensor_util.can_fold``);
    * **a step**: a kernel call in every run (:class:`Step`).
    """

    @gc_paused()
    def __init__(self, session: "Session", fetch_elements: list, feeds: "list[Tensor]"):
        self._session = session
        self._fed = fed = set(feeds)
        self._slot_of: "dict[Tensor, int]" = {}
        self._known: "set[int]" = set()          # slots whose template value is the same in every run
        self.template: list = []
        self.steps: "list[Step]" = []
        self.unfed_placeholders: "list[Operation]" = []
        # 1. The ops the fetches need: walk back from them, stopping at fed tensors, following a
        #    control input only when running it has an effect.
        starts = [el if isinstance(el, Operation) else el.op for el in fetch_elements
                  if isinstance(el, Operation) or el not in fed]
        self.guards: "list[tuple] | None" = None      # with control flow: the slots that make each step dead
        self._dead: "set[Operation]" = set()
        self._live: "dict[Operation, int]" = {}
        graph = session._graph
        if graph._has_control_flow:
            self._dead = session._maybe_dead()
            dead = self._dead
            needed = dependencies(starts, stop_at=fed, follow_control=lambda c: c in dead or _has_effect(c))
        else:
            needed = dependencies(starts, stop_at=fed, follow_control=_has_effect)
        # 2. Slots for the fed values first.
        self.feeds = {t: _Feed(t, self._slot(t)) for t in feeds}
        # 3. Each op, in creation order (an op's inputs are older than the op: a valid order).
        if graph._has_control_flow:
            _plan_frames(self, needed)
        else:
            for op in sorted(needed, key=creation_order):
                self._place(op)
        self.fetch_elements = fetch_elements
        # 4. Where each fetched value will be: (slot, was it fed, is it a variable reference).
        self.fetch_slots = [(None, False, False) if isinstance(el, Operation) else
                            (self._slot_of[el], el in fed, el.dtype.is_ref) for el in fetch_elements]

    def _slot(self, t: "Tensor | None") -> int:
        """A new slot (for ``t``, unless None: a fed op's own output, which nobody reads)."""
        slot = len(self.template)
        self.template.append(None)
        if t is not None:
            self._slot_of[t] = slot
        return slot

    def _place(self, op: Operation) -> None:
        fed, slot_of, template, known = self._fed, self._slot_of, self.template, self._known
        op_type, outputs = op._type, op._outputs
        if op_type == "NoOp" or (outputs and all(t in fed for t in outputs)):
            return                                                  # nothing to compute
        if (op_type == "Identity" or op_type == "LoopCond") and not op._inputs[0]._dtype.is_ref and \
                outputs[0] not in fed:
            slot_of[outputs[0]] = slot_of[op._inputs[0]]            # an alias: the same value
            return
        outs = []
        for t in outputs:
            if t in fed:              # the fed value wins: this output gets a slot nobody reads
                outs.append(len(template))
                template.append(None)
            elif t in slot_of:
                outs.append(slot_of[t])
            else:
                outs.append(len(template))
                slot_of[t] = len(template)
                template.append(None)
        if op_type == "Const":
            template[outs[0]] = op._attrs["value"]
            known.add(outs[0])
            return
        if op_type == "Placeholder" and outputs[0] not in fed:
            self.unfed_placeholders.append(op)
        op_def = find_op_def(op_type) or get_op_def(op_type)     # (get_op_def raises the LookupError)
        ctx = self._session._context(op)
        if op_def.handle and not op._control_inputs:
            # A handle to this session's state: the same object in every run, so it is put in
            # place once (but not `known`: the state it stands for changes).
            try:
                template[outs[0]] = op_def.kernel(ctx)
                return
            except Exception:                   # leave it to the run, which reports it properly
                pass
        ins = tuple([slot_of[t] for t in op._inputs])
        known_inputs = known.issuperset(ins)
        if can_fold(op, op_def, known_inputs) and self._fold(op_def.kernel, ctx, op, ins, outs, known_inputs):
            known.update(outs)                  # computed now, once: e.g. shapes, constant masks
            return
        # A Step; made with tuple.__new__, which is what Step(...) does, without its Python frame.
        if len(outs) != 1:                      # several outputs, or none
            self.steps.append(_new_step(Step, (op_def.kernel, ctx, ins, tuple(outs), MULTI_OUTPUT)))
        elif len(ins) == 1:
            self.steps.append(_new_step(Step, (op_def.kernel, ctx, ins[0], outs[0], ONE_INPUT)))
        else:
            how = TWO_INPUTS if len(ins) == 2 else ANY_INPUTS
            self.steps.append(_new_step(Step, (op_def.kernel, ctx, ins, outs[0], how)))

    def _fold(self, kernel: Callable, ctx: OpContext, op: Operation, ins: tuple, outs: list,
              known_inputs: bool) -> bool:
        """Computes a foldable op while planning, from its known inputs (or, for a shape-only op,
        its input's static shape); False leaves it a step."""
        try:
            result = kernel(ctx, *[self.template[i] for i in ins]) if known_inputs else value_from_shape(op)
        except Exception:                           # leave it to the run, which reports it properly
            return False
        for slot, value in zip(outs, result if len(outs) > 1 else [result]):
            if isinstance(value, np.ndarray):
                value.flags.writeable = False       # shared by every run: fetches get a copy
            self.template[slot] = value
        return True


def _has_effect(op: Operation) -> bool:
    """Whether a run must execute ``op`` when a needed op only waits for it (a control input):
    groups (NoOps) and stateful ops (updates, iterators, ...) do something. A stateless op
    would compute a value nobody reads, so it is left out: e.g. when an optimizer groups each
    op's gradients (``tf.tuple``), the gradient for the input placeholder ``x`` is grouped with
    the kernel's, but no update reads it. An op that only passes a value on (``tf.identity(v.assign(...))``,
    or the Identity of an Enter that TF1 makes for a control input from outside a loop) has the
    effect of what it passes on."""
    while True:
        if op._type == "NoOp" or is_stateful(op._type):
            return True
        if op._type not in _PASS_THROUGH or not op._inputs:
            return False
        op = op._inputs[0]._op


_PASS_THROUGH = frozenset(["Identity", "Enter", "RefEnter", "Switch", "RefSwitch"])


# --------------------------------------------------------------------------------------------
# Plans with control flow: dead values (tf.cond) and frames (tf.while_loop)
# --------------------------------------------------------------------------------------------
class _FrameIndex:
    """What planning the frames of one plan looks up again and again, found once: each op's frame,
    the ops in each frame (inner frames' included), and who reads each loop variable."""

    def __init__(self, needed: "set[Operation]"):
        # a control input that is not needed (a loop body's pivot; a gradient a tf.tuple groups that no
        # update reads) still says which frame its reader is in: its own frame comes from its inputs
        seen = set(needed)
        stack = [c for op in needed for c in op._control_inputs if c not in seen]
        while stack:
            op = stack.pop()
            if op not in seen:
                seen.add(op)
                stack.extend(t._op for t in op._inputs)
                stack.extend(op._control_inputs)
        self.frame_of = frame_of = frames.find_frames(seen)
        self.inside: "dict[frames.Frame, list[Operation]]" = {}
        self.readers: "dict[Tensor, list[Operation]]" = {}
        for op in sorted(needed, key=creation_order):
            f = frame_of.get(op._inputs[0]._op) if op._type in ("Exit", "RefExit") else frame_of.get(op)
            while f is not None:
                self.inside.setdefault(f, []).append(op)
                f = f.parent
            for t in op._inputs:
                if frames.is_loop_merge(t._op):
                    self.readers.setdefault(t, []).append(op)


def _plan_frames(region: "Plan | LoopPlan", needed: "set[Operation]", frame: "frames.Frame | None" = None,
                 index: "_FrameIndex | None" = None, only: "list[Operation] | None" = None) -> None:
    """Places the needed ops of one frame (the top level when ``frame`` is None; those in ``only``
    if given): its own ops in an order that respects every input (``frames.topological``), each
    inner loop as one step."""
    if index is None:
        index = _FrameIndex(needed)
    frame_of = index.frame_of
    fed = region._fed
    dead = region._dead

    def node_of(p: Operation) -> Any:
        """The node of ``frame``'s region that produces ``p``'s value: ``p`` itself, the inner
        loop it is in (an Exit counts as its loop's), or None (outside: an Enter brings it)."""
        f = frame_of.get(p)
        if p._type in ("Exit", "RefExit"):
            f = frame_of.get(p._inputs[0]._op)
        if f is frame:
            return p
        while f is not None and f.parent is not frame:
            f = f.parent
        return f

    nodes: list = []
    deps: "dict[Any, list]" = {}
    for op in (only if only is not None else needed if frame is None else index.inside.get(frame, ())):
        node = node_of(op)
        if node is None or (node is op and op._type in frames.STRUCTURAL):
            continue                     # outside, or a loop's own op (its LoopPlan handles it)
        if node is op and frames.is_loop_merge(op) or frames.is_loop_switch(op):
            continue
        if node not in deps:
            nodes.append(node)
            deps[node] = []
        inputs = op._inputs[:1] if frames.is_loop_merge(op) else op._inputs
        for t in inputs:
            if t not in fed:
                d = node_of(t._op)
                if d is not None and d is not node:
                    deps[node].append(d)
        for c in op._control_inputs:
            if c in needed:
                d = node_of(c)
                if d is not None and d is not node:
                    deps[node].append(d)
    order = frames.topological(nodes, deps, key=lambda n: n._id if isinstance(n, Operation) else n.key)
    for node in order:
        if isinstance(node, Operation):
            _place_cf(region, node)
        else:
            loop = LoopPlan(region, node, needed, index)
            ins = tuple(region._slot_of[e._inputs[0]] for e in loop.enters)
            outs = tuple(region._slot_of[x._outputs[0]] if x._outputs[0] in region._slot_of else region._slot(
                x._outputs[0]) for x in loop.exits)
            region.steps.append(_new_step(Step, (loop.run, loop, ins, outs, MULTI_OUTPUT)))
            region.guards.append(ins if any(e._inputs[0]._op in dead for e in loop.enters) else ())


def _place_cf(region: "Plan | LoopPlan", op: Operation) -> None:
    """``Plan._place`` for a plan with control flow: an op that may see dead values always
    becomes a step, guarded by the slots whose deadness makes it dead."""
    if region.guards is None:
        region.guards = [()] * len(region.steps)
    if op not in region._dead:
        before = len(region.steps)
        region._place(op)
        if len(region.steps) > before:
            region.guards.append(())
        return
    slot_of = region._slot_of
    outs = tuple(slot_of[t] if t in slot_of else region._slot(t) for t in op._outputs)
    ctx = region._session._context(op)
    if op._type == "Const":
        value = op._attrs["value"]
        kernel: Callable = lambda ctx: (value,)         # noqa: E731 (a constant in a branch)
    else:
        kernel = (find_op_def(op._type) or get_op_def(op._type)).kernel
    if not outs:                                        # no outputs: one slot says it ran
        outs = (region._slot(None),)
        region._live[op] = outs[0]
        kernel = _with_liveness(kernel)
    ins = tuple(slot_of[t] for t in op._inputs)
    guard = () if op._type in ("Merge", "RefMerge") else ins
    live = [slot for c in op._control_inputs if c in region._dead for slot in _liveness(region, c)]
    if len(outs) == 1 and op._outputs and op._type != "Const":     # one value, not a tuple
        how = ONE_INPUT if len(ins) == 1 else TWO_INPUTS if len(ins) == 2 else ANY_INPUTS
        region.steps.append(_new_step(Step, (kernel, ctx, ins[0] if how == ONE_INPUT else ins, outs[0], how)))
    else:
        region.steps.append(_new_step(Step, (kernel, ctx, ins, outs, MULTI_OUTPUT)))
    region.guards.append(tuple(guard) + tuple(live))


def _liveness(region: "Plan | LoopPlan", op: Operation) -> tuple:
    """The slots that are dead when ``op`` did not run (what a control edge from it waits for). A
    ``Switch`` runs when its inputs are alive, even though one of its outputs is then dead."""
    if op in region._live:
        return (region._live[op],)
    slot_of = region._slot_of
    if op._type in ("Switch", "RefSwitch") and not frames.is_loop_switch(op):
        return tuple(slot_of[t] for t in op._inputs if t in slot_of)
    if op._outputs and op._outputs[0] in slot_of:
        return (slot_of[op._outputs[0]],)
    return ()


def _with_liveness(kernel: Callable) -> Callable:
    def run(ctx, *args):
        kernel(ctx, *args)
        return (True,)
    return run


class LoopPlan:
    """One ``tf.while_loop`` in a plan: a step whose kernel runs the loop's frame.

    The loop has slots of its own (copied from its ``template`` each time it starts). Its step
    gets the values entering the loop and returns the loop variables' final values (the Exits):
    per iteration it runs ``cond_steps`` (up to ``LoopCond``), stops if the predicate is false,
    else runs ``body_steps`` and moves each ``NextIteration`` value into its loop variable."""

    def __init__(self, parent: "Plan | LoopPlan", frame: "frames.Frame", needed: "set[Operation]",
                 index: _FrameIndex):
        self._session, self._fed, self._dead = parent._session, parent._fed, parent._dead
        self.unfed_placeholders = parent.unfed_placeholders
        self._slot_of: "dict[Tensor, int]" = {}
        self._known: "set[int]" = set()
        self._live: "dict[Operation, int]" = {}
        self.template: list = []
        self.steps: "list[Step]" = []
        self.guards: "list[tuple]" = []
        self.op = frame.loop_cond                 # the op an error inside the loop names
        self.frame = frame
        self.enters = [e for e in frame.enters if e in needed]
        self.exits = [x for x in frame.exits if x in needed]
        self.in_slots = [self._slot(e._outputs[0]) for e in self.enters]
        merges = [m for m in frame.merges if m in needed]
        self.merge_slots = [self._slot(m._outputs[0]) for m in merges]
        self.init = [(ms, self._slot_of[m._inputs[0]]) for m, ms in zip(merges, self.merge_slots)]
        for m in merges:
            for c in index.readers.get(m._outputs[0], ()):
                if frames.is_loop_switch(c):
                    self._slot_of[c._outputs[0]] = self._slot_of[c._outputs[1]] = self._slot_of[m._outputs[0]]
        # The ops up to the predicate first, then the body.
        cond_part = _cond_part(frame, needed, index.frame_of)
        inside = index.inside.get(frame, [])
        _plan_frames(self, needed, frame, index, only=[op for op in inside if op in cond_part])
        self.cond_count = len(self.steps)
        self.pred = self._slot_of[frame.loop_cond._outputs[0]]
        _plan_frames(self, needed, frame, index, only=[op for op in inside if op not in cond_part])
        self.next_slots = [self._slot_of[m._inputs[1]._op._inputs[0]] for m in merges]
        self.out_slots = [self._slot_of[x._inputs[0]] for x in self.exits]
        self.cond_steps, self.body_steps = self.steps[:self.cond_count], self.steps[self.cond_count:]
        self.cond_guards, self.body_guards = self.guards[:self.cond_count], self.guards[self.cond_count:]
        if not any(self.cond_guards):             # nothing can be dead here: the plain runner
            self.cond_guards = None
        if not any(self.body_guards):
            self.body_guards = None

    _slot, _place, _fold = Plan._slot, Plan._place, Plan._fold

    def run(self, ctx: Any, *inputs: Any) -> tuple:
        values = self.template.copy()
        for slot, value in zip(self.in_slots, inputs):
            values[slot] = value
        for merge, first in self.init:
            values[merge] = values[first]
        cond_steps, cond_guards, body_steps, body_guards = (self.cond_steps, self.cond_guards, self.body_steps,
                                                            self.body_guards)
        pred, merges, nexts = self.pred, self.merge_slots, self.next_slots
        n = 0
        while True:
            if cond_guards is None:
                run_steps(cond_steps, values)
            else:
                run_steps_cf(cond_steps, cond_guards, values)
            if not values[pred]:
                break
            if body_guards is None:
                run_steps(body_steps, values)
            else:
                run_steps_cf(body_steps, body_guards, values)
            new = [values[s] for s in nexts]
            for slot, value in zip(merges, new):
                values[slot] = value
            n += 1
        self._session._iterations[self.frame.name] = n      # (the run-annotated picture shows it)
        return tuple([values[s] for s in self.out_slots])


def _cond_part(frame: "frames.Frame", needed: "set[Operation]", frame_of: dict) -> "set[Operation]":
    """The ops of ``frame`` (and of loops inside it) that the predicate needs: run first in each
    iteration, and once more at the end, when the predicate turns false."""
    found: "set[Operation]" = set()
    stack = [frame.loop_cond]
    while stack:
        op = stack.pop()
        if op in found or op not in needed:
            continue
        if op in frame.enters or (frame_of.get(op) is frame and (frames.is_loop_merge(op) or
                                                                 frames.is_loop_switch(op))):
            continue
        found.add(op)
        stack.extend(t._op for t in op._inputs)
        stack.extend(op._control_inputs)
    return found


class Session:
    """Runs graph computations: ``with tf.Session() as sess: sess.run(total)``."""

    def __init__(self, target: str = "", graph: "Graph | None" = None, config: Any = None):
        if graph is None:
            graph = get_default_graph()
        elif not isinstance(graph, Graph):
            raise TypeError("graph must be a tf.Graph, but got %s" % type(graph))
        if config is not None and not isinstance(config, ConfigProto):
            raise TypeError("config must be a tf.ConfigProto, but got %s\nFix: e.g. tf.Session(config=tf.ConfigProto("
                            "allow_soft_placement=True)); tinyflow accepts it and runs every op on the CPU."
                            % type(config))
        self._graph = graph
        self._config = config
        self._closed = False
        self._plans: dict = {}
        self._contexts: "dict[Operation, OpContext]" = {}
        self._variables: "dict[Operation, np.ndarray]" = {}   # variable op -> value
        self._pending: "dict[Operation, np.ndarray]" = {}     # writes of the current run
        self._undo: "list[tuple[Callable, Any]]" = []         # other state changes of the current run
        self._running = False                                  # inside run() (nested runs join it)
        self._default_cm: Any = None
        self._dead_cache: Any = None
        self._iterations: "dict[str, int]" = {}               # loop frame -> iterations in its last run
        self._keep_dead = False                                # fetched dead values come back as DEAD (pictures)

    graph = property(lambda self: self._graph)
    graph_def = property(lambda self: self._graph.as_graph_def())
    sess_str = property(lambda self: "")

    def _context(self, op: Operation) -> OpContext:
        ctx = self._contexts.get(op)
        if ctx is None:
            ctx = self._contexts[op] = OpContext(op, self)
        return ctx

    # --- running ---------------------------------------------------------
    def run(self, fetches: Any, feed_dict: "dict | None" = None, options: Any = None,
            run_metadata: Any = None) -> Any:
        """Computes ``fetches`` (any nesting of lists, tuples, dicts of tensors/ops/names)."""
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        try:
            fkey = fetches if type(fetches) is Tensor else _structure_key(fetches)
            feed_keys = tuple(feed_dict) if feed_dict else ()
        except RecursionError:
            raise ValueError("The fetches are nested too deeply for tinyflow to follow (more than about %d levels "
                             "of lists, tuples or dicts).\nFix: fetch a flatter structure." % sys.getrecursionlimit())
        except TypeError:
            if feed_dict is not None and not isinstance(feed_dict, collections.abc.Mapping):
                raise TypeError("feed_dict must be a dict mapping tensors (or their names) to values, got %r of type "
                                "%s.\nFix: e.g. `sess.run(y, feed_dict={x: value})`." % (feed_dict,
                                                                                      type(feed_dict).__name__))
            raise
        plan_key = (fkey, feed_keys)
        entry = self._plans.get(plan_key)
        if entry is None:
            entry = self._make_plan(fetches, feed_dict or {}, plan_key)
        plan, build, feed_list, nested = entry
        values = plan.template.copy()
        if feed_list:
            if nested:
                feed_dict = _flatten_feeds(feed_dict)
                feed_keys = tuple(feed_dict)
            for key, feed in zip(feed_keys, feed_list):
                values[feed.slot] = feed.convert(feed_dict[key])
        if plan.steps:
            if self._running:                    # a run started by a kernel of another run
                self._run_nested(plan, values)
            else:
                self._running = True
                try:
                    if plan.guards is None:
                        run_steps(plan.steps, values)
                    else:
                        run_steps_cf(plan.steps, plan.guards, values)
                except BaseException as e:
                    self._pending.clear()         # a failed run changes no variable,
                    notes = self._roll_back(0)    # no iterator, no table
                    if notes and isinstance(e, errors.OpError):
                        for note in notes:
                            e.append_message(note)
                    raise
                finally:
                    self._running = False
                if self._pending:                 # it succeeded: its variable writes are stored
                    self._variables.update(self._pending)
                    self._pending.clear()
                if self._undo:
                    self._undo.clear()
        if plan.guards is not None and not self._keep_dead:
            _check_alive(plan, values)
        if build is None:                       # one tensor fetched
            slot, was_fed, is_ref = plan.fetch_slots[0]
            return _fetched(values[slot], was_fed, is_ref)
        return build([None if slot is None else _fetched(values[slot], was_fed, is_ref)
                      for slot, was_fed, is_ref in plan.fetch_slots])

    def _make_plan(self, fetches: Any, feed_dict: dict, plan_key: tuple):
        """Plans a run of ``fetches`` with ``feed_dict``'s keys and keeps it under ``plan_key``."""
        graph = self._graph
        if not graph._ops:
            raise RuntimeError("The Session graph is empty.  Add operations to the graph before calling run().")
        leaves: list = []
        if isinstance(fetches, Tensor) and fetches.graph is graph:
            leaves, build = [fetches], None
        else:
            build = _flatten_fetches(fetches, graph, leaves, {})
            if type(fetches) in (list, tuple) and len(leaves) == len(fetches) and not any(
                    isinstance(f, (list, tuple, collections.abc.Mapping)) for f in fetches):
                build = type(fetches)           # each fetch is its own leaf, in order: no rebuilding
        if not leaves:
            return Plan(self, [], []), build, [], False
        if graph._unfetchable:
            for leaf in leaves:
                if not graph.is_fetchable(leaf):
                    op = leaf.op if isinstance(leaf, Tensor) else leaf
                    raise ValueError("Operation %s has been marked as not fetchable. Typically this happens when it is "
                                     "defined in another function or code block. Use return values, explicit Python "
                                     "locals or TensorFlow collections to access it.\n(tinyflow: %r is inside a "
                                     "tf.cond branch or a tf.while_loop body.)\nFix: fetch what the cond or loop "
                                     "returns."
                                     % (op.name, op.name))
        nested = any(isinstance(key, tuple) for key in feed_dict)
        if nested:
            feed_dict = _flatten_feeds(feed_dict)
        feeds = []
        for key in feed_dict:
            try:
                t = graph.as_graph_element(key, allow_tensor=True, allow_operation=False)
            except (TypeError, ValueError, KeyError) as e:
                raise TypeError("Cannot interpret feed_dict key as Tensor: %s" % e) from None
            if not graph.is_feedable(t):
                raise ValueError("Tensor %s may not be fed." % t)
            feeds.append(t)
        plan = Plan(self, leaves, feeds)
        if plan.unfed_placeholders:
            ph = plan.unfed_placeholders[0]
            raise _unfed_error(ph)
        entry = (plan, build, [plan.feeds[t] for t in feeds], nested)
        self._plans[plan_key] = entry
        return entry

    def _run_nested(self, plan: Plan, values: list) -> None:
        """A run started by a kernel of another run (a ``tf.py_func`` calling ``sess.run``) is part
        of that run: its writes stay pending, and are stored only if the outer run succeeds."""
        before, mark = self._pending.copy(), len(self._undo)
        try:
            if plan.guards is None:
                run_steps(plan.steps, values)
            else:
                run_steps_cf(plan.steps, plan.guards, values)
        except BaseException:
            self._pending = before
            self._roll_back(mark)
            raise

    def undo_if_run_fails(self, undo: Callable, arg: Any) -> None:
        """For kernels that change this session's state in place (an iterator's position, a table's
        contents): ``undo(arg)`` puts it back if the run fails, so that a failed run changes no
        state; a text it returns is added to the run's error. (Variable writes need no undo: they
        stay pending until the run succeeds.)"""
        self._undo.append((undo, arg))

    def _roll_back(self, mark: int) -> "list[str]":
        """Undoes the state changes after ``mark``, newest first; the notes they return, each once."""
        undo, notes = self._undo, []
        while len(undo) > mark:
            fn, arg = undo.pop()
            note = fn(arg)
            if note and note not in notes:
                notes.append(note)
        return notes

    def _evaluate(self, fetches: "list[Tensor]", feeds: "dict[Tensor, Any]") -> list:
        """Values of ``fetches`` given ``feeds`` (tensor -> value), from inside a running kernel.

        For kernels that run a piece of graph themselves, e.g. a tf.data iterator calling a
        ``map`` function per element: ops keep their per-session state (random generators) and
        variable writes stay pending with the enclosing run.
        """
        key = ("evaluate", tuple(fetches), tuple(feeds))
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = Plan(self, list(fetches), list(feeds))
        values = plan.template.copy()
        for t, value in feeds.items():
            values[plan.feeds[t].slot] = value
        if plan.guards is None:
            run_steps(plan.steps, values)
        else:
            run_steps_cf(plan.steps, plan.guards, values)
        return [read_value(values[slot]) if is_ref else values[slot] for slot, _, is_ref in plan.fetch_slots]

    def _run_keeping_dead(self, fetches: list, feed_dict: "dict | None") -> list:
        """``run(fetches)``, where a fetched tensor a cond left dead comes back as ``DEAD`` instead of
        failing the run (for the pictures, which show the values of one run)."""
        self._keep_dead = True
        try:
            return self.run(fetches, feed_dict)
        finally:
            self._keep_dead = False

    def _maybe_dead(self) -> "set[Operation]":
        """The graph's ops that may see dead values (``frames.maybe_dead``), kept per graph version."""
        graph = self._graph
        cached = self._dead_cache
        if cached is None or cached[0] != graph._op_counter:
            cached = self._dead_cache = (graph._op_counter, frames.maybe_dead(graph._ops))
        return cached[1]

    def _load_variables(self, values: "dict[Operation, Any]") -> None:
        """Stores values for variable ops all at once, as a successful run commits (Saver.restore)."""
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        arrays = {}
        for op, value in values.items():
            array = np.array(value, dtype=op.outputs[0].dtype.base_dtype.as_numpy_dtype)   # our own copy
            array.flags.writeable = False
            arrays[op] = array
        self._variables.update(arrays)

    # --- lifecycle -------------------------------------------------------
    def close(self) -> None:
        self._closed = True
        self._variables.clear()
        self._contexts.clear()
        self._plans.clear()

    def __enter__(self) -> "Session":
        self._default_cm = self.as_default()
        self._default_cm.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        cm, self._default_cm = self._default_cm, None
        cm.__exit__(*exc)
        self.close()

    @contextlib.contextmanager
    def as_default(self) -> Iterator["Session"]:
        """Makes this the session that ``Tensor.eval()`` and ``Operation.run()`` use."""
        with default_session(self), self._graph.as_default():
            yield self

    def list_devices(self) -> list:
        return []


def run_steps(steps: list, values: list) -> None:
    """Calls each step's kernel once, in order. A failure is re-raised naming the op that failed."""
    step = None
    try:
        for step in steps:
            kernel, ctx, ins, out, how = step
            if how == ONE_INPUT:
                values[out] = kernel(ctx, values[ins])
            elif how == TWO_INPUTS:
                values[out] = kernel(ctx, values[ins[0]], values[ins[1]])
            elif how == ANY_INPUTS:
                values[out] = kernel(ctx, *[values[i] for i in ins])
            else:
                for slot, v in zip(out, kernel(ctx, *[values[i] for i in ins])):
                    values[slot] = v
    except Exception as e:
        if step is None:
            raise
        raise _step_failed(e, step, values) from (None if isinstance(e, errors.OpError) else e)


def run_steps_cf(steps: list, guards: list, values: list) -> None:
    """:func:`run_steps` for a plan with control flow: a step with a dead value among its guard
    slots is not run, and its outputs are dead too."""
    step = None
    try:
        for step, guard in zip(steps, guards):
            kernel, ctx, ins, out, how = step
            if guard:
                for i in guard:
                    if values[i] is DEAD:
                        break
                else:
                    guard = None
                if guard is not None:
                    if how == MULTI_OUTPUT:
                        for slot in out:
                            values[slot] = DEAD
                    else:
                        values[out] = DEAD
                    continue
            if how == ONE_INPUT:
                values[out] = kernel(ctx, values[ins])
            elif how == TWO_INPUTS:
                values[out] = kernel(ctx, values[ins[0]], values[ins[1]])
            elif how == ANY_INPUTS:
                values[out] = kernel(ctx, *[values[i] for i in ins])
            else:
                for slot, v in zip(out, kernel(ctx, *[values[i] for i in ins])):
                    values[slot] = v
    except Exception as e:
        if step is None:
            raise
        raise _step_failed(e, step, values) from (None if isinstance(e, errors.OpError) else e)


def _step_failed(e: Exception, step: tuple, values: list) -> errors.OpError:
    """The error a run raises when ``step`` failed with ``e``: naming the op (and, for a numpy
    failure inside the kernel, the shapes it was given)."""
    if isinstance(e, errors.OpError):
        op = e.op or step[1].op
        return type(e)(e.node_def, op, _annotate(e.message, op))
    return _kernel_error(step[1].op, e, values, step)


def _check_alive(plan: Plan, values: list) -> None:
    for (slot, _, _), element in zip(plan.fetch_slots, plan.fetch_elements):
        if slot is not None and values[slot] is DEAD:
            raise errors.InvalidArgumentError(None, element.op, _annotate(
                "Retval[%d] does not have value\nFix: %s is on a branch of a tf.cond that did not run; fetch the "
                "cond's result (its Merge) instead." % (plan.fetch_elements.index(element), element.name),
                element.op))


class InteractiveSession(Session):
    """A session that installs itself as the default session when created (for notebooks)."""

    def __init__(self, target: str = "", graph: "Graph | None" = None, config: Any = None):
        super().__init__(target, graph, config)
        self._as_default = default_session(self)
        self._as_default.__enter__()

    def close(self) -> None:
        as_default, self._as_default = self._as_default, None
        if as_default is not None:
            as_default.__exit__(None, None, None)
        super().close()


# --------------------------------------------------------------------------------------------
# Error messages that point at the learner's code
# --------------------------------------------------------------------------------------------
def _annotate(message: str, op: Operation) -> str:
    if "\n\t [[node " in message:
        return message
    first, sep, rest = message.partition("\n")
    return "%s\n\t [[node %s (defined at %s) ]]%s%s" % (first, op.name, op.creation_site, sep, rest)


def _unfed_error(op: Operation) -> errors.InvalidArgumentError:
    t = op.outputs[0]
    shape = t.shape
    text = "You must feed a value for placeholder tensor '%s' with dtype %s" % (op.name, t.dtype.short_name)
    if shape.ndims:
        text += " and shape %s" % shape.debug_string()
    var = assigned_name(op.traceback)
    if var:
        text += ("\nFix: give it a value in this run, e.g. `sess.run(..., feed_dict={%s: value})` (%s is the "
                 "placeholder created at the line below; its name %r works as a key too)." % (var, var, t.name))
    else:
        text += ("\nFix: give it a value in this run: `sess.run(..., feed_dict={placeholder: value})`, where "
                 "placeholder is the tensor named %r (created at the line below)." % t.name)
    return errors.InvalidArgumentError(None, op, _annotate(text, op))


def _kernel_error(op: Operation, e: Exception, values: list, step: tuple) -> errors.OpError:
    """A numpy failure inside a kernel becomes an InvalidArgumentError naming the op."""
    kernel, ctx, ins, out, how = step
    if isinstance(e, MemoryError):
        return errors.ResourceExhaustedError(None, op, _annotate(
            "OOM when allocating the output of op '%s' (type %s): %s\nFix: ask for a smaller tensor (check "
            "the sizes in its shape)." % (op.name, op.type, e or "out of memory"), op))
    shapes = [np.shape(read_value(values[i])) for i in ((ins,) if how == ONE_INPUT else ins)]
    text = ("%s\n(tinyflow: op '%s' (type %s) failed on inputs of shapes %s. Giving placeholders a "
            "static shape, e.g. tf.placeholder(tf.float32, [None, 3]), lets such mismatches show up "
            "while the graph is built.)" % (e, op.name, op.type, ", ".join(str(list(s)) for s in shapes)))
    return errors.InvalidArgumentError(None, op, _annotate(text, op))

"""How a session finds the loops of a graph: frames, read from the ops alone, as TF's executor does.

A ``tf.while_loop`` is a *frame*: the ops of its body run once per iteration. The graph says
which ops belong to which frame without any Python bookkeeping:

* an ``Enter`` op starts the frame named by its ``frame_name`` attr (a child of its input's frame);
* an ``Exit`` op leaves it (it belongs to the parent frame);
* every other op is in the frame of its inputs (an op without inputs, in the frame of its
  control inputs: a constant in a body waits for the loop's pivot).

A frame's *loop variables* are its ``Merge`` ops fed by an ``Enter``: each has a back edge from a
``NextIteration``, a ``Switch`` on the frame's ``LoopCond`` and an ``Exit``. A session turns each
frame into a sub-plan (``session.LoopPlan``) run once per iteration; the rest of this module says
which ops may carry *dead* values (those behind a ``tf.cond``'s Switch).

TensorFlow's counterpart: ``core/common_runtime/executor.cc`` (frames, ``FrameState``, dead tensors).
"""
from __future__ import annotations

import heapq
from typing import Any, Iterable

from .framework import Operation, creation_order

STRUCTURAL = frozenset(["Enter", "RefEnter", "Exit", "RefExit", "NextIteration", "RefNextIteration"])
"""Op types a frame's sub-plan handles itself (no kernel call per iteration)."""


def is_loop_switch(op: Operation) -> bool:
    """A loop's own Switch (its predicate is the frame's ``LoopCond``), not a ``tf.cond``'s."""
    return op._type in ("Switch", "RefSwitch") and op._inputs[1]._op._type == "LoopCond"


def is_loop_merge(op: Operation) -> bool:
    return op._type in ("Merge", "RefMerge") and op._inputs[0]._op._type in ("Enter", "RefEnter")


class Frame:
    """One loop: its parent frame (None at the top) and, once :func:`find_frames` has run, its
    loop variables and the ops that run in it."""

    __slots__ = ("name", "parent", "ops", "enters", "merges", "loop_cond", "exits")

    def __init__(self, name: str, parent: "Frame | None"):
        self.name, self.parent = name, parent
        self.ops: "list[Operation]" = []          # ops in this frame, in creation order
        self.enters: "list[Operation]" = []
        self.merges: "list[Operation]" = []       # the loop variables
        self.loop_cond: "Operation | None" = None
        self.exits: "list[Operation]" = []        # (Exits are in the parent frame; listed here)

    @property
    def key(self) -> int:
        """Where the frame's loop node sorts among its parent's ops: at its first Enter."""
        return self.enters[0]._id if self.enters else 0

    def __repr__(self) -> str:
        return "<Frame %r>" % self.name


def find_frames(ops: Iterable[Operation]) -> "dict[Operation, Frame | None]":
    """The frame of each op (None: the top level). ``ops`` must include every op whose frame is
    asked for; inputs from outside them count as the top level (fed values)."""
    frame_of: "dict[Operation, Frame | None]" = {}
    by_name: "dict[tuple, Frame]" = {}
    for op in sorted(ops, key=creation_order):
        t = op._type
        if op._inputs:
            source = frame_of.get(op._inputs[0]._op)
        elif op._control_inputs:
            source = frame_of.get(op._control_inputs[0])
        else:
            source = None
        if t in ("Enter", "RefEnter"):
            name = op._attrs.get("frame_name")
            key = (name, source)
            frame = by_name.get(key)
            if frame is None:
                frame = by_name[key] = Frame(name, source)
            frame.enters.append(op)
        elif t in ("Exit", "RefExit"):
            frame = source.parent if source is not None else None
            if source is not None:
                source.exits.append(op)
        else:
            frame = source
            if frame is not None:
                if is_loop_merge(op):
                    frame.merges.append(op)
                elif t == "LoopCond":
                    frame.loop_cond = op
        frame_of[op] = frame
        if frame is not None and t not in ("Enter", "RefEnter"):
            frame.ops.append(op)
    return frame_of


def maybe_dead(ops: Iterable[Operation]) -> "set[Operation]":
    """The ops whose outputs can be dead in a run: behind a ``tf.cond``'s Switch, through data or
    control inputs (a Merge counts too: both its inputs may be dead, in an enclosing cond), also
    around a loop's back edge."""
    ordered = sorted(ops, key=creation_order)
    dead: "set[Operation]" = set()
    while True:               # until nothing changes: back edges and control inputs added later reach older ops
        count = len(dead)
        for op in ordered:
            if op in dead:
                continue
            if op._type in ("Switch", "RefSwitch") and not is_loop_switch(op):
                dead.add(op)
            elif any(t._op in dead for t in op._inputs) or any(c in dead for c in op._control_inputs):
                dead.add(op)
        if len(dead) == count:
            return dead


def topological(nodes: "list[Any]", deps: "dict[Any, list[Any]]", key: Any) -> list:
    """``nodes`` ordered so that each comes after its ``deps`` (those among ``nodes``), otherwise
    in ``key`` order (creation order): deterministic, and the order of a graph without loops."""
    present = set(nodes)
    waiting = {n: 0 for n in nodes}
    users: "dict[Any, list[Any]]" = {n: [] for n in nodes}
    for n in nodes:
        for d in set(deps.get(n, ())):
            if d in present and d is not n:
                waiting[n] += 1
                users[d].append(n)
    ready = [(key(n), i, n) for i, n in enumerate(nodes) if not waiting[n]]
    heapq.heapify(ready)
    order = []
    count = len(nodes)
    while ready:
        _, _, n = heapq.heappop(ready)
        order.append(n)
        for u in users[n]:
            waiting[u] -= 1
            if not waiting[u]:
                heapq.heappush(ready, (key(u), count, u))
                count += 1
    if len(order) != len(nodes):
        stuck = sorted((n for n in nodes if waiting[n]), key=key)
        raise ValueError("The graph has a cycle that is not a tf.while_loop (through %s).\nFix: build loops with "
                         "tf.while_loop." % ", ".join(getattr(n, "name", repr(n)) for n in stuck[:3]))
    return order

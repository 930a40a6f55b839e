"""Pictures of graphs: ``tf.viz.draw(graph_or_tensors)`` draws the ops with Graphviz.

A picture shows what ``print`` cannot: how the ops connect. Each op is a node labelled with
its name and type, styled by kind (see :func:`legend`): placeholders, constants, variables,
random ops, ordinary ops, and gradient ops (built by ``tf.gradients`` under ``gradients/``).
Each edge is a tensor, labelled with its dtype and static shape (``float32 (?, 3)``); a
dashed edge is a control dependency. Name scopes (``dense/``, ``gradients/``) become boxes.

With ``session=sess`` the graph is also *run* once, and each edge shows the value that
flowed along it (small values in full, bigger ones as shape and min/max)::

    tf.viz.draw(loss, session=sess, feed_dict={x: batch})

The DOT text (Graphviz's input language) is built here, deterministically: op names are the
node ids, everything is listed in creation order. ``picture.source`` shows it; turning it
into SVG needs Graphviz's ``dot`` program (``apt-get install graphviz``).
"""
from __future__ import annotations

import fnmatch
import html
import re
import sys
from typing import Any, Sequence

import numpy as np

from . import errors
from .framework import Graph, Operation, Tensor, dependencies, get_default_graph
from .op_registry import DEAD, VariableRef, find_op_def

__all__ = ["GraphPicture", "draw", "legend", "side_by_side"]

# --------------------------------------------------------------------------------------------
# Node kinds and their styles
# --------------------------------------------------------------------------------------------
# kind -> (legend text, Graphviz node attributes)
KINDS: "dict[str, tuple[str, dict[str, str]]]" = {
    "placeholder": ("placeholder\n(you feed it)", {"shape": "invhouse", "fillcolor": "#fff2cc", "color": "#bf9000"}),
    "constant": ("constant", {"shape": "box", "fillcolor": "#eeeeee", "color": "#888888"}),
    "variable": ("variable\n(kept by the session)", {"shape": "cylinder", "fillcolor": "#b6d7a8", "color": "#38761d"}),
    "variable_op": ("variable's Assign/read", {"shape": "ellipse", "fillcolor": "#d9ead3", "color": "#38761d"}),
    "random": ("random op\n(new values each run)", {"shape": "hexagon", "fillcolor": "#d9d2e9", "color": "#674ea7"}),
    "op": ("operation", {"shape": "ellipse", "fillcolor": "#cfe2f3", "color": "#3d85c6"}),
    "gradient": ("gradient op\n(under gradients/)", {"shape": "ellipse", "fillcolor": "#f4cccc", "color": "#cc0000"}),
    "scope": ("collapsed name scope", {"shape": "box3d", "fillcolor": "#ffffff", "color": "#666666"}),
    "loop": ("tf.while_loop\n(collapsed: expand=[scope])", {"shape": "box3d", "fillcolor": "#fce5cd",
                                                              "color": "#e69138", "peripheries": "2"}),
}
_BACK_EDGE = {"color": "#e69138", "fontcolor": "#b45f06", "style": "bold", "constraint": "false"}
_BRANCHES = ("false branch", "true branch")
_PLACEHOLDERS = ("Placeholder", "PlaceholderWithDefault")
_READS_OF_REFS = ("Identity", "IsVariableInitialized", "InitializedValue", "ReportUninitializedVariables")
_GRADIENT_SCOPE = re.compile(r"^gradients(_\d+)?$")
_GRAPH_ATTRS = 'fontname="Helvetica", fontsize=10, nodesep=0.25, ranksep=0.35'
_NODE_ATTRS = 'fontname="Helvetica", fontsize=10, style="filled", height=0.3, margin="0.1,0.03"'
_EDGE_ATTRS = 'fontname="Helvetica", fontsize=8, color="#555555", fontcolor="#333333", arrowsize=0.6'


def kind_of(op: Operation) -> str:
    """Which style an op gets: ``"placeholder"``, ``"constant"``, ``"variable"``, ..."""
    if any(_GRADIENT_SCOPE.match(part) for part in op.name.split("/")[:-1]):
        return "gradient"
    if op.type in _PLACEHOLDERS:
        return "placeholder"
    if op.type == "Const":
        return "constant"
    if op.type == "VariableV2":
        return "variable"
    op_def = find_op_def(op.type)
    if op_def is not None and op_def.random:
        return "random"
    for t in op.inputs:        # v/Assign, v/read: ops of variable v that use v itself
        if t.op.type == "VariableV2" and op.name.startswith(t.op.name + "/"):
            return "variable_op"
    return "op"


# --------------------------------------------------------------------------------------------
# The picture
# --------------------------------------------------------------------------------------------
_install_hint_shown = False


class GraphPicture:
    """A drawn graph. In Jupyter it shows as an SVG image; ``.source`` is its DOT text."""

    def __init__(self, source: str, text: str, note: str = ""):
        self._source = source
        self._text = text
        self.note = note            # what was left out and how to get it back ("" if nothing)
        self._svg: "str | None" = None

    @property
    def source(self) -> str:
        """The DOT text Graphviz lays out (no ``dot`` program needed to get it)."""
        return self._source

    def pipe(self, format: str = "svg") -> bytes:  # noqa: A002 (graphviz's name)
        """The picture as ``svg`` or ``png`` bytes (needs Graphviz's ``dot`` program)."""
        try:
            import graphviz
        except ImportError:
            raise RuntimeError("Drawing needs the Python package graphviz: pip install graphviz") from None
        import shutil
        if shutil.which("dot") is None:
            raise RuntimeError(_INSTALL_HINT)
        try:
            return graphviz.Source(self._source).pipe(format=format)
        except graphviz.ExecutableNotFound:
            raise RuntimeError(_INSTALL_HINT) from None

    def render(self, path: str, format: "str | None" = None) -> str:  # noqa: A002
        """Writes the picture to ``path`` (format from the extension, e.g. ``graph.png``)."""
        path = str(path)
        if format is None:
            format = path.rpartition(".")[2].lower() if "." in path else "svg"
        if format not in ("svg", "png"):
            raise ValueError("format must be 'svg' or 'png', not %r" % format)
        data = self.pipe(format)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **kwargs: Any) -> dict:
        """Jupyter's hook: SVG plus a fixed text line (the text stays the same without ``dot``)."""
        bundle = {"text/plain": self._text}
        if self._svg is None:
            try:
                self._svg = self.pipe("svg").decode("utf-8")
            except RuntimeError as e:
                _show_install_hint_once(str(e))
        if self._svg is not None:
            bundle["image/svg+xml"] = self._svg
        if include:
            bundle = {k: v for k, v in bundle.items() if k in include}
        if exclude:
            bundle = {k: v for k, v in bundle.items() if k not in exclude}
        return bundle

    def __repr__(self) -> str:
        return self._text


_INSTALL_HINT = ("Graphviz's `dot` program is not installed, so tinyflow cannot draw the picture. Install "
                 "it with `sudo apt-get install graphviz` (Debian/Ubuntu), `brew install graphviz` (macOS) "
                 "or `conda install graphviz` (`make lab` installs it too). Meanwhile `picture.source` "
                 "shows the DOT text.")


def _show_install_hint_once(message: str) -> None:
    global _install_hint_shown
    if not _install_hint_shown:
        _install_hint_shown = True
        print("tinyflow.viz: " + message, file=sys.stderr)


# --------------------------------------------------------------------------------------------
# draw
# --------------------------------------------------------------------------------------------
def draw(target: Any = None, *, session: Any = None, feed_dict: "dict | None" = None,
         fetches_only: "Sequence[Any] | None" = None, collapse: Sequence[str] = (),
         expand: Sequence[str] = (), max_ops: "int | None" = 500, rankdir: str = "TB") -> GraphPicture:
    """Draws a graph, or the part of it that computes some tensors.

    Args:
        target: a ``tf.Graph`` (default: the default graph), or a Tensor/Operation or list of
            them: then only the ops they depend on are drawn.
        session: run the drawn tensors once in this session and show the values on the edges.
            Ops with side effects (assignments, training steps, iterators, prints) are not run,
            nor unfed placeholders and what depends on them.
        feed_dict: values for placeholders in that run.
        fetches_only: with ``session``, show values only for these tensors.
        collapse: name scopes to draw as a single box, e.g. ``["gradients"]``; ``*`` matches
            any scope at its level, e.g. ``["rnn/*"]`` for each scope directly inside ``rnn``.
        expand: scopes to keep open: a loop (drawn as one box otherwise), a scope that ``collapse``
            matched with ``*``, or a top-level scope when a big graph is collapsed automatically.
        max_ops: above this many ops, top-level scopes are collapsed (``None``: never).
        rankdir: ``"TB"`` (top to bottom) or ``"LR"`` (left to right).
    """
    if rankdir not in ("TB", "LR", "BT", "RL"):
        raise ValueError("rankdir must be 'TB', 'LR', 'BT' or 'RL', not %r" % (rankdir,))
    graph, ops, targets = _resolve_target(target)
    layout = _Layout(ops, collapse, expand, max_ops)
    values, run_note = ({}, "") if session is None else _run_values(graph, ops, session, feed_dict, fetches_only)
    if session is not None:
        layout.iterations = {scope: session._iterations[frame] for scope, frame in layout.loops.items()
                             if frame in session._iterations}
    note = "\n".join(n for n in (layout.note, run_note) if n)
    source = _dot_source(layout, targets, values, rankdir, note)
    text = "<tinyflow graph picture: %d ops%s>" % (len(ops), ", scopes collapsed" if layout.auto_collapsed else "")
    return GraphPicture(source, text, note)


def _resolve_target(target: Any) -> "tuple[Graph, list[Operation], list[Tensor]]":
    """(graph, the ops to draw in creation order, the tensors asked for)."""
    if target is None:
        target = get_default_graph()
    if isinstance(target, Graph):
        return target, target.get_operations(), []
    items = list(target) if isinstance(target, (list, tuple)) else [target]
    if not items:
        raise ValueError("draw() needs a graph, a tensor or an operation (got an empty list).")
    elements = []
    for item in items:
        element = item._as_graph_element() if hasattr(item, "_as_graph_element") else item
        if not isinstance(element, (Tensor, Operation)):
            raise TypeError("draw() takes a tf.Graph, a Tensor, an Operation or a list of them, not %s."
                            % type(item).__name__)
        elements.append(element)
    graph = elements[0].graph
    if any(e.graph is not graph for e in elements):
        raise ValueError("draw(): all tensors and operations must come from the same graph.")
    # Everything they depend on (inputs and control inputs), found without recursion.
    needed = dependencies(e.op if isinstance(e, Tensor) else e for e in elements)
    ops = [op for op in graph.get_operations() if op in needed]
    return graph, ops, [e for e in elements if isinstance(e, Tensor)]


# --------------------------------------------------------------------------------------------
# Layout: which op goes into which name-scope box, what is collapsed
# --------------------------------------------------------------------------------------------
class _Layout:
    """Scopes as a tree of clusters. An op named like a scope (``add`` next to ``add/y``) is
    put inside that scope: TF1 names an op after the scope it opened for its helper ops."""

    def __init__(self, ops: "list[Operation]", collapse: Sequence[str], expand: Sequence[str],
                 max_ops: "int | None"):
        self.ops = ops
        named_scopes = {"/".join(op.name.split("/")[:i]) for op in ops for i in range(1, op.name.count("/") + 1)}
        # Each op's box: its name scope (an op named like a scope goes inside it), a tf.cond's
        # ops in a box per branch inside the cond's scope (``cond/true branch``).
        self.path_of: "dict[Operation, str]" = {
            op: _branch_path(op, op.name if op.name in named_scopes else op.name.rpartition("/")[0]) for op in ops}
        self.scopes: "dict[str, int]" = {}            # scope path -> number of ops inside
        for op in ops:
            for path in _prefixes(self.path_of[op]):
                self.scopes[path] = self.scopes.get(path, 0) + 1
        # A tf.while_loop's scope (``while``) is drawn as one box unless expanded.
        self.loops = {op._attrs["frame_name"].rpartition("/")[0]: op._attrs["frame_name"] for op in ops
                      if op._type in ("Enter", "RefEnter")}
        self.loops = {scope: frame for scope, frame in self.loops.items() if scope in self.scopes}
        collapse = [scope for s in _as_names(collapse) for scope in _matching_scopes(s, self.scopes, "collapse")]
        expand = [_check_scope(s, self.scopes, "expand") for s in _as_names(expand)]
        collapse = [c for c in collapse if c not in expand]       # "rnn/*" but expand=["rnn/while"]
        self.collapsed = list(collapse) + [scope for scope in self.loops if scope not in expand and not any(
            e.startswith(scope + "/") for e in expand) and scope not in collapse]
        self.iterations: "dict[str, int]" = {}       # loop scope -> iterations in the drawn run
        self.auto_collapsed: "list[str]" = []
        self.note = ""
        if max_ops is not None and len(ops) > max_ops:
            for scope in self.scopes:
                if "/" in scope or scope in self.collapsed:
                    continue
                if any(e == scope or e.startswith(scope + "/") for e in expand):
                    continue
                self.auto_collapsed.append(scope)
            self.collapsed += self.auto_collapsed
            if self.auto_collapsed:
                biggest = max(self.auto_collapsed, key=lambda s: self.scopes[s])
                self.note = ("%d ops (more than max_ops=%d): top-level name scopes are drawn as boxes.\n"
                             "Open one with draw(..., expand=[%r]), or draw everything with max_ops=None."
                             % (len(ops), max_ops, biggest))
        # Each op -> the node that shows it: itself, or the box of its outermost collapsed scope.
        self.node_of: "dict[Operation, str]" = {}
        self.cluster_of: "dict[str, str]" = {}          # node id -> enclosing scope path ("" = top)
        self.children: "dict[str, list[tuple[str, Any]]]" = {"": []}
        for op in ops:
            path = self.path_of[op]
            box = next((p for p in _prefixes(path) if p in self.collapsed), None)
            inner = box if box is not None else path
            parent = ""
            for p in _prefixes(inner):
                if p == box:
                    break
                if p not in self.children:
                    self.children[p] = []
                    self.children[parent].append(("scope", p))
                parent = p
            if box is not None:
                node_id = box + "/"
                if node_id not in self.cluster_of:
                    self.children[parent].append(("box", box))
                    self.cluster_of[node_id] = parent
            else:
                node_id = op.name
                self.children[path].append(("op", op))
                self.cluster_of[node_id] = path
            self.node_of[op] = node_id
        visible = len(self.cluster_of)
        if max_ops is not None and visible > max_ops:
            self._truncate(max_ops, visible)

    def _truncate(self, max_ops: int, visible: int) -> None:
        """Still too many boxes after collapsing: keep the first ``max_ops`` (in creation order)."""
        kept = list(self.cluster_of)[:max_ops]
        keep = set(kept)
        self.node_of = {op: n for op, n in self.node_of.items() if n in keep}
        for path, items in self.children.items():
            self.children[path] = [it for it in items if it[0] == "scope"
                                   or (it[1].name if it[0] == "op" else it[1] + "/") in keep]
        self.cluster_of = {n: self.cluster_of[n] for n in kept}

        def prune(path: str) -> bool:       # drop scope boxes left empty; True if something is left
            self.children[path] = [it for it in self.children[path] if it[0] != "scope" or prune(it[1])]
            return bool(self.children[path])
        prune("")
        self.note = (self.note + "\n" if self.note else "") + (
            "Only the first %d of %d boxes are drawn; draw a part of the graph with draw(tensor), "
            "or everything with max_ops=None." % (max_ops, visible))


def _branch_path(op: Operation, path: str) -> str:
    """The box an op of a ``tf.cond`` branch is drawn in: ``cond/true branch/...``."""
    context = op._get_control_flow_context()
    pivot = getattr(context, "pivot", None)
    branch = getattr(context, "branch", None)
    if pivot is None or branch is None:
        return path
    scope = pivot.op.name.rpartition("/")[0]
    if path == scope or path.startswith(scope + "/"):
        return scope + "/" + _BRANCHES[branch] + path[len(scope):]
    return path


def _as_names(names: Any) -> "list[str]":
    names = [names] if isinstance(names, str) else list(names or ())
    return [n.rstrip("/") for n in names]


def _matching_scopes(pattern: str, scopes: dict, argument: str) -> "list[str]":
    """The scopes a ``collapse`` entry names: itself, or with ``*`` each scope it matches at that
    depth (``"rnn/*"``: every scope directly inside ``rnn``, in the order the ops were made)."""
    if "*" not in pattern:
        return [_check_scope(pattern, scopes, argument)]
    parts = pattern.split("/")
    found = [s for s in scopes if len(s.split("/")) == len(parts)
             and all(fnmatch.fnmatchcase(a, b) for a, b in zip(s.split("/"), parts))]
    if not found:
        raise ValueError("draw(%s=[%r]): no name scope among the drawn ops matches %r"
                         % (argument, pattern, pattern))
    return found


def _check_scope(name: str, scopes: dict, argument: str) -> str:
    if name not in scopes:
        top = [s for s in scopes if "/" not in s]
        raise ValueError("draw(%s=[%r]): no name scope %r among the drawn ops. Top-level scopes: %s"
                         % (argument, name, name, ", ".join(top) if top else "(none)"))
    return name


def _prefixes(path: str) -> "list[str]":
    """'a/b/c' -> ['a', 'a/b', 'a/b/c'];  '' -> []."""
    if not path:
        return []
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]


# --------------------------------------------------------------------------------------------
# Values: one run of every drawn tensor that can be computed without side effects
# --------------------------------------------------------------------------------------------
def _run_values(graph: Graph, ops: "list[Operation]", session: Any, feed_dict: "dict | None",
                fetches_only: Any) -> "tuple[dict, str]":
    if session.graph is not graph:
        raise ValueError("draw(session=...): the session runs a different graph than the one drawn.")
    feed_dict = dict(feed_dict or {})
    fed = {graph.as_graph_element(k, allow_tensor=True, allow_operation=False) for k in feed_dict}
    wanted = None
    if fetches_only is not None:
        items = fetches_only if isinstance(fetches_only, (list, tuple)) else [fetches_only]
        wanted = {graph.as_graph_element(t, allow_tensor=True, allow_operation=False) for t in items}
    broken: "set[Operation]" = set()      # ops that failed in an earlier attempt
    for _ in range(len(ops) + 1):
        can_run = _runnable_ops(graph, session, fed, broken)
        fetches = [t for op in ops for t in op.outputs
                   if (t in fed or op in can_run) and (wanted is None or t in wanted) and graph.is_fetchable(t)
                   and t.dtype.base_dtype.name != "resource"]      # (a handle has no value to show)
        if not fetches:
            return {}, ""
        try:
            return {t: v for t, v in zip(fetches, session._run_keeping_dead(fetches, feed_dict)) if v is not DEAD}, ""
        except errors.OpError as e:
            if e.op is None or e.op in broken:
                break
            broken.add(e.op)             # leave it (and what depends on it) out, and try again
    return {}, "The values could not be computed."


def _runnable_ops(graph: Graph, session: Any, fed: set, broken: set) -> "set[Operation]":
    """Ops that can run now with no side effects: creation order is a topological order."""
    ok: "set[Operation]" = set()
    unsafe_loops = {c for op in graph.get_operations() if not _safe_to_run(op) and op.type not in _PER_RUN
                    for c in _loops_around(op)}           # a loop runs as a whole: all its ops, or none
    for op in graph.get_operations():
        if op in broken or not (_safe_to_run(op) or op.type in _PER_RUN):
            continue
        if unsafe_loops and not unsafe_loops.isdisjoint(_loops_around(op)):
            continue
        if op.type == "Placeholder" and op.outputs[0] not in fed:
            continue
        if op.type == "VariableV2" and not VariableRef(session, op).is_initialized():
            continue
        inputs = op.inputs[:1] if op.type in ("Merge", "RefMerge") and op.inputs[0].op.type in (
            "Enter", "RefEnter") else op.inputs         # a loop's Merge: its back edge comes later
        if all(t in fed or t.op in ok for t in inputs) and all(c in ok for c in op.control_inputs):
            ok.add(op)
    return ok


_PER_RUN = frozenset(["StackV2", "StackPushV2", "StackPopV2", "TensorArrayV3", "TensorArrayGradV3",
                      "TensorArrayWriteV3", "TensorArrayReadV3", "TensorArrayGatherV3", "TensorArrayScatterV3",
                      "TensorArrayConcatV3", "TensorArraySplitV3", "TensorArraySizeV3"])
"""Stateful op types whose state lives for one run only (a loop's stacks, TensorArrays): a
picture may run them."""


def _loops_around(op: Operation) -> list:
    """The while loops (their contexts) ``op`` is built in, innermost first."""
    found = []
    context = op._get_control_flow_context()
    while context is not None:
        if hasattr(context, "loop_exits"):
            found.append(context)
        context = context.outer_context
    return found


def _safe_to_run(op: Operation) -> bool:
    """Whether a picture may run ``op`` to show its value: not if running it changes anything or
    depends on state a picture should not touch (updates, iterators, tables, ``py_func``, groups);
    random draws and reading a variable are fine. The registry's flags say which is which."""
    op_def = find_op_def(op.type)
    if op_def is None or op.type == "NoOp":
        return False
    if any(t.dtype.is_ref for t in op.inputs) and op.type not in _READS_OF_REFS:
        return False                     # it takes a variable's reference: it may write it
    return not op_def.stateful or op_def.random or op.type == "VariableV2"


def format_value(value: Any) -> str:
    """A value for an edge label: in full when small (<= 6 elements), else shape and range."""
    a = np.asarray(value)
    if a.size <= 6:
        return "= " + _format_nested(a)
    if a.dtype.kind in "OSU":
        return "= %s array of strings" % (a.shape,)
    numbers = a.astype(np.float64) if a.dtype.kind == "b" else a
    return "= %s array, min %s, max %s" % (a.shape, _format_number(np.min(numbers)), _format_number(np.max(numbers)))


def _format_nested(a: np.ndarray) -> str:
    if a.ndim == 0:
        return _format_number(a[()])
    return "[%s]" % ", ".join(_format_nested(np.asarray(x, dtype=a.dtype)) for x in a)


def _format_number(x: Any) -> str:
    if isinstance(x, bytes):             # strings: short readable ones in full (summaries are binary)
        x = bytes(x)
        return repr(x) if len(x) <= 20 and all(32 <= c < 127 for c in x) else "<%d bytes>" % len(x)
    if isinstance(x, str):
        return repr(x) if len(x) <= 20 and x.isprintable() else "<%d characters>" % len(x)
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    text = "%.4g" % float(x)
    if re.fullmatch(r"-?\d+", text):
        text += ".0"                     # a float looks like one: 7.0, not 7
    return text


# --------------------------------------------------------------------------------------------
# DOT text
# --------------------------------------------------------------------------------------------
def _quote(text: str) -> str:
    """A DOT string: backslashes and quotes escaped, newlines as ``\\n`` (a centred line break)."""
    return '"%s"' % text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _attrs(attrs: "dict[str, str]") -> str:
    return ", ".join("%s=%s" % (k, _quote(v)) for k, v in attrs.items())


def _edge_label(t: Tensor, values: dict) -> str:
    name = ":%d " % t.value_index if len(t.op.outputs) > 1 else ""
    label = "%s%s %s" % (name, t.dtype.name, t.shape)
    if t in values:
        label += "\n" + format_value(values[t])
    return label


def _dot_source(layout: _Layout, targets: "list[Tensor]", values: dict, rankdir: str, note: str) -> str:
    lines = ["digraph tinyflow {",
             "  graph [rankdir=%s, %s%s];" % (rankdir, _GRAPH_ATTRS,
                                               ", labelloc=b, label=%s" % _quote(note) if note else ""),
             "  node [%s];" % _NODE_ATTRS,
             "  edge [%s];" % _EDGE_ATTRS]
    # A short edge out of nowhere shows the tensors asked for, and the values of final results.
    used = {t.op for op in layout.node_of for t in op.inputs}
    stubs = [t for op in layout.node_of for t in op.outputs
             if t in targets or (layout.node_of[op] == op.name and t in values and op not in used)]
    stubs_of: "dict[str, list[Tensor]]" = {}      # node (an op, or the box it is collapsed into) -> stubs
    for t in stubs:
        stubs_of.setdefault(layout.node_of[t.op], []).append(t)
    _emit_cluster(layout, "", lines, "  ", stubs_of)
    edges = []
    seen: "set[tuple]" = set()
    for op in layout.node_of:
        head = layout.node_of[op]
        for t in op.inputs:
            tail = layout.node_of.get(t.op)
            if tail is None or tail == head or (tail, head, t.name) in seen:
                continue
            seen.add((tail, head, t.name))
            attrs = {"label": _edge_label(t, values)}
            if op._type in ("Merge", "RefMerge") and t.op._type in ("NextIteration", "RefNextIteration"):
                attrs.update(_BACK_EDGE, label="next iteration: " + attrs["label"])     # the loop's back edge
            edges.append("  %s -> %s [%s];" % (_quote(tail), _quote(head), _attrs(attrs)))
        for c in op.control_inputs:
            tail = layout.node_of.get(c)
            if tail is None or tail == head or (tail, head, "^") in seen:
                continue
            seen.add((tail, head, "^"))
            edges.append("  %s -> %s [style=dashed];" % (_quote(tail), _quote(head)))
    for t in stubs:
        edges.append("  %s -> %s [label=%s];" % (_quote(layout.node_of[t.op]), _quote(_stub_id(t)),
                                                 _quote(_edge_label(t, values))))
    return "\n".join(lines + edges + ["}"]) + "\n"


def _emit_stubs(tensors: Any, lines: "list[str]", indent: str) -> None:
    for t in tensors:
        lines.append('%s%s [shape=none, label="", width=0, height=0];' % (indent, _quote(_stub_id(t))))


def _stub_id(t: Tensor) -> str:
    return "%s (output %d)" % (t.op.name, t.value_index)     # a space: no op can have this name


def _emit_cluster(layout: _Layout, path: str, lines: "list[str]", indent: str,
                  stubs_of: "dict[str, list[Tensor]]") -> None:
    for kind, item in layout.children[path]:
        if kind == "scope":
            style = {"label": item.rpartition("/")[2], "style": "rounded", "color": "#999999",
                     "fontcolor": "#555555"}
            if any(_GRADIENT_SCOPE.match(p) for p in item.split("/")):
                style.update(color="#cc0000", fontcolor="#cc0000", style="rounded,dashed")
            if item in layout.loops:            # an expanded loop: its frame, in the loop's colour
                ran = layout.iterations.get(item)
                style.update(color="#e69138", fontcolor="#b45f06", penwidth="2", label="%s (while loop%s)" % (
                    item.rpartition("/")[2], "" if ran is None else ", ran %d iteration%s" % (
                        ran, "" if ran == 1 else "s")))
            elif item.rpartition("/")[2] in _BRANCHES:
                style.update(color="#6aa84f" if item.endswith("true branch") else "#cc4125", style="rounded,dotted")
            lines.append("%ssubgraph %s {" % (indent, _quote("cluster_" + item)))
            lines.append("%s  graph [%s];" % (indent, _attrs(style)))
            _emit_cluster(layout, item, lines, indent + "  ", stubs_of)
            lines.append("%s}" % indent)
        elif kind == "box" and item in layout.loops:
            attrs = dict(KINDS["loop"][1])
            ran = layout.iterations.get(item)
            attrs.update(label="%s/\nwhile loop, %d ops%s" % (
                item.rpartition("/")[2], layout.scopes[item],
                "" if ran is None else "\nran %d iteration%s" % (ran, "" if ran == 1 else "s")),
                tooltip="tf.while_loop %s/ (collapsed; draw(..., expand=[%r]) opens it)" % (item, item))
            lines.append("%s%s [%s];" % (indent, _quote(item + "/"), _attrs(attrs)))
            _emit_stubs(stubs_of.get(item + "/", ()), lines, indent)
        elif kind == "box":
            attrs = dict(KINDS["scope"][1])
            if any(_GRADIENT_SCOPE.match(p) for p in item.split("/")):
                attrs.update(fillcolor=KINDS["gradient"][1]["fillcolor"], color=KINDS["gradient"][1]["color"])
            attrs.update(label="%s/\n(%d ops)" % (item.rpartition("/")[2], layout.scopes[item]),
                         tooltip="name scope %s/ (collapsed)" % item)
            lines.append("%s%s [%s];" % (indent, _quote(item + "/"), _attrs(attrs)))
            _emit_stubs(stubs_of.get(item + "/", ()), lines, indent)
        else:
            op = item
            attrs = dict(KINDS[kind_of(op)][1])
            attrs.update(label="%s\n(%s)" % (op.name.rpartition("/")[2], op.type), tooltip=op.name)
            lines.append("%s%s [%s];" % (indent, _quote(op.name), _attrs(attrs)))
            _emit_stubs(stubs_of.get(op.name, ()), lines, indent)


# --------------------------------------------------------------------------------------------
# legend
# --------------------------------------------------------------------------------------------
def legend(rankdir: str = "LR") -> GraphPicture:
    """A small picture of the node kinds and edge styles that :func:`draw` uses."""
    lines = ["digraph legend {",
             "  graph [rankdir=%s, %s];" % (rankdir, _GRAPH_ATTRS),
             "  node [%s];" % _NODE_ATTRS,
             "  edge [%s];" % _EDGE_ATTRS]
    names = list(KINDS)
    for kind in names:
        text, attrs = KINDS[kind]
        lines.append("  %s [%s];" % (_quote(kind), _attrs(dict(attrs, label=text))))
    for a, b in zip(names, names[1:]):      # invisible edges keep the kinds in one row
        lines.append("  %s -> %s [style=invis];" % (_quote(a), _quote(b)))
    lines += ['  "data tail" [shape=point, width=0.05];',
              '  "data head" [shape=point, width=0.05];',
              '  "data tail" -> "data head" [label="a tensor: dtype (static shape)\\n= its value (with session=)"];',
              '  "control tail" [shape=point, width=0.05];',
              '  "control head" [shape=point, width=0.05];',
              '  "control tail" -> "control head" [style=dashed, label="control dependency:\\nrun first, no value"];',
              "}"]
    return GraphPicture("\n".join(lines) + "\n", "<tinyflow graph picture: legend>")


# --------------------------------------------------------------------------------------------
# side_by_side
# --------------------------------------------------------------------------------------------
class SideBySide:
    """Pictures in one row, each with a title above it (an HTML block in Jupyter)."""

    def __init__(self, pictures: "list[GraphPicture]", titles: "list[str]"):
        self.pictures, self.titles = pictures, titles

    def _repr_html_(self) -> str:
        cells = []
        for picture, title in zip(self.pictures, self.titles):
            svg = picture._repr_mimebundle_().get("image/svg+xml")
            body = svg if svg is not None else "<pre>%s</pre>" % html.escape(picture.source)
            cells.append('<div style="flex: 0 1 auto; min-width: 0; overflow-x: auto">'
                         '<div style="font-weight: bold; margin-bottom: 4px">%s</div>%s</div>'
                         % (html.escape(title), body))
        return ('<div style="display: flex; gap: 24px; align-items: flex-start">%s</div>' % "".join(cells))

    def __repr__(self) -> str:
        return "<tinyflow pictures side by side: %s>" % ", ".join(self.titles)


def side_by_side(*pictures: GraphPicture, titles: "Sequence[str] | None" = None) -> SideBySide:
    """Shows pictures made by :func:`draw` next to each other, to compare two graphs:
    ``tf.viz.side_by_side(tf.viz.draw(a), tf.viz.draw(b), titles=["static_rnn", "dynamic_rnn"])``."""
    titles = list(titles) if titles is not None else ["" for _ in pictures]
    if len(titles) != len(pictures):
        raise ValueError("side_by_side got %d pictures and %d titles: give one title per picture."
                         % (len(pictures), len(titles)))
    for p in pictures:
        if not isinstance(p, GraphPicture):
            raise TypeError("side_by_side takes pictures made by tf.viz.draw, got %r" % (p,))
    return SideBySide(list(pictures), titles)


def _graph_repr_mimebundle(self: Graph, include: Any = None, exclude: Any = None) -> dict:
    """A graph is drawn when it is the value of a notebook cell."""
    return draw(self)._repr_mimebundle_(include, exclude)


Graph._repr_mimebundle_ = _graph_repr_mimebundle


def __dir__() -> "list[str]":
    """``dir(tf.viz)`` lists its functions only (``__all__``)."""
    return list(__all__)

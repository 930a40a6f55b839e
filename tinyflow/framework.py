"""The graph: ``tf.Graph``, ``tf.Operation``, ``tf.Tensor``, name scopes and collections.

Building a TensorFlow 1.x program only *describes* a computation. Every call such as
``tf.constant(3.0)`` or ``a + b`` appends an :class:`Operation` to the default :class:`Graph`
and returns a :class:`Tensor`: a handle to a value that does not exist yet. A ``Session``
computes the values later.

What an op type *does* is registered in ``op_registry.py``: a numpy kernel (how to compute the
outputs), a shape rule (what the outputs' static shapes are) and a gradient rule. This module
owns the graph itself, the default graph and session, and the conversion of Python values to
tensors. TensorFlow's counterpart: ``python/framework/ops.py``.
"""
from __future__ import annotations

import bisect
import contextlib
import gc
import operator
import re
import types
from typing import Any, Callable, Iterable, Iterator, Sequence

from . import dtypes as _dtypes
from .errors import OperatorNotAllowedInGraphError
from .op_registry import find_op_def
from .tensor_shape import ShapeError, TensorShape, as_shape
from .traceback_utils import display_filename, expand_site, format_site, user_frames

_VALID_OP_NAME = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\-/]*$")
_VALID_SCOPE_NAME = re.compile(r"^[A-Za-z0-9_.\-/]*$")
_NO_OPS: tuple = ()                # the control inputs of an op that has none
_UNKNOWN_SHAPE = TensorShape(None)
_NO_ATTRS = types.MappingProxyType({})   # the attrs of an op that has none (read-only, shared)
_valid_names: "set[str]" = set()   # names already checked against _VALID_OP_NAME


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pauses Python's cyclic garbage collector while a bulk builder (tf.gradients, a session
    plan) allocates many long-lived objects and no garbage; it would only re-scan them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# --------------------------------------------------------------------------------------------
# Tensor
# --------------------------------------------------------------------------------------------
class Tensor:
    """A symbolic handle to one output of an Operation; its value exists only inside a run."""

    # Tensors hash and compare by identity (as in TF1), so they can be feed_dict keys.
    __array_priority__ = 100  # numpy defers `ndarray + tensor` to Tensor.__radd__
    __slots__ = ("_op", "_value_index", "_dtype", "_shape")   # compact: graphs hold many

    def __init__(self, op: "Operation", value_index: int, dtype: _dtypes.DType, shape: TensorShape):
        self._op = op
        self._value_index = value_index
        self._dtype = dtype
        self._shape = shape

    op = property(lambda self: self._op)
    value_index = property(lambda self: self._value_index)
    dtype = property(lambda self: self._dtype)
    graph = property(lambda self: self._op._graph)
    device = property(lambda self: self._op.device)

    @property
    def name(self) -> str:
        return "%s:%d" % (self._op._name, self._value_index)

    @property
    def shape(self) -> TensorShape:
        return self._shape

    def get_shape(self) -> TensorShape:
        return self._shape

    def set_shape(self, shape: Any) -> None:
        """Refines the static shape (it must be compatible with what is known)."""
        self._shape = self._shape.merge_with(as_shape(shape))

    def consumers(self) -> "list[Operation]":
        """The ops that take this tensor as an input, in creation order (an op that takes it twice
        is listed twice). Found by looking at the ops created after this one: graphs keep edges
        only from an op to its inputs, which keeps them small."""
        ops = self._op._graph._ops
        start = bisect.bisect_right(ops, self._op._id, key=creation_order)
        if self._op._type == "NextIteration":     # the back edge goes to an older Merge
            start = 0
        return [op for op in ops[start:] for t in op._inputs if t is self]

    def eval(self, feed_dict: "dict | None" = None, session: Any = None) -> Any:
        """Runs this tensor in ``session`` (default: the default session)."""
        return session_for(session, "evaluate tensor using `eval()`").run(self, feed_dict)

    def __str__(self) -> str:
        shape = ", shape=%s" % self._shape if self._shape.ndims is not None else ""
        return 'Tensor("%s"%s, dtype=%s)' % (self.name, shape, self._dtype.name)

    def __repr__(self) -> str:
        return "<tf.Tensor '%s' shape=%s dtype=%s>" % (self.name, self._shape, self._dtype.name)

    # TF1 graph-mode rules: no truth value, no iteration, no len, no numpy conversion.
    def __bool__(self):
        raise OperatorNotAllowedInGraphError(
            "using a `tf.Tensor` as a Python `bool` is not allowed in Graph execution. "
            "Use Eager execution or decorate this function with @tf.function.\n(tinyflow: TF1 graphs have "
            "neither; %s has no value until a session runs it, so a Python `if`, `while`, `and`, `or` or `not` "
            "cannot look at it.)\nFix: to choose between two computations when the graph runs, build both with "
            "`tf.cond(pred, true_fn, false_fn)`; to repeat one, `tf.while_loop(cond, body, loop_vars)`; to "
            "combine conditions, `tf.logical_and` / `tf.logical_or` / `tf.logical_not`; to look at the value, "
            "`sess.run(...)` it first." % self.name)

    def __iter__(self):
        raise OperatorNotAllowedInGraphError(
            "iterating over `tf.Tensor` is not allowed in Graph execution. "
            "(tinyflow: use `tf.unstack(%s)` to split it into tensors, or run it first.)" % self.name)

    def __index__(self):
        raise TypeError(
            "'Tensor' object cannot be interpreted as an integer\n(tinyflow: %s has no value until a session runs "
            "it, so it cannot be a Python int, e.g. in `range(...)` or as a list index.)\nFix: for a loop whose "
            "length is a tensor, use `tf.while_loop(lambda i, ...: i < n, body, [0, ...])`; to index with it, "
            "`tf.gather(params, index)`." % self.name)

    def __len__(self):
        raise TypeError("len is not well defined for symbolic Tensors. (%s) Please call `x.shape` "
                        "rather than `len(x)` for shape information." % self.name)

    def __array__(self, dtype=None, copy=None):
        raise NotImplementedError(
            "Cannot convert a symbolic Tensor (%s) to a numpy array.\n(tinyflow: a Tensor has no value "
            "while the graph is being built. To compute with it, use tf ops such as tf.abs or tf.square "
            "(also inside Dataset.map and gradient functions), or tf.py_func to run numpy code when the "
            "graph runs; to see its value, run it: `sess.run(tensor)`.)" % self.name)

    def _as_graph_element(self) -> "Tensor":
        return self

    # Operators (+, *, [], ...) are attached by ops/operators.py.


# --------------------------------------------------------------------------------------------
# Operation
# --------------------------------------------------------------------------------------------
class Operation:
    """A node of the graph: an op type applied to input tensors, producing output tensors."""

    __slots__ = ("_graph", "_type", "_name", "_inputs", "_attrs", "_control_inputs", "_outputs",
                 "_traceback", "_id")

    def __init__(self, graph: "Graph", op_type: str, name: str, inputs: "list[Tensor]",
                 attrs: dict, control_inputs: "list[Operation]", traceback: tuple):
        self._graph = graph
        self._type = op_type
        self._name = name
        self._inputs = inputs
        self._attrs = attrs
        self._control_inputs = control_inputs
        self._outputs: "tuple[Tensor, ...]" = ()
        self._traceback = traceback
        graph._op_counter += 1
        self._id = graph._op_counter   # creation order, used for deterministic ordering

    name = property(lambda self: self._name)
    type = property(lambda self: self._type)
    graph = property(lambda self: self._graph)
    inputs = property(lambda self: list(self._inputs))
    outputs = property(lambda self: list(self._outputs))
    control_inputs = property(lambda self: list(self._control_inputs))
    attrs = property(lambda self: self._attrs)
    traceback = property(lambda self: expand_site(self._traceback))

    @property
    def device(self) -> str:
        """The device ``tf.device`` gave this op ("" for none; tinyflow runs every op on the CPU)."""
        return self._graph._devices.get(self, "")

    def _set_device(self, device: Any) -> None:
        self._graph._devices[self] = device_string(device)

    def get_attr(self, name: str) -> Any:
        try:
            return self._attrs[name]
        except KeyError:
            raise ValueError("Operation %r has no attr named %r." % (self._name, name)) from None

    def values(self) -> tuple:
        return tuple(self._outputs)

    def format_traceback(self) -> str:
        return format_site(self.traceback)

    @property
    def creation_site(self) -> str:
        """``file:line`` of the user code that created this op."""
        if not self._traceback:
            return "<unknown>"
        filename, lineno, _ = self.traceback[0]
        return "%s:%d" % (display_filename(filename), lineno)

    def run(self, feed_dict: "dict | None" = None, session: Any = None) -> None:
        """Runs this operation in ``session`` (default: the default session)."""
        session_for(session, "execute operation using `run()`").run(self, feed_dict)

    def _add_control_input(self, op: "Operation") -> None:
        if op not in self._control_inputs:
            self._control_inputs = list(self._control_inputs) + [op]

    def _update_input(self, index: int, tensor: Tensor) -> None:
        """Replaces input ``index`` (a while loop's ``Merge`` gets its ``NextIteration`` this way:
        the back edge, the one input younger than the op)."""
        inputs = list(self._inputs)
        inputs[index] = tensor
        self._inputs = tuple(inputs)

    def _get_control_flow_context(self) -> Any:
        """The ``tf.cond`` branch or ``tf.while_loop`` body this op was built in (None if neither)."""
        return self._graph._op_contexts.get(self)

    @property
    def node_def(self) -> str:
        lines = ['name: "%s"' % self._name, 'op: "%s"' % self._type]
        lines += ['input: "%s"' % input_name(t) for t in self._inputs]
        lines += ['input: "^%s"' % op._name for op in self._control_inputs]
        return "\n".join(lines) + "\n"

    def __str__(self) -> str:
        return self.node_def

    def __repr__(self) -> str:
        return "<tf.Operation '%s' type=%s>" % (self._name, self._type)

    def _as_graph_element(self) -> "Operation":
        return self


def input_name(t: Tensor) -> str:
    return t.op.name if t.value_index == 0 else t.name


# --------------------------------------------------------------------------------------------
# Graph
# --------------------------------------------------------------------------------------------
class GraphKeys:
    """Standard collection names."""
    GLOBAL_VARIABLES = "variables"
    VARIABLES = "variables"
    LOCAL_VARIABLES = "local_variables"
    METRIC_VARIABLES = "metric_variables"
    MODEL_VARIABLES = "model_variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    SUMMARIES = "summaries"
    QUEUE_RUNNERS = "queue_runners"
    TABLE_INITIALIZERS = "table_initializer"
    ASSET_FILEPATHS = "asset_filepaths"
    MOVING_AVERAGE_VARIABLES = "moving_average_variables"
    REGULARIZATION_LOSSES = "regularization_losses"
    CONCATENATED_VARIABLES = "concatenated_variables"
    SAVERS = "savers"
    WEIGHTS = "weights"
    BIASES = "biases"
    ACTIVATIONS = "activations"
    UPDATE_OPS = "update_ops"
    LOSSES = "losses"
    TRAIN_OP = "train_op"
    GLOBAL_STEP = "global_step"
    INIT_OP = "init_op"
    LOCAL_INIT_OP = "local_init_op"
    COND_CONTEXT = "cond_context"
    WHILE_CONTEXT = "while_context"
    READY_OP = "ready_op"
    READY_FOR_LOCAL_INIT_OP = "ready_for_local_init_op"
    SUMMARY_OP = "summary_op"


class Graph:
    """A TensorFlow computation: operations in creation order, plus naming state and collections."""

    building_function = False   # True for the graph of a traced function (tf.data's map, ...)

    def __init__(self):
        self._ops: "list[Operation]" = []
        self._ops_by_name: "dict[str, Operation]" = {}
        self._names_in_use: "dict[str, int]" = {}
        self._name_stack = ""
        self._control_dependencies_stack: "list[_ControlFrame | None]" = []
        self._collections: "dict[str, list]" = {}
        self._finalized = False
        self._unfeedable: "set[Tensor]" = set()
        self._op_counter = 0
        self.seed: "int | None" = None
        self._gradient_override_map: "dict[str, str]" = {}
        self._variable_scope_store: Any = None   # set by variable_scope.py
        self._layer_name_counts: "dict[str, int]" = {}
        self._device_stack: list = []             # tf.device(...) entries, outermost first
        self._devices: "dict[Operation, str]" = {}  # the ops that were given a device
        # Control flow (tf.cond, tf.while_loop; ops/control_flow_ops.py): the context ops are
        # being built in (None outside them), and the context of each op built inside one.
        self._control_flow_context: Any = None
        self._op_contexts: "dict[Operation, Any]" = {}
        self._has_control_flow = False            # any Switch/Merge/Enter...: sessions plan with frames
        self._unfetchable: "set[Operation]" = set()

    # --- default graph ---------------------------------------------------
    @contextlib.contextmanager
    def as_default(self) -> Iterator["Graph"]:
        """Makes this graph the default graph inside the ``with`` block."""
        _default_graph_stack.append(self)
        try:
            yield self
        finally:
            _default_graph_stack.pop()

    # --- naming ----------------------------------------------------------
    def unique_name(self, name: str, mark_as_used: bool = True) -> str:
        """TF1's algorithm: ``Const``, ``Const_1``, ...; names are compared case-insensitively."""
        if self._name_stack:
            name = self._name_stack + "/" + name
        name_key = name.lower()
        i = self._names_in_use.get(name_key, 0)
        if mark_as_used:
            self._names_in_use[name_key] = i + 1
        if i > 0:
            base = name_key
            while name_key in self._names_in_use:
                name_key = "%s_%d" % (base, i)
                i += 1
            if mark_as_used:
                self._names_in_use[name_key] = 1
            name = "%s_%d" % (name, i - 1)
        return name

    def get_name_scope(self) -> str:
        return self._name_stack

    def name_scope(self, name: "str | None") -> "_NameScope":
        """Opens a name scope: ops inside are named ``scope/op``. Yields ``"scope/"``."""
        return _NameScope(self, name)

    # --- building --------------------------------------------------------
    @property
    def _last_id(self) -> int:
        return self._op_counter

    @property
    def version(self) -> int:
        return len(self._ops)

    @property
    def finalized(self) -> bool:
        return self._finalized

    def finalize(self) -> None:
        """After this, adding ops raises RuntimeError (useful to catch graph growth in loops)."""
        self._finalized = True

    def _unsafe_unfinalize(self) -> None:
        """Opens a finalized graph again (TF's name: what a closed ``MonitoredSession`` does to a
        graph that it finalized itself)."""
        self._finalized = False

    def create_op(self, op_type: str, inputs: Sequence[Tensor], dtypes: Sequence[Any],
                  name: "str | None" = None, attrs: "dict | None" = None,
                  shapes: "Sequence[Any] | None" = None) -> Operation:
        """Adds an op. Output shapes come from ``shapes`` or the op type's shape rule.

        A ``name`` ending in ``/`` is taken as-is (the name of an already opened scope).
        """
        if self._finalized:
            raise RuntimeError("Graph is finalized and cannot be modified.")
        inputs = tuple(inputs)
        for t in inputs:
            if t._op._graph is not self:
                raise ValueError("%s must be from the same graph as %s." % (t, _first_of(inputs, self)))
        if name is None:
            name = op_type
        elif name.__class__ is not str:
            check_name(name, "The name of a %s op" % op_type)
        if name[-1:] == "/":
            name = name[:-1]
        else:
            if name not in _valid_names:
                if not (_VALID_SCOPE_NAME if self._name_stack else _VALID_OP_NAME).match(name):
                    raise ValueError("'%s' is not a valid node name" % name)
                if _VALID_OP_NAME.match(name):
                    _valid_names.add(name)       # valid anywhere: no need to check it again
            name = self.unique_name(name)
        context = self._control_flow_context
        if context is not None:          # inside a cond branch or a loop body: outside values come in
            inputs = context.process_inputs(name, inputs)          # through a Switch or an Enter
        control = self._current_control_dependencies(inputs) if self._control_dependencies_stack else _NO_OPS
        attrs = dict(attrs) if attrs else _NO_ATTRS
        if self._gradient_override_map and op_type in self._gradient_override_map:
            attrs = dict(attrs)
            attrs["_gradient_op_type"] = self._gradient_override_map[op_type]
        op = Operation(self, op_type, name, inputs, attrs, control, user_frames())
        if shapes is None:
            op_def = find_op_def(op_type)
            if op_def is not None and op_def.shape is not None:
                try:
                    shapes = op_def.shape(op)
                except ShapeError as e:
                    raise _shape_rule_error(op, e) from None
            if shapes is None:
                shapes = [_UNKNOWN_SHAPE] * len(dtypes)
        if type(shapes) is TensorShape:
            shapes = (shapes,)
        if len(dtypes) == 1:             # most ops: one output
            d, s = dtypes[0], shapes[0]
            op._outputs = (Tensor(op, 0, d if type(d) is _dtypes.DType else _dtypes.as_dtype(d),
                                  s if type(s) is TensorShape else as_shape(s)),)
        else:
            op._outputs = tuple([Tensor(op, i, d if type(d) is _dtypes.DType else _dtypes.as_dtype(d),
                                        s if type(s) is TensorShape else as_shape(s))
                                 for i, (d, s) in enumerate(zip(dtypes, shapes))])
        # Only now, with everything checked, does the op join the graph.
        self._ops.append(op)
        self._ops_by_name[name] = op
        if self._control_dependencies_stack:
            self._seen_by_control_dependencies(op)
        if self._device_stack:
            device = self._device_for(op)
            if device:
                self._devices[op] = device
        if context is not None:
            context.add_op(op)
        return op

    def _get_control_flow_context(self) -> Any:
        return self._control_flow_context

    def _set_control_flow_context(self, context: Any) -> None:
        self._control_flow_context = context

    # --- devices -----------------------------------------------------------
    @contextlib.contextmanager
    def device(self, device_name_or_function: Any) -> Iterator[None]:
        """Ops created inside get this device: a string (``"/cpu:0"``, ``"/job:ps/task:0"``,
        merged with the enclosing ones), a function of the op returning one, or None (no device).

        tinyflow records devices (``op.device``, the GraphDef) and runs every op on the CPU."""
        spec = device_name_or_function
        if spec is not None and not callable(spec):
            spec = device_string(spec)
            parse_device(spec)                         # a bad string fails here, not at the first op
        self._device_stack.append(spec)
        try:
            yield
        finally:
            self._device_stack.pop()

    def _device_for(self, op: "Operation") -> str:
        """TensorFlow's order: from the innermost ``tf.device`` out, each string fills in what the
        inner ones left unset, each function sees the op's device so far and replaces it, and a
        ``tf.device(None)`` stops the outer ones."""
        device = ""
        for spec in reversed(self._device_stack):
            if spec is None:
                break
            if callable(spec):
                self._devices[op] = device
                device = device_string(spec(op) or "")
            else:
                device = merge_devices(spec, device)
        self._devices.pop(op, None)
        return device

    # --- control dependencies -------------------------------------------
    @contextlib.contextmanager
    def control_dependencies(self, control_inputs: "Sequence[Any] | None") -> Iterator[None]:
        """Ops created inside run only after ``control_inputs`` have run. ``None`` clears them, and
        also leaves any ``tf.cond`` branch or loop body (as TF1 does: variables made inside one
        are made outside it)."""
        if control_inputs is None:
            context = self._control_flow_context
            self._control_dependencies_stack.append(None)
            self._control_flow_context = None
            try:
                yield
            finally:
                self._control_dependencies_stack.pop()
                self._control_flow_context = context
            return
        else:
            ops = []
            for c in control_inputs:
                c = getattr(c, "_as_graph_element", lambda: c)()
                if isinstance(c, Tensor):
                    c = c.op
                if not isinstance(c, Operation):
                    raise TypeError("Can not convert a %s into a Tensor or Operation." % type(c).__name__)
                ops.append(c)
            self._control_dependencies_stack.append(_ControlFrame(ops))
        try:
            yield
        finally:
            self._control_dependencies_stack.pop()

    def _current_control_dependencies(self, inputs: Sequence[Tensor]) -> "list[Operation]":
        """The control inputs of a new op with these inputs. As in TF, a ``tf.control_dependencies``
        block adds none to an op that reads an op built inside the same block: that one waits already."""
        result: "list[Operation]" = []
        input_ops = [t._op for t in inputs]
        for frame in reversed(self._control_dependencies_stack):
            if frame is None:
                break
            if frame.seen and any(op in frame.seen for op in input_ops):
                continue
            for op in frame.ops:
                if op not in result and op not in input_ops:
                    result.append(op)
        return result

    def _seen_by_control_dependencies(self, op: Operation) -> None:
        for frame in reversed(self._control_dependencies_stack):
            if frame is None:
                break
            frame.seen.add(op)

    # --- lookup ----------------------------------------------------------
    def get_operations(self) -> "list[Operation]":
        return list(self._ops)

    def get_operation_by_name(self, name: str) -> Operation:
        if not isinstance(name, str):
            raise TypeError("Operation names are strings (or similar), not %s." % type(name).__name__)
        return self.as_graph_element(name, allow_tensor=False, allow_operation=True)

    def get_tensor_by_name(self, name: str) -> Tensor:
        if not isinstance(name, str):
            raise TypeError("Tensor names are strings (or similar), not %s." % type(name).__name__)
        return self.as_graph_element(name, allow_tensor=True, allow_operation=False)

    def as_graph_element(self, obj: Any, allow_tensor: bool = True, allow_operation: bool = True):
        """Resolves a Tensor, Operation, Variable or name string to an element of this graph."""
        if isinstance(obj, bytes):              # TensorFlow accepts names as bytes too
            obj = obj.decode("utf-8", "replace")
        if allow_tensor and allow_operation:
            types_str = "Tensor or Operation"
        elif allow_tensor:
            types_str = "Tensor"
        else:
            types_str = "Operation"
        if isinstance(obj, str):
            if ":" in obj and allow_tensor:
                op_name, _, index = obj.partition(":")
                try:
                    out = int(index)
                except ValueError:
                    raise ValueError("The name %r looks a like a Tensor name, but is not a valid one. "
                                     "Tensor names must be of the form \"<op_name>:<output_index>\"." % obj)
                op = self._ops_by_name.get(op_name)
                if op is None:
                    raise KeyError("The name %r refers to a Tensor which does not exist. The operation, "
                                   "%r, does not exist in the graph." % (obj, op_name))
                if out >= len(op._outputs):
                    raise KeyError("The name %r refers to a Tensor which does not exist. The operation, "
                                   "%r, exists but only has %d outputs." % (obj, op_name, len(op._outputs)))
                return op._outputs[out]
            if ":" in obj and not allow_tensor:
                raise ValueError("Name %r appears to refer to a Tensor, not a %s." % (obj, types_str))
            if not allow_operation:
                if obj in self._ops_by_name:
                    raise ValueError("The name %r refers to an Operation, not a %s. Tensor names must be "
                                     "of the form \"<op_name>:<output_index>\"." % (obj, types_str))
                raise ValueError("The name %r looks like an (invalid) Operation name, not a %s. Tensor names "
                                 "must be of the form \"<op_name>:<output_index>\". (tinyflow: there is no "
                                 "op %r in the graph; to feed a placeholder, use the tensor object itself "
                                 "as the key, or its name, e.g. 'Placeholder:0'.)" % (obj, types_str, obj))
            if obj not in self._ops_by_name:
                raise KeyError("The name %r refers to an Operation not in the graph." % obj)
            return self._ops_by_name[obj]
        element = obj._as_graph_element() if hasattr(obj, "_as_graph_element") else None
        if isinstance(element, Tensor) and allow_tensor:
            if element.graph is not self:
                raise ValueError("Tensor %s is not an element of this graph." % element)
            return element
        if isinstance(element, Operation) and allow_operation:
            if element.graph is not self:
                raise ValueError("Operation %s is not an element of this graph." % element)
            return element
        raise TypeError("Can not convert a %s into a %s." % (type(obj).__name__, types_str))

    # --- feeding ---------------------------------------------------------
    def prevent_feeding(self, tensor: Tensor) -> None:
        self._unfeedable.add(tensor)

    def is_feedable(self, tensor: Tensor) -> bool:
        return tensor not in self._unfeedable

    def prevent_fetching(self, op: Operation) -> None:
        self._unfetchable.add(op)

    def is_fetchable(self, tensor_or_op: "Tensor | Operation") -> bool:
        op = tensor_or_op.op if isinstance(tensor_or_op, Tensor) else tensor_or_op
        return op not in self._unfetchable

    # --- collections -----------------------------------------------------
    def add_to_collection(self, name: str, value: Any) -> None:
        self._collections.setdefault(name, []).append(value)

    def add_to_collections(self, names: Any, value: Any) -> None:
        for name in ([names] if isinstance(names, str) else names):
            self.add_to_collection(name, value)

    def get_collection(self, name: str, scope: "str | None" = None) -> list:
        items = self._collections.get(name, [])
        if scope is None:
            return list(items)
        pattern = re.compile(scope)
        return [item for item in items if pattern.match(getattr(item, "name", "") or "")]

    def get_collection_ref(self, name: str) -> list:
        return self._collections.setdefault(name, [])

    def clear_collection(self, name: str) -> None:
        self._collections.pop(name, None)

    def get_all_collection_keys(self) -> "list[str]":
        return list(self._collections)

    # --- gradients -------------------------------------------------------
    @contextlib.contextmanager
    def gradient_override_map(self, op_type_map: "dict[str, str]") -> Iterator[None]:
        """Inside the block, ops of type K use the gradient registered as ``op_type_map[K]``."""
        saved = dict(self._gradient_override_map)
        self._gradient_override_map.update(op_type_map)
        try:
            yield
        finally:
            self._gradient_override_map = saved

    # Graph.as_graph_def() is attached by graph_def.py, the notebook picture by viz.py.

    def __repr__(self) -> str:
        return "<tf.Graph with %d ops>" % len(self._ops)


class _ControlFrame:
    """One ``tf.control_dependencies(ops)`` block: its ops, and the ops built inside it so far."""

    __slots__ = ("ops", "seen")

    def __init__(self, ops: "list[Operation]"):
        self.ops = ops
        self.seen: "set[Operation]" = set()


def dependencies(ops: "Iterable[Operation]", stop_at: "set[Tensor] | frozenset" = frozenset(),
                 follow_control: "Callable[[Operation], bool] | None" = None) -> "set[Operation]":
    """The given ops and every op they depend on (inputs and control inputs), without recursion.

    Tensors in ``stop_at`` (e.g. fed tensors) count as given: their producers are not visited.
    With ``follow_control``, a control input is visited only if ``follow_control(op)`` is true.
    """
    found: "set[Operation]" = set()
    stack = list(ops)
    while stack:
        op = stack.pop()
        if op in found:
            continue
        found.add(op)
        for t in op._inputs:
            if t not in stop_at:
                stack.append(t._op)
        if op._control_inputs:
            if follow_control is None:
                stack += op._control_inputs
            else:
                stack += [c for c in op._control_inputs if c not in found and follow_control(c)]
    return found


creation_order: "Callable[[Operation], int]" = operator.attrgetter("_id")
"""``creation_order(op)``: the op's place in creation order, the sort key of every deterministic
order (a C-level getter: plans and ``tf.gradients`` sort many ops by it)."""


def _first_of(inputs: Sequence[Tensor], graph: Graph) -> Any:
    for t in inputs:
        if t.graph is not graph:
            continue
        return t
    ops = graph._ops
    return ops[-1]._outputs[0] if ops and ops[-1]._outputs else graph


def _shape_rule_error(op: Operation, e: ShapeError) -> ValueError:
    """TF's message for a shape rule's complaint: it names the op and its input shapes."""
    shapes = ", ".join(t.shape.debug_string() for t in op._inputs)
    return ValueError("%s for '%s' (op: '%s') with input shapes: %s.%s"
                      % (e.args[0], op._name, op._type, shapes, ("\n" + e.hint) if e.hint else ""))


# --------------------------------------------------------------------------------------------
# The default graph
# --------------------------------------------------------------------------------------------
_global_graph = Graph()
_default_graph_stack: "list[Graph]" = []


def get_default_graph() -> Graph:
    """The graph new ops go into: the innermost ``as_default()``, else the global graph."""
    return _default_graph_stack[-1] if _default_graph_stack else _global_graph


def reset_default_graph() -> None:
    """Replaces the global default graph with a new, empty one."""
    global _global_graph
    if _default_graph_stack:
        raise AssertionError("Do not use tf.reset_default_graph() to clear nested graphs. If you "
                             "need a cleared graph, exit the nesting and create a new graph.")
    _global_graph = Graph()


# --------------------------------------------------------------------------------------------
# The default session (``with sess.as_default():``, ``tf.InteractiveSession``)
# --------------------------------------------------------------------------------------------
_default_session_stack: list = []


def get_default_session() -> Any:
    """The session ``Tensor.eval()`` and ``Operation.run()`` use: the innermost ``as_default()``,
    or the latest ``InteractiveSession``; None if there is none."""
    return _default_session_stack[-1] if _default_session_stack else None


@contextlib.contextmanager
def default_session(session: Any) -> Iterator[Any]:
    """Makes ``session`` the default session inside the ``with`` block (``Session.as_default``)."""
    _default_session_stack.append(session)
    try:
        yield session
    finally:
        _default_session_stack.remove(session)


def session_for(session: Any, what: str) -> Any:
    """``session``, else the default session; ``what`` names the call in the error if neither."""
    session = session or get_default_session()
    if session is None:
        raise ValueError("Cannot %s: No default session is registered. Use `with sess.as_default()` or "
                         "pass an explicit session to `%s(session=sess)`"
                         % (what, "eval" if "eval" in what else "run"))
    return session


def graph_of(values: Any) -> Graph:
    """The graph of the first Tensor/Operation in ``values``, else the default graph.

    While a function is traced (tf.data's ``map``), always the function's graph: it captures
    the outer tensors it is given."""
    if _default_graph_stack and _default_graph_stack[-1].building_function:
        return _default_graph_stack[-1]
    for v in values or ():
        if type(v) is Tensor:
            return v._op._graph
        g = getattr(v, "graph", None)
        if isinstance(g, Graph):
            return g
    return get_default_graph()


def short_repr(value: Any) -> str:
    """``repr(value)``, cut to 60 characters (for error messages)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_DEVICE_FIELDS = ("job", "replica", "task", "device")


def device_string(device: Any) -> str:
    """A device as a string (``DeviceSpec``-like objects have ``to_string``)."""
    if isinstance(device, str):
        return device
    if hasattr(device, "to_string"):
        return device.to_string()
    raise TypeError("A device is a string such as '/cpu:0', not %r.\nFix: e.g. with tf.device('/cpu:0'):" % (device,))


def parse_device(spec: str) -> "dict[str, str]":
    """``"/job:w/task:1/cpu:0"`` -> ``{"job": "w", "task": "1", "device": "CPU:0"}`` (TensorFlow's
    ``DeviceSpec.from_string``)."""
    fields: "dict[str, str]" = {}
    for part in spec.split("/"):
        if not part:
            continue
        key, _, rest = part.partition(":")
        lower = key.lower()
        if lower in ("job", "replica", "task") and rest:
            fields[lower] = rest
        elif lower in ("cpu", "gpu", "tpu") or (lower == "device" and rest):
            kind, _, index = (rest if lower == "device" else part).partition(":")
            fields["device"] = "%s:%s" % (kind.upper(), index or "*")
        else:
            raise ValueError("Unknown attribute: '%s' in '%s'\nFix: a device looks like '/cpu:0', '/gpu:1' or "
                             "'/job:worker/task:0/device:CPU:0'." % (part, spec))
    return fields


def merge_devices(outer: str, inner: str) -> str:
    """``inner``'s fields over ``outer``'s, written as TensorFlow writes devices (``/device:CPU:0``)."""
    fields = parse_device(outer) if outer else {}
    fields.update(parse_device(inner))
    return "".join("/%s:%s" % (key, fields[key]) for key in _DEVICE_FIELDS if key in fields)


def check_name(name: Any, what: str) -> None:
    """Names of ops, scopes, variables and summaries are strings; anything else is a TypeError."""
    if not isinstance(name, str):
        raise TypeError("%s must be a string, not %s (of type %s).\nFix: give a name such as \"loss\"."
                        % (what, short_repr(name), type(name).__name__))


class _NameScope:
    """``with graph.name_scope("foo") as scope:`` (a plain class: cheaper than a generator)."""

    __slots__ = ("graph", "name", "old")

    def __init__(self, graph: "Graph", name: "str | None"):
        self.graph, self.name = graph, name

    def __enter__(self) -> str:
        g, name = self.graph, self.name
        if name is not None and name.__class__ is not str:
            check_name(name, "A name scope")
        self.old = old = g._name_stack
        if not name:
            new = ""
        elif name[-1] == "/":
            new = name[:-1]               # absolute: re-enter exactly
        else:
            if not (_VALID_SCOPE_NAME if old else _VALID_OP_NAME).match(name):
                raise ValueError("'%s' is not a valid scope name" % name)
            new = g.unique_name(name)
        g._name_stack = new
        return new + "/" if new else ""

    def __exit__(self, *exc) -> None:
        self.graph._name_stack = self.old


class name_scope:  # noqa: N801 (TF's name)
    """``with tf.name_scope("layer1") as scope:`` names the ops inside ``layer1/...``.

    ``tf.name_scope(name, default_name, values)``: the scope opens in the graph of ``values``;
    ``default_name`` is used (made unique) when ``name`` is None.
    """

    __slots__ = ("scope", "graph", "pushed")

    def __init__(self, name: "str | None", default_name: "str | None" = None,
                 values: "Sequence[Any] | None" = None):
        g = graph_of(values)
        self.graph = g
        self.scope = _NameScope(g, default_name if name is None else name)

    def __enter__(self) -> str:
        g = self.graph
        scope = self.scope.__enter__()
        self.pushed = get_default_graph() is not g
        if self.pushed:
            _default_graph_stack.append(g)
        return scope

    def __exit__(self, *exc) -> None:
        self.scope.__exit__()
        if self.pushed:
            _default_graph_stack.pop()


def control_dependencies(control_inputs: "Sequence[Any] | None"):
    """``with tf.control_dependencies([a]):`` ops built inside run after ``a``."""
    return get_default_graph().control_dependencies(control_inputs)


def device(device_name_or_function: Any):
    """``with tf.device("/cpu:0"):`` ops built inside record that device (tinyflow runs all on the CPU)."""
    return get_default_graph().device(device_name_or_function)


def add_to_collection(name: str, value: Any) -> None:
    get_default_graph().add_to_collection(name, value)


def add_to_collections(names: Any, value: Any) -> None:
    get_default_graph().add_to_collections(names, value)


def get_collection(key: str, scope: "str | None" = None) -> list:
    return get_default_graph().get_collection(key, scope)


def get_collection_ref(key: str) -> list:
    return get_default_graph().get_collection_ref(key)


# --------------------------------------------------------------------------------------------
# Conversion of Python values to tensors
# --------------------------------------------------------------------------------------------
# Every kind of value that can stand where a tensor is expected registers a conversion function
# (as in TF): constant_op.py for Python and numpy values (priority 200: the fallback),
# ops/concat_ops.py for lists that hold tensors (99: stacked), variables.py for variables (100).
_conversions: "list[tuple[int, int, tuple, Callable]]" = []   # (priority, order, types, function)
_conversions_by_type: "dict[type, list[tuple[int, Callable]]]" = {}
_FALLBACK_PRIORITY = 200
_tensor_like_types: tuple = ()


def register_tensor_conversion_function(base_type: "type | tuple", conversion_func: Callable,
                                        priority: int = 100) -> None:
    """``conversion_func(value, dtype=None, name=None, as_ref=False)`` turns a ``base_type`` value
    into a Tensor, or returns ``NotImplemented`` to let the next function try. Lower priorities
    are tried first."""
    global _tensor_like_types
    types_ = base_type if isinstance(base_type, tuple) else (base_type,)
    _conversions.append((priority, len(_conversions), types_, conversion_func))
    _conversions.sort(key=lambda entry: entry[:2])
    _conversions_by_type.clear()
    _tensor_like_types = tuple(t for _, _, ts, _ in _conversions for t in ts if t not in (object, list, tuple))


def _conversion_functions(cls: type) -> "list[tuple[int, Callable]]":
    found = _conversions_by_type.get(cls)
    if found is None:
        found = _conversions_by_type[cls] = [(p, f) for p, _, ts, f in _conversions if issubclass(cls, ts)]
    return found


def is_tensor_like(value: Any) -> bool:
    """A Tensor, or a value of a type registered to stand for one (a Variable): not a Python or
    numpy value, which would become a constant."""
    return isinstance(value, Tensor) or isinstance(value, _tensor_like_types)


def convert_to_tensor(value: Any, dtype: Any = None, name: "str | None" = None,
                      preferred_dtype: Any = None, as_ref: bool = False) -> Tensor:
    """Returns ``value`` as a Tensor: Tensors pass through, other values go to the conversion
    functions registered for their type (Python and numpy values become constants).

    ``preferred_dtype`` is a hint for values with no dtype of their own: the conversion to a
    constant tries it first (``x + 1`` makes ``1`` a float if x is one). Variables and lists
    holding tensors keep their tensors' dtype.
    """
    if isinstance(value, Tensor):
        if dtype is not None and not _dtypes.as_dtype(dtype).is_compatible_with(value.dtype):
            raise ValueError("Tensor conversion requested dtype %s for Tensor with dtype %s: %r"
                             % (_dtypes.as_dtype(dtype).name, value.dtype.name, value))
        return value
    if isinstance(value, Operation):
        raise TypeError("Can not convert a Operation into a Tensor. (Use one of its outputs, e.g. "
                        "`op.outputs[0]`.)")
    for priority, func in _conversion_functions(type(value)):
        if dtype is None and preferred_dtype is not None and priority >= _FALLBACK_PRIORITY:
            try:
                ret = func(value, dtype=preferred_dtype, name=name, as_ref=as_ref)
            except (TypeError, ValueError):
                ret = NotImplemented
            if ret is not NotImplemented:
                return ret
        ret = func(value, dtype=dtype, name=name, as_ref=as_ref)
        if ret is not NotImplemented:
            return ret
    raise TypeError("Cannot convert %r with type %s to Tensor: no conversion function registered."
                    % (value, type(value)))

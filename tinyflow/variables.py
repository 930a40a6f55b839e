"""Variables: ``tf.Variable``, ``tf.assign``, ``tf.scatter_update``, the variable collections and their
initializers.

A TF1 variable is a small group of graph ops. ``v = tf.Variable([1., 2.], name="v")`` adds:

* ``v/initial_value`` (Const): the starting value;
* ``v`` (VariableV2): the variable itself. Its output ``v:0`` has a *reference* dtype
  (``float32_ref``): running it gives a handle to the value stored **in the session**;
* ``v/Assign`` (Assign): the initializer, ``v.initializer``, which copies the initial value in;
* ``v/read`` (Identity): the value, ``v.value()``. Maths on ``v`` (``v + 1``,
  ``tf.matmul(x, v)``) reads it through this tensor.

Values live in the session, so two sessions have independent variables, and a new session
starts uninitialized. Writes (``Assign``, ``AssignAdd``, ``ScatterAdd``, optimizer updates) are kept aside
during a run and stored only when the whole run succeeds: a failing run changes nothing.

``tf.get_variable`` and variable scopes add *sharing* on top (``variable_scope.py``).

TensorFlow's counterparts: ``python/ops/variables.py``, ``python/ops/state_ops.py``,
``core/ops/state_ops.cc``.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from . import dtypes, errors
from .framework import (GraphKeys, Operation, Tensor, convert_to_tensor, get_collection, get_default_graph,
                        name_scope, register_tensor_conversion_function, session_for)
from .init_ops import initializers
from .op_def_library import python_bool
from .op_registry import NoGradient, VariableRef, primitive, read_value
from .ops.array_ops import identity
from .ops.constant_op import constant
from .ops.control_flow_ops import group, no_op
from .tensor_shape import ShapeError, TensorShape, as_shape, merge_problem

__all__ = [
    "Variable", "VariableV1", "assign", "assign_add", "assign_sub", "scatter_update", "scatter_add", "scatter_sub",
    "global_variables", "trainable_variables",
    "local_variables", "model_variables", "moving_average_variables", "global_variables_initializer",
    "local_variables_initializer", "variables_initializer", "initialize_all_variables",
    "initialize_local_variables", "initialize_variables", "report_uninitialized_variables",
    "is_variable_initialized",
]


# --------------------------------------------------------------------------------------------
# The variable op and its kernel
# --------------------------------------------------------------------------------------------
@primitive("VariableV2", handle=True)
def _variable_kernel(ctx):
    """A variable's output is a handle into this session's variable store (not a value)."""
    ref = ctx.cache.get("ref")
    if ref is None:
        ref = ctx.cache["ref"] = VariableRef(ctx.session, ctx.op)
    return ref


NoGradient("VariableV2")


class Variable:
    """A TF1 (reference) variable: state that persists across ``sess.run`` calls.

    ``tf.Variable(initial_value, trainable=True, collections=None, validate_shape=True, name=None,
    dtype=None)``. ``initial_value`` may be a Python/numpy value, a Tensor, or a callable
    returning one (then its ops are named ``v/Initializer/...``).
    """

    __array_priority__ = 100   # numpy defers `ndarray + variable` to Variable.__radd__

    def __init__(self, initial_value: Any = None, trainable: "bool | None" = None,
                 collections: "Sequence[str] | None" = None, validate_shape: bool = True,
                 caching_device: Any = None, name: "str | None" = None, variable_def: Any = None,
                 dtype: Any = None, expected_shape: Any = None, import_scope: Any = None,
                 constraint: "Callable | None" = None, use_resource: Any = None,
                 synchronization: Any = None, aggregation: Any = None, shape: Any = None):
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        if collections is None:
            collections = [GraphKeys.GLOBAL_VARIABLES]
        if not isinstance(collections, (list, tuple, set)):
            raise ValueError("collections argument to Variable constructor must be a list, tuple, or set. "
                             "Got %s of type %s" % (collections, type(collections)))
        if constraint is not None and not callable(constraint):
            raise ValueError("The `constraint` argument must be a callable.")
        trainable = True if trainable is None else python_bool(trainable, "trainable", "Variable")
        collections = list(collections)
        if trainable and GraphKeys.TRAINABLE_VARIABLES not in collections:
            collections.append(GraphKeys.TRAINABLE_VARIABLES)
        if dtype is not None:
            dtype = dtypes.as_dtype(dtype).base_dtype
        init_from_fn = callable(initial_value)
        # Variables ignore the control dependencies around them (TF's init_scope).
        with name_scope(name, "Variable", [] if init_from_fn else [initial_value]) as scope:
            graph = get_default_graph()
            with graph.control_dependencies(None):
                if init_from_fn:
                    with name_scope("Initializer"):
                        initial = convert_to_tensor(initial_value(), dtype=dtype, name="initial_value")
                else:
                    initial = convert_to_tensor(initial_value, dtype=dtype, name="initial_value")
                if shape is None:
                    shape = initial.shape if validate_shape else TensorShape(None)
                shape = as_shape(shape)
                base = initial.dtype.base_dtype
                self._variable = graph.create_op(
                    "VariableV2", [], [base._as_ref], name=scope, shapes=[shape],
                    attrs={"shape": shape, "dtype": base, "container": "", "shared_name": ""}).outputs[0]
                if validate_shape and not initial.shape.is_fully_defined():
                    raise ValueError("initial_value must have a shape specified: %s" % initial)
                self._initial_value = initial
                self._initializer_op = assign(self._variable, initial, validate_shape=validate_shape).op
                self._snapshot = identity(self._variable, name="read")
                if self._variable.op.device:     # TF1 colocates them with the variable
                    for op in (self._initializer_op, self._snapshot.op):
                        op._set_device(self._variable.op.device)
        self._graph = graph
        self._trainable = trainable
        self._constraint = constraint
        graph.add_to_collections(collections, self)

    # --- what it is ------------------------------------------------------
    name = property(lambda self: self._variable.name, doc="``'v:0'``: the name of the ref tensor.")
    op = property(lambda self: self._variable.op, doc="The VariableV2 operation.")
    dtype = property(lambda self: self._variable.dtype, doc="A reference dtype, e.g. ``float32_ref``.")
    graph = property(lambda self: self._graph)
    device = property(lambda self: self._variable.device)
    trainable = property(lambda self: self._trainable)
    constraint = property(lambda self: self._constraint)
    initializer = property(lambda self: self._initializer_op, doc="The ``v/Assign`` op that initializes it.")
    initial_value = property(lambda self: self._initial_value)

    @property
    def shape(self) -> TensorShape:
        return self._variable.shape

    def get_shape(self) -> TensorShape:
        return self._variable.shape

    def set_shape(self, shape: Any) -> None:
        self._variable.set_shape(shape)
        self._snapshot.set_shape(shape)

    def __repr__(self) -> str:
        return "<tf.Variable '%s' shape=%s dtype=%s>" % (self.name, self.shape, self.dtype.name)

    # --- as a tensor -----------------------------------------------------
    def value(self) -> Tensor:
        """The ``v/read:0`` tensor: the variable's value in a run."""
        return self._snapshot

    def read_value(self) -> Tensor:
        """A new read of the variable (an Identity named ``read`` in the current name scope)."""
        return identity(self._variable, name="read")

    def _ref(self) -> Tensor:
        """The reference tensor ``v:0`` (assign ops write through it; gradients use it)."""
        return self._variable

    def _as_graph_element(self) -> Tensor:
        """``sess.run(v)`` and ``feed_dict={v: ...}`` use the ref tensor."""
        return self._variable

    def initialized_value(self) -> Tensor:
        """The value if the variable is initialized, else its initial value (for initializing
        one variable from another). TF builds a ``tf.cond``; tinyflow uses one small op."""
        with self._graph.control_dependencies(None):
            return self._graph.create_op("InitializedValue", [self._variable, self._initial_value],
                                         [self._initial_value.dtype.base_dtype], name="initialized_value",
                                         shapes=[self._initial_value.shape]).outputs[0]

    # --- running ---------------------------------------------------------
    def eval(self, session: Any = None) -> np.ndarray:
        """The value in ``session`` (default: the default session)."""
        return self._variable.eval(session=session)

    def load(self, value: Any, session: Any = None) -> None:
        """Stores ``value`` in the variable, in ``session``, without adding ops to the graph
        (it runs the initializer with the initial value fed)."""
        session = session_for(session, "load variable")
        session.run(self._initializer_op, {self._initializer_op.inputs[1]: value})

    # --- writing ---------------------------------------------------------
    def assign(self, value: Any, use_locking: bool = False, name: "str | None" = None,
               read_value: bool = True) -> Any:
        """An op that stores ``value``; with ``read_value`` it returns the new value as a tensor."""
        t = assign(self._variable, value, use_locking=use_locking, name=name)
        return t if read_value else t.op

    def assign_add(self, delta: Any, use_locking: bool = False, name: "str | None" = None,
                   read_value: bool = True) -> Any:
        """An op that adds ``delta`` to the variable."""
        t = assign_add(self._variable, delta, use_locking=use_locking, name=name)
        return t if read_value else t.op

    def assign_sub(self, delta: Any, use_locking: bool = False, name: "str | None" = None,
                   read_value: bool = True) -> Any:
        """An op that subtracts ``delta`` from the variable."""
        t = assign_sub(self._variable, delta, use_locking=use_locking, name=name)
        return t if read_value else t.op

    # --- Python protocol: like the value tensor -------------------------
    def __iter__(self):
        raise TypeError("'Variable' object is not iterable. (tinyflow: run it first, or use "
                        "tf.unstack(%s) for one tensor per row.)" % self.name)

    def __array__(self, dtype=None, copy=None):
        raise NotImplementedError("Cannot convert a symbolic Variable (%s) to a numpy array. Run it in a "
                                  "session first: `sess.run(v)` returns a numpy array." % self.name)

    # Variables hash and compare by identity (so they can be dict and feed_dict keys).
    __hash__ = object.__hash__


def _delegate_to_value(dunder: str) -> Callable:
    """``Variable.__add__`` etc.: apply ``Tensor``'s operator to the value tensor ``v/read``."""
    def method(self, *args):
        return getattr(Tensor, dunder)(self._snapshot, *args)
    method.__name__ = dunder
    return method


for _dunder in ["__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__",
                "__rtruediv__", "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__pow__", "__rpow__",
                "__matmul__", "__rmatmul__", "__and__", "__rand__", "__or__", "__ror__", "__xor__", "__rxor__",
                "__lt__", "__le__", "__gt__", "__ge__", "__neg__", "__abs__", "__invert__", "__getitem__",
                "__bool__"]:
    setattr(Variable, _dunder, _delegate_to_value(_dunder))

VariableV1 = Variable


def _variable_to_tensor(v: Variable, dtype: Any = None, name: "str | None" = None,
                        as_ref: bool = False) -> Tensor:
    """``convert_to_tensor(v)`` is ``v/read:0`` (``v:0`` when a reference is asked for)."""
    if dtype is not None and not dtypes.as_dtype(dtype).is_compatible_with(v.dtype):
        raise ValueError("Incompatible type conversion requested to type '%s' for variable of type '%s'"
                         % (dtypes.as_dtype(dtype).name, v.dtype.name))
    return v._ref() if as_ref else v.value()


register_tensor_conversion_function(Variable, _variable_to_tensor)


@primitive("InitializedValue")
def _initialized_value_kernel(ctx, ref, initial_value):
    if type(ref) is not VariableRef or ref.is_initialized():
        return read_value(ref)
    return initial_value


NoGradient("InitializedValue")


# --------------------------------------------------------------------------------------------
# Writing: Assign, AssignAdd, AssignSub
# --------------------------------------------------------------------------------------------
def _ref_tensor(ref: Any, what: str) -> Tensor:
    if isinstance(ref, Variable):
        return ref._ref()
    if isinstance(ref, Tensor) and ref.dtype.is_ref:
        return ref
    raise AttributeError("'%s' object has no attribute '%s'. (tinyflow: tf.%s writes to a variable; its "
                         "first argument must be a tf.Variable, not %s.)"
                         % (type(ref).__name__, what, what, ref))


def _update(op_type: str, fn_name: str, ref: Any, value: Any, name: "str | None", attrs: dict) -> Tensor:
    """Builds ``op_type(ref, value)`` in scope ``op_type``; the value is converted to the variable's dtype."""
    ref = _ref_tensor(ref, fn_name)
    base = ref.dtype.base_dtype
    with name_scope(name, op_type, [ref, value]) as scope:
        if isinstance(value, Tensor) and value.dtype.base_dtype is not base:
            raise TypeError("Input 'value' of '%s' Op has type %s that does not match type %s of argument "
                            "'ref'.\nFix: cast the value first, e.g. tf.cast(value, tf.%s)."
                            % (op_type, value.dtype.base_dtype.name, ref.dtype.name, base.name))
        value = convert_to_tensor(value, dtype=base, name="value")
        attrs = dict(attrs, T=base)
        return ref.graph.create_op(op_type, [ref, value], [ref.dtype], name=scope, attrs=attrs).outputs[0]


def assign(ref: Any, value: Any, validate_shape: "bool | None" = None, use_locking: "bool | None" = None,
           name: "str | None" = None) -> Tensor:
    """An op that stores ``value`` in the variable ``ref`` and outputs the new value.

    With ``validate_shape`` (the default) the value must have the variable's shape.
    """
    validate_shape = True if validate_shape is None else validate_shape
    return _update("Assign", "assign", ref, value, name,
                   {"validate_shape": validate_shape, "use_locking": use_locking is not False})


def assign_add(ref: Any, value: Any, use_locking: "bool | None" = None, name: "str | None" = None) -> Tensor:
    """An op that does ``ref += value`` and outputs the new value."""
    return _update("AssignAdd", "assign_add", ref, value, name, {"use_locking": bool(use_locking)})


def assign_sub(ref: Any, value: Any, use_locking: "bool | None" = None, name: "str | None" = None) -> Tensor:
    """An op that does ``ref -= value`` and outputs the new value."""
    return _update("AssignSub", "assign_sub", ref, value, name, {"use_locking": bool(use_locking)})


def _merge_assigned_shape(a: TensorShape, b: TensorShape) -> TensorShape:
    """The variable's shape merged with the new value's, with TF's error messages."""
    problem = merge_problem(a, b)
    if problem:
        raise ShapeError(problem, "Fix: the new value must have the variable's shape; reshape it, or create "
                                  "the variable with validate_shape=False if its shape should change.")
    return a.merge_with(b)


def _assign_rule(op: Operation) -> TensorShape:
    ref, value = op.inputs
    if not op.attrs.get("validate_shape", True):
        return value.shape
    return _merge_assigned_shape(ref.shape, value.shape)


def _target(ctx, ref: Any) -> VariableRef:
    if type(ref) is not VariableRef:
        raise errors.InvalidArgumentError(
            None, ctx.op, "Cannot write to variable %s: its value was fed in this run (a fed value only "
            "replaces what the variable is read as; it cannot be assigned to)." % ctx.op.inputs[0].op.name)
    return ref


@primitive("Assign", shape=_assign_rule, stateful=True)
def _assign_kernel(ctx, ref, value):
    """Stores a copy of ``value`` (kept pending until the run succeeds)."""
    ref = _target(ctx, ref)
    value = np.asarray(value)
    if ctx.attrs["validate_shape"]:
        old = ref.read().shape if ref.is_initialized() else ctx.op.inputs[0].shape.as_tuple()
        if old is not None and None not in old and tuple(old) != value.shape:
            raise errors.InvalidArgumentError(
                None, ctx.op, "Assign requires shapes of both tensors to match. lhs shape= %s rhs shape= %s"
                % (TensorShape(old).debug_string(), TensorShape(value.shape).debug_string()))
    return ref.write(value)


def _update_kernel(ufunc: Callable) -> Callable:
    def kernel(ctx, ref, value):
        ref = _target(ctx, ref)
        old = ref.read()
        value = np.asarray(value)
        if old.shape != value.shape:
            raise errors.InvalidArgumentError(
                None, ctx.op, "Cannot update variable with shape %s using a Tensor with shape %s, shapes must "
                "be equal." % (TensorShape(old.shape).debug_string(), TensorShape(value.shape).debug_string()))
        return ref.write(ufunc(old, value), owned=True)
    return kernel


primitive("AssignAdd", shape=lambda op: _merge_assigned_shape(*[t.shape for t in op.inputs]),
          stateful=True)(_update_kernel(np.add))
primitive("AssignSub", shape=lambda op: _merge_assigned_shape(*[t.shape for t in op.inputs]),
          stateful=True)(_update_kernel(np.subtract))
for _t in ("Assign", "AssignAdd", "AssignSub"):
    NoGradient(_t)


# --------------------------------------------------------------------------------------------
# Writing rows: ScatterUpdate, ScatterAdd, ScatterSub
# --------------------------------------------------------------------------------------------
def _scatter(op_type: str, fn_name: str, ref: Any, indices: Any, updates: Any, use_locking: bool,
             name: "str | None") -> Tensor:
    """Builds ``op_type(ref, indices, updates)``; like ``tf.assign``, it outputs the variable's reference."""
    ref = _ref_tensor(ref, fn_name)
    base = ref.dtype.base_dtype
    with name_scope(name, op_type, [ref, indices, updates]) as scope:
        indices = convert_to_tensor(indices, preferred_dtype=dtypes.int32, name="indices")
        if indices.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
            raise TypeError("Value passed to parameter 'indices' has DataType %s not in list of allowed values: "
                            "int32, int64\nFix: indices are row numbers, e.g. [0, 2]." % indices.dtype.base_dtype.name)
        if isinstance(updates, Tensor) and updates.dtype.base_dtype is not base:
            raise TypeError("Input 'updates' of '%s' Op has type %s that does not match type %s of argument 'ref'."
                            "\nFix: cast the updates first, e.g. tf.cast(updates, tf.%s)."
                            % (op_type, updates.dtype.base_dtype.name, ref.dtype.name, base.name))
        updates = convert_to_tensor(updates, dtype=base, name="updates")
        attrs = {"T": base, "Tindices": indices.dtype.base_dtype, "use_locking": bool(use_locking)}
        return ref.graph.create_op(op_type, [ref, indices, updates], [ref.dtype], name=scope, attrs=attrs).outputs[0]


def scatter_update(ref: Any, indices: Any, updates: Any, use_locking: bool = True,
                   name: "str | None" = None) -> Tensor:
    """``ref[indices[i]] = updates[i]`` for the rows named by ``indices`` (``updates`` has shape
    ``indices.shape + ref.shape[1:]``, or is a scalar); outputs the variable (its reference), as TF1.
    A run that fails (an index out of range) leaves the variable as it was."""
    return _scatter("ScatterUpdate", "scatter_update", ref, indices, updates, use_locking, name)


def scatter_add(ref: Any, indices: Any, updates: Any, use_locking: bool = False, name: "str | None" = None) -> Tensor:
    """``ref[indices[i]] += updates[i]``; repeated indices add up."""
    return _scatter("ScatterAdd", "scatter_add", ref, indices, updates, use_locking, name)


def scatter_sub(ref: Any, indices: Any, updates: Any, use_locking: bool = False, name: "str | None" = None) -> Tensor:
    """``ref[indices[i]] -= updates[i]``; repeated indices subtract each time."""
    return _scatter("ScatterSub", "scatter_sub", ref, indices, updates, use_locking, name)


def _scatter_rule(op: Operation) -> TensorShape:
    ref, indices, updates = (t.shape for t in op.inputs)
    if ref.ndims == 0:
        raise ShapeError("Shape must be at least rank 1 but is rank 0", "Fix: scatter writes rows of a variable "
                                                                        "with at least one dimension.")
    if updates.ndims not in (None, 0) and indices.ndims is not None and ref.ndims is not None:
        expect = indices.concatenate(ref[1:])
        if not updates.is_compatible_with(expect):
            raise ShapeError("Must have updates.shape = indices.shape + params.shape[1:] or updates.shape = [], got "
                             "updates.shape %s, indices.shape %s, params.shape %s" % (
                                 updates.debug_string(), indices.debug_string(), ref.debug_string()),
                             "Fix: one update row per index.")
    return ref


def _scatter_kernel(write: Callable) -> Callable:
    def kernel(ctx, ref, indices, updates):
        ref = _target(ctx, ref)
        old, indices, updates = ref.read(), np.asarray(indices), np.asarray(updates)
        flat = indices.reshape(-1)
        bad = np.flatnonzero((flat < 0) | (flat >= old.shape[0]))
        if bad.size:                                     # checked before anything is written
            raise errors.InvalidArgumentError(
                None, ctx.op, "indices[%d] = %d is not in [0, %d)\nFix: indices are row numbers of the variable, "
                "from 0; a negative one does not count from the end." % (bad[0], flat[bad[0]], old.shape[0]))
        expect = indices.shape + old.shape[1:]
        if updates.ndim and updates.shape != expect:
            raise errors.InvalidArgumentError(
                None, ctx.op, "Must have updates.shape = indices.shape + params.shape[1:] or updates.shape = [], got "
                "updates.shape %s, indices.shape %s, params.shape %s" % (
                    list(updates.shape), list(indices.shape), list(old.shape)))
        new = np.array(old)
        write(new, flat, np.broadcast_to(updates, expect).reshape((len(flat),) + old.shape[1:]))
        return ref.write(new, owned=True)
    return kernel


def _put(new, rows, values):
    new[rows] = values


for _t, _write in (("ScatterUpdate", _put), ("ScatterAdd", np.add.at), ("ScatterSub", np.subtract.at)):
    primitive(_t, shape=_scatter_rule, stateful=True)(_scatter_kernel(_write))
    NoGradient(_t)


# --------------------------------------------------------------------------------------------
# Collections and initializers
# --------------------------------------------------------------------------------------------
def global_variables(scope: "str | None" = None) -> "list[Variable]":
    """The variables of the default graph (collection ``'variables'``), in creation order."""
    return get_collection(GraphKeys.GLOBAL_VARIABLES, scope)


def trainable_variables(scope: "str | None" = None) -> "list[Variable]":
    """The variables an optimizer updates by default (collection ``'trainable_variables'``)."""
    return get_collection(GraphKeys.TRAINABLE_VARIABLES, scope)


def local_variables(scope: "str | None" = None) -> "list[Variable]":
    return get_collection(GraphKeys.LOCAL_VARIABLES, scope)


def model_variables(scope: "str | None" = None) -> "list[Variable]":
    return get_collection(GraphKeys.MODEL_VARIABLES, scope)


def moving_average_variables(scope: "str | None" = None) -> "list[Variable]":
    return get_collection(GraphKeys.MOVING_AVERAGE_VARIABLES, scope)


def variables_initializer(var_list: Sequence[Variable], name: str = "init") -> Operation:
    """One op that runs the initializers of ``var_list`` (a ``NoOp`` named ``init``, ``init_1``, ...)."""
    if var_list:
        return group(*[v.initializer for v in var_list], name=name)
    return no_op(name=name)


def global_variables_initializer() -> Operation:
    """Initializes the global variables that exist **now**.

    The list is taken when this op is built: a variable created afterwards is not covered
    (running it and then reading that variable raises FailedPreconditionError).
    """
    return variables_initializer(global_variables())


def local_variables_initializer() -> Operation:
    """Initializes the local variables that exist now (also named ``init``)."""
    return variables_initializer(local_variables())


initialize_all_variables = global_variables_initializer
initialize_local_variables = local_variables_initializer
initialize_variables = variables_initializer
initializers.global_variables = global_variables_initializer
initializers.local_variables = local_variables_initializer
initializers.variables = variables_initializer


def is_variable_initialized(variable: Any, name: "str | None" = None) -> Tensor:
    """A bool scalar tensor: has the variable been initialized in this session?"""
    ref = _ref_tensor(variable, "is_variable_initialized")
    return ref.graph.create_op("IsVariableInitialized", [ref], [dtypes.bool], name=name or "IsVariableInitialized",
                               attrs={"dtype": ref.dtype.base_dtype}, shapes=[TensorShape([])]).outputs[0]


@primitive("IsVariableInitialized")
def _is_initialized_kernel(ctx, ref):
    return np.array(type(ref) is not VariableRef or ref.is_initialized())


def report_uninitialized_variables(var_list: "Sequence[Variable] | None" = None,
                                   name: str = "report_uninitialized_variables") -> Tensor:
    """A 1-D string tensor with the names of the uninitialized variables, e.g. ``[b'Variable_1']``.

    Default ``var_list``: global and local variables.
    """
    if var_list is None:
        var_list = global_variables() + local_variables()
    with name_scope(name) as scope:
        if not var_list:
            return constant(np.array([], dtype=object), dtype=dtypes.string)
        refs = [_ref_tensor(v, "report_uninitialized_variables") for v in var_list]
        return refs[0].graph.create_op("ReportUninitializedVariables", refs, [dtypes.string], name=scope,
                                       shapes=[TensorShape([None])]).outputs[0]


@primitive("ReportUninitializedVariables")
def _report_uninitialized_kernel(ctx, *refs):
    names = [t.op.name.encode() for t, r in zip(ctx.op.inputs, refs)
             if type(r) is VariableRef and not r.is_initialized()]
    out = np.empty(len(names), dtype=object)
    out[:] = names
    return out


NoGradient("IsVariableInitialized")
NoGradient("ReportUninitializedVariables")

"""Variables: ``tf.Variable``, ``tf.assign``, initializers, ``tf.get_variable`` and variable scopes.

A TF1 variable is a small group of graph ops. ``v = tf.Variable([1., 2.], name="v")`` adds:

* ``v/initial_value`` (Const): the starting value;
* ``v`` (VariableV2): the variable itself. Its output ``v:0`` has a *reference* dtype
  (``float32_ref``): running it gives a handle to the value stored **in the session**;
* ``v/Assign`` (Assign): the initializer, ``v.initializer``, which copies the initial value in;
* ``v/read`` (Identity): the value, ``v.value()``. Maths on ``v`` (``v + 1``,
  ``tf.matmul(x, v)``) reads it through this tensor.

Values live in the session, so two sessions have independent variables, and a new session
starts uninitialized. Writes (``Assign``, ``AssignAdd``, optimizer updates) are kept aside
during a run and stored only when the whole run succeeds: a failing run changes nothing.

``tf.get_variable`` adds *sharing* on top: it looks the full name (variable scope + name) up
in a per-graph store, creating the variable or, inside ``tf.variable_scope(..., reuse=True)``,
returning the existing one.
"""
from __future__ import annotations

import enum
import inspect
from typing import Any, Callable, Sequence

import numpy as np

from . import dtypes, errors
from .framework import (GraphKeys, Operation, Tensor, convert_to_tensor, get_collection, get_default_graph,
                        graph_of, name_scope, register_tensor_conversion_function, session_for)
from .init_ops import GlorotUniform, Zeros, initializers
from .op_registry import NoGradient, VariableRef, primitive, read_value
from .ops.array_ops import identity
from .ops.constant_op import constant
from .ops.control_flow_ops import group, no_op
from .tensor_shape import ShapeError, TensorShape, as_shape, merge_problem
from .traceback_utils import format_site

__all__ = [
    "Variable", "VariableV1", "assign", "assign_add", "assign_sub", "global_variables", "trainable_variables",
    "local_variables", "model_variables", "moving_average_variables", "global_variables_initializer",
    "local_variables_initializer", "variables_initializer", "initialize_all_variables",
    "initialize_local_variables", "initialize_variables", "report_uninitialized_variables",
    "is_variable_initialized", "get_variable", "get_local_variable", "variable_scope", "VariableScope",
    "get_variable_scope", "AUTO_REUSE",
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
        trainable = True if trainable is None else trainable
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
        self._graph = graph
        self._trainable = trainable
        self._constraint = constraint
        graph.add_to_collections(collections, self)

    # --- what it is ------------------------------------------------------
    name = property(lambda self: self._variable.name, doc="``'v:0'``: the name of the ref tensor.")
    op = property(lambda self: self._variable.op, doc="The VariableV2 operation.")
    dtype = property(lambda self: self._variable.dtype, doc="A reference dtype, e.g. ``float32_ref``.")
    graph = property(lambda self: self._graph)
    device = property(lambda self: "")
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


# --------------------------------------------------------------------------------------------
# Variable scopes and tf.get_variable
# --------------------------------------------------------------------------------------------
class _ReuseMode(enum.Enum):
    """``tf.AUTO_REUSE``: get_variable creates the variable if missing, else returns it."""
    AUTO_REUSE = 1


AUTO_REUSE = _ReuseMode.AUTO_REUSE


class VariableScope:
    """What ``tf.variable_scope(...)`` yields: a name prefix for ``get_variable`` plus defaults
    (reuse, initializer, dtype) that nested scopes inherit."""

    def __init__(self, reuse: Any, name: str = "", initializer: Any = None, regularizer: Any = None,
                 name_scope: str = "", dtype: Any = dtypes.float32, custom_getter: Any = None,
                 constraint: Any = None):
        self._reuse = reuse
        self._name = name
        self._initializer = initializer
        self._regularizer = regularizer
        self._name_scope = name_scope
        self._dtype = dtypes.as_dtype(dtype)
        self._custom_getter = custom_getter
        self._constraint = constraint

    name = property(lambda self: self._name)
    original_name_scope = property(lambda self: self._name_scope)
    reuse = property(lambda self: self._reuse)
    initializer = property(lambda self: self._initializer)
    regularizer = property(lambda self: self._regularizer)
    dtype = property(lambda self: self._dtype)
    custom_getter = property(lambda self: self._custom_getter)
    constraint = property(lambda self: self._constraint)
    use_resource = property(lambda self: False)
    caching_device = property(lambda self: None)
    partitioner = property(lambda self: None)

    def reuse_variables(self) -> None:
        """From now on, get_variable in this scope returns existing variables."""
        self._reuse = True

    def set_initializer(self, initializer: Any) -> None:
        self._initializer = initializer

    def set_regularizer(self, regularizer: Any) -> None:
        self._regularizer = regularizer

    def set_dtype(self, dtype: Any) -> None:
        self._dtype = dtypes.as_dtype(dtype)

    def set_custom_getter(self, custom_getter: Any) -> None:
        self._custom_getter = custom_getter

    def get_collection(self, name: str) -> list:
        return get_collection(name, self._name + "/" if self._name else "")

    def global_variables(self) -> list:
        return self.get_collection(GraphKeys.GLOBAL_VARIABLES)

    def trainable_variables(self) -> list:
        return self.get_collection(GraphKeys.TRAINABLE_VARIABLES)

    def local_variables(self) -> list:
        return self.get_collection(GraphKeys.LOCAL_VARIABLES)

    def get_variable(self, var_store: "_VariableScopeStore", name: str, shape: Any = None, dtype: Any = None,
                     initializer: Any = None, regularizer: Any = None, reuse: Any = None,
                     trainable: "bool | None" = None, collections: Any = None, validate_shape: bool = True,
                     custom_getter: Any = None, constraint: Any = None, **unused: Any) -> Variable:
        """Fills in this scope's defaults, then gets or creates ``<scope name>/<name>``."""
        if regularizer is None:
            regularizer = self._regularizer
        if custom_getter is None:
            custom_getter = self._custom_getter
        if reuse is None:
            reuse = self._reuse
        full_name = self._name + "/" + name if self._name else name
        with name_scope(None):       # variable names depend on variable scopes only
            if dtype is not None and initializer is not None and not callable(initializer):
                init_dtype = convert_to_tensor(initializer).dtype.base_dtype
                if init_dtype is not dtypes.as_dtype(dtype).base_dtype:
                    raise ValueError("Initializer type '%s' and explicit dtype '%s' don't match."
                                     % (init_dtype, dtypes.as_dtype(dtype)))
            if initializer is None:
                initializer = self._initializer
            if constraint is None:
                constraint = self._constraint
            if dtype is None:
                dtype = self._dtype
            kwargs = dict(shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
                          reuse=reuse, trainable=trainable, collections=collections,
                          validate_shape=validate_shape, constraint=constraint)
            if custom_getter is not None:
                return custom_getter(var_store.get_single_variable, full_name, **kwargs)
            return var_store.get_single_variable(full_name, **kwargs)


class _VariableScopeStore:
    """Per-graph state: the current variable scope, how often each scope name was opened
    (for unique default names such as ``dense_1``), and the variables made by get_variable."""

    def __init__(self):
        self.current_scope = VariableScope(False)
        self.variable_scopes_count: "dict[str, int]" = {}
        self.vars: "dict[str, Variable]" = {}

    def open_variable_scope(self, scope_name: str) -> None:
        self.variable_scopes_count[scope_name] = self.variable_scopes_count.get(scope_name, 0) + 1

    def close_variable_subscopes(self, scope_name: str) -> None:
        prefix = scope_name + "/"
        for k in self.variable_scopes_count:
            if k.startswith(prefix):
                self.variable_scopes_count[k] = 0

    def get_single_variable(self, name: str, shape: Any = None, dtype: Any = dtypes.float32,
                            initializer: Any = None, regularizer: Any = None, reuse: Any = None,
                            trainable: "bool | None" = None, collections: Any = None,
                            validate_shape: bool = True, constraint: Any = None, **unused: Any) -> Variable:
        """TF1's ``_VariableStore._get_single_variable``: return the stored variable or create it."""
        from_value = initializer is not None and not callable(initializer)
        if shape is not None and from_value:
            raise ValueError("If initializer is a constant, do not specify shape.")
        dtype = dtypes.as_dtype(dtype).base_dtype
        if shape is not None:
            shape = as_shape(shape)
        if name in self.vars:
            found = self.vars[name]
            if reuse is False:
                raise ValueError("Variable %s already exists, disallowed. Did you mean to set reuse=True or "
                                 "reuse=tf.AUTO_REUSE in VarScope? Originally defined at:\n\n%s"
                                 % (name, format_site(found.op.traceback)))
            if shape is not None and not shape.is_compatible_with(found.get_shape()):
                raise ValueError("Trying to share variable %s, but specified shape %s and found shape %s."
                                 % (name, shape, found.get_shape()))
            if not dtype.is_compatible_with(found.dtype):
                raise ValueError("Trying to share variable %s, but specified dtype %s and found dtype %s."
                                 % (name, dtype.name, found.dtype.name))
            return found
        if reuse is True:
            raise ValueError("Variable %s does not exist, or was not created with tf.get_variable(). Did you "
                             "mean to set reuse=tf.AUTO_REUSE in VarScope?" % name)
        if initializer is None:
            if shape is None:
                raise ValueError("Variable %s did not get an initializer, so its `shape` argument must be "
                                 "specified." % name)
            initializer = _default_initializer(name, dtype)
        if from_value:
            init_val, variable_dtype = initializer, None
        else:
            if inspect.isclass(initializer):
                initializer = initializer()
            if shape is not None and shape.is_fully_defined():
                init_val = _bind_initializer(initializer, shape.as_list(), dtype)
                variable_dtype = dtype
            elif _needs_no_arguments(initializer):
                init_val, variable_dtype = initializer, None
            else:
                raise ValueError("The initializer passed is not valid. It should be a callable with no arguments "
                                 "and the shape should not be provided or an instance of "
                                 "`tf.keras.initializers.*' and `shape` should be fully defined.")
        v = Variable(initial_value=init_val, name=name, trainable=trainable, collections=collections,
                     dtype=variable_dtype, validate_shape=validate_shape, constraint=constraint)
        self.vars[name] = v
        if regularizer:
            with name_scope(name + "/Regularizer/"):
                loss = regularizer(v)
            if loss is not None:
                get_default_graph().add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)
        return v


def _default_initializer(name: str, dtype: dtypes.DType) -> Any:
    """glorot_uniform for floats, zeros for ints, bools and strings."""
    if dtype.is_floating:
        return GlorotUniform()
    if dtype.is_integer or dtype.is_bool or dtype is dtypes.string:
        return Zeros()
    raise ValueError("An initializer for variable %s of %s is required" % (name, dtype))


def _bind_initializer(initializer: Callable, shape: list, dtype: dtypes.DType) -> Callable:
    try:
        params = inspect.signature(initializer).parameters
    except (TypeError, ValueError):
        params = {}
    if "partition_info" in params or any(p.kind is p.VAR_KEYWORD for p in params.values()):
        return lambda: initializer(shape, dtype=dtype, partition_info=None)
    return lambda: initializer(shape, dtype=dtype)


def _needs_no_arguments(fn: Callable) -> bool:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return False
    return all(p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params)


def _store(graph: Any = None) -> _VariableScopeStore:
    graph = graph or get_default_graph()
    if graph._variable_scope_store is None:
        graph._variable_scope_store = _VariableScopeStore()
    return graph._variable_scope_store


def get_variable_scope() -> VariableScope:
    """The current variable scope (the root scope has name ``''``)."""
    return _store().current_scope


def get_variable(name: str, shape: Any = None, dtype: Any = None, initializer: Any = None,
                 regularizer: Any = None, trainable: "bool | None" = None, collections: Any = None,
                 caching_device: Any = None, partitioner: Any = None, validate_shape: bool = True,
                 use_resource: Any = None, custom_getter: Any = None, constraint: Any = None,
                 synchronization: Any = None, aggregation: Any = None) -> Variable:
    """Gets the variable ``<current variable scope>/name``, or creates it.

    Outside a reusing scope, asking for an existing name is an error (variables are shared only
    on purpose); inside ``tf.variable_scope(..., reuse=True)`` the variable must exist; with
    ``reuse=tf.AUTO_REUSE`` it is created when missing. The default initializer is
    ``glorot_uniform_initializer()`` for floats and zeros for ints/bools.
    """
    if partitioner is not None:
        raise NotImplementedError("tinyflow does not support partitioned variables (partitioner=...).")
    return get_variable_scope().get_variable(
        _store(), name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
        trainable=trainable, collections=collections, validate_shape=validate_shape,
        custom_getter=custom_getter, constraint=constraint)


def get_local_variable(name: str, shape: Any = None, dtype: Any = None, initializer: Any = None,
                       regularizer: Any = None, trainable: bool = False, collections: Any = None,
                       **kwargs: Any) -> Variable:
    """Like get_variable, but in the LOCAL_VARIABLES collection (and not trainable)."""
    collections = list(collections or []) + [GraphKeys.LOCAL_VARIABLES]
    return get_variable(name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
                        trainable=False, collections=collections, **kwargs)


class variable_scope:  # noqa: N801 (TF's name)
    """``with tf.variable_scope("layer1"):`` prefixes get_variable names with ``layer1/``.

    It also opens a name scope for the ops built inside. Forms:

    * ``variable_scope("name")``: the variable scope is exactly ``name`` (re-entering gives the
      same variables), while the name scope is made unique (``name_1/`` the second time);
    * ``variable_scope(scope_object)``: re-enters a scope captured with ``as scope``;
    * ``variable_scope(None, default_name="dense")``: a fresh scope ``dense``, ``dense_1``, ...

    ``reuse=True`` makes get_variable return existing variables (and fail for missing ones),
    ``reuse=tf.AUTO_REUSE`` creates or returns. Reuse is inherited by nested scopes.
    """

    def __init__(self, name_or_scope: Any, default_name: "str | None" = None, values: Any = None,
                 initializer: Any = None, regularizer: Any = None, caching_device: Any = None,
                 partitioner: Any = None, custom_getter: Any = None, reuse: Any = None, dtype: Any = None,
                 use_resource: Any = None, constraint: Any = None, auxiliary_name_scope: bool = True):
        if default_name is None and name_or_scope is None:
            raise TypeError("If default_name is None then name_or_scope is required")
        if reuse is False:
            reuse = None
        if not (reuse is True or reuse is None or reuse is AUTO_REUSE):
            raise ValueError("The reuse parameter must be True or False or None.")
        if name_or_scope is not None and not isinstance(name_or_scope, (VariableScope, str)):
            raise TypeError("VariableScope: name_or_scope must be a string or VariableScope.")
        if name_or_scope is None and reuse:
            raise ValueError("reuse=True cannot be used without a name_or_scope")
        self._name_or_scope = name_or_scope
        self._default_name = default_name
        self._values = list(values or [])
        self._initializer = initializer
        self._regularizer = regularizer
        self._custom_getter = custom_getter
        self._reuse = reuse
        self._dtype = dtype
        self._constraint = constraint
        self._auxiliary_name_scope = auxiliary_name_scope
        self._stack: list = []

    def __enter__(self) -> VariableScope:
        graph = graph_of(self._values)
        self._enter(graph.as_default())
        store = _store(graph)
        scope = self._name_or_scope
        # 1. The name scope for ops.
        if not self._auxiliary_name_scope:
            current = graph.get_name_scope()
            ns = self._enter(graph.name_scope(current + "/" if current else None))
        elif isinstance(scope, str):
            ns = self._enter(graph.name_scope(scope)) if scope else ""
        elif isinstance(scope, VariableScope):
            ns = self._enter(graph.name_scope(scope.name.split("/")[-1])) if scope.name else ""
        else:
            ns = self._enter(graph.name_scope(self._default_name))
        # 2. The variable scope.
        old = store.current_scope
        self._old_scope = old
        if isinstance(scope, VariableScope):
            new = VariableScope(self._reuse or scope.reuse, scope.name, scope.initializer, scope.regularizer,
                                scope.original_name_scope, scope.dtype, scope.custom_getter, scope.constraint)
            store.open_variable_scope(new.name)
            self._saved_counts = dict(store.variable_scopes_count)
        else:
            if scope is None:
                scope = _unique_variable_scope(store, self._default_name)
            full = old.name + "/" + scope if old.name else scope
            new = VariableScope(self._reuse or old.reuse, full, old.initializer, old.regularizer,
                                ns, old.dtype, old.custom_getter, self._constraint)
            store.open_variable_scope(full)
            self._saved_counts = None
        if self._initializer is not None:
            new.set_initializer(self._initializer)
        if self._regularizer is not None:
            new.set_regularizer(self._regularizer)
        if self._dtype is not None:
            new.set_dtype(self._dtype)
        if self._custom_getter is not None:
            new.set_custom_getter(self._custom_getter)
        store.current_scope = new
        self._store, self._new_scope = store, new
        return new

    def _enter(self, cm: Any) -> Any:
        value = cm.__enter__()
        self._stack.append(cm)
        return value

    def __exit__(self, *exc: Any) -> None:
        store = self._store
        if store.current_scope is not self._new_scope:
            raise RuntimeError("Improper nesting of variable_scope.")
        if self._saved_counts is not None:
            store.variable_scopes_count = self._saved_counts
        else:
            store.close_variable_subscopes(self._new_scope.name)
        store.current_scope = self._old_scope
        while self._stack:
            self._stack.pop().__exit__(*exc)


def _unique_variable_scope(store: _VariableScopeStore, prefix: str) -> str:
    """``prefix``, or ``prefix_1``, ``prefix_2``, ... : the first not yet opened in this scope."""
    current = store.current_scope.name
    name = current + "/" + prefix if current else prefix
    if store.variable_scopes_count.get(name, 0) == 0:
        return prefix
    idx = 1
    while store.variable_scopes_count.get("%s_%d" % (name, idx), 0) > 0:
        idx += 1
    return "%s_%d" % (prefix, idx)

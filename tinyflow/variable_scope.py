"""Variable scopes and ``tf.get_variable``: variables shared by name.

``tf.get_variable(name, shape)`` looks the full name (the variable scope's name + ``name``) up
in a per-graph store: outside ``reuse`` it creates the variable (and refuses a name that is
taken, showing where the first one was created); inside
``tf.variable_scope(..., reuse=True)`` (or ``tf.AUTO_REUSE``) it returns the existing one. A
variable scope also opens the name scope of the same name for the ops created inside, and
gives its variables a default initializer (Glorot uniform for floats, zeros otherwise).

TensorFlow's counterpart: ``python/ops/variable_scope.py``.
"""
from __future__ import annotations

import enum
import functools
import inspect
from typing import Any, Callable

from . import dtypes
from .framework import GraphKeys, check_name, convert_to_tensor, get_collection, get_default_graph, graph_of, name_scope
from .init_ops import GlorotUniform, Zeros
from .tensor_shape import as_shape
from .traceback_utils import format_site
from .variables import Variable

__all__ = ["get_variable", "get_local_variable", "variable_scope", "VariableScope", "get_variable_scope",
           "AUTO_REUSE"]


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
    check_name(name, "The name of a variable")
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
        if self._custom_getter is not None:       # inside another scope's getter, as TF nests them
            new.set_custom_getter(_nested_getter(self._custom_getter, new.custom_getter))
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


def _nested_getter(custom_getter: Callable, old_getter: "Callable | None") -> Callable:
    """``custom_getter`` around ``old_getter`` (the enclosing scope's): the new one is called first,
    and its ``getter`` argument calls the old one with the real getter."""
    if old_getter is None:
        return custom_getter

    def nested(getter: Callable, *args: Any, **kwargs: Any) -> Any:
        return custom_getter(functools.partial(old_getter, getter), *args, **kwargs)
    return nested


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

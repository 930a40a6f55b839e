"""What tinyflow knows about each op type: its kernel, its shape rule, its gradient.

Every op type is registered here, next to the function learners call (``ops/``):

* ``@primitive("Mul", shape=rule)`` registers the **kernel**, the numpy function that computes
  the outputs from the input values, and the **shape rule**, which gives the outputs' static
  shapes while the graph is built. Flags say what else running the op involves: ``stateful``
  (it reads or changes state kept in the session, or the world: never computed ahead of a run),
  ``random`` (a stateful op that only draws new random numbers), ``handle`` (it hands out state
  kept in the session: a variable, an iterator, a table).
* ``@tf.RegisterGradient("Mul")`` registers the **gradient rule** that ``tf.gradients`` calls;
  ``tf.NoGradient("Shape")`` says that no gradient flows through an op type.
* What a kernel sees while it runs: an :class:`OpContext`, and for variables a
  :class:`VariableRef` into the session's variable store (:func:`read_value` dereferences it).

This module imports nothing of tinyflow's but ``errors``: everything above it registers here.
TensorFlow's counterparts: ``core/framework/op.h`` (``REGISTER_OP``), ``core/framework/op_kernel.h``
(``REGISTER_KERNEL_BUILDER``, ``OpKernelContext``) and ``python/framework/ops.py``
(``RegisterGradient``, ``get_gradient_function``).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from . import errors

__all__ = ["OpDef", "primitive", "get_op_def", "find_op_def", "registered_op_types", "is_stateful",
           "RegisterGradient", "NoGradient", "NotDifferentiable", "get_gradient_function", "has_gradient",
           "registered_gradient", "several_outputs",
           "OpContext", "VariableRef", "read_value", "DEAD"]


# --------------------------------------------------------------------------------------------
# Kernels and shape rules
# --------------------------------------------------------------------------------------------
class OpDef:
    """What the runtime knows about one op type: its numpy kernel, its shape rule, its flags.

    ``kernel(ctx, *input_values)`` returns the output value (or a tuple, for several
    outputs). ``ctx.op`` is the Operation, ``ctx.attrs`` its attributes, ``ctx.cache`` a dict
    that lives as long as the session (random generators, iterator positions).
    ``shape(op)`` returns the static output shape(s) from the inputs' shapes and the attrs.
    ``handle``: the op has no inputs and its one output is a handle to state kept in the session
    (a variable, an iterator, a table): the same object in every run of that session, so a
    session's plan computes it once.
    """

    __slots__ = ("type", "kernel", "shape", "stateful", "handle", "random", "module")

    def __init__(self, op_type: str, kernel: Callable, shape: "Callable | None", stateful: bool = False,
                 handle: bool = False, random: bool = False):
        self.type, self.kernel, self.shape = op_type, kernel, shape
        self.stateful, self.handle, self.random = stateful or handle or random, handle, random
        self.module = getattr(kernel, "__module__", None)   # where the op's block is (the op table)


_OP_DEFS: "dict[str, OpDef]" = {}


def primitive(op_type: str, shape: "Callable | None" = None, stateful: bool = False, handle: bool = False,
              random: bool = False):
    """Registers ``kernel`` as the numpy implementation of ``op_type`` (a decorator)."""
    def register(kernel: Callable) -> Callable:
        _OP_DEFS[op_type] = OpDef(op_type, kernel, shape, stateful, handle, random)
        return kernel
    return register


def several_outputs(values: Any) -> Any:
    """What a kernel with a variable number of outputs (``Unpack``, ``Split``, ...) returns: the
    values as a tuple, or, when there is only one, the value itself: a run stores a one-output
    op's result as its value, so a list of one would become the value."""
    values = tuple(values)
    return values[0] if len(values) == 1 else values


def get_op_def(op_type: str) -> OpDef:
    try:
        return _OP_DEFS[op_type]
    except KeyError:
        raise LookupError("No kernel registered for op type %r." % op_type) from None


find_op_def: "Callable[[str], OpDef | None]" = _OP_DEFS.get
"""``find_op_def(op_type)``: the OpDef of ``op_type``, or None if no kernel is registered for it."""


def registered_op_types() -> "list[str]":
    """Every op type with a kernel, in the order they were registered."""
    return list(_OP_DEFS)


def is_stateful(op_type: str, if_unknown: bool = True) -> bool:
    """Whether running an op of this type does more than compute its outputs from its inputs:
    variables, updates, iterators, random draws... (``if_unknown``: the answer for an op type
    without a kernel)."""
    op_def = _OP_DEFS.get(op_type)
    return if_unknown if op_def is None else op_def.stateful


# --------------------------------------------------------------------------------------------
# Gradient rules
# --------------------------------------------------------------------------------------------
_GRADIENTS: "dict[str, Callable | None]" = {}


class RegisterGradient:
    """Decorator registering the gradient function of an op type.

    ``fn(op, *output_grads)`` returns one gradient tensor (or None) per input of ``op``::

        @tf.RegisterGradient("Square")
        def _square_grad(op, grad):          # d(x^2)/dx = 2x
            return grad * 2.0 * op.inputs[0]
    """

    def __init__(self, op_type: str):
        if not isinstance(op_type, str):
            raise TypeError("op_type must be a string")
        self._op_type = op_type

    def __call__(self, fn: Callable) -> Callable:
        if self._op_type in _GRADIENTS:
            raise KeyError("Registering two gradient with name '%s'! (The name %r is taken: a gradient is "
                           "registered only once per Python process. Pick another name, e.g. %r, or restart "
                           "the kernel to register this one again.)"
                           % (self._op_type, self._op_type, self._op_type + "_v2"))
        _GRADIENTS[self._op_type] = fn
        return fn


def NoGradient(op_type: str) -> None:  # noqa: N802 (TF's name)
    """Declares ``op_type`` not differentiable: gradients stop there (no error)."""
    if not isinstance(op_type, str):
        raise TypeError("op_type must be a string")
    _GRADIENTS[op_type] = None


NotDifferentiable = NoGradient


def has_gradient(op_type: str) -> bool:
    """Whether a gradient (or ``NoGradient``) is registered under ``op_type``."""
    return op_type in _GRADIENTS


def registered_gradient(op_type: str) -> "Callable | None":
    """The gradient function registered under ``op_type``, None for ``NoGradient`` (KeyError if
    nothing is registered)."""
    return _GRADIENTS[op_type]


_PY_FUNC_HINT = (
    "\nFor a tf.py_func op, register your gradient under a name of your own and select it while "
    "building the op:\n    @tf.RegisterGradient('MyFuncGrad')\n    def _grad(op, grad): ...\n"
    "    with tf.get_default_graph().gradient_override_map({'PyFunc': 'MyFuncGrad'}):\n"
    "        y = tf.py_func(my_func, [x], tf.float32)")


def get_gradient_function(op: Any) -> "Callable | None":
    """The registered gradient of ``op`` (honouring ``gradient_override_map``); None if the op
    type is not differentiable."""
    op_type = op._attrs.get("_gradient_op_type", op._type)
    if op_type not in _GRADIENTS:
        raise LookupError(
            "No gradient defined for operation '%s' (op type: %s). tinyflow does not know how to "
            "differentiate it. Register one with\n    @tf.RegisterGradient(%r)\n    def _grad(op, grad): "
            "...return one gradient per input...\nor mark it with tf.NoGradient(%r) if no gradient "
            "should flow through it.%s" % (op.name, op_type, op_type, op_type,
                                           _PY_FUNC_HINT if op_type.startswith("PyFunc") else ""))
    return _GRADIENTS[op_type]


# --------------------------------------------------------------------------------------------
# What kernels see: the op's context and the session's variables
# --------------------------------------------------------------------------------------------
class _Dead:
    """The value of a tensor on the branch a ``tf.cond`` did not take (TF's "dead" tensors).

    A ``Switch`` sends its input to one output and ``DEAD`` to the other; an op with a dead input
    is not run and its outputs are dead too; a ``Merge`` passes on whichever input is alive."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "DEAD"


DEAD = _Dead()


class OpContext:
    """What a kernel sees besides its inputs: the op, its attrs, the session's state for it.

    ``session`` is None when a kernel runs while the graph is built (``tensor_util.constant_value``)."""

    __slots__ = ("op", "attrs", "session", "cache")

    def __init__(self, op: Any, session: Any):
        self.op = op
        self.attrs = op.attrs
        self.session = session
        self.cache: dict = {}


_MISSING = object()


class VariableRef:
    """The value of a variable op: a handle into the session's variable store.

    Kernels that read call :meth:`read`; kernels that write (Assign, optimizer updates) call
    :meth:`write`. Writes stay pending until the run succeeds (the session's ``_pending``
    dict); a successful run stores them in its ``_variables``.
    """

    __slots__ = ("session", "op", "dtype")

    def __init__(self, session: Any, op: Any):
        self.session, self.op = session, op
        self.dtype = np.dtype(op.outputs[0].dtype.as_numpy_dtype)    # of every value it stores

    def read(self) -> np.ndarray:
        s = self.session
        value = s._pending.get(self.op, _MISSING)
        if value is _MISSING:
            value = s._variables.get(self.op, _MISSING)
        if value is _MISSING:
            raise errors.FailedPreconditionError(
                None, None, "Attempting to use uninitialized value %s\n"
                "Fix: run the variable initializer first, e.g. "
                "`sess.run(tf.global_variables_initializer())` after building the model "
                "(an initializer created before the variable does not cover it)." % self.op.name)
        return value

    def is_initialized(self) -> bool:
        return self.op in self.session._pending or self.op in self.session._variables

    def write(self, value: np.ndarray, owned: bool = False) -> np.ndarray:
        """Stores ``value`` as the variable's new value (pending until the run succeeds).

        The store keeps its own copy, unless ``owned``: the kernel has just computed ``value``
        (e.g. ``old - lr * grad``) and nothing else refers to it, so it is stored as it is.
        """
        if not (owned and type(value) is np.ndarray and value.dtype == self.dtype):
            value = np.array(value, dtype=self.dtype)         # our own copy
        value.flags.writeable = False     # fetched results are copied, state is never aliased
        self.session._pending[self.op] = value
        return value


def read_value(value: Any) -> Any:
    """Dereferences a variable handle; other values pass through (a fed variable is a value)."""
    return value.read() if type(value) is VariableRef else value

"""``tf.py_func``: wrap a Python function as a graph op.

The op's kernel simply calls your function on the numpy values of its inputs. This is also
the quickest way to invent a *new op* and teach ``tf.gradients`` its derivative::

    def my_square(x):                       # forward pass, in numpy
        return x * x

    @tf.RegisterGradient("MySquareGrad")    # backward pass, built from graph ops
    def _my_square_grad(op, grad):
        return grad * 2.0 * op.inputs[0]

    g = tf.get_default_graph()
    with g.gradient_override_map({"PyFunc": "MySquareGrad"}):
        y = tf.py_func(my_square, [x], tf.float32)

Without the override, ``tf.gradients`` through a ``PyFunc`` raises ``LookupError``: TensorFlow
cannot look inside your Python function.

TensorFlow's counterparts: ``python/ops/script_ops.py``, ``core/ops/script_ops.cc``.
"""
from __future__ import annotations

import weakref
from typing import Any, Callable

import numpy as np

from .. import dtypes, errors
from ..framework import Graph, Tensor, convert_to_tensor, graph_of, name_scope
from ..op_def_library import short_repr
from ..op_registry import primitive, read_value, several_outputs
from ..tensor_shape import TensorShape
from . import constant_op

__all__ = ["py_func", "numpy_function"]

# The Python functions of each graph, found by the op's "token" attr ("pyfunc_0", ...).
# (A graph stores only data; the functions live here, as in TF1's FuncRegistry.)
_FUNCS: "weakref.WeakKeyDictionary[Graph, list[Callable]]" = weakref.WeakKeyDictionary()


def py_func(func: Callable, inp: Any, Tout: Any, stateful: bool = True,  # noqa: N803 (TF's name)
            name: "str | None" = None) -> Any:
    """Runs ``func(*numpy_inputs)`` as an op of the graph.

    Args:
        func: a Python function taking one numpy array per input and returning one array
            (or a list of arrays, one per entry of ``Tout``).
        inp: a list of tensors (or Python/numpy values) passed to ``func``.
        Tout: the output dtype, or a list of dtypes.
        stateful: False promises the function is pure (op type ``PyFuncStateless``).
        name: the op's name (default ``PyFunc``).

    Returns:
        A tensor if ``Tout`` is a single dtype, else a list of tensors (the op itself if ``Tout`` is
        ``[]``). Their static shape is unknown (TensorFlow cannot see what the function returns);
        use ``set_shape`` if you know it.

    The results are converted to ``Tout`` with numpy (TensorFlow 1.x is stricter: it raises
    "0-th value returned by pyfunc_0 is double, but expects float" when a float64 array
    comes back for a float32 output).
    """
    if not callable(func):
        raise ValueError("Expected func to be callable. Received func=%s of type %s.\nFix: pass the function "
                         "itself, e.g. tf.py_func(my_function, [x], tf.float32)." % (short_repr(func), type(func)))
    if not isinstance(inp, (list, tuple, np.ndarray)):
        raise TypeError("py_func's inp must be a list of tensors, not %s.\nFix: e.g. tf.py_func(f, [x], "
                        "tf.float32), with [x] even for one input." % short_repr(inp))
    single = not isinstance(Tout, (list, tuple))
    out_types = [dtypes.as_dtype(t).base_dtype for t in ([Tout] if single else Tout)]
    op_type = "PyFunc" if stateful else "PyFuncStateless"
    inp = list(inp)
    with name_scope(name, op_type, inp) as scope:
        inputs = [v if isinstance(v, Tensor) else convert_to_tensor(v, name="input_%d" % i)
                  for i, v in enumerate(inp)]
        graph = graph_of(inputs)
        funcs = _FUNCS.setdefault(graph, [])
        token = "pyfunc_%d" % len(funcs)
        funcs.append(func)
        op = graph.create_op(op_type, inputs, out_types, name=scope,
                             attrs={"token": token, "Tin": [t.dtype.base_dtype for t in inputs],
                                    "Tout": out_types},
                             shapes=[TensorShape(None)] * len(out_types))
    if single:
        return op.outputs[0]
    return op.outputs if out_types else op          # no outputs: the op itself, to run (as TensorFlow)


numpy_function = py_func


# Python exceptions raised by the function become these errors (as in TF1's py_func).
_ERRORS = [(ValueError, errors.InvalidArgumentError), (TypeError, errors.InvalidArgumentError),
           (StopIteration, errors.OutOfRangeError), (IndexError, errors.OutOfRangeError),
           (MemoryError, errors.ResourceExhaustedError), (NotImplementedError, errors.UnimplementedError)]


def _py_func_kernel(ctx, *inputs):
    token, out_types = ctx.attrs["token"], ctx.attrs["Tout"]
    func = _FUNCS[ctx.op.graph][int(token.split("_")[1])]
    try:
        result = func(*[_own_copy(read_value(v)) for v in inputs])
    except Exception as e:  # noqa: BLE001 (the user's function may raise anything)
        error = next((err for py, err in _ERRORS if isinstance(e, py)), errors.UnknownError)
        raise error(None, ctx.op, "%s: %s" % (type(e).__name__, e)) from e
    if result is None:                      # a function without a return statement: no values
        result = []
    elif not isinstance(result, (list, tuple)):
        result = [result]
    if len(result) != len(out_types):
        raise errors.InvalidArgumentError(None, ctx.op, "%s returns %d values, but expects to see %d values.\n"
                                          "Fix: return one value per entry of Tout (%d here)."
                                          % (token, len(result), len(out_types), len(out_types)))
    values = tuple(_to_dtype(v, t, i, token, ctx.op) for i, (v, t) in enumerate(zip(result, out_types)))
    return several_outputs(values)


def _own_copy(value: Any) -> Any:
    """The function gets its own writable arrays: ``x += 1`` inside it must neither fail on a
    read-only constant nor change a value that other ops (or your feed_dict) still use."""
    return value.copy() if isinstance(value, np.ndarray) else value


def _to_dtype(value: Any, dtype: dtypes.DType, i: int, token: str, op: Any) -> np.ndarray:
    try:
        if dtype is dtypes.string:
            return constant_op.convert_value(value, dtype)
        return np.asarray(value, dtype=dtype.as_numpy_dtype)
    except (TypeError, ValueError, OverflowError):
        raise errors.InvalidArgumentError(None, op, "%d-th value returned by %s is %s, but expects %s\nFix: return "
                                          "a value of the dtype given in Tout (%s)." % (
                                              i, token, type(value).__name__, dtype.short_name, dtype.name)) from None


# No gradient is registered for these types: see the module docstring for how to add one.
primitive("PyFunc", stateful=True)(_py_func_kernel)
primitive("PyFuncStateless")(_py_func_kernel)

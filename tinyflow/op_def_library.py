"""How a function learners call becomes an op: TF1's generated-op wrappers, written once.

``tf.add(x, 1.0, name="sum")`` does what every TF1 op wrapper does:

1. open the op's name scope (``sum``, or the op type ``Add`` when no name is given), so that
   Python values converted inside it are named after the input: the constant ``sum/y``;
2. convert the inputs the TF1 way (:func:`convert_pair`): ``x`` first, then ``y`` to exactly
   x's dtype; nothing is ever cast implicitly;
3. check the dtypes the op accepts (:func:`check_dtype`);
4. create the op in the inputs' graph (:func:`make_op`, :func:`make_tensor`).

:func:`binary_op` and :func:`unary_op` are steps 1-4 for ``z = f(x, y)`` and ``y = f(x)``; the
op families in ``ops/`` build on them. A few shape-rule helpers shared by the families are
here too (:func:`same_shape`, :func:`broadcast_rule`, :func:`normalize_axis`).

TensorFlow's counterparts: ``python/framework/op_def_library.py`` (``_apply_op_helper``) and the
generated ``gen_*_ops.py`` wrappers.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from . import dtypes
from .framework import Operation, Tensor, convert_to_tensor, graph_of, name_scope, short_repr
from .tensor_shape import Dimension, ShapeError, TensorShape, broadcast_static_shape

__all__ = ["FLOAT_TYPES", "NUMBER_TYPES", "ADD_TYPES", "check_dtype", "convert_pair", "make_op", "make_tensor",
           "binary_op", "unary_op", "int_input", "index_dtype", "deprecated_argument_lookup", "python_int",
           "python_size", "python_bool", "short_repr", "same_shape", "broadcast_rule", "normalize_axis"]

FLOAT_TYPES = "bfloat16, float16, float32, float64, complex64, complex128"
NUMBER_TYPES = "bfloat16, float16, float32, float64, uint8, int8, int16, int32, int64, complex64, complex128"
ADD_TYPES = NUMBER_TYPES + ", string"
"""The dtypes an op accepts, as TensorFlow's message lists them (``Add`` also joins strings)."""
_ALLOWED_NAMES: "dict[str, frozenset]" = {}


def check_dtype(t: Tensor, op_type: str, allowed: str, arg: str = "x") -> None:
    """TF1 rejects e.g. ``tf.sqrt`` of an int32 tensor while the graph is built.

    ``allowed`` is ``FLOAT_TYPES``, ``NUMBER_TYPES`` or ``ADD_TYPES`` (their text goes into the message).
    """
    dt = t._dtype.base_dtype
    if dt.is_floating:
        return
    names = _ALLOWED_NAMES.get(allowed)
    if names is None:
        names = _ALLOWED_NAMES[allowed] = frozenset(allowed.split(", "))
    if dt.name not in names:
        floats_only = not any(n.startswith(("int", "uint", "string", "bool")) for n in names)
        raise TypeError("Value passed to parameter '%s' has DataType %s not in list of allowed values: %s\n"
                        "Fix: %s needs a %s tensor; convert it first, e.g. tf.cast(t, tf.float32)."
                        % (arg, dt.name, allowed, op_type, "floating-point" if floats_only else "numeric"))


def convert_pair(x: Any, y: Any, op_type: str, names: "tuple[str, str]" = ("x", "y")):
    """Converts the two inputs of an op whose inputs share one dtype, the way TF1 does it.

    ``x`` is converted first (a Python float becomes float32, an int int32); ``y`` must then
    have exactly x's dtype: a Python/numpy ``y`` is converted *to* that dtype, a tensor of
    another dtype is an error. (The operators ``x + 1`` convert the Python operand before
    calling this, with the tensor's dtype as a hint.)
    """
    x = convert_to_tensor(x, name=names[0])
    want = x.dtype.base_dtype
    if isinstance(y, Tensor):
        got = y
    else:
        try:
            got = convert_to_tensor(y, dtype=want, name=names[1])
        except TypeError as e:
            raise TypeError("Expected %s passed to parameter '%s' of op '%s', got %r of type '%s' instead. "
                            "Error: %s" % (want.name, names[1], op_type, y, type(y).__name__, e)) from None
        except ValueError:
            got = convert_to_tensor(y, name=names[1])      # e.g. a variable of another dtype
    if got.dtype.base_dtype is not want:
        raise TypeError("Input '%s' of '%s' Op has type %s that does not match type %s of argument '%s'.\n"
                        "Fix: tinyflow, like TensorFlow 1.x, never converts dtypes implicitly; use "
                        "tf.cast(...) on one operand (e.g. tf.cast(t, tf.%s))."
                        % (names[1], op_type, got.dtype.base_dtype.name, want.name, names[0], want.name))
    return x, got


def make_op(op_type: str, inputs: Sequence[Tensor], out_dtypes: Sequence[Any], name: str,
            attrs: "dict | None" = None, shapes: Any = None) -> Operation:
    """Creates an op in the inputs' graph."""
    return graph_of(inputs).create_op(op_type, inputs, out_dtypes, name=name, attrs=attrs, shapes=shapes)


def make_tensor(op_type: str, inputs: Sequence[Tensor], dtype: Any, name: str,
                attrs: "dict | None" = None) -> Tensor:
    """Creates a single-output op in the inputs' graph and returns its output."""
    g = graph_of(inputs)
    return g.create_op(op_type, inputs, (dtype,), name, attrs)._outputs[0]


def binary_op(op_type: str, x: Any, y: Any, name: "str | None", default_name: str,
              allowed: "str | None" = NUMBER_TYPES) -> Tensor:
    """TF1's generated-op wrapper for ``z = f(x, y)``: opens the op's name scope, converts
    Python operands inside it (so they are named e.g. ``Add/y``), checks the dtypes."""
    if type(x) is Tensor and type(y) is Tensor and x._dtype is y._dtype:
        # Fast path, same result: with nothing to convert, the op simply takes the scope's name.
        dtype = x._dtype.base_dtype
        if allowed:
            check_dtype(x, op_type, allowed)
        return make_tensor(op_type, (x, y), dtype, name or default_name)
    with name_scope(name, default_name, [x, y]) as scope:
        x, y = convert_pair(x, y, op_type)
        if allowed:
            check_dtype(x, op_type, allowed)
        return make_tensor(op_type, [x, y], x.dtype.base_dtype, scope)


def unary_op(op_type: str, x: Any, name: "str | None", allowed: "str | None" = NUMBER_TYPES,
             dtype: Any = None, input_name: str = "x", attrs: "dict | None" = None) -> Tensor:
    """TF1's generated-op wrapper for ``y = f(x)``: scope ``name`` (default ``op_type``), a Python
    input becomes the constant ``<scope>/<input_name>``, the op takes the scope's name."""
    with name_scope(name, op_type, [x]) as scope:
        x = convert_to_tensor(x, name=input_name)
        if allowed:
            check_dtype(x, op_type, allowed, input_name)
        return make_tensor(op_type, [x], dtype or x.dtype.base_dtype, scope, attrs)


def int_input(value: Any, name: str) -> Tensor:
    """An index-like input (shape, axis, begin, ...): int32 unless it already is an int64 tensor."""
    if isinstance(value, Tensor):
        if value.dtype.base_dtype is dtypes.int64:
            return value
    elif dtypes.ints_overflow(value, dtypes.int32):    # TensorFlow makes such a Python int an int64 input
        return convert_to_tensor(value, dtype=dtypes.int64, name=name)
    return convert_to_tensor(value, dtype=dtypes.int32, name=name)


def index_dtype(value: Any) -> dtypes.DType:
    """The preferred dtype of an axis input: int32, or int64 for Python ints beyond it (as TensorFlow,
    whose default index type gives way when the value does not fit: an axis of 2**40 is an int64)."""
    return dtypes.int64 if dtypes.ints_overflow(value, dtypes.int32) else dtypes.int32


def deprecated_argument_lookup(new_name: str, new_value: Any, old_name: str, old_value: Any) -> Any:
    """TF1 keeps old argument names (``keep_dims``, ``reduction_indices``) working (TensorFlow's
    ``deprecation.deprecated_argument_lookup``)."""
    if old_value is not None:
        if new_value is not None:
            raise ValueError("Cannot specify both '%s' and '%s'\nFix: use '%s' only." % (old_name, new_name, new_name))
        return old_value
    return new_value


def python_int(value: Any, arg: str, op_type: str) -> int:
    """A Python int argument (an axis or a count fixed while building): ints, numpy integers, known
    ``Dimension``s (``x.shape[1]``) and whole floats (``n / 2`` is a float in Python 3;
    TensorFlow takes ``2.0`` as ``2``).

    Anything else is a TypeError naming the argument, as TensorFlow's op wrappers do
    (``Expected int for argument 'axis' not 'abc'.``); ``2.5`` is not silently truncated."""
    if isinstance(value, (int, np.integer)):              # (True is 1, as in TensorFlow)
        return int(value)
    if isinstance(value, Dimension) and value.value is not None:
        return value.value
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return int(value)
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iu":
        return int(value)
    raise TypeError("Expected int for argument '%s' not %s.\nFix: %s takes a Python int for '%s' (it is fixed "
                    "while the graph is built), e.g. %s=1." % (arg, short_repr(value), op_type, arg, arg))


def python_size(value: Any) -> int:
    """One size in a shape given as a Python list (``tf.zeros([2, 3])``, ``tf.constant(..., shape=)``).

    As TensorFlow: a number or a known ``Dimension``, a float truncated (``2.7`` is 2); NaN,
    infinities, strings and other objects are a TypeError. The sign is left to the caller."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return int(value)
    if isinstance(value, Dimension) and value.value is not None:
        return value.value
    if isinstance(value, (float, np.floating)) and abs(value) < 2 ** 63:
        return int(value)
    hint = ("a size known only when the graph runs is tf.shape(x)[i]" if isinstance(value, Dimension)
            else "a shape is a list of non-negative ints, e.g. [2, 3]")
    raise TypeError("Expected int32, got %s of type '%s' instead.\nFix: %s."
                    % (short_repr(value), type(value).__name__, hint))


def python_bool(value: Any, arg: str, op_type: str) -> bool:
    """A Python bool argument (``keepdims``, ``trainable``): bools, numpy bools, 0 and 1."""
    if isinstance(value, (bool, np.bool_)) or (isinstance(value, (int, np.integer)) and value in (0, 1)):
        return bool(value)
    raise TypeError("Expected bool for argument '%s' not %s.\nFix: %s takes True or False for '%s'."
                    % (arg, short_repr(value), op_type, arg))


def same_shape(op: Operation) -> TensorShape:
    """Shape rule of an elementwise one-input op: the output has the input's shape."""
    return op._inputs[0]._shape


def broadcast_rule(op: Operation) -> TensorShape:
    """Shape rule of an elementwise two-input op: numpy's broadcasting of the two shapes."""
    return broadcast_static_shape(op._inputs[0]._shape, op._inputs[1]._shape)


def normalize_axis(axis: int, rank: int, what: str = "axis") -> int:
    """``axis`` in ``[0, rank)``; a negative axis counts from the end (a shape rule's check)."""
    if not -rank <= axis < rank:
        raise ShapeError("%s %d is out of range for a tensor of rank %d" % (what, axis, rank),
                         "Fix: %s must be in [-%d, %d)." % (what, rank, rank))
    return axis % rank

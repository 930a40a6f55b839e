"""``tf.constant``: a tensor whose value is fixed when the graph is built.

Python values are converted the way TensorFlow 1.x does it: Python floats become
``float32`` (not numpy's float64) and Python ints become ``int32`` when they fit; numpy
values keep their dtype.

TensorFlow's counterparts: ``python/framework/constant_op.py``, ``python/framework/tensor_util.py``
(``make_tensor_proto``), ``core/ops/array_ops.cc`` (``Const``).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import dtypes
from ..framework import Tensor, get_default_graph, register_tensor_conversion_function
from ..op_def_library import python_size
from ..op_registry import primitive
from ..tensor_shape import TensorShape, of_array

__all__ = ["constant"]


def _contents_error(value: Any) -> TypeError:
    return TypeError("Failed to convert object of type %s to Tensor. Contents: %s. Consider casting "
                     "elements to a supported type." % (type(value), value))


def _leaves(value: Any):
    if isinstance(value, (list, tuple)):
        for v in value:
            yield from _leaves(v)
    else:
        yield value


def _python_to_numpy(value: Any) -> np.ndarray:
    """np.array(value) with TF1's checks (dense, no None, no mixed strings)."""
    if value is None:
        raise ValueError("None values not supported.")
    for v in _leaves(value):
        if isinstance(v, Tensor):
            raise TypeError("List of Tensors when single Tensor expected")
    try:
        array = np.array(value)
    except ValueError:
        wanted, first = [], value
        while isinstance(first, (list, tuple)) and first:
            wanted.append(len(first))
            first = first[0]
        raise ValueError("Argument must be a dense tensor: %r - got shape [%d], but wanted %s.\n"
                         "(tinyflow: a nested list is ragged here; every row must have the same length.)"
                         % (value, len(value), "[%s]" % ", ".join(map(str, wanted)))) from None
    if array.dtype.kind in "USO":
        items = list(_leaves(value))
        if not all(isinstance(v, (str, bytes)) for v in items):
            raise _contents_error(value)
        return _to_bytes_array(array)
    return array


def _to_bytes_array(array: np.ndarray) -> np.ndarray:
    """Strings are stored as numpy object arrays of ``bytes`` (what TF1 returns)."""
    out = np.empty(array.shape, dtype=object)
    flat_in, flat_out = array.reshape(-1), out.reshape(-1)
    for i, v in enumerate(flat_in):
        flat_out[i] = v.encode("utf-8") if isinstance(v, str) else bytes(v)
    return out


def _infer(value: Any) -> np.ndarray:
    """Converts a Python or numpy value to an ndarray with TF1's default dtype."""
    if isinstance(value, (np.ndarray, np.generic)):
        array = np.asarray(value)
        return _to_bytes_array(array) if array.dtype.kind in "USO" else array
    array = _python_to_numpy(value)
    if array.dtype == np.float64:
        return array.astype(np.float32)
    if array.dtype == np.int64:
        as32 = array.astype(np.int32)
        return as32 if np.array_equal(as32, array) else array
    return array


def _check_python_types(value: Any, dtype: dtypes.DType) -> None:
    """TF1 refuses e.g. 3.0 for int32 or 'a' for float32 (numpy values are cast instead)."""
    for v in _leaves(value):
        ok = True
        if dtype is dtypes.string:
            ok = isinstance(v, (str, bytes))
        elif dtype.is_bool:
            ok = isinstance(v, (bool, np.bool_))
        elif dtype.is_integer:
            ok = isinstance(v, (int, np.integer, np.bool_))
        elif dtype.is_floating:
            ok = isinstance(v, (int, float, np.number, bool, np.bool_))
        if not ok:
            raise TypeError("Expected %s, got %r of type '%s' instead." % (dtype.name, v, type(v).__name__))


def convert_value(value: Any, dtype: Any = None) -> np.ndarray:
    """The ndarray ``tf.constant(value, dtype)`` would hold."""
    kind = type(value)
    if kind is float and (dtype is None or type(dtype) is dtypes.DType and dtype.is_floating):  # fast path
        return np.array(value, dtype=np.float32 if dtype is None else dtype.as_numpy_dtype)
    if dtype is None:
        return _infer(value)
    dtype = dtypes.as_dtype(dtype).base_dtype
    if isinstance(value, (np.ndarray, np.generic)):
        array = np.asarray(value)
        if dtype is dtypes.string:
            if array.dtype.kind not in "USO":
                raise TypeError("Expected string, got %r of type '%s' instead." % (value, type(value).__name__))
            return _to_bytes_array(array)
        if array.dtype.kind in "USO":
            raise TypeError("Expected %s, got %r of type '%s' instead." % (dtype.name, value, type(value).__name__))
        return array.astype(dtype.as_numpy_dtype)
    _check_python_types(value, dtype)
    array = _python_to_numpy(value)
    if dtype is dtypes.string:
        return array
    return array.astype(dtype.as_numpy_dtype)


@primitive("Const", shape=lambda op: TensorShape(op.attrs["value"].shape))
def _const_kernel(ctx):
    """A constant's value is stored in the graph (the ``value`` attr)."""
    return ctx.attrs["value"]


def constant(value: Any, dtype: Any = None, shape: Any = None, name: str = "Const",
             verify_shape: bool = False) -> Tensor:
    """Creates a constant tensor, e.g. ``tf.constant(3.0)`` or ``tf.constant([1, 2], tf.float32)``.

    With ``shape``, a value with fewer elements is padded with its last element
    (``tf.constant(7, shape=[2, 3])`` is all 7s), and one with the same count is reshaped.
    """
    array = convert_value(value, dtype)
    if shape is not None:
        shape = _constant_shape(shape)
        size = int(np.prod(shape, dtype=np.float64))
        if size * array.dtype.itemsize >= 2 ** 31:
            raise ValueError("Cannot create a tensor proto whose content is larger than 2GB.\n"
                             "tf.constant(..., shape=%s) would hold %d elements.\nFix: use tf.fill (or "
                             "tf.zeros/tf.ones) for a big tensor of one value." % (list(shape), size))
        if verify_shape and array.shape != shape:
            raise TypeError("Expected Tensor's shape: %s, got %s." % (shape, array.shape))
        if array.size > size:
            raise ValueError("Too many elements provided. Needed at most %d, but received %d"
                             % (size, array.size))
        flat = array.reshape(-1)
        if flat.size < size:
            pad = np.full(size - flat.size, flat[-1] if flat.size else 0, dtype=array.dtype)
            flat = np.concatenate([flat, pad])
        array = flat.reshape(shape)
    if array is value or array.base is not None:
        array = array.copy()           # never freeze the caller's own array
    array.flags.writeable = False      # graph constants must never change
    dt = dtypes.from_numpy(array)
    op = get_default_graph().create_op("Const", [], (dt,), name=name, attrs={"value": array, "dtype": dt},
                                       shapes=(of_array(array.shape),))
    return op._outputs[0]


def _constant_shape(shape: Any) -> "tuple[int, ...]":
    if isinstance(shape, TensorShape):
        shape = shape.as_list()
    elif isinstance(shape, np.ndarray) and shape.ndim == 1:
        shape = list(shape)
    elif not isinstance(shape, (list, tuple)):
        raise TypeError("tf.constant: shape must be a list of sizes, not %r (of type %s).\nFix: e.g. shape=[%r]."
                        % (shape, type(shape).__name__, shape))
    dims = tuple(python_size(d) for d in shape)
    if any(d < 0 for d in dims):
        raise ValueError("tf.constant: shape=%s has a negative size.\nFix: sizes are >= 0, e.g. shape=[2, 3]."
                         % list(dims))
    return dims


def _constant_tensor_conversion_function(value: Any, dtype: Any = None, name: "str | None" = None,
                                         as_ref: bool = False) -> Tensor:
    """Any other value (a Python number or list, a numpy array, ...) becomes a constant."""
    return constant(value, dtype=dtype, name=name or "Const")


# The fallback of convert_to_tensor: tried after every other conversion (as in TensorFlow).
register_tensor_conversion_function(object, _constant_tensor_conversion_function, priority=200)

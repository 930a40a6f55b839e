"""Data types: ``tf.float32``, ``tf.int32``, ... and ``tf.as_dtype``.

A :class:`DType` wraps a numpy dtype and prints like TensorFlow 1.x::

    >>> tf.float32
    tf.float32
    >>> print(tf.float32)
    <dtype: 'float32'>

The value held by a variable has a *reference* dtype (``float32_ref``); ``.base_dtype`` strips it.
"""
from __future__ import annotations

import builtins
from typing import Any

import numpy as np

__all__ = ["DType", "as_dtype", "float16", "half", "float32", "float64", "double", "int8", "int16", "int32",
           "int64", "uint8", "bool", "string", "resource"]

# TensorFlow's short names, used in error messages ("with dtype float").
_TF_SHORT_NAMES = {
    "float16": "half", "float32": "float", "float64": "double", "int8": "int8",
    "int16": "int16", "int32": "int32", "int64": "int64", "uint8": "uint8",
    "bool": "bool", "string": "string", "resource": "resource",
}


class DType:
    """A tensor element type, e.g. ``tf.float32``.

    Its properties are plain attributes, set once here: they are read for every op built."""

    def __init__(self, name: str, numpy_dtype: Any, is_ref: bool = False):
        self._name = name
        self._np = np.dtype(numpy_dtype)
        self.name: str = name + ("_ref" if is_ref else "")
        self.is_ref: bool = is_ref
        self.as_numpy_dtype: type = self._np.type
        self.is_floating: bool = name in ("float16", "float32", "float64")
        self.is_integer: bool = name.startswith(("int", "uint"))
        self.is_bool: bool = name == "bool"
        self.base_dtype: DType = self        # the ref types get theirs below

    @property
    def _as_ref(self) -> "DType":
        return _REFS[self._name]

    @property
    def is_numpy_compatible(self) -> bool:
        return True

    @property
    def min(self):
        return np.finfo(self._np).min if self.is_floating else np.iinfo(self._np).min

    @property
    def max(self):
        return np.finfo(self._np).max if self.is_floating else np.iinfo(self._np).max

    @property
    def short_name(self) -> str:
        """TensorFlow's C++ name, as used in runtime messages (``float`` for float32)."""
        return _TF_SHORT_NAMES[self._name]

    def is_compatible_with(self, other: Any) -> bool:
        return self.base_dtype is as_dtype(other).base_dtype

    def __repr__(self) -> str:
        return "tf." + self.name

    def __str__(self) -> str:
        return "<dtype: %r>" % self.name

    def __reduce__(self):
        return as_dtype, (self.name,)


float16 = DType("float16", np.float16)
float32 = DType("float32", np.float32)
float64 = DType("float64", np.float64)
int8 = DType("int8", np.int8)
int16 = DType("int16", np.int16)
int32 = DType("int32", np.int32)
int64 = DType("int64", np.int64)
uint8 = DType("uint8", np.uint8)
bool = DType("bool", np.bool_)  # noqa: A001  (TF's own name)
string = DType("string", np.object_)
resource = DType("resource", np.object_)   # a handle to state kept in the session (e.g. an iterator)
half, double = float16, float64

_BY_NAME = {d._name: d for d in (float16, float32, float64, int8, int16, int32, int64, uint8, bool, string,
                                 resource)}
_REFS = {n: DType(n, d._np, is_ref=True) for n, d in _BY_NAME.items()}
for _ref in _REFS.values():
    _ref.base_dtype = _BY_NAME[_ref._name]
_BY_NUMPY: "dict[Any, DType]" = {np.dtype(d._np): d for d in _BY_NAME.values() if d._np.kind != "O"}
_BY_NUMPY.update({d._np.type: d for d in list(_BY_NUMPY.values())})   # np.float32 as well
_ALIASES = {"float": float32, "double": float64, "half": float16}


def as_dtype(type_value: Any) -> DType:
    """Converts ``tf.float32``, ``"float32"``, ``np.float32`` or ``np.dtype`` to a :class:`DType`."""
    if isinstance(type_value, DType):
        return type_value
    if type(type_value) is not str:
        try:
            found = _BY_NUMPY.get(type_value)      # fast path: np.float32 or np.dtype("float32")
        except TypeError:                          # unhashable
            found = None
        if found is not None:
            return found
    if isinstance(type_value, str):
        base = type_value[:-4] if type_value.endswith("_ref") else type_value
        found = _BY_NAME.get(base) or _ALIASES.get(base)
        if found is not None:
            return found._as_ref if type_value.endswith("_ref") else found
    elif type_value is str or type_value is bytes:
        return string
    elif type_value is not None:                  # (numpy would take None for float64)
        try:
            npd = np.dtype(type_value)
        except (TypeError, ValueError, OverflowError):  # (numpy tries a tensor's .dtype, and fails)
            npd = None
        if npd is not None:
            if npd.kind in "USO":
                return string
            if npd in _BY_NUMPY:
                return _BY_NUMPY[npd]
    raise TypeError("Cannot convert value %r to a TensorFlow DType." % (type_value,))


def ints_overflow(value: Any, dtype: DType) -> bool:
    """Whether ``value`` is a Python int, or a flat list of them, with one outside ``dtype``'s range:
    TensorFlow then gives up a preferred dtype (an axis of 2**40 becomes an int64 input)."""
    bounds = _INT_BOUNDS.get(dtype._name)
    if bounds is None:
        return False
    values = value if type(value) in (list, tuple) else (value,)
    low, high = bounds
    for v in values:
        if not isinstance(v, (int, np.integer)) or isinstance(v, builtins.bool):
            return False
        if not low <= v <= high:
            return all(isinstance(w, (int, np.integer)) and not isinstance(w, builtins.bool) for w in values)
    return False


_INT_BOUNDS = {name: (int(np.iinfo(name).min), int(np.iinfo(name).max))
               for name in ("int8", "int16", "int32", "int64", "uint8")}


def from_numpy(array: np.ndarray) -> DType:
    """The DType of a numpy array (strings and objects become ``tf.string``)."""
    found = _BY_NUMPY.get(array.dtype)
    return found if found is not None else as_dtype(array.dtype)


def __dir__() -> "list[str]":
    """``dir(tf.dtypes)`` lists TensorFlow's names only (``__all__``)."""
    return list(__all__)

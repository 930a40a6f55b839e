"""Static shapes: ``TensorShape`` and ``Dimension``, with unknown sizes printed as ``?``.

A shape may be fully known ``(2, 3)``, partly known ``(?, 3)`` or of unknown rank
``<unknown>``. Shape inference works on these at graph-building time; the real sizes
are only known when a session runs the graph.
"""
from __future__ import annotations

import operator
from typing import Any, Iterable

import numpy as np


class ShapeError(ValueError):
    """Raised by a shape rule (``op_registry.primitive(shape=...)``); creating the op adds the op's
    name and its input shapes to the message, as TensorFlow's shape inference does."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint


class Dimension:
    """One dimension of a :class:`TensorShape`: an int, or ``None`` when unknown."""

    __slots__ = ("value",)

    def __init__(self, value: "int | Dimension | None"):
        self.value = dimension_value(value)

    def __repr__(self) -> str:
        return "Dimension(%s)" % self.value

    def __str__(self) -> str:
        return "?" if self.value is None else str(self.value)

    def __int__(self) -> int:
        if self.value is None:
            raise TypeError("Cannot convert an unknown Dimension to an int.")
        return self.value

    __index__ = __int__

    def __eq__(self, other: Any) -> Any:
        other = other.value if isinstance(other, Dimension) else other
        if self.value is None or other is None:
            return None
        return self.value == other

    def __ne__(self, other: Any) -> Any:
        eq = self.__eq__(other)
        return None if eq is None else not eq

    def __hash__(self) -> int:
        return hash(self.value)

    # Arithmetic as TF1's: Dimension(3) + 4 is Dimension(7); with an unknown side, unknown.
    def _combine(self, other: Any, fn: Any) -> "Dimension":
        other = Dimension(other)
        return Dimension(None if self.value is None or other.value is None else fn(self.value, other.value))

    def __add__(self, other: Any) -> "Dimension":
        return self._combine(other, lambda a, b: a + b)

    def __sub__(self, other: Any) -> "Dimension":
        return self._combine(other, lambda a, b: a - b)

    def __mul__(self, other: Any) -> "Dimension":
        return self._combine(other, lambda a, b: a * b)

    def __floordiv__(self, other: Any) -> "Dimension":
        return self._combine(other, lambda a, b: a // b)

    def __radd__(self, other: Any) -> "Dimension":
        return Dimension(other) + self

    def __rsub__(self, other: Any) -> "Dimension":
        return Dimension(other) - self

    def __rmul__(self, other: Any) -> "Dimension":
        return Dimension(other) * self

    def is_compatible_with(self, other: Any) -> bool:
        other = other.value if isinstance(other, Dimension) else other
        return self.value is None or other is None or self.value == other

    def assert_is_compatible_with(self, other: Any) -> None:
        if not self.is_compatible_with(other):
            other = other if isinstance(other, Dimension) else Dimension(other)
            raise ValueError("Dimensions %s and %s are not compatible" % (self, other))


def dimension_value(d: Any) -> "int | None":
    """A dimension as an int (or None for unknown), checked as TensorFlow checks it: an integer
    (or anything with ``__index__``) that is not negative. A bool is refused here, where TensorFlow
    refuses it a step later (``tf.placeholder(tf.float32, [True])``: "Expected an int, got a boolean")."""
    if d is None:
        return None
    if isinstance(d, Dimension):
        return d.value
    if isinstance(d, (bool, np.bool_)):
        raise _not_a_dimension(d)
    try:
        value = operator.index(d)
    except TypeError:
        raise _not_a_dimension(d) from None
    if value < 0:
        raise ValueError("Dimension %d must be >= 0\nFix: sizes cannot be negative; None is a size not known yet."
                         % value)
    return value


def _not_a_dimension(d: Any) -> TypeError:
    return TypeError("Dimension value must be integer or None or have an __index__ method, got value '%r' with type "
                     "'%s'\nFix: sizes are ints, or None for a size not known yet, e.g. [None, 3]." % (d, type(d)))


class TensorShape:
    """The static shape of a tensor; ``dims`` is ``None`` when the rank is unknown."""

    def __init__(self, dims: "Iterable[Any] | TensorShape | None"):
        if type(dims) is tuple:           # fast path: a numpy shape, e.g. (2, 3)
            for d in dims:
                if type(d) is not int:
                    break
            else:
                self._dims = dims
                return
        if isinstance(dims, TensorShape):
            self._dims = dims._dims
        elif dims is None:
            self._dims = None
        else:
            if isinstance(dims, (str, bytes)):
                raise TypeError("Failed to convert '%r' to a shape: '%r'could not be converted to a dimension. A shape "
                                "should either be single dimension (e.g. 10), or an iterable of dimensions (e.g. [1, "
                                "10, None])." % (dims, dims[:1]))
            if not hasattr(dims, "__iter__"):
                dims = [dims]                 # one dimension: TensorShape(3) is (3,)
            self._dims = tuple(d if type(d) is int and d >= 0 else dimension_value(d) for d in dims)

    # --- queries ---------------------------------------------------------
    @property
    def dims(self):
        return None if self._dims is None else [Dimension(d) for d in self._dims]

    @property
    def ndims(self) -> "int | None":
        return None if self._dims is None else len(self._dims)

    rank = ndims

    def as_list(self) -> list:
        if self._dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")
        return list(self._dims)

    def as_tuple(self) -> "tuple | None":
        """The dims as a tuple of ints/None (``None`` for unknown rank)."""
        return self._dims

    def is_fully_defined(self) -> bool:
        return self._dims is not None and None not in self._dims

    def num_elements(self) -> "int | None":
        if not self.is_fully_defined():
            return None
        n = 1
        for d in self._dims:
            n *= d
        return n

    def is_compatible_with(self, other: Any) -> bool:
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return True
        if len(self._dims) != len(other._dims):
            return False
        return all(a is None or b is None or a == b for a, b in zip(self._dims, other._dims))

    def assert_is_compatible_with(self, other: Any) -> None:
        if not self.is_compatible_with(other):
            raise ValueError("Shapes %s and %s are incompatible" % (self, as_shape(other)))

    def merge_with(self, other: Any) -> "TensorShape":
        other = as_shape(other)
        if self._dims is None:
            return other
        if other._dims is None:
            return self
        self.assert_is_compatible_with(other)
        return TensorShape([a if a is not None else b for a, b in zip(self._dims, other._dims)])

    def with_rank(self, rank: int) -> "TensorShape":
        if self._dims is None:
            return unknown_shape(rank)
        if len(self._dims) != rank:
            raise ValueError("Shape %s must have rank %d" % (self, rank))
        return self

    def with_rank_at_least(self, rank: int) -> "TensorShape":
        if self._dims is not None and len(self._dims) < rank:
            raise ValueError("Shape %s must have rank at least %d" % (self, rank))
        return self

    def concatenate(self, other: Any) -> "TensorShape":
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return TensorShape(None)
        return TensorShape(self._dims + other._dims)

    # --- python protocol -------------------------------------------------
    def __len__(self) -> int:
        if self._dims is None:
            raise ValueError("Cannot take the length of shape with unknown rank.")
        return len(self._dims)

    def __iter__(self):
        if self._dims is None:
            raise ValueError("Cannot iterate over a shape with unknown rank.")
        return iter([Dimension(d) for d in self._dims])

    def __getitem__(self, key):
        if self._dims is None:
            return TensorShape(None) if isinstance(key, slice) else Dimension(None)
        if isinstance(key, slice):
            return TensorShape(self._dims[key])
        return Dimension(self._dims[key])

    def __eq__(self, other: Any) -> bool:
        try:
            other = as_shape(other)
        except (TypeError, ValueError):
            return NotImplemented
        return self._dims == other._dims

    def __hash__(self) -> int:
        return hash(self._dims)

    def __bool__(self) -> bool:
        return self._dims is not None

    def __str__(self) -> str:
        if self._dims is None:
            return "<unknown>"
        parts = ["?" if d is None else str(d) for d in self._dims]
        if len(parts) == 1:
            return "(%s,)" % parts[0]
        return "(%s)" % ", ".join(parts)

    def __repr__(self) -> str:
        if self._dims is None:
            return "TensorShape(None)"
        return "TensorShape([%s])" % ", ".join("Dimension(%s)" % d for d in self._dims)

    def debug_string(self) -> str:
        """TensorFlow's C++ form used in runtime messages: ``[?,3]``."""
        if self._dims is None:
            return "<unknown>"
        return "[%s]" % ",".join("?" if d is None else str(d) for d in self._dims)


_KNOWN: "dict[tuple, TensorShape]" = {}


def of_array(shape: tuple) -> TensorShape:
    """The static shape of a numpy value's ``.shape``, shared: graphs hold many equal shapes."""
    known = _KNOWN.get(shape)
    if known is None:
        known = TensorShape(shape)
        if len(_KNOWN) < 1024:
            _KNOWN[shape] = known
    return known


def as_shape(shape: Any) -> TensorShape:
    return shape if isinstance(shape, TensorShape) else TensorShape(shape)


def unknown_shape(rank: "int | None" = None) -> TensorShape:
    return TensorShape(None if rank is None else [None] * rank)


def scalar() -> TensorShape:
    return TensorShape([])


def merge_problem(a: TensorShape, b: TensorShape) -> "str | None":
    """Why shapes ``a`` and ``b`` cannot be merged, in the words of TensorFlow's shape inference
    (``InferenceContext::Merge``); None if they can. Shape rules raise it as a ShapeError with a
    hint of their own; ``TensorShape.merge_with`` is the Python API's merge."""
    if a.ndims is None or b.ndims is None:
        return None
    if a.ndims != b.ndims:
        return "Shapes must be equal rank, but are %d and %d" % (a.ndims, b.ndims)
    for d, (x, y) in enumerate(zip(a.as_list(), b.as_list())):
        if x is not None and y is not None and x != y:
            return ("Dimension %d in both shapes must be equal, but are %d and %d. Shapes are %s and %s."
                    % (d, x, y, a.debug_string(), b.debug_string()))
    return None


def broadcast_static_shape(a: TensorShape, b: TensorShape) -> TensorShape:
    """numpy's broadcasting rule on static shapes (unknown dims stay unknown)."""
    if a._dims == b._dims:
        return a
    if a._dims is None or b._dims is None:
        return TensorShape(None)
    x, y = list(a._dims), list(b._dims)
    n = max(len(x), len(y))
    x, y = [1] * (n - len(x)) + x, [1] * (n - len(y)) + y
    out = []
    for dx, dy in zip(x, y):
        if dx == 1:
            out.append(dy)
        elif dy == 1:
            out.append(dx)
        elif dx is None:
            out.append(dy)
        elif dy is None or dx == dy:
            out.append(dx)
        else:
            raise ShapeError("Dimensions must be equal, but are %d and %d" % (dx, dy),
                             "Fix: elementwise ops need equal sizes, or size 1 to broadcast; check the "
                             "shapes of both operands (e.g. with print(tensor)).")
    return TensorShape(out)

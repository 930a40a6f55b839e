"""``tf.errors``: the exceptions a session raises while running a graph.

Each :class:`OpError` carries the operation that failed (``.op``) and a ``.message``. Its
``str()`` adds where that op was created in *your* code, so the traceback leads back to the
line to fix.
"""
from __future__ import annotations

from typing import Any

__all__ = ["OpError", "CancelledError", "UnknownError", "InvalidArgumentError", "DeadlineExceededError",
           "NotFoundError", "AlreadyExistsError", "PermissionDeniedError", "ResourceExhaustedError",
           "FailedPreconditionError", "AbortedError", "OutOfRangeError", "UnimplementedError",
           "InternalError", "UnavailableError", "DataLossError", "UnauthenticatedError",
           "exception_type_from_error_code", "error_code_from_exception_type", "OK", "CANCELLED", "UNKNOWN",
           "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED",
           "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
           "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"]

OK = 0
CANCELLED, UNKNOWN, INVALID_ARGUMENT, DEADLINE_EXCEEDED, NOT_FOUND, ALREADY_EXISTS = 1, 2, 3, 4, 5, 6
PERMISSION_DENIED, RESOURCE_EXHAUSTED, FAILED_PRECONDITION, ABORTED, OUT_OF_RANGE = 7, 8, 9, 10, 11
UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS, UNAUTHENTICATED = 12, 13, 14, 15, 16


class OpError(Exception):
    """A failure while running an operation. ``e.op`` is the Operation, ``e.message`` the text."""

    def __init__(self, node_def: Any, op: Any, message: str, error_code: int = UNKNOWN):
        super().__init__()
        self._node_def = node_def
        self._op = op
        self._message = message
        self._error_code = error_code

    @property
    def message(self) -> str:
        return self._message

    def append_message(self, text: str) -> None:
        """Adds a line to the message (tinyflow: what a failed run's undo did)."""
        self._message = "%s\n%s" % (self._message, text)

    @property
    def op(self) -> Any:
        return self._op

    @property
    def node_def(self) -> Any:
        return self._node_def

    @property
    def error_code(self) -> int:
        return self._error_code

    def __str__(self) -> str:
        if self._op is None or not getattr(self._op, "traceback", None):
            return self._message
        return "%s\n\nOriginal stack trace for %r:\n%s" % (
            self._message, self._op.name, self._op.format_traceback())

    def __reduce__(self):
        return type(self), (self._node_def, None, self._message)


def _subclass(name: str, code: int, doc: str) -> type:
    def __init__(self, node_def, op, message, error_code=code):
        OpError.__init__(self, node_def, op, message, error_code)
    return type(name, (OpError,), {"__init__": __init__, "__doc__": doc})


CancelledError = _subclass("CancelledError", CANCELLED, "The run was cancelled.")
UnknownError = _subclass("UnknownError", UNKNOWN, "An error of unknown kind.")
InvalidArgumentError = _subclass("InvalidArgumentError", INVALID_ARGUMENT,
                                 "An op got a bad argument, e.g. an unfed placeholder.")
DeadlineExceededError = _subclass("DeadlineExceededError", DEADLINE_EXCEEDED, "A deadline passed.")
NotFoundError = _subclass("NotFoundError", NOT_FOUND, "A file or resource was not found.")
AlreadyExistsError = _subclass("AlreadyExistsError", ALREADY_EXISTS, "It already exists.")
PermissionDeniedError = _subclass("PermissionDeniedError", PERMISSION_DENIED, "Permission denied.")
ResourceExhaustedError = _subclass("ResourceExhaustedError", RESOURCE_EXHAUSTED, "Out of memory.")
FailedPreconditionError = _subclass("FailedPreconditionError", FAILED_PRECONDITION,
                                    "State not ready, e.g. an uninitialized variable or table.")
AbortedError = _subclass("AbortedError", ABORTED, "The operation was aborted.")
OutOfRangeError = _subclass("OutOfRangeError", OUT_OF_RANGE, "An iterator ran past its end.")
UnimplementedError = _subclass("UnimplementedError", UNIMPLEMENTED, "Not implemented.")
InternalError = _subclass("InternalError", INTERNAL, "An internal invariant broke.")
UnavailableError = _subclass("UnavailableError", UNAVAILABLE, "Unavailable.")
DataLossError = _subclass("DataLossError", DATA_LOSS, "Data was lost or corrupted.")
UnauthenticatedError = _subclass("UnauthenticatedError", UNAUTHENTICATED, "Not authenticated.")

_BY_CODE = {c.__init__.__defaults__[0]: c for c in (
    CancelledError, UnknownError, InvalidArgumentError, DeadlineExceededError, NotFoundError,
    AlreadyExistsError, PermissionDeniedError, ResourceExhaustedError, FailedPreconditionError,
    AbortedError, OutOfRangeError, UnimplementedError, InternalError, UnavailableError,
    DataLossError, UnauthenticatedError)}


def exception_type_from_error_code(error_code: int) -> type:
    return _BY_CODE[error_code]


def error_code_from_exception_type(cls: type) -> int:
    for code, c in _BY_CODE.items():
        if c is cls:
            return code
    return UNKNOWN


class OperatorNotAllowedInGraphError(TypeError):
    """Using a symbolic Tensor as a Python bool or iterating over it."""


class InaccessibleTensorError(ValueError):
    """A tensor is used where it cannot be reached."""


def __dir__() -> "list[str]":
    """``dir(tf.errors)`` lists TensorFlow's names only (``__all__``)."""
    return list(__all__)

"""The ``tf.assert_*`` family: checks that run with the graph, or at once when they can.

``tf.assert_positive(x)`` returns an ``Assert`` op that, when it runs, fails with
InvalidArgumentError "assertion failed: [] [Condition x > 0 did not hold element-wise:] [x
(Placeholder:0) = ] [0 3 -2]". Make it a control dependency of what must not go wrong::

    with tf.control_dependencies([tf.assert_positive(x)]):
        y = tf.log(x)

When the values are known while the graph is built (constants), TensorFlow checks them at once:
a failing check raises right there (a passing one still returns its ``Assert`` op). tinyflow does
the same.

TensorFlow's counterpart: ``python/ops/check_ops.py`` (whose messages these are, word for word,
including ``assert_non_positive``'s missing separator).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import dtypes, errors
from ..framework import Operation, Tensor, convert_to_tensor, name_scope
from ..tensor_util import constant_value
from . import array_ops, comparison_ops, control_flow_ops, creation_ops, logging_ops, reduction_ops

__all__ = ["assert_equal", "assert_none_equal", "assert_less", "assert_less_equal", "assert_greater",
           "assert_greater_equal", "assert_positive", "assert_negative", "assert_non_negative",
           "assert_non_positive", "assert_rank", "assert_rank_at_least", "assert_type", "assert_integer",
           "assert_scalar"]


def _pretty(value: Any) -> str:
    """How a failed static check shows a piece of its data (numpy's ``str`` for values)."""
    if isinstance(value, Tensor):
        value = constant_value(value)
    return value if isinstance(value, str) else str(np.asarray(value))


def _binary_assert(symbol: str, compare: Callable, default_name: str, x: Any, y: Any, data: Any, summarize: Any,
                   message: Any, name: "str | None") -> Operation:
    with name_scope(name, default_name, [x, y]):
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, name="y")
        if data is None:
            data = ["Condition x %s y did not hold element-wise:" % symbol, "x (%s) = " % x.name, x,
                    "y (%s) = " % y.name, y]
        if message is not None:
            data = [message] + list(data)
        return _check(compare(x, y), data, summarize, [x, y],
                      lambda xv, yv: bool(np.all(_numpy_compare(symbol, xv, yv))))


def _numpy_compare(symbol: str, a: Any, b: Any) -> Any:
    return {"==": np.equal, "!=": np.not_equal, "<": np.less, "<=": np.less_equal, ">": np.greater,
            ">=": np.greater_equal}[symbol](a, b)


def _check(condition_of: Any, data: list, summarize: Any, inputs: list, holds: Callable) -> Operation:
    """An Assert of ``reduce_all(condition_of)``; with every input known now, checked at once too
    (a failure raises here; TensorFlow still returns the Assert op when it passes)."""
    known = [constant_value(t) for t in inputs]
    if all(k is not None for k in known) and not holds(*known):
        raise errors.InvalidArgumentError(None, None, "\n".join(_pretty(d) for d in data))
    return logging_ops.Assert(reduction_ops.reduce_all(condition_of), data, summarize=summarize)


def assert_equal(x: Any, y: Any, data: Any = None, summarize: Any = None, message: Any = None,
                 name: "str | None" = None) -> Operation:
    """Checks ``x == y`` for every element (with broadcasting)."""
    return _binary_assert("==", comparison_ops.equal, "assert_equal", x, y, data, summarize, message, name)


def assert_none_equal(x: Any, y: Any, data: Any = None, summarize: Any = None, message: Any = None,
                      name: "str | None" = None) -> Operation:
    """Checks ``x != y`` for every element."""
    return _binary_assert("!=", comparison_ops.not_equal, "assert_none_equal", x, y, data, summarize, message, name)


def assert_less(x: Any, y: Any, data: Any = None, summarize: Any = None, message: Any = None,
                name: "str | None" = None) -> Operation:
    """Checks ``x < y`` for every element."""
    return _binary_assert("<", comparison_ops.less, "assert_less", x, y, data, summarize, message, name)


def assert_less_equal(x: Any, y: Any, data: Any = None, summarize: Any = None, message: Any = None,
                      name: "str | None" = None) -> Operation:
    """Checks ``x <= y`` for every element."""
    return _binary_assert("<=", comparison_ops.less_equal, "assert_less_equal", x, y, data, summarize, message,
                          name)


def assert_greater(x: Any, y: Any, data: Any = None, summarize: Any = None, message: Any = None,
                   name: "str | None" = None) -> Operation:
    """Checks ``x > y`` for every element."""
    return _binary_assert(">", comparison_ops.greater, "assert_greater", x, y, data, summarize, message, name)


def assert_greater_equal(x: Any, y: Any, data: Any = None, summarize: Any = None, message: Any = None,
                         name: "str | None" = None) -> Operation:
    """Checks ``x >= y`` for every element."""
    return _binary_assert(">=", comparison_ops.greater_equal, "assert_greater_equal", x, y, data, summarize,
                          message, name)


def _sign_assert(default_name: str, condition: str, via: Callable, zero_first: bool, x: Any, data: Any,
                 summarize: Any, message: Any, name: "str | None") -> Operation:
    """assert_positive & co.: ``assert_less(0, x)`` and its kin, with TensorFlow's own message."""
    with name_scope(name, default_name, [x]):
        x = convert_to_tensor(x, name="x")
        if data is None:                # (given data, TensorFlow leaves the message out here)
            data = ["" if message is None else "%s.  " % message] + condition.format(x.name).split("\0") + [x]
        zero = creation_ops.zeros([], dtype=x.dtype.base_dtype)
        return via(zero, x, data=data, summarize=summarize) if zero_first else \
            via(x, zero, data=data, summarize=summarize)


def assert_positive(x: Any, data: Any = None, summarize: Any = None, message: Any = None,
                    name: "str | None" = None) -> Operation:
    """Checks ``x > 0`` for every element."""
    return _sign_assert("assert_positive", "Condition x > 0 did not hold element-wise:\0x ({}) = ", assert_less,
                        True, x, data, summarize, message, name)


def assert_negative(x: Any, data: Any = None, summarize: Any = None, message: Any = None,
                    name: "str | None" = None) -> Operation:
    """Checks ``x < 0`` for every element."""
    return _sign_assert("assert_negative", "Condition x < 0 did not hold element-wise:\0x ({}) = ", assert_less,
                        False, x, data, summarize, message, name)


def assert_non_negative(x: Any, data: Any = None, summarize: Any = None, message: Any = None,
                        name: "str | None" = None) -> Operation:
    """Checks ``x >= 0`` for every element."""
    return _sign_assert("assert_non_negative", "Condition x >= 0 did not hold element-wise:\0x ({}) = ",
                        assert_less_equal, True, x, data, summarize, message, name)


def assert_non_positive(x: Any, data: Any = None, summarize: Any = None, message: Any = None,
                        name: "str | None" = None) -> Operation:
    """Checks ``x <= 0`` for every element. (TensorFlow's message runs its two parts together.)"""
    return _sign_assert("assert_non_positive", "Condition x <= 0 did not hold element-wise:x ({}) = ",
                        assert_less_equal, False, x, data, summarize, message, name)


def assert_rank(x: Any, rank: Any, data: Any = None, summarize: Any = None, message: Any = None,
                name: "str | None" = None) -> Operation:
    """Checks that ``x`` has rank ``rank``: at once if its rank is known, else when it runs."""
    return _rank_assert(x, rank, data, summarize, message, name, "assert_rank", "must have rank", np.equal)


def assert_rank_at_least(x: Any, rank: Any, data: Any = None, summarize: Any = None, message: Any = None,
                         name: "str | None" = None) -> Operation:
    """Checks that ``x`` has rank ``rank`` or more."""
    return _rank_assert(x, rank, data, summarize, message, name, "assert_rank_at_least",
                        "must have rank at least", np.greater_equal)


def _rank_assert(x: Any, rank: Any, data: Any, summarize: Any, message: Any, name: "str | None",
                 default_name: str, words: str, holds: Callable) -> Operation:
    with name_scope(name, default_name, [x, rank]):
        x = convert_to_tensor(x, name="x")
        rank = convert_to_tensor(rank, name="rank")
        wanted = constant_value(rank)
        if x.shape.ndims is not None and wanted is not None:
            if holds(x.shape.ndims, wanted):
                return control_flow_ops.no_op(name="static_checks_determined_all_ok")
            raise ValueError("%sTensor %s %s %d.  Received rank %d, shape %s"
                             % ("" if message is None else message + ".  ", x.name, words, int(wanted),
                                x.shape.ndims, x.shape))
        if data is None:
            data = ["" if message is None else message, "Tensor %s %s" % (x.name, words), rank,
                    "Received shape: ", array_ops.shape(x)]
        condition = comparison_ops.equal(array_ops.rank(x), rank) if holds is np.equal else \
            comparison_ops.greater_equal(array_ops.rank(x), rank)
        return logging_ops.Assert(condition, data, summarize=summarize)


def assert_type(tensor: Any, tf_type: Any, message: Any = None, name: "str | None" = None) -> Operation:
    """Checks the dtype while the graph is built (a TypeError if it differs)."""
    tf_type = dtypes.as_dtype(tf_type).base_dtype
    with name_scope(name, "assert_type", [tensor]):
        tensor = convert_to_tensor(tensor, name="tensor")
        if tensor.dtype.base_dtype is not tf_type:
            raise TypeError("%s%s must be of type tf.%s; got tf.%s" % ("" if message is None else message + " ",
                                                                        tensor.name, tf_type.name,
                                                                        tensor.dtype.base_dtype.name))
        return control_flow_ops.no_op(name="statically_determined_correct_type")


def assert_integer(x: Any, message: Any = None, name: "str | None" = None) -> Operation:
    """Checks that ``x`` has an integer dtype (while the graph is built)."""
    with name_scope(name, "assert_integer", [x]):
        x = convert_to_tensor(x, name="x")
        if not x.dtype.is_integer:
            raise TypeError('%sExpected "x" to be integer type.  Found: %s of dtype %s'
                            % ("" if message is None else message + " ", x.name, x.dtype))
        return control_flow_ops.no_op("statically_determined_was_integer")


def assert_scalar(tensor: Any, name: "str | None" = None, message: Any = None) -> Tensor:
    """Returns ``tensor`` if its shape is known to be ``()``; a ValueError otherwise."""
    with name_scope(name, "assert_scalar", [tensor]):
        tensor = convert_to_tensor(tensor, name="tensor")
        if tensor.shape.ndims != 0:
            raise ValueError("%sExpected scalar shape, saw shape: %s." % ("" if message is None else message + " ",
                                                                           tensor.shape))
        return tensor

"""Printing and checking while a graph runs: ``tf.Print``, ``tf.print``, ``tf.Assert``,
``tf.check_numerics``, ``tf.verify_tensor_all_finite``.

In a graph, a print or a check happens when the op *runs*, not when it is built: ``tf.Print``
returns its input, so putting it in the path of a value makes the session run it; ``tf.print``
and ``tf.Assert`` return ops that must be fetched, or be control dependencies of something
fetched (``with tf.control_dependencies([check]): y = ...``).

Values are shown as TensorFlow's kernels show them: ``tf.Print`` and ``tf.Assert`` use
``SummarizeValue`` (at most ``summarize`` elements, default 3, ``[1 2 3...]``); ``tf.print``
lays tensors out as numpy does, keeping the first and last ``summarize`` entries of each axis.

TensorFlow's counterparts: ``python/ops/logging_ops.py``, ``core/kernels/logging_ops.cc``,
``core/framework/tensor.cc`` (``SummarizeValue``), ``python/ops/numerics.py``. As in TF,
``tf.Assert`` on data other than strings and int32 sits inside a ``tf.cond`` named ``AssertGuard``.
"""
from __future__ import annotations

import sys
from typing import Any

import numpy as np

from .. import dtypes, errors
from ..framework import Operation, Tensor, convert_to_tensor, is_tensor_like, name_scope
from ..op_def_library import FLOAT_TYPES, check_dtype, make_op, python_int, same_shape
from ..op_registry import RegisterGradient, primitive, read_value
from ..tensor_shape import TensorShape
from . import cond, control_flow_ops

__all__ = ["Print", "print", "Assert", "check_numerics", "verify_tensor_all_finite"]


# --------------------------------------------------------------------------------------------
# How kernels show values
# --------------------------------------------------------------------------------------------
def format_element(value: Any) -> str:
    """One element as TensorFlow's kernels print it: the shortest of %.6g/%.9g (float32) or
    %.15g/%.17g (float64) that reads back as the same number; bools as 1/0; bytes as text."""
    if isinstance(value, (bytes, np.bytes_)):
        return value.decode("utf-8", "replace")
    if isinstance(value, (bool, np.bool_)):
        return "1" if value else "0"
    if isinstance(value, (float, np.floating)):
        if np.isnan(value):
            return "nan"
        if np.isinf(value):
            return "inf" if value > 0 else "-inf"
        short, long_ = (6, 9) if isinstance(value, (np.float32, np.float16)) else (15, 17)
        text = "%.*g" % (short, value)
        return text if type(value)(text) == value else "%.*g" % (long_, value)
    return str(value)


def summarize_value(value: Any, max_entries: int = 3) -> str:
    """TensorFlow's ``Tensor::SummarizeValue``: the first ``max_entries`` elements (all if < 0),
    nested in brackets by shape, with ``...`` where elements were left out."""
    array = np.asarray(value)
    if array.ndim == 0:
        return format_element(array[()])
    flat = array.ravel()
    limit = flat.size if max_entries < 0 else min(max_entries, flat.size)
    out: list = []
    index = [0]

    def one_dim(dim: int) -> None:
        if index[0] >= limit:
            return
        count = array.shape[dim]
        if dim == array.ndim - 1:
            for i in range(count):
                if index[0] >= limit:
                    if dim != 0:
                        out.append("...")
                    return
                if i:
                    out.append(" ")
                out.append(format_element(flat[index[0]]))
                index[0] += 1
            return
        for _ in range(count):
            opened = index[0] < limit
            if opened:
                out.append("[")
            one_dim(dim + 1)
            if index[0] < limit or opened:
                out.append("]")

    one_dim(0)
    if 0 <= max_entries < flat.size:
        out.append("...")
    return "".join(out)


def format_like_numpy(value: Any, summarize: int = 3) -> str:
    """``tf.print``'s layout: ``[[0 1 2]\\n [3 4 5]]``; each axis longer than 2 * ``summarize``
    shows its first and last ``summarize`` entries around ``...`` (all of them if < 0)."""
    array = np.asarray(value)
    if array.ndim == 0:
        return format_element(array[()])
    strings = array.dtype.kind in "SOU"

    def element(v: Any) -> str:                 # in an array, strings are quoted and escaped
        if not strings:
            return format_element(v)
        text = v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)
        return '"%s"' % text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")

    def block(a: np.ndarray, depth: int) -> str:
        n = a.shape[0]
        keep = list(range(n)) if summarize < 0 or n <= 2 * summarize else \
            list(range(summarize)) + [None] + list(range(n - summarize, n))
        if a.ndim == 1:
            return "[" + " ".join("..." if i is None else element(a[i]) for i in keep) + "]"
        gap = "\n" * (a.ndim - 1) + " " * (depth + 1)
        return "[" + gap.join("..." if i is None else block(a[i], depth + 1) for i in keep) + "]"

    return block(array, 0)


# --------------------------------------------------------------------------------------------
# tf.Print
# --------------------------------------------------------------------------------------------
def Print(input_: Any, data: Any, message: "str | None" = None, first_n: "int | None" = None,  # noqa: N802
          summarize: "int | None" = None, name: "str | None" = None) -> Tensor:
    """Returns ``input_``; when it runs, prints ``message`` then each tensor of ``data`` as
    ``[values]`` to stderr (the first ``first_n`` runs only, if given; ``summarize`` elements of
    each, default 3). A notebook shows stderr below the cell."""
    if not isinstance(data, (list, tuple)):
        raise TypeError("tf.Print's data must be a list of tensors, not %r.\nFix: e.g. tf.Print(x, [x], "
                        "'x is ')." % (data,))
    with name_scope(name, "Print", [input_] + list(data)) as scope:
        input_ = convert_to_tensor(input_, name="input")
        tensors = [convert_to_tensor(d, name="data_%d" % i) for i, d in enumerate(data)]
        attrs = {"message": message or "", "first_n": -1 if first_n is None else python_int(first_n, "first_n",
                                                                                               "Print"),
                 "summarize": 3 if summarize is None else python_int(summarize, "summarize", "Print")}
        return make_op("Print", [input_] + tensors, [input_.dtype.base_dtype], scope, attrs=attrs,
                       shapes=[input_.shape]).outputs[0]


@primitive("Print", stateful=True)
def _print_kernel(ctx, input_, *data):
    count = ctx.cache.get("printed", 0)
    first_n = ctx.attrs["first_n"]
    if first_n < 0 or count < first_n:
        ctx.cache["printed"] = count + 1
        text = "".join("[%s]" % summarize_value(read_value(d), ctx.attrs["summarize"]) for d in data)
        sys.stderr.write(ctx.attrs["message"] + text + "\n")
    return read_value(input_)


@RegisterGradient("Print")
def _print_grad(op, grad):
    """The value passes through: so does its gradient (none for the printed data)."""
    return [grad] + [None] * (len(op.inputs) - 1)


# --------------------------------------------------------------------------------------------
# tf.print
# --------------------------------------------------------------------------------------------
def print(*inputs: Any, output_stream: Any = sys.stderr, summarize: "int | None" = 3, sep: str = " ",  # noqa: A001
          end: str = "\n", name: "str | None" = None) -> Operation:
    """An op that prints ``inputs`` (tensors, variables and Python values, nested in lists, tuples
    and dicts) when it runs, as Python's ``print`` would, with tensors laid out as numpy does.
    Fetch it, or make it a control dependency: in a graph nothing runs unless something needs it.

    As in TensorFlow, a ``StringFormat`` op makes the text (a placeholder in its template for
    each tensor) and a ``PrintV2`` op writes it to ``output_stream``: ``sys.stderr`` (default),
    ``sys.stdout`` or ``"file://<path>"`` (appended to)."""
    stream = ("stderr" if any(output_stream is s for s in (sys.stderr, sys.__stderr__, _STDERR)) else
              "stdout" if any(output_stream is s for s in (sys.stdout, sys.__stdout__, _STDOUT)) else output_stream)
    if not (isinstance(stream, str) and (stream in ("stderr", "stdout") or stream.startswith("file://"))):
        raise ValueError("Unsupported output stream, logging level, or file. %r\nFix: output_stream=sys.stderr, "
                         "sys.stdout or 'file:///path/to/file'." % (output_stream,))
    tensors: list = []
    placeholder = "{}"
    literal = "".join(x for x in inputs if isinstance(x, str))
    while placeholder in literal:                      # (a placeholder the text does not contain)
        placeholder = "{%s}" % placeholder

    def layout(x: Any, top: bool) -> str:
        if is_tensor_like(x):
            tensors.append(convert_to_tensor(x))
            return placeholder
        if isinstance(x, dict):
            return "{" + ", ".join("%r: %s" % (k, layout(v, False)) for k, v in x.items()) + "}"
        if isinstance(x, list):
            return "[" + ", ".join(layout(v, False) for v in x) + "]"
        if isinstance(x, tuple):
            return "(" + ", ".join(layout(v, False) for v in x) + ("," if len(x) == 1 else "") + ")"
        return x if top and isinstance(x, str) else repr(x) if isinstance(x, str) else str(x)

    template = sep.join(layout(x, True) for x in inputs)
    summarize = 3 if summarize is None else python_int(summarize, "summarize", "StringFormat")
    formatted = make_op("StringFormat", tensors, [dtypes.string], "StringFormat" if name is None else name + "_format",
                        attrs={"template": template, "placeholder": placeholder, "summarize": summarize},
                        shapes=[TensorShape([])]).outputs[0]
    return make_op("PrintV2", [formatted], [], name or "PrintV2", attrs={"output_stream": stream, "end": end})


_STDERR, _STDOUT = sys.stderr, sys.stdout
"""The streams when tinyflow was imported (``print``'s default is that ``sys.stderr``)."""


@primitive("StringFormat", shape=lambda op: TensorShape([]))
def _string_format_kernel(ctx, *tensors):
    pieces = ctx.attrs["template"].split(ctx.attrs["placeholder"])
    text = [pieces[0]]
    for value, piece in zip(tensors, pieces[1:]):
        text += [format_like_numpy(read_value(value), ctx.attrs["summarize"]), piece]
    return np.array("".join(text).encode("utf-8"), dtype=object)


@primitive("PrintV2", stateful=True)
def _print_v2_kernel(ctx, text):
    stream, line = ctx.attrs["output_stream"], np.asarray(text)[()].decode("utf-8") + ctx.attrs["end"]
    if stream.startswith("file://"):
        with open(stream[len("file://"):], "a", encoding="utf-8") as f:
            f.write(line)
    else:
        (sys.stderr if stream == "stderr" else sys.stdout).write(line)      # (the streams of now: a notebook's)
    return ()


# --------------------------------------------------------------------------------------------
# tf.Assert
# --------------------------------------------------------------------------------------------
def Assert(condition: Any, data: Any, summarize: "int | None" = None, name: "str | None" = None) -> Operation:  # noqa: N802
    """An op that, when it runs, raises InvalidArgumentError "assertion failed: [data]..." if
    ``condition`` (a bool scalar) is False."""
    if not isinstance(data, (list, tuple)):
        raise TypeError("tf.Assert's data must be a list of tensors or strings, not %r.\nFix: e.g. "
                        "tf.Assert(ok, ['x is', x])." % (data,))
    with name_scope(name, "Assert", [condition] + list(data)) as scope:
        condition = convert_to_tensor(condition, name="Condition")
        if condition.dtype.base_dtype is not dtypes.bool:
            raise TypeError("Assert's condition must be a bool tensor, got %s.\nFix: compare first, e.g. "
                            "tf.reduce_all(x > 0)." % condition.dtype.name)
        if condition.shape.ndims not in (None, 0):
            raise ValueError("Shape must be rank 0 but is rank %d for '%sAssert' (op: 'Assert')\nFix: reduce the "
                             "condition to one bool, e.g. tf.reduce_all(x > 0)." % (condition.shape.ndims, scope))
        summarize = 3 if summarize is None else python_int(summarize, "summarize", "Assert")
        xs = [convert_to_tensor(d) for d in data]
        if all(x.dtype.base_dtype in (dtypes.string, dtypes.int32) for x in xs):
            return _assert_op(condition, data, summarize)
        # Other data (floats) would have to be copied to the host to be printed: TF1 copies them
        # only when the assertion fails, in the false branch of a cond (``AssertGuard``).
        guard = cond.cond(condition, control_flow_ops.no_op, lambda: _assert_op(condition, data, summarize),
                          name="AssertGuard")
        return guard.op


def _assert_op(condition: Tensor, data: Any, summarize: int) -> Operation:
    with name_scope(None, "Assert", data) as op_scope:          # the op's own scope holds its data
        tensors = [convert_to_tensor(d, name="data_%d" % i) for i, d in enumerate(data)]
        return make_op("Assert", [condition] + tensors, [], op_scope, attrs={"summarize": summarize})


@primitive("Assert", stateful=True)
def _assert_kernel(ctx, condition, *data):
    if not np.asarray(condition).all():
        raise errors.InvalidArgumentError(None, ctx.op, "assertion failed: %s" % " ".join(
            "[%s]" % summarize_value(read_value(d), ctx.attrs["summarize"]) for d in data))
    return ()


# --------------------------------------------------------------------------------------------
# Numerics
# --------------------------------------------------------------------------------------------
def check_numerics(tensor: Any, message: str, name: "str | None" = None) -> Tensor:
    """Returns ``tensor``; when it runs, an InvalidArgumentError if it holds a NaN or an infinity."""
    with name_scope(name, "CheckNumerics", [tensor]) as scope:
        tensor = convert_to_tensor(tensor, name="tensor")
        check_dtype(tensor, "CheckNumerics", "bfloat16, float16, float32, float64", "tensor")
        return make_op("CheckNumerics", [tensor], [tensor.dtype.base_dtype], scope, attrs={"message": message},
                       shapes=[tensor.shape]).outputs[0]


@primitive("CheckNumerics", shape=same_shape, stateful=True)
def _check_numerics_kernel(ctx, x):
    x = read_value(x)
    found = [word for bad, word in ((np.isinf, "Inf"), (np.isnan, "NaN")) if bad(x).any()]
    if found:
        raise errors.InvalidArgumentError(None, ctx.op, "%s : Tensor had %s values\nFix: look for a log (or a "
                                          "square root) of 0 or of a negative number, a division by 0, or a "
                                          "learning rate that is too large."
                                          % (ctx.attrs["message"], " and ".join(found)))
    return x


@RegisterGradient("CheckNumerics")
def _check_numerics_grad(op, grad):
    """The gradient passes through, checked too (TensorFlow's words)."""
    return check_numerics(grad, "Not a number (NaN) or infinity (Inf) values detected in gradient. %s"
                          % op.attrs["message"])


def verify_tensor_all_finite(t: Any, msg: str, name: "str | None" = None) -> Tensor:
    """``t``, after a CheckNumerics of it: the run fails if ``t`` holds a NaN or an infinity."""
    with name_scope(name, "VerifyFinite", [t]):
        t = convert_to_tensor(t, name="t")
        check_dtype(t, "CheckNumerics", FLOAT_TYPES, "tensor")
        verified = check_numerics(t, message=msg)
        return control_flow_ops.with_dependencies([verified], t, name="control_dependency")

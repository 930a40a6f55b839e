"""``tf.summary``: event files for TensorBoard, and the summary ops that fill them.

TensorBoard reads *event files* from a log directory. An event file is a sequence of
records (TFRecord framing: length, CRC, data, CRC); each record holds one ``Event``
protobuf: the file version, a graph, or a ``Summary`` of values at a training step.

* :class:`FileWriter` writes them: ``writer = tf.summary.FileWriter("logs", sess.graph)``.
* :func:`scalar` and :func:`histogram` are graph **ops**: running one returns the bytes of a
  serialized ``Summary`` (a ``bytes`` value), which ``writer.add_summary(bytes, step)`` stores.
* :func:`merge` / :func:`merge_all` combine summary ops into one op, so a single
  ``sess.run(merged)`` gives everything to log at this step.

Then ``tensorboard --logdir logs`` shows the graph and the curves. The protobuf bytes are
written by hand in ``_proto.py``: no TensorFlow or protobuf package is needed.
"""
from __future__ import annotations

import os
import re
import time
from typing import Any, Sequence

import numpy as np

from .not_provided import module_getattr
from . import _proto, dtypes, errors
from .framework import Graph, GraphKeys, Tensor, check_name, convert_to_tensor, get_default_graph, name_scope
from .graph_def import GraphDef
from .op_registry import NoGradient, primitive
from .ops.constant_op import constant
from .tensor_shape import TensorShape

__all__ = ["FileWriter", "Summary", "scalar", "histogram", "image", "text", "merge", "merge_all"]


# --------------------------------------------------------------------------------------------
# FileWriter
# --------------------------------------------------------------------------------------------
class FileWriter:
    """Writes events (the graph, summaries) to an event file in ``logdir`` for TensorBoard.

    ``FileWriter(logdir, graph)`` creates ``logdir`` if needed and, with a graph, writes it at
    once. The file ``events.out.tfevents.<time>.<hostname><suffix>`` is created at the first
    write. Each event is written to disk right away (TensorFlow 1.x queues them on a
    background thread; ``max_queue`` and ``flush_secs`` are accepted for compatibility and
    ignored, as is ``session``), so ``flush()`` has nothing left to do and TensorBoard sees
    every event at once.
    """

    def __init__(self, logdir: str, graph: "Graph | None" = None, max_queue: int = 10,
                 flush_secs: float = 120, graph_def: Any = None, filename_suffix: "str | None" = None,
                 session: Any = None):
        self._logdir = os.fspath(logdir)
        self._run_metadata_tags: "set[str]" = set()
        self._suffix = filename_suffix or ""
        try:
            os.makedirs(self._logdir, exist_ok=True)
        except OSError as e:
            raise type(e)(e.errno, "tf.summary.FileWriter cannot create the log directory %r: %s"
                          % (self._logdir, e.strerror), self._logdir) from None
        if not os.access(self._logdir, os.W_OK | os.X_OK):
            raise PermissionError(13, "tf.summary.FileWriter cannot write into the log directory %r "
                                  "(permission denied); choose a directory you own" % self._logdir,
                                  self._logdir)
        self._path: "str | None" = None      # the event file, once the first event is written
        self._closed = False
        if graph is not None or graph_def is not None:
            self.add_graph(graph, graph_def=graph_def)

    # --- what learners call -------------------------------------------------
    def add_graph(self, graph: Any, global_step: "int | None" = None, graph_def: Any = None) -> None:
        """Writes ``graph`` (with the static shapes that label TensorBoard's edges)."""
        if graph is not None and graph_def is not None:
            raise ValueError("Please pass only graph, or graph_def (deprecated), but not both.")
        graph = graph if graph is not None else graph_def
        if isinstance(graph, Graph):
            gdef = graph.as_graph_def(add_shapes=True)
        elif isinstance(graph, GraphDef):
            gdef = graph
        else:
            raise TypeError("The passed graph must be an instance of `Graph` or the deprecated `GraphDef`"
                            " (got %s; pass e.g. `sess.graph` or `tf.get_default_graph()`)."
                            % type(graph).__name__)
        self._write_event(_proto.event(time.time(), _step(global_step),
                                       graph_def=gdef.SerializeToString()))

    def add_summary(self, summary: Any, global_step: "int | None" = None) -> None:
        """Writes a ``Summary``: the bytes a summary op returned from ``sess.run``, or a :class:`Summary`."""
        self._write_event(_proto.event(time.time(), _step(global_step), summary=_summary_bytes(summary)))

    def add_run_metadata(self, run_metadata: Any, tag: str, global_step: "int | None" = None) -> None:
        """Writes a step's run metadata under ``tag`` (TensorBoard lists it with the graph). tinyflow
        records no per-op timings, so the metadata is empty."""
        if not hasattr(run_metadata, "SerializeToString"):
            raise TypeError("add_run_metadata expects a tf.RunMetadata, got %s\nFix: pass the one given to "
                            "sess.run(..., run_metadata=run_metadata)." % type(run_metadata).__name__)
        check_name(tag, "The tag of run metadata")
        if tag in self._run_metadata_tags:
            raise ValueError("The provided tag was already used for this event type\nFix: give each step's run "
                             "metadata its own tag, e.g. 'step%03d' % i.")
        self._run_metadata_tags.add(tag)
        self._write_event(_proto.event(time.time(), _step(global_step),
                                       tagged_run_metadata=(tag, run_metadata.SerializeToString())))

    def add_event(self, event: bytes) -> None:
        """Writes an already serialized ``Event`` protobuf as it is."""
        if not isinstance(event, (bytes, bytearray)):
            raise TypeError("add_event expects a serialized Event (bytes), got %s" % type(event).__name__)
        self._write_event(bytes(event))

    def get_logdir(self) -> str:
        return self._logdir

    def flush(self) -> None:
        """Events are written as they come, so they are already on disk."""
        self._check_open()

    def close(self) -> None:
        """Stops writing. ``reopen()`` starts again (in a new event file)."""
        self._closed = True

    def reopen(self) -> None:
        """After ``close()``: later events go to a new event file in the same logdir."""
        if self._closed:
            self._closed = False
            self._path = None

    def __enter__(self) -> "FileWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return "<tf.summary.FileWriter logdir=%r%s>" % (self._logdir, " (closed)" if self._closed else "")

    # --- the file -------------------------------------------------------------
    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("This FileWriter for %r is closed; call writer.reopen() to write to a new "
                               "event file, or create a new tf.summary.FileWriter." % self._logdir)

    def _write_event(self, event: bytes) -> None:
        self._check_open()
        if self._path is None:
            self._path, first = self._new_file()
            self._append(first)
        self._append(event)

    def _new_file(self) -> "tuple[str, bytes]":
        """Names the event file as TensorFlow does; its first record says the format version."""
        import socket
        now = int(time.time())
        host = socket.gethostname()
        while True:     # another writer in the same second: take the next free second
            path = os.path.join(self._logdir, "events.out.tfevents.%010d.%s%s" % (now, host, self._suffix))
            if not os.path.exists(path):
                break
            now += 1
        return path, _proto.event(float(now), file_version="brain.Event:2")

    def _append(self, event: bytes) -> None:
        with open(self._path, "ab") as f:
            f.write(_proto.tfrecord(event))


def _step(global_step: Any) -> int:
    return 0 if global_step is None else int(global_step)


def _summary_bytes(summary: Any) -> bytes:
    """Accepts what ``sess.run(summary_op)`` returns (bytes) or a :class:`Summary`."""
    if isinstance(summary, Summary):
        return summary.SerializeToString()
    if isinstance(summary, np.ndarray) and summary.shape == ():
        summary = summary[()]
    if isinstance(summary, (bytes, bytearray, np.bytes_)):
        data = bytes(summary)
        problem = _summary_problem(data)
        if problem:
            raise ValueError("add_summary: these bytes are not a serialized Summary (%s), so TensorBoard could not "
                             "read the event file. (TensorFlow raises protobuf's DecodeError.)\nFix: pass what a "
                             "summary op returns, e.g. `writer.add_summary(sess.run(merged), step)`." % problem)
        return data
    if isinstance(summary, Tensor):
        raise TypeError("add_summary needs the *value* of a summary op, not the op's tensor %s: run it first, "
                        "e.g. `writer.add_summary(sess.run(merged), step)`." % summary.name)
    raise TypeError("add_summary expects the bytes a summary op returns (or a tf.summary.Summary), got %s"
                    % type(summary).__name__)


def _summary_problem(data: bytes) -> "str | None":
    """Why ``data`` is not a ``Summary`` protobuf (repeated ``Value value = 1``, each with a UTF-8
    ``tag = 1``), or None."""
    try:
        for number, wire_type, value in _proto.decode(data):
            if number != 1 or wire_type != _proto.LENGTH_DELIMITED:
                return "field %d (wire type %d) is not a Summary's" % (number, wire_type)
            for inner, inner_type, inner_value in _proto.decode(value):
                if inner == 1 and inner_type == _proto.LENGTH_DELIMITED:
                    inner_value.decode("utf-8")
    except (ValueError, UnicodeDecodeError) as e:
        return str(e)
    return None


class Summary:
    """A Summary built in Python, as in TF1's ``tf.Summary``::

        s = tf.summary.Summary(value=[tf.summary.Summary.Value(tag="loss", simple_value=0.5)])
        writer.add_summary(s, step)
    """

    class Value:
        """One tagged value; only ``simple_value`` (a float) is supported."""

        def __init__(self, tag: str = "", simple_value: float = 0.0):
            self.tag, self.simple_value = tag, simple_value

        def __repr__(self) -> str:
            return "Summary.Value(tag=%r, simple_value=%r)" % (self.tag, self.simple_value)

    def __init__(self, value: "Sequence[Summary.Value]" = ()):
        self.value = list(value)

    def SerializeToString(self) -> bytes:  # noqa: N802 (protobuf's name)
        return _proto.summary([_proto.summary_scalar(v.tag, v.simple_value) for v in self.value])

    def __repr__(self) -> str:
        return "Summary(value=%r)" % (self.value,)


# --------------------------------------------------------------------------------------------
# Summary ops
# --------------------------------------------------------------------------------------------
_INVALID_TAG_CHARACTERS = re.compile(r"[^-/\w.]", re.ASCII)


def _clean_tag(name: "str | None") -> "str | None":
    """TF1's rule: characters not allowed in op names become ``_``; leading ``/`` are dropped."""
    if name is None:
        return None
    check_name(name, "A summary's name")
    return _INVALID_TAG_CHARACTERS.sub("_", name).lstrip("/")


def _collect(value: Tensor, collections: "Sequence[str] | None", default: "list[str]") -> None:
    for key in (default if collections is None else collections):
        value.graph.add_to_collection(key, value)


def _numbers(values: Tensor, op_name: str) -> None:
    if not (values.dtype.is_floating or values.dtype.is_integer):
        raise TypeError("Value passed to parameter 'values' has DataType %s not in list of allowed "
                        "values: float32, float64, int32, uint8, int16, int8, int64, float16 (op '%s'). "
                        "Summaries record numbers." % (values.dtype.base_dtype.name, op_name))


def _summary_op(op_type: str, tag_input: str, name: str, values: Any, family: "str | None",
                collections: "Sequence[str] | None", default_name: "str | None" = None,
                values_input: str = "values", check: Any = _numbers, attrs: "dict | None" = None) -> Tensor:
    """A summary op ``op_type(tag, values)`` named ``name`` in the current scope, its tag that full
    name, added to ``tf.GraphKeys.SUMMARIES``; ``check(values, op_name)`` refuses what it cannot record."""
    name, family = _clean_tag(name), _clean_tag(family)
    with name_scope(name if family is None else "%s/%s" % (family, name), default_name, [values]) as scope:
        # The tag is the op's full name, so `loss` inside scope `train` is tagged `train/loss`.
        # A family is put in front once more (TF1 does this; TensorBoard makes it a tab).
        tag = scope.rstrip("/") if family is None else "%s/%s" % (family, scope.rstrip("/"))
        tags = constant(tag, name=tag_input)
        values = convert_to_tensor(values, name=values_input)
        check(values, scope.rstrip("/"))
        op = values.graph.create_op(op_type, [tags, values], [dtypes.string], name=scope,
                                    attrs=dict(attrs or {}, T=values.dtype.base_dtype), shapes=[TensorShape([])])
    _collect(op.outputs[0], collections, [GraphKeys.SUMMARIES])
    return op.outputs[0]


def scalar(name: str, tensor: Any, collections: "Sequence[str] | None" = None,
           family: "str | None" = None) -> Tensor:
    """An op whose value is a ``Summary`` holding one number: ``tf.summary.scalar("loss", loss)``.

    The op is named ``name`` (in the current name scope), and that full name is the tag
    TensorBoard plots it under. It is added to ``tf.GraphKeys.SUMMARIES`` (see :func:`merge_all`).
    """
    return _summary_op("ScalarSummary", "tags", name, tensor, family, collections)


@primitive("ScalarSummary", shape=lambda op: TensorShape([]))
def _scalar_summary_kernel(ctx, tags, values):
    tags, values = np.asarray(tags), np.asarray(values)
    if tags.shape != values.shape:
        single = " (tag '%s')" % tags.reshape(-1)[0].decode() if tags.size == 1 else ""
        raise errors.InvalidArgumentError(
            None, ctx.op, "tags and values not the same shape: [%s] != [%s]%s\nFix: tf.summary.scalar "
            "needs a single number, e.g. tf.reduce_mean(x)." % (",".join(map(str, tags.shape)),
                                                                ",".join(map(str, values.shape)), single))
    parts = [_proto.summary_scalar(t.decode("utf-8"), float(v))
             for t, v in zip(tags.reshape(-1), values.reshape(-1))]
    return np.array(_proto.summary(parts), dtype=object)


def histogram(name: str, values: Any, collections: "Sequence[str] | None" = None,
              family: "str | None" = None) -> Tensor:
    """An op whose value is a ``Summary`` holding a histogram of ``values`` (any shape)."""
    return _summary_op("HistogramSummary", "tag", name, values, family, collections, "HistogramSummary")


@primitive("HistogramSummary", shape=lambda op: TensorShape([]))
def _histogram_summary_kernel(ctx, tag, values):
    values = np.asarray(values, dtype=np.float64)
    if not np.all(np.isfinite(values)):
        raise errors.InvalidArgumentError(
            None, ctx.op, "Nan in summary histogram for: %s\nFix: the values contain NaN or Inf; "
            "training probably diverged (try a smaller learning rate)." % ctx.op.name)
    tag = np.asarray(tag).reshape(-1)[0].decode("utf-8")
    return np.array(_proto.summary([_proto.summary_histogram(tag, values)]), dtype=object)


def image(name: str, tensor: Any, max_outputs: int = 3, collections: "Sequence[str] | None" = None,
          family: "str | None" = None) -> Tensor:
    """An op whose value is a ``Summary`` of up to ``max_outputs`` images (PNG) from ``tensor``
    [batch, height, width, channels], channels 1 (grey), 3 (RGB) or 4 (RGBA). Tagged
    ``name/image/0``, ``name/image/1``, ... (``name/image`` when ``max_outputs`` is 1).

    uint8 values are kept; floats are scaled one image at a time, as TF1 does: all non-negative,
    the largest becomes 255; with negatives, 0 becomes 127 and the range is stretched to fit."""
    return _summary_op("ImageSummary", "tag", name, tensor, family, collections, values_input="tensor",
                       check=_images, attrs={"max_images": int(max_outputs)})


def _images(values: Tensor, op_name: str) -> None:
    if values.dtype.base_dtype not in (dtypes.uint8, dtypes.float32, dtypes.float16, dtypes.float64):
        raise TypeError("Value passed to parameter 'tensor' has DataType %s not in list of allowed values: "
                        "uint8, float32, half, float64\nFix: images are floats in [0, 1] or uint8 in [0, 255]."
                        % values.dtype.base_dtype.name)
    shape = values.shape
    if shape.ndims is not None and (shape.ndims != 4 or shape[3].value not in (None, 1, 3, 4)):
        raise ValueError("Tensor must be 4-D with last dim 1, 3, or 4, not %s\nFix: reshape it to [batch, "
                         "height, width, channels], e.g. tf.reshape(x, [-1, 28, 28, 1])." % shape)


def _to_pixels(picture: np.ndarray) -> np.ndarray:
    """One image as uint8, as TF1's ImageSummary makes it: computed in the input's own float type,
    all non-negative -> the largest finite value is 255; with negatives -> 0 is 128 and the
    largest magnitude is 127 away; non-finite pixels get the "bad colour" (red: 255, 0, 0, 255)."""
    if picture.dtype == np.uint8:
        return picture
    x = np.asarray(picture)
    kind = x.dtype.type if x.dtype.kind == "f" else np.float32
    x = x.astype(kind)
    finite = np.isfinite(x)
    low = x[finite].min() if finite.any() else np.inf
    high = x[finite].max() if finite.any() else -np.inf
    if low < 0:
        largest = max(abs(low), abs(high))
        scale, offset = kind(0.0 if largest < 1e-6 else 127.0 / largest), kind(128.0)
    else:
        scale, offset = kind(0.0 if high < 1e-6 else 255.0 / high), kind(0.0)
    with np.errstate(invalid="ignore", over="ignore"):
        pixels = np.clip(np.where(finite, x * scale + offset, 0), 0, 255).astype(np.uint8)
    bad = np.array([255, 0, 0, 255], np.uint8)[:x.shape[-1]]
    return np.where(finite.all(axis=-1, keepdims=True), pixels, bad)


@primitive("ImageSummary", shape=lambda op: TensorShape([]))
def _image_summary_kernel(ctx, tag, values):
    values = np.asarray(values)
    if values.ndim != 4 or values.shape[3] not in (1, 3, 4):
        raise errors.InvalidArgumentError(None, ctx.op, "Tensor must be 4-D with last dim 1, 3, or 4, not %s"
                                          % list(values.shape))
    tag = np.asarray(tag).reshape(-1)[0].decode("utf-8")
    count = min(ctx.attrs["max_images"], values.shape[0])
    parts = []
    for i in range(count):
        pixels = _to_pixels(values[i])
        one = ctx.attrs["max_images"] == 1                   # (TF: the tag depends on max_outputs)
        parts.append(_proto.summary_image("%s/image" % tag if one else "%s/image/%d" % (tag, i),
                                          pixels.shape[0], pixels.shape[1], pixels.shape[2],
                                          _proto.encode_png(pixels)))
    return np.array(_proto.summary(parts), dtype=object)


def text(name: str, tensor: Any, collections: "Sequence[str] | None" = None) -> Tensor:
    """An op whose value is a ``Summary`` of a string tensor, for TensorBoard's Text tab."""
    return _summary_op("TextSummary", "tag", name, tensor, None, collections, values_input="tensor",
                       check=_strings)


def _strings(values: Tensor, op_name: str) -> None:
    if values.dtype.base_dtype is not dtypes.string:
        raise ValueError("Expected tensor %s to have dtype string, got %s\nFix: tf.summary.text records "
                         "strings, e.g. tf.as_string(x)." % (values.name, values.dtype.name))


@primitive("TextSummary", shape=lambda op: TensorShape([]))
def _text_summary_kernel(ctx, tag, values):
    tag = np.asarray(tag).reshape(-1)[0].decode("utf-8")
    return np.array(_proto.summary([_proto.summary_text(tag, np.asarray(values))]), dtype=object)


NoGradient("ImageSummary")
NoGradient("TextSummary")


def merge(inputs: Sequence[Tensor], collections: "Sequence[str] | None" = None,
          name: "str | None" = None) -> Tensor:
    """One op whose value is all the ``inputs`` summaries in one ``Summary``."""
    inputs = [convert_to_tensor(t) for t in inputs]
    if any(t.dtype.base_dtype is not dtypes.string for t in inputs):
        raise TypeError("Tensors in list passed to 'inputs' of 'MergeSummary' Op have types [%s] that do not match "
                        "expected type string.\nFix: merge the tensors that summary ops return (tf.summary.scalar, "
                        "tf.summary.histogram, ...), not the values they summarize."
                        % ", ".join(t.dtype.base_dtype.name for t in inputs))
    name = _clean_tag(name)
    graph = inputs[0].graph if inputs else get_default_graph()
    with name_scope(name, "Merge", inputs):
        op = graph.create_op("MergeSummary", inputs, [dtypes.string], name=name or "MergeSummary",
                             attrs={"N": len(inputs)}, shapes=[TensorShape([])])
    _collect(op.outputs[0], collections, [])
    return op.outputs[0]


@primitive("MergeSummary", shape=lambda op: TensorShape([]))
def _merge_summary_kernel(ctx, *summaries):
    """Concatenating serialized Summaries merges them (see ``_proto.merge_summaries``); tags must differ."""
    summaries = [bytes(np.asarray(s).reshape(-1)[0]) for s in summaries]
    seen: "list[str]" = []
    for s in summaries:
        for value in [v for number, _, v in _proto.decode(s) if number == 1]:     # Summary.value
            tag = b"".join(t for number, _, t in _proto.decode(value) if number == 1).decode("utf-8")
            if tag in seen:
                raise errors.InvalidArgumentError(
                    None, ctx.op, "Duplicate tag %s found in summary inputs\nFix: give each summary op "
                    "its own name (or merge each summary only once)." % tag)
            seen.append(tag)
    return np.array(_proto.merge_summaries(summaries), dtype=object)


def merge_all(key: str = GraphKeys.SUMMARIES, scope: "str | None" = None,
              name: "str | None" = None) -> "Tensor | None":
    """Merges every summary op in collection ``key`` of the default graph; ``None`` if there is none."""
    summary_ops = get_default_graph().get_collection(key, scope=scope)
    if not summary_ops:
        return None
    return merge(summary_ops, name=name)


for _op_type in ("ScalarSummary", "HistogramSummary", "MergeSummary"):
    NoGradient(_op_type)


def __dir__() -> "list[str]":
    """``dir(tf.summary)`` lists TensorFlow's names only (``__all__``)."""
    return list(__all__)


__getattr__ = module_getattr("tinyflow.summary", "summary", globals())
"""A TensorFlow name of ``tf.summary`` that tinyflow leaves out says so (``not_provided.py``)."""

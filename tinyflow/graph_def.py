"""``Graph.as_graph_def()``: the graph as a ``GraphDef``, the protobuf TensorBoard reads.

A ``GraphDef`` is the portable description of a graph: one ``NodeDef`` per operation, in
creation order. A node lists

* ``name`` and ``op`` (the op type, e.g. ``"MatMul"``),
* ``input``: the tensors it reads, written ``"x"`` for output 0 of op ``x``, ``"x:1"`` for
  output 1, and ``"^x"`` for a control dependency on ``x`` (run ``x`` first, use no value),
* ``attr``: settings such as the element type (``dtype``/``T``), a constant's ``value``, a
  placeholder's ``shape`` and, with ``add_shapes=True``, ``_output_shapes`` (TensorBoard
  uses these to label its edges).

The bytes come from the hand-written encoder in ``_proto.py``; the same graph always gives
the same bytes. ``print(graph_def)`` shows protobuf's text format, as TensorFlow does.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from . import _proto
from .dtypes import DType, as_dtype
from .framework import Graph, Operation, input_name
from .tensor_shape import TensorShape

__all__ = ["AttrValue", "GraphDef", "NodeDef", "graph_to_graph_def"]

_TF_TYPE_NAMES = {"float32": "FLOAT", "float64": "DOUBLE", "float16": "HALF"}
# DataType enum -> its name in text format: 1 -> "DT_FLOAT", 101 -> "DT_FLOAT_REF".
_ENUM_NAMES = {enum: "DT_" + _TF_TYPE_NAMES.get(name.replace("_ref", ""), name.replace("_ref", "").upper())
               + ("_REF" if name.endswith("_ref") else "") for name, enum in _proto.DATATYPE_ENUM.items()}


class AttrValue:
    """One attribute value, tagged with its kind as in ``attr_value.proto``.

    ``kind`` is one of ``"type"``, ``"shape"``, ``"tensor"``, ``"i"``, ``"f"``, ``"b"``, ``"s"``
    or ``"list"`` (then ``value`` is ``(item_kind, items)``).
    """

    __slots__ = ("kind", "value")

    def __init__(self, kind: str, value: Any):
        self.kind, self.value = kind, value

    def SerializeToString(self) -> bytes:  # noqa: N802 (protobuf's name)
        kind, v = self.kind, self.value
        if kind == "type":
            return _proto.attr_value_type(_proto.dtype_to_enum(v))
        if kind == "shape":
            return _proto.attr_value_shape(v)
        if kind == "tensor":
            return _proto.attr_value_tensor(v[1], _proto.dtype_to_enum(v[0]))
        if kind == "i":
            return _proto.attr_value_int(v)
        if kind == "f":
            return _proto.attr_value_float(v)
        if kind == "b":
            return _proto.attr_value_bool(v)
        if kind == "s":
            return _proto.attr_value_string(v)
        item_kind, items = v
        if item_kind == "type":
            return _proto.attr_value_type_list([_proto.dtype_to_enum(d) for d in items])
        if item_kind == "shape":
            return _proto.attr_value_shape_list(items)
        if item_kind == "i":
            return _proto.attr_value_int_list(items)
        if item_kind == "s":
            return _proto.field_bytes(1, b"".join(_proto.field_bytes(2, s) for s in items))
        # list(float): ListValue.f = 4, packed floats
        body = np.asarray(items, dtype="<f4").tobytes()
        return _proto.field_bytes(1, _proto.field_bytes(4, body) if body else b"")

    def _text_lines(self) -> "list[str]":
        kind, v = self.kind, self.value
        if kind == "type":
            return ["type: %s" % _ENUM_NAMES[_proto.dtype_to_enum(v)]]
        if kind == "shape":
            return _block("shape", _shape_text(v))
        if kind == "tensor":
            return _block("tensor", _tensor_text(v[0], v[1]))
        if kind == "i":
            return ["i: %d" % v]
        if kind == "f":
            return ["f: %s" % _float_text(v)]
        if kind == "b":
            return ["b: %s" % ("true" if v else "false")]
        if kind == "s":
            return ['s: "%s"' % _escape(v if isinstance(v, bytes) else v.encode("utf-8"))]
        item_kind, items = v
        if item_kind == "type":
            lines = ["type: %s" % _ENUM_NAMES[_proto.dtype_to_enum(d)] for d in items]
        elif item_kind == "shape":
            lines = [line for s in items for line in _block("shape", _shape_text(s))]
        elif item_kind == "i":
            lines = ["i: %d" % i for i in items]
        elif item_kind == "s":
            lines = ['s: "%s"' % _escape(s if isinstance(s, bytes) else s.encode("utf-8")) for s in items]
        else:
            lines = ["f: %s" % _float_text(f) for f in items]
        return _block("list", lines)

    def __repr__(self) -> str:
        return "\n".join(self._text_lines())


class NodeDef:
    """One operation: ``name``, ``op`` (type), ``input`` (list of str), ``attr`` (dict of AttrValue)."""

    def __init__(self, name: str, op: str, input: "list[str]", attr: "dict[str, AttrValue]",  # noqa: A002
                 device: str = ""):
        self.name, self.op, self.input, self.attr, self.device = name, op, input, attr, device

    def SerializeToString(self) -> bytes:  # noqa: N802
        attrs = {k: a.SerializeToString() for k, a in self.attr.items()}
        return _proto.node_def(self.name, self.op, self.input, attrs, self.device)

    def _text_lines(self) -> "list[str]":
        lines = ['name: "%s"' % self.name, 'op: "%s"' % self.op]
        lines += ['input: "%s"' % i for i in self.input]
        if self.device:
            lines.append('device: "%s"' % self.device)
        for key in sorted(self.attr):
            lines += _block("attr", ['key: "%s"' % key] + _block("value", self.attr[key]._text_lines()))
        return lines

    def __str__(self) -> str:
        return "\n".join(self._text_lines()) + "\n"

    def __repr__(self) -> str:
        return "<NodeDef %r op=%r>" % (self.name, self.op)


class GraphDef:
    """A serializable copy of a graph: ``graph_def.node`` is the list of :class:`NodeDef`."""

    producer = 27   # versions.producer; TensorBoard only needs it to be present

    def __init__(self, node: "list[NodeDef]"):
        self.node = node

    def SerializeToString(self) -> bytes:  # noqa: N802
        return _proto.graph_def([n.SerializeToString() for n in self.node], producer=self.producer)

    def ByteSize(self) -> int:  # noqa: N802
        return len(self.SerializeToString())

    def __str__(self) -> str:
        lines = [line for n in self.node for line in _block("node", n._text_lines())]
        lines += _block("versions", ["producer: %d" % self.producer])
        return "\n".join(lines) + "\n"

    def __repr__(self) -> str:
        return "<GraphDef with %d nodes>" % len(self.node)


# --------------------------------------------------------------------------------------------
# Graph -> GraphDef
# --------------------------------------------------------------------------------------------
def graph_to_graph_def(graph: Graph, add_shapes: bool = False) -> GraphDef:
    """Describes every op of ``graph`` as a NodeDef, in creation order."""
    return GraphDef([op_to_node_def(op, add_shapes) for op in graph.get_operations()])


def _as_graph_def(self: Graph, add_shapes: bool = False) -> GraphDef:
    """A ``GraphDef`` (the protobuf TensorBoard reads) describing every op, in creation order."""
    return graph_to_graph_def(self, add_shapes=add_shapes)


Graph.as_graph_def = _as_graph_def


def op_to_node_def(op: Operation, add_shapes: bool = False) -> NodeDef:
    inputs = [input_name(t) for t in op.inputs] + ["^" + c.name for c in op.control_inputs]
    attrs: "dict[str, AttrValue]" = {}
    for key, value in op.attrs.items():
        encoded = to_attr_value(value)
        if encoded is not None:            # Python-only attrs (callables, datasets...) are left out
            attrs[key] = encoded
    if _missing(attrs, "T", "dtype") and (op.inputs or op.outputs):
        # Most TF ops carry their element type as attr "T"; ours only keep it in the tensors.
        first = op.inputs[0] if op.inputs else op.outputs[0]
        attrs["T"] = AttrValue("type", first.dtype.base_dtype)
    if add_shapes and op.outputs:
        attrs["_output_shapes"] = AttrValue("list", ("shape", [_dims(t.shape) for t in op.outputs]))
    return NodeDef(op.name, op.type, inputs, attrs, op.device)


def _missing(attrs: dict, *keys: str) -> bool:
    return not any(k in attrs for k in keys)


def to_attr_value(value: Any) -> "AttrValue | None":
    """Python attr value -> AttrValue; ``None`` for values a GraphDef cannot hold."""
    if isinstance(value, DType):
        return AttrValue("type", value.base_dtype)
    if isinstance(value, TensorShape):
        return AttrValue("shape", _dims(value))
    if isinstance(value, np.ndarray):
        try:
            return AttrValue("tensor", (as_dtype(value.dtype), value))
        except TypeError:
            return None
    if isinstance(value, (bool, np.bool_)):
        return AttrValue("b", bool(value))
    if isinstance(value, (int, np.integer)):
        return AttrValue("i", int(value))
    if isinstance(value, (float, np.floating)):
        return AttrValue("f", float(value))
    if isinstance(value, (str, bytes)):
        return AttrValue("s", value)
    if isinstance(value, (list, tuple)):
        items = list(value)
        for kind, types in (("type", DType), ("shape", TensorShape), ("s", (str, bytes))):
            if all(isinstance(v, types) for v in items) and items:
                if kind == "shape":
                    items = [_dims(v) for v in items]
                return AttrValue("list", (kind, items))
        if all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in items):
            return AttrValue("list", ("i", [int(v) for v in items]))
        if all(isinstance(v, (int, float, np.number)) for v in items):
            return AttrValue("list", ("f", [float(v) for v in items]))
    return None


def _dims(shape: TensorShape) -> "list | None":
    return None if shape.ndims is None else shape.as_list()


# --------------------------------------------------------------------------------------------
# Protobuf text format (what print(graph_def) shows)
# --------------------------------------------------------------------------------------------
def _block(name: str, lines: "list[str]") -> "list[str]":
    return [name + " {"] + ["  " + line for line in lines] + ["}"]


def _shape_text(dims: "list | None") -> "list[str]":
    if dims is None:
        return ["unknown_rank: true"]
    return [line for d in dims for line in _block("dim", ["size: %d" % (-1 if d is None else d)])]


def _tensor_text(dtype: DType, array: np.ndarray) -> "list[str]":
    """Mirrors ``_proto.tensor_proto``: numbers as raw ``tensor_content`` bytes, strings as ``string_val``."""
    lines = ["dtype: %s" % _ENUM_NAMES[_proto.dtype_to_enum(dtype)]]
    lines += _block("tensor_shape", _shape_text(list(array.shape)))
    if dtype.base_dtype.name == "string":
        for item in np.asarray(array).reshape(-1).tolist():
            item = item if isinstance(item, bytes) else str(item).encode("utf-8")
            lines.append('string_val: "%s"' % _escape(item))
    else:
        fields = _proto.decode(_proto.tensor_proto(array, _proto.dtype_to_enum(dtype)))
        content = [v for number, _, v in fields if number == 4]
        if content:
            lines.append('tensor_content: "%s"' % _escape(content[0]))
    return lines


def _float_text(x: float) -> str:
    return str(np.float32(x))          # AttrValue.f is a float32: print its shortest form


def _escape(data: bytes) -> str:
    """C-style escaping as protobuf's text format does it (octal for non-printable bytes)."""
    special = {0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t", 0x22: '\\"', 0x27: "\\'", 0x5C: "\\\\"}
    out = []
    for b in data:
        if b in special:
            out.append(special[b])
        elif 0x20 <= b < 0x7F:
            out.append(chr(b))
        else:
            out.append("\\%03o" % b)
    return "".join(out)

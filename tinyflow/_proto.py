"""Hand-written protobuf encoding for the few TensorFlow messages TensorBoard reads.

TensorBoard reads *event files*: a sequence of TFRecords, each holding one
serialized ``Event`` protobuf message. This module builds those bytes by hand,
without the ``protobuf`` or ``tensorflow`` packages, so tinyflow stays "numpy only".

How the protobuf wire format works
----------------------------------
A message is a flat sequence of *fields*. Each field starts with a **key**,
``(field_number << 3) | wire_type``, written as a varint, followed by the value:

* wire type 0 -- **varint**: an integer in 7-bit groups, least significant first.
  Every byte but the last has its high bit (0x80) set. ``300`` -> ``ac 02``.
  Negative ``int32``/``int64`` values are written as their 64-bit two's complement,
  so they always take 10 bytes (``-1`` -> ``ff ff ff ff ff ff ff ff ff 01``).
  Enums and bools are varints too.
* wire type 1 -- **64-bit**: 8 little-endian bytes (here always a ``double``).
* wire type 2 -- **length-delimited**: a varint byte count, then that many bytes.
  Used for strings, bytes, nested messages and *packed* repeated numbers.
* wire type 5 -- **32-bit**: 4 little-endian bytes (here always a ``float``).

A repeated field is simply the same field written several times; proto3 packs
repeated numbers into one length-delimited field holding the values back to back.
A ``map<string, V>`` is a repeated "entry" message with ``key = 1`` and ``value = 2``.
proto3 leaves out a plain field whose value is the default (0, "", false); a field
inside a ``oneof`` (e.g. ``AttrValue.i``) is always written once it is set.

Field numbers come from TensorFlow's ``.proto`` files (event.proto, summary.proto,
graph.proto, versions.proto, node_def.proto, attr_value.proto, tensor.proto,
tensor_shape.proto, types.proto). Fields are written in field-number order and map
entries sorted by key, which is what protobuf's deterministic serialization does.
"""

from __future__ import annotations

import struct
import sys
import zlib
from typing import Iterable, Sequence

import numpy as np

# ----------------------------------------------------------------------------- wire types
VARINT, FIXED64, LENGTH_DELIMITED, FIXED32 = 0, 1, 2, 5

# DataType enum (types.proto). A "_ref" dtype (a reference to a variable) is the base + 100.
DATATYPE_ENUM: dict[str, int] = {
    "float32": 1, "float64": 2, "int32": 3, "uint8": 4, "int16": 5,
    "int8": 6, "string": 7, "int64": 9, "bool": 10, "float16": 19, "resource": 20,
}
DATATYPE_ENUM.update({name + "_ref": enum + 100 for name, enum in list(DATATYPE_ENUM.items())})
# The numpy dtype used for tensor_content, keyed by the base enum (string has none).
_NUMPY_FOR_ENUM = {1: "<f4", 2: "<f8", 3: "<i4", 4: "u1", 5: "<i2", 6: "i1", 9: "<i8", 10: "?", 19: "<f2"}


def dtype_to_enum(dtype: object) -> int:
    """TF DataType enum for a dtype name ("float32", "int32_ref"), a numpy dtype or an
    object with a ``.name`` (such as a tinyflow DType). numpy str/bytes/object -> DT_STRING."""
    if isinstance(dtype, str) and dtype in DATATYPE_ENUM:
        return DATATYPE_ENUM[dtype]
    if not isinstance(dtype, (str, np.dtype, type)) and hasattr(dtype, "name"):
        return dtype_to_enum(dtype.name)
    np_dtype = np.dtype(dtype)
    if np_dtype.kind in "USO":
        return DATATYPE_ENUM["string"]
    if np_dtype.name not in DATATYPE_ENUM:
        raise TypeError(f"no TensorFlow DataType for dtype {dtype!r}")
    return DATATYPE_ENUM[np_dtype.name]


# ----------------------------------------------------------------------------- encoding
def varint(value: int) -> bytes:
    """Encode an integer as a varint; negative values use 64-bit two's complement."""
    if value < 0:
        value += 1 << 64
    out = bytearray()
    while True:
        low7 = value & 0x7F
        value >>= 7
        if value:
            out.append(low7 | 0x80)
        else:
            out.append(low7)
            return bytes(out)


def key(field_number: int, wire_type: int) -> bytes:
    """The tag that starts every field: ``(field_number << 3) | wire_type`` as a varint."""
    return varint((field_number << 3) | wire_type)


def field_varint(field_number: int, value: int) -> bytes:
    """An int32/int64/enum/bool field (``True`` is encoded as 1)."""
    return key(field_number, VARINT) + varint(int(value))


def field_bytes(field_number: int, data: bytes | str) -> bytes:
    """A length-delimited field: string (UTF-8), bytes, or an already-encoded message."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return key(field_number, LENGTH_DELIMITED) + varint(len(data)) + bytes(data)


def field_double(field_number: int, value: float) -> bytes:
    """A ``double`` field: 8 little-endian IEEE-754 bytes."""
    return key(field_number, FIXED64) + struct.pack("<d", value)


def field_float(field_number: int, value: float) -> bytes:
    """A ``float`` field: 4 little-endian IEEE-754 bytes (rounded to float32; too big -> inf)."""
    with np.errstate(over="ignore"):
        return key(field_number, FIXED32) + np.array(value, dtype="<f4").tobytes()


def packed_varints(field_number: int, values: Iterable[int]) -> bytes:
    """A packed repeated varint field; nothing at all when ``values`` is empty."""
    body = b"".join(varint(int(v)) for v in values)
    return field_bytes(field_number, body) if body else b""


def packed_doubles(field_number: int, values: Sequence[float]) -> bytes:
    """A packed repeated ``double`` field; nothing at all when ``values`` is empty."""
    body = np.asarray(values, dtype="<f8").tobytes()
    return field_bytes(field_number, body) if body else b""


def _is_default(value: float) -> bool:
    """True for 0 / 0.0 (but not -0.0): the values proto3 leaves out of plain fields."""
    return struct.pack("<d", value) == bytes(8)


# ----------------------------------------------------------------------------- CRC-32C
def _make_crc_table() -> list[int]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):  # reflected Castagnoli polynomial
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
        table.append(crc)
    return table


_CRC_TABLE = _make_crc_table()


def crc32c(data: bytes) -> int:
    """CRC-32C (Castagnoli), one table lookup per byte. ``crc32c(b"123456789") == 0xE3069283``."""
    crc = 0xFFFFFFFF
    table = _CRC_TABLE
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def masked_crc32c(data: bytes) -> int:
    """TFRecord's masked CRC: rotate right by 15 bits and add a constant (mod 2**32).
    The mask keeps a CRC of data that itself contains CRCs from looking "valid"."""
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


# ----------------------------------------------------------------------------- TFRecord framing
def tfrecord(data: bytes) -> bytes:
    """Frame one record: uint64 LE length, masked CRC of those 8 bytes, data, masked CRC of data."""
    length = struct.pack("<Q", len(data))
    return (length + struct.pack("<I", masked_crc32c(length))
            + bytes(data) + struct.pack("<I", masked_crc32c(data)))


def read_tfrecords(blob: bytes) -> list[bytes]:
    """Split a TFRecord file into its records, checking both CRCs of each record.

    Raises ``ValueError`` naming the record index and the failing check if the data
    is truncated or a CRC does not match."""
    records, pos, index = [], 0, 0
    while pos < len(blob):
        if pos + 12 > len(blob):
            raise ValueError(f"record {index}: truncated header")
        length_bytes = blob[pos:pos + 8]
        (length,) = struct.unpack("<Q", length_bytes)
        (length_crc,) = struct.unpack("<I", blob[pos + 8:pos + 12])
        if length_crc != masked_crc32c(length_bytes):
            raise ValueError(f"record {index}: length CRC mismatch")
        start, end = pos + 12, pos + 12 + length
        if end + 4 > len(blob):
            raise ValueError(f"record {index}: truncated data")
        data = blob[start:end]
        (data_crc,) = struct.unpack("<I", blob[end:end + 4])
        if data_crc != masked_crc32c(data):
            raise ValueError(f"record {index}: data CRC mismatch")
        records.append(bytes(data))
        pos, index = end + 4, index + 1
    return records


# ----------------------------------------------------------------------------- tensors and shapes
def tensor_shape_proto(dims: Sequence[int | None] | None) -> bytes:
    """TensorShapeProto: ``dim = 2`` (Dim{size = 1}) per dimension, ``unknown_rank = 3``.

    ``None`` means unknown rank; a ``None`` dimension is written as size -1. A scalar
    (``[]``) is the empty message."""
    if dims is None:
        return field_varint(3, True)
    out = b""
    for d in dims:
        size = -1 if d is None else int(d)
        out += field_bytes(2, field_varint(1, size) if size != 0 else b"")
    return out


def tensor_proto(array: object, dtype_enum: int | None = None) -> bytes:
    """TensorProto: dtype = 1, tensor_shape = 2, then the values.

    Numbers go in ``tensor_content = 4`` as raw little-endian bytes in C order;
    strings go in repeated ``string_val = 8`` (str is UTF-8 encoded). ``dtype_enum``
    defaults to the enum of the array's dtype; the values are cast to match it.
    (Real TF writes single values as ``float_val``/``int_val``; both forms are valid.)"""
    array = np.asarray(array)
    if dtype_enum is None:
        dtype_enum = dtype_to_enum(array.dtype)
    base = dtype_enum % 100
    out = field_varint(1, base) + field_bytes(2, tensor_shape_proto(list(array.shape)))
    if base == DATATYPE_ENUM["string"]:
        for item in array.reshape(-1).tolist():
            out += field_bytes(8, item if isinstance(item, (bytes, str)) else str(item))
    elif base in _NUMPY_FOR_ENUM:
        content = np.ascontiguousarray(array, dtype=_NUMPY_FOR_ENUM[base]).tobytes()
        if content:
            out += field_bytes(4, content)
    else:
        raise TypeError(f"unsupported DataType enum {dtype_enum}")
    return out


# ----------------------------------------------------------------------------- AttrValue
# AttrValue is a oneof: list = 1 (ListValue), s = 2, i = 3, f = 4, b = 5, type = 6,
# shape = 7, tensor = 8. ListValue repeats the same numbers: s = 2, i = 3, f = 4, b = 5,
# type = 6, shape = 7, tensor = 8 (numbers packed).
def attr_value_string(value: str | bytes) -> bytes:
    return field_bytes(2, value)


def attr_value_int(value: int) -> bytes:
    return field_varint(3, value)


def attr_value_float(value: float) -> bytes:
    return field_float(4, value)


def attr_value_bool(value: bool) -> bytes:
    return field_varint(5, bool(value))


def attr_value_type(dtype_enum: int) -> bytes:
    return field_varint(6, dtype_enum)


def attr_value_shape(dims: Sequence[int | None] | None) -> bytes:
    return field_bytes(7, tensor_shape_proto(dims))


def attr_value_tensor(array: object, dtype_enum: int | None = None) -> bytes:
    return field_bytes(8, tensor_proto(array, dtype_enum))


def attr_value_int_list(values: Sequence[int]) -> bytes:
    """list(int) attr such as ``strides``; an empty list is still written (an empty ListValue)."""
    return field_bytes(1, packed_varints(3, values))


def attr_value_type_list(dtype_enums: Sequence[int]) -> bytes:
    """list(type) attr such as ``Tout``."""
    return field_bytes(1, packed_varints(6, dtype_enums))


def attr_value_shape_list(shapes: Sequence[Sequence[int | None] | None]) -> bytes:
    """list(shape) attr, e.g. ``_output_shapes`` (one shape per op output)."""
    return field_bytes(1, b"".join(field_bytes(7, tensor_shape_proto(s)) for s in shapes))


# ----------------------------------------------------------------------------- graphs
def node_def(name: str, op: str, inputs: Sequence[str] = (), attrs: dict[str, bytes] | None = None,
             device: str = "") -> bytes:
    """NodeDef: name = 1, op = 2, input = 3 (repeated), device = 4, attr = 5.

    ``attrs`` maps attr names to encoded AttrValue bytes (from the ``attr_value_*``
    helpers). The map is written as entry messages {key = 1, value = 2}, sorted by key."""
    out = field_bytes(1, name) + field_bytes(2, op)
    out += b"".join(field_bytes(3, i) for i in inputs)
    if device:
        out += field_bytes(4, device)
    for attr_name in sorted(attrs or {}):
        out += field_bytes(5, field_bytes(1, attr_name) + field_bytes(2, attrs[attr_name]))
    return out


def graph_def(nodes: Sequence[bytes], producer: int = 27) -> bytes:
    """GraphDef: node = 1 (repeated NodeDef, in creation order), versions = 4 (VersionDef{producer = 1})."""
    versions = field_varint(1, producer) if producer else b""
    return b"".join(field_bytes(1, n) for n in nodes) + field_bytes(4, versions)


# ----------------------------------------------------------------------------- summaries
def _default_bucket_limits() -> np.ndarray:
    """TF's default histogram buckets (core/lib/histogram/histogram.cc): limits growing by
    10% from 1e-12 to 1e20, mirrored for negatives, with 0 and +-DBL_MAX at the ends."""
    positive, v = [], 1.0e-12
    while v < 1.0e20:
        positive.append(v)
        v *= 1.1
    positive.append(sys.float_info.max)
    return np.array([-x for x in reversed(positive)] + [0.0] + positive)


DEFAULT_BUCKET_LIMITS = _default_bucket_limits()


def histogram_proto(values: object) -> bytes:
    """HistogramProto: min = 1, max = 2, num = 3, sum = 4, sum_squares = 5 (doubles),
    bucket_limit = 6, bucket = 7 (packed doubles).

    Bucket ``i`` counts values ``v`` with ``limit[i-1] <= v < limit[i]``. As in TF's
    ``Histogram::EncodeToProto``, a run of empty buckets is collapsed into one entry."""
    x = np.asarray(values, dtype=np.float64).reshape(-1)
    limits = DEFAULT_BUCKET_LIMITS
    counts = np.bincount(np.searchsorted(limits, x, side="right"), minlength=len(limits))
    out_limits, out_counts, i = [], [], 0
    while i < len(limits):
        end, count = limits[i], counts[i]
        i += 1
        if count == 0:
            while i < len(limits) and counts[i] == 0:
                end = limits[i]
                i += 1
        out_limits.append(float(end))
        out_counts.append(float(count))
    stats = [(1, float(x.min()) if x.size else float(limits[-1])),
             (2, float(x.max()) if x.size else -float(limits[-1])),
             (3, float(x.size)), (4, float(x.sum())), (5, float(np.dot(x, x)))]
    out = b"".join(field_double(n, v) for n, v in stats if not _is_default(v))
    return out + packed_doubles(6, out_limits) + packed_doubles(7, out_counts)


def summary_scalar(tag: str, value: float) -> bytes:
    """One Summary.Value: tag = 1, simple_value = 2 (float32)."""
    return field_bytes(1, tag) + field_float(2, float(value))


def summary_histogram(tag: str, values: object) -> bytes:
    """One Summary.Value: tag = 1, histo = 5. Raises ValueError on NaN/Inf like TF's op."""
    x = np.asarray(values, dtype=np.float64)
    if not np.all(np.isfinite(x)):
        raise ValueError(f"Nan in summary histogram for: {tag}")
    return field_bytes(1, tag) + field_bytes(5, histogram_proto(x))


def encode_png(pixels: object) -> bytes:
    """A PNG file of ``pixels`` (uint8, [height, width, channels], channels 1, 3 or 4): the
    signature, IHDR, one zlib-compressed IDAT of unfiltered rows, IEND (the PNG specification)."""
    x = np.asarray(pixels, dtype=np.uint8)
    height, width, channels = x.shape
    colour = {1: 0, 2: 4, 3: 2, 4: 6}[channels]          # grey, grey+alpha, RGB, RGBA

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + x[r].tobytes() for r in range(height))   # filter type 0 before each row
    header = struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 6))
            + chunk(b"IEND", b""))


def summary_image(tag: str, height: int, width: int, colorspace: int, png: bytes) -> bytes:
    """One Summary.Value: tag = 1, image = 4 (height = 1, width = 2, colorspace = 3,
    encoded_image_string = 4)."""
    image = field_varint(1, height) + field_varint(2, width) + field_varint(3, colorspace) + field_bytes(4, png)
    return field_bytes(1, tag) + field_bytes(4, image)


def summary_text(tag: str, strings: object) -> bytes:
    """One Summary.Value: tag = 1, metadata = 9 (plugin_data = 1: plugin_name = 1 "text"),
    tensor = 8 (the string tensor as a TensorProto)."""
    metadata = field_bytes(1, field_bytes(1, "text"))
    return field_bytes(1, tag) + field_bytes(9, metadata) + field_bytes(8, tensor_proto(strings,
                                                                                           DATATYPE_ENUM["string"]))


def summary(values: Sequence[bytes]) -> bytes:
    """Summary: repeated value = 1, in the given order."""
    return b"".join(field_bytes(1, v) for v in values)


def merge_summaries(serialized: Sequence[bytes]) -> bytes:
    """Merge serialized Summary messages into one.

    Summary has a single field, ``repeated Value value = 1``, and parsing concatenated
    messages appends repeated fields, so plain concatenation *is* a valid merge."""
    return b"".join(serialized)


def event(wall_time: float, step: int = 0, file_version: str | None = None,
          graph_def: bytes | None = None, summary: bytes | None = None,
          tagged_run_metadata: "tuple[str, bytes] | None" = None) -> bytes:
    """Event: wall_time = 1 (double), step = 2 (int64), then one of file_version = 3
    (string), graph_def = 4 (a *bytes* field holding a serialized GraphDef), summary = 5,
    tagged_run_metadata = 8 (tag = 1, run_metadata = 2: a serialized RunMetadata)."""
    out = b"" if _is_default(wall_time) else field_double(1, wall_time)
    if step:
        out += field_varint(2, step)
    if file_version is not None:
        out += field_bytes(3, file_version)
    if graph_def is not None:
        out += field_bytes(4, graph_def)
    if summary is not None:
        out += field_bytes(5, summary)
    if tagged_run_metadata is not None:
        out += field_bytes(8, field_bytes(1, tagged_run_metadata[0]) + field_bytes(2, tagged_run_metadata[1]))
    return out


# ----------------------------------------------------------------------------- decoding
def read_varint(data: bytes, pos: int) -> tuple[int, int]:
    """Read a varint at ``pos``; return ``(unsigned value, position after it)``."""
    result = shift = 0
    while True:
        if pos >= len(data):
            raise ValueError("truncated varint")
        byte = data[pos]
        result |= (byte & 0x7F) << shift
        pos += 1
        if not byte & 0x80:
            return result, pos
        shift += 7


def to_signed64(value: int) -> int:
    """Reinterpret a decoded varint as an int64 (e.g. 2**64 - 1 -> -1)."""
    return value - (1 << 64) if value >= 1 << 63 else value


def decode(data: bytes) -> list[tuple[int, int, object]]:
    """Split one message into ``(field_number, wire_type, value)`` triples, in order.

    Varints come back as unsigned ints (see ``to_signed64``), 64-bit fields as Python
    floats (doubles), 32-bit fields as floats (float32), and length-delimited fields as
    raw bytes -- call ``decode`` again on them if they hold a nested message."""
    fields, pos = [], 0
    while pos < len(data):
        tag, pos = read_varint(data, pos)
        number, wire_type = tag >> 3, tag & 7
        if wire_type == VARINT:
            value, pos = read_varint(data, pos)
            fields.append((number, wire_type, value))
            continue
        if wire_type == LENGTH_DELIMITED:
            size, pos = read_varint(data, pos)
        elif wire_type in (FIXED64, FIXED32):
            size = 8 if wire_type == FIXED64 else 4
        else:
            raise ValueError(f"unsupported wire type {wire_type} for field {number}")
        if pos + size > len(data):
            raise ValueError(f"truncated field {number}")
        raw, pos = bytes(data[pos:pos + size]), pos + size
        if wire_type == FIXED64:
            (value,) = struct.unpack("<d", raw)
        elif wire_type == FIXED32:
            (value,) = struct.unpack("<f", raw)
        else:
            value = raw
        fields.append((number, wire_type, value))
    return fields


def unpack_doubles(data: bytes) -> list[float]:
    """The values of a packed repeated double field."""
    return np.frombuffer(data, dtype="<f8").tolist()

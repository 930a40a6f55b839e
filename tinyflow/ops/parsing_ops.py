"""Parsing text records: ``tf.decode_csv`` (TensorFlow's ``DecodeCSV`` op) and the CSV rules that
``tf.data.experimental.CsvDataset`` and ``make_csv_dataset`` share with it (``data.py``).

``tf.decode_csv(records, record_defaults)`` splits each string of ``records`` into fields and
returns one tensor per field, of the record's shape::

    tf.decode_csv(["1,2.5,x", "3,,y"], [[0], [0.0], ["?"]])
    # -> [array([1, 3], dtype=int32), array([2.5, 0.], dtype=float32), array([b'x', b'y'], dtype=object)]

Each default gives its column's dtype (``float32``, ``float64``, ``int32``, ``int64`` or
``string``) and the value of an empty field (or one equal to ``na_value``); an empty default
(``tf.constant([], tf.int32)``) makes the field required. A field may be quoted (``"a,b"``;
``""`` inside stands for one quote) unless ``use_quote_delim=False``.

How it runs: records without quotes (the usual case) are split all at once (one ``join`` and one
``split``), then each column is converted by numpy in one call; only records with quotes go
through the field-by-field parser below. Errors say which field of which record, as TF's do.

TensorFlow's counterparts: ``python/ops/parsing_ops.py``, ``core/kernels/decode_csv_op.cc``.
"""
from __future__ import annotations

import csv
import io
from typing import Any

import numpy as np

from .. import dtypes, errors
from ..framework import Tensor, convert_to_tensor, name_scope
from ..op_def_library import make_op
from ..op_registry import NoGradient, primitive, several_outputs
from ..tensor_shape import ShapeError, TensorShape

__all__ = ["decode_csv"]

CSV_TYPES = (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64, dtypes.string)
"""The dtypes a CSV column may have (TF's ``_ACCEPTABLE_CSV_TYPES``)."""

TYPE_NAMES = {"float32": "float", "float64": "double"}
"""TensorFlow's names of dtypes in run-time messages (``DataTypeString``), where they differ."""


def decode_csv(records: Any, record_defaults: Any, field_delim: str = ",", use_quote_delim: bool = True,
               name: "str | None" = None, na_value: str = "", select_cols: Any = None) -> "list[Tensor]":
    """Converts CSV records (a string tensor of any shape) to one tensor per column, each of the
    records' shape; ``record_defaults[i]`` gives column i's dtype and the value of an empty field."""
    with name_scope(name, "DecodeCSV", [records]) as scope:
        records = convert_to_tensor(records, dtype=dtypes.string, name="records")
        defaults = csv_defaults(record_defaults, "record_defaults")
        attrs = dict(csv_attrs(field_delim, use_quote_delim, na_value, select_cols),
                     OUT_TYPE=[d.dtype.base_dtype for d in defaults])
        return list(make_op("DecodeCSV", [records] + defaults, attrs["OUT_TYPE"], scope, attrs=attrs).outputs)


def csv_defaults(record_defaults: Any, what: str) -> "list[Tensor]":
    """The defaults as tensors (``record_defaults_<i>``): a dtype stands for a required field."""
    if isinstance(record_defaults, Tensor) or not isinstance(record_defaults, (list, tuple)):
        raise TypeError("`%s` must be a list with one default per column, e.g. [[0], [0.0], ['']], got %r."
                        % (what, record_defaults))
    out = []
    for i, default in enumerate(record_defaults):
        if isinstance(default, dtypes.DType) or (isinstance(default, type) and issubclass(default, np.generic)):
            default = np.zeros([0], dtype=dtypes.as_dtype(default).as_numpy_dtype)
        t = convert_to_tensor(default, name="%s_%d" % (what, i))
        if t.dtype.base_dtype not in CSV_TYPES:
            raise TypeError("Value passed to parameter '%s' has DataType %s not in list of allowed values: "
                            "float32, float64, int32, int64, string\nFix: give each column a number or a string "
                            "default, e.g. [[0], [0.0], ['']] (or its dtype, tf.int32, for a required field)."
                            % (what, t.dtype.base_dtype.name))
        out.append(t)
    return out


def csv_attrs(field_delim: str, use_quote_delim: bool, na_value: str, select_cols: Any) -> dict:
    return {"field_delim": field_delim, "use_quote_delim": bool(use_quote_delim), "na_value": na_value,
            "select_cols": [] if select_cols is None else [int(c) for c in select_cols]}


def _decode_csv_rule(op: Any) -> "list[TensorShape]":
    records = op.inputs[0].shape
    for d in op.inputs[1:]:
        s = d.shape
        if s.ndims is not None and s.ndims > 1:
            raise ShapeError("Shape must be at most rank 1 but is rank %d" % s.ndims,
                             "each record default is a list of at most one value, e.g. [0] or [] (required).")
        if s.ndims == 1 and s[0].value is not None and s[0].value > 1:
            raise ShapeError("Shape of a default must be a length-0 or length-1 vector, or a scalar.",
                             "give one default value per column, e.g. [[0], [0.0]], not [[0, 1]].")
    return [records] * (len(op.inputs) - 1)


@primitive("DecodeCSV", shape=_decode_csv_rule)
def _decode_csv_kernel(ctx, records, *defaults):
    records = np.asarray(records, dtype=object)
    a = ctx.attrs
    columns = parse_csv(records.reshape(-1), defaults, a["OUT_TYPE"], a["field_delim"], a["use_quote_delim"],
                        a["na_value"], a["select_cols"], numbered=True)
    return several_outputs([c.reshape(records.shape) for c in columns])


NoGradient("DecodeCSV")


# --------------------------------------------------------------------------------------------
# The parser (shared with tf.data's CsvDataset)
# --------------------------------------------------------------------------------------------
def _invalid(message: str, record: "int | None" = None) -> errors.InvalidArgumentError:
    """The error, with the index of the record it is about (``record``; None: about no record)."""
    error = errors.InvalidArgumentError(None, None, message)
    error.record = record
    return error


def _as_bytes(value: Any) -> bytes:
    return value.encode() if isinstance(value, str) else bytes(value)


def parse_csv(records: np.ndarray, defaults: Any, out_types: list, field_delim: str, use_quote_delim: bool,
              na_value: str, select_cols: list, numbered: bool, empty_is_field: bool = False) -> "list[np.ndarray]":
    """The columns (1-D arrays) of ``records`` (a 1-D array of bytes). ``numbered``: errors name the
    record's index (DecodeCSV) or not (CsvDataset); ``empty_is_field``: an empty record is one empty
    field (a blank line of a CSV file) rather than none. Of several bad records, the error is about
    the first (as TF's, which parses record by record); its ``record`` attribute is that index."""
    args = (defaults, out_types, field_delim, use_quote_delim, na_value, select_cols, numbered, empty_is_field)
    try:
        return _parse_csv(records, *args)
    except errors.InvalidArgumentError as e:
        if getattr(e, "record", None):
            parse_csv(records[:e.record], *args)          # an earlier bad record is reported first
        raise


def _parse_csv(records: np.ndarray, defaults: Any, out_types: list, field_delim: str, use_quote_delim: bool,
               na_value: str, select_cols: list, numbered: bool, empty_is_field: bool) -> "list[np.ndarray]":
    delim = _as_bytes(field_delim)
    if len(delim) != 1:
        raise _invalid("field_delim should be only 1 char\nFix: e.g. field_delim=',' or field_delim='\\t'.")
    where = (lambda i: " in record %d" % i) if numbered else (lambda i: " in record")
    wanted = len(out_types)
    if select_cols and list(select_cols) != sorted(set(select_cols)):
        raise _invalid("select_cols should be strictly increasing indices\nFix: list the columns in file order, "
                       "e.g. select_cols=[0, 2].")
    if select_cols and len(select_cols) != wanted:
        raise _invalid("select_cols should match output size (%d columns selected, %d defaults)\nFix: give one "
                       "record default per selected column." % (len(select_cols), wanted))
    rows = records.tolist()
    fields = _split(rows, delim, use_quote_delim, where, empty_is_field)
    if select_cols:
        fields = _select(fields, select_cols, wanted, where)
    elif fields.shape[1] != wanted:
        counts = fields.counts if isinstance(fields, _Ragged) else [fields.shape[1]] * len(rows)
        bad = next(i for i, c in enumerate(counts) if c != wanted)
        raise _invalid("Expect %d fields but have %d%s\nFix: give one record default per column (%d here), or "
                       "skip the records that differ (e.g. a header: dataset.skip(1))."
                       % (wanted, counts[bad], where(bad), counts[bad]), bad)
    na = _as_bytes(na_value)
    return [_column(fields[:, j], np.asarray(defaults[j]), out_types[j], j, na, where) for j in range(wanted)]


class _Ragged:
    """Records with different numbers of fields (an error unless select_cols picks from them)."""

    def __init__(self, rows: "list[list[bytes]]", counts: "list[int] | None" = None):
        self.rows = rows
        self.counts = [len(r) for r in rows] if counts is None else counts
        self.shape = (len(self.counts), -1)


def _split(rows: list, delim: bytes, quotes: bool, where: Any, empty_is_field: bool) -> Any:
    """The fields as a 2-D object array (records x fields), or :class:`_Ragged`."""
    n = len(rows)
    if n == 0:
        return np.empty((0, 0), dtype=object)
    if quotes and b'"' in b"".join(rows):
        return _rows_to_fields([_split_quoted(r, delim, where, i, empty_is_field) for i, r in enumerate(rows)])
    text = np.array(rows, dtype=np.bytes_)
    counts = np.char.count(text, delim) + 1
    if not empty_is_field:
        counts[np.char.str_len(text) == 0] = 0
    if (counts == counts[0]).all():
        if counts[0] == 0:
            return np.empty((n, 0), dtype=object)
        return np.array(delim.join(rows).split(delim), dtype=object).reshape(n, int(counts[0]))
    return _Ragged([r.split(delim) if c else [] for r, c in zip(rows, counts.tolist())], counts.tolist())


def _rows_to_fields(rows: "list[list[bytes]]") -> Any:
    counts = {len(r) for r in rows}
    if len(counts) == 1 and rows[0]:
        out = np.empty((len(rows), len(rows[0])), dtype=object)
        out[:] = rows
        return out
    return _Ragged(rows)


def _split_quoted(record: bytes, delim: bytes, where: Any, i: int, empty_is_field: bool) -> "list[bytes]":
    """TF's rules for one record with quotes: a quoted field ends with a quote followed by the
    delimiter or the end; ``""`` inside it is one quote; an unquoted field has no quotes."""
    if not record and not empty_is_field:
        return []
    fields, pos, n = [], 0, len(record)
    while True:
        if record[pos:pos + 1] == b'"':
            parts, j = [], pos + 1
            while True:
                k = record.find(b'"', j)
                if k < 0:
                    raise _invalid("Quoted field has to end with quote followed by delim or end%s\nFix: close the "
                                   "quote, or read with use_quote_delim=False." % where(i), i)
                parts.append(record[j:k])
                if record[k + 1:k + 2] == b'"':
                    parts.append(b'"')
                    j = k + 2
                    continue
                if record[k + 1:k + 2] not in (b"", delim):
                    raise _invalid("Quote inside a string has to be escaped by another quote\nFix: write a quote "
                                   "inside a quoted field as two quotes (\"a\"\"b\"), or read with "
                                   "use_quote_delim=False.", i)
                fields.append(b"".join(parts))
                pos = k + 1
                break
        else:
            k = record.find(delim, pos)
            end = n if k < 0 else k
            field = record[pos:end]
            if b'"' in field:
                raise _invalid("Unquoted fields cannot have quotes/CRLFs inside\nFix: quote the whole field "
                               "(\"a\"\"b\"), or read with use_quote_delim=False.", i)
            fields.append(field)
            pos = end
        if pos >= n:
            return fields
        pos += 1                                   # past the delimiter: another field follows


def _select(fields: Any, select_cols: list, wanted: int, where: Any) -> np.ndarray:
    if not isinstance(fields, _Ragged):
        if fields.shape[1] > select_cols[-1] or not len(fields):
            return fields[:, select_cols]
        fields = _Ragged([list(r) for r in fields])
    for i, (row, count) in enumerate(zip(fields.rows, fields.counts)):
        if count <= select_cols[-1]:
            have = sum(c < count for c in select_cols)
            raise _invalid("Expect %d fields but have %d%s\nFix: every record needs the selected columns "
                           "(select_cols=%s)." % (wanted, have, where(i), select_cols), i)
    return _rows_to_fields([[row[c] for c in select_cols] for row in fields.rows])


def _column(values: np.ndarray, default: np.ndarray, dtype: dtypes.DType, j: int, na: bytes,
            where: Any) -> np.ndarray:
    """One column converted to ``dtype``; empty (or ``na_value``) fields take the default."""
    np_dtype = dtype.as_numpy_dtype
    out = values.astype(np.bytes_) if len(values) else np.zeros([0], dtype=np.bytes_)
    missing = (out == b"") | (out == na) if na else out == b""
    if missing.any() and default.size == 0:
        first = int(np.argmax(missing))
        raise _invalid("Field %d is required but missing%s!\nFix: give the column a default value, e.g. [0] "
                       "instead of tf.constant([], tf.int32)." % (j, where(first)), first)
    fill = default.reshape(-1)[0] if default.size else None
    if dtype is dtypes.string:
        column = values.copy()                     # strings keep their bytes as written (spaces too)
        if missing.any():
            column[missing] = _as_bytes(fill)
        return column
    column = np.empty(len(values), dtype=np_dtype)
    present = ~missing
    if missing.any():
        column[missing] = fill
    if present.any():
        column[present] = _numbers(out[present], dtype, j, np.flatnonzero(present), where)
    return column


def _numbers(text: np.ndarray, dtype: dtypes.DType, j: int, index: np.ndarray, where: Any) -> np.ndarray:
    integer = dtype.is_integer
    try:
        values = text.astype(np.int64 if integer else np.float64)
    except (ValueError, OverflowError):
        values = None
    if values is not None and dtype is dtypes.int32:
        ok = (values >= -2 ** 31) & (values < 2 ** 31)
        if not ok.all():
            values, bad = None, int(np.argmin(ok))
            text = text[bad:bad + 1]
            index = index[bad:bad + 1]
    if values is not None:
        return values.astype(dtype.as_numpy_dtype)
    for k, t in enumerate(text.tolist()):          # (only to name the bad field)
        try:
            v = int(t) if integer else float(t)
            if dtype is dtypes.int32 and not -2 ** 31 <= v < 2 ** 31:
                raise OverflowError
        except (ValueError, OverflowError):
            kind = TYPE_NAMES.get(dtype.name, dtype.name)
            raise _invalid("Field %d%s is not a valid %s: %s\nFix: give the column a default of its type (e.g. "
                           "[0.0] for a float column, [''] for text)."
                           % (j, where(int(index[k])), kind, t.decode(errors="replace")), int(index[k])) from None
    raise AssertionError("unreachable")


def read_csv_rows(lines: "list[str]", field_delim: str, use_quote_delim: bool) -> "list[list[str]]":
    """Rows of text lines with Python's csv module (what ``make_csv_dataset`` infers types and names from)."""
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=field_delim,
                        quoting=csv.QUOTE_MINIMAL if use_quote_delim else csv.QUOTE_NONE)
    return list(reader)


def infer_csv_type(values: "list[str]", na_value: str) -> dtypes.DType:
    """TF's type for a column: the first of int32, int64, float32, float64, string that all its
    non-empty values fit (an empty column is a string column)."""
    text = np.array([v for v in values if v not in ("", na_value)], dtype=np.str_)
    if not text.size:
        return dtypes.string
    try:
        ints = text.astype(np.int64)
        return dtypes.int32 if ((ints >= -2 ** 31) & (ints < 2 ** 31)).all() else dtypes.int64
    except (ValueError, OverflowError):
        pass
    try:
        floats = text.astype(np.float64)
    except (ValueError, OverflowError):
        return dtypes.string
    with np.errstate(over="ignore"):
        return dtypes.float32 if (floats.astype(np.float32) < np.inf).all() else dtypes.float64

"""Lookup tables: turning words (or ints) into ids, e.g. ``'gardening'`` -> ``1``.

A table is *state*, like a variable. The graph only describes it: a ``HashTableV2`` op stands
for the table, and an *initializer* op (``LookupTableImportV2``) fills it with keys and values.
The contents live in the session, so each session must run the initializer before any lookup::

    table = index_table_from_tensor(['sports', 'gardening'])     # ids 0 and 1, others -1
    ids = table.lookup(tf.constant(['gardening', 'golf']))
    sess.run(tf.tables_initializer())                           # fills every table
    sess.run(ids)                                               # array([ 1, -1])

Every table initializer is added to the ``tf.GraphKeys.TABLE_INITIALIZERS`` collection, which
``tf.tables_initializer()`` groups (just as ``tf.global_variables_initializer()`` groups the
variables' initializers). Feature columns (``feature_column.py``) build their vocabularies here.

TensorFlow's table handle is a ``resource`` tensor; tinyflow's is a scalar ``string`` tensor
(TF1's first table ops used string handles too) whose run-time value is the session's table.

TensorFlow's counterparts: ``python/ops/lookup_ops.py``, ``core/ops/lookup_ops.cc``.
"""
from __future__ import annotations

import zlib
from typing import Any

import numpy as np

from .. import dtypes, errors, gfile
from ..framework import GraphKeys, Operation, Tensor, convert_to_tensor, get_collection, graph_of, name_scope
from ..op_registry import NoGradient, primitive
from ..tensor_shape import TensorShape
from . import comparison_ops, control_flow_ops, creation_ops, gather_ops, math_ops, unary_ops

__all__ = [
    "KeyValueTensorInitializer", "HashTable", "StaticHashTable", "IdTableWithHashBuckets",
    "index_table_from_tensor", "index_table_from_file", "TextFileIdTableInitializer", "tables_initializer",
    "string_to_hash_bucket_fast", "as_string",
    "stable_hash",
]

_NOT_INITIALIZED = ("Table not initialized.\n"
                    "Fix: run `sess.run(tf.tables_initializer())` after building the feature columns "
                    "(and before using them).")


# --------------------------------------------------------------------------------------------
# The table itself: a handle op whose value is the session's table
# --------------------------------------------------------------------------------------------
class _TableContents:
    """One table's contents in one session: ``data`` is None until the initializer has run."""

    __slots__ = ("name", "data")

    def __init__(self, name: str):
        self.name = name
        self.data: "dict | None" = None

    def refill(self, data: "dict | None") -> None:
        self.data = data

    def __repr__(self) -> str:
        state = "uninitialized" if self.data is None else "%d entries" % len(self.data)
        return "<lookup table %r: %s>" % (self.name, state)


def _key(k: Any) -> Any:
    """Keys are stored as bytes (strings) or Python ints, so lookups compare like with like."""
    return k.encode("utf-8") if isinstance(k, str) else k


@primitive("HashTableV2", shape=lambda op: TensorShape([]), handle=True)
def _hash_table_kernel(ctx):
    """The table's handle: the same object for every run of this session (kept in ctx.cache)."""
    table = ctx.cache.get("table")
    if table is None:
        table = ctx.cache["table"] = _TableContents(ctx.op.name)
    return table


@primitive("LookupTableImportV2", stateful=True)
def _import_kernel(ctx, table, keys, values):
    """Fills the table with ``keys[i] -> values[i]`` (running it again refills it)."""
    keys, values = np.asarray(keys), np.asarray(values)
    if keys.shape != values.shape:
        raise errors.InvalidArgumentError(
            None, ctx.op, "Expected shape %s for value, got %s" % (list(keys.shape), list(values.shape)))
    data: dict = {}
    for k, v in zip(keys.ravel().tolist(), values.ravel().tolist()):
        old = data.setdefault(_key(k), v)
        if old != v:
            raise errors.FailedPreconditionError(
                None, ctx.op, "HashTable has different value for same key. Key %s has %s and trying to add value %s"
                "\nFix: each key may appear once (e.g. a vocabulary list without repeated words)."
                % (k.decode("utf-8", "replace") if isinstance(k, bytes) else k, old, v))
    ctx.session.undo_if_run_fails(table.refill, table.data)    # a failed run leaves the table as it was
    table.data = data       # filled completely, or (on an error) left as it was
    return ()       # no outputs


@primitive("LookupTableFindV2", shape=lambda op: op.inputs[1].shape, stateful=True)
def _find_kernel(ctx, table, keys, default_value):
    """``table[key]`` for every key, ``default_value`` for keys not in the table."""
    if table.data is None:
        raise errors.FailedPreconditionError(None, ctx.op, _NOT_INITIALIZED)
    keys = np.asarray(keys)
    default = np.asarray(default_value).item()
    found = [table.data.get(_key(k), default) for k in keys.ravel().tolist()]
    return np.array(found, dtype=ctx.attrs["Tout"].as_numpy_dtype).reshape(keys.shape)


@primitive("LookupTableSizeV2", shape=lambda op: TensorShape([]), stateful=True)
def _size_kernel(ctx, table):
    if table.data is None:
        raise errors.FailedPreconditionError(None, ctx.op, _NOT_INITIALIZED)
    return np.array(len(table.data), dtype=np.int64)


for _t in ("HashTableV2", "LookupTableImportV2", "LookupTableFindV2", "LookupTableSizeV2"):
    NoGradient(_t)


class KeyValueTensorInitializer:
    """What a table is filled with: ``keys[i] -> values[i]`` (two 1-D tensors)."""

    def __init__(self, keys: Any, values: Any, key_dtype: Any = None, value_dtype: Any = None,
                 name: "str | None" = None):
        with name_scope(name, "key_value_init", [keys, values]) as scope:
            self._keys = convert_to_tensor(keys, dtype=key_dtype, name="keys")
            self._values = convert_to_tensor(values, dtype=value_dtype, name="values")
            self._name = scope            # initialize() re-enters this scope
        self.key_dtype = self._keys.dtype.base_dtype
        self.value_dtype = self._values.dtype.base_dtype

    keys = property(lambda self: self._keys)
    values = property(lambda self: self._values)

    def initialize(self, table: "HashTable") -> Operation:
        """The ``LookupTableImportV2`` op that fills ``table``; it joins TABLE_INITIALIZERS."""
        with name_scope(self._name):
            inputs = [table.resource_handle, self._keys, self._values]
            init_op = graph_of(inputs).create_op("LookupTableImportV2", inputs, [],
                                                  name="LookupTableImportV2")
        graph_of(inputs).add_to_collection(GraphKeys.TABLE_INITIALIZERS, init_op)
        return init_op


class HashTable:
    """A table that never changes once initialized (``tf.lookup.StaticHashTable``).

    ``HashTable(initializer, default_value)``; ``table.lookup(keys)`` gives the value of each key
    (``default_value`` for unknown keys); ``table.init`` is the initializer op.
    """

    def __init__(self, initializer: KeyValueTensorInitializer, default_value: Any, name: "str | None" = None):
        self._name = name or "hash_table"
        self.key_dtype = initializer.key_dtype
        self.value_dtype = initializer.value_dtype
        self._default_value = convert_to_tensor(default_value, dtype=self.value_dtype)
        graph = graph_of([initializer.keys])
        self._handle = graph.create_op(
            "HashTableV2", [], [dtypes.string], name=self._name,
            attrs={"key_dtype": self.key_dtype, "value_dtype": self.value_dtype,
                   "container": "", "shared_name": ""}).outputs[0]
        self._init_op = initializer.initialize(self)

    name = property(lambda self: self._name)
    resource_handle = property(lambda self: self._handle, doc="The table's handle tensor.")
    default_value = property(lambda self: self._default_value)
    init = property(lambda self: self._init_op, doc="The op that fills the table (in TABLE_INITIALIZERS).")
    initializer = init

    def size(self, name: "str | None" = None) -> Tensor:
        """The number of entries, as an int64 scalar."""
        with name_scope(name, "%s_Size" % self._name, [self._handle]):
            return graph_of([self._handle]).create_op("LookupTableSizeV2", [self._handle], [dtypes.int64],
                                                       name="LookupTableSizeV2").outputs[0]

    def lookup(self, keys: Any, name: "str | None" = None) -> Tensor:
        """The value of every key (same shape as ``keys``); unknown keys give ``default_value``."""
        keys = convert_to_tensor(keys, dtype=self.key_dtype if not isinstance(keys, Tensor) else None)
        _check_key_dtype(keys, self.key_dtype)
        with name_scope(name, "%s_Lookup" % self._name, [self._handle, keys]):
            inputs = [self._handle, keys, self._default_value]
            return graph_of(inputs).create_op(
                "LookupTableFindV2", inputs, [self.value_dtype], name="LookupTableFindV2",
                attrs={"Tin": self.key_dtype, "Tout": self.value_dtype}).outputs[0]

    def __repr__(self) -> str:
        return "<HashTable %r: %s -> %s>" % (self._handle.op.name, self.key_dtype.name, self.value_dtype.name)


StaticHashTable = HashTable


def _check_key_dtype(keys: Tensor, key_dtype: dtypes.DType) -> None:
    if keys.dtype.base_dtype is not key_dtype:
        raise TypeError("Signature mismatch. Keys must be dtype %s, got %s.\n"
                        "Fix: look up keys of the table's key type (tf.cast integer keys to tf.%s; "
                        "strings and numbers never match each other)."
                        % (key_dtype, keys.dtype.base_dtype, key_dtype.name))


# --------------------------------------------------------------------------------------------
# Hashing strings to buckets (for out-of-vocabulary values and hash-bucket columns)
# --------------------------------------------------------------------------------------------
def stable_hash(value: Any) -> int:
    """A hash that is the same in every run and on every machine (unlike Python's ``hash``).

    CRC-32 of the UTF-8 bytes. (TensorFlow uses FarmHash's Fingerprint64, so its bucket numbers
    differ from tinyflow's; both only promise "the same string always gets the same bucket".)
    """
    if isinstance(value, str):
        value = value.encode("utf-8")
    return zlib.crc32(value)


def string_to_hash_bucket_fast(input: Any, num_buckets: int, name: "str | None" = None) -> Tensor:  # noqa: A002
    """``stable_hash(s) % num_buckets`` for every string ``s``: an int64 id in ``[0, num_buckets)``."""
    input = convert_to_tensor(input)
    if input.dtype.base_dtype is not dtypes.string:
        raise TypeError("Input 'input' of 'StringToHashBucketFast' Op has type %s that does not match "
                        "expected type of string.\nFix: convert numbers first with as_string()."
                        % input.dtype.base_dtype.name)
    if int(num_buckets) < 1:
        raise ValueError("num_buckets must be at least 1, got %s." % num_buckets)
    return graph_of([input]).create_op("StringToHashBucketFast", [input], [dtypes.int64],
                                        name=name or "StringToHashBucketFast",
                                        attrs={"num_buckets": int(num_buckets)},
                                        shapes=[input.shape]).outputs[0]


@primitive("StringToHashBucketFast")
def _hash_bucket_kernel(ctx, x):
    x = np.asarray(x)
    n = ctx.attrs["num_buckets"]
    return np.array([stable_hash(v) % n for v in x.ravel().tolist()], dtype=np.int64).reshape(x.shape)


def as_string(input: Any, name: "str | None" = None) -> Tensor:  # noqa: A002
    """Integers as decimal strings: ``42`` -> ``b'42'``."""
    input = convert_to_tensor(input)
    if not input.dtype.is_integer:
        raise TypeError("tinyflow's as_string converts integer tensors, not %s." % input.dtype.base_dtype.name)
    return graph_of([input]).create_op("AsString", [input], [dtypes.string], name=name or "AsString",
                                        shapes=[input.shape]).outputs[0]


@primitive("AsString")
def _as_string_kernel(ctx, x):
    x = np.asarray(x)
    out = np.empty(x.shape, dtype=object)
    out.reshape(-1)[:] = [str(v).encode("ascii") for v in x.ravel().tolist()]
    return out


NoGradient("StringToHashBucketFast")
NoGradient("AsString")


class IdTableWithHashBuckets:
    """A table whose unknown keys go to ``num_oov_buckets`` extra ids instead of a default.

    With a vocabulary of size n, a known key gets its id in ``[0, n)`` and an unknown key gets
    ``n + stable_hash(key) % num_oov_buckets``.
    """

    def __init__(self, table: HashTable, num_oov_buckets: int, hasher_spec: Any = None,
                 name: "str | None" = None, key_dtype: Any = None):
        self._table = table
        self._num_oov_buckets = int(num_oov_buckets)
        self.key_dtype = table.key_dtype
        self.value_dtype = table.value_dtype
        self._name = name or table.name

    name = property(lambda self: self._name)
    resource_handle = property(lambda self: self._table.resource_handle)
    init = property(lambda self: self._table.init)
    initializer = init
    default_value = property(lambda self: self._table.default_value)

    def size(self, name: "str | None" = None) -> Tensor:
        with name_scope(name, "%s_Size" % self._name):
            return math_ops.add(self._table.size(), np.int64(self._num_oov_buckets))

    def lookup(self, keys: Any, name: "str | None" = None) -> Tensor:
        """Ids of ``keys``: vocabulary ids, or a hash bucket after them for unknown keys."""
        keys = convert_to_tensor(keys, dtype=self.key_dtype if not isinstance(keys, Tensor) else None)
        _check_key_dtype(keys, self.key_dtype)
        with name_scope(name, "%s_Lookup" % self._name, [keys]):
            strings = as_string(keys) if keys.dtype.is_integer else keys
            buckets = string_to_hash_bucket_fast(strings, self._num_oov_buckets, name="hash_bucket")
            ids = self._table.lookup(keys)
            buckets = math_ops.add(buckets, self._table.size())          # after the vocabulary's ids
            return gather_ops.where(comparison_ops.not_equal(ids, self._table.default_value), ids, buckets)


# --------------------------------------------------------------------------------------------
# A vocabulary table, and the initializer of all tables
# --------------------------------------------------------------------------------------------
def index_table_from_tensor(vocabulary_list: Any, num_oov_buckets: int = 0, default_value: int = -1,
                            hasher_spec: Any = None, dtype: Any = None, name: "str | None" = None):
    """A table mapping each vocabulary entry to its position: ``['a', 'b']`` gives a -> 0, b -> 1.

    Other keys get ``default_value`` (-1), or, with ``num_oov_buckets`` = k > 0, one of the ids
    ``len(vocabulary_list) + stable_hash(key) % k``. Integer vocabularies use int64 keys.
    Remember to run ``tf.tables_initializer()`` in the session before looking anything up.
    """
    if vocabulary_list is None:
        raise ValueError("vocabulary_list must be specified.")
    if num_oov_buckets < 0:
        raise ValueError("num_oov_buckets must be greater or equal than 0, got %d." % num_oov_buckets)
    with name_scope(name, "string_to_index"):
        keys = convert_to_tensor(vocabulary_list)
        key_dtype = keys.dtype.base_dtype
        if dtype is not None:
            dtype = dtypes.as_dtype(dtype).base_dtype
            if not (dtype.is_integer or dtype is dtypes.string):
                raise TypeError("Only integer and string keys are supported.")
            if keys.dtype.is_integer != dtype.is_integer:
                raise ValueError("Expected %s, got %s." % ("integer" if dtype.is_integer else "non-integer",
                                                           keys.dtype))
        if not (key_dtype.is_integer or key_dtype is dtypes.string):
            raise TypeError("Only integer and string keys are supported, got a vocabulary of %s." % key_dtype.name)
        values = unary_ops.cast(creation_ops.range(int(keys.shape.num_elements())), dtypes.int64)
        with name_scope(None, "hash_table"):
            if key_dtype.is_integer:
                keys = unary_ops.cast(keys, dtypes.int64)                    # integer tables use int64 keys
            init = KeyValueTensorInitializer(keys, values, keys.dtype, dtypes.int64, name="table_init")
            table = HashTable(init, default_value)
        if num_oov_buckets:
            table = IdTableWithHashBuckets(table, num_oov_buckets, hasher_spec)
        return table


class TextFileIdTableInitializer:
    """A table filled from a vocabulary file: line i (the whole line) -> id i.

    With ``vocab_size`` n, only the first n lines are read, and a file with fewer lines is an
    error when the initializer runs (as is a missing file).
    """

    def __init__(self, filename: Any, key_dtype: Any = dtypes.string, vocab_size: "int | None" = None,
                 name: "str | None" = None):
        with name_scope(name, "text_file_init") as scope:
            self._filename = convert_to_tensor(filename, dtype=dtypes.string, name="asset_path")
            self._name = scope
        self.key_dtype = dtypes.as_dtype(key_dtype).base_dtype
        self.value_dtype = dtypes.int64
        self.vocab_size = -1 if vocab_size is None else int(vocab_size)

    keys = property(lambda self: self._filename)

    def initialize(self, table: "HashTable") -> Operation:
        """The ``InitializeTableFromTextFileV2`` op that fills ``table``; it joins TABLE_INITIALIZERS."""
        inputs = [table.resource_handle, self._filename]
        with name_scope(self._name):
            init_op = graph_of(inputs).create_op(
                "InitializeTableFromTextFileV2", inputs, [], name="InitializeTableFromTextFileV2",
                attrs={"key_index": -2, "value_index": -1, "vocab_size": self.vocab_size, "delimiter": "\t",
                       "key_dtype": self.key_dtype})
        graph_of(inputs).add_to_collection(GraphKeys.TABLE_INITIALIZERS, init_op)
        return init_op


@primitive("InitializeTableFromTextFileV2", stateful=True)
def _text_file_init_kernel(ctx, table, filename):
    """Reads the file's lines (the first ``vocab_size`` of them, if given) as the keys 0, 1, ..."""
    path = np.asarray(filename).item()
    path = path.decode("utf-8") if isinstance(path, bytes) else path
    try:
        with gfile.GFile(path, "rb") as f:
            lines = f.read().split(b"\n")
    except errors.NotFoundError:
        raise errors.NotFoundError(None, ctx.op, "%s; No such file or directory\nFix: write the vocabulary "
                                   "file (one value per line) before running tf.tables_initializer(), or "
                                   "check its path." % path) from None
    lines = lines[:-1] if lines and lines[-1] == b"" else lines        # the last line's newline
    size = ctx.attrs["vocab_size"]
    if size > len(lines):
        raise errors.InvalidArgumentError(None, ctx.op, "Invalid vocab_size in %s: expected %d but got %d\n"
                                          "Fix: the file has %d lines; pass vocabulary_size=%d (or leave it "
                                          "out to count them)." % (path, size, len(lines), len(lines), len(lines)))
    if size >= 0:
        lines = lines[:size]
    keys: list = lines
    if ctx.attrs["key_dtype"].is_integer:
        keys = []
        for i, line in enumerate(lines):
            try:
                keys.append(int(line))
            except ValueError:
                raise errors.InvalidArgumentError(
                    None, ctx.op, "Field %s in line %d is not a valid int64.\nFix: an integer vocabulary file "
                    "holds one integer per line; use dtype=tf.string for words."
                    % (line.decode("utf-8", "replace"), i)) from None
    data: dict = {}
    for i, k in enumerate(keys):
        old = data.setdefault(k, i)
        if old != i:
            raise errors.FailedPreconditionError(
                None, ctx.op, "HashTable has different value for same key. Key %s has %d and trying to add value %d"
                "\nFix: each line of the vocabulary file must be different." % (
                    k.decode("utf-8", "replace") if isinstance(k, bytes) else k, old, i))
    ctx.session.undo_if_run_fails(table.refill, table.data)
    table.data = data
    return ()


NoGradient("InitializeTableFromTextFileV2")


def index_table_from_file(vocabulary_file: Any = None, num_oov_buckets: int = 0, vocab_size: "int | None" = None,
                          default_value: int = -1, hasher_spec: Any = None, key_dtype: Any = dtypes.string,
                          name: "str | None" = None):
    """Line i of ``vocabulary_file`` -> id i, read when ``tf.tables_initializer()`` runs; other keys
    as in ``index_table_from_tensor`` (``default_value``, or ``num_oov_buckets`` ids after the file's)."""
    if vocabulary_file is None or (isinstance(vocabulary_file, str) and not vocabulary_file):
        raise ValueError("vocabulary_file must be specified and must not be empty.")
    if num_oov_buckets < 0:
        raise ValueError("num_oov_buckets must be greater or equal than 0, got %d." % num_oov_buckets)
    if vocab_size is not None and vocab_size < 1:
        raise ValueError("vocab_size must be greater than 0, got %d." % vocab_size)
    key_dtype = dtypes.as_dtype(key_dtype).base_dtype
    if not (key_dtype.is_integer or key_dtype is dtypes.string):
        raise TypeError("Only integer and string keys are supported.")
    with name_scope(name, "string_to_index"):
        with name_scope(None, "hash_table"):
            path = convert_to_tensor(vocabulary_file, dtype=dtypes.string, name="asset_path")
            init = TextFileIdTableInitializer(path, dtypes.int64 if key_dtype.is_integer else key_dtype,
                                              vocab_size, name="table_init")
            table = HashTable(init, default_value)
        if num_oov_buckets:
            table = IdTableWithHashBuckets(table, num_oov_buckets, hasher_spec)
        return table


def tables_initializer(name: str = "init_all_tables") -> Operation:
    """One op that fills every lookup table of the graph (a group of TABLE_INITIALIZERS).

    ``sess.run(tf.tables_initializer())`` returns None. With no tables it is a ``NoOp``.
    """
    initializers = get_collection(GraphKeys.TABLE_INITIALIZERS)
    if initializers:
        return control_flow_ops.group(*initializers, name=name)
    return control_flow_ops.no_op(name=name)

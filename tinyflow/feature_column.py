"""``tf.feature_column``: how raw features become the numbers a model reads.

Raw data often arrives as a dict of columns: numbers, words, ids. A *feature column* says
how to turn one of them into numbers, and ``input_layer`` applies a list of columns to a
features dict and joins the results into one float32 tensor ``[batch, total width]``::

    features = {'sales': [[5], [10], [8], [9]],
                'department': ['sports', 'sports', 'gardening', 'gardening']}
    department_column = tf.feature_column.categorical_column_with_vocabulary_list(
        'department', ['sports', 'gardening'])
    department_column = tf.feature_column.indicator_column(department_column)
    columns = [tf.feature_column.numeric_column('sales'), department_column]
    inputs = tf.feature_column.input_layer(features, columns)
    # Tensor("input_layer/concat:0", shape=(4, 3), dtype=float32)
    # value [[1, 0, 5], [1, 0, 10], [0, 1, 8], [0, 1, 9]]: the columns are sorted by name,
    # so 'department_indicator' comes before 'sales'.

Two kinds of columns:

* **dense** columns give numbers: ``numeric_column``, ``bucketized_column`` (one-hot of the
  bucket), ``indicator_column`` (multi-hot of ids) and ``embedding_column`` (a trainable
  vector per id, averaged);
* **categorical** columns give *ids* in ``[0, num_buckets)``:
  ``categorical_column_with_vocabulary_list``, ``..._with_vocabulary_file``, ``..._with_identity``,
  ``..._with_hash_bucket`` (and ``bucketized_column``); ``weighted_categorical_column`` gives
  each id of another categorical column a weight. ``input_layer`` only takes dense columns, so
  wrap a categorical column in ``indicator_column`` or ``embedding_column``.

A vocabulary column (a list, or a file read when the table is initialized) looks words up in a
table (``lookup_ops.py``). Tables are state, like
variables, so run ``tf.tables_initializer()`` too (and ``tf.global_variables_initializer()``
for embedding weights).

How tinyflow differs inside: TensorFlow passes ids around as ``SparseTensor``s. tinyflow keeps
them dense, as an int64 tensor ``[batch, values per example]`` in which a negative id means "no
value" (a missing input: ``''`` for strings, ``-1`` for ints, as in TF1, or an unknown word with
``default_value=-1``). Indicator and embedding columns skip negative ids, as TF1 does.
"""
from __future__ import annotations

import collections
import collections.abc
import difflib
import math
from typing import Any, Sequence

import numpy as np

from .not_provided import module_getattr
from . import dtypes, errors, gfile
from .framework import GraphKeys, Tensor, convert_to_tensor, get_collection, name_scope
from .init_ops import truncated_normal_initializer
from .ops.nn_impl import embedding_lookup
from .op_registry import NoGradient, primitive
from .ops import lookup_ops
from .ops.array_ops import expand_dims, reshape, shape
from .ops.comparison_ops import greater, greater_equal, logical_and, logical_or, not_equal
from .ops.concat_ops import concat, stack
from .ops.constant_op import constant
from .ops.creation_ops import zeros_like
from .ops.gather_ops import one_hot, where
from .ops.math_ops import add, maximum, multiply, truediv
from .ops.reduction_ops import reduce_sum
from .ops.unary_ops import cast, sqrt
from .tensor_shape import TensorShape
from .variable_scope import get_variable, get_variable_scope, variable_scope

__all__ = [
    "numeric_column", "categorical_column_with_vocabulary_list", "categorical_column_with_identity",
    "categorical_column_with_hash_bucket", "categorical_column_with_vocabulary_file", "weighted_categorical_column",
    "bucketized_column", "indicator_column", "embedding_column", "input_layer",
]


class FeatureKeyError(KeyError, ValueError):
    """A column's key is missing from the features dict.

    A ``KeyError`` (a key is missing) that is also a ``ValueError``, which is what TF1 raises,
    so ``except KeyError`` and ``except ValueError`` both catch it.
    """

    def __str__(self) -> str:      # KeyError would print the message in quotes
        return str(self.args[0])


# --------------------------------------------------------------------------------------------
# Base classes: what every column can do
# --------------------------------------------------------------------------------------------
class _FeatureColumn:
    """A column has a ``name`` (its place in the sorted output) and turns features into a tensor.

    ``_transform_feature(inputs)`` builds the column's ops once per ``input_layer`` call;
    ``inputs`` is the :class:`_LazyBuilder`, which caches them (see ``inputs.get``).
    """

    __slots__ = ()

    @property
    def name(self) -> str:
        raise NotImplementedError

    @property
    def _var_scope_name(self) -> str:
        return self.name

    def _transform_feature(self, inputs: "_LazyBuilder") -> Tensor:
        raise NotImplementedError


class _DenseColumn(_FeatureColumn):
    """A column that gives numbers: ``variable_shape`` values per example."""

    __slots__ = ()

    @property
    def variable_shape(self) -> TensorShape:
        raise NotImplementedError

    _variable_shape = property(lambda self: self.variable_shape)

    def _get_dense_tensor(self, inputs: "_LazyBuilder", weight_collections: Any = None,
                          trainable: Any = None) -> Tensor:
        return inputs.get(self)


class _CategoricalColumn(_FeatureColumn):
    """A column that gives ids in ``[0, num_buckets)`` (negative ids mean "no value")."""

    __slots__ = ()

    @property
    def num_buckets(self) -> int:
        raise NotImplementedError

    _num_buckets = property(lambda self: self.num_buckets)

    def _get_ids(self, inputs: "_LazyBuilder") -> Tensor:
        """The ids as an int64 tensor ``[batch, values per example]``."""
        return inputs.get(self)

    def _get_weights(self, inputs: "_LazyBuilder") -> "Tensor | None":
        """A float32 weight per id (same shape as the ids), or None: every id counts once."""
        return None


# --------------------------------------------------------------------------------------------
# Dense columns
# --------------------------------------------------------------------------------------------
class NumericColumn(_DenseColumn, collections.namedtuple(
        "NumericColumn", ("key", "shape", "default_value", "dtype", "normalizer_fn"))):
    """A number (or a fixed-shape block of numbers) per example, as float32."""

    __slots__ = ()

    name = property(lambda self: self.key)
    variable_shape = property(lambda self: TensorShape(self.shape))

    def _transform_feature(self, inputs):
        x = inputs.get(self.key)
        if not (x.dtype.is_integer or x.dtype.is_floating):
            raise ValueError(
                "numeric_column '%s' needs numbers, but features['%s'] has dtype %s.\n"
                "Fix: feed numbers for this feature, or describe it with a categorical column "
                "(e.g. categorical_column_with_vocabulary_list) wrapped in indicator_column."
                % (self.key, self.key, x.dtype.base_dtype.name))
        if self.normalizer_fn is not None:        # TF applies it before the cast
            x = self.normalizer_fn(x)
        return cast(x, dtypes.float32)


def numeric_column(key: str, shape: Any = (1,), default_value: Any = None, dtype: Any = dtypes.float32,
                   normalizer_fn: Any = None) -> NumericColumn:
    """A real-valued feature: ``features[key]`` cast to float32, then ``normalizer_fn`` if given.

    ``shape`` is the shape of one example's value (``(1,)``: one number).
    """
    shape = _check_shape(shape, key)
    dtype = dtypes.as_dtype(dtype)
    if not (dtype.is_integer or dtype.is_floating):
        raise ValueError("dtype must be convertible to float. dtype: {}, key: {}".format(dtype, key))
    default_value = _check_default_value(shape, default_value, dtype, key)
    if normalizer_fn is not None and not callable(normalizer_fn):
        raise TypeError("normalizer_fn must be a callable. Given: {}".format(normalizer_fn))
    _assert_key_is_string(key)
    return NumericColumn(key, shape, default_value, dtype, normalizer_fn)


class BucketizedColumn(_DenseColumn, _CategoricalColumn, collections.namedtuple(
        "BucketizedColumn", ("source_column", "boundaries"))):
    """Which interval of ``boundaries`` a number falls in, as a one-hot vector (or as an id).

    ``boundaries=[18., 30., 50.]`` gives 4 buckets: ``(-inf, 18)``, ``[18, 30)``, ``[30, 50)``,
    ``[50, inf)``.
    """

    __slots__ = ()

    name = property(lambda self: self.source_column.name + "_bucketized")
    variable_shape = property(lambda self: TensorShape(tuple(self.source_column.shape)
                                                       + (len(self.boundaries) + 1,)))
    num_buckets = property(lambda self: (len(self.boundaries) + 1) * self.source_column.shape[0])

    def _transform_feature(self, inputs):
        """The bucket index of every value (int32, same shape as the source)."""
        return bucketize(inputs.get(self.source_column), self.boundaries)

    def _get_dense_tensor(self, inputs, weight_collections=None, trainable=None):
        buckets = cast(inputs.get(self), dtypes.int64)
        return one_hot(buckets, depth=len(self.boundaries) + 1, on_value=1., off_value=0.)

    def _get_ids(self, inputs):
        """Value i of an example uses ids ``[i * (len(boundaries) + 1), (i + 1) * (...))``."""
        buckets = cast(inputs.get(self), dtypes.int64)
        per_value = len(self.boundaries) + 1
        offsets = np.arange(self.source_column.shape[0], dtype=np.int64) * per_value
        return add(buckets, offsets)


def bucketized_column(source_column: NumericColumn, boundaries: Sequence[float]) -> BucketizedColumn:
    """Splits a numeric column into ranges: ``boundaries=[18., 30.]`` -> buckets <18, 18-30, >=30."""
    if not isinstance(source_column, NumericColumn):
        raise ValueError("source_column must be a column generated with numeric_column(). "
                         "Given: {}".format(source_column))
    if len(source_column.shape) > 1:
        raise ValueError("source_column must be one-dimensional column. Given: {}".format(source_column))
    if not boundaries:
        raise ValueError("boundaries must not be empty.")
    if not isinstance(boundaries, (list, tuple)):
        raise ValueError("boundaries must be a sorted list.")
    for i in range(len(boundaries) - 1):
        if boundaries[i] >= boundaries[i + 1]:
            raise ValueError("boundaries must be a sorted list.")
    return BucketizedColumn(source_column, tuple(boundaries))


def bucketize(x: Tensor, boundaries: Sequence[float], name: str = "Bucketize") -> Tensor:
    """The index of the bucket each value falls in (``Bucketize`` op; int32)."""
    return x.graph.create_op("Bucketize", [x], [dtypes.int32], name=name,
                             attrs={"boundaries": [float(b) for b in boundaries]},
                             shapes=[x.shape]).outputs[0]


@primitive("Bucketize")
def _bucketize_kernel(ctx, x):
    """A value equal to a boundary goes to the bucket on its right (``[18, 30)`` holds 18)."""
    return np.searchsorted(ctx.attrs["boundaries"], np.asarray(x), side="right").astype(np.int32)


NoGradient("Bucketize")


class IndicatorColumn(_DenseColumn, collections.namedtuple("IndicatorColumn", ("categorical_column",))):
    """A multi-hot vector of a categorical column's ids: position ``id`` counts that id."""

    __slots__ = ()

    name = property(lambda self: self.categorical_column.name + "_indicator")
    variable_shape = property(lambda self: TensorShape([1, self.categorical_column.num_buckets]))

    def _transform_feature(self, inputs):
        """``one_hot`` of every id (a negative id gives zeros), summed over each example's ids.

        With a weighted column, position ``id`` holds the sum of that id's weights instead.
        """
        ids = _as_matrix(self.categorical_column._get_ids(inputs))
        hot = one_hot(ids, depth=self.categorical_column.num_buckets, on_value=1.0, off_value=0.0)
        weights = self.categorical_column._get_weights(inputs)
        if weights is not None:
            hot = multiply(hot, expand_dims(_as_matrix(weights), -1))
        return reduce_sum(hot, axis=[-2])


def indicator_column(categorical_column: _CategoricalColumn) -> IndicatorColumn:
    """Represents a categorical column as a multi-hot vector of width ``num_buckets``.

    ``['sports']`` with vocabulary ``['sports', 'gardening']`` gives ``[1., 0.]``; an example with
    two values ``['sports', 'sports']`` gives ``[2., 0.]``.
    """
    _check_categorical(categorical_column, "indicator_column")
    return IndicatorColumn(categorical_column)


class EmbeddingColumn(_DenseColumn, collections.namedtuple("EmbeddingColumn", (
        "categorical_column", "dimension", "combiner", "initializer", "ckpt_to_load_from",
        "tensor_name_in_ckpt", "max_norm", "trainable", "use_safe_embedding_lookup"))):
    """A trainable vector of ``dimension`` numbers per id; an example's vectors are combined."""

    __slots__ = ()

    name = property(lambda self: self.categorical_column.name + "_embedding")
    variable_shape = property(lambda self: TensorShape([self.dimension]))

    def _get_dense_tensor(self, inputs, weight_collections=None, trainable=None):
        """Looks up the rows of the ``embedding_weights`` variable ``[num_buckets, dimension]``."""
        ids = self.categorical_column._get_ids(inputs)
        weights = get_variable("embedding_weights",
                               shape=(self.categorical_column.num_buckets, self.dimension),
                               dtype=dtypes.float32, initializer=self.initializer,
                               trainable=self.trainable and trainable is not False,
                               collections=weight_collections)
        return _combine_embeddings(weights, ids, self.combiner, self.max_norm, "%s_weights" % self.name,
                                   self.categorical_column._get_weights(inputs))


def embedding_column(categorical_column: _CategoricalColumn, dimension: int, combiner: str = "mean",
                     initializer: Any = None, ckpt_to_load_from: Any = None, tensor_name_in_ckpt: Any = None,
                     max_norm: Any = None, trainable: bool = True,
                     use_safe_embedding_lookup: bool = True) -> EmbeddingColumn:
    """Represents each id by a learned vector of ``dimension`` numbers.

    The vectors are the rows of a variable ``<scope>/<name>_embedding/embedding_weights``
    (``[num_buckets, dimension]``, initialized from a truncated normal with stddev
    ``1/sqrt(dimension)``). An example with several ids gets their ``combiner``: ``'mean'``,
    ``'sum'`` or ``'sqrtn'`` (sum / sqrt(count)); one with no ids gets zeros.
    """
    _check_categorical(categorical_column, "embedding_column")
    if dimension is None or dimension < 1:
        raise ValueError("Invalid dimension {}.".format(dimension))
    if (ckpt_to_load_from is None) != (tensor_name_in_ckpt is None):
        raise ValueError("Must specify both `ckpt_to_load_from` and `tensor_name_in_ckpt` or none of them.")
    if ckpt_to_load_from is not None:
        raise NotImplementedError("tinyflow's embedding_column cannot load a checkpoint (ckpt_to_load_from).")
    if initializer is not None and not callable(initializer):
        raise ValueError("initializer must be callable if specified. Embedding of column_name: {}"
                         .format(categorical_column.name))
    if combiner not in ("mean", "sqrtn", "sum"):
        raise ValueError("combiner must be one of 'mean', 'sqrtn' or 'sum'. Given: {}".format(combiner))
    if initializer is None:
        initializer = truncated_normal_initializer(mean=0.0, stddev=1 / math.sqrt(dimension))
    return EmbeddingColumn(categorical_column, dimension, combiner, initializer, ckpt_to_load_from,
                           tensor_name_in_ckpt, max_norm, trainable, use_safe_embedding_lookup)


def _combine_embeddings(weights: Any, ids: Tensor, combiner: str, max_norm: Any, name: str,
                        id_weights: "Tensor | None" = None) -> Tensor:
    """For each example: the ``combiner`` of the embedding rows of its valid (>= 0) ids.

    With ``valid`` a 0/1 mask over an example's ids:
    sum = sum_j valid_j * W[id_j];  mean = sum / max(count, 1);  sqrtn = sum / sqrt(max(count, 1)).
    Invalid ids look up row 0 and are then multiplied by 0, so they add nothing (and get no
    gradient).

    With ``id_weights`` w (a weighted column), as TF's safe embedding lookup: for 'mean' and 'sqrtn'
    ids with w <= 0 are dropped; sum = sum_j valid_j * w_j * W[id_j], mean = sum / sum_j valid_j * w_j,
    sqrtn = sum / sqrt(sum_j valid_j * w_j ** 2); an example with no valid id gets zeros.
    """
    with name_scope(name):
        ids = _as_matrix(ids)
        valid = greater_equal(ids, np.int64(0))
        if id_weights is not None:
            id_weights = _as_matrix(id_weights)
            if combiner != "sum":                    # TF prunes weights <= 0 for 'mean' and 'sqrtn' only
                valid = logical_and(valid, greater(id_weights, 0.0))
        safe_ids = where(valid, ids, zeros_like(ids))
        rows = embedding_lookup(weights, safe_ids, max_norm=max_norm)          # [batch, n, dimension]
        mask = expand_dims(cast(valid, dtypes.float32), -1)                    # [batch, n, 1]
        if id_weights is None:
            scale = mask
        else:
            scale = multiply(mask, expand_dims(id_weights, -1))                # [batch, n, 1]
        total = reduce_sum(multiply(rows, scale), axis=1)                      # [batch, dimension]
        if combiner == "sum":
            return total
        if id_weights is None:
            count = maximum(reduce_sum(mask, axis=1), 1.0)                     # [batch, 1]
            return truediv(total, count if combiner == "mean" else sqrt(count))
        norm = reduce_sum(scale if combiner == "mean" else multiply(scale, scale), axis=1)
        norm = where(greater(norm, 0.0), norm, zeros_like(norm) + 1.0)         # empty rows: 0 / 1
        return truediv(total, norm if combiner == "mean" else sqrt(norm))


# --------------------------------------------------------------------------------------------
# Categorical columns
# --------------------------------------------------------------------------------------------
class VocabularyListCategoricalColumn(_CategoricalColumn, collections.namedtuple(
        "VocabularyListCategoricalColumn",
        ("key", "vocabulary_list", "dtype", "default_value", "num_oov_buckets"))):
    """The position of each value in ``vocabulary_list`` (via a lookup table)."""

    __slots__ = ()

    name = property(lambda self: self.key)
    num_buckets = property(lambda self: len(self.vocabulary_list) + self.num_oov_buckets)

    def _transform_feature(self, inputs):
        return _vocabulary_ids(self, inputs, lambda key_dtype: lookup_ops.index_table_from_tensor(
            vocabulary_list=tuple(self.vocabulary_list), num_oov_buckets=self.num_oov_buckets,
            default_value=self.default_value, dtype=key_dtype, name="{}_lookup".format(self.key)))


def _vocabulary_ids(column: Any, inputs: "_LazyBuilder", make_table: Any) -> Tensor:
    """The ids of a vocabulary column: ``make_table(key_dtype)``'s lookup of the present values."""
    raw = inputs.get(column.key)
    if column.dtype.is_integer != raw.dtype.is_integer:
        raise ValueError(
            "Column dtype and SparseTensors dtype must be compatible. key: {}, column dtype: {}, "
            "tensor dtype: {}\nFix: the vocabulary of column '{}' holds {} values but "
            "features['{}'] is {}. Write the vocabulary with the same type as the data ({}), "
            "or convert the feature.".format(
                column.key, column.dtype, raw.dtype.base_dtype, column.key, column.dtype.name, column.key,
                raw.dtype.base_dtype.name,
                "integers, e.g. [1, 2]" if raw.dtype.is_integer else "strings, e.g. ['a', 'b']"))
    _assert_string_or_int(raw.dtype, "column_name: {} input_tensor".format(column.key))
    present = _present(raw)
    key_dtype = column.dtype
    if raw.dtype.is_integer:                       # integer tables use int64 keys
        key_dtype = dtypes.int64
        raw = cast(raw, dtypes.int64)
    return _only_present(present, make_table(key_dtype).lookup(raw))


def categorical_column_with_vocabulary_list(key: str, vocabulary_list: Sequence[Any], dtype: Any = None,
                                            default_value: int = -1,
                                            num_oov_buckets: int = 0) -> VocabularyListCategoricalColumn:
    """Ids from a list of known values: ``['sports', 'gardening']`` gives sports -> 0, gardening -> 1.

    An unknown value gets ``default_value`` (-1: no id, so an all-zero indicator row), or, with
    ``num_oov_buckets`` = k > 0, one of k extra ids after the vocabulary (chosen by a hash).
    """
    if isinstance(vocabulary_list, (set, frozenset)):
        raise TypeError("vocabulary_list must be in a fixed order, not a set {!r}, column_name: {}\nFix: the "
                        "position of a value is its id; give a list, e.g. sorted(values).".format(vocabulary_list, key))
    if isinstance(vocabulary_list, collections.abc.KeysView):
        vocabulary_list = tuple(vocabulary_list)          # the keys of a dict, in its order
    if vocabulary_list is not None and not isinstance(vocabulary_list, (list, tuple, np.ndarray)):
        raise TypeError("vocabulary_list must be a list or tuple of strings or integers, not {!r} (of type {}), "
                        "column_name: {}\nFix: e.g. ['sports', 'gardening']."
                        .format(vocabulary_list, type(vocabulary_list).__name__, key))
    if vocabulary_list is None or len(vocabulary_list) < 1:
        raise ValueError("vocabulary_list {} must be non-empty, column_name: {}".format(vocabulary_list, key))
    for entry in vocabulary_list:
        if isinstance(entry, (list, tuple, dict, set, np.ndarray)):
            raise TypeError("vocabulary_list entries must be strings or integers, not {!r}, column_name: {}\nFix: "
                            "one value per entry, e.g. ['sports', 'gardening'].".format(entry, key))
    if len(set(vocabulary_list)) != len(vocabulary_list):
        raise ValueError("Duplicate keys in vocabulary_list {}, column_name: {}".format(vocabulary_list, key))
    if len({type(entry) for entry in vocabulary_list if isinstance(entry, (str, bytes))}) > 1:
        raise TypeError("vocabulary_list mixes str and bytes entries: {!r}, column_name: {}\nFix: make them all "
                        "str (or all bytes).".format(vocabulary_list, key))
    vocabulary_dtype = dtypes.as_dtype(np.array(vocabulary_list).dtype)
    if num_oov_buckets:
        if default_value != -1:
            raise ValueError("Can't specify both num_oov_buckets and default_value in {}.".format(key))
        if num_oov_buckets < 0:
            raise ValueError("Invalid num_oov_buckets {} in {}.".format(num_oov_buckets, key))
    _assert_string_or_int(vocabulary_dtype, "column_name: {} vocabulary".format(key))
    if dtype is None:
        dtype = vocabulary_dtype
    else:
        dtype = dtypes.as_dtype(dtype)
        if dtype.is_integer != vocabulary_dtype.is_integer:
            raise ValueError("dtype {} and vocabulary dtype {} do not match, column_name: {}"
                             .format(dtype, vocabulary_dtype, key))
    _assert_string_or_int(dtype, "column_name: {}".format(key))
    _assert_key_is_string(key)
    return VocabularyListCategoricalColumn(key, tuple(vocabulary_list), dtype, default_value, num_oov_buckets)


class VocabularyFileCategoricalColumn(_CategoricalColumn, collections.namedtuple(
        "VocabularyFileCategoricalColumn",
        ("key", "vocabulary_file", "vocabulary_size", "num_oov_buckets", "dtype", "default_value",
         "file_format"))):
    """The line number of each value in ``vocabulary_file`` (via a lookup table read from the file)."""

    __slots__ = ()

    name = property(lambda self: self.key)
    num_buckets = property(lambda self: self.vocabulary_size + self.num_oov_buckets)

    def _transform_feature(self, inputs):
        return _vocabulary_ids(self, inputs, lambda key_dtype: lookup_ops.index_table_from_file(
            vocabulary_file=self.vocabulary_file, num_oov_buckets=self.num_oov_buckets,
            vocab_size=self.vocabulary_size, default_value=self.default_value, key_dtype=key_dtype,
            name="{}_lookup".format(self.key)))


def categorical_column_with_vocabulary_file(key: str, vocabulary_file: str, vocabulary_size: "int | None" = None,
                                            num_oov_buckets: int = 0, default_value: "int | None" = None,
                                            dtype: Any = dtypes.string) -> VocabularyFileCategoricalColumn:
    """Ids from a vocabulary file, one value per line: the value on line i (from 0) gets id i.

    ``vocabulary_size`` (default: the number of lines, counted now) uses the first lines only.
    The table is read from the file when ``tf.tables_initializer()`` runs. An unknown value gets
    ``default_value`` (-1: no id), or one of ``num_oov_buckets`` ids after the vocabulary.
    """
    if not vocabulary_file:
        raise ValueError("Missing vocabulary_file in {}.".format(key))
    if vocabulary_size is None:
        if not gfile.Exists(vocabulary_file):
            raise ValueError("vocabulary_file in {} does not exist.\nFix: check the path {!r} (it is read "
                             "relative to the current directory), or write the file first."
                             .format(key, vocabulary_file))
        with gfile.GFile(vocabulary_file, "rb") as f:
            vocabulary_size = sum(1 for _ in f)
    if vocabulary_size < 1:
        raise ValueError("Invalid vocabulary_size in {}.".format(key))
    if num_oov_buckets:
        if default_value is not None:
            raise ValueError("Can't specify both num_oov_buckets and default_value in {}.".format(key))
        if num_oov_buckets < 0:
            raise ValueError("Invalid num_oov_buckets {} in {}.".format(num_oov_buckets, key))
    dtype = dtypes.as_dtype(dtype)
    _assert_string_or_int(dtype, "column_name: {}".format(key))
    _assert_key_is_string(key)
    return VocabularyFileCategoricalColumn(key, vocabulary_file, vocabulary_size, num_oov_buckets, dtype,
                                           -1 if default_value is None else default_value, None)


class IdentityCategoricalColumn(_CategoricalColumn, collections.namedtuple(
        "IdentityCategoricalColumn", ("key", "number_buckets", "default_value"))):
    """The integer value itself is the id (values must be in ``[0, number_buckets)``)."""

    __slots__ = ()

    name = property(lambda self: self.key)
    num_buckets = property(lambda self: self.number_buckets)

    def _transform_feature(self, inputs):
        raw = inputs.get(self.key)
        if not raw.dtype.is_integer:
            raise ValueError("Invalid input, not integer. key: {} dtype: {}\nFix: an identity column "
                             "reads integer ids; feed ints, or use categorical_column_with_vocabulary_list "
                             "for words.".format(self.key, raw.dtype.base_dtype))
        present = _present(raw)
        values = cast(raw, dtypes.int64, name="values")
        n = self.number_buckets
        if self.default_value is None:               # out of range: an error when it runs
            values = values.graph.create_op("IdentityColumnCheck", [values], [dtypes.int64],
                                            name="assert_in_range", shapes=[values.shape],
                                            attrs={"num_buckets": n, "key": self.key}).outputs[0]
        else:                                        # out of range: default_value
            out_of_range = logical_or(values < 0, values >= n, name="out_of_range")
            values = where(out_of_range, zeros_like(values) + self.default_value, values)
        return _only_present(present, values)


@primitive("IdentityColumnCheck")
def _identity_column_check_kernel(ctx, values):
    """Passes the ids through after checking ``0 <= id < num_buckets`` (-1, missing, is allowed)."""
    values = np.asarray(values)
    n = ctx.attrs["num_buckets"]
    bad = values[(values != -1) & ((values < 0) | (values >= n))]
    if bad.size:
        condition = "x < y" if bad[0] >= n else "x >= 0"
        raise errors.InvalidArgumentError(None, ctx.op, (
            "assertion failed: [Condition %s did not hold element-wise:] [x (%s) = ] [%s] [y = ] [%d]\n"
            "Fix: categorical_column_with_identity('%s', num_buckets=%d) takes ids 0..%d (and -1 for a "
            "missing value) but got %d. Make num_buckets larger, or pass default_value=... to give "
            "out-of-range values that id." % (condition, ctx.op.inputs[0].name,
                                               " ".join(str(v) for v in values.ravel()[:3]),
                                               n if bad[0] >= n else 0, ctx.attrs["key"], n, n - 1,
                                               bad[0])))
    return values


NoGradient("IdentityColumnCheck")


def categorical_column_with_identity(key: str, num_buckets: int,
                                     default_value: "int | None" = None) -> IdentityCategoricalColumn:
    """Integer features used directly as ids, e.g. a day of the week 0..6 (``num_buckets=7``)."""
    if num_buckets < 1:
        raise ValueError("num_buckets {} < 1, column_name {}".format(num_buckets, key))
    if default_value is not None and (default_value < 0 or default_value >= num_buckets):
        raise ValueError("default_value {} not in range [0, {}), column_name {}"
                         .format(default_value, num_buckets, key))
    _assert_key_is_string(key)
    return IdentityCategoricalColumn(key, num_buckets, default_value)


class HashedCategoricalColumn(_CategoricalColumn, collections.namedtuple(
        "HashedCategoricalColumn", ("key", "hash_bucket_size", "dtype"))):
    """Ids from a hash of the value: ``stable_hash(value) % hash_bucket_size``."""

    __slots__ = ()

    name = property(lambda self: self.key)
    num_buckets = property(lambda self: self.hash_bucket_size)

    def _transform_feature(self, inputs):
        raw = inputs.get(self.key)
        _assert_string_or_int(raw.dtype, "column_name: {} input_tensor".format(self.key))
        if self.dtype.is_integer != raw.dtype.is_integer:
            raise ValueError("Column dtype and SparseTensors dtype must be compatible. key: {}, column dtype: "
                             "{}, tensor dtype: {}\nFix: pass dtype=tf.{} to "
                             "categorical_column_with_hash_bucket('{}', ...), or convert the feature."
                             .format(self.key, self.dtype, raw.dtype.base_dtype,
                                     "int64" if raw.dtype.is_integer else "string", self.key))
        present = _present(raw)
        strings = raw if raw.dtype.base_dtype is dtypes.string else lookup_ops.as_string(raw)
        ids = lookup_ops.string_to_hash_bucket_fast(strings, self.hash_bucket_size, name="lookup")
        return _only_present(present, ids)


def categorical_column_with_hash_bucket(key: str, hash_bucket_size: int,
                                        dtype: Any = dtypes.string) -> HashedCategoricalColumn:
    """Ids from hashing the values into ``hash_bucket_size`` buckets (no vocabulary needed;
    different values may share a bucket)."""
    if hash_bucket_size is None:
        raise ValueError("hash_bucket_size must be set. key: {}".format(key))
    if hash_bucket_size < 1:
        raise ValueError("hash_bucket_size must be at least 1. hash_bucket_size: {}, key: {}"
                         .format(hash_bucket_size, key))
    _assert_key_is_string(key)
    dtype = dtypes.as_dtype(dtype)
    _assert_string_or_int(dtype, "column_name: {}".format(key))
    return HashedCategoricalColumn(key, hash_bucket_size, dtype)


class WeightedCategoricalColumn(_CategoricalColumn, collections.namedtuple(
        "WeightedCategoricalColumn", ("categorical_column", "weight_feature_key", "dtype"))):
    """A categorical column whose every id carries a weight, read from ``features[weight_feature_key]``.

    The weights have the shape of the ids (one weight per value). An ``indicator_column`` of it
    sums the weights of each id; an ``embedding_column`` of it weighs the id's vectors.
    """

    __slots__ = ()

    name = property(lambda self: "{}_weighted_by_{}".format(self.categorical_column.name, self.weight_feature_key))
    num_buckets = property(lambda self: self.categorical_column.num_buckets)

    def _transform_feature(self, inputs):
        """The weights as float32, checked (when the graph runs) to have the ids' shape."""
        weights = inputs.get(self.weight_feature_key)
        if weights.dtype.base_dtype is not self.dtype:
            raise ValueError("Bad dtype, expected {}, but got {}.\nFix: feed features['{}'] as {} (e.g. "
                             "[[1.0, 0.5]]), or pass dtype=tf.{} to weighted_categorical_column."
                             .format(self.dtype, weights.dtype.base_dtype, self.weight_feature_key,
                                     self.dtype.name, weights.dtype.base_dtype.name))
        ids = self.categorical_column._get_ids(inputs)
        weights = cast(weights, dtypes.float32)
        return ids.graph.create_op("WeightedColumnCheck", [ids, weights], [dtypes.float32],
                                   name="weights", shapes=[ids.shape],
                                   attrs={"key": self.weight_feature_key,
                                          "ids_key": self.categorical_column.name}).outputs[0]

    def _get_ids(self, inputs):
        return self.categorical_column._get_ids(inputs)

    def _get_weights(self, inputs):
        return inputs.get(self)


@primitive("WeightedColumnCheck")
def _weighted_column_check_kernel(ctx, ids, weights):
    """Passes the weights through after checking they have the shape of the ids."""
    ids, weights = np.asarray(ids), np.asarray(weights)
    if ids.shape != weights.shape:
        raise errors.InvalidArgumentError(None, ctx.op, (
            "Number of elements in indices (%d) and values (%d) do not match\n"
            "Fix: features['%s'] needs one weight per value of column '%s': shape %s, but it has "
            "shape %s." % (ids.size, weights.size, ctx.attrs["key"], ctx.attrs["ids_key"],
                           list(ids.shape), list(weights.shape))))
    return weights


NoGradient("WeightedColumnCheck")


def weighted_categorical_column(categorical_column: _CategoricalColumn, weight_feature_key: str,
                                dtype: Any = dtypes.float32) -> WeightedCategoricalColumn:
    """Gives each id of ``categorical_column`` a weight from ``features[weight_feature_key]``.

    E.g. words with their counts: ``{'word': [['a', 'b']], 'freq': [[2.0, 1.0]]}``; an
    ``indicator_column`` of the weighted column gives ``[2., 1., ...]``.
    """
    dtype = None if dtype is None else dtypes.as_dtype(dtype)
    if dtype is None or not (dtype.is_integer or dtype.is_floating):
        raise ValueError("dtype {} is not convertible to float.".format(dtype))
    return WeightedCategoricalColumn(categorical_column, weight_feature_key, dtype)


# --------------------------------------------------------------------------------------------
# Missing values and id helpers
# --------------------------------------------------------------------------------------------
def _present(raw: Tensor) -> Tensor:
    """True where a value is present. As in TF1, ``''`` (strings) and ``-1`` (ints) are missing."""
    with name_scope(None, "to_sparse_input"):
        ignore = constant("" if raw.dtype.base_dtype is dtypes.string else -1, dtype=raw.dtype.base_dtype,
                          name="ignore_value")
        return not_equal(raw, ignore)


def _only_present(present: Tensor, ids: Tensor) -> Tensor:
    """The ids, with -1 ("no id") where the value was missing."""
    return where(present, ids, zeros_like(ids) - 1, name="ids")


def _as_matrix(ids: Tensor) -> Tensor:
    """Ids as ``[batch, values per example]`` (higher ranks are flattened per example)."""
    if ids.shape.ndims == 2:
        return ids
    return reshape(ids, stack([shape(ids)[0], -1]))


# --------------------------------------------------------------------------------------------
# input_layer
# --------------------------------------------------------------------------------------------
class _LazyBuilder:
    """Gives each column its input tensor, building every transformation once (TF's name).

    ``get('sales')`` converts ``features['sales']`` to a tensor (rank 1 becomes ``[batch, 1]``);
    ``get(column)`` returns ``column._transform_feature(self)``. Both are cached, so e.g. an
    indicator and an embedding of the same vocabulary column share one lookup.
    """

    def __init__(self, features: dict):
        if not isinstance(features, dict):
            raise ValueError("We expected a dictionary here. Instead we got: %r\n"
                             "Fix: pass the features as a dict {feature name: values}, e.g. "
                             "{'sales': [[5], [10]]} (a dataset iterator's get_next() gives one)." % (features,))
        self._features = features
        self._cache: dict = {}

    def get(self, key: Any) -> Tensor:
        cache_key = key if isinstance(key, str) else (type(key), key)
        if cache_key in self._cache:
            return self._cache[cache_key]
        if isinstance(key, str):
            tensor = self._raw_feature_as_tensor(key)
        elif isinstance(key, _FeatureColumn):
            tensor = key._transform_feature(self)
        else:
            raise TypeError('"key" must be either a "str" or "_FeatureColumn". Provided: {}'.format(key))
        self._cache[cache_key] = tensor
        return tensor

    def _raw_feature_as_tensor(self, key: str) -> Tensor:
        if key not in self._features:
            present = sorted(self._features, key=str)
            close = difflib.get_close_matches(key, [k for k in present if isinstance(k, str)], n=1)
            raise FeatureKeyError(
                "Feature {!r} is not in features dictionary (keys present: {}).{}\n"
                "Fix: each column reads features[<its key>]; add {!r} to the features dict, or build the "
                "column with one of the keys present.".format(
                    key, present, " Did you mean {!r}?".format(close[0]) if close else "", key))
        tensor = convert_to_tensor(self._features[key])
        rank = tensor.shape.ndims
        if rank == 0:
            raise ValueError("Feature (key: {}) cannot have rank 0. Given: {}\nFix: give one value per "
                             "example, e.g. [5, 10] or [[5], [10]].".format(key, tensor))
        if rank == 1:
            return expand_dims(tensor, -1)
        if rank is None:             # unknown rank: [batch] or [batch, ...] -> [batch, rest]
            return reshape(tensor, stack([shape(tensor)[0], -1]))
        return tensor


def input_layer(features: dict, feature_columns: Sequence[_DenseColumn], weight_collections: Any = None,
                trainable: bool = True, cols_to_vars: "dict | None" = None,
                cols_to_output_tensors: "dict | None" = None) -> Tensor:
    """The float32 input of a model: every column's values, side by side ``[batch, width]``.

    The columns are taken **sorted by name** (not in list order). Each column's tensor is
    reshaped to ``[batch, num_elements]`` and the results are concatenated along axis 1, in
    the scope ``input_layer/`` with a sub-scope per column (``input_layer/sales/...``).
    """
    columns = _normalize_feature_columns(feature_columns)
    for column in columns:
        if not isinstance(column, _DenseColumn):
            raise ValueError("Items of feature_columns must be a _DenseColumn. You can wrap a categorical "
                             "column with an embedding_column or indicator_column. Given: {}".format(column))
    weight_collections = list(weight_collections or [])
    for key in (GraphKeys.GLOBAL_VARIABLES, GraphKeys.MODEL_VARIABLES):
        if key not in weight_collections:
            weight_collections.append(key)
    values = list(features.values()) if isinstance(features, dict) else []
    with variable_scope(None, default_name="input_layer", values=values):
        builder = _LazyBuilder(features)
        output_tensors, ordered_columns = [], []
        for column in sorted(columns, key=lambda c: c.name):
            ordered_columns.append(column)
            with variable_scope(None, default_name=column._var_scope_name):
                tensor = column._get_dense_tensor(builder, weight_collections=weight_collections,
                                                  trainable=trainable)
                num_elements = column.variable_shape.num_elements()
                batch_size = shape(tensor)[0]
                output_tensor = reshape(tensor, shape=(batch_size, num_elements))
                output_tensors.append(output_tensor)
                if cols_to_vars is not None:
                    cols_to_vars[column] = get_collection(GraphKeys.GLOBAL_VARIABLES,
                                                          scope=get_variable_scope().name)
                if cols_to_output_tensors is not None:
                    cols_to_output_tensors[column] = output_tensor
        _verify_static_batch_size_equality(output_tensors, ordered_columns)
        return concat(output_tensors, 1)


def _normalize_feature_columns(feature_columns: Any) -> list:
    if isinstance(feature_columns, _FeatureColumn):
        feature_columns = [feature_columns]
    if isinstance(feature_columns, dict):
        raise ValueError("Expected feature_columns to be iterable, found dict.")
    feature_columns = list(feature_columns)
    for column in feature_columns:
        if not isinstance(column, _FeatureColumn):
            raise ValueError("Items of feature_columns must be a _FeatureColumn. Given (type {}): {}."
                             .format(type(column), column))
    if not feature_columns:
        raise ValueError("feature_columns must not be empty.")
    name_to_column: dict = {}
    for column in feature_columns:
        if column.name in name_to_column:
            raise ValueError("Duplicate feature column name found for columns: {} and {}. This usually means "
                             "that these columns refer to same base feature. Either one must be discarded or "
                             "a duplicated but renamed item must be inserted in features dict."
                             .format(column, name_to_column[column.name]))
        name_to_column[column.name] = column
    return feature_columns


def _verify_static_batch_size_equality(tensors: "list[Tensor]", columns: list) -> None:
    expected, expected_index = None, None
    for i, t in enumerate(tensors):
        batch_size = t.shape[0].value if t.shape.ndims else None
        if batch_size is None:
            continue
        if expected is None:
            expected, expected_index = batch_size, i
        elif batch_size != expected:
            raise ValueError("Batch size (first dimension) of each feature must be same. Batch size of columns "
                             "({}, {}): ({}, {})".format(columns[expected_index].name, columns[i].name,
                                                         expected, batch_size))


# --------------------------------------------------------------------------------------------
# Argument checks (TF's messages)
# --------------------------------------------------------------------------------------------
def _check_categorical(column: Any, fn_name: str) -> None:
    if not isinstance(column, _CategoricalColumn):
        raise ValueError("{} needs a categorical column (categorical_column_with_vocabulary_list, "
                         "..._with_vocabulary_file, ..._with_identity, ..._with_hash_bucket, "
                         "weighted_categorical_column or bucketized_column). Given: {}"
                         .format(fn_name, column))


def _assert_key_is_string(key: Any) -> None:
    if not isinstance(key, str):
        raise ValueError("key must be a string. Got: type {}. Given key: {}.".format(type(key), key))


def _assert_string_or_int(dtype: dtypes.DType, prefix: str) -> None:
    if dtype.base_dtype is not dtypes.string and not dtype.is_integer:
        raise ValueError("{} dtype must be string or integer. dtype: {}.".format(prefix, dtype.base_dtype))


def _check_shape(shape: Any, key: str) -> tuple:
    if not isinstance(shape, (list, tuple, np.ndarray)):       # as TF 1.15: one dimension
        shape = [shape]
    shape = tuple(shape)
    for dimension in shape:
        if not isinstance(dimension, int):
            raise TypeError("shape dimensions must be integer. shape: {}, key: {}".format(shape, key))
        if dimension < 1:
            raise ValueError("shape dimensions must be greater than 0. shape: {}, key: {}".format(shape, key))
    return shape


def _check_default_value(shape: tuple, default_value: Any, dtype: dtypes.DType, key: str) -> Any:
    """A scalar default fills the shape; a nested list must have the shape. Returns nested tuples."""
    if default_value is None:
        return None
    if isinstance(default_value, int) or (isinstance(default_value, float) and dtype.is_floating):
        return _as_tuple(np.full(shape, default_value).tolist())
    if callable(getattr(default_value, "tolist", None)):
        default_value = default_value.tolist()
    if isinstance(default_value, (list, tuple)):
        array = np.array(default_value)
        if array.shape != shape:
            raise ValueError("The shape of default_value must be equal to given shape. default_value: {}, "
                             "shape: {}, key: {}".format(default_value, shape, key))
        if array.dtype.kind in "iu" or (array.dtype.kind == "f" and dtype.is_floating):
            return _as_tuple(default_value)
    raise TypeError("default_value must be compatible with dtype. default_value: {}, dtype: {}, key: {}"
                    .format(default_value, dtype, key))


def _as_tuple(value: Any) -> Any:
    return tuple(_as_tuple(v) for v in value) if isinstance(value, (list, tuple)) else value


__getattr__ = module_getattr("tinyflow.feature_column", "feature_column", globals())
"""A TensorFlow name of ``tf.feature_column`` that tinyflow leaves out says so (``not_provided.py``)."""


def __dir__() -> "list[str]":
    """``dir(tf.feature_column)`` lists TensorFlow's names only (``__all__``)."""
    return list(__all__)

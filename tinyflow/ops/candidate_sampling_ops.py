"""Candidate samplers: ``tf.nn.uniform_candidate_sampler``, ``tf.nn.log_uniform_candidate_sampler``,
``tf.nn.fixed_unigram_candidate_sampler`` and ``tf.nn.compute_accidental_hits``, the ingredients
of the sampled losses (``nn_impl``: ``tf.nn.nce_loss``, ``tf.nn.sampled_softmax_loss``).

A sampler draws ``num_sampled`` class ids from ``[0, range_max)`` under a base distribution P and
says how often each id is expected to come up in such a draw (``Q(y|x)`` of TensorFlow's
"Candidate Sampling Algorithms Reference"), for the true classes and for the ids it drew:

* ``unique=False``: the ids are drawn independently (with replacement); expected count
  ``P(k) * num_sampled``;
* ``unique=True``: ids are drawn one at a time and any already drawn is rejected, until
  ``num_sampled`` distinct ids are in. With ``num_tries`` the draws that took, the expected count
  is ``1 - (1 - P(k))**num_tries``, computed as ``-expm1(num_tries * log1p(-P(k)))`` (and
  ``P(k) * num_sampled`` when nothing was rejected, as TensorFlow does).

The base distributions:

* uniform: ``P(k) = 1 / range_max``;
* log-uniform (Zipf): ``P(k) = (log(k + 2) - log(k + 1)) / log(range_max + 1)``, for classes sorted
  by decreasing frequency; drawn as ``floor(exp(u * log(range_max + 1))) - 1`` with u uniform in [0, 1);
* fixed unigram: ``P(k)`` proportional to ``unigrams[k] ** distortion``, after ``num_reserved_ids``
  ids of weight 0.

The samplers are random ops (``random_ops``): new ids on every run, one draw within a run, seeds by
``get_seed``; numpy draws the numbers, so they differ from TensorFlow's. No gradient flows
through them (the sampled losses ``stop_gradient`` their outputs, as TensorFlow does).

TensorFlow's counterparts: ``python/ops/candidate_sampling_ops.py``,
``core/kernels/candidate_sampler_ops.cc``, ``core/kernels/range_sampler.cc``.
"""
from __future__ import annotations

import collections
import numbers
from typing import Any, Callable

import numpy as np

from .. import dtypes, errors
from ..framework import Tensor, convert_to_tensor, name_scope, short_repr
from ..op_def_library import make_op, python_bool, python_int
from ..op_registry import NoGradient, primitive
from ..tensor_shape import ShapeError, TensorShape
from . import random_ops

__all__ = ["uniform_candidate_sampler", "log_uniform_candidate_sampler", "fixed_unigram_candidate_sampler",
           "compute_accidental_hits"]

_INT64_MAX = 2 ** 63 - 1
_MAX_TRIES = 2 ** 31 - 1          # TensorFlow's limit on the draws of one unique sample
_RANK_2_HINT = ("Fix: true_classes (the labels) are class ids of shape [batch_size, num_true]; a vector of ids "
                "becomes one with tf.expand_dims(ids, 1).")


_RESULTS = {t: collections.namedtuple(t, "sampled_candidates true_expected_count sampled_expected_count")
            for t in ("UniformCandidateSampler", "LogUniformCandidateSampler", "FixedUnigramCandidateSampler")}
_RESULTS["ComputeAccidentalHits"] = collections.namedtuple("ComputeAccidentalHits", "indices ids weights")
"""What the ops return, as TensorFlow's wrappers do: a named tuple of the outputs, named after the op."""


# --------------------------------------------------------------------------------------------
# Arguments (checked while building, as TensorFlow's op wrappers do)
# --------------------------------------------------------------------------------------------
def _int_attr(value: Any, arg: str, op_type: str, minimum: "int | None" = None) -> int:
    value = python_int(value, arg, op_type)
    if minimum is not None and value < minimum:
        raise ValueError("Attr '%s' of '%s' Op passed %d less than minimum %d.\nFix: %s must be at least %d."
                         % (arg, op_type, value, minimum, arg, minimum))
    if not -_INT64_MAX - 1 <= value <= _INT64_MAX:
        raise ValueError("Value out of range: %d\nFix: %s must fit in an int64." % (value, arg))
    return value


def _float_attr(value: Any, arg: str) -> float:
    if not isinstance(value, (numbers.Real, np.integer, np.floating)):
        raise TypeError("Expected float for argument '%s' not %s.\nFix: %s is a Python number, e.g. 0.75."
                        % (arg, short_repr(value), arg))
    return float(value)


def _int64_input(value: Any, arg: str, op_type: str) -> Tensor:
    """An int64 input: a Python or numpy value becomes int64, a tensor must be int64 already."""
    t = value if isinstance(value, Tensor) else convert_to_tensor(value, dtype=dtypes.int64, name=arg)
    if t.dtype.base_dtype is not dtypes.int64:
        raise TypeError("Input '%s' of '%s' Op has type %s that does not match expected type of int64.\n"
                        "Fix: class ids are int64 here; convert them first, e.g. tf.cast(%s, tf.int64)."
                        % (arg, op_type, t.dtype.base_dtype.name, arg))
    return t


def _sampler(op_type: str, true_classes: Any, num_true: Any, num_sampled: Any, unique: Any, range_max: Any,
             seed: "int | None", name: "str | None", **attrs: Any) -> tuple:
    """Builds one sampler op: outputs (sampled_candidates int64 [num_sampled], true_expected_count
    float32 [batch_size, num_true], sampled_expected_count float32 [num_sampled])."""
    attrs.update(random_ops.seed_attrs(seed), num_true=_int_attr(num_true, "num_true", op_type, 1),
                 num_sampled=_int_attr(num_sampled, "num_sampled", op_type, 1),
                 unique=python_bool(unique, "unique", op_type),
                 range_max=_int_attr(range_max, "range_max", op_type, 1))
    with name_scope(name, op_type, [true_classes]) as scope:
        true_classes = _int64_input(true_classes, "true_classes", op_type)
        op = make_op(op_type, [true_classes], [dtypes.int64, dtypes.float32, dtypes.float32], scope, attrs=attrs)
        return _RESULTS[op_type](*op.outputs)


def _sampler_rule(op) -> "list[TensorShape]":
    classes = op.inputs[0].shape
    if classes.ndims not in (None, 2):
        raise ShapeError("Shape must be rank 2 but is rank %d" % classes.ndims, _RANK_2_HINT)
    n = TensorShape([op.attrs["num_sampled"]])
    return [n, TensorShape([classes[0].value if classes.ndims else None, op.attrs["num_true"]]), n]


# --------------------------------------------------------------------------------------------
# Drawing and the expected counts (shared by the three sampler kernels)
# --------------------------------------------------------------------------------------------
def _draw_unique(ctx, draw: Callable, n: int, unseen_mass: "Callable | None" = None) -> "tuple[np.ndarray, int]":
    """Draws until ``n`` distinct ids have come up, in batches: the ids in the order they first came
    up, and how many draws that took up to the last of them (TensorFlow's ``num_tries``).

    TensorFlow gives up after 2**31 - 1 draws. ``unseen_mass(picked)``, the probability of an id not
    picked yet, tells early when that is bound to happen (a chance below 1e-9 of a new id in time)."""
    rng = random_ops.op_generator(ctx)
    picked, tries, chunk = np.empty(0, np.int64), 0, max(2 * n, 64)
    while True:
        ids = draw(rng, chunk)
        new = np.flatnonzero(~np.isin(ids, picked))                 # not drawn before this batch
        first = new[np.sort(np.unique(ids[new], return_index=True)[1])]   # each new id's first draw
        need = n - picked.size
        if first.size >= need:
            return np.concatenate([picked, ids[first[:need]]]), tries + int(first[need - 1]) + 1
        picked, tries, chunk = np.concatenate([picked, ids[first]]), tries + chunk, min(2 * chunk, 2 ** 22)
        if tries >= _MAX_TRIES or (unseen_mass is not None and unseen_mass(picked) * (_MAX_TRIES - tries) < 1e-9):
            raise errors.InvalidArgumentError(None, ctx.op, "Could not draw %d distinct ids in %d tries\nFix: with "
                                              "unique=True, ids of weight (almost) 0 (almost) never come up; ask "
                                              "for fewer (num_sampled) or use unique=False." % (n, _MAX_TRIES))


def _expected_count(p: np.ndarray, n: int, tries: int) -> np.ndarray:
    """How often an id of probability ``p`` is expected among the ``n`` ids drawn in ``tries`` draws."""
    p = np.asarray(p, np.float32)
    if tries == n:
        return p * np.float32(n)
    with np.errstate(divide="ignore"):
        return -np.expm1(np.float32(tries) * np.log1p(-p))


def _candidates(ctx, true_classes: Any, draw: Callable, probability: Callable, drawable: int,
                unseen_mass: "Callable | None" = None) -> tuple:
    """The three outputs of a sampler kernel; ``drawable`` is how many ids can come up at all."""
    a = ctx.attrs
    classes, n, range_max = np.asarray(true_classes), a["num_sampled"], a["range_max"]
    if classes.ndim != 2:
        raise errors.InvalidArgumentError(None, ctx.op, "true_classes must be a matrix\n" + _RANK_2_HINT)
    if classes.shape[1] != a["num_true"]:
        raise errors.InvalidArgumentError(None, ctx.op, "true_classes must have num_true columns, expected: %d was: "
                                          "%d\nFix: true_classes has %d columns, so num_true must be %d."
                                          % (classes.shape[1], a["num_true"], classes.shape[1], classes.shape[1]))
    if a["unique"] and n > drawable:
        raise errors.InvalidArgumentError(None, ctx.op, "Sampler's range is too small.\nFix: with unique=True, "
                                          "num_sampled (%d) can be at most the number of ids that can come up (%d); "
                                          "ask for fewer, or use unique=False." % (n, drawable))
    bad = (classes < 0) | (classes >= range_max)
    if bad.any():
        raise errors.InvalidArgumentError(None, ctx.op, "`true_candidate` out of range [0, %d), received %d\nFix: "
                                          "class ids go from 0 to range_max - 1 (range_max is the number of "
                                          "classes)." % (range_max, classes[bad][0]))
    if a["unique"]:
        sampled, tries = _draw_unique(ctx, draw, n, unseen_mass)
    else:
        sampled, tries = draw(random_ops.op_generator(ctx), n), n
    return (sampled.astype(np.int64), _expected_count(probability(classes), n, tries),
            _expected_count(probability(sampled), n, tries))


# --------------------------------------------------------------------------------------------
# Uniform and log-uniform
# --------------------------------------------------------------------------------------------
def uniform_candidate_sampler(true_classes: Any, num_true: Any, num_sampled: Any, unique: Any, range_max: Any,
                              seed: "int | None" = None, name: "str | None" = None) -> tuple:
    """Samples ``num_sampled`` classes from ``[0, range_max)``, each with ``P(k) = 1 / range_max``.

    Returns ``(sampled_candidates, true_expected_count, sampled_expected_count)``: the ids (int64,
    ``[num_sampled]``, distinct if ``unique``) and how often each true class and each sampled id is
    expected in such a sample (float32; see the module docstring).
    """
    return _sampler("UniformCandidateSampler", true_classes, num_true, num_sampled, unique, range_max, seed, name)


@primitive("UniformCandidateSampler", shape=_sampler_rule, random=True)
def _uniform_candidate_sampler_kernel(ctx, true_classes):
    k = ctx.attrs["range_max"]
    return _candidates(ctx, true_classes, lambda rng, n: rng.randint(0, k, size=n, dtype=np.int64),
                       lambda ids: np.full(np.shape(ids), 1.0 / k), k)


def log_uniform_candidate_sampler(true_classes: Any, num_true: Any, num_sampled: Any, unique: Any, range_max: Any,
                                  seed: "int | None" = None, name: "str | None" = None) -> tuple:
    """Samples ``num_sampled`` classes from ``[0, range_max)`` with the log-uniform (Zipf) distribution
    ``P(k) = (log(k + 2) - log(k + 1)) / log(range_max + 1)``: small ids (frequent words, when the
    vocabulary is sorted by decreasing frequency) come up most. Returns what
    :func:`uniform_candidate_sampler` returns."""
    return _sampler("LogUniformCandidateSampler", true_classes, num_true, num_sampled, unique, range_max, seed,
                    name)


@primitive("LogUniformCandidateSampler", shape=_sampler_rule, random=True)
def _log_uniform_candidate_sampler_kernel(ctx, true_classes):
    """u uniform in [0, 1):  k = floor(exp(u * log(range_max + 1))) - 1 has P(k) above."""
    k = ctx.attrs["range_max"]
    log_range = np.log1p(float(k))
    draw = lambda rng, n: np.mod(np.floor(np.exp(rng.random_sample(n) * log_range)) - 1, k).astype(np.int64)
    return _candidates(ctx, true_classes, draw, lambda ids: np.log1p(1.0 / (ids + 1.0)) / log_range, k)


# --------------------------------------------------------------------------------------------
# Fixed unigram
# --------------------------------------------------------------------------------------------
def fixed_unigram_candidate_sampler(true_classes: Any, num_true: Any, num_sampled: Any, unique: Any,
                                    range_max: Any, vocab_file: str = "", distortion: Any = 1.0,
                                    num_reserved_ids: Any = 0, num_shards: Any = 1, shard: Any = 0,
                                    unigrams: Any = (), seed: "int | None" = None,
                                    name: "str | None" = None) -> tuple:
    """Samples ``num_sampled`` classes from ``[0, range_max)`` with ``P(k)`` proportional to
    ``w_k = unigrams[k] ** distortion`` (counts or probabilities, one per class; ``distortion=0``
    gives the uniform distribution). The first ``num_reserved_ids`` ids come before the unigrams,
    with weight 0. With ``num_shards > 1`` only the ids ``k`` with ``k % num_shards == shard`` are
    kept, renumbered from 0, as TensorFlow does. Returns what :func:`uniform_candidate_sampler` returns.
    """
    op_type = "FixedUnigramCandidateSampler"
    if vocab_file:
        raise NotImplementedError("tinyflow's fixed_unigram_candidate_sampler takes the counts as unigrams=[...], "
                                  "not a vocab_file; read the file's last column into a list and pass that.")
    if isinstance(unigrams, np.ndarray) and unigrams.ndim == 1:
        unigrams = unigrams.tolist()
    if not isinstance(unigrams, (list, tuple)):
        raise TypeError("Expected list for 'unigrams' argument to 'fixed_unigram_candidate_sampler' Op, not %s.\n"
                        "Fix: unigrams is a list of counts, one per class." % short_repr(unigrams))
    return _sampler(op_type, true_classes, num_true, num_sampled, unique, range_max, seed, name,
                    vocab_file="", distortion=_float_attr(distortion, "distortion"),
                    num_reserved_ids=_int_attr(num_reserved_ids, "num_reserved_ids", op_type),
                    num_shards=_int_attr(num_shards, "num_shards", op_type, 1),
                    shard=_int_attr(shard, "shard", op_type, 0),
                    unigrams=tuple(_float_attr(u, "unigrams") for u in unigrams))


def _unigram_weights(ctx) -> np.ndarray:
    """The weights ``w_k`` of this op's ids (as TensorFlow's FixedUnigramSampler builds them)."""
    a = ctx.attrs
    if not a["unigrams"]:
        raise errors.InvalidArgumentError(None, ctx.op, "Must provide either vocab_file or unigrams.\nFix: pass "
                                          "unigrams=[count of class 0, count of class 1, ...].")
    counts = np.asarray(a["unigrams"], np.float64)
    if not np.isfinite(counts).all() or (counts < 0).any() or not counts.sum() > 0:
        raise errors.InvalidArgumentError(None, ctx.op, "unigrams must be non-negative numbers, not all 0, got %s\n"
                                          "Fix: give each class's count (or probability)." % short_repr(a["unigrams"]))
    shards, shard = a["num_shards"], a["shard"]
    reserved = np.count_nonzero(np.arange(max(a["num_reserved_ids"], 0)) % shards == shard)
    ids = reserved + np.arange(counts.size)           # TF numbers the unigrams after the reserved ids it kept
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        weights = np.concatenate([np.zeros(reserved), counts[ids % shards == shard] ** a["distortion"]])
    if not np.isfinite(weights.sum()):
        raise errors.InvalidArgumentError(None, ctx.op, "the weights unigrams ** distortion (distortion %g) are "
                                          "not all finite\nFix: use a distortion between 0 and 1 (0.75 is usual), "
                                          "and no count 0 with a negative one." % a["distortion"])
    if weights.size != a["range_max"]:
        raise errors.InvalidArgumentError(None, ctx.op, "range is %d must be equal to weights size  %d\nFix: "
                                          "range_max is the number of classes: one unigram for each (with the "
                                          "reserved ids and shards, %d here)." % (a["range_max"], weights.size,
                                                                                 weights.size))
    return weights


@primitive("FixedUnigramCandidateSampler", shape=_sampler_rule, random=True)
def _fixed_unigram_candidate_sampler_kernel(ctx, true_classes):
    """P(k) = w_k / sum(w); drawn by finding u * sum(w) (u uniform in [0, 1)) in the running sums."""
    weights = ctx.cache.get("weights")
    if weights is None:
        weights = ctx.cache["weights"] = _unigram_weights(ctx)
    cumulative, total = np.cumsum(weights), weights.sum()
    draw = lambda rng, n: np.minimum(np.searchsorted(cumulative, rng.random_sample(n) * total, side="right"),
                                     weights.size - 1)
    def unseen_mass(picked):
        unseen = np.ones(weights.size, bool)
        unseen[picked] = False
        return weights[unseen].sum() / total
    return _candidates(ctx, true_classes, draw, lambda ids: weights[ids] / total, np.count_nonzero(weights),
                       unseen_mass)


# --------------------------------------------------------------------------------------------
# Accidental hits
# --------------------------------------------------------------------------------------------
def compute_accidental_hits(true_classes: Any, sampled_candidates: Any, num_true: Any, seed: "int | None" = None,
                            name: "str | None" = None) -> tuple:
    """Where a sampled id is one of an example's true classes (an "accidental hit"), as triples:
    ``indices`` (int32, the row in ``true_classes``), ``ids`` (int64, the position in
    ``sampled_candidates``) and ``weights`` (float32, ``-FLOAT_MAX``), in row-major order of
    ``true_classes``. The sampled losses add the weights to those logits, which removes them.
    (If an id was sampled twice, its last position counts, as in TensorFlow.)"""
    op_type = "ComputeAccidentalHits"
    attrs = dict(random_ops.seed_attrs(seed), num_true=_int_attr(num_true, "num_true", op_type, 1))
    with name_scope(name, op_type, [true_classes, sampled_candidates]) as scope:
        true_classes = _int64_input(true_classes, "true_classes", op_type)
        sampled_candidates = _int64_input(sampled_candidates, "sampled_candidates", op_type)
        op = make_op(op_type, [true_classes, sampled_candidates], [dtypes.int32, dtypes.int64, dtypes.float32],
                     scope, attrs=attrs)
        return _RESULTS[op_type](*op.outputs)


def _accidental_hits_rule(op) -> "list[TensorShape]":
    classes, sampled, num_true = op.inputs[0].shape, op.inputs[1].shape, op.attrs["num_true"]
    if classes.ndims not in (None, 2):
        raise ShapeError("Shape must be rank 2 but is rank %d" % classes.ndims, _RANK_2_HINT)
    if classes.ndims == 2 and classes[1].value not in (None, num_true):
        raise ShapeError("Dimension must be %d but is %d" % (num_true, classes[1].value),
                         "Fix: num_true is the number of columns of true_classes (%d)." % classes[1].value)
    if sampled.ndims not in (None, 1):
        raise ShapeError("Shape must be rank 1 but is rank %d" % sampled.ndims,
                         "Fix: sampled_candidates is the first output of a candidate sampler, a vector of ids.")
    return [TensorShape([None])] * 3


@primitive("ComputeAccidentalHits", shape=_accidental_hits_rule)
def _compute_accidental_hits_kernel(ctx, true_classes, sampled_candidates):
    """Looks each true class up among the sampled ids (sorted once), keeping the last position of each."""
    classes, sampled = np.asarray(true_classes), np.asarray(sampled_candidates)
    if classes.ndim != 2 or classes.shape[1] != ctx.attrs["num_true"]:
        raise errors.InvalidArgumentError(None, ctx.op, "true_candidates must be a batch_size * num_true matrix\n"
                                          "Fix: true_classes has shape %s; num_true=%d must be its number of "
                                          "columns." % (list(classes.shape), ctx.attrs["num_true"]))
    if sampled.ndim != 1:
        raise errors.InvalidArgumentError(None, ctx.op, "sampled_candidates must be a vector, which is typically an "
                                          "output from CandidateSampler\nFix: pass the sampler's first output.")
    values, first_from_end = np.unique(sampled[::-1], return_index=True)
    last = sampled.size - 1 - first_from_end                  # each distinct sampled id's last position
    flat = classes.ravel()
    at = np.minimum(np.searchsorted(values, flat), max(values.size - 1, 0))
    hit = np.flatnonzero(values[at] == flat) if values.size else np.empty(0, np.int64)
    return ((hit // classes.shape[1]).astype(np.int32), last[at[hit]].astype(np.int64),
            np.full(hit.size, -np.finfo(np.float32).max, np.float32))


for _t in ("UniformCandidateSampler", "LogUniformCandidateSampler", "FixedUnigramCandidateSampler",
           "ComputeAccidentalHits"):
    NoGradient(_t)

"""Random tensors: ``tf.random_uniform``, ``tf.random_normal``, ``tf.truncated_normal``, ...

A random op is a graph node like any other, so it follows the session's rules (as in TF1):

* it draws a **new value on every run**, and
* **one value within a run**: every consumer in the same ``sess.run`` sees the same numbers.

Each random op keeps its own generator, per session, created on first use (``ctx.cache``).
A new session therefore restarts the sequence. The generator is numpy's legacy
``np.random.RandomState``, whose stream is frozen across numpy versions, so a seeded
program prints the same numbers every time it runs.

Seeds follow TF1's ``get_seed`` rule (see :func:`get_seed`). TensorFlow draws its bits with
Philox in C++, so the *numbers* differ from TensorFlow's; shapes, dtypes, ranges, op names
and the per-run / per-session behaviour are the same.

TensorFlow's counterparts: ``python/ops/random_ops.py``, ``python/framework/random_seed.py``
(``get_seed``), ``core/ops/random_ops.cc``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import dtypes, errors
from ..framework import Tensor, convert_to_tensor, get_default_graph, name_scope
from ..op_def_library import make_op, python_int
from ..op_registry import NoGradient, primitive
from ..tensor_shape import Dimension, ShapeError, TensorShape
from ..tensor_util import constant_value, shape_from_tensor
from . import array_ops, comparison_ops, control_flow_ops, creation_ops, logging_ops, math_ops, reduction_ops, \
    slicing_ops

__all__ = [
    "random_uniform", "random_normal", "truncated_normal", "random_shuffle", "multinomial",
    "categorical", "set_random_seed", "get_seed", "random_gamma", "random_poisson", "random_crop",
]

DEFAULT_GRAPH_SEED = 87654321
_MAXINT32 = 2 ** 31 - 1


# --------------------------------------------------------------------------------------------
# Seeds
# --------------------------------------------------------------------------------------------
def set_random_seed(seed: "int | None") -> None:
    """Sets the graph-level seed of the default graph: random ops created *afterwards* become
    reproducible (same numbers in every new session and every run of the program)."""
    get_default_graph().seed = None if seed is None else python_int(seed, "seed", "tf.set_random_seed")


def get_seed(op_seed: "int | None") -> "tuple[int | None, int | None]":
    """The (graph seed, op seed) pair a random op uses, by TF1's rule:

    * graph seed set, no op seed: the op seed is ``graph._last_id`` (the number of ops created
      so far), so the same program gives the same numbers;
    * only an op seed: the graph seed is ``DEFAULT_GRAPH_SEED`` (87654321);
    * neither: ``(None, None)``, nondeterministic;
    * ``(0, 0)`` is mapped to ``(0, 2**31 - 1)``.
    """
    graph = get_default_graph()
    if op_seed is not None:
        op_seed = python_int(op_seed, "seed", "A random op")
    if graph.seed is not None:
        if op_seed is None:
            op_seed = graph._last_id
        seeds = (graph.seed % _MAXINT32, op_seed % _MAXINT32)
    elif op_seed is not None:
        seeds = (DEFAULT_GRAPH_SEED, op_seed % _MAXINT32)
    else:
        seeds = (None, None)
    if seeds == (0, 0):
        return 0, _MAXINT32
    return seeds


def op_generator(ctx) -> np.random.RandomState:
    """This op's generator in this session, created on first use (the random ops of other
    families, e.g. the candidate samplers, draw from it too)."""
    rng = ctx.cache.get("rng")
    if rng is None:
        seed, seed2 = ctx.attrs["seed"], ctx.attrs["seed2"]
        rng = np.random.RandomState(None if seed is None else [seed, seed2])
        ctx.cache["rng"] = rng
    return rng


def seed_attrs(seed: "int | None") -> dict:
    """The ``seed`` and ``seed2`` attrs of a random op, by :func:`get_seed`."""
    seed1, seed2 = get_seed(seed)
    return {"seed": seed1, "seed2": seed2}


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------
def _shape_tensor(shape: Any) -> Tensor:
    """The ``shape`` argument as an int32 tensor named ``shape`` (TF1's ``shape_tensor``)."""
    if isinstance(shape, TensorShape):
        if not shape.is_fully_defined():
            raise ValueError("Cannot convert a partially known TensorShape %s to a Tensor. (A random "
                             "op needs every dimension; pass a shape tensor such as tf.shape(x).)" % shape)
        shape = shape.as_list()
    if isinstance(shape, (list, tuple)):
        shape = [d.value if isinstance(d, Dimension) else d for d in shape]
        shape = convert_to_tensor(np.array(shape, dtype=np.int32) if not shape else shape, name="shape")
    elif not isinstance(shape, Tensor):
        shape = convert_to_tensor(shape, name="shape")
    if not shape.dtype.base_dtype.is_integer:
        raise TypeError("A shape must be an integer tensor, got %s.\nFix: give the sizes as ints, e.g. [2, 3]."
                        % shape)
    return shape


def _float_dtype(dtype: Any) -> dtypes.DType:
    dtype = dtypes.as_dtype(dtype).base_dtype
    if not dtype.is_floating:
        raise ValueError("Invalid dtype %r: this random op makes floating-point values (float16, "
                         "float32 or float64)." % dtype)
    return dtype


def _random_rule(op) -> TensorShape:
    if op.inputs[0].shape.ndims not in (None, 1):
        raise ShapeError("Shape must be rank 1 but is rank %d" % op.inputs[0].shape.ndims,
                         "Fix: the shape argument is a list of sizes, e.g. [2, 3] (not a tensor of that shape).")
    return shape_from_tensor(op.inputs[0])


def _shape_tuple(shape: np.ndarray) -> tuple:
    """The run-time shape of a random op's output; a negative size (a fed -1) is TensorFlow's error."""
    dims = tuple(int(d) for d in np.ravel(shape))
    if any(d < 0 for d in dims):
        raise errors.InvalidArgumentError(None, None, "Dimension %d must be >= 0\nFix: every size of a random "
                                          "op's shape must be known when it runs." % min(dims))
    return dims


# --------------------------------------------------------------------------------------------
# Uniform
# --------------------------------------------------------------------------------------------
def random_uniform(shape: Any, minval: Any = 0, maxval: Any = None, dtype: Any = dtypes.float32,
                   seed: "int | None" = None, name: "str | None" = None) -> Tensor:
    """Values drawn uniformly from ``[minval, maxval)`` (``maxval`` defaults to 1 for floats).

    Built as TF1 does: ``RandomUniform`` gives values in [0, 1), then
    ``rnd * (maxval - minval) + minval``, all inside the scope ``random_uniform``.
    Integer dtypes use one ``RandomUniformInt`` op and need a ``maxval``.
    """
    dtype = dtypes.as_dtype(dtype).base_dtype
    if dtype not in (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64):
        raise ValueError("Invalid dtype %r" % dtype)
    if maxval is None:
        if dtype.is_integer:
            raise ValueError("Must specify maxval for integer dtype %r" % dtype)
        maxval = 1
    with name_scope(name, "random_uniform", [shape, minval, maxval]) as scope:
        shape = _shape_tensor(shape)
        minval = convert_to_tensor(minval, dtype=dtype, name="min")
        maxval = convert_to_tensor(maxval, dtype=dtype, name="max")
        attrs = seed_attrs(seed)
        g = get_default_graph()
        if dtype.is_integer:
            attrs["Tout"] = dtype
            return g.create_op("RandomUniformInt", [shape, minval, maxval], [dtype], name=scope,
                               attrs=attrs).outputs[0]
        attrs["dtype"] = dtype
        rnd = g.create_op("RandomUniform", [shape], [dtype], name="RandomUniform", attrs=attrs).outputs[0]
        return math_ops.add(rnd * (maxval - minval), minval, name=scope)


@primitive("RandomUniform", shape=_random_rule, random=True)
def _random_uniform_kernel(ctx, shape):
    """Uniform in [0, 1). The float64 draw is cut to the target precision so that rounding
    can never produce 1.0."""
    dtype = ctx.attrs["dtype"].as_numpy_dtype
    bits = np.finfo(dtype).nmant + 1
    x = op_generator(ctx).random_sample(_shape_tuple(shape))
    return (np.floor(x * 2.0 ** bits) / 2.0 ** bits).astype(dtype)


@primitive("RandomUniformInt", shape=_random_rule, random=True)
def _random_uniform_int_kernel(ctx, shape, minval, maxval):
    lo, hi = int(minval), int(maxval)
    if lo >= hi:
        raise errors.InvalidArgumentError(None, ctx.op, "Need minval < maxval: %d >= %d" % (lo, hi))
    return op_generator(ctx).randint(lo, hi, size=_shape_tuple(shape)).astype(ctx.attrs["Tout"].as_numpy_dtype)


# --------------------------------------------------------------------------------------------
# Normal and truncated normal
# --------------------------------------------------------------------------------------------
def random_normal(shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = dtypes.float32,
                  seed: "int | None" = None, name: "str | None" = None) -> Tensor:
    """Values from a normal distribution: ``RandomStandardNormal * stddev + mean``."""
    return _normal("RandomStandardNormal", "random_normal", shape, mean, stddev, dtype, seed, name)


def truncated_normal(shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = dtypes.float32,
                     seed: "int | None" = None, name: "str | None" = None) -> Tensor:
    """Like :func:`random_normal`, but values more than 2 standard deviations from the mean are
    dropped and drawn again."""
    return _normal("TruncatedNormal", "truncated_normal", shape, mean, stddev, dtype, seed, name)


def _normal(op_type: str, default_name: str, shape: Any, mean: Any, stddev: Any, dtype: Any,
            seed: "int | None", name: "str | None") -> Tensor:
    dtype = _float_dtype(dtype)
    with name_scope(name, default_name, [shape, mean, stddev]) as scope:
        shape = _shape_tensor(shape)
        mean = convert_to_tensor(mean, dtype=dtype, name="mean")
        stddev = convert_to_tensor(stddev, dtype=dtype, name="stddev")
        attrs = dict(seed_attrs(seed), dtype=dtype)
        rnd = get_default_graph().create_op(op_type, [shape], [dtype], name=op_type, attrs=attrs).outputs[0]
        return math_ops.add(rnd * stddev, mean, name=scope)


@primitive("RandomStandardNormal", shape=_random_rule, random=True)
def _random_normal_kernel(ctx, shape):
    return op_generator(ctx).standard_normal(_shape_tuple(shape)).astype(ctx.attrs["dtype"].as_numpy_dtype)


@primitive("TruncatedNormal", shape=_random_rule, random=True)
def _truncated_normal_kernel(ctx, shape):
    """Standard normal values; any beyond 2 standard deviations are redrawn until none are."""
    rng = op_generator(ctx)
    x = rng.standard_normal(_shape_tuple(shape))
    bad = np.abs(x) > 2.0
    while bad.any():
        x[bad] = rng.standard_normal(int(bad.sum()))
        bad = np.abs(x) > 2.0
    return x.astype(ctx.attrs["dtype"].as_numpy_dtype)


# --------------------------------------------------------------------------------------------
# Shuffle and categorical sampling
# --------------------------------------------------------------------------------------------
def random_shuffle(value: Any, seed: "int | None" = None, name: "str | None" = None) -> Tensor:
    """Shuffles ``value`` along its first dimension (a new order on every run)."""
    value = convert_to_tensor(value, name="value")
    attrs = seed_attrs(seed)
    return get_default_graph().create_op("RandomShuffle", [value], [value.dtype.base_dtype],
                                         name=name or "RandomShuffle", attrs=attrs,
                                         shapes=[value.shape]).outputs[0]


@primitive("RandomShuffle", random=True)
def _random_shuffle_kernel(ctx, value):
    value = np.asarray(value)
    if value.ndim == 0:
        return value
    return value[op_generator(ctx).permutation(value.shape[0])]


def multinomial(logits: Any, num_samples: Any, seed: "int | None" = None, name: "str | None" = None,
                output_dtype: Any = None) -> Tensor:
    """Draws ``num_samples`` class ids per row of ``logits`` (unnormalized log-probabilities),
    giving shape ``[batch_size, num_samples]``."""
    return _categorical("multinomial", logits, num_samples, output_dtype, seed, name)


def categorical(logits: Any, num_samples: Any, dtype: Any = None, seed: "int | None" = None,
                name: "str | None" = None) -> Tensor:
    """Same as :func:`multinomial` (the newer name)."""
    return _categorical("categorical", logits, num_samples, dtype, seed, name)


def _categorical(default_name: str, logits: Any, num_samples: Any, dtype: Any, seed: "int | None",
                 name: "str | None") -> Tensor:
    dtype = dtypes.as_dtype(dtype or dtypes.int64).base_dtype
    with name_scope(name, default_name, [logits]):
        logits = convert_to_tensor(logits, name="logits")
        with name_scope(None, "Multinomial") as scope:
            num_samples = convert_to_tensor(num_samples, dtype=dtypes.int32, name="num_samples")
            attrs = dict(seed_attrs(seed), output_dtype=dtype)
            return get_default_graph().create_op("Multinomial", [logits, num_samples], [dtype], name=scope,
                                                 attrs=attrs).outputs[0]


def _multinomial_rule(op) -> TensorShape:
    logits, num_samples = op.inputs
    n = constant_value(num_samples)
    batch = logits.shape[0].value if logits.shape.ndims == 2 else None
    return TensorShape([batch, None if n is None else int(n)])


@primitive("Multinomial", shape=_multinomial_rule, random=True)
def _multinomial_kernel(ctx, logits, num_samples):
    logits = np.asarray(logits, dtype=np.float64)
    if logits.ndim != 2:
        raise errors.InvalidArgumentError(None, ctx.op, "logits should be a matrix, got shape %s"
                                          % (list(logits.shape),))
    rng = op_generator(ctx)
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    rows = [rng.choice(p.shape[1], size=int(num_samples), p=row) for row in p]
    out = np.array(rows, dtype=ctx.attrs["output_dtype"].as_numpy_dtype)
    return out.reshape(logits.shape[0], int(num_samples))


# --------------------------------------------------------------------------------------------
# Gamma, Poisson, random crops
# --------------------------------------------------------------------------------------------
def random_gamma(shape: Any, alpha: Any, beta: Any = None, dtype: Any = dtypes.float32,
                 seed: "int | None" = None, name: "str | None" = None) -> Tensor:
    """Samples of Gamma(alpha, beta), density ``x**(alpha-1) * exp(-beta*x) * beta**alpha / Gamma(alpha)``,
    of shape ``shape + alpha.shape`` (with ``beta`` broadcast in): one sample set per alpha.

    Built as TF1 does: ``RandomGamma(shape, alpha + zeros_like(beta)) / beta``, kept at or above
    the dtype's smallest normal number (``Maximum``)."""
    dtype = dtypes.as_dtype(dtype).base_dtype
    if dtype not in (dtypes.float16, dtypes.float32, dtypes.float64):
        raise TypeError("Value passed to parameter 'alpha' has DataType %s not in list of allowed values: "
                        "float16, float32, float64\nFix: random_gamma draws floats; pass dtype=tf.float32 "
                        "or tf.float64." % dtype.name)
    with name_scope(name, "random_gamma", [shape, alpha, beta]):
        shape = _shape_tensor(shape)
        alpha = convert_to_tensor(alpha, dtype=dtype, name="alpha")
        beta = convert_to_tensor(1 if beta is None else beta, dtype=dtype, name="beta")
        alpha = alpha + creation_ops.zeros_like(beta)
        attrs = dict(seed_attrs(seed), T=dtype)
        rnd = get_default_graph().create_op("RandomGamma", [shape, alpha], [dtype], name="RandomGamma",
                                            attrs=attrs).outputs[0]
        return math_ops.maximum(np.finfo(dtype.as_numpy_dtype).tiny, rnd / beta)


def _sample_shape_rule(op) -> TensorShape:
    """``shape + param.shape``: one block of samples per parameter (RandomGamma, RandomPoissonV2)."""
    return _random_rule(op).concatenate(op.inputs[1].shape)


@primitive("RandomGamma", shape=_sample_shape_rule, random=True)
def _random_gamma_kernel(ctx, shape, alpha):
    """Gamma(alpha, 1) samples; alpha = 0 gives 0, alpha < 0 (or NaN) gives NaN, as TensorFlow's kernel."""
    alpha = np.asarray(alpha, dtype=np.float64)
    ok = alpha > 0
    x = op_generator(ctx).standard_gamma(np.where(ok, alpha, 1.0), size=_shape_tuple(shape) + alpha.shape)
    x = np.where(ok, x, np.where(alpha == 0, 0.0, np.nan))
    return x.astype(ctx.attrs["T"].as_numpy_dtype)


def random_poisson(lam: Any, shape: Any, dtype: Any = dtypes.float32, seed: "int | None" = None,
                   name: "str | None" = None) -> Tensor:
    """Samples of Poisson(lam), of shape ``shape + lam.shape``: ``P(k) = lam**k * exp(-lam) / k!``
    (TF1's argument order: ``lam`` first). One ``RandomPoissonV2`` op."""
    dtype = dtypes.as_dtype(dtype).base_dtype
    allowed = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64)
    if dtype not in allowed:
        raise TypeError("Value passed to parameter 'dtype' has DataType %s not in list of allowed values: "
                        "float16, float32, float64, int32, int64\nFix: pass one of those dtypes." % dtype.name)
    with name_scope(name, "random_poisson", [lam, shape]):
        shape = _shape_tensor(shape)
        with name_scope(None, "RandomPoissonV2") as scope:
            rate = convert_to_tensor(lam, name="rate")
            if rate.dtype.base_dtype not in allowed:
                raise TypeError("Value passed to parameter 'rate' has DataType %s not in list of allowed values: "
                                "float16, float32, float64, int32, int64\nFix: give lam as numbers."
                                % rate.dtype.base_dtype.name)
            attrs = dict(seed_attrs(seed), dtype=dtype, R=rate.dtype.base_dtype)
            return make_op("RandomPoissonV2", [shape, rate], [dtype], scope, attrs=attrs).outputs[0]


@primitive("RandomPoissonV2", shape=_sample_shape_rule, random=True)
def _random_poisson_kernel(ctx, shape, rate):
    """Poisson(rate) counts; a rate <= 0 gives 0 (NaN rates give NaN for float outputs), as TensorFlow."""
    rate = np.asarray(rate, dtype=np.float64)
    rng, size = op_generator(ctx), _shape_tuple(shape) + rate.shape
    huge = rate > 1e12                  # beyond numpy's sampler: the normal limit, exact to float precision
    x = rng.poisson(np.where((rate > 0) & ~huge, rate, 0.0), size=size).astype(np.float64)
    if huge.any():
        big = np.where(huge & np.isfinite(rate), rate, 0.0)
        x = np.where(huge, np.where(np.isfinite(rate), np.round(big + np.sqrt(big) * rng.standard_normal(size)),
                                    rate), x)
    x = np.where(np.isnan(rate), np.nan, x)
    out = ctx.attrs["dtype"].as_numpy_dtype
    if np.issubdtype(out, np.integer):
        x = np.clip(np.nan_to_num(x), 0, np.nextafter(float(np.iinfo(out).max) + 1, 0))   # no overflow
    return x.astype(out)


def random_crop(value: Any, size: Any, seed: "int | None" = None, name: "str | None" = None) -> Tensor:
    """A block of shape ``size`` cut from ``value`` at a uniformly random offset (a new one on
    every run). Built as TF1 does: an ``Assert`` that ``shape(value) >= size``, offsets from
    ``random_uniform(..., maxval=int32 max) % (shape - size + 1)``, then ``Slice``."""
    with name_scope(name, "random_crop", [value, size]) as scope:
        value = convert_to_tensor(value, name="value")
        size = convert_to_tensor(size, dtype=dtypes.int32, name="size")
        shape = array_ops.shape(value)
        check = logging_ops.Assert(reduction_ops.reduce_all(comparison_ops.greater_equal(shape, size)),
                                   ["Need value.shape >= size, got ", shape, size], summarize=1000)
        shape = control_flow_ops.with_dependencies([check], shape)
        limit = shape - size + 1
        offset = random_uniform(array_ops.shape(shape), dtype=size.dtype, maxval=size.dtype.max, seed=seed) % limit
        return slicing_ops.slice(value, offset, size, name=scope)


# TF 1.15 also differentiates RandomGamma with respect to alpha (RandomGammaGrad); tinyflow does not (yet).
for _t in ("RandomUniform", "RandomUniformInt", "RandomStandardNormal", "TruncatedNormal",
           "RandomShuffle", "Multinomial", "RandomGamma", "RandomPoissonV2"):
    NoGradient(_t)

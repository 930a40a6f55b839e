"""Initializers: objects that build a variable's starting value, e.g. ``tf.zeros_initializer()``.

An initializer is called with a shape and builds graph ops for the initial value::

    init = tf.glorot_uniform_initializer()
    t = init([3, 1])        # random_uniform ops, values in [-sqrt(6/4), sqrt(6/4))

``tf.get_variable(name, shape, initializer=init)`` calls it inside the scope
``name/Initializer/``, so the ops are named e.g. ``dense/kernel/Initializer/random_uniform``.
The numbers appear only when the variable's initializer runs, and *each* run of it draws
new ones.
"""
from __future__ import annotations

import math
import types
from typing import Any

import numpy as np

from . import dtypes
from .framework import Tensor
from .ops.constant_op import constant
from .ops.creation_ops import ones, zeros
from .ops.random_ops import random_normal, random_uniform, truncated_normal

__all__ = [
    "Initializer", "zeros_initializer", "ones_initializer", "constant_initializer",
    "random_uniform_initializer", "random_normal_initializer", "truncated_normal_initializer",
    "variance_scaling_initializer", "glorot_uniform_initializer", "glorot_normal_initializer",
]


class Initializer:
    """Base class: ``init(shape, dtype=None, partition_info=None)`` returns a Tensor."""

    dtype: dtypes.DType = dtypes.float32

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        raise NotImplementedError

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict) -> "Initializer":
        return cls(**config)

    def _dtype(self, dtype: Any) -> dtypes.DType:
        return dtypes.as_dtype(dtype if dtype is not None else self.dtype).base_dtype

    def __repr__(self) -> str:
        args = ", ".join("%s=%r" % kv for kv in self.get_config().items())
        return "%s(%s)" % (type(self).__name__, args)


class Zeros(Initializer):
    """All zeros (``zeros`` op)."""

    def __init__(self, dtype: Any = dtypes.float32):
        self.dtype = dtypes.as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        return zeros(shape, self._dtype(dtype))

    def get_config(self):
        return {"dtype": self.dtype.name}


class Ones(Initializer):
    """All ones (``ones`` op)."""

    def __init__(self, dtype: Any = dtypes.float32):
        self.dtype = dtypes.as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        return ones(shape, self._dtype(dtype))

    def get_config(self):
        return {"dtype": self.dtype.name}


class Constant(Initializer):
    """A fixed value, given as a scalar (filled everywhere) or a list/array (reshaped to
    ``shape``; a shorter list is padded with its last element, as ``tf.constant`` does)."""

    def __init__(self, value: Any = 0, dtype: Any = dtypes.float32, verify_shape: bool = False):
        if not (np.isscalar(value) or isinstance(value, (list, tuple, np.ndarray))):
            raise TypeError("Invalid type for initial value: %s (expected Python scalar, list or tuple of "
                            "values, or numpy.ndarray)." % type(value))
        self.value = value
        self.dtype = dtypes.as_dtype(dtype)
        self._verify_shape = verify_shape

    def __call__(self, shape, dtype=None, partition_info=None, verify_shape=None):
        if verify_shape is None:
            verify_shape = self._verify_shape
        return constant(self.value, dtype=self._dtype(dtype), shape=shape, verify_shape=verify_shape)

    def get_config(self):
        return {"value": self.value, "dtype": self.dtype.name}


class RandomUniform(Initializer):
    """Uniform values in ``[minval, maxval)``."""

    def __init__(self, minval: Any = 0, maxval: Any = None, seed: "int | None" = None,
                 dtype: Any = dtypes.float32):
        self.minval, self.maxval, self.seed = minval, maxval, seed
        self.dtype = dtypes.as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        return random_uniform(shape, self.minval, self.maxval, self._dtype(dtype), seed=self.seed)

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed, "dtype": self.dtype.name}


class RandomNormal(Initializer):
    """Normal values with the given mean and standard deviation."""

    def __init__(self, mean: Any = 0.0, stddev: Any = 1.0, seed: "int | None" = None,
                 dtype: Any = dtypes.float32):
        self.mean, self.stddev, self.seed = mean, stddev, seed
        self.dtype = dtypes.as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        return random_normal(shape, self.mean, self.stddev, self._dtype(dtype), seed=self.seed)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed, "dtype": self.dtype.name}


class TruncatedNormal(RandomNormal):
    """Normal values, redrawn when more than 2 standard deviations from the mean."""

    def __call__(self, shape, dtype=None, partition_info=None):
        return truncated_normal(shape, self.mean, self.stddev, self._dtype(dtype), seed=self.seed)


def _compute_fans(shape: Any) -> "tuple[int, int]":
    """(fan_in, fan_out) of a weight shape.

    Scalar: 1 and 1. Vector ``[n]``: n and n. Matrix ``[n_in, n_out]``: n_in and n_out.
    Convolution kernels ``[..., in_depth, out_depth]``: both times the receptive field size
    (the product of the leading dimensions).
    """
    shape = [int(d) for d in shape]
    if len(shape) < 1:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive_field = 1
    for d in shape[:-2]:
        receptive_field *= d
    return shape[-2] * receptive_field, shape[-1] * receptive_field


class VarianceScaling(Initializer):
    """Random values whose variance is ``scale / n``, with n the fan chosen by ``mode``.

    ``mode``: ``"fan_in"``, ``"fan_out"`` or ``"fan_avg"`` (the average of both).
    ``distribution``:

    * ``"uniform"``: uniform in ``[-limit, limit)`` with ``limit = sqrt(3 * scale / n)``;
    * ``"truncated_normal"`` (alias ``"normal"``): truncated normal with
      ``stddev = sqrt(scale / n) / .87962566103423978`` (the correction makes the variance of
      the *truncated* distribution come out right);
    * ``"untruncated_normal"``: normal with ``stddev = sqrt(scale / n)``.
    """

    def __init__(self, scale: float = 1.0, mode: str = "fan_in", distribution: str = "truncated_normal",
                 seed: "int | None" = None, dtype: Any = dtypes.float32):
        if scale <= 0.0:
            raise ValueError("`scale` must be positive float.")
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError("Invalid `mode` argument: %r (use 'fan_in', 'fan_out' or 'fan_avg')." % (mode,))
        distribution = distribution.lower()
        if distribution not in ("normal", "uniform", "truncated_normal", "untruncated_normal"):
            raise ValueError("Invalid `distribution` argument: %r (use 'uniform', 'truncated_normal' or "
                             "'untruncated_normal')." % (distribution,))
        self.scale, self.mode, self.distribution, self.seed = scale, mode, distribution, seed
        self.dtype = dtypes.as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        dtype = self._dtype(dtype)
        scale_shape = getattr(partition_info, "full_shape", None) or shape
        fan_in, fan_out = _compute_fans(scale_shape)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        scale = self.scale / max(1.0, n)
        if self.distribution in ("normal", "truncated_normal"):
            stddev = math.sqrt(scale) / .87962566103423978
            return truncated_normal(shape, 0.0, stddev, dtype, seed=self.seed)
        if self.distribution == "untruncated_normal":
            return random_normal(shape, 0.0, math.sqrt(scale), dtype, seed=self.seed)
        limit = math.sqrt(3.0 * scale)
        return random_uniform(shape, -limit, limit, dtype, seed=self.seed)

    def get_config(self):
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                "seed": self.seed, "dtype": self.dtype.name}


class GlorotUniform(VarianceScaling):
    """Glorot (Xavier) uniform: ``limit = sqrt(6 / (fan_in + fan_out))``.

    The default initializer of ``tf.get_variable`` (and so of ``tf.layers.dense`` kernels).
    A 700x500 kernel gets values within about +-0.0707 = sqrt(6/1200).
    """

    def __init__(self, seed: "int | None" = None, dtype: Any = dtypes.float32):
        super().__init__(scale=1.0, mode="fan_avg", distribution="uniform", seed=seed, dtype=dtype)

    def get_config(self):
        return {"seed": self.seed, "dtype": self.dtype.name}


class GlorotNormal(VarianceScaling):
    """Glorot (Xavier) normal: truncated normal with ``stddev = sqrt(2 / (fan_in + fan_out)) / .8796``."""

    def __init__(self, seed: "int | None" = None, dtype: Any = dtypes.float32):
        super().__init__(scale=1.0, mode="fan_avg", distribution="truncated_normal", seed=seed, dtype=dtype)

    def get_config(self):
        return {"seed": self.seed, "dtype": self.dtype.name}


# TF1's names for the classes.
zeros_initializer = Zeros
ones_initializer = Ones
constant_initializer = Constant
random_uniform_initializer = RandomUniform
random_normal_initializer = RandomNormal
truncated_normal_initializer = TruncatedNormal
variance_scaling_initializer = VarianceScaling
glorot_uniform_initializer = GlorotUniform
glorot_normal_initializer = GlorotNormal


def he_normal(seed: "int | None" = None) -> VarianceScaling:
    """He normal: truncated normal with variance ``2 / fan_in`` (for ReLU layers)."""
    return VarianceScaling(2.0, "fan_in", "truncated_normal", seed)


def he_uniform(seed: "int | None" = None) -> VarianceScaling:
    """He uniform: ``limit = sqrt(6 / fan_in)``."""
    return VarianceScaling(2.0, "fan_in", "uniform", seed)


def lecun_normal(seed: "int | None" = None) -> VarianceScaling:
    """LeCun normal: truncated normal with variance ``1 / fan_in``."""
    return VarianceScaling(1.0, "fan_in", "truncated_normal", seed)


def lecun_uniform(seed: "int | None" = None) -> VarianceScaling:
    """LeCun uniform: ``limit = sqrt(3 / fan_in)``."""
    return VarianceScaling(1.0, "fan_in", "uniform", seed)


# ``tf.initializers``: the same classes under short names. ``variables.py`` adds
# ``global_variables``, ``local_variables`` and ``variables`` (the initializer *ops*).
initializers = types.ModuleType("tinyflow.initializers", "Initializers by short name: "
                                "``tf.initializers.glorot_uniform()``, ``tf.initializers.zeros()``, ...")
for _name, _obj in [("zeros", Zeros), ("ones", Ones), ("constant", Constant),
                    ("random_uniform", RandomUniform), ("random_normal", RandomNormal),
                    ("truncated_normal", TruncatedNormal), ("variance_scaling", VarianceScaling),
                    ("glorot_uniform", GlorotUniform), ("glorot_normal", GlorotNormal),
                    ("he_normal", he_normal), ("he_uniform", he_uniform), ("lecun_normal", lecun_normal),
                    ("lecun_uniform", lecun_uniform)]:
    setattr(initializers, _name, _obj)

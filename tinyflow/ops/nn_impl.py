"""Neural-network ops built from other ops: ``tf.nn.sigmoid_cross_entropy_with_logits``,
``tf.nn.dropout``, ``tf.nn.embedding_lookup``, ``tf.nn.moments``, ``tf.nn.l2_normalize``, and
``tf.reduce_logsumexp`` (TF keeps it in ``math_ops.py``; it is built from reductions and ``where``).

They have no kernel of their own, so their gradients come from the ops they are made of. The
sigmoid cross-entropy is written so that it cannot overflow:
``max(x, 0) - x*z + log1p(e^-|x|)``.

TensorFlow's counterparts: ``python/ops/nn_impl.py``, ``python/ops/nn_ops.py`` (dropout),
``python/ops/embedding_ops.py``.
"""
from __future__ import annotations

import numbers
from typing import Any, Sequence

from ..framework import Tensor, convert_to_tensor, name_scope
from ..op_def_library import deprecated_argument_lookup
from ..tensor_shape import TensorShape
from . import array_ops, creation_ops, gather_ops, math_ops, random_ops, reduction_ops, softmax_ops, unary_ops

__all__ = ["sigmoid_cross_entropy_with_logits", "dropout", "embedding_lookup", "moments", "l2_normalize",
           "reduce_logsumexp"]


# --------------------------------------------------------------------------------------------
# Sigmoid cross-entropy (composed from primitives)
# --------------------------------------------------------------------------------------------
def sigmoid_cross_entropy_with_logits(_sentinel: Any = None, labels: Any = None, logits: Any = None,
                                      name: "str | None" = None) -> Tensor:
    """Elementwise ``-z*log(sigmoid(x)) - (1-z)*log(1-sigmoid(x))`` for labels z and logits x.

    Written as ``max(x, 0) - x*z + log(1 + exp(-|x|))``: no exp of a large positive number, and
    no log of 0, so logits of +-1000 are fine.
    """
    softmax_ops.ensure_xent_args("sigmoid_cross_entropy_with_logits", _sentinel, labels, logits)
    with name_scope(name, "logistic_loss", [logits, labels]) as scope:
        logits = convert_to_tensor(logits, name="logits")
        labels = convert_to_tensor(labels, name="labels")
        try:
            labels.shape.merge_with(logits.shape)
        except ValueError:
            raise ValueError("logits and labels must have the same shape (%s vs %s)"
                             % (logits.shape, labels.shape)) from None
        zeros = creation_ops.zeros_like(logits, dtype=logits.dtype)
        cond = logits >= zeros
        relu_logits = gather_ops.where(cond, logits, zeros)               # max(x, 0)
        neg_abs_logits = gather_ops.where(cond, -logits, logits)          # -|x|
        return math_ops.add(relu_logits - logits * labels, unary_ops.log1p(unary_ops.exp(neg_abs_logits)),
                            name=scope)


# --------------------------------------------------------------------------------------------
# Composed ops: dropout, embedding_lookup, moments
# --------------------------------------------------------------------------------------------
def dropout(x: Any, keep_prob: Any = None, noise_shape: Any = None, seed: "int | None" = None,
            name: "str | None" = None, rate: Any = None) -> Tensor:
    """Zeroes each element with probability ``rate = 1 - keep_prob`` and scales the others by
    ``1 / keep_prob``, so the expected value is unchanged. New random choices on every run.
    """
    if keep_prob is not None and rate is not None:
        raise ValueError("Cannot specify both 'rate' and 'keep_prob'. (rate = 1 - keep_prob.)")
    if keep_prob is not None:
        try:
            rate = 1. - keep_prob
        except TypeError:
            raise ValueError("keep_prob must be a floating point number or Tensor (got %r)" % (keep_prob,)) from None
    if rate is None:
        raise ValueError("You must provide a rate to dropout.")
    with name_scope(name, "dropout", [x]):
        x = convert_to_tensor(x, name="x")
        if not x.dtype.is_floating:
            raise ValueError("x has to be a floating point tensor since it's going to be scaled. Got a %s "
                             "tensor instead." % x.dtype.base_dtype.name)
        if isinstance(rate, numbers.Real):
            if not 0 <= rate < 1:
                raise ValueError("rate must be a scalar tensor or a float in the range [0, 1), got %g" % rate)
            if rate == 0:
                return x
        rate = convert_to_tensor(rate, dtype=x.dtype.base_dtype, name="rate")
        rate.shape.assert_is_compatible_with(TensorShape([]))
        if noise_shape is None:
            noise_shape = array_ops.shape(x)
        elif isinstance(noise_shape, (list, tuple)) and len(noise_shape) == x.shape.ndims:
            # None entries mean "the size of x along that axis", e.g. [None, 1] drops whole rows
            noise_shape = [x.shape[i].value if d is None else d for i, d in enumerate(noise_shape)]
        random_tensor = random_ops.random_uniform(noise_shape, seed=seed, dtype=x.dtype.base_dtype)
        scale = 1 / (1 - rate)
        keep_mask = random_tensor >= rate                 # true with probability 1 - rate
        ret = x * scale * unary_ops.cast(keep_mask, x.dtype.base_dtype)
        ret.set_shape(x.shape)
        return ret


def embedding_lookup(params: Any, ids: Any, partition_strategy: str = "mod", name: "str | None" = None,
                     validate_indices: bool = True, max_norm: Any = None) -> Tensor:
    """Rows of ``params`` selected by ``ids``: ``params[ids]`` (a ``gather``).

    ``params`` is a ``[vocabulary, dim]`` tensor or variable (or a list holding one).
    """
    if isinstance(params, (list, tuple)):
        if len(params) != 1:
            raise NotImplementedError("tinyflow's embedding_lookup takes one params tensor, not a list of "
                                      "%d shards; concatenate them first with tf.concat(params, 0)."
                                      % len(params))
        params = params[0]
    if params is None:
        raise ValueError("Need at least one param")
    with name_scope(name, "embedding_lookup", [params, ids]) as scope:
        ids = convert_to_tensor(ids, name="ids")
        result = gather_ops.gather(params, ids, name=scope)
        if max_norm is not None:
            norms = unary_ops.sqrt(reduction_ops.reduce_sum(unary_ops.square(result), -1, keepdims=True))
            result = result * math_ops.minimum(max_norm / math_ops.maximum(norms, 1e-12), 1.0)
        return array_ops.identity(result)


def moments(x: Any, axes: Sequence[int], shift: Any = None, name: "str | None" = None,
            keep_dims: "bool | None" = None, keepdims: "bool | None" = None) -> "tuple[Tensor, Tensor]":
    """Mean and (population) variance of ``x`` over ``axes``: returns ``(mean, variance)``.

    variance = mean((x - mean)^2). Used e.g. by batch normalisation with ``axes=[0]``.
    """
    keep = bool(keepdims if keepdims is not None else keep_dims)
    with name_scope(name, "moments", [x, axes]):
        x = convert_to_tensor(x)
        mean = reduction_ops.reduce_mean(x, axes, keepdims=True, name="mean")
        # stop_gradient: the mean's own gradient through the variance is zero anyway.
        variance = reduction_ops.reduce_mean(math_ops.squared_difference(x, array_ops.stop_gradient(mean)),
                                        axes, keepdims=True, name="variance")
        if not keep:
            mean = array_ops.squeeze(mean, axes)
            variance = array_ops.squeeze(variance, axes)
        return mean, variance


# --------------------------------------------------------------------------------------------
# l2_normalize, reduce_logsumexp
# --------------------------------------------------------------------------------------------
def l2_normalize(x: Any, axis: Any = None, epsilon: float = 1e-12, name: "str | None" = None,
                 dim: Any = None) -> Tensor:
    """``x / sqrt(max(sum(x**2, axis), epsilon))``: unit length along ``axis`` (all axes if None)."""
    axis = deprecated_argument_lookup("axis", axis, "dim", dim)
    with name_scope(name, "l2_normalize", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        square_sum = reduction_ops.reduce_sum(unary_ops.square(x), axis, keepdims=True)
        x_inv_norm = unary_ops.rsqrt(math_ops.maximum(square_sum, epsilon))
        return math_ops.multiply(x, x_inv_norm, name=scope)


def reduce_logsumexp(input_tensor: Any, axis: Any = None, keepdims: Any = None, name: "str | None" = None,
                     reduction_indices: Any = None, keep_dims: Any = None) -> Tensor:
    """``log(sum(exp(x), axis))`` without overflow: ``m + log(sum(exp(x - m)))`` with ``m`` the
    largest entry (0 where that is not finite), as TensorFlow computes it."""
    axis = deprecated_argument_lookup("axis", axis, "reduction_indices", reduction_indices)
    keepdims = bool(deprecated_argument_lookup("keepdims", keepdims, "keep_dims", keep_dims))
    with name_scope(name, "ReduceLogSumExp", [input_tensor]) as scope:
        x = convert_to_tensor(input_tensor)
        raw_max = reduction_ops.reduce_max(x, axis=axis, keepdims=True)
        my_max = array_ops.stop_gradient(gather_ops.where(unary_ops.is_finite(raw_max), raw_max,
                                                          creation_ops.zeros_like(raw_max)))
        result = unary_ops.log(reduction_ops.reduce_sum(unary_ops.exp(math_ops.subtract(x, my_max)), axis,
                                                        keepdims=keepdims))
        if not keepdims:
            my_max = array_ops.reshape(my_max, array_ops.shape(result))
        return math_ops.add(result, my_max, name=scope)

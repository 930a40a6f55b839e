"""Neural-network ops built from other ops: ``tf.nn.sigmoid_cross_entropy_with_logits``,
``tf.nn.dropout``, ``tf.nn.embedding_lookup``, ``tf.nn.moments``, ``tf.nn.l2_normalize``,
``tf.reduce_logsumexp`` (TF keeps it in ``math_ops.py``; it is built from reductions and ``where``)
and the sampled losses ``tf.nn.nce_loss`` and ``tf.nn.sampled_softmax_loss``.

They have no kernel of their own, so their gradients come from the ops they are made of. The
sigmoid cross-entropy is written so that it cannot overflow:
``max(x, 0) - x*z + log1p(e^-|x|)``.

TensorFlow's counterparts: ``python/ops/nn_impl.py``, ``python/ops/nn_ops.py`` (dropout),
``python/ops/embedding_ops.py``.
"""
from __future__ import annotations

import numbers
from typing import Any, Sequence

from .. import dtypes
from ..framework import Tensor, convert_to_tensor, name_scope
from ..op_def_library import deprecated_argument_lookup, python_bool, python_int
from ..tensor_shape import TensorShape
from . import (array_ops, candidate_sampling_ops, comparison_ops, concat_ops, creation_ops, gather_ops, math_ops,
               matmul_ops, random_ops, reduction_ops, slicing_ops, softmax_ops, unary_ops)

__all__ = ["sigmoid_cross_entropy_with_logits", "dropout", "embedding_lookup", "moments", "l2_normalize",
           "reduce_logsumexp", "nce_loss", "sampled_softmax_loss"]


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

    Its gradient with respect to ``params`` is the gather's: each row gets the sum of the
    gradients of the places it was copied to. TensorFlow returns that as ``IndexedSlices``
    (only the rows looked up); tinyflow returns it as a dense ``[vocabulary, dim]`` tensor with
    zeros elsewhere. The numbers are the same, and so are the updates of gradient descent, Adagrad
    and Adam; ``MomentumOptimizer``'s sparse update leaves the rows not looked up (and their
    velocity) alone, where the dense one moves them on with their velocity.
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


# --------------------------------------------------------------------------------------------
# Sampled losses: nce_loss, sampled_softmax_loss
# --------------------------------------------------------------------------------------------
def nce_loss(weights: Any, biases: Any, labels: Any, inputs: Any, num_sampled: int, num_classes: int,
             num_true: int = 1, sampled_values: Any = None, remove_accidental_hits: bool = False,
             partition_strategy: str = "mod", name: str = "nce_loss") -> Tensor:
    """Noise-contrastive estimation: a ``[batch_size]`` loss that trains a ``num_classes``-way
    classifier by telling each example's true classes from ``num_sampled`` sampled ones.

    With ``o_k = x . w_k + b_k - log Q(k)`` (``Q(k)`` the expected count of class k in the sample,
    from the sampler), each example's loss is the sigmoid cross-entropy summed over its true
    classes (label ``1 / num_true``) and the sampled ones (label 0)::

        loss = sum_t xent(o_t, 1 / num_true) + sum_s xent(o_s, 0)
        xent(o, z) = -z log(sigmoid(o)) - (1 - z) log(1 - sigmoid(o))

    ``weights`` is ``[num_classes, dim]`` (a tensor or a variable; a list of one), ``biases``
    ``[num_classes]``, ``labels`` int ``[batch_size, num_true]``, ``inputs`` ``[batch_size, dim]``.
    Without ``sampled_values`` (a sampler's three outputs) the classes are drawn by
    ``log_uniform_candidate_sampler(unique=True)``. For evaluation use the full sigmoid loss.
    """
    logits, labels = _compute_sampled_logits(weights, biases, labels, inputs, num_sampled, num_classes, num_true,
                                             sampled_values, True, remove_accidental_hits, partition_strategy, name)
    sampled_losses = sigmoid_cross_entropy_with_logits(labels=labels, logits=logits, name="sampled_losses")
    return _sum_rows(sampled_losses)       # batch_size x {true losses, sampled losses}: sum each row


def sampled_softmax_loss(weights: Any, biases: Any, labels: Any, inputs: Any, num_sampled: int, num_classes: int,
                         num_true: int = 1, sampled_values: Any = None, remove_accidental_hits: bool = True,
                         partition_strategy: str = "mod", name: str = "sampled_softmax_loss",
                         seed: "int | None" = None) -> Tensor:
    """The softmax cross-entropy over each example's true classes and ``num_sampled`` sampled
    classes only: a cheap estimate of the full softmax loss for training, ``[batch_size]``.

    The logits are those of :func:`nce_loss` (``x . w_k + b_k - log Q(k)``, a sampled class that
    is also a true class removed by default); the labels are ``1 / num_true`` on the true classes.
    ``seed`` seeds the default sampler. For evaluation use the full softmax.
    """
    logits, labels = _compute_sampled_logits(weights, biases, labels, inputs, num_sampled, num_classes, num_true,
                                             sampled_values, True, remove_accidental_hits, partition_strategy, name,
                                             seed)
    labels = array_ops.stop_gradient(labels, name="labels_stop_gradient")
    return softmax_ops.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)


def _sum_rows(x: Tensor) -> Tensor:
    """``reduce_sum(x, 1)`` of a matrix, as ``x @ ones([columns, 1])`` (TensorFlow's ``_sum_rows``)."""
    ones = creation_ops.ones(concat_ops.stack([array_ops.shape(x)[1], 1]), x.dtype)
    return array_ops.reshape(matmul_ops.matmul(x, ones), [-1])


def _compute_sampled_logits(weights: Any, biases: Any, labels: Any, inputs: Any, num_sampled: int, num_classes: int,
                            num_true: int, sampled_values: Any, subtract_log_q: bool, remove_accidental_hits: bool,
                            partition_strategy: str, name: "str | None", seed: "int | None" = None
                            ) -> "tuple[Tensor, Tensor]":
    """The logits ``[batch_size, num_true + num_sampled]`` of the true classes, then the sampled ones,
    and their labels (``1 / num_true``, then 0), built as TensorFlow does: one embedding lookup of
    the weights and biases of every id, the true logits as row-wise dot products, the sampled
    ones as one matmul; ``log Q`` subtracted if ``subtract_log_q``."""
    weights = list(weights) if isinstance(weights, (list, tuple)) else [weights]
    num_sampled = python_int(num_sampled, "num_sampled", name or "compute_sampled_logits")
    num_true = python_int(num_true, "num_true", name or "compute_sampled_logits")
    remove_accidental_hits = python_bool(remove_accidental_hits, "remove_accidental_hits",
                                         name or "compute_sampled_logits")
    with name_scope(name, "compute_sampled_logits", weights + [biases, inputs, labels]):
        labels = unary_ops.cast(labels if isinstance(labels, Tensor) else convert_to_tensor(labels, name="labels"),
                                dtypes.int64)
        inputs = convert_to_tensor(inputs, name="inputs")
        labels_flat = array_ops.reshape(labels, [-1])
        if sampled_values is None:
            sampled_values = candidate_sampling_ops.log_uniform_candidate_sampler(
                true_classes=labels, num_true=num_true, num_sampled=num_sampled, unique=True, range_max=num_classes,
                seed=seed)
        # sampled [num_sampled], true_expected_count [batch_size, num_true], sampled_expected_count [num_sampled]
        sampled, true_expected_count, sampled_expected_count = (array_ops.stop_gradient(s) for s in sampled_values)
        sampled = unary_ops.cast(sampled, dtypes.int64)
        all_ids = concat_ops.concat([labels_flat, sampled], 0)

        # The weights of the true classes [batch_size * num_true, dim] and of the sampled ones [num_sampled, dim]
        all_w = unary_ops.cast(embedding_lookup(weights, all_ids, partition_strategy=partition_strategy),
                               inputs.dtype)
        true_w = slicing_ops.slice(all_w, [0, 0], concat_ops.stack([array_ops.shape(labels_flat)[0], -1]))
        sampled_w = slicing_ops.slice(all_w, concat_ops.stack([array_ops.shape(labels_flat)[0], 0]), [-1, -1])
        sampled_logits = matmul_ops.matmul(inputs, sampled_w, transpose_b=True)    # [batch_size, num_sampled]
        all_b = unary_ops.cast(embedding_lookup(biases, all_ids, partition_strategy=partition_strategy),
                               inputs.dtype)
        true_b = slicing_ops.slice(all_b, [0], array_ops.shape(labels_flat))
        sampled_b = slicing_ops.slice(all_b, array_ops.shape(labels_flat), [-1])

        # true logits: the row-wise dot products x_i . w_t, [batch_size, num_true]
        dim = array_ops.shape(true_w)[1:2]
        new_true_w_shape = concat_ops.concat([[-1, num_true], dim], 0)
        row_wise_dots = math_ops.multiply(array_ops.expand_dims(inputs, 1), array_ops.reshape(true_w, new_true_w_shape))
        dots_as_matrix = array_ops.reshape(row_wise_dots, concat_ops.concat([[-1], dim], 0))
        true_logits = array_ops.reshape(_sum_rows(dots_as_matrix), [-1, num_true])
        true_logits += array_ops.reshape(true_b, [-1, num_true])
        sampled_logits += sampled_b

        if remove_accidental_hits:
            # A sampled class that is one of the example's true classes gets the logit -FLOAT_MAX.
            acc_indices, acc_ids, acc_weights = candidate_sampling_ops.compute_accidental_hits(
                labels, sampled, num_true=num_true)
            with name_scope(None, "SparseToDense"):
                # TF scatters the weights into [batch_size, num_sampled] with a SparseToDense op; here
                # the hits at each place are counted, and each place hit gets -FLOAT_MAX.
                places = acc_indices * num_sampled + unary_ops.cast(acc_ids, dtypes.int32)
                hits = gather_ops.unsorted_segment_sum(creation_ops.ones_like(acc_weights), places,
                                                       array_ops.shape(labels)[0] * num_sampled)
                hit = unary_ops.cast(comparison_ops.greater(hits, 0.0), sampled_logits.dtype)
                removed = array_ops.reshape(hit, [-1, num_sampled]) * dtypes.float32.min
            sampled_logits += removed

        if subtract_log_q:          # subtract log Q(k), the log of k's expected count in the sample
            true_logits -= unary_ops.log(true_expected_count)
            sampled_logits -= unary_ops.log(sampled_expected_count)

        out_logits = concat_ops.concat([true_logits, sampled_logits], 1)
        # the labels of each example sum to 1: 1 / num_true for each true class
        out_labels = concat_ops.concat([creation_ops.ones_like(true_logits) / num_true,
                                        creation_ops.zeros_like(sampled_logits)], 1)
        return out_logits, out_labels

"""``tf.nn``: activations, softmax, cross-entropies, dropout and other neural-network ops.

This module is the namespace learners type; the ops themselves are in ``ops/``:
``ops/nn_ops.py`` (activations, ``bias_add``, ``l2_loss``), ``ops/softmax_ops.py`` (softmax and
the softmax cross-entropies, with the numerically stable formulas), ``ops/nn_impl.py`` (ops
built from others: dropout, embedding_lookup, moments, the sigmoid cross-entropy, the sampled
losses ``nce_loss`` and ``sampled_softmax_loss``), ``ops/candidate_sampling_ops.py`` (the
candidate samplers those losses draw classes with).
``tf.nn.sigmoid`` and ``tf.nn.tanh`` are the same ops as ``tf.sigmoid`` and ``tf.tanh``.

Recurrent networks: the cells of ``tf.nn.rnn_cell`` are in ``rnn_cell.py``, the functions that
unroll them over time (``tf.nn.dynamic_rnn``, ``tf.nn.static_rnn``, ...) in ``rnn.py``.
"""
from . import rnn_cell
from .not_provided import module_getattr
from .ops.candidate_sampling_ops import (compute_accidental_hits, fixed_unigram_candidate_sampler,
                                         log_uniform_candidate_sampler, uniform_candidate_sampler)
from .ops.nn_impl import (dropout, embedding_lookup, l2_normalize, moments, nce_loss, sampled_softmax_loss,
                          sigmoid_cross_entropy_with_logits)
from .ops.nn_ops import bias_add, elu, in_top_k, l2_loss, leaky_relu, relu, relu6, selu, softplus, softsign, top_k
from .ops.softmax_ops import (log_softmax, softmax, softmax_cross_entropy_with_logits,
                              softmax_cross_entropy_with_logits_v2, sparse_softmax_cross_entropy_with_logits)
from .ops.unary_ops import sigmoid, tanh
from .rnn import bidirectional_dynamic_rnn, dynamic_rnn, static_bidirectional_rnn, static_rnn

__all__ = [
    "relu", "relu6", "leaky_relu", "elu", "selu", "softplus", "softsign", "sigmoid", "tanh", "softmax",
    "log_softmax", "softmax_cross_entropy_with_logits", "softmax_cross_entropy_with_logits_v2",
    "sparse_softmax_cross_entropy_with_logits", "sigmoid_cross_entropy_with_logits", "l2_loss",
    "dropout", "bias_add", "embedding_lookup", "moments", "l2_normalize", "top_k", "in_top_k",
    "nce_loss", "sampled_softmax_loss", "uniform_candidate_sampler", "log_uniform_candidate_sampler",
    "fixed_unigram_candidate_sampler", "compute_accidental_hits",
    "rnn_cell", "dynamic_rnn", "static_rnn", "bidirectional_dynamic_rnn", "static_bidirectional_rnn",
]


def __dir__() -> "list[str]":
    """``dir(tf.nn)`` lists TensorFlow's names only (``__all__``)."""
    return list(__all__)


__getattr__ = module_getattr("tinyflow.nn", "nn", globals())
"""A TensorFlow name of ``tf.nn`` that tinyflow leaves out says so (``not_provided.py``)."""

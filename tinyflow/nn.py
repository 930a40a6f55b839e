"""``tf.nn``: activations, softmax, cross-entropies, dropout and other neural-network ops.

This module is the namespace learners type; the ops themselves are in ``ops/``:
``ops/nn_ops.py`` (activations, ``bias_add``, ``l2_loss``), ``ops/softmax_ops.py`` (softmax and
the softmax cross-entropies, with the numerically stable formulas), ``ops/nn_impl.py`` (ops
built from others: dropout, embedding_lookup, moments, the sigmoid cross-entropy).
``tf.nn.sigmoid`` and ``tf.nn.tanh`` are the same ops as ``tf.sigmoid`` and ``tf.tanh``.
"""
from .not_provided import module_getattr
from .ops.nn_impl import dropout, embedding_lookup, l2_normalize, moments, sigmoid_cross_entropy_with_logits
from .ops.nn_ops import bias_add, elu, in_top_k, l2_loss, leaky_relu, relu, relu6, selu, softplus, softsign, top_k
from .ops.softmax_ops import (log_softmax, softmax, softmax_cross_entropy_with_logits,
                              softmax_cross_entropy_with_logits_v2, sparse_softmax_cross_entropy_with_logits)
from .ops.unary_ops import sigmoid, tanh

__all__ = [
    "relu", "relu6", "leaky_relu", "elu", "selu", "softplus", "softsign", "sigmoid", "tanh", "softmax",
    "log_softmax", "softmax_cross_entropy_with_logits", "softmax_cross_entropy_with_logits_v2",
    "sparse_softmax_cross_entropy_with_logits", "sigmoid_cross_entropy_with_logits", "l2_loss",
    "dropout", "bias_add", "embedding_lookup", "moments", "l2_normalize", "top_k", "in_top_k",
]


def __dir__() -> "list[str]":
    """``dir(tf.nn)`` lists TensorFlow's names only (``__all__``)."""
    return list(__all__)


__getattr__ = module_getattr("tinyflow.nn", "nn", globals())
"""A TensorFlow name of ``tf.nn`` that tinyflow leaves out says so (``not_provided.py``)."""

"""The op families: one file per family, each op one block (function, kernel, shape rule, gradient).

Listed from the bottom up: an op's forward code uses only the families listed before its own;
a gradient rule may use any family (the one sideways reference; ``tests/test_layering.py``
checks both). Families refer to each other through module objects, as TensorFlow's own code
does: ``array_ops.reshape``, ``math_ops.cast``.

==========================  ==========================================================================
``constant_op``             ``tf.constant``; Python and numpy values become constants
``unary_ops``               one-input elementwise maths and ``tf.cast``
``creation_ops``            fill, zeros, ones, ``*_like``, range
``array_ops``               placeholders, identity, shapes as tensors, reshape, squeeze, transpose
``math_ops``                arithmetic (``tf.add``, the divisions, ``tf.add_n``, ...) and ``unbroadcast``
``comparison_ops``          comparisons and logic
``broadcast_ops``           broadcast_to, tile, ``BroadcastGradientArgs``
``reduction_ops``           reduce_*, count_nonzero, argmax, cumsum
``concat_ops``              concat, stack, unstack, split; lists of tensors are stacked
``gather_ops``              gather, unsorted_segment_sum, boolean_mask, one_hot, where
``slicing_ops``             slice, ``x[...]``, strided_slice, pad
``index_ops``               gather_nd, scatter_nd, roll, meshgrid, unique
``segment_ops``             segment_sum/mean/max/min, unsorted_segment_max/min/mean
``diag_ops``                diag, diag_part, matrix_diag, matrix_diag_part, matrix_set_diag, matrix_band_part
``matmul_ops``              matmul
``linalg_ops``              eye, trace, matrix_transpose, inverse, determinant, cholesky, matrix_solve
``einsum_ops``              tensordot, einsum
``control_flow_ops``        no_op, group, tuple, with_dependencies
``tensor_array_ops``        tf.TensorArray: a list of tensors grown one element at a time (in loops)
``tensor_array_grad``       the gradients of the TensorArray ops, through a gradient array
``cond``                    tf.cond: two branches, built from Switch and Merge
``logging_ops``             Print, print, Assert, check_numerics: printing and checking while a graph runs
``check_ops``               the assert_* family (assert_equal, assert_positive, assert_rank, ...)
``control_flow_case``       tf.case, tf.switch_case: nested conds
``while_loop``              tf.while_loop: a frame of ops run once per iteration
``data_flow_ops``           stacks (StackV2, StackPushV2, StackPopV2): forward values kept for a loop's gradient
``control_flow_grad``       the gradient loop of a while loop: counters, stacks, accumulators
``random_ops``              random_uniform, random_normal, ..., the seeding rules
``candidate_sampling_ops``  the candidate samplers (uniform, log-uniform, fixed unigram), accidental hits
``script_ops``              py_func
``parsing_ops``             decode_csv: CSV records to columns (shared with tf.data's CsvDataset)
``lookup_ops``              lookup tables
``nn_ops``                  activations, bias_add, l2_loss
``sort_ops``                sort, argsort (built from nn_ops' top_k)
``softmax_ops``             softmax, log_softmax, the softmax cross-entropies
``nn_impl``                 dropout, embedding_lookup, moments, the sigmoid cross-entropy, l2_normalize,
                            reduce_logsumexp, the sampled losses (nce_loss, sampled_softmax_loss)
``clip_ops``                clip_by_value, clip_by_norm, global_norm, clip_by_global_norm
``operators``               ``a + b``, ``-a``, ``a < b``, ``x[0]`` on tensors
==========================  ==========================================================================
"""
from . import (constant_op, unary_ops, creation_ops, array_ops, math_ops, comparison_ops, broadcast_ops,  # noqa: I001
               reduction_ops, concat_ops, gather_ops, slicing_ops, index_ops, segment_ops,
               diag_ops, matmul_ops, linalg_ops, einsum_ops, control_flow_ops, tensor_array_ops,
               tensor_array_grad, cond, logging_ops, check_ops, control_flow_case, while_loop, data_flow_ops,
               control_flow_grad, random_ops, candidate_sampling_ops, script_ops, parsing_ops, lookup_ops, nn_ops,
               sort_ops, softmax_ops, nn_impl, clip_ops, operators)

FAMILIES = ["constant_op", "unary_ops", "creation_ops", "array_ops", "math_ops", "comparison_ops", "broadcast_ops",
            "reduction_ops", "concat_ops", "gather_ops", "slicing_ops", "index_ops", "segment_ops",
            "diag_ops", "matmul_ops", "linalg_ops", "einsum_ops", "control_flow_ops",
            "tensor_array_ops", "tensor_array_grad", "cond", "logging_ops", "check_ops", "control_flow_case",
            "while_loop", "data_flow_ops", "control_flow_grad", "random_ops", "candidate_sampling_ops", "script_ops",
            "parsing_ops", "lookup_ops", "nn_ops", "sort_ops", "softmax_ops", "nn_impl", "clip_ops", "operators"]
"""The families in order, from the bottom up (the layering test reads this list)."""

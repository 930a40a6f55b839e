"""A table of valid calls to tinyflow's public API, and bad values to put into them, one at a time.

``tests/test_fuzz.py`` draws from it (bounded, with hypothesis): every call with one bad
argument must either work or fail with one of TensorFlow's error classes raised by tinyflow's
own checks (a ``raise`` in its code), never with numpy's or Python's own errors from deep inside.
Each ``Spec`` is a function and the arguments of one valid call; the arguments are built fresh for
every call (in the call's graph).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

import tinyflow as tf
from tinyflow.traceback_utils import raised_by_tinyflow


@dataclass
class Spec:
    name: str
    fn: Callable
    args: "list[Callable[[], Any]]"                 # positional arguments, each made by a function
    kwargs: "dict[str, Callable[[], Any]]"


def _c(value, dtype=None):
    return lambda: tf.constant(value, dtype=dtype)


M = _c(np.arange(6.0).reshape(2, 3), tf.float32)
V = _c([1.0, 2.0, 3.0])
IV = _c([0, 1, 2])
S0 = _c(2.0)
B = _c([True, False, True])


def spec(label, fn, *args, **kwargs):
    return Spec(label, fn, list(args), kwargs)


SPECS = [
    spec("constant", tf.constant, lambda: [1.0, 2.0], dtype=lambda: tf.float32, shape=lambda: [2]),
    spec("placeholder", tf.placeholder, lambda: tf.float32, lambda: [None, 3]),
    spec("zeros", tf.zeros, lambda: [2, 3], dtype=lambda: tf.float32),
    spec("ones_like", tf.ones_like, M),
    spec("fill", tf.fill, lambda: [2, 2], lambda: 1.5),
    spec("range", tf.range, lambda: 0, lambda: 5, lambda: 1),
    spec("reshape", tf.reshape, M, lambda: [3, 2]),
    spec("expand_dims", tf.expand_dims, V, lambda: 0),
    spec("squeeze", tf.squeeze, _c([[1.0, 2.0]]), lambda: 0),
    spec("transpose", tf.transpose, M, lambda: [1, 0]),
    spec("concat", tf.concat, lambda: [tf.constant([1.0]), tf.constant([2.0])], lambda: 0),
    spec("stack", tf.stack, lambda: [tf.constant([1.0]), tf.constant([2.0])], axis=lambda: 0),
    spec("unstack", tf.unstack, M, axis=lambda: 0),
    spec("split", tf.split, M, lambda: 3, axis=lambda: 1),
    spec("slice", tf.slice, M, lambda: [0, 1], lambda: [2, 2]),
    spec("strided_slice", tf.strided_slice, M, lambda: [0, 0], lambda: [2, 2], lambda: [1, 1]),
    spec("pad", tf.pad, M, lambda: [[1, 0], [0, 1]]),
    spec("gather", tf.gather, M, lambda: [1, 0], axis=lambda: 0),
    spec("gather_nd", tf.gather_nd, M, lambda: [[1, 0], [0, 2]]),
    spec("scatter_nd", tf.scatter_nd, lambda: [[1], [0]], V, lambda: [4]),
    spec("segment_sum", tf.segment_sum, V, lambda: [0, 0, 1]),
    spec("segment_max", tf.segment_max, M, lambda: [0, 1]),
    spec("unsorted_segment_mean", tf.unsorted_segment_mean, V, lambda: [1, 0, 1], lambda: 2),
    spec("roll", tf.roll, M, lambda: [1], lambda: [1]),
    spec("meshgrid", tf.meshgrid, V, IV, indexing=lambda: "ij"),
    spec("sort", tf.sort, M, axis=lambda: 0, direction=lambda: "DESCENDING"),
    spec("unique", tf.unique, IV, out_idx=lambda: tf.int64),
    spec("truncatediv", tf.truncatediv, IV, lambda: 2),
    spec("boolean_mask", tf.boolean_mask, V, B),
    spec("one_hot", tf.one_hot, IV, lambda: 3),
    spec("tile", tf.tile, M, lambda: [1, 2]),
    spec("where", tf.where, B, V, V),
    spec("cumsum", tf.cumsum, M, axis=lambda: 1),
    spec("invert_permutation", tf.invert_permutation, lambda: [2, 0, 1]),
    spec("cast", tf.cast, M, lambda: tf.int32),
    spec("add", tf.add, V, V),
    spec("multiply", tf.multiply, V, lambda: 2.0),
    spec("truediv", tf.truediv, V, V),
    spec("floordiv", tf.floordiv, IV, lambda: 2),
    spec("pow", tf.pow, V, lambda: 2.0),
    spec("maximum", tf.maximum, V, S0),
    spec("add_n", tf.add_n, lambda: [tf.constant(1.0), tf.constant(2.0)]),
    spec("matmul", tf.matmul, M, _c(np.ones((3, 2)), tf.float32)),
    spec("matrix_inverse", tf.matrix_inverse, _c([[2.0, 1.0], [1.0, 3.0]]), adjoint=lambda: True),
    spec("matrix_determinant", tf.matrix_determinant, _c([[2.0, 1.0], [1.0, 3.0]])),
    spec("cholesky", tf.cholesky, _c([[2.0, 1.0], [1.0, 3.0]])),
    spec("matrix_solve", tf.matrix_solve, _c([[2.0, 1.0], [1.0, 3.0]]), _c([[1.0], [2.0]])),
    spec("eye", tf.eye, lambda: 2, num_columns=lambda: 3, batch_shape=lambda: [2], dtype=lambda: tf.float32),
    spec("diag", tf.diag, V),
    spec("matrix_diag_part", tf.matrix_diag_part, M),
    spec("matrix_set_diag", tf.matrix_set_diag, M, _c([1.0, 2.0])),
    spec("matrix_band_part", tf.matrix_band_part, M, lambda: 1, lambda: -1),
    spec("trace", tf.trace, M),
    spec("matrix_transpose", tf.matrix_transpose, M),
    spec("tensordot", tf.tensordot, M, _c(np.ones((3, 2)), tf.float32), lambda: [[1], [0]]),
    spec("einsum", tf.einsum, lambda: "ij,jk->ik", M, _c(np.ones((3, 2)), tf.float32)),
    spec("reduce_sum", tf.reduce_sum, M, axis=lambda: 1, keepdims=lambda: True),
    spec("reduce_mean", tf.reduce_mean, M, axis=lambda: 0),
    spec("reduce_max", tf.reduce_max, M, axis=lambda: [0, 1]),
    spec("argmax", tf.argmax, M, lambda: 1),
    spec("count_nonzero", tf.count_nonzero, M, axis=lambda: 0),
    spec("equal", tf.equal, V, V),
    spec("logical_and", tf.logical_and, B, B),
    spec("sqrt", tf.sqrt, V),
    spec("sigmoid", tf.sigmoid, V),
    spec("random_uniform", tf.random_uniform, lambda: [2, 3], minval=lambda: 0.0, maxval=lambda: 1.0,
         seed=lambda: 1),
    spec("random_normal", tf.random_normal, lambda: [2], mean=lambda: 0.0, stddev=lambda: 1.0),
    spec("truncated_normal", tf.truncated_normal, lambda: [2, 2]),
    spec("random_gamma", tf.random_gamma, lambda: [2], lambda: [1.0, 2.0], beta=lambda: 1.0, seed=lambda: 1),
    spec("random_poisson", tf.random_poisson, lambda: [1.0, 2.0], lambda: [2], seed=lambda: 1),
    spec("random_crop", tf.random_crop, M, lambda: [1, 2], seed=lambda: 1),
    spec("nn.relu", tf.nn.relu, V),
    spec("nn.softmax", tf.nn.softmax, M, axis=lambda: -1),
    spec("nn.bias_add", tf.nn.bias_add, M, V),
    spec("nn.dropout", tf.nn.dropout, M, rate=lambda: 0.5, seed=lambda: 1),
    spec("nn.l2_loss", tf.nn.l2_loss, V),
    spec("nn.moments", tf.nn.moments, M, lambda: [0]),
    spec("nn.embedding_lookup", tf.nn.embedding_lookup, M, lambda: [1]),
    spec("nn.softmax_cross_entropy_with_logits_v2", tf.nn.softmax_cross_entropy_with_logits_v2,
         labels=_c([[0.0, 1.0, 0.0]]), logits=_c([[1.0, 2.0, 3.0]])),
    spec("nn.sparse_softmax_cross_entropy_with_logits", tf.nn.sparse_softmax_cross_entropy_with_logits,
         labels=_c([1]), logits=_c([[1.0, 2.0, 3.0]])),
    spec("nn.sigmoid_cross_entropy_with_logits", tf.nn.sigmoid_cross_entropy_with_logits, labels=V, logits=V),
    spec("nn.uniform_candidate_sampler", tf.nn.uniform_candidate_sampler, lambda: [[1, 2]], lambda: 2, lambda: 3,
         lambda: True, lambda: 5, seed=lambda: 1),
    spec("nn.log_uniform_candidate_sampler", tf.nn.log_uniform_candidate_sampler, lambda: [[1]], lambda: 1,
         lambda: 2, lambda: False, lambda: 4),
    spec("nn.fixed_unigram_candidate_sampler", tf.nn.fixed_unigram_candidate_sampler, lambda: [[1]], lambda: 1,
         lambda: 2, lambda: True, lambda: 3, unigrams=lambda: [1.0, 2.0, 3.0], distortion=lambda: 0.5,
         num_reserved_ids=lambda: 0, num_shards=lambda: 1, shard=lambda: 0),
    spec("nn.compute_accidental_hits", tf.nn.compute_accidental_hits, _c([[1, 2]], tf.int64), _c([2, 3], tf.int64),
         lambda: 2),
    spec("nn.nce_loss", tf.nn.nce_loss, _c(np.ones((4, 3)), tf.float32), _c(np.zeros(4), tf.float32),
         lambda: [[1], [2]], M, lambda: 2, lambda: 4, num_true=lambda: 1, remove_accidental_hits=lambda: True),
    spec("nn.sampled_softmax_loss", tf.nn.sampled_softmax_loss, _c(np.ones((4, 3)), tf.float32),
         _c(np.zeros(4), tf.float32), lambda: [[1], [2]], M, lambda: 2, lambda: 4, seed=lambda: 1),
    spec("losses.mean_squared_error", tf.losses.mean_squared_error, V, V),
    spec("losses.softmax_cross_entropy", tf.losses.softmax_cross_entropy, _c([[0.0, 1.0]]), _c([[1.0, 2.0]])),
    spec("layers.dense", tf.layers.dense, M, lambda: 4),
    spec("layers.dropout", tf.layers.dropout, M, rate=lambda: 0.5, training=lambda: True),
    spec("layers.flatten", tf.layers.flatten, M),
    spec("Variable", tf.Variable, lambda: [1.0, 2.0], name=lambda: "v", trainable=lambda: True),
    spec("get_variable", tf.get_variable, lambda: "w", lambda: [2, 3], dtype=lambda: tf.float32),
    spec("gradients", tf.gradients, lambda: tf.constant(2.0) * 3.0, lambda: tf.constant(1.0)),
    spec("group", tf.group, lambda: tf.no_op()),
    spec("name_scope", lambda n: tf.name_scope(n).__enter__(), lambda: "scope"),
    spec("py_func", tf.py_func, lambda: (lambda a: a * 2), lambda: [tf.constant(1.0)], lambda: tf.float32),
    spec("data.Dataset.from_tensor_slices", tf.data.Dataset.from_tensor_slices, lambda: np.arange(6.0)),
    spec("data.Dataset.range", tf.data.Dataset.range, lambda: 5),
    spec("data.Dataset.batch", lambda n: tf.data.Dataset.range(5).batch(n), lambda: 2),
    spec("data.Dataset.shuffle", lambda n: tf.data.Dataset.range(5).shuffle(n, seed=1), lambda: 3),
    spec("data.Dataset.take", lambda n: tf.data.Dataset.range(5).take(n), lambda: 2),
    spec("data.Dataset.repeat", lambda n: tf.data.Dataset.range(5).repeat(n), lambda: 2),
    spec("data.Dataset.prefetch", lambda n: tf.data.Dataset.range(5).prefetch(n), lambda: 1),
    spec("train.GradientDescentOptimizer", lambda lr: tf.train.GradientDescentOptimizer(lr).minimize(
        tf.reduce_sum(tf.Variable([1.0]) * 2.0)), lambda: 0.1),
    spec("train.AdamOptimizer", lambda lr: tf.train.AdamOptimizer(lr).minimize(
        tf.reduce_sum(tf.Variable([1.0]) * 2.0)), lambda: 0.1),
    spec("train.Saver", lambda v: tf.train.Saver(v), lambda: [tf.Variable(1.0)]),
    spec("feature_column.numeric_column", tf.feature_column.numeric_column, lambda: "a", shape=lambda: [2]),
    spec("feature_column.categorical_column_with_vocabulary_list",
         tf.feature_column.categorical_column_with_vocabulary_list, lambda: "a", lambda: ["x", "y"]),
    spec("summary.scalar", tf.summary.scalar, lambda: "loss", S0),
    spec("summary.histogram", tf.summary.histogram, lambda: "h", V),
    spec("cond", tf.cond, lambda: tf.constant(True), lambda: (lambda: tf.constant(1.0)),
         lambda: (lambda: tf.constant(2.0))),
    spec("cond/values", lambda pred, a, b: tf.cond(pred, lambda: a, lambda: b), lambda: tf.constant(True), V, V),
    spec("case", tf.case, lambda: [(tf.constant(True), lambda: tf.constant(1.0))], default=lambda: (
        lambda: tf.constant(2.0))),
    spec("while_loop", tf.while_loop, lambda: (lambda i: i < 3), lambda: (lambda i: i + 1), lambda: [0]),
    spec("while_loop/values", lambda v, limit: tf.while_loop(lambda i, v: i < limit, lambda i, v: (i + 1, v * 2.0),
                                                             [0, v]), V, lambda: 3),
    spec("while_loop/options", lambda **kw: tf.while_loop(lambda i: i < 3, lambda i: i + 1, [0], **kw),
         shape_invariants=lambda: [tf.TensorShape([])], maximum_iterations=lambda: 2, parallel_iterations=lambda: 4),
    spec("TensorArray", lambda *a, **kw: tf.TensorArray(*a, **kw).write(0, tf.constant(1.0)).stack(),
         lambda: tf.float32, size=lambda: 2, element_shape=lambda: []),
    spec("TensorArray.read_write", lambda index, value: tf.TensorArray(tf.float32, size=3).write(
        index, value).read(index), lambda: 1, S0),
    spec("TensorArray.unstack", lambda value: tf.TensorArray(tf.float32, size=2).unstack(value).stack(), M),
]


class _Odd:
    """An object tinyflow has never heard of."""

    def __repr__(self) -> str:
        return "<odd object>"


BAD_VALUES: "list[Callable[[], Any]]" = [
    lambda: None, lambda: -1, lambda: -5, lambda: 0, lambda: 2.5, lambda: "abc", lambda: b"xyz", lambda: [],
    lambda: [[1, 2], [3]], lambda: {}, lambda: {"a": 1}, lambda: _Odd(), lambda: float("nan"), lambda: 1e30,
    lambda: True, lambda: 2 ** 40, lambda: (1, 2, 3, 4, 5, 6, 7), lambda: tf.constant("s"),
    lambda: tf.constant([1, 2]), lambda: tf.constant([[1.0, 2.0], [3.0, 4.0]]), lambda: tf.zeros([0]),
    lambda: tf.placeholder(tf.float32), lambda: tf.no_op(), lambda: np.zeros((2, 0)), lambda: tf.float64,
    lambda: tf.int64, lambda: [None], lambda: [-1, -1], lambda: 10 ** 4,
]

ACCEPTED_ERRORS = (tf.errors.OpError, ValueError, TypeError, NotImplementedError, LookupError, AssertionError)
"""The classes a bad argument may raise (KeyError and IndexError are LookupErrors; AssertionError as
TensorFlow for a few calls)."""


def call_with(spec: Spec, position: Any, bad: Any) -> Any:
    """``spec``'s call with the argument at ``position`` (an index or a keyword) replaced by ``bad``."""
    args = [make() for make in spec.args]
    kwargs = {k: make() for k, make in spec.kwargs.items()}
    if isinstance(position, int):
        args[position] = bad
    else:
        kwargs[position] = bad
    return spec.fn(*args, **kwargs)


def positions(spec: Spec) -> list:
    return list(range(len(spec.args))) + list(spec.kwargs)


def runnable(result: Any) -> list:
    """The tensors and ops in ``result`` that a session can run with nothing fed (variables and
    tables are initialized first)."""
    found = []
    stack = [result]
    while stack:
        r = stack.pop()
        if isinstance(r, (list, tuple)):
            stack.extend(r)
        elif isinstance(r, (tf.Tensor, tf.Operation)):
            if not any(op.type == "Placeholder" for op in tf.get_default_graph().get_operations()):
                found.append(r)
    return found


def outcome(spec: Spec, position: Any, bad_index: int) -> "tuple[str, str]":
    """What one call with one bad argument does, built and (when it can be) run in a fresh graph:
    ``("ok", "")``, ``("clean", <error class>)`` for an error that tinyflow raised on purpose, or
    ``("leak", <where>)`` for anything else (numpy's or Python's own error from deep inside)."""
    with tf.Graph().as_default():
        try:
            targets = runnable(call_with(spec, position, BAD_VALUES[bad_index]()))
            if targets:
                with tf.Session() as sess:
                    sess.run([tf.global_variables_initializer(), tf.tables_initializer()])
                    sess.run(targets)
        except Exception as e:  # noqa: BLE001 - classifying every error is the point
            name = type(e).__name__
            inner = e.__cause__ if isinstance(e, tf.errors.OpError) and e.__cause__ is not None else e
            if isinstance(e, ACCEPTED_ERRORS) and (raised_by_tinyflow(inner.__traceback__) or (
                    isinstance(e, tf.errors.ResourceExhaustedError) and isinstance(inner, MemoryError))):
                return "clean", name                     # (out of memory in a kernel is TensorFlow's OOM error)
            tb = inner.__traceback__
            while tb.tb_next is not None:
                tb = tb.tb_next
            if tb.tb_frame.f_code.co_filename == __file__ and isinstance(e, (TypeError, ValueError)):
                return "clean", name             # the caller's own function (a loop body) failed on the value
            return "leak", "%s at %s:%d" % (type(inner).__name__, tb.tb_frame.f_code.co_filename, tb.tb_lineno)
    return "ok", ""


def every_call() -> list:
    """``(spec, position, bad_index)`` for every spec, argument and bad value in the table."""
    return [(s, p, b) for s in SPECS for p in positions(s) for b in range(len(BAD_VALUES))]


if __name__ == "__main__":                           # python tests/fuzz_api.py: the whole table
    import collections
    import time

    start = time.perf_counter()
    kinds: collections.Counter = collections.Counter()
    leaks: collections.Counter = collections.Counter()
    for s, p, b in every_call():
        kind, detail = outcome(s, p, b)
        kinds[kind] += 1
        if kind == "leak":
            leaks[detail] += 1
            print("leak: %s(%s=BAD_VALUES[%d]): %s" % (s.name, p, b, detail))
    print("%d calls in %.1f s: %s; %d leak sites" % (sum(kinds.values()), time.perf_counter() - start,
                                                      dict(kinds), len(leaks)))

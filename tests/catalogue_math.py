"""Op catalogue entries for math_ops: arithmetic, elementwise functions, operators, matmul,
reductions, comparisons, logic and casts. Each ``Case`` is checked by test_op_catalogue.py
(forward value against numpy, static shapes, numerical gradients).
"""
from __future__ import annotations

import numpy as np

import tinyflow as tf
from op_catalogue import Case

# --------------------------------------------------------------------------------------------
# Shapes and input domains
# --------------------------------------------------------------------------------------------
UNARY = [((2, 3),), ((),), ((4,),)]
BINARY = [((2, 3), (2, 3)), ((2, 3), (3,)), ((2, 1), (1, 3)), ((), (2, 3)), ((2, 3), ())]
# Broadcasting variants where x has the full (output) shape: used where x must be shaped by y.
BINARY_FULL_X = [((2, 3), (2, 3)), ((2, 3), (3,)), ((2, 3), (2, 1)), ((2, 3), ())]


def uniform(lo, hi, dtype="float64"):
    """Values drawn uniformly from [lo, hi)."""
    return lambda rng, shape: rng.uniform(lo, hi, size=shape).astype(dtype)


def away_from_zero(lo, hi):
    """Magnitudes in [lo, hi) with random signs: safe divisors, no kinks of |x| nearby."""
    return lambda rng, shape: rng.uniform(lo, hi, size=shape) * rng.choice([-1.0, 1.0], size=shape)


def small_ints(lo, hi, dtype="float64"):
    """Integers in [lo, hi) (as floats by default): comparisons then have ties."""
    return lambda rng, shape: rng.randint(lo, hi, size=shape).astype(dtype)


def booleans(rng, shape):
    return rng.uniform(size=shape) < 0.5


def draw(*domains):
    """``Case.inputs`` drawing input i from ``domains[i]``."""
    return lambda rng, shapes: [np.asarray(d(rng, s)) for d, s in zip(domains, shapes)]


def mod_inputs(rng, shapes):
    """x, y with x/y at least 0.2 away from an integer, where floor(x/y) jumps."""
    y = away_from_zero(1.0, 2.0)(rng, shapes[1])
    q = rng.randint(-3, 3, size=shapes[0]) + rng.uniform(0.2, 0.8, size=shapes[0])
    return [np.asarray(q * y), np.asarray(y)]


CASES = []


def add(*cases):
    CASES.extend(cases)


# --------------------------------------------------------------------------------------------
# Binary arithmetic: the tf.* functions and the Python operators
# --------------------------------------------------------------------------------------------
add(
    Case("add", tf.add, np.add, BINARY),
    Case("add/operator", lambda x, y: x + y, np.add, BINARY),
    Case("subtract", tf.subtract, np.subtract, BINARY),
    Case("subtract/operator", lambda x, y: x - y, np.subtract, BINARY),
    Case("multiply", tf.multiply, np.multiply, BINARY),
    Case("multiply/operator", lambda x, y: x * y, np.multiply, BINARY),
    Case("divide", tf.divide, np.divide, BINARY, inputs=draw(uniform(-2, 2), away_from_zero(0.5, 2))),
    Case("truediv", tf.truediv, np.divide, BINARY, inputs=draw(uniform(-2, 2), away_from_zero(0.5, 2))),
    Case("truediv/operator", lambda x, y: x / y, np.divide, BINARY,
         inputs=draw(uniform(-2, 2), away_from_zero(0.5, 2))),
    Case("truediv/int32", lambda x, y: x / y, lambda x, y: x / y, BINARY, grad=False, dtype="int32",
         inputs=draw(small_ints(-5, 6, "int32"), lambda rng, s: (rng.randint(1, 4, size=s)
                                                                 * rng.choice([-1, 1], size=s)).astype("int32"))),
    Case("realdiv", tf.realdiv, np.divide, BINARY[:2], inputs=draw(uniform(-2, 2), away_from_zero(0.5, 2))),
    Case("div_no_nan", tf.div_no_nan, lambda x, y: np.where(y == 0, 0.0, x / np.where(y == 0, 1.0, y)),
         [((2, 3), (2, 3)), ((2, 3), (3,))], grad=False,
         inputs=draw(uniform(-2, 2), small_ints(-1, 2))),
    Case("floordiv", tf.floordiv, np.floor_divide, BINARY, grad=False,
         inputs=draw(uniform(-4, 4), away_from_zero(0.5, 2))),
    Case("floordiv/operator", lambda x, y: x // y, np.floor_divide, BINARY, grad=False,
         inputs=draw(uniform(-4, 4), away_from_zero(0.5, 2))),
    Case("floordiv/int32", lambda x, y: x // y, np.floor_divide, BINARY[:2], grad=False, dtype="int32",
         inputs=draw(small_ints(-7, 8, "int32"), lambda rng, s: (rng.randint(1, 4, size=s)
                                                                 * rng.choice([-1, 1], size=s)).astype("int32"))),
    Case("mod", tf.mod, np.mod, BINARY_FULL_X, inputs=mod_inputs),
    Case("mod/operator", lambda x, y: x % y, np.mod, BINARY_FULL_X, inputs=mod_inputs),
    Case("mod/broadcast_x", tf.mod, np.mod, [((), (2, 3)), ((2, 1), (1, 3))], grad=False,
         inputs=draw(uniform(-4, 4), away_from_zero(0.5, 2))),
    Case("pow", tf.pow, np.power, BINARY, inputs=draw(uniform(0.5, 2), uniform(-2, 2))),
    Case("pow/operator", lambda x, y: x ** y, np.power, BINARY, inputs=draw(uniform(0.5, 2), uniform(-2, 2))),
    Case("maximum", tf.maximum, np.maximum, BINARY),
    Case("minimum", tf.minimum, np.minimum, BINARY),
    Case("squared_difference", tf.squared_difference, lambda x, y: (x - y) ** 2, BINARY),
    Case("scalar_mul", lambda s, x: tf.scalar_mul(s, x), np.multiply, [((), (2, 3))]),
    Case("add_n", lambda a, b, c: tf.add_n([a, b, c]), lambda a, b, c: a + b + c,
         [((2, 3),) * 3, ((),) * 3]),
)

# Operators with a Python number or a numpy array on either side.
add(
    Case("operator/tensor+number", lambda x: x + 1, lambda x: x + 1, UNARY),
    Case("operator/number-tensor", lambda x: 3.0 - x, lambda x: 3.0 - x, UNARY),
    Case("operator/number*tensor", lambda x: 2 * x, lambda x: 2 * x, UNARY),
    Case("operator/number/tensor", lambda x: 2.0 / x, lambda x: 2.0 / x, UNARY,
         inputs=draw(away_from_zero(0.5, 2))),
    Case("operator/number**tensor", lambda x: 1.5 ** x, lambda x: 1.5 ** x, UNARY),
    Case("operator/tensor**number", lambda x: x ** 3, lambda x: x ** 3, UNARY),
    Case("operator/number//tensor", lambda x: 7.0 // x, lambda x: 7.0 // x, UNARY, grad=False,
         inputs=draw(away_from_zero(0.5, 2))),
    Case("operator/number%tensor", lambda x: 5.0 % x, lambda x: 5.0 % x, UNARY, grad=False,
         inputs=draw(away_from_zero(0.5, 2))),
    Case("operator/array+tensor", lambda x: np.array([1.0, 2.0, 3.0]) + x,
         lambda x: np.array([1.0, 2.0, 3.0]) + x, [((2, 3),), ((3,),)]),
    Case("operator/tensor*array", lambda x: x * np.array([[2.0], [3.0]]),
         lambda x: x * np.array([[2.0], [3.0]]), [((2, 3),)]),
    Case("operator/numpy_scalar*tensor", lambda x: np.float64(2.5) * x, lambda x: 2.5 * x, UNARY),
    Case("operator/neg", lambda x: -x, np.negative, UNARY),
    Case("operator/abs", lambda x: abs(x), np.abs, UNARY, inputs=draw(away_from_zero(0.1, 2))),
)

# --------------------------------------------------------------------------------------------
# Unary elementwise functions
# --------------------------------------------------------------------------------------------
add(
    Case("negative", tf.negative, np.negative, UNARY),
    Case("abs", tf.abs, np.abs, UNARY, inputs=draw(away_from_zero(0.1, 2))),
    Case("sign", tf.sign, np.sign, UNARY, inputs=draw(away_from_zero(0.1, 2))),
    Case("square", tf.square, np.square, UNARY),
    Case("sqrt", tf.sqrt, np.sqrt, UNARY, low=0.5),
    Case("rsqrt", tf.rsqrt, lambda x: 1 / np.sqrt(x), UNARY, low=0.5),
    Case("reciprocal", tf.reciprocal, np.reciprocal, UNARY, inputs=draw(away_from_zero(0.5, 2))),
    Case("exp", tf.exp, np.exp, UNARY),
    Case("log", tf.log, np.log, UNARY, low=0.5),
    Case("log1p", tf.log1p, np.log1p, UNARY, low=-0.5),
    Case("sin", tf.sin, np.sin, UNARY),
    Case("cos", tf.cos, np.cos, UNARY),
    Case("sigmoid", tf.sigmoid, lambda x: 1 / (1 + np.exp(-x)), UNARY, low=-5, high=5),
    Case("tanh", tf.tanh, np.tanh, UNARY),
    # Their gradients are single ops (SigmoidGrad, TanhGrad), differentiable in turn:
    Case("sigmoid/SigmoidGrad", lambda x: tf.gradients(tf.reduce_sum(tf.sigmoid(x) * x), x)[0],
         lambda x: 1 / (1 + np.exp(-x)) + x * np.exp(-x) / (1 + np.exp(-x)) ** 2, UNARY, low=-4, high=4),
    Case("tanh/TanhGrad", lambda x: tf.gradients(tf.reduce_sum(tf.tanh(x) * x), x)[0],
         lambda x: np.tanh(x) + x * (1 - np.tanh(x) ** 2), UNARY),
)

# --------------------------------------------------------------------------------------------
# Matrix multiplication
# --------------------------------------------------------------------------------------------
def _t(m):
    return np.swapaxes(m, -1, -2)


add(
    Case("matmul", tf.matmul, np.matmul, [((2, 3), (3, 4)), ((1, 3), (3, 1))]),
    Case("matmul/transpose_a", lambda a, b: tf.matmul(a, b, transpose_a=True),
         lambda a, b: _t(a) @ b, [((3, 2), (3, 4))]),
    Case("matmul/transpose_b", lambda a, b: tf.matmul(a, b, transpose_b=True),
         lambda a, b: a @ _t(b), [((2, 3), (4, 3))]),
    Case("matmul/transpose_both", lambda a, b: tf.matmul(a, b, transpose_a=True, transpose_b=True),
         lambda a, b: _t(a) @ _t(b), [((3, 2), (4, 3))]),
    Case("matmul/operator", lambda a, b: a @ b, np.matmul, [((2, 3), (3, 4))]),
    Case("matmul/batch", tf.matmul, np.matmul, [((2, 2, 3), (2, 3, 4)), ((2, 2, 3), (3, 2)),
                                                ((3, 2), (2, 2, 3))]),
    Case("matmul/batch_transpose", lambda a, b: tf.matmul(a, b, transpose_a=True, transpose_b=True),
         lambda a, b: _t(a) @ _t(b), [((2, 3, 2), (2, 4, 3))]),
)

# --------------------------------------------------------------------------------------------
# Reductions
# --------------------------------------------------------------------------------------------
_REDUCTIONS = [("reduce_sum", tf.reduce_sum, np.sum), ("reduce_mean", tf.reduce_mean, np.mean),
               ("reduce_max", tf.reduce_max, np.max), ("reduce_min", tf.reduce_min, np.min),
               ("reduce_prod", tf.reduce_prod, np.prod)]


def _np_axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


for _name, _tf_fn, _np_fn in _REDUCTIONS:
    for _variant, _kwargs, _shapes in [
            ("", {}, [((2, 3),), ((4,),), ((),)]),
            ("/axis0", {"axis": 0}, [((2, 3),), ((3,),)]),
            ("/axis1", {"axis": 1}, [((2, 3),), ((2, 3, 2),)]),
            ("/axis-1", {"axis": -1}, [((2, 3),)]),
            ("/axis01", {"axis": [0, 1]}, [((2, 3),), ((2, 3, 2),)]),
            ("/axis02", {"axis": [0, 2]}, [((2, 3, 2),)]),
            ("/keepdims", {"axis": 1, "keepdims": True}, [((2, 3),)]),
            ("/keepdims_all", {"keepdims": True}, [((2, 3),)])]:
        add(Case(_name + _variant,
                 lambda x, _f=_tf_fn, _k=_kwargs: _f(x, **_k),
                 lambda x, _f=_np_fn, _k=_kwargs: np.asarray(
                     _f(x, axis=_np_axis(_k.get("axis")), keepdims=_k.get("keepdims", False))),
                 _shapes))
    # TF1's old argument names.
    add(Case(_name + "/keep_dims_alias",
             lambda x, _f=_tf_fn: _f(x, reduction_indices=[1], keep_dims=True),
             lambda x, _f=_np_fn: _f(x, axis=1, keepdims=True), [((2, 3),)]))


def _with_zeros(rng, shapes):
    """Rows with no zero, one zero and two zeros: the product rule's hard cases."""
    x = rng.uniform(0.5, 2, size=shapes[0]) * rng.choice([-1.0, 1.0], size=shapes[0])
    x[1, 1] = 0.0
    x[2, 0] = x[2, 2] = 0.0
    return [x]


add(Case("reduce_prod/zeros", lambda x: tf.reduce_prod(x, axis=1), lambda x: np.prod(x, axis=1),
         [((3, 3),)], inputs=_with_zeros),
    Case("reduce_prod/zeros_all", tf.reduce_prod, lambda x: np.asarray(np.prod(x)), [((3, 3),)],
         inputs=_with_zeros))

add(
    Case("argmax", tf.argmax, lambda x: np.argmax(x, axis=0), [((2, 3),), ((4,),)], grad=False),
    Case("argmax/axis1", lambda x: tf.argmax(x, axis=1), lambda x: np.argmax(x, axis=1), [((2, 3),)],
         grad=False),
    Case("argmin", tf.argmin, lambda x: np.argmin(x, axis=0), [((2, 3),), ((4,),)], grad=False),
    Case("argmin/axis-1", lambda x: tf.argmin(x, axis=-1), lambda x: np.argmin(x, axis=-1), [((2, 3),)],
         grad=False),
    Case("count_nonzero", lambda x: tf.count_nonzero(x, axis=1), lambda x: np.count_nonzero(x, axis=1),
         [((2, 3),)], grad=False, inputs=draw(small_ints(0, 2))),
    Case("reduce_any", lambda x: tf.reduce_any(x, axis=0), lambda x: np.any(x, axis=0), [((2, 3),)],
         grad=False, inputs=draw(booleans)),
    Case("reduce_all", tf.reduce_all, lambda x: np.asarray(np.all(x)), [((2, 3),)], grad=False,
         inputs=draw(booleans)),
)

# --------------------------------------------------------------------------------------------
# Comparisons and logic (bool results: no gradients)
# --------------------------------------------------------------------------------------------
_TIES = draw(small_ints(0, 3), small_ints(0, 3))
add(
    Case("equal", tf.equal, np.equal, BINARY, grad=False, inputs=_TIES),
    Case("not_equal", tf.not_equal, np.not_equal, BINARY, grad=False, inputs=_TIES),
    Case("less", tf.less, np.less, BINARY, grad=False, inputs=_TIES),
    Case("less_equal", tf.less_equal, np.less_equal, BINARY, grad=False, inputs=_TIES),
    Case("greater", tf.greater, np.greater, BINARY, grad=False, inputs=_TIES),
    Case("greater_equal", tf.greater_equal, np.greater_equal, BINARY, grad=False, inputs=_TIES),
    Case("operator/<", lambda x, y: x < y, np.less, BINARY[:2], grad=False, inputs=_TIES),
    Case("operator/<=", lambda x, y: x <= y, np.less_equal, BINARY[:2], grad=False, inputs=_TIES),
    Case("operator/>", lambda x, y: x > y, np.greater, BINARY[:2], grad=False, inputs=_TIES),
    Case("operator/>=", lambda x, y: x >= y, np.greater_equal, BINARY[:2], grad=False, inputs=_TIES),
    Case("operator/number<tensor", lambda x: 1.0 < x, lambda x: 1.0 < x, UNARY, grad=False,
         inputs=draw(small_ints(0, 3))),
)
_BOOLS = draw(booleans, booleans)
add(
    Case("logical_and", tf.logical_and, np.logical_and, BINARY, grad=False, inputs=_BOOLS),
    Case("logical_or", tf.logical_or, np.logical_or, BINARY, grad=False, inputs=_BOOLS),
    Case("logical_xor", tf.logical_xor, np.logical_xor, BINARY, grad=False, inputs=_BOOLS),
    Case("logical_not", tf.logical_not, np.logical_not, UNARY, grad=False, inputs=draw(booleans)),
    Case("operator/&", lambda x, y: x & y, np.logical_and, BINARY[:2], grad=False, inputs=_BOOLS),
    Case("operator/|", lambda x, y: x | y, np.logical_or, BINARY[:2], grad=False, inputs=_BOOLS),
    Case("operator/^", lambda x, y: x ^ y, np.logical_xor, BINARY[:2], grad=False, inputs=_BOOLS),
    Case("operator/~", lambda x: ~x, np.logical_not, UNARY, grad=False, inputs=draw(booleans)),
)

# --------------------------------------------------------------------------------------------
# Casts
# --------------------------------------------------------------------------------------------
add(
    Case("cast/float64->int32", lambda x: tf.cast(x, tf.int32), lambda x: x.astype(np.int32), UNARY,
         grad=False, low=-5, high=5),
    Case("cast/int32->float64", lambda x: tf.cast(x, tf.float64), lambda x: x.astype(np.float64), UNARY,
         grad=False, dtype="int32", inputs=draw(small_ints(-5, 5, "int32"))),
    Case("cast/bool->float64", lambda x: tf.cast(x, tf.float64), lambda x: x.astype(np.float64), UNARY,
         grad=False, inputs=draw(booleans)),
    # Through float32 and back: the gradient passes both casts; float32 rounding limits accuracy.
    Case("cast/float64->float32->float64", lambda x: tf.cast(tf.cast(x, tf.float32), tf.float64),
         lambda x: x.astype(np.float32).astype(np.float64), UNARY, tolerance=1e-3),
    Case("cast/float64->float32", lambda x: tf.cast(x, tf.float32), lambda x: x.astype(np.float32), UNARY,
         tolerance=1e-3),
)

# --------------------------------------------------------------------------------------------
# Rounding and number kinds (unary_ops), clipping (clip_ops), log-sum-exp, l2_normalize (nn_impl),
# top_k (nn_ops)
# --------------------------------------------------------------------------------------------
add(
    Case("round", tf.round, np.round, UNARY, grad=False),
    Case("rint", tf.rint, np.rint, UNARY, grad=False),
    Case("floor", tf.floor, np.floor, UNARY, grad=False),
    Case("ceil", tf.ceil, np.ceil, UNARY, grad=False),
    Case("expm1", tf.expm1, np.expm1, UNARY),
    Case("is_nan", tf.is_nan, np.isnan, UNARY, grad=False),
    Case("is_finite", tf.is_finite, np.isfinite, UNARY, grad=False),
    Case("is_inf", tf.is_inf, np.isinf, UNARY, grad=False),
    Case("clip_by_value", lambda x: tf.clip_by_value(x, -1.0, 1.0), lambda x: np.clip(x, -1.0, 1.0), UNARY,
         inputs=draw(away_from_zero(0.1, 2))),
    Case("clip_by_norm", lambda x: tf.clip_by_norm(x, 1.0),
         lambda x: x * 1.0 / max(np.sqrt((x * x).sum()), 1.0), UNARY[:1]),
    Case("global_norm", lambda x, y: tf.global_norm([x, y]), lambda x, y: np.sqrt((x * x).sum() + (y * y).sum()),
         BINARY[:1]),
    Case("reduce_logsumexp", lambda x: tf.reduce_logsumexp(x, axis=-1),
         lambda x: np.log(np.exp(x).sum(axis=-1)), [((2, 3),), ((4,),)]),
    Case("nn.l2_normalize", lambda x: tf.nn.l2_normalize(x, axis=1),
         lambda x: x / np.sqrt((x * x).sum(axis=1, keepdims=True)), [((2, 3),)]),
    Case("nn.top_k", lambda x: tf.nn.top_k(x, 2)[0], lambda x: -np.sort(-x, axis=-1)[..., :2], [((2, 4),), ((5,),)]),
)

# reverse (array_ops), sequence_mask (gather_ops), linspace (creation_ops)
add(
    Case("reverse", lambda x: tf.reverse(x, [1]), lambda x: x[:, ::-1], [((2, 3),)]),
    Case("reverse/both", lambda x: tf.reverse(x, [0, -1]), lambda x: x[::-1, ::-1], [((2, 3),)]),
    Case("sequence_mask", lambda x: tf.cast(tf.sequence_mask([1, 3], 4), x.dtype) * x,
         lambda x: np.array([[1, 0, 0, 0], [1, 1, 1, 0]], x.dtype) * x, [((2, 4),)]),
    Case("linspace", lambda x: tf.linspace(0.0, 1.0, 5) * x, lambda x: np.linspace(0.0, 1.0, 5, dtype=np.float32) * x,
         [((5,),)], dtype="float32", tolerance=1e-2),
)

# --------------------------------------------------------------------------------------------
# Candidate samplers, accidental hits (candidate_sampling_ops) and the sampled losses (nn_impl).
# A sampler's expected counts without unique sampling are P(k) * num_sampled, whatever it drew.
# --------------------------------------------------------------------------------------------
LABELS = np.array([[1, 4], [4, 0], [0, 5], [2, 2]])
SAMPLED = np.array([0, 2, 5])
SAMPLED_VALUES = (SAMPLED, np.array([[0.3, 0.4], [0.2, 0.5], [0.5, 0.1], [0.6, 0.6]]), np.array([0.5, 0.4, 0.1]))


def class_ids(high):
    """inputs=: int64 class ids in [0, high) of the case's (only) shape."""
    return lambda rng, shapes: [rng.randint(0, high, size=shapes[0]).astype(np.int64)]


def log_uniform_p(k, range_max):
    return (np.log(k + 2.0) - np.log(k + 1.0)) / np.log(range_max + 1.0)


def accidental_hits_reference(labels, sampled):
    """(row, last position in ``sampled``) of every true class that was sampled, row-major."""
    hits = [(i, np.flatnonzero(sampled == c)[-1]) for i, row in enumerate(labels) for c in row if c in sampled]
    return np.array(hits, np.int64).reshape(-1, 2)


def sampled_loss_reference(kind, w, b, x, labels, sampled, true_q, sampled_q, remove_accidental_hits):
    """tf.nn.nce_loss (kind "nce") or tf.nn.sampled_softmax_loss in numpy: the logits x.w_k + b_k - log Q(k)
    of the true classes then the sampled ones, a sampled class that is a true class at -FLOAT_MAX."""
    true_logits = np.einsum("id,itd->it", x, w[labels]) + b[labels] - np.log(true_q)
    sampled_logits = x @ w[sampled].T + b[sampled]
    if remove_accidental_hits:
        hit = (labels[:, :, None] == sampled[None, None, :]).any(axis=1)
        sampled_logits = sampled_logits + np.where(hit, -np.finfo(np.float32).max, 0.0)
    logits = np.concatenate([true_logits, sampled_logits - np.log(sampled_q)], 1)
    z = np.concatenate([np.full(labels.shape, 1.0 / labels.shape[1]), np.zeros((len(x), len(sampled)))], 1)
    if kind == "nce":
        return (np.maximum(logits, 0) - logits * z + np.log1p(np.exp(-np.abs(logits)))).sum(1)
    m = logits.max(1, keepdims=True)
    return -(z * (logits - m - np.log(np.exp(logits - m).sum(1, keepdims=True)))).sum(1)


def _sampled_loss_case(name, fn, kind, remove_accidental_hits):
    def build(w, b, x):
        values = tuple(tf.constant(v) for v in SAMPLED_VALUES)
        return fn(w, b, LABELS, x, 3, 6, num_true=2, sampled_values=values,
                  remove_accidental_hits=remove_accidental_hits)
    return Case(name, build, lambda w, b, x: sampled_loss_reference(kind, w, b, x, LABELS, *SAMPLED_VALUES,
                                                                   remove_accidental_hits),
                [((6, 3), (6,), (4, 3))])


add(
    Case("nn.uniform_candidate_sampler", lambda c: tf.nn.uniform_candidate_sampler(c, 2, 3, False, 10)[1],
         lambda c: np.full(c.shape, 3 / 10, np.float32), [((4, 2),)], grad=False, inputs=class_ids(10)),
    Case("nn.log_uniform_candidate_sampler", lambda c: tf.nn.log_uniform_candidate_sampler(c, 1, 5, False, 8)[1],
         lambda c: (log_uniform_p(c, 8) * 5).astype(np.float32), [((3, 1),)], grad=False, inputs=class_ids(8)),
    Case("nn.fixed_unigram_candidate_sampler", lambda c: tf.nn.fixed_unigram_candidate_sampler(
        c, 2, 4, False, 5, unigrams=[1, 2, 3, 4, 6]).true_expected_count,
         lambda c: (np.array([1, 2, 3, 4, 6])[c] / 16 * 4).astype(np.float32), [((3, 2),)], grad=False,
         inputs=class_ids(5)),
    Case("nn.compute_accidental_hits", lambda c: (lambda h: tf.stack([tf.cast(h.indices, tf.int64), h.ids], 1))(
        tf.nn.compute_accidental_hits(c, SAMPLED, 2)), lambda c: accidental_hits_reference(c, SAMPLED),
         [((5, 2),)], grad=False, inputs=class_ids(6), static_shape="partial"),
    _sampled_loss_case("nn.nce_loss", tf.nn.nce_loss, "nce", False),
    _sampled_loss_case("nn.nce_loss/remove_accidental_hits", tf.nn.nce_loss, "nce", True),
    _sampled_loss_case("nn.sampled_softmax_loss", tf.nn.sampled_softmax_loss, "softmax", True),
)


# --------------------------------------------------------------------------------------------
# Linear algebra (ops/linalg_ops.py) and contractions (ops/einsum_ops.py)
# --------------------------------------------------------------------------------------------
def well_conditioned(rng, shapes):
    """Square matrices (or stacks) with a dominant diagonal: safely invertible, determinant far from 0."""
    return [rng.uniform(-1.0, 1.0, size=s) + 2.0 * s[-1] * np.eye(s[-1]) for s in shapes]


def positive_definite(rng, shapes):
    """Symmetric positive-definite matrices (Cholesky): A A^T + n I."""
    a = rng.uniform(-1.0, 1.0, size=shapes[0])
    return [a @ np.swapaxes(a, -1, -2) + shapes[0][-1] * np.eye(shapes[0][-1])]


def solve_inputs(rng, shapes):
    return well_conditioned(rng, shapes[:1]) + [rng.uniform(-2.0, 2.0, size=shapes[1])]


def tensor_diag(x):
    return np.diag(x.ravel()).reshape(x.shape + x.shape)


def tensor_diag_part(x):
    half = x.shape[:x.ndim // 2]
    return np.diagonal(x.reshape(int(np.prod(half)), -1)).reshape(half)


def matrix_diag(d):
    return d[..., None] * np.eye(d.shape[-1])


def matrix_diag_part(x):
    return np.diagonal(x, axis1=-2, axis2=-1)


def matrix_set_diag(x, d):
    k = np.arange(min(x.shape[-2:]))
    out = x.copy()
    out[..., k, k] = d
    return out


def band(x, lower, upper):
    i, j = np.ogrid[:x.shape[-2], :x.shape[-1]]
    return np.where(((lower < 0) | (i - j <= lower)) & ((upper < 0) | (j - i <= upper)), x, 0.0)


def swap_last(x):
    return np.swapaxes(x, -1, -2)


def sym_cholesky(x):
    return np.linalg.cholesky(0.5 * (x + swap_last(x)))


def einsum_case(equation, shapes, **kw):
    return Case("einsum/" + equation, lambda *xs: tf.einsum(equation, *xs), lambda *xs: np.einsum(equation, *xs),
                shapes, **kw)


add(
    Case("diag", tf.diag, tensor_diag, [((3,),), ((2, 2),)]),
    Case("diag_part", tf.diag_part, tensor_diag_part, [((3, 3),), ((2, 3, 2, 3),)]),
    Case("matrix_diag", tf.matrix_diag, matrix_diag, [((3,),), ((2, 3),)]),
    Case("matrix_diag_part", tf.matrix_diag_part, matrix_diag_part, [((3, 3),), ((2, 3, 4),), ((2, 4, 3),)]),
    Case("matrix_set_diag", tf.matrix_set_diag, matrix_set_diag, [((3, 3), (3,)), ((2, 3, 4), (2, 3))]),
    Case("matrix_band_part", lambda x: tf.matrix_band_part(x, 1, 0), lambda x: band(x, 1, 0),
         [((4, 4),), ((2, 3, 5),)]),
    Case("matrix_band_part/upper", lambda x: tf.matrix_band_part(x, 0, -1), lambda x: band(x, 0, -1), [((3, 4),)]),
    Case("eye", lambda x: x + tf.eye(3, dtype=tf.float64), lambda x: x + np.eye(3), [((3, 3),)]),
    Case("eye/rectangular_batch", lambda x: x * tf.eye(2, 3, batch_shape=[2], dtype=tf.float64),
         lambda x: x * np.eye(2, 3), [((2, 2, 3),)]),
    Case("trace", tf.trace, lambda x: np.trace(x, axis1=-2, axis2=-1), [((3, 3),), ((2, 3, 4),)]),
    Case("matrix_transpose", tf.matrix_transpose, swap_last, [((2, 3),), ((2, 3, 4),)]),
    Case("matrix_inverse", tf.matrix_inverse, np.linalg.inv, [((3, 3),), ((2, 3, 3),)], inputs=well_conditioned),
    Case("matrix_inverse/adjoint", lambda x: tf.matrix_inverse(x, adjoint=True),
         lambda x: np.linalg.inv(swap_last(x)), [((3, 3),)], inputs=well_conditioned),
    Case("matrix_determinant", tf.matrix_determinant, np.linalg.det, [((3, 3),), ((2, 2, 2),)],
         inputs=well_conditioned, tolerance=1e-3),
    Case("cholesky", lambda x: tf.cholesky(0.5 * (x + tf.matrix_transpose(x))), sym_cholesky,
         [((3, 3),), ((2, 3, 3),)], inputs=positive_definite),
    Case("matrix_solve", tf.matrix_solve, np.linalg.solve, [((3, 3), (3, 2)), ((2, 3, 3), (2, 3, 1))],
         inputs=solve_inputs),
    Case("matrix_solve/adjoint", lambda a, b: tf.matrix_solve(a, b, adjoint=True),
         lambda a, b: np.linalg.solve(swap_last(a), b), [((3, 3), (3, 2))], inputs=solve_inputs),
    Case("tensordot", lambda a, b: tf.tensordot(a, b, 1), lambda a, b: np.tensordot(a, b, 1), [((2, 3), (3, 4))]),
    Case("tensordot/pairs", lambda a, b: tf.tensordot(a, b, [[1, 2], [1, 0]]),
         lambda a, b: np.tensordot(a, b, [[1, 2], [1, 0]]), [((2, 3, 4), (4, 3))]),
    Case("tensordot/outer", lambda a, b: tf.tensordot(a, b, 0), lambda a, b: np.tensordot(a, b, 0),
         [((2,), (3,)), ((2, 2), (3,))]),
    einsum_case("ij,jk->ik", [((2, 3), (3, 4))]),
    einsum_case("bij,bjk->bik", [((2, 2, 3), (2, 3, 4))]),
    einsum_case("i,i->", [((3,), (3,))]),
    einsum_case("ij->ji", [((2, 3),)]),
    einsum_case("ij,ij->ij", [((2, 3), (2, 3))]),
    einsum_case("bi,bi->b", [((2, 3), (2, 3))]),
    einsum_case("i,j->ij", [((2,), (3,))]),
    einsum_case("ij->", [((2, 3),)]),
    einsum_case("ii->", [((3, 3),)]),
    einsum_case("ii->i", [((3, 3),)]),
    einsum_case("ij,jk", [((2, 3), (3, 4))]),
    einsum_case("ij,jk,kl->il", [((2, 3), (3, 4), (4, 2))]),
    einsum_case("...ij,...jk->...ik", [((2, 2, 3), (3, 4)), ((1, 2, 3), (2, 3, 4))]),
)

"""Property-based fuzzing (hypothesis, bounded so that ``make test`` stays quick).

* Bad arguments: every call of ``fuzz_api``'s table with one bad argument, and random values of
  every kind in random positions, either works or fails with one of TensorFlow's error classes
  raised by tinyflow's own checks, never with numpy's or Python's errors from deep inside.
* Random small differentiable graphs (multi-output ops with one output among them) have the
  gradients, and second derivatives, that central differences give.
* Random failing runs leave variables, iterator positions and tables as they were.

``python tests/fuzz_api.py`` runs the whole bad-argument table and prints its figures.
"""
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fuzz_api
import tinyflow as tf
from op_catalogue import check_gradients

EXAMPLES = int(os.environ.get("TINYFLOW_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize="TINYFLOW_FUZZ_EXAMPLES" not in os.environ,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
"""Bounded and the same examples every run; ``TINYFLOW_FUZZ_EXAMPLES=5000`` draws that many new ones."""


# ---------------------------------------------------------------------------------------------
# Bad arguments
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("spec", fuzz_api.SPECS, ids=[s.name for s in fuzz_api.SPECS])
def test_every_bad_value_in_every_argument_fails_cleanly(spec):
    leaks = []
    for position in fuzz_api.positions(spec):
        for bad in range(len(fuzz_api.BAD_VALUES)):
            kind, detail = fuzz_api.outcome(spec, position, bad)
            if kind == "leak":
                leaks.append("%s=BAD_VALUES[%d]: %s" % (position, bad, detail))
    assert not leaks, "\n".join(leaks)


_scalars = st.one_of(st.none(), st.booleans(), st.integers(-2 ** 70, 2 ** 70),
                     st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=4),
                     st.binary(max_size=4))
_values = st.recursive(_scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                         st.tuples(inner, inner),
                                                         st.dictionaries(st.text(max_size=2), inner, max_size=2)),
                       max_leaves=6)


class _Value:
    """A drawn value, shown by its repr in hypothesis's report and made fresh for each call."""

    def __init__(self, value):
        self.value = value

    def __repr__(self):
        return repr(self.value)


@FUZZ
@given(st.sampled_from(fuzz_api.SPECS), st.data())
def test_random_values_in_random_arguments_fail_cleanly(spec, data):
    position = data.draw(st.sampled_from(fuzz_api.positions(spec)), label="position")
    value = data.draw(_values, label="value")
    fuzz_api.BAD_VALUES.append(lambda: value)
    try:
        kind, detail = fuzz_api.outcome(spec, position, len(fuzz_api.BAD_VALUES) - 1)
    finally:
        fuzz_api.BAD_VALUES.pop()
    assert kind != "leak", "%s(%s=%r): %s" % (spec.name, position, value, detail)


# ---------------------------------------------------------------------------------------------
# Random differentiable graphs against numerical gradients
# ---------------------------------------------------------------------------------------------
# Each step turns a rank-2 tensor of a known shape into another; `draw(shape)` picks the step's
# parameters and returns (what it does to a tensor, the new shape).
def _unary(fn):
    return lambda data, shape: (fn, shape)


def _binary(fn):
    def draw(data, shape):
        row = data.draw(st.booleans(), label="broadcast a row")
        other = np.linspace(0.5, 1.5, shape[1] if row else shape[0] * shape[1]).reshape((1, -1) if row else shape)
        return (lambda t: fn(t, tf.constant(other))), shape
    return draw


def _reduce(fn):
    def draw(data, shape):
        axis = data.draw(st.sampled_from([0, 1]), label="axis")
        return (lambda t: fn(t, axis=axis, keepdims=True)), tuple(1 if a == axis else d for a, d in enumerate(shape))
    return draw


def _matmul(data, shape):
    k = data.draw(st.integers(1, 3), label="columns")
    other = np.linspace(-1.0, 1.0, shape[1] * k).reshape(shape[1], k)
    return (lambda t: tf.matmul(t, tf.constant(other))), (shape[0], k)


def _unstack(data, shape):
    axis = data.draw(st.sampled_from([0, 1]), label="axis")
    i = data.draw(st.integers(0, shape[axis] - 1), label="piece")
    return (lambda t: tf.expand_dims(tf.unstack(t, axis=axis)[i], axis)), \
        tuple(1 if a == axis else d for a, d in enumerate(shape))


def _split(data, shape):
    axis = data.draw(st.sampled_from([0, 1]), label="axis")
    num = data.draw(st.sampled_from([n for n in (1, 2, 3) if shape[axis] % n == 0]), label="pieces")
    i = data.draw(st.integers(0, num - 1), label="piece")
    return (lambda t: tf.split(t, num, axis=axis)[i]), \
        tuple(d // num if a == axis else d for a, d in enumerate(shape))


def _concat(data, shape):
    axis = data.draw(st.sampled_from([0, 1]), label="axis")
    return (lambda t: tf.concat([t, tf.square(t)], axis)), \
        tuple(2 * d if a == axis else d for a, d in enumerate(shape))


def _stack(data, shape):
    return (lambda t: tf.reduce_sum(tf.stack([t, 2.0 * t], axis=1), axis=1)), shape


def _gather(data, shape):
    axis = data.draw(st.sampled_from([0, 1]), label="axis")
    indices = data.draw(st.lists(st.integers(0, shape[axis] - 1), min_size=1, max_size=3), label="indices")
    return (lambda t: tf.gather(t, indices, axis=axis)), \
        tuple(len(indices) if a == axis else d for a, d in enumerate(shape))


def _slice(data, shape):
    start = data.draw(st.integers(0, shape[1] - 1), label="start")
    return (lambda t: t[:, start:]), (shape[0], shape[1] - start)


def _cumsum(data, shape):
    axis = data.draw(st.sampled_from([0, 1]), label="axis")
    reverse = data.draw(st.booleans(), label="reverse")
    return (lambda t: tf.cumsum(t, axis=axis, reverse=reverse)), shape


STEPS = {
    "tanh": _unary(tf.tanh), "sigmoid": _unary(tf.sigmoid), "sin": _unary(tf.sin), "square": _unary(tf.square),
    "softplus": _unary(tf.nn.softplus), "exp": _unary(lambda t: tf.exp(0.3 * t)),
    "softmax": _unary(tf.nn.softmax), "relu6": _unary(lambda t: tf.nn.relu6(3.0 * t)),
    "leaky_relu": _unary(lambda t: tf.nn.leaky_relu(t, 0.2)),
    "transpose": lambda data, shape: (tf.transpose, shape[::-1]),
    "add": _binary(tf.add), "multiply": _binary(tf.multiply), "subtract": _binary(tf.subtract),
    "divide": _binary(tf.truediv), "reduce_sum": _reduce(tf.reduce_sum), "reduce_mean": _reduce(tf.reduce_mean),
    "matmul": _matmul, "unstack": _unstack, "split": _split, "concat": _concat, "stack": _stack,
    "gather": _gather, "slice": _slice, "cumsum": _cumsum,
}


@FUZZ
@given(st.data())
def test_random_graphs_have_the_gradients_of_central_differences(data):
    shape = (data.draw(st.integers(1, 3), label="rows"), data.draw(st.integers(1, 3), label="columns"))
    x = np.random.RandomState(data.draw(st.integers(0, 99), label="seed")).uniform(-1.0, 1.0, shape)
    steps = []
    for _ in range(data.draw(st.integers(1, 5), label="steps")):
        name = data.draw(st.sampled_from(sorted(STEPS)), label="step")
        build, shape = STEPS[name](data, shape)
        steps.append(build)

    def graph(t):
        for build in steps:
            t = build(t)
        return t

    if data.draw(st.booleans(), label="second derivatives"):     # the gradient graph is differentiable too
        check_gradients(lambda t: tf.gradients(tf.reduce_sum(graph(t)), t)[0], x, tol=1e-5)
    else:
        check_gradients(graph, x, tol=1e-5)


@FUZZ
@given(st.data())
def test_random_loop_bodies_have_the_gradients_of_central_differences(data):
    """A tf.while_loop whose body is random steps that keep the shape (on the loop variable and
    on x, which enters as a loop constant too), now and then behind a tf.cond."""
    shape = (data.draw(st.integers(1, 3), label="rows"), data.draw(st.integers(1, 3), label="columns"))
    x = np.random.RandomState(data.draw(st.integers(0, 99), label="seed")).uniform(-1.0, 1.0, shape)
    same_shape = [n for n in sorted(STEPS) if n not in ("transpose", "reduce_sum", "reduce_mean", "matmul", "unstack",
                                                        "split", "concat", "gather", "slice")]
    steps = [STEPS[data.draw(st.sampled_from(same_shape), label="step")](data, shape)[0]
             for _ in range(data.draw(st.integers(1, 3), label="steps"))]
    iterations = data.draw(st.integers(0, 3), label="iterations")
    in_cond = data.draw(st.booleans(), label="behind a cond")

    def graph(t):
        def body(i, v):
            for build in steps:
                v = build(v)
            v = 0.5 * tf.tanh(v) + 0.3 * t          # (bounded: no overflow over the iterations)
            if in_cond:
                v = tf.cond(tf.equal(i % 2, 0), lambda: v, lambda: tf.sin(v))
            return i + 1, v
        return tf.while_loop(lambda i, v: i < iterations, body, [0, t])[1]
    check_gradients(graph, x, tol=1e-5)


# ---------------------------------------------------------------------------------------------
# Random failing runs change no state
# ---------------------------------------------------------------------------------------------
class _World:
    """A variable, an optimizer step, an iterator and a table, with a way to read each."""

    def __init__(self):
        self.v = tf.Variable([1.0, 2.0], name="v")
        loss = tf.reduce_sum(tf.square(self.v))
        self.effects = {
            "assign_add": tf.assign_add(self.v, [10.0, 10.0]),
            "assign": tf.assign(self.v, [-1.0, -1.0]),
            "train": tf.train.GradientDescentOptimizer(0.1).minimize(loss),
            "next": tf.data.Dataset.range(100).make_one_shot_iterator().get_next(),
        }
        column = tf.feature_column.indicator_column(
            tf.feature_column.categorical_column_with_vocabulary_list("k", ["a", "b"]))
        self.lookup = tf.feature_column.input_layer({"k": tf.constant([["b"]])}, [column])
        self.effects["tables"] = tf.tables_initializer()
        self.x = tf.placeholder(tf.float32, name="x")
        self.index = tf.placeholder(tf.int32, name="index")

    def failing(self, kind):
        if kind == "reshape":
            return tf.reshape(self.x, [2, 2])
        if kind == "gather":
            return tf.gather(tf.constant([1.0, 2.0]), self.index)
        return tf.py_func(_fail, [self.x], tf.float32)

    def state(self, sess):
        try:
            table = sess.run(self.lookup).tolist()
        except tf.errors.FailedPreconditionError:
            table = "not initialized"
        return sess.run(self.v).tolist(), table


def _fail(x):
    raise ValueError("a py_func that fails")


@FUZZ
@given(st.lists(st.sampled_from(["assign_add", "assign", "train", "next", "tables"]), min_size=1, max_size=4,
                unique=True),
       st.sampled_from(["reshape", "gather", "py_func"]), st.booleans(), st.integers(0, 3))
def test_random_failing_runs_leave_variables_iterators_and_tables_unchanged(effects, failure, after, warm_up):
    with tf.Graph().as_default():
        world = _World()
        feed = {world.x: [1.0, 2.0, 3.0], world.index: 7}
        if after:                     # the failing op waits for the effects, so they run before it fails
            with tf.control_dependencies([world.effects[e] for e in effects]):
                bad = world.failing(failure)
            fetches = [bad]
        else:
            fetches = [world.effects[e] for e in effects] + [world.failing(failure)]
        with tf.Session() as sess:
            sess.run(world.v.initializer)
            for _ in range(warm_up):                       # some iterator and variable history first
                sess.run([world.effects["next"], world.effects["assign_add"]])
            before = world.state(sess)
            with pytest.raises(tf.errors.OpError):
                sess.run(fetches, feed)
            assert world.state(sess) == before
            assert sess.run(world.effects["next"]) == warm_up

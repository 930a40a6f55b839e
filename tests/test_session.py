"""Session.run: fetch structures, feeds, one evaluation per run, errors (as TensorFlow 1.15 behaves)."""
import collections

import numpy as np
import pytest

import tinyflow as tf


@pytest.fixture
def abt():
    a = tf.constant(3.0)
    b = tf.constant(4.0)
    return a, b, a + b


def test_scalar_fetch_is_a_numpy_scalar(abt):
    a, b, total = abt
    with tf.Session() as sess:
        v = sess.run(total)
    assert v == 7.0 and type(v) is np.float32


def test_nested_fetch_structures(abt):
    a, b, total = abt
    P = collections.namedtuple("P", ["x", "y"])
    sess = tf.Session()
    assert sess.run({"ab": (a, b), "total": total}) == {"ab": (3.0, 4.0), "total": 7.0}
    out = sess.run({"k": [a, (b, {"t": total})], "j": P(x=a, y=[b])})
    assert out == {"k": [3.0, (4.0, {"t": 7.0})], "j": P(x=3.0, y=[4.0])}
    assert isinstance(out["j"], P)
    od = sess.run(collections.OrderedDict([("z", a), ("a", b)]))
    assert isinstance(od, collections.OrderedDict) and list(od) == ["z", "a"]
    assert sess.run([a, a, (a,)]) == [3.0, 3.0, (3.0,)]
    # flat lists and tuples (built straight from the fetched values)
    pair = sess.run((a, b))
    assert pair == (3.0, 4.0) and type(pair) is tuple
    assert sess.run([b, a, total]) == [4.0, 3.0, 7.0] and sess.run([a, a]) == [3.0, 3.0]
    assert sess.run((a, b, a)) == (3.0, 4.0, 3.0)
    flat = sess.run(P(x=a, y=b))             # equal to the tuple (a, b), but a structure of its own
    assert type(flat) is P and flat == P(x=3.0, y=4.0)
    mine = sess.run([a, b])
    mine.append(0.0)                         # each run returns a new list
    assert sess.run([a, b]) == [3.0, 4.0]
    assert sess.run([]) == [] and sess.run({}) == {}
    assert sess.run("add:0") == 7.0 and sess.run("add") is None
    assert sess.run(total.op) is None


def test_invalid_fetches(abt):
    sess = tf.Session()
    with pytest.raises(TypeError, match="Fetch argument None has invalid type <class 'NoneType'>"):
        sess.run(None)
    with pytest.raises(TypeError, match="Fetch argument None has invalid type"):
        sess.run([abt[0], None])
    with pytest.raises(TypeError, match=r"Fetch argument 1 has invalid type <class 'int'>, must be a string or Tensor"):
        sess.run(1)
    with pytest.raises(ValueError, match=r"Fetch argument 'nope:0' cannot be interpreted as a Tensor. "
                                         r"\(\"The name 'nope:0' refers to a Tensor which does not exist"):
        sess.run("nope:0")
    with pytest.raises(ValueError, match="exists but only has 1 outputs"):
        sess.run("add:3")
    with pytest.raises(ValueError, match="refers to an Operation not in the graph"):
        sess.run("nope")


def test_fetch_from_another_graph(abt):
    g = tf.Graph()
    with g.as_default():
        other = tf.constant(1.0)
    with pytest.raises(ValueError, match=r"Fetch argument <tf.Tensor 'Const:0' shape=\(\) dtype=float32> cannot be "
                                         r"interpreted as a Tensor. \(Tensor Tensor\(\"Const:0\", shape=\(\), "
                                         r"dtype=float32\) is not an element of this graph.\)"):
        tf.Session().run(other)
    with pytest.raises(TypeError, match="Cannot interpret feed_dict key as Tensor: Tensor Tensor"):
        tf.Session().run(abt[2], {other: 1.0})


def test_feeding_placeholders():
    x = tf.placeholder(tf.float32)
    y = tf.placeholder(tf.float32)
    z = x + y
    sess = tf.Session()
    assert sess.run(z, feed_dict={x: 3, y: 4.5}) == 7.5
    np.testing.assert_array_equal(sess.run(z, feed_dict={x: [1, 3], y: [2, 4]}), [3., 7.])
    np.testing.assert_array_equal(sess.run(z, feed_dict={x: [[1], [3]], y: [2, 4]}), [[3, 5], [5, 7]])
    assert sess.run(z, feed_dict={"Placeholder:0": 1, "Placeholder_1:0": 2}) == 3.0


def test_any_tensor_can_be_fed(abt):
    a, b, total = abt
    sess = tf.Session()
    assert sess.run(total, {a: 10}) == 14.0
    double = total * 2
    assert sess.run(double, {total: 1.0}) == 2.0
    # a fetched fed tensor returns the converted fed value, as an array even when 0-d
    res = sess.run([a, total], {a: 10})
    assert isinstance(res[0], np.ndarray) and res[0].dtype == np.float32 and res[1] == 14.0


def test_a_nested_tuple_of_tensors_is_fed_from_a_value_of_the_same_structure():
    # TF1's idiom for an RNN's state carried between runs: feed_dict={initial_state: state}, where
    # initial_state is a tuple of LSTMStateTuples and state the previous run's final state
    cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicLSTMCell(3) for _ in range(2)])
    initial_state = cell.zero_state(2, tf.float32)
    total = tf.add_n([tf.reduce_sum(t) for pair in initial_state for t in pair])
    sess = tf.Session()
    state = sess.run(initial_state)
    assert type(state[1]).__name__ == "LSTMStateTuple" and state[1].h.shape == (2, 3)
    state = tuple(tf.nn.rnn_cell.LSTMStateTuple(s.c + 1.0, s.h + 2.0) for s in state)
    assert sess.run(total, {initial_state: state}) == 2 * 6 * (1.0 + 2.0)
    assert sess.run(total, {initial_state: ((state[0].c, state[0].h), [state[1].c, state[1].h])}) == 36.0
    x, y = tf.placeholder(tf.float32, [2]), tf.placeholder(tf.float32, [2])
    np.testing.assert_array_equal(sess.run(x + y, {(x, (y,)): (np.ones(2), (np.zeros(2),))}), [1., 1.])
    assert sess.run(total, {(): ()}) == 0.0
    # the messages are TF's (seen in TF 2.21's tf.compat.v1): a list in the value is a structure too
    with pytest.raises(ValueError, match=r"^Could not flatten dictionary. Key had 2 elements, but value had 4 "
                                         r"elements. Key: \[<tf.Tensor 'Placeholder:0' shape=\(2,\) dtype=float32>, "
                                         r"<tf.Tensor 'Placeholder_1:0' shape=\(2,\) dtype=float32>\], value: "
                                         r"\[1, 1, 2, 2\].\nFix: "):
        sess.run(x + y, {(x, y): [[1, 1], [2, 2]]})
    with pytest.raises(ValueError, match="Key had 2 elements, but value had 1 elements"):
        sess.run(x + y, {(x, y): np.ones((2, 2))})
    with pytest.raises(ValueError, match=r"^Cannot flatten dict because this key is not unique: "
                                         r"Tensor\(\"Placeholder:0\", shape=\(2,\), dtype=float32\)\nFix: "):
        sess.run(x + y, {x: np.ones(2), (x, y): (np.ones(2), np.ones(2))})
    with pytest.raises(TypeError, match="Cannot interpret feed_dict key as Tensor: Can not convert a int into a "
                                        "Tensor"):
        sess.run(x + y, {(x, 3): (np.ones(2), np.ones(2)), y: np.ones(2)})


def test_feed_conversion_and_shape_checks():
    x = tf.placeholder(tf.float32, [None, 3])
    i = tf.placeholder(tf.int32)
    sess = tf.Session()
    with pytest.raises(ValueError, match=r"Cannot feed value of shape \(3,\) for Tensor 'Placeholder:0', which has "
                                         r"shape '\(\?, 3\)'"):
        sess.run(x, {x: [1., 2., 3.]})
    assert sess.run(x, {x: np.zeros((0, 3))}).shape == (0, 3)
    np.testing.assert_array_equal(sess.run(i, {i: [1.7, -2.7]}), [1, -2])
    with pytest.raises(ValueError, match="could not convert string to float"):
        sess.run(x, {x: [["abc", 1, 2]]})
    with pytest.raises(TypeError, match="Type of feed value 1099511627776 with type <class 'int'> is not compatible"):
        sess.run(i, {i: 2 ** 40})
    with pytest.raises(TypeError, match="The value of a feed cannot be a tf.Tensor object"):
        sess.run(i, {i: tf.constant(1)})
    with pytest.raises(TypeError, match="Cannot interpret feed_dict key as Tensor: The name 'Placeholder' refers to "
                                        "an Operation, not a Tensor"):
        sess.run(i, {"Placeholder": 1})
    with pytest.raises(TypeError,
                       match="Cannot interpret feed_dict key as Tensor: Can not convert a Operation into a Tensor"):
        sess.run(i, {x.op: 1})


def test_unfed_placeholder_error_names_it_and_the_line():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    y = x * 2.0
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        tf.Session().run(y)
    assert e.value.message.splitlines()[0] == (
        "You must feed a value for placeholder tensor 'x' with dtype float and shape [?,3]")
    assert e.value.op.name == "x" and e.value.error_code == tf.errors.INVALID_ARGUMENT
    assert __file__ in str(e.value)           # points at the line that created x
    assert "feed_dict" in str(e.value)        # and says how to fix it
    with pytest.raises(tf.errors.InvalidArgumentError, match="(?m)placeholder tensor 'Placeholder' with dtype float$"):
        tf.Session().run(tf.placeholder(tf.float32) + 1.0)


def test_unneeded_placeholders_need_no_feed(abt):
    tf.placeholder(tf.float32)
    assert tf.Session().run(abt[2]) == 7.0


def test_runtime_kernel_error_is_invalid_argument():
    x = tf.placeholder(tf.float32)
    m = tf.matmul(tf.reshape(x, [1, -1]), tf.constant([[1.0], [2.0]]))
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        tf.Session().run(m, {x: [1., 2., 3.]})
    assert e.value.op is m.op and "MatMul" in e.value.message


def test_closed_and_empty_sessions():
    sess = tf.Session()
    with pytest.raises(RuntimeError,
                       match=r"The Session graph is empty.  Add operations to the graph before calling run\(\)."):
        sess.run("x:0")
    c = tf.constant(1.0)
    sess.close()
    with pytest.raises(RuntimeError, match="Attempted to use a closed Session."):
        sess.run(c)
    with pytest.raises(TypeError, match="graph must be a tf.Graph"):
        tf.Session(graph=1)


def test_default_session_eval_and_run(abt):
    a, b, total = abt
    with pytest.raises(ValueError, match="No default session is registered"):
        total.eval()
    sess = tf.Session()
    with sess.as_default():
        assert total.eval() == 7.0
        assert tf.get_default_session() is sess
        total.op.run()
    assert total.eval(session=sess) == 7.0
    with tf.Session() as s2:
        assert total.eval() == 7.0 and tf.get_default_session() is s2
    isess = tf.InteractiveSession()
    assert total.eval() == 7.0
    isess.close()
    assert tf.get_default_session() is None


def test_session_uses_default_graph_at_creation():
    g = tf.Graph()
    with g.as_default():
        c = tf.constant(2.0)
        sess = tf.Session()
    assert sess.graph is g and sess.run(c) == 2.0
    d = tf.constant(3.0)  # default graph, not g
    with pytest.raises(ValueError, match="is not an element of this graph"):
        sess.run(d)


def test_ops_added_after_session_creation_can_run(abt):
    sess = tf.Session()
    assert sess.run(abt[2]) == 7.0
    more = abt[2] * 10.0
    assert sess.run(more) == 70.0


def test_each_op_runs_once_per_run_and_only_needed_ops_run():
    calls = []

    def f(x):
        calls.append(1)
        return x + 1

    x = tf.constant(1.0)
    y = tf.py_func(f, [x], tf.float32)
    z = tf.py_func(f, [x], tf.float32)  # not fetched: must not run
    sess = tf.Session()
    r = sess.run([y, y * 2.0, y + 0.0])
    assert r == [2.0, 4.0, 2.0] and len(calls) == 1
    sess.run(y)
    assert len(calls) == 2
    del z


def test_fetched_arrays_are_safe_to_modify():
    c = tf.constant([1.0, 2.0])
    sess = tf.Session()
    v = sess.run(c)
    v[0] = 100.0
    np.testing.assert_array_equal(sess.run(c), [1.0, 2.0])


def test_string_results():
    sess = tf.Session()
    assert sess.run(tf.constant("a")) == b"a"
    r = sess.run(tf.constant(["a", "bc"]))
    assert r.dtype == object and list(r) == [b"a", b"bc"]


def test_plans_are_reused():
    x = tf.placeholder(tf.float32)
    y = x * 2.0
    sess = tf.Session()
    sess.run(y, {x: 1.0})
    n = len(sess._plans)
    for i in range(5):
        assert sess.run(y, {x: float(i)}) == 2.0 * i
    assert len(sess._plans) == n


def test_dict_fetches_keep_the_callers_keys_across_cached_plans(abt):
    # 1, 1.0 and True are equal dict keys; a cached plan must not hand back another call's key.
    a, b, total = abt
    sess = tf.Session()
    for key in (1, True, 1.0):
        out = sess.run({key: total})
        assert out == {key: 7.0} and type(next(iter(out))) is type(key)


def test_a_run_nested_in_a_kernel_joins_the_enclosing_run():
    # A py_func calling sess.run must not store the outer run's writes early, and a
    # failing nested run must drop only its own writes.
    v = tf.Variable(1.0, name="v")
    w = tf.Variable(0.0, name="w")
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    inc_v, inc_w = tf.assign_add(v, 1.0), tf.assign_add(w, 1.0)
    shape = tf.placeholder(tf.int32, [1])
    bad_nested = tf.reshape(inc_w, shape)         # fails after writing w when fed [5]

    def nested(x):
        sess.run(v)                               # a plain nested run
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(bad_nested, {shape: [5]})
        return x

    def fail(x):
        raise ValueError("boom")

    with tf.control_dependencies([inc_v]):
        middle = tf.py_func(nested, [tf.constant(1.0)], tf.float32)
    with tf.control_dependencies([middle]):
        last_fails = tf.py_func(fail, [tf.constant(1.0)], tf.float32)
    with pytest.raises(tf.errors.InvalidArgumentError):
        sess.run(last_fails)
    assert sess.run([v, w]) == [1.0, 0.0]
    sess.run(middle)                              # succeeds: v's write is kept, w's nested one is not
    assert sess.run([v, w]) == [2.0, 0.0]


def test_feeding_one_output_of_a_multi_output_op():
    # regression: the op still runs for its other output, but the fed value must win
    p, q = tf.split(tf.constant([1., 2., 3., 4.]), 2)
    out_p, out_q, s = tf.Session().run([p, q, p * 2.0], {p: [10., 20.]})
    np.testing.assert_array_equal(out_p, [10., 20.])
    np.testing.assert_array_equal(out_q, [3., 4.])
    np.testing.assert_array_equal(s, [20., 40.])


def test_identities_and_noops_cost_no_step_but_variable_reads_do():
    # tf.identity and NoOps (e.g. the gating tf.tuple puts into an optimizer's gradients) pass
    # values on without a kernel call; reading a variable (v/read) stays a step, because it must
    # see the value from before the update that follows it in the same run
    x = tf.placeholder(tf.float32, [None])
    v = tf.Variable(1.0, name="v")
    y = tf.tuple([tf.identity(x * v), x])[0]
    update = tf.assign_add(v, 1.0)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    out, _ = sess.run([y, update], {x: [1.0, 2.0]})
    np.testing.assert_array_equal(out, [1.0, 2.0])
    assert sess.run(v) == 2.0
    plan = list(sess._plans.values())[1][0]
    assert [step.op.name for step in plan.steps] == ["v/read", "mul", "AssignAdd"]


def test_control_inputs_run_what_has_an_effect_and_skip_unread_values():
    calls = []

    def note(name):
        def fn(v):
            calls.append(name)
            return v
        return fn

    x = tf.placeholder(tf.float32, [None, 3])
    v = tf.Variable(0.0)
    quiet = tf.py_func(note("stateless"), [x], tf.float32, stateful=False)
    loud = tf.py_func(note("stateful"), [x], tf.float32, stateful=True)
    with tf.control_dependencies([tf.assign_add(v, 1.0), quiet, loud]):
        y = tf.identity(x)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    sess.run(y, {x: np.ones((2, 3))})
    assert sess.run(v) == 1.0 and calls == ["stateful"]    # nobody reads `quiet`'s value

    # An optimizer groups each op's gradients (tf.tuple): the gradient for the input x, grouped
    # with the kernel's, is read by no update, so it is not computed
    pred = tf.layers.dense(x, 2)
    train = tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_mean(tf.square(pred)))
    sess.run(tf.global_variables_initializer())
    sess.run(train, {x: np.ones((2, 3))})
    plan = list(sess._plans.values())[-1][0]
    ran = [step.op.name for step in plan.steps]
    assert "gradients/dense/MatMul_grad/MatMul_1" in ran and "gradients/dense/MatMul_grad/MatMul" not in ran
    x_grad = tf.get_default_graph().get_tensor_by_name("gradients/dense/MatMul_grad/tuple/control_dependency:0")
    assert sess.run(x_grad, {x: np.ones((2, 3))}).shape == (2, 3)      # computed when it is read


def test_constant_subgraphs_are_folded_once_per_plan():
    # ops that depend only on constants (or on a fully known static shape) are computed while
    # planning, so a run executes only what can change
    x = tf.placeholder(tf.float32, [2, 3])
    c = tf.constant([1.0, 2.0, 3.0]) * 2.0
    y = x * c + tf.reduce_sum(tf.ones_like(x))
    sess = tf.Session()
    out = sess.run(y, {x: np.ones((2, 3))})
    np.testing.assert_array_equal(out, [[8, 10, 12], [8, 10, 12]])
    plan = list(sess._plans.values())[-1][0]
    assert [step.op.type for step in plan.steps] == ["Mul", "AddV2"]
    folded = sess.run(c)
    folded[0] = 100.0                       # a fetched folded value is the caller's own copy
    np.testing.assert_array_equal(sess.run(c), [2, 4, 6])


def test_random_and_stateful_ops_are_never_folded():
    tf.set_random_seed(1)
    r = tf.random_uniform([3]) * 1.0
    sess = tf.Session()
    assert not np.array_equal(sess.run(r), sess.run(r))


def test_state_handles_are_put_in_place_once_per_plan_but_state_still_changes():
    """Variables, iterators and tables are handles to session state: a plan looks them up once,
    while what they point to changes from run to run."""
    v = tf.Variable(1.0, name="v")
    bump = tf.assign_add(v, 1.0)
    nxt = tf.data.Dataset.range(3).make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert [sess.run((v + 0.0, nxt)) for _ in range(2)] == [(1.0, 0), (1.0, 1)]
        sess.run(bump)
        assert sess.run((v + 0.0, nxt)) == (2.0, 2)
        steps = [step.op.type for entry in sess._plans.values() for step in entry[0].steps]
    assert "VariableV2" not in steps and "OneShotIterator" not in steps
    assert "IteratorGetNext" in steps and "AssignAdd" in steps
    with tf.Session() as other:                      # another session: its own state, from the start
        other.run(v.initializer)
        assert other.run((v + 0.0, nxt)) == (1.0, 0)

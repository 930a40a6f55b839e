"""tf.cond, tf.case, tf.while_loop: graphs as TF1 builds them, runs, gradients through a cond.

Golden values and names: TensorFlow 2.21, tensorflow.compat.v1 with disable_v2_behavior().
"""
import numpy as np
import pytest

import tinyflow as tf
from op_catalogue import check_gradients


def _ops(graph=None):
    graph = graph or tf.get_default_graph()
    return {op.name: (op.type, [t.name for t in op.inputs], [c.name for c in op.control_inputs])
            for op in graph.get_operations()}


def test_cond_builds_switch_and_merge_as_tf1():
    x = tf.placeholder(tf.float32, [], name="x")
    r = tf.cond(x > 0, lambda: x * 2.0, lambda: tf.log(x) + tf.constant(1.0))
    assert str(r) == 'Tensor("cond/Merge:0", shape=(), dtype=float32)'
    # TF 2.21 compat.v1: the same nodes, inputs and control inputs
    assert _ops() == {
        "x": ("Placeholder", [], []),
        "Greater/y": ("Const", [], []),
        "Greater": ("Greater", ["x:0", "Greater/y:0"], []),
        "cond/Switch": ("Switch", ["Greater:0", "Greater:0"], []),
        "cond/switch_t": ("Identity", ["cond/Switch:1"], []),
        "cond/switch_f": ("Identity", ["cond/Switch:0"], []),
        "cond/pred_id": ("Identity", ["Greater:0"], []),
        "cond/mul/y": ("Const", [], ["cond/switch_t"]),
        "cond/mul": ("Mul", ["cond/mul/Switch:1", "cond/mul/y:0"], []),
        "cond/mul/Switch": ("Switch", ["x:0", "cond/pred_id:0"], []),
        "cond/Log": ("Log", ["cond/Log/Switch:0"], []),
        "cond/Log/Switch": ("Switch", ["x:0", "cond/pred_id:0"], []),
        "cond/Const": ("Const", [], ["cond/switch_f"]),
        "cond/add": ("AddV2", ["cond/Log:0", "cond/Const:0"], []),
        "cond/Merge": ("Merge", ["cond/add:0", "cond/mul:0"], []),
    }
    (g,) = tf.gradients(r, x)
    names = _ops()
    assert names["gradients/cond/Merge_grad/cond_grad"] == (
        "Switch", ["gradients/Fill:0", "cond/pred_id:0"], [])
    assert names["gradients/cond/mul/Switch_grad/cond_grad"][0] == "Merge"
    with tf.Session() as sess:
        # TF 2.21: [6.0, [2.0]] and [nan, [-0.33333334]]
        assert sess.run([r, g], {x: 3.0}) == [6.0, 2.0]
        value, grad = sess.run([r, g], {x: -3.0})
        assert np.isnan(value) and grad == np.float32(-0.33333334)


def test_only_the_taken_branch_runs():
    x = tf.placeholder(tf.float32, [])
    v = tf.Variable(1.0)
    a = tf.cond(x > 0, lambda: v.assign_add(1.0), lambda: tf.identity(v))
    checked = tf.cond(x > 0, lambda: tf.identity(x), lambda: tf.check_numerics(tf.log(x), "log"))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(a, {x: -1.0}) == 1.0
        assert sess.run(a, {x: 1.0}) == 2.0
        assert sess.run(v) == 2.0
        assert sess.run(checked, {x: 4.0}) == 4.0       # the failing branch is not run
        with pytest.raises(tf.errors.InvalidArgumentError, match="log"):
            sess.run(checked, {x: -4.0})


def test_cond_structures_case_and_errors():
    x = tf.placeholder(tf.float32, [], name="x")
    d = tf.cond(x > 0, lambda: {"a": x, "b": (x * 2, x + 1)}, lambda: {"a": -x, "b": (x * 3, x - 1)})
    assert str(d) == ("{'a': <tf.Tensor 'cond/Merge:0' shape=() dtype=float32>, 'b': (<tf.Tensor 'cond/Merge_1:0' "
                      "shape=() dtype=float32>, <tf.Tensor 'cond/Merge_2:0' shape=() dtype=float32>)}")
    k = tf.case([(x < 0, lambda: tf.constant(-1.0)), (x < 10, lambda: tf.constant(1.0))],
                default=lambda: tf.constant(100.0))
    assert k.name == "case/cond/Merge:0"
    sc = tf.switch_case(tf.constant(1), [lambda: tf.constant(10), lambda: tf.constant(20), lambda: tf.constant(30)])
    with tf.Session() as sess:
        # TF 2.21: {'a': 2.0, 'b': (4.0, 3.0)} {'a': 2.0, 'b': (-6.0, -3.0)}; -1.0 1.0 100.0; 20
        assert sess.run(d, {x: 2.0}) == {"a": 2.0, "b": (4.0, 3.0)}
        assert sess.run(d, {x: -2.0}) == {"a": 2.0, "b": (-6.0, -3.0)}
        assert [sess.run(k, {x: v}) for v in (-5.0, 5.0, 50.0)] == [-1.0, 1.0, 100.0]
        assert sess.run(sc) == 20
        with pytest.raises(ValueError, match="Operation cond/mul has been marked as not fetchable"):
            sess.run(tf.get_default_graph().get_tensor_by_name("cond/mul:0"), {x: 1.0})
    with pytest.raises(ValueError, match="The two structures don't have the same nested structure"):
        tf.cond(x > 0, lambda: (x, x), lambda: x)
    with pytest.raises(ValueError, match="Outputs of true_fn and false_fn must have the same type: float32, int32"):
        tf.cond(x > 0, lambda: x, lambda: tf.constant(1))
    with pytest.raises(ValueError, match="Shape must be rank 0 but is rank 1 for 'cond_[0-9]+/Switch'"):
        tf.cond(tf.constant([True, False]), lambda: x, lambda: x)
    with pytest.raises(TypeError, match="Input 'pred' of 'Switch' Op has type float32 that does not match"):
        tf.cond(x, lambda: x, lambda: x)
    with pytest.raises(TypeError, match="true_fn must be callable"):
        tf.cond(x > 0, x, lambda: x)
    with pytest.raises(TypeError, match="pred must not be a Python bool"):
        tf.cond(True, lambda: x, lambda: x)


def test_while_loop_builds_tf1_frames():
    x = tf.placeholder(tf.float32, [], name="x")
    r = tf.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, v * x + 1.0), [tf.constant(0), tf.constant(1.0)])
    assert str(r) == ("(<tf.Tensor 'while/Exit:0' shape=() dtype=int32>, "
                      "<tf.Tensor 'while/Exit_1:0' shape=() dtype=float32>)")
    ops = _ops()
    # TF 2.21 compat.v1
    assert ops["while/Merge"] == ("Merge", ["while/Enter:0", "while/NextIteration:0"], [])
    assert ops["while/Less/y"] == ("Const", [], ["while/Merge"])
    assert ops["while/LoopCond"] == ("LoopCond", ["while/Less:0"], [])
    assert ops["while/Switch_1"] == ("Switch", ["while/Merge_1:0", "while/LoopCond:0"], [])
    assert ops["while/Identity_1"] == ("Identity", ["while/Switch_1:1"], [])
    assert ops["while/add/y"] == ("Const", [], ["while/Identity"])
    assert ops["while/mul"] == ("Mul", ["while/Identity_1:0", "while/mul/Enter:0"], [])
    assert ops["while/mul/Enter"] == ("Enter", ["x:0"], [])
    assert ops["while/NextIteration_1"] == ("NextIteration", ["while/add_1:0"], [])
    assert ops["while/Exit_1"] == ("Exit", ["while/Switch_1:0"], [])
    enter = tf.get_default_graph().get_operation_by_name("while/mul/Enter")
    assert (enter.get_attr("frame_name"), enter.get_attr("is_constant")) == ("while/while_context", True)
    with tf.Session() as sess:
        assert sess.run(r, {x: 3.0}) == (3, 40.0)            # TF 2.21: (3, 40.0)
        assert sess.run(r, {x: 0.5}) == (3, 1.875)
        with pytest.raises(ValueError, match="Operation while/Identity has been marked as not fetchable"):
            sess.run(tf.get_default_graph().get_tensor_by_name("while/Identity:0"))


def test_while_loop_invariants_limits_nesting():
    r = tf.while_loop(lambda v: tf.reduce_sum(v) < 10, lambda v: tf.concat([v, v], 0), [tf.constant([1.0])],
                      shape_invariants=[tf.TensorShape([None])])
    m = tf.while_loop(lambda i, v: v < 1000.0, lambda i, v: (i + 1, v * 2.0), (0, 1.0), maximum_iterations=5)

    def outer_body(i, acc):
        inner = tf.while_loop(lambda j, s: j < i, lambda j, s: (j + 1, s + tf.cast(j, tf.float32)), (0, 0.0))
        return i + 1, acc + inner[1]
    n = tf.while_loop(lambda i, acc: i < 5, outer_body, (0, 0.0))
    c = tf.while_loop(lambda i, v: i < 6, lambda i, v: (
        i + 1, tf.cond(tf.equal(i % 2, 0), lambda: v + 1.0, lambda: v * 2.0)), (0, 1.0))
    # TF 2.21 names
    assert str(r) == 'Tensor("while/Exit:0", shape=(?,), dtype=float32)'
    assert [t.name for t in m] == ["while_1/Exit_1:0", "while_1/Exit_2:0"]
    with tf.Session() as sess:
        # TF 2.21: [1.]*16, (5, 32.0), (5, 10.0), (6, 22.0)
        np.testing.assert_array_equal(sess.run(r), np.ones(16, np.float32))
        assert sess.run(m) == (5, 32.0)
        assert sess.run(n) == (5, 10.0)
        assert sess.run(c) == (6, 22.0)
    with pytest.raises(ValueError, match=r"Input tensor 'Const_[0-9]+:0' enters the loop with shape \(1,\), but has "
                                         r"shape \(2,\) after one iteration. To allow the shape"):
        tf.while_loop(lambda v: tf.reduce_sum(v) < 10, lambda v: tf.concat([v, v], 0), [tf.constant([1.0])])
    with pytest.raises(ValueError, match="The two structures don't have the same nested structure"):
        tf.while_loop(lambda v: v < 3, lambda v: (v, v), [tf.constant(0.0)])
    with pytest.raises(ValueError, match="Input 1 of node while_[0-9]+/Merge was passed int32"):
        tf.while_loop(lambda v: v < 3, lambda v: tf.cast(v, tf.int32) + 1, [tf.constant(0.0)])


def test_loop_body_draws_and_writes_per_iteration_and_a_failed_loop_changes_nothing():
    v = tf.Variable(0.0)
    tf.set_random_seed(1)
    draws = tf.while_loop(lambda i, s: i < 4, lambda i, s: (i + 1, tf.concat([s, tf.random_uniform([1])], 0)),
                          [0, tf.zeros([0])], shape_invariants=[tf.TensorShape([]), tf.TensorShape([None])])
    x = tf.placeholder(tf.float32, [])

    def body(i):
        with tf.control_dependencies([v.assign_add(1.0)]):
            return tf.identity(i + 1) + tf.cast(tf.check_numerics(tf.log(x), "bad") * 0.0, tf.int32)
    loop = tf.while_loop(lambda i: i < 3, body, [0])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = sess.run(draws)[1]
        assert len(set(values.tolist())) == 4                  # a new value per iteration
        assert sess.run(loop, {x: 1.0}) == 3 and sess.run(v) == 3.0
        with pytest.raises(tf.errors.InvalidArgumentError, match="bad"):
            sess.run(loop, {x: -1.0})
        assert sess.run(v) == 3.0                              # the failed run wrote nothing


# --------------------------------------------------------------------------------------------
# Gradients through while loops
# --------------------------------------------------------------------------------------------
def test_while_gradient_builds_tf1s_gradient_loop():
    x = tf.placeholder(tf.float32, [], name="x")
    r = tf.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, v * x + 1.0), [tf.constant(0), tf.constant(1.0)])
    (g,) = tf.gradients(r[1], x)
    assert g.name == "gradients/while/mul/Enter_grad/b_acc_3:0"          # TF 2.21
    ops = _ops()
    # TF 2.21 compat.v1: the forward counter, the gradient loop's counter, stacks, the accumulator
    assert ops["gradients/f_count_1"] == ("Enter", ["gradients/f_count:0"], [])
    assert ops["gradients/Switch"] == ("Switch", ["gradients/Merge:0", "while/LoopCond:0"], [])
    assert ops["gradients/NextIteration"] == ("NextIteration", ["gradients/Add:0"],
                                              ["gradients/while/mul_grad/Mul_1/StackPushV2"])
    assert ops["gradients/b_count_1"] == ("Enter", ["gradients/f_count_2:0"], [])
    assert ops["gradients/b_count_2"] == ("LoopCond", ["gradients/GreaterEqual:0"], [])
    assert ops["gradients/while/Exit_1_grad/b_exit"] == ("Enter", ["gradients/Fill:0"], [])
    assert ops["gradients/while/Switch_1_grad/b_switch"] == (
        "Merge", ["gradients/while/Exit_1_grad/b_exit:0", "gradients/while/Switch_1_grad_1/NextIteration:0"], [])
    assert ops["gradients/while/Merge_1_grad/Switch"] == (
        "Switch", ["gradients/while/Switch_1_grad/b_switch:0", "gradients/b_count_2:0"], [])
    assert ops["gradients/while/mul_grad/Mul/Enter"] == ("Enter", ["x:0"], [])
    assert ops["gradients/while/mul_grad/Mul_1/StackPushV2"] == (
        "StackPushV2", ["gradients/while/mul_grad/Mul_1/Enter:0", "while/Identity_1:0"], ["gradients/Add"])
    assert ops["gradients/while/mul_grad/Mul_1/StackPopV2"] == (
        "StackPopV2", ["gradients/while/mul_grad/Mul_1/StackPopV2/Enter:0"], ["gradients/Sub"])
    assert ops["gradients/while/mul/Enter_grad/b_acc_3"] == ("Exit", ["gradients/while/mul/Enter_grad/Switch:0"], [])
    frame = tf.get_default_graph().get_operation_by_name("gradients/while/Exit_1_grad/b_exit").get_attr("frame_name")
    assert frame == "gradients/while/while_context"
    with tf.Session() as sess:
        assert sess.run([r, g], {x: 3.0}) == [(3, 40.0), 34.0]           # TF 2.21: [(3, 40.0), [34.0]]


def test_while_gradients_match_tensorflow():
    rng = np.random.RandomState(0)
    m0 = rng.uniform(-1, 1, (3, 3)).astype(np.float32)
    v0 = rng.uniform(-1, 1, (2, 3)).astype(np.float32)
    m, v = tf.constant(m0), tf.constant(v0)
    r1 = tf.while_loop(lambda i, h: i < 4, lambda i, h: (i + 1, tf.tanh(tf.matmul(h, m))), [0, v])
    g1 = tf.gradients(tf.reduce_sum(r1[1] ** 2), [m, v])
    x = tf.constant(1.3)

    def outer_body(i, acc):
        inner = tf.while_loop(lambda j, s: j < i, lambda j, s: (j + 1, s * x), (0, acc))
        return i + 1, inner[1] + x
    r2 = tf.while_loop(lambda i, acc: i < 4, outer_body, (0, tf.constant(0.5)))
    g2 = tf.gradients(r2[1], x)
    y = tf.constant(0.7)
    r3 = tf.while_loop(lambda i, v: i < 5, lambda i, v: (
        i + 1, tf.cond(tf.equal(i % 2, 0), lambda: v * y, lambda: v + y * y)), (0, tf.constant(2.0)))
    g3 = tf.gradients(r3[1], y)
    r5 = tf.while_loop(lambda v: v < 100.0, lambda v: v * x, [x], maximum_iterations=3)
    g5 = tf.gradients(r5, x)
    r6 = tf.while_loop(lambda v: v < 100.0, lambda v: v * x, [x], back_prop=False)
    assert tf.gradients(r6, x) == [None]                                   # TF 2.21: [None]
    with tf.Session() as sess:
        # TF 2.21 compat.v1 (tensorflow/python ops: tanh(h @ m) four times)
        np.testing.assert_allclose(sess.run(g1[0]), [[-0.12898995, -0.11988637, -0.36762398],
                                                     [0.09904768, 0.3679111, 0.6434797],
                                                     [0.55414844, 0.60542476, 1.800226]], rtol=1e-6)
        np.testing.assert_allclose(sess.run(g1[1]), [[0.16325578, 0.13560444, 0.51241404],
                                                     [-0.18154971, -0.17192681, -0.56591564]], rtol=1e-6)
        assert sess.run([r2[1], g2]) == [np.float32(17.671162), [np.float32(76.99202)]]   # nested loops
        assert sess.run([r3[1], g3]) == [np.float32(1.2691), [np.float32(5.782)]]        # a cond in a loop
        assert sess.run([r5, g5]) == [np.float32(2.8560996), [np.float32(8.787999)]]     # maximum_iterations


def test_optimizer_trains_through_a_loop():
    w = tf.Variable([[0.5, -0.2], [0.1, 0.3]])
    h0 = tf.constant([[1.0, 2.0]])
    r = tf.while_loop(lambda i, h: i < 3, lambda i, h: (i + 1, tf.sigmoid(tf.matmul(h, w))), [0, h0])
    loss = tf.reduce_sum(tf.square(r[1] - 0.2))
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        losses = [sess.run([loss, train])[0] for _ in range(3)]
        # TF 2.21 compat.v1
        np.testing.assert_allclose(losses, [0.24460122, 0.22288224, 0.20536038], rtol=1e-6)
        np.testing.assert_allclose(sess.run(w), [[0.33275053, -0.34065282], [-0.045384675, 0.17671743]], rtol=1e-6)


def test_a_grouped_gradient_no_update_reads_stays_in_the_loop():
    # A GRU's `1 - u` in a loop body: with gate_gradients (as optimizers do) the Sub's two gradients
    # are grouped by a tf.tuple inside the gradient loop; the one for the constant 1 is left out of
    # the run, and the group must still be planned in the loop (it once made a "cycle")
    v = tf.Variable(np.ones((1, 2), np.float32))

    def body(i, x):
        r, u = tf.split(tf.sigmoid(tf.concat([x, x], 1) * v), 2, axis=1)
        return i + 1, 1 - u
    _, y = tf.while_loop(lambda i, x: i < 3, body, [0, tf.constant([[2.0]])])
    (g,) = tf.gradients(tf.reduce_sum(y), [v], gate_gradients=True)
    train = tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_sum(y))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(g), [[0.0, -0.11664471]], rtol=1e-6)      # TF 2.21 compat.v1
        sess.run(train)
        np.testing.assert_allclose(sess.run(v), [[1.0, 1.011664471]], rtol=1e-6)


@pytest.mark.parametrize("body", [
    lambda x: lambda i, v: (i + 1, v * x + tf.sin(v)),
    lambda x: lambda i, v: (i + 1, tf.tanh(tf.matmul(v, x))),
    lambda x: lambda i, v: (i + 1, v * v * 0.5 + x),
    lambda x: lambda i, v: (i + 1, tf.cond(i < 2, lambda: v * x, lambda: tf.exp(v * 0.1) + x)),
], ids=["product", "matmul", "square", "cond"])
def test_loop_gradients_match_central_differences(body):
    rng = np.random.RandomState(1)
    x0 = rng.uniform(-0.8, 0.8, (3, 3))
    v0 = rng.uniform(-0.8, 0.8, (3, 3))

    def fn(x, v):
        return tf.while_loop(lambda i, v: i < 4, body(x), [0, v])[1]
    check_gradients(fn, x0, v0, tol=1e-6)


# --------------------------------------------------------------------------------------------
# TensorArray
# --------------------------------------------------------------------------------------------
def test_tensor_array_names_and_values():
    x = tf.constant(np.arange(12, dtype=np.float32).reshape(4, 3))
    ta = tf.TensorArray(tf.float32, size=4)
    # TF 2.21 compat.v1
    assert (str(ta.handle), str(ta.flow)) == ('Tensor("TensorArray:0", shape=(2,), dtype=resource)',
                                              'Tensor("TensorArray:1", shape=(), dtype=float32)')
    t1 = ta.write(0, x[0])
    assert str(t1.flow) == 'Tensor("TensorArrayWrite/TensorArrayWriteV3:0", shape=(), dtype=float32)'
    assert str(t1.read(0)) == 'Tensor("TensorArrayReadV3:0", shape=(3,), dtype=float32)'
    assert str(t1.stack()) == 'Tensor("TensorArrayStack/TensorArrayGatherV3:0", shape=(4, 3), dtype=float32)'
    unstacked = tf.TensorArray(tf.float32, size=4).unstack(x)
    assert unstacked.flow.name == "TensorArrayUnstack/TensorArrayScatter/TensorArrayScatterV3:0"
    dyn = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
    _, dyn = tf.while_loop(lambda i, a: i < 5, lambda i, a: (i + 1, a.write(i, tf.cast(i, tf.float32) * 2.0)),
                           [0, dyn])
    cat = tf.TensorArray(tf.float32, size=2, infer_shape=False).write(0, [1.0, 2.0]).write(1, [3.0]).concat()
    split = tf.TensorArray(tf.float32, size=2, infer_shape=False).split([1.0, 2.0, 3.0, 4.0, 5.0], [2, 3])
    gathered = tf.TensorArray(tf.float32, size=3).unstack(x[:3]).gather([2, 0])
    scattered = tf.TensorArray(tf.float32, size=3).scatter([2, 0], x[:2]).read(2)
    unwritten = tf.TensorArray(tf.float32, size=3, element_shape=[2]).write(0, [1.0, 2.0]).stack()
    with tf.Session() as sess:
        # TF 2.21: [0 2 4 6 8] 5 [1 2 3] [3 4 5] [[6 7 8] [0 1 2]] [0 1 2] [[1 2] [0 0] [0 0]]
        np.testing.assert_array_equal(sess.run(dyn.stack()), [0, 2, 4, 6, 8])
        assert sess.run(dyn.size()) == 5
        np.testing.assert_array_equal(sess.run(cat), [1, 2, 3])
        np.testing.assert_array_equal(sess.run(split.read(1)), [3, 4, 5])
        np.testing.assert_array_equal(sess.run(gathered), [[6, 7, 8], [0, 1, 2]])
        np.testing.assert_array_equal(sess.run(scattered), [0, 1, 2])
        np.testing.assert_array_equal(sess.run(unwritten), [[1, 2], [0, 0], [0, 0]])


def test_tensor_array_errors_name_the_index():
    twice = tf.TensorArray(tf.float32, size=2).write(0, 1.0).write(0, 2.0).stack()
    once = tf.TensorArray(tf.float32, size=1).write(0, 1.0)
    read_twice = once.read(0) + once.read(0)
    too_big = tf.TensorArray(tf.float32, size=2).write(2, 1.0).flow
    unknown = tf.TensorArray(tf.float32, size=3, infer_shape=False).write(0, [1.0, 2.0]).read(2)
    with tf.Session() as sess:
        # TF 2.21's first lines, after "TensorArray <name>: "
        for fetch, text in [(twice, "Could not write to TensorArray index 0 because it has already been written to"),
                            (read_twice, "Could not read index 0 twice because it was cleared after a previous read"),
                            (too_big, "Tried to write to index 2 but array is not resizeable and size is: 2"),
                            (unknown, "Could not read from TensorArray index 2 because it has not yet been written")]:
            with pytest.raises(tf.errors.InvalidArgumentError, match=text):
                sess.run(fetch)
    with pytest.raises(tf.errors.InvalidArgumentError, match="TensorArray dtype is float32 but Op is trying to write "
                                                             "dtype int32"):
        tf.TensorArray(tf.float32, size=1).write(0, tf.constant(1))


def test_rnn_by_hand_with_tensor_arrays_matches_tensorflow():
    x = tf.constant(np.arange(12, dtype=np.float32).reshape(4, 3) * 0.1)
    w = tf.constant(np.linspace(-1, 1, 9, dtype=np.float32).reshape(3, 3))
    inputs = tf.TensorArray(tf.float32, size=4).unstack(x)

    def body(t, h, out):
        h = tf.tanh(tf.matmul(tf.reshape(inputs.read(t), [1, 3]), w) + h)
        return t + 1, h, out.write(t, h[0])
    _, h, out = tf.while_loop(lambda t, h, o: t < 4, body, [0, tf.zeros([1, 3]), tf.TensorArray(tf.float32, size=4)])
    assert (h.name, out.flow.name) == ("while/Exit_1:0", "while/Exit_2:0")             # TF 2.21
    outputs = out.stack()
    gx, gw = tf.gradients(tf.reduce_sum(outputs * outputs), [x, w])
    assert gx.name == "gradients/TensorArrayUnstack/TensorArrayScatter/TensorArrayScatterV3_grad/TensorArrayGatherV3:0"
    assert gw.name == "gradients/while/MatMul/Enter_grad/b_acc_3:0"
    with tf.Session() as sess:
        # TF 2.21 compat.v1
        np.testing.assert_allclose(sess.run(outputs), [[0.0748597, 0.14888504, 0.22127847],
                                                       [-0.07499921, 0.29029197, 0.58582026],
                                                       [-0.4218984, 0.4138864, 0.85129005],
                                                       [-0.7706387, 0.5108553, 0.94152224]], rtol=1e-6)
        np.testing.assert_allclose(sess.run(gx), [[-1.0363096, 0.6690881, 2.374486],
                                                  [-0.50717247, 0.61664027, 1.740453],
                                                  [-0.0394448, 0.43392792, 0.90730065],
                                                  [-0.04726283, 0.20993263, 0.4671281]], rtol=1e-5)
        np.testing.assert_allclose(sess.run(gw), [[-1.6933631, 1.9864311, 0.8437898],
                                                  [-2.1312208, 2.5649488, 1.1777674],
                                                  [-2.5690792, 3.1434662, 1.511745]], rtol=1e-5)
    check_gradients(lambda x, w: _rnn(x, w), np.arange(12.0).reshape(4, 3) * 0.1,
                    np.linspace(-1, 1, 9).reshape(3, 3), tol=1e-6)


def _rnn(x, w):
    inputs = tf.TensorArray(x.dtype, size=4).unstack(x)

    def body(t, h, out):
        h = tf.tanh(tf.matmul(tf.reshape(inputs.read(t), [1, 3]), w) + h)
        return t + 1, h, out.write(t, h[0])
    _, _, out = tf.while_loop(lambda t, h, o: t < 4, body, [0, tf.zeros([1, 3], x.dtype),
                                                           tf.TensorArray(x.dtype, size=4)])
    return out.stack()


def test_control_dependencies_in_a_branch_run_only_with_it():
    x = tf.placeholder(tf.float32, [])
    v = tf.Variable(0.0)

    def counted():
        with tf.control_dependencies([v.assign_add(1.0)]):
            return tf.identity(x)
    r = tf.cond(x > 0, counted, lambda: -x)
    with tf.control_dependencies([r]):
        after = tf.identity(v.value())
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert [sess.run(r, {x: value}) for value in (2.0, -3.0, 4.0)] == [2.0, 3.0, 4.0]
        assert sess.run(v) == 2.0                        # the update ran with its branch only
        assert sess.run(after, {x: -1.0}) == 2.0


def test_graph_with_loops_and_tensor_arrays_exports_and_is_drawn():
    x = tf.placeholder(tf.float32, [4, 3])
    ta = tf.TensorArray(tf.float32, size=4, element_shape=[3]).unstack(x)
    _, out = tf.while_loop(lambda t, o: t < 4, lambda t, o: (t + 1, o.write(t, ta.read(t) * 2.0)),
                           [0, tf.TensorArray(tf.float32, size=4)])
    y = tf.cond(tf.reduce_sum(x) > 0, lambda: out.stack(), lambda: -out.stack())
    (g,) = tf.gradients(y, x)
    nodes = {n.name: n for n in tf.get_default_graph().as_graph_def().node}
    frame = nodes["while/Enter"].attr["frame_name"]
    assert (frame.kind, frame.value) == ("s", "while/while_context")           # as TF writes it, for TensorBoard
    assert str(nodes["TensorArray"].attr["element_shape"].value) == "[3]"
    with tf.Session() as sess:
        assert "while loop" in tf.viz.draw(g, session=sess, feed_dict={x: np.ones((4, 3))}).source
        np.testing.assert_array_equal(sess.run(g, {x: np.ones((4, 3))}), np.full((4, 3), 2.0))
        np.testing.assert_array_equal(sess.run(g, {x: -np.ones((4, 3))}), np.full((4, 3), -2.0))


# --------------------------------------------------------------------------------------------
# What an independent review found (each case checked against TF 2.21 compat.v1)
# --------------------------------------------------------------------------------------------
def test_optimizers_through_a_cond_update_with_the_branch_taken():
    v, w = tf.Variable(1.0, name="v"), tf.Variable(10.0, name="w")
    p = tf.placeholder(tf.bool, [], name="p")
    train = tf.train.GradientDescentOptimizer(0.1).minimize(tf.cond(p, lambda: v * w, lambda: v * v))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = []
        for taken in (True, False, True):
            sess.run(train, {p: taken})
            values.append(sess.run([v, w]))
    # TF 2.21: [0.0, 9.9], [0.0, 9.9], [-0.98999995, 9.9] (GATE_OP groups each op's gradients)
    np.testing.assert_allclose(values, [[0.0, 9.9], [0.0, 9.9], [-0.98999995, 9.9]], rtol=1e-6)


def test_gradients_inside_branches_and_bodies_and_variables_made_there():
    x = tf.placeholder(tf.float32, [], name="x")
    p = tf.placeholder(tf.bool, [])
    r = tf.cond(p, lambda: tf.gradients(x * x * x, x)[0], lambda: x)
    o = tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a - 0.1 * tf.gradients(tf.sin(a) * a, a)[0]), (0, x))
    made = tf.cond(p, lambda: tf.reduce_sum(tf.get_variable("w", [3, 2], initializer=tf.ones_initializer())),
                   lambda: tf.zeros([]))
    assert tf.get_default_graph().get_operation_by_name("w").control_inputs == []     # made outside the branch
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())              # nothing to feed (TF 2.21 the same)
        # TF 2.21: 12.0 2.0; (3, 0.6087446); 6.0
        assert (sess.run(r, {x: 2.0, p: True}), sess.run(r, {x: 2.0, p: False})) == (12.0, 2.0)
        assert sess.run(o, {x: 1.0}) == (3, np.float32(0.6087446))
        assert sess.run(made, {p: True}) == 6.0


def test_a_control_dependency_from_outside_a_loop_runs_once():
    v = tf.Variable(0.0, name="v")
    inc = tf.assign_add(v, 1.0)

    def body(i):
        with tf.control_dependencies([inc]):
            return i + 1
    loop = tf.while_loop(lambda i: i < 3, body, [0])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert (sess.run(loop), sess.run(v)) == (3, 1.0)        # TF 2.21: 3 1.0
        with pytest.raises(ValueError, match=r'Tensor Tensor\("while/add:0", shape=\(\), dtype=int32\) may not be fed'):
            sess.run(loop, {tf.get_default_graph().get_tensor_by_name("while/add:0"): 1})


def test_tensor_array_split_gradient_has_each_elements_shape():
    x = tf.placeholder(tf.float32, [4])
    t = tf.TensorArray(tf.float32, 2, infer_shape=False).split(x * 1.0, [1, 3])
    (g,) = tf.gradients(tf.reduce_sum(t.read(1)) * 2.0, x)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(g, {x: np.ones(4)}), [0.0, 2.0, 2.0, 2.0])     # TF 2.21
    inferred = tf.TensorArray(tf.float32, 2).split(x, [1, 3]).read(0)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="incompatible with the TensorArray's inferred "
                                                                 "element shape"):
            sess.run(inferred, {x: np.ones(4)})


def test_a_variable_only_the_predicate_reads_gets_no_gradient():
    x = tf.placeholder(tf.float32, [3])
    limit = tf.placeholder(tf.float32, [3])
    # x only decides how long the loop runs: TF 2.21 gives [None]
    _, y = tf.while_loop(lambda a, b: tf.reduce_sum(b) < tf.reduce_sum(a) + 4.0, lambda a, b: (a, b * 2.0),
                         [x, limit])
    assert tf.gradients(y, x) == [None]
    (g,) = tf.gradients(y, limit)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(g, {x: [1.0, 2.0, 3.0], limit: np.ones(3)}), [4.0, 4.0, 4.0])


def test_pictures_run_no_side_effect_and_each_dead_value_once():
    v = tf.Variable(0.0, name="v")

    def body(i, a):
        with tf.control_dependencies([tf.assign_add(v, 1.0)]):
            return i + 1, a + 1.0
    _, o = tf.while_loop(lambda i, a: i < 4, body, (0, 0.0))
    p = tf.placeholder(tf.bool, [])
    x = tf.placeholder(tf.float32, [3])
    a = x
    for _ in range(30):
        a = tf.cond(p, lambda: a * 1.01, lambda: tf.sin(a))
    (g,) = tf.gradients(tf.reduce_sum(a), x)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        tf.viz.draw(o, session=sess)
        assert sess.run(v) == 0.0                      # the loop's assign_add was not run for the picture
        runs = []
        run = sess.run
        sess.run = lambda *args, **kwargs: runs.append(1) or run(*args, **kwargs)
        tf.viz.draw(g, session=sess, feed_dict={x: [1.0, 2.0, 3.0], p: True}, max_ops=None)
        assert len(runs) == 1                          # dead gradient values leave the picture, in one run


def test_switch_case_checks_like_tensorflow():
    with pytest.raises(ValueError, match=r"branch indices \(keys\) must form contiguous range of \[0 to 2\) but "
                                         r"found \{0,3\}"):
        tf.switch_case(tf.constant(1), {0: lambda: tf.constant(1), 3: lambda: tf.constant(2)})
    with pytest.raises(TypeError, match="'branch_index' must be an integer Tensor, got float32"):
        tf.switch_case(tf.constant(1.0), [lambda: tf.constant(1)])

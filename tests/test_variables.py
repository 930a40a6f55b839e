"""Variables, assign ops, initializers, get_variable and variable scopes (as in TensorFlow 1.15)."""
import math

import numpy as np
import pytest

import tinyflow as tf


def op_names():
    return [op.name for op in tf.get_default_graph().get_operations()]


# --------------------------------------------------------------------------------------------
# tf.Variable: graph structure, names, repr
# --------------------------------------------------------------------------------------------
def test_variable_ops_and_names():
    v = tf.Variable([[1.0], [2.0], [3.0]], name="v")
    assert op_names() == ["v/initial_value", "v", "v/Assign", "v/read"]
    g = tf.get_default_graph()
    assert [g.get_operation_by_name(n).type for n in op_names()] == ["Const", "VariableV2", "Assign", "Identity"]
    assert v.name == "v:0" and v.op.name == "v" and v.op.type == "VariableV2"
    assert v.dtype == tf.float32._as_ref and v.dtype.name == "float32_ref"
    assert v.shape == tf.TensorShape([3, 1]) and v.get_shape().as_list() == [3, 1]
    assert v.initializer.name == "v/Assign"
    assert v.value().name == "v/read:0" and v.value().dtype == tf.float32
    assert v.initial_value.name == "v/initial_value:0"
    assert v.graph is g
    assert v._ref().name == "v:0"
    assert repr(v) == "<tf.Variable 'v:0' shape=(3, 1) dtype=float32_ref>"
    assert str(v) == repr(v)


def test_default_names_and_name_scopes():
    a = tf.Variable(1.0)
    b = tf.Variable(2.0)
    with tf.name_scope("layer"):
        c = tf.Variable(3.0, name="w")
    assert (a.name, b.name, c.name) == ("Variable:0", "Variable_1:0", "layer/w:0")
    assert "Variable_1/initial_value" in op_names()


def test_callable_initial_value_is_built_under_initializer_scope():
    v = tf.Variable(lambda: tf.zeros([2]), name="w")
    assert op_names() == ["w/Initializer/zeros", "w", "w/Assign", "w/read"]
    with tf.Session() as sess:
        sess.run(v.initializer)
        np.testing.assert_array_equal(sess.run(v), [0.0, 0.0])


def test_dtype_argument_and_int_variables():
    v = tf.Variable(3, dtype=tf.float64)
    i = tf.Variable([1, 2])
    assert v.dtype.name == "float64_ref" and i.dtype.name == "int32_ref"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(v) == 3.0 and sess.run(v).dtype == np.float64


def test_variable_ignores_surrounding_control_dependencies():
    c = tf.constant(1.0)
    with tf.control_dependencies([c]):
        tf.Variable(2.0, name="v")
    for name in ["v/initial_value", "v", "v/Assign", "v/read"]:
        assert tf.get_default_graph().get_operation_by_name(name).control_inputs == []


def test_initial_value_without_static_shape_needs_validate_shape_false():
    p = tf.placeholder(tf.float32)
    with pytest.raises(ValueError, match="initial_value must have a shape specified"):
        tf.Variable(p)
    v = tf.Variable(p, validate_shape=False, name="free")
    assert v.shape.ndims is None
    with tf.Session() as sess:
        sess.run(v.initializer, {p: [1.0, 2.0]})
        np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])


# --------------------------------------------------------------------------------------------
# Collections and initializers
# --------------------------------------------------------------------------------------------
def test_collections():
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(2.0, name="b", trainable=False)
    c = tf.Variable(3.0, name="c", collections=[tf.GraphKeys.LOCAL_VARIABLES], trainable=False)
    assert tf.global_variables() == [a, b]
    assert tf.trainable_variables() == [a]
    assert tf.local_variables() == [c]
    assert tf.get_collection("variables") == [a, b]
    assert tf.get_collection("trainable_variables") == [a]


def test_global_variables_initializer_names_and_type():
    tf.Variable(1.0)
    init = tf.global_variables_initializer()
    init_1 = tf.global_variables_initializer()
    assert (init.name, init.type, init_1.name) == ("init", "NoOp", "init_1")
    assert [c.name for c in init.control_inputs] == ["Variable/Assign"]
    assert tf.initialize_all_variables().name == "init_2"


def test_initializer_without_variables_is_a_no_op_named_init():
    init = tf.global_variables_initializer()
    assert (init.name, init.type, init.control_inputs) == ("init", "NoOp", [])
    assert tf.local_variables_initializer().name == "init_1"
    with tf.Session() as sess:
        assert sess.run(init) is None


def test_global_variables_initializer_is_a_snapshot():
    a = tf.Variable(1.0)
    init = tf.global_variables_initializer()
    b = tf.Variable(2.0)
    with tf.Session() as sess:
        assert sess.run(init) is None
        assert sess.run(a) == 1.0
        with pytest.raises(tf.errors.FailedPreconditionError) as e:
            sess.run(b)
        assert e.value.message.startswith("Attempting to use uninitialized value Variable_1")


def test_uninitialized_read_error_names_variable_and_hint():
    v = tf.Variable([1.0, 2.0], name="v")
    y = v * 2.0
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError) as e:
            sess.run(y)
    msg = e.value.message
    assert msg.splitlines()[0] == "Attempting to use uninitialized value v"
    assert "global_variables_initializer" in msg
    assert e.value.error_code == 9


def test_rerunning_init_draws_new_random_values():
    v = tf.Variable(tf.random_uniform([50]), name="r")
    init = tf.global_variables_initializer()
    with tf.Session() as sess:
        sess.run(init)
        first = sess.run(v)
        sess.run(init)
        second = sess.run(v)
    assert not np.array_equal(first, second)


def test_variables_initializer_and_report_uninitialized():
    a = tf.Variable(1.0)
    b = tf.Variable(2.0)
    report = tf.report_uninitialized_variables()
    assert report.dtype == tf.string and report.shape.as_list() == [None]
    with tf.Session() as sess:
        assert list(sess.run(report)) == [b"Variable", b"Variable_1"]
        sess.run(tf.variables_initializer([a]))
        assert list(sess.run(report)) == [b"Variable_1"]
        assert sess.run(tf.is_variable_initialized(a)) == True  # noqa: E712
        assert sess.run(tf.is_variable_initialized(b)) == False  # noqa: E712
        sess.run(tf.variables_initializer([b], name="init_b"))
        assert sess.run(report).tolist() == []


def test_report_uninitialized_with_no_variables():
    report = tf.report_uninitialized_variables()
    with tf.Session() as sess:
        assert sess.run(report).shape == (0,)


# --------------------------------------------------------------------------------------------
# Session state: per session, copies, feeding
# --------------------------------------------------------------------------------------------
def test_two_sessions_have_independent_values():
    v = tf.Variable(1.0)
    inc = v.assign_add(1.0)
    init = tf.global_variables_initializer()
    s1, s2 = tf.Session(), tf.Session()
    s1.run(init)
    s2.run(init)
    s1.run(inc)
    s1.run(inc)
    assert (s1.run(v), s2.run(v)) == (3.0, 1.0)
    s3 = tf.Session()
    with pytest.raises(tf.errors.FailedPreconditionError):
        s3.run(v)


def test_fetched_value_is_a_copy():
    v = tf.Variable([1.0, 2.0])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = sess.run(v)
        out[0] = 100.0
        np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])
        read = sess.run(v.value())
        read[1] = 50.0
        np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])
        new = sess.run(v.assign([5.0, 6.0]))
        new[0] = -1.0
        np.testing.assert_array_equal(sess.run(v), [5.0, 6.0])


def test_assigning_a_numpy_array_copies_it():
    v = tf.Variable([0.0, 0.0])
    p = tf.placeholder(tf.float32, [2])
    a = v.assign(p)
    with tf.Session() as sess:
        sess.run(v.initializer)
        data = np.array([1.0, 2.0], dtype=np.float32)
        sess.run(a, {p: data})
        data[0] = 99.0
        np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])


def test_feeding_a_variable_overrides_it_for_one_run():
    v = tf.Variable(3.0, name="v")
    y = v * 2.0
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(y, {v: 5.0}) == 10.0
        assert sess.run(y) == 6.0
        assert sess.run(v, {v: 7.0}) == 7.0
        assert sess.run(v) == 3.0


def test_feeding_an_uninitialized_variable_works():
    v = tf.Variable(3.0)
    with tf.Session() as sess:
        assert sess.run(v + 1.0, {v: 1.0}) == 2.0


def test_eval_and_load():
    v = tf.Variable([1.0, 2.0])
    with tf.Session() as sess:
        sess.run(v.initializer)
        np.testing.assert_array_equal(v.eval(), [1.0, 2.0])
        n = len(tf.get_default_graph().get_operations())
        v.load([3.0, 4.0], sess)
        assert len(tf.get_default_graph().get_operations()) == n
        np.testing.assert_array_equal(v.eval(session=sess), [3.0, 4.0])


def test_initialized_value():
    a = tf.Variable([1.0, 2.0], name="a")
    b = tf.Variable(a.initialized_value() * 2.0, name="b")
    with tf.Session() as sess:
        sess.run(b.initializer)             # a is not initialized: uses a's initial value
        np.testing.assert_array_equal(sess.run(b), [2.0, 4.0])
        sess.run(a.initializer)
        sess.run(a.assign([5.0, 5.0]))
        sess.run(b.initializer)             # a is initialized: uses its current value
        np.testing.assert_array_equal(sess.run(b), [10.0, 10.0])


# --------------------------------------------------------------------------------------------
# Assign ops
# --------------------------------------------------------------------------------------------
def test_assign_ops_names_types_and_values():
    v = tf.Variable(1.0, name="v")
    a = tf.assign(v, 5.0)
    add = tf.assign_add(v, 2.0)
    sub = v.assign_sub(1.0)
    assert (a.op.type, add.op.type, sub.op.type) == ("Assign", "AssignAdd", "AssignSub")
    assert (a.name, add.name, sub.name) == ("Assign:0", "AssignAdd:0", "AssignSub:0")
    assert a.dtype.name == "float32_ref"
    assert "Assign/value" in op_names()
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(a) == 5.0
        assert sess.run(add) == 7.0
        assert sess.run(add) == 9.0
        assert sess.run(sub) == 8.0
        assert sess.run(v) == 8.0
        assert sess.run(a + 1.0) == 6.0          # the output is usable in maths


def test_assign_methods_read_value_false_return_the_op():
    v = tf.Variable(1.0)
    op = v.assign(2.0, read_value=False, name="set_v")
    assert isinstance(op, tf.Operation) and op.name == "set_v"
    assert isinstance(v.assign_add(1.0, read_value=False), tf.Operation)
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(op) is None
        assert sess.run(v) == 2.0


def test_assign_incompatible_static_shape():
    v = tf.Variable([1.0, 2.0, 3.0], name="v")
    with pytest.raises(ValueError) as e:
        tf.assign(v, [1.0, 2.0])
    msg = str(e.value)
    assert msg.startswith("Dimension 0 in both shapes must be equal, but are 3 and 2. Shapes are [3] and [2].")
    assert "for 'Assign' (op: 'Assign') with input shapes: [3], [2]." in msg
    with pytest.raises(ValueError, match="Shapes must be equal rank, but are 1 and 0"):
        v.assign_add(1.0)


def test_assign_runtime_shape_mismatch():
    v = tf.Variable([1.0, 2.0, 3.0], name="v")
    p = tf.placeholder(tf.float32)
    a = tf.assign(v, p)
    with tf.Session() as sess:
        sess.run(v.initializer)
        with pytest.raises(tf.errors.InvalidArgumentError, match="Assign requires shapes of both tensors"):
            sess.run(a, {p: [1.0, 2.0]})


def test_assign_validate_shape_false_changes_shape():
    v = tf.Variable([1.0, 2.0], name="v", validate_shape=False)
    a = tf.assign(v, [1.0, 2.0, 3.0], validate_shape=False)
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(a)
        np.testing.assert_array_equal(sess.run(v), [1.0, 2.0, 3.0])


def test_assign_dtype_mismatch_and_non_variable():
    v = tf.Variable(1.0)
    with pytest.raises(TypeError, match="Input 'value' of 'Assign' Op has type int32 that does not match type "
                                        "float32_ref of argument 'ref'"):
        tf.assign(v, tf.constant(1))
    assert tf.assign(v, 2).op.inputs[1].dtype == tf.float32     # Python values are converted
    with pytest.raises(AttributeError, match="'Tensor' object has no attribute 'assign'"):
        tf.assign(tf.constant(1.0), 2.0)


def test_assign_add_on_uninitialized_variable_fails():
    v = tf.Variable(1.0, name="counter")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value counter"):
            sess.run(v.assign_add(1.0))


def test_failing_run_changes_no_variable():
    v = tf.Variable(1.0, name="v")
    w = tf.Variable([1.0, 2.0], name="w")
    p = tf.placeholder(tf.float32)
    update = v.assign(10.0)
    update_w = w.assign_add([1.0, 1.0])
    with tf.control_dependencies([update, update_w]):
        bad = tf.reshape(p, [5])                  # fails at run time for most inputs
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(bad, {p: [1.0, 2.0]})
        assert sess.run(v) == 1.0
        np.testing.assert_array_equal(sess.run(w), [1.0, 2.0])
        # an unfed placeholder is caught before anything runs
        with pytest.raises(tf.errors.InvalidArgumentError, match="You must feed a value"):
            sess.run(bad)
        assert sess.run(v) == 1.0
        # the same run with a good input commits both writes
        sess.run(bad, {p: [1.0, 2.0, 3.0, 4.0, 5.0]})
        assert sess.run(v) == 10.0
        np.testing.assert_array_equal(sess.run(w), [2.0, 3.0])


def test_uninitialized_read_in_a_later_op_rolls_back_earlier_writes():
    v = tf.Variable(1.0, name="v")
    u = tf.Variable(0.0, name="u")
    update = v.assign(5.0)
    with tf.control_dependencies([update]):
        total = u + 1.0
    with tf.Session() as sess:
        sess.run(v.initializer)
        with pytest.raises(tf.errors.FailedPreconditionError):
            sess.run(total)
        assert sess.run(v) == 1.0


def test_reads_in_a_run_see_earlier_writes_of_that_run():
    v = tf.Variable(1.0)
    a = v.assign(4.0)
    with tf.control_dependencies([a]):
        r = v.read_value()
    assert r.op.name == "read"
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(r) == 4.0


# --------------------------------------------------------------------------------------------
# Variables behave like their value in maths
# --------------------------------------------------------------------------------------------
def test_operators_use_the_read_tensor():
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]], name="v")
    w = tf.Variable([[1.0], [1.0]], name="w")
    x = tf.constant([[2.0, 0.0]])
    s = v + 1.0
    assert s.op.inputs[0].name == "v/read:0" and s.op.name == "add"
    results = {
        "add": (v + 1.0, [[2, 3], [4, 5]]), "radd": (1.0 + v, [[2, 3], [4, 5]]),
        "sub": (v - 1.0, [[0, 1], [2, 3]]), "rsub": (10.0 - v, [[9, 8], [7, 6]]),
        "mul": (v * x, [[2, 0], [6, 0]]), "div": (v / 2.0, [[0.5, 1], [1.5, 2]]),
        "neg": (-v, [[-1, -2], [-3, -4]]), "pow": (v ** 2.0, [[1, 4], [9, 16]]),
        "matmul": (v @ w, [[3], [7]]), "tf.matmul": (tf.matmul(x, v), [[2, 4]]),
        "rmatmul_np": (np.array([[1.0, 1.0]], dtype=np.float32) @ v, [[4, 6]]),
        "abs": (abs(-v), [[1, 2], [3, 4]]),
    }
    less = v < 2.5
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for key, (t, want) in results.items():
            np.testing.assert_allclose(sess.run(t), want, err_msg=key)
        np.testing.assert_array_equal(sess.run(less), [[True, True], [False, False]])


def test_indexing_a_variable():
    v = tf.Variable([1.0, 2.0, 3.0])
    if not hasattr(tf.Tensor, "__getitem__"):
        pytest.skip("Tensor indexing not available yet")
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(v[1]) == 2.0


def test_convert_to_tensor_and_identity():
    v = tf.Variable(2.0)
    assert tf.convert_to_tensor(v) is v.value()
    assert tf.convert_to_tensor(v, as_ref=True) is v._ref()
    with pytest.raises(ValueError, match="Incompatible type conversion requested to type 'int32' for variable "
                                         "of type 'float32_ref'"):
        tf.convert_to_tensor(v, dtype=tf.int32)
    with pytest.raises(Exception):
        bool(v)
    with pytest.raises(TypeError, match="not iterable"):
        iter(v)
    d = {v: 1}
    assert d[v] == 1 and (v == v) is True


def test_gradients_with_respect_to_a_variable():
    w = tf.Variable([[2.0], [3.0]], name="w")
    x = tf.constant([[1.0, 4.0]])
    loss = tf.reduce_sum(tf.square(tf.matmul(x, w)))     # (1*2 + 4*3)^2 = 196
    (g,) = tf.gradients(loss, [w])
    assert g is not None and g.shape.as_list() == [2, 1]
    with tf.Session() as sess:
        sess.run(w.initializer)
        assert sess.run(loss) == 196.0
        np.testing.assert_allclose(sess.run(g), [[28.0], [112.0]])   # 2 * 14 * x^T
        g2 = tf.gradients(loss, w)[0]
        np.testing.assert_allclose(sess.run(g2), [[28.0], [112.0]])


def test_gradient_descent_by_hand():
    w = tf.Variable(0.0)
    loss = tf.square(w - 3.0)
    (g,) = tf.gradients(loss, [w])
    step = w.assign_sub(0.25 * g)
    with tf.Session() as sess:
        sess.run(w.initializer)
        for _ in range(30):
            sess.run(step)
        assert abs(sess.run(w) - 3.0) < 1e-4


# --------------------------------------------------------------------------------------------
# get_variable and variable_scope
# --------------------------------------------------------------------------------------------
def test_get_variable_names_and_default_initializers():
    with tf.variable_scope("dense"):
        k = tf.get_variable("kernel", [3, 1])
        b = tf.get_variable("bias", [1], initializer=tf.zeros_initializer())
        n = tf.get_variable("count", [], dtype=tf.int32)
    assert (k.name, b.name, n.name) == ("dense/kernel:0", "dense/bias:0", "dense/count:0")
    names = op_names()
    for n_ in ["dense/kernel/Initializer/random_uniform/shape", "dense/kernel/Initializer/random_uniform/min",
               "dense/kernel/Initializer/random_uniform/max",
               "dense/kernel/Initializer/random_uniform/RandomUniform",
               "dense/kernel/Initializer/random_uniform/sub", "dense/kernel/Initializer/random_uniform/mul",
               "dense/kernel/Initializer/random_uniform", "dense/kernel", "dense/kernel/Assign",
               "dense/kernel/read", "dense/bias/Initializer/zeros", "dense/bias", "dense/count/Initializer/zeros"]:
        assert n_ in names, n_
    assert tf.trainable_variables() == [k, b, n]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        kv = sess.run(k)
        limit = math.sqrt(6.0 / 4.0)
        assert kv.shape == (3, 1) and np.all(np.abs(kv) <= limit)
        assert sess.run(b).tolist() == [0.0] and sess.run(n) == 0


def test_glorot_limits_on_a_large_kernel():
    k = tf.get_variable("big", [700, 500])
    with tf.Session() as sess:
        sess.run(k.initializer)
        v = sess.run(k)
    limit = math.sqrt(6.0 / 1200.0)
    assert -limit <= v.min() < -0.99 * limit and 0.99 * limit < v.max() < limit
    assert abs(v.mean()) < 0.001


def test_get_variable_existing_name_without_reuse():
    with tf.variable_scope("hid"):
        tf.get_variable("kernel", [2, 2])
    with pytest.raises(ValueError) as e:
        with tf.variable_scope("hid"):
            tf.get_variable("kernel", [2, 2])
    msg = str(e.value)
    assert msg.startswith("Variable hid/kernel already exists, disallowed. Did you mean to set reuse=True or "
                          "reuse=tf.AUTO_REUSE in VarScope? Originally defined at:")
    assert "test_variables.py" in msg and 'tf.get_variable("kernel", [2, 2])' in msg


def test_get_variable_missing_with_reuse_true():
    with pytest.raises(ValueError) as e:
        with tf.variable_scope("foo", reuse=True):
            tf.get_variable("v", [1])
    assert str(e.value) == ("Variable foo/v does not exist, or was not created with tf.get_variable(). Did you "
                            "mean to set reuse=tf.AUTO_REUSE in VarScope?")


def test_reuse_true_returns_the_same_variable_and_ops_go_to_a_new_name_scope():
    with tf.variable_scope("hid"):
        a = tf.get_variable("w", [2])
        x = tf.constant(1.0, name="x")
    with tf.variable_scope("hid", reuse=True) as scope:
        b = tf.get_variable("w", [2])
        y = tf.constant(1.0, name="x")
        assert scope.name == "hid" and scope.reuse is True
    assert a is b
    assert (x.name, y.name) == ("hid/x:0", "hid_1/x:0")
    assert len(tf.global_variables()) == 1


def test_reuse_is_inherited_and_reuse_variables():
    with tf.variable_scope("outer"):
        with tf.variable_scope("inner"):
            v = tf.get_variable("v", [1])
    with tf.variable_scope("outer", reuse=True):
        with tf.variable_scope("inner") as s:
            assert s.reuse is True
            assert tf.get_variable("v", [1]) is v
    with tf.variable_scope("model") as scope:
        w = tf.get_variable("w", [1])
        scope.reuse_variables()
        assert tf.get_variable("w", [1]) is w
        assert tf.get_variable_scope().reuse is True


def test_auto_reuse():
    def layer():
        with tf.variable_scope("shared", reuse=tf.AUTO_REUSE):
            return tf.get_variable("w", [2], initializer=tf.ones_initializer())
    assert layer() is layer()
    assert len(tf.global_variables()) == 1


def test_reenter_with_scope_object():
    with tf.variable_scope("enc") as enc:
        v = tf.get_variable("v", [1])
    with tf.variable_scope(enc, reuse=True) as again:
        assert again.name == "enc" and tf.get_variable("v", [1]) is v
    with tf.variable_scope(enc):
        with pytest.raises(ValueError, match="already exists"):
            tf.get_variable("v", [1])


def test_default_name_gives_unique_scopes():
    names = []
    for _ in range(3):
        with tf.variable_scope(None, default_name="dense") as s:
            names.append((s.name, s.original_name_scope, tf.get_variable("kernel", [1]).name))
    assert names == [("dense", "dense/", "dense/kernel:0"), ("dense_1", "dense_1/", "dense_1/kernel:0"),
                     ("dense_2", "dense_2/", "dense_2/kernel:0")]
    with tf.variable_scope("outer"):
        with tf.variable_scope(None, default_name="dense") as s:
            assert s.name == "outer/dense"


def test_default_name_is_counted_per_graph():
    g1, g2 = tf.Graph(), tf.Graph()
    with g1.as_default():
        with tf.variable_scope(None, default_name="dense") as s1:
            pass
    with g2.as_default():
        with tf.variable_scope(None, default_name="dense") as s2:
            pass
    with g1.as_default():
        with tf.variable_scope(None, default_name="dense") as s3:
            pass
    assert (s1.name, s2.name, s3.name) == ("dense", "dense", "dense_1")


def test_get_variable_scope_and_root():
    root = tf.get_variable_scope()
    assert root.name == "" and root.reuse is False
    with tf.variable_scope("a") as a:
        assert tf.get_variable_scope() is a
        with tf.variable_scope("b") as b:
            assert b.name == "a/b" and b.original_name_scope == "a/b/"
    assert tf.get_variable_scope() is root


def test_variable_scope_initializer_and_dtype_defaults():
    with tf.variable_scope("s", initializer=tf.constant_initializer(0.5), dtype=tf.float64):
        v = tf.get_variable("v", [2])
        with tf.variable_scope("inner"):
            u = tf.get_variable("u", [1])
    assert v.dtype.name == "float64_ref" and u.dtype.name == "float64_ref"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(v).tolist() == [0.5, 0.5] and sess.run(u).tolist() == [0.5]


def test_get_variable_from_a_value_and_errors():
    v = tf.get_variable("c", initializer=tf.constant([1.0, 2.0]))
    i = tf.get_variable("i", initializer=[1, 2])
    assert v.shape.as_list() == [2] and i.dtype.name == "int32_ref"
    with pytest.raises(ValueError, match="If initializer is a constant, do not specify shape."):
        tf.get_variable("d", [2], initializer=tf.constant([1.0, 2.0]))
    with pytest.raises(ValueError, match="did not get an initializer, so its `shape` argument must be specified"):
        tf.get_variable("e")
    with pytest.raises(ValueError,
                       match="Initializer type '<dtype: 'int32'>' and explicit dtype '<dtype: 'float32'>' don't match"):
        tf.get_variable("f", dtype=tf.float32, initializer=tf.constant([1, 2]))
    tf.get_variable("g", [2])
    with pytest.raises(ValueError, match="Trying to share variable g, but specified shape \\(3,\\) and found "
                                         "shape \\(2,\\)"):
        with tf.variable_scope(tf.get_variable_scope(), reuse=True):
            tf.get_variable("g", [3])


def test_get_variable_with_a_no_argument_callable():
    v = tf.get_variable("v", initializer=lambda: tf.ones([3]))
    assert v.shape.as_list() == [3]
    assert "v/Initializer/ones" in op_names()


def test_regularizer_goes_into_the_collection():
    v = tf.get_variable("w", [2], regularizer=lambda t: tf.reduce_sum(t * t))
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert len(losses) == 1 and losses[0].name.startswith("w/Regularizer/")
    with tf.Session() as sess:
        sess.run(v.initializer)
        np.testing.assert_allclose(sess.run(losses[0]), np.sum(sess.run(v) ** 2), rtol=1e-6)


def test_reuse_argument_validation():
    with pytest.raises(TypeError, match="If default_name is None then name_or_scope is required"):
        tf.variable_scope(None)
    with pytest.raises(ValueError, match="reuse=True cannot be used without a name_or_scope"):
        tf.variable_scope(None, default_name="x", reuse=True)
    with pytest.raises(ValueError, match="The reuse parameter must be True or False or None."):
        tf.variable_scope("x", reuse="yes")


# --------------------------------------------------------------------------------------------
# Initializers
# --------------------------------------------------------------------------------------------
def run1(t):
    with tf.Session() as sess:
        return sess.run(t)


def test_simple_initializers():
    np.testing.assert_array_equal(run1(tf.zeros_initializer()([2, 2])), np.zeros((2, 2)))
    np.testing.assert_array_equal(run1(tf.ones_initializer()([3], dtype=tf.int32)), [1, 1, 1])
    np.testing.assert_array_equal(run1(tf.constant_initializer(7.0)([2])), [7.0, 7.0])
    np.testing.assert_array_equal(run1(tf.constant_initializer([1.0, 2.0, 3.0, 4.0])([2, 2])), [[1, 2], [3, 4]])
    with pytest.raises(TypeError, match="Invalid type for initial value"):
        tf.constant_initializer({"a": 1})


def test_random_initializers_ranges():
    u = run1(tf.random_uniform_initializer(-2.0, 3.0)([2000]))
    assert u.min() >= -2.0 and u.max() < 3.0
    n = run1(tf.random_normal_initializer(1.0, 0.5)([20000]))
    assert abs(n.mean() - 1.0) < 0.02 and abs(n.std() - 0.5) < 0.02
    t = run1(tf.truncated_normal_initializer(0.0, 2.0)([20000]))
    assert np.all(np.abs(t) <= 4.0)


def test_glorot_normal_and_variance_scaling():
    g = run1(tf.glorot_normal_initializer()([400, 600]))
    stddev = math.sqrt(2.0 / 1000.0) / .87962566103423978
    assert np.all(np.abs(g) <= 2 * stddev + 1e-6)
    assert abs(g.std() - math.sqrt(2.0 / 1000.0)) < 0.002         # truncation brings it back to sqrt(2/n)
    he = run1(tf.variance_scaling_initializer(2.0, "fan_in", "uniform")([50, 10]))
    assert np.abs(he).max() <= math.sqrt(6.0 / 50.0)
    with pytest.raises(ValueError, match="Invalid `mode` argument"):
        tf.variance_scaling_initializer(mode="fan_sideways")
    with pytest.raises(ValueError, match="`scale` must be positive float."):
        tf.variance_scaling_initializer(scale=0.0)


def test_compute_fans():
    from tinyflow.init_ops import _compute_fans
    assert _compute_fans([]) == (1, 1)
    assert _compute_fans([5]) == (5, 5)
    assert _compute_fans([3, 4]) == (3, 4)
    assert _compute_fans([2, 2, 3, 4]) == (12, 16)


def test_initializer_ops_inside_get_variable_use_the_variable_name():
    tf.get_variable("k", [4, 4], initializer=tf.truncated_normal_initializer(stddev=0.1))
    assert "k/Initializer/truncated_normal/TruncatedNormal" in op_names()


def test_initializers_namespace():
    assert tf.initializers.glorot_uniform is tf.glorot_uniform_initializer
    assert tf.initializers.zeros is tf.zeros_initializer
    v = tf.Variable(1.0)
    assert tf.initializers.global_variables().control_inputs == [v.initializer]
    he = tf.initializers.he_normal()
    assert (he.scale, he.mode, he.distribution) == (2.0, "fan_in", "truncated_normal")

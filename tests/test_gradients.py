"""tf.gradients: the backward pass as graph ops, with the names TensorFlow 1.15 gives them."""
import numpy as np
import pytest

import tinyflow as tf


def run(x):
    return tf.Session().run(x)


def test_returns_a_list_with_one_entry_per_x():
    a = tf.constant(3.0)
    g = tf.gradients(a * a, a)
    assert isinstance(g, list) and len(g) == 1 and run(g) == [6.0]


def test_tensor_used_several_times():
    # regression: a + a*a -> 1 + 2a
    a = tf.constant(3.0)
    assert run(tf.gradients(a + a * a, a)) == [7.0]
    # regression: b = a + a; c = b + b -> dc/da = 4
    b = a + a
    c = b + b
    assert run(tf.gradients(c, a)) == [4.0]
    assert run(tf.gradients(c, b)) == [2.0]


def test_paths_are_summed_with_addn():
    a, b = tf.constant(3.0), tf.constant(4.0)
    y = a * b + a
    (ga,) = tf.gradients(y, a)
    assert run(ga) == 5.0 and ga.op.type == "AddN" and ga.name == "gradients/AddN:0"


def test_ys_list_is_summed():
    a, b, c = tf.constant(2.0), tf.constant(4.0), tf.constant(5.0)
    assert run(tf.gradients([a * b, a * c], a)) == [9.0]


def test_unconnected_is_none_or_zero():
    a, b = tf.constant(1.0), tf.constant(2.0)
    assert tf.gradients(a * 2.0, [a, b]) [1] is None
    assert tf.gradients(tf.stop_gradient(a) * 2.0, a) == [None]
    assert run(tf.gradients(a * 2.0, [b], unconnected_gradients="zero")) == [0.0]


def test_integer_paths_give_none():
    i = tf.constant(3)
    f = tf.constant(2.0)
    y = tf.cast(i * 2, tf.float32) * f
    assert tf.gradients(y, i) == [None]
    assert run(tf.gradients(y, f)) == [6.0]


def test_grad_ys_and_nonscalar_ys():
    x = tf.constant([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(run(tf.gradients(x * 2.0, x))[0], [2, 2, 2])
    np.testing.assert_array_equal(run(tf.gradients(x * 2.0, x, grad_ys=2.0))[0], [4, 4, 4])
    assert run(tf.gradients(x, x))[0].tolist() == [1, 1, 1]


def test_broadcasting_is_undone():
    x = tf.constant(np.arange(6, dtype=np.float32).reshape(2, 3))
    b = tf.constant([1.0, 2.0, 3.0])
    s = tf.constant(2.0)
    gx, gb = run(tf.gradients(tf.reduce_sum(x + b), [x, b]))
    np.testing.assert_array_equal(gx, np.ones((2, 3)))
    np.testing.assert_array_equal(gb, [2, 2, 2])
    assert run(tf.gradients(tf.reduce_sum(x * s), s)) == [15.0]


def test_broadcasting_with_unknown_shapes():
    x = tf.placeholder(tf.float32, [None, 3])
    b = tf.constant([1.0, 2.0, 3.0])
    (gb,) = tf.gradients(tf.reduce_mean(x * b), b)
    out = tf.Session().run(gb, {x: np.ones((4, 3))})
    np.testing.assert_allclose(out, [1 / 3] * 3, rtol=1e-6)


def test_gradient_ops_live_under_gradients_scope():
    a = tf.constant(3.0)
    y = a * a
    (g,) = tf.gradients(y, a)
    new_ops = [op.name for op in tf.get_default_graph().get_operations()][3:]
    assert all(n.startswith("gradients/") for n in new_ops)
    assert any(n.startswith("gradients/mul_grad/") for n in new_ops)
    (g2,) = tf.gradients(y, a)
    assert g2.name.startswith("gradients_1/")


def test_second_derivative():
    x = tf.constant(3.0)
    y = x * x * x
    (dy,) = tf.gradients(y, x)
    (d2y,) = tf.gradients(dy, x)
    assert run([dy, d2y]) == [27.0, 18.0]


def test_long_chain_is_iterative():
    x = tf.constant(1.0)
    y = x
    for _ in range(10000):
        y = y * 1.0001
    (g,) = tf.gradients(y, x)
    np.testing.assert_allclose(run(g), 1.0001 ** 10000, rtol=1e-3)


def test_matmul_gradient_shapes():
    a = tf.constant(np.ones((2, 3), np.float32))
    b = tf.constant(np.ones((3, 4), np.float32))
    ga, gb = tf.gradients(tf.reduce_sum(tf.matmul(a, b)), [a, b])
    assert ga.shape.as_list() == [2, 3] and gb.shape.as_list() == [3, 4]
    np.testing.assert_array_equal(run(ga), np.full((2, 3), 4.0))


def test_each_gradient_gets_its_input_shape_as_tf_sets_it():
    # TF 2.21 compat.v1 prints these gradients with these shapes
    x = tf.placeholder(tf.float32, [None, 3])
    u = tf.placeholder(tf.float32)                                    # rank unknown
    b = tf.constant([1.0, 2.0, 3.0])
    assert tf.gradients(tf.reduce_sum(x), x)[0].shape.as_list() == [None, 3]
    assert tf.gradients(tf.nn.bias_add(u, b), b)[0].shape.as_list() == [3]
    gx, gu = tf.gradients(tf.reduce_sum(x * u), [x, u])
    assert gx.shape.as_list() == [None, 3] and gu.shape.ndims is None


def test_grad_ys_pass_through_an_identity_and_are_left_unchanged():
    # TF 2.21 compat.v1: 'gradients/grad_y_0' (Const) and 'gradients/grad_ys_0' (Identity)
    g = tf.placeholder(tf.float32, [None])
    c = tf.constant([1.0, 2.0, 3.0])
    (dc,) = tf.gradients(tf.identity(c), c, grad_ys=g)
    assert dc.name == "gradients/grad_ys_0:0" and dc.op.type == "Identity"
    assert g.shape.as_list() == [None]                      # the learner's placeholder keeps its shape
    (dc2,) = tf.gradients(tf.identity(c), c, grad_ys=np.full(3, 2.0, np.float32))
    assert [i.op.name for i in dc2.op.inputs] == ["gradients_1/grad_y_0"]
    np.testing.assert_array_equal(run(dc2), [2.0, 2.0, 2.0])


def test_a_gradient_of_the_wrong_shape_is_refused_naming_the_op():
    @tf.RegisterGradient("WrongShapeForTest")
    def _wrong(op, grad):
        return tf.ones([2, 2]), None

    x = tf.placeholder(tf.float32, [None, 3])
    with tf.get_default_graph().gradient_override_map({"Mul": "WrongShapeForTest"}):
        z = tf.multiply(x, 2.0, name="scaled")
    with pytest.raises(ValueError, match=r"Incompatible shapes between op input and calculated input gradient\. "
                                         r"Forward operation: scaled\. Input index: 0\. Original input shape: "
                                         r"\(\?, 3\)\. Calculated input gradient shape: \(2, 2\)"):
        tf.gradients(z, x)


def test_summed_paths_and_gated_gradients_have_tfs_names():
    # TF 2.21 compat.v1 names. Paths meeting at a tensor are added up in the `gradients` scope ...
    w = tf.Variable([[1.0], [1.0]], name="W")
    loss = tf.reduce_sum(tf.matmul(tf.ones([3, 2]), w)) + 0.1 * tf.nn.l2_loss(w)
    (gw,) = tf.gradients(loss, w)
    assert gw.name == "gradients/AddN:0" and gw.shape.as_list() == [2, 1]
    np.testing.assert_allclose(_run_init(gw), [[3.1], [3.1]], rtol=1e-6)
    # ... and with gate_gradients=True an op's input gradients pass through tf.tuple
    a, b = tf.Variable(2.0, name="a"), tf.Variable(3.0, name="b")
    ga, gb = tf.gradients(a * b, [a, b], gate_gradients=True)
    assert (ga.name, gb.name) == ("gradients_1/mul_1_grad/tuple/control_dependency:0",
                                  "gradients_1/mul_1_grad/tuple/control_dependency_1:0")
    assert [op.name for op in ga.op.control_inputs] == ["gradients_1/mul_1_grad/tuple/group_deps"]
    assert _run_init([ga, gb]) == [3.0, 2.0]


def _run_init(fetches):
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    return sess.run(fetches)


def test_register_gradient_and_override_map():
    @tf.RegisterGradient("TimesThreeForTest")
    def _times_three(op, grad):
        return grad * 3.0

    with pytest.raises(KeyError, match="Registering two gradient with name 'TimesThreeForTest'"):
        tf.RegisterGradient("TimesThreeForTest")(_times_three)
    g = tf.get_default_graph()
    x = tf.constant(2.0)
    with g.gradient_override_map({"Identity": "TimesThreeForTest"}):
        y = tf.identity(x)
    assert run(tf.gradients(y, x)) == [3.0]


def test_missing_gradient_is_a_lookup_error_with_advice():
    x = tf.constant(2.0)
    y = tf.py_func(lambda v: v * 2, [x], tf.float32, name="double")
    with pytest.raises(LookupError, match=r"No gradient defined for operation 'double' \(op type: PyFunc\)") as e:
        tf.gradients(y, x)
    assert "RegisterGradient" in str(e.value)


def test_no_gradient_stops_quietly():
    tf.NoGradient("StopHereForTest")
    with tf.get_default_graph().gradient_override_map({"Identity": "StopHereForTest"}):
        x = tf.constant(1.0)
        y = tf.identity(x)
    assert tf.gradients(y * 2.0, x) == [None]


def test_grad_ys_are_checked_against_the_ys():
    x = tf.placeholder(tf.float32, [3])
    y = x * 2.0
    with pytest.raises(ValueError, match="Passed 1 grad_ys for 2 ys"):
        tf.gradients([y, y], x, grad_ys=[tf.ones([3])])      # the second y must not be dropped
    with pytest.raises(ValueError, match=r"grad_ys\[0\] has shape \(2,\), but .*mul.* has shape \(3,\)"):
        tf.gradients(y, x, grad_ys=tf.constant([1.0, 2.0]))
    with pytest.raises(TypeError, match=r"grad_ys\[0\] cannot be the upstream gradient of .*\n.*tf.cast"):
        tf.gradients(y, x, grad_ys=tf.constant([1, 2, 3]))
    (g,) = tf.gradients(y, x, grad_ys=np.array([1, 2, 3]))   # values convert to y's dtype
    np.testing.assert_array_equal(tf.Session().run(g, {x: [0, 0, 0]}), [2.0, 4.0, 6.0])


def test_unknown_unconnected_gradients_value():
    x = tf.constant(1.0)
    with pytest.raises(ValueError, match="Unknown value for unconnected_gradients: 'zeros'"):
        tf.gradients(x * 2.0, x, unconnected_gradients="zeros")
    assert tf.gradients(x * 2.0, tf.constant(2.0), unconnected_gradients=tf.UnconnectedGradients.ZERO)[0] is not None

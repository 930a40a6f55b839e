"""Graph building: names, scopes, printing, lookup, collections (TF 1.15 behaviour)."""
import numpy as np
import pytest

import tinyflow as tf


def test_guide_names_and_prints():
    a = tf.constant(3.0, dtype=tf.float32)
    b = tf.constant(4.0)
    total = a + b
    assert str(a) == 'Tensor("Const:0", shape=(), dtype=float32)'
    assert str(b) == 'Tensor("Const_1:0", shape=(), dtype=float32)'
    assert str(total) == 'Tensor("add:0", shape=(), dtype=float32)'
    assert repr(total) == "<tf.Tensor 'add:0' shape=() dtype=float32>"
    assert repr(total.op) == "<tf.Operation 'add' type=AddV2>"


def test_placeholder_prints():
    assert str(tf.placeholder(tf.float32)) == 'Tensor("Placeholder:0", dtype=float32)'
    assert str(tf.placeholder(tf.float32, [None, 3])) == 'Tensor("Placeholder_1:0", shape=(?, 3), dtype=float32)'
    assert str(tf.placeholder(tf.int32, [2, None], name="pp")) == 'Tensor("pp:0", shape=(2, ?), dtype=int32)'


def test_unique_names_follow_tf1():
    assert tf.constant(1., name="x").op.name == "x"
    assert tf.constant(1., name="x").op.name == "x_1"
    assert tf.constant(1., name="x_1").op.name == "x_1_1"
    assert tf.constant(1., name="x_1").op.name == "x_1_2"
    for _ in range(7):
        tf.constant(1.)
    # bookkeeping is case-insensitive: seven "Const" ops make "const" the 8th
    assert tf.constant(1., name="const").op.name == "const_7"


def test_name_scopes_share_the_op_namespace():
    with tf.name_scope("foo") as s:
        assert s == "foo/"
        assert tf.constant(1.).op.name == "foo/Const"
        with tf.name_scope("bar"):
            assert tf.constant(1.).op.name == "foo/bar/Const"
    with tf.name_scope("foo") as s:
        assert s == "foo_1/"
    assert tf.constant(1., name="foo").op.name == "foo_2"
    with tf.name_scope("foo/"):
        assert tf.constant(1.).op.name == "foo/Const_1"
    with tf.name_scope("foo"):
        with tf.name_scope(None):
            assert tf.constant(1.).op.name == "Const"


def test_invalid_names():
    with pytest.raises(ValueError, match="'_bad' is not a valid node name"):
        tf.constant(1., name="_bad")
    with pytest.raises(ValueError, match="is not a valid"):
        tf.constant(1., name="a b")


def test_operator_names_and_scoped_constants():
    vec = tf.constant([1., 2.])
    out = vec + 1
    assert out.op.name == "add"
    assert out.op.inputs[1].op.name == "add/y"
    assert (1 + vec).op.inputs[0].op.name == "add_1/x"


def test_dtype_inference():
    assert tf.constant(3).dtype == tf.int32
    assert tf.constant(3.0).dtype == tf.float32
    assert tf.constant([1, 2.0]).dtype == tf.float32
    assert tf.constant(True).dtype == tf.bool
    assert tf.constant("a").dtype == tf.string
    assert tf.constant(2 ** 40).dtype == tf.int64
    assert tf.constant(np.float64(1.0)).dtype == tf.float64
    assert tf.constant(np.array([1])).dtype == tf.int64
    assert tf.constant([]).shape.as_list() == [0]
    assert str(tf.float32) == "<dtype: 'float32'>" and repr(tf.float32) == "tf.float32"
    assert tf.as_dtype("float32_ref").base_dtype is tf.float32
    assert tf.as_dtype(np.float64) is tf.float64


def test_constant_conversion_errors():
    with pytest.raises(ValueError, match="None values not supported."):
        tf.constant(None)
    with pytest.raises(TypeError,
                       match=r"Failed to convert object of type <class 'list'> to Tensor. Contents: \[1, 'a'\]"):
        tf.constant([1, "a"])
    with pytest.raises(TypeError, match="Expected int32, got 3.0 of type 'float' instead."):
        tf.constant(3.0, dtype=tf.int32)
    with pytest.raises(ValueError, match="Argument must be a dense tensor"):
        tf.constant([[1, 2], [3]])
    with pytest.raises(ValueError, match="Too many elements provided. Needed at most 2, but received 3"):
        tf.constant([1, 2, 3], shape=[2])


def test_constant_shape_fill_and_reshape():
    sess = tf.Session()
    np.testing.assert_array_equal(sess.run(tf.constant([1., 2.], shape=[2, 2])), [[1, 2], [2, 2]])
    np.testing.assert_array_equal(sess.run(tf.constant(7, shape=[2, 3])), np.full((2, 3), 7))
    np.testing.assert_array_equal(sess.run(tf.constant([1, 2, 3, 4], shape=[2, 2])), [[1, 2], [3, 4]])


def test_constant_does_not_freeze_callers_array():
    arr = np.zeros(3, np.float32)
    tf.constant(arr)
    arr[0] = 1.0  # still writable


def test_graph_lookup_and_operations_in_creation_order():
    a = tf.constant(3.0)
    b = tf.constant(4.0)
    total = a + b
    g = tf.get_default_graph()
    assert [op.name for op in g.get_operations()] == ["Const", "Const_1", "add"]
    assert g.get_tensor_by_name("add:0") is total
    assert g.get_operation_by_name("add") is total.op
    assert total.op.inputs == [a, b] and total.op.outputs == [total]
    assert total.consumers() == [] and a.consumers() == [total.op]
    with pytest.raises(KeyError, match="The name 'nope:0' refers to a Tensor which does not exist"):
        g.get_tensor_by_name("nope:0")


def test_consumers_in_creation_order_once_per_use():
    x = tf.placeholder(tf.float32, name="x")
    sq = x * x
    later = tf.identity(x)
    (g,) = tf.gradients(sq, x)           # the gradient ops use x too
    users = x.consumers()
    assert users[:3] == [sq.op, sq.op, later.op]
    assert all(x in op.inputs for op in users) and len(users) > 3
    assert later.consumers() == [] and sq.consumers()[0].name.startswith("gradients/")


def test_graph_as_default_and_reset():
    g = tf.Graph()
    with g.as_default():
        c = tf.constant(1.0)
        assert tf.get_default_graph() is g
    assert c.graph is g and tf.get_default_graph() is not g
    old = tf.get_default_graph()
    tf.reset_default_graph()
    assert tf.get_default_graph() is not old


def test_mixing_graphs_is_an_error():
    g = tf.Graph()
    with g.as_default():
        c = tf.constant(1.0)
    d = tf.constant(2.0)
    with pytest.raises(ValueError, match="must be from the same graph"):
        tf.add(c, d)


def test_finalize():
    g = tf.get_default_graph()
    g.finalize()
    with pytest.raises(RuntimeError, match="Graph is finalized and cannot be modified."):
        tf.constant(1.0)


def test_collections():
    tf.add_to_collection("mine", 1)
    tf.add_to_collections(["mine", "other"], 2)
    assert tf.get_collection("mine") == [1, 2]
    assert tf.get_collection("other") == [2]
    assert tf.get_collection("missing") == []
    assert tf.GraphKeys.TRAINABLE_VARIABLES == "trainable_variables"


def test_shapes():
    s = tf.TensorShape([None, 3])
    assert str(s) == "(?, 3)" and repr(s) == "TensorShape([Dimension(None), Dimension(3)])"
    assert s.as_list() == [None, 3] and s.ndims == 2
    assert str(tf.TensorShape(None)) == "<unknown>" and str(tf.TensorShape([3])) == "(3,)"
    assert str(s[0]) == "?" and str(s[1]) == "3"
    with pytest.raises(ValueError):
        tf.TensorShape(None).as_list()
    assert s.is_compatible_with([5, 3]) and not s.is_compatible_with([5, 4])


def test_python_rules_on_tensors():
    a = tf.constant(1.0)
    b = tf.constant(1.0)
    assert (a == b) is False and (a == a) is True and {a: 1}[a] == 1
    with pytest.raises(TypeError, match="as a Python `bool` is not allowed") as caught:
        bool(a)
    assert "Fix: to choose between two computations when the graph runs, build both with `tf.cond(" in str(
        caught.value)
    with pytest.raises(TypeError, match="len is not well defined for symbolic Tensors"):
        len(tf.constant([1, 2]))
    with pytest.raises(NotImplementedError, match="Cannot convert a symbolic Tensor"):
        np.array(a)
    with pytest.raises(TypeError, match="iterating over `tf.Tensor` is not allowed"):
        iter(a)


def test_control_dependencies_recorded():
    a = tf.constant(1.0)
    with tf.control_dependencies([a]):
        b = tf.constant(2.0)
    assert b.op.control_inputs == [a.op]
    assert 'input: "^Const"' in str(b.op)


def test_build_time_shape_error_names_the_op():
    with pytest.raises(ValueError) as e:
        tf.constant([1., 2.]) + tf.constant([1., 2., 3.])
    assert str(e.value).splitlines()[0] == (
        "Dimensions must be equal, but are 2 and 3 for 'add' (op: 'AddV2') with input shapes: [2], [3].")
    # a failed op does not stay in the graph
    assert [op.type for op in tf.get_default_graph().get_operations()] == ["Const", "Const"]


def test_creation_site_points_at_user_code():
    c = tf.constant(1.0)
    assert c.op.creation_site.startswith(__file__)

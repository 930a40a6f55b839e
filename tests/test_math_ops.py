"""math_ops beyond the op catalogue: TF1 names, dtype rules, build-time errors, special
gradients (zeros in reduce_prod, ties in max), tf.py_func and tf.test.compute_gradient_error.
"""
import warnings

import numpy as np
import pytest

import tinyflow as tf


def run(fetches, feed_dict=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed_dict)


def first_line(e) -> str:
    return str(e.value).split("\n")[0]


# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------
def test_walkthrough_names_and_const_numbering():
    a = tf.constant(3.0)
    b = tf.constant(4.0)
    total = a + b
    assert (a.name, b.name) == ("Const:0", "Const_1:0")
    assert str(total) == 'Tensor("add:0", shape=(), dtype=float32)'
    assert repr(total.op) == "<tf.Operation 'add' type=AddV2>"
    vec = tf.constant([1.0, 2.0])
    out = vec + 1
    assert vec.name == "Const_2:0" and out.name == "add_1:0"
    assert out.op.inputs[1].op.name == "add_1/y" and out.op.inputs[1].dtype == tf.float32
    assert tf.constant(5.0).name == "Const_3:0"         # the add_1/y constant took no Const_N
    assert run(out).tolist() == [2.0, 3.0]


@pytest.mark.parametrize("build,name,op_type", [
    (lambda a, b: a + b, "add", "AddV2"),
    (lambda a, b: tf.add(a, b), "Add", "Add"),
    (lambda a, b: a - b, "sub", "Sub"),
    (lambda a, b: tf.subtract(a, b), "Sub", "Sub"),
    (lambda a, b: a * b, "mul", "Mul"),
    (lambda a, b: tf.multiply(a, b), "Mul", "Mul"),
    (lambda a, b: a / b, "truediv", "RealDiv"),
    (lambda a, b: tf.divide(a, b), "truediv", "RealDiv"),
    (lambda a, b: a // b, "floordiv", "FloorDiv"),
    (lambda a, b: a % b, "mod", "FloorMod"),
    (lambda a, b: tf.mod(a, b), "FloorMod", "FloorMod"),
    (lambda a, b: a ** b, "pow", "Pow"),
    (lambda a, b: tf.pow(a, b), "Pow", "Pow"),
    (lambda a, b: a @ b, "matmul", "MatMul"),
    (lambda a, b: tf.matmul(a, b), "MatMul", "MatMul"),
    (lambda a, b: -a, "Neg", "Neg"),
    (lambda a, b: abs(a), "Abs", "Abs"),
    (lambda a, b: a < b, "Less", "Less"),
    (lambda a, b: a <= b, "LessEqual", "LessEqual"),
    (lambda a, b: a > b, "Greater", "Greater"),
    (lambda a, b: a >= b, "GreaterEqual", "GreaterEqual"),
    (lambda a, b: tf.equal(a, b), "Equal", "Equal"),
    (lambda a, b: tf.maximum(a, b), "Maximum", "Maximum"),
    (lambda a, b: tf.squared_difference(a, b), "SquaredDifference", "SquaredDifference"),
    (lambda a, b: tf.add_n([a, b]), "AddN", "AddN"),
    (lambda a, b: tf.sigmoid(a), "Sigmoid", "Sigmoid"),
    (lambda a, b: tf.reduce_sum(a), "Sum", "Sum"),
    (lambda a, b: tf.reduce_mean(a), "Mean", "Mean"),
    (lambda a, b: tf.reduce_max(a, 0), "Max", "Max"),
    (lambda a, b: tf.reduce_prod(a), "Prod", "Prod"),
    (lambda a, b: tf.argmax(a, 1), "ArgMax", "ArgMax"),
    (lambda a, b: tf.cast(a, tf.int32), "Cast", "Cast"),
])
def test_tf1_op_names(build, name, op_type):
    a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    b = tf.constant([[5.0, 6.0], [7.0, 8.0]])
    op = build(a, b).op
    assert (op.name, op.type) == (name, op_type)


def test_operand_constants_are_named_in_the_op_scope():
    x = tf.constant([1.0, 2.0])
    assert (2.0 * x).op.inputs[0].op.name == "mul/x"         # reflected: converted as "x"
    assert (x - 1).op.inputs[1].op.name == "sub/y"
    assert tf.add(x, 1.0).op.inputs[1].op.name == "Add/y"
    assert tf.less(x, 1.0).op.inputs[1].op.name == "Less/y"
    s = tf.reduce_sum(x)                                       # all axes: a Const next to the op
    assert s.op.inputs[1].op.name == "Const_1"
    assert tf.reduce_sum(x, 0).op.inputs[1].op.name == "Sum_1/reduction_indices"
    assert tf.reduce_sum(x, 0, name="total").op.name == "total"


def test_truediv_of_ints_casts_to_float64_inside_its_scope():
    i = tf.constant([1, 2, 3])
    q = i / tf.constant([2, 2, 2])
    assert q.dtype == tf.float64
    assert [t.op.name for t in q.op.inputs] == ["truediv/Cast", "truediv/Cast_1"]
    np.testing.assert_array_equal(run(q), [0.5, 1.0, 1.5])
    assert run(q).dtype == np.float64
    assert (tf.constant([1, 2], tf.int64) / 2).dtype == tf.float64
    assert (tf.constant([1, 2], tf.int16) / 2).dtype == tf.float32


# --------------------------------------------------------------------------------------------
# Tensors in Python: identity comparison, hashing, no truth value
# --------------------------------------------------------------------------------------------
def test_equality_is_identity_and_tensors_are_hashable():
    a, b = tf.constant(1.0), tf.constant(1.0)
    assert (a == a) is True and (a == b) is False and (a != b) is True
    assert {a: 1, b: 2}[b] == 2
    assert isinstance(tf.equal(a, b), tf.Tensor)


def test_no_bool_len_or_numpy_conversion():
    t = tf.constant([1.0, 2.0])
    with pytest.raises(TypeError):
        bool(t)
    with pytest.raises(TypeError):
        if t > 0:                       # a classic learner mistake
            pass
    with pytest.raises(TypeError, match="len is not well defined"):
        len(t)
    with pytest.raises(NotImplementedError, match="sess.run"):
        np.array(t)


# --------------------------------------------------------------------------------------------
# Dtype rules
# --------------------------------------------------------------------------------------------
def test_no_implicit_promotion_between_tensors():
    with pytest.raises(TypeError) as e:
        tf.constant(1.0) + tf.constant(1)
    assert first_line(e) == ("Input 'y' of 'AddV2' Op has type int32 that does not match type float32 "
                             "of argument 'x'.")
    assert "tf.cast" in str(e.value)
    with pytest.raises(TypeError) as e:
        tf.constant(1.0) * tf.constant(1.0, tf.float64)
    assert first_line(e) == ("Input 'y' of 'Mul' Op has type float64 that does not match type float32 "
                             "of argument 'x'.")
    with pytest.raises(TypeError) as e:
        tf.matmul(tf.ones([2, 2]), tf.ones([2, 2], tf.int32))
    assert first_line(e) == ("Input 'b' of 'MatMul' Op has type int32 that does not match type float32 "
                             "of argument 'a'.")


def test_python_numbers_follow_the_tensor():
    f, i = tf.constant([1.0]), tf.constant([1])
    assert (f + 1).dtype == tf.float32 and (1 + f).dtype == tf.float32
    assert (i * 2).dtype == tf.int32
    with pytest.raises(TypeError) as e:
        i + 1.5
    assert first_line(e) == ("Input 'y' of 'AddV2' Op has type float32 that does not match type int32 "
                             "of argument 'x'.")
    with pytest.raises(TypeError, match="Expected int32, got 1.5 of type 'float' instead."):
        1.5 + i
    with pytest.raises(TypeError, match="Expected int32 passed to parameter 'y' of op 'Add'"):
        tf.add(i, 1.5)


def test_numpy_operands_are_cast_to_the_tensor_dtype():
    f = tf.constant([1.0, 2.0])
    for t in (f + np.array([0.5, 0.25]), np.array([0.5, 0.25]) + f, f * np.float64(2.0),
              np.float64(2.0) * f):
        assert t.dtype == tf.float32
    assert run(f + np.array([0.5, 0.25])).tolist() == [1.5, 2.25]
    assert (tf.constant([1, 2]) + np.array([1, 2], dtype=np.int64)).dtype == tf.int32


def test_float_only_ops_reject_ints():
    with pytest.raises(TypeError) as e:
        tf.sqrt(tf.constant(4))
    assert first_line(e).startswith("Value passed to parameter 'x' has DataType int32 not in list of "
                                    "allowed values: ")
    with pytest.raises(TypeError, match="does not match expected type of bool"):
        tf.logical_and(tf.constant([1.0]), tf.constant([True]))


def test_integer_arithmetic():
    a, b = tf.constant([7, -7, 6]), tf.constant([2, 2, -4])
    assert run(a // b).tolist() == [3, -4, -2]          # floor, as in Python
    assert run(a % b).tolist() == [1, 1, -2]            # sign of the divisor
    assert run(tf.reduce_mean(tf.constant([-3, 4, -2]))) == 0      # C division: towards zero
    assert run(tf.reduce_mean(tf.constant([1, 2]))).dtype == np.int32
    with pytest.raises(tf.errors.InvalidArgumentError, match="Integer division by zero"):
        run(a // tf.constant([1, 0, 1]))


@pytest.mark.parametrize("values, dtype, expected", [
    # TF 2.21 compat.v1: the sum does not overflow the small integer type
    (np.ones(300), np.uint8, 1), (-np.ones(200), np.int8, -1), (np.arange(-7, 3), np.int32, -2),
    (np.full(10, 25), np.uint8, 25),
])
def test_integer_mean_does_not_overflow(values, dtype, expected):
    result = run(tf.reduce_mean(tf.constant(values.astype(dtype))))
    assert result == expected and result.dtype == dtype


def test_float_mean_is_numpys_to_the_bit_and_quiet_when_empty():
    x = np.random.RandomState(0).rand(7, 33).astype(np.float32) * 1e4
    for axis in [None, 0, 1, [0, 1], -1]:
        np.testing.assert_array_equal(run(tf.reduce_mean(x, axis)), np.mean(x, axis=None if axis is None
                                                                           else tuple(np.atleast_1d(axis))))
    with warnings.catch_warnings():
        warnings.simplefilter("error")                  # numpy warns "Mean of empty slice"; TF is quiet
        assert np.isnan(run(tf.reduce_mean(tf.zeros([0, 3]))))
        np.testing.assert_array_equal(run(tf.reduce_mean(tf.zeros([0, 3]), 0)), [np.nan] * 3)


# --------------------------------------------------------------------------------------------
# Shape errors while building
# --------------------------------------------------------------------------------------------
def test_broadcast_shape_error():
    with pytest.raises(ValueError) as e:
        tf.constant([1.0, 2.0]) + tf.constant([1.0, 2.0, 3.0])
    assert first_line(e) == ("Dimensions must be equal, but are 2 and 3 for 'add' (op: 'AddV2') with "
                             "input shapes: [2], [3].")
    assert tf.get_default_graph().get_operations()[-1].name == "Const_1"     # no half-built op


def test_matmul_shape_errors():
    with pytest.raises(ValueError) as e:
        tf.matmul(tf.ones([2, 3]), tf.ones([2, 3]))
    assert first_line(e) == ("Dimensions must be equal, but are 3 and 2 for 'MatMul' (op: 'MatMul') "
                             "with input shapes: [2,3], [2,3].")
    with pytest.raises(ValueError, match="Shape must be rank 2 but is rank 1"):
        tf.matmul(tf.ones([3]), tf.ones([3, 2]))
    assert tf.matmul(tf.ones([2, 3]), tf.ones([2, 3]), transpose_b=True).shape.as_list() == [2, 2]


def test_matmul_runtime_shape_error_with_unknown_shapes():
    a = tf.placeholder(tf.float32)
    m = tf.matmul(a, tf.ones([3, 2]))
    assert m.op.type == "BatchMatMulV2"                 # unknown rank: TF1 uses the batched op
    with pytest.raises(tf.errors.InvalidArgumentError, match="Matrix size-incompatible"):
        run(m, {a: np.ones((2, 2))})
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        run(m, {a: np.ones(3)})
    assert str(e.value).startswith("In[0] ndims must be >= 2: 1\n")          # TF 2.21's text
    assert "In[0] has shape [3]" in str(e.value)
    b = tf.placeholder(tf.float32, [None, None])          # rank known: MatMul, sizes checked when run
    m = tf.matmul(b, tf.ones([2, 2]))
    mt = tf.matmul(b, tf.ones([2, 2]), transpose_a=True)
    assert m.op.type == mt.op.type == "MatMul"
    for product, bad, good in [(m, np.ones((3, 1)), np.ones((3, 2))), (mt, np.ones((1, 3)), np.ones((2, 3)))]:
        with pytest.raises(tf.errors.InvalidArgumentError) as e:
            run(product, {b: bad})
        assert "Matrix size-incompatible: In[0]: [%d,%d], In[1]: [2,2]" % bad.shape in str(e.value)   # TF's text
        assert run(product, {b: good}).shape == (3, 2)


def test_reduction_axis_errors_and_aliases():
    x = tf.ones([2, 3])
    with pytest.raises(ValueError) as e:
        tf.reduce_sum(x, 2)
    assert first_line(e).startswith("Invalid reduction dimension 2 for input with 2 dimensions.")
    with pytest.raises(ValueError, match="Cannot specify both 'keep_dims' and 'keepdims'"):
        tf.reduce_sum(x, 1, keepdims=True, keep_dims=True)
    with pytest.raises(ValueError, match="Cannot specify both 'reduction_indices' and 'axis'"):
        tf.reduce_sum(x, axis=1, reduction_indices=1)
    assert tf.reduce_sum(x, reduction_indices=[1], keep_dims=True).shape.as_list() == [2, 1]


def test_reductions_of_unknown_rank():
    x = tf.placeholder(tf.float32)
    assert tf.reduce_sum(x).shape.as_list() == []
    assert tf.reduce_mean(x, 0).shape.ndims is None
    value = np.arange(6.0).reshape(2, 3)
    assert run(tf.reduce_sum(x), {x: value}) == 15.0
    assert run(tf.reduce_max(x, keepdims=True), {x: value}).shape == (1, 1)


def test_add_n():
    a = tf.constant([1.0, 2.0])
    assert tf.add_n([a]) is a
    assert run(tf.add_n([a, a, a])).tolist() == [3.0, 6.0]
    with pytest.raises(TypeError, match="don't all match"):
        tf.add_n([a, tf.constant([1, 2])])
    with pytest.raises(ValueError, match="Dimensions must be equal"):
        tf.add_n([a, tf.constant([1.0, 2.0, 3.0])])


# --------------------------------------------------------------------------------------------
# Gradients with special cases
# --------------------------------------------------------------------------------------------
def test_reduce_prod_gradient_with_zeros():
    x = tf.constant([[2.0, 0.0, 3.0], [0.0, 0.0, 1.0], [1.0, 2.0, 3.0]], tf.float64)
    (g_rows,) = tf.gradients(tf.reduce_prod(x, axis=1), x)
    np.testing.assert_array_equal(run(g_rows), [[0, 6, 0], [0, 0, 0], [6, 3, 2]])
    (g_all,) = tf.gradients(tf.reduce_prod(x[2]), x)
    np.testing.assert_array_equal(run(g_all)[2], [6, 3, 2])
    y = tf.constant([1.0, 0.0, 4.0])
    np.testing.assert_array_equal(run(tf.gradients(tf.reduce_prod(y), y)[0]), [0, 4, 0])


def test_max_and_min_split_ties_equally():
    x = tf.constant([1.0, 3.0, 3.0])
    np.testing.assert_allclose(run(tf.gradients(tf.reduce_max(x), x)[0]), [0, 0.5, 0.5])
    m = tf.constant([[1.0, 1.0, 1.0], [2.0, 0.0, 0.0]])
    np.testing.assert_allclose(run(tf.gradients(tf.reduce_min(m, axis=1), m)[0]),
                               [[1 / 3, 1 / 3, 1 / 3], [0, 0.5, 0.5]])


def test_maximum_and_minimum_ties_go_to_x():
    x, y = tf.constant([1.0, 2.0, 3.0]), tf.constant([2.0, 2.0, 2.0])
    for op, expected_x in ((tf.maximum, [0, 1, 1]), (tf.minimum, [1, 1, 0])):
        gx, gy = run(tf.gradients(op(x, y), [x, y]))
        np.testing.assert_array_equal(gx, expected_x)
        np.testing.assert_array_equal(gy, 1 - np.array(expected_x))


def test_broadcast_gradients_and_scalar_grad_ys():
    x, b = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), tf.constant([1.0, 1.0, 1.0])
    gx, gb = run(tf.gradients(tf.reduce_sum(x + b), [x, b]))
    np.testing.assert_array_equal(gb, [2, 2, 2])
    v = tf.constant([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(run(tf.gradients(v * 2.0, v, grad_ys=2.0))[0], [4, 4, 4])


def test_second_derivatives():
    x = tf.constant([1.0, 2.0])
    (g,) = tf.gradients(x ** 3, x)
    (gg,) = tf.gradients(g, x)
    np.testing.assert_allclose(run([g, gg]), [[3, 12], [6, 12]])


def test_no_gradient_through_comparisons_and_integer_paths():
    x = tf.constant([1.0, 2.0])
    assert tf.gradients(tf.cast(x > 1.0, tf.float32), x) == [None]
    assert tf.gradients(tf.cast(tf.cast(x, tf.int32), tf.float32), x) == [None]
    assert tf.gradients(tf.floordiv(x, 2.0), x) == [None]


@pytest.mark.parametrize("fn", [tf.reduce_sum, tf.reduce_mean, tf.reduce_prod, tf.reduce_max, tf.reduce_min])
def test_numeric_reductions_refuse_bool_like_tf1(fn):
    correct = tf.constant([True, False, True])     # numpy would give True (logical or), not 2 or 0.67
    with pytest.raises(TypeError) as e:
        fn(correct)
    assert first_line(e).startswith("Value passed to parameter 'input' has DataType bool not in list")
    assert "tf.cast(t, tf.float32)" in str(e.value)
    assert run(tf.reduce_mean(tf.cast(correct, tf.float32))) == pytest.approx(2 / 3)


@pytest.mark.parametrize("fn", [tf.reduce_any, tf.reduce_all])
def test_logical_reductions_need_bool(fn):
    with pytest.raises(TypeError) as e:
        fn(tf.constant([1.0, 0.0]))
    assert first_line(e).endswith("that does not match expected type of bool.")
    assert "Fix:" in str(e.value)


# --------------------------------------------------------------------------------------------
# tf.py_func: a new op, with its gradient registered by the learner
# --------------------------------------------------------------------------------------------
def test_py_func_forward():
    x = tf.placeholder(tf.float32, [3])
    y = tf.py_func(lambda v: v * 2, [x], tf.float32)     # v * 2 of a float32 array stays float32
    assert y.op.type == "PyFunc" and y.op.name == "PyFunc" and y.shape.ndims is None
    z = tf.py_func(lambda v: np.sqrt(v.astype(np.float64)), [x], tf.float32)   # float64 -> Tout
    s, n = tf.py_func(lambda v: (v.sum(), np.int64(v.size)), [x], [tf.float32, tf.int32])
    out = run([y, z, s, n], {x: [1.0, 4.0, 9.0]})
    np.testing.assert_allclose(out[0], [2, 8, 18])
    assert out[1].dtype == np.float32 and out[1].tolist() == [1, 2, 3]
    assert out[2] == 14.0 and out[3] == 3 and out[3].dtype == np.int32
    assert tf.py_func(np.negative, [x], tf.float32, stateful=False).op.type == "PyFuncStateless"


def test_py_func_gets_its_own_writable_arrays():
    def clip_in_place(v):
        v[v < 0] = 0                  # in-place numpy code, as learners write it
        return v
    c = tf.constant([-1.0, 2.0])
    p = tf.placeholder(tf.float32, [2])
    fed = np.array([-3.0, 4.0], dtype=np.float32)
    y = tf.py_func(clip_in_place, [c], tf.float32)
    z = tf.py_func(clip_in_place, [p], tf.float32)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(y), [0.0, 2.0])
        np.testing.assert_array_equal(sess.run(c), [-1.0, 2.0])       # the constant is unchanged
        np.testing.assert_array_equal(sess.run(z, {p: fed}), [0.0, 4.0])
    np.testing.assert_array_equal(fed, [-3.0, 4.0])                   # and so is the fed array


def test_py_func_errors_become_op_errors():
    def fails(v):
        raise ValueError("bad value")
    y = tf.py_func(fails, [tf.constant(1.0)], tf.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="ValueError: bad value"):
        run(y)
    two = tf.py_func(lambda v: v, [tf.constant(1.0)], [tf.float32, tf.float32])
    with pytest.raises(tf.errors.InvalidArgumentError, match="returns 1 values, but expects to see 2"):
        run(two)


def test_py_func_has_no_gradient_until_one_is_registered():
    x = tf.constant([1.0, 2.0, 3.0])
    y = tf.py_func(lambda v: v ** 3, [x], tf.float32)
    with pytest.raises(LookupError) as e:
        tf.gradients(y, x)
    assert "No gradient defined for operation 'PyFunc' (op type: PyFunc)" in str(e.value)
    assert "RegisterGradient" in str(e.value)


def test_py_func_with_gradient_override_map():
    @tf.RegisterGradient("TestCubeGrad")
    def _cube_grad(op, grad):           # d(x^3)/dx = 3x^2
        return grad * 3.0 * tf.square(op.inputs[0])

    g = tf.get_default_graph()
    x = tf.placeholder(tf.float64, [3])
    with g.gradient_override_map({"PyFunc": "TestCubeGrad"}):
        y = tf.py_func(lambda v: v ** 3, [x], tf.float64)
    other = tf.py_func(lambda v: v, [x], tf.float64)       # made outside the block: no override
    assert y.op.get_attr("_gradient_op_type") == "TestCubeGrad"
    assert "_gradient_op_type" not in other.op.attrs
    (gx,) = tf.gradients(y, x)
    np.testing.assert_allclose(run(gx, {x: [1.0, 2.0, 3.0]}), [3, 12, 27])
    with tf.Session():
        error = tf.test.compute_gradient_error(x, [3], y, [3], x_init_value=np.array([0.5, 1.0, 1.5]))
    assert error < 1e-5


# --------------------------------------------------------------------------------------------
# tf.test.compute_gradient_error
# --------------------------------------------------------------------------------------------
def test_compute_gradient_error_on_some_ops():
    x = tf.placeholder(tf.float64, [2, 3])
    w = tf.placeholder(tf.float64, [3, 2])
    y = tf.sigmoid(tf.matmul(x, w)) * tf.reduce_sum(tf.square(x), axis=1, keepdims=True)
    x0, w0 = np.random.RandomState(0).uniform(-1, 1, (2, 3)), np.random.RandomState(1).uniform(-1, 1, (3, 2))
    with tf.Session():
        assert tf.test.compute_gradient_error(x, [2, 3], y, [2, 2], x_init_value=x0,
                                              extra_feed_dict={w: w0}) < 1e-6
    # Several xs: each is fed in turn, so the others need values too: here constants.
    xc, wc = tf.constant(x0), tf.constant(w0)
    yc = tf.sigmoid(tf.matmul(xc, wc))
    with tf.Session():
        jacobians = tf.test.compute_gradient([xc, wc], [[2, 3], [3, 2]], yc, [2, 2], x_init_value=[x0, w0])
        assert tf.test.compute_gradient_error([xc, wc], [[2, 3], [3, 2]], yc, [2, 2]) < 1e-6
    assert len(jacobians) == 2 and jacobians[0][0].shape == (6, 4) and jacobians[1][1].shape == (6, 4)
    np.testing.assert_allclose(jacobians[1][0], jacobians[1][1], atol=1e-6)


def test_compute_gradient_jacobian_layout_and_own_session():
    x = tf.placeholder(tf.float64, [2])
    y = x * tf.constant([1.0, 3.0], tf.float64)           # dy_j/dx_i = diag(1, 3)
    jacob_t, jacob_n = tf.test.compute_gradient(x, [2], y, [2])      # no default session: makes one
    np.testing.assert_allclose(jacob_t, [[1, 0], [0, 3]])
    np.testing.assert_allclose(jacob_n, [[1, 0], [0, 3]], atol=1e-8)


def test_compute_gradient_error_catches_a_wrong_gradient():
    @tf.RegisterGradient("TestWrongSquareGrad")
    def _wrong(op, grad):               # should be 2x
        return grad * op.inputs[0]

    x = tf.placeholder(tf.float64, [3])
    with tf.get_default_graph().gradient_override_map({"Square": "TestWrongSquareGrad"}):
        y = tf.square(x)
    error = tf.test.compute_gradient_error(x, [3], y, [3], x_init_value=np.array([1.0, 2.0, 3.0]))
    assert error == pytest.approx(3.0, abs=1e-6)


def test_tf_test_is_the_module():
    import tinyflow.test
    assert tf.test is tinyflow.test and tf.test.is_gpu_available() is False


@pytest.mark.parametrize("y, expected", [(0.0, [[0.0, 0.0], [0.0, 0.0]]), (2.0, [[0.5, -1.0], [0.0, np.inf]])])
def test_div_no_nan_by_a_scalar(y, expected):
    """A scalar denominator (a loss's total over its count) is the usual case: 0 when it is 0,
    whatever the numerator (even inf), else the quotient; the dtype stays float32."""
    x = tf.constant([[1.0, -2.0], [0.0, np.inf]])
    q = tf.div_no_nan(x, tf.constant(y))
    value = run(q)
    assert value.dtype == np.float32 and value.shape == (2, 2)
    np.testing.assert_array_equal(value, expected)
    assert run(tf.div_no_nan(tf.constant(3.0), tf.constant(0.0))) == 0.0

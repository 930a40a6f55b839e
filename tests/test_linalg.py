"""The linear-algebra ops (ops/linalg_ops.py) and the contractions (ops/einsum_ops.py): TensorFlow's
values, gradients, op names and errors. Values, gradients and names below were seen in TensorFlow
2.21's ``tf.compat.v1`` (graph mode); the op catalogue checks values against numpy and gradients
numerically."""
import numpy as np
import pytest

import tinyflow as tf

A = np.array([[4., 1., 0.5], [1., 3., 0.2], [0.5, 0.2, 2.]])
B = np.array([[2., 1.], [7., 4.]])
W = np.arange(9.).reshape(3, 3)


def _run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


def _ops(g):
    return [(op.name, op.type) for op in g.get_operations()]


def test_values_and_gradients_match_tensorflow():
    with tf.Graph().as_default():
        a = tf.constant(A)
        inv, inv_adj = tf.matrix_inverse(a), tf.matrix_inverse(tf.constant(B), adjoint=True)
        det, chol = tf.matrix_determinant(a), tf.cholesky(a)
        solve = tf.matrix_solve(a, tf.constant(np.ones((3, 2))))
        g_inv = tf.gradients(tf.reduce_sum(tf.matrix_inverse(a) * tf.constant(W)), a)[0]
        g_det = tf.gradients(tf.matrix_determinant(a), a)[0]
        g_chol = tf.gradients(tf.reduce_sum(tf.cholesky(a) * tf.constant(W)), a)[0]
        g_solve = tf.gradients(tf.reduce_sum(solve * tf.constant(np.arange(6.).reshape(3, 2))), a)[0]
        got = _run([inv, inv_adj, det, chol, solve, g_inv, g_det, g_chol, g_solve])
    expected = [
        [[0.27994364, -0.08924378, -0.06106153], [-0.08924378, 0.36402067, -0.01409112],
         [-0.06106153, -0.01409112, 0.5166745]],
        [[4., -7.], [-1., 2.]],
        21.29,
        [[2., 0., 0.], [0.5, 1.6583124, 0.], [0.25, 0.0452267, 1.39120615]],
        [[0.12963833] * 2, [0.26068577] * 2, [0.44152184] * 2],
        [[0.1096049742, 0.1217634487, 0.1478343421], [-0.0755122676, -0.3501931876, -0.710546015],
         [-0.3030815809, -0.9453980582, -1.8000984415]],
        [[5.96, -1.9, -1.3], [-1.9, 7.75, -0.3], [-1.3, -0.3, 11.]],
        [[-0.1311507361, 0.2083237261, 0.6325584364], [0.2083237261, 1.1506227023, 2.0321647865],
         [0.6325584364, 2.0321647865, 2.8752029356]],
        [[0.0927988782, 0.1866064398, 0.3160541503], [-0.2079449928, -0.4181502572, -0.7082184537],
         [-0.5857776956, -1.1779225401, -1.9950399778]],
    ]
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g, e, rtol=1e-7, atol=1e-8)


def test_contraction_gradients_match_tensorflow():
    with tf.Graph().as_default():
        x, y = tf.constant(np.arange(6.).reshape(2, 3)), tf.constant(np.arange(12.).reshape(3, 4))
        gx, gy = tf.gradients(tf.reduce_sum(tf.einsum("ij,jk->ik", x, y) * tf.constant(np.arange(8.).reshape(2, 4))),
                              [x, y])
        gt = tf.gradients(tf.reduce_sum(tf.tensordot(x, y, 1) ** 2), x)[0]
        a = tf.constant(A)
        gtr = tf.gradients(tf.einsum("ii->", a) * 2.0, a)[0]
        got = _run([gx, gy, gt, gtr])
    np.testing.assert_array_equal(got[0], [[14., 38., 62.], [38., 126., 214.]])
    np.testing.assert_array_equal(got[1], [[12., 15., 18., 21.], [16., 21., 26., 31.], [20., 27., 34., 41.]])
    np.testing.assert_array_equal(got[2], [[324., 1108., 1892.], [1008., 3376., 5744.]])
    np.testing.assert_array_equal(got[3], 2 * np.eye(3))


def test_op_names_are_tensorflows():
    g = tf.Graph()
    with g.as_default():
        a = tf.constant(A)
        outs = [tf.eye(3), tf.eye(2, 3), tf.diag([1., 2.]), tf.matrix_diag([[1., 2.]]), tf.matrix_diag_part(a),
                tf.trace(a), tf.matrix_transpose(a), tf.linalg.transpose(a), tf.matrix_inverse(a),
                tf.matrix_determinant(a), tf.cholesky(a), tf.einsum("ij,jk->ik", a, a), tf.tensordot(a, a, 1)]
    # "diag_1": names are made unique ignoring case ("Diag" is taken), as in TensorFlow
    assert [t.name for t in outs] == [
        "eye/diag:0", "eye_1/set_diag:0", "Diag:0", "diag_1:0", "diag_part:0", "Trace:0",
        "matrix_transpose/transpose:0", "matrix_transpose_1/transpose:0", "MatrixInverse:0", "MatrixDeterminant:0",
        "Cholesky:0", "einsum/Einsum:0",
        "Tensordot/MatMul:0"]
    assert ("Trace/diag_part", "MatrixDiagPart") in _ops(g) and ("Trace", "Sum") in _ops(g)
    assert ("eye/ones", "Const") in _ops(g) or ("eye/ones", "Fill") in _ops(g)


def test_tensordot_is_composed_as_tensorflow():
    g = tf.Graph()
    with g.as_default():
        t = tf.tensordot(tf.constant(np.arange(24.).reshape(2, 3, 4)), tf.constant(np.arange(12.).reshape(4, 3)),
                         [[1, 2], [1, 0]])
        np.testing.assert_array_equal(_run(t), [440., 1232.])
    assert _ops(g)[2:] == [
        ("Tensordot/Reshape/shape", "Const"), ("Tensordot/Reshape", "Reshape"), ("Tensordot/transpose/perm", "Const"),
        ("Tensordot/transpose", "Transpose"), ("Tensordot/Reshape_1/shape", "Const"),
        ("Tensordot/Reshape_1", "Reshape"),
        ("Tensordot/MatMul", "MatMul"), ("Tensordot/shape", "Const"), ("Tensordot", "Reshape")]


def test_tensordot_with_unknown_dimensions():
    with tf.Graph().as_default():
        p = tf.placeholder(tf.float64, [None, 3, 4])
        t = tf.tensordot(p, tf.constant(np.arange(12.).reshape(4, 3)), [[1, 2], [1, 0]])
        assert t.shape.as_list() == [None]
        np.testing.assert_array_equal(_run(t, {p: np.arange(24.).reshape(2, 3, 4)}), [440., 1232.])


def test_eye_and_diagonals():
    with tf.Graph().as_default():
        got = _run([tf.eye(2, batch_shape=[2]), tf.eye(2, dtype=tf.int32),
                    tf.diag_part(tf.constant([[1., 2.], [3., 4.]])),
                    tf.matrix_set_diag(tf.zeros([2, 3]), [1., 2.]), tf.eye(tf.constant(2), tf.constant(3))])
    np.testing.assert_array_equal(got[0], np.stack([np.eye(2)] * 2))
    assert got[1].dtype == np.int32 and got[0].dtype == np.float32
    np.testing.assert_array_equal(got[2], [1., 4.])
    np.testing.assert_array_equal(got[3], [[1., 0., 0.], [0., 2., 0.]])
    np.testing.assert_array_equal(got[4], np.eye(2, 3))


def test_the_linalg_namespace_has_tensorflows_names():
    assert tf.linalg.inv is tf.matrix_inverse and tf.linalg.det is tf.matrix_determinant
    assert tf.linalg.diag is tf.matrix_diag and tf.linalg.tensor_diag is tf.diag     # as TensorFlow
    assert tf.linalg.transpose is tf.matrix_transpose and tf.linalg.solve is tf.matrix_solve
    assert {"eye", "trace", "cholesky", "einsum", "tensordot", "band_part", "set_diag"} <= set(dir(tf.linalg))


@pytest.mark.parametrize("build, error, first_line", [
    (lambda: tf.matrix_inverse(tf.zeros([2, 3])), ValueError, "Dimensions must be equal, but are 2 and 3"),
    (lambda: tf.matrix_determinant(tf.zeros([2, 3])), ValueError, "Dimensions must be equal, but are 3 and 2"),
    (lambda: tf.cholesky(tf.zeros([2, 3])), ValueError, "Dimensions must be equal, but are 2 and 3"),
    (lambda: tf.matrix_inverse([1., 2.]), ValueError, "Shape must be at least rank 2 but is rank 1"),
    (lambda: tf.matrix_solve(tf.zeros([3, 3]), tf.zeros([2, 2])), ValueError,
     "Dimensions must be equal, but are 3 and 2"),
    (lambda: tf.diag_part(tf.zeros([2, 3])), ValueError, "Dimensions must be equal, but are 2 and 3"),
    (lambda: tf.matrix_inverse([[1, 2], [3, 4]]), TypeError,
     "Value passed to parameter 'input' has DataType int32 not in list of allowed values: float64, float32, float16, "
     "complex64, complex128"),
    (lambda: tf.matrix_determinant([[1, 2], [3, 4]]), TypeError,
     "Value passed to parameter 'input' has DataType int32 not in list of allowed values: float16, float32, float64, "
     "complex64, complex128"),
    (lambda: tf.einsum("ij,jk->ik", tf.zeros([2, 3]), tf.zeros([4, 5])), ValueError,
     "Dimensions must be equal, but are 3 and 4"),
    (lambda: tf.einsum("ij,jk", tf.zeros([2, 3])), ValueError, 'Got 1 inputs for equation "ij,jk", expecting 2'),
    (lambda: tf.tensordot(tf.zeros([2, 3]), tf.zeros([4, 5]), 1), ValueError,
     "Dimensions must be equal, but are 3 and 4"),
])
def test_build_errors(build, error, first_line):
    with tf.Graph().as_default():
        with pytest.raises(error) as e:
            build()
    assert str(e.value).startswith(first_line)
    assert "\nFix: " in str(e.value)


@pytest.mark.parametrize("fn, value, first_line", [
    (tf.matrix_inverse, [[1., 2.], [2., 4.]], "Input is not invertible."),
    (tf.matrix_inverse, np.zeros((2, 3)), "Input matrix must be square."),
    (tf.matrix_determinant, np.zeros((2, 3)), "Input matrix must be square."),
    (tf.cholesky, [[1., 2.], [2., 1.]], "Cholesky decomposition was not successful. The input might not be valid."),
])
def test_run_time_errors(fn, value, first_line):
    with tf.Graph().as_default():
        p = tf.placeholder(tf.float64, [None, None])
        with pytest.raises(tf.errors.InvalidArgumentError) as e:
            _run(fn(p), {p: value})
    assert e.value.message.startswith(first_line) and "Fix: " in e.value.message


def test_einsum_common_equations_and_batched_inverse():
    rng = np.random.RandomState(0)
    x, y = rng.rand(2, 3, 3) + 3 * np.eye(3), rng.rand(2, 3, 4)
    with tf.Graph().as_default():
        got = _run([tf.einsum("bij,bjk->bik", x, y), tf.einsum("bi,bi->b", y[:, 0], y[:, 1]), tf.matrix_inverse(x),
                    tf.matrix_determinant(x), tf.linalg.trace(x)])
    np.testing.assert_allclose(got[0], x @ y)
    np.testing.assert_allclose(got[1], np.sum(y[:, 0] * y[:, 1], -1))
    np.testing.assert_allclose(got[2], np.linalg.inv(x))
    np.testing.assert_allclose(got[3], np.linalg.det(x))
    np.testing.assert_allclose(got[4], np.trace(x, axis1=1, axis2=2))

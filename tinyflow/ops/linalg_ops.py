"""Linear algebra: ``tf.eye``, ``tf.trace``, ``tf.matrix_transpose``, and the matrix functions
``tf.matrix_inverse``, ``tf.matrix_determinant``, ``tf.cholesky``, ``tf.matrix_solve``.

Every op works on a stack of matrices: the last two axes are the matrix, the leading ones the
batch (numpy's ``np.linalg`` does the same). The gradients are TensorFlow's:

* ``B = A^-1``: ``dA = -B^T dB B^T``;
* ``d = det(A)``: ``dA = dd * d * A^-T``;
* ``X = A^-1 B``: ``dB = A^-T dX``, ``dA = -dB X^T``;
* ``A = L L^T`` (Cholesky): ``dA = 1/2 (S + S^T)``, with ``S = L^-T Phi(L^T dL) L^-1``, where
  ``Phi`` keeps the lower triangle and halves the diagonal (Murray, 2016).

``tf.eye`` and ``tf.trace`` are composed as TensorFlow composes them (``ones`` then ``matrix_diag``;
``reduce_sum`` of ``matrix_diag_part``); the diagonals themselves are in ``diag_ops.py``.

TensorFlow's counterparts: ``python/ops/linalg_ops.py``, ``python/ops/linalg_grad.py``,
``core/ops/linalg_ops.cc``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import dtypes, errors
from ..framework import Operation, Tensor, convert_to_tensor, name_scope
from ..op_def_library import check_dtype, int_input, make_tensor, python_bool, python_size, unary_op
from ..op_registry import RegisterGradient, primitive
from ..tensor_shape import ShapeError, TensorShape
from . import array_ops, concat_ops, creation_ops, diag_ops, math_ops, matmul_ops, reduction_ops, unary_ops

__all__ = ["eye", "trace", "matrix_transpose", "matrix_inverse", "matrix_determinant", "cholesky", "matrix_solve"]

_INVERSE_TYPES = "float64, float32, float16, complex64, complex128"
_DETERMINANT_TYPES = "float16, float32, float64, complex64, complex128"
_SQUARE_HINT = "Fix: %s needs square matrices (the last two dimensions equal), e.g. shape [n, n] or [batch, n, n]."


def _square_rule(op: Operation, what: str, cols_first: bool = False) -> TensorShape:
    """A stack of square matrices in, the same shape out (``cols_first``: the order of TF's message)."""
    x = op.inputs[0].shape
    diag_ops.at_least_rank(x, 2, _SQUARE_HINT % what)
    if x.ndims is None:
        return x
    rows, cols = x.as_list()[-2:]
    n = diag_ops.merge_dims(*((cols, rows) if cols_first else (rows, cols)), _SQUARE_HINT % what)
    return TensorShape(x.as_list()[:-2] + [n, n])


def _check_square(ctx, x: np.ndarray, what: str) -> None:   # at run time (the static shape may be unknown)
    if x.ndim < 2:
        raise errors.InvalidArgumentError(None, ctx.op, "Input tensor 0 must have rank >= 2, got %d\n%s"
                                          % (x.ndim, _SQUARE_HINT % what))
    if x.shape[-1] != x.shape[-2]:
        raise errors.InvalidArgumentError(None, ctx.op, "Input matrix must be square.\n(tinyflow: the input has "
                                          "shape %s.) %s" % (list(x.shape), _SQUARE_HINT % what))


# --------------------------------------------------------------------------------------------
# eye, trace, matrix_transpose
# --------------------------------------------------------------------------------------------
def eye(num_rows: Any, num_columns: Any = None, batch_shape: Any = None, dtype: Any = dtypes.float32,
        name: "str | None" = None) -> Tensor:
    """The identity matrix ``[num_rows, num_columns]`` (square by default), or a stack of them
    (``batch_shape``); composed as TensorFlow does: ``matrix_diag`` of ones."""
    with name_scope(name, "eye", [num_rows, num_columns, batch_shape]):
        is_square = num_columns is None
        batch_shape = [] if batch_shape is None else batch_shape
        num_columns = num_rows if num_columns is None else num_columns
        dtype = dtypes.as_dtype(dtype).base_dtype
        if isinstance(num_rows, Tensor) or isinstance(num_columns, Tensor):
            diag_size = math_ops.minimum(num_rows, num_columns)
            batch = int_input(batch_shape, "batch_shape")
            diag_shape = concat_ops.concat([batch, array_ops.reshape(diag_size, [1])], 0)
            shape = concat_ops.concat([batch, concat_ops.stack([num_rows, num_columns])], 0)
        else:
            for v in (num_rows, num_columns):
                if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)):
                    raise TypeError("num_rows and num_columns must be positive integer values.\nFix: pass Python "
                                    "ints (or int32 tensors), e.g. tf.eye(3).")
            if num_rows < 0 or num_columns < 0:
                raise ValueError("num_rows and num_columns must be non-negative integer values.\nFix: pass "
                                 "sizes >= 0.")
            is_square = num_rows == num_columns
            diag_size = min(num_rows, num_columns)
            if isinstance(batch_shape, Tensor):
                diag_shape = concat_ops.concat([batch_shape, [diag_size]], 0)
                shape = concat_ops.concat([batch_shape, [num_rows, num_columns]], 0)
            else:
                if not isinstance(batch_shape, (list, tuple)) or any(python_size(d) < 0 for d in batch_shape):
                    raise TypeError("batch_shape must be a list of non-negative ints, not %r.\nFix: e.g. "
                                    "batch_shape=[2] for two matrices." % (batch_shape,))
                diag_shape = [python_size(d) for d in batch_shape] + [diag_size]
                shape = diag_shape[:-1] + [num_rows, num_columns]
        ones = creation_ops.ones(diag_shape, dtype=dtype)
        if is_square:
            return diag_ops.matrix_diag(ones)
        return diag_ops.matrix_set_diag(creation_ops.zeros(shape, dtype=dtype), ones)


def trace(x: Any, name: "str | None" = None) -> Tensor:
    """The sum of the main diagonal of each matrix: ``reduce_sum(diag_ops.matrix_diag_part(x), [-1])``."""
    with name_scope(name, "Trace", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        return reduction_ops.reduce_sum(diag_ops.matrix_diag_part(x), [-1], name=scope)


def matrix_transpose(a: Any, name: str = "matrix_transpose", conjugate: bool = False) -> Tensor:
    """Transposes the last two axes (each matrix of a stack): ``[..., m, n]`` to ``[..., n, m]``."""
    with name_scope(name, "matrix_transpose", [a]):
        a = convert_to_tensor(a, name="a")
        ndims = a.shape.ndims
        if ndims is not None:
            if ndims < 2:
                raise ValueError("Argument 'a' should be a (batch) matrix, with rank >= 2.  Found: %s\nFix: "
                                 "tf.matrix_transpose swaps the last two axes; use tf.transpose for vectors."
                                 % a.shape)
            perm = list(range(ndims - 2)) + [ndims - 1, ndims - 2]
        else:
            r = array_ops.rank(a)
            perm = concat_ops.concat([creation_ops.range(r - 2), concat_ops.stack([r - 1, r - 2])], 0)
        return array_ops.transpose(a, perm=perm, conjugate=conjugate)


# --------------------------------------------------------------------------------------------
# Inverse, determinant, Cholesky, solve
# --------------------------------------------------------------------------------------------
def matrix_inverse(input: Any, adjoint: bool = False, name: "str | None" = None) -> Tensor:  # noqa: A002
    """``A^-1`` of each matrix (``adjoint=True``: the inverse of ``A^T``)."""
    return unary_op("MatrixInverse", input, name, _INVERSE_TYPES, input_name="input",
                    attrs={"adjoint": python_bool(adjoint, "adjoint", "MatrixInverse")})


@primitive("MatrixInverse", shape=lambda op: _square_rule(op, "tf.matrix_inverse"))
def _inverse_kernel(ctx, x):
    x = np.asarray(x)
    _check_square(ctx, x, "tf.matrix_inverse")
    if ctx.attrs["adjoint"]:
        x = np.swapaxes(x, -1, -2)
    try:
        return np.linalg.inv(x).astype(x.dtype, copy=False)
    except np.linalg.LinAlgError:
        raise errors.InvalidArgumentError(None, ctx.op, "Input is not invertible.\n(tinyflow: a matrix of %r is "
                                          "singular: its determinant is 0.) Fix: check the matrix, or solve a "
                                          "least-squares problem instead." % ctx.op.name) from None


@RegisterGradient("MatrixInverse")
def _inverse_grad(op, grad):
    """B = A^-1:  dA = -B^T dB B^T (with the adjoint flag folded in, as TensorFlow)."""
    ainv, adj = op.outputs[0], op.attrs["adjoint"]
    return unary_ops.negative(matmul_ops.matmul(
        ainv, matmul_ops.matmul(grad, ainv, adjoint_a=adj, adjoint_b=not adj), adjoint_a=not adj))


def matrix_determinant(input: Any, name: "str | None" = None) -> Tensor:  # noqa: A002
    """``det(A)`` of each matrix: shape ``[..., n, n]`` in, ``[...]`` out."""
    return unary_op("MatrixDeterminant", input, name, _DETERMINANT_TYPES, input_name="input")


def _determinant_rule(op: Operation) -> TensorShape:
    s = _square_rule(op, "tf.matrix_determinant", cols_first=True)
    return s if s.ndims is None else TensorShape(s.as_list()[:-2])


@primitive("MatrixDeterminant", shape=_determinant_rule)
def _determinant_kernel(ctx, x):
    x = np.asarray(x)
    _check_square(ctx, x, "tf.matrix_determinant")
    return np.asarray(np.linalg.det(x), dtype=x.dtype)


@RegisterGradient("MatrixDeterminant")
def _determinant_grad(op, grad):
    """d = det(A):  dA = dd * d * A^-T."""
    a, c = op.inputs[0], op.outputs[0]
    multipliers = array_ops.expand_dims(array_ops.expand_dims(math_ops.multiply(grad, c), -1), -1)
    return math_ops.multiply(multipliers, matrix_inverse(a, adjoint=True))


def cholesky(input: Any, name: "str | None" = None) -> Tensor:  # noqa: A002
    """The lower-triangular ``L`` with ``L L^T = A``, for symmetric positive-definite ``A``."""
    return unary_op("Cholesky", input, name, _INVERSE_TYPES, input_name="input")


@primitive("Cholesky", shape=lambda op: _square_rule(op, "tf.cholesky"))
def _cholesky_kernel(ctx, x):
    x = np.asarray(x)
    _check_square(ctx, x, "tf.cholesky")
    try:
        # TensorFlow reads the lower triangle only: the matrix is taken to be symmetric.
        lower = np.tril(x) + np.swapaxes(np.tril(x, -1), -1, -2)
        return np.linalg.cholesky(lower).astype(x.dtype, copy=False)
    except np.linalg.LinAlgError:
        raise errors.InvalidArgumentError(None, ctx.op, "Cholesky decomposition was not successful. The input might "
                                          "not be valid.\n(tinyflow: a matrix of %r is not positive definite.) Fix: "
                                          "pass a symmetric positive-definite matrix, e.g. A A^T + eps * I."
                                          % ctx.op.name) from None


@RegisterGradient("Cholesky")
def _cholesky_grad(op, grad):
    """A = L L^T:  dA = 1/2 (S + S^T), S = L^-T Phi(L^T dL) L^-1 (Phi: lower triangle, half diagonal)."""
    chol = op.outputs[0]
    l_inverse, half = matrix_inverse(chol), np.array(0.5, chol.dtype.as_numpy_dtype)
    middle = matmul_ops.matmul(chol, grad, adjoint_a=True)
    middle = diag_ops.matrix_set_diag(middle, math_ops.multiply(diag_ops.matrix_diag_part(middle), half))
    middle = diag_ops.matrix_band_part(middle, -1, 0)
    grad_a = matmul_ops.matmul(matmul_ops.matmul(l_inverse, middle, adjoint_a=True), l_inverse)
    grad_a = math_ops.add(grad_a, matrix_transpose(grad_a))
    return math_ops.multiply(grad_a, half)


def matrix_solve(matrix: Any, rhs: Any, adjoint: bool = False, name: "str | None" = None) -> Tensor:
    """``X`` with ``A X = B`` for each matrix (``adjoint=True``: ``A^T X = B``)."""
    with name_scope(name, "MatrixSolve", [matrix, rhs]) as scope:
        matrix = convert_to_tensor(matrix, name="matrix")
        check_dtype(matrix, "MatrixSolve", _INVERSE_TYPES, "matrix")
        rhs = convert_to_tensor(rhs, dtype=matrix.dtype.base_dtype, name="rhs")
        return make_tensor("MatrixSolve", [matrix, rhs], matrix.dtype.base_dtype, scope,
                           {"adjoint": python_bool(adjoint, "adjoint", "MatrixSolve")})


def _solve_rule(op: Operation) -> TensorShape:
    a = _square_rule(op, "tf.matrix_solve")
    b = op.inputs[1].shape
    hint = "Fix: in matrix_solve(A, B), B has as many rows as A: A [..., n, n], B [..., n, k]."
    diag_ops.at_least_rank(b, 2, hint)
    if a.ndims is None or b.ndims is None:
        return b if a.ndims is None else TensorShape(None)
    if a.ndims != b.ndims:
        raise ShapeError("Shapes must be equal rank, but are %d and %d" % (a.ndims, b.ndims), hint)
    batch = [diag_ops.merge_dims(x, y, hint) for x, y in zip(a.as_list()[:-2], b.as_list()[:-2])]
    return TensorShape(batch + [diag_ops.merge_dims(a.as_list()[-1], b.as_list()[-2], hint), b.as_list()[-1]])


@primitive("MatrixSolve", shape=_solve_rule)
def _solve_kernel(ctx, a, b):
    a, b = np.asarray(a), np.asarray(b)
    _check_square(ctx, a, "tf.matrix_solve")
    if b.ndim != a.ndim or b.shape[:-2] != a.shape[:-2] or b.shape[-2] != a.shape[-1]:
        raise errors.InvalidArgumentError(None, ctx.op, "Input matrix and right-hand side must have the same number "
                                          "of rows.\n(tinyflow: shapes %s and %s.) Fix: B has as many rows as A."
                                          % (list(a.shape), list(b.shape)))
    if ctx.attrs["adjoint"]:
        a = np.swapaxes(a, -1, -2)
    try:
        return np.linalg.solve(a, b).astype(b.dtype, copy=False)
    except np.linalg.LinAlgError:
        raise errors.InvalidArgumentError(None, ctx.op, "Input matrix is not invertible.\nFix: check the matrix "
                                          "of %r: it is singular." % ctx.op.name) from None


@RegisterGradient("MatrixSolve")
def _solve_grad(op, grad):
    """X = A^-1 B:  dB = A^-T dX,  dA = -dB X^T (for adjoint: dA = -X dB^T)."""
    a, c, adj = op.inputs[0], op.outputs[0], op.attrs["adjoint"]
    grad_b = matrix_solve(a, grad, adjoint=not adj)
    if adj:
        return unary_ops.negative(matmul_ops.matmul(c, grad_b, adjoint_b=True)), grad_b
    return unary_ops.negative(matmul_ops.matmul(grad_b, c, adjoint_b=True)), grad_b

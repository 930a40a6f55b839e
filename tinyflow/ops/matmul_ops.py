"""Matrix multiplication: ``tf.matmul`` (``MatMul``, and ``BatchMatMulV2`` for stacks of matrices).

``C = A @ B`` has the gradients ``dA = dC @ B^T`` and ``dB = A^T @ dC``, written with the
transpose flags so that no transposed copy is made.

TensorFlow's counterparts: ``python/ops/math_ops.py``, ``python/ops/math_grad.py``,
``core/ops/math_ops.cc``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..framework import Operation, Tensor, convert_to_tensor, name_scope
from ..op_def_library import NUMBER_TYPES, check_dtype, make_tensor
from ..op_registry import RegisterGradient, primitive
from ..tensor_shape import ShapeError, TensorShape, broadcast_static_shape
from . import math_ops

__all__ = ["matmul"]


# --------------------------------------------------------------------------------------------
# Matrix multiplication
# --------------------------------------------------------------------------------------------
def matmul(a: Any, b: Any, transpose_a: bool = False, transpose_b: bool = False,
           adjoint_a: bool = False, adjoint_b: bool = False, a_is_sparse: bool = False,
           b_is_sparse: bool = False, name: "str | None" = None) -> Tensor:
    """Matrix product ``a @ b`` (optionally transposing either first).

    Rank-2 operands make a ``MatMul`` op. Operands of rank > 2 (or unknown rank) are stacks
    of matrices: ``BatchMatMulV2`` multiplies them pairwise, broadcasting the leading axes.
    (For real numbers ``adjoint`` is the same as ``transpose``.)
    """
    if transpose_a and adjoint_a:
        raise ValueError("Only one of transpose_a and adjoint_a can be True.")
    if transpose_b and adjoint_b:
        raise ValueError("Only one of transpose_b and adjoint_b can be True.")
    ta, tb = bool(transpose_a or adjoint_a), bool(transpose_b or adjoint_b)
    with name_scope(name, "MatMul", [a, b]) as scope:
        a = convert_to_tensor(a, name="a")
        b = convert_to_tensor(b, name="b")
        if b.dtype.base_dtype is not a.dtype.base_dtype:
            raise TypeError("Input 'b' of 'MatMul' Op has type %s that does not match type %s of argument "
                            "'a'.\nFix: cast one operand, e.g. tf.cast(b, tf.%s)."
                            % (b.dtype.base_dtype.name, a.dtype.base_dtype.name, a.dtype.base_dtype.name))
        check_dtype(a, "MatMul", NUMBER_TYPES, "a")
        ra, rb = a.shape.ndims, b.shape.ndims
        if ra is None or rb is None or ra > 2 or rb > 2:
            return make_tensor("BatchMatMulV2", [a, b], a.dtype.base_dtype, scope, {"adj_x": ta, "adj_y": tb})
        return make_tensor("MatMul", [a, b], a.dtype.base_dtype, scope, {"transpose_a": ta, "transpose_b": tb})


def _matrix_dims(shape: TensorShape, transposed: bool) -> list:
    rows, cols = shape.as_list()[-2:]
    return [cols, rows] if transposed else [rows, cols]


def _matmul_rule(op: Operation) -> TensorShape:
    a, b = op.inputs[0].shape, op.inputs[1].shape
    for s in (a, b):
        if s.ndims is not None and s.ndims != 2:
            raise ShapeError("Shape must be rank 2 but is rank %d" % s.ndims,
                             "Fix: tf.matmul multiplies matrices; reshape the operands to rank 2 "
                             "(or use rank > 2 for stacks of matrices).")
    (m, k1) = _matrix_dims(a, op.attrs["transpose_a"]) if a.ndims else (None, None)
    (k2, n) = _matrix_dims(b, op.attrs["transpose_b"]) if b.ndims else (None, None)
    if k1 is not None and k2 is not None and k1 != k2:
        raise ShapeError("Dimensions must be equal, but are %d and %d" % (k1, k2),
                         "Fix: in matmul(a, b) the columns of a must equal the rows of b.")
    return TensorShape([m, n])


def _check_matrices(a: np.ndarray, b: np.ndarray, ta: bool, tb: bool, batch: bool):
    """Run-time checks (the static shapes may have been unknown)."""
    if (a.ndim >= 2 and b.ndim >= 2) if batch else (a.ndim == 2 and b.ndim == 2):
        if a.shape[-2 if ta else -1] == b.shape[-1 if tb else -2]:
            return
        raise ValueError("Matrix size-incompatible: In[0]: %s, In[1]: %s"
                         % (_matrix_shape_text(a), _matrix_shape_text(b)))
    for i, m in enumerate((a, b)):
        if batch and m.ndim < 2:
            raise ValueError("In[%d] ndims must be >= 2: %d\n(tinyflow: matmul multiplies matrices, or stacks "
                             "of them; In[%d] has shape %s. Fix: give it at least two dimensions, e.g. "
                             "tf.reshape(x, [1, -1]) for one row.)" % (i, m.ndim, i, _matrix_shape_text(m)))
        if not batch and m.ndim != 2:
            raise ValueError("In[%d] is not a matrix. Instead it has shape %s" % (i, _matrix_shape_text(m)))


def _matrix_shape_text(m: np.ndarray) -> str:
    return TensorShape(m.shape).debug_string()


@primitive("MatMul", shape=_matmul_rule)
def _matmul_kernel(ctx, a, b):
    a, b = np.asarray(a), np.asarray(b)
    ta, tb = ctx.attrs["transpose_a"], ctx.attrs["transpose_b"]
    _check_matrices(a, b, ta, tb, batch=False)
    return np.matmul(a.T if ta else a, b.T if tb else b)


@RegisterGradient("MatMul")
def _matmul_grad(op, grad):
    """C = A B:  dA = dC B^T,  dB = A^T dC (with the transposes folded in)."""
    a, b = op.inputs
    ta, tb = op.attrs["transpose_a"], op.attrs["transpose_b"]
    if not ta and not tb:
        return matmul(grad, b, transpose_b=True), matmul(a, grad, transpose_a=True)
    if not ta and tb:
        return matmul(grad, b), matmul(grad, a, transpose_a=True)
    if ta and not tb:
        return matmul(b, grad, transpose_b=True), matmul(a, grad)
    return (matmul(b, grad, transpose_a=True, transpose_b=True),
            matmul(grad, a, transpose_a=True, transpose_b=True))


def _batch_matmul_rule(op: Operation) -> TensorShape:
    a, b = op.inputs[0].shape, op.inputs[1].shape
    for s in (a, b):
        if s.ndims is not None and s.ndims < 2:
            raise ShapeError("Shape must be at least rank 2 but is rank %d" % s.ndims,
                             "Fix: tf.matmul multiplies matrices; reshape the operands.")
    if a.ndims is None or b.ndims is None:
        return TensorShape(None)
    m, k1 = _matrix_dims(a, op.attrs["adj_x"])
    k2, n = _matrix_dims(b, op.attrs["adj_y"])
    if k1 is not None and k2 is not None and k1 != k2:
        raise ShapeError("Dimensions must be equal, but are %d and %d" % (k1, k2),
                         "Fix: in matmul(a, b) the columns of a must equal the rows of b.")
    batch = broadcast_static_shape(TensorShape(a.as_list()[:-2]), TensorShape(b.as_list()[:-2]))
    return batch.concatenate([m, n])


@primitive("BatchMatMulV2", shape=_batch_matmul_rule)
def _batch_matmul_kernel(ctx, a, b):
    a, b = np.asarray(a), np.asarray(b)
    ta, tb = ctx.attrs["adj_x"], ctx.attrs["adj_y"]
    _check_matrices(a, b, ta, tb, batch=True)
    return np.matmul(np.swapaxes(a, -1, -2) if ta else a, np.swapaxes(b, -1, -2) if tb else b)


@RegisterGradient("BatchMatMulV2")
def _batch_matmul_grad(op, grad):
    """C = A B for each matrix of the stack: as for MatMul, then summed over broadcast batch axes."""
    a, b = op.inputs
    ta, tb = op.attrs["adj_x"], op.attrs["adj_y"]
    if not ta and not tb:
        ga, gb = matmul(grad, b, adjoint_b=True), matmul(a, grad, adjoint_a=True)
    elif not ta and tb:
        ga, gb = matmul(grad, b), matmul(grad, a, adjoint_a=True)
    elif ta and not tb:
        ga, gb = matmul(b, grad, adjoint_b=True), matmul(a, grad)
    else:
        ga, gb = (matmul(b, grad, adjoint_a=True, adjoint_b=True),
                  matmul(grad, a, adjoint_a=True, adjoint_b=True))
    return math_ops.unbroadcast(ga, a), math_ops.unbroadcast(gb, b)

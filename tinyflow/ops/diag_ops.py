"""Diagonals and bands of matrices: ``tf.diag``, ``tf.diag_part`` (a rank-k tensor as the diagonal of a
rank-2k one), ``tf.matrix_diag``, ``tf.matrix_diag_part``, ``tf.matrix_set_diag`` (the main diagonal
of each matrix of a stack), ``tf.matrix_band_part`` (a band around it; ``(x, -1, 0)`` is the lower
triangle).

Each moves values without arithmetic, so each gradient moves the incoming gradient back: the
gradient of ``diag`` is ``diag_part`` and the other way round; ``matrix_set_diag`` sends the
diagonal's part to the diagonal and the rest to the input; a band part passes the band through.

The matrix ops have TensorFlow 1.x's op types (``MatrixDiag``, ``MatrixDiagPart``, ``MatrixSetDiag``);
TensorFlow 2.x builds their ``V3`` versions, which add the arguments ``k`` and ``padding_value``
(off-centre diagonals). The names are the same (``diag``, ``diag_part``, ``set_diag``).

TensorFlow's counterparts: ``python/ops/array_ops.py``, ``python/ops/array_grad.py``,
``core/ops/array_ops.cc``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..framework import Operation, Tensor, convert_to_tensor, name_scope
from ..op_def_library import int_input, make_tensor, unary_op
from ..op_registry import RegisterGradient, primitive
from ..tensor_shape import Dimension, ShapeError, TensorShape
from . import creation_ops

__all__ = ["diag", "diag_part", "matrix_diag", "matrix_diag_part", "matrix_set_diag", "matrix_band_part"]


def at_least_rank(shape: TensorShape, rank: int, hint: str) -> None:
    """TensorFlow's ``WithRankAtLeast``: a known rank below ``rank`` is an error."""
    if shape.ndims is not None and shape.ndims < rank:
        raise ShapeError("Shape must be at least rank %d but is rank %d" % (rank, shape.ndims), hint)


def _min_dim(a: Any, b: Any) -> Any:
    return None if a is None or b is None else min(a, b)


def merge_dims(a: Any, b: Any, hint: str) -> Any:
    """Two sizes that must be equal: the known one (TensorFlow's ``Merge`` of dimensions)."""
    a, b = Dimension(a).value, Dimension(b).value
    if a is not None and b is not None and a != b:
        raise ShapeError("Dimensions must be equal, but are %d and %d" % (a, b), hint)
    return a if a is not None else b


# --------------------------------------------------------------------------------------------
# Diagonals
# --------------------------------------------------------------------------------------------
def diag(diagonal: Any, name: "str | None" = None) -> Tensor:
    """A tensor with ``diagonal`` on its diagonal: rank k in, rank 2k out (``[1, 2]`` gives ``[[1, 0], [0, 2]]``)."""
    return unary_op("Diag", diagonal, name, None, input_name="diagonal")


def _diag_rule(op: Operation) -> TensorShape:
    x = op.inputs[0].shape
    at_least_rank(x, 1, "Fix: tf.diag takes the diagonal values, e.g. tf.diag([1., 2.]).")
    return x if x.ndims is None else x.concatenate(x)


@primitive("Diag", shape=_diag_rule)
def _diag_kernel(ctx, x):
    x = np.asarray(x)
    out = np.zeros((x.size, x.size), x.dtype)
    out[np.arange(x.size), np.arange(x.size)] = x.ravel()
    return out.reshape(x.shape + x.shape)


@RegisterGradient("Diag")
def _diag_grad(op, grad):
    """y = diag(x):  dx = diag_part(dy)."""
    return diag_part(grad)


def diag_part(input: Any, name: "str | None" = None) -> Tensor:  # noqa: A002
    """The diagonal of a rank-2k tensor of shape ``s + s`` (the inverse of ``tf.diag``)."""
    return unary_op("DiagPart", input, name, None, input_name="input")


def _diag_part_rule(op: Operation) -> TensorShape:
    x = op.inputs[0].shape
    if x.ndims is None:
        return x
    hint = ("Fix: tf.diag_part takes a tensor of shape s + s (e.g. [n, n]); tf.matrix_diag_part takes stacks of "
            "matrices.")
    if x.ndims == 0 or x.ndims % 2:
        raise ShapeError("Input must have even rank <= 6, input rank is %d" % x.ndims, hint)
    half = x.ndims // 2
    return TensorShape([merge_dims(a, b, hint) for a, b in zip(x.as_list()[:half], x.as_list()[half:])])


@primitive("DiagPart", shape=_diag_part_rule)
def _diag_part_kernel(ctx, x):
    x = np.asarray(x)
    half = x.shape[:x.ndim // 2]
    n = int(np.prod(half, dtype=np.int64))
    return np.diagonal(x.reshape(n, n)).reshape(half)


@RegisterGradient("DiagPart")
def _diag_part_grad(op, grad):
    """y = diag_part(x):  dx = diag(dy)."""
    return diag(grad)


def matrix_diag(diagonal: Any, name: str = "diag") -> Tensor:
    """Stacks of diagonal matrices: shape ``[..., n]`` in, ``[..., n, n]`` out."""
    return unary_op("MatrixDiag", diagonal, name, None, input_name="diagonal")


def _matrix_diag_rule(op: Operation) -> TensorShape:
    x = op.inputs[0].shape
    at_least_rank(x, 1, "Fix: tf.matrix_diag takes the diagonals, shape [..., n].")
    return x if x.ndims is None else x.concatenate(x.as_list()[-1:])


@primitive("MatrixDiag", shape=_matrix_diag_rule)
def _matrix_diag_kernel(ctx, d):
    d = np.asarray(d)
    n = d.shape[-1]
    out = np.zeros(d.shape + (n,), d.dtype)
    out[..., np.arange(n), np.arange(n)] = d
    return out


@RegisterGradient("MatrixDiag")
def _matrix_diag_grad(op, grad):
    """y = matrix_diag(d):  dd = matrix_diag_part(dy)."""
    return matrix_diag_part(grad)


def matrix_diag_part(input: Any, name: str = "diag_part") -> Tensor:  # noqa: A002
    """The main diagonal of each matrix: ``[..., m, n]`` in, ``[..., min(m, n)]`` out."""
    return unary_op("MatrixDiagPart", input, name, None, input_name="input")


def _matrix_diag_part_rule(op: Operation) -> TensorShape:
    x = op.inputs[0].shape
    at_least_rank(x, 2, "Fix: tf.matrix_diag_part takes (stacks of) matrices, shape [..., m, n].")
    if x.ndims is None:
        return x
    return TensorShape(x.as_list()[:-2] + [_min_dim(*x.as_list()[-2:])])


@primitive("MatrixDiagPart", shape=_matrix_diag_part_rule)
def _matrix_diag_part_kernel(ctx, x):
    x = np.asarray(x)
    k = np.arange(min(x.shape[-2:]))
    return x[..., k, k]


@RegisterGradient("MatrixDiagPart")
def _matrix_diag_part_grad(op, grad):
    """y = matrix_diag_part(x):  dx = dy on the diagonal, 0 elsewhere."""
    return matrix_set_diag(creation_ops.zeros_like(op.inputs[0]), grad)


def matrix_set_diag(input: Any, diagonal: Any, name: str = "set_diag") -> Tensor:  # noqa: A002
    """``input`` with the main diagonal of each matrix replaced by ``diagonal``."""
    with name_scope(name, "MatrixSetDiag", [input, diagonal]) as scope:
        input = convert_to_tensor(input, name="input")
        diagonal = convert_to_tensor(diagonal, dtype=input.dtype.base_dtype, name="diagonal")
        return make_tensor("MatrixSetDiag", [input, diagonal], input.dtype.base_dtype, scope)


def _matrix_set_diag_rule(op: Operation) -> TensorShape:
    x, d = op.inputs[0].shape, op.inputs[1].shape
    hint = "Fix: the diagonal of a [..., m, n] input has shape [..., min(m, n)]."
    at_least_rank(x, 2, hint)
    at_least_rank(d, 1, hint)
    if x.ndims is None:
        return x
    want = TensorShape(x.as_list()[:-2] + [_min_dim(*x.as_list()[-2:])])
    if not want.is_compatible_with(d):
        raise ShapeError("Shapes must be equal rank, but are %d and %d" % (want.ndims, d.ndims) if d.ndims != want.ndims
                         else "Dimensions must be equal, but are %s and %s" % (want, d), hint)
    return x


@primitive("MatrixSetDiag", shape=_matrix_set_diag_rule)
def _matrix_set_diag_kernel(ctx, x, d):
    out = np.array(x, copy=True)
    k = np.arange(min(out.shape[-2:]))
    out[..., k, k] = d
    return out


@RegisterGradient("MatrixSetDiag")
def _matrix_set_diag_grad(op, grad):
    """y = x with diagonal d:  dx = dy with a zero diagonal, dd = the diagonal of dy."""
    return (matrix_set_diag(grad, creation_ops.zeros_like(op.inputs[1])), matrix_diag_part(grad))


def matrix_band_part(input: Any, num_lower: Any, num_upper: Any, name: "str | None" = None) -> Tensor:  # noqa: A002
    """Keeps the band of each matrix: ``num_lower`` subdiagonals and ``num_upper`` superdiagonals
    (-1: all of them), zeros elsewhere. ``(x, -1, 0)`` is the lower triangle."""
    with name_scope(name, "MatrixBandPart", [input, num_lower, num_upper]) as scope:
        input = convert_to_tensor(input, name="input")
        lower, upper = int_input(num_lower, "num_lower"), int_input(num_upper, "num_upper")
        return make_tensor("MatrixBandPart", [input, lower, upper], input.dtype.base_dtype, scope)


def _band_rule(op: Operation) -> TensorShape:
    at_least_rank(op.inputs[0].shape, 2, "Fix: tf.matrix_band_part takes (stacks of) matrices.")
    for t in op.inputs[1:]:
        if t.shape.ndims not in (None, 0):
            raise ShapeError("Shape must be rank 0 but is rank %d" % t.shape.ndims,
                             "Fix: num_lower and num_upper are single ints (-1: the whole triangle).")
    return op.inputs[0].shape


@primitive("MatrixBandPart", shape=_band_rule)
def _band_kernel(ctx, x, lower, upper):
    x, lower, upper = np.asarray(x), int(lower), int(upper)
    i, j = np.ogrid[:x.shape[-2], :x.shape[-1]]
    keep = ((lower < 0) | (i - j <= lower)) & ((upper < 0) | (j - i <= upper))
    return np.where(keep, x, np.zeros((), x.dtype))


@RegisterGradient("MatrixBandPart")
def _band_grad(op, grad):
    """y = band(x):  dx = band(dy)."""
    return matrix_band_part(grad, op.inputs[1], op.inputs[2]), None, None

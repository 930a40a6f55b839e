"""Contractions of tensors: ``tf.tensordot`` and ``tf.einsum``.

``tf.tensordot(a, b, axes)`` is composed as TensorFlow composes it: each operand is transposed so
that its contracted axes are last (``a``) or first (``b``), reshaped to a matrix, the two
matrices are multiplied (``Tensordot/MatMul``) and the product is reshaped to the free axes.

``tf.einsum(equation, *inputs)`` is one ``Einsum`` op (TensorFlow 2.x's op type; TensorFlow 1.15
composed it from transposes, reshapes and matmuls, with the same values). For
``z = einsum("s_1,...,s_n->o", x_1, ..., x_n)`` the gradient of input ``i`` is again an einsum:
``dx_i = einsum("o,s_1,..(without s_i)..,s_n->s_i", dz, x_1, ..., x_n)``. A label of ``s_i`` that
appears nowhere else (summed within ``x_i``) is tied to x_i's shape by a ``ones_like(x_i)``
operand; a label repeated in ``s_i`` (a diagonal, ``"ii->"``) is tied to a fresh label by an
identity matrix; a broadcast ellipsis is summed back by ``unbroadcast``.

TensorFlow's counterparts: ``python/ops/math_ops.py`` (``tensordot``), ``python/ops/special_math_ops.py``
(``einsum``), ``python/ops/linalg_grad.py`` (``_EinsumGrad``).
"""
from __future__ import annotations

import string
from typing import Any

import numpy as np

from ..framework import Operation, Tensor, convert_to_tensor, name_scope
from ..op_def_library import check_dtype, make_tensor, python_int
from ..op_registry import RegisterGradient, primitive
from ..tensor_shape import Dimension, ShapeError, TensorShape, broadcast_static_shape
from . import array_ops, concat_ops, creation_ops, gather_ops, linalg_ops, math_ops, matmul_ops, reduction_ops

__all__ = ["tensordot", "einsum"]

_EINSUM_TYPES = "bfloat16, float16, float32, float64, int32, int64, complex64, complex128"


# --------------------------------------------------------------------------------------------
# tensordot
# --------------------------------------------------------------------------------------------
def _tensordot_axes(a: Tensor, axes: Any) -> "tuple[list, list]":
    if isinstance(axes, (int, np.integer)) and not isinstance(axes, bool):
        if axes < 0:
            raise ValueError("'axes' must be at least 0.\nFix: axes=n contracts the last n axes of a with the "
                             "first n of b.")
        if a.shape.ndims is None:
            raise ValueError("tinyflow: tf.tensordot needs the rank of 'a' known while building.\nFix: give the "
                             "placeholder a shape, e.g. [None, 3].")
        if axes > a.shape.ndims:
            raise ValueError("'axes' must not be larger than the number of dimensions of tensor %s.\nFix: axes=n "
                             "contracts the last n axes of a with the first n of b." % a)
        return list(range(a.shape.ndims - axes, a.shape.ndims)), list(range(axes))
    if isinstance(axes, (list, tuple, np.ndarray)):
        if len(axes) != 2:
            raise ValueError("'axes' must be an integer or have length 2.\nFix: axes=[[axes of a], [axes of b]], "
                             "e.g. [[1], [0]].")
        a_axes, b_axes = axes
        if isinstance(a_axes, (int, np.integer)) and isinstance(b_axes, (int, np.integer)):
            a_axes, b_axes = [a_axes], [b_axes]
        if not all(isinstance(ax, (list, tuple, np.ndarray)) for ax in (a_axes, b_axes)):
            raise TypeError("tinyflow: tf.tensordot takes axes=[[axes of a], [axes of b]], not %r.\nFix: e.g. "
                            "axes=[[1], [0]]." % (axes,))
        a_axes = [python_int(i, "axes", "Tensordot") for i in a_axes]
        b_axes = [python_int(i, "axes", "Tensordot") for i in b_axes]
        if len(a_axes) != len(b_axes):
            raise ValueError("Different number of contraction axes 'a' and 'b', %s != %s.\nFix: list as many axes "
                             "of b as of a." % (len(a_axes), len(b_axes)))
        return a_axes, b_axes
    raise TypeError("tinyflow: tf.tensordot takes axes as an int or a pair of lists, not %s.\nFix: e.g. axes=1 "
                    "or axes=[[1], [0]]." % type(axes).__name__)


def _tensordot_reshape(a: Tensor, axes: list, flipped: bool = False):
    """``a`` as a matrix: free axes x contracted axes (``flipped``: contracted x free)."""
    if a.shape.ndims is None:
        raise ValueError("tinyflow: tf.tensordot needs the ranks of its operands known while building.\nFix: give "
                         "the placeholders shapes, e.g. [None, 3].")
    rank = a.shape.ndims
    if any(not -rank <= i < rank for i in axes) or len(set(i % rank for i in axes)) != len(axes):
        raise ValueError("tinyflow: the axes %s do not fit a tensor of rank %d.\nFix: list distinct axes, each in "
                         "[-%d, %d)." % (axes, rank, rank, rank))
    axes = [i + rank if i < 0 else i for i in axes]
    free = [i for i in range(rank) if i not in axes]
    perm = axes + free if flipped else free + axes
    if a.shape.is_fully_defined():
        shape_a = a.shape.as_list()
        free_dims = [shape_a[i] for i in free]
        prod_free = int(np.prod(free_dims, dtype=np.int64))
        prod_axes = int(np.prod([shape_a[i] for i in axes], dtype=np.int64))
        new_shape = [prod_axes, prod_free] if flipped else [prod_free, prod_axes]
        a_trans = array_ops.transpose(a, perm) if perm != list(range(rank)) else a
        reshaped = array_ops.reshape(a_trans, new_shape) if a_trans.shape.as_list() != new_shape else a_trans
        return reshaped, free_dims, free_dims
    free_dims_static = [a.shape.as_list()[i] for i in free]
    shape_a = array_ops.shape(a)
    free_dims = gather_ops.gather(shape_a, np.array(free, np.int32))
    prod_free = reduction_ops.reduce_prod(free_dims)
    prod_axes = reduction_ops.reduce_prod(gather_ops.gather(shape_a, np.array(axes, np.int32)))
    new_shape = concat_ops.stack([prod_axes, prod_free] if flipped else [prod_free, prod_axes])
    return array_ops.reshape(array_ops.transpose(a, perm), new_shape), free_dims, free_dims_static


def tensordot(a: Any, b: Any, axes: Any, name: "str | None" = None) -> Tensor:
    """Sums the products of ``a`` and ``b`` over the given axes: ``axes=1`` is the matrix product,
    ``axes=0`` the outer product, ``axes=[[1, 2], [0, 1]]`` pairs a's axes 1, 2 with b's 0, 1."""
    with name_scope(name, "Tensordot", [a, b, axes]) as scope:
        a = convert_to_tensor(a, name="a")
        b = convert_to_tensor(b, name="b")
        a_axes, b_axes = _tensordot_axes(a, axes)
        a_matrix, a_free, a_static = _tensordot_reshape(a, a_axes)
        b_matrix, b_free, b_static = _tensordot_reshape(b, b_axes, True)
        product = matmul_ops.matmul(a_matrix, b_matrix)
        if isinstance(a_free, list) and isinstance(b_free, list):
            if product.shape.is_fully_defined() and product.shape.as_list() == a_free + b_free:
                return product
            return array_ops.reshape(product, a_free + b_free, name=scope)
        free = concat_ops.concat([a_free if isinstance(a_free, Tensor) else np.array(a_free, np.int32),
                                  b_free if isinstance(b_free, Tensor) else np.array(b_free, np.int32)], 0)
        out = array_ops.reshape(product, free, name=scope)
        out.set_shape(a_static + b_static)
        return out


# --------------------------------------------------------------------------------------------
# einsum
# --------------------------------------------------------------------------------------------
def _parse(equation: str, n: int) -> "tuple[list[str], str]":
    """The input subscripts and the output subscript, with ``.`` standing for an ellipsis."""
    if not isinstance(equation, str):
        raise TypeError("tinyflow: the einsum equation must be a string, not %s.\nFix: e.g. tf.einsum('ij,jk->ik', "
                        "a, b)." % type(equation).__name__)
    eq = equation.replace(" ", "")
    lhs, arrow, out = eq.partition("->")
    ins = lhs.split(",")
    if len(ins) != n:
        raise ValueError('Got %d inputs for equation "%s", expecting %d\nFix: give one tensor per comma-separated '
                         'subscript.' % (n, equation, len(ins)))
    ins = [s.replace("...", ".") for s in ins]
    if not arrow:     # implicit output: the labels seen once, in alphabetical order
        labels = "".join(ins).replace(".", "")
        out = ("." if any("." in s for s in ins) else "") + "".join(sorted(c for c in set(labels)
                                                                           if labels.count(c) == 1))
    out = out.replace("...", ".")
    hint = "Fix: subscripts are letters, e.g. 'ij,jk->ik'; an ellipsis '...' may start each of them."
    for s in ins + [out]:
        if any(not (c.isalpha() and c.isascii()) for c in s.lstrip(".")) or "->" in s:
            raise ValueError('Invalid equation "%s": subscripts are letters, with "..." allowed at the start only '
                             '(tinyflow).\n%s' % (equation, hint))
    if len(set(out)) != len(out) or any(c not in lhs for c in out.replace(".", "")):
        raise ValueError('Invalid equation "%s": each output label must appear once, and in an input.\n%s'
                         % (equation, hint))
    if any(s.startswith(".") for s in ins) != out.startswith("."):
        raise ValueError('Invalid equation "%s": the output needs "..." exactly when an input has it '
                         '(tinyflow).\n%s' % (equation, hint))
    return ins, out


def _equation(ins: "list[str]", out: str) -> str:
    return (",".join(ins) + "->" + out).replace(".", "...")


def einsum(equation: str, *inputs: Any, **kwargs: Any) -> Tensor:
    """Einstein summation: ``einsum('ij,jk->ik', a, b)`` is ``a @ b``; ``'i,i->'`` the dot product,
    ``'ij->ji'`` the transpose, ``'bij,bjk->bik'`` a batch of products, ``'ii->'`` the trace."""
    name = kwargs.pop("name", None)
    if kwargs:
        raise TypeError("invalid keyword arguments for this function: %s\nFix: einsum takes the equation, the "
                        "tensors and name=." % ", ".join(sorted(kwargs)))
    ins, out = _parse(equation, len(inputs))
    with name_scope(name, "einsum", list(inputs)):
        tensors = [convert_to_tensor(inputs[0], name="inputs")]
        for x in inputs[1:]:
            t = convert_to_tensor(x, dtype=None if isinstance(x, Tensor) else tensors[0].dtype.base_dtype,
                                  name="inputs")
            if t.dtype.base_dtype is not tensors[0].dtype.base_dtype:
                raise TypeError("Input 'inputs' of 'Einsum' Op has type %s that does not match type %s of the first "
                                "input.\nFix: cast the operands to one dtype, e.g. tf.cast(t, tf.%s)."
                                % (t.dtype.base_dtype.name, tensors[0].dtype.base_dtype.name,
                                   tensors[0].dtype.base_dtype.name))
            tensors.append(t)
        check_dtype(tensors[0], "Einsum", _EINSUM_TYPES, "inputs")
        return make_tensor("Einsum", tensors, tensors[0].dtype.base_dtype, "Einsum",
                           {"equation": _equation(ins, out), "N": len(tensors)})


def _einsum_rule(op: Operation) -> TensorShape:
    ins, out = _parse(op.attrs["equation"], len(op.inputs))
    hint = "Fix: a label stands for one size: in 'ij,jk->ik' the columns of a must equal the rows of b."
    dims: dict = {}
    ellipsis, ellipsis_known = TensorShape([]), True
    for k, (spec, t) in enumerate(zip(ins, op.inputs)):
        s, labels = t.shape, spec.lstrip(".")
        if s.ndims is None:
            ellipsis_known &= not spec.startswith(".")
            continue
        if s.ndims < len(labels) or (s.ndims != len(labels) and not spec.startswith(".")):
            raise ShapeError("Expected input %d to have rank %d but got: %d" % (k, len(labels), s.ndims),
                             "Fix: give each input one label per dimension (or start its subscript with '...').")
        lead = s.ndims - len(labels)
        if spec.startswith("."):
            try:
                ellipsis = broadcast_static_shape(ellipsis, TensorShape(s.as_list()[:lead]))
            except ValueError:
                raise ShapeError("Incompatible shapes for the ellipsis: %s and %s" % (ellipsis, s.as_list()[:lead]),
                                 "Fix: the '...' dimensions must broadcast, as in numpy.") from None
        for c, d in zip(labels, s.as_list()[lead:]):
            old, d = dims.get(c), Dimension(d).value
            if old is not None and d is not None and old != d:
                raise ShapeError("Dimensions must be equal, but are %d and %d" % (old, d), hint)
            dims[c] = d if old is None else old
    if out.startswith(".") and not ellipsis_known:
        return TensorShape(None)
    lead = ellipsis.as_list() if out.startswith(".") else []
    return TensorShape(lead + [dims.get(c) for c in out.lstrip(".")])


@primitive("Einsum", shape=_einsum_rule)
def _einsum_kernel(ctx, *xs):
    xs = [np.asarray(x) for x in xs]
    return np.asarray(np.einsum(ctx.attrs["equation"], *xs, optimize=len(xs) > 2), dtype=xs[0].dtype)


@RegisterGradient("Einsum")
def _einsum_grad(op, grad):
    """z = einsum(s_1,...,s_n->o):  dx_i = einsum(o, the other s_j -> s_i) of dz and the other inputs."""
    ins, out = _parse(op.attrs["equation"], len(op.inputs))
    used = set(op.attrs["equation"])
    fresh = iter(c for c in string.ascii_letters if c not in used)
    grads = []
    for i, x in enumerate(op.inputs):
        if not x.dtype.is_floating:
            grads.append(None)
            continue
        operands = [grad] + [t for j, t in enumerate(op.inputs) if j != i]
        specs = [out] + [s for j, s in enumerate(ins) if j != i]
        labels, target, seen = ins[i].lstrip("."), [], set()
        for pos, c in enumerate(labels):
            if c not in seen:
                seen.add(c)
                target.append(c)
                continue
            size = x.shape[x.shape.ndims - len(labels) + pos].value if x.shape.ndims is not None else None
            if size is None:     # the size at run time: shape(x)[rank(x) - len(labels) + pos]
                axis = math_ops.add(array_ops.rank(x), np.int32(pos - len(labels)))
                size = gather_ops.gather(array_ops.shape(x), axis)
            f = next(fresh)
            operands.append(linalg_ops.eye(size, dtype=x.dtype.base_dtype))
            specs.append(c + f)
            target.append(f)
        target = ("." if out.startswith(".") else "") + "".join(target)
        if any(c not in "".join(specs) for c in target.lstrip(".")):
            operands.append(creation_ops.ones_like(x))
            specs.append(("." if ins[i].startswith(".") else "") + target.lstrip("."))
        g = einsum(_equation(specs, target), *operands)
        grads.append(math_ops.unbroadcast(g, x) if out.startswith(".") else g)
    return grads

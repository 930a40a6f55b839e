"""Placeholders, identity, shapes as tensors, and ops that change only a tensor's shape.

``tf.placeholder``, ``tf.identity``, ``tf.stop_gradient``, ``tf.shape``/``size``/``rank``,
``tf.reshape``, ``tf.expand_dims``, ``tf.squeeze``, ``tf.transpose``. Their values are the input's
values, moved or relabelled, so their gradients move the incoming gradient back: ``reshape``
reshapes it to the input's shape, ``transpose`` transposes it back.

Names follow TensorFlow 1.x: ``tf.reshape(x, [2, 3])`` makes ``Reshape`` with the constant
``Reshape/shape``; ``tf.transpose`` makes ``transpose``.

TensorFlow's counterparts: ``python/ops/array_ops.py``, ``python/ops/array_grad.py``,
``core/ops/array_ops.cc``.
"""
from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from .. import dtypes, errors
from ..framework import Operation, Tensor, convert_to_tensor, get_default_graph, name_scope
from ..op_def_library import int_input, make_op, python_int
from ..op_registry import NoGradient, RegisterGradient, VariableRef, primitive, read_value
from ..tensor_shape import ShapeError, TensorShape, as_shape
from ..tensor_util import constant_value, shape_from_tensor
from . import constant_op, creation_ops

__all__ = ["placeholder", "placeholder_with_default", "identity", "stop_gradient", "shape", "size", "rank",
           "reshape", "expand_dims", "squeeze", "transpose", "invert_permutation", "reverse", "reverse_v2"]



# --------------------------------------------------------------------------------------------
# Placeholders and identity
# --------------------------------------------------------------------------------------------
def placeholder(dtype: Any, shape: Any = None, name: "str | None" = None) -> Tensor:
    """A tensor whose value must be fed on every run: ``sess.run(y, feed_dict={x: value})``.

    ``shape`` may be partial, e.g. ``[None, 3]`` for "any number of rows of 3 values".
    """
    dtype = dtypes.as_dtype(dtype).base_dtype
    try:
        shape = as_shape(shape)
    except (TypeError, ValueError) as e:
        raise type(e)("Error converting shape to a TensorShape: %s.\nFix: a shape is a list of sizes, each a "
                      "non-negative int or None (unknown), e.g. [None, 3]." % str(e).rstrip(".")) from None
    op = get_default_graph().create_op("Placeholder", [], [dtype], name=name or "Placeholder",
                                       attrs={"dtype": dtype, "shape": shape}, shapes=[shape])
    return op.outputs[0]


@primitive("Placeholder")
def _placeholder_kernel(ctx):
    # Normally unreachable: Session.run checks feeds before running anything.
    raise errors.InvalidArgumentError(None, ctx.op, "You must feed a value for placeholder tensor '%s'"
                                      % ctx.op.name)


def placeholder_with_default(input: Any, shape: Any, name: "str | None" = None) -> Tensor:  # noqa: A002
    """Gives ``input`` unless a value is fed for it (handy for a ``training`` flag)."""
    with name_scope(name, "PlaceholderWithDefault", [input]) as scope:
        input = convert_to_tensor(input, name="input")
        shape = as_shape(shape)
        if not shape.is_compatible_with(input.shape):
            raise ValueError("Shapes %s and %s are incompatible (the default value must fit the "
                             "placeholder's shape)." % (input.shape, shape))
        return make_op("PlaceholderWithDefault", [input], [input.dtype.base_dtype], scope,
                     attrs={"shape": shape}, shapes=[shape]).outputs[0]


primitive("PlaceholderWithDefault")(lambda ctx, x: read_value(x))
RegisterGradient("PlaceholderWithDefault")(lambda op, grad: grad)


def identity(input: Any, name: "str | None" = None) -> Tensor:  # noqa: A002
    """Returns a tensor with the same value (a new node; handy to name a value)."""
    with name_scope(name, "Identity", [input]) as scope:
        input = convert_to_tensor(input, name="input")
        return make_op("Identity", [input], [input.dtype.base_dtype], scope, shapes=[input.shape]).outputs[0]


@primitive("Identity")
def _identity_kernel(ctx, x):
    return x.read() if type(x) is VariableRef else x      # reading a variable is an Identity of its reference


@RegisterGradient("Identity")
def _identity_grad(op, grad):
    """d x/dx = 1."""
    return grad


def stop_gradient(input: Any, name: "str | None" = None) -> Tensor:  # noqa: A002
    """Passes the value through but blocks gradients: ``tf.gradients`` treats it as a constant."""
    with name_scope(name, "StopGradient", [input]) as scope:
        input = convert_to_tensor(input, name="input")
        return make_op("StopGradient", [input], [input.dtype.base_dtype], scope,
                     shapes=[input.shape]).outputs[0]


primitive("StopGradient")(lambda ctx, x: read_value(x))
NoGradient("StopGradient")


# --------------------------------------------------------------------------------------------
# Shapes as tensors
# --------------------------------------------------------------------------------------------
def shape(input: Any, name: "str | None" = None, out_type: Any = dtypes.int32) -> Tensor:  # noqa: A002
    """The run-time shape of ``input`` as a 1-D int32 tensor."""
    input = convert_to_tensor(input)
    out_type = dtypes.as_dtype(out_type)
    return make_op("Shape", [input], [out_type], name or "Shape", attrs={"out_type": out_type},
                 shapes=[TensorShape([input.shape.ndims])]).outputs[0]


primitive("Shape")(lambda ctx, x: np.array(np.shape(read_value(x)), dtype=ctx.attrs["out_type"].as_numpy_dtype))


def size(input: Any, name: "str | None" = None, out_type: Any = dtypes.int32) -> Tensor:  # noqa: A002
    """The number of elements of ``input``."""
    input = convert_to_tensor(input)
    out_type = dtypes.as_dtype(out_type)
    return make_op("Size", [input], [out_type], name or "Size", attrs={"out_type": out_type},
                 shapes=[TensorShape([])]).outputs[0]


primitive("Size")(lambda ctx, x: np.array(np.size(read_value(x)), dtype=ctx.attrs["out_type"].as_numpy_dtype))


def rank(input: Any, name: "str | None" = None) -> Tensor:  # noqa: A002
    """The number of dimensions of ``input``: a constant when it is known while building (as TF1)."""
    input = convert_to_tensor(input)
    if input.shape.ndims is not None:
        return constant_op.constant(input.shape.ndims, dtypes.int32, name=name or "Rank")
    return make_op("Rank", [input], [dtypes.int32], name or "Rank", shapes=[TensorShape([])]).outputs[0]


primitive("Rank")(lambda ctx, x: np.array(np.ndim(read_value(x)), dtype=np.int32))
for _t in ("Shape", "Size", "Rank"):
    NoGradient(_t)


# --------------------------------------------------------------------------------------------
# Reshape, expand_dims, squeeze
# --------------------------------------------------------------------------------------------
def _reshape_to_input(op: Operation, grad: Tensor) -> Tensor:
    """The gradient of an op that only changes the shape: give it the input's shape back."""
    x = op.inputs[0]
    return reshape(grad, x.shape.as_list() if x.shape.is_fully_defined() else shape(x))


def reshape(tensor: Any, shape: Any, name: "str | None" = None) -> Tensor:
    """Same values, new shape; one dimension may be -1 ("whatever is left")."""
    with name_scope(name, "Reshape", [tensor, shape]) as scope:
        tensor = convert_to_tensor(tensor, name="tensor")
        shape = int_input(shape, "shape")
        return make_op("Reshape", [tensor, shape], [tensor.dtype.base_dtype], scope).outputs[0]


def _reshape_rule(op: Operation) -> TensorShape:
    """TensorFlow's rule: with at most one unknown size on each side, the -1 can be inferred.

    Known input (2, 6) to [-1, 4]: 12 elements / 4 = 3, giving (3, 4). An input of unknown
    size (?, 3) to [-1, 3] gives (?, 3).
    """
    x = op.inputs[0].shape
    if op.inputs[1].shape.ndims not in (None, 1):
        raise ShapeError("Shape must be rank 1 but is rank %d" % op.inputs[1].shape.ndims,
                         "Fix: the new shape is a list of sizes, e.g. [-1] to flatten.")
    value = constant_value(op.inputs[1])
    if value is not None:
        target = [int(d) for d in np.ravel(value)]
        if target.count(-1) > 1:
            raise ShapeError("Cannot infer multiple unknown dimensions in shape [%s]"
                             % ",".join(map(str, target)), "Fix: at most one dimension may be -1.")
        if any(d < -1 for d in target):
            raise ShapeError("Size %d must be non-negative, not %d" % (target.index(min(target)), min(target)))
        out = [None if d == -1 else d for d in target]
    else:
        out_shape = shape_from_tensor(op.inputs[1])
        if out_shape.ndims is None:
            return out_shape
        out = out_shape.as_list()
    if x.ndims is None:
        return TensorShape(out)
    unknown_out = [i for i, d in enumerate(out) if d is None]
    unknown_in = [d for d in x.as_list() if d is None]
    known_out = int(np.prod([d for d in out if d is not None], dtype=np.int64))
    known_in = int(np.prod([d for d in x.as_list() if d is not None], dtype=np.int64))
    hint = "Fix: the new shape must hold the same number of elements as the tensor."
    if not unknown_in and not unknown_out and known_in != known_out:
        raise ShapeError("Cannot reshape a tensor with %d elements to shape %s (%d elements)"
                         % (known_in, TensorShape(out).debug_string(), known_out), hint)
    if not unknown_in and len(unknown_out) == 1 and known_out > 0:
        if known_in % known_out:
            raise ShapeError("Dimension size must be evenly divisible by %d but is %d" % (known_out, known_in),
                             hint)
        out[unknown_out[0]] = known_in // known_out
    return TensorShape(out)


@primitive("Reshape", shape=_reshape_rule)
def _reshape_kernel(ctx, x, shape):
    x = read_value(x)
    try:
        return np.reshape(x, shape)
    except ValueError:
        target = [int(d) for d in np.ravel(shape)]
        known = int(np.prod([d for d in target if d != -1], dtype=np.int64))
        wanted = ("has %d" % known) if -1 not in target else ("requires a multiple of %d" % known)
        raise errors.InvalidArgumentError(None, ctx.op, "Input to reshape is a tensor with %d values, but the "
                                                        "requested shape %s" % (np.size(x), wanted)) from None


@RegisterGradient("Reshape")
def _reshape_grad(op, grad):
    """Reshaping moves no values: the gradient is reshaped back to the input's shape."""
    return _reshape_to_input(op, grad), None


def expand_dims(input: Any, axis: Any = None, name: "str | None" = None, dim: Any = None) -> Tensor:  # noqa: A002
    """Inserts a dimension of size 1 at ``axis`` (``-1`` appends one): shape (3,) -> (3, 1)."""
    if axis is None:
        if dim is None:
            raise ValueError("Must specify an axis argument to tf.expand_dims()")
        axis = dim
    elif dim is not None:
        raise ValueError("Cannot specify both 'axis' and 'dim'")
    with name_scope(name, "ExpandDims", [input]) as scope:
        input = convert_to_tensor(input, name="input")
        axis = int_input(axis, "dim")
        return make_op("ExpandDims", [input, axis], [input.dtype.base_dtype], scope).outputs[0]


def _expand_dims_rule(op: Operation) -> TensorShape:
    x, axis = op.inputs[0].shape, constant_value(op.inputs[1])
    if axis is not None:
        if axis.size != 1:
            raise ShapeError("'dim' input must be a tensor with a single value",
                             "Fix: expand_dims inserts one dimension; give one axis, e.g. axis=0.")
        axis = int(axis.reshape(()))
    if x.ndims is None:
        return TensorShape(None)
    if axis is None:
        return TensorShape([None] * (x.ndims + 1))
    if not -x.ndims - 1 <= axis <= x.ndims:
        raise ShapeError("Tried to expand dim index %d for tensor with %d dimensions." % (axis, x.ndims),
                         "Fix: axis must be in [-rank-1, rank].")
    dims = x.as_list()
    dims.insert(axis % (x.ndims + 1), 1)
    return TensorShape(dims)


@primitive("ExpandDims", shape=_expand_dims_rule)
def _expand_dims_kernel(ctx, x, axis):
    return np.expand_dims(read_value(x), int(np.ravel(axis)[0]))      # (the rule asks for one value)


@RegisterGradient("ExpandDims")
def _expand_dims_grad(op, grad):
    """Only the shape changed: reshape the gradient back."""
    return _reshape_to_input(op, grad), None


def squeeze(input: Any, axis: Any = None, name: "str | None" = None,  # noqa: A002
            squeeze_dims: Any = None) -> Tensor:
    """Removes dimensions of size 1 (all of them, or those listed in ``axis``)."""
    if squeeze_dims is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'squeeze_dims' and 'axis'")
        axis = squeeze_dims
    if axis is None:
        axis = []
    elif not isinstance(axis, (list, tuple, np.ndarray)):
        axis = [axis]
    axes = [python_int(a, "axis", "squeeze") for a in axis]
    with name_scope(name, "Squeeze", [input]) as scope:
        input = convert_to_tensor(input, name="input")
        return make_op("Squeeze", [input], [input.dtype.base_dtype], scope,
                     attrs={"squeeze_dims": axes}).outputs[0]


def _squeeze_rule(op: Operation) -> TensorShape:
    x, axes = op.inputs[0].shape, op.attrs["squeeze_dims"]
    if x.ndims is None:
        return TensorShape(None)
    dims = x.as_list()
    if not axes:
        if None in dims:        # an unknown dim may or may not be 1
            return TensorShape(None)
        return TensorShape([d for d in dims if d != 1])
    wanted = set()
    for a in axes:
        if not -len(dims) <= a < len(dims):
            raise ShapeError("Tried squeezing dim index %d for tensor with %d dimensions." % (a, len(dims)))
        a %= len(dims)
        if dims[a] not in (None, 1):
            raise ShapeError("Can not squeeze dim[%d], expected a dimension of 1, got %d" % (a, dims[a]),
                             "Fix: only dimensions of size 1 can be squeezed.")
        wanted.add(a)
    return TensorShape([d for i, d in enumerate(dims) if i not in wanted])


@primitive("Squeeze", shape=_squeeze_rule)
def _squeeze_kernel(ctx, x):
    x = np.asarray(read_value(x))
    axes = tuple(a % max(x.ndim, 1) for a in ctx.attrs["squeeze_dims"])
    for a in axes:
        if x.shape[a] != 1:
            raise errors.InvalidArgumentError(None, ctx.op, "Can not squeeze dim[%d], expected a dimension "
                                                            "of 1, got %d" % (a, x.shape[a]))
    return np.squeeze(x, axis=axes if axes else None)


@RegisterGradient("Squeeze")
def _squeeze_grad(op, grad):
    """Only the shape changed: reshape the gradient back."""
    return _reshape_to_input(op, grad)


# --------------------------------------------------------------------------------------------
# Transpose
# --------------------------------------------------------------------------------------------
def transpose(a: Any, perm: Any = None, name: str = "transpose", conjugate: bool = False) -> Tensor:
    """Permutes the dimensions: output dim i is input dim ``perm[i]``. By default reverses them
    (the matrix transpose for rank 2)."""
    with name_scope(name, "transpose", [a]) as scope:
        a = convert_to_tensor(a, name="a")
        if perm is None:
            if a.shape.ndims is not None:
                perm = np.arange(a.shape.ndims - 1, -1, -1, dtype=np.int32)
            else:
                r = rank(a)
                perm = (r - 1) - creation_ops.range(0, r, 1)
        perm = int_input(perm, "perm")
        return make_op("Transpose", [a, perm], [a.dtype.base_dtype], scope).outputs[0]


def _transpose_rule(op: Operation) -> TensorShape:
    x, perm = op.inputs[0].shape, constant_value(op.inputs[1])
    n = x.ndims if x.ndims is not None else op.inputs[1].shape[0].value if op.inputs[1].shape.ndims else None
    if perm is None:
        return TensorShape(None if n is None else [None] * n)
    perm = [int(p) for p in np.ravel(perm)]
    if x.ndims is None:
        return TensorShape([None] * len(perm))
    if len(perm) != x.ndims:
        raise ShapeError("Dimension must be %d but is %d" % (x.ndims, len(perm)),
                         "Fix: perm lists every dimension of the tensor once.")
    for p in perm:
        if not -x.ndims <= p < x.ndims:
            raise ShapeError("perm dim %d is out of range of input rank %d" % (p, x.ndims),
                             "Fix: perm lists every dimension of the tensor once.")
    if sorted(p % max(x.ndims, 1) for p in perm) != list(builtins.range(x.ndims)):
        raise ShapeError("perm %s is not a permutation of 0..%d" % (perm, x.ndims - 1),
                         "Fix: perm lists every dimension of the tensor once.")
    dims = x.as_list()
    return TensorShape([dims[p] for p in perm])


@primitive("Transpose", shape=_transpose_rule)
def _transpose_kernel(ctx, x, perm):
    return np.transpose(read_value(x), [int(p) for p in perm])


@RegisterGradient("Transpose")
def _transpose_grad(op, grad):
    """y = transpose(x, perm): the gradient is transposed back with the inverse permutation."""
    return transpose(grad, invert_permutation(op.inputs[1])), None


def invert_permutation(x: Any, name: "str | None" = None) -> Tensor:
    """``y[x[i]] = i``: the permutation that undoes ``x``."""
    with name_scope(name, "InvertPermutation", [x]) as scope:
        x = int_input(x, "x")
        return make_op("InvertPermutation", [x], [x.dtype.base_dtype], scope).outputs[0]


def _invert_permutation_rule(op: Operation) -> TensorShape:
    x = op.inputs[0].shape
    if x.ndims not in (None, 1):
        raise ShapeError("Shape must be rank 1 but is rank %d" % x.ndims, "Fix: a permutation is a list of ints.")
    return x


@primitive("InvertPermutation", shape=_invert_permutation_rule)
def _invert_permutation_kernel(ctx, x):
    """``y[x[i]] = i``; x must hold each of 0, ..., n-1 once."""
    x = np.asarray(x)
    outside = (x < 0) | (x >= x.size)
    if outside.any():                        # TensorFlow names the first offending entry
        raise errors.InvalidArgumentError(None, ctx.op, "%d is not between 0 and %d\nFix: a permutation of n "
                                          "entries holds each of 0, ..., n-1 once." % (x[np.argmax(outside)], x.size))
    first = np.zeros(x.size, dtype=bool)
    first[np.unique(x, return_index=True)[1]] = True
    if not first.all():
        raise errors.InvalidArgumentError(None, ctx.op, "%d is duplicated in the input.\nFix: a permutation of n "
                                          "entries holds each of 0, ..., n-1 once." % x[np.argmin(first)])
    y = np.empty_like(x)
    y[x] = np.arange(x.size, dtype=x.dtype)
    return y
NoGradient("InvertPermutation")


def reverse(tensor: Any, axis: Any, name: "str | None" = None) -> Tensor:
    """The elements in reverse order along each axis in ``axis`` (op ``ReverseV2``)."""
    with name_scope(name, "ReverseV2", [tensor, axis]) as scope:
        tensor = convert_to_tensor(tensor, name="tensor")
        axis = int_input(axis, "axis")
        return make_op("ReverseV2", [tensor, axis], [tensor.dtype.base_dtype], scope).outputs[0]


reverse_v2 = reverse


def _reverse_rule(op: Operation) -> TensorShape:
    x, axes = op.inputs[0].shape, constant_value(op.inputs[1])
    if op.inputs[1].shape.ndims not in (None, 1):
        raise ShapeError("Shape must be rank 1 but is rank %d" % op.inputs[1].shape.ndims,
                         "Fix: axis is a list of axes, e.g. [1].")
    if axes is not None and x.ndims is not None:
        for a in np.ravel(axes):
            if not -x.ndims <= int(a) < x.ndims:
                raise ShapeError("'axis'[0] = %d is out of valid range [0, %d" % (int(a), x.ndims - 1),
                                 "Fix: the axes of a rank-%d tensor are -%d to %d." % (x.ndims, x.ndims, x.ndims - 1))
    return x


@primitive("ReverseV2", shape=_reverse_rule)
def _reverse_kernel(ctx, x, axis):
    x = np.asarray(read_value(x))
    axes = [int(a) for a in np.ravel(axis)]
    if any(not -x.ndim <= a < x.ndim for a in axes):
        raise errors.InvalidArgumentError(None, ctx.op, "'axis'[0] = %d is out of valid range [0, %d"
                                          % (axes[0], x.ndim - 1))
    return np.flip(x, axis=tuple(axes)) if axes else x


@RegisterGradient("ReverseV2")
def _reverse_grad(op, grad):
    """Reversing is its own inverse: the gradient is reversed back."""
    return reverse(grad, op.inputs[1]), None

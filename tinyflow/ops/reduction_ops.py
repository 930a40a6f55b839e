"""Reductions: ``tf.reduce_sum``, ``reduce_mean``, ``reduce_max``, ``reduce_prod``, ``reduce_any``,
..., ``tf.count_nonzero``, ``tf.argmax``/``argmin``, and the running ``tf.cumsum``/``cumprod``.

A reduction's gradient spreads the incoming gradient back over the reduced axes: for a sum
every input element gets it whole, for a mean a share of it, for a max only the maximal
elements.

TensorFlow's counterparts: ``python/ops/math_ops.py``, ``python/ops/math_grad.py``,
``core/ops/math_ops.cc``.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import dtypes, errors
from ..framework import Operation, Tensor, convert_to_tensor, graph_of, name_scope
from ..op_def_library import (NUMBER_TYPES, check_dtype, deprecated_argument_lookup, index_dtype, int_input,
                              make_op, make_tensor, python_bool)
from ..op_registry import NoGradient, RegisterGradient, primitive, read_value
from ..tensor_shape import ShapeError, TensorShape
from ..tensor_util import constant_value
from . import (array_ops, broadcast_ops, comparison_ops, concat_ops, constant_op, creation_ops, gather_ops,
               math_ops, unary_ops)

__all__ = ["reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod", "reduce_any",
           "reduce_all", "count_nonzero", "argmax", "argmin", "cumsum", "cumprod"]


# --------------------------------------------------------------------------------------------
# Reductions
# --------------------------------------------------------------------------------------------
def _all_axes(x: Tensor) -> Tensor:
    """``[0, 1, ..., rank-1]``: a constant when the rank is known, else computed at run time."""
    if x.shape.ndims is not None:
        return constant_op.constant(np.arange(x.shape.ndims, dtype=np.int32))
    return creation_ops.range(0, array_ops.rank(x))


def _reduce(op_type: str, x: Any, axis: Any, keepdims: Any, name: "str | None",
            keep_dims: Any = None, reduction_indices: Any = None) -> Tensor:
    """Builds a reduction op ``op_type(x, axes)`` with TF1's names.

    Without ``axis`` the axes are a ``Const`` made next to the op (``Const``, then ``Sum``);
    an explicit axis becomes ``Sum/reduction_indices``."""
    axis = deprecated_argument_lookup("axis", axis, "reduction_indices", reduction_indices)
    keepdims = deprecated_argument_lookup("keepdims", keepdims, "keep_dims", keep_dims)
    keepdims = False if keepdims is None else python_bool(keepdims, "keepdims", op_type)
    x = convert_to_tensor(x)
    if op_type in ("Any", "All"):
        comparison_ops.check_bool(x, op_type, "input")
    else:                 # numpy would quietly sum bools with `or`; TF1 refuses them
        check_dtype(x, op_type, NUMBER_TYPES, "input")
    axes = _all_axes(x) if axis is None else axis
    with name_scope(name, op_type, [x]) as scope:
        axes = convert_to_tensor(axes, preferred_dtype=index_dtype(axes), name="reduction_indices")
        if not axes.dtype.is_integer:
            raise TypeError("Value passed to parameter 'reduction_indices' has DataType %s not in list of "
                            "allowed values: int32, int64" % axes.dtype.base_dtype.name)
        shapes = [TensorShape([])] if axis is None and not keepdims else None
        return graph_of([x]).create_op(op_type, [x, axes], [x.dtype.base_dtype], name=scope,
                                        attrs={"keep_dims": keepdims}, shapes=shapes).outputs[0]


def _constant_axes(op: Operation) -> "list[int] | None":
    """The reduced axes, sorted and non-negative, if they are known while building."""
    axes, rank_ = constant_value(op.inputs[1]), op.inputs[0].shape.ndims
    if axes is None or rank_ is None:
        return None
    return sorted({int(a) % rank_ for a in np.ravel(axes)}) if rank_ else []


def _reduce_rule(op: Operation) -> TensorShape:
    x, keep = op.inputs[0].shape, op.attrs["keep_dims"]
    if (op.inputs[1].shape.ndims or 0) > 1:
        raise ShapeError("Shape must be at most rank 1 but is rank %d" % op.inputs[1].shape.ndims,
                         "Fix: axis is one axis or a list of them, e.g. [0, 1].")
    values = constant_value(op.inputs[1])
    if values is None or x.ndims is None:
        return TensorShape(None) if x.ndims is None or not keep else TensorShape([None] * x.ndims)
    for a in np.ravel(values):
        if not -x.ndims <= int(a) < x.ndims:
            raise ShapeError("Invalid reduction dimension %d for input with %d dimensions." % (a, x.ndims),
                             "Fix: axis must be between -rank and rank-1 (here %d and %d)."
                             % (-x.ndims, x.ndims - 1))
    axes = _constant_axes(op)
    dims = x.as_list()
    if keep:
        return TensorShape([1 if i in axes else d for i, d in enumerate(dims)])
    return TensorShape([d for i, d in enumerate(dims) if i not in axes])


def _axes_tuple(axes, ndim: int) -> tuple:
    """The reduced axes for numpy, counted from 0; one out of range or repeated is TensorFlow's error."""
    ax = [a + ndim if a < 0 else a for a in np.asarray(axes).ravel().tolist()]
    if len(set(ax)) != len(ax) or not all(0 <= a < ndim for a in ax):
        repeated = [a for a in ax if ax.count(a) > 1]
        raise errors.InvalidArgumentError(None, None, "%s\nFix: give each axis once, between -rank and rank-1." % (
            "Invalid reduction arguments: Axes contains duplicate dimension: %d" % repeated[0] if repeated else
            "Invalid reduction dimension %s for input with %d dimension(s)" % (np.asarray(axes).tolist(), ndim)))
    return tuple(ax)


def _reduced_grad(op: Operation, grad: Tensor) -> Tensor:
    """Reshapes a reduction's gradient (or output) to keep the reduced axes with size 1,
    ready to broadcast against the input: sum over axis 1 of (2, 3) -> shape (2, 1)."""
    x, axes = op.inputs
    if op.attrs["keep_dims"]:
        return grad
    static_axes = _constant_axes(op)
    if static_axes is not None and x.shape.is_fully_defined():
        dims = [1 if i in static_axes else d for i, d in enumerate(x.shape.as_list())]
        return array_ops.reshape(grad, dims)
    return array_ops.reshape(grad, reduced_shape(array_ops.shape(x), axes))


def _input_shape(x: Tensor) -> Any:
    """x's shape: a Python list when known while building, else a ``Shape`` op."""
    return x.shape.as_list() if x.shape.is_fully_defined() else array_ops.shape(x)


def reduce_sum(input_tensor: Any, axis: Any = None, keepdims: Any = None, name: "str | None" = None,
               reduction_indices: Any = None, keep_dims: Any = None) -> Tensor:
    """Sum over ``axis`` (all axes by default)."""
    return _reduce("Sum", input_tensor, axis, keepdims, name, keep_dims, reduction_indices)


@primitive("Sum", shape=_reduce_rule)
def _sum_kernel(ctx, x, axes):
    x = np.asarray(x)                          # no axes (unbroadcasting equal shapes): x itself, no copy
    return x if np.size(axes) == 0 else np.add.reduce(x, axis=_axes_tuple(axes, x.ndim), dtype=x.dtype,
                                                      keepdims=ctx.attrs["keep_dims"])


@RegisterGradient("Sum")
def _sum_grad(op, grad):
    """y = sum(x):  dy/dx = 1 for every element: broadcast the gradient back to x's shape."""
    x = op.inputs[0]
    return broadcast_ops.broadcast_to(_reduced_grad(op, grad), _input_shape(x)), None


def reduce_mean(input_tensor: Any, axis: Any = None, keepdims: Any = None, name: "str | None" = None,
                reduction_indices: Any = None, keep_dims: Any = None) -> Tensor:
    """Mean over ``axis`` (all axes by default). For integer tensors the result is an integer."""
    return _reduce("Mean", input_tensor, axis, keepdims, name, keep_dims, reduction_indices)


@primitive("Mean", shape=_reduce_rule)
def _mean_kernel(ctx, x, axes):
    x = np.asarray(x)
    ax, keep = _axes_tuple(axes, np.ndim(x)), ctx.attrs["keep_dims"]
    count = 1
    for a in ax:
        count *= x.shape[a]
    if x.dtype.kind in "iu":       # integer mean: summed in 64 bits (no overflow), C's division (to zero)
        wide = np.uint64 if x.dtype.kind == "u" else np.int64
        total = np.add.reduce(x, axis=ax, keepdims=keep, dtype=wide)
        return (np.sign(total) * (np.abs(total) // wide(max(count, 1)))).astype(x.dtype)
    total = np.add.reduce(x, axis=ax, keepdims=keep, dtype=x.dtype)
    # Divided as np.mean divides (by an intp count), so the result is np.mean's to the bit.
    with np.errstate(invalid="ignore", divide="ignore"):     # the mean of nothing is nan, quietly
        if type(total) is np.ndarray:
            return np.true_divide(total, np.intp(count), out=total, casting="unsafe")
        return total.dtype.type(total / np.intp(count))


@RegisterGradient("Mean")
def _mean_grad(op, grad):
    """y = mean(x):  dy/dx = 1/N for every element, N = number of elements averaged."""
    x, y = op.inputs[0], op.outputs[0]
    dtype = grad.dtype.base_dtype
    if x.shape.is_fully_defined() and y.shape.is_fully_defined():
        count = constant_op.constant(x.shape.num_elements() // max(y.shape.num_elements(), 1), dtype=dtype)
    else:
        n_in = reduce_prod(array_ops.shape(x))
        n_out = reduce_prod(array_ops.shape(y))
        count = unary_ops.cast(n_in // math_ops.maximum(n_out, 1), dtype)
    g = broadcast_ops.broadcast_to(_reduced_grad(op, grad), _input_shape(x))
    return g / count, None


def reduce_max(input_tensor: Any, axis: Any = None, keepdims: Any = None, name: "str | None" = None,
               reduction_indices: Any = None, keep_dims: Any = None) -> Tensor:
    """Maximum over ``axis``."""
    return _reduce("Max", input_tensor, axis, keepdims, name, keep_dims, reduction_indices)


def reduce_min(input_tensor: Any, axis: Any = None, keepdims: Any = None, name: "str | None" = None,
               reduction_indices: Any = None, keep_dims: Any = None) -> Tensor:
    """Minimum over ``axis``."""
    return _reduce("Min", input_tensor, axis, keepdims, name, keep_dims, reduction_indices)


def _extreme_kernel(find: Callable, for_max: bool) -> Callable:
    """max or min over the axes; of nothing, the identity: for max the lowest value of the dtype
    (-inf), for min the highest, as TensorFlow's."""
    def kernel(ctx, x, axes):
        x = np.asarray(x)
        if x.size:
            return find(x, axis=_axes_tuple(axes, np.ndim(x)), keepdims=ctx.attrs["keep_dims"])
        if x.dtype.kind in "fb":
            identity = (-np.inf if for_max else np.inf) if x.dtype.kind == "f" else not for_max
        else:
            identity = np.iinfo(x.dtype).min if for_max else np.iinfo(x.dtype).max
        return find(x, axis=_axes_tuple(axes, np.ndim(x)), keepdims=ctx.attrs["keep_dims"], initial=identity)
    return kernel


primitive("Max", shape=_reduce_rule)(_extreme_kernel(np.max, True))
primitive("Min", shape=_reduce_rule)(_extreme_kernel(np.min, False))


@RegisterGradient("Max")
@RegisterGradient("Min")
def _min_or_max_grad(op, grad):
    """The gradient goes to the elements equal to the result, shared equally among ties:
    max([1, 3, 3]) has gradient [0, 0.5, 0.5]."""
    x = op.inputs[0]
    y = _reduced_grad(op, op.outputs[0])
    hits = unary_ops.cast(comparison_ops.equal(y, x), grad.dtype)
    count = reduce_sum(hits, op.inputs[1], keepdims=True)
    return math_ops.divide(hits, count) * _reduced_grad(op, grad), None


def reduce_prod(input_tensor: Any, axis: Any = None, keepdims: Any = None, name: "str | None" = None,
                reduction_indices: Any = None, keep_dims: Any = None) -> Tensor:
    """Product over ``axis``."""
    return _reduce("Prod", input_tensor, axis, keepdims, name, keep_dims, reduction_indices)


@primitive("Prod", shape=_reduce_rule)
def _prod_kernel(ctx, x, axes):
    x = np.asarray(x)
    return np.prod(x, axis=_axes_tuple(axes, np.ndim(x)), keepdims=ctx.attrs["keep_dims"], dtype=x.dtype)


@RegisterGradient("Prod")
def _prod_grad(op, grad):
    """y = prod(x):  dy/dx_i = product of all the *other* elements (exact even where x_i = 0).

    Dividing y by x_i would fail at zeros, so the other elements' product is built from two
    exclusive cumulative products: move the reduced axes to the front and flatten them into
    one axis of length n; then for position i, (x_0 ... x_{i-1}) * (x_{i+1} ... x_{n-1}) is
    ``cumprod(exclusive=True) * cumprod(exclusive=True, reverse=True)``.
    """
    x = op.inputs[0]
    axes = _constant_axes(op)
    if axes is None:
        raise NotImplementedError(
            "tinyflow's gradient of reduce_prod needs the input's rank and the axes while building "
            "the graph (op '%s'). Give the input a known rank (e.g. a placeholder with shape "
            "[None, 3]) and a constant axis." % op.name)
    g = broadcast_ops.broadcast_to(_reduced_grad(op, grad), _input_shape(x))
    if not axes:                                    # nothing reduced: y = x
        return g, None
    other = [i for i in range(x.shape.ndims) if i not in axes]
    perm = axes + other
    moved = array_ops.transpose(x, perm)            # reduced axes first
    other_size = reduce_prod(gather_ops.gather(array_ops.shape(x), other)) if other else 1
    flat = array_ops.reshape(moved, concat_ops.stack([-1, other_size]))
    left = cumprod(flat, axis=0, exclusive=True)
    right = cumprod(flat, axis=0, exclusive=True, reverse=True)
    others = array_ops.reshape(left * right, array_ops.shape(moved))
    return g * array_ops.transpose(others, [int(i) for i in np.argsort(perm)]), None


def reduce_any(input_tensor: Any, axis: Any = None, keepdims: Any = None, name: "str | None" = None,
               reduction_indices: Any = None, keep_dims: Any = None) -> Tensor:
    """Logical OR over ``axis`` of a bool tensor."""
    return _reduce("Any", input_tensor, axis, keepdims, name, keep_dims, reduction_indices)


def reduce_all(input_tensor: Any, axis: Any = None, keepdims: Any = None, name: "str | None" = None,
               reduction_indices: Any = None, keep_dims: Any = None) -> Tensor:
    """Logical AND over ``axis`` of a bool tensor."""
    return _reduce("All", input_tensor, axis, keepdims, name, keep_dims, reduction_indices)


primitive("Any", shape=_reduce_rule)(
    lambda ctx, x, axes: np.any(x, axis=_axes_tuple(axes, np.ndim(x)), keepdims=ctx.attrs["keep_dims"]))
primitive("All", shape=_reduce_rule)(
    lambda ctx, x, axes: np.all(x, axis=_axes_tuple(axes, np.ndim(x)), keepdims=ctx.attrs["keep_dims"]))
NoGradient("Any")
NoGradient("All")


def count_nonzero(input_tensor: Any, axis: Any = None, keepdims: Any = None, dtype: Any = dtypes.int64,
                  name: "str | None" = None, reduction_indices: Any = None,
                  keep_dims: Any = None) -> Tensor:
    """Number of non-zero elements over ``axis``."""
    axis = deprecated_argument_lookup("axis", axis, "reduction_indices", reduction_indices)
    keepdims = deprecated_argument_lookup("keepdims", keepdims, "keep_dims", keep_dims)
    with name_scope(name, "count_nonzero", [input_tensor]):
        x = convert_to_tensor(input_tensor, name="input_tensor")
        zero = creation_ops.zeros([], dtype=x.dtype)
        nonzero = unary_ops.cast(comparison_ops.not_equal(x, zero), dtypes.int64)
        return unary_ops.cast(reduce_sum(nonzero, axis=axis, keepdims=keepdims), dtype)


# --------------------------------------------------------------------------------------------
# argmax / argmin
# --------------------------------------------------------------------------------------------
def argmax(input: Any, axis: Any = None, name: "str | None" = None, dimension: Any = None,  # noqa: A002
           output_type: Any = dtypes.int64) -> Tensor:
    """Index of the largest value along ``axis`` (default 0)."""
    return _arg("ArgMax", input, axis, dimension, name, output_type)


def argmin(input: Any, axis: Any = None, name: "str | None" = None, dimension: Any = None,  # noqa: A002
           output_type: Any = dtypes.int64) -> Tensor:
    """Index of the smallest value along ``axis`` (default 0)."""
    return _arg("ArgMin", input, axis, dimension, name, output_type)


def _arg(op_type: str, x: Any, axis: Any, dimension: Any, name: "str | None", output_type: Any) -> Tensor:
    axis = deprecated_argument_lookup("axis", axis, "dimension", dimension)
    with name_scope(name, op_type, [x]) as scope:
        x = convert_to_tensor(x, name="input")
        axis = 0 if axis is None else axis
        axis = convert_to_tensor(axis, preferred_dtype=index_dtype(axis), name="dimension")
        if not axis.dtype.base_dtype.is_integer or axis.shape.ndims not in (None, 0):
            raise TypeError("axis must be int or Tensor with integer datatype; %s got %s (%s).\n"
                            "Fix: pass the axis as an int, e.g. axis=1." % (op_type, axis.name, axis.dtype.name))
        out = dtypes.as_dtype(output_type).base_dtype
        return make_tensor(op_type, [x, axis], out, scope, {"output_type": out})


def _arg_rule(op: Operation) -> TensorShape:
    x, axis = op.inputs[0].shape, constant_value(op.inputs[1])
    if axis is None or x.ndims is None:
        return TensorShape(None) if x.ndims is None else TensorShape([None] * max(x.ndims - 1, 0))
    axis = int(axis)
    if not -x.ndims <= axis < x.ndims:
        raise ShapeError("Expected dimension in the range [%d, %d), but got %d" % (-x.ndims, x.ndims, axis),
                         "Fix: pick an axis of the input.")
    axis %= x.ndims
    return TensorShape([d for i, d in enumerate(x.as_list()) if i != axis])


def _arg_kernel(find: Callable, nan_as: float) -> Callable:
    """As TensorFlow: a NaN never wins (it counts as -inf for argmax, +inf for argmin), where
    numpy would return the first NaN; an empty axis is an error."""
    def kernel(ctx, x, axis):
        x, axis = np.asarray(x), int(axis)
        if x.shape[axis] == 0:
            raise errors.InvalidArgumentError(None, ctx.op, "Reduction axis %d is empty in shape %s\nFix: there "
                                              "is no largest (or smallest) of nothing; check the input is not "
                                              "empty." % (axis, TensorShape(x.shape).debug_string()))
        if x.dtype.kind == "f":
            nan = np.isnan(x)
            if nan.any():
                x = np.where(nan, nan_as, x)
        return np.asarray(find(x, axis=axis)).astype(ctx.attrs["output_type"].as_numpy_dtype)
    return kernel


primitive("ArgMax", shape=_arg_rule)(_arg_kernel(np.argmax, -np.inf))
primitive("ArgMin", shape=_arg_rule)(_arg_kernel(np.argmin, np.inf))
NoGradient("ArgMax")
NoGradient("ArgMin")


def reduced_shape(input_shape: Any, axes: Any) -> Tensor:
    """``input_shape`` with the ``axes`` set to 1 (the keepdims shape of a reduction)."""
    input_shape = convert_to_tensor(input_shape, dtype=dtypes.int32)
    axes = convert_to_tensor(axes, dtype=dtypes.int32)
    return make_op("ReducedShape", [input_shape, axes], [dtypes.int32], "ReducedShape",
                 shapes=[input_shape.shape]).outputs[0]


@primitive("ReducedShape")
def _reduced_shape_kernel(ctx, input_shape, axes):
    out = np.array(input_shape, dtype=np.int32)
    if out.size:
        out[np.ravel(axes) % out.size] = 1
    return out


NoGradient("ReducedShape")


def cumsum(x: Any, axis: Any = 0, exclusive: bool = False, reverse: bool = False,
           name: "str | None" = None) -> Tensor:
    """Running sum along ``axis``: ``cumsum([a, b, c]) = [a, a+b, a+b+c]``.

    ``exclusive=True`` gives ``[0, a, a+b]``; ``reverse=True`` sums from the end: ``[a+b+c, b+c, c]``.
    """
    return _cumulative("Cumsum", x, axis, exclusive, reverse, name)


def cumprod(x: Any, axis: Any = 0, exclusive: bool = False, reverse: bool = False,
            name: "str | None" = None) -> Tensor:
    """Running product along ``axis``: ``cumprod([a, b, c]) = [a, a*b, a*b*c]`` (``exclusive``
    and ``reverse`` as in :func:`cumsum`)."""
    return _cumulative("Cumprod", x, axis, exclusive, reverse, name)


def _cumulative(op_type: str, x: Any, axis: Any, exclusive: bool, reverse: bool, name: "str | None") -> Tensor:
    with name_scope(name, op_type, [x]) as scope:
        x = convert_to_tensor(x, name="x")
        axis = int_input(axis, "axis")
        return make_op(op_type, [x, axis], [x.dtype.base_dtype], scope,
                     attrs={"exclusive": bool(exclusive), "reverse": bool(reverse)},
                     shapes=[x.shape]).outputs[0]


def _cumulative_kernel(fn, identity_value):
    def kernel(ctx, x, axis):
        x = np.asarray(read_value(x))
        if np.ndim(axis):
            raise errors.InvalidArgumentError(None, ctx.op, "ScanOp: axis must be a scalar, not %s\nFix: give one "
                                              "axis, e.g. axis=0." % TensorShape(np.shape(axis)).debug_string())
        axis = int(axis)
        if not -x.ndim <= axis < x.ndim:          # (a scalar has no axis to scan)
            raise errors.InvalidArgumentError(
                None, ctx.op, "ScanOp: Expected scan axis in the range [%d, %d), but got %d\nFix: %s"
                % (-x.ndim, x.ndim, axis, "a running sum needs a tensor of rank >= 1 (this one is a scalar)."
                   if x.ndim == 0 else "give an axis of the tensor's %d dimensions." % x.ndim))
        axis %= x.ndim
        if ctx.attrs["reverse"]:
            x = np.flip(x, axis)
        y = fn(x, axis=axis, dtype=x.dtype)
        if ctx.attrs["exclusive"]:      # shift by one: [id, y0, y1, ...]
            first = np.full_like(np.take(y, [0], axis=axis), identity_value)
            y = np.concatenate([first, np.delete(y, -1, axis=axis)], axis=axis)
        return np.flip(y, axis) if ctx.attrs["reverse"] else y
    return kernel


primitive("Cumsum")(_cumulative_kernel(np.cumsum, 0))
primitive("Cumprod")(_cumulative_kernel(np.cumprod, 1))


@RegisterGradient("Cumsum")
def _cumsum_grad(op, grad):
    """y_j = sum of x_i for i <= j, so dL/dx_i = sum of grad_j for j >= i: a cumsum of the
    gradient in the other direction."""
    a = op.attrs
    return cumsum(grad, op.inputs[1], exclusive=a["exclusive"], reverse=not a["reverse"]), None


@RegisterGradient("Cumprod")
def _cumprod_grad(op, grad):
    """y_j = prod of x_i for i <= j, so dy_j/dx_i = y_j / x_i for i <= j and
    dL/dx_i = (sum over j >= i of grad_j * y_j) / x_i. (TensorFlow's formula: it needs x != 0.)"""
    x, axis = op.inputs
    a = op.attrs
    prod = cumprod(x, axis, exclusive=a["exclusive"], reverse=a["reverse"])
    return cumsum(prod * grad, axis, exclusive=a["exclusive"], reverse=not a["reverse"]) / x, None

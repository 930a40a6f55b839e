"""Values known before anything runs: ``constant_value`` and the shapes it makes static.

Some tensors have a value that is known while the graph is built: constants, the shape of a
tensor whose static shape is fully known, and small computations on those (``n * 2``,
``tf.stack([n, 3])``, ``tf.shape(x)[1]``). Knowing them makes static shapes better:
``tf.reshape(x, [n * 2, -1])`` gets a known first dimension. A session uses the same rules to
compute such values once per plan instead of on every run ("constant folding").

The rules live here, in one place. A session folds what :func:`can_fold` allows: stateless ops,
not placeholders, not waiting for anything (control inputs), whose inputs are known, or
*shape-only* ops (``Shape``, ``Size``, ``Rank``, ``ZerosLike``, ``OnesLike``) whose input's static
shape is fully known (:func:`value_from_shape`). While building, :func:`constant_value` evaluates
only cheap ops on small values (:data:`BUILD_TIME_OPS`), and knows a rank as soon as the number
of dimensions is (as TensorFlow's ``constant_value`` does). Either way the kernels come from the op
registry, so the values are exactly those a run would give.

TensorFlow's counterpart: ``python/framework/tensor_util.py`` (``constant_value``,
``constant_value_as_shape``) and grappler's constant folding.
"""
from __future__ import annotations

import numpy as np

from .framework import Operation, Tensor
from .op_registry import OpContext, OpDef, find_op_def, get_op_def
from .tensor_shape import ShapeError, TensorShape

__all__ = ["can_fold", "value_from_shape", "constant_value", "constant_int", "partial_ints",
           "shape_from_tensor", "dim_from_tensor", "SHAPE_ONLY_OPS", "BUILD_TIME_OPS"]

SHAPE_ONLY_OPS = frozenset(["Shape", "Size", "Rank", "ZerosLike", "OnesLike"])
"""Ops whose value depends only on their input's static shape, not on its values."""

_NEVER_FOLDED = frozenset(["Placeholder", "PlaceholderWithDefault"])   # their value is fed

BUILD_TIME_OPS = frozenset([
    "Identity", "StopGradient", "Cast", "Pack", "Unpack", "ConcatV2", "Split", "SplitV", "Slice",
    "StridedSlice", "Reshape", "ExpandDims", "Squeeze", "Range", "Transpose", "InvertPermutation",
    "GatherV2", "ConcatOffset", "AddV2", "Sub", "Mul", "FloorDiv", "FloorMod", "Maximum", "Minimum", "Neg",
    "Sum", "Prod",
])
"""Ops evaluated while the graph is built: they only move or combine small integer tensors such as
shapes and axes (TensorFlow's shape inference evaluates such small subgraphs too)."""

_BUILD_TIME_MAX_ELEMENTS = 1000


def can_fold(op: Operation, op_def: "OpDef | None" = None, inputs_known: bool = True) -> bool:
    """Whether ``op`` gives the same value in every run, so it can be computed ahead: stateless,
    with outputs, no control inputs, not fed; and its inputs are known (``inputs_known``), or it
    is a shape-only op whose input's static shape is fully known. (``op_def``: the op's registry
    entry, if the caller has it already.)"""
    if op_def is None:
        op_def = find_op_def(op._type)
    if op_def is None or op_def.stateful or not op._outputs or op._control_inputs or op._type in _NEVER_FOLDED:
        return False
    return inputs_known or (op._type in SHAPE_ONLY_OPS and op._inputs[0]._shape.is_fully_defined())


def value_from_shape(op: Operation) -> "np.ndarray | None":
    """The value of a shape-only op from its input's fully known static shape (None if it is
    not fully known). The kernel runs on a read-only view of a single zero, so nothing of the
    input's size is allocated (a ``ZerosLike`` allocates its own output, as a run would)."""
    if op._type not in SHAPE_ONLY_OPS:
        return None
    t = op._inputs[0]
    if not t._shape.is_fully_defined():
        return None
    zeros = np.broadcast_to(np.zeros((), dtype=t._dtype.base_dtype.as_numpy_dtype), t._shape.as_tuple())
    return get_op_def(op._type).kernel(OpContext(op, None), zeros)


def constant_value(t: Tensor) -> "np.ndarray | None":
    """The value of ``t`` if it can be known while building the graph, else None.

    Known are constants, shapes/sizes/ranks of tensors with known static shapes, and small
    computations on known values (packing, slicing, arithmetic, ... see :data:`BUILD_TIME_OPS`).
    """
    op = t.op
    if op.type == "Const":
        return op.attrs["value"]
    if op.type == "Rank":                  # known as soon as the number of dimensions is
        ndims = op.inputs[0].shape.ndims
        return None if ndims is None else np.array(ndims, dtype=np.int32)
    if op.type in ("Shape", "Size"):
        return value_from_shape(op)
    if op.type not in BUILD_TIME_OPS:
        return None
    values = []
    for i in op.inputs:
        v = constant_value(i)
        if v is None or np.size(v) > _BUILD_TIME_MAX_ELEMENTS:
            return None
        values.append(v)
    try:
        with np.errstate(all="ignore"):
            out = get_op_def(op.type).kernel(OpContext(op, None), *values)
    except Exception:          # an invalid value: the run-time kernel will report it
        return None
    if len(op.outputs) > 1:
        out = out[t.value_index]
    return np.asarray(out)


def constant_int(t: Tensor) -> "int | None":
    """The value of a scalar int tensor if it is known while building (an axis, a count), else None.

    A known value that is not a scalar is a ShapeError (TensorFlow's words), raised in the shape rule
    of the op that wanted one int."""
    value = constant_value(t)
    if value is None:
        return None
    if value.ndim:
        raise ShapeError("Shape must be rank 0 but is rank %d" % value.ndim,
                         "Fix: give %s one int, not a list." % t.op.name)
    return int(value)


def partial_ints(t: Tensor) -> "list | None":
    """The entries of a 1-D int tensor as far as known (None for unknown entries), or None."""
    value = constant_value(t)
    if value is not None:
        return [int(v) for v in np.ravel(value)]
    known = shape_from_tensor(t)
    return None if known.ndims is None else known.as_list()


def shape_from_tensor(t: Tensor) -> TensorShape:
    """Static shape described by a 1-D shape tensor (e.g. the ``shape`` input of Reshape/Fill).

    As much as is known: ``[-1, 3]`` gives ``(?, 3)``, ``tf.shape(x)`` gives x's static shape,
    ``tf.stack([n, 3])`` with unknown n gives ``(?, 3)``. (TensorFlow's ``constant_value_as_shape``.)
    """
    value = constant_value(t)
    if value is not None:
        if np.ndim(value) == 0:            # a scalar -1 means "unknown shape"
            return TensorShape(None)
        return TensorShape([None if d < 0 else int(d) for d in np.ravel(value)])
    op = t.op
    if op.type == "Shape":
        return op.inputs[0].shape
    if op.type == "Pack" and op.attrs["axis"] == 0:
        return TensorShape([dim_from_tensor(i) for i in op.inputs])
    if op.type == "ConcatV2":
        result = TensorShape([])
        for part in op.inputs[:-1]:
            result = result.concatenate(shape_from_tensor(part))
        return result
    if op.type == "StridedSlice":
        sliced = _slice_of_shape(op)
        if isinstance(sliced, list):
            return TensorShape(sliced)
    if op.type == "Cast":
        return shape_from_tensor(op.inputs[0])
    if t.shape.ndims == 1 and t.shape[0].value is not None:
        return TensorShape([None] * t.shape[0].value)
    return TensorShape(None)


def dim_from_tensor(t: Tensor) -> "int | None":
    """The size given by a scalar int tensor, as far as known (``tf.shape(x)[1]`` is x's dim 1)."""
    value = constant_value(t)
    if value is not None:
        return None if int(value) < 0 else int(value)
    if t.op.type == "StridedSlice":
        sliced = _slice_of_shape(t.op)
        if not isinstance(sliced, list):
            return sliced
    return None


def _slice_of_shape(op: Operation) -> "list | int | None":
    """For ``shape_tensor[i]`` or ``shape_tensor[a:b]``: the known dims (or None). The slice is
    taken by the StridedSlice kernel itself, on the dims as far as they are known."""
    source = shape_from_tensor(op.inputs[0]) if op.inputs[0].shape.ndims == 1 else TensorShape(None)
    spec = [constant_value(i) for i in op.inputs[1:]]
    a = op.attrs
    if (source.ndims is None or any(s is None or np.size(s) != 1 for s in spec)
            or a["ellipsis_mask"] or a["new_axis_mask"]):
        return None
    dims = np.empty(source.ndims, dtype=object)
    dims[:] = source.as_list()
    try:
        sliced = get_op_def("StridedSlice").kernel(OpContext(op, None), dims, *spec)
    except Exception:          # out of bounds: the shape rule or the run reports it
        return None
    return sliced.tolist() if isinstance(sliced, np.ndarray) else sliced


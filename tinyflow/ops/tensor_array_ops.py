"""``tf.TensorArray``: a list of tensors a graph can grow one element at a time (in a loop).

A TensorArray is a *handle* (to a list that lives for one run) and a *flow*: a float scalar
that every write returns anew. Ops that use the array take the flow as an input, so the graph
orders them (a read after the write it needs); a ``tf.while_loop`` carries a TensorArray as its
flow. Each write returns a new ``TensorArray`` object with the new flow::

    ta = tf.TensorArray(tf.float32, size=3)
    ta = ta.write(0, x)          # TensorArrayWrite/TensorArrayWriteV3
    y = ta.read(0)               # TensorArrayReadV3
    all_of_them = ta.stack()     # TensorArrayStack/TensorArrayGatherV3

Each element is written once (a second write fails) and, with ``clear_after_read`` (the
default), read once. Gradients flow backwards through a *gradient array* of the same size
(``TensorArrayGradV3``), in which several writes to one index add up (``tensor_array_grad``).

TensorFlow's counterparts: ``python/ops/tensor_array_ops.py``, ``core/kernels/tensor_array.cc``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import dtypes, errors
from ..framework import Tensor, control_dependencies, convert_to_tensor, name_scope
from ..op_def_library import make_op
from ..op_registry import NoGradient, primitive
from ..tensor_shape import TensorShape, as_shape
from . import array_ops, creation_ops, slicing_ops, unary_ops

__all__ = ["TensorArray"]


class TensorArray:
    """``tf.TensorArray(dtype, size, dynamic_size=False, clear_after_read=True, element_shape=None)``."""

    def __init__(self, dtype: Any, size: Any = None, dynamic_size: "bool | None" = None,
                 clear_after_read: "bool | None" = None, tensor_array_name: "str | None" = None,
                 handle: "Tensor | None" = None, flow: "Tensor | None" = None, infer_shape: bool = True,
                 element_shape: Any = None, colocate_with_first_write_call: bool = True, name: "str | None" = None):
        self._dtype = dtypes.as_dtype(dtype).base_dtype
        self._dynamic_size = bool(dynamic_size)
        self._infer_shape = infer_shape
        self._element_shape = [as_shape(element_shape) if element_shape is not None else TensorShape(None)]
        if handle is not None:
            if flow is None:
                raise ValueError("flow must not be None if handle is not None.")
            if size is not None:
                raise ValueError("Cannot provide both a handle and size at the same time")
            self._handle, self._flow, self._size = handle, flow, None
            return
        if size is None:
            raise ValueError("Size must be provided if handle is not provided")
        clear_after_read = True if clear_after_read is None else bool(clear_after_read)
        size = convert_to_tensor(size, dtype=dtypes.int32)
        self._size = None if self._dynamic_size else size      # a fixed size is known without a run
        with name_scope(name, "TensorArray", [size]) as scope:
            op = make_op("TensorArrayV3", [size], [dtypes.resource, dtypes.float32], scope,
                         attrs={"dtype": self._dtype, "element_shape": self._element_shape[0],
                                "dynamic_size": self._dynamic_size, "clear_after_read": clear_after_read,
                                "identical_element_shapes": bool(infer_shape),
                                "tensor_array_name": tensor_array_name or ""},
                         shapes=[TensorShape([2]), TensorShape([])])
        self._handle, self._flow = op.outputs

    dtype = property(lambda self: self._dtype)
    handle = property(lambda self: self._handle)
    flow = property(lambda self: self._flow)
    dynamic_size = property(lambda self: self._dynamic_size)

    @property
    def element_shape(self) -> TensorShape:
        return self._element_shape[0]

    def __repr__(self) -> str:
        return "<tf.TensorArray '%s' dtype=%s>" % (self._handle.op.name, self._dtype.name)

    def _with_flow(self, flow: Tensor) -> "TensorArray":
        """The same array after an op that returned ``flow`` (element shapes stay shared)."""
        ta = TensorArray.__new__(TensorArray)
        ta.__dict__.update(self.__dict__)
        ta._flow = flow
        return ta

    def _merge_element_shape(self, shape: TensorShape) -> None:
        if not self._infer_shape:
            return
        try:
            self._element_shape[0] = self._element_shape[0].merge_with(shape)
        except ValueError:
            raise ValueError("Inconsistent shapes: saw %s but expected %s (and infer_shape=True)\nFix: write "
                             "elements of one shape, or create the TensorArray with infer_shape=False."
                             % (shape, self._element_shape[0])) from None

    def _check_value(self, value: Any, what: str) -> Tensor:
        value = convert_to_tensor(value, preferred_dtype=self._dtype, name="value")
        if value.dtype.base_dtype is not self._dtype:
            raise errors.InvalidArgumentError(None, None, "TensorArray dtype is %s but Op is trying to %s dtype %s."
                                              % (self._dtype.name, what, value.dtype.base_dtype.name))
        return value

    def identity(self) -> "TensorArray":
        return self._with_flow(array_ops.identity(self._flow))

    def grad(self, source: str, flow: "Tensor | None" = None, name: "str | None" = None) -> "TensorArray":
        """The gradient array of this one for ``source`` (the ``gradients`` scope asking)."""
        flow = self._flow if flow is None else flow
        with name_scope(name, "TensorArrayGrad", [self._handle]):
            op = make_op("TensorArrayGradV3", [self._handle, flow], [dtypes.resource, dtypes.float32],
                         "TensorArrayGradV3", attrs={"source": source}, shapes=[TensorShape([2]), TensorShape([])])
            with control_dependencies([op.outputs[0]]):
                flow = array_ops.identity(flow, name="gradient_flow")
        g = TensorArray(self._dtype, handle=op.outputs[0], flow=flow, infer_shape=self._infer_shape)
        g._element_shape = self._element_shape
        return g

    def read(self, index: Any, name: "str | None" = None) -> Tensor:
        """Element ``index``."""
        index = _scalar_index(index, "TensorArrayReadV3")
        return make_op("TensorArrayReadV3", [self._handle, index, self._flow], [self._dtype],
                       name or "TensorArrayReadV3", attrs={"dtype": self._dtype},
                       shapes=[self.element_shape]).outputs[0]

    def write(self, index: Any, value: Any, name: "str | None" = None) -> "TensorArray":
        """The array with ``value`` written at ``index`` (a new TensorArray object)."""
        with name_scope(name, "TensorArrayWrite", [self._handle, index, value]):
            value = self._check_value(value, "write")
            index = _scalar_index(index, "TensorArrayWriteV3")
            self._merge_element_shape(value.shape)
            flow = make_op("TensorArrayWriteV3", [self._handle, index, value, self._flow], [dtypes.float32],
                           "TensorArrayWriteV3", attrs={"T": self._dtype},
                           shapes=[TensorShape([])]).outputs[0]
        return self._with_flow(flow)

    def gather(self, indices: Any, name: "str | None" = None) -> Tensor:
        """The elements at ``indices``, stacked."""
        indices = convert_to_tensor(indices, dtype=dtypes.int32, name="indices")
        shape = TensorShape([indices.shape[0] if indices.shape.ndims == 1 else None]).concatenate(self.element_shape)
        return make_op("TensorArrayGatherV3", [self._handle, indices, self._flow], [self._dtype],
                       name or "TensorArrayGatherV3", attrs={"dtype": self._dtype, "element_shape": self.element_shape},
                       shapes=[shape]).outputs[0]

    def stack(self, name: "str | None" = None) -> Tensor:
        """Every element, stacked along a new first axis."""
        with name_scope(name, "TensorArrayStack", [self._handle]):
            return self.gather(creation_ops.range(0, self.size()))

    def scatter(self, indices: Any, value: Any, name: "str | None" = None) -> "TensorArray":
        """The array with ``value[i]`` written at ``indices[i]``."""
        with name_scope(name, "TensorArrayScatter", [self._handle, value, indices]):
            value = self._check_value(value, "write")
            indices = convert_to_tensor(indices, dtype=dtypes.int32, name="indices")
            if value.shape.ndims:
                self._merge_element_shape(TensorShape(value.shape.as_tuple()[1:]))
            flow = make_op("TensorArrayScatterV3", [self._handle, indices, value, self._flow], [dtypes.float32],
                           "TensorArrayScatterV3", attrs={"T": self._dtype},
                           shapes=[TensorShape([])]).outputs[0]
        return self._with_flow(flow)

    def unstack(self, value: Any, name: "str | None" = None) -> "TensorArray":
        """The array holding ``value[0]``, ``value[1]``, ...."""
        with name_scope(name, "TensorArrayUnstack", [self._handle, value]):
            value = convert_to_tensor(value, preferred_dtype=self._dtype, name="value")
            num = slicing_ops.slice_helper(array_ops.shape(value), 0)
            return self.scatter(creation_ops.range(0, num), value)

    def concat(self, name: "str | None" = None) -> Tensor:
        """Every element, concatenated along their first axis."""
        shape = self.element_shape
        rest = TensorShape(shape.as_tuple()[1:]) if shape.ndims else TensorShape(None)
        op = make_op("TensorArrayConcatV3", [self._handle, self._flow], [self._dtype, dtypes.int64],
                     name or "TensorArrayConcatV3", attrs={"dtype": self._dtype, "element_shape_except0": rest},
                     shapes=[TensorShape([None]).concatenate(rest), TensorShape([None])])
        return op.outputs[0]

    def split(self, value: Any, lengths: Any, name: "str | None" = None) -> "TensorArray":
        """The array holding the pieces of ``value`` (``lengths`` rows each)."""
        with name_scope(name, "TensorArraySplit", [self._handle, value, lengths]):
            value = self._check_value(value, "write")
            lengths = unary_ops.cast(convert_to_tensor(lengths, name="lengths"), dtypes.int64)
            flow = make_op("TensorArraySplitV3", [self._handle, value, lengths, self._flow], [dtypes.float32],
                           "TensorArraySplitV3", attrs={"T": self._dtype},
                           shapes=[TensorShape([])]).outputs[0]
        return self._with_flow(flow)

    def size(self, name: "str | None" = None) -> Tensor:
        """The number of elements (int32): for a fixed-size array, the size it was made with."""
        if self._size is not None and name is None:
            return self._size
        return make_op("TensorArraySizeV3", [self._handle, self._flow], [dtypes.int32], name or "TensorArraySizeV3",
                       shapes=[TensorShape([])]).outputs[0]

    def close(self, name: "str | None" = None) -> Any:
        return make_op("TensorArrayCloseV3", [self._handle], [], name or "TensorArrayCloseV3")


def _scalar_index(index: Any, op_type: str) -> Tensor:
    index = convert_to_tensor(index, dtype=dtypes.int32, name="index")
    if index.shape.ndims not in (None, 0):
        raise ValueError("Shape must be rank 0 but is rank %d for '%s' (the index).\nFix: read and write one "
                         "element at a time (gather and scatter take several indices)." % (index.shape.ndims, op_type))
    return index


# --------------------------------------------------------------------------------------------
# Kernels: the array of one run
# --------------------------------------------------------------------------------------------
_UNWRITTEN = object()


class _Array:
    """The elements of one TensorArray in one run."""

    __slots__ = ("name", "dtype", "values", "read", "dynamic", "clear_after_read", "aggregate", "element_shape",
                 "grads", "identical", "shapes")

    def __init__(self, name: str, dtype: Any, size: int, dynamic: bool, clear_after_read: bool,
                 element_shape: TensorShape, aggregate: bool = False):
        self.name, self.dtype, self.dynamic = name, dtype, dynamic
        self.values: list = [_UNWRITTEN] * size
        self.read: "list[bool]" = [False] * size
        self.clear_after_read, self.aggregate, self.element_shape = clear_after_read, aggregate, element_shape
        self.grads: "dict[str, _Array]" = {}
        self.identical = True          # identical_element_shapes (infer_shape)
        self.shapes: list = [None] * size      # each element's shape once written (kept after a read)

    def _index(self, index: Any, what: str) -> int:
        if np.ndim(index):
            raise errors.InvalidArgumentError(None, None, "TensorArray %s: the index to %s must be a scalar, got "
                                              "shape %s." % (self.name, what, list(np.shape(index))))
        i = int(index)
        if i < 0:
            raise errors.InvalidArgumentError(None, None, "Tried to %s element %d of TensorArray %s: the index is "
                                              "negative." % (what, i, self.name))
        return i

    def write(self, index: Any, value: np.ndarray) -> None:
        i = self._index(index, "write")
        if i >= len(self.values):
            if not self.dynamic:
                raise errors.InvalidArgumentError(None, None, "TensorArray %s: Tried to write to index %d but array is "
                                                  "not resizeable and size is: %d\nFix: create it with a larger size, "
                                                  "or with dynamic_size=True." % (self.name, i, len(self.values)))
            grow = i + 1 - len(self.values)
            self.values += [_UNWRITTEN] * grow
            self.read += [False] * grow
            self.shapes += [None] * grow
        value = np.asarray(value, dtype=self.dtype)
        known = self.element_shape
        if self.identical and known.ndims is None:
            first = next((shape for shape in self.shapes if shape is not None), None)
            known = TensorShape(first) if first is not None else known
        if known.ndims is not None and not known.is_compatible_with(TensorShape(value.shape)):
            raise errors.InvalidArgumentError(None, None, "TensorArray %s: Could not write to TensorArray index %d "
                                              "because the value shape is %s which is incompatible with the "
                                              "TensorArray's inferred element shape: %s (consider setting "
                                              "infer_shape=False)." % (self.name, i, list(value.shape), known))
        old = self.values[i]
        if old is not _UNWRITTEN:
            if not self.aggregate:
                raise errors.InvalidArgumentError(None, None, "TensorArray %s: Could not write to TensorArray index %d "
                                                  "because it has already been written to.\nFix: write each index "
                                                  "once (a TensorArray is not a buffer to overwrite)." % (self.name, i))
            value = old + value                 # a gradient array: the writes add up
        self.values[i] = value
        self.shapes[i] = value.shape

    def known_shape(self, i: "int | None" = None) -> "tuple | None":
        """The shape of element ``i`` (of every element: None), if known: its own, once written; the
        array's element shape; or, with identical shapes, that of any element written."""
        if i is not None and i < len(self.shapes) and self.shapes[i] is not None:
            return self.shapes[i]
        if self.element_shape.is_fully_defined():
            return self.element_shape.as_tuple()
        if self.identical:
            return next((shape for shape in self.shapes if shape is not None), None)
        return None

    def get(self, index: Any) -> np.ndarray:
        i = self._index(index, "read")
        if i >= len(self.values):
            raise errors.InvalidArgumentError(None, None, "Tried to read from index %d but array size is: %d"
                                              % (i, len(self.values)))
        value = self.values[i]
        if value is _UNWRITTEN:
            if self.read[i]:
                raise errors.InvalidArgumentError(None, None, "TensorArray %s: Could not read index %d twice because "
                                                  "it was cleared after a previous read (perhaps try setting "
                                                  "clear_after_read = false?)." % (self.name, i))
            shape = self.known_shape(i)
            if shape is not None:
                return np.zeros(shape, self.dtype)        # never written, of a known shape: zeros, as TF
            raise errors.InvalidArgumentError(None, None, "TensorArray %s: Could not read from TensorArray index %d "
                                              "because it has not yet been written to." % (self.name, i))
        self.read[i] = True
        if self.clear_after_read:
            self.values[i] = _UNWRITTEN
        return value


_FLOW = np.float32(0.0)      # the value of every flow: only the graph's edges between the ops matter


@primitive("TensorArrayV3", stateful=True)
def _tensor_array_kernel(ctx, size):
    a = ctx.attrs
    array = _Array(ctx.op.name, a["dtype"].as_numpy_dtype, int(size), a["dynamic_size"], a["clear_after_read"],
                   a["element_shape"])
    array.identical = a["identical_element_shapes"]
    return array, _FLOW


@primitive("TensorArrayGradV3", stateful=True)
def _tensor_array_grad_kernel(ctx, array, flow):
    """The gradient array of ``array`` for this ``source``: made once per run, then shared."""
    source = ctx.attrs["source"]
    grad = array.grads.get(source)
    if grad is None:
        known = array.known_shape() if array.identical else None
        shape = TensorShape(known) if known is not None else array.element_shape
        grad = array.grads[source] = _Array(array.name + "_grad_" + source, array.dtype, len(array.values), False,
                                            True, shape, aggregate=True)
        grad.identical, grad.shapes = array.identical, list(array.shapes)     # each element's shape, as TF
    return grad, _FLOW


@primitive("TensorArrayWriteV3", stateful=True)
def _write_kernel(ctx, array, index, value, flow):
    array.write(index, value)
    return _FLOW


@primitive("TensorArrayReadV3", stateful=True)
def _read_kernel(ctx, array, index, flow):
    return array.get(index)


@primitive("TensorArrayGatherV3", stateful=True)
def _gather_kernel(ctx, array, indices, flow):
    values = [array.get(i) for i in np.asarray(indices).reshape(-1)]
    if not values:
        shape = ctx.attrs["element_shape"]
        if not shape.is_fully_defined():
            raise errors.InvalidArgumentError(None, ctx.op, "TensorArray has size zero, but element shape %s is not "
                                              "fully defined. Currently only static shapes are supported when packing "
                                              "zero-size TensorArrays." % shape)
        return np.zeros((0,) + shape.as_tuple(), array.dtype)
    try:
        return np.stack(values)
    except ValueError:
        shapes = sorted({np.shape(v) for v in values})
        raise errors.InvalidArgumentError(None, ctx.op, "TensorArray %s: Could not stack the elements: their shapes "
                                          "differ (%s)." % (array.name, shapes)) from None


@primitive("TensorArrayScatterV3", stateful=True)
def _scatter_kernel(ctx, array, indices, value, flow):
    indices = np.asarray(indices).reshape(-1)
    if len(indices) != len(value):
        raise errors.InvalidArgumentError(None, ctx.op, "Expected len(indices) == values.shape[0], but saw: %d vs. %d"
                                          % (len(indices), len(value)))
    for i, v in zip(indices, value):
        array.write(i, v)
    return _FLOW


@primitive("TensorArrayConcatV3", stateful=True)
def _concat_kernel(ctx, array, flow):
    values = [array.get(i) for i in range(len(array.values))]
    lengths = np.array([len(v) for v in values], np.int64)
    if not values:
        rest = ctx.attrs["element_shape_except0"]
        return np.zeros((0,) + (rest.as_tuple() if rest.is_fully_defined() else ()), array.dtype), lengths
    return np.concatenate(values), lengths


@primitive("TensorArraySplitV3", stateful=True)
def _split_kernel(ctx, array, value, lengths, flow):
    lengths = np.asarray(lengths).reshape(-1)
    if lengths.sum() != len(value):
        raise errors.InvalidArgumentError(None, ctx.op, "Expected sum of lengths to be equal to values.shape[0], but "
                                          "sum of lengths is %d and value's shape is: %s"
                                          % (lengths.sum(), list(np.shape(value))))
    start = 0
    for i, n in enumerate(lengths):
        array.write(i, value[start:start + n])
        start += n
    return _FLOW


@primitive("TensorArraySizeV3", stateful=True)
def _size_kernel(ctx, array, flow):
    return np.int32(len(array.values))


primitive("TensorArrayCloseV3", stateful=True)(lambda ctx, array: ())
for _op_type in ("TensorArrayV3", "TensorArrayGradV3", "TensorArraySizeV3", "TensorArrayCloseV3"):
    NoGradient(_op_type)

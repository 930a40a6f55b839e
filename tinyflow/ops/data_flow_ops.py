"""Stacks: where a while loop's gradient keeps the forward values it needs, one per iteration.

The backward pass of a loop runs its iterations in reverse. A gradient that needs a value the
forward loop computed (``x`` in ``d(x * y)/dy``) finds it on a stack: the forward loop pushes the
value in every iteration (``StackPushV2``), the gradient loop pops it (``StackPopV2``), last
iteration first. ``StackV2`` makes the stack; a new, empty one in every run.

TensorFlow's counterparts: ``core/ops/data_flow_ops.cc`` (``StackV2``, ``StackPushV2``,
``StackPopV2``), ``core/kernels/stack.cc``.
"""
from __future__ import annotations

from typing import Any

from .. import dtypes, errors
from ..framework import Tensor, convert_to_tensor
from ..op_def_library import make_op
from ..op_registry import NoGradient, primitive
from ..tensor_shape import TensorShape

__all__: "list[str]" = []


class _Stack(list):
    """The values of one stack in one run (a Python list: push appends, pop takes the last)."""

    __slots__ = ("name",)


def stack_v2(max_size: Any, elem_type: Any, stack_name: str = "", name: str = "StackV2") -> Tensor:
    """A new stack of ``elem_type`` values (``max_size`` -1: no limit); its output is the handle."""
    max_size = convert_to_tensor(max_size, dtype=dtypes.int32)
    return make_op("StackV2", [max_size], [dtypes.resource], name,
                   attrs={"elem_type": dtypes.as_dtype(elem_type), "stack_name": stack_name},
                   shapes=[TensorShape([])]).outputs[0]


@primitive("StackV2", stateful=True)
def _stack_kernel(ctx, max_size):
    stack = _Stack()
    stack.name = ctx.op.name
    return stack


def stack_push_v2(handle: Tensor, elem: Tensor, swap_memory: bool = False, name: str = "StackPushV2") -> Tensor:
    """Pushes ``elem`` onto the stack; outputs ``elem``."""
    return make_op("StackPushV2", [handle, elem], [elem.dtype.base_dtype], name,
                   attrs={"T": elem.dtype.base_dtype, "swap_memory": bool(swap_memory)},
                   shapes=[elem.shape]).outputs[0]


@primitive("StackPushV2", stateful=True)
def _stack_push_kernel(ctx, stack, elem):
    stack.append(elem)
    return elem


def stack_pop_v2(handle: Tensor, elem_type: Any, shape: Any = None, name: str = "StackPopV2") -> Tensor:
    """The value pushed last, taken off the stack."""
    elem_type = dtypes.as_dtype(elem_type)
    return make_op("StackPopV2", [handle], [elem_type], name, attrs={"elem_type": elem_type},
                   shapes=[shape if shape is not None else TensorShape(None)]).outputs[0]


@primitive("StackPopV2", stateful=True)
def _stack_pop_kernel(ctx, stack):
    if not stack:
        raise errors.InvalidArgumentError(None, ctx.op, "Stack[%s] is empty." % stack.name)
    return stack.pop()


for _op_type in ("StackV2", "StackPushV2", "StackPopV2"):
    NoGradient(_op_type)

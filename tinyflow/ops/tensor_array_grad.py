"""The gradients of ``tf.TensorArray``'s ops: through a *gradient array*, in reverse.

``TensorArrayGradV3`` gives each forward array one gradient array per ``gradients`` call (made
once per run, the same size), in which several writes to one index add up. The gradient of a
read is a write into it at the same index, the gradient of a write a read, a gather's a scatter,
a concat's a split, and the other way round. The gradient flow (a float scalar) orders them.

TensorFlow's counterpart: ``python/ops/tensor_array_grad.py``.
"""
from __future__ import annotations

from typing import Any

from ..framework import Tensor, control_dependencies
from ..op_registry import RegisterGradient
from . import array_ops, tensor_array_ops

__all__: "list[str]" = []


def _grad_source(t: Tensor) -> str:
    """The ``gradients`` scope a gradient tensor was built in (``gradients``, ``gradients_1``)."""
    tokens = t.name.split("/")
    positions = [i for i, token in enumerate(tokens) if token.startswith("gradients")]
    if not positions:
        raise ValueError("Expected op/tensor name to start with gradients (excluding scope), got: %s" % t.name)
    return "/".join(tokens[:positions[-1] + 1])


def _grad_array(op: Any, flow: Tensor, dtype: Any, source_of: Tensor) -> tensor_array_ops.TensorArray:
    forward = tensor_array_ops.TensorArray(dtype, handle=op.inputs[0], flow=flow)
    return forward.grad(source=_grad_source(source_of), flow=flow)


def _barrier(op: Any, flow: Tensor) -> Tensor:
    """The incoming gradient flow, made to wait for the forward write (``write_barrier``)."""
    flow_out = array_ops.identity(op.outputs[0], "flow_out")
    with control_dependencies([flow_out]):
        return array_ops.identity(flow, "write_barrier")


@RegisterGradient("TensorArrayReadV3")
def _read_grad(op, grad):
    """A read's gradient: written into the gradient array at the same index."""
    g = _grad_array(op, op.inputs[2], op.get_attr("dtype"), grad)
    return [None, None, g.write(op.inputs[1], grad).flow]


@RegisterGradient("TensorArrayWriteV3")
def _write_grad(op, flow):
    """A write's gradient: what the gradient array holds at that index."""
    flow = _barrier(op, flow)
    g = _grad_array(op, flow, op.get_attr("T"), flow)
    return [None, None, g.read(op.inputs[1]), flow]


@RegisterGradient("TensorArrayGatherV3")
def _gather_grad(op, grad):
    g = _grad_array(op, op.inputs[2], op.get_attr("dtype"), grad)
    return [None, None, g.scatter(op.inputs[1], grad).flow]


@RegisterGradient("TensorArrayScatterV3")
def _scatter_grad(op, flow):
    flow = _barrier(op, flow)
    g = _grad_array(op, flow, op.get_attr("T"), flow)
    return [None, None, g.gather(op.inputs[1]), flow]


@RegisterGradient("TensorArrayConcatV3")
def _concat_grad(op, grad, unused_lengths_grad):
    g = _grad_array(op, op.inputs[1], op.get_attr("dtype"), grad)
    return [None, g.split(grad, lengths=op.outputs[1]).flow]


@RegisterGradient("TensorArraySplitV3")
def _split_grad(op, flow):
    flow = _barrier(op, flow)
    g = _grad_array(op, flow, op.get_attr("T"), flow)
    return [None, g.concat(), None, flow]

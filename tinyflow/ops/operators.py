"""Python's operators on tensors: ``a + b``, ``a * 2.0``, ``-a``, ``a < b``, ``a @ b``, ``x[0]``.

TF1's names: ``a + b`` makes an op named ``add`` (type ``AddV2``), while ``tf.add(a, b)`` makes
one named ``Add``; ``x[0]`` makes ``strided_slice``. A Python operand is converted with the
tensor's dtype as a hint (``x + 1`` is float if x is). ``==`` and ``!=`` are *not* overloaded (as
in TF1): they compare identity, so tensors can be dict keys.

This module only attaches the operators to ``Tensor`` (``Variable`` forwards them to its
value); the ops themselves are in the other families.

TensorFlow's counterparts: ``python/ops/math_ops.py`` (``_OverrideBinaryOperatorHelper``),
``python/ops/array_ops.py`` (``_slice_helper``), ``python/framework/ops.py``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import dtypes
from ..framework import Tensor, convert_to_tensor, get_default_graph, name_scope
from ..tensor_shape import TensorShape
from . import comparison_ops, math_ops, matmul_ops, slicing_ops, unary_ops

__all__ = []


# --------------------------------------------------------------------------------------------
# Python operators on tensors (TF1's names: a + b is "add", tf.add(a, b) is "Add")
# --------------------------------------------------------------------------------------------
_NUMBER_OPERATOR_TYPES = {"add": "AddV2", "sub": "Sub", "mul": "Mul", "truediv": "RealDiv",
                          "floordiv": "FloorDiv", "mod": "FloorMod", "pow": "Pow"}
_INT_LIMITS = {dtypes.int32: 2 ** 31, dtypes.int64: 2 ** 63}


def _with_number(op_name: str, tensor: Tensor, number: Any, reflected: bool) -> "Tensor | None":
    """``tensor * 2.0`` (or ``2.0 * tensor``) built directly: learners write these in loops.

    The graph is exactly the general path's: scope ``mul``, the number as the constant
    ``mul/y`` (``mul/x`` when reflected) of the tensor's dtype, the op ``mul``. Returns None
    when this shortcut does not apply (then the general path below decides, and reports errors).
    """
    op_type = _NUMBER_OPERATOR_TYPES.get(op_name)
    dtype = tensor._dtype.base_dtype
    kind = type(number)
    if op_type is None or not (kind is float or kind is int):
        return None
    if dtype.is_floating:
        if kind is int and not -2 ** 53 <= number <= 2 ** 53:
            return None
    elif dtype in _INT_LIMITS and kind is int and op_type != "RealDiv":
        if not -_INT_LIMITS[dtype] <= number < _INT_LIMITS[dtype]:
            return None
    else:
        return None
    g, default = tensor._op._graph, get_default_graph()
    if g is not default and default.building_function:
        return None                     # a dataset function captures outer tensors: general path
    value = np.array(number, dtype=dtype.as_numpy_dtype)
    value.flags.writeable = False
    scope = g.unique_name(op_name)      # what `name_scope(None, op_name)` opens
    outer, g._name_stack = g._name_stack, scope
    try:
        const = g.create_op("Const", (), (dtype,), "x" if reflected else "y",
                            {"value": value, "dtype": dtype}, (_SCALAR,))._outputs[0]
    finally:
        g._name_stack = outer
    inputs = [const, tensor] if reflected else [tensor, const]
    return g.create_op(op_type, inputs, (dtype,), scope + "/")._outputs[0]


_SCALAR = TensorShape(())


def _binary_operator(fn, op_name: str):
    """``tensor <op> other`` and ``other <op> tensor``, as TF1's ``_OverrideBinaryOperatorHelper``.

    Both open the name scope ``op_name`` (``add``, ``add_1``, ...). A non-tensor right operand is
    converted there as ``y`` with the tensor's dtype as a *hint* (``x + 1`` is float if x is); a
    left operand (reflected form ``1 + x``) is converted as ``x`` to exactly the tensor's dtype.
    """
    def forward(self, other):
        if type(other) is Tensor:          # nothing to convert: no scope needed, same names
            return fn(self, other, name=op_name)
        if type(self) is Tensor:
            out = _with_number(op_name, self, other, reflected=False)
            if out is not None:
                return out
        with name_scope(None, op_name, [self, other]) as scope:
            if not isinstance(other, Tensor):
                try:
                    other = convert_to_tensor(other, name="y", preferred_dtype=self.dtype.base_dtype)
                except TypeError:
                    if hasattr(type(other), "__r%s__" % op_name):
                        return NotImplemented
                    raise
            return fn(self, other, name=scope)

    def reflected(self, other):
        if type(self) is Tensor:
            out = _with_number(op_name, self, other, reflected=True)
            if out is not None:
                return out
        with name_scope(None, op_name, [self, other]) as scope:
            other = convert_to_tensor(other, dtype=self.dtype.base_dtype, name="x")
            return fn(other, self, name=scope)

    forward.__name__, reflected.__name__ = "__%s__" % op_name, "__r%s__" % op_name
    return forward, reflected


_OPERATORS = {"add": math_ops.add_v2, "sub": math_ops.subtract, "mul": math_ops.multiply, "truediv": math_ops.truediv,
              "floordiv": math_ops.floordiv, "mod": math_ops.mod, "pow": math_ops.pow, "matmul": matmul_ops.matmul,
              "and": comparison_ops.logical_and, "or": comparison_ops.logical_or, "xor": comparison_ops.logical_xor}
for _name, _fn in _OPERATORS.items():
    _forward, _reflected = _binary_operator(_fn, _name)
    setattr(Tensor, "__%s__" % _name, _forward)
    setattr(Tensor, "__r%s__" % _name, _reflected)

# Unary operators and comparisons call the generated ops directly: -a is "Neg", a < b is "Less".
Tensor.__neg__ = lambda self: unary_ops.negative(self)
Tensor.__abs__ = lambda self: unary_ops.abs(self)
Tensor.__invert__ = lambda self: comparison_ops.logical_not(self)
Tensor.__lt__ = lambda self, other: comparison_ops.less(self, other)
Tensor.__le__ = lambda self, other: comparison_ops.less_equal(self, other)
Tensor.__gt__ = lambda self, other: comparison_ops.greater(self, other)
Tensor.__ge__ = lambda self, other: comparison_ops.greater_equal(self, other)
# `x[...]`: numpy-style indexing as one StridedSlice op (or tf.boolean_mask for a bool mask).
Tensor.__getitem__ = slicing_ops.slice_helper

"""Learning-rate schedules of ``tf.train``: the rate as a tensor of the global step::

    global_step = tf.train.get_or_create_global_step()
    rate = tf.train.exponential_decay(0.1, global_step, decay_steps=1000, decay_rate=0.96)
    train_op = tf.train.GradientDescentOptimizer(rate).minimize(loss, global_step=global_step)

Each is a few ops on ``global_step`` (which ``minimize`` increments), so the rate changes as
training goes on. Names are TensorFlow's (``ExponentialDecay:0``, ``PolynomialDecay:0``, ...).

TensorFlow's counterparts: ``python/training/learning_rate_decay.py`` and the Keras schedules it
calls (``python/keras/optimizer_v2/learning_rate_schedule.py``).
"""
from __future__ import annotations

import math
from typing import Any

from .framework import Tensor, convert_to_tensor, name_scope
from . import dtypes
from .ops import comparison_ops, constant_op, control_flow_case, gather_ops, math_ops, unary_ops

__all__ = ["exponential_decay", "natural_exp_decay", "inverse_time_decay", "polynomial_decay", "cosine_decay",
           "piecewise_constant"]


def _start(function: str, learning_rate: Any, global_step: Any) -> "tuple[Tensor, Any]":
    if global_step is None:
        raise ValueError("global_step is required for %s.\nFix: pass tf.train.get_or_create_global_step() (and "
                         "give it to minimize(..., global_step=...) so that it counts)." % function)
    learning_rate = convert_to_tensor(learning_rate, name="learning_rate")
    return learning_rate, learning_rate.dtype.base_dtype


def exponential_decay(learning_rate: Any, global_step: Any, decay_steps: Any, decay_rate: Any,
                      staircase: bool = False, name: "str | None" = None) -> Tensor:
    """``learning_rate * decay_rate ** (global_step / decay_steps)`` (the exponent floored if
    ``staircase``: the rate drops in steps every ``decay_steps``)."""
    with name_scope(name, "ExponentialDecay", [learning_rate, global_step, decay_steps, decay_rate]) as scope:
        learning_rate, dtype = _start("exponential_decay", learning_rate, global_step)
        p = unary_ops.cast(global_step, dtype) / unary_ops.cast(decay_steps, dtype)
        if staircase:
            p = unary_ops.floor(p)
        return math_ops.multiply(learning_rate, math_ops.pow(unary_ops.cast(decay_rate, dtype), p), name=scope)


def natural_exp_decay(learning_rate: Any, global_step: Any, decay_steps: Any, decay_rate: Any,
                      staircase: bool = False, name: "str | None" = None) -> Tensor:
    """``learning_rate * exp(-decay_rate * global_step / decay_steps)``: an exponential decay with
    rate ``e^-decay_rate`` (TensorFlow builds it as one, named ``ExponentialDecay``)."""
    if global_step is None:
        _start("natural_exp_decay", learning_rate, global_step)
    return exponential_decay(learning_rate, global_step, decay_steps, unary_ops.exp(-convert_to_tensor(
        decay_rate, dtype=convert_to_tensor(learning_rate).dtype.base_dtype)), staircase, name)


def inverse_time_decay(learning_rate: Any, global_step: Any, decay_steps: Any, decay_rate: Any,
                       staircase: bool = False, name: "str | None" = None) -> Tensor:
    """``learning_rate / (1 + decay_rate * global_step / decay_steps)`` (floored if ``staircase``)."""
    with name_scope(name, "InverseTimeDecay", [learning_rate, global_step, decay_rate]) as scope:
        learning_rate, dtype = _start("inverse_time_decay", learning_rate, global_step)
        p = unary_ops.cast(global_step, dtype) / unary_ops.cast(decay_steps, dtype)
        if staircase:
            p = unary_ops.floor(p)
        denominator = math_ops.add(1.0, math_ops.multiply(unary_ops.cast(decay_rate, dtype), p))
        return math_ops.divide(learning_rate, denominator, name=scope)


def polynomial_decay(learning_rate: Any, global_step: Any, decay_steps: Any, end_learning_rate: Any = 0.0001,
                     power: Any = 1.0, cycle: bool = False, name: "str | None" = None) -> Tensor:
    """From ``learning_rate`` down to ``end_learning_rate`` over ``decay_steps`` steps along
    ``(1 - step / decay_steps) ** power``, then constant (or, with ``cycle``, again from the top
    over the next multiple of ``decay_steps``)."""
    with name_scope(name, "PolynomialDecay", [learning_rate, global_step, decay_steps, end_learning_rate,
                                              power]) as scope:
        learning_rate, dtype = _start("polynomial_decay", learning_rate, global_step)
        end = unary_ops.cast(end_learning_rate, dtype)
        step = unary_ops.cast(global_step, dtype)
        steps = unary_ops.cast(decay_steps, dtype)
        if cycle:      # (TF picks the multiplier with tf.cond; a where gives the same numbers)
            multiplier = gather_ops.where(step <= 0.0, constant_op.constant(1.0, dtype=dtype),
                                          unary_ops.ceil(step / steps))
            steps = math_ops.multiply(steps, multiplier)
        else:
            step = math_ops.minimum(step, steps)
        p = math_ops.divide(step, steps)
        return math_ops.add(math_ops.multiply(learning_rate - end, math_ops.pow(1 - p, unary_ops.cast(power, dtype))),
                            end, name=scope)


def cosine_decay(learning_rate: Any, global_step: Any, decay_steps: Any, alpha: float = 0.0,
                 name: "str | None" = None) -> Tensor:
    """``learning_rate * ((1 - alpha) * 0.5 * (1 + cos(pi * min(step, decay_steps) / decay_steps)) + alpha)``."""
    with name_scope(name, "CosineDecay", [learning_rate, global_step]):
        learning_rate, dtype = _start("cosine_decay", learning_rate, global_step)
        steps = unary_ops.cast(decay_steps, dtype)
        step = math_ops.minimum(unary_ops.cast(global_step, dtype), steps)
        fraction = step / steps
        cosine_decayed = 0.5 * (1.0 + unary_ops.cos(constant_op.constant(math.pi, dtype=dtype) * fraction))
        decayed = (1 - alpha) * cosine_decayed + alpha
        return math_ops.multiply(learning_rate, decayed)


def piecewise_constant(x: Any, boundaries: Any, values: Any, name: "str | None" = None) -> Tensor:
    """``values[0]`` while ``x <= boundaries[0]``, ``values[1]`` while ``x <= boundaries[1]``, ...,
    ``values[-1]`` after the last boundary: a ``tf.case`` of the intervals, as TF1 builds it
    (``PiecewiseConstant/case/cond/Merge:0``)."""
    if len(boundaries) != len(values) - 1:
        raise ValueError("The length of boundaries should be 1 less than the length of values\nFix: n boundaries cut "
                         "the steps into n + 1 intervals, one value each.")
    boundaries = [convert_to_tensor(b) for b in boundaries]
    values = [convert_to_tensor(v) for v in values]
    x = convert_to_tensor(x)
    for i, b in enumerate(boundaries):
        if b.dtype.base_dtype is not x.dtype.base_dtype:
            if b.dtype.base_dtype is dtypes.int32 and x.dtype.base_dtype is dtypes.int64:
                boundaries[i] = unary_ops.cast(b, dtypes.int64)
            else:
                raise ValueError("Boundaries (%s) must have the same dtype as x (%s).\nFix: give the boundaries as "
                                 "numbers of x's kind (steps are ints: [1000, 2000])."
                                 % (b.dtype.base_dtype.name, x.dtype.base_dtype.name))
    for v in values[1:]:
        if v.dtype.base_dtype is not values[0].dtype.base_dtype:
            raise ValueError("Values must have elements all with the same dtype (%s vs %s).\nFix: write them all as "
                             "floats, e.g. [1.0, 0.5, 0.1]." % (values[0].dtype.base_dtype.name,
                                                                v.dtype.base_dtype.name))
    with name_scope(name, "PiecewiseConstant", [x] + boundaries + values):
        pairs = [(comparison_ops.less_equal(x, boundaries[0]), lambda: values[0]),
                 (comparison_ops.greater(x, boundaries[-1]), lambda: values[-1])]
        for low, high, v in zip(boundaries[:-1], boundaries[1:], values[1:-1]):
            between = comparison_ops.logical_and(comparison_ops.greater(x, low), comparison_ops.less_equal(x, high),
                                                 name="and")
            pairs.append((between, lambda v=v: v))
        return control_flow_case.case(pairs, lambda: values[0], exclusive=True)

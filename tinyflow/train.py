"""``tf.train``: optimizers, the global step, and ``Saver`` checkpoints (``saver.py``).

An optimizer turns a loss into a *training op*::

    train = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
    sess.run(train)              # one step: every trainable variable moves against its gradient

``minimize`` is two steps that can also be called separately:

1. ``compute_gradients(loss)``: ``tf.gradients(loss, variables)`` as ``(gradient, variable)`` pairs;
2. ``apply_gradients(pairs)``: one update op per variable (``GradientDescent/update_w/
   ApplyGradientDescent``), grouped into a NoOp named after the optimizer (``GradientDescent``).

The update ops are graph ops like any other; their kernels read and write the variables in
the session. Optimizers with memory (momentum, Adam, ...) keep it in *slot* variables, one per
trained variable (``w/Momentum:0``), created by ``apply_gradients``; so create
``tf.global_variables_initializer()`` *after* ``minimize``.

Within one ``sess.run((train, loss))`` each op runs once, in creation order: the loss (built
before the optimizer) is computed from the old values, then the updates write new ones, so
the fetched loss is the loss *before* the step, as in TensorFlow.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from .not_provided import module_getattr
from . import dtypes, errors
from .framework import GraphKeys, Operation, Tensor, convert_to_tensor, get_default_graph, name_scope
from .gradients import gradients
from .init_ops import Constant, Ones, Zeros
from .learning_rate_decay import (cosine_decay, exponential_decay, inverse_time_decay, piecewise_constant,  # noqa: F401
                                  natural_exp_decay, polynomial_decay)
from .op_registry import NoGradient, VariableRef, primitive
from .ops import control_flow_ops, math_ops, unary_ops
from .ops.control_flow_ops import group
from .saver import (CheckpointState, Saver, checkpoint_exists, get_checkpoint_state,  # noqa: F401 (tf.train.*)
                    latest_checkpoint)
from .tensor_shape import ShapeError, TensorShape, merge_problem
from .variable_scope import get_variable, variable_scope
from .variables import (Variable, assign, assign_add, assign_sub, global_variables, moving_average_variables,
                        trainable_variables)

__all__ = [
    "Optimizer", "GradientDescentOptimizer", "MomentumOptimizer", "AdamOptimizer", "RMSPropOptimizer",
    "AdagradOptimizer", "AdadeltaOptimizer", "FtrlOptimizer", "ProximalGradientDescentOptimizer",
    "ProximalAdagradOptimizer", "ExponentialMovingAverage", "Saver", "latest_checkpoint", "get_checkpoint_state",
    "checkpoint_exists",
    "global_step", "get_global_step", "create_global_step", "get_or_create_global_step",
    "assert_global_step", "replica_device_setter", "exponential_decay", "natural_exp_decay", "inverse_time_decay",
    "polynomial_decay", "cosine_decay", "piecewise_constant",
]


# --------------------------------------------------------------------------------------------
# Update kernels: one op per variable and step
# --------------------------------------------------------------------------------------------
def _state(ctx, ref: Any, i: int) -> VariableRef:
    """Input ``i`` as a writable variable handle (it cannot be a fed value)."""
    if type(ref) is not VariableRef:
        raise errors.InvalidArgumentError(
            None, ctx.op, "Cannot update variable %s: its value was fed in this run (a fed value cannot be "
            "written to). Fix: do not feed variables when running a training op." % ctx.op.inputs[i].op.name)
    return ref


def _check_grad(ctx, var: np.ndarray, grad: Any) -> Any:
    if var.shape != (grad.shape if type(grad) is np.ndarray else np.shape(grad)):
        raise errors.InvalidArgumentError(
            None, ctx.op, "var and grad do not have the same shape%s %s"
            % (TensorShape(var.shape).debug_string(), TensorShape(np.shape(grad)).debug_string()))
    return grad


def _update_rule(*scalars: int) -> Callable:
    """The shape rule of an update op: inputs at the ``scalars`` positions (learning rate, decay
    rates, ...) must be scalars, every other input (slots, the gradient) must have the variable's
    shape; the output has it (TensorFlow's ``ApplyGradientDescent``... shape functions)."""
    def rule(op: Operation) -> TensorShape:
        shape = op.inputs[0].shape
        for i, t in enumerate(op.inputs[1:], 1):
            if i in scalars:
                if t.shape.ndims not in (None, 0):
                    raise ShapeError("Shape must be rank 0 but is rank %d" % t.shape.ndims,
                                     "Fix: the learning rate and the optimizer's other settings are numbers "
                                     "(scalars), e.g. 0.01, not lists.")
                continue
            problem = merge_problem(shape, t.shape)
            if problem:
                raise ShapeError(problem, "Fix: a variable's gradient (and each slot) has the variable's shape.")
            shape = shape.merge_with(t.shape)
        return shape
    return rule


def _apply_op(op_type: str, refs: "list[Variable]", inputs: "list[Tensor]", attrs: dict) -> Operation:
    """Creates ``op_type(var, slots..., hyperparameters..., grad)`` named ``op_type`` in the current scope."""
    var = refs[0]
    return var.graph.create_op(op_type, [v._ref() for v in refs] + list(inputs), [var.dtype],
                               name=op_type, attrs=dict(attrs, T=var.dtype.base_dtype))


@primitive("ApplyGradientDescent", shape=_update_rule(1), stateful=True)
def _apply_gradient_descent_kernel(ctx, var, alpha, delta):
    """``var -= alpha * delta``."""
    var = _state(ctx, var, 0)
    old = var.read()
    return var.write(old - _check_grad(ctx, old, delta) * alpha, owned=True)


@primitive("ApplyMomentum", shape=_update_rule(2, 4), stateful=True)
def _apply_momentum_kernel(ctx, var, accum, lr, grad, momentum):
    """``accum = accum * momentum + grad``; ``var -= lr * accum``
    (Nesterov: ``var -= lr * grad + lr * momentum * accum``, with the new accum)."""
    var, accum = _state(ctx, var, 0), _state(ctx, accum, 1)
    old = var.read()
    grad = _check_grad(ctx, old, grad)
    new_accum = accum.read() * momentum + grad
    if ctx.attrs["use_nesterov"]:
        new_var = old - (grad * lr + new_accum * momentum * lr)
    else:
        new_var = old - new_accum * lr
    accum.write(new_accum, owned=True)
    return var.write(new_var, owned=True)


@primitive("ApplyAdam", shape=_update_rule(3, 4, 5, 6, 7, 8), stateful=True)
def _apply_adam_kernel(ctx, var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad):
    """``lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)``;
    ``m += (1 - beta1) (g - m)``; ``v += (1 - beta2) (g^2 - v)``; ``var -= lr_t m / (sqrt(v) + eps)``."""
    var, m, v = _state(ctx, var, 0), _state(ctx, m, 1), _state(ctx, v, 2)
    old = var.read()
    grad = _check_grad(ctx, old, grad)
    alpha = lr * np.sqrt(1 - beta2_power) / (1 - beta1_power)
    new_m = m.read() + (grad - m.read()) * (1 - beta1)
    new_v = v.read() + (np.square(grad) - v.read()) * (1 - beta2)
    if ctx.attrs["use_nesterov"]:
        step = (grad * (1 - beta1) + new_m * beta1) * alpha / (np.sqrt(new_v) + epsilon)
    else:
        step = new_m * alpha / (np.sqrt(new_v) + epsilon)
    m.write(new_m, owned=True)
    v.write(new_v, owned=True)
    return var.write(old - step, owned=True)


@primitive("ApplyRMSProp", shape=_update_rule(3, 4, 5, 6), stateful=True)
def _apply_rms_prop_kernel(ctx, var, ms, mom, lr, rho, momentum, epsilon, grad):
    """``ms += (1 - rho) (g^2 - ms)``; ``mom = momentum * mom + lr g / sqrt(ms + eps)``; ``var -= mom``."""
    var, ms, mom = _state(ctx, var, 0), _state(ctx, ms, 1), _state(ctx, mom, 2)
    old = var.read()
    grad = _check_grad(ctx, old, grad)
    new_ms = ms.read() + (np.square(grad) - ms.read()) * (1 - rho)
    new_mom = mom.read() * momentum + grad * lr / np.sqrt(new_ms + epsilon)
    ms.write(new_ms, owned=True)
    mom.write(new_mom, owned=True)
    return var.write(old - new_mom, owned=True)


@primitive("ApplyCenteredRMSProp", shape=_update_rule(4, 5, 6, 7), stateful=True)
def _apply_centered_rms_prop_kernel(ctx, var, mg, ms, mom, lr, rho, momentum, epsilon, grad):
    """RMSProp that divides by an estimate of the *variance*: also ``mg += (1 - rho) (g - mg)``,
    and ``mom = momentum * mom + lr g / sqrt(ms - mg^2 + eps)``."""
    var, mg, ms, mom = (_state(ctx, r, i) for i, r in enumerate((var, mg, ms, mom)))
    old = var.read()
    grad = _check_grad(ctx, old, grad)
    new_ms = ms.read() + (np.square(grad) - ms.read()) * (1 - rho)
    new_mg = mg.read() + (grad - mg.read()) * (1 - rho)
    new_mom = mom.read() * momentum + grad * lr / np.sqrt(new_ms - np.square(new_mg) + epsilon)
    ms.write(new_ms, owned=True)
    mg.write(new_mg, owned=True)
    mom.write(new_mom, owned=True)
    return var.write(old - new_mom, owned=True)


@primitive("ApplyAdagrad", shape=_update_rule(2), stateful=True)
def _apply_adagrad_kernel(ctx, var, accum, lr, grad):
    """``accum += g^2``; ``var -= lr g / sqrt(accum)``."""
    var, accum = _state(ctx, var, 0), _state(ctx, accum, 1)
    old = var.read()
    grad = _check_grad(ctx, old, grad)
    new_accum = accum.read() + np.square(grad)
    accum.write(new_accum, owned=True)
    return var.write(old - grad * lr / np.sqrt(new_accum), owned=True)


@primitive("ApplyAdadelta", shape=_update_rule(3, 4, 5), stateful=True)
def _apply_adadelta_kernel(ctx, var, accum, accum_update, lr, rho, epsilon, grad):
    """``accum = rho accum + (1 - rho) g^2``; ``u = sqrt(accum_update + eps) / sqrt(accum + eps) g``;
    ``accum_update = rho accum_update + (1 - rho) u^2``; ``var -= lr u``."""
    var, accum, accum_update = _state(ctx, var, 0), _state(ctx, accum, 1), _state(ctx, accum_update, 2)
    old = var.read()
    grad = _check_grad(ctx, old, grad)
    new_accum = accum.read() * rho + np.square(grad) * (1 - rho)
    update = np.sqrt(accum_update.read() + epsilon) / np.sqrt(new_accum + epsilon) * grad
    accum.write(new_accum, owned=True)
    accum_update.write(accum_update.read() * rho + np.square(update) * (1 - rho), owned=True)
    return var.write(old - update * lr, owned=True)


def _ftrl(ctx, var, accum, linear, grad, lr, l1, l2, lr_power, l2_shrinkage=None):
    """FTRL-proximal (TensorFlow's ``ApplyFtrl``), with ``p = -lr_power``:
    ``n = accum + g^2``; ``linear += g' - (n^p - accum^p) / lr * var`` (``g' = g + 2 l2_shrinkage var``);
    ``var = (sign(linear) l1 - linear) / (n^p / lr + 2 l2)`` where ``|linear| > l1``, else 0."""
    var, accum, linear = _state(ctx, var, 0), _state(ctx, accum, 1), _state(ctx, linear, 2)
    old = var.read()
    grad = _check_grad(ctx, old, grad)
    shrunk = grad if l2_shrinkage is None else grad + old * (2 * l2_shrinkage)
    old_accum = accum.read()
    new_accum = old_accum + np.square(grad)
    if lr_power == -0.5:
        new_power, old_power = np.sqrt(new_accum), np.sqrt(old_accum)
    else:
        new_power, old_power = np.power(new_accum, -lr_power), np.power(old_accum, -lr_power)
    new_linear = linear.read() + shrunk - (new_power - old_power) / lr * old
    quadratic = new_power / lr + 2 * l2
    new_var = np.where(np.abs(new_linear) > l1, (np.sign(new_linear) * l1 - new_linear) / quadratic, 0)
    accum.write(new_accum, owned=True)
    linear.write(new_linear, owned=True)
    return var.write(new_var.astype(old.dtype, copy=False), owned=True)


@primitive("ApplyFtrl", shape=_update_rule(4, 5, 6, 7), stateful=True)
def _apply_ftrl_kernel(ctx, var, accum, linear, grad, lr, l1, l2, lr_power):
    return _ftrl(ctx, var, accum, linear, grad, lr, l1, l2, lr_power)


@primitive("ApplyFtrlV2", shape=_update_rule(4, 5, 6, 7, 8), stateful=True)
def _apply_ftrl_v2_kernel(ctx, var, accum, linear, grad, lr, l1, l2, l2_shrinkage, lr_power):
    return _ftrl(ctx, var, accum, linear, grad, lr, l1, l2, lr_power, l2_shrinkage)


def _proximal(prox_var: np.ndarray, lr: Any, l1: Any, l2: Any) -> np.ndarray:
    """The proximal step: soft-threshold by ``lr l1`` (if ``l1 > 0``), then shrink by ``1 + lr l2``."""
    if l1 > 0:
        prox_var = np.sign(prox_var) * np.maximum(np.abs(prox_var) - lr * l1, 0)
    return (prox_var / (1 + lr * l2)).astype(prox_var.dtype, copy=False)


@primitive("ApplyProximalGradientDescent", shape=_update_rule(1, 2, 3), stateful=True)
def _apply_proximal_gradient_descent_kernel(ctx, var, alpha, l1, l2, delta):
    """``var = prox(var - alpha delta)`` with the step ``alpha``."""
    var = _state(ctx, var, 0)
    old = var.read()
    return var.write(_proximal(old - _check_grad(ctx, old, delta) * alpha, alpha, l1, l2), owned=True)


@primitive("ApplyProximalAdagrad", shape=_update_rule(2, 3, 4), stateful=True)
def _apply_proximal_adagrad_kernel(ctx, var, accum, lr, l1, l2, grad):
    """``accum += g^2``; ``var = prox(var - lr g / sqrt(accum))`` with the step ``lr / sqrt(accum)``."""
    var, accum = _state(ctx, var, 0), _state(ctx, accum, 1)
    old = var.read()
    grad = _check_grad(ctx, old, grad)
    new_accum = accum.read() + np.square(grad)
    step = lr / np.sqrt(new_accum)
    accum.write(new_accum, owned=True)
    return var.write(_proximal(old - grad * step, step, l1, l2), owned=True)


for _op_type in ("ApplyGradientDescent", "ApplyMomentum", "ApplyAdam", "ApplyRMSProp", "ApplyCenteredRMSProp",
                 "ApplyAdagrad", "ApplyAdadelta", "ApplyFtrl", "ApplyFtrlV2", "ApplyProximalGradientDescent",
                 "ApplyProximalAdagrad"):
    NoGradient(_op_type)


# --------------------------------------------------------------------------------------------
# Optimizer
# --------------------------------------------------------------------------------------------
def _as_var_dtype(t: Any, var: Variable) -> Tensor:
    """A hyperparameter tensor in the variable's dtype (a Cast op only when needed)."""
    t = convert_to_tensor(t)
    dtype = var.dtype.base_dtype
    return t if t.dtype.base_dtype is dtype else unary_ops.cast(t, dtype)


class Optimizer:
    """Base class: ``minimize`` = ``compute_gradients`` + ``apply_gradients``.

    A subclass sets its hyperparameter tensors in ``_prepare``, makes its slot variables in
    ``_create_slots`` and builds one update op per variable in ``_apply_dense``.
    """

    GATE_NONE = 0
    GATE_OP = 1
    GATE_GRAPH = 2

    def __init__(self, use_locking: bool, name: str):
        if not name:
            raise ValueError("Must specify the optimizer name")
        self._use_locking = use_locking
        self._name = name
        self._slots: "dict[str, dict[Variable, Variable]]" = {}      # slot name -> {variable: slot}
        self._non_slot_dict: "dict[tuple, Variable]" = {}            # (name, graph) -> variable

    def get_name(self) -> str:
        return self._name

    # --- the two steps ---------------------------------------------------
    def minimize(self, loss: Tensor, global_step: Any = None, var_list: "Sequence[Variable] | None" = None,
                 gate_gradients: int = GATE_OP, aggregation_method: Any = None,
                 colocate_gradients_with_ops: bool = False, name: "str | None" = None,
                 grad_loss: Any = None) -> Operation:
        """Adds ops that compute the gradients of ``loss`` and move the variables one step down.

        Returns the training op; ``sess.run(train_op)`` does one step (and returns None).
        With ``global_step`` (an int64 variable) each step also adds 1 to it.
        """
        grads_and_vars = self.compute_gradients(
            loss, var_list=var_list, gate_gradients=gate_gradients, aggregation_method=aggregation_method,
            colocate_gradients_with_ops=colocate_gradients_with_ops, grad_loss=grad_loss)
        if not any(g is not None for g, _ in grads_and_vars):
            raise ValueError(
                "No gradients provided for any variable, check your graph for ops that do not support "
                "gradients, between variables %s and loss %s.\n"
                "Fix (tinyflow): the loss must depend on the variables through differentiable ops; "
                "tf.gradients(loss, var) is None for each of them."
                % ([str(v) for _, v in grads_and_vars], loss))
        return self.apply_gradients(grads_and_vars, global_step=global_step, name=name)

    def compute_gradients(self, loss: Tensor, var_list: "Sequence[Variable] | None" = None,
                          gate_gradients: int = GATE_OP, aggregation_method: Any = None,
                          colocate_gradients_with_ops: bool = False,
                          grad_loss: Any = None) -> "list[tuple[Tensor | None, Variable]]":
        """``[(d loss / d v, v) for v in var_list]``; the gradient is None where ``loss`` does not
        depend on ``v``. ``var_list`` defaults to ``tf.trainable_variables()``."""
        if callable(loss) and not isinstance(loss, (Tensor, Variable)):
            raise NotImplementedError("tinyflow runs in graph mode: pass the loss tensor, not a function.")
        if gate_gradients not in (Optimizer.GATE_NONE, Optimizer.GATE_OP, Optimizer.GATE_GRAPH):
            raise ValueError("gate_gradients must be one of: Optimizer.GATE_NONE, Optimizer.GATE_OP, "
                             "Optimizer.GATE_GRAPH.  Not %s" % gate_gradients)
        loss = convert_to_tensor(loss)
        self._assert_valid_dtypes([loss])
        if grad_loss is not None:
            self._assert_valid_dtypes([convert_to_tensor(grad_loss)])
        if var_list is None:
            var_list = trainable_variables()
        else:
            var_list = list(var_list.values()) if isinstance(var_list, dict) else list(var_list)
        if not var_list:
            raise ValueError("No variables to optimize.")
        for v in var_list:
            if not isinstance(v, Variable):
                raise TypeError("Argument is not a tf.Variable: %s" % (v,))
        grads = gradients(loss, var_list, grad_ys=grad_loss, gate_gradients=gate_gradients == Optimizer.GATE_OP,
                          aggregation_method=aggregation_method,
                          colocate_gradients_with_ops=colocate_gradients_with_ops)
        if gate_gradients == Optimizer.GATE_GRAPH:   # no update starts before every gradient is done
            grads = control_flow_ops.tuple(grads)
        grads_and_vars = list(zip(grads, var_list))
        self._assert_valid_dtypes([v for g, v in grads_and_vars if g is not None])
        return grads_and_vars

    def apply_gradients(self, grads_and_vars: Any, global_step: Any = None,
                        name: "str | None" = None) -> Operation:
        """Adds one update op per ``(gradient, variable)`` pair (None gradients are skipped),
        grouped into one op named ``name`` (default: the optimizer's name)."""
        grads_and_vars = tuple(grads_and_vars)
        if not grads_and_vars:
            raise ValueError("No variables provided.")
        converted = []
        for g, v in grads_and_vars:
            if g is not None:
                try:
                    g = convert_to_tensor(g)
                except (TypeError, ValueError):
                    raise TypeError("Gradient must be convertible to a Tensor or IndexedSlices, or None: %s"
                                    % (g,)) from None
            if not isinstance(v, Variable):
                raise TypeError("Argument is not a tf.Variable: %s" % (v,))
            converted.append((g, v))
        var_list = [v for g, v in converted if g is not None]
        if not var_list:
            raise ValueError("No gradients provided for any variable: %s." % ([str(v) for _, v in converted],))
        graph = var_list[0].graph
        with graph.as_default(), graph.control_dependencies(None):
            self._create_slots(var_list)        # variables ignore surrounding control dependencies
        update_ops = []
        with graph.as_default(), name_scope(name, self._name) as scope:
            self._prepare()
            for grad, var in converted:
                if grad is None:
                    continue
                with name_scope("update_" + var.op.name):
                    update_ops.append(self._update_op(grad, var))
            if global_step is None:
                apply_updates = self._finish(update_ops, scope)
            else:
                with graph.control_dependencies([self._finish(update_ops, "update")]):
                    apply_updates = assign_add(global_step, 1, name=scope).op
        train_ops = graph.get_collection_ref(GraphKeys.TRAIN_OP)
        if apply_updates not in train_ops:
            train_ops.append(apply_updates)
        return apply_updates

    def _update_op(self, grad: Tensor, var: Variable) -> Operation:
        """The update of one variable, then its constraint (if it has one) on the new value."""
        update = self._apply_dense(grad, var)
        if var.constraint is None:
            return update
        with var.graph.control_dependencies([update]):
            return var.assign(var.constraint(var.read_value())).op

    # --- what subclasses implement ---------------------------------------
    def _create_slots(self, var_list: "list[Variable]") -> None:
        pass

    def _prepare(self) -> None:
        pass

    def _apply_dense(self, grad: Tensor, var: Variable) -> Operation:
        raise NotImplementedError()

    def _finish(self, update_ops: "list[Operation]", name_scope: str) -> Operation:
        return group(*update_ops, name=name_scope)

    def _valid_dtypes(self) -> "list[dtypes.DType]":
        return [dtypes.float32, dtypes.float64, dtypes.float16]

    def _assert_valid_dtypes(self, tensors: list) -> None:
        valid = self._valid_dtypes()
        for t in tensors:
            dtype = t.dtype.base_dtype
            if dtype not in valid:
                raise ValueError("Invalid type %r for %s, expected: [tf.float32, tf.float64, tf.float16, "
                                 "tf.bfloat16].\nFix (tinyflow): only float tensors have gradients; build the "
                                 "loss and the variables as floats (e.g. tf.cast(x, tf.float32))."
                                 % (dtype, t.name))

    # --- slots -----------------------------------------------------------
    def get_slot(self, var: Variable, name: str) -> "Variable | None":
        """The slot variable ``name`` (e.g. ``"momentum"``) of ``var``, or None."""
        return self._slots.get(name, {}).get(var)

    def get_slot_names(self) -> "list[str]":
        return sorted(self._slots)

    def variables(self) -> "list[Variable]":
        """The optimizer's own variables (slots and e.g. Adam's beta powers), sorted by name."""
        graph = get_default_graph()
        found = [v for (_, g), v in self._non_slot_dict.items() if g is graph]
        found += [s for slots in self._slots.values() for s in slots.values() if s.graph is graph]
        return sorted(found, key=lambda v: v.name)

    def _slot_variable(self, var: Variable, initializer: Any, slot_name: str, op_name: str,
                       dtype: Any = None) -> Variable:
        """Gets or makes the slot ``slot_name`` of ``var``: a non-trainable variable of the same
        shape named ``<var>/<optimizer name>`` (``w/Adam``, then ``w/Adam_1``, ...)."""
        named = self._slots.setdefault(slot_name, {})
        if var not in named:
            with variable_scope(None, default_name=var.op.name + "/" + op_name):
                named[var] = get_variable("", shape=var.shape, dtype=dtype or var.dtype.base_dtype,
                                          initializer=initializer, trainable=False)
        return named[var]

    def _zeros_slot(self, var: Variable, slot_name: str, op_name: str) -> Variable:
        return self._slot_variable(var, Zeros(), slot_name, op_name)

    def _create_non_slot_variable(self, initial_value: Any, name: str, colocate_with: Variable) -> Variable:
        """A variable of the optimizer itself (not per variable), made once per graph."""
        key = (name, colocate_with.graph)
        if key not in self._non_slot_dict:
            self._non_slot_dict[key] = Variable(initial_value, name=name, trainable=False)
        return self._non_slot_dict[key]

    def _get_non_slot_variable(self, name: str, graph: Any = None) -> "Variable | None":
        return self._non_slot_dict.get((name, graph or get_default_graph()))

    @staticmethod
    def _call_if_callable(param: Any) -> Any:
        return param() if callable(param) else param


class GradientDescentOptimizer(Optimizer):
    """Plain gradient descent: ``var -= learning_rate * gradient``."""

    def __init__(self, learning_rate: Any, use_locking: bool = False, name: str = "GradientDescent"):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate

    def _prepare(self):
        self._learning_rate_tensor = convert_to_tensor(self._call_if_callable(self._learning_rate),
                                                       name="learning_rate")

    def _apply_dense(self, grad, var):
        return _apply_op("ApplyGradientDescent", [var], [_as_var_dtype(self._learning_rate_tensor, var), grad],
                         {"use_locking": self._use_locking})


class MomentumOptimizer(Optimizer):
    """Gradient descent with momentum: ``accum = momentum * accum + grad``; ``var -= lr * accum``.

    The slot ``"momentum"`` (variable ``w/Momentum``) holds ``accum``, which starts at zero.
    """

    def __init__(self, learning_rate: Any, momentum: Any, use_locking: bool = False, name: str = "Momentum",
                 use_nesterov: bool = False):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._momentum = momentum
        self._use_nesterov = use_nesterov

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "momentum", self._name)

    def _prepare(self):
        self._learning_rate_tensor = convert_to_tensor(self._call_if_callable(self._learning_rate),
                                                       name="learning_rate")
        self._momentum_tensor = convert_to_tensor(self._call_if_callable(self._momentum), name="momentum")

    def _apply_dense(self, grad, var):
        return _apply_op("ApplyMomentum", [var, self.get_slot(var, "momentum")],
                         [_as_var_dtype(self._learning_rate_tensor, var), grad,
                          _as_var_dtype(self._momentum_tensor, var)],
                         {"use_locking": self._use_locking, "use_nesterov": self._use_nesterov})


class AdamOptimizer(Optimizer):
    """Adam: momentum (``m``, the mean of recent gradients) divided by the root of ``v`` (the mean
    of their squares), with bias corrections through ``beta1_power = beta1^t`` and ``beta2_power``.

    Slots ``"m"`` and ``"v"`` (``w/Adam``, ``w/Adam_1``); ``beta1_power`` and ``beta2_power`` are
    two extra variables shared by all the trained variables.
    """

    def __init__(self, learning_rate: Any = 0.001, beta1: Any = 0.9, beta2: Any = 0.999, epsilon: Any = 1e-8,
                 use_locking: bool = False, name: str = "Adam"):
        super().__init__(use_locking, name)
        self._lr, self._beta1, self._beta2, self._epsilon = learning_rate, beta1, beta2, epsilon

    def _get_beta_accumulators(self) -> "tuple[Variable, Variable]":
        return self._get_non_slot_variable("beta1_power"), self._get_non_slot_variable("beta2_power")

    def _create_slots(self, var_list):
        first_var = min(var_list, key=lambda v: v.name)
        self._create_non_slot_variable(self._call_if_callable(self._beta1), "beta1_power", first_var)
        self._create_non_slot_variable(self._call_if_callable(self._beta2), "beta2_power", first_var)
        for v in var_list:
            self._zeros_slot(v, "m", self._name)
            self._zeros_slot(v, "v", self._name)

    def _prepare(self):
        self._lr_t = convert_to_tensor(self._call_if_callable(self._lr), name="learning_rate")
        self._beta1_t = convert_to_tensor(self._call_if_callable(self._beta1), name="beta1")
        self._beta2_t = convert_to_tensor(self._call_if_callable(self._beta2), name="beta2")
        self._epsilon_t = convert_to_tensor(self._call_if_callable(self._epsilon), name="epsilon")

    def _apply_dense(self, grad, var):
        beta1_power, beta2_power = self._get_beta_accumulators()
        hyper = [beta1_power, beta2_power, self._lr_t, self._beta1_t, self._beta2_t, self._epsilon_t]
        return _apply_op("ApplyAdam", [var, self.get_slot(var, "m"), self.get_slot(var, "v")],
                         [_as_var_dtype(h, var) for h in hyper] + [grad],
                         {"use_locking": self._use_locking, "use_nesterov": False})

    def _finish(self, update_ops, name_scope):
        """After all the updates: ``beta1_power *= beta1``, ``beta2_power *= beta2``."""
        with get_default_graph().control_dependencies(update_ops):
            beta1_power, beta2_power = self._get_beta_accumulators()
            update_beta1 = beta1_power.assign(beta1_power * self._beta1_t, use_locking=self._use_locking)
            update_beta2 = beta2_power.assign(beta2_power * self._beta2_t, use_locking=self._use_locking)
        return group(*update_ops + [update_beta1, update_beta2], name=name_scope)


class RMSPropOptimizer(Optimizer):
    """RMSProp: divides each gradient by the root of a moving average of its squares.

    Slots: ``"rms"`` (``w/RMSProp``, starts at **ones**), ``"mg"`` (only when ``centered``:
    the moving average of the gradients) and ``"momentum"`` (starts at zero).
    """

    def __init__(self, learning_rate: Any, decay: Any = 0.9, momentum: Any = 0.0, epsilon: Any = 1e-10,
                 use_locking: bool = False, centered: bool = False, name: str = "RMSProp"):
        super().__init__(use_locking, name)
        self._learning_rate, self._decay, self._momentum, self._epsilon = learning_rate, decay, momentum, epsilon
        self._centered = centered

    def _create_slots(self, var_list):
        for v in var_list:
            self._slot_variable(v, Ones(), "rms", self._name)
            if self._centered:
                self._zeros_slot(v, "mg", self._name)
            self._zeros_slot(v, "momentum", self._name)

    def _prepare(self):
        self._learning_rate_tensor = convert_to_tensor(self._call_if_callable(self._learning_rate),
                                                       name="learning_rate")
        self._decay_tensor = convert_to_tensor(self._call_if_callable(self._decay), name="decay")
        self._momentum_tensor = convert_to_tensor(self._call_if_callable(self._momentum), name="momentum")
        self._epsilon_tensor = convert_to_tensor(self._call_if_callable(self._epsilon), name="epsilon")

    def _apply_dense(self, grad, var):
        hyper = [_as_var_dtype(t, var) for t in (self._learning_rate_tensor, self._decay_tensor,
                                                  self._momentum_tensor, self._epsilon_tensor)]
        rms, mom = self.get_slot(var, "rms"), self.get_slot(var, "momentum")
        if self._centered:
            return _apply_op("ApplyCenteredRMSProp", [var, self.get_slot(var, "mg"), rms, mom], hyper + [grad],
                             {"use_locking": self._use_locking})
        return _apply_op("ApplyRMSProp", [var, rms, mom], hyper + [grad], {"use_locking": self._use_locking})


class AdagradOptimizer(Optimizer):
    """Adagrad: ``accum += grad^2``; ``var -= lr * grad / sqrt(accum)``: steps shrink for
    variables that have had large gradients. Slot ``"accumulator"`` (``w/Adagrad``)."""

    def __init__(self, learning_rate: Any, initial_accumulator_value: float = 0.1, use_locking: bool = False,
                 name: str = "Adagrad"):
        if initial_accumulator_value <= 0.0:
            raise ValueError("initial_accumulator_value must be positive: %s" % initial_accumulator_value)
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial_accumulator_value = initial_accumulator_value

    def _create_slots(self, var_list):
        for v in var_list:
            init = Constant(self._initial_accumulator_value, dtype=v.dtype.base_dtype)
            self._slot_variable(v, init, "accumulator", self._name)

    def _prepare(self):
        self._learning_rate_tensor = convert_to_tensor(self._call_if_callable(self._learning_rate),
                                                       name="learning_rate")

    def _apply_dense(self, grad, var):
        return _apply_op("ApplyAdagrad", [var, self.get_slot(var, "accumulator")],
                         [_as_var_dtype(self._learning_rate_tensor, var), grad],
                         {"use_locking": self._use_locking, "update_slots": True})


class AdadeltaOptimizer(Optimizer):
    """Adadelta: steps scaled by the ratio of two moving averages, of the squared updates and of
    the squared gradients. Slots ``"accum"`` and ``"accum_update"`` (``w/Adadelta``, ``w/Adadelta_1``)."""

    def __init__(self, learning_rate: Any = 0.001, rho: Any = 0.95, epsilon: Any = 1e-8, use_locking: bool = False,
                 name: str = "Adadelta"):
        super().__init__(use_locking, name)
        self._lr, self._rho, self._epsilon = learning_rate, rho, epsilon

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "accum", self._name)
            self._zeros_slot(v, "accum_update", self._name)

    def _prepare(self):
        self._lr_t = convert_to_tensor(self._call_if_callable(self._lr), name="lr")
        self._rho_t = convert_to_tensor(self._call_if_callable(self._rho), name="rho")
        self._epsilon_t = convert_to_tensor(self._call_if_callable(self._epsilon), name="epsilon")

    def _apply_dense(self, grad, var):
        hyper = [_as_var_dtype(t, var) for t in (self._lr_t, self._rho_t, self._epsilon_t)]
        return _apply_op("ApplyAdadelta", [var, self.get_slot(var, "accum"), self.get_slot(var, "accum_update")],
                         hyper + [grad], {"use_locking": self._use_locking})


class FtrlOptimizer(Optimizer):
    """FTRL-proximal ("Follow the regularized leader", McMahan et al. 2013), with L1 and L2
    regularization applied in closed form (L1 makes exact zeros). Slots ``"accum"`` (the sum of
    squared gradients, ``w/Ftrl``, starting at ``initial_accumulator_value``) and ``"linear"``
    (``w/Ftrl_1``). With ``l2_shrinkage_regularization_strength`` the op is ``ApplyFtrlV2``."""

    def __init__(self, learning_rate: Any, learning_rate_power: float = -0.5, initial_accumulator_value: float = 0.1,
                 l1_regularization_strength: float = 0.0, l2_regularization_strength: float = 0.0,
                 use_locking: bool = False, name: str = "Ftrl", accum_name: "str | None" = None,
                 linear_name: "str | None" = None, l2_shrinkage_regularization_strength: float = 0.0):
        super().__init__(use_locking, name)
        if learning_rate_power > 0.0:
            raise ValueError("learning_rate_power %f needs to be negative or zero" % learning_rate_power)
        for what, value in (("initial_accumulator_value", initial_accumulator_value),
                            ("l1_regularization_strength", l1_regularization_strength),
                            ("l2_regularization_strength", l2_regularization_strength),
                            ("l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength)):
            if value < 0.0:
                raise ValueError("%s %f needs to be positive or zero" % (what, value))
        self._learning_rate = learning_rate
        self._learning_rate_power = learning_rate_power
        self._initial_accumulator_value = initial_accumulator_value
        self._l1 = l1_regularization_strength
        self._l2 = l2_regularization_strength
        self._l2_shrinkage = l2_shrinkage_regularization_strength
        self._accum_name, self._linear_name = accum_name, linear_name

    def _create_slots(self, var_list):
        for v in var_list:
            init = Constant(self._initial_accumulator_value, dtype=v.dtype.base_dtype)
            self._slot_variable(v, init, "accum", self._accum_name or self._name)
            self._zeros_slot(v, "linear", self._linear_name or self._name)

    def _prepare(self):
        self._learning_rate_tensor = convert_to_tensor(self._call_if_callable(self._learning_rate),
                                                       name="learning_rate")
        self._l1_tensor = convert_to_tensor(self._l1, name="l1_regularization_strength")
        self._l2_tensor = convert_to_tensor(self._l2, name="l2_regularization_strength")
        self._l2_shrinkage_tensor = convert_to_tensor(self._l2_shrinkage, name="l2_shrinkage_regularization_strength")
        self._learning_rate_power_tensor = convert_to_tensor(self._learning_rate_power, name="learning_rate_power")

    def _apply_dense(self, grad, var):
        refs = [var, self.get_slot(var, "accum"), self.get_slot(var, "linear")]
        hyper = [self._learning_rate_tensor, self._l1_tensor, self._l2_tensor]
        if self._l2_shrinkage > 0.0:
            hyper.append(self._l2_shrinkage_tensor)
        hyper = [_as_var_dtype(t, var) for t in hyper + [self._learning_rate_power_tensor]]
        return _apply_op("ApplyFtrlV2" if self._l2_shrinkage > 0.0 else "ApplyFtrl", refs, [grad] + hyper,
                         {"use_locking": self._use_locking, "multiply_linear_by_lr": False})


class ProximalGradientDescentOptimizer(Optimizer):
    """Gradient descent, then the proximal step of L1 (soft-thresholding towards zero by
    ``lr * l1``) and L2 (dividing by ``1 + lr * l2``) regularization. No slots."""

    def __init__(self, learning_rate: Any, l1_regularization_strength: float = 0.0,
                 l2_regularization_strength: float = 0.0, use_locking: bool = False,
                 name: str = "ProximalGradientDescent"):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._l1, self._l2 = l1_regularization_strength, l2_regularization_strength

    def _prepare(self):
        self._learning_rate_tensor = convert_to_tensor(self._call_if_callable(self._learning_rate),
                                                       name="learning_rate")
        self._l1_tensor = convert_to_tensor(self._l1, name="l1_regularization_strength")
        self._l2_tensor = convert_to_tensor(self._l2, name="l2_regularization_strength")

    def _apply_dense(self, grad, var):
        hyper = [_as_var_dtype(t, var) for t in (self._learning_rate_tensor, self._l1_tensor, self._l2_tensor)]
        return _apply_op("ApplyProximalGradientDescent", [var], hyper + [grad], {"use_locking": self._use_locking})


class ProximalAdagradOptimizer(Optimizer):
    """Adagrad's step ``lr / sqrt(accum)``, then the proximal step of L1 and L2 regularization
    (as ``ProximalGradientDescentOptimizer``). Slot ``"accumulator"`` (``w/ProximalAdagrad``)."""

    def __init__(self, learning_rate: Any, initial_accumulator_value: float = 0.1,
                 l1_regularization_strength: float = 0.0, l2_regularization_strength: float = 0.0,
                 use_locking: bool = False, name: str = "ProximalAdagrad"):
        if initial_accumulator_value <= 0.0:
            raise ValueError("initial_accumulator_value must be positive: %s" % initial_accumulator_value)
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial_accumulator_value = initial_accumulator_value
        self._l1, self._l2 = l1_regularization_strength, l2_regularization_strength

    def _create_slots(self, var_list):
        for v in var_list:
            init = Constant(self._initial_accumulator_value, dtype=v.dtype.base_dtype)
            self._slot_variable(v, init, "accumulator", self._name)

    def _prepare(self):
        self._learning_rate_tensor = convert_to_tensor(self._call_if_callable(self._learning_rate),
                                                       name="learning_rate")
        self._l1_tensor = convert_to_tensor(self._l1, name="l1_regularization_strength")
        self._l2_tensor = convert_to_tensor(self._l2, name="l2_regularization_strength")

    def _apply_dense(self, grad, var):
        hyper = [_as_var_dtype(t, var) for t in (self._learning_rate_tensor, self._l1_tensor, self._l2_tensor)]
        return _apply_op("ApplyProximalAdagrad", [var, self.get_slot(var, "accumulator")], hyper + [grad],
                         {"use_locking": self._use_locking})


# --------------------------------------------------------------------------------------------
# Moving averages of variables
# --------------------------------------------------------------------------------------------
class ExponentialMovingAverage:
    """Keeps a *shadow* variable per variable that follows it slowly:
    ``shadow -= (1 - decay) * (shadow - variable)`` each time the op of :meth:`apply` runs::

        ema = tf.train.ExponentialMovingAverage(0.99)
        with tf.control_dependencies([train_op]):
            train_with_averages = ema.apply(tf.trainable_variables())

    The shadow of ``w`` is the non-trainable variable ``w/ExponentialMovingAverage`` (starting at
    ``w``'s initial value); ``average(w)`` returns it and ``variables_to_restore()`` maps the
    shadows' names to the variables, so that ``tf.train.Saver(ema.variables_to_restore())``
    loads the averages into the variables (for evaluation). With ``num_updates`` (usually the
    global step) the decay is ``min(decay, (1 + num_updates) / (10 + num_updates))``, which
    averages faster at the start. Tensors (not variables) can be averaged too: their shadows
    start at zero (with ``zero_debias``, divided by ``1 - decay^t`` to remove that bias).
    """

    def __init__(self, decay: Any, num_updates: Any = None, zero_debias: bool = False,
                 name: str = "ExponentialMovingAverage"):
        self._decay = decay
        self._num_updates = num_updates
        self._zero_debias = zero_debias
        self._name = name
        self._averages: "dict[Any, Variable]" = {}
        self._debias: "dict[Variable, tuple[Variable, Variable]]" = {}

    @property
    def name(self) -> str:
        return self._name

    def apply(self, var_list: "Sequence[Any] | None" = None) -> Operation:
        """Makes the shadow variables (once per variable) and returns the op that updates them all,
        a NoOp named ``ExponentialMovingAverage``."""
        var_list = trainable_variables() if var_list is None else list(var_list)
        for var in var_list:
            if not isinstance(var, (Variable, Tensor)):
                raise TypeError("Expected a tf.Variable or tf.Tensor to average, got %r\nFix: pass a list of "
                                "variables, e.g. ema.apply(tf.trainable_variables())." % (var,))
            if var.dtype.base_dtype not in (dtypes.float16, dtypes.float32, dtypes.float64):
                raise TypeError("The variables must be half, float, or double: %s" % var.name)
            if var not in self._averages:
                self._averages[var] = self._shadow(var)
        graph = var_list[0].graph if var_list else get_default_graph()
        with graph.as_default(), name_scope(self._name) as scope:
            decay = convert_to_tensor(self._decay, dtype=dtypes.float32, name="decay")
            if self._num_updates is not None:
                n = unary_ops.cast(self._num_updates, dtypes.float32, name="num_updates")
                decay = math_ops.minimum(decay, (1.0 + n) / (10.0 + n))
            updates = [self._update(self._averages[var], var, decay) for var in var_list]
            return group(*updates, name=scope)

    def _shadow(self, var: Any) -> Variable:
        graph = var.graph
        with graph.as_default(), graph.control_dependencies(None), name_scope(None):
            with variable_scope(None, default_name=var.op.name + "/" + self._name):
                if isinstance(var, Variable):
                    avg = get_variable("", initializer=var.initialized_value(), trainable=False)
                    graph.add_to_collection(GraphKeys.MOVING_AVERAGE_VARIABLES, var)
                    return avg
                avg = get_variable("", shape=var.shape, dtype=var.dtype.base_dtype, initializer=Zeros(),
                                   trainable=False)
            if self._zero_debias:
                with variable_scope(avg.op.name):
                    biased = get_variable("biased", shape=var.shape, dtype=var.dtype.base_dtype,
                                          initializer=Zeros(), trainable=False)
                    local_step = get_variable("local_step", shape=[], dtype=var.dtype.base_dtype,
                                              initializer=Zeros(), trainable=False)
                self._debias[avg] = (biased, local_step)
        return avg

    def _update(self, avg: Variable, value: Any, decay: Tensor) -> Tensor:
        """TF's ``assign_moving_average``: ``avg -= (avg - value) * (1 - decay)`` (named ``AssignMovingAvg``)."""
        with name_scope(None, "AssignMovingAvg") as scope:
            one_minus = convert_to_tensor(1.0 - decay, name="decay")
            if one_minus.dtype.base_dtype is not avg.dtype.base_dtype:
                one_minus = unary_ops.cast(one_minus, avg.dtype.base_dtype)
            if avg not in self._debias:
                return assign_sub(avg, (avg - value) * one_minus, name=scope)
            biased, local_step = self._debias[avg]
            new_biased = assign_sub(biased, (biased - value) * one_minus)
            new_step = assign_add(local_step, 1.0)
            unbiased = new_biased / (1.0 - math_ops.pow(1.0 - one_minus, new_step))
            return assign(avg, unbiased, name=scope)

    def average(self, var: Any) -> "Variable | None":
        """The shadow variable of ``var`` (None if ``apply`` was not given it)."""
        return self._averages.get(var)

    def average_name(self, var: Any) -> str:
        """The name of ``var``'s shadow variable: ``<var>/ExponentialMovingAverage``."""
        if var in self._averages:
            return self._averages[var].op.name
        return var.op.name + "/" + self._name

    def variables_to_restore(self, moving_avg_variables: "Sequence[Variable] | None" = None) -> "dict[str, Variable]":
        """``{shadow name: variable}`` for the averaged (by default: trainable and moving-average)
        variables, ``{name: variable}`` for every other global variable: a ``Saver`` built on it
        restores the averages into the variables themselves."""
        if moving_avg_variables is None:
            moving_avg_variables = trainable_variables() + moving_average_variables()
        averaged = list(dict.fromkeys(moving_avg_variables))
        name_map = {self.average_name(v): v for v in averaged}
        for v in global_variables():
            if v not in averaged and v.op.name not in name_map:
                name_map[v.op.name] = v
        return name_map


# --------------------------------------------------------------------------------------------
# The global step: a counter of training steps
# --------------------------------------------------------------------------------------------
def assert_global_step(global_step_tensor: Any) -> None:
    """Raises TypeError unless ``global_step_tensor`` is an integer scalar Variable or Tensor."""
    if not isinstance(global_step_tensor, (Variable, Tensor)):
        raise TypeError('Existing "global_step" must be a Variable or Tensor: %s.' % (global_step_tensor,))
    if not global_step_tensor.dtype.base_dtype.is_integer:
        raise TypeError('Existing "global_step" does not have integer type: %s' % global_step_tensor.dtype)
    shape = global_step_tensor.get_shape()
    if shape.ndims != 0 and shape.is_fully_defined():
        raise TypeError('Existing "global_step" is not scalar: %s' % shape)


def get_global_step(graph: Any = None) -> "Variable | Tensor | None":
    """The global step variable (collection ``GLOBAL_STEP``, else the tensor ``global_step:0``), or None."""
    graph = graph or get_default_graph()
    found = graph.get_collection(GraphKeys.GLOBAL_STEP)
    if len(found) > 1:
        return None           # TF logs "Multiple tensors in global_step collection."
    if found:
        step = found[0]
    else:
        try:
            step = graph.get_tensor_by_name("global_step:0")
        except (KeyError, ValueError):
            return None
    assert_global_step(step)
    return step


def create_global_step(graph: Any = None) -> Variable:
    """Creates the int64 scalar variable ``global_step`` (zero, not trainable)."""
    graph = graph or get_default_graph()
    if get_global_step(graph) is not None:
        raise ValueError('"global_step" already exists.')
    with graph.as_default(), name_scope(None):
        return get_variable(GraphKeys.GLOBAL_STEP, shape=[], dtype=dtypes.int64, initializer=Zeros(),
                            trainable=False, collections=[GraphKeys.GLOBAL_VARIABLES, GraphKeys.GLOBAL_STEP])


def get_or_create_global_step(graph: Any = None) -> Variable:
    """``<tf.Variable 'global_step:0' shape=() dtype=int64_ref>``: pass it to ``minimize(loss,
    global_step=...)`` and each training step adds 1."""
    graph = graph or get_default_graph()
    step = get_global_step(graph)
    return create_global_step(graph) if step is None else step


def global_step(sess: Any, global_step_tensor: Any) -> int:
    """The current value of the global step, as a Python int."""
    return int(sess.run(global_step_tensor))


_PS_OPS = ("Variable", "VariableV2", "AutoReloadVariable", "MutableHashTable", "MutableHashTableV2",
           "MutableHashTableOfTensors", "MutableHashTableOfTensorsV2", "MutableDenseHashTable",
           "MutableDenseHashTableV2", "VarHandleOp")


def replica_device_setter(ps_tasks: int = 0, ps_device: str = "/job:ps", worker_device: str = "/job:worker",
                          merge_devices: bool = True, cluster: Any = None, ps_ops: Any = None,
                          ps_strategy: Any = None) -> "Callable | None":
    """TF1's device function for a parameter-server cluster: variables round-robin over
    ``ps_device/task:i``, every other op on ``worker_device``. (None with no ps tasks, as TF.)

    tinyflow records the devices it gives (``op.device``) and runs everything on the CPU."""
    if cluster is not None:
        jobs = cluster.as_dict() if hasattr(cluster, "as_dict") else dict(cluster)
        ps_tasks = len(jobs.get("ps", ()))
    if ps_tasks == 0:
        return None
    kinds = set(_PS_OPS if ps_ops is None else ps_ops)
    next_task = [0]

    def choose(op: Any) -> str:
        if op.type in kinds:
            if ps_strategy is not None:
                task = ps_strategy(op)
            else:
                task = next_task[0]
                next_task[0] = (task + 1) % ps_tasks
            return "%s/task:%d" % (ps_device, task)
        return worker_device
    return choose


def __dir__() -> "list[str]":
    """``dir(tf.train)`` lists TensorFlow's names only (``__all__``)."""
    return list(__all__)


__getattr__ = module_getattr("tinyflow.train", "train", globals())
"""A TensorFlow name of ``tf.train`` that tinyflow leaves out says so (``not_provided.py``)."""

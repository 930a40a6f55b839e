"""``tf.layers``: Dense, Flatten and Dropout, with TensorFlow 1.15's naming.

A layer is a Python object that *owns variables* and *builds ops* each time it is called::

    linear_model = tf.layers.Dense(units=1)
    y = linear_model(x)          # first call: creates dense/kernel, dense/bias, then the ops
    y2 = linear_model(x2)        # later calls: the same variables, new ops (dense/MatMul_1)

The first call *builds* the layer: it reads the last dimension of the input (3 for a
``[None, 3]`` placeholder) and makes a kernel of shape ``[3, units]`` with ``tf.get_variable``
inside a variable scope, so the variables are named ``dense/kernel:0`` and ``dense/bias:0``.

Two names, one quirk of TF 1.15 (kept because learners compare names with the guide):

* the **scope name** (``dense``, ``dense_1``, ...) prefixes the variables and ops. It is chosen
  on the first call with ``tf.variable_scope(None, default_name="dense")``;
* ``layer.name`` comes from a separate counter that starts at 1: the first unnamed ``Dense``
  is called ``dense_1``, although its variables live in ``dense/``.
"""
from __future__ import annotations

import math
import re
from typing import Any, Callable

import numpy as np

from .not_provided import module_getattr
from . import dtypes
from .framework import GraphKeys, Tensor, convert_to_tensor, get_default_graph, name_scope
from .init_ops import zeros_initializer
from .op_def_library import python_int
from .ops import array_ops, concat_ops, gather_ops, matmul_ops, nn_impl, nn_ops, softmax_ops, unary_ops
from .ops.constant_op import constant
from .tensor_shape import TensorShape
from .variable_scope import get_variable, variable_scope
from .variables import Variable

__all__ = ["Layer", "InputSpec", "Dense", "dense", "Flatten", "flatten", "Dropout", "dropout"]


# --------------------------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------------------------
class InputSpec:
    """What a layer accepts: a rank (``ndim``, ``min_ndim``, ``max_ndim``) and fixed sizes of
    some axes (``axes={-1: 3}``: the last axis must be 3)."""

    def __init__(self, dtype: Any = None, shape: Any = None, ndim: "int | None" = None,
                 max_ndim: "int | None" = None, min_ndim: "int | None" = None, axes: "dict | None" = None):
        self.dtype = dtype
        self.shape = shape
        self.ndim = len(shape) if shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.axes = dict(axes or {})

    def __repr__(self) -> str:
        parts = ["%s=%r" % (k, v) for k, v in (("dtype", self.dtype), ("shape", self.shape),
                                                 ("ndim", self.ndim), ("max_ndim", self.max_ndim),
                                                 ("min_ndim", self.min_ndim)) if v is not None]
        if self.axes:
            parts.append("axes=%r" % self.axes)
        return "InputSpec(%s)" % ", ".join(parts)


def _check_input(spec: "InputSpec | None", x: Tensor, layer_name: str) -> None:
    """Raises TF's ValueError (first line as in TF 1.15, then a tinyflow hint) if ``x`` does not fit."""
    if spec is None:
        return
    prefix = "Input 0 of layer %s is incompatible with the layer: " % layer_name
    shape = x.shape
    if shape.ndims is None:
        if spec.ndim is not None or spec.min_ndim is not None or spec.max_ndim is not None:
            raise ValueError(prefix + "its rank is undefined, but the layer requires a defined rank.\n"
                             "Fix (tinyflow): give the input a shape, e.g. "
                             "tf.placeholder(tf.float32, shape=[None, 3]).")
        return
    got = "found ndim=%d. Full shape received: %s" % (shape.ndims, shape.as_list())
    if spec.ndim is not None and shape.ndims != spec.ndim:
        raise ValueError(prefix + "expected ndim=%d, %s" % (spec.ndim, got))
    if spec.max_ndim is not None and shape.ndims > spec.max_ndim:
        raise ValueError(prefix + "expected max_ndim=%d, %s" % (spec.max_ndim, got))
    if spec.min_ndim is not None and shape.ndims < spec.min_ndim:
        # TF 1.15 really prints ": :" here.
        raise ValueError(prefix + ": expected min_ndim=%d, %s\n"
                         "Fix (tinyflow): layers take a batch of examples, shape [batch, features]; "
                         "for one example use e.g. tf.reshape(x, [1, -1])." % (spec.min_ndim, got))
    for axis, value in spec.axes.items():
        if value is not None and shape[int(axis)].value not in (value, None):
            raise ValueError(prefix + "expected axis %d of input shape to have value %d but received input "
                             "with shape %s\nFix (tinyflow): the layer was built for inputs with %d values "
                             "on that axis (its kernel has that size); use a new layer for other inputs."
                             % (axis, value, shape.as_list(), value))


# --------------------------------------------------------------------------------------------
# The base class
# --------------------------------------------------------------------------------------------
def _to_snake_case(name: str) -> str:
    """``Dense`` -> ``dense``, ``BatchNormalization`` -> ``batch_normalization``,
    ``BasicRNNCell`` -> ``basic_rnn_cell`` (Keras' rule: a run of capitals is one word)."""
    intermediate = re.sub(r"(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    snake = re.sub(r"([a-z])([A-Z])", r"\1_\2", intermediate).lower()
    return snake if snake[0] != "_" else "private" + snake


def _unique_layer_name(base: str) -> str:
    """``dense_1``, ``dense_2``, ...: Keras' per-graph object counter (it starts at 1)."""
    counts = get_default_graph()._layer_name_counts
    counts[base] = counts.get(base, 0) + 1
    return "%s_%d" % (base, counts[base])


class Layer:
    """Base class of ``tf.layers``: variable scope handling, weights, and ``__call__``.

    Subclasses implement ``build(input_shape)`` (make variables with :meth:`add_weight`) and
    ``call(inputs)`` (make ops). ``layer(inputs)`` builds on the first call, then calls.
    """

    def __init__(self, trainable: bool = True, name: "str | None" = None, dtype: Any = None, **kwargs: Any):
        scope = kwargs.pop("_scope", None)
        self._reuse = kwargs.pop("_reuse", None)
        kwargs.pop("input_shape", None)
        if kwargs:
            raise TypeError("Keyword argument not understood: %s" % sorted(kwargs)[0])
        self.trainable = trainable
        self.built = False
        self._dtype = None if dtype is None else dtypes.as_dtype(dtype).base_dtype
        self._trainable_weights: "list[Variable]" = []
        self._non_trainable_weights: "list[Variable]" = []
        self._losses: "list[Tensor]" = []
        self.input_spec: "InputSpec | None" = None
        base_name = _to_snake_case(type(self).__name__)
        if name:
            self._name, self._base_name = name, name
        else:
            self._name, self._base_name = _unique_layer_name(base_name), base_name
        self._scope = None              # the variable scope, fixed on the first call (or here)
        if scope:
            with variable_scope(scope) as captured:
                self._scope = captured

    # --- names -----------------------------------------------------------
    name = property(lambda self: self._name, doc="``dense_1`` for the first unnamed Dense (a 1-based counter).")
    dtype = property(lambda self: None if self._dtype is None else self._dtype.name)

    @property
    def scope_name(self) -> str:
        """The variable scope (``dense``), known only after the first call."""
        if self._scope is None:
            raise ValueError('No name available for layer scope because the layer "%s" has not been used yet. '
                             "The scope name  is determined the first time the layer instance is called. You "
                             "must therefore call the layer before querying `scope_name`." % self._name)
        return self._scope.name

    def _set_scope(self) -> None:
        """Fixes the variable scope on the first call: ``dense``, ``dense_1``, ... per graph."""
        if self._scope is None:
            if self._reuse:
                with variable_scope(self._base_name) as captured:
                    self._scope = captured
            else:
                with variable_scope(None, default_name=self._base_name) as captured:
                    self._scope = captured

    # --- weights ---------------------------------------------------------
    @property
    def trainable_weights(self) -> "list[Variable]":
        return list(self._trainable_weights) if self.trainable else []

    @property
    def non_trainable_weights(self) -> "list[Variable]":
        if self.trainable:
            return list(self._non_trainable_weights)
        return self._trainable_weights + self._non_trainable_weights

    @property
    def weights(self) -> "list[Variable]":
        """All variables, trainable first: ``[kernel, bias]`` for Dense."""
        return self.trainable_weights + self.non_trainable_weights

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights
    variables = weights

    @property
    def losses(self) -> "list[Tensor]":
        """Regularization losses made by this layer (also in ``tf.GraphKeys.REGULARIZATION_LOSSES``)."""
        return list(self._losses)

    def count_params(self) -> int:
        return sum(v.shape.num_elements() for v in self.weights)

    def add_weight(self, name: str, shape: Any, dtype: Any = None, initializer: Any = None,
                   regularizer: "Callable | None" = None, trainable: bool = True,
                   constraint: "Callable | None" = None) -> Variable:
        """``tf.get_variable(name, ...)`` in the layer's scope, remembered as one of its weights."""
        existing = set(get_default_graph().get_collection(GraphKeys.GLOBAL_VARIABLES))
        var = get_variable(name, shape=shape, dtype=dtype or self._dtype, initializer=initializer,
                           trainable=trainable and self.trainable, constraint=constraint)
        if all(var is not v for v in self._trainable_weights + self._non_trainable_weights):
            (self._trainable_weights if var.trainable else self._non_trainable_weights).append(var)
        if regularizer is not None and var not in existing:
            with name_scope(name + "/Regularizer"):
                loss = regularizer(var)
            self._add_loss(loss)
        return var

    def _add_loss(self, loss: "Tensor | None") -> None:
        if loss is not None:
            self._losses.append(loss)
            get_default_graph().add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)

    # --- calling ---------------------------------------------------------
    def build(self, input_shape: TensorShape) -> None:
        self.built = True

    def call(self, inputs: Tensor, **kwargs: Any) -> Tensor:
        return inputs

    def compute_output_shape(self, input_shape: Any) -> TensorShape:
        raise NotImplementedError

    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Tensor:
        """Builds the layer on the first call (variables), then adds its ops for ``inputs``.

        Variables are made in the layer's variable scope; ops go into the scope's name scope
        (``dense/``) on every call, so the second call makes ``dense/MatMul_1``.
        """
        inputs = convert_to_tensor(inputs)
        self._set_scope()                       # a failing call still uses up a scope name
        reuse = True if self.built else self._reuse
        with inputs.graph.as_default(), \
                variable_scope(self._scope, reuse=reuse, auxiliary_name_scope=False), \
                name_scope(self._scope.original_name_scope):
            _check_input(self.input_spec, inputs, self._name)
            if not self.built:
                if self._dtype is None:         # tf.layers take their dtype from the first input
                    self._dtype = inputs.dtype.base_dtype
                self.build(inputs.shape)
                self.built = True
            outputs = self.call(inputs, *args, **kwargs)
            if getattr(self, "activity_regularizer", None) is not None:
                with name_scope("ActivityRegularizer"):
                    loss = self.activity_regularizer(outputs)
                    batch = unary_ops.cast(array_ops.shape(outputs)[0], loss.dtype.base_dtype)
                    self._add_loss(loss / batch)   # the loss per example
        return outputs

    def apply(self, inputs: Any, *args: Any, **kwargs: Any) -> Tensor:
        """The same as ``layer(inputs)``."""
        return self.__call__(inputs, *args, **kwargs)

    def __repr__(self) -> str:
        return "<tf.layers.%s '%s'>" % (type(self).__name__, self._name)


# --------------------------------------------------------------------------------------------
# Dense
# --------------------------------------------------------------------------------------------
_ACTIVATIONS = {"relu": nn_ops.relu, "sigmoid": unary_ops.sigmoid, "tanh": unary_ops.tanh,
                "softmax": softmax_ops.softmax,
                "elu": nn_ops.elu, "selu": nn_ops.selu, "softplus": nn_ops.softplus, "relu6": nn_ops.relu6}


def _get_activation(activation: Any) -> "Callable | None":
    if activation is None or activation == "linear":
        return None
    if isinstance(activation, str):
        try:
            return _ACTIVATIONS[activation]
        except KeyError:
            raise ValueError("Unknown activation function: %s. (tinyflow knows %s, or pass a function such "
                             "as tf.nn.relu.)" % (activation, ", ".join(sorted(_ACTIVATIONS)))) from None
    if not callable(activation):
        raise TypeError("activation must be a function such as tf.nn.relu, got %r" % (activation,))
    return activation


class Dense(Layer):
    """A fully connected layer: ``outputs = activation(inputs @ kernel + bias)``.

    ``kernel`` has shape ``[input features, units]`` and is initialized with
    ``kernel_initializer`` (default: Glorot uniform, the ``tf.get_variable`` default);
    ``bias`` has shape ``[units]`` and starts at zeros.
    """

    def __init__(self, units: int, activation: Any = None, use_bias: bool = True, kernel_initializer: Any = None,
                 bias_initializer: Any = zeros_initializer(), kernel_regularizer: "Callable | None" = None,
                 bias_regularizer: "Callable | None" = None, activity_regularizer: "Callable | None" = None,
                 kernel_constraint: "Callable | None" = None, bias_constraint: "Callable | None" = None,
                 trainable: bool = True, name: "str | None" = None, **kwargs: Any):
        super().__init__(trainable=trainable, name=name, **kwargs)
        self.units = python_int(units, "units", "Dense")
        if self.units < 0:
            raise ValueError("Received an invalid value for `units`, expected a positive integer. Received: "
                             "units=%d\nFix: units is the number of outputs of the layer, e.g. 10." % self.units)
        self.activation = _get_activation(activation)
        self.use_bias = use_bias
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer
        self.kernel_regularizer = kernel_regularizer
        self.bias_regularizer = bias_regularizer
        self.activity_regularizer = activity_regularizer
        self.kernel_constraint = kernel_constraint
        self.bias_constraint = bias_constraint
        self.input_spec = InputSpec(min_ndim=2)
        self.kernel: "Variable | None" = None
        self.bias: "Variable | None" = None

    def build(self, input_shape: TensorShape) -> None:
        dtype = self._dtype
        if not dtype.is_floating:
            raise TypeError("Unable to build `Dense` layer with non-floating point dtype %s\n"
                            "Fix (tinyflow): feed floats, e.g. tf.placeholder(tf.float32, ...), or "
                            "tf.cast(x, tf.float32) first." % (dtype,))
        last_dim = input_shape[-1].value
        if last_dim is None:
            raise ValueError("The last dimension of the inputs to `Dense` should be defined. Found `None`.\n"
                             "Fix (tinyflow): the layer needs the number of input features to make its "
                             "kernel: give the placeholder a shape, e.g. "
                             "tf.placeholder(tf.float32, shape=[None, 3]).")
        self.input_spec = InputSpec(min_ndim=2, axes={-1: last_dim})
        self.kernel = self.add_weight("kernel", shape=[last_dim, self.units], initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        if self.use_bias:
            self.bias = self.add_weight("bias", shape=[self.units], initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint)
        self.built = True

    def call(self, inputs: Tensor) -> Tensor:
        rank = inputs.shape.ndims
        if rank > 2:
            outputs = self._tensordot(inputs)
        else:
            inputs = unary_ops.cast(inputs, self._dtype)
            outputs = matmul_ops.matmul(inputs, self.kernel)
        if self.use_bias:
            outputs = nn_ops.bias_add(outputs, self.bias)
        if self.activation is not None:
            return self.activation(outputs)
        return outputs

    def _tensordot(self, inputs: Tensor) -> Tensor:
        """Applies the kernel to the last axis of a rank > 2 input: flatten the leading axes,
        multiply, and restore them: ``[b, t, d] -> [b*t, d] @ [d, units] -> [b, t, units]``."""
        shape = inputs.shape.as_list()
        with name_scope("Tensordot"):
            flat = array_ops.reshape(inputs, [-1, shape[-1]])
            product = matmul_ops.matmul(flat, self.kernel)
            if None in shape[:-1]:
                out_shape = concat_ops.concat([array_ops.shape(inputs)[:-1], [self.units]], 0)
            else:
                out_shape = shape[:-1] + [self.units]
            outputs = array_ops.reshape(product, out_shape)
        outputs.set_shape(shape[:-1] + [self.units])
        return outputs

    def compute_output_shape(self, input_shape: Any) -> TensorShape:
        input_shape = TensorShape(input_shape)
        return TensorShape(input_shape.as_list()[:-1] + [self.units])


def dense(inputs: Any, units: int, activation: Any = None, use_bias: bool = True, kernel_initializer: Any = None,
          bias_initializer: Any = zeros_initializer(), kernel_regularizer: "Callable | None" = None,
          bias_regularizer: "Callable | None" = None, activity_regularizer: "Callable | None" = None,
          kernel_constraint: "Callable | None" = None, bias_constraint: "Callable | None" = None,
          trainable: bool = True, name: "str | None" = None, reuse: Any = None) -> Tensor:
    """``Dense(units, ...)(inputs)`` in one call (a new layer, so new variables, each time).

    With ``name`` the variable scope is exactly ``name``; ``reuse=True`` then shares the
    variables of an earlier layer of that name.
    """
    layer = Dense(units, activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
                  bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                  bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
                  kernel_constraint=kernel_constraint, bias_constraint=bias_constraint, trainable=trainable,
                  name=name, _scope=name, _reuse=reuse)
    return layer.apply(inputs)


# --------------------------------------------------------------------------------------------
# Flatten
# --------------------------------------------------------------------------------------------
class Flatten(Layer):
    """Keeps the batch axis and flattens the rest: ``[batch, 2, 3] -> [batch, 6]``."""

    def __init__(self, data_format: "str | None" = None, **kwargs: Any):
        super().__init__(**kwargs)
        if data_format not in (None, "channels_last", "channels_first"):
            raise ValueError("The `data_format` argument must be one of \"channels_first\", \"channels_last\". "
                             "Received: %s" % data_format)
        self.data_format = data_format or "channels_last"
        self.input_spec = InputSpec(min_ndim=1)

    def call(self, inputs: Tensor) -> Tensor:
        shape = inputs.shape.as_list()
        if len(shape) == 1:
            return array_ops.expand_dims(inputs, 1)
        if self.data_format == "channels_first" and len(shape) > 2:    # to channels last first
            inputs = array_ops.transpose(inputs, [0] + list(range(2, len(shape))) + [1])
            shape = inputs.shape.as_list()
        if None not in shape[1:]:
            size = 1
            for d in shape[1:]:
                size *= d
            flat_shape = constant([-1, size])
        elif shape[0] is not None:
            flat_shape = constant([shape[0], -1])
        else:
            flat_shape = concat_ops.stack([array_ops.shape(inputs)[0], -1])
        return array_ops.reshape(inputs, flat_shape)

    def compute_output_shape(self, input_shape: Any) -> TensorShape:
        dims = TensorShape(input_shape).as_list()
        rest = dims[1:]
        return TensorShape([dims[0], None if None in rest else math.prod(rest)])


def flatten(inputs: Any, name: "str | None" = None, data_format: str = "channels_last") -> Tensor:
    """``Flatten()(inputs)``: ``[batch, ...] -> [batch, everything else]`` (ops ``flatten/Reshape``)."""
    return Flatten(name=name, data_format=data_format).apply(inputs)


# --------------------------------------------------------------------------------------------
# Dropout
# --------------------------------------------------------------------------------------------
class Dropout(Layer):
    """Randomly zeroes a fraction ``rate`` of the inputs *while training* (and scales the rest by
    ``1 / (1 - rate)``); when not training it passes the inputs through unchanged.

    ``layer(inputs, training=...)``: a Python bool picks one branch while building; a bool
    tensor (e.g. a placeholder) picks per run.
    """

    def __init__(self, rate: float = 0.5, noise_shape: Any = None, seed: "int | None" = None,
                 name: "str | None" = None, **kwargs: Any):
        super().__init__(name=name, **kwargs)
        self.rate = rate
        self.noise_shape = noise_shape
        self.seed = seed

    def call(self, inputs: Tensor, training: Any = False) -> Tensor:
        def dropped() -> Tensor:
            return nn_impl.dropout(inputs, noise_shape=self.noise_shape, seed=self.seed, rate=self.rate)

        if training is None:                   # Keras: no learning phase set means not training
            training = False
        if isinstance(training, (Tensor, Variable)):
            # Both branches are built; Select picks one when the graph runs.
            return gather_ops.where(training, dropped(), array_ops.identity(inputs))
        if not (isinstance(training, (bool, np.bool_))
                or isinstance(training, (int, np.integer)) and training in (0, 1)):
            raise TypeError("Argument `pred` must be a Tensor, or a Python bool, or 1 or 0. Received: pred=%s of type "
                            "%s\nFix: pass training=True or False, or a bool tensor (e.g. a placeholder) to choose "
                            "while the graph runs." % (training, type(training).__name__))
        if training:
            return dropped()
        return array_ops.identity(inputs)

    def compute_output_shape(self, input_shape: Any) -> TensorShape:
        return TensorShape(input_shape)


def dropout(inputs: Any, rate: float = 0.5, noise_shape: Any = None, seed: "int | None" = None,
            training: Any = False, name: "str | None" = None) -> Tensor:
    """``Dropout(rate, ...)(inputs, training=training)``. Note: ``training=False`` is the
    default, so dropout does nothing unless you pass ``training=True`` (or a bool tensor)."""
    return Dropout(rate, noise_shape=noise_shape, seed=seed, name=name).apply(inputs, training=training)


def __dir__() -> "list[str]":
    """``dir(tf.layers)`` lists TensorFlow's names only (``__all__``)."""
    return list(__all__)


__getattr__ = module_getattr("tinyflow.layers", "layers", globals())
"""A TensorFlow name of ``tf.layers`` that tinyflow leaves out says so (``not_provided.py``)."""

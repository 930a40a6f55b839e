"""``tf.nn.rnn_cell``: the recurrent cells of TensorFlow 1.15, with its variable names and gate order.

A *cell* is one time step of a recurrent network: ``output, new_state = cell(inputs, state)``
takes a batch of inputs ``[batch, input_size]`` and the state the previous step left, and gives
this step's output and the state for the next step. The unrolling functions in ``rnn.py``
(``tf.nn.static_rnn``, ``tf.nn.dynamic_rnn``) call it once per time step.

A cell is a layer (``layers.Layer``): its first call makes its variables, later calls share them.
With ``tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)`` the variables are named as in TF 1.15::

    rnn/basic_lstm_cell/kernel:0     shape [input_size + units, 4 * units]
    rnn/basic_lstm_cell/bias:0       shape [4 * units], zeros

while the cell's ops, built inside the loop, are ``rnn/while/basic_lstm_cell/MatMul`` and so on.
The kernel multiplies ``[inputs, h]`` concatenated, so one matmul serves all gates. An LSTM's
four gates come out of it in TF's order **i, j, f, o** (input gate, new input, forget gate,
output gate); ``forget_bias`` (1.0) is added to the forget gate so a new LSTM remembers::

    c' = c * sigmoid(f + forget_bias) + sigmoid(i) * tanh(j)
    h' = tanh(c') * sigmoid(o)

TensorFlow's counterpart: ``tf_keras/src/layers/rnn/legacy_cells.py`` and
``legacy_cell_wrappers.py`` (formerly ``python/ops/rnn_cell_impl.py``).
"""
from __future__ import annotations

import collections
import hashlib
import numbers
from typing import Any, Callable

from . import dtypes, layers
from .framework import Tensor, convert_to_tensor, device as device_scope, name_scope
from .init_ops import constant_initializer, zeros_initializer
from .not_provided import module_getattr
from .ops import (array_ops, clip_ops, concat_ops, math_ops, matmul_ops, nn_impl, nn_ops,
                  random_ops, slicing_ops, unary_ops)
from .ops.cond import flatten, pack_sequence_as
from .ops.constant_op import constant
from .rnn import assert_like_rnncell, concat_shape, is_nested, map_structure, zero_state_tensors
from .tensor_shape import TensorShape
from .tensor_util import constant_value
from .variable_scope import get_variable_scope, variable_scope

__all__ = ["RNNCell", "BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell", "MultiRNNCell", "LSTMStateTuple",
           "DropoutWrapper", "ResidualWrapper", "DeviceWrapper"]


# --------------------------------------------------------------------------------------------
# The LSTM state
# --------------------------------------------------------------------------------------------
class LSTMStateTuple(collections.namedtuple("LSTMStateTuple", ("c", "h"))):
    """An LSTM's state: ``c`` (the memory cell) and ``h`` (the output of the last step)."""
    __slots__ = ()

    @property
    def dtype(self) -> Any:
        c, h = self
        if c.dtype != h.dtype:
            raise TypeError("Inconsistent dtypes for internal state: %s vs %s" % (c.dtype, h.dtype))
        return c.dtype


def _check_supported_dtypes(dtype: Any) -> None:
    if dtype is None:
        return
    dtype = dtypes.as_dtype(dtype)
    if not (dtype.is_floating or dtype.base_dtype.name.startswith("complex")):
        raise ValueError("RNN cell only supports floating point inputs, but received dtype: %s\n"
                         "Fix: cast the inputs first, e.g. tf.cast(x, tf.float32); for word ids, look up "
                         "their vectors with tf.nn.embedding_lookup." % dtype.name)


# --------------------------------------------------------------------------------------------
# The base classes
# --------------------------------------------------------------------------------------------
class RNNCell(layers.Layer):
    """An RNN cell: ``output, new_state = cell(inputs, state)``.

    Subclasses give ``state_size`` and ``output_size`` (an int, a TensorShape, or a tuple of
    them, e.g. ``LSTMStateTuple(c=units, h=units)``) and ``call(inputs, state)``. Variables made
    in ``build`` or ``call`` with ``add_weight`` or ``tf.get_variable`` belong to the cell.
    """

    def __init__(self, trainable: bool = True, name: "str | None" = None, dtype: Any = None, **kwargs: Any):
        super().__init__(trainable=trainable, name=name, dtype=dtype, **kwargs)
        self._rnncell_scope = None

    def __call__(self, inputs: Any, state: Any, scope: Any = None) -> Any:
        """One time step. The first call fixes the variable scope (``basic_lstm_cell`` inside the
        scope it is called from, or ``scope`` if given); later calls use the same variables."""
        if scope is not None:
            with variable_scope(scope, custom_getter=self._rnn_get_variable) as captured:
                if self._scope is None:
                    self._scope = captured
                return super().__call__(inputs, state)
        if self._rnncell_scope is None:
            self._rnncell_scope = get_variable_scope()
        with variable_scope(self._rnncell_scope, custom_getter=self._rnn_get_variable, auxiliary_name_scope=False):
            return super().__call__(inputs, state)

    def _rnn_get_variable(self, getter: Callable, *args: Any, **kwargs: Any) -> Any:
        """Every variable the cell gets (also with ``tf.get_variable`` in ``call``) is one of its weights."""
        variable = getter(*args, **kwargs)
        mine = self._trainable_weights if variable.trainable else self._non_trainable_weights
        if all(variable is not v for v in self._trainable_weights + self._non_trainable_weights):
            mine.append(variable)
        return variable

    @property
    def state_size(self) -> Any:
        """The size of the state: an int, a TensorShape, or a (nested) tuple of them."""
        raise NotImplementedError("Abstract method")

    @property
    def output_size(self) -> Any:
        """The size of the output of one step (without the batch axis)."""
        raise NotImplementedError("Abstract method")

    def zero_state(self, batch_size: Any, dtype: Any) -> Any:
        """The all-zeros state for ``batch_size`` examples (ops in ``BasicLSTMCellZeroState/``)."""
        with name_scope(type(self).__name__ + "ZeroState", values=[batch_size]):
            return zero_state_tensors(self.state_size, batch_size, dtype)

    def get_initial_state(self, inputs: Any = None, batch_size: Any = None, dtype: Any = None) -> Any:
        """``zero_state``, with the batch size and dtype taken from ``inputs`` if given."""
        if inputs is not None:
            inputs = convert_to_tensor(inputs, name="inputs")
            batch_size = inputs.shape[0].value or array_ops.shape(inputs)[0]
            dtype = inputs.dtype
        if batch_size is None or dtype is None:
            raise ValueError("batch_size and dtype cannot be None while constructing initial state: "
                             "batch_size=%s, dtype=%s" % (batch_size, dtype))
        return self.zero_state(batch_size, dtype)

    def __repr__(self) -> str:
        return "<tf.nn.rnn_cell.%s '%s'>" % (type(self).__name__, self._name)


class LayerRNNCell(RNNCell):
    """A cell whose variables are made in ``build`` with ``add_weight`` (all the built-in cells)."""


def _input_depth(input_shape: TensorShape) -> int:
    depth = input_shape[-1].value
    if depth is None:
        raise ValueError("Expected inputs.shape[-1] to be known, received shape: %s\nFix: the cell needs the "
                         "number of input features to make its kernel; give the input a known last "
                         "dimension, e.g. tf.placeholder(tf.float32, [None, 28, 28])." % (input_shape,))
    return depth


# --------------------------------------------------------------------------------------------
# BasicRNNCell and GRUCell
# --------------------------------------------------------------------------------------------
class BasicRNNCell(LayerRNNCell):
    """The plain RNN step: ``h' = tanh([inputs, h] @ kernel + bias)``; the output is ``h'``."""

    def __init__(self, num_units: int, activation: "Callable | None" = None, reuse: Any = None,
                 name: "str | None" = None, dtype: Any = None, **kwargs: Any):
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        _check_supported_dtypes(self._dtype)
        self.input_spec = layers.InputSpec(ndim=2)
        self._num_units = num_units
        self._activation = activation or unary_ops.tanh

    state_size = property(lambda self: self._num_units)
    output_size = property(lambda self: self._num_units)

    def build(self, input_shape: TensorShape) -> None:
        depth = _input_depth(input_shape)
        _check_supported_dtypes(self._dtype)
        self._kernel = self.add_weight("kernel", shape=[depth + self._num_units, self._num_units])
        self._bias = self.add_weight("bias", shape=[self._num_units], initializer=zeros_initializer(self._dtype))
        self.built = True

    def call(self, inputs: Tensor, state: Tensor) -> "tuple[Tensor, Tensor]":
        _check_cell_inputs(inputs, state)
        gate_inputs = matmul_ops.matmul(concat_ops.concat([inputs, state], 1), self._kernel)
        output = self._activation(nn_ops.bias_add(gate_inputs, self._bias))
        return output, output


def _check_cell_inputs(*values: Any) -> None:
    for value in values:
        for t in flatten(value):
            _check_supported_dtypes(t.dtype)


class GRUCell(LayerRNNCell):
    """The gated recurrent unit (Cho et al., 2014)::

        r, u = split(sigmoid([inputs, h] @ gates/kernel + gates/bias))     (bias starts at 1.0)
        c    = tanh([inputs, r * h] @ candidate/kernel + candidate/bias)
        h'   = u * h + (1 - u) * c
    """

    def __init__(self, num_units: int, activation: "Callable | None" = None, reuse: Any = None,
                 kernel_initializer: Any = None, bias_initializer: Any = None, name: "str | None" = None,
                 dtype: Any = None, **kwargs: Any):
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        _check_supported_dtypes(self._dtype)
        self.input_spec = layers.InputSpec(ndim=2)
        self._num_units = num_units
        self._activation = activation or unary_ops.tanh
        self._kernel_initializer = kernel_initializer
        self._bias_initializer = bias_initializer

    state_size = property(lambda self: self._num_units)
    output_size = property(lambda self: self._num_units)

    def build(self, input_shape: TensorShape) -> None:
        depth = _input_depth(input_shape)
        _check_supported_dtypes(self._dtype)
        n = self._num_units
        self._gate_kernel = self.add_weight("gates/kernel", shape=[depth + n, 2 * n],
                                            initializer=self._kernel_initializer)
        self._gate_bias = self.add_weight("gates/bias", shape=[2 * n], initializer=(
            self._bias_initializer if self._bias_initializer is not None else constant_initializer(1.0, self._dtype)))
        self._candidate_kernel = self.add_weight("candidate/kernel", shape=[depth + n, n],
                                                 initializer=self._kernel_initializer)
        self._candidate_bias = self.add_weight("candidate/bias", shape=[n], initializer=(
            self._bias_initializer if self._bias_initializer is not None else zeros_initializer(self._dtype)))
        self.built = True

    def call(self, inputs: Tensor, state: Tensor) -> "tuple[Tensor, Tensor]":
        _check_cell_inputs(inputs, state)
        gate_inputs = matmul_ops.matmul(concat_ops.concat([inputs, state], 1), self._gate_kernel)
        value = unary_ops.sigmoid(nn_ops.bias_add(gate_inputs, self._gate_bias))
        r, u = concat_ops.split(value=value, num_or_size_splits=2, axis=1)
        candidate = matmul_ops.matmul(concat_ops.concat([inputs, r * state], 1), self._candidate_kernel)
        c = self._activation(nn_ops.bias_add(candidate, self._candidate_bias))
        new_h = u * state + (1 - u) * c
        return new_h, new_h


# --------------------------------------------------------------------------------------------
# LSTMs
# --------------------------------------------------------------------------------------------
class BasicLSTMCell(LayerRNNCell):
    """The LSTM of Zaremba et al. (2014), gates in TF's order i, j, f, o::

        i, j, f, o = split([inputs, h] @ kernel + bias, 4)
        c' = c * sigmoid(f + forget_bias) + sigmoid(i) * tanh(j)
        h' = tanh(c') * sigmoid(o)

    The state is ``LSTMStateTuple(c, h)``; the output is ``h'``.
    """

    def __init__(self, num_units: int, forget_bias: float = 1.0, state_is_tuple: bool = True,
                 activation: "Callable | None" = None, reuse: Any = None, name: "str | None" = None,
                 dtype: Any = None, **kwargs: Any):
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        _check_supported_dtypes(self._dtype)
        self.input_spec = layers.InputSpec(ndim=2)
        self._num_units = num_units
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = activation or unary_ops.tanh

    @property
    def state_size(self) -> Any:
        n = self._num_units
        return LSTMStateTuple(n, n) if self._state_is_tuple else 2 * n

    output_size = property(lambda self: self._num_units)

    def build(self, input_shape: TensorShape) -> None:
        depth = _input_depth(input_shape)
        _check_supported_dtypes(self._dtype)
        n = self._num_units
        self._kernel = self.add_weight("kernel", shape=[depth + n, 4 * n])
        self._bias = self.add_weight("bias", shape=[4 * n], initializer=zeros_initializer(self._dtype))
        self.built = True

    def call(self, inputs: Tensor, state: Any) -> "tuple[Tensor, Any]":
        _check_cell_inputs(inputs, state)
        one = constant(1, dtype=dtypes.int32)
        if self._state_is_tuple:
            c, h = _unpack_lstm_state(state, self)
        else:
            c, h = concat_ops.split(value=state, num_or_size_splits=2, axis=one)
        gate_inputs = nn_ops.bias_add(matmul_ops.matmul(concat_ops.concat([inputs, h], 1), self._kernel), self._bias)
        i, j, f, o = concat_ops.split(value=gate_inputs, num_or_size_splits=4, axis=one)
        forget_bias = constant(self._forget_bias, dtype=f.dtype)
        new_c = math_ops.add(math_ops.multiply(c, unary_ops.sigmoid(math_ops.add(f, forget_bias))),
                             math_ops.multiply(unary_ops.sigmoid(i), self._activation(j)))
        new_h = math_ops.multiply(self._activation(new_c), unary_ops.sigmoid(o))
        new_state = LSTMStateTuple(new_c, new_h) if self._state_is_tuple else concat_ops.concat([new_c, new_h], 1)
        return new_h, new_state


def _unpack_lstm_state(state: Any, cell: RNNCell) -> "tuple[Any, Any]":
    if not isinstance(state, (tuple, list)) or len(state) != 2:
        raise ValueError("%s expects its state as LSTMStateTuple(c, h) (state_is_tuple=True); got %s.\nFix: start "
                         "from cell.zero_state(batch_size, tf.float32), or pass tf.nn.rnn_cell.LSTMStateTuple(c, h)."
                         % (type(cell).__name__, state))
    return state[0], state[1]


class LSTMCell(LayerRNNCell):
    """The LSTM of Hochreiter & Schmidhuber (1997) with TF's options:

    * ``use_peepholes``: the gates also see the cell (diagonal weights ``w_f_diag``, ``w_i_diag``,
      ``w_o_diag``): ``f + forget_bias + w_f_diag * c``;
    * ``cell_clip``: ``c'`` clipped to ``[-cell_clip, cell_clip]``;
    * ``num_proj``: the output ``h'`` projected to ``num_proj`` values (``projection/kernel``),
      clipped to ``proj_clip`` if given.
    """

    def __init__(self, num_units: int, use_peepholes: bool = False, cell_clip: "float | None" = None,
                 initializer: Any = None, num_proj: "int | None" = None, proj_clip: "float | None" = None,
                 num_unit_shards: Any = None, num_proj_shards: Any = None, forget_bias: float = 1.0,
                 state_is_tuple: bool = True, activation: "Callable | None" = None, reuse: Any = None,
                 name: "str | None" = None, dtype: Any = None, **kwargs: Any):
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        _check_supported_dtypes(self._dtype)
        if num_unit_shards is not None or num_proj_shards is not None:
            raise NotImplementedError("tinyflow's LSTMCell keeps each weight in one variable: leave out "
                                      "num_unit_shards and num_proj_shards (TF deprecated them).")
        self.input_spec = layers.InputSpec(ndim=2)
        self._num_units = num_units
        self._use_peepholes = use_peepholes
        self._cell_clip = cell_clip
        self._initializer = initializer
        self._num_proj = num_proj
        self._proj_clip = proj_clip
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = activation or unary_ops.tanh
        out = num_proj or num_units
        self._state_size = LSTMStateTuple(num_units, out) if state_is_tuple else num_units + out
        self._output_size = out

    state_size = property(lambda self: self._state_size)
    output_size = property(lambda self: self._output_size)

    def build(self, input_shape: TensorShape) -> None:
        depth = _input_depth(input_shape)
        _check_supported_dtypes(self._dtype)
        n, h_depth = self._num_units, self._num_proj or self._num_units
        self._kernel = self.add_weight("kernel", shape=[depth + h_depth, 4 * n], initializer=self._initializer)
        self._bias = self.add_weight("bias", shape=[4 * n], initializer=zeros_initializer(self._dtype))
        if self._use_peepholes:
            self._w_f_diag = self.add_weight("w_f_diag", shape=[n], initializer=self._initializer)
            self._w_i_diag = self.add_weight("w_i_diag", shape=[n], initializer=self._initializer)
            self._w_o_diag = self.add_weight("w_o_diag", shape=[n], initializer=self._initializer)
        if self._num_proj is not None:
            self._proj_kernel = self.add_weight("projection/kernel", shape=[n, self._num_proj],
                                                initializer=self._initializer)
        self.built = True

    def call(self, inputs: Tensor, state: Any) -> "tuple[Tensor, Any]":
        _check_cell_inputs(inputs, state)
        n, num_proj = self._num_units, self._num_proj or self._num_units
        sigmoid = unary_ops.sigmoid
        if self._state_is_tuple:
            c_prev, m_prev = _unpack_lstm_state(state, self)
        else:
            c_prev = slicing_ops.slice(state, [0, 0], [-1, n])
            m_prev = slicing_ops.slice(state, [0, n], [-1, num_proj])
        lstm_matrix = nn_ops.bias_add(matmul_ops.matmul(concat_ops.concat([inputs, m_prev], 1), self._kernel),
                                      self._bias)
        i, j, f, o = concat_ops.split(value=lstm_matrix, num_or_size_splits=4, axis=1)
        if self._use_peepholes:
            c = (sigmoid(f + self._forget_bias + self._w_f_diag * c_prev) * c_prev
                 + sigmoid(i + self._w_i_diag * c_prev) * self._activation(j))
        else:
            c = sigmoid(f + self._forget_bias) * c_prev + sigmoid(i) * self._activation(j)
        if self._cell_clip is not None:
            c = clip_ops.clip_by_value(c, -self._cell_clip, self._cell_clip)
        if self._use_peepholes:
            m = sigmoid(o + self._w_o_diag * c) * self._activation(c)
        else:
            m = sigmoid(o) * self._activation(c)
        if self._num_proj is not None:
            m = matmul_ops.matmul(m, self._proj_kernel)
            if self._proj_clip is not None:
                m = clip_ops.clip_by_value(m, -self._proj_clip, self._proj_clip)
        new_state = LSTMStateTuple(c, m) if self._state_is_tuple else concat_ops.concat([c, m], 1)
        return m, new_state


# --------------------------------------------------------------------------------------------
# Stacks of cells
# --------------------------------------------------------------------------------------------
class MultiRNNCell(RNNCell):
    """Cells stacked: the output of cell ``k`` is the input of cell ``k + 1`` in the same step.

    The state is a tuple with one state per cell; the variables of cell ``k`` are in
    ``multi_rnn_cell/cell_k/`` (``rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel:0``).
    """

    def __init__(self, cells: Any, state_is_tuple: bool = True):
        super().__init__()
        if not cells:
            raise ValueError("Must specify at least one cell for MultiRNNCell.")
        if not is_nested(cells):
            raise TypeError("cells must be a list or tuple, but received: %s.\nFix: pass a list, e.g. "
                            "MultiRNNCell([BasicLSTMCell(64) for _ in range(2)])." % (cells,))
        self._cells = list(cells)
        self._state_is_tuple = state_is_tuple
        if not state_is_tuple and any(is_nested(c.state_size) for c in self._cells):
            raise ValueError("Some cells return tuples of states, but the flag state_is_tuple is not set. State "
                             "sizes are: %s" % [c.state_size for c in self._cells])

    @property
    def state_size(self) -> Any:
        if self._state_is_tuple:
            return tuple(cell.state_size for cell in self._cells)
        return sum(cell.state_size for cell in self._cells)

    output_size = property(lambda self: self._cells[-1].output_size)

    def zero_state(self, batch_size: Any, dtype: Any) -> Any:
        with name_scope(type(self).__name__ + "ZeroState", values=[batch_size]):
            if self._state_is_tuple:
                return tuple(cell.zero_state(batch_size, dtype) for cell in self._cells)
            return zero_state_tensors(self.state_size, batch_size, dtype)

    @property
    def trainable_weights(self) -> list:
        if not self.trainable:
            return []
        return [w for cell in self._cells for w in getattr(cell, "trainable_weights", [])]

    @property
    def non_trainable_weights(self) -> list:
        weights = [w for cell in self._cells for w in getattr(cell, "non_trainable_weights", [])]
        if not self.trainable:
            return [w for cell in self._cells for w in getattr(cell, "trainable_weights", [])] + weights
        return weights

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights

    def call(self, inputs: Tensor, state: Any) -> "tuple[Tensor, Any]":
        position, current, new_states = 0, inputs, []
        for i, cell in enumerate(self._cells):
            with variable_scope("cell_%d" % i):
                if self._state_is_tuple:
                    if not is_nested(state) or len(state) != len(self._cells):
                        raise ValueError("Expected state to be a tuple of length %d, but received: %s\nFix: start "
                                         "from cell.zero_state(batch_size, dtype): one state per stacked cell."
                                         % (len(self.state_size), state))
                    cell_state = state[i]
                else:
                    cell_state = slicing_ops.slice(state, [0, position], [-1, cell.state_size])
                    position += cell.state_size
                current, new_state = cell(current, cell_state)
                new_states.append(new_state)
        return current, tuple(new_states) if self._state_is_tuple else concat_ops.concat(new_states, 1)


# --------------------------------------------------------------------------------------------
# Wrappers: dropout, residual connections, devices
# --------------------------------------------------------------------------------------------
class _Wrapper(RNNCell):
    """A cell around a cell: it has no variables or scope of its own, and calls the inner cell."""

    def __init__(self, cell: Any, **kwargs: Any):
        super().__init__(**kwargs)
        assert_like_rnncell("cell", cell)
        self.cell = cell

    def __call__(self, inputs: Any, state: Any, scope: Any = None) -> Any:
        return self._call_wrapped_cell(inputs, state, self.cell.__call__, scope=scope)

    def _call_wrapped_cell(self, inputs: Any, state: Any, cell_call_fn: Callable, **kwargs: Any) -> Any:
        raise NotImplementedError

    state_size = property(lambda self: self.cell.state_size)
    output_size = property(lambda self: self.cell.output_size)
    trainable_weights = property(lambda self: list(getattr(self.cell, "trainable_weights", [])))
    non_trainable_weights = property(lambda self: list(getattr(self.cell, "non_trainable_weights", [])))
    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights

    def zero_state(self, batch_size: Any, dtype: Any) -> Any:
        with name_scope(type(self).__name__ + "ZeroState", values=[batch_size]):
            return self.cell.zero_state(batch_size, dtype)


def _keep_dropping(substate: Any) -> Any:
    """The default state filter: an LSTM's ``c`` is kept whole, its ``h`` is dropped."""
    if isinstance(substate, LSTMStateTuple):
        return LSTMStateTuple(c=False, h=True)
    return True


def _leaves_to_drop(visitor: Callable, state: Any) -> "list[bool]":
    """For each leaf of ``state``, whether the state filter ``visitor`` says to drop it.

    The visitor sees a (sub)structure and answers True (drop it all, or look inside a
    nested one), False (keep it all), or a structure of answers, one per item."""
    answer = visitor(state)
    if isinstance(answer, bool):
        if answer and is_nested(state):
            items = [state[k] for k in sorted(state)] if isinstance(state, dict) else list(state)
            return [b for item in items for b in _leaves_to_drop(visitor, item)]
        return [answer] * len(flatten(state))
    items = [state[k] for k in sorted(state)] if isinstance(state, dict) else list(state)
    answers = [answer[k] for k in sorted(answer)] if isinstance(answer, dict) else list(answer)
    return [b for item, a in zip(items, answers)
            for b in (_leaves_to_drop(visitor, item) if a is True and is_nested(item)
                      else [bool(a)] * len(flatten(item)))]


class DropoutWrapper(_Wrapper):
    """Dropout on a cell's inputs, outputs and (the ``h`` part of) its state, at every step.

    ``*_keep_prob`` is the probability to *keep* a value (TF1's convention; 1.0 = no dropout).
    With ``variational_recurrent=True`` the same mask is used at every step of a sequence
    (Gal & Ghahramani, 2016); then ``dtype`` (and ``input_size`` for input dropout) is needed.
    """

    def __init__(self, cell: Any, input_keep_prob: Any = 1.0, output_keep_prob: Any = 1.0,
                 state_keep_prob: Any = 1.0, variational_recurrent: bool = False, input_size: Any = None,
                 dtype: Any = None, seed: "int | None" = None, dropout_state_filter_visitor: "Callable | None" = None,
                 **kwargs: Any):
        super().__init__(cell, dtype=dtype, **kwargs)
        if dropout_state_filter_visitor is not None and not callable(dropout_state_filter_visitor):
            raise TypeError("dropout_state_filter_visitor must be callable. Received: %s"
                            % (dropout_state_filter_visitor,))
        self._dropout_state_filter = dropout_state_filter_visitor or _keep_dropping
        with name_scope("DropoutWrapperInit"):
            for prob, attr in ((input_keep_prob, "input_keep_prob"), (state_keep_prob, "state_keep_prob"),
                               (output_keep_prob, "output_keep_prob")):
                tensor = convert_to_tensor(prob)
                known = constant_value(tensor)
                if known is not None:
                    if known < 0 or known > 1:
                        raise ValueError("Parameter %s must be between 0 and 1. Received %s\nFix: it is the "
                                         "probability to keep a value: 1.0 keeps all, 0.8 drops 20%%."
                                         % (attr, known))
                    setattr(self, "_" + attr, float(known))
                else:
                    setattr(self, "_" + attr, tensor)
        self._variational_recurrent = variational_recurrent
        self._seed = seed
        self._noise: dict = {}
        if variational_recurrent:
            if dtype is None:
                raise ValueError("When variational_recurrent=True, dtype must be provided")

            def noise(sizes, salt):
                return [random_ops.random_uniform(concat_shape([1], s), seed=self._gen_seed(salt, i), dtype=dtype)
                        for i, s in enumerate(flatten(sizes))]
            if not isinstance(self._input_keep_prob, numbers.Real) or self._input_keep_prob < 1.0:
                if input_size is None:
                    raise ValueError("When variational_recurrent=True and input_keep_prob < 1.0 or is unknown, "
                                     "input_size must be provided")
                self._noise["input"] = noise(input_size, "input")
            self._noise["state"] = noise(cell.state_size, "state")
            self._noise["output"] = noise(cell.output_size, "output")

    def _gen_seed(self, salt_prefix: str, index: int) -> "int | None":
        """TF's per-mask seed: a hash of the wrapper's seed and the mask's name (``input_0``)."""
        if self._seed is None:
            return None
        string = (str(self._seed) + "%s_%d" % (salt_prefix, index)).encode("utf-8")
        return int(hashlib.md5(string).hexdigest()[:8], 16) & 0x7FFFFFFF

    wrapped_cell = property(lambda self: self.cell)

    def _dropout(self, values: Any, salt: str, keep_prob: Any, which: Any = None) -> Any:
        leaves = flatten(values)
        keep = which if which is not None else [True] * len(leaves)
        out = []
        for i, (value, do) in enumerate(zip(leaves, keep)):
            if not do:
                out.append(value)
            elif self._variational_recurrent:
                binary = unary_ops.floor(keep_prob + self._noise[salt][i])
                dropped = math_ops.divide(value, keep_prob) * binary
                dropped.set_shape(value.shape)
                out.append(dropped)
            else:
                out.append(nn_impl.dropout(value, rate=1.0 - keep_prob, seed=self._gen_seed(salt, i)))
        return pack_sequence_as(values, out)

    def _call_wrapped_cell(self, inputs: Any, state: Any, cell_call_fn: Callable, **kwargs: Any) -> Any:
        def should(p):
            return not isinstance(p, float) or p < 1
        if should(self._input_keep_prob):
            inputs = self._dropout(inputs, "input", self._input_keep_prob)
        output, new_state = cell_call_fn(inputs, state, **kwargs)
        if should(self._state_keep_prob):
            which = _leaves_to_drop(self._dropout_state_filter, new_state)
            new_state = self._dropout(new_state, "state", self._state_keep_prob, which)
        if should(self._output_keep_prob):
            output = self._dropout(output, "output", self._output_keep_prob)
        return output, new_state


class ResidualWrapper(_Wrapper):
    """Adds the inputs to the cell's output: ``output = inputs + cell_output`` (He et al., 2016).
    The inputs and outputs must have the same size."""

    def __init__(self, cell: Any, residual_fn: "Callable | None" = None, **kwargs: Any):
        super().__init__(cell, **kwargs)
        self._residual_fn = residual_fn

    def _call_wrapped_cell(self, inputs: Any, state: Any, cell_call_fn: Callable, **kwargs: Any) -> Any:
        outputs, new_state = cell_call_fn(inputs, state, **kwargs)

        def default_residual_fn(inputs, outputs):
            if len(flatten(inputs)) != len(flatten(outputs)):
                raise ValueError("The two structures don't have the same nested structure: inputs=%s, outputs=%s"
                                 % (inputs, outputs))

            def add(inp, out):
                inp.shape.assert_is_compatible_with(out.shape)
                return inp + out
            return map_structure(add, inputs, outputs)
        return (self._residual_fn or default_residual_fn)(inputs, outputs), new_state


class DeviceWrapper(_Wrapper):
    """Runs the cell's ops under ``tf.device(device)`` (tinyflow runs everything on the CPU)."""

    def __init__(self, cell: Any, device: str, **kwargs: Any):
        super().__init__(cell, **kwargs)
        self._device = device

    def zero_state(self, batch_size: Any, dtype: Any) -> Any:
        with name_scope(type(self).__name__ + "ZeroState", values=[batch_size]), device_scope(self._device):
            return self.cell.zero_state(batch_size, dtype)

    def _call_wrapped_cell(self, inputs: Any, state: Any, cell_call_fn: Callable, **kwargs: Any) -> Any:
        with device_scope(self._device):
            return cell_call_fn(inputs, state, **kwargs)


def __dir__() -> "list[str]":
    """``dir(tf.nn.rnn_cell)`` lists TensorFlow's names only (``__all__``)."""
    return list(__all__)


__getattr__ = module_getattr("tinyflow.rnn_cell", "nn.rnn_cell", globals())
"""A TensorFlow name of ``tf.nn.rnn_cell`` that tinyflow leaves out says so (``not_provided.py``)."""

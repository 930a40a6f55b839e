"""Unrolling a cell over time: ``tf.nn.static_rnn``, ``tf.nn.dynamic_rnn`` and the bidirectional forms.

Both give the same numbers; they build different graphs:

* ``static_rnn(cell, inputs)`` takes a Python *list* of ``[batch, input_size]`` tensors, one per
  time step, and calls the cell once per element while the graph is built: 28 steps make 28
  copies of the cell's ops (``rnn/basic_lstm_cell/MatMul``, ``MatMul_1``, ...).
* ``dynamic_rnn(cell, inputs)`` takes one ``[batch, time, input_size]`` tensor and builds the
  cell *once*, inside a ``tf.while_loop`` that runs it for each step. The inputs are unstacked
  into a ``TensorArray``, each step reads one and writes its output to another, and the outputs
  are stacked and transposed back to ``[batch, time, units]`` (``rnn/transpose_1:0``); the final
  state leaves the loop through ``rnn/while/Exit_3:0`` (and up).

``sequence_length`` (one length per example) stops each example early: past its end the outputs
are zeros and the state is copied through unchanged, so the final state is the state at the
example's own last step.

TensorFlow's counterpart: ``python/ops/rnn.py``.
"""
from __future__ import annotations

from typing import Any

from . import dtypes
from .framework import Tensor, control_dependencies, convert_to_tensor
from .ops import (array_ops, comparison_ops, concat_ops, cond as cond_ops, creation_ops, gather_ops, logging_ops,
                  math_ops, reduction_ops, tensor_array_ops, unary_ops, while_loop as while_ops)
from .ops.cond import flatten, pack_sequence_as
from .ops.constant_op import constant
from .tensor_shape import TensorShape, as_shape
from .tensor_util import constant_value
from .variable_scope import variable_scope

__all__ = ["static_rnn", "dynamic_rnn", "bidirectional_dynamic_rnn", "static_bidirectional_rnn"]


# --------------------------------------------------------------------------------------------
# Structures and sizes (shared with rnn_cell.py)
# --------------------------------------------------------------------------------------------
def is_nested(value: Any) -> bool:
    """A list, tuple (namedtuples too) or dict: a structure ``tf.nest`` walks into."""
    return isinstance(value, (list, tuple, dict))


def map_structure(fn: Any, *structures: Any) -> Any:
    """``fn`` on the leaves of equally shaped structures, packed like the first."""
    flats = [flatten(s) for s in structures]
    return pack_sequence_as(structures[0], [fn(*leaves) for leaves in zip(*flats)])


def concat_shape(prefix: Any, suffix: Any, static: bool = False) -> Any:
    """``[batch] + size`` as an int32 tensor, or (``static=True``) as a list with ``None`` for unknowns.

    ``prefix`` and ``suffix`` may each be a Python int, a TensorShape or a tensor (the batch
    size is often ``tf.shape(x)[0]``, known only when the graph runs).
    """
    def part(value: Any, what: str) -> "tuple[Any, Any]":
        if isinstance(value, Tensor):
            known = constant_value(value)
            if value.shape.ndims == 0:
                value = array_ops.expand_dims(value, 0)
            elif value.shape.ndims != 1:
                raise ValueError("%s tensor must be either a scalar or vector, but received tensor: %s"
                                 % (what, value))
            return value, None if known is None else known.reshape(-1).tolist()
        shape = TensorShape(value)
        as_list = shape.as_list() if shape.ndims is not None else None
        return (constant(as_list, dtype=dtypes.int32) if shape.is_fully_defined() else None), as_list

    p, p_static = part(prefix, "Prefix")
    s, s_static = part(suffix, "suffix")
    if static:
        p_shape = TensorShape([None]) if p_static is None and isinstance(prefix, Tensor) else TensorShape(p_static)
        shape = p_shape.concatenate(TensorShape(s_static))
        return shape.as_list() if shape.ndims is not None else None
    if p is None or s is None:
        raise ValueError("Prefix or suffix can't be None. Received prefix = %s and suffix = %s" % (prefix, suffix))
    return concat_ops.concat((p, s), 0)


def zero_state_tensors(state_size: Any, batch_size: Any, dtype: Any) -> Any:
    """Zeros of shape ``[batch_size] + s`` for each size ``s`` in the (nested) ``state_size``."""
    def zeros(s):
        value = creation_ops.zeros(concat_shape(batch_size, s), dtype=dtype)
        value.set_shape(concat_shape(batch_size, s, static=True))
        return value
    return map_structure(zeros, state_size)


def like_rnncell(cell: Any) -> bool:
    """Has what an RNN cell needs: ``output_size``, ``state_size``, ``zero_state`` and a call."""
    return all(hasattr(cell, a) for a in ("output_size", "state_size", "zero_state")) and callable(cell)


def assert_like_rnncell(cell_name: str, cell: Any) -> None:
    """TF's TypeError for something passed as a cell that is not one."""
    if isinstance(cell, type):                  # the class, not a cell: TF fails on the first method it calls
        raise TypeError("%s.get_initial_state() missing 1 required positional argument: 'self'\nFix: %r is the "
                        "class; pass a cell object, e.g. %s(num_units=128)."
                        % (cell.__name__, cell_name, cell.__name__))
    if like_rnncell(cell):
        return
    missing = [what for what, ok in (("'output_size' property is missing", hasattr(cell, "output_size")),
                                     ("'state_size' property is missing", hasattr(cell, "state_size")),
                                     ("either 'zero_state' or 'get_initial_state' method is required",
                                      hasattr(cell, "zero_state")),
                                     ("is not callable", callable(cell))) if not ok]
    raise TypeError("The argument %r (%s) is not an RNNCell: %s.\nFix: pass a cell object such as "
                    "tf.nn.rnn_cell.BasicLSTMCell(num_units=128), not a class or a tensor."
                    % (cell_name, cell, ", ".join(missing)))


def _assert_same_structure(expected: Any, got: Any, what: str) -> None:
    if len(flatten(expected)) != len(flatten(got)):
        raise ValueError("The two structures don't have the same nested structure.\n\nFirst structure: %s\n\n"
                         "Second structure: %s\nFix: the cell must return %s with the structure of its "
                         "state_size/output_size." % (expected, got, what))


def _initial_state(cell: Any, initial_state: Any, batch_size: Any, dtype: Any) -> Any:
    if initial_state is not None:
        _assert_same_structure(cell.state_size, initial_state, "an initial_state")
        return initial_state
    if not dtype:
        raise ValueError("If no initial_state is provided, argument `dtype` must be specified\nFix: pass "
                         "dtype=tf.float32 (the dtype of the zero state), or an initial_state.")
    if getattr(cell, "get_initial_state", None) is not None:
        return cell.get_initial_state(inputs=None, batch_size=batch_size, dtype=dtype)
    return cell.zero_state(batch_size, dtype)


def _infer_state_dtype(explicit: Any, state: Any) -> Any:
    if explicit is not None:
        return explicit
    kinds = [t.dtype for t in flatten(state)]
    if not kinds:
        raise ValueError("Unable to infer dtype from argument state=%s." % (state,))
    if any(k != kinds[0] for k in kinds):
        raise ValueError("Argument state=%s has tensors of different inferred dtypes. Unable to infer a single "
                         "representative dtype. Dtypes received: %s" % (state, kinds))
    return kinds[0]


# --------------------------------------------------------------------------------------------
# One step with sequence lengths
# --------------------------------------------------------------------------------------------
def _rnn_step(time: Any, sequence_length: Tensor, min_sequence_length: Tensor, max_sequence_length: Tensor,
              zero_output: Any, state: Any, call_cell: Any, skip_conditionals: bool = False) -> "tuple[Any, Any]":
    """One step for a batch of sequences of different lengths (TF's ``_rnn_step``)::

        output[b] = zero_output      if time >= sequence_length[b] else new_output[b]
        state[b]  = state[b]         if time >= sequence_length[b] else new_state[b]

    ``static_rnn`` also skips the cell (``tf.cond``) when every sequence has ended, and skips
    the copying when none has; ``dynamic_rnn`` always copies (``skip_conditionals``).
    """
    flat_state, flat_zero_output = flatten(state), flatten(zero_output)
    copy_cond = comparison_ops.greater_equal(time, sequence_length)

    def copy_one_through(old, new):
        if isinstance(old, tensor_array_ops.TensorArray) or old.shape.ndims == 0:
            return new
        return gather_ops.where(copy_cond, old, new)

    def copy_some_through(flat_new_output, flat_new_state):
        return ([copy_one_through(z, o) for z, o in zip(flat_zero_output, flat_new_output)]
                + [copy_one_through(s, n) for s, n in zip(flat_state, flat_new_state)])

    def call() -> "tuple[list, list]":
        new_output, new_state = call_cell()
        _assert_same_structure(zero_output, new_output, "an output")
        _assert_same_structure(state, new_state, "a new state")
        return flatten(new_output), flatten(new_state)

    if skip_conditionals:
        final = copy_some_through(*call())
    else:
        def maybe_copy_some_through():
            flat_new_output, flat_new_state = call()
            return cond_ops.cond(comparison_ops.less(time, min_sequence_length),
                                 lambda: flat_new_output + flat_new_state,
                                 lambda: copy_some_through(flat_new_output, flat_new_state))
        final = cond_ops.cond(comparison_ops.greater_equal(time, max_sequence_length),
                              lambda: flat_zero_output + flat_state, maybe_copy_some_through)
    final = list(final)
    final_output, final_state = final[:len(flat_zero_output)], final[len(flat_zero_output):]
    for output, zero in zip(final_output, flat_zero_output):
        output.set_shape(zero.shape)
    for new, old in zip(final_state, flat_state):
        if not isinstance(new, tensor_array_ops.TensorArray):
            new.set_shape(old.shape)
    return pack_sequence_as(zero_output, final_output), pack_sequence_as(state, final_state)


def _lengths(sequence_length: Any, batch_size: Any) -> Tensor:
    sequence_length = unary_ops.cast(sequence_length, dtypes.int32)
    if sequence_length.shape.ndims not in (None, 1):
        raise ValueError("Argument sequence_length must be a vector of length batch_size. Received "
                         "sequence_length=%s of shape: %s\nFix: one length per example, e.g. [5, 3, 7] for a "
                         "batch of 3." % (sequence_length, sequence_length.shape))
    return array_ops.identity(sequence_length, name="sequence_length")


# --------------------------------------------------------------------------------------------
# static_rnn
# --------------------------------------------------------------------------------------------
def static_rnn(cell: Any, inputs: Any, initial_state: Any = None, dtype: Any = None, sequence_length: Any = None,
               scope: Any = None) -> "tuple[list, Any]":
    """Unrolls ``cell`` over a Python list of inputs while building: returns ``(outputs, state)``,
    ``outputs`` a list with one ``[batch, output_size]`` tensor per step, ``state`` the last state."""
    assert_like_rnncell("cell", cell)
    if not is_nested(inputs):
        raise TypeError("Argument `inputs` must be a sequence. Received: %s\nFix: static_rnn takes a list of "
                        "[batch, input_size] tensors, one per step: tf.unstack(x, axis=1) makes it from a "
                        "[batch, time, input_size] tensor (or use tf.nn.dynamic_rnn on x)." % (inputs,))
    if not inputs:
        raise ValueError("Argument `inputs` must not be empty.")
    outputs = []
    with variable_scope(scope or "rnn") as varscope:
        first_input = inputs
        while is_nested(first_input):
            first_input = first_input[0]
        first_input = convert_to_tensor(first_input)
        if first_input.shape.ndims != 1:
            fixed_batch_size = first_input.shape.with_rank_at_least(2)[0]
            for flat_input in flatten(inputs):
                input_shape = convert_to_tensor(flat_input).shape.with_rank_at_least(2)
                fixed_batch_size.assert_is_compatible_with(input_shape[0])
                for i, size in enumerate(input_shape[1:].dims):
                    if size.value is None:
                        raise ValueError("Input size (dimension %d of input %s) must be accessible via shape "
                                         "inference, but saw value None." % (i, flat_input))
        else:
            fixed_batch_size = first_input.shape.with_rank_at_least(1)[0]
        batch_size = fixed_batch_size.value or array_ops.shape(first_input)[0]
        state = _initial_state(cell, initial_state, batch_size, dtype)
        if sequence_length is not None:
            sequence_length = convert_to_tensor(sequence_length, name="sequence_length")
            if sequence_length.shape.ndims not in (None, 1):
                raise ValueError("Argument `sequence_length` must be a vector of length %s. Received "
                                 "sequence_length=%s." % (batch_size, sequence_length))

            def zero_output_for(size):
                output = creation_ops.zeros(concat_shape(batch_size, size), _infer_state_dtype(dtype, state))
                output.set_shape(TensorShape(concat_shape(fixed_batch_size.value, size, static=True)))
                return output
            zero_output = map_structure(zero_output_for, cell.output_size)
            sequence_length = unary_ops.cast(sequence_length, dtypes.int32)
            min_sequence_length = reduction_ops.reduce_min(sequence_length)
            max_sequence_length = reduction_ops.reduce_max(sequence_length)
        for time, input_ in enumerate(inputs):
            if time > 0:
                varscope.reuse_variables()

            def call_cell(input_=input_, state=state):
                return cell(input_, state)
            if sequence_length is not None:
                output, state = _rnn_step(time, sequence_length, min_sequence_length, max_sequence_length,
                                          zero_output, state, call_cell)
            else:
                output, state = call_cell()
            outputs.append(output)
        return outputs, state


# --------------------------------------------------------------------------------------------
# dynamic_rnn
# --------------------------------------------------------------------------------------------
def _transpose_batch_time(x: Tensor) -> Tensor:
    """``[batch, time, ...]`` <-> ``[time, batch, ...]``, keeping what is known of the shape."""
    static = x.shape
    if static.ndims is not None and static.ndims < 2:
        return x
    x_t = array_ops.transpose(x, concat_ops.concat(([1, 0], creation_ops.range(2, array_ops.rank(x))), axis=0))
    if static.ndims is not None:
        x_t.set_shape(TensorShape([static[1].value, static[0].value]).concatenate(static[2:]))
    return x_t


def _best_effort_input_batch_size(flat_input: list) -> Any:
    """The batch size (axis 1 of time-major inputs): a Python int if known, else a scalar tensor."""
    for input_ in flat_input:
        shape = input_.shape
        if shape.ndims is None:
            continue
        if shape.ndims < 2:
            raise ValueError("Input tensor should have rank >= 2. Received input=%s of rank %d" % (input_, shape.ndims))
        if shape[1].value is not None:
            return shape[1].value
    return array_ops.shape(flat_input[0])[1]


def dynamic_rnn(cell: Any, inputs: Any, sequence_length: Any = None, initial_state: Any = None, dtype: Any = None,
                parallel_iterations: "int | None" = None, swap_memory: bool = False, time_major: bool = False,
                scope: Any = None) -> "tuple[Any, Any]":
    """Runs ``cell`` over the time axis of ``inputs`` in a ``tf.while_loop``: ``(outputs, state)``.

    ``inputs`` is ``[batch, time, input_size]`` (``[time, batch, ...]`` with ``time_major``);
    ``outputs`` has the same layout with ``output_size`` last; ``state`` is the final state.
    ``parallel_iterations`` and ``swap_memory`` are accepted and change nothing: tinyflow runs the
    iterations one after another, in memory.
    """
    assert_like_rnncell("cell", cell)
    with variable_scope(scope or "rnn"):
        flat_input = [convert_to_tensor(i) for i in flatten(inputs)]
        for input_ in flat_input:
            if input_.shape.ndims is not None and input_.shape.ndims < 3:
                dims = input_.shape.as_list()     # TF reports the shape after swapping batch and time
                shown = TensorShape(dims[1::-1] + dims[2:] if not time_major and len(dims) >= 2 else dims)
                raise ValueError("Shape %s must have rank at least 3\nFix: dynamic_rnn takes inputs of shape "
                                 "[batch, time, input_size] (or [time, batch, input_size] with time_major=True); "
                                 "this one is %s. For one feature per step use tf.expand_dims(x, -1)."
                                 % (shown, input_.shape))
        if not time_major:
            flat_input = [_transpose_batch_time(i) for i in flat_input]
        parallel_iterations = parallel_iterations or 32
        if sequence_length is not None:
            sequence_length = _lengths(sequence_length, None)
        batch_size = _best_effort_input_batch_size(flat_input)
        state = _initial_state(cell, initial_state, batch_size, dtype)
        if sequence_length is not None:
            if isinstance(batch_size, int) and sequence_length.shape[0].value not in (None, batch_size):
                raise ValueError("Argument sequence_length must be a vector of length batch_size. Received "
                                 "sequence_length=%s of shape: %s\nFix: one length per example: the batch has %d."
                                 % (sequence_length, sequence_length.shape, batch_size))
            x_shape = array_ops.shape(sequence_length)
            packed = concat_ops.stack([batch_size])
            check = logging_ops.Assert(reduction_ops.reduce_all(comparison_ops.equal(x_shape, packed)),
                                       ["Expected shape for Tensor %s is " % sequence_length.name, packed,
                                        " but saw shape: ", x_shape])
            with control_dependencies([check]):
                sequence_length = array_ops.identity(sequence_length, name="CheckSeqLen")
        inputs = pack_sequence_as(inputs, flat_input)
        outputs, final_state = _dynamic_rnn_loop(cell, inputs, state, parallel_iterations, swap_memory,
                                                 sequence_length, dtype)
        if not time_major:
            outputs = map_structure(_transpose_batch_time, outputs)
        return outputs, final_state


def _dynamic_rnn_loop(cell: Any, inputs: Any, initial_state: Any, parallel_iterations: int, swap_memory: bool,
                      sequence_length: Any, dtype: Any) -> "tuple[Any, Any]":
    """The loop of ``dynamic_rnn`` on time-major inputs (TF's ``_dynamic_rnn_loop``)."""
    state = initial_state
    flat_input = flatten(inputs)
    flat_output_size = flatten(cell.output_size)
    input_shape = array_ops.shape(flat_input[0])
    time_steps = input_shape[0]
    batch_size = _best_effort_input_batch_size(flat_input)
    got_shapes = [i.shape.with_rank_at_least(3) for i in flat_input]
    const_time_steps, const_batch_size = got_shapes[0].as_list()[:2]
    for input_, shape in zip(flat_input, got_shapes):
        if not shape[2:].is_fully_defined():
            raise ValueError("Input size (depth of inputs) must be accessible via shape inference, but saw value "
                             "None for input=%s.\nFix: give the inputs a known last dimension, e.g. "
                             "tf.placeholder(tf.float32, [None, None, 28])." % (input_,))
        if shape[0].value != const_time_steps:
            raise ValueError("Time steps is not the same for all the elements in the input in a batch. Received "
                             "time steps=%s for input=%s." % (shape[0].value, input_))
        if shape[1].value != const_batch_size:
            raise ValueError("Batch_size is not the same for all the elements in the input. Received batch "
                             "size=%s for input=%s." % (shape[1].value, input_))
    out_dtype = _infer_state_dtype(dtype, state)
    zero_output = pack_sequence_as(cell.output_size, [creation_ops.zeros(concat_shape(batch_size, size), out_dtype)
                                                      for size in flat_output_size])
    if sequence_length is not None:
        min_sequence_length = reduction_ops.reduce_min(sequence_length)
        max_sequence_length = reduction_ops.reduce_max(sequence_length)
    else:
        max_sequence_length = time_steps
    time = constant(0, dtype=dtypes.int32, name="time")
    output_ta = [tensor_array_ops.TensorArray(
        dtype=out_dtype, size=time_steps, tensor_array_name="rnn/dynamic_rnn/output_%d" % i,
        element_shape=TensorShape([const_batch_size]).concatenate(_as_shape(size)))
        for i, size in enumerate(flat_output_size)]
    input_ta = [tensor_array_ops.TensorArray(dtype=i.dtype, size=time_steps, element_shape=i.shape[1:],
                                             tensor_array_name="rnn/dynamic_rnn/input_%d" % n)
                for n, i in enumerate(flat_input)]
    input_ta = [ta.unstack(i) for ta, i in zip(input_ta, flat_input)]

    def time_step(time, output_ta_t, state):
        input_t = [ta.read(time) for ta in input_ta]
        for input_, shape in zip(input_t, got_shapes):
            input_.set_shape(shape[1:])
        input_t = pack_sequence_as(inputs, input_t)

        def call_cell():
            return cell(input_t, state)
        if sequence_length is not None:
            output, new_state = _rnn_step(time, sequence_length, min_sequence_length, max_sequence_length,
                                          zero_output, state, call_cell, skip_conditionals=True)
        else:
            output, new_state = call_cell()
            _assert_same_structure(state, new_state, "a new state")
        output_ta_t = tuple(ta.write(time, out) for ta, out in zip(output_ta_t, flatten(output)))
        return time + 1, output_ta_t, new_state

    loop_bound = math_ops.minimum(time_steps, math_ops.maximum(1, max_sequence_length))
    _, output_final_ta, final_state = while_ops.while_loop(
        cond=lambda time, *_: comparison_ops.less(time, loop_bound), body=time_step,
        loop_vars=(time, tuple(output_ta), state), parallel_iterations=parallel_iterations,
        maximum_iterations=time_steps, swap_memory=swap_memory)
    final_outputs = [ta.stack() for ta in output_final_ta]
    for output, size in zip(final_outputs, flat_output_size):
        output.set_shape(concat_shape([const_time_steps, const_batch_size], size, static=True))
    return pack_sequence_as(cell.output_size, final_outputs), final_state


def _as_shape(size: Any) -> TensorShape:
    if isinstance(size, Tensor):
        return as_shape(constant_value(size))
    return as_shape(size)


# --------------------------------------------------------------------------------------------
# Both directions
# --------------------------------------------------------------------------------------------
def _reverse(input_: Tensor, seq_lengths: Any, seq_axis: int, batch_axis: int) -> Tensor:
    if seq_lengths is not None:
        return gather_ops.reverse_sequence(input_, seq_lengths, seq_axis=seq_axis, batch_axis=batch_axis)
    return array_ops.reverse(input_, axis=[seq_axis])


def bidirectional_dynamic_rnn(cell_fw: Any, cell_bw: Any, inputs: Any, sequence_length: Any = None,
                              initial_state_fw: Any = None, initial_state_bw: Any = None, dtype: Any = None,
                              parallel_iterations: "int | None" = None, swap_memory: bool = False,
                              time_major: bool = False, scope: Any = None) -> "tuple[tuple, tuple]":
    """``dynamic_rnn`` forwards (``bidirectional_rnn/fw/``) and backwards over the reversed inputs
    (``bidirectional_rnn/bw/``): ``((output_fw, output_bw), (state_fw, state_bw))``; ``output_bw``
    is reversed back, so both outputs line up step by step (``tf.concat(outputs, 2)`` joins them)."""
    assert_like_rnncell("cell_fw", cell_fw)
    assert_like_rnncell("cell_bw", cell_bw)
    time_axis, batch_axis = (0, 1) if time_major else (1, 0)
    with variable_scope(scope or "bidirectional_rnn"):
        with variable_scope("fw") as fw_scope:
            output_fw, state_fw = dynamic_rnn(cell_fw, inputs, sequence_length=sequence_length,
                                              initial_state=initial_state_fw, dtype=dtype,
                                              parallel_iterations=parallel_iterations, swap_memory=swap_memory,
                                              time_major=time_major, scope=fw_scope)
        with variable_scope("bw") as bw_scope:
            inputs_reverse = map_structure(lambda i: _reverse(i, sequence_length, time_axis, batch_axis), inputs)
            tmp, state_bw = dynamic_rnn(cell_bw, inputs_reverse, sequence_length=sequence_length,
                                        initial_state=initial_state_bw, dtype=dtype,
                                        parallel_iterations=parallel_iterations, swap_memory=swap_memory,
                                        time_major=time_major, scope=bw_scope)
    output_bw = _reverse(tmp, sequence_length, time_axis, batch_axis)
    return (output_fw, output_bw), (state_fw, state_bw)


def _reverse_seq(input_seq: list, lengths: Any) -> list:
    if lengths is None:
        return list(reversed(input_seq))
    flat_input_seq = [flatten(i) for i in input_seq]
    flat_results: "list[list]" = [[] for _ in input_seq]
    for sequence in zip(*flat_input_seq):
        joined = concat_ops.stack(sequence)
        for r, flat_result in zip(concat_ops.unstack(gather_ops.reverse_sequence(joined, lengths, 0, 1)),
                                  flat_results):
            r.set_shape(sequence[0].shape)
            flat_result.append(r)
    return [pack_sequence_as(i, r) for i, r in zip(input_seq, flat_results)]


def static_bidirectional_rnn(cell_fw: Any, cell_bw: Any, inputs: Any, initial_state_fw: Any = None,
                             initial_state_bw: Any = None, dtype: Any = None, sequence_length: Any = None,
                             scope: Any = None) -> "tuple[list, Any, Any]":
    """``static_rnn`` both ways: ``(outputs, state_fw, state_bw)``, each output the forward and
    backward outputs of a step concatenated (``[batch, fw_size + bw_size]``)."""
    assert_like_rnncell("cell_fw", cell_fw)
    assert_like_rnncell("cell_bw", cell_bw)
    if not is_nested(inputs):
        raise TypeError("Argument `inputs` must be a sequence. Received: %s" % (inputs,))
    if not inputs:
        raise ValueError("Argument `inputs` must not be empty.")
    with variable_scope(scope or "bidirectional_rnn"):
        with variable_scope("fw") as fw_scope:
            output_fw, state_fw = static_rnn(cell_fw, inputs, initial_state_fw, dtype, sequence_length, scope=fw_scope)
        with variable_scope("bw") as bw_scope:
            tmp, state_bw = static_rnn(cell_bw, _reverse_seq(inputs, sequence_length), initial_state_bw, dtype,
                                       sequence_length, scope=bw_scope)
    output_bw = _reverse_seq(tmp, sequence_length)
    outputs = [concat_ops.concat([fw, bw], 1) for fw, bw in zip(flatten(output_fw), flatten(output_bw))]
    return pack_sequence_as(output_fw, outputs), state_fw, state_bw

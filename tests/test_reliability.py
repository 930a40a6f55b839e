"""Defects that fuzzing against TensorFlow found: every reproducer, with TensorFlow's answer.

Expected values and messages are TF 2.21 compat.v1 (``disable_v2_behavior()``) unless a comment
says tinyflow deliberately differs. Grouped as found: silently wrong values, promises broken
under failure, internal errors leaking, and calls accepted where TensorFlow rejects them.
"""
import os
import stat

import numpy as np
import pytest

import tinyflow as tf
from tinyflow.traceback_utils import raised_by_tinyflow


def run(fetches, feed_dict=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feed_dict)


def raises(cls, match, fn, *args, **kwargs):
    """Asserts ``fn(*args)`` raises ``cls`` whose message matches, from a raise in tinyflow's code."""
    with pytest.raises(cls, match=match) as info:
        fn(*args, **kwargs)
    assert raised_by_tinyflow(info.tb), "raised from %s" % info.traceback[-1]
    return info.value


# ---------------------------------------------------------------------------------------------
# Silently wrong values
# ---------------------------------------------------------------------------------------------
def test_unstack_and_split_with_one_output_give_the_array():
    x = tf.constant([[1.0, 2.0, 3.0]])
    assert run(tf.reduce_sum(tf.unstack(x)[0])) == 6.0                       # TF: 6.0
    np.testing.assert_array_equal(run(tf.reduce_sum(tf.split(x, 1, axis=1)[0], axis=1)), [6.0])  # TF: [6.]
    piece = run(tf.unstack(x)[0])
    assert piece.shape == (3,)


def test_one_output_multi_output_ops_have_gradients():
    x = tf.constant([[1.0, 2.0, 3.0]])
    g_unstack = tf.gradients(tf.reduce_sum(tf.unstack(x)[0] * [1.0, 2.0, 3.0]), x)[0]
    g_split = tf.gradients(tf.reduce_sum(tf.split(x, 1, axis=1)[0] * 2.0), x)[0]
    np.testing.assert_array_equal(run(g_unstack), [[1.0, 2.0, 3.0]])
    np.testing.assert_array_equal(run(g_split), [[2.0, 2.0, 2.0]])


@pytest.mark.parametrize("fn, axis, message", [
    (tf.cumsum, 2, r"ScanOp: Expected scan axis in the range \[-2, 2\), but got 2"),
    (tf.cumprod, -3, r"ScanOp: Expected scan axis in the range \[-2, 2\), but got -3"),
])
def test_cumulative_ops_reject_an_axis_out_of_range(fn, axis, message):
    y = fn([[1.0, 2.0], [3.0, 4.0]], axis=axis)
    raises(tf.errors.InvalidArgumentError, message, run, y)


def test_cumsum_of_a_scalar_is_rejected():
    y = tf.cumsum(tf.constant(3.0))                                            # TF: InvalidArgumentError
    raises(tf.errors.InvalidArgumentError, r"Expected scan axis in the range \[0, 0\), but got 0", run, y)


def test_invert_permutation_rejects_duplicates():
    raises(tf.errors.InvalidArgumentError, "0 is duplicated in the input.", run, tf.invert_permutation([0, 0]))
    np.testing.assert_array_equal(run(tf.invert_permutation([2, 0, 1])), [1, 2, 0])


def test_a_scalar_negative_index_is_rejected_like_a_list_of_them():
    table = tf.constant(np.arange(6.0).reshape(2, 3))
    raises(tf.errors.InvalidArgumentError, r"indices = -1 is not in \[0, 3\)", run, tf.gather(table, -1, axis=1))
    raises(tf.errors.InvalidArgumentError, r"indices = -1 is not in \[0, 3\)", run,
           tf.nn.embedding_lookup(tf.constant(np.arange(6.0).reshape(3, 2)), -1))
    np.testing.assert_array_equal(run(tf.gather(table, 2, axis=1)), [2.0, 5.0])


def test_py_func_returning_none_for_an_output_is_an_error():
    y = tf.py_func(lambda: None, [], tf.float32)
    raises(tf.errors.InvalidArgumentError, r"pyfunc_0 returns 0 values, but expects to see 1 values\.", run, y)


@pytest.mark.parametrize("fn, values, expected", [
    (tf.argmax, [1.0, np.nan, 3.0], 2),          # TF: 2 (NaN is skipped, numpy would say 1)
    (tf.argmin, [1.0, np.nan, 0.5], 2),          # TF: 2
    (tf.argmax, [np.nan, 1.0, 3.0], 2),          # TF: 2
    (tf.argmax, [np.nan, np.nan], 0),            # all NaN: the first
])
def test_argmax_and_argmin_skip_nan_as_tensorflow(fn, values, expected):
    assert run(fn(values)) == expected


def test_second_derivatives_of_leaky_relu_and_relu6_are_zeros():
    x = tf.constant([-1.0, 2.0])
    g = tf.gradients(tf.nn.leaky_relu(x, 0.3), x)[0]
    np.testing.assert_allclose(run(g), [0.3, 1.0], rtol=1e-6)                 # TF: [0.3, 1.]
    np.testing.assert_array_equal(run(tf.gradients(g, x)[0]), [0.0, 0.0])     # TF: [0., 0.]
    x6 = tf.constant([-1.0, 2.0, 7.0])
    g6 = tf.gradients(tf.nn.relu6(x6), x6)[0]
    np.testing.assert_array_equal(run(g6), [0.0, 1.0, 0.0])                   # TF: [0., 1., 0.]
    np.testing.assert_array_equal(run(tf.gradients(g6, x6)[0]), [0.0, 0.0, 0.0])
    assert g6.op.type == "Relu6Grad" and g.op.type == "LeakyReluGrad"


# ---------------------------------------------------------------------------------------------
# Promises under failure: a failed run changes no state
# ---------------------------------------------------------------------------------------------
def test_a_failed_run_does_not_advance_an_iterator():
    nxt = tf.data.Dataset.range(10).make_one_shot_iterator().get_next()
    x = tf.placeholder(tf.float32)
    with tf.Session() as sess:
        assert sess.run(nxt) == 0
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run([nxt, tf.reshape(x, [2, 2])], {x: [1.0, 2.0, 3.0]})
        # tinyflow: 1 (the failed run is undone); TF 2.21 gives 2 (the failed run consumed an element)
        assert sess.run(nxt) == 1


def test_a_failed_run_does_not_initialize_tables():
    column = tf.feature_column.indicator_column(
        tf.feature_column.categorical_column_with_vocabulary_list("k", ["a", "b"]))
    dense = tf.feature_column.input_layer({"k": tf.constant([["b"]])}, [column])
    x = tf.placeholder(tf.float32)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run([tf.tables_initializer(), tf.reshape(x, [2, 2])], {x: [1.0, 2.0, 3.0]})
        with pytest.raises(tf.errors.FailedPreconditionError, match="Table not initialized"):
            sess.run(dense)
        sess.run(tf.tables_initializer())
        np.testing.assert_array_equal(sess.run(dense), [[0.0, 1.0]])


def test_a_failed_run_changes_no_variable_even_after_an_assign_ran():
    v = tf.Variable([1.0, 2.0])
    x = tf.placeholder(tf.float32)
    bump = tf.assign_add(v, [10.0, 10.0])
    with tf.control_dependencies([bump]):
        bad = tf.reshape(x, [2, 2])
    with tf.Session() as sess:
        sess.run(v.initializer)
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(bad, {x: [1.0, 2.0, 3.0]})
        np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])


def test_add_summary_rejects_bytes_that_are_not_a_summary(tmp_path):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    loss = tf.placeholder(tf.float32)
    summary = tf.summary.scalar("loss", loss)
    with tf.Session() as sess, tf.summary.FileWriter(str(tmp_path)) as writer:
        writer.add_summary(sess.run(summary, {loss: 1.0}), global_step=0)
        # TF: protobuf's DecodeError, nothing written
        raises(ValueError, "not a serialized Summary", writer.add_summary, b"garbage", 1)
        writer.add_summary(sess.run(summary, {loss: 3.0}), global_step=2)
    events = EventAccumulator(str(tmp_path))
    events.Reload()                                        # TensorBoard still reads the whole file
    assert [(s.step, s.value) for s in events.Scalars("loss")] == [(0, 1.0), (2, 3.0)]


def test_summary_merge_rejects_non_string_tensors_when_built():
    raises(TypeError, r"Tensors in list passed to 'inputs' of 'MergeSummary' Op have types \[float32\] that do "
           "not match expected type string", tf.summary.merge, [tf.constant(1.0)])


# --- Saver --------------------------------------------------------------------------------------
def _saved_variable():
    v = tf.Variable([1.0, 2.0], name="v")
    return v, tf.train.Saver()


def test_saver_names_the_checkpoint_when_it_may_not_write(tmp_path, monkeypatch):
    import tempfile
    v, saver = _saved_variable()

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", os.path.join(str(tmp_path), "model.npz.abcdefgh.tmp"))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)       # (as root, chmod would not stop the test)
    with tf.Session() as sess:
        sess.run(v.initializer)
        error = raises(tf.errors.PermissionDeniedError, "Failed to create a new writable file", saver.save, sess,
                       os.path.join(str(tmp_path), "model"))
    assert "model" in str(error) and ".tmp" not in str(error)


def test_saver_rejects_a_latest_filename_with_a_directory_before_writing(tmp_path):
    v, saver = _saved_variable()
    with tf.Session() as sess:
        sess.run(v.initializer)
        raises(ValueError, "'latest_filename' must not contain path components", saver.save, sess,
               os.path.join(str(tmp_path), "model"), latest_filename="a/b")
    assert os.listdir(str(tmp_path)) == []                                     # TF: nothing written


def test_checkpoint_files_get_the_usual_permissions(tmp_path):
    v, saver = _saved_variable()
    umask = os.umask(0o022)
    try:
        with tf.Session() as sess:
            sess.run(v.initializer)
            saver.save(sess, os.path.join(str(tmp_path), "model"))
    finally:
        os.umask(umask)
    modes = {name: stat.S_IMODE(os.stat(os.path.join(str(tmp_path), name)).st_mode)
             for name in os.listdir(str(tmp_path))}
    assert modes and set(modes.values()) == {0o644}, modes                      # TF: 0644 under umask 022


def test_the_next_save_removes_what_a_killed_save_left(tmp_path):
    import subprocess
    import sys

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()                                  # a process that has ended: its temporaries are stale
    v, saver = _saved_variable()
    stale = [tmp_path / ("model.npz.%d.k1lled00.tmp" % gone.pid), tmp_path / ("model-7.npz.%d.k1lled00.tmp" % gone.pid),
             tmp_path / ("checkpoint.%d.k1lled00.tmp" % gone.pid)]
    kept = [tmp_path / "notes.tmp", tmp_path / ("other.npz.%d.k1lled00.tmp" % gone.pid), tmp_path / "model-7.npz",
            tmp_path / ("model-7.npz.%d.s4ving00.tmp" % os.getppid())]     # a running process may be saving
    for path in stale + kept:
        path.write_bytes(b"half a checkpoint")
    with tf.Session() as sess:
        sess.run(v.initializer)
        saver.save(sess, os.path.join(str(tmp_path), "model"), global_step=8)
    assert [p.exists() for p in stale] == [False] * 3 and [p.exists() for p in kept] == [True] * 4


@pytest.mark.parametrize("position", range(0, 400, 7))
def test_a_corrupted_checkpoint_is_data_loss(tmp_path, position):
    v, saver = _saved_variable()
    path = os.path.join(str(tmp_path), "model")
    with tf.Session() as sess:
        sess.run(v.initializer)
        saver.save(sess, path)
    checkpoint = tmp_path / "model.npz"
    data = bytearray(checkpoint.read_bytes())
    data[position % len(data)] ^= 0xFF
    checkpoint.write_bytes(bytes(data))
    with tf.Session() as sess:
        try:
            saver.restore(sess, path)
        except tf.errors.DataLossError:
            return
        # a flipped byte that no check can see (zip padding, an unused header field) must not change values
        np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])


# ---------------------------------------------------------------------------------------------
# Internal errors that leaked: now TensorFlow's class, raised by tinyflow's own checks
# ---------------------------------------------------------------------------------------------
def _nested(depth):
    fetch = tf.constant(1.0)
    for _ in range(depth):
        fetch = [fetch]
    return fetch


LEAKS = [
    ("placeholder shape 'abc'", lambda: tf.placeholder(tf.float32, "abc"), TypeError,
     "Error converting shape to a TensorShape"),
    ("concat of nothing", lambda: tf.concat([], 0), ValueError,
     "List argument 'values' to 'ConcatV2' Op with length 0 shorter than minimum length 2"),
    ("zeros of a negative size", lambda: tf.zeros([-2]), ValueError, "Invalid value in tensor used for shape: -2"),
    ("split into 0", lambda: tf.split(tf.constant([1.0, 2.0]), 0), ValueError,
     "Attr 'num_split' of 'Split' Op passed 0 less than minimum 1"),
    ("cast to a tensor", lambda: tf.cast(tf.constant(1.0), tf.constant(1)), TypeError,
     "to a TensorFlow DType"),
    ("float shape in get_variable", lambda: tf.get_variable("w", [2.5, 3]), TypeError,
     "Dimension value must be integer or None"),
    ("string shape in placeholder", lambda: tf.placeholder(tf.float32, ["a"]), TypeError,
     "Dimension value must be integer or None"),
    ("concat axis 'abc'", lambda: tf.concat([tf.constant([1.0])], "abc"), TypeError, "Expected int32"),
    ("argmax axis 0.5", lambda: tf.argmax(tf.constant([1.0, 2.0]), 0.5), TypeError,
     "axis must be int or Tensor with integer datatype"),
    ("squeeze axis 'abc'", lambda: tf.squeeze(tf.constant([[1.0]]), "abc"), TypeError,
     "Expected int for argument 'axis' not 'abc'"),
    ("strided_slice with a scalar end", lambda: tf.strided_slice(tf.constant([1.0, 2.0]), [0], 1), ValueError,
     "Shape must be rank 1 but is rank 0"),
    ("strided_slice with ragged specs", lambda: tf.strided_slice(tf.constant([[1.0]]), [0, 0], [1], [1, 1]),
     ValueError, r"Dimension 0 in both shapes must be equal, but are 2 and 1. Shapes are \[2\] and \[1\]"),
    ("pad with -1", lambda: tf.pad(tf.constant([[1.0, 2.0]]), -1), ValueError, "Shape must be rank 2 but is rank 0"),
    ("Saver(-1)", lambda: tf.train.Saver(-1), TypeError,
     "Variables to save should be passed in a dict or a list. Got -1"),
    # TF: a bare AssertionError; tinyflow says what is wrong
    ("numeric_column(shape=None)", lambda: tf.feature_column.numeric_column("a", shape=None), TypeError,
     "shape dimensions must be integer"),
    ("unhashable vocabulary", lambda: tf.feature_column.categorical_column_with_vocabulary_list("k", [[1, 2]]),
     TypeError, "vocabulary_list entries must be strings or integers"),
    ("stack of a non-list", lambda: tf.stack(tf.no_op(), axis=1), TypeError, "Expected list for 'values'"),
    ("a list feed that does not fit int32",
     lambda: run(tf.placeholder(tf.int32, name="x"), {"x:0": [1, 2 ** 40]}), TypeError,
     # TF 2.21 wraps it to [1, 0] silently; tinyflow refuses and names the tensor's type
     "a number in it does not fit"),
    # TF: RecursionError
    ("a fetch nested 5,000 deep", lambda: run(_nested(5000)), ValueError, "nested too deeply"),
    ("reduce_max axis 1.5", lambda: tf.reduce_max(tf.constant([1.0]), axis=1.5), TypeError,
     "Value passed to parameter 'reduction_indices' has DataType float32 not in list of allowed values: int32, int64"),
    ("one_hot depth 'abc'", lambda: tf.one_hot([0], "abc"), TypeError, "Expected int32, got 'abc' of type 'str'"),
    ("Dense with -1 units", lambda: tf.layers.dense(tf.constant([[1.0]]), -1), ValueError,
     "Received an invalid value for `units`, expected a positive integer. Received: units=-1"),
    ("a seed that is not a number", lambda: tf.set_random_seed("abc"), TypeError, "Expected int"),
    ("name scope 1", lambda: tf.name_scope(1).__enter__(), TypeError, "must be a string"),
    ("a constant of 2**40 elements", lambda: tf.constant(1.0, shape=[2 ** 20, 2 ** 20]), ValueError,
     "larger than 2GB"),
]


@pytest.mark.parametrize("label, fn, cls, message", LEAKS, ids=[case[0] for case in LEAKS])
def test_bad_arguments_get_tensorflows_error_class_from_tinyflows_checks(label, fn, cls, message):
    raises(cls, message, fn)


def test_bytes_names_are_fetchable():
    tf.constant(2.0, name="y")
    assert run(b"y:0") == 2.0                                                    # TF: 2.0


def test_reduce_max_and_min_of_nothing_are_their_identities():
    assert run(tf.reduce_max(tf.zeros([0]))) == -np.inf                          # TF: -inf
    np.testing.assert_array_equal(run(tf.reduce_min(tf.zeros([0, 2], tf.int32), axis=0)),
                                  [2147483647, 2147483647])                      # TF: int32 max
    assert run(tf.reduce_min(tf.zeros([0]))) == np.inf


# ---------------------------------------------------------------------------------------------
# Accepted silently where TensorFlow rejects
# ---------------------------------------------------------------------------------------------
def _graph_a_and_b():
    with tf.Graph().as_default():
        y = tf.constant(1.0) * 2.0
    with tf.Graph().as_default():
        x = tf.constant(1.0)
    return tf.gradients(y, x)


def _minimize(optimizer):
    v = tf.Variable([1.0])
    return optimizer.minimize(tf.reduce_sum(v))


SILENT = [
    ("one_hot depth -1", lambda: tf.one_hot([0, 1], -1), ValueError,
     "Dimension size, given by scalar input 1, must be non-negative but is -1"),
    ("placeholder [-2, 3]", lambda: tf.placeholder(tf.float32, [-2, 3]), ValueError, "Dimension -2 must be >= 0"),
    ("placeholder [2.5]", lambda: tf.placeholder(tf.float32, [2.5]), TypeError,
     "Dimension value must be integer or None"),
    ("add of two bools", lambda: tf.add(tf.constant(True), tf.constant(False)), TypeError,
     "Value passed to parameter 'x' has DataType bool not in list of allowed values"),
    ("cast of a string", lambda: run(tf.cast(tf.constant("1.5"), tf.float32)), tf.errors.UnimplementedError,
     "Cast string to float is not supported"),
    ("gradients across graphs", _graph_a_and_b, ValueError, "must be from the same graph as"),
    ("random_normal of a 2x3 shape", lambda: tf.random_normal(tf.ones([2, 3], tf.int32)), ValueError,
     "Shape must be rank 1 but is rank 2"),
    ("split into -1", lambda: tf.split(tf.constant([[1.0, 2.0]]), -1, axis=1), ValueError,
     "Attr 'num_split' of 'Split' Op passed -1 less than minimum 1"),
    # TF 2.21 accepts -5 when built; tinyflow names the rule at once
    ("prefetch(-5)", lambda: tf.data.Dataset.range(3).prefetch(-5), ValueError, "buffer_size must be >= 0"),
    ("group with None", lambda: tf.group(tf.no_op(), None), TypeError, "'None'"),
    ("gradients of a string", lambda: (lambda s: tf.gradients(s, s))(tf.constant("a")), TypeError,
     "Expected string"),
    ("GradientDescent with rate [1.5]", lambda: _minimize(tf.train.GradientDescentOptimizer([1.5])), ValueError,
     "Shape must be rank 0 but is rank 1 for 'GradientDescent/update_Variable/ApplyGradientDescent'"),
    ("Momentum with rate [1.5]", lambda: _minimize(tf.train.MomentumOptimizer([1.5], 0.9)), ValueError,
     "Shape must be rank 0 but is rank 1 for 'Momentum/update_Variable/ApplyMomentum'"),
    ("Adam with rate [1.5]", lambda: _minimize(tf.train.AdamOptimizer([1.5])), ValueError,
     "Shape must be rank 0 but is rank 1 for 'Adam/update_Variable/ApplyAdam'"),
    ("dropout(training='abc')", lambda: tf.layers.dropout(tf.constant([1.0]), training="abc"), TypeError,
     "Argument `pred` must be a Tensor, or a Python bool, or 1 or 0. Received: pred=abc"),
    ("one_hot with a vector on_value", lambda: run(tf.one_hot([0], 2, on_value=[1.0, 2.0])),
     tf.errors.InvalidArgumentError, r"on_value must be a scalar, but got: \[2\]"),
    ("apply_gradients with a wrong shape",
     lambda: tf.train.GradientDescentOptimizer(0.1).apply_gradients([(tf.constant([1.0, 2.0, 3.0]),
                                                                       tf.Variable([1.0, 2.0]))]),
     ValueError, r"Dimension 0 in both shapes must be equal, but are 2 and 3"),
]


@pytest.mark.parametrize("label, fn, cls, message", SILENT, ids=[case[0] for case in SILENT])
def test_calls_tensorflow_rejects_are_rejected(label, fn, cls, message):
    raises(cls, message, fn)


def test_a_bad_gradient_override_is_named():
    @tf.RegisterGradient("MyBadGrad")
    def _bad(op, grad):
        return [grad, grad]

    x = tf.constant(1.0)
    with tf.get_default_graph().gradient_override_map({"Identity": "MyBadGrad"}):
        y = tf.identity(x)
    # TF's first line, then which gradient function was used
    raises(ValueError, r'(?s)Num gradients 2 generated for op name: "Identity".*\'MyBadGrad\'', tf.gradients, y, x)


# --- Saver: a process killed in the middle of saving --------------------------------------------
_SAVING_CHILD = """
import sys
import tinyflow as tf
v = tf.Variable(tf.zeros([300000]), name="v")
step = tf.placeholder(tf.float32)
fill = tf.assign(v, tf.fill([300000], step))
saver = tf.train.Saver(max_to_keep=3)
with tf.Session() as sess:
    sess.run(v.initializer)
    print("ready", flush=True)
    for i in range(1, 100000):
        sess.run(fill, {step: float(i)})
        saver.save(sess, sys.argv[1], global_step=i)
"""


def test_a_save_killed_midway_leaves_the_last_checkpoint_restorable(tmp_path):
    import random
    import signal
    import subprocess
    import sys
    import time

    rng = random.Random(0)
    restored = 0
    for trial in range(6):
        directory = tmp_path / str(trial)
        directory.mkdir()
        prefix = str(directory / "model")
        child = subprocess.Popen([sys.executable, "-c", _SAVING_CHILD, prefix], stdout=subprocess.PIPE)
        try:
            assert child.stdout.readline().strip() == b"ready"
            time.sleep(rng.uniform(0.0, 0.15))
            child.send_signal(signal.SIGKILL)
        finally:
            child.wait(timeout=60)
            child.stdout.close()
        latest = tf.train.latest_checkpoint(str(directory))
        if latest is None:                               # killed before its first save
            continue
        with tf.Graph().as_default():
            v = tf.Variable(tf.zeros([300000]), name="v")
            saver = tf.train.Saver()
            with tf.Session() as sess:
                saver.restore(sess, latest)              # complete, whatever moment the kill came
                values = sess.run(v)
                assert values[0] == values[-1] == float(latest.rsplit("-", 1)[1])
                restored += 1
                saver.save(sess, prefix, global_step=10 ** 6)  # and the next save removes what the kill left
        assert not [name for name in os.listdir(str(directory)) if name.endswith(".tmp")]
    assert restored >= 3                                 # most kills come after the first save


# ---------------------------------------------------------------------------------------------
# Found in review: what the checks above must not break, and run-time errors from inside kernels
# ---------------------------------------------------------------------------------------------
def test_sizes_and_axes_may_be_known_dimensions():
    x = tf.placeholder(tf.float32, [None, 4])
    assert tf.zeros([x.shape[1], 10]).shape.as_list() == [4, 10]
    assert tf.constant(0.1, shape=[x.shape[1]]).shape.as_list() == [4]
    assert len(tf.unstack(x, x.shape[1], 1)) == 4
    assert tf.layers.dense(x, x.shape[1]).shape.as_list() == [None, 4]
    raises(TypeError, r"Expected int32, got Dimension\(None\)(?s:.*)tf.shape\(x\)", tf.zeros, [x.shape[0], 3])


@pytest.mark.parametrize("dtype, zero, one", [(tf.bool, False, True), (tf.int64, 0, 1), (tf.string, b"", None)])
@pytest.mark.parametrize("size", [3, 2000])                    # a constant, and a Fill (1,000 or more)
def test_zeros_and_ones_of_every_dtype(dtype, zero, one, size):
    assert run(tf.zeros([size], dtype)).tolist() == [zero] * size
    if one is None:
        raises(TypeError, "Expected string, but got 1 of type 'int'", tf.ones, [size], dtype)
    else:
        assert run(tf.ones([size], dtype)).tolist() == [one] * size


def test_zeros_of_a_partly_known_shape_points_to_tf_shape():
    x = tf.placeholder(tf.float32, [None, 3])
    raises(ValueError, r"Cannot convert a partially known TensorShape \(\?, 3\) to a Tensor", tf.zeros, x.shape)


def test_a_failed_run_says_the_iterator_gives_its_element_again():
    batch = tf.data.Dataset.range(5).batch(2).make_one_shot_iterator().get_next()
    bad = tf.reshape(batch, [2])                                   # the last batch has one element
    with tf.Session() as sess:
        sess.run(bad)
        sess.run(bad)
        error = raises(tf.errors.InvalidArgumentError, "Input to reshape", sess.run, bad)
        assert "skip it by running get_next alone" in error.message
        assert sess.run(batch).tolist() == [4]                     # skipped, as the message says
        with pytest.raises(tf.errors.OutOfRangeError):
            sess.run(batch)


KERNEL_ERRORS = [                 # TF 2.21 compat.v1 gives the same class and first line
    ("repeated reduction axes", lambda a: tf.reduce_sum(tf.ones([2, 3]), a), [1, -1],
     "Invalid reduction arguments: Axes contains duplicate dimension: 1"),
    ("a reduction axis out of range", lambda a: tf.reduce_max(tf.ones([2, 3]), a), [5],
     r"Invalid reduction dimension \[5\] for input with 2 dimension\(s\)"),
    ("a random shape with -1", lambda a: tf.random_uniform(a), [-1, 2], "Dimension -1 must be >= 0"),
    ("a cumsum axis that is a list", lambda a: tf.cumsum(tf.ones([2, 3]), a), [1],
     r"ScanOp: axis must be a scalar, not \[1\]"),
    ("a py_func returning text for a float", lambda a: tf.py_func(lambda v: "text", [a], tf.float32), [1],
     "0-th value returned by pyfunc_0 is str, but expects float"),
]


@pytest.mark.parametrize("label, build, fed, message", KERNEL_ERRORS, ids=[case[0] for case in KERNEL_ERRORS])
def test_bad_values_fed_at_run_time_get_tensorflows_error(label, build, fed, message):
    a = tf.placeholder(tf.int32)
    y = build(a)
    with tf.Session() as sess:
        error = raises(tf.errors.InvalidArgumentError, message, sess.run, y, {a: fed})
    assert error.__cause__ is None or raised_by_tinyflow(error.__cause__.__traceback__)


def test_fill_needs_a_list_of_sizes():
    raises(ValueError, "Shape must be rank 1 but is rank 0", tf.fill, 3, 1.5)


def test_range_of_too_many_numbers_is_out_of_memory():
    n = tf.placeholder(tf.int64)
    raises(tf.errors.ResourceExhaustedError, "OOM when allocating tensor with 8000000000000000000 elements", run,
           tf.range(n), {n: 8 * 10 ** 18})


def test_calls_tensorflow_accepts_still_work():
    assert run(tf.py_func(lambda a, b: a + b, np.array([1.0, 2.0]), tf.float64)) == 3.0  # an array: its rows
    assert isinstance(tf.data.Dataset.range(3).prefetch(None), tf.data.Dataset)          # None: AUTOTUNE
    vocabulary = {"a": 0, "b": 1}.keys()
    column = tf.feature_column.categorical_column_with_vocabulary_list("k", vocabulary)
    assert column.vocabulary_list == ("a", "b")
    raises(TypeError, "must be in a fixed order, not a set", tf.feature_column.categorical_column_with_vocabulary_list,
           "k", {"a", "b"})
    assert run(tf.reduce_sum(tf.constant([[1.0, 2.0]]), axis=True)).tolist() == [3.0]   # True is 1, as in TF
    raises(TypeError, "has DataType bool not in list of allowed values", tf.gather, tf.constant([1.0]), True)


def test_a_py_func_without_outputs_is_an_op_to_run():
    seen = []
    op = tf.py_func(lambda a: seen.append(float(a)), [tf.constant(1.5)], [])
    assert isinstance(op, tf.Operation)                                         # TF: the op
    run(op)
    assert seen == [1.5]
    raises(tf.errors.InvalidArgumentError, "pyfunc_1 returns 1 values, but expects to see 0 values", run,
           tf.py_func(lambda a: a, [tf.constant(1.0)], []))

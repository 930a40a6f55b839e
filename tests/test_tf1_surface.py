"""The everyday TF1 surface around the graph API: ``tf.compat.v1``, ``tf.logging``, ``tf.flags``,
``tf.app``, ``tf.gfile``, and what a TensorFlow name that tinyflow leaves out says.

Expected values and messages are TensorFlow 2.21's ``tf.compat.v1`` (``disable_v2_behavior()``)
unless a comment says otherwise.
"""
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import tinyflow as tf


def test_compat_v1_is_tinyflow():
    import tinyflow.compat.v1 as v1
    from tinyflow.compat import v1 as same
    assert v1 is tf and same is tf and tf.compat.v1 is tf
    assert tf.compat.v1.disable_v2_behavior() is None and tf.disable_eager_execution() is None
    assert tf.executing_eagerly() is False
    with pytest.raises(NotImplementedError, match="no TF 2 \\(eager\\) behaviour"):
        tf.enable_eager_execution()
    assert tf.compat.as_bytes("é") == b"\xc3\xa9" and tf.compat.as_str(b"x") == "x" == tf.compat.as_text(b"x")


def test_logging_levels_and_format(capsys):
    assert (tf.logging.DEBUG, tf.logging.INFO, tf.logging.WARN, tf.logging.ERROR, tf.logging.FATAL) == \
        (10, 20, 30, 40, 50)
    before = tf.logging.get_verbosity()
    assert before == tf.logging.WARN                                # TF: 30 until set
    try:
        tf.logging.info("hidden")
        tf.logging.set_verbosity(tf.logging.INFO)
        tf.logging.info("hello %d", 3)
        tf.logging.warn("w")
        for step in range(5):
            tf.logging.log_every_n(tf.logging.INFO, "step %d", 2, step)
    finally:
        tf.logging.set_verbosity(before)
    assert capsys.readouterr().err == ("INFO:tensorflow:hello 3\nWARNING:tensorflow:w\nINFO:tensorflow:step 0\n"
                                       "INFO:tensorflow:step 2\nINFO:tensorflow:step 4\n")


@pytest.fixture
def flag_values():
    return tf.flags.FlagValues()


def test_flags_parse_like_tensorflow(flag_values):
    tf.flags.DEFINE_string("name", "bob", "who", flag_values=flag_values)
    tf.flags.DEFINE_integer("n", 3, "count", flag_values=flag_values)
    tf.flags.DEFINE_boolean("fast", False, "go", flag_values=flag_values)
    tf.flags.DEFINE_list("layers", "64,32", "sizes", flag_values=flag_values)
    assert flag_values(["prog", "--name=al", "--n", "5", "--fast", "rest"]) == ["prog", "rest"]   # TF: the same
    assert (flag_values.name, flag_values.n, flag_values.fast, flag_values.layers) == ("al", 5, True, ["64", "32"])
    flag_values(["prog", "--nofast", "--layers=8"])
    assert flag_values.fast is False and flag_values.layers == ["8"]


def test_flag_errors(flag_values):
    tf.flags.DEFINE_integer("n", 3, "count", flag_values=flag_values)
    with pytest.raises(tf.flags.DuplicateFlagError, match="The flag 'n' is defined twice. First from .*"
                       "Description from first occurrence: count"):
        tf.flags.DEFINE_integer("n", 4, "again", flag_values=flag_values)
    with pytest.raises(tf.flags.UnrecognizedFlagError, match="Unknown command line flag 'bogus'"):
        flag_values(["prog", "--bogus=1"])
    with pytest.raises(tf.flags.IllegalFlagValueError, match="flag --n=abc: invalid literal for int"):
        flag_values(["prog", "--n=7", "--n=abc"])
    assert flag_values.n == 3                                      # a failed parse sets nothing
    assert flag_values(["prog", "-f", "kernel.json"], known_only=True) == ["prog", "-f", "kernel.json"]


def test_a_classic_program_with_flags_logging_and_app_run(tmp_path):
    program = tmp_path / "train.py"
    program.write_text(textwrap.dedent("""
        import tinyflow as tf

        tf.app.flags.DEFINE_integer("steps", 2, "training steps")
        tf.app.flags.DEFINE_string("logdir", "", "where")
        FLAGS = tf.app.flags.FLAGS

        def main(argv):
            tf.logging.set_verbosity(tf.logging.INFO)
            if not tf.gfile.Exists(FLAGS.logdir):
                tf.gfile.MakeDirs(FLAGS.logdir)
            x = tf.Variable(0.0)
            step = tf.assign_add(x, 1.0)
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                for _ in range(FLAGS.steps):
                    value = sess.run(step)
                tf.logging.info("value %s after %d steps; left: %s", value, FLAGS.steps, argv[1:])
            with tf.gfile.GFile(FLAGS.logdir + "/done.txt", "w") as f:
                f.write("ok")
            return 3

        if __name__ == "__main__":
            tf.app.run()
        """))
    logdir = tmp_path / "logs" / "run1"
    result = subprocess.run([sys.executable, str(program), "--steps=4", "--logdir=%s" % logdir, "extra"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 3, result.stderr                    # sys.exit(main(argv)), as TF
    assert "INFO:tensorflow:value 4.0 after 4 steps; left: ['extra']" in result.stderr
    with tf.gfile.GFile(str(logdir / "done.txt")) as f:
        assert f.read() == "ok"


def test_gfile_errors_are_tensorflows(tmp_path):
    missing = str(tmp_path / "missing")
    with pytest.raises(tf.errors.NotFoundError, match="missing; No such file or directory"):
        tf.gfile.GFile(missing).read()
    with pytest.raises(tf.errors.NotFoundError, match="Could not find directory .*missing"):
        tf.gfile.ListDirectory(missing)
    with pytest.raises(tf.errors.NotFoundError, match="missing; No such file or directory"):
        tf.gfile.Remove(missing)
    with pytest.raises(tf.errors.NotFoundError, match="missing not found"):
        tf.gfile.DeleteRecursively(missing)
    tf.gfile.MkDir(str(tmp_path))                                   # TF 2.21: an existing directory is fine
    (tmp_path / "a.txt").write_text("1")
    (tmp_path / "b.txt").write_text("2")
    with pytest.raises(tf.errors.AlreadyExistsError, match="file already exists"):
        tf.gfile.Copy(str(tmp_path / "a.txt"), str(tmp_path / "b.txt"))
    assert tf.gfile.Glob(str(tmp_path / "*.txt")) == [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    assert tf.io.gfile.listdir(str(tmp_path)) == ["a.txt", "b.txt"]
    tf.io.gfile.rmtree(str(tmp_path / "a.txt"))
    assert not os.path.exists(str(tmp_path / "a.txt")) and tf.io.gfile.exists(str(tmp_path / "b.txt"))


@pytest.mark.parametrize("get, message", [
    (lambda: tf.contrib, "tf.contrib is a TensorFlow 1.x name that tinyflow does not provide(?s:.*)Instead: tf.layers"),
    (lambda: tf.estimator, "tf.estimator is a TensorFlow 1.x name"),
    (lambda: tf.keras, "Instead: tf.layers"),
    (lambda: tf.nn.raw_rnn, "module 'tinyflow.nn' has no attribute 'raw_rnn': tf.nn.raw_rnn is a TensorFlow"),
    (lambda: tf.nn.rnn_cell.LSTMBlockCell, "tf.nn.rnn_cell.LSTMBlockCell|has no attribute 'LSTMBlockCell'"),
    (lambda: tf.train.SyncReplicasOptimizer, "tf.train.SyncReplicasOptimizer is a TensorFlow 1.x name"),
    (lambda: tf.feature_column.crossed_column, "tf.feature_column.crossed_column is a TensorFlow 1.x name"),
    (lambda: tf.trian, "module 'tinyflow' has no attribute 'trian'\nDid you mean: train"),
    (lambda: tf.nn.relux, "Did you mean: relu"),
])
def test_a_tensorflow_name_tinyflow_leaves_out_says_so(get, message):
    with pytest.raises(AttributeError, match=message):
        get()


def test_every_tensorflow_name_is_there_or_says_it_is_not_provided():
    from tinyflow import not_provided
    counts = {}
    for namespace in ["tf", "nn", "train", "layers", "losses", "data", "summary", "feature_column", "metrics"]:
        module = tf if namespace == "tf" else getattr(tf, namespace)
        have = 0
        for name in sorted(not_provided.tensorflow_names(namespace)):
            try:
                getattr(module, name)
                have += 1
            except AttributeError as e:
                assert "is a TensorFlow 1.x name that tinyflow does not provide" in str(e), (namespace, name)
        counts[namespace] = have
    assert counts["tf"] >= 200 and counts["nn"] >= 20                  # what is there (grows with the issues)
    print(counts)


def test_devices_are_recorded_as_tensorflow_writes_them():
    with tf.device("/cpu:0"):
        a = tf.constant(1.0)
    with tf.device("/job:worker/task:1"):
        with tf.device("/cpu:0"):
            b = tf.constant(2.0)
        with tf.device("/gpu:1"):
            c = a + b
        with tf.device(None):
            d = tf.constant(0)
    with tf.device(lambda op: "/cpu:0" if op.type == "Const" else "/gpu:0"):
        e = tf.constant(3.0) * 2.0
    # TF 2.21 compat.v1: the same strings
    assert [a.device, b.device, c.device, d.device, e.device, e.op.inputs[0].device] == [
        "/device:CPU:0", "/job:worker/task:1/device:CPU:0", "/job:worker/task:1/device:GPU:1", "", "/gpu:0", "/cpu:0"]
    assert 'device: "/job:worker/task:1/device:GPU:1"' in str(tf.get_default_graph().as_graph_def())
    with tf.Session() as sess:                           # tinyflow runs every op on the CPU
        assert sess.run(c) == 3.0
    with pytest.raises(ValueError, match="Unknown attribute: 'bogus:1' in '/bogus:1'"):
        with tf.device("/bogus:1"):
            pass


def test_replica_device_setter_puts_variables_on_parameter_servers():
    assert tf.train.replica_device_setter(ps_tasks=0) is None
    with tf.device(tf.train.replica_device_setter(ps_tasks=2)):
        v = tf.Variable(1.0)
        w = tf.Variable(2.0)
        x = v + w
    assert (v.device, w.device, x.device) == ("/job:ps/task:0", "/job:ps/task:1", "/job:worker")   # TF 2.21
    assert v.initializer.device == v.device


def test_session_options_are_accepted():
    config = tf.ConfigProto(log_device_placement=False, allow_soft_placement=True)
    config.gpu_options.allow_growth = True
    config.gpu_options.per_process_gpu_memory_fraction = 0.4
    # TF 2.21: str(config)
    assert str(config) == ("gpu_options {\n  per_process_gpu_memory_fraction: 0.4\n  allow_growth: true\n}\n"
                           "allow_soft_placement: true\n")
    assert tf.ConfigProto(gpu_options=tf.GPUOptions(per_process_gpu_memory_fraction=0.5),
                          device_count={"GPU": 0}).device_count == {"GPU": 0}
    with pytest.raises(ValueError, match='Protocol message ConfigProto has no "bogus" field.'):
        tf.ConfigProto(bogus=1)
    with pytest.raises(AttributeError, match='no field "bogus"'):
        config.bogus = 1
    options, metadata = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE), tf.RunMetadata()
    assert (tf.RunOptions.NO_TRACE, tf.RunOptions.FULL_TRACE, options.trace_level) == (0, 3, 3)
    x = tf.constant(1.0) * 2.0
    with tf.Session(config=config) as sess:
        assert sess.run(x, options=options, run_metadata=metadata) == 2.0
    with pytest.raises(TypeError, match="config must be a tf.ConfigProto"):
        tf.Session(config=5)


def _x():
    return tf.constant([[1.0, -2.5, 3.5], [0.5, 4.0, -1.5]])


def test_clipping_names_and_values_are_tensorflows():
    x = _x()
    low = tf.clip_by_value(x, -1.0, 2.0)
    by_norm = tf.clip_by_norm(x, 2.0)
    norm = tf.global_norm([x, tf.constant([3.0])])
    clipped, used = tf.clip_by_global_norm([x, tf.constant([3.0]), None], 2.0)
    # TF 2.21 compat.v1: names and values
    assert [low.name, by_norm.name, norm.name, clipped[0].name, clipped[1].name, used.name] == [
        "clip_by_value:0", "clip_by_norm:0", "global_norm/global_norm:0",
        "clip_by_global_norm/clip_by_global_norm/_0:0", "clip_by_global_norm/clip_by_global_norm/_1:0",
        "global_norm_1/global_norm:0"]
    assert clipped[2] is None
    with tf.Session() as sess:
        v_low, v_norm, v_global, v_clipped, v_used = sess.run([low, by_norm, norm, clipped[0], used])
    np.testing.assert_allclose(v_low, [[1.0, -1.0, 2.0], [0.5, 2.0, -1.0]])
    np.testing.assert_allclose(v_norm, [[0.324443, -0.811107, 1.13555], [0.162221, 1.297771, -0.486664]], rtol=1e-5)
    np.testing.assert_allclose(v_global, 6.855654, rtol=1e-6)
    np.testing.assert_allclose(v_clipped, [[0.29173, -0.729325, 1.021055], [0.145865, 1.16692, -0.437595]],
                               rtol=1e-5)
    np.testing.assert_allclose(v_used, 6.855654, rtol=1e-6)
    with pytest.raises(ValueError, match="clip_value_min 2.0 is greater than clip_value_max -1.0"):
        tf.clip_by_value(x, 2.0, -1.0)
    with pytest.raises(TypeError, match="`t_list` should be a sequence of tensors"):
        tf.clip_by_global_norm(x, 1.0)


def test_top_k_in_top_k_logsumexp_l2_normalize_rounding():
    x = _x()
    values, indices = tf.nn.top_k(x, 2)
    hit = tf.nn.in_top_k(x, [2, 0], 1)
    ties = tf.nn.in_top_k(tf.constant([[1.0, 1.0, 0.0], [np.nan, 1.0, 2.0]]), [1, 2], 1)
    lse = tf.reduce_logsumexp(x, axis=1)
    unit = tf.nn.l2_normalize(x, axis=1)
    assert [values.name, indices.name, hit.name, lse.name, unit.name] == [
        "TopKV2:0", "TopKV2:1", "in_top_k/InTopKV2:0", "ReduceLogSumExp:0", "l2_normalize:0"]     # TF 2.21
    grad_top = tf.gradients(tf.reduce_sum(values * [[1.0, 2.0], [3.0, 4.0]]), x)[0]
    grad_lse = tf.gradients(lse, x)[0]
    with tf.Session() as sess:
        got = sess.run([values, indices, hit, ties, lse, unit, grad_top, grad_lse])
    assert got[0].tolist() == [[3.5, 1.0], [4.0, 0.5]] and got[1].tolist() == [[2, 0], [1, 0]]
    assert got[2].tolist() == [True, False] and got[3].tolist() == [True, False]   # a tie counts; NaN: False
    np.testing.assert_allclose(got[4], [3.581178, 4.03371], rtol=1e-6)
    np.testing.assert_allclose(got[5], [[0.226455, -0.566139, 0.792594], [0.116248, 0.929981, -0.348743]],
                               rtol=1e-5)
    assert got[6].tolist() == [[2.0, 0.0, 1.0], [4.0, 3.0, 0.0]]
    np.testing.assert_allclose(got[7], [[0.075685, 0.002285, 0.92203], [0.029196, 0.966852, 0.003951]], atol=1e-6)
    with pytest.raises(ValueError, match="input must have last dimension >= k = 5 but is 3"):
        tf.nn.top_k(x, 5)
    with pytest.raises(TypeError, match="Value passed to parameter 'targets' has DataType float32"):
        tf.nn.in_top_k(x, [2.5, 0.0], 1)
    with tf.Session() as sess:
        assert sess.run(tf.round(tf.constant([0.5, 1.5, -0.5, 2.4]))).tolist() == [0.0, 2.0, -0.0, 2.0]
        assert sess.run(tf.rint(tf.constant([0.5, 1.5, -0.5, 2.6]))).tolist() == [0.0, 2.0, -0.0, 3.0]
        assert sess.run(tf.is_finite(tf.constant([1.0, np.nan, np.inf]))).tolist() == [True, False, False]
        assert sess.run(tf.arg_max(x, 1)).tolist() == [2, 1]
    assert tf.gradients(tf.floor(x), x) == [None]
    with pytest.raises(TypeError, match="Value passed to parameter 'x' has DataType int32 not in list"):
        tf.floor(tf.constant([1, 2]))


def test_learning_rate_schedules_are_tensorflows():
    step = tf.placeholder(tf.int64, [])
    rates = [tf.train.exponential_decay(0.1, step, 100, 0.96),
             tf.train.exponential_decay(0.1, step, 100, 0.96, staircase=True),
             tf.train.polynomial_decay(0.1, step, 100), tf.train.polynomial_decay(0.1, step, 100, 0.01, power=0.5),
             tf.train.inverse_time_decay(0.1, step, 100, 0.5),
             tf.train.inverse_time_decay(0.1, step, 100, 0.5, staircase=True),
             tf.train.natural_exp_decay(0.1, step, 100, 0.5), tf.train.cosine_decay(0.1, step, 100),
             tf.train.cosine_decay(0.1, step, 100, alpha=0.1)]
    assert [r.name for r in rates] == [   # TF 2.21 compat.v1
        "ExponentialDecay:0", "ExponentialDecay_1:0", "PolynomialDecay:0", "PolynomialDecay_1:0",
        "InverseTimeDecay:0", "InverseTimeDecay_1:0", "ExponentialDecay_2:0", "CosineDecay/Mul_3:0",
        "CosineDecay_1/Mul_3:0"]
    expected = {50: [0.0979796, 0.1, 0.05005, 0.0736396, 0.08, 0.1, 0.0778801, 0.05, 0.055],
                150: [0.0940604, 0.096, 0.0001, 0.01, 0.0571429, 0.0666667, 0.0472367, 0.0, 0.01]}
    with tf.Session() as sess:
        for at, values in expected.items():
            np.testing.assert_allclose(sess.run(rates, {step: at}), values, rtol=1e-5, atol=1e-7)
    with pytest.raises(ValueError, match="global_step is required for exponential_decay"):
        tf.train.exponential_decay(0.1, None, 100, 0.96)


def test_device_scopes_combine_as_tensorflow():
    with tf.device("/cpu:0"):
        with tf.device(tf.train.replica_device_setter(ps_tasks=2)):
            v = tf.Variable(1.0)
            w = v * 2.0
    with tf.device("/job:a"):
        with tf.device(lambda op: "/gpu:0"):
            x = tf.constant(1.0)
    with tf.device(lambda op: "/job:a/gpu:0"):
        with tf.device("/cpu:0"):
            y = tf.constant(1.0)
    with tf.device("/job:w/task:1"):
        with tf.device(None):
            z = tf.constant(0)
        with tf.device("/device:GPU:*"):
            q = tf.constant(0)
        with tf.device("/job:ps/replica:0"):
            r = tf.constant(0)
    # TF 2.21 compat.v1: the same devices
    assert [v.device, w.device, x.device, y.device, z.device, q.device, r.device] == [
        "/job:ps/task:0/device:CPU:0", "/job:worker/device:CPU:0", "/job:a/device:GPU:0", "/job:a/gpu:0", "",
        "/job:w/task:1/device:GPU:*", "/job:ps/replica:0/task:1"]


def test_top_k_and_in_top_k_edges():
    k = tf.placeholder(tf.int32)
    values, indices = tf.nn.top_k(tf.constant([[1.0, np.nan, 3.0, 3.0], [2.0, 2.0, 0.0, -1.0]]), k)
    with tf.Session() as sess:
        got_values, got_indices = sess.run([values, indices], {k: 2})
        assert np.isnan(got_values[0, 0]) and got_indices.tolist() == [[1, 2], [0, 1]]   # TF: NaN is the largest
        assert sess.run(values, {k: 0}).shape == (2, 0)
        with pytest.raises(tf.errors.InvalidArgumentError, match="Need k >= 0, got -1"):
            sess.run(values, {k: -1})
        assert sess.run(tf.nn.in_top_k(tf.constant([[1.0, 2.0], [3.0, 1.0]]), [5, -1], 1)).tolist() == [False, False]


def test_image_summaries_have_tensorflows_pixels_and_tags():
    from tensorboard.compat.proto import summary_pb2
    import zlib

    def pixels(png):                                 # our PNGs: one IDAT of unfiltered rows
        start = png.index(b"IDAT") + 4
        length = int.from_bytes(png[start - 8:start - 4], "big")
        raw = zlib.decompress(png[start:start + length])
        width = int.from_bytes(png[16:20], "big")
        channels = {0: 1, 2: 3, 6: 4}[png[25]]
        stride = width * channels + 1
        return [b for row in range(len(raw) // stride) for b in raw[row * stride + 1:(row + 1) * stride]]

    rng = np.random.RandomState(0)
    cases = [rng.uniform(0, 1, (1, 2, 8, 1)), rng.uniform(-1, 3, (1, 2, 8, 1)), rng.uniform(-3, 1, (1, 2, 8, 1)),
             np.array([[np.nan, 1], [0.5, np.inf]]).reshape(1, 2, 2, 1),
             np.array([np.nan, 0.5, 0.2]).reshape(1, 1, 1, 3)]
    expected = [   # TF 2.21 compat.v1, decoded with tf.image.decode_png
        [145, 189, 159, 144, 112, 170, 115, 235, 254, 101, 209, 139, 150, 244, 18, 23],
        [87, 229, 220, 236, 255, 223, 164, 220, 105, 195, 109, 249, 175, 156, 130, 219],
        [76, 96, 1, 105, 104, 104, 161, 116, 60, 73, 118, 8, 113, 114, 34, 20],
        [255, 255, 127, 255], [255, 0, 0]]
    with tf.Session() as sess:
        for case, want in zip(cases, expected):
            value = summary_pb2.Summary.FromString(sess.run(tf.summary.image("im", tf.constant(case, tf.float32), 1)))
            assert pixels(value.value[0].image.encoded_image_string) == want
        tags = summary_pb2.Summary.FromString(sess.run(tf.summary.image("one", tf.constant(cases[0], tf.float32))))
    assert [v.tag for v in tags.value] == ["one/image/0"]          # TF: max_outputs=3 gives /image/0 for one


def test_text_summaries_and_run_metadata_reach_tensorboard(tmp_path):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    note = tf.summary.text("note", tf.constant(["hello", "world"]))
    with tf.Session() as sess, tf.summary.FileWriter(str(tmp_path)) as writer:
        metadata = tf.RunMetadata()
        writer.add_summary(sess.run(note, options=tf.RunOptions(trace_level=3), run_metadata=metadata), 1)
        writer.add_run_metadata(metadata, "step001")
        with pytest.raises(ValueError, match="The provided tag was already used"):
            writer.add_run_metadata(metadata, "step001")
    events = EventAccumulator(str(tmp_path))
    events.Reload()
    assert events.Tags()["run_metadata"] == ["step001"]
    assert [s.decode() for s in events.Tensors("note")[0].tensor_proto.string_val] == ["hello", "world"]


def test_flag_values_as_absl_reads_them(flag_values):
    tf.flags.DEFINE_boolean("fast", False, "go", flag_values=flag_values)
    tf.flags.DEFINE_list("names", "", "who", flag_values=flag_values)
    tf.flags.DEFINE_integer("n", 1, "count", flag_values=flag_values)
    flag_values(["prog", "--names=a,,b", "--n=0x10"])
    assert flag_values.names == ["a", "", "b"] and flag_values.n == 16
    with pytest.raises(tf.flags.IllegalFlagValueError):
        flag_values(["prog", "--fast=yes"])
    with pytest.raises(tf.flags.IllegalFlagValueError, match="flag --m=abc"):
        tf.flags.DEFINE_integer("m", "abc", "bad default", flag_values=flag_values)


def test_gfile_refusals_are_tensorflow_errors(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(tf.errors.FailedPreconditionError):
        tf.gfile.MakeDirs(str(tmp_path / "file" / "sub"))
    with pytest.raises(tf.errors.FailedPreconditionError, match="Is a directory"):
        tf.gfile.Remove(str(tmp_path))
    with pytest.raises(tf.errors.AlreadyExistsError):
        tf.gfile.GFile(str(tmp_path / "file"), "x")
    with tf.gfile.GFile(str(tmp_path / "bytes.txt"), "w") as f:
        f.write(b"as bytes")                                   # TF's GFile takes bytes in text mode
    assert (tmp_path / "bytes.txt").read_text() == "as bytes"


def test_version_states_the_tensorflow_api_level_and_tinyflows_release():
    from importlib.metadata import version
    assert tf.__version__ == tf.VERSION and tf.VERSION.startswith("1.15.0+tinyflow.")
    assert tf.VERSION.split("+tinyflow.")[1] == version("tinyflow-course")     # the distribution's own version


def test_reverse_sequence_mask_linspace():
    made = [tf.linspace(0.0, 1.0, 5), tf.sequence_mask([1, 3, 2], 4), tf.reverse(tf.constant([[1, 2], [3, 4]]), [1])]
    # TF 1.15's op for linspace is LinSpace (TF 2.21 builds it from Slice ops); the others: TF 2.21's names
    assert [t.name for t in made] == ["LinSpace:0", "SequenceMask/Less:0", "ReverseV2:0"]
    with tf.Session() as sess:
        assert sess.run(made[0]).tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
        assert sess.run(made[1]).tolist() == [[True, False, False, False], [True, True, True, False],
                                              [True, True, False, False]]
        assert sess.run(made[2]).tolist() == [[2, 1], [4, 3]]
    with pytest.raises(ValueError, match=r"'axis'\[0\] = 2 is out of valid range \[0, 1"):
        tf.reverse(tf.constant([[1.0]]), [2])


def test_math_random_linalg_hold_the_same_functions():
    assert tf.math.log is tf.log and tf.math.reduce_sum is tf.reduce_sum and tf.math.sigmoid is tf.nn.sigmoid
    assert tf.random.normal is tf.random_normal and tf.random.uniform is tf.random_uniform
    assert tf.linalg.matmul is tf.matmul
    with pytest.raises(AttributeError, match="tf.math.bessel_i0 is a TensorFlow 1.x name"):
        tf.math.bessel_i0  # noqa: B018
    with pytest.raises(AttributeError, match="Did you mean: normal"):
        tf.random.normall  # noqa: B018


def test_piecewise_constant_is_tf1s_case():
    step = tf.Variable(0, trainable=False, dtype=tf.int64, name="global_step")
    rate = tf.train.piecewise_constant(step, [10, 20], [1.0, 0.5, 0.1])
    # TF 2.21 compat.v1: the same 62 ops, names, inputs and control inputs
    assert str(rate) == 'Tensor("PiecewiseConstant/case/cond/Merge:0", shape=(), dtype=float32)'
    assert len(tf.get_default_graph().get_operations()) == 62
    merge = tf.get_default_graph().get_operation_by_name("PiecewiseConstant/case/cond/Merge")
    assert merge.control_inputs == []              # the case's assertion guards the first Switch only
    inc = tf.assign_add(step, 5)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        seen = []
        for _ in range(6):
            seen.append(sess.run(rate))
            sess.run(inc)
    np.testing.assert_allclose(seen, [1.0, 1.0, 1.0, 0.5, 0.5, 0.1], rtol=1e-7)       # TF 2.21
    with pytest.raises(ValueError, match="The length of boundaries should be 1 less than the length of values"):
        tf.train.piecewise_constant(step, [10, 20], [1.0, 0.5])
    with pytest.raises(ValueError, match=r"Boundaries \(float32\) must have the same dtype as x \(int64\)"):
        tf.train.piecewise_constant(step, [10.0], [1.0, 0.5])

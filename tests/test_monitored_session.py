"""tf.train.MonitoredTrainingSession, MonitoredSession and the hooks, and ExponentialMovingAverage
(as TensorFlow 1.15 behaves; values seen in TF 2.21's tf.compat.v1)."""
import logging
import os

import numpy as np
import pytest

import tinyflow as tf


class Recorder(tf.train.SessionRunHook):
    def __init__(self):
        self.calls = []

    def begin(self):
        self.calls.append(("begin", tf.get_default_graph().finalized))

    def after_create_session(self, session, coord):
        self.calls.append(("create", tf.get_default_graph().finalized, type(coord).__name__))

    def before_run(self, run_context):
        args = run_context.original_args
        self.calls.append(("before", type(args).__name__, args.feed_dict is None))
        return tf.train.SessionRunArgs({"gs": tf.train.get_global_step()})

    def after_run(self, run_context, run_values):
        self.calls.append(("after", int(run_values.results["gs"]), run_context.stop_requested))

    def end(self, session):
        self.calls.append(("end",))


def build():
    gs = tf.train.get_or_create_global_step()
    w = tf.Variable(1.0, name="w")
    loss = tf.square(w - 3.0)
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=gs)
    return gs, w, loss, train


def training_session(directory, hooks):
    return tf.train.MonitoredTrainingSession(checkpoint_dir=str(directory), hooks=hooks, save_checkpoint_steps=2,
                                             log_step_count_steps=None, save_summaries_steps=None)


def test_train_stop_at_step_save_and_resume(tmp_path):
    with tf.Graph().as_default() as g:
        gs, w, loss, train = build()
        rec = Recorder()
        runs = []
        with training_session(tmp_path, [tf.train.StopAtStepHook(last_step=5), rec]) as sess:
            assert g.finalized
            with pytest.raises(RuntimeError, match="Graph is finalized"):
                tf.constant(1.0)
            while not sess.should_stop():
                runs.append(sess.run([train, loss, gs])[1:])
        assert sess.should_stop() and not g.finalized
    # TF 2.21 compat.v1
    np.testing.assert_allclose([r[0] for r in runs], [4.0, 2.5600002, 1.6384, 1.0485759, 0.6710887], rtol=1e-6)
    assert [r[1] for r in runs] == [1, 2, 3, 4, 5]
    assert rec.calls == [("begin", False), ("create", True, "Coordinator")] + [
        c for step in range(1, 6) for c in (("before", "SessionRunArgs", True), ("after", step, step == 5))
    ] + [("end",)]
    assert sorted(f for f in os.listdir(tmp_path) if f.endswith(".npz")) == [
        "model.ckpt-0.npz", "model.ckpt-2.npz", "model.ckpt-4.npz", "model.ckpt-5.npz"]
    assert any(f.startswith("events.out.tfevents") for f in os.listdir(tmp_path))
    assert tf.train.latest_checkpoint(str(tmp_path)) == str(tmp_path / "model.ckpt-5")

    with tf.Graph().as_default():
        gs, w, loss, train = build()
        steps = []
        with training_session(tmp_path, [tf.train.StopAtStepHook(num_steps=3)]) as sess:
            restored = sess.run([gs, w])
            while not sess.should_stop():
                steps.append(sess.run([train, gs])[1])
    # TF 2.21 compat.v1: resumed at step 5, w = 2.34464; checkpoints 2, 4, 5, 7, 8 kept
    assert restored[0] == 5 and abs(restored[1] - 2.34464) < 1e-5
    assert steps == [6, 7, 8]
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert [os.path.basename(p) for p in state.all_model_checkpoint_paths] == [
        "model.ckpt-2", "model.ckpt-4", "model.ckpt-5", "model.ckpt-7", "model.ckpt-8"]


def test_default_hooks_write_summaries_and_save_at_start_and_end(tmp_path):
    gs = tf.train.get_or_create_global_step()
    w = tf.Variable(1.0, name="w")
    loss = tf.square(w - 3.0)
    tf.summary.scalar("loss", loss)
    train = tf.train.AdadeltaOptimizer(1.0).minimize(loss, global_step=gs)
    with tf.train.MonitoredTrainingSession(checkpoint_dir=str(tmp_path), save_summaries_steps=2,
                                           log_step_count_steps=2,
                                           hooks=[tf.train.StopAtStepHook(last_step=6)]) as sess:
        while not sess.should_stop():
            sess.run(train)
    files = sorted(os.listdir(tmp_path))
    # TF 2.21 compat.v1 (save_checkpoint_secs=600): checkpoints of steps 0 and 6, and an event file
    assert [f for f in files if f.endswith(".npz")] == ["model.ckpt-0.npz", "model.ckpt-6.npz"]
    events = [f for f in files if f.startswith("events.out.tfevents")]
    assert len(events) == 1 and os.path.getsize(tmp_path / events[0]) > 0


def test_out_of_range_ends_the_with_block_quietly():
    x = tf.data.Dataset.range(3).make_one_shot_iterator().get_next()
    seen = []
    with tf.train.MonitoredSession() as sess:
        while not sess.should_stop():
            seen.append(int(sess.run(x)))
    assert seen == [0, 1, 2] and sess.should_stop()


def test_out_of_range_without_with_and_closing_twice():
    x = tf.data.Dataset.range(2).make_one_shot_iterator().get_next()
    sess = tf.train.MonitoredSession()
    with pytest.raises(tf.errors.OutOfRangeError):
        while True:
            sess.run(x)
    assert not sess.should_stop()            # TF 2.21 compat.v1: only closing stops it
    sess.close()
    assert sess.should_stop()
    with pytest.raises(RuntimeError, match="^Session is already closed."):
        sess.close()
    with pytest.raises(RuntimeError, match="^Attempted to use a closed Session"):
        sess.run(x)


def test_hook_errors():
    with pytest.raises(ValueError, match="^One of num_steps or last_step must be specified.\nFix"):
        tf.train.StopAtStepHook()
    with pytest.raises(ValueError, match="^Only one of num_steps or last_step can be specified.\nFix"):
        tf.train.StopAtStepHook(num_steps=1, last_step=2)
    with pytest.raises(ValueError, match="^either at_end and/or exactly one of every_n_iter and every_n_secs"):
        tf.train.LoggingTensorHook(["a"], every_n_iter=2, every_n_secs=1)
    with pytest.raises(ValueError, match="^either at_end and/or exactly one of every_n_iter and every_n_secs"):
        tf.train.LoggingTensorHook(["a"])
    with pytest.raises(ValueError, match="^invalid every_n_iter=0."):
        tf.train.LoggingTensorHook(["a"], every_n_iter=0)
    with pytest.raises(ValueError, match="^exactly one of every_n_steps and every_n_secs should be provided."):
        tf.train.StepCounterHook(every_n_secs=3)
    with pytest.raises(ValueError, match="^Either every_secs or every_steps should be provided."):
        tf.train.CheckpointSaverHook("ckpt")
    with pytest.raises(ValueError, match="^Can not provide both every_secs and every_steps."):
        tf.train.CheckpointSaverHook("ckpt", save_steps=1, save_secs=1)
    tf.Variable(1.0)
    with pytest.raises(RuntimeError, match="^Global step should be created to use StopAtStepHook.\nFix"):
        tf.train.MonitoredSession(hooks=[tf.train.StopAtStepHook(num_steps=1)])


def test_nan_tensor_hook():
    loss = tf.constant(np.nan)
    with tf.train.MonitoredSession(hooks=[tf.train.NanTensorHook(loss, fail_on_nan_loss=False)]) as sess:
        sess.run(loss)
        assert sess.should_stop()
        with pytest.raises(RuntimeError, match="^Run called even after should_stop requested."):
            sess.run(loss)
    with pytest.raises(tf.train.NanLossDuringTrainingError, match="^NaN loss during training.\nFix"):
        with tf.train.MonitoredSession(hooks=[tf.train.NanTensorHook(loss)]) as sess:
            sess.run(loss)
    assert issubclass(tf.train.NanLossDuringTrainingError, RuntimeError)


def test_logging_final_ops_and_singular_session(caplog):
    a = tf.constant([1.5, 2.0], name="a")
    c = tf.Variable(0, name="c")
    inc = tf.assign_add(c, 1)
    final = tf.train.FinalOpsHook(c)
    old = tf.logging.get_verbosity()
    tf.logging.set_verbosity(tf.logging.INFO)
    try:
        with caplog.at_level(logging.INFO, logger="tensorflow"):
            with tf.train.MonitoredSession(hooks=[tf.train.LoggingTensorHook({"a": a, "cc": "c:0"}, every_n_iter=2),
                                                  final]) as sess:
                for _ in range(3):
                    sess.run(inc)
    finally:
        tf.logging.set_verbosity(old)
    logged = [r.getMessage() for r in caplog.records if r.getMessage().startswith("a = ")]
    # TF 2.21 compat.v1: "a = [1.5 2. ], cc = 1", then "a = [1.5 2. ], cc = 3 (0.003 sec)"
    assert logged[0] == "a = [1.5 2. ], cc = 1"
    assert logged[1].startswith("a = [1.5 2. ], cc = 3 (") and len(logged) == 2
    assert final.final_ops_values == 3

    with tf.train.SingularMonitoredSession() as sess:
        assert isinstance(sess.raw_session(), tf.Session) and sess.run(c) == 0

        def step_fn(step_context):
            assert step_context.run_with_hooks(inc) == 1
            step_context.request_stop()
        sess.run_step_fn(step_fn)
        pytest.fail("request_stop ends the with block")


def test_feeds_from_hooks_and_conflicts():
    x = tf.placeholder(tf.float32, [], name="x")
    y = x * 2.0
    hook = tf.train.FeedFnHook(lambda: {x: 3.0})
    with tf.train.MonitoredSession(hooks=[hook]) as sess:
        assert sess.run(y) == 6.0
        with pytest.raises(RuntimeError, match="^Same tensor is fed by a SessionRunHook and user."):
            sess.run(y, feed_dict={x: 1.0})


def test_scaffold_init_fn_and_ready_check():
    v = tf.Variable(2.0, name="v")
    seen = []
    scaffold = tf.train.Scaffold(init_fn=lambda scaffold, sess: seen.append(scaffold))
    with tf.train.MonitoredSession(tf.train.ChiefSessionCreator(scaffold=scaffold)) as sess:
        assert sess.run(v) == 2.0 and seen == [scaffold]
    with tf.Graph().as_default():
        tf.Variable(2.0, name="v")
        scaffold = tf.train.Scaffold(init_op=tf.no_op())
        with pytest.raises(RuntimeError, match="^Init operations did not make model ready.*Variables not "
                                               "initialized: v\nFix"):
            tf.train.MonitoredSession(tf.train.ChiefSessionCreator(scaffold=scaffold))


def test_names_are_in_tf_train():
    for name in ["MonitoredTrainingSession", "MonitoredSession", "SingularMonitoredSession", "SessionRunHook",
                 "SessionRunArgs", "SessionRunValues", "SessionRunContext", "StopAtStepHook", "CheckpointSaverHook",
                 "LoggingTensorHook", "NanTensorHook", "StepCounterHook", "FinalOpsHook", "Scaffold", "Coordinator",
                 "ExponentialMovingAverage", "AdadeltaOptimizer", "FtrlOptimizer",
                 "ProximalGradientDescentOptimizer", "ProximalAdagradOptimizer"]:
        assert name in dir(tf.train)
        getattr(tf.train, name)


# --------------------------------------------------------------------------------------------
# ExponentialMovingAverage
# --------------------------------------------------------------------------------------------
# TF 2.21 compat.v1: averages of w (from [1, 2], += [0.5, -1] per step), b (from 3, += 1) and
# t = 2 w (a tensor) after each of three steps, with decay 0.9
EMA_GOLDEN = {
    (False, False): [([1.0, 2.0], 3.0, [0.20000005, 0.4000001]), ([1.05, 1.9], 3.1, [0.4800001, 0.5600001]),
                     ([1.145, 1.7099999], 3.29, [0.8320002, 0.50400007])],
    (True, False): [([1.0, 2.0], 3.0, [1.8, 3.6]), ([1.4090909, 1.1818182], 3.8181818, [2.7818182, 2.290909]),
                    ([1.8522727, 0.29545456], 4.7045455, [3.6954546, 0.5727272])],
    (False, True): [([1.0, 2.0], 3.0, [2.0, 4.0]), ([1.05, 1.9], 3.1, [2.5263157, 2.9473681]),
                    ([1.145, 1.7099999], 3.29, [3.0701103, 1.8597783])],
}


@pytest.mark.parametrize("num_updates,zero_debias", sorted(EMA_GOLDEN))
def test_exponential_moving_average(num_updates, zero_debias):
    w = tf.Variable([1.0, 2.0], name="w")
    b = tf.Variable(3.0, name="b")
    t = tf.multiply(w, 2.0, name="t")
    gs = tf.train.get_or_create_global_step()
    ema = tf.train.ExponentialMovingAverage(0.9, num_updates=gs if num_updates else None, zero_debias=zero_debias)
    op = ema.apply([w, b, t])
    assert (op.name, op.type, ema.name) == ("ExponentialMovingAverage", "NoOp", "ExponentialMovingAverage")
    extra = ["t/ExponentialMovingAverage/biased:0", "t/ExponentialMovingAverage/local_step:0"] if zero_debias else []
    assert [v.name for v in tf.global_variables()] == [
        "w:0", "b:0", "global_step:0", "w/ExponentialMovingAverage:0", "b/ExponentialMovingAverage:0",
        "t/ExponentialMovingAverage:0"] + extra
    assert tf.moving_average_variables() == [w, b] and tf.trainable_variables() == [w, b]
    assert ema.average_name(w) == "w/ExponentialMovingAverage" and ema.average_name(t) == "t/ExponentialMovingAverage"
    assert not ema.average(w).trainable
    restore = ema.variables_to_restore()
    assert sorted((k, v.name) for k, v in restore.items()) == sorted(
        [("b/ExponentialMovingAverage", "b:0"), ("global_step", "global_step:0"),
         ("t/ExponentialMovingAverage", "t/ExponentialMovingAverage:0"), ("w/ExponentialMovingAverage", "w:0")]
        + [(n[:-2], n) for n in extra])
    with tf.control_dependencies([op]):
        step = tf.assign_add(gs, 1)
    updates = [tf.assign_add(w, [0.5, -1.0]), tf.assign_add(b, 1.0)]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for want in EMA_GOLDEN[(num_updates, zero_debias)]:
            sess.run(step)
            sess.run(updates)
            got = sess.run([ema.average(w), ema.average(b), ema.average(t)])
            for g, x in zip(got, want):
                np.testing.assert_allclose(g, x, rtol=1e-6)


def test_exponential_moving_average_errors():
    ema = tf.train.ExponentialMovingAverage(0.9)
    with pytest.raises(TypeError, match="^The variables must be half, float, or double: i:0"):
        ema.apply([tf.Variable(1, name="i")])
    assert ema.average(tf.Variable(1.0)) is None

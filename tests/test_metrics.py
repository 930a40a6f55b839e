"""tf.metrics: (value, update_op) pairs over local counters. Names and values are TensorFlow 2.21
compat.v1's, from the same calls."""
import pytest

import tinyflow as tf


def test_names_and_collections():
    labels, predictions = tf.placeholder(tf.int64, [None]), tf.placeholder(tf.int64, [None])
    value, update = tf.metrics.accuracy(labels, predictions)
    assert (value.name, update.name) == ("accuracy/value:0", "accuracy/update_op:0")
    assert [v.name for v in tf.local_variables()] == ["accuracy/total:0", "accuracy/count:0"]
    assert [v.name for v in tf.get_collection(tf.GraphKeys.METRIC_VARIABLES)] == ["accuracy/total:0",
                                                                                  "accuracy/count:0"]
    assert tf.global_variables() == [] and tf.GraphKeys.METRIC_VARIABLES == "metric_variables"
    x, y = tf.placeholder(tf.float32, [None]), tf.placeholder(tf.float32, [None])
    b1, b2 = tf.placeholder(tf.bool, [None]), tf.placeholder(tf.bool, [None])
    made = [tf.metrics.mean_squared_error(x, y), tf.metrics.mean_absolute_error(x, y),
            tf.metrics.root_mean_squared_error(x, y), tf.metrics.precision(b1, b2), tf.metrics.true_positives(b1, b2)]
    assert [t.name for pair in made for t in pair] == [
        "mean_squared_error/value:0", "mean_squared_error/update_op:0", "mean_absolute_error/value:0",
        "mean_absolute_error/update_op:0", "Sqrt:0", "Sqrt_1:0", "precision/value:0", "precision/update_op:0",
        "true_positives/Identity:0", "true_positives/AssignAdd:0"]
    assert "precision/true_positives/count:0" in [v.name for v in tf.local_variables()]


def test_values_accumulate_over_updates():
    labels, predictions = tf.placeholder(tf.int64, [None]), tf.placeholder(tf.int64, [None])
    acc, acc_op = tf.metrics.accuracy(labels, predictions)
    m, m_op = tf.metrics.mean(tf.constant([1.0, 2.0]))
    x, y = tf.placeholder(tf.float32, [None]), tf.placeholder(tf.float32, [None])
    errors = [tf.metrics.mean_squared_error(x, y), tf.metrics.mean_absolute_error(x, y),
              tf.metrics.root_mean_squared_error(x, y)]
    b1, b2 = tf.placeholder(tf.bool, [None]), tf.placeholder(tf.bool, [None])
    counts = [tf.metrics.precision(b1, b2), tf.metrics.recall(b1, b2), tf.metrics.true_positives(b1, b2),
              tf.metrics.false_positives(b1, b2), tf.metrics.false_negatives(b1, b2),
              tf.metrics.true_negatives(b1, b2)]
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        assert sess.run(acc) == 0.0
        assert sess.run(acc_op, {labels: [1, 2, 3, 4], predictions: [1, 2, 0, 4]}) == 0.75
        assert sess.run(acc_op, {labels: [1, 1], predictions: [0, 0]}) == 0.5 == sess.run(acc)
        assert sess.run([m_op, m]) == [1.5, 0.0]            # the value is read before the update, as in TF
        got = sess.run([op for _, op in errors], {x: [1.0, 2.0, 3.0], y: [1.0, 4.0, 0.0]})
        assert [round(float(g), 6) for g in got] == [4.333333, 1.666667, 2.081666]
        feed = {b1: [True, True, False, False, True], b2: [True, False, True, False, True]}
        got = sess.run([op for _, op in counts], feed)
        assert [round(float(g), 6) for g in got] == [0.666667, 0.666667, 2.0, 1.0, 1.0, 1.0]
    weighted, weighted_op = tf.metrics.accuracy([1, 2, 3], [1, 0, 3], weights=[1.0, 2.0, 0.0])
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        assert round(float(sess.run(weighted_op)), 6) == 0.333333


def test_mismatched_shapes_and_missing_metrics():
    with pytest.raises(ValueError, match=r"Shapes \(3,\) and \(2,\) are incompatible"):
        tf.metrics.accuracy([1, 2], [1, 2, 3])
    with pytest.raises(AttributeError, match="tf.metrics.auc is a TensorFlow 1.x name that tinyflow does not"):
        tf.metrics.auc  # noqa: B018

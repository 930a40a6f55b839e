"""gather_nd, scatter_nd, the segment reductions, roll, meshgrid, sort, unique, truncatediv and the
variable scatters: names, values and errors seen in TF 2.21's ``tf.compat.v1`` (graph mode).
Values, shapes and gradients of every op are in the catalogue (``catalogue_array.py``)."""
from __future__ import annotations

import numpy as np
import pytest

import tinyflow as tf

P = [[1., 2.], [3., 4.], [5., 6.]]
D = [[1., 2.], [3., 4.], [5., 6.], [7., 8.]]


def _run(fn):
    with tf.Graph().as_default() as g:
        out = fn()
        with tf.Session() as sess:
            return sess.run(out), [(op.name, op.type) for op in g.get_operations()]


def test_gather_nd_and_scatter_nd_as_tf():
    value, ops = _run(lambda: tf.gather_nd(P, [[1, 0], [2, 1]]))
    np.testing.assert_array_equal(value, np.array([3., 6.], np.float32))            # TF 2.21
    assert ops == [("GatherNd/params", "Const"), ("GatherNd/indices", "Const"), ("GatherNd", "GatherNd")]
    value, _ = _run(lambda: tf.gather_nd(P, [[1], [0]]))
    np.testing.assert_array_equal(value, [[3., 4.], [1., 2.]])
    value, ops = _run(lambda: tf.scatter_nd([[1], [0], [1]], [[1., 2.], [3., 4.], [5., 6.]], [3, 2]))
    np.testing.assert_array_equal(value, [[3., 4.], [6., 8.], [0., 0.]])             # TF 2.21: repeats add up
    assert [n for n, _ in ops] == ["ScatterNd/indices", "ScatterNd/updates", "ScatterNd/shape", "ScatterNd"]


def test_gather_nd_and_scatter_nd_errors():
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        _run(lambda: tf.gather_nd(P, [[1, 0], [3, 1]]))
    assert str(e.value).startswith("indices[1] = [3, 1] does not index into param shape [3,2]")   # TF 2.21
    assert "\nFix: " in str(e.value)
    with pytest.raises(ValueError, match=r"indices.shape\[-1\] must be <= params.rank, but saw indices shape: "
                                         r"\[1,3\] and params shape: \[3,2\]"):
        tf.gather_nd(P, [[1, 0, 0]])
    deep = np.array([[1, 0, 0]], np.int32)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"^index innermost dimension length must be <= params rank; saw: 3 vs. 2\n"):
        _run(lambda: tf.gather_nd(P, tf.placeholder_with_default(deep, [None, None])))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"^indices\[1\] = \[5\] does not index into shape "
                                                             r"\[3,2\]"):
        _run(lambda: tf.scatter_nd([[1], [5]], [[1., 2.], [3., 4.]], [3, 2]))
    with pytest.raises(TypeError, match="'indices' has DataType float32"):
        tf.gather_nd(P, tf.constant([[1.0]]))


def test_segment_reductions_as_tf():
    ids = [0, 0, 2, 2]
    for fn, expected in [(tf.segment_sum, [[4., 6.], [0., 0.], [12., 14.]]),      # TF 2.21
                         (tf.segment_mean, [[2., 3.], [0., 0.], [6., 7.]]),
                         (tf.segment_max, [[3., 4.], [0., 0.], [7., 8.]]),
                         (tf.segment_min, [[1., 2.], [0., 0.], [5., 6.]])]:
        value, ops = _run(lambda: fn(D, ids))
        np.testing.assert_array_equal(value, expected)
        op_type = "Segment" + fn.__name__.split("_")[1].capitalize()
        assert ops[-1] == (op_type, op_type)
    low, high = np.finfo(np.float32).min, np.finfo(np.float32).max
    value, ops = _run(lambda: tf.unsorted_segment_max(D, [2, 0, 2, -1], 4))
    np.testing.assert_array_equal(value, [[3., 4.], [low, low], [5., 6.], [low, low]])       # TF 2.21
    assert ops[-1] == ("UnsortedSegmentMax", "UnsortedSegmentMax")
    value, _ = _run(lambda: tf.unsorted_segment_min(D, [2, 0, 2, -1], 4))
    np.testing.assert_array_equal(value, [[3., 4.], [high, high], [1., 2.], [high, high]])
    value, _ = _run(lambda: tf.unsorted_segment_max([1, 2], [0, 0], 2))
    np.testing.assert_array_equal(value, np.array([2, -2147483648], np.int32))
    value, ops = _run(lambda: tf.unsorted_segment_mean(D, [2, 0, 2, -1], 4))
    np.testing.assert_array_equal(value, [[3., 4.], [0., 0.], [3., 4.], [0., 0.]])
    assert ops[-1] == ("UnsortedSegmentMean/truediv", "RealDiv")        # composed, as TF
    assert tf.math.segment_sum is tf.segment_sum and tf.math.unsorted_segment_mean is tf.unsorted_segment_mean


def test_segment_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"^segment ids are not increasing\n"):  # TF 2.21
        _run(lambda: tf.segment_sum(D, [0, 2, 1, 2]))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"^Segment id -1 out of range \[0, 2\), possibly "
                                                             r"because 'segment_ids' input is not sorted.\n"):
        _run(lambda: tf.segment_sum(D, [-1, 0, 1, 1]))
    with pytest.raises(ValueError, match="Shape must be rank 1 but is rank 2"):
        tf.segment_sum(D, [[0, 0], [1, 1]])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"segment_ids\[1\] = 4 is out of range \[0, 4\)"):
        _run(lambda: tf.unsorted_segment_max(D, [0, 4, 1, 1], 4))


def test_roll_meshgrid_sort_as_tf():
    value, ops = _run(lambda: tf.roll([[1, 2, 3], [4, 5, 6]], shift=[1, -1], axis=[0, 1]))
    np.testing.assert_array_equal(value, [[5, 6, 4], [2, 3, 1]])                              # TF 2.21
    assert [n for n, _ in ops] == ["Roll/input", "Roll/shift", "Roll/axis", "Roll"]
    (x, y), ops = _run(lambda: tf.meshgrid([1, 2, 3], [4, 5]))
    np.testing.assert_array_equal(x, [[1, 2, 3], [1, 2, 3]])
    np.testing.assert_array_equal(y, [[4, 4, 4], [5, 5, 5]])
    assert ops[-5:] == [("meshgrid/ones/packed", "Pack"), ("meshgrid/ones/Const", "Const"), ("meshgrid/ones", "Fill"),
                        ("meshgrid/mul", "Mul"), ("meshgrid/mul_1", "Mul")]
    (x, y), _ = _run(lambda: tf.meshgrid([1, 2, 3], [4, 5], indexing="ij"))
    np.testing.assert_array_equal(x, [[1, 1], [2, 2], [3, 3]])
    with pytest.raises(ValueError, match="indexing parameter must be either 'xy' or 'ij'"):
        tf.meshgrid([1], [2], indexing="yx")
    value, ops = _run(lambda: tf.sort([[3., 1., 2.], [0., 5., 4.]], axis=0))
    np.testing.assert_array_equal(value, [[0., 1., 2.], [3., 5., 4.]])
    assert [t for _, t in ops if t in ("Neg", "Transpose", "TopKV2")] == ["Neg", "Transpose", "TopKV2", "Transpose",
                                                                          "Neg"]     # TF 2.21's composition
    assert ops[-1][0] == "sort/Neg_1"
    value, _ = _run(lambda: tf.sort([[3., 1., 2.], [0., 5., 4.]], direction="DESCENDING"))
    np.testing.assert_array_equal(value, [[3., 2., 1.], [5., 4., 0.]])
    value, ops = _run(lambda: tf.argsort([3., 1., 2., 1.]))
    np.testing.assert_array_equal(value, np.array([1, 3, 2, 0], np.int32))                   # ties keep their order
    assert ops[-1] == ("argsort/TopKV2", "TopKV2")
    value, _ = _run(lambda: tf.argsort([3., 1., 2., 1.], direction="DESCENDING"))
    np.testing.assert_array_equal(value, [0, 2, 1, 3])
    with pytest.raises(ValueError, match="UP should be one of ASCENDING, DESCENDING"):
        tf.sort([1.], direction="UP")


def test_unique_as_tf():
    (y, idx), ops = _run(lambda: tf.unique([1, 1, 2, 4, 4, 4, 7, 8, 8]))
    np.testing.assert_array_equal(y, [1, 2, 4, 7, 8])                                         # TF 2.21
    np.testing.assert_array_equal(idx, np.array([0, 0, 1, 2, 2, 2, 3, 4, 4], np.int32))
    assert ops == [("Unique/x", "Const"), ("Unique", "Unique")]
    result, _ = _run(lambda: tf.unique([3., 1., 3.], out_idx=tf.int64))
    assert result.idx.dtype == np.int64 and list(result.y) == [3., 1.]
    result, ops = _run(lambda: tf.unique_with_counts([1, 1, 2, 4, 4, 4, 7, 8, 8]))
    np.testing.assert_array_equal(result.count, np.array([2, 1, 3, 1, 2], np.int32))
    assert ops[-1] == ("UniqueWithCounts", "UniqueWithCounts")
    with pytest.raises(ValueError, match="Shape must be rank 1 but is rank 2"):
        tf.unique([[1, 2]])
    with tf.Graph().as_default():
        x = tf.constant([1., 2., 1.])
        assert tf.gradients(tf.unique(x).y, x) == [None]           # not differentiable, as in TF


def test_truncatediv_truncatemod_as_tf():
    value, ops = _run(lambda: tf.truncatediv([-7, 7, -7, 7], [2, 2, -2, -2]))
    np.testing.assert_array_equal(value, np.array([-3, 3, 3, -3], np.int32))                  # TF 2.21
    assert ops[-1] == ("TruncateDiv", "TruncateDiv")
    value, ops = _run(lambda: tf.truncatemod([-7, 7, -7, 7], [2, 2, -2, -2]))
    np.testing.assert_array_equal(value, np.array([-1, 1, -1, 1], np.int32))
    assert ops[-1] == ("TruncateMod", "TruncateMod")
    value, _ = _run(lambda: tf.truncatediv([-7., 7.], [2., 2.]))
    np.testing.assert_array_equal(value, [-3., 3.])
    value, _ = _run(lambda: tf.truncatemod([-7.5, 7.5], [2., -2.]))
    np.testing.assert_array_equal(value, [-1.5, 1.5])
    with tf.Graph().as_default():
        x, y = tf.constant([-7., 7.]), tf.constant([2., 3.])
        assert tf.gradients(tf.truncatediv(x, y), [x, y]) == [None, None]
        with pytest.raises(LookupError, match="TruncateMod"):        # TF registers no gradient either
            tf.gradients(tf.truncatemod(x, y), [x, y])


@pytest.mark.parametrize("kind,indices,updates,expected", [
    ("scatter_update", [2, 0], [[10., 20.], [30., 40.]], [[30., 40.], [3., 4.], [10., 20.]]),       # TF 2.21
    ("scatter_add", [2, 2], [[10., 20.], [30., 40.]], [[1., 2.], [3., 4.], [45., 66.]]),
    ("scatter_sub", 1, [10., 20.], [[1., 2.], [-7., -16.], [5., 6.]]),
])
def test_variable_scatters_as_tf(kind, indices, updates, expected):
    with tf.Graph().as_default() as g:
        v = tf.Variable([[1., 2.], [3., 4.], [5., 6.]], name="v")
        t = getattr(tf, kind)(v, indices, updates)
        op_type = "Scatter" + kind.split("_")[1].capitalize()
        assert (t.name, str(t.dtype), t.op.type) == (op_type + ":0", "<dtype: 'float32_ref'>", op_type)
        assert [op.name for op in g.get_operations()][-3:] == [op_type + "/indices", op_type + "/updates", op_type]
        with tf.Session() as sess:
            sess.run(v.initializer)
            np.testing.assert_array_equal(sess.run(t), expected)
            np.testing.assert_array_equal(sess.run(v), expected)


def test_failed_scatter_leaves_the_variable_unchanged():
    """TF 2.21 stops at the bad index, having added the rows before it (v[0] becomes [11, 22]);
    tinyflow checks every index first, so a failed run changes nothing."""
    with tf.Graph().as_default():
        v = tf.Variable([[1., 2.], [3., 4.], [5., 6.]], name="v")
        add = tf.scatter_add(v, [0, 3], [[10., 20.], [30., 40.]])
        update = tf.scatter_update(v, [-1], [[10., 20.]])
        with tf.Session() as sess:
            sess.run(v.initializer)
            with pytest.raises(tf.errors.InvalidArgumentError, match=r"^indices\[1\] = 3 is not in \[0, 3\)\n"):
                sess.run(add)
            with pytest.raises(tf.errors.InvalidArgumentError, match=r"^indices\[0\] = -1 is not in \[0, 3\)\n"):
                sess.run(update)
            np.testing.assert_array_equal(sess.run(v), [[1., 2.], [3., 4.], [5., 6.]])
    with tf.Graph().as_default():
        v = tf.Variable([[1., 2.], [3., 4.]])
        with pytest.raises(ValueError, match="Must have updates.shape = indices.shape"):
            tf.scatter_update(v, [0], [1., 2., 3.])
        with pytest.raises(AttributeError, match="first argument must be a tf.Variable"):
            tf.scatter_add(tf.constant([1.]), [0], [1.])


def test_removed_aliases_say_the_new_name():
    assert not hasattr(tf, "mul")                          # TF 1.x: AttributeError (removed before 1.0)
    for old, new in [("mul", "tf.multiply"), ("sub", "tf.subtract"), ("neg", "tf.negative")]:
        with pytest.raises(AttributeError, match="Instead: %s" % new):
            getattr(tf, old)

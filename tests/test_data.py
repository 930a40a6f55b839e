"""tf.data: datasets, iterators and their TF1 semantics (as in TensorFlow 1.15)."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinyflow as tf

ROWS = [[0, 1], [2, 3], [4, 5], [6, 7]]


def run_all(tensors, sess=None, init=None, feed_dict=None, limit=1000):
    """Every element until OutOfRangeError (optionally running an initializer first)."""
    sess = sess or tf.Session()
    if init is not None:
        sess.run(init, feed_dict)
    out = []
    for _ in range(limit):
        try:
            out.append(sess.run(tensors))
        except tf.errors.OutOfRangeError:
            return out
    raise AssertionError("the dataset did not end")


def elements(dataset, **kwargs):
    return run_all(dataset.make_one_shot_iterator().get_next(), **kwargs)


# --------------------------------------------------------------------------------------------
# The guide's examples (its Datasets section)
# --------------------------------------------------------------------------------------------
def test_guide_one_shot_iterator():
    slices = tf.data.Dataset.from_tensor_slices(ROWS)
    next_item = slices.make_one_shot_iterator().get_next()
    assert str(next_item) == 'Tensor("IteratorGetNext:0", shape=(2,), dtype=int32)'
    sess = tf.Session()
    rows = run_all(next_item, sess)
    assert [str(r) for r in rows] == ["[0 1]", "[2 3]", "[4 5]", "[6 7]"]
    assert all(r.dtype == np.int32 for r in rows)
    with pytest.raises(tf.errors.OutOfRangeError) as e:     # stays exhausted
        sess.run(next_item)
    assert e.value.message.startswith("End of sequence\n\t [[node IteratorGetNext (defined at ")
    assert e.value.op.name == "IteratorGetNext"
    assert e.value.error_code == 11


def test_guide_initializable_iterator_over_random_values():
    r = tf.random_normal([10, 3])
    dataset = tf.data.Dataset.from_tensor_slices(r)
    iterator = dataset.make_initializable_iterator()
    next_row = iterator.get_next()
    assert iterator.initializer.name == "MakeIterator"
    assert next_row.shape.as_list() == [3] and next_row.dtype == tf.float32
    sess = tf.Session()
    first = run_all(next_row, sess, iterator.initializer)
    assert len(first) == 10 and all(row.shape == (3,) for row in first)
    second = run_all(next_row, sess, iterator.initializer)     # re-initializing draws new values
    assert len(second) == 10 and not np.allclose(first, second)


def test_building_a_dataset_uses_no_const_names():
    tf.data.Dataset.from_tensor_slices(ROWS).batch(2).repeat().make_one_shot_iterator().get_next()
    names = [op.name for op in tf.get_default_graph().get_operations()]
    assert names == ["normalize_element/component_0", "OneShotIterator", "IteratorGetNext"]
    assert tf.constant(3.0).name == "Const:0"
    tf.data.Dataset.from_tensor_slices((ROWS, ROWS))
    names = [op.name for op in tf.get_default_graph().get_operations()]
    assert names[-2:] == ["normalize_element_1/component_0", "normalize_element_1/component_1"]


def test_op_names_and_one_op_per_get_next_call():
    it = tf.data.Dataset.range(3).make_initializable_iterator()
    it2 = tf.data.Dataset.range(3).make_initializable_iterator()
    assert it.initializer.name == "MakeIterator" and it2.initializer.name == "MakeIterator_1"
    assert it.initializer.type == "MakeIterator"
    a, b = it.get_next(), it.get_next(name="second")
    assert (a.op.name, a.op.type, b.op.name) == ("IteratorGetNext", "IteratorGetNext", "second")
    assert it2.get_next().name == "IteratorGetNext_1:0"


def test_map_functions_do_not_use_up_outer_names():
    tf.data.Dataset.range(3).map(lambda x: x * 2 + 1)     # traced into its own graph
    assert tf.get_default_graph().get_operations() == []
    assert (tf.constant(2) * 3).name == "mul:0"


def test_graph_def_with_iterators():
    it = tf.data.Dataset.from_tensor_slices(ROWS).make_initializable_iterator()
    it.get_next()
    graph_def = tf.get_default_graph().as_graph_def(add_shapes=True)
    assert [n.op for n in graph_def.node] == ["Const", "IteratorV2", "MakeIterator", "IteratorGetNext"]
    assert graph_def.ByteSize() > 0


# --------------------------------------------------------------------------------------------
# Structures, dtypes, shapes, reprs (9.1)
# --------------------------------------------------------------------------------------------
def test_reprs_and_output_properties():
    d = tf.data.Dataset.from_tensor_slices(ROWS)
    assert repr(d) == "<DatasetV1Adapter shapes: (2,), types: tf.int32>"
    assert repr(tf.data.Dataset.range(5)) == "<DatasetV1Adapter shapes: (), types: tf.int64>"
    dd = tf.data.Dataset.from_tensor_slices({"a": [1, 2], "b": np.array([[1.], [2.]], np.float32)})
    assert repr(dd) == "<DatasetV1Adapter shapes: {a: (), b: (1,)}, types: {a: tf.int32, b: tf.float32}>"
    t = tf.data.Dataset.from_tensor_slices(([1, 2], [3., 4.]))
    assert repr(t) == "<DatasetV1Adapter shapes: ((), ()), types: (tf.int32, tf.float32)>"
    assert t.output_types == (tf.int32, tf.float32)
    assert repr(d.batch(3)) == "<DatasetV1Adapter shapes: (?, 2), types: tf.int32>"
    assert str(d.batch(3, drop_remainder=True).output_shapes) == "(3, 2)"
    assert d.output_classes is tf.Tensor
    it = t.make_one_shot_iterator()
    assert it.output_types == (tf.int32, tf.float32) and it.output_shapes == (tf.TensorShape([]),) * 2
    assert tf.data.get_output_types(d) == tf.int32


def test_dtypes_follow_constant_rules():
    assert tf.data.Dataset.from_tensor_slices([1.5, 2.5]).output_types == tf.float32
    assert tf.data.Dataset.from_tensor_slices(np.array([1.5, 2.5])).output_types == tf.float64
    assert tf.data.Dataset.from_tensor_slices(np.arange(3)).output_types == tf.int64
    assert tf.data.Dataset.from_tensor_slices(["a", "bc"]).output_types == tf.string
    assert elements(tf.data.Dataset.from_tensor_slices(["a", "bc"])) == [b"a", b"bc"]


def test_tuple_and_dict_elements_batch_per_component():
    t = tf.data.Dataset.from_tensor_slices(([1, 2, 3], [[1., 1.], [2., 2.], [3., 3.]]))
    a, b = elements(t)[0]
    assert a == 1 and b.tolist() == [1., 1.]
    batches = elements(t.batch(2))
    assert [x.tolist() for x, _ in batches] == [[1, 2], [3]]
    assert batches[1][1].shape == (1, 2)
    d = tf.data.Dataset.from_tensor_slices({"x": [1, 2, 3], "y": [4, 5, 6]}).batch(2)
    out = elements(d)
    assert list(out[0]) == ["x", "y"] and out[0]["y"].tolist() == [4, 5]


def test_from_tensors_and_nested_lists_are_one_tensor():
    assert [x.tolist() for x in elements(tf.data.Dataset.from_tensors(ROWS))] == [ROWS]
    assert tf.data.Dataset.from_tensors(ROWS).output_shapes == tf.TensorShape([4, 2])
    nested = tf.data.Dataset.from_tensor_slices([[[1], [2]], [[3], [4]]])
    assert nested.output_shapes == tf.TensorShape([2, 1])


# --------------------------------------------------------------------------------------------
# Orderings (9.3)
# --------------------------------------------------------------------------------------------
def test_batch_keeps_the_last_partial_batch():
    d = tf.data.Dataset.from_tensor_slices(ROWS)
    assert [b.tolist() for b in elements(d.batch(3))] == [[[0, 1], [2, 3], [4, 5]], [[6, 7]]]
    assert [b.tolist() for b in elements(d.batch(3, drop_remainder=True))] == [[[0, 1], [2, 3], [4, 5]]]


def test_repeat_then_batch_crosses_epochs():
    d = tf.data.Dataset.from_tensor_slices(ROWS)
    batches = elements(d.repeat().batch(3).take(3))
    assert batches[1].tolist() == [[6, 7], [0, 1], [2, 3]]
    assert [len(b) for b in elements(d.batch(3).repeat(2))] == [3, 1, 3, 1]
    assert elements(d.repeat(0)) == []
    assert len(elements(d.repeat(2))) == 8
    assert len(elements(d.repeat(-1).take(10))) == 10


def test_take_skip_zip_concatenate_range():
    r = tf.data.Dataset.range
    assert elements(r(10).take(3)) == [0, 1, 2]
    assert elements(r(4).take(-1)) == [0, 1, 2, 3]
    assert elements(r(5).skip(3)) == [3, 4]
    assert elements(r(5).skip(-1)) == []
    assert elements(r(2, 10, 3)) == [2, 5, 8]
    assert elements(r(5, 0, -2)) == [5, 3, 1]
    assert elements(tf.data.Dataset.zip((r(3), r(10, 20)))) == [(0, 10), (1, 11), (2, 12)]
    z = tf.data.Dataset.zip({"a": r(2), "b": tf.data.Dataset.from_tensor_slices([5., 6., 7.])})
    assert elements(z) == [{"a": 0, "b": 5.0}, {"a": 1, "b": 6.0}]
    assert elements(r(2).concatenate(r(5, 7))) == [0, 1, 5, 6]
    with pytest.raises(TypeError, match="different types"):
        r(2).concatenate(tf.data.Dataset.from_tensor_slices([1.0]))
    assert elements(r(10).shard(3, 1)) == [1, 4, 7]
    assert elements(r(3).prefetch(1).cache()) == [0, 1, 2]
    assert all(type(x) is np.int64 for x in elements(r(3)))


def test_padded_batch_interleave_flat_map_from_generator():
    pb = tf.data.Dataset.range(4).map(lambda x: tf.fill([x], x)).padded_batch(2, padded_shapes=[None])
    assert str(pb.output_shapes) == "(?, ?)"
    assert [b.tolist() for b in elements(pb)] == [[[0], [1]], [[2, 2, 0], [3, 3, 3]]]
    il = tf.data.Dataset.range(3).interleave(lambda x: tf.data.Dataset.from_tensors(x).repeat(2), cycle_length=2)
    assert elements(il) == [0, 1, 0, 1, 2, 2]
    fm = tf.data.Dataset.range(4).flat_map(lambda x: tf.data.Dataset.range(x))
    assert elements(fm) == [0, 0, 1, 0, 1, 2]
    gen = tf.data.Dataset.from_generator(lambda: ((i, [i, i]) for i in range(3)), (tf.int32, tf.float32),
                                         ((), (2,)))
    assert repr(gen) == "<DatasetV1Adapter shapes: ((), (2,)), types: (tf.int32, tf.float32)>"
    out = elements(gen.batch(2))
    assert out[0][1].tolist() == [[0., 0.], [1., 1.]] and out[1][0].tolist() == [2]


# --------------------------------------------------------------------------------------------
# shuffle
# --------------------------------------------------------------------------------------------
def test_shuffle_is_a_permutation_and_deterministic_with_seeds():
    tf.set_random_seed(7)
    ds = tf.data.Dataset.range(20).shuffle(20).repeat(2)
    n = ds.make_one_shot_iterator().get_next()
    first = run_all(n)
    second = run_all(n)                                  # a new session: the same order again
    assert first == second
    assert sorted(first[:20]) == list(range(20)) and sorted(first[20:]) == list(range(20))
    assert first[:20] != list(range(20))
    assert first[:20] != first[20:]                       # reshuffled each epoch (the default)
    tf.reset_default_graph()
    tf.set_random_seed(7)
    n = tf.data.Dataset.range(20).shuffle(20).repeat(2).make_one_shot_iterator().get_next()
    assert run_all(n) == first                            # same program, same order


def test_shuffle_without_reshuffle_and_with_op_seed():
    ds = tf.data.Dataset.range(10).shuffle(10, seed=3, reshuffle_each_iteration=False).repeat(3)
    out = elements(ds)
    assert out[:10] == out[10:20] == out[20:]
    it = tf.data.Dataset.range(10).shuffle(10, seed=3).make_initializable_iterator()
    n, sess = it.get_next(), tf.Session()
    assert run_all(n, sess, it.initializer) == run_all(n, sess, it.initializer)   # restarts
    assert elements(tf.data.Dataset.range(5).shuffle(1)) == [0, 1, 2, 3, 4]       # buffer 1: no change


def test_shuffle_buffer_is_local():
    """With a buffer of 2, element i can only come out at position >= i - 1."""
    out = elements(tf.data.Dataset.range(50).shuffle(2, seed=1))
    assert sorted(out) == list(range(50))
    assert all(pos >= value - 1 for pos, value in enumerate(out))


# --------------------------------------------------------------------------------------------
# map and filter
# --------------------------------------------------------------------------------------------
def test_map_unpacks_tuples_and_runs_python_once():
    calls = []

    def fn(a, b):
        calls.append((a, b))
        return a * 2, b + 1.0

    d = tf.data.Dataset.from_tensor_slices(([1, 2], [3., 4.])).map(fn)
    assert len(calls) == 1
    assert str(calls[0][0]) == 'Tensor("args_0:0", shape=(), dtype=int32)'
    assert elements(d) == [(2, 4.0), (4, 5.0)]
    assert len(calls) == 1
    assert d.output_types == (tf.int32, tf.float32)


def test_map_dict_is_one_argument_and_list_becomes_tuple():
    d = tf.data.Dataset.from_tensor_slices({"a": [1, 2], "b": [3, 4]})
    m = d.map(lambda e: {"sum": e["a"] + e["b"]})
    assert elements(m) == [{"sum": 4}, {"sum": 6}]
    lst = tf.data.Dataset.range(2).map(lambda x: [x, x + 1])
    assert lst.output_types == (tf.int64, tf.int64)
    assert elements(tf.data.Dataset.range(2).map(lambda x: 7)) == [7, 7]


def test_map_then_batch_and_batch_then_map():
    d = tf.data.Dataset.from_tensor_slices(ROWS)
    assert [b.tolist() for b in elements(d.map(lambda r: r * 10).batch(3))] == [[[0, 10], [20, 30], [40, 50]],
                                                                               [[60, 70]]]
    assert [b.tolist() for b in elements(d.batch(3).map(lambda b: tf.reduce_sum(b)))] == [15, 13]


def test_map_captures_outer_tensors_at_initialization():
    offset = tf.placeholder(tf.int64, [])
    noise = tf.random_uniform([])
    d = tf.data.Dataset.range(3).map(lambda x: (x + offset, noise))
    it = d.make_initializable_iterator()
    n = it.get_next()
    sess = tf.Session()
    out = run_all(n, sess, it.initializer, {offset: 10})
    assert [x for x, _ in out] == [10, 11, 12]
    assert len({y for _, y in out}) == 1                  # captured once, by value
    out2 = run_all(n, sess, it.initializer, {offset: 0})
    assert [x for x, _ in out2] == [0, 1, 2] and out2[0][1] != out[0][1]


def test_random_ops_inside_map_run_per_element():
    out = elements(tf.data.Dataset.range(5).map(lambda x: tf.random_uniform([])))
    assert len(set(out)) == 5


def test_filter():
    d = tf.data.Dataset.range(10).filter(lambda x: tf.equal(x % 3, 0))
    assert elements(d) == [0, 3, 6, 9]
    pairs = tf.data.Dataset.from_tensor_slices(([1, 2, 3], [4, 5, 6])).filter(lambda a, b: a > 1)
    assert elements(pairs) == [(2, 5), (3, 6)]
    with pytest.raises(ValueError, match="scalar boolean"):
        tf.data.Dataset.range(3).filter(lambda x: x)
    with pytest.raises(ValueError, match="scalar boolean"):
        tf.data.Dataset.from_tensor_slices(ROWS).filter(lambda r: r > 1)


def test_map_returning_something_else_is_a_type_error():
    with pytest.raises(TypeError, match="returned None"):
        tf.data.Dataset.range(3).map(lambda x: None)
    with pytest.raises(TypeError, match="object"):
        tf.data.Dataset.range(3).map(lambda x: object())
    with pytest.raises(TypeError, match="must return a `Dataset`"):
        tf.data.Dataset.range(3).flat_map(lambda x: x)


# --------------------------------------------------------------------------------------------
# Iterators: state in the session, initialization, consumers
# --------------------------------------------------------------------------------------------
def test_initializable_iterator_with_placeholder_restarts():
    x = tf.placeholder(tf.float32, [None, 2])
    it = tf.data.Dataset.from_tensor_slices(x).batch(2).make_initializable_iterator()
    n = it.get_next()
    sess = tf.Session()
    sess.run(it.initializer, {x: [[1, 2], [3, 4], [5, 6]]})
    assert sess.run(n).tolist() == [[1, 2], [3, 4]]
    sess.run(it.initializer, {x: [[7, 8]]})            # restarts on new data
    assert sess.run(n).tolist() == [[7, 8]]
    with pytest.raises(tf.errors.OutOfRangeError):
        sess.run(n)


def test_get_next_before_initializer():
    it = tf.data.Dataset.range(3).make_initializable_iterator()
    n = it.get_next()
    sess = tf.Session()
    with pytest.raises(tf.errors.FailedPreconditionError) as e:
        sess.run(n)
    assert e.value.message.startswith(
        "GetNext() failed because the iterator has not been initialized. Ensure that you have run the "
        "initializer operation for this iterator before getting the next element.")
    assert "sess.run(iterator.initializer)" in e.value.message
    sess.run(it.initializer)
    assert sess.run(n) == 0
    with pytest.raises(tf.errors.FailedPreconditionError):
        tf.Session().run(n)                              # state lives in the session


def test_one_shot_iterator_restarts_in_a_new_session():
    n = tf.data.Dataset.range(3).make_one_shot_iterator().get_next()
    s1, s2 = tf.Session(), tf.Session()
    assert s1.run(n) == 0 and s1.run(n) == 1
    assert s2.run(n) == 0
    assert s1.run(n) == 2


def test_all_consumers_see_the_same_element_in_one_run():
    it = tf.data.Dataset.range(10).make_one_shot_iterator()
    n1 = it.get_next()
    sess = tf.Session()
    assert sess.run([n1, n1 + 100]) == [0, 100]
    assert sess.run({"a": n1, "b": n1 * 2}) == {"a": 1, "b": 2}
    n2 = it.get_next()                                   # a second op pulls its own element
    assert sorted(sess.run([n1, n2])) == [2, 3]


def test_fetched_batches_are_copies():
    data = np.arange(8, dtype=np.float32).reshape(4, 2)
    x = tf.placeholder(tf.float32, [None, 2])
    it = tf.data.Dataset.from_tensor_slices(x).batch(2).repeat(2).make_initializable_iterator()
    n = it.get_next()
    sess = tf.Session()
    sess.run(it.initializer, {x: data})
    data[:] = -1                                          # the iterator keeps its own copy
    first = sess.run(n)
    first[:] = 99                                         # and hands out copies
    assert [b.tolist() for b in run_all(n, sess)][1] == [[0., 1.], [2., 3.]]


def test_batches_are_views_of_one_array_not_assembled_per_element():
    # What get_next computes, before a fetch hands out its copy: every batch, the last partial
    # one included, is a read-only view of one array, the dataset's own copy of the data.
    data = np.arange(40, dtype=np.float32).reshape(10, 4)
    n = tf.data.Dataset.from_tensor_slices(data).batch(4).make_one_shot_iterator().get_next()
    sess = tf.Session()
    batches = [sess._evaluate([n], {})[0] for _ in range(3)]
    assert [b.shape for b in batches] == [(4, 4), (4, 4), (2, 4)]
    owner = batches[0].base
    assert all(np.shares_memory(b, owner) and not b.flags.writeable for b in batches)
    assert not np.shares_memory(owner, data)
    np.testing.assert_array_equal(np.concatenate(batches), data)


def test_reinitializable_iterator_from_structure():
    it = tf.data.Iterator.from_structure(tf.int64, tf.TensorShape([]))
    train = it.make_initializer(tf.data.Dataset.range(3))
    valid = it.make_initializer(tf.data.Dataset.range(10, 12))
    n = it.get_next()
    sess = tf.Session()
    assert run_all(n, sess, train) == [0, 1, 2]
    assert run_all(n, sess, valid) == [10, 11]
    with pytest.raises(TypeError, match="output types"):
        it.make_initializer(tf.data.Dataset.from_tensor_slices([1.0]))


def test_alias_functions_and_many_get_next_calls_warn():
    d = tf.data.Dataset.range(2)
    assert run_all(tf.data.make_one_shot_iterator(d).get_next()) == [0, 1]
    it = tf.data.make_initializable_iterator(d)
    assert run_all(it.get_next(), init=it.initializer) == [0, 1]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(33):
            it.get_next()
    assert any("unusually high number" in str(w.message) for w in caught)


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------
def test_build_time_errors():
    with pytest.raises(ValueError) as e:
        tf.data.Dataset.from_tensor_slices(5)
    assert str(e.value).startswith('Value Tensor("normalize_element/component_0:0", shape=(), dtype=int32) '
                                   'has insufficient rank for batching.')
    with pytest.raises(ValueError, match="^Dimensions 2 and 3 are not compatible"):
        tf.data.Dataset.from_tensor_slices(([1, 2], [1, 2, 3]))
    with pytest.raises(ValueError, match="dense"):
        tf.data.Dataset.from_tensor_slices([[1, 2], [3]])
    with pytest.raises(RuntimeError, match=r"^__iter__\(\) is only supported inside of tf.function"):
        iter(tf.data.Dataset.range(3))
    with pytest.raises(ValueError, match="^Iterator does not have an initializer."):
        tf.data.Dataset.range(3).make_one_shot_iterator().initializer
    with pytest.raises(TypeError, match="batch_size"):
        tf.data.Dataset.range(3).batch(2.5)


def test_one_shot_iterator_cannot_capture_placeholders_or_state():
    ph = tf.placeholder(tf.float32, [None])
    with pytest.raises(ValueError) as e:
        tf.data.Dataset.from_tensor_slices(ph).make_one_shot_iterator()
    assert str(e.value).startswith("Cannot capture a placeholder (name:Placeholder, type:Placeholder) by value.")
    assert "make_initializable_iterator" in str(e.value)
    with pytest.raises(ValueError) as e:
        tf.data.Dataset.from_tensor_slices(tf.random_normal([10, 3])).make_one_shot_iterator()
    assert str(e.value) == (
        "Failed to create a one-shot iterator for a dataset. `Dataset.make_one_shot_iterator()` does not "
        "support datasets that capture stateful objects, such as a `Variable` or `LookupTable`. In these "
        "cases, use `Dataset.make_initializable_iterator()`. (Original error: Cannot capture a stateful node "
        "(name:random_normal/RandomStandardNormal, type:RandomStandardNormal) by value.)")
    v = tf.Variable(1, dtype=tf.int64)
    with pytest.raises(ValueError, match="type:VariableV2"):
        tf.data.Dataset.range(3).map(lambda x: x + v).make_one_shot_iterator()


def test_run_time_errors():
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        tf.Session().run(tf.data.Dataset.range(3).batch(0).make_one_shot_iterator().get_next())
    assert e.value.message.startswith("Batch size must be greater than zero.")
    a, b = tf.placeholder(tf.int32, [None]), tf.placeholder(tf.int32, [None])
    it = tf.data.Dataset.from_tensor_slices((a, b)).make_initializable_iterator()
    with pytest.raises(tf.errors.InvalidArgumentError, match="same size in the 0th dimension"):
        tf.Session().run(it.initializer, {a: [1, 2], b: [1]})
    ragged = tf.data.Dataset.range(3).map(lambda x: tf.fill([x], x)).batch(3)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Cannot batch tensors with different shapes"):
        elements(ragged)


# --------------------------------------------------------------------------------------------
# Property tests: a pipeline yields exactly the data it was given
# --------------------------------------------------------------------------------------------
def expected_batches(data, batch_size, drop_remainder, count, take, batch_first):
    """The numpy answer for slices -> repeat -> batch -> take (or batch -> repeat)."""
    def batches_of(rows):
        out = [rows[i:i + batch_size] for i in range(0, len(rows), batch_size)]
        return [b for b in out if len(b) == batch_size or not drop_remainder]
    if batch_first:
        result = batches_of(data) * count
    else:
        result = batches_of(np.concatenate([data] * count) if count else data[:0])
    return result if take < 0 else result[:take]


@settings(max_examples=60, deadline=None)
@given(rows=st.integers(0, 20), cols=st.integers(1, 3), batch_size=st.integers(1, 7),
       drop_remainder=st.booleans(), count=st.integers(0, 3), take=st.integers(-1, 12),
       batch_first=st.booleans(), per_element=st.booleans())
def test_property_pipeline_yields_exactly_its_data(rows, cols, batch_size, drop_remainder, count, take,
                                                   batch_first, per_element):
    tf.reset_default_graph()
    data = np.arange(rows * cols, dtype=np.float32).reshape(rows, cols)
    labels = np.arange(rows, dtype=np.int64)
    ds = tf.data.Dataset.from_tensor_slices((data, labels))
    if per_element:                                       # map takes the element-by-element path
        ds = ds.map(lambda x, y: (x, y))
    if batch_first:
        ds = ds.batch(batch_size, drop_remainder).repeat(count)
    else:
        ds = ds.repeat(count).batch(batch_size, drop_remainder)
    got = elements(ds.take(take))
    want = expected_batches(data, batch_size, drop_remainder, count, take, batch_first)
    want_labels = expected_batches(labels, batch_size, drop_remainder, count, take, batch_first)
    assert len(got) == len(want)
    for (x, y), wx, wy in zip(got, want, want_labels):
        assert x.dtype == np.float32 and y.dtype == np.int64
        np.testing.assert_array_equal(x, wx)
        np.testing.assert_array_equal(y, wy)


@settings(max_examples=40, deadline=None)
@given(rows=st.integers(0, 30), buffer_size=st.integers(1, 40), batch_size=st.integers(1, 8),
       skip=st.integers(0, 5), seed=st.integers(0, 1000))
def test_property_shuffle_skip_zip_keep_the_data(rows, buffer_size, batch_size, skip, seed):
    tf.reset_default_graph()
    values = np.arange(rows, dtype=np.int64)
    ds = tf.data.Dataset.zip((tf.data.Dataset.from_tensor_slices(values), tf.data.Dataset.range(rows)))
    ds = ds.skip(skip).shuffle(buffer_size, seed=seed).batch(batch_size)
    got = elements(ds)
    assert all(len(a) == batch_size for a, _ in got[:-1])
    flat = np.concatenate([a for a, _ in got]) if got else np.zeros(0, np.int64)
    other = np.concatenate([b for _, b in got]) if got else np.zeros(0, np.int64)
    np.testing.assert_array_equal(flat, other)            # zipped components stay paired
    np.testing.assert_array_equal(np.sort(flat), values[skip:])


def test_after_an_error_get_next_says_so_instead_of_ending_silently():
    def check(a):
        if np.isnan(a):
            raise ValueError("not a number")
        return a

    x = tf.placeholder(tf.float32, [None])
    it = tf.data.Dataset.from_tensor_slices(x).map(lambda v: tf.py_func(check, [v], tf.float32)) \
        .make_initializable_iterator()
    n = it.get_next()
    with tf.Session() as sess:
        sess.run(it.initializer, {x: [1.0, np.nan, 3.0]})
        assert sess.run(n) == 1.0
        with pytest.raises(tf.errors.InvalidArgumentError, match="not a number"):
            sess.run(n)
        for _ in range(2):     # not a quiet "End of sequence": the learner would lose the rest unknowingly
            with pytest.raises(tf.errors.FailedPreconditionError,
                               match=r"earlier GetNext\(\) of this iterator failed \(InvalidArgumentError: "
                                     r"ValueError: not a number\)"):
                sess.run(n)
        sess.run(it.initializer, {x: [4.0]})           # re-initializing starts afresh
        assert sess.run(n) == 4.0
        with pytest.raises(tf.errors.OutOfRangeError, match="End of sequence"):
            sess.run(n)

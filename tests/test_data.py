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


# --------------------------------------------------------------------------------------------
# Reading files: TextLineDataset, tf.decode_csv, CsvDataset, make_csv_dataset
# --------------------------------------------------------------------------------------------
def first_line_and_fix(error):
    """A run-time error's first line (the session adds the node after it), and that it has a Fix."""
    assert "\nFix: " in error.message
    return error.message.split("\n")[0]


def _write(path, text):
    path.write_bytes(text.encode())
    return str(path)


def test_text_line_dataset_reads_the_lines_of_files_in_order(tmp_path):
    first = _write(tmp_path / "f1.csv", 'a,b,c\r\n1,2.5,x\n3,,"y,z"\nlast')      # \r\n, no final newline
    second = _write(tmp_path / "f2.txt", "h1\nh2\n")
    dataset = tf.data.TextLineDataset([first, second])
    assert (dataset.output_types, dataset.output_shapes) == (tf.string, tf.TensorShape([]))
    assert repr(dataset) == "<DatasetV1Adapter shapes: (), types: tf.string>"
    # TF 2.21 compat.v1
    assert elements(dataset) == [b'a,b,c', b'1,2.5,x', b'3,,"y,z"', b'last', b'h1', b'h2']
    assert elements(tf.data.TextLineDataset(first).skip(1)) == [b'1,2.5,x', b'3,,"y,z"', b'last']
    assert elements(tf.data.TextLineDataset([])) == []
    assert [list(b) for b in elements(tf.data.TextLineDataset(second).batch(5))] == [[b"h1", b"h2"]]


def test_text_line_dataset_gzip_and_filenames_fed_at_initialization(tmp_path):
    import gzip
    path = str(tmp_path / "z.txt.gz")
    with gzip.open(path, "wb") as f:
        f.write(b"one\ntwo\n")
    assert elements(tf.data.TextLineDataset(path, compression_type="GZIP")) == [b"one", b"two"]
    names = tf.placeholder(tf.string, [None])
    it = tf.data.TextLineDataset(names).make_initializable_iterator()
    plain = _write(tmp_path / "p.txt", "x\ny\n")
    assert run_all(it.get_next(), init=it.initializer, feed_dict={names: [plain, plain]}) == [b"x", b"y"] * 2


def test_text_line_dataset_missing_file_is_not_found_when_reached(tmp_path):
    good = _write(tmp_path / "good.txt", "only\n")
    missing = str(tmp_path / "nope.txt")
    next_line = tf.data.TextLineDataset([good, missing]).make_one_shot_iterator().get_next()   # builds fine
    sess = tf.Session()
    assert sess.run(next_line) == b"only"
    with pytest.raises(tf.errors.NotFoundError) as e:
        sess.run(next_line)
    assert first_line_and_fix(e.value) == missing + "; No such file or directory"     # TF 2.21 compat.v1
    with pytest.raises(TypeError, match=r"^The `filenames` argument must contain `tf.string` elements. Got "
                                        r"`tf.int32` elements.\nFix: "):
        tf.data.TextLineDataset(3)


def test_decode_csv_values_dtypes_names_and_shapes():
    columns = tf.decode_csv(tf.constant(["1,2.5,x", '3,,"y,z"']), [[0], [0.0], ["d"]])
    assert [str(c) for c in columns] == ["Tensor(\"DecodeCSV:%d\", shape=(2,), dtype=%s)" % (i, t)
                                         for i, t in enumerate(["int32", "float32", "string"])]
    names = [op.name for op in tf.get_default_graph().get_operations()]
    assert names[1:] == ["DecodeCSV/record_defaults_0", "DecodeCSV/record_defaults_1",
                         "DecodeCSV/record_defaults_2", "DecodeCSV"]
    sess = tf.Session()
    ints, floats, strings = sess.run(columns)
    # TF 2.21 compat.v1
    np.testing.assert_array_equal(ints, np.array([1, 3], np.int32))
    np.testing.assert_array_equal(floats, np.array([2.5, 0.0], np.float32))
    assert strings.tolist() == [b"x", b"y,z"] and floats.dtype == np.float32 and ints.dtype == np.int32
    run = lambda *args, **kw: sess.run(tf.decode_csv(*args, **kw))     # noqa: E731
    assert [v.tolist() for v in run(["1,9999999999"], [[0], [tf.constant(0, tf.int64)]])] == [[1], [9999999999]]
    assert [v.tolist() for v in run(["1,NA"], [[0], [7.0]], na_value="NA")] == [[1], [7.0]]
    assert [v.tolist() for v in run(["1;2"], [[0], [0]], field_delim=";")] == [[1], [2]]
    assert [v.tolist() for v in run(['"1",2'], [[""], [0]], use_quote_delim=False)] == [[b'"1"'], [2]]
    assert [v.tolist() for v in run(['"a""b",2', " 3 , 4"], [[""], [0]])] == [[b'a"b', b" 3 "], [2, 4]]
    assert [v.tolist() for v in run([" 3.5 ,1e3"], [[0.0], [0.0]])] == [[3.5], [1000.0]]
    assert [v.tolist() for v in run(["1,2,3", "4,5,6"], [[0], [0]], select_cols=[0, 2])] == [[1, 4], [3, 6]]
    double = run(["3.25"], [tf.constant([1.0], tf.float64)])[0]
    assert double.dtype == np.float64 and double.tolist() == [3.25]
    grid = run([["1,2"], ["3,4"]], [[0], [0]])
    assert [g.tolist() for g in grid] == [[[1], [3]], [[2], [4]]]
    assert tf.decode_csv(tf.placeholder(tf.string, [None, 2]), [[0], [0]])[0].shape.as_list() == [None, 2]


@pytest.mark.parametrize("records, defaults, kwargs, message", [     # TF 2.21 compat.v1
    (["1,2", "1"], [[0], [0], [0]], {}, "Expect 3 fields but have 2 in record 0"),
    (["1,2", "1,2,3"], [[0], [0]], {}, "Expect 2 fields but have 3 in record 1"),
    (["1,2,"], [[0], [0]], {}, "Expect 2 fields but have 3 in record 0"),
    ([""], [[0], [""]], {}, "Expect 2 fields but have 0 in record 0"),
    (["1,abc"], [[0], [0]], {}, "Field 1 in record 0 is not a valid int32: abc"),
    (["1,abc"], [[0], [0.0]], {}, "Field 1 in record 0 is not a valid float: abc"),
    (["1,9999999999"], [[0], [0]], {}, "Field 1 in record 0 is not a valid int32: 9999999999"),
    (["3.5"], [[0]], {}, "Field 0 in record 0 is not a valid int32: 3.5"),
    (["1,"], [[0], tf.int32], {}, "Field 1 is required but missing in record 0!"),
    (['a"b",2'], [[""], [0]], {}, "Unquoted fields cannot have quotes/CRLFs inside"),
    (['"ab"c,2'], [[""], [0]], {}, "Quote inside a string has to be escaped by another quote"),
    (["1;2"], [[0], [0]], {"field_delim": ";;"}, "field_delim should be only 1 char"),
    (["x,1", "2,y"], [[0], [0]], {}, "Field 0 in record 0 is not a valid int32: x"),
    (["1,y", "x,1"], [[0], [0]], {}, "Field 1 in record 0 is not a valid int32: y"),    # the first bad record
])
def test_decode_csv_run_time_errors(records, defaults, kwargs, message):
    columns = tf.decode_csv(records, defaults, **kwargs)
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        tf.Session().run(columns)
    assert first_line_and_fix(e.value) == message


def test_decode_csv_build_time_errors():
    with pytest.raises(TypeError, match=r"^Value passed to parameter 'record_defaults' has DataType bool not in "
                                        r"list of allowed values: float32, float64, int32, int64, string\nFix"):
        tf.decode_csv(["3"], [[True]])
    with pytest.raises(ValueError, match=r"^Shape must be at most rank 1 but is rank 2 for 'DecodeCSV_1'"):
        tf.decode_csv(["3"], [[[1]]])
    with pytest.raises(ValueError, match=r"^Shape of a default must be a length-0 or length-1 vector, or a "
                                         r"scalar\. for 'DecodeCSV_2'"):
        tf.decode_csv(["3"], [[1, 2]])
    assert tf.io.decode_csv is tf.decode_csv


def test_text_line_dataset_with_decode_csv_the_tf1_tutorial_way(tmp_path):
    path = _write(tmp_path / "iris.csv", "sepal,petal,species\n5.1,1.4,0\n4.9,1.3,0\n6.2,4.5,1\n")

    def parse(line):
        sepal, petal, label = tf.decode_csv(line, [[0.0], [0.0], [0]])
        return {"sepal": sepal, "petal": petal}, label

    features, label = (tf.data.TextLineDataset(path).skip(1).map(parse).batch(2)
                       .make_one_shot_iterator().get_next())
    assert features["sepal"].shape.as_list() == [None] and label.dtype == tf.int32
    batches = run_all((features, label))
    assert [b[1].tolist() for b in batches] == [[0, 0], [1]]
    np.testing.assert_allclose(batches[0][0]["sepal"], [5.1, 4.9])
    assert batches[0][0]["petal"].dtype == np.float32


def test_csv_dataset_values_types_and_errors(tmp_path):
    path = _write(tmp_path / "g.csv", 'x,y,name\n1,2.5,a\n2,,b\n3,4,"c,d"\n')
    CsvDataset = tf.data.experimental.CsvDataset
    dataset = CsvDataset(path, [[0], [0.0], [""]], header=True)
    assert dataset.output_types == (tf.int32, tf.float32, tf.string)          # TF 2.21 compat.v1
    assert dataset.output_shapes == (tf.TensorShape([]),) * 3
    assert elements(dataset) == [(1, 2.5, b"a"), (2, 0.0, b"b"), (3, 4.0, b"c,d")]
    assert elements(CsvDataset(path, [[0.0], [""]], header=True, select_cols=[1, 2])) == [
        (2.5, b"a"), (0.0, b"b"), (4.0, b"c,d")]
    assert CsvDataset(path, [tf.int64, tf.float32, tf.string]).output_types == (tf.int64, tf.float32, tf.string)
    # The records before a bad one come out first, then the error (TF 2.21 compat.v1's messages).
    next_row = CsvDataset(path, [[0], tf.float32, [""]], header=True).make_one_shot_iterator().get_next()
    sess = tf.Session()
    assert sess.run(next_row) == (1, 2.5, b"a")
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        sess.run(next_row)
    assert first_line_and_fix(e.value) == "Field 1 is required but missing in record!"
    bad = _write(tmp_path / "bad.csv", "x,y,name\n1,2.5,a\n2,3\n")
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"^Expect 3 fields but have 2 in record\n"):
        elements(CsvDataset(bad, [[0], [0.0], [""]], header=True))
    with pytest.raises(tf.errors.InvalidArgumentError, match="^select_cols should be strictly increasing"):
        elements(CsvDataset(path, [[0.0], [""]], header=True, select_cols=[2, 1]))
    with pytest.raises(tf.errors.NotFoundError, match="nope.csv; No such file or directory"):
        elements(CsvDataset(str(tmp_path / "nope.csv"), [[0]]))


def test_make_csv_dataset_end_to_end(tmp_path):
    path = _write(tmp_path / "h.csv", "a,b,c,d\n1,2,x,1.5\n2,3,y,2\n3,4,z,\n4,5.5,w,1\n")
    make = tf.data.experimental.make_csv_dataset
    dataset = make(path, 2, shuffle=False, num_epochs=1)
    # TF 2.21 compat.v1: types inferred per column, an OrderedDict in file order, batch dim unknown
    assert list(dataset.output_types.items()) == [("a", tf.int32), ("b", tf.float32), ("c", tf.string),
                                                  ("d", tf.float32)]
    assert all(s.as_list() == [None] for s in dataset.output_shapes.values())
    batches = elements(dataset)
    assert [list(b) for b in batches] == [["a", "b", "c", "d"]] * 2
    assert [b["a"].tolist() for b in batches] == [[1, 2], [3, 4]]
    assert [b["c"].tolist() for b in batches] == [[b"x", b"y"], [b"z", b"w"]]
    assert [b["d"].tolist() for b in batches] == [[1.5, 2.0], [0.0, 1.0]] and batches[0]["d"].dtype == np.float32
    features, label = make(path, 3, shuffle=False, num_epochs=1, label_name="c", select_columns=["a", "c", "d"]
                           ).make_one_shot_iterator().get_next()
    assert list(features) == ["a", "d"] and label.dtype == tf.string
    got = run_all((features, label))
    assert [(f["a"].tolist(), f["d"].tolist(), lab.tolist()) for f, lab in got] == [
        ([1, 2, 3], [1.5, 2.0, 0.0], [b"x", b"y", b"z"]), ([4], [1.0], [b"w"])]
    named = make(path, 3, shuffle=False, num_epochs=2, column_names=["p", "q", "r", "s"],
                 column_defaults=[0, 0.0, "", 0.0])
    assert [b["p"].tolist() for b in elements(named)] == [[1, 2, 3], [4, 1, 2], [3, 4]]
    forever = make(path, 3, shuffle=False).make_one_shot_iterator().get_next()   # num_epochs=None
    assert forever["a"].shape.as_list() == [3]
    sess = tf.Session()
    assert [sess.run(forever["a"]).tolist() for _ in range(3)] == [[1, 2, 3], [4, 1, 2], [3, 4, 1]]
    shuffled = make(path, 4, shuffle_seed=1, num_epochs=1, label_name="a")
    assert sorted(run_all(shuffled.make_one_shot_iterator().get_next())[0][1].tolist()) == [1, 2, 3, 4]


def test_make_csv_dataset_type_inference_and_errors(tmp_path):
    path = _write(tmp_path / "t.csv", "big,f,s,e\n9999999999,1e39,1,\n1,2,x,\n")
    make = tf.data.experimental.make_csv_dataset
    dataset = make(path, 2, shuffle=False, num_epochs=1)
    # TF 2.21 compat.v1: int32, int64, float32, float64, string: the first that fits every value
    assert list(dataset.output_types.values()) == [tf.int64, tf.float64, tf.string, tf.string]
    batch = elements(dataset)[0]
    assert batch["big"].tolist() == [9999999999, 1] and batch["e"].tolist() == [b"", b""]
    other = _write(tmp_path / "h.csv", "a,b,c,d\n1,2,x,1.5\n")
    with pytest.raises(ValueError, match=r"^`label_name` provided must be one of the columns: \['a', 'b', 'c', "
                                         r"'d'\]. Received: zz.$"):
        make(other, 3, label_name="zz")
    with pytest.raises(ValueError, match="^Column zz specified in `select_columns` must be of one of the columns"):
        make(other, 3, select_columns=["zz"])
    with pytest.raises(ValueError, match="^Expected `column_names` or `header` arguments. Neither is provided."):
        make(other, 3, header=False)
    with pytest.raises(ValueError, match="^No files match `file_pattern` .*zz"):
        make(str(tmp_path / "zz*.csv"), 3)
    with pytest.raises(ValueError, match="^Problem inferring types: CSV row 2 has 4 number of fields. Expected: 1."):
        make(other, 3, column_names=["a"])


# --------------------------------------------------------------------------------------------
# unbatch, tf.data.experimental, feedable iterators
# --------------------------------------------------------------------------------------------
def test_unbatch_both_forms():
    batched = tf.data.Dataset.range(7).batch(3)
    for dataset in (batched.unbatch(), batched.apply(tf.data.experimental.unbatch())):
        assert (dataset.output_types, dataset.output_shapes) == (tf.int64, tf.TensorShape([]))
        assert elements(dataset) == list(range(7))                               # TF 2.21 compat.v1
    pairs = tf.data.Dataset.from_tensor_slices({"a": [[1, 2], [3, 4]]}).unbatch()
    assert repr(pairs) == "<DatasetV1Adapter shapes: {a: ()}, types: {a: tf.int32}>"
    assert [e["a"] for e in elements(pairs)] == [1, 2, 3, 4]
    with pytest.raises(ValueError, match="^Cannot unbatch an input with scalar components.\nFix: "):
        tf.data.Dataset.range(3).unbatch()
    mixed = tf.data.Dataset.zip((tf.data.Dataset.range(4).batch(2), tf.data.Dataset.range(6).batch(3)))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"^Input element must have the same batch size in "
                       r"each component. Component 0 had size 2 but component 1 had size, 3.\n"):
        elements(mixed.unbatch())


def test_experimental_namespace_has_tensorflow_names_only():
    tf_names = {"AUTOTUNE", "CsvDataset", "make_csv_dataset", "unbatch", "shuffle_and_repeat", "map_and_batch",
                "parallel_interleave", "ignore_errors", "sample_from_datasets", "scan", "group_by_window"}
    # (a few of TF 2.21 compat.v1's tf.data.experimental names)
    assert set(dir(tf.data.experimental)) <= tf_names
    assert tf.data.experimental.AUTOTUNE == tf.data.AUTOTUNE == -1
    assert {"TextLineDataset", "experimental"} <= set(dir(tf.data))
    with pytest.raises(AttributeError):
        tf.data.experimental.shuffle_and_repeat
    with pytest.raises(AttributeError, match="tf.contrib is a TensorFlow 1.x name that tinyflow does not provide"):
        tf.contrib.data


def test_feedable_iterator_switches_between_training_and_validation():
    train = tf.data.Dataset.range(3)
    validation = tf.data.Dataset.range(10, 12)
    handle = tf.placeholder(tf.string, shape=[])
    iterator = tf.data.Iterator.from_string_handle(handle, train.output_types, train.output_shapes)
    next_element = iterator.get_next()
    assert (iterator.output_types, iterator.output_shapes) == (tf.int64, tf.TensorShape([]))
    assert iterator._resource.op.type == "IteratorFromStringHandleV2"               # TF 2.21 compat.v1's op
    train_it = train.make_one_shot_iterator()
    val_it = validation.make_initializable_iterator()
    train_handle = train_it.string_handle()
    assert str(train_handle) == 'Tensor("IteratorToStringHandle:0", shape=(), dtype=string)'
    assert val_it.string_handle(name="foo").name == "foo:0"
    sess = tf.Session()
    t, v = sess.run([train_handle, val_it.string_handle()])
    assert isinstance(t, bytes) and t != v
    sess.run(val_it.initializer)
    assert [sess.run(next_element, {handle: h}) for h in (t, v, t, v)] == [0, 10, 1, 11]   # TF 2.21 compat.v1
    with pytest.raises(tf.errors.OutOfRangeError):
        sess.run(next_element, {handle: v})
    sess.run(val_it.initializer)                 # restarting one leaves the other where it was
    assert [sess.run(next_element, {handle: h}) for h in (v, t)] == [10, 2]


def test_feedable_iterator_errors():
    dataset = tf.data.Dataset.range(3)
    handle = tf.placeholder(tf.string, shape=[])
    next_element = tf.data.Iterator.from_string_handle(handle, tf.int64).get_next()
    sess = tf.Session()
    good = sess.run(dataset.make_one_shot_iterator().string_handle())
    with pytest.raises(tf.errors.InvalidArgumentError,           # TF 2.21 compat.v1's messages
                       match="^Could not parse string_handle as a valid ResourceHandle\n"):
        sess.run(next_element, {handle: b"garbage"})
    with pytest.raises(tf.errors.InvalidArgumentError, match="^Data type mismatch at component 0: expected float "
                                                             "but got int64.\n"):
        sess.run(tf.data.Iterator.from_string_handle(handle, tf.float32).get_next(), {handle: good})
    with pytest.raises(tf.errors.InvalidArgumentError, match="^Number of components does not match: expected 2 "
                                                             "types but got 1.\n"):
        sess.run(tf.data.Iterator.from_string_handle(handle, (tf.int64, tf.int64)).get_next(), {handle: good})
    with pytest.raises(tf.errors.NotFoundError):                 # a handle of another session
        tf.Session().run(next_element, {handle: good})
    with pytest.raises(ValueError, match="^Tensor conversion requested dtype string for Tensor with dtype int32"):
        tf.data.Iterator.from_string_handle(tf.constant(1), tf.int64)
    assert sess.run(next_element, {handle: good}) == 0

"""tf.feature_column and lookup tables: the guide's input layer, every column type, errors.

Values marked "golden" were produced by real TensorFlow 2.21 (tf.compat.v1, graph mode).
Hash-bucket ids are not compared with TensorFlow's (it uses FarmHash, tinyflow CRC-32): only
their range and their stability are checked.
"""
import math

import numpy as np
import pytest

import tinyflow as tf
from tinyflow.ops import lookup_ops

fc = tf.feature_column


def run_all(x):
    """Initializes variables and tables, then runs ``x`` (the golden scripts' helper)."""
    with tf.Session() as sess:
        sess.run((tf.global_variables_initializer(), tf.tables_initializer()))
        return sess.run(x)


def guide_columns():
    department_column = fc.categorical_column_with_vocabulary_list('department', ['sports', 'gardening'])
    department_column = fc.indicator_column(department_column)
    return [fc.numeric_column('sales'), department_column]


GUIDE_FEATURES = {'sales': [[5], [10], [8], [9]],
                  'department': ['sports', 'sports', 'gardening', 'gardening']}
# golden value from TensorFlow 2.21 (tf.compat.v1)
GUIDE_VALUE = [[1.0, 0.0, 5.0], [1.0, 0.0, 10.0], [0.0, 1.0, 8.0], [0.0, 1.0, 9.0]]


# --------------------------------------------------------------------------------------------
# The guide's example, end to end
# --------------------------------------------------------------------------------------------
def test_guide_input_layer_end_to_end():
    inputs = fc.input_layer(GUIDE_FEATURES, guide_columns())
    # golden value from TensorFlow 2.21 (tf.compat.v1)
    assert str(inputs) == 'Tensor("input_layer/concat:0", shape=(4, 3), dtype=float32)'
    var_init = tf.global_variables_initializer()
    table_init = tf.tables_initializer()
    assert table_init.name == "init_all_tables"
    sess = tf.Session()
    assert sess.run((var_init, table_init)) == (None, None)
    value = sess.run(inputs)
    assert value.dtype == np.float32
    np.testing.assert_array_equal(value, GUIDE_VALUE)
    # golden value from TensorFlow 2.21 (tf.compat.v1)
    assert [o.name for o in tf.get_collection(tf.GraphKeys.TABLE_INITIALIZERS)] == [
        'input_layer/department_indicator/department_lookup/hash_table/table_init/LookupTableImportV2']
    assert tf.global_variables() == []


def test_guide_op_names_follow_tf():
    n0 = len(tf.get_default_graph().get_operations())
    fc.input_layer(GUIDE_FEATURES, guide_columns())
    created = [(o.name, o.type) for o in tf.get_default_graph().get_operations()[n0:]]
    # golden names from TensorFlow 2.21 (tf.compat.v1): a subset tinyflow reproduces exactly
    for expected in [('input_layer/department_indicator/Const', 'Const'),
                     ('input_layer/department_indicator/ExpandDims', 'ExpandDims'),
                     ('input_layer/department_indicator/department_lookup/hash_table/hash_table', 'HashTableV2'),
                     ('input_layer/department_indicator/hash_table_Lookup/LookupTableFindV2',
                      'LookupTableFindV2'),
                     ('input_layer/department_indicator/one_hot', 'OneHot'),
                     ('input_layer/department_indicator/Sum', 'Sum'),
                     ('input_layer/department_indicator/Reshape', 'Reshape'),
                     ('input_layer/sales/Const', 'Const'),
                     ('input_layer/sales/Cast', 'Cast'),
                     ('input_layer/sales/Reshape', 'Reshape'),
                     ('input_layer/concat/axis', 'Const'),
                     ('input_layer/concat', 'ConcatV2')]:
        assert expected in created
    assert created[-1] == ('input_layer/concat', 'ConcatV2')


def test_guide_tables_must_be_initialized():
    inputs = fc.input_layer(GUIDE_FEATURES, guide_columns())
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    with pytest.raises(tf.errors.FailedPreconditionError) as info:
        sess.run(inputs)
    lines = info.value.message.splitlines()
    assert lines[0] == "Table not initialized."
    assert ("Fix: run `sess.run(tf.tables_initializer())` after building the feature columns "
            "(and before using them).") in lines
    assert info.value.op.type == "LookupTableFindV2"
    sess.run(tf.tables_initializer())
    sess.run(tf.tables_initializer())            # running it twice is fine
    np.testing.assert_array_equal(sess.run(inputs), GUIDE_VALUE)
    # Tables live in the session: a new session starts uninitialized again.
    with pytest.raises(tf.errors.FailedPreconditionError):
        tf.Session().run(inputs)


def test_second_input_layer_gets_a_new_scope():
    fc.input_layer(GUIDE_FEATURES, guide_columns())
    second = fc.input_layer(GUIDE_FEATURES, guide_columns())
    assert second.name == "input_layer_1/concat:0"
    assert len(tf.get_collection(tf.GraphKeys.TABLE_INITIALIZERS)) == 2


def test_tables_initializer_without_tables_is_a_no_op():
    init = tf.tables_initializer()
    assert (init.name, init.type) == ("init_all_tables", "NoOp")
    tf.constant(1.0)
    assert tf.Session().run(init) is None


# --------------------------------------------------------------------------------------------
# Ordering and shapes
# --------------------------------------------------------------------------------------------
def test_columns_are_sorted_by_name_not_list_order():
    # golden value from TensorFlow 2.21 (tf.compat.v1): the same for either list order
    a = fc.input_layer(GUIDE_FEATURES, guide_columns())
    b = fc.input_layer(GUIDE_FEATURES, guide_columns()[::-1])
    va, vb = run_all((a, b))
    np.testing.assert_array_equal(va, GUIDE_VALUE)
    np.testing.assert_array_equal(vb, GUIDE_VALUE)
    cols = [fc.numeric_column(k) for k in ("z", "a", "m")]
    out = fc.input_layer({"z": [[3.0]], "a": [[1.0]], "m": [[2.0]]}, cols)
    np.testing.assert_array_equal(run_all(out), [[1.0, 2.0, 3.0]])


def test_single_column_output_name():
    col = fc.numeric_column('x')
    out = fc.input_layer({'x': [1.0, 2.0]}, [col])
    # golden value from TensorFlow 2.21 (tf.compat.v1): tf.concat of one tensor
    assert out.name == "input_layer/concat/concat:0"
    np.testing.assert_array_equal(run_all(out), [[1.0], [2.0]])


def test_feature_values_can_be_numpy_arrays():
    features = {'sales': np.array([5, 10, 8, 9], dtype=np.int64),
                'department': np.array(['sports', 'sports', 'gardening', 'gardening'])}
    out = fc.input_layer(features, guide_columns())
    np.testing.assert_array_equal(run_all(out), GUIDE_VALUE)


def test_features_from_a_dataset_iterator():
    dataset = tf.data.Dataset.from_tensor_slices(
        {'sales': [5, 10, 8, 9], 'department': ['sports', 'sports', 'gardening', 'gardening']}).batch(2)
    features = dataset.make_one_shot_iterator().get_next()
    inputs = fc.input_layer(features, guide_columns())
    assert inputs.shape.as_list() == [None, 3]
    with tf.Session() as sess:
        sess.run(tf.tables_initializer())
        first, second = sess.run(inputs), sess.run(inputs)
    np.testing.assert_array_equal(np.concatenate([first, second]), GUIDE_VALUE)


def test_features_from_placeholders():
    sales = tf.placeholder(tf.float32, [None])
    dept = tf.placeholder(tf.string, [None])
    inputs = fc.input_layer({'sales': sales, 'department': dept}, guide_columns())
    with tf.Session() as sess:
        sess.run(tf.tables_initializer())
        value = sess.run(inputs, {sales: [3.0], dept: ['gardening']})
    np.testing.assert_array_equal(value, [[0.0, 1.0, 3.0]])


# --------------------------------------------------------------------------------------------
# Each column type (golden values from TensorFlow 2.21, tf.compat.v1)
# --------------------------------------------------------------------------------------------
def test_numeric_column_with_normalizer():
    col = fc.numeric_column('x', shape=(2,), normalizer_fn=lambda t: t * 2.)
    inputs = fc.input_layer({'x': [[1., 2.], [3., 4.]]}, [col])
    # golden value from TensorFlow 2.21 (tf.compat.v1)
    assert str(inputs) == 'Tensor("input_layer/concat/concat:0", shape=(2, 2), dtype=float32)'
    np.testing.assert_array_equal(run_all(inputs), [[2.0, 4.0], [6.0, 8.0]])


def test_numeric_column_multi_dimensional_shape_is_flattened():
    col = fc.numeric_column('x', shape=(2, 2))
    inputs = fc.input_layer({'x': np.arange(8, dtype=np.float32).reshape(2, 2, 2)}, [col])
    np.testing.assert_array_equal(run_all(inputs), np.arange(8).reshape(2, 4))


def test_bucketized_column():
    age = fc.bucketized_column(fc.numeric_column('age'), boundaries=[18., 30., 50.])
    inputs = fc.input_layer({'age': [[10.], [18.], [35.], [70.]]}, [age])
    # golden value from TensorFlow 2.21 (tf.compat.v1)
    assert str(inputs) == 'Tensor("input_layer/concat/concat:0", shape=(4, 4), dtype=float32)'
    expected = [[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]]
    np.testing.assert_array_equal(run_all(inputs), expected)
    tf.reset_default_graph()
    ind = fc.indicator_column(fc.bucketized_column(fc.numeric_column('age'), boundaries=[18., 30., 50.]))
    # golden value from TensorFlow 2.21 (tf.compat.v1)
    np.testing.assert_array_equal(run_all(fc.input_layer({'age': [[10.], [18.], [35.], [70.]]}, [ind])),
                                  expected)
    assert age.name == "age_bucketized" and age.num_buckets == 4


def test_bucketized_column_of_two_values():
    col = fc.bucketized_column(fc.numeric_column('p', shape=(2,)), boundaries=[0.0])
    dense = fc.input_layer({'p': [[-1.0, 1.0]]}, [col])
    ids = fc.input_layer({'p': [[-1.0, 1.0]]}, [fc.indicator_column(col)])
    d, i = run_all((dense, ids))
    np.testing.assert_array_equal(d, [[1, 0, 0, 1]])     # one one-hot per value
    np.testing.assert_array_equal(i, [[1, 0, 0, 1]])     # value i uses ids [2i, 2i + 2)


def test_indicator_of_identity_column():
    col = fc.indicator_column(fc.categorical_column_with_identity('d', 4))
    inputs = fc.input_layer({'d': [[0], [3], [2]]}, [col])
    # golden value from TensorFlow 2.21 (tf.compat.v1)
    assert str(inputs) == 'Tensor("input_layer/concat/concat:0", shape=(3, 4), dtype=float32)'
    np.testing.assert_array_equal(run_all(inputs), [[1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0],
                                                    [0.0, 0.0, 1.0, 0.0]])


def test_identity_column_out_of_range():
    col = fc.indicator_column(fc.categorical_column_with_identity('d', 4))
    inputs = fc.input_layer({'d': [[0], [5]]}, [col])
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        run_all(inputs)
    assert info.value.message.startswith("assertion failed: [Condition x < y did not hold element-wise:]")
    assert "num_buckets=4" in info.value.message
    tf.reset_default_graph()
    col = fc.indicator_column(fc.categorical_column_with_identity('d', 4, default_value=3))
    inputs = fc.input_layer({'d': [[0], [5], [-1], [-3]]}, [col])
    # -1 is a missing value (zeros); other out-of-range values go to default_value.
    np.testing.assert_array_equal(run_all(inputs), [[1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 0, 0], [0, 0, 0, 1]])


def test_vocabulary_with_oov_buckets():
    col = fc.indicator_column(fc.categorical_column_with_vocabulary_list(
        'department', ['sports', 'gardening'], num_oov_buckets=2))
    inputs = fc.input_layer({'department': ['sports', 'hockey', 'gardening']}, [col])
    # golden value from TensorFlow 2.21 (tf.compat.v1): width len(vocab) + num_oov_buckets
    assert str(inputs) == 'Tensor("input_layer/concat/concat:0", shape=(3, 4), dtype=float32)'
    value = run_all(inputs)
    np.testing.assert_array_equal(value[0], [1, 0, 0, 0])
    np.testing.assert_array_equal(value[2], [0, 1, 0, 0])
    # The OOV id is tinyflow's own hash, but always in [len(vocab), len(vocab) + k).
    assert value[1].sum() == 1 and np.argmax(value[1]) in (2, 3)


def test_oov_ids_are_in_range_and_stable():
    words = ['w%d' % i for i in range(50)]
    table = lookup_ops.index_table_from_tensor(['a', 'b', 'c'], num_oov_buckets=5)
    ids = table.lookup(tf.constant(words + ['a', 'c']))
    with tf.Session() as sess:
        sess.run(tf.tables_initializer())
        first = sess.run(ids)
        again = sess.run(ids)
    assert all(3 <= i < 8 for i in first[:50])
    assert len(set(first[:50].tolist())) > 1               # the hash spreads the words
    assert first[50:].tolist() == [0, 2]
    np.testing.assert_array_equal(first, again)
    with tf.Session() as sess:                              # the same ids in another session
        sess.run(tf.tables_initializer())
        np.testing.assert_array_equal(sess.run(ids), first)


def test_vocabulary_default_value_and_missing_values():
    col = fc.indicator_column(fc.categorical_column_with_vocabulary_list('d', ['a', 'b'], default_value=1))
    inputs = fc.input_layer({'d': ['a', 'zzz', '']}, [col])
    # OOV -> one-hot at default_value; '' is a missing value -> a zero row
    np.testing.assert_array_equal(run_all(inputs), [[1, 0], [0, 1], [0, 0]])


def test_multivalent_indicator_counts_repeats():
    col = fc.indicator_column(fc.categorical_column_with_vocabulary_list('d', ['sports', 'gardening']))
    inputs = fc.input_layer({'d': [['sports', 'sports'], ['gardening', ''], ['golf', 'sports']]}, [col])
    np.testing.assert_array_equal(run_all(inputs), [[2, 0], [0, 1], [1, 0]])


def test_integer_vocabulary():
    col = fc.categorical_column_with_vocabulary_list('n', [10, 20, 30])
    assert col.dtype == tf.int64
    inputs = fc.input_layer({'n': [[30], [10], [-1], [99]]}, [fc.indicator_column(col)])
    np.testing.assert_array_equal(run_all(inputs), [[0, 0, 1], [1, 0, 0], [0, 0, 0], [0, 0, 0]])


def test_hash_bucket_column():
    col = fc.categorical_column_with_hash_bucket('h', 7)
    inputs = fc.input_layer({'h': ['x', 'y', 'x', '']}, [fc.indicator_column(col)])
    value = run_all(inputs)
    assert value.shape == (4, 7)
    np.testing.assert_array_equal(value.sum(axis=1), [1, 1, 1, 0])
    np.testing.assert_array_equal(value[0], value[2])                 # same string, same bucket
    tf.reset_default_graph()
    icol = fc.categorical_column_with_hash_bucket('h', 5, dtype=tf.int64)
    ivalue = run_all(fc.input_layer({'h': [[3], [3], [-1]]}, [fc.indicator_column(icol)]))
    np.testing.assert_array_equal(ivalue.sum(axis=1), [1, 1, 0])
    np.testing.assert_array_equal(ivalue[0], ivalue[1])


def test_embedding_column_variables_and_values():
    col = fc.embedding_column(fc.categorical_column_with_vocabulary_list('d', ['a', 'b', 'c']), dimension=2)
    inputs = fc.input_layer({'d': [['a'], ['c'], ['b']]}, [col])
    # golden values from TensorFlow 2.21 (tf.compat.v1)
    assert str(inputs) == 'Tensor("input_layer/concat/concat:0", shape=(3, 2), dtype=float32)'
    assert [(v.name, v.shape.as_list()) for v in tf.global_variables()] == [
        ('input_layer/d_embedding/embedding_weights:0', [3, 2])]
    assert [v.name for v in tf.trainable_variables()] == ['input_layer/d_embedding/embedding_weights:0']
    assert col.initializer.get_config() == {'mean': 0.0, 'stddev': 0.7071067811865475, 'seed': None,
                                            'dtype': 'float32'}
    assert (col.combiner, col.max_norm, col.trainable) == ('mean', None, True)
    assert math.isclose(col.initializer.stddev, 1 / math.sqrt(2))
    weights = tf.global_variables()[0]
    with tf.Session() as sess:
        sess.run((tf.global_variables_initializer(), tf.tables_initializer()))
        w, value = sess.run((weights, inputs))
    np.testing.assert_allclose(value, w[[0, 2, 1]], rtol=1e-6)
    assert np.all(np.abs(w) <= 2 * 0.7071068)                        # truncated at 2 stddev


def test_embedding_combiners_and_empty_rows():
    w0 = np.array([[1.0, 2.0], [3.0, 6.0]], np.float32)
    cat = fc.categorical_column_with_vocabulary_list('d', ['a', 'b'])
    feats = {'d': [['a', 'b'], ['b', ''], ['', '']]}
    outs = {}
    for combiner in ('mean', 'sum', 'sqrtn'):
        col = fc.embedding_column(cat, 2, combiner=combiner, initializer=tf.constant_initializer(w0))
        outs[combiner] = fc.input_layer(feats, [col])
    v = run_all(outs)
    np.testing.assert_allclose(v['sum'], [[4, 8], [3, 6], [0, 0]])
    np.testing.assert_allclose(v['mean'], [[2, 4], [3, 6], [0, 0]])
    np.testing.assert_allclose(v['sqrtn'], [[4 / np.sqrt(2), 8 / np.sqrt(2)], [3, 6], [0, 0]], rtol=1e-6)


def test_embedding_weights_receive_gradients_and_train():
    col = fc.embedding_column(fc.categorical_column_with_vocabulary_list('d', ['a', 'b', 'c']), dimension=2,
                              combiner='sum')
    inputs = fc.input_layer({'d': [['a'], ['c'], ['a']]}, [col])
    weights = tf.trainable_variables()[0]
    loss = tf.reduce_sum(inputs)
    (grad,) = tf.gradients(loss, [weights])
    assert grad is not None
    step = tf.assign_sub(weights, 0.5 * grad)
    with tf.Session() as sess:
        sess.run((tf.global_variables_initializer(), tf.tables_initializer()))
        np.testing.assert_array_equal(sess.run(grad), [[2, 2], [0, 0], [1, 1]])   # a used twice, c once
        before = sess.run(weights)
        sess.run(step)
        np.testing.assert_allclose(sess.run(weights), before - 0.5 * np.array([[2, 2], [0, 0], [1, 1]]))


def test_input_layer_trainable_false():
    col = fc.embedding_column(fc.categorical_column_with_identity('d', 3), dimension=2)
    fc.input_layer({'d': [[0]]}, [col], trainable=False)
    assert tf.trainable_variables() == []
    assert len(tf.global_variables()) == 1


def test_cols_to_vars_and_output_tensors():
    col = fc.embedding_column(fc.categorical_column_with_identity('d', 3), dimension=2)
    num = fc.numeric_column('x')
    cols_to_vars, cols_to_out = {}, {}
    fc.input_layer({'d': [[0]], 'x': [[1.0]]}, [col, num], cols_to_vars=cols_to_vars,
                   cols_to_output_tensors=cols_to_out)
    assert [v.name for v in cols_to_vars[col]] == ['input_layer/d_embedding/embedding_weights:0']
    assert cols_to_vars[num] == []
    assert cols_to_out[num].name == "input_layer/x/Reshape:0"


# --------------------------------------------------------------------------------------------
# Names and reprs (golden values from TensorFlow 2.21, tf.compat.v1)
# --------------------------------------------------------------------------------------------
def test_reprs_and_names():
    sales = fc.numeric_column('sales')
    voc = fc.categorical_column_with_vocabulary_list('department', ['sports', 'gardening'])
    ind = fc.indicator_column(voc)
    # golden values from TensorFlow 2.21 (tf.compat.v1)
    assert repr(sales) == ("NumericColumn(key='sales', shape=(1,), default_value=None, dtype=tf.float32, "
                           "normalizer_fn=None)")
    assert repr(voc) == ("VocabularyListCategoricalColumn(key='department', vocabulary_list=('sports', "
                         "'gardening'), dtype=tf.string, default_value=-1, num_oov_buckets=0)")
    assert repr(ind) == ("IndicatorColumn(categorical_column=VocabularyListCategoricalColumn(key='department', "
                         "vocabulary_list=('sports', 'gardening'), dtype=tf.string, default_value=-1, "
                         "num_oov_buckets=0))")
    assert repr(fc.bucketized_column(sales, boundaries=[1., 2.])) == (
        "BucketizedColumn(source_column=NumericColumn(key='sales', shape=(1,), default_value=None, "
        "dtype=tf.float32, normalizer_fn=None), boundaries=(1.0, 2.0))")
    assert repr(fc.categorical_column_with_identity('d', 4)) == \
        "IdentityCategoricalColumn(key='d', number_buckets=4, default_value=None)"
    emb = repr(fc.embedding_column(voc, dimension=2))
    # TF prints the initializer's address; tinyflow prints its config (deterministic).
    assert emb.startswith("EmbeddingColumn(categorical_column=VocabularyListCategoricalColumn(key='department', ")
    assert emb.endswith(", ckpt_to_load_from=None, tensor_name_in_ckpt=None, max_norm=None, trainable=True, "
                        "use_safe_embedding_lookup=True)")
    assert "dimension=2, combiner='mean', initializer=TruncatedNormal(" in emb
    assert [sales.name, sales.key, sales.shape] == ['sales', 'sales', (1,)]
    assert (ind.name, voc.name) == ('department_indicator', 'department')
    assert fc.embedding_column(voc, 2).name == 'department_embedding'
    assert repr(fc.categorical_column_with_hash_bucket('h', 10)) == \
        "HashedCategoricalColumn(key='h', hash_bucket_size=10, dtype=tf.string)"


def test_columns_compare_by_value():
    assert fc.numeric_column('a') == fc.numeric_column('a')
    assert hash(fc.indicator_column(fc.categorical_column_with_identity('d', 2))) == \
        hash(fc.indicator_column(fc.categorical_column_with_identity('d', 2)))


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------
def test_missing_feature_key_names_the_key_and_the_keys_present():
    features = {'sales': [[5]], 'department': ['sports']}
    with pytest.raises(KeyError) as info:
        fc.input_layer(features, [fc.numeric_column('price')])
    message = str(info.value)
    assert message.startswith("Feature 'price' is not in features dictionary "
                              "(keys present: ['department', 'sales']).")
    assert "Fix:" in message
    # TF1 raises ValueError here: the same exception is also a ValueError.
    with pytest.raises(ValueError, match="Did you mean 'sales'"):
        fc.input_layer(features, [fc.numeric_column('saels')])


def test_vocabulary_dtype_must_match_the_feature():
    col = fc.indicator_column(fc.categorical_column_with_vocabulary_list('department', [1, 2]))
    with pytest.raises(ValueError) as info:
        fc.input_layer({'department': ['sports']}, [col])
    message = str(info.value)
    assert message.startswith("Column dtype and SparseTensors dtype must be compatible. key: department, "
                              "column dtype: <dtype: 'int64'>, tensor dtype: <dtype: 'string'>")
    assert "Fix:" in message and "'department'" in message


def test_categorical_column_is_not_dense():
    voc = fc.categorical_column_with_vocabulary_list('department', ['sports', 'gardening'])
    with pytest.raises(ValueError) as info:
        fc.input_layer(GUIDE_FEATURES, [voc])
    # golden message from TensorFlow 1.15
    assert str(info.value) == (
        "Items of feature_columns must be a _DenseColumn. You can wrap a categorical column with an "
        "embedding_column or indicator_column. Given: VocabularyListCategoricalColumn(key='department', "
        "vocabulary_list=('sports', 'gardening'), dtype=tf.string, default_value=-1, num_oov_buckets=0)")


@pytest.mark.parametrize("kwargs, message", [
    (dict(vocabulary_list=[]), "vocabulary_list [] must be non-empty, column_name: d"),
    (dict(vocabulary_list=['a', 'a']), "Duplicate keys in vocabulary_list ['a', 'a'], column_name: d"),
    (dict(vocabulary_list=['a'], num_oov_buckets=2, default_value=0),
     "Can't specify both num_oov_buckets and default_value in d."),
    (dict(vocabulary_list=['a'], num_oov_buckets=-1), "Invalid num_oov_buckets -1 in d."),
    (dict(vocabulary_list=[1.5, 2.5]),
     "column_name: d vocabulary dtype must be string or integer. dtype: <dtype: 'float64'>."),
    (dict(vocabulary_list=['a'], dtype=tf.int64),
     "dtype <dtype: 'int64'> and vocabulary dtype <dtype: 'string'> do not match, column_name: d"),
])
def test_vocabulary_list_validation(kwargs, message):
    with pytest.raises(ValueError) as info:
        fc.categorical_column_with_vocabulary_list('d', **kwargs)
    assert str(info.value) == message


def test_other_validation_errors():
    with pytest.raises(ValueError, match=r"num_buckets 0 < 1, column_name d"):
        fc.categorical_column_with_identity('d', 0)
    with pytest.raises(ValueError, match=r"default_value 4 not in range \[0, 4\), column_name d"):
        fc.categorical_column_with_identity('d', 4, default_value=4)
    with pytest.raises(ValueError, match="boundaries must be a sorted list."):
        fc.bucketized_column(fc.numeric_column('a'), [2., 1.])
    with pytest.raises(ValueError, match="source_column must be a column generated with numeric_column()"):
        fc.bucketized_column(fc.categorical_column_with_identity('d', 2), [1.])
    with pytest.raises(ValueError, match="Invalid dimension 0."):
        fc.embedding_column(fc.categorical_column_with_identity('d', 2), 0)
    with pytest.raises(ValueError, match="hash_bucket_size must be at least 1"):
        fc.categorical_column_with_hash_bucket('h', 0)
    with pytest.raises(ValueError, match="key must be a string"):
        fc.numeric_column(3)
    with pytest.raises(ValueError, match="shape dimensions must be greater than 0"):
        fc.numeric_column('a', shape=(0,))
    with pytest.raises(ValueError, match="indicator_column needs a categorical column"):
        fc.indicator_column(fc.numeric_column('a'))
    with pytest.raises(ValueError, match="Duplicate feature column name found"):
        fc.input_layer({'a': [1.0]}, [fc.numeric_column('a'), fc.numeric_column('a', shape=(1,))])
    with pytest.raises(ValueError, match="feature_columns must not be empty"):
        fc.input_layer({'a': [1.0]}, [])
    with pytest.raises(ValueError, match=r"Feature \(key: a\) cannot have rank 0"):
        fc.input_layer({'a': 1.0}, [fc.numeric_column('a')])
    assert fc.numeric_column('a', default_value=0.5).default_value == (0.5,)


def test_static_batch_sizes_must_agree():
    with pytest.raises(ValueError, match=r"Batch size \(first dimension\) of each feature must be same. "
                                         r"Batch size of columns \(a, b\): \(2, 3\)"):
        fc.input_layer({'a': [1.0, 2.0], 'b': [1.0, 2.0, 3.0]}, [fc.numeric_column('a'), fc.numeric_column('b')])


def test_wrong_numeric_shape_is_a_reshape_error():
    with pytest.raises(ValueError, match=r"Cannot reshape a tensor with 4 elements to shape \[2,1\] "
                                         r"\(2 elements\) for 'input_layer/sales/Reshape'"):
        fc.input_layer({'sales': [[1.0, 2.0], [3.0, 4.0]]}, [fc.numeric_column('sales')])


def test_numeric_column_rejects_strings():
    with pytest.raises(ValueError, match="numeric_column 'd' needs numbers"):
        fc.input_layer({'d': ['a']}, [fc.numeric_column('d')])


def test_unknown_attribute_message():
    with pytest.raises(AttributeError, match="tinyflow's tf.feature_column has: bucketized_column, "):
        fc.crossed_column  # noqa: B018


# --------------------------------------------------------------------------------------------
# lookup_ops directly
# --------------------------------------------------------------------------------------------
def test_hash_table_lookup_and_size():
    init = lookup_ops.KeyValueTensorInitializer(['x', 'y'], np.array([7, 9], np.int64))
    table = lookup_ops.HashTable(init, -1)
    ids = table.lookup(tf.constant([['y', 'q'], ['x', 'x']]))
    assert ids.shape.as_list() == [2, 2] and ids.dtype == tf.int64
    assert table.init in tf.get_collection(tf.GraphKeys.TABLE_INITIALIZERS)
    with tf.Session() as sess:
        sess.run(table.init)
        np.testing.assert_array_equal(sess.run(ids), [[9, -1], [7, 7]])
        assert sess.run(table.size()) == 2


def test_integer_table_and_key_dtype_check():
    table = lookup_ops.index_table_from_tensor([4, 8])
    ids = table.lookup(tf.constant([8, 5, 4], tf.int64))
    with tf.Session() as sess:
        sess.run(tf.tables_initializer())
        np.testing.assert_array_equal(sess.run(ids), [1, -1, 0])
    with pytest.raises(TypeError, match=r"Signature mismatch. Keys must be dtype <dtype: 'int64'>, "
                                        r"got <dtype: 'string'>."):
        table.lookup(tf.constant(['a']))


def test_a_key_with_two_values_fails_and_leaves_the_table_as_it_was():
    keys = tf.placeholder(tf.string, [None])
    init = lookup_ops.KeyValueTensorInitializer(keys, np.array([0, 1, 2], np.int64))
    table = lookup_ops.HashTable(init, -1)
    with tf.Session() as sess:
        sess.run(table.init, {keys: ['a', 'b', 'c']})
        with pytest.raises(tf.errors.FailedPreconditionError,
                           match="^HashTable has different value for same key. Key a has 0 and trying to "
                                 "add value 2"):
            sess.run(table.init, {keys: ['a', 'b', 'a']})       # vocabulary lists must not repeat words
        assert sess.run(table.size()) == 3                       # the old contents, not half the new ones
        assert sess.run(table.lookup(tf.constant('c'))) == 2


# --------------------------------------------------------------------------------------------
# Vocabulary files and weighted columns (golden values from TensorFlow 2.21, tf.compat.v1)
# --------------------------------------------------------------------------------------------
@pytest.fixture
def vocab_dir(tmp_path, monkeypatch):
    """A directory holding voc.txt (sports, gardening, home) and ivoc.txt (10, 20, 30)."""
    (tmp_path / "voc.txt").write_text("sports\ngardening\nhome\n")
    (tmp_path / "ivoc.txt").write_text("10\n20\n30\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_vocabulary_file_column(vocab_dir):
    col = fc.categorical_column_with_vocabulary_file('department', 'voc.txt')
    # TF 2.21 compat.v1
    assert repr(col) == ("VocabularyFileCategoricalColumn(key='department', vocabulary_file='voc.txt', "
                         "vocabulary_size=3, num_oov_buckets=0, dtype=tf.string, default_value=-1, "
                         "file_format=None)")
    assert (col.name, col.num_buckets) == ('department', 3)
    n0 = len(tf.get_default_graph().get_operations())
    features = {'department': [['sports', 'home'], ['golf', ''], ['gardening', 'gardening']]}
    inputs = fc.input_layer(features, [fc.indicator_column(col)])
    # TF 2.21 compat.v1
    assert str(inputs) == 'Tensor("input_layer/concat/concat:0", shape=(3, 3), dtype=float32)'
    np.testing.assert_array_equal(run_all(inputs), [[1.0, 0.0, 1.0], [0.0, 0.0, 0.0], [0.0, 2.0, 0.0]])
    # TF 2.21 compat.v1
    assert [o.name for o in tf.get_collection(tf.GraphKeys.TABLE_INITIALIZERS)] == [
        'input_layer/department_indicator/department_lookup/hash_table/table_init/InitializeTableFromTextFileV2']
    created = [(o.name, o.type) for o in tf.get_default_graph().get_operations()[n0:]]
    # TF 2.21 compat.v1
    assert [c for c in created if 'lookup' in c[0] or 'Lookup' in c[0]] == [
        ('input_layer/department_indicator/department_lookup/hash_table/asset_path', 'Const'),
        ('input_layer/department_indicator/department_lookup/hash_table/Const', 'Const'),
        ('input_layer/department_indicator/department_lookup/hash_table/hash_table', 'HashTableV2'),
        ('input_layer/department_indicator/department_lookup/hash_table/table_init/InitializeTableFromTextFileV2',
         'InitializeTableFromTextFileV2'),
        ('input_layer/department_indicator/hash_table_Lookup/LookupTableFindV2', 'LookupTableFindV2')]


@pytest.mark.parametrize("kwargs, num_buckets, expected", [
    # TF 2.21 compat.v1
    (dict(vocabulary_size=2), 2, [[1, 0], [0, 0], [0, 0]]),
    (dict(num_oov_buckets=2), 5, None),
    (dict(default_value=0), 3, [[1, 0, 0], [0, 0, 1], [1, 0, 0]]),
])
def test_vocabulary_file_size_oov_and_default(vocab_dir, kwargs, num_buckets, expected):
    col = fc.categorical_column_with_vocabulary_file('department', 'voc.txt', **kwargs)
    assert col.num_buckets == num_buckets
    value = run_all(fc.input_layer({'department': [['sports'], ['home'], ['golf']]}, [fc.indicator_column(col)]))
    if expected is None:         # an out-of-vocabulary bucket: tinyflow's hash is not TF's
        np.testing.assert_array_equal(value[:, :3], [[1, 0, 0], [0, 0, 1], [0, 0, 0]])
        assert value[2, 3:].sum() == 1
    else:
        np.testing.assert_array_equal(value, expected)


@pytest.mark.parametrize("dtype", [tf.int64, tf.int32])
def test_integer_vocabulary_file(vocab_dir, dtype):
    col = fc.categorical_column_with_vocabulary_file('n', 'ivoc.txt', dtype=dtype)
    assert col.dtype == dtype
    value = run_all(fc.input_layer({'n': [[20], [10], [5], [-1]]}, [fc.indicator_column(col)]))
    # TF 2.21 compat.v1
    np.testing.assert_array_equal(value, [[0, 1, 0], [1, 0, 0], [0, 0, 0], [0, 0, 0]])


@pytest.mark.parametrize("args, kwargs, message", [
    # TF 2.21 compat.v1
    (('d', 'missing.txt'), {}, "vocabulary_file in d does not exist."),
    (('d', None), {}, "Missing vocabulary_file in d."),
    (('d', ''), {}, "Missing vocabulary_file in d."),
    (('d', 'voc.txt'), dict(vocabulary_size=0), "Invalid vocabulary_size in d."),
    (('d', 'voc.txt'), dict(num_oov_buckets=-1), "Invalid num_oov_buckets -1 in d."),
    (('d', 'voc.txt'), dict(num_oov_buckets=1, default_value=0),
     "Can't specify both num_oov_buckets and default_value in d."),
    (('d', 'voc.txt'), dict(dtype=tf.float32),
     "column_name: d dtype must be string or integer. dtype: <dtype: 'float32'>."),
    ((3, 'voc.txt'), {}, "key must be a string. Got: type <class 'int'>. Given key: 3."),
])
def test_vocabulary_file_validation(vocab_dir, args, kwargs, message):
    with pytest.raises(ValueError) as info:
        fc.categorical_column_with_vocabulary_file(*args, **kwargs)
    assert str(info.value).split("\n")[0] == message


@pytest.mark.parametrize("make, error, message", [
    # TF 2.21 compat.v1
    (lambda: fc.categorical_column_with_vocabulary_file('d', 'missing.txt', vocabulary_size=3),
     tf.errors.NotFoundError, "missing.txt; No such file or directory"),
    (lambda: fc.categorical_column_with_vocabulary_file('d', 'voc.txt', vocabulary_size=5),
     tf.errors.InvalidArgumentError, "Invalid vocab_size in voc.txt: expected 5 but got 3"),
    (lambda: fc.categorical_column_with_vocabulary_file('d', 'voc.txt', dtype=tf.int64),
     tf.errors.InvalidArgumentError, "Field sports in line 0 is not a valid int64."),
])
def test_vocabulary_file_errors_when_the_table_is_filled(vocab_dir, make, error, message):
    col = make()
    fc.input_layer({'d': [[1]] if col.dtype.is_integer else [['sports']]}, [fc.indicator_column(col)])
    with tf.Session() as sess:
        with pytest.raises(error) as info:
            sess.run(tf.tables_initializer())
    assert info.value.message.split("\n")[0] == message
    assert "Fix:" in info.value.message
    assert info.value.op.name == 'input_layer/d_indicator/d_lookup/hash_table/table_init/InitializeTableFromTextFileV2'


def test_index_table_from_file(vocab_dir):
    table = lookup_ops.index_table_from_file('voc.txt')
    ids = table.lookup(tf.constant(['home', 'golf', 'sports']))
    with tf.Session() as sess:
        sess.run(tf.tables_initializer())
        np.testing.assert_array_equal(sess.run(ids), [2, -1, 0])
        assert sess.run(table.size()) == 3


WORD_FEATURES = {'word': [['a', 'b'], ['c', 'a'], ['b', 'b']], 'freq': [[1.5, 2.0], [0.5, 3.0], [1.0, 2.0]]}


def word_weighted_by_freq():
    return fc.weighted_categorical_column(fc.categorical_column_with_vocabulary_list('word', ['a', 'b', 'c']),
                                          'freq')


def test_weighted_column_indicator_sums_weights():
    col = word_weighted_by_freq()
    # TF 2.21 compat.v1
    assert repr(col) == ("WeightedCategoricalColumn(categorical_column=VocabularyListCategoricalColumn("
                         "key='word', vocabulary_list=('a', 'b', 'c'), dtype=tf.string, default_value=-1, "
                         "num_oov_buckets=0), weight_feature_key='freq', dtype=tf.float32)")
    assert (col.name, col.num_buckets) == ('word_weighted_by_freq', 3)
    inputs = fc.input_layer(WORD_FEATURES, [fc.indicator_column(col)])
    assert inputs.op.inputs[0].op.name.startswith('input_layer/word_weighted_by_freq_indicator/')
    # TF 2.21 compat.v1 (the repeated 'b' of the last example sums its weights)
    np.testing.assert_array_equal(run_all(inputs), [[1.5, 2.0, 0.0], [3.0, 0.0, 0.5], [0.0, 3.0, 0.0]])


def test_weighted_column_with_integer_weights_and_other_columns(vocab_dir):
    col = fc.weighted_categorical_column(fc.categorical_column_with_vocabulary_file('d', 'voc.txt'), 'n',
                                         dtype=tf.int32)
    features = {'d': [['home', 'sports'], ['gardening', 'home']], 'n': [[3, 1], [2, 4]], 'x': [1., 2.]}
    value = run_all(fc.input_layer(features, [fc.numeric_column('x'), fc.indicator_column(col)]))
    # TF 2.21 compat.v1
    np.testing.assert_array_equal(value, [[1.0, 0.0, 3.0, 1.0], [0.0, 2.0, 4.0, 2.0]])


@pytest.mark.parametrize("combiner, expected", [
    # TF 2.21 compat.v1
    ('sum', [[7.5, 11.0], [5.5, 9.0], [9.0, 12.0]]),
    ('mean', [[2.142857074737549, 3.142857074737549], [1.5714285373687744, 2.5714285373687744], [3.0, 4.0]]),
    ('sqrtn', [[3.0, 4.400000095367432], [1.8083888292312622, 2.959181785583496],
               [4.0249223709106445, 5.366562843322754]]),
])
def test_weighted_column_embedding(combiner, expected):
    col = fc.embedding_column(word_weighted_by_freq(), 2, combiner=combiner,
                              initializer=tf.constant_initializer([[1., 2.], [3., 4.], [5., 6.]]))
    assert col.name == 'word_weighted_by_freq_embedding'
    inputs = fc.input_layer(WORD_FEATURES, [col])
    # TF 2.21 compat.v1
    assert [v.name for v in tf.global_variables()] == [
        'input_layer/word_weighted_by_freq_embedding/embedding_weights:0']
    np.testing.assert_allclose(run_all(inputs), expected, rtol=1e-6)


@pytest.mark.parametrize("combiner, expected", [
    # TF 2.21 compat.v1: 'sum' keeps weights <= 0, 'mean' and 'sqrtn' drop them
    ('indicator', [[2.0, 0.0, -1.0], [0.0, 0.75, 0.0], [-2.0, 0.0, -1.0]]),
    ('sum', [[-3.0, -2.0], [2.25, 3.0], [-7.0, -10.0]]),
    ('mean', [[1.0, 2.0], [3.0, 4.0], [0.0, 0.0]]),
    ('sqrtn', [[1.0, 2.0], [4.0249223709106445, 5.366562843322754], [0.0, 0.0]]),
])
def test_weighted_column_negative_weights(combiner, expected):
    col = fc.weighted_categorical_column(fc.categorical_column_with_identity('id', 3), 'val')
    features = {'id': [[0, 2], [1, 1], [2, 0]], 'val': [[2.0, -1.0], [0.5, 0.25], [-1.0, -2.0]]}
    if combiner == 'indicator':
        dense = fc.indicator_column(col)
    else:
        dense = fc.embedding_column(col, 2, combiner=combiner,
                                    initializer=tf.constant_initializer([[1., 2.], [3., 4.], [5., 6.]]))
    np.testing.assert_allclose(run_all(fc.input_layer(features, [dense])), expected, rtol=1e-6)


def test_weighted_column_errors():
    with pytest.raises(ValueError) as info:
        fc.weighted_categorical_column(word_weighted_by_freq().categorical_column, 'freq', dtype=tf.string)
    # TF 2.21 compat.v1
    assert str(info.value) == "dtype <dtype: 'string'> is not convertible to float."
    col = fc.indicator_column(word_weighted_by_freq())
    with pytest.raises(ValueError) as info:
        fc.input_layer({'word': [['a']], 'freq': [[1]]}, [col])
    # TF 2.21 compat.v1 (first line)
    assert str(info.value).split("\n")[0] == "Bad dtype, expected <dtype: 'float32'>, but got <dtype: 'int32'>."
    assert "Fix:" in str(info.value)
    with pytest.raises(ValueError, match="Feature 'freq' is not in features dictionary"):
        fc.input_layer({'word': [['a']]}, [col])
    tf.reset_default_graph()
    inputs = fc.input_layer({'word': [['a', 'b']], 'freq': [[1.]]}, [col])
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        run_all(inputs)
    # TF 2.21 compat.v1 (first line)
    assert info.value.message.split("\n")[0] == "Number of elements in indices (2) and values (1) do not match"
    assert "Fix: features['freq'] needs one weight per value" in info.value.message

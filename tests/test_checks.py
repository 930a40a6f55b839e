"""tinyflow.classroom.checks: each exercise check accepts a right answer (printing "✓ ...") and rejects
typical wrong answers with a hint that names the problem."""
from __future__ import annotations

import numpy as np
import pytest

import tinyflow as tf
from tinyflow import checks
from tinyflow.classroom.checks import CheckFailed


def passes(capsys, check, *args, **kwargs) -> str:
    check(*args, **kwargs)
    out = capsys.readouterr().out
    assert out.startswith("\u2713 "), out
    return out


def fails(check, *args, **kwargs) -> str:
    with pytest.raises(CheckFailed) as info:
        check(*args, **kwargs)
    assert isinstance(info.value, AssertionError)
    return str(info.value)


def test_check_failed_is_an_assertion_error_shown_without_traceback():
    assert issubclass(CheckFailed, AssertionError)
    lines = CheckFailed("first line\nsecond line")._render_traceback_()     # what Jupyter displays
    assert lines == ["\x1b[0;31mCheckFailed\x1b[0m: first line", "second line"]


# --------------------------------------------------------------------------------------------
# ex01
# --------------------------------------------------------------------------------------------
def _ab():
    return tf.constant(3.0, name="a"), tf.constant(4.5, name="b"), tf.Session()


def test_fetch_structures_right(capsys):
    a, b, sess = _ab()
    fetches = {"inputs": (a, b), "outputs": [a + b, a * b]}
    out = passes(capsys, checks.fetch_structures, fetches, sess.run(fetches))
    assert "{'inputs': (3.0, 4.5), 'outputs': [7.5, 13.5]}" in out


def test_fetch_structures_numbers_instead_of_tensors():
    a, b, sess = _ab()
    fetches = {"inputs": (a, b), "outputs": [7.5, 13.5]}
    hint = fails(checks.fetch_structures, fetches, {"inputs": (3.0, 4.5), "outputs": [7.5, 13.5]})
    assert "fetches['outputs'][0] is a float, not a tensor" in hint


def test_fetch_structures_list_instead_of_tuple():
    a, b, sess = _ab()
    fetches = {"inputs": [a, b], "outputs": [a + b, a * b]}
    assert "should be the tuple (a, b)" in fails(checks.fetch_structures, fetches, sess.run(fetches))


def test_fetch_structures_swapped_outputs():
    a, b, sess = _ab()
    fetches = {"inputs": (a, b), "outputs": [a * b, a + b]}
    assert "swapped" in fails(checks.fetch_structures, fetches, sess.run(fetches))


def test_fetch_structures_constant_result():
    a, b, sess = _ab()
    fetches = {"inputs": (a, b), "outputs": [tf.constant(7.5), a * b]}
    assert "total is a constant" in fails(checks.fetch_structures, fetches, sess.run(fetches))


def test_fetch_structures_values_rebuilt_or_unrun():
    a, b, sess = _ab()
    fetches = {"inputs": (a, b), "outputs": [a + b, a * b]}
    assert "values still holds tensors" in fails(checks.fetch_structures, fetches, fetches)
    rebuilt = {"inputs": list(sess.run([a, b])), "outputs": sess.run([a + b, a * b])}
    assert "rebuild the containers" in fails(checks.fetch_structures, fetches, rebuilt)


def _vec():
    tf.set_random_seed(7)
    vec = tf.random_uniform(shape=(3,))
    return vec + 1, vec + 2, tf.Session()


def test_single_run_right(capsys):
    out1, out2, sess = _vec()
    passes(capsys, checks.single_run, sess.run((out1, out2)))


def test_single_run_two_runs():
    out1, out2, sess = _vec()
    assert "different draws of vec" in fails(checks.single_run, (sess.run(out1), sess.run(out2)))


def test_single_run_tensors_or_wrong_shape():
    out1, out2, sess = _vec()
    assert "holds tensors" in fails(checks.single_run, (out1, out2))
    assert "should be the two values" in fails(checks.single_run, sess.run(out1))


# --------------------------------------------------------------------------------------------
# ex02
# --------------------------------------------------------------------------------------------
def _pipeline(transform=lambda d: d.batch(4), one_shot=False, constants=False):
    features_ph = tf.placeholder(tf.float32, shape=[None, 3])
    labels_ph = tf.placeholder(tf.int32, shape=[None])
    if constants:
        data = (np.zeros((10, 3), np.float32), np.arange(10, dtype=np.int32))
        features_ph, labels_ph = tf.constant(data[0]), tf.constant(data[1])
    dataset = transform(tf.data.Dataset.from_tensor_slices((features_ph, labels_ph)))
    if one_shot:
        dataset = transform(tf.data.Dataset.from_tensor_slices((np.zeros((4, 3), np.float32), np.arange(4))))
        iterator = dataset.make_one_shot_iterator()
    else:
        iterator = dataset.make_initializable_iterator()
    return features_ph, labels_ph, iterator, iterator.get_next()


def test_dataset_pipeline_right(capsys):
    out = passes(capsys, checks.dataset_pipeline, *_pipeline())
    assert "7 rows -> batches of [4, 3]; 5 rows -> batches of [4, 1]" in out


def test_dataset_pipeline_constants_baked_in():
    assert "not a placeholder" in fails(checks.dataset_pipeline, *_pipeline(constants=True))


def test_dataset_pipeline_one_shot_iterator():
    assert "one-shot iterator" in fails(checks.dataset_pipeline, *_pipeline(one_shot=True))


def test_dataset_pipeline_unbatched():
    assert "one row at a time" in fails(checks.dataset_pipeline, *_pipeline(lambda d: d))


def test_dataset_pipeline_wrong_batch_size():
    hint = fails(checks.dataset_pipeline, *_pipeline(lambda d: d.batch(3)))
    assert "batches had [3, 3, 1] rows; expected [4, 3]" in hint


def test_dataset_pipeline_shuffled_or_repeated():
    assert "different order" in fails(checks.dataset_pipeline, *_pipeline(lambda d: d.shuffle(10, seed=1).batch(4)))
    assert "more rows than were fed" in fails(checks.dataset_pipeline, *_pipeline(lambda d: d.repeat().batch(4)))


def test_dataset_pipeline_fixed_number_of_rows():
    features_ph = tf.placeholder(tf.float32, shape=[10, 3])
    labels_ph = tf.placeholder(tf.int32, shape=[10])
    iterator = tf.data.Dataset.from_tensor_slices((features_ph, labels_ph)).batch(4).make_initializable_iterator()
    hint = fails(checks.dataset_pipeline, features_ph, labels_ph, iterator, iterator.get_next())
    assert "could not feed 7 rows" in hint and "(None)" in hint


def test_dataset_pipeline_labels_first():
    features_ph = tf.placeholder(tf.float32, shape=[None, 3])
    labels_ph = tf.placeholder(tf.int32, shape=[None])
    iterator = tf.data.Dataset.from_tensor_slices((features_ph, labels_ph)).batch(4).make_initializable_iterator()
    features, labels = iterator.get_next()
    hint = fails(checks.dataset_pipeline, features_ph, labels_ph, iterator, (labels, features))
    assert "looks like (labels, features)" in hint


def test_full_epoch(capsys):
    labels = np.arange(10, dtype=np.int32)
    batches = [labels[0:4], labels[4:8], labels[8:10]]
    passes(capsys, checks.full_epoch, batches, labels)
    passes(capsys, checks.full_epoch, list(labels), labels)
    assert "the last, smaller batch is missing" in fails(checks.full_epoch, batches[:2], labels)
    assert "you saw 4 of 10 labels" in fails(checks.full_epoch, batches[:1], labels)
    assert "you saw 14 labels but fed 10" in fails(checks.full_epoch, batches + batches[:1], labels)
    assert "is empty" in fails(checks.full_epoch, [], labels)
    assert "same order" in fails(checks.full_epoch, [labels[::-1]], labels)


# --------------------------------------------------------------------------------------------
# ex03
# --------------------------------------------------------------------------------------------
def softsign(x):
    return x / (1 + np.abs(x))


def softsign_grad(op, grad):
    return grad / tf.square(1.0 + tf.abs(op.inputs[0]))


def test_softsign_forward(capsys):
    passes(capsys, checks.softsign_forward, softsign)
    assert "wrong for x < 0" in fails(checks.softsign_forward, lambda x: x / (1 + x))
    assert "shape ()" in fails(checks.softsign_forward, lambda x: np.sum(x / (1 + np.abs(x))))
    assert "softsign(-2.5) is -0.7143" in fails(checks.softsign_forward, lambda x: x / (2 + np.abs(x)))


def test_registered_gradient_right_and_rerunnable(capsys):
    out = passes(capsys, checks.registered_gradient, softsign, softsign_grad)
    assert "softsign_grad matches the numerical gradient at 6 points" in out
    passes(capsys, checks.registered_gradient, softsign, softsign_grad)     # a second time: no KeyError


def test_registered_gradient_factor_of_two():
    def twice(op, grad):
        return 2.0 * grad / tf.square(1.0 + tf.abs(op.inputs[0]))
    hint = fails(checks.registered_gradient, softsign, twice)
    assert "twice the numerical one everywhere: check the constant factor in d/dx" in hint


def test_registered_gradient_wrong_sign():
    def negative(op, grad):
        return -grad / tf.square(1.0 + tf.abs(op.inputs[0]))
    assert "wrong sign everywhere" in fails(checks.registered_gradient, softsign, negative)


def test_registered_gradient_forgets_the_absolute_value():
    def no_abs(op, grad):
        return grad / tf.square(1.0 + op.inputs[0])
    assert "for x > 0 but not for x < 0" in fails(checks.registered_gradient, softsign, no_abs)


def test_registered_gradient_ignores_upstream_gradient():
    def no_chain(op, grad):
        return 1.0 / tf.square(1.0 + tf.abs(op.inputs[0]))
    assert "ignores the incoming `grad`" in fails(checks.registered_gradient, softsign, no_chain)


def test_registered_gradient_other_mistakes():
    def no_square(op, grad):
        return grad / (1.0 + tf.abs(op.inputs[0]))
    assert "Work out d/dx on paper" in fails(checks.registered_gradient, softsign, no_square)

    def numpy_grad(op, grad):
        return np.ones(6)
    assert "returned ndarray" in fails(checks.registered_gradient, softsign, numpy_grad)

    def two_grads(op, grad):
        return [grad, grad]
    assert "returned 2 values" in fails(checks.registered_gradient, softsign, two_grads)


def test_registered_gradient_not_written_yet():
    def todo(op, grad):
        raise NotImplementedError()
    with pytest.raises(NotImplementedError):
        checks.registered_gradient(softsign, todo)


def test_fresh_name_is_new_each_time():
    first, second = checks.fresh_name("TestFreshGrad"), checks.fresh_name("TestFreshGrad")
    assert first != second and first.startswith("TestFreshGrad_")
    tf.RegisterGradient(first)(softsign_grad)
    assert checks.fresh_name("TestFreshGrad") not in (first, second)


def _softsign_op(grad_fn=softsign_grad, override=True, register=True):
    x = tf.placeholder(tf.float64, shape=[5], name="x")
    name = checks.fresh_name("TestSoftsignGrad")
    if register:
        tf.RegisterGradient(name)(grad_fn)
    if override:
        with tf.get_default_graph().gradient_override_map({"PyFunc": name}):
            y = tf.py_func(softsign, [x], tf.float64)
    else:
        y = tf.py_func(softsign, [x], tf.float64)
    return x, y


def test_gradient_override_right(capsys):
    x, y = _softsign_op()
    passes(capsys, checks.gradient_override, x, y, tf.gradients(y, x)[0])


def test_gradient_override_missing_or_unregistered():
    x, y = _softsign_op(override=False)
    assert "no gradient attached" in fails(checks.gradient_override, x, y, None)
    tf.reset_default_graph()
    x, y = _softsign_op(register=False)
    assert "no gradient is registered under that name" in fails(checks.gradient_override, x, y, None)


def test_gradient_override_not_a_py_func_or_wrong_gradient():
    x = tf.placeholder(tf.float64, shape=[5], name="x")
    y = x / (1.0 + tf.abs(x))
    assert "not from tf.py_func" in fails(checks.gradient_override, x, y, tf.gradients(y, x)[0])
    tf.reset_default_graph()
    x, y = _softsign_op(lambda op, grad: 2.0 * softsign_grad(op, grad))
    assert "twice the numerical one" in fails(checks.gradient_override, x, y, tf.gradients(y, x)[0])
    x2, y2 = _softsign_op()
    assert "it should be the tensor tf.gradients" in fails(checks.gradient_override, x2, y2, tf.gradients(y2, x2))


# --------------------------------------------------------------------------------------------
# ex04 / ex06
# --------------------------------------------------------------------------------------------
def _linear_model(lr=0.01):
    tf.set_random_seed(0)
    x = tf.constant([[1], [2], [3], [4]], dtype=tf.float32)
    y_true = tf.constant([[0], [-1], [-2], [-3]], dtype=tf.float32)
    y_pred = tf.layers.Dense(units=1)(x)
    loss = tf.losses.mean_squared_error(labels=y_true, predictions=y_pred)
    train = tf.train.GradientDescentOptimizer(lr).minimize(loss)
    init = tf.global_variables_initializer()
    sess = tf.Session()
    sess.run(init)
    return sess, loss, train, init


def _train(sess, loss, train, steps, threshold=None):
    history = []
    for _ in range(steps):
        _, value = sess.run((train, loss))
        history.append(value)
        if threshold is not None and value < threshold:
            break
    return history


def test_training_loop_right(capsys):
    sess, loss, train, _ = _linear_model()
    history = _train(sess, loss, train, 10000, threshold=0.01)
    assert "< 0.01 after %d steps" % len(history) in passes(capsys, checks.training_loop, sess, loss, history, 0.01)


def test_training_loop_fixed_number_of_steps():
    sess, loss, train, _ = _linear_model()
    history = _train(sess, loss, train, 100)
    assert "still" in fails(checks.training_loop, sess, loss, history, 0.01)


def test_training_loop_without_train_op():
    sess, loss, train, _ = _linear_model()
    history = [sess.run(loss) for _ in range(20)]
    assert "never changes" in fails(checks.training_loop, sess, loss, history, 0.01)


def test_training_loop_reinitialized_after_training():
    sess, loss, train, init = _linear_model()
    history = _train(sess, loss, train, 10000, threshold=0.01)
    sess.run(init)
    assert "re-initialized" in fails(checks.training_loop, sess, loss, history, 0.01)


def test_training_loop_diverges_or_empty():
    sess, loss, train, _ = _linear_model(lr=0.5)
    history = _train(sess, loss, train, 20)
    assert "learning rate" in fails(checks.training_loop, sess, loss, history, 0.01)
    assert "history is empty" in fails(checks.training_loop, sess, loss, [], 0.01)


# --------------------------------------------------------------------------------------------
# ex05
# --------------------------------------------------------------------------------------------
def _accumulator(var):
    return tf.Variable(tf.zeros(var.shape, dtype=var.dtype.base_dtype), trainable=False, name="accum")


def momentum_right(var, grad, lr, momentum):
    accum = _accumulator(var)
    new_accum = tf.assign(accum, momentum * accum + grad)
    return tf.assign_sub(var, lr * new_accum)


def test_momentum_right(capsys):
    assert "step for step" in passes(capsys, checks.momentum, momentum_right)


def test_momentum_update_before_accumulator():
    def stale(var, grad, lr, momentum):              # the variable moves with the old accumulator
        accum = _accumulator(var)
        return tf.group(tf.assign(accum, momentum * accum + grad), tf.assign_sub(var, lr * accum))
    assert "Is the accumulator updated before it is used?" in fails(checks.momentum, stale)


def test_momentum_without_learning_rate():
    def no_lr(var, grad, lr, momentum):
        accum = _accumulator(var)
        return tf.assign_sub(var, tf.assign(accum, momentum * accum + grad))
    assert "moves by grad instead of lr * grad" in fails(checks.momentum, no_lr)


def test_momentum_applied_on_top():
    def nesterov(var, grad, lr, momentum):
        accum = _accumulator(var)
        new_accum = tf.assign(accum, momentum * accum + grad)
        return tf.assign_sub(var, lr * (grad + momentum * new_accum))
    assert "already moves by more than lr * grad" in fails(checks.momentum, nesterov)


def test_momentum_on_the_gradient_and_wrong_sign():
    def on_grad(var, grad, lr, momentum):
        accum = _accumulator(var)
        return tf.assign_sub(var, lr * tf.assign(accum, accum + momentum * grad))
    assert "scale the *old* accumulator" in fails(checks.momentum, on_grad)

    def uphill(var, grad, lr, momentum):
        accum = _accumulator(var)
        return tf.assign_add(var, lr * tf.assign(accum, momentum * accum + grad))
    assert "uphill" in fails(checks.momentum, uphill)


def test_momentum_memory_slips():
    def no_memory(var, grad, lr, momentum):
        return tf.assign_sub(var, lr * grad)
    assert "plain gradient descent" in fails(checks.momentum, no_memory)

    def no_decay(var, grad, lr, momentum):
        accum = _accumulator(var)
        return tf.assign_sub(var, lr * tf.assign_add(accum, grad))
    assert "should shrink" in fails(checks.momentum, no_decay)


def test_momentum_fixed_hyperparameters_none_or_optimizer():
    def fixed(var, grad, lr, momentum):
        return momentum_right(var, grad, 0.1, 0.9)
    assert "use the lr and momentum arguments" in fails(checks.momentum, fixed)
    assert "returns None" in fails(checks.momentum, lambda var, grad, lr, momentum: None)

    def optimizer(var, grad, lr, momentum):
        return tf.train.MomentumOptimizer(lr, momentum).apply_gradients([(grad, var)])
    assert "from tf.assign ops" in fails(checks.momentum, optimizer)


# --------------------------------------------------------------------------------------------
# ex06
# --------------------------------------------------------------------------------------------
FEATURES = {
    "rooms": [1.0, 2.0, 3.0, 2.0, 4.0, 1.0, 3.0, 2.0],
    "floor": [0.0, 1.0, 3.0, 2.0, 1.0, 2.0, 0.0, 4.0],
    "city": ["lyon", "paris", "nice", "paris", "lyon", "nice", "paris", "lyon"],
}
fc = tf.feature_column


def _inputs(city_column=None, with_city=True, init_tables=True, rooms=None):
    city = fc.categorical_column_with_vocabulary_list("city", ["lyon", "nice", "paris"])
    columns = [rooms or fc.numeric_column("rooms"), fc.numeric_column("floor")]
    if with_city:
        columns.append(city_column(city) if city_column else fc.indicator_column(city))
    inputs = fc.input_layer(FEATURES, columns)
    sess = tf.Session()
    if init_tables:
        sess.run((tf.tables_initializer(), tf.global_variables_initializer()))
    return sess, inputs


def test_feature_columns_right(capsys):
    out = passes(capsys, checks.feature_columns, *_inputs(), FEATURES)
    assert "8 rows x 5 columns: city (one-hot, 3), floor, rooms" in out


def test_feature_columns_missing_city_or_word():
    assert "a feature is missing" in fails(checks.feature_columns, *_inputs(with_city=False), FEATURES)
    city = fc.categorical_column_with_vocabulary_list("city", ["lyon", "paris"])
    inputs = fc.input_layer(FEATURES, [fc.numeric_column("rooms"), fc.numeric_column("floor"),
                                       fc.indicator_column(city)])
    sess = tf.Session()
    sess.run(tf.tables_initializer())
    assert "no column for 'nice'" in fails(checks.feature_columns, sess, inputs, FEATURES)


def test_feature_columns_tables_not_initialized():
    assert "tables must be initialized" in fails(checks.feature_columns, *_inputs(init_tables=False), FEATURES)


def test_feature_columns_embedding_or_hashing():
    tf.set_random_seed(0)
    embedded = _inputs(lambda c: fc.embedding_column(c, dimension=3))
    assert "not one-hot" in fails(checks.feature_columns, *embedded, FEATURES)
    tf.reset_default_graph()
    hashed = fc.categorical_column_with_hash_bucket("city", 2)
    inputs = fc.input_layer(FEATURES, [fc.numeric_column("rooms"), fc.numeric_column("floor"),
                                       fc.indicator_column(hashed)])
    assert "share one" in fails(checks.feature_columns, tf.Session(), inputs, FEATURES)


def test_feature_columns_transformed_numbers():
    rooms = fc.numeric_column("rooms", normalizer_fn=lambda t: t / 4.0)
    assert "does not hold the rooms values" in fails(checks.feature_columns, *_inputs(rooms=rooms), FEATURES)


# --------------------------------------------------------------------------------------------
# ex07
# --------------------------------------------------------------------------------------------
def test_iris_split_is_fixed_and_stratified():
    train_x, train_y, test_x, test_y = checks.iris_split()
    assert train_x.shape == (120, 4) and test_x.shape == (30, 4)
    assert train_x.dtype == np.float32 and test_y.dtype == np.int32
    assert np.bincount(test_y).tolist() == [10, 10, 10]
    again = checks.iris_split()
    assert all(np.array_equal(p, q) for p, q in zip((train_x, train_y, test_x, test_y), again))
    rows = {tuple(r) + (c,) for r, c in zip(train_x, train_y)}
    assert sum(tuple(r) + (c,) in rows for r, c in zip(test_x, test_y)) <= 1   # Iris has one duplicate row


def _centroid_model(columns=(2, 3), shift=0):
    """Nearest-centroid classifier on some features, as a graph: logits = -squared distances."""
    train_x, train_y, _, _ = checks.iris_split()
    mask = np.zeros(4, np.float32)
    mask[list(columns)] = 1
    centroids = np.stack([train_x[train_y == (c + shift) % 3].mean(0) for c in range(3)]) * mask
    x = tf.placeholder(tf.float32, shape=[None, 4], name="x")
    diff = tf.expand_dims(x * mask, 1) - tf.constant(centroids)
    return x, -tf.reduce_sum(tf.square(diff), axis=2)


def test_iris_accuracy_right(capsys):
    x, logits = _centroid_model()
    sess = tf.Session()
    assert "held-out accuracy 29/30 = 96.7 %" in passes(capsys, checks.iris_accuracy, sess, x, logits)
    passes(capsys, checks.iris_accuracy, sess, x, tf.argmax(logits, axis=1))


def test_iris_accuracy_too_low():
    x, logits = _centroid_model(columns=(0, 1))
    assert "below 90 %" in fails(checks.iris_accuracy, tf.Session(), x, logits)
    x, logits = _centroid_model(shift=1)
    assert "close to guessing" in fails(checks.iris_accuracy, tf.Session(), x, logits)


def test_iris_accuracy_untrained_or_wrong_shape():
    x = tf.placeholder(tf.float32, shape=[None, 4], name="x")
    constant = tf.zeros_like(x[:, :3]) + tf.constant([1.0, 0.0, 0.0])
    assert "same class (0) for every flower" in fails(checks.iris_accuracy, tf.Session(), x, constant)
    assert "expected one score per class" in fails(checks.iris_accuracy, tf.Session(), x, x[:, :1])
    fixed = tf.placeholder(tf.float32, shape=[120, 4])
    assert "could not feed the 30 held-out flowers" in fails(checks.iris_accuracy, tf.Session(), fixed, fixed[:, :3])


def test_iris_accuracy_needs_only_x_and_initialized_variables():
    x = tf.placeholder(tf.float32, shape=[None, 4], name="x")
    y = tf.placeholder(tf.int32, shape=[None], name="y")
    logits = tf.layers.dense(x, 3) + tf.cast(tf.expand_dims(y, 1), tf.float32)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    assert "from x alone failed" in fails(checks.iris_accuracy, sess, x, logits)
    assert "not initialized" in fails(checks.iris_accuracy, tf.Session(), x, tf.layers.dense(x, 3))


# --------------------------------------------------------------------------------------------
# ex08
# --------------------------------------------------------------------------------------------
def exp_series_right(x, terms):
    def body(k, term, total):
        return k + 1, term * x / tf.cast(k + 1, tf.float32), total + term
    _, _, total = tf.while_loop(lambda k, term, total: k < terms, body, [0, tf.ones_like(x), tf.zeros_like(x)])
    return total


def test_exp_series_right(capsys):
    assert "sums the series of exp(x)" in passes(capsys, checks.exp_series, exp_series_right)


def test_exp_series_stub_and_typical_mistakes():
    def stub(x, terms):
        raise NotImplementedError()
    with pytest.raises(NotImplementedError):
        checks.exp_series(stub)

    def unrolled(x, terms):                         # a Python loop: a fixed number of terms
        total, term = tf.zeros_like(x), tf.ones_like(x)
        for k in range(10):
            total, term = total + term, term * x / (k + 1)
        return total
    assert "no tf.while_loop" in fails(checks.exp_series, unrolled)

    def one_too_many(x, terms):
        def body(k, term, total):
            return k + 1, term * x / tf.cast(k + 1, tf.float32), total + term
        return tf.while_loop(lambda k, term, total: k <= terms, body, [0, tf.ones_like(x), tf.zeros_like(x)])[2]
    assert "with terms=1 your loop sums 2 terms" in fails(checks.exp_series, one_too_many)

    def all_vars(x, terms):
        def body(k, t, s):
            return k + 1, t * x / tf.cast(k + 1, tf.float32), s + t
        return tf.while_loop(lambda k, t, s: k < terms, body, [0, tf.ones_like(x), tf.zeros_like(x)])
    assert "returns a tuple" in fails(checks.exp_series, all_vars)

    def wrong_factorial(x, terms):                  # divides by k instead of k + 1 from the second term on
        def body(k, term, total):
            return k + 1, term * x / tf.cast(tf.maximum(k, 1) + 1, tf.float32), total + term
        return tf.while_loop(lambda k, term, total: k < terms, body, [0, tf.ones_like(x), tf.zeros_like(x)])[2]
    assert "the first 2 terms of the series give" in fails(checks.exp_series, wrong_factorial)

    def stopped(x, terms):
        def body(k, term, total):
            return k + 1, term * tf.stop_gradient(x) / tf.cast(k + 1, tf.float32), total + term
        return tf.while_loop(lambda k, term, total: k < terms, body, [0, tf.ones_like(x), tf.zeros_like(x)])[2]
    assert "gradient" in fails(checks.exp_series, stopped)


def test_exp_series_python_range_and_division_by_the_counter():
    def python_range(x, terms):
        total, term = tf.zeros_like(x), tf.ones_like(x)
        for k in range(terms):
            total, term = total + term, term * x / (k + 1)
        return total
    assert "uses `terms` as a Python int" in fails(checks.exp_series, python_range)

    def by_k(x, terms):                             # the next term divides by k, which starts at 0
        def body(k, term, total):
            return k + 1, term * x / tf.cast(k, tf.float32), total + term
        return tf.while_loop(lambda k, term, total: k < terms, body, [0, tf.ones_like(x), tf.zeros_like(x)])[2]
    assert "a division by zero?" in fails(checks.exp_series, by_k)


# --------------------------------------------------------------------------------------------
# ex09
# --------------------------------------------------------------------------------------------
class MyRNNCell(tf.nn.rnn_cell.RNNCell):
    """The right answer; the typical mistakes below change one part of it."""

    def __init__(self, num_units):
        super().__init__()
        self._num_units = num_units

    state_size = property(lambda self: self._num_units)
    output_size = property(lambda self: self._num_units)

    def build(self, input_shape):
        depth = input_shape[-1].value
        self.kernel = self.add_weight("kernel", shape=[depth + self._num_units, self._num_units])
        self.bias = self.add_weight("bias", shape=[self._num_units], initializer=tf.zeros_initializer())

    def sum(self, inputs, state):
        return tf.matmul(tf.concat([inputs, state], 1), self.kernel) + self.bias

    def call(self, inputs, state):
        new_h = tf.tanh(self.sum(inputs, state))
        return new_h, new_h


def _with_call(call, base=MyRNNCell, **attributes):
    """A MyRNNCell whose call is ``call(self, inputs, state)`` (and other methods as given)."""
    return type("MyRNNCell", (base,), dict(attributes, call=call))


def test_rnn_cell_right(capsys):
    out = passes(capsys, checks.rnn_cell, MyRNNCell)
    assert "matches BasicRNNCell: rnn/my_rnn_cell/kernel:0 [9, 4] and rnn/my_rnn_cell/bias:0 [4]" in out


def test_rnn_cell_other_right_answers(capsys):
    def get_variable_in_call(self, inputs, state):     # tf.get_variable in call: shared from the second call on
        kernel = tf.get_variable("kernel", [inputs.shape[-1].value + 4, 4])
        bias = tf.get_variable("bias", [4], initializer=tf.zeros_initializer())
        new_h = tf.tanh(tf.matmul(tf.concat([inputs, state], 1), kernel) + bias)
        return new_h, new_h
    passes(capsys, checks.rnn_cell, _with_call(get_variable_in_call, build=lambda self, shape: None))

    def ones_bias(self, input_shape):                  # any initial bias: the check uses its own values
        self.kernel = self.add_weight("kernel", shape=[input_shape[-1].value + 4, 4])
        self.bias = self.add_weight("bias", shape=[4], initializer=tf.ones_initializer())
    passes(capsys, checks.rnn_cell, _with_call(MyRNNCell.call, build=ones_bias))

    class Delegating(tf.nn.rnn_cell.RNNCell):          # a BasicRNNCell inside: fine (and shows the reference is TF's)
        def __init__(self, num_units):
            super().__init__()
            self._inner = tf.nn.rnn_cell.BasicRNNCell(num_units)
        state_size = property(lambda self: self._inner.state_size)
        output_size = property(lambda self: self._inner.output_size)

        def call(self, inputs, state):
            return self._inner(inputs, state)
    assert "rnn/delegating/basic_rnn_cell/kernel:0" in passes(capsys, checks.rnn_cell, Delegating)


def test_rnn_cell_stub():
    class Stub(tf.nn.rnn_cell.RNNCell):
        def __init__(self, num_units):
            raise NotImplementedError()

        @property
        def state_size(self):
            raise NotImplementedError()

        @property
        def output_size(self):
            raise NotImplementedError()

        def call(self, inputs, state):
            raise NotImplementedError()
    with pytest.raises(NotImplementedError):
        checks.rnn_cell(Stub)

    def stub_call(self, inputs, state):
        raise NotImplementedError()
    with pytest.raises(NotImplementedError):
        checks.rnn_cell(_with_call(stub_call))


def test_rnn_cell_activation_bias_and_order():
    def sigmoid(self, inputs, state):
        new_h = tf.sigmoid(self.sum(inputs, state))
        return new_h, new_h
    assert "but it squashes with a sigmoid" in fails(checks.rnn_cell, _with_call(sigmoid))

    def relu(self, inputs, state):
        new_h = tf.nn.relu(self.sum(inputs, state))
        return new_h, new_h
    assert "but it uses a relu where BasicRNNCell uses tf.tanh" in fails(checks.rnn_cell, _with_call(relu))

    def linear(self, inputs, state):
        new_h = self.sum(inputs, state)
        return new_h, new_h
    assert "but it applies no activation" in fails(checks.rnn_cell, _with_call(linear))

    def no_bias(self, inputs, state):
        new_h = tf.tanh(tf.matmul(tf.concat([inputs, state], 1), self.kernel))
        return new_h, new_h
    assert "but it does not add the bias" in fails(checks.rnn_cell, _with_call(no_bias))

    def state_first(self, inputs, state):
        new_h = tf.tanh(tf.matmul(tf.concat([state, inputs], 1), self.kernel) + self.bias)
        return new_h, new_h
    assert "but it concatenates [state, inputs]" in fails(checks.rnn_cell, _with_call(state_first))

    def two_slips(self, inputs, state):
        new_h = tf.sigmoid(tf.matmul(tf.concat([state, inputs], 1), self.kernel) + self.bias)
        return new_h, new_h
    message = fails(checks.rnn_cell, _with_call(two_slips))
    assert "differs from BasicRNNCell in 2 ways: (1) it squashes with a sigmoid" in message
    assert "(2) it concatenates [state, inputs]" in message

    def doubled(self, inputs, state):               # no slip the check knows: it shows the numbers
        new_h = tf.tanh(2.0 * self.sum(inputs, state))
        return new_h, new_h
    assert "your cell's output at step 0 of example 0 is [" in fails(checks.rnn_cell, _with_call(doubled))


def test_rnn_cell_what_call_returns():
    def state_as_output(self, inputs, state):       # (output, state) swapped
        new_h = tf.tanh(self.sum(inputs, state))
        return state, new_h
    assert "its output is the old state" in fails(checks.rnn_cell, _with_call(state_as_output))

    def old_state_kept(self, inputs, state):
        new_h = tf.tanh(self.sum(inputs, state))
        return new_h, state
    assert "nothing carries over from one step to the next" in fails(checks.rnn_cell, _with_call(old_state_kept))

    def tuple_state(self, inputs, state):
        new_h = tf.tanh(self.sum(inputs, state))
        return new_h, (new_h,)
    assert "returns the new state as a tuple of 1, but state_size is an int (4)" in fails(
        checks.rnn_cell, _with_call(tuple_state))

    def one_tensor(self, inputs, state):
        return tf.tanh(self.sum(inputs, state))
    assert "your call returns one tensor: return a pair" in fails(checks.rnn_cell, _with_call(one_tensor))

    def wide_output(self, inputs, state):
        new_h = tf.tanh(self.sum(inputs, state))
        return tf.concat([new_h, inputs], 1), new_h
    assert "the output your call returns has shape [2, 9]" in fails(checks.rnn_cell, _with_call(wide_output))


def test_rnn_cell_kernel_shape():
    def inputs_only_kernel(self, input_shape):
        self.kernel = self.add_weight("kernel", shape=[input_shape[-1].value, 4])
        self.bias = self.add_weight("bias", shape=[4], initializer=tf.zeros_initializer())
    for call in (MyRNNCell.call,                    # [inputs, state] @ a [5, 4] kernel fails in matmul
                 lambda self, inputs, state: (tf.tanh(tf.matmul(inputs, self.kernel) + self.bias),) * 2):
        message = fails(checks.rnn_cell, _with_call(call, build=inputs_only_kernel))
        assert "your kernel has shape [5, 4], [input_depth, num_units]: it can multiply the inputs only" in message
        assert "[inputs, state] with 5 + 4 = 9 columns" in message

    def transposed_kernel(self, input_shape):
        self.kernel = self.add_weight("kernel", shape=[4, input_shape[-1].value + 4])
        self.bias = self.add_weight("bias", shape=[4], initializer=tf.zeros_initializer())
    assert "your kernel has shape [4, 9], the transpose" in fails(checks.rnn_cell,
                                                                   _with_call(MyRNNCell.call, build=transposed_kernel))

    def two_kernels(self, input_shape):
        self.kernel = self.add_weight("kernel", shape=[input_shape[-1].value + 4, 4])
        self.recurrent = self.add_weight("recurrent", shape=[4, 4])
        self.bias = self.add_weight("bias", shape=[4], initializer=tf.zeros_initializer())
    assert "your cell made 3 variables" in fails(checks.rnn_cell, _with_call(MyRNNCell.call, build=two_kernels))

    def other_names(self, input_shape):
        self.kernel = self.add_weight("W", shape=[input_shape[-1].value + 4, 4])
        self.bias = self.add_weight("b", shape=[4], initializer=tf.zeros_initializer())
    assert "name them 'kernel' and 'bias'" in fails(checks.rnn_cell, _with_call(MyRNNCell.call, build=other_names))


def test_rnn_cell_variables_made_on_every_call():
    def variables_in_call(self, inputs, state):
        kernel = tf.Variable(tf.zeros([inputs.shape[-1].value + 4, 4]), name="kernel")
        bias = tf.Variable(tf.zeros([4]), name="bias")
        new_h = tf.tanh(tf.matmul(tf.concat([inputs, state], 1), kernel) + bias)
        return new_h, new_h
    message = fails(checks.rnn_cell, _with_call(variables_in_call, build=lambda self, shape: None))
    assert "makes new variables each time it is called (2 after one call, 4 after two" in message

    def tf_variables(self, input_shape):
        self.kernel = tf.Variable(tf.zeros([input_shape[-1].value + 4, 4]), name="kernel")
        self.bias = tf.Variable(tf.zeros([4]), name="bias")
    assert "were made inside the loop of dynamic_rnn, with tf.Variable" in fails(
        checks.rnn_cell, _with_call(MyRNNCell.call, build=tf_variables))

    def no_variables(self, input_shape):
        self.kernel = tf.ones([input_shape[-1].value + 4, 4])
        self.bias = tf.zeros([4])
    assert "your cell made no variables" in fails(checks.rnn_cell, _with_call(MyRNNCell.call, build=no_variables))


def test_rnn_cell_the_class_itself():
    class Subclass(tf.nn.rnn_cell.BasicRNNCell):
        pass
    assert "Subclass subclasses tf.nn.rnn_cell.BasicRNNCell, which already does the work: write the cell " \
           "yourself, subclass tf.nn.rnn_cell.RNNCell" in fails(checks.rnn_cell, Subclass)
    assert "pass the class itself" in fails(checks.rnn_cell, MyRNNCell(4))
    assert "should subclass tf.nn.rnn_cell.RNNCell" in fails(checks.rnn_cell, type("MyRNNCell", (), {}))

    class NoCall(tf.nn.rnn_cell.RNNCell):
        state_size = output_size = 4
    assert "NoCall does not define call" in fails(checks.rnn_cell, NoCall)
    assert "state_size is a method: put @property" in fails(
        checks.rnn_cell, _with_call(MyRNNCell.call, state_size=lambda self: self._num_units))
    assert "MyRNNCell(4).output_size is 9; it should be num_units (4)" in fails(
        checks.rnn_cell, _with_call(MyRNNCell.call, output_size=9))
    assert "MyRNNCell(4).state_size is (4, 4), a tuple" in fails(
        checks.rnn_cell, _with_call(MyRNNCell.call, state_size=(4, 4)))

    def no_super(self, num_units):
        self._num_units = num_units
    assert "call super().__init__() first" in fails(checks.rnn_cell, _with_call(MyRNNCell.call, __init__=no_super))


def test_rnn_cell_gradients_and_memory_between_calls():
    def stopped_kernel(self, inputs, state):
        new_h = tf.tanh(tf.matmul(tf.concat([inputs, state], 1), tf.stop_gradient(self.kernel)) + self.bias)
        return new_h, new_h
    assert "no path from them back to the kernel" in fails(checks.rnn_cell, _with_call(stopped_kernel))

    def stopped_state(self, inputs, state):
        new_h = tf.tanh(self.sum(inputs, tf.stop_gradient(state)))
        return new_h, new_h
    assert "their gradient with respect to the kernel is not" in fails(checks.rnn_cell, _with_call(stopped_state))

    def counting(self, inputs, state):              # a Python attribute changes the second call's ops
        self.calls = getattr(self, "calls", 0) + 1
        new_h = tf.tanh(self.sum(inputs, state) * float(self.calls))
        return new_h, new_h
    assert "does the cell keep something between calls" in fails(checks.rnn_cell, _with_call(counting))

"""tf.layers: Dense/dense naming, building, errors; Flatten; Dropout (as in TensorFlow 1.15)."""
import numpy as np
import pytest

import tinyflow as tf


def op_names():
    return [op.name for op in tf.get_default_graph().get_operations()]


# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------
def test_walkthrough_layer_names():
    # TF 1.15 names (the guide's Layers section, after two earlier placeholders)
    tf.placeholder(tf.float32)
    tf.placeholder(tf.float32)
    x = tf.placeholder(tf.float32, shape=[None, 3])
    linear_model = tf.layers.Dense(units=1)
    assert linear_model.name == "dense_1"
    y = linear_model(x)
    assert x.name == "Placeholder_2:0"
    assert str(y) == 'Tensor("dense/BiasAdd:0", shape=(?, 1), dtype=float32)'
    assert linear_model.name == "dense_1" and linear_model.scope_name == "dense"
    assert [(v.name, v.shape.as_list()) for v in linear_model.variables] == [("dense/kernel:0", [3, 1]),
                                                                             ("dense/bias:0", [1])]
    init = tf.global_variables_initializer()
    assert (init.name, init.type) == ("init", "NoOp")
    sess = tf.Session()
    sess.run(init)
    out = sess.run(y, {x: [[1, 2, 3], [4, 5, 6]]})
    kernel = sess.run(linear_model.kernel)
    np.testing.assert_allclose(out, np.array([[1, 2, 3], [4, 5, 6]], np.float32) @ kernel, rtol=1e-6)

    # the shortcut function
    x2 = tf.placeholder(tf.float32, shape=[None, 3])
    y2 = tf.layers.dense(x2, units=1)
    init2 = tf.global_variables_initializer()
    assert (x2.name, y2.name, init2.name) == ("Placeholder_3:0", "dense_1/BiasAdd:0", "init_1")
    assert [v.name for v in tf.global_variables()] == ["dense/kernel:0", "dense/bias:0", "dense_1/kernel:0",
                                                       "dense_1/bias:0"]


def test_dense_ops_and_variables_with_relu():
    # golden values from TensorFlow 2.21 (tf.compat.v1), scenario F1 (op names; TF 2 types AddV2 where TF 1 has Add)
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.layers.dense(x, 4, activation=tf.nn.relu)
    assert op_names() == [
        "Placeholder", "dense/kernel/Initializer/random_uniform/shape", "dense/kernel/Initializer/random_uniform/min",
        "dense/kernel/Initializer/random_uniform/max", "dense/kernel/Initializer/random_uniform/RandomUniform",
        "dense/kernel/Initializer/random_uniform/sub", "dense/kernel/Initializer/random_uniform/mul",
        "dense/kernel/Initializer/random_uniform", "dense/kernel", "dense/kernel/Assign", "dense/kernel/read",
        "dense/bias/Initializer/zeros", "dense/bias", "dense/bias/Assign", "dense/bias/read", "dense/MatMul",
        "dense/BiasAdd", "dense/Relu"]
    graph = tf.get_default_graph()
    assert [graph.get_operation_by_name(n).type for n in ["dense/MatMul", "dense/BiasAdd", "dense/Relu"]] == \
        ["MatMul", "BiasAdd", "Relu"]
    assert [(v.name, v.shape.as_list()) for v in tf.global_variables()] == [("dense/kernel:0", [3, 4]),
                                                                            ("dense/bias:0", [4])]
    assert [v.name for v in tf.trainable_variables()] == ["dense/kernel:0", "dense/bias:0"]
    assert str(y) == 'Tensor("dense/Relu:0", shape=(?, 4), dtype=float32)'
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    assert np.all(sess.run(y, {x: np.random.randn(5, 3)}) >= 0)


def test_layer_called_twice_reuses_variables_and_scope():
    # golden values from TensorFlow 2.21 (tf.compat.v1), scenario F2
    x = tf.placeholder(tf.float32, [None, 3])
    layer = tf.layers.Dense(2)
    assert layer.name == "dense_1" and not layer.built
    a = layer(x)
    b = layer.apply(x)
    assert layer.built and layer.name == "dense_1"
    assert (a.name, b.name) == ("dense/BiasAdd:0", "dense/BiasAdd_1:0")
    assert op_names()[-4:] == ["dense/MatMul", "dense/BiasAdd", "dense/MatMul_1", "dense/BiasAdd_1"]
    assert [v.name for v in layer.variables] == ["dense/kernel:0", "dense/bias:0"]
    assert len(tf.global_variables()) == 2
    assert layer.weights == layer.trainable_weights == layer.trainable_variables == [layer.kernel, layer.bias]
    assert layer.non_trainable_variables == [] and layer.units == 2
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    value = np.ones((1, 3))
    va, vb = sess.run((a, b), {x: value})
    np.testing.assert_array_equal(va, vb)


def test_layer_name_counter_and_scope_names():
    layers = [tf.layers.Dense(1) for _ in range(3)]
    assert [layer.name for layer in layers] == ["dense_1", "dense_2", "dense_3"]
    with pytest.raises(ValueError) as e:
        layers[0].scope_name
    assert str(e.value) == (
        'No name available for layer scope because the layer "dense_1" has not been used yet. The scope name  is '
        "determined the first time the layer instance is called. You must therefore call the layer before "
        "querying `scope_name`.")
    x = tf.placeholder(tf.float32, [None, 2])
    for layer in reversed(layers):        # the scope follows the order of the first calls
        layer(x)
    assert [layer.scope_name for layer in layers] == ["dense_2", "dense_1", "dense"]
    # given names: the scope is made unique, the layer name is kept
    out1, out2 = tf.layers.Dense(1, name="out"), tf.layers.Dense(1, name="out")
    out1(x), out2(x)
    assert (out1.name, out2.name, out1.scope_name, out2.scope_name) == ("out", "out", "out", "out_1")
    assert tf.layers.Flatten().name == "flatten_1" and tf.layers.Dropout().name == "dropout_1"


def test_named_dense_and_reuse():
    x = tf.placeholder(tf.float32, [None, 3])
    h = tf.layers.dense(x, 4, name="hid")
    assert h.name == "hid/BiasAdd:0"
    with pytest.raises(ValueError, match="^Variable hid/kernel already exists, disallowed. Did you mean to set "
                                         "reuse=True or reuse=tf.AUTO_REUSE in VarScope?"):
        tf.layers.dense(x, 4, name="hid")
    h2 = tf.layers.dense(x, 4, name="hid", reuse=True)
    assert h2.name == "hid_2/BiasAdd:0"        # as in TF 1.15: the failed call used up hid_1
    assert [v.name for v in tf.global_variables()] == ["hid/kernel:0", "hid/bias:0"]
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    value = np.random.randn(2, 3)
    np.testing.assert_array_equal(*sess.run((h, h2), {x: value}))


def test_dense_options():
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.layers.dense(x, 2, use_bias=False)
    assert y.name == "dense/MatMul:0"
    frozen = tf.layers.Dense(2, trainable=False)
    frozen(x)
    assert frozen.kernel in tf.global_variables() and frozen.kernel not in tf.trainable_variables()
    assert frozen.trainable_weights == [] and frozen.non_trainable_weights == [frozen.kernel, frozen.bias]
    relu = tf.layers.Dense(2, activation="relu")(x)
    assert relu.op.type == "Relu"
    reg = tf.layers.Dense(2, kernel_regularizer=lambda w: tf.reduce_sum(tf.square(w)))
    reg(x)
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert losses == reg.losses and len(losses) == 1
    assert losses[0].name.startswith("dense_3/kernel/Regularizer/")
    x64 = tf.placeholder(tf.float64, [None, 3])
    layer64 = tf.layers.Dense(1)
    assert layer64(x64).dtype == tf.float64 and layer64.kernel.dtype.base_dtype == tf.float64
    assert layer64.dtype == "float64"
    assert tf.layers.Dense(3).compute_output_shape([None, 5]).as_list() == [None, 3]


def test_glorot_uniform_default_and_zero_bias():
    x = tf.placeholder(tf.float32, [None, 700])
    layer = tf.layers.Dense(500)
    layer(x)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    kernel, bias = sess.run((layer.kernel, layer.bias))
    limit = np.sqrt(6.0 / (700 + 500))       # Glorot uniform: sqrt(6 / (fan_in + fan_out))
    edge = limit * (1 + 1e-6)                 # float32 rounding may land a hair past limit
    assert kernel.min() >= -edge and kernel.max() <= edge and kernel.max() > 0.95 * limit
    assert np.all(bias == 0)


def test_rank_3_inputs_use_the_last_axis():
    x = tf.placeholder(tf.float32, [None, 4, 2])
    layer = tf.layers.Dense(3)
    y = layer(x)
    assert y.shape.as_list() == [None, 4, 3]
    z = tf.placeholder(tf.float32, [2, None, 2])
    yz = layer(z)
    assert yz.shape.as_list() == [2, None, 3]
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    value = np.random.randn(5, 4, 2).astype(np.float32)
    kernel = sess.run(layer.kernel)
    np.testing.assert_allclose(sess.run(y, {x: value}), np.tensordot(value, kernel, [[2], [0]]), rtol=1e-5)
    np.testing.assert_allclose(sess.run(yz, {z: value[:2]}), np.tensordot(value[:2], kernel, [[2], [0]]),
                               rtol=1e-5)
    # gradients flow through the reshapes
    (g,) = tf.gradients(tf.reduce_sum(y), [layer.kernel])
    np.testing.assert_allclose(sess.run(g, {x: value}), np.tile(value.sum(axis=(0, 1))[:, None], (1, 3)),
                               rtol=1e-5)


# --------------------------------------------------------------------------------------------
# Errors (first lines as in TF 1.15)
# --------------------------------------------------------------------------------------------
def first_line(excinfo):
    return str(excinfo.value).split("\n")[0]


def test_input_errors():
    with pytest.raises(ValueError) as e:
        tf.layers.Dense(1)(tf.placeholder(tf.float32))
    assert first_line(e) == ("Input 0 of layer dense_1 is incompatible with the layer: its rank is undefined, "
                             "but the layer requires a defined rank.")
    with pytest.raises(ValueError) as e:
        tf.layers.Dense(1)(tf.placeholder(tf.float32, [3]))
    assert first_line(e) == ("Input 0 of layer dense_2 is incompatible with the layer: : expected min_ndim=2, "
                             "found ndim=1. Full shape received: [3]")
    with pytest.raises(ValueError) as e:
        tf.layers.Dense(1)(tf.placeholder(tf.float32, [None, None]))
    assert first_line(e) == "The last dimension of the inputs to `Dense` should be defined. Found `None`."
    assert "tf.placeholder(tf.float32, shape=[None, 3])" in str(e.value)
    with pytest.raises(TypeError) as e:
        tf.layers.Dense(1)(tf.placeholder(tf.int32, [None, 3]))
    assert first_line(e) == "Unable to build `Dense` layer with non-floating point dtype <dtype: 'int32'>"
    layer = tf.layers.Dense(1)
    layer(tf.placeholder(tf.float32, [None, 3]))
    with pytest.raises(ValueError) as e:
        layer(tf.placeholder(tf.float32, [None, 4]))
    assert first_line(e) == ("Input 0 of layer dense_5 is incompatible with the layer: expected axis -1 of input "
                             "shape to have value 3 but received input with shape [None, 4]")
    # each failed first call used up a scope name: the layer that worked got dense_4
    assert layer.scope_name == "dense_4" and layer.kernel.name == "dense_4/kernel:0"
    assert [v.name for v in tf.global_variables()] == ["dense_4/kernel:0", "dense_4/bias:0"]


# --------------------------------------------------------------------------------------------
# Flatten and Dropout
# --------------------------------------------------------------------------------------------
def test_flatten():
    # golden values from TensorFlow 2.21 (tf.compat.v1), scenario F3
    x = tf.placeholder(tf.float32, [None, 2, 3])
    f = tf.layers.flatten(x)
    assert op_names() == ["Placeholder", "flatten/Const", "flatten/Reshape"]
    assert str(f) == 'Tensor("flatten/Reshape:0", shape=(?, 6), dtype=float32)'
    value = np.arange(12, dtype=np.float32).reshape(2, 2, 3)
    sess = tf.Session()
    np.testing.assert_array_equal(sess.run(f, {x: value}), value.reshape(2, 6))
    u = tf.placeholder(tf.float32, [None, None, 3])
    fu = tf.layers.Flatten()(u)
    assert fu.shape.as_list() == [None, None]
    np.testing.assert_array_equal(sess.run(fu, {u: value}), value.reshape(2, 6))
    assert tf.layers.flatten(tf.placeholder(tf.float32, [5])).shape.as_list() == [5, 1]


def test_dropout_training_flag():
    x = tf.placeholder(tf.float32, [None, 1000])
    off = tf.layers.dropout(x, 0.5)                   # training=False by default: identity
    assert off.name == "dropout/Identity:0"
    on = tf.layers.dropout(x, 0.5, training=True)
    assert on.name.startswith("dropout_1/dropout/") and on.shape.as_list() == [None, 1000]
    training = tf.placeholder(tf.bool, [])
    switch = tf.layers.Dropout(rate=0.25)(x, training=training)
    value = np.ones((2, 1000), np.float32)
    sess = tf.Session()
    np.testing.assert_array_equal(sess.run(off, {x: value}), value)
    dropped = sess.run(on, {x: value})
    assert set(np.unique(dropped)) <= {0.0, 2.0} and 0.4 < (dropped == 0).mean() < 0.6
    np.testing.assert_array_equal(sess.run(switch, {x: value, training: False}), value)
    dropped = sess.run(switch, {x: value, training: True})
    assert np.allclose(np.unique(dropped), [0.0, 1 / 0.75]) and 0.2 < (dropped == 0).mean() < 0.3

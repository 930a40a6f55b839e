"""Recurrent networks: tf.nn.rnn_cell's cells, static_rnn, dynamic_rnn and the bidirectional forms.

Golden values come from TensorFlow 2.21 (``tensorflow.compat.v1`` with ``disable_v2_behavior()``
and tf-keras' legacy cells, as TF 1.15 builds them): the same program, the same weights (made by
``INIT``, a deterministic initializer on the variable scope), the same inputs.
"""
import numpy as np
import pytest

import tinyflow as tf
from tinyflow import errors

R = tf.nn.rnn_cell


def INIT(shape, dtype=None, partition_info=None):
    """Deterministic weights (the same function ran under TensorFlow for the goldens)."""
    n = int(np.prod(shape))
    return tf.constant((np.sin(np.arange(n) * 1.3 + len(shape)) * 0.5).reshape(shape), dtype=tf.float32)


X = np.cos(np.arange(24) * 0.7).reshape(2, 3, 4).astype(np.float32)

CELLS = {
    "basic_rnn": lambda: R.BasicRNNCell(5),
    "basic_lstm": lambda: R.BasicLSTMCell(5, forget_bias=0.5),
    "lstm_peep": lambda: R.LSTMCell(5, use_peepholes=True, num_proj=3, cell_clip=0.4),
    "gru": lambda: R.GRUCell(5),
    "multi": lambda: R.MultiRNNCell([R.BasicLSTMCell(5), R.GRUCell(4)]),
    "residual": lambda: R.ResidualWrapper(R.GRUCell(4)),
}

VARIABLES = {   # TF 2.21 compat.v1: names and shapes of tf.trainable_variables()
    "basic_rnn": [("rnn/rnn/basic_rnn_cell/kernel:0", [9, 5]), ("rnn/rnn/basic_rnn_cell/bias:0", [5])],
    "basic_lstm": [("rnn/rnn/basic_lstm_cell/kernel:0", [9, 20]), ("rnn/rnn/basic_lstm_cell/bias:0", [20])],
    "lstm_peep": [("rnn/rnn/lstm_cell/kernel:0", [7, 20]), ("rnn/rnn/lstm_cell/bias:0", [20]),
                  ("rnn/rnn/lstm_cell/w_f_diag:0", [5]), ("rnn/rnn/lstm_cell/w_i_diag:0", [5]),
                  ("rnn/rnn/lstm_cell/w_o_diag:0", [5]), ("rnn/rnn/lstm_cell/projection/kernel:0", [5, 3])],
    "gru": [("rnn/rnn/gru_cell/gates/kernel:0", [9, 10]), ("rnn/rnn/gru_cell/gates/bias:0", [10]),
            ("rnn/rnn/gru_cell/candidate/kernel:0", [9, 5]), ("rnn/rnn/gru_cell/candidate/bias:0", [5])],
    "multi": [("rnn/rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel:0", [9, 20]),
              ("rnn/rnn/multi_rnn_cell/cell_0/basic_lstm_cell/bias:0", [20]),
              ("rnn/rnn/multi_rnn_cell/cell_1/gru_cell/gates/kernel:0", [9, 8]),
              ("rnn/rnn/multi_rnn_cell/cell_1/gru_cell/gates/bias:0", [8]),
              ("rnn/rnn/multi_rnn_cell/cell_1/gru_cell/candidate/kernel:0", [9, 4]),
              ("rnn/rnn/multi_rnn_cell/cell_1/gru_cell/candidate/bias:0", [4])],
    "residual": [("rnn/rnn/gru_cell/gates/kernel:0", [8, 8]), ("rnn/rnn/gru_cell/gates/bias:0", [8]),
                 ("rnn/rnn/gru_cell/candidate/kernel:0", [8, 4]), ("rnn/rnn/gru_cell/candidate/bias:0", [4])],
}

GOLDEN = {'basic_rnn': {'outputs': [[[0.6019619, -0.083625, -0.6297865, -0.3028422, 0.5181426],
                            [-0.7052863, 0.3051908, 0.7803994, 0.2398201, -0.7237806],
                            [0.7789181, -0.475293, -0.8665715, -0.1866408, 0.8390958]],
                           [[-0.7735588, 0.5691437, 0.8797983, 0.0890624, -0.8685386],
                            [0.7506111, -0.6142879, -0.8757638, -0.0103693, 0.8744646],
                            [0.0, 0.0, 0.0, 0.0, 0.0]]],
               'states': [[[0.7789181, -0.475293, -0.8665715, -0.1866408, 0.8390958],
                           [0.7506111, -0.6142879, -0.8757638, -0.0103693, 0.8744646]]],
               'grad_inputs': [[[0.030638, 0.030575, 0.0290805, 0.0262242],
                                [-0.035452, -0.0224459, -0.0083888, 0.006061],
                                [-0.1379704, -0.1090999, -0.0751208, -0.0376243]],
                               [[-0.1015266, -0.0627801, -0.0210938, 0.0215802],
                                [-0.1198814, -0.0637555, -0.0046443, 0.0546843], [0.0, 0.0, 0.0, 0.0]]],
               'grad_variable_sums': [16.925791, 20.958395]},
 'basic_lstm': {'outputs': [[[0.198003, -0.0615994, -0.0656787, 0.0245865, 0.3507616],
                             [0.0444086, 0.1414808, 0.1624396, -0.0396838, 0.0042654],
                             [0.0342062, -0.0394604, -0.0037297, 0.1443455, 0.2772827]],
                            [[0.1148955, 0.3501877, 0.0483194, -0.0600078, -0.0757806],
                             [-0.0412798, 0.035815, 0.1437155, 0.1797, -0.0153037], [0.0, 0.0, 0.0, 0.0, 0.0]]],
                'states': [[[0.0811738, -0.1329799, -0.0080369, 0.213881, 0.4668963],
                            [-0.1314894, 0.0881509, 0.2286682, 0.277524, -0.0341636]],
                           [[0.0342062, -0.0394604, -0.0037297, 0.1443455, 0.2772827],
                            [-0.0412798, 0.035815, 0.1437155, 0.1797, -0.0153037]]],
                'grad_inputs': [[[0.5914825, 0.5748231, 0.1522458, -0.3778416],
                                 [-0.2198479, -0.0655601, 0.1350237, 0.240259],
                                 [0.6335533, 0.8672853, 0.4885739, -0.2351496]],
                                [[-0.2106468, -0.5012989, -0.4379531, -0.0653418],
                                 [-0.4004142, 0.2203875, 0.6855602, 0.6666167], [0.0, 0.0, 0.0, 0.0]]],
                'grad_variable_sums': [17.568203, 16.503851]},
 'lstm_peep': {'outputs': [[[0.0010981, 0.0086293, 0.0035185], [-0.0517192, -0.0309694, 0.0351506],
                            [-0.0161201, 0.0403491, 0.0377067]],
                           [[-0.0005759, 0.0544189, 0.0296899], [0.0467425, 0.0304661, -0.0304432],
                            [0.0, 0.0, 0.0]]],
               'states': [[[0.1134605, -0.1013046, 0.0310877, 0.2515464, 0.4],
                           [-0.1213048, 0.0189151, 0.1558958, 0.3393604, 0.0807514]],
                          [[-0.0161201, 0.0403491, 0.0377067], [0.0467425, 0.0304661, -0.0304432]]],
               'grad_inputs': [[[-0.0193584, 0.1245995, 0.18057, 0.109029],
                                [0.0361536, -0.0580966, -0.1113213, -0.0859352],
                                [0.0732352, 0.2630117, 0.2670595, 0.0825202]],
                               [[0.1868829, 0.0629749, -0.1054036, -0.1993501],
                                [0.204262, 0.4216001, 0.3412206, 0.0198843], [0.0, 0.0, 0.0, 0.0]]],
               'grad_variable_sums': [7.585276, 5.531754, 0.131942, -0.317567, 0.037303, 7.399375]},
 'gru': {'outputs': [[[0.0947881, -0.0275505, -0.2885052, -0.0910486, 0.076797],
                      [-0.2106179, 0.0435214, -0.1400254, -0.0136295, -0.3421867],
                      [-0.0628633, -0.1029206, -0.5420903, -0.0942589, -0.2517372]],
                     [[-0.2688591, 0.0612775, 0.1079952, 0.0356917, -0.4960321],
                      [-0.0482405, -0.2079795, -0.3575146, -0.0013289, -0.381448], [0.0, 0.0, 0.0, 0.0, 0.0]]],
         'states': [[[-0.0628633, -0.1029206, -0.5420903, -0.0942589, -0.2517372],
                     [-0.0482405, -0.2079795, -0.3575146, -0.0013289, -0.381448]]],
         'grad_inputs': [[[-0.6973827, -0.6401137, -0.5137333, -0.3424529],
                          [0.8696781, 0.8558598, 0.7220941, 0.5000592],
                          [-0.6144789, -0.6153584, -0.5421956, -0.4148293]],
                         [[0.6441714, 0.7086926, 0.6653011, 0.536225],
                          [-0.6608481, -0.6830714, -0.6108849, -0.4661214], [0.0, 0.0, 0.0, 0.0]]],
         'grad_variable_sums': [-1.939883, 1.941645, -0.026924, 10.579749]},
 'multi': {'outputs': [[[-0.0190455, -0.0545532, -0.0123732, 0.0523043],
                        [-0.0009316, -0.0045093, -0.0041565, 0.0110081],
                        [-0.0499137, -0.0394872, 0.0222427, 0.0598947]],
                       [[0.0686997, 0.0483824, -0.0358477, -0.0665948], [0.038311, 0.0510123, -0.0031582, -0.05213],
                        [0.0, 0.0, 0.0, 0.0]]],
           'states': [[[0.1164172, -0.1163865, 0.0146328, 0.2155955, 0.5259916],
                       [-0.1098688, 0.1553354, 0.2384905, 0.2608039, -0.0538556]],
                      [[0.0486369, -0.0344089, 0.0068159, 0.1459693, 0.3068265],
                       [-0.0345518, 0.0627708, 0.1496653, 0.1693643, -0.0241109]],
                      [[-0.0499137, -0.0394872, 0.0222427, 0.0598947],
                       [0.038311, 0.0510123, -0.0031582, -0.05213]]],
           'grad_inputs': [[[0.1700047, 0.3182687, 0.2417836, -0.0054397],
                            [-0.198151, 0.0100759, 0.2111875, 0.2631667],
                            [0.4046634, 0.599066, 0.3704313, -0.1197877]],
                           [[-0.2385818, -0.3097124, -0.1621361, 0.0999345],
                            [-0.3176922, 0.1527384, 0.515311, 0.5139909], [0.0, 0.0, 0.0, 0.0]]],
           'grad_variable_sums': [14.101674, 11.011685, -0.001932, -0.028895, 4.770913, 12.276331]},
 'residual': {'outputs': [[[1.2190222, 0.8346078, 0.0088049, -0.6763092],
                           [-0.9829931, -1.068364, -0.4377248, 0.2439755],
                           [0.9033506, 1.0538906, 0.7362779, -0.0081589]],
                          [[-0.602105, -1.1282214, -0.9578093, -0.3168237],
                           [0.1426447, 0.8402056, 1.0977256, 0.7020209], [0.0, 0.0, 0.0, 0.0]]],
              'states': [[[0.1277847, 0.0540319, -0.0176243, -0.1615328],
                          [-0.0603602, 0.0541353, 0.098291, -0.0407282]]],
              'grad_inputs': [[[0.397302, 1.4804158, 1.1936175, 0.793728],
                               [1.4736451, 0.595169, 1.1843122, 1.7245531],
                               [0.4805118, 1.2715367, 1.2897742, 0.7522823]],
                              [[1.2316713, 0.9898933, 0.9929094, 1.4445145],
                               [0.6846688, 1.0390105, 1.3811592, 0.7461424], [0.0, 0.0, 0.0, 0.0]]],
              'grad_variable_sums': [-1.434616, 0.079088, 1.084006, 8.203454]}}


def flat(structure):
    return [x for s in structure for x in flat(s)] if isinstance(structure, tuple) else [structure]


def build(name, unroll="dynamic", sequence_length=(3, 2)):
    """The golden program: the cell under a scope initializer, unrolled over X."""
    x = tf.constant(X)
    with tf.variable_scope("rnn", initializer=INIT):
        cell = CELLS[name]()
        if unroll == "dynamic":
            out, state = tf.nn.dynamic_rnn(cell, x, sequence_length=list(sequence_length), dtype=tf.float32,
                                           scope="rnn")
        else:
            outs, state = tf.nn.static_rnn(cell, tf.unstack(x, axis=1), sequence_length=list(sequence_length),
                                           dtype=tf.float32, scope="rnn")
            out = tf.stack(outs, axis=1)
    loss = tf.reduce_sum(out) + tf.add_n([tf.reduce_sum(s) for s in flat(state)])
    return x, cell, out, state, loss


@pytest.mark.parametrize("name", sorted(CELLS))
def test_dynamic_rnn_equals_tensorflow(name):
    x, cell, out, state, loss = build(name)
    assert [(v.name, v.shape.as_list()) for v in tf.trainable_variables()] == VARIABLES[name]
    gx, = tf.gradients(loss, [x])
    gv = tf.gradients(loss, tf.trainable_variables())
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        o, s, gxv, gvv = sess.run([out, state, gx, gv])
    golden = GOLDEN[name]
    np.testing.assert_allclose(o, golden["outputs"], atol=2e-6)
    for got, want in zip(flat(s), golden["states"]):
        np.testing.assert_allclose(got, want, atol=2e-6)
    np.testing.assert_allclose(gxv, golden["grad_inputs"], atol=5e-6)
    np.testing.assert_allclose([g.sum() for g in gvv], golden["grad_variable_sums"], rtol=1e-5, atol=5e-5)
    assert isinstance(s, R.LSTMStateTuple) == (name in ("basic_lstm", "lstm_peep"))


@pytest.mark.parametrize("name", sorted(CELLS))
def test_an_optimizer_steps_through_every_cell(name):
    # an optimizer groups each op's gradients (gate_gradients), inside the gradient loop too: one step
    # of SGD at rate 1 moves each variable by its gradient (a GRU's once made the plan a "cycle")
    _, _, _, _, loss = build(name)
    train = tf.train.GradientDescentOptimizer(1.0).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        before = sess.run(tf.trainable_variables())
        sess.run(train)
        after = sess.run(tf.trainable_variables())
    np.testing.assert_allclose([(b - a).sum() for b, a in zip(before, after)], GOLDEN[name]["grad_variable_sums"],
                               rtol=1e-5, atol=5e-5)


@pytest.mark.parametrize("name", ["basic_rnn", "basic_lstm", "lstm_peep", "gru", "multi"])
def test_static_rnn_gives_the_numbers_of_dynamic_rnn(name):
    _, _, out, state, loss = build(name, unroll="static")
    grads = tf.gradients(loss, tf.trainable_variables())
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        o, s, g = sess.run([out, state, grads])
    golden = GOLDEN[name]
    np.testing.assert_allclose(o, golden["outputs"], atol=2e-6)
    for got, want in zip(flat(s), golden["states"]):
        np.testing.assert_allclose(got, want, atol=2e-6)
    np.testing.assert_allclose([v.sum() for v in g], golden["grad_variable_sums"], rtol=1e-5, atol=5e-5)


def test_sequence_length_zeroes_outputs_and_copies_the_state_through():
    x = tf.placeholder(tf.float32, [None, 5, 2])
    lengths = tf.placeholder(tf.int32, [None])
    cell = R.GRUCell(3)
    out, state = tf.nn.dynamic_rnn(cell, x, sequence_length=lengths, dtype=tf.float32)
    full, full_state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)     # the same variables (reused cell)
    data = np.random.RandomState(0).randn(3, 5, 2).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        o, s = sess.run([out, state], {x: data, lengths: [5, 2, 0]})
        f, _ = sess.run([full, full_state], {x: data})
        with pytest.raises(errors.InvalidArgumentError, match="Expected shape for Tensor"):
            sess.run(out, {x: data, lengths: [1, 2]})
    np.testing.assert_allclose(o[0], f[0], atol=1e-6)
    np.testing.assert_allclose(o[1, :2], f[1, :2], atol=1e-6)
    assert not o[1, 2:].any() and not o[2].any()
    np.testing.assert_allclose(s[1], f[1, 1], atol=1e-6)          # the state at the example's own end
    np.testing.assert_allclose(s[2], 0)                            # length 0: the initial state


def test_dynamic_rnn_builds_tensorflows_graph():
    x = tf.placeholder(tf.float32, [None, 4, 3])
    out, state = tf.nn.dynamic_rnn(R.BasicRNNCell(5), x, dtype=tf.float32)
    assert repr(out) == "<tf.Tensor 'rnn/transpose_1:0' shape=(?, 4, 5) dtype=float32>"
    assert repr(state) == "<tf.Tensor 'rnn/while/Exit_3:0' shape=(?, 5) dtype=float32>"
    names = [op.name for op in tf.get_default_graph().get_operations()]
    for name in ["rnn/Rank", "rnn/transpose", "rnn/BasicRNNCellZeroState/zeros", "rnn/time", "rnn/TensorArray",
                 "rnn/TensorArray_1", "rnn/TensorArrayUnstack/TensorArrayScatter/TensorArrayScatterV3",
                 "rnn/Maximum", "rnn/Minimum", "rnn/while/iteration_counter", "rnn/while/LogicalAnd",
                 "rnn/while/TensorArrayReadV3", "rnn/while/basic_rnn_cell/concat", "rnn/while/basic_rnn_cell/MatMul",
                 "rnn/while/basic_rnn_cell/MatMul/Enter", "rnn/while/basic_rnn_cell/BiasAdd",
                 "rnn/while/basic_rnn_cell/Tanh", "rnn/while/TensorArrayWrite/TensorArrayWriteV3",
                 "rnn/TensorArrayStack/TensorArrayGatherV3", "rnn/basic_rnn_cell/kernel/read"]:
        assert name in names, name
    lstm_out, lstm_state = tf.nn.dynamic_rnn(R.BasicLSTMCell(4), x, dtype=tf.float32, scope="lstm")
    assert [t.name for t in lstm_state] == ["lstm/while/Exit_3:0", "lstm/while/Exit_4:0"]
    assert lstm_out.name == "lstm/transpose_1:0"


def test_a_cell_called_by_hand_shares_its_variables_and_keeps_its_name_scope():
    cell = R.BasicLSTMCell(4)
    assert cell.name == "basic_lstm_cell_1" and cell.state_size == (4, 4) and cell.output_size == 4
    x = tf.placeholder(tf.float32, [2, 3])
    s0 = cell.zero_state(2, tf.float32)
    assert [t.name for t in s0] == ["BasicLSTMCellZeroState/zeros:0", "BasicLSTMCellZeroState/zeros_1:0"]
    o1, s1 = cell(x, s0)
    with tf.variable_scope("b"):
        o2, s2 = cell(x, s1)
    with tf.name_scope("n"):
        o3, s3 = cell(x, s2)
    # TF 2.21 compat.v1 names:
    assert [o1.name, o2.name, o3.name, s3.c.name] == ["basic_lstm_cell/Mul_2:0", "basic_lstm_cell/Mul_5:0",
                                                      "basic_lstm_cell/Mul_8:0", "basic_lstm_cell/Add_5:0"]
    assert [v.name for v in tf.global_variables()] == ["basic_lstm_cell/kernel:0", "basic_lstm_cell/bias:0"]
    assert cell.trainable_weights == tf.trainable_variables()
    gru = R.GRUCell(4)
    out, _ = gru(x, gru.zero_state(2, tf.float32), scope="myscope")
    assert out.name == "myscope/add:0"
    assert [v.name for v in gru.weights] == ["myscope/gates/kernel:0", "myscope/gates/bias:0",
                                             "myscope/candidate/kernel:0", "myscope/candidate/bias:0"]


def test_static_rnn_names():
    x = [tf.placeholder(tf.float32, [None, 3]) for _ in range(2)]
    outs, state = tf.nn.static_rnn(R.BasicRNNCell(4), x, dtype=tf.float32)
    assert [o.name for o in outs] == ["rnn/basic_rnn_cell/Tanh:0", "rnn/basic_rnn_cell/Tanh_1:0"]
    assert state is outs[-1]
    cell = R.BasicLSTMCell(3)
    outs, state = tf.nn.static_rnn(cell, [tf.placeholder(tf.float32, [2, 3])] * 3, sequence_length=[3, 1],
                                   dtype=tf.float32, scope="seq")
    assert [o.name for o in outs] == ["seq/cond/Merge:0", "seq/cond_1/Merge:0", "seq/cond_2/Merge:0"]
    assert [t.name for t in state] == ["seq/cond_2/Merge_1:0", "seq/cond_2/Merge_2:0"]


def test_multi_rnn_cell_and_wrappers():
    multi = R.MultiRNNCell([R.BasicLSTMCell(3), R.BasicLSTMCell(3)])
    assert multi.state_size == ((3, 3), (3, 3))
    zero = multi.zero_state(2, tf.float32)
    assert zero[1].h.name == "MultiRNNCellZeroState/BasicLSTMCellZeroState_1/zeros_1:0"
    x = tf.placeholder(tf.float32, [None, 5, 3])
    kept = R.DropoutWrapper(R.GRUCell(3), input_keep_prob=1.0, output_keep_prob=1.0)
    dropped = R.DropoutWrapper(R.BasicLSTMCell(3), output_keep_prob=0.5, seed=3)
    o_kept, _ = tf.nn.dynamic_rnn(kept, x, dtype=tf.float32, scope="kept")
    o_dropped, s_dropped = tf.nn.dynamic_rnn(dropped, x, dtype=tf.float32, scope="dropped")
    names = [v.name for v in tf.global_variables()]
    assert "dropped/basic_lstm_cell/kernel:0" in names and "kept/gru_cell/gates/kernel:0" in names
    assert tf.get_default_graph().get_operation_by_name("dropped/while/dropout/random_uniform")
    data = np.ones((4, 5, 3), np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        o, first, second = sess.run([o_dropped, o_dropped, o_dropped], {x: data})
        a, b = sess.run(o_dropped, {x: data}), sess.run(o_dropped, {x: data})
    assert 0.2 < (o == 0).mean() < 0.8                        # about half the outputs dropped ...
    assert not np.array_equal(a, b)                           # ... anew on every run
    with pytest.raises(ValueError, match="Parameter output_keep_prob must be between 0 and 1"):
        R.DropoutWrapper(R.GRUCell(3), output_keep_prob=1.5)


def test_bidirectional_dynamic_rnn_reverses_each_sequence_to_its_length():
    x = tf.constant(X)
    (out_fw, out_bw), (state_fw, state_bw) = tf.nn.bidirectional_dynamic_rnn(
        R.GRUCell(3), R.GRUCell(3), x, sequence_length=[3, 2], dtype=tf.float32)
    names = [v.name for v in tf.global_variables()]
    assert names[0] == "bidirectional_rnn/fw/gru_cell/gates/kernel:0"
    assert names[4] == "bidirectional_rnn/bw/gru_cell/gates/kernel:0"
    assert state_fw.name == "bidirectional_rnn/fw/fw/while/Exit_3:0"
    # The backward cell alone, by hand, on each example's reversed steps:
    with tf.variable_scope("bidirectional_rnn/bw", reuse=True):
        bw = tf.nn.rnn_cell.GRUCell(3, reuse=True)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        ob, sb = sess.run([out_bw, state_bw])
        weights = sess.run(tf.global_variables()[4:])
    del bw
    gk, gb, ck, cb = weights

    def sigmoid(v):
        return 1 / (1 + np.exp(-v))
    for example, length in enumerate([3, 2]):
        h = np.zeros(3)
        steps = {}
        for t in reversed(range(length)):
            xh = np.concatenate([X[example, t], h])
            r, u = np.split(sigmoid(xh @ gk + gb), 2)
            c = np.tanh(np.concatenate([X[example, t], r * h]) @ ck + cb)
            h = u * h + (1 - u) * c
            steps[t] = h
        for t in range(3):
            np.testing.assert_allclose(ob[example, t], steps.get(t, np.zeros(3)), atol=1e-5)
        np.testing.assert_allclose(sb[example], h, atol=1e-5)


def test_gradients_through_time_are_numerically_right():
    x = tf.placeholder(tf.float64, [2, 4, 3])
    with tf.variable_scope("g", initializer=tf.random_uniform_initializer(-0.5, 0.5, seed=1)):
        out, state = tf.nn.dynamic_rnn(R.BasicLSTMCell(3, dtype=tf.float64), x, sequence_length=[4, 3],
                                       dtype=tf.float64)
    loss = tf.reduce_sum(out * out) + tf.reduce_sum(state.c)
    data = np.random.RandomState(1).randn(2, 4, 3)
    with tf.Session():
        tf.global_variables_initializer().run()
        assert tf.test.compute_gradient_error(x, [2, 4, 3], loss, [], x_init_value=data) < 1e-4
        kernel = tf.trainable_variables()[0]
        assert tf.test.compute_gradient_error(kernel, [6, 12], loss, [], extra_feed_dict={x: data}) < 1e-4


def test_an_lstm_learns_to_add():
    """The adding problem, short: the sum of the two marked numbers of a sequence of 6."""
    rng = np.random.RandomState(0)

    def batch(n):
        values = rng.rand(n, 6)
        marks = np.zeros((n, 6))
        for row in marks:
            row[rng.choice(6, 2, replace=False)] = 1
        return np.stack([values, marks], -1).astype(np.float32), (values * marks).sum(1, keepdims=True)
    tf.set_random_seed(0)
    x = tf.placeholder(tf.float32, [None, 6, 2])
    y = tf.placeholder(tf.float32, [None, 1])
    _, state = tf.nn.dynamic_rnn(R.BasicLSTMCell(16), x, dtype=tf.float32)
    prediction = tf.layers.dense(state.h, 1)
    loss = tf.losses.mean_squared_error(y, prediction)
    train = tf.train.AdamOptimizer(0.01).minimize(loss)
    test_x, test_y = batch(200)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        before = sess.run(loss, {x: test_x, y: test_y})
        for _ in range(300):
            bx, by = batch(32)
            sess.run(train, {x: bx, y: by})
        after = sess.run(loss, {x: test_x, y: test_y})
    assert before > 0.1 and after < 0.02, (before, after)


# --------------------------------------------------------------------------------------------
# Errors: TF's class and first line, then a Fix
# --------------------------------------------------------------------------------------------
def first_line(excinfo):
    return str(excinfo.value).split("\n")[0]


def test_errors_are_tensorflows():
    x = tf.placeholder(tf.float32, [2, 4, 3])
    with pytest.raises(ValueError) as e:       # TF 2.21 compat.v1 first lines, here and below
        tf.nn.dynamic_rnn(R.BasicLSTMCell(3), tf.placeholder(tf.float32, [2, 3]), dtype=tf.float32)
    assert first_line(e) == "Shape (3, 2) must have rank at least 3" and "Fix" in str(e.value)
    with pytest.raises(ValueError) as e:
        tf.nn.dynamic_rnn(R.BasicLSTMCell(3), x)
    assert first_line(e) == "If no initial_state is provided, argument `dtype` must be specified"
    with pytest.raises(ValueError) as e:
        tf.nn.dynamic_rnn(R.BasicLSTMCell(3), tf.placeholder(tf.float32, [2, 4, None]), dtype=tf.float32)
    assert first_line(e).startswith("Input size (depth of inputs) must be accessible via shape inference, but saw "
                                    "value None for input=Tensor(\"rnn_2/transpose:0\", shape=(4, 2, ?)")
    with pytest.raises(ValueError, match="^Argument sequence_length must be a vector of length batch_size"):
        tf.nn.dynamic_rnn(R.BasicLSTMCell(3), x, sequence_length=[[1, 2]], dtype=tf.float32)
    with pytest.raises(ValueError, match="^RNN cell only supports floating point inputs, but received dtype: int32"):
        tf.nn.dynamic_rnn(R.BasicLSTMCell(3), tf.placeholder(tf.int32, [2, 4, 3]), dtype=tf.int32)
    with pytest.raises(TypeError, match="^Argument `inputs` must be a sequence"):
        tf.nn.static_rnn(R.BasicLSTMCell(3), x, dtype=tf.float32)
    with pytest.raises(TypeError, match=r"^BasicLSTMCell.get_initial_state\(\) missing 1 required positional "
                                        r"argument: 'self'\nFix: 'cell' is the class; pass a cell object"):
        tf.nn.dynamic_rnn(R.BasicLSTMCell, x, dtype=tf.float32)
    with pytest.raises(TypeError, match="is not an RNNCell: 'output_size' property is missing"):
        tf.nn.dynamic_rnn(x, x, dtype=tf.float32)
    with pytest.raises(ValueError, match="don't have the same nested structure"):
        tf.nn.dynamic_rnn(R.BasicLSTMCell(3), x, initial_state=tf.zeros([2, 3]))


def test_making_a_cells_variables_twice_says_where_they_were_made():
    x = tf.placeholder(tf.float32, [2, 4, 3])
    tf.nn.dynamic_rnn(R.BasicLSTMCell(3), x, dtype=tf.float32)
    with pytest.raises(ValueError) as e:
        tf.nn.dynamic_rnn(R.BasicLSTMCell(3), x, dtype=tf.float32)
    assert first_line(e) == ("Variable rnn/basic_lstm_cell/kernel already exists, disallowed. Did you mean to set "
                             "reuse=True or reuse=tf.AUTO_REUSE in VarScope? Originally defined at:")
    assert "test_rnn.py" in str(e.value)
    before = len(tf.global_variables())
    assert before == 2                          # the failed call left no variable behind


def test_namespace():
    assert dir(R) == sorted(["RNNCell", "BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell", "MultiRNNCell",
                      "LSTMStateTuple", "DropoutWrapper", "ResidualWrapper", "DeviceWrapper"])
    with pytest.raises(AttributeError, match="LSTMBlockCell"):
        R.LSTMBlockCell


# --------------------------------------------------------------------------------------------
# What the cells needed from below: Dimension arithmetic, nested custom getters, loop reach
# --------------------------------------------------------------------------------------------
def test_dimensions_add_as_in_tf1():
    shape = tf.TensorShape([None, 5])
    assert (shape[-1] + 4).value == 9 and (4 + shape[-1]).value == 9 and (shape[-1] * 4).value == 20
    assert (shape[0] + 4).value is None and (7 - shape[-1]).value == 2
    cell = R.BasicRNNCell(3)
    kernel_rows = tf.TensorShape([2, 7])[-1] + cell.state_size       # what a cell's build computes
    assert kernel_rows.value == 10 and tf.get_variable("k", [kernel_rows, 3]).shape == (10, 3)


def test_custom_getters_nest_as_in_tf():
    calls = []

    def outer(getter, name, *args, **kwargs):
        calls.append("outer " + name)
        return getter(name, *args, **kwargs)

    def inner(getter, name, *args, **kwargs):
        calls.append("inner " + name)
        return getter(name, *args, **kwargs)
    with tf.variable_scope("a", custom_getter=outer):
        with tf.variable_scope("b", custom_getter=inner):
            v = tf.get_variable("v", [1])
    assert calls == ["inner a/b/v", "outer a/b/v"] and v.name == "a/b/v:0"

    class Wrap(R.RNNCell):                    # a cell made of a cell: both own the variables
        def __init__(self):
            super().__init__()
            self.inner = R.BasicRNNCell(3)
        state_size = property(lambda self: 3)
        output_size = property(lambda self: 3)

        def call(self, inputs, state):
            return self.inner(inputs, state)
    wrap = Wrap()
    tf.nn.dynamic_rnn(wrap, tf.zeros([2, 4, 2]), dtype=tf.float32)
    assert [v.name for v in wrap.trainable_weights] == ["rnn/wrap/basic_rnn_cell/kernel:0",
                                                       "rnn/wrap/basic_rnn_cell/bias:0"]
    assert wrap.trainable_weights == wrap.inner.trainable_weights


def test_gradients_reach_variables_made_while_the_loop_body_was_built():
    x = tf.constant(np.ones((2, 3, 4), np.float32))
    out, _ = tf.nn.dynamic_rnn(R.BasicRNNCell(5), x, dtype=tf.float32)
    loss = tf.reduce_sum(out)
    tf.gradients(loss, [x])                         # a first gradient, then one for the kernel only
    assert None not in tf.gradients(loss, tf.trainable_variables())
    nexts = [op for op in tf.get_default_graph().get_operations() if op.type == "NextIteration"]
    assert [c.type for c in nexts[0].outputs[0].consumers()] == ["Merge"]   # the back edge, older
    assert tf.rank(x).op.type == "Const" and tf.rank(x).name == "Rank_1:0"   # known rank: folded, as TF

"""tf.train: optimizers, global step, Saver (as TensorFlow 1.15 behaves)."""
import os

import numpy as np
import pytest

import tinyflow as tf
import tinyflow.saver as saver_module


def close(actual, expected, rtol=1e-5):
    np.testing.assert_allclose(np.asarray(actual, dtype=np.float64), np.asarray(expected, dtype=np.float64),
                               rtol=rtol, atol=1e-7)


# --------------------------------------------------------------------------------------------
# Eight optimizer configurations, 5 steps on a small linear regression
# --------------------------------------------------------------------------------------------
def build_model():
    x = tf.constant([[1., 2.], [3., 4.], [5., 6.]])
    y = tf.constant([[1.], [2.], [3.]])
    w = tf.Variable([[0.1], [-0.2]], name="w")
    b = tf.Variable([0.05], name="b")
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
    return w, b, loss


# golden values from TensorFlow 2.21 (tf.compat.v1)
# name: (make optimizer, its name, global variables, slot names,
#        {(variable, slot): (slot variable name, value after 5 steps)}, losses per step, final w, final b)
GOLDEN = {
    "A1 sgd": (lambda: tf.train.GradientDescentOptimizer(0.01), "GradientDescent", ["w:0", "b:0"], [], {},
               [6.962500095367432, 1.0056346654891968, 0.15223686397075653, 0.02990485541522503,
                0.012297754175961018],
               [[0.3839460611343384], [0.1648617833852768]], [0.13091576099395752]),
    "A2 momentum": (
        lambda: tf.train.MomentumOptimizer(0.01, momentum=0.9), "Momentum",
        ["w:0", "b:0", "w/Momentum:0", "b/Momentum:0"], ["momentum"],
        {("w", "momentum"): ("w/Momentum:0", [[16.943134307861328], [21.111604690551758]]),
         ("b", "momentum"): ("b/Momentum:0", [4.1684699058532715])},
        [6.962500095367432, 1.0056346654891968, 1.2133687734603882, 5.303633689880371, 3.8279330730438232],
        [[0.4286682605743408], [0.22920766472816467]], [0.15053950250148773]),
    "A3 nesterov": (
        lambda: tf.train.MomentumOptimizer(0.01, momentum=0.9, use_nesterov=True), "Momentum",
        ["w:0", "b:0", "w/Momentum:0", "b/Momentum:0"], ["momentum"],
        {("w", "momentum"): ("w/Momentum:0", [[2.819148540496826], [3.1995761394500732]]),
         ("b", "momentum"): ("b/Momentum:0", [0.38042816519737244])},
        [6.962500095367432, 0.23706214129924774, 1.5498155355453491, 0.5419936776161194, 0.01904893107712269],
        [[0.3607315421104431], [0.14634665846824646]], [0.1356150507926941]),
    "A4 adam": (
        lambda: tf.train.AdamOptimizer(0.01), "Adam",
        ["w:0", "b:0", "beta1_power:0", "beta2_power:0", "w/Adam:0", "w/Adam_1:0", "b/Adam:0", "b/Adam_1:0"],
        ["m", "v"],
        {("w", "m"): ("w/Adam:0", [[-6.800127029418945], [-8.662153244018555]]),
         ("w", "v"): ("w/Adam_1:0", [[1.3995871543884277], [2.2709641456604004]]),
         ("b", "m"): ("b/Adam:0", [-1.8620257377624512]),
         ("b", "v"): ("b/Adam_1:0", [0.10493094474077225])},
        [6.962500095367432, 6.513966083526611, 6.080796718597412, 5.663240909576416, 5.26151704788208],
        [[0.14982548356056213], [-0.1501743495464325]], [0.09982626885175705]),
    "A5 adam custom": (
        lambda: tf.train.AdamOptimizer(0.1, beta1=0.8, beta2=0.9, epsilon=1e-7), "Adam",
        ["w:0", "b:0", "beta1_power:0", "beta2_power:0", "w/Adam:0", "w/Adam_1:0", "b/Adam:0", "b/Adam_1:0"],
        ["m", "v"],
        {("w", "m"): ("w/Adam:0", [[-3.047048568725586], [-3.890251636505127]]),
         ("w", "v"): ("w/Adam_1:0", [[35.976600646972656], [58.3848876953125]]),
         ("b", "m"): ("b/Adam:0", [-0.8432033061981201]),
         ("b", "v"): ("b/Adam_1:0", [2.6993532180786133])},
        [6.962500095367432, 3.14916729927063, 0.8775462508201599, 0.02771952748298645, 0.2212594747543335],
        [[0.5080251693725586], [0.20821022987365723]], [0.45888465642929077]),
    "A6 rmsprop": (
        lambda: tf.train.RMSPropOptimizer(0.01), "RMSProp",
        ["w:0", "b:0", "w/RMSProp:0", "w/RMSProp_1:0", "b/RMSProp:0", "b/RMSProp_1:0"], ["momentum", "rms"],
        {("w", "momentum"): ("w/RMSProp_1:0", [[-0.01346633955836296], [-0.013486003503203392]]),
         ("w", "rms"): ("w/RMSProp:0", [[92.19534301757812], [149.2852020263672]]),
         ("b", "momentum"): ("b/RMSProp_1:0", [-0.012978515587747097]),
         ("b", "rms"): ("b/RMSProp:0", [7.470627784729004])},
        [6.962500095367432, 5.628168106079102, 4.783527374267578, 4.148690700531006, 3.636746644973755],
        [[0.19880984723567963], [-0.10088121891021729]], [0.14074376225471497]),
    "A7 rmsprop centered": (
        lambda: tf.train.RMSPropOptimizer(0.01, decay=0.8, momentum=0.5, epsilon=1e-6, centered=True), "RMSProp",
        ["w:0", "b:0", "w/RMSProp:0", "w/RMSProp_1:0", "w/RMSProp_2:0", "b/RMSProp:0", "b/RMSProp_1:0",
         "b/RMSProp_2:0"], ["mg", "momentum", "rms"],
        {("w", "mg"): ("w/RMSProp_1:0", [[-9.148163795471191], [-11.656511306762695]]),
         ("w", "momentum"): ("w/RMSProp_2:0", [[-0.03261512890458107], [-0.03267621248960495]]),
         ("w", "rms"): ("w/RMSProp:0", [[129.2430877685547], [209.60940551757812]]),
         ("b", "mg"): ("b/RMSProp_1:0", [-2.508348226547241]),
         ("b", "momentum"): ("b/RMSProp_2:0", [-0.031200148165225983]),
         ("b", "rms"): ("b/RMSProp:0", [10.015229225158691])},
        [6.962500095367432, 5.884998321533203, 4.614551067352295, 3.4402153491973877, 2.4454023838043213],
        [[0.25769320130348206], [-0.04197048395872116]], [0.19868850708007812]),
    "A8 adagrad": (
        lambda: tf.train.AdagradOptimizer(0.1), "Adagrad",
        ["w:0", "b:0", "w/Adagrad:0", "b/Adagrad:0"], ["accumulator"],
        {("w", "accumulator"): ("w/Adagrad:0", [[609.6865844726562], [989.8595581054688]]),
         ("b", "accumulator"): ("b/Adagrad:0", [45.941768646240234])},
        [6.962500095367432, 3.150186538696289, 1.6712192296981812, 0.9360052943229675, 0.5375902056694031],
        [[0.3405928313732147], [0.04070550203323364]], [0.290706992149353]),
}


# TF 2.21 compat.v1: as GOLDEN, and the name of the first update op
GOLDEN_MORE = {
    "B1 adadelta": (
        lambda: tf.train.AdadeltaOptimizer(1.0), "Adadelta",
        ["w:0", "b:0", "w/Adadelta:0", "w/Adadelta_1:0", "b/Adadelta:0", "b/Adadelta_1:0"], ["accum", "accum_update"],
        {("w", "accum"): ("w/Adadelta:0", [[72.03257751464844], [116.86776733398438]]),
         ("w", "accum_update"): ("w/Adadelta_1:0", [[4.6885240578831144e-08], [4.6885389792805654e-08]]),
         ("b", "accum"): ("b/Adadelta:0", [5.397902965545654]),
         ("b", "accum_update"): ("b/Adadelta_1:0", [4.688592980528483e-08])},
        [6.962500095367432, 6.942121982574463, 6.921529293060303, 6.90081262588501, 6.880016326904297],
        [[0.10227452218532562], [-0.19772545993328094]], [0.052274543792009354],
        "Adadelta/update_w/ApplyAdadelta"),
    "B2 adadelta2": (
        lambda: tf.train.AdadeltaOptimizer(0.5, rho=0.9, epsilon=1e-6), "Adadelta",
        ["w:0", "b:0", "w/Adadelta:0", "w/Adadelta_1:0", "b/Adadelta:0", "b/Adadelta_1:0"], ["accum", "accum_update"],
        {("w", "accum"): ("w/Adadelta:0", [[128.1707000732422], [207.9507598876953]]),
         ("w", "accum_update"): ("w/Adadelta_1:0", [[4.391512447909918e-06], [4.3915651986026205e-06]]),
         ("b", "accum"): ("b/Adadelta:0", [9.605340957641602]),
         ("b", "accum_update"): ("b/Adadelta_1:0", [4.391750735521782e-06])},
        [6.962500095367432, 6.890586853027344, 6.817373752593994, 6.743537425994873, 6.669414520263672],
        [[0.1081637367606163], [-0.19183622300624847]], [0.05816393718123436],
        "Adadelta/update_w/ApplyAdadelta"),
    "B3 ftrl": (
        lambda: tf.train.FtrlOptimizer(0.1), "Ftrl",
        ["w:0", "b:0", "w/Ftrl:0", "w/Ftrl_1:0", "b/Ftrl:0", "b/Ftrl_1:0"], ["accum", "linear"],
        {("w", "accum"): ("w/Ftrl:0", [[608.5772705078125], [988.1028442382812]]),
         ("w", "linear"): ("w/Ftrl_1:0", [[-83.54183959960938], [-13.61224365234375]]),
         ("b", "accum"): ("b/Ftrl:0", [45.86794662475586]),
         ("b", "linear"): ("b/Ftrl_1:0", [-19.45972442626953])},
        [6.962500095367432, 3.1395463943481445, 1.664929986000061, 0.9320409893989563, 0.5350407361984253],
        [[0.33864617347717285], [0.04330406337976456]], [0.2873307168483734],
        "Ftrl/update_w/ApplyFtrl"),
    "B4 ftrl_l1l2": (
        lambda: tf.train.FtrlOptimizer(0.1, l1_regularization_strength=0.05, l2_regularization_strength=0.1), "Ftrl",
        ["w:0", "b:0", "w/Ftrl:0", "w/Ftrl_1:0", "b/Ftrl:0", "b/Ftrl_1:0"], ["accum", "linear"],
        {("w", "accum"): ("w/Ftrl:0", [[609.5061645507812], [989.6473388671875]]),
         ("w", "linear"): ("w/Ftrl_1:0", [[-83.61689758300781], [-13.706670761108398]]),
         ("b", "accum"): ("b/Ftrl:0", [45.94561004638672]),
         ("b", "linear"): ("b/Ftrl_1:0", [-19.458248138427734])},
        [6.962500095367432, 3.146202802658081, 1.6702333688735962, 0.935972273349762, 0.5399104356765747],
        [[0.33821552991867065], [0.043383896350860596]], [0.28548601269721985],
        "Ftrl/update_w/ApplyFtrl"),
    "B5 ftrl_pow": (
        lambda: tf.train.FtrlOptimizer(0.1, learning_rate_power=-0.7, initial_accumulator_value=0.2,
                                           l1_regularization_strength=0.01), "Ftrl",
        ["w:0", "b:0", "w/Ftrl:0", "w/Ftrl_1:0", "b/Ftrl:0", "b/Ftrl_1:0"], ["accum", "linear"],
        {("w", "accum"): ("w/Ftrl:0", [[1175.3592529296875], [1905.396240234375]]),
         ("w", "linear"): ("w/Ftrl_1:0", [[-259.6182556152344], [241.6722869873047]]),
         ("b", "accum"): ("b/Ftrl:0", [87.95878601074219]),
         ("b", "linear"): ("b/Ftrl_1:0", [-43.612430572509766])},
        [6.962500095367432, 5.566413879394531, 4.811927795410156, 4.28850793838501, 3.887212038040161],
        [[0.18416158854961395], [-0.12224165350198746]], [0.18989577889442444],
        "Ftrl/update_w/ApplyFtrl"),
    "B6 ftrl_shrink": (
        lambda: tf.train.FtrlOptimizer(0.1, l2_shrinkage_regularization_strength=0.1,
                                           l1_regularization_strength=0.01), "Ftrl",
        ["w:0", "b:0", "w/Ftrl:0", "w/Ftrl_1:0", "b/Ftrl:0", "b/Ftrl_1:0"], ["accum", "linear"],
        {("w", "accum"): ("w/Ftrl:0", [[609.031982421875], [988.8607788085938]]),
         ("w", "linear"): ("w/Ftrl_1:0", [[-83.35435485839844], [-13.74822998046875]]),
         ("b", "accum"): ("b/Ftrl:0", [45.9063835144043]),
         ("b", "linear"): ("b/Ftrl_1:0", [-19.28281593322754])},
        [6.962500095367432, 3.139545440673828, 1.6669384241104126, 0.9355554580688477, 0.5397173762321472],
        [[0.33771950006484985], [0.043688103556632996]], [0.28445175290107727], "Ftrl/update_w/ApplyFtrlV2"),
    "B7 pgd": (
        lambda: tf.train.ProximalGradientDescentOptimizer(0.01), "ProximalGradientDescent",
        ["w:0", "b:0"], [],
        {},
        [6.962500095367432, 1.0056346654891968, 0.15223686397075653, 0.02990485541522503, 0.012297754175961018],
        [[0.3839460611343384], [0.1648617833852768]], [0.13091576099395752],
        "ProximalGradientDescent/update_w/ApplyProximalGradientDescent"),
    "B8 pgd_l1l2": (
        lambda: tf.train.ProximalGradientDescentOptimizer(0.01, l1_regularization_strength=0.1,
                                                              l2_regularization_strength=0.2),
        "ProximalGradientDescent",
        ["w:0", "b:0"], [],
        {},
        [6.962500095367432, 1.0276237726211548, 0.16489845514297485, 0.03574911132454872, 0.015002500265836716],
        [[0.3799336850643158], [0.1643459051847458]], [0.12596310675144196],
        "ProximalGradientDescent/update_w/ApplyProximalGradientDescent"),
    "B9 padagrad": (
        lambda: tf.train.ProximalAdagradOptimizer(0.1), "ProximalAdagrad",
        ["w:0", "b:0", "w/ProximalAdagrad:0", "b/ProximalAdagrad:0"], ["accumulator"],
        {("w", "accumulator"): ("w/ProximalAdagrad:0", [[609.6865844726562], [989.8595581054688]]),
         ("b", "accumulator"): ("b/ProximalAdagrad:0", [45.941768646240234])},
        [6.962500095367432, 3.150186538696289, 1.6712192296981812, 0.9360052943229675, 0.5375902056694031],
        [[0.3405928313732147], [0.04070550203323364]], [0.290706992149353],
        "ProximalAdagrad/update_w/ApplyProximalAdagrad"),
    "B10 padagrad_l1l2": (
        lambda: tf.train.ProximalAdagradOptimizer(0.1, l1_regularization_strength=0.1,
                                                   l2_regularization_strength=0.2), "ProximalAdagrad",
        ["w:0", "b:0", "w/ProximalAdagrad:0", "b/ProximalAdagrad:0"], ["accumulator"],
        {("w", "accumulator"): ("w/ProximalAdagrad:0", [[612.1207275390625], [993.9229736328125]]),
         ("b", "accumulator"): ("b/ProximalAdagrad:0", [46.148807525634766])},
        [6.962500095367432, 3.1602325439453125, 1.6846126317977905, 0.949955403804779, 0.5548801422119141],
        [[0.33767709136009216], [0.041896481066942215]], [0.27948442101478577],
        "ProximalAdagrad/update_w/ApplyProximalAdagrad"),
}
GOLDEN.update({case: golden[:-1] for case, golden in GOLDEN_MORE.items()})


@pytest.mark.parametrize("case", sorted(GOLDEN_MORE))
def test_update_op_names_of_the_other_optimizers(case):
    w, b, loss = build_model()
    opt = GOLDEN_MORE[case][0]()
    opt.minimize(loss)
    graph = tf.get_default_graph()
    update = [op for op in graph.get_operations() if op.type.startswith("Apply")]
    assert update[0].name == GOLDEN_MORE[case][-1]
    assert [op.name for op in update][1] == GOLDEN_MORE[case][-1].replace("update_w", "update_b")



@pytest.mark.parametrize("case", sorted(GOLDEN))
def test_optimizers_match_tensorflow(case):
    make, opt_name, global_vars, slot_names, slots, losses, final_w, final_b = GOLDEN[case]
    w, b, loss = build_model()
    opt = make()
    train = opt.minimize(loss)
    init = tf.global_variables_initializer()
    assert opt.get_name() == opt_name
    assert (train.type, train.name) == ("NoOp", opt_name)
    assert [v.name for v in tf.global_variables()] == global_vars
    assert [v.name for v in opt.variables()] == sorted(global_vars[2:])
    assert opt.get_slot_names() == slot_names
    assert tf.get_collection(tf.GraphKeys.TRAIN_OP) == [train]
    with tf.Session() as sess:
        sess.run(init)
        got = [sess.run((train, loss))[1] for _ in range(5)]
        close(got, losses)
        close(sess.run(w), final_w)
        close(sess.run(b), final_b)
        for (var_name, slot_name), (slot_var_name, value) in slots.items():
            slot = opt.get_slot({"w": w, "b": b}[var_name], slot_name)
            assert slot.name == slot_var_name and not slot.trainable
            close(sess.run(slot), value)


def test_adam_beta_powers_and_finish_ops():
    w, b, loss = build_model()
    opt = tf.train.AdamOptimizer(0.01)
    train = opt.minimize(loss)
    beta1_power, beta2_power = opt._get_beta_accumulators()
    assert repr(beta1_power) == "<tf.Variable 'beta1_power:0' shape=() dtype=float32_ref>"
    names = [op.name for op in tf.get_default_graph().get_operations()]
    for name in ["Adam/learning_rate", "Adam/beta1", "Adam/beta2", "Adam/epsilon", "Adam/update_w/ApplyAdam",
                 "Adam/update_b/ApplyAdam", "Adam/mul", "Adam/Assign", "Adam/mul_1", "Adam/Assign_1"]:
        assert name in names
    # A second minimize with the same optimizer reuses the beta powers (one pair per graph).
    train2 = opt.minimize(loss * 2.0)
    assert opt._get_beta_accumulators() == (beta1_power, beta2_power)
    assert train2.name == "Adam_1"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(5):
            sess.run(train)
        # golden values from TensorFlow 2.21 (tf.compat.v1)
        close(sess.run([beta1_power, beta2_power]), [0.5314409136772156, 0.994015097618103])


def test_minimize_with_global_step():
    w, b, loss = build_model()
    global_step = tf.train.get_or_create_global_step()
    assert repr(global_step) == "<tf.Variable 'global_step:0' shape=() dtype=int64_ref>"
    assert not global_step.trainable and tf.get_collection(tf.GraphKeys.GLOBAL_STEP) == [global_step]
    assert tf.train.get_global_step() is global_step and tf.train.get_or_create_global_step() is global_step
    with pytest.raises(ValueError, match='"global_step" already exists.'):
        tf.train.create_global_step()
    graph = tf.get_default_graph()
    n0 = len(graph.get_operations())
    train = tf.train.GradientDescentOptimizer(0.01).minimize(loss, global_step=global_step)
    assert (train.type, train.name) == ("AssignAdd", "GradientDescent")
    assert [t.name for t in train.inputs] == ["global_step:0", "GradientDescent/value:0"]
    # golden values from TensorFlow 2.21 (tf.compat.v1): the ops minimize adds besides gradients/...
    made = [(op.name, op.type) for op in graph.get_operations()[n0:] if not op.name.startswith("gradients")]
    assert made == [("GradientDescent/learning_rate", "Const"),
                    ("GradientDescent/update_w/ApplyGradientDescent", "ApplyGradientDescent"),
                    ("GradientDescent/update_b/ApplyGradientDescent", "ApplyGradientDescent"),
                    ("GradientDescent/update", "NoOp"),
                    ("GradientDescent/value", "Const"),
                    ("GradientDescent", "AssignAdd")]
    update_w = graph.get_operation_by_name("GradientDescent/update_w/ApplyGradientDescent")
    assert [t.name for t in update_w.inputs[:2]] == ["w:0", "GradientDescent/learning_rate:0"]
    assert [v.name for v in tf.global_variables()] == ["w:0", "b:0", "global_step:0"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        losses = [sess.run((train, loss))[1] for _ in range(5)]
        assert sess.run(global_step) == 5 and tf.train.global_step(sess, global_step) == 5
        close(losses, GOLDEN["A1 sgd"][5])
        close(sess.run(w), GOLDEN["A1 sgd"][6])


def test_get_global_step_when_missing_or_wrong():
    assert tf.train.get_global_step() is None
    tf.Variable(1.5, name="global_step")
    with pytest.raises(TypeError, match='Existing "global_step" does not have integer type'):
        tf.train.get_global_step()


# --------------------------------------------------------------------------------------------
# The guide's regression (tf.layers.Dense + tf.losses.mean_squared_error + GradientDescent)
# --------------------------------------------------------------------------------------------
def guide_regression(kernel_init, steps=100):
    x = tf.constant([[1], [2], [3], [4]], dtype=tf.float32)
    y_true = tf.constant([[0], [-1], [-2], [-3]], dtype=tf.float32)
    linear_model = tf.layers.Dense(units=1, kernel_initializer=tf.constant_initializer(kernel_init))
    y_pred = linear_model(x)
    loss = tf.losses.mean_squared_error(labels=y_true, predictions=y_pred)
    optimizer = tf.train.GradientDescentOptimizer(0.01)
    train = optimizer.minimize(loss)
    init = tf.global_variables_initializer()
    sess = tf.Session()
    sess.run(init)
    first = sess.run(loss)
    losses = [sess.run((train, loss))[1] for _ in range(steps)]
    kernel, bias = sess.run((linear_model.kernel, linear_model.bias))
    out = dict(first=first, losses=losses, kernel=kernel, bias=bias, y_pred=sess.run(y_pred), names=(
        y_pred.name, loss.name, train, [v.name for v in tf.global_variables()]))
    sess.close()
    return out


def test_guide_regression_kernel_half():
    out = guide_regression(0.5)
    # losses traced in TF 1.15 (the same numbers as TensorFlow 2.21's)
    close(out["losses"][:10], [10.375, 7.290837287902832, 5.1502532958984375, 3.664401054382324, 2.63285756111145,
                               1.9165518283843994, 1.4189863204956055, 1.073203206062317, 0.832741916179657,
                               0.6653644442558289])
    close(out["losses"][99], 0.16900256276130676)
    close(out["kernel"], [[-0.6588818]])
    close(out["bias"], [-0.00292912])
    # golden values from TensorFlow 2.21 (tf.compat.v1)
    close(out["y_pred"], [[-0.6618108749389648], [-1.3206926584243774], [-1.97957444190979], [-2.638456344604492]])
    y_name, loss_name, train, variables = out["names"]
    assert (y_name, loss_name) == ("dense/BiasAdd:0", "mean_squared_error/value:0")
    assert repr(train) == "<tf.Operation 'GradientDescent' type=NoOp>"
    assert variables == ["dense/kernel:0", "dense/bias:0"]


def test_guide_regression_kernel_of_the_guide():
    out = guide_regression(0.02631879)
    # losses traced in TF 1.15
    close(out["first"], 3.768383)
    close(out["losses"][:10], [3.768383026123047, 2.6880946159362793, 1.9380671977996826, 1.417203664779663,
                               1.0553542375564575, 0.8038443326950073, 0.6288989782333374, 0.5070829391479492,
                               0.42213454842567444, 0.36277061700820923])
    close(out["losses"][99], 0.1348668932914734)
    close(out["kernel"], [[-0.695273]])
    close(out["bias"], [0.10406548])
    close(out["y_pred"].ravel(), [-0.5912075, -1.2864804, -1.9817536, -2.6770265])


def test_fetched_loss_is_from_before_the_update_and_arrays_are_not_mutated():
    w, b, loss = build_model()
    train = tf.train.MomentumOptimizer(0.01, 0.9).minimize(loss)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    before = sess.run(loss)
    w_before = sess.run(w)
    slot_before = sess.run(tf.global_variables()[2])
    _, fetched = sess.run((train, loss))
    assert fetched == before
    assert sess.run(loss) < before
    # earlier results are untouched by later updates (kernels write new arrays)
    close(w_before, [[0.1], [-0.2]])
    close(slot_before, [[0.0], [0.0]])
    assert not np.array_equal(sess.run(w), w_before)


@pytest.mark.parametrize("make", [
    lambda v, loss: tf.train.GradientDescentOptimizer(0.5).minimize(loss),
    lambda v, loss: tf.train.AdamOptimizer(0.5).minimize(loss),
    lambda v, loss: tf.assign_add(v, [1.0, 1.0]),
])
def test_fetched_values_are_copies_of_the_updated_state(make):
    """Updates store the arrays they compute without a copy; what a run hands out is the
    learner's own array, so changing it never changes the session's variables."""
    v = tf.Variable([1.0, 2.0])
    step = make(v, tf.reduce_sum(v * v))
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    sess.run(step)
    after = sess.run(v)
    fetched = sess.run(v)
    fetched[:] = 100.0
    np.testing.assert_array_equal(sess.run(v), after)
    assert not np.array_equal(after, [1.0, 2.0])


def test_compute_gradients_gates_each_ops_gradients_as_tf():
    # TF 2.21 compat.v1: Optimizer.GATE_OP groups each op's input gradients with tf.tuple
    x = tf.constant([[1.0], [2.0], [3.0], [4.0]])
    y = tf.constant([[0.0], [-1.0], [-2.0], [-3.0]])
    pred = tf.layers.dense(x, 1, kernel_initializer=tf.constant_initializer(0.5))
    loss = tf.losses.mean_squared_error(y, pred)
    opt = tf.train.GradientDescentOptimizer(0.01)
    grads_and_vars = opt.compute_gradients(loss)
    assert [g.name for g, _ in grads_and_vars] == ["gradients/dense/MatMul_grad/tuple/control_dependency_1:0",
                                                   "gradients/dense/BiasAdd_grad/tuple/control_dependency_1:0"]
    train = opt.apply_gradients(grads_and_vars)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    losses = [sess.run((train, loss))[1] for _ in range(3)]
    np.testing.assert_allclose(losses, [10.375, 7.2908373, 5.1502533], rtol=1e-6)
    # GATE_NONE builds no tuples
    (g, _), = tf.train.GradientDescentOptimizer(0.01).compute_gradients(
        loss, var_list=[grads_and_vars[0][1]], gate_gradients=tf.train.Optimizer.GATE_NONE)
    assert "tuple" not in g.name


def test_failed_run_leaves_variables_unchanged():
    w, b, loss = build_model()
    train = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
    n = tf.placeholder(tf.float32, [None])
    bad = tf.reshape(n, [3])            # created after train: fails after the updates ran
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    with pytest.raises(tf.errors.InvalidArgumentError):
        sess.run([train, bad], {n: [1.0, 2.0]})
    close(sess.run(w), [[0.1], [-0.2]])
    close(sess.run(b), [0.05])


def test_var_list_restricts_updates_and_float64_variables():
    w, b, loss = build_model()
    train = tf.train.GradientDescentOptimizer(0.01).minimize(loss, var_list=[b])
    v = tf.Variable(np.array([1.0, 2.0]), name="v")       # float64
    train64 = tf.train.GradientDescentOptimizer(0.5).minimize(tf.reduce_sum(v * v))
    assert tf.get_default_graph().get_operation_by_name("GradientDescent_1/update_v/Cast").type == "Cast"
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    sess.run(train)
    close(sess.run(w), [[0.1], [-0.2]])
    assert sess.run(b)[0] != np.float32(0.05)
    sess.run(train64)
    assert sess.run(v).dtype == np.float64
    close(sess.run(v), [0.0, 0.0])


def test_compute_and_apply_gradients_separately():
    w, b, loss = build_model()
    opt = tf.train.GradientDescentOptimizer(0.01)
    grads_and_vars = opt.compute_gradients(loss)
    assert [v for _, v in grads_and_vars] == [w, b]
    clipped = [(tf.minimum(tf.maximum(g, -1.0), 1.0), v) for g, v in grads_and_vars]
    train = opt.apply_gradients(clipped, name="step")
    assert train.name == "step"
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    sess.run(train)
    assert np.all(np.abs(sess.run(w) - [[0.1], [-0.2]]) <= 0.01 + 1e-7)


def test_constraint_is_applied_after_the_update():
    v = tf.Variable([0.5, -0.5], name="v", constraint=lambda t: tf.maximum(t, 0.0))
    train = tf.train.GradientDescentOptimizer(1.0).minimize(tf.reduce_sum(v))
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    sess.run(train)
    close(sess.run(v), [0.0, 0.0])           # 0.5 - 1 = -0.5 -> 0; -0.5 - 1 -> 0


def test_optimizer_errors():
    # golden values from TensorFlow 2.21 (tf.compat.v1): first lines of the messages
    loss = tf.constant(3.0) * 2.
    with pytest.raises(ValueError, match=r"^No variables to optimize\.$"):
        tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    tf.Variable(1.0, name="w")
    with pytest.raises(ValueError) as e:
        tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    assert str(e.value).split("\n")[0] == (
        "No gradients provided for any variable, check your graph for ops that do not support gradients, "
        "between variables [\"<tf.Variable 'w:0' shape=() dtype=float32_ref>\"] and loss "
        "Tensor(\"mul:0\", shape=(), dtype=float32).")
    with pytest.raises(ValueError, match=r"^Invalid type tf.int32 for Const_1:0, expected: \[tf.float32, "
                                         r"tf.float64, tf.float16, tf.bfloat16\]\."):
        tf.train.GradientDescentOptimizer(0.1).minimize(tf.constant(1))
    opt = tf.train.GradientDescentOptimizer(0.1)
    with pytest.raises(ValueError, match="No variables provided."):
        opt.apply_gradients([])
    w = tf.global_variables()[0]
    with pytest.raises(ValueError, match=r"No gradients provided for any variable: \[\"<tf.Variable 'w:0'"):
        opt.apply_gradients([(None, w)])
    with pytest.raises(ValueError, match="Must specify the optimizer name"):
        tf.train.GradientDescentOptimizer(0.1, name="")
    assert opt.get_slot(w, "momentum") is None and opt.get_slot_names() == []


def test_print_of_train_op_in_the_walkthrough():
    x = tf.constant([[1], [2], [3], [4]], dtype=tf.float32)
    y_true = tf.constant([[0], [-1], [-2], [-3]], dtype=tf.float32)
    y_pred = tf.layers.Dense(units=1)(x)
    loss = tf.losses.mean_squared_error(labels=y_true, predictions=y_pred)
    train = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
    assert repr(train) == "<tf.Operation 'GradientDescent' type=NoOp>"
    text = str(train)
    assert text.startswith('name: "GradientDescent"\nop: "NoOp"\n')
    assert 'input: "^GradientDescent/update_dense/kernel/ApplyGradientDescent"' in text
    assert 'input: "^GradientDescent/update_dense/bias/ApplyGradientDescent"' in text
    assert tf.Session().run(tf.global_variables_initializer()) is None


# --------------------------------------------------------------------------------------------
# Saver
# --------------------------------------------------------------------------------------------
def small_model(kernel_shape=(3, 2), bias_dtype=tf.float32):
    w = tf.get_variable("w", shape=kernel_shape, initializer=tf.random_normal_initializer())
    b = tf.get_variable("b", shape=[2], dtype=bias_dtype, initializer=tf.ones_initializer())
    step = tf.train.get_or_create_global_step()
    return w, b, step


def test_save_and_restore_into_a_fresh_graph(tmp_path):
    w, b, step = small_model()
    saver = tf.train.Saver()
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    sess.run(step.assign(7))
    w_value = sess.run(w)
    path = saver.save(sess, str(tmp_path / "model.ckpt"), global_step=step)
    assert path == str(tmp_path / "model.ckpt-7")
    assert tf.train.latest_checkpoint(str(tmp_path)) == path
    assert tf.train.checkpoint_exists(path)
    with np.load(path + ".npz", allow_pickle=False) as data:     # plain arrays, no pickle
        assert sorted(data.files) == ["b", "global_step", "w"]
    state = (tmp_path / "checkpoint").read_text()
    assert state == 'model_checkpoint_path: "model.ckpt-7"\nall_model_checkpoint_paths: "model.ckpt-7"\n'

    tf.reset_default_graph()
    w2, b2, step2 = small_model()
    sess2 = tf.Session()
    tf.train.Saver().restore(sess2, tf.train.latest_checkpoint(str(tmp_path)))
    np.testing.assert_array_equal(sess2.run(w2), w_value)
    np.testing.assert_array_equal(sess2.run(b2), [1.0, 1.0])
    assert sess2.run(step2) == 7


def test_max_to_keep_deletes_old_checkpoints(tmp_path):
    v = tf.Variable(0.0, name="v")
    inc = v.assign_add(1.0)
    saver = tf.train.Saver(max_to_keep=2)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    prefix = str(tmp_path / "m")
    for step in range(4):
        sess.run(inc)
        saver.save(sess, prefix, global_step=step)
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "m-2.npz", "m-3.npz"]
    assert saver.last_checkpoints == [prefix + "-2", prefix + "-3"]
    assert (tmp_path / "checkpoint").read_text() == (
        'model_checkpoint_path: "m-3"\nall_model_checkpoint_paths: "m-2"\nall_model_checkpoint_paths: "m-3"\n')
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert state.all_model_checkpoint_paths == [prefix + "-2", prefix + "-3"]
    saver.restore(sess, prefix + "-2")
    assert sess.run(v) == 3.0


def test_save_errors(tmp_path):
    tf.Variable(1.0, name="v")
    with pytest.raises(ValueError, match="No variables to save"):
        tf.train.Saver(var_list=[])
    saver = tf.train.Saver()
    sess = tf.Session()
    with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value v"):
        saver.save(sess, str(tmp_path / "m"))
    sess.run(tf.global_variables_initializer())
    with pytest.raises(ValueError, match="Parent directory of .* doesn't exist, can't save."):
        saver.save(sess, str(tmp_path / "missing" / "m"))
    with pytest.raises(TypeError, match="'sess' must be a Session"):
        saver.save(None, str(tmp_path / "m"))
    assert os.listdir(tmp_path) == []


@pytest.fixture
def saved(tmp_path):
    """A checkpoint of w (3, 2) and b (2,), and a new session holding other values."""
    small_model()
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    path = tf.train.Saver().save(sess, str(tmp_path / "model"))
    return path


def restore_into(path, **model_args):
    """Builds a fresh graph and session, initializes, and tries to restore ``path`` into it."""
    tf.reset_default_graph()
    variables = small_model(**model_args)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    before = sess.run(list(variables))
    error = None
    try:
        tf.train.Saver().restore(sess, path)
    except Exception as e:       # noqa: BLE001 (the test inspects it)
        error = e
    after = sess.run(list(variables))
    for x, y in zip(before, after):
        np.testing.assert_array_equal(x, y)      # an error changes nothing
    return error


def test_restore_missing_file(saved):
    error = restore_into(saved + "-nope")
    assert isinstance(error, tf.errors.NotFoundError)
    assert saved + "-nope" in str(error)


def test_restore_corrupt_or_truncated_file(saved):
    with open(saved + ".npz", "rb") as f:
        data = f.read()
    with open(saved + ".npz", "wb") as f:
        f.write(data[: len(data) // 2])
    error = restore_into(saved)
    assert isinstance(error, tf.errors.DataLossError) and saved + ".npz" in str(error)
    with open(saved + ".npz", "wb") as f:
        f.write(b"not a checkpoint at all")
    assert isinstance(restore_into(saved), tf.errors.DataLossError)


def test_restore_missing_variable(saved):
    tf.reset_default_graph()
    small_model()
    tf.Variable(0.0, name="extra")
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    w_before = sess.run(tf.global_variables()[0])
    with pytest.raises(tf.errors.NotFoundError, match="^Key extra not found in checkpoint"):
        tf.train.Saver().restore(sess, saved)
    np.testing.assert_array_equal(sess.run(tf.global_variables()[0]), w_before)


def test_restore_shape_or_dtype_mismatch(saved):
    error = restore_into(saved, kernel_shape=(4, 2))
    assert isinstance(error, tf.errors.InvalidArgumentError)
    assert "w" in str(error) and "lhs shape= [4,2] rhs shape= [3,2]" in str(error)
    error = restore_into(saved, bias_dtype=tf.float64)
    assert isinstance(error, tf.errors.InvalidArgumentError)
    assert "tensor_name = b; expected dtype float64 does not equal original dtype float32" in str(error)


def test_interrupted_save_never_leaves_a_bad_checkpoint(tmp_path, monkeypatch):
    v = tf.Variable([1.0, 2.0], name="v")
    saver = tf.train.Saver()
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    prefix = str(tmp_path / "m")
    saver.save(sess, prefix)
    sess.run(v.assign([5.0, 6.0]))

    real_savez = np.savez

    def savez_then_crash(file, *args, **kwargs):
        real_savez(file, *args, **kwargs)
        file.seek(0)
        file.truncate(10)                # half-written ...
        raise OSError("disk full")       # ... and then the write fails

    monkeypatch.setattr(np, "savez", savez_then_crash)
    with pytest.raises(OSError, match="disk full"):
        saver.save(sess, prefix)
    with pytest.raises(OSError, match="disk full"):
        saver.save(sess, prefix, global_step=1)
    monkeypatch.undo()
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "m.npz"]      # no temporary files left
    assert tf.train.latest_checkpoint(str(tmp_path)) == prefix
    saver.restore(sess, prefix)
    close(sess.run(v), [1.0, 2.0])                                      # the old, complete checkpoint


def test_saver_with_a_name_map_and_gate_graph(tmp_path):
    v = tf.Variable([1.0, 2.0], name="v")
    train = tf.train.GradientDescentOptimizer(1.0).minimize(
        tf.reduce_sum(v), gate_gradients=tf.train.Optimizer.GATE_GRAPH)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    sess.run(train)
    path = tf.train.Saver({"weights": v}).save(sess, str(tmp_path / "m"))
    tf.reset_default_graph()
    other = tf.Variable([0.0, 0.0], name="other")
    sess = tf.Session()
    tf.train.Saver({"weights": other}).restore(sess, path)
    close(sess.run(other), [0.0, 1.0])
    with pytest.raises(TypeError, match="Variable to save is not a Variable"):
        tf.train.Saver({"x": tf.constant(1.0)})


def test_restore_variables_made_from_one_tensor(tmp_path):
    initial = tf.constant([1.0, 2.0])
    v1, v2 = tf.Variable(initial, name="v1"), tf.Variable(initial, name="v2")   # one initial-value tensor
    saver = tf.train.Saver()
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    sess.run(v2.assign([5.0, 6.0]))
    path = saver.save(sess, str(tmp_path / "m"))
    sess2 = tf.Session()
    saver.restore(sess2, path)
    close(sess2.run(v1), [1.0, 2.0])                   # each variable gets its own value back
    close(sess2.run(v2), [5.0, 6.0])
    sess2.close()
    with pytest.raises(RuntimeError, match="closed Session"):
        saver.restore(sess2, path)
    with pytest.raises(TypeError, match="'sess' must be a Session"):
        saver.restore(None, path)


def test_restore_into_a_session_of_another_graph_changes_nothing(tmp_path):
    tf.Variable([1.0, 2.0], name="v")
    saver = tf.train.Saver()
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    path = saver.save(sess, str(tmp_path / "m"))
    other = tf.Graph()
    with other.as_default():
        tf.Variable([0.0, 0.0], name="v")
    with pytest.raises(ValueError, match="not in the session's graph"):
        saver.restore(tf.Session(graph=other), path)


def test_failed_checkpoint_file_write_deletes_no_old_checkpoint(tmp_path, monkeypatch):
    tf.Variable(0.0, name="v")
    saver = tf.train.Saver(max_to_keep=1)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    prefix = str(tmp_path / "m")
    saver.save(sess, prefix, global_step=0)
    real_write = saver_module._write_atomically

    def fail_on_state_file(path, write, *stale):
        if os.path.basename(path) == "checkpoint":
            raise OSError("disk full")
        real_write(path, write, *stale)

    monkeypatch.setattr(saver_module, "_write_atomically", fail_on_state_file)
    with pytest.raises(OSError, match="disk full"):
        saver.save(sess, prefix, global_step=1)
    monkeypatch.undo()
    assert saver.last_checkpoints == [prefix + "-0"]
    assert tf.train.latest_checkpoint(str(tmp_path)) == prefix + "-0"      # still listed, still there


def test_max_to_keep_none_keeps_and_tracks_nothing(tmp_path):
    tf.Variable(0.0, name="v")
    saver = tf.train.Saver(max_to_keep=None)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    for step in range(3):
        saver.save(sess, str(tmp_path / "m"), global_step=step)
    assert saver.last_checkpoints == []                 # TF1: max_to_keep=None records nothing
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "m-0.npz", "m-1.npz", "m-2.npz"]
    assert (tmp_path / "checkpoint").read_text() == (
        'model_checkpoint_path: "m-2"\nall_model_checkpoint_paths: "m-2"\n')

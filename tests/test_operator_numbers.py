"""`tensor * 2.0` and `2.0 * tensor` take a shortcut (operators._with_number) that builds the ops
directly. It must give exactly the graph the general path gives: same names, types, inputs,
attrs, dtypes, shapes, control inputs and creation lines, and the same errors."""
import numpy as np
import pytest

import tinyflow as tf
from tinyflow.ops import operators


def program():
    """Operators with Python numbers on float and int tensors, in scopes and under control deps."""
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    i = tf.placeholder(tf.int32, [2], name="i")
    d = tf.placeholder(tf.float64, [], name="d")
    out = [x * 2.0, 2.0 * x, x + 1, 1 - x, x / 4, 3 / x, x ** 2, 2 ** x, x // 2.0, x % 3.0,
           i + 1, 5 * i, i - 2, i // 2, i % 3, i / 2, 2 / i, d * 0.5, i * 2**40]
    with tf.name_scope("layer"):
        out += [x * 3.0, 3.0 * x]
    with tf.control_dependencies([out[0]]):
        out += [x - 0.5]
    with tf.get_default_graph().gradient_override_map({"Mul": "Identity"}):
        out += [x * 7.0]
    return out


def describe(graph):
    rows = []
    for op in graph.get_operations():
        attrs = {k: (v.tolist(), str(v.dtype)) if isinstance(v, np.ndarray) else v for k, v in op.attrs.items()}
        rows.append((op.name, op.type, [t.name for t in op.inputs], [c.name for c in op.control_inputs],
                     sorted(attrs.items(), key=str), [(t.dtype, str(t.shape)) for t in op.outputs],
                     [line for _, line, _ in op.traceback]))
    return rows


def build(monkeypatch, shortcut):
    if not shortcut:
        monkeypatch.setattr(operators, "_with_number", lambda *args, **kwargs: None)
    g = tf.Graph()
    with g.as_default():
        out = program()
    monkeypatch.undo()
    return g, out


def test_shortcut_builds_the_same_graph_as_the_general_path(monkeypatch):
    fast, fast_out = build(monkeypatch, shortcut=True)
    slow, slow_out = build(monkeypatch, shortcut=False)
    assert describe(fast) == describe(slow)
    assert [t.name for t in fast_out] == [t.name for t in slow_out]
    names = [t.name for t in fast_out]
    assert names[:3] == ["mul:0", "mul_1:0", "add:0"]
    assert fast.get_operation_by_name("mul/y").attrs["value"].dtype == np.float32
    assert fast.get_operation_by_name("mul_1/x").type == "Const"          # reflected: the number is x
    assert [t.name for t in fast.get_operation_by_name("mul_1").inputs] == ["mul_1/x:0", "x:0"]
    assert fast.get_operation_by_name("layer/mul/y").attrs["value"] == 3.0


def test_shortcut_values_match_numpy():
    x = tf.placeholder(tf.float32, [3])
    i = tf.placeholder(tf.int64, [3])
    with tf.Session() as sess:
        got = sess.run([x * 2.0, 1 - x, 2 ** x, i * 3, 7 // i, i % 2],
                       {x: [1.0, 2.0, 3.0], i: [1, 2, 3]})
    want = [[2, 4, 6], [0, -1, -2], [2, 4, 8], [3, 6, 9], [7, 3, 2], [1, 0, 1]]
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w)
    assert got[3].dtype == np.int64


@pytest.mark.parametrize("expr", ["i + 0.5", "i + 'a'", "b + 1", "s + 1"])
def test_numbers_that_need_the_general_path_still_fail_the_same_way(monkeypatch, expr):
    def errors(shortcut):
        if not shortcut:
            monkeypatch.setattr(operators, "_with_number", lambda *args, **kwargs: None)
        g = tf.Graph()
        with g.as_default():
            env = {"i": tf.placeholder(tf.int32), "b": tf.placeholder(tf.bool), "s": tf.placeholder(tf.string)}
            with pytest.raises((TypeError, ValueError)) as info:
                eval(expr, env)
        monkeypatch.undo()
        return type(info.value), str(info.value)
    assert errors(True) == errors(False)


def test_shortcut_in_a_finalized_graph_raises():
    x = tf.placeholder(tf.float32)
    tf.get_default_graph().finalize()
    with pytest.raises(RuntimeError, match="finalized"):
        x * 2.0

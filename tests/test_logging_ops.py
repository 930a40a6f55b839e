"""Printing and checking while a graph runs: tf.Print, tf.print, tf.Assert, the assert_* family,
check_numerics. Expected output and messages are TensorFlow 2.21 compat.v1's, printed by the same
calls (``disable_v2_behavior()``)."""
import sys

import numpy as np
import pytest

import tinyflow as tf

VALUES = {
    "floats": np.array([0.1, 2.5, -3.0, 1e-8, 1e10, np.nan, np.inf], np.float32),
    "ints 2x3": np.arange(6).reshape(2, 3).astype(np.int32),
    "doubles 2x2": np.array([[1.5, 2.0], [3.0, 4.0]], np.float64),
    "bools": np.array([True, False]),
    "strings": np.array([b"ab", b"c"]),
    "scalar": np.array(3.25, np.float32),
    "2x2x3": np.arange(12).reshape(2, 2, 3),
    "empty": np.array([], np.float32),
    "a third": np.array([1.0 / 3], np.float32),
}
PRINTED = {          # tf.Print(..., [value], "P", summarize=None / 2 / -1)
    "floats": ["P[0.1 2.5 -3...]", "P[0.1 2.5...]", "P[0.1 2.5 -3 1e-08 1e+10 nan inf]"],
    "ints 2x3": ["P[[0 1 2]...]", "P[[0 1...]...]", "P[[0 1 2][3 4 5]]"],
    "doubles 2x2": ["P[[1.5 2][3...]...]", "P[[1.5 2]...]", "P[[1.5 2][3 4]]"],
    "bools": ["P[1 0]"] * 3,
    "strings": ["P[ab c]"] * 3,
    "scalar": ["P[3.25]"] * 3,
    "2x2x3": ["P[[[0 1 2]]...]", "P[[[0 1...]]...]", "P[[[0 1 2][3 4 5]][[6 7 8][9 10 11]]]"],
    "empty": ["P[]"] * 3,
    "a third": ["P[0.333333343]"] * 3,
}


@pytest.mark.parametrize("label", sorted(VALUES))
def test_print_shows_values_as_tensorflow(label, capsys):
    with tf.Session() as sess:
        for summarize, expected in zip([None, 2, -1], PRINTED[label]):
            out = sess.run(tf.Print(tf.constant(5), [tf.constant(VALUES[label])], "P", summarize=summarize))
            assert out == 5
            assert capsys.readouterr().err == expected + "\n"


def test_print_first_n_passes_the_value_and_its_gradient(capsys):
    x = tf.constant([1.0, 2.0])
    p = tf.Print(x, [x, tf.constant(7)], "m: ", first_n=2)
    assert p.op.type == "Print" and p.name == "Print:0" and p.shape.as_list() == [2]
    with tf.Session() as sess:
        for _ in range(3):
            sess.run(p)
        assert sess.run(tf.gradients(tf.reduce_sum(p * 3.0), x)[0]).tolist() == [3.0, 3.0]
    assert capsys.readouterr().err == "m: [1 2][7]\nm: [1 2][7]\n"


def test_tf_print_lays_tensors_out_as_tensorflow(capsys):
    op = tf.print("hello", tf.constant([1, 2]), {"a": 1})
    assert op.type == "PrintV2" and op.name == "PrintV2" and op.inputs[0].name == "StringFormat:0"
    with tf.Session() as sess:
        for value in [VALUES["floats"], VALUES["ints 2x3"], np.arange(10)]:
            sess.run(tf.print(tf.constant(value), output_stream=sys.stdout))
            sess.run(tf.print("x:", tf.constant(value), summarize=2, sep="|", output_stream=sys.stdout))
        sess.run(op)
    out = capsys.readouterr()
    assert out.out == ("[0.1 2.5 -3 ... 1e+10 nan inf]\nx:|[0.1 2.5 ... nan inf]\n[[0 1 2]\n [3 4 5]]\n"
                       "x:|[[0 1 2]\n [3 4 5]]\n[0 1 2 ... 7 8 9]\nx:|[0 1 ... 8 9]\n")
    assert out.err == "hello [1 2] {'a': 1}\n"
    with pytest.raises(ValueError, match="Unsupported output stream"):
        tf.print("x", output_stream=42)


def test_assert_fails_the_run_with_its_data():
    a = tf.placeholder(tf.float32)
    check = tf.Assert(tf.reduce_all(a > 0), [a, tf.constant(3), "text"], summarize=2)
    # TF 2.21 compat.v1: float data, so the Assert sits in the false branch of a cond, AssertGuard
    assert (check.name, check.type) == ("Assert/AssertGuard/Merge", "Merge")
    inner = tf.get_default_graph().get_operation_by_name("Assert/AssertGuard/Assert")
    assert [t.name for t in inner.inputs] == ["Assert/AssertGuard/Assert/Switch:0",
                                              "Assert/AssertGuard/Assert/Switch_1:0",
                                              "Assert/AssertGuard/Assert/Switch_2:0",
                                              "Assert/AssertGuard/Assert/data_2:0"]
    plain = tf.Assert(tf.reduce_all(a > 0), ["only strings", tf.constant(3)])        # strings and int32: no guard
    assert (plain.name, plain.type) == ("Assert_1/Assert", "Assert")
    with tf.Session() as sess:
        sess.run(check, {a: [1.0, 2.0]})
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"^assertion failed: \[1 -1\.\.\.\] \[3\] \[text\]"):
            sess.run(check, {a: [1.0, -1.0, 5.0]})
    with pytest.raises(TypeError, match="Assert's condition must be a bool tensor"):
        tf.Assert(a, ["x"])


RUN_TIME = [   # (function, args, fed value, first line of the failed run)
    (tf.assert_equal, (1.0,), {"message": "custom"}, [1.0, 2.0],
     "assertion failed: [custom] [Condition x == y did not hold element-wise:] [x (Placeholder:0) = ] [1 2] "
     "[y (assert_equal/y:0) = ] [1]"),
    (tf.assert_positive, (), {}, [0.0, 3.0, -2.0],
     "assertion failed: [] [Condition x > 0 did not hold element-wise:] [x (Placeholder:0) = ] [0 3 -2]"),
    (tf.assert_non_negative, (), {}, [0.0, 3.0, -2.0],
     "assertion failed: [] [Condition x >= 0 did not hold element-wise:] [x (Placeholder:0) = ] [0 3 -2]"),
    (tf.assert_negative, (), {}, [0.0, 3.0, -2.0],
     "assertion failed: [] [Condition x < 0 did not hold element-wise:] [x (Placeholder:0) = ] [0 3 -2]"),
    (tf.assert_non_positive, (), {}, [0.0, 3.0, -2.0],
     "assertion failed: [] [Condition x <= 0 did not hold element-wise:x (Placeholder:0) = ] [0 3 -2]"),
    (tf.assert_less, (1.0,), {}, [0.0, 3.0, 1.0],
     "assertion failed: [Condition x < y did not hold element-wise:] [x (Placeholder:0) = ] [0 3 1] "
     "[y (assert_less/y:0) = ] [1]"),
    (tf.assert_greater_equal, (1.0,), {}, [0.0, 3.0, 1.0],
     "assertion failed: [Condition x >= y did not hold element-wise:] [x (Placeholder:0) = ] [0 3 1] "
     "[y (assert_greater_equal/y:0) = ] [1]"),
    (tf.assert_none_equal, (1.0,), {}, [0.0, 3.0, 1.0],
     "assertion failed: [Condition x != y did not hold element-wise:] [x (Placeholder:0) = ] [0 3 1] "
     "[y (assert_none_equal/y:0) = ] [1]"),
    (tf.assert_rank, (2,), {}, [1.0],
     "assertion failed: [] [Tensor Placeholder:0 must have rank] [2] [Received shape: ] [1]"),
]


@pytest.mark.parametrize("fn, args, kwargs, fed, first_line", RUN_TIME, ids=[case[0].__name__ for case in RUN_TIME])
def test_assert_family_at_run_time(fn, args, kwargs, fed, first_line):
    a = tf.placeholder(tf.float32)
    check = fn(a, *args, **kwargs)
    with tf.control_dependencies([check]):
        y = tf.identity(a)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError) as info:
            sess.run(y, {a: fed})
    assert info.value.message.splitlines()[0] == first_line


def test_assert_family_with_constants_checks_at_once():
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.assert_equal(tf.constant(1), tf.constant(2))
    assert info.value.message.splitlines() == ["Condition x == y did not hold element-wise:", "x (Const:0) = ", "1",
                                               "y (Const_1:0) = ", "2"]
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Condition x > 0 did not hold element-wise:\n"
                                                              r"x \(Const_2:0\) = \n\[ 1 -1\]"):
        tf.assert_positive(tf.constant([1, -1]))
    assert tf.assert_positive(tf.constant([1, 2])).type == "Assert"        # TF: still the Assert op
    with pytest.raises(ValueError, match=r"Tensor Const_4:0 must have rank 2.  Received rank 1, shape \(2,\)"):
        tf.assert_rank(tf.constant([1, 2]), 2)
    with pytest.raises(TypeError, match="Const_5:0 must be of type tf.float32; got tf.int32"):
        tf.assert_type(tf.constant(1), tf.float32)
    assert tf.assert_type(tf.constant(1.0), tf.float32).name == "assert_type_1/statically_determined_correct_type"
    assert tf.debugging.assert_equal is tf.assert_equal and tf.debugging.Assert is tf.Assert


def test_check_numerics_and_verify_tensor_all_finite():
    a = tf.placeholder(tf.float32)
    checked = tf.check_numerics(a, "bad!")
    verified = tf.verify_tensor_all_finite(a, "vt")
    assert checked.op.type == "CheckNumerics" and verified.name == "VerifyFinite/control_dependency:0"
    with tf.Session() as sess:
        assert sess.run(checked, {a: [1.0]}).tolist() == [1.0]
        for fetch, fed, first in [(checked, [1.0, np.nan], "bad! : Tensor had NaN values"),
                                  (checked, [np.inf], "bad! : Tensor had Inf values"),
                                  (verified, [np.inf], "vt : Tensor had Inf values")]:
            with pytest.raises(tf.errors.InvalidArgumentError) as info:
                sess.run(fetch, {a: fed})
            assert info.value.message.splitlines()[0] == first


def test_tf_print_of_variables_and_structures(capsys):
    x, t = tf.constant(3.5), tf.constant([1, 2])
    v = tf.Variable([1, 2], name="pv")
    with tf.Session() as sess:
        sess.run(v.initializer)
        for args in [(v,), ({"a": x, "b": [t, "z"]},), ([x, x],), (tf.constant(["ab", 'c"d']),),
                     (tf.constant("hello"),), ("plain", "a{}b"), ((x, "q"),)]:
            sess.run(tf.print(*args, output_stream=sys.stdout))
        sess.run(tf.print(tf.range(10), summarize=None, output_stream=sys.stdout))
    # TF 2.21 compat.v1 prints exactly this
    assert capsys.readouterr().out == ('[1 2]\n{\'a\': 3.5, \'b\': [[1 2], \'z\']}\n[3.5, 3.5]\n["ab" "c\\"d"]\nhello\n'
                                       'plain a{}b\n(3.5, \'q\')\n[0 1 2 ... 7 8 9]\n')
    op = tf.print(x, name="myprint")
    assert (op.name, op.inputs[0].name) == ("myprint", "myprint_format:0")


def test_assert_messages_with_data_and_message():
    a = tf.placeholder(tf.float32)
    cases = [(tf.assert_equal(a, 1.0, data=["x is", a], message="custom"), [1.0, 2.0],
              "assertion failed: [custom] [x is] [1 2]"),
             (tf.assert_positive(a, message="pos"), [-1.0],
              "assertion failed: [pos.  ] [Condition x > 0 did not hold element-wise:] [x (Placeholder:0) = ] [-1]"),
             (tf.assert_positive(a, data=["d", a], message="pos"), [-1.0], "assertion failed: [d] [-1]"),
             (tf.check_numerics(a, "m"), [np.nan, np.inf], "m : Tensor had Inf and NaN values")]
    with tf.Session() as sess:
        for op, fed, first in cases:                 # TF 2.21 compat.v1: the same first lines
            with pytest.raises(tf.errors.InvalidArgumentError) as info:
                sess.run(op, {a: fed})
            assert info.value.message.splitlines()[0] == first
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.assert_equal(tf.constant(5), tf.constant(4), data=["d", tf.constant(5)], message="m")
    assert info.value.message == "m\nd\n5"

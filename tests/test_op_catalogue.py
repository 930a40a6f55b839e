"""Runs every ``Case`` of the op catalogue (catalogue_math.py, catalogue_array.py) through three
checks, for each of its input-shape variants:

* forward: the value computed by a Session equals the numpy reference (and has its dtype);
* static shape: the shape known while building is compatible with the result (fully defined
  when the inputs' shapes are), and the op also builds and runs from placeholders of shape
  ``[None] * rank``, giving the same value and the same gradients;
* gradient: ``tf.test.compute_gradient_error`` (theoretical vs numerical Jacobian) is below
  the case's tolerance, for each floating-point input.
"""
from __future__ import annotations

import importlib
import zlib

import numpy as np
import pytest

import tinyflow as tf
from op_catalogue import check_gradients

MODULES = ["catalogue_math", "catalogue_array"]
CASES = [case for module in MODULES for case in importlib.import_module(module).CASES]


def _shape_id(shapes) -> str:
    return "&".join("x".join(map(str, s)) if s else "scalar" for s in shapes)


def _params(cases):
    return [pytest.param(case, tuple(shapes), id="%s-%s" % (case.name, _shape_id(shapes)))
            for case in cases for shapes in case.shapes]


ALL = _params(CASES)
WITH_GRAD = _params([c for c in CASES if c.grad])


def _inputs(case, shapes) -> list:
    """The case's input arrays for these shapes, from a seed fixed by the case and shapes."""
    rng = np.random.RandomState(zlib.crc32(("%s %s" % (case.name, shapes)).encode()))
    return [np.asarray(a) for a in case.make_inputs(rng, list(shapes))]


def _build(case, arrays, shapes, unknown_dims: bool = False):
    """A new graph with one placeholder per input; returns (graph, placeholders, output)."""
    g = tf.Graph()
    with g.as_default():
        phs = [tf.placeholder(tf.as_dtype(a.dtype), [None] * len(s) if unknown_dims else list(s))
               for a, s in zip(arrays, shapes)]
        out = case.build(*phs)
    return g, phs, out


def _run(g, fetches, phs, arrays):
    with tf.Session(graph=g) as sess:
        return sess.run(fetches, dict(zip(phs, arrays)))


def _assert_matches(got, expected, what: str) -> None:
    got, expected = np.asarray(got), np.asarray(expected)
    assert got.shape == expected.shape, "%s: shape %s, numpy says %s" % (what, got.shape, expected.shape)
    assert got.dtype == expected.dtype, "%s: dtype %s, numpy says %s" % (what, got.dtype, expected.dtype)
    if expected.dtype.kind in "fc":
        rtol = 1e-6 if expected.dtype == np.float64 else 1e-5
        np.testing.assert_allclose(got, expected, rtol=rtol, atol=1e-12, err_msg=what)
    else:
        np.testing.assert_array_equal(got, expected, err_msg=what)


def _differentiable(case, arrays) -> "list[int]":
    if case.grad_inputs is not None:
        return list(case.grad_inputs)
    return [i for i, a in enumerate(arrays) if a.dtype.kind == "f"]


@pytest.mark.parametrize("case,shapes", ALL)
def test_forward(case, shapes):
    arrays = _inputs(case, shapes)
    g, phs, out = _build(case, arrays, shapes)
    _assert_matches(_run(g, out, phs, arrays), case.reference(*arrays), case.name)


@pytest.mark.parametrize("case,shapes", ALL)
def test_static_shape(case, shapes):
    arrays = _inputs(case, shapes)
    expected = np.asarray(case.reference(*arrays))
    g, phs, out = _build(case, arrays, shapes)
    assert out.shape.is_compatible_with(expected.shape), \
        "static shape %s, but the result has shape %s" % (out.shape, expected.shape)
    if case.static_shape == "full":
        assert out.shape.is_fully_defined(), "inputs of known shape %s gave %s" % (list(shapes), out.shape)
    if case.unknown_dims == "skip":
        return

    # The same op from placeholders whose dimensions are all unknown.
    g2, phs2, out2 = _build(case, arrays, shapes, unknown_dims=True)
    assert out2.shape.is_compatible_with(expected.shape)
    if case.unknown_dims == "rank":
        assert out2.shape.ndims == expected.ndim, "the rank should stay known, got %s" % out2.shape
    _assert_matches(_run(g2, out2, phs2, arrays), expected, case.name + " (unknown dims)")

    # The gradient graph built without static shapes must give the same gradients.
    diff = _differentiable(case, arrays) if case.grad else []
    if diff and out.dtype.is_floating:
        with g.as_default():
            grads = tf.gradients(out, [phs[i] for i in diff])
        with g2.as_default():
            grads2 = tf.gradients(out2, [phs2[i] for i in diff])
        for i, a, b in zip(diff, _run(g, grads, phs, arrays), _run(g2, grads2, phs2, arrays)):
            np.testing.assert_allclose(b, a, rtol=1e-6, atol=1e-12,
                                       err_msg="gradient of input %d with unknown dims" % i)


@pytest.mark.parametrize("case,shapes", WITH_GRAD)
def test_gradient(case, shapes):
    arrays = _inputs(case, shapes)
    diff = _differentiable(case, arrays)
    assert diff, "grad=True but no floating-point input"
    check_gradients(case.build, *arrays, tol=case.tolerance, delta=1e-3, inputs=diff)

"""``tf.test``: checking gradients numerically (``compute_gradient``, ``compute_gradient_error``).

A gradient rule is easy to get wrong, and easy to check: compare the Jacobian that
``tf.gradients`` builds (the *theoretical* one) with one measured by nudging each input
(the *numerical* one)::

    x = tf.placeholder(tf.float64, [3])
    y = tf.sin(x) * x
    with tf.Session():
        err = tf.test.compute_gradient_error(x, [3], y, [3])
    assert err < 1e-4

Both Jacobians have one row per element of x and one column per element of y:
``J[i, j] = d y_j / d x_i``.

* Theoretical: ``tf.gradients(y, x, grad_ys=dy)`` gives ``sum_j dy_j * d y_j / d x``. With
  ``dy`` one-hot at j (a 1 at position j, 0 elsewhere) that is column j. One run per column.
* Numerical (central differences): row i is ``(y(x + delta e_i) - y(x - delta e_i)) / (2 delta)``,
  where ``e_i`` is one-hot at i. Two runs per row. The error of this estimate shrinks like
  ``delta**2``, so use float64 to keep rounding errors small.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .not_provided import module_getattr
from .framework import Tensor, get_default_session
from .gradients import gradients
from .ops.array_ops import identity
from .ops.constant_op import constant
from .session import Session

__all__ = ["compute_gradient", "compute_gradient_error", "is_gpu_available", "is_built_with_cuda",
           "gpu_device_name"]


def _element_count(shape: Any) -> int:
    return int(np.prod(shape, dtype=np.int64))


def _feeds(extra: "dict | None", feeds: dict) -> dict:
    result = dict(extra or {})
    result.update(feeds)
    return result


def _dx_and_dy(x: Tensor, y: Tensor, y_shape: Any):
    """Builds ``dx = tf.gradients(y, x, grad_ys=dy)`` with ``dy`` a tensor we can feed."""
    with x.graph.as_default():
        dy_orig = constant(1.0, shape=list(y_shape), dtype=y.dtype.base_dtype)
        dy = identity(dy_orig)               # feeding dy_orig reaches dx through this
        (dx,) = gradients(y, x, dy)
    return dx, dy_orig


def _theoretical_jacobian(sess, x, x_data, dx, dy, y_shape, extra_feed_dict) -> np.ndarray:
    """Column j: the gradient of x when the upstream gradient is one-hot at output element j."""
    x_size, y_size = x_data.size, _element_count(y_shape)
    jacobian = np.zeros((x_size, y_size), dtype=x.dtype.base_dtype.as_numpy_dtype)
    if dx is None:                            # y does not depend on x
        return jacobian
    dy_data = np.zeros(y_shape, dtype=dy.dtype.base_dtype.as_numpy_dtype)
    dy_flat = dy_data.reshape(-1)             # a view: writing it changes dy_data
    for col in range(y_size):
        dy_flat[col] = 1
        backprop = np.asarray(sess.run(dx, _feeds(extra_feed_dict, {x: x_data, dy: dy_data})))
        if backprop.shape != x_data.shape:
            raise ValueError("Empty gradient has wrong shape: x_data = %s, backprop = %s"
                             % (x_data.shape, backprop.shape))
        jacobian[:, col] = backprop.ravel()
        dy_flat[col] = 0
    return jacobian


def _numerical_jacobian(sess, x, x_data, y, y_shape, delta, extra_feed_dict) -> np.ndarray:
    """Row i: how y changes when element i of x moves by +-delta (central differences)."""
    x_size, y_size = x_data.size, _element_count(y_shape)
    jacobian = np.zeros((x_size, y_size), dtype=x.dtype.base_dtype.as_numpy_dtype)
    scale = np.asarray(2 * delta, dtype=y.dtype.base_dtype.as_numpy_dtype)
    for row in range(x_size):
        x_pos, x_neg = x_data.copy(), x_data.copy()
        x_pos.reshape(-1)[row] += delta
        x_neg.reshape(-1)[row] -= delta
        y_pos = np.asarray(sess.run(y, _feeds(extra_feed_dict, {x: x_pos})))
        y_neg = np.asarray(sess.run(y, _feeds(extra_feed_dict, {x: x_neg})))
        jacobian[row, :] = ((y_pos - y_neg) / scale).ravel()
    return jacobian


def _one_gradient(sess, x, x_shape, dx, y, y_shape, dy, x_init_value, delta, extra_feed_dict):
    for t, what in ((x, "x"), (y, "y")):
        if not t.dtype.base_dtype.is_floating:
            raise TypeError("Don't support type %s for %s (the gradient check needs floating-point "
                            "tensors; float64 gives the most accurate numerical gradient)."
                            % (t.dtype.base_dtype.name, what))
    if x_init_value is not None:
        x_data = np.asarray(x_init_value, dtype=x.dtype.base_dtype.as_numpy_dtype)
        if list(x_data.shape) != list(x_shape):
            raise ValueError("x_shape = %s, init_data shape = %s" % (list(x_shape), list(x_data.shape)))
    else:
        x_data = np.random.random_sample(x_shape).astype(x.dtype.base_dtype.as_numpy_dtype)
    x_data = np.array(x_data)                 # our own, writable copy
    jacob_t = _theoretical_jacobian(sess, x, x_data, dx, dy, y_shape, extra_feed_dict)
    jacob_n = _numerical_jacobian(sess, x, x_data, y, y_shape, delta, extra_feed_dict)
    return jacob_t, jacob_n


def compute_gradient(x: Any, x_shape: Any, y: Tensor, y_shape: Any, x_init_value: Any = None,
                     delta: float = 1e-3, init_targets: Any = None, extra_feed_dict: "dict | None" = None):
    """The theoretical and the numerical Jacobian of ``y`` with respect to ``x``.

    Args:
        x: a tensor (usually a placeholder; it is fed), or a list of tensors.
        x_shape: the shape of x (a list of shapes if x is a list).
        y: the output tensor; y_shape its shape.
        x_init_value: the point where the Jacobian is evaluated (default: random in [0, 1)).
        delta: the step of the central differences.
        init_targets: ops to run first (e.g. variable initializers).
        extra_feed_dict: values for other placeholders y needs.

    Returns:
        ``(jacobian_theoretical, jacobian_numerical)``, each of shape
        ``(x.size, y.size)``; a list of such pairs if x is a list.

    Runs in the default session (``with tf.Session():``), or in a new session on x's graph.
    """
    sess = get_default_session()
    xs = x if isinstance(x, list) else [x]
    own = sess is None or sess.graph is not xs[0].graph
    if own:
        sess = Session(graph=xs[0].graph)
    try:
        if isinstance(x, list):
            x_inits = x_init_value if x_init_value is not None else [None] * len(x)
            dxdy = [_dx_and_dy(xi, y, y_shape) for xi in x]
            for op in init_targets or ():
                sess.run(op)
            return [_one_gradient(sess, xi, shape_i, dx, y, y_shape, dy, init_i, delta, extra_feed_dict)
                    for xi, shape_i, (dx, dy), init_i in zip(x, x_shape, dxdy, x_inits)]
        for op in init_targets or ():
            sess.run(op)
        dx, dy = _dx_and_dy(x, y, y_shape)
        return _one_gradient(sess, x, x_shape, dx, y, y_shape, dy, x_init_value, delta, extra_feed_dict)
    finally:
        if own:
            sess.close()


def compute_gradient_error(x: Any, x_shape: Any, y: Tensor, y_shape: Any, x_init_value: Any = None,
                           delta: float = 1e-3, init_targets: Any = None,
                           extra_feed_dict: "dict | None" = None) -> float:
    """The largest absolute difference between the theoretical and the numerical Jacobian.

    Same arguments as :func:`compute_gradient`. A correct gradient rule gives a tiny number
    (about 1e-8 to 1e-5 in float64); a wrong one gives something of the order of the gradient.
    """
    grads = compute_gradient(x, x_shape, y, y_shape, x_init_value, delta, init_targets, extra_feed_dict)
    if isinstance(grads, tuple):
        grads = [grads]
    error = 0.0
    for jacob_t, jacob_n in grads:
        if jacob_t.size or jacob_n.size:       # an empty Jacobian has no error
            error = max(error, float(np.fabs(jacob_t - jacob_n).max()))
    return error


def is_gpu_available(cuda_only: bool = False, min_cuda_compute_capability: Any = None) -> bool:
    """tinyflow runs on numpy: there is never a GPU."""
    return False


def is_built_with_cuda() -> bool:
    return False


def gpu_device_name() -> str:
    return ""


def __dir__() -> "list[str]":
    """``dir(tf.test)`` lists TensorFlow's names only (``__all__``)."""
    return list(__all__)


__getattr__ = module_getattr("tinyflow.test", "test", globals())
"""A TensorFlow name of ``tf.test`` that tinyflow leaves out says so (``not_provided.py``)."""

"""The declarative op catalogue: one ``Case`` per op (and variant) drives the forward test
against numpy, the numerical gradient check and the static-shape check in test_op_catalogue.py.

Catalogue entries live in ``catalogue_math.py`` and ``catalogue_array.py`` as ``CASES`` lists.
:func:`check_gradients` is the one numerical gradient check of the test suite.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np

import tinyflow as tf


@dataclass
class Case:
    name: str                               # test id, e.g. "add" or "add/broadcast"
    build: Callable                         # tinyflow function of the input tensors -> Tensor
    reference: Callable                     # numpy function of the input arrays -> ndarray
    shapes: list                            # variants: each a tuple of input shapes
    grad: bool = True                       # check gradients numerically w.r.t. float inputs
    low: float = -2.0                       # inputs drawn uniformly from [low, high)
    high: float = 2.0
    dtype: str = "float64"                  # float64 keeps finite differences accurate
    inputs: Optional[Callable] = None       # fn(rng, shapes) -> list of arrays (special domains)
    grad_inputs: Optional[list] = None      # indices of inputs to differentiate (default: all float)
    tolerance: float = 1e-4                 # max abs error of the numerical gradient
    extra: dict = field(default_factory=dict)
    # What the static-shape check may expect (test_op_catalogue.test_static_shape):
    static_shape: str = "full"              # with known input shapes the output shape is: "full" =
    #                                         fully defined; "partial" = data-dependent (tf.where(c))
    unknown_dims: str = "rank"              # built from [None]*rank placeholders: "rank" = rank stays
    #                                         known; "any" = may lose it (squeeze); "skip" = the op
    #                                         needs static dims (unstack without num=)

    def make_inputs(self, rng: np.random.RandomState, shapes: tuple) -> list:
        if self.inputs is not None:
            return self.inputs(rng, shapes)
        return [rng.uniform(self.low, self.high, size=s).astype(self.dtype) for s in shapes]


def check_gradients(fn: Callable, *arrays: np.ndarray, tol: float = 1e-6, delta: float = 1e-6,
                    inputs: "Optional[list]" = None) -> None:
    """Asserts that the Jacobian of ``fn`` that tf.gradients builds matches central differences
    (``tf.test.compute_gradient_error``), for each input in ``inputs`` (default: every float input).
    The inputs are fed through placeholders of their shapes; the others (class labels, masks) are
    just fed."""
    with tf.Graph().as_default():
        phs = [tf.placeholder(tf.as_dtype(a.dtype), a.shape) for a in arrays]
        y = fn(*phs)
        feed = dict(zip(phs, arrays))
        with tf.Session() as sess:
            y_shape = np.shape(sess.run(y, feed))
            for i in ([j for j, a in enumerate(arrays) if a.dtype.kind == "f"] if inputs is None else inputs):
                others = {p: a for j, (p, a) in enumerate(zip(phs, arrays)) if j != i}
                error = tf.test.compute_gradient_error(phs[i], arrays[i].shape, y, y_shape, x_init_value=arrays[i],
                                                       delta=delta, extra_feed_dict=others)
                assert error < tol, "input %d: max |theoretical - numerical| = %g" % (i, error)

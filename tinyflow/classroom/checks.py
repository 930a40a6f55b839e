"""Self-checks for the classroom exercises (``exercises/``, student versions in ``lessons/exercises/``).

Each exercise notebook ends its tasks with a visible *check cell* that calls one helper from
this module with the learner's own objects: fetched values, tensors, a session, functions::

    from tinyflow import checks
    checks.fetch_structures(fetches, values)      # prints "✓ ..." or raises CheckFailed

A helper runs the learner's graph or code itself, compares with what TensorFlow 1.x would do,
and either prints a one-line verdict starting with "✓", or raises :class:`CheckFailed` (an
``AssertionError``) whose message is a *hint*: it names what is wrong and points toward the
idea, without giving the answer away. Everything runs offline; nothing is graded or sent.

Where a check needs a reference answer (the softsign function, the momentum update) it computes
it here, so reading this module *does* reveal those answers: try the exercise first.
"""
from __future__ import annotations

import itertools
import numbers
from typing import Any, Callable

import numpy as np

from .. import dtypes, errors, train
from ..datasets import load_iris
from ..framework import Graph, GraphKeys, Operation, Tensor
from ..gradients import gradients
from ..op_registry import RegisterGradient, has_gradient
from ..ops import array_ops, constant_op, reduction_ops
from ..ops.script_ops import py_func
from ..rnn import dynamic_rnn
from ..rnn_cell import LayerRNNCell, RNNCell
from ..session import Session
from ..tensor_shape import TensorShape
from ..test import compute_gradient
from ..variables import Variable, global_variables_initializer

__all__ = [
    "CheckFailed", "fetch_structures", "single_run", "dataset_pipeline", "full_epoch", "softsign_forward",
    "registered_gradient", "fresh_name", "gradient_override", "training_loop", "momentum",
    "feature_columns", "iris_split", "iris_accuracy", "exp_series", "rnn_cell",
]


class CheckFailed(AssertionError):
    """A self-check found a problem. The message is a hint toward the fix."""

    def _render_traceback_(self) -> "list[str]":
        """How IPython (Jupyter) shows the failure: the hint alone, without a traceback into this
        module (the check cell is one line, and the lines here are not what needs fixing)."""
        return ("\x1b[0;31mCheckFailed\x1b[0m: " + str(self)).splitlines()


def _fail(hint: str) -> "CheckFailed":
    return CheckFailed(hint)


def _ok(verdict: str) -> None:
    print("\u2713 " + verdict)


def _fmt(values: Any) -> str:
    """Short, stable text for a few numbers: ``[0.5, -1.25]``."""
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim == 0:
        return "%.4g" % arr
    return "[" + ", ".join("%.4g" % v for v in arr.ravel()) + "]"


def _paths_and_leaves(structure: Any, path: str = ""):
    """``(path, leaf)`` pairs of a nested dict/list/tuple, in order."""
    if isinstance(structure, dict):
        for key in structure:
            yield from _paths_and_leaves(structure[key], "%s[%r]" % (path, key))
    elif isinstance(structure, (list, tuple)):
        for i, item in enumerate(structure):
            yield from _paths_and_leaves(item, "%s[%d]" % (path, i))
    else:
        yield path, structure


# --------------------------------------------------------------------------------------------
# ex01: graphs and fetch structures
# --------------------------------------------------------------------------------------------
def fetch_structures(fetches: Any, values: Any) -> None:
    """Checks ``values = sess.run(fetches)`` for ``fetches = {'inputs': (a, b), 'outputs': [total, product]}``
    with ``a = 3.0``, ``b = 4.5``, ``total = a + b`` and ``product = a * b`` computed by the graph."""
    __tracebackhide__ = True
    if not isinstance(fetches, dict):
        raise _fail("fetches is a %s; make it a dict with the keys 'inputs' and 'outputs'." % type(fetches).__name__)
    if sorted(fetches) != ["inputs", "outputs"]:
        raise _fail("fetches has the keys %s; it should have exactly 'inputs' and 'outputs'." % sorted(fetches))
    for path, leaf in _paths_and_leaves(fetches, "fetches"):
        if not isinstance(leaf, Tensor):
            raise _fail("%s is a %s, not a tensor. fetches says *what to compute*: put the graph's tensors "
                        "in it and let sess.run turn them into numbers." % (path, type(leaf).__name__))
    if not isinstance(fetches["inputs"], tuple) or len(fetches["inputs"]) != 2:
        raise _fail("fetches['inputs'] should be the tuple (a, b). sess.run hands back the same kind of "
                    "container you give it, so the container type matters here.")
    if not isinstance(fetches["outputs"], list) or len(fetches["outputs"]) != 2:
        raise _fail("fetches['outputs'] should be the list [total, product].")
    for name, t in zip(("total", "product"), fetches["outputs"]):
        if t.op.type == "Const":
            raise _fail("%s is a constant (op %r): compute it in the graph from a and b, so that it would "
                        "follow if a or b changed." % (name, t.op.name))
    if any(isinstance(leaf, (Tensor, Operation)) for _, leaf in _paths_and_leaves(values)):
        raise _fail("values still holds tensors: it should be what sess.run(fetches) returns.")
    if not isinstance(values, dict) or sorted(values) != ["inputs", "outputs"]:
        raise _fail("values does not have the structure of fetches (a dict with 'inputs' and 'outputs'): "
                    "did you run fetches itself, in a single sess.run call?")
    if type(values["inputs"]) is not tuple or type(values["outputs"]) is not list:
        raise _fail("values['inputs'] should come back as a tuple and values['outputs'] as a list, like in "
                    "fetches: did you rebuild the containers by hand instead of running fetches?")
    got_in = [float(np.asarray(v)) for v in values["inputs"]]
    got_out = [float(np.asarray(v)) for v in values["outputs"]]
    if not np.allclose(got_in, [3.0, 4.5]):
        raise _fail("values['inputs'] is %s; expected the values of a and b, (3.0, 4.5)." % _fmt(got_in))
    if np.allclose(got_out, [13.5, 7.5]):
        raise _fail("values['outputs'] is %s: total and product are swapped (the list keeps your order)."
                    % _fmt(got_out))
    if not np.allclose(got_out, [7.5, 13.5]):
        raise _fail("values['outputs'] is %s; expected [total, product] with total = a + b and "
                    "product = a * b." % _fmt(got_out))
    _ok("sess.run kept your structure: {'inputs': (3.0, 4.5), 'outputs': [7.5, 13.5]}")


def single_run(pair: Any) -> None:
    """Checks ``pair``: the values of ``out1 = vec + 1`` and ``out2 = vec + 2`` from *one* draw of ``vec``."""
    __tracebackhide__ = True
    if isinstance(pair, Tensor) or any(isinstance(v, Tensor) for _, v in _paths_and_leaves(pair)):
        raise _fail("pair holds tensors: it should hold the values sess.run returns.")
    if not isinstance(pair, (tuple, list)) or len(pair) != 2:
        raise _fail("pair should be the two values (out1, out2), e.g. a tuple of two arrays.")
    out1, out2 = (np.asarray(v, dtype=np.float64) for v in pair)
    if out1.shape != out2.shape or out1.shape != (3,):
        raise _fail("out1 and out2 should each be 3 numbers; got shapes %s and %s." % (out1.shape, out2.shape))
    diff = out2 - out1
    if not np.allclose(diff, 1.0, atol=1e-5):
        raise _fail("out2 - out1 is %s, not 1 everywhere: the two values come from different draws of vec. "
                    "Each sess.run call draws new random numbers; within one call every tensor has one "
                    "value." % _fmt(diff))
    _ok("out2 - out1 == 1 everywhere: both values come from the same run.")


# --------------------------------------------------------------------------------------------
# ex02: datasets fed through placeholders
# --------------------------------------------------------------------------------------------
def _check_data(seed: int, rows: int, width: int) -> "tuple[np.ndarray, np.ndarray]":
    rng = np.random.RandomState(seed)
    features = rng.uniform(-1.0, 1.0, size=(rows, width)).astype(np.float32)
    labels = (np.arange(rows) + 100 * seed).astype(np.int32)
    return features, labels


def dataset_pipeline(features_ph: Any, labels_ph: Any, iterator: Any, next_batch: Any, batch_size: int = 4) -> None:
    """Feeds new data of its own through the learner's placeholders, twice, and reads every batch."""
    __tracebackhide__ = True
    for name, ph in (("features_ph", features_ph), ("labels_ph", labels_ph)):
        if not isinstance(ph, Tensor):
            raise _fail("%s is a %s, not a tensor: make it a tf.placeholder, the slot that is filled when "
                        "you initialize the iterator." % (name, type(ph).__name__))
        if ph.op.type != "Placeholder":
            raise _fail("%s comes from a %s op, not a placeholder. Data passed straight to "
                        "from_tensor_slices is baked into the graph; a placeholder lets you choose the data "
                        "each time you initialize the iterator." % (name, ph.op.type))
    if not hasattr(iterator, "get_next"):
        raise _fail("iterator is a %s; make it from your dataset (it has get_next())." % type(iterator).__name__)
    try:
        init = iterator.initializer
    except ValueError:
        raise _fail("this iterator cannot be (re)started with new data: a one-shot iterator starts by itself "
                    "and cannot be initialized. Which kind of iterator has an initializer?") from None
    if not (isinstance(next_batch, tuple) and len(next_batch) == 2
            and all(isinstance(t, Tensor) for t in next_batch)):
        raise _fail("next_batch should be a pair of tensors (features, labels), as iterator.get_next() returns "
                    "for a dataset of (features, labels) pairs.")
    if next_batch[0].dtype.base_dtype.is_integer and next_batch[1].dtype.base_dtype.is_floating:
        raise _fail("next_batch looks like (labels, features): make the pairs (features, labels), features first.")
    width = features_ph.shape[-1].value if features_ph.shape.ndims else None
    if width is None:
        raise _fail("features_ph should have a known number of columns (shape [None, 3]).")
    sess = Session(graph=features_ph.graph)
    report = []
    try:
        for seed, rows in ((1, 7), (2, 5)):
            feats, labels = _check_data(seed, rows, width)
            try:
                sess.run(init, {features_ph: feats, labels_ph: labels})
            except ValueError as e:
                if "Cannot feed value of shape" not in str(e):
                    raise
                raise _fail("the check could not feed %d rows: %s\nLeave the number of rows open (None) in the "
                            "placeholders' shapes, so that any amount of data can be fed." % (rows, e)) from None
            except errors.InvalidArgumentError as e:
                raise _fail("initializing the iterator with features_ph and labels_ph fed failed:\n  %s\n"
                            "The dataset should be built from exactly these two placeholders."
                            % str(e).splitlines()[0]) from None
            got_f, got_l, sizes = [], [], []
            for _ in range(rows + 2):          # more would mean the data repeats
                try:
                    f, lab = sess.run(next_batch)
                except errors.OutOfRangeError:
                    break
                f, lab = np.asarray(f), np.asarray(lab)
                if f.ndim == 1 and lab.ndim == 0:
                    raise _fail("next_batch gives one row at a time: group rows into batches of %d."
                                % batch_size)
                sizes.append(int(lab.shape[0]) if lab.ndim else 1)
                got_f.append(f.reshape(-1, width))
                got_l.append(lab.reshape(-1))
            else:
                raise _fail("the iterator gives more rows than were fed (%d): one initialization should "
                            "give exactly one pass over the data (does the dataset repeat?)." % rows)
            got_l = np.concatenate(got_l) if got_l else np.zeros(0, np.int32)
            if got_l.size != rows:
                raise _fail("after feeding %d rows the iterator gave %d rows." % (rows, got_l.size))
            if sorted(got_l.tolist()) == sorted(labels.tolist()) and not np.array_equal(got_l, labels):
                raise _fail("the rows come out in a different order than they were fed: this exercise wants "
                            "them in order (no shuffling).")
            if not np.array_equal(got_l, labels):
                raise _fail("the labels that come out are not the ones fed through labels_ph.")
            if not np.allclose(np.concatenate(got_f), feats):
                raise _fail("the features that come out are not the ones fed through features_ph (or they "
                            "are paired with the wrong labels).")
            expected = [batch_size] * (rows // batch_size) + ([rows % batch_size] if rows % batch_size else [])
            if sizes != expected:
                raise _fail("after feeding %d rows the batches had %s rows; expected %s (batches of %d)."
                            % (rows, sizes, expected, batch_size))
            report.append("%d rows -> batches of %s" % (rows, sizes))
    finally:
        sess.close()
    _ok("your pipeline takes new data at each initialization: %s." % "; ".join(report))


def full_epoch(seen_labels: Any, labels: Any, batch_size: int = 4) -> None:
    """Checks that ``seen_labels`` (a list of label batches or labels) covers ``labels`` once, in order."""
    __tracebackhide__ = True
    if isinstance(seen_labels, Tensor) or any(isinstance(v, Tensor) for _, v in _paths_and_leaves(seen_labels)):
        raise _fail("seen_labels holds tensors: collect the values sess.run returns.")
    parts = [np.atleast_1d(np.asarray(v)).ravel() for v in seen_labels] if len(seen_labels) else []
    seen = np.concatenate(parts) if parts else np.zeros(0)
    labels = np.asarray(labels).ravel()
    if seen.size == 0:
        raise _fail("seen_labels is empty: collect the labels of each batch as you read it.")
    if seen.size < labels.size:
        if seen.size == labels.size - labels.size % batch_size and labels.size % batch_size:
            raise _fail("you saw %d of %d labels: the last, smaller batch is missing. Stop only when "
                        "get_next has nothing left, not after a number of full batches you computed."
                        % (seen.size, labels.size))
        raise _fail("you saw %d of %d labels: keep reading until the iterator signals the end of the data."
                    % (seen.size, labels.size))
    if seen.size > labels.size:
        raise _fail("you saw %d labels but fed %d: one initialization gives one pass; did you read past a "
                    "re-initialization, or collect a batch twice?" % (seen.size, labels.size))
    if not np.array_equal(seen, labels):
        raise _fail("the labels you saw differ from the labels you fed (are they in the same order?).")
    _ok("one full pass: all %d labels, in order." % labels.size)


# --------------------------------------------------------------------------------------------
# ex03: the gradient of a new op
# --------------------------------------------------------------------------------------------
_POINTS = np.array([-2.5, -1.2, -0.4, 0.3, 0.9, 2.0])


def softsign_forward(fn: Callable) -> None:
    """Checks a numpy softsign ``x / (1 + |x|)``, elementwise."""
    __tracebackhide__ = True
    x = _POINTS.copy()
    y = fn(x.copy())
    if isinstance(y, Tensor):
        raise _fail("%s returned a tensor: this function runs inside tf.py_func on numpy arrays, so write "
                    "it with numpy." % fn.__name__)
    y = np.asarray(y, dtype=np.float64)
    if y.shape != x.shape:
        raise _fail("%s(x) has shape %s for x of shape %s: work elementwise, with numpy functions."
                    % (fn.__name__, y.shape, x.shape))
    wrong = ~np.isclose(y, x / (1 + np.abs(x)), atol=1e-6)
    if not wrong.any():
        _ok("%s matches x / (1 + |x|) at %d points." % (fn.__name__, x.size))
        return
    if np.array_equal(wrong, x < 0):
        raise _fail("%s is right for x > 0 but wrong for x < 0: the denominator must stay positive "
                    "(1 + |x|, with the absolute value)." % fn.__name__)
    i = int(np.argmax(wrong))
    raise _fail("%s(%g) = %.4g; softsign(%g) is %.4g. softsign(x) = x / (1 + |x|)."
                % (fn.__name__, x[i], y[i], x[i], x[i] / (1 + abs(x[i]))))


_fresh_counters: "dict[str, itertools.count]" = {}


def fresh_name(base: str) -> str:
    """A gradient name not registered yet in this process: ``base_1``, ``base_2``, ...

    ``tf.RegisterGradient(name)`` refuses a name twice (as TensorFlow does, with KeyError), so a
    notebook cell that registers under a fresh name can be run again.
    """
    counter = _fresh_counters.setdefault(base, itertools.count(1))
    while True:
        name = "%s_%d" % (base, next(counter))
        if not has_gradient(name):
            return name


def _diagnose_gradient(x: np.ndarray, theoretical: np.ndarray, numerical: np.ndarray, what: str) -> "str | None":
    """A hint if the two gradients (one per point) disagree, else None."""
    wrong = ~np.isclose(theoretical, numerical, atol=1e-4, rtol=1e-4)
    if not wrong.any():
        return None
    if not np.all(np.isfinite(theoretical)):
        return ("%s gives nan or inf at x = %s: is something divided by zero?"
                % (what, _fmt(x[~np.isfinite(theoretical)])))
    safe = np.abs(numerical) > 1e-6
    if safe.all():
        ratio = theoretical / numerical
        c = float(np.median(ratio))
        if np.allclose(ratio, c, rtol=1e-3) and abs(c) > 1e-6:
            if np.isclose(c, -1.0, rtol=1e-3):
                return ("%s has the wrong sign everywhere (it is -1 times the numerical gradient): check the sign "
                        "of each term in d/dx." % what)
            if np.isclose(c, 2.0, rtol=1e-3):
                return ("%s is twice the numerical one everywhere: check the constant factor in d/dx." % what)
            if np.isclose(c, 0.5, rtol=1e-3):
                return ("%s is half the numerical one everywhere: check the constant factor in d/dx." % what)
            return ("%s is %.3g times the numerical one everywhere: check the constant factor in d/dx."
                    % (what, c))
    if np.array_equal(wrong, x < 0):
        return ("%s matches the numerical gradient for x > 0 but not for x < 0: how does |x| change when x is "
                "negative, and what is d|x|/dx there?" % what)
    if np.array_equal(wrong, x > 0):
        return ("%s matches the numerical gradient for x < 0 but not for x > 0: how does |x| behave for "
                "positive x?" % what)
    i = int(np.argmax(np.abs(theoretical - numerical)))
    return ("%s is %s but the numerical gradient is %s (at x = %s); at x = %g yours is %.4g instead of %.4g. "
            "Work out d/dx on paper and compare term by term."
            % (what, _fmt(theoretical), _fmt(numerical), _fmt(x), x[i], theoretical[i], numerical[i]))


def registered_gradient(forward_fn: Callable, grad_fn: Callable) -> None:
    """Registers ``grad_fn`` for a ``tf.py_func(forward_fn)`` op (under a fresh name) and compares the
    gradient it builds with the numerical gradient of ``forward_fn`` (central differences)."""
    __tracebackhide__ = True
    x0 = _POINTS.copy()
    forward_fn(x0.copy())            # the forward pass must work first (errors show up here, plainly)
    returned: list = []

    def recorded(op, grad):
        result = grad_fn(op, grad)
        returned.append(result)
        return result

    name = fresh_name("CheckedGrad")
    RegisterGradient(name)(recorded)
    graph = Graph()
    with graph.as_default():
        x = array_ops.placeholder(dtypes.float64, [x0.size], name="x")
        with graph.gradient_override_map({"PyFunc": name}):
            y = py_func(forward_fn, [x], dtypes.float64)
        y.set_shape(x.shape)
        try:
            theoretical, numerical = compute_gradient(x, [x0.size], y, [x0.size], x_init_value=x0)
        except NotImplementedError:
            raise                     # not written yet: the learner's own error, unchanged
        except Exception as e:  # noqa: BLE001 (the learner's function may raise anything)
            if returned and not all(isinstance(r, Tensor) for r in _flat(returned[-1])):
                raise _fail("%s returned %r: return the gradient as a tensor built with tinyflow ops "
                            "(tf.abs, tf.square, ...) from op.inputs[0] and grad."
                            % (grad_fn.__name__, returned[-1])) from None
            if isinstance(e, ValueError) and "Num gradients" in str(e):
                raise _fail("%s returned %d values: return one gradient per input of the op (here one, for x)."
                            % (grad_fn.__name__, len(_flat(returned[-1])))) from None
            if isinstance(e, ValueError) and "wrong shape" in str(e):
                raise _fail("the gradient from %s does not have the shape of x: for an elementwise op the "
                            "gradient is elementwise too (no reductions)." % grad_fn.__name__) from None
            raise _fail("building or running %s raised %s: %s\nBuild the gradient from tinyflow ops (tf.abs, "
                        "tf.square, ...) applied to op.inputs[0] and grad; numpy cannot work on tensors."
                        % (grad_fn.__name__, type(e).__name__, str(e).splitlines()[0] if str(e) else "")) from None
    if returned and not all(isinstance(r, Tensor) for r in _flat(returned[-1])):
        raise _fail("%s returned %s: return the gradient as a tensor built with tinyflow ops (tf.abs, "
                    "tf.square, ...) from op.inputs[0] and grad, so that it is computed for each x."
                    % (grad_fn.__name__, type(returned[-1]).__name__))
    off_diagonal = theoretical - np.diag(np.diag(theoretical))
    if np.abs(off_diagonal).max() > 1e-6:
        raise _fail("with an upstream gradient that is 1 at one position and 0 elsewhere, %s is nonzero at "
                    "other positions too: it ignores the incoming `grad`. The chain rule multiplies the local "
                    "derivative by it." % grad_fn.__name__)
    hint = _diagnose_gradient(x0, np.diag(theoretical), np.diag(numerical), "your gradient (%s)" % grad_fn.__name__)
    if hint:
        raise _fail(hint)
    error = float(np.abs(theoretical - numerical).max())
    _ok("%s matches the numerical gradient at %d points (largest difference %.0e)."
        % (grad_fn.__name__, x0.size, max(error, 1e-12)))


def _flat(value: Any) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def gradient_override(x: Any, y: Any, dy_dx: Any) -> None:
    """Checks that ``y`` is a ``tf.py_func`` op built under ``gradient_override_map`` and that
    ``dy_dx = tf.gradients(y, x)[0]`` matches the numerical gradient of y."""
    __tracebackhide__ = True
    for name, t in (("x", x), ("y", y)):
        if not isinstance(t, Tensor):
            raise _fail("%s is a %s, not a tensor." % (name, type(t).__name__))
    if y.op.type not in ("PyFunc", "PyFuncStateless"):
        raise _fail("y comes from a %s op, not from tf.py_func: this exercise is about teaching tinyflow the "
                    "gradient of an op it cannot look inside, so compute y with tf.py_func(softsign, ...)."
                    % y.op.type)
    override = y.op.attrs.get("_gradient_op_type")
    if override is None:
        raise _fail("y's PyFunc op has no gradient attached: create it inside "
                    "`with tf.get_default_graph().gradient_override_map(...)`, mapping the op type to the name "
                    "you registered. Without it, tf.gradients does not know how to go through the op.")
    if not has_gradient(override):
        raise _fail("y's op asks for the gradient %r, but no gradient is registered under that name: register "
                    "your function with tf.RegisterGradient(...) under the same name." % override)
    if not isinstance(dy_dx, Tensor):
        raise _fail("dy_dx is %r: it should be the tensor tf.gradients(y, x) gives for x (a list with one "
                    "tensor; take its first element)." % (dy_dx,))
    if x.op.type != "Placeholder" or not x.shape.is_fully_defined() or x.shape.ndims != 1:
        raise _fail("x should be a placeholder with a known 1-D shape, e.g. [5].")
    n = x.shape[0].value
    points = np.linspace(-2.0, 2.4, n) if n > 1 else np.array([0.7])
    points[np.isclose(points, 0.0)] = 0.15      # softsign has a kink at 0
    delta = 1e-3
    sess = Session(graph=x.graph)
    try:
        grad = np.asarray(sess.run(dy_dx, {x: points}), dtype=np.float64)
        y_plus = np.asarray(sess.run(y, {x: points + delta}), dtype=np.float64)
        y_minus = np.asarray(sess.run(y, {x: points - delta}), dtype=np.float64)
    finally:
        sess.close()
    numerical = (y_plus - y_minus) / (2 * delta)
    hint = _diagnose_gradient(points, grad.reshape(points.shape), numerical.reshape(points.shape),
                              "tf.gradients(y, x)")
    if hint:
        raise _fail(hint)
    _ok("tf.gradients(y, x) uses your registered gradient (%r) and matches the numerical gradient at %d points."
        % (override, n))


# --------------------------------------------------------------------------------------------
# ex04 / ex06: training loops
# --------------------------------------------------------------------------------------------
def training_loop(sess: Any, loss: Any, history: Any, threshold: float) -> None:
    """Checks that ``loss`` (evaluated in ``sess`` now) is below ``threshold``, and reads ``history``
    (the loss recorded at each step) to explain what went wrong if it is not."""
    __tracebackhide__ = True
    if not isinstance(loss, Tensor):
        raise _fail("loss should be the loss tensor of your model, not a %s." % type(loss).__name__)
    try:
        values = np.asarray([float(np.asarray(v)) for v in history], dtype=np.float64)
    except (TypeError, ValueError):
        raise _fail("history should be a list of numbers: the loss value sess.run returned at each step.") from None
    if values.size == 0:
        raise _fail("history is empty: append the loss of each training step to it.")
    try:
        now = float(np.asarray(sess.run(loss)))
    except errors.FailedPreconditionError:
        raise _fail("the loss cannot be computed in your session: its variables are not initialized.") from None
    steps = values.size
    if now < threshold:
        _ok("the loss is %.4g < %g after %d steps." % (now, threshold, steps))
        return
    if not np.all(np.isfinite(values)) or not np.isfinite(now):
        raise _fail("the loss became nan or inf: the steps are too large and training diverged (learning rate).")
    if steps >= 2 and np.ptp(values) == 0:
        raise _fail("the loss never changes (%.4g at every step): does each step run the training op, not only "
                    "the loss?" % values[0])
    if values[-1] < threshold <= now:
        raise _fail("history ends below %g, but the loss in the session is %.4g now: were the variables "
                    "re-initialized after training?" % (threshold, now))
    if steps >= 2 and values[-1] > values[0]:
        raise _fail("the loss grows (%.4g -> %.4g): the steps overshoot; is the learning rate too large?"
                    % (values[0], values[-1]))
    raise _fail("the loss is falling but is still %.4g after %d steps (it must go below %g): keep training "
                "until it is below the threshold, not for a fixed small number of steps."
                % (now, steps, threshold))


# --------------------------------------------------------------------------------------------
# ex05: momentum from tf.assign ops
# --------------------------------------------------------------------------------------------
_MOMENTUM_START = np.array([1.0, -2.0, 0.5])
_MOMENTUM_CURVATURE = np.array([1.0, 3.0, 0.5])      # loss = sum(0.5 * c * var^2), grad = c * var


def _momentum_trajectories(build_update: Callable, lr: float, momentum: float, steps: int):
    graph = Graph()
    with graph.as_default():
        c = constant_op.constant(_MOMENTUM_CURVATURE.astype(np.float32), name="curvature")
        var = Variable(_MOMENTUM_START.astype(np.float32), name="var")
        (grad,) = gradients(reduction_ops.reduce_sum(0.5 * c * var * var), [var])
        n_ops = len(graph.get_operations())
        update = build_update(var, grad, lr, momentum)
        new_types = {op.type for op in graph.get_operations()[n_ops:]}
        if new_types & {"ApplyMomentum", "ApplyGradientDescent", "ApplyAdam"}:
            raise _fail("your function uses a tf.train optimizer: build the update yourself from tf.assign "
                        "ops (that is the exercise).")
        if update is None:
            raise _fail("your function returns None: return the op that performs one whole step (for "
                        "several ops, tf.group(...) makes one).")
        if not isinstance(update, (Operation, Tensor)):
            raise _fail("your function returns a %s: return an op (or the tensor of the last tf.assign)."
                        % type(update).__name__)
        ref_var = Variable(_MOMENTUM_START.astype(np.float32), name="reference_var")
        (ref_grad,) = gradients(reduction_ops.reduce_sum(0.5 * c * ref_var * ref_var), [ref_var])
        ref_update = train.MomentumOptimizer(lr, momentum).apply_gradients([(ref_grad, ref_var)])
        init = global_variables_initializer()
    sess = Session(graph=graph)
    try:
        sess.run(init)
        mine, ref = [_MOMENTUM_START.copy()], [_MOMENTUM_START.copy()]
        for _ in range(steps):
            sess.run(update)
            sess.run(ref_update)
            mine.append(np.asarray(sess.run(var), dtype=np.float64))
            ref.append(np.asarray(sess.run(ref_var), dtype=np.float64))
    finally:
        sess.close()
    return np.array(mine), np.array(ref)


def _momentum_hint(mine: np.ndarray, lr: float, momentum: float) -> str:
    """Compares the learner's first two steps with classic momentum and common slips."""
    g0 = _MOMENTUM_CURVATURE * mine[0]
    step1 = mine[1] - mine[0]
    ratio = step1 / (-lr * g0)
    r = float(np.median(ratio))
    if np.allclose(ratio, r, rtol=1e-3, atol=1e-6):
        if abs(r) < 1e-6:
            return ("your first step does not move the variable at all: the step uses the accumulator before "
                    "this step's gradient is in it. Is the accumulator updated before it is used?")
        if np.isclose(r, -1.0, rtol=1e-3):
            return "your variable moves uphill, along the gradient: a step goes against the gradient."
        if np.isclose(r, 1.0 / lr, rtol=1e-3):
            return ("your first step moves by grad instead of lr * grad: where does the learning rate go?")
        if np.isclose(r, 1.0 + momentum, rtol=1e-3):
            return ("your first step already moves by more than lr * grad (by (1 + momentum) * lr * grad): is "
                    "the momentum term added on top of the new accumulator (that is Nesterov's variant), or "
                    "the accumulator updated twice?")
        if np.isclose(r, momentum, rtol=1e-3):
            return ("your first step moves by momentum * lr * grad: momentum should scale the *old* "
                    "accumulator, not this step's gradient.")
        if r > 1.0 and not np.isclose(r, 1.0, rtol=1e-3):
            return ("your first step already moves by more than lr * grad (%.3g times as far): is the "
                    "accumulator updated before it is used, or updated twice?" % r)
        if not np.isclose(r, 1.0, rtol=1e-3):
            return "your first step moves by %.3g * lr * grad; classic momentum starts with lr * grad." % r
        # The first step is right: look at the second one.
        g1 = _MOMENTUM_CURVATURE * mine[1]
        step2 = mine[2] - mine[1]
        if np.allclose(step2, -lr * g1, rtol=1e-3, atol=1e-7):
            return ("your steps are plain gradient descent: nothing carries over from one step to the next. "
                    "The accumulator must be a variable that keeps its value between runs.")
        if np.allclose(step2, -lr * (g0 + g1), rtol=1e-3, atol=1e-7):
            return ("your first step is right but the second is too large: the old accumulator should shrink "
                    "(be multiplied by momentum) before the new gradient is added.")
        return ("your first step is right but later steps differ from MomentumOptimizer: check how the "
                "accumulator carries over from one step to the next.")
    return ("your first step moves %s for a gradient of %s, not lr * grad = %s: the variable and the gradient "
            "should be combined elementwise." % (_fmt(step1), _fmt(g0), _fmt(-lr * g0)))


def momentum(build_update: Callable, steps: int = 5) -> None:
    """Runs ``build_update(var, grad, lr, momentum)`` (the learner's op for one momentum step) for a few
    steps on a small quadratic and compares every step with ``tf.train.MomentumOptimizer``."""
    __tracebackhide__ = True
    configs = [(0.1, 0.9), (0.05, 0.5)]
    for k, (lr, mom) in enumerate(configs):
        mine, ref = _momentum_trajectories(build_update, lr, mom, steps)
        if np.allclose(mine, ref, rtol=1e-4, atol=1e-6):
            continue
        if k > 0:
            raise _fail("your update matches MomentumOptimizer for lr=%g, momentum=%g but not for lr=%g, "
                        "momentum=%g: use the lr and momentum arguments rather than fixed numbers."
                        % (configs[0] + (lr, mom)))
        if np.allclose(mine[1:], mine[0]):
            raise _fail("the variable never changes: does the op you return perform the update (or depend on "
                        "it, e.g. through tf.group)?")
        raise _fail(_momentum_hint(mine, lr, mom))
    _ok("your update matches tf.train.MomentumOptimizer step for step (%d steps, lr=%g/momentum=%g and "
        "lr=%g/momentum=%g)." % ((steps,) + configs[0] + configs[1]))


# --------------------------------------------------------------------------------------------
# ex06: feature columns
# --------------------------------------------------------------------------------------------
def feature_columns(sess: Any, inputs: Any, features: dict) -> None:
    """Checks ``inputs = tf.feature_column.input_layer(features, columns)`` against the raw table:
    one column per numeric feature, a one-hot block per string feature (keys in sorted order)."""
    __tracebackhide__ = True
    if not isinstance(inputs, Tensor):
        raise _fail("inputs should be the tensor input_layer returns, not a %s." % type(inputs).__name__)
    try:
        matrix = np.asarray(sess.run(inputs), dtype=np.float64)
    except errors.FailedPreconditionError as e:
        first = str(e).splitlines()[0]
        if "Table" in first:
            raise _fail("the vocabulary lookup is not ready: vocabulary lists are lookup tables, and tables "
                        "must be initialized in the session before inputs can be computed.") from None
        raise _fail("inputs cannot be computed yet: %s" % first) from None
    columns = {key: np.asarray(features[key]) for key in sorted(features)}
    rows = len(next(iter(columns.values())))
    numeric = [k for k, v in columns.items() if v.dtype.kind in "iuf"]
    strings = [k for k, v in columns.items() if v.dtype.kind in "US"]
    if matrix.ndim != 2 or matrix.shape[0] != rows:
        raise _fail("inputs has shape %s; expected one row per example (%d rows)." % (matrix.shape, rows))
    width = matrix.shape[1]
    string_width = width - len(numeric)
    if string_width < len(strings):
        raise _fail("inputs has %d columns: a feature is missing. Numeric features give one column each, and "
                    "a categorical feature enters input_layer only through a dense column (indicator or "
                    "embedding)." % width)
    # Expected layout: keys in sorted order; numeric keys 1 column, the string key the rest.
    blocks, col = {}, 0
    for key in columns:
        size = 1 if key in numeric else (string_width if len(strings) == 1 else None)
        if size is None:
            size = len(np.unique(columns[key]))
        blocks[key] = matrix[:, col:col + size]
        col += size
    for key in numeric:
        if not np.allclose(blocks[key].ravel(), columns[key].astype(np.float64).ravel(), atol=1e-5):
            raise _fail("the column for %r does not hold the %s values. (input_layer orders its columns by "
                        "feature name: %s.)" % (key, key, ", ".join(columns)))
    for key in strings:
        block = blocks[key]
        values = [str(v) for v in columns[key].ravel()]
        if not np.all(np.isin(block, (0.0, 1.0))):
            raise _fail("the %r block is not one-hot (it holds values other than 0 and 1): an embedding gives "
                        "learned dense vectors; which column gives one 0/1 column per category?" % key)
        missing = [v for v, row in zip(values, block) if row.sum() == 0]
        if missing:
            raise _fail("%r has no column for %s: is every value in your vocabulary list, spelled the same?"
                        % (key, ", ".join(sorted(set(repr(m) for m in missing)))))
        position = {}
        for v, row in zip(values, block):
            position.setdefault(v, set()).add(int(np.argmax(row)))
        shared = [v for v in position if len(position[v]) > 1]
        by_col: dict = {}
        for v, cols in position.items():
            for c in cols:
                by_col.setdefault(c, []).append(v)
        clash = [vs for vs in by_col.values() if len(vs) > 1]
        if shared or clash:
            raise _fail("the %r block does not give each category its own column (%s share one): use a "
                        "vocabulary list, not hash buckets." % (key, " and ".join(repr(v) for v in sorted(clash[0]))
                                                              if clash else repr(shared[0])))
    layout = ", ".join("%s (one-hot, %d)" % (k, blocks[k].shape[1]) if k in strings else k for k in columns)
    _ok("input_layer gives %d rows x %d columns: %s." % (rows, width, layout))


# --------------------------------------------------------------------------------------------
# ex07: Iris
# --------------------------------------------------------------------------------------------
def iris_split(test_per_class: int = 10, seed: int = 0):
    """The exercise's fixed split of the shipped Iris data: ``(train_x, train_y, test_x, test_y)``.

    ``test_per_class`` flowers of each species (chosen with ``np.random.RandomState(seed)``) are
    held out; :func:`iris_accuracy` measures the accuracy on exactly those.
    """
    iris = load_iris()
    rng = np.random.RandomState(seed)
    test = np.sort(np.concatenate([rng.permutation(np.flatnonzero(iris.labels == c))[:test_per_class]
                                   for c in range(len(iris.class_names))]))
    train = np.setdiff1d(np.arange(len(iris.labels)), test)
    return iris.features[train], iris.labels[train], iris.features[test], iris.labels[test]


def iris_accuracy(sess: Any, x: Any, predictions: Any, minimum: float = 0.9) -> None:
    """Feeds the held-out flowers of :func:`iris_split` to ``x`` and computes the accuracy of
    ``predictions`` (scores per class, shape [None, 3], or class ids, shape [None])."""
    __tracebackhide__ = True
    for name, t in (("x", x), ("predictions", predictions)):
        if not isinstance(t, Tensor):
            raise _fail("%s should be a tensor of your graph, not a %s." % (name, type(t).__name__))
    if x.op.type != "Placeholder":
        raise _fail("x should be the placeholder your model reads the flowers from (it is fed the held-out "
                    "flowers here).")
    _, _, test_x, test_y = iris_split()
    try:
        out = np.asarray(sess.run(predictions, {x: test_x}))
    except ValueError as e:
        if "Cannot feed value of shape" not in str(e):
            raise
        raise _fail("the check could not feed the %d held-out flowers: %s\nLeave the number of flowers open "
                    "(None) in x's shape." % (len(test_y), e)) from None
    except errors.InvalidArgumentError as e:
        raise _fail("computing predictions from x alone failed:\n  %s\npredictions should depend only on x "
                    "(the labels are needed for the loss, not for predicting)." % str(e).splitlines()[0]) from None
    except errors.FailedPreconditionError:
        raise _fail("your model's variables are not initialized in this session.") from None
    if out.ndim == 2 and out.shape == (len(test_y), 3):
        predicted = out.argmax(axis=1)
    elif out.ndim == 1 and out.shape[0] == len(test_y):
        predicted = out.astype(np.int64)
    else:
        raise _fail("predictions has shape %s for %d flowers; expected one score per class, [%d, 3], or one "
                    "class id per flower, [%d]." % (out.shape, len(test_y), len(test_y), len(test_y)))
    right = int((predicted == test_y).sum())
    accuracy = right / len(test_y)
    if accuracy >= minimum:
        _ok("held-out accuracy %d/%d = %.1f %% (at least %.0f %%)." % (right, len(test_y), 100 * accuracy,
                                                                   100 * minimum))
        return
    if len(np.unique(predicted)) == 1:
        raise _fail("your model predicts the same class (%d) for every flower (accuracy %.1f %%): has it been "
                    "trained, with the labels as class ids 0, 1, 2?" % (predicted[0], 100 * accuracy))
    if accuracy <= 0.5:
        raise _fail("held-out accuracy %.1f %%, close to guessing: is the training op run many times, and are "
                    "the features and labels of the same flowers fed together?" % (100 * accuracy))
    raise _fail("held-out accuracy %.1f %% (%d/%d), below %.0f %%: train for more steps, try another learning "
                "rate or optimizer, or give the features similar scales." % (100 * accuracy, right, len(test_y),
                                                                            100 * minimum))


# --------------------------------------------------------------------------------------------
# ex08: a power series with tf.while_loop
# --------------------------------------------------------------------------------------------
_SERIES_X = np.array([-1.5, -0.5, 0.0, 0.3, 1.0, 2.0], np.float32)


def _partial_sums(x: np.ndarray, terms: int) -> np.ndarray:
    """1 + x + x^2/2! + ... (``terms`` terms), and its derivative, in float64."""
    total, dtotal, term, dterm = np.zeros_like(x, np.float64), np.zeros_like(x, np.float64), np.ones_like(
        x, np.float64), np.zeros_like(x, np.float64)
    for k in range(terms):
        total, dtotal = total + term, dtotal + dterm
        term, dterm = term * x / (k + 1), (dterm * x + term) / (k + 1)
    return total, dtotal


def exp_series(fn: Callable) -> None:
    """Checks ``fn(x, terms)``: the first ``terms`` terms of the series of exp(x), summed by a
    ``tf.while_loop`` (``terms`` a tensor), with the right values and the right gradient."""
    __tracebackhide__ = True
    graph = Graph()
    with graph.as_default():
        x = array_ops.placeholder(dtypes.float32, [None], name="x")
        terms = array_ops.placeholder(dtypes.int32, [], name="terms")
        before = len(graph.get_operations())
        try:
            result = fn(x, terms)
        except TypeError as e:
            if "cannot be interpreted as an integer" in str(e):
                raise _fail("your function uses `terms` as a Python int (e.g. `range(terms)`): it is a tensor, whose "
                            "value is known only when the graph runs. Count with a loop variable of a tf.while_loop "
                            "instead (`lambda k, ...: k < terms`).") from None
            raise
        if isinstance(result, (list, tuple)):
            raise _fail("your function returns a %s: return only the sum (a tf.while_loop returns all its loop "
                        "variables; pick the one that holds the sum)." % type(result).__name__)
        if not isinstance(result, Tensor):
            raise _fail("your function returns %r: return the tensor of the sum." % (result,))
        types = [op.type for op in graph.get_operations()[before:]]
        if "LoopCond" not in types:
            raise _fail("your graph has no tf.while_loop: the number of terms is only known when the graph runs, "
                        "so the loop must be a tf.while_loop, not a Python loop.")
        if result.dtype.base_dtype is not dtypes.float32:
            raise _fail("your sum is %s: keep it float32 like x (cast the counter, e.g. "
                        "tf.cast(k, tf.float32), where it divides)." % result.dtype.base_dtype.name)
        try:
            (grad,) = gradients(result, [x])
        except LookupError as e:
            raise _fail("tf.gradients could not go through your loop: %s" % str(e).splitlines()[0]) from None
    sess = Session(graph=graph)
    try:
        runs = {n: sess.run([result, grad if grad is not None else result], {x: _SERIES_X, terms: n})
                for n in (1, 2, 5, 12)}
        for n, (got, _) in runs.items():                # the values first, for every number of terms
            want = _partial_sums(_SERIES_X, n)[0]
            if np.shape(got) != _SERIES_X.shape:
                raise _fail("for x of shape %s your sum has shape %s: compute it elementwise."
                            % (_SERIES_X.shape, np.shape(got)))
            if not np.allclose(got, want, rtol=1e-5, atol=1e-6):
                for other in (n - 1, n + 1):
                    if other >= 0 and np.allclose(got, _partial_sums(_SERIES_X, other)[0], rtol=1e-5, atol=1e-6):
                        raise _fail("with terms=%d your loop sums %d terms: check where the counter starts and "
                                    "when the condition stops the loop (terms=1 is just 1)." % (n, other))
                if np.allclose(got, np.exp(_SERIES_X), rtol=1e-4):
                    raise _fail("your function gives exp(x) itself, not the first `terms` terms of its series.")
                if not np.all(np.isfinite(got)):
                    raise _fail("with terms=%d your sum is %s: a division by zero? The term after x^k/k! is "
                                "x^k/k! * x/(k+1); if your counter starts at 0, divide by k + 1." % (n, _fmt(got)))
                raise _fail("with terms=%d your function gives %s for x = %s; the first %d terms of the series "
                            "give %s." % (n, _fmt(got), _fmt(_SERIES_X), n, _fmt(want.astype(np.float32))))
        if grad is None:
            raise _fail("tf.gradients finds no path from x to your sum: was x used through a Python number or "
                        "tf.stop_gradient?")
        for n, (_, dgot) in runs.items():
            dwant = _partial_sums(_SERIES_X, n)[1]
            if not np.all(np.isfinite(dgot)):
                raise _fail("with terms=%d the gradient of your sum is %s although the values are right: a division "
                            "by zero in a term the loop computes but does not add (the last one)? Divide by k + 1, "
                            "not k, if your counter starts at 0." % (n, _fmt(dgot)))
            if not np.allclose(dgot, dwant, rtol=1e-4, atol=1e-5):
                raise _fail("your values are right but the gradient with respect to x is not (%s, expected %s): "
                            "does something in the loop stop the gradient?" % (_fmt(dgot), _fmt(dwant)))
    finally:
        sess.close()
    _ok("your loop sums the series of exp(x) for 1, 2, 5 and 12 terms, and its gradient is the series of the "
        "derivative.")


# --------------------------------------------------------------------------------------------
# ex09: an RNN cell
# --------------------------------------------------------------------------------------------
_RNN_UNITS = 4
_RNN_X = np.random.RandomState(9).uniform(-1.0, 1.0, size=(2, 3, 5)).astype(np.float32)   # [batch, time, depth]
_RNN_KERNEL = np.random.RandomState(10).uniform(-0.8, 0.8, size=(5 + _RNN_UNITS, _RNN_UNITS)).astype(np.float32)
_RNN_BIAS = np.array([0.3, -0.5, 0.15, -0.25], np.float32)   # not zeros, so that a missing bias shows

_RNN_ACTIVATIONS = {                                        # what a cell may squash with, tanh first
    "tanh": np.tanh,
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "relu": lambda z: np.maximum(z, 0.0),
    "none": lambda z: z,
}
_RNN_ACTIVATION_HINTS = {
    "sigmoid": "it squashes with a sigmoid, whose values lie in (0, 1); BasicRNNCell uses tf.tanh, in (-1, 1), so "
               "that the state can be negative too",
    "relu": "it uses a relu where BasicRNNCell uses tf.tanh: tanh keeps h' between -1 and 1, a relu lets it grow "
            "from step to step",
    "none": "it applies no activation: h' = tanh([inputs, state] @ kernel + bias), with tf.tanh around the sum",
}
_RNN_SLIP_HINTS = {
    "no_bias": "it does not add the bias: add it after the matmul, inside the tanh",
    "state_first": "it concatenates [state, inputs]; BasicRNNCell concatenates [inputs, state], inputs first: the "
                   "first input_depth rows of the kernel multiply the inputs, the last num_units rows the state",
    "output_old": "its output is the old state (at the first step, all zeros): return the new h' as the output, "
                  "`return new_h, new_h`",
    "keep_state": "it hands the old state on as the new one, so nothing carries over from one step to the next "
                  "(the final state is all zeros): the new state is h' too, `return new_h, new_h`",
}


def _rnn_reference(kernel: np.ndarray, bias: np.ndarray, activation: str = "tanh", no_bias: bool = False,
                   state_first: bool = False, output_old: bool = False, keep_state: bool = False):
    """BasicRNNCell over ``_RNN_X`` in float64: ``(outputs [batch, time, units], final state)``. The flags
    are the slips the hints name: another activation, no bias, [state, inputs], (state, h') returned, or
    (h', state) returned."""
    x, k = _RNN_X.astype(np.float64), kernel.astype(np.float64)
    b = 0.0 if no_bias else bias.astype(np.float64)
    h = np.zeros((x.shape[0], k.shape[1]))
    outputs = []
    for t in range(x.shape[1]):
        both = np.concatenate([h, x[:, t]] if state_first else [x[:, t], h], axis=1)
        new = _RNN_ACTIVATIONS[activation](both @ k + b)
        outputs.append(h if output_old else new)
        if not keep_state:
            h = new
    return np.stack(outputs, axis=1), h


def _rnn_kernel_gradient(kernel: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """d sum(outputs) / d kernel for BasicRNNCell over ``_RNN_X``, back through time, in float64."""
    x, k = _RNN_X.astype(np.float64), kernel.astype(np.float64)
    depth = x.shape[2]
    h, both, hs = np.zeros((x.shape[0], k.shape[1])), [], []
    for t in range(x.shape[1]):
        both.append(np.concatenate([x[:, t], h], axis=1))
        h = np.tanh(both[-1] @ k + bias)
        hs.append(h)
    grad, carried = np.zeros_like(k), np.zeros_like(h)
    for t in reversed(range(x.shape[1])):
        dz = (1.0 + carried) * (1.0 - hs[t] ** 2)          # each output adds 1; the later steps add `carried`
        grad += both[t].T @ dz
        carried = dz @ k[depth:].T
    return grad


def _rnn_diagnosis(outputs: np.ndarray, state: np.ndarray) -> "str | None":
    """Which slips (another activation, no bias, [state, inputs], a swapped return) explain the cell's
    numbers, as a hint; None if no combination of them does."""
    for activation in _RNN_ACTIVATIONS:
        for no_bias, state_first in itertools.product((False, True), repeat=2):
            for returned in ("right", "output_old", "keep_state"):
                want_out, want_state = _rnn_reference(
                    _RNN_KERNEL, _RNN_BIAS, activation, no_bias, state_first,
                    output_old=returned == "output_old", keep_state=returned == "keep_state")
                if not (np.allclose(outputs, want_out, rtol=1e-4, atol=1e-5)
                        and np.allclose(state, want_state, rtol=1e-4, atol=1e-5)):
                    continue
                slips = ([_RNN_ACTIVATION_HINTS[activation]] if activation != "tanh" else []) + [
                    _RNN_SLIP_HINTS[name] for name, on in (("no_bias", no_bias), ("state_first", state_first),
                                                           ("output_old", returned == "output_old"),
                                                           ("keep_state", returned == "keep_state")) if on]
                if not slips:
                    return None
                if len(slips) == 1:
                    return "your cell is almost BasicRNNCell, but %s." % slips[0]
                return ("your cell differs from BasicRNNCell in %d ways: %s."
                        % (len(slips), "; ".join("(%d) %s" % (i + 1, s) for i, s in enumerate(slips))))
    return None


def _own_attribute(cls: type, name: str) -> bool:
    """Whether ``cls`` or one of its bases outside tinyflow defines ``name`` (not only RNNCell, abstractly)."""
    return any(name in vars(klass) for klass in cls.__mro__ if klass.__module__.split(".")[0] != "tinyflow")


def _rnn_returned_hint(result: Any) -> "str | None":
    """A hint if what ``call`` returned is not ``(output, new_state)``, two [batch, units] tensors."""
    if isinstance(result, Tensor):
        return ("your call returns one tensor: return a pair (output, new_state). For this cell both are h', "
                "`return new_h, new_h`.")
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        return ("your call returns %s: return a pair (output, new_state), here `return new_h, new_h`."
                % ("%d values" % len(result) if isinstance(result, (tuple, list)) else repr(result)))
    output, state = result
    if isinstance(state, (tuple, list)):
        return ("your call returns the new state as a %s of %d, but state_size is an int (%d): a tuple state goes "
                "with a tuple state_size (like BasicLSTMCell's (c, h)). This cell's state is one tensor: "
                "`return new_h, new_h`." % (type(state).__name__, len(state), _RNN_UNITS))
    for what, value in (("output", output), ("new state", state)):
        if not isinstance(value, Tensor):
            return "the %s your call returns is %r: return tensors, `return new_h, new_h`." % (what, value)
        if value.shape.is_fully_defined() and value.shape.as_list() != [_RNN_X.shape[0], _RNN_UNITS]:
            return ("for a batch of %d and num_units=%d, the %s your call returns has shape %s; it should be "
                    "[batch, num_units] = [%d, %d]." % (_RNN_X.shape[0], _RNN_UNITS, what, value.shape.as_list(),
                                                       _RNN_X.shape[0], _RNN_UNITS))
    return None


def _rnn_variables_hint(variables: list) -> "str | None":
    """A hint if the cell's variables are not kernel [depth + units, units] and bias [units] in its scope."""
    depth, n = _RNN_X.shape[2], _RNN_UNITS
    listed = ", ".join("%s %s" % (v.name, v.shape.as_list()) for v in variables)
    if not variables:
        return ("your cell made no variables: make kernel and bias in build, with self.add_weight('kernel', "
                "shape=...) (or tf.get_variable), so that training can change them.")
    if any("/while/" in v.name for v in variables):
        return ("your variables (%s) were made inside the loop of dynamic_rnn, with tf.Variable: make them with "
                "self.add_weight (or tf.get_variable), which puts them in the cell's variable scope and shares them "
                "between calls." % listed)
    kernels = [v for v in variables if v.name.endswith("kernel:0")]
    if len(kernels) == 1 and kernels[0].shape.as_list() != [depth + n, n]:
        shape = kernels[0].shape.as_list()
        if shape == [depth, n]:
            return ("your kernel has shape %s, [input_depth, num_units]: it can multiply the inputs only. The cell "
                    "multiplies the inputs and the state *concatenated*, [inputs, state] with %d + %d = %d "
                    "columns, by one kernel, so its shape is [input_depth + num_units, num_units] = [%d, %d]."
                    % (shape, depth, n, depth + n, depth + n, n))
        if shape == [n, depth + n]:
            return ("your kernel has shape %s, the transpose of what it should be: [inputs, state] (a batch of rows "
                    "with %d columns) is multiplied by the kernel from the right, so its shape is "
                    "[input_depth + num_units, num_units] = [%d, %d]." % (shape, depth + n, depth + n, n))
        return ("your kernel has shape %s; for input_depth=%d and num_units=%d it should be "
                "[input_depth + num_units, num_units] = [%d, %d]: one matrix for [inputs, state] concatenated."
                % (shape, depth, n, depth + n, n))
    if len(variables) != 2:
        return ("your cell made %d variables (%s); BasicRNNCell has exactly two: kernel [%d, %d], one matrix for "
                "[inputs, state] concatenated, and bias [%d]." % (len(variables), listed, depth + n, n, n))
    names = sorted(v.name.rsplit("/", 1)[-1] for v in variables)
    if names != ["bias:0", "kernel:0"]:
        return ("your variables are %s: name them 'kernel' and 'bias', as BasicRNNCell does (self.add_weight("
                "'kernel', ...)), so that they are rnn/my_rnn_cell/kernel:0 and rnn/my_rnn_cell/bias:0." % listed)
    if not all(v.name.startswith("rnn/") for v in variables):
        return ("your variables (%s) are not in the scope dynamic_rnn opens (rnn/): make them in build or call, "
                "where the cell's variable scope is open, not in __init__." % listed)
    bias = next(v for v in variables if v.name.endswith("bias:0"))
    if bias.shape.as_list() != [n]:
        return ("your bias has shape %s; it should be [num_units] = [%d]: one number per unit, added to every "
                "example's row." % (bias.shape.as_list(), n))
    return None


def rnn_cell(cell_class: Any) -> None:
    """Checks ``cell_class``, a subclass of ``tf.nn.rnn_cell.RNNCell`` written by the learner: ``cell_class(4)``
    run by ``tf.nn.dynamic_rnn`` and by hand must make BasicRNNCell's variables (kernel, bias), compute
    ``h' = tanh([inputs, state] @ kernel + bias)`` with them, and let gradients flow to the kernel."""
    __tracebackhide__ = True
    n, batch = _RNN_UNITS, _RNN_X.shape[0]
    if not isinstance(cell_class, type):
        raise _fail("pass the class itself, checks.rnn_cell(MyRNNCell), not %r: the check makes its own cells "
                    "with MyRNNCell(4)." % (cell_class,))
    built_in = [k for k in cell_class.__mro__[1:] if k.__module__ == RNNCell.__module__
                and k not in (RNNCell, LayerRNNCell)]
    if built_in:
        raise _fail("%s subclasses tf.nn.rnn_cell.%s, which already does the work: write the cell yourself, "
                    "subclass tf.nn.rnn_cell.RNNCell." % (cell_class.__name__, built_in[0].__name__))
    if not issubclass(cell_class, RNNCell):
        raise _fail("%s should subclass tf.nn.rnn_cell.RNNCell: `class %s(tf.nn.rnn_cell.RNNCell):`."
                    % (cell_class.__name__, cell_class.__name__))
    for name in ("state_size", "output_size", "call"):
        if not _own_attribute(cell_class, name):
            raise _fail("%s does not define %s: a cell gives state_size and output_size (properties) and "
                        "call(self, inputs, state)." % (cell_class.__name__, name))
    graph = Graph()
    with graph.as_default():
        cell = cell_class(n)
        if "_rnncell_scope" not in vars(cell):
            raise _fail("%s(%d) did not run RNNCell's own __init__: call super().__init__() first in your "
                        "__init__." % (cell_class.__name__, n))
        for what in ("state_size", "output_size"):
            size = getattr(cell, what)
            if callable(size):
                raise _fail("%s is a method: put @property above `def %s(self)`, so that cell.%s is a number."
                            % (what, what, what))
            if isinstance(size, (tuple, list)):
                raise _fail("%s(%d).%s is %r, a %s: this cell's state and output are each one tensor h of "
                            "num_units numbers per example, so %s is num_units." % (cell_class.__name__, n, what,
                                                                                     size, type(size).__name__, what))
            ok = ((isinstance(size, numbers.Integral) and not isinstance(size, bool) and size == n)
                  or (isinstance(size, TensorShape) and size.as_list() == [n]))
            if not ok:
                raise _fail("%s(%d).%s is %r; it should be num_units (%d): the state and the output are h, with "
                            "num_units numbers per example." % (cell_class.__name__, n, what, size, n))
        returned: list = []
        learners_call = cell.call

        def recorded(inputs, state, *args, **kwargs):
            result = learners_call(inputs, state, *args, **kwargs)
            returned.append(result)
            return result
        cell.call = recorded
        x = constant_op.constant(_RNN_X, name="x")
        try:
            outputs, state = dynamic_rnn(cell, x, dtype=dtypes.float32)
        except NotImplementedError:
            raise                                       # not written yet: the learner's own error, unchanged
        except Exception:  # noqa: BLE001 (the learner's code may raise anything; explain it if we can)
            hint = (_rnn_returned_hint(returned[-1]) if returned else None) or _rnn_variables_hint(
                graph.get_collection(GraphKeys.GLOBAL_VARIABLES))
            if hint:
                raise _fail(hint) from None
            raise
        hint = _rnn_returned_hint(returned[-1]) if returned else None
        if hint:
            raise _fail(hint)
        after_first = list(graph.get_collection(GraphKeys.GLOBAL_VARIABLES))
        x_0 = constant_op.constant(_RNN_X[:, 0], name="x_0")
        step_output, step_state = cell(x_0, cell.zero_state(batch, dtypes.float32))
        variables = graph.get_collection(GraphKeys.GLOBAL_VARIABLES)
        if len(variables) > len(after_first) and after_first:
            raise _fail("your cell makes new variables each time it is called (%d after one call, %d after two: %s): "
                        "make kernel and bias once, in build (which runs on the first call only), with "
                        "self.add_weight, and use self.kernel and self.bias in call."
                        % (len(after_first), len(variables), ", ".join(v.name for v in variables)))
        hint = _rnn_variables_hint(variables)
        if hint:
            raise _fail(hint)
        kernel = next(v for v in variables if v.name.endswith("kernel:0"))
        bias = next(v for v in variables if v.name.endswith("bias:0"))
        try:
            grad_kernel, grad_bias = gradients(reduction_ops.reduce_sum(outputs), [kernel, bias])
        except LookupError as e:
            raise _fail("tf.gradients cannot go back through your cell: %s\nBuild call from tinyflow ops "
                        "(tf.matmul, tf.concat, tf.tanh, ...)." % str(e).splitlines()[0]) from None
        init = global_variables_initializer()
    sess = Session(graph=graph)
    try:
        sess.run(init)
        kernel.load(_RNN_KERNEL, sess)                  # the check's own weights: the same for every learner
        bias.load(_RNN_BIAS, sess)
        got_out, got_state, got_step = sess.run([outputs, state, (step_output, step_state)])
        got_out, got_state = np.asarray(got_out, np.float64), np.asarray(got_state, np.float64)
        if got_out.shape != (batch, _RNN_X.shape[1], n) or got_state.shape != (batch, n):
            raise _fail("dynamic_rnn gives outputs of shape %s and a final state of shape %s; with your cell they "
                        "should be [batch, time, num_units] = %s and [batch, num_units] = %s."
                        % (list(got_out.shape), list(got_state.shape), [batch, _RNN_X.shape[1], n], [batch, n]))
        want_out, want_state = _rnn_reference(_RNN_KERNEL, _RNN_BIAS)
        right_out = np.allclose(got_out, want_out, rtol=1e-4, atol=1e-5)
        if not (right_out and np.allclose(got_state, want_state, rtol=1e-4, atol=1e-5)):
            hint = _rnn_diagnosis(got_out, got_state)
            if hint:
                raise _fail(hint)
            if right_out:                               # (a cell that knows which step is the last)
                raise _fail("your outputs are right but the final state is not (%s, expected %s for the first "
                            "example): the new state of this cell is h' itself, `return new_h, new_h`."
                            % (_fmt(got_state[0]), _fmt(want_state[0])))
            b, t = np.argwhere(~np.isclose(got_out, want_out, rtol=1e-4, atol=1e-5))[0][:2]
            raise _fail("with the same kernel and bias as BasicRNNCell, your cell's output at step %d of example %d "
                        "is %s; BasicRNNCell gives %s. Its step is h' = tanh([inputs, state] @ kernel + bias)."
                        % (t, b, _fmt(got_out[b, t]), _fmt(want_out[b, t])))
        for what, value in zip(("output", "new state"), got_step):
            if not np.allclose(value, want_out[:, 0], rtol=1e-4, atol=1e-5):
                raise _fail("inside dynamic_rnn your cell is right, but called by hand on the first inputs and "
                            "the zero state its %s is %s instead of %s: does the cell keep something between "
                            "calls (an attribute)? It should compute from inputs and state only."
                            % (what, _fmt(np.asarray(value)[0]), _fmt(want_out[0, 0])))
        if grad_kernel is None:
            raise _fail("your outputs are right, but tf.gradients finds no path from them back to the kernel: was it "
                        "used through tf.stop_gradient, numpy or a constant copy? Training needs that gradient.")
        if grad_bias is None:
            raise _fail("your outputs are right, but tf.gradients finds no path from them back to the bias: use "
                        "the bias variable itself in call (self.bias), not a copy of its value.")
        got_grad = np.asarray(sess.run(grad_kernel), np.float64)
        want_grad = _rnn_kernel_gradient(_RNN_KERNEL, _RNN_BIAS)
        if not np.allclose(got_grad, want_grad, rtol=1e-3, atol=1e-4):
            raise _fail("your outputs are right but their gradient with respect to the kernel is not (%s, expected "
                        "%s in its first row): does something stop the gradient, e.g. on the state, so that it "
                        "does not go back through the earlier steps?" % (_fmt(got_grad[0]), _fmt(want_grad[0])))
    finally:
        sess.close()
    _ok("your cell matches BasicRNNCell: %s %s and %s %s, the same outputs and final state over %d steps in "
        "dynamic_rnn, the same step by hand, and the same gradient for the kernel."
        % (kernel.name, kernel.shape.as_list(), bias.name, bias.shape.as_list(), _RNN_X.shape[1]))

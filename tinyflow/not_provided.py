"""What a TensorFlow 1.x name that tinyflow leaves out says when a program reaches for it.

``tf.contrib.layers.fully_connected(...)`` in a tinyflow program stops with an AttributeError,
as a missing name must; its message says that the name is TensorFlow's, that tinyflow does not
provide it (and why: tinyflow is TF1's graph API, small enough to read), and what to use instead
where tinyflow has something near. A name TensorFlow never had gets Python's usual message, with
the closest names tinyflow has ("did you mean ...?").

The TensorFlow names are those of TensorFlow 2.21's ``tf.compat.v1`` namespaces (the file
``tf_compat_v1_names.json`` next to this one, read the first time a name is missing), plus the
few that TF 1.15 still had (``tf.contrib``).
"""
from __future__ import annotations

import difflib
import json
import os
from typing import Any, Iterable

_TF1_ONLY = {
    "tf": ["contrib", "estimator", "spectral", "sysconfig"],
    "metrics": ["accuracy", "auc", "average_precision_at_k", "false_negatives", "false_negatives_at_thresholds",
                "false_positives", "false_positives_at_thresholds", "mean", "mean_absolute_error",
                "mean_cosine_distance", "mean_iou", "mean_per_class_accuracy", "mean_relative_error",
                "mean_squared_error", "mean_tensor", "percentage_below", "precision", "precision_at_k",
                "precision_at_thresholds", "precision_at_top_k", "recall", "recall_at_k", "recall_at_thresholds",
                "recall_at_top_k", "root_mean_squared_error", "sensitivity_at_specificity",
                "specificity_at_sensitivity", "true_negatives", "true_negatives_at_thresholds", "true_positives",
                "true_positives_at_thresholds"],
}
"""Names of TF 1.15 that the stored lists lack: gone from TF 2.21's ``tf.compat.v1`` (``tf.contrib``),
or in a namespace the lists do not cover (``tf.metrics``)."""

INSTEAD = {
    "tf.contrib": "tf.layers (dense, dropout, flatten), tf.train (optimizers) and tf.nn cover what most "
                  "programs took from tf.contrib; tf.contrib.rnn's cells are tf.nn.rnn_cell's "
                  "(tf.nn.rnn_cell.BasicLSTMCell), its static_rnn is tf.nn.static_rnn",
    "tf.estimator": "a loop of sess.run(train_op) over a tf.data iterator (see the lessons)",
    "tf.keras": "tf.layers (dense, dropout, flatten), tf.losses and tf.train, TF1's own way to build models",
    "tf.saved_model": "tf.train.Saver to save and restore variables",
    "tf.lite": "tinyflow runs graphs in Python only",
    "tf.distribute": "tinyflow runs on one CPU",
    "tf.to_float": "tf.cast(x, tf.float32)",
    "tf.to_int32": "tf.cast(x, tf.int32)",
    "tf.to_int64": "tf.cast(x, tf.int64)",
    "tf.to_double": "tf.cast(x, tf.float64)",
    "tf.initialize_all_variables": "tf.global_variables_initializer()",
    "tf.mul": "tf.multiply",
    "tf.sub": "tf.subtract",
    "tf.neg": "tf.negative",
}
"""The nearest thing tinyflow has, for TF1 names that programs often use."""

_names: "dict[str, set] | None" = None


def tensorflow_names(namespace: str) -> set:
    """The public names of TensorFlow 1.x's ``tf.<namespace>`` (``"tf"`` for ``tf`` itself)."""
    global _names
    if _names is None:
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "tf_compat_v1_names.json")) as f:
            listed = json.load(f)
        _names = {ns: set(names) for ns, names in listed.items() if ns != "_source"}
        for ns, names in _TF1_ONLY.items():
            _names.setdefault(ns, set()).update(names)
    return _names.get(namespace, set())


def missing(module: str, namespace: str, name: str, available: Iterable[str]) -> AttributeError:
    """The AttributeError for ``tf.<namespace>.<name>`` (``module`` is the Python module's name)."""
    first = "module %r has no attribute %r" % (module, name)
    if name.startswith("_"):                 # Python's and IPython's own probes (__wrapped__, _repr_html_)
        return AttributeError(first)
    spelled = "tf.%s" % name if namespace == "tf" else "tf.%s.%s" % (namespace, name)
    if name in tensorflow_names(namespace):
        text = ("%s: %s is a TensorFlow 1.x name that tinyflow does not provide. tinyflow is TF1's graph API "
                "(graphs, sessions, variables, gradients, tf.data, tf.layers, tf.train), small enough to read."
                % (first, spelled))
        instead = INSTEAD.get(spelled)
        if instead:
            text += "\nInstead: %s." % instead
        have = sorted(n for n in available if not n.startswith("_"))
        if namespace != "tf" and len(have) <= 30:          # a small namespace: say what it has
            text += "\ntinyflow's tf.%s has: %s." % (namespace, ", ".join(have))
        return AttributeError(text)
    if spelled in INSTEAD:                   # a name TensorFlow removed before 1.0 (tf.mul)
        return AttributeError("%s: %s was removed in TensorFlow 1.0.\nInstead: %s."
                              % (first, spelled, INSTEAD[spelled]))
    close = difflib.get_close_matches(name, sorted(n for n in available if not n.startswith("_")), n=3)
    return AttributeError(first + ("\nDid you mean: %s?" % ", ".join(close) if close else ""))


def module_getattr(module: str, namespace: str, scope: "dict[str, Any]"):
    """A module-level ``__getattr__`` for a namespace module whose globals are ``scope``."""
    def __getattr__(name: str) -> Any:
        raise missing(module, namespace, name, scope.get("__all__", scope))
    return __getattr__

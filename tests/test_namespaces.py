"""What learners see when they type ``tf.`` or ``tf.nn.`` and press tab: TensorFlow's names only.

``dir()`` of every namespace lists names that TensorFlow 1.x has too (checked against the names
of TensorFlow 2.21's ``tf.compat.v1``, stored in ``tinyflow/tf_compat_v1_names.json``), plus
tinyflow's own ``tf.viz``; never ``np``, ``os``, ``Any`` or the modules tinyflow is made of.
"""
import json
import pathlib
import types

import pytest

import tinyflow as tf

TF_NAMES = json.loads((pathlib.Path(tf.__file__).parent / "tf_compat_v1_names.json").read_text())
TINYFLOW_OWN = {"tf": {"viz"}}
NAMESPACES = ["tf", "nn", "train", "layers", "losses", "data", "summary", "feature_column", "errors", "test",
              "initializers", "dtypes", "math", "random", "linalg"]


def _namespace(name):
    return tf if name == "tf" else getattr(tf, name)


@pytest.mark.parametrize("name", NAMESPACES)
def test_dir_shows_tensorflow_names_only(name):
    listed = {n for n in dir(_namespace(name)) if not n.startswith("_")}
    extra = listed - set(TF_NAMES[name]) - TINYFLOW_OWN.get(name, set())
    assert not extra, "dir(tf.%s) lists names TensorFlow does not have: %s" % (name, sorted(extra))


@pytest.mark.parametrize("name", NAMESPACES)
def test_every_listed_name_is_there(name):
    ns = _namespace(name)
    for n in dir(ns):
        getattr(ns, n)


def test_the_namespaces_are_listed_and_the_internals_are_not():
    listed = set(dir(tf))
    assert {"nn", "train", "layers", "losses", "data", "summary", "feature_column", "errors", "viz"} <= listed
    modules = {n for n in listed if isinstance(getattr(tf, n), types.ModuleType)}
    assert not modules & {"framework", "session", "ops", "op_registry", "tensor_util", "variables"}


def test_the_modules_stay_importable():
    # lessons and readers import them by path; tf.gradients is the function, gradients.py its module
    import importlib
    assert callable(tf.gradients)
    assert importlib.import_module("tinyflow.gradients").gradients is tf.gradients
    from tinyflow.session import Plan  # noqa: F401
    from tinyflow.op_registry import get_gradient_function  # noqa: F401
    from tinyflow import checks
    assert hasattr(checks, "CheckFailed")
    assert tf.get_static_value(tf.constant(3)) == 3

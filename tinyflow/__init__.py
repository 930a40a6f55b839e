"""tinyflow: TensorFlow 1.x's low-level API in a small, readable package on numpy.

``import tinyflow as tf`` and the classic TF1 programs run unchanged::

    a = tf.constant(3.0)
    b = tf.constant(4.0)
    total = a + b
    print(total)                      # Tensor("add:0", shape=(), dtype=float32)
    print(tf.Session().run(total))    # 7.0

The package is built in layers, each using only those below it (CONTRIBUTING.md draws them):
``op_registry.py`` (what each op type does), ``framework.py`` (graphs, operations, tensors),
``ops/`` (the op families: ``math_ops.py``, ``array_ops.py``, ...), ``session.py`` (running them),
``gradients.py`` (``tf.gradients``), and one module per namespace learners type:
``tf.data`` in ``data.py``, ``tf.train`` in ``train.py``, ``tf.layers`` in ``layers.py``, ...
"""
import sys as _sys
import types as _types

import numpy as _np

from . import dtypes, errors, not_provided, traceback_utils
from .dtypes import (DType, as_dtype, bool, double, float16, float32, float64, half, int8, int16,  # noqa: A004
                     int32, int64, string, uint8)
from .tensor_shape import Dimension, TensorShape
from .config_pb2 import ConfigProto, GPUOptions, GraphOptions, OptimizerOptions, RunMetadata, RunOptions
from .framework import (Graph, GraphKeys, Operation, Tensor, add_to_collection, add_to_collections,
                        control_dependencies, convert_to_tensor, device, get_collection, get_collection_ref,
                        get_default_graph, name_scope, register_tensor_conversion_function,
                        reset_default_graph)
from .ops.constant_op import constant
from .ops.array_ops import *  # noqa: F401,F403
from .ops.unary_ops import *  # noqa: F401,F403
from .ops.math_ops import *  # noqa: F401,F403
from .ops.comparison_ops import *  # noqa: F401,F403
from .ops.creation_ops import *  # noqa: F401,F403
from .ops.broadcast_ops import *  # noqa: F401,F403
from .ops.reduction_ops import *  # noqa: F401,F403
from .ops.concat_ops import *  # noqa: F401,F403
from .ops.slicing_ops import *  # noqa: F401,F403
from .ops.gather_ops import *  # noqa: F401,F403
from .ops.index_ops import *  # noqa: F401,F403
from .ops.segment_ops import *  # noqa: F401,F403
from .ops.sort_ops import *  # noqa: F401,F403
from .ops.matmul_ops import *  # noqa: F401,F403
from .ops.diag_ops import *  # noqa: F401,F403
from .ops.linalg_ops import *  # noqa: F401,F403
from .ops.einsum_ops import *  # noqa: F401,F403
from .ops.control_flow_ops import *  # noqa: F401,F403
from .ops.cond import *  # noqa: F401,F403
from .ops.control_flow_case import *  # noqa: F401,F403
from .ops.tensor_array_ops import *  # noqa: F401,F403
from .ops.while_loop import *  # noqa: F401,F403
from .ops.random_ops import *  # noqa: F401,F403
from .ops.script_ops import *  # noqa: F401,F403
from .ops.parsing_ops import *  # noqa: F401,F403
from .ops.logging_ops import *  # noqa: F401,F403
from .ops.check_ops import *  # noqa: F401,F403
from .ops.clip_ops import *  # noqa: F401,F403
from .ops.nn_impl import reduce_logsumexp
from .ops.reduction_ops import argmax as arg_max, argmin as arg_min   # TF1's older names
from .ops import check_ops as _check_ops
from .ops import operators  # noqa: F401  (a + b, x[0], ...)
from .tensor_util import constant_value, constant_value as get_static_value
from .init_ops import *  # noqa: F401,F403
from .init_ops import initializers
from .variables import *  # noqa: F401,F403
from .variable_scope import *  # noqa: F401,F403
from .gradients import UnconnectedGradients, gradients, hessians
from .op_registry import NoGradient, NotDifferentiable, RegisterGradient
from .session import InteractiveSession, Session
from .framework import get_default_session
from . import test
from . import graph_def, summary, viz  # graph_def: Graph.as_graph_def()
from . import nn, losses
from . import layers, train
from . import monitored_session as _monitored_session
for _name in _monitored_session.__all__:        # tf.train.MonitoredTrainingSession, the hooks (monitored_session.py)
    setattr(train, _name, getattr(_monitored_session, _name))
train.__all__.extend(n for n in _monitored_session.__all__ if n not in train.__all__)
from . import data
from .ops.lookup_ops import tables_initializer
from . import feature_column
from . import metrics
from . import app, compat, flags, gfile, tf_logging as logging
from .compat import (disable_eager_execution, disable_resource_variables, disable_v2_behavior,
                     enable_eager_execution, enable_resource_variables, enable_v2_behavior, executing_eagerly)

# `import tinyflow.compat.v1 as tf` (TF 2-era TF1 code): tinyflow itself.
compat.v1 = _sys.modules[__name__]
_sys.modules["tinyflow.compat.v1"] = compat.v1

io = _types.ModuleType("tinyflow.io", "``tf.io``: ``tf.io.gfile`` (files and directories).")
io.gfile = gfile.io_gfile
io.decode_csv = decode_csv  # noqa: F405

# tf.math, tf.random, tf.linalg: TF 1.13+'s homes for functions tinyflow has under their TF1 names.
_ALIASES = {
    "math": {**{n: n for n in [
        "abs", "add", "add_n", "argmax", "argmin", "ceil", "cos", "count_nonzero", "cumprod", "cumsum", "divide",
        "equal", "exp", "expm1", "floor", "floordiv", "floormod", "greater", "greater_equal", "invert_permutation",
        "is_finite", "is_inf", "is_nan", "less", "less_equal", "log", "log1p", "logical_and", "logical_not",
        "logical_or", "logical_xor", "maximum", "minimum", "mod", "multiply", "negative", "not_equal", "pow",
        "reciprocal", "reduce_all", "reduce_any", "reduce_logsumexp", "reduce_max", "reduce_mean", "reduce_min",
        "reduce_prod", "reduce_sum", "rint", "round", "rsqrt", "scalar_mul", "segment_max", "segment_mean",
        "segment_min", "segment_sum", "sign", "sin", "sqrt", "square", "squared_difference", "subtract", "truediv",
        "unsorted_segment_max", "unsorted_segment_mean", "unsorted_segment_min", "unsorted_segment_sum"]},
        **{n: "nn." + n for n in ["in_top_k", "l2_normalize", "log_softmax", "sigmoid", "softmax", "softplus",
                                  "softsign", "tanh", "top_k"]}},
    "random": {"get_seed": "get_seed", "multinomial": "multinomial", "set_random_seed": "set_random_seed",
               "truncated_normal": "truncated_normal", "normal": "random_normal", "shuffle": "random_shuffle",
               "uniform": "random_uniform", "gamma": "random_gamma", "poisson": "random_poisson",
               **{n: "nn." + n for n in ["uniform_candidate_sampler", "log_uniform_candidate_sampler",
                                         "fixed_unigram_candidate_sampler"]}},
    "linalg": {"global_norm": "global_norm", "matmul": "matmul", "l2_normalize": "nn.l2_normalize",
               "band_part": "matrix_band_part", "cholesky": "cholesky", "det": "matrix_determinant",
               "diag": "matrix_diag", "diag_part": "matrix_diag_part", "einsum": "einsum", "eye": "eye",
               "inv": "matrix_inverse", "matrix_transpose": "matrix_transpose", "set_diag": "matrix_set_diag",
               "solve": "matrix_solve", "tensor_diag": "diag", "tensor_diag_part": "diag_part",
               "tensordot": "tensordot", "trace": "trace", "transpose": "matrix_transpose"},
}


def _alias_namespace(namespace: str) -> _types.ModuleType:
    module = _types.ModuleType("tinyflow." + namespace, "``tf.%s``: the same functions as their TF1 names "
                               "(``tf.%s.<name>`` is ``tf.<name>`` or ``tf.nn.<name>``)." % (namespace, namespace))
    for alias, target in _ALIASES[namespace].items():
        owner, _, attr = target.rpartition(".")
        setattr(module, alias, getattr(nn if owner == "nn" else _sys.modules[__name__], attr))
    listed = sorted(_ALIASES[namespace])
    module.__dir__ = lambda: list(listed)
    module.__getattr__ = not_provided.module_getattr(module.__name__, namespace, module.__dict__)
    return module


math, random, linalg = (_alias_namespace(n) for n in ("math", "random", "linalg"))

debugging = _types.ModuleType("tinyflow.debugging", "``tf.debugging``: tf.Assert, the assert_* family, "
                              "check_numerics (tinyflow/ops/logging_ops.py, check_ops.py).")
for _name in ["Assert", "check_numerics"] + _check_ops.__all__:
    setattr(debugging, _name, globals()[_name])

# NumPy 2 prints scalars inside containers as `np.float32(3.0)`; TensorFlow's guide (and TF1 on
# the numpy of its day) shows `3.0`. Printing like numpy 1.25 keeps lesson output matching the guide.
_np.set_printoptions(legacy="1.25")

# Errors tinyflow raises for you are shown with your own frames only (traceback_utils.py).
traceback_utils.install()

# What TF1 programs print and compare (`tf.__version__`, `tf.VERSION`): the TensorFlow API level
# tinyflow follows, with tinyflow's own release after the "+" (PEP 440's local part, so that
# `"1.15.0+tinyflow.0.1.0" >= "1.4"` and `packaging.version.Version(...)` both work).
VERSION = __version__ = "1.15.0+tinyflow.0.1.0"


# What `dir(tf)` lists: TensorFlow's names, the namespaces learners type, and tinyflow's own
# `tf.viz`. The modules the package is made of (framework, session, ops, ...) and a few names of
# tinyflow's own stay importable but are not listed.
_NAMESPACES = {"nn", "train", "layers", "losses", "data", "summary", "feature_column", "errors", "test",
               "initializers", "dtypes", "viz", "app", "compat", "flags", "gfile", "io", "logging", "debugging",
               "metrics", "math", "random", "linalg"}
_NOT_LISTED = {"Initializer", "VariableV1", "broadcast_gradient_args", "categorical", "constant_value",
               "with_dependencies"}


def __dir__() -> "list[str]":
    return sorted(n for n, v in globals().items()
                  if not n.startswith("_") and n not in _NOT_LISTED
                  and (not isinstance(v, _types.ModuleType) or n in _NAMESPACES))


def __getattr__(name: str):
    """``from tinyflow import checks`` (the exercises) and ``tinyflow.course``: the classroom
    modules, loaded on first use. A TensorFlow name tinyflow leaves out says so (``not_provided.py``)."""
    if name in ("checks", "course"):
        import importlib
        return importlib.import_module("tinyflow.classroom." + name)
    raise not_provided.missing("tinyflow", "tf", name, __dir__())

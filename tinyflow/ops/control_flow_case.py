"""``tf.case`` and ``tf.switch_case``: several branches, as nested ``tf.cond``s.

``tf.case([(p1, f1), (p2, f2)], default=f3)`` runs the function of the first true predicate:
``cond(p1, f1, lambda: cond(p2, f2, f3))``, built from the last pair inwards as TF1 builds it
(``case/cond/Merge``). ``exclusive=True`` adds a check, when the graph runs, that at most one
predicate is true.

TensorFlow's counterpart: ``python/ops/control_flow_case.py``.
"""
from __future__ import annotations

import builtins
from typing import Any, Callable

from .. import dtypes
from ..framework import Operation, Tensor, convert_to_tensor, name_scope
from . import comparison_ops, concat_ops, cond as cond_module, control_flow_ops, logging_ops, reduction_ops, unary_ops

__all__ = ["case", "switch_case"]


def case(pred_fn_pairs: Any, default: "Callable | None" = None, exclusive: bool = False, strict: bool = False,
         name: str = "case") -> Any:
    """The function of the first true predicate (``[(pred, fn), ...]`` or a dict), else ``default()``:
    nested ``tf.cond``s, built from the last pair inwards as TF1 builds them. Without ``default``
    the last pair's function is the default, and the run fails if its predicate is false too.
    ``exclusive=True`` checks, when the graph runs, that at most one predicate is true."""
    if isinstance(pred_fn_pairs, dict):
        pred_fn_pairs = list(pred_fn_pairs.items())
    if not isinstance(pred_fn_pairs, (list, builtins.tuple)):
        raise TypeError("pred_fn_pairs must be a list, tuple, or dict")
    for pair in pred_fn_pairs:
        if not isinstance(pair, builtins.tuple) or len(pair) != 2:
            raise TypeError("Each entry in pred_fn_pairs must be a 2-tuple")
        pred, fn = pair
        if not isinstance(pred, Tensor) or pred.dtype.base_dtype is not dtypes.bool:
            raise TypeError("pred must be Tensor of type bool: %s" % getattr(pred, "name", pred))
        if not callable(fn):
            raise TypeError("fn for pred %s must be callable." % pred.name)
    preds, fns = [p for p, _ in pred_fn_pairs], [f for _, f in pred_fn_pairs]
    with name_scope(name, "case", preds):
        if default is None:
            if not preds:
                raise ValueError("default must be callable when pred_fn_pairs is empty.")
            default, preds, fns = _default_action(preds, fns), preds[:-1], fns[:-1]
        elif not callable(default):
            raise TypeError("default must be callable.")
        fn = default
        for pred, branch in reversed(list(zip(preds, fns))):
            fn = _bind(pred, branch, fn, strict)
        if exclusive and preds:
            check = _assert_at_most_n_true(preds, 1, "Input error: exclusive=True")
            with control_flow_ops.control_dependencies([check]):
                return fn()
        return fn()


def _bind(pred: Tensor, branch: Callable, otherwise: Callable, strict: bool) -> Callable:
    return lambda: cond_module.cond(pred, branch, otherwise, strict=strict)


def _assert_at_most_n_true(preds: list, n: int, msg: str) -> Operation:
    preds_c = concat_ops.stack(preds, name="preds_c")
    count = reduction_ops.reduce_sum(unary_ops.cast(preds_c, dtypes.int32), name="num_true_conds")
    condition = comparison_ops.less_equal(count, convert_to_tensor(n, name="n_true_conds"))
    names = ", ".join(p.name for p in preds)
    return logging_ops.Assert(condition, ["%s: more than %d conditions (%s) evaluated as True:" % (msg, n, names),
                                          preds_c], summarize=len(preds))


def _default_action(preds: list, fns: list) -> Callable:
    """TF1's default when none is given: the last function, checked to be the one chosen."""
    k = len(preds) - 1

    def default_action():
        others = ("Implementation error: selected default action #%d was called, but some of other predicates "
                  "are True: " % k)
        with control_flow_ops.control_dependencies([
                _assert_at_most_n_true(preds[:k], 0, others),
                logging_ops.Assert(preds[k], ["Input error: None of conditions evaluated as True:",
                                              concat_ops.stack(preds, name="preds_c")])]):
            return fns[k]()
    return default_action


def switch_case(branch_index: Any, branch_fns: Any, default: "Callable | None" = None,
                name: str = "switch_case") -> Any:
    """``branch_fns[branch_index]()`` (a list, or a dict with the keys 0 to n-1), ``default()`` (or
    the last branch) for any other index: built as a ``tf.case`` on ``branch_index == k``
    (TensorFlow builds one ``Case`` op; the values are the same)."""
    items = sorted(branch_fns.items()) if isinstance(branch_fns, dict) else list(enumerate(branch_fns))
    if not items:
        raise ValueError("Must provide at least one item in 'branch_fns'")
    keys = [k for k, _ in items]
    if keys != list(range(len(keys))):
        raise ValueError("branch indices (keys) must form contiguous range of [0 to %d) but found {%s}"
                         % (len(keys), ",".join(str(k) for k in keys)))
    with name_scope(name, "switch_case", [branch_index]):
        index = convert_to_tensor(branch_index, name="branch_index")
        if index.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
            raise TypeError("'branch_index' must be an integer Tensor, got %s\nFix: e.g. tf.cast(index, tf.int32)."
                            % index.dtype.base_dtype.name)
        pairs = [(comparison_ops.equal(index, k), fn) for k, fn in items]
        if default is None:
            default = items[-1][1]
        return case(pairs, default)

"""``tf.ConfigProto``, ``tf.GPUOptions``, ``tf.RunOptions``, ``tf.RunMetadata``: the option messages
TF1 programs hand to ``tf.Session(config=...)`` and ``sess.run(..., options=, run_metadata=)``.

tinyflow runs every op on the CPU, in Python, one after the other: none of these options changes
what a session does. They are accepted, keep their fields as protobuf messages do (unknown fields
are errors, ``print(config)`` shows what was set), so that programs run unchanged.

TensorFlow's counterpart: ``core/protobuf/config.proto``.
"""
from __future__ import annotations

from typing import Any

__all__ = ["ConfigProto", "GPUOptions", "GraphOptions", "OptimizerOptions", "RunOptions", "RunMetadata"]


class _Message:
    """A protobuf-like message: the fields of ``_FIELDS`` (name -> default or message class)."""

    _FIELDS: "dict[str, Any]" = {}

    def __init__(self, **fields: Any):
        for name, default in self._FIELDS.items():
            object.__setattr__(self, name, default() if isinstance(default, type) else
                               dict(default) if isinstance(default, dict) else
                               list(default) if isinstance(default, list) else default)
        for name, value in fields.items():
            if name not in self._FIELDS:
                raise ValueError('Protocol message %s has no "%s" field.' % (type(self).__name__, name))
            if isinstance(getattr(self, name), dict):
                getattr(self, name).update(value)
            else:
                setattr(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        if name not in self._FIELDS:
            raise AttributeError('Assignment not allowed (no field "%s" in protocol message object).' % name)
        object.__setattr__(self, name, value)

    def HasField(self, name: str) -> bool:  # noqa: N802 (protobuf's name)
        return getattr(self, name) != _blank(self._FIELDS[name])

    def _lines(self, indent: str = "") -> "list[str]":
        lines = []
        for name, default in self._FIELDS.items():
            value = getattr(self, name)
            if value == _blank(default):
                continue
            if isinstance(value, _Message):
                lines += ["%s%s {" % (indent, name)] + value._lines(indent + "  ") + [indent + "}"]
            elif isinstance(value, dict):
                for key in value:
                    lines += ['%s%s {' % (indent, name), '%s  key: "%s"' % (indent, key),
                              "%s  value: %s" % (indent, value[key]), indent + "}"]
            elif isinstance(value, list):
                lines += ["%s%s: %s" % (indent, name, _text(v)) for v in value]
            else:
                lines.append("%s%s: %s" % (indent, name, _text(value)))
        return lines

    def __str__(self) -> str:
        return "".join(line + "\n" for line in self._lines())

    __repr__ = __str__

    def __eq__(self, other: Any) -> bool:
        return type(other) is type(self) and all(getattr(self, n) == getattr(other, n) for n in self._FIELDS)


def _blank(default: Any) -> Any:
    return default() if isinstance(default, type) else default


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"%s"' % value
    return str(value)


class GPUOptions(_Message):
    _FIELDS = {"per_process_gpu_memory_fraction": 0.0, "allow_growth": False, "allocator_type": "",
               "visible_device_list": "", "force_gpu_compatible": False}


class OptimizerOptions(_Message):
    L1, L0, DEFAULT = 0, -1, 0                   # Level
    OFF, ON_1, ON_2 = -1, 1, 2                   # GlobalJitLevel (DEFAULT is 0 too)
    _FIELDS = {"do_common_subexpression_elimination": False, "do_constant_folding": False, "opt_level": 0,
               "global_jit_level": 0}


class GraphOptions(_Message):
    _FIELDS = {"optimizer_options": OptimizerOptions, "build_cost_model": 0, "infer_shapes": False,
               "place_pruned_graph": False, "enable_bfloat16_sendrecv": False}


class ConfigProto(_Message):
    _FIELDS = {"device_count": {}, "intra_op_parallelism_threads": 0, "inter_op_parallelism_threads": 0,
               "gpu_options": GPUOptions, "allow_soft_placement": False, "log_device_placement": False,
               "use_per_session_threads": False, "graph_options": GraphOptions, "operation_timeout_in_ms": 0,
               "isolate_session_state": False}                  # (in the order of config.proto's field numbers)


class RunOptions(_Message):
    NO_TRACE, SOFTWARE_TRACE, HARDWARE_TRACE, FULL_TRACE = 0, 1, 2, 3
    _FIELDS = {"trace_level": 0, "timeout_in_ms": 0, "output_partition_graphs": False,
               "report_tensor_allocations_upon_oom": False}


class StepStats(_Message):
    _FIELDS = {"dev_stats": []}


class RunMetadata(_Message):
    """Filled by nothing in tinyflow (no per-op timings): its ``step_stats`` stay empty."""
    _FIELDS = {"step_stats": StepStats, "partition_graphs": []}

    def SerializeToString(self) -> bytes:  # noqa: N802 (protobuf's name)
        """The protobuf bytes: empty, as nothing fills it (TensorBoard accepts it)."""
        return b""


def __dir__() -> "list[str]":
    return list(__all__)

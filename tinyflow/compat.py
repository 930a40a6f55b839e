"""``tf.compat``: ``tf.compat.v1`` is tinyflow itself, so TF 2-era TF1 code runs unchanged::

    import tinyflow.compat.v1 as tf
    tf.disable_v2_behavior()          # tinyflow always behaves as TensorFlow 1.x: nothing to do

``tinyflow/__init__.py`` fills in ``v1`` (and ``sys.modules["tinyflow.compat.v1"]``) once the
package is built. Also the byte/text helpers TF1 programs use: ``tf.compat.as_bytes``, ...
"""
from __future__ import annotations

from typing import Any

__all__ = ["v1", "as_bytes", "as_str", "as_text", "as_str_any"]

v1: Any = None
"""The ``tinyflow`` package (set by ``tinyflow/__init__.py``)."""


def as_bytes(bytes_or_text: Any, encoding: str = "utf-8") -> bytes:
    """``bytes_or_text`` as bytes: text is encoded, bytes are returned as they are."""
    if isinstance(bytes_or_text, bytearray):
        return bytes(bytes_or_text)
    if isinstance(bytes_or_text, str):
        return bytes_or_text.encode(encoding)
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text
    raise TypeError("Expected binary or unicode string, got %r" % (bytes_or_text,))


def as_text(bytes_or_text: Any, encoding: str = "utf-8") -> str:
    """``bytes_or_text`` as text: bytes are decoded, text is returned as it is."""
    if isinstance(bytes_or_text, str):
        return bytes_or_text
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text.decode(encoding)
    raise TypeError("Expected binary or unicode string, got %r" % (bytes_or_text,))


as_str = as_text


def as_str_any(value: Any) -> str:
    """``str(value)``, or the decoded text of bytes."""
    return as_str(value) if isinstance(value, bytes) else str(value)


# TensorFlow 2's switches back to TF1 behaviour: tinyflow is TF1 behaviour, so they change nothing.
def disable_v2_behavior() -> None:
    """Nothing to do: tinyflow always behaves as TensorFlow 1.x (graphs, sessions)."""


def disable_eager_execution() -> None:
    """Nothing to do: tinyflow always builds graphs and runs them in sessions."""


def enable_v2_behavior() -> None:
    raise NotImplementedError("tinyflow is TensorFlow 1.x's graph API: it has no TF 2 (eager) behaviour to "
                              "enable.\nFix: leave it out; build a graph and run it in a tf.Session().")


enable_eager_execution = enable_v2_behavior


def disable_resource_variables() -> None:
    """Nothing to do: tinyflow's variables are TF1's reference variables."""


def enable_resource_variables() -> None:
    """Nothing to do: tinyflow's variables behave the same either way for what it implements."""


def executing_eagerly() -> bool:
    """False: tinyflow builds graphs (TensorFlow 1.x's graph mode)."""
    return False


def __dir__() -> "list[str]":
    return list(__all__)

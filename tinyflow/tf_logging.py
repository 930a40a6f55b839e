"""``tf.logging``: TF1's logging functions, on Python's ``logging`` (the logger ``tensorflow``).

As in TF1: messages go to stderr as ``INFO:tensorflow:...``; the default verbosity is WARN, so
``tf.logging.info`` shows nothing until ``tf.logging.set_verbosity(tf.logging.INFO)``.
"""
from __future__ import annotations

import logging as _logging
import sys
from typing import Any

__all__ = ["DEBUG", "INFO", "WARN", "ERROR", "FATAL", "set_verbosity", "get_verbosity", "debug", "info",
           "warn", "warning", "error", "fatal", "log", "log_if", "log_every_n", "log_first_n", "vlog", "flush"]

DEBUG, INFO, WARN, ERROR, FATAL = _logging.DEBUG, _logging.INFO, _logging.WARN, _logging.ERROR, _logging.FATAL

class _StderrHandler(_logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is now (a notebook's, a test's), not the one at import."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


_logger = _logging.getLogger("tensorflow")
if not _logger.handlers:
    _handler = _StderrHandler()
    _handler.setFormatter(_logging.Formatter("%(levelname)s:%(name)s:%(message)s"))
    _logger.addHandler(_handler)
    _logger.propagate = False
    _logger.setLevel(WARN)

_counts: "dict[tuple, int]" = {}


def set_verbosity(v: int) -> None:
    """Shows messages of level ``v`` and above (tf.logging.INFO, WARN, ...)."""
    _logger.setLevel(v)


def get_verbosity() -> int:
    return _logger.getEffectiveLevel()


def log(level: int, msg: Any, *args: Any, **kwargs: Any) -> None:
    _logger.log(level, msg, *args, **kwargs)


def debug(msg: Any, *args: Any, **kwargs: Any) -> None:
    _logger.debug(msg, *args, **kwargs)


def info(msg: Any, *args: Any, **kwargs: Any) -> None:
    _logger.info(msg, *args, **kwargs)


def warning(msg: Any, *args: Any, **kwargs: Any) -> None:
    _logger.warning(msg, *args, **kwargs)


warn = warning


def error(msg: Any, *args: Any, **kwargs: Any) -> None:
    _logger.error(msg, *args, **kwargs)


def fatal(msg: Any, *args: Any, **kwargs: Any) -> None:
    """Logs at FATAL (TF1 logs and carries on; it does not exit)."""
    _logger.fatal(msg, *args, **kwargs)


def vlog(level: int, msg: Any, *args: Any, **kwargs: Any) -> None:
    _logger.log(level, msg, *args, **kwargs)


def log_if(level: int, msg: Any, condition: Any, *args: Any) -> None:
    if condition:
        _logger.log(level, msg, *args)


def _site() -> tuple:
    frame = sys._getframe(2)
    return frame.f_code.co_filename, frame.f_lineno


def log_every_n(level: int, msg: Any, n: int, *args: Any) -> None:
    """Logs the 1st, (n+1)th, (2n+1)th, ... time this line runs."""
    site = _site()
    count = _counts.get(site, 0)
    _counts[site] = count + 1
    log_if(level, msg, count % n == 0, *args)


def log_first_n(level: int, msg: Any, n: int, *args: Any) -> None:
    """Logs the first ``n`` times this line runs."""
    site = _site()
    count = _counts.get(site, 0)
    _counts[site] = count + 1
    log_if(level, msg, count < n, *args)


def flush() -> None:
    for handler in _logger.handlers:
        handler.flush()


def __dir__() -> "list[str]":
    return list(__all__)

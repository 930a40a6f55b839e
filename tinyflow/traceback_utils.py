"""Where in *your* code: creation sites of ops, and tracebacks that show your lines only.

Two jobs, one idea: tinyflow's own files are not where a learner's mistake is.

* **Creation sites.** Every op remembers the line of user code that created it (the innermost
  frame outside tinyflow), so a run-time error can say "defined at Cell In[3]:2".
* **Tracebacks.** An error that tinyflow raises on purpose (a ``raise`` statement in its code:
  a wrong dtype, an unfed placeholder, ...) is shown with the learner's frames only, in a
  notebook and in a script: the cell, the line, the message with its fix. tinyflow's own
  frames, and the library frames between them (numpy inside a kernel), are left out, and so is
  a chained internal exception (numpy's, inside a kernel) whose text is already in the message.
  Anything else, such as a bug in tinyflow itself, keeps its whole traceback. ``%tb`` in
  IPython, or ``TINYFLOW_TRACEBACKS=full`` in the environment, shows every frame.

TensorFlow 2 does the same with ``tensorflow/python/util/traceback_utils.py``
(``tf.debugging.disable_traceback_filtering()`` switches it off).
"""
from __future__ import annotations

import dis
import linecache
import os
import re
import sys
import types
from typing import Any

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
_PACKAGE_PREFIX = PACKAGE_DIR + os.sep
_LIBRARY_DIRS = tuple({os.path.dirname(os.__file__), sys.prefix, sys.base_prefix} - {""})

PACKAGE, LIBRARY, USER = 0, 1, 2
"""What a source file is: part of tinyflow, of a library (stdlib, site-packages), or user code."""


class _FileKinds(dict):
    """filename -> PACKAGE, LIBRARY or USER.

    A dict that fills itself in: looking a file up is one dict access after the first time."""

    def __missing__(self, filename: str) -> int:
        if filename.startswith(_PACKAGE_PREFIX):
            kind = PACKAGE
        elif filename.startswith(_LIBRARY_DIRS) or "site-packages" in filename:
            kind = LIBRARY
        else:
            kind = USER
        self[filename] = kind
        return kind


file_kind = _FileKinds()


# --------------------------------------------------------------------------------------------
# Creation sites
# --------------------------------------------------------------------------------------------
def user_frames() -> tuple:
    """Where user code created an op: ``(code, lineno)`` of the innermost user frame, followed by
    ``(code, lineno)`` of its caller when that is user code too (see ``Operation.traceback``).

    Frames inside tinyflow are skipped; the walk stops at the first library frame
    (Python's own modules, site-packages: IPython, pytest, ...). Runs once per op, so it is
    written for speed and keeps code objects (shared) rather than new strings.
    """
    kinds = file_kind
    frame = sys._getframe(2)
    while frame is not None and kinds[frame.f_code.co_filename] == PACKAGE:
        frame = frame.f_back
    if frame is None:
        return ()
    caller = frame.f_back
    if caller is None or kinds[caller.f_code.co_filename] != USER:
        return (frame.f_code, frame.f_lineno)
    return (frame.f_code, frame.f_lineno, caller.f_code, caller.f_lineno)


def expand_site(site: tuple) -> tuple:
    """``(code, lineno, ...)`` as ``((filename, lineno, function), ...)``, innermost first."""
    return tuple((site[i].co_filename, site[i + 1], site[i].co_name) for i in range(0, len(site), 2))


def display_filename(filename: str) -> str:
    """A notebook cell's temporary file is shown the way IPython shows it: ``Cell In[3]``."""
    if "ipykernel_" in filename or filename.startswith("<ipython-input"):
        ipython = sys.modules.get("IPython")
        shell = ipython.get_ipython() if ipython is not None else None
        cell = getattr(getattr(shell, "compile", None), "_filename_map", {}).get(filename)
        if cell is not None:
            return "Cell In[%s]" % cell
    return filename


def format_site(frames: tuple) -> str:
    """Formats creation frames like a traceback, innermost first."""
    lines = []
    for filename, lineno, func in frames:
        lines.append('  File "%s", line %d, in %s' % (display_filename(filename), lineno, func))
        text = linecache.getline(filename, lineno).strip()
        if text:
            lines.append("    " + text)
    return "\n".join(lines)


def assigned_name(frames: tuple) -> "str | None":
    """The Python name the creating line assigned to, e.g. ``x`` for ``x = tf.placeholder(...)``."""
    if not frames:
        return None
    filename, lineno, _ = frames[0]
    match = re.match(r"\s*([A-Za-z_]\w*)\s*=[^=]", linecache.getline(filename, lineno))
    return match.group(1) if match else None


# --------------------------------------------------------------------------------------------
# Tracebacks with the learner's frames only
# --------------------------------------------------------------------------------------------
_RAISE_OPCODES = frozenset(dis.opmap[name] for name in ("RAISE_VARARGS", "RERAISE") if name in dis.opmap)


def raised_by_tinyflow(tb: "types.TracebackType | None") -> bool:
    """Whether the innermost frame of ``tb`` is a ``raise`` statement in tinyflow's code: an error
    raised for the learner on purpose (rather than, say, a bug in tinyflow)."""
    if tb is None:
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    code = tb.tb_frame.f_code
    if file_kind[code.co_filename] != PACKAGE:
        return False
    try:
        return code.co_code[tb.tb_lasti] in _RAISE_OPCODES
    except IndexError:
        return False


def user_traceback(tb: "types.TracebackType | None") -> "types.TracebackType | None":
    """``tb`` without tinyflow's frames, nor the library frames that tinyflow calls or that call
    into tinyflow (numpy inside a kernel, ``contextlib`` around a decorated function)."""
    entries = []
    while tb is not None:
        entries.append(tb)
        tb = tb.tb_next
    kinds = [file_kind[e.tb_frame.f_code.co_filename] for e in entries]
    keep = []
    for i, entry in enumerate(entries):
        if kinds[i] == PACKAGE:
            continue
        if kinds[i] == LIBRARY:
            outer = next((k for k in reversed(kinds[:i]) if k != LIBRARY), USER)
            inner = next((k for k in kinds[i + 1:] if k != LIBRARY), USER)
            if PACKAGE in (outer, inner):
                continue
        keep.append(entry)
    result = None
    for entry in reversed(keep):
        result = types.TracebackType(result, entry.tb_frame, entry.tb_lasti, entry.tb_lineno)
    return result


def _has_user_frame(tb: "types.TracebackType | None") -> bool:
    while tb is not None:
        if file_kind[tb.tb_frame.f_code.co_filename] == USER:
            return True
        tb = tb.tb_next
    return False


class _LearnersView:
    """While formatting (``with _LearnersView(exc):``), ``exc`` and the exceptions chained to it
    show the learner's frames only; a chained exception with no user frame at all (numpy's,
    inside a kernel) is left out. Everything is put back afterwards."""

    def __init__(self, exc: BaseException):
        self.exc = exc
        self.saved: list = []

    def __enter__(self) -> "types.TracebackType | None":
        chain, seen = [self.exc], {id(self.exc)}
        while True:
            e = chain[-1]
            nxt = e.__cause__ if e.__cause__ is not None else (None if e.__suppress_context__ else e.__context__)
            if nxt is None or id(nxt) in seen:
                break
            seen.add(id(nxt))
            chain.append(nxt)
        for e in chain:
            self.saved.append((e, e.__traceback__, e.__cause__, e.__context__, e.__suppress_context__))
        for e, nxt in zip(chain, chain[1:]):
            if not _has_user_frame(nxt.__traceback__):     # internal: its text is in the message
                e.__cause__, e.__context__, e.__suppress_context__ = None, None, True
                break
        for e in chain:
            e.__traceback__ = user_traceback(e.__traceback__)
        return self.exc.__traceback__

    def __exit__(self, *exc_info) -> None:
        for e, tb, cause, context, suppress in self.saved:
            e.__traceback__, e.__cause__, e.__context__, e.__suppress_context__ = tb, cause, context, suppress


def _filtering() -> bool:
    return os.environ.get("TINYFLOW_TRACEBACKS", "").lower() != "full"


def _show_in_ipython(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: Any = None) -> None:
    """IPython's custom exception handler: the usual report, or the learner's view of it.

    ``sys.last_traceback`` keeps every frame, so ``%tb`` and ``%debug`` still see tinyflow's."""
    if issubclass(etype, SyntaxError) and not _has_user_frame(tb):
        shell.showsyntaxerror()                              # the cell itself does not parse
        return
    if not (_filtering() and raised_by_tinyflow(tb)):
        shell.showtraceback(running_compiled_code=True)      # what IPython does without us
        return
    with _LearnersView(value) as user_tb:
        shell.showtraceback((etype, value, user_tb), tb_offset=tb_offset, running_compiled_code=True)
    sys.last_traceback = tb


def _excepthook(etype: type, value: BaseException, tb: Any) -> None:
    """``sys.excepthook`` for scripts: Python's own report, or the learner's view of it."""
    if not (_filtering() and raised_by_tinyflow(tb)):
        return sys.__excepthook__(etype, value, tb)
    import traceback
    with _LearnersView(value) as user_tb:
        traceback.print_exception(etype, value, user_tb)


def install() -> None:
    """Shows tinyflow's errors with the learner's frames only: in IPython/Jupyter through its
    custom exception handler, in scripts through ``sys.excepthook``. Either is left alone if
    something else has already customised it."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None and hasattr(shell, "set_custom_exc"):
        ours = getattr(getattr(shell, "CustomTB", None), "__func__", None)
        if not shell.custom_exceptions or getattr(ours, "tinyflow", False):
            shell.set_custom_exc((Exception,), _show_in_ipython)
            shell.CustomTB.__func__.tinyflow = True       # ours: a second import replaces it
    if sys.excepthook is sys.__excepthook__:
        sys.excepthook = _excepthook

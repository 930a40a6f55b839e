"""``tf.app``: ``tf.app.run(main)`` parses the command-line flags, calls ``main(argv)`` and exits
with what it returns, as TF1 programs end::

    def main(argv):
        ...

    if __name__ == "__main__":
        tf.app.run()                  # main defaults to the __main__ module's main

As in TF1, flags it does not know are left in ``argv`` for ``main`` (so a notebook kernel's own
``-f`` option is no error), and the program exits: in a notebook that is a ``SystemExit``, which
Jupyter reports; there, call ``main([])`` yourself instead.
"""
from __future__ import annotations

import sys
from typing import Callable

from . import flags

__all__ = ["run", "flags"]


def run(main: "Callable | None" = None, argv: "list[str] | None" = None) -> None:
    """Parses the flags in ``argv`` (default ``sys.argv``), then ``sys.exit(main(argv_left))``."""
    if main is None:
        main = getattr(sys.modules.get("__main__"), "main", None)
        if main is None:
            raise AttributeError("tf.app.run() calls the main function of your program, and it has none.\n"
                                 "Fix: define `def main(argv): ...`, or pass it: tf.app.run(main=my_function).")
    try:
        rest = flags.FLAGS(sys.argv if argv is None else argv, known_only=True)
    except flags.Error as e:
        print("FATAL Flags parsing error: %s" % e, file=sys.stderr)
        sys.exit(1)
    sys.exit(main(rest))


def __dir__() -> "list[str]":
    return list(__all__)

"""The op table: every op type tinyflow registers, where its block is, and whether it is differentiable.

Read from the op registry, so it is never out of date. ``CONTRIBUTING.md`` holds a copy between
two markers, which a test compares with this output.

Usage:
    python tools/op_table.py            # print the table (markdown)
    python tools/op_table.py --write    # refresh the copy in CONTRIBUTING.md
"""
import pathlib
import sys

import tinyflow  # noqa: F401  (registers every op)
from tinyflow import op_registry

CONTRIBUTING = pathlib.Path(__file__).resolve().parents[1] / "CONTRIBUTING.md"
BEGIN, END = "<!-- op table: begin -->", "<!-- op table: end -->"


def _gradient(op_type: str) -> str:
    if not op_registry.has_gradient(op_type):
        return "none registered"
    return "yes" if op_registry.registered_gradient(op_type) is not None else "no (`NoGradient`)"


def _kind(op_def: op_registry.OpDef) -> str:
    if op_def.handle:
        return "handle to session state"
    if op_def.random:
        return "random"
    return "stateful" if op_def.stateful else ""


def table() -> str:
    rows = []
    for op_type in op_registry.registered_op_types():
        op_def = op_registry.get_op_def(op_type)
        path = (op_def.module or "?").replace(".", "/") + ".py"
        rows.append((path, op_type, _gradient(op_type), _kind(op_def)))
    rows.sort()
    lines = ["| file | op type | gradient | runs with |", "|---|---|---|---|"]
    lines += ["| `%s` | `%s` | %s | %s |" % row for row in rows]
    return "\n".join(lines) + "\n"


def _write() -> None:
    text = CONTRIBUTING.read_text()
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    CONTRIBUTING.write_text(text[:start] + "\n" + table() + text[end:])


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        _write()
    else:
        sys.stdout.write(table())

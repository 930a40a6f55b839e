"""Classroom exercises: turn instructor notebooks into student notebooks.

Instructor notebooks (``exercises/*.ipynb``) hold the solutions between nbgrader's markers::

    def softsign(x):
        ### BEGIN SOLUTION
        return x / (1 + np.abs(x))
        ### END SOLUTION

``python -m tinyflow.classroom.course release [SOURCE] [DEST]`` (defaults ``exercises`` and
``lessons/exercises``) writes one student notebook per instructor notebook, where each
solution region becomes (with the indentation of its ``### BEGIN SOLUTION`` line)::

        # YOUR CODE HERE
        raise NotImplementedError()

(in a markdown cell: ``YOUR ANSWER HERE``). Outputs and execution counts are cleared, cell
metadata is reduced to tags, cell ids are renumbered, and the JSON is written the way nbformat
writes it, so releasing twice gives identical bytes. The student notebooks contain every other
cell unchanged, including the check cells that call :mod:`tinyflow.classroom.checks`.

``python -m tinyflow.classroom.course check [SOURCE] [DEST]`` verifies that the student notebooks in
DEST are exactly what a fresh release would write (exit status 1, naming the files, if not).

The markers are nbgrader's, so a course can move to nbgrader later without editing notebooks.
Only the standard library is needed.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Sequence

__all__ = ["BEGIN_SOLUTION", "END_SOLUTION", "ReleaseError", "strip_solutions", "student_notebook", "dumps",
           "release", "check", "main"]

BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
CODE_STUB = ("# YOUR CODE HERE", "raise NotImplementedError()")
MARKDOWN_STUB = ("YOUR ANSWER HERE",)
DEFAULT_SOURCE = "exercises"
DEFAULT_DEST = "lessons/exercises"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


class ReleaseError(ValueError):
    """An instructor notebook cannot be released (e.g. unbalanced solution markers)."""


def _source_text(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def strip_solutions(source: str, cell_type: str = "code", where: str = "cell") -> "tuple[str, int]":
    """Replaces each ``### BEGIN SOLUTION`` ... ``### END SOLUTION`` region of ``source``.

    Returns the new source and the number of regions replaced. Raises :class:`ReleaseError` for
    a region that is not closed, an ``END`` without ``BEGIN``, or nested regions.
    """
    stub = CODE_STUB if cell_type == "code" else MARKDOWN_STUB
    out: "list[str]" = []
    inside, regions = False, 0
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        if BEGIN_SOLUTION in line:
            if inside:
                raise ReleaseError("%s, line %d: %s inside another solution region" % (where, number, BEGIN_SOLUTION))
            inside, regions = True, regions + 1
            indent = line[:len(line) - len(line.lstrip())]
            out.extend(indent + text + "\n" for text in stub)
        elif END_SOLUTION in line:
            if not inside:
                raise ReleaseError("%s, line %d: %s without %s" % (where, number, END_SOLUTION, BEGIN_SOLUTION))
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ReleaseError("%s: %s is never closed by %s" % (where, BEGIN_SOLUTION, END_SOLUTION))
    text = "".join(out)
    if regions and not source.endswith("\n") and text.endswith("\n"):
        text = text[:-1]                        # keep the cell's own ending
    return text, regions


def student_notebook(nb: dict, name: str = "notebook") -> dict:
    """The student version of an instructor notebook (a new dict; ``nb`` is not changed)."""
    cells = []
    for index, cell in enumerate(nb.get("cells", [])):
        cell_type = cell.get("cell_type", "code")
        source, _ = strip_solutions(_source_text(cell), cell_type, "%s, cell %d" % (name, index))
        new: "dict[str, Any]" = {"cell_type": cell_type, "id": "cell-%d" % index, "metadata": {}, "source": source}
        tags = cell.get("metadata", {}).get("tags")
        if tags:
            new["metadata"]["tags"] = list(tags)
        if cell_type == "code":
            new["execution_count"] = None
            new["outputs"] = []
        elif "attachments" in cell and cell_type == "markdown":
            new["attachments"] = cell["attachments"]
        cells.append(new)
    metadata = nb.get("metadata", {})
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": dict(metadata.get("kernelspec") or KERNELSPEC),
            "language_info": {"name": "python"},
            "tinyflow": {"generated_from": name},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _split_lines(text: str) -> "list[str]":
    return text.splitlines(keepends=True)


def dumps(nb: dict) -> str:
    """JSON text exactly as ``nbformat.writes`` gives it (sources as lists of lines, sorted keys,
    one-space indent, a final newline), so that saving the notebook in Jupyter changes nothing."""
    nb = json.loads(json.dumps(nb))             # a deep copy
    for cell in nb["cells"]:
        cell["source"] = _split_lines(_source_text(cell))
    return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False, separators=(",", ": ")) + "\n"


def _expected(source: Path) -> "dict[str, str]":
    """Student notebook name -> text, for every ``*.ipynb`` directly in ``source`` (sorted)."""
    if not source.is_dir():
        raise ReleaseError("no exercise folder %s" % source)
    result = {}
    for path in sorted(source.glob("*.ipynb")):
        with open(path, encoding="utf-8") as f:
            nb = json.load(f)
        if nb.get("nbformat") != 4:
            raise ReleaseError("%s: only nbformat 4 notebooks are supported" % path.as_posix())
        result[path.name] = dumps(student_notebook(nb, path.name))
    return result


def _generated_from(path: Path) -> "str | None":
    """The instructor notebook a student notebook in DEST was generated from (None if not ours)."""
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f).get("metadata", {}).get("tinyflow", {}).get("generated_from")
    except (OSError, ValueError, AttributeError):
        return None


def _stale(dest: Path, expected: "dict[str, str]") -> "list[Path]":
    """Generated notebooks in DEST whose instructor notebook is gone: only files still named
    after the notebook they were generated from. A learner's copy (``my_ex01.ipynb``, saved
    from ``ex01.ipynb``, so generated from it too) is the learner's work: never removed."""
    if not dest.is_dir():
        return []
    return [p for p in sorted(dest.glob("*.ipynb")) if p.name not in expected and _generated_from(p) == p.name]


def release(source: "str | Path" = DEFAULT_SOURCE, dest: "str | Path" = DEFAULT_DEST,
            quiet: bool = False) -> "list[Path]":
    """Writes the student notebooks into ``dest``; returns the files written or changed."""
    source, dest = Path(source), Path(dest)
    expected = _expected(source)
    dest.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in expected.items():
        path = dest / name
        old = path.read_bytes() if path.exists() else None
        data = text.encode("utf-8")
        if old != data:
            path.write_bytes(data)
            changed.append(path)
        if not quiet:
            print("%s %s" % ("wrote    " if old != data else "unchanged", path.as_posix()))
    for path in _stale(dest, expected):
        path.unlink()
        changed.append(path)
        if not quiet:
            print("removed   %s (its instructor notebook is gone)" % path.as_posix())
    return changed


def check(source: "str | Path" = DEFAULT_SOURCE, dest: "str | Path" = DEFAULT_DEST) -> "list[str]":
    """Problems found comparing ``dest`` with a fresh release (an empty list if it is up to date)."""
    source, dest = Path(source), Path(dest)
    expected = _expected(source)
    problems = []
    for name, text in expected.items():
        path = dest / name
        if not path.exists():
            problems.append("missing: %s" % path.as_posix())
        elif path.read_bytes() != text.encode("utf-8"):
            problems.append("differs: %s" % path.as_posix())
    problems.extend("stale:   %s (its instructor notebook is gone)" % p.as_posix() for p in _stale(dest, expected))
    return problems


def main(argv: "Sequence[str] | None" = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tinyflow.classroom.course",
                                     description="Release student versions of the exercise notebooks.")
    parser.add_argument("command", choices=["release", "check"],
                        help="release: write the student notebooks; check: verify they are up to date")
    parser.add_argument("source", nargs="?", default=DEFAULT_SOURCE,
                        help="folder of instructor notebooks (default: %(default)s)")
    parser.add_argument("dest", nargs="?", default=DEFAULT_DEST,
                        help="folder for the student notebooks (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        if args.command == "release":
            release(args.source, args.dest)
            return 0
        problems = check(args.source, args.dest)
    except ReleaseError as e:
        print("error: %s" % e, file=sys.stderr)
        return 2
    if problems:
        print("The student notebooks are not what a fresh release gives:", file=sys.stderr)
        for line in problems:
            print("  " + line, file=sys.stderr)
        print("Run `make exercises` (python -m tinyflow.classroom.course release) and commit the result.",
              file=sys.stderr)
        return 1
    print("%d student notebooks up to date in %s" % (len(_expected(Path(args.source))), Path(args.dest).as_posix()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

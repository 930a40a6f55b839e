"""Normalises a lesson notebook after `make lessons` has executed it in place.

- Tracebacks name files by absolute path: make them relative to the repository (the current
  directory), so stored outputs are the same on every machine.
- A cell's printed lines arrive in chunks whose boundaries depend on timing. Consecutive chunks
  of the same stream are merged (nbval compares them merged too), so a refresh changes only
  what really changed.

Usage: python tools/normalise_notebook.py NOTEBOOK...
"""
import pathlib
import sys

import nbformat


def merge_streams(outputs: list) -> list:
    merged = []
    for out in outputs:
        last = merged[-1] if merged else None
        if (last is not None and out.output_type == "stream" and last.output_type == "stream"
                and last.name == out.name):
            last.text += out.text
        else:
            merged.append(out)
    return merged


def normalise(path: pathlib.Path) -> None:
    root = str(pathlib.Path.cwd()) + "/"
    nb = nbformat.reads(path.read_text().replace(root, ""), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
    path.write_text(nbformat.writes(nb) + "\n")


if __name__ == "__main__":
    for name in sys.argv[1:]:
        normalise(pathlib.Path(name))

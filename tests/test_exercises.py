"""The classroom exercises: instructor notebooks pass their checks, student notebooks stop at the
first exercise with NotImplementedError, and the student notebooks are an exact fresh release.

Each notebook runs in its own kernel (the current Python, so the tinyflow under test), through
nbclient. Also unit tests of ``tinyflow.classroom.course`` (solution stripping, deterministic release, check).
"""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tinyflow.classroom import course

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

import ipykernel.kernelspec  # noqa: E402
from jupyter_client.kernelspec import KernelSpecManager  # noqa: E402
from jupyter_client.manager import KernelManager  # noqa: E402
from nbclient.exceptions import CellExecutionError  # noqa: E402
from traitlets import default  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "exercises"
DEST = ROOT / "lessons" / "exercises"
INSTRUCTOR = sorted(SOURCE.glob("*.ipynb"))
CURRENT_ENV = "tinyflow-current-env"

os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")


class _CurrentEnvSpecs(KernelSpecManager):
    """Knows one extra kernel: ipykernel in the running interpreter (like nbval --nbval-current-env)."""

    def get_kernel_spec(self, kernel_name):
        if kernel_name == CURRENT_ENV:
            return self.kernel_spec_class(resource_dir=ipykernel.kernelspec.RESOURCES,
                                          **ipykernel.kernelspec.get_kernel_dict())
        return super().get_kernel_spec(kernel_name)


class _CurrentEnvKernelManager(KernelManager):
    @default("kernel_spec_manager")
    def _default_kernel_spec_manager(self):
        return _CurrentEnvSpecs(data_dir=self.data_dir)


async def _execute(path: Path, slots: asyncio.Semaphore):
    """Runs the notebook at ``path`` top to bottom in a fresh kernel; returns (notebook, error or None)."""
    async with slots:
        nb = nbformat.read(str(path), as_version=4)
        client = nbclient.NotebookClient(nb, kernel_name=CURRENT_ENV, kernel_manager_class=_CurrentEnvKernelManager,
                                         timeout=120, allow_errors=False, shutdown_kernel="immediate",
                                         resources={"metadata": {"path": str(path.parent)}})
        try:
            await client.async_execute()
        except CellExecutionError as e:
            return nb, e
        return nb, None


@pytest.fixture(scope="module")
def executed():
    """Every instructor and student notebook, executed: {path: (notebook, error or None)}.

    The kernels run a few at a time (most of a kernel's life is start-up and waiting), which
    keeps this file fast; each notebook still gets its own, fresh kernel process.
    """
    paths = INSTRUCTOR + [DEST / p.name for p in INSTRUCTOR]

    async def run_all():
        slots = asyncio.Semaphore(4)
        return await asyncio.gather(*(_execute(p, slots) for p in paths))

    return dict(zip(paths, asyncio.run(run_all())))


def _solution_cells(nb) -> "list[int]":
    return [i for i, c in enumerate(nb.cells) if course.BEGIN_SOLUTION in c.source]


def _stdout(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")


def test_there_are_exercises():
    names = [p.name for p in INSTRUCTOR]
    assert len(names) >= 7, names
    for p in INSTRUCTOR:
        nb = nbformat.read(str(p), as_version=4)
        first = nb.cells[0]
        assert first.cell_type == "markdown" and "Follows **Lesson" in first.source, p.name
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert "import tinyflow as tf" in code[0].source and "from tinyflow import checks" in code[0].source
        assert _solution_cells(nb), "%s has no solution region" % p.name
        assert not any(c.get("outputs") for c in code), (
            "%s: store instructor notebooks without outputs (.venv/bin/nbstripout exercises/%s)" % (p.name, p.name))


@pytest.mark.parametrize("path", INSTRUCTOR, ids=lambda p: p.stem)
def test_instructor_version_passes_every_check(path, executed):
    nb, error = executed[path]
    assert error is None, "%s failed:\n%s" % (path.name, error)
    check_cells = [c for c in nb.cells if c.cell_type == "code"
                   and any(line.startswith("checks.") for line in c.source.splitlines())]
    assert len(check_cells) >= 1
    for cell in check_cells:
        assert "\u2713" in _stdout(cell), "check cell %r printed %r" % (cell.source, _stdout(cell))


@pytest.mark.parametrize("path", INSTRUCTOR, ids=lambda p: p.stem)
def test_student_version_stops_at_first_exercise(path, executed):
    instructor = nbformat.read(str(path), as_version=4)
    first = _solution_cells(instructor)[0]
    student_path = DEST / path.name
    nb, error = executed[student_path]
    assert error is not None, "%s ran to the end without error" % student_path.name
    assert error.ename == "NotImplementedError", error
    failed = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"
              and any(o.get("output_type") == "error" for o in c.get("outputs", []))]
    assert failed == [first], "failed at cell %s, first exercise cell is %d" % (failed, first)


def test_student_versions_equal_a_fresh_release(tmp_path):
    course.release(SOURCE, tmp_path, quiet=True)
    fresh = sorted(p.name for p in tmp_path.glob("*.ipynb"))
    assert fresh == [p.name for p in INSTRUCTOR]
    for name in fresh:
        assert (DEST / name).read_bytes() == (tmp_path / name).read_bytes(), (
            "lessons/exercises/%s is out of date: run `make exercises`" % name)
    assert course.check(SOURCE, DEST) == []


def test_student_versions_hide_the_solutions():
    for path in INSTRUCTOR:
        instructor = nbformat.read(str(path), as_version=4)
        text = (DEST / path.name).read_text(encoding="utf-8")
        student = nbformat.reads(text, as_version=4)
        nbformat.validate(student)
        assert course.BEGIN_SOLUTION not in text and course.END_SOLUTION not in text
        assert len(student.cells) == len(instructor.cells)
        for i in _solution_cells(instructor):
            source = instructor.cells[i].source
            region = source[source.index(course.BEGIN_SOLUTION):source.index(course.END_SOLUTION)]
            for line in region.splitlines()[1:]:
                if len(line.strip()) > 20:
                    assert line.strip() not in student.cells[i].source, (path.name, line)
            assert "raise NotImplementedError()" in student.cells[i].source
        for cell in student.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None


def test_student_notebooks_are_ignored_by_nbval():
    conftest = (DEST / "conftest.py").read_text(encoding="utf-8")
    assert "collect_ignore_glob" in conftest and "*.ipynb" in conftest


# --------------------------------------------------------------------------------------------
# tinyflow.classroom.course
# --------------------------------------------------------------------------------------------
def test_strip_solutions_keeps_indentation():
    source = ("def f(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION\n\nprint(f(3))")
    text, regions = course.strip_solutions(source)
    assert regions == 1
    assert text == "def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()\n\nprint(f(3))"


def test_strip_solutions_top_level_and_cell_ending():
    text, regions = course.strip_solutions("a = 1\n### BEGIN SOLUTION\nb = 2\n### END SOLUTION")
    assert (text, regions) == ("a = 1\n# YOUR CODE HERE\nraise NotImplementedError()", 1)
    text, regions = course.strip_solutions("### BEGIN SOLUTION\nb = 2\n### END SOLUTION\n"
                                           "x = 0\n### BEGIN SOLUTION\nc = 3\n### END SOLUTION\n")
    assert regions == 2
    assert text == ("# YOUR CODE HERE\nraise NotImplementedError()\nx = 0\n"
                    "# YOUR CODE HERE\nraise NotImplementedError()\n")
    assert course.strip_solutions("no markers here\n") == ("no markers here\n", 0)


def test_strip_solutions_markdown():
    text, _ = course.strip_solutions("Why?\n\n### BEGIN SOLUTION\nBecause.\n### END SOLUTION\n", "markdown")
    assert text == "Why?\n\nYOUR ANSWER HERE\n"


@pytest.mark.parametrize("source, message", [
    ("### BEGIN SOLUTION\nx = 1\n", "never closed"),
    ("x = 1\n### END SOLUTION\n", "without ### BEGIN SOLUTION"),
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION\n", "inside another solution region"),
])
def test_strip_solutions_rejects_unbalanced_markers(source, message):
    with pytest.raises(course.ReleaseError, match=message):
        course.strip_solutions(source, where="ex.ipynb, cell 2")


def _instructor_notebook() -> dict:
    return {
        "cells": [
            {"cell_type": "markdown", "id": "abc", "metadata": {}, "source": ["# Title\n", "text"]},
            {"cell_type": "code", "id": "xyz", "execution_count": 7,
             "metadata": {"execution": {"iopub.execute_input": "2026-01-01T00:00:00"}, "tags": ["t"],
                          "scrolled": True},
             "outputs": [{"output_type": "stream", "name": "stdout", "text": "secret\n"}],
             "source": "x = 1\n### BEGIN SOLUTION\ny = x + 1\n### END SOLUTION\nprint(y)"},
        ],
        "metadata": {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
                     "language_info": {"name": "python", "version": "3.11.7"}},
        "nbformat": 4, "nbformat_minor": 5,
    }


def test_student_notebook_clears_outputs_counts_and_metadata():
    student = course.student_notebook(_instructor_notebook(), "ex99.ipynb")
    md, cell = student["cells"]
    assert md == {"cell_type": "markdown", "id": "cell-0", "metadata": {}, "source": "# Title\ntext"}
    assert cell == {"cell_type": "code", "id": "cell-1", "metadata": {"tags": ["t"]}, "execution_count": None,
                    "outputs": [], "source": "x = 1\n# YOUR CODE HERE\nraise NotImplementedError()\nprint(y)"}
    assert student["metadata"]["language_info"] == {"name": "python"}
    assert student["metadata"]["tinyflow"] == {"generated_from": "ex99.ipynb"}
    text = course.dumps(student)
    nb = nbformat.reads(text, as_version=4)
    nbformat.validate(nb)
    assert nbformat.writes(nb) + "\n" == text          # byte-identical to what Jupyter would save


def test_release_is_deterministic_and_check_finds_drift(tmp_path, capsys):
    source, dest = tmp_path / "exercises", tmp_path / "student"
    source.mkdir()
    (source / "ex01_a.ipynb").write_text(json.dumps(_instructor_notebook()))
    (source / "ex02_b.ipynb").write_text(json.dumps(_instructor_notebook(), indent=4))
    assert course.check(source, dest) == ["missing: %s" % (dest / "ex01_a.ipynb").as_posix(),
                                          "missing: %s" % (dest / "ex02_b.ipynb").as_posix()]
    written = course.release(source, dest, quiet=True)
    assert [p.name for p in written] == ["ex01_a.ipynb", "ex02_b.ipynb"]
    first = {p.name: p.read_bytes() for p in dest.iterdir()}
    assert course.release(source, dest, quiet=True) == []               # nothing changes the second time
    assert {p.name: p.read_bytes() for p in dest.iterdir()} == first
    assert first["ex01_a.ipynb"] == first["ex02_b.ipynb"].replace(b"ex02_b", b"ex01_a")
    assert course.check(source, dest) == []
    # drift: a hand edit, a learner's copy (kept), an exercise that was removed (stale)
    (dest / "ex01_a.ipynb").write_bytes(first["ex01_a.ipynb"].replace(b"x = 1", b"x = 2"))
    (dest / "my_ex01_a.ipynb").write_bytes(first["ex01_a.ipynb"])
    (dest / "my_ex02_b.ipynb").write_bytes(first["ex02_b.ipynb"])     # a copy of an exercise then removed
    (source / "ex02_b.ipynb").unlink()
    assert course.check(source, dest) == [
        "differs: %s" % (dest / "ex01_a.ipynb").as_posix(),
        "stale:   %s (its instructor notebook is gone)" % (dest / "ex02_b.ipynb").as_posix(),
    ]
    assert course.main(["check", str(source), str(dest)]) == 1
    assert "differs:" in capsys.readouterr().err
    course.release(source, dest, quiet=True)
    assert sorted(p.name for p in dest.iterdir()) == ["ex01_a.ipynb", "my_ex01_a.ipynb", "my_ex02_b.ipynb"]
    assert course.main(["check", str(source), str(dest)]) == 0


def test_release_reports_the_cell_with_bad_markers(tmp_path):
    nb = _instructor_notebook()
    nb["cells"][1]["source"] = "### BEGIN SOLUTION\nx = 1\n"
    (tmp_path / "ex01.ipynb").write_text(json.dumps(nb))
    with pytest.raises(course.ReleaseError, match=r"ex01.ipynb, cell 1: ### BEGIN SOLUTION is never closed"):
        course.release(tmp_path, tmp_path / "out", quiet=True)
    assert course.main(["release", str(tmp_path), str(tmp_path / "out")]) == 2


def test_command_line_check_of_the_repository():
    result = subprocess.run([sys.executable, "-m", "tinyflow.classroom.course", "check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "student notebooks up to date in lessons/exercises" in result.stdout

"""Errors tinyflow raises for a learner show the learner's frames only (traceback_utils.py):
in scripts (sys.excepthook) and in notebooks (IPython's custom exception handler), while a
failure that is not a deliberate ``raise`` in tinyflow (a bug) keeps its whole traceback."""
import json
import os
import pathlib
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import tinyflow as tf
from tinyflow import traceback_utils

ROOT = pathlib.Path(__file__).resolve().parents[1]
PACKAGE_FILE = os.path.join(traceback_utils.PACKAGE_DIR, "not_a_module.py")


def _frames(tb):
    out = []
    while tb is not None:
        out.append((tb.tb_frame.f_code.co_filename, tb.tb_frame.f_code.co_name))
        tb = tb.tb_next
    return out


def _raise_inside_tinyflow(source):
    """Runs ``source`` as if it were a line of tinyflow's own code; returns the exception."""
    code = compile(source, PACKAGE_FILE, "exec")
    try:
        exec(code, {})
    except Exception as e:      # noqa: BLE001
        return e
    raise AssertionError("no exception")


def test_a_raise_statement_in_tinyflow_counts_as_raised_for_the_learner():
    assert traceback_utils.raised_by_tinyflow(_raise_inside_tinyflow("raise ValueError('x')").__traceback__)
    assert traceback_utils.raised_by_tinyflow(
        _raise_inside_tinyflow("try:\n    1/0\nexcept ZeroDivisionError:\n    raise TypeError('y') from None")
        .__traceback__)


def test_other_failures_inside_tinyflow_are_not_filtered():
    assert not traceback_utils.raised_by_tinyflow(_raise_inside_tinyflow("1/0").__traceback__)
    assert not traceback_utils.raised_by_tinyflow(_raise_inside_tinyflow("None.x").__traceback__)


def test_errors_raised_in_user_code_are_not_filtered():
    try:
        raise ValueError("mine")
    except ValueError as e:
        assert not traceback_utils.raised_by_tinyflow(e.__traceback__)


def _learner_adds_float64():
    return tf.constant(3.0) + tf.constant(np.float64(3.0))


def test_user_traceback_keeps_only_the_learners_frames():
    with pytest.raises(TypeError) as info:
        _learner_adds_float64()
    tb = info.value.__traceback__
    assert traceback_utils.raised_by_tinyflow(tb)
    full = _frames(tb)
    assert any(f.startswith(traceback_utils.PACKAGE_DIR) for f, _ in full)
    kept = _frames(traceback_utils.user_traceback(tb))
    assert kept == [(__file__, "test_user_traceback_keeps_only_the_learners_frames"),
                    (__file__, "_learner_adds_float64")]


def test_learners_view_puts_everything_back():
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        x = tf.placeholder(tf.float32)
        tf.Session().run(tf.matmul(x, x), {x: [1.0, 2.0]})
    e = info.value
    before = (e.__traceback__, e.__cause__, e.__context__, e.__suppress_context__)
    with traceback_utils._LearnersView(e) as tb:
        assert all(not f.startswith(traceback_utils.PACKAGE_DIR) for f, _ in _frames(tb))
    assert (e.__traceback__, e.__cause__, e.__context__, e.__suppress_context__) == before


SCRIPT = textwrap.dedent("""\
    import numpy as np
    import tinyflow as tf
    a = tf.constant(3.0)
    b = a + tf.constant(np.float64(3.0))
    """)


def _run_script(tmp_path, source, **env):
    path = tmp_path / "learner.py"
    path.write_text(source)
    return subprocess.run([sys.executable, str(path)], capture_output=True, text=True, cwd=tmp_path,
                          env={**os.environ, **env}, timeout=120)


def test_a_script_shows_the_learners_line_and_the_message_only(tmp_path):
    result = _run_script(tmp_path, SCRIPT)
    assert result.returncode == 1
    assert 'learner.py", line 4, in <module>' in result.stderr
    assert "b = a + tf.constant(np.float64(3.0))" in result.stderr
    assert "TypeError: Input 'y' of 'AddV2' Op has type float64" in result.stderr
    assert "tinyflow" + os.sep not in result.stderr.replace("import tinyflow", "")


def test_tinyflow_tracebacks_full_shows_every_frame(tmp_path):
    result = _run_script(tmp_path, SCRIPT, TINYFLOW_TRACEBACKS="full")
    assert os.path.join("tinyflow", "ops", "math_ops.py") in result.stderr


def test_a_bug_keeps_its_whole_traceback_in_a_script(tmp_path):
    # a stand-in for a bug: a helper of Session.run broken, so the run fails inside tinyflow
    source = ("import tinyflow as tf\nimport tinyflow.session\ntinyflow.session._fetched = None\n"
              "tf.Session().run(tf.constant(1.0))\n")
    result = _run_script(tmp_path, source)
    assert os.path.join("tinyflow", "session.py") in result.stderr


def _strip_ansi(lines):
    return re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(lines))


def test_a_notebook_shows_the_learners_cell_and_the_message_only():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    cells = ["import numpy as np\nimport tinyflow as tf",
             "x = tf.placeholder(tf.float32)\ny = tf.matmul(x, x)",
             "tf.Session().run(y, {x: [1.0, 2.0]})",
             "tf.constant(3.0) + tf.constant(np.float64(3.0))",
             "%tb",
             "1 / 0"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nbclient.NotebookClient(nb, kernel_name="python3", allow_errors=True, timeout=120).execute()
    (run_error,), (dtype_error,), (division,) = [[o for o in nb.cells[i].outputs if o.output_type == "error"]
                                                  for i in (2, 3, 5)]
    assert run_error.ename == "InvalidArgumentError" and dtype_error.ename == "TypeError"
    for error in (run_error, dtype_error):
        text = _strip_ansi(error.traceback)
        assert "Cell In[" in text and "tinyflow" + os.sep not in text and "The above exception" not in text
    assert "tf.Session().run(y, {x: [1.0, 2.0]})" in _strip_ansi(run_error.traceback)
    full = "".join(o.get("text", "") + _strip_ansi(o.get("traceback", [])) for o in nb.cells[4].outputs)
    assert os.path.join("tinyflow", "ops", "math_ops.py") in full        # %tb: every frame
    assert division.ename == "ZeroDivisionError"


def test_lessons_store_no_paths_or_lines_of_tinyflows_own_files():
    """Stored tracebacks pass through the learner's cells only, so editing tinyflow changes no
    lesson."""
    pattern = re.compile(r"tinyflow/[\w/]+\.py")
    for path in sorted((ROOT / "lessons").glob("*.ipynb")):
        for i, cell in enumerate(json.loads(path.read_text())["cells"]):
            for output in cell.get("outputs", []):
                text = json.dumps(output)
                assert not pattern.search(text), "%s cell %d stores %s" % (path.name, i, pattern.search(text)[0])

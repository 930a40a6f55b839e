# tinyflow: build, test and lesson tasks. GNU make; needs only python3.
# A virtual environment lives in .venv inside the repo; stamp files record
# what was installed, so running a target twice does not reinstall.

PYTHON3 ?= python3
VENV    := .venv
PY      := $(VENV)/bin/python
PIP     := $(PY) -m pip --disable-pip-version-check

# Lesson notebooks re-executed by `make lessons` (not the exercises).
LESSON_NOTEBOOKS ?= $(wildcard lessons/*.ipynb)
# Sanitizer for nbval output comparison, used only if present.
NBVAL_SANITIZE := $(if $(wildcard lessons/sanitize.cfg),--nbval-sanitize-with lessons/sanitize.cfg)
# What pytest collects: unit tests and (with --nbval) every notebook under lessons/.
TEST_PATHS := $(wildcard tests lessons)
PYTEST_ARGS ?= -n 2 --dist loadfile

# Keep the Jupyter stack quiet and non-interactive.
export JUPYTER_PLATFORM_DIRS := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: all venv dot test lab lessons bench exercises clean

all: test

# --- environment -------------------------------------------------------------

$(PY):
	$(PYTHON3) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

venv: $(PY)

# Editable install with the test extra; redone only when pyproject.toml changes.
$(VENV)/.stamp-test: pyproject.toml | $(PY)
	$(PIP) install --quiet -e '.[test]'
	touch $@

# Editable install with the test and lessons extras (covers the test stamp too).
$(VENV)/.stamp-lab: pyproject.toml | $(PY)
	$(PIP) install --quiet -e '.[test,lessons]'
	touch $@ $(VENV)/.stamp-test

# Graphviz's dot renders graphs; install it with apt-get when we are root.
dot:
	@if command -v dot >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  echo "Installing Graphviz (dot) with apt-get..."; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq graphviz </dev/null; \
	else \
	  echo "Graphviz's dot program is missing: install the Debian package 'graphviz' (sudo apt-get install graphviz)" >&2; \
	  exit 1; \
	fi

# --- tasks ---------------------------------------------------------------------

# The linter (settings in pyproject.toml), then the unit tests in tests/ and every notebook
# under lessons/ (nbval).
test: $(VENV)/.stamp-test dot
	$(VENV)/bin/ruff check --quiet tinyflow tests benchmarks tools
	$(PY) -m pytest $(PYTEST_ARGS) --nbval --nbval-current-env $(NBVAL_SANITIZE) $(TEST_PATHS)

# JupyterLab from the venv, so its default python3 kernel is the venv's python.
# (Jupyter refuses to start as root unless told --allow-root.)
lab: $(VENV)/.stamp-lab dot
	mkdir -p lessons
	$(VENV)/bin/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) lessons/

# Re-run each lesson in place from a clean kernel, keeping outputs,
# then drop volatile metadata (timings) with nbstripout and normalise the outputs
# (relative paths in tracebacks, printed chunks merged): tools/normalise_notebook.py.
lessons: $(VENV)/.stamp-test dot
	@if [ -z "$(strip $(LESSON_NOTEBOOKS))" ]; then echo "No lesson notebooks to execute."; fi
	@set -e; for nb in $(LESSON_NOTEBOOKS); do \
	  echo "Executing $$nb"; \
	  $(VENV)/bin/jupyter execute --inplace --kernel_name=python3 "$$nb"; \
	  $(VENV)/bin/nbstripout --keep-output --keep-count "$$nb"; \
	  $(PY) tools/normalise_notebook.py "$$nb"; \
	done

# Run every benchmark script.
bench: $(VENV)/.stamp-test
	@set -e; for b in $(wildcard benchmarks/*.py); do \
	  echo "== $$b"; $(PY) "$$b"; \
	done

# Generate the student versions of the exercises.
exercises: $(VENV)/.stamp-test
	$(PY) -m tinyflow.classroom.course release

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build dist *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	find . -name .ipynb_checkpoints -type d -prune -exec rm -rf {} +

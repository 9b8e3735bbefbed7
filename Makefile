# Deep Learning Foundations: every entry point sets up what it needs on a fresh machine.
#   make lab       open the course in JupyterLab (nbgrader extensions on)
#   make test      install everything pinned, lint, run every test (unit, oracle, notebooks, grader)
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
IDS ?=
JOBS ?= 1
PORT ?= 8888
# Tests run two notebook kernels at once on 2 cores: one BLAS/OpenMP thread each, or OpenBLAS's spinning
# threads oversubscribe the cores (a 32x256 @ 256x256 product measured 60x slower). Notebooks are built
# with the same setting so their outputs are the ones nbval re-computes.
export OMP_NUM_THREADS ?= 1
export OPENBLAS_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1
# Root (a container, CI) needs --allow-root; a student's laptop does not.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: help install lab site chromium browser-test test setup system-packages shortcuts lint unit notebooks-test nbval portability sandbox notebooks release check grade feedback bench constraints clean

help:
	@echo "make lab | site | test | browser-test | notebooks | release | check | grade | feedback | bench | lint | clean"

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) (Python 3.11)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	# uv (pip if uv fails) installs the pinned set with this machine's pip settings: tools/install.py
	$(PY) tools/install.py $(PY)
	# pip byte-compiles what it installs, but not an editable package: compile coursekit once, or every kernel
	# (hundreds per make test, each grading run) compiles it again where PYTHONDONTWRITEBYTECODE is set
	$(PY) -m compileall -q coursekit
	touch $(STAMP)

install: $(STAMP)

# .venv/bin first on PATH: nbgrader runs `alembic` when Formgrader creates the gradebook. Opens on work/,
# the students' own copies (made once by lab-setup, git-ignored). PORT=8899, LAB_ARGS="--no-browser --ip=..."
lab: $(STAMP)
	$(BIN)/coursekit lab-setup
	PATH=$(CURDIR)/$(BIN):$$PATH JUPYTER_CONFIG_DIR=$(CURDIR)/.lab/config \
	  JUPYTERLAB_SETTINGS_DIR=$(CURDIR)/.lab/settings $(BIN)/jupyter lab $(ROOT_FLAG) --port=$(PORT) \
	  --notebook-dir=$(CURDIR) --LabApp.default_url=/lab/tree/work $(LAB_ARGS)

# The course website (Sphinx + MyST-NB): student notebooks with the reference outputs, nothing executed.
site: $(STAMP)
	$(PY) site/build.py

# Browser tests (Playwright driving Debian's Chromium, no browser download): Lab, Validate, Formgrader, site.
# Screenshots go to screenshots/ (git-ignored).
chromium:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium; }; \
	  else echo "the browser tests need Debian's Chromium: sudo apt-get install chromium"; exit 1; fi; }

browser-test: $(STAMP) chromium
	$(BIN)/pytest -p no:cacheprovider -m browser tests/test_browser.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check coursekit tests benchmarks tools

unit: $(STAMP)
	$(BIN)/pytest -n 2 -m "not notebooks and not grader" tests

notebooks-test: $(STAMP)
	$(BIN)/pytest -n 2 -m "notebooks or grader" tests

NBVAL := --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg --dist loadfile

# The browser tests (marker `browser`) run inside the main pytest line, together on one xdist worker; so
# do the nbval runs (each notebook's cells in order on one worker: tests/conftest.py groups them), native
# and under the two forced kernel settings of the portability check (kernelspecs staged by
# tools/portability.py --stage), which fill the cores while the long grading group finishes.
# `setup`: the Python environment and the Debian packages install side by side (pip and apt share no lock).
test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check coursekit tests benchmarks tools
	$(PY) tools/portability.py --stage build/portability
	JUPYTER_PATH=$(CURDIR)/build/portability $(BIN)/pytest -n 2 --dist loadgroup --durations=25 -m "not shortcuts" \
	  --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg tests solutions build/portability

setup:
	$(MAKE) -j2 $(STAMP) system-packages

system-packages: sandbox
	$(MAKE) chromium

# Every forbidden callable's one-line shortcut loses its exercise's points (one grading run per notebook).
shortcuts: $(STAMP) sandbox
	$(BIN)/pytest -n 2 -m shortcuts tests/test_shortcuts.py $(PYTEST_ARGS)

# The solution notebooks under two kernel settings another x86-64 CPU would pick (OpenBLAS core type,
# NumPy SIMD level, torch's ATen capability, oneDNN ISA; see tools/portability.py): all must pass nbval.
portability: $(STAMP)
	$(PY) tools/portability.py $(PORTABILITY_ARGS)

nbval: $(STAMP)
	$(BIN)/pytest -n 2 $(NBVAL) solutions

# The grader's sandbox: bubblewrap (Debian/Ubuntu package), installed when missing and we may.
sandbox:
	@command -v bwrap >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get install -y -qq bubblewrap >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq bubblewrap; }; \
	  else echo "coursekit grade needs bubblewrap: sudo apt-get install bubblewrap"; exit 1; fi; }

# Rebuild the instructor notebooks from nbsrc/ (execute, keep outputs), then the student versions.
notebooks: $(STAMP)
	$(PY) tools/build_notebooks.py $(IDS)
	$(BIN)/coursekit release $(IDS)

release: $(STAMP)
	$(BIN)/coursekit release $(IDS)

check: $(STAMP) sandbox
	$(BIN)/coursekit check $(IDS)

grade: $(STAMP) sandbox
	$(BIN)/coursekit grade --jobs $(JOBS) $(IDS)

feedback: $(STAMP)
	$(BIN)/coursekit feedback $(IDS)

bench: $(STAMP) sandbox
	$(PY) benchmarks/run.py $(BENCH_ARGS)

constraints:
	$(PY) -m pip freeze --exclude-editable | grep -v '^torch==' > /tmp/ck-freeze.txt
	{ head -2 constraints.txt; cat /tmp/ck-freeze.txt; echo "torch==2.13.0"; } > constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis .lab .coursekit gradebook.db autograded feedback grades

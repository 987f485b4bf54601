# rotation: two commands on a fresh machine with Python 3.11, 3.12 or 3.13.
#   make run                     set up, get the data if the store is empty, run every notebook
#   make run RAW_DIR=/path       same, importing original downloaded files instead of fetching
#                                (END_FILE=tests/snapshot-cuts.txt cuts the snapshot's intraday rows)
#   make test                    the test suite (set ROTATION_RAW_DIR to run the snapshot tests)
#   make lint                    ruff over src, tests, benchmarks, tools and notebooks (CI runs it too)
#   make kernel                  register the environment as a Jupyter kernel for your own JupyterLab/Hub
#   make which-python            print the Python a new .venv would use
# Supported Python versions, newest first. A new .venv uses the newest one installed: pythonX.Y on
# PATH (a pyenv shim counts only if it runs), else pyenv's versions/X.Y*/bin/pythonX.Y. PYTHON=... overrides.
PY_VERSIONS ?= 3.13 3.12 3.11
find_python = for v in $(PY_VERSIONS); do \
	  for p in "$$(command -v python$$v)" "$${PYENV_ROOT:-$$HOME/.pyenv}"/versions/$$v*/bin/python$$v; do \
	    [ -x "$$p" ] && "$$p" -c "" >/dev/null 2>&1 && { echo "$$p"; exit 0; }; \
	  done; \
	done
ifeq ($(origin PYTHON),undefined)
PYTHON := $(shell $(find_python))
endif
# $(call check_python,FIX): exits with a message naming the version found and FIX unless it is 3.11-3.13.
check_python = import sys; v = sys.version_info[:2]; sys.exit(None if (3, 11) <= v <= (3, 13) else "rotation supports Python 3.11-3.13; found %d.%d at %s; $(1)" % (v + (sys.executable,)))
KERNEL_NAME ?= rotation
VENV   ?= .venv
BIN    := $(VENV)/bin
RAW_DIR ?=
END_FILE ?=
IMPORT_FLAGS ?=
RUN_FLAGS ?=
JOBS ?= 1

.PHONY: setup data fetch run test lint kernel which-python bench reliability clean-runs

$(BIN)/.installed: pyproject.toml
	@test -x $(BIN)/python || test -n "$(PYTHON)" || { echo "rotation needs Python 3.11, 3.12 or 3.13 and found none (looked for $(addprefix python,$(PY_VERSIONS)) on PATH and under pyenv); install one or set PYTHON=/path/to/python3.13" >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -c '$(call check_python,install 3.13 or set PYTHON=/path/to/python3.13)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -c '$(call check_python,remove $(VENV) and run make again to recreate it with a supported Python)'
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	$(BIN)/python -m ipykernel install --sys-prefix --name rotation --display-name "Python (rotation)" >/dev/null
	touch $@

setup: $(BIN)/.installed

# Import RAW_DIR when given; otherwise fetch everything if the store has no manifest yet.
data: setup
ifneq ($(strip $(RAW_DIR)),)
	$(BIN)/rotation data import "$(RAW_DIR)" $(if $(END_FILE),--end-file "$(END_FILE)") $(IMPORT_FLAGS)
else
	@if $(BIN)/python -c 'import sys; from rotation.data import Store; sys.exit(0 if Store().manifest()["datasets"] else 1)'; then \
		echo "data store present (refresh with: make fetch)"; \
	else \
		$(BIN)/rotation data fetch; \
	fi
endif

fetch: setup
	$(BIN)/rotation data fetch

run: data
	MPLBACKEND=Agg $(BIN)/rotation run --jobs $(JOBS) $(RUN_FLAGS)

test: setup
	MPLBACKEND=Agg $(BIN)/python -m pytest

# ruff over the package, tests, benchmarks, tools and the notebooks (rules in pyproject.toml)
lint: setup
	$(BIN)/ruff check src tests benchmarks tools notebooks

# The kernel in your user Jupyter folder (--user), so a JupyterLab or JupyterHub outside this
# project's .venv lists "Python (rotation)"; setup's --sys-prefix kernel is seen only by .venv's own Jupyter.
kernel: setup
	$(BIN)/python -m ipykernel install --user --name $(KERNEL_NAME) --display-name "Python ($(KERNEL_NAME))"

which-python:
	@test -n "$(PYTHON)" && echo "$(PYTHON)" || { echo "no Python $(PY_VERSIONS) found on PATH or under pyenv" >&2; exit 1; }

bench: setup
	cd benchmarks && MPLBACKEND=Agg ../$(BIN)/python bench_data.py
	cd benchmarks && MPLBACKEND=Agg ../$(BIN)/python bench_notebooks.py
	cd benchmarks && ../$(BIN)/python bench_growth.py
	cd benchmarks && MPLBACKEND=Agg ../$(BIN)/python bench_grid.py

# Kills imports at random moments and runs concurrent imports/readers on the snapshot (needs ROTATION_RAW_DIR).
reliability: setup
	cd benchmarks && MPLBACKEND=Agg ../$(BIN)/python reliability.py

clean-runs:
	rm -rf runs

# rotation: two commands on a fresh machine with Python 3.11.
#   make run                     set up, get the data if the store is empty, run every notebook
#   make run RAW_DIR=/path       same, importing original downloaded files instead of fetching
#                                (END_FILE=tests/snapshot-cuts.txt cuts the snapshot's intraday rows)
#   make test                    the test suite (set ROTATION_RAW_DIR to run the snapshot tests)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
RAW_DIR ?=
END_FILE ?=
IMPORT_FLAGS ?=
RUN_FLAGS ?=
JOBS ?= 1

.PHONY: setup data fetch run test bench reliability clean-runs

$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "rotation needs Python 3.11, found " + sys.version.split()[0] + "; set PYTHON=/path/to/python3.11"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
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

bench: setup
	cd benchmarks && MPLBACKEND=Agg ../$(BIN)/python bench_data.py
	cd benchmarks && MPLBACKEND=Agg ../$(BIN)/python bench_notebooks.py

# Kills imports at random moments and runs concurrent imports/readers on the snapshot (needs ROTATION_RAW_DIR).
reliability: setup
	cd benchmarks && MPLBACKEND=Agg ../$(BIN)/python reliability.py

clean-runs:
	rm -rf runs

# dashcam: `make dashboard` sets everything up and opens the dashboard; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install dashboard ingest test crosscheck bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

ingest: $(STAMP)
	$(BIN)/dashcam ingest --sample-dir sample_sessions

dashboard: ingest
	$(BIN)/dashcam dashboard

test: $(STAMP)
	$(BIN)/python -m pytest

crosscheck: $(STAMP)
	$(BIN)/python scripts/crosscheck.py

bench: $(STAMP)
	$(BIN)/python scripts/bench_ingest.py
	$(BIN)/python scripts/bench.py
	$(BIN)/python scripts/bench_guard.py

clean:
	rm -rf $(VENV) .pytest_cache

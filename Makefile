# dashcam: `make dashboard` sets everything up and opens the dashboard; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements.lock

.PHONY: install dashboard ingest test lint format lock crosscheck bench bench-more clean

# Installs exactly what the lock file pins (what was tested), then dashcam itself.
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

ingest: $(STAMP)
	$(BIN)/dashcam ingest --sample-dir sample_sessions

dashboard: ingest
	$(BIN)/dashcam dashboard

test: lint
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Re-pins every dependency (runtime, test and lint tools) from pyproject.toml.
lock:
	$(PYTHON) -m pip install --quiet uv
	$(PYTHON) -m uv pip compile pyproject.toml --extra test --extra dev --python-version 3.11 \
		--no-header --output-file $(LOCK)

crosscheck: $(STAMP)
	$(BIN)/python scripts/crosscheck.py

# One table beside ccusage: corpora (DASHCAM_BENCH_SIZES MB), repeats (DASHCAM_BENCH_REPEATS), an
# unchanged many-file corpus (DASHCAM_BENCH_FILES), query stores (DASHCAM_BENCH_MESSAGES).
bench: $(STAMP)
	$(BIN)/python scripts/bench_table.py

# Every dashboard page through AppTest, one very long session's memory, the live guard's latency.
bench-more: $(STAMP)
	$(BIN)/python scripts/bench.py
	$(BIN)/python scripts/bench_memory.py
	$(BIN)/python scripts/bench_guard.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .import_linter_cache

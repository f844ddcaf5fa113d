# Quick start: `make demo` (installs, then runs the whole loop offline) and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/symmetry demo

lint: $(STAMP)
	$(BIN)/ruff check bot handlers jobs models tests benchmarks

# The whole suite, every database test on SQLite and on Postgres (SYMMETRY_TEST_POSTGRES_URL,
# default postgresql://postgres@127.0.0.1:5432/test). In CI (CI=true) an unreachable Postgres fails.
test: lint
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache

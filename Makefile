# Quick start: `make demo` (installs, then runs the whole loop offline) and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CODE := bot handlers jobs models

.PHONY: install demo test lint bench lock clean

# The exact versions of requirements.lock (every dependency, dev tools included), then the project itself.
$(STAMP): pyproject.toml requirements.lock
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/symmetry demo

lint: $(STAMP)
	$(BIN)/ruff check $(CODE) tests benchmarks
	$(BIN)/ruff format --check $(CODE) tests benchmarks
	$(BIN)/mypy $(CODE)

# The whole suite, every database test on SQLite and on Postgres (SYMMETRY_TEST_POSTGRES_URL,
# default postgresql://postgres@127.0.0.1:5432/test). In CI (CI=true) an unreachable Postgres fails.
test: lint
	$(BIN)/pytest

# Quick sizes; `make bench BENCH=--full` for the sizes of benchmarks/README.md (hours).
bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py $(BENCH)

# Refresh requirements.lock after changing a dependency in pyproject.toml (needs PyPI): the newest
# versions inside pyproject's bounds. pip-tools is installed for this only; it is not a dependency.
lock: $(STAMP)
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url --no-emit-find-links \
		--output-file requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache .mypy_cache

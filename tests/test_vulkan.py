"""The Vulkan build on Mesa's lavapipe, a real Vulkan device that runs on the CPU (`make test-vulkan`,
which builds llama.cpp with Vulkan and runs this in a virtualenv of its own). Skipped elsewhere."""

from __future__ import annotations

import os

import pytest

from desktop.core.engine import backends

pytestmark = [
    pytest.mark.model,
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("SHOPSCRIBE_TEST_VULKAN") != "1" or "vulkan" not in backends.gpu_backends(),
        reason="make test-vulkan runs these, with a Vulkan build",
    ),
]


@pytest.fixture
def lavapipe(monkeypatch):
    # ggml-vulkan skips devices of type CPU unless they are named: lavapipe is one
    monkeypatch.setenv("GGML_VK_VISIBLE_DEVICES", "0")
    monkeypatch.delenv("VK_ICD_FILENAMES", raising=False)


def test_llama_cpp_sees_the_lavapipe_device(lavapipe, shopscribe_home):
    from desktop.core.engine.host_process import list_backends

    report = list_backends()
    gpus = [d for d in report["devices"] if d["type"] in ("gpu", "igpu")]
    assert report["gpu_backends"] == ["vulkan"]
    assert gpus and "llvmpipe" in gpus[0]["description"].lower() and gpus[0]["backend"] == "Vulkan"
    assert gpus[0]["total_bytes"] > 0


def test_auto_offloads_every_layer_to_lavapipe_and_generates(lavapipe, model_path, shopscribe_home):
    from desktop.core.engine.client import HostEngine
    from desktop.core.engine.interface import GenerationRequest

    with HostEngine(model_path, n_ctx=512, n_gpu_layers=-1) as engine:
        info = engine.info()
        assert info["n_gpu_layers"] != 0 and not engine.notice
        assert any(d["backend"] == "Vulkan" for d in info["devices"])
        final = engine.generate(GenerationRequest(prompt="The camp mug is", max_tokens=12, temperature=0))
    assert final.completion_tokens > 0 and final.text.strip()


def test_without_a_vulkan_device_it_runs_on_the_cpu_and_says_why(monkeypatch, model_path, shopscribe_home):
    from desktop.core.engine.client import HostEngine
    from desktop.core.engine.interface import GenerationRequest

    monkeypatch.setenv("VK_ICD_FILENAMES", "/nonexistent/icd.json")  # the loader finds no driver at all
    with HostEngine(model_path, n_ctx=512, n_gpu_layers=-1) as engine:
        info = engine.info()
        assert info["n_gpu_layers"] == 0
        assert "No GPU was found" in (engine.notice or "")
        assert [d["type"] for d in info["devices"]] == ["cpu"]
        final = engine.generate(GenerationRequest(prompt="The camp mug is", max_tokens=8, temperature=0))
    assert final.completion_tokens > 0

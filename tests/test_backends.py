"""llama.cpp's backends: the CPU variant of a portable build chosen and loaded into the libggml llama.cpp
uses (one copy, one variant, in the host only), the devices from ggml's own registry, "GPU layers: auto",
the CPU-only notice, and the device list the window reads without loading llama.cpp."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desktop.core.engine import backends, device_list
from desktop.core.models import fit

ROOT = Path(__file__).resolve().parents[1]
PORTABLE = bool(backends.variant_names())


def run_python(code: str, **env: str) -> dict:
    """Run `code` in a fresh interpreter (nothing of llama.cpp loaded yet); it prints one JSON line."""
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **env}, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


MAPS = """
def mapped(word):
    return sorted({line.split()[-1] for line in open("/proc/self/maps") if word in line.split()[-1]})
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/maps")
def test_the_window_side_names_variants_and_gpus_without_mapping_llama_cpp():
    report = run_python(MAPS + """
        import json
        from desktop.core.engine import backends
        from desktop.core.models.fit import detect_machine
        names, gpus = backends.variant_names(), backends.gpu_backends()
        notice = backends.cpu_only_notice("zh")
        machine = detect_machine()
        print(json.dumps({"names": names, "gpus": gpus, "ggml": mapped("ggml"), "llama": mapped("llama"),
                          "modules": [m for m in __import__("sys").modules if m.startswith("llama_cpp")]}))
    """.replace("\n        ", "\n"))
    assert report["ggml"] == [] and report["llama"] == [] and report["modules"] == []
    assert report["names"] == backends.variant_names()


def test_choose_variant_best_without_amx_named_and_refused():
    scores = {"x64": 1, "sse42": 5, "haswell": 41, "skylakex": 169, "icelake": 297, "sapphirerapids": 1000,
              "zen4": 0}
    assert backends.choose_variant(scores, None) == "sapphirerapids"
    assert backends.choose_variant(scores, "avoid-amx") == "icelake"
    assert backends.choose_variant(scores, "haswell") == "haswell"
    with pytest.raises(backends.BackendError, match="needs instructions this CPU lacks"):
        backends.choose_variant(scores, "zen4")
    with pytest.raises(backends.BackendError, match="no llama.cpp CPU variant 'armv9'") as info:
        backends.choose_variant(scores, "armv9")
    assert "armv9" in info.value.text("zh")
    with pytest.raises(backends.BackendError):
        backends.choose_variant({"x64": 0}, None)


@pytest.mark.skipif(not PORTABLE, reason="a build with its CPU backend built in has no variants")
def test_every_shipped_variant_is_scored_and_the_best_runs_here():
    scores = backends.variant_scores()
    assert set(scores) == set(backends.variant_names()) and len(scores) >= 10
    assert scores["x64"] > 0  # the baseline runs on every x86-64 CPU
    best = backends.choose_variant(scores, None)
    flags = __import__("desktop.core.engine.machine", fromlist=["cpu_info"]).cpu_info()["flags"]
    if "avx2" in flags:
        assert scores[best] >= scores["haswell"] > scores["sse42"]
    if "avx512f" not in flags:
        assert scores.get("skylakex", 0) == 0 and scores.get("sapphirerapids", 0) == 0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/maps")
@pytest.mark.parametrize("choice", [None, "avoid-amx", "x64"])
def test_the_host_side_loads_one_variant_into_the_libggml_llama_cpp_loaded(choice, model_path):
    """One libggml mapped (a second copy would hold an empty registry), one CPU variant mapped (the scored
    ones are closed again), a CPU device in the registry, and the model decodes on that variant."""
    if choice == "x64" and not PORTABLE:
        pytest.skip("no variants to name in this build")
    report = run_python(MAPS + f"""
        import json
        from desktop.core.engine import backends
        from desktop.core.engine.machine import has_amx
        variant = backends.ensure_cpu_backend({choice!r})
        again = backends.ensure_cpu_backend(None)
        from desktop.core.engine.local import LocalEngine
        amx_repack = has_amx() and variant in (None, *backends.AMX_VARIANTS)  # its AMX repack crashes
        engine = LocalEngine({str(model_path)!r}, n_ctx=256, n_threads=2, n_seq_max=1,
                             use_extra_bufts=not amx_repack)
        engine.load()
        from desktop.core.engine.interface import GenerationRequest
        final = engine.generate(GenerationRequest(prompt="The camp mug is", max_tokens=4, temperature=0))
        print(json.dumps({{"variant": variant, "again": again, "devices": backends.devices(),
                          "ggml": mapped("libggml"), "tokens": final.completion_tokens}}))
    """.replace("\n        ", "\n"))
    ggml = [Path(p).name for p in report["ggml"]]
    cpu_variants = [n for n in ggml if n.startswith("libggml-cpu-")]
    main_copies = [n for n in ggml if n.startswith("libggml.so")]
    assert len(main_copies) == 1, ggml
    assert report["again"] == report["variant"]
    assert report["tokens"] > 0
    assert [d["type"] for d in report["devices"]].count("cpu") == 1
    if PORTABLE:
        assert cpu_variants == [f"libggml-cpu-{report['variant']}.so"]
        if choice == "x64":
            assert report["variant"] == "x64"
        if choice == "avoid-amx":
            assert report["variant"] not in backends.AMX_VARIANTS
    else:
        assert report["variant"] is None and cpu_variants == []


def test_gpu_layers_that_fit():
    gib = 1024**3
    # 24 layers (+ output), 2.5 GB of weights and KV: 100 MB a layer
    assert fit.gpu_layers_that_fit(int(2.4 * gib), int(0.1 * gib), 24, 8 * gib) == 25  # all
    some = fit.gpu_layers_that_fit(int(2.4 * gib), int(0.1 * gib), 24, int(1.5 * gib))
    assert 0 < some < 25
    assert some == (int(1.5 * gib * 0.9) - fit.GPU_RESERVE) // ((int(2.4 * gib) + int(0.1 * gib)) // 25)
    assert fit.gpu_layers_that_fit(int(2.4 * gib), 0, 24, fit.GPU_RESERVE) == 0
    assert fit.gpu_layers_that_fit(10, 0, 0, 8 * gib) == 0


def test_fit_uses_the_gpu_memory_llama_cpp_reported_and_auto_fills_it():
    gib = 1024**3
    gpu = {"name": "CUDA0", "description": "RTX", "type": "gpu", "free_bytes": 2 * gib,
           "total_bytes": 8 * gib}
    cpu = {"name": "CPU", "description": "EPYC", "type": "cpu", "free_bytes": 16 * gib,
           "total_bytes": 16 * gib}
    machine = fit.detect_machine(devices=[cpu, gpu])
    assert machine.gpu_offload and machine.vram_bytes == 2 * gib and not machine.unified_memory
    assert fit.detect_machine(devices=[cpu]).gpu_offload is False
    # 4 GB of weights do not fit 2 GB: "auto" (-1) puts as many layers as fit there, the rest in RAM
    auto = fit.estimate(4 * gib, 0, 4096, machine, n_gpu_layers=-1, n_layers=32)
    assert 0 < auto.gpu_bytes < 2 * gib
    assert "on the GPU, which has 2.0 GB free" in auto.text("en")
    everything = fit.estimate(int(0.5 * gib), 0, 4096, machine, n_gpu_layers=-1, n_layers=32)
    assert everything.gpu_bytes == int(0.5 * gib)


def test_the_device_list_is_remembered_per_build_and_read_by_the_fit_estimate(shopscribe_home):
    assert device_list.known() is None
    gib = 1024**3
    listed = [{"name": "Vulkan0", "description": "llvmpipe", "type": "gpu", "free_bytes": 3 * gib,
               "total_bytes": 4 * gib, "backend": "Vulkan"}]
    device_list.remember(listed)
    assert device_list.known() == listed
    assert fit.detect_machine().vram_bytes == 3 * gib
    assert device_list.describe(listed[0]) == "Vulkan0 (llvmpipe): GPU, 3.0 of 4.0 GB free"
    assert "可用 3.0 GB" in device_list.describe(listed[0], "zh")


def test_cpu_only_notice_names_the_command_in_both_languages():
    en, zh = backends.cpu_only_notice("en"), backends.cpu_only_notice("zh")
    assert en.startswith("This build runs on the CPU only; to use your GPU")
    assert "GPU=" in en and "GPU=" in zh and zh.startswith("此版本只在 CPU 上运行")


@pytest.mark.model
def test_a_throwaway_host_reports_the_variant_and_the_devices(shopscribe_home):
    from desktop.core.engine.host_process import list_backends

    report = list_backends()
    assert report["cpu_variants"] == backends.variant_names()
    assert report["cpu_variant"] == (
        backends.choose_variant(backends.variant_scores(), None) if PORTABLE else None
    )
    assert any(d["type"] == "cpu" and d["total_bytes"] > 0 for d in report["devices"])
    assert device_list.known() == report["devices"]  # remembered for the window's fit estimate


@pytest.mark.model
def test_gpu_layers_asked_on_a_cpu_build_load_on_the_cpu_with_the_notice(model_path, shopscribe_home):
    if backends.gpu_backends():
        pytest.skip("this build has a GPU backend")
    from desktop.core.engine.client import HostEngine
    from desktop.core.engine.interface import GenerationRequest

    with HostEngine(model_path, n_ctx=512, n_gpu_layers=-1) as engine:
        info = engine.info()
        assert info["n_gpu_layers"] == 0
        assert engine.notice == backends.cpu_only_notice("en")
        assert info["cpu_variant"] in backends.variant_names() if PORTABLE else info["cpu_variant"] is None
        assert engine.generate(GenerationRequest(prompt="Hello", max_tokens=2,
                                                 temperature=0)).completion_tokens
    assert device_list.known() and device_list.known()[0]["type"] == "cpu"


@pytest.mark.model
def test_models_devices_and_models_info_name_the_variant(model_path, shopscribe_home):
    from click.testing import CliRunner

    from desktop.cli import main

    result = CliRunner().invoke(main, ["models", "devices", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["devices"][0]["type"] == "cpu" and "free_bytes" in report["devices"][0]
    text = CliRunner().invoke(main, ["models", "devices"], catch_exceptions=False).output
    assert "CPU" in text and ("CPU variant" in text or "built in" in text)
    info = CliRunner().invoke(main, ["models", "info", "smollm2-135m-instruct-q4_1", "--json"],
                              catch_exceptions=False)
    if info.exit_code == 0:
        engine = json.loads(info.output)["engine"]
        assert engine["cpu_variant"] == report["cpu_variant"]

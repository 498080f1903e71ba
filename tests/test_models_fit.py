"""Memory estimates, the recommendation, and the shipped catalog's consistency."""

from __future__ import annotations

import json
import re

import pytest

from desktop.core.models import fit
from desktop.core.models.catalog import CatalogError, catalog_meta, load_catalog
from desktop.core.models.fit import Machine, estimate, estimate_for_info, kv_cache_bytes, recommend
from desktop.core.models.gguf_header import read_gguf_info

GiB = 1024**3
CJK = re.compile(r"[\u4e00-\u9fff]")


def machine(total_gib: float, available_gib: float, **kw) -> Machine:
    return Machine(int(total_gib * GiB), int(available_gib * GiB), 4, **kw)


def test_kv_cache_formula():
    # Qwen2.5-7B: 28 layers, 4 KV heads of 128: 2 * 28 * 4096 * 4 * 128 * 2 bytes = 224 MiB at 4k tokens
    assert kv_cache_bytes(28, 4096, 4, 128) == 224 * 1024**2


def test_real_model_estimate(model_path):
    info = read_gguf_info(model_path)
    est = estimate_for_info(info, 2048, machine(16, 12))
    assert est.kv_bytes == kv_cache_bytes(30, 2048, 3, 64)
    assert est.weights_bytes == info.file_size
    assert est.needed_bytes == info.file_size + est.kv_bytes + est.overhead_bytes
    assert est.label == "fits"


def test_labels_and_texts():
    weights, kv = 4 * GiB, GiB // 2
    fits = estimate(weights, kv, 4096, machine(32, 24))
    # needs more than is free now, less than the machine has
    tight = estimate(weights, kv, 4096, machine(16, 4))
    wont = estimate(weights, kv, 4096, machine(4, 3))
    assert (fits.label, tight.label, wont.label) == ("fits", "tight", "wont_fit")
    for est in (fits, tight, wont):
        assert "GB" in est.text("en") and "4,096" in est.text("en")
        assert CJK.search(est.text("zh")) and est.label_text("zh") != est.label_text("en")
    assert "close other programs" in tight.text("en") and "smaller model" in wont.text("en")
    assert "关闭其他程序" in tight.text("zh")


def test_gpu_offload_with_and_without_known_vram():
    weights, kv = 4 * GiB, GiB // 2
    small_ram = machine(6, 4, gpu_offload=True, vram_bytes=8 * GiB)
    on_gpu = estimate(weights, kv, 4096, small_ram, n_gpu_layers=-1, n_layers=32)
    assert on_gpu.gpu_bytes == weights + kv and on_gpu.label == "fits"
    assert "GPU" in on_gpu.text("en") and "显卡" in on_gpu.text("zh")
    tiny_vram = machine(6, 4, gpu_offload=True, vram_bytes=2 * GiB)
    # all of it
    assert estimate(weights, kv, 4096, tiny_vram, n_gpu_layers=33, n_layers=32).label == "wont_fit"
    # auto: what fits, rest in RAM
    auto = estimate(weights, kv, 4096, tiny_vram, n_gpu_layers=-1, n_layers=32)
    assert 0 < auto.gpu_bytes <= 0.9 * 2 * GiB and auto.label == "tight"
    half = estimate(weights, kv, 4096, machine(64, 60, gpu_offload=True, vram_bytes=24 * GiB), 16, 32)
    assert half.gpu_bytes == (weights + kv) // 2
    unknown = estimate(weights, kv, 4096, machine(6, 4, gpu_offload=True), n_gpu_layers=-1, n_layers=32)
    assert not unknown.vram_known and unknown.gpu_bytes == 0
    assert "unknown" in unknown.text("en") and "未知" in unknown.text("zh")
    assert unknown.label == "tight"  # judged on RAM alone, the safe side


def test_detect_machine_reads_this_machine():
    here = fit.detect_machine(check_gpu=False)
    assert 0 < here.available_ram <= here.total_ram and here.cpu_count >= 1


def test_recommend_picks_the_best_commercial_entry_that_fits():
    catalog = load_catalog()
    previous_tier = -1
    for total in (1, 2, 3, 4, 6, 8, 12, 16, 32):
        here = machine(total, total * 0.75)
        best = recommend(catalog, here, 4096)
        fitting = [e for e in catalog if e.commercial_use
                   and e.estimate(e.recommended_file(), min(4096, e.context_length), here).label == "fits"]
        if not fitting:
            assert best is None
            continue
        entry, file, est = best
        assert entry.tier == max(e.tier for e in fitting) and entry.commercial_use
        assert file.recommended and est.label == "fits"
        assert entry.tier >= previous_tier  # more memory never recommends a weaker model
        previous_tier = entry.tier
    assert recommend(catalog, machine(32, 24))[0].id == "qwen3-8b"
    assert recommend(catalog, machine(0.5, 0.3)) is None


def test_non_commercial_entries_only_on_request():
    catalog = [e for e in load_catalog() if e.id in ("qwen2.5-3b-instruct", "qwen2.5-1.5b-instruct")]
    here = machine(8, 6)
    assert recommend(catalog, here)[0].id == "qwen2.5-1.5b-instruct"
    assert recommend(catalog, here, commercial_only=False)[0].id == "qwen2.5-3b-instruct"


def test_shipped_catalog():
    catalog = load_catalog()
    meta = catalog_meta()
    assert len(catalog) >= 8 and meta["sizes_approximate"] is True
    assert len({e.id for e in catalog}) == len(catalog)
    params = [e.parameters for e in catalog]
    assert min(params) <= 600_000_000 and max(params) <= 8_300_000_000
    assert sum("zh" in e.languages for e in catalog) >= 6
    publishers_own = [e for e in catalog if e.repo_id.split("/")[0] in ("Qwen", "microsoft", "google")]
    assert len(publishers_own) >= 5
    for e in catalog:
        assert "/" in e.repo_id and e.license and e.context_length >= 4096
        assert e.good_for["en"] and CJK.search(e.good_for["zh"])
        assert sum(f.recommended for f in e.files) == 1
        for f in e.files:
            assert f.filename.endswith(".gguf") and "/" not in f.filename and "-of-" not in f.filename
            kv = e.kv_bytes(meta["ram_ctx"])
            assert f.ram_bytes == f.size_bytes + kv + fit.FIXED_OVERHEAD + f.size_bytes // 20
            assert 0.3 < f.size_bytes / e.parameters < 2.2  # bytes per parameter of a 4- to 16-bit file


def test_a_broken_catalog_is_a_clear_error(tmp_path):
    bad = tmp_path / "catalog.json"
    bad.write_text(json.dumps({"models": [{"id": "x"}]}), encoding="utf-8")
    with pytest.raises(CatalogError, match="cannot be read"):
        load_catalog(bad)
    raw = json.loads(json.dumps({"models": [load_catalog()[0].to_json()]}))
    raw["models"][0]["files"][0]["filename"] = "../escape.gguf"
    bad.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(CatalogError, match="unsafe"):
        load_catalog(bad)

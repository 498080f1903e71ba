"""Will this model run here? Weights + KV cache for the chosen context + working memory, against the RAM
that is free now and, when llama.cpp can offload to a GPU, the GPU memory llama.cpp reports.

"fits": comfortably within free memory. "tight": more than is free now but within what this machine has
(close other programs, or lower the context). "wont_fit": beyond this machine.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import Any

FITS, TIGHT, WONT_FIT = "fits", "tight", "wont_fit"
LABELS = {
    FITS: {"en": "Fits", "zh": "可以运行"},
    TIGHT: {"en": "Tight (may be slow)", "zh": "勉强（可能较慢）"},
    WONT_FIT: {"en": "Won't fit", "zh": "内存不足"},
}
FIXED_OVERHEAD = 256 * 1024**2  # compute buffers, the runtime itself
GIB = 1024**3


@dataclass(frozen=True)
class Machine:
    total_ram: int
    available_ram: int
    cpu_count: int
    gpu_offload: bool = False  # llama.cpp was built with a GPU backend
    vram_bytes: int | None = None  # None: unknown
    unified_memory: bool = False  # Apple silicon: the GPU shares the RAM
    devices: tuple = ()  # llama.cpp's devices as the engine host last reported them (device_list.py)


def detect_machine(check_gpu: bool = True, devices: list[dict] | None = None) -> Machine:
    """This machine's memory now. The GPUs come from llama.cpp's own device list, as the engine host
    last reported it (`devices`, or the remembered list): this process never loads llama.cpp. Before any
    host has reported, a build with a GPU backend counts as able to offload, its VRAM unknown."""
    import psutil

    memory = psutil.virtual_memory()
    gpu, vram, unified, listed = False, None, False, None
    if check_gpu:
        from desktop.core.engine import backend_files, device_list

        listed = devices if devices is not None else device_list.known()
        gpus = [d for d in listed or [] if d.get("type") in ("gpu", "igpu")]
        gpu = bool(gpus) if listed is not None else bool(backend_files.gpu_backends())
        unified = gpu and (sys.platform == "darwin" or any(d["type"] == "igpu" for d in gpus))
        if gpus and not unified:
            vram = sum(int(d.get("free_bytes") or 0) for d in gpus)
    return Machine(memory.total, memory.available, os.cpu_count() or 1, gpu, vram, unified,
                   tuple(listed or ()) if check_gpu else ())


GPU_RESERVE = 512 * 1024**2  # the GPU's compute buffers and the driver's own share


def gpu_layers_that_fit(weights_bytes: int, kv_bytes: int, n_layers: int, free_bytes: int) -> int:
    """"GPU layers: auto": as many layers as the GPUs' free memory holds (weights and KV cache spread
    evenly over the layers and the output layer), keeping a reserve; n_layers + 1 means all of them."""
    if n_layers <= 0 or free_bytes <= 0:
        return 0
    per_layer = max(1, (weights_bytes + kv_bytes) // (n_layers + 1))
    usable = int(free_bytes * 0.9) - GPU_RESERVE
    return max(0, min(n_layers + 1, usable // per_layer))


def kv_cache_bytes(n_layers: int, n_ctx: int, n_head_kv: int, head_dim: int,
                   bytes_per_element: int = 2) -> int:
    """K and V, every layer, every position: 2 * layers * ctx * kv heads * head dim * 2 bytes (f16)."""
    return 2 * n_layers * n_ctx * n_head_kv * head_dim * bytes_per_element


def _gb(n: int | float) -> str:
    return f"{n / GIB:.1f} GB"


@dataclass(frozen=True)
class FitEstimate:
    label: str
    needed_bytes: int
    available_bytes: int
    weights_bytes: int
    kv_bytes: int
    overhead_bytes: int
    n_ctx: int
    gpu_bytes: int = 0  # the part planned for the GPU (0: all on the CPU)
    vram_known: bool = True
    detail: dict[str, str] = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        return self.detail.get(lang) or self.detail.get("en", "")

    def label_text(self, lang: str = "en") -> str:
        return LABELS[self.label][lang if lang in ("en", "zh") else "en"]

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "needed_bytes": self.needed_bytes,
                "available_bytes": self.available_bytes,
                "weights_bytes": self.weights_bytes, "kv_bytes": self.kv_bytes, "n_ctx": self.n_ctx,
                "gpu_bytes": self.gpu_bytes, "detail": self.detail}


def _ram_label(needed: int, machine: Machine) -> str:
    if needed <= 0.8 * machine.available_ram:
        return FITS
    if needed <= 0.9 * machine.total_ram:
        return TIGHT
    return WONT_FIT


def estimate(weights_bytes: int, kv_bytes: int, n_ctx: int, machine: Machine | None = None,
             n_gpu_layers: int = 0, n_layers: int | None = None) -> FitEstimate:
    """The estimate for given weights (the file size) and KV cache, with `n_gpu_layers` offloaded."""
    machine = machine or detect_machine()
    overhead = FIXED_OVERHEAD + weights_bytes // 20
    needed = weights_bytes + kv_bytes + overhead
    offload = machine.gpu_offload and n_gpu_layers != 0 and not machine.unified_memory
    if n_gpu_layers < 0 and n_layers and machine.vram_bytes is not None:  # auto: as many as fit
        n_gpu_layers = gpu_layers_that_fit(weights_bytes, kv_bytes, n_layers, machine.vram_bytes)
        offload = offload and n_gpu_layers > 0
    share = 1.0 if n_gpu_layers < 0 or not n_layers else min(1.0, n_gpu_layers / n_layers)
    gpu_bytes = int((weights_bytes + kv_bytes) * share) if offload else 0
    ram_needed = needed - gpu_bytes
    label = _ram_label(ram_needed, machine)
    vram_known = not offload or machine.vram_bytes is not None
    en_gpu = zh_gpu = ""
    if offload and machine.vram_bytes is not None:
        gpu_label = (
            FITS
            if gpu_bytes <= 0.9 * machine.vram_bytes
            else TIGHT
            if gpu_bytes <= machine.vram_bytes
            else WONT_FIT
        )
        label = max(label, gpu_label, key=[FITS, TIGHT, WONT_FIT].index)
        en_gpu = f" {_gb(gpu_bytes)} of it on the GPU, which has {_gb(machine.vram_bytes)} free."
        zh_gpu = f"其中 {_gb(gpu_bytes)} 放在显卡上，显卡可用 {_gb(machine.vram_bytes)}。"
    elif offload:
        # VRAM unknown: judge as if everything stayed in RAM (the safe side) and say so.
        label = _ram_label(needed, machine)
        ram_needed, gpu_bytes = needed, 0
        en_gpu = " GPU memory is unknown, so this assumes everything stays in RAM."
        zh_gpu = "显存大小未知，因此按全部放在内存中估算。"
    advice = {
        FITS: ("It fits.", "可以运行。"),
        TIGHT: ("It is tight: close other programs or lower the context length, or it may be slow.",
                "比较勉强：请关闭其他程序或降低上下文长度，否则可能很慢。"),
        WONT_FIT: ("It won't fit on this machine: choose a smaller model or quantization.",
                   "本机内存不足以运行：请选择更小的模型或量化版本。"),
    }[label]
    en = (f"Needs about {_gb(needed)} (weights {_gb(weights_bytes)} + {n_ctx:,}-token context "
          f"{_gb(kv_bytes)} + {_gb(overhead)} working memory); {_gb(machine.available_ram)} of "
          f"{_gb(machine.total_ram)} RAM is free.{en_gpu} {advice[0]}")
    zh = (f"约需 {_gb(needed)}（权重 {_gb(weights_bytes)} + {n_ctx:,} token 上下文 "
          f"{_gb(kv_bytes)} + 运行开销 {_gb(overhead)}）；内存共 {_gb(machine.total_ram)}，可用 "
          f"{_gb(machine.available_ram)}。{zh_gpu}{advice[1]}")
    return FitEstimate(label, needed, machine.available_ram, weights_bytes, kv_bytes, overhead, n_ctx,
                       gpu_bytes, vram_known, {"en": en, "zh": zh})


def estimate_for_info(info: Any, n_ctx: int, machine: Machine | None = None,
                      n_gpu_layers: int = 0) -> FitEstimate:
    """For a model on disk (its GGUFInfo): the file size is the weights."""
    kv = info.kv_cache_bytes(n_ctx) or 0
    return estimate(info.file_size, kv, n_ctx, machine, n_gpu_layers, info.n_layers)


def estimate_for_model(model_id: str, machine: Machine | None = None, db: Any | None = None) -> FitEstimate:
    """For a registered model, with its own context length and GPU layers settings."""
    from desktop.core.models.registry import ModelRegistry

    registry = ModelRegistry(db)
    model = registry.get_model(model_id)
    if model.exception is not None:
        raise model.exception
    chosen = registry.model_settings(model_id)
    return estimate_for_info(model.info, chosen["n_ctx"], machine, chosen["n_gpu_layers"])


def recommend(catalog: list[Any], machine: Machine | None = None, n_ctx: int = 4096,
              commercial_only: bool = True) -> tuple[Any, Any, FitEstimate] | None:
    """The best catalog entry (highest tier) whose recommended file fits: (entry, file, estimate)."""
    machine = machine or detect_machine()
    best = None
    for entry in catalog:
        if commercial_only and not entry.commercial_use:
            continue
        file = entry.recommended_file()
        fit = entry.estimate(file, min(n_ctx, entry.context_length), machine)
        if fit.label == FITS and (best is None or entry.tier > best[0].tier):
            best = (entry, file, fit)
    return best

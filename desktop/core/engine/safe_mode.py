"""The safe-mode ladder: what the engine host may use on this machine, learnt from crashes.

When a host dies while loading a model or in its first decodes, the next start climbs one step:

1. `avoid-amx`: load a CPU variant of llama.cpp without AMX, keeping the weight repacking (only in a
   build with CPU variants, on a CPU with AMX: llama.cpp's AMX repacking crashes on some of them);
2. `no-repack`: no extra buffer types (`use_extra_bufts = False`, llama.cpp's `--no-repack`): no AMX,
   no CPU weight repacking;
3. `cpu-only`: no GPU offload;
4. `small-context`: a 2048-token context and smaller batches.

Steps that cannot help here are skipped (no GPU layers: no `cpu-only`). What worked is remembered per
model file (sha256), llama.cpp version and CPU, in the store's settings, and shown on the Models page
and by `shopscribe models info` until the user resets it.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import asdict, dataclass, field
from typing import Any

from desktop.core.engine.machine import has_amx, machine_key

STEPS = ("avoid-amx", "no-repack", "cpu-only", "small-context")
SMALL_CTX, SMALL_BATCH = 2048, 256
_PREFIX = "engine.safe_mode:"
_WHAT = {
    "avoid-amx": ("AMX off", "已关闭 AMX"),
    "no-repack": ("weight repacking off", "已关闭权重重排"),
    "cpu-only": ("GPU off", "已关闭 GPU"),
    "small-context": ("smaller context", "已缩小上下文"),
}


@dataclass
class SafeMode:
    steps: list[str] = field(default_factory=list)  # applied, in ladder order
    reason: str = ""  # what happened the last time it climbed, e.g. "signal 11 while loading the model"
    date: str = ""  # YYYY-MM-DD of that climb
    probed: bool = False  # the AMX probe ran for this model and machine

    @property
    def active(self) -> bool:
        return bool(self.steps)

    def describe(self, lang: str = "en") -> str:
        """"Safe mode: AMX off after a crash on 2026-11-29", or "" when not in safe mode."""
        if not self.steps:
            return ""
        what = ", ".join(_WHAT[s][1 if lang == "zh" else 0] for s in self.steps)
        if lang == "zh":
            return f"安全模式：{what}（{self.date} 发生崩溃后）" if self.date else f"安全模式：{what}"
        return f"Safe mode: {what} after a crash on {self.date}" if self.date else f"Safe mode: {what}"


def applicable(step: str, options: dict, cpu_variants: list[str]) -> bool:
    if step == "avoid-amx":
        return has_amx() and any("sapphirerapids" in v for v in cpu_variants)
    if step == "no-repack":
        return options.get("use_extra_bufts", True)
    if step == "cpu-only":
        return bool(options.get("n_gpu_layers"))
    if step == "small-context":
        return int(options.get("n_ctx") or 0) > SMALL_CTX or int(options.get("n_batch") or 512) > SMALL_BATCH
    raise ValueError(step)


def apply(options: dict, steps: list[str]) -> dict:
    """The engine host's load options with the ladder's steps applied."""
    options = dict(options)
    for step in steps:
        if step == "avoid-amx":
            options["cpu_variant"] = "avoid-amx"
        elif step == "no-repack":
            options["use_extra_bufts"] = False
        elif step == "cpu-only":
            options["n_gpu_layers"] = 0
        elif step == "small-context":
            options["n_ctx"] = min(int(options.get("n_ctx") or SMALL_CTX), SMALL_CTX)
            options["n_batch"] = min(int(options.get("n_batch") or SMALL_BATCH), SMALL_BATCH)
    return options


def next_step(state: SafeMode, options: dict, cpu_variants: list[str]) -> str | None:
    """The next step up the ladder that can change something, or None at the top."""
    current = apply(options, state.steps)
    for step in STEPS:
        if step not in state.steps and STEPS.index(step) > max(
            (STEPS.index(s) for s in state.steps), default=-1
        ):
            if applicable(step, current, cpu_variants):
                return step
    return None


def climb(state: SafeMode, step: str, reason: str) -> SafeMode:
    return SafeMode(state.steps + [step], reason, _dt.date.today().isoformat(), state.probed)


# ----- memory -----------------------------------------------------------------------------------------------
def state_key(model_sha256: str) -> str:
    return f"{_PREFIX}{model_sha256[:16]}|{machine_key()}"


def load(model_sha256: str, db: Any | None = None) -> SafeMode:
    from desktop.core.models.settings_store import open_settings

    with open_settings(db) as settings:
        raw = settings.get(state_key(model_sha256)) or {}
    try:
        return SafeMode(**{k: raw[k] for k in ("steps", "reason", "date", "probed") if k in raw})
    except TypeError:
        return SafeMode()


def save(model_sha256: str, state: SafeMode, db: Any | None = None) -> None:
    from desktop.core.models.settings_store import open_settings

    with open_settings(db) as settings:
        settings.set(state_key(model_sha256), asdict(state))


def reset(model_sha256: str, db: Any | None = None) -> None:
    """Forget the ladder for this model on this machine: the next start uses the normal settings (and
    probes again on a CPU with AMX)."""
    from desktop.core.models.settings_store import open_settings

    with open_settings(db) as settings:
        settings.delete(state_key(model_sha256))

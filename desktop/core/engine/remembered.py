"""What the engine remembers about one model on this machine: its safe-mode state (safe_mode.py) and
the settings measured for it (tuning.py). The Models page and `shopscribe models info` show it; a reset
forgets both, so the next start probes and measures again."""

from __future__ import annotations

from typing import Any

from desktop.core.engine import safe_mode, tuning
from desktop.core.engine.machine import machine_key


def remembered(model_sha256: str, db: Any | None = None) -> dict[str, Any]:
    state = safe_mode.load(model_sha256, db)
    tuned = tuning.load(model_sha256, db)
    return {
        "sha256": model_sha256,
        "machine": machine_key(),
        "safe_mode": {"active": state.active, "steps": state.steps, "reason": state.reason,
                      "date": state.date,
                      "probed": state.probed, "en": state.describe("en"), "zh": state.describe("zh")},
        "tuned": None if tuned is None else {
            "flash_attn": tuned["flash_attn"], "n_threads": tuned["n_threads"], "date": tuned.get("date"),
            "measurements": tuned.get("measurements", []),
            "en": tuning.describe(tuned, "en"), "zh": tuning.describe(tuned, "zh")},
    }


def forget(model_sha256: str, db: Any | None = None) -> None:
    safe_mode.reset(model_sha256, db)
    tuning.reset(model_sha256, db)

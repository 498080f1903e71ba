"""The compute devices llama.cpp sees, as the engine host last reported them, remembered so the window
can estimate what fits (GPU memory) without loading llama.cpp itself.

The host reports them with every model load, and on request (`client.list_backends`). The list is
remembered per machine (llama.cpp version and CPU) and per build (its GPU backends), so installing a GPU
build forgets the list of the CPU build.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

_PREFIX = "engine.devices:"


def _key() -> str:
    from desktop.core.engine.backend_files import gpu_backends
    from desktop.core.engine.machine import machine_key

    return f"{_PREFIX}{machine_key()}|{','.join(gpu_backends()) or 'cpu'}"


def remember(devices: list[dict[str, Any]], db: Any | None = None) -> None:
    from desktop.core.models.settings_store import open_settings

    with open_settings(db) as settings:
        settings.set(_key(), {"devices": devices, "date": _dt.datetime.now().isoformat(timespec="seconds")})


def known(db: Any | None = None) -> list[dict[str, Any]] | None:
    """The last list the host reported for this machine and build, or None before any."""
    from desktop.core.models.settings_store import open_settings

    try:
        with open_settings(db) as settings:
            raw = settings.get(_key())
    except Exception:  # noqa: BLE001 - an unreadable store means: not known yet
        return None
    if not isinstance(raw, dict) or not isinstance(raw.get("devices"), list):
        return None
    return raw["devices"]


def describe(device: dict[str, Any], lang: str = "en") -> str:
    """"Vulkan0 (llvmpipe): GPU, 1.2 of 4.0 GB free" for people."""
    kind = {"cpu": ("CPU", "CPU"), "gpu": ("GPU", "独立显卡"), "igpu": ("integrated GPU", "集成显卡"),
            "accel": ("accelerator", "加速器")}.get(device.get("type", ""), (device.get("type", ""),) * 2)
    free, total = device.get("free_bytes") or 0, device.get("total_bytes") or 0
    gib = 1024**3
    if lang == "zh":
        memory = f"可用 {free / gib:.1f} GB / 共 {total / gib:.1f} GB" if total else "内存未知"
        return f"{device.get('name', '')}（{device.get('description', '')}）：{kind[1]}，{memory}"
    memory = f"{free / gib:.1f} of {total / gib:.1f} GB free" if total else "memory unknown"
    return f"{device.get('name', '')} ({device.get('description', '')}): {kind[0]}, {memory}"

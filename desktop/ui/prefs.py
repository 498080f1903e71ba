"""The window's own preferences (language, theme, geometry, last page, engine defaults) in an INI file
in the data folder, so SHOPSCRIBE_HOME moves them too (tests never touch the user's settings).

Merchant data and shared switches (offline mode, the default model) live in the store instead."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings

from desktop.core.paths import data_home

FILENAME = "shopscribe-ui.ini"

DEFAULTS: dict[str, Any] = {
    "ui/language": "system",  # system | zh_CN | en
    "ui/theme": "system",  # system | light | dark
    "window/page": "compose",
    "engine/n_ctx": 4096,
    "engine/n_threads": 0,  # 0: the engine picks from the machine
    "engine/n_gpu_layers": 0,
    "compose/max_tokens": 512,
}


def ui_settings() -> QSettings:
    """A QSettings on `<data folder>/shopscribe-ui.ini` (INI, so it is readable and portable)."""
    return QSettings(str(data_home() / FILENAME), QSettings.Format.IniFormat)


def get(key: str, default: Any = None) -> Any:
    """A value with its default's type (INI stores text)."""
    fallback = DEFAULTS.get(key) if default is None else default
    value = ui_settings().value(key, fallback)
    if isinstance(fallback, bool):
        return value in (True, "true", "1", 1)
    if isinstance(fallback, int):
        try:
            return int(value)
        except (TypeError, ValueError):
            return fallback
    return value


def put(key: str, value: Any) -> None:
    settings = ui_settings()
    settings.setValue(key, value)
    settings.sync()

"""Key-value settings, each value stored as JSON."""

from __future__ import annotations

from typing import Any

from desktop.core.store.codec import from_json, to_json
from desktop.core.store.sqlite import Database

_MISSING = object()


def get_setting(db: Database, key: str, default: Any = None) -> Any:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    if row is None:
        return default
    value = from_json(row[0], _MISSING)
    return default if value is _MISSING else value


def set_setting(db: Database, key: str, value: Any) -> None:
    db.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = "
        "excluded.value",
        [key, to_json(value)],
    )


def delete_setting(db: Database, key: str) -> None:
    db.execute("DELETE FROM settings WHERE key = ?", [key])


def all_settings(db: Database) -> dict[str, Any]:
    return {key: from_json(value) for key,
            value in db.execute("SELECT key, value FROM settings ORDER BY key")}


DRY_SETTING = "dry_multiplier"  # the repetition guard's strength (Settings > Writing); unset: the engine's


def stored_dry(db: Database | None) -> float | None:
    """The merchant's DRY strength (0 = off), or None to leave the engine's default."""
    if db is None:
        return None
    value = get_setting(db, DRY_SETTING)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None

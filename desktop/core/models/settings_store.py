"""The few settings the model manager keeps (default model, per-model settings, imports by reference,
checksum cache, the offline switch), in the store's `settings` table: key TEXT, value JSON text.

Give it a `sqlite_utils.Database` to share a connection, or nothing: it then opens the store for the
duration of a `with` block (one connection per thread, as the store asks). Should the store be
unavailable, a JSON file in the data folder stands in, so the model manager never depends on it.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from desktop.core.paths import data_home

_json_lock = threading.Lock()


class Settings:
    """Get/set JSON values by key on one open connection (or the JSON stand-in)."""

    def __init__(self, db: Any | None, json_path: Path | None = None) -> None:
        self.db, self.json_path = db, json_path

    def get(self, key: str, default: Any = None) -> Any:
        if self.db is None:
            return self._load_json().get(key, default)
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        if row is None or row[0] is None:
            return default
        try:
            return json.loads(row[0])
        except ValueError:
            return default

    def set(self, key: str, value: Any) -> None:
        if self.db is None:
            with _json_lock:
                data = self._load_json()
                data[key] = value
                self._save_json(data)
            return
        text = json.dumps(value, ensure_ascii=False)
        with self.db.conn:  # commit at once: other threads and processes read the same file
            self.db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, text],
            )

    def delete(self, key: str) -> None:
        if self.db is None:
            with _json_lock:
                data = self._load_json()
                data.pop(key, None)
                self._save_json(data)
            return
        with self.db.conn:
            self.db.execute("DELETE FROM settings WHERE key = ?", [key])

    def _load_json(self) -> dict[str, Any]:
        assert self.json_path is not None
        try:
            data = json.loads(self.json_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _save_json(self, data: dict[str, Any]) -> None:
        assert self.json_path is not None
        tmp = self.json_path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, self.json_path)


@contextlib.contextmanager
def open_settings(db: Any | None = None) -> Iterator[Settings]:
    """Settings on `db` if given, else on a fresh connection to the store closed afterwards."""
    if db is not None:
        yield Settings(db)
        return
    try:
        from desktop.core.store.db import open_db
    except ImportError:  # the store is optional for the model manager
        yield Settings(None, data_home() / "models.json")
        return
    conn = open_db()
    try:
        yield Settings(conn)
    finally:
        conn.close()


def get_setting(key: str, default: Any = None, db: Any | None = None) -> Any:
    with open_settings(db) as settings:
        return settings.get(key, default)

"""The few settings the model manager keeps (default model, per-model settings, imports by reference,
checksum cache, the offline switch), in the store's `settings` table: key TEXT, value JSON text.

Give it a `sqlite_utils.Database` to share a connection, or nothing: it then opens the store for the
duration of a `with` block (one connection per thread, as the store asks).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any


class Settings:
    """Get/set JSON values by key on one open connection to the store."""

    def __init__(self, db: Any) -> None:
        self.db = db

    def get(self, key: str, default: Any = None) -> Any:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        if row is None or row[0] is None:
            return default
        try:
            return json.loads(row[0])
        except ValueError:
            return default

    def set(self, key: str, value: Any) -> None:
        text = json.dumps(value, ensure_ascii=False)
        with self.db.conn:  # commit at once: other threads and processes read the same file
            self.db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, text],
            )

    def delete(self, key: str) -> None:
        with self.db.conn:
            self.db.execute("DELETE FROM settings WHERE key = ?", [key])


@contextlib.contextmanager
def open_settings(db: Any | None = None) -> Iterator[Settings]:
    """Settings on `db` if given, else on a fresh connection to the store closed afterwards."""
    if db is not None:
        yield Settings(db)
        return
    from desktop.core.store.db import open_db

    conn = open_db()
    try:
        yield Settings(conn)
    finally:
        conn.close()


def get_setting(key: str, default: Any = None, db: Any | None = None) -> Any:
    with open_settings(db) as settings:
        return settings.get(key, default)

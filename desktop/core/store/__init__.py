"""The local store: one SQLite file (WAL) reached through sqlite-utils, migrated by an ordered list."""

from desktop.core.store.db import open_db

__all__ = ["open_db"]

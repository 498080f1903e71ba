"""Opening the database: one SQLite file in the data folder, WAL, foreign keys, migrated on open.

SQLite connections must not cross threads, so every thread calls `open_db()` for its own connection
(cheap: the migration check is one small read) and closes it when done.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

from desktop.core.errors import ShopscribeError
from desktop.core.paths import database_path
from desktop.core.store.migrations import migrations
from desktop.core.store.sqlite import Database

BUSY_TIMEOUT_MS = 10_000

_migrate_lock = threading.Lock()


class DatabaseError(ShopscribeError):
    """The database file cannot be opened or upgraded."""


def _create_private_file(path: Path) -> None:
    """Create the file readable by its owner only, before SQLite creates it with the umask's bits."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(fd)


def _connect(path: Path) -> Database:
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
        db = Database(conn, execute_plugins=False)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA foreign_keys = ON")
        db.enable_wal()
        db.execute("PRAGMA synchronous = NORMAL")  # safe with WAL; a crash loses at most the last commit
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(
            f"Cannot open the database {path.name}: {exc}. Close other copies of Shopscribe, or move the "
            f"file aside to start fresh.",
            f"无法打开数据库 {path.name}:{exc}。请关闭其他 Shopscribe 窗口,"
            "或将该文件移走后重新开始。"
        ) from exc
    return db


def migrate(db: Database, *, stop_before: str | None = None) -> None:
    """Apply pending migrations (all of them, or those before `stop_before`, for tests)."""
    try:
        migrations.apply(db, stop_before=stop_before)
    except sqlite3.OperationalError:
        # Another process may have migrated between our check and our write: look again once.
        if not migrations.pending(db):
            return
        migrations.apply(db, stop_before=stop_before)


def open_db(path: Path | None = None) -> Database:
    """A new connection to the Shopscribe database (default: the data folder's `shopscribe.db`),
    with the schema brought up to date. Use one per thread; close it with `db.close()`."""
    path = Path(path) if path is not None else database_path()
    _create_private_file(path)
    db = _connect(path)
    # Checking for pending migrations is one small read; the lock keeps two threads of this process
    # from migrating the same file at once.
    with _migrate_lock:
        try:
            if migrations.pending(db):
                migrate(db)
        except sqlite3.DatabaseError as exc:
            db.close()
            raise DatabaseError(
                f"Cannot upgrade the database {path.name}: {exc}.", f"无法升级数据库 {path.name}:{exc}。"
            ) from exc
    return db

"""The database file: where it lives, how it is opened, settings."""

from __future__ import annotations

import os
import stat
import threading

import pytest

from desktop.core.paths import database_path
from desktop.core.store import open_db
from desktop.core.store.migrations import migration_names
from desktop.core.store.settings import all_settings, delete_setting, get_setting, set_setting

TABLES = {"settings", "templates", "brands", "products", "generations", "generations_fts",
          "jobs", "job_items"}


def test_open_db_creates_a_private_wal_database_in_the_data_folder(shopscribe_home):
    db = open_db()
    try:
        assert database_path() == shopscribe_home / "shopscribe.db"
        assert TABLES <= set(db.table_names())
        assert db.journal_mode == "wal"
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
        applied = [r["name"] for r in db.query("SELECT name FROM _sqlite_migrations ORDER BY id")]
        assert applied == migration_names()
    finally:
        db.close()
    if os.name == "posix":
        assert stat.S_IMODE(database_path().stat().st_mode) == 0o600


def test_reopening_applies_nothing_twice(tmp_path):
    path = tmp_path / "x.db"
    open_db(path).close()
    db = open_db(path)
    count = db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
    assert count == len(migration_names())
    db.close()


def test_foreign_keys_are_enforced(tmp_path):
    db = open_db(tmp_path / "x.db")
    import sqlite3

    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO job_items (job_id, product_id) VALUES (999, NULL)")
    db.close()


def test_one_connection_per_thread(tmp_path):
    path = tmp_path / "x.db"
    open_db(path).close()
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            db = open_db(path)
            for i in range(20):
                set_setting(db, f"k{n}-{i}", {"n": n, "i": i})
            db.close()
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    db = open_db(path)
    assert len(all_settings(db)) == 80
    db.close()


def test_settings_round_trip_json_values(tmp_path):
    db = open_db(tmp_path / "x.db")
    assert get_setting(db, "missing", "fallback") == "fallback"
    set_setting(db, "ui.lang", "zh")
    set_setting(db, "sampling", {"temperature": 0.7, "seed": None, "stop": ["。"]})
    set_setting(db, "ui.lang", "en")
    assert get_setting(db, "ui.lang") == "en"
    assert get_setting(db, "sampling") == {"temperature": 0.7, "seed": None, "stop": ["。"]}
    delete_setting(db, "ui.lang")
    assert get_setting(db, "ui.lang") is None
    db.close()

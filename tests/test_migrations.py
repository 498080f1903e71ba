"""Every earlier schema migrates forward to the current one with nothing lost."""

from __future__ import annotations

import sqlite3

import pytest
from sqlite_utils import Database

from desktop.core.store import open_db
from desktop.core.store.db import migrate
from desktop.core.store.history import search
from desktop.core.store.migrations import migration_names

NAMES = migration_names()

ROWS = {
    "settings": [{"key": "ui.lang", "value": '"zh"'}],
    "brands": [{"id": 1, "name": "暖山", "voice": "温暖", "audience": "通勤族", "use_words": '["温暖"]',
                "banned_words": '["最"]', "must_use": "[]", "trademarks": '["暖山®"]', "examples": "[]",
                "created_at": "2024-01-01T00:00:00+00:00", "updated_at": "2024-01-01T00:00:00+00:00"}],
    "templates": [{"id": "my-title", "name": "Mine", "content_type": "product-title", "platform": "taobao",
                   "version": 2, "builtin": 0, "hidden": 0, "data": "{}", "created_at": "2024-01-01",
                   "updated_at": "2024-01-02"}],
    "products": [{"id": 7, "handle": "cup-500", "sku": "C500", "name": "保温杯",
                  "fields": '{"title": "保温杯"}',
                  "extra": "{}", "source_file": "p.csv", "source_rows": "[2, 3]", "created_at": "2024-01-01",
                  "updated_at": "2024-01-01"}],
    "jobs": [{"id": 3, "status": "running", "content_type": "product-description", "platform": "taobao",
              "template_id": "taobao-detail", "brand_id": 1, "tone": "friendly", "lang": "zh", "variants": 1,
              "options": "{}", "input_path": "p.csv", "output_path": "o.csv", "format": "csv",
              "encoding": "utf-8",
              "total": 1, "created_at": "2024-01-01", "updated_at": "2024-01-01"}],
    "generations": [
        {"id": 11, "group_id": "g", "variant_index": 0, "content_type": "product-description",
         "platform": "taobao",
         "lang": "zh", "template_id": "taobao-detail", "template_version": 1, "brand_id": 1,
         "tone": "friendly",
         "inputs": '{"product_name": "不锈钢保温杯"}', "inputs_text": "不锈钢保温杯", "prompt_system": "s",
         "prompt_user": "u", "model_id": "m", "model_path": "m.gguf", "model_sha256": "0" * 64,
         "sampling": "{}",
         "text": "双层真空保温杯,通勤好伴侣", "edited_text": None, "fields": "{}", "stats": "{}",
         "stop_reason": "end",
         "findings": "[]", "rating": 5, "favourite": 1, "tags": '["新品"]', "product_id": 7, "job_id": 3,
         "created_at": "2024-01-01T00:00:00+00:00"},
        {"id": 12, "group_id": "h", "variant_index": 0, "content_type": "email",
         "platform": "email", "lang": "en",
         "inputs": '{"product_name": "Ceramic mug"}', "inputs_text": "Ceramic mug",
         "text": "Your mug is waiting",
         "favourite": 0, "created_at": "2024-01-02T00:00:00+00:00"},
    ],
    "job_items": [{"id": 1, "job_id": 3, "product_id": 7, "position": 0, "status": "done", "attempts": 1,
                   "generation_id": 11, "text": "双层真空保温杯", "fields": "{}", "findings": "[]",
                   "error": None,
                   "updated_at": "2024-01-01"}],
}


def _insert_all(db: Database) -> None:
    for table, rows in ROWS.items():
        for row in rows:
            columns = list(row)
            db.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                       f"({', '.join('?' for _ in columns)})",
                       [row[c] for c in columns])


def _assert_all_kept(db: Database) -> None:
    for table, rows in ROWS.items():
        for row in rows:
            key = "key" if table == "settings" else "id"
            got = next(db.query(f"SELECT * FROM {table} WHERE {key} = ?", [row[key]]))
            assert {k: got[k] for k in row} == row, table


def test_from_an_empty_file(tmp_path):
    path = tmp_path / "empty.db"
    sqlite3.connect(path).close()  # a zero-byte SQLite file: no tables at all
    db = open_db(path)
    assert [r["name"] for r in db.query("SELECT name FROM _sqlite_migrations ORDER BY id")] == NAMES
    _insert_all(db)
    _assert_all_kept(db)
    db.close()


@pytest.mark.parametrize("applied", range(1, len(NAMES)))
def test_from_each_earlier_schema(tmp_path, applied):
    """A database made by an older Shopscribe (only the first `applied` migrations), with data in every
    table, opens with the current code: the rest are applied and every row is still there."""
    path = tmp_path / f"v{applied}.db"
    old = Database(path)
    migrate(old, stop_before=NAMES[applied])
    assert [r["name"] for r in old.query("SELECT name FROM _sqlite_migrations "
                                         "ORDER BY id")] == NAMES[:applied]
    _insert_all(old)
    old.close()

    db = open_db(path)
    assert [r["name"] for r in db.query("SELECT name FROM _sqlite_migrations ORDER BY id")] == NAMES
    _assert_all_kept(db)
    # rows written before the search index existed are found by it
    assert [r["id"] for r in search(db, "保温杯")] == [11]
    assert [r["id"] for r in search(db, "保温")] == [11]
    assert [r["id"] for r in search(db, "mug")] == [12]
    db.close()


def test_a_failed_migration_leaves_no_record(tmp_path):
    """Migrations run in a transaction with their record: a failure applies nothing."""
    from sqlite_utils import Migrations

    broken = Migrations("broken")

    @broken()
    def m001_half(db):
        db.execute("CREATE TABLE a (id INTEGER PRIMARY KEY)")
        db.execute("CREATE TABLE a (id INTEGER PRIMARY KEY)")  # fails

    db = Database(tmp_path / "b.db")
    with pytest.raises(sqlite3.OperationalError):
        broken.apply(db)
    assert "a" not in db.table_names()
    assert broken.pending(db)
    db.close()


def test_a_column_added_under_another_migrations_name_is_not_added_twice(tmp_path):
    """A development build once added `generations.engine` as its m004: that database opens, gains the
    score columns, and keeps the engine column it had."""
    path = tmp_path / "dev.db"
    old = Database(path)
    migrate(old, stop_before="m004_quality_scores")
    old.execute("ALTER TABLE generations ADD COLUMN engine TEXT")
    old.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                "VALUES ('shopscribe', 'm004_history_engine', '2026-11-29')")
    old.close()
    db = open_db(path)
    assert {"score", "engine"} <= set(db["generations"].columns_dict)
    assert "score" in db["job_items"].columns_dict

"""`shopscribe generate` closes the database it opened, on success and when generation fails."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from desktop.cli import main
from desktop.core.store import db as store_db
from tests.fake_engine import FakeEngine

ARGS = ["generate", "--type", "product-title", "--lang", "zh", "--field", "product_name=保温杯", "--json"]


@pytest.fixture
def opened(monkeypatch):
    """Every database connection the command opens, to see whether it was closed."""
    connections = []
    real_open = store_db.open_db

    def tracking_open(*args, **kwargs):
        db = real_open(*args, **kwargs)
        connections.append(db)
        return db

    monkeypatch.setattr(store_db, "open_db", tracking_open)
    return connections


def _closed(db) -> bool:
    try:
        db.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - sqlite3.ProgrammingError: closed
        return "closed" in str(exc)
    return False


def _engine(monkeypatch, fake: FakeEngine) -> None:
    monkeypatch.setattr("desktop.core.session.open_engine", lambda model, **_: fake.open(model))


def test_generate_closes_its_database(monkeypatch, opened):
    fake = FakeEngine()
    fake.enqueue(["保温杯 316不锈钢"])
    _engine(monkeypatch, fake)
    result = CliRunner().invoke(main, ARGS)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["text"] == "保温杯 316不锈钢" and len(fake.requests) == 1
    assert opened and all(_closed(db) for db in opened)


def test_generate_closes_its_database_when_generation_fails(monkeypatch, opened):
    fake = FakeEngine()  # nothing queued: the request fails
    _engine(monkeypatch, fake)
    result = CliRunner().invoke(main, ARGS)
    assert result.exit_code != 0
    assert opened and all(_closed(db) for db in opened)

"""Local data stays private: user-only permissions, and logs hold no product text by default."""

from __future__ import annotations

import json
import stat

import pytest
from click.testing import CliRunner

from desktop.cli import main
from desktop.core.paths import database_path, logs_dir, user_models_dir

pytestmark = pytest.mark.model

SECRET = "Zebraglass-7731"


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_generation_leaves_no_product_text_in_the_logs_and_data_is_private(shopscribe_home, monkeypatch):
    fresh = shopscribe_home / "fresh"
    monkeypatch.setenv("SHOPSCRIBE_HOME", str(fresh))  # not created yet: the app must create it privately
    result = CliRunner().invoke(main, [
        "generate", "--type", "product-description", "--lang", "en", "--field", f"name={SECRET} bottle",
        "--max-tokens", "8", "--seed", "1", "--json",
    ])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["history_id"]
    assert mode(fresh) == 0o700
    assert mode(logs_dir()) == 0o700 and mode(user_models_dir()) == 0o700
    assert mode(database_path()) & 0o077 == 0
    logs = "".join(p.read_text(encoding="utf-8", errors="replace") for p in logs_dir().glob("*.log*"))
    assert SECRET not in logs

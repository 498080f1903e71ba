"""`shopscribe generate`: the JSON contract, streaming to stdout, and Ctrl-C stopping at once with 130."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from desktop.cli import main

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.model

KEYS = {"text", "model", "content_type", "platform", "lang", "prompt_tokens", "completion_tokens", "ttft_s",
        "tokens_per_s", "stop_reason", "history_id"}


def test_json_has_the_contract_keys_and_lands_in_history():
    result = CliRunner().invoke(main, [
        "generate", "--type", "product-description", "--lang", "en", "--field", "name=Steel bottle",
        "--field", "features=keeps drinks cold", "--max-tokens", "12", "--seed", "3", "--variants",
        "2", "--json",
    ])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert KEYS <= set(data)
    assert data["content_type"] == "product-description" and data["lang"] == "en"
    assert len(data["variants"]) == 2 and all(KEYS <= set(v) for v in data["variants"])
    assert [v["seed"] for v in data["variants"]] == [3, 4]
    shown = CliRunner().invoke(main, ["history", "show", str(data["history_id"]), "--json"])
    assert shown.exit_code == 0 and json.loads(shown.stdout)["id"] == data["history_id"]


def test_english_input_without_lang_or_platform_gives_english_with_score_and_facts():
    result = CliRunner().invoke(main, [
        "generate", "--type", "product-description", "--field", "name=Camp mug", "--field",
        "specs=350 ml enamel",
        "--max-tokens", "24", "--seed", "5", "--json",
    ])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["lang"] == "en"
    assert 0 <= data["score"]["value"] <= 100
    assert [p["id"] for p in data["score"]["parts"]] == ["facts", "coverage", "language",
                                                         "repetition", "length",
                                                         "compliance"]
    assert isinstance(data["facts"], list) and data["coverage"]["key_facts"] >= 1
    for f in data["findings"]:
        assert data["text"][f["start"]:f["end"]] == f["text"] or f["start"] == f["end"]


def test_streams_text_to_stdout_and_stats_to_stderr():
    result = CliRunner().invoke(main, [
        "generate", "--type", "social-post", "--platform", "x", "--field", "name=Wool scarf",
        "--max-tokens", "10", "--seed", "1",
    ])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()
    assert "tok/s" in result.stderr


def test_unknown_platform_is_a_user_error():
    result = CliRunner().invoke(main,
                                ["generate", "--type", "email", "--platform", "myspace", "--field", "name=x"])
    assert result.exit_code == 1
    assert "unknown platform" in result.stderr


def test_ctrl_c_stops_generation_at_once_with_exit_130(shopscribe_home):
    env = {**os.environ, "SHOPSCRIBE_HOME": str(shopscribe_home), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "desktop", "generate", "--type", "blog-post", "--lang", "en",
         "--field", "topic=How to keep drinks cold on a hike", "--max-tokens", "2000", "--temperature", "1.0",
         "--seed", "9"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    first = proc.stdout.read(1)  # text has started streaming
    assert first
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    rc = proc.wait(timeout=60)
    stopped_after = time.monotonic() - sent
    assert rc == 130
    assert "interrupted" in proc.stderr.read().decode()
    # Not a timing assertion on speed: 2000 tokens would take far longer than stopping does.
    assert stopped_after < 15

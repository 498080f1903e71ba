"""`shopscribe check`: one JSON document, exit 0 even with findings, 1 for bad usage."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from desktop.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, ["check", *args], input=input)


def test_prints_findings_and_lengths_as_json():
    result = run("--platform", "amazon", "--field", "title", "Best Seller Yoga Mat!")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"findings", "lengths", "category"}
    assert data["category"] == {"id": "sports", "inferred": True, "from": "Yoga Mat"}  # no --category given
    assert [(f["rule"], f["text"]) for f in data["findings"]] == [
        ("amazon.promotional", "Best Seller"),
        ("amazon.title-characters", "!"),
    ]
    for f in data["findings"]:
        assert set(f) == {"rule", "category", "severity", "start", "end", "text", "message", "suggestion"}
        assert "Best Seller Yoga Mat!"[f["start"] : f["end"]] == f["text"]
    assert data["lengths"] == [
        {"field": "title", "counter": "characters", "value": 21, "limit": 200, "over": False}
    ]


def test_clean_text_has_no_findings_and_exit_zero():
    result = run("--platform", "taobao", "--field", "title", "春季新款纯棉T恤")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["findings"] == []


def test_reads_stdin_with_category_and_chinese_messages():
    result = run(
        "-p",
        "taobao",
        "-f",
        "description",
        "-c",
        "cosmetics",
        "--ui-lang",
        "zh",
        "-",
        input="抗敏修护面霜，全网第一",
    )
    assert result.exit_code == 0, result.output
    findings = json.loads(result.stdout)["findings"]
    assert [f["text"] for f in findings] == ["抗敏", "全网第一"]
    assert "化妆品" in findings[0]["message"]


def test_length_over_limit_is_a_finding():
    data = json.loads(run("--platform", "x", "测" * 150).stdout)
    assert data["lengths"][0]["value"] == 300
    assert [f["category"] for f in data["findings"]] == ["length"]


def test_bad_usage_exits_1_with_a_message():
    for args in (
        ["--platform", "nowhere", "hi"],
        ["--platform", "amazon", "--field", "slogan", "hi"],
        ["--platform", "amazon", "--category", "spaceships", "hi"],
        ["--platform", "amazon", "--brand", "Nobody", "hi"],
    ):
        result = run(*args)
        assert result.exit_code == 1, args
        assert result.stdout == ""
        assert result.stderr.startswith("error: ")


def test_missing_platform_is_a_usage_error():
    assert run("hi").exit_code == 2


def test_brand_from_the_store():
    from desktop.core.content.brands import Brand
    from desktop.core.store.brands import save_brand
    from desktop.core.store.db import open_db

    db = open_db()
    try:
        save_brand(db, Brand(name="Acme", banned_words=["cheap"], must_use=["Acme"], trademarks=["Deal Pro"]))
    finally:
        db.close()
    text = "Cheap Deal Pro Mat"
    without = [
        f["text"]
        for f in json.loads(run("--platform", "amazon", "--field", "title", text).stdout)["findings"]
    ]
    assert without == ["Deal"]  # a promotional word, unless it is part of the declared trademark
    result = run("--platform", "amazon", "--field", "title", "--brand", "Acme", text)
    assert result.exit_code == 0, result.output
    found = [(f["rule"], f["text"]) for f in json.loads(result.stdout)["findings"]]
    assert found == [("brand.banned", "Cheap"), ("brand.must-use", "")]


def test_real_command_line_process(shopscribe_home):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop",
            "check",
            "--platform",
            "xiaohongshu",
            "--field",
            "title",
            "加微信领取最好的福利",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert {f["text"] for f in data["findings"]} == {"加微信", "最好"}

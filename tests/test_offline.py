"""Nothing leaves the machine: start-up, generation, history search, checks and export all succeed in a
process whose every socket creation is blocked (and, where the system allows, inside a network namespace
with no interfaces). The only code that may open connections is model search and download."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUARD = Path(__file__).parent / "offline"

pytestmark = pytest.mark.model


def _unshare_prefix() -> list[str]:
    """Run inside a fresh network namespace (no interfaces at all) when we are allowed to."""
    if shutil.which("unshare") is None:
        return []
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    return ["unshare", "-n"] if probe.returncode == 0 else []


GUARD_PROBE = """
import socket, sys
print(socket.socket.__name__)
try:
    socket.create_connection(("127.0.0.1", 9), timeout=1)
except OSError as exc:
    print(exc)
"""


def run_offline(args: list[str], home: Path, log: Path,
                extra_env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m desktop ARGS` with the socket guard loaded first (and no network namespace, where
    allowed)."""
    return _run_guarded(["-m", "desktop", *args], home, log, extra_env)


def assert_guard_loaded(home: Path, log: Path) -> None:
    """The guard is a sitecustomize module: another one earlier on the path would silently replace it, and
    then this whole file would prove nothing. A child started the same way must meet the guard."""
    result = _run_guarded(["-c", GUARD_PROBE], home, log)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["_GuardedSocket", "network access blocked by the offline test"]
    assert "lookup" in log.read_text() or "socket(" in log.read_text()
    log.unlink()


def _run_guarded(argv: list[str], home: Path, log: Path,
                 extra_env: dict | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.update({
        "SHOPSCRIBE_HOME": str(home),
        "SHOPSCRIBE_SOCKET_LOG": str(log),
        "PYTHONPATH": os.pathsep.join([str(GUARD), str(ROOT)]),
        "QT_QPA_PLATFORM": "offscreen",
    })
    env.pop("HF_HUB_OFFLINE", None)  # prove we stay offline without being told to
    env.update(extra_env or {})
    return subprocess.run(
        [*_unshare_prefix(), sys.executable, *argv],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=600,
    )


def test_everything_a_merchant_does_works_with_the_network_blocked(tmp_path):
    home, log = tmp_path / "home", tmp_path / "sockets.log"
    home.mkdir()
    assert_guard_loaded(home, log)
    steps = [
        ["generate", "--type", "product-description", "--lang", "zh", "--field", "name=保温杯",
         "--field", "features=316不锈钢, 保冷24小时", "--max-tokens", "16", "--seed", "1", "--json"],
        ["history", "search", "保温", "--json"],
        ["history", "list", "--json"],
        ["check", "--platform", "taobao", "--field", "title", "全网第一的保温杯"],
        ["models", "list", "--json"],
        ["selftest"],
    ]
    outputs = []
    for args in steps:
        result = run_offline(args, home, log)
        assert result.returncode == 0, f"{args[0]} failed offline:\n{result.stderr[-2000:]}"
        outputs.append(result.stdout)
    generated = json.loads(outputs[0])
    found = json.loads(outputs[1])
    assert generated["completion_tokens"] > 0
    assert any(item["id"] == generated["history_id"] for item in found)
    export = tmp_path / "history.csv"
    result = run_offline(["history", "export", "--format", "csv", "--out", str(export)], home, log)
    assert result.returncode == 0, result.stderr
    assert export.exists() and export.stat().st_size > 0
    assert not log.exists(), f"something tried to open a network connection:\n{log.read_text()}"


def test_search_and_download_refuse_in_offline_mode(tmp_path):
    home, log = tmp_path / "home", tmp_path / "sockets.log"
    home.mkdir()
    assert_guard_loaded(home, log)
    for args in (["models", "search", "qwen"],
                 ["models", "download", "Qwen/Qwen2.5-0.5B-Instruct-GGUF",
                  "qwen2.5-0.5b-instruct-q4_k_m.gguf"]):
        result = run_offline(args, home, log, extra_env={"HF_HUB_OFFLINE": "1"})
        assert result.returncode == 1, result.stderr
        assert "offline" in result.stderr.lower()
    assert not log.exists(), log.read_text() if log.exists() else ""

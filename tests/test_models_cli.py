"""`shopscribe models ...`: the JSON contract, exit codes, and broken files refused by a process that
lives on. Downloads run against the local fake Hub."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from desktop.cli import main
from desktop.core import embedded
from tests.fakehub import FakeHub, FakeRepo

LIST_KEYS = {"id", "path", "sha256", "architecture", "parameters", "quantization", "context_length",
             "size_bytes", "default"}


def run(*args: str):
    result = CliRunner().invoke(main, ["models", *args], catch_exceptions=False)
    return result


def shopscribe(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The real command in its own process."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "desktop", "models", *args], capture_output=True, text=True,
                          env=full_env, cwd=Path(__file__).resolve().parents[1], timeout=300)


@pytest.fixture
def sparse_model(tmp_path, model_path) -> Path:
    from desktop.core.models.gguf_header import read_gguf_info

    info = read_gguf_info(model_path)
    path = tmp_path / "My-Model-Q4_1.gguf"
    with open(model_path, "rb") as src, open(path, "wb") as dst:
        dst.write(src.read(info.data_offset))
        dst.truncate(info.file_size)
    return path


def test_list_json_shape():
    result = run("list", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, list) and LIST_KEYS <= set(data[0])
    assert data[0]["id"] == embedded.MODEL_ID and data[0]["default"] is True
    assert data[0]["sha256"] == embedded.SHA256


def test_import_default_info_set_remove(sparse_model):
    imported = json.loads(run("import", str(sparse_model), "--json").stdout)
    mid = imported["id"]
    assert mid == "my-model-q4_1" and imported["quantization"] == "Q4_1"
    assert json.loads(run("default", mid, "--json").stdout)["default"] is True
    listed = {m["id"]: m for m in json.loads(run("list", "--json").stdout)}
    assert listed[mid]["default"] and not listed[embedded.MODEL_ID]["default"]
    settings = json.loads(run("set", mid, "--ctx", "2048", "--threads", "2", "--json").stdout)
    assert settings["n_ctx"] == 2048 and settings["n_threads"] == 2
    info = json.loads(run("info", mid, "--json").stdout)
    assert info["settings"]["n_ctx"] == 2048
    assert info["fit"]["label"] in {"fits", "tight", "wont_fit"} and info["fit"]["n_ctx"] == 2048
    assert info["n_layers"] == 30 and info["has_chat_template"] is True
    bad = run("set", mid, "--ctx", "999999")
    assert bad.exit_code == 1 and "not allowed" in bad.stderr
    removed = json.loads(run("remove", mid, "--json").stdout)
    assert removed == {"removed": mid, "path": listed[mid]["path"], "file_deleted": True}
    assert [m["id"] for m in json.loads(run("list", "--json").stdout)] == [embedded.MODEL_ID]


def test_user_errors_exit_1_with_one_line():
    for args, words in ((["remove", embedded.MODEL_ID], "cannot be removed"),
                        (["info", "nope"], "No model with the id"),
                        (["default", "nope"], "No model with the id")):
        result = run(*args)
        assert result.exit_code == 1
        assert words in result.stderr and result.stderr.count("\n") == 1
        assert result.stdout == ""


def test_broken_files_are_refused_and_the_process_survives(tmp_path, model_path, shopscribe_home):
    head = model_path.read_bytes()[:300_000]
    corpus = {
        "cut.gguf": (head, "incomplete"),
        "page.gguf": (b"<!DOCTYPE html><html>Sign in</html>", "web page"),
        "pointer.gguf": (b"version https://git-lfs.github.com/spec/v1\noid sha256:ab\nsize 9\n",
                         "Git LFS pointer"),
        "v9.gguf": (b"GGUF\x09\x00\x00\x00" + head[8:], "GGUF version 9"),
        "empty.gguf": (b"", "empty"),
        "huge.gguf": (b"GGUF\x03\x00\x00\x00" + (2**40).to_bytes(8, "little") + head[16:], "tensor count"),
    }
    for name, (content, _) in corpus.items():
        (tmp_path / name).write_bytes(content)
    # a real process per file: each refusal is an exit 1 with its own message, never a crash
    for name, (_, words) in corpus.items():
        done = shopscribe("import", str(tmp_path / name), "--json",
                          env={"SHOPSCRIBE_HOME": str(shopscribe_home)})
        assert done.returncode == 1, (name, done.stderr)
        assert words in done.stderr and done.stdout == "", (name, done.stderr)
        assert "Traceback" not in done.stderr
    listed = json.loads(run("list", "--json").stdout)
    assert [m["id"] for m in listed] == [embedded.MODEL_ID]


def test_catalog_command():
    data = json.loads(run("catalog", "--json").stdout)
    assert len(data["models"]) >= 8
    assert data["recommended"] in {m["id"] for m in data["models"]} | {None}
    assert all(m["fit"]["label"] in {"fits", "tight", "wont_fit"} for m in data["models"])


@pytest.fixture
def fake_hub(model_path, monkeypatch):
    server = FakeHub()
    repo = server.add(FakeRepo("acme/Tiny-GGUF", {"SmolLM2-135M-Instruct.Q4_1.gguf": model_path},
                               downloads=12, likes=3))
    repo._sha["SmolLM2-135M-Instruct.Q4_1.gguf"] = embedded.SHA256
    server.start()
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    yield server
    server.stop()


def test_download_and_search_honour_hf_endpoint(fake_hub, shopscribe_home):
    env = {"HF_ENDPOINT": fake_hub.url, "SHOPSCRIBE_HOME": str(shopscribe_home)}
    found = shopscribe("search", "tiny", "--json", env=env)
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout) == [{"repo_id": "acme/Tiny-GGUF", "downloads": 12, "likes": 3,
                                         "gated": False, "last_modified": "2025-01-02T03:04:05+00:00"}]
    done = shopscribe("download", "acme/Tiny-GGUF", "SmolLM2-135M-Instruct.Q4_1.gguf", "--json", env=env)
    assert done.returncode == 0, done.stderr
    model = json.loads(done.stdout)  # stdout holds the JSON document and nothing else
    assert model["sha256"] == embedded.SHA256 and model["origin"]["repo_id"] == "acme/Tiny-GGUF"
    assert "100.0%" in done.stderr and "verified" in done.stderr
    offline = shopscribe("search", "tiny", env={**env, "HF_HUB_OFFLINE": "1"})
    assert offline.returncode == 1 and "Offline mode is on" in offline.stderr

"""Full disk: a model download or a history export that runs out of space stops with a clear message
(English and Chinese), the partial download stays resumable, an export leaves no partial file, and
the database is untouched.

Two ways to run out of space, both real: a file size limit (RLIMIT_FSIZE, so write() fails with EFBIG;
works everywhere) and a small tmpfs mounted in a private user+mount namespace (write() fails with
ENOSPC, as on a full laptop disk; skipped where namespaces are not allowed). The catalog's own
full-disk export tests are tests/test_export_catalog.py::test_disk_full_stops_cleanly_and_keeps_the_old_file.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.core import embedded
from desktop.core.models.download import download_model
from desktop.core.models.download_state import part_path, pending_downloads
from desktop.core.models.registry import ModelRegistry
from desktop.core.paths import database_path, user_models_dir
from desktop.core.store import open_db
from desktop.core.store.history import save_generation
from tests.fakehub import FakeHub, FakeRepo

ROOT = Path(__file__).resolve().parents[1]
REPO = "acme/SmolLM2-135M-Instruct-GGUF"
NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
LIMIT = 30 * 1024**2  # bytes a child process may write to one file: about a third of the model


@pytest.fixture
def fake_hub(monkeypatch, model_path):
    server = FakeHub()
    server.add(FakeRepo(REPO, {NAME: model_path}))._sha[NAME] = embedded.SHA256
    server.start()
    monkeypatch.setenv("HF_ENDPOINT", server.url)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    yield server
    server.stop()


def fill_history(rows: int = 40, text_size: int = 200) -> None:
    db = open_db()
    try:
        for i in range(rows):
            save_generation(db, {"content_type": "product-description", "platform": "taobao", "lang": "zh",
                                 "inputs": {"product_name": f"保温杯 {i}"},
                                 "text": f"第{i}条 " + "好" * text_size})
    finally:
        db.close()


def db_facts() -> dict:
    """Integrity, row counts and a digest of every row: equal facts mean an untouched database."""
    conn = sqlite3.connect(database_path())
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'generations_fts%'")]
        return {
            "integrity": conn.execute("PRAGMA integrity_check").fetchall(),
            "counts": {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables},
            "digest": hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest(),
        }
    finally:
        conn.close()


def limited(limit: int):
    """preexec_fn: the child may not grow any file past `limit` bytes (Python ignores SIGXFSZ, so the
    write fails with EFBIG instead of killing the process)."""
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


DOWNLOAD = """
import json, sys
from desktop.core.models.download import download_model
from desktop.core.models.errors import NotEnoughDiskError
try:
    download_model(sys.argv[1], sys.argv[2], backoff_base=0.01, stall_timeout=10.0)
except NotEnoughDiskError as exc:
    print(json.dumps({"en": exc.en, "zh": exc.zh, "needed": exc.needed}))
    sys.exit(3)
"""


def test_download_past_the_file_size_limit_stops_and_resumes(fake_hub, model_path):
    fill_history()
    before = db_facts()
    result = subprocess.run([sys.executable, "-c", DOWNLOAD, REPO, NAME], cwd=ROOT, capture_output=True,
                            text=True, preexec_fn=limited(LIMIT), timeout=300)
    assert result.returncode == 3, result.stderr  # a clear NotEnoughDiskError, not a traceback
    message = json.loads(result.stdout)
    assert "disk filled up" in message["en"] and "resume" in message["en"] and "磁盘已满" in message["zh"]
    part = part_path(REPO, NAME)
    kept = part.stat().st_size
    assert 0 < kept <= LIMIT
    assert message["needed"] > model_path.stat().st_size - kept
    assert db_facts() == before and before["integrity"] == [("ok",)]  # the database is as it was

    # Nothing half-written is a model; the partial is a pending download.
    assert [m.id for m in ModelRegistry().list_models()] == [embedded.MODEL_ID]
    assert not (user_models_dir() / NAME).exists()
    [pending] = pending_downloads()
    assert (pending.repo_id, pending.filename, pending.bytes_done) == (REPO, NAME, kept)

    # With room again, the download continues from the partial file and verifies.
    model = download_model(REPO, NAME, backoff_base=0.01, stall_timeout=10.0)
    assert model.sha256 == embedded.SHA256
    assert fake_hub.gets("/resolve/")[-1]["Range"] == f"bytes={kept}-"
    assert pending_downloads() == []


TMPFS_DOWNLOAD = """
import collections, json, shutil, subprocess, sys
from desktop.core.models import download
from desktop.core.models.download_state import part_path, pending_downloads
from desktop.core.models.errors import NotEnoughDiskError
from desktop.core.paths import user_models_dir

facts = {}
real_usage = shutil.disk_usage
Usage = collections.namedtuple("Usage", "total used free")
# The space check before the transfer passes (as when another program fills the disk afterwards).
download.shutil.disk_usage = lambda path: Usage(10**12, 0, 10**12)
try:
    download.download_model(sys.argv[1], sys.argv[2], backoff_base=0.01, stall_timeout=10.0)
    facts["first"] = "finished"
except NotEnoughDiskError as exc:
    facts["first"] = exc.en + " | " + exc.zh
download.shutil.disk_usage = real_usage
part = part_path(sys.argv[1], sys.argv[2])
facts["kept"] = part.stat().st_size if part.exists() else 0
facts["pending"] = [p.bytes_done for p in pending_downloads()]
facts["listed"] = sorted(p.name for p in user_models_dir().glob("*.gguf"))
from tests.test_faults_disk import db_facts
facts["db_after_failure"] = db_facts()
# Free space (grow the filesystem), then start the same download again.
subprocess.run(["mount", "-o", "remount,size=400m", str(user_models_dir())], check=True)
model = download.download_model(sys.argv[1], sys.argv[2], backoff_base=0.01, stall_timeout=10.0)
facts["sha256"] = model.sha256
facts["pending_after"] = [p.bytes_done for p in pending_downloads()]
print(json.dumps(facts))
"""


def test_download_onto_a_full_filesystem_stops_and_resumes(fake_hub):
    """ENOSPC from a real 24 MB tmpfs over the models folder, in a private mount namespace."""
    namespace = ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c"]
    models = user_models_dir()
    probe = subprocess.run([*namespace, 'mount -t tmpfs -o size=1m tmpfs "$0"', str(models)],
                           capture_output=True) \
        if shutil.which("unshare") else None
    if probe is None or probe.returncode != 0:
        pytest.skip("no private mount namespace here for a small tmpfs")
    fill_history()
    before = db_facts()
    shell = 'mount -t tmpfs -o size=24m tmpfs "$0" && exec "$1" -c "$2" "$3" "$4"'
    result = subprocess.run([*namespace, shell, str(models), sys.executable, TMPFS_DOWNLOAD, REPO, NAME],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout)
    assert "disk filled up" in facts["first"] and "磁盘已满" in facts["first"]
    assert 0 < facts["kept"] <= 24 * 1024**2
    assert facts["pending"] == [facts["kept"]]  # resumable, and listed as a download, not as a model
    assert facts["listed"] == []
    assert facts["sha256"] == embedded.SHA256 and facts["pending_after"] == []
    after = facts["db_after_failure"]  # (the successful download then registers the model)
    assert after["digest"] == before["digest"] and after["counts"] == before["counts"]
    assert after["integrity"] == [["ok"]]


EXPORT = "import sys\nfrom desktop.cli import main\nmain()\n"


@pytest.mark.parametrize("fmt", ["csv", "md", "json"])
def test_history_export_past_the_file_size_limit_leaves_no_partial_file(tmp_path, fmt):
    fill_history(rows=300, text_size=400)  # about 400 KB in any format
    before = db_facts()
    folder = tmp_path / "exports"
    folder.mkdir()
    out = folder / f"history.{fmt}"
    result = subprocess.run([sys.executable, "-c", EXPORT, "history", "export", "--format", fmt,
                             "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True,
                            preexec_fn=limited(100_000), timeout=120,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 1, result.stderr  # a user error, not a crash
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "disk space" in lines[0] and "磁盘空间不足" in lines[0]
    assert list(folder.iterdir()) == []  # no partial export, no temporary file
    assert db_facts() == before

    # An earlier export at that path survives a failed one.
    out.write_text("earlier export", encoding="utf-8")
    again = subprocess.run([sys.executable, "-c", EXPORT, "history", "export", "--format", fmt,
                            "--out", str(out)],
                           cwd=ROOT, capture_output=True, text=True, preexec_fn=limited(100_000), timeout=120)
    assert again.returncode == 1
    assert out.read_text(encoding="utf-8") == "earlier export" and [p.name for p in folder.iterdir()] == [
        out.name
    ]

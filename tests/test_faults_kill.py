"""Killed at any moment: a process writing history rows, or downloading a model, is killed with SIGKILL
(no chance to clean up) at random moments, several times over. Afterwards SQLite's integrity check
passes, the full-text index agrees with the table, every row the writer saw committed is there and
whole, no row is half-written; no half-downloaded file is ever listed as a model, and the next
download resumes from the partial file (or finds it complete) and verifies.

The killed processes report where they are on stdout and the test kills them on reading it: no sleeps.
The batch job's SIGKILL test is the batch helper's (tests/test_jobs*.py).
"""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.core import embedded
from desktop.core.models.download import download_model
from desktop.core.models.download_state import part_path, pending_downloads, state_path
from desktop.core.models.registry import ModelRegistry
from desktop.core.paths import database_path, user_models_dir
from desktop.core.store import open_db
from desktop.core.store.history import get_generation, search
from tests.fakehub import FakeHub, FakeRepo

ROOT = Path(__file__).resolve().parents[1]
REPO = "acme/SmolLM2-135M-Instruct-GGUF"
NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"

# Row n of the writer, known to both sides: a half-written row cannot pass for a whole one. Every
# fifth row is about 900 KB, so it spans hundreds of pages and a kill often lands inside its transaction.
ROW = '''
def expected(n):
    text = f"row{n:06d} 第{n}条文案 保温杯" + "暖" * (n % 50) + ("大" * 300_000 if n % 5 == 0 else "")
    edited = f"edit{n:06d} 改写的文案" if n % 7 == 3 else None
    inputs = {"product_name": f"item{n:06d} 保温杯", "n": n, "notes": "长效保温 " * (n % 13)}
    return text, edited, inputs
'''
WRITER = (
    ROW
    + """
import sys
from desktop.core.store import open_db
from desktop.core.store.history import delete_generations, save_generation, set_edited_text
db = open_db()
n = int(sys.argv[1])
while True:
    text, edited, inputs = expected(n)
    gid = save_generation(db, {"group_id": f"g{n}", "content_type": "product-description",
                               "platform": "taobao", "lang": "zh", "inputs": inputs, "text": text,
                               "stats": {"n": n}})
    if edited:
        set_edited_text(db, gid, edited)  # the FTS update trigger
    if n % 11 == 6:  # the FTS delete trigger: write a throwaway row and delete it
        spare = save_generation(db, {"content_type": "ad-copy", "text": f"spare{n:06d}",
                                     "inputs": {"spare_of": n}})
        delete_generations(db, [spare])
    print(n, gid, flush=True)  # committed: the test may kill us from here on
    n += 1
"""
)
namespace: dict = {}
exec(ROW, namespace)
expected = namespace["expected"]


def json_n(item: dict) -> int:
    return item["inputs"]["spare_of"]


def test_history_writes_survive_sigkill_at_random_moments():
    rng = random.Random()
    seed = rng.randrange(10**6)
    rng.seed(seed)
    confirmed: dict[int, int] = {}  # n -> id, for every row the writer reported committed
    next_n = 0
    for _round in range(6):
        child = subprocess.Popen([sys.executable, "-c", WRITER, str(next_n)], cwd=ROOT,
                                 stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        for _ in range(rng.randint(1, 12)):
            line = child.stdout.readline()
            assert line, child.stderr.read()
            n, gid = map(int, line.split())
            confirmed[n] = gid
        child.send_signal(signal.SIGKILL)  # somewhere inside the next rows' transactions
        child.wait()
        child.stdout.close()
        child.stderr.close()
        assert child.returncode == -signal.SIGKILL
        conn = sqlite3.connect(database_path())
        last = conn.execute("SELECT max(json_extract(inputs, '$.n')) FROM generations").fetchone()[0]
        conn.close()
        next_n = max(last if last is not None else -1, max(confirmed)) + 1

    conn = sqlite3.connect(database_path())
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], seed
        # FTS5's own check that the index holds exactly what the external-content table holds.
        conn.execute("INSERT INTO generations_fts(generations_fts) VALUES ('integrity-check')")
    finally:
        conn.close()

    db = open_db()
    try:
        rows = db.execute("SELECT id, json_extract(inputs, '$.n') FROM generations "
                          "WHERE json_extract(inputs, '$.n') IS NOT NULL ORDER BY id").fetchall()
        ns = [n for _id, n in rows]
        assert len(ns) == len(set(ns)), f"a row was written twice (seed {seed})"
        # A throwaway row may only survive when the kill fell between its insert and its delete.
        spares = [r[0] for r in db.execute("SELECT json_extract(inputs, '$.spare_of') FROM generations "
                                           "WHERE json_extract(inputs, '$.spare_of') IS NOT NULL")]
        assert not set(spares) & set(confirmed), f"a deleted row came back (seed {seed})"
        for n, gid in confirmed.items():
            assert (gid, n) in rows, f"row {n} was reported committed but is gone (seed {seed})"
        for gid, n in rows:
            item = get_generation(db, gid)
            text, edited, inputs = expected(n)
            assert (item["text"], item["inputs"], item["stats"]) == (text, inputs, {"n": n}), (n, seed)
            if n in confirmed:
                assert item["edited_text"] == edited
            else:  # the last row of a killed round: its edit may not have happened yet
                assert item["edited_text"] in (None, edited)
            # search finds every row, by its text, its inputs and its edit
            assert [r["id"] for r in search(db, f"row{n:06d}")] == [gid], (n, seed)
            assert [r["id"] for r in search(db, f"item{n:06d}")] == [gid], (n, seed)
            if item["edited_text"]:
                assert [r["id"] for r in search(db, f"edit{n:06d}")] == [gid], (n, seed)
        assert sorted(json_n(r) for r in search(db, "spare")) == sorted(spares)
        assert len(confirmed) >= 6  # the test did write, in every round
    finally:
        db.close()


# ----- downloads ----------------------------------------------------------------------------------

@pytest.fixture
def fake_hub(monkeypatch, model_path):
    server = FakeHub()
    server.add(FakeRepo(REPO, {NAME: model_path}))._sha[NAME] = embedded.SHA256
    server.start()
    monkeypatch.setenv("HF_ENDPOINT", server.url)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    yield server
    server.stop()


# The child says where it is and waits for a line on stdin; the test kills it there, or just after
# letting it go on (then the kill lands somewhere in the next chunks).
DOWNLOADER = '''
import sys
from desktop.core.models import download
from desktop.core.models.download_state import part_path
from desktop.core.stop import Stop

repo, name, where, threshold = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
part = part_path(repo, name)


def stop_here(what):
    print(what, part.stat().st_size if part.exists() else 0, flush=True)
    sys.stdin.readline()


class KillPoint(Stop):
    said = False

    @property
    def requested(self):  # asked before every chunk is written
        if where == "bytes" and not self.said and part.exists() and part.stat().st_size >= threshold:
            self.said = True
            stop_here("at")
        return None


if where == "verifying":
    original = download.files.sha256_file

    def hashing(path, *args, **kwargs):
        stop_here("verifying")
        return original(path, *args, **kwargs)

    download.files.sha256_file = hashing
model = download.download_model(repo, name, stop=KillPoint(), chunk_size=1 << 16, backoff_base=0.01,
                                stall_timeout=30.0)
print("finished", model.sha256, flush=True)
'''


def _kill_download_at(where: str, threshold: int, let_go: bool) -> int:
    child = subprocess.Popen([sys.executable, "-c", DOWNLOADER, REPO, NAME, where, str(threshold)], cwd=ROOT,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = child.stdout.readline()
    assert line.startswith(("at ", "verifying ")), child.stderr.read()
    if let_go:
        child.stdin.write("go\n")
        child.stdin.flush()
    child.send_signal(signal.SIGKILL)
    child.wait()
    for stream in (child.stdin, child.stdout, child.stderr):
        stream.close()
    assert child.returncode == -signal.SIGKILL
    return int(line.split()[1])


def _assert_nothing_half_is_a_model(total: int) -> int:
    assert [m.id for m in ModelRegistry().list_models()] == [embedded.MODEL_ID]
    assert sorted(p.name for p in user_models_dir().glob("*.gguf")) == []
    part = part_path(REPO, NAME)
    kept = part.stat().st_size
    assert 0 < kept <= total
    [pending] = pending_downloads()  # what the Models page offers to resume after a restart
    assert (pending.repo_id, pending.filename, pending.bytes_done, pending.total_bytes) == (
        REPO,
        NAME,
        kept,
        total,
    )
    return kept


def test_a_download_killed_mid_transfer_and_mid_verification_resumes_and_verifies(fake_hub, model_path):
    rng = random.Random()
    seed = rng.randrange(10**6)
    rng.seed(seed)
    total = model_path.stat().st_size
    # Killed twice mid-transfer at random byte counts, each time resuming from the partial file.
    first = _kill_download_at("bytes", rng.randrange(total // 10, total // 3), let_go=rng.random() < 0.5)
    kept = _assert_nothing_half_is_a_model(total)
    assert kept >= first
    second = _kill_download_at("bytes", rng.randrange(total // 2, total * 9 // 10), let_go=rng.random() < 0.5)
    resumed_from = [h["Range"] for h in fake_hub.gets("/resolve/")][-1]
    assert resumed_from == f"bytes={kept}-", seed  # the second process continued the first one's bytes
    kept = _assert_nothing_half_is_a_model(total)
    assert kept >= second

    # Killed while checking the sha256 of the complete file: still a partial, never a model.
    _kill_download_at("verifying", 0, let_go=False)
    assert _assert_nothing_half_is_a_model(total) == total
    gets = len(fake_hub.gets("/resolve/"))

    # The next download finds every byte there, fetches nothing more, verifies, and only then lists it.
    model = download_model(REPO, NAME, backoff_base=0.01, stall_timeout=30.0)
    assert model.sha256 == embedded.SHA256, seed
    assert len(fake_hub.gets("/resolve/")) == gets
    assert model.id in {m.id for m in ModelRegistry().list_models()}
    assert pending_downloads() == [] and not state_path(part_path(REPO, NAME)).exists()


def test_a_damaged_partial_is_caught_by_the_checksum_and_restarted(fake_hub, model_path):
    """A kill cannot corrupt bytes already written, but a disk can: then the sha256 check refuses the
    file, deletes it, and the next attempt downloads from zero and verifies."""
    _kill_download_at("bytes", model_path.stat().st_size // 4, let_go=False)
    part = part_path(REPO, NAME)
    with open(part, "r+b") as handle:
        handle.seek(1000)
        handle.write(b"\xff" * 64)
    from desktop.core.models.errors import ChecksumMismatchError

    with pytest.raises(ChecksumMismatchError):
        download_model(REPO, NAME, backoff_base=0.01, stall_timeout=30.0)
    assert not part.exists() and pending_downloads() == []
    assert [m.id for m in ModelRegistry().list_models()] == [embedded.MODEL_ID]
    model = download_model(REPO, NAME, backoff_base=0.01, stall_timeout=30.0)
    assert model.sha256 == embedded.SHA256
    assert fake_hub.gets("/resolve/")[-1]["Range"] == "bytes=0-"
    assert json.loads(json.dumps(model.origin))["sha256"] == embedded.SHA256

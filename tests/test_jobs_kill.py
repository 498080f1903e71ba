"""A batch killed at any moment loses nothing and repeats nothing: `shopscribe batch` runs in a
subprocess, is killed with SIGKILL (or interrupted with Ctrl-C) once items are written, and the job
is then resumed to the end with every item exactly once and the database intact."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from test_jobs import assert_every_item_exactly_once, products_csv

from desktop.core.jobs import get_job, list_items, run_job
from desktop.core.store import open_db

ROOT = Path(__file__).resolve().parents[1]
WATCHDOG_S = 600  # a hung child is killed, so the test fails instead of hanging

pytestmark = pytest.mark.model


def start_batch(home: Path, folder: Path, n: int, *extra: str) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "desktop", "batch", str(products_csv(folder, n)), "--type", "product-title",
           "--lang", "en", "--max-tokens", "12", "--retries", "0", "--group-size", "1",
           "--out", str(folder / "out.csv"), "--format", "csv", *extra]
    env = {**os.environ, "SHOPSCRIBE_HOME": str(home)}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watchdog = threading.Timer(WATCHDOG_S, proc.kill)
    watchdog.daemon = True
    watchdog.start()
    return proc


def wait_until_finished_items(proc: subprocess.Popen, n: int) -> int:
    """Read the child's progress lines (one per item written, after its commit) until `n` items are
    finished; returns the job id."""
    job_id = None
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if match := re.match(r"Job (\d+):", line):
            job_id = int(match.group(1))
        if (match := re.search(r"\] (\d+)/\d+ ", line)) and int(match.group(1)) >= n:
            assert job_id is not None
            return job_id
    raise AssertionError(f"the batch ended before {n} items (exit {proc.wait()}):\n{''.join(seen)}")


def finished_items(db, job_id: int) -> dict[int, int | None]:
    return {i["id"]: i["generation_id"] for i in list_items(db, job_id) if i["status"] in ("done", "failed")}


def test_sigkill_mid_batch_then_resume_finishes_every_item_exactly_once(shopscribe_home, tmp_path, engine):
    proc = start_batch(shopscribe_home, tmp_path, 5)
    job_id = wait_until_finished_items(proc, 2)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL

    db = open_db()
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        before = finished_items(db, job_id)
        assert len(before) >= 2
        assert get_job(db, job_id).status == "running"  # as the killed process left it
        generations_before = db.execute("SELECT count(*) FROM generations WHERE "
                                        "job_id = ?", [job_id]).fetchone()[0]
        assert generations_before == sum(1 for g in before.values() if g is not None)

        job = run_job(db, engine, job_id)
        assert job.status == "completed" and job.done + job.failed == 5
        assert_every_item_exactly_once(db, job_id)
        after = finished_items(db, job_id)
        assert {i: after[i] for i in before} == before  # written items were not generated again
    finally:
        db.close()


def test_ctrl_c_pauses_the_job_cleanly_and_it_resumes(shopscribe_home, tmp_path, engine):
    proc = start_batch(shopscribe_home, tmp_path, 3, "--json")
    job_id = wait_until_finished_items(proc, 1)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate()
    assert proc.returncode == 130, err
    assert f"jobs resume {job_id}" in err
    printed = json.loads(out)
    assert printed["job"]["id"] == job_id and printed["job"]["status"] == "paused"

    db = open_db()
    try:
        job = get_job(db, job_id)
        assert job.status == "paused" and job.done + job.failed >= 1
        assert "running" not in {i["status"] for i in list_items(db, job_id)}  # nothing left half-claimed
        assert run_job(db, engine, job_id).status == "completed"
        assert_every_item_exactly_once(db, job_id)
    finally:
        db.close()

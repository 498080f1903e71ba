"""A remote engine: any OpenAI-compatible server (llama.cpp's llama-server, vLLM, Ollama, LM Studio,
llama-cpp-python's server, another Shopscribe) behind the same engine interface as the local one.

What differs from the local engine, and how it is handled:
- Structured output. We ask for `response_format: json_schema` first; a server that refuses it gets
  `json_object` with the schema (llama-cpp-python and llama-server hold that to a grammar), and one that
  refuses that too gets plain text: the caller's validation and bounded retries then apply (they do for
  every answer anyway). What a server refused is remembered for the engine's life.
- Tokens. Counting uses the server's tokenizer where it exposes one (llama-server's /tokenize,
  llama-cpp-python's /extras/tokenize), else a generous estimate; a prompt the server finds too long
  is a PromptTooLongError like the local one.
- Failures. A refused connection, a timeout, 401/403, 429 and 5xx each give their own bilingual message.
  Requests that can be repeated (nothing streamed yet) are retried a bounded number of times with
  backoff (Retry-After is honoured, capped).
- Concurrency. Any number of threads may stream at once (one HTTP connection each, pooled);
  `generate_batch` keeps up to `max_in_flight` requests in flight so the server's own continuous
  batching does the work. `cancel()` closes every open response.
- Privacy. No proxy from the environment is ever used (trust_env off): requests go straight to the
  address the user gave. Nothing is logged of the text unless logging is verbose.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx2 as httpx

from desktop.core.engine.interface import (
    EventCallback,
    Finished,
    GenerationRequest,
    TextDelta,
    check_fits,
    dry_settings,
)
from desktop.core.engine.remote_errors import (  # RemoteEngineError: also what callers catch
    RemoteEngineError,
    after_retries,
    network_error,
    retryable,
    status_error,
)
from desktop.core.errors import EngineError

log = logging.getLogger(__name__)

DEFAULT_IN_FLIGHT = 8
DEFAULT_ATTEMPTS = 3
CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 120.0  # a slow server may think long about a big prompt before its first token
RETRY_AFTER_CAP_S = 10.0
DEFAULT_N_CTX = 4096


def api_base(url: str) -> str:
    """The server's OpenAI API root, ending in /v1: 'host:8080', 'http://host:8080' and
    'http://host:8080/v1/' all give 'http://host:8080/v1'."""
    url = url.strip()
    if "://" not in url:
        url = "http://" + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EngineError(f"{url!r} is not an engine address: use http://HOST:PORT.",
                          f"{url!r} 不是有效的引擎地址：请使用 http://主机:端口 的形式。")
    path = parts.path.rstrip("/")
    if not path.endswith("/v1"):
        path += "/v1"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def estimate_tokens(text: str) -> int:
    """A generous token count for servers that do not tokenize for us: a UTF-8 byte in two (Chinese
    characters are 3 bytes and often 1-2 tokens; English runs near 4 bytes a token)."""
    return len(text.encode("utf-8")) // 2 + 1


class RemoteEngine:
    """The engine interface over one OpenAI-compatible server. Thread-safe."""

    n_seq_max = 1  # the job runner's group path is not used: see max_in_flight
    model_sha256 = ""  # a remote model's file is not ours to hash

    def __init__(self, url: str, api_key: str | None = None, model: str | None = None, *,
                 name: str | None = None, max_in_flight: int = DEFAULT_IN_FLIGHT,
                 attempts: int = DEFAULT_ATTEMPTS, read_timeout: float = READ_TIMEOUT_S,
                 connect_timeout: float = CONNECT_TIMEOUT_S, backoff_s: float = 0.5) -> None:
        self.base = api_base(url)
        self.root = self.base[: -len("/v1")]
        self.name = name or urlsplit(self.base).netloc
        self.api_key = api_key or None
        self.requested_model = model or None
        self.model_id = model or ""
        self.max_in_flight = max(1, int(max_in_flight))
        self.attempts = max(1, int(attempts))
        self.backoff_s = backoff_s
        self.n_ctx = DEFAULT_N_CTX
        self.n_threads = None
        self.load_seconds: float | None = None
        self.notice: str | None = None
        self.models: list[str] = []
        self._timeout = httpx.Timeout(read_timeout, connect=connect_timeout)
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()
        self._open: set = set()  # responses being read, closed by cancel()
        self._running: set[threading.Event] = set()  # one per stream or batch in progress, set by cancel()
        self._formats = ["json_schema", "json_object", "none"]  # structured output, best first
        self._tokenizer: str | None = None  # "llama-server", "llama-cpp-python" or "estimate"
        self._extras = True  # top_k, min_p, repeat_penalty (llama.cpp names) until a server refuses them

    # ----- identity -----------------------------------------------------------------------------------------
    @property
    def engine(self) -> str:
        """Which engine wrote a result (the history's `engine` column)."""
        return self.base

    @property
    def model_path(self) -> PurePosixPath:
        return PurePosixPath(self.model_id or "remote")

    @property
    def loaded(self) -> bool:
        return self._client is not None and bool(self.model_id)

    def info(self) -> dict[str, Any]:
        return {"model_id": self.model_id, "engine": self.base, "name": self.name, "remote": True,
                "models": list(self.models), "n_ctx": self.n_ctx, "seconds": self.load_seconds or 0.0,
                "max_in_flight": self.max_in_flight, "structured_output": self._formats[0],
                "tokenizer": self._tokenizer, "notice": self.notice}

    # ----- lifecycle ----------------------------------------------------------------------------------------
    def _http(self) -> httpx.Client:
        with self._lock:
            if self._client is None:
                headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
                self._client = httpx.Client(
                    timeout=self._timeout, headers=headers, trust_env=False,
                    limits=httpx.Limits(max_connections=self.max_in_flight + 4,
                                        max_keepalive_connections=self.max_in_flight + 4))
            return self._client

    def load(self) -> float:
        """Reach the server and choose the model (the one asked for, else the server's first)."""
        start = time.perf_counter()
        data = self._request("GET", "/models").json()
        entries = data.get("data") if isinstance(data, dict) else None
        self.models = [str(m.get("id")) for m in entries or [] if isinstance(m, dict) and m.get("id")]
        if self.requested_model:
            if self.models and self.requested_model not in self.models:
                raise RemoteEngineError(
                    f"The engine at {self.base} has no model {self.requested_model!r}. It serves: "
                    f"{', '.join(self.models)}.",
                    f"{self.base} 上的生成引擎没有模型 {self.requested_model!r}。它提"
                    f"供：{', '.join(self.models)}。",
                    kind="not_found")
            self.model_id = self.requested_model
        elif self.models:
            self.model_id = self.models[0]
        else:
            raise RemoteEngineError(f"The engine at {self.base} lists no model.",
                                    f"{self.base} 上的生成引擎没有列出任何模型。", kind="not_found")
        entry = next((m for m in entries or [] if isinstance(m, dict) and m.get("id") == self.model_id), {})
        meta = entry.get("meta") if isinstance(entry.get("meta"), dict) else {}
        n_ctx = entry.get("max_model_len") or meta.get("n_ctx") or meta.get("n_ctx_train")
        if isinstance(n_ctx, int) and n_ctx > 0:
            self.n_ctx = n_ctx
        self.load_seconds = time.perf_counter() - start
        return self.load_seconds

    def close(self) -> None:
        self.cancel()
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            client.close()

    def __enter__(self) -> RemoteEngine:
        self.load()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def cancel(self) -> None:
        """Stop every request in flight (their streams end as cancelled). Safe from any thread."""
        with self._lock:
            for stop in self._running:
                stop.set()
            responses = list(self._open)
        for response in responses:
            try:
                response.close()
            except Exception:  # noqa: BLE001 - closing from another thread may race the reader
                pass

    # ----- HTTP with bounded retries ------------------------------------------------------------------------
    def _request(self, method: str, path: str, body: dict | None = None, *, root: bool = False,
                 attempts: int | None = None) -> httpx.Response:
        """One whole request (not streamed), retried while retrying can help."""
        url = (self.root if root else self.base) + path
        last: RemoteEngineError | None = None
        for attempt in range(attempts or self.attempts):
            if attempt:
                self._pause(attempt, last, threading.Event())
            try:
                response = self._http().request(method, url, json=body)
            except httpx.HTTPError as exc:
                last = network_error(self.base, exc)
                if not retryable(last):
                    raise last from exc
                continue
            if response.status_code < 400:
                return response
            last = status_error(self.base, response.status_code, response.text, response.headers)
            if not retryable(last):
                raise last
        assert last is not None
        raise after_retries(last, attempts or self.attempts)

    def _pause(self, attempt: int, last: RemoteEngineError | None, stop: threading.Event) -> None:
        wait = self.backoff_s * 2 ** (attempt - 1)
        retry_after = getattr(last, "retry_after", None)
        if retry_after is not None:
            wait = max(wait, min(retry_after, RETRY_AFTER_CAP_S))
        if stop.wait(wait):
            raise _Cancelled()

    # ----- text <-> tokens ----------------------------------------------------------------------------------
    def count_tokens(self, text: str) -> int:
        if self._tokenizer is None:
            self._tokenizer = self._find_tokenizer()
        if self._tokenizer == "llama-server":
            return len(self._request("POST", "/tokenize", {"content": text}, root=True).json()["tokens"])
        if self._tokenizer == "llama-cpp-python":
            return len(self._request("POST", "/extras/tokenize", {"input": text}, root=True).json()["tokens"])
        return estimate_tokens(text)

    def _find_tokenizer(self) -> str:
        for name, path, body in (("llama-server", "/tokenize", {"content": "a"}),
                                 ("llama-cpp-python", "/extras/tokenize", {"input": "a"})):
            try:
                response = self._http().post(self.root + path, json=body, timeout=CONNECT_TIMEOUT_S)
                if response.status_code == 200 and isinstance(response.json().get("tokens"), list):
                    return name
            except (httpx.HTTPError, ValueError, AttributeError):
                continue
        return "estimate"

    def count_prompt_tokens(self, request: GenerationRequest) -> int:
        if request.prompt is not None:
            return self.count_tokens(request.prompt)
        messages = request.messages or []
        # The chat template adds a few tokens around each message.
        return (
            self.count_tokens("\n".join(str(m.get("content", "")) for m in messages)) + 6 * len(messages) + 2
        )

    def check_fits(self, n_prompt: int) -> None:
        check_fits(n_prompt, self.n_ctx)

    # ----- generation ---------------------------------------------------------------------------------------
    def _body(self, request: GenerationRequest, fmt: str) -> tuple[str, dict]:
        if not self.model_id:
            self.load()
        body: dict[str, Any] = {"model": self.model_id, "max_tokens": request.max_tokens,
                                "temperature": request.temperature, "top_p": request.top_p, "stream": True,
                                "stream_options": {"include_usage": True}}
        if request.seed is not None:
            body["seed"] = int(request.seed)
        if request.stop:
            body["stop"] = list(request.stop)[:4]  # the OpenAI API takes at most four
        if self._extras:
            body.update(top_k=request.top_k, min_p=request.min_p, repeat_penalty=request.repeat_penalty,
                        **dry_settings(request))  # llama-server's names for its DRY sampler
        if request.ignore_eos:
            body["ignore_eos"] = True  # llama.cpp servers: fixed-length answers (the benchmark)
        if request.grammar:
            body["grammar"] = request.grammar  # llama.cpp servers only; others ignore it
        elif request.json_schema:
            if fmt == "json_schema":
                body["response_format"] = {"type": "json_schema", "json_schema": {
                    "name": "output", "schema": request.json_schema, "strict": True}}
            elif fmt == "json_object":
                body["response_format"] = {"type": "json_object", "schema": request.json_schema}
        if request.prompt is not None:
            body["prompt"] = request.prompt
            return "/completions", body
        body["messages"] = request.messages or []
        return "/chat/completions", body

    def stream(self, request: GenerationRequest) -> Iterator[TextDelta | Finished]:
        """Deltas as the server sends them, then one Finished. Retries (bounded, with backoff) happen only
        before any text arrived."""
        stop = threading.Event()
        with self._lock:
            self._running.add(stop)
        try:
            yield from self._stream(request, stop)
        finally:
            with self._lock:
                self._running.discard(stop)

    def _stream(self, request: GenerationRequest, stop: threading.Event) -> Iterator[TextDelta | Finished]:
        t_start = time.perf_counter()
        last: RemoteEngineError | None = None
        attempt = 0
        while attempt < self.attempts and not stop.is_set():
            if attempt:
                try:
                    self._pause(attempt, last, stop)
                except _Cancelled:
                    break
            fmt = self._formats[0] if request.json_schema and not request.grammar else "none"
            path, body = self._body(request, fmt)
            try:
                yield from self._stream_once(path, body, stop, t_start)
                return
            except _Refused as refused:
                # The server refused a feature we asked for: drop it and ask again (not an attempt).
                if refused.what == "format" and len(self._formats) > 1:
                    log.info("engine %s refused response_format %s; trying %s", self.base, fmt,
                             self._formats[1])
                    self._formats.pop(0)
                elif refused.what == "extras" and self._extras:
                    self._extras = False
                else:
                    raise refused.error from None
                continue
            except _Cancelled:
                break
            except RemoteEngineError as error:
                if not retryable(error) or getattr(error, "streamed", False):
                    raise
                last = error
                attempt += 1
        if last is not None and not stop.is_set():
            raise after_retries(last, self.attempts)
        yield Finished("", 0, 0, 0.0, 0.0, "cancelled", time.perf_counter() - t_start)

    def _stream_once(self, path: str, body: dict, stop: threading.Event,
                     t_start: float) -> Iterator[TextDelta | Finished]:
        client = self._http()
        try:
            response = client.send(client.build_request("POST", self.base + path, json=body), stream=True)
        except httpx.HTTPError as exc:
            if stop.is_set():
                raise _Cancelled() from exc
            raise network_error(self.base, exc) from exc
        with self._lock:
            self._open.add(response)
            if stop.is_set():  # cancelled while connecting
                response.close()
        parts: list[str] = []
        usage: dict = {}
        finish_reason = None
        t_first = None
        chunks = 0
        try:
            if response.status_code >= 400:
                text = response.read().decode("utf-8", "replace")
                error = status_error(self.base, response.status_code, text, response.headers)
                if response.status_code in (400, 422, 500) and _mentions(text, "response_format",
                                                                         "json_schema",
                                                                     "json_object"):
                    raise _Refused("format", error)
                extras = ("top_k", "min_p", "repeat_penalty", "dry_")
                if response.status_code in (400, 422, 500) and _mentions(text, *extras):
                    raise _Refused("extras", error)
                raise error
            for data in _sse_data(response.iter_lines()):
                if data == "[DONE]":
                    break
                try:
                    event = json.loads(data)
                except ValueError:
                    continue
                if isinstance(event.get("error"), dict | str):
                    raise status_error(self.base, 500, json.dumps(event), {})
                if event.get("usage"):
                    usage = event["usage"]
                for choice in event.get("choices") or []:
                    delta = choice.get("delta") or {}
                    text = delta.get("content") if "delta" in choice else choice.get("text")
                    if text:
                        text = text.replace("\ufffd", "")  # never a broken character in a result
                    if text:
                        if t_first is None:
                            t_first = time.perf_counter()
                        chunks += 1
                        parts.append(text)
                        yield TextDelta(text)
                    if choice.get("finish_reason"):
                        finish_reason = choice["finish_reason"]
        except (httpx.HTTPError, httpx.StreamClosed) as exc:
            if stop.is_set():
                return (yield from _cancelled_result(parts, t_start, t_first))
            error = network_error(self.base, exc)
            error.streamed = bool(parts)
            if parts:  # text already reached the caller: the request cannot be repeated unseen
                raise error from exc
            raise error from exc
        finally:
            with self._lock:
                self._open.discard(response)
            response.close()
        if stop.is_set() and finish_reason is None:
            reason = "cancelled"
        else:
            reason = {"length": "length", "stop": "end", "eos": "end"}.get(finish_reason or "", "end")
        t_end = time.perf_counter()
        n_gen = int(usage.get("completion_tokens") or chunks)
        n_prompt = int(usage.get("prompt_tokens") or 0)
        first = t_first or t_end
        gen_time = t_end - first
        yield Finished(
            text="".join(parts), prompt_tokens=n_prompt, completion_tokens=n_gen, ttft_s=first - t_start,
            tokens_per_s=(n_gen - 1) / gen_time if gen_time > 0 and n_gen > 1 else 0.0, stop_reason=reason,
            total_s=t_end - t_start,
            cached_tokens=int((usage.get("prompt_tokens_details") or {}).get("cached_tokens")
                                                      or 0),
            extra={"engine": self.base, "model": self.model_id})

    def generate(self, request: GenerationRequest) -> Finished:
        final = None
        for event in self.stream(request):
            if isinstance(event, Finished):
                final = event
        assert final is not None
        return final

    def generate_batch(self, requests: list[GenerationRequest],
                       on_event: EventCallback | None = None) -> list[Finished]:
        """Up to `max_in_flight` requests at once. A request that fails ends as a Finished with
        stop_reason "error" and the error in extra["error"]; the others go on."""
        if not requests:
            return []
        emit_lock = threading.Lock()
        batch_stop = threading.Event()
        with self._lock:
            self._running.add(batch_stop)

        def run(seq: int, request: GenerationRequest) -> Finished:
            if batch_stop.is_set():  # cancelled before this one started
                return Finished("", 0, 0, 0.0, 0.0, "cancelled", seq=seq)
            try:
                for event in self.stream(request):
                    event.seq = seq
                    if on_event is not None:
                        with emit_lock:
                            on_event(event)
                    if isinstance(event, Finished):
                        return event
            except EngineError as error:
                failed = failed_result(error, seq)
                if on_event is not None:
                    with emit_lock:
                        on_event(failed)
                return failed
            raise AssertionError("stream() ended without a Finished event")

        try:
            with ThreadPoolExecutor(min(self.max_in_flight, len(requests)),
                                    thread_name_prefix="remote") as pool:
                return list(pool.map(run, range(len(requests)), requests))
        finally:
            with self._lock:
                self._running.discard(batch_stop)


def failed_result(error: Exception, seq: int = 0) -> Finished:
    """A request that failed, as a result: stop_reason "error", the error in extra["error"]."""
    return Finished("", 0, 0, 0.0, 0.0, "error", seq=seq, extra={"error": error})


class _Cancelled(Exception):
    pass


def _cancelled_result(parts: list[str], t_start: float, t_first: float | None):
    t_end = time.perf_counter()
    yield Finished("".join(parts), 0, len(parts), (t_first or t_end) - t_start, 0.0, "cancelled",
                   t_end - t_start)


class _Refused(Exception):
    def __init__(self, what: str, error: RemoteEngineError) -> None:
        super().__init__(what)
        self.what, self.error = what, error


def _sse_data(lines: Iterator[str]) -> Iterator[str]:
    """The data of each server-sent event (multi-line data joined)."""
    buffer: list[str] = []
    for line in lines:
        if not line:
            if buffer:
                yield "\n".join(buffer)
                buffer = []
            continue
        if line.startswith("data:"):
            buffer.append(line[5:].lstrip(" "))
        elif line.startswith("error:"):
            buffer.append(json.dumps({"error": line[6:].strip()}))
    if buffer:
        yield "\n".join(buffer)


def _mentions(text: str, *words: str) -> bool:
    return any(w in text for w in words)

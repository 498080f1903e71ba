"""The ASGI application of `shopscribe serve` (Starlette; uvicorn serves it).

Routes:
    GET  /v1/models                    the loaded model
    POST /v1/chat/completions          OpenAI chat completions, streamed (server-sent events) or not
    POST /v1/shopscribe/generate       a Shopscribe template by id with fields: text, fields and findings
    GET  /health                       200 when the engine is loaded (no key needed, says nothing else)

Safe by default: the CLI binds 127.0.0.1; with an API key every /v1 route needs `Authorization: Bearer
KEY` (401 otherwise); no CORS headers unless origins are given; a malformed body is a 400 and an
over-long one a 413, each as a JSON error, and the server goes on. The log holds no prompt or output
text unless verbose logging is on.

Each generation runs on a thread of its own that drives the engine (`engine.stream` blocks) and hands
its events to the event loop; concurrent requests reach the engine together, and the engine host
batches them (continuous batching). Requests served here are never stored in the history: they are
the calling tool's data.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import threading
import time
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from desktop.core.engine.interface import Finished, TextDelta
from desktop.core.errors import EngineCrashed, PromptTooLongError, ShopscribeError
from desktop.core.server import api

log = logging.getLogger("desktop.serve")

MAX_BODY_BYTES = 1_000_000  # a long product sheet is a few kB; a megabyte is surely a mistake
MAX_RUNNING = 32  # generations at once; more wait their turn
_DONE = object()


def create_app(engine, *, api_key: str | None = None, cors_origins: list[str] | None = None,
               max_body: int = MAX_BODY_BYTES, verbose: bool = False) -> Starlette:
    """The application over a loaded engine. The engine must take concurrent `stream()` calls from
    several threads (the engine host's client does)."""
    service = _Service(engine, max_body, verbose)
    app = Starlette(routes=[
        Route("/health", service.health, methods=["GET"]),
        Route("/v1/models", service.models, methods=["GET"]),
        Route("/v1/chat/completions", service.chat, methods=["POST"]),
        Route("/v1/shopscribe/generate", service.shopscribe_generate, methods=["POST"]),
    ], exception_handlers={404: _not_found, 405: _not_allowed})
    if cors_origins:
        from starlette.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"])
    if api_key:
        app.add_middleware(_BearerKey, key=api_key)  # outermost: nothing runs for a request without the key
    app.state.service = service
    return app


async def _not_found(request: Request, exc) -> JSONResponse:
    return JSONResponse(api.error_body(f"No route {request.url.path}.", code="not_found"), 404)


async def _not_allowed(request: Request, exc) -> JSONResponse:
    return JSONResponse(api.error_body(f"{request.method} is not allowed on {request.url.path}."), 405)


class _BearerKey:
    """Every /v1 request needs `Authorization: Bearer KEY` (compared in constant time)."""

    def __init__(self, app, key: str) -> None:
        self.app = app
        self.key = key.encode("utf-8")

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/v1") and scope["method"] != "OPTIONS":
            header = dict(scope["headers"]).get(b"authorization", b"")
            scheme, _, token = header.partition(b" ")
            if scheme.lower() != b"bearer" or not hmac.compare_digest(token.strip(), self.key):
                response = JSONResponse(api.error_body("Missing or wrong API key: send "
                                                       "'Authorization: Bearer KEY'.",
                                                       "invalid_request_error", code="invalid_api_key"),
                                        401, headers={"WWW-Authenticate": "Bearer"})
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class _Service:
    def __init__(self, engine, max_body: int, verbose: bool) -> None:
        self.engine = engine
        self.max_body = max_body
        self.verbose = verbose
        self.created = int(time.time())
        self._running: asyncio.Semaphore | None = None

    @property
    def running(self) -> asyncio.Semaphore:
        if self._running is None:  # made inside the server's event loop
            self._running = asyncio.Semaphore(MAX_RUNNING)
        return self._running

    # ----- routes -----------------------------------------------------------------------------------------
    async def health(self, request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def models(self, request: Request) -> Response:
        return JSONResponse(api.models_body(self.engine.model_id, self.created))

    async def chat(self, request: Request) -> Response:
        started = time.perf_counter()
        try:
            body = await self._json(request)
            call = api.read_chat(body, int(self.engine.n_ctx))
        except api.BadRequest as exc:
            return JSONResponse(api.error_body(exc.message, param=exc.param), exc.status)
        if self.verbose:
            log.debug("chat request: %s", json.dumps(body, ensure_ascii=False)[:4000])
        if call.stream:
            return StreamingResponse(self._stream_chat(call, started), media_type="text/event-stream",
                                     headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
        try:
            results = await self._generate_all(call)
        except ShopscribeError as exc:
            return _engine_error(exc)
        self._log("chat", call, results, started)
        return JSONResponse(api.completion_body(call, self.engine.model_id, results))

    async def shopscribe_generate(self, request: Request) -> Response:
        """{"template": id, "fields": {...}, "lang", "platform", "tone", "audience", "length", "seed",
        "max_tokens", "temperature", "variants"} -> {"template_id", "model", "results": [{"text",
        "fields", "findings", "warnings", "usage"}]}. Nothing is stored in the history."""
        try:
            body = await self._json(request)
            compose_request = _compose_request(body)
        except api.BadRequest as exc:
            return JSONResponse(api.error_body(exc.message, param=exc.param), exc.status)
        async with self.running:
            try:
                result = await asyncio.to_thread(_compose_unsaved, compose_request, self.engine)
            except ShopscribeError as exc:
                return _engine_error(exc)
        log.info("shopscribe/generate template=%s variants=%d", result.template.id, len(result.results))
        return JSONResponse({
            "template_id": result.template.id, "model": result.model_id, "lang": result.rendered.lang,
            "platform": result.rendered.platform, "warnings": result.warnings,
            "results": [{"text": r.text, "fields": r.fields, "findings": r.findings, "warnings": r.warnings,
                         "seed": r.seed, "finish_reason": api.FINISH_REASONS.get(r.stop_reason, "stop"),
                         "usage": {"prompt_tokens": r.prompt_tokens,
                                   "completion_tokens": r.completion_tokens}}
                        for r in result.results],
        })

    # ----- bodies -------------------------------------------------------------------------------------------
    async def _json(self, request: Request) -> Any:
        declared = request.headers.get("content-length")
        if declared is not None:
            try:
                too_long = int(declared) > self.max_body
            except ValueError:
                raise api.BadRequest("The Content-Length header is not a number.") from None
            if too_long:
                raise api.BadRequest(f"The request body is over {self.max_body} bytes.", status=413)
        chunks, size = [], 0
        try:
            async for part in request.stream():
                size += len(part)
                if size > self.max_body:
                    raise api.BadRequest(f"The request body is over {self.max_body} bytes.", status=413)
                chunks.append(part)
        except ClientDisconnect:
            raise api.BadRequest("The client went away before sending the whole body.") from None
        try:
            return json.loads(b"".join(chunks))
        except (ValueError, UnicodeDecodeError) as exc:
            raise api.BadRequest(f"The request body is not valid JSON ({exc}).") from None

    # ----- generation ---------------------------------------------------------------------------------------
    def _start(self, call: api.ChatCall, queue: asyncio.Queue, abandoned: threading.Event) -> None:
        """One thread per choice drives the engine; its events go to `queue` as (index, event)."""
        loop = asyncio.get_running_loop()

        def pump(index: int, request) -> None:
            try:
                for event in self.engine.stream(request):
                    if abandoned.is_set():
                        break  # closing the stream cancels the request in the engine
                    loop.call_soon_threadsafe(queue.put_nowait, (index, event))
            except BaseException as exc:  # noqa: BLE001 - every failure reaches the client
                loop.call_soon_threadsafe(queue.put_nowait, (index, exc))
            finally:
                loop.call_soon_threadsafe(queue.put_nowait, (index, _DONE))

        for index, request in enumerate(call.requests):
            threading.Thread(target=pump, args=(index, request), name=f"serve-{call.id[-6:]}-{index}",
                             daemon=True).start()

    async def _generate_all(self, call: api.ChatCall) -> list[Finished]:
        queue: asyncio.Queue = asyncio.Queue()
        abandoned = threading.Event()
        results: list[Finished | None] = [None] * len(call.requests)
        error: BaseException | None = None
        async with self.running:
            self._start(call, queue, abandoned)
            left = len(call.requests)
            try:
                while left:
                    index, event = await queue.get()
                    if event is _DONE:
                        left -= 1
                    elif isinstance(event, Finished):
                        results[index] = event
                    elif isinstance(event, BaseException):
                        error = error or event
            finally:
                abandoned.set()  # the client went away: stop what still runs
        if error is not None:
            raise error
        return [r for r in results if r is not None]

    async def _stream_chat(self, call: api.ChatCall, started: float) -> AsyncIterator[str]:
        model = self.engine.model_id
        queue: asyncio.Queue = asyncio.Queue()
        abandoned = threading.Event()
        results: list[Finished | None] = [None] * len(call.requests)
        async with self.running:
            self._start(call, queue, abandoned)
            try:
                yield _sse(api.chunk(call, model, [{"index": i, "delta": {"role": "assistant", "content": ""},
                                                    "logprobs": None, "finish_reason": None}
                                                   for i in range(len(call.requests))]))
                left = len(call.requests)
                while left:
                    batch = [await queue.get()]
                    while not queue.empty():  # whatever else is ready goes out in the same write
                        batch.append(queue.get_nowait())
                    texts: dict[int, list[str]] = {}
                    out: list[str] = []
                    for index, event in batch:
                        if isinstance(event, TextDelta):
                            texts.setdefault(index, []).append(event.text)
                            continue
                        out.extend(_flush_texts(call, model, texts))
                        if event is _DONE:
                            left -= 1
                        elif isinstance(event, Finished):
                            results[index] = event
                            out.append(_sse(api.chunk(call, model, [{
                                "index": index, "delta": {}, "logprobs": None,
                                "finish_reason": api.FINISH_REASONS.get(event.stop_reason, "stop")}])))
                        elif isinstance(event, BaseException):
                            out.append(_sse(_error_payload(event)))
                    out.extend(_flush_texts(call, model, texts))
                    if out:
                        yield "".join(out)
                done = [r for r in results if r is not None]
                if call.include_usage:
                    yield _sse(api.chunk(call, model, [], api.usage(done)))
                yield "data: [DONE]\n\n"
                self._log("chat stream", call, done, started)
            finally:
                abandoned.set()

    def _log(self, what: str, call: api.ChatCall, results: list[Finished], started: float) -> None:
        used = api.usage(results)
        log.info("%s n=%d prompt=%d completion=%d %.2fs", what, len(call.requests), used["prompt_tokens"],
                 used["completion_tokens"], time.perf_counter() - started)
        if self.verbose:
            for i, result in enumerate(results):
                log.debug("chat output %d: %s", i, result.text)


def _flush_texts(call: api.ChatCall, model: str, texts: dict[int, list[str]]) -> list[str]:
    out = [_sse(api.chunk(call, model, [{"index": i, "delta": {"content": "".join(parts)}, "logprobs": None,
                                         "finish_reason": None}])) for i, parts in texts.items()]
    texts.clear()
    return out


def _sse(data: dict) -> str:
    return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"


def _error_payload(exc: BaseException) -> dict:
    message = exc.text("en") if isinstance(exc, ShopscribeError) else f"{type(exc).__name__}: {exc}"
    code = "context_length_exceeded" if isinstance(exc, PromptTooLongError) else "engine_error"
    return api.error_body(message,
                          "server_error" if code == "engine_error" else "invalid_request_error", code=code)


def _engine_error(exc: ShopscribeError) -> JSONResponse:
    if isinstance(exc, PromptTooLongError):
        return JSONResponse(_error_payload(exc), 400)
    status = 503 if isinstance(exc, EngineCrashed) else 500
    if not isinstance(exc, EngineCrashed) and type(exc).__name__ in ("TemplateError", "TemplateNotFound",
                                                                      "ShopscribeError"):
        status = 400
    return JSONResponse(_error_payload(exc), status)


def _compose_request(body: Any):
    from desktop.core.compose import ComposeRequest

    if not isinstance(body, dict):
        raise api.BadRequest("The request body must be a JSON object.")
    template = body.get("template") or body.get("template_id")
    if not isinstance(template, str) or not template:
        raise api.BadRequest(
            "'template' must name a template id (see `shopscribe templates list`).", "template"
        )
    fields = body.get("fields", {})
    if not isinstance(fields, dict) or not all(isinstance(k, str) for k in fields):
        raise api.BadRequest("'fields' must be an object of field names to values.", "fields")
    text_options = {}
    for name in ("lang", "platform", "tone", "audience", "length"):
        value = body.get(name)
        if value is not None and not isinstance(value, str):
            raise api.BadRequest(f"'{name}' must be a string.", name)
        text_options[name] = value
    return ComposeRequest(
        content_type="", template_id=template,
        fields={k: "" if v is None else str(v) for k, v in fields.items()},
        variants=api._number(body, "variants", 1, api.MAX_N, int) or 1,
        max_tokens=api._number(body, "max_tokens", 1, 32768, int),
        seed=api._number(body, "seed", 0, 2**31, int),
        temperature=api._number(body, "temperature", 0, 2), top_p=api._number(body, "top_p", 0, 1),
        **text_options)


def _compose_unsaved(request, engine):
    """compose() with the store for the user's templates and brands, saving nothing to the history."""
    from desktop.core.compose import compose
    from desktop.core.store.db import open_db

    db = open_db()
    try:
        return compose(request, engine, db, save=False)
    finally:
        db.close()

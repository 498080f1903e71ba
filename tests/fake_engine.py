"""A scripted engine for the window's tests, after simonw/llm's MockModel: each request takes the next
queued answer, so a test says exactly what the "model" writes and how it ends, and runs in
milliseconds on any machine.

    fake = FakeEngine()
    fake.enqueue(["标题：", "保温杯"])                    # the next request streams these pieces, then ends
    fake.enqueue(["Camp mug"], stop="cancelled")         # ... ends as if the merchant stopped it
    fake.enqueue(["Mug", " number"], hold=True)          # ... streams, then waits for cancel() or release()
    fake.enqueue_json({"title": "保温杯"})               # a structured answer, streamed in small pieces
    worker = EngineWorker(open_engine=fake.open)         # the window's engine thread drives the fake

It implements desktop/core/engine/interface.py's `Engine` (stream, generate, generate_batch, cancel,
count_tokens, count_prompt_tokens, check_fits, info, load, close, model_id, model_path, n_ctx,
n_seq_max, model_sha256) the way the real engines behave where the window can tell: a cancel is
cleared when a request starts and takes effect at the next piece; a batch's sequences carry `seq`; a
cancelled batch ends every sequence left as cancelled. Every request is kept in `requests`.

A request with nothing queued gets `default` when one is set, else it fails naming the request, so a
test never passes on words it did not choose.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.core.engine import Engine, EventCallback, Finished, GenerationRequest, TextDelta
from desktop.core.engine.interface import check_fits

HOLD_LIMIT_S = 60  # a held answer that nobody releases fails the test instead of hanging it


@dataclass
class Answer:
    pieces: list[str]
    stop: str = "end"  # "end", "length", "stop" or "cancelled"
    hold: bool = False


class FakeEngine:
    def __init__(self, *, model_id: str = "fake-writer", n_ctx: int = 4096, n_seq_max: int = 4,
                 default: list[str] | None = None) -> None:
        self.model_id = model_id
        self.model_path = Path(f"{model_id}.gguf")
        self.n_ctx = n_ctx
        self.n_seq_max = n_seq_max
        self.default = default
        self.requests: list[GenerationRequest] = []
        self.opened: list[tuple[str | Path | None, dict]] = []
        self.loaded = False
        self.loads = 0
        self.load_error: BaseException | None = None  # raised by the next open()
        self.holding = threading.Event()  # set while a held answer waits
        self._answers: deque[Answer] = deque()
        self._lock = threading.Lock()
        self._cancel = threading.Event()
        self._release = threading.Event()

    # ----- the script ---------------------------------------------------------------------------
    def enqueue(self, pieces: list[str] | str, *, stop: str = "end", hold: bool = False) -> None:
        with self._lock:
            self._answers.append(Answer([pieces] if isinstance(pieces, str) else list(pieces), stop, hold))

    def enqueue_json(self, fields: dict, *, piece: int = 6, stop: str = "end", hold: bool = False) -> None:
        """A structured answer (what the grammar makes the real model write), `piece` characters at a time."""
        text = json.dumps(fields, ensure_ascii=False)
        self.enqueue([text[i:i + piece] for i in range(0, len(text), piece)], stop=stop, hold=hold)

    def release(self) -> None:
        """Let a held answer finish as scripted."""
        self._release.set()

    @property
    def queued(self) -> int:
        return len(self._answers)

    def _next(self, request: GenerationRequest) -> Answer:
        with self._lock:
            self.requests.append(request)
            if self._answers:
                return self._answers.popleft()
        if self.default is not None:
            return Answer(list(self.default))
        raise AssertionError(f"FakeEngine: no answer queued for request {len(self.requests)}: "
                             f"{_prompt_text(request)[:120]!r}")

    # ----- loading -------------------------------------------------------------------------------
    def open(self, model: str | Path | None = None, overrides: dict | None = None) -> FakeEngine:
        """The EngineWorker's `open_engine`: this engine, loaded as `model` (a registry id or a path;
        None keeps the current one), or the scripted load error. Every call is kept in `opened`."""
        self.opened.append((model, dict(overrides or {})))
        if self.load_error is not None:
            error, self.load_error = self.load_error, None
            raise error
        if model is not None:
            self.model_id = Path(str(model)).stem if str(model).endswith(".gguf") else str(model)
            self.model_path = Path(str(model)) if str(model).endswith(".gguf") else Path(f"{model}.gguf")
        self.load()
        return self

    def load(self) -> float:
        if not self.loaded:
            self.loaded, self.loads = True, self.loads + 1
        return 0.0

    def close(self) -> None:
        self.loaded = False

    def info(self) -> dict[str, Any]:
        return {"model_id": self.model_id, "path": str(self.model_path), "seconds": 0.0, "n_ctx": self.n_ctx,
                "n_threads": 1, "n_gpu_layers": 0, "n_seq_max": self.n_seq_max, "flash_attn": False,
                "tuned": {"flash_attn": False, "n_threads": 1}, "notice": "", "host_pid": None}

    @property
    def model_sha256(self) -> str:
        return "f" * 64

    # ----- text <-> tokens -----------------------------------------------------------------------
    def count_tokens(self, text: str) -> int:
        return max(1, len(text) // 2)

    def count_prompt_tokens(self, request: GenerationRequest) -> int:
        return self.count_tokens(_prompt_text(request))

    def check_fits(self, n_prompt: int) -> None:
        check_fits(n_prompt, self.n_ctx)

    # ----- generation ------------------------------------------------------------------------------
    def cancel(self) -> None:
        self._cancel.set()

    def stream(self, request: GenerationRequest) -> Iterator[TextDelta | Finished]:
        self._cancel.clear()  # as the real engines do: a cancel from before the request is forgotten
        return self._answer(request, seq=0)

    def generate(self, request: GenerationRequest) -> Finished:
        *_, finished = self.stream(request)
        return finished

    def generate_batch(self, requests: list[GenerationRequest],
                       on_event: EventCallback | None = None) -> list[Finished]:
        self._cancel.clear()
        results = []
        for seq, request in enumerate(requests):
            if self._cancel.is_set():  # the batch was stopped: what did not run ends cancelled
                n_prompt = self.count_prompt_tokens(request)
                results.append(Finished("", n_prompt, 0, 0.0, 0.0, "cancelled", seq=seq))
                continue
            for event in self._answer(request, seq):
                if on_event is not None:
                    on_event(event)
                if isinstance(event, Finished):
                    results.append(event)
        return results

    def _answer(self, request: GenerationRequest, seq: int) -> Iterator[TextDelta | Finished]:
        answer = self._next(request)
        started, text, pieces, stop = time.perf_counter(), "", 0, answer.stop
        for piece in answer.pieces:
            if self._cancel.is_set():
                stop = "cancelled"
                break
            text, pieces = text + piece, pieces + 1
            yield TextDelta(piece, seq=seq)
        if answer.hold and stop != "cancelled":
            self.holding.set()
            deadline = time.monotonic() + HOLD_LIMIT_S
            while not (self._cancel.is_set() or self._release.is_set()):
                if time.monotonic() > deadline:
                    raise AssertionError("FakeEngine: a held answer was never cancelled or released")
                self._cancel.wait(0.005)
            self.holding.clear()
            self._release.clear()
            if self._cancel.is_set():
                stop = "cancelled"
        elapsed = time.perf_counter() - started
        rate = pieces / elapsed if elapsed else 0.0
        yield Finished(text, self.count_prompt_tokens(request), pieces, 0.001, rate, stop, total_s=elapsed,
                       seq=seq)


def _prompt_text(request: GenerationRequest) -> str:
    if request.prompt is not None:
        return request.prompt
    return "\n".join(str(m.get("content", "")) for m in request.messages or [])


assert isinstance(FakeEngine(), Engine)  # the interface, checked where the fake is defined

"""Several remote engines as one: a catalog batch fans out over every server the team runs.

Each request goes to the server with the most room (its own `max_in_flight` minus what it runs now).
A server that cannot be reached, or that dies mid-answer, is set aside for a while and the request is
asked again of another server from the start (the caller keeps only the final answer, so nothing is
written twice: the job store writes an item once). Only when no server is left does the request fail,
with the last server's reason.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

from desktop.core.engine.interface import EventCallback, Finished, GenerationRequest, TextDelta
from desktop.core.engine.remote import RemoteEngine, RemoteEngineError

SET_ASIDE_S = 30.0  # a dead server is tried again after this long (it may have been restarted)


class EnginePool:
    """The engine interface over several RemoteEngines. Thread-safe."""

    n_seq_max = 1
    model_sha256 = ""

    def __init__(self, engines: list[RemoteEngine]) -> None:
        if not engines:
            raise ValueError("a pool needs at least one engine")
        self.engines = list(engines)
        self._busy = {id(e): 0 for e in self.engines}
        self._down: dict[int, float] = {}
        self._lock = threading.Condition()
        self.notice: str | None = None

    # ----- identity: the first engine speaks for the pool; each result names its own server -----------------
    @property
    def engine(self) -> str:
        return " + ".join(e.base for e in self.engines)

    @property
    def model_id(self) -> str:
        return self.engines[0].model_id

    @property
    def model_path(self) -> PurePosixPath:
        return self.engines[0].model_path

    @property
    def n_ctx(self) -> int:
        return min(e.n_ctx for e in self.engines)

    @property
    def max_in_flight(self) -> int:
        return sum(e.max_in_flight for e in self.engines)

    @max_in_flight.setter
    def max_in_flight(self, value: int) -> None:
        for engine in self.engines:
            engine.max_in_flight = max(1, int(value))

    @property
    def loaded(self) -> bool:
        return any(e.loaded for e in self.engines)

    def info(self) -> dict[str, Any]:
        return {"model_id": self.model_id, "engine": self.engine, "remote": True, "n_ctx": self.n_ctx,
                "max_in_flight": self.max_in_flight, "servers": [e.info() for e in self.engines]}

    def load(self) -> float:
        """Load every server that answers; fails only when none does."""
        start, errors = time.perf_counter(), []
        for engine in self.engines:
            try:
                engine.load()
            except RemoteEngineError as error:
                errors.append(error)
                self._set_aside(engine)
        if len(errors) == len(self.engines):
            raise errors[-1]
        return time.perf_counter() - start

    def close(self) -> None:
        for engine in self.engines:
            engine.close()

    def cancel(self) -> None:
        for engine in self.engines:
            engine.cancel()

    # ----- choosing a server --------------------------------------------------------------------------------
    def _set_aside(self, engine: RemoteEngine) -> None:
        with self._lock:
            self._down[id(engine)] = time.monotonic()
            self._lock.notify_all()

    def _take(self, tried: set[int]) -> RemoteEngine | None:
        """The live server with the most room (waiting while all are full); None when none is left."""
        with self._lock:
            while True:
                now = time.monotonic()
                live = [e for e in self.engines if id(e) not in tried
                        and now - self._down.get(id(e), -SET_ASIDE_S) >= SET_ASIDE_S]
                if not live:
                    return None
                best = max(live, key=lambda e: e.max_in_flight - self._busy[id(e)])
                if self._busy[id(best)] < best.max_in_flight:
                    self._busy[id(best)] += 1
                    return best
                self._lock.wait(0.5)

    def _give_back(self, engine: RemoteEngine) -> None:
        with self._lock:
            self._busy[id(engine)] -= 1
            self._lock.notify_all()

    # ----- generation ---------------------------------------------------------------------------------------
    def stream(self, request: GenerationRequest) -> Iterator[TextDelta | Finished]:
        tried: set[int] = set()
        last: RemoteEngineError | None = None
        while (engine := self._take(tried)) is not None:
            try:
                yield from engine.stream(request)
                return
            except RemoteEngineError as error:
                if not error.unreachable:
                    raise
                last = error
                tried.add(id(engine))
                self._set_aside(engine)  # its request goes to another server, from the start
            finally:
                self._give_back(engine)
        raise last or RemoteEngineError("No engine is left to ask.", "没有可用的生成引擎。", kind="refused",
                                        unreachable=True)

    def generate(self, request: GenerationRequest) -> Finished:
        final = None
        for event in self.stream(request):
            if isinstance(event, Finished):
                final = event
        assert final is not None
        return final

    def generate_batch(self, requests: list[GenerationRequest],
                       on_event: EventCallback | None = None) -> list[Finished]:
        from concurrent.futures import ThreadPoolExecutor

        from desktop.core.engine.remote import failed_result

        lock = threading.Lock()

        def run(seq: int, request: GenerationRequest) -> Finished:
            try:
                for event in self.stream(request):
                    event.seq = seq
                    if on_event is not None:
                        with lock:
                            on_event(event)
                    if isinstance(event, Finished):
                        return event
            except RemoteEngineError as error:
                return failed_result(error, seq)
            raise AssertionError("stream() ended without a Finished event")

        with ThreadPoolExecutor(max(1, min(self.max_in_flight, len(requests)))) as pool:
            return list(pool.map(run, range(len(requests)), requests))

    def count_tokens(self, text: str) -> int:
        return self._ask_any(lambda e: e.count_tokens(text))

    def count_prompt_tokens(self, request: GenerationRequest) -> int:
        return self._ask_any(lambda e: e.count_prompt_tokens(request))

    def check_fits(self, n_prompt: int) -> None:
        from desktop.core.engine.interface import check_fits

        check_fits(n_prompt, self.n_ctx)

    def _ask_any(self, call):
        """A call answered by the first live server (an unreachable one is set aside)."""
        last = None
        now = time.monotonic()
        for engine in [e for e in self.engines if now - self._down.get(id(e), -SET_ASIDE_S) >= SET_ASIDE_S]:
            try:
                return call(engine)
            except RemoteEngineError as error:
                if not error.unreachable:
                    raise
                last = error
                self._set_aside(engine)
        raise last or RemoteEngineError("No engine is left to ask.", "没有可用的生成引擎。", kind="refused",
                                        unreachable=True)

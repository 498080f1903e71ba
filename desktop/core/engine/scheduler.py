"""Continuous batching: requests that arrive at any time share one llama.cpp context, as llama-server's
slots do. The engine host's worker calls `step()` while there is work; each step is one `llama_decode`
that carries one token of every sequence that is generating plus a chunk of the prompts still being
read, so a request that arrives while others decode joins the running batch at the next step.

Each request gets a slot (a sequence id of the context). A slot keeps the KV state of its last prompt
and answer; a new request takes the free slot that shares the longest prefix with it and evaluates only
the rest (a template's system prompt is read once, then reused). The KV pool is shared (kv_unified), so
a request is admitted only while the answers in flight can still fit; idle slots give up their cache
first. Each request has its own sampler chain (seed, grammar, penalties), stop strings, and cancel
(`cancel(rid)`, safe from any thread, takes effect at the next step; a prompt chunk read only for
requests that are all cancelled is cut short inside llama.cpp, through its abort callback).

Events go out through `emit(kind, rid, payload)`: ("delta", rid, text), ("finished", rid, Finished),
("error", rid, ShopscribeError). With one request it decodes exactly as `LocalEngine.stream` does.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from desktop.core.engine.decoding import Aborted
from desktop.core.engine.interface import Finished, GenerationRequest
from desktop.core.errors import EngineError, ShopscribeError
from desktop.core.textstream import StopMatcher, Utf8Assembler

Emit = Callable[[str, int, Any], None]


@dataclass
class _Job:
    rid: int
    request: GenerationRequest
    tokens: list[int]
    max_new: int
    t_start: float
    sampler: Any = None
    slot: _Slot | None = None
    done_prompt: int = 0  # prompt tokens whose KV state the slot holds
    cached: int = 0  # of those, reused from before
    logits: int | None = None  # index of this job's logits in the last batch
    pos: int = 0
    n_gen: int = 0
    texts: list[str] = field(default_factory=list)
    utf8: Utf8Assembler = field(default_factory=Utf8Assembler)
    stops: StopMatcher | None = None
    t_prompt: float = 0.0
    t_first: float | None = None

    @property
    def budget(self) -> int:
        return len(self.tokens) + self.max_new


@dataclass
class _Slot:
    seq: int
    cached: list[int] = field(default_factory=list)  # tokens whose KV state this sequence holds
    job: _Job | None = None


class Scheduler:
    def __init__(self, engine, emit: Emit, on_prompt: Callable[[_Job], None] | None = None,
                 on_decode: Callable[[list[int]], None] | None = None) -> None:
        self.engine = engine  # a loaded LocalEngine
        self.decoder = engine.decoder
        self.emit = emit
        self.on_prompt = on_prompt
        self.on_decode = on_decode
        self.slots = [_Slot(seq) for seq in range(engine.n_seq_max)]
        self.waiting: deque[_Job] = deque()
        self._cancelled: set[int] = set()
        self._in_decode: set[int] = set()  # the requests the llama_decode running now carries
        self._lock = threading.Lock()
        self._active = False

    # ----- any thread --------------------------------------------------------------------------------------
    def cancel(self, rid: int | None) -> None:
        """Cancel one request (None: all of them) at the next step."""
        with self._lock:
            if rid is None:
                self._cancelled.update(self.rids())
            else:
                self._cancelled.add(rid)
            if self._in_decode and self._in_decode <= self._cancelled:
                self.decoder.cancel_event.set()  # nobody else needs this decode: cut it short

    def rids(self) -> set[int]:
        return {j.rid for j in self.waiting} | {s.job.rid for s in self.slots if s.job is not None}

    # ----- the worker thread --------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return bool(self.waiting) or any(s.job is not None for s in self.slots)

    def submit(self, rid: int, request: GenerationRequest) -> None:
        """Queue a request (it joins at the next step). Raises for a prompt that cannot fit."""
        engine = self.engine
        t_start = time.perf_counter()
        tokens = engine.prompt_tokens(request)
        engine.check_fits(len(tokens))
        job = _Job(rid, request, tokens, max(0, min(request.max_tokens, engine.n_ctx - len(tokens))), t_start)
        job.sampler = engine.make_sampler(request)
        job.stops = StopMatcher(request.stop)
        if not self._active:  # the context may have been used by the other paths since: start from its state
            self._adopt()
        self.waiting.append(job)

    def _adopt(self) -> None:
        for slot in self.slots:
            slot.cached = list(self.decoder.cached) if slot.seq == 0 else []
            if slot.seq:
                self.decoder.seq_rm(slot.seq)
        self._active = True

    def release(self) -> None:
        """Hand the context back to the single-request and group paths (they keep sequence 0 only)."""
        if self._active and not self.busy:
            self.decoder.cached = list(self.slots[0].cached)
            self._active = False

    def step(self) -> None:
        """One decode: admit, sample, decode. Errors end every request in flight with the error."""
        try:
            self._step()
        except ShopscribeError as error:
            self._fail_all(error)
        except Exception as exc:  # noqa: BLE001 - a request ends with an error, never the host
            self._fail_all(EngineError(f"The engine failed: {type(exc).__name__}: {exc}",
                                       f"生成引擎出错：{type(exc).__name__}：{exc}"))

    def _step(self) -> None:
        with self._lock:
            cancelled, self._cancelled = self._cancelled, set()
        for job in list(self.waiting):
            if job.rid in cancelled:
                self.waiting.remove(job)
                self._finish(job, "cancelled")
        self._admit()
        decoder, ctx = self.decoder, self.decoder.ctx
        items: list[tuple[int, int, int, bool]] = []
        owners: list[_Job | None] = []
        generating: list[int] = []
        for slot in self.slots:
            job = slot.job
            if job is None:
                continue
            if job.rid in cancelled:
                self._finish(job, "cancelled")
                continue
            if job.logits is None:
                continue
            if job.n_gen >= job.max_new:
                self._finish(job, "length")
                continue
            token = job.sampler.sample(ctx, job.logits, lambda t, u=job.utf8: u.accepts(decoder.piece(t)))
            if job.t_first is None:
                job.t_first = time.perf_counter()
            if decoder.is_eog(token):
                self._finish(job, "end")
                continue
            job.n_gen += 1
            text = job.stops.feed(job.utf8.feed(decoder.piece(token)))
            if text:
                job.texts.append(text)
                self.emit("delta", job.rid, text)
            if job.stops.stopped:
                self._finish(job, "stop")
            elif job.n_gen >= job.max_new:
                self._finish(job, "length")
            else:
                items.append((token, job.pos, slot.seq, True))
                owners.append(job)
                generating.append(job.rid)
        # Prompts still being read fill the rest of the batch.
        room = self.engine.n_batch - len(items)
        reading: list[_Job] = []
        for slot in self.slots:
            job = slot.job
            if job is None or job.logits is not None or room <= 0:
                continue
            if job.done_prompt == job.cached and self.on_prompt is not None:
                self.on_prompt(job)
            end = min(len(job.tokens), job.done_prompt + room)
            for pos in range(job.done_prompt, end):
                last = pos == len(job.tokens) - 1
                items.append((job.tokens[pos], pos, slot.seq, last))
                owners.append(job if last else None)
            room -= end - job.done_prompt
            job.done_prompt = end
            reading.append(job)
        if not items:
            return
        if generating and self.on_decode is not None:
            self.on_decode(generating)
        if reading:  # a prompt chunk takes long: a cancel may cut it short (costs a check per graph node)
            carried = {j.rid for j in reading} | set(generating)
            with self._lock:  # from here a cancel of all it carries sets the event (see cancel())
                self._in_decode = carried
                if carried <= self._cancelled:
                    decoder.cancel_event.set()
                else:
                    decoder.cancel_event.clear()  # left from a cancel of requests that have ended
            try:
                with decoder.abortable():
                    decoder.decode(items)
            except Aborted:
                self._aborted(reading + [j for j in owners if j is not None and j not in reading])
                return
            finally:
                with self._lock:
                    self._in_decode = set()
        else:
            decoder.decode(items)
        for index, (token, _pos, seq, _logits) in enumerate(items):
            self.slots[seq].cached.append(token)
            job = owners[index]
            if job is not None:
                job.logits = index
                if job.pos == 0:  # its prompt is read
                    job.pos = len(job.tokens)
                    job.t_prompt = time.perf_counter()
                else:
                    job.pos += 1

    def _admit(self) -> None:
        """Waiting requests take free slots while the answers in flight still fit in the KV pool."""
        while self.waiting:
            free = [s for s in self.slots if s.job is None]
            if not free:
                return
            job = self.waiting[0]
            slot = max(free, key=lambda s: _common(s.cached, job.tokens))
            in_flight = sum(s.job.budget for s in self.slots if s.job is not None)
            if in_flight and in_flight + job.budget > self.engine.n_ctx:
                return  # it waits for room
            idle = sum(len(s.cached) for s in free if s is not slot)
            if in_flight + job.budget + idle > self.engine.n_ctx:
                for other in free:  # idle caches give way to work
                    if other is not slot and other.cached:
                        self.decoder.seq_rm(other.seq)
                        other.cached = []
            self.waiting.popleft()
            common = min(_common(slot.cached, job.tokens), len(job.tokens) - 1)
            if not self.decoder.seq_rm(slot.seq, common, -1):
                self.decoder.seq_rm(slot.seq)
                common = 0
            # Another slot (one that is generating, say) may hold a longer prefix: share its cells.
            donor = max(self.slots, key=lambda s: _common(s.cached, job.tokens))
            shared = min(_common(donor.cached, job.tokens), len(job.tokens) - 1)
            if donor is not slot and shared > common:
                self.decoder.seq_rm(slot.seq)
                self.decoder.seq_cp(donor.seq, slot.seq, 0, shared)
                common = shared
            slot.cached = job.tokens[:common]
            job.slot, job.cached, job.done_prompt = slot, common, common
            slot.job = job

    def _finish(self, job: _Job, reason: str) -> None:
        if job.slot is not None:
            job.slot.job = None
        if reason != "stop":
            tail = job.stops.feed(job.utf8.flush()) + job.stops.flush()
            if tail:
                job.texts.append(tail)
                self.emit("delta", job.rid, tail)
        job.sampler.close()
        end = time.perf_counter()
        first = job.t_first or end
        t_prompt = job.t_prompt or end
        gen_time = end - t_prompt
        self.emit("finished", job.rid, Finished(
            text="".join(job.texts), prompt_tokens=len(job.tokens), completion_tokens=job.n_gen,
            ttft_s=first - job.t_start,
            tokens_per_s=job.n_gen / gen_time if gen_time > 0 and job.n_gen else 0.0,
            stop_reason=reason, total_s=end - job.t_start, cached_tokens=job.cached))

    def _aborted(self, jobs: list[_Job]) -> None:
        """A decode cut short by a cancel: every request it carried was cancelled. Their slots drop the
        cells that batch may have half written, and the requests end as cancelled."""
        self.decoder.cancel_event.clear()
        for job in {id(j): j for j in jobs}.values():
            if job.slot is not None:
                if not self.decoder.seq_rm(job.slot.seq, len(job.slot.cached), -1):
                    self.decoder.seq_rm(job.slot.seq)
                    job.slot.cached = []
            self._finish(job, "cancelled")

    def _fail_all(self, error: ShopscribeError) -> None:
        jobs = list(self.waiting) + [s.job for s in self.slots if s.job is not None]
        self.waiting.clear()
        for slot in self.slots:
            slot.job, slot.cached = None, []
        self.decoder.rollback()  # the KV state of the failed batch is unknown
        for job in jobs:
            job.sampler.close()
            self.emit("error", job.rid, error)


def _common(a: list[int], b: list[int]) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n

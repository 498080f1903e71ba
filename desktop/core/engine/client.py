"""The window's and the command line's engine: a handle on the engine host process (host.py).

`HostEngine` implements the engine interface by sending each call to the host and turning the host's
messages back into events. It supervises the host:

- a host that dies (any signal or exit, while loading, reading a prompt or generating) ends the
  request with `EngineCrashed`, a message that names what happened; the text streamed so far has
  already reached the caller;
- the next request starts a fresh host by itself;
- a host that dies while loading, or before its first request completed, makes the next start climb
  the safe-mode ladder (safe_mode.py); a load walks the ladder by itself until one step works;
- on a CPU with AMX, a throwaway host probes the settings once (a few tokens) before the first real
  request, so a merchant never meets the known AMX crash;
- a cancel that the host does not answer within a few seconds kills it (and the next request starts
  a new one): Stop always stops.

This module never imports llama.cpp: the process that shows the window never maps it.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from desktop.core.engine import safe_mode, tuning
from desktop.core.engine.host_process import (
    CANCEL_GRACE_S,
    PHASES,
    HostProcess,
    Killer,
    cpu_variants,
    crash_error,
    describe_exit,
    drain,
    list_backends,
    remember_devices,
)
from desktop.core.engine.interface import EventCallback, Finished, GenerationRequest, TextDelta, check_fits
from desktop.core.errors import EngineCrashed

log = logging.getLogger(__name__)

PROBE_TOKENS = 4


class HostEngine:
    """The engine interface, served by an engine host process that this object supervises."""

    n_seq_max = 8

    def __init__(self, model: str | Path | None = None, *, host_env: dict[str, str] | None = None,
                 **overrides: Any) -> None:
        """`overrides`: the engine's options (options.py). `host_env`: added to the environment of every
        host this engine starts, and only theirs (the benchmark starts one at normal priority)."""
        from desktop.core.engine.options import resolve_options

        self.base_options = resolve_options(model, overrides)
        self.model_path = Path(self.base_options["model_path"])
        self.model_id = self.base_options["model_id"]
        self.n_ctx = int(self.base_options.get("n_ctx") or 4096)
        self.n_threads = self.base_options.get("n_threads")
        self.n_gpu_layers = int(self.base_options.get("n_gpu_layers") or 0)
        self.n_batch = int(self.base_options.get("n_batch") or 512)
        self.notice: str | None = None
        self.load_seconds: float | None = None
        self.safe_mode = safe_mode.SafeMode()
        self.tuned: dict | None = None
        self._info: dict = {}
        self._host: HostProcess | None = None
        self._active: set[int] = set()  # requests in flight (streams may run at once, from several threads)
        self._served = 0  # requests completed by the current host
        self._sha256: str | None = self.base_options.get("model_sha256")
        self._cancel_timer: threading.Timer | None = None
        self._lock = threading.RLock()
        self.host_env = dict(host_env or {})

    # ----- lifecycle ----------------------------------------------------------------------------------------
    @property
    def loaded(self) -> bool:
        return self._host is not None and self._host.alive

    @property
    def host_pid(self) -> int | None:
        return self._host.pid if self.loaded else None

    @property
    def model_sha256(self) -> str:
        if self._sha256 is None:
            from desktop.core.engine.options import model_sha256

            self._sha256 = model_sha256(self.model_path)
        return self._sha256

    def load(self) -> float:
        """Start a host and load the model, climbing the safe-mode ladder while loads crash."""
        with self._lock:
            if self.loaded:
                return self.load_seconds or 0.0
            from desktop.core.engine.options import check_model_file

            check_model_file(self.model_path)  # a bad file gets its own clear error, before any host starts
            preset = tuning.preset()
            state = self._safe_state()
            variants = cpu_variants()
            while True:
                options = self._options(state)
                try:
                    self._start(options)
                    break
                except EngineCrashed as crash:
                    step = safe_mode.next_step(state, self._options(safe_mode.SafeMode()), variants)
                    if step is None or preset is not None:
                        raise
                    log.warning("engine host crashed %s; safe mode: %s", crash.phase, step)
                    state = safe_mode.climb(state, step, _short_reason(crash))
                    safe_mode.save(self.model_sha256, state)
            self.safe_mode = state
            return self.load_seconds or 0.0

    def _safe_state(self) -> safe_mode.SafeMode:
        """What the ladder allows this model on this machine: the remembered state, probed first where the
        probe has not run (a CPU with AMX); nothing under pre-filled settings."""
        if tuning.preset() is not None:
            return safe_mode.SafeMode()
        state = safe_mode.load(self.model_sha256)
        return self._probe(state) if _should_probe(state) else state

    def _options(self, state: safe_mode.SafeMode) -> dict:
        """The host's load options: the model's settings, then what was tuned for this machine (where the
        user chose nothing), then the ladder, then anything the environment forces."""
        options = {k: v for k, v in self.base_options.items() if v is not None}
        options.setdefault("n_batch", self.n_batch)
        options.setdefault("n_seq_max", self.n_seq_max)
        preset = tuning.preset()
        if preset is None:
            self.tuned = tuning.load(self.model_sha256)
            for key in ("flash_attn", "n_threads"):
                if self.tuned and options.get(key) is None:
                    options[key] = self.tuned[key]
        options = safe_mode.apply(options, state.steps)
        if preset:
            options.update(preset)
        options["model_sha256"] = self.model_sha256
        return options

    def _start(self, options: dict) -> None:
        host = self._new_host()
        try:
            info = host.request("load", options, phase="load")
        except BaseException:
            host.close(timeout=1.0)
            raise
        self._host, self._served, self._info = host, 0, info
        self.n_ctx = int(info["n_ctx"])
        self.n_threads = info["n_threads"]
        self.n_gpu_layers = int(info["n_gpu_layers"])
        self.load_seconds = float(info["seconds"])
        self.notice = info.get("notice")
        remember_devices(info.get("devices"))

    def _new_host(self) -> HostProcess:
        return HostProcess(env={**os.environ, **self.host_env} if self.host_env else None)

    def _probe(self, state: safe_mode.SafeMode) -> safe_mode.SafeMode:
        """A throwaway host loads the model and writes a few tokens with the settings the real one would
        use; each crash climbs the ladder. The answer is remembered, so this runs once per model and
        machine (and again after a reset)."""
        variants = cpu_variants()
        while True:
            host = self._new_host()
            try:
                host.request("load", self._options(state), phase="load")
                host.request("call", "count_tokens", ("probe",))
                _drain_generation(host, GenerationRequest(prompt="The camp mug is", max_tokens=PROBE_TOKENS,
                                                          temperature=0))
                state = safe_mode.SafeMode(state.steps, state.reason, state.date, probed=True)
                break
            except EngineCrashed as crash:
                step = safe_mode.next_step(state, self._options(safe_mode.SafeMode()), variants)
                if step is None:
                    state = safe_mode.SafeMode(state.steps, _short_reason(crash), state.date, probed=True)
                    break
                log.warning("the engine probe crashed %s; safe mode: %s", crash.phase, step)
                state = safe_mode.climb(state, step, _short_reason(crash))
                state.probed = False
            finally:
                host.close(timeout=2.0)
        safe_mode.save(self.model_sha256, state)
        return state

    def close(self) -> None:
        with self._lock:
            host, self._host = self._host, None
            if host is not None:
                host.close()

    def __enter__(self) -> HostEngine:
        self.load()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _ensure_host(self) -> HostProcess:
        if not self.loaded:
            self.load()
        return self._host

    def restart(self) -> None:
        """A fresh host with the settings as they are now (after a reset or a tuning)."""
        self.close()
        self.load()

    # ----- information --------------------------------------------------------------------------------------
    def info(self) -> dict[str, Any]:
        return {**self._info, "model_id": self.model_id, "path": str(self.model_path),
                "host_pid": self.host_pid,
                "safe_mode": self.safe_mode.describe("en"), "safe_mode_zh": self.safe_mode.describe("zh"),
                "safe_mode_steps": list(self.safe_mode.steps), "tuned": self.tuned}

    def stats(self) -> dict[str, Any]:
        return self._ensure_host().request("call", "stats", ())

    def devices(self) -> list[dict[str, Any]]:
        """The compute devices llama.cpp sees (backends.devices), from the running host or a throwaway one."""
        if not self.loaded:
            return list_backends()["devices"]
        found = self._host.request("call", "backends", ())
        remember_devices(found["devices"])
        return found["devices"]

    # ----- text <-> tokens ----------------------------------------------------------------------------------
    def count_tokens(self, text: str) -> int:
        return self._ensure_host().request("call", "count_tokens", (text,))

    def count_prompt_tokens(self, request: GenerationRequest) -> int:
        return self._ensure_host().request("call", "count_prompt_tokens", (request,))

    def tokenize(self, text: str) -> list[int]:
        return self._ensure_host().request("call", "tokenize", (text,))

    def format_messages(self, messages: list[dict]) -> str:
        return self._ensure_host().request("call", "format_messages", (messages,))

    def check_fits(self, n_prompt: int) -> None:
        check_fits(n_prompt, self.n_ctx)

    # ----- generation ---------------------------------------------------------------------------------------
    def cancel(self) -> None:
        """Stop every request in flight within a token. Safe from any thread. A host that does not answer
        within CANCEL_GRACE_S is killed."""
        host = self._host
        if host is None or not host.alive:
            return
        rids = set(self._active)
        for rid in rids or {None}:
            host.send("cancel", rid)
        if rids and self._cancel_timer is None:
            timer = threading.Timer(CANCEL_GRACE_S, self._stuck, args=(host, rids))
            timer.daemon = True
            self._cancel_timer = timer
            timer.start()

    def _stuck(self, host: HostProcess, rids: set[int]) -> None:
        if rids & self._active and host.alive:
            log.warning("engine host %s did not stop within %.0f s of a cancel: killed", host.pid,
                        CANCEL_GRACE_S)
            host.kill()

    def _started(self, rid: int) -> None:
        with self._lock:
            self._active.add(rid)

    def _done(self, rid: int) -> None:
        with self._lock:
            self._active.discard(rid)
            if self._active:
                return
            timer, self._cancel_timer = self._cancel_timer, None
        if timer is not None:
            timer.cancel()

    def stream(self, request: GenerationRequest) -> Iterator[TextDelta | Finished]:
        host = self._ensure_host()
        rid, box = host.submit("stream", request)
        self._started(rid)
        phase, finished = "prompt", False
        try:
            while True:
                message = box.get()
                kind = message[0]
                if kind == "delta":
                    phase = "decode"
                    yield TextDelta(message[3], message[2])
                elif kind == "phase":
                    phase = message[2]
                elif kind == "finished":
                    finished = True
                    self._served += 1
                    yield message[2]
                    return
                elif kind == "error":
                    finished = True
                    raise message[2]
                elif kind == "crashed":
                    finished = True
                    raise self._crashed(host, message[2], phase)
        finally:
            if not finished:  # the caller stopped reading: stop the host too, and let it finish
                host.send("cancel", rid)
                drain(box)
            host.release(rid)
            self._done(rid)

    def generate(self, request: GenerationRequest) -> Finished:
        final = None
        for event in self.stream(request):
            if isinstance(event, Finished):
                final = event
        assert final is not None
        return final

    def generate_batch(self, requests: list[GenerationRequest],
                       on_event: EventCallback | None = None) -> list[Finished]:
        if not requests:
            return []
        host = self._ensure_host()
        rid, box = host.submit("batch", list(requests))
        self._started(rid)
        phase = "prompt"
        try:
            while True:
                message = box.get()
                kind = message[0]
                if kind == "delta":
                    phase = "decode"
                    if on_event is not None:
                        on_event(TextDelta(message[3], message[2]))
                elif kind == "finished":
                    if on_event is not None:
                        on_event(message[2])
                elif kind == "phase":
                    phase = message[2]
                elif kind == "done":
                    self._served += 1
                    return message[2]
                elif kind == "error":
                    raise message[2]
                elif kind == "crashed":
                    raise self._crashed(host, message[2], phase)
        finally:
            host.release(rid)
            self._done(rid)

    def _crashed(self, dead: HostProcess, returncode: int | None, phase: str) -> EngineCrashed:
        """The host died mid-request: forget it, and climb the ladder when it died in its first request
        (once, however many requests it was serving)."""
        error = crash_error(returncode, phase)
        with self._lock:
            if self._host is not dead:  # another request of the same host already handled it
                return error
            self._host = None
            first_request = self._served == 0
        dead.close(timeout=1.0)
        if first_request and tuning.preset() is None:
            step = safe_mode.next_step(self.safe_mode, self._options(safe_mode.SafeMode()), cpu_variants())
            if step is not None:
                self.safe_mode = safe_mode.climb(self.safe_mode, step, _short_reason(error))
                safe_mode.save(self.model_sha256, self.safe_mode)
        return error

    # ----- tuning -------------------------------------------------------------------------------------------
    def tune(self, requests: list[GenerationRequest] | None = None, stop=None) -> dict:
        """Measure the candidate settings in a throwaway host and remember the fastest (see tuning.py).
        `requests`: products of one template (the last is timed with their shared prefix cached); by
        default two sample products. `stop` (a desktop.core.stop.Stop): cancelling it kills the
        throwaway host at once, and tuning.Interrupted is raised; nothing is remembered."""
        import contextlib

        from desktop.core.engine.options import typical_requests

        requests = requests or typical_requests()
        # The throwaway host needs the safe settings as much as the real one: on a CPU whose AMX path
        # crashes, a tuning that runs before any load (the benchmark, `models tune`, another model than
        # the loaded one) would otherwise meet that crash.
        state = self.safe_mode if self.loaded else self._safe_state()
        options = {k: v for k, v in self._options(state).items()
                   if k not in ("flash_attn", "n_threads", "n_seq_max", "notice")}
        host = self._new_host()
        try:
            with stop.interrupts(Killer(host)) if stop is not None else contextlib.nullcontext():
                measurements = host.request("tune", options, requests, tuning.candidates(), phase="decode")
        except EngineCrashed as exc:
            if stop is not None and stop.is_set:
                raise tuning.Interrupted() from exc
            raise
        finally:
            host.close(timeout=2.0)
        self.tuned = tuning.save(self.model_sha256, measurements)
        return self.tuned


def _drain_generation(host: HostProcess, request: GenerationRequest) -> Finished:
    rid, box = host.submit("stream", request)
    phase = "prompt"
    try:
        while True:
            message = box.get()
            if message[0] == "delta":
                phase = "decode"
            elif message[0] == "finished":
                return message[2]
            elif message[0] == "error":
                raise message[2]
            elif message[0] == "crashed":
                raise crash_error(message[2], phase)
    finally:
        host.release(rid)


def _short_reason(crash: EngineCrashed) -> str:
    how = describe_exit(crash.exit_code)[0]
    return f"{how} {PHASES.get(crash.phase, PHASES['idle'])[0]}"


def _should_probe(state: safe_mode.SafeMode) -> bool:
    setting = os.environ.get("SHOPSCRIBE_ENGINE_PROBE", "auto")
    if setting == "skip":
        return False
    if setting == "always":
        return not state.probed
    from desktop.core.engine.machine import has_amx

    return has_amx() and not state.probed

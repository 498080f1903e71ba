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

import itertools
import logging
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from desktop.core.engine import safe_mode, tuning
from desktop.core.engine.interface import EventCallback, Finished, GenerationRequest, TextDelta, check_fits
from desktop.core.engine.protocol import Channel
from desktop.core.errors import EngineCrashed

log = logging.getLogger(__name__)

CANCEL_GRACE_S = 5.0  # a host that ignores a cancel this long is stuck: it is killed
EXIT_GRACE_S = 5.0
PROBE_TOKENS = 4
_SIGNAL_NAMES = {
    "SIGSEGV": ("segmentation fault", "段错误"),
    "SIGKILL": ("killed, perhaps for lack of memory", "被强制结束，可能是内存不足"),
    "SIGABRT": ("aborted", "异常中止"),
    "SIGILL": ("illegal instruction: the engine uses an instruction this CPU lacks",
               "非法指令：此 CPU 不支持引擎使用的指令"),
    "SIGBUS": ("bus error", "总线错误"),
    "SIGFPE": ("arithmetic error", "算术错误"),
    "SIGTERM": ("terminated", "被终止"),
}
_PHASES = {
    "load": ("while loading the model", "加载模型时"),
    "prompt": ("while reading the prompt", "读取提示词时"),
    "decode": ("while generating", "生成时"),
    "call": ("while counting tokens", "计算 token 时"),
    "idle": ("while idle", "空闲时"),
}


def host_command() -> list[str]:
    """How to start an engine host: the frozen app starts itself with a hidden option."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--engine-host"]
    return [sys.executable, "-m", "desktop.core.engine.host"]


def describe_exit(returncode: int | None) -> tuple[str, str, int | None]:
    """("signal 11, segmentation fault", "信号 11，段错误", signal number or None) for a host's exit."""
    if returncode is None:
        return "it stopped answering", "停止了响应", None
    if returncode < 0:
        number = -returncode
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = ""
        en, zh = _SIGNAL_NAMES.get(name, (name or "unknown signal", name or "未知信号"))
        return f"signal {number}, {en}", f"信号 {number}，{zh}", number
    return f"exit code {returncode}", f"退出代码 {returncode}", None


def crash_error(returncode: int | None, phase: str) -> EngineCrashed:
    how_en, how_zh, number = describe_exit(returncode)
    when_en, when_zh = _PHASES.get(phase, _PHASES["idle"])
    return EngineCrashed(
        f"The engine stopped ({how_en}) {when_en}. Shopscribe is fine and your work is kept; the "
        "next request starts the engine again.",
        f"生成引擎{when_zh}意外停止（{how_zh}）。Shopscribe 仍在运行，您的内容都已保留；"
        "下一次请求会重新启动引擎。",
        signal=number, exit_code=returncode, phase=phase,
    )


class HostProcess:
    """One engine host process: its pipe, a reader thread, and a queue per request in flight."""

    def __init__(self, env: dict | None = None) -> None:
        from desktop.core.paths import logs_dir

        self.log_path = logs_dir() / "engine-host.log"
        log_file = open(self.log_path, "ab")  # noqa: SIM115 - the child keeps its own copy of the descriptor
        if log_file.tell() > 2_000_000:
            log_file.truncate(0)
        kwargs: dict[str, Any] = {}
        if os.name == "posix":
            kwargs["start_new_session"] = True  # Ctrl-C in a terminal reaches the client, which cancels
        else:
            kwargs["creationflags"] = getattr(subprocess, "CREATE_NO_WINDOW", 0)
        try:
            self.proc = subprocess.Popen(host_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=log_file, env=env, **kwargs)
        finally:
            log_file.close()
        self.pid = self.proc.pid
        self.channel = Channel(self.proc.stdout, self.proc.stdin)
        self._ids = itertools.count(1)
        self._pending: dict[int, queue.Queue] = {}
        self._lock = threading.Lock()
        self.returncode: int | None = None
        self.killed = False
        self.dead = threading.Event()
        self._reader = threading.Thread(target=self._read, name=f"engine-host-{self.pid}", daemon=True)
        self._reader.start()

    @property
    def alive(self) -> bool:
        return not self.dead.is_set()

    def submit(self, op: str, *args) -> tuple[int, queue.Queue]:
        rid = next(self._ids)
        box: queue.Queue = queue.Queue()
        with self._lock:
            if self.dead.is_set():
                box.put(("crashed", rid, self.returncode))
                return rid, box
            self._pending[rid] = box
        try:
            self.channel.send(op, rid, *args)
        except OSError:  # the host died before it could read it; the reader reports how
            pass
        return rid, box

    def release(self, rid: int) -> None:
        with self._lock:
            self._pending.pop(rid, None)

    def send(self, *message) -> None:
        if self.alive:
            try:
                self.channel.send(*message)
            except OSError:
                pass

    def _read(self) -> None:
        while True:
            try:
                message = self.channel.recv()
            except (EOFError, OSError, ValueError):
                break
            except Exception:  # noqa: BLE001 - an unreadable message means a broken host
                log.exception("engine host %s sent an unreadable message", self.pid)
                self.kill()
                break
            with self._lock:
                box = self._pending.get(message[1]) if len(message) > 1 else None
            if box is not None:
                box.put(message)
        self.returncode = self.proc.wait()
        try:
            self.proc.stdout.close()  # the reader owns it: closed here, never under a blocked read
        except OSError:
            pass
        with self._lock:
            self.dead.set()
            boxes = list(self._pending.items())
        for rid, box in boxes:
            box.put(("crashed", rid, self.returncode))
        if self.returncode and not self.killed:
            log.warning("engine host %s ended: %s", self.pid, describe_exit(self.returncode)[0])

    def kill(self) -> None:
        self.killed = True  # by us: its end is no crash to report
        try:
            self.proc.kill()
        except OSError:
            pass

    def close(self, timeout: float = EXIT_GRACE_S) -> None:
        if self.alive:
            self.send("exit")
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        for stream in (self.proc.stdin,):
            try:
                stream.close()
            except OSError:
                pass
        self._reader.join(timeout)

    def request(self, op: str, *args, phase: str = "call") -> Any:
        """Send one request and wait for its single answer (loaded, result)."""
        rid, box = self.submit(op, *args)
        try:
            message = box.get()
        finally:
            self.release(rid)
        if message[0] == "error":
            raise message[2]
        if message[0] == "crashed":
            raise crash_error(message[2], phase)
        return message[2]


class HostEngine:
    """The engine interface, served by an engine host process that this object supervises."""

    n_seq_max = 8

    def __init__(self, model: str | Path | None = None, **overrides: Any) -> None:
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
            state = safe_mode.SafeMode() if preset is not None else safe_mode.load(self.model_sha256)
            if preset is None and _should_probe(state):
                state = self._probe(state)
            variants = _cpu_variants()
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
        host = HostProcess()
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
        _remember_devices(info.get("devices"))

    def _probe(self, state: safe_mode.SafeMode) -> safe_mode.SafeMode:
        """A throwaway host loads the model and writes a few tokens with the settings the real one would
        use; each crash climbs the ladder. The answer is remembered, so this runs once per model and
        machine (and again after a reset)."""
        variants = _cpu_variants()
        while True:
            host = HostProcess()
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
        _remember_devices(found["devices"])
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
                _drain(box)
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
            step = safe_mode.next_step(self.safe_mode, self._options(safe_mode.SafeMode()), _cpu_variants())
            if step is not None:
                self.safe_mode = safe_mode.climb(self.safe_mode, step, _short_reason(error))
                safe_mode.save(self.model_sha256, self.safe_mode)
        return error

    # ----- tuning -------------------------------------------------------------------------------------------
    def tune(self, request: GenerationRequest | None = None, stop=None) -> dict:
        """Measure the candidate settings in a throwaway host and remember the fastest (see tuning.py).
        `stop` (a desktop.core.stop.Stop): cancelling it kills the throwaway host at once, and
        tuning.Interrupted is raised; nothing is remembered."""
        import contextlib

        from desktop.core.engine.options import typical_request

        request = request or typical_request()
        options = {k: v for k, v in self._options(self.safe_mode).items()
                   if k not in ("flash_attn", "n_threads", "n_seq_max", "notice")}
        host = HostProcess()
        try:
            with stop.interrupts(_Killer(host)) if stop is not None else contextlib.nullcontext():
                measurements = host.request("tune", options, request, tuning.candidates(), phase="decode")
        except EngineCrashed as exc:
            if stop is not None and stop.is_set:
                raise tuning.Interrupted() from exc
            raise
        finally:
            host.close(timeout=2.0)
        self.tuned = tuning.save(self.model_sha256, measurements)
        return self.tuned


class _Killer:
    """A throwaway host as a Stop's cancellable: cancelling kills it (its work has no value half done)."""

    def __init__(self, host: HostProcess) -> None:
        self.host = host

    def cancel(self) -> None:
        self.host.kill()


def _drain(box: queue.Queue, timeout: float = CANCEL_GRACE_S + 1) -> None:
    while True:
        try:
            message = box.get(timeout=timeout)
        except queue.Empty:
            return
        if message[0] in ("finished", "done", "error", "crashed"):
            return


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
    return f"{how} {_PHASES.get(crash.phase, _PHASES['idle'])[0]}"


def _should_probe(state: safe_mode.SafeMode) -> bool:
    setting = os.environ.get("SHOPSCRIBE_ENGINE_PROBE", "auto")
    if setting == "skip":
        return False
    if setting == "always":
        return not state.probed
    from desktop.core.engine.machine import has_amx

    return has_amx() and not state.probed


def _cpu_variants() -> list[str]:
    """The CPU variants of llama.cpp this install ships (a portable build), by file name; [] for a build
    tuned to one CPU."""
    from desktop.core.engine.backend_files import variant_names

    return variant_names()


def list_backends(cpu_variant: str | None = None) -> dict[str, Any]:
    """Asked of a throwaway host (no model loaded): the CPU variant it loads for `cpu_variant` (None: the
    best; "avoid-amx"), the variants shipped, the GPU backends and the devices llama.cpp sees
    (backends.report). The devices are remembered for the fit estimate (device_list.py)."""
    host = HostProcess()
    try:
        found = host.request("call", "backends", (cpu_variant,))
    finally:
        host.close(timeout=2.0)
    _remember_devices(found["devices"])
    return found


def _remember_devices(found: list[dict] | None) -> None:
    if found is None:
        return
    from desktop.core.engine import device_list

    try:
        device_list.remember(found)
    except Exception:  # noqa: BLE001 - a store that cannot write only loses the memory of the list
        log.warning("could not remember the device list", exc_info=True)

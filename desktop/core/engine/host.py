"""The engine host: the child process that owns llama.cpp. The window and the command line start it
(client.py) and talk to it over its stdin and stdout (protocol.py). When llama.cpp crashes, only this
process dies; the client turns that into an error and starts a new host for the next request.

    python -m desktop.core.engine.host          (development)
    shopscribe --engine-host                    (the frozen app starts itself this way)

Two threads: the main thread reads messages (so a cancel reaches the engine at once, even mid-prompt)
and queues the work; the worker thread runs it on one `LocalEngine`. Streams go to the scheduler
(scheduler.py): concurrent streams share the context by continuous batching, and the worker reads new
messages between its steps, so a stream that arrives mid-decode joins at the next step. Loads, group
batches and tuning wait until the streams in flight are done, and run alone.
"""

from __future__ import annotations

import faulthandler
import functools
import logging
import os
import queue
import signal
import sys
import threading
import time
from typing import Any

from desktop.core.engine.faults import FaultSwitch
from desktop.core.engine.interface import Finished, GenerationRequest, TextDelta
from desktop.core.engine.protocol import Channel
from desktop.core.errors import EngineError, ShopscribeError

log = logging.getLogger("desktop.engine.host")

HOST_OPTIONS = ("cpu_variant", "notice")  # load options for the host itself, not the engine
CALLS = ("count_tokens", "count_prompt_tokens", "tokenize", "format_messages", "info", "stats", "backends")
_NOTHING = ("nothing",)


class Host:
    def __init__(self, channel: Channel) -> None:
        self.channel = channel
        self.engine = None
        self.options: dict[str, Any] = {}
        self.faults = FaultSwitch()
        self.work: queue.Queue = queue.Queue()
        self.lock = threading.Lock()
        self.running: int | None = None  # the request id on the engine now
        self.cancelled: set[int] = set()
        self.prompt_text = ""
        self.announced = False
        self.started = time.time()
        self.served = 0
        self.scheduler = None  # made with the engine
        self.decoding: set[int] = set()  # streams that announced their decode phase

    # ----- main thread: read, queue, cancel -----------------------------------------------------------------
    def serve(self) -> None:
        worker = threading.Thread(target=self._work, name="engine", daemon=True)
        worker.start()
        while True:
            try:
                message = self.channel.recv()
            except (EOFError, OSError):
                os._exit(0)  # the client has gone: nobody to answer, nothing to save
            if message[0] == "cancel":
                self._cancel(message[1])
            elif message[0] == "exit":
                self.work.put(None)
                worker.join(timeout=10)
                return
            else:
                self.work.put(message)

    def _cancel(self, rid: int | None) -> None:
        with self.lock:
            if rid is not None:
                self.cancelled.add(rid)
            if self.scheduler is not None:
                self.scheduler.cancel(rid)
            if self.engine is not None and (rid is None or rid == self.running):
                self.engine.cancel()

    # ----- worker thread ------------------------------------------------------------------------------------
    def _work(self) -> None:
        worked = False
        try:
            while True:
                streaming = self.scheduler is not None and self.scheduler.busy
                if not streaming and worked and self.work.empty():
                    give_back_freed_memory()  # idle now: nothing else would run meanwhile
                    worked = False
                try:
                    message = self.work.get_nowait() if streaming else self.work.get()
                except queue.Empty:
                    message = _NOTHING
                worked = True
                if message is None:
                    break
                if message is not _NOTHING:
                    if message[0] == "stream":
                        self._submit_stream(message[1], message[2])
                    else:
                        if message[0] != "call":
                            self._drain_streams()  # loads, batches and tuning run alone
                        self._run(message)
                if self.scheduler is not None:
                    if self.scheduler.busy:
                        self.scheduler.step()
                    else:
                        self.scheduler.release()
        finally:
            if self.engine is not None:
                self.engine.close()

    def _drain_streams(self) -> None:
        while self.scheduler is not None and self.scheduler.busy:
            self.scheduler.step()
        if self.scheduler is not None:
            self.scheduler.release()

    def _submit_stream(self, rid: int, request: GenerationRequest) -> None:
        try:
            engine = self._require_engine()
            if rid in self.cancelled:
                self.cancelled.discard(rid)
                n = engine.count_prompt_tokens(request)
                self.channel.send("finished", rid, Finished("", n, 0, 0.0, 0.0, "cancelled"))
                return
            if not self.scheduler.busy:
                self.faults.counts.clear()  # "#3" counts within one request (or one busy stretch)
            self.scheduler.submit(rid, request)
        except ShopscribeError as exc:
            self.channel.send("error", rid, exc)
        except Exception as exc:  # noqa: BLE001
            log.exception("engine host: stream failed")
            self.channel.send("error", rid, EngineError(f"The engine failed: {type(exc).__name__}: {exc}",
                                                        f"生成引擎出错：{type(exc).__name__}：{exc}"))

    # ----- the scheduler's events --------------------------------------------------------------------------
    def _emit(self, kind: str, rid: int, payload) -> None:
        if kind == "delta":
            self.channel.send("delta", rid, 0, payload)
            return
        self.decoding.discard(rid)
        with self.lock:
            self.cancelled.discard(rid)
        if kind == "finished":
            self.served += 1
        self.channel.send(kind, rid, payload)

    def _stream_prompt(self, job) -> None:
        self.prompt_text = _request_text(job.request)
        self.faults.hit("prompt", self.options, self.prompt_text)

    def _stream_decode(self, rids: list[int]) -> None:
        self.faults.hit("decode", self.options, self.prompt_text)
        for rid in rids:
            if rid not in self.decoding:
                self.decoding.add(rid)
                self.channel.send("phase", rid, "decode")

    def _run(self, message: tuple) -> None:
        op, rid, *args = message
        with self.lock:
            self.running, self.announced = rid, False
        self.faults.counts.clear()  # "#3" counts within one request
        try:
            getattr(self, f"_op_{op}")(rid, *args)
        except ShopscribeError as exc:
            self.channel.send("error", rid, exc)
        except Exception as exc:  # noqa: BLE001 - every error reaches the client as a message
            log.exception("engine host: %s failed", op)
            self.channel.send("error", rid, EngineError(f"The engine failed: {type(exc).__name__}: {exc}",
                                                        f"生成引擎出错：{type(exc).__name__}：{exc}"))
        finally:
            with self.lock:
                self.running = None
                self.cancelled.discard(rid)

    def _checkpoint(self, point: str) -> None:
        """Called by the engine before a prompt and at each decode step."""
        self.faults.hit(point, self.options, self.prompt_text)
        rid = self.running
        if point == "prompt" and rid in self.cancelled:
            self.engine.cancel()  # a cancel that came before the request started (it clears the flag)
        elif point == "decode" and not self.announced:
            self.announced = True
            self.channel.send("phase", rid, "decode")

    def _op_load(self, rid: int, options: dict) -> None:
        from desktop.core.engine.backends import devices, ensure_cpu_backend, resolve_gpu_layers
        from desktop.core.engine.local import LocalEngine

        variant = ensure_cpu_backend(options.get("cpu_variant"))
        options, gpu_notice = resolve_gpu_layers(options)  # "auto" GPU layers; no GPU: a notice
        if self.engine is not None:
            self.engine.close()
            self.engine, self.scheduler = None, None
        self.options = dict(options)
        engine = LocalEngine(**{k: v for k, v in options.items() if k not in HOST_OPTIONS})
        engine.fault = self._checkpoint
        engine.release_cleared_kv = True
        self.faults.hit("load", self.options)
        try:
            engine.load()
        except ShopscribeError as exc:
            if not engine.n_gpu_layers:
                raise
            engine.close()  # a GPU that cannot take the model: the CPU can
            engine.n_gpu_layers = 0
            engine.load()
            engine.notice = f"GPU offload failed ({exc.text('en')}); running on the CPU instead."
            self.options["n_gpu_layers"] = 0
        from desktop.core.engine.scheduler import Scheduler

        engine.notice = engine.notice or gpu_notice
        self.engine = engine
        self.scheduler = Scheduler(engine, self._emit, self._stream_prompt, self._stream_decode)
        self.channel.send("loaded", rid, {**engine.info(), "cpu_variant": variant, "devices": devices()})

    def _op_tune(self, rid: int, engine_options: dict, requests: list[GenerationRequest],
                 candidates: list[dict]) -> None:
        from desktop.core.engine.backends import ensure_cpu_backend, resolve_gpu_layers
        from desktop.core.engine.tuning import measure_in_engine

        ensure_cpu_backend(engine_options.pop("cpu_variant", None))
        engine_options, _ = resolve_gpu_layers(engine_options)
        engine_options.pop("model_sha256", None)
        self.faults.hit("load", engine_options)  # its candidates load the model as a load does
        self.channel.send("result", rid, measure_in_engine(engine_options, requests, candidates))

    def _require_engine(self):
        if self.engine is None:
            raise EngineError("No model is loaded in the engine.", "生成引擎中没有加载模型。")
        return self.engine

    def _op_batch(self, rid: int, requests: list[GenerationRequest]) -> None:
        engine = self._require_engine()
        self.prompt_text = "\n".join(_request_text(r) for r in requests)

        def on_event(event) -> None:
            if isinstance(event, TextDelta):
                self.channel.send("delta", rid, event.seq, event.text)
            else:
                self.channel.send("finished", rid, event)

        results = engine.generate_batch(requests, on_event)
        self.served += 1
        self.channel.send("done", rid, results)

    def _op_call(self, rid: int, method: str, args: tuple) -> None:
        if method not in CALLS:
            raise EngineError(f"Unknown engine call {method!r}.", f"未知的引擎调用 {method!r}。")
        if method == "stats":
            value = self._stats()
        elif method == "backends":  # needs no model: the CPU variant and llama.cpp's device registry
            from desktop.core.engine.backends import report

            value = report(*args)
        else:
            value = getattr(self._require_engine(), method)(*args)
        self.channel.send("result", rid, value)

    def _stats(self) -> dict:
        import psutil

        info = self.engine.info() if self.engine is not None else {}
        memory = psutil.Process().memory_info()
        return {**info, "pid": os.getpid(), "rss_bytes": memory.rss, "uptime_s": time.time() - self.started,
                "requests": self.served}


def give_back_freed_memory() -> None:
    """Return the C heap's free pages to the system (glibc only; elsewhere nothing to do).

    glibc keeps what a thread frees for that thread's later use, and the host would hold it for the rest
    of the session: a structured answer (JSON through the grammar) left tens of MB held, none of it in
    use (`shopscribe bench --only memory` measures the host). Trimming takes a few milliseconds and runs
    only when the host has nothing to do."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim():
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None


def _request_text(request: GenerationRequest) -> str:
    if request.prompt is not None:
        return request.prompt
    return "\n".join(str(m.get("content", "")) for m in request.messages or [])


def _claim_stdio() -> Channel:
    """The protocol gets private copies of stdin and stdout; fd 1 then points at stderr, so a stray
    print from native code can never corrupt a message."""
    reader = os.fdopen(os.dup(0), "rb", buffering=0)  # fds, not sys.std*: a windowed build has None there
    writer = os.fdopen(os.dup(1), "wb", buffering=0)
    try:
        os.dup2(2, 1)
    except OSError:  # no stderr at all: native prints go nowhere
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.close(null)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    return Channel(reader, writer)


def main() -> int:
    channel = _claim_stdio()
    if hasattr(signal, "SIGINT"):
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C belongs to the client, which sends cancel
    faulthandler.enable()  # a native crash leaves a Python stack in the host log
    verbose = os.environ.get("SHOPSCRIBE_VERBOSE") == "1"
    stream = sys.stderr if sys.stderr is not None else open(os.devnull, "w")  # noqa: SIM115 - for the process
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, stream=stream,
                        format="%(asctime)s engine-host[%(process)d] %(levelname)s %(name)s: %(message)s")
    if not verbose:
        logging.getLogger("desktop.core.engine.local").setLevel(logging.INFO)
    from desktop.core.engine.priority import run_below_interactive

    log.info("engine host %d: %s", os.getpid(), ", ".join(run_below_interactive()) or "priority unchanged")
    Host(channel).serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())

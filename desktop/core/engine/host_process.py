"""One engine host process as the client sees it: how to start it, its pipe and the reader thread that
sorts the host's messages into a queue per request, how its end is described ("signal 11, segmentation
fault while generating"), and killing it. HostEngine (client.py) supervises these; the throwaway hosts
of tuning, probing and the backend list use them directly.

This module never imports llama.cpp.
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
from typing import Any

from desktop.core.engine.protocol import Channel
from desktop.core.errors import EngineCrashed

log = logging.getLogger(__name__)

CANCEL_GRACE_S = 5.0  # a host that ignores a cancel this long is stuck: it is killed
EXIT_GRACE_S = 5.0
SIGNAL_NAMES = {
    "SIGSEGV": ("segmentation fault", "段错误"),
    "SIGKILL": ("killed, perhaps for lack of memory", "被强制结束，可能是内存不足"),
    "SIGABRT": ("aborted", "异常中止"),
    "SIGILL": ("illegal instruction: the engine uses an instruction this CPU lacks",
               "非法指令：此 CPU 不支持引擎使用的指令"),
    "SIGBUS": ("bus error", "总线错误"),
    "SIGFPE": ("arithmetic error", "算术错误"),
    "SIGTERM": ("terminated", "被终止"),
}
PHASES = {
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
        en, zh = SIGNAL_NAMES.get(name, (name or "unknown signal", name or "未知信号"))
        return f"signal {number}, {en}", f"信号 {number}，{zh}", number
    return f"exit code {returncode}", f"退出代码 {returncode}", None


def crash_error(returncode: int | None, phase: str) -> EngineCrashed:
    how_en, how_zh, number = describe_exit(returncode)
    when_en, when_zh = PHASES.get(phase, PHASES["idle"])
    return EngineCrashed(
        f"The engine stopped ({how_en}) {when_en}. Shopscribe is fine and your work is kept; the "
        "next request starts the engine again.",
        f"生成引擎{when_zh}意外停止（{how_zh}）。Shopscribe 仍在运行，您的内容都已保留；"
        "下一次请求会重新启动引擎。",
        signal=number, exit_code=returncode, phase=phase,
    )


class HostProcess:
    """One engine host process: its pipe, a reader thread, and a queue per request in flight."""

    def __init__(self, env: dict | None = None, command: list[str] | None = None) -> None:
        """`command`: how to start it (host_command() by default; packaging/qemu_check.py runs the
        bundle's host under an emulated CPU)."""
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
            self.proc = subprocess.Popen(command or host_command(),
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
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
        """Stop the host: its work in flight is cancelled (it ends at the next step, as a Stop would), then
        it closes the model and exits. Killed only if it has not exited within `timeout`."""
        if self.alive:
            self.send("cancel", None)  # else a long batch would run on until the kill below
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


class Killer:
    """A throwaway host as a Stop's cancellable: cancelling kills it (its work has no value half done)."""

    def __init__(self, host: HostProcess) -> None:
        self.host = host

    def cancel(self) -> None:
        self.host.kill()


def drain(box: queue.Queue, timeout: float = CANCEL_GRACE_S + 1) -> None:
    while True:
        try:
            message = box.get(timeout=timeout)
        except queue.Empty:
            return
        if message[0] in ("finished", "done", "error", "crashed"):
            return


def cpu_variants() -> list[str]:
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
    remember_devices(found["devices"])
    return found


def remember_devices(found: list[dict] | None) -> None:
    if found is None:
        return
    from desktop.core.engine import device_list

    try:
        device_list.remember(found)
    except Exception:  # noqa: BLE001 - a store that cannot write only loses the memory of the list
        log.warning("could not remember the device list", exc_info=True)

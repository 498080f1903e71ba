"""Real inference servers started by the tests on 127.0.0.1, each stopped (with its whole process group)
when the test is done, so no process is left behind.

- `llama_cpp_server(port)`: llama-cpp-python's own OpenAI-compatible server with the embedded model,
  a real third-party engine. It serialises requests behind one lock; `--interrupt_requests False` keeps a
  new request from cutting a streaming one short.
- `shopscribe_serve(port, *args)`: `shopscribe serve` in its own process.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, args: list[str], port: int, log: Path, env: dict | None = None) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        with open(log, "ab") as out:
            self.proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                         env={**os.environ, **(env or {})}, cwd=ROOT)

    def wait_ready(self, timeout: float = 180.0, headers: dict | None = None) -> Server:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("the server exited "
                                   f"({self.proc.returncode}):\n{self.log.read_text()[-3000:]}")
            try:
                response = httpx.get(self.url + "/v1/models", timeout=2.0, headers=headers or {},
                                     trust_env=False)
                if response.status_code in (200, 401):
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"the server did not start within {timeout:.0f} "
                           f"s:\n{self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        """Kill it at once (a server dying mid-job)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        with contextlib.suppress(ProcessLookupError):  # anything it started
            os.killpg(self.proc.pid, signal.SIGKILL)


# llama-cpp-python's server, started as `python -m llama_cpp.server` would be, after loading a CPU
# backend: with the portable build (one ggml-cpu library per CPU generation) nothing else loads one.
# The variant avoids AMX, whose weight repacking crashes llama.cpp on some Xeons (our own engine
# finds that out by itself; this third-party server cannot).
LLAMA_CPP_SERVER = (
    "import runpy, sys; from desktop.core.engine.backends import ensure_cpu_backend; "
    "ensure_cpu_backend('avoid-amx'); sys.argv[0] = 'llama_cpp.server'; "
    "runpy.run_module('llama_cpp.server', run_name='__main__', alter_sys=True)"
)


@contextlib.contextmanager
def llama_cpp_server(model: Path, log_dir: Path, *, alias: str = "smol",
                     n_ctx: int = 2048) -> Iterator[Server]:
    port = free_port()
    server = Server([sys.executable, "-c", LLAMA_CPP_SERVER, "--model", str(model), "--model_alias", alias,
                     "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(n_ctx),
                     "--interrupt_requests", "False"], port, log_dir / f"llama-cpp-server-{port}.log")
    try:
        yield server.wait_ready()
    finally:
        server.stop()


@contextlib.contextmanager
def shopscribe_serve(log_dir: Path, *args: str, env: dict | None = None, headers: dict | None = None,
                     port: int | None = None) -> Iterator[Server]:
    port = port or free_port()
    server = Server([sys.executable, "-m", "desktop", "serve", "--port", str(port), *args], port,
                    log_dir / f"shopscribe-serve-{port}.log", env={"PYTHONPATH": str(ROOT), **(env or {})})
    try:
        yield server.wait_ready(headers=headers)
    finally:
        server.stop()

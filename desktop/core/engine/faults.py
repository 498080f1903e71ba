"""The engine host's fault switch: make the host die for real, at a named point, so tests can prove
that a crash in llama.cpp is an error and never a death (and drive the safe-mode ladder step by step).

    SHOPSCRIBE_ENGINE_FAULT="segv@decode#3"              SIGSEGV at a request's third decode step
    SHOPSCRIBE_ENGINE_FAULT="segv@load?extra_bufts"      at load, only while weight repacking is on
    SHOPSCRIBE_ENGINE_FAULT="kill@prompt?text~POISON"    at a prompt that contains POISON
    SHOPSCRIBE_ENGINE_FAULT="segv@decode?once"           once per data folder, then never again

Rules are separated by commas. Signals: segv, kill, abrt, ill, bus, exit (exit code 3), hang (stops
answering, as a deadlock would). Points: load, prompt, decode. Conditions: extra_bufts, gpu, ctx>N,
text~WORD, once. Unset, it costs one check.
"""

from __future__ import annotations

import hashlib
import os
import signal
from dataclasses import dataclass

ENV = "SHOPSCRIBE_ENGINE_FAULT"
SIGNALS = {"segv": signal.SIGSEGV, "kill": getattr(signal, "SIGKILL", signal.SIGTERM), "abrt": signal.SIGABRT,
           "ill": signal.SIGILL, "bus": getattr(signal, "SIGBUS", signal.SIGSEGV), "exit": None, "hang": None}


@dataclass
class Rule:
    spec: str
    sig: str
    point: str
    nth: int
    conditions: list[str]

    @classmethod
    def parse(cls, spec: str) -> Rule:
        head, _, cond = spec.partition("?")
        sig, _, where = head.partition("@")
        point, _, nth = where.partition("#")
        if sig not in SIGNALS or point not in ("load", "prompt", "decode"):
            raise ValueError(f"bad {ENV} rule: {spec!r}")
        return cls(spec, sig, point, int(nth or 1), [c for c in cond.split("&") if c])


class FaultSwitch:
    """`hit(point, options, text)` at each named point; dies when a rule says so."""

    def __init__(self, spec: str | None = None) -> None:
        spec = os.environ.get(ENV, "") if spec is None else spec
        self.rules = [Rule.parse(part.strip()) for part in spec.split(",") if part.strip()]
        self.counts: dict[str, int] = {}

    def __bool__(self) -> bool:
        return bool(self.rules)

    def hit(self, point: str, options: dict, text: str = "") -> None:
        if not self.rules:
            return
        self.counts[point] = self.counts.get(point, 0) + 1
        for rule in self.rules:
            if rule.point == point and self.counts[point] == rule.nth and self._holds(rule, options, text):
                _die(rule.sig)

    def _holds(self, rule: Rule, options: dict, text: str) -> bool:
        for cond in rule.conditions:
            if cond == "extra_bufts" and not options.get("use_extra_bufts", True):
                return False
            if cond == "gpu" and not options.get("n_gpu_layers"):
                return False
            if cond.startswith("ctx>") and int(options.get("n_ctx") or 0) <= int(cond[4:]):
                return False
            if cond.startswith("text~") and cond[5:] not in text:
                return False
            if cond == "once" and not _first_time(rule.spec):
                return False
        return True


def _first_time(spec: str) -> bool:
    from desktop.core.paths import data_home

    marker = data_home() / f"engine-fault-{hashlib.sha1(spec.encode()).hexdigest()[:12]}.fired"
    try:
        marker.touch(exist_ok=False)
    except FileExistsError:
        return False
    return True


def _die(sig: str) -> None:
    if sig == "hang":
        import time

        while True:
            time.sleep(60)
    if sig == "exit":
        os._exit(3)
    import faulthandler

    faulthandler.disable()  # a real crash, not a Python traceback dump
    os.kill(os.getpid(), SIGNALS[sig])

"""Settings tuned to this machine: flash attention and the thread count, measured, not assumed.

llama.cpp's defaults are not best everywhere: on one Xeon flash attention slowed decoding after a
450-token prompt by a third and sped it up after a 15-token one; on an EPYC it was the other way round.
So on a model's first load on a machine, a throwaway engine host measures each candidate (a few
seconds, at the prompt length our templates really have), and the fastest for a whole request
(prompt plus a typical answer) is kept, per model file, llama.cpp version and CPU. The user's own
choice in the model's settings always wins.

The request timed is the one a merchant waits for most often: the next product of a template whose
first product was just read, its shared prefix cached as the engine caches it between requests. A cold
prompt of a few hundred tokens takes seconds on two cores, and its jitter between runs outweighed the
decode difference of a few percent that every product pays.

`SHOPSCRIBE_ENGINE_SETTINGS` (JSON, e.g. {"flash_attn": "off", "n_threads": 2}) pre-fills the answer
and skips the measuring and the AMX probe: tests and the benchmark start with fresh data folders.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import time
from typing import Any

from desktop.core.engine.machine import cpu_info, machine_key
from desktop.core.errors import ShopscribeError

ENV = "SHOPSCRIBE_ENGINE_SETTINGS"


class Interrupted(ShopscribeError):
    """The measuring was stopped before it finished (the merchant started a generation)."""

    def __init__(self) -> None:
        super().__init__("The engine settings were not measured: stopped before the end.",
                         "引擎设置的测量在完成前被中止。")


_PREFIX = "engine.tuning:"
TYPICAL_ANSWER_TOKENS = 150  # what a product description writes; weighs decode against prompt time
DECODE_TOKENS = 48
ROUNDS = 3  # alternating rounds over the candidates


def preset() -> dict | None:
    """The settings forced by the environment, or None."""
    raw = os.environ.get(ENV)
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def thread_candidates() -> list[int]:
    cpu = cpu_info()
    return sorted({max(1, cpu["physical"]), max(1, cpu["logical"])})


def candidates() -> list[dict]:
    return [{"flash_attn": fa, "n_threads": n} for fa in ("on", "off") for n in thread_candidates()]


def _request_seconds(m: dict, answer_tokens: int = TYPICAL_ANSWER_TOKENS) -> float:
    return m["prompt_s"] + answer_tokens / max(m["decode_tps"], 1e-9)


def best(measurements: list[dict], answer_tokens: int = TYPICAL_ANSWER_TOKENS) -> dict:
    """The candidate with the shortest whole request: its prompt, then `answer_tokens` decoded."""
    return min(measurements, key=lambda m: _request_seconds(m, answer_tokens))


def measure_in_engine(engine_options: dict, requests: list, candidate_list: list[dict],
                      rounds: int = ROUNDS) -> list[dict]:
    """Run inside an engine host: each candidate loads a context and times a prompt and a short decode,
    in `rounds` alternating rounds. `requests`: products of one template; the first is read cold and
    the last is timed, with the prefix they share cached (one request: timed cold). Each candidate keeps
    its shortest prompt and its fastest decode over the rounds: noise only ever slows a run, and a
    passing spike in one round must not pick the slower setting. The model file stays mapped between
    loads."""
    from desktop.core.engine.interface import GenerationRequest
    from desktop.core.engine.local import LocalEngine

    first, timed = requests[0], requests[-1]
    best_runs: dict[int, dict] = {}
    for _ in range(max(1, rounds)):
        for n, cand in enumerate(candidate_list):
            options = {**engine_options, "flash_attn": cand["flash_attn"], "n_threads": cand["n_threads"],
                       "n_seq_max": 1}
            with LocalEngine(**options) as engine:
                warm = GenerationRequest(prompt="Hello", max_tokens=2, temperature=0)
                engine.generate(warm)
                engine.decoder.rollback()
                if len(requests) > 1:  # the template's first product: its prompt stays cached
                    engine.generate(GenerationRequest(messages=first.messages, prompt=first.prompt,
                                                      max_tokens=1, temperature=0))
                fixed = GenerationRequest(messages=timed.messages, prompt=timed.prompt,
                                          max_tokens=DECODE_TOKENS, temperature=0, ignore_eos=True)
                t0 = time.perf_counter()
                final = engine.generate(fixed)
                total = time.perf_counter() - t0
            prompt_s = final.ttft_s
            decode_tps = final.tokens_per_s or final.completion_tokens / max(total - prompt_s, 1e-9)
            kept = best_runs.setdefault(n, {**cand, "prompt_tokens": final.prompt_tokens,
                                            "cached_tokens": final.cached_tokens,
                                            "prompt_s": float("inf"), "decode_tps": 0.0})
            kept["prompt_s"] = round(min(kept["prompt_s"], prompt_s), 4)
            kept["decode_tps"] = round(max(kept["decode_tps"], decode_tps), 2)
    return [best_runs[n] for n in sorted(best_runs)]


# ----- memory -----------------------------------------------------------------------------------------------
def state_key(model_sha256: str) -> str:
    return f"{_PREFIX}{model_sha256[:16]}|{machine_key()}"


def load(model_sha256: str, db: Any | None = None) -> dict | None:
    from desktop.core.models.settings_store import open_settings

    with open_settings(db) as settings:
        value = settings.get(state_key(model_sha256))
    return value if isinstance(value, dict) and "flash_attn" in value else None


def save(model_sha256: str, measurements: list[dict], db: Any | None = None) -> dict:
    from desktop.core.models.settings_store import open_settings

    chosen = best(measurements)
    record = {"flash_attn": chosen["flash_attn"], "n_threads": chosen["n_threads"],
              "date": _dt.date.today().isoformat(), "measurements": measurements}
    with open_settings(db) as settings:
        settings.set(state_key(model_sha256), record)
    return record


def reset(model_sha256: str, db: Any | None = None) -> None:
    from desktop.core.models.settings_store import open_settings

    with open_settings(db) as settings:
        settings.delete(state_key(model_sha256))


def describe(record: dict | None, lang: str = "en") -> str:
    if not record:
        return "未测量（使用 llama.cpp 默认值）" if lang == "zh" else "not measured (llama.cpp's defaults)"
    fa = {"on": ("on", "开"), "off": ("off", "关")}.get(record["flash_attn"], (record["flash_attn"],) * 2)
    if lang == "zh":
        return f"Flash Attention {fa[1]}，{record['n_threads']} 个线程（{record.get('date', '')} 测得）"
    return f"flash attention {fa[0]}, {record['n_threads']} threads (measured {record.get('date', '')})"

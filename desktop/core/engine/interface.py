"""The engine interface: what the window, the command line, batch jobs and the benchmark ask of an
engine, and what it answers. Plain data and a Protocol, importable without loading llama.cpp (the
window imports this; only the engine host loads llama.cpp).

Implementations:
- `LocalEngine` (local.py): llama.cpp in this process. Only the engine host runs it.
- `HostEngine` (client.py): starts, supervises and restarts the engine host and talks to it over a
  pipe. The window and the command line use this one.

Everything above the interface works the same whichever implementation it holds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable


@dataclass
class GenerationRequest:
    """What to generate. Defaults suit copywriting on small models (the repetition penalty matters:
    tiny models loop without one)."""

    messages: list[dict] | None = None
    prompt: str | None = None  # an already formatted prompt; used instead of messages when set
    max_tokens: int = 512
    temperature: float = 0.7
    top_p: float = 0.9
    top_k: int = 40
    min_p: float = 0.05
    repeat_penalty: float = 1.15
    repeat_last_n: int = 64
    # llama.cpp's DRY sampler ("don't repeat yourself"): penalises a token that would extend a sequence
    # already seen in the text, growing with the length of the repeat (base ** (length - allowed)).
    # The repetition penalty alone punishes single tokens, so small models still loop on phrases.
    # 0 turns it off. Defaults suit short marketing copy: a repeated word pair is fine, a phrase is not.
    dry_multiplier: float = 0.8
    dry_base: float = 1.75
    dry_allowed_length: int = 2
    dry_penalty_last_n: int = -1  # how far back to look for repeats; -1 = the whole context
    seed: int | None = None
    grammar: str | None = None  # GBNF
    json_schema: dict | None = None  # held to by a grammar the engine builds (when `grammar` is not set)
    # With json_schema: the language (zh, en) whose script the JSON's strings are held to (the language
    # guard's retry of a structured answer; content/script_grammar.py)
    script: str | None = None
    stop: tuple[str, ...] = ()
    logit_bias: dict[int, float] | None = None  # token id -> bias added to its logit
    ignore_eos: bool = False  # ban end-of-generation tokens (fixed-length runs: the benchmark)

    @property
    def constrained(self) -> bool:
        return bool(self.grammar or self.json_schema)


DRY_SETTINGS = ("dry_multiplier", "dry_base", "dry_allowed_length", "dry_penalty_last_n")


def dry_settings(request: GenerationRequest) -> dict[str, float | int]:
    """The DRY settings a request ran with, as the history's sampling dict records them."""
    return {name: getattr(request, name) for name in DRY_SETTINGS}


@dataclass
class TextDelta:
    text: str
    seq: int = 0


@dataclass
class Finished:
    text: str
    prompt_tokens: int
    completion_tokens: int
    ttft_s: float
    tokens_per_s: float
    stop_reason: str  # "end", "length", "stop" (a stop string), "cancelled"
    total_s: float = 0.0
    cached_tokens: int = 0  # prompt tokens whose KV state was reused
    seq: int = 0
    extra: dict = field(default_factory=dict)


EventCallback = Callable[[TextDelta | Finished], None]


def check_fits(n_prompt: int, n_ctx: int) -> None:
    """Raise PromptTooLongError when a prompt of `n_prompt` tokens leaves no room to answer."""
    from desktop.core.errors import PromptTooLongError

    if n_prompt >= n_ctx - 1:
        raise PromptTooLongError(
            f"The prompt is {n_prompt} tokens but the model's context holds {n_ctx}. "
            "Shorten the product fields or raise the context length in Settings.",
            f"提示词有 {n_prompt} 个 token，但模型的上下文只能容纳 {n_ctx} 个。请缩短商品字段，"
            "或在设置中调大上下文长度。",
        )


def provenance(engine, finished: Finished | None = None) -> dict[str, Any]:
    """What the history records about the engine that wrote a result: the engine ("local", or a remote
    server's address), the model's id, path and sha256 (a remote model has neither path nor hash). A
    result from a pool of servers names its own server in `finished.extra`."""
    extra = finished.extra if finished is not None else {}
    where = extra.get("engine") or getattr(engine, "engine", "local")
    remote = where != "local"
    return {"engine": where, "model_id": extra.get("model") or engine.model_id,
            "model_path": None if remote else str(engine.model_path),
            "model_sha256": (engine.model_sha256 or None) if not remote else None}


@runtime_checkable
class Engine(Protocol):
    """One loaded model that generates text. Not thread-safe: one thread drives it; `cancel()` is the
    only call other threads may make."""

    model_id: str
    model_path: Path
    n_ctx: int
    n_seq_max: int

    def load(self) -> float:
        """Load the model (a no-op when loaded); returns the seconds it took."""

    def close(self) -> None: ...

    def stream(self, request: GenerationRequest) -> Iterator[TextDelta | Finished]:
        """Text deltas as they form (never a split character), then one `Finished`."""

    def generate(self, request: GenerationRequest) -> Finished: ...

    def generate_batch(self, requests: list[GenerationRequest],
                       on_event: EventCallback | None = None) -> list[Finished]:
        """Several requests as parallel sequences; events carry `seq`, the request's index."""

    def cancel(self) -> None:
        """Stop what is running within one token (or one prompt chunk). Safe from any thread."""

    def count_tokens(self, text: str) -> int: ...

    def count_prompt_tokens(self, request: GenerationRequest) -> int:
        """Tokens of the request's prompt as the model will see it (chat template applied)."""

    def check_fits(self, n_prompt: int) -> None:
        """Raise PromptTooLongError when a prompt of `n_prompt` tokens leaves no room to answer."""

    def info(self) -> dict[str, Any]:
        """What is loaded and how: model, context, threads, GPU layers, settings, safe mode."""

    @property
    def model_sha256(self) -> str: ...

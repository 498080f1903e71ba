"""What the engine is asked and what it answers: plain data, importable without loading llama.cpp
(the window imports these at start-up; llama.cpp itself loads on the engine thread)."""

from __future__ import annotations

from dataclasses import dataclass, field


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
    seed: int | None = None
    grammar: str | None = None  # GBNF, e.g. built from a JSON schema
    stop: tuple[str, ...] = ()
    ignore_eos: bool = False  # ban end-of-generation tokens (fixed-length runs: the benchmark)


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

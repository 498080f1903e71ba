"""Prompt prefix reuse: two requests from one template (a long shared system prompt and instructions)
that differ only in the product. The second one's time to first token, against the first one's."""

from __future__ import annotations

from desktop.core.bench import prompts
from desktop.core.bench.context import Bench
from desktop.core.bench.stats import Figure, Target, figure
from desktop.core.engine import GenerationRequest

# Something else the merchant generated before: shares only the chat template's first tokens.
UNRELATED = [{"role": "user", "content": "Say hello."}]


def shared_prefix_tokens(bench: Bench, a: str, b: str) -> int:
    ta, tb = bench.engine.tokenize(a), bench.engine.tokenize(b)
    n = 0
    while n < min(len(ta), len(tb)) and ta[n] == tb[n]:
        n += 1
    return n


def measure(bench: Bench) -> list[Figure]:
    engine = bench.engine
    reps = bench.config.short_repetitions
    bench.say(f"prefix reuse: time to first token, cold vs shared template prefix, x {reps}")
    first, second, cached = [], [], []
    shared = 0
    for rep in range(reps):
        a = prompts.PRODUCTS[(2 * rep) % len(prompts.PRODUCTS)]
        b = prompts.PRODUCTS[(2 * rep + 1) % len(prompts.PRODUCTS)]
        # the cache now holds something else
        engine.generate(GenerationRequest(messages=UNRELATED, max_tokens=1))
        one = engine.generate(GenerationRequest(messages=prompts.messages(a), max_tokens=1, seed=rep))
        two = engine.generate(GenerationRequest(messages=prompts.messages(b), max_tokens=1, seed=rep))
        first.append(one.ttft_s)
        second.append(two.ttft_s)
        cached.append(two.cached_tokens)
        shared = shared_prefix_tokens(bench, engine.format_messages(prompts.messages(a)),
                                      engine.format_messages(prompts.messages(b)))
    note = f"shared prefix {shared} tokens; second request reused {min(cached)}-{max(cached)} cached tokens"
    return [figure("prefix_reuse_ttft", [t * 1000 for t in second], "ms", "first request's TTFT (cold)",
                   [t * 1000 for t in first], Target("ratio", "<=", 0.3), note)]

"""Batched catalog generation: eight products of one template as parallel sequences in one context
(`Engine.generate_batch`), against the same eight generated one after another with the same engine.

Same seeds, and every output exactly `batch_tokens` long (end tokens banned), so both sides do the
same work; each side starts from a cache that holds something else. Throughput = generated tokens
/ wall-clock seconds, prompt processing included (it is part of the job).
"""

from __future__ import annotations

import time

from desktop.core.bench import prompts
from desktop.core.bench.context import Bench
from desktop.core.bench.prefix import UNRELATED
from desktop.core.bench.stats import Figure, Target, figure, interleaved, median
from desktop.core.engine import GenerationRequest


def catalog_requests(size: int, n_tokens: int) -> list[GenerationRequest]:
    return [
        GenerationRequest(messages=prompts.messages(prompts.PRODUCTS[i % len(prompts.PRODUCTS)]),
                          max_tokens=n_tokens, seed=1000 + i, ignore_eos=True)
        for i in range(size)
    ]


def step_ms(bench: Bench, k: int, steps: int = 16) -> float:
    """Median milliseconds of one llama_decode of k tokens from k sequences after a shared prompt:
    what batching can gain on this machine, independent of our code."""
    engine = bench.engine
    tokens = engine.tokenize(engine.format_messages(prompts.messages(prompts.PRODUCTS[0])))
    engine.generate(GenerationRequest(prompt=engine.format_messages(prompts.messages(prompts.PRODUCTS[0])),
                                      max_tokens=1))  # sequence 0 now holds the prompt
    decoder = engine.decoder
    for seq in range(1, k):
        decoder.seq_cp(0, seq)
    times = []
    try:
        for step in range(steps):
            decoder.fill([(tokens[-1], len(tokens) + step, seq, True) for seq in range(k)])
            t0 = time.perf_counter()
            decoder.decode()
            times.append(time.perf_counter() - t0)
    finally:
        decoder.rollback()
    return median(times) * 1000


def measure(bench: Bench) -> list[Figure]:
    engine = bench.engine
    size, n = bench.config.batch_size, bench.config.batch_tokens
    reps = bench.config.repetitions
    requests = catalog_requests(size, n)
    bench.say(f"batch: {size} products x {n} tokens, generate_batch vs one after another, x {reps}")
    lengths: dict[str, list[int]] = {"batched": [], "sequential": []}

    def cold() -> None:
        engine.generate(GenerationRequest(messages=UNRELATED, max_tokens=1))

    def batched() -> float:
        cold()
        t0 = time.perf_counter()
        results = engine.generate_batch(requests)
        seconds = time.perf_counter() - t0
        lengths["batched"] += [r.completion_tokens for r in results]
        return sum(r.completion_tokens for r in results) / seconds

    def sequential() -> float:
        cold()
        t0 = time.perf_counter()
        results = [engine.generate(r) for r in requests]
        seconds = time.perf_counter() - t0
        lengths["sequential"] += [r.completion_tokens for r in results]
        return sum(r.completion_tokens for r in results) / seconds

    samples = interleaved({"batched": batched, "sequential": sequential}, reps)
    uneven = {k: sorted(set(v)) for k, v in lengths.items() if set(v) != {n}}
    one, many = step_ms(bench, 1), step_ms(bench, size)
    note = (f"{size} sequences x {n} tokens, threads {bench.n_threads}; one llama_decode step: 1 token "
            f"{one:.1f} ms, {size} tokens {many:.1f} ms ({many / one:.2f}x): the ceiling of the "
            f"decode speed-up is {size * one / many:.2f}x")
    if uneven:
        note += f"; output lengths differ from {n}: {uneven}"
    return [figure(f"batch_catalog_{size}", samples["batched"], "tok/s",
                   "the same requests one after another",
                   samples["sequential"], Target("ratio", ">=", 2.5), note)]

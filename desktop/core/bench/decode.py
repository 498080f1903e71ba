"""Decode speed: the engine's streaming path against llama.cpp's C API and llama-cpp-python.

All three decode the same prompt tokens with the same sampler chain (repetition penalty, top-k,
top-p, min-p, temperature, seeded draw), the same threads and context size, and generate exactly
`n` tokens: end-of-generation tokens get a -inf logit bias on every side, as llama.cpp's
`--ignore-eos` does. The rate is (n - 1) / (time from the first sampled token to the last), so the
prompt is left out and every side pays for n - 1 decode+sample steps.
"""

from __future__ import annotations

import gc
import time

import llama_cpp
from llama_cpp import _internals as internals

from desktop.core.bench import prompts
from desktop.core.bench.context import Bench
from desktop.core.bench.rawloop import RawLoop, Sampling, quiet_llama_logs
from desktop.core.bench.stats import Figure, Target, figure, interleaved
from desktop.core.engine import Finished, GenerationRequest

UNIT = "tok/s"
REF_RAW = "llama.cpp C API loop (llama_decode + native sampler chain)"
REF_HIGH = "llama-cpp-python Llama.generate"


def request_for(prompt: str, n: int, s: Sampling) -> GenerationRequest:
    return GenerationRequest(
        prompt=prompt, max_tokens=n, temperature=s.temperature, top_k=s.top_k, top_p=s.top_p,
        min_p=s.min_p, repeat_penalty=s.repeat_penalty, repeat_last_n=s.repeat_last_n, seed=s.seed,
        ignore_eos=True,
    )


def engine_rate(bench: Bench, prompt: str, n: int, s: Sampling) -> tuple[float, int]:
    """(tok/s, tokens generated) through Engine.stream, consuming every event as the UI would."""
    final = None
    for event in bench.engine.stream(request_for(prompt, n, s)):
        if isinstance(event, Finished):
            final = event
    steps = final.completion_tokens - 1
    span = final.total_s - final.ttft_s
    return (steps / span if steps > 0 and span > 0 else 0.0), final.completion_tokens


class _LlamaIgnoringEos(llama_cpp.Llama):
    """`Llama` whose own sampler chain starts with the same native end-token ban as the others
    (a Python logits processor would add per-token work that the reference does not do)."""

    eog: list[int] = []

    def _init_sampler(self, *args, **kwargs):
        inner = super()._init_sampler(*args, **kwargs)
        chain = internals.LlamaSampler()
        chain.add_logit_bias(self._n_vocab, {t: float("-inf") for t in self.eog})
        while llama_cpp.llama_sampler_chain_n(inner.sampler) > 0:  # move llama's samplers over
            llama_cpp.llama_sampler_chain_add(chain.sampler, llama_cpp.llama_sampler_chain_remove(inner.sampler, 0))
        return chain


def high_level_rate(llm: llama_cpp.Llama, tokens: list[int], n: int, s: Sampling) -> tuple[float, int]:
    llm.set_seed(s.seed)
    count, t_first = 0, 0.0
    for _token in llm.generate(tokens, top_k=s.top_k, top_p=s.top_p, min_p=s.min_p, temp=s.temperature,
                               repeat_penalty=s.repeat_penalty):
        count += 1
        if count == 1:
            t_first = time.perf_counter()
        if count >= n:
            break
    span = time.perf_counter() - t_first
    return ((count - 1) / span if count > 1 and span > 0 else 0.0), count


def measure(bench: Bench) -> list[Figure]:
    n = bench.config.decode_tokens
    reps = bench.config.short_repetitions
    s = Sampling()
    prompt = bench.engine.format_messages(prompts.messages(prompts.PRODUCTS[0]))
    bench.say(f"decode: {n} tokens x {reps}, {bench.n_threads} threads: engine, llama.cpp loop, Llama.generate")
    raw = RawLoop(bench.model_path, n_ctx=bench.n_ctx, n_threads=bench.n_threads, n_batch=bench.engine.n_batch)
    llm = None
    try:
        tokens = raw.tokenize(prompt)
        _LlamaIgnoringEos.eog = bench.engine.eog_tokens()
        llm = _LlamaIgnoringEos(
            model_path=str(bench.model_path), n_ctx=bench.n_ctx, n_threads=bench.n_threads,
            n_threads_batch=bench.n_threads, n_batch=bench.engine.n_batch, verbose=False,
        )
        quiet_llama_logs()
        counts: dict[str, list[int]] = {"engine": [], "raw": [], "high": []}

        def run(key, fn):
            def once() -> float:
                rate, got = fn()
                counts[key].append(got)
                return rate
            return once

        samples = interleaved({
            "engine": run("engine", lambda: engine_rate(bench, prompt, n, s)),
            "raw": run("raw", lambda: (lambda r: (r.tokens_per_s, len(r.tokens)))(raw.generate(tokens, n, s))),
            "high": run("high", lambda: high_level_rate(llm, tokens, n, s)),
        }, reps)
    finally:
        raw.close()
        if llm is not None:
            llm.close()
        gc.collect()
    short = {k: v for k, v in counts.items() if any(c != n for c in v)}
    note = f"{n} tokens per run, prompt {len(tokens)} tokens" + (f"; token counts differ: {short}" if short else "")
    return [
        figure("decode_vs_llama_cpp", samples["engine"], UNIT, REF_RAW, samples["raw"],
               Target("ratio", ">=", 0.95), note),
        figure("decode_vs_llama_cpp_python", samples["engine"], UNIT, REF_HIGH, samples["high"],
               Target("ratio", ">=", 1.0), note),
    ]

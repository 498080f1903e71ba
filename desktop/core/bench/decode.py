"""Decode speed: what merchants get (the engine host, its events consumed as the window consumes them)
against llama.cpp's C API and llama-cpp-python, each reference at its fastest settings on this machine.

All three decode the same prompt tokens with the same sampling (repetition penalty, top-k, top-p, min-p,
temperature, seeded draw) and context size, and generate exactly `n` tokens: end-of-generation tokens
get a -inf logit bias on every side, as llama.cpp's `--ignore-eos` does. The references run llama.cpp's
own samplers for all of it; the engine applies the bias and the penalty itself before llama.cpp's chain
(engine/sampling.py), with the same arithmetic and the same texts for the same seed (tests check both).
The rate is (n - 1) / (time from the first sampled token to the last), so the prompt is left out and
every side pays for n - 1 decode+sample steps. Our engine runs with the settings the app uses on
this machine (tuned, see engine/tuning.py); each reference with the fastest of its candidate
settings, found in the same run (references.py).

Also here: what the engine host adds to the time to first token, against the same engine in this
process (`host_ttft_overhead`).
"""

from __future__ import annotations

import gc
import time

import llama_cpp
from llama_cpp import _internals as internals

from desktop.core.bench import prompts, references
from desktop.core.bench.context import Bench
from desktop.core.bench.hostpath import consume
from desktop.core.bench.rawloop import RawLoop, Sampling, quiet_llama_logs
from desktop.core.bench.stats import Figure, Target, figure, interleaved, median
from desktop.core.engine import GenerationRequest, priority

UNIT = "tok/s"
REF_RAW = "llama.cpp C API loop at its fastest settings"
REF_HIGH = "llama-cpp-python Llama.generate at its fastest settings"


def request_for(prompt: str, n: int, s: Sampling) -> GenerationRequest:
    return GenerationRequest(
        prompt=prompt, max_tokens=n, temperature=s.temperature, top_k=s.top_k, top_p=s.top_p,
        min_p=s.min_p, repeat_penalty=s.repeat_penalty, repeat_last_n=s.repeat_last_n, seed=s.seed,
        # the references' chains have no DRY: the same chain on every side
        ignore_eos=True, dry_multiplier=0.0,
    )


def engine_rate(engine, prompt: str, n: int, s: Sampling) -> tuple[float, int]:
    """(tok/s, tokens generated) through `engine.stream`, its events consumed as the window does."""
    run = consume(engine, request_for(prompt, n, s))
    return run.decode_rate, run.finished.completion_tokens


class _LlamaIgnoringEos(llama_cpp.Llama):
    """`Llama` whose own sampler chain starts with the same native end-token ban as the others
    (a Python logits processor would add per-token work that the reference does not do)."""

    eog: list[int] = []

    def _init_sampler(self, *args, **kwargs):
        inner = super()._init_sampler(*args, **kwargs)
        chain = internals.LlamaSampler()
        chain.add_logit_bias(self._n_vocab, {t: float("-inf") for t in self.eog})
        while llama_cpp.llama_sampler_chain_n(inner.sampler) > 0:  # move llama's samplers over
            llama_cpp.llama_sampler_chain_add(chain.sampler,
                                              llama_cpp.llama_sampler_chain_remove(inner.sampler, 0))
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
    config = bench.config
    n, reps = config.decode_tokens, config.short_repetitions
    s = Sampling()
    engine = bench.engine
    prompt = engine.format_messages(prompts.messages(prompts.PRODUCTS[0]))
    tokens = engine.tokenize(prompt)
    quiet_llama_logs()
    # The references run llama.cpp in this process: load the CPU backend the engine host uses (with the
    # portable build nothing is loaded until then, and llama.cpp "could not load" the model).
    from desktop.core.engine.backends import ensure_cpu_backend

    ensure_cpu_backend(engine.info().get("cpu_variant"))
    eog = engine_eog(bench)
    candidates = references.settings_candidates()

    bench.say(f"decode: the C-API loop at {len(candidates)} settings x {config.sweep_runs}")
    raw_sweep, raw = references.sweep(
        lambda c: RawLoop(bench.model_path, n_ctx=bench.n_ctx, n_threads=c["n_threads"],
                          n_batch=bench.n_batch,
                          flash_attn=c["flash_attn"]),
        lambda r: r.generate(tokens, config.sweep_tokens, s).tokens_per_s, candidates, config.sweep_runs,
        close=lambda r: r.close())
    llm = None
    try:
        bench.say(f"decode: Llama.generate at {len(candidates)} settings x {config.sweep_runs}")
        _LlamaIgnoringEos.eog = eog
        high_sweep, llm = references.sweep(
            lambda c: _LlamaIgnoringEos(model_path=str(bench.model_path), n_ctx=bench.n_ctx,
                                        n_threads=c["n_threads"], n_threads_batch=c["n_threads"],
                                        n_batch=bench.n_batch, flash_attn=c["flash_attn"] == "on",
                                        verbose=False),
            lambda m: high_level_rate(m, tokens, config.sweep_tokens, s)[0], candidates, config.sweep_runs,
            close=lambda m: m.close())
        quiet_llama_logs()
        # Where a reference's fastest setting is not ours, the same engine runs at it too: what is left
        # between it and the reference is the engine's own cost, the rest is the setting's.
        ours_settings = {"flash_attn": bench.flash_attn, "n_threads": bench.n_threads}
        theirs = references.differing(ours_settings, [raw_sweep.best, high_sweep.best])
        bench.say(f"decode: {n} tokens x {reps}, alternately: engine host, the same host at normal priority, "
                  f"the same engine in this process, C-API loop, Llama.generate"
                  + "".join(f", the same engine at {references.describe(c)}" for c in theirs))
        local = in_process_engine(bench)
        normal = None
        at_theirs: dict[str, object] = {}
        counts: dict[str, list[int]] = {k: [] for k in ("engine", "normal", "local", "raw", "high")}

        def run(key, fn):
            def once() -> float:
                rate, got = fn()
                counts[key].append(got)
                return rate
            return once

        try:
            normal = host_at_normal_priority(bench)
            for i, settings in enumerate(theirs):
                at_theirs[f"local {i}"] = in_process_engine(bench, settings)
                counts[f"local {i}"] = []
            samples = interleaved({
                "engine": run("engine", lambda: engine_rate(engine, prompt, n, s)),
                "normal": run("normal", lambda: engine_rate(normal, prompt, n, s)),
                "local": run("local", lambda: engine_rate(local, prompt, n, s)),
                "raw": run("raw",
                           lambda: (lambda r: (r.tokens_per_s, len(r.tokens)))(raw.generate(tokens, n, s))),
                "high": run("high", lambda: high_level_rate(llm, tokens, n, s)),
                **{k: run(k, lambda e=e: engine_rate(e, prompt, n, s)) for k, e in at_theirs.items()},
            }, reps)
        finally:
            local.close()
            if normal is not None:
                normal.close()
            for other in at_theirs.values():
                other.close()
    finally:
        raw.close()
        if llm is not None:
            llm.close()
        gc.collect()
    short = {k: v for k, v in counts.items() if any(c != n for c in v)}
    ours = bench.settings.get("describe") or references.describe(
        {"flash_attn": bench.flash_attn, "n_threads": bench.n_threads})
    base = (f"{n} tokens per run, prompt {len(tokens)} tokens, {reps} alternating runs; engine host "
            f"consumed as the window does, {ours}")
    if short:
        base += f"; token counts differ: {short}"
    here, at_normal, loop, high = (median(samples[k]) for k in ("local", "normal", "raw", "high"))
    if loop > 0 and high > 0:
        base += (f"; the same engine in this process, consumed the same way: {here:.1f} tok/s, "
                 f"{here / loop:.3f}x the loop and {here / high:.3f}x Llama; the same engine host at normal "
                 f"priority ({priority.ENV}=normal): {at_normal:.1f} tok/s, {at_normal / loop:.3f}x the loop "
                 f"and {at_normal / high:.3f}x Llama (from the engine in this process to that host: the "
                 f"host's pipe and process; from that host to the figure: its running below the window)")

    def at_best(best: dict) -> str:
        """The engine in this process at this reference's fastest setting, where that is not ours."""
        i = next((i for i, c in enumerate(theirs) if references.same(c, best)), None)
        if i is None or not loop or not high:
            return ""
        there = median(samples[f"local {i}"])
        return (f"; the same engine in this process at this reference's fastest setting "
                f"({references.describe(best)}): {there:.1f} tok/s, {there / loop:.3f}x the loop and "
                f"{there / high:.3f}x Llama")

    return [
        figure("decode_vs_llama_cpp", samples["engine"], UNIT, REF_RAW, samples["raw"],
               Target("ratio", ">=", 0.95),
               f"{base}{at_best(raw_sweep.best)}; the loop's fastest: "
               f"{references.describe(raw_sweep.best)} (tried: "
               f"{raw_sweep.summary()})"),
        figure("decode_vs_llama_cpp_python", samples["engine"], UNIT, REF_HIGH, samples["high"],
               Target("ratio", ">=", 1.0),
               f"{base}{at_best(high_sweep.best)}; Llama's fastest: "
               f"{references.describe(high_sweep.best)} (tried: "
               f"{high_sweep.summary()})"),
        *host_overhead(bench),
    ]


def engine_eog(bench: Bench) -> list[int]:
    """The model's end-of-generation tokens, read in this process (the references ban them too)."""
    from llama_cpp import _internals

    params = llama_cpp.llama_model_default_params()
    params.vocab_only = True
    model = _internals.LlamaModel(path_model=str(bench.model_path), params=params, verbose=False)
    try:
        vocab = model.vocab
        return [t for t in range(model.n_vocab()) if llama_cpp.llama_vocab_is_eog(vocab, t)]
    finally:
        model.close()


def host_at_normal_priority(bench: Bench):
    """Another engine host with the benchmarked host's settings, but at normal priority: the app's host
    runs below the window (engine/priority.py), and the window's wake-ups (here, the consuming threads)
    take a core from it at once. Measured beside it, that choice's price shows."""
    from desktop.core.engine.client import HostEngine

    info = bench.engine.info()
    host = HostEngine(bench.model_path, host_env={priority.ENV: "normal"},
                      **{k: info[k] for k in ("n_ctx", "n_threads", "flash_attn") if k in info})
    host.load()
    got = host.info()
    differ = [k for k in ("cpu_variant", "flash_attn", "n_threads", "use_extra_bufts", "n_gpu_layers")
              if got.get(k) != info.get(k)]
    if differ:
        host.close()
        raise RuntimeError(f"the host at normal priority is set up unlike the benchmarked one: {differ}")
    return host


def in_process_engine(bench: Bench, settings: dict | None = None):
    """The engine the host runs, with the host's settings (or `settings`' flash attention and threads),
    loaded in this process: what the pipe to the engine host costs shows against it."""
    from desktop.core.engine.local import LocalEngine

    info = bench.engine.info()
    options = {k: info[k] for k in ("n_ctx", "n_threads", "n_batch", "n_seq_max", "flash_attn",
                                    "use_extra_bufts")
               if k in info}
    options.update(settings or {})
    local = LocalEngine(bench.model_path, model_id=bench.engine.model_id, **options)
    local.load()
    return local


def host_overhead(bench: Bench) -> list[Figure]:
    """Time to first token through the engine host against the same engine, same settings, in this
    process; both consumed as the window does. Each request follows another product of the same
    template, so both reuse the template's prefix and evaluate their own product, as in the app."""
    from desktop.core.engine.backends import ensure_cpu_backend

    reps = bench.config.short_repetitions
    ensure_cpu_backend(bench.engine.info().get("cpu_variant"))
    bench.say(f"host: time to first token, engine host vs in process, x {reps}")
    local = in_process_engine(bench)
    try:
        def ttft(engine, rep: int) -> float:
            before = prompts.PRODUCTS[(2 * rep) % len(prompts.PRODUCTS)]
            after = prompts.PRODUCTS[(2 * rep + 1) % len(prompts.PRODUCTS)]
            engine.generate(GenerationRequest(messages=prompts.messages(before), max_tokens=1, seed=rep))
            return consume(engine, GenerationRequest(messages=prompts.messages(after), max_tokens=2, seed=rep,
                                                     ignore_eos=True)).ttft_s * 1000

        host, here = [], []
        for rep in range(reps):
            host.append(ttft(bench.engine, rep))
            here.append(ttft(local, rep))
    finally:
        local.close()
    added = [h - lo for h, lo in zip(host, here)]
    note = (f"median of {reps} paired differences; TTFT through the host {median(host):.1f} ms, in process "
            f"{median(here):.1f} ms (a product after another of the same template, as in the app)")
    return [Figure("host_ttft_overhead", median(added), "ms", "the same engine in this process (its TTFT)",
                   median(here), Target("value", "<=", 10, "ms"), note, samples=added,
                   reference_samples=here)]

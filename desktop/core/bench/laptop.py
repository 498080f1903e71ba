"""Catalog batches on a laptop-class model: what merchants with a 1.5B model get from the parallel path.

The embedded 135M model is compute-bound on a CPU (eight tokens per step cost almost five single
steps), so batching cannot pay there. Merchants run 1.5B-3B models, which are memory-bound: eight
sequences share each pass over the weights. No such model can be downloaded here, so the benchmark
writes one (synthetic.py: the embedded tokenizer, a Qwen2.5-1.5B-like body, random Q4_0 weights);
every figure's note says so.

- `batch_catalog_8_laptop`: 8 products of one built-in template (its real prompt, 150 tokens each)
  through the engine host's parallel path, against the same 8 one after another through the same
  engine; each side starts from a cache holding something else; tokens / wall-clock seconds,
  prompts included.
- `catalog_1000_laptop_min`: 1,000 products projected from those measured groups of 8; the note
  gives the one-after-another projection.
- `prompt_laptop`: prompt tokens per second (a cold prompt of the template).
- `memory_rss_beyond_model_laptop`: the engine host's resident memory after the batches, minus the
  model file.
"""

from __future__ import annotations

import time

from desktop.core.bench import prompts, synthetic
from desktop.core.bench.context import Bench
from desktop.core.bench.prefix import UNRELATED
from desktop.core.bench.stats import NO_TARGET, Figure, Target, figure, interleaved, median
from desktop.core.engine import GenerationRequest

TEMPLATE = "generic-product-description"
MB = 1024 * 1024


def catalog_requests(size: int, n_tokens: int, start: int = 0) -> list[GenerationRequest]:
    """`size` products of the template's real prompt, each exactly `n_tokens` long (end tokens banned)."""
    requests = []
    for i in range(start, start + size):
        product = dict(prompts.PRODUCT_FIELDS[i % len(prompts.PRODUCT_FIELDS)])
        if i >= len(prompts.PRODUCT_FIELDS):
            product["notes"] = f"catalog item {i + 1}"
        messages, _schema = prompts.template_messages(TEMPLATE, product, "en")
        requests.append(GenerationRequest(messages=messages, max_tokens=n_tokens, seed=1000 + i,
                                          ignore_eos=True))
    return requests


def open_laptop_engine(bench: Bench, path):
    """An engine host on the synthetic model, set up as the app would: the settings measured for it on
    this machine (tuned here unless the environment pre-fills them), `n_seq_max` 8."""
    from desktop.core.engine import tuning
    from desktop.core.engine.client import HostEngine

    engine = HostEngine(path, model_sha256=synthetic.pseudo_sha256(path))
    how = "pre-filled by " + tuning.ENV if tuning.preset() is not None else "remembered"
    if tuning.preset() is None and (bench.config.quick or tuning.load(engine.model_sha256) is None):
        if bench.config.quick:
            how = "llama.cpp defaults (quick run: not tuned)"
        else:
            bench.say("laptop: measuring flash attention and threads for the synthetic model (as "
                      "the app does)")
            engine.tune(catalog_requests(2, bench.config.laptop_tokens))
            how = "tuned in this run"
    engine.load()
    return engine, how


def measure(bench: Bench) -> list[Figure]:
    config = bench.config
    shape, n, size, reps = config.laptop_shape, config.laptop_tokens, config.catalog_size, config.repetitions
    bench.say(f"laptop: the synthetic {shape.name} model (written once, then cached)")
    path = synthetic.ensure_model(shape)
    model_mb = path.stat().st_size / MB
    engine, how = open_laptop_engine(bench, path)
    try:
        info = engine.info()
        requests = catalog_requests(size, n)
        tokens_each = size * n
        lengths: dict[str, list[int]] = {"batched": [], "sequential": []}
        seconds: dict[str, list[float]] = {"batched": [], "sequential": []}
        prompt_s: dict[str, list[float]] = {"batched": [], "sequential": []}  # the group's prompt reading
        prompt_rates: list[float] = []

        def cold() -> None:
            engine.generate(GenerationRequest(messages=UNRELATED, max_tokens=1))

        def batched() -> float:
            cold()
            t0 = time.perf_counter()
            results = engine.generate_batch(requests, lambda _event: None)
            took = time.perf_counter() - t0
            lengths["batched"] += [r.completion_tokens for r in results]
            seconds["batched"].append(took)
            prompt_s["batched"].append(min(r.ttft_s for r in results))  # the prompts are read together
            return sum(r.completion_tokens for r in results) / took

        def sequential() -> float:
            cold()
            t0 = time.perf_counter()
            results = [engine.generate(r) for r in requests]
            took = time.perf_counter() - t0
            lengths["sequential"] += [r.completion_tokens for r in results]
            seconds["sequential"].append(took)
            prompt_s["sequential"].append(sum(r.ttft_s for r in results))
            first = results[0]  # a cold prompt: the whole template evaluated
            prompt_rates.append(first.prompt_tokens / first.ttft_s if first.ttft_s > 0 else 0.0)
            return sum(r.completion_tokens for r in results) / took

        bench.say(f"laptop: {size} products x {n} tokens, parallel vs one after another, x {reps}")
        samples = interleaved({"batched": batched, "sequential": sequential}, reps)
        stats = engine.stats()
        host_rss_mb = stats["rss_bytes"] / MB
        prompt_tokens = engine.count_prompt_tokens(requests[0])
        prompt_text = engine.format_messages(requests[0].messages)
    finally:
        engine.close()
    one, many = _step_costs(bench, path, size, info, prompt_text)
    uneven = {k: sorted(set(v)) for k, v in lengths.items() if set(v) != {n}}
    synthetic_note = (f"synthetic model: {shape.name} body ({shape.n_layer} layers, {shape.n_embd} "
                      f"wide), the embedded tokenizer, random Q4_0 weights, {model_mb:.0f} MB; its "
                      "text is noise")
    settings = f"flash attention {info.get('flash_attn')}, {info.get('n_threads')} threads ({how})"
    batch_note = (f"{synthetic_note}; {size} products of {TEMPLATE} ({prompt_tokens} prompt tokens "
                  f"each) x {n} tokens, {tokens_each} tokens per side, {reps} alternating runs; {settings}; "
                  f"one llama_decode step: 1 token {one:.1f} ms, {size} tokens {many:.1f} ms, so the "
                  f"decode speed-up cannot pass {size * one / many:.2f}x; "
                  + _prompt_bound(prompt_s, seconds, size, n, one, many))
    if uneven:
        batch_note += f"; output lengths differ from {n}: {uneven}"
    groups = config.catalog_products / size
    batched_min = groups * median(seconds["batched"]) / 60
    sequential_min = groups * median(seconds["sequential"]) / 60
    catalog_note = (f"{synthetic_note}; {config.catalog_products:,} products = {groups:.0f} groups "
                    f"of {size}, each group measured from a cold cache ({median(seconds['batched']):.1f} s); "
                    f"one after another it projects to {sequential_min:.0f} min; {settings}")
    return [
        figure("batch_catalog_8_laptop" if size == 8 else f"batch_catalog_{size}_laptop",
               samples["batched"], "tok/s",
               "the same products one after another", samples["sequential"], Target("ratio", ">=", 4.0),
               batch_note),
        Figure("catalog_1000_laptop_min", batched_min, "min",
               "the same products one after another (projected)",
               sequential_min, Target("value", "<=", 90, "min"), catalog_note,
               samples=[groups * s / 60 for s in seconds["batched"]],
               reference_samples=[groups * s / 60 for s in seconds["sequential"]]),
        figure("prompt_laptop", prompt_rates, "tok/s", "", [], NO_TARGET,
               f"{synthetic_note}; the first product's whole prompt ({prompt_tokens} tokens) from a "
               f"cold cache; {settings}"),
        Figure("memory_rss_beyond_model_laptop", host_rss_mb - model_mb, "MB", "", None, NO_TARGET,
               f"{synthetic_note}; the engine host's resident memory after the batches ({host_rss_mb:.0f} "
               f"MB) minus the model file; context {info.get('n_ctx')} tokens, "
               f"{info.get('n_seq_max')} sequences"),
    ]


def _prompt_bound(prompt_s: dict, seconds: dict, size: int, n: int, one_ms: float, many_ms: float) -> str:
    """What reading the prompts leaves of that bound: both sides read the same prompt tokens (the shared
    prefix once, each product's own part), and reading a prompt is compute-bound, so batching barely
    shortens it. Times to first token, medians of the runs."""
    batched, sequential = median(prompt_s["batched"]), median(prompt_s["sequential"])
    steps = max(n - 1, 0)  # the first token of each answer comes from its prompt's last step
    bound = (sequential + size * steps * one_ms / 1000) / max(batched + steps * many_ms / 1000, 1e-9)
    return (f"the prompts took {batched:.2f} s of the parallel group's {median(seconds['batched']):.2f} s "
            f"and {sequential:.2f} s of the {median(seconds['sequential']):.2f} s one after another, so "
            f"with them the speed-up cannot pass {bound:.2f}x")


def _step_costs(bench: Bench, path, k: int, info: dict, prompt_text: str) -> tuple[float, float]:
    """One decode step of 1 and of k sequences on the raw C API, with the engine's settings."""
    from desktop.core.bench.rawloop import RawLoop
    from desktop.core.engine.backends import ensure_cpu_backend

    ensure_cpu_backend(info.get("cpu_variant"))  # llama.cpp in this process needs its CPU backend
    with RawLoop(path, n_ctx=int(info.get("n_ctx") or 4096), n_threads=int(info.get("n_threads") or 2),
                 n_batch=int(info.get("n_batch") or 512), flash_attn=str(info.get("flash_attn") or "auto"),
                 n_seq_max=k) as raw:
        prompt = raw.tokenize(prompt_text)
        steps = 4 if bench.config.quick else 8
        return raw.step_ms(prompt, 1, steps), raw.step_ms(prompt, k, steps)

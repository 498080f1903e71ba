"""Structured output: most built-in templates (14 of 21) write JSON through the grammar sampler, so that
is the decode path merchants run most. A structured template's real prompt, decoded through the engine
host with its JSON schema, against plain decoding of the same prompt for the same number of tokens
(end tokens banned), both consumed as the window does, alternately.
"""

from __future__ import annotations

from desktop.core.bench import prompts
from desktop.core.bench.context import Bench
from desktop.core.bench.hostpath import consume
from desktop.core.bench.stats import Figure, Target, figure
from desktop.core.engine import GenerationRequest

TEMPLATE = "amazon-listing"  # title, five bullets, description: a long JSON answer


def structured_templates() -> list[str]:
    from desktop.core.content.templates import load_builtin_templates

    return sorted(tid for tid, t in load_builtin_templates().items() if t.structured)


def measure(bench: Bench) -> list[Figure]:
    engine, config = bench.engine, bench.config
    reps = config.short_repetitions
    messages, schema = prompts.template_messages(TEMPLATE, prompts.PRODUCT_FIELDS[0], "en")
    bench.say(f"grammar: {TEMPLATE} through the grammar sampler vs plain decode of the same length, x {reps}")
    structured, plain, lengths, valid = [], [], [], 0
    for rep in range(reps):
        seed = 7 + rep
        run = consume(engine,
                      GenerationRequest(messages=messages, max_tokens=config.grammar_tokens, seed=seed,
                                                json_schema=schema))
        n = run.finished.completion_tokens
        lengths.append(n)
        valid += _is_json(run.text)
        same = consume(engine, GenerationRequest(messages=messages, max_tokens=n, seed=seed, ignore_eos=True))
        if same.finished.completion_tokens != n:
            raise RuntimeError(f"plain decode wrote {same.finished.completion_tokens} tokens, not {n}")
        structured.append(run.decode_rate)
        plain.append(same.decode_rate)
    note = (f"template {TEMPLATE} (one of {len(structured_templates())} structured built-ins), its JSON "
            f"schema as a grammar; {min(lengths)}-{max(lengths)} tokens per run, {valid} of {reps} answers "
            f"complete JSON; plain decode of the same prompt for the same number of tokens; {reps} "
            "alternating pairs")
    return [figure("decode_grammar", structured, "tok/s", "plain decode, same prompt and length", plain,
                   Target("ratio", ">=", 0.9), note)]


def _is_json(text: str) -> bool:
    import json

    try:
        json.loads(text)
    except ValueError:
        return False
    return True

"""Grammar-constrained sampling: the fast path samples exactly like the plain chain when the grammar
allows the choice, and the constrained resample keeps every output inside the grammar."""

import json

import pytest
from llama_cpp.llama_grammar import json_schema_to_gbnf

from desktop.core.engine import GenerationRequest

pytestmark = pytest.mark.model

MESSAGES = [{"role": "user", "content": "Say hello to a shop owner."}]


@pytest.mark.parametrize("temperature", [0.0, 0.8])
def test_a_grammar_that_allows_everything_changes_nothing(engine, temperature):
    plain = engine.generate(GenerationRequest(messages=MESSAGES, max_tokens=30, seed=5,
                                              temperature=temperature))
    allowed = engine.generate(GenerationRequest(messages=MESSAGES, max_tokens=30, seed=5,
                                                temperature=temperature,
                                                grammar="root ::= [^\\x00]*"))
    assert allowed.text == plain.text


def test_a_restrictive_grammar_holds_the_output_to_it(engine):
    # The model would never start with "yes." on its own: every step goes through the resample path.
    final = engine.generate(GenerationRequest(messages=MESSAGES, max_tokens=8, seed=2,
                                              grammar='root ::= ("yes" | "no") "."'))
    assert final.text in {"yes.", "no."}


def test_json_schema_grammar_gives_parseable_json_with_the_required_keys(engine):
    schema = {"type": "object", "required": ["title", "tags"],
              "properties": {"title": {"type": "string"},
                             "tags": {"type": "array", "items": {"type": "string"}}}}
    ended = 0
    for seed in range(3):
        final = engine.generate(GenerationRequest(
            messages=[{"role": "user", "content": "Title and tags for a steel bottle, as JSON."}],
            max_tokens=160, seed=seed, grammar=json_schema_to_gbnf(json.dumps(schema))))
        if final.stop_reason == "end":  # a length stop may cut the JSON; the grammar cannot prevent that
            ended += 1
            assert set(json.loads(final.text)) == {"title", "tags"}
    assert ended >= 1


def test_an_invalid_grammar_is_a_clear_error(engine):
    from desktop.core.errors import ShopscribeError

    with pytest.raises(ShopscribeError, match="grammar"):
        engine.generate(GenerationRequest(messages=MESSAGES, max_tokens=4, grammar="root ::= (unclosed"))


# ----- DRY ("don't repeat yourself") -----------------------------------------------------------------------
LOOPS = [{"role": "user", "content": "List 10 selling points for a cotton t-shirt."}]


def test_the_chain_holds_dry_when_asked_and_not_when_off(local_engine):
    from desktop.core.engine.sampling import build_chain, chain_names

    n_vocab = local_engine._model.n_vocab()
    on = build_chain(GenerationRequest(prompt="x", temperature=0), n_vocab, local_engine.eog_tokens,
                     local_engine._vocab, 2048)
    off = build_chain(GenerationRequest(prompt="x", temperature=0, dry_multiplier=0), n_vocab,
                      local_engine.eog_tokens, local_engine._vocab, 2048)
    sampled = build_chain(GenerationRequest(prompt="x", temperature=0.7, dry_multiplier=1.2), n_vocab,
                          local_engine.eog_tokens, local_engine._vocab, 2048)
    try:
        # "dry", not "?dry": llama.cpp names a DRY it has switched off (e.g. a look-back of 0) "?dry".
        assert chain_names(on) == ["penalties", "dry", "greedy"]
        assert chain_names(off) == ["penalties", "greedy"]
        names = chain_names(sampled)
        assert names.index("dry") < names.index("top-k") and names[-1] == "dist"
    finally:
        for chain in (on, off, sampled):
            chain.close()


def test_dry_cuts_the_repeated_phrases_of_a_prompt_that_loops(model_path, engine_settings):
    """At temperature 0 the 135M model loops on this list (the same "significant ..." clauses again and
    again); DRY breaks the loop. The repetition penalty is off on both sides: with it, how much is left
    of the loop depends on the machine's arithmetic (thread count, CPU variant), from 0.03 to 0.1.
    A fresh engine: in the session's shared one, what earlier tests left in its cache changes how the
    prompt is evaluated, and with it the greedy path (0.09 instead of 0.37 without DRY)."""
    from desktop.core.checks.repetition import repetition
    from desktop.core.engine.client import HostEngine

    engine = HostEngine(model_path, n_ctx=2048)
    engine.load()

    def share(dry: float) -> float:
        final = engine.generate(GenerationRequest(messages=LOOPS, max_tokens=150, temperature=0, seed=1,
                                                  repeat_penalty=1.0, dry_multiplier=dry))
        return repetition(final.text, "en").share

    try:
        without, with_dry = share(0.0), share(0.8)
    finally:
        engine.close()
    assert without > 0.05  # the loop is there without DRY (else this test proves nothing)
    assert with_dry < without / 2 and with_dry <= 0.05

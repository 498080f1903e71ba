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
# A raw prompt that is one line over and over: at temperature 0 the model goes on looping.
LOOPS = "Soft cotton tee, breathable and light. " * 6


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


def longest_repeat(text: str) -> int:
    """The most words in a row that occur twice, word for word, in `text`: what DRY bounds."""
    import re

    words = re.findall(r"\w+", text.lower())
    best = 0
    for n in range(1, len(words)):
        grams = [tuple(words[i:i + n]) for i in range(len(words) - n + 1)]
        if len(set(grams)) == len(grams):
            break
        best = n
    return best


def test_dry_cuts_the_verbatim_loop_of_a_prompt_that_loops(model_path, engine_settings):
    """Without DRY, greedy decoding of a looping prompt repeats the same sentence for 70-80 words; with
    DRY no run of more than a few words comes back verbatim. The repetition penalty is off on both sides.
    The text itself depends on the machine's arithmetic (CPU variant, thread count): measured on five
    variants of two CPUs, 69-78 words without DRY and 5-14 with it. An earlier version of this test
    measured a chat prompt's repeated n-gram share, which some CPUs' greedy path never looped on.
    A fresh engine: in the session's shared one, what earlier tests left in its cache changes how the
    prompt is evaluated, and with it the greedy path."""
    from desktop.core.engine.client import HostEngine

    engine = HostEngine(model_path, n_ctx=2048)
    engine.load()

    def repeat(dry: float) -> int:
        final = engine.generate(GenerationRequest(prompt=LOOPS, max_tokens=100, temperature=0, seed=1,
                                                  repeat_penalty=1.0, dry_multiplier=dry))
        return longest_repeat(final.text)

    try:
        without, with_dry = repeat(0.0), repeat(0.8)
    finally:
        engine.close()
    assert without >= 30  # the loop is there without DRY (else this test proves nothing)
    assert with_dry <= without / 3


def test_longest_repeat_counts_words_in_a_row():
    assert longest_repeat("a b c d. a b c e") == 3
    assert longest_repeat("one two three") == 0
    assert longest_repeat("Soft tee, soft TEE") == 2

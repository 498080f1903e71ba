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

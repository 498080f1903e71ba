"""The engine with the real embedded model through the real llama.cpp."""

from __future__ import annotations

import json
import threading
import time

import pytest

from desktop.core.engine import Engine, Finished, GenerationRequest, TextDelta
from desktop.core.errors import ModelFileError, PromptTooLongError

pytestmark = pytest.mark.model

MESSAGES = [
    {"role": "system", "content": "You are an e-commerce copywriter."},
    {"role": "user", "content": "Write two sentences about a stainless steel water bottle."},
]


def run(engine: Engine, request: GenerationRequest) -> tuple[list[str], Finished]:
    deltas, final = [], None
    for event in engine.stream(request):
        if isinstance(event, TextDelta):
            deltas.append(event.text)
        else:
            final = event
    assert final is not None
    return deltas, final


def test_deltas_add_up_to_the_final_text_with_statistics(engine):
    deltas, final = run(engine, GenerationRequest(messages=MESSAGES, max_tokens=40, seed=7))
    assert "".join(deltas) == final.text
    assert final.text.strip()
    assert final.completion_tokens > 0
    assert final.prompt_tokens > 10
    assert final.stop_reason in {"end", "length"}
    assert final.ttft_s > 0 and final.tokens_per_s > 0


def test_same_seed_same_text_and_the_shared_prefix_is_reused(engine):
    request = GenerationRequest(messages=MESSAGES, max_tokens=24, seed=3)
    _, first = run(engine, request)
    _, second = run(engine, request)
    assert second.text == first.text
    assert second.cached_tokens >= second.prompt_tokens - 1


def test_length_stop_reason_respects_max_tokens(engine):
    # end tokens banned, so the only way to stop is the limit: exactly 5 tokens, never fewer, never 0
    _, final = run(engine,
                   GenerationRequest(messages=MESSAGES, max_tokens=5, seed=1, temperature=0, ignore_eos=True))
    assert (final.completion_tokens, final.stop_reason) == (5, "length")
    assert final.text


def test_chinese_streams_without_broken_characters(engine):
    messages = [{"role": "user", "content": "用中文写一句保温杯的广告语。"}]
    deltas, final = run(engine, GenerationRequest(messages=messages, max_tokens=60, seed=11))
    assert "".join(deltas) == final.text
    assert all("\ufffd" not in d for d in deltas)


def test_cancel_mid_generation_stops_within_a_few_tokens(engine):
    request = GenerationRequest(messages=MESSAGES, max_tokens=400, seed=5, temperature=0.9)
    final = None
    for event in engine.stream(request):
        if isinstance(event, TextDelta):
            engine.cancel()
        else:
            final = event
    assert final.stop_reason == "cancelled"
    assert final.completion_tokens <= 3
    # the engine is ready for the next request
    _, after = run(engine, GenerationRequest(messages=MESSAGES, max_tokens=8, seed=1))
    assert after.completion_tokens > 0 and after.stop_reason != "cancelled"


def test_cancel_during_a_long_prompt_returns_quickly(engine):
    long_text = " ".join(f"Feature {i}: durable, light, easy to clean." for i in range(130))
    messages = [{"role": "user", "content": long_text}]
    n_prompt = engine.count_tokens(engine.format_messages(messages))
    assert n_prompt > 1200

    start = time.perf_counter()
    engine.generate(GenerationRequest(messages=messages, max_tokens=1))
    full_prompt_s = time.perf_counter() - start

    other = [{"role": "user", "content": "X " + long_text}]
    timer = threading.Timer(0.05, engine.cancel)
    timer.start()
    final = engine.generate(GenerationRequest(messages=other, max_tokens=50))
    timer.join()
    assert final.stop_reason == "cancelled"
    assert final.completion_tokens == 0
    assert final.total_s < 0.5 * full_prompt_s
    _, after = run(engine, GenerationRequest(messages=MESSAGES, max_tokens=6, seed=2))
    assert after.completion_tokens > 0


def test_prompt_longer_than_the_context_is_a_clear_error(engine):
    huge = "word " * (engine.n_ctx + 100)
    with pytest.raises(PromptTooLongError, match="context"):
        engine.generate(GenerationRequest(messages=[{"role": "user", "content": huge}], max_tokens=4))


def test_grammar_constrains_the_output_to_json(engine):
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    schema = {
        "type": "object",
        "properties": {"title": {"type": "string", "maxLength": 40},
                       "tags": {"type": "array", "items": {"type": "string", "maxLength": 12},
                                "maxItems": 3}},
        "required": ["title", "tags"],
    }
    grammar = json_schema_to_gbnf(json.dumps(schema))
    final = engine.generate(GenerationRequest(messages=MESSAGES, max_tokens=120, seed=4, grammar=grammar))
    data = json.loads(final.text)
    assert isinstance(data["title"], str) and isinstance(data["tags"], list)


def test_parallel_sequences_match_the_sequential_structure(engine):
    products = ["wool scarf", "yoga mat", "desk lamp"]
    requests = [
        GenerationRequest(
            messages=[MESSAGES[0], {"role": "user", "content": f"Write one sentence about a {p}."}],
            max_tokens=24, seed=i,
        )
        for i, p in enumerate(products)
    ]
    seen = []
    results = engine.generate_batch(requests, on_event=seen.append)
    assert [r.seq for r in results] == [0, 1, 2]
    for result in results:
        assert result.completion_tokens > 0
        assert result.stop_reason in {"end", "length"}
        streamed = "".join(e.text for e in seen if isinstance(e, TextDelta) and e.seq == result.seq)
        assert streamed == result.text
    assert results[1].extra["shared_prefix_tokens"] > 5  # the system prompt was evaluated once for all


def test_batch_cached_tokens_count_only_what_was_reused_from_before(engine):
    """`cached_tokens` (stored in the history) is the KV state reused from an earlier request, not the
    prefix the batch shares within itself."""
    requests = [GenerationRequest(messages=[MESSAGES[0],
                                            {"role": "user", "content": f"One line about a {p}."}],
                                  max_tokens=4, seed=i) for i, p in enumerate(["scarf", "mat", "lamp"])]
    unrelated = [{"role": "user", "content": "Zebra quantum violin?"}]
    run(engine, GenerationRequest(messages=unrelated, max_tokens=1))  # the cache holds something else
    cold = engine.generate_batch(requests)
    shared = cold[0].extra["shared_prefix_tokens"]
    assert shared > 10
    assert all(r.cached_tokens < shared for r in cold)  # at most the chat template's first tokens
    warm = engine.generate_batch(requests)  # the same template again: its shared prefix is reused
    assert all(r.cached_tokens == shared for r in warm)


@pytest.mark.parametrize(
    "content, error",
    [
        (None, "ModelFileMissingError"),
        (b"", "EmptyModelFileError"),
        (b"version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 12\n", "LfsPointerError"),
        (b"<!DOCTYPE html><html><body>404</body></html>", "HtmlInsteadOfModelError"),
        (b"hello, this is not a model at all", "NotGGUFError"),
    ],
)
def test_bad_model_files_get_specific_errors(tmp_path, content, error):
    path = tmp_path / "model.gguf"
    if content is not None:
        path.write_bytes(content)
    from desktop.core.engine.client import HostEngine

    with pytest.raises(ModelFileError) as info:
        HostEngine(path).load()
    assert type(info.value).__name__ == error
    assert "model.gguf" in str(info.value)


def byte_token(local_engine, byte: bytes) -> int:
    return next(t for t in range(local_engine._model.n_vocab()) if local_engine.piece(t) == byte)


def test_a_token_that_would_break_utf8_is_never_kept(local_engine):
    """The model is pushed to a lone continuation byte (0x80), which can start no character: the sampler
    refuses it and samples again, so the text starts with the lead byte 0xE4 and then completes U+4000."""
    cont, lead = byte_token(local_engine, b"\x80"), byte_token(local_engine, b"\xe4")
    request = GenerationRequest(prompt="Hello", max_tokens=6, temperature=0,
                                logit_bias={cont: 50.0, lead: 50.0})
    final = local_engine.generate(request)
    assert final.text.startswith("\u4000") and "\ufffd" not in final.text
    final.text.encode("utf-8")  # valid throughout


def test_chinese_generation_never_yields_replacement_characters(engine):
    """The case a merchant met: tiny-model Chinese with byte tokens that formed no character."""
    from desktop.core.compose import ComposeRequest, compose

    for seed in range(3, 7):
        result = compose(ComposeRequest(content_type="product-description", platform=None, lang="zh",
                                        fields={"product_name": "保温杯",
                                                "features": "304不锈钢，12小时保温"},
                                        max_tokens=64, seed=seed), engine, None)
        assert all("\ufffd" not in r.text and "\ufffd" not in r.raw_text for r in result.results)

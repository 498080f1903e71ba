"""Every built-in template generates with the real model through compose(), and lands in the history."""

from __future__ import annotations

import pytest

from desktop.core.compose import ComposeRequest, VariantDelta, VariantDone, compose
from desktop.core.content.brands import Brand
from desktop.core.content.templates import load_builtin_templates
from desktop.core.store import open_db
from desktop.core.store.brands import save_brand
from desktop.core.store.history import get_generation, get_group, search

pytestmark = pytest.mark.model
BUILTINS = load_builtin_templates()
ZH_PLATFORMS = {"taobao", "tmall", "jd", "douyin", "xiaohongshu", "weibo", "wechat-moments"}


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "compose.db")
    yield database
    database.close()


@pytest.mark.parametrize("template_id", sorted(BUILTINS))
def test_each_builtin_generates_with_the_real_model(engine, db, template_id):
    template = BUILTINS[template_id]
    lang = "zh" if template.platform in ZH_PLATFORMS else "en"
    result = compose(ComposeRequest(template.content_type, template.platform, lang, dict(template.samples),
                                    template_id=template_id, max_tokens=8, seed=11), engine, db)
    (variant,) = result.results
    assert 0 < variant.completion_tokens <= 8 and variant.prompt_tokens > 50
    assert variant.stop_reason in ("length", "end")
    stored = get_generation(db, variant.history_id)
    assert (stored["template_id"], stored["template_version"]) == (template.id, template.version)
    assert stored["model_sha256"] == engine.model_sha256 and stored["model_id"] == engine.model_id
    assert stored["prompt_system"] == result.rendered.system and "<product>" in stored["prompt_user"]
    assert stored["inputs"] == template.samples and stored["lang"] == lang
    assert (
        stored["sampling"]["seed"] == 11 and stored["stats"]["completion_tokens"] == variant.completion_tokens
    )
    if template.structured:
        # the grammar holds the model to JSON from its first token
        assert variant.raw_text.lstrip().startswith("{")
        assert variant.fields is not None and set(variant.fields) == {o.name for o in template.outputs}
    else:
        assert variant.fields == {template.outputs[0].name: variant.text}


def test_variants_are_a_group_with_consecutive_seeds_and_stream_events(engine, db):
    save_brand(db, Brand(name="Warmhill", voice="calm", banned_words=["cheap"]))
    events = []
    result = compose(ComposeRequest("product-title", "amazon", "en",
                                    {"product_name": "Steel water bottle 500 ml"},
                                    brand="Warmhill", tone="minimalist", variants=3, max_tokens=10, seed=40),
                     engine, db, on_event=events.append)
    assert [v.seed for v in result.results] == [40, 41, 42]
    group = get_group(db, result.group_id)
    assert [g["id"] for g in group] == [v.history_id for v in result.results]
    assert [g["variant_index"] for g in group] == [0, 1, 2]
    assert all(g["brand_id"] is not None and g["tone"] == "minimalist" for g in group)
    assert "Warmhill" in group[0]["prompt_system"]
    done = [e for e in events if isinstance(e, VariantDone)]
    assert [e.index for e in done] == [0, 1, 2]
    for index, variant in enumerate(result.results):
        streamed = "".join(e.text for e in events if isinstance(e, VariantDelta) and e.index == index)
        assert streamed.strip() == variant.raw_text.strip()
    # the inputs are searchable straight away
    assert {g["id"] for g in search(db, "water bottle")} == {v.history_id for v in result.results}


def test_cancel_stops_the_variants_and_keeps_what_was_written(engine, db):
    def on_event(event):
        if isinstance(event, VariantDelta):
            engine.cancel()

    result = compose(ComposeRequest("social-post", "x", "en", {"product_name": "Ceramic mug"}, variants=3,
                                    max_tokens=40, seed=3), engine, db, on_event=on_event)
    assert result.cancelled and len(result.results) == 1
    assert result.results[0].stop_reason == "cancelled"
    assert get_generation(db, result.results[0].history_id)["stop_reason"] == "cancelled"


def test_grammar_is_built_from_the_schema_in_the_engine():
    from desktop.core.engine.local import schema_grammar

    gbnf = schema_grammar({"type": "object", "properties": {"title": {"type": "string"}},
                           "required": ["title"]})
    assert "root" in gbnf and "title" in gbnf

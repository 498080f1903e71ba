"""Every generated result is checked, and its findings are stored with it in the history."""

import pytest
from scripted_engine import ScriptedEngine

from desktop.core.compose import ComposeRequest, compose
from desktop.core.content.brands import Brand
from desktop.core.content.checking import check_output
from desktop.core.store.db import open_db
from desktop.core.store.history import get_generation
from desktop.core.store.templates import TemplateLibrary


def test_check_output_maps_outputs_to_platform_fields_and_finds_ad_law_terms():
    template = TemplateLibrary().get("taobao-title")
    name = template.outputs[0].name
    findings = check_output(template, {name: "全网第一" + "保温杯" * 20}, "", platform="taobao", lang="zh")
    categories = {f["category"] for f in findings}
    assert "length" in categories  # 64 width > 60
    assert any(f["text"] == "全网第一" for f in findings)
    assert all(f["field"] == name for f in findings)


def test_brand_banned_words_become_findings():
    template = TemplateLibrary().get("x-post")
    brand = Brand(name="Acme", banned_words=["cheap"])
    findings = check_output(template, None, "A cheap bottle", platform="x", lang="en", brand=brand)
    assert any(f["category"] == "brand" and f["text"] == "cheap" for f in findings)


def test_compose_stores_the_findings_of_each_variant():
    """Each variant's own findings are stored with it. The answers are fixed (one with an absolute term,
    one clean), so an empty or swapped list of findings fails."""
    engine = ScriptedEngine("全网第一的保温杯", "真空保温杯 316内胆")
    db = open_db()
    request = ComposeRequest(content_type="product-title", platform="taobao", lang="zh",
                             fields={"name": "保温杯", "features": "全网第一"}, variants=2,
                             max_tokens=12, seed=1)
    result = compose(request, engine, db)
    first, second = result.results
    assert any(f["text"] == "全网第一" for f in first.findings)
    assert not any(f["text"] == "全网第一" for f in second.findings)
    for variant in (first, second):
        assert get_generation(db, variant.history_id)["findings"] == variant.findings


@pytest.mark.model
def test_compose_with_the_real_model_stores_what_it_checked(engine):
    db = open_db()
    request = ComposeRequest(content_type="product-title", platform="taobao", lang="zh",
                             fields={"name": "保温杯", "features": "全网第一"}, max_tokens=12, seed=1)
    result = compose(request, engine, db)
    variant = result.results[0]
    stored = get_generation(db, variant.history_id)
    assert stored["text"] == variant.text and variant.text
    template = TemplateLibrary().get("taobao-title")
    plain = check_output(template, variant.fields, variant.text, platform="taobao", lang="zh")
    assert all(f in stored["findings"] for f in plain)  # the rules' findings, then the fact guard's
    assert stored["score"] == variant.score and 0 <= stored["score"]["value"] <= 100
    ad_law = next(p for p in stored["score"]["parts"] if p["id"] == "compliance")
    assert ad_law["points"] <= 0 and ad_law["label"] == {"en": "Rules and compliance", "zh": "合规与规则"}


def test_a_fact_from_the_part_of_a_field_cut_to_fit_the_context_is_still_the_merchants():
    """A product too long for the context is cut to fit the prompt; the answer may still name a fact from
    the cut part (the merchant gave it), so the fact guard reads the fields as given. A number the
    merchant never gave is still flagged."""
    from tests.fake_engine import FakeEngine

    engine = FakeEngine(n_ctx=1024)
    engine.enqueue("A steel bottle, 750 ml, only $9.")
    features = "double wall steel, powder coat finish. " * 60 + "Capacity 750 ml."  # within FIELD_CAP
    request = ComposeRequest(template_id="generic-product-description", content_type="product-description",
                             platform=None, lang="en", max_tokens=200, seed=1,
                             fields={"product_name": "Steel bottle", "features": features})
    result = compose(request, engine, None)
    assert any("were cut to" in w for w in result.rendered.warnings)
    assert "750 ml" not in engine.requests[0].messages[-1]["content"]  # the prompt did not carry it
    unsupported = [f["text"] for f in result.results[0].findings if f["category"] == "unsupported-fact"]
    assert "$9" in unsupported and not any("750" in text for text in unsupported)

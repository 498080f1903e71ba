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

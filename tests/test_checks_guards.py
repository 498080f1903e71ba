"""Coverage of key facts, the language guard, repetition and the quality score: each from the text
alone, with the thresholds of resources/facts/guards.json."""

from __future__ import annotations

import pytest

from desktop.core.checks.facts import coverage, coverage_findings, key_facts
from desktop.core.checks.language import language_findings, language_share
from desktop.core.checks.repetition import repetition, repetition_findings
from desktop.core.checks.score import quality_score

BOTTLE = {"Key features": "Keeps drinks hot for 12 hours; one-hand flip lid; leak-proof seal",
          "Specifications": "Capacity 500 ml; weight 280 g"}


# --- coverage -------------------------------------------------------------------------------------
def test_key_facts_are_the_fields_facts_and_feature_phrases():
    facts = key_facts(BOTTLE)
    assert [(f.text, f.kind, f.source) for f in facts] == [
        ("12 hours", "quantity", "Key features"), ("one-hand flip lid", "phrase", "Key features"),
        ("leak-proof seal", "phrase", "Key features"), ("500 ml", "quantity", "Specifications"),
        ("280 g", "quantity", "Specifications")]


def test_a_fact_is_covered_in_any_form_and_a_phrase_by_most_of_its_words():
    text = "This 0.5 L bottle keeps coffee hot for twelve hours. The flip lid opens with one hand."
    result = coverage(key_facts(BOTTLE), text)
    assert [f.text for f in result.missing] == ["leak-proof seal", "280 g"]
    assert result.share == pytest.approx(3 / 5)
    assert result.to_dict()["covered"] == 3


def test_chinese_phrases_are_covered_by_their_character_pairs():
    facts = key_facts({"卖点": "双层真空保温；一键开盖；食品级304不锈钢"})
    result = coverage(facts, "采用双层真空设计，保温效果好，一键就能开盖。")
    assert [f.text for f in result.missing] == ["食品级"]  # a certification claim is a fact, not a phrase


def test_missing_key_facts_are_info_and_required_ones_warnings():
    result = coverage(key_facts(BOTTLE, required=["dishwasher safe"]),
                      "A bottle that keeps drinks hot for 12 hours.")
    findings = coverage_findings(result, "en")
    assert {(f.severity, f.rule) for f in findings} == {
        ("info", "coverage.key"),
        ("warn", "coverage.required"),
    }
    assert all(f.category == "coverage" and f.start == f.end == 0 for f in findings)
    required = next(f for f in findings if f.severity == "warn")
    assert "dishwasher safe" in required.message
    zh = coverage_findings(result, "zh")
    assert "文案没有提到关键信息" in zh[0].message
    assert all(f.suggestion == "" for f in findings)  # no place to add a fact: no fix offered


def test_a_missing_fact_is_added_as_a_line_in_the_merchants_words():
    """The fix adds each missing fact at the end of the text as its own line, with the part of the field
    it came from ("Keeps drinks hot for 12 hours", not a bare "12 hours")."""
    text = "A bottle with a flip lid."
    result = coverage(key_facts(BOTTLE), text)
    findings = coverage_findings(result, "en", at=len(text))
    assert all(f.start == f.end == len(text) and f.text == "" for f in findings)
    assert [f.suggestion for f in findings] == [
        "\n· Keeps drinks hot for 12 hours", "\n· leak-proof seal", "\n· Capacity 500 ml", "\n· weight 280 g"]
    added = text + "".join(f.suggestion for f in findings)
    assert coverage(key_facts(BOTTLE), added).missing == []
    long = {"Key features": "Keeps drinks hot for 12 hours " + "and looks good on any desk " * 4}
    line = coverage_findings(coverage(key_facts(long), ""), "en", at=0)[0].suggestion
    assert line == "\n· 12 hours"  # a part too long to read as one item: the fact alone


def test_a_detail_line_fits_the_text_it_goes_into_and_reads_back_as_the_fact():
    from desktop.core.checks.facts.coverage import detail_line, detail_style, detail_text

    fact = key_facts({"Key features": "Tom & Jerry mug <350 ml>"})[0]
    assert [detail_style(t, one) for t, one in (("<p>Hi</p>\n", False), ("Hi", False), ("Hi", True))] == [
        "html", "line", "inline"]
    lines = [detail_line(fact, style) for style in ("html", "line", "inline")]
    assert lines[0] == "\n<p>· Tom &amp; Jerry mug &lt;350 ml&gt;</p>"
    assert {detail_text(line) for line in lines} == {"Tom & Jerry mug <350 ml>"}


# --- language -------------------------------------------------------------------------------------
def test_the_share_counts_the_requested_script_and_ignores_the_inputs_own_words():
    share, _ = language_share("这款Warmhill保温杯采用Tritan材质，容量大。", "zh", known="warmhill tritan")
    assert share == 1.0
    share, _ = language_share("这款Warmhill保温杯采用Tritan材质，容量大。", "zh")
    assert share < 0.6


def test_english_asked_chinese_came_back_is_a_blocking_finding():
    findings = language_findings("这款保温杯保温十二小时，适合上班族和学生。", "en", ui_lang="en")
    assert len(findings) == 1 and findings[0].severity == "block" and findings[0].category == "language"
    assert "0% of this text is in English" in findings[0].message


def test_chinese_asked_mixed_came_back_is_a_finding_but_tags_and_links_do_not_count():
    assert language_findings("Keeps your drinks hot all day long, 保温杯", "zh",
                             ui_lang="zh")[0].message.startswith(
        "这段文字只有")
    assert language_findings("<p><strong>保温杯</strong>保温十二小时，适合通勤使用。</p> "
                             "https://shop.example.com", "zh") == []


def test_too_short_a_text_is_not_judged():
    assert language_findings("OK 好", "zh") == []


# --- repetition -----------------------------------------------------------------------------------
LOOP = ("Keeps drinks cold all day. Keeps drinks cold all night. Keeps drinks cold on the go. "
        "Keeps drinks cold always.")


def test_repeated_word_trigrams_are_measured_and_pointed_at():
    result = repetition(LOOP, "en")
    assert result.n == 3 and result.share == pytest.approx(4 / 18)
    finding = repetition_findings(LOOP, "en")[0]
    assert (finding.category, finding.severity) == ("repetition", "warn")
    assert LOOP[finding.start:finding.end] == "Keeps drinks cold" and finding.start > 0  # the second time


def test_chinese_is_measured_in_character_4_grams():
    looped = "保温杯保温效果好，保温杯保温效果好，保温杯保温效果好，真的很不错呀朋友们"
    assert repetition(looped, "zh").n == 4
    assert repetition_findings(looped, "zh")
    varied = "双层真空设计，保温十二小时；一键开盖，单手就能喝水；食品级不锈钢内胆，清洗方便又安心。"
    assert repetition(varied, "zh").share < 0.1 and repetition_findings(varied, "zh") == []


def test_ordinary_copy_and_short_texts_are_not_flagged():
    ordinary = ("This insulated bottle keeps coffee hot through a long commute. The flip lid opens with "
                "one hand, and the seal stops leaks in a packed bag.")
    assert repetition_findings(ordinary, "en") == []
    assert repetition_findings("Cold cold cold cold", "en") == []  # too few trigrams to judge


# --- score ----------------------------------------------------------------------------------------
def finding(category: str, severity: str) -> dict:
    return {"category": category, "severity": severity}


def test_a_clean_result_scores_100_and_every_part_is_explained():
    score = quality_score([], {"key_facts": 4, "covered": 4, "missing": []})
    assert score["value"] == 100
    assert [p["id"] for p in score["parts"]] == ["facts", "coverage", "language", "repetition",
                                                 "length", "compliance"]
    assert all(
        p["points"] == 0 and p["label"]["en"] and p["label"]["zh"] and p["detail"]["zh"]
        for p in score["parts"]
    )


def test_each_part_takes_its_points_within_its_cap():
    findings = [finding("unsupported-fact", "block")] * 5 + [
        finding("ad-law-superlative", "block"),
        finding("length", "warn"),
        finding("language", "block"),
    ]
    score = quality_score(findings, {"key_facts": 4, "covered": 2, "missing": [{"required": True}, {}]})
    parts = {p["id"]: p["points"] for p in score["parts"]}
    assert parts == {"facts": -45, "coverage": -22, "language": -40, "repetition": 0, "length": -4,
                     "compliance": -15}
    assert score["value"] == 0  # never below zero
    assert (
        next(p for p in score["parts"] if p["id"] == "coverage")["detail"]["en"]
        == "2 of 4 key facts in the text"
    )


def test_info_findings_cost_little_and_the_score_orders_results():
    minor = quality_score([finding("unsupported-fact", "info")])
    major = quality_score([finding("unsupported-fact", "block")])
    assert 100 > minor["value"] > major["value"]
    assert minor["value"] - sum(p["points"] for p in minor["parts"]) == 100


def test_in_a_title_a_required_fact_is_added_after_a_space_not_on_a_line():
    from desktop.core.content.checking import check_output
    from desktop.core.content.templates import load_builtin_templates

    title = load_builtin_templates()["taobao-title"]
    name = title.outputs[0].name
    found = check_output(title, {name: "不锈钢保温杯"}, "", platform="taobao", lang="zh",
                         sources={"product_name": "不锈钢保温杯"}, required=["包邮"])
    (missing,) = [f for f in found if f["category"] == "coverage"]
    assert (missing["start"], missing["end"], missing["suggestion"]) == (6, 6, " 包邮")


def test_a_full_width_comma_before_a_number_still_separates_two_facts():
    """"，" is never a thousands separator: "316不锈钢内胆，12小时保温" is two key facts, each added on
    its own line, where "1,000 mAh" stays one number."""
    facts = key_facts({"卖点": "316 不锈钢内胆，12 小时保温", "Specs": "battery 1,000 mAh, USB-C"})
    assert [(f.text, f.detail) for f in facts] == [
        ("316 不锈钢内胆", "316 不锈钢内胆"), ("12 小时", "12 小时保温"),
        ("1,000 mAh", "battery 1,000 mAh"), ("USB-C", "USB-C")]

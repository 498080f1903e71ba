"""The check engine: brand words, keywords, length findings, applying suggestions, structured fields,
the JSON shape, and properties over arbitrary text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.checks import (
    StaleFindingError,
    apply_all,
    apply_suggestion,
    bench_check,
    check_fields,
    check_text,
    product_categories,
)
from desktop.core.checks.findings import Finding
from desktop.core.platforms import platforms

FINDING_KEYS = {"rule", "category", "severity", "start", "end", "text", "message", "suggestion"}
LENGTH_KEYS = {"field", "counter", "value", "limit"}


def by_rule(result, rule):
    return [f for f in result.findings if f.rule == rule]


# Brand and keywords -----------------------------------------------------------------------------


def test_brand_banned_words():
    brand = {"name": "Acme", "banned_words": ["cheap", "便宜"], "must_use": [], "trademarks": []}
    text = "Cheap but sturdy, 便宜又好用, cheapest"  # "cheapest" is another word
    found = by_rule(check_text(text, brand=brand), "brand.banned")
    assert [(f.text, f.start, f.category, f.severity) for f in found] == [
        ("Cheap", 0, "brand", "block"),
        ("便宜", text.index("便宜"), "brand", "block"),
    ]


def test_brand_banned_words_with_replacements_apply():
    brand = {"banned_words": {"cheap": "affordable"}}
    text = "A cheap mat"
    [finding] = by_rule(check_text(text, brand=brand), "brand.banned")
    assert finding.suggestion == "affordable"
    assert apply_suggestion(text, finding) == "A affordable mat"


def test_brand_values_as_stored_json_text():
    brand = {"banned_words": '["廉价"]', "trademarks": "[]", "must_use": "[]"}
    assert [f.text for f in by_rule(check_text("廉价好物", brand=brand), "brand.banned")] == ["廉价"]


def test_declared_trademarks_are_exempt():
    text = "极品家真丝枕套"
    assert by_rule(check_text(text), "cn.adlaw.top-extreme")
    assert not by_rule(check_text(text, brand={"trademarks": ["极品家"]}), "cn.adlaw.top-extreme")
    # a trademark only protects its own words
    other = "极品家真丝枕套，极品好物"
    assert [
        f.start for f in by_rule(check_text(other, brand={"trademarks": ["极品家"]}), "cn.adlaw.top-extreme")
    ] == [other.index("极品好物")]


def test_must_use_missing_is_info_at_start_and_applies():
    brand = {"must_use": ["Acme", "官方正品"]}
    text = "Acme yoga mat"
    [finding] = by_rule(check_text(text, brand=brand, ui_lang="zh"), "brand.must-use")
    assert (finding.start, finding.end, finding.text, finding.severity) == (0, 0, "", "info")
    assert "官方正品" in finding.message
    fixed = apply_suggestion(text, finding)
    assert fixed == "官方正品 Acme yoga mat"
    assert not by_rule(check_text(fixed, brand=brand), "brand.must-use")


def test_seo_keyword_coverage():
    result = check_text("Non-slip Yoga Mat, 6mm thick", keywords=["yoga mat", "non slip", "eco friendly"])
    missing = by_rule(result, "seo.keyword-missing")
    assert [f.message for f in missing] == ['The SEO keyword "eco friendly" does not appear.']
    assert missing[0].category == "seo" and missing[0].severity == "info"


# Lengths ----------------------------------------------------------------------------------------


def test_taobao_title_over_width_is_a_length_finding():
    title = "春夏新款" * 7 + "女装大码"  # 32 CJK characters = width 64 > 60
    result = check_text(title, platform="taobao", field="title")
    assert [r.to_dict() for r in result.lengths] == [
        {"field": "title", "counter": "width", "value": 64, "limit": 60, "over": True}
    ]
    [finding] = by_rule(result, "length.taobao.title")
    assert finding.category == "length" and finding.severity == "block"
    assert (finding.start, finding.end, finding.text) == (30, 32, "大码")
    fixed = apply_suggestion(title, finding)
    assert len(fixed) == 30
    assert not [
        f for f in check_text(fixed, platform="taobao", field="title").findings if f.category == "length"
    ]


def test_x_post_uses_weighted_count():
    result = check_text("测" * 141, platform="x")  # the one field of X
    assert [(r.field, r.counter, r.value, r.limit) for r in result.lengths] == [
        ("body", "x_weighted", 282, 280)
    ]
    assert by_rule(result, "length.x.body")[0].start == 140
    assert not [f for f in check_text("测" * 140, platform="x").findings if f.category == "length"]


def test_recommended_and_minimum_lengths_are_info():
    weibo = check_text("好" * 150, platform="weibo", field="body")
    assert [f.severity for f in by_rule(weibo, "length.weibo.body.recommended")] == ["info"]
    blog = check_text("A short meta description.", platform="blog", field="meta_description")
    [short] = by_rule(blog, "length.blog.meta_description.min")
    assert short.severity == "info" and short.suggestion == ""
    assert apply_suggestion("A short meta description.", short) == "A short meta description."


def test_instagram_caps_hashtags_per_post():
    tags = " ".join(f"#shoe{i}" for i in range(32))
    text = "New drop " + tags
    found = by_rule(check_text(text, platform="instagram", field="caption"), "count.instagram.hashtags")
    assert [f.text for f in found] == ["#shoe30", "#shoe31"]  # the 31st and 32nd tags
    assert all(text[f.start : f.end] == f.text for f in found)
    fewer = "New drop " + " ".join(f"#shoe{i}" for i in range(30))
    assert not by_rule(check_text(fewer, platform="instagram", field="caption"), "count.instagram.hashtags")


def test_without_field_every_field_is_measured_but_nothing_is_flagged():
    result = check_text("x" * 300, platform="amazon")
    assert {r.field for r in result.lengths} == set(platforms()["amazon"].fields)
    assert not [f for f in result.findings if f.category == "length"]


def test_limits_come_from_the_user_override(shopscribe_home):
    import json

    from desktop.core import platforms as platform_facts

    (shopscribe_home / "platforms.json").write_text(
        json.dumps({"platforms": {"taobao": {"fields": {"title": {"max": 10}}}}}), encoding="utf-8"
    )
    platform_facts.reload()
    try:
        result = check_text("春夏新款女装", platform="taobao", field="title")  # width 12
        assert result.lengths[0].limit == 10
        assert by_rule(result, "length.taobao.title")
    finally:
        platform_facts.reload()


# Results, JSON, applying ------------------------------------------------------------------------


def test_to_dict_has_the_architecture_shape():
    result = check_text("全网第一的最好面霜", platform="taobao", field="title", ui_lang="zh")
    data = result.to_dict()
    assert set(data) == {"findings", "lengths", "category"}  # 面霜 says cosmetics: the inferred category
    assert data["category"] == {"id": "cosmetics", "inferred": True, "from": "面霜"}
    assert set(check_text("全网第一", platform="taobao", field="title").to_dict()) == {"findings", "lengths"}
    assert all(FINDING_KEYS == set(f) for f in data["findings"])
    assert all(LENGTH_KEYS <= set(r) for r in data["lengths"])
    assert data["findings"][0]["message"].startswith("“全网第一”")
    assert result.blocking and result.worst == "block"


def test_messages_follow_ui_lang():
    en = check_text("最好", ui_lang="en").findings[0].message
    zh = check_text("最好", ui_lang="zh").findings[0].message
    assert "Advertising Law" in en and "广告法" in zh


def test_apply_all_fixes_every_span_from_the_end():
    text = "全网第一！这款最好的面霜，顶级品质，最佳食用期内"
    result = check_text(text)
    fixed = apply_all(text, result.findings)
    assert fixed == "！这款很好的面霜，高端品质，最佳食用期内"
    assert [f.rule for f in check_text(fixed).findings] == []


def test_apply_all_tidies_spaces_and_skips_overlaps():
    text = "Yoga mat best seller for you"
    result = check_text(text, platform="amazon", field="description")
    assert apply_all(text, result.findings) == "Yoga mat for you"
    a = Finding("r1", "c", "block", 0, 4, "Yoga", "m", "remove")
    b = Finding("r2", "c", "block", 2, 8, "ga mat", "m", "remove")
    assert apply_all(text, [a, b]) == "Yo best seller for you"


def test_stale_finding_is_refused():
    finding = check_text("最好的面霜").findings[0]
    with pytest.raises(StaleFindingError):
        apply_suggestion("很好的面霜", finding)


def test_check_fields_checks_each_field_and_item():
    fields = {
        "title": "Acme Yoga Mat Best Seller",
        "bullets": [
            "Thick and soft",
            "Non-slip™ surface",
            "x" * 260,
            "Light",
            "Easy to clean",
            "Bag included",
        ],
        "description": "A mat for every day.",
    }
    out = check_fields(fields, "amazon", keywords=["yoga mat", "eco friendly"], brand={"must_use": ["Acme"]})
    assert set(out) == {"title", "bullets", "description"} | {f"bullets[{i}]" for i in range(6)}
    assert [f.text for f in by_rule(out["title"], "amazon.promotional")] == ["Best Seller"]
    assert [f.text for f in by_rule(out["bullets[1]"], "amazon.bullet-symbols")] == ["™"]
    assert by_rule(out["bullets[2]"], "length.amazon.bullets")
    assert out["bullets"].lengths[0].to_dict()["value"] == 6
    assert [f.rule for f in out["bullets"].findings] == ["count.amazon.bullets"]
    # coverage across all fields: "yoga mat" is in the title, "eco friendly" nowhere, Acme present
    assert [f.rule for f in out["title"].findings if f.category in ("seo", "brand")] == [
        "seo.keyword-missing"
    ]


def test_check_fields_google_ads_minimum_headlines():
    out = check_fields(
        {"headlines": ["Soft Yoga Mats", "超厚瑜伽垫防滑加宽加长款式多多颜色齐全"]}, "google-ads"
    )
    assert [f.rule for f in out["headlines"].findings] == ["count.google-ads.headlines.min"]
    assert by_rule(out["headlines[1]"], "length.google-ads.headlines")  # width 36 > 30


def test_bench_helper_measures_a_check():
    seconds = bench_check(n_chars=2000, repeats=3)
    assert seconds > 0


# Properties -------------------------------------------------------------------------------------

FRAGMENTS = [
    "最好",
    "最佳食用期",
    "本店最新款",
    "第一",
    "第一次",
    "全网第一",
    "NO.1",
    "ＮＯ．１",
    "no. 1",
    "100%",
    "100%纯棉",
    "100%有效",
    "抗敏",
    "消炎",
    "电影特效",
    "best seller",
    "Best-Seller",
    "#1",
    "cure",
    "treat yourself",
    "Made in USA",
    "🔥",
    "👨‍👩‍👧",
    "1️⃣",
    "🇨🇳",
    "https://a.co/x",
    "e\u0301",
    "İ",
    "ﬁ",
    "!",
    "™",
    " ",
    "\n",
    "加微信",
    "极品家",
    "cheap",
]
TEXTS = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=25).map("".join)
PLATFORM_FIELDS = st.sampled_from(
    [(None, None)] + [(p, f) for p, spec in platforms().items() for f in [None, *spec.fields]]
)
CATEGORIES = st.sampled_from([None, *product_categories()])
BRAND = {"banned_words": ["cheap"], "must_use": ["Acme"], "trademarks": ["极品家"]}


@settings(max_examples=200, deadline=None)
@given(TEXTS, PLATFORM_FIELDS, CATEGORIES, st.sampled_from([None, "zh", "en"]), st.booleans())
def test_spans_lie_inside_the_text_and_point_at_it(text, platform_field, category, lang, with_brand):
    platform, field = platform_field
    result = check_text(
        text,
        platform=platform,
        field=field,
        category=category,
        lang=lang,
        brand=BRAND if with_brand else None,
        keywords=["yoga"],
        ui_lang="zh",
    )
    for f in result.findings:
        assert 0 <= f.start <= f.end <= len(text)
        assert text[f.start : f.end] == f.text
        assert f.severity in ("block", "warn", "info")
        assert f.message
    for f in result.findings:
        apply_suggestion(text, f)  # every finding applies to the text it came from
    apply_all(text, result.findings)


@settings(max_examples=100, deadline=None)
@given(TEXTS)
def test_findings_are_in_text_order_and_deterministic(text):
    first = check_text(text, platform="amazon", field="title")
    assert first.to_dict() == check_text(text, platform="amazon", field="title").to_dict()
    starts = [f.start for f in first.findings]
    assert starts == sorted(starts)

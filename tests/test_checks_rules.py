"""Each rule category: positive cases and the exemptions that must not be flagged."""

from __future__ import annotations

import json

import pytest

from desktop.core.checks import check_text, load_rules, product_categories, reload
from desktop.core.checks.rules import RuleFileError


def hits(text: str, **kwargs) -> list[tuple[str, str, str]]:
    """(rule, severity, matched text) of every finding that is not about length."""
    return [
        (f.rule, f.severity, f.text) for f in check_text(text, **kwargs).findings if f.category != "length"
    ]


def flagged(text: str, **kwargs) -> set[str]:
    return {t for _, _, t in hits(text, **kwargs)}


# China's Advertising Law ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "term", "rule", "severity"),
    [
        ("这是最好的面霜", "最好", "cn.adlaw.superlative", "block"),
        ("史上最低价，快来抢", "史上最低价", "cn.adlaw.superlative", "block"),
        ("采用最先进的工艺", "最先进", "cn.adlaw.superlative", "block"),
        ("最新科技加持", "最新科技", "cn.adlaw.superlative-soft", "warn"),
        ("全网第一的销量", "全网第一", "cn.adlaw.first-only", "block"),
        ("行业唯一认证", "唯一", "cn.adlaw.first-only", "block"),
        ("销量NO.1", "NO.1", "cn.adlaw.first-only", "block"),
        ("销量ＮＯ．１", "ＮＯ．１", "cn.adlaw.first-only", "block"),  # full-width forms fold
        ("人气TOP1单品", "TOP1", "cn.adlaw.first-only", "block"),
        ("年度销冠", "销冠", "cn.adlaw.first-only", "block"),
        ("国家级品质", "国家级", "cn.adlaw.rank", "block"),
        ("世界级工艺", "世界级", "cn.adlaw.rank", "block"),
        ("国际级标准", "国际级", "cn.adlaw.rank", "block"),
        ("顶级面料", "顶级", "cn.adlaw.top-extreme", "block"),
        ("极品好茶", "极品", "cn.adlaw.top-extreme", "block"),
        ("至尊体验", "至尊", "cn.adlaw.top-extreme", "block"),
        ("极致顺滑", "极致", "cn.adlaw.top-extreme-soft", "warn"),
        ("完美贴合", "完美", "cn.adlaw.top-extreme-soft", "warn"),
        ("国内首个", "首个", "cn.adlaw.first-exclusive", "block"),
        ("送礼首选", "首选", "cn.adlaw.first-exclusive", "block"),
        ("全球首发新品", "全球首发", "cn.adlaw.first-exclusive", "block"),
        ("独一无二的设计", "独一无二", "cn.adlaw.first-exclusive", "block"),
        ("新品首发", "首发", "cn.adlaw.first-exclusive-soft", "warn"),
        ("独家配方", "独家", "cn.adlaw.first-exclusive-soft", "warn"),
        ("绝对好用", "绝对", "cn.adlaw.absolute", "block"),
        ("百分百满意", "百分百", "cn.adlaw.absolute", "block"),
        ("万能清洁", "万能", "cn.adlaw.absolute", "block"),
        ("永久保色", "永久", "cn.adlaw.absolute", "block"),
        ("100%满意", "100%", "cn.adlaw.percent", "warn"),
        ("100%有效", "100%有效", "cn.adlaw.absolute", "block"),
        ("政府特供", "特供", "cn.adlaw.endorsement", "block"),
        ("机场专供", "专供", "cn.adlaw.endorsement", "block"),
        ("国家机关推荐产品", "国家机关推荐", "cn.adlaw.endorsement", "block"),
        ("质量免检", "质量免检", "cn.adlaw.endorsement", "block"),
        ("驰名商标", "驰名商标", "cn.adlaw.endorsement", "block"),
        ("仅此一次的机会", "仅此一次", "cn.adlaw.urgency", "warn"),
        ("最后一波福利", "最后一波", "cn.adlaw.urgency", "warn"),
        ("绝版好物", "绝版", "cn.adlaw.urgency", "warn"),
        ("好评如潮的爆款", "好评如潮", "cn.adlaw.testimonial", "warn"),
    ],
)
def test_ad_law_terms_are_flagged(text, term, rule, severity):
    found = hits(text)
    assert (rule, severity, term) in found, found
    start = text.index(term)
    finding = next(f for f in check_text(text).findings if f.rule == rule)
    assert (finding.start, finding.end) == (start, start + len(term))


@pytest.mark.parametrize(
    "text",
    [
        "最佳食用期为12个月",
        "最佳使用温度为25度",
        "开封后最佳赏味期7天",
        "本店最新款连衣裙",
        "我们最新款已经上架",
        "本品牌最受欢迎的一款",
        "最好不要空腹饮用",
        "第一次使用就爱上了",
        "第一步：洁面",
        "唯一的缺点是有点贵",
        "国家级非物质文化遗产技艺",
        "100%纯棉面料",
        "万能胶一支",
        "最后一天发货说明：周日不发货",  # not 最-words: 最后 is a plain "last" (urgency aside)
        "TOP10 颜色",
        "型号NO.10",
    ],
)
def test_ad_law_exemptions_are_not_flagged(text):
    found = [h for h in hits(text) if h[0].startswith("cn.adlaw.") and h[0] != "cn.adlaw.urgency"]
    assert found == []


def test_longer_match_wins_and_is_not_doubled():
    found = hits("100%有效，全网第一")
    assert ("cn.adlaw.percent", "warn", "100%") not in found  # inside the block "100%有效"
    assert [t for _, _, t in found] == ["100%有效", "全网第一"]


def test_superlative_offers_a_replacement():
    finding = check_text("这是最好的面霜").findings[0]
    assert finding.suggestion == "很好"


# Medical, cosmetics, health food ---------------------------------------------------------------


@pytest.mark.parametrize("category", [None, "food", "apparel", "home"])
def test_medical_claims_on_ordinary_goods(category):
    assert {"消炎", "止痛", "特效", "抗癌"} <= flagged("消炎止痛，特效抗癌", category=category)


@pytest.mark.parametrize("category", ["medicine", "medical-device"])
def test_medical_terms_allowed_for_medicine(category):
    assert not {"消炎", "止痛"} & flagged("消炎止痛", category=category)


def test_medical_exemption_special_effects():
    assert flagged("电影特效级画面") == set()


def test_efficacy_guarantees_are_flagged_even_for_medicine():
    assert "立竿见影" in flagged("立竿见影，无效退款", category="medicine")
    assert "无效退款" in flagged("立竿见影，无效退款", category="medicine")


COSMETIC_TERMS = [
    "抗敏",
    "脱敏",
    "抗菌",
    "抑菌",
    "消炎",
    "祛疤",
    "生发",
    "止脱",
    "药妆",
    "干细胞",
    "基因",
    "细胞修复",
    "排毒",
    "再生",
    "换肤",
    "丰胸",
]


@pytest.mark.parametrize("term", COSMETIC_TERMS)
def test_cosmetics_list(term):
    text = f"这款面霜{term}，质地清爽"
    assert term in flagged(text, category="cosmetics")
    finding = next(f for f in check_text(text, category="cosmetics").findings if f.text == term)
    assert finding.severity == "block"


def test_cosmetics_list_only_for_cosmetics():
    assert "祛疤" not in flagged("祛疤贴", category="apparel")
    assert "祛疤" in flagged("祛疤贴", category="cosmetics")


def test_health_food_needs_the_disclaimer():
    text = "每天两粒，补充维生素C"
    result = check_text(text, category="health-food")
    [finding] = [f for f in result.findings if f.rule == "cn.health-food.disclaimer"]
    assert (finding.start, finding.end, finding.text) == (len(text), len(text), "")
    assert "本品不能代替药物" in finding.suggestion
    ok = text + "。本品不能代替药物。"
    assert not [
        f for f in check_text(ok, category="health-food").findings if f.rule == "cn.health-food.disclaimer"
    ]
    assert not [
        f for f in check_text(text, category="food").findings if f.rule == "cn.health-food.disclaimer"
    ]


# English marketplaces --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("Best Seller Yoga Mat", "Best Seller"),
        ("Bestseller yoga mat", "Bestseller"),
        ("#1 Yoga Mat", "#1"),
        ("Top Rated Yoga Mat", "Top Rated"),
        ("Top-Rated Yoga Mat", "Top-Rated"),
        ("Yoga Mat Free Shipping", "Free Shipping"),
        ("Yoga Mat on Sale", "on Sale"),
        ("Limited Time Yoga Mat", "Limited Time"),
        ("Guaranteed non-slip", "Guaranteed"),
        ("Money Back Guarantee", "Money Back Guarantee"),
        ("100% Satisfaction", "100% Satisfaction"),
    ],
)
def test_amazon_promotional_and_guarantees(text, term):
    assert term in flagged(text, platform="amazon", field="title")
    assert term not in flagged(text, platform="shopify", field="title")  # an Amazon rule only


@pytest.mark.parametrize("text", ["#10 Can", "Wholesale Yoga Mats", "A great deal of grip", "Salesforce Mug"])
def test_amazon_promotional_word_edges(text):
    assert not [h for h in hits(text, platform="amazon", field="title") if h[0] == "amazon.promotional"]


def test_amazon_emoji_anywhere():
    text = "Soft blanket 🔥 for kids 👨‍👩‍👧"
    for field in ("title", "bullets", "description"):
        found = [t for r, _, t in hits(text, platform="amazon", field=field) if r == "amazon.emoji"]
        assert found == ["🔥", "👨‍👩‍👧"]


@pytest.mark.parametrize("char", list("!$?_{}^¬¦"))
def test_amazon_title_banned_characters(char):
    text = f"Yoga Mat {char} Thick"
    assert ("amazon.title-characters", "block", char) in hits(text, platform="amazon", field="title")
    assert not [
        h for h in hits(text, platform="amazon", field="description") if h[0] == "amazon.title-characters"
    ]


def test_amazon_bullets_no_trademark_symbols():
    found = [
        t
        for r, _, t in hits("Acme™ grip® ©2024", platform="amazon", field="bullets")
        if r == "amazon.bullet-symbols"
    ]
    assert found == ["™", "®", "©"]


def test_amazon_title_word_used_more_than_twice():
    text = "Dog Bed for Dogs, Dog Bed Large, Dog Bed Washable for Crate for Home"
    result = check_text(text, platform="amazon", field="title")
    repeats = [f for f in result.findings if f.rule == "amazon.title-word-repeat"]
    assert [(f.text, f.start) for f in repeats] == [
        ("Dog", text.index("Dog Bed Washable")),
        ("Bed", text.index("Bed Washable")),
    ]
    assert all(f.severity == "warn" for f in repeats)  # "for" x3 is fine: a preposition


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("Cures acne overnight", "Cures"),
        ("treats eczema", "treats"),
        ("heals cuts", "heals"),
        ("FDA approved formula", "FDA approved"),
        ("helps prevent disease", "prevent disease"),
        ("Clinically proven", "Clinically proven"),
    ],
)
def test_english_health_claims(text, term):
    assert ("en.health-claim", "block", term) in hits(text, lang="en")


@pytest.mark.parametrize(
    "text", ["Crunchy dog treats", "Treat yourself to comfort", "Secure clasp", "A sweet treat"]
)
def test_english_health_claim_exemptions(text):
    assert not [h for h in hits(text, lang="en") if h[0] == "en.health-claim"]


def test_health_claims_allowed_for_medicine():
    assert not [
        h for h in hits("treats headaches", lang="en", category="medicine") if h[0] == "en.health-claim"
    ]


def test_made_in_usa_warns_unless_confirmed():
    assert ("ftc.made-in-usa", "warn", "Made in USA") in hits("Proudly Made in USA", lang="en")
    confirmed = {"name": "Acme", "confirmed_claims": ["made_in_usa"]}
    assert not [
        h for h in hits("Proudly Made in USA", lang="en", brand=confirmed) if h[0] == "ftc.made-in-usa"
    ]


@pytest.mark.parametrize("text", ["Over 1,000 5-star reviews", "Customers say it is the comfiest"])
def test_invented_reviews_warn(text):
    assert [s for r, s, _ in hits(text, lang="en") if r == "ftc.testimonial"] == ["warn"]


# Chinese platform formats ----------------------------------------------------------------------


def test_taobao_title_format():
    found = hits("新款<女装>连衣裙🔥", platform="taobao", field="title")
    assert ("cn.title.emoji", "block", "🔥") in found
    assert ("cn.title.angle-brackets", "block", "<") in found
    assert not [
        h for h in hits("新款连衣裙🔥", platform="taobao", field="description") if h[0] == "cn.title.emoji"
    ]


def test_xiaohongshu_contact_diversion():
    assert {"加微信", "VX"} <= flagged("喜欢的加微信或VX私聊", platform="xiaohongshu", field="body")
    assert flagged("儿童电话手表测评", platform="xiaohongshu", field="body") == set()
    assert "微信" not in flagged("加微信", platform="taobao")


# Rule data --------------------------------------------------------------------------------------


def test_every_rule_is_complete():
    rules = load_rules()
    assert len({r.id for r in rules}) == len(rules)
    for rule in rules:
        assert rule.severity in ("block", "warn", "info")
        assert rule.message.get("zh") and rule.message.get("en"), rule.id
        assert set(rule.suggestion) >= {"zh", "en"}, rule.id
        if rule.categories:
            assert rule.categories <= set(product_categories()), rule.id


def test_user_rules_override_and_extend(shopscribe_home):
    folder = shopscribe_home / "rules"
    folder.mkdir()
    (folder / "mine.json").write_text(
        json.dumps(
            {
                "rules": [
                    {"id": "cn.adlaw.superlative-soft", "disabled": True},
                    {
                        "id": "user.no-cheap",
                        "category": "custom",
                        "severity": "warn",
                        "terms": ["便宜货"],
                        "message": {"zh": "不要说{term}", "en": "Avoid {term}"},
                    },
                ]
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    reload()
    try:
        found = hits("最新款便宜货", ui_lang="zh")
        assert ("user.no-cheap", "warn", "便宜货") in found
        assert not [h for h in found if h[0] == "cn.adlaw.superlative-soft"]
    finally:
        reload()


def test_malformed_user_rule_is_a_clear_error(shopscribe_home):
    folder = shopscribe_home / "rules"
    folder.mkdir()
    (folder / "bad.json").write_text(
        json.dumps(
            {
                "rules": [
                    {"id": "x", "category": "c", "severity": "fatal", "terms": ["a"], "message": {"en": "a"}}
                ]
            }
        )
    )
    reload()
    try:
        with pytest.raises(RuleFileError, match="bad.json"):
            check_text("hello")
    finally:
        reload()

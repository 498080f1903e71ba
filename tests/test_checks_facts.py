"""The fact guard: numbers, units, prices and claims in an output matched against the merchant's input
after normalisation, with severity by stakes and the source of every supported fact."""

from __future__ import annotations

import pytest

from desktop.core.checks.facts import check_facts, extract_facts, source_index
from desktop.core.checks.facts.numbers import parse_zh_numeral


def unsupported(output: str, sources: dict, platform: str | None = None) -> list[tuple[str, str]]:
    result = check_facts(output, source_index(sources), platform=platform)
    for f in result.findings:
        assert output[f.start:f.end] == f.text and f.category == "unsupported-fact"
    return [(f.text, f.severity) for f in result.findings]


def supported(output: str, sources: dict, platform: str | None = None) -> list[tuple[str, str]]:
    result = check_facts(output, source_index(sources), platform=platform)
    return [(s["text"], s["source"]) for s in result.supported]


# --- one fact, many spellings -------------------------------------------------------------------
@pytest.mark.parametrize("output", [
    "容量750ml", "750 ml", "750 ML", "0.75 L", "0.75升", "750毫升", "７５０ｍｌ", "holds 25.4 fl oz",
    "七百五十毫升",
])
def test_capacity_in_any_unit_and_width_is_the_same_fact(output):
    assert unsupported(output, {"Specifications": "Capacity 750 ml"}) == []
    assert len(supported(output, {"Specifications": "Capacity 750 ml"})) == 1


@pytest.mark.parametrize("output", ["24 h", "24小时", "24 hours", "一天", "1 day", "二十四小时", "２４Ｈ"])
def test_a_duration_reads_the_same_in_hours_days_and_chinese(output):
    assert unsupported(f"keeps hot for {output}", {"Key features": "保温24小时"}) == []


@pytest.mark.parametrize("output", ["¥29", "29元", "29.00元", "￥29", "RMB 29", "29块钱", "售价29"])
def test_a_price_in_yuan_reads_the_same_in_every_form(output):
    assert unsupported(output, {"Price": "¥29"}) == []


def test_a_price_in_another_currency_is_not_the_same_price():
    assert unsupported("only $29", {"Price": "29元"}) == [("$29", "block")]
    assert unsupported("only $29", {"Price": "29"}) == []  # a bare number in the input: any currency


@pytest.mark.parametrize(("source", "output"), [
    ("月销1.5万", "15,000 sold"), ("15000 sold", "销量1.5万+"), ("10k+ reviews", "10,000 reviews"),
    ("3000mAh", "3千毫安"), ("电池3000毫安", "3,000 mAh"), ("2年质保", "two years"),
    ("两年质保", "2-year warranty"),
    ("30 x 20 x 10 cm", "30×20×10厘米"), ("100°C", "212°F"), ("12 inches", "30 cm"), ("5 kg", "11 lbs"),
    ("50%", "百分之五十"), ("5折", "50% off"), ("8.5折", "15% off"), ("Pack of 6", "6 pieces"),
    ("6支装", "6 pcs"),
    ("12 months", "1 year"), ("30天无理由退货", "one month"),
])
def test_units_multipliers_and_discounts_normalise(source, output):
    assert unsupported(output, {"Specifications": source}) == []


@pytest.mark.parametrize(("output", "ok"),
                         [("3-5天", True), ("3～5天", True), ("3到5天", True), ("3-5 days", True),
                                            ("3天", True), ("4天", False), ("3-7天", False)])
def test_ranges_are_supported_endpoint_by_endpoint(output, ok):
    assert (unsupported(f"{output}发货", {"Shipping": "下单后3-5天发货"}) == []) is ok


@pytest.mark.parametrize(("text", "value"),
                         [("十二", 12), ("二十四", 24), ("两", 2), ("一百五十", 150), ("三千", 3000),
                                             ("一万五千", 15000), ("三点五", 3.5), ("半", 0.5),
                                             ("一个", None)])
def test_chinese_numerals(text, value):
    assert parse_zh_numeral(text) == value


# --- what is unsupported, and how much it matters -----------------------------------------------------
SOCKS = {"Product name": "Merino hiking socks", "Key features": "Soft merino blend, cushioned heel",
         "Price": "$19.99"}


@pytest.mark.parametrize(("output", "expected"), [
    ("Price: 24.00 | ItemPrice: $159.68", [("24.00", "block"), ("$159.68", "block")]),
    ("Only $19.99", []),
    ("Holds 750 ml", [("750 ml", "block")]),
    ("Ships in 3-5 days", [("3-5 days", "block")]),
    ("Save 20%", [("20%", "block")]),
    ("Rated 4.8/5", [("4.8/5", "block")]),
    ("Loved by 10,000+ happy customers", [("10,000+ happy customers", "block")]),
    ("Over 5,000 sold", [("5,000 sold", "block")]),
    ("Made in Italy", [("Made in Italy", "block")]),
    ("中国制造", [("中国制造", "block")]),
    ("CE certified and BPA-free", [("CE certified", "block"), ("BPA-free", "block")]),
    ("Red Dot award winner", [("Red Dot award", "block")]),
    ("A 2-pack", [("2-pack", "block")]),
    ("5 tips for your hike", [("5 tips", "info")]),
    ("Since 1998", [("1998", "info")]),
    ("五月上市", [("五月", "info")]),
    ("As comfy as Nike socks", [("Nike", "warn")]),
    ("Customers rave about them", [("Customers rave", "block")]),
])
def test_unsupported_facts_and_their_severity(output, expected):
    assert unsupported(output, SOCKS, platform="shopify") == expected


def test_another_marketplace_in_a_listing_is_unsupported_but_its_own_is_not():
    assert unsupported("Amazon customized mugs", {"Product name": "Custom mug"}, platform="shopify") == [
        ("Amazon", "block")]
    assert unsupported("Also on 京东", {"Product name": "Custom mug"},
                       platform="shopify") == [("京东", "block")]
    assert unsupported("Amazon customized mugs", {"Product name": "Custom mug"}, platform="amazon") == []
    assert unsupported("天猫旗舰店", {"Product name": "马克杯"}, platform="taobao") == []  # one group's shops
    assert unsupported("Amazon customized mugs", {"Notes": "also sold on Amazon"}, platform="shopify") == []


def test_numbers_that_state_no_claim_are_read_as_whole_codes_and_list_markers_not_at_all():
    text = ("XR-500 model.\n1. Fill it\n2) close it. Call at 9:00, 24/7 support, 3-in-1 lid, 4K camera, 5G, "
            "order 4000500827, v2.1, #1 tip")
    assert [(f.kind, f.text) for f in extract_facts(text)] == [
        ("code", "XR-500"), ("code", "9:00"), ("code", "24/7"), ("code", "3-in-1"), ("code", "4K"),
        ("code", "5G"), ("code", "4000500827"), ("code", "v2.1"), ("code", "#1")]
    assert unsupported("4K camera, 3-in-1 lid", {"Key features": "4K camera"}) == [("3-in-1", "info")]


def test_an_invented_code_or_number_is_flagged_as_information_and_the_merchants_own_is_not():
    sources = {"Product name": "Trail bottle XR-500", "Notes": "order line 4000500827"}
    out = "The XR-500, not the XR-700. Call 4000500827 or 4000500999.\n1. Fill it\n2. Close it"
    assert unsupported(out, sources) == [("XR-700", "info"), ("4000500999", "info")]
    assert unsupported("<img width=\"15em\" id='nbsp235'>", {"Name": "Mug"}) == [
        ("15em", "info"), ("nbsp235", "info")]


def test_a_code_is_supported_by_the_same_whole_token_only_and_a_unit_after_a_slash_reads_its_number():
    """From a quality run: in "8/9 年" the 9 was read as a code and "supported" by the 9 inside 69元."""
    price = {"Price": "69元", "Key features": "100%亚麻"}
    assert unsupported("8/9 年新订", price) == [("8", "info"), ("9 年", "block")]
    assert unsupported("XR-7 or XR-700", {"Name": "Bottle XR-700"}) == [("XR-7", "info")]
    assert unsupported("1/2 cup of rice", {"Specs": "1/2 cup"}) == []
    assert unsupported("18/8 stainless steel", {"Material": "18/8 stainless steel"}) == []  # a steel grade
    assert unsupported("24/7 support", {"Notes": "24/7 support"}) == []
    assert unsupported("XR500 or XR.500", {"Name": "Bottle XR-500"}) == []  # the same code, written otherwise
    assert unsupported("[Key Feature1] - great", {"Name": "Earbuds", "Template": "Write 1 headline."}) == [
        ("Feature1", "info")]  # a bare 1 elsewhere is no support for a code


def test_a_size_written_without_spaces_is_a_size_not_a_code():
    """From a quality run: "70x140cm" was read as a code and flagged, though the input says 70 x 140 cm."""
    towel = {"Size": "70 x 140 cm"}
    for written in ("70x140cm", "70x140 cm", "70 x 140 cm", "70×140cm", "70*140cm"):
        assert unsupported(f"Size: {written}", towel) == [], written
    assert unsupported("Size: 80x160cm", towel) == [("80x160cm", "block")]  # another size: a product fact
    assert unsupported("RTX4090 inside", {"Name": "RTX3080 laptop"}) == [("RTX4090", "info")]  # still a code


def test_a_link_the_merchant_never_gave_blocks_and_one_to_their_own_site_does_not():
    out = "Order at https://www.example-shop.com/p/263?ref=9 today."
    assert unsupported(out, {"Name": "Mug"}) == [("https://www.example-shop.com/p/263?ref=9", "block")]
    assert unsupported(out, {"Brand profile": "Our shop: example-shop.com"}) == []
    assert unsupported("见 www.taobao-fake.cn/1234 领券", {"Name": "杯子"}) == [
        ("www.taobao-fake.cn/1234", "block")]


def test_the_input_supports_a_number_in_any_form_it_is_written():
    sources = {"Product name": "Trail bottle XR-500", "Notes": "Model year 2024; fits 3 sizes"}
    assert unsupported("The XR-500 holds 500 ml", sources) == [("500 ml", "block")]  # 500 ml was never stated
    assert unsupported("Model 500, 3 sizes, new for 2024", sources) == []


def test_template_and_brand_profile_are_sources_with_provenance():
    sources = {"Key features": "Keeps drinks hot for 12 hours",
               "Brand profile": "Warmhill, family-run since 1998",
               "Template": "Mention free shipping on orders over $50."}
    out = "Hot for 12 hours. Free shipping over $50. Warmhill, since 1998."
    assert unsupported(out, sources) == []
    assert supported(out, sources) == [("12 hours", "Key features"), ("$50", "Template"),
                                       ("1998", "Brand profile")]


def test_words_for_one_do_not_support_a_figure():
    # "one-hand lid" states no quantity: "一天" (one day) is still unsupported
    assert unsupported("保温一天", {"Key features": "one-hand flip lid"}) == [("一天", "block")]


def test_idioms_and_narration_are_not_facts():
    assert unsupported("一年四季都能用，每一天都元气满满，one day you will love it", {"Name": "杯子"}) == []


def test_offsets_point_into_the_checked_text():
    text = "好评如潮，月销10万+，产自日本，售价¥99，容量５００ｍｌ"
    result = check_facts(text, source_index({"Name": "保温杯"}))
    assert [text[f.start:f.end] for f in result.findings] == [f.text for f in result.findings]
    assert [f.text for f in result.findings] == ["好评如潮", "月销10万", "产自日本", "¥99", "５００ｍｌ"]


def test_supported_facts_carry_their_source_in_the_field_order():
    sources = {"Specifications": "Capacity 500 ml; weight 280 g", "Price": "$24.99"}
    assert supported("500 ml, 280 g, $24.99", sources) == [
        ("500 ml", "Specifications"), ("280 g", "Specifications"), ("$24.99", "Price")]


def test_a_bare_number_is_supported_by_the_same_number_with_any_unit_in_the_input():
    assert unsupported("高度40，续航2000", {"Specifications": "高40厘米；电池2000毫安"}) == []
    # a unit changes the fact
    assert unsupported("40 ml", {"Specifications": "高40厘米"}) == [("40 ml", "block")]


def test_one_of_something_is_not_a_count_claim():
    assert unsupported("This one pack includes a lid", {"Name": "Coffee set"}) == []
    assert unsupported("This 2-pack includes a lid", {"Name": "Coffee set"}) == [("2-pack", "block")]

"""Results as the merchant sees them: structured answers streamed as readable text identical to what
the history saves, text appended without re-setting the editor, findings underlined in place with
their message, meters red past the limit, and a suggestion applied in one click (real checks)."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QPushButton

from desktop.core.compose import VariantResult
from desktop.core.compose_request import ComposeRequest
from desktop.core.content.structured import fields_to_text
from desktop.core.content.templates import load_builtin_templates
from desktop.core.store import open_db
from desktop.ui import compose_bridge as bridge
from desktop.ui.readable import ReadableJsonStream, section_spans, sections_to_fields
from desktop.ui.widgets.result_card import OutputLayout, ResultCard

SAMPLE = {"string": "真空保温杯 \"12h\"\n第二行 😀", "list": ["316 不锈钢", "Leak-proof lid", "一键弹盖"]}


def _fields(template) -> dict:
    return {
        o.name: (list(SAMPLE["list"]) if o.type == "list" else SAMPLE["string"]) for o in template.outputs
    }


def _chunks(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


@pytest.mark.parametrize("template_id",
                         sorted(t.id for t in load_builtin_templates().values() if t.structured))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_streamed_structured_text_is_what_history_saves(template_id, lang):
    template = load_builtin_templates()[template_id]
    fields = _fields(template)
    raw = json.dumps(fields, ensure_ascii=template_id < "m")  # both escaped and raw Unicode
    labels = bridge.output_labels(template, lang, template.platform)
    expected = fields_to_text(fields, template, lang, template.platform)
    for size in (1, 3, 7, len(raw)):
        stream = ReadableJsonStream(labels, lang)
        text = "".join(stream.feed(chunk) for chunk in _chunks(raw, size))
        assert text == expected
    lists = {o.name for o in template.outputs if o.type == "list"}
    assert sections_to_fields(text, labels, lang, lists) == fields
    for span in section_spans(text, labels, lang, lists):
        value = fields[span.field] if span.item is None else fields[span.field][span.item]
        assert text[span.start : span.end] == value


def _card(qtbot, text: str, layout: OutputLayout, fields: dict | None = None) -> ResultCard:
    """A card that received `text` streamed in pieces (as JSON when the layout is structured)."""
    card = ResultCard(0, layout)
    qtbot.addWidget(card)
    card.resize(520, 420)
    card.show()
    changes = []
    card.editor.document().contentsChange.connect(lambda pos, removed, added: changes.append(removed))
    streamed = json.dumps(fields, ensure_ascii=False) if layout.structured else text
    for chunk in _chunks(streamed, 2):
        card.append(chunk)
    assert changes and all(removed == 0 for removed in changes)  # appended only: no re-set, no flicker
    assert card.text() == text
    card.finish(VariantResult(
        index=0, history_id=None, text=text, fields=fields, seed=1, prompt_tokens=10, completion_tokens=20,
        ttft_s=0.25, tokens_per_s=31.5, stop_reason="end",
    ))
    assert "0.25" in card.stats.text() and "31.5" in card.stats.text()
    return card


def _check(card: ResultCard, template_id: str, platform: str, inputs: dict, lang: str = "zh"):
    """The review the Compose page runs (the same call, on this thread), shown in the card."""
    template = load_builtin_templates()[template_id]
    request = ComposeRequest(content_type=template.content_type, platform=platform, lang=lang, fields=inputs,
                             template_id=template_id, ui_lang=lang)
    db = open_db()
    try:
        _reviewer, review = bridge.review_result(db, request, None, card.text(), card.fields(), ui_lang=lang)
    finally:
        db.close()
    card.set_review(review, card.text(), {"title": "宝贝标题"}, lang)
    return review


CUP = {"product_name": "真空不锈钢保温杯"}


def test_findings_underlined_meter_red_and_one_click_fix(qtbot):
    text = "全网第一的真空不锈钢保温杯，" * 3
    card = _card(qtbot, text, OutputLayout(lang="zh", single_field="title"))
    _check(card, "taobao-title", "taobao", CUP)
    assert card.meters.any_over and "84 / 60" in card.meters.text()
    waves = [(start, end) for start, end, style in card.highlighter.underlined() if style == "wave"]
    assert len(waves) >= 3  # drawn in the text's layout
    assert text[waves[0][0] : waves[0][1]] == "全网第一"
    message = card.highlighter.finding_at(1).message
    assert "广告法" in message  # the tooltip shown when hovering the underlined words

    buttons = card.findChildren(QPushButton, "applySuggestionButton")
    assert buttons
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    assert card.text().count("全网第一") == 2  # one click removed the first absolute term
    _check(card, "taobao-title", "taobao", CUP)
    assert card.text().count("全网第一") == 2 and len(card.highlighter.underlined()) >= 2


def test_structured_findings_are_placed_in_their_field(qtbot):
    template = load_builtin_templates()["taobao-detail"]
    fields = {"title": "保温杯", "selling_points": "保温12小时", "description": "这是全网第一的好杯子"}
    labels = bridge.output_labels(template, "zh", "taobao")
    text = fields_to_text(fields, template, "zh", "taobao")
    layout = OutputLayout(lang="zh", structured=True, labels=labels, list_fields=set())
    card = _card(qtbot, text, layout, fields)
    assert card.fields() == fields
    _check(card, "taobao-detail", "taobao", {"product_name": "保温杯", "features": "保温12小时"})
    placed = [p for p in card._placed if p.finding.text == "全网第一"]
    assert placed and text[placed[0].start : placed[0].end] == "全网第一"
    assert placed[0].start > text.index(labels["description"])
    assert not card.meters.any_over


def test_facts_are_placed_in_their_field_with_their_source_and_the_score_explains_itself(qtbot):
    template = load_builtin_templates()["taobao-detail"]
    inputs = {"product_name": "保温杯 500ml", "features": "保温12小时"}
    fields = {"title": "保温杯 500ml", "selling_points": "保温12小时，仅售¥19",
              "description": "500ml 大容量，12小时保温。"}
    labels = bridge.output_labels(template, "zh", "taobao")
    text = fields_to_text(fields, template, "zh", "taobao")
    card = _card(qtbot, text, OutputLayout(lang="zh", structured=True, labels=labels, list_fields=set()),
                 fields)
    review = _check(card, "taobao-detail", "taobao", inputs)
    price = [p for p in card._placed if p.finding.category == "unsupported-fact"]
    assert [text[p.start:p.end] for p in price] == ["¥19"]
    assert price[0].start > text.index(labels["selling_points"])  # in its own field's section
    backed = card.highlighter.facts
    assert {text[f.start:f.end] for f in backed} >= {"500ml", "12小时"}
    assert all(text[f.start:f.end] == f.text for f in backed)
    assert {f.source for f in backed if f.text == "12小时"} == {"卖点/特点"}  # the field's label
    assert card.highlighter.tip_at(text.rindex("500ml") + 1) == "From: 商品名称"
    assert "500ml — 商品名称" in card.sources.text()
    assert card.score.value == review.score["value"] < 100
    facts_part = next(p for p in review.score["parts"] if p["id"] == "facts")
    shown = card.score.text()
    assert facts_part["label"]["zh"] in shown and f"\u2212{-facts_part['points']}" in shown
    assert card.score.toolTip().count("\n") == len(review.score["parts"])  # every part: a line each


def _finding(text: str, start: int, severity: str = "block", suggestion: str = "remove"):
    from desktop.core.checks.findings import Finding

    return Finding(rule="facts.unsupported", category="unsupported-fact", severity=severity, start=start,
                   end=start + len(text), text=text, message=f"“{text}” is not in your input",
                   suggestion=suggestion)


def test_the_findings_list_refills_its_rows_and_shows_a_fix_only_where_there_is_one(qtbot):
    from desktop.ui.widgets.findings_view import FindingsList, PlacedFinding

    listing = FindingsList()
    qtbot.addWidget(listing)
    listing.show()
    first = [PlacedFinding(_finding("999元", 4), 4, 8),
             PlacedFinding(_finding("5 tips", 10, "info", ""), 10, 16),
             PlacedFinding(_finding("No.1", 20), 20, 24)]
    listing.set_findings(first)
    rows = list(listing.rows)
    assert len(rows) == 3 and all(row.isVisible() for row in rows)
    assert "999元" in rows[0].message.text() and "No.1" in rows[1].message.text()  # the blocking first
    assert "5 tips" in rows[2].message.text()
    shown = QTextDocument()
    shown.setHtml(rows[0].message.text())
    assert shown.toRawText().startswith("●\u00a0\u00a0")  # no line ends at the dot, alone
    assert [b.text() for b in listing.fix_buttons()] == ["Remove “999元”", "Remove “No.1”"]
    applied = []
    listing.applyRequested.connect(applied.append)
    qtbot.mouseClick(listing.fix_buttons()[1], Qt.MouseButton.LeftButton)
    assert applied == [first[2]]

    # a re-check with fewer findings: the same rows, refilled; the rest hidden; no stale fix left shown
    second = [PlacedFinding(_finding("5 tips", 10, "info", ""), 10, 16)]
    listing.set_findings(second)
    assert listing.rows == rows[:1] and rows[0].isVisible()
    assert not rows[1].isVisible() and not rows[2].isVisible()
    assert "5 tips" in rows[0].message.text() and listing.fix_buttons() == []
    listing.set_findings([])
    assert listing.rows == [] and not listing.isVisible()


def _long_list(qtbot):
    """A findings list on screen, and nine findings for it (three blocking)."""
    from desktop.ui.widgets.findings_view import FindingsList, PlacedFinding

    listing = FindingsList()
    qtbot.addWidget(listing)
    listing.show()
    many = [PlacedFinding(_finding(f"{n}0%", n * 5, "info" if n % 3 else "block"), n * 5, n * 5 + 3)
            for n in range(1, 10)]
    return listing, many


def test_a_long_findings_list_shows_the_first_six_and_the_rest_on_request(qtbot):
    from desktop.ui.widgets.findings_view import FindingsList

    listing, many = _long_list(qtbot)
    listing.set_findings(many)
    assert len(listing.rows) == FindingsList.SHOWN and listing.more.isVisible()
    assert listing.more.text() == "Show all 9 findings"
    shown = [row.placed.finding.severity for row in listing.rows]
    assert shown[:3] == ["block"] * 3  # all three blocking findings are among those shown
    qtbot.mouseClick(listing.more, Qt.MouseButton.LeftButton)
    assert len(listing.rows) == 9 and all(row.isVisible() for row in listing.rows)
    assert not listing.more.isVisible()
    listing.set_findings(many[:2])  # a new check starts short again
    assert len(listing.rows) == 2 and not listing.more.isVisible()


def test_a_staged_list_reveals_one_row_at_a_time_and_its_buttons_after_the_last(qtbot):
    from desktop.ui.widgets.findings_view import FindingsList

    listing, many = _long_list(qtbot)
    listing.set_findings(many, rows=0)
    assert listing.rows == [] and not listing.isVisible()
    counts, more = [], []
    while listing.revealing:
        going = listing.reveal_row()
        counts.append(len(listing.rows))
        more.append(listing.more.isVisible())
        assert going == listing.revealing
    assert counts == [1, 2, 3, 4, 5, 6] and more == [False] * 5 + [True]
    assert listing.reveal_row() is False and len(listing.rows) == FindingsList.SHOWN
    staged = [row.placed for row in listing.rows]
    listing.set_findings(many)  # all at once: the same rows, in the same order
    assert [row.placed for row in listing.rows] == staged and listing.more.text() == "Show all 9 findings"


def test_a_review_shown_in_stages_ends_as_one_shown_at_once_and_a_newer_review_stops_it(qtbot):
    from desktop.core.content.checking import OutputReview

    text = "Bottle 10% 20% 30% 40% 50% 60% 70% 80%."
    card = _card(qtbot, text, OutputLayout(lang="en"))
    findings = [{"rule": "sample", "category": "unsupported-fact", "severity": "block", "start": i,
                 "end": i + 3, "text": text[i:i + 3], "message": f"Not in your input: {text[i:i + 3]}",
                 "suggestion": "", "field": ""} for i in range(7, 39, 4)]
    review = OutputReview(findings, score={"value": 20, "parts": []})
    revealed = []
    reveal = card.findings.reveal_row

    def counted() -> bool:
        going = reveal()
        revealed.append(len(card.findings.rows))
        return going

    card.findings.reveal_row = counted
    card.set_review(review, text, {}, "en", staged=True)
    assert card.findings.rows == [] and card.score.value is None  # the underlines only, for now
    qtbot.waitUntil(lambda: card.findings.more.isVisible(), timeout=5000)
    assert revealed == [1, 2, 3, 4, 5, 6]  # a row a step, each step its own timer turn
    assert card.score.value == 20 and card.findings.more.text() == "Show all 8 findings"
    staged = [row.message.text() for row in card.findings.rows]
    card.set_review(review, text, {}, "en")  # at once
    assert [row.message.text() for row in card.findings.rows] == staged

    revealed.clear()
    card.set_review(review, text, {}, "en", staged=True)
    qtbot.waitUntil(lambda: len(revealed) == 2, timeout=5000)  # part way through its rows...
    newer = OutputReview(findings[:1], score={"value": 80, "parts": []})
    card.set_review(newer, text, {}, "en")  # ...a newer one
    qtbot.wait(300)
    assert revealed == [1, 2] and len(card.findings.rows) == 1 and card.score.value == 80


CUP_FACTS = {"product_name": "保温杯", "features": "保温12小时；一键弹盖"}


def _detail_card_without_facts(qtbot) -> tuple[ResultCard, str]:
    """A Taobao detail whose text carries neither key fact of CUP_FACTS: (the card, its text)."""
    template = load_builtin_templates()["taobao-detail"]
    fields = {"title": "保温杯", "selling_points": "好用", "description": "一只好看的杯子。"}
    labels = bridge.output_labels(template, "zh", "taobao")
    text = fields_to_text(fields, template, "zh", "taobao")
    card = _card(qtbot, text, OutputLayout(lang="zh", structured=True, labels=labels, list_fields=set()),
                 fields)
    return card, text


def test_a_missing_key_fact_is_added_to_the_main_text_with_one_click(qtbot):
    """The card offers each missing key fact as "Add …"; a click puts it as a line at the end of the
    section that carries the facts (the description, not the title), and the next check finds it."""
    card, text = _detail_card_without_facts(qtbot)
    inputs = CUP_FACTS
    review = _check(card, "taobao-detail", "taobao", inputs)
    assert review.coverage["share"] == 0.0
    adds = [b for b in card.findings.fix_buttons() if b.text().startswith("Add")]
    assert [b.text() for b in adds] == ["Add “保温12小时”", "Add “一键弹盖”"]
    qtbot.mouseClick(adds[0], Qt.MouseButton.LeftButton)
    assert card.fields()["description"] == "一只好看的杯子。\n· 保温12小时"
    assert card.fields()["title"] == "保温杯"
    review = _check(card, "taobao-detail", "taobao", inputs)
    assert [m["text"] for m in review.coverage["missing"]] == ["一键弹盖"]


def test_all_missing_key_facts_are_added_with_one_click_and_undone_with_one(qtbot):
    card, text = _detail_card_without_facts(qtbot)
    inputs = CUP_FACTS
    _check(card, "taobao-detail", "taobao", inputs)
    add_all = card.findings.add_all
    assert add_all.isVisible() and add_all.text() == "Add all 2 missing facts"
    qtbot.mouseClick(add_all, Qt.MouseButton.LeftButton)
    assert card.fields()["description"] == "一只好看的杯子。\n· 保温12小时\n· 一键弹盖"
    review = _check(card, "taobao-detail", "taobao", inputs)
    assert review.coverage["missing"] == [] and not add_all.isVisible()
    card.editor.undo()  # one edit: one undo takes both lines out
    assert card.text() == text


def test_a_long_fix_is_cut_short_on_its_button_and_whole_in_its_tooltip(qtbot):
    from desktop.core.checks.findings import Finding
    from desktop.ui.widgets.findings_view import FindingsList, PlacedFinding

    listing = FindingsList()
    qtbot.addWidget(listing)
    listing.show()
    missing = Finding(rule="coverage.key", category="coverage", severity="info", start=5, end=5, text="",
                      message="The key fact is not in the text: add it.",
                      suggestion="\n· keeps drinks hot for 12 hours")
    listing.set_findings([PlacedFinding(missing, 5, 5)])
    (button,) = listing.fix_buttons()
    assert button.text() == "Add “keeps drinks…”"  # cut at a space, never mid-word
    assert button.toolTip() == "Add “keeps drinks hot for 12 hours”"

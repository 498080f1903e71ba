"""Checking a text: rules from resources/rules, the brand's own words, SEO keywords and platform
length limits, in one pass. Pure: the same answer in the editor, the batch export and the CLI."""

from __future__ import annotations

import bisect
import re
import statistics
import time
from collections import Counter
from collections.abc import Iterable

from desktop.core.checks.brand import BrandRules, banned_findings, coverage_findings, trademark_spans
from desktop.core.checks.categories import infer_category
from desktop.core.checks.findings import CheckResult, Finding, drop_overlaps, sort_key
from desktop.core.checks.lengths import count_findings, hashtag_findings, measure
from desktop.core.checks.rules import Rule, select_rules
from desktop.core.checks.textmatch import detect_lang, fold, fold_term, iter_matches

UI_LANGS = ("zh", "en")
_WORD_RE = re.compile(r"[a-z0-9\u00c0-\u024f]+(?:['’][a-z]+)?|&")


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) lies inside one of `spans` (sorted, non-overlapping, as regex scans give)."""
    i = bisect.bisect_right(spans, (start, float("inf"))) - 1
    return i >= 0 and spans[i][1] >= end


def _term_findings(rule: Rule, text: str, folded: str, text_lang: str, ui_lang: str) -> list[Finding]:
    out = []
    exempt_spans: list[tuple[int, int]] | None = None
    for m in iter_matches(rule.regex, folded):
        start, end = m.span()
        if rule.exempt is not None:
            if exempt_spans is None:  # only look for exemptions once a rule has matched
                exempt_spans = [x.span() for x in iter_matches(rule.exempt, folded)]
            if _inside(exempt_spans, start, end):
                continue
        term = text[start:end]
        out.append(
            Finding(
                rule=rule.id,
                category=rule.category,
                severity=rule.severity,
                start=start,
                end=end,
                text=term,
                message=rule.message_for(ui_lang, term),
                suggestion=rule.suggestion_for(text_lang, m.group(0)),
            )
        )
    return out


def _word_repeat_findings(rule: Rule, text: str, folded: str, text_lang: str, ui_lang: str) -> list[Finding]:
    """Each use of a word past the allowed number (Amazon: twice) is a finding."""
    limit = int(rule.params.get("max_repeats", 2))
    ignore = {fold_term(w) for w in rule.params.get("ignore_words", [])}
    seen: Counter = Counter()
    out = []
    for m in _WORD_RE.finditer(folded):
        word = m.group(0)
        if word in ignore or word.isdigit():
            continue
        seen[word] += 1
        if seen[word] > limit:
            term = text[m.start() : m.end()]
            out.append(
                Finding(
                    rule=rule.id,
                    category=rule.category,
                    severity=rule.severity,
                    start=m.start(),
                    end=m.end(),
                    text=term,
                    message=rule.message_for(ui_lang, term),
                    suggestion=rule.suggestion_for(text_lang, word),
                )
            )
    return out


def _required_findings(rule: Rule, text: str, folded: str, text_lang: str, ui_lang: str) -> list[Finding]:
    phrase = rule.params["phrase"]
    if fold_term(phrase) in folded:
        return []
    at = len(text) if rule.params.get("position", "start") == "end" else 0
    return [
        Finding(
            rule=rule.id,
            category=rule.category,
            severity=rule.severity,
            start=at,
            end=at,
            text="",
            message=rule.message_for(ui_lang, phrase),
            suggestion=rule.suggestion_for(text_lang, ""),
        )
    ]


_BY_KIND = {"terms": _term_findings, "word_repeat": _word_repeat_findings, "required": _required_findings}


def check_text(
    text: str,
    *,
    platform: str | None = None,
    field: str | None = None,
    lang: str | None = None,
    category: str | None = None,
    brand: dict | None = None,
    keywords: list[str] | None = None,
    ui_lang: str = "en",
    context: str = "",
    infer: bool = True,
) -> CheckResult:
    """Every finding in `text` and its length as the platform counts it.

    `platform`/`field` pick the platform rules and the limit (without a field, every field of the
    platform is measured for reference); `lang` (zh/en, detected when None) picks language rules and
    the language of replacements; `category` (see rules.product_categories) picks medical and
    cosmetics rules: when None it is inferred from `context` (the product's own words) and the text,
    unless `infer` is off, and the result says which; `brand` adds banned words, must-use phrases and
    trademarks (exempt from rules); `keywords` are SEO keywords that should appear; messages are in
    `ui_lang`.
    """
    ui_lang = ui_lang if ui_lang in UI_LANGS else "en"
    inferred = infer_category(context, text) if category is None and infer else None
    if inferred is not None:
        category = inferred.id
    text_lang = lang or detect_lang(text)
    folded = fold(text)
    rules_brand = BrandRules.from_dict(brand)

    matches: list[Finding] = []
    for rule in select_rules(platform, field, lang, category):
        if rule.confirmable and rule.confirmable in rules_brand.confirmed:
            continue
        matches.extend(_BY_KIND[rule.kind](rule, text, folded, text_lang, ui_lang))
    protected = trademark_spans(rules_brand, folded)
    if protected:
        matches = [f for f in matches if f.start == f.end or not _inside(protected, f.start, f.end)]
    matches.extend(banned_findings(rules_brand, text, folded, ui_lang))

    matches.extend(hashtag_findings(text, platform, ui_lang))

    spans = [f for f in matches if f.start < f.end]
    findings = drop_overlaps(spans) + [f for f in matches if f.start == f.end]
    findings += coverage_findings(list(rules_brand.must_use), folded, "must_use", ui_lang)
    findings += coverage_findings(list(keywords or []), folded, "keyword", ui_lang)
    lengths, length_findings = measure(text, platform, field, ui_lang)
    findings += length_findings
    findings.sort(key=sort_key)
    return CheckResult(findings=findings, lengths=lengths, category=inferred.to_dict() if inferred else None)


def check_fields(
    fields: dict[str, str | list[str]],
    platform: str | None,
    *,
    lang: str | None = None,
    category: str | None = None,
    brand: dict | None = None,
    keywords: list[str] | None = None,
    ui_lang: str = "en",
    context: str = "",
) -> dict[str, CheckResult]:
    """Check each field of a structured result against its own platform field rules and limit.

    Keys are the field names; a list field (bullets, headlines) gives one result per item under
    `name[i]` plus, when the platform limits how many items it takes, a result under `name` with the
    count. Must-use phrases and keywords are looked for across all fields together; a missing one is
    reported (and inserted, when applied) in the first field. Without a `category`, one is inferred
    for all fields together from `context` (the product's words) and the fields' text.
    """
    ui_lang = ui_lang if ui_lang in UI_LANGS else "en"
    inferred = None
    if category is None:
        every = "\n".join(
            str(v) for value in fields.values() for v in (value if isinstance(value, list) else [value])
        )
        inferred = infer_category(context, every)
        category = inferred.id if inferred else None
    common = {"platform": platform, "lang": lang, "category": category, "ui_lang": ui_lang, "infer": False}
    brand_rules_only = dict(brand or {}, must_use=[])
    out: dict[str, CheckResult] = {}
    all_text: list[str] = []
    for name, value in fields.items():
        items = value if isinstance(value, list) else None
        if items is None:
            out[name] = check_text(str(value or ""), field=name, brand=brand_rules_only, **common)
            all_text.append(str(value or ""))
            continue
        for i, item in enumerate(items):
            out[f"{name}[{i}]"] = check_text(str(item or ""), field=name, brand=brand_rules_only, **common)
            all_text.append(str(item or ""))
        if platform is not None:
            report, findings = count_findings([str(i) for i in items], platform, name, ui_lang)
            if report is not None:
                out[name] = CheckResult(findings=findings, lengths=[report])
    missing = coverage_findings(
        list(BrandRules.from_dict(brand).must_use), fold("\n".join(all_text)), "must_use", ui_lang
    )
    missing += coverage_findings(list(keywords or []), fold("\n".join(all_text)), "keyword", ui_lang)
    if missing and out:
        first = next(iter(out))
        out[first].findings[:0] = missing
    if inferred is not None:
        for result in out.values():
            result.category = inferred.to_dict()
    return out


SAMPLE_ZH = (
    "这款全网第一的精华液采用最新科技，温和不刺激，最佳使用温度为25度。本店最新款顶级面霜，抗敏消炎，"
    "100%纯棉包装袋，仅此一次的优惠。适合干性和混合性肌肤，早晚使用，质地清爽好吸收。"
)
SAMPLE_EN = (
    "Best seller! Our #1 rated serum is made in USA and guaranteed to cure dry skin. Gentle and light. "
)


def bench_check(
    n_chars: int = 10_000,
    repeats: int = 7,
    platform: str = "taobao",
    field: str = "description",
    texts: Iterable[str] = (SAMPLE_ZH, SAMPLE_EN),
) -> float:
    """Median seconds of one check of a mixed Chinese/English text of `n_chars` characters (the
    editor re-checks on every keystroke, so this must stay in milliseconds)."""
    unit = "".join(texts)
    text = (unit * (n_chars // len(unit) + 1))[:n_chars]
    check_text(text, platform=platform, field=field)  # warm the rule cache
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        check_text(text, platform=platform, field=field, category="cosmetics")
        times.append(time.perf_counter() - t0)
    return statistics.median(times)

"""Length reports and length findings. Every limit comes from desktop.core.platforms (resources/
platforms.json, overridable by the user): nothing here knows a number."""

from __future__ import annotations

import re

from desktop.core.checks.counters import count, cut_index
from desktop.core.checks.findings import NO_FIX, REMOVE, Finding, LengthReport
from desktop.core.platforms import FieldLimit, field_limit, field_limits, platforms

COUNTER_LABELS = {
    "characters": {"zh": "字符", "en": "characters"},
    "utf8_bytes": {"zh": "字节(UTF-8)", "en": "UTF-8 bytes"},
    "width": {"zh": "宽度(汉字计2)", "en": "width (CJK counts 2)"},
    "x_weighted": {"zh": "X加权长度", "en": "X weighted length"},
    "items": {"zh": "条", "en": "items"},
}


def _label(limit: FieldLimit, ui_lang: str) -> str:
    return limit.label.get(ui_lang) or limit.label.get("en") or limit.field


def _unit(counter: str, ui_lang: str) -> str:
    return COUNTER_LABELS.get(counter, {}).get(ui_lang, counter)


def limits_for(platform: str | None, field: str | None) -> tuple[list[FieldLimit], bool]:
    """The limits to measure and whether they are the checked field's own (so an excess is a
    finding). Without a field, a platform with one field means that field; otherwise every field is
    measured for reference only."""
    if platform is None or platform not in platforms():
        return [], False
    if field is not None:
        limit = field_limit(platform, field)
        return ([limit], True) if limit else ([], False)
    all_limits = field_limits(platform)
    return all_limits, len(all_limits) == 1


def _report(text: str, limit: FieldLimit) -> LengthReport:
    return LengthReport(
        field=limit.field,
        counter=limit.counter,
        value=count(limit.counter, text),
        limit=limit.max,
        recommended=limit.recommended,
        min=limit.min,
    )


def _over_finding(
    text: str, limit: FieldLimit, bound: int, value: int, severity: str, ui_lang: str
) -> Finding:
    cut = cut_index(limit.counter, text, bound)
    label, unit = _label(limit, ui_lang), _unit(limit.counter, ui_lang)
    if severity == "block":
        rule = f"length.{limit.platform}.{limit.field}"
        message = (
            f"{label}长度 {value} {unit}，超过上限 {bound}：超出部分会被截断或拒绝。"
            if ui_lang == "zh"
            else f"{label} is {value} {unit}, over the limit of {bound}: the part past it is cut or rejected."
        )
    else:
        rule = f"length.{limit.platform}.{limit.field}.recommended"
        message = (
            f"{label}长度 {value} {unit}，超过建议的 {bound}：超出部分可能被折叠不显示。"
            if ui_lang == "zh"
            else f"{label} is {value} {unit}, over the recommended {bound}: the rest may be hidden."
        )
    return Finding(
        rule=rule,
        category="length",
        severity=severity,
        start=cut,
        end=len(text),
        text=text[cut:],
        message=message,
        suggestion=REMOVE,
    )


def _short_finding(text: str, limit: FieldLimit, value: int, ui_lang: str) -> Finding:
    label, unit = _label(limit, ui_lang), _unit(limit.counter, ui_lang)
    message = (
        f"{label}只有 {value} {unit}，建议至少 {limit.min}。"
        if ui_lang == "zh"
        else f"{label} is {value} {unit}; at least {limit.min} is recommended."
    )
    return Finding(
        rule=f"length.{limit.platform}.{limit.field}.min",
        category="length",
        severity="info",
        start=len(text),
        end=len(text),
        text="",
        message=message,
        suggestion=NO_FIX,
    )


def measure(
    text: str, platform: str | None, field: str | None, ui_lang: str
) -> tuple[list[LengthReport], list[Finding]]:
    """Length reports for the field (or every field of the platform) and the findings for excess."""
    limits, own = limits_for(platform, field)
    reports, findings = [], []
    for limit in limits:
        report = _report(text, limit)
        reports.append(report)
        if not own:
            continue
        if report.value > limit.max:
            findings.append(_over_finding(text, limit, limit.max, report.value, "block", ui_lang))
        elif limit.recommended is not None and report.value > limit.recommended:
            findings.append(_over_finding(text, limit, limit.recommended, report.value, "info", ui_lang))
        if limit.min is not None and 0 < report.value < limit.min:
            findings.append(_short_finding(text, limit, report.value, ui_lang))
    return reports, findings


def count_findings(
    items: list[str], platform: str, field: str, ui_lang: str
) -> tuple[LengthReport | None, list[Finding]]:
    """For a list field (bullets, headlines): how many items against the platform's count limits."""
    limit = field_limit(platform, field)
    if limit is None or (limit.count_max is None and limit.count_min is None):
        return None, []
    n = len(items)
    bound = limit.count_max if limit.count_max is not None else n
    report = LengthReport(field=field, counter="items", value=n, limit=bound, min=limit.count_min)
    label = _label(limit, ui_lang)
    findings = []
    if limit.count_max is not None and n > limit.count_max:
        message = (
            f"{label}最多 {limit.count_max} 条，现有 {n} 条：多出的不会显示。"
            if ui_lang == "zh"
            else f"{label}: at most {limit.count_max} items, found {n}; the extra ones are not shown."
        )
        findings.append(
            Finding(
                rule=f"count.{platform}.{field}",
                category="length",
                severity="warn",
                start=0,
                end=0,
                text="",
                message=message,
                suggestion=NO_FIX,
            )
        )
    if limit.count_min is not None and n < limit.count_min:
        message = (
            f"{label}至少需要 {limit.count_min} 条，现有 {n} 条。"
            if ui_lang == "zh"
            else f"{label}: at least {limit.count_min} items are needed, found {n}."
        )
        findings.append(
            Finding(
                rule=f"count.{platform}.{field}.min",
                category="length",
                severity="warn",
                start=0,
                end=0,
                text="",
                message=message,
                suggestion=NO_FIX,
            )
        )
    return report, findings


_HASHTAG_RE = re.compile(r"(?<![\w&#])#[^\s#]+")


def hashtag_findings(text: str, platform: str | None, ui_lang: str) -> list[Finding]:
    """A platform that caps hashtags per post (Instagram: 30, in `hashtags.count_max`): each tag past
    the cap, wherever it is in the post, is a finding."""
    limit = field_limit(platform, "hashtags") if platform in platforms() else None
    if limit is None or limit.count_max is None:
        return []
    tags = list(_HASHTAG_RE.finditer(text))
    out = []
    for number, m in enumerate(tags[limit.count_max :], start=limit.count_max + 1):
        message = (
            f"最多 {limit.count_max} 个话题标签，这是第 {number} 个：多出的标签会让帖子发不出去。"
            if ui_lang == "zh"
            else f"At most {limit.count_max} hashtags per post; this is number {number}, "
            "and extra tags stop the post from publishing."
        )
        out.append(
            Finding(
                rule=f"count.{platform}.hashtags",
                category="length",
                severity="block",
                start=m.start(),
                end=m.end(),
                text=m.group(0),
                message=message,
                suggestion=REMOVE,
            )
        )
    return out

"""A quality score from 0 to 100, built from the findings, with each part explained.

The score starts at 100; each part (unsupported facts, coverage of key facts, language, repetition,
length, compliance) takes points off, within its cap. The weights live in resources/facts/guards.json.
Each part says in English and Chinese what it counted, so the window and `generate --json` can show
why a result scored as it did.
"""

from __future__ import annotations

from collections import Counter

from desktop.core.checks.facts.coverage import settings

PART_OF_CATEGORY = {"unsupported-fact": "facts", "coverage": "coverage", "language": "language",
                    "repetition": "repetition", "length": "length"}
_SEVERITIES = ("block", "warn", "info")
_COUNT_WORDS = {
    "facts": ("{n} unsupported fact(s)", "{n} 处无依据的事实"),
    "language": ("not in the requested language", "不是要求的语言"),
    "repetition": ("repeated phrases", "有重复的片段"),
    "length": ("{n} length problem(s)", "{n} 处长度问题"),
    "compliance": ("{n} rule finding(s)", "{n} 处规则问题"),
}


def part_of(category: str) -> str:
    return PART_OF_CATEGORY.get(category, "compliance")


def _detail(part: str, n: int, coverage: dict | None) -> dict:
    if part == "coverage":
        if not coverage or not coverage.get("key_facts"):
            return {"en": "no key facts to cover", "zh": "没有需要覆盖的关键信息"}
        covered, total = coverage["covered"], coverage["key_facts"]
        return {"en": f"{covered} of {total} key facts in the text",
                "zh": f"覆盖了 {total} 条关键信息中的 {covered} 条"}
    if n == 0:
        return {"en": "nothing found", "zh": "没有问题"}
    en, zh = _COUNT_WORDS[part]
    return {"en": en.replace("{n}", str(n)), "zh": zh.replace("{n}", str(n))}


def quality_score(findings: list[dict], coverage: dict | None = None) -> dict:
    """{"value": 0-100,
        "parts": [{"id", "label": {en, zh}, "points" (<= 0), "findings", "detail": {en, zh}}]}.

    `findings`: finding dicts (category, severity); `coverage`: Coverage.to_dict() or None."""
    by_part: dict[str, Counter] = {}
    for finding in findings:
        by_part.setdefault(part_of(finding.get("category", "")), Counter())[
            finding.get("severity", "info")
        ] += 1
    parts = []
    total = 100.0
    for spec in settings()["score"]["parts"]:
        pid = spec["id"]
        counts = by_part.get(pid, Counter())
        points = sum(float(spec.get(f"per_{s}", 0)) * counts[s] for s in _SEVERITIES)
        if pid == "coverage" and coverage and coverage.get("key_facts"):
            missing_share = 1 - coverage["covered"] / coverage["key_facts"]
            required = sum(1 for f in coverage.get("missing", []) if f.get("required"))
            points = float(spec["missing_share"]) * missing_share + float(spec["per_required"]) * required
        points = min(points, float(spec["cap"]))
        total -= points
        parts.append({"id": pid, "label": dict(spec["label"]), "points": -round(points),
                      "findings": sum(counts.values()),
                      "detail": _detail(pid, sum(counts.values()), coverage)})
    return {"value": max(0, round(total)), "parts": parts}

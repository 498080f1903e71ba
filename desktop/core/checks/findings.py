"""What a check returns (findings and length reports, with the JSON shapes of docs/architecture.md) and
how a suggestion is applied to the text."""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop.core.errors import ShopscribeError

SEVERITY_RANK = {"block": 0, "warn": 1, "info": 2}
REMOVE = "remove"
NO_FIX = ""  # a finding the merchant must fix by hand (e.g. a text that is too short)


class StaleFindingError(ShopscribeError):
    """The text changed since it was checked, so a finding no longer points at its words."""


@dataclass(frozen=True)
class Finding:
    """One problem in the text. `start`/`end` are character offsets into the checked text and
    `text == checked[start:end]`; an empty span (start == end) marks a place to insert something
    (a missing must-use phrase, a disclaimer). `suggestion` is the replacement, "remove", or ""
    when there is no automatic fix."""

    rule: str
    category: str
    severity: str
    start: int
    end: int
    text: str
    message: str
    suggestion: str

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "message": self.message,
            "suggestion": self.suggestion,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Finding:
        """A finding dict (to_dict's, perhaps with more keys: a review's `field`) as a Finding."""
        return cls(**{name: data[name] for name in cls.__dataclass_fields__})

    @property
    def fixable(self) -> bool:
        return self.suggestion != NO_FIX


@dataclass(frozen=True)
class LengthReport:
    """One field's length as its platform counts it, beside the platform's limit."""

    field: str
    counter: str
    value: int
    limit: int
    recommended: int | None = None
    min: int | None = None

    @property
    def over(self) -> bool:
        return self.value > self.limit

    def to_dict(self) -> dict:
        out = {
            "field": self.field,
            "counter": self.counter,
            "value": self.value,
            "limit": self.limit,
            "over": self.over,
        }
        if self.recommended is not None:
            out["recommended"] = self.recommended
        if self.min is not None:
            out["min"] = self.min
        return out


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    lengths: list[LengthReport] = field(default_factory=list)
    # The product category the rules were chosen for, when it was inferred from the words rather than
    # given: {"id", "inferred": True, "from": the word that decided}.
    category: dict | None = None

    @property
    def blocking(self) -> bool:
        """True when at least one finding must be fixed before publishing."""
        return any(f.severity == "block" for f in self.findings)

    @property
    def worst(self) -> str | None:
        return min((f.severity for f in self.findings), key=SEVERITY_RANK.__getitem__, default=None)

    def to_dict(self) -> dict:
        out = {
            "findings": [f.to_dict() for f in self.findings],
            "lengths": [r.to_dict() for r in self.lengths],
        }
        if self.category is not None:
            out["category"] = dict(self.category)
        return out


def sort_key(finding: Finding) -> tuple:
    return (finding.start, -(finding.end - finding.start), SEVERITY_RANK[finding.severity], finding.rule)


def drop_overlaps(findings: list[Finding]) -> list[Finding]:
    """One finding per span: at the same span keep the most severe; a match inside a longer one
    ("100%" inside "100%有效") goes when the longer one is at least as severe."""
    kept: list[Finding] = []
    open_spans: list[Finding] = []  # kept findings that may still contain the next ones
    for f in sorted(findings, key=sort_key):
        open_spans = [k for k in open_spans if k.end > f.start]
        if any(
            k.start <= f.start and f.end <= k.end and SEVERITY_RANK[k.severity] <= SEVERITY_RANK[f.severity]
            for k in open_spans
        ):
            continue
        kept.append(f)
        open_spans.append(f)
    return kept


def _replace(text: str, finding: Finding) -> str:
    if text[finding.start : finding.end] != finding.text:
        raise StaleFindingError(
            "The text changed since it was checked, so this suggestion no longer fits: check again.",
            "文本在检查后已修改，此建议已不适用：请重新检查。"
        )
    start, end = finding.start, finding.end
    if finding.suggestion == REMOVE:
        replacement = ""
        # "a best seller item" -> "a item": drop one of the two spaces the removal leaves behind.
        # The space after the span goes, so offsets before `start` stay valid for apply_all.
        if start > 0 and text[start - 1] == " " and end < len(text) and text[end] == " ":
            end += 1
    else:
        replacement = finding.suggestion
    return text[:start] + replacement + text[end:]


def apply_suggestion(text: str, finding: Finding) -> str:
    """The text with one finding's suggestion applied (unchanged when it has no automatic fix)."""
    if not finding.fixable:
        return text
    return _replace(text, finding)


def apply_all(text: str, findings: list[Finding]) -> str:
    """Apply every fixable suggestion, from the end of the text backwards so each offset still holds;
    a finding that overlaps one already applied is skipped."""
    boundary = len(text) + 1
    for f in sorted((f for f in findings if f.fixable), key=lambda f: (f.start, f.end), reverse=True):
        if f.end > boundary:
            continue
        text = _replace(text, f)
        boundary = f.start
    return text

"""Checking a template's output the way its platform counts and the law reads: one function shared by
Compose, the batch runner and the history, so a finding is the same wherever it is shown."""

from __future__ import annotations

from desktop.core.checks import check_fields
from desktop.core.content.brands import Brand
from desktop.core.content.templates import Template


def check_output(
    template: Template,
    fields: dict | None,
    text: str,
    *,
    platform: str | None,
    lang: str | None,
    brand: Brand | None = None,
    category: str | None = None,
    keywords: list[str] | None = None,
    ui_lang: str = "en",
) -> list[dict]:
    """Findings for every output field, each a finding dict plus the output `field` it belongs to.

    Output names map to their platform field (`limit_field`) for limits and field-specific rules."""
    fields = fields if fields else {template.outputs[0].name: text}
    by_platform_field: dict[str, str | list[str]] = {}
    back: dict[str, str] = {}
    for output in template.outputs:
        if output.name not in fields:
            continue
        key = output.limit_field or output.name
        by_platform_field[key] = fields[output.name]
        back[key] = output.name
    results = check_fields(
        by_platform_field, platform, lang=lang, category=category,
        brand=brand.to_dict() if brand else None, keywords=keywords, ui_lang=ui_lang,
    )
    findings = []
    for key, result in results.items():
        base, _, index = key.partition("[")
        name = back.get(base, base) + (f"[{index}" if index else "")
        findings.extend(dict(f.to_dict(), field=name) for f in result.findings)
    return findings

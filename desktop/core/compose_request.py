"""What the merchant asks Compose for: one plain record, kept apart from `desktop.core.compose` so the
window can build a request (and show its form) without importing the checks, the store and the template
engine before its first paint."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.core.content.brands import Brand


@dataclass
class ComposeRequest:
    content_type: str
    platform: str | None
    lang: str | None
    fields: dict
    template_id: str | None = None
    brand: Brand | str | None = None  # a Brand, or a stored brand's name
    tone: str | None = None
    audience: str | None = None
    length: str | None = None
    variants: int = 1
    examples: bool = True  # few-shot examples from the merchant's kept copy (also the `few_shot` setting)
    best_of: int = 1  # candidates per variant, run as parallel sequences; the best by quality score is kept
    max_tokens: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    repeat_penalty: float | None = None
    dry_multiplier: float | None = None  # llama.cpp's DRY sampler; 0 = off, None = the engine's default
    seed: int | None = None
    product_id: int | None = None
    job_id: int | None = None
    required: list[str] = field(default_factory=list)  # facts the copy must carry (coverage)
    category: str | None = None  # product category for the rules; inferred from the product when None
    ui_lang: str = "en"  # language of the findings' messages


_FACT_SEPARATORS = re.compile(r"[,，、;；\n]+")


def split_facts(text: str) -> list[str]:
    """Facts typed in one line ("316 stainless, 12 h" or "316不锈钢、12小时") as a list, in order, once
    each."""
    return list(dict.fromkeys(p.strip() for p in _FACT_SEPARATORS.split(text or "") if p.strip()))

"""What the merchant gave for one result, as the sources the fact guard matches the output against:
each product field under its label ("Key features"), the brand profile, and the template's own text
(a template may state a fact itself: "free shipping over $50"). The labels are what the window shows
as provenance ("from: Key features")."""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop.core.content import presets
from desktop.core.content.brands import Brand
from desktop.core.content.templates import Template

SOURCE_NAMES = {
    "brand": {"en": "Brand profile", "zh": "品牌档案"},
    "template": {"en": "Template", "zh": "模板"},
}
# Fields whose facts the copy need not repeat (a price, the search keywords) and fields that name
# what the product is (for inferring its category).
NOT_KEY_FIELDS = frozenset({"price", "keywords", "category", "brand_name", "tags",
                            "product_name", "seo_title",
                            "seo_description", "handle", "sku", "barcode", "image"})
PRODUCT_WORD_FIELDS = ("product_name", "name", "title", "category", "type", "product_type", "tags")


@dataclass(frozen=True)
class FactSources:
    """`sources`: name -> text, everything that supports a fact; `key_sources`: the names whose facts
    the copy should carry (coverage); `product_words`: the name, category, type and tags, for
    inferring the product category; `required`: facts the merchant marked as required."""

    sources: dict[str, str] = field(default_factory=dict)
    key_sources: tuple[str, ...] = ()
    product_words: str = ""
    required: tuple[str, ...] = ()

    @classmethod
    def of(cls, sources: FactSources | dict | None) -> FactSources | None:
        if sources is None or isinstance(sources, FactSources):
            return sources
        return cls(sources={str(k): str(v) for k, v in sources.items()},
                   key_sources=tuple(str(k) for k in sources))

    @property
    def key_texts(self) -> dict[str, str]:
        return {name: self.sources[name] for name in self.key_sources if name in self.sources}


def brand_text(brand: Brand | None) -> str:
    if brand is None:
        return ""
    parts = [brand.name, brand.voice, brand.audience, *brand.use_words, *brand.must_use, *brand.trademarks,
             *brand.examples]
    return "\n".join(p for p in parts if p)


def fact_sources(template: Template, variables: dict, *, brand: Brand | None = None, lang: str = "en",
                 ui_lang: str = "en", required: list[str] | tuple[str, ...] = ()) -> FactSources:
    """The sources of one result: `variables` are the values the prompt used (rendered.variables: the
    template's variables by name, plus extra fields by their own keys)."""
    ui_lang = ui_lang if ui_lang in ("zh", "en") else "en"
    labels = {v.name: presets.localized(v.label, ui_lang) or v.name for v in template.variables}
    sources: dict[str, str] = {}
    key_sources: list[str] = []
    for name, value in variables.items():
        text = str(value or "").strip()
        if not text:
            continue
        label = labels.get(name) or name
        sources[label] = f"{sources[label]}\n{text}" if label in sources else text
        if name not in NOT_KEY_FIELDS and label not in key_sources:
            key_sources.append(label)
    if brand is not None:
        sources[SOURCE_NAMES["brand"][ui_lang]] = brand_text(brand)
    template_text = "\n".join(t for t in (template.system.get(lang, ""), template.user.get(lang, "")) if t)
    if template_text:
        sources[SOURCE_NAMES["template"][ui_lang]] = template_text
    words = "\n".join(str(variables[k]) for k in PRODUCT_WORD_FIELDS if str(variables.get(k) or "").strip())
    return FactSources(sources, tuple(key_sources), words, tuple(str(r) for r in required if str(r).strip()))

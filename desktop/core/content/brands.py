"""Brand voices: who the brand is, how it speaks, which words it uses and never uses.

A chosen brand adds one block to the system prompt (`brand_prompt_block`). Its banned words are checked
again after generation by the checks, since a small model does not always obey.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from desktop.core.errors import ShopscribeError

EXAMPLE_CAP = 400  # characters of each example text shown to the model: examples teach tone, not facts
MAX_EXAMPLES = 2


class BrandError(ShopscribeError):
    """A brand is missing, or its data is not valid."""


@dataclass
class Brand:
    name: str
    voice: str = ""
    audience: str = ""
    use_words: list[str] = field(default_factory=list)
    banned_words: list[str] = field(default_factory=list)
    must_use: list[str] = field(default_factory=list)
    trademarks: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    id: int | None = None

    def __post_init__(self) -> None:
        self.name = (self.name or "").strip()
        if not self.name:
            raise BrandError("A brand needs a name.", "品牌需要一个名称。")
        for key in ("use_words", "banned_words", "must_use", "trademarks", "examples"):
            setattr(self, key, _clean_list(getattr(self, key)))

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Brand:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)


def _clean_list(values) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    for value in values:
        text = str(value).strip()
        if text and text not in out:
            out.append(text)
    return out


def split_words(text: str) -> list[str]:
    """Words typed in one box: separated by commas (ASCII or Chinese), semicolons or new lines."""
    for sep in ("，", "、", ";", "；", "\n"):
        text = text.replace(sep, ",")
    return _clean_list(text.split(","))


_LABELS = {
    "zh": {
        "brand": "品牌", "voice": "品牌语气", "audience": "品牌受众", "use": "多使用这些词语",
        "must": "文案中必须出现", "ban": "绝对不要使用这些词语", "tm": "以下商标必须原样书写",
        "examples": "品牌文案示例(只学习语气,不要照抄内容或事实)",
    },
    "en": {
        "brand": "Brand", "voice": "Brand voice", "audience": "Brand audience", "use": "Prefer these words",
        "must": "Must include", "ban": "Never use these words", "tm": "Write these trademarks exactly",
        "examples": "Examples of the brand's writing (copy the tone only, never the facts)",
    },
}


def brand_prompt_block(brand: Brand | None, lang: str) -> str:
    """The lines a brand adds to the system prompt, in the output language."""
    if brand is None:
        return ""
    labels = _LABELS.get(lang, _LABELS["en"])
    sep = "、" if lang == "zh" else ", "
    lines = [f"{labels['brand']}: {brand.name}"]
    if brand.voice:
        lines.append(f"{labels['voice']}: {brand.voice}")
    if brand.audience:
        lines.append(f"{labels['audience']}: {brand.audience}")
    for key, words in (("use", brand.use_words), ("must", brand.must_use), ("ban", brand.banned_words),
                       ("tm", brand.trademarks)):
        if words:
            lines.append(f"{labels[key]}: {sep.join(words)}")
    examples = [e[:EXAMPLE_CAP] for e in brand.examples[:MAX_EXAMPLES]]
    if examples:
        lines.append(f"{labels['examples']}:")
        lines.extend(f"<example>{e}</example>" for e in examples)
    return "\n".join(lines)

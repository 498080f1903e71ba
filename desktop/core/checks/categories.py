"""Which product category a text is about, when the merchant names none: 面膜 or "serum" says
cosmetics, 鱼油 says a supplement. The words live in resources/rules/product_categories.json (`infer`).

Product words count most: the name, the category field, the type and the tags weigh three times the
other fields and the copy itself. Categories that relax a rule (medicine, medical devices,
disinfectants) have no words: only the merchant can choose them, so inference can add rules, never
take one away."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from desktop.core.checks.rules import product_categories
from desktop.core.checks.textmatch import alternation, fold, iter_matches
from desktop.core.paths import resource

PRODUCT_WORD_WEIGHT = 3


@dataclass(frozen=True)
class InferredCategory:
    id: str
    word: str  # the word that decided, as written

    def to_dict(self) -> dict:
        return {"id": self.id, "inferred": True, "from": self.word}


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern], ...]:
    import json

    data = json.loads(resource("rules", "product_categories.json").read_text(encoding="utf-8"))
    order = data.get("infer_order", [])
    categories = product_categories()
    out = []
    for cid in order + [c for c in categories if c not in order]:
        words = categories.get(cid, {}).get("infer")
        if words:
            out.append((cid, re.compile(alternation(words))))
    return tuple(out)


def infer_category(product_words: str = "", other_text: str = "") -> InferredCategory | None:
    """The category the words point to most (product words weigh more), ties broken by the order in
    the resource file; None when no word matches."""
    best: tuple[float, int, InferredCategory] | None = None
    for rank, (cid, regex) in enumerate(_patterns()):
        score, first = 0.0, None
        for text, weight in ((product_words, PRODUCT_WORD_WEIGHT), (other_text, 1)):
            if not text:
                continue
            for m in iter_matches(regex, fold(text)):
                score += weight
                first = first or text[m.start():m.end()]
        if score and (best is None or (score, -rank) > (best[0], best[1])):
            best = (score, -rank, InferredCategory(cid, first or ""))
    return best[2] if best else None

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
from desktop.core.checks.textmatch import alternation, fold, iter_matches, term_key
from desktop.core.paths import resource

PRODUCT_WORD_WEIGHT = 3


@dataclass(frozen=True)
class InferredCategory:
    id: str
    word: str  # the word that decided, as written

    def to_dict(self) -> dict:
        return {"id": self.id, "inferred": True, "from": self.word}


@lru_cache(maxsize=1)
def _words() -> tuple[re.Pattern, dict[str, str], dict[str, int]]:
    """One regex for every category's words (one pass over the text), the category of each folded
    word, and each category's rank in the tie-break order."""
    import json

    data = json.loads(resource("rules", "product_categories.json").read_text(encoding="utf-8"))
    categories = product_categories()
    order = data.get("infer_order", [])
    order += [c for c in categories if c not in order]
    owner: dict[str, str] = {}
    for cid in reversed(order):  # a word listed under two categories belongs to the earlier one
        for word in categories.get(cid, {}).get("infer", []):
            owner[term_key(word)] = cid
    words = [w for cid in order for w in categories.get(cid, {}).get("infer", [])]
    return re.compile(alternation(words)), owner, {cid: i for i, cid in enumerate(order)}


def infer_category(product_words: str = "", other_text: str = "") -> InferredCategory | None:
    """The category the words point to most (product words weigh more), ties broken by the order in
    the resource file; None when no word matches."""
    regex, owner, rank = _words()
    scores: dict[str, float] = {}
    first: dict[str, str] = {}
    for text, weight in ((product_words, PRODUCT_WORD_WEIGHT), (other_text, 1)):
        if not text:
            continue
        for m in iter_matches(regex, fold(text)):
            cid = owner[term_key(m.group(0))]  # the match may join a term's words with hyphens
            scores[cid] = scores.get(cid, 0.0) + weight
            first.setdefault(cid, text[m.start():m.end()])
    if not scores:
        return None
    best = max(scores, key=lambda cid: (scores[cid], -rank[cid]))
    return InferredCategory(best, first[best])

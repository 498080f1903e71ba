"""Few-shot examples from the merchant's kept copy: results of the same template and platform that the
merchant favourited, rated 4 stars or more, edited, or accepted in a batch review become examples in
the prompt. The edited version wins over the model's raw text. This fits the output to a shop's voice
without any training.

- Compose picks the examples most like the product (word or character overlap with its inputs).
- A batch picks one set per job and template (the most recently kept), placed in the system prompt,
  before the product, so every item's prompt shares the same prefix and batching keeps its speed.

Both stay within a token budget (EXAMPLE_BUDGET). The `few_shot` setting (default on) or `--no-examples`
switches it off.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from desktop.core.content.render import RenderedPrompt
from desktop.core.store.sqlite import Database

SETTING = "few_shot"
EXAMPLE_BUDGET = 400  # tokens all examples may take together
MAX_EXAMPLES = 3
CANDIDATES = 200  # the most recent kept results looked at
MAX_EXAMPLE_CHARS = 1200  # one example longer than this is left out (it would eat the budget alone)
HEADER = {
    "en": "Examples of copy this shop kept (match their voice and style, not their product facts):",
    "zh": "本店保留的文案示例(参考其语气和风格,不要照搬其中的商品信息):",
}
_WORD = re.compile(r"[a-z0-9]+")
_HAN = re.compile("[\u3400-\u9fff]")


@dataclass(frozen=True)
class Example:
    generation_id: int
    text: str  # the edited text when there is one, else the model's
    inputs: str  # the product's input values, one per line
    edited: bool


def few_shot_enabled(db: Database | None) -> bool:
    if db is None:
        return False
    from desktop.core.store.settings import get_setting

    return bool(get_setting(db, SETTING, True))


def kept_examples(db: Database, template_id: str, platform: str | None, lang: str,
                  exclude_job: int | None = None) -> list[Example]:
    """Kept results of this template, platform and language, edited first, then newest first."""
    rows = db.execute(
        """
        SELECT g.id, g.text, g.edited_text, g.inputs_text FROM generations g
        WHERE g.template_id = ? AND g.platform IS ? AND g.lang = ?
          AND (g.favourite = 1 OR g.rating >= 4 OR g.edited_text IS NOT NULL
               OR g.id IN (SELECT generation_id FROM job_items WHERE status = 'accepted'
                           AND generation_id IS NOT NULL))
          AND (? IS NULL OR g.job_id IS NOT ?)
        ORDER BY (g.edited_text IS NOT NULL) DESC, g.id DESC LIMIT ?
        """,
        [template_id, platform, lang, exclude_job, exclude_job, CANDIDATES],
    ).fetchall()
    examples, seen = [], set()
    for gid, text, edited, inputs in rows:
        chosen = (edited or "").strip() or (text or "").strip()
        if not chosen or len(chosen) > MAX_EXAMPLE_CHARS or chosen in seen:
            continue
        seen.add(chosen)
        examples.append(Example(gid, chosen, inputs or "", bool((edited or "").strip())))
    return examples


def _units(text: str) -> set[str]:
    """Words (Latin) and Han character pairs: enough to tell a mug from a scarf in either language."""
    folded = text.lower()
    han = "".join(_HAN.findall(folded))
    return set(_WORD.findall(folded)) | {han[i:i + 2] for i in range(len(han) - 1)}


def similarity(a: str, b: str) -> float:
    """Overlap of the two texts' words and Han pairs (Jaccard, 0-1)."""
    ua, ub = _units(a), _units(b)
    return len(ua & ub) / len(ua | ub) if ua and ub else 0.0


def estimate_tokens(text: str) -> int:
    """A cheap count when no engine tokenizer is at hand: a Han character or ~4 Latin characters each."""
    han = len(_HAN.findall(text))
    return han + (len(text) - han + 3) // 4


def within_budget(examples: list[Example], count_tokens: Callable[[str], int] | None,
                  budget: int = EXAMPLE_BUDGET, limit: int = MAX_EXAMPLES) -> list[Example]:
    """The examples in order while they fit the token budget together (one that does not fit is skipped)."""
    count = count_tokens or estimate_tokens
    chosen, used = [], 0
    for example in examples[:limit * 5]:  # the best few; no need to count every kept result
        cost = count(example.text) + 4  # the separator
        if used + cost > budget:
            continue
        chosen.append(example)
        used += cost
        if len(chosen) >= limit:
            break
    return chosen


def for_product(examples: list[Example], product_text: str, count_tokens: Callable[[str], int] | None = None,
                budget: int = EXAMPLE_BUDGET) -> list[Example]:
    """Compose: the examples most like this product (edited ones first among equals), within the budget."""
    ranked = sorted(examples, key=lambda e: (-similarity(e.inputs, product_text), not e.edited))
    return within_budget(ranked, count_tokens, budget)


def examples_block(examples: list[Example], lang: str) -> str:
    if not examples:
        return ""
    body = "\n---\n".join(e.text for e in examples)
    return f"{HEADER.get(lang, HEADER['en'])}\n---\n{body}\n---"


def with_examples(rendered: RenderedPrompt, examples: list[Example]) -> RenderedPrompt:
    """The prompt with the examples at the end of the system prompt: before the product (which is in
    the user prompt), so a batch's items share the whole system prompt as a prefix."""
    block = examples_block(examples, rendered.lang)
    if not block:
        return rendered
    system = f"{rendered.system}\n\n{block}"
    messages = [{**m, "content": system} if m.get("role") == "system" else m for m in rendered.messages]
    return replace(rendered, system=system, messages=messages)

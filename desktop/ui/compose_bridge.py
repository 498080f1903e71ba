"""The Compose page's road to the core: choices for the pickers, the rendered prompt, one engine job
that runs `desktop.core.compose.compose()` (render, generate every variant, parse, save to history),
and the checks. Qt-free calls strung together for the engine and store threads; no rules of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from desktop.core.compose_request import ComposeRequest  # light: the rest of compose loads on first use

__all__ = ["ComposeRequest", "Choices", "load_choices", "render_prompt", "compose_job", "review_result",
           "output_labels"]


@dataclass
class Choices:
    """Everything the pickers show, read in one go on the store thread."""

    content_types: dict[str, dict]
    templates: list  # content.templates.Template
    brands: list  # content.brands.Brand
    tones: dict[str, dict]
    lengths: dict[str, dict]
    default_length: str
    platform_names: dict[str, dict]
    platform_langs: dict[str, str]


def load_choices(db) -> Choices:
    from desktop.core import platforms
    from desktop.core.content import presets
    from desktop.core.store.brands import list_brands
    from desktop.core.store.templates import TemplateLibrary

    facts = platforms.platforms()
    return Choices(
        content_types=presets.content_types(), templates=TemplateLibrary(db).list(), brands=list_brands(db),
        tones=presets.tones(), lengths=presets.lengths(), default_length=presets.default_length(),
        platform_names={pid: p.name for pid, p in facts.items()},
        platform_langs={pid: p.lang for pid, p in facts.items()},
    )


def output_labels(template, lang: str, platform: str | None) -> dict[str, str]:
    """The labels compose uses for a structured result's sections (so the display matches history)."""
    from desktop.core.content.structured import output_label

    return {o.name: output_label(template, o.name, lang, platform) for o in template.outputs}


def render_prompt(db, request: ComposeRequest):
    """The prompt compose() would send for this request (for "Show prompt"): the same resolver for the
    template, platform and language, and the kept-copy examples it would add (their size estimated)."""
    from desktop.core.compose import kept_copy, resolve_request
    from desktop.core.content.render import render
    from desktop.core.store.brands import get_brand
    from desktop.core.store.examples import with_examples

    resolved = resolve_request(request, db)
    brand = get_brand(db, request.brand) if request.brand not in (None, "") else None
    rendered = render(
        resolved.template, request.fields, lang=resolved.lang, brand=brand, tone=request.tone,
        audience=request.audience, length=request.length, platform=resolved.platform,
    )
    shots = kept_copy(request, None, db, resolved.template, resolved.platform, resolved.lang)
    return with_examples(rendered, shots)


def compose_job(request: ComposeRequest) -> Callable[[Any, Callable], Any]:
    """A job for the engine thread: compose() with its own connection; events go to `emit`."""

    def work(engine, emit):
        from desktop.core.compose import compose
        from desktop.core.store import open_db

        db = open_db()
        try:
            return compose(request, engine, db, on_event=emit)
        finally:
            db.close()

    return work


def review_result(db, request: ComposeRequest, reviewer, text: str, fields: dict | None, *, ui_lang: str,
                  history_id: int | None = None, edited: bool = False):
    """(reviewer, review) of a result's text as it stands: every check compose() ran (rules, lengths,
    the fact guard against the request's fields, coverage, language, repetition, the score).
    `reviewer`: the one a previous call returned for this request (None resolves it). An edited text
    is saved as the history item's edited text, with its findings and score."""
    from desktop.core.compose_review import reviewer_for

    reviewer = reviewer or reviewer_for(request, db)
    review = reviewer.review(text, fields, ui_lang)
    if history_id is not None and edited:
        from desktop.core.store.history import set_edited_text, set_findings

        with db.atomic():
            set_edited_text(db, history_id, text)
            set_findings(db, history_id, review.findings, review.score)
    return reviewer, review

"""Checking a Compose result again, after the merchant edits it or asks the model to fix it, the way
compose() checked it: the same template, platform, language and brand, and the same sources (what the
merchant gave), so the fact guard, coverage and the quality score keep working on the edited text and
the window shows what the history stored."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.core.compose import resolve_brand, resolve_request
from desktop.core.compose_request import ComposeRequest
from desktop.core.content.brands import Brand
from desktop.core.content.checking import OutputReview, review_output
from desktop.core.content.render import render
from desktop.core.content.sources import FactSources, fact_sources
from desktop.core.content.templates import Template
from desktop.core.store.sqlite import Database


@dataclass(frozen=True)
class ResultReviewer:
    """Everything a check of one request's results needs, resolved once (on the store thread)."""

    template: Template
    platform: str | None
    lang: str
    brand: Brand | None
    sources: FactSources
    category: str | None = None

    def review(self, text: str, fields: dict | None, ui_lang: str) -> OutputReview:
        return review_output(self.template, fields, text, platform=self.platform, lang=self.lang,
                             brand=self.brand, category=self.category, ui_lang=ui_lang, sources=self.sources)


def reviewer_for(request: ComposeRequest, db: Database | None) -> ResultReviewer:
    """The reviewer of `request`'s results. The sources are the product's fields as given (compose()
    may have shortened a long field to fit the prompt; a fact from the cut part is still the
    merchant's own, so it is supported here too), the brand profile and the template text."""
    resolved = resolve_request(request, db)
    brand = resolve_brand(request.brand, db)
    rendered = render(resolved.template, request.fields, lang=resolved.lang, brand=brand, tone=request.tone,
                      audience=request.audience, length=request.length, platform=resolved.platform)
    sources = fact_sources(resolved.template, rendered.variables, brand=brand, lang=resolved.lang,
                           ui_lang=request.ui_lang, required=request.required)
    return ResultReviewer(resolved.template, resolved.platform, resolved.lang, brand, sources,
                          request.category)

"""`shopscribe generate`: one piece of content (or N variants) from the command line, streamed."""

from __future__ import annotations

import sys

import click

from desktop.cli import main
from desktop.cli.common import (
    EXIT_INTERRUPTED,
    database,
    engine_options,
    fail,
    on_ctrl_c,
    print_json,
    progress,
    user_errors,
)

CONTENT_TYPES = ["product-description", "product-title", "ad-copy", "social-post", "email", "blog-post"]


def parse_fields(pairs: tuple[str, ...]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"expected key=value, got {pair!r}", param_hint="--field")
        fields[key.strip()] = value
    return fields


def variant_json(result, compose_result, request) -> dict:
    data = {
        "text": result.text,
        "model": compose_result.model_id,
        "content_type": compose_result.template.content_type,
        "platform": compose_result.rendered.platform,
        "lang": compose_result.rendered.lang,
        "template_id": compose_result.template.id,
        "prompt_tokens": result.prompt_tokens,
        "completion_tokens": result.completion_tokens,
        "ttft_s": round(result.ttft_s, 4),
        "tokens_per_s": round(result.tokens_per_s, 2),
        "stop_reason": result.stop_reason,
        "history_id": result.history_id,
        "engine": compose_result.engine,
        "seed": result.seed,
    }
    if compose_result.template.structured:
        data["fields"] = result.fields
    data["findings"] = result.findings
    data["score"] = result.score  # 0-100 with each part's points and why
    data["facts"] = result.facts  # facts found in the input, each with its source
    # best-of-N: how many candidates were written and each one's score (the kept one is "chosen")
    only = {"seed": result.seed, "score": (result.score or {}).get("value"), "chosen": True}
    data["candidates"] = result.candidates or [only]
    data["best_of"] = len(data["candidates"])
    if result.coverage is not None:
        data["coverage"] = result.coverage
    if result.category is not None:
        data["category"] = result.category  # the product category inferred for the rules
    warnings = [*compose_result.warnings, *result.warnings]  # fields cut to fit, then answer parsing
    if warnings:
        data["warnings"] = warnings
    return data


@main.command()
@click.option("--type", "content_type", type=click.Choice(CONTENT_TYPES), required=True,
              help="What to write.")
@click.option("--platform", help="Target platform, e.g. taobao, amazon, xiaohongshu, shopify.")
@click.option("--lang", type=click.Choice(["zh", "en"]),
              help="Language of the text (default: the platform's).")
@click.option("--tone", help="professional, friendly, persuasive, playful, luxury, minimalist, technical ...")
@click.option("--audience", help="Who the text speaks to.")
@click.option("--length", help="short, medium or long.")
@click.option("--brand", help="A saved brand voice (see `shopscribe brands list`).")
@click.option("--template", "template_id", help="A template id (see `shopscribe templates list`).")
@click.option("--field", "fields", multiple=True, metavar="KEY=VALUE",
              help="A product field; repeat as needed.")
@click.option("--require", "required", multiple=True, metavar="FACT",
              help="A fact the copy must carry (checked as coverage); repeat as needed.")
@click.option("--category", help="Product category for the rules (default: inferred from the product).")
@click.option("--variants", default=1, show_default=True, type=click.IntRange(1, 8))
@click.option("--best-of", "best_of", default=1, show_default=True, type=click.IntRange(1, 8), metavar="N",
              help="Write N candidates in one parallel pass and keep the best by quality score.")
@click.option("--max-tokens", type=click.IntRange(1, 32768))
@click.option("--temperature", type=click.FloatRange(0, 2))
@click.option("--seed", type=int)
@click.option("--dry", "dry_multiplier", type=click.FloatRange(0, 5), metavar="STRENGTH",
              help="DRY repetition sampler strength (default 0.8; 0 turns it off).")
@click.option("--no-examples", "no_examples", is_flag=True,
              help="Leave out the few-shot examples from your kept copy (favourited, edited, accepted).")
@click.option("--model", help="A model id from `shopscribe models list`, or a .gguf path.")
@engine_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document instead of streaming text.")
@user_errors
def generate(content_type, platform, lang, tone, audience, length, brand, template_id, fields,
             required, category, variants, best_of, max_tokens, temperature, seed, dry_multiplier,
             no_examples, model, engine_url, engine_key, as_json) -> None:
    """Write one piece of content with the local model, streaming it as it is generated."""
    from desktop.core.compose import ComposeRequest, VariantDelta, VariantDone, VariantRetry, compose
    from desktop.core.platforms import platform_ids
    from desktop.core.session import open_engine

    if platform and platform not in platform_ids():
        fail(f"unknown platform {platform!r}; choose one of: {', '.join(platform_ids())}")
    from desktop.core.checks import product_categories

    if category is not None and category not in product_categories():
        fail(f"unknown product category {category!r}: use one of {', '.join(product_categories())}")
    request = ComposeRequest(
        content_type=content_type, platform=platform, lang=lang, fields=parse_fields(fields),
        template_id=template_id, brand=brand, tone=tone, audience=audience, length=length, variants=variants,
        max_tokens=max_tokens, temperature=temperature, seed=seed, required=list(required), category=category,
        dry_multiplier=dry_multiplier, best_of=best_of, examples=not no_examples,
    )
    with database() as db:  # closed when the command ends, whatever happens
        progress("loading the model ...")
        engine = open_engine(model, engine=engine_url, engine_key=engine_key)
        if getattr(engine, "notice", None):
            progress(engine.notice)

        def on_event(event) -> None:
            if as_json:
                return
            if isinstance(event, VariantDelta):
                if variants > 1 and event.text and not getattr(on_event,
                                                               "header", set()).__contains__(event.index):
                    on_event.header = getattr(on_event, "header", set()) | {event.index}
                    click.echo(f"--- variant {event.index + 1} ---")
                click.echo(event.text, nl=False)
                sys.stdout.flush()
            elif isinstance(event, VariantRetry):
                click.echo()
                progress(f"not in the requested language ({event.lang}): writing it again in its script only")
            elif isinstance(event, VariantDone):
                click.echo()

        try:
            # Ctrl-C stops llama.cpp at once (also mid-prompt); compose then returns what was written so far.
            with on_ctrl_c(engine.cancel) as interrupted:
                result = compose(request, engine, db, on_event=on_event)
        finally:
            engine.close()
    if interrupted.is_set():
        click.echo("interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    if not result.results:
        fail("the model produced no text")
    if as_json:
        items = [variant_json(r, result, request) for r in result.results]
        document = dict(items[0])
        if variants > 1:
            document["variants"] = items
        print_json(document)
    else:
        for warning in result.warnings:
            progress(f"warning: {warning}")
        for r in result.results:
            for warning in r.warnings:
                progress(f"warning: {warning}")
        stats = result.results[-1]
        progress(f"{stats.completion_tokens} tokens, {stats.tokens_per_s:.0f} tok/s, saved to history")

"""`shopscribe brands`: saved brand voices."""

from __future__ import annotations

import click

from desktop.cli import main
from desktop.cli.common import database, fail, print_json, progress, user_errors


def _words(values: tuple[str, ...]) -> list[str]:
    from desktop.core.content.brands import split_words

    return [w for value in values for w in split_words(value)]


@main.group()
def brands() -> None:
    """Brand voices: list, show, add, remove."""


@brands.command("list")
@click.option("--json", "as_json", is_flag=True)
@user_errors
def list_cmd(as_json) -> None:
    """List saved brands."""
    from desktop.core.store.brands import list_brands

    with database() as db:
        items = list_brands(db)
    if as_json:
        print_json([b.to_dict() for b in items])
        return
    for b in items:
        click.echo(f"{b.name:<24} {b.voice[:60]}")


@brands.command("show")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True)
@user_errors
def show_cmd(name, as_json) -> None:
    """Show one brand."""
    from desktop.core.store.brands import get_brand

    with database() as db:
        brand = get_brand(db, name)
    if as_json:
        print_json(brand.to_dict())
        return
    for key, value in brand.to_dict().items():
        if key != "id":
            click.echo(f"{key}: {', '.join(value) if isinstance(value, list) else value}")


@brands.command("add")
@click.argument("name")
@click.option("--voice", help="How the brand speaks, in a sentence or two.")
@click.option("--audience", help="Who the brand speaks to.")
@click.option("--use", "use_words", multiple=True, help="Words to prefer (repeat, or separate with commas).")
@click.option("--ban", "banned_words", multiple=True, help="Words never to use (repeat, or comma-separated).")
@click.option("--must", "must_use", multiple=True, help="Words that must appear.")
@click.option("--trademark", "trademarks", multiple=True, help="Trademarks to write exactly.")
@click.option("--example", "examples", multiple=True, help="An example of the brand's writing (up to two).")
@click.option("--update", is_flag=True, help="Change an existing brand (only the options given).")
@click.option("--json", "as_json", is_flag=True)
@user_errors
def add_cmd(name, voice, audience, use_words, banned_words, must_use, trademarks, examples,
            update, as_json) -> None:
    """Add a brand voice (or change one with --update)."""
    from desktop.core.content.brands import Brand
    from desktop.core.store.brands import find_brand, save_brand

    with database() as db:
        brand = find_brand(db, name)
        if brand is not None and not update:
            fail(f"a brand named {brand.name!r} exists already; add --update to change it")
        if brand is None:
            brand = Brand(name=name)
        if voice is not None:
            brand.voice = voice
        if audience is not None:
            brand.audience = audience
        for key, values in (("use_words", use_words), ("banned_words", banned_words), ("must_use", must_use),
                            ("trademarks", trademarks)):
            if values:
                setattr(brand, key, _words(values))
        if examples:
            brand.examples = [e.strip() for e in examples if e.strip()]
        brand = save_brand(db, Brand.from_dict(brand.to_dict()))
    if as_json:
        print_json(brand.to_dict())
    else:
        progress(f"saved brand {brand.name!r}")


@brands.command("remove")
@click.argument("name")
@user_errors
def remove_cmd(name) -> None:
    """Remove a brand (its past generations stay in the history)."""
    from desktop.core.store.brands import delete_brand

    with database() as db:
        delete_brand(db, name)
    progress(f"removed brand {name!r}")

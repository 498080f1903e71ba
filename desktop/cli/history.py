"""`shopscribe history`: list, search, show and export what was generated."""

from __future__ import annotations

from pathlib import Path

import click

from desktop.cli import main
from desktop.cli.common import database, print_json, progress, user_errors

LIST_KEYS = ("id", "content_type", "platform", "lang", "text", "edited_text", "created_at", "group_id",
             "variant_index", "template_id", "model_id", "favourite", "rating", "tags")



def filter_options(func):
    for option in reversed([
        click.option("--type", "content_type", help="Only this content type."),
        click.option("--platform", help="Only this platform."),
        click.option("--model", help="Only this model id."),
        click.option("--lang", type=click.Choice(["zh", "en"])),
        click.option("--since", help="From this date (YYYY-MM-DD)."),
        click.option("--until", help="Up to and including this date (YYYY-MM-DD)."),
        click.option("--favourites", is_flag=True, help="Only favourites."),
        click.option("--limit", default=50, show_default=True, type=click.IntRange(1)),
        click.option("--json", "as_json", is_flag=True),
    ]):
        func = option(func)
    return func


def _filters(content_type, platform, model, lang, since, until, favourites):
    from desktop.core.store.history import HistoryFilter

    return HistoryFilter(content_type=content_type, platform=platform, model=model, lang=lang,
                         date_from=since,
                         date_to=until, favourite=True if favourites else None)


def _print_items(items: list[dict], as_json: bool) -> None:
    if as_json:
        print_json([{k: item.get(k) for k in LIST_KEYS} for item in items])
        return
    for item in items:
        text = (item.get("edited_text") or item.get("text") or "").replace("\n", " ")
        star = "*" if item.get("favourite") else " "
        where = "/".join(x for x in (item.get("content_type"), item.get("platform")) if x)
        click.echo(f"{item['id']:>6}{star} {item['created_at'][:16]}  {where:<32} {text[:60]}")


@main.group()
def history() -> None:
    """Everything generated: list, search, show, export."""


@history.command("list")
@filter_options
@user_errors
def list_cmd(content_type, platform, model, lang, since, until, favourites, limit, as_json) -> None:
    """The newest items first."""
    from desktop.core.store.history import list_generations

    with database() as db:
        items = list_generations(db, _filters(content_type, platform, model, lang, since, until, favourites),
                                 limit=limit)
    _print_items(items, as_json)


@history.command("search")
@click.argument("query")
@filter_options
@user_errors
def search_cmd(query, content_type, platform, model, lang, since, until, favourites, limit, as_json) -> None:
    """Items whose inputs or text contain every word of QUERY (Chinese or English)."""
    from desktop.core.store.history import search

    with database() as db:
        items = search(db, query,
                       _filters(content_type, platform, model, lang, since, until, favourites), limit=limit)
    _print_items(items, as_json)


@history.command("show")
@click.argument("item_id", type=int)
@click.option("--json", "as_json", is_flag=True)
@user_errors
def show_cmd(item_id, as_json) -> None:
    """One item with its inputs, prompt, model and statistics."""
    from desktop.core.store.history import get_generation

    with database() as db:
        item = get_generation(db, item_id)
    if as_json:
        print_json(item)
        return
    click.echo(f"#{item['id']} {item['created_at']}  {item['content_type']}/{item['platform']}  "
               f"{item['lang']}")
    click.echo(f"template {item['template_id']} v{item['template_version']}  model {item['model_id']}")
    for key, value in (item.get("inputs") or {}).items():
        click.echo(f"  {key}: {value}")
    click.echo("")
    click.echo(item.get("edited_text") or item.get("text") or "")


@history.command("export")
@click.argument("item_ids", nargs=-1, type=int)
@click.option("--format", "fmt", type=click.Choice(["csv", "md", "json"]), required=True)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@user_errors
def export_cmd(item_ids, fmt, out) -> None:
    """Export these items (all of them when none are named) to CSV, Markdown or JSON."""
    from desktop.core.history_export import export_generations

    with database() as db:
        count = export_generations(db, list(item_ids), fmt, out)
    progress(f"exported {count} item(s) to {out}")

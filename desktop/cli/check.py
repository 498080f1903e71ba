"""`shopscribe check`: the compliance and length findings for one text, as one JSON document.

Exit 0 whenever the check ran, even with findings (the JSON says what); 1 for bad usage such as an
unknown platform, field, category or brand.
"""

from __future__ import annotations

import sys

import click

from desktop.cli import main
from desktop.cli.common import database, fail, print_json, user_errors
from desktop.core.checks import check_text, product_categories
from desktop.core.platforms import platform_ids, platforms


def _load_brand(name: str) -> dict:
    """The brand profile from the local store, as the plain dict the checks take."""
    from desktop.core.store.brands import get_brand

    with database() as db:
        return get_brand(db, name).to_dict()


def _read_text(text: str) -> str:
    if text != "-":
        return text
    data = sys.stdin.buffer.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        fail("the text on standard input is not UTF-8: save it as UTF-8 and try again")
    raise AssertionError("unreachable")


@main.command()
@click.option("--platform", "-p", required=True, metavar="P", help="Platform id (taobao, amazon, x ...).")
@click.option(
    "--field", "-f", "field_name", metavar="F", help="The platform field the text is for (title ...)."
)
@click.option("--brand", "-b", metavar="NAME", help="Check against this brand's banned words and trademarks.")
@click.option(
    "--category", "-c", metavar="C", help="Product category (cosmetics, health-food, medicine ...)."
)
@click.option(
    "--lang", type=click.Choice(["zh", "en"]), help="Language of the text (detected when left out)."
)
@click.option(
    "--ui-lang",
    type=click.Choice(["zh", "en"]),
    default="en",
    show_default=True,
    help="Language of the messages.",
)
@click.option(
    "--keyword", "-k", "keywords", multiple=True, metavar="K", help="An SEO keyword that should appear."
)
@click.option(
    "--json", "as_json", is_flag=True, hidden=True, help="Accepted for symmetry: output is always JSON."
)
@click.argument("text")
@user_errors
def check(
    platform: str,
    field_name: str | None,
    brand: str | None,
    category: str | None,
    lang: str | None,
    ui_lang: str,
    keywords: tuple[str, ...],
    as_json: bool,
    text: str,
) -> None:
    """Check TEXT (or standard input with -) for advertising-law terms, medical claims, marketplace
    rules, brand words and length limits. Prints {"findings": [...], "lengths": [...]}."""
    if platform not in platforms():
        fail(f"unknown platform {platform!r}: use one of {', '.join(platform_ids())}")
    fields = platforms()[platform].fields
    if field_name is not None and field_name not in fields:
        fail(f"{platform} has no field {field_name!r}: use one of {', '.join(fields)}")
    if category is not None and category not in product_categories():
        fail(f"unknown product category {category!r}: use one of {', '.join(product_categories())}")
    brand_data = _load_brand(brand) if brand else None
    result = check_text(
        _read_text(text),
        platform=platform,
        field=field_name,
        lang=lang,
        category=category,
        brand=brand_data,
        keywords=list(keywords),
        ui_lang=ui_lang,
    )
    print_json(result.to_dict())

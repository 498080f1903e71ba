"""`shopscribe screenshots`: every page of the window as PNG, rendered offscreen, in both languages."""

from __future__ import annotations

import os
from pathlib import Path

import click

from desktop.cli import main
from desktop.cli.common import progress, user_errors


@main.command()
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("docs/screenshots"),
              show_default=True, help="Folder for the PNG files (<page>-<lang>.png).")
@click.option("--lang", type=click.Choice(["zh_CN", "en", "both"]), default="both", show_default=True)
@click.option("--theme", type=click.Choice(["light", "dark"]), default="light", show_default=True)
@click.option("--max-tokens", type=click.IntRange(8, 2048), default=120, show_default=True,
              help="Length of the sample generation shown on the Compose page.")
@user_errors
def screenshots(out: Path, lang: str, theme: str, max_tokens: int) -> None:
    """Render each page of the window to PNG files (offscreen; a sample product, a real generation)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop.ui.screenshots import take_screenshots

    langs = ["zh_CN", "en"] if lang == "both" else [lang]
    files = take_screenshots(out, langs, theme=theme, max_tokens=max_tokens, progress=progress)
    click.echo(f"{len(files)} screenshots in {out}")

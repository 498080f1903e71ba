"""The `shopscribe` command. A stable contract (see ARCHITECTURE.md): exit 0 on success, 1 for a user
error with a one-line message on stderr, 2 for usage, 130 when interrupted. With `--json`, stdout holds
one JSON document and nothing else; progress goes to stderr.

Each group of subcommands lives in its own module and attaches itself to `main`.
"""

from __future__ import annotations

import importlib
import sys

import click

from desktop import __version__

# Modules that add subcommands to `main`, in the order `--help` lists them.
COMMAND_MODULES = [
    "generate", "batch", "jobs", "check", "models", "templates", "brands", "history",
    "bench", "selftest", "screenshots",
]


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="shopscribe")
@click.option("--verbose", is_flag=True, help="Write detailed logs (they may contain product text).")
@click.pass_context
def main(ctx: click.Context, verbose: bool) -> None:
    """Shopscribe: write product descriptions, ads, posts, emails and blog posts with a local model.

    With no command, opens the window.
    """
    from desktop.core.logs import setup_logging

    setup_logging(verbose)
    if ctx.invoked_subcommand is None:
        from desktop.ui.app import run_app

        sys.exit(run_app())


def _load_command_modules() -> None:
    for name in COMMAND_MODULES:
        module = f"desktop.cli.{name}"
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:  # a real missing dependency inside the module: let it surface
                raise


_load_command_modules()

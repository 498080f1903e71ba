"""The `shopscribe` command. A stable contract (see docs/architecture.md): exit 0 on success, 1 for a user
error with a one-line message on stderr, 2 for usage, 130 when interrupted. With `--json`, stdout holds
one JSON document and nothing else; progress goes to stderr.

Each group of subcommands lives in its own module, named like the command, and attaches itself to
`main` when imported. Modules are imported only when their command runs (or `--help` lists them), so
opening the window does not pay for the batch, bench or models machinery.
"""

from __future__ import annotations

import importlib
import sys

import click

from desktop import __version__

# The subcommands, each in desktop/cli/<name>.py, in the order `--help` lists them.
COMMAND_MODULES = [
    "generate", "batch", "jobs", "check", "models", "templates", "brands", "history",
    "serve", "bench", "selftest", "screenshots",
]


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMAND_MODULES) + [name for name in self.commands if name not in COMMAND_MODULES]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            importlib.import_module(f"desktop.cli.{cmd_name}")
        return self.commands.get(cmd_name)


@click.group(cls=LazyGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
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
        from desktop.ui.display import has_display, no_display_error

        if not has_display():  # checked before Qt starts: without a display it would abort
            from desktop.cli.common import fail

            fail(str(no_display_error()))
        from desktop.ui.app import run_app

        sys.exit(run_app())

"""What every subcommand shares: JSON output, user errors, the interrupt exit code."""

from __future__ import annotations

import contextlib
import functools
import json
import sys
from typing import Any

import click

from desktop.core.errors import ShopscribeError

EXIT_USER_ERROR = 1
EXIT_INTERRUPTED = 130


def print_json(data: Any) -> None:
    """One JSON document on stdout, nothing else there."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def fail(message: str) -> None:
    """A user error: one line on stderr, exit 1."""
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_USER_ERROR)


def user_errors(func):
    """Turn our own errors into exit 1 with a message, and Ctrl-C into exit 130."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ShopscribeError as exc:
            fail(str(exc))
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)

    return wrapper


def engine_options(func):
    """`--engine URL-or-NAME` and `--engine-key KEY`: generate on an OpenAI-compatible server."""
    func = click.option("--engine-key", "engine_key", metavar="KEY", envvar="SHOPSCRIBE_ENGINE_KEY",
                        help="The remote engine's API key (or SHOPSCRIBE_ENGINE_KEY).")(func)
    return click.option("--engine", "engine_url", metavar="URL", envvar="SHOPSCRIBE_ENGINE",
                        help="Generate on an OpenAI-compatible server (a URL or a server saved in Settings; "
                             "several separated by commas; or SHOPSCRIBE_ENGINE). --model then names the "
                             "server's model.")(func)


def progress(message: str) -> None:
    click.echo(message, err=True)


@contextlib.contextmanager
def database():
    """The store, opened for one command and closed after it."""
    from desktop.core.store.db import open_db

    db = open_db()
    try:
        yield db
    finally:
        db.close()

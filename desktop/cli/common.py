"""What every subcommand shares: JSON output, user errors, the interrupt exit code."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
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


@contextlib.contextmanager
def on_ctrl_c(action: Callable[[], None]) -> Iterator[threading.Event]:
    """While inside, the first Ctrl-C runs `action` (a pause, a cancel); a second one raises
    KeyboardInterrupt at once. The yielded event says, after the block, whether Ctrl-C was pressed.

    `action` runs on a thread of its own, never in the signal handler: Python runs a handler on the main
    thread between two bytecodes, perhaps while that thread holds a lock the action needs. Asking the
    engine host to cancel takes its pipe's send lock, which the main thread holds while it sends a
    request: asked from the handler, a Ctrl-C at that moment hung `shopscribe batch` for good. So the
    handler takes no lock at all: it writes a byte to a pipe that the action's thread reads."""
    read_fd, write_fd = os.pipe()
    pressed = threading.Event()

    def watch() -> None:
        if os.read(read_fd, 1) == _PRESSED:
            pressed.set()
            action()

    def handler(_signum, _frame) -> None:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.write(write_fd, _PRESSED)

    watcher = threading.Thread(target=watch, name="ctrl-c", daemon=True)
    watcher.start()
    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield pressed
    finally:
        signal.signal(signal.SIGINT, previous)
        os.write(write_fd, _LEAVING)  # ends a watcher that saw no Ctrl-C
        watcher.join(timeout=10)
        if not watcher.is_alive():
            os.close(read_fd)
            os.close(write_fd)


_PRESSED, _LEAVING = b"!", b"."


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

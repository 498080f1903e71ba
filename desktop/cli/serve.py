"""`shopscribe serve`: the local model behind an OpenAI-compatible API, for scripts and other tools.

Safe by default: it listens on 127.0.0.1 only. Listening on any other address needs an API key (it
refuses to start without one: exit 2). Requests are never stored in the history, and the log holds
no prompt or output text unless --verbose.
"""

from __future__ import annotations

import ipaddress
import sys

import click

from desktop.cli import main
from desktop.cli.common import progress, user_errors

EXIT_USAGE = 2


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on. Anything but this computer needs --api-key.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(1, 65535))
@click.option("--api-key", envvar="SHOPSCRIBE_API_KEY", metavar="KEY",
              help="Require 'Authorization: Bearer KEY' on every request (or SHOPSCRIBE_API_KEY).")
@click.option("--model", help="A model id from `shopscribe models list`, or a .gguf path (default: yours).")
@click.option("--cors-origin", "cors_origins", multiple=True, metavar="ORIGIN",
              help="Let a web page from ORIGIN call the API (repeat as needed). None by default.")
@click.option("--max-body", default=1_000_000, show_default=True, type=click.IntRange(1024, 100_000_000),
              help="The largest request body accepted, in bytes (413 beyond it).")
@user_errors
def serve(host, port, api_key, model, cors_origins, max_body) -> None:
    """Serve the model through an OpenAI-compatible API (GET /v1/models, POST /v1/chat/completions)
    and run Shopscribe templates (POST /v1/shopscribe/generate)."""
    if not is_loopback(host) and not api_key:
        click.echo(f"error: refusing to listen on {host} without --api-key: anyone on the network could use "
                   "the model.", err=True)
        sys.exit(EXIT_USAGE)
    import logging

    import uvicorn

    from desktop.core.server.app import create_app
    from desktop.core.session import open_engine

    verbose = logging.getLogger().level <= logging.DEBUG
    progress("loading the model ...")
    engine = open_engine(model)
    try:
        app = create_app(engine, api_key=api_key, cors_origins=list(cors_origins), max_body=max_body,
                         verbose=verbose)
        shown = f"[{host}]" if ":" in host else host
        progress(f"serving {engine.model_id} at http://{shown}:{port}/v1"
                 + (" (API key required)" if api_key else "") + " - Ctrl-C stops")
        uvicorn.run(app, host=host, port=port, log_level="debug" if verbose else "warning",
                    access_log=verbose,
                    server_header=False, timeout_graceful_shutdown=3)
    finally:
        engine.close()

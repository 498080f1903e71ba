"""Logging to a file in the data folder (`logs/shopscribe.log`), user-only, rotated.

Privacy: at the default level we log events (model loaded, job resumed, download verified), never
product text, prompts or outputs. Verbose logging (a setting, or `--verbose`) adds DEBUG records,
which may contain text; the user turns it on knowingly.
"""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler

from desktop.core.paths import logs_dir

_configured = False


def setup_logging(verbose: bool = False) -> None:
    global _configured
    root = logging.getLogger()
    level = logging.DEBUG if verbose or os.environ.get("SHOPSCRIBE_VERBOSE") == "1" else logging.INFO
    if _configured:
        root.setLevel(level)
        return
    path = logs_dir() / "shopscribe.log"
    handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    try:
        path.chmod(0o600)
    except OSError:
        pass
    root.addHandler(handler)
    root.setLevel(level)
    # Third-party libraries stay quiet unless verbose.
    for noisy in ("httpx", "urllib3", "huggingface_hub", "filelock"):
        logging.getLogger(noisy).setLevel(level if verbose else logging.WARNING)
    _configured = True

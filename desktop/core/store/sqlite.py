"""sqlite-utils for the whole app, imported without numpy and pandas.

When they are installed, sqlite-utils imports both as it loads, only to map their number types to
column types. Nothing of ours stores their values, and numpy is installed for llama-cpp-python, which
only the engine host uses: importing it cost the window about 11 MB and 0.1 s at every start. Every
module of ours gets `Database` from here, so this is the first import of sqlite-utils in any process.
"""

from __future__ import annotations

import sys

_NOT_NEEDED = ("numpy", "pandas")


def _import_without_numpy() -> None:
    if "sqlite_utils" in sys.modules:
        return
    hidden = [name for name in _NOT_NEEDED if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment] - `import name` now raises ImportError
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]


_import_without_numpy()

from sqlite_utils import Database, Migrations  # noqa: E402

__all__ = ["Database", "Migrations"]

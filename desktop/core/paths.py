"""Where things live: the user's data folder, the shipped resources, the embedded model.

The data folder is `SHOPSCRIBE_HOME` when set (every test sets it), else the platform's user data
folder. Shipped files are found next to the package, or inside a PyInstaller bundle.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "Shopscribe"


def app_root() -> Path:
    """The folder holding `resources/` and `models/`: the repo in development, the bundle when frozen."""
    if getattr(sys, "frozen", False):
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
    return Path(__file__).resolve().parents[2]


def resources_dir() -> Path:
    return app_root() / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def bundled_models_dir() -> Path:
    return app_root() / "models"


def data_home() -> Path:
    """The user's data folder, created with user-only permissions on first use."""
    env = os.environ.get("SHOPSCRIBE_HOME")
    home = Path(env) if env else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    if not home.exists():
        home.mkdir(parents=True, exist_ok=True)
        try:
            home.chmod(0o700)
        except OSError:
            pass
    return home


def _subdir(name: str) -> Path:
    path = data_home() / name
    if not path.exists():
        path.mkdir(parents=True, exist_ok=True)
        try:
            path.chmod(0o700)  # models, logs: the user's alone
        except OSError:
            pass
    return path


def database_path() -> Path:
    return data_home() / "shopscribe.db"


def user_models_dir() -> Path:
    return _subdir("models")


def logs_dir() -> Path:
    return _subdir("logs")

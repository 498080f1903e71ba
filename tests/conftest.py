"""Shared fixtures. Every test runs with SHOPSCRIBE_HOME in its own temporary folder and Qt offscreen.

The real embedded model is loaded once per session (`engine` fixture) and shared: loading it is cheap,
but a single llama.cpp context per process keeps the suite fast and honest on 2 cores.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from desktop.core.embedded import embedded_model_path  # noqa: E402


@pytest.fixture(autouse=True)
def shopscribe_home(tmp_path_factory, monkeypatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("SHOPSCRIBE_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def model_path() -> Path:
    path = embedded_model_path()
    assert path.exists(), "the embedded model is missing: run `make test`, which installs it"
    return path


@pytest.fixture(scope="session")
def engine(model_path):
    from desktop.core.engine import Engine

    eng = Engine(model_path, n_ctx=2048)
    eng.load()
    yield eng
    eng.close()

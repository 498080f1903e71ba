"""`shopscribe screenshots`: every page rendered offscreen to a PNG of the window's size, with a real
generation on the Compose page, in a temporary data folder (the user's data is never shown)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage

from desktop.ui.pages import PAGES
from desktop.ui.screenshots import SIZE, take_screenshots

pytestmark = pytest.mark.model


def test_every_page_is_rendered(qapp, tmp_path, shopscribe_home, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # its throwaway data folder goes here
    out = tmp_path / "shots"
    files = take_screenshots(out, ["en"], max_tokens=8, progress=lambda _message: None)
    assert sorted(p.name for p in files) == sorted(f"{spec.key}-en.png" for spec in PAGES)
    for path in files:
        image = QImage(str(path))
        assert (image.width(), image.height()) == SIZE, path.name
    assert not (shopscribe_home / "shopscribe.db").exists()  # it used its own temporary data folder
    assert list((tmp_path / "cache").rglob("*.db")) == []  # ... and removed it

"""`shopscribe screenshots`: every page rendered offscreen to a PNG of the window's size, in both
languages, with a generation on the Compose page (written by the scripted engine here; by the real
model in `make screenshots`), in a temporary data folder (the user's data is never shown)."""

from __future__ import annotations

from PySide6.QtGui import QImage

from desktop.ui import i18n
from desktop.ui.pages import PAGES
from desktop.ui.screenshots import SIZE, take_screenshots
from tests.fake_engine import FakeEngine


def test_every_page_is_rendered(qapp, tmp_path, shopscribe_home, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # its throwaway data folder goes here
    fake = FakeEngine(default=["Keeps drinks hot for 12 hours. ", "316 stainless steel, one-touch lid."])
    out = tmp_path / "shots"
    try:
        files = take_screenshots(out, ["en", "zh_CN"], max_tokens=8, progress=lambda _message: None,
                                 open_engine=fake.open)
    finally:
        i18n.install_language("en")  # the next tests read English
    assert sorted(p.name for p in files) == sorted(f"{spec.key}-{lang}.png" for spec in PAGES
                                                   for lang in ("en", "zh_CN"))
    for path in files:
        image = QImage(str(path))
        assert (image.width(), image.height()) == SIZE, path.name
    plain = [r for r in fake.requests if not (r.grammar or r.script)]
    assert len(plain) == 4  # two variants in each language
    # The scripted answers are English: on the Chinese pass each is written again, held to Chinese.
    assert len(fake.requests) == 6 and all(r.grammar for r in fake.requests if r not in plain)
    assert {(r.max_tokens, r.seed) for r in fake.requests} == {(8, 7), (8, 8)}  # short and reproducible
    assert not (shopscribe_home / "shopscribe.db").exists()  # it used its own temporary data folder
    assert list((tmp_path / "cache").rglob("*.db")) == []  # ... and removed it

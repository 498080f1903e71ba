"""Rendering every page of the window to PNG, offscreen, in Chinese and English, with a real result on
the Compose page and in the History. Used by `shopscribe screenshots` (and `make screenshots`).

It works in a fresh temporary data folder, so the pictures never show the merchant's own data and
come out the same on every machine (a fixed seed)."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

if TYPE_CHECKING:
    from desktop.ui.engine_worker import EngineOpener

SAMPLES = {
    "zh_CN": {
        "product_name": "真空不锈钢保温杯 500ml",
        "features": "316 不锈钢内胆，12 小时保温，一键弹盖，杯盖可当杯子用",
        "category": "水杯",
        "brand": "暖屋",
        "voice": "温暖、实在，像朋友推荐",
        "audience": "上班族和学生",
        "banned": ["最好", "第一"],
        "must_use": ["暖屋"],
    },
    "en": {
        "product_name": "Vacuum insulated steel bottle, 500 ml",
        "features": "316 stainless steel, keeps drinks hot for 12 hours, one-touch lid, leak-proof",
        "category": "Drinkware",
        "brand": "WarmNest",
        "voice": "warm, plain-spoken, a little playful",
        "audience": "commuters and students",
        "banned": ["best ever", "guaranteed"],
        "must_use": ["WarmNest"],
    },
}
SIZE = (1280, 820)
SEED = 7  # the same pictures on every machine


def _wait(app, done: Callable[[], bool], timeout_s: float, what: str) -> None:
    from PySide6.QtCore import QEventLoop

    deadline = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.01)


def _settle(app, timeout_s: float = 30) -> None:
    """Let a page finish what it loads in the background: pools idle for a few event-loop turns."""
    from desktop.ui.workers import pools_busy

    calm = 0

    def idle() -> bool:
        nonlocal calm
        calm = 0 if pools_busy() else calm + 1
        return calm >= 5

    _wait(app, idle, timeout_s, "the page to load")


def _measure_engine(progress) -> None:
    """Measure the engine's settings once, before any window opens, as a first load would: the window's
    own measuring waits for an idle engine, and would run while the pages are photographed."""
    from desktop.core.engine import tuning
    from desktop.core.engine.client import HostEngine

    if tuning.preset() is None:
        progress("measuring the engine's settings for this computer…")
        HostEngine().tune()


def _seed_brand(sample: dict) -> None:
    from desktop.core.content.brands import Brand
    from desktop.core.store import open_db
    from desktop.core.store.brands import find_brand, save_brand

    db = open_db()
    try:
        if find_brand(db, sample["brand"]) is None:
            save_brand(db, Brand(name=sample["brand"], voice=sample["voice"], audience=sample["audience"],
                                 banned_words=sample["banned"], must_use=sample["must_use"]))
    finally:
        db.close()


def take_screenshots(out: Path, langs: list[str], theme: str = "light", max_tokens: int = 120,
                     progress: Callable[[str], None] = print,
                     open_engine: EngineOpener | None = None) -> list[Path]:
    """Write `<page>-<lang>.png` for every page into `out`; returns the files written. `open_engine`:
    the engine the window generates with (the user's default model in its host when None)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    # A throwaway data folder in the user's cache: the status bar then shows "~/…", no machine paths.
    cache = Path(platformdirs.user_cache_dir("Shopscribe", appauthor=False))
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="screenshots-", dir=cache) as home:
        previous = os.environ.get("SHOPSCRIBE_HOME")
        os.environ["SHOPSCRIBE_HOME"] = home
        try:
            from desktop.ui.app import ensure_app

            app = ensure_app(["shopscribe"])
            if open_engine is None:
                _measure_engine(progress)
            for lang in langs:
                written += _one_language(app, lang, out, theme, max_tokens, progress, open_engine)
        finally:
            if previous is None:
                os.environ.pop("SHOPSCRIBE_HOME", None)
            else:
                os.environ["SHOPSCRIBE_HOME"] = previous
    return written


def _one_language(app, lang: str, out: Path, theme: str, max_tokens: int, progress,
                  open_engine: EngineOpener | None) -> list[Path]:
    from desktop.ui import engine_worker as ew
    from desktop.ui.app import create_main_window, shutdown
    from desktop.ui.context import SamplingOverrides

    sample = SAMPLES[lang]
    _seed_brand(sample)
    window = create_main_window(language=lang, theme_name=theme,
                                engine=ew.EngineWorker(open_engine=open_engine),
                                sampling=SamplingOverrides(max_tokens=max_tokens, seed=SEED))
    window.resize(*SIZE)
    window.show()
    written: list[Path] = []
    try:
        engine = window.ctx.engine
        _wait(app, lambda: engine.state in (ew.READY, ew.FAILED), 120, "the model to load")
        if engine.state == ew.FAILED:
            raise RuntimeError("the model did not load")
        compose = window.show_page("compose")
        _wait(app, lambda: compose.form.choices is not None, 30, "the Compose choices")
        form = compose.form
        for name in ("product_name", "features", "category"):
            form.set_field(name, sample[name])
        form.brand.setCurrentIndex(max(0, form.brand.findText(sample["brand"])))
        form.variants.setValue(2)
        progress(f"[{lang}] generating two variants for the Compose page…")
        compose.generate()
        _wait(app, lambda: not compose.running, 600, "the generation")
        _wait(app, lambda: all(card.score.value is not None and not card.findings.revealing
                               for card in compose.cards if card.result), 30, "the checks")
        for key in window.pages:
            page = window.show_page(key)
            _settle(app)
            if key == "history":
                page.run_search()
                _wait(app, lambda p=page: not p.search_pending, 30, "the history")
                page.table.selectRow(0)
            if hasattr(page, "prepare_screenshot"):
                page.prepare_screenshot()  # a page may pick what it shows best (the first item, ...)
            _settle(app)
            path = out / f"{key}-{lang}.png"
            window.grab().save(str(path))
            written.append(path)
            progress(f"[{lang}] {path}")
    finally:
        window.close()
        shutdown(window)
        window.deleteLater()
        app.processEvents()
    return written

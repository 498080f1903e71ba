"""Translations: every string the window shows is in resources/i18n/shopscribe_zh_CN.ts with a finished
Chinese translation (checked against a fresh lupdate over desktop/ui), placeholders survive, and the
compiled translation is what the window uses."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from desktop.core.paths import resource
from desktop.ui import i18n

UI_DIR = Path(__file__).resolve().parents[1] / "desktop" / "ui"
PLACEHOLDER = re.compile(r"%(?:\d|n)")


def _messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(path).getroot()
    out = {}
    for context in root.iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            out[(name, message.findtext("source"))] = message
    return out


def _texts(message: ET.Element) -> list[str]:
    translation = message.find("translation")
    if message.get("numerus") == "yes":
        return [form.text or "" for form in translation.iter("numerusform")]
    return [translation.text or ""]


def _lupdate() -> Path:
    exe = Path(sys.executable).parent / "pyside6-lupdate"
    return exe if exe.exists() else Path(shutil.which("pyside6-lupdate") or "pyside6-lupdate")


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_translation_files_are_complete(lang):
    messages = _messages(resource("i18n", f"shopscribe_{lang}.ts"))
    assert len(messages) > 100
    for (context, source), message in messages.items():
        translation = message.find("translation")
        assert translation.get("type") not in ("unfinished",), f"{lang}: unfinished {context}: {source!r}"
        texts = _texts(message)
        assert texts and all(t.strip() for t in texts), f"{lang}: empty translation for {context}: {source!r}"
        for text in texts:
            assert sorted(set(PLACEHOLDER.findall(text))) == sorted(set(PLACEHOLDER.findall(source))), (
                f"{lang}: placeholders differ in {context}: {source!r} -> {text!r}"
            )
    if lang == "zh_CN":
        chinese = sum(1 for m in messages.values() if re.search(r"[\u4e00-\u9fff]", "".join(_texts(m))))
        assert chinese / len(messages) > 0.9  # real Chinese, not copies of the English


def test_every_string_in_the_code_is_translated(tmp_path):
    """A fresh lupdate over desktop/ui finds no string missing from (or unfinished in) zh_CN.ts."""
    fresh = tmp_path / "fresh.ts"
    files = sorted(str(p) for p in UI_DIR.rglob("*.py"))
    subprocess.run([str(_lupdate()), *files, "-ts", str(fresh), "-locations", "none"], check=True,
                   capture_output=True, timeout=120)
    found = _messages(fresh)
    assert len(found) > 100
    shipped = _messages(resource("i18n", "shopscribe_zh_CN.ts"))
    missing = [f"{context}: {source!r}" for (context, source) in found if (context, source) not in shipped]
    assert not missing, "not in shopscribe_zh_CN.ts (run pyside6-lupdate, then translate):\n" + "\n".join(
        missing
    )


def test_the_window_uses_the_compiled_translation(qapp):
    try:
        assert i18n.install_language("zh_CN") == "zh_CN"
        assert QCoreApplication.translate("Pages", "Compose") == "写文案"
        assert QCoreApplication.translate("HistoryPage", "%n result(s)", "", 3) == "3 条结果"
        assert i18n.content_language() == "zh"
    finally:
        i18n.install_language("en")
    assert QCoreApplication.translate("HistoryPage", "%n result(s)", "", 1) == "1 result"
    assert QCoreApplication.translate("Pages", "Compose") == "Compose"


def test_system_language_is_chinese_or_english(qapp):
    assert i18n.system_language() in ("zh_CN", "en")
    assert i18n.resolve_language("system") == i18n.system_language()
    assert i18n.resolve_language("zh_CN") == "zh_CN"

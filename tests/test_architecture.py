"""The core stays Qt-free: import every core module in a fresh interpreter with PySide6 blocked."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BLOCK_QT = """
import importlib, pkgutil, sys
class BlockQt:
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith("PySide6.") or name.startswith("shiboken6"):
            raise ImportError("desktop.core must not import Qt: " + name)
sys.meta_path.insert(0, BlockQt())
import desktop.core
for mod in pkgutil.walk_packages(desktop.core.__path__, "desktop.core."):
    importlib.import_module(mod.name)
import desktop.cli
print("ok")
"""


def test_core_and_cli_import_without_qt():
    result = subprocess.run([sys.executable, "-c", BLOCK_QT], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("ok")


def test_no_core_module_mentions_pyside6_imports():
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "desktop" / "core").rglob("*.py")
        if any(line.lstrip().startswith(("import PySide6", "from PySide6")) for line in p.read_text().splitlines())
    ]
    assert offenders == []

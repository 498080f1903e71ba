"""The core stays Qt-free: import every core module in a fresh interpreter with PySide6 blocked."""

import shutil
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
        if any(line.lstrip().startswith(("import PySide6",
                                         "from PySide6")) for line in p.read_text().splitlines())
    ]
    assert offenders == []


# The declared layers and forbidden imports live in pyproject.toml ([tool.importlinter]); import-linter
# checks them on the source, lazy imports inside functions included.
LINT_IMPORTS = (
    "import sys; from importlinter.cli import lint_imports; "
    "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True, no_logo=True))"
)


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", LINT_IMPORTS], cwd=root, capture_output=True, text=True,
                          timeout=300)


def test_the_declared_layers_and_forbidden_imports_hold():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_contracts_catch_an_upward_import_and_llama_cpp_in_the_window(tmp_path):
    # A copy of the source with two violations: the bottom layer importing compose, and a window module
    # importing llama.cpp. The contracts must name both (a config that checks nothing would pass above).
    shutil.copytree(ROOT / "desktop", tmp_path / "desktop", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    with open(tmp_path / "desktop" / "core" / "paths.py", "a", encoding="utf-8") as fh:
        fh.write("\n\ndef _upward():\n    from desktop.core import compose  # noqa: F401\n")
    with open(tmp_path / "desktop" / "ui" / "theme.py", "a", encoding="utf-8") as fh:
        fh.write("\n\ndef _engine_here():\n    import llama_cpp  # noqa: F401\n")
    result = _lint_imports(tmp_path)
    assert result.returncode != 0
    assert "desktop.core.paths -> desktop.core.compose" in result.stdout
    assert "desktop.ui.theme -> llama_cpp" in result.stdout
    assert "2 broken" in result.stdout


def test_ruff_is_clean_line_length_included():
    # pyproject's [tool.ruff]: E501 at 110 columns over desktop/ and tests/ (seconds, so it runs here too)
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "desktop", "tests"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr

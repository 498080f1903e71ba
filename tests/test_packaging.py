"""Packaging: build.spec's decisions, checked by running the spec against recording stand-ins for
PyInstaller's Analysis/EXE/COLLECT/BUNDLE (Linux for real, Windows and macOS with a fake llama_cpp/lib);
the stdio runtime hook under closed descriptors; the icons and the desktop entry; and, when a bundle was
built (`make dist`), the frozen app itself. The normal suite never builds the bundle: CI's dist step does.
"""

from __future__ import annotations

import ast
import configparser
import os
import struct
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "build.spec"
PACKAGING = ROOT / "packaging"
DIST = ROOT / "dist" / "shopscribe"
LINUX = sys.platform.startswith("linux")


def toc(src: str, dest_dir: str, kind: str) -> tuple[str, str, str]:
    return ((Path(dest_dir) / Path(src).name).as_posix(), src, kind)


class Recorder:
    """Stand-ins for the names PyInstaller puts in a spec's namespace; each call is recorded."""

    def __init__(self, extra_binaries=(), extra_datas=()):
        self.calls: dict[str, list[SimpleNamespace]] = {}
        self.extra_binaries, self.extra_datas = list(extra_binaries), list(extra_datas)

    def _make(self, kind):
        def build(*args, **kwargs):
            obj = SimpleNamespace(args=args, kwargs=kwargs, pure=[], scripts=[])
            if kind == "Analysis":  # PyInstaller turns (source, dest folder) into (dest, source, kind)
                obj.binaries = [toc(src, dest, "BINARY") for src,
                                dest in kwargs["binaries"]] + self.extra_binaries
                obj.datas = [toc(src, dest, "DATA") for src, dest in kwargs["datas"]] + self.extra_datas
            self.calls.setdefault(kind, []).append(obj)
            return obj

        return build

    def namespace(self, workpath: Path) -> dict:
        ns = {name: self._make(name) for name in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")}
        ns.update(SPECPATH=str(ROOT), workpath=str(workpath), __name__="__main__")
        return ns

    def one(self, kind) -> SimpleNamespace:
        assert len(self.calls.get(kind, [])) == 1, f"expected one {kind}, got {self.calls.get(kind)}"
        return self.calls[kind][0]

    def collected(self) -> tuple[list, list]:
        """The binaries and datas that reach the bundle (COLLECT's last two arguments)."""
        args = self.one("COLLECT").args
        return args[-2], args[-1]


def run_spec(recorder: Recorder, tmp_path: Path) -> Recorder:
    exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), recorder.namespace(tmp_path))
    return recorder


def pyside_file(*parts: str) -> str:
    import PySide6

    path = Path(PySide6.__file__).parent.joinpath("Qt", *parts)
    assert path.exists(), path
    return str(path)


def test_spec_is_python_and_names_its_pieces():
    ast.parse(SPEC.read_text(encoding="utf-8"))
    for piece in ("launcher.py", "rthook_stdio.py", "shopscribe.ico", "shopscribe.icns"):
        assert (PACKAGING / piece).exists() or (PACKAGING / "icons" / piece).exists(), piece


@pytest.mark.skipif(not LINUX, reason="runs the spec against this machine's Linux llama_cpp")
def test_linux_spec_collects_llama_libs_in_their_layout_resources_model_and_every_module(tmp_path):
    import llama_cpp

    rec = run_spec(Recorder(), tmp_path)
    analysis = rec.one("Analysis")
    binaries, datas = rec.collected()

    # llama.cpp: the library ctypes opens plus what it links, by the names the loader asks for,
    # all in llama_cpp/lib next to each other (where llama_cpp and their $ORIGIN runpath look).
    llama = {Path(src).name: dest for src, dest in analysis.kwargs["binaries"]}
    assert "libllama.so" in llama and {"libggml.so.0", "libggml-base.so.0"} <= set(llama)
    # a native build links libggml-cpu; the portable one ships a CPU variant per instruction set
    assert "libggml-cpu.so.0" in llama or {"libggml-cpu-x64.so", "libggml-cpu-sse42.so"} <= set(llama)
    assert set(llama.values()) == {"llama_cpp/lib"}
    assert not any(name.startswith("libmtmd") for name in llama)  # image input: never loaded
    lib_dir = Path(llama_cpp.__file__).parent / "lib"
    assert all((lib_dir / name).exists() or (lib_dir.parent.parent / "bin" / name).exists() for name in llama)
    assert {"llama_cpp/lib/libllama.so", "llama_cpp/lib/libggml.so.0"} <= {dest for dest, _, _ in binaries}

    # Shipped data, at the paths desktop.core.paths.resource() and bundled_models_dir() use.
    dests = {(Path(src).relative_to(ROOT).as_posix(), dest) for src, dest in analysis.kwargs["datas"]
             if Path(src).is_relative_to(ROOT)}
    for rel in ("resources/platforms.json", "resources/styles/shopscribe.qss",
                "resources/icons/shopscribe.svg",
                "models/catalog.json", "models/SmolLM2-135M-Instruct.Q4_1.gguf"):
        assert (rel, str(Path(rel).parent)) in dests, rel
    shipped = {rel for rel, _ in dests}
    for folder in ("templates", "rules", "content"):
        files = {
            p.relative_to(ROOT).as_posix() for p in (ROOT / "resources" / folder).rglob("*") if p.is_file()
        }
        assert files and files <= shipped, folder
    for ts in (ROOT / "resources" / "i18n").glob("*.ts"):
        assert ts.with_suffix(".qm").relative_to(ROOT).as_posix() in shipped
        assert ts.relative_to(ROOT).as_posix() not in shipped  # sources stay behind

    # Modules imported by name: every CLI command module and every window page.
    hidden = set(analysis.kwargs["hiddenimports"])
    from desktop.cli import COMMAND_MODULES

    commands = {
        f"desktop.cli.{m}" for m in COMMAND_MODULES if (ROOT / "desktop" / "cli" / f"{m}.py").exists()
    }
    pages = {f"desktop.ui.pages.{p.stem}" for p in (ROOT / "desktop" / "ui" / "pages").glob("*.py")
             if p.stem != "__init__"}
    assert commands and commands <= hidden
    assert pages and pages <= hidden
    assert {"desktop.core.server.app", "uvicorn", "starlette"} <= hidden  # `shopscribe serve` is in the app

    excludes = set(analysis.kwargs["excludes"])
    assert not {"uvicorn", "starlette", "httpx2", "h11"} & excludes
    assert {"tkinter", "PySide6.QtWebEngineCore", "PySide6.QtNetwork", "PySide6.QtQml"} <= excludes
    assert [Path(h).name for h in analysis.kwargs["runtime_hooks"]] == ["rthook_stdio.py"]

    # Linux: one console executable (the CLI works), no strip, no UPX, no .app.
    exe = rec.one("EXE")
    assert exe.kwargs["name"] == "shopscribe" and exe.kwargs["console"] is True
    assert exe.kwargs["strip"] is False and exe.kwargs["upx"] is False
    assert "BUNDLE" not in rec.calls
    assert rec.one("COLLECT").kwargs["name"] == "shopscribe"


@pytest.mark.skipif(not LINUX, reason="uses this machine's Linux PySide6 files")
def test_linux_spec_drops_unused_qt_plugins_translations_libraries_and_their_orphans(tmp_path):
    b = "BINARY"
    binaries = [
        ("PySide6/Qt/plugins/imageformats/libqsvg.so",
         pyside_file("plugins", "imageformats", "libqsvg.so"), b),
        ("PySide6/Qt/plugins/imageformats/libqpdf.so",
         pyside_file("plugins", "imageformats", "libqpdf.so"), b),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", pyside_file("plugins", "platforms", "libqxcb.so"), b),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so",
         pyside_file("plugins", "platforms", "libqoffscreen.so"), b),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", pyside_file("plugins", "platforms", "libqeglfs.so"), b),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so",
         pyside_file("plugins", "platformthemes", "libqgtk3.so"), b),
        ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
         pyside_file("plugins", "platforminputcontexts", "libqtvirtualkeyboardplugin.so"), b),
        ("PySide6/Qt/plugins/iconengines/libqsvgicon.so",
         pyside_file("plugins", "iconengines", "libqsvgicon.so"), b),
        ("PySide6/Qt/lib/libQt6Gui.so.6", pyside_file("lib", "libQt6Gui.so.6"), b),
        ("PySide6/Qt/lib/libQt6Network.so.6", pyside_file("lib", "libQt6Network.so.6"), b),
        # Top-level system libraries: one that the kept Qt libraries link, one that nothing kept needs.
        ("libxkbcommon.so.0", pyside_file("plugins", "generic", "libqevdevkeyboardplugin.so"), b),
        ("libonly-gtk-needed-this.so.1", pyside_file("plugins", "generic", "libqevdevmouseplugin.so"), b),
    ]
    datas = [
        ("PySide6/Qt/translations/qtbase_zh_CN.qm", __file__, "DATA"),
        ("PySide6/Qt/translations/qtbase_de.qm", __file__, "DATA"),
        ("PySide6/Qt/translations/designer_zh_CN.qm", __file__, "DATA"),
        ("libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Gui.so.6", "SYMLINK"),
        ("libQt6Network.so.6", "PySide6/Qt/lib/libQt6Network.so.6", "SYMLINK"),
    ]
    rec = run_spec(Recorder(binaries, datas), tmp_path)
    kept_bins, kept_datas = rec.collected()
    kept = {dest for dest, _, _ in kept_bins} | {dest for dest, _, _ in kept_datas}
    for dest in ("PySide6/Qt/plugins/imageformats/libqsvg.so", "PySide6/Qt/plugins/platforms/libqxcb.so",
                 "PySide6/Qt/plugins/platforms/libqoffscreen.so",
                 "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
                 "PySide6/Qt/lib/libQt6Gui.so.6", "libxkbcommon.so.0",
                 "PySide6/Qt/translations/qtbase_zh_CN.qm",
                 "libQt6Gui.so.6"):
        assert dest in kept, dest
    for dest in ("PySide6/Qt/plugins/imageformats/libqpdf.so", "PySide6/Qt/plugins/platforms/libqeglfs.so",
                 "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
                 "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
                 "PySide6/Qt/lib/libQt6Network.so.6", "libonly-gtk-needed-this.so.1",
                 "PySide6/Qt/translations/qtbase_de.qm", "PySide6/Qt/translations/designer_zh_CN.qm",
                 "libQt6Network.so.6"):
        assert dest not in kept, dest


def fake_llama_lib(tmp_path: Path, monkeypatch, names: list[str], links: dict[str, list[str]]) -> None:
    """A llama_cpp/lib of empty files for another platform, and get_imports answering from `links`."""
    from PyInstaller.depend import bindepend
    from PyInstaller.utils import hooks

    package = tmp_path / "site" / "llama_cpp"
    (package / "lib").mkdir(parents=True)
    for name in names:
        (package / "lib" / name).write_bytes(b"")
    monkeypatch.setattr(hooks, "get_package_paths", lambda name: (str(package.parent), str(package)))
    monkeypatch.setattr(bindepend, "get_imports",
                        lambda path, search_paths=None: {(n, None) for n in links.get(Path(path).name, [])})


def test_windows_spec_builds_a_windowed_app_and_a_console_twin(tmp_path, monkeypatch):
    fake_llama_lib(tmp_path, monkeypatch,
                   ["llama.dll", "ggml.dll", "ggml-base.dll", "ggml-cpu.dll", "mtmd.dll"],
                   {"llama.dll": ["ggml.dll", "ggml-base.dll", "KERNEL32.dll"],
                    "ggml.dll": ["ggml-cpu.dll", "ggml-base.dll"], "mtmd.dll": ["llama.dll"]})
    monkeypatch.setattr(sys, "platform", "win32")
    rec = run_spec(Recorder(), tmp_path)
    llama = {Path(src).name: dest for src, dest in rec.one("Analysis").kwargs["binaries"]}
    assert llama == dict.fromkeys(["llama.dll", "ggml.dll", "ggml-base.dll", "ggml-cpu.dll"], "llama_cpp/lib")
    exes = {call.kwargs["name"]: call.kwargs for call in rec.calls["EXE"]}
    assert set(exes) == {"Shopscribe", "shopscribe-cli"}
    assert exes["Shopscribe"]["console"] is False and exes["shopscribe-cli"]["console"] is True
    assert all(Path(e["icon"]).name == "shopscribe.ico" for e in exes.values())
    assert "BUNDLE" not in rec.calls


def test_dynamic_backend_build_takes_every_ggml_backend(tmp_path, monkeypatch):
    """GGML_BACKEND_DL: ggml dlopens its CPU/GPU backends, so linking alone does not name them."""
    fake_llama_lib(tmp_path, monkeypatch,
                   ["libllama.so", "libggml.so", "libggml-base.so", "libggml-cpu-haswell.so",
                                           "libggml-vulkan.so", "libmtmd.so", "libggml-base.a"],
                   {"libllama.so": ["libggml.so", "libggml-base.so"]})
    monkeypatch.setattr(sys, "platform", "freebsd14")  # .so names, and no pruning of the fake files
    rec = run_spec(Recorder(), tmp_path)
    llama = {Path(src).name for src, _ in rec.one("Analysis").kwargs["binaries"]}
    assert llama == {"libllama.so", "libggml.so", "libggml-base.so", "libggml-cpu-haswell.so",
                     "libggml-vulkan.so"}


def test_portable_wheel_backends_from_its_bin_folder_join_the_llama_libraries(tmp_path, monkeypatch):
    """A portable wheel (GGML_CPU_ALL_VARIANTS) installs its CPU variants in site-packages/bin: the
    bundle puts them in llama_cpp/lib, beside libggml, where the engine looks for them."""
    fake_llama_lib(tmp_path, monkeypatch, ["libllama.so", "libggml.so", "libggml-base.so", "libmtmd.so",
                                           # the wheel's copies
                                           "libggml-base.so.0.25.3", "libggml.so.0.25.3"],
                   {"libllama.so": ["libggml.so", "libggml-base.so"]})
    site_bin = tmp_path / "site" / "bin"
    site_bin.mkdir()
    for name in ("libggml-cpu-x64.so", "libggml-cpu-sse42.so", "libggml-cpu-haswell.so",
                 "libggml-cpu-sapphirerapids.so", "not-ggml-tool"):
        (site_bin / name).write_bytes(b"")
    monkeypatch.setattr(sys, "platform", "freebsd14")
    rec = run_spec(Recorder(), tmp_path)
    binaries = {Path(src).name: (Path(src).parent.name, dest) for src,
                dest in rec.one("Analysis").kwargs["binaries"]}
    assert set(binaries) == {"libllama.so", "libggml.so", "libggml-base.so", "libggml-cpu-x64.so",
                             "libggml-cpu-sse42.so", "libggml-cpu-haswell.so",
                             "libggml-cpu-sapphirerapids.so"}
    assert binaries["libggml-cpu-haswell.so"] == ("bin", "llama_cpp/lib")
    assert {dest for _, dest in binaries.values()} == {"llama_cpp/lib"}


def test_macos_spec_builds_a_windowed_app_bundle(tmp_path, monkeypatch):
    fake_llama_lib(tmp_path, monkeypatch,
                   ["libllama.dylib", "libggml.dylib", "libggml-base.dylib", "libmtmd.dylib"],
                   {"libllama.dylib": ["@rpath/libggml.dylib", "@rpath/libggml-base.dylib",
                                       "/usr/lib/libc++.1.dylib"]})
    monkeypatch.setattr(sys, "platform", "darwin")
    rec = run_spec(Recorder(), tmp_path)
    llama = {Path(src).name for src, _ in rec.one("Analysis").kwargs["binaries"]}
    assert llama == {"libllama.dylib", "libggml.dylib", "libggml-base.dylib"}
    assert rec.one("EXE").kwargs["console"] is False
    bundle = rec.one("BUNDLE").kwargs
    assert bundle["name"] == "Shopscribe.app" and Path(bundle["icon"]).name == "shopscribe.icns"
    from desktop import __version__

    assert bundle["info_plist"]["CFBundleShortVersionString"] == __version__


@pytest.mark.skipif(os.name != "posix", reason="closes descriptors with sh")
@pytest.mark.parametrize("closed, before", [
    (">&- 2>&-", "before=True,True"),  # a windowed start: no stdout, no stderr
    ("<&- >&- 2>&-", "before=True,True"),  # ... and no stdin
    ("<&- 2>&-", "before=False,True"),  # the log would get fd 0 and must be moved to fd 2
])
def test_runtime_hook_gives_a_windowed_start_real_streams_and_a_log(
    tmp_path, shopscribe_home, closed, before
):
    """Started with descriptors closed, as a windowed app is: sys.stdout/sys.stderr are None until the
    hook runs; afterwards print(), click, isatty() and C-level writes to fd 2 all work."""
    report = tmp_path / "report.txt"
    code = (
        "import os, sys\n"
        "before = f'before={sys.stdout is None},{sys.stderr is None}'\n"  # no file opened yet: fds 1, 2 free
        f"exec(compile(open({str(PACKAGING / 'rthook_stdio.py')!r}).read(), 'rthook', 'exec'))\n"
        "import click\n"
        "print('to stdout'); click.echo('hello from click', err=True); sys.stderr.isatty(); "
        "sys.stdout.flush()\nos.write(2, b'native write to fd 2\\n')\n"
        f"open({str(report)!r}, 'w').write(before + f'\\nafter={{sys.stdout is None}},{{sys.stderr is "
        f"None}}\\n')\n"
    )
    proc = subprocess.run(["sh", "-c", f'exec "$@" {closed}', "sh", sys.executable, "-c", code],
                          cwd=ROOT, env={**os.environ, "SHOPSCRIBE_HOME": str(shopscribe_home)},
                          capture_output=True)
    assert proc.returncode == 0
    assert report.read_text().splitlines() == [before, "after=False,False"]
    log = (shopscribe_home / "logs" / "stderr.log").read_text(encoding="utf-8")
    assert "hello from click" in log and "native write to fd 2" in log and "to stdout" not in log


def test_icons_hold_every_size_each_platform_asks_for():
    ico = (PACKAGING / "icons" / "shopscribe.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", ico)
    assert (reserved, kind) == (0, 1)
    sizes = set()
    for i in range(count):
        width, _h, _c, _r, _planes, _bpp, length, offset = struct.unpack_from("<BBBBHHII", ico, 6 + 16 * i)
        assert ico[offset:offset + 8] == b"\x89PNG\r\n\x1a\n" and offset + length <= len(ico)
        sizes.add(width or 256)
    assert {16, 32, 48, 256} <= sizes

    icns = (PACKAGING / "icons" / "shopscribe.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
    pos, kinds = 8, set()
    while pos < len(icns):
        kind, length = icns[pos:pos + 4], struct.unpack(">I", icns[pos + 4:pos + 8])[0]
        assert icns[pos + 8:pos + 16] == b"\x89PNG\r\n\x1a\n"
        kinds.add(kind)
        pos += length
    assert pos == len(icns) and {b"ic07", b"ic08", b"ic09", b"ic10"} <= kinds

    png = (PACKAGING / "icons" / "shopscribe.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (256, 256)


def test_desktop_entry_opens_the_app_from_the_office_menu():
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(PACKAGING / "shopscribe.desktop", encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application" and entry["Exec"] == "shopscribe" and entry["Icon"] == "shopscribe"
    assert entry["Name"] == "Shopscribe" and entry["Name[zh_CN]"].strip()
    assert entry["Terminal"] == "false" and "Office" in entry["Categories"].split(";")


def bundle_is_current() -> bool:
    exe = DIST / "shopscribe"
    if not exe.exists():
        return False
    built = exe.stat().st_mtime
    sources = [*(ROOT / "desktop").rglob("*.py"), *(ROOT / "resources").rglob("*"), SPEC]
    return all(p.stat().st_mtime <= built for p in sources if p.is_file())


@pytest.mark.slow
@pytest.mark.model
@pytest.mark.skipif(not bundle_is_current(),
                    reason="no current dist/shopscribe: `make dist` builds it (CI does)")
def test_frozen_app_passes_its_selftest_and_generates():
    """The bundle run as a merchant runs it (packaging/smoke_test.py: selftest offscreen, generate --json,
    a windowed-style start, nothing written inside the bundle)."""
    proc = subprocess.run([sys.executable, str(PACKAGING / "smoke_test.py"), str(DIST)], cwd=ROOT,
                          capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "dist-test passed" in proc.stdout

"""Whether the window can open here, asked before Qt is: without a display, Qt's platform plugin ends
the process with SIGABRT (exit 134) and a page of plugin names. Instead the merchant reads one line
that says the window needs a desktop session and that every command works without one, and the
process exits 1, as any other user error of the command line does.

Two checks: `has_display()` before Qt's platform plugin is loaded (Linux and the BSDs with neither DISPLAY nor
WAYLAND_DISPLAY, and no QT_QPA_PLATFORM chosen), and `guard_platform_start()` around the creation of
the QApplication, for a display that is named but cannot be opened (a closed X server, a missing
system library): Qt's fatal message is caught and turned into the same kind of line.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

from desktop.core.errors import ShopscribeError

EXIT_NO_DISPLAY = 1


def has_display() -> bool:
    """False when no window can open on this machine for sure. Imports no Qt."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return True  # a platform was chosen (offscreen, vnc, ...): Qt is told where to draw
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True  # Windows and macOS always have their desktop


def no_display_error(detail: str | None = None) -> ShopscribeError:
    """No display at all (`detail` None), or one that Qt could not open (`detail`: Qt's words)."""
    if detail is None:
        why_en = "none was found: DISPLAY and WAYLAND_DISPLAY are not set"
        why_zh = "没有找到：未设置 DISPLAY 和 WAYLAND_DISPLAY"
    else:
        detail = detail.rstrip(". ")
        why_en, why_zh = f"the display could not be opened: {detail}", f"无法打开显示：{detail}"
    return ShopscribeError(
        f"The Shopscribe window needs a desktop session, and {why_en}. "
        "Every command works without one: see `shopscribe --help`.",
        f"Shopscribe 窗口需要桌面会话，但{why_zh}。所有命令无需桌面即可使用：见 `shopscribe --help`。",
    )


def _say_and_exit(detail: str) -> None:
    print(f"error: {no_display_error(detail)}", file=sys.stderr, flush=True)
    os._exit(EXIT_NO_DISPLAY)  # from inside Qt's fatal handler: no unwinding through C++


@contextlib.contextmanager
def guard_platform_start() -> Iterator[None]:
    """Around `QApplication(...)`: a fatal platform error becomes our one line and exit 1. Qt's other
    messages meanwhile are held, then printed to stderr as Qt would have (only the line when it fails)."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    said: list[str] = []

    def handler(kind, context, message: str) -> None:
        category = getattr(context, "category", None)
        line = f"{category}: {message}" if category and category != "default" else message
        if kind == QtMsgType.QtFatalMsg:
            platform = [m.split(": ", 1)[-1] for m in said if m.startswith("qt.qpa")]
            _say_and_exit(" ".join(platform) or message.splitlines()[0])
        said.append(line)

    previous = qInstallMessageHandler(handler)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)
        for line in said:
            print(line, file=sys.stderr)

"""The PySide6 window: pages, widgets, and the workers that run core calls off the GUI thread.

No business rules here: a widget asks desktop.core and shows the answer."""

from desktop.ui import qt_source_scan  # noqa: E402,F401 - first, before the modules it would read

"""Python's garbage collector, run on the GUI thread only, while a window is open.

The cyclic collector runs in whichever thread happens to allocate when a threshold is crossed. When
that is a worker and the garbage holds a Qt object, `~QObject` runs in the worker: it takes a Qt lock,
then waits for the GIL, which the GUI thread holds while it waits for that same lock (seen in a test
run: a window frozen for good). So while a window is open, automatic collection is off and a timer on
the GUI thread collects instead, by the same thresholds.

Once the window has started (`settle`), what exists then (modules, the pages, the rules) lives as long as
the app: it is frozen out of the collector's view (`gc.freeze`), so a full collection scans only what
came since. Before, each full collection held the GUI thread about 22 ms while text streamed in.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    _open = 0  # collectors alive; automatic collection comes back when the last one stops
    _was_enabled = True

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if GuiThreadCollector._open == 0:
            GuiThreadCollector._was_enabled = gc.isenabled()
            gc.disable()
        GuiThreadCollector._open += 1
        self._stopped = False
        self._frozen = False
        self._threshold = gc.get_threshold()
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.collect)
        self._timer.start()

    def collect(self) -> None:
        count0, count1, count2 = gc.get_count()
        if count0 > self._threshold[0]:
            gc.collect(0)
            if count1 > self._threshold[1]:
                gc.collect(1)
                if count2 > self._threshold[2]:
                    gc.collect(2)

    def settle(self) -> None:
        """The window has started: collect once, then leave what survives out of later collections."""
        if self._stopped or self._frozen:
            return
        self._frozen = True
        gc.collect()
        gc.freeze()

    def stop(self) -> None:
        """The window closes: collect once here, and give collection back to Python when it was on."""
        if self._stopped:
            return
        self._stopped = True
        self._timer.stop()
        GuiThreadCollector._open -= 1
        if self._frozen:
            gc.unfreeze()  # the window's objects can go now (a test opens many windows in one process)
        gc.collect()
        if GuiThreadCollector._open == 0 and GuiThreadCollector._was_enabled:
            gc.enable()

"""Cyclic garbage collection on the GUI thread only.

Python's cyclic collector runs on whichever thread happens to allocate when its thresholds
trip. In medscribe that is often a worker thread (``asyncio.to_thread``: PHI rules, grounding,
file and DOCX I/O). If the garbage it finds holds a Qt object (a closed dialog, a finished
controller), that object's C++ destructor then runs off the GUI thread, where Qt cannot stop
its timers: the process crashes later, far from the cause (seen here as a segfault in
``QTimerInfoList::activateTimers``). So automatic collection is switched off and a timer on the
GUI thread collects instead, honouring the usual generation thresholds (the same approach as
pyqtgraph's GarbageCollector). Reference counting still frees almost everything at once; only
cycles wait for the timer.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

_INTERVAL_MS = 500


class GuiThreadGarbageCollector(QObject):
    def __init__(self, parent: QObject, interval_ms: int = _INTERVAL_MS) -> None:
        super().__init__(parent)
        self.setObjectName("guiThreadGarbageCollector")
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._timer.start(interval_ms)

    def _on_timer_timeout(self) -> None:
        counts = gc.get_count()
        thresholds = gc.get_threshold()
        # The oldest generation whose count passed its threshold, as gc itself would choose.
        for generation in (2, 1, 0):
            if counts[generation] > thresholds[generation]:
                gc.collect(generation)
                return


def install_gc_guard() -> GuiThreadGarbageCollector | None:
    """Once per application (idempotent); call on the GUI thread after QApplication exists."""
    app = QCoreApplication.instance()
    if app is None:
        return None
    existing = app.findChild(GuiThreadGarbageCollector, "guiThreadGarbageCollector")
    if isinstance(existing, GuiThreadGarbageCollector):
        gc.disable()  # someone may have re-enabled it (tests do, between tests)
        return existing
    return GuiThreadGarbageCollector(app)

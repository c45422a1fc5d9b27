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
import time

from PySide6.QtCore import QCoreApplication, QObject, QTimer

_INTERVAL_MS = 500
# A full collection walks every tracked object and holds the GUI thread meanwhile (150 ms was
# measured with the ICD-10-CM table loaded, before that table was frozen out of the
# collector). CPython itself skips most full collections (it waits until a quarter of the old
# generation is new); here they are simply spaced out.
_FULL_COLLECTION_EVERY_S = 30.0


class GuiThreadGarbageCollector(QObject):
    def __init__(self, parent: QObject, interval_ms: int = _INTERVAL_MS) -> None:
        super().__init__(parent)
        self.setObjectName("guiThreadGarbageCollector")
        gc.disable()
        self._last_full = time.monotonic()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._timer.start(interval_ms)

    def _on_timer_timeout(self) -> None:
        counts = gc.get_count()
        thresholds = gc.get_threshold()
        # The oldest generation whose count passed its threshold, as gc itself would choose,
        # except that full collections wait their turn.
        full_due = time.monotonic() - self._last_full >= _FULL_COLLECTION_EVERY_S
        for generation in (2, 1, 0) if full_due else (1, 0):
            if counts[generation] > thresholds[generation]:
                gc.collect(generation)
                if generation == 2:
                    self._last_full = time.monotonic()
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

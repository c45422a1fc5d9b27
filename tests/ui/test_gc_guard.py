"""Garbage cycles are collected on the GUI thread, never on a worker thread."""

from __future__ import annotations

import gc
import threading

from medscribe.ui.gc_guard import install_gc_guard


class _Cycle:
    def __init__(self, seen: list[str]) -> None:
        self.me = self
        self.seen = seen

    def __del__(self) -> None:
        self.seen.append(threading.current_thread().name)


def test_cycles_wait_for_the_gui_thread(qapp, qtbot) -> None:
    guard = install_gc_guard()
    assert guard is not None and install_gc_guard() is guard  # one per application
    try:
        assert not gc.isenabled()
        seen: list[str] = []
        _Cycle(seen)  # unreachable at once, but only the cyclic collector can free it

        kept: list[list[object]] = []

        def allocate() -> None:  # enough live containers to pass the collection threshold
            kept.append([[] for _ in range(50_000)])

        worker = threading.Thread(target=allocate, name="worker")
        worker.start()
        worker.join()
        assert seen == []  # nothing was collected on the worker
        qtbot.waitUntil(lambda: bool(seen), timeout=5_000)
        assert seen == [threading.main_thread().name]
    finally:
        gc.enable()

"""Start the desktop app: QApplication, the qasync loop, logging, the excepthook, the window.

``MEDSCRIBE_REPORT_FIRST_PAINT=1`` makes the app print ``first-paint <time.time()>`` when the
window first paints, then close (``medscribe.self_test.install_first_paint_probe``): the launch
benchmarks (bench/ui_bench.py from source, bench/startup_bench.py frozen) use it.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

log = logging.getLogger(__name__)


def _app_icon() -> QIcon | None:
    """The window icon from the bundled resources, if the packaging put one there."""
    from importlib import resources

    from PySide6.QtGui import QIcon

    try:
        icons = resources.files("medscribe.resources").joinpath("icons")
        pngs = [
            p
            for p in icons.iterdir()
            if p.name.startswith("medscribe-") and p.name.endswith(".png")
        ]
        if pngs:
            icon = QIcon()
            for png in pngs:  # every size: crisp in the title bar and the task bar at any DPI
                icon.addFile(str(png))
            return icon
    except (ModuleNotFoundError, OSError):
        pass
    return None


def run_gui(path: str | None = None, self_test: bool = False) -> int:
    """The app's main loop. Returns the process exit code."""
    if self_test:
        from medscribe.self_test import run_self_test

        return run_self_test()
    from medscribe.logging_setup import setup_logging

    log_file = setup_logging()
    import qasync
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    # Qt 6 scales for high DPI by itself; pass fractional factors through (125 %, 150 %).
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("medscribe")
    app.setApplicationDisplayName("medscribe")
    app.setOrganizationName("medscribe")
    icon = _app_icon()
    if icon is not None:
        app.setWindowIcon(icon)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)

    from medscribe.app import build_main_window
    from medscribe.ui.errors import install_excepthook

    window = build_main_window(path=Path(path) if path else None)
    install_excepthook(lambda: window, loop)
    log.info("medscribe started; log file %s", log_file)
    # The launch benchmark's probe (MEDSCRIBE_REPORT_FIRST_PAINT); a no-op otherwise.
    from medscribe.self_test import install_first_paint_probe

    install_first_paint_probe(window)

    # We end the loop ourselves, after the window's controllers and the HTTP client are shut.
    app.setQuitOnLastWindowClosed(False)
    closed = asyncio.Event()
    app.lastWindowClosed.connect(closed.set)
    window.show()

    async def main() -> None:
        await closed.wait()
        await window.shutdown()

    try:
        with loop:
            loop.run_until_complete(main())
    finally:
        asyncio.set_event_loop(None)
    log.info("medscribe closed")
    return 0

"""``medscribe --self-test``: prove that an installed (frozen) app works, with no server.

It does what a physician's first minute does, in the real code: start the real window
(offscreen), load the bundled sample transcript into it, find PHI with the rules, export a
de-identified DOCX and read it back with python-docx. Each step prints one line; the process
exits 0 only if all passed, otherwise 1 with ``self-test failed at step '<step>': <why>`` on
stderr. A missing resource, Qt plugin or library in a PyInstaller bundle shows up here, named.

Isolation: everything runs in a fresh folder under the app's temp folder
(``settings.paths.temp_dir()``, which honours ``MEDSCRIBE_DATA_DIR``), used as the config and
data folder while the test runs, then deleted. The user's settings, window geometry and
autosaves are never read or touched, and a crash-recovery prompt can never appear. The LM
Studio client points at a closed port on this computer, so status checks fail at once instead
of waiting on a server.

The report also goes to ``<log folder>/self-test.txt``: a windowed Windows build has no stdout.

This module also holds the first-paint probe for the launch benchmark (bench/startup_bench.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import os
import re
import shutil
import socket
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

FIRST_PAINT_ENV = "MEDSCRIBE_REPORT_FIRST_PAINT"
PAINT_TIMEOUT_S = 20.0
_ISOLATED_ENV = ("MEDSCRIBE_CONFIG_DIR", "MEDSCRIBE_DATA_DIR")


class SelfTestFailure(Exception):
    """A check found something wrong (as opposed to a step that raised)."""


# --- first paint --------------------------------------------------------------------------


def _watch_first_paint(window: Any, on_painted: Callable[[float], None]) -> Any:
    """Call ``on_painted(time.time())`` once, right after ``window`` (or a child) first paints.

    An application-wide event filter, because a main window's own area may be entirely covered
    by its children, which then get the paint events. The time is taken on the next turn of the
    event loop, after the paint has been flushed to the screen.
    """
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication.instance()

    class _Watcher(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if (
                event.type() == QEvent.Type.Paint
                and isinstance(obj, QWidget)
                and obj.window() is window
            ):
                app.removeEventFilter(self)
                QTimer.singleShot(0, lambda: on_painted(time.time()))
            return False

    watcher = _Watcher(window)
    app.installEventFilter(watcher)
    return watcher


def install_first_paint_probe(window: Any) -> bool:
    """If ``MEDSCRIBE_REPORT_FIRST_PAINT`` is set, report the first paint of ``window``, then
    close it (the app then exits as after a normal close, without asking to save).

    ``MEDSCRIBE_REPORT_FIRST_PAINT=1`` prints ``first-paint <time.time()>`` on stdout; any other
    value is taken as a file to write that line to (windowed builds have no stdout). Wall-clock
    time, because the benchmark compares it with when it launched the process. Call it before
    ``window.show()``. Returns whether the probe was installed.
    """
    target = os.environ.get(FIRST_PAINT_ENV, "")
    if not target:
        return False

    def report(when: float) -> None:
        line = f"first-paint {when:.4f}\n"
        if target == "1":
            if sys.stdout is not None:
                sys.stdout.write(line)
                sys.stdout.flush()
        else:
            Path(target).write_text(line, encoding="utf-8")
        if hasattr(window, "discard_changes_on_close"):
            window.discard_changes_on_close = True
        window.close()

    _watch_first_paint(window, report)
    return True


# --- the self-test ------------------------------------------------------------------------


class _Report:
    """Prints each step to stdout (if any) and keeps the lines for self-test.txt."""

    def __init__(self, out: TextIO | None) -> None:
        self.out = out
        self.lines: list[str] = []

    def line(self, text: str, stream: TextIO | None = None) -> None:
        self.lines.append(text)
        target = stream if stream is not None else self.out
        if target is not None:
            print(text, file=target, flush=True)


def _closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound by us a moment ago, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def _isolated_dirs(work: Path) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in _ISOLATED_ENV}
    os.environ["MEDSCRIBE_CONFIG_DIR"] = str(work / "config")
    os.environ["MEDSCRIBE_DATA_DIR"] = str(work / "data")
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


class _SelfTest:
    """The steps, in order; each is a method so a failure names exactly one step."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.window: Any = None
        self.result: Any = None
        self.docx_path = work / "self-test-note.docx"

    def steps(self) -> list[tuple[str, Callable[[], Any]]]:
        return [
            ("check bundled data", self.check_data),
            ("start window", self.start_window),
            ("load sample transcript", self.load_sample),
            ("detect PHI (rules)", self.detect_phi),
            ("export DOCX", self.export_docx),
            ("read DOCX back", self.read_docx),
            ("close window", self.close_window),
        ]

    async def check_data(self) -> str:
        """The app icon and the ICD-10-CM table, which nothing else here would touch.

        The table is only located, not parsed: importing simple_icd_10_cm takes seconds.
        """
        icons = resources.files("medscribe.resources") / "icons"
        pngs = [p for p in icons.iterdir() if p.name.endswith(".png")] if icons.is_dir() else []
        if not pngs:
            raise SelfTestFailure("the app icons are missing")
        spec = importlib.util.find_spec("simple_icd_10_cm")
        folders = list(spec.submodule_search_locations or []) if spec else []
        tables = [
            f
            for folder in folders
            for f in (Path(folder) / "data").glob("*")
            if f.suffix in (".xml", ".txt") and f.stat().st_size > 0
        ]
        if {f.suffix for f in tables} != {".xml", ".txt"}:
            raise SelfTestFailure("the ICD-10-CM code table is missing")
        return f"{len(pngs)} icons, ICD-10-CM table"

    async def start_window(self) -> str:
        from medscribe.app import build_main_window
        from medscribe.settings import Settings

        settings = Settings(base_url=f"http://127.0.0.1:{_closed_port()}/v1")
        painted: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.window = build_main_window(settings=settings)
        _watch_first_paint(self.window, lambda t: painted.done() or painted.set_result(t))
        self.window.show()
        try:
            await asyncio.wait_for(painted, PAINT_TIMEOUT_S)
        except TimeoutError:
            raise SelfTestFailure(
                f"the window did not paint within {PAINT_TIMEOUT_S:.0f} s"
            ) from None
        from PySide6.QtGui import QFontDatabase, QGuiApplication

        fonts = len(QFontDatabase.families())
        if fonts == 0:  # text would draw as empty boxes: fontconfig found no fonts
            raise SelfTestFailure("no fonts were found, so the window cannot show any text")
        return f"platform {QGuiApplication.platformName()}, {fonts} font families"

    async def load_sample(self) -> str:
        from medscribe.core.readers import read_transcript
        from medscribe.core.session import EncounterResult

        sample = resources.files("medscribe.resources") / "sample" / "sample_visit.txt"
        with resources.as_file(sample) as path:
            if not path.is_file():
                raise SelfTestFailure(f"the bundled sample transcript is missing ({path})")
            transcript = read_transcript(path)
        self.result = EncounterResult(transcript=transcript)
        self.window.document.load(self.result)
        await asyncio.sleep(0)  # let the views redraw with it
        shown = self.window.document.result.transcript.text
        if shown != transcript.text:
            raise SelfTestFailure("the window does not show the transcript that was loaded")
        return f"{len(transcript.text):,} characters"

    async def detect_phi(self) -> str:
        from medscribe.core.phi_detect import detect_phi_rules

        spans = detect_phi_rules(self.result.transcript.text)
        if not spans:
            # The sample names its patient; none found means the name lists did not load.
            raise SelfTestFailure(
                "no identifiers found in the sample; the name lists may be missing"
            )
        self.result = self.result.model_copy(update={"phi_spans": spans})
        self.window.document.load(self.result)
        return f"{len(spans)} identifiers"

    async def export_docx(self) -> str:
        from medscribe.export import write_docx

        path = await asyncio.to_thread(
            write_docx, self.result, self.docx_path, deidentify=True, include_transcript=True
        )
        return f"{Path(path).stat().st_size:,} bytes"

    async def read_docx(self) -> str:
        text = await asyncio.to_thread(_docx_text, self.docx_path)
        if not text.strip():
            raise SelfTestFailure("the exported document has no text")
        transcript = self.result.transcript.text
        spans = self.result.phi_spans
        identifiers = {transcript[s.start : s.end].strip() for s in spans}
        # What may legitimately remain: the same words where the rules did not mark them.
        unmarked = list(transcript)
        for span in spans:
            unmarked[span.start : span.end] = " " * (span.end - span.start)
        unmarked_text = "".join(unmarked)
        leaked = []
        for phi in identifiers:
            if len(phi) < 3:  # "Mr", initials: ordinary text may spell them too
                continue
            word = re.compile(rf"(?<!\w){re.escape(phi)}(?!\w)")  # "Ann" is not in "annual"
            if len(word.findall(text)) > len(word.findall(unmarked_text)):
                leaked.append(phi)
        if leaked:
            raise SelfTestFailure(f"{len(leaked)} identifiers were not removed from the document")
        return f"{len(text):,} characters, no identifiers left"

    async def close_window(self) -> str:
        window, self.window = self.window, None
        window.discard_changes_on_close = True
        window.close()
        await window.shutdown()
        await _settle()
        window.deleteLater()
        return "closed"

    async def abandon(self) -> None:
        """After a failure: close what was opened, quietly."""
        if self.window is not None:
            with contextlib.suppress(Exception):
                await self.close_window()


async def _settle(timeout: float = 5.0) -> None:
    """Let work the window started in the background (a status check, the autosave look-up)
    finish, so that nothing is left running when the loop closes, even when a step failed
    a few milliseconds after the window opened."""
    current = asyncio.current_task()
    pending = [t for t in asyncio.all_tasks() if t is not current and not t.done()]
    if pending:
        await asyncio.wait(pending, timeout=timeout)
    for _ in range(3):  # callbacks those tasks scheduled as they ended
        await asyncio.sleep(0)


def _describe(exc: BaseException) -> str:
    """One line for a person, plus where, for whoever supports them. No traceback."""
    message = getattr(exc, "user_message", None) or str(exc) or type(exc).__name__
    if isinstance(exc, SelfTestFailure):
        return message
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" [{type(exc).__name__} at {Path(frames[-1].filename).name}:{frames[-1].lineno}]"
    return message.splitlines()[0] + (where if frames else "")


async def _run_steps(test: _SelfTest, report: _Report, err: TextIO | None) -> int:
    for name, step in test.steps():
        started = time.perf_counter()
        try:
            detail = await step()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the point of a self-test: report any failure, by step
            report.line(f"self-test failed at step '{name}': {_describe(exc)}", err)
            await test.abandon()
            return 1
        report.line(f"self-test: {name} ... ok ({detail}; {time.perf_counter() - started:.2f} s)")
    return 0


def _write_report_file(report: _Report) -> None:
    from medscribe.settings import paths

    with contextlib.suppress(OSError):
        paths.log_dir().mkdir(parents=True, exist_ok=True)
        (paths.log_dir() / "self-test.txt").write_text("\n".join(report.lines) + "\n", "utf-8")


def run_self_test(out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run every step; return the process exit code (0 = all passed, 1 = a step failed).

    Must be called before any QApplication exists when the platform should be offscreen
    (``QT_QPA_PLATFORM`` is set to ``offscreen`` unless already set).
    """
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    report = _Report(out)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.perf_counter()
    try:
        from medscribe.settings import paths

        work = paths.temp_dir() / f"self-test-{os.getpid()}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
    except OSError as exc:
        report.line(f"self-test failed at step 'prepare work folder': {exc}", err)
        _write_report_file(report)
        return 1
    try:
        with _isolated_dirs(work):
            code = _run_in_qt(_SelfTest(work), report, err)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if code == 0:
        report.line(f"self-test passed ({time.perf_counter() - started:.1f} s)")
    _write_report_file(report)
    return code


def _quiet_offscreen_warnings() -> Any:
    """Drop the offscreen platform's "does not support propagateSizeHints()" noise; Qt's
    other messages still reach stderr. Returns the previous handler."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        if "propagateSizeHints" in message or sys.stderr is None:
            return
        if kind != QtMsgType.QtDebugMsg:
            print(message, file=sys.stderr)

    return qInstallMessageHandler(handler)


def _run_in_qt(test: _SelfTest, report: _Report, err: TextIO | None) -> int:
    import qasync
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    previous_handler = _quiet_offscreen_warnings()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    quit_on_close = app.quitOnLastWindowClosed()
    app.setQuitOnLastWindowClosed(False)  # closing the window must not stop the loop early
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        return loop.run_until_complete(_run_steps(test, report, err))
    finally:
        loop.close()
        asyncio.set_event_loop(None)
        app.setQuitOnLastWindowClosed(quit_on_close)
        qInstallMessageHandler(previous_handler)

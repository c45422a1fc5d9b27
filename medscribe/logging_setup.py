"""Logging for the desktop app: a rotating file in the app's log folder.

What goes in: ids, lengths, timings, status codes, error class names. Never transcript, prompt
or completion text (every module follows that rule; this module only decides where lines go).
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from medscribe.settings.paths import log_dir

LOG_FILE_NAME = "medscribe.log"
_MAX_BYTES = 2 * 1024 * 1024
_BACKUPS = 5
_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"


def setup_logging(level: int | None = None, directory: Path | None = None) -> Path | None:
    """Log to ``<log_dir>/medscribe.log`` (rotating). Returns the file, or None if the folder
    cannot be created (the app still runs; it logs to stderr then)."""
    if level is None:
        level = logging.DEBUG if os.environ.get("MEDSCRIBE_DEBUG") else logging.INFO
    root = logging.getLogger()
    root.setLevel(level)
    directory = directory or log_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / LOG_FILE_NAME
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=_MAX_BYTES, backupCount=_BACKUPS, encoding="utf-8", delay=True
        )
    except OSError:
        path = None
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.setLevel(level)
    # Replace an earlier handler of ours (run_gui called twice in one process, e.g. tests).
    for old in [h for h in root.handlers if getattr(h, "_medscribe", False)]:
        root.removeHandler(old)
        old.close()
    handler._medscribe = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    # httpx logs full request URLs at INFO; keep it quiet (and never at DEBUG in a file).
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    return path

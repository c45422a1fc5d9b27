"""Session files and the autosave that survives a crash.

A session file (``*.medscribe``) is the JSON of an :class:`EncounterResult`; its
``format_version`` lets a later medscribe migrate it and lets this one refuse a newer file
with a plain message instead of silently dropping what it does not understand.

Every write is atomic (a temporary file in the same folder, then ``os.replace``), so a crash
or a full disk mid-write leaves the previous file intact rather than half a file.

The autosave store keeps one file per running window. While a window runs it holds an OS
lock on a companion ``.lock`` file; the OS drops that lock when the process dies, however it
dies (SIGKILL, power cut, Task Manager). An autosave whose lock can be taken therefore belongs
to a process that ended without a clean close: that is what :meth:`AutosaveStore.recoverable`
offers. The lock (not the pid) decides, because pids are reused; the pid is kept for logs.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import sys
import tempfile
import threading
import uuid
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel, ValidationError

from medscribe.core.errors import MedscribeError
from medscribe.core.session import SESSION_FORMAT_VERSION, EncounterResult

log = logging.getLogger(__name__)

SESSION_SUFFIX = ".medscribe"
_AUTOSAVE_KIND = "medscribe-autosave"
_AUTOSAVE_PREFIX = "autosave-"


class SessionFileError(MedscribeError):
    """A session file could not be saved or opened."""


# --- atomic writes ----------------------------------------------------------------------


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see either the old or the new file."""
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _write_error(path: Path, exc: OSError) -> SessionFileError:
    name = path.name
    if isinstance(exc, PermissionError):
        msg = f"medscribe is not allowed to write '{name}'. Choose another folder."
    elif exc.errno == errno.ENOSPC:
        msg = f"The disk is full, so '{name}' could not be saved. Free some space and try again."
    elif isinstance(exc, (FileNotFoundError, NotADirectoryError)):
        msg = f"The folder for '{name}' does not exist any more. Choose another folder."
    else:
        msg = f"'{name}' could not be saved ({exc.strerror or 'write error'}). Try another folder."
    return SessionFileError(msg, detail=f"{type(exc).__name__} errno={exc.errno}")


# --- session files ----------------------------------------------------------------------


def save_session(result: EncounterResult, path: Path) -> None:
    """Save a session atomically. Raises SessionFileError with a plain message."""
    data = result.model_copy(update={"format_version": SESSION_FORMAT_VERSION})
    text = data.model_dump_json(indent=1)
    try:
        atomic_write_text(path, text)
    except OSError as exc:
        raise _write_error(path, exc) from exc
    log.info("session saved: %d characters of JSON", len(text))


def _result_from_data(data: Any, name: str) -> EncounterResult:
    """Validate decoded JSON as a session, with messages for each way it can be wrong."""
    if not isinstance(data, dict) or "transcript" not in data:
        raise SessionFileError(
            f"'{name}' is not a medscribe session file.", detail="no transcript key"
        )
    version = data.get("format_version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise SessionFileError(
            f"'{name}' is damaged and cannot be opened.", detail=f"format_version={version!r}"
        )
    if version > SESSION_FORMAT_VERSION:
        raise SessionFileError(
            f"'{name}' was saved by a newer version of medscribe. Update medscribe to open it.",
            detail=f"format_version={version} > {SESSION_FORMAT_VERSION}",
        )
    # Version 1 is the first format; migrations from older versions go here.
    try:
        return EncounterResult.model_validate(data)
    except ValidationError as exc:
        raise SessionFileError(
            f"'{name}' is damaged and cannot be opened.",
            detail=f"{exc.error_count()} validation errors",
        ) from exc


def open_session(path: Path) -> EncounterResult:
    """Open a session file. Raises SessionFileError for missing, damaged or newer files."""
    name = path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise SessionFileError(f"'{name}' was not found. It may have been moved.") from exc
    except IsADirectoryError as exc:
        raise SessionFileError(f"'{name}' is a folder, not a session file.") from exc
    except PermissionError as exc:
        raise SessionFileError(f"medscribe is not allowed to read '{name}'.") from exc
    except OSError as exc:
        raise SessionFileError(
            f"'{name}' could not be read ({exc.strerror or 'read error'}).",
            detail=f"{type(exc).__name__} errno={exc.errno}",
        ) from exc
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SessionFileError(
            f"'{name}' is not a medscribe session file, or it is damaged.",
            detail=type(exc).__name__,
        ) from exc
    return _result_from_data(data, name)


# --- autosave ---------------------------------------------------------------------------


class RecoverableSession(BaseModel):
    """Work left behind by a window that did not close cleanly."""

    saved_at: datetime
    session_path: Path | None = None
    result: EncounterResult
    autosave_file: Path | None = None  # where it was found (removed on claim/clear)


def _try_lock(handle: IO[bytes]) -> bool:
    """Take an exclusive, non-blocking lock on an open file; False if someone holds it."""
    try:
        if sys.platform == "win32":
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class _HeldLock:
    """An open lock file we hold; closing it releases the lock."""

    def __init__(self, path: Path, handle: IO[bytes]) -> None:
        self.path, self.handle = path, handle

    @classmethod
    def acquire(cls, path: Path) -> _HeldLock | None:
        try:
            handle = open(path, "a+b")  # noqa: SIM115 - kept open for the lock's lifetime
        except OSError:
            return None
        if _try_lock(handle):
            return cls(path, handle)
        handle.close()
        return None

    def release(self, *, delete: bool) -> None:
        self.handle.close()  # releases the lock on every platform
        if delete:
            with contextlib.suppress(OSError):
                self.path.unlink()


class AutosaveStore:
    """Autosaves of the open session in the app's data folder; see the module docstring.

    Thread-safe: the controller writes from a worker thread while the GUI thread may clear.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._instance = f"{_AUTOSAVE_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._own_lock: _HeldLock | None = None
        self._offered: dict[Path, _HeldLock] = {}  # orphans we hold while the user decides
        self._mutex = threading.Lock()

    @property
    def file(self) -> Path:
        """This window's autosave file."""
        return self.directory / f"{self._instance}.json"

    def _lock_path(self, data_file: Path) -> Path:
        return data_file.with_suffix(".lock")

    def write(self, result: EncounterResult, *, session_path: Path | None) -> None:
        """Replace this window's autosave. Raises SessionFileError (plain) on failure."""
        envelope = {
            "kind": _AUTOSAVE_KIND,
            "pid": os.getpid(),
            "saved_at": datetime.now().astimezone().isoformat(),
            "session_path": str(session_path) if session_path else None,
            "result": result.model_dump(mode="json"),
        }
        text = json.dumps(envelope, ensure_ascii=False)
        with self._mutex:
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
                if self._own_lock is None:
                    self._own_lock = _HeldLock.acquire(self._lock_path(self.file))
                atomic_write_text(self.file, text)
            except OSError as exc:
                reason = "the disk is full" if exc.errno == errno.ENOSPC else "a file error"
                raise SessionFileError(
                    f"medscribe could not write its automatic backup ({reason}). "
                    "Save the session yourself to be safe.",
                    detail=f"{type(exc).__name__} errno={exc.errno}",
                ) from exc
        log.debug("autosave written: %d characters", len(text))

    def _orphans(self) -> list[Path]:
        """Autosave files of other windows, newest first."""
        try:
            files = [
                p
                for p in self.directory.glob(f"{_AUTOSAVE_PREFIX}*.json")
                if p != self.file and p not in self._offered
            ]
        except OSError:
            return []
        return sorted(files, key=_mtime, reverse=True)

    def recoverable(self) -> RecoverableSession | None:
        """The newest autosave whose window ended without a clean close, or None.

        The orphan's lock is held from now on, so a second window starting at the same time
        does not offer the same work twice; clear() or claim() let it go.
        """
        with self._mutex:
            for path in self._orphans():
                lock_path = self._lock_path(path)
                if not lock_path.exists():
                    continue  # being created right now, or not an autosave of ours
                held = _HeldLock.acquire(lock_path)
                if held is None:
                    continue  # its window is still running
                session = _read_autosave(path)
                if session is None:
                    held.release(delete=False)
                    continue
                self._offered[path] = held
                log.info("found an autosave from an unclean exit (pid in file name)")
                return session
        return None

    def claim(self, session: RecoverableSession) -> None:
        """After a restore: keep the work as this window's autosave, drop the orphan."""
        self.write(session.result, session_path=session.session_path)
        with self._mutex:
            if session.autosave_file is not None:
                self._drop_offered(session.autosave_file)

    def discard(self, session: RecoverableSession) -> None:
        """The user discarded recovered work: delete that backup only (not this window's)."""
        with self._mutex:
            if session.autosave_file is not None:
                self._drop_offered(session.autosave_file)

    def postpone(self, session: RecoverableSession) -> None:
        """The user decided not now: keep the file, let go of it so a later launch asks."""
        with self._mutex:
            held = self._offered.pop(session.autosave_file, None) if session.autosave_file else None
            if held is not None:
                held.release(delete=False)

    def _drop_offered(self, path: Path) -> None:
        held = self._offered.pop(path, None)
        with contextlib.suppress(OSError):
            path.unlink()
        if held is not None:
            held.release(delete=True)

    def remove_own(self) -> None:
        """Delete this window's autosave (e.g. everything is saved in a session file)."""
        with self._mutex, contextlib.suppress(OSError):
            self.file.unlink()

    def clear(self) -> None:
        """Clean close: delete this window's autosave. A crashed window's backup that was
        offered and not answered is let go, not deleted: the next launch asks again."""
        with self._mutex:
            for held in self._offered.values():
                held.release(delete=False)
            self._offered.clear()
            with contextlib.suppress(OSError):
                self.file.unlink()
            if self._own_lock is not None:
                self._own_lock.release(delete=True)
                self._own_lock = None


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _read_autosave(path: Path) -> RecoverableSession | None:
    """Parse one autosave; None (logged) when it is damaged or from a newer medscribe."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("kind") != _AUTOSAVE_KIND:
            raise ValueError("not an autosave envelope")
        result = _result_from_data(data.get("result"), path.name)
        session_path = data.get("session_path")
        return RecoverableSession(
            saved_at=datetime.fromisoformat(data["saved_at"]),
            session_path=Path(session_path) if session_path else None,
            result=result,
            autosave_file=path,
        )
    except (OSError, ValueError, KeyError, TypeError, SessionFileError) as exc:
        log.warning("ignoring an unreadable autosave (%s)", type(exc).__name__)
        return None

"""Saving a document so that the chosen name never holds half a file.

The document is serialised in memory first (a serialisation failure touches no disk), written
to a temporary file in the destination folder (same filesystem, so the rename is atomic),
flushed to disk, then renamed over the chosen name. Without ``overwrite`` the final step is a
hard link, which fails if the name appeared meanwhile instead of silently replacing it.
Every failure removes the temporary file and becomes an ExportError a physician can act on.
"""

from __future__ import annotations

import contextlib
import errno
import io
import logging
import os
import stat
import tempfile
from pathlib import Path
from typing import Protocol

from medscribe.core.errors import ExportError

log = logging.getLogger(__name__)


class _Saveable(Protocol):
    def save(self, stream: io.BytesIO) -> None: ...


def _exists_message(path: Path) -> str:
    return f"{path.name} already exists. Choose another name or allow replacing it."


def check_target(path: Path, *, overwrite: bool) -> None:
    """Refuse early, before any work, when the destination cannot be used."""
    if path.is_dir():
        raise ExportError(f"{path.name} is a folder. Choose a file name such as visit.docx.")
    if not path.parent.is_dir():
        raise ExportError(
            f"The folder for {path.name} does not exist. Choose an existing folder and try again."
        )
    if path.exists() and not overwrite:
        raise ExportError(_exists_message(path))


def _os_error_message(exc: OSError, path: Path, *, replacing: bool) -> str:
    name = path.name
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return (
            f"There is not enough free disk space to save {name}. "
            "Free some space or choose another drive, then try again."
        )
    if exc.errno == errno.ENAMETOOLONG:
        return "The file name is too long. Choose a shorter name and try again."
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        if replacing:
            return (
                f"{name} could not be replaced. If it is open in Word or another program, "
                "close it and try again, or choose another name."
            )
        return (
            f"medscribe is not allowed to save files in the folder of {name}. "
            "Choose another folder, for example Documents."
        )
    reason = exc.strerror or "the system refused the write"
    return f"{name} could not be saved ({reason}). Choose another folder and try again."


def _file_mode(path: Path) -> int:
    """The mode a normally created file would get (mkstemp makes 0600 files)."""
    if path.exists():
        return stat.S_IMODE(path.stat().st_mode)
    umask = 0o022
    with contextlib.suppress(OSError, ValueError):
        # Reading the umask via os.umask() would change it for every thread for a moment.
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                umask = int(line.split()[1], 8)
    return 0o666 & ~umask


def _publish(tmp: str, path: Path, *, overwrite: bool) -> None:
    if overwrite:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)  # atomic "create only if absent"
    except FileExistsError:
        raise ExportError(_exists_message(path)) from None
    except OSError:
        # Filesystems without hard links (FAT, some network shares): check, then rename.
        if path.exists():
            raise ExportError(_exists_message(path)) from None
        os.replace(tmp, path)
        return
    os.unlink(tmp)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the OS allows opening a folder (POSIX)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def save_atomically(document: _Saveable, path: Path, *, overwrite: bool) -> int:
    """Save ``document`` at ``path``; returns the number of bytes written."""
    buffer = io.BytesIO()
    try:
        document.save(buffer)
    except OSError as exc:
        raise ExportError(_os_error_message(exc, path, replacing=False)) from exc
    except Exception as exc:
        log.error("docx serialisation failed: %s", type(exc).__name__)
        raise ExportError(
            f"{path.name} could not be created because of a problem inside medscribe. "
            "Nothing was saved; please report this.",
            detail=type(exc).__name__,
        ) from exc
    data = buffer.getvalue()
    replacing = path.exists()
    mode = _file_mode(path)
    tmp: str | None = None
    try:
        # Hidden, recognisable, and short enough that a long chosen name still fits.
        prefix = f".{path.stem[:40]}-"
        fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".docx.tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, mode)
        _publish(tmp, path, overwrite=overwrite)
    except OSError as exc:
        log.warning("docx save failed: errno=%s", exc.errno)
        raise ExportError(
            _os_error_message(exc, path, replacing=replacing),
            detail=errno.errorcode.get(exc.errno or 0, "OSError"),
        ) from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)  # gone already after a successful rename
    _sync_folder(path.parent)
    return len(data)

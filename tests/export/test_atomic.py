"""Saving never leaves half a file under the chosen name, nor a temporary file behind."""

from __future__ import annotations

import errno
import os

import docx
import docx.document
import pytest

from medscribe.core.errors import ExportError, MedscribeError
from medscribe.export import write_docx

ORIGINAL = b"the physician's earlier, signed version"


@pytest.fixture
def existing(tmp_path):
    path = tmp_path / "visit.docx"
    path.write_bytes(ORIGINAL)
    return path


def _assert_untouched(path):
    assert path.read_bytes() == ORIGINAL
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_existing_file_is_not_replaced_without_permission(result, existing):
    with pytest.raises(ExportError) as info:
        write_docx(result, existing)
    assert isinstance(info.value, MedscribeError)
    assert info.value.user_message == (
        "visit.docx already exists. Choose another name or allow replacing it."
    )
    _assert_untouched(existing)


def test_overwrite_replaces_the_file(result, existing):
    write_docx(result, existing, overwrite=True)
    assert docx.Document(str(existing)).paragraphs[0].text == "Clinical Note"
    assert [p.name for p in existing.parent.iterdir()] == ["visit.docx"]


def test_failure_while_serialising_keeps_the_original(result, existing, monkeypatch):
    def half_then_fail(self, stream):
        stream.write(b"PK\x03\x04 half a zip")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(docx.document.Document, "save", half_then_fail)
    with pytest.raises(ExportError) as info:
        write_docx(result, existing, overwrite=True)
    assert "not enough free disk space" in info.value.user_message
    _assert_untouched(existing)


def test_disk_full_while_writing_the_temporary_file(result, existing, monkeypatch):
    real_fsync = os.fsync
    seen = []

    def full(fd):
        seen.append(fd)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(ExportError) as info:
        write_docx(result, existing, overwrite=True)
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert seen, "the temporary file was never written"
    assert "Free some space" in info.value.user_message
    assert "Traceback" not in info.value.user_message
    _assert_untouched(existing)


def test_failure_at_the_rename_cleans_up(result, existing, monkeypatch):
    def locked(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(ExportError) as info:
        write_docx(result, existing, overwrite=True)
    assert "close it and try again" in info.value.user_message  # e.g. open in Word
    _assert_untouched(existing)


def test_new_file_in_a_folder_that_refuses_writes(result, tmp_path, monkeypatch):
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(ExportError) as info:
        write_docx(result, tmp_path / "new.docx")
    assert "Choose another folder" in info.value.user_message
    assert list(tmp_path.iterdir()) == []


def test_internal_error_becomes_a_plain_message(result, existing, monkeypatch):
    def broken(self, stream):
        raise ValueError("All strings must be XML compatible")

    monkeypatch.setattr(docx.document.Document, "save", broken)
    with pytest.raises(ExportError) as info:
        write_docx(result, existing, overwrite=True)
    assert "Nothing was saved" in info.value.user_message
    assert info.value.detail == "ValueError"
    _assert_untouched(existing)


def test_file_appearing_during_the_export_is_not_replaced(result, tmp_path, monkeypatch):
    path = tmp_path / "race.docx"
    real_save = docx.document.Document.save

    def save_and_race(self, stream):
        real_save(self, stream)
        path.write_bytes(ORIGINAL)  # another program creates the name meanwhile

    monkeypatch.setattr(docx.document.Document, "save", save_and_race)
    with pytest.raises(ExportError):
        write_docx(result, path)
    _assert_untouched(path)


def test_missing_folder_and_folder_as_target(result, tmp_path):
    with pytest.raises(ExportError, match="does not exist"):
        write_docx(result, tmp_path / "nope" / "visit.docx")
    with pytest.raises(ExportError, match="is a folder"):
        write_docx(result, tmp_path)


def test_written_file_gets_normal_permissions(result, tmp_path):
    umask = os.umask(0)
    os.umask(umask)
    path = write_docx(result, tmp_path / "perm.docx")
    # What open() would have made, not mkstemp's private 0600.
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask

"""Session files round-trip everything; damaged, foreign and newer files fail in plain words;
autosaves are offered only when their process is gone."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from medscribe.core.entities import Medication
from medscribe.core.notes import SoapNote
from medscribe.core.phi import PhiCategory, PhiSpan, ReviewState
from medscribe.core.session import SESSION_FORMAT_VERSION, EncounterInfo, EncounterResult
from medscribe.core.session_files import (
    SESSION_SUFFIX,
    AutosaveStore,
    SessionFileError,
    open_session,
    save_session,
)
from medscribe.core.steps import StepName, StepOutcome, StepState, StepStats
from medscribe.core.transcript import Segment, Transcript

TEXT = "[doctor] Good morning Mrs Álvarez, how is the knee?\n[patient] Better, thanks."


def _result() -> EncounterResult:
    return EncounterResult(
        transcript=Transcript(
            text=TEXT,
            segments=[Segment(start=0, end=TEXT.index("\n"), speaker="doctor")],
            source_name="visit.txt",
        ),
        encounter=EncounterInfo(date="2026-11-26", clinician="Dr Kim"),
        phi_spans=[
            PhiSpan(
                start=TEXT.index("Álvarez"),
                end=TEXT.index("Álvarez") + 7,
                category=PhiCategory.NAME,
                text="Álvarez",
                state=ReviewState.CONFIRMED,
            )
        ],
        soap=SoapNote(subjective="Knee pain improving.", plan="Physio — 6 weeks."),
        steps={
            StepName.SOAP: StepOutcome(
                state=StepState.DONE, stats=StepStats(completion_tokens=321, seconds=4.5)
            )
        },
        notices=["split into 2 parts to fit"],
    )


def test_round_trip_keeps_everything(tmp_path: Path) -> None:
    result = _result()
    result.entities.medications.append(Medication(name="ibuprofen", dose="400 mg"))
    path = tmp_path / f"visit{SESSION_SUFFIX}"
    save_session(result, path)
    assert open_session(path) == result
    assert json.loads(path.read_text(encoding="utf-8"))["format_version"] == (
        SESSION_FORMAT_VERSION
    )
    # the atomic write leaves no temporary files behind
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_save_replaces_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "a.medscribe"
    save_session(_result(), path)
    changed = _result()
    changed.soap.plan = "Review in 2 weeks."
    save_session(changed, path)
    assert open_session(path).soap.plan == "Review in 2 weeks."


def test_save_into_missing_folder_is_a_plain_error(tmp_path: Path) -> None:
    with pytest.raises(SessionFileError) as info:
        save_session(_result(), tmp_path / "gone" / "a.medscribe")
    assert "folder" in info.value.user_message and "Traceback" not in info.value.user_message


def test_failed_replace_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "a.medscribe"
    target.mkdir()  # something that cannot be replaced by a file
    with pytest.raises(SessionFileError) as info:
        save_session(_result(), target)
    assert "a.medscribe" in info.value.user_message
    assert [p.name for p in tmp_path.iterdir()] == ["a.medscribe"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions")
def test_save_into_read_only_folder_keeps_old_file(tmp_path: Path) -> None:
    path = tmp_path / "a.medscribe"
    save_session(_result(), path)
    tmp_path.chmod(0o500)
    try:
        changed = _result()
        changed.soap.plan = "changed"
        with pytest.raises(SessionFileError) as info:
            save_session(changed, path)
        assert "not allowed" in info.value.user_message
    finally:
        tmp_path.chmod(0o700)
    assert open_session(path) == _result()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a medscribe session"),
        (b'{"transcript": {"text": "x"', "not a medscribe session"),  # cut off mid-write
        (b'["a", "list"]', "not a medscribe session"),
        (b'{"hello": "world"}', "not a medscribe session"),
        (b'{"format_version": 1, "transcript": {"text": 5}}', "damaged"),
        (b'{"format_version": "one", "transcript": {"text": "x"}}', "damaged"),
        (b'{"format_version": 99, "transcript": {"text": "x"}}', "newer version"),
    ],
)
def test_bad_files_give_plain_messages(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "visit.medscribe"
    path.write_bytes(content)
    with pytest.raises(SessionFileError) as info:
        open_session(path)
    assert words in info.value.user_message
    assert "visit.medscribe" in info.value.user_message


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(SessionFileError, match="not found"):
        open_session(tmp_path / "nope.medscribe")
    with pytest.raises(SessionFileError, match="folder"):
        open_session(tmp_path)


# --- autosave ----------------------------------------------------------------------------


def test_own_live_autosave_is_not_offered(tmp_path: Path) -> None:
    store = AutosaveStore(tmp_path)
    store.write(_result(), session_path=None)
    assert store.file.exists()
    assert store.recoverable() is None
    # another window of this same process is alive too: its lock is held
    assert AutosaveStore(tmp_path).recoverable() is None
    store.clear()
    assert list(tmp_path.iterdir()) == []


_CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from medscribe.core.session import EncounterResult
    from medscribe.core.session_files import AutosaveStore
    from medscribe.core.transcript import Transcript
    store = AutosaveStore(Path(sys.argv[1]))
    result = EncounterResult(transcript=Transcript(text="child transcript"))
    result.soap.plan = sys.argv[2]
    store.write(result, session_path=Path(sys.argv[3]) if len(sys.argv) > 3 else None)
    if sys.argv[2] == "clean":
        store.clear()
        sys.exit(0)
    print("written", flush=True)
    time.sleep(120)
    """
)


def _spawn(directory: Path, plan: str, *extra: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(directory), plan, *extra],
        stdout=subprocess.PIPE,
        text=True,
    )
    if plan != "clean":
        assert proc.stdout is not None and proc.stdout.readline().strip() == "written"
    return proc


def _kill(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGKILL if hasattr(signal, "SIGKILL") else signal.SIGTERM)
    proc.wait(timeout=30)


def test_killed_process_autosave_is_recoverable(tmp_path: Path) -> None:
    session_file = tmp_path / "visit.medscribe"
    proc = _spawn(tmp_path, "Recheck in 3 days", str(session_file))
    store = AutosaveStore(tmp_path)
    try:
        assert store.recoverable() is None  # the other window is still running
    finally:
        _kill(proc)
    found = store.recoverable()
    assert found is not None
    assert found.result.soap.plan == "Recheck in 3 days"
    assert found.session_path == session_file
    assert found.saved_at.tzinfo is not None
    # while this window holds it, a second window starting now does not offer it again
    assert AutosaveStore(tmp_path).recoverable() is None
    # closing without answering keeps it for the next launch ...
    store.clear()
    later = AutosaveStore(tmp_path)
    again = later.recoverable()
    assert again is not None and again.result.soap.plan == "Recheck in 3 days"
    # ... and an explicit discard removes it for good
    later.discard(again)
    assert AutosaveStore(tmp_path).recoverable() is None
    assert list(tmp_path.glob("autosave-*")) == []


def test_clean_exit_leaves_nothing(tmp_path: Path) -> None:
    proc = _spawn(tmp_path, "clean")
    assert proc.wait(timeout=60) == 0
    assert AutosaveStore(tmp_path).recoverable() is None
    assert list(tmp_path.iterdir()) == []


def test_claim_moves_work_into_own_autosave(tmp_path: Path) -> None:
    _kill(_spawn(tmp_path, "Start metformin"))
    store = AutosaveStore(tmp_path)
    found = store.recoverable()
    assert found is not None and found.autosave_file is not None
    store.claim(found)
    assert not found.autosave_file.exists()
    assert [p.name for p in tmp_path.glob("*.json")] == [store.file.name]
    # if this window now dies too, the claimed work is offered again
    store._own_lock.release(delete=False)  # type: ignore[union-attr]  # simulate death
    store._own_lock = None
    again = AutosaveStore(tmp_path).recoverable()
    assert again is not None and again.result.soap.plan == "Start metformin"


def test_newest_orphan_first_and_damaged_skipped(tmp_path: Path) -> None:
    _kill(_spawn(tmp_path, "older"))
    _kill(_spawn(tmp_path, "newer"))
    damaged = tmp_path / "autosave-1-deadbeef.json"
    damaged.write_text("{not json", encoding="utf-8")
    damaged.with_suffix(".lock").touch()
    store = AutosaveStore(tmp_path)
    first = store.recoverable()
    second = store.recoverable()
    assert first is not None and second is not None
    # both children wrote within the same second or so: order by file time, newest first
    assert {first.result.soap.plan, second.result.soap.plan} == {"older", "newer"}
    assert first.saved_at >= second.saved_at
    assert store.recoverable() is None  # the damaged one is never offered

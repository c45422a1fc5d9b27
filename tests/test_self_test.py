"""``medscribe --self-test`` as a user runs it (a subprocess), passing and failing by step.

The failures are provoked from outside the self-test code: a data folder that cannot be
created, or one library function replaced before the self-test runs (in a child process, so
the replacement never leaks into other tests).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QMainWindow

from medscribe.self_test import FIRST_PAINT_ENV, install_first_paint_probe

STEPS = [
    "check bundled data",
    "start window",
    "load sample transcript",
    "detect PHI (rules)",
    "export DOCX",
    "read DOCX back",
    "close window",
]
TIMEOUT_S = 120


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)  # includes the isolated MEDSCRIBE_*_DIR set by conftest
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.update(extra)
    return env


def _run(args: list[str], **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        env=_env(**extra),
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )


def _data_dir() -> Path:
    return Path(os.environ["MEDSCRIBE_DATA_DIR"])


def _config_dir() -> Path:
    return Path(os.environ["MEDSCRIBE_CONFIG_DIR"])


def test_self_test_passes_and_prints_each_step_without_touching_user_files():
    _config_dir().mkdir(parents=True)
    settings = _config_dir() / "settings.json"
    settings.write_text('{"version": 1, "base_url": "http://127.0.0.1:1234/v1"}', "utf-8")
    before = sorted(p.relative_to(_config_dir()) for p in _config_dir().rglob("*"))

    proc = _run(["-m", "medscribe", "--self-test"])

    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    for step in STEPS:
        assert any(line.startswith(f"self-test: {step} ... ok") for line in lines), step
    assert [s for s in STEPS if f"self-test: {s} " in proc.stdout] == STEPS  # in this order
    assert lines[-1].startswith("self-test passed")
    assert "failed" not in proc.stderr
    # The user's config folder is as it was: no window geometry, no rewritten settings.
    assert sorted(p.relative_to(_config_dir()) for p in _config_dir().rglob("*")) == before
    # The scratch folder is gone; the report is kept for support.
    assert not list((_data_dir() / "tmp").glob("self-test-*"))
    report = (_data_dir() / "logs" / "self-test.txt").read_text("utf-8")
    assert "self-test passed" in report


def test_unusable_data_folder_fails_at_the_first_step(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be", "utf-8")

    proc = _run(["-m", "medscribe", "--self-test"], MEDSCRIBE_DATA_DIR=str(blocker))

    assert proc.returncode == 1
    assert "self-test failed at step 'prepare work folder'" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert "self-test passed" not in proc.stdout


# (step, what to break before the self-test runs, words the failure line must contain)
BROKEN = [
    (
        "start window",
        "import medscribe.app as m\n"
        "def broken(*a, **k):\n"
        "    raise RuntimeError('no display for the window')\n"
        "m.build_main_window = broken",
        "no display for the window",
    ),
    (
        "detect PHI (rules)",
        "import medscribe.core.phi_detect as m\nm.detect_phi_rules = lambda text: []",
        "no identifiers found",
    ),
    (
        "export DOCX",
        "import medscribe.export as m\n"
        "from medscribe.core.errors import ExportError\n"
        "def broken(*a, **k):\n"
        "    raise ExportError('The disk is full. Free some space and export again.')\n"
        "m.write_docx = broken",
        "The disk is full. Free some space and export again.",
    ),
    (
        # An exporter that forgets to de-identify: the read-back must catch the leaked names.
        "read DOCX back",
        "import medscribe.export as m\n"
        "real = m.write_docx\n"
        "def leaky(result, path, **k):\n"
        "    return real(result, path, deidentify=False, include_transcript=True)\n"
        "m.write_docx = leaky",
        "identifiers were not removed",
    ),
]


@pytest.mark.parametrize(("step", "breakage", "words"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_step_is_named_and_exits_non_zero(step, breakage, words):
    script = breakage + textwrap.dedent(
        """
        import sys
        from medscribe.self_test import run_self_test
        sys.exit(run_self_test())
        """
    )

    proc = _run(["-c", script])

    assert proc.returncode == 1, proc.stdout + proc.stderr
    failure = [line for line in proc.stderr.splitlines() if line.startswith("self-test failed")]
    assert failure == [failure[0]] and f"at step '{step}'" in failure[0], proc.stderr
    assert words in failure[0]
    assert "Traceback" not in proc.stderr
    # Steps before the broken one ran and passed; none after it ran.
    index = STEPS.index(step)
    for earlier in STEPS[:index]:
        assert f"self-test: {earlier} ... ok" in proc.stdout
    for later in STEPS[index + 1 :]:
        assert f"self-test: {later} " not in proc.stdout
    assert not list((_data_dir() / "tmp").glob("self-test-*"))


# --- first-paint probe --------------------------------------------------------------------


def _window(qtbot) -> QMainWindow:
    window = QMainWindow()
    window.setCentralWidget(QLabel("probe"))
    qtbot.addWidget(window)
    return window


def test_probe_is_off_without_the_environment_variable(qtbot, monkeypatch):
    monkeypatch.delenv(FIRST_PAINT_ENV, raising=False)
    window = _window(qtbot)

    assert install_first_paint_probe(window) is False
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(50)
    assert window.isVisible()


def test_probe_writes_the_paint_time_to_a_file_and_closes_the_window(qtbot, monkeypatch, tmp_path):
    import time

    marker = tmp_path / "first-paint.txt"
    monkeypatch.setenv(FIRST_PAINT_ENV, str(marker))
    window = _window(qtbot)
    before = time.time()

    assert install_first_paint_probe(window) is True
    window.show()
    qtbot.waitUntil(lambda: marker.exists() and not window.isVisible(), timeout=10_000)

    word, stamp = marker.read_text("utf-8").split()
    assert word == "first-paint"
    assert before <= float(stamp) <= time.time()


def test_probe_prints_on_stdout_when_set_to_1(qtbot, monkeypatch, capsys):
    monkeypatch.setenv(FIRST_PAINT_ENV, "1")
    window = _window(qtbot)

    install_first_paint_probe(window)
    window.show()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)

    out = capsys.readouterr().out.split()
    assert out[0] == "first-paint" and float(out[1]) > 0

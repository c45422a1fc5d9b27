"""The command line a set-up script or a physician's shortcut relies on."""

from __future__ import annotations

import subprocess
import sys

import medscribe


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "medscribe", *args], capture_output=True, text=True, timeout=60
    )


def test_version_prints_the_package_version() -> None:
    out = _run("--version")
    assert out.returncode == 0
    assert out.stdout.strip() == f"medscribe {medscribe.__version__}"


def test_version_does_not_load_qt() -> None:
    code = (
        "import sys; from medscribe.cli import run_cli\n"
        "try:\n    run_cli(['--version'])\nexcept SystemExit:\n    pass\n"
        "print(any(m.startswith('PySide6') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip().endswith("False")


def test_unknown_option_is_a_usage_error_not_a_traceback() -> None:
    out = _run("check", "--no-such-option")
    assert out.returncode == 2
    assert "Traceback" not in out.stderr and "usage: medscribe" in out.stderr

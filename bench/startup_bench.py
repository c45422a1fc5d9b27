"""Launch time of the frozen app: process start -> first painted window. Budget: <= 2 s.

    python bench/startup_bench.py [--exe dist/medscribe/medscribe] [--runs 5] [--platform xcb]

Each run launches the executable with ``MEDSCRIBE_REPORT_FIRST_PAINT=<file>``; the app writes
``first-paint <time.time()>`` there when its window first paints, then closes
(medscribe.self_test.install_first_paint_probe). The launch time is that wall-clock time minus
the wall-clock time just before the process was spawned. Runs use a fresh config/data folder
each, so they measure a first launch (no saved geometry, no autosave). The first run loads the
files into the disk cache (cold only right after a build or a reboot); it is reported apart, and
the median is over the runs after it. The CPU time per launch (Linux, macOS) does not depend
on what else the machine is doing, unlike the wall-clock figure.

``--platform offscreen`` (the default when there is no display) renders without a screen;
``xcb`` needs ``DISPLAY`` (e.g. run under ``xvfb-run -a``). This prints numbers; it asserts
nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EXE = ROOT / "dist" / "medscribe" / ("medscribe.exe" if os.name == "nt" else "medscribe")
TIMEOUT_S = 60.0


def _parse(line: str) -> float | None:
    parts = line.split()
    if len(parts) == 2 and parts[0] == "first-paint":
        return float(parts[1])
    return None


def _children_cpu() -> float:
    """CPU seconds (user + system) used by ended child processes; 0 where not available."""
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def launch_once(exe: Path, platform: str, args: list[str]) -> float:
    """Seconds from spawning ``exe`` to its first painted window."""
    with tempfile.TemporaryDirectory(prefix="medscribe-startup-") as tmp:
        marker = Path(tmp) / "first-paint.txt"
        env = dict(os.environ)
        env.update(
            QT_QPA_PLATFORM=platform,
            MEDSCRIBE_CONFIG_DIR=str(Path(tmp) / "config"),
            MEDSCRIBE_DATA_DIR=str(Path(tmp) / "data"),
            MEDSCRIBE_REPORT_FIRST_PAINT=str(marker),
        )
        started = time.time()
        proc = subprocess.Popen(
            [str(exe), *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            stdout, _ = proc.communicate(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise SystemExit(f"{exe} did not paint and exit within {TIMEOUT_S:.0f} s") from None
        painted = [t for t in map(_parse, stdout.splitlines()) if t is not None]
        if marker.exists():
            painted += [t for t in map(_parse, marker.read_text().splitlines()) if t is not None]
        if not painted:
            raise SystemExit(
                f"{exe} exited ({proc.returncode}) without reporting a first paint: is "
                "install_first_paint_probe(window) called in gui_main before window.show()?"
            )
        return min(painted) - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exe", type=Path, default=DEFAULT_EXE)
    parser.add_argument("--runs", type=int, default=5, help="measured runs after the first")
    parser.add_argument(
        "--platform",
        default="xcb" if os.environ.get("DISPLAY") else "offscreen",
        help="Qt platform plugin (default: xcb with a DISPLAY, else offscreen)",
    )
    parser.add_argument("app_args", nargs="*", help="arguments for the app, e.g. a transcript")
    args = parser.parse_args(argv)
    if not args.exe.exists():
        print(f"{args.exe} does not exist: build it with `make package`.", file=sys.stderr)
        return 2
    first = launch_once(args.exe, args.platform, args.app_args)
    cpu_before = _children_cpu()
    times = [launch_once(args.exe, args.platform, args.app_args) for _ in range(args.runs)]
    cpu = (_children_cpu() - cpu_before) / len(times)
    print(f"executable: {args.exe}  platform: {args.platform}")
    print(f"first run (not counted):    {first:.3f} s")
    print(f"runs:                       {' '.join(f'{t:.3f}' for t in times)}")
    print(f"median of {len(times)} (budget 2.0 s): {statistics.median(times):.3f} s")
    if cpu:
        # Independent of other load on the machine; includes the app's exit after the paint.
        print(f"CPU per launch (user+sys):  {cpu:.3f} s, including exit")
    return 0


if __name__ == "__main__":
    sys.exit(main())

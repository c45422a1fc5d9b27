"""Command line: the GUI launcher and the headless commands over the same core.

Each command lives in ``medscribe.commands.<name>`` and is imported only when used, so that
``medscribe --version`` and ``medscribe check`` start fast and never load Qt.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from medscribe import __version__

_COMMANDS = ("check", "phi", "process")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="medscribe",
        description="Clinical notes from consultation transcripts, using LM Studio on this PC.",
    )
    parser.add_argument("--version", action="version", version=f"medscribe {__version__}")
    sub = parser.add_subparsers(dest="command")

    check = sub.add_parser("check", help="check that LM Studio is reachable and has a model")
    check.add_argument("--base-url", help="server address (default: from settings)")

    phi = sub.add_parser("phi", help="list the patient identifiers (PHI) found in a transcript")
    phi.add_argument("path", help="transcript file")
    phi.add_argument("--rules-only", action="store_true", help="do not ask the language model")
    phi.add_argument("--json", action="store_true", help="print JSON")
    phi.add_argument("--base-url", help="server address (default: from settings)")

    proc = sub.add_parser("process", help="run the medical steps on a transcript, headless")
    proc.add_argument("transcript", help="transcript file")
    proc.add_argument("--json", dest="json_out", metavar="OUT.json", help="write the result")
    proc.add_argument("--out", metavar="NOTE.docx", help="write a Word document")
    proc.add_argument("--deidentify", action="store_true", help="replace PHI in the document")
    proc.add_argument(
        "--include-transcript", action="store_true", help="append the transcript to the document"
    )
    proc.add_argument("--steps", default="phi,entities,soap,structure", help="comma-separated")
    proc.add_argument("--base-url", help="server address (default: from settings)")
    proc.add_argument("--model", help="chat model id (default: the loaded one)")
    proc.add_argument("--force", action="store_true", help="overwrite existing output files")
    return parser


def run_cli(argv: list[str]) -> int:
    # GUI launch: no subcommand; an optional transcript path and --self-test.
    if not argv or argv[0] not in (*_COMMANDS, "-h", "--help", "--version"):
        gui = argparse.ArgumentParser(prog="medscribe")
        gui.add_argument("path", nargs="?", help="transcript or session to open")
        gui.add_argument("--self-test", action="store_true", help="check the installed app")
        args = gui.parse_args(argv)
        from medscribe.gui_main import run_gui

        return run_gui(path=args.path, self_test=args.self_test)
    args = build_parser().parse_args(argv)
    module = importlib.import_module(f"medscribe.commands.{args.command}")
    try:
        return int(module.run(args))
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130

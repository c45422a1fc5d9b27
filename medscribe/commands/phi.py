"""``medscribe phi PATH [--rules-only] [--json]``: list the identifiers found in a transcript.

Offsets in ``--json`` refer to the transcript text as read (for a .txt file, its decoded text
unchanged), so a script can cut the spans out itself. Without ``--rules-only`` the language
model adds what the rules missed; when the server is not ready the rules' result is printed
with a note on stderr, never nothing. Exit status: 0 done, 2 the file or settings are unusable.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from medscribe.core.errors import LLMError, SettingsError, TranscriptError
from medscribe.core.phi import PhiSpan
from medscribe.core.phi_detect import detect_phi_llm, detect_phi_rules, merge_spans
from medscribe.core.readers import read_transcript
from medscribe.core.transcript import Transcript

if TYPE_CHECKING:
    from medscribe.settings import Settings

EXIT_OK, EXIT_INPUT = 0, 2


def _settings(base_url: str | None) -> Settings:
    """The user's settings, with ``--base-url`` applied (imported here: --rules-only needs none)."""
    from medscribe.settings import load_settings
    from medscribe.settings.store import with_overrides

    return with_overrides(load_settings(), base_url=base_url)


async def _with_llm(
    transcript: Transcript, rules: list[PhiSpan], settings: Settings
) -> list[PhiSpan]:
    """Rules plus the model's additions; the rules alone, with a note, if the model fails."""
    from medscribe.llm import create_client

    async with create_client(settings) as client:
        status = await client.health()
        if not status.ready:
            reason = (status.message or "the model server is not ready").rstrip(".")
            print(f"Note: {reason}. Showing what the rules found.", file=sys.stderr)
            return rules
        try:
            return merge_spans(rules, await detect_phi_llm(transcript, client))
        except LLMError as exc:
            print(
                f"Note: the language model step failed ({exc.user_message}). "
                "Showing what the rules found.",
                file=sys.stderr,
            )
            return rules


def format_table(spans: list[PhiSpan]) -> str:
    """One row per span, aligned, for a person reading a terminal."""
    if not spans:
        return "No identifiers found."
    rows = [("START", "END", "CATEGORY", "SOURCE", "TEXT")]
    rows += [
        (str(s.start), str(s.end), s.category.label, s.source.value, " ".join(s.text.split()))
        for s in spans
    ]
    widths = [max(len(r[k]) for r in rows) for k in range(4)]
    lines = ["  ".join(r[k].ljust(widths[k]) for k in range(4)) + "  " + r[4] for r in rows]
    lines.append(f"{len(spans)} identifier{'s' if len(spans) != 1 else ''} found.")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    try:
        transcript = read_transcript(Path(args.path))
    except TranscriptError as exc:
        print(exc.user_message, file=sys.stderr)
        return EXIT_INPUT
    spans = detect_phi_rules(transcript.text)
    if not getattr(args, "rules_only", False):
        try:
            settings = _settings(getattr(args, "base_url", None))
        except SettingsError as exc:
            print(exc.user_message, file=sys.stderr)
            return EXIT_INPUT
        spans = asyncio.run(_with_llm(transcript, spans, settings))
    if getattr(args, "json", False):
        payload = {
            "spans": [
                {
                    "start": s.start,
                    "end": s.end,
                    "category": s.category.value,
                    "text": s.text,
                    "source": s.source.value,
                }
                for s in spans
            ]
        }
        print(json.dumps(payload, ensure_ascii=False))
    else:
        print(format_table(spans))
    return EXIT_OK

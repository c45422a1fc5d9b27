"""No transcript, prompt or completion text reaches a log, even at DEBUG and when things fail.

Runs the real pipeline over real HTTP against the scripted LM Studio with the app's own log
file set-up, through success and the faults that produce the most logging (malformed JSON,
an error body, a stream dropped mid-SOAP), then searches the whole log file for marker words
that appear only in the transcript and in the model's answers.
"""

from __future__ import annotations

import asyncio
import json
import logging

from medscribe.core.pipeline import Pipeline
from medscribe.core.session import EncounterResult
from medscribe.core.transcript import Segment, Transcript
from medscribe.llm import LMStudioClient
from medscribe.logging_setup import setup_logging
from tests.pipeline.helpers import StepModel
from tests.servers.scripted import ScriptedModel, ScriptedReply, ScriptedServer

SECRET_NAME = "Zebulonquixote"  # only in the transcript
SECRET_SAID = "ultramarinecough"  # only in the transcript
SECRET_ANSWER = "tangerinefoghorn"  # only in the model's answers
MARKERS = (SECRET_NAME.lower(), SECRET_SAID, SECRET_ANSWER)


def _transcript() -> Transcript:
    turns = [
        ("Doctor", f"Good morning Mr. {SECRET_NAME}, what brings you in?"),
        ("Patient", f"I have an {SECRET_SAID} since Monday, and I take metformin 500 mg."),
    ]
    text, segments = "", []
    for speaker, said in turns:
        start = len(text)
        text += f"{speaker}: {said}\n"
        segments.append(Segment(start=start, end=len(text) - 1, speaker=speaker))
    return Transcript(text=text, segments=segments)


def _run(server: ScriptedServer) -> None:
    settings = server.settings(max_retries=0)

    async def main() -> None:
        client = LMStudioClient(settings)
        try:
            result = EncounterResult(transcript=_transcript())
            await Pipeline(client, settings).run_all(result, lambda _e: None)
        finally:
            await client.aclose()

    asyncio.run(main())


def _log_text(tmp_path) -> str:
    return "\n".join(p.read_text("utf-8") for p in tmp_path.glob("*.log*")).lower()


def test_nothing_said_or_answered_reaches_the_log(scripted_server: ScriptedServer, tmp_path):
    scripted_server.models = [ScriptedModel("qwen/qwen3-8b", context_length=8192, parallel=1)]
    root = logging.getLogger()
    before = list(root.handlers)
    level = root.level
    try:
        assert setup_logging(logging.DEBUG, tmp_path) is not None
        # 1. Everything succeeds, with the marker in every answer.
        answer = f"Subjective:\n- {SECRET_ANSWER}\nObjective:\n- x\nAssessment:\n- y\nPlan:\n- z\n"
        phi_answer = {"identifiers": [{"text": SECRET_ANSWER, "category": "NAME"}]}
        scripted_server.responder = StepModel(
            replies={
                "soap": ScriptedReply(content=answer),
                "phi": ScriptedReply(content=json.dumps(phi_answer)),
            }
        )
        _run(scripted_server)
        # 2. Faults: malformed JSON quoting the text, an error body echoing it, a dropped stream.
        scripted_server.responder = StepModel(
            replies={
                "entities": ScriptedReply(content=f"{{not json {SECRET_ANSWER} {SECRET_NAME}"),
                "structure": ScriptedReply(
                    status=500, error_body={"message": f"failed on {SECRET_SAID}"}
                ),
                "soap": ScriptedReply(
                    chunks=[f"Subjective: {SECRET_ANSWER} ", "more ", "text "], drop_after_chunks=1
                ),
            }
        )
        _run(scripted_server)
    finally:
        for handler in [h for h in root.handlers if h not in before]:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(level)

    logged = _log_text(tmp_path)
    assert "pipeline" in logged or "llm" in logged  # the run did log (the check is not vacuous)
    for marker in MARKERS:
        assert marker not in logged, f"{marker!r} reached the log file"

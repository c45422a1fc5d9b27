"""PHI detection inside the pipeline: the rules always, the model when it is available.

The rules, the answer schema, the verbatim check and the merge come from
:mod:`medscribe.core.phi_detect`. What this module adds is the request layout: the model
layer asks with the same shared prefix (system text + transcript) as every other step, so the
transcript the PHI step sends is the one the later steps find in the server's prompt cache
(a PHI prompt of its own would make the server process the transcript a second time). It
also keeps the physician's review decisions when the step runs again.
"""

from __future__ import annotations

import asyncio
import logging

from medscribe.core.errors import LLMError
from medscribe.core.phi import PhiSource, PhiSpan, ReviewState
from medscribe.core.phi_detect import PhiAnswer, detect_phi_rules, find_verbatim, merge_spans
from medscribe.core.pipeline import prompts
from medscribe.core.pipeline.budget import Plan
from medscribe.core.pipeline.context import StepRun
from medscribe.core.steps import StepState
from medscribe.core.transcript import Transcript

log = logging.getLogger(__name__)


def keep_review(previous: list[PhiSpan], found: list[PhiSpan]) -> list[PhiSpan]:
    """``found`` with earlier review states carried over, plus the user's own spans."""
    states = {(s.start, s.end, s.category): s.state for s in previous}
    out = []
    for span in found:
        state = states.get((span.start, span.end, span.category), ReviewState.PENDING)
        out.append(span.model_copy(update={"state": state}) if state != span.state else span)
    taken = {(s.start, s.end, s.category) for s in out}
    out.extend(
        s
        for s in previous
        if s.source is PhiSource.USER and (s.start, s.end, s.category) not in taken
    )
    return sorted(out, key=lambda s: (s.start, s.end))


async def rules_only(transcript: Transcript) -> list[PhiSpan]:
    return await asyncio.to_thread(detect_phi_rules, transcript.text)


async def _model_layer(run: StepRun, plan: Plan) -> list[PhiSpan]:
    run.note_split(plan)
    text = run.transcript.text
    spans: list[PhiSpan] = []
    dropped = 0
    for chunk in plan.chunks:
        run.emit(StepState.PROMPT, stats=run.stats.model_copy())
        answer = await run.backend.structured(
            prompts.messages(chunk, prompts.PHI_INSTRUCTION),
            PhiAnswer,
            **{**run.params(), "temperature": 0.0},
        )
        for item in answer.value.identifiers:
            hits = find_verbatim(text, item.text.strip())
            dropped += not hits
            spans.extend(
                PhiSpan(
                    start=s, end=e, category=item.category, text=text[s:e], source=PhiSource.LLM
                )
                for s, e in hits
            )
        run.emit(StepState.GENERATING, completion_tokens=run.stats.completion_tokens)
    log.info("phi model layer: %d spans, %d suggestions not in the transcript", len(spans), dropped)
    return spans


async def run_phi(run: StepRun) -> tuple[list[PhiSpan], str]:
    """(spans, message): rules plus the model's verified suggestions; the rules alone, with
    the reason in the message, when the model layer fails."""
    rules = await rules_only(run.transcript)
    try:
        found = await run.with_plan(prompts.PHI_INSTRUCTION, lambda p: _model_layer(run, p))
    except LLMError as exc:
        log.info("PHI model layer failed (%s); rules only", type(exc).__name__)
        return rules, f"Checked with the rules only: {exc.user_message}"
    return merge_spans(rules, found), ""

"""Medical entities: structured output per part, merged, grounded, ICD-10-CM checked."""

from __future__ import annotations

import asyncio
import logging

from medscribe.core.entities import CodeStatus, Diagnosis, MedicalEntities
from medscribe.core.errors import LLMError
from medscribe.core.pipeline import prompts
from medscribe.core.pipeline.budget import Plan
from medscribe.core.pipeline.context import StepRun
from medscribe.core.pipeline.entities_grounding import ground_entities
from medscribe.core.pipeline.entities_schema import WireEntities, merge_entities, to_domain
from medscribe.core.pipeline.icd10 import Icd10Table, rerank_by_similarity
from medscribe.core.steps import StepState

log = logging.getLogger(__name__)

CANDIDATES = 5  # suggestions shown for a diagnosis without a verified code
RERANK_POOL = 10  # lexical candidates handed to the embedding re-rank


async def _extract(run: StepRun, plan: Plan) -> MedicalEntities:
    run.note_split(plan)
    parts = []
    for chunk in plan.chunks:
        run.emit(StepState.PROMPT, stats=run.stats.model_copy())
        out = await run.backend.structured(
            prompts.messages(chunk, prompts.ENTITIES_INSTRUCTION), WireEntities, **run.params()
        )
        parts.append(to_domain(out.value))
        run.emit(
            StepState.GENERATING,
            completion_tokens=run.stats.completion_tokens,
            message=f"Part {chunk.index + 1} of {chunk.total}" if plan.split else "",
        )
    return merge_entities(parts)


def _code(table: Icd10Table, diagnosis: Diagnosis, pool: int) -> Diagnosis:
    status, code, title = table.check(diagnosis.name, diagnosis.icd10_code)
    candidates = [] if status is CodeStatus.VERIFIED else table.search(diagnosis.name, pool)
    return diagnosis.model_copy(
        update={
            "icd10_code": code,
            "icd10_title": title,
            "code_status": status,
            "code_candidates": candidates,
        }
    )


def _trim(diagnosis: Diagnosis) -> Diagnosis:
    return diagnosis.model_copy(update={"code_candidates": diagnosis.code_candidates[:CANDIDATES]})


async def _rerank(run: StepRun, diagnoses: list[Diagnosis]) -> list[Diagnosis]:
    """Order each diagnosis's candidates by embedding similarity, when a model is loaded."""
    needing = [d for d in diagnoses if len(d.code_candidates) > 1]
    if run.status.embedding_model is None or not needing:
        return [
            d.model_copy(update={"code_candidates": d.code_candidates[:CANDIDATES]})
            for d in diagnoses
        ]
    titles = sorted({t for d in needing for _, t in d.code_candidates})
    texts = [d.name for d in needing] + titles
    try:
        vectors = await run.backend.embed(texts)
    except LLMError as exc:
        log.info("embedding re-rank skipped (%s)", type(exc).__name__)
        vectors = []
    if len(vectors) != len(texts):
        return [
            d.model_copy(update={"code_candidates": d.code_candidates[:CANDIDATES]})
            for d in diagnoses
        ]
    by_title = dict(zip(titles, vectors[len(needing) :], strict=True))
    reranked = {}
    for i, d in enumerate(needing):
        cands = d.code_candidates
        reranked[d.id] = rerank_by_similarity(vectors[i], cands, [by_title[t] for _, t in cands])
    return [
        d.model_copy(update={"code_candidates": reranked.get(d.id, d.code_candidates)[:CANDIDATES]})
        for d in diagnoses
    ]


async def run_entities(run: StepRun, table: Icd10Table) -> dict[str, object]:
    raw = await run.with_plan(prompts.ENTITIES_INSTRUCTION, lambda plan: _extract(run, plan))
    text = run.transcript.text
    grounded = await asyncio.to_thread(ground_entities, text, raw)
    pool = RERANK_POOL if run.status.embedding_model is not None else CANDIDATES
    try:
        await asyncio.to_thread(table.load)  # usually done already, in the background
    except Exception as exc:  # a broken install must not cost the extracted entities
        log.warning("ICD-10-CM table unavailable: %s", type(exc).__name__)
        run.remarks.append("ICD-10-CM codes were not checked: the code table could not be loaded.")
        run.degraded = True  # try again next time rather than cache an unchecked result
        return {"entities": grounded}
    coded = await asyncio.to_thread(lambda: [_code(table, d, pool) for d in grounded.diagnoses])
    coded = await _rerank(run, coded)
    entities = grounded.model_copy(update={"diagnoses": coded})
    unsupported = sum(
        1 for c in MedicalEntities.model_fields for e in getattr(entities, c) if not e.supported
    )
    if unsupported:
        run.notices.append(
            f"{run.step_title}: {unsupported} item(s) could not be found in the transcript and "
            "are marked as unsupported."
        )
    return {"entities": entities}

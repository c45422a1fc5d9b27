"""The structured document: nine sections from the transcript and the confirmed entities."""

from __future__ import annotations

from medscribe.core.entities import MedicalEntities
from medscribe.core.notes import DocSection, StructuredDocument
from medscribe.core.pipeline import prompts
from medscribe.core.pipeline.budget import Plan
from medscribe.core.pipeline.chunking import Chunk
from medscribe.core.pipeline.context import StepRun
from medscribe.core.pipeline.entities_schema import WireDocument
from medscribe.core.pipeline.steps_soap import combine_lines
from medscribe.core.steps import StepState


def entities_in(entities: MedicalEntities, chunk: Chunk) -> MedicalEntities:
    """The entities whose evidence lies in ``chunk`` (those without evidence go everywhere)."""

    def keep(entity: object) -> bool:
        evidence = getattr(entity, "evidence", [])
        return not evidence or any(s.start < chunk.end and s.end > chunk.start for s in evidence)

    return MedicalEntities(
        **{f: [e for e in getattr(entities, f) if keep(e)] for f in MedicalEntities.model_fields}
    )


def instruction_for(entities: MedicalEntities) -> str:
    return prompts.structure_instruction(prompts.entity_lines(entities))


async def run_structure(run: StepRun, entities: MedicalEntities) -> dict[str, object]:
    full_instruction = instruction_for(entities)

    async def body(plan: Plan) -> StructuredDocument:
        run.note_split(plan)
        docs = []
        for chunk in plan.chunks:
            instruction = (
                instruction_for(entities_in(entities, chunk)) if plan.split else full_instruction
            )
            run.emit(StepState.PROMPT, stats=run.stats.model_copy())
            out = await run.backend.structured(
                prompts.messages(chunk, instruction), WireDocument, **run.params()
            )
            docs.append(out.value.to_domain())
            run.emit(StepState.GENERATING, completion_tokens=run.stats.completion_tokens)
        if len(docs) == 1:
            return docs[0]
        return StructuredDocument(
            **{s.value: combine_lines([d.get(s) for d in docs]) for s in DocSection}
        )

    document = await run.with_plan(full_instruction, body)
    return {"structured": document}

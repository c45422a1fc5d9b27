"""The SOAP note: streamed live, per-section regeneration, and long visits read in parts."""

from __future__ import annotations

from medscribe.core.errors import InvalidResponseError
from medscribe.core.notes import SoapNote, SoapSection
from medscribe.core.pipeline import prompts
from medscribe.core.pipeline.budget import Plan
from medscribe.core.pipeline.context import StepRun
from medscribe.core.pipeline.soap_text import section_body, split_soap_sections

MAX_MERGE_ROUNDS = 3


def combine_lines(texts: list[str]) -> str:
    """Texts joined line by line, each distinct line once (case and spacing ignored)."""
    seen: set[str] = set()
    out: list[str] = []
    for text in texts:
        for line in text.splitlines():
            key = " ".join(line.lower().split()).lstrip("-*• ")
            if key and key not in seen:
                seen.add(key)
                out.append(line.rstrip())
    return "\n".join(out)


def combine_notes(notes: list[SoapNote]) -> SoapNote:
    return SoapNote(**{s.value: combine_lines([n.get(s) for n in notes]) for s in SoapSection})


def _length_notice(run: StepRun) -> None:
    message = (
        f"{run.step_title}: the answer reached the maximum answer length and may be "
        "incomplete. Raise the maximum answer length in Settings, or regenerate."
    )
    if message not in run.notices:
        run.notices.append(message)


async def _merge(run: StepRun, partials: list[SoapNote]) -> SoapNote:
    """One note from the notes of the parts: a final model pass when it fits the context;
    otherwise merge neighbours in rounds; as a last resort, combine sections line by line."""
    answer = run.answer_tokens
    level = [p for p in partials if not p.is_empty()] or partials
    for _round in range(MAX_MERGE_ROUNDS):
        if len(level) == 1:
            return level[0]
        messages = prompts.soap_merge_messages(level)
        if await run.fits(messages, answer):
            text, cut = await run.stream_text(messages, live=True)
            if cut:
                _length_notice(run)
            merged = split_soap_sections(text)
            return merged if not merged.is_empty() else combine_notes(level)
        groups: list[list[SoapNote]] = [[level[0]]]
        for note in level[1:]:
            candidate = [*groups[-1], note]
            if await run.fits(prompts.soap_merge_messages(candidate), answer):
                groups[-1] = candidate
            else:
                groups.append([note])
        if all(len(g) == 1 for g in groups):
            break
        next_level = []
        for group in groups:
            if len(group) == 1:
                next_level.append(group[0])
                continue
            text, cut = await run.stream_text(prompts.soap_merge_messages(group), live=False)
            merged = split_soap_sections(text)
            next_level.append(merged if not merged.is_empty() else combine_notes(group))
        level = next_level
    run.notices.append(
        f"{run.step_title}: the notes of the parts were too long to combine in one pass, so "
        "their sections were joined line by line."
    )
    return combine_notes(level)


def _no_headings() -> InvalidResponseError:
    return InvalidResponseError(
        "The model's answer was not a SOAP note (it had none of the headings Subjective, "
        "Objective, Assessment, Plan). Try again, or choose a larger model in LM Studio.",
        detail="soap: no headings",
    )


async def run_soap(run: StepRun) -> dict[str, object]:
    """Write the note; with one part the text streams to the UI as it arrives."""

    async def body(plan: Plan) -> SoapNote:
        run.note_split(plan)
        if not plan.split:
            text, cut = await run.stream_text(
                prompts.messages(plan.chunks[0], prompts.SOAP_INSTRUCTION), live=True
            )
            if cut:
                _length_notice(run)
            note = split_soap_sections(text)
            if note.is_empty():
                raise _no_headings()
            return note
        partials = []
        for chunk in plan.chunks:
            text, cut = await run.stream_text(
                prompts.messages(chunk, prompts.SOAP_INSTRUCTION), live=False
            )
            if cut:
                _length_notice(run)
            partials.append(split_soap_sections(text))
        if all(p.is_empty() for p in partials):
            raise _no_headings()
        return await _merge(run, partials)

    note = await run.with_plan(prompts.SOAP_INSTRUCTION, body)
    return {"soap": note}


async def run_soap_section(run: StepRun, note: SoapNote, section: SoapSection) -> dict[str, object]:
    """Write one section again; the other three stay as the physician left them."""
    instruction = prompts.soap_section_instruction(note, section)

    async def body(plan: Plan) -> str:
        run.note_split(plan)
        texts = []
        for chunk in plan.chunks:
            text, cut = await run.stream_text(
                prompts.messages(chunk, instruction), live=not plan.split
            )
            if cut:
                _length_notice(run)
            texts.append(section_body(text, section))
        return combine_lines(texts)

    body_text = await run.with_plan(instruction, body)
    return {"soap": note.model_copy(update={section.value: body_text})}

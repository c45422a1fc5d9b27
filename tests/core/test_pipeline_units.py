"""Pure pieces of the pipeline: SOAP parsing, grounding, merging, cache keys, PHI review."""

from __future__ import annotations

from medscribe.core.entities import Diagnosis, MedicalEntities, Medication, Symptom, VitalSign
from medscribe.core.llm_port import ChatMessage
from medscribe.core.notes import SoapNote, SoapSection
from medscribe.core.phi import PhiCategory, PhiSource, PhiSpan, ReviewState
from medscribe.core.pipeline import split_soap_sections
from medscribe.core.pipeline.cache import StepCache, cache_key
from medscribe.core.pipeline.entities_grounding import TranscriptIndex, ground_entities
from medscribe.core.pipeline.entities_schema import WireEntities, merge_entities, to_domain
from medscribe.core.pipeline.soap_text import section_body, soap_to_text
from medscribe.core.pipeline.steps_phi import keep_review
from medscribe.core.pipeline.steps_soap import combine_notes
from medscribe.core.pipeline.textmatch import tokens_match

FULL = (
    "Here is the note:\n**Subjective:** cough for 3 days\n- fever\n## Objective\nBP 120/80\n"
    "Assessment: viral URI\nPlan to recheck is below\nPLAN:\n- rest\n- fluids\n"
)


def test_soap_sections_with_markdown_and_lookalike_lines() -> None:
    note = split_soap_sections(FULL)
    assert note.subjective == "cough for 3 days\n- fever"
    assert note.objective == "BP 120/80"
    assert note.assessment == "viral URI\nPlan to recheck is below"
    assert note.plan == "- rest\n- fluids"


def test_soap_sections_fill_as_the_text_streams() -> None:
    seen = [split_soap_sections(FULL[:i]) for i in range(len(FULL) + 1)]
    filled = [sum(bool(n.get(s)) for s in SoapSection) for n in seen]
    assert filled == sorted(filled) and filled[-1] == 4
    # A heading being typed never shows up as text of the section before it.
    partial = split_soap_sections("Subjective:\n- cough\nAssess")
    assert partial.subjective == "- cough"
    assert split_soap_sections("Subjective:\n- cough\nAssessment").assessment == ""
    assert split_soap_sections("Subjective:\n- cough\nAssessed today\n").subjective.endswith(
        "Assessed today"
    )


def test_section_reply_without_or_with_heading() -> None:
    assert section_body("- viral bronchitis\n- mild", SoapSection.ASSESSMENT) == (
        "- viral bronchitis\n- mild"
    )
    assert section_body("Assessment:\n- viral bronchitis", SoapSection.ASSESSMENT) == (
        "- viral bronchitis"
    )
    note = SoapNote(subjective="a", objective="b", assessment="c", plan="d")
    assert split_soap_sections(soap_to_text(note)) == note


def test_loose_token_matching() -> None:
    assert tokens_match("hypertension", "hypertensive")
    assert tokens_match("diabetes", "diabetic")
    assert tokens_match("metformin", "metphormin")
    assert tokens_match("cough", "coughs")
    assert not tokens_match("10", "100")
    assert not tokens_match("hyperlipidemia", "hypertension")


TEXT = (
    "Doctor: Your blood pressure is 142/90. Any pain in the chest?\n"
    "Patient: A sharp pain, left side of my chest, since Monday. I take Lisinopril daily.\n"
)


def test_grounding_exact_loose_and_unsupported() -> None:
    index = TranscriptIndex(TEXT)
    exact = index.ground("lisinopril")
    assert [TEXT[s.start : s.end] for s in exact] == ["Lisinopril"]
    loose = index.ground("chest pain")
    assert loose and all("pain" in TEXT[s.start : s.end] for s in loose)
    assert index.ground("abdominal pain radiating to the back") == []
    entities = MedicalEntities(
        medications=[Medication(name="lisinopril", dose="10 mg")],
        symptoms=[Symptom(name="chest pain"), Symptom(name="nausea")],
        vitals=[
            VitalSign(type="blood pressure", value="142/90"),
            VitalSign(type="pulse", value="88"),
        ],
        diagnoses=[Diagnosis(name="angina", source="user")],
    )
    grounded = ground_entities(TEXT, entities)
    assert grounded.medications[0].supported
    assert [s.supported for s in grounded.symptoms] == [True, False]
    assert [v.supported for v in grounded.vitals] == [True, False]
    assert grounded.diagnoses[0].supported  # typed by the physician: kept as is


def test_wire_answer_to_domain_and_merge_across_parts() -> None:
    part1 = WireEntities.model_validate(
        {
            "diagnoses": [{"name": "Type 2 Diabetes", "icd10_code": " "}],
            "medications": [
                {"name": "metformin", "dose": None, "route": "null", "frequency": None}
            ],
            "procedures": [],
            "symptoms": [{"name": ""}],
            "vitals": [],
            "allergies": [],
        }
    )
    part2 = WireEntities.model_validate(
        {
            "diagnoses": [{"name": "diabetes type 2", "icd10_code": "E11.9"}],
            "medications": [
                {"name": "Metformin", "dose": "500 mg", "route": "oral", "frequency": "BID"}
            ],
            "procedures": [],
            "symptoms": [{"name": "thirst"}],
            "vitals": [],
            "allergies": [],
        }
    )
    first = to_domain(part1)
    assert first.diagnoses[0].icd10_code is None and first.medications[0].route is None
    assert first.symptoms == []  # blank names are dropped
    merged = merge_entities([first, to_domain(part2)])
    assert len(merged.diagnoses) == 1 and merged.diagnoses[0].icd10_code == "E11.9"
    assert len(merged.medications) == 1 and merged.medications[0].dose == "500 mg"
    assert [s.name for s in merged.symptoms] == ["thirst"]


def test_wire_schema_is_bounded_and_all_required() -> None:
    schema = WireEntities.model_json_schema()
    assert set(schema["required"]) == set(schema["properties"])
    for prop in schema["properties"].values():
        assert prop["maxItems"] >= 1
    for name, definition in schema["$defs"].items():
        assert set(definition["required"]) == set(definition["properties"]), name
        assert definition["additionalProperties"] is False


def test_combining_partial_notes_keeps_distinct_lines_once() -> None:
    a = SoapNote(subjective="- cough\n- fever", plan="- rest")
    b = SoapNote(subjective="- Cough\n- night sweats", plan="- rest\n- fluids")
    merged = combine_notes([a, b])
    assert merged.subjective == "- cough\n- fever\n- night sweats"
    assert merged.plan == "- rest\n- fluids"


def test_cache_keys_and_copies() -> None:
    msgs = [ChatMessage(role="system", content="x"), ChatMessage(role="user", content="y")]
    base = {"server": "http://127.0.0.1:1234/v1", "model": "m", "step": "soap"}
    k1 = cache_key(**base, prompts=msgs, params={"temperature": 0.1})
    assert k1 == cache_key(**base, prompts=list(msgs), params={"temperature": 0.1})
    assert k1 != cache_key(**base, prompts=msgs, params={"temperature": 0.2})
    assert k1 != cache_key(**{**base, "model": "other"}, prompts=msgs, params={"temperature": 0.1})
    assert k1 != cache_key(**{**base, "server": "http://127.0.0.1:1/v1"}, prompts=msgs, params={})
    cache = StepCache(capacity=2)
    note = SoapNote(plan="- rest")
    cache.put(k1, {"soap": note})
    got = cache.get(k1)
    assert got is not None and got["soap"] == note
    got["soap"].plan = "changed"
    assert cache.get(k1)["soap"].plan == "- rest"  # callers cannot change what is cached
    cache.put("b", {})
    cache.put("c", {})
    assert cache.get(k1) is None and len(cache) == 2


def test_rerun_keeps_review_decisions_and_user_spans() -> None:
    def span(start: int, end: int, **kw: object) -> PhiSpan:
        return PhiSpan(
            start=start, end=end, category=PhiCategory.NAME, text="x" * (end - start), **kw
        )

    previous = [
        span(0, 5, state=ReviewState.REJECTED),
        span(10, 15, state=ReviewState.CONFIRMED),
        span(20, 24, source=PhiSource.USER, state=ReviewState.CONFIRMED),
    ]
    found = [span(0, 5), span(10, 15), span(30, 33)]
    kept = keep_review(previous, found)
    assert [(s.start, s.state) for s in kept] == [
        (0, ReviewState.REJECTED),
        (10, ReviewState.CONFIRMED),
        (20, ReviewState.CONFIRMED),
        (30, ReviewState.PENDING),
    ]

"""De-identification of free text and of the transcript."""

from __future__ import annotations

import re

from medscribe.core.phi import PhiCategory, PhiSpan, ReviewState
from medscribe.core.session import EncounterInfo, EncounterResult
from medscribe.core.transcript import Transcript
from medscribe.export import deidentify_text, redact_transcript
from medscribe.export.deidentify import Redactor

from .conftest import span


def _result(text: str, spans: list[PhiSpan], **info: str) -> EncounterResult:
    return EncounterResult(
        transcript=Transcript(text=text), phi_spans=spans, encounter=EncounterInfo(**info)
    )


def test_full_names_then_single_name_tokens_are_replaced(result):
    note = "Martha Smith, 58. Mrs. Smith says MARTHA's daughter Jordan visited; Dr. Reyes saw her."
    out = deidentify_text(note, result)
    assert out == (
        "[NAME], 58. Mrs. [NAME] says [NAME]'s daughter [NAME] visited; Dr. [NAME] saw her."
    )


def test_longest_text_wins_so_a_full_name_is_one_placeholder():
    text = "Ann Lee Brown came."
    r = _result(
        text,
        [span(text, "Ann Lee Brown", PhiCategory.NAME), span(text, "Ann", PhiCategory.NAME)],
    )
    assert deidentify_text("Ann Lee Brown and Ann.", r) == "[NAME] and [NAME]."


def test_word_boundaries_are_respected(result):
    assert deidentify_text("Smithfield and Smiths and Smith.", result) == (
        "Smithfield and Smiths and [NAME]."
    )


def test_rejected_span_text_stays_unless_it_is_also_redacted(result):
    # "Parkinson" was rejected twice in the fixture: it is a disease, not a person.
    assert deidentify_text("Parkinson disease ruled out.", result) == (
        "Parkinson disease ruled out."
    )
    text = "Jordan called. We hiked along the Jordan."
    spans = [
        span(text, "Jordan", PhiCategory.NAME, ReviewState.CONFIRMED),
        span(text, "Jordan", PhiCategory.LOCATION, ReviewState.REJECTED, nth=1),
    ]
    assert deidentify_text("Jordan is well.", _result(text, spans)) == "[NAME] is well."


def test_a_rejected_word_is_not_redacted_as_a_name_token():
    text = "James Parkinson came. Parkinson disease?"
    spans = [
        span(text, "James Parkinson", PhiCategory.NAME),
        span(text, "Parkinson", PhiCategory.NAME, ReviewState.REJECTED, nth=1),
    ]
    out = deidentify_text(
        "James Parkinson has no Parkinson disease. James agrees.", _result(text, spans)
    )
    assert out == "[NAME] has no Parkinson disease. [NAME] agrees."


def test_short_tokens_titles_and_common_words_are_handled_with_care():
    text = "Dr. Li Will Brown came."
    r = _result(text, [span(text, "Dr. Li Will Brown", PhiCategory.NAME)])
    note = "Dr. Li Will Brown: Li 300 mg; we will follow up; Will and Brown agreed; brown urine."
    assert deidentify_text(note, r) == (
        "[NAME]: Li 300 mg; we will follow up; [NAME] and [NAME] agreed; brown urine."
    )


def test_numbers_match_in_other_spellings(result):
    note = "Phone 555-201-3344, 555.201.3344 or (555) 201 3344; MRN 00482913; dose 201 mg."
    assert deidentify_text(note, result) == (
        "Phone [PHONE], [PHONE] or [PHONE]; MRN [MRN]; dose 201 mg."
    )


def test_encounter_patient_name_and_date_are_redacted_even_without_spans():
    r = _result("no identifiers here", [], patient_name="Olga Petrova", date="2026-03-05")
    assert deidentify_text("Olga Petrova seen 2026-03-05; Petrova agrees.", r) == (
        "[NAME] seen [DATE]; [NAME] agrees."
    )


def test_placeholders_are_not_re_matched():
    text = "name NAME"
    r = _result(text, [span(text, "NAME", PhiCategory.NAME), span(text, "name", PhiCategory.NAME)])
    assert deidentify_text("name", r) == "[NAME]"


def test_regex_special_characters_in_span_text():
    text = "mail j.o+h(n)@x.org now"
    r = _result(text, [span(text, "j.o+h(n)@x.org", PhiCategory.EMAIL)])
    assert deidentify_text("write to j.o+h(n)@x.org or jxo+h(n)@x.org", r) == (
        "write to [EMAIL] or jxo+h(n)@x.org"
    )


def test_redact_transcript_uses_offsets(result):
    out = redact_transcript(result)
    assert "[doctor] Good morning, [NAME]. I'm Dr. [NAME]." in out
    assert "Your chart number is [MRN] and we can call you at [PHONE]?" in out
    assert "No Parkinson that I know of." in out
    for word in ("Martha", "Smith", "Springfield", "00482913", "3344"):
        assert word not in out


def test_redact_transcript_keeps_rejected_offsets_and_catches_unmarked_mentions():
    text = "Jordan is here. The Jordan river. Jordan again."
    spans = [
        span(text, "Jordan", PhiCategory.NAME, ReviewState.CONFIRMED),
        span(text, "Jordan", PhiCategory.LOCATION, ReviewState.REJECTED, nth=1),
    ]
    # The third mention has no span: it is the same text as a redacted span, so it goes too.
    assert redact_transcript(_result(text, spans)) == (
        "[NAME] is here. The Jordan river. [NAME] again."
    )


def test_overlapping_spans_give_one_placeholder():
    text = "Call Mary Ann Jones now."
    spans = [span(text, "Mary Ann", PhiCategory.NAME), span(text, "Ann Jones", PhiCategory.NAME)]
    assert redact_transcript(_result(text, spans)) == "Call [NAME] now."


def test_no_spans_means_text_unchanged():
    r = _result("Plain words, 555-1234.", [])
    assert redact_transcript(r) == "Plain words, 555-1234."
    assert deidentify_text("Plain words.", r) == "Plain words."


def test_redactor_is_safe_with_many_terms():
    names = [f"Person{i} Surname{i}" for i in range(300)]
    spans = [
        PhiSpan(start=0, end=1, category=PhiCategory.NAME, text=n, state=ReviewState.PENDING)
        for n in names
    ]
    out = Redactor(spans).redact(" ".join(names) + " Surname7 alone")
    assert re.fullmatch(r"(\[NAME\] )+\[NAME\] alone", out)


def test_short_numbers_are_kept_only_where_they_are_clearly_readings():
    text = "I am 92 years old."
    r = _result(text, [span(text, "92", PhiCategory.AGE)])
    note = (
        "A 92-year-old; aged 92; she passed at 92. "
        "BP 140/92, HR 92, pulse: 92, SpO2 92%, 92 bpm, 92 mg, 92.5 kg, 142 over 92, 1992."
    )
    assert deidentify_text(note, r) == (
        "A [AGE]-year-old; aged [AGE]; she passed at [AGE]. "
        "BP 140/92, HR 92, pulse: 92, SpO2 92%, 92 bpm, 92 mg, 92.5 kg, 142 over 92, 1992."
    )
    # In the transcript the span itself goes by offset, whatever its context.
    assert redact_transcript(r) == "I am [AGE] years old."


def test_non_ascii_names():
    text = "Frau Jürgen Straße kam."
    r = _result(text, [span(text, "Jürgen Straße", PhiCategory.NAME)])
    assert deidentify_text("JÜRGEN sagte, Straße kommt.", r) == "[NAME] sagte, [NAME] kommt."


def test_dates_are_also_removed_in_other_spellings():
    text = "seen december 5th , 2019, born 3/17/1946, back in april of 2022"
    r = _result(
        text,
        [
            span(text, "december 5th , 2019", PhiCategory.DATE),
            span(text, "3/17/1946", PhiCategory.DATE),
            span(text, "april of 2022", PhiCategory.DATE),
        ],
    )
    note = (
        "Seen December 5, 2019 (12/05/2019, 2019-12-05). DOB March 17th, 1946 or 03/17/1946. "
        "Back in April 2022 (04/2022). Pain 3/10; December 2019 and 2022 are not these dates."
    )
    assert deidentify_text(note, r) == (
        "Seen [DATE] ([DATE], [DATE]). DOB [DATE] or [DATE]. "
        "Back in [DATE] ([DATE]). Pain 3/10; December 2019 and 2022 are not these dates."
    )

"""Section text with markdown habits becomes clean blocks."""

from __future__ import annotations

from medscribe.export.blocks import (
    BlockKind,
    inline_runs,
    parse_blocks,
    strip_inline_markdown,
    xml_safe,
)


def test_list_markers_become_list_blocks_without_the_marker():
    body = "Intro line\n- dash item\n* star item\n• dot item\n1. first\n2) second\n  - nested"
    blocks = parse_blocks(body)
    assert [(b.kind, b.text) for b in blocks] == [
        (BlockKind.PARAGRAPH, "Intro line"),
        (BlockKind.BULLET, "dash item"),
        (BlockKind.BULLET, "star item"),
        (BlockKind.BULLET, "dot item"),
        (BlockKind.NUMBER, "first"),
        (BlockKind.NUMBER, "second"),
        (BlockKind.BULLET, "nested"),
    ]
    assert blocks[-1].level == 2


def test_numbers_that_are_not_list_markers_stay_text():
    blocks = parse_blocks("2.5 mg daily\n-5 degrees\n**bold** start")
    assert [b.kind for b in blocks] == [BlockKind.PARAGRAPH] * 3


def test_numbered_lists_restart_after_a_paragraph_but_not_after_blank_lines():
    blocks = parse_blocks("1. a\n\n2. b\nFollow-up:\n7. c\n8. d")
    numbers = [(b.number, b.list_id) for b in blocks if b.kind is BlockKind.NUMBER]
    assert numbers[0][1] == numbers[1][1] != numbers[2][1] == numbers[3][1]
    assert [n for n, _ in numbers] == [1, 2, 1, 2]


def test_first_line_repeating_the_title_is_dropped_only_when_it_is_just_the_title():
    assert [b.text for b in parse_blocks("## Plan\nRest.", "Plan")] == ["Rest."]
    assert [b.text for b in parse_blocks("**Plan:**\nRest.", "Plan")] == ["Rest."]
    kept = parse_blocks("Plan: rest and fluids.", "Plan")
    assert [b.text for b in kept] == ["Plan: rest and fluids."]


def test_headings_and_rules():
    blocks = parse_blocks("### Labs ###\n---\nNormal")
    assert [(b.kind, b.text) for b in blocks] == [
        (BlockKind.HEADING, "Labs"),
        (BlockKind.PARAGRAPH, "Normal"),
    ]


def test_inline_markdown_becomes_runs():
    runs = inline_runs("**Meds:** continue *metformin* and __insulin__; snake_case t_1 2*3*4")
    assert [(r.text, r.bold, r.italic) for r in runs] == [
        ("Meds:", True, False),
        (" continue ", False, False),
        ("metformin", False, True),
        (" and ", False, False),
        ("insulin", True, False),
        ("; snake_case t_1 2*3*4", False, False),
    ]
    assert strip_inline_markdown("`code` **x**") == "code x"


def test_xml_safe_removes_control_characters_and_normalises_newlines():
    assert xml_safe("a\x00b\x07c\r\nd\re\x0cf\u2028g") == "abc\nd\ne\nf\ng"

"""Model output as document blocks: paragraphs, bullets, numbered items, small headings.

Section text comes from a language model or from the physician's edits, so it may carry
markdown habits (``**bold**``, ``### Plan``, ``- item``, ``1) item``). The DOCX writer and
the plain-text writer both read it through :func:`parse_blocks`, so a list looks like a list
in Word and in the EHR paste alike, and no markdown symbol reaches either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class BlockKind(StrEnum):
    PARAGRAPH = "paragraph"
    BULLET = "bullet"
    NUMBER = "number"
    HEADING = "heading"  # a markdown "### ..." line inside a section


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str  # inline markdown still present; see inline_runs / strip_inline_markdown
    level: int = 1  # 1 or 2 for list items (2 = indented under another item)
    number: int = 0  # position in its numbered list (1-based), for NUMBER blocks
    list_id: int = 0  # NUMBER blocks with the same list_id form one numbered list


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


# "-", "*", "+", "•" and friends, or "1." / "1)" followed by a space.
_LIST_RE = re.compile(
    r"^(?P<indent>[ \t]*)(?:(?P<bullet>[-*+•‣◦▪●–])|(?P<num>\d{1,3})[.)])\s+(?P<text>\S.*)$"
)
_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+(?P<text>.+?)\s*#*\s*$")
_RULE_RE = re.compile(r"^\s*([-*_=])(\s*\1){2,}\s*$")  # "---", "***", "===" separators
_SPACES_RE = re.compile(r"[ \t\u00a0]+")
# Emphasis markers: **x**, __x__, *x*, _x_ (the last only between non-word characters, so that
# snake_case or "t_1" survive). Backticks are dropped.
_STRONG_RE = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|__(?=\S)(.+?)(?<=\S)__")
_EM_RE = re.compile(
    r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])"
    r"|(?<!\w)_(?=\S)([^_]+?)(?<=\S)_(?!\w)"
)


# Characters XML 1.0 (and therefore DOCX) cannot hold; python-docx raises on them. They come
# from pasted text or DOCX transcripts (vertical tab, form feed) and mean nothing to a reader.
_XML_BAD_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """``text`` with newlines normalised and characters XML forbids removed."""
    return _XML_BAD_RE.sub("", normalise_newlines(text))


def normalise_newlines(text: str) -> str:
    """CRLF, CR and the Unicode line separators all become ``\\n``."""
    return re.sub(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]", "\n", text)


def _indent_level(indent: str) -> int:
    width = len(indent.replace("\t", "    "))
    return 2 if width >= 2 else 1


def _is_title_echo(line: str, title: str | None) -> bool:
    """True for a first line that only repeats the section title ("Subjective:", "## Plan")."""
    if not title:
        return False
    m = _HEADING_RE.match(line)
    bare = strip_inline_markdown(m.group("text") if m else line).strip().rstrip(":").strip()
    return bare.casefold() == title.casefold()


def parse_blocks(body: str, title: str | None = None) -> list[Block]:
    """Split section text into blocks. Blank lines and separators are dropped.

    ``title`` is the section heading the writer will print; a first line that merely repeats it
    is dropped so the physician does not read "Plan / Plan:".
    """
    blocks: list[Block] = []
    list_id = 0
    # level -> (list_id, last number) for the numbered list open at that level
    counters: dict[int, tuple[int, int]] = {}
    in_list = False
    first = True
    for raw in normalise_newlines(body).split("\n"):
        if not raw.strip() or _RULE_RE.match(raw):
            continue  # blank lines never end a list: models often space their items out
        if first:
            first = False
            if _is_title_echo(raw, title):
                continue
        m = _LIST_RE.match(raw)
        if m:
            level = _indent_level(m.group("indent"))
            text = _SPACES_RE.sub(" ", m.group("text")).strip()
            if not in_list:
                counters.clear()
            in_list = True
            if level == 1:
                counters.pop(2, None)  # a new top-level item restarts any nested numbering
            if m.group("bullet"):
                blocks.append(Block(BlockKind.BULLET, text, level))
                continue
            if level not in counters:
                list_id += 1
                counters[level] = (list_id, 0)
            current, count = counters[level]
            counters[level] = (current, count + 1)
            blocks.append(Block(BlockKind.NUMBER, text, level, count + 1, current))
            continue
        in_list = False
        h = _HEADING_RE.match(raw)
        if h:
            blocks.append(Block(BlockKind.HEADING, _SPACES_RE.sub(" ", h.group("text")).strip()))
            continue
        blocks.append(Block(BlockKind.PARAGRAPH, _SPACES_RE.sub(" ", raw).strip()))
    return blocks


def inline_runs(text: str) -> list[Run]:
    """Text with ``**bold**`` / ``*italic*`` markers as styled runs, markers removed."""
    runs: list[Run] = []
    pos = 0
    for m in _STRONG_RE.finditer(text):
        runs.extend(_italic_runs(text[pos : m.start()], bold=False))
        runs.extend(_italic_runs(m.group(1) or m.group(2) or "", bold=True))
        pos = m.end()
    runs.extend(_italic_runs(text[pos:], bold=False))
    return [r for r in runs if r.text]


def _italic_runs(text: str, *, bold: bool) -> list[Run]:
    runs: list[Run] = []
    pos = 0
    for m in _EM_RE.finditer(text):
        runs.append(Run(_clean(text[pos : m.start()]), bold=bold))
        runs.append(Run(_clean(m.group(1) or m.group(2) or ""), bold=bold, italic=True))
        pos = m.end()
    runs.append(Run(_clean(text[pos:]), bold=bold))
    return runs


def _clean(text: str) -> str:
    return text.replace("`", "")


def strip_inline_markdown(text: str) -> str:
    """The words of :func:`inline_runs` without any styling."""
    return "".join(r.text for r in inline_runs(text))

"""Reading a written DOCX back the way a reviewer would: every part, not only the body."""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path


def xml_parts(path: Path) -> dict[str, str]:
    """Every XML part of the package (document, headers, footers, docProps, numbering...)."""
    with zipfile.ZipFile(path) as zf:
        return {
            name: zf.read(name).decode("utf-8")
            for name in zf.namelist()
            if name.endswith((".xml", ".rels"))
        }


# Attribute values are searched in the metadata parts only: the writer puts text in element
# content, while body, style and theme attributes are layout numbers (w:w="1584",
# uiPriority="99") that a numeric identifier such as an age of 99 would falsely hit.
_ATTRIBUTE_PARTS = re.compile(r"^docProps/")


def part_texts(path: Path) -> dict[str, str]:
    """What each part says: element text of every part, plus attribute values of the metadata
    (never tag or attribute names: "Target" in a relationship is not an identifier)."""
    out = {}
    for name, xml in xml_parts(path).items():
        if name.startswith("word/"):
            # Runs join without a gap ("Mar" + "tha" is still Martha); paragraphs, cells,
            # tabs and breaks separate words.
            text = re.sub(r"</w:(p|tc)>|<w:(tab|br|cr)\b[^>]*>", "\n", xml)
            text = re.sub(r"<[^>]+>", "", text)
        else:
            text = re.sub(r"<[^>]+>", " ", xml)
        if _ATTRIBUTE_PARTS.match(name):
            text += "\n" + " ".join(re.findall(r'="([^"]*)"', xml))
        out[name] = html.unescape(text)
    return out


def leaks(path: Path, identifiers: list[str]) -> list[tuple[str, str]]:
    """(identifier, part) for every identifier found as a word anywhere in the package."""
    parts = part_texts(path)
    haystack = "\n".join(parts.values())
    folded = haystack.casefold()
    found = []
    for ident in identifiers:
        if not all(w.casefold() in folded for w in ident.split()):
            continue  # plain substring test first: the style parts alone are ~800 KB
        words = r"\s+".join(re.escape(w) for w in ident.split())
        pattern = re.compile(rf"(?<!\w){words}(?!\w)", re.IGNORECASE)
        if pattern.search(haystack):  # slow path only to name the part
            found.extend((ident, name) for name, text in parts.items() if pattern.search(text))
    return found

"""How long the transcript view takes with a 2-hour visit: ~25,000 words, ~1,000 PHI spans.

Prints milliseconds for: showing the transcript (text, layout, speaker tags), redrawing all
PHI highlights after one review decision, and painting the visible page. Run:

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_transcript_view.py
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication

from medscribe.core.phi import PhiCategory, PhiSpan, ReviewState
from medscribe.core.readers import transcript_from_text
from medscribe.core.session import EncounterResult
from medscribe.ui.document import SessionDocument
from medscribe.ui.transcript_view import TranscriptView

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "aci_bench"
WORDS, SPANS = 25_000, 1_000


def long_text() -> str:
    texts = [p.read_text(encoding="utf-8") for p in sorted(DATA.glob("*.txt"))]
    out, words = [], 0
    while words < WORDS:
        for t in texts:
            out.append(t)
            words += len(t.split())
    return "\n".join(out)


def spans_for(text: str) -> list[PhiSpan]:
    words = [m for m in re.finditer(r"[a-z]{4,}", text)]
    step = max(1, len(words) // SPANS)
    cats = list(PhiCategory)
    return [
        PhiSpan(start=m.start(), end=m.end(), category=cats[i % len(cats)], text=m.group())
        for i, m in enumerate(words[::step][:SPANS])
    ]


def ms(fn, repeat: int = 5) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    text = long_text()
    spans = spans_for(text)
    result = EncounterResult(transcript=transcript_from_text(text), phi_spans=spans)
    doc = SessionDocument()
    view = TranscriptView(doc)
    view.resize(900, 700)
    view.show()
    app.processEvents()
    print(f"transcript: {len(text.split()):,} words, {len(text):,} chars, {len(spans)} spans")

    def load() -> None:
        doc.load(result.model_copy(deep=True))
        app.processEvents()

    med, worst = ms(load, 3)
    print(f"load (text + layout + speakers + PHI): median {med:.0f} ms, max {worst:.0f} ms")
    state = [ReviewState.CONFIRMED, ReviewState.PENDING]
    counter = iter(range(10**6))

    def decide() -> None:
        doc.set_phi_state(500, state[next(counter) % 2])
        app.processEvents()

    med, worst = ms(decide, 10)
    print(
        f"one decision -> redraw all highlights + repaint: median {med:.1f} ms, max {worst:.1f} ms"
    )
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum() // 2)

    med, worst = ms(lambda: view.viewport().repaint(), 10)
    print(f"paint the visible page: median {med:.1f} ms, max {worst:.1f} ms")
    med, worst = ms(lambda: (view.next_phi(), app.processEvents()), 20)
    print(f"next PHI (select + scroll + paint): median {med:.1f} ms, max {worst:.1f} ms")


if __name__ == "__main__":
    main()

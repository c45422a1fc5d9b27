"""Fixtures for the core tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def hand_rules_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Leave the word model's last net out, so a test pins down the hand-written rules alone.

    The word model trades some precision for recall by design (measured in
    ``bench/phi_eval.py``; tested in ``test_phi_word_model.py``): a near-miss sentence built
    to sit next to a rule ("she has to go to court on monday") may get a highlight from it.
    """
    import medscribe.core.phi_rules as phi_rules

    monkeypatch.setattr(phi_rules, "find_model_words", lambda *args, **kwargs: iter(()))

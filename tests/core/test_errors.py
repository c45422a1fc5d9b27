from __future__ import annotations

from medscribe.core.errors import loggable_traceback


def _fail() -> None:
    try:
        {}["martha smith"]
    except KeyError as inner:
        raise ValueError("could not parse 'martha smith, 555-0134'") from inner


def test_loggable_traceback_keeps_types_and_frames_but_no_message() -> None:
    try:
        _fail()
    except ValueError as exc:
        text = loggable_traceback(exc)
    assert "builtins.ValueError" in text and "builtins.KeyError" in text
    assert "_fail" in text  # the frames are there to debug with
    assert "martha" not in text.lower() and "555" not in text

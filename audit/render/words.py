"""Words every format shares: certainty, severity, bands, reach, score bars and effects, times.

The pack's own ids and answers in words are `model.labels` (the interview needs them too).
"""

from __future__ import annotations

from datetime import datetime

from audit.model.severity import MOST_SEVERE_FIRST

CERTAINTY_WORDS = {
    "documented": "documented",
    "reported": "reported",
    "disputed": "disputed (official texts disagree)",
    "possible": "possible (depends on an \u201cI don't know\u201d)",
}
CERTAINTY_EXPLAINED = {
    "documented": "WhatsApp's or Meta's own text says so",
    "reported": "regulators or the press say so; no official text found",
    "disputed": "official texts disagree; both are quoted, with dates, and which one is binding",
    "possible": "it depends on an answer you gave as \u201cI don't know\u201d",
}
SEVERITY_WORDS: dict[str, str] = {s: s.capitalize() for s in MOST_SEVERE_FIRST}  # "Critical" ... "Info"
# How far a recipient spreads what it gets, in three steps (the pack's reach is 1..5).
REACH_WORDS = {"few": "reaches few", "some": "reaches some", "many": "reaches many"}


def band_label(band: str) -> str:
    return band.replace("_", " ").capitalize()


def reach_tier(reach: int) -> str:
    """'few' (1-2), 'some' (3) or 'many' (4-5): how much a recipient matters on the picture."""
    if reach >= 4:
        return "many"
    return "some" if reach == 3 else "few"


def bar(value: int, width: int = 40) -> str:
    """A 0-100 score as a bar of full and light blocks (readable without colour)."""
    filled = round(max(0, min(100, value)) * width / 100)
    return "\u2588" * filled + "\u2591" * (width - filled)


def stamp(moment: datetime) -> str:
    """A date and time for people: minutes, and 'UTC' when the time is in UTC."""
    text = f"{moment:%Y-%m-%d %H:%M}"
    offset = moment.utcoffset()
    if offset is not None and offset.total_seconds() == 0:
        return f"{text} UTC"
    return text


def score_effect(before: int, after: int) -> str:
    """What a recommendation does to the score, in words (it never raises it)."""
    if after < before:
        return f"Your score would go from {before} to {after}."
    return f"Your score stays at {before}: this closes a risk rather than a data flow."


def stake_text(points: int) -> str:
    if points <= 0:
        return "no points at stake"
    return f"{points} point{'s' if points != 1 else ''} at stake"


PLATFORM_WORDS = {"android": "Android", "iphone": "iPhone"}
NOTHING_TO_CHANGE = (
    "Nothing to change today: no change to your answers would lower your score or fix a finding "
    "of medium severity or more. The findings below still say what each setting means."
)
SCORE_MEANING = (
    "Higher means more of your data reaches more people. A low score does not mean private: "
    "it means fewer of the findings this model knows about apply to you."
)

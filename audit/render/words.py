"""Words every format shares: certainty, severity, bands, reach, score bars and effects, times.

The pack's own ids and answers in words are `model.labels` (the interview needs them too). Every word
here is looked up in the person's language when it is used (audit.lang), never at import.
"""

from __future__ import annotations

from datetime import datetime

from audit import lang
from audit.lang import N_, _, ngettext, pgettext
from audit.model.severity import MOST_SEVERE_FIRST

# Marked where defined, translated where used (`_(CERTAINTY_WORDS[c])`, or the functions below).
CERTAINTY_WORDS = {
    "documented": N_("documented"),
    "reported": N_("reported"),
    "disputed": N_("disputed (official texts disagree)"),
    "possible": N_("possible (depends on an \u201cI don't know\u201d)"),
}
CERTAINTY_EXPLAINED = {
    "documented": N_("WhatsApp's or Meta's own text says so"),
    "reported": N_("regulators or the press say so; no official text found"),
    "disputed": N_("official texts disagree; both are quoted, with dates, and which one is binding"),
    "possible": N_("it depends on an answer you gave as \u201cI don't know\u201d"),
}
# How far a recipient spreads what it gets, in three steps (the pack's reach is 1..5).
REACH_WORDS = {"few": N_("reaches few"), "some": N_("reaches some"), "many": N_("reaches many")}


def certainty_word(certainty: str) -> str:
    """The certainty in words, with what it means when that is not plain: "disputed (official ...)"."""
    word = CERTAINTY_WORDS.get(certainty)
    return _(word) if word else certainty


def certainty_explained() -> dict[str, str]:
    """Each certainty's meaning, in the person's language."""
    return {c: _(text) for c, text in CERTAINTY_EXPLAINED.items()}


def certainty_names() -> dict[str, str]:
    """Each certainty's name alone ("documented"), in the person's language."""
    return {
        # Translators: how sure a statement is: WhatsApp's or Meta's own text says so.
        "documented": pgettext("certainty", "documented"),
        # Translators: how sure a statement is: regulators or the press say so.
        "reported": pgettext("certainty", "reported"),
        # Translators: how sure a statement is: official texts disagree.
        "disputed": pgettext("certainty", "disputed"),
        # Translators: how sure a statement is: it depends on an "I don't know" answer.
        "possible": pgettext("certainty", "possible"),
    }


def certainty_name(certainty: str) -> str:
    return certainty_names().get(certainty, certainty)


def severity_words() -> dict[str, str]:
    """Each severity, capitalised as a heading says it: "Critical" ... "Info"."""
    words = {
        # Translators: a finding's severity, the highest.
        "critical": pgettext("severity", "Critical"),
        # Translators: a finding's severity.
        "high": pgettext("severity", "High"),
        # Translators: a finding's severity.
        "medium": pgettext("severity", "Medium"),
        # Translators: a finding's severity.
        "low": pgettext("severity", "Low"),
        # Translators: a finding's severity, the lowest: for your information.
        "info": pgettext("severity", "Info"),
    }
    return {s: words.get(s, s.capitalize()) for s in MOST_SEVERE_FIRST}


def severity_word(severity: str) -> str:
    return severity_words().get(severity, severity)


def reach_words() -> dict[str, str]:
    """Each reach tier in words ("reaches many"), in the person's language."""
    return {tier: _(text) for tier, text in REACH_WORDS.items()}


def band_label(band: str) -> str:
    """A score band in words ("Moderate"); a band this code does not know, from its id."""
    known = {
        # Translators: a score band (how exposed the person is), as in "72/100 (High)".
        "low": pgettext("band", "Low"),
        # Translators: a score band (how exposed the person is).
        "moderate": pgettext("band", "Moderate"),
        # Translators: a score band (how exposed the person is).
        "high": pgettext("band", "High"),
        # Translators: a score band (how exposed the person is), the highest.
        "severe": pgettext("band", "Severe"),
    }
    return known.get(band, band.replace("_", " ").capitalize())


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
    text = lang.moment(moment)
    offset = moment.utcoffset()
    if offset is not None and offset.total_seconds() == 0:
        # Translators: a date and time in UTC, e.g. "2026-12-07 09:30 UTC".
        return _("{time} UTC").format(time=text)
    return text


def score_effect(before: int, after: int) -> str:
    """What a recommendation does to the score, in words (it never raises it)."""
    if after < before:
        return _("Your score would go from {before} to {after}.").format(before=before, after=after)
    return _("Your score stays at {before}: this closes a risk rather than a data flow.").format(
        before=before
    )


def stake_text(points: int) -> str:
    if points <= 0:
        return _("no points at stake")
    return ngettext("{n} point at stake", "{n} points at stake", points).format(n=points)


def points_text(points: int) -> str:
    """A finding's share of the score: "8 points"."""
    return ngettext("{n} point", "{n} points", points).format(n=points)


PLATFORM_WORDS = {"android": "Android", "iphone": "iPhone"}
NOTHING_TO_CHANGE = N_(
    "Nothing to change today: no change to your answers would lower your score or fix a finding "
    "of medium severity or more. The findings below still say what each setting means."
)
# The first sentence of NOTHING_TO_CHANGE, alone (the summary panel's line).
NOTHING_TO_CHANGE_SHORT = N_(
    "Nothing to change today: no change to your answers would lower your score or fix a finding "
    "of medium severity or more."
)
SCORE_MEANING = N_(
    "Higher means more of your data reaches more people. A low score does not mean private: "
    "it means fewer of the findings this model knows about apply to you."
)

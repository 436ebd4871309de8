"""The score in one line, the same in every format: a value, or an honest range, and how much was asked.

With "I don't know" answers the score is a range from the best case (each unknown at its least
exposing answer) to the value (each at its most), and the band names only what is known; a quick
check says how many questions it asked (SHARING_MODEL.md section 00).
"""

from __future__ import annotations

from dataclasses import dataclass

from audit.evaluate.compiled import SEVERITY_POINTS
from audit.evaluate.engine import BAND_FLOOR
from audit.evaluate.scoring import FLOW_BONUS
from audit.lang import N_, _, ngettext, number, percent
from audit.model.assessment import Report
from audit.model.pack import Pack
from audit.render.words import band_label, certainty_name, severity_word

PLAN_ORDER = N_(
    "The steps are ordered by the points each removes from your score, the most first; "
    "\u201cDo both\u201d steps help only when both changes are made."
)


@dataclass(frozen=True)
class Headline:
    text: str
    calm: bool  # no band colour: the score is a range or a quick check's


def headline(report: Report) -> Headline:
    score = report.score
    band = band_label(score.band)
    unknown = len(report.unknowns)
    quick = ""
    if score.partial:
        asked = len(report.answers)
        quick = _("Quick check: {asked} of {total} questions").format(
            asked=asked, total=asked + len(report.not_asked)
        )
    ranged = score.best_case is not None and score.best_case < score.value
    if ranged:
        text = ngettext(
            "Your exposure score: between {best} and {value}: it depends on {n} answer you don't know. "
            "What you know so far: {band}.",
            "Your exposure score: between {best} and {value}: it depends on {n} answers you don't know. "
            "What you know so far: {band}.",
            unknown,
        ).format(best=score.best_case, value=score.value, n=unknown, band=band)
    elif quick:
        text = _("Your exposure score: {value}/100 ({band} so far).").format(value=score.value, band=band)
    else:
        text = _("Your exposure score: {value}/100 ({band}).").format(value=score.value, band=band)
    if quick:
        # Translators: {quick} is "Quick check: 9 of 27 questions".
        text += " " + _("{quick}: the rest is not checked.").format(quick=quick)
    return Headline(text=text, calm=ranged or bool(quick))


def score_how(pack: Pack) -> str:
    """The formula in a few words, with this pack's weights and bands (README, "How the score works")."""
    lower = 0
    ranges = []
    bands = sorted(pack.vocabulary.bands, key=lambda b: b.below)
    for band in bands:
        ranges.append(
            # Translators: a range of scores and its band: "0-24 low".
            _("{low}-{high} {band}").format(
                low=lower, high=min(band.below - 1, 100), band=band_label(band.id).lower()
            )
        )
        lower = band.below
    points = ", ".join(
        # Translators: a severity and its points: "critical 20".
        _("{severity} {points}").format(severity=severity_word(s).lower(), points=p)
        for s, p in SEVERITY_POINTS.items()
        if p
    )
    weights = pack.vocabulary.certainty_weights
    certain = ", ".join(
        # Translators: a certainty and its weight: "reported 0.75".
        _("{certainty} {weight}").format(certainty=certainty_name(c), weight=number(w))
        for c, w in weights.items()
        if c != "possible"
    )
    first = _(
        "How the score works: each finding carries points: its severity's ({points}), up to "
        "{bonus} more for what its data flows weigh (how sensitive the data is \u00d7 how "
        "widely the recipient spreads it \u00d7 what it is used for), times how certain it is "
        "({certain}; what rests on \u201cI don't know\u201d counts {possible}, so "
        "not knowing never looks safer). Findings that name the same flow share its points."
    ).format(
        points=points, bonus=percent(FLOW_BONUS), certain=certain, possible=number(weights.get("possible", 1))
    )
    if len(bands) > BAND_FLOOR["high"]:
        last = _(
            "The score is their sum, at most 100 ({ranges}; never {band} beside a known high finding)."
        ).format(ranges=", ".join(ranges), band=band_label(bands[0].id).lower())
    else:
        last = _("The score is their sum, at most 100 ({ranges}).").format(ranges=", ".join(ranges))
    return f"{first} {last}"

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
from audit.model.assessment import Report
from audit.model.pack import Pack
from audit.render.words import band_label

PLAN_ORDER = (
    "The steps are ordered by the points each removes from your score, the most first; "
    "\u201cDo both\u201d steps help only when both changes are made."
)


@dataclass(frozen=True)
class Headline:
    text: str
    calm: bool  # no band colour: the score is a range or a quick check's
    quick_check: str


def headline(report: Report) -> Headline:
    score = report.score
    band = band_label(score.band)
    unknown = len(report.unknowns)
    quick = ""
    if score.partial:
        asked = len(report.answers)
        quick = f"Quick check: {asked} of {asked + len(report.not_asked)} questions"
    ranged = score.best_case is not None and score.best_case < score.value
    if ranged:
        answers = "answer" if unknown == 1 else "answers"
        text = (
            f"Your exposure score: between {score.best_case} and {score.value}: it depends on {unknown} "
            f"{answers} you don't know. What you know so far: {band}."
        )
    else:
        text = f"Your exposure score: {score.value}/100 ({band}{' so far' if quick else ''})."
    if quick:
        text += f" {quick}: the rest is not checked."
    return Headline(text=text, calm=ranged or bool(quick), quick_check=quick)


def score_how(pack: Pack) -> str:
    """The formula in a few words, with this pack's weights and bands (README, "How the score works")."""
    lower = 0
    ranges = []
    bands = sorted(pack.vocabulary.bands, key=lambda b: b.below)
    for band in bands:
        ranges.append(f"{lower}-{min(band.below - 1, 100)} {band_label(band.id).lower()}")
        lower = band.below
    points = ", ".join(f"{s} {p}" for s, p in SEVERITY_POINTS.items() if p)
    weights = pack.vocabulary.certainty_weights
    certain = ", ".join(f"{c} {w:g}" for c, w in weights.items() if c != "possible")
    floor = (
        f"; never {band_label(bands[0].id).lower()} beside a known high finding"
        if len(bands) > BAND_FLOOR["high"]
        else ""
    )
    return (
        f"How the score works: each finding carries points: its severity's ({points}), up to "
        f"{FLOW_BONUS:.0%} more for what its data flows weigh (how sensitive the data is \u00d7 how "
        "widely the recipient spreads it \u00d7 what it is used for), times how certain it is "
        f"({certain}; what rests on \u201cI don't know\u201d counts {weights.get('possible', 1):g}, so "
        "not knowing never looks safer). Findings that name the same flow share its points. The score "
        f"is their sum, at most 100 ({', '.join(ranges)}{floor})."
    )

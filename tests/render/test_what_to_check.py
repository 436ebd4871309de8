"""The "What to check" section: which "I don't know" answers it lists, and its opening sentence.

Every report and plan opens the section with `check_rest`'s sentence; each case below is one a
person meets: nothing found out first, some found out first, one or several already covered by a
conditional change, and whether any are left to list.
"""

from __future__ import annotations

import pytest

from audit.model.assessment import Report
from audit.model.pack import Pack
from audit.render.report_view import build_view, check_rest, rerun_new
from audit.render.view_model import RecommendationView, UnknownView


def unknown(q: str) -> UnknownView:
    return UnknownView(question=q, prompt=f"{q}?", how_to_check="")


def change(q: str, *, conditional: bool = True) -> RecommendationView:
    return RecommendationView(
        question=q,
        prompt=f"{q}?",
        from_label="I don't know",
        to_label="off",
        how="",
        steps=(),
        effort="setting",
        score_before=50,
        score_after=40,
        removes=(),
        conditional=conditional,
    )


A, B, C, D = (unknown(q) for q in "abcd")
OPENING = "You answered \u201cI don't know\u201d to 4 of 12 questions."
FIRST = "Those with the most at stake are under \u201cFind out first\u201d."


@pytest.mark.parametrize(
    ("recs", "first", "rest", "intro"),
    [
        # No change rests on them and none found out first: the section's own summary opens it.
        ([change("a", conditional=False)], [], "abcd", ""),
        (
            [change("a")],
            [],
            "bcd",
            f"{OPENING} 1 comes with its change above, where to look included. "
            "The other 3, most at stake first:",
        ),
        (
            [change("a"), change("b")],
            [],
            "cd",
            f"{OPENING} 2 come with the changes above, where to look included. "
            "The other 2, most at stake first:",
        ),
        ([], [A], "bcd", f"{OPENING} {FIRST} The other 3, most at stake first:"),
        (
            [change("b")],
            [A],
            "cd",
            f"{OPENING} {FIRST} 1 more comes with its change above, where to look included. "
            "The other 2, most at stake first:",
        ),
        (
            [change("b"), change("c"), change("d")],
            [A],
            "",
            f"{OPENING} {FIRST} 3 more come with the changes above, where to look included. "
            f"Once you have checked, {rerun_new()}.",
        ),
    ],
)
def test_the_opening_sentence_counts_what_is_said_elsewhere(
    recs: list[RecommendationView], first: list[UnknownView], rest: str, intro: str
) -> None:
    listed, said = check_rest([A, B, C, D], recs, 12, first)
    assert "".join(u.question for u in listed) == rest
    assert said == intro


@pytest.mark.parametrize(
    ("unknowns", "asked", "stressed"),
    # "Many": at least three, and a quarter of what was asked or more.
    [(2, 8, False), (3, 12, True), (3, 13, False), (4, 16, True), (4, 17, False)],
)
def test_many_unknowns_set_the_section_s_opening_apart(
    unknowns: int, asked: int, stressed: bool, reports: dict[str, Report], pack: Pack
) -> None:
    base = reports["all-unknown"]
    assert len(base.unknowns) >= 4
    answers = dict(list(base.answers.items())[:asked])
    assert len(answers) == asked
    report = base.model_copy(update={"answers": answers, "unknowns": base.unknowns[:unknowns]})
    view = build_view(report, pack)
    assert view.suggest_full_audit is stressed
    assert f"to {unknowns} of {asked} questions" in view.check_intro

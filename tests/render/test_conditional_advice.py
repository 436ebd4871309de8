"""Advice that rests on an "I don't know" answer is worded as a condition, never as a fact."""

from __future__ import annotations

from audit.model.assessment import Report
from audit.model.conditions import UNKNOWN
from audit.model.pack import Pack
from audit.render.report_view import build_view


def test_advice_from_an_unknown_answer_is_a_condition(pack: Pack, reports: dict[str, Report]) -> None:
    for name in ("all-unknown", "linked-everything"):
        report = reports[name]
        view = build_view(report, pack)
        recs = ((view.one_thing,) if view.one_thing else ()) + view.more_changes
        assert len(recs) == len(report.recommendations) > 0
        for raw, rec in zip(report.recommendations, recs, strict=True):
            conditional = rec.how.startswith("If this applies to you (you answered \u201cI don't know\u201d)")
            assert conditional == (raw.from_ == UNKNOWN), (name, raw.question, rec.how)


def test_the_summary_marks_findings_that_rest_on_unknowns(pack: Pack, reports: dict[str, Report]) -> None:
    from audit.render.base import RenderOptions
    from audit.render.summary import summary

    text = summary(reports["all-unknown"], pack, RenderOptions(width=80))
    possible = [f for f in reports["all-unknown"].findings if f.certainty == "possible"]
    assert possible
    assert "[HIGH, possible]" in text
    assert "[HIGH]" not in text  # every high finding of an all-unknown person only might apply

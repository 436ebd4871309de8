"""Findings that exclude each other are shown together as alternatives; unrelated ones never are."""

from __future__ import annotations

from audit.model.assessment import Report
from audit.model.pack import Pack
from audit.render.report_view import build_view


def test_alternatives_are_decided_by_the_same_questions(pack: Pack, reports: dict[str, Report]) -> None:
    view = build_view(reports["all-unknown"], pack)
    findings = [f for g in view.severity_groups for f in g.findings]
    groups = [(f, f.alternatives) for f in findings if f.alternatives]
    assert groups, "an all-unknown report has exclusive possibilities (one per region, linked or not)"
    by_id = {f.id: f for f in reports["all-unknown"].findings}
    for lead, alternatives in groups:
        for alt in alternatives:
            # Same deciding questions, and some question on which they need different answers.
            assert set(by_id[alt.id].applies_if) == set(by_id[lead.id].applies_if)
            assert any(
                not set(v) & set(by_id[alt.id].applies_if[q]) for q, v in by_id[lead.id].applies_if.items()
            )


def test_every_possible_finding_is_shown_once(pack: Pack, reports: dict[str, Report]) -> None:
    view = build_view(reports["all-unknown"], pack)
    findings = [f for g in view.severity_groups for f in g.findings]
    shown = [f.id for f in findings] + [a.id for f in findings for a in f.alternatives]
    assert sorted(shown) == sorted(f.id for f in reports["all-unknown"].findings)

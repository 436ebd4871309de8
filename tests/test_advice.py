"""Recommendations: what can be changed, which value is kept, and the order (with a stub what-if)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pytest

from audit.evaluate import advice
from audit.evaluate.engine import evaluate
from audit.evaluate.scoring import exposure
from audit.model.answers import Answers
from audit.model.conditions import NOT_ASKED, UNKNOWN
from audit.model.pack import Pack


@dataclass(frozen=True)
class Stub:
    answers: Mapping[str, str]
    score: int
    pairs: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    findings: frozenset[str] = field(default_factory=frozenset)


@pytest.mark.parametrize(
    ("question", "now", "expected"),
    [
        ("accounts_center", "linked", ("previously_linked",)),
        ("accounts_center", "previously_linked", ()),  # the past cannot be unlinked
        ("accounts_center", "never_linked", ()),
        ("accounts_center", UNKNOWN, ("previously_linked",)),  # it may be linked: make sure it is not
        ("platform", "android", ()),
        ("region", "other", ()),
        ("region", UNKNOWN, ()),
        ("optout_2016", "did_not_opt_out", ()),
        ("status_to_facebook", "always", ("never", "selected")),
        ("status_to_instagram", NOT_ASKED, ()),
        ("chat_backup", UNKNOWN, ("off", "on_not_e2ee", "on_e2ee")),
    ],
)
def test_candidate_values(bundled_pack: Pack, question: str, now: str, expected: tuple[str, ...]) -> None:
    assert advice.candidate_values(bundled_pack.question_by_id[question], now) == expected


def _recommend(pack: Pack, now: dict[str, str], score: int, after: dict[tuple[str, str], int]) -> list[str]:
    current = Stub(answers=now, score=score)

    def what_if(question: str, value: str) -> Stub:
        return Stub(answers={**now, question: value}, score=after.get((question, value), score))

    return [f"{r.question}={r.to}" for r in advice.recommend(pack, current, "android", what_if)]


def test_ranked_by_score_removed_then_effort_then_question_order(bundled_pack: Pack) -> None:
    now = {
        "status_to_facebook": "always",
        "updates_tab": "often",
        "meta_ai": "often",
        "contacts_permission": "allowed",
    }
    after = {
        ("updates_tab", "never"): 40,  # a habit, removes the most: first anyway
        ("meta_ai", "never"): 45,  # a habit ...
        ("contacts_permission", "denied"): 45,  # ... ties with a setting: the setting first
        ("status_to_facebook", "never"): 45,  # and two settings tie: question order
    }
    assert _recommend(bundled_pack, now, 50, after) == [
        "updates_tab=never",
        "status_to_facebook=never",
        "contacts_permission=denied",
        "meta_ai=never",
    ]


def test_only_changes_that_lower_the_score_and_the_best_value_per_question(bundled_pack: Pack) -> None:
    now = {"status_to_facebook": "always", "last_seen": "everyone"}
    after = {
        ("status_to_facebook", "selected"): 48,
        ("status_to_facebook", "never"): 44,
        ("last_seen", "contacts"): 50,  # no better: not a recommendation
        ("last_seen", "nobody"): 51,
    }
    assert _recommend(bundled_pack, now, 50, after) == ["status_to_facebook=never"]


def test_a_tie_goes_to_the_value_a_finding_fixes_to(bundled_pack: Pack) -> None:
    # Backup off or end-to-end encrypted remove the same flow; the finding's fix keeps the backup.
    now = {"chat_backup": "on_not_e2ee"}
    after = {("chat_backup", "off"): 40, ("chat_backup", "on_e2ee"): 40}
    assert _recommend(bundled_pack, now, 50, after) == ["chat_backup=on_e2ee"]


def test_can_lower_spares_what_ifs(bundled_pack: Pack) -> None:
    asked: list[str] = []
    now = {"status_to_facebook": "always"}

    def what_if(question: str, value: str) -> Stub:
        asked.append(question)
        return Stub(answers={**now, question: value}, score=10)

    recs = advice.recommend(
        bundled_pack, Stub(answers=now, score=50), "android", what_if, lambda q: q == "meta_ai"
    )
    assert set(asked) == {"meta_ai"}
    assert [r.question for r in recs] == ["meta_ai"]


def test_recommendations_from_the_engine_are_real_what_ifs(bundled_pack: Pack) -> None:
    values = {
        "platform": "android",
        "region": "other",
        "accounts_center": "linked",
        "status_to_facebook": "always",
    }
    a = evaluate(bundled_pack, Answers(pack="whatsapp", values=values))
    assert a.recommendations, "a linked, sharing person has something to change"
    for r in a.recommendations:
        redone = exposure(bundled_pack, {**values, r.question: r.to})
        assert r.score_after == redone.score <= a.score.value
        # Lowers the score, or resolves a finding of medium severity or more (two-step off).
        severities = {bundled_pack.finding_by_id[f].severity for f in r.resolves}
        assert r.score_after < a.score.value or severities & {"medium", "high", "critical"}
        assert r.score_removed == a.score.value - r.score_after
        assert r.from_ == a.answers.get(r.question, UNKNOWN)
        before = exposure(bundled_pack, values).pairs
        assert {(p.data, p.recipient) for p in r.removes} == before - redone.pairs
    ac = next(r for r in a.recommendations if r.question == "accounts_center")
    assert (ac.from_, ac.to) == ("linked", "previously_linked")
    # The how-to comes from the pack for the person's platform.
    assert ac.how == bundled_pack.question_by_id["accounts_center"].value("previously_linked").how  # type: ignore[union-attr]


def test_how_to_falls_back_to_where_and_label(bundled_pack: Pack) -> None:
    q = bundled_pack.question_by_id["status_to_facebook"]
    value = next(v for v in q.values if not v.how)
    assert q.where is not None
    assert q.where_reported
    assert advice.how_to(q, value.id, "iphone") == (
        f"{q.where.iphone} (menu names vary by version): choose \u201c{value.label}\u201d."
    )


def _advise(
    pack: Pack, now: dict[str, str], score: int, findings: set[str], after: dict[str, tuple[int, set[str]]]
) -> list[tuple[str, tuple[str, ...]]]:
    """Recommendations with findings: `after` maps "question=value" to (score, findings left)."""
    current = Stub(answers=now, score=score, findings=frozenset(findings))

    def what_if(question: str, value: str) -> Stub:
        s, left = after.get(f"{question}={value}", (score, findings))
        return Stub(answers={**now, question: value}, score=s, findings=frozenset(left))

    return [(f"{r.question}={r.to}", r.resolves) for r in advice.recommend(pack, current, "android", what_if)]


def test_a_change_that_resolves_a_serious_finding_is_advice_even_without_a_score_drop(
    bundled_pack: Pack,
) -> None:
    now = {"two_step": "off", "silence_unknown_callers": "off", "meta_ai": "often"}
    findings = {"two_step_off", "unknown_callers_ring", "meta_ai"}
    after = {
        "two_step=on": (50, findings - {"two_step_off"}),  # high, no score drop: advice
        "silence_unknown_callers=on": (50, findings - {"unknown_callers_ring"}),  # low, no drop: not advice
        "meta_ai=never": (40, findings - {"meta_ai"}),  # medium, a drop
    }
    # Ranked by the most severe finding resolved first, then the score left.
    assert _advise(bundled_pack, now, 50, findings, after) == [
        ("two_step=on", ("two_step_off",)),
        ("meta_ai=never", ("meta_ai",)),
    ]


def test_a_change_that_raises_the_score_is_never_advice(bundled_pack: Pack) -> None:
    now = {"two_step": "off"}
    after = {"two_step=on": (51, set())}
    assert _advise(bundled_pack, now, 50, {"two_step_off"}, after) == []


def test_info_findings_are_not_counted_as_resolved(bundled_pack: Pack) -> None:
    now = {"contacts_permission": "allowed"}
    after = {"contacts_permission=denied": (45, set())}
    assert _advise(bundled_pack, now, 50, {"contact_upload"}, after) == [("contacts_permission=denied", ())]


def test_a_value_the_pack_does_not_list_is_named_by_its_id(bundled_pack: Pack) -> None:
    q = bundled_pack.question_by_id["status_to_facebook"]
    assert q.where is not None
    assert advice.how_to(q, "weekly", "iphone").endswith(": choose \u201cweekly\u201d.")


def test_an_exact_tie_keeps_the_first_value_in_pack_order(bundled_pack: Pack) -> None:
    # Two values that do equally well, neither of them a finding's fix: the pack's order decides.
    fixes = {(f.fix.question, f.fix.to) for f in bundled_pack.findings if f.fix is not None}
    q, now, tied = next(
        (q, v, others)
        for q in bundled_pack.questions
        for v in q.value_ids
        if len(others := [t for t in advice.candidate_values(q, v) if (q.id, t) not in fixes]) >= 2
    )
    after = {(q.id, v): 45 for v in tied}
    assert _recommend(bundled_pack, {q.id: now}, 50, after) == [f"{q.id}={tied[0]}"]

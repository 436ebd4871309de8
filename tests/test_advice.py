"""Recommendations: what can be changed, which value is kept, the order, and the pairs ("Do both")."""

from __future__ import annotations

import pytest

from audit.evaluate import advice
from audit.evaluate.engine import evaluate
from audit.evaluate.scoring import exposure
from audit.model.answers import Answers
from audit.model.conditions import NOT_ASKED, UNKNOWN
from audit.model.pack import Pack


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
        redone = exposure(bundled_pack, {**values, **{c.question: c.to for c in r.changes}})
        assert r.score_after == redone.score < a.score.value
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


def advise(values: dict[str, str], pack: Pack) -> list[tuple[str, int, tuple[str, ...]]]:
    a = evaluate(pack, Answers(pack="whatsapp", values=values))
    return [
        ("+".join(f"{c.question}={c.to}" for c in r.changes), r.score_after, r.resolves)
        for r in a.recommendations
    ]


LINKED = {
    "platform": "android",
    "region": "other",
    "accounts_center": "linked",
    "status_to_facebook": "always",
    "meta_ai": "often",
    "chat_backup": "on_not_e2ee",
    "two_step": "off",
    "silence_unknown_callers": "off",
}


def test_ranked_by_points_removed_then_effort_then_severity(bundled_pack: Pack) -> None:
    steps = advise(LINKED, bundled_pack)
    order = [q.id for q in bundled_pack.questions]
    effort = {q.id: advice.EFFORT_RANK[q.change.effort] for q in bundled_pack.questions}
    keys = [(after, effort[step.split("=")[0]], order.index(step.split("=")[0])) for step, after, _ in steps]
    assert [k[0] for k in keys] == sorted(k[0] for k in keys)
    # An equal drop: the setting (two-step, the backup) before the habit (Meta AI), whatever the order.
    ties = [step for step, after, _ in steps if after == steps[0][1]]
    assert ties == sorted(ties, key=lambda s: (effort[s.split("=")[0]], order.index(s.split("=")[0])))


def test_only_changes_that_lower_the_score_and_the_best_value_per_question(bundled_pack: Pack) -> None:
    score = exposure(bundled_pack, LINKED).score
    steps = advise(LINKED, bundled_pack)
    assert all(after < score for _, after, _ in steps)
    assert len({s for s, _, _ in steps}) == len(steps)
    # Turning off the Status share entirely removes more than sharing selected updates.
    assert "status_to_facebook=never" in {s for s, _, _ in steps}


def test_a_tie_goes_to_the_value_a_finding_fixes_to(bundled_pack: Pack) -> None:
    # No backup and an encrypted backup remove the same: the fix (encrypted) is kept.
    assert "chat_backup=on_e2ee" in {s for s, _, _ in advise(LINKED, bundled_pack)}


def test_a_high_finding_without_a_flow_is_a_step_that_lowers_the_score(bundled_pack: Pack) -> None:
    # Two-step verification moves no data, yet leaving it off is a high finding: it has points.
    step = next(x for x in advise(LINKED, bundled_pack) if x[0] == "two_step=on")
    assert step[1] < exposure(bundled_pack, LINKED).score
    assert step[2] == ("two_step_off",)


def test_two_changes_that_only_help_together_are_one_step(bundled_pack: Pack) -> None:
    # WhatsApp's own backup and the iPhone's iCloud Backup each keep a copy of the chats: either
    # change alone leaves the score as it is, both together lower it.
    values = {**LINKED, "platform": "iphone", "region": "uk", "icloud_device_backup": "on"}
    score = exposure(bundled_pack, values).score
    for alone in ({"chat_backup": "on_e2ee"}, {"icloud_device_backup": "on_without_whatsapp"}):
        assert exposure(bundled_pack, {**values, **alone}).score == score
    both = {"chat_backup": "on_e2ee", "icloud_device_backup": "on_without_whatsapp"}
    step = next(
        x
        for x in advise(values, bundled_pack)
        if x[0] == "chat_backup=on_e2ee+icloud_device_backup=on_without_whatsapp"
    )
    assert step[1] == exposure(bundled_pack, {**values, **both}).score < score
    assert set(step[2]) == {"unencrypted_backup", "icloud_device_backup"}
    assert not any(
        s in {"chat_backup=on_e2ee", "icloud_device_backup=on_without_whatsapp"}
        for s, _, _ in advise(values, bundled_pack)
    )


def test_info_findings_are_not_counted_as_resolved(bundled_pack: Pack) -> None:
    # Contact upload is a fact (info): no points, so denying contacts is no step, and nothing lists it.
    values = {**LINKED, "contacts_permission": "allowed"}
    steps = advise(values, bundled_pack)
    assert not any(s.startswith("contacts_permission=") for s, _, _ in steps)
    assert all("contact_upload" not in resolves for _, _, resolves in steps)


def test_a_value_the_pack_does_not_list_is_named_by_its_id(bundled_pack: Pack) -> None:
    q = bundled_pack.question_by_id["status_to_facebook"]
    assert q.where is not None
    assert advice.how_to(q, "weekly", "iphone").endswith(": choose \u201cweekly\u201d.")

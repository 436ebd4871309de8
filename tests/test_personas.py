"""Three hand-written people, their flows, and the order of their scores."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.collect.answers_file import read_answers
from audit.evaluate.engine import evaluate
from audit.model.answers import Answers
from audit.model.assessment import Assessment
from audit.model.conditions import UNKNOWN
from audit.model.pack import Pack
from audit.render.report_view import FIND_OUT_FIRST_GAP
from tests.test_properties import assert_advice_covers_fixable_findings

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

# Someone in the EU who linked nothing and shares nothing with Facebook or Instagram.
EEA_NOTHING_LINKED = {
    "platform": "android",
    "region": "eea",
    "accounts_center": "never_linked",
    "status_to_facebook": "never",
    "optout_2016": "joined_later",
    "updates_tab": "never",
    "ad_chats": "no",
    "business_chats": "no",
    "meta_ai": "never",
    "chat_backup": "on_e2ee",
    "contacts_permission": "denied",
    "last_seen": "contacts",
    "profile_photo": "contacts",
    "about": "contacts",
    "groups_add": "contacts",
    "status_audience": "contacts",
    "read_receipts": "on",
    "silence_unknown_callers": "on",
    "protect_ip_calls": "on",
    "username": "set",
    "two_step": "on",
    "strict_account": "off",
    "link_previews": "off",
    "third_party_chats": "no",
    "advanced_chat_privacy": "all_groups",
    "location_sharing": "no",
    "username_key": "on",
    "profile_links": "no",
}
# Someone outside Europe with WhatsApp in Accounts Center, sharing every Status to Facebook.
ELSEWHERE_LINKED = {
    **EEA_NOTHING_LINKED,
    "platform": "iphone",
    "region": "other",
    "accounts_center": "linked",
    "status_to_facebook": "always",
    "status_to_instagram": "never",
    "optout_2016": "opted_out",
    "icloud_device_backup": "off",
    "message_summaries": "off",
}


# Issue 13's people: linked with two-step verification off (UK: both high findings come from
# linking); an iPhone whose whole-phone iCloud Backup is on.
UK_LINKED_TWO_STEP_OFF = {
    **EEA_NOTHING_LINKED,
    "region": "uk",
    "accounts_center": "linked",
    "status_to_instagram": "never",
    "meta_ai": "often",
    "two_step": "off",
}
IPHONE_ICLOUD_BACKUP = {**ELSEWHERE_LINKED, "accounts_center": "never_linked", "icloud_device_backup": "on"}
PERSONAS = {
    "eea-nothing-linked": EEA_NOTHING_LINKED,
    "elsewhere-linked": ELSEWHERE_LINKED,
    "uk-linked-two-step-off": UK_LINKED_TWO_STEP_OFF,
    "iphone-icloud-backup": IPHONE_ICLOUD_BACKUP,
    "all-unknown": {},
}


def run(pack: Pack, values: dict[str, str]) -> Assessment:
    return evaluate(pack, Answers(pack="whatsapp", values=values))


def pairs(a: Assessment) -> set[tuple[str, str]]:
    return {(f.data, f.recipient) for f in a.flows}


def test_eea_nothing_linked(bundled_pack: Pack) -> None:
    a = run(bundled_pack, EEA_NOTHING_LINKED)
    assert pairs(a) == {
        ("phone_number", "whatsapp"),
        ("phone_number", "meta_processor"),
        ("device_info", "meta_processor"),
        ("usage_data", "meta_processor"),
    }
    assert all(f.certainty == "documented" for f in a.flows)
    assert not any(f.recipient == "meta_companies" for f in a.flows)
    assert a.unknowns == ()
    # Only the Status audience is left: a low finding, one point (a narrower audience).
    assert [(r.question, r.to) for r in a.recommendations] == [("status_audience", "only_share_with")]
    assert a.score.band == "low"


def test_elsewhere_linked_and_sharing_status(bundled_pack: Pack) -> None:
    a = run(bundled_pack, ELSEWHERE_LINKED)
    flows = {(f.data, f.recipient): f for f in a.flows}
    assert ("status_content", "facebook_audience") in flows
    assert flows[("cross_app_profile", "meta_companies")].rules == ("F3",)
    assert {"F1", "F6"} <= set(flows[("device_info", "meta_companies")].rules)
    assert "ads" in flows[("status_content", "meta_companies")].purposes
    assert ("phone_number", "meta_companies") in flows  # the global policy (F1)
    assert not any(r == "meta_processor" for _, r in flows)
    assert all(f.certainty == "documented" for f in a.flows)
    findings = {f.id for f in a.findings}
    assert {"accounts_center_linked", "optout_2016_overridden", "status_to_facebook"} <= findings
    assert ("status_to_facebook", "never") in {(r.question, r.to) for r in a.recommendations}
    # Leaving Accounts Center is always offered, as the finding's fix: outside Europe it need not
    # lower the score (what was combined stays combined, F4; F1 already sends device and usage data).
    fix = next(f.fix for f in a.findings if f.id == "accounts_center_linked")
    assert fix is not None
    assert (fix.question, fix.to) == ("accounts_center", "previously_linked")


def test_all_unknown(bundled_pack: Pack) -> None:
    a = run(bundled_pack, {})
    asked = [q.id for q in bundled_pack.questions]
    assert sorted(u.question for u in a.unknowns) == sorted(asked)  # every question is to be checked
    assert a.platform == UNKNOWN
    # Every rule that depends on an answer is possible; both regional rules are possible at once.
    for f in a.flows:
        assert f.certainty == ("documented" if f.rules == ("F20",) else "possible"), f
    flows = pairs(a)
    assert {("phone_number", "meta_companies"), ("phone_number", "meta_processor")} <= flows
    every_pair = {(d, r) for rule in bundled_pack.rules for s in rule.flows for d in s.data for r in s.to}
    assert flows == every_pair  # not knowing anything means everything may flow
    # Every finding at once, each possible (the regions' alternatives included): the most points.
    assert a.score.value == min(100, sum(f.points for f in a.findings))
    assert a.score.best_case == 0


def test_scores_are_ordered(bundled_pack: Pack) -> None:
    eea = run(bundled_pack, EEA_NOTHING_LINKED).score.value
    elsewhere = run(bundled_pack, ELSEWHERE_LINKED).score.value
    unknown = run(bundled_pack, {}).score.value
    assert eea < elsewhere <= unknown


@pytest.mark.parametrize("question", ["region", "accounts_center", "status_to_facebook"])
def test_not_knowing_one_answer_scores_at_least_the_answer(bundled_pack: Pack, question: str) -> None:
    known = run(bundled_pack, ELSEWHERE_LINKED).score.value
    assert run(bundled_pack, {**ELSEWHERE_LINKED, question: UNKNOWN}).score.value >= known


@pytest.mark.parametrize("name", sorted(PERSONAS))
def test_advice_covers_every_fixable_finding(bundled_pack: Pack, name: str) -> None:
    assert_advice_covers_fixable_findings(bundled_pack, run(bundled_pack, PERSONAS[name]))


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_advice_covers_every_fixable_finding_in_the_examples(bundled_pack: Pack, path: Path) -> None:
    assert_advice_covers_fixable_findings(
        bundled_pack, evaluate(bundled_pack, read_answers(bundled_pack, path))
    )


def test_linked_with_two_step_off_is_told_to_leave_and_to_turn_two_step_on(bundled_pack: Pack) -> None:
    a = run(bundled_pack, UK_LINKED_TWO_STEP_OFF)
    plan = [(r.question, r.to) for r in a.recommendations]
    assert ("accounts_center", "previously_linked") in plan
    assert ("two_step", "on") in plan  # no data flow, but a high finding
    assert plan[0] == ("accounts_center", "previously_linked")  # high, and the largest drop
    two_step = next(r for r in a.recommendations if r.question == "two_step")
    assert two_step.resolves == ("two_step_off",)
    assert two_step.score_after < a.score.value  # no data flow, yet a high finding carries points
    leave = a.recommendations[0]
    assert "accounts_center_linked" in leave.resolves
    assert leave.score_after < a.score.value


@pytest.mark.parametrize("name", ["elsewhere-linked", "uk-linked-two-step-off"])
def test_leaving_accounts_center_always_lowers_the_score(bundled_pack: Pack, name: str) -> None:
    values = PERSONAS[name]
    for extra in ({}, {"updates_tab": "often", "ad_chats": "yes", "status_to_facebook": "always"}):
        linked = run(bundled_pack, {**values, **extra, "accounts_center": "linked"}).score.value
        left = run(bundled_pack, {**values, **extra, "accounts_center": "previously_linked"}).score.value
        assert left < linked, extra


def test_a_fully_answered_report_has_no_gap(bundled_pack: Pack) -> None:
    for values in (EEA_NOTHING_LINKED, ELSEWHERE_LINKED, UK_LINKED_TWO_STEP_OFF):
        a = run(bundled_pack, values)
        assert a.unknowns == ()
        assert a.score.best_case == a.score.value


def test_all_unknown_has_a_large_gap_and_the_top_unknown_has_most_at_stake(bundled_pack: Pack) -> None:
    a = run(bundled_pack, {})
    assert a.score.best_case is not None
    assert a.score.value - a.score.best_case >= FIND_OUT_FIRST_GAP
    top = a.unknowns[0]
    assert top.at_stake == max(u.at_stake for u in a.unknowns) > 0
    # at_stake is what the least exposing answer to that one question removes.
    q = bundled_pack.question_by_id[top.question]
    assert top.at_stake == a.score.value - min(
        run(bundled_pack, {top.question: v}).score.value for v in q.value_ids
    )
    # The best case is a score real answers reach: the person could answer this way.
    assert a.score.best_case >= run(bundled_pack, EEA_NOTHING_LINKED).score.value - 10


# v3: three people read as themselves (examples/india-linked.yaml, eea-linked.yaml,
# brazil-payments.yaml): what each must be told, and what no one in their region may be told.
def example(pack: Pack, name: str) -> Assessment:
    return evaluate(pack, read_answers(pack, EXAMPLES / f"{name}.yaml"))


def test_india_linked_reads_as_india(bundled_pack: Pack) -> None:
    a = example(bundled_pack, "india-linked")
    ids = {f.id for f in a.findings}
    assert {"username_paused_india", "india_optout", "meta_ads_disputed", "meta_ai_ads"} <= ids
    assert "no_username" not in ids  # usernames are paused in India: nothing to blame the person for
    assert "object_ai_training" not in {r.id for r in a.rights}  # the objection form is the EU's
    assert a.unknowns == ()


def test_eea_linked_reads_as_europe(bundled_pack: Pack) -> None:
    a = example(bundled_pack, "eea-linked")
    ids = {f.id for f in a.findings}
    assert {"accounts_center_linked", "meta_ai_training", "username_key_off", "profile_links_shown"} <= ids
    # The 2016 override and Meta AI chats for ads are sourced outside Europe only.
    assert not {"optout_2016_overridden", "meta_ai_ads", "meta_ads_disputed"} & ids
    assert ("age", "whatsapp") in pairs(a)
    assert "object_ai_training" in {r.id for r in a.rights}
    assert a.unknowns == ()


def test_brazil_reads_as_brazil(bundled_pack: Pack) -> None:
    a = example(bundled_pack, "brazil-payments")
    ids = {f.id for f in a.findings}
    assert {"meta_ads_disputed", "brazil_anpd", "payments_brazil", "no_username", "two_step_off"} <= ids
    assert ("phone_number", "meta_companies") in pairs(a)  # the binding policy outside Europe (S1)
    assert ("phone_number", "meta_processor") in pairs(a)  # and the regulator's finding (F27)
    assert "brazil_lgpd_rights" in {r.id for r in a.rights}
    assert a.unknowns == ()

"""The v2 model (pack 2026.12), rule by rule.

Region-correct citations, conditional protections, rights, the F1 ads dispute, Strict account
settings, and carrying v1 users over.

Each rule is checked on both sides of its condition, as the person would meet it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from audit.app.cli import main
from audit.collect.agenda import unanswered
from audit.collect.answers_file import read_answers
from audit.errors import AnswersError
from audit.evaluate.engine import evaluate
from audit.evaluate.scoring import effective_answers
from audit.model.answers import Answers
from audit.model.assessment import Assessment, ProtectionOut
from audit.model.conditions import UNKNOWN
from audit.model.pack import Pack
from tests.test_flows_table import QUIET

V2_QUESTIONS = (
    "strict_account",
    "link_previews",
    "third_party_chats",
    "advanced_chat_privacy",
    "location_sharing",
)
# The answers the EEA example held before v2 (examples/eea-nothing-linked.yaml, pack 2026.11).
V1_ANSWERS = {q: v for q, v in QUIET.items() if q not in V2_QUESTIONS}


def run(pack: Pack, **changes: str) -> Assessment:
    return evaluate(pack, Answers(pack="whatsapp", values={**QUIET, **changes}))


def protection(a: Assessment, pid: str) -> ProtectionOut:
    return next(p for p in a.protections if p.id == pid)


def cited(a: Assessment, finding: str) -> set[str]:
    return {s.id for f in a.findings if f.id == finding for s in f.sources}


# --- citations follow the person's region ----------------------------------------------------
@pytest.mark.parametrize(
    ("region", "policy", "others"),
    [("eea", "S2", {"S1", "S3"}), ("uk", "S3", {"S1", "S2"}), ("other", "S1", {"S2", "S3"})],
)
def test_findings_cite_the_policy_of_the_region(
    bundled_pack: Pack, region: str, policy: str, others: set[str]
) -> None:
    a = run(bundled_pack, region=region, profile_photo="everyone", chat_backup="on_not_e2ee")
    for finding in ("public_profile_photo", "unencrypted_backup"):
        assert policy in cited(a, finding), finding
        assert not cited(a, finding) & others, finding
    assert policy in {s.id for s in protection(a, "e2ee_messages").sources}


def test_an_unknown_region_shows_every_candidate_policy(bundled_pack: Pack) -> None:
    a = run(bundled_pack, region=UNKNOWN, profile_photo="everyone")
    assert {"S1", "S2", "S3"} <= cited(a, "public_profile_photo")


def test_europe_and_the_uk_never_say_only(bundled_pack: Pack) -> None:
    for region in ("eea", "uk"):
        a = run(bundled_pack, region=region)
        f = next(f for f in a.findings if f.id == "meta_service_provider")
        assert "only" not in f.title.lower().split()
        assert "optional features" in f.detail


# --- F1: ads disputed ------------------------------------------------------------------------
def test_f1_ads_finding_shows_both_sides_and_the_binding_text(bundled_pack: Pack) -> None:
    a = run(bundled_pack, region="india")
    f = next(f for f in a.findings if f.id == "meta_ads_disputed")
    assert f.certainty == "disputed"
    assert f.dispute is not None
    assert f.dispute.binding == "S1"
    assert [s.id for s in f.dispute.says] == ["S1", "S17"]
    assert [s.id for s in f.dispute.denies] == ["S4"]
    assert all(s.quote for s in (*f.dispute.says, *f.dispute.denies))
    assert "meta_ads_disputed" not in {f.id for f in run(bundled_pack, region="eea").findings}
    # v3: Brazil is under the binding policy for users outside Europe too (SOURCES_V3 U9).
    assert "meta_ads_disputed" in {f.id for f in run(bundled_pack, region="brazil").findings}


def test_disputed_counts_like_reported(bundled_pack: Pack) -> None:
    weights = bundled_pack.vocabulary.certainty_weights
    assert weights["disputed"] == weights["reported"] <= weights["possible"]


# --- protections hold where their sources say ------------------------------------------------
def test_e2ee_holds_fully_for_a_quiet_person_and_partly_with_meta_ai(bundled_pack: Pack) -> None:
    quiet = protection(run(bundled_pack), "e2ee_messages")
    assert quiet.holds == "yes"
    assert quiet.except_ == ()
    ai = protection(run(bundled_pack, meta_ai="often"), "e2ee_messages")
    assert ai.holds == "partly"
    assert [e.certainty for e in ai.except_] == ["documented"]
    assert "Meta AI" in ai.except_[0].text
    unsure = protection(run(bundled_pack, meta_ai=UNKNOWN), "e2ee_messages")
    assert unsure.holds == "partly"
    assert unsure.except_[0].certainty == "possible"
    assert unsure.except_[0].text.startswith("If you use Meta AI")


@pytest.mark.parametrize(
    ("changes", "exceptions"),
    [
        ({}, 0),
        ({"business_chats": "yes"}, 1),
        ({"region": "other", "meta_ai": "often", "accounts_center": "linked"}, 1),  # F21
        ({"region": "eea", "meta_ai": "often", "accounts_center": "linked"}, 0),  # no F21 in Europe
    ],
)
def test_messages_not_used_for_ads_holds_partly_where_f21_or_f22_apply(
    bundled_pack: Pack, changes: dict[str, str], exceptions: int
) -> None:
    p = protection(run(bundled_pack, **changes), "messages_not_used_for_ads")
    assert len(p.except_) == exceptions
    assert p.holds == ("partly" if exceptions else "yes")


def test_number_not_given_to_advertisers_says_meta_may_still_use_it(bundled_pack: Pack) -> None:
    assert protection(run(bundled_pack, region="eea"), "number_not_given_to_advertisers").holds == "yes"
    other = protection(run(bundled_pack, region="other"), "number_not_given_to_advertisers")
    assert other.holds == "partly"
    assert "disputed" in other.except_[0].text
    linked = protection(
        run(bundled_pack, region="eea", accounts_center="linked"), "number_not_given_to_advertisers"
    )
    assert linked.holds == "partly"


def test_updates_tab_deidentification_is_never_stated_when_linked(bundled_pack: Pack) -> None:
    ids = {p.id for p in run(bundled_pack, updates_tab="often", accounts_center="linked").protections}
    assert "updates_ads_deidentified" not in ids
    never = protection(run(bundled_pack, updates_tab="often"), "updates_ads_deidentified")
    assert never.holds == "yes"
    unsure = protection(
        run(bundled_pack, updates_tab="often", accounts_center=UNKNOWN), "updates_ads_deidentified"
    )
    assert unsure.holds == "partly"
    assert unsure.except_[0].certainty == "possible"
    for f in run(bundled_pack, updates_tab="often", accounts_center="linked").findings:
        assert "removed or altered" not in f.detail, f.id


# --- rights ----------------------------------------------------------------------------------
def test_rights_where_the_person_lives(bundled_pack: Pack) -> None:
    eea = {r.id: r for r in run(bundled_pack, region="eea").rights}
    assert set(eea) == {"object_legitimate_interests", "request_account_info", "object_ai_training"}
    assert [s.id for s in eea["object_legitimate_interests"].sources] == ["S2"]
    india = {r.id: r for r in run(bundled_pack, region="india").rights}
    assert set(india) == {"request_account_info"}
    assert [s.id for s in india["request_account_info"].sources] == ["S1"]
    # Brazil: the LGPD's own article, quoted from the statute.
    brazil = {r.id: r for r in run(bundled_pack, region="brazil").rights}
    assert set(brazil) == {"request_account_info", "brazil_lgpd_rights"}
    assert {s.id for s in brazil["brazil_lgpd_rights"].sources} == {"S40"}


# --- each purpose of a flow is as sure as the rule that gives it -----------------------------
def purposes_of(a: Assessment, data: str, recipient: str) -> dict[str, tuple[str, tuple[str, ...], set[str]]]:
    flow = next(f for f in a.flows if (f.data, f.recipient) == (data, recipient))
    assert [x.purpose for x in flow.by_purpose] == list(flow.purposes)
    return {x.purpose: (x.certainty, x.rules, {s.id for s in x.sources}) for x in flow.by_purpose}


def test_a_purpose_from_a_reported_rule_stays_reported_in_a_documented_flow(bundled_pack: Pack) -> None:
    linked = run(bundled_pack, region="other", meta_ai="often", accounts_center="linked")
    flow = next(f for f in linked.flows if (f.data, f.recipient) == ("ai_prompts", "meta_companies"))
    assert flow.certainty == "documented"  # F12: Meta AI chats go to Meta (the flow's surest rule)
    purposes = purposes_of(linked, "ai_prompts", "meta_companies")
    assert purposes["ai_features"][:2] == ("documented", ("F12",))
    # F21 (press only): used for ads across Meta's apps.
    assert purposes["ads"] == ("reported", ("F21",), {"S30", "S31"})
    assert purposes["personalization"][0] == "reported"
    # The other side: not linked, F21 does not apply: the flow is for AI features only, documented.
    unlinked = purposes_of(run(bundled_pack, region="other", meta_ai="often"), "ai_prompts", "meta_companies")
    # (v3: F30, training Meta's AI, reported, applies whether linked or not.)
    assert unlinked == {
        "ai_features": ("documented", ("F12",), {"S4"}),
        "ai_training": ("reported", ("F30",), {"S50"}),
    }


def test_a_purpose_is_as_sure_as_the_surest_rule_giving_it(bundled_pack: Pack) -> None:
    # Phone number to Meta for ads: only F1ads, disputed.
    a = run(bundled_pack, region="other")
    assert purposes_of(a, "phone_number", "meta_companies")["ads"][:2] == ("disputed", ("F1ads",))
    assert purposes_of(a, "phone_number", "meta_companies")["analytics"][0] == "documented"
    # Device information for ads: disputed by F1ads, documented by F6 (Status shared to Facebook).
    shared = run(bundled_pack, region="other", status_to_facebook="always")
    assert purposes_of(shared, "device_info", "meta_companies")["ads"][:2] == ("documented", ("F1ads", "F6"))
    # A purpose that rests on "I don't know" is possible.
    unsure = run(bundled_pack, region="other", meta_ai="often", accounts_center=UNKNOWN)
    assert purposes_of(unsure, "ai_prompts", "meta_companies")["ads"][0] == "possible"


def test_a_purpose_cites_the_policy_of_the_region(bundled_pack: Pack) -> None:
    eea = purposes_of(run(bundled_pack, region="eea", meta_ai="often"), "ai_prompts", "meta_companies")
    assert eea["ai_features"][2] == {"S2"}
    uk = purposes_of(run(bundled_pack, region="uk", meta_ai="often"), "ai_prompts", "meta_companies")
    assert uk["ai_features"][2] == {"S3"}


# --- Strict account settings -----------------------------------------------------------------
IMPLIED = {
    "two_step": "on",
    "last_seen": "contacts",
    "profile_photo": "contacts",
    "about": "contacts",
    "groups_add": "contacts",
    "silence_unknown_callers": "on",
    "link_previews": "off",
}


def test_strict_account_sets_the_answers_it_implies(bundled_pack: Pack) -> None:
    loose = {"platform": "android", "region": "eea", "strict_account": "on"}
    eff = effective_answers(bundled_pack, loose)
    for q, v in IMPLIED.items():
        assert eff[q] == v, q
    # An answer the setting allows is kept (Nobody is stricter than contacts).
    assert effective_answers(bundled_pack, {**loose, "last_seen": "nobody"})["last_seen"] == "nobody"
    off = effective_answers(bundled_pack, {**loose, "strict_account": "off"})
    assert all(off[q] == UNKNOWN for q in IMPLIED)


def test_strict_account_questions_are_not_asked(bundled_pack: Pack) -> None:
    base = {"platform": "android", "region": "eea"}
    on = set(unanswered(bundled_pack, {**base, "strict_account": "on"}))
    off = set(unanswered(bundled_pack, {**base, "strict_account": "off"}))
    assert not on & set(IMPLIED)
    assert set(IMPLIED) <= off


def test_strict_account_lowers_exposure_of_what_it_implies(bundled_pack: Pack) -> None:
    unsure = dict.fromkeys(IMPLIED, UNKNOWN)
    on = run(bundled_pack, strict_account="on", **unsure)
    off = run(bundled_pack, strict_account="off", **unsure)
    assert on.score.value < off.score.value
    assert "strict_account_on" in {f.id for f in on.findings}
    assert "two_step_off" not in {f.id for f in on.findings}


def write_answers(path: Path, answers: dict[str, str]) -> Path:
    path.write_text(yaml.safe_dump({"schema_version": 1, "pack": "whatsapp", "answers": answers}))
    return path


def test_an_answers_file_contradicting_strict_account_is_refused_in_one_line(
    bundled_pack: Pack, tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_answers(
        tmp_path / "a.yaml", {"platform": "android", "strict_account": "on", "two_step": "off"}
    )
    with pytest.raises(AnswersError, match=r"answers\.two_step: 'off' contradicts strict_account: on"):
        read_answers(bundled_pack, path)
    assert main(["report", "--answers", str(path), "--format", "json"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith(f"wa-audit: {path}:")


# --- v1 users carried over -------------------------------------------------------------------
def test_a_v1_answers_file_still_works_and_the_new_questions_are_unknown(
    bundled_pack: Pack, tmp_path: Path
) -> None:
    answers = read_answers(bundled_pack, write_answers(tmp_path / "v1.yaml", V1_ANSWERS))
    a = evaluate(bundled_pack, answers)
    unknown = {u.question for u in a.unknowns}
    assert set(V2_QUESTIONS) <= unknown  # EEA: third-party chats is asked
    assert {"meta_ai_reads_others", "link_previews_ip"} <= {
        f.id for f in a.findings if f.certainty == "possible"
    }


def test_the_next_interview_keeps_saved_answers_and_offers_only_the_new_questions(bundled_pack: Pack) -> None:
    assert set(unanswered(bundled_pack, V1_ANSWERS)) == set(V2_QUESTIONS)
    outside = {**V1_ANSWERS, "region": "india", "payments": "none"}
    # Not third-party chats (European only), nor the location question: no answer to it changes
    # anything outside Europe and the UK.
    not_offered = {"third_party_chats", "location_sharing"}
    assert set(unanswered(bundled_pack, outside)) == set(V2_QUESTIONS) - not_offered


def test_a_v2_question_with_a_value_the_pack_lacks_gets_one_line(
    tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_answers(tmp_path / "bad.yaml", {"platform": "android", "link_previews": "sometimes"})
    assert main(["report", "--answers", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "'sometimes' is not an answer to 'link_previews'" in err[0]
    assert "use one of: on, off, unknown" in err[0]


def test_set_turning_strict_account_on_drops_the_answers_it_now_decides(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["set", "platform=android", "region=eea", "two_step=off", "last_seen=everyone"]) == 0
    assert main(["set", "strict_account=on"]) == 0
    saved = yaml.safe_load((home / "answers.yaml").read_text())["answers"]
    assert saved == {"platform": "android", "region": "eea", "strict_account": "on"}
    capsys.readouterr()
    # The saved file stays readable, and a change the setting contradicts is refused in one line.
    assert main(["set", "two_step=off"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "two_step: 'off' contradicts strict_account: on" in err[0]
    assert yaml.safe_load((home / "answers.yaml").read_text())["answers"] == saved
    assert main(["set", "strict_account=off", "two_step=off"]) == 0


def test_the_v1_to_v2_model_update_asks_exactly_the_new_questions(bundled_pack: Pack) -> None:
    from audit.app import runs

    v1_questions = [q.id for q in bundled_pack.questions if q.id not in V2_QUESTIONS]
    asked = runs.questions_to_ask_after_update(bundled_pack, V1_ANSWERS, v1_questions)
    assert asked == tuple(q.id for q in bundled_pack.questions if q.id in V2_QUESTIONS)
    # Outside the European Region third-party chats are not asked.
    india = {**V1_ANSWERS, "region": "india", "payments": "none"}
    asked_in_india = runs.questions_to_ask_after_update(bundled_pack, india, v1_questions)
    assert "third_party_chats" not in asked_in_india

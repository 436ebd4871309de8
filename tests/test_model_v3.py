"""The v3 model (pack 2026.12.1): every correction of SOURCES_V3 section 1, and the 2026 additions.

The first table holds one row per WRONG, UNSUPPORTED or STALE item: a person (answers) and what the
report must, or must not, say to that person. Each row fails on the v2 text it corrects. Then the new
questions, findings and rights, by region, and carrying v2 answer files over.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from audit.app.cli import main
from audit.collect.agenda import unanswered
from audit.collect.answers_file import read_answers
from audit.evaluate.engine import evaluate
from audit.model.answers import Answers
from audit.model.assessment import Assessment, FindingOut
from audit.model.conditions import UNKNOWN
from audit.model.pack import Pack
from tests.test_flows_table import QUIET

V3_QUESTIONS = ("username_key", "profile_links", "message_summaries")


def run(pack: Pack, **changes: str) -> Assessment:
    return evaluate(pack, Answers(pack="whatsapp", values={**QUIET, **changes}))


def finding(a: Assessment, fid: str) -> FindingOut:
    found = [f for f in a.findings if f.id == fid]
    assert found, f"{fid} does not fire"
    return found[0]


def fired(a: Assessment) -> set[str]:
    return {f.id for f in a.findings}


def quotes(a: Assessment, fid: str) -> list[str]:
    return [s.quote or "" for s in finding(a, fid).sources]


def steps(f: FindingOut) -> str:
    """The fix's steps for the person's platform, as one text."""
    return " ".join(f.fix.steps) if f.fix else ""


def help_of(pack: Pack, qid: str) -> str:
    return " ".join(pack.question_by_id[qid].help.split())


# --- SOURCES_V3 section 1, one row per item ------------------------------------------------------
@dataclass(frozen=True)
class Correction:
    item: str
    answers: dict[str, str]
    check: Callable[[Pack, Assessment], None]


def _w1(pack: Pack, a: Assessment) -> None:
    text = help_of(pack, "updates_tab")
    assert "Since June 2025 the Updates tab carries ads" not in text
    assert "announced ads in the Updates tab in June 2025" in text
    assert "only from 25 February 2026" in text  # said to the person, whatever the region
    assert "from 25 February 2026" in finding(a, "updates_tab_ads").detail


def _w2_s5(pack: Pack, a: Assessment) -> None:
    detail = finding(a, "india_optout").detail
    assert "ban on WhatsApp sharing user data with Meta (paragraph" not in detail
    assert "five-year ban on sharing WhatsApp user data with Meta for advertising" in detail
    assert "3 February 2026" in detail  # the Supreme Court, after the 16 March undertaking's hearing
    assert "no press report" in detail
    assert "5-year ban on WhatsApp sharing user data with Meta group companies for advertising purposes" in (
        quotes(a, "india_optout")
    )
    assert "no switch in WhatsApp" not in finding(a, "meta_account_sharing").risk


def _w3(pack: Pack, a: Assessment) -> None:
    cited = {s.id for s in finding(a, "payments_brazil").sources}
    assert cited == {"S41"}
    assert str(pack.source_by_id["S41"].date) == "2021-05-01"
    assert "Payments" not in pack.source_by_id["S1"].title


def _u1_u2(region: str) -> Callable[[Pack, Assessment], None]:
    def check(pack: Pack, a: Assessment) -> None:
        linked = finding(a, "accounts_center_linked")
        assert {s.id for s in linked.sources} == {"S4", "S7"}, region
        assert not any("Accounts Centre with other Meta Company products" in q for q in quotes(a, linked.id))
        assert "page for users outside Europe says combining stops within 7 days" in steps(linked)
        f3 = next(r for r in pack.rules if r.id == "F3")
        assert not any("Accounts Centre" in (c.quote or "") for c in f3.sources)

    return check


def _u3_europe(pack: Pack, a: Assessment) -> None:
    assert "optout_2016_overridden" not in fired(a)


def _u3_elsewhere(pack: Pack, a: Assessment) -> None:
    assert "optout_2016_overridden" in fired(a)


def _u4(pack: Pack, a: Assessment) -> None:
    detail = finding(a, "updates_tab_ads").detail
    assert "WhatsApp says your personal messages, calls and statuses are not used for ads" in detail
    assert "with the exceptions this report lists among what stays protected" in detail


def _u5(pack: Pack, a: Assessment) -> None:
    text = help_of(pack, "username")
    assert "can reach you without seeing it" not in text
    for said in ("29 June 2026", "later in 2026", "keep seeing it", "India", "Accounts Center"):
        assert said in text, said


def _u6_s4(pack: Pack, a: Assessment) -> None:
    f = finding(a, "no_username")
    assert f.certainty == "reported"
    assert "later in 2026" in f.detail
    assert not any("There is no way to hide your phone number" in q for q in quotes(a, "no_username"))


def _u7(pack: Pack, a: Assessment) -> None:
    assert "does not share that list with Meta companies for their own use" in help_of(
        pack, "contacts_permission"
    )


FRAGMENT = "Please note that when you use third-party services or other"


def _u8(pack: Pack, a: Assessment) -> None:
    assert FRAGMENT not in quotes(a, "third_party_chats")
    e2ee = next(p for p in a.protections if p.id == "e2ee_messages")
    other_apps = next(e for e in e2ee.except_ if "other messaging apps" in e.text)
    assert [s.quote for s in other_apps.sources] == [
        "their own terms and privacy policies will govern your use of those services and products."
    ]


def _u9(pack: Pack, a: Assessment) -> None:
    assert "meta_ads_disputed" in fired(a)
    protection = next(p for p in a.protections if p.id == "number_not_given_to_advertisers")
    assert protection.holds == "partly"
    assert any("disputed" in e.text for e in protection.except_)


def _u10_u12(pack: Pack, a: Assessment) -> None:
    f = finding(a, "brazil_anpd")
    assert "independent audit" in f.title
    assert "independent audit" in f.detail
    assert "compliance plan" in f.detail
    assert not any("circunscrever" in q for q in quotes(a, "brazil_anpd"))
    assert "S42" in {s.id for s in f.sources}
    f27 = next(r for r in pack.rules if r.id == "F27")
    assert [c.id for c in f27.sources] == ["S42", "S42"]


def _s1_s2(pack: Pack, a: Assessment) -> None:
    assert "account password" in pack.question_by_id["two_step"].prompt
    f = finding(a, "two_step_off")
    assert "account password" in f.detail
    assert "passkey" in steps(f)
    assert "account password" in steps(f)


TWO_STEP_POLICY = (
    "You can also add authentication identifiers, such as a password or an email address, "
    "to enable two-step verification."
)


def _s1_s2_cites_the_policy(pack: Pack, a: Assessment) -> None:
    assert TWO_STEP_POLICY in quotes(a, "two_step_off")


def _s3(pack: Pack, a: Assessment) -> None:
    f = finding(a, "contact_upload")
    assert "scroll to WhatsApp" not in steps(f)
    assert "Settings app > Apps > WhatsApp" in steps(f)
    assert "Limited Access" in steps(f)


def _meta_processor(pack: Pack, a: Assessment) -> None:
    assert "only" not in pack.vocabulary.recipients[1].description.split()
    assert pack.vocabulary.recipients[1].id == "meta_processor"


LINKED_OPTED_OUT = {"accounts_center": "linked", "optout_2016": "opted_out"}
CORRECTIONS = [
    Correction("W1", {"region": "eea", "updates_tab": "often"}, _w1),
    Correction("W2,S5", {"region": "india"}, _w2_s5),
    Correction("W3", {"region": "brazil", "payments": "brazil"}, _w3),
    Correction("U1-U2 eea", {"region": "eea", "accounts_center": "linked"}, _u1_u2("eea")),
    Correction("U1-U2 uk", {"region": "uk", "accounts_center": "linked"}, _u1_u2("uk")),
    Correction("U3 eea", {"region": "eea", **LINKED_OPTED_OUT}, _u3_europe),
    Correction("U3 uk", {"region": "uk", **LINKED_OPTED_OUT}, _u3_europe),
    Correction("U3 other", {"region": "other", **LINKED_OPTED_OUT}, _u3_elsewhere),
    Correction("U3 brazil", {"region": "brazil", **LINKED_OPTED_OUT}, _u3_elsewhere),
    Correction("U4", {"region": "other", "updates_tab": "often", "meta_ai": "often"}, _u4),
    Correction("U5", {}, _u5),
    Correction("U6,S4 other", {"region": "other", "username": "not_set"}, _u6_s4),
    Correction("U6,S4 eea", {"region": "eea", "username": "not_set"}, _u6_s4),
    Correction("U7", {}, _u7),
    Correction("U8", {"third_party_chats": "yes"}, _u8),
    Correction("U9", {"region": "brazil"}, _u9),
    Correction("U10-U12", {"region": "brazil"}, _u10_u12),
    Correction("S1-S2", {"two_step": "off"}, _s1_s2),
    Correction("S1-S2 uk", {"region": "uk", "two_step": "off"}, _s1_s2_cites_the_policy),
    Correction("S3", {"platform": "iphone", "contacts_permission": "allowed"}, _s3),
    Correction("meta_processor", {}, _meta_processor),
]


@pytest.mark.parametrize("row", CORRECTIONS, ids=lambda c: c.item)
def test_each_correction_reads_right_for_its_person(bundled_pack: Pack, row: Correction) -> None:
    row.check(bundled_pack, run(bundled_pack, **row.answers))


def test_no_citation_anywhere_quotes_the_superseded_or_fragment_text(bundled_pack: Pack) -> None:
    cites = [
        c
        for item in (*bundled_pack.rules, *bundled_pack.findings, *bundled_pack.protections)
        for c in item.sources
    ]
    cites += [c for p in bundled_pack.protections for e in p.except_ for c in e.sources]
    for c in cites:
        assert c.quote != FRAGMENT
        assert "There is no way to hide your phone number" not in (c.quote or "")
        assert "circunscrever" not in (c.quote or "")


# --- usernames, by region --------------------------------------------------------------------
@pytest.mark.parametrize("region", ["eea", "uk", "other", "india", "brazil"])
def test_username_is_asked_in_every_region(bundled_pack: Pack, region: str) -> None:
    assert "username" in unanswered(bundled_pack, {"platform": "android", "region": region})


@pytest.mark.parametrize(
    ("region", "fires"), [("eea", True), ("other", True), ("brazil", True), ("india", True)]
)
def test_no_username_fires_wherever_the_option_is_there(bundled_pack: Pack, region: str, fires: bool) -> None:
    assert ("no_username" in fired(run(bundled_pack, region=region, username="not_set"))) is fires


def test_india_with_usernames_paused_is_told_why_and_not_blamed(bundled_pack: Pack) -> None:
    a = run(bundled_pack, region="india", username="not_available")
    assert "no_username" not in fired(a)
    paused = finding(a, "username_paused_india")
    assert paused.severity == "info"
    assert paused.certainty == "reported"
    assert {s.id for s in paused.sources} == {"S45"}
    # Elsewhere "not available" is just not there yet: no India finding.
    assert "username_paused_india" not in fired(run(bundled_pack, region="other", username="not_available"))
    assert "username_paused_india" not in fired(run(bundled_pack, region="india", username="set"))


def test_the_username_key_is_asked_only_with_a_username_and_its_fix_turns_it_on(bundled_pack: Pack) -> None:
    base = {"platform": "android", "region": "other"}
    assert "username_key" in unanswered(bundled_pack, {**base, "username": "set"})
    assert "username_key" not in unanswered(bundled_pack, {**base, "username": "not_set"})
    f = finding(run(bundled_pack, username="set", username_key="off"), "username_key_off")
    assert f.severity == "low"
    assert f.fix is not None
    assert (f.fix.question, f.fix.to) == ("username_key", "on")
    assert "username_key_off" not in fired(run(bundled_pack, username="set", username_key="on"))


# --- the other v3 questions ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("region", "asked"),
    [("other", True), ("eea", False), ("uk", False), ("india", False), ("brazil", False), (UNKNOWN, True)],
)
def test_message_summaries_is_asked_where_it_is_offered(bundled_pack: Pack, region: str, asked: bool) -> None:
    assert (
        "message_summaries" in unanswered(bundled_pack, {"platform": "android", "region": region})
    ) is asked


def test_limited_contact_access_is_offered_on_iphones_only(bundled_pack: Pack) -> None:
    limited = bundled_pack.question_by_id["contacts_permission"].value("limited")
    assert limited is not None
    assert limited.when is not None
    assert "iOS 18" in limited.label
    # Limited access is not the whole address book: no upload finding, and it is a step of the fix.
    assert "contact_upload" not in fired(run(bundled_pack, platform="iphone", contacts_permission="limited"))


@pytest.mark.parametrize(
    ("answers", "fid", "expected"),
    [
        (
            {"region": "other", "message_summaries": "on"},
            "message_summaries_on",
            ("low", "documented", ("message_summaries", "off")),
        ),
        ({"profile_links": "yes"}, "profile_links_shown", ("low", "reported", ("profile_links", "no"))),
        ({"business_chats": "yes"}, "business_ai_agent", ("medium", "reported", ("business_chats", "no"))),
        ({"meta_ai": "sometimes"}, "meta_ai_training", ("medium", "reported", ("meta_ai", "never"))),
    ],
)
def test_each_new_finding_fires_with_its_fix(
    bundled_pack: Pack,
    answers: dict[str, str],
    fid: str,
    expected: tuple[str, str, tuple[str, str]],
) -> None:
    severity, certainty, fix = expected
    f = finding(run(bundled_pack, **answers), fid)
    assert (f.severity, f.certainty) == (severity, certainty)
    assert f.fix is not None
    assert (f.fix.question, f.fix.to) == fix
    # Press-only findings never read as WhatsApp's word.
    if certainty == "reported":
        assert not f.detail.startswith("WhatsApp says")
        assert all(bundled_pack.source_by_id[s.id].kind == "press" for s in f.sources)


def test_the_ai_agent_finding_is_conditional_on_the_business(bundled_pack: Pack) -> None:
    f = finding(run(bundled_pack, business_chats="yes"), "business_ai_agent")
    assert f.title.startswith("If a business you chat with uses Meta's AI agent")


def test_ai_training_is_its_own_purpose_and_reported(bundled_pack: Pack) -> None:
    a = run(bundled_pack, region="other", meta_ai="often")
    flow = next(f for f in a.flows if (f.data, f.recipient) == ("ai_prompts", "meta_companies"))
    by = {x.purpose: x for x in flow.by_purpose}
    assert by["ai_training"].certainty == "reported"
    assert by["ai_training"].rules == ("F30",)
    assert by["ai_features"].certainty == "documented"
    # Reuters' EU report is cited to the European person only; the spokesperson everywhere.
    assert {s.id for s in by["ai_training"].sources} == {"S50"}
    eea = run(bundled_pack, region="eea", meta_ai="often")
    eea_flow = next(f for f in eea.flows if (f.data, f.recipient) == ("ai_prompts", "meta_companies"))
    assert {s.id for x in eea_flow.by_purpose if x.purpose == "ai_training" for s in x.sources} == {
        "S49",
        "S50",
    }


@pytest.mark.parametrize(
    ("region", "has"), [("eea", True), ("uk", False), ("other", False), ("brazil", False)]
)
def test_the_right_to_object_to_ai_training_where_it_is_reported(
    bundled_pack: Pack, region: str, has: bool
) -> None:
    rights = {r.id for r in run(bundled_pack, region=region).rights}
    assert ("object_ai_training" in rights) is has


def test_age_is_collected_when_linking_in_europe_and_the_uk_only(bundled_pack: Pack) -> None:
    for region, fires in (("eea", True), ("uk", True), ("other", False), ("india", False)):
        a = run(bundled_pack, region=region, accounts_center="linked")
        assert (("age", "whatsapp") in {(f.data, f.recipient) for f in a.flows}) is fires, region


# --- the "missing" items a person acts on ----------------------------------------------------
def test_past_group_participants_see_the_number_for_60_days(bundled_pack: Pack) -> None:
    f = finding(run(bundled_pack, groups_add="everyone"), "groups_add_everyone")
    assert "up to 60 days after you leave" in f.detail
    assert any(
        "past participants list of the group for up to 60 days" in q
        for q in quotes(run(bundled_pack, groups_add="everyone"), f.id)
    )


def test_the_country_code_is_an_ad_signal_beside_the_advertisers_promise(bundled_pack: Pack) -> None:
    quiet = next(p for p in run(bundled_pack).protections if p.id == "number_not_given_to_advertisers")
    assert quiet.holds == "yes"
    updates = run(bundled_pack, updates_tab="often")
    p = next(p for p in updates.protections if p.id == "number_not_given_to_advertisers")
    assert p.holds == "partly"
    assert any("country code" in e.text and "area codes" in e.text for e in p.except_)


def test_passkeys_protect_the_backup_in_the_fix(bundled_pack: Pack) -> None:
    for platform in ("android", "iphone"):
        f = finding(run(bundled_pack, platform=platform, chat_backup="on_not_e2ee"), "unencrypted_backup")
        assert "passkey" in steps(f), platform
        assert "S53" in {s.id for s in f.sources}


# --- v2 answer files carried over -----------------------------------------------------------
V2_ANSWERS = {q: v for q, v in QUIET.items() if q not in V3_QUESTIONS}


def write_answers(path: Path, answers: dict[str, str]) -> Path:
    path.write_text(yaml.safe_dump({"schema_version": 1, "pack": "whatsapp", "answers": answers}))
    return path


def test_a_v2_answers_file_loads_and_the_new_questions_are_unknown(
    bundled_pack: Pack, tmp_path: Path
) -> None:
    a = evaluate(bundled_pack, read_answers(bundled_pack, write_answers(tmp_path / "v2.yaml", V2_ANSWERS)))
    assert {u.question for u in a.unknowns} == {"username_key", "profile_links"}  # EEA: no summaries
    assert set(unanswered(bundled_pack, V2_ANSWERS)) == {"username_key", "profile_links"}
    elsewhere = {**V2_ANSWERS, "region": "other"}
    assert set(unanswered(bundled_pack, elsewhere)) == set(V3_QUESTIONS)


def test_an_answer_the_value_set_lacks_is_refused_in_one_line_naming_the_question(
    tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_answers(tmp_path / "old.yaml", {**V2_ANSWERS, "contacts_permission": "partial"})
    assert main(["report", "--answers", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "'partial' is not an answer to 'contacts_permission'" in err[0]

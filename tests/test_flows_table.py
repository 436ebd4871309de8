"""The table of SHARING_MODEL.md section 5, row by row, written here from the model document.

For each F-row (F5 is a finding, not a flow): answers that trigger it yield the row's flows, from a
rule of that row (F15 is split in the pack as F15a, F15b), with the listed certainty; answers that
do not trigger it yield no flow from that row. The table is copied from the document on purpose,
not read from the pack: the pack is what is being checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest

from audit.evaluate.engine import evaluate
from audit.model.answers import Answers
from audit.model.assessment import Assessment
from audit.model.conditions import UNKNOWN
from audit.model.pack import Pack

# A quiet person: nothing optional is on. Each row changes what its "when" column names.
QUIET = {
    "platform": "android",
    "region": "eea",
    "accounts_center": "never_linked",
    "status_to_facebook": "never",
    "optout_2016": "joined_later",
    "updates_tab": "never",
    "ad_chats": "no",
    "business_chats": "no",
    "meta_ai": "never",
    "chat_backup": "off",
    "contacts_permission": "denied",
    "last_seen": "nobody",
    "profile_photo": "contacts",
    "about": "contacts",
    "groups_add": "contacts",
    "status_audience": "contacts",
    "read_receipts": "off",
    "silence_unknown_callers": "on",
    "protect_ip_calls": "on",
    "username": "set",
    "two_step": "on",
    # v2 questions, answered the quiet way.
    "strict_account": "off",
    "link_previews": "off",
    "third_party_chats": "no",
    "advanced_chat_privacy": "all_groups",
    "location_sharing": "no",
    # v3 questions (message summaries is not asked in the EEA).
    "username_key": "on",
    "profile_links": "no",
}
META = "meta_companies"


@dataclass(frozen=True)
class Row:
    row: str
    trigger: dict[str, str]
    not_trigger: dict[str, str] | None  # None: the row applies always
    sends: tuple[tuple[str, str], ...]
    certainty: str
    never: tuple[str, ...] = field(default=())  # data the row's rules must not send anywhere


def pairs(data: list[str], recipients: list[str]) -> tuple[tuple[str, str], ...]:
    """Every listed data category to every listed recipient (the table's "a, b -> x, y")."""
    return tuple((d, r) for d in data for r in recipients)


TABLE = [
    Row(
        "F1",
        {"region": "other"},
        {"region": "eea"},
        pairs(["phone_number", "device_info", "ip_address", "usage_data"], [META]),
        "documented",
    ),
    Row("F1", {"region": "india"}, {"region": "uk"}, pairs(["phone_number"], [META]), "documented"),
    Row("F1", {"region": "india"}, {"region": "eea"}, pairs(["device_info"], [META]), "documented"),
    # v3: Brazil is under the binding policy for users outside Europe (SOURCES_V3 U9).
    Row("F1", {"region": "brazil"}, {"region": "uk"}, pairs(["usage_data"], [META]), "documented"),
    Row(
        "F2",
        {"region": "eea"},
        {"region": "other"},
        pairs(["phone_number", "device_info", "usage_data"], ["meta_processor"]),
        "documented",
    ),
    Row(
        "F2", {"region": "uk"}, {"region": "india"}, pairs(["phone_number"], ["meta_processor"]), "documented"
    ),
    Row(
        "F3",
        {"accounts_center": "linked"},
        {"accounts_center": "never_linked"},
        pairs(["cross_app_profile"], [META]),
        "documented",
    ),
    Row(
        "F4",
        {"accounts_center": "previously_linked", "region": "other"},
        # S4 is the page for users outside Europe and the UK: the EEA policy says nothing of it.
        {"accounts_center": "previously_linked", "region": "eea"},
        pairs(["cross_app_profile"], [META]),
        "documented",
    ),
    Row(
        "F6",
        {"status_to_facebook": "selected"},
        {"status_to_facebook": "never"},
        (
            *pairs(["status_content"], ["facebook_audience"]),
            *pairs(["status_content", "device_info", "ip_address"], [META]),
        ),
        "documented",
        never=("phone_number", "contact_list", "message_content"),
    ),
    Row(
        "F6",
        {"status_to_facebook": "always"},
        None,
        pairs(["status_content"], ["facebook_audience"]),
        "documented",
    ),
    Row(
        "F7",
        {"accounts_center": "linked", "status_to_instagram": "always"},
        {"accounts_center": "linked", "status_to_instagram": "never"},
        (*pairs(["status_content"], ["instagram_audience"]), *pairs(["status_content"], [META])),
        "documented",
    ),
    Row(
        "F8",
        {"updates_tab": "often"},
        {"updates_tab": "never"},
        pairs(["ad_signals"], [META]),
        "documented",
        never=("phone_number",),
    ),
    Row("F8", {"updates_tab": "sometimes"}, None, pairs(["ad_signals"], [META]), "documented"),
    Row(
        "F9",
        {"updates_tab": "sometimes", "accounts_center": "linked"},
        {"updates_tab": "sometimes", "accounts_center": "previously_linked"},
        pairs(["cross_app_profile"], [META]),
        "documented",
    ),
    Row(
        "F10",
        {"ad_chats": "yes"},
        {"ad_chats": "no"},
        pairs(["usage_data"], [META]),
        "documented",
        never=("phone_number", "profile_info", "message_content"),
    ),
    Row(
        "F11",
        {"business_chats": "yes"},
        {"business_chats": "no"},
        pairs(["message_content"], ["businesses"]),
        "documented",
    ),
    Row(
        "F12",
        {"meta_ai": "often"},
        {"meta_ai": "never"},
        pairs(["ai_prompts", "device_info", "usage_data"], [META]),
        "documented",
    ),
    Row("F12", {"meta_ai": "sometimes"}, None, pairs(["ai_prompts"], [META]), "documented"),
    Row(
        "F13",
        {"chat_backup": "on_not_e2ee"},
        {"chat_backup": "on_e2ee"},
        pairs(["message_content"], ["backup_provider"]),
        "documented",
    ),
    Row(
        "F13",
        {"platform": "iphone", "chat_backup": "on_e2ee", "icloud_device_backup": "on"},
        {"platform": "iphone", "chat_backup": "on_e2ee", "icloud_device_backup": "off"},
        pairs(["message_content"], ["backup_provider"]),
        "documented",
    ),
    Row(
        "F14",
        {"contacts_permission": "allowed"},
        {"contacts_permission": "denied"},
        pairs(["contact_list"], ["whatsapp"]),
        "documented",
    ),
    Row(
        "F15",
        {"last_seen": "everyone"},
        {"last_seen": "contacts"},
        pairs(["presence"], ["anyone_with_number"]),
        "documented",
    ),
    Row(
        "F15",
        {"profile_photo": "everyone"},
        {"profile_photo": "nobody"},
        pairs(["profile_info"], ["anyone_with_number"]),
        "documented",
    ),
    Row(
        "F15",
        {"about": "everyone"},
        {"about": "contacts_except"},
        pairs(["profile_info"], ["anyone_with_number"]),
        "documented",
    ),
    Row(
        "F16",
        {"groups_add": "everyone"},
        {"groups_add": "contacts"},
        pairs(["phone_number"], ["group_members"]),
        "documented",
    ),
    Row(
        "F17",
        {"protect_ip_calls": "off"},
        {"protect_ip_calls": "on"},
        pairs(["ip_address"], ["call_peers"]),
        "documented",
    ),
    Row(
        "F18",
        {"region": "india", "payments": "india_upi"},
        {"region": "india", "payments": "none"},
        pairs(["transaction_data"], ["payment_partners"]),
        "reported",
    ),
    Row(
        "F19",
        {"region": "brazil", "payments": "brazil"},
        {"region": "brazil", "payments": "none"},
        pairs(["transaction_data", "usage_data", "device_info"], ["payment_partners", META]),
        "documented",
    ),
    Row("F20", {}, None, pairs(["phone_number"], ["whatsapp"]), "documented"),
    # v2 rows
    Row(
        "F21",
        {"region": "other", "meta_ai": "often", "accounts_center": "linked"},
        {"region": "eea", "meta_ai": "often", "accounts_center": "linked"},
        pairs(["ai_prompts"], [META]),
        "documented",  # the pair also flows from F12 (documented); F21's own finding is reported
    ),
    Row(
        "F22",
        {"business_chats": "yes"},
        {"business_chats": "no"},
        pairs(["message_content"], ["meta_processor"]),
        "documented",
    ),
    Row(
        "F23",
        {"third_party_chats": "yes"},
        {"third_party_chats": "no"},
        pairs(["phone_number", "usage_data", "device_info"], ["third_party_apps"]),
        "documented",
    ),
    Row(
        "F24",
        {"link_previews": "on"},
        {"link_previews": "off"},
        pairs(["ip_address"], ["websites"]),
        "reported",
    ),
    Row(
        "F25",
        {"advanced_chat_privacy": "some_chats"},
        {"advanced_chat_privacy": "all_groups"},
        pairs(["messages_shared_with_ai"], [META]),
        "reported",
    ),
    Row(
        "F25",
        {"advanced_chat_privacy": "none"},
        {"advanced_chat_privacy": "all_groups"},
        pairs(["messages_shared_with_ai"], [META]),
        "reported",
    ),
    Row(
        "F26",
        {"location_sharing": "yes"},  # QUIET is in the EEA
        {"location_sharing": "no"},
        pairs(["precise_location"], ["location_provider"]),
        "documented",
    ),
    Row(
        "F27",
        {"region": "brazil"},
        {"region": "india"},
        pairs(["phone_number", "device_info", "usage_data"], ["meta_processor"]),
        "reported",
    ),
    # ---- v3 (SHARING_MODEL.md section 00)
    Row(
        "F28",
        {"accounts_center": "linked"},  # QUIET is in the EEA
        {"accounts_center": "linked", "region": "other"},
        pairs(["age"], ["whatsapp"]),
        "documented",
    ),
    Row(
        "F28", {"accounts_center": "linked", "region": "uk"}, None, pairs(["age"], ["whatsapp"]), "documented"
    ),
    Row(
        "F29",
        {"business_chats": "yes"},
        {"business_chats": "no"},
        pairs(["message_content"], [META]),
        "reported",
    ),
    # What you ask Meta AI goes to Meta (F12, documented); F30 adds training, reported.
    Row("F30", {"meta_ai": "often"}, {"meta_ai": "never"}, pairs(["ai_prompts"], [META]), "documented"),
    Row(
        "F31",
        {"region": "other", "message_summaries": "on"},
        {"region": "other", "message_summaries": "off"},
        pairs(["message_content"], ["meta_processor"]),
        "documented",
    ),
    Row(
        "F32",
        {"profile_links": "yes"},
        {"profile_links": "no"},
        pairs(["cross_app_profile"], ["anyone_with_number"]),
        "reported",
        never=("phone_number",),
    ),
]


def of_row(row: str, rule_id: str) -> bool:
    """Whether a pack rule implements a row: the row id itself, or it with a letter (F15a)."""
    return re.fullmatch(re.escape(row) + r"[a-z]?", rule_id) is not None


def run(pack: Pack, changes: dict[str, str]) -> Assessment:
    return evaluate(pack, Answers(pack="whatsapp", values={**QUIET, **changes}))


def test_every_flow_row_is_in_the_table() -> None:
    rows = {r.row for r in TABLE}
    assert rows == {f"F{n}" for n in range(1, 33)} - {"F5"}


@pytest.mark.parametrize(
    "row", TABLE, ids=lambda r: f"{r.row}:{','.join(f'{k}={v}' for k, v in r.trigger.items())}"
)
def test_the_row_fires_with_its_certainty(bundled_pack: Pack, row: Row) -> None:
    a = run(bundled_pack, row.trigger)
    flows = {(f.data, f.recipient): f for f in a.flows}
    for pair in row.sends:
        assert pair in flows, f"{row.row}: {pair} does not flow"
        flow = flows[pair]
        assert any(of_row(row.row, r) for r in flow.rules), f"{row.row}: {pair} comes from {flow.rules}"
        assert flow.certainty == row.certainty, f"{row.row}: {pair} is {flow.certainty}"
    for f in a.flows:
        if any(of_row(row.row, r) for r in f.rules):
            assert f.data not in row.never, f"{row.row} must not send {f.data}"


@pytest.mark.parametrize(
    "row", [r for r in TABLE if r.not_trigger is not None], ids=lambda r: f"{r.row}:{r.not_trigger}"
)
def test_the_row_is_silent_otherwise(bundled_pack: Pack, row: Row) -> None:
    assert row.not_trigger is not None
    a = run(bundled_pack, row.not_trigger)
    from_row = [f for f in a.flows if any(of_row(row.row, r) for r in f.rules)]
    assert from_row == [], f"{row.row} fires for {row.not_trigger}"


def test_unknown_region_makes_both_regional_rows_possible(bundled_pack: Pack) -> None:
    a = run(bundled_pack, {"region": UNKNOWN})
    flows = {(f.data, f.recipient): f for f in a.flows}
    assert flows[("phone_number", META)].certainty == "possible"
    assert flows[("phone_number", "meta_processor")].certainty == "possible"
    assert flows[("phone_number", "whatsapp")].certainty == "documented"  # F20 does not depend on it


def test_no_row_ever_sends_the_phone_number_to_advertisers(bundled_pack: Pack) -> None:
    for rule in bundled_pack.rules:
        for spec in rule.flows:
            assert not ("phone_number" in spec.data and "advertisers" in spec.to), rule.id


def test_contact_lists_never_reach_meta_companies(bundled_pack: Pack) -> None:
    # F14 and S11/S4: the contact list is not shared with Meta companies, whatever the answers.
    every_pair = {(d, r) for rule in bundled_pack.rules for s in rule.flows for d in s.data for r in s.to}
    assert ("contact_list", META) not in every_pair


def test_f1_ads_is_disputed_beside_the_documented_purposes(bundled_pack: Pack) -> None:
    # F1 (documented) and F1ads (disputed) send the same pairs: the flow names ads as disputed.
    flows = {(f.data, f.recipient): f for f in run(bundled_pack, {"region": "other"}).flows}
    flow = flows[("phone_number", META)]
    assert set(flow.rules) >= {"F1", "F1ads"}
    assert flow.certainty == "documented"
    assert "ads" in flow.purposes
    assert flow.disputed_purposes == ("ads",)
    eea = {(f.data, f.recipient) for f in run(bundled_pack, {"region": "eea"}).flows}
    assert ("phone_number", META) not in eea


def test_f22_business_tools_ads_only_outside_europe(bundled_pack: Pack) -> None:
    other = {
        (f.data, f.recipient): f
        for f in run(bundled_pack, {"region": "other", "business_chats": "yes"}).flows
    }
    assert "F22ads" in other[("usage_data", META)].rules
    eea = {(f.data, f.recipient) for f in run(bundled_pack, {"region": "eea", "business_chats": "yes"}).flows}
    assert ("usage_data", META) not in eea


def test_f21_needs_meta_ai_and_accounts_center(bundled_pack: Pack) -> None:
    base = {"region": "india", "meta_ai": "sometimes", "accounts_center": "linked"}
    assert any("F21" in f.rules for f in run(bundled_pack, base).flows)
    for change in ({"meta_ai": "never"}, {"accounts_center": "never_linked"}, {"region": "uk"}):
        assert not any("F21" in f.rules for f in run(bundled_pack, {**base, **change}).flows), change
    findings = {f.id: f for f in run(bundled_pack, base).findings}
    assert findings["meta_ai_ads"].certainty == "reported"
    unknown = {f.id: f for f in run(bundled_pack, {**base, "accounts_center": UNKNOWN}).findings}
    assert unknown["meta_ai_ads"].certainty == "possible"


def test_f26_only_where_the_policy_names_the_location_provider(bundled_pack: Pack) -> None:
    for region, fires in (("eea", True), ("uk", True), ("other", False), ("india", False)):
        a = run(bundled_pack, {"location_sharing": "yes", "region": region})
        assert any("F26" in f.rules for f in a.flows) is fires, region

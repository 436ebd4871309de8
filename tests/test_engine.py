"""The engine on the tiny test pack: three-valued logic, questions not asked, merging, the score."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.evaluate.compiled import compiled_pack, flow_weight
from audit.evaluate.engine import band_of, evaluate
from audit.evaluate.scoring import effective_answers, exposure
from audit.load.read import load_pack
from audit.model.answers import Answers
from audit.model.assessment import Assessment, Flow
from audit.model.conditions import NOT_ASKED, UNKNOWN
from audit.model.pack import Pack


def run(pack: Pack, **values: str) -> Assessment:
    return evaluate(pack, Answers(pack=pack.meta.id, values=values))


def flows_of(a: Assessment) -> dict[tuple[str, str], Flow]:
    return {(f.data, f.recipient): f for f in a.flows}


SEVERITY_POINTS = {"info": 0, "low": 1, "medium": 3, "high": 8, "critical": 20}  # README


def expected_score(pack: Pack, holding: dict[str, str]) -> int:
    """The README's formula, worked out independently: `holding` maps findings to their certainty.

    For findings that share no rule (as in the mini pack): severity points x (1 + a fifth of the
    share of the most any finding's flows weigh) x certainty, rounded, summed.
    """
    purpose = {p.id: p.weight for p in pack.vocabulary.purposes}

    def flows_weigh(finding_id: str) -> float:
        most: dict[tuple[str, str], float] = {}
        for rid in pack.finding_by_id[finding_id].flows_from:
            rule = pack.rule_by_id[rid]
            for f in rule.flows:
                for d in f.data:
                    for r in f.to:
                        w = rule.weight * max(purpose[x] for x in f.purposes)
                        most[(d, r)] = max(most.get((d, r), 0.0), w)
        return sum(
            pack.data_by_id[d].sensitivity * pack.recipient_by_id[r].reach * w for (d, r), w in most.items()
        )

    top = max(flows_weigh(f.id) for f in pack.findings)
    total = 0
    for fid, certainty in holding.items():
        f = pack.finding_by_id[fid]
        weight = pack.vocabulary.certainty_weights[certainty]  # type: ignore[index]
        total += int(SEVERITY_POINTS[f.severity] * weight * (1 + 0.2 * flows_weigh(fid) / top) + 0.5)
    return total


def test_a_known_answer_fires_its_rule_with_the_rule_certainty(mini_pack: Pack) -> None:
    a = run(mini_pack, platform="android", linked="yes", share="never", last_seen="everyone")
    flows = flows_of(a)
    assert set(flows) == {
        ("phone_number", "whatsapp"),
        ("status_content", "meta_companies"),
        ("presence", "anyone_with_number"),
    }
    assert flows[("status_content", "meta_companies")].certainty == "documented"
    assert flows[("status_content", "meta_companies")].rules == ("F2",)


def test_flows_are_merged_per_pair_with_all_purposes_rules_and_the_best_certainty(mini_pack: Pack) -> None:
    a = run(mini_pack, platform="android", linked="yes", share="always", last_seen="nobody")
    flows = flows_of(a)
    merged = flows[("status_content", "meta_companies")]
    assert merged.rules == ("F2", "F3")  # F2 documented, F3 reported: one flow, both rules
    assert merged.certainty == "documented"
    assert merged.purposes == ("ads",)
    assert flows[("presence", "meta_companies")].certainty == "reported"
    assert len(a.flows) == len(flows), "each (data, recipient) pair appears once"
    assert a.score.value == expected_score(mini_pack, {"linked_and_sharing": "reported"})
    assert {f.id: f.points for f in a.findings} == {"linked_and_sharing": a.score.value}


def test_a_rules_weight_scales_what_it_sends_certain_or_possible(mini_pack_dir: Path) -> None:
    flows = mini_pack_dir / "flows.yaml"
    text = flows.read_text(encoding="utf-8")
    head, f4 = text.split("  - id: F4\n")
    full = flow_weight(compiled_pack(load_pack(mini_pack_dir)), [3])
    flows.write_text(head + "  - id: F4\n    weight: 0.5\n" + f4, encoding="utf-8")
    pack = load_pack(mini_pack_dir)
    assert flow_weight(compiled_pack(pack), [3]) == full * 0.5
    for last_seen, certainty in (("everyone", "documented"), (UNKNOWN, "possible")):
        a = run(pack, platform="android", linked="no", last_seen=last_seen)
        assert a.score.value == expected_score(pack, {"public_last_seen": certainty}), last_seen


def test_unknown_makes_rules_possible_and_lists_the_question(mini_pack: Pack) -> None:
    a = run(mini_pack, platform="iphone", linked=UNKNOWN, share="always", last_seen="nobody")
    flows = flows_of(a)
    assert flows[("status_content", "meta_companies")].certainty == "possible"
    assert flows[("presence", "meta_companies")].certainty == "possible"  # F3 needs F2, which is possible
    assert [u.question for u in a.unknowns] == ["linked"]
    # The iPhone path, with the reported-path caveat.
    assert a.unknowns[0].how_to_check == "Settings > Link (menu names vary by version)"
    finding = next(f for f in a.findings if f.id == "linked_and_sharing")
    assert finding.certainty == "possible"
    assert finding.triggered_by == {"linked": UNKNOWN, "share": "always"}


def test_possible_weighs_as_much_as_documented(mini_pack: Pack) -> None:
    known = run(mini_pack, platform="android", linked="yes", share="never", last_seen="nobody")
    unsure = run(mini_pack, platform="android", linked=UNKNOWN, share="never", last_seen="nobody")
    assert flows_of(unsure).keys() == flows_of(known).keys()
    assert unsure.score.value == known.score.value


def test_a_question_whose_when_is_false_is_not_asked_and_ignored(mini_pack: Pack) -> None:
    # share is asked only when linked is yes or unknown; its stale answer must not count.
    a = run(mini_pack, platform="android", linked="no", share="always", last_seen="nobody")
    assert a.not_applicable == ("share",)
    assert a.not_asked == ()  # not applicable is not "not checked"
    assert "share" not in a.answers
    assert ("status_content", "meta_companies") not in flows_of(a)
    assert "share" not in [u.question for u in a.unknowns]
    assert effective_answers(mini_pack, {"linked": "no", "share": "always"})["share"] == NOT_ASKED


def test_a_question_a_quick_audit_skipped_is_not_asked_not_unknown(mini_pack: Pack) -> None:
    # Saved as not_asked (a quick run skipped it) though it would apply: listed as not checked.
    a = run(mini_pack, platform="android", linked="no", last_seen=NOT_ASKED)
    assert a.not_asked == ("last_seen",)
    assert a.not_applicable == ("share",)
    assert "last_seen" not in a.answers
    assert "last_seen" not in [u.question for u in a.unknowns]


def test_everything_unknown(mini_pack: Pack) -> None:
    a = run(mini_pack)
    assert a.platform == UNKNOWN
    assert {u.question for u in a.unknowns} == {"platform", "linked", "share", "last_seen"}
    assert {f.certainty for f in a.flows if f.rules != ("F1",)} == {"possible"}
    assert flows_of(a)[("phone_number", "whatsapp")].certainty == "documented"  # F1 is unconditional
    # Unknown platform: both paths, labelled.
    how = next(u.how_to_check for u in a.unknowns if u.question == "share")
    assert how == "Android: Status > Privacy; iPhone: Updates > Privacy"


def test_findings_carry_sources_fix_and_flows(mini_pack: Pack) -> None:
    a = run(mini_pack, platform="iphone", linked="yes", share="always", last_seen="everyone")
    by_id = {f.id: f for f in a.findings}
    assert [f.id for f in a.findings] == ["linked_and_sharing", "public_last_seen"]  # high before low
    f = by_id["linked_and_sharing"]
    assert f.triggered_by == {"linked": "yes", "share": "always"}
    assert [s.id for s in f.sources] == ["S2"]
    assert f.sources[0].url == "https://example.org/news"
    assert {(p.data, p.recipient) for p in f.flows} == {
        ("status_content", "meta_companies"),
        ("presence", "meta_companies"),
    }
    assert f.fix is not None
    assert f.fix.steps == ("Open the Settings tab", "Tap Link", "Tap Remove")  # the iPhone steps
    assert f.fix.how.splitlines()[0] == "1. Open the Settings tab"
    assert by_id["public_last_seen"].fix is None


def test_protections_are_stated_whatever_the_answers(mini_pack: Pack) -> None:
    for values in ({}, {"linked": "yes", "share": "always"}):
        assert [p.id for p in evaluate(mini_pack, Answers(pack="mini", values=values)).protections] == [
            "e2ee_messages"
        ]


def test_evaluation_is_deterministic(mini_pack: Pack) -> None:
    values = {"platform": "android", "linked": UNKNOWN, "share": "always"}
    first = evaluate(mini_pack, Answers(pack="mini", values=values))
    assert evaluate(mini_pack, Answers(pack="mini", values=dict(reversed(values.items())))) == first
    assert (
        first.model_dump_json() == evaluate(mini_pack, Answers(pack="mini", values=values)).model_dump_json()
    )


def test_exposure_matches_the_full_evaluation(mini_pack: Pack) -> None:
    values = {"platform": "android", "linked": "yes", "share": "always", "last_seen": UNKNOWN}
    a = evaluate(mini_pack, Answers(pack="mini", values=values))
    e = exposure(mini_pack, values)
    assert e.score == a.score.value
    assert e.pairs == {(f.data, f.recipient) for f in a.flows}


def test_recommendations_on_the_mini_pack(mini_pack: Pack) -> None:
    a = run(mini_pack, platform="android", linked="yes", share="always", last_seen="everyone")
    recs = {r.question: r for r in a.recommendations}
    assert "platform" not in recs  # a fact about the person
    assert recs["linked"].to == "no"
    assert (
        recs["linked"].score_after
        == run(mini_pack, platform="android", linked="no", last_seen="everyone").score.value
    )
    assert {(p.data, p.recipient) for p in recs["linked"].removes} == {
        ("status_content", "meta_companies"),
        ("presence", "meta_companies"),
    }
    assert (recs["share"].to, recs["share"].how) == ("never", "Status > Privacy: choose \u201cNever\u201d.")
    assert recs["last_seen"].to == "nobody"
    # Changes that resolve the high finding come first (by the score they leave), then the low one.
    assert recs["linked"].resolves == recs["share"].resolves == ("linked_and_sharing",)
    assert recs["last_seen"].resolves == ("public_last_seen",)
    assert [r.question for r in a.recommendations] == ["linked", "share", "last_seen"]
    assert recs["linked"].score_after <= recs["share"].score_after


def test_bands_follow_the_vocabulary(mini_pack: Pack) -> None:
    bounds = sorted(mini_pack.vocabulary.bands, key=lambda b: b.below)
    for low, band in zip([0, *(b.below for b in bounds)], bounds, strict=False):
        assert band_of(mini_pack, low) == band.id
        assert band_of(mini_pack, band.below - 1) == band.id


def test_a_score_above_every_band_takes_the_highest_wherever_it_is_listed(mini_pack_dir: Path) -> None:
    # A pack given with --rules may list its bands in any order and stop short of 100.
    vocabulary = mini_pack_dir / "vocabulary.yaml"
    text = vocabulary.read_text(encoding="utf-8")
    head = text[: text.index("bands:")]
    bands = "bands:\n  - {id: high, below: 75}\n  - {id: low, below: 25}\n  - {id: moderate, below: 50}\n"
    vocabulary.write_text(head + bands, encoding="utf-8")
    pack = load_pack(mini_pack_dir)
    scores = (0, 24, 25, 49, 50, 74, 75, 100)
    expected = ["low", "low", "moderate", "moderate", "high", "high", "high", "high"]
    assert [band_of(pack, v) for v in scores] == expected


def test_a_question_that_only_possibly_applies_makes_its_rules_possible(mini_pack_dir: Path) -> None:
    # Ask `share` only when linked is yes (not when unknown): with linked unknown it may or may not
    # be asked, so what its answer triggers is possible, not documented.
    path = mini_pack_dir / "questions.yaml"
    path.write_text(path.read_text().replace('in: ["yes", unknown]', 'in: ["yes"]'))
    flows = mini_pack_dir / "flows.yaml"
    flows.write_text(
        flows.read_text().replace(
            "when: {all: [{rule: F2}, {question: share, in: [always]}]}",
            "when: {question: share, in: [always]}",
        )
    )
    pack = load_pack(mini_pack_dir)
    a = run(pack, platform="android", linked=UNKNOWN, share="always", last_seen="nobody")
    assert flows_of(a)[("presence", "meta_companies")].certainty == "possible"
    b = run(pack, platform="android", linked="yes", share="always", last_seen="nobody")
    assert flows_of(b)[("presence", "meta_companies")].certainty == "reported"


def test_a_question_may_not_depend_on_a_rule_at_evaluation(mini_pack_dir: Path) -> None:
    # The checker refuses such a pack (tests/test_rules_check.py); the engine fails loudly too.
    from audit.load.read import read_pack

    path = mini_pack_dir / "questions.yaml"
    path.write_text(
        path.read_text().replace('when: {question: linked, in: ["yes", unknown]}', "when: {rule: F2}")
    )
    pack = read_pack(mini_pack_dir).pack
    with pytest.raises(ValueError, match="may not refer to rule 'F2'"):
        run(pack, linked="yes")


def test_purpose_weights_count_in_the_score(mini_pack_dir: Path) -> None:
    # F3 sends status and presence to Meta for ads: weighting ads down lowers what its finding's
    # flows weigh (the fifth a finding's flows can add to its severity's points).
    before = flow_weight(compiled_pack(load_pack(mini_pack_dir)), [2])
    vocabulary = mini_pack_dir / "vocabulary.yaml"
    vocabulary.write_text(
        vocabulary.read_text().replace("{id: ads, label: Ads}", "{id: ads, label: Ads, weight: 0.5}")
    )
    after = flow_weight(compiled_pack(load_pack(mini_pack_dir)), [2])
    assert 0 < after < before


def test_leaving_accounts_center_lowers_the_score_even_though_combined_data_stays(
    bundled_pack: Pack,
) -> None:
    # F4 keeps the combined profile with Meta, but Meta's own uses (ads) of device and usage data stop.
    from audit.collect.answers_file import read_answers
    from tests.conftest import EXAMPLES

    answers = read_answers(bundled_pack, EXAMPLES / "linked-everything.yaml")
    linked = evaluate(bundled_pack, answers)
    left = evaluate(bundled_pack, answers.with_values({"accounts_center": "previously_linked"}))
    assert left.score.value < linked.score.value
    assert "accounts_center" in {r.question for r in linked.recommendations}


def test_findings_most_serious_first_and_certain_before_possible(bundled_pack: Pack) -> None:
    from audit.collect.answers_file import read_answers
    from tests.conftest import EXAMPLES

    order = ["critical", "high", "medium", "low", "info"]
    answers = read_answers(bundled_pack, EXAMPLES / "quick-unsure.yaml")
    findings = evaluate(bundled_pack, answers).findings
    keys = [(order.index(f.severity), f.certainty == "possible") for f in findings]
    assert keys == sorted(keys)
    assert {f.certainty for f in findings} >= {"possible", "documented"}  # both kinds are present


def test_menu_names_vary_only_after_menu_paths(bundled_pack: Pack) -> None:
    # "Such chats show a small round arrow icon" is not a menu: the caveat is about menu names.
    from audit.model.platform import where_text

    caveat = " (menu names vary by version)"
    seen = set()
    for q in bundled_pack.questions:
        for platform in ("android", "iphone"):
            text = where_text(q, platform)
            if q.where is None or not text:
                continue
            path = text.removesuffix(caveat)
            seen.add(text.endswith(caveat))
            assert text.endswith(caveat) == (q.where_reported and " > " in path), (q.id, text)
    assert seen == {True, False}


def test_choices_that_cannot_apply_to_the_region_are_not_offered(bundled_pack: Pack) -> None:
    from audit.evaluate.scoring import effective_answers, offered_values

    payments = bundled_pack.question_by_id["payments"]

    def offered(region: str) -> list[str]:
        effective = effective_answers(bundled_pack, {"region": region})
        return [v.id for v in offered_values(bundled_pack, payments, effective)]

    assert offered("india") == ["none", "india_upi"]
    assert offered("brazil") == ["none", "brazil"]
    assert offered("unknown") == ["none", "india_upi", "brazil"]  # either could be theirs


def presence_pack(mini_pack_dir: Path) -> Pack:
    """The mini pack with a second protection, whose one exception reads `last_seen`."""
    with (mini_pack_dir / "protections.yaml").open("a", encoding="utf-8") as f:
        f.write(
            "  - id: private_presence\n    title: Only WhatsApp knows when you are online\n"
            "    sources: [{id: S1}]\n    except:\n"
            "      - {when: {question: last_seen, in: [everyone]}, text: Not with last seen public.,\n"
            "         sources: [{id: S1}]}\n"
        )
    return load_pack(mini_pack_dir)


def test_a_quick_check_does_not_claim_a_protection_it_did_not_check(mini_pack_dir: Path) -> None:
    """A protection whose exception reads a question the quick check skipped is not claimed."""
    pack = presence_pack(mini_pack_dir)
    skipped = run(pack, platform="android", linked="no", last_seen=NOT_ASKED)
    assert [p.id for p in skipped.protections] == ["e2ee_messages"]
    answered = run(pack, platform="android", linked="no", last_seen="nobody")
    assert [p.id for p in answered.protections] == ["e2ee_messages", "private_presence"]


def test_an_exception_without_its_own_unknown_wording_is_worded_as_a_condition(mini_pack_dir: Path) -> None:
    pack = presence_pack(mini_pack_dir)

    def exceptions(**values: str) -> list[tuple[str, str]]:
        (presence,) = [p for p in run(pack, **values).protections if p.id == "private_presence"]
        return [(e.text, e.certainty) for e in presence.except_]

    assert exceptions(platform="android", linked="no") == [
        ("If it applies to you: Not with last seen public.", "possible")
    ]
    assert exceptions(platform="android", linked="no", last_seen="everyone") == [
        ("Not with last seen public.", "documented")
    ]

"""What the assessment says beside the score, checked against an independent reading.

The conditions of a possible finding ("If ... is ..."), what to check for an "I don't know",
the two sides of disputes, the words for the person's platform and the order flows are listed in.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from audit.evaluate.compiled import compiled_pack
from audit.evaluate.engine import IF_IT_APPLIES, evaluate
from audit.evaluate.scoring import exposure, split, state_of, what_ifs
from audit.load.read import load_pack
from audit.model.answers import Answers
from audit.model.assessment import Assessment
from audit.model.conditions import UNKNOWN
from audit.model.pack import Pack, Steps
from audit.model.platform import for_platform, steps_for, where_text
from tests.conftest import edit_pack_file
from tests.test_personas import EEA_NOTHING_LINKED, ELSEWHERE_LINKED


def run(pack: Pack, values: dict[str, str]) -> Assessment:
    return evaluate(pack, Answers(pack=pack.meta.id, values=values))


def forgetful(rng: random.Random, base: dict[str, str]) -> dict[str, str]:
    """`base` with about a third of its answers forgotten ("I don't know")."""
    return {q: v for q, v in base.items() if rng.random() > 0.35}


SAMPLES = 12


@pytest.mark.parametrize(
    ("base", "samples"),
    [(EEA_NOTHING_LINKED, SAMPLES), (ELSEWHERE_LINKED, SAMPLES), ({}, 1)],
    ids=["eea", "elsewhere", "nothing-known"],
)
def test_a_possible_finding_names_exactly_the_answers_under_which_it_holds(
    base: dict[str, str], samples: int, bundled_pack: Pack
) -> None:
    rng = random.Random(len(base))  # noqa: S311  # a fixed sample: the same cases every run
    checked = 0
    for _ in range(samples):
        values = forgetful(rng, base)
        assessment = run(bundled_pack, values)
        for finding in assessment.findings:
            if finding.certainty != "possible":
                assert finding.applies_if == {}
                continue
            unknown = [q for q, v in finding.triggered_by.items() if v == UNKNOWN]
            assert set(finding.applies_if) <= set(unknown), finding.id
            for q in unknown:
                every = bundled_pack.question_by_id[q].value_ids
                holding = tuple(
                    v
                    for v in every
                    if finding.id in {f.id for f in run(bundled_pack, {**values, q: v}).findings}
                )
                if 0 < len(holding) < len(every):
                    assert finding.applies_if.get(q) == holding, (finding.id, q)
                    checked += 1
                else:  # holds whatever the answer, or under none alone: no condition to state
                    assert q not in finding.applies_if, (finding.id, q)
    assert checked > 3, "the sample reaches findings that hold under some answers only"


def test_what_to_check_names_the_question_and_where_to_look_on_the_persons_phone(bundled_pack: Pack) -> None:
    values = {q: v for q, v in ELSEWHERE_LINKED.items() if q not in {"last_seen", "optout_2016"}}
    for platform in ("android", "iphone"):
        assessment = run(bundled_pack, {**values, "platform": platform})
        got = {u.question: u for u in assessment.unknowns}
        assert set(got) == {"last_seen", "optout_2016"}
        for qid, unknown in got.items():
            q = bundled_pack.question_by_id[qid]
            assert (unknown.prompt, unknown.section) == (q.prompt, q.section)
            assert unknown.how_to_check == where_text(q, platform)
    last_seen = bundled_pack.question_by_id["last_seen"]
    assert last_seen.where is not None
    assert last_seen.where.android != last_seen.where.iphone
    android = run(bundled_pack, {**values, "platform": "android"}).unknowns
    assert last_seen.where.android in next(u.how_to_check for u in android if u.question == "last_seen")
    assert "iPhone" not in next(u.how_to_check for u in android if u.question == "last_seen")


@pytest.mark.parametrize(
    ("android", "iphone", "platform", "expected"),
    [
        ("A", "I", "android", "A"),
        ("A", "I", "iphone", "I"),
        ("A", "I", UNKNOWN, "Android: A; iPhone: I"),
        ("Same", "Same", UNKNOWN, "Same"),
        ("A", None, UNKNOWN, "Android: A"),
        ("A", None, "iphone", "Android: A"),  # the other phone's text, labelled, beats nothing
        (None, "I", UNKNOWN, "iPhone: I"),
        (None, "I", "android", "iPhone: I"),
        (None, None, UNKNOWN, ""),
        ("", "", "android", ""),
    ],
)
def test_text_for_the_persons_platform(
    android: str | None, iphone: str | None, platform: str, expected: str
) -> None:
    assert for_platform(android, iphone, platform) == expected


@pytest.mark.parametrize(
    ("android", "iphone", "platform", "expected"),
    [
        (("a1", "a2"), ("i1",), "android", ("a1", "a2")),
        (("a1", "a2"), ("i1",), "iphone", ("i1",)),
        (("a1",), ("i1",), UNKNOWN, ("Android: a1", "iPhone: i1")),
        (("s1", "s2"), ("s1", "s2"), UNKNOWN, ("s1", "s2")),
        (("a1",), None, "iphone", ("Android: a1",)),
        (None, ("i1",), UNKNOWN, ("iPhone: i1",)),
    ],
)
def test_steps_for_the_persons_platform(
    android: tuple[str, ...] | None, iphone: tuple[str, ...] | None, platform: str, expected: tuple[str, ...]
) -> None:
    assert steps_for(Steps(android=android, iphone=iphone), platform) == expected


@pytest.fixture
def disputed_pack(mini_pack_dir: Path) -> Pack:
    """The mini pack with both findings disputed; one side cites a source on iPhone only."""
    findings = mini_pack_dir / "findings.yaml"
    text = findings.read_text(encoding="utf-8")
    text = text.replace(
        "    certainty: reported\n",
        "    certainty: disputed\n"
        "    dispute:\n"
        "      binding: S2\n"
        '      says: [{id: S2, quote: "linked says"},\n'
        '             {id: S1, quote: "linked says, on iPhone", when: {question: platform, in: [iphone]}}]\n'
        '      denies: [{id: S2, quote: "linked denies"},\n'
        '               {id: S1, quote: "linked denies, on iPhone",\n'
        "                when: {question: platform, in: [iphone]}}]\n",
    )
    text = text.replace(
        "    certainty: documented\n",
        "    certainty: disputed\n"
        "    dispute:\n"
        "      binding: S1\n"
        '      says: [{id: S1, quote: "last seen says"}]\n'
        '      denies: [{id: S2, quote: "last seen denies"}]\n',
    )
    findings.write_text(text, encoding="utf-8")
    vocabulary = mini_pack_dir / "vocabulary.yaml"
    edit_pack_file(vocabulary, "reported: 0.75,", "reported: 0.75, disputed: 0.75,")
    return load_pack(mini_pack_dir)


def test_each_dispute_quotes_its_own_sides_for_the_persons_platform(disputed_pack: Pack) -> None:
    # On Android both findings show the first quote of each side: equal citations, distinct quotes.
    sides = {}
    for platform in ("android", "iphone"):
        values = {"platform": platform, "linked": "yes", "share": "always", "last_seen": "everyone"}
        for f in run(disputed_pack, values).findings:
            assert f.dispute is not None
            sides[platform, f.id] = ([s.quote for s in f.dispute.says], [s.quote for s in f.dispute.denies])
    assert sides == {
        ("android", "linked_and_sharing"): (["linked says"], ["linked denies"]),
        ("iphone", "linked_and_sharing"): (
            ["linked says", "linked says, on iPhone"],
            ["linked denies", "linked denies, on iPhone"],
        ),
        ("android", "public_last_seen"): (["last seen says"], ["last seen denies"]),
        ("iphone", "public_last_seen"): (["last seen says"], ["last seen denies"]),
    }


def test_flows_are_listed_by_recipient_then_data_in_the_packs_order(bundled_pack: Pack) -> None:
    # Scripts reading the JSON get a stable order: the vocabulary's, not the ids' alphabet.
    recipients = [r.id for r in bundled_pack.vocabulary.recipients]
    data = [d.id for d in bundled_pack.vocabulary.data_categories]
    for values in (EEA_NOTHING_LINKED, ELSEWHERE_LINKED, {}):
        keys = [(recipients.index(f.recipient), data.index(f.data)) for f in run(bundled_pack, values).flows]
        assert len(keys) > 3
        assert keys == sorted(keys)
    alphabetical = sorted((f.data, f.recipient) for f in run(bundled_pack, ELSEWHERE_LINKED).flows)
    assert [(f.data, f.recipient) for f in run(bundled_pack, ELSEWHERE_LINKED).flows] != alphabetical


def test_no_condition_is_stated_on_an_answer_that_does_not_decide(mini_pack_dir: Path) -> None:
    # Last seen public OR linked: with both unknown, neither answer alone decides, so the report
    # must not say "if your last seen is Everyone" (it may hold whatever last seen is).
    findings = mini_pack_dir / "findings.yaml"
    edit_pack_file(
        findings,
        "when: {rule: F4}",
        'when: {any: [{question: last_seen, in: [everyone]}, {question: linked, in: ["yes"]}]}',
    )
    pack = load_pack(mini_pack_dir)
    both_unknown = next(f for f in run(pack, {"platform": "android"}).findings if f.id == "public_last_seen")
    assert both_unknown.certainty == "possible"
    assert set(both_unknown.triggered_by) == {"last_seen", "linked"}
    assert both_unknown.applies_if == {}
    one_unknown = run(pack, {"platform": "android", "linked": "no"}).findings
    assert next(f for f in one_unknown if f.id == "public_last_seen").applies_if == {
        "last_seen": ("everyone",)
    }


@pytest.mark.parametrize(
    "base",
    [EEA_NOTHING_LINKED, ELSEWHERE_LINKED, {}, {"platform": "iphone"}],
    ids=["eea", "elsewhere", "none", "iphone"],
)
def test_a_what_if_agrees_with_a_full_evaluation_of_the_changed_answers(
    base: dict[str, str], bundled_pack: Pack
) -> None:
    # A what-if re-evaluates only what the changed answer can reach (compiled_pack works out
    # which questions, rules, pairs and findings that is); missing one would give advice a wrong
    # score or a finding it did not resolve. (Values that pass the same tests share one what-if,
    # so its answers may name another value of the class: the rest must agree.)
    rng = random.Random(len(base))  # noqa: S311  # a fixed sample: the same cases every run
    for values in (base, forgetful(rng, base), forgetful(rng, base)):
        assert_what_ifs_agree(bundled_pack, values)


def test_a_what_if_follows_a_chain_of_questions(mini_pack_dir: Path) -> None:
    # last_seen asked only when sharing, sharing only when linked: unlinking must settle both.
    questions = mini_pack_dir / "questions.yaml"
    text = questions.read_text(encoding="utf-8")
    head, tail = text.split("  - id: last_seen\n")
    questions.write_text(
        head + "  - id: last_seen\n    when: {question: share, in: [always, unknown]}\n" + tail,
        encoding="utf-8",
    )
    pack = load_pack(mini_pack_dir)
    everything = {"platform": "android", "linked": "yes", "share": "always", "last_seen": "everyone"}
    assert_what_ifs_agree(pack, everything)
    assert_what_ifs_agree(pack, {"platform": "android", "linked": "no"})


def test_a_what_if_keeps_apart_values_that_settle_other_answers(mini_pack_dir: Path) -> None:
    # Strict mode on settles last seen to nobody; no rule reads strict itself, so only what it
    # implies tells its two values apart.
    questions = mini_pack_dir / "questions.yaml"
    head, tail = questions.read_text(encoding="utf-8").split("  - id: last_seen\n")
    strict = (
        "  - id: strict\n"
        "    section: extra\n"
        "    prompt: Is strict mode on?\n"
        "    values:\n"
        '      - {id: "on", label: "On", implies: {last_seen: [nobody]}}\n'
        '      - {id: "off", label: "Off"}\n'
    )
    questions.write_text(head + strict + "  - id: last_seen\n" + tail, encoding="utf-8")
    pack = load_pack(mini_pack_dir)
    public = {"platform": "android", "linked": "no", "last_seen": "everyone"}
    assert (
        exposure(pack, {**public, "strict": "on"}).score < exposure(pack, {**public, "strict": "off"}).score
    )
    assert_what_ifs_agree(pack, {**public, "strict": "off"})
    assert_what_ifs_agree(pack, public)


def assert_what_ifs_agree(pack: Pack, values: dict[str, str]) -> None:
    compiled = compiled_pack(pack)
    # A what-if is evaluated once per class of values that score alike: every value of a class
    # must give what its own evaluation gives.
    what_if = what_ifs(compiled, state_of(compiled, values))
    for q in pack.questions:
        for v in q.value_ids:
            quick = what_if(q.id, v)
            full = state_of(compiled, {**values, q.id: v})
            where = (values, q.id, v)
            assert quick.truths == full.truths, where
            assert quick.found == full.found, where
            assert quick.points == full.points, where
            assert quick.score == full.score, where


def test_a_fix_is_offered_by_the_persons_own_answer_to_it(mini_pack_dir: Path) -> None:
    # A pack may fix a finding with a setting its condition does not read; the fix is shown only
    # to those not already on the fix's value, evaluation after evaluation (outputs are reused).
    findings = mini_pack_dir / "findings.yaml"
    edit_pack_file(
        findings,
        "    detail: Last seen is public.\n",
        "    detail: Last seen is public.\n"
        '    fix:\n      question: linked\n      to: "no"\n'
        "      steps: {android: [Open Settings], iphone: [Open Settings]}\n",
    )
    pack = load_pack(mini_pack_dir)

    def fix_of(linked: str) -> object:
        values = {"platform": "android", "linked": linked, "share": "never", "last_seen": "everyone"}
        return next(f for f in run(pack, values).findings if f.id == "public_last_seen").fix

    assert fix_of("yes") is not None
    assert fix_of("no") is None
    assert fix_of("yes") is not None


@pytest.mark.parametrize("where", ["sources", "dispute"])
def test_citations_follow_an_answer_the_finding_does_not_read(where: str, mini_pack_dir: Path) -> None:
    # The finding reads linked and share; a source, or a side of its dispute, applies only when
    # last seen is public. Evaluations one after another (outputs are reused between them) must
    # each show that person's citations.
    findings = mini_pack_dir / "findings.yaml"
    public = "when: {question: last_seen, in: [everyone]}"
    extra = f', {{id: S1, quote: "if public", {public}}}'
    text = findings.read_text(encoding="utf-8").replace(
        "    certainty: reported\n",
        "    certainty: disputed\n"
        "    dispute:\n"
        "      binding: S2\n"
        f'      says: [{{id: S2, quote: "says"}}{extra if where == "dispute" else ""}]\n'
        '      denies: [{id: S1, quote: "denies"}]\n',
    )
    text = text.replace(
        "    sources: [{id: S2}]\n", f"    sources: [{{id: S2}}{extra if where == 'sources' else ''}]\n"
    )
    findings.write_text(text, encoding="utf-8")
    vocabulary = mini_pack_dir / "vocabulary.yaml"
    edit_pack_file(vocabulary, "reported: 0.75,", "reported: 0.75, disputed: 0.75,")
    pack = load_pack(mini_pack_dir)

    def cited(last_seen: str) -> list[str | None]:
        values = {"platform": "android", "linked": "yes", "share": "always", "last_seen": last_seen}
        f = next(f for f in run(pack, values).findings if f.id == "linked_and_sharing")
        assert f.dispute is not None
        return [s.quote for s in (f.sources if where == "sources" else f.dispute.says)]

    first = None if where == "sources" else "says"
    for _ in range(2):
        assert cited("everyone") == [first, "if public"]
        assert cited("nobody") == [first]


def test_each_finding_carries_its_own_text_and_fix(bundled_pack: Pack) -> None:
    with_fix = 0
    for values in (ELSEWHERE_LINKED, {**ELSEWHERE_LINKED, "platform": "android"}, {}):
        platform = values.get("platform", UNKNOWN)
        for out in run(bundled_pack, values).findings:
            f = bundled_pack.finding_by_id[out.id]
            # A possible finding's detail is a condition (IF_IT_APPLIES before the pack's text).
            detail = f"{IF_IT_APPLIES} {f.detail}" if out.certainty == "possible" else f.detail
            assert (out.title, out.detail, out.risk, out.severity) == (f.title, detail, f.risk, f.severity)
            if out.fix is not None:
                assert f.fix is not None
                assert (out.fix.question, out.fix.to) == (f.fix.question, f.fix.to)
                assert out.fix.steps == steps_for(f.fix.steps, platform)
                with_fix += 1
    assert with_fix > 5


def test_a_conflict_is_carried_to_the_report(mini_pack_dir: Path) -> None:
    findings = mini_pack_dir / "findings.yaml"
    edit_pack_file(
        findings,
        "    detail: Last seen is public.\n",
        "    detail: Last seen is public.\n    conflict: Two help pages disagree on this.\n",
    )
    pack = load_pack(mini_pack_dir)
    out = run(pack, {"platform": "android", "linked": "no", "last_seen": "everyone"}).findings
    assert next(f for f in out if f.id == "public_last_seen").conflict == "Two help pages disagree on this."


def test_a_branch_that_only_possibly_applies_is_not_named_beside_one_that_holds(mini_pack_dir: Path) -> None:
    # Sharing is asked only when linked: with linked unknown, "share: always" only possibly
    # applies. Last seen public holds outright, so it alone is why the finding holds.
    questions = mini_pack_dir / "questions.yaml"
    edit_pack_file(
        questions,
        'when: {question: linked, in: ["yes", unknown]}',
        'when: {question: linked, in: ["yes"]}',
    )
    findings = mini_pack_dir / "findings.yaml"
    edit_pack_file(
        findings,
        "when: {rule: F4}",
        "when: {any: [{question: share, in: [always]}, {question: last_seen, in: [everyone]}]}",
    )
    pack = load_pack(mini_pack_dir)
    values = {"platform": "android", "share": "always", "last_seen": "everyone"}
    f = next(f for f in run(pack, values).findings if f.id == "public_last_seen")
    assert f.certainty == "documented"
    assert f.triggered_by == {"last_seen": "everyone"}
    linked = next(f for f in run(pack, {**values, "linked": "yes"}).findings if f.id == "public_last_seen")
    assert linked.triggered_by == {"share": "always", "last_seen": "everyone"}


def test_a_citation_or_a_protection_may_depend_on_a_rule(mini_pack_dir: Path) -> None:
    # Conditions on a rule, beside conditions on answers: a finding's and a rule's citation, and
    # a protection, each apply only when rule F4 (last seen public) fires.
    on_f4 = 'quote: "if F4", when: {rule: F4}'
    findings = mini_pack_dir / "findings.yaml"
    edit_pack_file(
        findings,
        "    sources: [{id: S2}]\n",
        f"    sources: [{{id: S2}}, {{id: S1, {on_f4}}}]\n",
    )
    flows = mini_pack_dir / "flows.yaml"
    text = flows.read_text(encoding="utf-8")
    head, f3 = text.split("  - id: F3\n")
    flows.write_text(
        head
        + "  - id: F3\n"
        + f3.replace("    sources: [{id: S2}]\n", f"    sources: [{{id: S2}}, {{id: S1, {on_f4}}}]\n", 1),
        encoding="utf-8",
    )
    protections = mini_pack_dir / "protections.yaml"
    protections.write_text(
        protections.read_text(encoding="utf-8")
        + "  - id: last_seen_hidden\n    title: Your last seen is hidden\n    when: {not: {rule: F4}}\n"
        + "    sources: [{id: S1}]\n",
        encoding="utf-8",
    )
    pack = load_pack(mini_pack_dir)

    def report(last_seen: str) -> tuple[list[str | None], list[str | None], list[str]]:
        values = {"platform": "android", "linked": "yes", "share": "always", "last_seen": last_seen}
        a = run(pack, values)
        finding = next(f for f in a.findings if f.id == "linked_and_sharing")
        flow = next(f for f in a.flows if (f.data, f.recipient) == ("status_content", "meta_companies"))
        f3 = next(b for b in flow.by_purpose if b.rules == ("F2", "F3"))
        return (
            [s.quote for s in finding.sources],
            [s.quote for s in f3.sources],
            [p.id for p in a.protections],
        )

    # The purpose's sources: F2's (S1), then F3's (S2, and S1 with its own quote when F4 fires).
    assert report("everyone") == ([None, "if F4"], [None, None, "if F4"], ["e2ee_messages"])
    assert report("nobody") == ([None], [None, None], ["e2ee_messages", "last_seen_hidden"])


def e2ee_exceptions(pack: Pack, values: dict[str, str]) -> dict[str, tuple[str, str, list[str]]]:
    """The end-to-end encryption protection's exceptions for `values`: text -> (certainty, text, sources)."""
    protection = next(p for p in run(pack, values).protections if p.id == "e2ee_messages")
    return {e.text: (e.certainty, e.text, [s.id for s in e.sources]) for e in protection.except_}


def test_an_exception_is_stated_plainly_only_when_it_certainly_applies(bundled_pack: Pack) -> None:
    pack_exceptions = next(p for p in bundled_pack.protections if p.id == "e2ee_messages").except_
    meta_ai, backup = pack_exceptions[0], pack_exceptions[-1]
    assert meta_ai.if_unknown is not None
    assert backup.if_unknown is not None
    other = {"region": "other", "platform": "android", "chat_backup": "on_e2ee"}
    sure = e2ee_exceptions(bundled_pack, {**other, "meta_ai": "often"})
    assert sure[meta_ai.text] == ("documented", meta_ai.text, ["S4"])
    unsure = e2ee_exceptions(bundled_pack, other)  # Meta AI use not answered
    assert unsure[meta_ai.if_unknown][0] == "possible"
    assert meta_ai.text not in unsure
    # A whole-iPhone iCloud backup, when the phone itself is not known: the iCloud question only
    # possibly applies, so the exception is a condition, not a statement.
    icloud = {**other, "meta_ai": "never", "icloud_device_backup": "on"}
    assert e2ee_exceptions(bundled_pack, {**icloud, "platform": "iphone"})[backup.text][0] == "documented"
    unknown_phone = e2ee_exceptions(bundled_pack, {k: v for k, v in icloud.items() if k != "platform"})
    assert unknown_phone[backup.if_unknown][0] == "possible"
    assert backup.text not in unknown_phone


def test_each_protection_carries_its_own_text_and_sources(bundled_pack: Pack) -> None:
    for values in (ELSEWHERE_LINKED, EEA_NOTHING_LINKED, {}):
        for out in run(bundled_pack, values).protections:
            p = next(p for p in bundled_pack.protections if p.id == out.id)
            assert (out.title, out.detail) == (p.title, p.detail)
            quotes = {(c.id, c.quote) for c in p.sources}
            assert out.sources
            assert {(s.id, s.quote) for s in out.sources} <= quotes, out.id
            for e in out.except_:
                exc = next(x for x in p.except_ if e.text in (x.text, x.if_unknown))
                assert {(s.id, s.quote) for s in e.sources} <= {(c.id, c.quote) for c in exc.sources}


def test_each_finding_cites_its_own_sources(bundled_pack: Pack) -> None:
    undated = 0
    for values in (ELSEWHERE_LINKED, EEA_NOTHING_LINKED, {}):
        for out in run(bundled_pack, values).findings:
            f = bundled_pack.finding_by_id[out.id]
            assert out.sources
            assert {(s.id, s.quote) for s in out.sources} <= {(c.id, c.quote) for c in f.sources}, out.id
            for ref in out.sources:  # the source as the pack describes it: "undated; checked ..."
                s = bundled_pack.source_by_id[ref.id]
                assert (ref.title, ref.url, ref.date, ref.publisher, ref.kind, ref.undated) == (
                    s.title,
                    s.url,
                    s.date,
                    s.publisher,
                    s.kind,
                    s.undated,
                )
                undated += ref.undated
    assert undated, "some cited source shows no date of its own"


def test_a_flows_purposes_are_in_the_packs_order(bundled_pack: Pack) -> None:
    order = [p.id for p in bundled_pack.vocabulary.purposes]
    several = 0
    for values in (ELSEWHERE_LINKED, {}):
        for flow in run(bundled_pack, values).flows:
            keys = [order.index(p) for p in flow.purposes]
            assert keys == sorted(keys), flow
            assert [b.purpose for b in flow.by_purpose] == list(flow.purposes)
            several += len(keys) > 1
    assert several


def test_split_shares_whole_points_by_weight_and_evenly_when_no_weight() -> None:
    """Findings that share a rule split its points; with no weight at all they split them evenly."""
    assert split(5, [3.0, 1.0], [(0, 0), (1, 1)]) == [4, 1]
    assert split(3, [1.0, 1.0], [(1, 0), (0, 1)]) == [1, 2]  # the remainder goes by order
    assert split(3, [0.0, 0.0, 0.0], [(0, 0), (0, 1), (0, 2)]) == [1, 1, 1]
    assert split(0, [0.0, 0.0], [(0, 0), (0, 1)]) == [0, 0]

"""The advice is complete: every change a person can make that lowers the score is recommended.

tests/test_properties.py holds each recommendation true (its score is the score of the changed
answers); this holds the list complete, one way only: a change that lowers the score must be there.
Advice may name more (a change that resolves a serious finding without lowering the score), and
which value it keeps per question is its own ranking; neither is assumed here.

Over random answer sets (hypothesis), over every example a person can try, and exhaustively over
the Meta connections section in tests/test_exhaustive.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import given

from audit.collect.answers_file import read_answers
from audit.evaluate.advice import candidate_values
from audit.evaluate.engine import evaluate
from audit.evaluate.scoring import effective_answers, exposure
from audit.load.read import load_pack
from audit.model.answers import Answers
from audit.model.assessment import Assessment
from audit.model.pack import Pack
from tests.conftest import EXAMPLES, edit_pack_file
from tests.test_properties import ANSWERS, PACK, SETTINGS, run


def unadvised(pack: Pack, values: Mapping[str, str], a: Assessment) -> list[tuple[str, str, int]]:
    """(question, value, score after) for each change that lowers the score and is not recommended."""
    effective = effective_answers(pack, values)
    advised = {r.question: r for r in a.recommendations}
    missing = []
    for q in pack.questions:
        now = effective[q.id]
        if q.id in advised:
            assert advised[q.id].from_ == now
            assert advised[q.id].to in candidate_values(q, now), "advice names a change the person can make"
            continue
        for value in candidate_values(q, now):
            after = exposure(pack, {**values, q.id: value}).score
            if after < a.score.value:
                missing.append((q.id, value, after))
    return missing


@SETTINGS
@given(ANSWERS)
def test_every_change_that_lowers_the_score_is_recommended(values: dict[str, str]) -> None:
    a = run(values)
    assert unadvised(PACK, values, a) == [], f"score {a.score.value}"


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_the_examples_get_complete_advice(example: str) -> None:
    values = dict(read_answers(PACK, EXAMPLES / example).values)
    a = run(values)
    assert unadvised(PACK, values, a) == [], f"score {a.score.value}"


def test_the_check_finds_a_missing_recommendation() -> None:
    # The check can fail: the quick, unsure example with its advice dropped is incomplete.
    values = dict(read_answers(PACK, EXAMPLES / "quick-unsure.yaml").values)
    a = run(values)
    assert len(a.recommendations) >= 2
    missing = unadvised(PACK, values, a.model_copy(update={"recommendations": a.recommendations[1:]}))
    assert {q for q, _, _ in missing} == {a.recommendations[0].question}


def test_a_flow_no_finding_names_carries_no_points(mini_pack_dir: Path) -> None:
    # The score is the findings' points: without its finding, public last seen still flows (rule
    # F4) but counts nothing, so hiding it is no step (and every change that lowers it still is).
    findings = mini_pack_dir / "findings.yaml"
    text = findings.read_text(encoding="utf-8")
    findings.write_text(text[: text.index("  - id: public_last_seen")], encoding="utf-8")
    pack = load_pack(mini_pack_dir)
    values = {"platform": "android", "linked": "yes", "share": "always", "last_seen": "everyone"}
    a = evaluate(pack, Answers(pack=pack.meta.id, values=values))
    assert ("presence", "anyone_with_number") in {(f.data, f.recipient) for f in a.flows}
    assert unadvised(pack, values, a) == []
    assert "last_seen" not in {r.question for r in a.recommendations}


def test_a_change_after_one_that_would_raise_the_score_is_still_tried(mini_pack_dir: Path) -> None:
    # Last seen: everyone > contacts > nobody in exposure. From contacts, "everyone" (tried first)
    # raises the score; "nobody" after it lowers it and must be advised.
    questions = mini_pack_dir / "questions.yaml"
    edit_pack_file(
        questions,
        "      - {id: everyone, label: Everyone}\n",
        "      - {id: everyone, label: Everyone}\n      - {id: contacts, label: My contacts}\n",
    )
    flows = mini_pack_dir / "flows.yaml"
    flows.write_text(
        flows.read_text(encoding="utf-8")
        + "  - id: F5\n    title: Contacts see your last seen\n"
        + "    when: {question: last_seen, in: [everyone, contacts]}\n    certainty: documented\n"
        + "    flows:\n      - {data: [presence], to: [whatsapp], purposes: [visibility]}\n"
        + "    sources: [{id: S1}]\n",
        encoding="utf-8",
    )
    findings = mini_pack_dir / "findings.yaml"
    findings.write_text(
        findings.read_text(encoding="utf-8")
        + "  - id: contacts_last_seen\n    title: Contacts see when you are online\n    severity: low\n"
        + "    when: {rule: F5}\n    flows_from: [F5]\n    certainty: documented\n"
        + "    detail: Last seen is shown.\n    sources: [{id: S1}]\n",
        encoding="utf-8",
    )
    pack = load_pack(mini_pack_dir)
    values = {"platform": "android", "linked": "no", "last_seen": "contacts"}
    a = evaluate(pack, Answers(pack=pack.meta.id, values=values))
    assert unadvised(pack, values, a) == []
    assert [(r.question, r.to) for r in a.recommendations] == [("last_seen", "nobody")]


def test_advice_names_the_most_serious_finding_a_change_resolves_first(bundled_pack: Pack) -> None:
    order = ["critical", "high", "medium", "low", "info"]
    resolving_two = 0
    for example in sorted(EXAMPLES.glob("*.yaml")):
        a = run(dict(read_answers(PACK, example).values))
        for r in a.recommendations:
            keys = [
                (
                    order.index(bundled_pack.finding_by_id[f].severity),
                    bundled_pack.findings.index(bundled_pack.finding_by_id[f]),
                )
                for f in r.resolves
            ]
            assert keys == sorted(keys), r
            assert r.effort == bundled_pack.question_by_id[r.question].change.effort
            resolving_two += len({k[0] for k in keys}) > 1
    assert resolving_two, "some change resolves findings of two severities"


def test_advice_keeps_the_value_a_fix_names_and_never_counts_info_findings(bundled_pack: Pack) -> None:
    # Turning the backup off and encrypting it score the same; the fix names encryption, so that
    # is the advice. Info findings are facts, not problems: no change "resolves" one.
    a = run(dict(read_answers(PACK, EXAMPLES / "linked-everything.yaml").values))
    backup = next(r for r in a.recommendations if r.question == "chat_backup")
    fix = bundled_pack.finding_by_id["unencrypted_backup"].fix
    assert fix is not None
    assert backup.to == fix.to
    for example in sorted(EXAMPLES.glob("*.yaml")):
        for r in run(dict(read_answers(PACK, example).values)).recommendations:
            assert all(bundled_pack.finding_by_id[f].severity != "info" for f in r.resolves), r

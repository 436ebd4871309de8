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

from audit.advice import candidate_values
from audit.answers import Answers, read_answers
from audit.assessment import Assessment
from audit.engine import evaluate
from audit.pack import Pack
from audit.pack_load import load_pack
from audit.scoring import effective_answers, exposure
from tests.conftest import EXAMPLES
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


def test_a_change_no_finding_names_is_still_advised(mini_pack_dir: Path) -> None:
    # Without its finding, public last seen still flows (rule F4) and hiding it lowers the score:
    # the advice must try that change though no finding reads last seen.
    findings = mini_pack_dir / "findings.yaml"
    text = findings.read_text(encoding="utf-8")
    findings.write_text(text[: text.index("  - id: public_last_seen")], encoding="utf-8")
    pack = load_pack(mini_pack_dir)
    values = {"platform": "android", "linked": "yes", "share": "always", "last_seen": "everyone"}
    a = evaluate(pack, Answers(pack=pack.meta.id, values=values))
    assert unadvised(pack, values, a) == []
    assert "last_seen" in {r.question for r in a.recommendations}

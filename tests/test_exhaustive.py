"""Every combination of the Meta connections section (section `meta`), `unknown` included.

The whole section is 2 x 6 x 4^8 x 3^3 = 21,233,664 combinations (platform, region, then eleven
questions): too many for CI. So each run fixes platform and region (one "slice") and enumerates the
other eleven questions; the other sections are fixed to the settings of the careful EEA persona
(examples/eea-nothing-linked.yaml), so that every recommendation lies inside the section. A
question that its own `when` leaves unasked (payments outside India and Brazil, Instagram sharing
without Accounts Center) contributes one case, not one per ignored value: its answer is ignored.

The suite enumerates every combination of value *classes*: values of a question that every
condition of the pack (questions', rules' and findings' `when`) treats alike, and that imply
nothing, form one class (`selected` and `always` of status sharing, `often` and `sometimes` of
Meta AI...); `unknown` is a class of its own. The score and which flows and findings hold read
answers only through those conditions, so they are the same for every value of a class. Each combination
takes each class's value by a seeded draw (SEED), so every value of every question is evaluated
thousands of times, and the lookups below cross-check the classes: a recommendation's
score_after, computed with the value it names, must equal the table's score for its class.
CI's slice, iPhone and region "other" (the global policy, where the most rules apply), is 52,488
combinations: a fifth of its 276,480 with every value (v3 added message summaries, three answers).
`WA_AUDIT_EXHAUSTIVE=all` runs all twelve slices with every value, not one per class: 8,294,400
combinations (the three regions where payments are asked have 1,105,920 each), over an hour.

The checks are those of tests/test_properties.py; a table of every slice's scores lets "a
recommendation's score_after is the score of the changed answers", "unknown never lowers the
score" and "a change that lowers the score is recommended" be checked by lookup instead of
re-evaluation.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from audit.collect.answers_file import read_answers
from audit.evaluate.advice import EFFORT_RANK, SEVERITY_RANK, candidate_values
from audit.evaluate.compiled import compiled_pack
from audit.evaluate.engine import evaluate
from audit.evaluate.scoring import effective_answers
from audit.model.answers import Answers
from audit.model.conditions import NOT_ASKED, UNKNOWN
from tests.test_properties import FACTS, PACK, assert_advice_covers_fixable_findings

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
META = [q for q in PACK.questions if q.section == "meta"]
FREE = [q for q in META if q.id not in ("platform", "region")]
# Outside the Meta section, the person who has nothing left to change (Status shown only to the
# people chosen: its finding has points too).
OTHERS = {
    q: v
    for q, v in {
        **read_answers(PACK, EXAMPLES / "eea-nothing-linked.yaml").values,
        "status_audience": "only_share_with",
    }.items()
    if PACK.question_by_id[q].section != "meta"
}
ORDER = {q.id: i for i, q in enumerate(PACK.questions)}
REGIONS = (*PACK.question_by_id["region"].value_ids, UNKNOWN)

SEED = 20261207
EVERY_VALUE = os.environ.get("WA_AUDIT_EXHAUSTIVE") == "all"
if EVERY_VALUE:
    SLICES = [(p, r) for p in PACK.question_by_id["platform"].value_ids for r in REGIONS]
    CLASS = {q.id: {v: i for i, v in enumerate(q.value_ids)} for q in FREE}
else:
    SLICES = [("iphone", "other")]
    CLASS = {q.id: compiled_pack(PACK).value_class[q.id] for q in FREE}
# Per question, the values of each class: one of them stands for the class in a combination.
MEMBERS = {
    q: [tuple(v for v in classes if classes[v] == c) for c in sorted(set(classes.values()))]
    for q, classes in CLASS.items()
}

Key = tuple[int | str, ...]  # per free question: its answer's class, or UNKNOWN


def combinations(platform: str, region: str) -> Iterator[dict[str, str]]:
    """An answer set per combination of classes of the slice; a question not asked is left out."""
    draw = random.Random(SEED)  # noqa: S311 - a repeatable draw, not a secret

    def extend(i: int, values: dict[str, str]) -> Iterator[dict[str, str]]:
        if i == len(FREE):
            yield values
            return
        q = FREE[i]
        # A `when` reads only earlier questions, all of them already set here.
        if effective_answers(PACK, values)[q.id] == NOT_ASKED:
            yield from extend(i + 1, values)
            return
        for members in (*MEMBERS[q.id], (UNKNOWN,)):
            yield from extend(i + 1, {**values, q.id: draw.choice(members)})

    yield from extend(0, {**OTHERS, "platform": platform, "region": region})


def key(values: dict[str, str]) -> Key:
    # Unasked questions are absent, so "absent" and "unknown" share a key without colliding:
    # whether a question is asked is decided by the earlier answers, which the key holds.
    return tuple(class_of(q.id, values.get(q.id, UNKNOWN)) for q in FREE)


def class_of(question: str, value: str) -> int | str:
    return UNKNOWN if value == UNKNOWN else CLASS[question][value]


_SETTLED: dict[Key, Key] = {}


def settled_key(values: dict[str, str]) -> Key:
    """The key of an answer set that may hold answers to questions it no longer asks."""
    raw = key(values)
    if raw not in _SETTLED:
        eff = effective_answers(PACK, values)
        _SETTLED[raw] = tuple(UNKNOWN if eff[q.id] == NOT_ASKED else class_of(q.id, eff[q.id]) for q in FREE)
    return _SETTLED[raw]


@pytest.mark.slow
@pytest.mark.parametrize(("platform", "region"), SLICES)
def test_every_combination_of_the_meta_section(platform: str, region: str) -> None:
    scores: dict[Key, int] = {}
    claims: list[tuple[Key, int, Key, str]] = []  # (key after the change, score_after, key, question)
    raises: list[tuple[Key, int]] = []  # (key with one answer unknown, score before)
    # Changes a person could make that no recommendation names: (key after, score before, key, question).
    unadvised: list[tuple[Key, int, Key, str]] = []
    for values in combinations(platform, region):
        a = evaluate(PACK, Answers(pack="whatsapp", values=values))
        k = key(values)
        assert k not in scores, "each combination once"
        scores[k] = a.score.value
        for flow in a.flows:
            assert flow.rules
            assert all(PACK.rule_by_id[r].sources for r in flow.rules)
            assert (flow.data, flow.recipient) != ("phone_number", "advertisers")
        assert all(f.sources for f in a.findings)
        order = []
        for r in a.recommendations:
            changes = {c.question: c.to for c in r.changes}
            assert all(PACK.question_by_id[q].section == "meta" for q in changes)
            assert not set(FACTS) & set(changes)
            assert r.score_after < a.score.value  # every step lowers it
            worst = SEVERITY_RANK[PACK.finding_by_id[r.resolves[0]].severity] if r.resolves else 5
            if r.question == "accounts_center":
                assert r.to == "previously_linked"
                assert r.from_ in ("linked", UNKNOWN)
            claims.append((settled_key({**values, **changes}), r.score_after, k, r.question))
            order.append((r.score_after, EFFORT_RANK[r.effort], worst, ORDER[r.question]))
        assert order == sorted(order)
        assert_advice_covers_fixable_findings(PACK, a)
        advised = {r.question for r in a.recommendations if len(r.changes) == 1}
        effective = effective_answers(PACK, values)
        for q in FREE:
            if q.id not in advised:
                for v in candidate_values(q, effective[q.id]):
                    unadvised.append((settled_key({**values, q.id: v}), a.score.value, k, q.id))
        for i in range(len(FREE)):
            if k[i] != UNKNOWN:
                raises.append(((*k[:i], UNKNOWN, *k[i + 1 :]), a.score.value))
    if (platform, region) == ("iphone", "other"):
        assert len(scores) == (276_480 if EVERY_VALUE else 52_488)  # as the module says
    for after, score_after, before, question in claims:
        assert scores[after] == score_after, (before, question)
    for k, before in raises:
        assert scores[k] >= before, k
    # Complete: a change that lowers the score is among the recommendations.
    for after, before, k, question in unadvised:
        assert scores[after] >= before, f"{question}: lowers the score from {k} but is not recommended"

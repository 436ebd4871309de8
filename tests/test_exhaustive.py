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

Two passes, so that the slice runs within a minute (the suite's budget for it). The score of every
combination goes into a table (the engine's state: answers, truths, points; about 0.2 ms each).
Then the full evaluation (flows, findings, advice, the best case; about 5 ms each) runs on a
seeded tenth of the combinations (SHARE; all of them with `WA_AUDIT_EXHAUSTIVE=all`), and its
score must be the table's. Checked on every combination, by lookup in the table: "unknown never
lowers the score". Checked on the evaluated tenth: the flows' and findings' sources, each
recommendation's score_after is the table's score of the changed answers, the steps' order, and
"a change that lowers the score is recommended". The checks are those of tests/test_properties.py.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from audit.collect.answers_file import read_answers
from audit.evaluate.advice import EFFORT_RANK, candidate_values
from audit.evaluate.compiled import compiled_pack
from audit.evaluate.engine import evaluate
from audit.evaluate.scoring import effective_answers, state_of
from audit.model.answers import Answers
from audit.model.conditions import NOT_ASKED, UNKNOWN
from audit.model.severity import SEVERITY_RANK
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
SHARE = 1.0 if EVERY_VALUE else 0.1  # of the combinations fully evaluated
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
    compiled = compiled_pack(PACK)
    every = list(combinations(platform, region))
    scores: dict[Key, int] = {}
    for values in every:
        k = key(values)
        assert k not in scores, "each combination once"
        scores[k] = state_of(compiled, values).score
    if (platform, region) == ("iphone", "other"):
        assert len(scores) == (276_480 if EVERY_VALUE else 52_488)  # as the module says
    # Unknown never lowers the score: every combination against each of its answers made unknown.
    for k, before in scores.items():
        for i in range(len(FREE)):
            if k[i] != UNKNOWN:
                lowered = (*k[:i], UNKNOWN, *k[i + 1 :])
                assert scores[lowered] >= before, (k, FREE[i].id)
    draw = random.Random(SEED + 1)  # noqa: S311 - a repeatable draw, not a secret
    evaluated = [values for values in every if draw.random() < SHARE]
    assert len(evaluated) > len(every) * SHARE * 0.9
    for values in evaluated:
        a = evaluate(PACK, Answers(pack="whatsapp", values=values))
        k = key(values)
        assert a.score.value == scores[k], k
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
            assert scores[settled_key({**values, **changes})] == r.score_after, (k, r.question)
            worst = SEVERITY_RANK[PACK.finding_by_id[r.resolves[0]].severity] if r.resolves else 5
            if r.question == "accounts_center":
                assert r.to == "previously_linked"
                assert r.from_ in ("linked", UNKNOWN)
            order.append((r.score_after, EFFORT_RANK[r.effort], worst, ORDER[r.question]))
        assert order == sorted(order)
        assert_advice_covers_fixable_findings(PACK, a)
        # Complete: a change that lowers the score is among the recommendations.
        advised = {r.question for r in a.recommendations if len(r.changes) == 1}
        effective = effective_answers(PACK, values)
        for q in FREE:
            if q.id not in advised:
                for v in candidate_values(q, effective[q.id]):
                    after = scores[settled_key({**values, q.id: v})]
                    assert after >= a.score.value, f"{q.id}: lowers the score from {k} but is not recommended"

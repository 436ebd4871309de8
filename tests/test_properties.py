"""Properties of the engine over random answer sets, against the bundled WhatsApp pack (hypothesis)."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.evaluate.advice import EFFORT_RANK
from audit.evaluate.compiled import compiled_pack
from audit.evaluate.engine import evaluate
from audit.evaluate.scoring import exposure, pairs_of, state_of
from audit.load.read import load_pack
from audit.load.resources import default_pack_dir
from audit.model.answers import Answers
from audit.model.assessment import Assessment
from audit.model.conditions import UNKNOWN
from audit.model.pack import Pack
from audit.model.severity import SEVERITY_RANK

PACK = load_pack(default_pack_dir())
FACTS = ("platform", "region", "optout_2016")
pytestmark = pytest.mark.slow  # 300 examples a property: minutes, not seconds
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _answer(q_values: tuple[str, ...], allow_unknown: bool) -> st.SearchStrategy[str | None]:
    options = [*q_values, *([UNKNOWN] if allow_unknown else [])]
    return st.one_of(st.none(), st.sampled_from(options))  # None: left out (counts as unknown)


ANSWERS = st.fixed_dictionaries({q.id: _answer(q.value_ids, q.allow_unknown) for q in PACK.questions}).map(
    lambda d: {k: v for k, v in d.items() if v is not None}
)


def run(values: Mapping[str, str]) -> Assessment:
    return evaluate(PACK, Answers(pack="whatsapp", values=dict(values)))


def redone(pack: Pack, values: Mapping[str, str]) -> tuple[int, set[str], frozenset[tuple[str, str]]]:
    """Score, findings that hold and pairs that flow, from the engine's state of `values`.

    The cheap core of an evaluation (a full one per step made the properties take minutes), held
    to the full evaluation by test_exposure_agrees_with_the_full_evaluation.
    """
    compiled = compiled_pack(pack)
    state = state_of(compiled, values)
    found = {f.id for i, f in enumerate(compiled.findings) if state.holds(i)}
    return state.score, found, pairs_of(compiled, state)


def assert_advice_covers_fixable_findings(pack: Pack, a: Assessment) -> None:
    """Every documented high (or critical) finding with a fix has a step that lowers the score."""
    fixable = [
        f
        for f in a.findings
        if f.fix is not None
        and f.certainty == "documented"
        and SEVERITY_RANK[f.severity] <= SEVERITY_RANK["high"]
    ]
    covered = {f for r in a.recommendations if r.score_after < a.score.value for f in r.resolves}
    assert {f.id for f in fixable} <= covered, [f.id for f in fixable if f.id not in covered]


def assert_one_measure(pack: Pack, a: Assessment) -> None:
    """The score, the severities and the band agree (SHARING_MODEL.md section 00)."""
    assert a.score.value == min(100, sum(f.points for f in a.findings))
    for f in a.findings:
        if f.severity == "info":
            assert f.points == 0, f
        for g in a.findings:
            if f.certainty == g.certainty and SEVERITY_RANK[f.severity] < SEVERITY_RANK[g.severity]:
                assert f.points >= g.points, (f.id, f.points, g.id, g.points)
    lowest = min(pack.vocabulary.bands, key=lambda b: b.below).id
    if any(f.severity in {"high", "critical"} and f.certainty == "documented" for f in a.findings):
        assert a.score.band != lowest


def check_invariants(pack: Pack, values: Mapping[str, str], a: Assessment) -> None:
    """What must hold for every answer set; shared with tests/test_exhaustive.py."""
    rules = pack.rule_by_id
    for flow in a.flows:
        assert flow.rules, f"{flow} cites no rule"
        for rid in flow.rules:
            assert rid in rules
            assert rules[rid].sources, f"rule {rid} cites no source"
            assert all(c.id in pack.source_by_id for c in rules[rid].sources)
        assert (flow.data, flow.recipient) != ("phone_number", "advertisers")
        assert flow.purposes
    assert len({(f.data, f.recipient) for f in a.flows}) == len(a.flows)
    for finding in a.findings:
        assert finding.sources
        assert all(s.url.startswith("https://") for s in finding.sources)
        assert "not_asked" not in finding.triggered_by.values()
    for p in a.protections:
        assert p.sources
    # Recommendations (SHARING_MODEL.md section 00): each lowers the score, by exactly what applying
    # its changes does, resolves exactly the findings it claims, and they come ranked by the points
    # they remove (then effort, then the most severe finding resolved, then question order).
    order = {q.id: i for i, q in enumerate(pack.questions)}
    severity = {f.id: SEVERITY_RANK[f.severity] for f in pack.findings}
    now = {f.id for f in a.findings}
    pairs_now = exposure(pack, values).pairs
    keys = []
    for r in a.recommendations:
        changes = {c.question: c.to for c in r.changes}
        assert (r.changes[0].question, r.changes[0].to) == (r.question, r.to)
        assert 1 <= len(changes) <= 2
        assert not set(FACTS) & set(changes)
        assert r.score_after < a.score.value
        assert r.score_removed == a.score.value - r.score_after
        score_after, found_after, pairs_after = redone(pack, {**values, **changes})
        assert r.score_after == score_after
        gone = now - found_after
        assert set(r.resolves) == {f for f in gone if pack.finding_by_id[f].severity != "info"}
        assert list(r.resolves) == sorted(r.resolves, key=lambda f: severity[f])
        worst = severity[r.resolves[0]] if r.resolves else len(SEVERITY_RANK)
        assert {(p.data, p.recipient) for p in r.removes} == pairs_now - pairs_after
        if "accounts_center" in changes:
            assert (a.answers["accounts_center"], changes["accounts_center"]) in {
                ("linked", "previously_linked"),
                (UNKNOWN, "previously_linked"),
            }
        keys.append((r.score_after, EFFORT_RANK[r.effort], worst, order[r.question]))
    assert keys == sorted(keys)
    assert_advice_covers_fixable_findings(pack, a)
    assert_one_measure(pack, a)
    # Unknowns: most at stake first; the best case is the score with them at their least exposing.
    stakes = [u.at_stake for u in a.unknowns]
    assert stakes == sorted(stakes, reverse=True)
    assert a.score.best_case is not None
    assert 0 <= a.score.best_case <= a.score.value
    if not a.unknowns:
        assert a.score.best_case == a.score.value
    for u in a.unknowns:
        lowest = min(
            exposure(pack, {**values, u.question: v}).score for v in pack.question_by_id[u.question].value_ids
        )
        assert u.at_stake == a.score.value - lowest
    steps = [frozenset((c.question, c.to) for c in r.changes) for r in a.recommendations]
    assert len(set(steps)) == len(steps)
    assert 0 <= a.score.value <= 100


@SETTINGS
@given(ANSWERS)
def test_invariants_hold_for_any_answers(values: dict[str, str]) -> None:
    check_invariants(PACK, values, run(values))


@settings(SETTINGS, max_examples=100)  # three whole evaluations an example
@given(ANSWERS)
def test_evaluation_is_deterministic(values: dict[str, str]) -> None:
    first = run(values)
    assert run(dict(reversed(list(values.items())))) == first
    assert run(values).model_dump_json() == first.model_dump_json()


@SETTINGS
@given(ANSWERS)
def test_replacing_any_answer_by_unknown_never_lowers_the_score(values: dict[str, str]) -> None:
    score = exposure(PACK, values).score
    for question in values:
        for unsure in ({**values, question: UNKNOWN}, {k: v for k, v in values.items() if k != question}):
            assert exposure(PACK, unsure).score >= score, (question, values)


@SETTINGS
@given(ANSWERS, st.data())
def test_unknown_never_removes_a_flow(values: dict[str, str], data: st.DataObject) -> None:
    question = data.draw(st.sampled_from(sorted(values) or ["region"]))
    # exposure's pairs are the full evaluation's flows (test_exposure_agrees_with_the_full_evaluation)
    assert exposure(PACK, values).pairs <= exposure(PACK, {**values, question: UNKNOWN}).pairs


@SETTINGS
@given(ANSWERS)
def test_exposure_agrees_with_the_full_evaluation(values: dict[str, str]) -> None:
    a = run(values)
    e = exposure(PACK, values)
    assert e.score == a.score.value
    assert e.pairs == {(f.data, f.recipient) for f in a.flows}
    score, found, pairs = redone(PACK, values)
    assert (score, found, pairs) == (a.score.value, {f.id for f in a.findings}, e.pairs)

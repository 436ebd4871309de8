"""Answers -> the state of an evaluation: effective answers, rule and finding truths, points, score.

The score is the sum of the findings' points (written down for people in the README, "How the
score works", and in `wa-audit rules show`). A finding's points: its severity's points
(compiled.SEVERITY_POINTS), up to a fifth more for what its flows send (sensitivity x reach x
purpose, as a share of the most any finding of the pack sends), times its certainty's weight,
rounded. Findings that name the same rule count that flow once: each finding's points are spread
over the rules it names that hold, each rule counts at the largest stake put on it, split between
its findings in proportion to their stakes. A finding whose rules do not hold (two-step
verification) keeps its own points. At most 100.

Why not knowing is never safe: "I don't know" can only turn a rule or finding from true or false
into possible (Kleene's logic is monotone), and `possible` weighs at least as much as any certainty
(`wa-audit rules check` holds packs to it), so no finding loses points and none disappears.
tests/test_properties.py checks it on random answers.

Also the what-ifs (answers changed, once per class of equivalent values) and the effective answers
the interview asks by.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from audit.evaluate.compiled import CompiledPack, CompiledQuestion, PairKey, compiled_pack, flow_weight
from audit.model.conditions import NOT_ASKED, UNKNOWN, Truth
from audit.model.conditions import evaluate as evaluate_condition
from audit.model.pack import Pack, Question, Value

FLOW_BONUS = 0.2  # the most a finding's flows add to its severity's points: a fifth


@dataclass(frozen=True)
class State:
    """One evaluation: answers, truths, points and the score."""

    values: Mapping[str, str]  # raw answers (missing = unknown)
    answers: Mapping[str, str]  # effective: unknown filled in, not_asked where a `when` is false
    applies: Mapping[str, Truth]  # truth of each question's own `when`
    truths: Sequence[Truth]  # per rule
    found: Sequence[Truth]  # per finding
    points: Sequence[int]  # per finding: its share of the score (0 where it does not hold)
    score: int

    def holds(self, finding: int) -> bool:
        return self.found[finding] is not Truth.FALSE


def _no_rules(rule_id: str) -> Truth:
    # `wa-audit rules check` refuses packs whose questions or values depend on rules; reaching
    # this is a bug.
    raise ValueError(f"a question's or a value's 'when' may not refer to rule '{rule_id}'")


def _settle(
    q: CompiledQuestion, values: Mapping[str, str], answers: dict[str, str], applies: dict[str, Truth]
) -> None:
    t = Truth.TRUE if q.when is None else q.when(answers, applies, _no_rules)
    applies[q.id] = t
    answers[q.id] = NOT_ASKED if t is Truth.FALSE else values.get(q.id, UNKNOWN)
    if t is not Truth.FALSE:
        for source, value, allowed in q.implied_by:
            if answers.get(source) == value:
                answers[q.id] = answers[q.id] if answers[q.id] in allowed else allowed[0]
                break


def _half_up(x: float) -> int:
    return int(x + 0.5)


def split(total: int, weights: Sequence[float], order: Sequence[tuple[int, int]]) -> list[int]:
    """`total` in whole parts in proportion to `weights` (largest remainder; ties go by `order`)."""
    whole = sum(weights)
    if whole <= 0:
        weights, whole = [1.0] * len(weights), float(len(weights))
    exact = [total * w / whole for w in weights]
    parts = [int(e) for e in exact]
    for i in sorted(range(len(parts)), key=lambda i: (parts[i] - exact[i], order[i]))[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _own_points(compiled: CompiledPack, i: int, possible: bool, holding: tuple[int, ...]) -> int:
    """A finding's points on its own: severity x (1 + a fifth of its flows' share) x certainty."""
    f = compiled.findings[i]
    share = flow_weight(compiled, holding) / compiled.flow_top if compiled.flow_top > 0 else 0.0
    return _half_up(f.points * (f.weight_possible if possible else f.weight) * (1 + FLOW_BONUS * share))


def _points(
    compiled: CompiledPack, rule_truth: Callable[[int], Truth], found: Iterable[tuple[int, Truth]]
) -> dict[int, int]:
    """The points of the findings that hold in `found` (finding, truth), rules shared once."""
    false, possible = Truth.FALSE, Truth.POSSIBLE
    points: dict[int, int] = {}
    stakes: dict[int, list[tuple[int, int]]] = {}  # rule -> (finding, stake)
    own_points = compiled.memo  # a finding's own points depend on its truth and its rules' only
    for i, t in found:
        f = compiled.findings[i]
        if t is false or not f.points:
            continue
        holding = tuple(r for r in f.rules if rule_truth(r) is not false)
        key = ("points", i, t is possible, holding)
        own = own_points.get(key)
        if own is None:
            own = own_points[key] = _own_points(compiled, i, t is possible, holding)
        points[i] = 0 if holding else own
        # Spread evenly over its rules (the first ones take the remainder).
        each, extra = divmod(own, len(holding) or 1)
        for k, r in enumerate(holding):
            stakes.setdefault(r, []).append((i, each + (k < extra)))
    for claims in stakes.values():
        if len(claims) == 1:
            i, stake = claims[0]
            points[i] += stake
            continue
        top = max(stake for _, stake in claims)
        order = [(compiled.findings[i].rank, i) for i, _ in claims]
        for (i, _), part in zip(claims, split(top, [s for _, s in claims], order), strict=True):
            points[i] += part
    return points


def _settled(
    compiled: CompiledPack, values: Mapping[str, str], questions: Iterable[CompiledQuestion]
) -> tuple[dict[str, str], dict[str, Truth], Callable[[str], Truth], list[Truth | None]]:
    """Effective answers of `questions` (in pack order), and rule truths worked out when asked for."""
    answers: dict[str, str] = {}
    applies: dict[str, Truth] = {}
    for q in questions:
        _settle(q, values, answers, applies)
    truths: list[Truth | None] = [None] * len(compiled.rules)

    def rule_truth(rule_id: str) -> Truth:
        i = compiled.rule_pos[rule_id]
        t = truths[i]
        if t is None:
            t = truths[i] = compiled.rules[i].when(answers, applies, rule_truth)
        return t

    return answers, applies, rule_truth, truths


def state_of(compiled: CompiledPack, values: Mapping[str, str]) -> State:
    answers, applies, rule_truth, truths = _settled(compiled, values, compiled.questions)
    for rule in compiled.rules:
        rule_truth(rule.id)
    found = [f.when(answers, applies, rule_truth) for f in compiled.findings]
    done: list[Truth] = truths  # type: ignore[assignment]  # every rule is now evaluated
    shares = _points(compiled, done.__getitem__, enumerate(found))
    points = [shares.get(i, 0) for i in range(len(found))]
    return State(values, answers, applies, done, found, points, min(100, sum(points)))


def points_of(
    compiled: CompiledPack, values: Mapping[str, str], findings: Sequence[int]
) -> tuple[int, State]:
    """The points `findings` carry for `values`, evaluating only what they read (the best case's search).

    `findings` must hold every finding that shares a rule with one of them (their `scope` is then
    closed). Also a partial state, whose answers are those of the questions they read.
    """
    key = ("reads", tuple(findings))
    questions = compiled.memo.get(key)
    if questions is None:
        scope = set().union(*(compiled.findings[i].scope for i in findings))
        questions = compiled.memo[key] = tuple(q for q in compiled.questions if q.id in scope)
    answers, applies, rule_truth, _ = _settled(compiled, values, questions)
    found = [(i, compiled.findings[i].when(answers, applies, rule_truth)) for i in findings]
    shares = _points(compiled, lambda r: rule_truth(compiled.rules[r].id), found)
    return sum(shares.values()), State(values, answers, applies, (), (), (), 0)


def flowing(compiled: CompiledPack, state: State) -> list[int]:
    """The pairs that flow (a rule sending them holds or possibly holds), by index, in pair order."""
    return [
        p
        for p, rules in enumerate(compiled.pair_rules)
        if any(state.truths[i] is not Truth.FALSE for i in rules)
    ]


def pairs_of(compiled: CompiledPack, state: State) -> frozenset[PairKey]:
    return frozenset(compiled.pairs[p] for p in flowing(compiled, state))


WhatIf = Callable[[str, str], State]  # (question, new value) -> the state after that change


def what_ifs(compiled: CompiledPack, state: State) -> WhatIf:
    """What-ifs from `state`, one evaluation per class of equivalent values."""
    done: dict[tuple[str, int], State] = {}

    def what_if(question: str, value: str) -> State:
        # `value` is one of the question's values: advice, the stakes and the conditions ask no other.
        classes = compiled.value_class[question]
        cls = classes[value]
        if cls == classes.get(state.answers[question]):
            return state
        if (question, cls) not in done:
            done[(question, cls)] = state_of(compiled, {**state.values, question: value})
        return done[(question, cls)]

    return what_if


def at_stake(compiled: CompiledPack, state: State, what_if: WhatIf, question: str) -> int:
    """The score points an unknown answer controls: what the least exposing real answer removes."""
    lowest = min(what_if(question, v).score for v in compiled.value_class[question])
    return max(0, state.score - lowest)


@dataclass(frozen=True)
class Exposure:
    """The cheap part of an evaluation: effective answers, what flows, and the score."""

    answers: Mapping[str, str]
    pairs: frozenset[PairKey]
    score: int


def exposure(pack: Pack, values: Mapping[str, str]) -> Exposure:
    """Flows and score only, for `values` (raw answers; missing = unknown)."""
    compiled = compiled_pack(pack)
    state = state_of(compiled, values)
    return Exposure(answers=state.answers, pairs=pairs_of(compiled, state), score=state.score)


def effective_answers(pack: Pack, values: Mapping[str, str]) -> dict[str, str]:
    """Every question's answer as the engine sees it (the interview uses it to know what to ask).

    A missing answer is `unknown`; a question whose own `when` is false is `not_asked`. One that a
    quick check skipped (saved as `not_asked`) counts as unknown here: it is still to be asked.
    """
    values = {q: v for q, v in values.items() if v != NOT_ASKED}
    answers: dict[str, str] = {}
    applies: dict[str, Truth] = {}
    for q in compiled_pack(pack).questions:
        _settle(q, values, answers, applies)
    return answers


def implied(pack: Pack, question: str, effective: Mapping[str, str]) -> tuple[str, str] | None:
    """(question, value) of the earlier answer that settles `question` (so it is not asked), if any."""
    compiled = compiled_pack(pack)
    q = compiled.questions[compiled.question_pos[question]]
    for source, value, _allowed in q.implied_by:
        if effective.get(source) == value:
            return source, value
    return None


def offered_values(pack: Pack, q: Question, effective: Mapping[str, str]) -> tuple[Value, ...]:
    """The values of `q` that can apply given the effective answers (a value's own `when`).

    A value is left out only when its `when` is certainly false: with an unknown region, both
    "in India" and "in Brazil" are offered.
    """

    def values_of(question: str) -> tuple[str, ...]:
        return pack.question_by_id[question].value_ids

    return tuple(
        v
        for v in q.values
        if v.when is None or evaluate_condition(v.when, effective, values_of, _no_rules) is not Truth.FALSE
    )


def help_for(pack: Pack, q: Question, effective: Mapping[str, str]) -> str:
    """The help `q` gives this person: the first `help_if` true for them, else its `help`."""

    def values_of(question: str) -> tuple[str, ...]:
        return pack.question_by_id[question].value_ids

    for variant in q.help_if:
        if evaluate_condition(variant.when, effective, values_of, _no_rules) is Truth.TRUE:
            return variant.text
    return q.help

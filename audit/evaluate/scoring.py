"""Answers -> the state of an evaluation: effective answers, rule truths, pair levels, the score.

The score (written down for people in the README, "How the score works"): every (data, recipient)
pair that flows weighs sensitivity(data) x reach(recipient) x purpose x certainty, where a rule
sending the pair contributes its certainty weight times the weight of its weightiest purpose for
that pair, and the pair takes the highest contribution among the rules that send it; the score is
the sum as a percentage of the most the pack can describe (every pair it names, at its highest
weight), rounded, 0-100.

Also the what-ifs (one answer changed, re-evaluating only what it can reach, once per class of
equivalent values), the best case, and the effective answers the interview asks by.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from audit.evaluate.compiled import CompiledPack, CompiledQuestion, PairKey, compiled_pack
from audit.model.conditions import NOT_ASKED, UNKNOWN, Truth
from audit.model.conditions import evaluate as evaluate_condition
from audit.model.pack import Pack, Question, Value

ABSENT = -1.0  # the level of a pair that does not flow
_BEST_CASE_PASSES = 4  # a pass settles every unknown; later passes refine (sideways moves)


@dataclass(frozen=True)
class State:
    """One evaluation: answers, truths, levels and the score."""

    values: Mapping[str, str]  # raw answers (missing = unknown)
    answers: Mapping[str, str]  # effective: unknown filled in, not_asked where a `when` is false
    applies: Mapping[str, Truth]  # truth of each question's own `when`
    truths: Sequence[Truth]  # per rule
    levels: Sequence[float]  # per pair: the certainty weight it flows with, or ABSENT
    score: int


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


def _rule_truths(
    compiled: CompiledPack,
    answers: Mapping[str, str],
    applies: Mapping[str, Truth],
    truths: list[Truth | None],
    pending: Sequence[int],
) -> list[Truth]:
    """Fill in the truths of the `pending` rules (None in `truths`), following rule references."""

    def rule_truth(rule_id: str) -> Truth:
        i = compiled.rule_pos[rule_id]
        t = truths[i]
        if t is None:
            t = compiled.rules[i].when(answers, applies, rule_truth)
            truths[i] = t
        return t

    for i in pending:
        rule_truth(compiled.rules[i].id)
    return truths  # type: ignore[return-value]  # every None was pending, and is now filled in


def _level(compiled: CompiledPack, pair: int, truths: Sequence[Truth]) -> float:
    best = ABSENT
    for i in compiled.pair_rules[pair]:
        t = truths[i]
        if t is Truth.FALSE:
            continue
        rule = compiled.rules[i]
        w = rule.weight if t is Truth.TRUE else rule.weight_possible
        best = max(best, w * rule.factor[pair])
    return best


def _score(compiled: CompiledPack, levels: Sequence[float]) -> int:
    # Why `possible` weighs 1.0 (at least as much as `documented`): replacing an answer by "I don't
    # know" can only turn a rule from true or false into possible (Kleene's logic is monotone), so
    # with possible >= every other weight no pair loses weight and none disappears. Not knowing
    # therefore never scores safer than knowing; `wa-audit rules check` holds packs to it, and
    # tests/test_properties.py checks it on random answers. Summed in pair order, so that a what-if
    # and a full evaluation of the same answers give the very same float.
    raw = 0.0
    for base, level in zip(compiled.pair_base, levels, strict=True):
        if level > 0:
            raw += base * level
    return min(100, round(100 * raw / compiled.maximum)) if compiled.maximum > 0 else 0


def state_of(compiled: CompiledPack, values: Mapping[str, str]) -> State:
    answers: dict[str, str] = {}
    applies: dict[str, Truth] = {}
    for q in compiled.questions:
        _settle(q, values, answers, applies)
    truths = _rule_truths(
        compiled, answers, applies, [None] * len(compiled.rules), range(len(compiled.rules))
    )
    levels = [_level(compiled, p, truths) for p in range(len(compiled.pairs))]
    return State(values, answers, applies, truths, levels, _score(compiled, levels))


def _what_if(compiled: CompiledPack, base: State, question: str, value: str) -> State:
    """`base` with one answer changed, re-evaluating only what that answer can reach."""
    values = {**base.values, question: value}
    answers, applies = dict(base.answers), dict(base.applies)
    for j in compiled.resettle[question]:
        _settle(compiled.questions[j], values, answers, applies)
    touched = compiled.touched_rules[question]
    cleared: list[Truth | None] = list(base.truths)
    for i in touched:
        cleared[i] = None
    truths = _rule_truths(compiled, answers, applies, cleared, touched)
    levels = list(base.levels)
    for p in compiled.touched_pairs[question]:
        levels[p] = _level(compiled, p, truths)
    return State(values, answers, applies, truths, levels, _score(compiled, levels))


def what_ifs(compiled: CompiledPack, unchanged: WhatIfScenario) -> Callable[[str, str], WhatIfScenario]:
    """What-ifs from `unchanged`, one evaluation per class of equivalent values."""
    done: dict[tuple[str, int], WhatIfScenario] = {}
    state = unchanged.state

    def what_if(question: str, value: str) -> WhatIfScenario:
        # `value` is one of the question's values: advice, the stakes and the conditions ask no other.
        classes = compiled.value_class[question]
        cls = classes[value]
        if cls == classes.get(state.answers[question]):
            return unchanged
        if (question, cls) not in done:
            done[(question, cls)] = WhatIfScenario(
                compiled, _what_if(compiled, state, question, value), unchanged, question
            )
        return done[(question, cls)]

    return what_if


@dataclass(frozen=True)
class Exposure:
    """The cheap part of an evaluation: effective answers, what flows, and the score."""

    answers: Mapping[str, str]
    pairs: frozenset[PairKey]
    score: int


class WhatIfScenario:
    """What a set of answers leads to (advice.Scenario), as a what-if's result.

    The effective answers and the score at once; pairs and findings only when asked for, which the
    advice does only for the changes it considers.
    """

    def __init__(
        self, compiled: CompiledPack, state: State, base: WhatIfScenario | None = None, question: str = ""
    ) -> None:
        self._compiled = compiled
        self.state = state
        self._base = base  # the outcome this what-if changed one answer of, if any
        self._question = question
        self.answers = state.answers
        self.score = state.score

    @cached_property
    def pairs(self) -> frozenset[PairKey]:
        return _pairs(self._compiled, self.state)

    @cached_property
    def findings(self) -> frozenset[str]:
        """The findings that hold, or possibly hold (only those one answer can reach are redone)."""
        compiled, state = self._compiled, self.state

        def holds(i: int) -> bool:
            t = compiled.findings[i](
                state.answers, state.applies, lambda r: state.truths[compiled.rule_pos[r]]
            )
            return t is not Truth.FALSE

        if self._base is None:
            return frozenset(fid for i, fid in enumerate(compiled.finding_ids) if holds(i))
        touched = compiled.touched_findings[self._question]
        kept = self._base.findings - {compiled.finding_ids[i] for i in touched}
        return kept | {compiled.finding_ids[i] for i in touched if holds(i)}


def best_case(compiled: CompiledPack, state: State, unknown: Sequence[str]) -> int:
    """The score with the `unknown` answers at their least exposing (SHARING_MODEL.md section 6).

    Coordinate descent over real answers, a few passes: each unknown question in turn takes the
    value that scores lowest given the others (and given the best answers to the unknown questions
    that value makes apply), moving sideways on a tie. The result is the score of answers a person
    could really give: never lower than any of them, as counting only what is certain would be
    (that would leave out both regions' rules at once). tests/test_best_case.py checks it against
    every real completion of up to four unknown answers, and with many unknown that answering one
    more question never finds a lower best case.
    """
    return _least_exposing(compiled, state, unknown).score


def _least_exposing(compiled: CompiledPack, state: State, unknown: Sequence[str]) -> State:
    current = state
    for _ in range(_BEST_CASE_PASSES):
        changed = False
        for question in unknown:
            now = current.answers[question]
            if now == NOT_ASKED:  # another answer made it not apply
                continue
            classes = compiled.value_class[question]
            tried: set[int] = {classes[now]} if now in classes else set()
            # An answer that makes other unknown questions apply (region Brazil: payments) is
            # judged by its best outcome, with those settled too.
            reads_it = compiled.resettle[question][1:]
            opened = [d for d in unknown if compiled.question_pos[d] in reads_it]
            options: list[State] = []
            for value, cls in classes.items():
                if cls not in tried:
                    tried.add(cls)
                    option = _what_if(compiled, current, question, value)
                    options.append(_least_exposing(compiled, option, opened) if opened else option)
            if not options:
                continue
            lowest = min(o.score for o in options)
            if lowest > current.score:
                continue
            pick = next(o for o in options if o.score == lowest)
            # From "I don't know" any real answer scores no higher (Kleene's logic is monotone),
            # so an unknown settles on its lowest. A settled one moves sideways too (to an equal
            # score): that lets a later question reach a lower one, which a descent taking only
            # lower scores missed (tests/test_best_case.py, answers fixed one at a time).
            current, changed = pick, True
        if not changed:
            break
    return current


def at_stake(
    compiled: CompiledPack, state: State, what_if: Callable[[str, str], WhatIfScenario], question: str
) -> int:
    """The score points an unknown answer controls: what the least exposing real answer removes."""
    lowest = min(what_if(question, v).score for v in compiled.value_class[question])
    return max(0, state.score - lowest)


def _pairs(compiled: CompiledPack, state: State) -> frozenset[PairKey]:
    return frozenset(compiled.pairs[p] for p, level in enumerate(state.levels) if level != ABSENT)


def _exposure(compiled: CompiledPack, state: State) -> Exposure:
    return Exposure(answers=state.answers, pairs=_pairs(compiled, state), score=state.score)


def exposure(pack: Pack, values: Mapping[str, str]) -> Exposure:
    """Flows and score only, for `values` (raw answers; missing = unknown)."""
    compiled = compiled_pack(pack)
    return _exposure(compiled, state_of(compiled, values))


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

"""evaluate(pack, answers) -> Assessment: which data flows to whom, why, how sure, and the score.

Pure and deterministic: no clock, no environment, no randomness. The same pack and answers give
the same Assessment, field for field and in the same order.

The score (written down for people in the README, "How the score works"): every (data, recipient)
pair that flows weighs sensitivity(data) x reach(recipient) x purpose x certainty, where a rule
sending the pair contributes its certainty weight times the weight of its weightiest purpose for
that pair, and the pair takes the highest contribution among the rules that send it; the score is
the sum as a percentage of the most the pack can describe (every pair it names, at its highest
weight), rounded, 0-100. Bands come from the pack's vocabulary.

Speed: a pack is compiled once (conditions into functions, pairs into indices) and kept in a small
cache; a what-if re-evaluates only the questions, rules and pairs that the changed answer can reach.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any, TypeVar

from audit import advice
from audit.answers import Answers
from audit.assessment import (
    Assessment,
    DisputeOut,
    ExceptionOut,
    FindingOut,
    FixOut,
    Flow,
    PackRef,
    Pair,
    ProtectionOut,
    RightOut,
    Score,
    SourceRef,
    Unknown,
)
from audit.conditions import (
    NOT_ASKED,
    UNKNOWN,
    Compiled,
    Condition,
    QuestionIn,
    Truth,
    compile_condition,
    explain,
    questions_in,
    walk,
)
from audit.conditions import evaluate as evaluate_condition
from audit.pack import Citation, Dispute, Finding, Pack, Protection, Question, Right, Value
from audit.platform_text import platform_of, steps_for, where_text
from audit.severity import MOST_SEVERE_FIRST

# Display order of certainty: what is written down beats what is reported beats what is possible.
_CERTAINTY_RANK = {"documented": 3, "reported": 2, "disputed": 1, "possible": 0}
_ABSENT = -1.0  # the level of a pair that does not flow
_BEST_CASE_PASSES = 4  # a pass settles every unknown; later passes only refine (rarely needed)

PairKey = tuple[str, str]


# --- the compiled pack -------------------------------------------------------------------------
@dataclass(frozen=True)
class _Question:
    """A question of the compiled pack: its id, compiled `when`, and what earlier answers imply it.

    `implied_by` lists (question, value, allowed values): when that earlier question has that
    answer (Strict account settings on), this one is not asked and takes the first allowed value
    unless its own answer is one of them.
    """

    id: str
    when: Compiled | None
    implied_by: tuple[tuple[str, str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class _Rule:
    """A rule of the compiled pack, with the pairs it sends and their weights."""

    id: str
    when: Compiled
    certainty: str
    weight: float  # when the rule holds
    weight_possible: float  # when it only possibly holds
    purposes: Mapping[int, frozenset[str]]  # pair index -> purposes; the keys are the pairs it sends
    factor: Mapping[int, float]  # pair index -> the weight of its weightiest purpose in this rule


@dataclass(frozen=True)
class _Plan:
    """A pack compiled for evaluation (see the module's Speed note)."""

    questions: tuple[_Question, ...]
    question_pos: Mapping[str, int]
    rules: tuple[_Rule, ...]
    rule_pos: Mapping[str, int]
    pairs: tuple[PairKey, ...]  # every pair the pack can send, in display order (recipient, data)
    pair_base: tuple[float, ...]  # sensitivity x reach
    pair_rules: tuple[tuple[int, ...], ...]  # the rules sending each pair, in pack order
    maximum: float
    # For what-ifs, per question: which questions to settle again (itself, then those whose `when`
    # reads it, in pack order), and which rules and pairs its answer can change.
    resettle: Mapping[str, tuple[int, ...]]
    touched_rules: Mapping[str, tuple[int, ...]]
    touched_pairs: Mapping[str, tuple[int, ...]]
    # Per question, per value: a class number; values in one class pass and fail the same tests
    # everywhere the score and advice look (rules, findings and questions' `when`), so one what-if
    # serves them all.
    value_class: Mapping[str, Mapping[str, int]]
    findings: tuple[Compiled, ...]
    finding_ids: tuple[str, ...]
    touched_findings: Mapping[str, tuple[int, ...]]  # per question: the findings its answer can change
    finding_reads: tuple[tuple[str, ...], ...]  # per finding: the questions its `when` and fix read
    protections: tuple[Compiled, ...]
    # Output pieces that depend only on the pack (and the platform): sources, protections, fixes,
    # unknowns. They are frozen models, so one instance can serve every evaluation.
    memo: dict[tuple[object, ...], Any] = field(default_factory=dict)


def _compile(pack: Pack) -> _Plan:
    def values_of(question: str) -> tuple[str, ...]:
        q = pack.question_by_id.get(question)
        return q.value_ids if q is not None else ()

    def rule_when(rule_id: str) -> Condition | None:
        rule = pack.rule_by_id.get(rule_id)
        return rule.when if rule is not None else None

    weights = pack.vocabulary.certainty_weights
    data_order = {d.id: i for i, d in enumerate(pack.vocabulary.data_categories)}
    recipient_order = {r.id: i for i, r in enumerate(pack.vocabulary.recipients)}
    sent = {(d, r) for rule in pack.rules for spec in rule.flows for d in spec.data for r in spec.to}
    pairs = tuple(sorted(sent, key=lambda k: (recipient_order[k[1]], data_order[k[0]])))
    pair_pos = {k: i for i, k in enumerate(pairs)}
    pair_base = tuple(float(pack.data_by_id[d].sensitivity * pack.recipient_by_id[r].reach) for d, r in pairs)
    top = max(weights.values(), default=1.0)
    purpose_weight = {x.id: x.weight for x in pack.vocabulary.purposes}

    rules = []
    for rule in pack.rules:
        purposes: dict[int, set[str]] = {}
        for spec in rule.flows:
            for d in spec.data:
                for r in spec.to:
                    purposes.setdefault(pair_pos[(d, r)], set()).update(spec.purposes)
        rules.append(
            _Rule(
                id=rule.id,
                when=compile_condition(rule.when, values_of),
                certainty=rule.certainty,
                weight=weights.get(rule.certainty, 1.0) * rule.weight,
                weight_possible=weights.get("possible", 1.0) * rule.weight,
                purposes={p: frozenset(x) for p, x in sorted(purposes.items())},
                factor={p: max(purpose_weight[x] for x in xs) for p, xs in sorted(purposes.items())},
            )
        )
    pair_rules = tuple(
        tuple(i for i, rule in enumerate(rules) if p in rule.purposes) for p in range(len(pairs))
    )

    # What each question's effective answer depends on: the questions its `when` reads (and those
    # whose answers imply it), and theirs.
    position = {q.id: j for j, q in enumerate(pack.questions)}
    implied = _implications(pack)
    depends: list[set[str]] = []
    for q in pack.questions:
        reads = set(questions_in(q.when, rule_when)) | {src for src, _, _ in implied.get(q.id, ())}
        for other in list(reads):
            j = position.get(other)
            if j is not None and j < len(depends):
                reads |= depends[j]
        depends.append(reads)
    resettle = {
        q.id: (i, *(j for j in range(len(pack.questions)) if q.id in depends[j]))
        for i, q in enumerate(pack.questions)
    }
    rule_reads = []
    for rule in pack.rules:
        reads = set(questions_in(rule.when, rule_when))
        for j, q in enumerate(pack.questions):
            if q.id in reads:
                reads |= depends[j]
        rule_reads.append(reads)
    touched_rules = {q.id: tuple(i for i, r in enumerate(rule_reads) if q.id in r) for q in pack.questions}
    touched_pairs = {
        q: tuple(sorted({p for i in ids for p in rules[i].purposes})) for q, ids in touched_rules.items()
    }
    finding_when_reads = [frozenset(questions_in(f.when, rule_when)) for f in pack.findings]
    return _Plan(
        questions=tuple(
            _Question(
                q.id,
                None if q.when is None else compile_condition(q.when, values_of),
                implied.get(q.id, ()),
            )
            for q in pack.questions
        ),
        question_pos=position,
        rules=tuple(rules),
        rule_pos={r.id: i for i, r in enumerate(rules)},
        pairs=pairs,
        pair_base=pair_base,
        pair_rules=pair_rules,
        maximum=top
        * sum(base * max(rules[i].factor[p] for i in pair_rules[p]) for p, base in enumerate(pair_base)),
        resettle=resettle,
        value_class=_value_classes(pack, rule_when),
        touched_rules=touched_rules,
        touched_pairs=touched_pairs,
        findings=tuple(compile_condition(f.when, values_of) for f in pack.findings),
        finding_ids=tuple(f.id for f in pack.findings),
        touched_findings={
            q.id: tuple(
                i
                for i, reads in enumerate(finding_when_reads)
                if not reads.isdisjoint(pack.questions[j].id for j in resettle[q.id])
            )
            for q in pack.questions
        },
        finding_reads=tuple(
            tuple(
                dict.fromkeys(
                    [
                        *questions_in(f.when, rule_when),
                        *((f.fix.question,) if f.fix is not None else ()),
                        # which citations are shown depends on their `when` (the person's region)
                        *(
                            q
                            for c in (
                                *f.sources,
                                *((*f.dispute.says, *f.dispute.denies) if f.dispute else ()),
                            )
                            for q in questions_in(c.when, rule_when)
                        ),
                    ]
                )
            )
            for f in pack.findings
        ),
        protections=tuple(compile_condition(p.when, values_of) for p in pack.protections),
    )


def _implications(pack: Pack) -> dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]]:
    """Per implied question: (question, value, allowed values) of the answers that imply it."""
    out: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {}
    for q in pack.questions:
        for v in q.values:
            for target, allowed in v.implies.items():
                out.setdefault(target, []).append((q.id, v.id, tuple(allowed)))
    return {k: tuple(v) for k, v in out.items()}


def _value_classes(pack: Pack, rule_when: Callable[[str], Condition | None]) -> dict[str, dict[str, int]]:
    tests: dict[str, list[frozenset[str]]] = {}
    # Findings too: advice compares the findings a change leaves, not only the score.
    conds = (
        *(q.when for q in pack.questions),
        *(r.when for r in pack.rules),
        *(f.when for f in pack.findings),
    )
    for cond in conds:
        for atom in walk(cond):
            if isinstance(atom, QuestionIn):
                tests.setdefault(atom.question, []).append(frozenset(atom.in_))
    classes: dict[str, dict[str, int]] = {}
    for q in pack.questions:
        signatures: dict[tuple[bool | str, ...], int] = {}
        classes[q.id] = {
            v.id: signatures.setdefault(
                (*(v.id in t for t in tests.get(q.id, ())), v.id if v.implies else ""), len(signatures)
            )
            for v in q.values
        }
    return classes


# A pack is immutable, so its compiled form can be kept. Keyed by id() with the pack held alive in
# the entry (so the id cannot be reused while cached); a handful of entries covers every real use.
_PLANS: dict[int, tuple[Pack, _Plan]] = {}
_PLANS_KEPT = 8


def _plan(pack: Pack) -> _Plan:
    hit = _PLANS.get(id(pack))
    if hit is not None and hit[0] is pack:
        return hit[1]
    plan = _compile(pack)
    if len(_PLANS) >= _PLANS_KEPT:
        del _PLANS[next(iter(_PLANS))]
    _PLANS[id(pack)] = (pack, plan)
    return plan


# --- evaluation --------------------------------------------------------------------------------
@dataclass(frozen=True)
class _State:
    """One evaluation: answers, truths, levels and the score."""

    values: Mapping[str, str]  # raw answers (missing = unknown)
    answers: Mapping[str, str]  # effective: unknown filled in, not_asked where a `when` is false
    applies: Mapping[str, Truth]  # truth of each question's own `when`
    truths: Sequence[Truth]  # per rule
    levels: Sequence[float]  # per pair: the certainty weight it flows with, or _ABSENT
    score: int


def _no_rules(rule_id: str) -> Truth:
    # `wa-audit rules check` refuses packs whose questions depend on rules; reaching this is a bug.
    raise ValueError(f"a question's 'when' may not refer to rule '{rule_id}'")


def _settle(
    q: _Question, values: Mapping[str, str], answers: dict[str, str], applies: dict[str, Truth]
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
    plan: _Plan,
    answers: Mapping[str, str],
    applies: Mapping[str, Truth],
    truths: list[Truth | None],
    pending: Sequence[int],
) -> list[Truth]:
    """Fill in the truths of the `pending` rules (None in `truths`), following rule references."""

    def rule_truth(rule_id: str) -> Truth:
        i = plan.rule_pos[rule_id]
        t = truths[i]
        if t is None:
            t = plan.rules[i].when(answers, applies, rule_truth)
            truths[i] = t
        return t

    for i in pending:
        rule_truth(plan.rules[i].id)
    return truths  # type: ignore[return-value]  # every None was pending, and is now filled in


def _level(plan: _Plan, pair: int, truths: Sequence[Truth]) -> float:
    best = _ABSENT
    for i in plan.pair_rules[pair]:
        t = truths[i]
        if t is Truth.FALSE:
            continue
        rule = plan.rules[i]
        w = rule.weight if t is Truth.TRUE else rule.weight_possible
        best = max(best, w * rule.factor[pair])
    return best


def _score(plan: _Plan, levels: Sequence[float]) -> int:
    # Why `possible` weighs 1.0 (at least as much as `documented`): replacing an answer by "I don't
    # know" can only turn a rule from true or false into possible (Kleene's logic is monotone), so
    # with possible >= every other weight no pair loses weight and none disappears. Not knowing
    # therefore never scores safer than knowing; `wa-audit rules check` holds packs to it, and
    # tests/test_properties.py checks it on random answers. Summed in pair order, so that a what-if
    # and a full evaluation of the same answers give the very same float.
    raw = 0.0
    for base, level in zip(plan.pair_base, levels, strict=True):
        if level > 0:
            raw += base * level
    return min(100, round(100 * raw / plan.maximum)) if plan.maximum > 0 else 0


def _state(plan: _Plan, values: Mapping[str, str]) -> _State:
    answers: dict[str, str] = {}
    applies: dict[str, Truth] = {}
    for q in plan.questions:
        _settle(q, values, answers, applies)
    truths = _rule_truths(plan, answers, applies, [None] * len(plan.rules), range(len(plan.rules)))
    levels = [_level(plan, p, truths) for p in range(len(plan.pairs))]
    return _State(values, answers, applies, truths, levels, _score(plan, levels))


def _what_if(plan: _Plan, base: _State, question: str, value: str) -> _State:
    """`base` with one answer changed, re-evaluating only what that answer can reach."""
    values = {**base.values, question: value}
    answers, applies = dict(base.answers), dict(base.applies)
    for j in plan.resettle[question]:
        _settle(plan.questions[j], values, answers, applies)
    touched = plan.touched_rules[question]
    cleared: list[Truth | None] = list(base.truths)
    for i in touched:
        cleared[i] = None
    truths = _rule_truths(plan, answers, applies, cleared, touched)
    levels = list(base.levels)
    for p in plan.touched_pairs[question]:
        levels[p] = _level(plan, p, truths)
    return _State(values, answers, applies, truths, levels, _score(plan, levels))


def _what_ifs(plan: _Plan, unchanged: _LazyExposure) -> Callable[[str, str], _LazyExposure]:
    """What-ifs from `unchanged`, one evaluation per class of equivalent values."""
    done: dict[tuple[str, int], _LazyExposure] = {}
    state = unchanged.state

    def what_if(question: str, value: str) -> _LazyExposure:
        classes = plan.value_class[question]
        cls = classes.get(value)
        if cls is None:  # not a value of the question: evaluate it as it is
            return _LazyExposure(plan, _what_if(plan, state, question, value), unchanged, question)
        if cls == classes.get(state.answers[question]):
            return unchanged
        if (question, cls) not in done:
            done[(question, cls)] = _LazyExposure(
                plan, _what_if(plan, state, question, value), unchanged, question
            )
        return done[(question, cls)]

    return what_if


@dataclass(frozen=True)
class Exposure:
    """The cheap part of an evaluation: effective answers, what flows, and the score."""

    answers: Mapping[str, str]
    pairs: frozenset[PairKey]
    score: int


class _LazyExposure:
    """A what-if's exposure; pairs and findings are only worked out for the changes considered."""

    def __init__(
        self, plan: _Plan, state: _State, base: _LazyExposure | None = None, question: str = ""
    ) -> None:
        self._plan = plan
        self.state = state
        self._base = base  # the exposure this what-if changed one answer of, if any
        self._question = question
        self.answers = state.answers
        self.score = state.score

    @cached_property
    def pairs(self) -> frozenset[PairKey]:
        return _pairs(self._plan, self.state)

    @cached_property
    def findings(self) -> frozenset[str]:
        """The findings that hold, or possibly hold (only those one answer can reach are redone)."""
        plan, state = self._plan, self.state

        def holds(i: int) -> bool:
            t = plan.findings[i](state.answers, state.applies, lambda r: state.truths[plan.rule_pos[r]])
            return t is not Truth.FALSE

        if self._base is None:
            return frozenset(fid for i, fid in enumerate(plan.finding_ids) if holds(i))
        touched = plan.touched_findings[self._question]
        kept = self._base.findings - {plan.finding_ids[i] for i in touched}
        return kept | {plan.finding_ids[i] for i in touched if holds(i)}


def _certain_exposure(plan: _Plan, state: _State) -> float:
    """What flows for certain (possible rules left out): breaks ties between what-ifs in the best case."""
    raw = 0.0
    for p, base in enumerate(plan.pair_base):
        level = max(
            (
                plan.rules[i].weight * plan.rules[i].factor[p]
                for i in plan.pair_rules[p]
                if state.truths[i] is Truth.TRUE
            ),
            default=0.0,
        )
        raw += base * level
    return raw


def _best_case(plan: _Plan, state: _State, unknown: Sequence[str]) -> int:
    """The score with the `unknown` answers at their least exposing (SHARING_MODEL.md section 6).

    Coordinate descent over real answers: each unknown question in turn takes the value that
    scores lowest given the others, until a pass changes nothing. The result is the score of
    answers a person could really give: never lower than any of them, as counting only what is
    certain would be (that would leave out both regions' rules at once). Ties go to the value that
    makes the least certain, so two answers that expose together (profile photo or "about" set to
    Everyone) are both settled safe rather than each left exposing because of the other.
    """
    current = state
    for _ in range(_BEST_CASE_PASSES):
        changed = False
        for question in unknown:
            now = current.answers[question]
            if now == NOT_ASKED:  # another answer made it not apply
                continue
            classes = plan.value_class[question]
            tried: set[int] = {classes[now]} if now in classes else set()
            options: list[_State] = []
            for value, cls in classes.items():
                if cls not in tried:
                    tried.add(cls)
                    options.append(_what_if(plan, current, question, value))
            if not options:
                continue
            lowest = min(o.score for o in options)
            if lowest > current.score:
                continue
            tied = [o for o in options if o.score == lowest]
            pick = tied[0] if len(tied) == 1 else min(tied, key=partial(_certain_exposure, plan))
            # From "I don't know" any real answer scores no higher (Kleene's logic is monotone),
            # so an unknown settles on its lowest; a settled one moves only to something lower.
            if (
                now == UNKNOWN
                or lowest < current.score
                or (_certain_exposure(plan, pick) < _certain_exposure(plan, current))
            ):
                current, changed = pick, True
        if not changed:
            break
    return current.score


def _at_stake(plan: _Plan, state: _State, what_if: Callable[[str, str], _LazyExposure], question: str) -> int:
    """The score points an unknown answer controls: what the least exposing real answer removes."""
    lowest = min((what_if(question, v).score for v in plan.value_class[question]), default=state.score)
    return max(0, state.score - lowest)


def _pairs(plan: _Plan, state: _State) -> frozenset[PairKey]:
    return frozenset(plan.pairs[p] for p, level in enumerate(state.levels) if level != _ABSENT)


def _exposure(plan: _Plan, state: _State) -> Exposure:
    return Exposure(answers=state.answers, pairs=_pairs(plan, state), score=state.score)


def exposure(pack: Pack, values: Mapping[str, str]) -> Exposure:
    """Flows and score only, for `values` (raw answers; missing = unknown)."""
    plan = _plan(pack)
    return _exposure(plan, _state(plan, values))


def effective_answers(pack: Pack, values: Mapping[str, str]) -> dict[str, str]:
    """Every question's answer as the engine sees it (the interview uses it to know what to ask).

    A missing answer is `unknown`; a question whose own `when` is false is `not_asked`. One that a
    quick check skipped (saved as `not_asked`) counts as unknown here: it is still to be asked.
    """
    values = {q: v for q, v in values.items() if v != NOT_ASKED}
    answers: dict[str, str] = {}
    applies: dict[str, Truth] = {}
    for q in _plan(pack).questions:
        _settle(q, values, answers, applies)
    return answers


def implied(pack: Pack, question: str, effective: Mapping[str, str]) -> tuple[str, str] | None:
    """(question, value) of the earlier answer that settles `question` (so it is not asked), if any."""
    q = _plan(pack).questions[_plan(pack).question_pos[question]]
    for source, value, _allowed in q.implied_by:
        if effective.get(source) == value:
            return source, value
    return None


def band_of(pack: Pack, value: int) -> str:
    """The band a score falls in (bands are listed in the pack's vocabulary)."""
    for band in sorted(pack.vocabulary.bands, key=lambda b: b.below):
        if value < band.below:
            return band.id
    return pack.vocabulary.bands[-1].id


# --- values a question offers ----------------------------------------------------------------
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
        if v.when is None
        or evaluate_condition(v.when, effective, values_of, lambda rule: Truth.FALSE) is not Truth.FALSE
    )


# --- the assessment ----------------------------------------------------------------------------
T = TypeVar("T")


def _memo(plan: _Plan, key: tuple[object, ...], make: Callable[[], T]) -> T:
    if key not in plan.memo:
        plan.memo[key] = make()
    value: T = plan.memo[key]
    return value


def _shown(citations: tuple[Citation, ...], truth: Callable[[Condition | None], Truth]) -> tuple[int, ...]:
    """The citations that apply to the person (their `when` is not false), by index."""
    return tuple(i for i, c in enumerate(citations) if c.when is None or truth(c.when) is not Truth.FALSE)


def _cited(
    pack: Pack,
    plan: _Plan,
    key: object,
    citations: tuple[Citation, ...],
    truth: Callable[[Condition | None], Truth],
) -> tuple[SourceRef, ...]:
    shown = _shown(citations, truth)
    return _memo(plan, ("cited", key, shown), lambda: source_refs(pack, tuple(citations[i] for i in shown)))


def source_refs(pack: Pack, citations: tuple[Citation, ...]) -> tuple[SourceRef, ...]:
    """The sources `citations` name, each with the quote taken from it, in citation order."""
    out = []
    for c in citations:
        s = pack.source_by_id[c.id]
        out.append(
            SourceRef(
                id=s.id,
                title=s.title,
                url=s.url,
                date=s.date,
                quote=c.quote,
                publisher=s.publisher,
                kind=s.kind,
                undated=s.undated,
            )
        )
    return tuple(out)


def _protection(
    pack: Pack, plan: _Plan, p: Protection, truth: Callable[[Condition | None], Truth]
) -> ProtectionOut:
    excepts = []
    for i, exc in enumerate(p.except_):
        t = truth(exc.when) if exc.when is not None else Truth.TRUE
        if t is Truth.FALSE:
            continue
        possible = t is Truth.POSSIBLE
        excepts.append(
            ExceptionOut(
                text=(exc.if_unknown or f"If it applies to you: {exc.text}") if possible else exc.text,
                certainty="possible" if possible else "documented",
                sources=_cited(pack, plan, ("except", p.id, i), exc.sources, truth),
            )
        )
    return ProtectionOut(
        id=p.id,
        title=p.title,
        detail=p.detail,
        sources=_cited(pack, plan, ("protection", p.id), p.sources, truth),
        holds="partly" if excepts else "yes",
        except_=tuple(excepts),
    )


def _dispute(
    pack: Pack, plan: _Plan, key: object, d: Dispute, truth: Callable[[Condition | None], Truth]
) -> DisputeOut:
    return DisputeOut(
        binding=d.binding,
        says=_cited(pack, plan, ("says", key), d.says, truth),
        denies=_cited(pack, plan, ("denies", key), d.denies, truth),
    )


def _right(pack: Pack, plan: _Plan, r: Right, truth: Callable[[Condition | None], Truth]) -> RightOut:
    return RightOut(
        id=r.id, title=r.title, how=r.how, sources=_cited(pack, plan, ("right", r.id), r.sources, truth)
    )


def _unknown(q: Question, platform: str) -> Unknown:
    return Unknown(question=q.id, prompt=q.prompt, section=q.section, how_to_check=where_text(q, platform))


def _fix(f: Finding, platform: str) -> FixOut:
    assert f.fix is not None  # noqa: S101 - only called for findings with a fix
    steps = steps_for(f.fix.steps, platform)
    how = "\n".join(f"{i}. {s}" for i, s in enumerate(steps, 1))
    return FixOut(question=f.fix.question, to=f.fix.to, how=how, steps=steps)


def _rule_sort_key(rule_id: str) -> tuple[str, int, str]:
    # F2 before F10: compare the letters, then the number, then any suffix (F15a).
    m = re.match(r"([A-Za-z]*)(\d*)(.*)", rule_id)
    assert m is not None  # noqa: S101 - the pattern matches every string
    return (m.group(1), int(m.group(2) or 0), m.group(3))


def _applies_if(
    plan: _Plan,
    state: _State,
    what_if: Callable[[str, str], _LazyExposure],
    *,
    index: int,
    causes: Sequence[str],
    values_of: Callable[[str], tuple[str, ...]],
) -> dict[str, tuple[str, ...]]:
    """For a possible finding: the answers to its unknown questions under which it would hold."""
    when = plan.findings[index]
    out: dict[str, tuple[str, ...]] = {}
    for q in causes:
        if state.answers[q] != UNKNOWN:
            continue
        holding = []
        for v in values_of(q):
            after = what_if(q, v).state
            truths = after.truths

            def rule_truth(rule_id: str, truths: Sequence[Truth] = truths) -> Truth:
                return truths[plan.rule_pos[rule_id]]

            if when(after.answers, after.applies, rule_truth) is not Truth.FALSE:
                holding.append(v)
        if 0 < len(holding) < len(values_of(q)):
            out[q] = tuple(holding)
    return out


def _finding(
    pack: Pack,
    plan: _Plan,
    state: _State,
    what_if: Callable[[str, str], _LazyExposure],
    *,
    index: int,
    t: Truth,
) -> FindingOut:
    f = pack.findings[index]
    effective = state.answers
    platform = platform_of(effective)

    def values_of(question: str) -> tuple[str, ...]:
        return pack.question_by_id[question].value_ids

    def rule_truth(rule_id: str) -> Truth:
        return state.truths[plan.rule_pos[rule_id]]

    def rule_when(rule_id: str) -> Condition | None:
        return pack.rule_by_id[rule_id].when

    pairs = tuple(
        Pair(data=d, recipient=r)
        for rid in f.flows_from
        if rule_truth(rid) is not Truth.FALSE
        for spec in pack.rule_by_id[rid].flows
        for d in spec.data
        for r in spec.to
    )
    fix = None
    if f.fix is not None and effective.get(f.fix.question) != f.fix.to:
        fix = _memo(plan, ("fix", f.id, platform), partial(_fix, f, platform))
    causes = explain(f.when, effective, values_of, rule_truth, rule_when=rule_when, applies=state.applies)
    truth = _truth(pack, plan, state)
    return FindingOut(
        id=f.id,
        severity=f.severity,
        title=f.title,
        detail=f.detail,
        certainty="possible" if t is Truth.POSSIBLE else f.certainty,
        flows=tuple(dict.fromkeys(pairs)),
        triggered_by={q: effective[q] for q in causes if effective[q] != NOT_ASKED},
        sources=_cited(pack, plan, ("finding", f.id), f.sources, truth),
        fix=fix,
        risk=f.risk,
        conflict=f.conflict,
        applies_if=(
            _applies_if(plan, state, what_if, index=index, causes=causes, values_of=values_of)
            if t is Truth.POSSIBLE
            else {}
        ),
        dispute=None if f.dispute is None else _dispute(pack, plan, f.id, f.dispute, truth),
    )


def _truth(pack: Pack, plan: _Plan, state: _State) -> Callable[[Condition | None], Truth]:
    """Evaluates a citation's or exception's condition for this person (three values)."""

    def values_of(question: str) -> tuple[str, ...]:
        return pack.question_by_id[question].value_ids

    def rule_truth(rule_id: str) -> Truth:
        return state.truths[plan.rule_pos[rule_id]]

    def truth(cond: Condition | None) -> Truth:
        return evaluate_condition(cond, state.answers, values_of, rule_truth, state.applies)

    return truth


def _flow(pack: Pack, plan: _Plan, p: int, sending: tuple[tuple[int, Truth], ...]) -> Flow:
    purpose_order = {x.id: i for i, x in enumerate(pack.vocabulary.purposes)}
    certainties = [plan.rules[i].certainty if t is Truth.TRUE else "possible" for i, t in sending]
    purposes = set().union(*(plan.rules[i].purposes[p] for i, _ in sending))
    settled = set().union(
        *(plan.rules[i].purposes[p] for i, _ in sending if plan.rules[i].certainty != "disputed")
    )
    data, recipient = plan.pairs[p]
    return Flow(
        data=data,
        recipient=recipient,
        purposes=tuple(sorted(purposes, key=lambda x: purpose_order.get(x, len(purpose_order)))),
        certainty=max(certainties, key=_CERTAINTY_RANK.__getitem__),  # type: ignore[arg-type]
        rules=tuple(sorted((plan.rules[i].id for i, _ in sending), key=_rule_sort_key)),
        disputed_purposes=tuple(
            sorted(purposes - settled, key=lambda x: purpose_order.get(x, len(purpose_order)))
        ),
    )


def _flows(pack: Pack, plan: _Plan, state: _State) -> tuple[Flow, ...]:
    flows = []
    for p, level in enumerate(state.levels):
        if level == _ABSENT:
            continue
        sending = tuple(
            (i, state.truths[i]) for i in plan.pair_rules[p] if state.truths[i] is not Truth.FALSE
        )
        # A pair is sent by a handful of rules, so the distinct keys stay few: the memo stays small.
        flows.append(_memo(plan, ("flow", p, sending), partial(_flow, pack, plan, p, sending)))
    return tuple(flows)


def evaluate(pack: Pack, answers: Answers) -> Assessment:
    """The whole assessment for `answers`, recommendations included."""
    plan = _plan(pack)
    state = _state(plan, answers.values)
    effective = state.answers
    platform = platform_of(effective)

    def rule_truth(rule_id: str) -> Truth:
        return state.truths[plan.rule_pos[rule_id]]

    current = _LazyExposure(plan, state)
    what_if = _what_ifs(plan, current)
    findings = []
    for index, (f, when) in enumerate(zip(pack.findings, plan.findings, strict=True)):
        t = when(effective, state.applies, rule_truth)
        if t is Truth.FALSE:
            continue
        # Everything a finding's output depends on; equal keys give equal findings, so one object
        # serves them all (few distinct keys: a finding reads a handful of questions).
        key = (
            "finding",
            index,
            platform,
            t,
            tuple((effective[q], state.applies[q]) for q in plan.finding_reads[index]),
            tuple(rule_truth(rid) for rid in f.flows_from),
        )
        findings.append(_memo(plan, key, partial(_finding, pack, plan, state, what_if, index=index, t=t)))
    # Most serious first; within a severity, what is true for the person before what only might be
    # (a quick audit's unasked questions); the sort is stable, so pack order breaks the rest.
    findings.sort(key=lambda x: (MOST_SEVERE_FIRST.index(x.severity), x.certainty == "possible"))

    truth = _truth(pack, plan, state)
    protections = tuple(
        _protection(pack, plan, p, truth)
        for p, when in zip(pack.protections, plan.protections, strict=True)
        if when(effective, state.applies, rule_truth) is not Truth.FALSE
    )
    rights = tuple(_right(pack, plan, r, truth) for r in pack.rights if truth(r.when) is not Truth.FALSE)
    unknown_ids = [q.id for q in pack.questions if effective[q.id] == UNKNOWN]
    # Most at stake first; the sort is stable, so pack order breaks ties.
    unknowns = tuple(
        sorted(
            (
                _memo(
                    plan, ("unknown", q, platform), partial(_unknown, pack.question_by_id[q], platform)
                ).model_copy(update={"at_stake": _at_stake(plan, state, what_if, q)})
                for q in unknown_ids
            ),
            key=lambda u: -u.at_stake,
        )
    )
    # What a finding's fix reads may resolve it even where no rule holds (two-step verification).
    present = {f.id for f in findings}
    fix_reads = {
        q for index, f in enumerate(pack.findings) if f.id in present for q in plan.finding_reads[index]
    }
    recommendations = advice.recommend(
        pack,
        current,
        platform,
        what_if,
        # Scores only fall when a rule that holds (or possibly holds) stops holding, and findings
        # only go when a question they read changes: other questions need no what-if.
        lambda question: (
            question in fix_reads
            or any(state.truths[i] is not Truth.FALSE for i in plan.touched_rules[question])
        ),
    )
    return Assessment(
        pack=PackRef(
            id=pack.meta.id, version=pack.meta.version, reviewed=pack.meta.reviewed, title=pack.meta.title
        ),
        platform=platform,
        answers={q: a for q, a in effective.items() if a != NOT_ASKED},
        score=Score(
            value=state.score,
            band=band_of(pack, state.score),
            best_case=_best_case(plan, state, unknown_ids) if unknown_ids else state.score,
        ),
        flows=_flows(pack, plan, state),
        findings=tuple(findings),
        protections=protections,
        recommendations=recommendations,
        unknowns=unknowns,
        # Not asked: skipped by a quick run (saved as such), though it would apply; not
        # applicable: its own `when` is false. Neither gives findings or advice.
        not_asked=tuple(
            q for q, a in effective.items() if a == NOT_ASKED and state.applies[q] is not Truth.FALSE
        ),
        not_applicable=tuple(q for q, t in state.applies.items() if t is Truth.FALSE),
        rights=rights,
    )

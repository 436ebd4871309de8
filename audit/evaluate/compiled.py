"""A pack compiled for evaluation: conditions into functions, (data, recipient) pairs into indices.

Compiled once per pack and kept (`compiled_pack`): per finding, what its points are made of (its
severity's points, its certainty's weights, the rules it names) and the questions its points can
depend on (`scope`: what a change or the best case needs to look at); per question, classes of
values that every condition treats alike.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar

from audit.load.reach import conditions_of
from audit.model.conditions import Compiled, Condition, QuestionIn, compile_condition, questions_in, walk
from audit.model.pack import Pack
from audit.model.severity import SEVERITY_RANK, RuleCertainty

T = TypeVar("T")

PairKey = tuple[str, str]

# A finding's points before its flows and certainty (README, "How the score works"). Each step at
# least doubles the one below: two findings that share a flow each keep half of it (scoring.py),
# and half a high finding still weighs as much as a medium one.
SEVERITY_POINTS = {"info": 0, "low": 1, "medium": 3, "high": 8, "critical": 20}


@dataclass(frozen=True)
class CompiledQuestion:
    """A question of the compiled pack: its id, compiled `when`, and what earlier answers imply it.

    `implied_by` lists (question, value, allowed values): when that earlier question has that
    answer (Strict account settings on), this one is not asked and takes the first allowed value
    unless its own answer is one of them.
    """

    id: str
    when: Compiled | None
    implied_by: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    value_when: Mapping[str, Compiled] = field(default_factory=dict)  # values offered only sometimes


@dataclass(frozen=True)
class CompiledRule:
    """A rule of the compiled pack, with the pairs it sends and their weights."""

    id: str
    when: Compiled
    certainty: RuleCertainty
    purposes: Mapping[int, frozenset[str]]  # pair index -> purposes; the keys are the pairs it sends
    # pair index -> the weight of its weightiest purpose in this rule, times the rule's own weight
    factor: Mapping[int, float]


@dataclass(frozen=True)
class CompiledFinding:
    """What a finding's points are made of (scoring.py)."""

    id: str
    when: Compiled
    points: int  # its severity's points (0: info)
    rank: int  # 0 for the most severe severity: shares of a flow go to the more severe first
    weight: float  # its certainty's weight when it holds
    weight_possible: float  # when it only possibly holds
    rules: tuple[int, ...]  # the rules it names (flows_from), by position
    # The questions whose answers can change its points: what its `when` and rules read, what
    # decides whether those questions are asked, and the same for the findings it shares a rule with.
    scope: frozenset[str]


@dataclass(frozen=True)
class CompiledPack:
    """A pack compiled for evaluation (see the module docstring)."""

    questions: tuple[CompiledQuestion, ...]
    question_pos: Mapping[str, int]
    rules: tuple[CompiledRule, ...]
    rule_pos: Mapping[str, int]
    pairs: tuple[PairKey, ...]  # every pair the pack can send, in display order (recipient, data)
    pair_base: tuple[float, ...]  # sensitivity x reach
    pair_rules: tuple[tuple[int, ...], ...]  # the rules sending each pair, in pack order
    findings: tuple[CompiledFinding, ...]
    flow_top: float  # the most any finding's flows weigh (every rule it names holding)
    # Per question, per value: a class number; values in one class pass and fail the same tests
    # everywhere the score and advice look (rules, findings and questions' `when`), so one what-if
    # serves them all.
    value_class: Mapping[str, Mapping[str, int]]
    finding_reads: tuple[tuple[str, ...], ...]  # per finding: the questions its `when` and fix read
    protections: tuple[Compiled, ...]
    # Output pieces that depend only on the pack (and the platform): sources, protections, fixes,
    # unknowns. They are frozen models, so one instance can serve every evaluation.
    memo: dict[tuple[object, ...], Any] = field(default_factory=dict)


def flow_weight(compiled: CompiledPack, rules: tuple[int, ...] | list[int]) -> float:
    """What the pairs `rules` send weigh: sensitivity x reach x purpose, each pair once, at its most."""
    most: dict[int, float] = {}
    for i in rules:
        for p, f in compiled.rules[i].factor.items():
            if f > most.get(p, 0.0):
                most[p] = f
    return sum(compiled.pair_base[p] * f for p, f in most.items())


def compile_pack(pack: Pack) -> CompiledPack:
    # Only checked packs are compiled (pack_load), so every id a condition names exists, and every
    # certainty has its weight.
    def values_of(question: str) -> tuple[str, ...]:
        return pack.question_by_id[question].value_ids

    def rule_when(rule_id: str) -> Condition | None:
        return pack.rule_by_id[rule_id].when

    weights = pack.vocabulary.certainty_weights
    data_order = {d.id: i for i, d in enumerate(pack.vocabulary.data_categories)}
    recipient_order = {r.id: i for i, r in enumerate(pack.vocabulary.recipients)}
    sent = {(d, r) for rule in pack.rules for spec in rule.flows for d in spec.data for r in spec.to}
    pairs = tuple(sorted(sent, key=lambda k: (recipient_order[k[1]], data_order[k[0]])))
    pair_pos = {k: i for i, k in enumerate(pairs)}
    pair_base = tuple(float(pack.data_by_id[d].sensitivity * pack.recipient_by_id[r].reach) for d, r in pairs)
    purpose_weight = {x.id: x.weight for x in pack.vocabulary.purposes}

    rules = []
    for rule in pack.rules:
        purposes: dict[int, set[str]] = {}
        for spec in rule.flows:
            for d in spec.data:
                for r in spec.to:
                    purposes.setdefault(pair_pos[(d, r)], set()).update(spec.purposes)
        rules.append(
            CompiledRule(
                id=rule.id,
                when=compile_condition(rule.when, values_of),
                certainty=rule.certainty,
                purposes={p: frozenset(x) for p, x in sorted(purposes.items())},
                factor={
                    p: rule.weight * max(purpose_weight[x] for x in xs) for p, xs in sorted(purposes.items())
                },
            )
        )
    pair_rules = tuple(
        tuple(i for i, rule in enumerate(rules) if p in rule.purposes) for p in range(len(pairs))
    )
    rule_pos = {r.id: i for i, r in enumerate(rules)}

    # What each question's effective answer depends on: the questions its `when` reads (and those
    # whose answers imply it), and theirs.
    position = {q.id: j for j, q in enumerate(pack.questions)}
    implied = _implications(pack)
    depends: dict[str, set[str]] = {}
    for q in pack.questions:
        reads = set(questions_in(q.when, rule_when)) | {src for src, _, _ in implied.get(q.id, ())}
        for other in list(reads):
            reads |= depends.get(other, set())  # an earlier question: its own reads are known
        depends[q.id] = reads

    def closed(questions: list[str]) -> set[str]:
        return set(questions).union(*(depends[q] for q in questions))

    own_scope = [
        closed(
            [
                *questions_in(f.when, rule_when),
                *(q for rid in f.flows_from for q in questions_in(rule_when(rid), rule_when)),
            ]
        )
        for f in pack.findings
    ]
    # Findings that name a rule in common share its points, so each one's points read the other's
    # questions too: join them (a union-find over shared rules).
    group = list(range(len(pack.findings)))

    def root(i: int) -> int:
        while group[i] != i:
            i = group[i]
        return i

    first_claim: dict[str, int] = {}
    for i, f in enumerate(pack.findings):
        for rid in f.flows_from:
            j = first_claim.setdefault(rid, i)
            group[root(i)] = root(j)
    scope: dict[int, set[str]] = {}
    for i, s in enumerate(own_scope):
        scope.setdefault(root(i), set()).update(s)
    compiled_rules = tuple(rules)
    findings = tuple(
        CompiledFinding(
            id=f.id,
            when=compile_condition(f.when, values_of),
            points=SEVERITY_POINTS[f.severity],
            rank=SEVERITY_RANK[f.severity],
            weight=weights[f.certainty],
            weight_possible=weights["possible"],
            rules=tuple(rule_pos[r] for r in f.flows_from),
            scope=frozenset(scope[root(i)]),
        )
        for i, f in enumerate(pack.findings)
    )
    compiled = CompiledPack(
        questions=tuple(
            CompiledQuestion(
                q.id,
                None if q.when is None else compile_condition(q.when, values_of),
                implied.get(q.id, ()),
                {v.id: compile_condition(v.when, values_of) for v in q.values if v.when is not None},
            )
            for q in pack.questions
        ),
        question_pos=position,
        rules=compiled_rules,
        rule_pos=rule_pos,
        pairs=pairs,
        pair_base=pair_base,
        pair_rules=pair_rules,
        findings=findings,
        flow_top=0.0,
        value_class=_value_classes(pack),
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
    top = max((flow_weight(compiled, f.rules) for f in findings), default=0.0)
    return replace(compiled, flow_top=top)


def _implications(pack: Pack) -> dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]]:
    """Per implied question: (question, value, allowed values) of the answers that imply it."""
    out: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {}
    for q in pack.questions:
        for v in q.values:
            for target, allowed in v.implies.items():
                out.setdefault(target, []).append((q.id, v.id, tuple(allowed)))
    return {k: tuple(v) for k, v in out.items()}


def _value_classes(pack: Pack) -> dict[str, dict[str, int]]:
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


class PerPack(Generic[T]):  # pragma: no mutate block
    """`make(pack)` computed once per pack object and kept (a pack is immutable); the last few.

    Keyed by id() with the pack held alive in the entry, so the id cannot be reused while kept.
    Not mutated by `make mutate`: a mutant that misses compiles the same value again (only speed
    differs, which benches/ measures), and each such mutant ran the whole suite to survive.
    """

    def __init__(self, make: Callable[[Pack], T], keep: int = 8) -> None:
        self._make, self._keep = make, keep
        self._kept: dict[int, tuple[Pack, T]] = {}

    def __call__(self, pack: Pack) -> T:
        hit = self._kept.get(id(pack))
        if hit is not None and hit[0] is pack:
            return hit[1]
        value = self._make(pack)
        if len(self._kept) >= self._keep:
            del self._kept[next(iter(self._kept))]
        self._kept[id(pack)] = (pack, value)
        return value

    def cache_clear(self) -> None:
        self._kept.clear()


compiled_pack: PerPack[CompiledPack] = PerPack(compile_pack)
# Every condition of a pack by the questions it reads (`load.reach.can_matter` reads it).
conditions_by_question: PerPack[dict[str, tuple[Condition, ...]]] = PerPack(conditions_of)

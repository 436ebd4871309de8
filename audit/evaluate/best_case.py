"""The best case: the score with every "I don't know" at its least exposing real answer, exactly.

Unknown answers interact only through the findings that read them (and the findings those share a
rule with: `CompiledFinding.scope`), so they fall into independent groups, each searched on its
own. A group with few combinations is searched whole; a larger one is split by fixing, one value
at a time, the question most of its findings read (the region), which cuts the rest into small
groups again. Every combination of real answers is covered by some branch, and the groups are
independent once those answers are fixed, so the result is the lowest score a person could really
get (tests/test_best_case.py checks it against every combination where they can be counted).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import product
from math import inf, prod

from audit.evaluate.compiled import CompiledPack
from audit.evaluate.scoring import State, points_of
from audit.model.conditions import NOT_ASKED, Truth

SEARCH_WHOLE = 64  # a group with at most this many combinations of answers is searched whole


def _options(compiled: CompiledPack, question: str) -> list[str]:
    """One answer per class of values that score alike; a value offered only sometimes on its own."""
    q = compiled.questions[compiled.question_pos[question]]
    seen: dict[tuple[int, str], str] = {}
    for value, cls in compiled.value_class[question].items():
        seen.setdefault((cls, value if value in q.value_when else ""), value)
    return list(seen.values())


def _offered(compiled: CompiledPack, state: State, chosen: Mapping[str, str]) -> bool:
    """Whether each chosen answer can really be given (a value's own `when`: payments in Brazil)."""
    for question, value in chosen.items():
        when = compiled.questions[compiled.question_pos[question]].value_when.get(value)
        if when is None or state.answers.get(question, NOT_ASKED) == NOT_ASKED:
            continue
        if when(state.answers, state.applies, _unreachable) is Truth.FALSE:
            return False
    return True


def _unreachable(rule_id: str) -> Truth:
    raise ValueError(f"a value's 'when' may not refer to rule '{rule_id}'")  # rules check refuses it


def best_case(compiled: CompiledPack, state: State, unknown: Sequence[str]) -> int:
    """The least score any real answers to the `unknown` questions give (SHARING_MODEL.md section 6)."""
    open_ = set(unknown)
    live = [
        i
        for i, f in enumerate(compiled.findings)
        if state.holds(i) and f.points and not open_.isdisjoint(f.scope)
    ]
    if not live:
        return state.score
    fixed = sum(p for i, p in enumerate(state.points) if i not in set(live))
    options = {q: _options(compiled, q) for q in open_}

    def cost(chosen: Mapping[str, str], findings: Sequence[int]) -> float:
        points, after = points_of(compiled, {**state.values, **chosen}, findings)
        return points if _offered(compiled, after, chosen) else inf

    def search(chosen: dict[str, str], questions: set[str], findings: list[int]) -> float:
        total = 0.0
        constant = [i for i in findings if questions.isdisjoint(compiled.findings[i].scope)]
        if constant:
            total += cost(chosen, constant)
        for group, members in _groups(compiled, questions, findings):
            if not members:
                continue  # answers no finding here reads
            if prod(len(options[q]) for q in group) <= SEARCH_WHOLE:
                order = sorted(group)
                total += min(
                    cost({**chosen, **dict(zip(order, combo, strict=True))}, members)
                    for combo in product(*(options[q] for q in order))
                )
            else:
                pivot = max(
                    sorted(group), key=lambda q: sum(q in compiled.findings[i].scope for i in members)
                )
                total += min(
                    search({**chosen, pivot: value}, group - {pivot}, members) for value in options[pivot]
                )
        return total

    lowest = search({}, open_, live)
    return min(100, int(fixed + lowest))


def _groups(
    compiled: CompiledPack, questions: set[str], findings: list[int]
) -> list[tuple[set[str], list[int]]]:
    """`questions` in groups no finding links, each with the findings that read it."""
    parent = {q: q for q in questions}

    def root(q: str) -> str:
        while parent[q] != q:
            q = parent[q]
        return q

    for i in findings:
        linked = sorted(questions & compiled.findings[i].scope)
        for q in linked[1:]:
            parent[root(q)] = root(linked[0])
    groups: dict[str, tuple[set[str], list[int]]] = {}
    for q in questions:
        groups.setdefault(root(q), (set(), []))[0].add(q)
    for i in findings:
        reads = questions & compiled.findings[i].scope
        if reads:
            groups[root(next(iter(reads)))][1].append(i)
    return list(groups.values())

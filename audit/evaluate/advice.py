"""Recommendations: what each answer the person can change would remove, if changed.

Rather than authored points, every allowed change is evaluated ("what if"). A change is advice
when it lowers the score or resolves a finding of medium severity or more (two-step verification
adds no data flow, yet leaving it off is a high finding), and never when it raises the score.
Advice is ranked by the most severe finding it resolves, then the score it removes, then effort
(a setting before a change of habit), then question order (SHARING_MODEL.md section 5). Per
question only the best value is kept.

What a person can change comes from each question's `change` (docs/PACK_FORMAT.md): facts about
them (platform, region, the 2016 choice) not at all, Accounts Center only from linked to removed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

from audit.evaluate.compiled import PerPack
from audit.model.assessment import Pair, Recommendation
from audit.model.conditions import NOT_ASKED, UNKNOWN
from audit.model.pack import Pack, Question
from audit.model.severity import MOST_SEVERE_FIRST


class Scenario(Protocol):
    """What a set of answers leads to (scoring.WhatIfScenario is one)."""

    @property
    def answers(self) -> Mapping[str, str]: ...
    @property
    def pairs(self) -> frozenset[tuple[str, str]]: ...
    @property
    def score(self) -> int: ...
    @property
    def findings(self) -> frozenset[str]: ...  # ids of the findings that hold or possibly hold


WhatIf = Callable[[str, str], Scenario]  # (question, new value) -> the scenario after the change

EFFORT_RANK = {"setting": 0, "habit": 1}
SEVERITY_RANK = {s: i for i, s in enumerate(MOST_SEVERE_FIRST)}  # critical 0 ... info 4
NO_FINDING = len(SEVERITY_RANK)  # the rank of a change that resolves no finding
ADVICE_SEVERITY = SEVERITY_RANK["medium"]  # resolving this or worse is advice even at no score drop


def candidate_values(q: Question, current: str) -> tuple[str, ...]:
    """The values the person could switch `q` to from `current` (empty if none)."""
    change = q.change
    if not change.allowed or current == NOT_ASKED:
        return ()
    # From "I don't know" every allowed target is offered: the person may be in any state, and
    # the advice then reads "make sure it is ..." (Accounts Center: make sure it is removed).
    if change.from_ is not None and current != UNKNOWN and current not in change.from_:
        return ()
    targets = change.to if change.to is not None else q.value_ids
    return tuple(v for v in targets if v != current)


def how_to(q: Question, value: str, platform: str) -> str:
    """How to switch `q` to `value` on the person's platform."""
    from audit.model.platform import where_text  # not from the engine, which imports this module

    target = q.value(value)
    label = target.label if target else value
    if target is not None and target.how:
        return target.how
    return f"{where_text(q, platform)}: choose \u201c{label}\u201d."


def _build_tables(pack: Pack) -> tuple[dict[str, int], dict[str, int], dict[str, set[str]]]:
    # Info findings are facts, not problems: a change "resolves" only what is low or worse.
    severity = {f.id: SEVERITY_RANK[f.severity] for f in pack.findings if f.severity != "info"}
    order = {f.id: i for i, f in enumerate(pack.findings)}
    # When two values do as well, prefer the one a finding's fix names (an encrypted backup rather
    # than no backup), then the pack's order of values.
    fixes: dict[str, set[str]] = {}
    for f in pack.findings:
        if f.fix is not None:
            fixes.setdefault(f.fix.question, set()).add(f.fix.to)
    return severity, order, fixes


_tables = PerPack(_build_tables)


def recommend(
    pack: Pack,
    current: Scenario,
    platform: str,
    what_if: WhatIf,
    can_help: Callable[[str], bool] | None = None,
) -> tuple[Recommendation, ...]:
    """The best change per question that lowers the score or resolves a serious finding, best first.

    `can_help(question)` may say that no change of a question can lower the score or resolve a
    finding (the engine knows which rules hold and what the findings read), to spare those what-ifs.
    """
    severity, order, fixes = _tables(pack)
    found: list[tuple[tuple[int, int, int, int], Recommendation]] = []
    for index, q in enumerate(pack.questions):
        now = current.answers.get(q.id, UNKNOWN)
        if can_help is not None and not can_help(q.id):
            continue
        best: tuple[tuple[int, int, int], str, Scenario, tuple[str, ...]] | None = None
        for value in candidate_values(q, now):
            after = what_if(q.id, value)
            if after.score > current.score:
                continue  # advice never raises the score
            resolved = tuple(
                sorted(
                    (f for f in current.findings - after.findings if f in severity),
                    key=lambda f: (severity[f], order[f]),
                )
            )
            worst = severity[resolved[0]] if resolved else NO_FINDING
            if after.score == current.score and worst > ADVICE_SEVERITY:
                continue
            rank = (worst, after.score, 0 if value in fixes.get(q.id, ()) else 1)
            if best is None or rank < best[0]:
                best = (rank, value, after, resolved)
        if best is None:
            continue
        (worst, _, _), value, after, resolved = best
        removes = tuple(Pair(data=d, recipient=r) for d, r in sorted(current.pairs - after.pairs))
        rec = Recommendation(
            question=q.id,
            from_=now,
            to=value,
            score_after=after.score,
            removes=removes,
            how=how_to(q, value, platform),
            effort=q.change.effort,
            score_removed=current.score - after.score,
            resolves=resolved,
        )
        found.append(((worst, after.score, EFFORT_RANK[q.change.effort], index), rec))
    found.sort(key=lambda t: t[0])
    return tuple(t[1] for t in found)

"""Recommendations: what each answer the person can change would remove, if changed.

Rather than authored points, every allowed change is evaluated ("what if") and ranked by the score
it really removes, then by effort (a setting before a change of habit), then by question order.
Per question only the best value is kept, and only when it lowers the score.

What a person can change comes from each question's `change` (docs/PACK_FORMAT.md): facts about
them (platform, region, the 2016 choice) not at all, Accounts Center only from linked to removed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

from audit.assessment import Pair, Recommendation
from audit.conditions import NOT_ASKED, UNKNOWN
from audit.pack import Pack, Question


class Exposure(Protocol):
    @property
    def answers(self) -> Mapping[str, str]: ...
    @property
    def pairs(self) -> frozenset[tuple[str, str]]: ...
    @property
    def score(self) -> int: ...


WhatIf = Callable[[str, str], Exposure]  # (question, new value) -> the exposure after the change

EFFORT_RANK = {"setting": 0, "habit": 1}


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
    from audit.platform_text import where_text  # not from the engine, which imports this module

    target = q.value(value)
    label = target.label if target else value
    if target is not None and target.how:
        return target.how
    return f"{where_text(q, platform)}: choose \u201c{label}\u201d."


def recommend(
    pack: Pack,
    current: Exposure,
    platform: str,
    what_if: WhatIf,
    can_lower: Callable[[str], bool] | None = None,
) -> tuple[Recommendation, ...]:
    """The best change per question that lowers the score, best first.

    `can_lower(question)` may say that no change of a question can lower the score (the engine
    knows when none of the rules it reaches holds now), to spare those what-ifs.
    """
    # When two values remove the same, prefer the one a finding's fix names (an encrypted backup
    # rather than no backup), then the pack's order of values.
    fixes: dict[str, set[str]] = {}
    for f in pack.findings:
        if f.fix is not None:
            fixes.setdefault(f.fix.question, set()).add(f.fix.to)
    found: list[tuple[int, int, int, Recommendation]] = []
    for index, q in enumerate(pack.questions):
        now = current.answers.get(q.id, UNKNOWN)
        if can_lower is not None and not can_lower(q.id):
            continue
        best: tuple[tuple[int, int], str, Exposure] | None = None
        for value in candidate_values(q, now):
            after = what_if(q.id, value)
            rank = (after.score, 0 if value in fixes.get(q.id, ()) else 1)
            if after.score < current.score and (best is None or rank < best[0]):
                best = (rank, value, after)
        if best is None:
            continue
        _, value, after = best
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
        )
        found.append((after.score, EFFORT_RANK[q.change.effort], index, rec))
    found.sort(key=lambda t: t[:3])
    return tuple(t[3] for t in found)

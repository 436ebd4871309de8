"""Recommendations: what each answer the person can change would remove, if changed.

Rather than authored points, every allowed change is evaluated ("what if") and ranked by the score
it really removes, then by effort (a setting before a change of habit), then by question order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

from audit.assessment import Pair, Recommendation
from audit.conditions import NOT_ASKED, UNKNOWN
from audit.pack import Pack, Question


class _Exposure(Protocol):
    @property
    def answers(self) -> Mapping[str, str]: ...
    @property
    def pairs(self) -> frozenset[tuple[str, str]]: ...
    @property
    def score(self) -> int: ...


_EFFORT_RANK = {"setting": 0, "habit": 1}


def candidate_values(q: Question, current: str) -> tuple[str, ...]:
    """The values the person could switch `q` to from `current` (empty if none)."""
    change = q.change
    if not change.allowed or current == NOT_ASKED:
        return ()
    # From "I don't know" every change is possible: the person may be in any state.
    if change.from_ is not None and current != UNKNOWN and current not in change.from_:
        return ()
    targets = change.to if change.to is not None else q.value_ids
    return tuple(v for v in targets if v != current)


def how_to(q: Question, value: str, platform: str) -> str:
    """How to switch `q` to `value` on the person's platform."""
    # Imported here to keep the engine <-> advice dependency one-way at import time.
    from audit.engine import where_text

    target = q.value(value)
    label = target.label if target else value
    if target is not None and target.how:
        return target.how
    return f"{where_text(q, platform)}: choose \u201c{label}\u201d."


def recommend(
    pack: Pack,
    values: Mapping[str, str],
    current: _Exposure,
    platform: str,
    what_if: Callable[[Mapping[str, str]], _Exposure],
) -> tuple[Recommendation, ...]:
    """The best change per question that lowers the score, best first."""
    found: list[tuple[int, int, int, Recommendation]] = []
    for index, q in enumerate(pack.questions):
        now = current.answers.get(q.id, UNKNOWN)
        best: tuple[int, str, _Exposure] | None = None
        for value in candidate_values(q, now):
            after = what_if({**values, q.id: value})
            if after.score < current.score and (best is None or after.score < best[0]):
                best = (after.score, value, after)
        if best is None:
            continue
        score_after, value, after = best
        removes = tuple(Pair(data=d, recipient=r) for d, r in sorted(current.pairs - after.pairs))
        rec = Recommendation(
            question=q.id,
            from_=now,
            to=value,
            score_after=score_after,
            removes=removes,
            how=how_to(q, value, platform),
            effort=q.change.effort,
            score_removed=current.score - score_after,
        )
        found.append((score_after, _EFFORT_RANK[q.change.effort], index, rec))
    found.sort(key=lambda t: t[:3])
    return tuple(t[3] for t in found)

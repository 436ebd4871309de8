"""Recommendations: what each answer the person can change would remove from the score, if changed.

Rather than authored points, every allowed change is evaluated ("what if"). A change is advice
when it lowers the score. Where no single change that lowers the score resolves a finding, because
another finding keeps the same flow going (WhatsApp's backup and the iPhone's iCloud Backup each
keep a copy of the chats), the changes that resolve each of them are tried together, and the pair
that lowers the score most is one step: "Do both". Steps are ranked by the points they remove,
then effort (a setting before a change of habit), then the most severe finding they resolve, then
question order (SHARING_MODEL.md section 00). Per question only the best value is kept.

What a person can change comes from each question's `change` (docs/PACK_FORMAT.md): facts about
them (platform, region, the 2016 choice) not at all, Accounts Center only from linked to removed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from audit.evaluate.compiled import CompiledPack, PerPack
from audit.evaluate.scoring import State, WhatIf, pairs_of, state_of
from audit.lang import _
from audit.model.assessment import AnswerSwitch, Pair, Recommendation
from audit.model.conditions import NOT_ASKED, UNKNOWN
from audit.model.pack import Pack, Question
from audit.model.severity import SEVERITY_RANK

EFFORT_RANK = {"setting": 0, "habit": 1}
NO_FINDING = len(SEVERITY_RANK)  # the rank of a change that resolves no finding


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
    # Translators: {where} is a menu path (or "Answer from what you know."), {answer} an answer's label.
    return _("{where}: choose \u201c{answer}\u201d.").format(where=where_text(q, platform), answer=label)


def _fix_targets(pack: Pack) -> dict[str, set[str]]:
    # When two values do as well, prefer the one a finding's fix names (an encrypted backup rather
    # than no backup), then the pack's order of values.
    fixes: dict[str, set[str]] = {}
    for f in pack.findings:
        if f.fix is not None:
            fixes.setdefault(f.fix.question, set()).add(f.fix.to)
    return fixes


_fixes = PerPack(_fix_targets)


@dataclass(frozen=True)
class _Change:
    index: int  # the question's position in the pack
    question: Question
    value: str
    after: State


def recommend(
    pack: Pack, compiled: CompiledPack, current: State, platform: str, what_if: WhatIf
) -> tuple[Recommendation, ...]:
    """The best change per question that lowers the score, and the pairs that only help together."""
    fixes = _fixes(pack)
    # The findings a change can resolve: those that hold and are not mere facts (info).
    present = [i for i, f in enumerate(compiled.findings) if f.points and current.holds(i)]
    # Only a question some scoring finding reads can lower the score: others need no what-if.
    scope = set().union(*(compiled.findings[i].scope for i in present))
    tried: list[_Change] = []
    best: dict[str, _Change] = {}
    for index, q in enumerate(pack.questions):
        if q.id not in scope:
            continue
        for value in candidate_values(q, current.answers[q.id]):
            change = _Change(index, q, value, what_if(q.id, value))
            tried.append(change)
            if change.after.score >= current.score:
                continue
            kept = best.get(q.id)
            if kept is None or (change.after.score, value not in fixes.get(q.id, ())) < (
                kept.after.score,
                kept.value not in fixes.get(q.id, ()),
            ):
                best[q.id] = change
    steps: list[tuple[_Change, ...]] = [(c,) for c in best.values()]
    steps += _pairs(compiled, fixes, current, present=present, tried=tried, singles=steps)
    before = pairs_of(compiled, current)
    found = [_step(compiled, current, before, platform, step) for step in steps]
    found.sort(key=lambda t: t[0])
    return tuple(rec for _rank, rec in found)


def _pairs(
    compiled: CompiledPack,
    fixes: dict[str, set[str]],
    current: State,
    *,
    present: list[int],
    tried: list[_Change],
    singles: list[tuple[_Change, ...]],
) -> list[tuple[_Change, ...]]:
    """Pairs of changes for the findings no single step resolves, where together they lower the score.

    A finding stays when another that names the same rule keeps that flow going: each change that
    resolves it is tried with each change that resolves such a partner.
    """
    resolved = {i for step in singles for i in present if not step[-1].after.holds(i)}
    out: dict[frozenset[tuple[str, str]], tuple[_Change, ...]] = {}
    for i in present:
        if i in resolved or not compiled.findings[i].rules:
            continue
        own = set(compiled.findings[i].rules)
        partners = [j for j in present if j != i and own & set(compiled.findings[j].rules)]
        best: tuple[tuple[int, int], tuple[_Change, ...]] | None = None
        for a in (c for c in tried if not c.after.holds(i)):
            for b in (
                c
                for c in tried
                if c.question.id != a.question.id and any(not c.after.holds(j) for j in partners)
            ):
                both = state_of(compiled, {**current.values, a.question.id: a.value, b.question.id: b.value})
                if both.score >= current.score:
                    continue
                first, second = sorted((a, b), key=lambda c: c.index)
                # As for one change: the lowest score, then the values the findings' fixes name.
                named = sum(c.value not in fixes.get(c.question.id, ()) for c in (a, b))
                rank = (both.score, named)
                if best is None or rank < best[0]:
                    best = (rank, (first, _Change(second.index, second.question, second.value, both)))
        if best is not None:
            out.setdefault(frozenset((c.question.id, c.value) for c in best[1]), best[1])
    return list(out.values())


def _step(
    compiled: CompiledPack,
    current: State,
    before: frozenset[tuple[str, str]],
    platform: str,
    step: Sequence[_Change],
) -> tuple[tuple[int, int, int, int], Recommendation]:
    after = step[-1].after
    resolved = sorted(
        (i for i, f in enumerate(compiled.findings) if f.points and current.holds(i) and not after.holds(i)),
        key=lambda i: (compiled.findings[i].rank, i),
    )
    hows = [how_to(c.question, c.value, platform) for c in step]
    # Translators: two changes that only together lower the score; each is a sentence of its own.
    how = (
        hows[0]
        if len(step) == 1
        else _("Do both: {first} And: {second}").format(first=hows[0], second=hows[1])
    )

    effort = "habit" if any(c.question.change.effort == "habit" for c in step) else "setting"
    first = step[0]
    removes = before - pairs_of(compiled, after)
    rec = Recommendation(
        question=first.question.id,
        from_=current.answers[first.question.id],
        to=first.value,
        score_after=after.score,
        removes=tuple(Pair(data=d, recipient=r) for d, r in sorted(removes)),
        how=how,
        effort=effort,
        score_removed=current.score - after.score,
        resolves=tuple(compiled.findings[i].id for i in resolved),
        changes=tuple(
            AnswerSwitch(question=c.question.id, from_=current.answers[c.question.id], to=c.value)
            for c in step
        ),
    )
    worst = compiled.findings[resolved[0]].rank if resolved else NO_FINDING
    return (after.score, EFFORT_RANK[effort], worst, first.index), rec

"""evaluate(pack, answers) -> Assessment: which data flows to whom, why, how sure, and the score.

Pure and deterministic: no clock, no environment, no randomness. The same pack and answers give
the same Assessment, field for field and in the same order.

The pack is compiled once (compiled_pack), the score and what-ifs are worked out by `scoring`; this
module turns them into the assessment's findings, flows, protections, rights, unknowns and advice.
Bands come from the pack's vocabulary.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from audit.evaluate import advice
from audit.evaluate.best_case import best_case
from audit.evaluate.compiled import CompiledPack, compiled_pack, conditions_by_question
from audit.evaluate.flows import (
    cited,
    flows_of,
    memo,
    truth_for,
)
from audit.evaluate.scoring import State, WhatIf, at_stake, effective_answers, state_of, what_ifs
from audit.lang import N_, _
from audit.load.reach import can_matter
from audit.model.answers import Answers
from audit.model.assessment import (
    Assessment,
    DisputeOut,
    ExceptionOut,
    FindingOut,
    FixOut,
    PackRef,
    Pair,
    ProtectionOut,
    RightOut,
    Score,
    Unknown,
)
from audit.model.conditions import NOT_ASKED, UNKNOWN, Condition, Truth, explain, questions_in
from audit.model.pack import Dispute, Finding, Pack, Protection, Question, Right
from audit.model.platform import platform_of, steps_for, where_text
from audit.model.severity import SEVERITY_RANK

# Translators: before a finding's text when it rests on an "I don't know" answer; a condition, not a fact.
IF_IT_APPLIES = N_("If this applies to you (it rests on an answer you gave as \u201cI don't know\u201d):")
# The band a finding of this severity keeps the score's band at, at least (by position, lowest 0):
# a documented high finding never sits in the lowest band, a critical one not below the third.
BAND_FLOOR = {"high": 1, "critical": 2}


def band_of(pack: Pack, value: int) -> str:
    """The band a score falls in (bands are listed in the pack's vocabulary)."""
    bands = sorted(pack.vocabulary.bands, key=lambda b: b.below)
    # A score above every band's bound takes the highest band, wherever the pack lists it.
    return next((b.id for b in bands if value < b.below), bands[-1].id)


def band_for(pack: Pack, best_case: int, findings: Sequence[FindingOut]) -> str:
    """The band of what is known: the best case's band, never below what a known finding's severity needs.

    "I don't know" answers do not raise the band (the headline gives the range instead), and a
    known high finding keeps it out of the lowest band (SHARING_MODEL.md section 00).
    """
    bands = [b.id for b in sorted(pack.vocabulary.bands, key=lambda b: b.below)]
    at = bands.index(band_of(pack, best_case))
    floor = max((BAND_FLOOR.get(f.severity, 0) for f in findings if f.certainty != "possible"), default=0)
    return bands[max(at, min(floor, len(bands) - 1))]


def _established(pack: Pack, p: Protection, not_asked: set[str]) -> bool:
    """Whether a quick check asked every question the protection and its exceptions read."""
    if not not_asked:
        return True

    def rule_when(rule_id: str) -> Condition | None:
        return pack.rule_by_id[rule_id].when

    reads = questions_in(p.when, rule_when)
    reads += [q for e in p.except_ for q in questions_in(e.when, rule_when)]
    return not_asked.isdisjoint(reads)


# --- the assessment ----------------------------------------------------------------------------
def _protection(
    pack: Pack, compiled: CompiledPack, p: Protection, truth: Callable[[Condition | None], Truth]
) -> ProtectionOut:
    excepts = []
    for i, exc in enumerate(p.except_):
        t = truth(exc.when)
        if t is Truth.FALSE:
            continue
        possible = t is Truth.POSSIBLE
        excepts.append(
            ExceptionOut(
                text=(exc.if_unknown or _("If it applies to you: {text}").format(text=exc.text))
                if possible
                else exc.text,
                certainty="possible" if possible else "documented",
                sources=cited(pack, compiled, ("except", p.id, i), exc.sources, truth),
            )
        )
    return ProtectionOut(
        id=p.id,
        title=p.title,
        detail=p.detail,
        sources=cited(pack, compiled, ("protection", p.id), p.sources, truth),
        holds="partly" if excepts else "yes",
        except_=tuple(excepts),
    )


def _dispute(
    pack: Pack, compiled: CompiledPack, key: object, d: Dispute, truth: Callable[[Condition | None], Truth]
) -> DisputeOut:
    return DisputeOut(
        binding=d.binding,
        says=cited(pack, compiled, ("says", key), d.says, truth),
        denies=cited(pack, compiled, ("denies", key), d.denies, truth),
    )


def _right(
    pack: Pack, compiled: CompiledPack, r: Right, truth: Callable[[Condition | None], Truth]
) -> RightOut:
    return RightOut(
        id=r.id, title=r.title, how=r.how, sources=cited(pack, compiled, ("right", r.id), r.sources, truth)
    )


def _unknown(q: Question, platform: str) -> Unknown:
    return Unknown(question=q.id, prompt=q.prompt, section=q.section, how_to_check=where_text(q, platform))


def _fix(f: Finding, platform: str) -> FixOut:
    assert f.fix is not None  # noqa: S101 - only called for findings with a fix
    steps = steps_for(f.fix.steps, platform)
    how = "\n".join(f"{i}. {s}" for i, s in enumerate(steps, 1))
    return FixOut(question=f.fix.question, to=f.fix.to, how=how, steps=steps)


def _applies_if(
    state: State,
    what_if: WhatIf,
    *,
    index: int,
    causes: Sequence[str],
    values_of: Callable[[str], tuple[str, ...]],
) -> dict[str, tuple[str, ...]]:
    """For a possible finding: the answers to its unknown questions under which it would hold."""
    out: dict[str, tuple[str, ...]] = {}
    for q in causes:
        if state.answers[q] != UNKNOWN:
            continue
        holding = [v for v in values_of(q) if what_if(q, v).holds(index)]
        if 0 < len(holding) < len(values_of(q)):
            out[q] = tuple(holding)
    return out


def _finding(
    pack: Pack,
    compiled: CompiledPack,
    state: State,
    what_if: WhatIf,
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
        return state.truths[compiled.rule_pos[rule_id]]

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
        fix = memo(compiled, ("fix", f.id, platform), partial(_fix, f, platform))
    causes = explain(f.when, effective, values_of, rule_truth, rule_when=rule_when, applies=state.applies)
    truth = truth_for(pack, compiled, state)
    return FindingOut(
        id=f.id,
        severity=f.severity,
        title=f.title,
        # A possible finding is a condition wherever it is read, scripts included.
        detail=f"{_(IF_IT_APPLIES)} {f.detail}" if t is Truth.POSSIBLE else f.detail,
        certainty="possible" if t is Truth.POSSIBLE else f.certainty,
        flows=tuple(dict.fromkeys(pairs)),
        triggered_by={q: effective[q] for q in causes if effective[q] != NOT_ASKED},
        sources=cited(pack, compiled, ("finding", f.id), f.sources, truth),
        fix=fix,
        risk=f.risk,
        conflict=f.conflict,
        applies_if=(
            _applies_if(state, what_if, index=index, causes=causes, values_of=values_of)
            if t is Truth.POSSIBLE
            else {}
        ),
        dispute=None if f.dispute is None else _dispute(pack, compiled, f.id, f.dispute, truth),
        points=state.points[index],
    )


def evaluate(pack: Pack, answers: Answers) -> Assessment:
    """The whole assessment for `answers`, recommendations included."""
    compiled = compiled_pack(pack)
    state = state_of(compiled, answers.values)
    effective = state.answers
    platform = platform_of(effective)

    def rule_truth(rule_id: str) -> Truth:
        return state.truths[compiled.rule_pos[rule_id]]

    what_if = what_ifs(compiled, state)
    findings = []
    for index, f in enumerate(pack.findings):
        t = state.found[index]
        if t is Truth.FALSE:
            continue
        # Everything a finding's output depends on; equal keys give equal findings, so one object
        # serves them all (few distinct keys: a finding reads a handful of questions).
        key = (
            "finding",
            index,
            platform,
            t,
            state.points[index],
            tuple((effective[q], state.applies[q]) for q in compiled.finding_reads[index]),
            tuple(rule_truth(rid) for rid in f.flows_from),
        )
        findings.append(
            memo(compiled, key, partial(_finding, pack, compiled, state, what_if, index=index, t=t))
        )
    # Most serious first; within a severity, what is true for the person before what only might be
    # (a quick audit's unasked questions); the sort is stable, so pack order breaks the rest.
    findings.sort(key=lambda x: (SEVERITY_RANK[x.severity], x.certainty == "possible"))

    # Not asked: skipped by a quick run (saved as such), though it may apply, judged with the other
    # skipped answers as unknown (a question that hangs on a skipped one was not asked either); not
    # applicable: its own `when` is false. Neither gives findings or advice.
    to_ask = effective_answers(pack, answers.values)
    not_asked = tuple(q for q, a in to_ask.items() if answers.values.get(q) == NOT_ASKED and a != NOT_ASKED)
    truth = truth_for(pack, compiled, state)
    protections = tuple(
        _protection(pack, compiled, p, truth)
        for p, when in zip(pack.protections, compiled.protections, strict=True)
        if when(effective, state.applies, rule_truth) is not Truth.FALSE
        and _established(pack, p, set(not_asked))
    )
    rights = tuple(_right(pack, compiled, r, truth) for r in pack.rights if truth(r.when) is not Truth.FALSE)
    unknown_ids = [q.id for q in pack.questions if effective[q.id] == UNKNOWN]
    # Most at stake first; the sort is stable, so pack order breaks ties.
    unknowns = tuple(
        sorted(
            (
                memo(
                    compiled, ("unknown", q, platform), partial(_unknown, pack.question_by_id[q], platform)
                ).model_copy(update={"at_stake": at_stake(compiled, state, what_if, q)})
                for q in unknown_ids
            ),
            key=lambda u: -u.at_stake,
        )
    )
    # An "I don't know" whose every answer would change nothing (a question the interview skips
    # as one that cannot matter) is nothing to find out.
    conditions = conditions_by_question(pack)
    unknowns = tuple(
        u for u in unknowns if u.at_stake > 0 or can_matter(pack, u.question, effective, conditions)
    )
    best = best_case(compiled, state, unknown_ids)
    return Assessment(
        pack=PackRef(
            id=pack.meta.id, version=pack.meta.version, reviewed=pack.meta.reviewed, title=pack.meta.title
        ),
        platform=platform,
        answers={q: a for q, a in effective.items() if a != NOT_ASKED},
        score=Score(
            value=state.score,
            band=band_for(pack, best, findings),
            best_case=best,
            partial=bool(not_asked),
        ),
        flows=flows_of(pack, compiled, state),
        findings=tuple(findings),
        protections=protections,
        recommendations=advice.recommend(pack, compiled, state, platform, what_if),
        unknowns=unknowns,
        not_asked=not_asked,
        not_applicable=tuple(q for q, t in state.applies.items() if t is Truth.FALSE),
        rights=rights,
    )

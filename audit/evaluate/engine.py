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
from audit.evaluate.compiled import CompiledPack, compiled_pack, conditions_by_question
from audit.evaluate.flows import (
    cited,
    flows_of,
    memo,
    truth_for,
)
from audit.evaluate.scoring import State, WhatIfScenario, at_stake, best_case, state_of, what_ifs
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
from audit.model.conditions import NOT_ASKED, UNKNOWN, Condition, Truth, explain
from audit.model.pack import Dispute, Finding, Pack, Protection, Question, Right
from audit.model.platform import platform_of, steps_for, where_text
from audit.model.severity import MOST_SEVERE_FIRST


def band_of(pack: Pack, value: int) -> str:
    """The band a score falls in (bands are listed in the pack's vocabulary)."""
    bands = sorted(pack.vocabulary.bands, key=lambda b: b.below)
    # A score above every band's bound takes the highest band, wherever the pack lists it.
    return next((b.id for b in bands if value < b.below), bands[-1].id)


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
                text=(exc.if_unknown or f"If it applies to you: {exc.text}") if possible else exc.text,
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
    compiled: CompiledPack,
    state: State,
    what_if: Callable[[str, str], WhatIfScenario],
    *,
    index: int,
    causes: Sequence[str],
    values_of: Callable[[str], tuple[str, ...]],
) -> dict[str, tuple[str, ...]]:
    """For a possible finding: the answers to its unknown questions under which it would hold."""
    when = compiled.findings[index]
    out: dict[str, tuple[str, ...]] = {}
    for q in causes:
        if state.answers[q] != UNKNOWN:
            continue
        holding = []
        for v in values_of(q):
            after = what_if(q, v).state
            truths = after.truths

            def rule_truth(rule_id: str, truths: Sequence[Truth] = truths) -> Truth:
                return truths[compiled.rule_pos[rule_id]]

            if when(after.answers, after.applies, rule_truth) is not Truth.FALSE:
                holding.append(v)
        if 0 < len(holding) < len(values_of(q)):
            out[q] = tuple(holding)
    return out


def _finding(
    pack: Pack,
    compiled: CompiledPack,
    state: State,
    what_if: Callable[[str, str], WhatIfScenario],
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
        detail=f.detail,
        certainty="possible" if t is Truth.POSSIBLE else f.certainty,
        flows=tuple(dict.fromkeys(pairs)),
        triggered_by={q: effective[q] for q in causes if effective[q] != NOT_ASKED},
        sources=cited(pack, compiled, ("finding", f.id), f.sources, truth),
        fix=fix,
        risk=f.risk,
        conflict=f.conflict,
        applies_if=(
            _applies_if(compiled, state, what_if, index=index, causes=causes, values_of=values_of)
            if t is Truth.POSSIBLE
            else {}
        ),
        dispute=None if f.dispute is None else _dispute(pack, compiled, f.id, f.dispute, truth),
    )


def evaluate(pack: Pack, answers: Answers) -> Assessment:
    """The whole assessment for `answers`, recommendations included."""
    compiled = compiled_pack(pack)
    state = state_of(compiled, answers.values)
    effective = state.answers
    platform = platform_of(effective)

    def rule_truth(rule_id: str) -> Truth:
        return state.truths[compiled.rule_pos[rule_id]]

    current = WhatIfScenario(compiled, state)
    what_if = what_ifs(compiled, current)
    findings = []
    for index, (f, when) in enumerate(zip(pack.findings, compiled.findings, strict=True)):
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
            tuple((effective[q], state.applies[q]) for q in compiled.finding_reads[index]),
            tuple(rule_truth(rid) for rid in f.flows_from),
        )
        findings.append(
            memo(compiled, key, partial(_finding, pack, compiled, state, what_if, index=index, t=t))
        )
    # Most serious first; within a severity, what is true for the person before what only might be
    # (a quick audit's unasked questions); the sort is stable, so pack order breaks the rest.
    findings.sort(key=lambda x: (MOST_SEVERE_FIRST.index(x.severity), x.certainty == "possible"))

    truth = truth_for(pack, compiled, state)
    protections = tuple(
        _protection(pack, compiled, p, truth)
        for p, when in zip(pack.protections, compiled.protections, strict=True)
        if when(effective, state.applies, rule_truth) is not Truth.FALSE
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
    # What a finding's fix reads may resolve it even where no rule holds (two-step verification).
    present = {f.id for f in findings}
    fix_reads = {
        q for index, f in enumerate(pack.findings) if f.id in present for q in compiled.finding_reads[index]
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
            or any(state.truths[i] is not Truth.FALSE for i in compiled.touched_rules[question])
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
            best_case=best_case(compiled, state, unknown_ids) if unknown_ids else state.score,
        ),
        flows=flows_of(pack, compiled, state),
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

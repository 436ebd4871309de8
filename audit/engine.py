"""evaluate(pack, answers) -> Assessment: which data flows to whom, why, how sure, and the score.

Pure and deterministic: no clock, no environment. The score is explained in docs/SCORING.md:
each (data, recipient) pair that flows weighs sensitivity(data) x reach(recipient) x
certainty weight; the score is that sum as a share of everything the pack can describe.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from audit import advice
from audit.answers import Answers
from audit.assessment import (
    Assessment,
    FindingOut,
    FixOut,
    Flow,
    PackRef,
    Pair,
    ProtectionOut,
    Score,
    SourceRef,
    Unknown,
)
from audit.conditions import NOT_ASKED, UNKNOWN, Condition, Truth
from audit.conditions import evaluate as evaluate_condition
from audit.pack import PLATFORMS, Citation, Pack, Question, Steps, referenced_questions

# Display order of certainty: what is written down beats what is reported beats what is possible.
_CERTAINTY_RANK = {"documented": 2, "reported": 1, "possible": 0}

PairKey = tuple[str, str]


@dataclass
class _PairAcc:
    purposes: set[str] = field(default_factory=set)
    rules: set[str] = field(default_factory=set)
    certainty: str = "possible"
    weight: float = 0.0


class _Context:
    """One evaluation: effective answers and memoised rule truths."""

    def __init__(self, pack: Pack, values: Mapping[str, str]) -> None:
        self.pack = pack
        self.rule_cache: dict[str, Truth] = {}
        effective: dict[str, str] = {}
        for q in pack.questions:
            if q.when is not None and self.truth(q.when, effective) is Truth.FALSE:
                effective[q.id] = NOT_ASKED
            else:
                effective[q.id] = values.get(q.id, UNKNOWN)
        self.answers = effective

    def _values_of(self, question: str) -> tuple[str, ...]:
        return self.pack.question_by_id[question].value_ids

    def truth(self, cond: Condition | None, answers: Mapping[str, str] | None = None) -> Truth:
        return evaluate_condition(
            cond, self.answers if answers is None else answers, self._values_of, self.rule_truth
        )

    def rule_truth(self, rule_id: str) -> Truth:
        cached = self.rule_cache.get(rule_id)
        if cached is None:
            cached = self.truth(self.pack.rule_by_id[rule_id].when)
            self.rule_cache[rule_id] = cached
        return cached


def effective_answers(pack: Pack, values: Mapping[str, str]) -> dict[str, str]:
    """Every question's answer as the engine sees it (the interview uses it to know what to ask).

    A missing answer is `unknown`; a question whose own `when` is false is `not_asked`.
    """
    return dict(_Context(pack, values).answers)


def _max_exposure(pack: Pack) -> float:
    weights = pack.vocabulary.certainty_weights
    top = max(weights.values())
    pairs = {(d, r) for rule in pack.rules for f in rule.flows for d in f.data for r in f.to}
    return sum(pack.data_by_id[d].sensitivity * pack.recipient_by_id[r].reach * top for d, r in pairs)


def _flows(ctx: _Context) -> dict[PairKey, _PairAcc]:
    pack = ctx.pack
    weights = pack.vocabulary.certainty_weights
    acc: dict[PairKey, _PairAcc] = {}
    for rule in pack.rules:
        t = ctx.rule_truth(rule.id)
        if t is Truth.FALSE:
            continue
        certainty = "possible" if t is Truth.POSSIBLE else rule.certainty
        w = weights.get(certainty, 1.0)
        for spec in rule.flows:
            for d in spec.data:
                for r in spec.to:
                    a = acc.setdefault((d, r), _PairAcc())
                    a.purposes.update(spec.purposes)
                    a.rules.add(rule.id)
                    if _CERTAINTY_RANK[certainty] > _CERTAINTY_RANK[a.certainty]:
                        a.certainty = certainty
                    a.weight = max(a.weight, w)
    return acc


def _score_value(pack: Pack, acc: Mapping[PairKey, _PairAcc], maximum: float) -> int:
    raw = sum(
        pack.data_by_id[d].sensitivity * pack.recipient_by_id[r].reach * a.weight for (d, r), a in acc.items()
    )
    return min(100, round(100 * raw / maximum)) if maximum > 0 else 0


def band_of(pack: Pack, value: int) -> str:
    """The band a score falls in (bands are listed in the pack's vocabulary)."""
    for band in sorted(pack.vocabulary.bands, key=lambda b: b.below):
        if value < band.below:
            return band.id
    return pack.vocabulary.bands[-1].id


@dataclass(frozen=True)
class Exposure:
    """The cheap part of an evaluation: what flows, and the score. Used by what-ifs."""

    answers: Mapping[str, str]
    pairs: frozenset[PairKey]
    score: int


def exposure(pack: Pack, values: Mapping[str, str], maximum: float | None = None) -> Exposure:
    """Flows and score only, for `values` (raw answers; missing = unknown)."""
    ctx = _Context(pack, values)
    acc = _flows(ctx)
    m = _max_exposure(pack) if maximum is None else maximum
    return Exposure(answers=ctx.answers, pairs=frozenset(acc), score=_score_value(pack, acc, m))


def platform_of(answers: Mapping[str, str]) -> str:
    """The person's platform, or 'unknown' when not answered."""
    p = answers.get("platform", UNKNOWN)
    return p if p in PLATFORMS else UNKNOWN


def for_platform(android: str | None, iphone: str | None, platform: str) -> str:
    """Text for the person's platform, or both when the platform is not known."""
    if platform == "android" and android:
        return android
    if platform == "iphone" and iphone:
        return iphone
    if android and iphone:
        return android if android == iphone else f"Android: {android}; iPhone: {iphone}"
    if android:
        return f"Android: {android}"
    return f"iPhone: {iphone}" if iphone else ""


def steps_for(steps: Steps, platform: str) -> tuple[str, ...]:
    """Fix steps for the person's platform (both, labelled, when it is not known)."""
    if platform == "android" and steps.android:
        return steps.android
    if platform == "iphone" and steps.iphone:
        return steps.iphone
    android, iphone = steps.android or (), steps.iphone or ()
    if android == iphone:
        return android
    return tuple(f"Android: {s}" for s in android) + tuple(f"iPhone: {s}" for s in iphone)


def where_text(q: Question, platform: str) -> str:
    """Where to find a question's setting on the person's platform ('' for facts about you)."""
    if q.where is None:
        return q.help
    text = for_platform(q.where.android, q.where.iphone, platform)
    return f"{text} (menu names vary by version)" if q.where_reported else text


def _sources(pack: Pack, citations: tuple[Citation, ...]) -> tuple[SourceRef, ...]:
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
            )
        )
    return tuple(out)


def _numbered(steps: tuple[str, ...]) -> str:
    return "\n".join(f"{i}. {s}" for i, s in enumerate(steps, 1))


def evaluate(pack: Pack, answers: Answers) -> Assessment:
    """The whole assessment for `answers`, recommendations included."""
    maximum = _max_exposure(pack)
    ctx = _Context(pack, answers.values)
    acc = _flows(ctx)
    value = _score_value(pack, acc, maximum)
    platform = platform_of(ctx.answers)
    data_order = {d.id: i for i, d in enumerate(pack.vocabulary.data_categories)}
    recipient_order = {r.id: i for i, r in enumerate(pack.vocabulary.recipients)}
    purpose_order = {p.id: i for i, p in enumerate(pack.vocabulary.purposes)}

    flows = tuple(
        Flow(
            data=d,
            recipient=r,
            purposes=tuple(sorted(a.purposes, key=purpose_order.__getitem__)),
            certainty=a.certainty,  # type: ignore[arg-type]
            rules=tuple(sorted(a.rules, key=_rule_sort_key)),
        )
        for (d, r), a in sorted(acc.items(), key=lambda kv: (recipient_order[kv[0][1]], data_order[kv[0][0]]))
    )

    findings = []
    for f in pack.findings:
        t = ctx.truth(f.when)
        if t is Truth.FALSE:
            continue
        pairs = tuple(
            Pair(data=d, recipient=r)
            for rid in f.flows_from
            if ctx.rule_truth(rid) is not Truth.FALSE
            for spec in pack.rule_by_id[rid].flows
            for d in spec.data
            for r in spec.to
        )
        fix = None
        if f.fix is not None and ctx.answers.get(f.fix.question) != f.fix.to:
            steps = steps_for(f.fix.steps, platform)
            fix = FixOut(question=f.fix.question, to=f.fix.to, how=_numbered(steps), steps=steps)
        findings.append(
            FindingOut(
                id=f.id,
                severity=f.severity,
                title=f.title,
                detail=f.detail,
                certainty="possible" if t is Truth.POSSIBLE else f.certainty,
                flows=tuple(dict.fromkeys(pairs)),
                triggered_by={q: ctx.answers[q] for q in referenced_questions(pack, f.when)},
                sources=_sources(pack, f.sources),
                fix=fix,
                risk=f.risk,
                conflict=f.conflict,
            )
        )
    severity_rank = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
    findings.sort(key=lambda x: severity_rank[x.severity])

    protections = tuple(
        ProtectionOut(id=p.id, title=p.title, detail=p.detail, sources=_sources(pack, p.sources))
        for p in pack.protections
        if ctx.truth(p.when) is not Truth.FALSE
    )
    unknowns = tuple(
        Unknown(question=q.id, prompt=q.prompt, section=q.section, how_to_check=where_text(q, platform))
        for q in pack.questions
        if ctx.answers[q.id] == UNKNOWN
    )
    current = Exposure(answers=ctx.answers, pairs=frozenset(acc), score=value)
    recommendations = advice.recommend(
        pack,
        answers.values,
        current,
        platform,
        lambda values: exposure(pack, values, maximum),
    )
    return Assessment(
        pack=PackRef(
            id=pack.meta.id, version=pack.meta.version, reviewed=pack.meta.reviewed, title=pack.meta.title
        ),
        platform=platform,
        answers={q: a for q, a in ctx.answers.items() if a != NOT_ASKED},
        score=Score(value=value, band=band_of(pack, value)),
        flows=flows,
        findings=tuple(findings),
        protections=protections,
        recommendations=recommendations,
        unknowns=unknowns,
        not_asked=tuple(q for q, a in ctx.answers.items() if a == NOT_ASKED),
    )


def _rule_sort_key(rule_id: str) -> tuple[str, int, str]:
    # F2 before F10: compare the letters, then the number, then any suffix (F15a).
    m = re.match(r"([A-Za-z]*)(\d*)(.*)", rule_id)
    assert m is not None  # noqa: S101 - the pattern matches every string
    return (m.group(1), int(m.group(2) or 0), m.group(3))

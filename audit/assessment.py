"""What the engine concludes, as plain data: the records behind the report JSON (schema_version 1).

Field order here is the key order of the JSON report; SHARING_MODEL.md section 6 is the contract.
"""

from __future__ import annotations

from dataclasses import field
from datetime import date, datetime

from audit.pack import Certainty, Severity
from audit.records import CONFIG, meta, record

# Frozen dataclasses (records.py); pydantic reads them only for `wa-audit schema` and the history.


@record
class PackRef:
    __pydantic_config__ = CONFIG

    id: str
    version: str
    reviewed: date
    title: str = ""


@record
class Score:
    __pydantic_config__ = CONFIG

    value: int = field(metadata=meta(ge=0, le=100))
    band: str
    # The score with every "I don't know" at its least exposing answer; value - best_case is how
    # much of the score is not knowing (SHARING_MODEL.md section 6). None in reports made before.
    best_case: int | None = field(default=None, metadata=meta(ge=0, le=100))


@record
class Pair:
    __pydantic_config__ = CONFIG

    data: str
    recipient: str


@record
class Flow:
    __pydantic_config__ = CONFIG

    data: str
    recipient: str
    purposes: tuple[str, ...]
    certainty: Certainty
    rules: tuple[str, ...]


@record
class SourceRef:
    __pydantic_config__ = CONFIG

    id: str
    title: str
    url: str
    date: date
    quote: str | None = None
    publisher: str = ""
    kind: str = ""


@record
class FixOut:
    __pydantic_config__ = CONFIG

    question: str
    to: str
    how: str
    steps: tuple[str, ...] = ()


@record
class FindingOut:
    __pydantic_config__ = CONFIG

    id: str
    severity: Severity
    title: str
    detail: str
    certainty: Certainty
    flows: tuple[Pair, ...]
    triggered_by: dict[str, str]
    sources: tuple[SourceRef, ...]
    fix: FixOut | None
    risk: str | None = None
    conflict: str | None = None
    # For a possible finding: the answers to its "I don't know" questions under which it holds
    # (the report words it as a condition: "If ... is ...").
    applies_if: dict[str, tuple[str, ...]] = field(default_factory=dict)


@record
class ProtectionOut:
    __pydantic_config__ = CONFIG

    id: str
    title: str
    sources: tuple[SourceRef, ...]
    detail: str = ""


@record
class Recommendation:
    __pydantic_config__ = CONFIG

    question: str
    from_: str = field(metadata=meta(alias="from"))
    to: str
    score_after: int
    removes: tuple[Pair, ...]
    how: str
    effort: str = "setting"
    score_removed: int = 0
    resolves: tuple[str, ...] = ()  # the findings this change makes go away, most serious first


@record
class Unknown:
    __pydantic_config__ = CONFIG

    question: str
    how_to_check: str
    prompt: str = ""
    section: str = ""
    at_stake: int = 0  # score points this answer controls: what the least exposing answer removes


@record
class Assessment:
    """Everything evaluate() concludes for one set of answers (deterministic: no clock)."""

    __pydantic_config__ = CONFIG

    pack: PackRef
    platform: str
    answers: dict[str, str]
    score: Score
    flows: tuple[Flow, ...]
    findings: tuple[FindingOut, ...]
    protections: tuple[ProtectionOut, ...]
    recommendations: tuple[Recommendation, ...]
    unknowns: tuple[Unknown, ...]
    not_asked: tuple[str, ...] = ()  # skipped by a quick run: not checked, no findings or advice
    not_applicable: tuple[str, ...] = ()  # their own `when` is false


@record
class AnswerChange:
    __pydantic_config__ = CONFIG

    from_: str = field(metadata=meta(alias="from"))
    to: str


@record
class Changes:
    __pydantic_config__ = CONFIG

    since: datetime
    score_before: int
    score_after: int
    new_findings: tuple[str, ...]
    resolved_findings: tuple[str, ...]
    changed_answers: dict[str, AnswerChange]  # `not_asked` on a side: not asked in that run
    new_rules: tuple[str, ...] = ()
    new_questions: tuple[str, ...] = ()  # questions the earlier run's model did not have


@record
class TrendPoint:
    """One past run's score, for the score-trend chart."""

    __pydantic_config__ = CONFIG

    at: datetime
    score: int


@record
class Report:
    """The report JSON: an assessment plus when it was made and what changed."""

    __pydantic_config__ = CONFIG

    schema_version: int = 1
    generated_at: datetime
    pack: PackRef
    score: Score
    flows: tuple[Flow, ...]
    findings: tuple[FindingOut, ...]
    protections: tuple[ProtectionOut, ...]
    recommendations: tuple[Recommendation, ...]
    unknowns: tuple[Unknown, ...]
    changes: Changes | None
    platform: str = "unknown"
    answers: dict[str, str] = field(default_factory=dict)
    stale_model: bool = False
    trend: tuple[TrendPoint, ...] = ()
    not_asked: tuple[str, ...] = ()


def make_report(
    assessment: Assessment,
    *,
    generated_at: datetime,
    changes: Changes | None = None,
    stale_model: bool = False,
    trend: tuple[TrendPoint, ...] = (),
) -> Report:
    """Wrap an assessment for rendering."""
    return Report(
        generated_at=generated_at,
        pack=assessment.pack,
        score=assessment.score,
        flows=assessment.flows,
        findings=assessment.findings,
        protections=assessment.protections,
        recommendations=assessment.recommendations,
        unknowns=assessment.unknowns,
        changes=changes,
        platform=assessment.platform,
        answers=assessment.answers,
        stale_model=stale_model,
        trend=trend,
        not_asked=assessment.not_asked,
    )

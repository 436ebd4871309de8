"""What the engine concludes, as plain data: the records behind the report JSON (schema_version 1).

Field order here is the key order of the JSON report; SHARING_MODEL.md section 6 is the contract.
"""

from __future__ import annotations

from dataclasses import field
from datetime import date, datetime
from typing import Literal

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
    # v2: purposes that only `disputed` rules send (official texts disagree about them).
    disputed_purposes: tuple[str, ...] = ()


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
    undated: bool = False  # `date` is when the pack last checked an undated page


@record
class DisputeOut:
    """Official texts that disagree, side by side, and which one is binding."""

    __pydantic_config__ = CONFIG

    binding: str
    says: tuple[SourceRef, ...]
    denies: tuple[SourceRef, ...]


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
    dispute: DisputeOut | None = None


@record
class ExceptionOut:
    """Where a protection does not hold for this person (`possible`: it rests on "I don't know")."""

    __pydantic_config__ = CONFIG

    text: str
    certainty: Literal["documented", "possible"]
    sources: tuple[SourceRef, ...]


@record
class ProtectionOut:
    __pydantic_config__ = CONFIG

    id: str
    title: str
    sources: tuple[SourceRef, ...]
    detail: str = ""
    holds: Literal["yes", "partly"] = "yes"
    except_: tuple[ExceptionOut, ...] = field(default=(), metadata=meta(alias="except"))


@record
class RightOut:
    """Something the person can ask for where they live."""

    __pydantic_config__ = CONFIG

    id: str
    title: str
    how: str
    sources: tuple[SourceRef, ...]


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


@record
class Unknown:
    __pydantic_config__ = CONFIG

    question: str
    how_to_check: str
    prompt: str = ""
    section: str = ""


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
    not_asked: tuple[str, ...] = ()
    rights: tuple[RightOut, ...] = ()


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
    changed_answers: dict[str, AnswerChange]
    new_rules: tuple[str, ...] = ()


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
    rights: tuple[RightOut, ...] = ()


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
        rights=assessment.rights,
    )

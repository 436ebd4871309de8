"""What the engine concludes, as plain data: the models behind the report JSON (schema_version 1).

Field order here is the key order of the JSON report; `wa-audit schema report` prints its JSON Schema.
"""


from datetime import date, datetime
from typing import Literal

from pydantic import Field

from audit.frozen_model import FrozenModel
from audit.pack import Certainty
from audit.severity import Severity


class PackRef(FrozenModel):
    id: str
    version: str
    reviewed: date
    title: str = ""


class Score(FrozenModel):
    value: int = Field(ge=0, le=100)
    band: str


class Pair(FrozenModel):
    data: str
    recipient: str


class Flow(FrozenModel):
    data: str
    recipient: str
    purposes: tuple[str, ...]
    certainty: Certainty
    rules: tuple[str, ...]
    # v2: purposes that only `disputed` rules send (official texts disagree about them).
    disputed_purposes: tuple[str, ...] = ()


class SourceRef(FrozenModel):
    id: str
    title: str
    url: str
    date: date
    quote: str | None = None
    publisher: str = ""
    kind: str = ""
    undated: bool = False  # `date` is when the pack last checked an undated page


class DisputeOut(FrozenModel):
    """Official texts that disagree, side by side, and which one is binding."""

    binding: str
    says: tuple[SourceRef, ...]
    denies: tuple[SourceRef, ...]


class FixOut(FrozenModel):
    question: str
    to: str
    how: str
    steps: tuple[str, ...] = ()


class FindingOut(FrozenModel):
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


class ExceptionOut(FrozenModel):
    """Where a protection does not hold for this person (`possible`: it rests on "I don't know")."""

    text: str
    certainty: Literal["documented", "possible"]
    sources: tuple[SourceRef, ...]


class ProtectionOut(FrozenModel):
    id: str
    title: str
    sources: tuple[SourceRef, ...]
    detail: str = ""
    holds: Literal["yes", "partly"] = "yes"
    except_: tuple[ExceptionOut, ...] = Field(default=(), alias="except")


class RightOut(FrozenModel):
    """Something the person can ask for where they live."""

    id: str
    title: str
    how: str
    sources: tuple[SourceRef, ...]


class Recommendation(FrozenModel):
    question: str
    from_: str = Field(alias="from")
    to: str
    score_after: int
    removes: tuple[Pair, ...]
    how: str
    effort: str = "setting"
    score_removed: int = 0


class Unknown(FrozenModel):
    question: str
    how_to_check: str
    prompt: str = ""
    section: str = ""


class Assessment(FrozenModel):
    """Everything evaluate() concludes for one set of answers (deterministic: no clock)."""

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


class AnswerChange(FrozenModel):
    from_: str = Field(alias="from")
    to: str


class Changes(FrozenModel):
    since: datetime
    score_before: int
    score_after: int
    new_findings: tuple[str, ...]
    resolved_findings: tuple[str, ...]
    changed_answers: dict[str, AnswerChange]
    new_rules: tuple[str, ...] = ()


class TrendPoint(FrozenModel):
    """One past run's score, for the score-trend chart."""

    at: datetime
    score: int


class Report(FrozenModel):
    """The report JSON: an assessment plus when it was made and what changed."""

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
    answers: dict[str, str] = Field(default_factory=dict)
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

"""What the engine concludes, as plain data: the models behind the report JSON (schema_version 1).

Field order here is the key order of the JSON report; `wa-audit schema report` prints its JSON Schema.
"""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Literal

from pydantic import Field

from audit.model.frozen import FrozenModel
from audit.model.pack import Day, Pack
from audit.model.severity import Certainty, Severity


class PackRef(FrozenModel):
    id: str
    version: str
    reviewed: date
    title: str = ""


class Score(FrozenModel):
    value: int = Field(ge=0, le=100)
    band: str
    # The score with every "I don't know" at its least exposing answer; value - best_case is how
    # much of the score is not knowing (SHARING_MODEL.md section 6). None in reports made before.
    best_case: int | None = Field(default=None, ge=0, le=100)
    # A quick check: some questions were not asked, so the score counts only what was (README).
    partial: bool = Field(
        default=False,
        description="A quick check: some questions were not asked, so the score counts only what was.",
    )


class Pair(FrozenModel):
    data: str
    recipient: str


class OfficialText(FrozenModel):
    """A quote as the source itself words it in the report's language (its official translation)."""

    lang: str
    title: str
    url: str
    quote: str


class SourceRef(FrozenModel):
    id: str
    title: str
    url: str
    date: date
    quote: str | None = None
    publisher: str = ""
    kind: str = ""
    undated: bool = False  # `date` is when the pack last checked an undated page
    checked: Day | None = None  # when the pack last checked the quote against the source
    capture: Day | None = None  # the date of the captured version it was checked against
    # The quote in the report's language, where the source publishes it (never a translation of ours).
    # The language of the quote where it is not English (Brazil's law, in Portuguese).
    quote_lang: str = Field(default="en", exclude_if=lambda tag: tag == "en")
    # Absent from the JSON where there is none (most quotes, every English report).
    official: OfficialText | None = Field(default=None, exclude_if=lambda official: official is None)


class PurposeOut(FrozenModel):
    """One purpose of a flow, as sure as the surest rule that gives it, with those rules' sources."""

    purpose: str
    certainty: Certainty
    rules: tuple[str, ...]
    sources: tuple[SourceRef, ...]


class Flow(FrozenModel):
    data: str
    recipient: str
    purposes: tuple[str, ...]
    # The surest rule's certainty; a purpose may be less sure than its flow (see `by_purpose`).
    certainty: Certainty
    rules: tuple[str, ...]
    # v2: purposes that only `disputed` rules send (official texts disagree about them).
    disputed_purposes: tuple[str, ...] = ()
    # v2: each purpose with the certainty and sources of the rules that give it, in `purposes` order:
    # Meta AI chats go to Meta for AI features (documented) and for ads only as reported (F21).
    by_purpose: tuple[PurposeOut, ...] = ()


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
    # For a possible finding: the answers to its "I don't know" questions under which it holds
    # (the report words it as a condition: "If ... is ...").
    applies_if: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    dispute: DisputeOut | None = None
    # Its share of the score (0 for info); the score is the sum of the findings' points.
    points: int = Field(
        default=0,
        ge=0,
        description="This finding's share of the score (0 for info); the score is the sum of the points.",
    )


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


class AnswerSwitch(FrozenModel):
    """One answer a step changes."""

    question: str
    from_: str = Field(alias="from")
    to: str


class Recommendation(FrozenModel):
    # The first (or only) change; `changes` lists every one when only together they help.
    question: str
    from_: str = Field(alias="from")
    to: str
    score_after: int
    removes: tuple[Pair, ...]
    how: str
    effort: str = "setting"
    score_removed: int = 0
    resolves: tuple[str, ...] = ()  # the findings this change makes go away, most serious first
    changes: tuple[AnswerSwitch, ...] = Field(
        default=(),
        description=(
            "Every answer the step changes, the first one first (question/from/to name it too); "
            "two when only together they lower the score."
        ),
    )


class Unknown(FrozenModel):
    question: str
    how_to_check: str
    prompt: str = ""
    section: str = ""
    at_stake: int = 0  # score points this answer controls: what the least exposing answer removes


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
    not_asked: tuple[str, ...] = ()  # skipped by a quick run: not checked, no findings or advice
    not_applicable: tuple[str, ...] = ()  # their own `when` is false
    rights: tuple[RightOut, ...] = ()


class AnswerChange(FrozenModel):
    from_: str = Field(alias="from")
    to: str


class Changes(FrozenModel):
    since: datetime
    since_run: int | None = None  # the number of the recorded run compared against, when it has one
    score_before: int
    score_after: int
    new_findings: tuple[str, ...]
    resolved_findings: tuple[str, ...]
    changed_answers: dict[str, AnswerChange]  # `not_asked` on a side: not asked in that run
    new_rules: tuple[str, ...] = ()
    new_questions: tuple[str, ...] = ()  # questions the earlier run's model did not have
    # The earlier run was a quick check and this one is not: its score counted less, so the two
    # are not compared as "higher" or "lower".
    after_quick_check: bool = False


class TrendPoint(FrozenModel):
    """One past run's score, for the score-trend chart."""

    at: datetime
    score: int


class PolicyChange(FrozenModel):
    """A cited page whose newest capture in the pack is newer than the day the pack last checked it."""

    source: str
    changed: date  # the date of the newest capture
    checked: date  # the source's `checked`
    findings: tuple[str, ...]  # this report's findings that cite it


class Report(FrozenModel):
    """The report JSON: an assessment plus when it was made and what changed."""

    schema_version: int = 1
    # The language of the report's text (`--lang`); ids and keys are the same in every language.
    lang: str = "en"
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
    not_asked: tuple[str, ...] = ()
    rights: tuple[RightOut, ...] = ()
    policy_changes: tuple[PolicyChange, ...] = ()


def changed_since_checked(pack: Pack, findings: Sequence[FindingOut]) -> tuple[PolicyChange, ...]:
    """The sources `findings` cite whose newest capture in the pack is newer than their `checked`."""
    changes = []
    for source in pack.sources:
        versions = pack.captures.get(source.capture or "", ())
        if not versions or versions[-1] <= source.checked:
            continue
        changed = versions[-1]
        citing = tuple(f.id for f in findings if source.id in _cited(f))
        if citing:
            changes.append(
                PolicyChange(source=source.id, changed=changed, checked=source.checked, findings=citing)
            )
    return tuple(changes)


def _cited(f: FindingOut) -> set[str]:
    sides = (*f.dispute.says, *f.dispute.denies) if f.dispute else ()
    return {s.id for s in (*f.sources, *sides)}


def make_report(
    assessment: Assessment,
    *,
    generated_at: datetime,
    changes: Changes | None = None,
    stale_model: bool = False,
    trend: tuple[TrendPoint, ...] = (),
    policy_changes: tuple[PolicyChange, ...] = (),
) -> Report:
    """Wrap an assessment for rendering: every field the two share, and when and what changed."""
    from audit import lang

    shared = {name: value for name, value in assessment if name in Report.model_fields}
    return Report(
        **shared,
        lang=lang.current(),
        generated_at=generated_at,
        changes=changes,
        stale_model=stale_model,
        trend=trend,
        policy_changes=policy_changes,
    )


# --- `wa-audit history --format json` and `wa-audit diff --format json` ---------------------------
class RunPackOut(FrozenModel):
    id: str
    version: str
    reviewed: date


class RunScoreOut(FrozenModel):
    value: int
    band: str


class RunOut(FrozenModel):
    """One recorded run, for scripts."""

    run: int
    at: datetime
    pack: RunPackOut
    score: RunScoreOut
    findings: tuple[str, ...]


class HistoryOut(FrozenModel):
    """The recorded runs, oldest first."""

    schema_version: int = 1
    runs: tuple[RunOut, ...]


class RunRef(FrozenModel):
    run: int
    at: datetime


class ComparedRuns(FrozenModel):
    previous_run: RunRef
    current_run: RunRef


class DiffOut(Changes, ComparedRuns):
    """What changed between two runs: which runs (a base listed last comes first), then the changes."""

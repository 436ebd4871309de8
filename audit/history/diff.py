"""diff(previous, current) -> Changes: what changed between two recorded runs (`Compared`: both).

The score, the findings, the answers (where a question not asked is never "I don't know"), and
the rules and questions the model gained since.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from audit.history.runs import Run
from audit.model.assessment import AnswerChange, Changes
from audit.model.conditions import NOT_ASKED


def _asked(run: Run) -> Callable[[str], str]:
    """A run's answer per question as its evaluation saw it: `not_asked` where it was not asked.

    A question that did not apply (its `when` was false), that a quick check skipped, or that the
    model did not have yet was not asked, which is not "I don't know" (SHARING_MODEL.md section 6).
    """
    # Only the answers are needed, so plain JSON (the assessment's full reading needs pydantic).
    try:
        effective = json.loads(run.assessment_json).get("answers")  # every asked one, "unknown" too
    except (ValueError, AttributeError):
        effective = None
    if not isinstance(effective, dict):
        return run.answer  # an unreadable old assessment: the saved answers are all there is
    return lambda q: str(effective.get(q, NOT_ASKED))


def _quick(run: Run) -> bool:
    """Whether a run was a quick check (its assessment lists questions it did not ask)."""
    try:
        return bool(json.loads(run.assessment_json).get("not_asked"))
    except (ValueError, AttributeError):
        return False


def diff(previous: Run, current: Run) -> Changes:
    """What changed from `previous` to `current`: score, findings, answers, and rules new since."""
    before, after = set(previous.findings), set(current.findings)
    order = list(dict.fromkeys([*current.questions_seen, *previous.questions_seen]))
    order += sorted((set(previous.answers) | set(current.answers)) - set(order))
    was, now = _asked(previous), _asked(current)
    changed = {q: AnswerChange(from_=was(q), to=now(q)) for q in order if was(q) != now(q)}
    known = set(previous.questions_seen)
    seen = set(previous.rules_seen)
    return Changes(
        since=previous.at,
        since_run=previous.id or None,
        score_before=previous.score,
        score_after=current.score,
        new_findings=tuple(f for f in current.findings if f not in before),
        resolved_findings=tuple(f for f in previous.findings if f not in after),
        changed_answers=changed,
        new_rules=tuple(r for r in current.rules_seen if r not in seen),
        new_questions=tuple(q for q in current.questions_seen if known and q not in known),
        after_quick_check=_quick(previous) and not _quick(current),
    )


@dataclass(frozen=True)
class Compared:
    """Two runs and what changed from the first to the second."""

    previous: Run
    current: Run
    changes: Changes

"""Which questions an interview asks, and where it stands (pure: no terminal).

The depth (quick = the first section only), the mode of a rerun (all, only new or unanswered,
picked ones) and each question's `when`, evaluated by the engine exactly as the report will
evaluate it, decide the `Agenda`; `Progress` is what a draft keeps so the next run can resume.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Literal

from pydantic import Field

from audit.evaluate.compiled import PerPack, conditions_by_question
from audit.evaluate.scoring import effective_answers, implied
from audit.load.reach import can_matter
from audit.model.conditions import NOT_ASKED, UNKNOWN, questions_in
from audit.model.frozen import FrozenModel
from audit.model.pack import Pack, Question

Depth = Literal["quick", "full"]
Mode = Literal["all", "new", "pick"]
SECONDS_PER_QUESTION = 20  # most answers need a look at the phone, so be generous


class Progress(FrozenModel):
    """Where an interview stands; this is what a draft keeps so the next run can resume."""

    depth: Depth = "full"
    mode: Mode = "all"
    picked: tuple[str, ...] = ()
    baseline: dict[str, str] = Field(default_factory=dict)  # the answers the interview started from
    values: dict[str, str] = Field(default_factory=dict)  # baseline plus what was answered
    asked: tuple[str, ...] = ()  # questions answered in this interview, in order
    saved_at: datetime | None = None


def first_section(pack: Pack) -> str:
    return pack.meta.sections[0].id


@dataclass(frozen=True)
class Agenda:
    """Which questions an interview asks; pure, so the rules are testable without a terminal."""

    pack: Pack
    depth: Depth = "full"
    mode: Mode = "all"
    picked: frozenset[str] = frozenset()
    baseline: Mapping[str, str] = field(default_factory=dict)
    fixed: frozenset[str] = frozenset()

    def in_scope(self, q: Question) -> bool:
        return self.depth == "full" or q.section == first_section(self.pack)

    def wants(self, q: Question, effective: Mapping[str, str]) -> bool:
        """Whether `q` is asked, given the effective answers so far (scoring.effective_answers)."""
        if q.id in self.fixed or not self.in_scope(q) or effective[q.id] == NOT_ASKED:
            return False
        if implied(self.pack, q.id, effective) is not None:  # e.g. set by Strict account settings
            return False
        if self.mode == "pick":
            # A picked question, or one that a changed answer has just made relevant.
            return q.id in self.picked or (
                self._baseline_effective[q.id] == NOT_ASKED and self.can_matter(q, effective)
            )
        if self.mode == "new" and self.baseline.get(q.id, UNKNOWN) not in {UNKNOWN, NOT_ASKED}:
            return False
        return self.can_matter(q, effective)

    def can_matter(self, q: Question, effective: Mapping[str, str]) -> bool:
        """Whether an answer to `q` could change the report, given the answers before it.

        The answers before `q` (the interview asks in pack order) and those fixed with --set are
        known; the later ones may still be anything.
        """
        position = self.pack.questions.index(q)
        known = {x.id: effective[x.id] for x in self.pack.questions[:position]}
        known |= {x: effective[x] for x in self.fixed}
        key = (q.id, frozenset(known.items()))
        memo = _memo(self.pack)
        if key not in memo:
            memo[key] = can_matter(self.pack, q.id, known, conditions_by_question(self.pack))
        return memo[key]

    def count(self, values: Mapping[str, str]) -> int:
        """How many questions this agenda would ask, given `values`."""
        eff = effective_answers(self.pack, values)
        return sum(1 for q in self.pack.questions if self.wants(q, eff))

    @cached_property
    def _baseline_effective(self) -> dict[str, str]:
        return effective_answers(self.pack, self.baseline)


# Per pack: what `can_matter` found for an agenda's known answers (a count of the questions left
# asks it of every question, after every answer).
_memo: PerPack[dict[tuple[str, frozenset[tuple[str, str]]], bool]] = PerPack(lambda pack: {})


def unanswered(pack: Pack, values: Mapping[str, str], depth: Depth = "full") -> list[str]:
    """Questions a rerun's "only new or unanswered" would ask: relevant, and missing or unknown."""
    agenda = Agenda(pack, depth, "new", baseline=values)
    effective = effective_answers(pack, values)
    return [q.id for q in pack.questions if agenda.wants(q, effective)]


def deciders(pack: Pack) -> frozenset[str]:
    """The questions whose answers decide whether other questions are asked (their `when`)."""
    # A question's `when` tests earlier questions only (rules check holds that line).
    return frozenset(q for x in pack.questions for q in questions_in(x.when, lambda rule: None))


def minutes(questions: int) -> int:
    return max(1, math.ceil(questions * SECONDS_PER_QUESTION / 60))

"""Where answers come from: the AnswerSource protocol, the fixed source, and how an interview stops.

The interview itself (`collect.interview`) is the source that asks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from audit.collect.agenda import Progress
from audit.model.answers import Answers
from audit.model.pack import Pack


class AnswerSource(Protocol):
    """Anything that turns the previous answers into this run's answers."""

    def collect(self, pack: Pack, previous: Answers) -> Answers: ...


@dataclass(frozen=True)
class FixedAnswers:
    """The non-interactive source: an answers file and --set values, no questions."""

    fixed: Mapping[str, str] = field(default_factory=dict)

    def collect(self, pack: Pack, previous: Answers) -> Answers:
        return previous.with_values(self.fixed)


class Stopped(Exception):
    """The interview stopped early: Ctrl-C (`interrupted`) or the input closed (`eof`)."""

    def __init__(self, progress: Progress | None, *, eof: bool = False) -> None:
        super().__init__("interview stopped")
        self.progress = progress
        self.eof = eof


Checkpoint = Callable[[Progress], None]

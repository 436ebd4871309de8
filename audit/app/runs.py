"""The history read back: every run (`history`), two compared (`diff`), what a model update asks.

Also how every use case opens the history: readonly where it only reads (looking never creates
one), with the settings' clock and warnings.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from audit.app.settings import Settings
from audit.errors import HistoryError
from audit.evaluate.scoring import exposure
from audit.history.diff import Compared, diff
from audit.history.runs import History, Run, trend_of
from audit.lang import N_, _, day, ngettext
from audit.model.assessment import Changes, TrendPoint
from audit.model.conditions import NOT_ASKED, UNKNOWN
from audit.model.pack import Pack
from audit.paths import Home


def open_history(settings: Settings, *, readonly: bool = False) -> History:
    return History.open(settings.home.history, now=settings.clock(), readonly=readonly, warn=settings.warn)


def runs_of(settings: Settings, pack: Pack) -> list[Run]:
    """The recorded runs of `pack`, oldest first; none without a history (looking creates none)."""
    if not has_history(settings.home):
        return []
    with open_history(settings, readonly=True) as history:
        return history.runs(pack.meta.id)


def compared(past: Sequence[Run], current: Run) -> tuple[Changes | None, tuple[TrendPoint, ...]]:
    """What changed since the previous run and the score trend, for a report of `current`.

    Answers the latest run recorded (`wa-audit report` after an interview or `set`) are that run:
    it is compared with the run before it, and the trend ends at it. Other answers (an answers
    file, a run not recorded yet) are compared with the latest run, and end the trend.
    """
    if past and past[-1].answers == current.answers and past[-1].pack_version == current.pack_version:
        *past, current = past
    changes = diff(past[-1], current) if past else None
    return changes, trend_of([*past, current])


def has_history(home: Home) -> bool:
    # lexists: a broken link or a loop where the history belongs must reach History.open's error.
    return os.path.lexists(home.history)


def list_runs(settings: Settings) -> tuple[Run, ...]:
    """Every recorded run, oldest first."""
    if not has_history(settings.home):
        return ()  # looking must not create a history
    with open_history(settings, readonly=True) as history:
        return tuple(history.runs())


NO_RUNS = N_("no runs yet: 'wa-audit diff' needs two; run 'wa-audit' or 'wa-audit set QUESTION=VALUE'")


def diff_runs(settings: Settings, numbers: Sequence[int]) -> Compared:
    """`wa-audit diff [RUN] [RUN]`: none = the last two; one = that run vs the latest."""
    if len(numbers) > 2:
        raise HistoryError(_("diff takes at most two run numbers; e.g. 'wa-audit diff 1 2'"))
    if not has_history(settings.home):
        raise HistoryError(_(NO_RUNS))
    with open_history(settings, readonly=True) as history:
        if len(numbers) == 2:
            previous, current = history.get(numbers[0]), history.get(numbers[1])
        else:
            latest = history.latest()
            if latest is None:
                raise HistoryError(_(NO_RUNS))
            if numbers:
                previous, current = history.get(numbers[0]), latest
            else:
                runs = history.runs()
                if len(runs) < 2:
                    raise HistoryError(
                        _(
                            "only one run so far: 'wa-audit diff' needs two; "
                            "change an answer with 'wa-audit set QUESTION=VALUE'"
                        )
                    )
                previous, current = runs[-2], runs[-1]
    return Compared(previous=previous, current=current, changes=diff(previous, current))


# --- after a model update ----------------------------------------------------------------------
def questions_to_ask_after_update(
    pack: Pack, previous_answers: Mapping[str, str], previous_pack_questions: Iterable[str]
) -> tuple[str, ...]:
    """The questions to ask after a model update, in interview order.

    New questions (not in `previous_pack_questions`), and questions whose saved value the pack no
    longer has; a question whose `when` is false given the other answers is left out, as the
    interview would skip it too.
    """
    known = set(previous_pack_questions)
    valid: dict[str, str] = {}
    invalid: set[str] = set()
    for q in pack.questions:
        value = previous_answers.get(q.id)
        if value is None:
            continue
        if value in q.value_ids or (value == UNKNOWN and q.allow_unknown) or value == NOT_ASKED:
            valid[q.id] = value
        else:
            invalid.add(q.id)
    # Which questions the interview would reach, judged with the values that still hold.
    asked = exposure(pack, valid).answers
    return tuple(
        q.id
        for q in pack.questions
        if (q.id not in known or q.id in invalid) and asked.get(q.id) != NOT_ASKED
    )


@dataclass(frozen=True)
class ModelUpdate:
    """The bundled model changed since the last run: what to tell the person and ask again."""

    previous_version: str
    version: str
    reviewed: date
    questions: tuple[str, ...]
    new_rules: tuple[str, ...]

    @property
    def message(self) -> str:
        if self.questions:
            # Translators: the English keeps "question(s)" for every count.
            asks = ngettext(
                "The model was updated on {day} (version {previous} -> {version}): "
                "{count} new or changed question(s) to answer.",
                "The model was updated on {day} (version {previous} -> {version}): "
                "{count} new or changed question(s) to answer.",
                len(self.questions),
            )
        else:
            asks = _("The model was updated on {day} (version {previous} -> {version}): no new questions.")
        return asks.format(
            day=day(self.reviewed),
            previous=self.previous_version,
            version=self.version,
            count=len(self.questions),
        )


def model_update(
    pack: Pack, last_run: Run | None, previous_answers: Mapping[str, str] | None = None
) -> ModelUpdate | None:
    """A ModelUpdate when `pack`'s version differs from the last run's, else None (pure).

    `previous_answers` default to the last run's own answers, which keep values the new pack may
    no longer accept (a saved answers file read through the new pack has lost them).
    """
    if last_run is None or last_run.pack_id != pack.meta.id or last_run.pack_version == pack.meta.version:
        return None
    seen = set(last_run.rules_seen)
    answers = last_run.answers if previous_answers is None else previous_answers
    return ModelUpdate(
        previous_version=last_run.pack_version,
        version=pack.meta.version,
        reviewed=pack.meta.reviewed,
        questions=questions_to_ask_after_update(pack, answers, last_run.questions_seen),
        new_rules=tuple(r.id for r in pack.rules if r.id not in seen),
    )


def last_run(settings: Settings, pack: Pack) -> Run | None:
    """The most recent run of `pack` (for the interview's model-update check)."""
    if not has_history(settings.home):
        return None
    with open_history(settings, readonly=True) as history:
        return history.latest(pack.meta.id)

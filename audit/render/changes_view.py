"""What changed since the last run, and the score's trend, in words (the report's change sections)."""

from __future__ import annotations

from collections.abc import Iterable

from audit.lang import _, day, moment, pgettext
from audit.model.assessment import Changes, Report
from audit.model.conditions import NOT_ASKED
from audit.model.labels import answer_label, clean_line, question_label
from audit.model.pack import Pack
from audit.render.findings_view import finding_title
from audit.render.view_model import (
    ANSWER_CHANGE_HEADINGS,
    ANSWER_CHANGE_WORDS,
    AnswerChangeView,
    ChangesView,
    NamedFinding,
    TrendPointView,
)
from audit.render.words import stamp


def trend_view(report: Report) -> tuple[TrendPointView, ...]:
    """The score trend's points, labelled by day; by day and time when two runs share a day."""
    days = [day(p.at.date()) for p in report.trend]
    timed = len(set(days)) < len(days)
    return tuple(
        TrendPointView(label=moment(p.at) if timed else day, score=p.score)
        for p, day in zip(report.trend, days, strict=True)
    )


def changes_view(c: Changes, report: Report, pack: Pack) -> ChangesView:
    if c.after_quick_check:
        # The quick check's score counted only what it asked: the first full one is not "higher".
        # Translators: after "Score 40 → 55 (" : what the change of score is.
        direction = _("the first full check after a quick check")
    elif c.score_after < c.score_before:
        # Translators: the score went down: "Score 55 → 40 (lower)".
        direction = pgettext("score", "lower")
    elif c.score_after > c.score_before:
        # Translators: the score went up: "Score 40 → 55 (higher)".
        direction = pgettext("score", "higher")
    else:
        # Translators: the score did not move: "Score 40 → 40 (the same)".
        direction = pgettext("score", "the same")
    return ChangesView(
        since=stamp(c.since)
        if c.since_run is None
        # Translators: after "What changed since": "run 3 (2026-12-07 09:30 UTC)".
        else _("run {run} ({time})").format(run=c.since_run, time=stamp(c.since)),
        score_before=c.score_before,
        score_after=c.score_after,
        direction=direction,
        resolved=tuple(NamedFinding(f, finding_title(f, report, pack)) for f in c.resolved_findings),
        new=tuple(NamedFinding(f, finding_title(f, report, pack)) for f in c.new_findings),
        answers=answer_changes(c, pack),
        new_rules=rule_titles(c.new_rules, pack),
    )


def answer_changes(c: Changes, pack: Pack) -> tuple[AnswerChangeView, ...]:
    """Changed answers in words, where not asked is never "I don't know".

    A question that stopped applying is "no longer asked"; one the earlier model did not have is a
    "new question"; one not asked before that is now (a quick check skipped it) is "answered for the
    first time", not "changed".
    """
    out = []
    for q, ch in c.changed_answers.items():
        prompt = question_label(pack, q)
        before, after = answer_label(pack, q, ch.from_), answer_label(pack, q, ch.to)
        if ch.to == NOT_ASKED:
            kind, text = (
                "no longer asked",
                _("{question} (it was: {before})").format(question=prompt, before=before),
            )
        elif ch.from_ == NOT_ASKED:
            kind = "new question" if q in c.new_questions else "answered for the first time"
            text = f"{prompt} {after}"
        else:
            kind, text = "changed", f"{prompt} {before} \u2192 {after}"
        out.append(
            AnswerChangeView(
                q,
                prompt,
                before,
                after,
                kind,
                text,
                _(ANSWER_CHANGE_WORDS[kind]),
                _(ANSWER_CHANGE_HEADINGS[kind]),
            )
        )
    return tuple(out)


def rule_titles(rule_ids: Iterable[str], pack: Pack) -> tuple[str, ...]:
    """Rules by their titles (their ids are for the JSON report)."""
    return tuple(clean_line(pack.rule_by_id[r].title) if r in pack.rule_by_id else r for r in rule_ids)

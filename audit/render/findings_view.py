"""Findings in the view: each in words for the person, possible ones with their alternatives.

A possible finding is worded as a condition, a disputed one with both sides; a possible finding is
followed by those that exclude it; findings are grouped by severity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from audit.lang import _, day
from audit.model.assessment import FindingOut, Report, SourceRef
from audit.model.conditions import UNKNOWN
from audit.model.labels import answer_label, answers_condition_words, clean, clean_line, question_label
from audit.model.pack import Pack
from audit.model.severity import MOST_SEVERE_FIRST
from audit.render.view_model import (
    AnswerView,
    DisputeQuote,
    DisputeSide,
    FindingView,
    NamedFinding,
    SeverityGroup,
    sources_view,
)
from audit.render.words import points_text, severity_word


def finding_tag(severity: str, certainty: str) -> str:
    """Before a finding's title, in brackets: "HIGH", or "HIGH, possible" when it may not apply."""
    if certainty == "possible":
        # Translators: a finding's tag, the severity in capitals: "[HIGH, possible]".
        return _("{severity}, possible").format(severity=severity.upper())
    return severity.upper()


def because_text(because: Sequence[AnswerView]) -> str:
    """What the person answered, for "You answered {answers}.": “Yes” to “Is ...?”; ..."""
    return "; ".join(
        # Translators: an answer and its question, after "You answered": “Yes” to “Is your ...?”.
        _("\u201c{answer}\u201d to \u201c{question}\u201d").format(answer=a.answer, question=a.prompt)
        for a in because
    )


def _cited_date(s: SourceRef) -> str:
    """A disputing source's date: "2021-01-04", or "undated; checked 2026-12-02"."""
    if s.undated:
        return _("undated; checked {checked}").format(checked=day(s.date))
    return day(s.date)


def _dispute_side(refs: tuple[SourceRef, ...]) -> tuple[str, ...]:
    return tuple(
        f"{s.id} ({s.publisher}, {_cited_date(s)}): \u201c{clean_line(s.quote or s.title)}\u201d"
        for s in refs
    )


def _dispute_sides(f: FindingOut) -> tuple[DisputeSide, ...]:
    """Both sides of a disputed finding, each quote with its source, date and whether it binds."""
    d = f.dispute
    if d is None:
        return ()
    return tuple(
        DisputeSide(
            heading=heading,
            quotes=tuple(
                DisputeQuote(
                    id=s.id,
                    cited=(
                        # Translators: the source whose text binds: "WhatsApp, 2021-01-04, binding".
                        _("{publisher}, {date}, binding") if s.id == d.binding else "{publisher}, {date}"
                    ).format(publisher=s.publisher, date=_cited_date(s)),
                    quote=clean_line(s.quote or s.title),
                )
                for s in refs
            ),
        )
        for heading, refs in ((_("Says so"), d.says), (_("Says otherwise"), d.denies))
    )


def policy_notes(report: Report, pack: Pack) -> dict[str, tuple[str, ...]]:
    """Finding id -> one line per cited policy that changed after the pack last checked it."""
    notes: dict[str, tuple[str, ...]] = {}
    for change in report.policy_changes:
        source = pack.source_by_id.get(change.source)
        values = {"source": change.source, "changed": day(change.changed), "checked": day(change.checked)}
        if source:
            note = _(
                "{publisher}'s policy ({source}) changed on {changed}; this was last checked on {checked}."
            ).format(publisher=clean_line(source.publisher), **values)
        else:
            note = _(
                "The publisher's policy ({source}) changed on {changed}; this was last checked on {checked}."
            ).format(**values)
        for fid in change.findings:
            notes[fid] = (*notes.get(fid, ()), note)
    return notes


def _finding(f: FindingOut, pack: Pack, notes: dict[str, tuple[str, ...]]) -> FindingView:
    note = ""
    if f.certainty == "possible" and UNKNOWN in f.triggered_by.values():
        # The condition names the questions; say only why it is a condition.
        note = _("You answered \u201cI don't know\u201d there, so this may not apply to you.")
    because = tuple(
        AnswerView(question=q, prompt=question_label(pack, q), answer=answer_label(pack, q, a))
        for q, a in f.triggered_by.items()
        if a != UNKNOWN or f.certainty != "possible"
    )
    return FindingView(
        id=f.id,
        severity=f.severity,
        severity_word=severity_word(f.severity),
        tag=finding_tag(severity_word(f.severity), f.certainty),
        title=clean_line(f.title),
        detail=clean(f.detail).strip(),
        risk=clean(f.risk or "").strip(),
        conflict=clean(f.conflict or "").strip(),  # a pack's words; a structured dispute has its sides
        certainty=f.certainty,
        # What the person really answered; "I don't know" is said by the condition and the note.
        because=because,
        because_text=because_text(because),
        fix_target=answer_label(pack, f.fix.question, f.fix.to) if f.fix else "",
        fix_steps=tuple(clean_line(s) for s in f.fix.steps) if f.fix else (),
        sources=sources_view(f.sources),
        condition=answers_condition_words(pack, f.applies_if),
        unknown_note=note,
        policy_notes=notes.get(f.id, ()),
        dispute_says=_dispute_side(f.dispute.says) if f.dispute else (),
        dispute_denies=_dispute_side(f.dispute.denies) if f.dispute else (),
        dispute_binding=f.dispute.binding if f.dispute else "",
        dispute_sides=_dispute_sides(f),
        points=f.points,
        points_text=points_text(f.points),
    )


def _exclusive(a: FindingOut, b: FindingOut) -> str:
    """The question on which two possible findings need different answers ('' if none).

    Only findings decided by the same questions are alternatives (one per region; linked or not):
    two findings on different subjects that merely need different regions are not "one or the other"
    to a reader.
    """
    if set(a.applies_if) != set(b.applies_if):
        return ""
    for q, values in a.applies_if.items():
        other = b.applies_if.get(q)
        if other is not None and not set(values) & set(other):
            return q
    return ""


def finding_views(report: Report, pack: Pack) -> list[FindingView]:
    """Findings in report order, each possible one followed by those that exclude it.

    A finding joins an earlier group only if it excludes every member (on some question), so a
    group is always "only one of these", never a chain of pairs that may both hold.
    """
    groups: list[list[FindingOut]] = []
    for f in report.findings:
        home = None
        if f.applies_if:
            # Among the groups it excludes entirely, the one whose lead rests on the most of the
            # same questions (opt-out honoured goes with opt-out overridden, not with linking).
            fits = [g for g in groups if g[0].applies_if and all(_exclusive(f, m) for m in g)]
            home = max(fits, key=lambda g: len(set(g[0].applies_if) & set(f.applies_if)), default=None)
        if home is None:
            groups.append([f])
        else:
            home.append(f)
    notes = policy_notes(report, pack)
    out = []
    for lead, *others in groups:
        view = _finding(lead, pack, notes)
        if others:
            alternatives = []
            for alt in others:
                intro = _("Or instead (only one of these can apply to you):")
                alternatives.append(replace(_finding(alt, pack, notes), alternative_intro=intro))
            view = replace(view, alternatives=tuple(alternatives))
        out.append(view)
    return out


def named_finding(fid: str, report: Report, pack: Pack) -> NamedFinding:
    known = pack.finding_by_id.get(fid)
    severity = known.severity if known else ""
    found = next((f for f in report.findings if f.id == fid), None)
    title = conditional_title(found, pack) if found is not None else None
    return NamedFinding(
        fid,
        title or finding_title(fid, report, pack),
        severity_word(severity) if severity else "",
        possible_title=clean_line(found.title) if found is not None and found.certainty == "possible" else "",
    )


def conditional_title(f: FindingOut, pack: Pack) -> str:
    """The finding's title; a possible one after its condition, so it never reads as a fact."""
    if f.certainty != "possible":
        return clean_line(f.title)
    condition = answers_condition_words(pack, f.applies_if) or _("If it applies to you")
    return f"{condition}: {clean_line(f.title)}"


def finding_title(fid: str, report: Report, pack: Pack) -> str:
    for f in report.findings:
        if f.id == fid:
            return clean_line(f.title)
    known = pack.finding_by_id.get(fid)
    return clean_line(known.title) if known else fid


def group_by_severity(findings: Sequence[FindingView]) -> tuple[SeverityGroup, ...]:
    """Findings in severity order (critical first), empty groups left out."""
    known: list[str] = list(MOST_SEVERE_FIRST)
    known += sorted({f.severity for f in findings} - set(MOST_SEVERE_FIRST))
    return tuple(
        SeverityGroup(
            severity=s,
            word=severity_word(s),
            findings=tuple(f for f in findings if f.severity == s),
        )
        for s in known
        if any(f.severity == s for f in findings)
    )

"""Human words for ids, and the report as a reader sees it: one view shared by every renderer.

`build_view(report, pack)` turns ids into the pack's labels, groups findings by severity and flows
by recipient, deduplicates sources and works out the sentences every format prints, so the
terminal, HTML and Markdown reports say the same things. Pure: everything comes from the report
and the pack (no clock, no environment).

Pack text is untrusted (a pack given with --rules may be anyone's): `clean` drops control
characters here, and each renderer escapes for its own medium.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from audit.assessment import Changes, FindingOut, Recommendation, Report, SourceRef
from audit.conditions import NOT_ASKED, UNKNOWN
from audit.pack import Pack
from audit.severity import MOST_SEVERE_FIRST

CERTAINTY_WORDS = {
    "documented": "documented",
    "reported": "reported",
    "disputed": "disputed (official texts disagree)",
    "possible": "possible (depends on an \u201cI don't know\u201d)",
}
CERTAINTY_EXPLAINED = {
    "documented": "WhatsApp's or Meta's own text says so",
    "reported": "regulators or the press say so; no official text found",
    "disputed": "official texts disagree; both are quoted, with dates, and which one is binding",
    "possible": "it depends on an answer you gave as \u201cI don't know\u201d",
}
SEVERITY_WORDS = {
    "critical": "Critical",
    "high": "High",
    "medium": "Medium",
    "low": "Low",
    "info": "Info",
}
# How far a recipient spreads what it gets, in three steps (the pack's reach is 1..5).
REACH_TIERS = ("few", "some", "many")
REACH_WORDS = {"few": "reaches few", "some": "reaches some", "many": "reaches many"}
# When this many points or more of the score rest on "I don't know", the report leads with what to
# find out (SHARING_MODEL.md section 6): advice about what may not apply comes second.
FIND_OUT_FIRST_GAP = 15
FIND_OUT_FIRST_MAX = 5  # the rest are listed under "What to check"
RERUN_NEW = "run wa-audit again and choose \u201cAnswer only new or unanswered questions\u201d"

# C0 and C1 control characters except newline: an untrusted pack must not move a terminal's
# cursor, clear the screen or smuggle escape sequences into a "plain" report.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """Pack text without control characters (tabs become spaces)."""
    return _CONTROL.sub(lambda m: " " if m.group() == "\t" else "", text)


def one_line(text: str) -> str:
    """Pack text on one line: for places where a line break would break the layout."""
    return " ".join(clean(text).split())


def data_label(pack: Pack, data_id: str) -> str:
    d = pack.data_by_id.get(data_id)
    return one_line(d.label) if d else data_id


def recipient_label(pack: Pack, recipient_id: str) -> str:
    r = pack.recipient_by_id.get(recipient_id)
    return one_line(r.label) if r else recipient_id


def purpose_label(pack: Pack, purpose_id: str) -> str:
    p = pack.purpose_by_id.get(purpose_id)
    return one_line(p.label) if p else purpose_id


def question_label(pack: Pack, question_id: str) -> str:
    q = pack.question_by_id.get(question_id)
    return one_line(q.prompt) if q else question_id


NOT_CHECKED = "not checked"  # a quick run's unasked question: not the same as "I don't know"


def answer_label(pack: Pack, question_id: str, value: str) -> str:
    if value == UNKNOWN:
        return "I don't know"
    if value == NOT_ASKED:
        return NOT_CHECKED
    q = pack.question_by_id.get(question_id)
    v = q.value(value) if q else None
    return one_line(v.label) if v else value


def band_label(band: str) -> str:
    return band.replace("_", " ").capitalize()


def reach_tier(reach: int) -> str:
    """'few' (1-2), 'some' (3) or 'many' (4-5): how much a recipient matters on the picture."""
    if reach >= 4:
        return "many"
    return "some" if reach == 3 else "few"


def bar(value: int, width: int = 40) -> str:
    """A 0-100 score as a bar of full and light blocks (readable without colour)."""
    filled = round(max(0, min(100, value)) * width / 100)
    return "\u2588" * filled + "\u2591" * (width - filled)


def stamp(moment: datetime) -> str:
    """A date and time for people: minutes, and 'UTC' when the time is in UTC."""
    text = f"{moment:%Y-%m-%d %H:%M}"
    offset = moment.utcoffset()
    if offset is not None and offset.total_seconds() == 0:
        return f"{text} UTC"
    return text


# --- the view ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class SourceView:
    """One source, cited once, with every quote the finding takes from it."""

    id: str
    title: str
    url: str | None  # None unless https: only then is it a link
    date: str
    publisher: str
    quotes: tuple[str, ...]


@dataclass(frozen=True)
class AnswerView:
    question: str
    prompt: str
    answer: str


@dataclass(frozen=True)
class FindingView:
    id: str
    severity: str
    severity_word: str
    title: str
    detail: str
    risk: str
    conflict: str
    certainty: str
    certainty_word: str
    because: tuple[AnswerView, ...]
    fix_target: str  # the answer the fix leads to, '' without a fix
    fix_steps: tuple[str, ...]
    sources: tuple[SourceView, ...]
    # A possible finding is worded as a condition: "If the answer to “...” is “...”".
    condition: str = ""
    unknown_note: str = ""  # which of its answers were "I don't know"
    # Possible findings that exclude this one (another region; linked vs never linked), shown
    # right after it as alternatives rather than as separate facts.
    alternatives: tuple[FindingView, ...] = ()
    alternative_intro: str = ""  # on an alternative: how it relates to the one before
    # v2: both sides of a disputed finding, each "S1 (WhatsApp, 2021-01-04): "quote"", and which binds.
    dispute_says: tuple[str, ...] = ()
    dispute_denies: tuple[str, ...] = ()
    dispute_binding: str = ""


@dataclass(frozen=True)
class RightView:
    id: str
    title: str
    how: str
    sources: tuple[SourceView, ...]


@dataclass(frozen=True)
class SeverityGroup:
    severity: str
    word: str
    findings: tuple[FindingView, ...]


@dataclass(frozen=True)
class FlowItem:
    data: str
    data_label: str
    purposes: tuple[str, ...]
    certainty: str
    certainty_word: str
    rules: tuple[str, ...]


@dataclass(frozen=True)
class RecipientView:
    id: str
    label: str
    description: str
    tier: str
    tier_word: str
    items: tuple[FlowItem, ...]


@dataclass(frozen=True)
class ProtectionView:
    id: str
    title: str
    detail: str
    sources: tuple[SourceView, ...]
    holds: str = "yes"  # "partly": never shown with a plain check mark
    exceptions: tuple[str, ...] = ()


@dataclass(frozen=True)
class NamedFinding:
    id: str
    title: str
    severity_word: str = ""


def score_effect(before: int, after: int) -> str:
    """What a recommendation does to the score, in words (it never raises it)."""
    if after < before:
        return f"Your score would go from {before} to {after}."
    return f"Your score stays at {before}: this closes a risk rather than a data flow."


def stake_text(points: int) -> str:
    if points <= 0:
        return "no points at stake"
    return f"{points} point{'s' if points != 1 else ''} at stake"


def resolves_text(resolves: Sequence[NamedFinding]) -> str:
    return "; ".join(
        f"[{f.severity_word.upper()}] {f.title}" if f.severity_word else f.title for f in resolves
    )


@dataclass(frozen=True)
class RecommendationView:
    question: str
    prompt: str
    from_label: str
    to_label: str
    how: str
    steps: tuple[str, ...]  # the matching finding's numbered fix, when there is one
    effort: str
    score_before: int
    score_after: int
    removes: tuple[str, ...]  # "data → recipient"
    resolves: tuple[NamedFinding, ...] = ()  # the findings it makes go away, most serious first
    effect: str = ""  # what it does to the score, in words
    fixes: str = ""  # `resolves` in words: "[HIGH] title; ..."


@dataclass(frozen=True)
class UnknownView:
    question: str
    prompt: str
    how_to_check: str
    section: str
    at_stake: int = 0
    stake: str = ""  # at_stake in words: "13 points at stake"


@dataclass(frozen=True)
class AnswerChangeView:
    question: str
    prompt: str
    before: str
    after: str
    kind: str = "changed"  # changed | new question | no longer asked | now asked
    text: str = ""  # the change in words, after "<kind>: "


@dataclass(frozen=True)
class ChangesView:
    since: str
    score_before: int
    score_after: int
    direction: str  # "lower" | "higher" | "the same"
    resolved: tuple[NamedFinding, ...]
    new: tuple[NamedFinding, ...]
    answers: tuple[AnswerChangeView, ...]
    new_rules: tuple[str, ...]


@dataclass(frozen=True)
class TrendPointView:
    label: str
    score: int


@dataclass(frozen=True)
class ReportView:
    title: str
    generated_at: str
    pack_id: str
    version: str
    reviewed: str
    platform: str
    score: int
    band: str
    band_word: str
    score_meaning: str
    score_how: str
    stale_warning: str
    changes: ChangesView | None
    one_thing: RecommendationView | None
    more_changes: tuple[RecommendationView, ...]
    finding_count: int
    findings_intro: str
    severity_groups: tuple[SeverityGroup, ...]
    recipients: tuple[RecipientView, ...]
    flow_count: int
    protections: tuple[ProtectionView, ...]
    unknowns: tuple[UnknownView, ...]
    asked_count: int
    unknown_summary: str
    suggest_full_audit: bool
    trend: tuple[TrendPointView, ...]
    best_case: int | None = None  # the score with every "I don't know" at its least exposing
    unknown_share: str = ""  # how much of the score is "I don't know", in words
    find_out_first: tuple[UnknownView, ...] = ()  # leads the report when much rests on unknowns
    find_out_first_intro: str = ""
    check_later: tuple[UnknownView, ...] = ()  # the unknowns "What to check" lists: not those above
    check_intro: str = ""  # what "What to check" opens with
    not_checked: tuple[AnswerView, ...] = ()  # what a quick run did not ask (answer: "not checked")
    not_checked_summary: str = ""
    rights: tuple[RightView, ...] = ()


PLATFORM_WORDS = {"android": "Android", "iphone": "iPhone"}
NOTHING_TO_CHANGE = (
    "Nothing to change today: no change to your answers would lower your score or fix a finding "
    "of medium severity or more. The findings below still say what each setting means."
)
SCORE_MEANING = (
    "Higher means more of your data reaches more people. A low score does not mean private: "
    "it means fewer of the flows this model knows about apply to you."
)


def _score_how(pack: Pack) -> str:
    lower = 0
    ranges = []
    for band in sorted(pack.vocabulary.bands, key=lambda b: b.below):
        upper = min(band.below - 1, 100)
        ranges.append(f"{lower}-{upper} {band_label(band.id).lower()}")
        lower = band.below
    return (
        "How the score works: each data flow that applies to you weighs how sensitive the data is "
        "\u00d7 how widely the recipient spreads it \u00d7 what it is used for (ads count more than "
        "running the service) \u00d7 how certain the flow is; the score is the "
        "total as a share of the most exposure this model can describe "
        f"({', '.join(ranges)})."
    )


def sources_view(refs: Iterable[SourceRef]) -> tuple[SourceView, ...]:
    """Sources deduplicated by id (first-cited order), each with its distinct quotes."""
    order: list[str] = []
    first: dict[str, SourceRef] = {}
    quotes: dict[str, list[str]] = {}
    for ref in refs:
        if ref.id not in first:
            order.append(ref.id)
            first[ref.id] = ref
            quotes[ref.id] = []
        quote = one_line(ref.quote or "")
        if quote and quote not in quotes[ref.id]:
            quotes[ref.id].append(quote)
    return tuple(
        SourceView(
            id=sid,
            title=one_line(first[sid].title),
            url=first[sid].url if first[sid].url.startswith("https://") else None,
            date=(
                f"undated; checked {first[sid].date.isoformat()}"
                if first[sid].undated
                else first[sid].date.isoformat()
            ),
            publisher=one_line(first[sid].publisher),
            quotes=tuple(quotes[sid]),
        )
        for sid in order
    )


def _condition(f: FindingOut, pack: Pack) -> str:
    parts = []
    for q, values in f.applies_if.items():
        labels = [f"\u201c{answer_label(pack, q, v)}\u201d" for v in values]
        either = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"
        parts.append(f"the answer to \u201c{question_label(pack, q)}\u201d is {either}")
    return f"If {' and '.join(parts)}" if parts else ""


def _dispute_side(refs: tuple[SourceRef, ...]) -> tuple[str, ...]:
    return tuple(
        f"{s.id} ({s.publisher}, {'undated; checked ' if s.undated else ''}{s.date.isoformat()}): "
        f"\u201c{one_line(s.quote or s.title)}\u201d"
        for s in refs
    )


def _dispute_text(f: FindingOut) -> str:
    """Both sides of a disputed finding, with dates, and which text is binding."""
    d = f.dispute
    if d is None:
        return ""
    says, denies = " ".join(_dispute_side(d.says)), " ".join(_dispute_side(d.denies))
    return f"Says so: {says} Says otherwise: {denies} Binding: {d.binding}."


def _finding(f: FindingOut, pack: Pack) -> FindingView:
    note = ""
    if f.certainty == "possible" and UNKNOWN in f.triggered_by.values():
        # The condition names the questions; say only why it is a condition.
        note = "You answered \u201cI don't know\u201d there, so this may not apply to you."
    return FindingView(
        id=f.id,
        severity=f.severity,
        severity_word=SEVERITY_WORDS.get(f.severity, f.severity),
        title=one_line(f.title),
        detail=clean(f.detail).strip(),
        risk=clean(f.risk or "").strip(),
        conflict=clean(f.conflict or "").strip() or _dispute_text(f),
        certainty=f.certainty,
        certainty_word=CERTAINTY_WORDS.get(f.certainty, f.certainty),
        # What the person really answered; "I don't know" is said by the condition and the note.
        because=tuple(
            AnswerView(question=q, prompt=question_label(pack, q), answer=answer_label(pack, q, a))
            for q, a in f.triggered_by.items()
            if a != UNKNOWN or f.certainty != "possible"
        ),
        fix_target=answer_label(pack, f.fix.question, f.fix.to) if f.fix else "",
        fix_steps=tuple(one_line(s) for s in f.fix.steps) if f.fix else (),
        sources=sources_view(f.sources),
        condition=_condition(f, pack),
        unknown_note=note,
        dispute_says=_dispute_side(f.dispute.says) if f.dispute else (),
        dispute_denies=_dispute_side(f.dispute.denies) if f.dispute else (),
        dispute_binding=f.dispute.binding if f.dispute else "",
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


def _with_alternatives(report: Report, pack: Pack) -> list[FindingView]:
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
    out = []
    for lead, *others in groups:
        view = _finding(lead, pack)
        if others:
            alternatives = []
            for alt in others:
                intro = "Or instead (only one of these can apply to you):"
                alternatives.append(replace(_finding(alt, pack), alternative_intro=intro))
            view = replace(view, alternatives=tuple(alternatives))
        out.append(view)
    return out


def _named(fid: str, report: Report, pack: Pack) -> NamedFinding:
    known = pack.finding_by_id.get(fid)
    severity = known.severity if known else ""
    return NamedFinding(fid, _finding_title(fid, report, pack), SEVERITY_WORDS.get(severity, severity))


def _conditional_how(r: Recommendation) -> str:
    """The change in words; a condition first when it rests on an "I don't know" answer.

    Someone who does not know whether their WhatsApp is in Accounts Center must not be told, as a
    fact, to remove it: the advice holds only if the answer turns out to be the exposing one.
    """
    how = one_line(r.how)
    if r.from_ != UNKNOWN:
        return how
    return f"If this applies to you (you answered \u201cI don't know\u201d): {how}"


def _recommendation(r: Recommendation, report: Report, pack: Pack) -> RecommendationView:
    steps: tuple[str, ...] = ()
    for f in report.findings:
        if f.fix is not None and f.fix.question == r.question and f.fix.to == r.to:
            steps = tuple(one_line(s) for s in f.fix.steps)
            break
    resolves = tuple(_named(f, report, pack) for f in r.resolves)
    return RecommendationView(
        question=r.question,
        prompt=question_label(pack, r.question),
        from_label=answer_label(pack, r.question, r.from_),
        to_label=answer_label(pack, r.question, r.to),
        how=_conditional_how(r),
        steps=steps,
        effort=r.effort,
        score_before=report.score.value,
        score_after=r.score_after,
        removes=tuple(
            f"{data_label(pack, p.data)} \u2192 {recipient_label(pack, p.recipient)}" for p in r.removes
        ),
        resolves=resolves,
        effect=score_effect(report.score.value, r.score_after),
        fixes=resolves_text(resolves),
    )


def _recipients(report: Report, pack: Pack) -> tuple[RecipientView, ...]:
    items: dict[str, list[FlowItem]] = {}
    for flow in report.flows:
        items.setdefault(flow.recipient, []).append(
            FlowItem(
                data=flow.data,
                data_label=data_label(pack, flow.data),
                purposes=tuple(purpose_label(pack, p) for p in flow.purposes),
                certainty=flow.certainty,
                certainty_word=CERTAINTY_WORDS.get(flow.certainty, flow.certainty),
                rules=flow.rules,
            )
        )
    out = []
    for rid, flows in items.items():
        r = pack.recipient_by_id.get(rid)
        tier = reach_tier(r.reach if r else 5)
        out.append(
            RecipientView(
                id=rid,
                label=recipient_label(pack, rid),
                description=one_line(r.description) if r else "",
                tier=tier,
                tier_word=REACH_WORDS[tier],
                items=tuple(flows),
            )
        )
    return tuple(out)


def _finding_title(fid: str, report: Report, pack: Pack) -> str:
    for f in report.findings:
        if f.id == fid:
            return one_line(f.title)
    known = pack.finding_by_id.get(fid)
    return one_line(known.title) if known else fid


def _changes(c: Changes, report: Report, pack: Pack) -> ChangesView:
    if c.score_after < c.score_before:
        direction = "lower"
    elif c.score_after > c.score_before:
        direction = "higher"
    else:
        direction = "the same"
    return ChangesView(
        since=stamp(c.since),
        score_before=c.score_before,
        score_after=c.score_after,
        direction=direction,
        resolved=tuple(NamedFinding(f, _finding_title(f, report, pack)) for f in c.resolved_findings),
        new=tuple(NamedFinding(f, _finding_title(f, report, pack)) for f in c.new_findings),
        answers=answer_changes(c, pack),
        new_rules=rule_titles(c.new_rules, pack),
    )


def answer_changes(c: Changes, pack: Pack) -> tuple[AnswerChangeView, ...]:
    """Changed answers in words, where not asked is never "I don't know".

    A question that stopped applying is "no longer asked"; one the earlier model did not have is a
    "new question"; one not asked before that is now is "now asked".
    """
    out = []
    for q, ch in c.changed_answers.items():
        prompt = question_label(pack, q)
        before, after = answer_label(pack, q, ch.from_), answer_label(pack, q, ch.to)
        if ch.to == NOT_ASKED:
            kind, text = "no longer asked", f"{prompt} (it was: {before})"
        elif ch.from_ == NOT_ASKED:
            kind = "new question" if q in c.new_questions else "now asked"
            text = f"{prompt} {after}"
        else:
            kind, text = "changed", f"{prompt} {before} \u2192 {after}"
        out.append(AnswerChangeView(q, prompt, before, after, kind, text))
    return tuple(out)


def rule_titles(rule_ids: Iterable[str], pack: Pack) -> tuple[str, ...]:
    """Rules by their titles (their ids are for the JSON report)."""
    return tuple(one_line(pack.rule_by_id[r].title) if r in pack.rule_by_id else r for r in rule_ids)


def _unknown_summary(unknown: int, asked: int) -> tuple[str, bool]:
    if unknown == 0:
        return "", False
    # "Many": a quarter of what was asked, and at least three.
    many = unknown >= 3 and unknown * 4 >= asked
    text = (
        f"You answered \u201cI don't know\u201d to {unknown} of {asked} questions; what depends on "
        f"them counts as possible, never as safe. Most at stake first; once you have checked, {RERUN_NEW}."
    )
    return text, many


def _check_intro(unknown: int, asked: int, summary: str, *, found_out_first: bool) -> str:
    """What the report's "What to check" opens with: short when "Find out first" said the rest."""
    if not found_out_first:
        return summary
    return (
        f"You answered \u201cI don't know\u201d to {unknown} of {asked} questions. Those with the most "
        "at stake are under \u201cFind out first\u201d; the others:"
    )


def _unknown_share(value: int, best_case: int | None) -> str:
    if best_case is None or best_case >= value:
        return ""
    gap = value - best_case
    return (
        f"{gap} of your {value} points come from \u201cI don't know\u201d answers: with the least "
        f"exposing answers to them, your score would be {best_case}."
    )


def _not_checked_summary(count: int) -> str:
    if count == 0:
        return ""
    noun = "question" if count == 1 else "questions"
    return (
        f"The quick check did not ask {count} {noun}, so this report says nothing about them: "
        f"no findings, no advice. To check them now, {RERUN_NEW}."
    )


def _findings_intro(count: int) -> str:
    if count == 0:
        return "Nothing this model checks for applies to your answers."
    if count == 1:
        return "1 finding."
    return f"{count} findings, most serious first."


def _section_title(pack: Pack, section: str) -> str:
    known = pack.section_by_id.get(section)
    return one_line(known.title) if known else ""


def group_by_severity(findings: Sequence[FindingView]) -> tuple[SeverityGroup, ...]:
    """Findings in severity order (critical first), empty groups left out."""
    known: list[str] = list(MOST_SEVERE_FIRST)
    known += sorted({f.severity for f in findings} - set(MOST_SEVERE_FIRST))
    return tuple(
        SeverityGroup(
            severity=s,
            word=SEVERITY_WORDS.get(s, s),
            findings=tuple(f for f in findings if f.severity == s),
        )
        for s in known
        if any(f.severity == s for f in findings)
    )


def build_view(report: Report, pack: Pack) -> ReportView:
    """Everything a report shows, in words, in the order it shows it."""
    findings = _with_alternatives(report, pack)
    recs = [_recommendation(r, report, pack) for r in report.recommendations]
    asked = max(len(report.answers), len(report.unknowns))
    unknowns = tuple(
        UnknownView(
            question=u.question,
            prompt=one_line(u.prompt) or u.question,
            how_to_check=one_line(u.how_to_check),
            section=_section_title(pack, u.section),
            at_stake=u.at_stake,
            stake=stake_text(u.at_stake),
        )
        for u in report.unknowns
    )
    best_case = report.score.best_case
    gap = report.score.value - best_case if best_case is not None else 0
    staked = [u for u in unknowns if u.at_stake > 0] if gap >= FIND_OUT_FIRST_GAP else []
    find_out_first = tuple(staked[:FIND_OUT_FIRST_MAX])
    summary, many = _unknown_summary(len(report.unknowns), asked)
    find_out_intro = ""
    if find_out_first:
        # The score box already says how many points rest on "I don't know".
        find_out_intro = (
            "Much of your score rests on \u201cI don't know\u201d, so the advice below may not fit you. "
            f"Check these first, then {RERUN_NEW}."
        )
    stale = ""
    if report.stale_model:
        stale = (
            f"The model behind this report was last checked on {report.pack.reviewed.isoformat()}, "
            "long before this report. WhatsApp may have changed its policies and settings since; "
            "update wa-audit and run it again."
        )
    return ReportView(
        title=one_line(report.pack.title) or report.pack.id,
        generated_at=stamp(report.generated_at),
        pack_id=report.pack.id,
        version=report.pack.version,
        reviewed=report.pack.reviewed.isoformat(),
        platform=PLATFORM_WORDS.get(report.platform, ""),
        score=report.score.value,
        band=report.score.band,
        band_word=band_label(report.score.band),
        score_meaning=SCORE_MEANING,
        score_how=_score_how(pack),
        stale_warning=stale,
        changes=_changes(report.changes, report, pack) if report.changes is not None else None,
        one_thing=recs[0] if recs else None,
        more_changes=tuple(recs[1:]),
        finding_count=len(report.findings),
        findings_intro=_findings_intro(len(report.findings)),
        severity_groups=group_by_severity(findings),
        recipients=_recipients(report, pack),
        flow_count=len(report.flows),
        rights=tuple(
            RightView(
                id=r.id, title=one_line(r.title), how=clean(r.how).strip(), sources=sources_view(r.sources)
            )
            for r in report.rights
        ),
        protections=tuple(
            ProtectionView(
                id=p.id,
                title=one_line(p.title),
                detail=clean(p.detail).strip(),
                sources=sources_view((*p.sources, *(s for e in p.except_ for s in e.sources))),
                holds=p.holds,
                exceptions=tuple(one_line(e.text) for e in p.except_),
            )
            for p in report.protections
        ),
        unknowns=unknowns,
        asked_count=asked,
        unknown_summary=summary,
        check_intro=_check_intro(len(report.unknowns), asked, summary, found_out_first=bool(find_out_first)),
        suggest_full_audit=many,
        trend=tuple(TrendPointView(label=f"{p.at:%Y-%m-%d}", score=p.score) for p in report.trend),
        best_case=best_case,
        unknown_share=_unknown_share(report.score.value, best_case),
        find_out_first=find_out_first,
        find_out_first_intro=find_out_intro,
        check_later=tuple(u for u in unknowns if u not in find_out_first),
        not_checked=tuple(
            AnswerView(question=q, prompt=question_label(pack, q), answer=NOT_CHECKED)
            for q in report.not_asked
        ),
        not_checked_summary=_not_checked_summary(len(report.not_asked)),
    )

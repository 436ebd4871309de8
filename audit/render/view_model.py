"""The report's view model: what every format shows, in words, as plain data.

`report_view.build_view(report, pack)` fills it in; the terminal, HTML, Markdown and plan reports
only lay it out, so they say the same things.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import Generic, TypeVar

from audit.lang import N_, _, day
from audit.model.assessment import OfficialText, SourceRef
from audit.model.labels import clean_line


@dataclass(frozen=True)
class SourceView:
    """One source, cited once, with every quote the finding takes from it."""

    id: str
    title: str
    url: str | None  # None unless https: only then is it a link
    date: str
    publisher: str
    quotes: tuple[str, ...]
    checked: str | None = None  # "checked 2026-12-02 against the archived text of 2026-07-02"
    iso_date: str = ""  # the date for machines (<time datetime>), in every language
    undated: bool = False
    # Quotes as the source itself words them in the person's language (its official translation):
    # English quote -> that passage, from the edition titled `official_title`.
    officials: Mapping[str, str] = field(default_factory=dict)
    official_title: str = ""
    official_url: str | None = None
    official_lang: str = ""
    quote_lang: str = "en"  # the language its quotes are in


@dataclass(frozen=True)
class AnswerView:
    question: str
    prompt: str
    answer: str


@dataclass(frozen=True)
class DisputeQuote:
    """One side's source in a dispute: "S1", "WhatsApp, 2021-01-04, binding", and its words."""

    id: str
    cited: str
    quote: str


@dataclass(frozen=True)
class DisputeSide:
    heading: str  # "Says so" or "Says otherwise"
    quotes: tuple[DisputeQuote, ...]


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
    because: tuple[AnswerView, ...]
    fix_target: str  # the answer the fix leads to, '' without a fix
    fix_steps: tuple[str, ...]
    sources: tuple[SourceView, ...]
    # A possible finding is worded as a condition: "If the answer to “...” is “...”".
    condition: str = ""
    unknown_note: str = ""  # which of its answers were "I don't know"
    # A cited policy the pack ships a newer capture of than the day it last checked it, one line each.
    policy_notes: tuple[str, ...] = ()
    # Possible findings that exclude this one (another region; linked vs never linked), shown
    # right after it as alternatives rather than as separate facts.
    alternatives: tuple[FindingView, ...] = ()
    alternative_intro: str = ""  # on an alternative: how it relates to the one before
    # v2: both sides of a disputed finding, each "S1 (WhatsApp, 2021-01-04): "quote"", and which binds.
    dispute_says: tuple[str, ...] = ()
    dispute_denies: tuple[str, ...] = ()
    dispute_binding: str = ""
    # The same two sides, each quote on its own (terminal and Markdown show them one under another).
    dispute_sides: tuple[DisputeSide, ...] = ()
    points: int = 0  # its share of the score
    points_text: str = ""  # "8 points"
    tag: str = ""  # before the title, in brackets: "HIGH" or "HIGH, possible"
    because_text: str = ""  # `because` in one phrase: “Yes” to “Is ...?”; ...


@dataclass(frozen=True)
class RightView:
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
    title: str
    detail: str
    sources: tuple[SourceView, ...]
    holds: str = "yes"  # "partly": never shown with a plain check mark
    exceptions: tuple[str, ...] = ()


@dataclass(frozen=True)
class NamedFinding:
    id: str
    title: str  # a possible finding's title comes after its condition: "If ...: title"
    severity_word: str = ""
    # A possible finding's own title, without its condition (the plan's short form); else "".
    possible_title: str = ""


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
    # Rests on an "I don't know" answer: `how` says so; `action` is the change alone, for a list
    # under a heading that says the condition once (`ChangeGroup`).
    conditional: bool = False
    action: str = ""


T = TypeVar("T")
GROUP_CONDITION = N_("If these apply to you (you answered \u201cI don't know\u201d)")
ONE_CONDITION = N_("If this applies to you (you answered \u201cI don't know\u201d)")
# How an answer changed between two runs (AnswerChangeView.kind), in words.
ANSWER_CHANGE_WORDS = {
    # Translators: an answer between two runs: "changed: <question> <before> → <after>".
    "changed": N_("changed"),
    # Translators: a question the earlier model did not have.
    "new question": N_("new question"),
    # Translators: a question that no longer applies to the person.
    "no longer asked": N_("no longer asked"),
    # Translators: a question the earlier run (a quick check) did not ask.
    "answered for the first time": N_("answered for the first time"),
}
ANSWER_CHANGE_HEADINGS = {
    "changed": N_("Changed"),
    "new question": N_("New question"),
    "no longer asked": N_("No longer asked"),
    "answered for the first time": N_("Answered for the first time"),
}


@dataclass(frozen=True, eq=False)
class ChangeGroup(Generic[T]):
    """Neighbouring changes in rank order that are alike in resting, or not, on "I don't know".

    `condition` is '' for changes that hold as they stand; else the one sentence that makes every
    change below it conditional, so the list need not repeat it per change.
    """

    condition: str
    first: int  # the rank of its first change
    items: tuple[T, ...]


def change_groups(
    items: Sequence[T], conditional: Callable[[T], bool], first: int
) -> tuple[ChangeGroup[T], ...]:
    """`items` (ranked from `first`) cut into runs of conditional and unconditional changes."""
    out: list[ChangeGroup[T]] = []
    rank = first
    for is_conditional, run in groupby(items, key=conditional):
        run_items = tuple(run)
        condition = ""
        if is_conditional:
            condition = _(GROUP_CONDITION if len(run_items) > 1 else ONE_CONDITION)
        out.append(ChangeGroup(condition, rank, run_items))
        rank += len(run_items)
    return tuple(out)


@dataclass(frozen=True)
class UnknownView:
    question: str
    prompt: str
    how_to_check: str
    at_stake: int = 0
    stake: str = ""  # at_stake in words: "13 points at stake"


@dataclass(frozen=True)
class AnswerChangeView:
    question: str
    prompt: str
    before: str
    after: str
    kind: str = "changed"  # changed | new question | no longer asked | answered for the first time
    text: str = ""  # the change in words, after "<kind>: "
    kind_word: str = ""  # `kind` in the person's language ("changed")
    kind_heading: str = ""  # the same, as a list item starts it ("Changed")


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
    trend_text: str = ""  # the trend's points in one line: "2026-12-01: 60; 2026-12-07: 48"
    lang: str = "en"  # the report's language (`<html lang>`)
    best_case: int | None = None  # the score with every "I don't know" at its least exposing
    unknown_share: str = ""  # how much of the score is "I don't know", in words
    find_out_first: tuple[UnknownView, ...] = ()  # leads the report when much rests on unknowns
    find_out_first_intro: str = ""
    check_later: tuple[UnknownView, ...] = ()  # the unknowns "What to check" lists: not those above
    check_intro: str = ""  # what "What to check" opens with
    # The plan's groups of changes after the one thing (rank 2 on), and the unknowns no change
    # rests on (a change's own question is already in it, with its menu path).
    change_groups: tuple[ChangeGroup[RecommendationView], ...] = ()
    check_rest: tuple[UnknownView, ...] = ()
    check_rest_intro: str = ""
    not_checked: tuple[str, ...] = ()  # the questions a quick run did not ask, in words
    not_checked_summary: str = ""
    rights: tuple[RightView, ...] = ()
    # The score in one line, in every format: the value, or the range from the best case when it
    # rests on "I don't know"; a quick check says how much it asked.
    headline: str = ""
    # No band colour when the score is not the whole story (a range, a quick check): calm, never
    # green for what was not checked, never red for what is not known.
    calm: bool = False
    plan_order: str = ""  # how the steps are ordered, in one sentence


def _dated(ref: SourceRef) -> tuple[str, str | None]:
    """The source's date, and when its quote was last checked and against which archived text.

    An undated page's date is the day it was checked: one phrase says both.
    """
    checked = ref.checked or ref.date
    if ref.undated:
        if ref.capture:
            text = _("undated; checked {checked} against the archived text of {capture}").format(
                checked=day(checked), capture=day(ref.capture)
            )
        else:
            text = _("undated; checked {checked}").format(checked=day(checked))
        return text, None
    if ref.checked is None:
        return day(ref.date), None
    if ref.capture:
        return day(ref.date), _("checked {checked} against the archived text of {capture}").format(
            checked=day(ref.checked), capture=day(ref.capture)
        )
    return day(ref.date), _("checked {checked}").format(checked=day(ref.checked))


def _link(url: str) -> str | None:
    return url if url.startswith("https://") else None


def sources_view(refs: Iterable[SourceRef]) -> tuple[SourceView, ...]:
    """Sources deduplicated by id (first-cited order), each with its distinct quotes."""
    order: list[str] = []
    first: dict[str, SourceRef] = {}
    quotes: dict[str, list[str]] = {}
    officials: dict[str, dict[str, str]] = {}
    editions: dict[str, OfficialText] = {}
    for ref in refs:
        if ref.id not in first:
            order.append(ref.id)
            first[ref.id] = ref
            quotes[ref.id] = []
            officials[ref.id] = {}
        quote = clean_line(ref.quote or "")
        if quote and quote not in quotes[ref.id]:
            quotes[ref.id].append(quote)
        if quote and ref.official is not None:
            officials[ref.id][quote] = clean_line(ref.official.quote)
            editions[ref.id] = ref.official
    return tuple(
        SourceView(
            id=sid,
            title=clean_line(first[sid].title),
            url=_link(first[sid].url),
            date=_dated(first[sid])[0],
            iso_date=first[sid].date.isoformat(),
            publisher=clean_line(first[sid].publisher),
            quotes=tuple(quotes[sid]),
            checked=_dated(first[sid])[1],
            undated=first[sid].undated,
            officials=officials[sid],
            official_title=clean_line(editions[sid].title) if sid in editions else "",
            official_url=_link(editions[sid].url) if sid in editions else None,
            official_lang=editions[sid].lang if sid in editions else "",
            quote_lang=first[sid].quote_lang,
        )
        for sid in order
    )

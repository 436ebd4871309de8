"""build_view(report, pack) -> ReportView: everything a report shows, in words, in its order.

Pure: everything comes from the report and the pack (no clock, no environment). Turns ids into
the pack's labels, groups flows by recipient, deduplicates sources and works out the sentences
every format prints.
"""

from __future__ import annotations

from collections.abc import Sequence

from audit.lang import _, day, ngettext
from audit.model.assessment import AnswerSwitch, Flow, Recommendation, Report
from audit.model.conditions import UNKNOWN
from audit.model.labels import (
    answer_label,
    clean,
    clean_line,
    data_label,
    purpose_label,
    question_label,
    recipient_label,
)
from audit.model.pack import Pack
from audit.render.changes_view import changes_view, trend_view
from audit.render.findings_view import finding_views, group_by_severity, named_finding
from audit.render.headline import PLAN_ORDER, headline, score_how
from audit.render.view_model import (
    FlowItem,
    NamedFinding,
    ProtectionView,
    RecipientView,
    RecommendationView,
    ReportView,
    RightView,
    UnknownView,
    change_groups,
    sources_view,
)
from audit.render.words import (
    PLATFORM_WORDS,
    REACH_WORDS,
    SCORE_MEANING,
    band_label,
    certainty_name,
    certainty_word,
    reach_tier,
    score_effect,
    stake_text,
    stamp,
)

# When this many points or more of the score rest on "I don't know", the report leads with what to
# find out (SHARING_MODEL.md section 6): advice about what may not apply comes second.
FIND_OUT_FIRST_GAP = 15
FIND_OUT_FIRST_MAX = 5  # the rest are listed under "What to check"


def rerun_new() -> str:
    """Ends sentences such as "Once you have checked, {rerun}.": the choice in the interview's own words."""
    # Translators: {choice} is the interview's menu choice "Answer only new or unanswered questions".
    return _("run wa-audit again and choose \u201c{choice}\u201d").format(
        choice=_("Answer only new or unanswered questions")
    )


def resolves_text(resolves: Sequence[NamedFinding]) -> str:
    return "; ".join(
        f"[{f.severity_word.upper()}] {f.title}" if f.severity_word else f.title for f in resolves
    )


def _conditional_how(r: Recommendation) -> str:
    """The change in words; a condition first when it rests on an "I don't know" answer.

    Someone who does not know whether their WhatsApp is in Accounts Center must not be told, as a
    fact, to remove it: the advice holds only if the answer turns out to be the exposing one.
    """
    how = clean_line(r.how)
    if r.from_ != UNKNOWN and all(c.from_ != UNKNOWN for c in r.changes):
        return how
    return _("If this applies to you (you answered \u201cI don't know\u201d): {change}").format(change=how)


def _recommendation(r: Recommendation, report: Report, pack: Pack) -> RecommendationView:
    changes = r.changes or (AnswerSwitch(question=r.question, from_=r.from_, to=r.to),)
    steps: list[str] = []
    for c in changes:  # each change's numbered fix, where a finding has one
        for f in report.findings:
            if f.fix is not None and f.fix.question == c.question and f.fix.to == c.to:
                steps.extend(clean_line(s) for s in f.fix.steps)
                break
    resolves = tuple(named_finding(f, report, pack) for f in r.resolves)
    return RecommendationView(
        question=r.question,
        # Translators: between two questions a "Do both" step changes: "<question> And: <question>".
        prompt=_(" And: ").join(question_label(pack, c.question) for c in changes),
        from_label="; ".join(answer_label(pack, c.question, c.from_) for c in changes),
        to_label="; ".join(answer_label(pack, c.question, c.to) for c in changes),
        how=_conditional_how(r),
        steps=tuple(steps),
        effort=r.effort,
        score_before=report.score.value,
        score_after=r.score_after,
        removes=tuple(
            f"{data_label(pack, p.data)} \u2192 {recipient_label(pack, p.recipient)}" for p in r.removes
        ),
        resolves=resolves,
        effect=score_effect(report.score.value, r.score_after),
        fixes=resolves_text(resolves),
        conditional=any(c.from_ == UNKNOWN for c in changes),
        action=clean_line(r.how),
    )


def _purposes(flow: Flow, pack: Pack) -> tuple[str, ...]:
    """The flow's purposes; one less sure than the flow says so: "Ads (reported)"."""
    sure = {x.purpose: x.certainty for x in flow.by_purpose}  # the engine gives every purpose one
    return tuple(
        # Translators: a purpose less sure than its flow: "Ads (reported)".
        _("{purpose} ({certainty})").format(purpose=purpose_label(pack, p), certainty=certainty_name(sure[p]))
        if sure[p] != flow.certainty
        else purpose_label(pack, p)
        for p in flow.purposes
    )


def _recipients(report: Report, pack: Pack) -> tuple[RecipientView, ...]:
    items: dict[str, list[FlowItem]] = {}
    for flow in report.flows:
        items.setdefault(flow.recipient, []).append(
            FlowItem(
                data=flow.data,
                data_label=data_label(pack, flow.data),
                purposes=_purposes(flow, pack),
                certainty=flow.certainty,
                certainty_word=certainty_word(flow.certainty),
                rules=flow.rules,
            )
        )
    out = []
    for rid, flows in items.items():
        r = pack.recipient_by_id[rid]
        tier = reach_tier(r.reach)
        out.append(
            RecipientView(
                id=rid,
                label=clean_line(r.label),
                description=clean_line(r.description),
                tier=tier,
                tier_word=_(REACH_WORDS[tier]),
                items=tuple(flows),
            )
        )
    return tuple(out)


def _unknown_summary(unknown: int, asked: int) -> tuple[str, bool]:
    if unknown == 0:
        return "", False
    # "Many": a quarter of what was asked, and at least three.
    many = unknown >= 3 and unknown * 4 >= asked
    text = ngettext(
        "You answered \u201cI don't know\u201d to {unknown} of {asked} question; what depends on "
        "them counts as possible, never as safe. Most at stake first; once you have checked, {rerun}.",
        "You answered \u201cI don't know\u201d to {unknown} of {asked} questions; what depends on "
        "them counts as possible, never as safe. Most at stake first; once you have checked, {rerun}.",
        asked,
    ).format(unknown=unknown, asked=asked, rerun=rerun_new())
    return text, many


def _check_intro(unknown: int, asked: int, summary: str, *, found_out_first: bool) -> str:
    """What the report's "What to check" opens with: short when "Find out first" said the rest."""
    if not found_out_first:
        return summary
    return ngettext(
        "You answered \u201cI don't know\u201d to {unknown} of {asked} question. Those with the most "
        "at stake are under \u201cFind out first\u201d; the others:",
        "You answered \u201cI don't know\u201d to {unknown} of {asked} questions. Those with the most "
        "at stake are under \u201cFind out first\u201d; the others:",
        asked,
    ).format(unknown=unknown, asked=asked)


def check_rest(
    unknowns: Sequence[UnknownView],
    recs: Sequence[RecommendationView],
    asked: int,
    first: Sequence[UnknownView] = (),
) -> tuple[tuple[UnknownView, ...], str]:
    """The unknowns no change rests on (nor "Find out first" lists), and what "What to check" opens with.

    A conditional change already names its question and shows where the setting is; listing the
    question again under "What to check" only doubles the plan's length.
    """
    stepped = {r.question for r in recs if r.conditional}
    shown = {u.question for u in first}
    rest = tuple(u for u in unknowns if u.question not in stepped | shown)
    covered = len([u for u in unknowns if u.question in stepped and u.question not in shown])
    if not covered and not shown:
        return rest, ""
    parts = [
        ngettext(
            "You answered \u201cI don't know\u201d to {unknown} of {asked} question.",
            "You answered \u201cI don't know\u201d to {unknown} of {asked} questions.",
            asked,
        ).format(unknown=len(unknowns), asked=asked)
    ]
    if shown:
        parts.append(_("Those with the most at stake are under \u201cFind out first\u201d."))
    if covered:
        if shown:
            parts.append(
                ngettext(
                    "{n} more comes with its change above, where to look included.",
                    "{n} more come with the changes above, where to look included.",
                    covered,
                ).format(n=covered)
            )
        else:
            parts.append(
                ngettext(
                    "{n} comes with its change above, where to look included.",
                    "{n} come with the changes above, where to look included.",
                    covered,
                ).format(n=covered)
            )
    if rest:
        parts.append(
            ngettext(
                "The other {n}, most at stake first:", "The other {n}, most at stake first:", len(rest)
            ).format(n=len(rest))
        )
    else:
        parts.append(_("Once you have checked, {rerun}.").format(rerun=rerun_new()))
    return rest, " ".join(parts)


def _unknown_share(value: int, best_case: int | None) -> str:
    if best_case is None or best_case >= value:
        return ""
    gap = value - best_case
    # The same words for one point and for many in English; other languages may need their forms.
    return ngettext(
        "{gap} of your {value} points come from \u201cI don't know\u201d answers: with the least "
        "exposing answers to them, your score would be {best}.",
        "{gap} of your {value} points come from \u201cI don't know\u201d answers: with the least "
        "exposing answers to them, your score would be {best}.",
        gap,
    ).format(gap=gap, value=value, best=best_case)


def _not_checked_summary(count: int) -> str:
    if count == 0:
        return ""
    return ngettext(
        "The quick check did not ask {count} question, so this report says nothing about them: "
        "no findings, no advice. To check them now, {rerun}.",
        "The quick check did not ask {count} questions, so this report says nothing about them: "
        "no findings, no advice. To check them now, {rerun}.",
        count,
    ).format(count=count, rerun=rerun_new())


def _findings_intro(count: int) -> str:
    if count == 0:
        return _("Nothing this model checks for applies to your answers.")
    return ngettext("{n} finding.", "{n} findings, most serious first.", count).format(n=count)


def build_view(report: Report, pack: Pack) -> ReportView:
    """Everything a report shows, in words, in the order it shows it."""
    findings = finding_views(report, pack)
    recs = [_recommendation(r, report, pack) for r in report.recommendations]
    asked = max(len(report.answers), len(report.unknowns))
    unknowns = tuple(
        UnknownView(
            question=u.question,
            prompt=clean_line(u.prompt) or u.question,
            how_to_check=clean_line(u.how_to_check),
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
    rest, rest_intro = check_rest(unknowns, recs, asked, find_out_first)
    find_out_intro = ""
    if find_out_first:
        # The score box already says how many points rest on "I don't know".
        find_out_intro = _(
            "Much of your score rests on \u201cI don't know\u201d, so the advice below may not fit you. "
            "Check these first, then {rerun}."
        ).format(rerun=rerun_new())
    stale = ""
    if report.stale_model:
        stale = _(
            "The model behind this report was last checked on {reviewed}, "
            "long before this report. WhatsApp may have changed its policies and settings since; "
            "update wa-audit and run it again."
        ).format(reviewed=day(report.pack.reviewed))
    line = headline(report)
    trend = trend_view(report)
    return ReportView(
        headline=line.text,
        calm=line.calm,
        plan_order=_(PLAN_ORDER),
        lang=report.lang,
        title=clean_line(report.pack.title) or report.pack.id,
        generated_at=stamp(report.generated_at),
        pack_id=report.pack.id,
        version=report.pack.version,
        reviewed=day(report.pack.reviewed),
        platform=PLATFORM_WORDS.get(report.platform, ""),
        score=report.score.value,
        band=report.score.band,
        band_word=band_label(report.score.band),
        score_meaning=_(SCORE_MEANING),
        score_how=score_how(pack),
        stale_warning=stale,
        changes=changes_view(report.changes, report, pack) if report.changes is not None else None,
        one_thing=recs[0] if recs else None,
        more_changes=tuple(recs[1:]),
        finding_count=len(report.findings),
        findings_intro=_findings_intro(len(report.findings)),
        severity_groups=group_by_severity(findings),
        recipients=_recipients(report, pack),
        flow_count=len(report.flows),
        rights=tuple(
            RightView(title=clean_line(r.title), how=clean(r.how).strip(), sources=sources_view(r.sources))
            for r in report.rights
        ),
        protections=tuple(
            ProtectionView(
                title=clean_line(p.title),
                detail=clean(p.detail).strip(),
                sources=sources_view((*p.sources, *(s for e in p.except_ for s in e.sources))),
                holds=p.holds,
                exceptions=tuple(clean_line(e.text) for e in p.except_),
            )
            for p in report.protections
        ),
        unknowns=unknowns,
        asked_count=asked,
        unknown_summary=summary,
        check_intro=_check_intro(len(report.unknowns), asked, summary, found_out_first=bool(find_out_first)),
        suggest_full_audit=many,
        trend=trend,
        trend_text="; ".join(f"{p.label}: {p.score}" for p in trend),
        best_case=best_case,
        unknown_share=_unknown_share(report.score.value, best_case),
        find_out_first=find_out_first,
        find_out_first_intro=find_out_intro,
        check_later=tuple(u for u in unknowns if u not in find_out_first),
        change_groups=change_groups(recs[1:], lambda r: r.conditional, 2),
        check_rest=rest,
        check_rest_intro=rest_intro,
        not_checked=tuple(question_label(pack, q) for q in report.not_asked),
        not_checked_summary=_not_checked_summary(len(report.not_asked)),
    )

"""The plan: one page to keep, print or send. The one thing, the ranked steps, what to find out.

Built from the shared view (`report_view.build_view`), so its steps and wording are the report's. Three
media: plain text (`--format plan`), HTML (`--format plan -o plan.html`, the report's stylesheet,
the same CSP) and Markdown (`-o plan.md`). jinja2 is imported only for the last two.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from audit.lang import N_, _, ngettext
from audit.model.assessment import Report
from audit.model.pack import Pack
from audit.render.base import RenderOptions
from audit.render.report_view import build_view, check_rest
from audit.render.view_model import ChangeGroup, RecommendationView, ReportView, UnknownView, change_groups

TEMPLATE_HTML = "plan.html.j2"
TEMPLATE_MARKDOWN = "plan.md.j2"
# "What to find out" says how to check this many; the rest it names (a one-page plan, issue 16).
FIND_OUT_MAX = 5
# The steps shown whole, with their menu steps; the rest (each removing less) get one line each, so
# the plan still prints on one or two pages. The full report has every step whole. When much rests
# on "I don't know", what to find out leads and fewer steps are shown whole.
STEPS_IN_FULL = 5
STEPS_IN_FULL_AFTER_FIND_OUT = 3
NOTHING_TO_CHANGE = N_(
    "Nothing to change today: no change to your answers would lower your score or fix a finding of "
    "medium severity or more."
)


@dataclass(frozen=True)
class PlanStep:
    number: int
    step: RecommendationView
    resolves: tuple[str, ...]  # titles of the findings this change resolves


@dataclass(frozen=True)
class PlanView:
    title: str
    generated_at: str
    platform: str
    headline: str  # the report's score line (a range with unknowns; a quick check says so)
    plan_order: str  # how the steps are ordered, in one sentence
    steps: tuple[PlanStep, ...]  # shown whole, the one thing first
    groups: tuple[ChangeGroup[PlanStep], ...]  # the steps after the first, conditional ones together
    smaller: tuple[PlanStep, ...]  # the steps after those, one line each
    find_out: tuple[UnknownView, ...]  # the unknowns no step rests on, most at stake first
    find_out_intro: str
    also_check: str  # the rest of them, by name only: "Also ..."
    finding_count: int
    pack_id: str
    version: str
    reviewed: str
    # With much at stake on "I don't know" answers (the report's "Find out first"), what to find
    # out leads the plan, before any step: many steps would otherwise each rest on one of them.
    find_out_first: tuple[UnknownView, ...] = ()
    find_out_first_intro: str = ""
    lang: str = "en"  # the report's language (`<html lang>`)


def _resolves(step: RecommendationView) -> tuple[str, ...]:
    """The titles of the findings a change resolves; a possible one after "If it applies to you".

    The handout keeps a possible finding conditional in three words: which answers it rests on is
    the full report's (for the person who knows nothing they ran to a page of conditions).
    """
    return tuple(
        f"{_('If it applies to you')}: {f.possible_title}" if f.possible_title else f.title
        for f in step.resolves
    )


def build_plan(report: Report, pack: Pack, view: ReportView | None = None) -> PlanView:
    v = view if view is not None else build_view(report, pack)
    recs = [v.one_thing, *v.more_changes] if v.one_thing is not None else []
    every = tuple(PlanStep(number=i, step=r, resolves=_resolves(r)) for i, r in enumerate(recs, 1))
    whole = STEPS_IN_FULL_AFTER_FIND_OUT if v.find_out_first else STEPS_IN_FULL
    steps, smaller = every[:whole], every[whole:]
    rest, intro = check_rest(v.unknowns, recs, v.asked_count, v.find_out_first)
    find_out, more = rest[:FIND_OUT_MAX], rest[FIND_OUT_MAX:]
    also = ""
    if more:
        also = _("Also check, with less at stake (the full report says how): {questions}").format(
            questions=" ".join(u.prompt if u.prompt.endswith("?") else f"{u.prompt}." for u in more)
        )
    return PlanView(
        title=v.title,
        generated_at=v.generated_at,
        platform=v.platform,
        headline=v.headline,
        plan_order=v.plan_order if steps else "",
        steps=steps,
        groups=change_groups(steps[1:], lambda s: s.step.conditional, 2),
        smaller=smaller,
        find_out=find_out,
        also_check=also,
        find_out_intro=intro or v.unknown_summary,
        finding_count=v.finding_count,
        pack_id=v.pack_id,
        version=v.version,
        reviewed=v.reviewed,
        find_out_first=v.find_out_first,
        find_out_first_intro=v.find_out_first_intro,
        lang=v.lang,
    )


SMALLER_INTRO = N_(
    "Each removes less; the full report (wa-audit report) has the steps for each. "
    "\u201cIf it applies\u201d: it depends on an answer you gave as \u201cI don't know\u201d."
)


def smaller_line(s: PlanStep) -> str:
    """A smaller step on one line: what to do (if it applies), and the score after it."""
    r = s.step
    what = _("If it applies: {action}").format(action=r.action) if r.conditional else r.how
    habit = " " + _("(a change of habit)") if r.effort == "habit" else ""
    score = _("Score {before} \u2192 {after}.").format(before=r.score_before, after=r.score_after)
    return f"{what}{habit} {score}"


def _how_to_check(u: UnknownView) -> str:
    return _("How to check: {how}").format(how=u.how_to_check)


def headline(p: PlanView) -> str:
    """The score line every medium opens with, and how the steps are ordered."""
    return f"{p.headline} {p.plan_order}".strip()


class PlanTextRenderer:
    """The plan as plain text at the given width (colour when asked), for a screen or a printer."""

    def render(self, report: Report, pack: Pack, options: RenderOptions) -> str:
        from rich.console import Group, RenderableType
        from rich.rule import Rule
        from rich.table import Table
        from rich.text import Text

        from audit.render.console import buffer_console

        p = build_plan(report, pack)
        buf = io.StringIO()
        console = buffer_console(buf, width=options.width, color=options.color)

        def hanging(marker: str, body: RenderableType, indent: int = 0) -> Table:
            grid = Table.grid(padding=(0, 1, 0, 0))
            grid.add_column(no_wrap=True)
            grid.add_column()
            grid.add_row(" " * indent + marker, body)
            return grid

        if p.platform:
            title = _("Your WhatsApp privacy plan for {platform}").format(platform=p.platform)
        else:
            title = _("Your WhatsApp privacy plan")
        console.print(Text(title, style="bold"))
        console.print(Text(f"{p.title}, {p.generated_at}", style="dim"))
        console.print(Text(headline(p)))
        if p.find_out_first:
            console.print(Text(""))
            console.print(Rule(Text(_("Find out first"), style="bold"), characters="\u2500"))
            console.print(Text(p.find_out_first_intro))
            for u in p.find_out_first:
                console.print(hanging("?", Text.assemble((u.prompt, "bold"), "\n" + _how_to_check(u))))
        if not p.steps:
            console.print(Text(""))
            console.print(Text(_(NOTHING_TO_CHANGE)))

        def step(s: PlanStep, how: str, indent: int = 0) -> None:
            r = s.step
            head = Text(how, style="bold")
            if r.effort == "habit":
                head.append(" " + _("(a change of habit)"))
            body: list[RenderableType] = [head]
            body.extend(hanging(f"{i})", Text(line)) for i, line in enumerate(r.steps, 1))
            now = "" if r.conditional else " " + _("Now: {now}.").format(now=r.from_label)
            after = _("After: {after}.").format(after=r.to_label)
            body.append(Text(f"{r.prompt}{now} {after}", style="dim"))
            if s.resolves:
                body.append(Text(_("Resolves: {resolves}.").format(resolves="; ".join(s.resolves))))
            body.append(
                Text(_("Score {before} \u2192 {after}.").format(before=r.score_before, after=r.score_after))
            )
            console.print(hanging(f"{s.number}.", Group(*body), indent))

        if p.steps:
            console.print(Text(""))
            console.print(Rule(Text(_("If you do one thing today"), style="bold green"), characters="\u2500"))
            step(p.steps[0], p.steps[0].step.how)
        for g in p.groups:
            console.print(Text(""))
            if g.first == 2:
                console.print(Rule(Text(_("Then, best first"), style="bold"), characters="\u2500"))
            if g.condition:
                console.print(Text(f"{g.condition}:", style="bold"))
            for s in g.items:
                if s is not g.items[0]:
                    console.print(Text(""))
                if g.condition:
                    step(s, s.step.action, indent=2)
                else:
                    step(s, s.step.how)
        if p.smaller:
            console.print(Text(""))
            console.print(Rule(Text(_("Smaller steps"), style="bold"), characters="\u2500"))
            console.print(Text(_(SMALLER_INTRO)))
            for s in p.smaller:
                console.print(hanging(f"{s.number}.", Text(smaller_line(s))))
        if p.find_out_intro:
            console.print(Text(""))
            console.print(Rule(Text(_("What to find out"), style="bold"), characters="\u2500"))
            console.print(Text(p.find_out_intro))
            for u in p.find_out:
                console.print(hanging("?", Text.assemble((u.prompt, "bold"), "\n" + _how_to_check(u))))
            if p.also_check:
                console.print(Text(p.also_check))
        console.print(Text(""))
        console.print(
            Text(
                ngettext(
                    "{n} finding and their sources: the full report (wa-audit report).",
                    "{n} findings and their sources: the full report (wa-audit report).",
                    p.finding_count,
                ).format(n=p.finding_count)
                + " "
                + _("Model {pack} {version}, reviewed {reviewed}.").format(
                    pack=p.pack_id, version=p.version, reviewed=p.reviewed
                ),
                style="dim",
            )
        )
        return "\n".join(line.rstrip() for line in buf.getvalue().split("\n"))


class PlanHtmlRenderer:
    """The plan as one self-contained page, printable on one or two A4 pages."""

    def render(self, report: Report, pack: Pack, options: RenderOptions) -> str:
        del options
        from audit.render import html

        return (
            html.environment()
            .get_template(TEMPLATE_HTML)
            .render(
                p=build_plan(report, pack),
                headline=headline,
                css=html.stylesheet(),
                csp=html.CSP,
                nothing_to_change=_(NOTHING_TO_CHANGE),
                smaller_intro=_(SMALLER_INTRO),
            )
        )


class PlanMarkdownRenderer:
    """The plan in Markdown, every pack string escaped by the Markdown renderer's `finalize`."""

    def render(self, report: Report, pack: Pack, options: RenderOptions) -> str:
        del options
        from audit.render import markdown

        p = build_plan(report, pack)
        text = (
            markdown.environment()
            .get_template(TEMPLATE_MARKDOWN)
            .render(
                p=p,
                group_of={s.number: g for g in p.groups for s in g.items},
                headline=headline(p),
                nothing_to_change=_(NOTHING_TO_CHANGE),
                smaller_intro=_(SMALLER_INTRO),
            )
        )
        return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"

"""The terminal report (rich): plain text when piped or with NO_COLOR; fits the given width.

Built from the shared view (`report_view.build_view`), so it says what the HTML and Markdown reports
say. Pack text only ever enters rich as `Text` (never as markup), so a pack cannot style or break
the output. Nothing relies on colour alone: severities and certainties are words.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from audit.lang import _, ngettext
from audit.model.assessment import Report
from audit.model.pack import Pack
from audit.render import words
from audit.render.base import RenderOptions
from audit.render.console import CERTAINTY_STYLE, SEVERITY_STYLE, hanging, print_parts
from audit.render.report_view import build_view
from audit.render.summary import LAST_WHERE, full_report_line, summary_panel
from audit.render.view_model import FindingView, RecommendationView, ReportView, SourceView, UnknownView


class TerminalRenderer:
    def render(self, report: Report, pack: Pack, options: RenderOptions) -> str:
        view = build_view(report, pack)
        # The summary first and last: a long report opens and ends where the eye is.
        where = full_report_line(options.full_report)
        first = summary_panel(view, where, options.width)
        last = summary_panel(view, where or _(LAST_WHERE), options.width)
        return print_parts([first, *_parts(view), Text(""), last], options)


def _heading(title: str) -> Group:
    # A blank line first: sections must stand apart without colour.
    return Group(Text(""), Rule(Text(title, style="bold"), style="dim", characters="\u2500"))


def _parts(v: ReportView) -> list[RenderableType]:
    parts: list[RenderableType] = []
    if v.unknown_share:  # how much of the score is "I don't know" (SHARING_MODEL.md section 6)
        parts.append(Text(v.unknown_share, style="bold"))
    parts.append(Text(v.score_meaning))
    parts.append(Text(v.score_how, style="dim"))
    if v.stale_warning:
        parts.append(Text.assemble((_("Warning: "), "bold yellow"), (v.stale_warning, "yellow")))
    if len(v.trend) >= 2:  # as in the Markdown report; the HTML draws it
        parts.append(Text(_("Score trend: {points}.").format(points=v.trend_text)))
    if v.changes is not None:
        parts.append(_changes(v))
    if v.find_out_first:
        parts.append(_find_out_first(v))
    if v.not_checked:
        parts.append(_not_checked(v))
    if v.one_thing is not None:
        parts.append(Text(v.plan_order, style="dim"))
        parts.append(_one_thing(v.one_thing))
    else:
        parts.append(Panel(Text(_(words.NOTHING_TO_CHANGE)), border_style="green"))
    parts.append(_heading(_("What your answers mean")))
    parts.append(Text(v.findings_intro))
    for group in v.severity_groups:
        count = len(group.findings)
        parts.append(Text(""))
        parts.append(
            Text(
                ngettext("{word}: {count} finding", "{word}: {count} findings", count).format(
                    word=group.word.upper(), count=count
                ),
                style=SEVERITY_STYLE.get(group.severity, ""),
            )
        )
        for i, f in enumerate(group.findings):
            if i:
                parts.append(Text(""))
            parts.append(_finding(f, v.platform))
            for alt in f.alternatives:
                parts.append(Text(""))
                parts.append(Text(alt.alternative_intro, style="bold"))
                parts.append(_finding(alt, v.platform))
    parts.append(_heading(_("Who gets what")))
    parts.append(_flows(v))
    parts.append(_heading(_("What stays protected")))
    for p in v.protections:
        cite = ", ".join(f"{s.id} ({s.date})" for s in p.sources)
        partly = p.holds == "partly"
        body = Text.assemble(
            (p.title, "bold"), (f" {_('(holds only in part for you)')}" if partly else "", "bold")
        )
        for e in p.exceptions:
            body.append("\n" + _("Except: {exception}").format(exception=e))
        body.append("\n" + _("Sources: {sources}").format(sources=cite), "dim")
        parts.append(hanging([("\u25d0" if partly else "\u2713", body)], fold=True))
    if v.rights:
        parts.append(_heading(_("Rights you can use")))
    for r in v.rights:
        cite = ", ".join(f"{s.id} ({s.date})" for s in r.sources)
        body = Text.assemble(
            (r.title, "bold"), f"\n{r.how}", ("\n" + _("Sources: {sources}").format(sources=cite), "dim")
        )
        parts.append(hanging([("\u2022", body)], fold=True))
    if v.more_changes:
        parts.append(_heading(_("More changes, best first")))
        parts.extend(_more(i, r) for i, r in enumerate(v.more_changes, 2))
    if v.unknowns:
        parts.append(_heading(_("What to check")))
        parts.append(Text(v.check_intro, style="bold" if v.suggest_full_audit else ""))
        parts.append(
            hanging(
                [
                    (
                        "?",
                        Text.assemble((u.prompt, "bold"), _at_stake(u), "\n" + _how_to_check(u)),
                    )
                    for u in v.check_later
                ],
                fold=True,
            )
        )
    parts.append(Text(""))
    parts.append(
        Text(
            _("Model {pack} {version}, reviewed {reviewed}.").format(
                pack=v.pack_id, version=v.version, reviewed=v.reviewed
            )
            + " "
            + _("wa-audit used no network connection; every statement above cites its source."),
            style="dim",
        )
    )
    return parts


def _steps(steps: tuple[str, ...]) -> Table:
    return hanging([(f"{i}.", Text(step)) for i, step in enumerate(steps, 1)], indent=2, fold=True)


def _one_thing(r: RecommendationView) -> Panel:
    head = Text()
    head.append(_("If you do one thing today") + "\n", style="bold green")
    head.append(r.how)
    if r.effort == "habit":
        head.append(" " + _("(a change of habit)"), style="dim")
    body: list[RenderableType] = [head]
    if r.steps:
        body.append(_steps(r.steps))
    tail = Text()
    tail.append(f"{r.prompt}\n", style="dim")
    tail.append(_now_after(r) + "\n", style="dim")
    tail.append(r.effect, style="bold")
    if r.removes:
        tail.append(" " + _("It stops: {stops}.").format(stops="; ".join(r.removes)))
    if r.resolves:
        tail.append("\n" + _("It fixes: {fixes}").format(fixes=r.fixes))
    body.append(tail)
    return Panel(Group(*body), border_style="green")


def _more(i: int, r: RecommendationView) -> Table:
    t = Text(r.how)
    if r.effort == "habit":
        t.append(" " + _("(a change of habit)"), style="dim")
    t.append(f"\n{r.prompt}", style="dim")
    t.append("\n" + _now_after(r), style="dim")
    if r.resolves:
        t.append(
            "\n"
            + _("score {before} \u2192 {after}; fixes: {fixes}").format(
                before=r.score_before, after=r.score_after, fixes=r.fixes
            )
        )
    else:
        t.append("\n" + _("score {before} \u2192 {after}").format(before=r.score_before, after=r.score_after))
    return hanging([(f"{i}.", t)], fold=True)


def _now_after(r: RecommendationView) -> str:
    # Translators: a change of answer, the answer now and the one after it.
    return _("now: {now}  \u2192  after: {after}").format(now=r.from_label, after=r.to_label)


def _how_to_check(u: UnknownView) -> str:
    return _("How to check: {how}").format(how=u.how_to_check)


def _at_stake(u: UnknownView) -> Text:
    return Text(f" ({u.stake})", style="dim")


def _find_out_first(v: ReportView) -> Panel:
    rows = [
        ("?", Text.assemble((u.prompt, "bold"), _at_stake(u), "\n" + _how_to_check(u)))
        for u in v.find_out_first
    ]
    return Panel(
        Group(Text(v.find_out_first_intro), hanging(rows, fold=True)),
        title=Text(_("Find out first"), style="bold yellow"),
        border_style="yellow",
    )


def _not_checked(v: ReportView) -> Panel:
    rows = [("-", Text(prompt)) for prompt in v.not_checked]
    return Panel(
        Group(Text(v.not_checked_summary), hanging(rows, fold=True)),
        title=Text(_("Not checked"), style="bold"),
    )


def _sources(sources: tuple[SourceView, ...]) -> RenderableType:
    rows = []
    for s in sources:
        t = Text(f"{s.title}, {s.publisher}, {s.date}{f'; {s.checked}' if s.checked else ''}")
        if s.url:
            t.append(f"\n{s.url}")
        rows.append((s.id, t))
    return Group(Text(_("Sources:"), style="dim"), hanging(rows, indent=2, style="dim", fold=True))


def _finding(f: FindingView, platform: str) -> RenderableType:
    t = Text()
    # "possible" goes next to the severity: the finding may not apply, and the reader should see
    # that before reading it as a fact.
    t.append(f"[{f.tag}] ", style=SEVERITY_STYLE.get(f.severity, ""))
    if f.condition:
        t.append(f"{f.condition}: ")
    t.append(f.title, style="bold")
    t.append(f" ({f.points_text})", style="dim")
    t.append(f"\n{f.detail}")
    if f.risk:
        t.append("\n" + _("Why it matters: "), style="bold")
        t.append(f.risk)
    parts: list[RenderableType] = [t]
    if f.dispute_sides:
        parts.append(_dispute(f))
    elif f.conflict:
        t.append("\n" + _("Sources disagree: "), style="bold yellow")
        t.append(f.conflict)
    after = Text()
    if f.because:
        # Translators: {answers} is a list: “Yes” to “Is ...?”; “No” to “...”.
        after.append(_("You answered {answers}").format(answers=f.because_text) + "\n", style="dim")
    if f.unknown_note:
        after.append(f"{f.unknown_note}\n", style="dim")
    for policy_note in f.policy_notes:
        after.append(f"{policy_note}\n", style="yellow")
    why = words.certainty_explained().get(f.certainty, "")
    after.append(
        _("Certainty: {certainty}: {why}.").format(certainty=words.certainty_name(f.certainty), why=why),
        style="dim",
    )
    if f.certainty == "possible":
        after.append(" " + _("See \u201cWhat to check\u201d."), style="dim")
    if len(parts) == 1:
        t.append("\n")
        t.append_text(after)
    else:
        parts.append(after)
    if f.fix_steps:
        if platform:
            fix = _("How to fix on {platform} (\u2192 {target}):").format(
                platform=platform, target=f.fix_target
            )
        else:
            fix = _("How to fix (\u2192 {target}):").format(target=f.fix_target)
        parts.append(Text(fix, style="bold"))
        parts.append(_steps(f.fix_steps))
    parts.append(_sources(f.sources))
    return Group(*parts)


def _dispute(f: FindingView) -> RenderableType:
    """Each side under its heading, each quote under its source: the two sides stay apart at 80 columns."""
    rows: list[RenderableType] = [
        Text(
            _("Sources disagree ({binding} is the binding text):").format(binding=f.dispute_binding),
            style="bold yellow",
        )
    ]
    for side in f.dispute_sides:
        rows.append(Text(f"  {side.heading}:", style="bold"))
        rows.append(
            hanging(
                [(q.id, Text(f"{q.cited}:\n\u201c{q.quote}\u201d")) for q in side.quotes],
                indent=4,
                fold=True,
            )
        )
    return Group(*rows)


def _flows(v: ReportView) -> RenderableType:
    if not v.recipients:
        return Text(_("None of your data flows anywhere this model knows about."))
    tree = Tree(
        Text(
            ngettext("Your data ({n} flow)", "Your data ({n} flows)", v.flow_count).format(n=v.flow_count),
            style="bold",
        ),
        guide_style="dim",
    )
    for r in v.recipients:
        node = tree.add(Text.assemble((r.label, "bold"), (f" ({r.tier_word})", "dim")))
        for item in r.items:
            node.add(
                Text.assemble(
                    item.data_label,
                    (f" [{words.certainty_name(item.certainty)}]", CERTAINTY_STYLE.get(item.certainty, "")),
                    # Translators: what a recipient uses the data for: "for: Ads, Safety".
                    ("\n" + _("for: {purposes}").format(purposes=", ".join(item.purposes)), "dim"),
                )
            )
    return tree


def _changes(v: ReportView) -> Panel:
    c = v.changes
    assert c is not None  # noqa: S101 - checked by the caller
    t = Text()
    t.append(
        _("Score {before} \u2192 {after} ({direction})").format(
            before=c.score_before, after=c.score_after, direction=c.direction
        )
        + "\n",
        style="bold",
    )
    for a in c.answers:
        t.append(f"{a.kind_word}: {a.text}\n")
    for f in c.resolved:
        # Translators: a finding gone since the last run, before its title.
        t.append(_("resolved: "), style="bold green")
        t.append(f"{f.title}\n")
    for f in c.new:
        # Translators: a finding new since the last run, before its title.
        t.append(_("new: "), style="bold red")
        t.append(f"{f.title}\n")
    if c.new_rules:
        t.append(
            _("The model has new rules since then: {rules}").format(rules="; ".join(c.new_rules)) + "\n",
            style="dim",
        )
    if not (c.answers or c.resolved or c.new or c.new_rules):
        t.append(_("Nothing else changed.") + "\n")
    t.rstrip()
    return Panel(t, title=Text(_("What changed since {since}").format(since=c.since)))

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

from audit.model.assessment import Report
from audit.model.pack import Pack
from audit.render import words
from audit.render.base import RenderOptions
from audit.render.console import CERTAINTY_STYLE, SEVERITY_STYLE, hanging, print_parts
from audit.render.report_view import build_view
from audit.render.summary import LAST_WHERE, summary_panel
from audit.render.view_model import FindingView, RecommendationView, ReportView, SourceView, UnknownView


class TerminalRenderer:
    def render(self, report: Report, pack: Pack, options: RenderOptions) -> str:
        view = build_view(report, pack)
        # The summary first and last: a long report opens and ends where the eye is.
        where = f"Full report: {options.full_report}" if options.full_report else ""
        first = summary_panel(view, where, options.width)
        last = summary_panel(view, where or LAST_WHERE, options.width)
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
        parts.append(Text.assemble(("Warning: ", "bold yellow"), (v.stale_warning, "yellow")))
    if len(v.trend) >= 2:  # as in the Markdown report; the HTML draws it
        points = "; ".join(f"{p.label}: {p.score}" for p in v.trend)
        parts.append(Text(f"Score trend: {points}."))
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
        parts.append(Panel(Text(words.NOTHING_TO_CHANGE), border_style="green"))
    parts.append(_heading("What your answers mean"))
    parts.append(Text(v.findings_intro))
    for group in v.severity_groups:
        count = len(group.findings)
        parts.append(Text(""))
        parts.append(
            Text(
                f"{group.word.upper()}: {count} finding{'s' if count != 1 else ''}",
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
    parts.append(_heading("Who gets what"))
    parts.append(_flows(v))
    parts.append(_heading("What stays protected"))
    for p in v.protections:
        cite = ", ".join(f"{s.id} ({s.date})" for s in p.sources)
        partly = p.holds == "partly"
        body = Text.assemble((p.title, "bold"), (" (holds only in part for you)" if partly else "", "bold"))
        for e in p.exceptions:
            body.append(f"\nExcept: {e}")
        body.append(f"\nSources: {cite}", "dim")
        parts.append(hanging([("\u25d0" if partly else "\u2713", body)], fold=True))
    if v.rights:
        parts.append(_heading("Rights you can use"))
    for r in v.rights:
        cite = ", ".join(f"{s.id} ({s.date})" for s in r.sources)
        body = Text.assemble((r.title, "bold"), f"\n{r.how}", (f"\nSources: {cite}", "dim"))
        parts.append(hanging([("\u2022", body)], fold=True))
    if v.more_changes:
        parts.append(_heading("More changes, best first"))
        parts.extend(_more(i, r) for i, r in enumerate(v.more_changes, 2))
    if v.unknowns:
        parts.append(_heading("What to check"))
        parts.append(Text(v.check_intro, style="bold" if v.suggest_full_audit else ""))
        parts.append(
            hanging(
                [
                    (
                        "?",
                        Text.assemble((u.prompt, "bold"), _at_stake(u), f"\nHow to check: {u.how_to_check}"),
                    )
                    for u in v.check_later
                ],
                fold=True,
            )
        )
    parts.append(Text(""))
    parts.append(
        Text(
            f"Model {v.pack_id} {v.version}, reviewed {v.reviewed}. wa-audit used no network "
            "connection; every statement above cites its source.",
            style="dim",
        )
    )
    return parts


def _steps(steps: tuple[str, ...]) -> Table:
    return hanging([(f"{i}.", Text(step)) for i, step in enumerate(steps, 1)], indent=2, fold=True)


def _one_thing(r: RecommendationView) -> Panel:
    head = Text()
    head.append("If you do one thing today\n", style="bold green")
    head.append(r.how)
    if r.effort == "habit":
        head.append(" (a change of habit)", style="dim")
    body: list[RenderableType] = [head]
    if r.steps:
        body.append(_steps(r.steps))
    tail = Text()
    tail.append(f"{r.prompt}\n", style="dim")
    tail.append(f"now: {r.from_label}  \u2192  after: {r.to_label}\n", style="dim")
    tail.append(r.effect, style="bold")
    if r.removes:
        tail.append(f" It stops: {'; '.join(r.removes)}.")
    if r.resolves:
        tail.append(f"\nIt fixes: {r.fixes}")
    body.append(tail)
    return Panel(Group(*body), border_style="green")


def _more(i: int, r: RecommendationView) -> Table:
    t = Text(r.how)
    if r.effort == "habit":
        t.append(" (a change of habit)", style="dim")
    t.append(f"\n{r.prompt}", style="dim")
    t.append(f"\nnow: {r.from_label}  \u2192  after: {r.to_label}", style="dim")
    t.append(f"\nscore {r.score_before} \u2192 {r.score_after}")
    if r.resolves:
        t.append(f"; fixes: {r.fixes}")
    return hanging([(f"{i}.", t)], fold=True)


def _at_stake(u: UnknownView) -> Text:
    return Text(f" ({u.stake})", style="dim")


def _find_out_first(v: ReportView) -> Panel:
    rows = [
        ("?", Text.assemble((u.prompt, "bold"), _at_stake(u), f"\nHow to check: {u.how_to_check}"))
        for u in v.find_out_first
    ]
    return Panel(
        Group(Text(v.find_out_first_intro), hanging(rows, fold=True)),
        title=Text("Find out first", style="bold yellow"),
        border_style="yellow",
    )


def _not_checked(v: ReportView) -> Panel:
    rows = [("-", Text(prompt)) for prompt in v.not_checked]
    return Panel(
        Group(Text(v.not_checked_summary), hanging(rows, fold=True)),
        title=Text("Not checked", style="bold"),
    )


def _sources(sources: tuple[SourceView, ...]) -> RenderableType:
    rows = []
    for s in sources:
        t = Text(f"{s.title}, {s.publisher}, {s.date}{f'; {s.checked}' if s.checked else ''}")
        if s.url:
            t.append(f"\n{s.url}")
        rows.append((s.id, t))
    return Group(Text("Sources:", style="dim"), hanging(rows, indent=2, style="dim", fold=True))


def _finding(f: FindingView, platform: str) -> RenderableType:
    t = Text()
    # "possible" goes next to the severity: the finding may not apply, and the reader should see
    # that before reading it as a fact.
    tag = f.severity_word.upper() + (", possible" if f.certainty == "possible" else "")
    t.append(f"[{tag}] ", style=SEVERITY_STYLE.get(f.severity, ""))
    if f.condition:
        t.append(f"{f.condition}: ")
    t.append(f.title, style="bold")
    t.append(f" ({f.points_text})", style="dim")
    t.append(f"\n{f.detail}")
    if f.risk:
        t.append("\nWhy it matters: ", style="bold")
        t.append(f.risk)
    parts: list[RenderableType] = [t]
    if f.dispute_sides:
        parts.append(_dispute(f))
    elif f.conflict:
        t.append("\nSources disagree: ", style="bold yellow")
        t.append(f.conflict)
    after = Text()
    if f.because:
        answers = "; ".join(f"\u201c{a.answer}\u201d to \u201c{a.prompt}\u201d" for a in f.because)
        after.append(f"You answered {answers}\n", style="dim")
    if f.unknown_note:
        after.append(f"{f.unknown_note}\n", style="dim")
    for policy_note in f.policy_notes:
        after.append(f"{policy_note}\n", style="yellow")
    why = words.CERTAINTY_EXPLAINED.get(f.certainty, "")
    after.append(f"Certainty: {f.certainty}: {why}.", style="dim")
    if f.certainty == "possible":
        after.append(" See \u201cWhat to check\u201d.", style="dim")
    if len(parts) == 1:
        t.append("\n")
        t.append_text(after)
    else:
        parts.append(after)
    if f.fix_steps:
        where = f" on {platform}" if platform else ""
        parts.append(Text(f"How to fix{where} (\u2192 {f.fix_target}):", style="bold"))
        parts.append(_steps(f.fix_steps))
    parts.append(_sources(f.sources))
    return Group(*parts)


def _dispute(f: FindingView) -> RenderableType:
    """Each side under its heading, each quote under its source: the two sides stay apart at 80 columns."""
    rows: list[RenderableType] = [
        Text(f"Sources disagree ({f.dispute_binding} is the binding text):", style="bold yellow")
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
        return Text("None of your data flows anywhere this model knows about.")
    tree = Tree(Text(f"Your data ({v.flow_count} flows)", style="bold"), guide_style="dim")
    for r in v.recipients:
        node = tree.add(Text.assemble((r.label, "bold"), (f" ({r.tier_word})", "dim")))
        for item in r.items:
            node.add(
                Text.assemble(
                    item.data_label,
                    (f" [{item.certainty}]", CERTAINTY_STYLE.get(item.certainty, "")),
                    (f"\nfor: {', '.join(item.purposes)}", "dim"),
                )
            )
    return tree


def _changes(v: ReportView) -> Panel:
    c = v.changes
    assert c is not None  # noqa: S101 - checked by the caller
    t = Text()
    t.append(f"Score {c.score_before} \u2192 {c.score_after} ({c.direction})\n", style="bold")
    for a in c.answers:
        t.append(f"{a.kind}: {a.text}\n")
    for f in c.resolved:
        t.append("resolved: ", style="bold green")
        t.append(f"{f.title}\n")
    for f in c.new:
        t.append("new: ", style="bold red")
        t.append(f"{f.title}\n")
    if c.new_rules:
        t.append(f"The model has new rules since then: {'; '.join(c.new_rules)}\n", style="dim")
    if not (c.answers or c.resolved or c.new or c.new_rules):
        t.append("Nothing else changed.\n")
    t.rstrip()
    return Panel(t, title=Text(f"What changed since {c.since}"))

"""The report's summary panel: the score, the one thing to do, findings by severity, the top three.

It opens and closes the terminal report, and is what the interview leaves on screen.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from audit.model.assessment import Report
from audit.model.pack import Pack
from audit.render import words
from audit.render.base import RenderOptions
from audit.render.console import BAND_STYLE, SEVERITY_STYLE, hanging, print_parts
from audit.render.report_view import build_view
from audit.render.view_model import FindingView, ReportView


def summary(report: Report, pack: Pack, options: RenderOptions) -> str:
    """The summary alone: what an interview leaves on screen.

    The score, the one thing, findings by severity, the top three, where the full report is.
    """
    view = build_view(report, pack)
    where = f"Full report: {options.full_report}" if options.full_report else ""
    return print_parts([summary_panel(view, where, options.width)], options)


LAST_WHERE = "Details above. A page to print or send: wa-audit report --format plan -o plan.html"
TOP_FINDINGS = 3


def summary_panel(v: ReportView, where: str, width: int) -> Panel:
    t = Text()
    # A range or a quick check's score is said calmly: no band colour (never green for what was
    # not checked, never red for what is not known).
    style = "" if v.calm else BAND_STYLE.get(v.band, "")
    t.append(v.headline, style=f"bold {style}".strip())
    t.append("\n")
    t.append(words.bar(v.score, width=max(10, min(40, width - 8))), style=style)
    t.append(f" {v.score}\n")
    if v.find_out_first:
        # Much of the score is "I don't know": what to find out comes before any advice.
        u = v.find_out_first[0]
        t.append("Find out first: ", style="bold yellow")
        t.append(f"{u.prompt} ({u.stake})\n")
    if v.not_checked:
        t.append("Not checked: ", style="bold")
        t.append(f"{v.not_checked_summary}\n")
    r = v.one_thing
    if r is not None:
        t.append("Do one thing today: ", style="bold green")
        t.append(r.how)
        t.append(f" {r.effect}\n")
    else:
        t.append(f"{words.NOTHING_TO_CHANGE.split('. ')[0]}.\n")
    c = v.changes
    if c is not None:
        # A rerun's first question is what changed: one line, the details are in the report.
        t.append(f"What changed since {c.since}: ", style="bold")
        t.append(f"Score {c.score_before} \u2192 {c.score_after} ({c.direction}).")
        moved = [
            (len(c.answers), "answer changed", "answers changed"),
            (len(c.resolved), "finding resolved", "findings resolved"),
            (len(c.new), "new finding", "new findings"),
        ]
        said = [f"{n} {one if n == 1 else many}" for n, one, many in moved if n]
        t.append(f" {', '.join(said).capitalize()}.\n" if said else " Nothing else changed.\n")
    # Every finding counts, alternatives too (they are listed under the one they exclude).
    every = [x for g in v.severity_groups for f in g.findings for x in (f, *f.alternatives)]
    counts = ", ".join(
        f"{n} {word.lower()}"
        for word in words.SEVERITY_WORDS.values()
        if (n := sum(1 for x in every if x.severity_word == word))
    )
    t.append("Findings: ", style="bold")
    t.append(counts or "none")
    top = [f for g in v.severity_groups for f in g.findings][:TOP_FINDINGS]
    parts: list[RenderableType] = [t]
    if top:
        # As in the full report: a finding that rests on "I don't know" is a condition, never a fact.
        parts.append(
            hanging((_tag(f), Text(f"{f.condition}: {f.title}" if f.condition else f.title)) for f in top)
        )
    if where:
        parts.append(Text(where, style="dim", overflow="fold"))
    subtitle = f"report of {v.generated_at}"
    if v.platform:
        subtitle += f", for {v.platform}"
    title = f"wa-audit \u00b7 {v.title}"
    if cell_len(subtitle) + 6 > width or cell_len(title) + 6 > width:
        # A border title would be cut short ("..."): on a narrow screen it goes inside.
        parts.insert(0, Text(f"{title}, {subtitle}", style="dim"))
        return Panel(Group(*parts), title=Text("wa-audit"))
    return Panel(Group(*parts), title=Text(title), subtitle=Text(subtitle))


def _tag(f: FindingView) -> Text:
    # As in the full report: a finding that rests on "I don't know" is marked, never read as a fact.
    possible = ", possible" if f.certainty == "possible" else ""
    return Text(f"[{f.severity_word.upper()}{possible}]", style=SEVERITY_STYLE.get(f.severity, ""))

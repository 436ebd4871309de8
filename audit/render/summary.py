"""The report's summary panel: the score, the one thing to do, findings by severity, the top three.

It opens and closes the terminal report, and is what the interview leaves on screen.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from audit.lang import N_, _, ngettext, pgettext
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
    where = full_report_line(options.full_report)
    return print_parts([summary_panel(view, where, options.width)], options)


LAST_WHERE = N_("Details above. A page to print or send: wa-audit report --format plan -o plan.html")
TOP_FINDINGS = 3


def full_report_line(path: str) -> str:
    """Where the full report went, or '' when it was not filed."""
    return _("Full report: {path}").format(path=path) if path else ""


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
        t.append(_("Find out first: "), style="bold yellow")
        t.append(f"{u.prompt} ({u.stake})\n")
    if v.not_checked:
        t.append(_("Not checked: "), style="bold")
        t.append(f"{v.not_checked_summary}\n")
    r = v.one_thing
    if r is not None:
        t.append(_("Do one thing today: "), style="bold green")
        t.append(r.how)
        t.append(f" {r.effect}\n")
    else:
        t.append(f"{_(words.NOTHING_TO_CHANGE_SHORT)}\n")
    c = v.changes
    if c is not None:
        # A rerun's first question is what changed: one line, the details are in the report.
        t.append(_("What changed since {since}: ").format(since=c.since), style="bold")
        t.append(
            _("Score {before} \u2192 {after} ({direction}).").format(
                before=c.score_before, after=c.score_after, direction=c.direction
            )
        )
        said = []
        if n := len(c.answers):
            said.append(ngettext("{n} answer changed", "{n} answers changed", n).format(n=n))
        if n := len(c.resolved):
            said.append(ngettext("{n} finding resolved", "{n} findings resolved", n).format(n=n))
        if n := len(c.new):
            said.append(ngettext("{n} new finding", "{n} new findings", n).format(n=n))
        t.append(f" {', '.join(said).capitalize()}.\n" if said else f" {_('Nothing else changed.')}\n")
    # Every finding counts, alternatives too (they are listed under the one they exclude).
    every = [x for g in v.severity_groups for f in g.findings for x in (f, *f.alternatives)]
    counts = ", ".join(
        # Translators: how many findings of a severity: "2 high".
        _("{n} {severity}").format(n=n, severity=word.lower())
        for word in words.severity_words().values()
        if (n := sum(1 for x in every if x.severity_word == word))
    )
    t.append(_("Findings: "), style="bold")
    # Translators: no findings at all, after "Findings: ".
    t.append(counts or pgettext("findings", "none"))
    top = [f for g in v.severity_groups for f in g.findings][:TOP_FINDINGS]
    parts: list[RenderableType] = [t]
    if top:
        # As in the full report: a finding that rests on "I don't know" is a condition, never a fact.
        parts.append(
            hanging((_tag(f), Text(f"{f.condition}: {f.title}" if f.condition else f.title)) for f in top)
        )
    if where:
        parts.append(Text(where, style="dim", overflow="fold"))
    if v.platform:
        subtitle = _("report of {when}, for {platform}").format(when=v.generated_at, platform=v.platform)
    else:
        subtitle = _("report of {when}").format(when=v.generated_at)
    title = f"wa-audit \u00b7 {v.title}"
    if cell_len(subtitle) + 6 > width or cell_len(title) + 6 > width:
        # A border title would be cut short ("..."): on a narrow screen it goes inside.
        parts.insert(0, Text(f"{title}, {subtitle}", style="dim"))
        return Panel(Group(*parts), title=Text("wa-audit"))
    return Panel(Group(*parts), title=Text(title), subtitle=Text(subtitle))


def _tag(f: FindingView) -> Text:
    # As in the full report: a finding that rests on "I don't know" is marked, never read as a fact.
    return Text(f"[{f.tag}]", style=SEVERITY_STYLE.get(f.severity, ""))

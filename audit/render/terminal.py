"""The terminal report (rich): plain text when piped or with NO_COLOR; fits 80 columns."""

from __future__ import annotations

import io

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.rule import Rule
from rich.text import Text
from rich.tree import Tree

from audit.assessment import FindingOut, Report
from audit.pack import Pack
from audit.render import labels
from audit.render.base import RenderOptions

_SEVERITY_STYLE = {
    "critical": "bold white on red",
    "high": "bold red",
    "medium": "bold yellow",
    "low": "cyan",
    "info": "dim",
}


def _bar(value: int, width: int = 30) -> str:
    filled = round(value * width / 100)
    return "\u2588" * filled + "\u2591" * (width - filled)


class TerminalRenderer:
    def render(self, report: Report, pack: Pack, options: RenderOptions) -> str:
        buf = io.StringIO()
        console = Console(
            file=buf,
            width=options.width,
            force_terminal=options.color,
            color_system="standard" if options.color else None,
            no_color=not options.color,
            highlight=False,
            emoji=False,
            legacy_windows=False,
        )
        for part in self._parts(report, pack):
            console.print(part)
        return buf.getvalue()

    def _parts(self, report: Report, pack: Pack) -> list[RenderableType]:
        parts: list[RenderableType] = []
        score = report.score
        head = Text()
        head.append(f"Your exposure score: {score.value}/100 ", style="bold")
        head.append(f"({labels.band_label(score.band)})\n", style="bold")
        head.append(_bar(score.value))
        head.append(
            "\nHigher means more of your data reaches more people. A low score does not\n"
            "mean private: it means fewer of the flows this model knows about apply."
        )
        parts.append(
            Panel(
                head,
                title=f"wa-audit \u00b7 {report.pack.title or report.pack.id}",
                subtitle=f"model {report.pack.version}, reviewed {report.pack.reviewed}",
            )
        )
        if report.stale_model:
            parts.append(
                Text(
                    "The model was last reviewed more than 180 days ago and may be out of date.",
                    style="yellow",
                )
            )
        if report.changes is not None:
            parts.append(self._changes(report, pack))
        if report.recommendations:
            first = report.recommendations[0]
            t = Text()
            t.append("If you do one thing today: ", style="bold green")
            t.append(
                f"{labels.question_label(pack, first.question)} \u2192 "
                f"{labels.answer_label(pack, first.question, first.to)}\n"
            )
            t.append(f"{first.how}\n")
            t.append(
                f"Score {report.score.value} \u2192 {first.score_after}; "
                f"removes {len(first.removes)} data flow(s)."
            )
            parts.append(Panel(t, border_style="green"))
        parts.append(Rule("What your answers mean", style="dim"))
        if not report.findings:
            parts.append(Text("No findings."))
        for f in report.findings:
            parts.append(self._finding(f))
        parts.append(Rule("Who gets what", style="dim"))
        parts.append(self._flows(report, pack))
        parts.append(Rule("What stays protected", style="dim"))
        for p in report.protections:
            cite = ", ".join(f"{s.id} ({s.date})" for s in p.sources)
            parts.append(Text.assemble(("\u2713 ", "green"), p.title, (f"  [{cite}]", "dim")))
        if len(report.recommendations) > 1:
            parts.append(Rule("More changes, best first", style="dim"))
            for i, r in enumerate(report.recommendations, 1):
                parts.append(
                    Text(
                        f"{i}. {labels.question_label(pack, r.question)}: "
                        f"{labels.answer_label(pack, r.question, r.from_)} \u2192 "
                        f"{labels.answer_label(pack, r.question, r.to)} (score \u2192 {r.score_after})"
                    )
                )
        if report.unknowns:
            parts.append(
                Rule("What to check (you answered \u201cI don't know\u201d or skipped)", style="dim")
            )
            for u in report.unknowns:
                parts.append(Text.assemble("? ", (u.prompt or u.question, "bold"), f"\n  {u.how_to_check}"))
        return parts

    def _finding(self, f: FindingOut) -> RenderableType:
        t = Text()
        t.append(f"[{f.severity.upper()}] ", style=_SEVERITY_STYLE[f.severity])
        t.append(f.title, style="bold")
        t.append(f"\n{f.detail}")
        if f.risk:
            t.append(f"\nWhy it matters: {f.risk}")
        if f.conflict:
            t.append(f"\nSources disagree: {f.conflict}", style="yellow")
        if f.certainty == "possible":
            t.append("\nThis depends on an answer you did not know; check it.", style="italic")
        if f.fix is not None:
            t.append(f"\nHow to fix:\n{f.fix.how}")
        cite = "; ".join(f"{s.id}: {s.title}, {s.date}" for s in f.sources)
        t.append(f"\nSources: {cite}", style="dim")
        return Group(t, Text(""))

    def _flows(self, report: Report, pack: Pack) -> RenderableType:
        tree = Tree("Your data")
        by_recipient: dict[str, Tree] = {}
        for flow in report.flows:
            node = by_recipient.get(flow.recipient)
            if node is None:
                node = tree.add(Text(labels.recipient_label(pack, flow.recipient), style="bold"))
                by_recipient[flow.recipient] = node
            purposes = ", ".join(labels.purpose_label(pack, p) for p in flow.purposes)
            node.add(
                Text.assemble(
                    labels.data_label(pack, flow.data),
                    (f" \u2014 {purposes}", "dim"),
                    (f" [{flow.certainty}; {', '.join(flow.rules)}]", "dim"),
                )
            )
        return tree

    def _changes(self, report: Report, pack: Pack) -> RenderableType:
        c = report.changes
        assert c is not None  # noqa: S101 - checked by the caller
        t = Text()
        t.append(
            f"Since {c.since:%Y-%m-%d %H:%M}: score {c.score_before} \u2192 {c.score_after}\n", style="bold"
        )
        for q, ch in c.changed_answers.items():
            t.append(
                f"  changed: {labels.question_label(pack, q)}: "
                f"{labels.answer_label(pack, q, ch.from_)} \u2192 {labels.answer_label(pack, q, ch.to)}\n"
            )
        for fid in c.resolved_findings:
            t.append(f"  resolved: {fid}\n", style="green")
        for fid in c.new_findings:
            t.append(f"  new: {fid}\n", style="red")
        return Panel(t, title="What changed")

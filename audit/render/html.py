"""The HTML report: one self-contained page that loads nothing (CSP: no requests at all).

Templates live in `reports/html/` (found through `audit.load.resources.reports_dir()`), the stylesheet
is inlined into the page, and the data-flow picture and score trend are inline SVG laid out in
Python (`flowmap`). Autoescaping is on: every string from the pack (which may come from an
untrusted --rules folder) is escaped, and only https source URLs become links.

jinja2 is imported here, and this module only when an HTML report is asked for.
"""

from __future__ import annotations

from functools import lru_cache

import jinja2
from markupsafe import Markup

from audit.lang import _
from audit.load.resources import reports_dir
from audit.model import labels
from audit.model.assessment import Report
from audit.model.pack import Pack
from audit.model.severity import CERTAINTIES
from audit.render import flowmap, templates, words
from audit.render.base import RenderOptions
from audit.render.report_view import build_view
from audit.render.view_model import sources_view

# The page may load nothing: no scripts, fonts, styles or images from anywhere, only inline
# styles and data: images. Tests and the browser test check this exact policy.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
TEMPLATE = "report.html.j2"
# Findings at these severities start open; the others show their title until a click.
OPEN_SEVERITIES = ("critical", "high")
STYLESHEET = "style.css"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The template environment, built (and its templates compiled) once per process."""
    return templates.environment("html", autoescape=True)


@lru_cache(maxsize=1)
def stylesheet() -> Markup:
    """style.css, trusted (it ships with wa-audit) and safe to put inside <style>."""
    css = (reports_dir() / "html" / STYLESHEET).read_text(encoding="utf-8")
    if "</" in css:
        # "</style" would end the element early; nothing legitimate in CSS needs "</".
        raise ValueError(f"{STYLESHEET} must not contain '</'")
    return Markup(css)  # noqa: S704 - our own file, checked above


def flow_map(report: Report, pack: Pack) -> flowmap.FlowMap:
    """The picture's layout for this report's flows (pack order, labels from the pack)."""
    data = [flowmap.Node(d.id, labels.clean_line(d.label)) for d in pack.vocabulary.data_categories]
    recipients = [
        flowmap.Node(r.id, labels.clean_line(r.label), words.reach_tier(r.reach))
        for r in pack.vocabulary.recipients
    ]
    # Every flow's ids are the pack's own: load_pack refused a rule naming any other.
    links = [flowmap.Link(f.data, f.recipient, f.certainty) for f in report.flows]
    return flowmap.layout(data, recipients, links)


class HtmlRenderer:
    def render(self, report: Report, pack: Pack, options: RenderOptions) -> str:
        del options  # width and colour are terminal matters
        view = build_view(report, pack)
        trend = (
            flowmap.trend_chart([(p.label, p.score) for p in view.trend]) if len(view.trend) >= 2 else None
        )
        return (
            environment()
            .get_template(TEMPLATE)
            .render(
                v=view,
                map=flow_map(report, pack),
                trend=trend,
                css=stylesheet(),
                csp=CSP,
                nothing_to_change=_(words.NOTHING_TO_CHANGE),
                certainties=CERTAINTIES,
                certainty_explained=words.certainty_explained(),
                certainty_names=words.certainty_names(),
                tiers=flowmap.TIERS,
                tier_words=words.reach_words(),
                stroke_width=flowmap.STROKE_WIDTH,
                open_severities=OPEN_SEVERITIES,
                all_sources=sources_view(
                    [*(s for f in report.findings for s in f.sources)]
                    + [s for p in report.protections for s in p.sources]
                    + [s for p in report.protections for e in p.except_ for s in e.sources]
                    + [s for r in report.rights for s in r.sources]
                ),
            )
        )

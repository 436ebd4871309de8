"""The Renderer protocol and the format registry.

Renderers are pure: report + pack + options in, text out. The CLI owns files and terminals. Each
format's module is imported only when that format is asked for, so `--format json` never pays
for jinja2 or rich.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from audit.model.assessment import Report
from audit.model.pack import Pack


class Format(StrEnum):
    TERMINAL = "terminal"
    HTML = "html"
    JSON = "json"
    MARKDOWN = "markdown"
    # The plan alone, in three media: `--format plan` picks one by -o's suffix.
    PLAN = "plan"
    PLAN_HTML = "plan-html"
    PLAN_MARKDOWN = "plan-markdown"


@dataclass(frozen=True)
class RenderOptions:
    """What the caller knows about the output.

    Width and colour (terminal only), and where the full report was filed, if it was (the
    terminal summary points there).
    """

    width: int = 80
    color: bool = False
    full_report: str = ""


class Renderer(Protocol):
    def render(self, report: Report, pack: Pack, options: RenderOptions) -> str: ...


# Module (under audit.render) and class for each format; walked exhaustively by a test.
_REGISTRY: dict[Format, tuple[str, str]] = {
    Format.TERMINAL: ("terminal", "TerminalRenderer"),
    Format.HTML: ("html", "HtmlRenderer"),
    Format.JSON: ("json", "JsonRenderer"),
    Format.MARKDOWN: ("markdown", "MarkdownRenderer"),
    Format.PLAN: ("plan", "PlanTextRenderer"),
    Format.PLAN_HTML: ("plan", "PlanHtmlRenderer"),
    Format.PLAN_MARKDOWN: ("plan", "PlanMarkdownRenderer"),
}

FILE_SUFFIX: dict[Format, str] = {
    Format.TERMINAL: ".txt",
    Format.HTML: ".html",
    Format.JSON: ".json",
    Format.MARKDOWN: ".md",
    Format.PLAN: ".txt",
    Format.PLAN_HTML: ".html",
    Format.PLAN_MARKDOWN: ".md",
}


def renderer_for(fmt: Format) -> Renderer:
    """The renderer of `fmt`, imported on first use."""
    module_name, class_name = _REGISTRY[fmt]
    module = importlib.import_module(f"audit.render.{module_name}")
    renderer: Renderer = getattr(module, class_name)()
    return renderer

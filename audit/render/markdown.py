"""The Markdown report: the same content as the terminal and HTML reports, for notes and sharing.

The template (`reports/markdown/report.md.j2`) is rendered with a `finalize` hook that escapes
every value it prints, the way HTML autoescaping does: pack text (untrusted with --rules) can
neither open a link, emphasis or table cell nor smuggle raw HTML in. Text the template marks as
`MdSafe` (bars, URLs made safe by `md_url`) passes through as is.

jinja2 is imported only when a Markdown report is rendered: the escapers here also serve
`rules show --format markdown` (model_guide), which needs no template.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import quote

from audit import lang
from audit.model import labels
from audit.model.assessment import Report
from audit.model.pack import Pack
from audit.render import words
from audit.render.base import RenderOptions
from audit.render.report_view import build_view

if TYPE_CHECKING:
    import jinja2

TEMPLATE = "report.md.j2"

# Characters that start inline Markdown anywhere in a line: code, emphasis, links, raw HTML and
# autolinks (an escaped "<" leaves ">" harmless), table cells, strikethrough. Backslash-escaping
# is CommonMark's way to make them plain text.
_INLINE = re.compile(r"([\\`*_\[\]<|~])")
# Things that only mean something at the start of a line: headings, lists, quotes, rules.
_BLOCK_START = re.compile(r"^(\s*)(#|[-+=>]|\d+(?=[.)]))")


class MdSafe(str):
    """Markdown the template may print as is (built by our own code, not taken from a pack)."""

    __slots__ = ()


# "&copy;" would render as a symbol: escape the "&" of anything that looks like an entity.
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")


def md_escape(value: object) -> str:
    """Plain text as Markdown that renders as exactly that text, on one line, within a line."""
    return _ENTITY.sub(r"\\&", _INLINE.sub(r"\\\1", labels.clean_line(str(value))))


def md_block(value: object) -> MdSafe:
    """Like `md_escape`, for text that starts a line: "# x", "- x" or "1. x" stay plain text."""

    def mark(m: re.Match[str]) -> str:
        lead, sign = m.group(1), m.group(2)
        if sign.isdigit():
            return f"{lead}{sign}\\"  # "1." -> "1\." (the dot follows)
        return f"{lead}\\{sign}"

    return MdSafe(_BLOCK_START.sub(mark, md_escape(value), count=1))


def md_url(url: str | None) -> MdSafe:
    """An https URL fit for a link destination, or '' (only https sources become links)."""
    if not url or not url.startswith("https://"):
        return MdSafe("")
    # Parentheses, angle brackets, spaces and backslashes would end or break the destination.
    return MdSafe(quote(url, safe=":/?#@!$&'*+,;=%-._~[]"))


class MdFormat(MdSafe):
    """A translated sentence of the template's (trusted Markdown, as the template's own text is).

    jinja2's newstyle gettext fills in its values with `%`: here each is escaped as `finalize` would
    escape it (MdSafe ones and numbers pass), the way Markup escapes them in HTML; the whole is MdSafe.
    """

    __slots__ = ()

    def __mod__(self, values: object) -> MdSafe:
        if isinstance(values, dict):
            values = {
                k: v if isinstance(v, (MdSafe, int, float)) else md_escape(v) for k, v in values.items()
            }
        return MdSafe(str.__mod__(self, values))


def _finalize(value: object) -> object:
    if isinstance(value, MdSafe):
        return value
    if value is None:
        return ""
    return md_escape(value)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The Markdown template environment, built (and its template compiled) once per process."""
    from audit.render import templates

    # Markdown, not HTML: no autoescaping; `finalize` escapes every value.
    env = templates.environment("markdown", autoescape=False, finalize=_finalize)
    # `{% trans %}` and `_()`: the sentence as Markdown, its values escaped (MdFormat).
    env.install_gettext_callables(  # type: ignore[attr-defined]  # added by the i18n extension
        gettext=lambda message: MdFormat(lang._(message)),
        ngettext=lambda one, many, n: MdFormat(lang.ngettext(one, many, n)),
        pgettext=lambda context, message: MdFormat(lang.pgettext(context, message)),
        newstyle=True,
    )
    env.filters["md_url"] = md_url
    env.filters["block"] = md_block
    return env


class MarkdownRenderer:
    def render(self, report: Report, pack: Pack, options: RenderOptions) -> str:
        del options  # width and colour are terminal matters
        view = build_view(report, pack)
        text = (
            environment()
            .get_template(TEMPLATE)
            .render(
                v=view,
                bar=MdSafe(words.bar(view.score)),
                certainty_explained=words.certainty_explained(),
                certainty_names=words.certainty_names(),
                nothing_to_change=lang._(words.NOTHING_TO_CHANGE),
            )
        )
        # One blank line between blocks, however the template's conditionals fall.
        return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"

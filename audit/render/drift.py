"""`rules drift` as text: per captured document, the quotes gone and the paragraphs to read.

Capture text is untrusted (a folder anyone may give): it is shown cleaned of control characters.
A word diff reads like git's `--word-diff=plain`: `[-removed-]{+added+}`, long runs of shared
words shortened to their ends.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from audit.lang import _, ngettext, pgettext
from audit.model.drift import DocumentDrift, DriftReport, GoneQuote, NewParagraph, WordChange
from audit.model.labels import clean_line

# Shared words kept on each side of a change in a word diff; more show as "...".
CONTEXT_WORDS = 8


def text(report: DriftReport, *, width: int = 80) -> str:
    values = {"pack": report.pack.id, "version": report.pack.version}
    if report.captures is None:
        lines = [_("The quotes of the {pack} pack {version} against its own captures.").format(**values)]
    else:
        lines = [
            _("The quotes of the {pack} pack {version} against the captures in {captures}.").format(
                captures=clean_line(report.captures), **values
            )
        ]
    if report.min_versions > 1:
        lines.append(
            _("A quote is gone when the {n} newest captures of its document lack it.").format(
                n=report.min_versions
            )
        )
    for document in report.documents:
        lines += ["", *_document(document, report.min_versions)]
    for capture_id in report.uncaptured:
        lines += ["", _("{capture}: no capture of it there: not checked.").format(capture=capture_id)]
    lines += ["", _summary(report)]
    return "\n".join(_wrap(line, width) for line in lines) + "\n"


def _captures(n: int) -> str:
    return ngettext("{n} capture", "{n} captures", n).format(n=n)


def _quotes(n: int) -> str:
    return ngettext("{n} quote", "{n} quotes", n).format(n=n)


def _paragraphs(n: int) -> str:
    return ngettext("{n} paragraph", "{n} paragraphs", n).format(n=n)


def _documents(n: int) -> str:
    return ngettext("{n} document", "{n} documents", n).format(n=n)


def _document(d: DocumentDrift, min_versions: int) -> list[str]:
    if d.checked_against is None:
        checked = _("none as old as the version the pack was checked against")
    elif d.checked_against == d.versions[0]:
        checked = _("the one the pack was checked against")
    else:
        checked = _("the pack was checked against the one of {day}").format(day=d.checked_against)
    lines = [
        _("{capture} ({sources}): newest capture {newest} ({captures}; {checked}).").format(
            capture=d.capture,
            sources=", ".join(d.sources),
            newest=d.versions[0],
            captures=_captures(len(d.versions)),
            checked=checked,
        ),
        "  "
        + _("{found} of {quotes} found.").format(
            found=d.quotes - len(d.gone) - d.unconfirmed, quotes=_quotes(d.quotes)
        ),
    ]
    if d.unconfirmed:
        lines.append(
            "  "
            + _(
                "{n} missing from the newest capture, but not from each of the "
                "{min} newest (--min-versions {min}): not counted as gone."
            ).format(n=d.unconfirmed, min=min_versions)
        )
    if d.gone:
        lines.append("  " + _("{n} no longer found:").format(n=len(d.gone)))
        for gone in d.gone:
            lines += _gone(gone)
    if d.since is not None and d.paragraphs:
        n = len(d.paragraphs)
        lines.append(
            "  "
            + ngettext(
                "{n} paragraph new or changed since the capture of {since} "
                "mentions the pack's vocabulary, and no quote covers it:",
                "{n} paragraphs new or changed since the capture of {since} "
                "mention the pack's vocabulary, and no quote covers them:",
                n,
            ).format(n=n, since=d.since)
        )
        lines += [_paragraph(p) for p in d.paragraphs]
    elif d.since is not None:
        lines.append(
            "  "
            + _("No paragraph new or changed since the capture of {since} left to cover.").format(
                since=d.since
            )
        )
    return lines


def _gone(g: GoneQuote) -> list[str]:
    citers = ", ".join(f"{c.kind} {c.id}" for c in g.cited_by)
    if g.last_found:
        last = _("Last found in the capture of {day}.").format(day=g.last_found)
    else:
        last = _("Found in no capture there.")
    cited = _("{source} (cited by {citers}):").format(source=g.source, citers=citers)
    lines = [f"  - {cited} \u201c{clean_line(g.quote)}\u201d", f"      {last}"]
    if g.closest is None:
        lines.append(
            "      "
            + _("Nothing close in the capture of {day}: removed, or reworded past recognition.").format(
                day=g.newest
            )
        )
    else:
        alike = round(g.closest.similarity * 100)
        lines.append(
            "      "
            + _("Closest now ({percent}% alike): {diff}").format(
                percent=alike, diff=diff_text(g.closest.diff)
            )
        )
    return lines


def _paragraph(p: NewParagraph) -> str:
    body = diff_text(p.diff) if p.diff else f"\u201c{clean_line(p.text)}\u201d"
    # Translators: a paragraph of a newer capture, new or changed.
    change = pgettext("paragraph", "new") if p.change == "new" else pgettext("paragraph", "changed")
    return f"  - {change} ({', '.join(p.terms)}): {body}"


def diff_text(diff: Sequence[WordChange]) -> str:
    """A word diff on one line: `[-removed-]{+added+}`, shared runs shortened to their ends."""
    parts = []
    for i, run in enumerate(diff):
        words = clean_line(run.text)
        if run.change == "removed":
            parts.append(f"[-{words}-]")
        elif run.change == "added":
            parts.append(f"{{+{words}+}}")
        else:
            parts.append(_shorten(words.split(), first=i == 0, last=i == len(diff) - 1))
    return " ".join(parts)


def _shorten(words: list[str], *, first: bool, last: bool) -> str:
    """Shared words between changes: the ends next to a change kept, "..." for the rest."""
    head = 0 if first else CONTEXT_WORDS  # words after the change before this run
    tail = 0 if last else CONTEXT_WORDS  # words before the change after it
    if len(words) <= head + tail + CONTEXT_WORDS:
        return " ".join(words)
    return " ".join([*words[:head], "...", *words[len(words) - tail :]])


def _summary(report: DriftReport) -> str:
    if not report.drifted:
        if report.uncaptured:
            return _(
                "No drift ({documents} not checked): every quote is still there, and no new paragraph "
                "is left to cover."
            ).format(documents=_documents(len(report.uncaptured)))
        return _("No drift: every quote is still there, and no new paragraph is left to cover.")
    gone = sum(len(d.gone) for d in report.documents)
    paragraphs = sum(len(d.paragraphs) for d in report.documents)
    return _(
        "Drift: {quotes} gone, {paragraphs} to read. Correct the pack's quotes (or its rules), then set "
        "each source's `checked` to the day you checked it."
    ).format(quotes=_quotes(gone), paragraphs=_paragraphs(paragraphs))


def _wrap(line: str, width: int) -> str:
    """A long line folded to `width`, continued under its text (a list item's after its dash)."""
    if len(line) <= width:
        return line
    indent = len(line) - len(line.lstrip(" ")) + (2 if line.lstrip().startswith("- ") else 0)
    return textwrap.fill(
        line, width=width, subsequent_indent=" " * indent, break_long_words=False, break_on_hyphens=False
    )

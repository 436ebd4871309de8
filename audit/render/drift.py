"""`rules drift` as text: per captured document, the quotes gone and the paragraphs to read.

Capture text is untrusted (a folder anyone may give): it is shown cleaned of control characters.
A word diff reads like git's `--word-diff=plain`: `[-removed-]{+added+}`, long runs of shared
words shortened to their ends.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from audit.model.drift import DocumentDrift, DriftReport, GoneQuote, NewParagraph, WordChange
from audit.model.labels import clean_line

# Shared words kept on each side of a change in a word diff; more show as "...".
CONTEXT_WORDS = 8


def text(report: DriftReport, *, width: int = 80) -> str:
    where = (
        "its own captures" if report.captures is None else f"the captures in {clean_line(report.captures)}"
    )
    lines = [f"The quotes of the {report.pack.id} pack {report.pack.version} against {where}."]
    if report.min_versions > 1:
        lines.append(
            f"A quote is gone when the {report.min_versions} newest captures of its document lack it."
        )
    for document in report.documents:
        lines += ["", *_document(document, report.min_versions)]
    for capture_id in report.uncaptured:
        lines += ["", f"{capture_id}: no capture of it there: not checked."]
    lines += ["", _summary(report)]
    return "\n".join(_wrap(line, width) for line in lines) + "\n"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _document(d: DocumentDrift, min_versions: int) -> list[str]:
    if d.checked_against is None:
        checked = "none as old as the version the pack was checked against"
    elif d.checked_against == d.versions[0]:
        checked = "the one the pack was checked against"
    else:
        checked = f"the pack was checked against the one of {d.checked_against}"
    lines = [
        f"{d.capture} ({', '.join(d.sources)}): newest capture {d.versions[0]} "
        f"({_count(len(d.versions), 'capture')}; {checked}).",
        f"  {d.quotes - len(d.gone) - d.unconfirmed} of {_count(d.quotes, 'quote')} found.",
    ]
    if d.unconfirmed:
        lines.append(
            f"  {d.unconfirmed} missing from the newest capture, but not from each of the "
            f"{min_versions} newest (--min-versions {min_versions}): not counted as gone."
        )
    if d.gone:
        lines.append(f"  {len(d.gone)} no longer found:")
        for gone in d.gone:
            lines += _gone(gone)
    if d.since is not None and d.paragraphs:
        lines.append(
            f"  {_count(len(d.paragraphs), 'paragraph')} new or changed since the capture of {d.since} "
            "mention the pack's vocabulary, and no quote covers them:"
        )
        lines += [_paragraph(p) for p in d.paragraphs]
    elif d.since is not None:
        lines.append(f"  No paragraph new or changed since the capture of {d.since} left to cover.")
    return lines


def _gone(g: GoneQuote) -> list[str]:
    citers = ", ".join(f"{c.kind} {c.id}" for c in g.cited_by)
    last = f"Last found in the capture of {g.last_found}." if g.last_found else "Found in no capture there."
    lines = [f"  - {g.source} (cited by {citers}): \u201c{clean_line(g.quote)}\u201d", f"      {last}"]
    if g.closest is None:
        lines.append(
            f"      Nothing close in the capture of {g.newest}: removed, or reworded past recognition."
        )
    else:
        alike = round(g.closest.similarity * 100)
        lines.append(f"      Closest now ({alike}% alike): {diff_text(g.closest.diff)}")
    return lines


def _paragraph(p: NewParagraph) -> str:
    body = diff_text(p.diff) if p.diff else f"\u201c{clean_line(p.text)}\u201d"
    return f"  - {p.change} ({', '.join(p.terms)}): {body}"


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
        unchecked = (
            f" ({_count(len(report.uncaptured), 'document')} not checked)" if report.uncaptured else ""
        )
        return f"No drift{unchecked}: every quote is still there, and no new paragraph is left to cover."
    gone = sum(len(d.gone) for d in report.documents)
    paragraphs = sum(len(d.paragraphs) for d in report.documents)
    return (
        f"Drift: {_count(gone, 'quote')} gone, {_count(paragraphs, 'paragraph')} to read. Correct the "
        "pack's quotes (or its rules), then set each source's `checked` to the day you checked it."
    )


def _wrap(line: str, width: int) -> str:
    """A long line folded to `width`, continued under its text (a list item's after its dash)."""
    if len(line) <= width:
        return line
    indent = len(line) - len(line.lstrip(" ")) + (2 if line.lstrip().startswith("- ") else 0)
    return textwrap.fill(
        line, width=width, subsequent_indent=" " * indent, break_long_words=False, break_on_hyphens=False
    )

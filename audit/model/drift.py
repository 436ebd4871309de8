"""What `wa-audit rules drift` finds: quotes a newer capture no longer says, paragraphs to cover.

The pack's quotes that the newest capture of their source lacks, and the new or changed
paragraphs of that capture that no quote covers.

Field order is the key order of `rules drift --format json`; `wa-audit schema drift` prints its
JSON Schema.
"""

from datetime import date
from typing import Literal

from pydantic import Field

from audit.model.assessment import PackRef
from audit.model.frozen import FrozenModel


class CitedBy(FrozenModel):
    """A rule, finding, protection or right of the pack that cites the quote."""

    kind: Literal["rule", "finding", "protection", "right"]
    id: str


# A run of a word diff: words both texts share, or that only the old or the new one has.
ChangeKind = Literal["same", "removed", "added"]


class WordChange(FrozenModel):
    change: ChangeKind
    text: str


class Closest(FrozenModel):
    """The passage of the newest capture most like a quote that is gone, when one is close."""

    text: str
    # 1 is the same words: twice the words in common over the words of both.
    similarity: float = Field(ge=0, le=1)
    diff: tuple[WordChange, ...]


class GoneQuote(FrozenModel):
    source: str
    quote: str
    cited_by: tuple[CitedBy, ...]
    # The newest capture, which lacks it; the newest that still had it (None: no capture had it).
    newest: date
    last_found: date | None
    closest: Closest | None


class NewParagraph(FrozenModel):
    """A paragraph of the newest capture that the capture compared with lacks, and no quote covers."""

    change: Literal["new", "changed"]
    text: str
    terms: tuple[str, ...]  # the pack's vocabulary it mentions
    diff: tuple[WordChange, ...] = ()  # a changed paragraph, from the one it replaced


class DocumentDrift(FrozenModel):
    """One captured document (a capture id) and the pack's quotes of it."""

    capture: str
    sources: tuple[str, ...]
    versions: tuple[date, ...]  # the dates of its captures, newest first
    # The newest version its sources were checked against (their `checked` day, as `rules check`
    # reads it); None when no capture here is that old.
    checked_against: date | None
    quotes: int  # distinct quotes of it in the pack
    gone: tuple[GoneQuote, ...]
    # Missing from the newest capture but not from all of the --min-versions newest: not counted.
    unconfirmed: int
    # The capture new and changed paragraphs are counted from: the one checked against when the
    # newest is newer, else (none here that old) the one before the newest; None: not compared.
    since: date | None
    paragraphs: tuple[NewParagraph, ...]


class DriftReport(FrozenModel):
    pack: PackRef
    captures: str | None  # the folder given with --captures; None: the pack's own captures/
    min_versions: int = Field(ge=1)
    drifted: bool
    documents: tuple[DocumentDrift, ...]
    # Capture ids the pack's sources name that have no capture in the folder: not checked.
    uncaptured: tuple[str, ...]

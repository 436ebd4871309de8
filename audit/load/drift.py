"""`rules drift`: the pack's quotes against the newest capture of each document they cite.

A quote is gone when the newest `min_versions` captures of its document all lack it (compared
normalised: `policy_text`), so an assembled page that loses a section for a day can be made to
need more than one capture. For a gone quote: the newest capture that still had it, and the
closest passage now there with a word diff when one is close. Then the paragraphs new or changed
since the capture the pack was checked against that mention the pack's vocabulary and that no
quote covers: what the pack may now be missing.
"""

from __future__ import annotations

from pathlib import Path

from audit.load import policy_text
from audit.load.captures import Capture, checked_version
from audit.model.assessment import PackRef
from audit.model.drift import (
    ChangeKind,
    CitedBy,
    Closest,
    DocumentDrift,
    DriftReport,
    GoneQuote,
    NewParagraph,
    WordChange,
)
from audit.model.pack import Pack

# A passage this alike (twice the words in common over the words of both) is the quote reworded.
CLOSE = 0.6

Quotes = dict[tuple[str, str], list[CitedBy]]  # (source id, quote) -> what cites it


def drift(
    pack: Pack, captures: dict[str, tuple[Capture, ...]], *, given: Path | None, min_versions: int = 1
) -> DriftReport:
    """What drifted between the pack and `captures` (capture id -> its captures, oldest first).

    `given` is the folder the captures come from when it is not the pack's own.
    """
    quotes: dict[str, Quotes] = {}
    for owner, citation in pack.citations():
        capture_id = pack.source_by_id[citation.id].capture
        if capture_id is None or not citation.quote:
            continue
        kind, _, ident = owner.partition(" ")
        cited_by = CitedBy(kind=kind, id=ident)  # type: ignore[arg-type] # owners are "rule F3", ...
        citers = quotes.setdefault(capture_id, {}).setdefault((citation.id, citation.quote), [])
        if cited_by not in citers:
            citers.append(cited_by)
    terms = policy_text.vocabulary_terms(pack)
    texts = _Texts()
    documents: list[DocumentDrift] = []
    uncaptured: list[str] = []
    for capture_id in sorted({s.capture for s in pack.sources if s.capture}):
        versions = tuple(reversed(captures.get(capture_id, ())))
        if not versions:
            uncaptured.append(capture_id)
            continue
        sources = [s for s in pack.sources if s.capture == capture_id]
        checked = [v for s in sources if (v := checked_version(captures[capture_id], s)) is not None]
        document = _Document(capture_id, versions, quotes.get(capture_id, {}), texts)
        documents.append(
            document.drift(
                sources=tuple(s.id for s in sources),
                checked_against=max(checked, key=lambda v: v.date, default=None),
                terms=terms,
                min_versions=min_versions,
            )
        )
    meta = pack.meta
    return DriftReport(
        pack=PackRef(id=meta.id, version=meta.version, reviewed=meta.reviewed, title=meta.title),
        captures=None if given is None else str(given),
        min_versions=min_versions,
        drifted=any(d.gone or d.paragraphs for d in documents),
        documents=tuple(documents),
        uncaptured=tuple(uncaptured),
    )


class _Texts:
    """Each capture read once, and its normalised forms made once."""

    def __init__(self) -> None:
        self._comparable: dict[Capture, str] = {}
        self._paragraphs: dict[Capture, list[str]] = {}
        self._raw: dict[Capture, str] = {}
        self._passages: dict[Capture, policy_text.Passages] = {}

    def _text(self, capture: Capture) -> str:
        if capture not in self._raw:
            self._raw[capture] = capture.text()
        return self._raw[capture]

    def comparable(self, capture: Capture) -> str:
        if capture not in self._comparable:
            self._comparable[capture] = policy_text.comparable(self._text(capture))
        return self._comparable[capture]

    def paragraphs(self, capture: Capture) -> list[str]:
        if capture not in self._paragraphs:
            self._paragraphs[capture] = policy_text.paragraphs(self._text(capture))
        return self._paragraphs[capture]

    def passages(self, capture: Capture) -> policy_text.Passages:
        if capture not in self._passages:
            self._passages[capture] = policy_text.Passages(self.paragraphs(capture))
        return self._passages[capture]


class _Document:
    """One captured document: its versions (newest first) and the pack's quotes of it."""

    def __init__(self, capture_id: str, versions: tuple[Capture, ...], quotes: Quotes, texts: _Texts) -> None:
        self.id = capture_id
        self.versions = versions
        self.quotes = quotes
        self.texts = texts

    def has(self, version: Capture, quote: str) -> bool:
        return policy_text.comparable(quote) in self.texts.comparable(version)

    def drift(
        self,
        *,
        sources: tuple[str, ...],
        checked_against: Capture | None,
        terms: tuple[policy_text.Term, ...],
        min_versions: int,
    ) -> DocumentDrift:
        newest = self.versions[0]
        gone: list[GoneQuote] = []
        unconfirmed = 0
        for (source, quote), cited_by in self.quotes.items():
            if self.has(newest, quote):
                continue
            lacking = self.versions[:min_versions]
            if len(lacking) < min_versions or any(self.has(v, quote) for v in lacking[1:]):
                unconfirmed += 1
                continue
            gone.append(
                GoneQuote(
                    source=source,
                    quote=quote,
                    cited_by=tuple(cited_by),
                    newest=newest.date,
                    last_found=next((v.date for v in self.versions[1:] if self.has(v, quote)), None),
                    closest=self.closest(quote),
                )
            )
        base = self.compared_with(checked_against)
        return DocumentDrift(
            capture=self.id,
            sources=sources,
            versions=tuple(v.date for v in self.versions),
            checked_against=None if checked_against is None else checked_against.date,
            quotes=len(self.quotes),
            gone=tuple(gone),
            unconfirmed=unconfirmed,
            since=None if base is None else base.date,
            paragraphs=() if base is None else self.new_paragraphs(base, terms),
        )

    def compared_with(self, checked_against: Capture | None) -> Capture | None:
        """The capture the pack was checked against, when the newest is newer; else None.

        When no capture here is that old (a folder of newer ones only): the one before the newest.
        """
        newest, older = self.versions[0], self.versions[1:]
        if checked_against is None:
            return older[0] if older else None
        return None if checked_against == newest else checked_against

    def closest(self, quote: str) -> Closest | None:
        found = self.texts.passages(self.versions[0]).closest(quote, at_least=CLOSE)
        if found is None:
            return None
        return Closest(text=found.text, similarity=round(found.similarity, 2), diff=_runs(found.diff))

    def new_paragraphs(self, base: Capture, terms: tuple[policy_text.Term, ...]) -> tuple[NewParagraph, ...]:
        """Paragraphs new or changed since `base` that mention the vocabulary and no quote covers."""
        quoted = [policy_text.comparable(q) for _, q in self.quotes]
        found = []
        changed = policy_text.changed_paragraphs(
            self.texts.paragraphs(base), self.texts.paragraphs(self.versions[0])
        )
        for paragraph in changed:
            text = policy_text.comparable(paragraph.text)
            if any(q in text or text in q for q in quoted):
                continue
            mentioned = policy_text.mentioned(terms, text)
            if mentioned:
                found.append(
                    NewParagraph(
                        change="new" if paragraph.before is None else "changed",
                        text=paragraph.text,
                        terms=mentioned,
                        diff=_runs(paragraph.diff),
                    )
                )
        return tuple(found)


def _runs(diff: list[tuple[ChangeKind, str]]) -> tuple[WordChange, ...]:
    return tuple(WordChange(change=change, text=text) for change, text in diff)

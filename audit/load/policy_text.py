"""Policy text made comparable: normalised, cut into paragraphs and sentences, diffed word by word.

Captures are Markdown made from web pages. Two captures of the same words may differ in typography
(curly or straight quotes, dashes, non-breaking spaces), link targets and emphasis, and a page's
table cells hold several paragraphs split by `<br>`; none of that is a change of wording.
"""

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from audit.model.drift import ChangeKind
from audit.model.pack import Pack

# Typography that is not wording: curly quotes and primes, hyphens and dashes.
_FOLD = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015", "-"),
}
_TYPOGRAPHY = re.compile(f"[{''.join(_FOLD)}]")  # a few matches in a page: faster than str.translate
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")  # [text](target) -> text
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_EMPHASIS = re.compile(r"[*_]+")
_SLASH = re.compile(r" ?/ ?")  # "country / region" is "country/region"
# Where a capture's line holds more than one paragraph: a break, or a table's cell border.
_SPLIT = re.compile(r"<br\s*/?>|\s\|\s", re.IGNORECASE)
_MARKER = re.compile(r"^[\s|#>*+-]*(?:\d+\.\s+)?")  # list bullets, numbers, headings, quotes
_RULE = re.compile(r"[-=|:\s]*")  # a heading's underline, a table's separator row
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")
_PUNCTUATION = ".,;:!?()\"'"


def normalise(text: str) -> str:
    """The words of `text` as a reader sees them: typography folded, links and emphasis gone."""
    text = _TYPOGRAPHY.sub(lambda m: _FOLD[m.group()], unicodedata.normalize("NFKC", text))
    text = _EMPHASIS.sub("", _BREAK.sub(" ", _LINK.sub(r"\1", text)))
    return _SLASH.sub("/", " ".join(text.split()))


def comparable(text: str) -> str:
    """`normalise`d and case-folded: what quotes are matched on."""
    return normalise(text).casefold()


def paragraphs(markdown: str) -> list[str]:
    """A capture's paragraphs (list items, table cells, the parts of a cell), each normalised."""
    found = []
    for line in markdown.splitlines():
        for part in _SPLIT.split(line):
            text = normalise(_MARKER.sub("", part)).strip(" |")
            if text and not _RULE.fullmatch(text):
                found.append(text)
    return found


def sentences(paragraph: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(paragraph) if s]


def _key(word: str) -> str:
    """A word as compared: case and the punctuation around it aside ("information)," is "information")."""
    return word.casefold().strip(_PUNCTUATION) or word


def word_diff(old: Sequence[str], new: Sequence[str]) -> list[tuple[ChangeKind, str]]:
    """Runs of words the two share, or that only one has (`_key`), in the new text's order."""
    matcher = SequenceMatcher(None, [_key(w) for w in old], [_key(w) for w in new], autojunk=False)
    runs: list[tuple[ChangeKind, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            runs.append(("same", " ".join(new[j1:j2])))
            continue
        if i2 > i1:
            runs.append(("removed", " ".join(old[i1:i2])))
        if j2 > j1:
            runs.append(("added", " ".join(new[j1:j2])))
    return runs


@dataclass(frozen=True)
class Passage:
    text: str
    similarity: float
    diff: list[tuple[ChangeKind, str]]


class Passages:
    """A capture's runs of sentences, to find the one most like a quote (each run made once)."""

    def __init__(self, paragraphs: Iterable[str]) -> None:
        self._sentences = [sentences(p) for p in paragraphs]
        self._runs: dict[int, list[tuple[list[str], list[str], frozenset[str]]]] = {}

    def _runs_of(self, size: int) -> list[tuple[list[str], list[str], frozenset[str]]]:
        """Every run of `size` sentences within a paragraph: its words, their keys, the set of keys."""
        if size not in self._runs:
            runs = []
            for parts in self._sentences:
                for i in range(max(1, len(parts) - size + 1)):
                    words = " ".join(parts[i : i + size]).split()
                    keys = [_key(w) for w in words]
                    runs.append((words, keys, frozenset(keys)))
            self._runs[size] = runs
        return self._runs[size]

    def closest(self, quote: str, *, at_least: float) -> Passage | None:
        """The passage most like `quote`, when at least `at_least` alike.

        Candidates are runs of as many sentences as the quote has; within one, the passage is the
        stretch that lines up with the quote (a quote may be part of a sentence). Alike is twice the
        words in common over the words of both.
        """
        words = normalise(quote).split()
        folded = [_key(w) for w in words]
        counts = Counter(folded)
        best: tuple[float, list[str]] | None = None
        distinct = frozenset(counts)
        for candidate, keys, candidate_keys in self._runs_of(max(1, len(sentences(normalise(quote))))):
            # At most this many of the quote's words can line up: bounds how alike it can be, cheaply.
            common = sum(counts[k] for k in distinct & candidate_keys)
            bound = 2 * common / (len(words) + common) if common else 0.0
            if bound < at_least or (best is not None and bound <= best[0]):
                continue
            blocks = SequenceMatcher(None, folded, keys, autojunk=False).get_matching_blocks()
            matched = [b for b in blocks if b.size]
            first, last = matched[0], matched[-1]
            start = max(0, first.b - first.a)
            end = min(len(keys), last.b + last.size + len(folded) - last.a - last.size)
            similarity = 2 * sum(b.size for b in matched) / (len(folded) + end - start)
            if similarity >= at_least and (best is None or similarity > best[0]):
                best = (similarity, candidate[start:end])
        if best is None:
            return None
        return Passage(" ".join(best[1]), best[0], word_diff(words, best[1]))


@dataclass(frozen=True)
class ChangedParagraph:
    text: str
    before: str | None  # the paragraph it replaced; None for a new one
    diff: list[tuple[ChangeKind, str]]


def changed_paragraphs(
    before: Sequence[str], after: Sequence[str], *, alike: float = 0.5
) -> list[ChangedParagraph]:
    """The paragraphs of `after` that `before` lacks, once each, with the one each replaced.

    A paragraph that moved is not new; a changed one is paired with the most alike (at least
    `alike`) of the paragraphs it took the place of.
    """
    old = [comparable(p) for p in before]
    new = [comparable(p) for p in after]
    seen = set(old)
    found = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op not in ("insert", "replace"):
            continue
        for j in range(j1, j2):
            if new[j] in seen:
                continue
            seen.add(new[j])
            best: tuple[float, int] | None = None
            for i in range(i1, i2):
                pair = SequenceMatcher(None, old[i].split(), new[j].split(), autojunk=False)
                if pair.real_quick_ratio() >= alike and pair.quick_ratio() >= alike:
                    ratio = pair.ratio()
                    if ratio >= alike and (best is None or ratio > best[0]):
                        best = (ratio, i)
            if best is None:
                found.append(ChangedParagraph(after[j], None, []))
            else:
                was = before[best[1]]
                found.append(ChangedParagraph(after[j], was, word_diff(was.split(), after[j].split())))
    return found


# Words of a vocabulary label that name nothing on their own ("Your", "How you use WhatsApp").
_FILLER = frozenset(
    " ".join(
        (
            "a an the and or of to for in on at by with from as is are be it its itself your you who",
            "which what when where how that this these those other others about into own their they",
            "we our can may such than so if any all some anyone whatsapp whatsapp's information use",
            "used has have see share ask choose combined exact working running finding showing added",
        )
    ).split()
)


@dataclass(frozen=True)
class Term:
    """A run of words from a vocabulary label ("phone number"), matched with or without a plural s."""

    words: str
    pattern: re.Pattern[str]


def vocabulary_terms(pack: Pack) -> tuple[Term, ...]:
    """The terms the pack's data, recipient and purpose labels name, minus their filler words."""
    vocabulary = pack.vocabulary
    labels = [
        *(d.label for d in vocabulary.data_categories),
        *(r.label for r in vocabulary.recipients),
        *(p.label for p in vocabulary.purposes),
    ]
    terms: dict[str, Term] = {}
    for label in labels:
        for phrase in re.split(r"[^\w\s']|\band\b|\bor\b", label.casefold()):
            run: list[str] = []
            for word in [*phrase.split(), ""]:
                if word and word not in _FILLER:
                    run.append(word)
                    continue
                if run:
                    stems = [w[:-1] if w.endswith("s") and not w.endswith("ss") else w for w in run]
                    key = " ".join(stems)
                    if key not in terms:
                        body = r"\s+".join(re.escape(s) + "s?" for s in stems)
                        terms[key] = Term(" ".join(run), re.compile(rf"\b{body}\b"))
                    run = []
    return tuple(terms.values())


def mentioned(terms: Iterable[Term], text: str) -> tuple[str, ...]:
    """The terms `text` (comparable) mentions, longest first, without one inside a longer one."""
    hits = sorted((t.words for t in terms if t.pattern.search(text)), key=lambda w: (-len(w.split()), w))
    kept: list[str] = []
    for words in hits:
        if not any(f" {words} " in f" {longer} " for longer in kept):
            kept.append(words)
    return tuple(kept)

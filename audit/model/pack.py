"""The rule pack as pydantic models: what each YAML file holds, and the `Pack` they make together.

A pack is data (see docs/PACK_FORMAT.md). Loading it is `pack_load`; its cross-checks are
`pack_check` and `pack_reach`. This module holds only what a pack is, so the cache's hot path
(`pack_cache`) imports nothing else; the top level of each list file (`SourcesFile`...) is
`pack_load`'s, as only loading from YAML reads it.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from audit.lang import _
from audit.model.conditions import Condition
from audit.model.frozen import FrozenModel
from audit.model.severity import Certainty, RuleCertainty, Severity

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
SourceId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]*$", max_length=64)]
# A capture id names a document, not a version: no date at its end (the file name adds it).
Day = date  # `Source.date` is a field: its type needs another name in the class body
CaptureId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
RuleId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]*$", max_length=64)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=4000)]
Url = Annotated[str, StringConstraints(pattern=r"^https://[^\s<>\"']+$", max_length=500)]
Version = Annotated[str, StringConstraints(pattern=r"^\d{4}\.\d{1,2}(\.\d+)?$")]
Platform = Literal["android", "iphone"]
PLATFORMS: tuple[Platform, ...] = ("android", "iphone")
# A pack from elsewhere is untrusted: these bound the work one report does (what-ifs are
# questions x values, each re-evaluating the rules). The bundled pack is far below them.
MAX_QUESTIONS = 200
MAX_VALUES = 20
MAX_RULES = 500
PACK_FILES = (
    "pack.yaml",
    "vocabulary.yaml",
    "sources.yaml",
    "questions.yaml",
    "flows.yaml",
    "findings.yaml",
    "protections.yaml",
)


# --- pack.yaml -------------------------------------------------------------------------------
class Section(FrozenModel):
    id: Id
    title: Text
    intro: str = ""


class PackMeta(FrozenModel):
    id: Id
    version: Version
    reviewed: date
    title: Text
    sections: tuple[Section, ...] = Field(min_length=1)


# --- vocabulary.yaml -------------------------------------------------------------------------
class DataCategory(FrozenModel):
    id: Id
    label: Text
    description: str = ""
    sensitivity: int = Field(ge=1, le=5)


class Recipient(FrozenModel):
    id: Id
    label: Text
    description: str = ""
    reach: int = Field(ge=1, le=5)


class Purpose(FrozenModel):
    id: Id
    label: Text
    # How much a use for this purpose weighs in the score (own uses such as ads weigh most).
    weight: float = Field(default=1.0, gt=0, le=1)


class Band(FrozenModel):
    id: Id
    below: int = Field(ge=1, le=101)


class Vocabulary(FrozenModel):
    data_categories: tuple[DataCategory, ...] = Field(min_length=1)
    recipients: tuple[Recipient, ...] = Field(min_length=1)
    purposes: tuple[Purpose, ...] = Field(min_length=1)
    certainty_weights: dict[Certainty, float]
    bands: tuple[Band, ...] = Field(min_length=1)


# --- sources.yaml ----------------------------------------------------------------------------
class Edition(FrozenModel):
    """The same document as WhatsApp publishes it in another language (the policy in Hindi).

    A report in `lang` shows, beside each English quote, the edition's own words for it: `passages`
    maps the quote to them, each found word for word in the edition's capture by `rules check`.
    """

    lang: str
    title: Text
    url: Url
    capture: CaptureId
    checked: date
    passages: dict[str, Text] = Field(min_length=1)


class Source(FrozenModel):
    id: SourceId
    title: Text
    publisher: Text
    url: Url
    date: date
    kind: Literal["official", "regulator", "press"]
    # The day the pack last checked its quotes against the source (reports show it).
    checked: Day
    # The id of the source's dated captures in the pack's `captures/` (`<id>-<YYYY-MM-DD>.md`).
    capture: CaptureId | None = None
    # The page shows no date: `date` is the day the pack last checked it ("undated; checked DATE").
    undated: bool = False
    # The language its quotes are written in (BCP 47): a report marks quotes not in its own.
    lang: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")] = "en"
    # The same text published in other languages (official translations), see Edition.
    editions: tuple[Edition, ...] = ()


class Citation(FrozenModel):
    id: SourceId
    quote: str | None = None
    # Shown only where this holds (e.g. the policy of the person's region); always when absent.
    when: Condition | None = None


class Dispute(FrozenModel):
    """Official texts that disagree: what says so, what says otherwise, and which one binds."""

    binding: SourceId
    says: tuple[Citation, ...] = Field(min_length=1)
    denies: tuple[Citation, ...] = Field(min_length=1)


# --- questions.yaml --------------------------------------------------------------------------
class Value(FrozenModel):
    id: Id
    label: Text
    how: str | None = None
    # Offered only when this holds, given earlier answers ("Yes, in Brazil" is not offered in India).
    when: Condition | None = None
    # Answering this value settles later questions (Strict account settings): question -> the values
    # consistent with it, the first being the one assumed. Those questions are not asked.
    implies: dict[Id, tuple[Id, ...]] = Field(default_factory=dict)


class Where(FrozenModel):
    """Where a setting lives; a platform may lack it (iCloud backup is iPhone only)."""

    android: Text | None = None
    iphone: Text | None = None


class Change(FrozenModel):
    allowed: bool = True
    from_: tuple[Id, ...] | None = Field(default=None, alias="from")
    to: tuple[Id, ...] | None = None
    effort: Literal["setting", "habit"] = "setting"


class HelpIf(FrozenModel):
    """The help a question gives where `when` holds (the policy of the person's region)."""

    when: Condition
    text: Text


class Question(FrozenModel):
    id: Id
    section: Id
    prompt: Text
    help: str = ""
    # Help worded for some people: the first whose `when` is true (given earlier answers) replaces
    # `help`, which is for everyone else, an unknown region included.
    help_if: tuple[HelpIf, ...] = ()
    where: Where | None = None  # None for facts about the person (region, the 2016 choice)
    where_reported: bool = False
    values: tuple[Value, ...] = Field(min_length=2, max_length=MAX_VALUES)
    allow_unknown: bool = True
    when: Condition | None = None
    # The default as the files write it ("from", not "from_") in `wa-audit schema pack`.
    change: Change = Change()

    @cached_property
    def value_ids(self) -> tuple[str, ...]:
        return tuple(v.id for v in self.values)

    def value(self, value_id: str) -> Value | None:
        return next((v for v in self.values if v.id == value_id), None)


# --- flows.yaml ------------------------------------------------------------------------------
class FlowSpec(FrozenModel):
    data: tuple[Id, ...] = Field(min_length=1)
    to: tuple[Id, ...] = Field(min_length=1)
    purposes: tuple[Id, ...] = Field(min_length=1)


class FlowRule(FrozenModel):
    id: RuleId
    title: Text
    when: Condition | None = None
    certainty: RuleCertainty
    flows: tuple[FlowSpec, ...] = Field(min_length=1)
    # How much this rule's flows count in the score (0 < w <= 1): what stays after a change (F4,
    # what Meta already combined) counts less than the live flow it replaces.
    weight: float = Field(default=1.0, gt=0, le=1)
    note: str | None = None
    dispute: Dispute | None = None
    sources: tuple[Citation, ...] = Field(min_length=1)


# --- findings.yaml ---------------------------------------------------------------------------
class Steps(FrozenModel):
    """Numbered fix steps per platform; a platform may lack them (iCloud is iPhone only)."""

    android: tuple[Text, ...] | None = Field(default=None, min_length=1)
    iphone: tuple[Text, ...] | None = Field(default=None, min_length=1)


class Fix(FrozenModel):
    question: Id
    to: Id
    steps: Steps


class Finding(FrozenModel):
    id: Id
    title: Text
    severity: Severity
    when: Condition | None = None
    flows_from: tuple[RuleId, ...] = ()
    certainty: RuleCertainty
    detail: Text
    risk: str | None = None
    conflict: str | None = None
    dispute: Dispute | None = None
    fix: Fix | None = None
    sources: tuple[Citation, ...] = Field(min_length=1)


# --- protections.yaml ------------------------------------------------------------------------
class ProtectionException(FrozenModel):
    """Where a protection does not hold: when `when` is true, `text` is said (`if_unknown` when possible)."""

    when: Condition | None = None
    text: Text
    if_unknown: str | None = None
    sources: tuple[Citation, ...] = Field(min_length=1)


class Protection(FrozenModel):
    id: Id
    title: Text
    detail: str = ""
    when: Condition | None = None
    # v2: a protection holds `partly` for a person when one of these applies to them.
    except_: tuple[ProtectionException, ...] = Field(default=(), alias="except")
    sources: tuple[Citation, ...] = Field(min_length=1)


class Right(FrozenModel):
    """Something the person can ask for where they live (report key `rights`)."""

    id: Id
    title: Text
    how: Text
    when: Condition | None = None
    sources: tuple[Citation, ...] = Field(min_length=1)


# --- the pack --------------------------------------------------------------------------------
class Pack(FrozenModel):
    """A validated, cross-checked rule pack."""

    meta: PackMeta
    vocabulary: Vocabulary
    sources: tuple[Source, ...]
    questions: tuple[Question, ...]
    rules: tuple[FlowRule, ...]
    findings: tuple[Finding, ...]
    protections: tuple[Protection, ...]
    rights: tuple[Right, ...] = ()
    # The dated versions of each capture in the pack's captures/ folder, oldest first (the file
    # names only: reports say which version a source was checked against).
    captures: dict[str, tuple[Day, ...]] = Field(default_factory=dict)

    def checked_capture(self, source: Source) -> Day | None:
        """The capture version `source` was checked against (see `version_checked`)."""
        return version_checked(self.captures.get(source.capture or "", ()), source)

    @cached_property
    def question_by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    @cached_property
    def rule_by_id(self) -> dict[str, FlowRule]:
        return {r.id: r for r in self.rules}

    @cached_property
    def source_by_id(self) -> dict[str, Source]:
        return {s.id: s for s in self.sources}

    def citations(self) -> Iterable[tuple[str, Citation]]:
        """Every citation in the pack, with what cites it ("finding no_2sv", "rule F3", ...)."""
        cited: list[tuple[str, tuple[Citation, ...]]] = []
        for r in self.rules:
            cited += [(f"rule {r.id}", r.sources)]
            if r.dispute:
                cited += [(f"rule {r.id}", r.dispute.says + r.dispute.denies)]
        for f in self.findings:
            cited += [(f"finding {f.id}", f.sources)]
            if f.dispute:
                cited += [(f"finding {f.id}", f.dispute.says + f.dispute.denies)]
        for p in self.protections:
            cited += [(f"protection {p.id}", p.sources)]
            cited += [(f"protection {p.id}", e.sources) for e in p.except_]
        cited += [(f"right {r.id}", r.sources) for r in self.rights]
        return [(owner, c) for owner, cs in cited for c in cs]

    def quotes_of(self, source_id: str) -> list[tuple[str, str]]:
        """(what cites it, quote) for every quote taken from source `source_id`."""
        return [(owner, c.quote) for owner, c in self.citations() if c.id == source_id and c.quote]

    @cached_property
    def data_by_id(self) -> dict[str, DataCategory]:
        return {d.id: d for d in self.vocabulary.data_categories}

    @cached_property
    def recipient_by_id(self) -> dict[str, Recipient]:
        return {r.id: r for r in self.vocabulary.recipients}

    @cached_property
    def purpose_by_id(self) -> dict[str, Purpose]:
        return {p.id: p for p in self.vocabulary.purposes}

    @cached_property
    def finding_by_id(self) -> dict[str, Finding]:
        return {f.id: f for f in self.findings}

    @cached_property
    def section_by_id(self) -> dict[str, Section]:
        return {s.id: s for s in self.meta.sections}


# --- what loading and checking yield ---------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    """One thing wrong with a pack, located as `file:line`.

    Errors make `rules check` exit 2 and the pack unusable; warnings are printed and nothing more
    (a question that changes nothing is worth knowing about, not worth refusing the pack for).
    """

    where: str
    message: str
    level: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        return f"{self.where}: {'warning: ' if self.level == 'warning' else ''}{self.message}"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a close match exists, else ''."""
    import difflib  # lazily: only a mistake needs it

    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    # Translators: after a word that is not an id; {word} is the id it may have meant. Keep the space.
    return _(" (did you mean '{word}'?)").format(word=match[0]) if match else ""


def version_checked(versions: Sequence[date], source: Source) -> date | None:
    """Of a capture's version dates (oldest first), the one `source` was checked against.

    A source that is one dated version of a policy (its `date` is a version's) was checked against
    that version; any other against the newest version dated on or before its `checked` day.
    """
    if source.date in versions:
        return source.date
    earlier = [d for d in versions if d <= source.checked]
    return earlier[-1] if earlier else None

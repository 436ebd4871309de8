"""The rule pack: the YAML files as pydantic models, `file:line` errors, cross-checks.

A pack is data (see docs/PACK_FORMAT.md). Loading validates each file against its model, then
cross-checks the references between files; every problem names the file and line it comes from.
"""


import contextlib
import itertools
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import Field, StringConstraints, ValidationError

from audit.conditions import (
    NOT_ASKED,
    UNKNOWN,
    AllOf,
    AnyOf,
    Condition,
    QuestionIn,
    RuleRef,
    Truth,
    describe,
    questions_in,
    walk,
)
from audit.conditions import evaluate as evaluate_condition
from audit.errors import PackError, UserError
from audit.frozen_model import FrozenModel
from audit.severity import Severity
from audit.yamlio import Located, describe_validation_error, load_yaml

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
SourceId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]*$", max_length=64)]
RuleId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]*$", max_length=64)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=4000)]
Url = Annotated[str, StringConstraints(pattern=r"^https://[^\s<>\"']+$", max_length=500)]
Version = Annotated[str, StringConstraints(pattern=r"^\d{4}\.\d{1,2}(\.\d+)?$")]
Certainty = Literal["documented", "reported", "disputed", "possible"]
# `disputed` (v2): official texts disagree; the rule or finding carries both sides (`dispute`).
RuleCertainty = Literal["documented", "reported", "disputed"]
CERTAINTIES: tuple[Certainty, ...] = ("documented", "reported", "disputed", "possible")
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
class Source(FrozenModel):
    id: SourceId
    title: Text
    publisher: Text
    url: Url
    date: date
    kind: Literal["official", "regulator", "press"]
    capture: str | None = None
    # The page shows no date: `date` is the day the pack last checked it ("undated; checked DATE").
    undated: bool = False


class SourcesFile(FrozenModel):
    sources: tuple[Source, ...] = Field(min_length=1, max_length=MAX_RULES)


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


class Question(FrozenModel):
    id: Id
    section: Id
    prompt: Text
    help: str = ""
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


class QuestionsFile(FrozenModel):
    questions: tuple[Question, ...] = Field(min_length=1, max_length=MAX_QUESTIONS)


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
    note: str | None = None
    dispute: Dispute | None = None
    sources: tuple[Citation, ...] = Field(min_length=1)


class FlowsFile(FrozenModel):
    rules: tuple[FlowRule, ...] = Field(min_length=1, max_length=MAX_RULES)


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


class FindingsFile(FrozenModel):
    findings: tuple[Finding, ...] = Field(default=(), max_length=MAX_RULES)


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


class ProtectionsFile(FrozenModel):
    protections: tuple[Protection, ...] = Field(default=(), max_length=MAX_RULES)
    rights: tuple[Right, ...] = Field(default=(), max_length=MAX_RULES)


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

    @cached_property
    def question_by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    @cached_property
    def rule_by_id(self) -> dict[str, FlowRule]:
        return {r.id: r for r in self.rules}

    @cached_property
    def source_by_id(self) -> dict[str, Source]:
        return {s.id: s for s in self.sources}

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


# --- loading ---------------------------------------------------------------------------------
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


M = TypeVar("M", bound=FrozenModel)


def _parse(doc: Located, model: type[M]) -> M:
    if doc.data is None:
        raise PackError(f"{doc.path}: file is empty; see docs/PACK_FORMAT.md")
    if not isinstance(doc.data, dict):
        raise PackError(f"{doc.path}:1: expected a mapping of fields at the top")
    try:
        return model.model_validate(doc.data)
    except ValidationError as e:
        raise PackError(describe_validation_error(doc, e)) from e


@dataclass(frozen=True)
class LoadedPack:
    """A pack with the parsed documents, so checks can point at lines."""

    pack: Pack
    docs: dict[str, Located]


def read_pack(directory: Path) -> LoadedPack:
    """Load and validate the files of a pack; raise PackError on the first schema problem."""
    if not directory.is_dir():
        raise PackError(f"{directory}: no such rule pack folder; check --rules")
    docs: dict[str, Located] = {}
    for name in PACK_FILES:
        path = directory / name
        if not path.exists():
            raise PackError(f"{path}: {_missing(directory)}")
        try:
            docs[name] = load_yaml(path, what="a rule pack file")
        except PackError:
            raise
        except UserError as e:
            raise PackError(e.message) from e
    protections_file = _parse(docs["protections.yaml"], ProtectionsFile)
    pack = Pack(
        meta=_parse(docs["pack.yaml"], PackMeta),
        vocabulary=_parse(docs["vocabulary.yaml"], Vocabulary),
        sources=_parse(docs["sources.yaml"], SourcesFile).sources,
        questions=_parse(docs["questions.yaml"], QuestionsFile).questions,
        rules=_parse(docs["flows.yaml"], FlowsFile).rules,
        findings=_parse(docs["findings.yaml"], FindingsFile).findings,
        protections=protections_file.protections,
        rights=protections_file.rights,
    )
    return LoadedPack(pack=pack, docs=docs)


def _missing(directory: Path) -> str:
    """Why a pack file is missing, and what to do: the parent of a pack (`rules/`) names the pack."""
    inner = sorted(p for p in directory.iterdir() if (p / "pack.yaml").is_file())
    if inner and not (directory / "pack.yaml").exists():
        return f"missing; {directory} is the folder around a pack: give the pack folder {inner[0]}"
    return f"missing; a pack needs {', '.join(PACK_FILES)}"


class _OneError:
    """One error of a pydantic ValidationError, in the shape describe_validation_error reads."""

    def __init__(self, error: object) -> None:
        self._error = error

    def errors(self) -> list[object]:
        return [self._error]


def _problem(line: str) -> Problem:
    where, _, message = line.partition(": ")
    return Problem(where, message)


_FILES: dict[str, type[FrozenModel]] = {
    "pack.yaml": PackMeta,
    "vocabulary.yaml": Vocabulary,
    "sources.yaml": SourcesFile,
    "questions.yaml": QuestionsFile,
    "flows.yaml": FlowsFile,
    "findings.yaml": FindingsFile,
    "protections.yaml": ProtectionsFile,
}
def _without_bad_items(doc: Located, err: Any, dropped: set[str]) -> dict[str, Any] | None:
    """The file's data without the list items the errors point into (their ids into `dropped`)."""
    bad: dict[str, set[int]] = {}
    for e in err.errors():
        loc = e["loc"]
        if len(loc) < 2 or not isinstance(loc[1], int) or not isinstance(doc.data.get(loc[0]), list):
            return None  # an error in the file's own fields: nothing to check the rest against
        bad.setdefault(loc[0], set()).add(loc[1])
    data = dict(doc.data)
    for key, indexes in bad.items():
        for k in indexes:
            item = data[key][k]
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                dropped.add(item["id"])
        data[key] = [item for k, item in enumerate(data[key]) if k not in indexes]
    return data


def pack_problems(directory: Path) -> list[Problem]:
    """Every problem of the pack in `directory`, for `rules check`.

    Not only the first: every file's syntax and schema errors, then the cross-checks of whatever
    did parse (an item with a schema error is left out of them, and so are the references to it).
    """
    if not directory.is_dir():
        raise PackError(f"{directory}: no such rule pack folder; check --rules")
    problems: list[Problem] = []
    docs: dict[str, Located] = {}
    for name in PACK_FILES:
        path = directory / name
        if not path.exists():
            problems.append(Problem(str(path), _missing(directory)))
            if name == "pack.yaml" and "folder around a pack" in problems[-1].message:
                return problems
            continue
        try:
            docs[name] = load_yaml(path, what="a rule pack file")
        except UserError as e:
            problems.append(_problem(e.message))
    parsed: dict[str, object] = {}
    dropped: set[str] = set()
    for name, doc in docs.items():
        try:
            parsed[name] = _parse(doc, _FILES[name])
            continue
        except PackError as e:
            cause = e.__cause__
            if not isinstance(cause, ValidationError):
                problems.append(_problem(e.message))
                continue
        problems.extend(_problem(describe_validation_error(doc, _OneError(err))) for err in cause.errors())
        salvaged = _without_bad_items(doc, cause, dropped)
        if salvaged is not None:
            with contextlib.suppress(ValidationError):  # else a field of the file itself: said above
                parsed[name] = _FILES[name].model_validate(salvaged)
    if len(parsed) < len(PACK_FILES):
        return problems
    pack = Pack(
        meta=parsed["pack.yaml"],  # type: ignore[arg-type]
        vocabulary=parsed["vocabulary.yaml"],  # type: ignore[arg-type]
        sources=parsed["sources.yaml"].sources,  # type: ignore[attr-defined]
        questions=parsed["questions.yaml"].questions,  # type: ignore[attr-defined]
        rules=parsed["flows.yaml"].rules,  # type: ignore[attr-defined]
        findings=parsed["findings.yaml"].findings,  # type: ignore[attr-defined]
        protections=parsed["protections.yaml"].protections,  # type: ignore[attr-defined]
    )
    checked = check_pack(LoadedPack(pack=pack, docs=docs))
    # "unknown rule 'F3'" only repeats that F3 has a schema error, said above.
    return problems + [p for p in checked if not any(f"'{d}'" in p.message for d in dropped)]


def load_pack(directory: Path) -> Pack:
    """Load a pack and refuse it if any cross-check fails."""
    loaded = read_pack(directory)
    problems = [p for p in check_pack(loaded) if p.level == "error"]
    if problems:
        # The pack's own folder: plain 'rules check' would check the bundled pack instead.
        check = f"run 'wa-audit rules check {directory}'"
        more = f" ({len(problems) - 1} more; {check})" if len(problems) > 1 else ""
        raise PackError(f"{problems[0]}; fix the rule pack{more}")
    return loaded.pack


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a close match exists, else ''."""
    import difflib  # lazily: only a mistake needs it

    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


class _Checker:
    def __init__(self, loaded: LoadedPack) -> None:
        self.pack = loaded.pack
        self.docs = loaded.docs
        self.problems: list[Problem] = []
        self.cited: set[str] = set()

    def add(self, file: str, loc: Sequence[str | int], message: str) -> None:
        self.problems.append(Problem(self.docs[file].where(loc), message))

    def unique(self, file: str, key: str, ids: Sequence[str], what: str) -> None:
        seen: set[str] = set()
        for i, ident in enumerate(ids):
            if ident in seen:
                self.add(file, (key, i, "id"), f"duplicate {what} id '{ident}'")
            seen.add(ident)

    def ref(self, file: str, loc: Sequence[str | int], value: str, known: Iterable[str], what: str) -> bool:
        known = list(known)
        if value in known:
            return True
        self.add(file, loc, f"unknown {what} '{value}'{did_you_mean(value, known)}")
        return False

    def cites(
        self, file: str, loc: Sequence[str | int], citations: Sequence[Citation], key: str = "sources"
    ) -> None:
        for i, c in enumerate(citations):
            self.cited.add(c.id)
            self.ref(file, (*loc, key, i, "id"), c.id, self.pack.source_by_id, "source")
            self.condition(file, (*loc, key, i), c.when)

    def disputed(self, file: str, loc: Sequence[str | int], certainty: str, dispute: Dispute | None) -> None:
        """A `disputed` rule or finding carries both sides of the dispute, and only then."""
        if certainty == "disputed" and dispute is None:
            self.add(
                file,
                (*loc, "certainty"),
                "certainty 'disputed' needs a 'dispute' with the sources on each side "
                "('says', 'denies') and which one is 'binding'",
            )
        if dispute is None:
            return
        if certainty != "disputed":
            self.add(file, (*loc, "dispute"), f"a 'dispute' needs certainty 'disputed', not '{certainty}'")
        self.cites(file, (*loc, "dispute"), dispute.says, key="says")
        self.cites(file, (*loc, "dispute"), dispute.denies, key="denies")
        sides = {c.id for c in (*dispute.says, *dispute.denies)}
        self.ref(file, (*loc, "dispute", "binding"), dispute.binding, sorted(sides), "source of this dispute")

    def condition(
        self,
        file: str,
        loc: Sequence[str | int],
        cond: Condition | None,
        asked_before: set[str] | None = None,
    ) -> None:
        for atom, at in _located_atoms(cond, (*loc, "when")):
            if isinstance(atom, RuleRef):
                if asked_before is not None:
                    # The interview decides what to ask from earlier answers alone; a rule may
                    # read any question, so a question cannot wait for one.
                    self.add(
                        file,
                        (*at, "rule"),
                        f"a question's 'when' may only test earlier questions, not rule '{atom.rule}'",
                    )
                    continue
                self.ref(file, (*at, "rule"), atom.rule, self.pack.rule_by_id, "rule")
                continue
            question = self.pack.question_by_id.get(atom.question)
            if not self.ref(file, (*at, "question"), atom.question, self.pack.question_by_id, "question"):
                continue
            assert question is not None  # noqa: S101 - narrowed by ref()
            if asked_before is not None and atom.question not in asked_before:
                self.add(
                    file,
                    (*at, "question"),
                    f"'when' may only test questions asked earlier, not '{atom.question}'",
                )
            allowed = {*question.value_ids, UNKNOWN}
            for k, value in enumerate(atom.in_):
                self.ref(file, (*at, "in", k), value, allowed, f"value of '{atom.question}'")

    def run(self) -> list[Problem]:
        p = self.pack
        voc = p.vocabulary
        self.unique(
            "vocabulary.yaml", "data_categories", [d.id for d in voc.data_categories], "data category"
        )
        self.unique("vocabulary.yaml", "recipients", [r.id for r in voc.recipients], "recipient")
        self.unique("vocabulary.yaml", "purposes", [x.id for x in voc.purposes], "purpose")
        self.unique("sources.yaml", "sources", [s.id for s in p.sources], "source")
        self.unique("questions.yaml", "questions", [q.id for q in p.questions], "question")
        self.unique("flows.yaml", "rules", [r.id for r in p.rules], "rule")
        self.unique("findings.yaml", "findings", [f.id for f in p.findings], "finding")
        self.unique("protections.yaml", "protections", [x.id for x in p.protections], "protection")
        used = {r.certainty for r in p.rules} | {f.certainty for f in p.findings}
        for c in ("documented", "reported", "possible", *(("disputed",) if "disputed" in used else ())):
            if c not in voc.certainty_weights:
                self.add("vocabulary.yaml", ("certainty_weights",), f"missing weight for '{c}'")
        possible = voc.certainty_weights.get("possible", 0.0)
        heavier = [c for c, w in voc.certainty_weights.items() if w > possible]
        if heavier:
            # Otherwise answering "I don't know" could lower the score: unknown would look safe.
            self.add(
                "vocabulary.yaml",
                ("certainty_weights", "possible"),
                f"'possible' must weigh at least as much as {' and '.join(repr(c) for c in heavier)}, "
                "so that an 'I don't know' never scores lower than a real answer",
            )
        self._questions()
        self._rules()
        self._findings()
        for i, prot in enumerate(p.protections):
            self.condition("protections.yaml", ("protections", i), prot.when)
            self.cites("protections.yaml", ("protections", i), prot.sources)
            for j, exc in enumerate(prot.except_):
                self.condition("protections.yaml", ("protections", i, "except", j), exc.when)
                self.cites("protections.yaml", ("protections", i, "except", j), exc.sources)
        self.unique("protections.yaml", "rights", [r.id for r in p.rights], "right")
        for i, right in enumerate(p.rights):
            self.condition("protections.yaml", ("rights", i), right.when)
            self.cites("protections.yaml", ("rights", i), right.sources)
        self._loops()
        for i, s in enumerate(p.sources):
            if s.id not in self.cited:
                self.add(
                    "sources.yaml",
                    ("sources", i, "id"),
                    f"source '{s.id}' is never cited; cite it or remove it",
                )
        if not self.problems:  # the reachability checks evaluate conditions: references must hold
            _Reachability(self).run()
        return self.problems

    def _questions(self) -> None:
        asked: set[str] = set()
        for i, q in enumerate(self.pack.questions):
            loc = ("questions", i)
            self.ref("questions.yaml", (*loc, "section"), q.section, self.pack.section_by_id, "section")
            self.unique_values(i, q)
            self.condition("questions.yaml", loc, q.when, asked_before=asked)
            for j, value in enumerate(q.values):
                self.condition("questions.yaml", (*loc, "values", j), value.when, asked_before=asked)
            for key, ids in (("from", q.change.from_), ("to", q.change.to)):
                for j, v in enumerate(ids or ()):
                    self.ref("questions.yaml", (*loc, "change", key, j), v, q.value_ids, f"value of '{q.id}'")
            asked.add(q.id)
        self._implies()

    def _implies(self) -> None:
        position = {q.id: i for i, q in enumerate(self.pack.questions)}
        for i, q in enumerate(self.pack.questions):
            for j, v in enumerate(q.values):
                for other, values in v.implies.items():
                    loc = ("questions", i, "values", j, "implies", other)
                    target = self.pack.question_by_id.get(other)
                    if not self.ref("questions.yaml", loc, other, self.pack.question_by_id, "question"):
                        continue
                    assert target is not None  # noqa: S101 - narrowed by ref()
                    if position[other] <= i:
                        self.add(
                            "questions.yaml",
                            loc,
                            f"'{q.id}' may only imply answers to later questions, not '{other}'",
                        )
                    if not values:
                        self.add("questions.yaml", loc, f"name at least one value of '{other}'")
                    for k, value in enumerate(values):
                        self.ref("questions.yaml", (*loc, k), value, target.value_ids, f"value of '{other}'")

    def unique_values(self, i: int, q: Question) -> None:
        seen: set[str] = set()
        for j, v in enumerate(q.values):
            if v.id in seen or v.id == UNKNOWN:
                why = "is reserved for 'I don't know'" if v.id == UNKNOWN else "is listed twice"
                self.add("questions.yaml", ("questions", i, "values", j, "id"), f"value '{v.id}' {why}")
            seen.add(v.id)

    def _rules(self) -> None:
        p = self.pack
        for i, rule in enumerate(p.rules):
            loc = ("rules", i)
            self.condition("flows.yaml", loc, rule.when)
            self.cites("flows.yaml", loc, rule.sources)
            self.disputed("flows.yaml", loc, rule.certainty, rule.dispute)
            for j, flow in enumerate(rule.flows):
                floc = (*loc, "flows", j)
                for k, d in enumerate(flow.data):
                    self.ref("flows.yaml", (*floc, "data", k), d, p.data_by_id, "data category")
                for k, r in enumerate(flow.to):
                    self.ref("flows.yaml", (*floc, "to", k), r, p.recipient_by_id, "recipient")
                for k, x in enumerate(flow.purposes):
                    self.ref("flows.yaml", (*floc, "purposes", k), x, p.purpose_by_id, "purpose")
                if "phone_number" in flow.data and "advertisers" in flow.to:
                    self.add(
                        "flows.yaml",
                        floc,
                        "no flow may send phone_number to advertisers (the model's promise S8, S9, S17)",
                    )

    def _findings(self) -> None:
        p = self.pack
        for i, f in enumerate(p.findings):
            loc = ("findings", i)
            self.condition("findings.yaml", loc, f.when)
            self.cites("findings.yaml", loc, f.sources)
            self.disputed("findings.yaml", loc, f.certainty, f.dispute)
            for j, rid in enumerate(f.flows_from):
                self.ref("findings.yaml", (*loc, "flows_from", j), rid, p.rule_by_id, "rule")
            if f.fix is None:
                continue
            q = p.question_by_id.get(f.fix.question)
            if not self.ref(
                "findings.yaml", (*loc, "fix", "question"), f.fix.question, p.question_by_id, "question"
            ):
                continue
            assert q is not None  # noqa: S101 - narrowed by ref()
            if self.ref(
                "findings.yaml", (*loc, "fix", "to"), f.fix.to, q.value_ids, f"value of '{q.id}'"
            ) and (not q.change.allowed or (q.change.to is not None and f.fix.to not in q.change.to)):
                self.add(
                    "findings.yaml",
                    (*loc, "fix", "to"),
                    f"the person cannot change '{q.id}' to '{f.fix.to}' (see its 'change')",
                )

    def _loops(self) -> None:
        p = self.pack
        state: dict[str, int] = {}

        def visit(rid: str, trail: list[str]) -> None:
            if state.get(rid) == 2 or rid not in p.rule_by_id:
                return
            if state.get(rid) == 1:
                i = next(n for n, r in enumerate(p.rules) if r.id == rid)
                self.add(
                    "flows.yaml",
                    ("rules", i, "when"),
                    f"rule conditions refer to each other in a loop: {' -> '.join([*trail, rid])}",
                )
                return
            state[rid] = 1
            for atom in walk(p.rule_by_id[rid].when):
                if isinstance(atom, RuleRef):
                    visit(atom.rule, [*trail, rid])
            state[rid] = 2

        for rule in p.rules:
            visit(rule.id, [])


def _located_atoms(
    cond: Condition | None, at: tuple[str | int, ...]
) -> Iterator[tuple[QuestionIn | RuleRef, tuple[str | int, ...]]]:
    """Every question test and rule reference in `cond`, with its location in the YAML document."""
    if cond is None or isinstance(cond, str):
        return
    if isinstance(cond, QuestionIn | RuleRef):
        yield cond, at
    elif isinstance(cond, AllOf):
        for i, c in enumerate(cond.all):
            yield from _located_atoms(c, (*at, "all", i))
    elif isinstance(cond, AnyOf):
        for i, c in enumerate(cond.any):
            yield from _located_atoms(c, (*at, "any", i))
    else:
        yield from _located_atoms(cond.not_, (*at, "not"))


# Beyond this many answer combinations a condition is not enumerated (no real pack comes close:
# the bundled one needs at most a few hundred per condition).
_MAX_COMBINATIONS = 20_000


@dataclass(frozen=True)
class _Outcome:
    """One combination of answers and what a condition makes of it."""

    raw: dict[str, str]
    applies: dict[str, Truth]
    truth: Truth
    truth_if_all_asked: Truth


class _Reachability:
    """The checks that need evaluation, over every combination of answers that matters.

    Every question can be asked; every rule, finding and protection can apply; none depends on a
    question that its own condition keeps from being asked.

    Each condition is evaluated, exactly as the engine does (three values, questions not asked),
    over every combination of answers (`unknown` included) of the questions it reads and the
    questions those depend on through their own `when`.

    "Every question value reachable" is read this way: the person may pick any value of a question
    that is asked, so a value is reachable when its question can be asked. A question that no
    condition tests at all is reported as a warning: every answer to it changes nothing.
    """

    def __init__(self, checker: _Checker) -> None:
        self.checker = checker
        self.pack = checker.pack
        self.position = {q.id: i for i, q in enumerate(self.pack.questions)}

    def values_of(self, question: str) -> tuple[str, ...]:
        return self.pack.question_by_id[question].value_ids

    def rule_when(self, rule_id: str) -> Condition | None:
        return self.pack.rule_by_id[rule_id].when

    def reads(self, cond: Condition | None) -> list[str]:
        """The questions `cond` depends on, through rules and through questions' own `when`."""
        found = set(questions_in(cond, self.rule_when))
        for q in reversed(self.pack.questions):  # a `when` only reads earlier questions
            if q.id in found:
                found.update(questions_in(q.when, self.rule_when))
        return sorted(found, key=self.position.__getitem__)

    def outcomes(self, cond: Condition | None) -> list[_Outcome] | None:
        questions = [self.pack.question_by_id[q] for q in self.reads(cond)]
        domains = [(*q.value_ids, *((UNKNOWN,) if q.allow_unknown else ())) for q in questions]
        if math.prod(len(d) for d in domains) > _MAX_COMBINATIONS:
            return None
        out = []
        for combination in itertools.product(*domains):
            raw = dict(zip((q.id for q in questions), combination, strict=True))
            answers: dict[str, str] = {}
            applies: dict[str, Truth] = {}
            for q in questions:
                t = evaluate_condition(q.when, answers, self.values_of, _no_rule, applies)
                applies[q.id] = t
                answers[q.id] = NOT_ASKED if t is Truth.FALSE else raw[q.id]
            out.append(
                _Outcome(
                    raw=raw,
                    applies=applies,
                    truth=self.truth(cond, answers, applies),
                    truth_if_all_asked=self.truth(cond, raw, None),
                )
            )
        return out

    def truth(
        self, cond: Condition | None, answers: dict[str, str], applies: dict[str, Truth] | None
    ) -> Truth:
        cache: dict[str, Truth] = {}

        def rule_truth(rule_id: str) -> Truth:
            if rule_id not in cache:
                cache[rule_id] = evaluate_condition(
                    self.rule_when(rule_id), answers, self.values_of, rule_truth, applies
                )
            return cache[rule_id]

        return evaluate_condition(cond, answers, self.values_of, rule_truth, applies)

    def run(self) -> None:
        p = self.pack
        for i, q in enumerate(p.questions):
            if q.when is None:
                continue
            outcomes = self.outcomes(q.when)
            # Never true: at best "possible" through an unknown answer, which Kleene's logic cannot
            # see through (yes and no are each possible when unknown, "yes and no" too).
            if outcomes is not None and not any(o.truth is Truth.TRUE for o in outcomes):
                self.checker.add(
                    "questions.yaml",
                    ("questions", i, "when"),
                    f"question '{q.id}' can never be asked: its 'when' ({describe(q.when)}) is "
                    "true for no answer",
                )
        items: list[tuple[str, str, int, str, Condition | None]] = [
            *(("flows.yaml", "rules", i, f"rule '{r.id}'", r.when) for i, r in enumerate(p.rules)),
            *(
                ("findings.yaml", "findings", i, f"finding '{f.id}'", f.when)
                for i, f in enumerate(p.findings)
            ),
            *(
                ("protections.yaml", "protections", i, f"protection '{x.id}'", x.when)
                for i, x in enumerate(p.protections)
            ),
        ]
        for file, key, i, what, cond in items:
            if cond is not None and cond != "always":
                self.reachable(file, (key, i, "when"), what, cond)
        tested = {
            atom.question
            for cond in (*(q.when for q in p.questions), *(c for *_, c in items))
            for atom in walk(cond)
            if isinstance(atom, QuestionIn)
        }
        for i, q in enumerate(p.questions):
            if q.id not in tested:
                self.checker.problems.append(
                    Problem(
                        self.checker.docs["questions.yaml"].where(("questions", i, "id")),
                        f"question '{q.id}' is tested by no rule, finding, protection or question: "
                        "its answer changes nothing; use it in a condition or remove it",
                        level="warning",
                    )
                )

    def reachable(self, file: str, loc: tuple[str | int, ...], what: str, cond: Condition) -> None:
        outcomes = self.outcomes(cond)
        if outcomes is None:
            return
        holds = [o for o in outcomes if o.truth is Truth.TRUE]
        conditional = [q for q in questions_in(cond, self.rule_when) if self.pack.question_by_id[q].when]
        if not holds:
            # Would it hold if every question were asked? Then a question's own `when` is the cause.
            if any(o.truth_if_all_asked is Truth.TRUE for o in outcomes):
                culprit = next(
                    (
                        q
                        for q in conditional
                        if all(
                            o.applies[q] is Truth.FALSE
                            for o in outcomes
                            if o.truth_if_all_asked is Truth.TRUE
                        )
                    ),
                    conditional[0] if conditional else "?",
                )
                self.checker.add(
                    file,
                    loc,
                    f"{what} can never apply: it needs an answer to '{culprit}', which is only asked "
                    f"when {describe(self.pack.question_by_id[culprit].when)}, and its own condition "
                    "rules that out",
                )
            else:
                self.checker.add(
                    file,
                    loc,
                    f"{what} can never apply: its condition ({describe(cond)}) is false for every answer",
                )
            return
        for q in conditional:
            if all(o.applies[q] is Truth.FALSE for o in holds):
                self.checker.add(
                    file,
                    loc,
                    f"{what} tests '{q}', but '{q}' is never asked when it applies (only when "
                    f"{describe(self.pack.question_by_id[q].when)}); fix the condition",
                )


def _no_rule(rule_id: str) -> Truth:
    raise ValueError(rule_id)  # questions may not test rules; checked before reachability


def check_pack(loaded: LoadedPack) -> list[Problem]:
    """Every cross-reference problem of a schema-valid pack, in file order."""
    return _Checker(loaded).run()

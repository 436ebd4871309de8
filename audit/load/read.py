"""Loading a rule pack: YAML files -> validated `Pack`, every problem as `file:line`.

`read_pack` stops at the first schema problem; `pack_problems` (`rules check`) reports them all;
`load_pack` also refuses a pack whose cross-checks (`pack_check`) fail.
"""

import contextlib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import Field, ValidationError

from audit.errors import PackError, UserError
from audit.lang import _
from audit.load.captures import capture_versions, quote_problems
from audit.load.check import LoadedPack, check_pack
from audit.load.translations import catalog_problems
from audit.load.yamlio import Located, first_problem, load_yaml, validation_problem
from audit.model.frozen import FrozenModel
from audit.model.pack import (
    MAX_QUESTIONS,
    MAX_RULES,
    PACK_FILES,
    Finding,
    FlowRule,
    Pack,
    PackMeta,
    Problem,
    Protection,
    Question,
    Right,
    Source,
    Vocabulary,
)


# The top level of each list file: only loading reads them (a report reads the cached `Pack`).
class SourcesFile(FrozenModel):
    sources: tuple[Source, ...] = Field(min_length=1, max_length=MAX_RULES)


class QuestionsFile(FrozenModel):
    questions: tuple[Question, ...] = Field(min_length=1, max_length=MAX_QUESTIONS)


class FlowsFile(FrozenModel):
    rules: tuple[FlowRule, ...] = Field(min_length=1, max_length=MAX_RULES)


class FindingsFile(FrozenModel):
    findings: tuple[Finding, ...] = Field(default=(), max_length=MAX_RULES)


class ProtectionsFile(FrozenModel):
    protections: tuple[Protection, ...] = Field(default=(), max_length=MAX_RULES)
    rights: tuple[Right, ...] = Field(default=(), max_length=MAX_RULES)


M = TypeVar("M", bound=FrozenModel)


def _parse(doc: Located, model: type[M]) -> M:
    if doc.data is None:
        raise PackError("file is empty; see docs/PACK_FORMAT.md", where=str(doc.path))
    if not isinstance(doc.data, dict):
        raise PackError("expected a mapping of fields at the top", where=f"{doc.path}:1")
    try:
        return model.model_validate(doc.data)
    except ValidationError as e:
        problem = first_problem(doc, e)
        raise PackError(problem.message, where=problem.where) from e


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
            docs[name] = load_yaml(path, what=_("a rule pack file"))
        except PackError:
            raise
        except UserError as e:
            raise PackError(e.detail, where=e.where) from e
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
        captures=capture_versions(directory),
    )
    return LoadedPack(pack=pack, docs=docs)


def _missing(directory: Path) -> str:
    """Why a pack file is missing, and what to do: the parent of a pack (`rules/`) names the pack."""
    inner = sorted(p for p in directory.iterdir() if (p / "pack.yaml").is_file())
    if inner and not (directory / "pack.yaml").exists():
        return f"missing; {directory} is the folder around a pack: give the pack folder {inner[0]}"
    return f"missing; a pack needs {', '.join(PACK_FILES)}"


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
            docs[name] = load_yaml(path, what=_("a rule pack file"))
        except UserError as e:
            problems.append(Problem(e.where, e.detail))
    parsed: dict[str, object] = {}
    dropped: set[str] = set()
    for name, doc in docs.items():
        try:
            parsed[name] = _parse(doc, _FILES[name])
            continue
        except PackError as e:
            cause = e.__cause__
            if not isinstance(cause, ValidationError):
                problems.append(Problem(e.where, e.detail))
                continue
        problems.extend(validation_problem(doc, err) for err in cause.errors())
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
        rights=parsed["protections.yaml"].rights,  # type: ignore[attr-defined]
    )
    with contextlib.suppress(PackError):  # a capture misnamed: quote_problems says which
        pack = pack.model_copy(update={"captures": capture_versions(directory)})
    checked = (
        check_pack(LoadedPack(pack=pack, docs=docs))
        + quote_problems(pack, directory)
        + catalog_problems(pack, directory)
    )
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

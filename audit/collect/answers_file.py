"""Answers files: read one (every problem one line naming file and line), parse --set, save atomically."""

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from audit.errors import AnswersError, UserError, show
from audit.files import atomic_write, ensure_private_dir
from audit.lang import N_, _
from audit.load.yamlio import Located, first_problem, load_yaml
from audit.model.answers import Answers, AnswersFile, check_implied, check_value, valid_values
from audit.model.pack import Pack

HINT = N_("see 'wa-audit example' for the format")


def answers_from_doc(pack: Pack, doc: Located) -> Answers:
    """Validate a parsed answers document against `pack`."""
    if doc.data is None:
        raise AnswersError(
            _("{path}: file is empty; see 'wa-audit example' for the format").format(path=doc.path)
        )
    if not isinstance(doc.data, dict):
        raise AnswersError(
            _(
                "{path}:1: expected 'schema_version', 'pack' and 'answers' fields; "
                "see 'wa-audit example' for the format"
            ).format(path=doc.path)
        )
    raw = dict(doc.data)
    _not_an_answers_file(pack, doc, raw)
    version = raw.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > 1:
        raise AnswersError(
            _(
                "{where}: schema_version: {version} was written by a newer wa-audit "
                "(this one reads 1); upgrade wa-audit"
            ).format(where=doc.where(("schema_version",)), version=version)
        )
    # Plain YAML may hold numbers or null; values are words, so say which one is wrong.
    answers_raw = raw.get("answers")
    if isinstance(answers_raw, dict):
        for key, value in answers_raw.items():
            where = f"{doc.where(('answers', key))}: answers.{show(key)}"
            if not isinstance(key, str):
                raise AnswersError(
                    _("{where}: {key} is not a question id; use an id such as 'region'").format(
                        where=where, key=repr(key)
                    )
                )
            if not isinstance(value, str):
                q = pack.question_by_id.get(key)
                if q:
                    wrong = _("{where}: write the answer as a word, not {value}; use one of: {values}")
                else:
                    wrong = _("{where}: write the answer as a word, not {value}; see 'wa-audit example'")
                values = ", ".join(valid_values(q)) if q else ""
                raise AnswersError(wrong.format(where=where, value=show(value), values=values))
    try:
        parsed = AnswersFile.model_validate(raw)
    except ValidationError as e:
        problem = first_problem(doc, e, hint=_(HINT))
        raise AnswersError(problem.message, where=problem.where) from e
    if parsed.pack != pack.meta.id:
        raise AnswersError(
            _(
                "{where}: pack: these answers are for '{given}', not '{pack}'; use answers made for this pack"
            ).format(where=doc.where(("pack",)), given=show(parsed.pack), pack=pack.meta.id)
        )
    for question, value in parsed.answers.items():
        where = f"{doc.where(('answers', question))}: answers.{show(question)}"
        check_value(pack, question, value, where=where)
    check_implied(pack, parsed.answers, lambda q: f"{doc.where(('answers', q))}: answers.{show(q)}")
    return Answers(pack=parsed.pack, pack_version=parsed.pack_version, values=dict(parsed.answers))


# Keys only a JSON report has at its top level (the report also has `answers`, `pack` and more).
_REPORT_KEYS = frozenset({"generated_at", "score", "findings", "flows"})


def _not_an_answers_file(pack: Pack, doc: Located, raw: Mapping[Any, Any]) -> None:
    """Two easy mistakes, said plainly: a report given as answers, answers not under `answers:`."""
    if len(_REPORT_KEYS & raw.keys()) >= 2:
        raise AnswersError(
            _(
                "{path}: this is a report, not an answers file; give the answers file it was made from "
                "(see 'wa-audit example')"
            ).format(path=doc.path)
        )
    flat = [k for k in raw if isinstance(k, str) and k in pack.question_by_id]
    if flat:
        raise AnswersError(
            _(
                "{where}: '{key}' is an answer; nest the answers under 'answers:', "
                "as in these three lines: 'schema_version: 1', 'pack: {pack}', 'answers:', "
                "then each answer below, indented by two spaces"
            ).format(where=doc.where((flat[0],)), key=show(flat[0]), pack=pack.meta.id)
        )


def read_answers(pack: Pack, path: Path) -> Answers:
    """Load an answers file; every problem is one AnswersError line naming file and line."""
    try:
        doc = load_yaml(path, what=_("an answers file"))
    except AnswersError:
        raise
    except UserError as e:
        raise AnswersError(e.message) from e
    return answers_from_doc(pack, doc)


def parse_assignments(pack: Pack, items: list[str]) -> dict[str, str]:
    """`question=value` strings (from --set) as a validated mapping."""
    out: dict[str, str] = {}
    for item in items:
        question, sep, value = item.partition("=")
        question, value = question.strip(), value.strip()
        if not sep or not question or not value:
            raise AnswersError(
                _("--set '{item}': not question=value; write it as e.g. --set region=eea").format(
                    item=show(item)
                )
            )

        check_value(pack, question, value, where=f"--set {show(question)}")
        out[question] = value
    return out


def dump_answers(answers: Answers, *, pack_version: str, answered_at: datetime) -> str:
    """The answers file text (keys in pack order is the caller's job; we keep insertion order)."""
    body = AnswersFile(
        schema_version=1,
        pack=answers.pack,
        pack_version=pack_version,
        answered_at=answered_at,
        answers=dict(answers.values),
    )
    header = "# wa-audit answers. Edit with care; 'unknown' means \"I don't know\".\n"
    import yaml

    return header + yaml.safe_dump(body.model_dump(mode="json"), sort_keys=False, allow_unicode=True)


def save_answers(path: Path, answers: Answers, *, pack_version: str, answered_at: datetime) -> None:
    """Write the answers file atomically, 0600, in a 0700 folder."""
    ensure_private_dir(path.parent)
    atomic_write(path, dump_answers(answers, pack_version=pack_version, answered_at=answered_at))

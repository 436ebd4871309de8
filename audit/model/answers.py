"""A person's answers: the answers file format, validation against a pack, atomic private saving.

```yaml
schema_version: 1
pack: whatsapp
answers:
  region: eea
```
A question that is not answered counts as `unknown`; `not_asked` marks one a quick check skipped
(the report lists it as not checked, with no findings or advice from it).
"""

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Literal

from pydantic import Field

from audit.errors import AnswersError, show
from audit.lang import _
from audit.model.conditions import NOT_ASKED, UNKNOWN
from audit.model.frozen import FrozenModel
from audit.model.pack import Pack, Question, did_you_mean


class AnswersFile(FrozenModel):
    """The answers file on disk (schema_version 1)."""

    schema_version: Literal[1]
    pack: str
    pack_version: str | None = None
    answered_at: datetime | None = None
    answers: dict[str, str] = Field(default_factory=dict)


class Answers(FrozenModel):
    """Validated answers for one pack; questions not present are unknown."""

    pack: str
    pack_version: str | None = None
    values: dict[str, str] = Field(default_factory=dict)

    def get(self, question: str) -> str:
        return self.values.get(question, UNKNOWN)

    def with_values(self, changes: Mapping[str, str]) -> "Answers":
        """A copy with `changes` applied (later wins)."""
        return self.model_copy(update={"values": {**self.values, **changes}})


def check_value(pack: Pack, question: str, value: str, *, where: str) -> None:
    """Raise AnswersError if `question: value` is not valid in `pack`."""
    q = pack.question_by_id.get(question)
    if q is None:
        hint = did_you_mean(question, pack.question_by_id) or _("; 'wa-audit rules show' lists them")
        raise AnswersError(
            _("{where}: unknown question '{question}'{hint}").format(
                where=where, question=show(question), hint=hint
            )
        )
    if value == UNKNOWN and q.allow_unknown:
        return
    if value == NOT_ASKED:  # a quick check skipped it: not checked, which is not "I don't know"
        return
    if value not in q.value_ids:
        raise AnswersError(
            # Translators: {hint} is empty or " (did you mean 'x'?)" (translated too).
            _("{where}: '{value}' is not an answer to '{question}'{hint}; use one of: {values}").format(
                where=where,
                value=show(value),
                question=question,
                hint=did_you_mean(value, valid_values(q)),
                values=", ".join(valid_values(q)),
            )
        )


def check_implied(pack: Pack, values: Mapping[str, str], where: Callable[[str], str]) -> None:
    """Refuse answers that contradict an answer implying them (Strict account settings on)."""
    for q in pack.questions:
        v = q.value(values.get(q.id, UNKNOWN))
        if v is None:
            continue
        for target, allowed in v.implies.items():
            given = values.get(target, UNKNOWN)
            if given != UNKNOWN and given not in allowed:
                raise AnswersError(
                    _(
                        "{where}: '{value}' contradicts {question}: {answer}, which sets it to "
                        "{allowed}; correct or remove one of the two answers"
                    ).format(
                        where=where(target),
                        value=show(given),
                        question=q.id,
                        answer=v.id,
                        allowed=_(" or ").join(allowed),
                    )
                )


def valid_values(q: Question) -> list[str]:
    return [*q.value_ids, *([UNKNOWN] if q.allow_unknown else [])]

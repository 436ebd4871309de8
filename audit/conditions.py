"""The closed condition language of rule packs, and its three-valued evaluation.

A condition is data (`{question: q, in: [...]}`, `{all: [...]}`, `{any: [...]}`, `{not: ...}`,
`{rule: id}` or `always`); nothing is ever evaluated as code. Answers of `unknown` make a test
*possible*, and all/any/not follow Kleene's logic, so an unknown answer is never taken as safe.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from enum import IntEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

UNKNOWN = "unknown"
NOT_ASKED = "not_asked"  # internal: the question's own `when` is false, so its answer is ignored


class Truth(IntEnum):
    """Kleene's three values; min is "and", max is "or"."""

    FALSE = 0
    POSSIBLE = 1
    TRUE = 2


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class QuestionIn(_Strict):
    question: str
    in_: tuple[str, ...] = Field(alias="in", min_length=1)


class AllOf(_Strict):
    all: tuple[Condition, ...] = Field(min_length=1)


class AnyOf(_Strict):
    any: tuple[Condition, ...] = Field(min_length=1)


class NotOf(_Strict):
    not_: Condition = Field(alias="not")


class RuleRef(_Strict):
    rule: str


def _kind(raw: Any) -> str | None:
    if isinstance(raw, str):
        return "~always" if raw == "always" else None
    keys = (
        set(raw)
        if isinstance(raw, dict)
        else {name for name in ("question", "all", "any", "not_", "rule") if hasattr(raw, name)}
    )
    for key in ("question", "all", "any", "rule"):
        if key in keys:
            return f"~{key}"
    if keys & {"not", "not_"}:
        return "~not"
    return None


Condition = Annotated[
    Annotated[QuestionIn, Tag("~question")]
    | Annotated[AllOf, Tag("~all")]
    | Annotated[AnyOf, Tag("~any")]
    | Annotated[NotOf, Tag("~not")]
    | Annotated[RuleRef, Tag("~rule")]
    | Annotated[Literal["always"], Tag("~always")],
    Discriminator(
        _kind,
        custom_error_type="condition",
        custom_error_message=(
            "a condition is 'always' or a mapping with one of: question+in, all, any, not, rule"
        ),
    ),
]

for _model in (AllOf, AnyOf, NotOf):
    _model.model_rebuild()


def evaluate(
    cond: Condition | None,
    answers: Mapping[str, str],
    values_of: Callable[[str], tuple[str, ...]],
    rule_truth: Callable[[str], Truth],
) -> Truth:
    """Evaluate `cond` against effective answers (`unknown` and `not_asked` included)."""
    if cond is None or cond == "always":
        return Truth.TRUE
    if isinstance(cond, QuestionIn):
        answer = answers.get(cond.question, UNKNOWN)
        if answer == NOT_ASKED:
            return Truth.FALSE
        if answer != UNKNOWN:
            return Truth.TRUE if answer in cond.in_ else Truth.FALSE
        if UNKNOWN in cond.in_:
            return Truth.TRUE
        hits = sum(1 for v in values_of(cond.question) if v in cond.in_)
        if hits == 0:
            return Truth.FALSE
        return Truth.TRUE if hits == len(values_of(cond.question)) else Truth.POSSIBLE
    if isinstance(cond, AllOf):
        return min(evaluate(c, answers, values_of, rule_truth) for c in cond.all)
    if isinstance(cond, AnyOf):
        return max(evaluate(c, answers, values_of, rule_truth) for c in cond.any)
    if isinstance(cond, NotOf):
        return Truth(2 - evaluate(cond.not_, answers, values_of, rule_truth))
    return rule_truth(cond.rule)


def walk(cond: Condition | None) -> Iterator[QuestionIn | RuleRef]:
    """Every question test and rule reference inside `cond`, in order."""
    if cond is None or isinstance(cond, str):
        return
    if isinstance(cond, QuestionIn | RuleRef):
        yield cond
    elif isinstance(cond, AllOf):
        for c in cond.all:
            yield from walk(c)
    elif isinstance(cond, AnyOf):
        for c in cond.any:
            yield from walk(c)
    else:
        yield from walk(cond.not_)

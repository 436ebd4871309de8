"""The closed condition language of rule packs, and its three-valued evaluation.

A condition is data (`{question: q, in: [...]}`, `{all: [...]}`, `{any: [...]}`, `{not: ...}`,
`{rule: id}` or `always`); nothing is ever evaluated as code. Answers of `unknown` make a test
*possible*, and all/any/not follow Kleene's logic, so an unknown answer is never taken as safe.

Kleene's logic is monotone: replacing an answer by `unknown` can only move a condition from true or
false to possible, never from true to false or back. The engine's score relies on that (see
engine.py) to promise that "I don't know" never looks safer than a real answer.

A question whose own `when` is false is *not asked*: every test on it is false. One whose `when` is
only possible (it depends on an unknown answer) is asked, but tests on it are possible at most.
"""

from collections.abc import Callable, Iterator, Mapping
from enum import IntEnum
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag

from audit.lang import _
from audit.model.frozen import FrozenModel

UNKNOWN = "unknown"
MAX_TERMS = 100  # per all/any list: packs may come from elsewhere (see pack.MAX_RULES)
NOT_ASKED = "not_asked"  # internal: the question's own `when` is false, so its answer is ignored


class Truth(IntEnum):
    """Kleene's three values; min is "and", max is "or"."""

    FALSE = 0
    POSSIBLE = 1
    TRUE = 2


class QuestionIn(FrozenModel):
    question: str
    in_: tuple[str, ...] = Field(alias="in", min_length=1)


class AllOf(FrozenModel):
    all: tuple["Condition", ...] = Field(min_length=1, max_length=MAX_TERMS)


class AnyOf(FrozenModel):
    any: tuple["Condition", ...] = Field(min_length=1, max_length=MAX_TERMS)


class NotOf(FrozenModel):
    not_: "Condition" = Field(alias="not")


class RuleRef(FrozenModel):
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


# A union tagged by its key, so that a bad condition gets one clear error rather than one per member.
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


ValuesOf = Callable[[str], tuple[str, ...]]
RuleTruth = Callable[[str], Truth]
RuleWhen = Callable[[str], "Condition | None"]
# A compiled condition: (effective answers, truth of each question's own `when`, rule truths) -> Truth.
Compiled = Callable[[Mapping[str, str], Mapping[str, Truth], RuleTruth], Truth]


def _unknown_truth(in_: tuple[str, ...], values: tuple[str, ...]) -> Truth:
    # "I don't know" could be any value: certain only when the list covers them all (or names
    # `unknown` itself), impossible only when it names none of them; otherwise possible.
    if UNKNOWN in in_:
        return Truth.TRUE
    hits = sum(1 for v in values if v in in_)
    if hits == 0:
        return Truth.FALSE
    return Truth.TRUE if hits == len(values) else Truth.POSSIBLE


def _test(
    cond: QuestionIn, answers: Mapping[str, str], applies: Mapping[str, Truth] | None, values_of: ValuesOf
) -> Truth:
    answer = answers.get(cond.question, UNKNOWN)
    if answer == NOT_ASKED:
        return Truth.FALSE
    if answer == UNKNOWN:
        t = _unknown_truth(cond.in_, values_of(cond.question))
    else:
        t = Truth.TRUE if answer in cond.in_ else Truth.FALSE
    # A question whose own `when` is only possible may not concern the person at all (iCloud backup
    # with an unknown phone): what its answer says is then possible at most, never certain.
    cap = Truth.TRUE if applies is None else applies.get(cond.question, Truth.TRUE)
    return min(t, cap)


def evaluate(
    cond: Condition | None,
    answers: Mapping[str, str],
    values_of: ValuesOf,
    rule_truth: RuleTruth,
    applies: Mapping[str, Truth] | None = None,
) -> Truth:
    """Evaluate `cond` against effective answers (`unknown` and `not_asked` included).

    `applies` holds the truth of each question's own `when` (missing: true); a test on a question
    that only possibly applies is at most possible.
    """
    if cond is None or cond == "always":
        return Truth.TRUE
    if isinstance(cond, QuestionIn):
        return _test(cond, answers, applies, values_of)
    if isinstance(cond, AllOf):
        return min(evaluate(c, answers, values_of, rule_truth, applies) for c in cond.all)
    if isinstance(cond, AnyOf):
        return max(evaluate(c, answers, values_of, rule_truth, applies) for c in cond.any)
    if isinstance(cond, NotOf):
        return Truth(2 - evaluate(cond.not_, answers, values_of, rule_truth, applies))
    assert isinstance(cond, RuleRef)  # noqa: S101 - the union is closed
    return rule_truth(cond.rule)


def _always(answers: Mapping[str, str], applies: Mapping[str, Truth], rule_truth: RuleTruth) -> Truth:
    return Truth.TRUE


def compile_condition(cond: Condition | None, values_of: ValuesOf) -> Compiled:
    """`cond` as a function, equal to `evaluate` but without re-reading the tree on every call.

    The engine evaluates every rule for every what-if; compiling once per pack keeps one
    evaluation plus all what-ifs well under a millisecond.
    """
    if cond is None or cond == "always":
        return _always
    if isinstance(cond, QuestionIn):
        question, members = cond.question, frozenset(cond.in_)
        when_unknown = _unknown_truth(cond.in_, values_of(cond.question))
        true, false = Truth.TRUE, Truth.FALSE

        def test(answers: Mapping[str, str], applies: Mapping[str, Truth], rule_truth: RuleTruth) -> Truth:
            answer = answers.get(question, UNKNOWN)
            if answer == NOT_ASKED:
                return false
            t = when_unknown if answer == UNKNOWN else (true if answer in members else false)
            cap = applies.get(question, true)
            return t if t <= cap else cap

        return test
    if isinstance(cond, AllOf):
        parts = tuple(compile_condition(c, values_of) for c in cond.all)

        def all_of(answers: Mapping[str, str], applies: Mapping[str, Truth], rule_truth: RuleTruth) -> Truth:
            result = Truth.TRUE
            for part in parts:
                t = part(answers, applies, rule_truth)
                if t is Truth.FALSE:
                    return t
                result = min(result, t)
            return result

        return all_of
    if isinstance(cond, AnyOf):
        parts = tuple(compile_condition(c, values_of) for c in cond.any)

        def any_of(answers: Mapping[str, str], applies: Mapping[str, Truth], rule_truth: RuleTruth) -> Truth:
            result = Truth.FALSE
            for part in parts:
                t = part(answers, applies, rule_truth)
                if t is Truth.TRUE:
                    return t
                result = max(result, t)
            return result

        return any_of
    if isinstance(cond, NotOf):
        inner = compile_condition(cond.not_, values_of)

        def not_of(answers: Mapping[str, str], applies: Mapping[str, Truth], rule_truth: RuleTruth) -> Truth:
            return Truth(2 - inner(answers, applies, rule_truth))

        return not_of
    assert isinstance(cond, RuleRef)  # noqa: S101 - the union is closed
    rule = cond.rule

    def rule_ref(answers: Mapping[str, str], applies: Mapping[str, Truth], rule_truth: RuleTruth) -> Truth:
        return rule_truth(rule)

    return rule_ref


def explain(
    cond: Condition | None,
    answers: Mapping[str, str],
    values_of: ValuesOf,
    rule_truth: RuleTruth,
    *,
    rule_when: RuleWhen,
    applies: Mapping[str, Truth] | None = None,
) -> list[str]:
    """The questions whose answers make `cond` hold (or possibly hold), in first-seen order.

    For `any`, only the branches that hold count (a backup finding names the backup that is on,
    not both); for `all`, every branch; for `not`, every question inside it (each answer keeps the
    inner condition false). Rule references are followed. Empty when `cond` is false or `always`.
    """
    out: list[str] = []

    # Quoted: nested defs run per call, and `Condition | None` built at run time is slow typing work.
    def truth(c: "Condition | None") -> Truth:
        return evaluate(c, answers, values_of, rule_truth, applies)

    def visit(c: "Condition | None", seen_rules: frozenset[str]) -> None:
        if c is None or isinstance(c, str):
            return
        t = truth(c)
        if t is Truth.FALSE:
            return
        if isinstance(c, QuestionIn):
            if c.question not in out:
                out.append(c.question)
        elif isinstance(c, AllOf):
            for part in c.all:
                visit(part, seen_rules)
        elif isinstance(c, AnyOf):
            for part in c.any:
                if truth(part) is t:
                    visit(part, seen_rules)
        elif isinstance(c, NotOf):
            for question in questions_in(c.not_, rule_when):
                if question not in out:
                    out.append(question)
        elif c.rule not in seen_rules:
            visit(rule_when(c.rule), seen_rules | {c.rule})

    visit(cond, frozenset())
    return out


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


def questions_in(cond: Condition | None, rule_when: RuleWhen) -> list[str]:
    """Every question `cond` tests, following rule references (each rule once), in first-seen order."""
    out: list[str] = []
    seen_rules: set[str] = set()

    def visit(c: "Condition | None") -> None:  # quoted: see explain
        for atom in walk(c):
            if isinstance(atom, QuestionIn):
                if atom.question not in out:
                    out.append(atom.question)
            elif atom.rule not in seen_rules:
                seen_rules.add(atom.rule)
                visit(rule_when(atom.rule))

    visit(cond)
    return out


def describe(cond: Condition | None) -> str:
    """`cond` in compact words with ids, for messages: "accounts_center is linked or unknown"."""
    if cond is None or isinstance(cond, str):
        return _("always")
    if isinstance(cond, QuestionIn):
        # Translators: "region is eea or uk": ids, which stay as they are.
        return _("{question} is {values}").format(question=cond.question, values=_(" or ").join(cond.in_))
    if isinstance(cond, RuleRef):
        return _("rule {rule} fires").format(rule=cond.rule)
    if isinstance(cond, NotOf):
        return _("not ({condition})").format(condition=describe(cond.not_))
    parts, joiner = (cond.all, _(" and ")) if isinstance(cond, AllOf) else (cond.any, _(" or "))

    return joiner.join(f"({describe(c)})" if needs_brackets(c) else describe(c) for c in parts)


def needs_brackets(cond: Condition) -> bool:
    """Whether `cond` in words needs brackets inside an all/any ("A is x or y and B is z" is ambiguous)."""
    return isinstance(cond, AllOf | AnyOf) or (isinstance(cond, QuestionIn) and len(cond.in_) > 1)

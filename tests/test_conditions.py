"""The condition language: Kleene's three values, `unknown`, questions not asked, compiled = interpreted."""

from __future__ import annotations

import itertools

import pytest
from pydantic import TypeAdapter

from audit.model.conditions import (
    NOT_ASKED,
    UNKNOWN,
    AllOf,
    Condition,
    Truth,
    compile_condition,
    describe,
    evaluate,
    explain,
    questions_in,
)

T, P, F = Truth.TRUE, Truth.POSSIBLE, Truth.FALSE
VALUES = {"colour": ("red", "green", "blue"), "size": ("small", "large")}
RULES: dict[str, object] = {"R1": {"question": "colour", "in": ["red"]}}
ADAPTER: TypeAdapter[Condition] = TypeAdapter(Condition)


def cond(raw: object) -> Condition:
    return ADAPTER.validate_python(raw)


def values_of(question: str) -> tuple[str, ...]:
    return VALUES[question]


def rule_when(rule_id: str) -> Condition | None:
    return cond(RULES[rule_id])


def truth(raw: object, answers: dict[str, str], applies: dict[str, Truth] | None = None) -> Truth:
    c = cond(raw)

    def rule_truth(rule_id: str) -> Truth:
        return evaluate(rule_when(rule_id), answers, values_of, rule_truth, applies)

    interpreted = evaluate(c, answers, values_of, rule_truth, applies)
    compiled = compile_condition(c, values_of)(answers, applies or {}, rule_truth)
    assert compiled is interpreted, "the compiled condition must agree with the interpreter"
    return interpreted


@pytest.mark.parametrize(
    ("answer", "in_", "expected"),
    [
        ("red", ["red"], T),
        ("green", ["red"], F),
        (UNKNOWN, ["red"], P),  # it could be red
        (UNKNOWN, ["red", "green"], P),
        (UNKNOWN, ["red", "green", "blue"], T),  # whatever it is, it is one of these
        (UNKNOWN, [UNKNOWN], T),
        ("red", [UNKNOWN], F),
        (NOT_ASKED, ["red"], F),
        (NOT_ASKED, ["red", "green", "blue"], F),  # not asked: no test on it holds
        (NOT_ASKED, [UNKNOWN], F),
    ],
)
def test_question_test(answer: str, in_: list[str], expected: Truth) -> None:
    assert truth({"question": "colour", "in": in_}, {"colour": answer}) is expected


def test_missing_answer_counts_as_unknown() -> None:
    assert truth({"question": "colour", "in": ["red"]}, {}) is P


@pytest.mark.parametrize(("a", "b"), list(itertools.product([T, P, F], repeat=2)))
def test_all_any_not_follow_kleene(a: Truth, b: Truth) -> None:
    # Build answers that give each side the wanted truth: red -> T, unknown -> P, green -> F.
    answer = {T: "red", P: UNKNOWN, F: "green"}
    answers = {"colour": answer[a], "size": {T: "small", P: UNKNOWN, F: "large"}[b]}
    left = {"question": "colour", "in": ["red"]}
    right = {"question": "size", "in": ["small"]}
    assert truth({"all": [left, right]}, answers) is min(a, b)
    assert truth({"any": [left, right]}, answers) is max(a, b)
    assert truth({"not": left}, answers) is {T: F, P: P, F: T}[a]


def test_always_and_none_are_true() -> None:
    assert truth("always", {}) is T
    assert evaluate(None, {}, values_of, lambda r: F) is T


def test_rule_reference_uses_the_rule_truth() -> None:
    assert truth({"rule": "R1"}, {"colour": "red"}) is T
    assert truth({"rule": "R1"}, {"colour": "blue"}) is F
    assert truth({"not": {"rule": "R1"}}, {"colour": UNKNOWN}) is P


@pytest.mark.parametrize(
    ("applies", "answer", "expected"),
    [
        (T, "red", T),
        (P, "red", P),  # the question may not concern the person: at most possible
        (P, "green", F),
        (P, UNKNOWN, P),
        (T, UNKNOWN, P),
    ],
)
def test_a_question_that_only_possibly_applies_caps_its_tests(
    applies: Truth, answer: str, expected: Truth
) -> None:
    assert truth({"question": "colour", "in": ["red"]}, {"colour": answer}, {"colour": applies}) is expected


def test_unknown_is_monotone_over_every_small_condition() -> None:
    # Replacing an answer by unknown may only move a condition towards "possible".
    shapes = [
        {"all": [{"question": "colour", "in": ["red"]}, {"question": "size", "in": ["small"]}]},
        {
            "any": [
                {"question": "colour", "in": ["red", "blue"]},
                {"not": {"question": "size", "in": ["large"]}},
            ]
        },
        {"not": {"all": [{"question": "colour", "in": ["green"]}, {"rule": "R1"}]}},
    ]
    for shape in shapes:
        for colour, size in itertools.product([*VALUES["colour"], UNKNOWN], [*VALUES["size"], UNKNOWN]):
            before = truth(shape, {"colour": colour, "size": size})
            for question in ("colour", "size"):
                after = truth(shape, {"colour": colour, "size": size, question: UNKNOWN})
                assert after is before or after is P, (shape, colour, size, question)


def test_explain_names_the_answers_that_cause_the_result() -> None:
    c = cond({"any": [{"question": "colour", "in": ["red"]}, {"question": "size", "in": ["small"]}]})

    def run(answers: dict[str, str]) -> list[str]:
        def rule_truth(rule_id: str) -> Truth:
            return evaluate(rule_when(rule_id), answers, values_of, rule_truth)

        return explain(c, answers, values_of, rule_truth, rule_when=rule_when)

    assert run({"colour": "red", "size": "large"}) == ["colour"]  # only the branch that holds
    assert run({"colour": "red", "size": "small"}) == ["colour", "size"]
    assert run({"colour": "green", "size": UNKNOWN}) == ["size"]  # the possible branch
    assert run({"colour": "green", "size": "large"}) == []
    # One branch holds, the other only possibly: the answer that holds is the cause, not the "I
    # don't know" beside it (a pack given with --rules may have such an `any`).
    assert run({"colour": "red", "size": UNKNOWN}) == ["colour"]
    assert run({"colour": UNKNOWN, "size": "small"}) == ["size"]
    assert run({"colour": UNKNOWN, "size": UNKNOWN}) == ["colour", "size"]  # both only possibly


def test_explain_follows_rules_and_negations() -> None:
    answers = {"colour": "green", "size": "large"}
    c = cond({"all": [{"not": {"rule": "R1"}}, {"question": "size", "in": ["large"]}]})

    def rule_truth(rule_id: str) -> Truth:
        return evaluate(rule_when(rule_id), answers, values_of, rule_truth)

    assert explain(c, answers, values_of, rule_truth, rule_when=rule_when) == ["colour", "size"]


def test_questions_in_follows_rules_once() -> None:
    c = cond({"all": [{"rule": "R1"}, {"question": "size", "in": ["small"]}, {"rule": "R1"}]})
    assert questions_in(c, rule_when) == ["colour", "size"]
    negated = cond({"all": [{"not": {"question": "size", "in": ["small"]}}, {"not": {"rule": "R1"}}]})
    assert questions_in(negated, rule_when) == ["size", "colour"]


def test_describe_is_compact_and_bracketed() -> None:
    c = cond(
        {
            "all": [
                {"question": "colour", "in": ["red", "blue"]},
                {"any": [{"question": "size", "in": ["small"]}, {"rule": "R1"}]},
            ]
        }
    )
    assert describe(c) == "(colour is red or blue) and (size is small or rule R1 fires)"
    assert describe(None) == "always"
    assert describe(cond({"not": {"any": [{"rule": "R1"}, {"question": "size", "in": ["large"]}]}})) == (
        "not (rule R1 fires or size is large)"
    )


@pytest.mark.parametrize(
    "raw",
    [{"question": "colour"}, {"nothing": 1}, "sometimes", {"all": []}, {"question": "colour", "in": []}],
)
def test_malformed_conditions_are_refused(raw: object) -> None:
    with pytest.raises(ValueError, match="validation error"):
        cond(raw)


# --- Mutation testing (issue 18): what the tests above left open --------------------------------
def test_built_conditions_validate_as_themselves() -> None:
    # Code that builds a condition from parts (not from YAML) passes model instances, not mappings:
    # the union must tell each kind by its fields and keep it as it is.
    built = [
        cond({"question": "colour", "in": ["red"]}),
        cond({"all": [{"question": "colour", "in": ["red"]}, {"rule": "R1"}]}),
        cond({"any": [{"question": "size", "in": ["small"]}, {"not": {"rule": "R1"}}]}),
        cond({"not": {"question": "size", "in": ["large"]}}),
        cond({"rule": "R1"}),
    ]
    for c in built:
        again = ADAPTER.validate_python(c)
        assert type(again) is type(c)
        assert again == c
        assert describe(again) == describe(c)


@pytest.mark.parametrize("raw", [{"nothing": 1}, "sometimes", {"in": ["red"]}, ["always"]])
def test_a_condition_of_no_known_kind_gets_the_one_line_that_lists_the_kinds(raw: object) -> None:
    kinds = "a condition is 'always' or a mapping with one of: question[+]in, all, any, not, rule"
    with pytest.raises(ValueError, match=kinds) as info:
        cond(raw)
    assert "1 validation error" in str(info.value)


def test_a_cap_applies_only_to_its_own_question() -> None:
    # `applies` names the questions whose own `when` is not certain; the others are not capped.
    assert truth({"question": "colour", "in": ["red"]}, {"colour": "red"}, {"size": P}) is T
    assert truth({"question": "colour", "in": ["red"]}, {"colour": "red"}, {"size": F}) is T
    assert truth({"question": "colour", "in": ["red"]}, {"colour": "red"}, {"colour": F}) is F


def test_explain_follows_a_rule_it_meets_outside_a_negation() -> None:
    c = cond({"all": [{"rule": "R1"}, {"question": "size", "in": ["small", "large"]}]})

    def run(answers: dict[str, str]) -> list[str]:
        def rule_truth(rule_id: str) -> Truth:
            return evaluate(rule_when(rule_id), answers, values_of, rule_truth)

        return explain(c, answers, values_of, rule_truth, rule_when=rule_when)

    assert run({"colour": "red", "size": "small"}) == ["colour", "size"]
    assert run({"colour": UNKNOWN, "size": "large"}) == ["colour", "size"]
    assert run({"colour": "blue", "size": "small"}) == []  # the rule does not hold: nothing to name


def test_rules_referring_to_each_other_are_followed_once() -> None:
    # `rules check` refuses such packs, but the functions it calls on them must still end.
    loop: dict[str, Condition] = {
        "A": cond({"any": [{"question": "colour", "in": ["red"]}, {"rule": "B"}]}),
        "B": cond({"all": [{"question": "size", "in": ["small"]}, {"rule": "A"}]}),
    }
    start = cond({"rule": "A"})
    assert questions_in(start, loop.get) == ["colour", "size"]
    answers = {"colour": "red", "size": "small"}
    assert explain(start, answers, values_of, lambda r: T, rule_when=loop.get) == ["colour", "size"]


def test_explain_caps_a_question_that_only_possibly_applies() -> None:
    # Red holds, but the colour question may not concern the person: that branch is only possible,
    # like the unknown size beside it, so both are named (uncapped, red alone would be "the cause").
    c = cond({"any": [{"question": "colour", "in": ["red"]}, {"question": "size", "in": ["small"]}]})
    answers = {"colour": "red", "size": UNKNOWN}

    def rule_truth(rule_id: str) -> Truth:
        return evaluate(rule_when(rule_id), answers, values_of, rule_truth)

    def run(applies: dict[str, Truth]) -> list[str]:
        return explain(c, answers, values_of, rule_truth, rule_when=rule_when, applies=applies)

    assert run({}) == ["colour"]
    assert run({"colour": P}) == ["colour", "size"]
    assert run({"colour": F}) == ["size"]


@pytest.mark.parametrize(("cap", "expected"), [(T, T), (P, P), (F, F)])
def test_a_cap_reaches_a_question_inside_all_any_and_not(cap: Truth, expected: Truth) -> None:
    red = {"question": "colour", "in": ["red"]}
    always = {"question": "size", "in": ["small", "large"]}
    applies = {"colour": cap}
    answers = {"colour": "red", "size": "small"}
    assert truth({"all": [always, red]}, answers, applies) is expected
    assert truth({"any": [red, {"not": always}]}, answers, applies) is expected
    assert truth({"not": {"not": red}}, answers, applies) is expected


def test_explain_names_nothing_for_always_and_follows_rules_inside_any() -> None:
    answers = {"colour": "red", "size": "large"}

    def rule_truth(rule_id: str) -> Truth:
        return evaluate(rule_when(rule_id), answers, values_of, rule_truth)

    for c in (None, cond("always"), cond({"all": ["always", {"question": "size", "in": ["large"]}]})):
        named = explain(c, answers, values_of, rule_truth, rule_when=rule_when)
        assert named == ([] if not isinstance(c, AllOf) else ["size"])
    # An `any` reached past a false branch still asks the rule it names.
    small_or_r1 = {"any": [{"question": "size", "in": ["small"]}, {"rule": "R1"}]}
    assert truth(small_or_r1, answers) is T
    assert truth(small_or_r1, {"colour": "blue", "size": "large"}) is F

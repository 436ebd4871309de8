"""The pack checks that need evaluation: what can be asked, what can apply; what can still matter.

They evaluate conditions with `conditions.evaluate`, the function the engine evaluates them with,
over every combination of answers that matters.
"""

import itertools
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from pydantic import BaseModel

from audit.load.yamlio import Located
from audit.model.conditions import (
    NOT_ASKED,
    UNKNOWN,
    Condition,
    QuestionIn,
    Truth,
    describe,
    questions_in,
    walk,
)
from audit.model.conditions import evaluate as evaluate_condition
from audit.model.pack import Pack, Problem
from audit.model.platform import PLATFORM

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

    def __init__(self, pack: Pack, docs: dict[str, Located]) -> None:
        self.pack = pack
        self.docs = docs
        self.problems: list[Problem] = []
        self.position = {q.id: i for i, q in enumerate(self.pack.questions)}

    def add(self, file: str, loc: tuple[str | int, ...], message: str) -> None:
        self.problems.append(Problem(self.docs[file].where(loc), message))

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

    def outcomes(
        self, cond: Condition | None, known: Mapping[str, str] | None = None
    ) -> list[_Outcome] | None:
        """`cond` over every combination of answers to what it reads; `known` answers stay as given."""
        questions = [self.pack.question_by_id[q] for q in self.reads(cond)]
        known = known or {}
        domains = [
            (known[q.id],) if q.id in known else (*q.value_ids, *((UNKNOWN,) if q.allow_unknown else ()))
            for q in questions
        ]
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
                    # Only the pack checks ask (`known` is given by the interview and the report).
                    truth_if_all_asked=self.truth(cond, raw, None) if not known else Truth.FALSE,
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
                self.add(
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
                self.problems.append(
                    Problem(
                        self.docs["questions.yaml"].where(("questions", i, "id")),
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
                self.add(
                    file,
                    loc,
                    f"{what} can never apply: it needs an answer to '{culprit}', which is only asked "
                    f"when {describe(self.pack.question_by_id[culprit].when)}, and its own condition "
                    "rules that out",
                )
            else:
                self.add(
                    file,
                    loc,
                    f"{what} can never apply: its condition ({describe(cond)}) is false for every answer",
                )
            return
        for q in conditional:
            if all(o.applies[q] is Truth.FALSE for o in holds):
                self.add(
                    file,
                    loc,
                    f"{what} tests '{q}', but '{q}' is never asked when it applies (only when "
                    f"{describe(self.pack.question_by_id[q].when)}); fix the condition",
                )


def conditions_of(pack: Pack) -> dict[str, tuple[Condition, ...]]:
    """Every condition in the pack, by the questions it reads.

    Any `when`: of rules, findings, protections and their exceptions, rights, citations, questions
    and values; a condition reads a question directly, through a rule or through the `when` of a
    question it reads.
    """
    reach = _Reachability(pack, {})
    found: dict[str, list[Condition]] = {q.id: [] for q in pack.questions}
    for cond in _whens(pack):
        for question in reach.reads(cond):
            found[question].append(cond)
    return {q: tuple(conds) for q, conds in found.items()}


def _whens(model: object) -> Iterator[Condition]:
    if isinstance(model, BaseModel):
        for name in type(model).model_fields:
            value = getattr(model, name)
            if name == "when":
                if value is not None and value != "always":
                    yield value
            else:
                yield from _whens(value)
    elif isinstance(model, tuple | list):
        for item in model:
            yield from _whens(item)
    elif isinstance(model, dict):
        for item in model.values():
            yield from _whens(item)


def can_matter(
    pack: Pack, question: str, known: Mapping[str, str], conditions: Mapping[str, tuple[Condition, ...]]
) -> bool:
    """Whether some answer to `question` could change anything the report says, given `known`.

    `conditions` is `conditions_of(pack)`. Each condition that reads the question is evaluated for
    every answer to it ("I don't know" included) over every combination of the answers not known
    yet; if none ever comes out differently for two answers, no finding, flow, protection, right,
    citation or later question depends on it, so its answer changes nothing (the location question
    for someone in India: only the European and UK policies name a location provider). A value that
    settles other questions (Strict account settings) always matters, as does the phone (it picks
    the words of every menu path) and a condition too big to enumerate.
    """
    target = pack.question_by_id[question]
    if question == PLATFORM or any(v.implies for v in target.values):
        return True
    reach = _Reachability(pack, {})
    fixed = {q: a for q, a in known.items() if q != question}
    for cond in conditions.get(question, ()):
        outcomes = reach.outcomes(cond, fixed)
        if outcomes is None:
            return True
        seen: dict[tuple[tuple[str, str], ...], Truth] = {}
        for o in outcomes:
            rest = tuple((q, a) for q, a in o.raw.items() if q != question)
            if seen.setdefault(rest, o.truth) is not o.truth:
                return True
    return False


def _no_rule(rule_id: str) -> Truth:
    raise ValueError(rule_id)  # questions may not test rules; checked before reachability


def reachability_problems(pack: Pack, docs: dict[str, Located]) -> list[Problem]:
    """The reachability problems of a pack whose references all hold, in file order."""
    reachability = _Reachability(pack, docs)
    reachability.run()
    return reachability.problems

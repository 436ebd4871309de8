"""The cross-reference checks of a schema-valid pack (`rules check`), each located as `file:line`.

References between files, unique ids, cited sources, loops between rules; then, when all of those
hold, the checks that evaluate conditions (`pack_reach`).
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from audit.load.reach import reachability_problems
from audit.load.yamlio import Located
from audit.model.conditions import UNKNOWN, AllOf, AnyOf, Condition, QuestionIn, RuleRef, walk
from audit.model.pack import Citation, Dispute, Pack, Problem, Question, did_you_mean
from audit.model.severity import CERTAINTIES


@dataclass(frozen=True)
class LoadedPack:
    """A pack with the parsed documents, so checks can point at lines."""

    pack: Pack
    docs: dict[str, Located]


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
        for c in CERTAINTIES:  # `disputed` needs a weight only where something is disputed
            if c not in voc.certainty_weights and (c != "disputed" or c in used):
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
            self.problems.extend(reachability_problems(self.pack, self.docs))
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
            for j, variant in enumerate(q.help_if):
                self.condition("questions.yaml", (*loc, "help_if", j), variant.when, asked_before=asked)
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


def check_pack(loaded: LoadedPack) -> list[Problem]:
    """Every cross-reference problem of a schema-valid pack, in file order."""
    return _Checker(loaded).run()

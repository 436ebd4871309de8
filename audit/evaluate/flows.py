"""Which data flows to whom for one person, for which purposes, how sure, and what each cites.

Also the helpers the engine shares with it: a condition's truth for the person, the citations
that apply to their region, and a memo kept per compiled pack.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import partial
from typing import TypeVar

from audit import lang
from audit.evaluate.compiled import CompiledPack, CompiledRule
from audit.evaluate.scoring import State, flowing
from audit.model.assessment import Flow, OfficialText, PurposeOut, SourceRef
from audit.model.conditions import Condition, Truth
from audit.model.conditions import evaluate as evaluate_condition
from audit.model.pack import Citation, Pack
from audit.model.severity import CERTAINTY_RANK, Certainty

T = TypeVar("T")


def memo(compiled: CompiledPack, key: tuple[object, ...], make: Callable[[], T]) -> T:
    # The language is in every key: what is made holds a quote's words in it (Source.editions).
    key = (lang.current(), *key)
    if key not in compiled.memo:
        compiled.memo[key] = make()
    value: T = compiled.memo[key]
    return value


def shown_citations(
    citations: tuple[Citation, ...], truth: Callable[[Condition | None], Truth]
) -> tuple[int, ...]:
    """The citations that apply to the person (their `when` is not false), by index."""
    return tuple(i for i, c in enumerate(citations) if c.when is None or truth(c.when) is not Truth.FALSE)


def cited(
    pack: Pack,
    compiled: CompiledPack,
    key: object,
    citations: tuple[Citation, ...],
    truth: Callable[[Condition | None], Truth],
) -> tuple[SourceRef, ...]:
    shown = shown_citations(citations, truth)
    cited = tuple(citations[i] for i in shown)
    return memo(compiled, ("cited", key, shown), lambda: source_refs(pack, cited))


def source_refs(pack: Pack, citations: tuple[Citation, ...]) -> tuple[SourceRef, ...]:
    """The sources `citations` name, each with the quote taken from it, in citation order.

    Where the source publishes the person's language, the quote comes with its words there too.
    """
    speaking = lang.current()
    out = []
    for c in citations:
        s = pack.source_by_id[c.id]
        edition = next((e for e in s.editions if e.lang == speaking), None)
        passage = edition.passages.get(c.quote) if edition is not None and c.quote else None
        out.append(
            SourceRef(
                id=s.id,
                title=s.title,
                url=s.url,
                date=s.date,
                quote=c.quote,
                publisher=s.publisher,
                kind=s.kind,
                undated=s.undated,
                checked=s.checked,
                capture=pack.checked_capture(s),
                quote_lang=s.lang,
                official=None
                if edition is None or passage is None
                else OfficialText(lang=edition.lang, title=edition.title, url=edition.url, quote=passage),
            )
        )
    return tuple(out)


def rule_sort_key(rule_id: str) -> tuple[str, int, str]:
    # F2 before F10: compare the letters, then the number, then any suffix (F15a).
    m = re.match(r"([A-Za-z]*)(\d*)(.*)", rule_id)
    assert m is not None  # noqa: S101 - the pattern matches every string
    return (m.group(1), int(m.group(2) or 0), m.group(3))


def truth_for(pack: Pack, compiled: CompiledPack, state: State) -> Callable[[Condition | None], Truth]:
    """Evaluates a citation's or exception's condition for this person (three values)."""

    def values_of(question: str) -> tuple[str, ...]:
        return pack.question_by_id[question].value_ids

    def rule_truth(rule_id: str) -> Truth:
        return state.truths[compiled.rule_pos[rule_id]]

    def truth(cond: Condition | None) -> Truth:
        return evaluate_condition(cond, state.answers, values_of, rule_truth, state.applies)

    return truth


def _flow(
    pack: Pack,
    compiled: CompiledPack,
    p: int,
    sending: tuple[tuple[int, Truth], ...],
    shown: tuple[tuple[int, ...], ...],
) -> Flow:
    """The flow of pair `p`; `shown[k]` are the citations of the k-th sending rule that apply."""
    purpose_order = {x.id: i for i, x in enumerate(pack.vocabulary.purposes)}

    def in_order(ids: set[str]) -> tuple[str, ...]:
        return tuple(sorted(ids, key=purpose_order.__getitem__))

    rules = [compiled.rules[i] for i, _ in sending]
    certainties: list[Certainty] = [
        r.certainty if t is Truth.TRUE else "possible" for r, (_, t) in zip(rules, sending, strict=True)
    ]
    purposes = set().union(*(r.purposes[p] for r in rules))
    settled = set().union(*(r.purposes[p] for r in rules if r.certainty != "disputed"))
    data, recipient = compiled.pairs[p]
    return Flow(
        data=data,
        recipient=recipient,
        purposes=in_order(purposes),
        certainty=max(certainties, key=CERTAINTY_RANK.__getitem__),
        rules=tuple(sorted((r.id for r in rules), key=rule_sort_key)),
        disputed_purposes=in_order(purposes - settled),
        by_purpose=tuple(
            _purpose(pack, purpose, rules=rules, certainties=certainties, shown=shown, p=p)
            for purpose in in_order(purposes)
        ),
    )


def _purpose(
    pack: Pack,
    purpose: str,
    *,
    rules: Sequence[CompiledRule],
    certainties: Sequence[Certainty],
    shown: tuple[tuple[int, ...], ...],
    p: int,
) -> PurposeOut:
    """A purpose is as sure as the surest rule giving it, and cites what those rules cite."""
    giving = [k for k, r in enumerate(rules) if purpose in r.purposes[p]]
    citations: list[Citation] = []
    for k in sorted(giving, key=lambda k: rule_sort_key(rules[k].id)):
        cited = pack.rule_by_id[rules[k].id].sources
        citations.extend(cited[i] for i in shown[k] if cited[i] not in citations)
    return PurposeOut(
        purpose=purpose,
        certainty=max((certainties[k] for k in giving), key=CERTAINTY_RANK.__getitem__),
        rules=tuple(sorted((rules[k].id for k in giving), key=rule_sort_key)),
        sources=source_refs(pack, tuple(citations)),
    )


def flows_of(pack: Pack, compiled: CompiledPack, state: State) -> tuple[Flow, ...]:
    truth = truth_for(pack, compiled, state)
    flows = []
    for p in flowing(compiled, state):
        sending = tuple(
            (i, state.truths[i]) for i in compiled.pair_rules[p] if state.truths[i] is not Truth.FALSE
        )
        # The citations each sending rule shows this person (the policy of their region).
        shown = tuple(
            shown_citations(pack.rule_by_id[compiled.rules[i].id].sources, truth) for i, _ in sending
        )
        # A pair is sent by a handful of rules, so the distinct keys stay few: the memo stays small.
        flows.append(
            memo(compiled, ("flow", p, sending, shown), partial(_flow, pack, compiled, p, sending, shown))
        )
    return tuple(flows)

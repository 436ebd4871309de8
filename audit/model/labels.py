"""The pack's ids, a person's answers and conditions in people's words; pack text made safe to show.

Pack text is untrusted (a pack given with --rules may be anyone's): `clean` drops control
characters here, and each renderer escapes for its own medium.
"""

import re
from collections.abc import Mapping, Sequence

from audit.lang import N_, _
from audit.model.conditions import (
    NOT_ASKED,
    UNKNOWN,
    AllOf,
    Condition,
    NotOf,
    QuestionIn,
    RuleRef,
    needs_brackets,
)
from audit.model.pack import Pack

# C0 and C1 control characters except newline: an untrusted pack must not move a terminal's
# cursor, clear the screen or smuggle escape sequences into a "plain" report.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """Pack text without control characters (tabs become spaces)."""
    return _CONTROL.sub(lambda m: " " if m.group() == "\t" else "", text)


def clean_line(text: str) -> str:
    """Pack text cleaned, on one line (white space runs become a space): where a break would not fit."""
    return " ".join(clean(text).split())


# A report's data, recipients and purposes are its pack's own (load_pack refused any other);
# questions and answers may come from an older run's model, so those fall back to the id.
def data_label(pack: Pack, data_id: str) -> str:
    return clean_line(pack.data_by_id[data_id].label)


def recipient_label(pack: Pack, recipient_id: str) -> str:
    return clean_line(pack.recipient_by_id[recipient_id].label)


def purpose_label(pack: Pack, purpose_id: str) -> str:
    return clean_line(pack.purpose_by_id[purpose_id].label)


def question_label(pack: Pack, question_id: str) -> str:
    q = pack.question_by_id.get(question_id)
    return clean_line(q.prompt) if q else question_id


# Translators: the answer shown for a question a quick check did not ask (not "I don't know").
NOT_CHECKED = N_("not checked")  # a quick run's unasked question: not the same as "I don't know"


def answer_label(pack: Pack, question_id: str, value: str) -> str:
    if value == UNKNOWN:
        # Translators: the answer offered with every question when the person cannot tell.
        return _("I don't know")
    if value == NOT_ASKED:
        return _(NOT_CHECKED)
    q = pack.question_by_id.get(question_id)
    v = q.value(value) if q else None
    return clean_line(v.label) if v else value


def _quoted_answers(pack: Pack, question_id: str, values: Sequence[str]) -> list[str]:
    # Labels may hold "or" themselves ("Norway or Switzerland"): in a list, each one is quoted.
    # Translators: an answer quoted in a list; use your language's quotation marks.
    return [_("\u201c{answer}\u201d").format(answer=answer_label(pack, question_id, v)) for v in values]


# Translators: when a rule applies: in every case, whatever the person answers.
ALWAYS = N_("always, whatever you answer")


def condition_words(pack: Pack, cond: Condition | None) -> str:
    """A condition in words: "Is your WhatsApp account added to Accounts Center? = Yes, it is added"."""
    if cond is None or isinstance(cond, str):
        return _(ALWAYS)
    if isinstance(cond, QuestionIn):
        prompt = question_label(pack, cond.question)
        if len(cond.in_) == 1:
            return f"{prompt} = {answer_label(pack, cond.question, cond.in_[0])}"
        # Translators: {question} = one of “a”, “b”: the answers under which a rule applies.
        return _("{question} = one of {answers}").format(
            question=prompt, answers=", ".join(_quoted_answers(pack, cond.question, cond.in_))
        )
    if isinstance(cond, RuleRef):
        # load_pack refused a pack whose conditions name a rule or question it does not have.
        # Translators: {rule} is a rule's id (F1), {title} its title.
        return _("rule {rule} applies (\u201c{title}\u201d)").format(
            rule=cond.rule, title=clean_line(pack.rule_by_id[cond.rule].title)
        )
    if isinstance(cond, NotOf):
        # Translators: the opposite of a condition, "not (A and B)".
        return _("not ({condition})").format(condition=condition_words(pack, cond.not_))
    # Translators: " and " and " or " join conditions ("A and B", "A or B"); keep the spaces.
    parts, joiner = (cond.all, _(" and ")) if isinstance(cond, AllOf) else (cond.any, _(" or "))
    return joiner.join(
        f"({condition_words(pack, c)})" if needs_brackets(c) else condition_words(pack, c) for c in parts
    )


def answers_condition_words(pack: Pack, answers: Mapping[str, Sequence[str]]) -> str:
    """The answers under which a possible finding holds, as a sentence ("If the answer to ..."); or ""."""
    parts = []
    for q, values in answers.items():
        *others, last = _quoted_answers(pack, q, values)
        # Translators: the last of several answers, “a”, “b” or “c”.
        either = _("{answers} or {last}").format(answers=", ".join(others), last=last) if others else last
        # Translators: one part of "If the answer to “question” is “answer” and ...".
        part = _("the answer to \u201c{question}\u201d is {answers}")
        parts.append(part.format(question=question_label(pack, q), answers=either))
    # Translators: the condition of a possible finding: {conditions} are the parts above, joined by
    # " and " (translated as above).
    return _("If {conditions}").format(conditions=_(" and ").join(parts)) if parts else ""

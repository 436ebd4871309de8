"""The pack's ids and a person's answers in people's words, and pack text made safe to show.

Pack text is untrusted (a pack given with --rules may be anyone's): `clean` drops control
characters here, and each renderer escapes for its own medium.
"""

import re

from audit.model.conditions import NOT_ASKED, UNKNOWN
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


NOT_CHECKED = "not checked"  # a quick run's unasked question: not the same as "I don't know"


def answer_label(pack: Pack, question_id: str, value: str) -> str:
    if value == UNKNOWN:
        return "I don't know"
    if value == NOT_ASKED:
        return NOT_CHECKED
    q = pack.question_by_id.get(question_id)
    v = q.value(value) if q else None
    return clean_line(v.label) if v else value

"""Human words for ids, shared by every renderer (labels come from the pack)."""

from __future__ import annotations

from audit.conditions import UNKNOWN
from audit.pack import Pack

CERTAINTY_WORDS = {
    "documented": "documented",
    "reported": "reported",
    "possible": "possible (depends on an \u201cI don't know\u201d)",
}
SEVERITY_ORDER = ("critical", "high", "medium", "low", "info")


def data_label(pack: Pack, data_id: str) -> str:
    d = pack.data_by_id.get(data_id)
    return d.label if d else data_id


def recipient_label(pack: Pack, recipient_id: str) -> str:
    r = pack.recipient_by_id.get(recipient_id)
    return r.label if r else recipient_id


def purpose_label(pack: Pack, purpose_id: str) -> str:
    p = pack.purpose_by_id.get(purpose_id)
    return p.label if p else purpose_id


def question_label(pack: Pack, question_id: str) -> str:
    q = pack.question_by_id.get(question_id)
    return q.prompt if q else question_id


def answer_label(pack: Pack, question_id: str, value: str) -> str:
    if value == UNKNOWN:
        return "I don't know"
    q = pack.question_by_id.get(question_id)
    v = q.value(value) if q else None
    return v.label if v else value


def band_label(band: str) -> str:
    return band.replace("_", " ").capitalize()

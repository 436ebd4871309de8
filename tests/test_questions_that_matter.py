"""A question none of whose answers can change anything is not asked (issue 28).

`load.reach.can_matter` decides it from the conditions; these tests hold it to the engine: every
question skipped for a person, answered any way, leaves their report as it was.
"""

from __future__ import annotations

import pytest

from audit.collect.agenda import Agenda
from audit.collect.answers_file import read_answers
from audit.evaluate.engine import evaluate
from audit.evaluate.scoring import effective_answers
from audit.model.answers import Answers
from audit.model.conditions import NOT_ASKED, UNKNOWN
from audit.model.pack import Pack
from tests.conftest import EXAMPLES

REGIONS = ("eea", "uk", "india", "brazil", "other", UNKNOWN)


def skipped(pack: Pack, values: dict[str, str]) -> list[str]:
    """The questions that apply but go unasked, because no answer to them could matter."""
    agenda = Agenda(pack)
    effective = effective_answers(pack, values)
    return [
        q.id for q in pack.questions if effective[q.id] != NOT_ASKED and not agenda.can_matter(q, effective)
    ]


def test_the_location_question_is_not_asked_in_india(bundled_pack: Pack) -> None:
    agenda = Agenda(bundled_pack)
    location = bundled_pack.question_by_id["location_sharing"]
    for region, asked in {"india": False, "brazil": False, "other": False, "eea": True, "uk": True}.items():
        effective = effective_answers(bundled_pack, {"platform": "android", "region": region})
        assert agenda.wants(location, effective) is asked, region
    # Region unknown: the European policies may be yours, so it is asked.
    assert agenda.wants(location, effective_answers(bundled_pack, {"platform": "android"}))
    # The counter counts what will be asked.
    india = agenda.count({"platform": "android", "region": "india"})
    eea = agenda.count({"platform": "android", "region": "eea"})
    assert india < eea


def _report(pack: Pack, values: dict[str, str]) -> dict[str, object]:
    a = evaluate(pack, Answers(pack=pack.meta.id, values=values))
    return {
        "score": a.score.value,
        "findings": [(f.id, f.certainty, f.severity) for f in a.findings],
        "flows": a.model_dump(mode="json")["flows"],
        "protections": a.model_dump(mode="json")["protections"],
        "rights": a.model_dump(mode="json")["rights"],
    }


@pytest.mark.parametrize("example", sorted(p.stem for p in EXAMPLES.glob("*.yaml")))
def test_a_skipped_question_changes_nothing_whatever_its_answer(bundled_pack: Pack, example: str) -> None:
    base = dict(read_answers(bundled_pack, EXAMPLES / f"{example}.yaml").values)
    checked = []
    for region in REGIONS:
        values = {**base, "region": region}
        for question in skipped(bundled_pack, values):
            q = bundled_pack.question_by_id[question]
            answers = [*q.value_ids, *((UNKNOWN,) if q.allow_unknown else ())]
            reports = [_report(bundled_pack, {**values, question: a}) for a in answers]
            assert all(r == reports[0] for r in reports), (example, region, question)
            checked.append((region, question))
    # Outside Europe and the UK, the location question at least (the example's other answers decide the rest).
    assert {("india", "location_sharing"), ("other", "location_sharing")} <= set(checked), checked


def test_every_question_can_matter_for_someone(bundled_pack: Pack) -> None:
    # The check never skips a question for everyone: with nothing known, each can matter.
    agenda = Agenda(bundled_pack)
    effective = effective_answers(bundled_pack, {})
    assert [q.id for q in bundled_pack.questions if not agenda.can_matter(q, effective)] == []
    assert set(REGIONS) - {UNKNOWN} == set(bundled_pack.question_by_id["region"].value_ids)


def test_how_to_check_a_fact_about_you_does_not_repeat_the_question_s_help(bundled_pack: Pack) -> None:
    # "How to check" for the region and the 2016 opt-out repeated their help, seven lines of it.
    a = evaluate(bundled_pack, Answers(pack=bundled_pack.meta.id, values={"platform": "android"}))
    checks = {u.question: u.how_to_check for u in a.unknowns}
    for question in ("region", "optout_2016"):
        assert checks[question] == "Answer from what you know."
        assert checks[question] != bundled_pack.question_by_id[question].help
    assert "Settings" in checks["accounts_center"]  # a setting still says where it is

"""The best case is the lowest score of answers a person could really give, found exactly.

The report's range ("between 12 and 64") and the plan's "find out first" rest on it. The engine
searches independent groups of unknown answers (audit/evaluate/best_case.py); here every real
completion of the unknown answers is tried, so a search that misses a branch, links groups wrongly
or counts a value nobody can give shows up as a different number.
"""

from __future__ import annotations

import itertools
import random
import shutil
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.evaluate.engine import evaluate
from audit.evaluate.scoring import effective_answers, exposure, offered_values
from audit.load.read import load_pack
from audit.load.resources import default_pack_dir
from audit.model.answers import Answers
from audit.model.conditions import UNKNOWN
from audit.model.pack import Pack
from tests.conftest import edit_pack_file
from tests.test_personas import EEA_NOTHING_LINKED, ELSEWHERE_LINKED

PACK = load_pack(default_pack_dir())
PEOPLE = {"eea-nothing-linked": EEA_NOTHING_LINKED, "elsewhere-linked": ELSEWHERE_LINKED}


def lowest_real_score(pack: Pack, values: Mapping[str, str]) -> int:
    """Branch on the first question still unknown, over the values the interview would offer."""
    effective = effective_answers(pack, values)
    q = next((q for q in pack.questions if effective[q.id] == UNKNOWN), None)
    if q is None:
        return exposure(pack, values).score
    return min(lowest_real_score(pack, {**values, q.id: v.id}) for v in offered_values(pack, q, effective))


def best_case(pack: Pack, values: Mapping[str, str]) -> int:
    score = evaluate(pack, Answers(pack=pack.meta.id, values=dict(values))).score
    assert score.best_case is not None
    return score.best_case


def forgetting(base: Mapping[str, str], questions: tuple[str, ...]) -> dict[str, str]:
    return {q: v for q, v in base.items() if q not in questions}


@pytest.mark.parametrize("person", PEOPLE)
def test_one_or_two_answers_forgotten(person: str, bundled_pack: Pack) -> None:
    base = PEOPLE[person]
    ids = [q.id for q in bundled_pack.questions]
    for questions in itertools.chain(itertools.combinations(ids, 1), itertools.combinations(ids, 2)):
        values = forgetting(base, questions)
        assert best_case(bundled_pack, values) == lowest_real_score(bundled_pack, values), questions


@pytest.mark.parametrize("person", PEOPLE)
def test_three_or_four_answers_forgotten(person: str, bundled_pack: Pack) -> None:
    ids = [q.id for q in bundled_pack.questions]
    rng = random.Random(person)  # noqa: S311  # a fixed sample: the same cases every run
    for _ in range(60):
        questions = tuple(rng.sample(ids, rng.choice((3, 4))))
        values = forgetting(PEOPLE[person], questions)
        assert best_case(bundled_pack, values) == lowest_real_score(bundled_pack, values), questions


def test_an_answer_that_opens_another_question_is_judged_with_it_settled(tmp_path: Path) -> None:
    # Region unknown: Brazil without payments is less exposing than the EEA, though Brazil with
    # payments still unknown scores more than either. A descent that judged Brazil with payments
    # unknown stopped at the EEA's score. The v3 model puts Brazil under the policy for users outside
    # Europe (F1), which leaves no such answer in the bundled pack: the case is kept on a copy whose F1
    # is scoped as in v2, for someone who shares locations (WhatsApp's European and UK policies name
    # the provider that receives them, F26).
    directory = shutil.copytree(default_pack_dir(), tmp_path / "whatsapp")
    edit_pack_file(
        directory / "flows.yaml",
        "when: {question: region, in: [other, india, brazil]}\n    certainty: documented\n    flows:\n"
        "      - data: [phone_number, device_info, ip_address, usage_data]",
        "when: {question: region, in: [other, india]}\n    certainty: documented\n    flows:\n"
        "      - data: [phone_number, device_info, ip_address, usage_data]",
    )
    pack = load_pack(directory)
    values = forgetting({**EEA_NOTHING_LINKED, "location_sharing": "yes"}, ("region",))
    brazil = exposure(pack, {**values, "region": "brazil", "payments": "none"}).score
    assert brazil < exposure(pack, {**values, "region": "eea"}).score
    assert brazil < exposure(pack, {**values, "region": "brazil"}).score
    assert best_case(pack, values) == brazil


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_best_case_is_the_lowest_real_score(data: st.DataObject) -> None:
    # Random answers with up to five of them unknown: few enough to try every completion.
    pack = PACK
    values = {q.id: data.draw(st.sampled_from(q.value_ids), label=q.id) for q in pack.questions}
    forgotten = data.draw(st.lists(st.sampled_from([q.id for q in pack.questions]), max_size=5, unique=True))
    values = forgetting(values, tuple(forgotten))
    assert best_case(pack, values) == lowest_real_score(pack, values), forgotten


# Found by a search over random answers: the descent, taking only lower scores, settled the
# region where it tied first and stopped 4 points above what the EEA reaches.
MANY_UNKNOWN = [
    {"accounts_center": "previously_linked", "optout_2016": "opted_out", "business_chats": "yes",
     "chat_backup": "on_not_e2ee", "icloud_device_backup": "on_without_whatsapp",
     "contacts_permission": "denied", "two_step": "on"},
    {"platform": "iphone", "accounts_center": "never_linked", "business_chats": "yes", "last_seen": "nobody",
     "read_receipts": "on", "silence_unknown_callers": "on", "username": "set", "two_step": "on"},
    {"status_to_facebook": "always", "updates_tab": "never", "business_chats": "yes",
     "contacts_permission": "denied", "link_previews": "off", "last_seen": "everyone",
     "profile_photo": "contacts_except", "groups_add": "contacts", "status_audience": "contacts_except",
     "protect_ip_calls": "on", "two_step": "on"},
]  # fmt: skip


def random_answers(pack: Pack, rng: random.Random) -> dict[str, str]:
    """Most questions unknown: too many to try every completion."""
    return {q.id: rng.choice(q.value_ids) for q in pack.questions if rng.random() < 0.35}


def test_answering_one_more_question_never_finds_a_lower_best_case(bundled_pack: Pack) -> None:
    # Answering narrows the completions, so the lowest score can only stay or rise; a best case
    # that an extra answer undercuts was not the lowest. Checked with many unknowns at once.
    rng = random.Random(3)  # noqa: S311  # a fixed sample: the same cases every run
    for values in [*MANY_UNKNOWN, *(random_answers(bundled_pack, rng) for _ in range(12))]:
        best = best_case(bundled_pack, values)
        effective = effective_answers(bundled_pack, values)
        for q in bundled_pack.questions:
            if effective[q.id] != UNKNOWN:
                continue
            for v in offered_values(bundled_pack, q, effective):
                assert best_case(bundled_pack, {**values, q.id: v.id}) >= best, (values, q.id, v.id)


def test_the_points_at_stake_are_what_the_least_exposing_answer_removes(bundled_pack: Pack) -> None:
    # "Find out first: ... (N points at stake)": N is the score minus the lowest score one real
    # answer to that question gives, the others as they are; an answer that changes nothing has 0.
    rng = random.Random(7)  # noqa: S311  # a fixed sample: the same cases every run
    nothing_at_stake = 0
    for values in (
        {},
        forgetting(ELSEWHERE_LINKED, ("region", "meta_ai", "read_receipts")),
        random_answers(bundled_pack, rng),
    ):
        a = evaluate(bundled_pack, Answers(pack=bundled_pack.meta.id, values=dict(values)))
        for u in a.unknowns:
            q = bundled_pack.question_by_id[u.question]
            lowest = min(exposure(bundled_pack, {**values, q.id: v}).score for v in q.value_ids)
            assert u.at_stake == max(0, a.score.value - lowest), q.id
            nothing_at_stake += u.at_stake == 0
    assert nothing_at_stake, "some unknown answer changes nothing"


def test_a_value_not_offered_to_the_person_is_not_their_best_case(mini_pack_dir: Path) -> None:
    """'friends' scores as 'never' does but is offered on iPhones only: on Android, 'never' is best."""
    edit_pack_file(
        mini_pack_dir / "questions.yaml",
        "      - {id: never, label: Never}",
        "      - {id: friends, label: Friends, when: {question: platform, in: [iphone]}}\n"
        "      - {id: never, label: Never}",
    )
    pack = load_pack(mini_pack_dir)
    values = {"platform": "android", "linked": "yes", "last_seen": "nobody"}
    never = exposure(pack, {**values, "share": "never"}).score
    assert never < exposure(pack, {**values, "share": "always"}).score
    assert best_case(pack, values) == never == lowest_real_score(pack, values)

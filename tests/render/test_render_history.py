"""`wa-audit history` and `wa-audit diff`, as text and as JSON, as golden files (reviewed by eye).

The JSON is for scripts: its keys are a public interface, so a golden holds them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from conftest import changes_since, two_runs

from audit.history.diff import Compared, diff
from audit.history.runs import Run
from audit.model.assessment import AnswerChange
from audit.model.conditions import NOT_ASKED
from audit.model.pack import Pack
from audit.render import history_views
from audit.render.changes_view import answer_changes

Golden = Callable[[str, str], None]


@pytest.fixture
def runs(pack: Pack) -> tuple[Run, Run]:
    # A fixed tool version: the goldens should not change with each release.
    first, second = two_runs(pack)
    return first.model_copy(update={"tool_version": "1.0.0"}), second.model_copy(
        update={"tool_version": "1.0.0"}
    )


@pytest.mark.parametrize("color", [False, True], ids=["plain", "colour"])
def test_history(runs: tuple[Run, Run], color: bool, golden: Golden) -> None:
    suffix = "ansi" if color else "txt"
    golden(f"history.{suffix}", history_views.history_text(list(runs), width=80, color=color))


def test_history_json(runs: tuple[Run, Run], golden: Golden) -> None:
    golden("history.json", history_views.history_json(list(runs)))


@pytest.mark.parametrize("color", [False, True], ids=["plain", "colour"])
def test_diff(runs: tuple[Run, Run], pack: Pack, color: bool, golden: Golden) -> None:
    first, second = runs
    compared = Compared(previous=first, current=second, changes=diff(first, second))
    suffix = "ansi" if color else "txt"
    golden(f"diff.{suffix}", history_views.changes_text(compared, pack=pack, width=80, color=color))


def test_diff_json(runs: tuple[Run, Run], golden: Golden) -> None:
    first, second = runs
    golden(
        "diff.json",
        history_views.diff_json(Compared(previous=first, current=second, changes=diff(first, second))),
    )


def test_diff_the_other_way_with_a_newer_model(runs: tuple[Run, Run], pack: Pack, golden: Golden) -> None:
    """Sharing switched back on, under a newer model: higher, a new finding, rules new since."""
    linked, fewer = runs
    older = fewer.model_copy(update={"pack_version": "2026.11", "rules_seen": fewer.rules_seen[2:]})
    again = linked.model_copy(update={"at": fewer.at + timedelta(days=1), "id": 3})
    changes = diff(older, again)
    assert changes.new_rules == fewer.rules_seen[:2]
    text = history_views.changes_text(Compared(older, again, changes), pack=pack, width=80)
    golden("diff-higher.txt", text)


def test_diff_of_a_rerun_with_the_same_answers(runs: tuple[Run, Run], pack: Pack) -> None:
    first, _ = runs
    again = first.model_copy(update={"id": 2, "at": first.at + timedelta(hours=1)})
    text = history_views.changes_text(Compared(first, again, diff(first, again)), pack=pack, width=80)
    assert text.splitlines()[1:] == [
        f"Score: {first.score} -> {first.score} (+0, unchanged)",
        "",
        "Nothing changed.",
    ]


@pytest.mark.parametrize("color", [False, True], ids=["plain", "colour"])
def test_history_on_a_narrow_screen(runs: tuple[Run, Run], color: bool, golden: Golden) -> None:
    # Below history_views.NARROW columns the table becomes a list, one run under the other.
    suffix = "ansi" if color else "txt"
    text = history_views.history_text(list(runs), width=history_views.NARROW - 1, color=color)
    golden(f"history-narrow.{suffix}", text)
    one = history_views.history_text(list(runs[:1]), width=history_views.NARROW - 1, color=color)
    assert "wa-audit diff" in text
    assert "wa-audit diff" not in one  # one run: nothing to compare yet


def test_diff_from_a_run_an_older_model_wrote(runs: tuple[Run, Run], pack: Pack) -> None:
    """Its assessment no longer reads and one of its answers is a value the model has since dropped.

    The diff still shows what it can: the finding by its id, the retired value as saved.
    """
    first, second = runs
    old = first.model_copy(
        update={
            "assessment_json": '{"schema_version": 0}',
            "answers": {**first.answers, "status_to_facebook": "weekly"},
        }
    )
    text = history_views.changes_text(Compared(old, second, diff(old, second)), pack=pack, width=200)
    resolved = [f for f in first.findings if f not in second.findings]
    assert resolved
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert [f"+ {f}" for f in resolved] == [ln for ln in lines if ln.startswith("+ ")]
    assert (
        "- changed: Do your WhatsApp Status updates also go to your Facebook story? weekly \u2192 Never"
        in lines
    )
    # The other way, its findings are the new ones: named by their ids too.
    text = history_views.changes_text(Compared(second, old, diff(second, old)), pack=pack, width=200)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert [f"! {f}" for f in resolved] == [ln for ln in lines if ln.startswith("! ")]


def test_answer_changes_name_questions_new_to_the_model_apart_from_ones_now_asked(pack: Pack) -> None:
    changes = changes_since(
        50,
        50,
        answers={
            "username": AnswerChange(from_=NOT_ASKED, to="set"),
            "two_step": AnswerChange(from_=NOT_ASKED, to="on"),
            # A question the model has since dropped, with a value it never had.
            "retired_question": AnswerChange(from_="weekly", to=NOT_ASKED),
        },
        new_questions=("username",),
    )
    said = [(a.kind, a.text) for a in answer_changes(changes, pack)]
    assert said == [
        ("new question", "Have you set a WhatsApp username? Yes, I have a username (reserved or in use)"),
        (
            "answered for the first time",
            "Is two-step verification (a WhatsApp PIN or account password) on? On",
        ),
        ("no longer asked", "retired_question (it was: weekly)"),
    ]


def test_the_sparkline_gives_each_block_an_eighth_of_the_scale() -> None:
    line = history_views.sparkline(range(101))
    assert line[0] == history_views.SPARK[0]
    assert line[-1] == history_views.SPARK[-1]
    assert list(line) == sorted(line, key=history_views.SPARK.index)
    assert {line.count(block) for block in history_views.SPARK} <= {12, 13}


def test_history_s_trend_runs_from_the_first_run_shown_to_the_last(runs: tuple[Run, Run]) -> None:
    first, second = runs
    third = second.model_copy(update={"id": 3, "at": second.at + timedelta(days=1), "score": first.score + 5})
    assert len({first.score, second.score, third.score}) == 3
    for width in (80, history_views.NARROW - 1):
        text = " ".join(history_views.history_text([first, second, third], width=width).split())
        assert f"({first.score} -> {third.score})" in text


@pytest.mark.parametrize(
    ("points", "word"), [(1, "+1, higher, more exposed"), (-1, "-1, lower, less exposed")]
)
def test_a_score_one_point_apart_is_higher_or_lower(
    runs: tuple[Run, Run], pack: Pack, points: int, word: str
) -> None:
    first, _ = runs
    again = first.model_copy(
        update={"id": 2, "at": first.at + timedelta(hours=1), "score": first.score + points}
    )
    text = history_views.changes_text(Compared(first, again, diff(first, again)), pack=pack, width=80)
    assert text.splitlines()[1] == f"Score: {first.score} -> {first.score + points} ({word})"

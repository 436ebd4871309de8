"""`wa-audit history` and `wa-audit diff`, as text and as JSON, as golden files (reviewed by eye).

The JSON is for scripts: its keys are a public interface, so a golden holds them.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import two_runs

from audit.changes import Compared, diff
from audit.history import Run
from audit.pack import Pack
from audit.render import history_views

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

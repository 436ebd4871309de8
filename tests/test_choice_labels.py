"""Choice labels on any screen: long ones wrap or lose words from the middle, never their end."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
import questionary
from hypothesis import given
from hypothesis import strategies as st

from audit.collect.answers_file import read_answers
from audit.collect.interview import Interview
from audit.collect.screen import CHOICE_INDENT, Terminal, shorten_middle
from audit.model.pack import Pack
from tests.conftest import EXAMPLES

WORDS = st.lists(st.text("abcdefghij", min_size=1, max_size=12), min_size=1, max_size=20)


@given(words=WORDS, width=st.integers(min_value=12, max_value=120))
def test_shortened_text_fits_and_keeps_whole_words_from_both_ends(words: list[str], width: int) -> None:
    text = " ".join(words)
    short = shorten_middle(text, width)
    assert len(short) <= width
    if len(text) <= width:
        assert short == text
        return
    kept = short.split()
    if "\u2026" in kept:
        at = kept.index("\u2026")
        head, tail = kept[:at], kept[at + 1 :]
        assert head == words[: len(head)]
        if tail:
            assert tail == words[len(words) - len(tail) :]
        else:  # the end is what tells similar lines apart: only left out when it cannot fit
            assert len(words[-1]) > width - 3


def test_facebook_and_instagram_stay_apart() -> None:
    fb = "Do your WhatsApp Status updates also go to your Facebook story?"
    ig = "Do your WhatsApp Status updates also go to your Instagram story?"
    for width in (30, 40, 50, 60):
        assert "Facebook" in shorten_middle(fb, width)
        assert "Instagram" in shorten_middle(ig, width)


class Picking(Terminal):
    """Keeps the rows of the pick list instead of showing it."""

    rows: list[tuple[str, str]]

    def pick(self, message: str, choices: Sequence[tuple[str, str]], *, back: bool = False) -> list[str]:
        self.rows = list(choices)
        return [choices[0][0]]


@pytest.mark.parametrize("columns", [40, 60, 80, 160])
def test_pick_list_rows_fit_and_differ(bundled_pack: Pack, columns: int) -> None:
    saved = read_answers(bundled_pack, EXAMPLES / "linked-everything.yaml").values
    terminal = Picking(width=columns, color=False)
    Interview(terminal)._pick(bundled_pack, saved, "full")
    rows = dict(terminal.rows)
    assert all(len(label) <= columns - 8 for label in rows.values())
    assert len(set(rows.values())) == len(rows)  # no two rows read the same
    assert "Facebook" in rows["status_to_facebook"]
    assert "Instagram" in rows["status_to_instagram"]
    if columns == 160:  # a wide screen shows the whole question, not 78 characters of it
        assert rows["status_to_facebook"].startswith(bundled_pack.question_by_id["status_to_facebook"].prompt)


@pytest.mark.parametrize("columns", [40, 60, 80])
def test_long_choice_labels_wrap_under_themselves(
    bundled_pack: Pack, columns: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []

    class Asked:
        def __init__(self, value: str) -> None:
            self.value = value

        def unsafe_ask(self) -> str:
            return self.value

    def select(message: str, choices: list[Any], **kwargs: object) -> Asked:
        shown.extend(str(c.title) for c in choices)
        return Asked(choices[0].value)

    monkeypatch.setattr(questionary, "select", select)
    region = bundled_pack.question_by_id["region"]
    choices = [(v.id, v.label) for v in region.values]
    Terminal(width=columns, color=False).choose("Where do you live?", choices)
    eea = next(t for t in shown if t.startswith("In the European Union"))
    lines = eea.split("\n")
    assert all(len(line) + len(CHOICE_INDENT) < columns for line in lines)
    assert all(line.startswith(CHOICE_INDENT) for line in lines[1:])
    assert " ".join(eea.split()) == next(v.label for v in region.values if v.id == "eea")
    assert "Switzerland" in eea

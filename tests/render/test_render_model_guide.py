"""`wa-audit rules show`: the sharing model explained, as golden files (reviewed by eye)."""

from __future__ import annotations

from collections.abc import Callable

from audit.model.pack import Pack
from audit.render import model_guide


def test_golden_terminal(pack: Pack, golden: Callable[[str, str], None]) -> None:
    golden("rules-show.txt", model_guide.terminal(pack, width=80, color=False))


def test_golden_terminal_in_colour(pack: Pack, golden: Callable[[str, str], None]) -> None:
    # Colour is part of what a person sees: the headings, the dim sources, the certainty marks.
    golden("rules-show.ansi", model_guide.terminal(pack, width=80, color=True))


def test_golden_markdown(pack: Pack, golden: Callable[[str, str], None]) -> None:
    golden("rules-show.md", model_guide.markdown(pack))

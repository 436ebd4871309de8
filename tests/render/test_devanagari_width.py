"""Hindi in the terminal: every line fits the width as the terminal itself counts cells.

Terminals measure text with the C library's wcwidth (tmux, VTE, xterm): a spacing vowel sign such as
the ा of हाँ takes a cell there, which rich alone would not count (render/console.py).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import locale
from collections.abc import Iterator

import pytest
from conftest import GENERATED_AT, ROOT

from audit import lang
from audit.collect.answers_file import read_answers
from audit.evaluate.engine import evaluate
from audit.load.resources import default_pack_dir
from audit.load.translations import in_language
from audit.model.assessment import make_report
from audit.model.pack import Pack
from audit.render.base import Format, RenderOptions, renderer_for


@pytest.fixture(scope="module")
def terminal_width() -> Iterator[ctypes.CDLL]:
    """The C library's wcswidth, in a UTF-8 locale: what the terminal counts."""
    name = ctypes.util.find_library("c")
    if name is None:
        pytest.skip("no C library to ask for wcswidth")
    before = locale.setlocale(locale.LC_CTYPE)
    try:
        locale.setlocale(locale.LC_CTYPE, "C.UTF-8")
    except locale.Error:
        pytest.skip("no C.UTF-8 locale on this machine")
    libc = ctypes.CDLL(name)
    libc.wcswidth.argtypes = [ctypes.c_wchar_p, ctypes.c_size_t]
    libc.wcswidth.restype = ctypes.c_int
    yield libc
    locale.setlocale(locale.LC_CTYPE, before)


@pytest.mark.parametrize("width", [100, 80, 60])
@pytest.mark.parametrize("fmt", [Format.TERMINAL, Format.PLAN])
def test_every_hindi_line_fits_the_terminal(
    pack: Pack, terminal_width: ctypes.CDLL, fmt: Format, width: int
) -> None:
    with lang.speaking("hi"):
        hindi = in_language(pack, default_pack_dir(), "hi")
        answers = read_answers(hindi, ROOT / "examples" / "india-shares-everything.yaml")
        report = make_report(evaluate(hindi, answers), generated_at=GENERATED_AT)
        text = renderer_for(fmt).render(report, hindi, RenderOptions(width=width))
    assert "अकाउंट" in text
    lines = text.splitlines()
    wide = [line for line in lines if terminal_width.wcswidth(line, len(line)) > width]
    assert wide == []
    if fmt is Format.TERMINAL:
        # The panels close where they open: each bordered line is exactly as wide as the panel.
        bordered = [line for line in lines if line.startswith("│") and line.endswith("│")]
        assert bordered
        assert {terminal_width.wcswidth(line, len(line)) for line in bordered} == {width}

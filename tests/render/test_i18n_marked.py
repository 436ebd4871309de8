"""Every word the reports say is marked for translation: the code's own, the templates' own.

A fake catalog wraps each message it translates in ⟦...⟧. With it installed for a language, the
reports in every format are rendered, the wrapped runs and the pack's own text (translated apart,
here in English) are taken out, and no English word may remain: one that does was never passed
through `_()`, `ngettext()`, `pgettext()` or `{% trans %}`. In English, the catalog is never asked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from html.parser import HTMLParser
from typing import Any

import pytest

from audit import lang
from audit.model.assessment import AnswerChange, Report, TrendPoint
from audit.model.conditions import NOT_ASKED
from audit.model.labels import clean_line
from audit.model.pack import Pack
from audit.render import flowmap
from audit.render.base import Format, RenderOptions, renderer_for
from tests.render.conftest import GENERATED_AT, changes_since, persona_report, two_runs
from tests.wrapping import CLOSE, OPEN, Wrapping

LANG = "pt-BR"
# What the renderers print that is no word of theirs: names that stay, the pack's id, the command.
NOT_ENGLISH = {
    "WhatsApp",
    "Meta",
    "Facebook",
    "Instagram",
    "Android",
    "iPhone",
    "UTC",
    "whatsapp",
    "wa",
    "audit",
}
FULL_REPORT = "/home/you/report.html"  # a path: its words are no one's to translate
FORMATS = (Format.TERMINAL, Format.MARKDOWN, Format.HTML, Format.PLAN, Format.PLAN_MARKDOWN, Format.PLAN_HTML)


@pytest.fixture
def wrapped(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The fake catalog for every language, and LANG spoken, for the test."""
    monkeypatch.setattr(lang, "_translations", lambda _lang: Wrapping(values_apart=True))
    with lang.speaking(LANG):
        yield


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list | tuple | set | frozenset):
        for v in value:
            yield from _strings(v)


def _theirs(pack: Pack, report: Report) -> re.Pattern[str]:
    """The pack's and the report's own text (titles, labels, quotes, menu paths, ids, URLs), whole words."""
    found = {clean_line(s) for s in (*_strings(pack.model_dump()), *_strings(report.model_dump()))}
    found |= {line.strip() for s in found for line in s.split("\n")}
    # The flow picture's boxes: a label on lines of its own.
    labels = [d.label for d in pack.vocabulary.data_categories] + [
        r.label for r in pack.vocabulary.recipients
    ]
    found |= {line for label in labels for line in flowmap._wrap(clean_line(label))}
    return _pattern(found)


def _pattern(found: set[str]) -> re.Pattern[str]:
    """Any of `found`, as a whole, where a line may wrap (a space: spaces and panel borders)."""
    words = sorted((s for s in found if s and re.search("[A-Za-z]", s)), key=len, reverse=True)
    gap = "[\\s\u2502]+"
    return re.compile("|".join(rf"(?<!\w){gap.join(map(re.escape, w.split()))}(?!\w)" for w in words))


class _Visible(HTMLParser):
    """The text of a page a person sees or hears: text outside <style>, and aria-labels."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._style = tag == "style"
        self.parts.extend(v for k, v in attrs if k == "aria-label" and v)

    def handle_endtag(self, tag: str) -> None:
        self._style = False

    def handle_data(self, data: str) -> None:
        if not self._style:
            self.parts.append(data)


def _visible(fmt: Format, text: str) -> str:
    if fmt in (Format.HTML, Format.PLAN_HTML):
        parser = _Visible()
        parser.feed(text)
        return "\n".join(parser.parts)
    if fmt in (Format.MARKDOWN, Format.PLAN_MARKDOWN):
        return re.sub(r"\\(.)", r"\1", text)  # Markdown's escapes, undone
    return text


def _dates() -> set[str]:
    """The words of this language's dates (month names), which Babel writes, not wa-audit."""
    from babel.dates import format_date

    return {
        w
        for m in range(1, 13)
        for w in re.findall("[A-Za-z]+", format_date(date(2026, m, 1), "medium", lang.catalog_dir(LANG)))
    }


def unmarked(fmt: Format, output: str, theirs: re.Pattern[str]) -> list[str]:
    """The English words left in `output` once the translated runs and the pack's text are out."""
    text = _visible(fmt, output)
    while True:  # innermost first: a translated sentence may hold another one in its values
        text, n = re.subn(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}", " ", text)
        if not n:
            break
    text = theirs.sub(" ", text)
    allowed = NOT_ENGLISH | _dates()
    return sorted({w for w in re.findall(r"[A-Za-z][A-Za-z']+", text) if w not in allowed})


def _reports(pack: Pack) -> list[Report]:
    """People who between them reach every section: linked, all unknown, a quick check, a rerun."""
    trend = tuple(TrendPoint(at=GENERATED_AT - timedelta(days=d), score=s) for d, s in ((30, 80), (0, 72)))
    changes = changes_since(
        90,
        76,
        new=("two_step_off",),
        resolved=("accounts_center_linked",),
        answers={"two_step": AnswerChange(from_="on", to="off")},
    )
    # A score that rose, with answers new to the model, answered for the first time, no longer asked.
    rose = changes_since(
        40,
        55,
        answers={
            "username": AnswerChange(from_=NOT_ASKED, to="set"),
            "two_step": AnswerChange(from_=NOT_ASKED, to="on"),
            "last_seen": AnswerChange(from_="contacts", to=NOT_ASKED),
        },
        new_questions=("username",),
    )
    return [
        persona_report(pack, "linked-everything", changes=changes, stale_model=True, trend=trend),
        persona_report(pack, "all-unknown"),
        persona_report(pack, "quick-unsure"),
        persona_report(pack, "eea-linked", changes=rose),
        persona_report(pack, "uk-iphone-backups", changes=changes_since(40, 40)),  # the same score
    ]


@pytest.fixture(scope="module")
def people(pack: Pack) -> list[tuple[Report, re.Pattern[str]]]:
    """The reports, made in LANG (their `lang`), each with its own text to leave out."""
    with lang.speaking(LANG):
        return [(report, _theirs(pack, report)) for report in _reports(pack)]


@pytest.mark.parametrize("fmt", FORMATS, ids=[f.value for f in FORMATS])
def test_every_word_of_every_format_is_marked(
    fmt: Format, pack: Pack, people: list[tuple[Report, re.Pattern[str]]], wrapped: None
) -> None:
    del wrapped
    for report, theirs in people:
        assert report.lang == LANG
        output = renderer_for(fmt).render(report, pack, RenderOptions(width=200, full_report=FULL_REPORT))
        assert OPEN in output, "the fake catalog was not asked"
        left = unmarked(fmt, output.replace(FULL_REPORT, " "), theirs)
        assert not left, f"{fmt.value}: words not marked for translation: {left}"
    if fmt in (Format.HTML, Format.PLAN_HTML):
        assert f'<html lang="{LANG}" dir="ltr"' in output


def test_every_word_of_the_summary_is_marked(
    pack: Pack, people: list[tuple[Report, re.Pattern[str]]], wrapped: None
) -> None:
    """The panel printed after an interview, for each person and for someone with no finding."""
    del wrapped
    from audit.render import summary

    for report, theirs in people:
        none = report.model_copy(update={"findings": ()})
        for shown in (report, none):
            output = summary.summary(shown, pack, RenderOptions(width=200, full_report=FULL_REPORT))
            left = unmarked(Format.TERMINAL, output.replace(FULL_REPORT, " "), theirs)
            assert not left, f"summary: words not marked for translation: {left}"
        # "none" is also a value of the pack's (left out above as its text): asked for itself,
        # in the panel of the person with no finding (the last one printed).
        assert f"{OPEN}none{CLOSE}" in output


def test_the_check_finds_a_word_left_unmarked(pack: Pack, wrapped: None) -> None:
    """The check can fail: a sentence printed as is, not through `_()`, is named."""
    del wrapped
    report = _reports(pack)[0]
    output = renderer_for(Format.MARKDOWN).render(report, pack, RenderOptions())
    assert unmarked(Format.MARKDOWN, output + "\nNothing else changed.\n", _theirs(pack, report)) == [
        "Nothing",
        "changed",
        "else",
    ]


@pytest.mark.parametrize("fmt", [Format.MARKDOWN, Format.HTML, Format.TERMINAL], ids=lambda f: f.value)
def test_english_never_asks_the_catalog(
    fmt: Format, pack: Pack, monkeypatch: pytest.MonkeyPatch, golden: Any
) -> None:
    """In English the words are the code's own, whatever catalog is installed: the goldens hold."""
    report = persona_report(pack, "linked-everything")
    monkeypatch.setattr(lang, "_translations", lambda _lang: Wrapping())
    output = renderer_for(fmt).render(report, pack, RenderOptions())
    assert OPEN not in output
    if fmt is Format.MARKDOWN:
        golden("markdown-linked-everything.md", output)


def test_a_report_s_dates_follow_its_language(pack: Pack, wrapped: None) -> None:
    del wrapped
    report = persona_report(pack, "linked-everything")
    output = renderer_for(Format.MARKDOWN).render(report, pack, RenderOptions())
    reviewed = lang.day(report.pack.reviewed)
    assert reviewed != report.pack.reviewed.isoformat()
    assert reviewed in output


@pytest.mark.parametrize("fmt", [Format.TERMINAL, Format.MARKDOWN], ids=lambda f: f.value)
def test_rules_show_is_marked(fmt: Format, pack: Pack, wrapped: None) -> None:
    del wrapped
    from audit.render import model_guide

    output = model_guide.terminal(pack, width=200) if fmt is Format.TERMINAL else model_guide.markdown(pack)
    left = unmarked(fmt, output, _theirs(pack, persona_report(pack, "linked-everything")))
    assert not left, f"rules show ({fmt.value}): words not marked for translation: {left}"


def test_history_and_diff_are_marked(pack: Pack, wrapped: None) -> None:
    del wrapped
    from audit.history.diff import Compared, diff
    from audit.render import history_views

    first, second = two_runs(pack)
    theirs = _theirs(pack, persona_report(pack, "linked-everything"))
    for output in (
        history_views.history_text([first, second], width=120),
        history_views.history_text([first, second], width=40),
        history_views.changes_text(Compared(first, second, diff(first, second)), pack=pack, width=120),
        history_views.changes_text(Compared(second, first, diff(second, first)), pack=pack, width=120),
    ):
        left = unmarked(Format.TERMINAL, output, theirs)
        assert not left, f"history/diff: words not marked for translation: {left}\n{output}"

"""The command line in the person's language: --help, argparse's own words, the errors a person meets.

A fake catalog stands in for a real language: every sentence it is asked for comes back wrapped as
`⟦...⟧`, so what is not wrapped was never handed to the catalog (English left unmarked).
"""

from __future__ import annotations

import argparse
import gettext
import re
from pathlib import Path

import pytest

from audit import lang
from audit.model.pack import Pack
from tests.hardening.support import Result, run_cli
from tests.wrapping import Wrapping


@pytest.fixture
def wrapped(monkeypatch: pytest.MonkeyPatch) -> None:
    """pt-BR spoken through the wrapping catalog."""
    monkeypatch.setattr(lang, "_translations", lambda _lang: Wrapping())


LANG_VARIABLES = (lang.ENV, *lang.POSIX_ORDER)


@pytest.fixture
def no_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """No language chosen by the environment (the suite's own WA_AUDIT_LANG=en is removed too)."""
    for name in LANG_VARIABLES:
        monkeypatch.delenv(name, raising=False)


COMMANDS = ("audit", "report", "set", "history", "diff", "forget", "example", "schema", "rules")
RULES_ACTIONS = ("check", "extract", "show", "drift")
# Words that may stand outside the catalog in --help: the program's and the commands' names, and
# the values of options with choices (argparse lists them in braces).
NAMES = {"wa", "audit", *COMMANDS, *RULES_ACTIONS}


def unwrapped_words(text: str) -> list[str]:
    """The lower-case words of `text` outside every `⟦...⟧`, option names and `{choices}` left out."""
    outside = text
    while True:  # innermost first: a wrapped sentence may hold another one (a nested message)
        shorter = re.sub(r"\u27e6[^\u27e6\u27e7]*\u27e7", " ", outside)
        if shorter == outside:
            break
        outside = shorter
    outside = re.sub(r"\{[^}]*\}", " ", outside)  # choices: {terminal,html,...}
    outside = re.sub(r"(?<!\w)--?[\w-]+", " ", outside)  # option names: --no-color, -o
    return [w for w in re.findall(r"[a-z][a-z']+", outside) if w not in NAMES]


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> Result:
    return run_cli(capsys, ["--lang", "pt-BR", *argv])


@pytest.mark.parametrize(
    "argv",
    [
        (),
        *((command,) for command in COMMANDS),
        *(("rules", action) for action in RULES_ACTIONS),
    ],
    ids=lambda argv: " ".join(argv) or "wa-audit",
)
def test_help_is_all_in_the_catalog(
    argv: tuple[str, ...], wrapped: None, capsys: pytest.CaptureFixture[str]
) -> None:
    result = cli(capsys, *argv, "--help")
    assert result.code == 0, result.err
    # argparse's own words too: the usage prefix, its titles and the -h help.
    assert "\u27e6usage: \u27e7" in result.out
    assert "\u27e6options\u27e7" in result.out
    assert "\u27e6show this help message and exit\u27e7" in result.out
    assert unwrapped_words(result.out) == [], result.out


def test_the_english_help_is_unchanged_by_the_routing(capsys: pytest.CaptureFixture[str]) -> None:
    """English through argparse's own words and the stdlib's, once the parser has run."""
    result = run_cli(capsys, ["report", "--help"])
    assert result.out.startswith("usage: wa-audit report ")
    assert "\noptions:\n" in result.out
    assert "  -h, --help " in result.out
    assert "show this help message and exit" in result.out
    assert "\u27e6" not in result.out
    # The stdlib's own lookups are back once the parser is done with them.
    assert argparse._ is gettext.gettext  # type: ignore[attr-defined]
    assert argparse.ngettext is gettext.ngettext  # type: ignore[attr-defined]


def one_wrapped_line(result: Result, *, paths: Path | None = None) -> str:
    """The one line on stderr, exit 2; its sentences all wrapped (the file names in `paths` aside)."""
    lines = result.err.splitlines()
    assert result.code == 2, result
    assert len(lines) == 1, result.err
    assert "\u27e6" in lines[0], lines[0]
    said = lines[0].removeprefix("wa-audit: ")
    if paths is not None:
        said = re.sub(re.escape(str(paths)) + r"[^\s:\u27e6]*", "", said)
    assert unwrapped_words(said) == [], lines[0]
    return lines[0]


def test_argparse_errors_come_from_the_catalog(wrapped: None, capsys: pytest.CaptureFixture[str]) -> None:
    line = one_wrapped_line(cli(capsys, "report", "--format", "pdf"))
    assert "\u27e6argument %(argument_name)s: %(message)s\u27e7" not in line  # formatted, not raw
    assert "\u27e6invalid choice: 'pdf' (choose from " in line
    line = one_wrapped_line(cli(capsys, "set"))
    assert "\u27e6the following arguments are required: QUESTION=VALUE\u27e7" in line
    one_wrapped_line(cli(capsys, "report", "--quick", "--full"))
    one_wrapped_line(cli(capsys, "diff", "x"))


def test_errors_a_person_meets_come_from_the_catalog(
    wrapped: None, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    home = tmp_path / "home"
    missing = tmp_path / "missing.yaml"
    line = one_wrapped_line(
        cli(capsys, "--home", str(home), "report", "--answers", str(missing)), paths=tmp_path
    )
    assert line == (
        f"wa-audit: {missing}: \u27e6no such file; check the path of \u27e6an answers file\u27e7\u27e7"
    )
    line = one_wrapped_line(
        cli(capsys, "--home", str(home), "report", "-o", str(tmp_path / "r.pdf")), paths=tmp_path
    )
    assert "names no report format" in line
    line = one_wrapped_line(cli(capsys, "--home", str(home), "diff", "1", "2", "3"), paths=tmp_path)
    assert line == "wa-audit: \u27e6diff takes at most two run numbers; e.g. 'wa-audit diff 1 2'\u27e7"
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    line = one_wrapped_line(cli(capsys, "--home", str(a_file), "history"), paths=tmp_path)
    assert line.startswith(f"wa-audit: \u27e6{a_file}: the wa-audit home is a file")
    line = one_wrapped_line(cli(capsys, "--home", str(home), "report", "--set", "nonsense"), paths=tmp_path)
    assert "not question=value" in line


def test_the_interview_without_a_terminal_is_said_in_the_language(
    wrapped: None, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    result = cli(capsys, "--home", str(tmp_path / "home"), "audit")
    assert result.code == 2
    # Its own start names the program: no "wa-audit: " before it, in any language.
    assert result.err.startswith("\u27e6wa-audit needs a terminal for the interview;"), result.err
    assert result.err.endswith("\u27e7\n")


# --- which language ------------------------------------------------------------------------------
def spoken(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[str, Result]:
    """The language a run speaks (what `main` chose), and what it said."""
    result = run_cli(capsys, [*argv, "example"])
    return lang.current(), result


@pytest.mark.parametrize(
    ("argv", "env", "expected"),
    [
        (["--lang", "pt-BR"], {}, "pt-BR"),
        (["--lang=pt_BR.UTF-8"], {}, "pt-BR"),
        (["--lang", "pt"], {}, "pt-BR"),
        ([], {"LANG": "es_MX.UTF-8"}, "es"),
        ([], {"LANGUAGE": "hi:en", "LANG": "en_US.UTF-8"}, "hi"),
        ([], {"LANG": "fr_FR.UTF-8"}, "en"),
        ([], {"LC_ALL": "C"}, "en"),
        (["--lang", "id"], {"LANG": "es_MX.UTF-8"}, "id"),
        ([], {"WA_AUDIT_LANG": "id", "LANG": "es_MX.UTF-8"}, "id"),
    ],
)
def test_the_language_chosen(
    argv: list[str],
    env: dict[str, str],
    expected: str,
    *,
    no_locale: None,
    wrapped: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    chosen, result = spoken(capsys, argv)
    assert chosen == expected
    assert result.code == 0
    assert result.err == ""
    # The listing's heading is a sentence of the catalog: wrapped in every language but English.
    heading = result.out.splitlines()[0]
    assert heading.startswith("\u27e6Example answers files") == (expected != "en"), heading


def test_an_unknown_lang_is_one_line_naming_the_languages(
    no_locale: None, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_cli(capsys, ["--lang", "xx", "example"])
    assert result.code == 2
    assert result.out == ""
    assert result.err == "wa-audit: --lang 'xx': wa-audit speaks en, pt-BR, es, hi, id; give one of those\n"


def test_an_unknown_system_language_is_english_silently(
    no_locale: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    result = run_cli(capsys, ["example"])
    assert lang.current() == "en"
    assert result.code == 0
    assert result.err == ""
    assert result.out.startswith("Example answers files (print one: wa-audit example NAME;")


# --- the interview -------------------------------------------------------------------------------
def test_the_interviews_own_words_come_from_the_catalog(wrapped: None, mini_pack: Pack) -> None:
    """Its welcome, progress and "Where to look" are the catalog's; the pack's text is the pack's."""
    from tests.test_interview import DOWN, ENTER, drive

    lang.use("pt-BR")
    run = drive(mini_pack, DOWN + ENTER + ENTER + ENTER + ENTER, depth="full")
    lines = [line.strip() for line in run.text.splitlines() if line.strip()]
    assert "* \u27e6Nothing leaves this computer: wa-audit never uses the network.\u27e7" in lines
    progress = [line for line in lines if re.match(r"\W*\d+ of ", line)]
    assert progress, run.text
    assert all(line.startswith("\u27e6") and line.endswith("\u27e7") for line in progress), progress
    assert any(line.startswith("\u27e6Where to look: ") for line in lines), run.text
    # Every word of the interview's own is wrapped: the rest is the pack's (its title, prompts, help).
    pack_texts = {mini_pack.meta.title, *(q.prompt for q in mini_pack.questions)}
    pack_texts |= {q.help for q in mini_pack.questions if q.help}
    pack_texts |= {s.title for s in mini_pack.meta.sections} | {
        s.intro for s in mini_pack.meta.sections if s.intro
    }
    said = " ".join(run.text.split())
    for text in sorted(pack_texts, key=len, reverse=True):
        said = said.replace(" ".join(text.split()), " ")
    assert unwrapped_words(said) == [], said


def test_i_dont_know_comes_from_the_catalog(wrapped: None, mini_pack: Pack) -> None:
    from audit.model.conditions import NOT_ASKED, UNKNOWN
    from audit.model.labels import answer_label

    lang.use("pt-BR")
    assert answer_label(mini_pack, "linked", UNKNOWN) == "\u27e6I don't know\u27e7"
    assert answer_label(mini_pack, "linked", NOT_ASKED) == "\u27e6not checked\u27e7"

"""Each language end to end.

Chosen as a person would choose it, and every report format in it with no English sentence of the
pack or of the code left in (quotes aside: they stay as written).
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from audit import lang
from audit.app.cli import main
from audit.load import translations
from audit.load.read import load_pack
from tests.conftest import EXAMPLES, ROOT

SPOKEN = [tag for tag in lang.LANGUAGES if tag != lang.ENGLISH]
BUNDLED = ROOT / "rules" / "whatsapp"
# Two people far apart: everything linked (outside Europe), and one who answered "I don't know" to all.
PEOPLE = ("linked-everything", "all-unknown", "india-shares-everything")
FORMATS = ("terminal", "markdown", "html", "plan", "json")
MIN_WORDS = 4  # shorter English (a name, "WhatsApp Business") may rightly be the same in translation


def english_sentences(tag: str) -> set[str]:
    """The pack's and the code's English of MIN_WORDS words or more that `tag` translates otherwise."""
    found = set()
    pack = load_pack(BUNDLED)
    translated = dict(translations.texts(translations.in_language(pack, BUNDLED, tag)))
    for place, english in translations.texts(pack):
        if translated[place] != english:
            found |= {s for s in sentences(english) if len(s.split()) >= MIN_WORDS}
    code = lang.LOCALE_DIR / lang.catalog_dir(tag) / "LC_MESSAGES" / f"{lang.DOMAIN}.po"
    with code.open("rb") as handle:
        for message in read_po(handle):
            english_id = message.id if isinstance(message.id, str) else message.id[0] if message.id else ""
            text = message.string if isinstance(message.string, str) else message.string[0]
            if english_id and text and text != english_id:
                # The words between placeholders and markup: what a leak would show.
                for part in re.split(r"\{[^}]*\}|%\([^)]*\)s|<[^>]*>|\*\*|`", english_id):
                    found |= {s for s in sentences(part) if len(s.split()) >= MIN_WORDS}
    return found


def sentences(text: str) -> list[str]:
    return [s.strip(" .,:;()\"'") for s in re.split(r"(?<=[.!?:;])\s+|\n+", text) if s.strip()]


def quotes_of_the_sources() -> str:
    pack = load_pack(BUNDLED)
    return "\n".join(c.quote for _, c in pack.citations() if c.quote)


def rendered(tag: str, person: str, fmt: str, capsys: pytest.CaptureFixture[str], home: Path) -> str:
    answers = EXAMPLES / f"{person}.yaml"
    code = main(["--lang", tag, "--home", str(home), "report", "--answers", str(answers), "--format", fmt])
    assert code == 0  # none of these people's reports is asked to --fail-on
    out = capsys.readouterr().out
    if fmt == "html":
        out = re.sub(r"<style>.*?</style>", "", out, flags=re.S)
        out = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", out))
    if fmt == "json":
        report = json.loads(out)
        assert report["lang"] == tag
        out = "\n".join(texts_in(report))
    return " ".join(out.split())


def texts_in(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in texts_in(v)]
    if isinstance(value, list):
        return [t for v in value for t in texts_in(v)]
    return []


@pytest.mark.parametrize("tag", SPOKEN)
@pytest.mark.parametrize("fmt", FORMATS)
def test_no_english_sentence_is_left_in_a_report(
    tag: str, fmt: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    english = english_sentences(tag)
    quotes = " ".join(quotes_of_the_sources().split())
    for person in PEOPLE:
        text = rendered(tag, person, fmt, capsys, tmp_path / person)
        left = sorted(s for s in english if " ".join(s.split()) in text and " ".join(s.split()) not in quotes)
        assert left == [], f"{person}, {fmt}: English left in the {tag} report"


@pytest.mark.parametrize("tag", SPOKEN)
def test_the_guide_and_the_help_speak_the_language(tag: str, capsys: pytest.CaptureFixture[str]) -> None:
    english = english_sentences(tag)
    assert main(["--lang", tag, "rules", "show", "--format", "markdown"]) == 0
    guide = " ".join(capsys.readouterr().out.split())
    quotes = " ".join(quotes_of_the_sources().split())
    assert (
        sorted(s for s in english if " ".join(s.split()) in guide and " ".join(s.split()) not in quotes) == []
    )
    with pytest.raises(SystemExit) as done:
        main(["--lang", tag, "report", "--help"])
    assert done.value.code == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert sorted(s for s in english if " ".join(s.split()) in help_text) == []


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("WA_AUDIT_LANG", *lang.POSIX_ORDER)}
    return subprocess.run(
        [sys.executable, "-m", "audit", *args], env=clean | env, capture_output=True, text=True, check=False
    )


def test_the_system_language_is_spoken_and_an_unknown_one_is_english(tmp_path: Path) -> None:
    args = [
        "--home",
        str(tmp_path),
        "report",
        "--answers",
        str(EXAMPLES / "linked-everything.yaml"),
        "--format",
    ]
    spanish = run([*args, "json"], {"LANG": "es_MX.UTF-8"})
    assert json.loads(spanish.stdout)["lang"] == "es"
    hindi = run([*args, "json"], {"LANGUAGE": "hi:en", "LANG": "en_US.UTF-8"})
    assert json.loads(hindi.stdout)["lang"] == "hi"
    french = run([*args, "json"], {"LANG": "fr_FR.UTF-8"})
    assert (french.returncode, french.stderr) == (0, "")
    assert json.loads(french.stdout)["lang"] == "en"
    chosen = run(["--lang", "pt_BR.UTF-8", *args, "json"], {"WA_AUDIT_LANG": "id"})
    assert json.loads(chosen.stdout)["lang"] == "pt-BR"  # --lang before $WA_AUDIT_LANG


def test_an_unknown_lang_option_is_one_line_naming_the_languages() -> None:
    done = run(["--lang", "fr", "--version"], {})
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == "wa-audit: --lang 'fr': wa-audit speaks en, pt-BR, es, hi, id; give one of those\n"


@pytest.mark.parametrize("tag", SPOKEN)
def test_the_html_report_says_its_language(
    tag: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    main(
        [
            "--lang",
            tag,
            "--home",
            str(tmp_path),
            "report",
            "--answers",
            str(EXAMPLES / "linked-everything.yaml"),
            "--format",
            "html",
        ]
    )
    assert f'<html lang="{tag}"' in capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_a_hindi_report_cites_whatsapps_hindi_policy_beside_the_english(
    fmt: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pack = load_pack(BUNDLED)
    (edition,) = pack.source_by_id["S1"].editions
    answers = str(EXAMPLES / "india-shares-everything.yaml")
    main(["--lang", "hi", "--home", str(tmp_path), "report", "--answers", answers, "--format", fmt])
    hindi = html.unescape(capsys.readouterr().out)
    shown = [passage for passage in edition.passages.values() if passage in hindi]
    assert shown
    for english, passage in edition.passages.items():
        if passage in hindi:
            assert english in hindi  # beside the English quote, never instead of it
            assert hindi.index(english) < hindi.index(passage)
    assert edition.url in hindi
    main(["--lang", "es", "--home", str(tmp_path), "report", "--answers", answers, "--format", fmt])
    assert not [p for p in edition.passages.values() if p in capsys.readouterr().out]


@pytest.mark.parametrize(("tag", "other"), [("en", "pt-BR"), ("pt-BR", "en")])
def test_a_quote_in_another_language_than_the_page_says_its_own(
    tag: str, other: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Brazil's law is quoted in Portuguese, WhatsApp's policies in English: a screen reader reads
    # each in its own language (the sources' `lang`).
    answers = str(EXAMPLES / "brazil-payments.yaml")
    main(["--lang", tag, "--home", str(tmp_path), "report", "--answers", answers, "--format", "html"])
    page = capsys.readouterr().out
    assert f'<html lang="{tag}"' in page
    assert f'<blockquote lang="{other}">' in page
    assert f'<blockquote lang="{tag}">' not in page

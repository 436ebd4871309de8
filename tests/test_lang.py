"""audit.lang: which language a run speaks, how it writes dates, and nothing loaded for English."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime

import pytest

from audit import lang
from audit.errors import UserError


@pytest.mark.parametrize(
    ("tag", "spoken"),
    [
        ("pt-BR", "pt-BR"),
        ("pt_BR.UTF-8", "pt-BR"),
        ("pt", "pt-BR"),
        ("PT_br", "pt-BR"),
        ("es_MX.UTF-8", "es"),
        ("es-419", "es"),
        ("hi_IN", "hi"),
        ("id_ID.utf8", "id"),
        ("in", "id"),
        ("en_GB.UTF-8", "en"),
        ("fr_FR.UTF-8", None),
        ("C", None),
        ("", None),
    ],
)
def test_a_tag_names_the_language_it_means(tag: str, spoken: str | None) -> None:
    assert lang.parse(tag) == spoken


def test_the_choice_follows_the_option_then_the_variable_then_posix_order() -> None:
    env = {"WA_AUDIT_LANG": "id", "LANGUAGE": "hi", "LC_ALL": "es_MX.UTF-8", "LANG": "pt_BR.UTF-8"}
    assert lang.choose("es", env) == "es"
    assert lang.choose(None, env) == "id"
    assert lang.choose(None, {k: v for k, v in env.items() if k != "WA_AUDIT_LANG"}) == "hi"
    assert lang.choose(None, {"LC_ALL": "es_MX.UTF-8", "LANG": "pt_BR.UTF-8"}) == "es"
    assert lang.choose(None, {"LC_MESSAGES": "hi_IN", "LANG": "pt_BR.UTF-8"}) == "hi"
    assert lang.choose(None, {"LANG": "pt_BR.UTF-8"}) == "pt-BR"
    # LANGUAGE is a list: its first language spoken wins; one it does not know is passed over.
    assert lang.choose(None, {"LANGUAGE": "fr:id:en", "LANG": "es_MX.UTF-8"}) == "id"
    # A locale in force that wa-audit does not speak is English, not the next variable's language.
    assert lang.choose(None, {"LC_ALL": "fr_FR.UTF-8", "LANG": "pt_BR.UTF-8"}) == "en"
    assert lang.choose(None, {}) == "en"


@pytest.mark.parametrize(("option", "env"), [("fr", {}), (None, {"WA_AUDIT_LANG": "klingon"})])
def test_a_language_asked_for_by_name_that_is_not_spoken_is_an_error(
    option: str | None, env: dict[str, str]
) -> None:
    with pytest.raises(UserError) as error:
        lang.choose(option, env)
    assert "wa-audit speaks en, pt-BR, es, hi, id" in error.value.message
    assert error.value.exit_code == 2


def test_dates_are_iso_in_english_and_the_locales_own_elsewhere() -> None:
    day, at = date(2026, 12, 7), datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
    assert (lang.day(day), lang.moment(at)) == ("2026-12-07", "2026-12-07 09:30")
    with lang.speaking("pt-BR"):
        assert lang.day(day) == "7 de dez. de 2026"
        assert lang.moment(at) == "7 de dez. de 2026 09:30"
    with lang.speaking("es"):
        assert lang.day(day) == "7 dic 2026"
    with lang.speaking("hi"):
        assert "2026" in lang.day(day)
        assert "दिस" in lang.day(day)
    assert lang.current() == "en"  # the block ends, English again


def test_english_loads_no_catalog_and_no_babel() -> None:
    code = (
        "import sys, datetime, audit.lang as l; l._('x'); l.day(datetime.date(2026, 1, 1));"
        "print(sorted(m for m in ('gettext', 'babel') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"

"""The person's language: which one, and its words (gettext catalogs, loaded only when not English).

Chosen once per run (`choose`, then `use`): `--lang`, else $WA_AUDIT_LANG, else the POSIX order
LANGUAGE > LC_ALL > LC_MESSAGES > LANG, else English. A language named on purpose (`--lang`,
$WA_AUDIT_LANG) that wa-audit does not speak is an error naming those it does; a system locale it
does not speak is English, silently (C, POSIX and en_GB all are).

The code's sentences are marked `_("...")` (and `ngettext` for counts); `pybabel extract` finds them
(babel.cfg), translators fill `audit/locale/<ll_CC>/LC_MESSAGES/wa_audit.po`, and the build compiles
each to the `.mo` read here (docs/DEVELOPMENT.md, "Adding a language"). The rule pack's own text has
catalogs of its own in the pack (`load/translations.py`). Ids, keys and quotes are never translated.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from audit.errors import UserError

if TYPE_CHECKING:
    import gettext

ENGLISH = "en"
# What wa-audit speaks: its tag (BCP 47, as `--lang` and the JSON `lang` key write it) -> the
# language's own name. The catalog folder is the POSIX form (`pt_BR`), see `catalog_dir`.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "pt-BR": "Português (Brasil)",
    "es": "Español",
    "hi": "हिन्दी",
    "id": "Bahasa Indonesia",
}
# A bare language picks its one variant here (`pt` is Brazilian Portuguese); `in` is Indonesian's
# old ISO code, still sent by some systems.
_ALIASES = {"pt": "pt-BR", "in": "id"}
DOMAIN = "wa_audit"
LOCALE_DIR = Path(__file__).parent / "locale"
ENV = "WA_AUDIT_LANG"
POSIX_ORDER = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

# A context variable, not a global: a test (or a report in another language) sets it for a block.
_active: ContextVar[str] = ContextVar("wa_audit_lang", default=ENGLISH)


def parse(tag: str) -> str | None:
    """The language `tag` names (`pt-BR`, `pt_BR.UTF-8`, `pt`, `es_MX`, `ES`), or None."""
    base = tag.strip().split(".")[0].split("@")[0].replace("_", "-")
    if not base:
        return None
    lang, _sep, region = base.partition("-")
    lang = lang.lower()
    exact = f"{lang}-{region.upper()}" if region else lang
    for candidate in (exact, lang):
        if candidate in LANGUAGES:
            return candidate
        if candidate in _ALIASES:
            return _ALIASES[candidate]
    return None


def choose(option: str | None, environ: Mapping[str, str] | None = None) -> str:
    """The language for this run (see the module's doc); an unknown `--lang` or $WA_AUDIT_LANG is an error."""
    env = os.environ if environ is None else environ
    for given, named in ((option, "--lang"), (env.get(ENV), ENV)):
        if given:
            found = parse(given)
            if found is None:
                raise UserError(
                    f"{named} {given!r}: wa-audit speaks {', '.join(LANGUAGES)}; give one of those"
                )
            return found
    for variable in POSIX_ORDER:
        value = env.get(variable, "")
        if not value:
            continue
        # LANGUAGE is a list in order of preference (pt_BR:en); the first one spoken wins.
        for tag in value.split(":") if variable == "LANGUAGE" else (value,):
            found = parse(tag)
            if found is not None:
                return found
        if variable != "LANGUAGE":
            return ENGLISH  # the locale in force names a language wa-audit does not speak
    return ENGLISH


def use(lang: str) -> None:
    """Speak `lang` from now on (the CLI calls it once, after `choose`)."""
    if lang not in LANGUAGES:
        raise ValueError(f"not a language wa-audit speaks: {lang}")
    _active.set(lang)


def current() -> str:
    return _active.get()


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """`lang` for the block (tests, and a report in a language other than the run's)."""
    if lang not in LANGUAGES:
        raise ValueError(f"not a language wa-audit speaks: {lang}")
    token = _active.set(lang)
    try:
        yield
    finally:
        _active.reset(token)


def catalog_dir(lang: str) -> str:
    """The POSIX name of `lang`: its catalog folder and Babel's (CLDR's) locale, `pt_BR`, `es`."""
    return lang.replace("-", "_")


@cache
def _translations(lang: str) -> gettext.NullTranslations:
    import gettext

    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[catalog_dir(lang)], fallback=True)


def _(message: str) -> str:
    """`message` in the person's language (itself in English, or where the catalog lacks it)."""
    if (lang := _active.get()) == ENGLISH:
        return message
    return _translations(lang).gettext(message)


def N_(message: str) -> str:  # noqa: N802 - gettext's own name for it, as pybabel extracts it
    """Marks `message` for the catalog where it is defined; `_` translates it where it is used."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a sentence for a count `n`, in the person's language."""
    if (lang := _active.get()) == ENGLISH:
        return singular if n == 1 else plural
    return _translations(lang).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` where one English word means two things (`context` tells them apart)."""
    if (lang := _active.get()) == ENGLISH:
        return message
    return _translations(lang).pgettext(context, message)


def day(value: date) -> str:
    """A date for the person: ISO 8601 in English (as every report has always said it), else the locale's."""
    if (lang := _active.get()) == ENGLISH:
        return value.isoformat()
    from babel.dates import format_date

    return format_date(value, format="medium", locale=catalog_dir(lang))


def moment(value: datetime) -> str:
    """A date and time to the minute: `2026-12-07 09:30` in English, else the locale's (Babel)."""
    if (lang := _active.get()) == ENGLISH:
        return f"{value:%Y-%m-%d %H:%M}"
    from babel.dates import format_date, format_time, get_datetime_format

    locale = catalog_dir(lang)
    # The locale's own order of date and time, as Babel's format_datetime joins them.
    pattern = str(get_datetime_format("medium", locale=locale)).replace("'", "")
    time = format_time(value, format="short", tzinfo=value.tzinfo, locale=locale)
    return pattern.replace("{0}", time).replace("{1}", format_date(value, format="medium", locale=locale))


def number(value: float) -> str:
    """A number as the person's locale writes it (decimal separator, digits)."""
    if (lang := _active.get()) == ENGLISH:
        return f"{value:g}"
    from babel.numbers import format_decimal

    return format_decimal(value, locale=catalog_dir(lang))


def percent(value: float) -> str:
    """A fraction as a percentage in the person's locale (0.2 -> 20%, 20 %)."""
    if (lang := _active.get()) == ENGLISH:
        return f"{value:.0%}"
    from babel.numbers import format_percent

    return format_percent(value, locale=catalog_dir(lang))

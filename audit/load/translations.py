"""The rule pack's own text in the person's language: its catalogs, read, applied and checked.

A pack speaks English in its YAML; each other language is a gettext catalog in the pack,
`i18n/<lang>.po` (`pt-BR.po`, `hi.po`), made from the template `i18n/pack.pot` that
`wa-audit rules extract` writes. Each entry's context (msgctxt) is the text's place in the pack, built
from ids (`questions.region.values.eea.label`, `findings.no_2sv.fix.steps.android.0`), its msgid the
English it translates. A translation is used only while its English is the pack's (an entry whose
English changed since is stale: the English is shown, and `rules check` says so), never when fuzzy.

Quotes (citations) and sources' titles are never translated: they are the source's own words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING, Any

from audit.model.frozen import FrozenModel
from audit.model.pack import (
    DataCategory,
    Finding,
    FlowRule,
    HelpIf,
    Pack,
    PackMeta,
    Problem,
    Protection,
    ProtectionException,
    Purpose,
    Question,
    Recipient,
    Right,
    Section,
    Steps,
    Value,
    Where,
)

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

I18N_DIR = "i18n"
TEMPLATE = "pack.pot"
# The fields of each model that a person reads; everything else is ids, numbers, conditions, quotes.
TRANSLATED: dict[type[FrozenModel], tuple[str, ...]] = {
    PackMeta: ("title",),
    Section: ("title", "intro"),
    DataCategory: ("label", "description"),
    Recipient: ("label", "description"),
    Purpose: ("label",),
    Question: ("prompt", "help"),
    HelpIf: ("text",),
    Value: ("label", "how"),
    Where: ("android", "iphone"),
    FlowRule: ("title", "note"),
    Finding: ("title", "detail", "risk", "conflict"),
    Steps: ("android", "iphone"),
    Protection: ("title", "detail"),
    ProtectionException: ("text", "if_unknown"),
    Right: ("title", "how"),
}
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\(?\w*\)?[sd]")

Translate = Callable[[str, str], str]


def catalog_path(directory: Path, lang: str) -> Path:
    return directory / I18N_DIR / f"{lang}.po"


def texts(pack: Pack) -> Iterator[tuple[str, str]]:
    """(place, English) for every text of `pack` a person reads, in the pack's order."""
    found: list[tuple[str, str]] = []

    def collect(place: str, text: str) -> str:
        found.append((place, text))
        return text

    _walk(pack, "", collect)
    yield from found


def translate(pack: Pack, translate_one: Translate) -> Pack:
    """`pack` with each text replaced by `translate_one(place, english)` (ids, conditions kept)."""
    translated: Pack = _walk(pack, "", translate_one)  # type: ignore[assignment]
    return translated


def _walk(obj: FrozenModel, place: str, fn: Translate) -> FrozenModel:
    """`obj` rebuilt with its texts (and its models' texts) passed through `fn`; itself if none changed."""
    wanted = TRANSLATED.get(type(obj), ())
    updates: dict[str, Any] = {}
    for name in type(obj).model_fields:
        value = getattr(obj, name)
        where = f"{place}.{name}" if place else name
        new: Any = value
        if name in wanted and isinstance(value, str) and value:
            new = fn(where, value)
        elif name in wanted and isinstance(value, tuple):
            new = tuple(fn(f"{where}.{i}", text) for i, text in enumerate(value))
        elif isinstance(value, FrozenModel):
            new = _walk(value, where, fn)
        elif isinstance(value, tuple) and value and isinstance(value[0], FrozenModel):
            new = tuple(_walk(item, f"{where}.{getattr(item, 'id', i)}", fn) for i, item in enumerate(value))
        if new != value:
            updates[name] = new
    if not updates:
        return obj
    fields = {name: getattr(obj, name) for name in type(obj).model_fields} | updates
    # model_construct, not model_copy: a copy would keep the English pack's cached lookups.
    return type(obj).model_construct(_fields_set=obj.model_fields_set, **fields)


# --- catalogs --------------------------------------------------------------------------------
def read_catalog(path: Path, lang: str) -> Catalog:
    """The catalog at `path` (Babel's reader: a malformed file is a PackError naming it)."""
    from babel.messages.pofile import PoFileError, read_po

    from audit.errors import PackError
    from audit.lang import catalog_dir

    try:
        with path.open("rb") as handle:
            return read_po(handle, locale=catalog_dir(lang), abort_invalid=True)
    except (PoFileError, ValueError, UnicodeDecodeError) as e:
        raise PackError(f"{path}: not a readable translation catalog ({e}); fix or remove it") from e


@dataclass(frozen=True)
class Entry:
    english: str
    text: str
    fuzzy: bool


def entries(catalog: Catalog) -> dict[str, Entry]:
    """The catalog's translations by place (msgctxt)."""
    found: dict[str, Entry] = {}
    for message in catalog:
        if not message.id or not message.context or not isinstance(message.id, str):
            continue
        text = message.string if isinstance(message.string, str) else ""
        found[message.context] = Entry(message.id, text, message.fuzzy)
    return found


def in_language(pack: Pack, directory: Path, lang: str) -> Pack:
    """`pack` in `lang` where its catalog has a current translation, English elsewhere."""
    path = catalog_path(directory, lang)
    if not path.is_file():
        return pack
    known = entries(read_catalog(path, lang))

    def one(place: str, english: str) -> str:
        entry = known.get(place)
        if entry is None or entry.fuzzy or not entry.text or entry.english != english:
            return english
        return entry.text

    return translate(pack, one)


def catalog_problems(pack: Pack, directory: Path) -> list[Problem]:
    """What `rules check` says of the pack's catalogs.

    Entries for places that no longer exist, English that changed since the translation, placeholders
    that differ (errors); fuzzy or missing translations (warnings: the English is shown there).
    """
    from audit.errors import PackError
    from audit.lang import ENGLISH, LANGUAGES

    folder = directory / I18N_DIR
    if not folder.is_dir():
        return []
    english = dict(texts(pack))
    problems: list[Problem] = []
    pot = folder / TEMPLATE
    if pot.is_file() and pot.read_text(encoding="utf-8") != template(pack):
        problems.append(
            Problem(
                str(pot),
                f"out of date with the pack's text; run 'wa-audit rules extract {directory}'",
                "warning",
            )
        )
    for path in sorted(folder.glob("*.po")):
        lang = path.stem
        if lang not in LANGUAGES or lang == ENGLISH:
            problems.append(
                Problem(str(path), f"no language '{lang}': name it after one of {', '.join(LANGUAGES)}")
            )
            continue
        try:
            known = entries(read_catalog(path, lang))
        except PackError as e:
            problems.append(Problem(str(path), e.detail))
            continue
        for place, entry in known.items():
            where = f"{path}: {place}"
            if place not in english:
                problems.append(Problem(where, "translates a text the pack no longer has; remove it"))
            elif entry.english != english[place]:
                problems.append(
                    Problem(where, "its English changed since it was translated; translate it again")
                )
            elif entry.fuzzy or not entry.text:
                problems.append(Problem(where, "not translated yet (empty or fuzzy)", "warning"))
            elif placeholders(entry.text) != placeholders(entry.english):
                problems.append(Problem(where, "its placeholders differ from the English"))
        missing = [place for place in english if place not in known]
        if missing:
            more = f" and {len(missing) - 1} more" if len(missing) > 1 else ""
            problems.append(
                Problem(
                    str(path),
                    f"no translation of {missing[0]}{more}; run 'wa-audit rules extract {directory}' "
                    "and update the catalog from its i18n/pack.pot (docs/DEVELOPMENT.md)",
                    "warning",
                )
            )
    return problems


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def template(pack: Pack) -> str:
    """The pack's translation template (`i18n/pack.pot`): every text, its place as context."""
    from datetime import datetime
    from io import BytesIO

    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    # Dated by the pack's review, not the clock: the template changes only when the pack does.
    reviewed = datetime(*pack.meta.reviewed.timetuple()[:3], tzinfo=UTC)
    catalog = Catalog(
        project=f"wa-audit rule pack {pack.meta.id}",
        version=str(pack.meta.version),
        creation_date=reviewed,
        header_comment=f"# The text of the rule pack '{pack.meta.id}', to translate (docs/DEVELOPMENT.md).",
        fuzzy=False,
    )
    for place, english in texts(pack):
        catalog.add(english, context=place)
    out = BytesIO()
    write_po(out, catalog, width=100, omit_header=False, sort_output=False)
    return out.getvalue().decode()

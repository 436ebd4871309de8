"""Every language wa-audit speaks is complete.

The code's catalog and the pack's: each message translated (every plural form), none fuzzy, the same
placeholders, and nothing the code or the pack says now missing from them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from audit import lang
from audit.load import translations
from audit.load.read import load_pack
from tests.conftest import ROOT

SPOKEN = [tag for tag in lang.LANGUAGES if tag != lang.ENGLISH]
BUNDLED = ROOT / "rules" / "whatsapp"


def code_catalog(tag: str) -> Path:
    return lang.LOCALE_DIR / lang.catalog_dir(tag) / "LC_MESSAGES" / f"{lang.DOMAIN}.po"


def read(path: Path, tag: str) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=lang.catalog_dir(tag))


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> frozenset[tuple[str | None, str]]:
    """What the code says now, as `make translations` extracts it (babel.cfg)."""
    out = tmp_path_factory.mktemp("extract") / "now.pot"
    command = [sys.executable, "-m", "babel.messages.frontend", "--quiet", "extract", "-F", "babel.cfg"]
    command += ["-k", "N_", "-k", "pgettext:1c,2", "--no-location", "-o", str(out), "."]
    subprocess.run(command, cwd=ROOT, check=True)
    return frozenset(ids(read(out, "en")))


def ids(catalog: Catalog) -> set[tuple[str | None, str]]:
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}


def problems(catalog: Catalog) -> list[str]:
    found = []
    for message in catalog:
        if not message.id:
            continue
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        name = f"{message.context + ': ' if message.context else ''}{english[0][:50]!r}"
        if message.fuzzy:
            found.append(f"{name}: fuzzy")
        if not all(strings):
            found.append(f"{name}: not translated")
        wanted = translations.placeholders(english[-1])
        for text in strings:
            said = translations.placeholders(text)
            # A plural form may leave out the count ("one finding"), never add or lose another.
            plural_ok = len(english) > 1 and set(said) <= set(wanted)
            if text and said != wanted and not plural_ok:
                found.append(f"{name}: placeholders differ")
    return found


@pytest.mark.parametrize("tag", SPOKEN)
def test_the_code_catalog_is_complete(tag: str, extracted: frozenset[tuple[str | None, str]]) -> None:
    path = code_catalog(tag)
    assert path.is_file(), f"no catalog for {tag}: make new-language LANGUAGE_TAG={tag}"
    catalog = read(path, tag)
    assert problems(catalog) == []
    have = ids(catalog)
    assert sorted(extracted - have, key=str) == [], "run: make translations, then translate what is new"
    assert sorted(have - extracted, key=str) == [], "run: make translations (drops what is no longer said)"


@pytest.mark.parametrize("tag", SPOKEN)
def test_the_pack_catalog_is_complete(tag: str) -> None:
    path = translations.catalog_path(BUNDLED, tag)
    assert path.is_file(), f"no catalog for {tag}: make new-language LANGUAGE_TAG={tag}"
    assert problems(read(path, tag)) == []
    own = [
        str(p) for p in translations.catalog_problems(load_pack(BUNDLED), BUNDLED) if f"/{tag}.po" in p.where
    ]
    assert own == []

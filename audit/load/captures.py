"""Dated captures of the policies a pack quotes: `captures/<capture-id>-<YYYY-MM-DD>.md`.

A source names its capture id (`capture: privacy-policy-eea`) and the day it was `checked`; the
version it was checked against is the newest capture of that id dated on or before that day (or,
for a source that is one dated version of a policy, the capture of its own `date`). The pack lists
the versions it has (`Pack.captures`, from the file names) so reports can say which.
`rules check` verifies each quote against that version, word for word (only runs of white space
are collapsed: quotes, dashes and apostrophes must match).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from audit.errors import PackError, UserError
from audit.files import read_bounded
from audit.model.pack import Pack, Problem, Source, version_checked

CAPTURES_DIR = "captures"
# A capture is one page's text (the European policy is 140 kB): a bigger file is not one.
MAX_CAPTURE_BYTES = 4_000_000
_NAME = re.compile(r"(?P<id>[a-z0-9]+(?:-[a-z0-9]+)*?)-(?P<date>\d{4}-\d{2}-\d{2})\.md")


@dataclass(frozen=True)
class Capture:
    """One dated version of a captured document."""

    id: str
    date: date
    path: Path

    def text(self) -> str:
        """The capture's text; UserError (one line, naming the file) when it cannot be read."""
        try:
            return read_bounded(self.path, MAX_CAPTURE_BYTES).decode("utf-8")
        except UnicodeDecodeError as e:
            raise UserError(
                f"{self.path}: not UTF-8 text (byte {e.start}); save the capture as UTF-8"
            ) from None
        except OSError as e:
            raise UserError(f"{self.path}: cannot read it ({e.strerror or e})") from None


def parse_name(path: Path) -> Capture:
    """The capture a file name names; PackError (one line) when the name has no valid date."""
    m = _NAME.fullmatch(path.name)
    if m is None:
        raise PackError(
            f"{path}: a capture is named <capture-id>-<YYYY-MM-DD>.md "
            "(e.g. privacy-policy-eea-2026-07-02.md); rename it"
        )
    try:
        day = date.fromisoformat(m["date"])
    except ValueError:
        raise PackError(
            f"{path}: '{m['date']}' is not a date; name it <capture-id>-<YYYY-MM-DD>.md"
        ) from None
    return Capture(id=m["id"], date=day, path=path)


def captures_in(folder: Path) -> dict[str, tuple[Capture, ...]]:
    """Every capture in `folder` (its `.md` files but README.md), by id, oldest first."""
    found: dict[str, list[Capture]] = {}
    for path in sorted(folder.glob("*.md")):
        if path.name != "README.md":
            c = parse_name(path)
            found.setdefault(c.id, []).append(c)
    return {k: tuple(sorted(v, key=lambda c: c.date)) for k, v in sorted(found.items())}


def captures_given(folder: Path) -> dict[str, tuple[Capture, ...]]:
    """The captures of a folder the person gives (`rules drift --captures DIR`); UserError when none."""
    if not folder.is_dir():
        what = "not a folder" if folder.exists() else "no such folder"
        raise UserError(f"{folder}: {what} (--captures); give the folder that holds the captures")
    found = captures_in(folder)
    if not found:
        raise UserError(
            f"{folder}: no capture in it (--captures); captures are named <capture-id>-<YYYY-MM-DD>.md"
        )
    return found


def checked_version(versions: tuple[Capture, ...], source: Source) -> Capture | None:
    """The version `source` was checked against (`model.pack.version_checked`)."""
    day = version_checked([c.date for c in versions], source)
    return next((c for c in versions if c.date == day), None)


def collapse(text: str) -> str:
    """Runs of white space as one space: a quote may wrap where the capture does not."""
    return " ".join(text.split())


def quote_problems(pack: Pack, pack_dir: Path) -> list[Problem]:
    """Sources whose capture is missing, and quotes not found verbatim in the version checked."""
    folder = pack_dir / CAPTURES_DIR
    captured = [s for s in pack.sources if s.capture]
    if not captured:
        return []
    try:
        captures = captures_in(folder) if folder.is_dir() else {}
    except PackError as e:
        return [Problem(str(folder), e.message.split(": ", 1)[1])]
    problems: list[Problem] = []
    texts: dict[Path, str] = {}
    where = f"{pack_dir / 'sources.yaml'}"
    for s in captured:
        assert s.capture is not None  # noqa: S101 - filtered above
        version = checked_version(captures.get(s.capture, ()), s)
        if version is None:
            problems.append(
                Problem(
                    where,
                    f"source {s.id}: no capture '{s.capture}' dated on or before {s.checked} in {folder}; "
                    f"add {s.capture}-{s.checked}.md there",
                )
            )
            continue
        problems += _edition_problems(s, pack, captures=captures, texts=texts, where=where, folder=folder)
        text = texts.setdefault(version.path, collapse(version.text()))
        for owner, quote in pack.quotes_of(s.id):
            if collapse(quote) not in text:
                problems.append(
                    Problem(
                        where,
                        f"{owner}: the quote of {s.id} is not in {version.path.name} "
                        f"(checked {s.checked}): '{quote[:60]}'; copy it from the capture word for word",
                    )
                )
    return problems


def _edition_problems(
    source: Source,
    pack: Pack,
    *,
    captures: dict[str, tuple[Capture, ...]],
    texts: dict[Path, str],
    where: str,
    folder: Path,
) -> list[Problem]:
    """An edition's passages: each the words of one of the source's quotes, found in its own capture."""
    from audit.lang import ENGLISH, LANGUAGES

    problems: list[Problem] = []
    quotes = {quote for _owner, quote in pack.quotes_of(source.id)}
    for edition in source.editions:
        named = f"source {source.id}, edition {edition.lang}"
        if edition.lang not in LANGUAGES or edition.lang == ENGLISH:
            problems.append(
                Problem(where, f"{named}: not a language wa-audit speaks ({', '.join(LANGUAGES)})")
            )
        earlier = [c for c in captures.get(edition.capture, ()) if c.date <= edition.checked]
        version = earlier[-1] if earlier else None
        if version is None:
            problems.append(
                Problem(
                    where,
                    f"{named}: no capture '{edition.capture}' dated on or before {edition.checked} "
                    f"in {folder}",
                )
            )
            continue
        text = texts.setdefault(version.path, collapse(version.text()))
        for quote, passage in edition.passages.items():
            if quote not in quotes:
                problems.append(
                    Problem(where, f"{named}: '{quote[:60]}' is not a quote of {source.id}; give one")
                )
            if collapse(passage) not in text:
                problems.append(
                    Problem(
                        where,
                        f"{named}: the passage is not in {version.path.name}: '{passage[:60]}'; "
                        "copy it from the capture word for word",
                    )
                )
    return problems


def capture_versions(pack_dir: Path) -> dict[str, tuple[date, ...]]:
    """The version dates of each capture in the pack's captures/ folder (none without the folder)."""
    folder = pack_dir / CAPTURES_DIR
    if not folder.is_dir():
        return {}
    return {k: tuple(c.date for c in v) for k, v in captures_in(folder).items()}

"""Every quote that cites a captured source occurs verbatim in the capture version it was checked against.

The bundled pack ships its captures (rules/whatsapp/captures/<id>-<YYYY-MM-DD>.md); a source names
its capture id and the day it was `checked`. `rules check` (load.captures.quote_problems) finds each
quote in that version: only runs of white space are collapsed, so quotes, dashes and apostrophes
must match character for character.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from audit.errors import PackError
from audit.load.captures import CAPTURES_DIR, captures_in, checked_version, parse_name, quote_problems
from audit.load.read import load_pack, pack_problems
from audit.load.resources import default_pack_dir
from tests.conftest import edit_pack_file

PACK = default_pack_dir()
SHARED = Path(__file__).resolve().parents[2] / "shared" / "sources"
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "eea-nothing-linked.yaml"


def test_every_quote_of_a_captured_source_is_in_the_version_it_was_checked_against() -> None:
    pack = load_pack(PACK)
    assert quote_problems(pack, PACK) == []
    # Not vacuous: the European, UK and global policies are captured and quoted.
    for source_id in ("S1", "S2", "S3"):
        source = pack.source_by_id[source_id]
        assert source.capture, source_id
        assert pack.quotes_of(source_id), f"no quote of {source_id}"


def test_every_capture_a_source_names_is_bundled() -> None:
    pack = load_pack(PACK)
    captures = captures_in(PACK / CAPTURES_DIR)
    for s in pack.sources:
        if s.capture:
            version = checked_version(captures.get(s.capture, ()), s)
            assert version is not None, s.id
            assert version.date <= s.checked, s.id


def test_bundled_captures_are_the_shared_archive_word_for_word() -> None:
    # The captures came from the project's archive (shared/sources); a copy must not drift from it.
    if not SHARED.is_dir():
        pytest.skip("the shared sources are not beside this checkout")
    bundled = {
        c.path.read_text(encoding="utf-8") for cs in captures_in(PACK / CAPTURES_DIR).values() for c in cs
    }
    shared = {p.read_text(encoding="utf-8") for p in SHARED.glob("*.md") if p.name != "README.md"}
    assert bundled == shared


def test_a_quote_changed_by_one_character_is_refused(tmp_path: Path) -> None:
    pack_dir = tmp_path / "whatsapp"
    shutil.copytree(PACK, pack_dir)
    # A quote of the European policy written on one line of one file, once: change its last letter.
    files = [pack_dir / name for name in ("flows.yaml", "findings.yaml", "protections.yaml")]
    file, quote = next(
        (f, q)
        for _, q in load_pack(pack_dir).quotes_of("S2")
        for f in files
        if sum(g.read_text(encoding="utf-8").count(q) for g in files) == 1
        and q in f.read_text(encoding="utf-8")
    )
    edit_pack_file(file, quote, quote[:-1] + "#")
    problems = [str(p) for p in pack_problems(pack_dir)]
    assert len(problems) == 1, problems
    assert "the quote of S2 is not in privacy-policy-eea-2026-07-02.md (checked 2026-12-02)" in problems[0]
    assert problems[0].startswith(f"{pack_dir / 'sources.yaml'}: ")


def test_a_source_whose_capture_is_missing_is_refused_with_the_file_to_add(tmp_path: Path) -> None:
    pack_dir = tmp_path / "whatsapp"
    shutil.copytree(PACK, pack_dir)
    (pack_dir / CAPTURES_DIR / "privacy-policy-uk-2026-07-02.md").unlink()
    problems = [str(p) for p in pack_problems(pack_dir)]
    assert problems == [
        f"{pack_dir / 'sources.yaml'}: source S3: no capture 'privacy-policy-uk' dated on or before "
        f"2026-12-02 in {pack_dir / CAPTURES_DIR}; add privacy-policy-uk-2026-12-02.md there"
    ]


def test_a_source_that_is_one_version_of_a_policy_is_checked_against_that_version() -> None:
    pack = load_pack(PACK)
    versions = captures_in(PACK / CAPTURES_DIR)["privacy-policy-eea"]
    s25 = pack.source_by_id["S25"]  # the European policy of 25 February 2026
    assert s25.date == date(2026, 2, 25)
    assert checked_version(versions, s25).date == date(2026, 2, 25)  # type: ignore[union-attr]
    s2 = pack.source_by_id["S2"]
    assert checked_version(versions, s2).date == date(2026, 7, 2)  # type: ignore[union-attr]
    # Checked before the newest version existed: the version then current.
    older = s2.model_copy(update={"checked": date(2026, 5, 1), "date": date(2026, 5, 1)})
    assert checked_version(versions, older).date == date(2026, 2, 25)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("privacy-policy-eea.md", "a capture is named <capture-id>-<YYYY-MM-DD>.md"),
        ("privacy-policy-eea-2026-13-02.md", "'2026-13-02' is not a date"),
    ],
)
def test_a_capture_name_without_a_date_is_one_line_naming_it(tmp_path: Path, name: str, message: str) -> None:
    with pytest.raises(PackError, match=message) as caught:
        parse_name(tmp_path / name)
    assert str(tmp_path / name) in caught.value.message
    assert "\n" not in caught.value.message


def test_a_report_says_when_each_quote_was_checked_and_against_which_text(tmp_path: Path) -> None:
    import json

    from audit.app.cli import main

    out = tmp_path / "r.json"
    assert main(["--home", str(tmp_path / "h"), "report", "--answers", str(EXAMPLE), "-o", str(out)]) == 0
    refs = {s["id"]: s for f in json.loads(out.read_text(encoding="utf-8"))["findings"] for s in f["sources"]}
    assert refs["S2"]["checked"] == "2026-12-02"
    assert refs["S2"]["capture"] == "2026-07-02"  # the European policy's version it was checked against
    md = tmp_path / "r.md"
    assert main(["--home", str(tmp_path / "h"), "report", "--answers", str(EXAMPLE), "-o", str(md)]) == 0
    assert "2026-07-02; checked 2026-12-02 against the archived text of 2026-07-02" in md.read_text(
        encoding="utf-8"
    )

"""The report's note that a cited policy changed after the pack last checked it.

On each finding that cites it, in every format, from the names of the pack's own captures only.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from audit.app import reports
from audit.app.cli import main
from audit.app.settings import Settings
from audit.collect.answers_file import read_answers
from audit.load.read import load_pack
from audit.load.resources import default_pack_dir
from audit.paths import Home
from audit.render.base import Format
from tests.conftest import EXAMPLES

EEA = EXAMPLES / "eea-nothing-linked.yaml"
NOTE = "WhatsApp Ireland's policy (S2) changed on 2026-07-02; this was last checked on 2026-03-01."


@pytest.fixture
def checked_in_march(tmp_path: Path) -> Path:
    """The bundled pack (captures included) with the European policy last checked on 1 March 2026."""
    pack = tmp_path / "pack"
    shutil.copytree(default_pack_dir(), pack)
    sources = pack / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    start, end = text.index("  - id: S2\n"), text.index("  - id: S3\n")
    s2 = text[start:end]
    assert s2.count("checked: 2026-12-02") == 1
    sources.write_text(text[:start] + s2.replace("checked: 2026-12-02", "checked: 2026-03-01") + text[end:])
    return pack


def _render(pack_dir: Path, fmt: Format) -> str:
    settings = Settings(
        home=Home(pack_dir / "no-home"), rules=pack_dir, now=datetime(2026, 12, 7, tzinfo=UTC)
    )
    pack = load_pack(pack_dir)
    report = reports.build_report(pack, read_answers(pack, EEA), settings)
    return reports.render(report, pack, fmt, settings)


@pytest.mark.parametrize("fmt", [Format.TERMINAL, Format.HTML, Format.MARKDOWN])
def test_the_note_is_on_the_finding_that_cites_the_changed_policy(
    checked_in_march: Path, fmt: Format
) -> None:
    shown = _render(checked_in_march, fmt)
    flat = " ".join(shown.replace("&#39;", "'").split())
    assert flat.count(NOTE) == 1  # one finding of this report cites S2
    assert "reviewed 2026-12-07" in flat  # and the model's review date, as always


def test_the_json_report_lists_the_change_and_its_findings(checked_in_march: Path) -> None:
    body = json.loads(_render(checked_in_march, Format.JSON))
    assert body["policy_changes"] == [
        {
            "source": "S2",
            "changed": "2026-07-02",
            "checked": "2026-03-01",
            "findings": ["meta_service_provider"],
        }
    ]
    assert body["pack"]["reviewed"] == "2026-12-07"


def test_no_note_when_the_pack_was_checked_after_the_newest_capture(tmp_path: Path) -> None:
    for fmt in (Format.TERMINAL, Format.JSON):
        shown = _render(default_pack_dir(), fmt)
        assert "last checked on" not in shown
    assert json.loads(_render(default_pack_dir(), Format.JSON))["policy_changes"] == []


def test_the_cli_report_notes_it_too(
    checked_in_march: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["--home", str(tmp_path / "h"), "--rules", str(checked_in_march), "report", "--answers", str(EEA)]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    assert NOTE in " ".join(out.split())


def test_a_capture_added_to_the_pack_is_seen_through_the_pack_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(default_pack_dir(), pack)
    argv = [
        "--home",
        str(tmp_path / "h"),
        "--rules",
        str(pack),
        "report",
        "--answers",
        str(EEA),
        "--format",
        "json",
    ]
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out)["policy_changes"] == []  # the cache now holds this pack
    captures = pack / "captures"
    shutil.copy(captures / "privacy-policy-eea-2026-07-02.md", captures / "privacy-policy-eea-2026-12-20.md")
    assert main(argv) == 0
    changes = json.loads(capsys.readouterr().out)["policy_changes"]
    assert changes == [
        {
            "source": "S2",
            "changed": "2026-12-20",
            "checked": "2026-12-02",
            "findings": ["meta_service_provider"],
        }
    ]

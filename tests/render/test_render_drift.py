"""`wa-audit rules drift` as text, as golden files (reviewed by eye): the words a pack's editor reads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from audit.load.captures import captures_given
from audit.load.drift import drift
from audit.load.read import load_pack
from audit.render.drift import text
from tests.test_rules_drift import JUNE, POLICY, _captures, mini_captured  # noqa: F401 - a fixture

Golden = Callable[[str, str], None]


def _text(pack_dir: Path, folder: Path, min_versions: int = 1) -> str:
    report = drift(load_pack(pack_dir), captures_given(folder), given=folder, min_versions=min_versions)
    return text(report)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the captures folder as given: "caps", the same on every machine


LACKING = POLICY.replace("*   Anyone can see when you were last seen.\n", "")
# golden file: (the captures by day, --min-versions)
CASES = {
    # A removed quote, a reworded one, a new paragraph and a changed one.
    "drift.txt": ({"d2026_01_10": POLICY, "d2026_06_01": JUNE}, 1),
    # A quote missing from the newest capture only: not gone with --min-versions 2.
    "drift-min-versions.txt": ({"d2026_01_10": LACKING, "d2026_01_11": POLICY, "d2026_01_12": LACKING}, 2),
    "drift-one-paragraph.txt": (
        {
            "d2026_01_10": POLICY,
            "d2026_06_01": POLICY + "\nBusinesses you chat with can see your phone number.\n",
        },
        1,
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_drift_text(
    name: str,
    mini_captured: Path,  # noqa: F811 - the fixture imported above
    golden: Golden,
) -> None:
    versions, min_versions = CASES[name]
    golden(name, _text(mini_captured, _captures(Path("caps"), **versions), min_versions))


def test_captures_of_another_document_only(
    mini_captured: Path,  # noqa: F811 - the fixture imported above
    golden: Golden,
) -> None:
    """The pack's document is not checked, and the summary says so."""
    other = Path("other")
    other.mkdir()
    (other / "another-policy-2026-06-01.md").write_text(POLICY, encoding="utf-8")
    golden("drift-not-captured.txt", _text(mini_captured, other))


def test_a_word_diff_keeps_the_shared_words_next_to_each_change() -> None:
    from audit.model.drift import WordChange
    from audit.render.drift import CONTEXT_WORDS, diff_text

    before = " ".join(f"b{i}" for i in range(4 * CONTEXT_WORDS))
    between = " ".join(f"m{i}" for i in range(4 * CONTEXT_WORDS))
    after = " ".join(f"a{i}" for i in range(4 * CONTEXT_WORDS))
    diff = [
        WordChange(change="same", text=before),
        WordChange(change="removed", text="old"),
        WordChange(change="same", text=between),
        WordChange(change="added", text="new"),
        WordChange(change="same", text=after),
    ]
    keep = CONTEXT_WORDS
    assert diff_text(diff).split() == [
        "...",
        *before.split()[-keep:],
        "[-old-]",
        *between.split()[:keep],
        "...",
        *between.split()[-keep:],
        "{+new+}",
        *after.split()[:keep],
        "...",
    ]

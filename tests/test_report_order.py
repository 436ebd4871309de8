"""What the JSON report lists, in the order it lists it, for packs given with --rules.

Tests that compare sets cannot see an order change; these compare lists. Run as a person would:
`wa-audit --rules PACK report --answers FILE --format json`.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from audit.app.cli import main
from tests.conftest import DATA, EXAMPLES, edit_pack_file

ANSWERS_HEAD = "schema_version: 1\npack: mini\nanswers:\n"


@pytest.fixture
def pack_f10(tmp_path: Path) -> Path:
    """The mini pack with rule F3 renamed F10, and an `any` finding.

    F2 and F10 both send status to Meta; public_last_seen holds when either of two answers does.
    """
    pack = tmp_path / "pack"
    shutil.copytree(DATA / "packs" / "mini", pack)
    edit_pack_file(pack / "flows.yaml", "id: F3", "id: F10")
    edit_pack_file(pack / "findings.yaml", "{rule: F3}", "{rule: F10}")
    edit_pack_file(pack / "findings.yaml", "flows_from: [F3]", "flows_from: [F10]")
    edit_pack_file(
        pack / "findings.yaml",
        "when: {rule: F4}",
        'when: {any: [{question: last_seen, in: [everyone]}, {question: linked, in: ["yes"]}]}',
    )
    return pack


def report(capsys: pytest.CaptureFixture[str], tmp_path: Path, pack: Path, answers: str) -> dict:
    path = tmp_path / "answers.yaml"
    path.write_text(ANSWERS_HEAD + answers, encoding="utf-8")
    capsys.readouterr()
    code = main(["--home", str(tmp_path / "home"), "--rules", str(pack), "report", "--answers", str(path),
                 "--format", "json"])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def test_rule_ids_are_listed_in_number_order(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pack_f10: Path
) -> None:
    got = report(capsys, tmp_path, pack_f10, "  platform: android\n  linked: 'yes'\n  share: always\n")
    rules = {(f["data"], f["recipient"]): f["rules"] for f in got["flows"]}
    assert rules[("status_content", "meta_companies")] == ["F2", "F10"], "F2 before F10, not as text"
    assert rules[("presence", "meta_companies")] == ["F10"]


def test_a_possible_branch_beside_a_true_one_is_not_a_cause(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pack_f10: Path
) -> None:
    # last_seen = everyone holds; linked is not answered, so its branch only possibly holds.
    got = report(capsys, tmp_path, pack_f10, "  platform: android\n  last_seen: everyone\n")
    finding = next(f for f in got["findings"] if f["id"] == "public_last_seen")
    assert finding["certainty"] == "documented", "it holds: not worded as a condition"
    assert finding["triggered_by"] == {"last_seen": "everyone"}
    # Only possible branches: each is named, and the finding is only possible.
    got = report(capsys, tmp_path, pack_f10, "  platform: android\n")
    finding = next(f for f in got["findings"] if f["id"] == "public_last_seen")
    assert finding["certainty"] == "possible"
    assert list(finding["triggered_by"]) == ["last_seen", "linked"]


def natural(rule_id: str) -> tuple[str, int, str]:
    m = re.fullmatch(r"([A-Za-z]*)(\d*)(.*)", rule_id)
    assert m is not None
    return m.group(1), int(m.group(2) or 0), m.group(3)


def test_every_flow_of_the_bundled_examples_lists_its_rules_in_number_order(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    seen_multi = 0
    for example in sorted(EXAMPLES.glob("*.yaml")):
        capsys.readouterr()
        argv = ["--home", str(tmp_path / "home"), "report", "--answers", str(example), "--format", "json"]
        code = main(argv)
        out, err = capsys.readouterr()
        assert code == 0, err
        for flow in json.loads(out)["flows"]:
            assert flow["rules"] == sorted(flow["rules"], key=natural), flow
            seen_multi += len(flow["rules"]) > 1
    assert seen_multi, "some flow is sent by more than one rule, so the order was checked"


@pytest.mark.parametrize(
    ("renamed", "expected", "sources"),
    [
        ({"F2": "r2", "F3": "r10"}, ["r2", "r10"], ["S1", "S2"]),  # lower-case ids sort by number too
        ({"F1": "G1", "F2": "F1", "F3": "F"}, ["F", "F1"], ["S2", "S1"]),  # no number comes before 1
    ],
)
def test_rule_ids_of_any_shape_are_listed_in_number_order(
    renamed: dict[str, str],
    expected: list[str],
    sources: list[str],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    # F2 (documented, citing S1) and F3 (reported, citing S2) both send status to Meta for ads.
    pack = tmp_path / "pack"
    shutil.copytree(DATA / "packs" / "mini", pack)
    for name in ("flows.yaml", "findings.yaml"):
        path = pack / name
        text = path.read_text(encoding="utf-8")
        path.write_text(
            re.sub(r"\bF\d\b", lambda m: renamed.get(m.group(0), m.group(0)), text), encoding="utf-8"
        )
    got = report(capsys, tmp_path, pack, "  platform: android\n  linked: 'yes'\n  share: always\n")
    flow = next(
        f for f in got["flows"] if (f["data"], f["recipient"]) == ("status_content", "meta_companies")
    )
    assert flow["rules"] == expected
    (ads,) = flow["by_purpose"]
    assert ads["rules"] == expected
    assert [s["id"] for s in ads["sources"]] == sources, "each rule's sources, in the rules' order"
    assert ads["certainty"] == "documented", "as sure as the surest rule giving it"

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from audit import __version__
from audit.app.cli import main
from tests.conftest import EXAMPLES

SECTION_6_KEYS = {
    "schema_version",
    "generated_at",
    "pack",
    "score",
    "flows",
    "findings",
    "protections",
    "recommendations",
    "unknowns",
    "changes",
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_json_report_has_the_contract_keys(
    capsys: pytest.CaptureFixture[str], home: Path, example: str
) -> None:
    code, out, err = run(capsys, "report", "--answers", str(EXAMPLES / example), "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert set(report) >= SECTION_6_KEYS
    assert report["schema_version"] == 1
    assert report["pack"]["id"] == "whatsapp"
    assert 0 <= report["score"]["value"] <= 100
    assert not any(f["data"] == "phone_number" and f["recipient"] == "advertisers" for f in report["flows"])
    for finding in report["findings"]:
        assert finding["sources"], finding["id"]
        assert set(finding) >= {
            "id",
            "severity",
            "title",
            "detail",
            "certainty",
            "flows",
            "triggered_by",
            "sources",
            "fix",
        }


def test_opted_out_then_linked_names_both_answers(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    code, out, _ = run(
        capsys, "report", "--answers", str(EXAMPLES / "linked-everything.yaml"), "--format", "json"
    )
    assert code == 0
    findings = json.loads(out)["findings"]
    overridden = [f for f in findings if {"optout_2016", "accounts_center"} <= set(f["triggered_by"])]
    assert overridden, "the 2016 opt-out overridden by Accounts Center must be a finding"
    assert overridden[0]["triggered_by"]["optout_2016"] == "opted_out"
    assert overridden[0]["triggered_by"]["accounts_center"] == "linked"


def test_set_overrides_the_file(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    example = str(EXAMPLES / "linked-everything.yaml")
    _, before, _ = run(capsys, "report", "--answers", example, "--format", "json")
    _, after, _ = run(
        capsys, "report", "--answers", example, "--format", "json", "--set", "optout_2016=joined_later"
    )
    assert "optout_2016_overridden" in {f["id"] for f in json.loads(before)["findings"]}
    assert "optout_2016_overridden" not in {f["id"] for f in json.loads(after)["findings"]}


def test_output_file_is_private(capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    code, out, err = run(
        capsys, "report", "--answers", str(EXAMPLES / "eea-nothing-linked.yaml"), "-o", str(target)
    )
    assert code == 0
    assert out == ""
    assert str(target) in err
    assert json.loads(target.read_text())["schema_version"] == 1  # format taken from the suffix
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_fail_on(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    example = str(EXAMPLES / "linked-everything.yaml")
    assert run(capsys, "report", "--answers", example, "--format", "json", "--fail-on", "high")[0] == 1
    private = str(EXAMPLES / "eea-nothing-linked.yaml")
    assert run(capsys, "report", "--answers", private, "--format", "json", "--fail-on", "critical")[0] == 0


def test_terminal_report_is_plain_text_when_piped(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    code, out, _ = run(capsys, "report", "--answers", str(EXAMPLES / "linked-everything.yaml"))
    assert code == 0
    assert "\x1b[" not in out
    assert "exposure score" in out.lower()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("schema_version: 1\npack: whatsapp\nanswers:\n  regoin: eea\n", "did you mean 'region'"),
        ("schema_version: 1\npack: whatsapp\nanswers:\n  region: mars\n", "is not an answer to 'region'"),
        ("schema_version: 1\npack: whatsapp\nanswers: [\n", "not valid YAML"),
        (None, "no such file"),
    ],
)
def test_bad_answers_file_exit_2_one_line(
    capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path, content: str | None, expected: str
) -> None:
    path = tmp_path / "answers.yaml"
    if content is not None:
        path.write_text(content)
    code, out, err = run(capsys, "report", "--answers", str(path), "--format", "json")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"wa-audit: {path}")
    assert expected in err
    assert "Traceback" not in err


def test_debug_shows_the_traceback(home: Path, tmp_path: Path) -> None:
    from audit.errors import AnswersError

    with pytest.raises(AnswersError):
        main(["--debug", "report", "--answers", str(tmp_path / "missing.yaml")])


def test_no_answers_yet(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    code, _, err = run(capsys, "report", "--format", "json")
    assert code == 2
    assert err == (
        "wa-audit: no answers yet: run 'wa-audit' for the interview, "
        "or pass --answers FILE (see 'wa-audit example')\n"
    )


def test_unwritable_output(capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path) -> None:
    code, _, err = run(
        capsys,
        "report",
        "--answers",
        str(EXAMPLES / "eea-nothing-linked.yaml"),
        "-o",
        str(tmp_path / "no" / "such" / "dir" / "r.json"),
    )
    assert code == 2
    assert "cannot write" in err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_bad_usage_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["report", "--format", "pdf"])
    assert info.value.code == 2


def _every_exit_code() -> set[int]:
    """0, 1 (--fail-on), 70 (a bug) and each error class's own code."""
    from audit import errors

    classes = [c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, errors.AuditError)]
    return {0, 1, 70, *(c.exit_code for c in classes)}


def test_every_exit_code_is_documented(capsys: pytest.CaptureFixture[str]) -> None:
    import re

    from tests.conftest import ROOT

    with pytest.raises(SystemExit):
        main(["--help"])
    help_text = capsys.readouterr().out
    in_help = {int(m) for m in re.findall(r"^  (\d+) +\S", help_text.split("exit codes:")[1], re.M)}
    assert in_help == _every_exit_code() == {0, 1, 2, 70, 130}
    readme = (ROOT / "README.md").read_text()
    sentence = " ".join(readme.split("Exit codes:")[1].split(".")[0].split())
    assert {int(m) for m in re.findall(r"(?<![-\w])(\d+) (?=[a-z])", sentence)} == in_help, sentence


def test_fail_on_help_lists_the_five_values(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "exit 1 if a finding is at or above SEVERITY: info, low, medium, high or critical" in text


@pytest.mark.parametrize("command", ["history", "diff", "forget", "rules", "schema", "rules check"])
def test_every_command_has_a_description_in_its_help(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    with pytest.raises(SystemExit):
        main([*command.split(), "--help"])
    text = capsys.readouterr().out
    usage, _, rest = text.partition("\n\n")
    assert usage.startswith("usage: wa-audit")
    # argparse puts the description between the usage and the first option group.
    description = rest.split("\n\n", 1)[0]
    assert description.splitlines()[0] not in ("options:", "positional arguments:"), text
    assert len(description.split()) >= 6, description


def test_a_closed_stderr_pipe_keeps_the_exit_code(tmp_path: Path) -> None:
    # `wa-audit set about=x 2>&1 | head -0`: the reader is gone before the error is written. The
    # exit code stays 2 (an input error); 1 would say a finding reached --fail-on.
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "audit", "--home", str(tmp_path / "home"), "set", "about=x"],
            cwd=str(ROOT),
            stdout=write_end,
            stderr=write_end,
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)
    assert done.returncode == 2


# --- options before the command and after it are one (issue 14) -----------------------------------
@pytest.mark.parametrize(
    "argv",
    [
        ("-o", "{out}", "report", "--answers", "{example}"),
        ("report", "--answers", "{example}", "-o", "{out}"),
        ("--answers", "{example}", "-o", "{out}", "report"),
        ("-o", "{out}", "report", "--answers", "{example}", "-o", "{out}"),  # twice, the same value
    ],
    ids=["before", "after", "all-before", "both-same"],
)
def test_an_option_before_the_command_counts(
    capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path, argv: tuple[str, ...]
) -> None:
    out = tmp_path / "r.html"
    example = str(EXAMPLES / "linked-everything.yaml")
    code, stdout, _ = run(capsys, *(a.format(out=out, example=example) for a in argv))
    assert (code, stdout) == (0, "")
    assert out.read_text().startswith("<!DOCTYPE html>")


def test_an_option_given_twice_with_two_values_is_refused(
    capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path
) -> None:
    example = str(EXAMPLES / "linked-everything.yaml")
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    with pytest.raises(SystemExit) as exit_:
        main(["-o", str(first), "report", "--answers", example, "-o", str(second)])
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert len(err.strip().splitlines()) == 1
    assert "--output is given twice" in err
    assert str(first) in err
    assert str(second) in err
    assert not first.exists()
    assert not second.exists()


def test_set_before_and_after_the_command_add_up(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    example = str(EXAMPLES / "linked-everything.yaml")
    code, out, _ = run(
        capsys,
        *("--set", "optout_2016=joined_later", "report", "--answers", example),
        *("--set", "region=india", "--format", "json"),  # the 2016 override is sourced outside Europe
    )
    assert code == 0
    findings = {f["id"] for f in json.loads(out)["findings"]}
    assert "optout_2016_overridden" not in findings  # the --set given before the command
    _, other, _ = run(capsys, "report", "--answers", example, "--set", "region=india", "--format", "json")
    assert "optout_2016_overridden" in {f["id"] for f in json.loads(other)["findings"]}


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (("--format", "json", "history"), None),  # history takes --format json: it counts
        (("--format", "html", "history"), "invalid choice: 'html'"),
        (("--answers", "x.yaml", "history"), "--answers does not apply to 'history'"),
        (("-o", "x.txt", "forget", "--yes"), "--output does not apply to 'forget'"),
        (("--quick", "audit", "--full"), "not allowed with argument --quick"),
    ],
)
def test_an_option_before_a_command_that_does_not_take_it(
    capsys: pytest.CaptureFixture[str], home: Path, argv: tuple[str, ...], says: str | None
) -> None:
    if says is None:
        code, out, _ = run(capsys, *argv)
        assert code == 0
        assert json.loads(out)["runs"] == []
        return
    with pytest.raises(SystemExit) as exit_:
        main(list(argv))
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert says in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "argv",
    [
        ("report", "--answers", str(EXAMPLES / "linked-everything.yaml")),
        ("report", "--answers", str(EXAMPLES / "linked-everything.yaml"), "--format", "html"),
        ("rules", "check"),
        ("rules", "show", "--format", "markdown"),
        ("rules", "drift"),
        ("schema", "report"),
        ("history",),
    ],
    ids=lambda a: " ".join(a[:3]).replace(str(EXAMPLES) + "/", ""),
)
def test_a_closed_stdout_pipe_is_quiet(tmp_path: Path, argv: tuple[str, ...]) -> None:
    # `wa-audit report | head -1`: the reader is gone before the report is written. Not a failure:
    # no traceback, no "internal error", the command's exit code (0 here).
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "audit", "--home", str(tmp_path / "home"), *argv],
            cwd=str(ROOT),
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr) == (0, "")


def test_summary_with_o_files_the_report_and_says_where(
    capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path
) -> None:
    # `make demo`: the summary on screen (not the whole report), the full report in a file it names.
    page = tmp_path / "demo.html"
    code = main(
        ["report", "--answers", str(EXAMPLES / "linked-everything.yaml"), "-o", str(page), "--summary"]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert len(out.splitlines()) <= 24  # one screen
    assert "Your exposure score: 72/100" in out
    assert "Full report: " in out
    # A long path folds inside the panel (pytest-xdist's folders make it longer): read it unfolded.
    unfolded = "".join(line.strip().strip("\u2502").strip() for line in out.splitlines())
    assert str(page) in unfolded
    make = (EXAMPLES.parent / "Makefile").read_text(encoding="utf-8")
    demo = make[make.index("\ndemo:") : make.index("\n\n", make.index("\ndemo:"))]
    assert "--summary" in demo


def test_the_terminal_report_not_filed_points_to_the_plan_not_to_a_file(
    capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    """Printed, not filed: the last panel says where the details and the printable plan are."""
    code, out, err = run(capsys, "report", "--answers", str(EXAMPLES / "linked-everything.yaml"))
    assert code == 0, err
    assert "Full report:" not in out
    assert out.count("Details above. A page to print or send: wa-audit report --format plan") == 1

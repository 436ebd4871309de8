"""Reruns end to end through the CLI: set, history, diff, forget, model updates, a stale model."""

from __future__ import annotations

import json
import re
import shutil
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from audit.app import forget, record, runs
from audit.app.cli import main
from audit.app.reports import pack_for
from audit.app.settings import Settings
from audit.collect.answers_file import read_answers, save_answers
from audit.history.runs import History
from audit.load.read import load_pack
from audit.load.resources import default_pack_dir
from audit.model.pack import Pack
from audit.paths import Home
from audit.render.history_views import sparkline
from tests.conftest import EXAMPLES

LINKED = EXAMPLES / "linked-everything.yaml"
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _first_audit(home: Path, example: Path = LINKED, now: datetime = NOW) -> record.Recorded:
    """What a finished interview leaves behind: saved answers and one recorded run."""
    settings = Settings(home=Home(home), now=now)
    pack = pack_for(settings)
    answers = read_answers(pack, example)
    save_answers(settings.home.answers, answers, pack_version=pack.meta.version, answered_at=now)
    return record.commit_run(record.prepare_run(settings, pack, answers))


def _runs(home: Path) -> int:
    with History.open(home / "history.sqlite3") as h:
        return h.count()


def test_audit_then_set_shows_the_resolved_finding_and_lower_score(
    capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    first = _first_audit(home)
    assert first.run.id == 1
    assert first.report.changes is None  # nothing to compare the first run with
    assert "accounts_center_linked" in {f.id for f in first.report.findings}

    code, out, err = run(
        capsys, "set", "accounts_center=previously_linked", "status_to_facebook=never", "--format", "json"
    )
    assert code == 0, err
    assert "run 2" in err
    report = json.loads(out)
    changes = report["changes"]
    assert "accounts_center_linked" in changes["resolved_findings"]
    assert "accounts_center_linked" not in {f["id"] for f in report["findings"]}
    assert changes["score_before"] == first.report.score.value
    assert changes["score_after"] == report["score"]["value"] < first.report.score.value
    assert changes["changed_answers"] == {
        "accounts_center": {"from": "linked", "to": "previously_linked"},
        "status_to_facebook": {"from": "always", "to": "never"},
        # Asked only while linked: no longer asked, which is not "I don't know".
        "status_to_instagram": {"from": "selected", "to": "not_asked"},
    }
    assert changes["new_rules"] == []
    assert [p["score"] for p in report["trend"]] == [first.report.score.value, report["score"]["value"]]

    # The answers were saved: a plain report sees them, and does not record a run.
    saved = yaml.safe_load((home / "answers.yaml").read_text())
    assert saved["answers"]["accounts_center"] == "previously_linked"
    assert stat.S_IMODE((home / "answers.yaml").stat().st_mode) == 0o600
    code, out, _ = run(capsys, "report", "--format", "json")
    assert code == 0
    again = json.loads(out)
    # The saved answers are run 2's: the same history as the report `set` wrote, what changed since
    # run 1 included (issue 28: it used to show no trend and no changes).
    assert again["score"] == report["score"]
    assert again["changes"] == {**changes, "since_run": 1}
    assert again["trend"] == report["trend"]
    assert _runs(home) == 2

    # history lists both runs; diff of the two is exactly the changes the set report showed.
    code, out, _ = run(capsys, "history", "--format", "json")
    assert code == 0
    listed = json.loads(out)["runs"]
    assert [(r["run"], r["score"]["value"]) for r in listed] == [
        (1, first.report.score.value),
        (2, report["score"]["value"]),
    ]
    assert "accounts_center_linked" in listed[0]["findings"]
    assert "accounts_center_linked" not in listed[1]["findings"]
    for argv in (("diff",), ("diff", "1", "2"), ("diff", "1")):
        code, out, _ = run(capsys, *argv, "--format", "json")
        assert code == 0
        compared = json.loads(out)
        # The runs compared, by number and time, written as history writes them (RFC 3339, Z).
        assert compared.pop("previous_run") == {"run": 1, "at": listed[0]["at"]}, argv
        assert compared.pop("current_run") == {"run": 2, "at": listed[1]["at"]}, argv
        assert compared == changes, argv
    times = [r["at"] for r in listed] + [changes["since"], report["generated_at"]]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", t) for t in times), times


def test_terminal_views(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    code, out, _ = run(capsys, "history")
    assert code == 0
    assert "No runs yet" in out
    assert not home.exists()  # looking creates nothing

    first = _first_audit(home)
    code, out, err = run(capsys, "set", "two_step=on", "--no-color")
    assert code == 0, err
    assert "exposure score" in out.lower()

    code, out, _ = run(capsys, "history")
    assert code == 0
    assert "\x1b[" not in out  # piped: plain text
    lines = out.splitlines()
    assert any(line.split("\u2502")[1:2] == ["   1 "] for line in lines if "\u2502" in line)
    # Two-step verification on: a high finding gone, its points with it (two-step carries points).
    after = first.report.score.value - next(f.points for f in first.report.findings if f.id == "two_step_off")
    assert "Score trend: " + sparkline([first.report.score.value, after]) in out
    assert f" {first.run.pack_version} " in out

    code, out, _ = run(capsys, "diff")
    assert code == 0
    assert "Run 1" in out
    assert "run 2" in out
    # In the report's words: the question and its labels, the finding by its title, no raw ids.
    said = " ".join(out.split())  # the line wraps at the terminal's width
    assert "changed: Is two-step verification (a WhatsApp PIN or account password) on? Off \u2192 On" in said
    assert "Resolved findings (1):" in out
    assert "two_step" not in out
    assert all(line == line.rstrip() for line in out.splitlines())


def test_sparkline_uses_a_fixed_scale() -> None:
    assert sparkline([0, 50, 100]) == "\u2581\u2584\u2588"
    assert sparkline([12, 12, 12]) == "\u2581\u2581\u2581"
    assert sparkline([90]) == "\u2588"
    assert sparkline([]) == ""


def test_set_on_a_new_home_is_a_first_run(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    # The advice without a terminal is 'wa-audit set QUESTION=VALUE': it must work on a new home.
    code, out, err = run(capsys, "set", "region=eea", "accounts_center=never_linked", "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert report["answers"]["region"] == "eea"
    assert report["answers"]["status_to_facebook"] == "unknown"  # not answered: never taken as safe
    assert "run 1" in err
    saved = yaml.safe_load((home / "answers.yaml").read_text())["answers"]
    assert saved == {"region": "eea", "accounts_center": "never_linked"}


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (("diff",), "no runs yet"),
    ],
)
def test_nothing_saved_yet(
    capsys: pytest.CaptureFixture[str], home: Path, argv: tuple[str, ...], expected: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert expected in err
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("assignment", "expected"),
    [
        ("region=mars", "is not an answer to 'region'"),
        ("regoin=eea", "did you mean 'region'"),
        ("region", "question=value"),
    ],
)
def test_set_validates_like_an_answers_file(
    capsys: pytest.CaptureFixture[str], home: Path, assignment: str, expected: str
) -> None:
    _first_audit(home)
    before = (home / "answers.yaml").read_bytes()
    code, out, err = run(capsys, "set", "two_step=on", assignment)
    assert code == 2
    assert out == ""
    assert expected in err
    assert err.count("\n") == 1
    assert (home / "answers.yaml").read_bytes() == before  # nothing half-applied
    assert _runs(home) == 1


def test_diff_errors(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    _first_audit(home)
    code, _, err = run(capsys, "diff")
    assert code == 2
    assert "only one run so far" in err
    code, _, err = run(capsys, "diff", "1", "9")
    assert code == 2
    assert "no run 9 in the history (runs are 1..1)" in err
    code, _, err = run(capsys, "diff", "1", "2", "3")
    assert code == 2
    assert "at most two" in err


def test_report_with_answers_file_records_nothing(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    code, out, _ = run(capsys, "report", "--answers", str(LINKED), "--format", "json")
    assert code == 0
    assert json.loads(out)["changes"] is None
    assert not (home / "history.sqlite3").exists()


def test_every_recorded_report_says_when_the_model_is_stale(home: Path, bundled_pack: Pack) -> None:
    reviewed = datetime.combine(bundled_pack.meta.reviewed, datetime.min.time(), tzinfo=UTC)
    fresh = _first_audit(home, now=reviewed + timedelta(days=180))
    assert fresh.report.stale_model is False
    settings = Settings(home=Home(home), now=reviewed + timedelta(days=181))
    stale = record.commit_run(record.prepare_set(settings, bundled_pack, ["two_step=on"]))
    assert stale.report.stale_model is True


def _bumped_pack(tmp_path: Path) -> Path:
    """The bundled pack, one version on, with a new question, a new iPhone-only question, a new rule."""
    target = tmp_path / "rules-next"
    shutil.copytree(default_pack_dir(), target)
    meta = target / "pack.yaml"
    text, count = re.subn(r"(?m)^version: .*$", 'version: "2027.1"', meta.read_text())
    assert count == 1
    meta.write_text(text)
    # Appended as text: the files end inside their top-level list, and a YAML round trip through
    # PyYAML would turn "yes"/"no" into booleans.
    with open(target / "questions.yaml", "a", encoding="utf-8") as f:
        f.write(
            "\n  - id: channels_follow\n"
            "    section: meta\n"
            "    prompt: Do you follow Channels?\n"
            "    values:\n"
            "      - {id: many, label: Many}\n"
            "      - {id: none, label: None}\n"
            "  - id: iphone_only_thing\n"
            "    section: backups\n"
            "    prompt: An iPhone-only setting?\n"
            "    when: {question: platform, in: [iphone]}\n"
            "    values:\n"
            '      - {id: "on", label: "On"}\n'
            '      - {id: "off", label: "Off"}\n'
        )
    with open(target / "flows.yaml", "a", encoding="utf-8") as f:
        f.write(
            "\n  - id: F99\n"
            "    title: Channels you follow tell Meta what you like\n"
            "    when: {question: channels_follow, in: [many]}\n"
            "    certainty: documented\n"
            "    flows:\n"
            "      - {data: [usage_data], to: [meta_companies], purposes: [ads]}\n"
            "    sources:\n"
            "      - id: S1\n"
        )
    return target


def test_a_model_update_asks_only_the_new_question(home: Path, tmp_path: Path) -> None:
    first = _first_audit(home)  # android, bundled pack
    next_dir = _bumped_pack(tmp_path)
    settings = Settings(home=Home(home), rules=next_dir, now=NOW + timedelta(days=3))
    new_pack = load_pack(next_dir)

    last = runs.last_run(settings, new_pack)
    assert last == first.run
    update = runs.model_update(new_pack, last)
    assert update is not None
    assert update.questions == ("channels_follow",)  # the iPhone-only one does not apply
    assert update.new_rules == ("F99",)
    assert f"updated on {new_pack.meta.reviewed.isoformat()}" in update.message
    assert f"(version {first.run.pack_version} -> 2027.1)" in update.message

    # The pure function, with a saved value the new model no longer has.
    old_questions = list(first.run.questions_seen)
    stale_value = {**first.run.answers, "region": "atlantis"}
    assert runs.questions_to_ask_after_update(new_pack, stale_value, old_questions) == (
        "region",
        "channels_follow",
    )
    iphone = {**first.run.answers, "platform": "iphone"}
    assert runs.questions_to_ask_after_update(new_pack, iphone, old_questions) == (
        "channels_follow",
        "iphone_only_thing",
    )
    same = [q.id for q in new_pack.questions]
    assert runs.questions_to_ask_after_update(new_pack, first.run.answers, same) == ()

    # The same version again: no update to announce.
    assert runs.model_update(pack_for(Settings(home=Home(home))), last) is None

    # The next recorded run notes the rule that is new since the last run.
    answers = read_answers(new_pack, home / "answers.yaml").with_values({"channels_follow": "many"})
    recorded = record.commit_run(record.prepare_run(settings, new_pack, answers))
    assert recorded.report.changes is not None
    assert recorded.report.changes.new_rules == ("F99",)
    assert recorded.report.changes.changed_answers["channels_follow"].to == "many"
    assert runs.model_update(new_pack, recorded.run) is None


def test_a_damaged_history_is_moved_aside_and_reported(
    capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    _first_audit(home)
    damaged = b"\x00garbage, not SQLite\n" * 100
    (home / "history.sqlite3").write_bytes(damaged)
    code, out, err = run(capsys, "set", "two_step=on", "--format", "json")
    assert code == 0
    assert json.loads(out)["changes"] is None  # nothing to compare with: the old runs are aside
    notice = [line for line in err.splitlines() if "damaged" in line]
    assert len(notice) == 1
    assert notice[0].startswith("wa-audit: ")
    assert "history.sqlite3.damaged-" in notice[0]
    copies = list(home.glob("history.sqlite3.damaged-*"))
    assert len(copies) == 1
    assert copies[0].read_bytes() == damaged
    assert _runs(home) == 1


def _fill_home(home: Path) -> None:
    _first_audit(home)
    settings = Settings(home=Home(home), now=NOW)
    record.commit_run(record.prepare_set(settings, pack_for(settings), ["two_step=on"]))
    (home / "draft.yaml").write_text("schema_version: 1\n")
    (home / "reports").mkdir(mode=0o700, exist_ok=True)
    (home / "reports" / "report-20261201-120000.html").write_text("<html></html>")
    (home / "reports" / "report-20261201-120000-2.html").write_text("<html></html>")
    (home / "history.sqlite3.damaged-20261101T000000Z").write_bytes(b"junk")
    (home / ".answers.yaml.k3j4h5.tmp").write_text("half a write")
    # What a crashed process leaves next to the database (a clean close removes them).
    (home / "history.sqlite3-wal").write_bytes(b"")
    (home / "history.sqlite3-shm").write_bytes(b"")


def test_forget_leaves_no_file_of_ours(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    _fill_home(home)
    assert len(forget.stored_files(Home(home))) == 9
    code, out, _ = run(capsys, "forget", "--yes")
    assert code == 0
    assert not home.exists()
    assert out.count("deleted ") == 9
    assert f"deleted {home / 'answers.yaml'}" in out
    assert "removed the empty folder" in out
    code, out, _ = run(capsys, "forget", "--yes")
    assert code == 0
    assert "Nothing to forget" in out


def test_forget_keeps_files_it_did_not_write(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    _fill_home(home)
    mine = {
        "notes.txt": "mine",
        "reports/my-report.html": "<p>kept by hand</p>",
        "reports/report-final.html": "<p>renamed by the person</p>",
        "reports/old/report-20261101-120000.html": "<p>moved into a folder</p>",
    }
    for name, text in mine.items():
        (home / name).parent.mkdir(parents=True, exist_ok=True)
        (home / name).write_text(text)
    code, out, _ = run(capsys, "forget", "--yes")
    assert code == 0
    left = {str(p.relative_to(home)): p.read_text() for p in home.rglob("*") if p.is_file()}
    assert left == mine
    assert "Left alone: 4 file(s)" in out
    assert "notes.txt" in out


def test_forget_asks_first(
    capsys: pytest.CaptureFixture[str], home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill_home(home)
    before = sorted(p.name for p in home.rglob("*"))
    code, out, err = run(capsys, "forget")  # pytest's stdin is not a terminal
    assert code == 2
    assert "use 'wa-audit forget --yes'" in err
    assert sorted(p.name for p in home.rglob("*")) == before

    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    code, out, _ = run(capsys, "forget")
    assert code == 0
    assert "Nothing deleted" in out
    assert sorted(p.name for p in home.rglob("*")) == before

    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    listed = forget.stored_files(Home(home))
    code, out, _ = run(capsys, "forget")
    assert code == 0
    asked = out.split("Delete them?")[0] if "Delete them?" in out else out.split("deleted ")[0]
    assert "These 9 file(s)" in asked
    for path in listed:  # each named before the question
        assert f"  {path}\n" in asked
    assert not home.exists()


def test_set_with_an_unwritable_output_changes_nothing(
    capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path
) -> None:
    _first_audit(home)
    before = (home / "answers.yaml").read_bytes()
    target = tmp_path / "missing" / "report.json"
    code, out, err = run(capsys, "set", "two_step=on", "-o", str(target))
    assert code == 2
    assert out == ""
    assert "cannot write" in err
    assert (home / "answers.yaml").read_bytes() == before
    assert _runs(home) == 1


# `report` from saved answers shows the history the interview's report shows (issue 28: with four
# runs saved it said `trend: []` and `changes: null` in every format).
REPORT_FORMATS = {
    "json": ("--format", "json"),
    "markdown": ("--format", "markdown"),
    "html": ("--format", "html"),
    "terminal": ("--format", "terminal", "--no-pager"),
}


def _four_runs(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    _first_audit(home)
    for answer in ("two_step=on", "accounts_center=previously_linked", "status_to_facebook=never"):
        assert run(capsys, "--home", str(home), "set", answer, "--format", "json")[0] == 0


@pytest.mark.parametrize("fmt", sorted(REPORT_FORMATS))
def test_report_from_saved_answers_shows_the_trend_and_what_changed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str
) -> None:
    home = tmp_path / "home"
    _four_runs(capsys, home)
    code, out, err = run(capsys, "--home", str(home), "report", *REPORT_FORMATS[fmt])
    assert code == 0, err
    if fmt == "json":
        report = json.loads(out)
        assert len(report["trend"]) == 4
        assert report["changes"]["since_run"] == 3  # the saved answers are run 4's
        changed = report["changes"]["changed_answers"]
        assert changed == {"status_to_facebook": {"from": "always", "to": "never"}}
        return
    assert "What changed since run 3 (" in out
    assert "Score trend" in out
    assert _runs(home) == 4  # a report records nothing


def test_report_from_an_answers_file_says_what_it_compares_against(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    home = tmp_path / "home"
    code, out, _ = run(capsys, "--home", str(home), "report", "--answers", str(LINKED), "--format", "json")
    assert code == 0
    alone = json.loads(out)
    assert alone["changes"] is None  # nothing recorded: nothing to compare against, and it says nothing
    assert [p["score"] for p in alone["trend"]] == [alone["score"]["value"]]
    _four_runs(capsys, home)
    given = ("--answers", str(LINKED), "--format", "markdown")
    code, out, _ = run(capsys, "--home", str(home), "report", *given)
    assert code == 0
    # The file's answers are not the latest run's: they are compared with it, and it is named.
    assert "## What changed since run 4 (" in out

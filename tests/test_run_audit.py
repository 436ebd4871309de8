"""The audit use case around the interview: saving, drafts, precedence, the report files."""

from __future__ import annotations

import io
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from audit.app import reports, run_audit
from audit.app.cli import main
from audit.app.settings import Settings
from audit.collect.agenda import Progress
from audit.collect.answers_file import read_answers, save_answers
from audit.collect.screen import Terminal
from audit.errors import AnswersError, Interrupted, NeedsTerminal
from audit.model.answers import Answers
from audit.model.conditions import NOT_ASKED
from audit.model.pack import Pack
from audit.paths import Home
from audit.render.base import Format
from tests.conftest import DATA

DOWN, UP, LEFT, ENTER, CTRL_C = "\x1b[B", "\x1b[A", "\x1b[D", "\r", "\x03"
NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
MINI = DATA / "packs" / "mini"


@pytest.fixture
def settings(home: Path) -> Settings:
    return Settings(home=Home(home), rules=MINI, now=NOW)


@contextmanager
def typed(keys: str) -> Iterator[Terminal]:
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()
        yield Terminal(input=pipe, output=DummyOutput(), echo=io.StringIO(), color=False)


def run(settings: Settings, keys: str, **request: object) -> run_audit.Outcome:
    with typed(keys) as terminal:
        return run_audit.run(settings, run_audit.Request(**request), terminal)  # type: ignore[arg-type]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def saved(settings: Settings, mini_pack: Pack) -> dict[str, str]:
    return dict(read_answers(mini_pack, settings.home.answers).values)


# --- finishing --------------------------------------------------------------------------------
def test_finished_interview_saves_answers_privately_and_files_the_html(
    settings: Settings, mini_pack: Pack
) -> None:
    outcome = run(settings, DOWN + ENTER + ENTER + DOWN + ENTER + DOWN + ENTER)
    assert saved(settings, mini_pack) == {"platform": "android", "linked": "no", "last_seen": "nobody"}
    assert mode(settings.home.answers) == 0o600
    assert mode(settings.home.root) == 0o700
    assert outcome.saved
    assert outcome.html.parent == settings.home.reports
    assert outcome.html.name == "report-20261201-093000.html"
    assert mode(outcome.html) == 0o600
    assert mode(settings.home.reports) == 0o700
    assert outcome.html.read_text().lstrip().lower().startswith("<!doctype html")
    assert outcome.report.answers["last_seen"] == "nobody"
    assert f"{outcome.report.score.value}/100" in outcome.text  # the terminal report
    assert not settings.home.draft.exists()


def test_report_format_follows_the_request(settings: Settings) -> None:
    outcome = run(settings, ENTER + ENTER + DOWN + ENTER, depth="quick", fmt=Format.JSON)
    assert outcome.text.lstrip().startswith("{")
    assert '"schema_version": 1' in outcome.text


def test_every_run_files_its_own_html(settings: Settings) -> None:
    first = run(settings, ENTER + DOWN + ENTER, depth="quick")  # android, not linked
    again = run(settings, ENTER + ENTER)  # "only new" (pre-selected): last seen, first choice
    assert first.html != again.html
    assert sorted(p.name for p in settings.home.reports.iterdir()) == [
        "report-20261201-093000-2.html",
        "report-20261201-093000.html",
    ]


def test_runs_finishing_in_the_same_second_each_keep_their_report(
    settings: Settings, mini_pack: Pack
) -> None:
    # Eight interviews ending at once (same clock): each files its own page, none is overwritten,
    # and a page of the person's own under the first name stays as it was.
    import threading

    settings.home.reports.mkdir(parents=True)
    mine = settings.home.reports / "report-20261201-093000.html"
    mine.write_text("mine")
    answers = [
        Answers(pack="mini", values={"platform": "android", "last_seen": v}) for v in ("everyone", "nobody")
    ]
    start = threading.Barrier(8)
    outcomes: list[run_audit.Outcome] = []

    def finish(i: int) -> None:
        start.wait()
        outcomes.append(run_audit.finish(mini_pack, answers[i % 2], settings, Format.JSON))

    threads = [threading.Thread(target=finish, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(outcomes) == 8
    assert len({o.html for o in outcomes}) == 8
    assert mine.read_text() == "mine"
    assert len(list(settings.home.reports.iterdir())) == 9
    pages: dict[str, set[str]] = {}
    for o in outcomes:
        pages.setdefault(o.answers.values["last_seen"], set()).add(o.html.read_text())
        assert mode(o.html) == 0o600
    # Each page is its own run's: one text per set of answers, and the two differ.
    assert [len(texts) for texts in pages.values()] == [1, 1]
    assert pages["everyone"] != pages["nobody"]


def test_show_report_again_leaves_the_answers_file_alone(settings: Settings, mini_pack: Pack) -> None:
    run(settings, ENTER + DOWN + ENTER, depth="quick")
    before = settings.home.answers.read_bytes()
    later = Settings(home=settings.home, rules=MINI, now=NOW.replace(hour=10))
    outcome = run(later, DOWN + DOWN + ENTER)
    assert not outcome.saved
    assert settings.home.answers.read_bytes() == before


def test_show_report_again_records_nothing_and_files_nothing(settings: Settings) -> None:
    from audit.history.runs import History

    first = run(settings, ENTER + DOWN + ENTER, depth="quick")
    later = Settings(home=settings.home, rules=MINI, now=NOW.replace(hour=10))
    files = sorted(settings.home.reports.iterdir())
    shown = run(later, DOWN + DOWN + ENTER)  # menu pointer on "only new"; two down is "show again"
    assert shown.html is None
    assert sorted(settings.home.reports.iterdir()) == files == [first.html]
    with History.open(settings.home.history, now=NOW) as history:
        assert len(history.runs()) == 1
    # What `wa-audit report` shows: the same findings and score, and no "what changed".
    assert shown.report.score == first.report.score
    assert shown.report.changes is None
    assert "What changed" not in shown.text


# --- interrupts, drafts, no terminal ----------------------------------------------------------
def test_ctrl_c_keeps_a_draft_and_the_next_run_resumes(settings: Settings, mini_pack: Pack) -> None:
    with pytest.raises(Interrupted) as stop:
        run(settings, DOWN + ENTER + ENTER + ENTER + CTRL_C)  # full; android; linked yes; Ctrl-C
    assert stop.value.message == "Saved 2 answers. Run wa-audit to continue."
    assert stop.value.exit_code == 130
    assert mode(settings.home.draft) == 0o600
    assert not settings.home.answers.exists()

    outcome = run(settings, ENTER + DOWN + ENTER + ENTER)  # continue; share always; last seen everyone
    assert saved(settings, mini_pack) == {
        "platform": "android",
        "linked": "yes",
        "share": "always",
        "last_seen": "everyone",
    }
    assert outcome.saved
    assert not settings.home.draft.exists()


def test_one_answer_is_singular(settings: Settings) -> None:
    with pytest.raises(Interrupted, match=r"^Saved 1 answer\. Run wa-audit to continue\.$"):
        run(settings, ENTER + CTRL_C, depth="full")


def test_ctrl_c_before_any_answer_writes_nothing(settings: Settings) -> None:
    with pytest.raises(Interrupted, match="nothing to keep"):
        run(settings, CTRL_C)
    assert not settings.home.draft.exists()


def test_ctrl_c_on_the_resume_screen_keeps_the_old_draft(settings: Settings) -> None:
    draft = Progress(depth="full", values={"platform": "iphone"}, asked=("platform",))
    run_audit.save_draft(reports.pack_for(settings), settings.home.draft, draft)
    with pytest.raises(Interrupted, match=r"^Saved 1 answer\."):
        run(settings, CTRL_C)
    assert run_audit.load_draft(reports.pack_for(settings), settings.home.draft) == draft


def test_closed_input_needs_a_terminal_and_keeps_the_draft(settings: Settings) -> None:
    with pytest.raises(NeedsTerminal) as stop:
        run(settings, ENTER + ENTER, depth="full")  # two answers, then the input ends
    assert stop.value.message == run_audit.NEEDS_TERMINAL
    kept = run_audit.load_draft(reports.pack_for(settings), settings.home.draft)
    assert kept is not None
    assert kept.asked == ("platform", "linked")


def test_no_terminal_and_nothing_given(settings: Settings) -> None:
    with pytest.raises(NeedsTerminal) as stop:
        run_audit.run(settings, run_audit.Request(interactive=False))
    assert stop.value.message == (
        "wa-audit needs a terminal for the interview; give the answers instead: "
        "'wa-audit --answers FILE' (see 'wa-audit example') or 'wa-audit set QUESTION=VALUE ...'"
    )


def test_unreadable_draft_is_ignored(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    settings.home.root.mkdir(mode=0o700)
    settings.home.draft.write_text("schema_version: 1\nprogress: [not, a, mapping]\n")
    outcome = run(settings, ENTER + DOWN + ENTER, depth="quick")
    assert outcome.answers.values == {"platform": "android", "linked": "no", "last_seen": NOT_ASKED}
    assert "ignoring the unfinished interview" in capsys.readouterr().err


def test_draft_values_the_pack_no_longer_has_are_dropped(settings: Settings) -> None:
    pack = reports.pack_for(settings)
    settings.home.root.mkdir(mode=0o700)
    body = {
        "schema_version": 1,
        "pack": "mini",
        "pack_version": "2025.1",
        "progress": {"values": {"platform": "android", "linked": "maybe"}, "asked": ["platform", "linked"]},
    }
    settings.home.draft.write_text(yaml.safe_dump(body))
    draft = run_audit.load_draft(pack, settings.home.draft)
    assert draft is not None
    assert draft.values == {"platform": "android"}
    assert draft.asked == ("platform",)


# --- precedence: --set > the interview > saved or --answers > unknown -----------------------
def _save(settings: Settings, values: dict[str, str]) -> None:
    save_answers(
        settings.home.answers, Answers(pack="mini", values=values), pack_version="2026.1", answered_at=NOW
    )


def test_set_wins_over_saved_and_is_not_asked(settings: Settings, mini_pack: Pack) -> None:
    _save(settings, {"platform": "android", "linked": "no", "last_seen": "nobody"})
    # review all (one up from "pick"; "only new" is disabled); platform kept; share; last seen kept
    run(settings, UP + ENTER + ENTER + DOWN + ENTER + ENTER, sets=("linked=yes",))
    assert saved(settings, mini_pack) == {
        "platform": "android",
        "linked": "yes",
        "share": "always",
        "last_seen": "nobody",
    }


def test_answers_file_is_the_starting_point(settings: Settings, mini_pack: Pack, tmp_path: Path) -> None:
    given = tmp_path / "mine.yaml"
    given.write_text("schema_version: 1\npack: mini\nanswers: {platform: iphone, linked: 'no'}\n")
    run(settings, ENTER + ENTER, answers_file=given)  # "only new" (last seen) is pre-selected
    assert saved(settings, mini_pack) == {"platform": "iphone", "linked": "no", "last_seen": "everyone"}


def test_without_a_terminal_answers_file_and_set_are_used(
    settings: Settings, mini_pack: Pack, tmp_path: Path
) -> None:
    given = tmp_path / "mine.yaml"
    given.write_text("schema_version: 1\npack: mini\nanswers: {platform: iphone, linked: 'no'}\n")
    outcome = run_audit.run(
        settings, run_audit.Request(interactive=False, answers_file=given, sets=("linked=yes",))
    )
    assert saved(settings, mini_pack) == {"platform": "iphone", "linked": "yes"}
    assert outcome.report.answers["share"] == "unknown"


def test_bad_set_is_one_line(settings: Settings) -> None:
    with pytest.raises(AnswersError, match="'sometimes' is not an answer to 'linked'"):
        run_audit.run(settings, run_audit.Request(interactive=False, sets=("linked=sometimes",)))


def test_stale_saved_answer_is_asked_again(settings: Settings, mini_pack: Pack) -> None:
    settings.home.root.mkdir(mode=0o700)
    settings.home.answers.write_text(
        "schema_version: 1\npack: mini\nanswers: {platform: android, linked: 'no', last_seen: contacts}\n"
    )
    run(settings, ENTER + DOWN + ENTER)  # "only new" (last seen, whose saved value is gone)
    assert saved(settings, mini_pack) == {"platform": "android", "linked": "no", "last_seen": "nobody"}


def test_broken_saved_answers_are_reported(settings: Settings) -> None:
    settings.home.root.mkdir(mode=0o700)
    settings.home.answers.write_text("schema_version: 1\npack: [\n")
    with pytest.raises(AnswersError, match=r"answers\.yaml:\d+: not valid YAML"):
        run(settings, ENTER)


# --- the command line -------------------------------------------------------------------------
def test_no_command_without_a_terminal_exits_2(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--home", str(home), "--rules", str(MINI)]) == 2
    assert capsys.readouterr().err == run_audit.NEEDS_TERMINAL + "\n"


def test_no_terminal_with_saved_answers_points_to_the_report_first(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["--home", str(home), "--rules", str(MINI), "set", "platform=iphone", "--format", "json"]) == 0
    )
    capsys.readouterr()
    assert main(["--home", str(home), "--rules", str(MINI)]) == 2
    err = capsys.readouterr().err
    assert err == run_audit.NEEDS_TERMINAL_SAVED + "\n"
    first = re.search(r"'(wa-audit[^']*)'", err)
    assert first is not None
    assert first.group(1) == "wa-audit report"


def test_audit_with_set_without_a_terminal(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["audit", "--rules", str(MINI), "--set", "platform=iphone", "--format", "json"])
    assert code == 0
    out, err = capsys.readouterr()
    assert '"schema_version": 1' in out
    assert "saved as a web page" in err
    assert (home / "answers.yaml").exists()
    assert len(list((home / "reports").glob("report-*.html"))) == 1


def test_interview_options_work_without_the_command(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # `wa-audit --quick` is `wa-audit audit --quick`; without a terminal, that is the one-line error
    assert main(["--quick", "--rules", str(MINI)]) == 2
    assert capsys.readouterr().err.startswith("wa-audit needs a terminal")


def test_unknown_option_after_a_command_is_still_a_usage_error(home: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["report", "--quick"])
    assert info.value.code == 2

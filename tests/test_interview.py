"""The interview, driven through questionary with prompt_toolkit's pipe input.

Keys are typed ahead into a pipe that is then closed: prompt_toolkit hands unread keys to the next
prompt, and a test that types too few keys ends in EOF (a `Stopped`) instead of hanging.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping, Sequence

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from audit.collect.agenda import Agenda, Progress, minutes, unanswered
from audit.collect.interview import CURRENT_MARK, Interview
from audit.collect.screen import Terminal
from audit.collect.sources import FixedAnswers, Stopped
from audit.model.answers import Answers
from audit.model.conditions import NOT_ASKED
from audit.model.pack import Pack

DOWN, UP, LEFT, ENTER, SPACE, CTRL_C = "\x1b[B", "\x1b[A", "\x1b[D", "\r", " ", "\x03"


class Run:
    """One interview: its answers (or the Stopped it raised) and the text it printed."""

    def __init__(self, answers: Answers | None, stopped: Stopped | None, text: str) -> None:
        self.answers = answers
        self.stopped = stopped
        self.text = text

    @property
    def values(self) -> dict[str, str]:
        assert self.answers is not None, f"interview stopped early:\n{self.text}"
        return dict(self.answers.values)


def drive(
    pack: Pack,
    keys: str,
    previous: Mapping[str, str] | None = None,
    **options: object,
) -> Run:
    echo = io.StringIO()
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()
        terminal = Terminal(input=pipe, output=DummyOutput(), echo=echo, width=80, color=False)
        interview = Interview(terminal, **options)  # type: ignore[arg-type]
        try:
            answers = interview.collect(pack, Answers(pack=pack.meta.id, values=dict(previous or {})))
        except Stopped as e:
            return Run(None, e, echo.getvalue())
    return Run(answers, None, echo.getvalue())


def asked(run: Run) -> list[str]:
    """The progress lines, in order ("2 of 4 - Core")."""
    return [line for line in run.text.splitlines() if " of " in line and " - " in line]


# --- a fresh interview ------------------------------------------------------------------------
def test_full_interview_records_answers_and_skips_by_condition(mini_pack: Pack) -> None:
    # full; platform iphone; linked no (so "share" is not asked); last seen nobody
    run = drive(mini_pack, DOWN + ENTER + DOWN + ENTER + DOWN + ENTER + DOWN + ENTER)
    assert run.values == {"platform": "iphone", "linked": "no", "last_seen": "nobody"}
    assert "Do you share status?" not in run.text
    # "Is it linked?" decides whether "share" is asked: until it is answered the total is an estimate.
    assert asked(run) == ["1 of about 4 - Core", "2 of about 4 - Core", "3 of 3 - Extra"]


def test_help_and_platform_path_are_shown(mini_pack: Pack) -> None:
    run = drive(mini_pack, DOWN + ENTER + ENTER + ENTER + ENTER, depth="full")
    # platform iphone, linked yes, so "share" is asked with the iPhone path
    assert run.values == {"platform": "iphone", "linked": "yes", "share": "never", "last_seen": "everyone"}
    assert "Where to look: Settings > Link (menu names vary by version)" in run.text
    assert "Where to look: Updates > Privacy" in run.text
    assert "Where to look: Status > Privacy" not in run.text


def test_first_screen_says_what_and_how_long(mini_pack: Pack) -> None:
    run = drive(mini_pack, ENTER + ENTER + ENTER + ENTER)
    assert "Nothing leaves this computer" in run.text
    assert "never asks for your phone number or your messages" in run.text
    assert f"4 questions at most, about {minutes(4)} minutes" in run.text
    assert "the quick check has 3" in run.text


def test_quick_asks_the_first_section_only(mini_pack: Pack) -> None:
    run = drive(mini_pack, ENTER + ENTER + ENTER + ENTER)  # quick is the first choice
    assert run.values == {"platform": "android", "linked": "yes", "share": "never", "last_seen": NOT_ASKED}
    assert "Who sees your last seen?" not in run.text


def test_depth_option_skips_the_choice(mini_pack: Pack) -> None:
    run = drive(mini_pack, DOWN + ENTER + DOWN + ENTER + ENTER, depth="quick")
    assert run.values == {"platform": "iphone", "linked": "no", "last_seen": NOT_ASKED}
    assert "How much" not in run.text


def test_platform_offers_no_unknown(mini_pack: Pack) -> None:
    # Two steps down from "android" wrap back to it: there is no third choice.
    run = drive(mini_pack, DOWN + DOWN + ENTER + DOWN + ENTER, depth="quick")
    assert run.values["platform"] == "android"


def test_i_dont_know_is_recorded_and_keeps_dependants(mini_pack: Pack) -> None:
    # linked: yes, no, I don't know -> unknown; "share" depends on it and is still asked
    run = drive(mini_pack, ENTER + DOWN + DOWN + ENTER + DOWN + ENTER, depth="quick")
    assert run.values == {
        "platform": "android",
        "linked": "unknown",
        "share": "always",
        "last_seen": NOT_ASKED,  # the quick check skipped it: saved as not asked, not unknown
    }


# --- back -------------------------------------------------------------------------------------
def test_back_key_returns_and_the_answer_can_change(mini_pack: Pack) -> None:
    keys = (
        ENTER  # platform android
        + ENTER  # linked yes
        + LEFT  # at "share": back to linked
        + LEFT  # back again, to platform (android pre-selected)
        + DOWN
        + ENTER  # platform iphone
        + DOWN
        + ENTER  # linked: "yes" is pre-selected, one down is "no"
        + ENTER  # last seen everyone
    )
    run = drive(mini_pack, keys, depth="full")
    assert run.values == {"platform": "iphone", "linked": "no", "last_seen": "everyone"}
    assert asked(run)[:4] == [
        "1 of about 4 - Core",
        "2 of about 4 - Core",
        "3 of 4 - Core",
        "2 of about 4 - Core",
    ]


def test_back_choice_is_the_last_item(mini_pack: Pack) -> None:
    # UP from the top wraps to "Back" (the separator is skipped)
    keys = ENTER + UP + ENTER + DOWN + ENTER + ENTER + ENTER
    run = drive(mini_pack, keys, depth="quick")
    assert run.values == {"platform": "iphone", "linked": "yes", "share": "never", "last_seen": NOT_ASKED}


def test_no_back_on_the_first_question(mini_pack: Pack) -> None:
    # LEFT does nothing on the first question; UP wraps to iphone, not to a "Back" item
    run = drive(mini_pack, LEFT + UP + ENTER + DOWN + ENTER, depth="quick")
    assert run.values == {"platform": "iphone", "linked": "no", "last_seen": NOT_ASKED}


# --- reruns -----------------------------------------------------------------------------------
SAVED = {"platform": "iphone", "linked": "no", "last_seen": "nobody"}


def test_rerun_review_all_pre_selects_saved_answers(mini_pack: Pack) -> None:
    # the pointer starts on "pick"; "only new" is disabled (nothing is new), so one up is "review all"
    run = drive(mini_pack, UP + ENTER + ENTER + ENTER + ENTER, previous=SAVED)
    assert run.values == SAVED
    assert "(3 answered, 0 new or unanswered)" in run.text
    assert "Which phone?" in run.text
    assert "Who sees your last seen?" in run.text


def test_rerun_answers_only_new_or_unknown(mini_pack: Pack) -> None:
    previous = {"platform": "android", "linked": "yes", "share": "unknown"}
    # "new" is pre-selected; at "share" the saved "I don't know" is pre-selected, one up is "always"
    run = drive(mini_pack, ENTER + UP + ENTER + DOWN + ENTER, previous=previous)
    assert run.values == {"platform": "android", "linked": "yes", "share": "always", "last_seen": "nobody"}
    assert "Which phone?" not in run.text
    assert "Is it linked?" not in run.text
    assert asked(run) == ["1 of 2 - Core", "2 of 2 - Extra"]


def test_rerun_pick_asks_picked_and_newly_relevant(mini_pack: Pack) -> None:
    # pick (pre-selected) -> tick "linked" (second) -> change it to yes -> "share" now applies
    run = drive(mini_pack, ENTER + DOWN + SPACE + ENTER + UP + ENTER + DOWN + ENTER, previous=SAVED)
    assert run.values == {"platform": "iphone", "linked": "yes", "share": "always", "last_seen": "nobody"}
    assert "Which phone?" not in run.text
    assert "Who sees your last seen?" not in run.text


def test_rerun_after_model_update_asks_only_what_changed(mini_pack: Pack) -> None:
    # "what the update changed" is offered first and pre-selected; one up from "nobody" is "everyone"
    run = drive(mini_pack, ENTER + UP + ENTER, previous=SAVED, updated=("last_seen",))
    assert run.values == {**SAVED, "last_seen": "everyone"}
    assert asked(run) == ["1 of 1 - Extra"]
    assert "Which phone?" not in run.text
    assert "Is it linked?" not in run.text
    assert "Who sees your last seen?" in run.text


def test_rerun_show_report_again_keeps_answers(mini_pack: Pack) -> None:
    run = drive(mini_pack, DOWN + ENTER, previous=SAVED)
    assert run.values == SAVED
    assert asked(run) == []


def test_quick_rerun_keeps_answers_outside_the_first_section(mini_pack: Pack) -> None:
    run = drive(mini_pack, UP + ENTER + ENTER + UP + ENTER + ENTER, previous=SAVED, depth="quick")
    assert run.values == {"platform": "iphone", "linked": "yes", "share": "never", "last_seen": "nobody"}


# --- interrupts and resuming -----------------------------------------------------------------
def test_ctrl_c_stops_with_what_was_answered(mini_pack: Pack) -> None:
    run = drive(mini_pack, DOWN + ENTER + DOWN + ENTER + CTRL_C)
    assert run.stopped is not None
    assert not run.stopped.eof
    progress = run.stopped.progress
    assert progress is not None
    assert progress.asked == ("platform",)
    assert progress.values == {"platform": "iphone"}
    assert progress.depth == "full"


def test_ctrl_c_between_two_questions_keeps_the_last_answer(mini_pack: Pack) -> None:
    # Ctrl-C pressed while an answer is being kept as a draft (no prompt is reading the keys, so
    # it arrives as a signal): the interview stops with that answer, and the caller keeps it.
    def checkpoint(progress: Progress) -> None:
        if len(progress.asked) == 2:
            raise KeyboardInterrupt

    run = drive(mini_pack, DOWN + ENTER + DOWN + ENTER + ENTER + ENTER + ENTER, checkpoint=checkpoint)
    assert run.stopped is not None
    assert not run.stopped.eof
    assert run.stopped.progress is not None
    assert run.stopped.progress.asked == ("platform", "linked")
    assert run.stopped.progress.values["platform"] == "iphone"


def test_ctrl_c_on_the_first_screen_has_nothing(mini_pack: Pack) -> None:
    run = drive(mini_pack, CTRL_C)
    assert run.stopped is not None
    assert run.stopped.progress is None


def test_closed_input_is_eof(mini_pack: Pack) -> None:
    run = drive(mini_pack, ENTER)
    assert run.stopped is not None
    assert run.stopped.eof
    assert run.stopped.progress is not None
    assert run.stopped.progress.asked == ()


def test_resume_continues_after_the_answered_and_back_reaches_them(mini_pack: Pack) -> None:
    draft = Progress(
        depth="full", values={"platform": "android", "linked": "no"}, asked=("platform", "linked")
    )
    # continue -> at last seen: back to linked (pre-selected no) -> yes -> share never -> nobody
    run = drive(mini_pack, ENTER + LEFT + UP + ENTER + ENTER + DOWN + ENTER, draft=draft)
    assert run.values == {"platform": "android", "linked": "yes", "share": "never", "last_seen": "nobody"}
    assert "after 2 answers" in run.text
    assert "Which phone?" not in run.text
    assert asked(run)[0] == "3 of 3 - Extra"


def test_resume_can_start_again(mini_pack: Pack) -> None:
    draft = Progress(depth="full", values={"platform": "iphone"}, asked=("platform",))
    run = drive(mini_pack, DOWN + ENTER + ENTER + ENTER + DOWN + ENTER, draft=draft)
    assert run.values == {"platform": "android", "linked": "no", "last_seen": NOT_ASKED}


def test_interrupt_after_resume_keeps_every_answer(mini_pack: Pack) -> None:
    draft = Progress(depth="quick", values={"platform": "android"}, asked=("platform",))
    run = drive(mini_pack, ENTER + ENTER + CTRL_C, draft=draft, previous={})
    assert run.stopped is not None
    assert run.stopped.progress is not None
    assert run.stopped.progress.asked == ("platform", "linked")
    assert run.stopped.progress.depth == "quick"


# --- fixed answers (--set) --------------------------------------------------------------------
def test_set_answers_are_not_asked_and_win(mini_pack: Pack) -> None:
    run = drive(
        mini_pack, ENTER + ENTER + ENTER, depth="full", fixed={"linked": "yes", "last_seen": "nobody"}
    )
    assert run.values == {"platform": "android", "linked": "yes", "share": "never", "last_seen": "nobody"}
    assert "Is it linked?" not in run.text


def test_fixed_source_puts_set_over_previous(mini_pack: Pack) -> None:
    previous = Answers(pack="mini", values={"linked": "no", "platform": "android"})
    got = FixedAnswers({"linked": "yes"}).collect(mini_pack, previous)
    assert got.values == {"linked": "yes", "platform": "android"}


# --- the agenda -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({}, ["platform", "linked", "share", "last_seen"]),
        ({"platform": "android", "linked": "no"}, ["last_seen"]),
        ({"platform": "android", "linked": "yes", "share": "unknown"}, ["share", "last_seen"]),
    ],
)
def test_unanswered(mini_pack: Pack, values: dict[str, str], expected: list[str]) -> None:
    assert unanswered(mini_pack, values) == expected


def test_agenda_count_follows_conditions(bundled_pack: Pack) -> None:
    full = Agenda(bundled_pack, "full")
    assert full.count({}) == len(bundled_pack.questions)
    # Android has no iCloud question; Europe has no WhatsApp Pay question, and no message
    # summaries (offered first in the United States: v3)
    assert full.count({"platform": "android", "region": "eea"}) == len(bundled_pack.questions) - 3
    first = bundled_pack.meta.sections[0].id
    assert Agenda(bundled_pack, "quick").count({}) == sum(
        1 for q in bundled_pack.questions if q.section == first
    )


# --- the bundled pack on an 80-column terminal ------------------------------------------------
def _first_choices(n: int) -> Iterator[str]:
    yield DOWN + ENTER  # full
    for _ in range(n):
        yield ENTER


def test_bundled_pack_text_fits_80_columns(bundled_pack: Pack) -> None:
    run = drive(bundled_pack, "".join(_first_choices(len(bundled_pack.questions))))
    assert run.answers is not None
    assert all(len(line) < 80 for line in run.text.splitlines()), max(run.text.splitlines(), key=len)
    assert f"{len(bundled_pack.questions)} questions at most" in run.text
    # every question asked shows one progress line with its section
    assert len(asked(run)) == len(run.values)


class Recording(Terminal):
    """A terminal that also keeps every menu it showed."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.menus: list[list[tuple[str, str]]] = []

    def choose(self, message: str, choices: Sequence[tuple[str, str]], **kwargs: object) -> str:
        self.menus.append(list(choices))
        return super().choose(message, choices, **kwargs)  # type: ignore[arg-type]


def test_current_answer_is_marked_in_words_not_colour(mini_pack: Pack) -> None:
    with create_pipe_input() as pipe:
        pipe.send_text(UP + ENTER + ENTER + ENTER + ENTER)  # review all, keep every answer
        pipe.close()
        terminal = Recording(input=pipe, output=DummyOutput(), echo=io.StringIO(), width=80, color=False)
        Interview(terminal).collect(mini_pack, Answers(pack="mini", values=SAVED))
    platform, linked, last_seen = terminal.menus[1:]
    assert platform == [("android", "Android"), ("iphone", f"iPhone{CURRENT_MARK}")]
    assert ("no", f"No{CURRENT_MARK}") in linked
    assert ("unknown", "I don't know") in linked
    assert ("nobody", f"Nobody{CURRENT_MARK}") in last_seen
    assert sum(label.endswith(CURRENT_MARK) for _, label in linked) == 1


# --- help worded for the person's region ------------------------------------------------------
@pytest.mark.parametrize(
    ("region", "european"),
    [("india", False), ("brazil", False), ("other", False), ("eea", True), ("uk", True), ("unknown", True)],
)
def test_the_help_speaks_of_the_persons_own_policy(bundled_pack: Pack, region: str, european: bool) -> None:
    from audit.collect.answers_file import read_answers
    from tests.conftest import EXAMPLES

    saved = dict(read_answers(bundled_pack, EXAMPLES / "linked-everything.yaml").values)
    previous = {
        q: (v if v != "unknown" else "no") for q, v in saved.items() if q in bundled_pack.question_by_id
    }
    previous |= {"region": region, "chat_backup": "unknown"}
    previous = {
        q: v for q, v in previous.items() if bundled_pack.question_by_id[q].value(v) or v == "unknown"
    }
    # Only what is new or unanswered: the chat backup question (and any the answers above leave open).
    run = drive(bundled_pack, ENTER * 12, previous=previous)
    assert "Is your chat backup on, and is it end-to-end encrypted?" in run.text
    said = " ".join(run.text.split())
    assert ("WhatsApp's European and UK policies also mention WhatsApp's own storage" in said) is european
    assert "A chat backup puts a copy of your messages in Google Drive or iCloud" in said

"""Where answers come from: the AnswerSource protocol, the fixed source and the interview.

The interview is the only place that talks to questionary (imported lazily, inside `Terminal`),
so `wa-audit --version`, `--help` and non-interactive runs never load it. It is calm and
forgiving: every question shows why it matters and where to look on the person's phone, offers
"I don't know", and can go back any number of steps. Ctrl-C or a closed input raises `Stopped`
with everything answered so far, so the caller can keep it as a draft and resume later.

Which questions are asked is decided by `Plan` (pure, no terminal): the depth (quick = the first
section only), the mode of a rerun (all, only new or unanswered, picked ones) and each question's
`when`, evaluated by the engine exactly as the report will evaluate it.
"""

from __future__ import annotations

import math
import sys
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, Protocol, TextIO

from pydantic import Field

from audit.answers import Answers
from audit.conditions import NOT_ASKED, UNKNOWN, questions_in
from audit.frozen_model import FrozenModel
from audit.pack import Pack, Question
from audit.platform_text import platform_of, where_text
from audit.scoring import effective_answers, implied, offered_values

if TYPE_CHECKING:
    from prompt_toolkit.input import Input
    from prompt_toolkit.output import Output

Depth = Literal["quick", "full"]
Mode = Literal["all", "new", "pick"]

BACK = "__back__"  # choice value of "Back"; never a question value (ids are lower-case words)
SECONDS_PER_QUESTION = 20  # most answers need a look at the phone, so be generous
UNKNOWN_LABEL = "I don't know"
# A mark, not colour, shows the current answer; short, so the longest label still fits 80 columns.
CURRENT_MARK = " \u2713"


CHOICE_INDENT = "   "  # where questionary starts a choice's label: pointer and a space


def shorten_middle(text: str, width: int, placeholder: str = "\u2026") -> str:
    """`text` in at most `width` characters, whole words cut from the middle.

    The start says what a line is about and the end tells similar lines apart ("... go to your
    Facebook story?" and "... Instagram story?"), so both stay.
    """
    words = text.split()
    joined = " ".join(words)
    if len(joined) <= width:
        return joined
    budget = width - len(placeholder) - 2  # the spaces either side of the placeholder

    def size(part: list[str]) -> int:
        return len(" ".join(part))

    # The end first, up to 60% of the room (all of it on a narrow screen, where the end matters
    # most); then the start; then more of the end if room is left.
    share = 0.6 if budget >= 30 else 1.0
    i, j = 0, len(words)
    while j > 0 and size(words[j - 1 :]) <= budget * share:
        j -= 1
    while i < j - 1 and size(words[: i + 1]) + size(words[j:]) <= budget:
        i += 1
    while j > i + 1 and size(words[:i]) + size(words[j - 1 :]) <= budget:
        j -= 1
    if j == len(words):  # the last word alone is too long: keep what fits of the start
        cut = textwrap.shorten(joined, width=width, placeholder=f" {placeholder}")
        if cut.strip() == placeholder or len(cut) > width:
            return joined[: width - len(placeholder)] + placeholder
        return cut
    return " ".join([*words[:i], placeholder, *words[j:]])


class AnswerSource(Protocol):
    """Anything that turns the previous answers into this run's answers."""

    def collect(self, pack: Pack, previous: Answers) -> Answers: ...


@dataclass(frozen=True)
class FixedAnswers:
    """The non-interactive source: an answers file and --set values, no questions."""

    fixed: Mapping[str, str] = field(default_factory=dict)

    def collect(self, pack: Pack, previous: Answers) -> Answers:
        return previous.with_values(self.fixed)


class Progress(FrozenModel):
    """Where an interview stands; this is what a draft keeps so the next run can resume."""

    depth: Depth = "full"
    mode: Mode = "all"
    picked: tuple[str, ...] = ()
    baseline: dict[str, str] = Field(default_factory=dict)  # the answers the interview started from
    values: dict[str, str] = Field(default_factory=dict)  # baseline plus what was answered
    asked: tuple[str, ...] = ()  # questions answered in this interview, in order
    saved_at: datetime | None = None


class Stopped(Exception):
    """The interview stopped early: Ctrl-C (`interrupted`) or the input closed (`eof`)."""

    def __init__(self, progress: Progress | None, *, eof: bool = False) -> None:
        super().__init__("interview stopped")
        self.progress = progress
        self.eof = eof


def first_section(pack: Pack) -> str:
    return pack.meta.sections[0].id


@dataclass(frozen=True)
class Plan:
    """Which questions an interview asks; pure, so the rules are testable without a terminal."""

    pack: Pack
    depth: Depth = "full"
    mode: Mode = "all"
    picked: frozenset[str] = frozenset()
    baseline: Mapping[str, str] = field(default_factory=dict)
    fixed: frozenset[str] = frozenset()

    def in_scope(self, q: Question) -> bool:
        return self.depth == "full" or q.section == first_section(self.pack)

    def wants(self, q: Question, effective: Mapping[str, str]) -> bool:
        """Whether `q` is asked, given the effective answers so far (scoring.effective_answers)."""
        if q.id in self.fixed or not self.in_scope(q) or effective[q.id] == NOT_ASKED:
            return False
        if implied(self.pack, q.id, effective) is not None:  # e.g. set by Strict account settings
            return False
        if self.mode == "new":
            return self.baseline.get(q.id, UNKNOWN) in {UNKNOWN, NOT_ASKED}
        if self.mode == "pick":
            # A picked question, or one that a changed answer has just made relevant.
            return q.id in self.picked or self._baseline_effective[q.id] == NOT_ASKED
        return True

    def count(self, values: Mapping[str, str]) -> int:
        """How many questions this plan would ask, given `values`."""
        eff = effective_answers(self.pack, values)
        return sum(1 for q in self.pack.questions if self.wants(q, eff))

    @cached_property
    def _baseline_effective(self) -> dict[str, str]:
        return effective_answers(self.pack, self.baseline)


def unanswered(pack: Pack, values: Mapping[str, str], depth: Depth = "full") -> list[str]:
    """Questions a rerun's "only new or unanswered" would ask: relevant, and missing or unknown."""
    plan = Plan(pack, depth, "new", baseline=values)
    effective = effective_answers(pack, values)
    return [q.id for q in pack.questions if plan.wants(q, effective)]


def deciders(pack: Pack) -> frozenset[str]:
    """The questions whose answers decide whether other questions are asked (their `when`)."""
    # A question's `when` tests earlier questions only (rules check holds that line).
    return frozenset(q for x in pack.questions for q in questions_in(x.when, lambda rule: None))


def minutes(questions: int) -> int:
    return max(1, math.ceil(questions * SECONDS_PER_QUESTION / 60))


def answer_label(q: Question, value: str) -> str:
    if value == UNKNOWN:
        return UNKNOWN_LABEL
    v = q.value(value)
    return v.label if v is not None else value


class Terminal:
    """The questionary side of the interview: text out, one choice or a checkbox list in.

    `input`/`output` are prompt_toolkit objects (tests pass a pipe input and a DummyOutput);
    `echo` receives the plain text printed between prompts; `width` fixes the wrapping width
    (tests), else it follows the terminal. Ctrl-C raises KeyboardInterrupt and a closed input
    raises EOFError: the interview turns both into `Stopped`.
    """

    def __init__(
        self,
        *,
        input: Input | None = None,
        output: Output | None = None,
        echo: TextIO | None = None,
        width: int | None = None,
        color: bool = True,
    ) -> None:
        self.input = input
        self.output = output
        self.echo = echo
        self._width = width
        self.color = color

    @property
    def width(self) -> int:
        """Columns to wrap at: the terminal's (read per line: it may be resized), at most 80."""
        if self._width is not None:
            return max(40, self._width)
        import shutil

        return max(40, min(80, shutil.get_terminal_size((80, 24)).columns))

    @property
    def columns(self) -> int:
        """The terminal's full width, for choice lists (text is wrapped at `width`, at most 80)."""
        if self._width is not None:
            return max(40, self._width)
        import shutil

        return max(20, shutil.get_terminal_size((80, 24)).columns)

    def say(self, text: str = "") -> None:
        stream = self.echo if self.echo is not None else sys.stdout
        stream.write(text + "\n")
        stream.flush()

    def wrap(self, text: str, indent: str = "", hang: str | None = None) -> str:
        # One column short of the edge: some terminals wrap early when the last column is used.
        return textwrap.fill(
            " ".join(text.split()),
            width=self.width - 1,
            initial_indent=indent,
            subsequent_indent=indent if hang is None else hang,
        )

    def bullet(self, text: str) -> None:
        self.say(self.wrap(f"* {text}", "  ", "    "))

    def drain(self) -> None:
        """Drop keys that arrived before this prompt was shown: a paste is not a row of answers.

        prompt_toolkit keeps keys read past the end of one prompt for the next ("type-ahead"), and
        the terminal holds what was not read yet; a pasted block would otherwise answer question
        after question with whatever is highlighted. Both are emptied before each prompt, so one
        paste can answer at most the prompt it landed in. Only a person's terminal is drained: a
        given `input` is a script of keys (tests), read in full.
        """
        if self.input is not None:
            return
        from prompt_toolkit.application.current import get_app_session
        from prompt_toolkit.input.typeahead import clear_typeahead

        clear_typeahead(get_app_session().input)
        _flush_terminal_input(sys.stdin)

    def _kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {}
        if self.input is not None:
            kwargs["input"] = self.input
        if self.output is not None:
            kwargs["output"] = self.output
        if not self.color:
            from prompt_toolkit.output import ColorDepth

            kwargs["color_depth"] = ColorDepth.MONOCHROME
        return kwargs

    def choose(
        self,
        message: str,
        choices: Sequence[tuple[str, str]],
        *,
        default: str | None = None,
        back: bool = False,
        disabled: Mapping[str, str] | None = None,
    ) -> str:
        """One of `choices` ((value, label) pairs), or BACK when `back` and the person goes back."""
        import questionary

        disabled = disabled or {}
        # A long label wraps under itself instead of running off the edge of the screen, where
        # its last words (often the ones that tell two choices apart) would be cut.
        room = self.columns - len(CHOICE_INDENT) - 1
        items: list[Any] = [
            questionary.Choice(
                title=textwrap.fill(label, width=room, subsequent_indent=CHOICE_INDENT)
                if len(label) > room
                else label,
                value=value,
                disabled=disabled.get(value),
            )
            for value, label in choices
        ]
        if back:
            items += [questionary.Separator(" "), questionary.Choice(title="\u2190 Back", value=BACK)]
        self.drain()
        instruction = "(\u2191/\u2193 to move, Enter to choose" + (", \u2190 to go back)" if back else ")")
        question = questionary.select(
            message,
            choices=items,
            default=default,
            instruction=instruction,
            qmark="?",
            pointer="\u00bb",
            **self._kwargs(),
        )
        if back:
            self._bind_back(question)
        return str(question.unsafe_ask())

    @staticmethod
    def _bind_back(question: Any) -> None:
        # The left arrow goes back too. It moves the pointer to "Back" before leaving, so the
        # line left on screen reads "Answer: <- Back" rather than an unanswered prompt.
        from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
        from questionary.prompts.common import InquirerControl

        app = question.application
        control = next(
            w.content for w in app.layout.find_all_windows() if isinstance(w.content, InquirerControl)
        )
        extra = KeyBindings()

        @extra.add("left", eager=True)
        def _back(event: Any) -> None:
            control.pointed_at = next(i for i, c in enumerate(control.choices) if c.value == BACK)
            control.is_answered = True
            event.app.exit(result=BACK)

        app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), extra])

    def pick(self, message: str, choices: Sequence[tuple[str, str]], *, back: bool = False) -> list[str]:
        """Any number (at least one) of `choices`, ticked with the space bar.

        With `back`, a "Back" entry, the left arrow and Esc return [BACK] instead.
        """
        import questionary

        self.drain()
        items: list[Any] = [questionary.Choice(title=label, value=value) for value, label in choices]
        if back:
            items += [questionary.Separator(" "), questionary.Choice(title="\u2190 Back", value=BACK)]
        question = questionary.checkbox(
            message,
            choices=items,
            instruction="(Space to tick, Enter when done" + (", \u2190 or Esc: back)" if back else ")"),
            validate=lambda picked: bool(picked) or "Tick at least one question with Space, then press Enter",
            qmark="?",
            pointer="\u00bb",
            **self._kwargs(),
        )
        if back:
            self._bind_pick_back(question)
        picked = [str(v) for v in question.unsafe_ask()]
        return [BACK] if BACK in picked else picked

    @staticmethod
    def _bind_pick_back(question: Any) -> None:
        # Enter on "Back", the left arrow and Esc leave the list without picking anything.
        from prompt_toolkit.filters import Condition
        from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
        from questionary.prompts.common import InquirerControl

        app = question.application
        control = next(
            w.content for w in app.layout.find_all_windows() if isinstance(w.content, InquirerControl)
        )
        extra = KeyBindings()

        def leave(event: Any) -> None:
            control.pointed_at = next(i for i, c in enumerate(control.choices) if c.value == BACK)
            control.is_answered = True
            event.app.exit(result=[BACK])

        on_back = Condition(lambda: control.get_pointed_at().value == BACK)
        extra.add("enter", eager=True, filter=on_back)(leave)
        extra.add("left", eager=True)(leave)
        extra.add("escape", eager=True)(leave)
        app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), extra])


def _flush_terminal_input(stream: TextIO) -> None:
    """Discard what was typed into the terminal `stream` but not read yet (nothing elsewhere)."""
    try:
        import termios
    except ImportError:  # not a POSIX system: prompt_toolkit's own type-ahead is cleared anyway
        return
    try:
        if stream.isatty():
            termios.tcflush(stream.fileno(), termios.TCIFLUSH)
    except (OSError, ValueError, termios.error):
        pass  # not a real terminal after all (a test's stand-in): nothing is waiting there


Checkpoint = Callable[[Progress], None]


class _BackToMenu(Exception):
    """The person left the pick list with Back, the left arrow or Esc."""


class Interview:
    """The interactive AnswerSource: first screen, then one question at a time.

    `checkpoint` is called with the progress after every answer (the caller saves it as the draft),
    so an interview that ends in any way, even a closed terminal window, keeps what was answered.
    """

    def __init__(
        self,
        terminal: Terminal,
        *,
        depth: Depth | None = None,
        fixed: Mapping[str, str] | None = None,
        draft: Progress | None = None,
        updated: tuple[str, ...] | None = None,
        checkpoint: Checkpoint | None = None,
    ) -> None:
        self.t = terminal
        self.checkpoint = checkpoint
        self.show_only = False  # set by collect when the person asked to see the report only
        self.depth = depth
        self.fixed = dict(fixed or {})
        self.draft = draft
        # After a model update: the new questions and those whose saved value no longer exists.
        self.updated = None if updated is None else tuple(q for q in updated if q not in self.fixed)

    # --- the AnswerSource --------------------------------------------------------------------
    def collect(self, pack: Pack, previous: Answers) -> Answers:
        progress = self._start(pack, previous)
        if progress is None:  # "just show the report again"
            self.show_only = True
            return previous.with_values(self.fixed)
        done = self._walk(pack, progress)
        values = {**done.values, **self.fixed}
        if done.depth == "quick":
            # What the quick check did not ask is saved as such, so the report says it was not
            # checked rather than treating it as "I don't know" (SHARING_MODEL.md section 6).
            scope = Plan(pack, "quick")
            for q in pack.questions:
                if not scope.in_scope(q) and q.id not in values:
                    values[q.id] = NOT_ASKED
        effective = effective_answers(pack, values)
        # An answer to a question that no longer applies (an iCloud answer after switching to
        # Android) would only confuse whoever reads the answers file later.
        kept = {q: v for q, v in values.items() if effective.get(q) != NOT_ASKED}
        # Likewise an answer another answer now settles (Strict account settings on): the setting
        # decides it, and a saved answer contradicting it would make the file unreadable.
        kept = {
            q: v for q, v in kept.items() if q not in pack.question_by_id or not implied(pack, q, effective)
        }
        order = {q.id: i for i, q in enumerate(pack.questions)}
        ordered = dict(sorted(kept.items(), key=lambda kv: order.get(kv[0], len(order))))
        return Answers(pack=pack.meta.id, pack_version=pack.meta.version, values=ordered)

    # --- the first screen --------------------------------------------------------------------
    def _start(self, pack: Pack, previous: Answers) -> Progress | None:
        resumable = self.draft is not None and bool(self.draft.asked)
        try:
            self._welcome(pack, first_time=not previous.values and not resumable)
            if resumable and self._resume():
                return self.draft
            if previous.values:
                return self._rerun(pack, dict(previous.values))
            depth = self.depth or self._choose_depth(pack)
            return Progress(depth=depth, mode="all", values={}, baseline={})
        except KeyboardInterrupt:
            raise Stopped(None) from None
        except EOFError:
            raise Stopped(None, eof=True) from None

    def _resume(self) -> bool:
        assert self.draft is not None  # noqa: S101 - checked by the caller
        n = len(self.draft.asked)
        saved_at = self.draft.saved_at
        # Drafts are stamped in UTC; the person thinks in local time.
        when = f" on {saved_at.astimezone():%Y-%m-%d at %H:%M}" if saved_at else ""
        self.t.say(self.t.wrap(f"You stopped an interview{when} after {n} answer{'s' if n != 1 else ''}."))
        choice = self.t.choose(
            "Continue where you left off?",
            [
                ("continue", f"Continue (your {n} answer{'s are' if n != 1 else ' is'} kept)"),
                ("restart", "Start again (the unfinished answers are dropped)"),
            ],
        )
        return choice == "continue"

    def _welcome(self, pack: Pack, *, first_time: bool) -> None:
        t = self.t
        t.say()
        t.say(t.wrap(f"wa-audit: {pack.meta.title}"))
        t.say()
        if first_time:
            t.say(
                t.wrap(
                    "This interview asks about choices you made in WhatsApp and on your phone, then "
                    "shows which of your data goes to whom, how sure that is, and what to change first."
                )
            )
            t.say()
        t.bullet("Nothing leaves this computer: wa-audit never uses the network.")
        t.bullet("It never asks for your phone number or your messages.")
        if first_time:
            quick = Plan(pack, "quick").count({})
            full = Plan(pack, "full").count({})
            t.bullet(
                f"{full} questions at most, about {minutes(full)} minutes; the quick check has {quick}, "
                f"about {minutes(quick)} minutes. Keep your phone at hand."
            )
        t.bullet("Choose with the arrow keys and Enter. \u2190 goes back; Ctrl-C saves and stops.")
        t.say()

    def _choose_depth(self, pack: Pack) -> Depth:
        quick = Plan(pack, "quick").count({})
        full = Plan(pack, "full").count({})
        first = pack.meta.sections[0].title
        choice = self.t.choose(
            "How much do you want to check?",
            [
                # Short enough that the answered line ("? How much ... Quick: ...") fits 80 columns.
                ("quick", f"Quick: {first} ({quick} questions, {minutes(quick)} min)"),
                ("full", f"Full: everything ({full} questions, {minutes(full)} min)"),
            ],
        )
        return "quick" if choice == "quick" else "full"

    def _rerun(self, pack: Pack, saved: dict[str, str]) -> Progress | None:
        depth: Depth = self.depth or "full"
        fresh = [q for q in unanswered(pack, saved, depth) if q not in self.fixed]
        answered = sum(1 for v in saved.values() if v not in {UNKNOWN, NOT_ASKED})
        self.t.say(
            self.t.wrap(f"You have saved answers ({answered} answered, {len(fresh)} new or unanswered).")
        )
        while True:
            try:
                return self._rerun_menu(pack, saved, depth, fresh)
            except _BackToMenu:
                continue

    def _rerun_menu(
        self, pack: Pack, saved: dict[str, str], depth: Depth, fresh: list[str]
    ) -> Progress | None:
        """One pass through "What would you like to do?" (None: just show the report)."""
        update_choice = (
            [("update", f"Answer only what the model update changed ({len(self.updated)})")]
            if self.updated
            else []
        )
        choice = self.t.choose(
            "What would you like to do?",
            [
                *update_choice,
                ("all", "Review all answers (yours are pre-selected and marked \u2713)"),
                (
                    "new",
                    f"Answer only new or unanswered questions ({len(fresh)})"
                    if fresh
                    else "Answer only new or unanswered questions",
                ),
                ("pick", "Pick questions to change"),
                ("report", "Just show the report again"),
            ],
            default="update" if self.updated else "new" if fresh else "pick",
            disabled={"new": "none left"} if not fresh else None,
        )
        if choice == "report":
            return None
        picked: tuple[str, ...] = ()
        if choice == "update":
            assert self.updated is not None  # noqa: S101 - only offered when set
            picked = self.updated
        elif choice == "pick":
            picked = tuple(self._pick(pack, saved, depth))
            if picked == (BACK,):
                raise _BackToMenu
        mode: Mode = "new" if choice == "new" else "pick" if choice in {"pick", "update"} else "all"
        return Progress(depth=depth, mode=mode, picked=picked, baseline=saved, values=dict(saved))

    def _pick(self, pack: Pack, saved: Mapping[str, str], depth: Depth) -> list[str]:
        plan = Plan(pack, depth)
        effective = effective_answers(pack, saved)
        room = self.t.columns - 8  # pointer, tick box and margin
        choices = []
        for q in pack.questions:
            if not plan.wants(q, effective) or q.id in self.fixed:
                continue
            # An answer says what it is in its first words ("Always, automatically"); a question
            # in its first and last ones.
            label = answer_label(q, effective[q.id])
            answer = textwrap.shorten(label, max(10, room // 3), placeholder=" \u2026")
            prompt = shorten_middle(q.prompt, max(10, room - len(answer) - 3))
            choices.append((q.id, f"{prompt} [{answer}]"))
        return self.t.pick("Which answers to change?", choices, back=True)

    # --- the questions -----------------------------------------------------------------------
    def _walk(self, pack: Pack, progress: Progress) -> Progress:
        plan = Plan(
            pack,
            progress.depth,
            progress.mode,
            picked=frozenset(progress.picked),
            baseline=progress.baseline,
            fixed=frozenset(self.fixed),
        )
        questions = pack.questions
        values = {**progress.values, **self.fixed}
        asked = list(progress.asked)
        # Answered in an earlier session of this interview: stepped over, but Back reaches them.
        done = set(progress.asked)
        shown: list[int] = []  # indexes of the questions behind us, for Back
        introduced: set[str] = set()
        deciding = deciders(pack)
        i = 0

        def snapshot() -> Progress:
            return progress.model_copy(update={"values": dict(values), "asked": tuple(asked)})

        while True:
            effective = effective_answers(pack, values)
            ahead = [j for j in range(i, len(questions)) if plan.wants(questions[j], effective)]
            if not ahead:
                return snapshot()
            j = ahead[0]
            q = questions[j]
            if q.id in done:
                shown.append(j)
                i = j + 1
                continue
            if q.section not in introduced:
                introduced.add(q.section)
                self._intro(pack, q.section)
            try:
                answer = self._ask(
                    q,
                    effective,
                    number=len(shown) + 1,
                    total=len(shown) + len(ahead),
                    # Until the answers that decide which questions apply are in, the total may
                    # still change ("2 of 23", then "3 of 22"): it is an estimate, and says so.
                    estimate=any(questions[k].id in deciding for k in ahead),
                    pack=pack,
                    back=bool(shown),
                    current=values.get(q.id),
                )
            except KeyboardInterrupt:
                raise Stopped(snapshot()) from None
            except EOFError:
                raise Stopped(snapshot(), eof=True) from None
            if answer == BACK:
                i = shown.pop()
                # Going back un-skips what lies ahead, so stepping forward shows it again.
                done -= {questions[k].id for k in range(i, len(questions))}
                continue
            values[q.id] = answer
            if q.id not in asked:
                asked.append(q.id)
            if self.checkpoint is not None:
                self.checkpoint(snapshot())
            shown.append(j)
            i = j + 1

    def _intro(self, pack: Pack, section_id: str) -> None:
        section = pack.section_by_id[section_id]
        self.t.say()
        self.t.say(self.t.wrap(f"== {section.title} =="))
        if section.intro:
            self.t.say(self.t.wrap(section.intro))

    def _ask(
        self,
        q: Question,
        effective: Mapping[str, str],
        *,
        number: int,
        total: int,
        estimate: bool = False,
        pack: Pack,
        back: bool,
        current: str | None,
    ) -> str:
        t = self.t
        section = pack.section_by_id[q.section].title
        t.say()
        t.say(f"{number} of {'about ' if estimate else ''}{total} - {section}")
        t.say(t.wrap(q.prompt))
        if q.help:
            t.say(t.wrap(q.help, "  "))
        if q.where is not None:
            t.say(t.wrap(f"Where to look: {where_text(q, platform_of(effective))}", "  "))
        choices = [(v.id, v.label) for v in offered_values(pack, q, effective)]
        if q.allow_unknown:
            choices.append((UNKNOWN, UNKNOWN_LABEL))
        valid = {value for value, _ in choices}
        default = current if current in valid else None
        if default is not None:
            choices = [
                (value, label + CURRENT_MARK if value == default else label) for value, label in choices
            ]
        return t.choose("Answer:", choices, default=default, back=back)

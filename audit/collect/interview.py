"""The interview: the answer source that asks (the others are `collect.sources`).

The interview is calm and forgiving: every question shows why it matters and where to look on the
person's phone, offers "I don't know", and can go back any number of steps. Ctrl-C or a closed
input raises `Stopped` with everything answered so far, so the caller can keep it as a draft and
resume later. Which questions it asks is the `Agenda`'s call; the screen is `terminal_io.Terminal`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

from audit.collect.agenda import Agenda, Depth, Mode, Progress, deciders, minutes, unanswered
from audit.collect.screen import BACK, Terminal, shorten_middle
from audit.collect.sources import Checkpoint, Stopped
from audit.evaluate.scoring import effective_answers, help_for, implied, offered_values
from audit.lang import _, day, ngettext
from audit.model.answers import Answers
from audit.model.conditions import NOT_ASKED, UNKNOWN
from audit.model.labels import answer_label
from audit.model.pack import Pack, Question
from audit.model.platform import platform_of, where_text

# A mark, not colour, shows the current answer; short, so the longest label still fits 80 columns.
CURRENT_MARK = " \u2713"


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
            scope = Agenda(pack, "quick")
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
        if saved_at:
            local = saved_at.astimezone()
            stopped = ngettext(
                "You stopped an interview on {day} at {time} after {count} answer.",
                "You stopped an interview on {day} at {time} after {count} answers.",
                n,
            ).format(day=day(local.date()), time=f"{local:%H:%M}", count=n)
        else:
            stopped = ngettext(
                "You stopped an interview after {count} answer.",
                "You stopped an interview after {count} answers.",
                n,
            ).format(count=n)
        self.t.say(self.t.wrap(stopped))
        choice = self.t.choose(
            _("Continue where you left off?"),
            [
                (
                    "continue",
                    ngettext(
                        "Continue (your {count} answer is kept)",
                        "Continue (your {count} answers are kept)",
                        n,
                    ).format(count=n),
                ),
                ("restart", _("Start again (the unfinished answers are dropped)")),
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
                    _(
                        "This interview asks about choices you made in WhatsApp and on your phone, then "
                        "shows which of your data goes to whom, how sure that is, and what to change first."
                    )
                )
            )
            t.say()
        t.bullet(_("Nothing leaves this computer: wa-audit never uses the network."))
        t.bullet(_("It never asks for your phone number or your messages."))
        if first_time:
            quick = Agenda(pack, "quick").count({})
            full = Agenda(pack, "full").count({})
            t.bullet(
                _(
                    "{full} questions at most, about {full_minutes} minutes; the quick check has {quick}, "
                    "about {quick_minutes} minutes. Keep your phone at hand."
                ).format(full=full, full_minutes=minutes(full), quick=quick, quick_minutes=minutes(quick))
            )
        # Translators: ← is the left arrow key; Enter and Ctrl-C are keys' names on the keyboard.
        t.bullet(_("Choose with the arrow keys and Enter. \u2190 goes back; Ctrl-C saves and stops."))
        t.say()

    def _choose_depth(self, pack: Pack) -> Depth:
        quick = Agenda(pack, "quick").count({})
        full = Agenda(pack, "full").count({})
        first = pack.meta.sections[0].title
        choice = self.t.choose(
            _("How much do you want to check?"),
            [
                # Short enough that the answered line ("? How much ... Quick: ...") fits 80 columns.
                # Translators: {section} is the first section's title; keep the line short (80 columns
                # with the question).
                (
                    "quick",
                    _("Quick: {section} ({count} questions, {minutes} min)").format(
                        section=first, count=quick, minutes=minutes(quick)
                    ),
                ),
                (
                    "full",
                    _("Full: everything ({count} questions, {minutes} min)").format(
                        count=full, minutes=minutes(full)
                    ),
                ),
            ],
        )
        return "quick" if choice == "quick" else "full"

    def _rerun(self, pack: Pack, saved: dict[str, str]) -> Progress | None:
        depth: Depth = self.depth or "full"
        fresh = [q for q in unanswered(pack, saved, depth) if q not in self.fixed]
        answered = sum(1 for v in saved.values() if v not in {UNKNOWN, NOT_ASKED})
        self.t.say(
            self.t.wrap(
                _("You have saved answers ({answered} answered, {fresh} new or unanswered).").format(
                    answered=answered, fresh=len(fresh)
                )
            )
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
            [
                (
                    "update",
                    _("Answer only what the model update changed ({count})").format(count=len(self.updated)),
                )
            ]
            if self.updated
            else []
        )
        choice = self.t.choose(
            _("What would you like to do?"),
            [
                *update_choice,
                ("all", _("Review all answers (yours are pre-selected and marked \u2713)")),
                (
                    "new",
                    _("Answer only new or unanswered questions ({count})").format(count=len(fresh))
                    if fresh
                    else _("Answer only new or unanswered questions"),
                ),
                ("pick", _("Pick questions to change")),
                ("report", _("Just show the report again")),
            ],
            default="update" if self.updated else "new" if fresh else "pick",
            # Translators: shown beside a choice that cannot be taken: no question is left to answer.
            disabled={"new": _("none left")} if not fresh else None,
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
        agenda = Agenda(pack, depth)
        effective = effective_answers(pack, saved)
        room = self.t.columns - 8  # pointer, tick box and margin
        choices = []
        for q in pack.questions:
            if not agenda.wants(q, effective) or q.id in self.fixed:
                continue
            # An answer says what it is in its first words ("Always, automatically"); a question
            # in its first and last ones.
            label = answer_label(pack, q.id, effective[q.id])
            answer = textwrap.shorten(label, max(10, room // 3), placeholder=" \u2026")
            prompt = shorten_middle(q.prompt, max(10, room - len(answer) - 3))
            choices.append((q.id, f"{prompt} [{answer}]"))
        return self.t.pick(_("Which answers to change?"), choices, back=True)

    # --- the questions -----------------------------------------------------------------------
    def _walk(self, pack: Pack, progress: Progress) -> Progress:
        agenda = Agenda(
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

        # Ctrl-C at a prompt or between two (while the draft is saved, say) keeps what is answered.
        try:
            while True:
                effective = effective_answers(pack, values)
                ahead = [j for j in range(i, len(questions)) if agenda.wants(questions[j], effective)]
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
        except KeyboardInterrupt:
            raise Stopped(snapshot()) from None
        except EOFError:
            raise Stopped(snapshot(), eof=True) from None

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
        # Translators: the interview's progress, "3 of about 22 - Meta connections"; {section} is a title.
        progress = (
            _("{number} of about {total} - {section}") if estimate else _("{number} of {total} - {section}")
        )
        t.say(progress.format(number=number, total=total, section=section))
        t.say(t.wrap(q.prompt))
        help_text = help_for(pack, q, effective)  # worded for the person's region where it differs
        if help_text:
            t.say(t.wrap(help_text, "  "))
        if q.where is not None:
            t.say(t.wrap(_("Where to look: {path}").format(path=where_text(q, platform_of(effective))), "  "))
        choices = [(v.id, v.label) for v in offered_values(pack, q, effective)]
        if q.allow_unknown:
            choices.append((UNKNOWN, answer_label(pack, q.id, UNKNOWN)))
        valid = {value for value, _label in choices}
        default = current if current in valid else None
        if default is not None:
            choices = [
                (value, label + CURRENT_MARK if value == default else label) for value, label in choices
            ]
        # Translators: the prompt before the answer choices of every question.
        return t.choose(_("Answer:"), choices, default=default, back=back)

"""The person's terminal during the interview: text out, one choice or a checkbox list in.

The only place that talks to questionary (imported lazily, inside `Terminal`'s methods), so
`wa-audit --version`, `--help` and non-interactive runs never load it.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from audit.lang import _

if TYPE_CHECKING:
    from prompt_toolkit.input import Input
    from prompt_toolkit.output import Output


BACK = "__back__"  # choice value of "Back"; never a question value (ids are lower-case words)

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


def closed(text: str) -> str:
    """`text` with a space after each line that ends in a combining mark (the े and ं of में).

    prompt_toolkit puts a zero-width character in the cell after the one it joins, where only the
    next character overwrites it: at the end of a line it stays, and the terminal shows the mark
    twice ("मेंं"). The space is what a next character would have done.
    """
    import unicodedata

    return "\n".join(
        line + " " if line and unicodedata.category(line[-1]).startswith("M") else line
        for line in text.split("\n")
    )


class Terminal:
    """The questionary side of the interview: text out, one choice or a checkbox list in.

    `input`/`output` are prompt_toolkit objects (tests pass a pipe input and a DummyOutput);
    `echo` receives the plain text printed between prompts; `width` fixes the wrapping width
    (tests), else it follows the terminal. `screen` is where a person's interview is drawn when
    it is not standard output (`wa-audit | cat`: standard error). Ctrl-C raises KeyboardInterrupt
    and a closed input raises EOFError: the interview turns both into `Stopped`.
    """

    def __init__(
        self,
        *,
        input: Input | None = None,
        output: Output | None = None,
        echo: TextIO | None = None,
        width: int | None = None,
        color: bool = True,
        screen: TextIO | None = None,
    ) -> None:
        self.input = input
        self.output = output
        self.echo = echo
        self.screen = screen
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
        stream = self.echo or self.screen or sys.stdout
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
        elif self.screen is not None:
            from prompt_toolkit.output import create_output

            kwargs["output"] = create_output(stdout=self.screen)
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
                title=closed(
                    textwrap.fill(label, width=room, subsequent_indent=CHOICE_INDENT)
                    if len(label) > room
                    else label
                ),
                value=value,
                disabled=disabled.get(value),
            )
            for value, label in choices
        ]
        if back:
            items += [questionary.Separator(" "), questionary.Choice(title=_("\u2190 Back"), value=BACK)]
        self.drain()
        instruction = (
            # Translators: ↑/↓ and ← are the arrow keys; Enter is the key's name on the keyboard.
            _("(\u2191/\u2193 to move, Enter to choose, \u2190 to go back)")
            if back
            else _("(\u2191/\u2193 to move, Enter to choose)")
        )
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

    def pick(self, message: str, choices: Sequence[tuple[str, str]], *, back: bool = False) -> list[str]:
        """Any number (at least one) of `choices`, ticked with the space bar.

        With `back`, a "Back" entry, the left arrow and Esc return [BACK] instead.
        """
        import questionary

        self.drain()
        items: list[Any] = [questionary.Choice(title=closed(label), value=value) for value, label in choices]
        if back:
            items += [questionary.Separator(" "), questionary.Choice(title=_("\u2190 Back"), value=BACK)]
        question = questionary.checkbox(
            message,
            choices=items,
            # Translators: Space, Enter and Esc are the keys' names on the keyboard; ← the left arrow key.
            instruction=_("(Space to tick, Enter when done, \u2190 or Esc: back)")
            if back
            else _("(Space to tick, Enter when done)"),
            validate=lambda picked: (
                bool(picked) or _("Tick at least one question with Space, then press Enter")
            ),
            qmark="?",
            pointer="\u00bb",
            **self._kwargs(),
        )
        if back:
            self._bind_back(question, keys=("left", "escape"), result=[BACK])
        picked = [str(v) for v in question.unsafe_ask()]
        return [BACK] if BACK in picked else picked

    @staticmethod
    def _bind_back(question: Any, *, keys: Sequence[str] = ("left",), result: Any = BACK) -> None:
        # `keys` and Enter on "Back" go back. The pointer moves to "Back" before leaving, so the
        # line left on screen reads "Answer: <- Back" rather than an unanswered prompt.
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
            event.app.exit(result=result)

        on_back = Condition(lambda: control.get_pointed_at().value == BACK)
        extra.add("enter", eager=True, filter=on_back)(leave)  # in a list, Enter would tick it
        for key in keys:
            extra.add(key, eager=True)(leave)
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

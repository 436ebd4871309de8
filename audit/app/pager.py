"""Showing long text on a terminal: through the person's pager ($PAGER, else `less -R`), or plain.

The CLI decides when (a terminal, text longer than the screen, no --no-pager); this module only
knows how. A pager that is missing or fails leaves the caller to print the text itself.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from collections.abc import Mapping


def pager_command(environ: Mapping[str, str]) -> list[str] | None:
    """The pager to run: $PAGER (split like a shell would), else `less -R` when installed."""
    configured = environ.get("PAGER", "").strip()
    if configured:
        try:
            words = shlex.split(configured)
        except ValueError:
            return None
        # "cat" (or any pager that is not installed) is no pager at all: print instead.
        if words and words[0] not in {"cat"} and shutil.which(words[0]) is not None:
            return words
        return None
    less = shutil.which("less")
    return [less, "-R"] if less is not None else None


def page(text: str, environ: Mapping[str, str] | None = None) -> bool:
    """Show `text` in the pager; False when there is none (or it could not start)."""
    env = dict(os.environ if environ is None else environ)
    command = pager_command(env)
    if command is None or env.get("TERM") == "dumb":  # a dumb terminal cannot page: print
        return False
    # less restores the screen on exit (the summary stays where the eye is); utf-8 for the
    # bars and arrows whatever the locale says.
    env.setdefault("LESSCHARSET", "utf-8")
    try:
        proc = subprocess.Popen(command, stdin=subprocess.PIPE, env=env)  # noqa: S603 - the person's own pager
    except OSError:
        return False
    assert proc.stdin is not None  # noqa: S101 - stdin=PIPE
    try:
        proc.stdin.write(text.encode("utf-8"))
        proc.stdin.close()
    except BrokenPipeError:
        pass  # the person quit the pager before reading everything: done, not an error
    proc.wait()
    return True

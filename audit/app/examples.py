"""`wa-audit example [NAME]`: the bundled answers files, listed, printed, or copied to start from.

They ship inside the wheel (as the rule pack does), so every message that names them can point
to this command rather than to a folder only a checkout has.
"""

from __future__ import annotations

from pathlib import Path

from audit.errors import UserError
from audit.files import atomic_write
from audit.lang import _
from audit.load.resources import examples_dir

SUFFIX = ".yaml"


def names() -> list[str]:
    return sorted(p.name.removesuffix(SUFFIX) for p in examples_dir().glob(f"*{SUFFIX}"))


def about(name: str) -> str:
    """What an example is: its opening comment, in one line."""
    lines = []
    for line in text_of(name).splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("# ").strip())
    return " ".join(lines)


def listing() -> str:
    """Every example with what it is, and how to use one."""
    rows = [f"{name}\n    {about(name)}" for name in names()]
    return (
        _("Example answers files (print one: wa-audit example NAME; copy it: wa-audit example NAME -o FILE):")
        + "\n"
        + "\n".join(rows)
        + "\n"
    )


def text_of(name: str) -> str:
    path = examples_dir() / f"{name.removesuffix(SUFFIX)}{SUFFIX}"
    if name.removesuffix(SUFFIX) not in names():
        raise UserError(_("{name}: no such example; 'wa-audit example' lists them").format(name=name))
    return path.read_text(encoding="utf-8")


def copy(name: str, target: Path) -> None:
    """Write the example to `target` (0600, atomically); a file already there is never replaced."""
    text = text_of(name)
    if target.exists() or target.is_symlink():
        raise UserError(
            _("{path}: already exists; give a new file name (an example replaces no file)").format(
                path=target
            )
        )

    atomic_write(target, text)

"""The `wa-audit` console script: `--version` at once, every other command line through `audit.app.cli`.

`wa-audit --version` needs nothing but a string, and it is what people and install checks run
first; answering it here, before argparse (and its gettext, re and enum) is imported, keeps it within
a few milliseconds of Python's own start-up (benches/run.py measures it). Anything else, including
`--version` next to other arguments, goes to `audit.app.cli.main` unchanged, so argparse stays the one
authority on the command line.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # not typing's: importing typing alone costs more than this whole module
if TYPE_CHECKING:
    from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `wa-audit` console script and of `python -m audit`."""
    given = list(sys.argv[1:] if argv is None else argv)
    if given == ["--version"]:
        from audit import __version__

        # The same line argparse's version action prints (tests/test_imports.py compares them).
        sys.stdout.write(f"wa-audit {__version__}\n")
        return 0
    from audit.app.cli import main as cli_main

    return cli_main(given)

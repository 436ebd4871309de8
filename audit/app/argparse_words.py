"""argparse's own words ("usage: ", "options", its error messages) in the person's language.

The CLI builds and runs its parser inside `argparse_speaking()`.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

from audit import lang
from audit.lang import N_

# argparse's own words (the "usage: " prefix, its section titles, the -h help, its error
# messages), marked here so that `pybabel extract` puts them in wa-audit's catalog. argparse looks
# them up through the `gettext` and `ngettext` it imported from the stdlib (the default domain, in
# the locale's language, not the one `--lang` chose); `argparse_speaking` lends it wa-audit's.
ARGPARSE_WORDS = (
    # Translators: argparse's, before the one-line synopsis of `wa-audit --help`; keep the space.
    N_("usage: "),
    # Translators: argparse's, the title above the command's arguments in --help.
    N_("positional arguments"),
    # Translators: argparse's, the title above the command's options in --help.
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    # Translators: argparse's; %(type)s is a type's name in the code (int), not to be translated.
    N_("invalid %(type)s value: %(value)r"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("unrecognized arguments: %s"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
)


@contextmanager
def argparse_speaking() -> Iterator[None]:
    """Argparse's own words in the person's language (wa-audit's catalog) for the block.

    For the block argparse's module names `_` and `ngettext` are `audit.lang`'s, which say English
    unchanged; the stdlib's are put back after it. The CLI builds and runs its parser inside it.
    """
    saved = {name: getattr(argparse, name) for name in ("_", "ngettext")}
    setattr(argparse, "_", lang._)  # noqa: B010 - argparse's own global, no attribute in the stubs
    setattr(argparse, "ngettext", lang.ngettext)  # noqa: B010
    try:
        yield
    finally:
        for name, function in saved.items():
            setattr(argparse, name, function)

"""What a test does when something it needs is missing: fail in CI, skip on a developer's machine.

CI (`bash .ci/run`, with CI=true) must run every test: a browser or the source captures missing
there is a broken CI, not a reason to report green. Elsewhere a missing optional tool skips, with
the command that installs it.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def in_ci() -> bool:
    """True when CI is set to anything but an explicit no (CI=true, CI=1, ...)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing(what: str, fix: str) -> NoReturn:
    """`what` is not there: pytest.fail in CI, pytest.skip elsewhere; `fix` says how to get it."""
    if in_ci():
        pytest.fail(f"{what} is missing in CI (CI={os.environ.get('CI')}); {fix}")
    pytest.skip(f"{what} is missing ({fix}); CI runs this test")

"""Where wa-audit's folders are: --home and $WA_AUDIT_HOME, else the platform's (platformdirs)."""

from __future__ import annotations

import os

import pytest

from audit.load import cache as pack_cache
from audit.paths import APP_NAME, default_home


def test_the_home_and_the_cache_follow_the_platform(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WA_AUDIT_HOME", raising=False)
    monkeypatch.delenv(pack_cache.CACHE_ENV, raising=False)
    monkeypatch.setenv("HOME", "/home/ana")
    monkeypatch.setenv("XDG_DATA_HOME", "/d")
    monkeypatch.setenv("XDG_CACHE_HOME", "/c")
    assert str(default_home()) == os.path.join("/d", APP_NAME)
    assert str(pack_cache.cache_dir()) == os.path.join("/c", APP_NAME)

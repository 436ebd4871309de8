"""Where wa-audit's folders are: the fast path of paths.user_dir gives platformdirs' answer."""

from __future__ import annotations

import os

import platformdirs
import pytest

from audit import pack_cache
from audit.paths import APP_NAME, default_home, user_dir

ENVIRONMENTS = [
    {"HOME": "/home/ana"},
    {"HOME": "/home/ana/"},
    {"HOME": "/home/ana", "XDG_DATA_HOME": "/data/x", "XDG_CACHE_HOME": "/cache/y/"},
    {"HOME": "/home/ana", "XDG_DATA_HOME": "", "XDG_CACHE_HOME": ""},
    {"HOME": "/home/ana", "XDG_DATA_HOME": "relative/x", "XDG_CACHE_HOME": "rel"},
    {"HOME": "/home/ana", "XDG_DATA_HOME": "  ", "XDG_CACHE_HOME": " /x"},
    {"HOME": "/"},
    {"HOME": "/home/ana", "ANDROID_DATA": "/data", "ANDROID_ROOT": "/system", "SHELL": "/bin/sh"},
]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_user_dir_is_what_platformdirs_says(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "ANDROID_DATA", "ANDROID_ROOT", "SHELL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert user_dir("data") == platformdirs.user_data_dir(APP_NAME, appauthor=False)
    assert user_dir("cache") == platformdirs.user_cache_dir(APP_NAME, appauthor=False)


def test_the_home_and_the_cache_use_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WA_AUDIT_HOME", raising=False)
    monkeypatch.delenv(pack_cache.CACHE_ENV, raising=False)
    monkeypatch.setenv("HOME", "/home/ana")
    monkeypatch.setenv("XDG_DATA_HOME", "/d")
    monkeypatch.setenv("XDG_CACHE_HOME", "/c")
    assert str(default_home()) == os.path.join("/d", APP_NAME)
    assert str(pack_cache.cache_dir()) == os.path.join("/c", APP_NAME)

"""Shared fixtures. Sockets are disabled for the whole suite (pytest-socket, see pyproject)."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import settings

from audit.load.read import load_pack
from audit.load.resources import default_pack_dir
from audit.model.pack import Pack

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
EXAMPLES = ROOT / "examples"

# No per-example deadline anywhere in the suite: on a loaded 2-core machine an example can take
# seconds, and a deadline would fail the test for the machine's sake. Speed is measured in benches/.
settings.register_profile("wa-audit", deadline=None)
settings.load_profile("wa-audit")


@pytest.fixture(scope="session", autouse=True)
def _cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The suite's pack and template cache: a temp folder, inherited by subprocesses."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WA_AUDIT_CACHE", str(tmp_path_factory.mktemp("wa-audit-cache")))
        yield


@pytest.fixture(scope="session", autouse=True)
def _english_unless_asked() -> Iterator[None]:
    """The suite speaks English whatever the machine's locale; a test asks for another language."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WA_AUDIT_LANG", "en")
        yield


@pytest.fixture(autouse=True)
def _language_reset() -> Iterator[None]:
    """A test that runs `main(["--lang", ...])` in process leaves the next one in English."""
    from audit import lang

    yield
    lang.use(lang.ENGLISH)


# The in-process caches: the compiled pack (with its memo of outputs) and the compiled templates.
_CACHED: dict[str, Callable[[ModuleType], object]] = {
    "audit.evaluate.compiled": lambda m: (
        m.compiled_pack.cache_clear(),
        m.conditions_by_question.cache_clear(),
    ),
    "audit.evaluate.advice": lambda m: m._fixes.cache_clear(),
    "audit.render.markdown": lambda m: m.environment.cache_clear(),
    "audit.render.html": lambda m: (m.environment.cache_clear(), m.stylesheet.cache_clear()),
}


@pytest.fixture(autouse=True)
def _cold_caches_under_mutmut() -> None:
    """Under `make mutate`, each test starts with cold caches.

    mutmut records which tests reach each function and runs only those against its mutants: a
    cache warmed by one test would hide the function from every later one, and one warmed before a
    mutant's run would hide the mutant. Outside mutmut, caches stay warm (that is their job).
    """
    if "MUTANT_UNDER_TEST" in os.environ:
        for name, clear in _CACHED.items():
            module = sys.modules.get(name)
            if module is not None:
                clear(module)


@pytest.fixture(scope="session")
def bundled_pack() -> Pack:
    return load_pack(default_pack_dir())


@pytest.fixture(scope="session")
def mini_pack() -> Pack:
    return load_pack(DATA / "packs" / "mini")


@pytest.fixture
def mini_pack_dir(tmp_path: Path) -> Path:
    """A writable copy of the mini pack, for tests that break it."""
    target = tmp_path / "mini"
    shutil.copytree(DATA / "packs" / "mini", target)
    return target


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private, empty wa-audit home; also exported so subprocesses use it."""
    path = tmp_path / "home"
    monkeypatch.setenv("WA_AUDIT_HOME", str(path))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return path


def edit_pack_file(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace `old` by `new` in a test's copy of a pack file; `old` must be there `count` times."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == count, f"{path.name}: {old!r} found {text.count(old)} times"
    path.write_text(text.replace(old, new), encoding="utf-8")

"""The pack cache serves a pack only for the exact files (and code) it was loaded from."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest

from audit.app import reports
from audit.app.settings import Settings
from audit.errors import PackError
from audit.load import cache as pack_cache
from audit.load.read import load_pack
from audit.model.conditions import AllOf, AnyOf, NotOf, RuleRef
from audit.model.pack import PACK_FILES, Pack
from audit.paths import Home
from tests.conftest import DATA, ROOT


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(DATA / "packs" / "mini", target)
    return target


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every directory load_pack really reads (a cache hit reads none)."""
    calls: list[Path] = []

    def counting(directory: Path) -> Pack:
        calls.append(directory)
        return load_pack(directory)

    monkeypatch.setattr("audit.load.read.load_pack", counting)
    return calls


def entries(cache: Path) -> list[Path]:
    return sorted((cache / "packs").glob("*.json"))


@pytest.mark.parametrize("source", [DATA / "packs" / "mini", ROOT / "rules" / "whatsapp"])
def test_the_cached_pack_equals_the_loaded_one(source: Path, cache: Path, loads: list[Path]) -> None:
    first = pack_cache.load(source, folder=cache)
    second = pack_cache.load(source, folder=cache)
    assert first == load_pack(source)
    assert second == first
    assert loads == [source]  # the second came from the cache
    assert second.question_by_id.keys() == first.question_by_id.keys()


def test_entries_are_private_json(pack_dir: Path, cache: Path) -> None:
    pack_cache.load(pack_dir, folder=cache)
    [entry] = entries(cache)
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert stat.S_IMODE((cache / "packs").stat().st_mode) == 0o700
    assert Pack.model_validate_json(entry.read_bytes()) == load_pack(pack_dir)  # data, not pickle


@pytest.mark.parametrize("name", PACK_FILES)
def test_a_changed_pack_file_is_never_served_from_the_cache(
    name: str, pack_dir: Path, cache: Path, loads: list[Path]
) -> None:
    pack_cache.load(pack_dir, folder=cache)
    path = pack_dir / name
    # A comment changes no value: only the bytes tell, and they must.
    path.write_bytes(path.read_bytes() + b"\n# edited\n")
    pack_cache.load(pack_dir, folder=cache)
    assert loads == [pack_dir, pack_dir]
    assert len(entries(cache)) == 2


def test_an_edit_is_seen_at_once(pack_dir: Path, cache: Path) -> None:
    before = pack_cache.load(pack_dir, folder=cache)
    path = pack_dir / "pack.yaml"
    text = path.read_text()
    path.write_text(text.replace(f"title: {before.meta.title}", "title: Edited title", 1))
    assert pack_cache.load(pack_dir, folder=cache).meta.title == "Edited title"


def test_a_pack_broken_after_caching_fails_as_without_a_cache(pack_dir: Path, cache: Path) -> None:
    pack_cache.load(pack_dir, folder=cache)
    (pack_dir / "questions.yaml").write_text("questions: [\n")
    with pytest.raises(PackError) as cached:
        pack_cache.load(pack_dir, folder=cache)
    with pytest.raises(PackError) as direct:
        load_pack(pack_dir)
    assert cached.value.message == direct.value.message
    assert len(entries(cache)) == 1  # a broken pack is never stored


def test_a_pack_failing_its_cross_checks_is_never_cached(pack_dir: Path, cache: Path) -> None:
    flows = pack_dir / "flows.yaml"
    first_source = load_pack(pack_dir).rules[0].sources[0].id
    flows.write_text(flows.read_text().replace(f"id: {first_source}", "id: NoSuchSource", 1))
    with pytest.raises(PackError, match="NoSuchSource"):
        pack_cache.load(pack_dir, folder=cache)
    assert entries(cache) == []


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"\x00\xff garbage",
        b'{"meta": ',  # cut short
        b"{}",  # JSON, but not a pack
        b'{"meta": {"id": "x"}, "unexpected": 1}',
    ],
    ids=["empty", "binary", "truncated", "empty-object", "wrong-shape"],
)
def test_a_damaged_entry_is_ignored_and_rewritten(
    damage: bytes, pack_dir: Path, cache: Path, loads: list[Path]
) -> None:
    good = pack_cache.load(pack_dir, folder=cache)
    [entry] = entries(cache)
    entry.write_bytes(damage)
    assert pack_cache.load(pack_dir, folder=cache) == good
    assert loads == [pack_dir, pack_dir]
    assert Pack.model_validate_json(entry.read_bytes()) == good  # rewritten
    assert pack_cache.load(pack_dir, folder=cache) == good
    assert loads == [pack_dir, pack_dir]  # and used again


def test_an_entry_others_may_write_is_not_trusted(pack_dir: Path, cache: Path, loads: list[Path]) -> None:
    pack_cache.load(pack_dir, folder=cache)
    [entry] = entries(cache)
    entry.chmod(0o666)
    pack_cache.load(pack_dir, folder=cache)
    assert loads == [pack_dir, pack_dir]
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600  # replaced by a private one


def test_the_key_covers_version_and_every_file(pack_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = pack_cache.pack_key(pack_dir)
    assert key is not None
    assert len(key) == 64
    monkeypatch.setattr(pack_cache, "__version__", "99.0")
    assert pack_cache.pack_key(pack_dir) != key
    monkeypatch.undo()
    renamed = pack_dir.parent / "elsewhere"
    pack_dir.rename(renamed)
    assert pack_cache.pack_key(renamed) == key  # the content decides, not the folder's name


def test_the_key_covers_the_names_of_the_captures(pack_dir: Path, cache: Path) -> None:
    # The pack lists its capture versions (Pack.captures): a capture added is another pack.
    assert pack_cache.load(pack_dir, folder=cache).captures == {}
    key = pack_cache.pack_key(pack_dir)
    (pack_dir / "captures").mkdir()
    (pack_dir / "captures" / "a-policy-2026-01-10.md").write_text("We collect your number.\n")
    assert pack_cache.pack_key(pack_dir) != key
    assert [str(d) for d in pack_cache.load(pack_dir, folder=cache).captures["a-policy"]] == ["2026-01-10"]


@pytest.mark.parametrize("module", ["model/pack.py", "render/json.py"])
def test_the_key_covers_every_module_of_the_package(
    module: str, pack_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = pack_cache.pack_key(pack_dir)
    code = tmp_path / "code"
    shutil.copytree(ROOT / "audit", code, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(pack_cache, "__file__", str(code / "load" / "cache.py"))
    assert pack_cache.pack_key(pack_dir) == key
    (code / module).write_text((code / module).read_text() + "\n# a new check\n")
    monkeypatch.setattr(pack_cache, "__file__", str(code / "load" / "cache.py"))
    assert pack_cache.pack_key(pack_dir) not in (None, key)


def test_unreadable_pack_files_bypass_the_cache(pack_dir: Path, cache: Path) -> None:
    (pack_dir / "findings.yaml").unlink()
    (pack_dir / "findings.yaml").mkdir()
    assert pack_cache.pack_key(pack_dir) is None
    with pytest.raises(PackError, match=r"findings\.yaml"):
        pack_cache.load(pack_dir, folder=cache)
    assert entries(cache) == []


def test_a_cache_that_cannot_be_written_is_no_error(pack_dir: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert pack_cache.load(pack_dir, folder=blocker) == load_pack(pack_dir)


def test_old_entries_are_trimmed(pack_dir: Path, cache: Path) -> None:
    folder = cache / "packs"
    folder.mkdir(parents=True)
    for i in range(pack_cache.MAX_ENTRIES + 5):
        old = folder / f"{i:064x}.json"
        old.write_text("{}")
        os.utime(old, ns=(i * 10**9, i * 10**9))
    unrelated = folder / "notes.txt"
    unrelated.write_text("not ours")
    pack_cache.load(pack_dir, folder=cache)
    assert len(entries(cache)) == pack_cache.MAX_ENTRIES
    assert not (folder / f"{0:064x}.json").exists()  # the oldest went first
    assert unrelated.exists()


def test_the_folder_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WA_AUDIT_CACHE", str(tmp_path / "c"))
    assert pack_cache.cache_dir() == tmp_path / "c"
    monkeypatch.delenv("WA_AUDIT_CACHE")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert pack_cache.cache_dir().name == "wa-audit"


def test_the_app_loads_through_the_cache(
    pack_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WA_AUDIT_CACHE", str(tmp_path / "c"))
    settings = Settings(home=Home(tmp_path / "home"), rules=pack_dir)
    assert reports.pack_for(settings) == load_pack(pack_dir)
    assert len(list((tmp_path / "c" / "packs").glob("*.json"))) == 1
    bundled = reports.pack_for(Settings(home=Home(tmp_path / "home")))
    assert bundled.meta.id == "whatsapp"
    assert len(list((tmp_path / "c" / "packs").glob("*.json"))) == 2


# --- what the cache carries --------------------------------------------------------------------------
def every_kind_of_field(tmp_path: Path) -> Pack:
    """The mini pack plus every condition kind and every optional field the cache must carry."""
    target = tmp_path / "every"
    shutil.copytree(DATA / "packs" / "mini", target)
    loaded = load_pack(target)
    q = loaded.questions[0]
    everything = {
        "all": [
            {"not": {"question": q.id, "in": [q.values[0].id]}},
            {"any": [{"question": q.id, "in": [q.values[0].id, "unknown"]}, "always"]},
            {"rule": loaded.rules[0].id},
        ]
    }
    data = loaded.model_dump(mode="json")
    for finding, cond in zip(data["findings"], [everything, "always"], strict=False):
        finding["when"] = cond
        finding["risk"] = "a risk"
        finding["conflict"] = "a conflict"
    data["questions"][0]["change"] = {
        "allowed": True,
        "from": [q.values[0].id],
        "to": [q.values[1].id],
        "effort": "habit",
    }
    data["questions"][0]["where"] = {"android": "Settings", "iphone": None}
    data["vocabulary"]["purposes"][0]["weight"] = 1
    data["sources"][0]["capture"] = "2026-01-01"
    return Pack.model_validate(data)


def test_an_entry_reads_back_as_the_same_pack(tmp_path: Path) -> None:
    pack = every_kind_of_field(tmp_path)
    again = Pack.model_validate_json(pack.model_dump_json())
    assert again == pack
    when = again.findings[0].when
    assert isinstance(when, AllOf)
    assert [type(c) for c in when.all] == [NotOf, AnyOf, RuleRef]
    assert again.findings[1].when == "always"
    assert again.questions[0].change.from_ is not None
    assert isinstance(again.vocabulary.purposes[0].weight, float)


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d.update(extra=1),
        lambda d: d["meta"].pop("id"),
        lambda d: d["meta"].update(reviewed="yesterday"),
        lambda d: d["questions"][0].update(values="yes"),
        lambda d: d["findings"][0].update(when={"question": "x"}),
        lambda d: d["findings"][0].update(when={"sometimes": True}),
        lambda d: d["vocabulary"].update(certainty_weights={"maybe": 1.0}),
        lambda d: d["findings"][0].update(severity="dire"),
    ],
)
def test_an_entry_that_is_not_a_valid_pack_is_loaded_again(
    damage: Any, pack_dir: Path, cache: Path, loads: list[Path]
) -> None:
    good = pack_cache.load(pack_dir, folder=cache)
    [entry] = entries(cache)
    data = json.loads(entry.read_bytes())
    damage(data)
    entry.write_text(json.dumps(data))
    assert pack_cache.load(pack_dir, folder=cache) == good
    assert loads == [pack_dir, pack_dir]
    assert Pack.model_validate_json(entry.read_bytes()) == good  # rewritten


def test_the_caches_mutmut_clears_exist() -> None:
    """Every in-process cache `make mutate` clears before each test (conftest._CACHED) exists.

    A cache renamed or removed stopped the mutant runs at their first test.
    """
    import importlib

    from tests.conftest import _CACHED

    for name, clear in _CACHED.items():
        clear(importlib.import_module(name))

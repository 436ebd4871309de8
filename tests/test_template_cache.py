"""Compiled templates persist between runs, and stale or foreign code is never run."""

from __future__ import annotations

import stat
from pathlib import Path

import jinja2
import pytest

from audit.render import html, template_cache

TEMPLATE = "{% for x in items %}<{{ x }}>{% endfor %}\n"


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path, Path]:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.j2").write_text(TEMPLATE)
    module = tmp_path / "renderer.py"
    module.write_text("# configures the environment\n")
    return templates, module, tmp_path / "cache"


def environment(templates: Path, module: Path, cache: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        bytecode_cache=template_cache.for_module(str(module), folder=cache),
    )


def render(env: jinja2.Environment) -> str:
    return env.get_template("page.j2").render(items=["a", "<b>"])


def compiles(env: jinja2.Environment, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The templates `env` compiles from source from now on."""
    seen: list[str] = []
    original = env.compile

    def counting(source: str, name: str | None = None, filename: str | None = None, **kw: bool) -> object:
        seen.append(str(name))
        return original(source, name, filename, **kw)

    monkeypatch.setattr(env, "compile", counting)
    return seen


def cached_files(cache: Path) -> list[Path]:
    return sorted((cache / "templates").glob("*.jinja"))


def test_a_second_process_runs_the_cached_code(
    setup: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    templates, module, cache = setup
    first = environment(templates, module, cache)
    assert render(first) == "<a><&lt;b&gt;>"
    [entry] = cached_files(cache)
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert stat.S_IMODE(entry.parent.stat().st_mode) == 0o700
    second = environment(templates, module, cache)
    compiled = compiles(second, monkeypatch)
    assert render(second) == "<a><&lt;b&gt;>"
    assert compiled == []


def test_a_changed_template_is_compiled_again(
    setup: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    templates, module, cache = setup
    render(environment(templates, module, cache))
    (templates / "page.j2").write_text("{{ items | length }} items\n")
    env = environment(templates, module, cache)
    compiled = compiles(env, monkeypatch)
    assert render(env) == "2 items"
    assert compiled == ["page.j2"]


def test_a_changed_environment_module_is_compiled_again(
    setup: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    templates, module, cache = setup
    render(environment(templates, module, cache))
    module.write_text("# configures the environment, now with autoescape off\n")
    env = environment(templates, module, cache)
    compiled = compiles(env, monkeypatch)
    render(env)
    assert compiled == ["page.j2"]


@pytest.mark.parametrize("damage", [b"", b"garbage", None], ids=["empty", "garbage", "truncated"])
def test_a_damaged_entry_is_compiled_again_and_rewritten(
    damage: bytes | None, setup: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    templates, module, cache = setup
    render(environment(templates, module, cache))
    [entry] = cached_files(cache)
    good = entry.read_bytes()
    entry.write_bytes(good[: len(good) // 2 + 70] if damage is None else damage)
    env = environment(templates, module, cache)
    compiled = compiles(env, monkeypatch)
    assert render(env) == "<a><&lt;b&gt;>"
    assert compiled == ["page.j2"]
    assert entry.read_bytes() == good


def test_an_entry_others_may_write_is_not_run(
    setup: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    templates, module, cache = setup
    render(environment(templates, module, cache))
    [entry] = cached_files(cache)
    entry.chmod(0o622)
    env = environment(templates, module, cache)
    compiled = compiles(env, monkeypatch)
    render(env)
    assert compiled == ["page.j2"]


def test_without_the_module_source_nothing_is_cached(tmp_path: Path) -> None:
    assert template_cache.for_module(str(tmp_path / "missing.py")) is None


def test_the_html_report_uses_the_cache() -> None:
    cache = html.environment().bytecode_cache
    assert isinstance(cache, template_cache.TemplateCache)
    assert cache.folder.parent == template_cache.cache_dir()

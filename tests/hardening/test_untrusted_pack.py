"""Rule packs from elsewhere (--rules DIR) are data: their text renders inert in every format.

The hostile pack is the mini pack with every piece of prose (titles, labels, details, prompts,
steps, quotes...) prefixed by text that would do something if a renderer trusted it: HTML and
script, a Markdown image that would fetch a URL, a javascript: link, rich markup, and template
syntax. Each report must show that text as text. Control characters cannot even get in: the
loader refuses them (see test_catalogue.py); a pack built in Python is checked here too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import html5lib
import pytest
import yaml

from audit.app import reports
from audit.app.cli import main
from audit.app.settings import Settings
from audit.load.read import load_pack
from audit.load.yamlio import load_yaml
from audit.model.answers import Answers
from audit.model.pack import Pack
from audit.paths import Home
from audit.render.base import Format
from tests.hardening.support import MINI_PACK

HOSTILE = (
    '<script>alert("x")</script> <img src="https://evil.example/pixel.png"> '
    "![t](https://evil.example/track.png) [click](javascript:alert(1)) "
    "[bold red]RED[/bold red] {{ 1234*5 }} {% if true %}T{% endif %} ${HOME} "
)
MARKUP = "[bold red]RED[/bold red]"
TEMPLATE = "{{ 1234*5 }}"
EVALUATED = "6170"  # what 1234*5 would become if pack text were ever used as a template

PROSE_KEYS = {
    "title", "label", "detail", "risk", "conflict", "prompt", "help", "how", "note", "quote",
    "publisher", "intro", "description", "android", "iphone",
}  # fmt: skip


def poison(node: Any, key: str | None = None) -> Any:
    """Every prose string under `node` prefixed with HOSTILE; ids, urls and dates untouched."""
    if isinstance(node, dict):
        return {k: poison(v, k) for k, v in node.items()}
    if isinstance(node, list):
        return [poison(v, key) for v in node]
    if isinstance(node, str) and key in PROSE_KEYS:
        return HOSTILE + node
    return node


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("hostile") / "pack"
    target.mkdir()
    for src in sorted(MINI_PACK.glob("*.yaml")):
        data = load_yaml(src, what="a rule pack file").data  # YAML 1.2 words: "yes" stays a word
        for file_key in ("rules", "findings", "protections"):
            for item in data.get(file_key, []) if isinstance(data, dict) else []:
                for cite in item.get("sources", []):  # a quote everywhere, so quotes render too
                    cite.setdefault("quote", "Quoted words.")
        (target / src.name).write_text(yaml.safe_dump(poison(data), allow_unicode=True), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def hostile_pack(hostile_dir: Path) -> Pack:
    return load_pack(hostile_dir)


# Answers that fire every rule and finding of the mini pack, plus unknowns for the "check" list.
ANSWERS = {"platform": "android", "linked": "yes", "share": "always"}


def render(pack: Pack, fmt: Format, *, color: bool = False) -> str:
    settings = Settings(home=Home(Path("/nonexistent")), color=color, width=400)
    report = reports.build_report(pack, Answers(pack=pack.meta.id, values=ANSWERS), settings)
    return reports.render(report, pack, fmt, settings)


def test_the_hostile_pack_loads_and_the_cli_reports_it(
    hostile_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text(yaml.safe_dump({"schema_version": 1, "pack": "mini", "answers": ANSWERS}))
    code = main(
        ["--home", str(tmp_path / "h"), "--rules", str(hostile_dir), "report", "--answers", str(answers)]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    assert MARKUP in out


@pytest.mark.parametrize("color", [False, True])
def test_terminal_shows_markup_and_templates_as_text(hostile_pack: Pack, color: bool) -> None:
    out = render(hostile_pack, Format.TERMINAL, color=color)
    assert MARKUP in out, "rich markup in pack text must be printed, not interpreted"
    assert TEMPLATE in out
    assert EVALUATED not in out
    if not color:
        assert "\x1b" not in out


def test_json_carries_pack_text_verbatim(hostile_pack: Pack) -> None:
    out = render(hostile_pack, Format.JSON)
    report = json.loads(out)
    titles = [f["title"] for f in report["findings"]]
    assert titles, "the answers fire the mini pack's findings"
    assert all(t.startswith(HOSTILE) for t in titles)
    assert EVALUATED not in out


def _active_content(document: Any) -> list[str]:
    """Everything in a parsed HTML document (SVG included) that would run or fetch something."""
    found: list[str] = []
    for el in document.iter():
        # html5lib names elements and attributes "{namespace}name" (XHTML, SVG, xlink).
        tag = el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""
        if tag in {"script", "iframe", "object", "embed", "base", "form", "image", "use", "foreignObject"}:
            found.append(f"<{tag}>")
        for attr, value in el.attrib.items():
            name = attr.rsplit("}", 1)[-1].lower()
            if name.startswith("on"):
                found.append(f"{tag} {name}=")
            fetches = {"src", "srcset", "poster", "data", "action", "formaction", "background"}
            if name in fetches and not value.startswith(("data:", "#")):
                found.append(f"{tag} {name}={value}")
            if name == "href" and tag != "a":
                found.append(f"{tag} href={value}")
            if name == "href" and tag == "a" and not value.startswith(("https://", "#")):
                found.append(f"a href={value}")
        if tag == "meta" and el.attrib.get("http-equiv", "").lower() == "refresh":
            found.append("meta refresh")
    return found


def test_html_escapes_pack_text(hostile_pack: Pack) -> None:
    out = render(hostile_pack, Format.HTML)
    document = html5lib.parse(out)
    assert _active_content(document) == []
    text = "".join(document.itertext())
    assert '<script>alert("x")</script>' in text, "the hostile text is shown, as text"
    assert TEMPLATE in text
    assert EVALUATED not in out


@pytest.mark.parametrize("which", ["report", "rules show"])
def test_markdown_escapes_pack_text(hostile_pack: Pack, which: str) -> None:
    from markdown_it import MarkdownIt

    from audit.render import model_guide

    out = render(hostile_pack, Format.MARKDOWN) if which == "report" else model_guide.markdown(hostile_pack)
    # Render it as a permissive viewer would (raw HTML allowed) and look for anything active.
    page = MarkdownIt("commonmark", {"html": True}).render(out)
    document = html5lib.parse(page)
    assert _active_content(document) == [], "pack text must not become HTML, images or links"
    text = "".join(document.itertext())
    assert '<script>alert("x")</script>' in text
    assert MARKUP in text
    assert TEMPLATE in text
    assert EVALUATED not in out


def test_control_characters_from_a_python_built_pack_never_reach_the_terminal(hostile_pack: Pack) -> None:
    # The loader refuses them; a pack built in code must still not paint the person's terminal.
    data = hostile_pack.model_dump()
    data["findings"][0]["title"] = "\x1b[2J\x1b[31mcleared\x1b]0;title\x07 \x9b31m"
    pack = Pack.model_validate(data)
    for color in (False, True):
        out = render(pack, Format.TERMINAL, color=color)
        for code in ("\x1b[2J", "\x1b[31m", "\x1b]0;", "\x9b", "\x07"):
            assert code not in out
        assert "cleared" in out


def test_rules_show_and_diff_show_markup_as_text(
    hostile_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Every rich Console comes from audit.render.console.buffer_console, which turns markup off.
    home = ["--home", str(tmp_path / "h"), "--rules", str(hostile_dir)]
    assert main([*home, "rules", "show"]) == 0
    shown = capsys.readouterr().out
    assert MARKUP in shown
    first = [arg for q, v in ANSWERS.items() for arg in ("--set", f"{q}={v}")]
    assert main([*home, "audit", *first, "--format", "json"]) == 0
    assert main([*home, "set", "linked=no", "--format", "json"]) == 0
    capsys.readouterr()
    assert main([*home, "diff"]) == 0
    diff = " ".join(capsys.readouterr().out.split())  # long titles wrap
    assert MARKUP in diff  # the resolved finding's title, as written

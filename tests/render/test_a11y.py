"""Accessibility of every HTML page wa-audit writes: axe-core and the Nu HTML checker.

Both tools come from npm (versions pinned in tests/render/a11y/package-lock.json) and are not
project dependencies. `make a11y-tools` installs them into .a11y-tools (ignored by git); these
tests then use it, or the folder WA_AUDIT_A11Y_TOOLS names. `make a11y` installs and runs them:

    make a11y        # or: make a11y-tools && .venv/bin/pytest tests/render/test_a11y.py

axe runs in Debian's chromium, at 390 and 1200 px in the light and the dark scheme: every page in
both schemes and at both widths, two views each (light at one width, dark at the other, taking
turns page by page, so that every pairing is checked on half the pages); vnu needs Java. Without
the tools these tests skip on a developer's machine and fail in CI (.ci/run installs them).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import GENERATED_AT, HERE, ROOT

from audit.model.assessment import Report
from audit.model.pack import Pack
from audit.render.base import Format, RenderOptions, renderer_for
from tests.ci import missing

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TOOLS = ("axe-core", "puppeteer-core", "vnu-jar")


@pytest.fixture(scope="module")
def tools() -> Path:
    folder = Path(os.environ.get("WA_AUDIT_A11Y_TOOLS") or ROOT / ".a11y-tools")
    modules = folder / "node_modules"
    absent = [m for m in TOOLS if not (modules / m).is_dir()]
    absent += [exe for exe in ("node", "java") if shutil.which(exe) is None]
    if shutil.which("chromium") is None:
        absent.append("chromium")
    if absent:
        missing(f"accessibility tools ({', '.join(absent)} in {folder})", "run: make a11y-tools")
    return modules


@pytest.fixture(scope="module")
def pages(reports: dict[str, Report], pack: Pack, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("a11y")
    written = []
    for fmt in (f for f in Format if f.value.endswith("html")):
        for name, report in reports.items():
            path = folder / f"{fmt.value}-{name}.html"
            path.write_text(renderer_for(fmt).render(report, pack, RenderOptions()), encoding="utf-8")
            written.append(path)
    # Each language's report and plan page too (its `lang`, its words' contrast and widths).
    from audit import lang
    from audit.collect.answers_file import read_answers
    from audit.evaluate.engine import evaluate
    from audit.load.resources import default_pack_dir
    from audit.load.translations import in_language
    from audit.model.assessment import make_report

    for tag, person in {
        "pt-BR": "brazil-payments",
        "es": "all-unknown",
        "hi": "india-shares-everything",
        "id": "quick-unsure",
    }.items():
        with lang.speaking(tag):
            spoken = in_language(pack, default_pack_dir(), tag)
            answers = read_answers(spoken, ROOT / "examples" / f"{person}.yaml")
            report = make_report(evaluate(spoken, answers), generated_at=GENERATED_AT)
            for fmt in (Format.HTML, Format.PLAN_HTML):
                path = folder / f"{fmt.value}-{tag}-{person}.html"
                path.write_text(renderer_for(fmt).render(report, spoken, RenderOptions()), encoding="utf-8")
                written.append(path)
    return written


def run_axe(tools: Path, pages: list[Path] | list[str]) -> subprocess.CompletedProcess[str]:
    """Axe on each page (light and dark, 390 and 1200 px), or on each view PAGE::SCHEME:WIDTH."""
    env = {**os.environ, "NODE_PATH": str(tools)}
    return subprocess.run(
        ["node", str(HERE / "a11y" / "axe_check.js"), *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        check=False,
    )


def run_vnu(tools: Path, pages: list[Path]) -> subprocess.CompletedProcess[str]:
    jar = tools / "vnu-jar" / "build" / "dist" / "vnu.jar"
    return subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def views(pages: list[Path]) -> list[str]:
    """Two views a page, light and dark at different widths, the pairing alternating page by page."""
    pairings = (("light", 390), ("dark", 1200)), (("dark", 390), ("light", 1200))
    return [f"{page}::{scheme}:{width}" for i, page in enumerate(pages) for scheme, width in pairings[i % 2]]


def test_views_cover_every_scheme_at_every_width() -> None:
    pages = [Path(f"p{i}.html") for i in range(4)]
    shown = [v.split("::")[1] for v in views(pages)]
    assert sorted(set(shown)) == ["dark:1200", "dark:390", "light:1200", "light:390"]
    assert all({s.split(":")[0] for s in shown[i : i + 2]} == {"light", "dark"} for i in range(0, 8, 2))


@pytest.mark.parametrize("half", [0, 1])  # two halves, so that two test workers share them
def test_axe_finds_nothing(tools: Path, pages: list[Path], half: int) -> None:
    result = run_axe(tools, views(pages)[half::2])
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]


def test_nu_html_checker_finds_no_error(tools: Path, pages: list[Path]) -> None:
    result = run_vnu(tools, pages)
    assert result.returncode == 0, result.stderr[-4000:]


def test_the_checks_catch_a_broken_page(
    tools: Path, reports: dict[str, Report], pack: Pack, tmp_path: Path
) -> None:
    """Both checkers flag a page with faint text, an image without alt and a duplicate id."""
    good = renderer_for(Format.HTML).render(reports["eea-nothing-linked"], pack, RenderOptions())
    bad = tmp_path / "bad.html"
    bad.write_text(
        good.replace(
            "<main>",
            '<main><p style="color:#bbb;background:#fff">faint</p><img src="data:,"><p id="score">again</p>',
        ),
        encoding="utf-8",
    )
    axe = run_axe(tools, [bad])
    assert axe.returncode == 1
    assert "color-contrast" in axe.stdout
    assert "image-alt" in axe.stdout
    vnu = run_vnu(tools, [bad])
    assert vnu.returncode == 1
    assert "Duplicate ID" in vnu.stderr
    assert "alt" in vnu.stderr

"""Accessibility of every HTML page wa-audit writes: axe-core and the Nu HTML checker.

Both tools come from npm and are not project dependencies; install them in a scratch folder and
point WA_AUDIT_A11Y_TOOLS at it to run these tests (they skip without it):

    mkdir -p /tmp/a11y && cd /tmp/a11y && npm install axe-core puppeteer-core vnu-jar
    WA_AUDIT_A11Y_TOOLS=/tmp/a11y .venv/bin/pytest tests/render/test_a11y.py

axe runs in Debian's chromium (light and dark scheme, 390 and 1200 px); vnu needs Java.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import HERE

from audit.assessment import Report
from audit.pack import Pack
from audit.render.base import Format, RenderOptions, renderer_for

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def tools() -> Path:
    folder = os.environ.get("WA_AUDIT_A11Y_TOOLS")
    if not folder:
        pytest.skip("set WA_AUDIT_A11Y_TOOLS to a folder with npm's axe-core, puppeteer-core, vnu-jar")
    modules = Path(folder) / "node_modules"
    missing = [m for m in ("axe-core", "puppeteer-core", "vnu-jar") if not (modules / m).is_dir()]
    if missing or shutil.which("node") is None or shutil.which("java") is None:
        pytest.skip(f"a11y tools incomplete in {folder}: {missing or 'node or java missing'}")
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
    return written


def test_axe_finds_nothing(tools: Path, pages: list[Path]) -> None:
    env = {**os.environ, "NODE_PATH": str(tools)}
    result = subprocess.run(
        ["node", str(HERE / "a11y" / "axe_check.js"), *map(str, pages)],
        capture_output=True, text=True, timeout=600, env=env, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]


def test_nu_html_checker_finds_no_error(tools: Path, pages: list[Path]) -> None:
    jar = tools / "vnu-jar" / "build" / "dist" / "vnu.jar"
    result = subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", *map(str, pages)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]

"""The HTML report in a real browser: headless Chromium opens it from a file.

Checks: the page renders (its DOM holds the report), the browser logs no console message for it
(a CSP violation or any error would be one), and the page makes no network request. Chromium's
own background chatter (update checks and the like) is told apart by its initiator: requests a
page makes carry the page's origin ("null" for file://), the browser's own carry none. DNS is
mapped to nothing, so even a mistake cannot reach the network from a test.

Also saves a screenshot and an A4 PDF to out/browser/ for a person to look at.

In CI (.ci/run installs Debian's chromium) a missing browser fails the test; elsewhere it skips.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, persona_report

from audit.model.assessment import Report
from audit.model.pack import Pack
from audit.render.base import RenderOptions
from audit.render.html import HtmlRenderer
from tests.ci import missing

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = ROOT / "out" / "browser"
BROWSER_ORIGIN = "not an origin"  # the netlog's initiator for the browser's own requests


@pytest.fixture(scope="module")
def chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        missing("chromium", ".ci/run installs it with: apt-get install -y chromium")
    return exe


Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run_chromium(chromium: str, tmp_path: Path) -> Run:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
        cmd = [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--no-default-browser-check",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            *args,
        ]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)

    return run


def console_messages(stderr: str) -> list[str]:
    """Lines Chromium logs for the page's console (console.*, CSP violations, load errors)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def page_requests(netlog: Path) -> list[str]:
    """URLs of every request the page (not the browser itself) started, except file: and data:."""
    log = json.loads(netlog.read_text(encoding="utf-8"))
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    urls = []
    for event in log["events"]:
        params = event.get("params") or {}
        if event["type"] != start_job or "url" not in params:
            continue
        if params.get("initiator", BROWSER_ORIGIN) == BROWSER_ORIGIN:
            continue
        if not params["url"].startswith(("file:", "data:")):
            urls.append(params["url"])
    return urls


def load(run_chromium: Run, page: Path, tmp_path: Path) -> tuple[str, list[str], list[str]]:
    netlog = tmp_path / f"{page.stem}.netlog.json"
    result = run_chromium(f"--log-net-log={netlog}", "--dump-dom", page.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout, console_messages(result.stderr), page_requests(netlog)


def test_report_opens_with_no_console_message_and_no_request(
    run_chromium: Run, reports: dict[str, Report], pack: Pack, tmp_path: Path
) -> None:
    page = tmp_path / "report.html"
    page.write_text(HtmlRenderer().render(reports["quick-unsure"], pack, RenderOptions()), encoding="utf-8")
    dom, console, requests = load(run_chromium, page, tmp_path)
    assert "Your exposure score" in dom
    assert "Who gets what" in dom
    assert console == []
    assert requests == []

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "report.png"
    result = run_chromium(
        f"--screenshot={shot}", "--window-size=1200,3000", "--hide-scrollbars", page.as_uri()
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pdf = ARTIFACTS / "report.pdf"
    result = run_chromium(f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert b"/MediaBox [0 0 594.9" in data  # A4, from the print stylesheet's @page


def test_the_checks_catch_a_leaky_page(
    run_chromium: Run, reports: dict[str, Report], pack: Pack, tmp_path: Path
) -> None:
    """The same checks flag a page that requests an image and logs to the console."""
    good = HtmlRenderer().render(reports["eea-nothing-linked"], pack, RenderOptions())
    leaky = tmp_path / "leaky.html"
    leaky.write_text(
        good.replace('http-equiv="Content-Security-Policy"', 'name="no-csp"').replace(
            "<main>",
            '<main><img src="https://example.invalid/p.png" alt=""><script>console.error("x")</script>',
        ),
        encoding="utf-8",
    )
    _, console, requests = load(run_chromium, leaky, tmp_path)
    assert requests == ["https://example.invalid/p.png"]
    assert any('"x"' in line for line in console)
    on_paper = printed(run_chromium, leaky)  # the print tests rely on a print catching it too
    assert on_paper.requests == ["https://example.invalid/p.png"]
    assert any('"x"' in line for line in on_paper.console)

    blocked = tmp_path / "blocked.html"
    blocked.write_text(
        good.replace("<main>", '<main><img src="https://example.invalid/p.png" alt="">'), encoding="utf-8"
    )
    _, console, requests = load(run_chromium, blocked, tmp_path)
    assert requests == []  # the CSP stops the request...
    assert any("Content Security Policy" in line for line in console)  # ...and says so


# --- layout: phone and desktop widths, print ---------------------------------------------------
# The page itself runs no script (its CSP forbids it), so the test measures it from outside: a
# copy of the page, without the CSP, inside an iframe of the width under test (headless windows
# are at least 500 px wide; an iframe sets the viewport exactly), and a script in the outer page
# that writes what it measured into the DOM for --dump-dom.
PROBE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>probe</title></head>
<body style="margin:0"><iframe id="page" title="report" style="border:0;width:{width}px;height:900px"
srcdoc="{srcdoc}"></iframe><script>
document.getElementById("page").addEventListener("load", () => {{
  const doc = document.getElementById("page").contentDocument, root = doc.documentElement;
  const top = (id) => {{
    const e = doc.getElementById(id);
    return e ? e.getBoundingClientRect().top : null;
  }};
  // The smallest rendered size of the SVG text `sel` finds: its font size times the drawing's scale.
  const scaled = (sel) => {{
    const sizes = [...doc.querySelectorAll(sel)].map((t) => {{
      const svg = t.ownerSVGElement, shown = svg.getBoundingClientRect().width;
      return shown ? parseFloat(getComputedStyle(t).fontSize) * shown / svg.viewBox.baseVal.width : null;
    }}).filter((x) => x !== null);
    return sizes.length ? Math.min(...sizes) : null;
  }};
  const wide = [...doc.querySelectorAll("body *")]
    .filter((e) => e.getBoundingClientRect().right > root.clientWidth + 0.5)
    .map((e) => e.tagName.toLowerCase() + "." + e.getAttribute("class"));
  const out = document.createElement("pre");
  out.id = "probe";
  out.textContent = JSON.stringify({{
    scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide: wide,
    flows: top("flows"), plan: top("plan"), findings: top("findings"),
    pictureShown: [...doc.querySelectorAll(".flowmap > svg")]
      .some((e) => e.getBoundingClientRect().width > 0),
    flowRows: doc.querySelectorAll("table.flows td").length,
    nodeText: scaled(".flowmap .node text"), axisText: scaled(".trend .axis"),
  }});
  document.body.appendChild(out);
}});
</script></body></html>"""


def measure(run_chromium: Run, page: str, width: int, tmp_path: Path) -> dict[str, object]:
    import html
    import re

    bare = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page, count=1)
    probe = tmp_path / f"probe-{width}.html"
    probe.write_text(PROBE.format(width=width, srcdoc=html.escape(bare, quote=True)), encoding="utf-8")
    result = run_chromium(
        "--window-size=1300,900",
        "--hide-scrollbars",
        "--virtual-time-budget=5000",
        "--dump-dom",
        probe.as_uri(),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    found = re.search(r'<pre id="probe">(.*?)</pre>', result.stdout, re.S)
    assert found is not None, result.stdout[-2000:]
    measured: dict[str, object] = json.loads(html.unescape(found.group(1)))
    return measured


def pdf_pages(run_chromium: Run, page: Path) -> int:
    """Pages of the A4 PDF Chromium prints `page` to (print preview's count)."""
    return len(printed(run_chromium, page).reader.pages)


@dataclass(frozen=True)
class Printed:
    """One print of a page to A4: the PDF, and what the page logged and requested meanwhile."""

    reader: Any  # pypdf's PdfReader
    console: list[str]
    requests: list[str]


def printed(run_chromium: Run, page: Path) -> Printed:
    # One chromium run serves the page count, the type sizes and the console and network checks
    # (a print logs the console and the netlog as --dump-dom does; test_the_checks_catch_a_leaky_page).
    from pypdf import PdfReader

    pdf, netlog = page.with_suffix(".pdf"), page.with_suffix(".netlog.json")
    result = run_chromium(
        f"--log-net-log={netlog}", f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri()
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return Printed(PdfReader(pdf), console_messages(result.stderr), page_requests(netlog))


LAYOUT_CASES = [(p, w) for p in ("linked-everything", "quick-unsure", "all-unknown") for w in (390, 1200)]


@pytest.mark.parametrize("case", LAYOUT_CASES, ids=str)
def test_layout_fits_the_width_with_the_picture_before_the_findings(
    run_chromium: Run, reports: dict[str, Report], pack: Pack, tmp_path: Path, case: tuple[str, int]
) -> None:
    persona, width = case
    page = HtmlRenderer().render(reports[persona], pack, RenderOptions())
    m = measure(run_chromium, page, width, tmp_path)
    assert m["clientWidth"] == width
    assert m["scrollWidth"] == width, f"horizontal overflow at {width}px: {m['wide']}"
    assert m["wide"] == []
    assert isinstance(m["flows"], float | int)
    assert isinstance(m["findings"], float | int)
    assert isinstance(m["plan"], float | int)
    assert m["flows"] < m["plan"] < m["findings"]
    # Below 600 px the picture gives way to the list of flows by recipient; above, both show.
    assert m["pictureShown"] is (width > 600)
    assert m["flowRows"] == 3 * len(reports[persona].flows)


def test_small_text_is_readable_on_a_small_screen(
    run_chromium: Run, reports: dict[str, Report], pack: Pack, tmp_path: Path
) -> None:
    """Flow-map labels at 12 px or more at 620 px wide; the trend's axis labels at 9 px or more on a phone."""
    from audit.model.assessment import TrendPoint

    runs = [(datetime(2026, 12, 1, 9, 30, tzinfo=UTC), 73), (datetime(2026, 12, 1, 17, 5, tzinfo=UTC), 60)]
    report = reports["linked-everything"].model_copy(
        update={"trend": tuple(TrendPoint(at=at, score=s) for at, s in runs)}
    )
    page = HtmlRenderer().render(report, pack, RenderOptions())
    at_620 = measure(run_chromium, page, 620, tmp_path)
    assert isinstance(at_620["nodeText"], float | int)
    assert at_620["nodeText"] >= 12
    on_a_phone = measure(run_chromium, page, 390, tmp_path)
    assert isinstance(on_a_phone["axisText"], float | int)
    assert on_a_phone["axisText"] >= 9


def test_phone_screenshot(run_chromium: Run, reports: dict[str, Report], pack: Pack, tmp_path: Path) -> None:
    """The page at phone width, saved for a person to look at (out/browser/report-390.png)."""
    page = tmp_path / "report.html"
    html = HtmlRenderer().render(reports["linked-everything"], pack, RenderOptions())
    page.write_text(html, encoding="utf-8")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "report-390.png"
    result = run_chromium(
        f"--screenshot={shot}", "--window-size=390,2400", "--hide-scrollbars", page.as_uri()
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# Printed A4 pages at most, per bundled example. The summary and plan of the report fit two pages
# (issue 16), also for the person who answered "I don't know" to everything: its 18 conditional steps
# say their condition once, and "What to check" lists only the questions no step already asks.
# The plan page fits one when it is short.
ALL_EXAMPLES = sorted(p.stem for p in (ROOT / "examples").glob("*.yaml"))
# The summary pages of the full report keep the whole plan, its steps running on across columns
# and sheets: the person who knows nothing (25 steps, each whole, after what to find out first)
# needs a third sheet there; their plan page (below) fits two.
SUMMARY_PAGES = dict.fromkeys(ALL_EXAMPLES, 2) | {"all-unknown": 3}
# The plan page: two sheets for everyone, in every language (a possible finding a step resolves
# says "If it applies to you" on the page; which answers it rests on is the full report's).
PLAN_PAGES = 2
# The longest plans (the most steps and unknowns), in each language besides English.
LONGEST_PLANS = ("all-unknown", "quick-unsure", "linked-everything", "india-shares-everything")
# What prints first (summary and plan) and what prints after, from a new page.
SUMMARY_SECTIONS = {"score", "changes", "find-out-first", "not-checked", "one-thing", "plan"}
EVIDENCE_SECTIONS = ("flows", "findings", "protected", "rights", "sources")


@pytest.mark.parametrize("persona", ALL_EXAMPLES)
def test_print_puts_summary_and_plan_on_two_pages_and_findings_after(
    run_chromium: Run, pack: Pack, tmp_path: Path, persona: str
) -> None:
    import re

    full = HtmlRenderer().render(persona_report(pack, persona), pack, RenderOptions())
    sections = set(re.findall(r'<section id="([^"]+)"', full))
    assert sections <= SUMMARY_SECTIONS | set(EVIDENCE_SECTIONS), "a new section: where does it print?"
    # The pages before the findings: the same page without what prints after the plan (the
    # picture, findings, protections, rights, sources each start on a new page or follow one).
    cut = full
    for section in sections & set(EVIDENCE_SECTIONS):
        cut, n = re.subn(rf'<section id="{section}".*?</section>\n', "", cut, count=1, flags=re.S)
        assert n == 1, section
    cut = re.sub(r"<footer.*?</footer>", "", cut, count=1, flags=re.S)
    (tmp_path / "cut.html").write_text(cut, encoding="utf-8")
    (tmp_path / "full.html").write_text(full, encoding="utf-8")
    summary = pdf_pages(run_chromium, tmp_path / "cut.html")
    assert summary <= SUMMARY_PAGES[persona]
    whole = printed(run_chromium, tmp_path / "full.html")
    assert len(whole.reader.pages) > summary + 1  # findings follow on their own
    # Page 2 is not left mostly blank (the flows used to start a new page, leaving the plan's tail
    # alone on about 15% of it).
    height = float(whole.reader.pages[1].mediabox.height)
    lowest = min(y for y, _ in printed_text(whole.reader, 1))
    assert (height - lowest) / height >= 0.5
    # No navigation on paper; the evidence starts a page and prints after the plan.
    css = (ROOT / "reports" / "html" / "style.css").read_text(encoding="utf-8")
    print_css = css[css.index("@media print") :]
    assert ".toc { display: none; }" in print_css
    # The evidence follows the plan on its last page rather than leaving that page mostly blank.
    assert not re.search(r"#(flows|findings) \{[^}]*break-before: page", print_css)
    for section in EVIDENCE_SECTIONS:
        assert re.search(rf"#{section}\b[^{{]*\{{[^}}]*order: [2-9]", print_css), section


@pytest.mark.parametrize("persona", ALL_EXAMPLES)
def test_the_plan_prints_on_two_pages(run_chromium: Run, pack: Pack, tmp_path: Path, persona: str) -> None:
    from audit.render.plan import PlanHtmlRenderer

    page = tmp_path / f"plan-{persona}.html"
    page.write_text(
        PlanHtmlRenderer().render(persona_report(pack, persona), pack, RenderOptions()), encoding="utf-8"
    )
    plan = printed(run_chromium, page)
    assert 1 <= len(plan.reader.pages) <= PLAN_PAGES
    assert "If you do one thing today" in plan.reader.pages[0].extract_text()
    assert plan.console == []
    assert plan.requests == []
    # No text under 9 pt on paper.
    sizes = [size for n in range(len(plan.reader.pages)) for _, size in printed_text(plan.reader, n)]
    assert min(sizes) >= 8.95


@pytest.mark.parametrize("persona", LONGEST_PLANS)
@pytest.mark.parametrize("tag", ["pt-BR", "es", "hi", "id"])
def test_the_plan_prints_on_two_pages_in_every_language(
    run_chromium: Run, pack: Pack, tmp_path: Path, persona: str, tag: str
) -> None:
    from audit import lang
    from audit.collect.answers_file import read_answers
    from audit.evaluate.engine import evaluate
    from audit.load.resources import default_pack_dir
    from audit.load.translations import in_language
    from audit.model.assessment import make_report
    from audit.render.plan import PlanHtmlRenderer

    with lang.speaking(tag):
        spoken = in_language(pack, default_pack_dir(), tag)
        answers = read_answers(spoken, ROOT / "examples" / f"{persona}.yaml")
        report = make_report(evaluate(spoken, answers), generated_at=datetime(2026, 12, 7, tzinfo=UTC))
        page = tmp_path / f"plan-{tag}-{persona}.html"
        page.write_text(PlanHtmlRenderer().render(report, spoken, RenderOptions()), encoding="utf-8")
    assert f'<html lang="{tag}"' in page.read_text(encoding="utf-8")
    assert 1 <= pdf_pages(run_chromium, page) <= PLAN_PAGES


def printed_text(reader: Any, page: int) -> list[tuple[float, float]]:
    """(height from the page's bottom, size in pt) of each piece of text printed on `page`."""
    found: list[tuple[float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip():
            found.append((cm[5] + tm[5] * cm[3], size * abs(tm[3]) * abs(cm[3])))

    reader.pages[page].extract_text(visitor_text=visit)
    return found


PLAN_PROBE_CASES = [(p, w) for p in ("linked-everything", "all-unknown") for w in (390, 1200)]


@pytest.mark.parametrize("case", PLAN_PROBE_CASES, ids=str)
def test_the_plan_page_fits_the_width(
    run_chromium: Run, reports: dict[str, Report], pack: Pack, tmp_path: Path, case: tuple[str, int]
) -> None:
    from audit.render.plan import PlanHtmlRenderer

    persona, width = case
    m = measure(
        run_chromium, PlanHtmlRenderer().render(reports[persona], pack, RenderOptions()), width, tmp_path
    )
    assert m["clientWidth"] == width
    assert m["scrollWidth"] == width, f"horizontal overflow at {width}px: {m['wide']}"
    assert m["wide"] == []
    assert isinstance(m["plan"], float | int)  # the steps are there

"""The HTML report: a self-contained page that requests nothing and escapes every pack string."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import html5lib
import pytest
from conftest import PERSONAS, ROOT, changes_since, persona_report, two_runs

from audit.evaluate.engine import evaluate
from audit.history.diff import diff
from audit.load.read import load_pack
from audit.model.answers import Answers
from audit.model.assessment import AnswerChange, Report, TrendPoint, make_report
from audit.model.pack import Pack
from audit.model.severity import CERTAINTIES
from audit.render import html as html_renderer
from audit.render.base import RenderOptions
from audit.render.html import CSP, HtmlRenderer

NS = "{http://www.w3.org/1999/xhtml}"
SVG = "{http://www.w3.org/2000/svg}"
CSS = ROOT / "reports" / "html" / "style.css"


def render(report: Report, pack: Pack) -> str:
    return HtmlRenderer().render(report, pack, RenderOptions())


def parse(page: str) -> Element:
    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=True)
    root: Element = parser.parse(page)
    assert parser.errors == [], parser.errors  # well-formed: no parse errors at all
    return root


def local(el: Element) -> str:
    return el.tag.rsplit("}", 1)[-1]


def elements(root: Element) -> Iterator[Element]:
    yield from root.iter()


def text_of(el: Element) -> str:
    return " ".join("".join(el.itertext()).split())


def hostile_report(hostile_pack_dir: Path) -> tuple[Report, Pack]:
    hostile = load_pack(hostile_pack_dir)
    answers = Answers(pack="mini", values={"platform": "android", "linked": "yes", "share": "always"})
    report = make_report(evaluate(hostile, answers), generated_at=datetime(2026, 1, 2, tzinfo=UTC))
    return report, hostile


@pytest.fixture(scope="module")
def pages(reports: dict[str, Report], pack: Pack) -> dict[str, str]:
    return {name: render(r, pack) for name, r in reports.items()}


@pytest.mark.parametrize("persona", [*PERSONAS, "quick-unsure"])
def test_csp_meta_tag_is_exact_and_first_in_head(persona: str, pages: dict[str, str]) -> None:
    root = parse(pages[persona])
    assert root.get("lang") == "en"
    head = root.find(f"{NS}head")
    assert head is not None
    metas = [
        m for m in head.iter(f"{NS}meta") if (m.get("http-equiv") or "").lower() == "content-security-policy"
    ]
    assert [m.get("content") for m in metas] == [
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    ]
    assert metas[0].get("content") == CSP
    # Before anything that could load: only <meta charset> may come first.
    first = [local(e) for e in head][:2]
    assert first == ["meta", "meta"]
    assert head[1] is metas[0]


@pytest.mark.parametrize("persona", [*PERSONAS, "quick-unsure"])
def test_nothing_points_at_the_network(
    persona: str, pages: dict[str, str], reports: dict[str, Report]
) -> None:
    root = parse(pages[persona])
    report = reports[persona]
    source_urls = (
        {s.url for f in report.findings for s in f.sources}
        | {s.url for p in report.protections for s in p.sources}
        | {s.url for p in report.protections for e in p.except_ for s in e.sources}
        | {s.url for r in report.rights for s in r.sources}
    )
    for el in elements(root):
        tag = local(el)
        assert tag not in {
            "script",
            "link",
            "iframe",
            "object",
            "embed",
            "base",
            "img",
            "video",
            "audio",
            "form",
        }
        for name, value in el.attrib.items():
            attr = name.rsplit("}", 1)[-1].lower()
            assert not attr.startswith("on"), f"event handler {attr} on <{tag}>"
            if attr in {"src", "srcset", "action", "formaction", "poster", "data", "background"}:
                pytest.fail(f"<{tag} {attr}={value!r}>: the page must load nothing")
            if attr == "href":
                if value.startswith("#"):
                    continue
                assert tag == "a", f"<{tag} href={value!r}>"
                assert value in source_urls
                assert value.startswith("https://")
                assert el.get("rel") == "noreferrer"
    style = "".join(t.text or "" for t in root.iter(f"{NS}style"))
    assert style.strip(), "the stylesheet is inlined"
    assert "url(" not in style
    assert "@import" not in style
    assert "@font-face" not in style


def test_findings_list_sources_as_links_with_date_and_quote(
    pages: dict[str, str], reports: dict[str, Report]
) -> None:
    root = parse(pages["linked-everything"])
    for f in reports["linked-everything"].findings:
        article = next(a for a in root.iter(f"{NS}details") if a.get("id") == f"finding-{f.id}")
        body = text_of(article)
        assert " ".join(f.title.split()) in body
        links = {a.get("href") for a in article.iter(f"{NS}a")}
        for s in f.sources:
            assert s.url in links
            assert s.date.isoformat() in body
            if s.quote:
                assert " ".join(s.quote.split()) in body
        # Deduplicated: one list item per source id.
        items = [li for ul in article.iter(f"{NS}ul") if ul.get("class") == "sources" for li in ul]
        assert len(items) == len({s.id for s in f.sources})


def test_flow_picture_has_one_edge_per_flow_a_legend_and_a_table(
    pages: dict[str, str], reports: dict[str, Report]
) -> None:
    report = reports["quick-unsure"]
    root = parse(pages["quick-unsure"])
    figure = next(f for f in root.iter(f"{NS}figure") if f.get("class") == "flowmap")
    svg = figure.find(f"{SVG}svg")
    assert svg is not None
    assert svg.get("role") == "img"
    edges = [p for p in svg.iter(f"{SVG}path") if "edge" in (p.get("class") or "")]
    assert len(edges) == len(report.flows)
    classes = " ".join(e.get("class") or "" for e in edges)
    for flow in report.flows:
        assert f"c-{flow.certainty}" in classes
    legend = [text_of(li) for li in figure.iter(f"{NS}li")]
    drawn = {f.certainty for f in report.flows}
    assert len(drawn) >= 2
    # The line styles drawn, surest first, then the three reach tiers.
    assert [item.split(":")[0] for item in legend[: len(drawn)]] == [
        c.capitalize() for c in CERTAINTIES if c in drawn
    ]
    assert [item.split("reaches ")[1] for item in legend[len(drawn) :]] == [
        "few people",
        "some people",
        "many people",
    ]
    table = next(t for t in root.iter(f"{NS}table") if t.get("class") == "flows")
    body_rows = [tr for tb in table.iter(f"{NS}tbody") for tr in tb if tr.get("class") != "group"]
    assert len(body_rows) == len(report.flows)


def test_a_flow_only_a_disputed_rule_sends_is_drawn_and_keyed_as_disputed(
    reports: dict[str, Report], pack: Pack
) -> None:
    # Not in the bundled pack (a documented rule sends F1ads's data too), but a pack given with
    # --rules may have one: the picture must not draw it as "possible".
    report = reports["eea-nothing-linked"]
    flows = (report.flows[0].model_copy(update={"certainty": "disputed"}), *report.flows[1:])
    root = parse(render(report.model_copy(update={"flows": flows}), pack))
    figure = next(f for f in root.iter(f"{NS}figure") if f.get("class") == "flowmap")
    edges = [p.get("class") or "" for p in figure.iter(f"{SVG}path") if "edge" in (p.get("class") or "")]
    assert sum("c-disputed" in e for e in edges) == 2  # its edge and its key in the legend
    assert "Disputed: official texts disagree" in text_of(figure)


def test_no_flows_means_no_picture(reports: dict[str, Report], pack: Pack) -> None:
    empty = reports["eea-nothing-linked"].model_copy(update={"flows": ()})
    root = parse(render(empty, pack))
    section = next(s for s in root.iter(f"{NS}section") if s.get("id") == "flows")
    assert section.find(f".//{SVG}svg") is None
    assert "None of your data flows" in text_of(section)


def test_headings_are_in_order(pages: dict[str, str]) -> None:
    root = parse(pages["linked-everything"])
    levels = [int(local(e)[1]) for e in elements(root) if re.fullmatch(r"h[1-6]", local(e))]
    assert levels[0] == 1
    assert levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_trend_chart_only_with_two_points(reports: dict[str, Report], pack: Pack) -> None:
    base = reports["linked-everything"]
    one = (TrendPoint(at=datetime(2026, 9, 1, tzinfo=UTC), score=80),)
    two = (*one, TrendPoint(at=datetime(2026, 10, 1, tzinfo=UTC), score=70))

    def chart(trend: tuple[TrendPoint, ...]) -> Element | None:
        root = parse(render(base.model_copy(update={"trend": trend}), pack))
        return next((f for f in root.iter(f"{NS}figure") if f.get("class") == "trend"), None)

    assert chart(()) is None
    assert chart(one) is None
    figure = chart(two)
    assert figure is not None
    assert len(list(figure.iter(f"{SVG}circle"))) == 2
    assert "2026-09-01: 80; 2026-10-01: 70" in text_of(figure)


def test_changes_and_stale_warning_sections(pack: Pack) -> None:
    changes = changes_since(
        90,
        76,
        new=("two_step_off",),
        resolved=("accounts_center_linked",),
        answers={"two_step": AnswerChange(from_="on", to="off")},
    )
    report = persona_report(pack, "linked-everything", changes=changes, stale_model=True)
    root = parse(render(report, pack))
    section = next(s for s in root.iter(f"{NS}section") if s.get("id") == "changes")
    text = text_of(section)
    assert "Score 90 → 76 (lower)" in text
    assert pack.finding_by_id["accounts_center_linked"].title in text
    assert pack.finding_by_id["two_step_off"].title in text
    assert "On → Off" in text
    warning = next(p for p in root.iter(f"{NS}p") if p.get("class") == "warning")
    assert "last checked on" in text_of(warning)


def test_hostile_pack_renders_inert(hostile_pack_dir: Path) -> None:
    report, hostile = hostile_report(hostile_pack_dir)
    page = render(report, hostile)
    root = parse(page)
    assert not [e for e in elements(root) if local(e) in {"script", "img"}]
    assert "<script>" not in page
    body = text_of(root)
    assert "Status <script>alert(1)</script>" in body
    assert "Encrypted <script>alert(1)</script>" in body
    assert 'News "><script>alert(2)</script>' in body
    # The pack's Markdown-looking link is text, not a link.
    assert not [a for a in root.iter(f"{NS}a") if "evil.example" in (a.get("href") or "")]
    svg_titles = [text_of(t) for t in root.iter(f"{SVG}title")]
    assert any("Meta <script>alert(1)</script>" in t for t in svg_titles)


def test_templates_are_compiled_once_per_process(
    reports: dict[str, Report], pack: Pack, monkeypatch: pytest.MonkeyPatch
) -> None:
    render(reports["linked-everything"], pack)  # warm
    loads: list[str] = []
    loader = html_renderer.environment().loader
    assert loader is not None
    original = loader.get_source

    def counting(env: Any, name: str) -> Any:
        loads.append(name)
        return original(env, name)

    monkeypatch.setattr(loader, "get_source", counting)
    render(reports["eea-nothing-linked"], pack)
    # Jinja may stat a template to see whether it changed; it must not read and compile it again.
    assert html_renderer.environment() is html_renderer.environment()
    assert loads == []


def test_render_is_deterministic(reports: dict[str, Report], pack: Pack) -> None:
    assert render(reports["quick-unsure"], pack) == render(reports["quick-unsure"], pack)


def test_report_page_matches_golden(pack: Pack, golden: Callable[[str, str], None]) -> None:
    """The whole page a person opens after a second run, as a golden file (read in a browser).

    It holds what the structural tests above only sample: the flow picture's geometry, the score
    trend, the changes since the last run and every finding's wording. The stylesheet is left
    out (it is the shipped file, checked for contrast below).
    """
    first, second = two_runs(pack)
    trend = (
        TrendPoint(at=datetime(2026, 10, 1, 9, 30, tzinfo=UTC), score=90),
        TrendPoint(at=first.at, score=first.score),
        TrendPoint(at=second.at, score=second.score),
    )
    answers = Answers(pack="whatsapp", values=second.answers)
    report = make_report(
        evaluate(pack, answers), generated_at=second.at, changes=diff(first, second), trend=trend
    )
    page = render(report, pack)
    css = str(html_renderer.stylesheet())
    assert page.count(css) == 1
    golden("report-after-a-change.html", page.replace(css, "/* reports/html/style.css */"))


# --- contrast (WCAG AA) -------------------------------------------------------------------------
def _blocks() -> dict[str, dict[str, str]]:
    css = CSS.read_text(encoding="utf-8")

    def props(block: str) -> dict[str, str]:
        return dict(re.findall(r"(--[a-z-]+):\s*(#[0-9a-fA-F]{6})", block))

    light = props(css[css.index(":root {") : css.index("}", css.index(":root {"))])
    dark_start = css.index(":root {", css.index("prefers-color-scheme: dark"))
    dark = light | props(css[dark_start : css.index("}", dark_start)])
    print_start = css.index(":root {", css.index("@media print"))
    printed = light | props(css[print_start : css.index("}", print_start)])
    return {"light": light, "dark": dark, "print": printed}


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


TEXT_PAIRS = [
    ("fg", "bg"),
    ("muted", "bg"),
    ("link", "bg"),
    ("fg", "card"),
    ("muted", "card"),
    ("link", "card"),
    ("good", "bg"),
    ("bad", "bg"),
    ("good", "card"),
    ("warn-fg", "warn-bg"),
    ("fg", "callout-bg"),
    ("muted", "callout-bg"),
    ("badge-fg", "sev-critical"),
    ("badge-fg", "sev-high"),
    ("badge-fg", "sev-medium"),
    ("badge-fg", "sev-low"),
    ("badge-fg", "sev-info"),
]
# The flow picture's edges and recipient borders are graphics (WCAG 1.4.11: 3:1).
GRAPHIC_PAIRS = [
    ("tier-many", "bg"),
    ("tier-some", "bg"),
    ("tier-few", "bg"),
    ("tier-many", "card"),
    ("tier-some", "card"),
    ("tier-few", "card"),
]


@pytest.mark.parametrize("scheme", ["light", "dark", "print"])
def test_colours_meet_wcag_aa(scheme: str) -> None:
    colours = _blocks()[scheme]
    low_text = [(a, b, round(contrast(colours[f"--{a}"], colours[f"--{b}"]), 2)) for a, b in TEXT_PAIRS]
    assert [t for t in low_text if t[2] < 4.5] == []
    low_graphics = [
        (a, b, round(contrast(colours[f"--{a}"], colours[f"--{b}"]), 2)) for a, b in GRAPHIC_PAIRS
    ]
    assert [t for t in low_graphics if t[2] < 3.0] == []


def test_contrast_check_can_fail() -> None:
    assert contrast("#777777", "#ffffff") < 4.5 < contrast("#000000", "#ffffff")


def test_possible_findings_carry_a_badge(pages: dict[str, str], reports: dict[str, Report]) -> None:
    root = parse(pages["quick-unsure"])
    badges = [s for s in root.iter(f"{NS}span") if s.get("class") == "badge possible"]
    assert len(badges) == sum(f.certainty == "possible" for f in reports["quick-unsure"].findings) > 0
    assert all(text_of(b) == "Possible" for b in badges)


@pytest.mark.parametrize("persona", [*PERSONAS, "quick-unsure"])
def test_sections_come_in_the_order_a_person_needs(persona: str, pages: dict[str, str]) -> None:
    root = parse(pages[persona])
    main = next(root.iter(f"{NS}main"))
    order = [s.get("id") for s in main if local(s) == "section"]
    wanted = ["score", "one-thing", "flows", "plan", "findings", "protected", "sources"]
    assert [s for s in order if s in wanted] == [s for s in wanted if s in order]
    assert {"score", "one-thing", "flows", "findings", "protected", "sources"} <= set(order)


def test_findings_collapse_and_high_ones_start_open(
    pages: dict[str, str], reports: dict[str, Report]
) -> None:
    root = parse(pages["linked-everything"])
    findings = reports["linked-everything"].findings
    details = {d.get("id"): d for d in root.iter(f"{NS}details")}
    assert len(details) == len(findings)
    severities = {f.severity for f in findings}
    assert {"high", "medium"} <= severities  # both kinds are exercised
    for f in findings:
        d = details[f"finding-{f.id}"]
        assert local(d[0]) == "summary"
        assert f.title in text_of(d[0])
        assert (d.get("open") is not None) is (f.severity in {"critical", "high"})


def test_sources_section_cites_each_source_once(pages: dict[str, str], reports: dict[str, Report]) -> None:
    root = parse(pages["linked-everything"])
    section = next(s for s in root.iter(f"{NS}section") if s.get("id") == "sources")
    ids = [s.text for s in section.iter(f"{NS}span") if s.get("class") == "source-id"]
    report = reports["linked-everything"]
    cited = (
        {s.id for f in report.findings for s in f.sources}
        | {s.id for p in report.protections for s in p.sources}
        | {s.id for p in report.protections for e in p.except_ for s in e.sources}
        | {s.id for r in report.rights for s in r.sources}
    )
    assert sorted(ids) == sorted(cited)


def test_what_to_check_lists_the_unknowns_no_step_already_names(pack: Pack) -> None:
    # The HTML report's plan part lists an unknown once: in the step that rests on it, under
    # "Find out first", or here (the plan's two-page rule, issue 16).
    report = persona_report(pack, "all-unknown")
    root = parse(render(report, pack))
    check = next(d for d in root.iter(f"{NS}div") if d.get("id") == "check")
    listed = [text_of(dt).rsplit(" (", 1)[0] for dt in check.iter(f"{NS}dt")]
    first = next(s for s in root.iter(f"{NS}section") if s.get("id") == "find-out-first")
    found_out = text_of(first)
    stepped = {r.question for r in report.recommendations if r.from_ == "unknown"}
    expected = [
        " ".join(u.prompt.split())
        for u in report.unknowns
        if u.question not in stepped and " ".join(u.prompt.split()) not in found_out
    ]
    assert len(expected) >= 3
    assert listed == expected


def test_a_protection_holding_in_part_says_so_after_a_space(reports: dict[str, Report], pack: Pack) -> None:
    report = reports["linked-everything"]
    partly = [p.title for p in report.protections if p.holds == "partly"]
    assert partly, "the example needs a protection that holds only in part"
    headings = [text_of(e) for e in elements(parse(render(report, pack))) if local(e) == "h3"]
    for title in partly:
        assert any(h.endswith(f"{title} (holds only in part for you)") for h in headings), title

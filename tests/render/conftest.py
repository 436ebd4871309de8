"""Fixtures for the renderers: the two personas' reports at a fixed time, and golden files.

`pytest tests/render --update-golden` (or `make golden`) rewrites the golden files instead of
comparing; review the diff by eye before committing it.
"""

from __future__ import annotations

import difflib
import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from audit.collect.answers_file import read_answers
from audit.evaluate.engine import evaluate
from audit.history.runs import Run, make_run
from audit.load.read import load_pack
from audit.load.resources import default_pack_dir
from audit.model.answers import Answers
from audit.model.assessment import AnswerChange, Changes, Report, make_report
from audit.model.pack import Pack

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
GOLDEN = HERE / "golden"
MINI_PACK = ROOT / "tests" / "data" / "packs" / "mini"
PERSONAS = ("linked-everything", "eea-nothing-linked")
# Issue 13's people, with terminal goldens read at 80 columns: what to find out first, what a quick
# check skipped, a linked person with two-step verification off, an iPhone with iCloud Backup on.
ADVICE_PERSONAS = ("all-unknown", "quick-unsure", "uk-linked-two-step-off", "iphone-icloud-backup")
GENERATED_AT = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
SINCE = datetime(2026, 10, 1, 9, 30, tzinfo=UTC)  # "What changed since 2026-10-01 09:30 UTC"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/render/golden/* from the current renderers instead of comparing",
    )


@pytest.fixture(scope="session")
def pack() -> Pack:
    return load_pack(default_pack_dir())


def persona_report(pack: Pack, name: str, **extra: object) -> Report:
    """The report for examples/<name>.yaml, stamped with GENERATED_AT."""
    answers = read_answers(pack, ROOT / "examples" / f"{name}.yaml")
    return make_report(evaluate(pack, answers), generated_at=GENERATED_AT, **extra)  # type: ignore[arg-type]


def changes_since(
    score_before: int,
    score_after: int,
    *,
    new: tuple[str, ...] = (),
    resolved: tuple[str, ...] = (),
    answers: dict[str, AnswerChange] | None = None,
    new_questions: tuple[str, ...] = (),
) -> Changes:
    """What changed since a run at SINCE, for the reports' change sections."""
    return Changes(
        since=SINCE,
        score_before=score_before,
        score_after=score_after,
        new_findings=new,
        resolved_findings=resolved,
        changed_answers=answers or {},
        new_questions=new_questions,
    )


@pytest.fixture(scope="session")
def reports(pack: Pack) -> dict[str, Report]:
    return {name: persona_report(pack, name) for name in (*PERSONAS, *ADVICE_PERSONAS)}


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare `text` with golden/<name>, or rewrite it with --update-golden."""
    # getoption with a default: the option exists only when this folder's conftest is loaded
    # early (pytest tests/render), not when the whole suite runs from the root.
    update = bool(request.config.getoption("update_golden", default=False))

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update:
            path.write_text(text, encoding="utf-8")
            return
        if not path.exists():
            pytest.fail(f"{path} is missing: run 'make golden' and review it")
        expected = path.read_text(encoding="utf-8")
        if text != expected:
            diff = "".join(
                difflib.unified_diff(
                    expected.splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    f"golden/{name}",
                    "rendered",
                    n=2,
                )
            )
            pytest.fail(f"{name} differs from the golden file (review, then 'make golden'):\n{diff}")

    return check


@pytest.fixture
def hostile_pack_dir(tmp_path: Path) -> Path:
    """The mini pack with pack text that tries to run script, break Markdown and style a terminal."""
    target = tmp_path / "hostile"
    shutil.copytree(MINI_PACK, target)
    evil = "<script>alert(1)</script>"
    for name, old, new in (
        ("pack.yaml", "title: A tiny pack for tests", f"title: 'Pack {evil} [bold]x[/] *y*'"),
        (
            "findings.yaml",
            "title: Your status reaches Meta",
            f"title: 'Status {evil} | [link](https://evil.example) `c`'",
        ),
        (
            "findings.yaml",
            "detail: Because you linked and share.",
            'detail: "# Heading\\n- item <img src=https://evil.example/x.png>"',
        ),
        (
            "vocabulary.yaml",
            "{id: meta_companies, label: Meta companies, reach: 5}",
            f"{{id: meta_companies, label: 'Meta {evil}', reach: 5}}",
        ),
        ("protections.yaml", "title: Messages are end-to-end encrypted", f"title: 'Encrypted {evil}'"),
        ("sources.yaml", "title: A news story", "title: 'News \"><script>alert(2)</script>'"),
    ):
        path = target / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{name}: {old!r} not found; the mini pack changed"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def two_runs(pack: Pack) -> tuple[Run, Run]:
    """Two recorded runs of the linked-everything person: the second stopped sharing Status to Facebook."""
    t0 = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)
    linked = dict(persona_report(pack, "linked-everything").answers)
    fewer = {**linked, "status_to_facebook": "never"}
    runs = []
    for i, values in enumerate((linked, fewer)):
        answers = Answers(pack="whatsapp", values=values)
        at = t0 + timedelta(days=i)
        assessment = evaluate(pack, answers)
        runs.append(make_run(at=at, pack=pack, answers=answers, assessment=assessment, run_id=i + 1))
    return runs[0], runs[1]

"""The report use cases: the pack and answers in use, the report built, rendered and filed; rules check."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from audit.app.settings import Settings
from audit.collect.answers_file import parse_assignments, read_answers
from audit.errors import AnswersError, HistoryError, PackError
from audit.evaluate.engine import evaluate
from audit.lang import _
from audit.load.resources import default_pack_dir
from audit.model.answers import Answers
from audit.model.assessment import Report, changed_since_checked, make_report
from audit.model.drift import DriftReport
from audit.model.pack import Pack, Problem
from audit.model.severity import SEVERITIES
from audit.paths import Home
from audit.render.base import Format, RenderOptions, renderer_for

STALE_AFTER_DAYS = 180


def pack_dir(settings: Settings) -> Path:
    """The folder of the pack in use: --rules DIR, or the bundled one."""
    return settings.rules if settings.rules is not None else default_pack_dir()


def pack_for(settings: Settings) -> Pack:
    """The rule pack in use: --rules DIR, or the bundled one (from the pack cache when unchanged)."""
    from audit import lang
    from audit.load import cache as pack_cache

    return pack_cache.load(pack_dir(settings), lang=lang.current())


def gather_answers(pack: Pack, settings: Settings, answers_file: Path | None, sets: list[str]) -> Answers:
    """Answers for a non-interactive run: --set over the answers file over the saved answers.

    Each layer only adds or replaces the answers it names: a file with one answer changes that one.
    """
    overrides = parse_assignments(pack, sets)
    saved = settings.home.answers.exists()
    if answers_file is None and not saved and not overrides:
        raise AnswersError(
            _(
                "no answers yet: run 'wa-audit' for the interview, "
                "or pass --answers FILE (see 'wa-audit example')"
            )
        )
    answers = layered(pack, settings.home, answers_file).with_values(overrides)
    check_applies(pack, answers, overrides, then=_("no report made"))
    return answers


def check_applies(pack: Pack, answers: Answers, changes: Mapping[str, str], *, then: str) -> None:
    """Refuse a --set answer to a question the other answers rule out (iCloud backup on Android).

    `then` says what was not done ("nothing recorded"); every command that takes --set refuses
    the same way, in one line.
    """
    if not changes:
        return
    from audit.evaluate.scoring import effective_answers
    from audit.model.conditions import NOT_ASKED, describe, questions_in

    effective = effective_answers(pack, answers.values)
    for question in changes:
        if effective[question] != NOT_ASKED:
            continue
        when = pack.question_by_id[question].when
        # A question's `when` tests earlier questions only (rules check holds that line).
        deciders = questions_in(when, lambda rule: None)
        yours = ", ".join(
            _("yours is {value}").format(value=answers.get(d))
            if len(deciders) == 1
            else _("{question} is {value}").format(question=d, value=answers.get(d))
            for d in deciders
        )
        raise AnswersError(
            _(
                "{question}: does not apply to your answers (it is asked only when {condition}; "
                "{yours}); {then}"
            ).format(question=question, condition=describe(when), yours=yours, then=then)
        )


def layered(pack: Pack, home: Home, answers_file: Path | None) -> Answers:
    """The saved answers (if any) with the answers file (if any) over them."""
    if answers_file is None:
        return read_answers(pack, home.answers) if home.answers.exists() else Answers(pack=pack.meta.id)
    given = read_answers(pack, answers_file)
    base = _saved_beneath(pack, home.answers)
    return given.model_copy(update={"values": {**base.values, **given.values}})


def _saved_beneath(pack: Pack, path: Path) -> Answers:
    """The saved answers to layer a file over; none when they were made for another pack."""
    empty = Answers(pack=pack.meta.id)
    if not path.exists():
        return empty
    try:
        return read_answers(pack, path)
    except AnswersError:
        from audit.load.yamlio import load_yaml

        doc = load_yaml(path, what=_("an answers file"))
        if isinstance(doc.data, dict) and doc.data.get("pack") != pack.meta.id:
            return empty  # the saved answers of another pack (--rules) say nothing here
        raise


def is_stale(pack: Pack, now: datetime) -> bool:
    """True when the model was last reviewed more than STALE_AFTER_DAYS before `now`."""
    return (now.date() - pack.meta.reviewed).days > STALE_AFTER_DAYS


def build_report(pack: Pack, answers: Answers, settings: Settings) -> Report:
    """Evaluate and wrap for rendering, stamped with the settings' clock.

    With the history's score trend and what changed since the previous run (`runs.compared` says
    which run that is): `report` shows the same history as the interview's report.
    """
    from audit.app import runs
    from audit.history.runs import make_run

    now = settings.clock()
    assessment = evaluate(pack, answers)
    current = make_run(at=now, pack=pack, answers=answers, assessment=assessment)
    try:
        past = runs.runs_of(settings, pack)
    except HistoryError as e:
        # The history is the report's context, not its content: one line, and the report without it.
        settings.warn(_("{problem}; this report shows no trend or changes").format(problem=e.message))

        past = []
    changes, trend = runs.compared(past, current)
    return make_report(
        assessment,
        generated_at=now,
        changes=changes,
        stale_model=is_stale(pack, now),
        trend=trend,
        policy_changes=changed_since_checked(pack, assessment.findings),
    )


def render(report: Report, pack: Pack, fmt: Format, settings: Settings, full_report: str = "") -> str:
    """The report as text in `fmt`; `full_report` says where the full report was filed, if it was."""
    options = RenderOptions(width=settings.width, color=settings.color, full_report=full_report)
    return renderer_for(fmt).render(report, pack, options)


def summary(report: Report, pack: Pack, settings: Settings, full_report: str = "") -> str:
    """The terminal summary alone: what stays on screen after an interview."""
    from audit.render.summary import summary as summary_text

    options = RenderOptions(width=settings.width, color=settings.color, full_report=full_report)
    return summary_text(report, pack, options)


def file_report(settings: Settings, fmt: Format, text: str) -> Path:
    """Write `text` as a new file in the reports folder (0700), named by the time; returns it.

    Created under a name of its own (paths.report_names, fsutil.create_new): a report filed in
    the same second as another never replaces it.
    """
    from audit.files import create_new, ensure_private_dir
    from audit.paths import report_names
    from audit.render.base import FILE_SUFFIX

    folder = ensure_private_dir(settings.home.reports)
    return create_new(folder, report_names(settings.clock(), FILE_SUFFIX[fmt]), text)


def fails(report: Report, fail_on: str | None) -> bool:
    """True when a finding is at or above the --fail-on severity."""
    if fail_on is None:
        return False
    threshold = SEVERITIES.index(fail_on)
    return any(SEVERITIES.index(f.severity) >= threshold for f in report.findings)


def check_rules(directory: Path | None) -> tuple[Path, list[Problem]]:
    """Every problem of the pack in `directory` (the bundled one by default)."""
    from audit.load.read import pack_problems  # a report reads the cached pack: no loader

    target = directory if directory is not None else default_pack_dir()
    try:
        return target, pack_problems(target)
    except PackError as e:
        where, _sep, message = e.message.partition(": ")
        return target, [Problem(where, message)]


def extract_texts(directory: Path | None) -> Path:
    """`rules extract`: the pack's translation template, written to its `i18n/pack.pot`."""
    from audit.files import atomic_write
    from audit.load.read import load_pack
    from audit.load.translations import I18N_DIR, TEMPLATE, template

    target = directory if directory is not None else default_pack_dir()
    pack = load_pack(target)
    path = target / I18N_DIR / TEMPLATE
    path.parent.mkdir(exist_ok=True)
    atomic_write(path, template(pack), mode=0o644)  # a file of the pack, not of a person
    return path


def drift_of(settings: Settings, captures: Path | None, *, min_versions: int = 1) -> DriftReport:
    """`rules drift`: the pack's quotes against the newest of its own captures, or of `captures`."""
    from audit.load.captures import CAPTURES_DIR, captures_given, captures_in
    from audit.load.drift import drift

    found = captures_in(pack_dir(settings) / CAPTURES_DIR) if captures is None else captures_given(captures)
    return drift(pack_for(settings), found, given=captures, min_versions=min_versions)

"""Speed against the floor: `make bench` measures what a person waits for, as ratios to its libraries.

Run: .venv/bin/python benches/run.py [--runs N] [--markdown]

Each command-line measure runs the installed `wa-audit` console script (what a person types) and a
baseline measured in the same run, interleaved round by round, so a busy machine slows both alike;
the ratio of the two medians is compared with the goals of issue 29:

- `wa-audit --version` <= 2.5x `python -c pass` (the interpreter alone);
- each report <= 1.5x its floor: importing PyYAML and wa-audit's models (every module of
  `audit.model`: defining its pydantic models is the cost of the one type system) for
  `--format json`, plus jinja2 for `--format html`, plus the rich modules the terminal report uses
  for the terminal;
- the interview's first question on screen (a real pty, pexpect) <= 1.3x importing questionary and
  `audit.model`, in the same pty.

The JSON and HTML reports in Hindi are held to the same goals (catalogs load only for the language
chosen). A JSON report with an empty pack cache (the first run after installing) is measured alongside, and
`wa-audit rules drift` on the pack's own captures, the whole pack (< 1 s, issue 26).
Then, in process (reusing benches/bench_engine.py's timer): pack load, one evaluation, evaluation
plus all what-ifs, HTML render. The table goes to stdout, the numbers to benches/results/latest.json
(git-ignored). Exits 1 when a goal is missed. Not a test: timings depend on the machine.

Every run happens with HOME pointing at a temporary folder (and no XDG_* or WA_AUDIT_* variables),
so the person's own data and cache folders are never read or written, while the commands still find
their folders exactly as they do for a person (platformdirs).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benches"))

import pexpect  # noqa: E402 - a test dependency, as is everything `make bench` installs
from bench_engine import timed  # noqa: E402 - after the path is set

from audit.files import atomic_write  # noqa: E402

PYTHON = sys.executable
# The console script next to the interpreter: what `pip install` gives a person.
WA_AUDIT = str(Path(sys.executable).parent / "wa-audit")
EXAMPLE = ROOT / "examples" / "linked-everything.yaml"
RESULTS = ROOT / "benches" / "results" / "latest.json"
FIRST_QUESTION = "How much do you want to check?"  # the interview's first screen (interview.py)
MIN_RUNS = 10
REPORT_GOAL = 1.5
INTERVIEW_GOAL = 1.3
DRIFT_GOAL_MS = 1000.0  # issue 26: every quote of the pack against the newest of its captures
# wa-audit's models: every module of audit.model (the pydantic models, conditions, severity order).
MODELS = "import " + ", ".join(
    f"audit.model.{p.stem}" for p in sorted((ROOT / "audit" / "model").glob("*.py")) if p.stem != "__init__"
)
# The libraries each path needs (the terminal report: the rich modules audit/render/terminal.py uses).
FLOORS = {
    "json": ("floor: yaml + audit.model", f"import yaml\n{MODELS}"),
    "html": ("floor: yaml + jinja2 + audit.model", f"import yaml, jinja2\n{MODELS}"),
    "terminal": (
        "floor: yaml + rich + audit.model",
        f"import yaml, rich.console, rich.panel, rich.rule, rich.table, rich.text, rich.tree\n{MODELS}",
    ),
    "interview": ("floor: questionary + audit.model (pty)", f"import questionary\n{MODELS}"),
}


@dataclass
class Row:
    """One line of the table: a median and, for ratio goals, its baseline."""

    measure: str
    median_ms: float
    baseline: str = ""
    baseline_ms: float | None = None
    goal: float | None = None  # ratio to the baseline, or milliseconds when there is no baseline
    samples_ms: list[float] = field(default_factory=list, repr=False)
    cpu_ms: float | None = None
    baseline_cpu_ms: float | None = None

    @property
    def ratio(self) -> float | None:
        return None if self.baseline_ms is None else self.median_ms / self.baseline_ms

    @property
    def cpu_ratio(self) -> float | None:
        if self.cpu_ms is None or not self.baseline_cpu_ms:
            return None
        return self.cpu_ms / self.baseline_cpu_ms

    @property
    def met(self) -> bool | None:
        """Judged on CPU time where it is measured (the wall-clock ratio is printed alongside).

        On a shared machine, time spent waiting for a core is not the program's doing.
        """
        if self.goal is None:
            return None
        if self.baseline_ms is None:  # a goal in milliseconds
            return (self.cpu_ms if self.cpu_ms is not None else self.median_ms) <= self.goal
        value = self.cpu_ratio if self.cpu_ratio is not None else self.ratio
        return (value if value is not None else self.median_ms) <= self.goal

    def goal_text(self) -> str:
        if self.goal is None:
            return "-"
        return f"<= {self.goal:g}x" if self.baseline_ms is not None else f"< {self.goal:g} ms"


# --- running commands --------------------------------------------------------------------------
def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment for every measured command: a throw-away HOME, nothing of the person's."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("XDG_", "WA_AUDIT_", "PYTHON")) and k not in {"NO_COLOR", "COLUMNS"}
    }
    env.update(HOME=str(home), LANG="C.UTF-8", LC_ALL="C.UTF-8", TERM="xterm-256color", **extra)
    return env


def run_once(argv: Sequence[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU milliseconds of one command, from fork to exit; fails loudly on a non-zero exit."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    _, status, usage = os.wait4(child.pid, 0)
    wall = (time.perf_counter() - start) * 1000
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:  # once more, to show why
        again = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
        raise SystemExit(f"bench: {' '.join(argv)} exited {child.returncode}:\n{again.stderr}")
    return wall, (usage.ru_utime + usage.ru_stime) * 1000


def first_prompt_once(argv: Sequence[str], env: dict[str, str], expect: str | None) -> tuple[float, float]:
    """Milliseconds until `expect` appears in a real pty (or, with None, until the program ends)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    child = pexpect.spawn(
        argv[0], list(argv[1:]), cwd=str(ROOT), env=env, dimensions=(24, 80), encoding="utf-8", timeout=60
    )
    try:
        child.expect(pexpect.EOF if expect is None else expect)
        wall = (time.perf_counter() - start) * 1000
    except pexpect.ExceptionPExpect as e:
        raise SystemExit(f"bench: {' '.join(argv)} never showed {expect!r}:\n{child.before}") from e
    finally:
        child.close(force=True)  # Ctrl-C would save a draft; nothing here needs one
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the child is reaped: its CPU time counts
    return wall, (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000


@dataclass
class Command:
    name: str
    once: Callable[[int], tuple[float, float]]  # run number -> (wall ms, cpu ms)
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)

    def median(self) -> float:
        return statistics.median(self.walls)

    def cpu(self) -> float | None:
        return statistics.median(self.cpus) if self.cpus else None


def measure_commands(runs: int, scratch: Path) -> list[Row]:
    home = scratch / "home"
    home.mkdir()
    env = clean_env(home)
    html_out = scratch / "report.html"
    report = [WA_AUDIT, "report", "--answers", str(EXAMPLE)]
    drift = [WA_AUDIT, "rules", "drift"]

    def interview(n: int) -> tuple[float, float]:
        # Each interview starts as a person's first one, in an empty wa-audit home. pexpect answers
        # no cursor position request: without NO_CPR prompt_toolkit would wait for one.
        extra = {"WA_AUDIT_HOME": str(scratch / f"interview-{n}"), "PROMPT_TOOLKIT_NO_CPR": "1"}
        return first_prompt_once([WA_AUDIT], clean_env(home, **extra), FIRST_QUESTION)

    def cold(n: int) -> tuple[float, float]:
        # A first run after installing or upgrading: nothing in the pack cache yet.
        return run_once([*report, "--format", "json"], clean_env(home, WA_AUDIT_CACHE=str(scratch / f"c{n}")))

    def floor(kind: str) -> Command:
        name, code = FLOORS[kind]
        if kind == "interview":
            return Command(name, lambda n: first_prompt_once([PYTHON, "-c", code], env, None))
        return Command(name, lambda n: run_once([PYTHON, "-c", code], env))

    commands = {
        "pass": Command("python -c pass", lambda n: run_once([PYTHON, "-c", "pass"], env)),
        "version": Command("wa-audit --version", lambda n: run_once([WA_AUDIT, "--version"], env)),
        "json": Command(
            "wa-audit report --format json", lambda n: run_once([*report, "--format", "json"], env)
        ),
        "html": Command(
            "wa-audit report --format html -o FILE",
            lambda n: run_once([*report, "--format", "html", "-o", str(html_out)], env),
        ),
        "terminal": Command("wa-audit report (terminal, piped)", lambda n: run_once(report, env)),
        # Another language: its catalogs (code and pack) and Babel's dates, loaded only for it.
        "json-hi": Command(
            "wa-audit --lang hi report --format json",
            lambda n: run_once([WA_AUDIT, "--lang", "hi", *report[1:], "--format", "json"], env),
        ),
        "html-hi": Command(
            "wa-audit --lang hi report --format html -o FILE",
            lambda n: run_once(
                [WA_AUDIT, "--lang", "hi", *report[1:], "--format", "html", "-o", str(html_out)], env
            ),
        ),
        "interview": Command("interview: first question on screen (pty)", interview),
        "json-cold": Command("report --format json, empty pack cache", cold),
        "drift": Command("wa-audit rules drift (the pack's captures)", lambda n: run_once(drift, env)),
        **{f"floor-{kind}": floor(kind) for kind in FLOORS},
    }
    for command in commands.values():  # warm-up: page cache, bytecode, the pack cache
        command.once(-1)
    order = list(commands.values())
    for n in range(runs):
        # Interleaved, and rotated so no command always follows the same neighbour.
        shift = n % len(order)
        for command in order[shift:] + order[:shift]:
            wall, cpu = command.once(n)
            command.walls.append(wall)
            command.cpus.append(cpu)

    def row(key: str, base: str | None = None, goal: float | None = None) -> Row:
        c = commands[key]
        b = commands[base] if base else None
        return Row(
            measure=c.name,
            median_ms=c.median(),
            baseline=b.name if b else "",
            baseline_ms=b.median() if b else None,
            goal=goal,
            samples_ms=c.walls,
            cpu_ms=c.cpu(),
            baseline_cpu_ms=b.cpu() if b else None,
        )

    return [
        row("version", "pass", 2.5),
        row("json", "floor-json", REPORT_GOAL),
        row("html", "floor-html", REPORT_GOAL),
        row("terminal", "floor-terminal", REPORT_GOAL),
        row("json-hi", "floor-json", REPORT_GOAL),
        row("html-hi", "floor-html", REPORT_GOAL),
        row("interview", "floor-interview", INTERVIEW_GOAL),
        row("json-cold", "floor-json"),
        row("drift", goal=DRIFT_GOAL_MS),
        row("pass"),
        *(row(f"floor-{kind}") for kind in FLOORS),
    ]


# --- in process ------------------------------------------------------------------------------
EVALUATION_BUDGET_MS = 10.0  # issue 5: one evaluation plus all what-ifs


def measure_in_process(runs: int, scratch: Path) -> list[Row]:
    from audit.app.reports import build_report
    from audit.app.settings import Settings
    from audit.collect.answers_file import read_answers
    from audit.evaluate import engine, scoring
    from audit.load import cache as pack_cache
    from audit.load.read import load_pack
    from audit.load.resources import default_pack_dir
    from audit.paths import Home
    from audit.render.base import Format, RenderOptions, renderer_for

    folder = default_pack_dir()
    cache = scratch / "inproc-cache"
    pack = load_pack(folder)
    answers = read_answers(pack, EXAMPLE)
    report = build_report(pack, answers, Settings(home=Home(scratch / "home")))
    html = renderer_for(Format.HTML)
    many = max(runs, 10) * 10

    def cached_load() -> object:
        return pack_cache.load(folder, folder=cache)

    rows = [
        ("pack load (warm; YAML, validate, cross-check)", timed(lambda: load_pack(folder), runs), None),
        ("pack load (warm; from the pack cache)", timed(cached_load, many), None),
        ("one evaluation (flows, score)", timed(lambda: scoring.exposure(pack, answers.values), many), None),
        (
            "evaluation + all what-ifs",
            timed(lambda: engine.evaluate(pack, answers), many),
            EVALUATION_BUDGET_MS,
        ),
        ("HTML render", timed(lambda: html.render(report, pack, RenderOptions()), runs * 3), None),
    ]
    return [Row(measure=name, median_ms=median, goal=goal) for name, (median, _p95), goal in rows]


# --- output ----------------------------------------------------------------------------------
def _fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def table(rows: Sequence[Row], *, markdown: bool) -> str:
    head = ("measure", "median ms", "baseline ms", "ratio", "cpu ms", "cpu ratio", "goal", "met?")
    body = [
        (
            r.measure,
            _fmt(r.median_ms, 1 if r.median_ms >= 10 else 2),
            _fmt(r.baseline_ms),
            "-" if r.ratio is None else f"{r.ratio:.2f}x",
            _fmt(r.cpu_ms),
            "-" if r.cpu_ratio is None else f"{r.cpu_ratio:.2f}x",
            r.goal_text(),
            "-" if r.met is None else ("yes" if r.met else "NO"),
        )
        for r in rows
    ]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---", *["---:"] * (len(head) - 1)]) + "|"]
        lines += ["| " + " | ".join(cells) + " |" for cells in body]
        return "\n".join(lines)
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body, strict=True)]
    fmt = "  ".join(f"{{:<{widths[0]}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    return "\n".join(fmt.format(*cells) for cells in (head, *body))


def machine() -> dict[str, object]:
    return {
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "system": f"{platform.system()} {platform.machine()}",
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=15, help=f"runs per measure (at least {MIN_RUNS})")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown (for the docs)")
    args = parser.parse_args(argv)
    if args.runs < MIN_RUNS:
        parser.error(f"--runs must be at least {MIN_RUNS}: a median of fewer says little")
    if not Path(WA_AUDIT).exists():
        raise SystemExit(f"bench: {WA_AUDIT} is missing; run 'make bench' (it installs wa-audit)")
    started = datetime.now(UTC).replace(microsecond=0)
    with tempfile.TemporaryDirectory(prefix="wa-audit-bench-") as tmp:
        scratch = Path(tmp)
        rows = measure_commands(args.runs, scratch)
        rows += measure_in_process(args.runs, scratch)
    about = machine()
    print(
        f"wa-audit bench, {started:%Y-%m-%d}, {about['nproc']} CPUs, Python {about['python']}, "
        f"medians of {args.runs} runs (in process: more), load average {about['load_average']}"
    )
    print(table(rows, markdown=args.markdown))
    result = {
        "date": started.isoformat(),
        "machine": about,
        "runs": args.runs,
        "rows": [
            {**{k: v for k, v in asdict(r).items() if k != "samples_ms"}, "ratio": r.ratio, "met": r.met}
            | {"cpu_ratio": r.cpu_ratio}
            | {"samples_ms": [round(s, 2) for s in r.samples_ms]}
            for r in rows
        ],
    }
    RESULTS.parent.mkdir(exist_ok=True)
    atomic_write(RESULTS, json.dumps(result, indent=2) + "\n")
    missed = [r.measure for r in rows if r.met is False]
    if missed:
        print(f"\ngoal missed: {'; '.join(missed)}", file=sys.stderr)
        return 1
    print("\nevery goal met")
    return 0


if __name__ == "__main__":
    sys.exit(main())

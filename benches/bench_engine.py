"""In-process timings of the engine: pack load (warm), one evaluation, evaluation plus all what-ifs.

Run: .venv/bin/python benches/bench_engine.py [--runs N]
Medians (and 95th percentiles) of many runs with time.perf_counter, for each bundled example
answers file. Issue 5 asks for one evaluation plus all what-ifs in well under 10 ms; the script
exits 1 if the median is not under that budget. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from audit.collect.answers_file import read_answers  # noqa: E402
from audit.evaluate import best_case, compiled, engine, scoring  # noqa: E402
from audit.load.read import load_pack  # noqa: E402
from audit.load.resources import default_pack_dir  # noqa: E402

BUDGET_MS = 10.0
BEST_CASE_BUDGET_MS = 50.0


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median and 95th percentile of `runs` calls, in milliseconds (after one warm-up call)."""
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500)
    args = parser.parse_args()
    folder = default_pack_dir()
    pack = load_pack(folder)
    few = max(20, args.runs // 10)
    rows = [
        ("pack load (warm; read, validate, check)", *timed(lambda: load_pack(folder), few)),
        ("pack compile (first evaluation only)", *timed(lambda: compiled.compile_pack(pack), few)),
    ]
    worst = 0.0
    for example in sorted((ROOT / "examples").glob("*.yaml")):
        answers = read_answers(pack, example)
        evaluation = timed(lambda a=answers: scoring.exposure(pack, a.values), args.runs)  # type: ignore[misc]
        full = timed(lambda a=answers: engine.evaluate(pack, a), args.runs)  # type: ignore[misc]
        recs = len(engine.evaluate(pack, answers).recommendations)
        rows.append((f"{example.name}: one evaluation (flows, score)", *evaluation))
        rows.append((f"{example.name}: evaluation + all what-ifs ({recs} advice)", *full))
        worst = max(worst, full[0])
    # The exact best case (issue 24) for the answers that leave every question unknown.
    unknown = read_answers(pack, ROOT / "examples" / "all-unknown.yaml")
    ready = compiled.compiled_pack(pack)
    state = scoring.state_of(ready, unknown.values)
    open_ = [q for q, a in state.answers.items() if a == "unknown"]
    best = timed(lambda: best_case.best_case(ready, state, open_), args.runs)
    rows.append((f"all-unknown.yaml: best case alone ({len(open_)} unknown)", *best))
    width = max(len(r[0]) for r in rows)
    print(f"{'what':<{width}}  {'median ms':>9}  {'p95 ms':>7}")
    for name, median, p95 in rows:
        print(f"{name:<{width}}  {median:>9.3f}  {p95:>7.3f}")
    verdict = "ok" if worst < BUDGET_MS else "OVER BUDGET"
    print(f"\nslowest evaluation + what-ifs: {worst:.3f} ms (budget {BUDGET_MS:.0f} ms): {verdict}")
    fine = best[0] < BEST_CASE_BUDGET_MS
    budget = f"(budget {BEST_CASE_BUDGET_MS:.0f} ms): {'ok' if fine else 'OVER BUDGET'}"
    print(f"best case, all unknown: {best[0]:.3f} ms {budget}")
    return 0 if worst < BUDGET_MS and fine else 1


if __name__ == "__main__":
    sys.exit(main())

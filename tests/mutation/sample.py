"""Print a random sample of mutmut's mutant names, in proportion to each module's mutants.

Used by `make mutate-sample` when running every mutant of a scope would take hours (the renderers
have over 4,000). The seed makes a sample repeatable; docs/DEVELOPMENT.md records the seed of each run.

    python tests/mutation/sample.py 'audit.render.*' --share 0.1 --seed 20261202

mutmut writes the mutants (mutants/**/*.meta) on its first run: `make mutate MUTANTS=...` once.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import math
import random
import sys
from pathlib import Path


def mutant_names(root: Path) -> dict[str, list[str]]:
    """Every mutant name mutmut generated, by source module (one .meta file per module)."""
    by_module: dict[str, list[str]] = {}
    for meta in sorted(root.glob("**/*.py.meta")):
        names = sorted(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
        if names:
            by_module[str(meta.relative_to(root))] = names
    return by_module


def sample(by_module: dict[str, list[str]], pattern: str, share: float, seed: int) -> list[str]:
    rng = random.Random(seed)  # noqa: S311 - a repeatable sample, not a secret
    picked: list[str] = []
    for module in sorted(by_module):
        names = [n for n in by_module[module] if fnmatch.fnmatchcase(n, pattern)]
        if names:
            picked += sorted(rng.sample(names, math.ceil(share * len(names))))
    return picked


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pattern", help="mutant names to sample from, a glob such as 'audit.render.*'")
    parser.add_argument("--share", type=float, default=0.1, help="fraction of each module's mutants")
    parser.add_argument("--seed", type=int, default=20261202)
    parser.add_argument("--mutants", type=Path, default=Path("mutants"), help="mutmut's folder")
    args = parser.parse_args()
    if not 0 < args.share <= 1:
        parser.error("--share must be above 0 and at most 1")
    by_module = mutant_names(args.mutants)
    if not by_module:
        print(
            f"{args.mutants}: no mutants yet; run 'make mutate MUTANTS=audit.render.json*' once to make them",
            file=sys.stderr,
        )
        return 2
    picked = sample(by_module, args.pattern, args.share, args.seed)
    if not picked:
        print(f"no mutant name matches {args.pattern!r}", file=sys.stderr)
        return 2
    print(" ".join(picked))
    return 0


if __name__ == "__main__":
    sys.exit(main())

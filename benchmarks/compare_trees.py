"""Compare the speed of two source trees of luanchuyen on the same work, in one run.

``python benchmarks/compare_trees.py OLD_TREE NEW_TREE [--n 4000] [--rounds 3]`` runs the same
workload in fresh interpreters, alternating the trees round by round (so that a noisy 2-core
machine weighs on both alike), and prints the best time of each path per tree and their ratio.

Each tree is imported from its own ``src/`` (``PYTHONPATH`` first) with its own ``rules/qd65``
pack only, so that both evaluate the same rules whatever packs a tree adds by default; the
population is :mod:`synth` of the *newer* tree (deterministic; both trees read its mappings).

Paths timed (all from the same validated models, as ``make bench`` does):

* ``reference``: ``evaluate(..., backend="reference")`` on every row;
* ``durable``: ``evaluate(..., backend="durable")`` on the first ``n // 4`` rows;
* ``batch lean``: ``evaluate_many(..., backend="vector", reasons=False)``;
* ``batch reasons``: ``evaluate_many(..., backend="vector")`` (the main reason written).

``--instructions`` counts instructions instead of seconds (``valgrind --tool=callgrind``; the
same count for the same inputs whatever else the machine does): each path runs in its own
child, and the count of a child that only sets up (imports, rules, models, warm-up) is taken
off. Slow (about 50× a plain run): use a few hundred rows.

This is how the redesign's "within 10 %" was measured (docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

_CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[2])
from synth import AS_OF, population
import luanchuyen as lc
from luanchuyen.batch import evaluate_many
from luanchuyen.models import Cadre, Move
from luanchuyen.ruleset.compile import RuleSet
n = int(sys.argv[3])
only = sys.argv[4] if len(sys.argv) > 4 else "all"
rules = RuleSet.from_paths([sys.argv[1] + "/rules/qd65"])
pairs = [(Cadre.model_validate(c), Move.model_validate(m)) for c, m in population(n, seed=7)]
lc.evaluate(pairs[0][0], pairs[0][1], as_of=AS_OF, rules=rules, backend="durable")
evaluate_many(pairs[:50], as_of=AS_OF, rules=rules, backend="vector")
paths = {
    "reference": lambda: [lc.evaluate(c, m, as_of=AS_OF, rules=rules, backend="reference")
                          for c, m in pairs],
    "durable": lambda: [lc.evaluate(c, m, as_of=AS_OF, rules=rules, backend="durable")
                        for c, m in pairs[: n // 4]],
    "batch lean": lambda: evaluate_many(pairs, as_of=AS_OF, rules=rules, backend="vector",
                                        reasons=False),
    "batch reasons": lambda: evaluate_many(pairs, as_of=AS_OF, rules=rules, backend="vector"),
}
out = {}
for name, run in paths.items():
    if only in ("all", name):
        t = time.perf_counter()
        run()
        out[name] = time.perf_counter() - t
print(json.dumps(out))
"""

PATHS = ("reference", "durable", "batch lean", "batch reasons")


def _instructions(tree: Path, synth_dir: Path, n: int, path: str) -> int:
    """Instructions of one child under callgrind (``path`` "none": the set-up alone)."""
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
         sys.executable, "-c", _CHILD, str(tree), str(synth_dir), str(n), path],
        env=env, capture_output=True, text=True, timeout=3600, check=True,
    )  # fmt: skip
    line = next(x for x in done.stderr.splitlines() if "Collected :" in x)
    return int(line.rsplit(":", 1)[1].strip())


def _run(tree: Path, synth_dir: Path, n: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(tree), str(synth_dir), str(n)],
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--n", type=int, default=4_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--instructions", action="store_true", help="callgrind counts")
    args = parser.parse_args()
    synth_dir = args.new / "benchmarks"
    if args.instructions:
        counts = {
            name: {p: _instructions(tree, synth_dir, args.n, p) for p in ("none", *PATHS)}
            for name, tree in (("old", args.old), ("new", args.new))
        }
        print(f"{args.n} rows; instructions (callgrind), set-up taken off")
        print(f"{'path':<16}{'old (M)':>12}{'new (M)':>12}{'new/old':>10}")
        for p in PATHS:
            old = counts["old"][p] - counts["old"]["none"]
            new = counts["new"][p] - counts["new"]["none"]
            print(f"{p:<16}{old / 1e6:>12.1f}{new / 1e6:>12.1f}{new / old:>10.2f}")
        return
    best: dict[str, dict[str, float]] = {"old": {}, "new": {}}
    for _ in range(args.rounds):
        for name, tree in (("old", args.old), ("new", args.new)):
            for path, seconds in _run(tree, synth_dir, args.n).items():
                best[name][path] = min(best[name].get(path, seconds), seconds)
    print(f"{args.n} rows; best of {args.rounds} rounds, trees alternated")
    print(f"{'path':<16}{'old (s)':>10}{'new (s)':>10}{'new/old':>10}")
    for path, old in best["old"].items():
        new = best["new"][path]
        print(f"{path:<16}{old:>10.3f}{new:>10.3f}{new / old:>10.2f}")


if __name__ == "__main__":
    main()

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
rules = RuleSet.from_paths([sys.argv[1] + "/rules/qd65"])
pairs = [(Cadre.model_validate(c), Move.model_validate(m)) for c, m in population(n, seed=7)]
lc.evaluate(pairs[0][0], pairs[0][1], as_of=AS_OF, rules=rules, backend="durable")
evaluate_many(pairs[:50], as_of=AS_OF, rules=rules, backend="vector")
out = {}
t = time.perf_counter()
for c, m in pairs:
    lc.evaluate(c, m, as_of=AS_OF, rules=rules, backend="reference")
out["reference"] = time.perf_counter() - t
t = time.perf_counter()
for c, m in pairs[: n // 4]:
    lc.evaluate(c, m, as_of=AS_OF, rules=rules, backend="durable")
out["durable"] = time.perf_counter() - t
t = time.perf_counter()
evaluate_many(pairs, as_of=AS_OF, rules=rules, backend="vector", reasons=False)
out["batch lean"] = time.perf_counter() - t
t = time.perf_counter()
evaluate_many(pairs, as_of=AS_OF, rules=rules, backend="vector")
out["batch reasons"] = time.perf_counter() - t
print(json.dumps(out))
"""


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
    args = parser.parse_args()
    synth_dir = args.new / "benchmarks"
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

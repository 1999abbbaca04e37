"""``make bench``: throughput, memory, import time and the HTTP service's load, in one run.

The same deterministic synthetic population (:mod:`synth`: 20,000 cadres × moves, as of
01/06/2024, the national pack) goes through:

(a)  the plain-Python baseline, from the validated models: the facts computed in plain
     Python row by row (``derive_facts``: ages, retirement, months since…, and the values
     the messages quote), then :mod:`baseline`'s hand-written ``if``/``else`` building the
     verdict and every reason string — the reference point, ratio 1.00;
(a·decide) the baseline's second half alone, from the derived facts;
(b)  ``evaluate(..., backend="reference")``;
(c)  ``evaluate(..., backend="durable")`` on a subset;
(d)  a bare durable-rules loop over the same compiled rules (SyncHost, ``assert_fact`` +
     ``delete_state``, precomputed facts and ruleset, nothing of luanchuyen in the loop);
(e)  the batch path ``evaluate_many(..., backend="vector", reasons=False)``, end to end
     from the same models: facts derived into columns, every rule on the columns, the
     result frame (verdicts, priorities, rule-id lists, key figures); every reason available
     on demand (a full Decision for any row, identical to the reference's);
(e·main) the same with ``reasons=True``: the main reason of every row written out;
(e·rules) the rule stage over the same derived facts as (a·decide): the vector backend's
     per-rule states, verdicts and priorities for all rows, reasons on demand.

A section of its own (:mod:`candidates_bench`, ``--candidates-only`` alone,
``--no-candidates`` to skip) times :func:`luanchuyen.candidates` on 20,000 cadres × 500 posts
against ``cross`` + ``evaluate_many(reasons=False)`` on a 2,000 × 500 slice of the same data.

A separate section (:mod:`plan_bench`, ``--plan-only`` alone, ``--no-plan`` to skip) times
:func:`luanchuyen.analysis.proposal.propose_plan` on 2,000 cadres × 300 posts with the
Chi Lăng targets: the eligibility matrix and the solver apart, its status and gap.

Inputs are validated into models once, before timing (validation is reported apart), so
(a), (b), (c) and (e) time fact derivation, rule evaluation and assembly; (a·decide), (d)
and (e·rules) start from the derived facts. Agreement is checked: the baseline against the
library on all rows (verdicts and reasons), every other path's verdicts against (b).

Then: RSS growth over 1,000,000 evaluations of the fast path and 100,000 of the durable
backend, and the time of ``import luanchuyen`` in fresh interpreters. Last, in its own
section, the HTTP service (:mod:`server_load`): ``luanchuyen serve`` as a real process on
loopback, single evaluations at 1, 8 and 32 concurrent clients, with one worker process and
with two, bounded by a request count and a time per level (``--no-server`` skips it).
Targets are printed with PASS/FAIL. ``--quick`` runs everything small (a smoke test); ``--profile`` prints the
top functions of the slow paths.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import itertools
import os
import platform
import pstats
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import baseline  # noqa: E402
import synth  # noqa: E402

MIB = 1024 * 1024


@dataclass
class Figure:
    """One measured path."""

    label: str
    n: int
    seconds: float
    note: str = ""

    @property
    def per_second(self) -> float:
        return self.n / self.seconds if self.seconds > 0 else float("inf")


def _timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """Best wall time of ``repeat`` runs (GC collected before each) and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def _rss() -> int:
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil is a dev dependency
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return int(psutil.Process().memory_info().rss)


def _profile(label: str, fn: Callable[[], Any], top: int = 18) -> None:
    prof = cProfile.Profile()
    prof.runcall(fn)
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(top)
    print(f"\n--- profile: {label} (sorted by own time) ---")
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:6000])


# --------------------------------------------------------------------------- durable


class _BareDurable:
    """durable-rules used directly: one fact per evaluation, a pass and a fail pattern per
    condition (docs/durable-rules.md §2.1), SyncHost, ``assert_fact`` + ``delete_state``."""

    def __init__(self, compiled: Any) -> None:
        import durable.engine as engine

        from luanchuyen.engine.durable import to_durable
        from luanchuyen.ruleset.conditions import negate, nnf

        class SyncHost(engine.Host):  # type: ignore[misc]
            def _run(self) -> None:
                return None

        self.not_handled = engine.MessageNotHandledException
        self.host = SyncHost()
        self.fired: list[str] = []
        fired = self.fired
        definition: dict[str, Any] = {}

        def action(key: str) -> Callable[[Any], None]:
            def run(c: Any) -> None:
                fired.append(key)

            return run

        self.keys: dict[str, tuple[str, int, bool]] = {}
        for i, rule in enumerate(compiled.rules):
            for part, cond in enumerate((rule.applies, rule.test, rule.exception)):
                if cond is None:
                    continue
                for truth, variant in ((True, nnf(cond)), (False, negate(cond))):
                    expr = to_durable(variant)
                    if expr is None:
                        continue
                    guard = {"kind": "bench"}
                    pattern = {"$and": [guard, expr]} if expr else guard
                    key = f"r{i}p{part}{'t' if truth else 'f'}"
                    self.keys[key] = (rule.id, part, truth)
                    definition[key] = {"all": [{"m": pattern}], "run": action(key)}
        self.host.register_rulesets({"bare": definition})
        self.sids = itertools.count()

    def fire(self, facts: dict[str, Any]) -> list[str]:
        sid = f"s{next(self.sids)}"
        self.fired.clear()
        try:
            self.host.assert_fact("bare", {**facts, "kind": "bench", "sid": sid})
        except self.not_handled:
            pass
        finally:
            self.host.delete_state("bare", sid)
        return list(self.fired)

    def states(self, compiled: Any, fired: list[str]) -> dict[str, tuple[Any, Any, Any]]:
        seen = {}
        for key in fired:
            rid, part, truth = self.keys[key]
            seen[(rid, part)] = truth
        return {
            r.id: (
                seen.get((r.id, 0)),
                seen.get((r.id, 1)),
                seen.get((r.id, 2)) if r.exception is not None else None,
            )
            for r in compiled.rules
        }


# --------------------------------------------------------------------------- floor


def _touch_all(models: Sequence[tuple[Any, Any]]) -> int:
    """Read every input field the facts depend on, once per row, and compute nothing.

    The cheapest CPython way (``itemgetter`` over each model's ``__dict__``, nested records
    and lists walked): a lower bound for any path that starts from pydantic models, since
    each path must at least look at each value once.
    """
    from operator import attrgetter, itemgetter

    d = attrgetter("__dict__")
    cadre = itemgetter(*(f for f in _CADRE_FIELDS))
    move = itemgetter("kind", "target", "decision_date", "planned_start", "planned_end",
                      "special_case_requested", "policy_case", "re_election", "cross_unit",
                      "requires_civil_service_intake", "job_position_fit",
                      "sending_unit_assessed")  # fmt: skip
    leaf = {}
    touched = 0
    for c, m in models:
        values = cadre(d(c)) + move(d(m))
        for v in values:
            if v is None or isinstance(v, (bool, int, str, date)):
                continue
            if isinstance(v, dict):  # ratings
                touched += len(v)
                continue
            items = v if isinstance(v, list) else (v,)
            for item in items:
                fields = getattr(item, "__dict__", None)
                if fields is not None:
                    get = leaf.get(type(item))
                    if get is None:
                        get = leaf[type(item)] = itemgetter(*fields)
                    touched += len(get(fields))
        touched += len(values)
    return touched


_CADRE_FIELDS = (
    "id", "name", "gender", "date_of_birth", "retirement_age_override_months",
    "ethnic_minority", "party_member", "civil_servant", "current_post", "local_origin",
    "consecutive_terms_as_head", "committee_memberships", "planning", "disciplines",
    "under_disciplinary_review", "under_investigation", "ratings", "degree",
    "political_theory", "health", "family", "rotation_history",
)  # fmt: skip


# --------------------------------------------------------------------------- helpers


def _import_time(runs: int) -> tuple[float, list[float], dict[str, bool]]:
    code = (
        "import sys, time; t = time.perf_counter(); import luanchuyen; "
        "d = time.perf_counter() - t; "
        "print(d, *(m in sys.modules for m in ('numpy', 'pandas', 'durable', 'pydantic')))"
    )
    times: list[float] = []
    loaded: dict[str, bool] = {}
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.split()
        times.append(float(out[0]))
        loaded = dict(
            zip(
                ("numpy", "pandas", "durable", "pydantic"),
                (x == "True" for x in out[1:]),
                strict=True,
            )
        )
    return statistics.median(times), times, loaded


def _verdict_of(d: Any) -> str:
    return str(d.verdict.value)


def _print_table(figures: Sequence[Figure], base: Figure) -> None:
    width = max(len(f.label) for f in figures) + 2
    print(f"\n{'path':<{width}}{'rows':>8}{'seconds':>10}{'decisions/s':>14}{'× (a)':>9}  note")
    print("-" * (width + 41 + 30))
    for f in figures:
        ratio = f.per_second / base.per_second
        print(
            f"{f.label:<{width}}{f.n:>8,}{f.seconds:>10.3f}{f.per_second:>14,.0f}{ratio:>9.2f}  {f.note}"
        )


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=20_000, help="synthetic rows (default 20,000)")
    parser.add_argument("--durable-n", type=int, default=2_000, help="rows for (c) and (d)")
    parser.add_argument("--rss-evals", type=int, default=1_000_000)
    parser.add_argument("--durable-rss-evals", type=int, default=100_000)
    parser.add_argument("--import-runs", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--profile", action="store_true", help="print cProfile summaries")
    parser.add_argument(
        "--plan-only", action="store_true", help="run only the planner section (propose_plan)"
    )
    parser.add_argument("--no-plan", action="store_true", help="skip the planner section")
    parser.add_argument(
        "--candidates-only", action="store_true", help="run only the candidate-search section"
    )
    parser.add_argument(
        "--no-candidates", action="store_true", help="skip the candidate-search section"
    )
    parser.add_argument(
        "--table-only",
        action="store_true",
        help="run only the table-input figures (flat-layout frame per row vs the baseline)",
    )
    parser.add_argument("--no-server", action="store_true", help="skip the HTTP load test")
    parser.add_argument("--server-requests", type=int, default=3_000, help="per level")
    parser.add_argument("--server-seconds", type=float, default=20.0, help="per level")
    args = parser.parse_args(argv)
    if args.plan_only:
        return _plan_section(args.quick)
    if args.candidates_only:
        return _candidates_section(args.quick)
    if args.table_only:
        return _table_section(args.quick)
    if args.quick:
        args.n, args.durable_n = 1_000, 200
        args.rss_evals, args.durable_rss_evals, args.import_runs = 20_000, 2_000, 3
        args.server_requests, args.server_seconds = 200, 3.0

    started = time.perf_counter()
    import numpy as np

    import luanchuyen as lc
    from luanchuyen.batch import evaluate_many
    from luanchuyen.decision import Provenance, assemble
    from luanchuyen.engine.vector import VERDICT_CODES, VectorBackend
    from luanchuyen.evaluation import get_backend
    from luanchuyen.facts import derive_facts
    from luanchuyen.models import Cadre, Move

    as_of = synth.AS_OF
    from luanchuyen.ruleset.compile import RuleSet
    from luanchuyen.ruleset.loader import default_rules_dir

    # The plain-Python baseline encodes Quy định 65 alone: every path here runs the qd65 pack
    # (the state pack nha-nuoc, default since 2026, would make the agreement check meaningless).
    rules = RuleSet.from_paths([default_rules_dir() / "qd65"])
    compiled = rules.compiled(as_of)
    print(
        f"luanchuyen {lc.__version__} — Python {platform.python_version()}, numpy {np.__version__}, "
        f"{platform.machine()} × {os.cpu_count()} CPU"
    )
    print(
        f"population: {args.n:,} synthetic cadres × moves (seed 65), as of {as_of:%d/%m/%Y}, "
        f"packs {compiled.pack_ids}, {len(compiled.rules)} rules in force"
    )

    # ------------------------------------------------------------- inputs
    pop = synth.population(args.n)
    kinds = Counter(m["kind"] for _, m in pop)
    print("moves:", ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    t_validate, models = _timed(
        lambda: [(Cadre.model_validate(c), Move.model_validate(m)) for c, m in pop]
    )
    t_derive, derived = _timed(
        lambda: [derive_facts(c, m, as_of, compiled.params) for c, m in models]
    )
    facts = [d.facts for d in derived]
    # The inputs live through the whole run: keep the cyclic GC from walking them again and
    # again (a Decision is ~70 KiB of objects; 20,000 of them would slow every later step).
    gc.collect()
    gc.freeze()
    t_floor, touched = _timed(lambda: _touch_all(models), 3)

    figures: list[Figure] = []

    # ------------------------------------------------------------- (a) baseline
    params = compiled.params

    def base_full() -> list[Any]:
        out = []
        for c, m in models:
            d = derive_facts(c, m, as_of, params)
            out.append(baseline.decide(d.facts, d.context))
        return out

    t_a, base_out = _timed(base_full, 2)
    fig_a = Figure(
        "(a) plain-Python baseline", args.n, t_a, "models → facts → verdict + every reason"
    )
    figures.append(fig_a)

    def base_decide() -> list[Any]:
        return [baseline.decide(d.facts, d.context) for d in derived]

    t_a2, _ = _timed(base_decide, 3)
    fig_a2 = Figure(
        "(a·decide) its decision step alone", args.n, t_a2, "from derived facts; every reason"
    )
    figures.append(fig_a2)

    # ------------------------------------------------------------- (b) reference
    def compact(d: Any) -> tuple[str, bool, list[tuple[str, str, str]]]:
        """What the agreement checks need, so that 20,000 Decisions are not kept alive."""
        crits = [(c.rule_id, c.outcome.value, c.message.vi) for c in d.criteria]
        return str(d.verdict.value), bool(d.priority), crits

    t_b, ref_compact = _timed(
        lambda: [
            compact(lc.evaluate(c, m, as_of=as_of, rules=rules, backend="reference"))
            for c, m in models
        ]
    )
    figures.append(
        Figure('(b) evaluate(backend="reference")', args.n, t_b, "derive + states + Decision")
    )
    ref_verdicts = [r[0] for r in ref_compact]
    same_verdict = sum(v == b[0] for v, b in zip(ref_verdicts, base_out, strict=True))
    same_reasons = 0
    differing: Counter[str] = Counter()
    for (_, prio, lib), b in zip(ref_compact, base_out, strict=True):
        if b[1] == prio and b[2] == lib:
            same_reasons += 1
            continue
        mine = {r[0]: r for r in b[2]}
        for reason in lib:
            if mine.get(reason[0]) != reason:
                differing[reason[0]] += 1

    # ------------------------------------------------------------- (c) durable
    sub = models[: args.durable_n]
    get_backend("durable")  # engine start-up outside the timing
    lc.evaluate(*sub[0], as_of=as_of, rules=rules, backend="durable")
    t_c, dur_verdicts = _timed(
        lambda: [
            _verdict_of(lc.evaluate(c, m, as_of=as_of, rules=rules, backend="durable"))
            for c, m in sub
        ]
    )
    fig_c = Figure('(c) evaluate(backend="durable")', len(sub), t_c, "derive + engine + Decision")
    figures.append(fig_c)
    dur_agree = sum(d == v for d, v in zip(dur_verdicts, ref_verdicts, strict=False))

    # ------------------------------------------------------------- (d) bare durable
    bare = _BareDurable(compiled)
    sub_facts = [dict(f) for f in facts[: args.durable_n]]
    bare.fire(sub_facts[0])
    t_d, fired = _timed(lambda: [bare.fire(f) for f in sub_facts])
    fig_d = Figure(
        "(d) bare durable-rules loop", len(sub_facts), t_d, "precomputed facts; rules fired only"
    )
    figures.append(fig_d)
    reference = get_backend("reference")
    bare_agree = sum(
        bare.states(compiled, fl) == reference.states(compiled, f)
        for fl, f in zip(fired, sub_facts, strict=True)
    )

    # ------------------------------------------------------------- (e) batch path
    evaluate_many(models[:50], as_of=as_of, rules=rules, backend="vector")

    def batch(reasons: bool) -> Any:
        return evaluate_many(models, as_of=as_of, rules=rules, backend="vector", reasons=reasons)

    t_e, frame = _timed(lambda: batch(False), 2)
    fig_e = Figure(
        "(e) evaluate_many, reasons on demand",
        args.n,
        t_e,
        "models → frame: verdicts, rule lists, figures",
    )
    figures.append(fig_e)
    batch_agree = sum(a == b for a, b in zip(frame["verdict"].tolist(), ref_verdicts, strict=True))
    t_em, frame_main = _timed(lambda: batch(True))
    fig_em = Figure(
        "(e·main) evaluate_many, reasons=True", args.n, t_em, "+ each row's main reason written"
    )
    figures.append(fig_em)
    main_agree = sum(
        a == b for a, b in zip(frame_main["verdict"].tolist(), ref_verdicts, strict=True)
    )
    same_columns = frame.drop(columns="reason_vi").equals(frame_main.drop(columns="reason_vi"))

    vector = get_backend("vector")
    assert isinstance(vector, VectorBackend)

    def rule_stage(rows: Any) -> tuple[Any, Any, Any]:
        cols = vector.columns(compiled, rows)
        outcomes = cols.outcomes()
        return cols, cols.verdicts(), cols.priority(outcomes)

    t_e1, (cols, verdicts, _priority) = _timed(lambda: rule_stage(facts), 3)
    fig_e1 = Figure(
        "(e·rules) batch rule stage, from derived facts",
        args.n,
        t_e1,
        "states + verdicts; reasons on demand",
    )
    figures.append(fig_e1)
    stage_agree = sum(
        VERDICT_CODES[v].value == r for v, r in zip(verdicts, ref_verdicts, strict=True)
    )
    names = sorted({k for f in facts for k in f})
    table = {k: [f.get(k) for f in facts] for k in names}
    t_e2, (_, verdicts2, _) = _timed(lambda: rule_stage(table), 3)
    fig_e2 = Figure(
        "(e·table) same, facts given as columns", args.n, t_e2, "no row→column transposition"
    )
    figures.append(fig_e2)
    table_agree = sum(
        VERDICT_CODES[v].value == r for v, r in zip(verdicts2, ref_verdicts, strict=True)
    )

    # The three fast paths again, interleaved, best of all runs: the VM's noise hits them alike.
    for _ in range(3):
        fig_a.seconds = min(fig_a.seconds, _timed(base_full)[0])
        fig_e.seconds = min(fig_e.seconds, _timed(lambda: batch(False))[0])
        fig_a2.seconds = min(fig_a2.seconds, _timed(base_decide)[0])
        fig_e1.seconds = min(fig_e1.seconds, _timed(lambda: rule_stage(facts))[0])
        fig_e2.seconds = min(fig_e2.seconds, _timed(lambda: rule_stage(table))[0])

    # reasons on demand: a Decision for any row, from the columnar states
    asked = list(range(0, args.n, max(1, args.n // 200)))
    provenance = lc.evaluate(*models[0], as_of=as_of, rules=rules, backend="vector").provenance

    def reasons_for(rows: list[int]) -> list[Any]:
        out = []
        for i in rows:
            c, m = models[i]
            out.append(
                assemble(
                    compiled,
                    cols.row(i),
                    derived[i],
                    cadre_id=c.id,
                    cadre_name=c.name,
                    move_kind=m.kind.value,
                    target_title=m.target.title,
                    provenance=Provenance.model_validate(provenance.model_dump()),
                )
            )
        return out

    t_r, on_demand = _timed(lambda: reasons_for(asked))
    demand_agree = sum(compact(d) == ref_compact[i] for d, i in zip(on_demand, asked, strict=True))

    # ------------------------------------------------------------- report
    print(
        f"\nvalidation of the raw mappings (pydantic, outside the timings): "
        f"{args.n / t_validate:,.0f} pairs/s; fact derivation: {args.n / t_derive:,.0f} rows/s"
    )
    _print_table(figures, fig_a)
    floor_rate = args.n / t_floor
    print(
        f"\nfloor: one pass that only reads every input field the facts depend on "
        f"({touched / args.n:.0f} values a row, nothing computed): {floor_rate:,.0f} rows/s = "
        f"{floor_rate / fig_a.per_second:.1f}× (a); any path from pydantic models is slower"
    )
    print(
        f"\nfrom the same derived facts: the rule stage (e·rules) is "
        f"{fig_e1.per_second / fig_a2.per_second:.1f}× the baseline's decision step (a·decide); "
        f"from fact columns (e·table) {fig_e2.per_second / fig_a2.per_second:.1f}×"
    )
    print(
        f"reasons on demand: {len(asked)} full Decisions from the columnar states in {t_r * 1e3:.1f} ms "
        f"({len(asked) / t_r:,.0f}/s); identical to (b): {demand_agree}/{len(asked)}"
    )
    print("\nagreement")
    print(
        f"  baseline verdicts vs library (b):      {same_verdict:,}/{args.n:,} ({same_verdict / args.n:.2%})"
    )
    print(
        f"  baseline reasons (outcome + message):  {same_reasons:,}/{args.n:,} ({same_reasons / args.n:.2%})"
    )
    if differing:
        print(
            "    rules where the baseline differs (the pack changed?):",
            dict(differing.most_common(8)),
        )
    print(f"  (c) durable verdicts vs (b):           {dur_agree:,}/{len(sub):,}")
    print(f"  (d) bare loop states vs reference:     {bare_agree:,}/{len(sub_facts):,}")
    print(f"  (e) evaluate_many verdicts vs (b):     {batch_agree:,}/{args.n:,}")
    print(f"  (e·main) verdicts vs (b):              {main_agree:,}/{args.n:,}")
    print(f"  (e) = (e·main) but for reason_vi:      {same_columns}")
    print(f"  (e·rules) verdicts vs (b):             {stage_agree:,}/{args.n:,}")
    print(f"  (e·table) verdicts vs (b):             {table_agree:,}/{args.n:,}")
    verdict_mix = Counter(ref_verdicts)
    print("  verdicts:", ", ".join(f"{k} {v:,}" for k, v in verdict_mix.most_common()))

    # ------------------------------------------------------------- memory
    del frame, frame_main, on_demand, ref_compact, base_out, fired
    gc.collect()
    print("\nmemory (RSS)")
    rounds = max(1, args.rss_evals // args.n)
    rule_stage(facts)
    gc.collect()
    before = _rss()
    checkpoints = []
    t0 = time.perf_counter()
    for k in range(rounds):
        rule_stage(facts)
        if (k + 1) % max(1, rounds // 5) == 0:
            gc.collect()
            checkpoints.append(_rss())
    fast_secs = time.perf_counter() - t0
    gc.collect()
    fast_growth = _rss() - before
    fast_evals = rounds * args.n
    print(
        f"  fast path (e·rules), {fast_evals:,} evaluations in {fast_secs:.1f} s: "
        f"{before / MIB:.1f} → {(before + fast_growth) / MIB:.1f} MiB (growth {fast_growth / MIB:+.1f} MiB); "
        f"checkpoints {[round(c / MIB, 1) for c in checkpoints]}"
    )
    durable = get_backend("durable")
    sample = facts[: min(len(facts), 2_000)]
    for f in sample[:100]:
        durable.states(compiled, f)
    gc.collect()
    before_d = _rss()
    t0 = time.perf_counter()
    for k in range(args.durable_rss_evals):
        durable.states(compiled, sample[k % len(sample)])
    durable_secs = time.perf_counter() - t0
    gc.collect()
    durable_growth = _rss() - before_d
    live = getattr(durable, "live_sessions", None)
    max_live = getattr(durable, "max_live_seen", None)
    print(
        f"  durable backend states(), {args.durable_rss_evals:,} evaluations in {durable_secs:.1f} s "
        f"({args.durable_rss_evals / durable_secs:,.0f}/s): growth {durable_growth / MIB:+.1f} MiB; "
        f"live sessions {live}, most ever alive {max_live}"
    )

    # ------------------------------------------------------------- import
    median, times, loaded = _import_time(args.import_runs)
    print(
        f"\nimport luanchuyen (fresh interpreter, median of {len(times)}): {median * 1e3:.1f} ms "
        f"(runs {', '.join(f'{t * 1e3:.0f}' for t in times)} ms); loaded with it: "
        f"{', '.join(k for k, v in loaded.items() if v) or 'none of numpy, pandas, durable, pydantic'}"
    )

    # ------------------------------------------------------------- targets
    ratio_e = fig_e.per_second / fig_a.per_second
    ratio_em = fig_em.per_second / fig_a.per_second
    ratio_durable = fig_c.per_second / fig_d.per_second
    fast_scaled = fast_growth * (1_000_000 / fast_evals)
    targets = [
        (
            f"batch path ≥ 10× the plain-Python baseline, same models in, every reason on "
            f"demand: {ratio_e:.1f}× (with each row's main reason written: {ratio_em:.1f}×)",
            ratio_e >= 10,
        ),
        (
            f"agreement: batch path verdicts = reference on all rows: {batch_agree:,}/{args.n:,}",
            batch_agree == args.n and main_agree == args.n and same_columns,
        ),
        (f"durable backend ≥ 0.8× bare durable loop: {ratio_durable:.2f}×", ratio_durable >= 0.8),
        (
            f"RSS growth < 20 MiB over 1M fast-path evaluations: {fast_scaled / MIB:+.1f} MiB"
            + ("" if fast_evals >= 1_000_000 else f" (scaled from {fast_evals:,})"),
            fast_scaled < 20 * MIB,
        ),
        (f"import luanchuyen < 0.3 s: {median:.3f} s", median < 0.3),
        (
            f"agreement: baseline = library on all rows: {same_reasons:,}/{args.n:,}",
            same_reasons == args.n and same_verdict == args.n,
        ),
    ]
    import records_bench  # issue 13: a 1,000,000-row table streamed, a 50 MB Windows-1258 CSV

    targets += records_bench.run(args.quick)
    print("\ntargets")
    for text, ok in targets:
        print(f"  {'PASS' if ok else 'FAIL'}  {text}")

    if args.profile:
        few = models[: min(2_000, args.n)]
        _profile(
            "(b) evaluate reference",
            lambda: [
                lc.evaluate(c, m, as_of=as_of, rules=rules, backend="reference") for c, m in few
            ],
        )
        _profile(
            "(c) evaluate durable",
            lambda: [
                lc.evaluate(c, m, as_of=as_of, rules=rules, backend="durable") for c, m in few[:500]
            ],
        )
        _profile(
            "(e) evaluate_many",
            lambda: evaluate_many(few, as_of=as_of, rules=rules, backend="vector"),
        )
        _profile("(e·rules) rule stage", lambda: rule_stage(facts))
        _profile(
            "validation of raw mappings",
            lambda: [(Cadre.model_validate(c), Move.model_validate(m)) for c, m in pop[:2_000]],
        )
    if not args.no_plan:
        _plan_section(args.quick)
    if not args.no_candidates:
        _candidates_section(args.quick)
    if not args.no_server:
        import server_load

        for workers in (1, 2):  # one process, then one per core of this machine
            server_load.run(args.server_requests, args.server_seconds, workers=workers)
    print(f"\nbench wall time: {time.perf_counter() - started:.0f} s")
    return 0


def _plan_section(quick: bool) -> int:
    """The planner: 2,000 cadres × 300 posts with the Chi Lăng targets (:mod:`plan_bench`)."""
    import plan_bench

    print("\n--- plan (issue 15): propose_plan, HiGHS ---")
    text, ok = plan_bench.run(200, 30) if quick else plan_bench.run()
    print(f"  {'PASS' if ok else 'FAIL'}  {text}")
    return 0


def _candidates_section(quick: bool) -> int:
    """The candidate search: 20,000 cadres × 500 posts (:mod:`candidates_bench`, issue 14)."""
    import candidates_bench

    for text, ok in candidates_bench.run(quick):
        print(f"  {'PASS' if ok else 'FAIL'}  {text}")
    return 0


def _table_section(quick: bool) -> int:
    """The table path per row against the baseline (:mod:`candidates_bench`, issue 14)."""
    import candidates_bench

    for text, ok in candidates_bench.table_section(quick):
        print(f"  {'PASS' if ok else 'FAIL'}  {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The assignment model behind :func:`luanchuyen.analysis.proposal.propose_plan`.

Private: the facade builds :class:`Candidate` pairs from the engine's verdicts and reads the
targets from the rules; this module only optimises. The model is written once, as a 0-1
integer linear programme (:class:`_Linear`), and solved by one of two real solvers:

* ``"highs"`` (default): HiGHS through :func:`scipy.optimize.milp`, branch and bound on the
  LP relaxation — an assignment's LP is nearly integral, so 2,000 × 300 solves in seconds;
* ``"cp-sat"``: OR-Tools CP-SAT, whose assumptions give the conflicting targets directly.
  On 2 cores it does not prove the 2,000 × 300 instance within a minute (measured; see
  docs/planner.md), hence the default.

The order of preference is solved lexicographically in three solves, each solve's value
kept as a constraint of the next:

1. *targets*: the number of targets met, then the least total shortfall in persons (one
   met target weighs more than every shortfall together);
2. *posts filled*;
3. *preference*: priority points, then remaining service (months, capped at 600), then
   fewer sending bodies disturbed — by default each term weighs more than the whole range
   of the terms after it (exact integers), so the level is itself lexicographic; numeric
   :class:`Weights` make it a plain weighted sum.

Every hard constraint (one post per cadre, one cadre per post, the board's limits, hard
shares) is met by the empty plan, so the model is never infeasible; a target that cannot
be met is a soft goal, and a small set of targets that conflict is found and explained.
The solvers are imported inside the functions that solve (optional dependencies, extra
``luanchuyen[plan]``).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

from luanchuyen.errors import InputError

__all__ = [
    "Board",
    "Candidate",
    "Conflict",
    "Solution",
    "SolverName",
    "Stage",
    "Target",
    "TargetOutcome",
    "Weights",
    "assign",
    "outcomes_of",
]

Status = Literal["optimal", "feasible", "unknown"]
SolverName = Literal["highs", "cp-sat"]
_MAX_SERVICE: Final = 600  # months; a remaining-service figure is capped here in the objective


@dataclass(frozen=True, slots=True)
class Candidate:
    """One (cadre, post) pair the plan may use: the engine allowed it.

    Attributes:
        cadre: the cadre's id.
        post: the post's id.
        categories: the plan categories the move falls in (``district_to_commune``…).
        priority_points: the weighted priority grounds of the pair (:class:`Weights`).
        remaining_service_months: the cadre's remaining service (``None``: unknown, counts 0).
        sending_body: the cadre's current body (``None``: unknown).
        woman, ethnic_minority, under_40: for the structure shares (``None``: unknown,
            counts as not meeting the share).
        review: the engine's verdict is ``needs_review`` (allowed by the user).
        head, deputy: the cadre is the head / a deputy of the sending body.
    """

    cadre: str
    post: str
    categories: frozenset[str] = frozenset()
    priority_points: int = 0
    remaining_service_months: int | None = None
    sending_body: str | None = None
    woman: bool | None = None
    ethnic_minority: bool | None = None
    under_40: bool | None = None
    review: bool = False
    head: bool = False
    deputy: bool = False


@dataclass(frozen=True, slots=True)
class Target:
    """A target of the plan: at least ``minimum`` moves of a category, or a minimum share.

    ``kind == "count"``: at least ``minimum`` assigned pairs in ``category``.
    ``kind == "share"``: at least ``minimum`` per cent of the assigned cadres have the
    attribute ``category`` (``woman``, ``ethnic_minority`` or ``under_40``).
    ``hard``: a constraint, never traded (only shares may be hard; the empty plan meets them).
    """

    key: str
    kind: Literal["count", "share"]
    category: str
    minimum: int
    label_vi: str
    label_en: str
    hard: bool = False
    parameter: str | None = None
    citation: str | None = None
    source: Literal["rules", "board"] = "rules"


@dataclass(frozen=True, slots=True)
class Board:
    """Constraints a board may set on top of the law (all optional).

    Attributes:
        max_per_sending_body: at most this many cadres taken from one sending body.
        keep_body_leadership: a body never loses its head and all its deputies at once
            (only bodies whose head is among the cadres are checked).
    """

    max_per_sending_body: int | None = None
    keep_body_leadership: bool = False


@dataclass(frozen=True, slots=True)
class Weights:
    """The weights of the last levels (the preference among equally filled plans).

    ``None`` everywhere (the default) keeps them lexicographic: priority points, then
    remaining service (months), then fewer sending bodies disturbed. Give numbers to trade
    them off instead (one weighted sum; an unset weight counts 0).
    ``grounds`` weighs each priority ground (the facts a priority rule tests: ``age_months``
    for being under 40, ``htxs_during_rotation`` for an outstanding rating during rotation;
    ``planned_for_target`` for planning that names the target title); a ground not listed
    weighs ``other_ground``. ``review_penalty`` priority points are taken off a pair whose
    verdict is ``needs_review`` (so an eligible cadre is preferred at equal merit).
    """

    priority: int | None = None
    service: int | None = None
    bodies: int | None = None
    grounds: Mapping[str, int] = field(
        default_factory=lambda: {
            "age_months": 1,
            "htxs_during_rotation": 1,
            "planned_for_target": 1,
        }
    )
    other_ground: int = 1
    review_penalty: int = 1

    def points(self, grounds: Sequence[str], review: bool) -> int:
        """The priority points of a pair with these grounds."""
        total = sum(self.grounds.get(g, self.other_ground) for g in set(grounds))
        return total - (self.review_penalty if review else 0)


@dataclass(frozen=True, slots=True)
class TargetOutcome:
    """A target against the plan: achieved value, met or not, shortfall in persons."""

    target: Target
    achieved: int
    assigned: int
    met: bool
    shortfall: int


@dataclass(frozen=True, slots=True)
class Conflict:
    """A small set of targets that cannot be met together, and how close each can get.

    ``alone``: the least shortfall of each target with no other target enforced;
    ``with_others``: its least shortfall when the other targets of the set are met.
    ``proven``: the solver proved the set infeasible (otherwise it ran out of time).
    """

    keys: tuple[str, ...]
    alone: Mapping[str, int]
    with_others: Mapping[str, int | None]
    proven: bool


@dataclass(frozen=True, slots=True)
class Stage:
    """One lexicographic level: its value, bound and whether it was proven optimal."""

    name: str
    status: Status
    value: int
    bound: int
    seconds: float

    @property
    def gap(self) -> float:
        """Relative gap between the bound and the value (0 when proven optimal)."""
        if self.status == "optimal" or self.bound == self.value:
            return 0.0
        return abs(self.bound - self.value) / max(1, abs(self.bound))


@dataclass(frozen=True, slots=True)
class Solution:
    """The chosen pairs and how the solver got there."""

    chosen: tuple[int, ...]
    status: Status
    stages: tuple[Stage, ...]
    targets: tuple[TargetOutcome, ...]
    conflicts: tuple[Conflict, ...]
    weights: tuple[int, int, int]
    seconds: float
    solver: SolverName = "highs"

    @property
    def gap(self) -> float:
        """The largest relative gap over the levels (0 when every level is proven)."""
        return max((s.gap for s in self.stages), default=0.0)


def _service(c: Candidate) -> int:
    months = c.remaining_service_months
    return 0 if months is None else max(0, min(_MAX_SERVICE, months))


def _has(c: Candidate, attribute: str) -> bool:
    return bool(getattr(c, attribute))


def outcomes_of(
    cands: Sequence[Candidate], chosen: Sequence[int], targets: Sequence[Target]
) -> tuple[TargetOutcome, ...]:
    """Each target against the chosen pairs (shortfall in persons)."""
    out = []
    n = len(chosen)
    for t in targets:
        if t.kind == "count":
            achieved = sum(1 for k in chosen if t.category in cands[k].categories)
            short = max(0, t.minimum - achieved)
        else:
            achieved = sum(1 for k in chosen if _has(cands[k], t.category))
            short = max(0, math.ceil((t.minimum * n - 100 * achieved) / 100))
        out.append(TargetOutcome(t, achieved, n, short == 0, short))
    return tuple(out)


def _check(cands: Sequence[Candidate], targets: Sequence[Target]) -> None:
    seen: set[tuple[str, str]] = set()
    for c in cands:
        if (c.cadre, c.post) in seen:
            raise InputError(
                "invalid_input",
                f"Cặp ({c.cadre}, {c.post}) xuất hiện hai lần",
                f"The pair ({c.cadre}, {c.post}) is given twice",
                field="candidates",
            )
        seen.add((c.cadre, c.post))
    keys = [t.key for t in targets]
    if len(set(keys)) < len(keys):
        raise InputError(
            "invalid_input",
            "Hai chỉ tiêu trùng tên",
            "Two targets have the same key",
            field="targets",
        )
    for t in targets:
        if t.kind == "count" and t.hard:
            raise InputError(
                "invalid_value",
                f"Chỉ tiêu số lượng «{t.label_vi}» không thể là ràng buộc cứng",
                f"The count target «{t.label_en}» cannot be a hard constraint",
                field=t.key,
            )
        if t.minimum < 0 or (t.kind == "share" and t.minimum > 100):
            raise InputError(
                "invalid_value",
                f"Chỉ tiêu «{t.label_vi}» có giá trị không hợp lệ: {t.minimum}",
                f"Target «{t.label_en}» has an invalid value: {t.minimum}",
                field=t.key,
            )


Terms = dict[int, int]


class _Linear:
    """A 0-1 / integer linear programme: integer variables in bounds, rows ``lo ≤ a·x ≤ hi``."""

    def __init__(self) -> None:
        self.lb: list[int] = []
        self.ub: list[int] = []
        self.rows: list[tuple[Terms, float, float]] = []

    def var(self, lb: int, ub: int) -> int:
        self.lb.append(lb)
        self.ub.append(ub)
        return len(self.lb) - 1

    def row(self, terms: Terms, lo: float = -math.inf, hi: float = math.inf) -> None:
        self.rows.append((terms, lo, hi))


def _plus(*parts: Terms) -> Terms:
    out: Terms = defaultdict(int)
    for part in parts:
        for k, v in part.items():
            out[k] += v
    return dict(out)


class _Model:
    """The plan as a linear programme: choice variables, hard rows, target rows, objectives."""

    def __init__(
        self,
        cands: Sequence[Candidate],
        targets: Sequence[Target],
        board: Board,
        body_leaders: Mapping[str, int] | None = None,
    ) -> None:
        lp = self.lp = _Linear()
        self.cands = cands
        self.x = [lp.var(0, 1) for _ in cands]
        by_cadre: dict[str, list[int]] = defaultdict(list)
        by_post: dict[str, list[int]] = defaultdict(list)
        by_body: dict[str, list[int]] = defaultdict(list)
        for k, c in enumerate(cands):
            by_cadre[c.cadre].append(k)
            by_post[c.post].append(k)
            if c.sending_body is not None:
                by_body[c.sending_body].append(k)
        for ks in (*by_cadre.values(), *by_post.values()):
            if len(ks) > 1:
                lp.row({self.x[k]: 1 for k in ks}, hi=1)
        self.filled: Terms = dict.fromkeys(self.x, 1)
        if board.max_per_sending_body is not None:
            for ks in by_body.values():
                if len(ks) > board.max_per_sending_body:
                    lp.row({self.x[k]: 1 for k in ks}, hi=board.max_per_sending_body)
        if board.keep_body_leadership:
            for body, ks in by_body.items():
                if not any(cands[k].head for k in ks):
                    continue
                leaving = [k for k in ks if cands[k].head or cands[k].deputy]
                total = (body_leaders or {}).get(body, len({cands[k].cadre for k in leaving}))
                # each leader moves at most once, so the sum counts the leaders who leave
                lp.row({self.x[k]: 1 for k in leaving}, hi=total - 1)
        self.used: list[int] = []
        for ks in by_body.values():
            u = lp.var(0, 1)
            self.used.append(u)
            per_cadre: dict[str, list[int]] = defaultdict(list)
            for k in ks:
                per_cadre[cands[k].cadre].append(k)
            for group in per_cadre.values():  # the cadre leaves (≤ 1 pair) ⇒ the body is used
                lp.row(_plus({self.x[k]: 1 for k in group}, {u: -1}), hi=0)
        self.short: dict[str, int] = {}
        self.met: dict[str, int] = {}
        cap = min(len(by_cadre), len(by_post))
        for t in targets:
            if t.kind == "count":
                # lack = minimum − count; shortfall ≥ lack
                count = {self.x[k]: 1 for k, c in enumerate(cands) if t.category in c.categories}
                if t.hard:  # pragma: no cover - rejected by _check
                    continue
                top = t.minimum
                s = lp.var(0, top)
                met = lp.var(0, 1)
                lp.row(_plus(count, {s: 1}), lo=t.minimum)
                lp.row(_plus(count, {met: -t.minimum}), lo=0)
            else:
                # 100·has − pct·n (≥ 0 when the share is met); 100·shortfall ≥ its negation
                has = {self.x[k]: 100 for k, c in enumerate(cands) if _has(c, t.category)}
                gap = _plus(has, dict.fromkeys(self.x, -t.minimum))
                if t.hard:
                    lp.row(gap, lo=0)
                    continue
                top = cap
                s = lp.var(0, top)
                met = lp.var(0, 1)
                lp.row(_plus(gap, {s: 100}), lo=0)
                big = t.minimum * cap
                lp.row(_plus(gap, {met: -big}), lo=-big)
            lp.row({s: 1, met: top}, hi=top)  # met ⇒ no shortfall
            self.short[t.key] = s
            self.met[t.key] = met
        self.n_vars = len(lp.lb)

    def value(self, terms: Terms, solution: Sequence[int]) -> int:
        return sum(v * solution[k] for k, v in terms.items())


@dataclass(frozen=True, slots=True)
class _Result:
    status: Status | Literal["infeasible"]
    value: int
    bound: int
    solution: list[int]
    seconds: float


def _solve_highs(
    model: _Model, objective: Terms, seconds: float, fixed: Mapping[int, int]
) -> _Result:
    """Maximise ``objective`` with HiGHS (:func:`scipy.optimize.milp`)."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_matrix

    lp = model.lp
    n = len(lp.lb)
    if n == 0:  # nothing to choose: the empty plan
        return _Result("optimal", 0, 0, [], 0.0)
    c = np.zeros(n)
    for k, v in objective.items():
        c[k] -= v
    lb = np.array(lp.lb, dtype=float)
    ub = np.array(lp.ub, dtype=float)
    for k, v in fixed.items():
        lb[k] = ub[k] = v
    data: list[float] = []
    cols: list[int] = []
    ptr = [0]
    lo: list[float] = []
    hi: list[float] = []
    for terms, a, b in lp.rows:
        cols.extend(terms)
        data.extend(float(v) for v in terms.values())
        ptr.append(len(cols))
        lo.append(a)
        hi.append(b)
    constraints = (
        [LinearConstraint(csr_matrix((data, cols, ptr), shape=(len(lp.rows), n)), lo, hi)]
        if lp.rows
        else []
    )
    started = time.perf_counter()
    # HiGHS' MIP presolve spends minutes on the clique table of large assignment models;
    # the LP relaxation of an assignment is nearly integral, so branch and bound needs none.
    res = milp(
        c,
        constraints=constraints,
        integrality=np.ones(n),
        bounds=Bounds(lb, ub),
        options={"time_limit": max(0.05, seconds), "presolve": False, "mip_rel_gap": 0.0},
    )
    took = time.perf_counter() - started
    if res.status == 2:
        return _Result("infeasible", 0, 0, [], took)
    if res.x is None:
        return _Result("unknown", 0, 0, [], took)
    solution = [round(v) for v in res.x]
    value = model.value(objective, solution)
    bound_raw = getattr(res, "mip_dual_bound", None)
    bound = value if bound_raw is None or res.status == 0 else math.floor(-bound_raw + 1e-6)
    return _Result(
        "optimal" if res.status == 0 else "feasible", value, max(bound, value), solution, took
    )


def _solve_cpsat(
    model: _Model,
    objective: Terms,
    seconds: float,
    fixed: Mapping[int, int],
    workers: int,
    hint: Sequence[int] | None,
    assume: Sequence[int] = (),
) -> tuple[_Result, list[int]]:
    """Maximise ``objective`` with CP-SAT; with ``assume``, also the conflicting assumptions."""
    from ortools.sat.python import cp_model

    lp = model.lp
    m = cp_model.CpModel()
    xs = [
        m.new_int_var(fixed.get(k, lo), fixed.get(k, hi), "")
        for k, (lo, hi) in enumerate(zip(lp.lb, lp.ub, strict=True))
    ]
    for terms, a, b in lp.rows:
        expr = sum(v * xs[k] for k, v in terms.items())
        lo = -(2**53) if a == -math.inf else math.ceil(a - 1e-9)
        hi = 2**53 if b == math.inf else math.floor(b + 1e-9)
        m.add_linear_constraint(expr, lo, hi)
    m.maximize(sum(v * xs[k] for k, v in objective.items()))
    if hint is not None:
        for k, v in enumerate(hint):
            m.add_hint(xs[k], v)
    lits = {}
    if assume:
        bools = []
        for k in assume:
            lit = m.new_bool_var("")
            m.add(xs[k] == 1).only_enforce_if(lit)
            bools.append(lit)
            lits[lit.index] = k
        m.add_assumptions(bools)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, seconds)
    solver.parameters.num_workers = 1 if assume else workers
    solver.parameters.random_seed = 65
    started = time.perf_counter()
    code = solver.solve(m)
    took = time.perf_counter() - started
    if code == cp_model.INFEASIBLE:
        core = [lits[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in lits]
        return _Result("infeasible", 0, 0, [], took), core
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _Result("unknown", 0, 0, [], took), []
    solution = [int(solver.value(v)) for v in xs]
    value = model.value(objective, solution)
    status: Status = "optimal" if code == cp_model.OPTIMAL else "feasible"
    bound = value if status == "optimal" else math.floor(solver.best_objective_bound + 1e-6)
    return _Result(status, value, max(bound, value), solution, took), []


class _Solver:
    """One model, one backend, and the levels' values kept as rows."""

    def __init__(self, model: _Model, name: SolverName, workers: int, deadline: float) -> None:
        self.model = model
        self.name = name
        self.workers = workers
        self.deadline = deadline
        self.solution: list[int] | None = None

    def left(self) -> float:
        return self.deadline - time.perf_counter()

    def maximise(self, objective: Terms, fixed: Mapping[int, int] | None = None) -> _Result:
        fixed = fixed or {}
        if self.name == "highs":
            return _solve_highs(self.model, objective, self.left(), fixed)
        res, _ = _solve_cpsat(
            self.model, objective, self.left(), fixed, self.workers, self.solution
        )
        return res

    def level(self, name: str, objective: Terms, stages: list[Stage]) -> None:
        res = self.maximise(objective)
        if res.status in ("optimal", "feasible"):
            self.solution = res.solution
            self.model.lp.row(objective, lo=res.value)  # keep this level's value
            stages.append(Stage(name, res.status, res.value, res.bound, res.seconds))
        else:  # time ran out before any solution of this level: keep the previous one
            value = 0 if self.solution is None else self.model.value(objective, self.solution)
            stages.append(Stage(name, "unknown", value, value, res.seconds))

    def feasible(self, keys: Sequence[str]) -> tuple[bool | None, list[str]]:
        """Can the targets ``keys`` all be met? If not, a conflicting subset (maybe all)."""
        met = self.model.met
        if self.name == "cp-sat":
            res, core = _solve_cpsat(
                self.model, {}, self.left(), {}, 1, None, [met[k] for k in keys]
            )
            back = {met[k]: k for k in keys}
            found = [back[i] for i in core if i in back]
        else:
            res = _solve_highs(self.model, {}, self.left(), {met[k]: 1 for k in keys})
            found = []
        if res.status == "infeasible":
            return False, found or list(keys)
        if res.status == "unknown":
            return None, list(keys)
        return True, []

    def least_shortfall(self, key: str, enforced: Sequence[str]) -> int | None:
        m = self.model
        res = self.maximise({m.short[key]: -1}, {m.met[o]: 1 for o in enforced})
        if res.status not in ("optimal", "feasible"):
            return None
        return -res.value if res.status == "optimal" else -res.bound


def assign(
    candidates: Sequence[Candidate],
    targets: Sequence[Target] = (),
    *,
    board: Board | None = None,
    weights: Weights | None = None,
    time_limit: float = 30.0,
    workers: int = 2,
    solver: SolverName = "highs",
    explain_conflicts: bool = True,
    body_leaders: Mapping[str, int] | None = None,
) -> Solution:
    """Choose at most one post per cadre and one cadre per post, in the stated order.

    Args:
        candidates: the allowed pairs (the engine's verdicts decide which).
        targets: the plan's targets (counts from the rules, shares from the board).
        board: the board's hard limits.
        weights: the weights of the last levels (:class:`Weights`).
        time_limit: seconds for all the levels together (each gets what is left); the
            conflict explanation, when needed, gets up to half as much again (at least 5 s).
        workers: CP-SAT search workers.
        solver: ``"highs"`` (default) or ``"cp-sat"``.
        explain_conflicts: when some targets are not met, find a small set that conflicts.
        body_leaders: the number of leaders (head and deputies) of each sending body among
            *all* the cadres, for ``board.keep_body_leadership`` (default: those among the
            candidates).

    Returns:
        A :class:`Solution`: the chosen pairs (indices into ``candidates``), whether every
        level was proven optimal, each level's value and bound, the targets and conflicts.
    """
    _check(candidates, targets)
    if solver not in ("highs", "cp-sat"):
        raise InputError(
            "invalid_value",
            f"Không có bộ giải '{solver}'; dùng highs hoặc cp-sat",
            f"No solver '{solver}'; use highs or cp-sat",
            field="solver",
        )
    board = board or Board()
    weights = weights or Weights()
    started = time.perf_counter()
    model = _Model(candidates, targets, board, body_leaders)
    run = _Solver(model, solver, workers, started + time_limit)
    stages: list[Stage] = []
    if model.met:
        # targets met, then least shortfall: one met target outweighs every shortfall
        heavier = sum(model.lp.ub[v] for v in model.short.values()) + 1
        run.level(
            "targets",
            _plus(
                dict.fromkeys(model.met.values(), heavier), dict.fromkeys(model.short.values(), -1)
            ),
            stages,
        )
    run.level("posts filled", model.filled, stages)
    prio = {model.x[k]: c.priority_points for k, c in enumerate(candidates) if c.priority_points}
    service = {model.x[k]: _service(c) for k, c in enumerate(candidates) if _service(c)}
    lexicographic = weights.priority is None and weights.service is None and weights.bodies is None
    if lexicographic:
        # each term outweighs the whole range of the terms after it (exact in integers)
        n_bodies = len(model.used)
        best: dict[str, int] = defaultdict(int)
        for c in candidates:
            best[c.post] = max(best[c.post], _service(c))
        wb, ws = 1, n_bodies + 1
        wp = ws * sum(best.values()) + n_bodies + 1
    else:
        wp, ws, wb = weights.priority or 0, weights.service or 0, weights.bodies or 0
    used_weights = (wp, ws, wb)
    run.level(
        "preference",
        _plus(
            {k: wp * v for k, v in prio.items()},
            {k: ws * v for k, v in service.items()},
            dict.fromkeys(model.used, -wb),
        ),
        stages,
    )
    sol = run.solution or [0] * model.n_vars
    chosen = tuple(k for k, v in enumerate(model.x) if sol[v])
    outcomes = outcomes_of(candidates, chosen, targets)
    conflicts: tuple[Conflict, ...] = ()
    if explain_conflicts and any(not o.met for o in outcomes if not o.target.hard):
        # a fresh model: the levels' rows kept above would bias "how close can it get"
        fresh = _Model(candidates, targets, board, body_leaders)
        # the explanation gets its own budget: the levels may have used all of theirs
        deadline = max(run.deadline, time.perf_counter() + max(5.0, time_limit / 2))
        conflicts = _conflicts(
            _Solver(fresh, solver, workers, deadline), [t for t in targets if not t.hard]
        )
    status: Status = "optimal" if all(s.status == "optimal" for s in stages) else "feasible"
    return Solution(
        chosen=chosen,
        status=status,
        stages=tuple(stages),
        targets=outcomes,
        conflicts=conflicts,
        weights=used_weights,
        seconds=time.perf_counter() - started,
        solver=solver,
    )


def _conflicts(run: _Solver, soft: Sequence[Target]) -> tuple[Conflict, ...]:
    """Small sets of soft targets that cannot all be met, each with how close each gets.

    A target out of reach even alone is its own conflict. Among the others, the solver
    finds a conflicting subset (CP-SAT: ``sufficient_assumptions_for_infeasibility``;
    HiGHS: the whole set), shrunk to a minimal one by dropping one target at a time.
    """
    out: list[Conflict] = []
    alone = {t.key: run.least_shortfall(t.key, ()) for t in soft}
    remaining = []
    for t in soft:
        short = alone[t.key]
        if short is None:
            out.append(Conflict((t.key,), {}, {}, False))
        elif short > 0:
            out.append(Conflict((t.key,), {t.key: short}, {t.key: None}, True))
        else:
            remaining.append(t.key)
    if len(remaining) < 2:
        return tuple(out)
    ok, core = run.feasible(remaining)
    if ok is None:
        return (*out, Conflict(tuple(remaining), {}, {}, False))
    if ok:  # pragma: no cover - unmet targets that can be met together: only on a time-out
        return tuple(out)
    keys = [k for k in remaining if k in core]
    for k in list(keys):
        if len(keys) <= 2:
            break
        trial = [x for x in keys if x != k]
        still, _ = run.feasible(trial)
        if still is False:
            keys = trial
    with_others = {k: run.least_shortfall(k, [o for o in keys if o != k]) for k in keys}
    out.append(Conflict(tuple(keys), {k: int(alone[k] or 0) for k in keys}, with_others, True))
    return tuple(out)

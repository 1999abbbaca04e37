"""The assignment model behind :func:`luanchuyen.analysis.proposal.propose_plan` (OR-Tools CP-SAT).

Private: the facade builds :class:`Candidate` pairs from the engine's verdicts and reads the
targets from the rules; this module only optimises. The order of preference is solved
lexicographically, one CP-SAT solve per level, each level's optimum (or best value found)
kept as a constraint of the next:

1. targets: the number of targets met (each weighs more than every shortfall together),
   then the total shortfall in persons;
2. posts filled;
3. the preference of the chosen pairs: priority points, then remaining service, then fewer
   sending bodies disturbed (:class:`Weights`; by default each term outweighs every term
   after it, so level 3 is itself lexicographic).

Every hard constraint (one post per cadre, one cadre per post, the board's limits, hard
shares) is satisfied by the empty plan, so the model is never infeasible; a target that
cannot be met is a *soft* goal and its conflict is explained from the solver's assumptions.
``ortools`` is imported inside the functions that solve (an optional dependency, extra
``luanchuyen[plan]``).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from luanchuyen.errors import InputError

__all__ = [
    "Board",
    "Candidate",
    "Conflict",
    "Solution",
    "Target",
    "TargetOutcome",
    "Weights",
    "assign",
    "score",
]

Status = Literal["optimal", "feasible", "unknown"]
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
    """The weights of level 3 (the preference among equally filled plans).

    ``None`` (the default) makes each term outweigh everything after it, computed from the
    instance: priority points, then remaining service (months), then fewer sending bodies
    disturbed. Give numbers to trade them off instead (a plain weighted sum).
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

    @property
    def gap(self) -> float:
        """The largest relative gap over the levels (0 when every level is proven)."""
        return max((s.gap for s in self.stages), default=0.0)


@dataclass(frozen=True, slots=True)
class _Level3:
    priority: int
    service: int
    bodies: int


def _service(c: Candidate) -> int:
    months = c.remaining_service_months
    return 0 if months is None else max(0, min(_MAX_SERVICE, months))


def _level3_weights(cands: Sequence[Candidate], weights: Weights) -> _Level3:
    """Weights making level 3 lexicographic, unless the user gave numbers."""
    n_bodies = len({c.sending_body for c in cands if c.sending_body is not None})
    w_bodies = 1 if weights.bodies is None else weights.bodies
    w_service = weights.service if weights.service is not None else w_bodies * n_bodies + 1
    if weights.priority is not None:
        w_priority = weights.priority
    else:
        best: dict[str, int] = defaultdict(int)
        for c in cands:
            best[c.post] = max(best[c.post], _service(c))
        w_priority = w_service * sum(best.values()) + w_bodies * n_bodies + 1
    return _Level3(w_priority, w_service, w_bodies)


def score(
    cands: Sequence[Candidate], chosen: Sequence[int], targets: Sequence[Target], w: _Level3
) -> tuple[int, int, int, int, int]:
    """The lexicographic score of a set of chosen pairs (higher is better).

    (targets met, − total shortfall, posts filled, level-3 preference, 0). Used to report
    a plan, and by the tests to check the solver against brute force.
    """
    outcomes = outcomes_of(cands, chosen, targets)
    met = sum(o.met for o in outcomes if not o.target.hard)
    short = sum(o.shortfall for o in outcomes if not o.target.hard)
    bodies = {cands[k].sending_body for k in chosen if cands[k].sending_body is not None}
    pref = sum(
        w.priority * cands[k].priority_points + w.service * _service(cands[k]) for k in chosen
    )
    return met, -short, len(chosen), pref - w.bodies * len(bodies), 0


def _has(c: Candidate, attribute: str) -> bool:
    return bool(getattr(c, attribute))


def outcomes_of(
    cands: Sequence[Candidate], chosen: Sequence[int], targets: Sequence[Target]
) -> tuple[TargetOutcome, ...]:
    """Each target against the chosen pairs."""
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


class _Model:
    """The CP-SAT model: variables, hard constraints and the target expressions."""

    def __init__(
        self,
        cands: Sequence[Candidate],
        targets: Sequence[Target],
        board: Board,
        body_leaders: Mapping[str, int] | None = None,
    ) -> None:
        from ortools.sat.python import cp_model

        self.cp = cp_model
        self.m = cp_model.CpModel()
        self.cands = cands
        self.x = [self.m.new_bool_var(f"x{k}") for k in range(len(cands))]
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
                self.m.add_at_most_one(self.x[k] for k in ks)
        self.n = sum(self.x)
        if board.max_per_sending_body is not None:
            for ks in by_body.values():
                if len(ks) > board.max_per_sending_body:
                    self.m.add(sum(self.x[k] for k in ks) <= board.max_per_sending_body)
        if board.keep_body_leadership:
            for body, ks in by_body.items():
                leaving = [k for k in ks if cands[k].head or cands[k].deputy]
                if not any(cands[k].head for k in ks):
                    continue
                total = (body_leaders or {}).get(body, len({cands[k].cadre for k in leaving}))
                # each leader moves at most once, so the sum counts the leaders who leave
                self.m.add(sum(self.x[k] for k in leaving) <= total - 1)
        self.used: list[Any] = []
        for ks in by_body.values():
            u = self.m.new_bool_var("")
            for k in ks:
                self.m.add_implication(self.x[k], u)
            self.used.append(u)
        self.short: dict[str, Any] = {}
        self.met: dict[str, Any] = {}
        cap = min(len(by_cadre), len(by_post))
        for t in targets:
            if t.kind == "count":
                expr = sum(self.x[k] for k, c in enumerate(cands) if t.category in c.categories)
                need = t.minimum - expr  # shortfall ≥ need
                scale = 1
            else:
                has = sum(self.x[k] for k, c in enumerate(cands) if _has(c, t.category))
                need = t.minimum * self.n - 100 * has  # 100·shortfall ≥ need
                scale = 100
            if t.hard:
                self.m.add(need <= 0)
                continue
            s = self.m.new_int_var(0, max(t.minimum, cap), f"s_{t.key}")
            self.m.add(scale * s >= need)
            met = self.m.new_bool_var(f"met_{t.key}")
            self.m.add(need <= 0).only_enforce_if(met)
            self.m.add(s == 0).only_enforce_if(met)
            self.short[t.key] = s
            self.met[t.key] = met
        self.max_short = sum(max(t.minimum, cap) for t in targets if not t.hard)

    def solve(
        self, objective: Any, seconds: float, workers: int, hint: Sequence[int] | None
    ) -> tuple[Status, int, int, list[int], float]:
        self.m.maximize(objective)
        if hint is not None:
            self.m.clear_hints()  # type: ignore[no-untyped-call]
            chosen = set(hint)
            for k, v in enumerate(self.x):
                self.m.add_hint(v, k in chosen)
        solver = self.cp.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.05, seconds)
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = 65
        started = time.perf_counter()
        code = solver.solve(self.m)
        took = time.perf_counter() - started
        if code == self.cp.OPTIMAL:
            status: Status = "optimal"
        elif code == self.cp.FEASIBLE:
            status = "feasible"
        else:  # pragma: no cover - the empty plan is always feasible; only a time-out lands here
            return "unknown", 0, 0, list(hint or ()), took
        chosen_now = [k for k, v in enumerate(self.x) if solver.boolean_value(v)]
        return (
            status,
            round(solver.objective_value),
            math.floor(solver.best_objective_bound + 1e-6),
            chosen_now,
            took,
        )


def assign(
    candidates: Sequence[Candidate],
    targets: Sequence[Target] = (),
    *,
    board: Board | None = None,
    weights: Weights | None = None,
    time_limit: float = 30.0,
    workers: int = 2,
    explain_conflicts: bool = True,
    body_leaders: Mapping[str, int] | None = None,
) -> Solution:
    """Choose at most one post per cadre and one cadre per post, in the stated order.

    Args:
        candidates: the allowed pairs (the engine's verdicts decide which).
        targets: the plan's targets (counts from the rules, shares from the board).
        board: the board's hard limits.
        weights: level-3 weights (:class:`Weights`).
        time_limit: seconds for all the levels together (each gets what is left).
        workers: CP-SAT search workers.
        explain_conflicts: when some targets are not met, find a small set that conflicts.
        body_leaders: the number of leaders (head and deputies) of each sending body among
            *all* the cadres, for ``board.keep_body_leadership`` (default: those among the
            candidates).

    Returns:
        A :class:`Solution`: the chosen pairs (indices into ``candidates``), whether every
        level was proven optimal, each level's value and bound, the targets and conflicts.
    """
    _check(candidates, targets)
    board = board or Board()
    weights = weights or Weights()
    started = time.perf_counter()
    w = _level3_weights(candidates, weights)
    model = _Model(candidates, targets, board, body_leaders)
    deadline = started + time_limit

    def left() -> float:
        return deadline - time.perf_counter()

    stages: list[Stage] = []
    hint: list[int] | None = None
    soft = [t for t in targets if not t.hard]
    if soft:
        obj1 = (model.max_short + 1) * sum(model.met.values()) - sum(model.short.values())
        st, val, bound, hint, took = model.solve(obj1, left(), workers, hint)
        stages.append(Stage("targets", st, val, bound, took))
        if st != "unknown":
            model.m.add(obj1 >= val)
    st, val, bound, hint, took = model.solve(model.n, left(), workers, hint)
    stages.append(Stage("filled", st, val, bound, took))
    if st != "unknown":
        model.m.add(model.n >= val)
    prefs = [w.priority * c.priority_points + w.service * _service(c) for c in candidates]
    obj3 = sum(p * v for p, v in zip(prefs, model.x, strict=True)) - w.bodies * sum(model.used)
    st, val, bound, hint, took = model.solve(obj3, left(), workers, hint)
    stages.append(Stage("preference", st, val, bound, took))
    chosen = tuple(hint)
    outcomes = outcomes_of(candidates, chosen, targets)
    conflicts: tuple[Conflict, ...] = ()
    if explain_conflicts and any(not o.met for o in outcomes if not o.target.hard):
        conflicts = _conflicts(candidates, targets, board, body_leaders, workers, max(1.0, left()))
    status: Status = "optimal" if all(s.status == "optimal" for s in stages) else "feasible"
    return Solution(
        chosen=chosen,
        status=status,
        stages=tuple(stages),
        targets=outcomes,
        conflicts=conflicts,
        weights=(w.priority, w.service, w.bodies),
        seconds=time.perf_counter() - started,
    )


def _least_shortfall(
    cands: Sequence[Candidate],
    targets: Sequence[Target],
    board: Board,
    leaders: Mapping[str, int] | None,
    key: str,
    enforced: Sequence[str],
    workers: int,
    seconds: float,
) -> int | None:
    """The least shortfall of target ``key`` when the targets ``enforced`` are met."""
    model = _Model(cands, targets, board, leaders)
    for other in enforced:
        model.m.add(model.short[other] == 0)
    st, val, _bound, _chosen, _took = model.solve(-model.short[key], seconds, workers, None)
    if st == "unknown":
        return None
    return -val


def _conflicts(
    cands: Sequence[Candidate],
    targets: Sequence[Target],
    board: Board,
    leaders: Mapping[str, int] | None,
    workers: int,
    seconds: float,
) -> tuple[Conflict, ...]:
    """A small set of soft targets that cannot all be met, from the solver's assumptions.

    CP-SAT's ``sufficient_assumptions_for_infeasibility`` gives a conflicting subset; it is
    then shrunk to a minimal one by dropping one target at a time (a handful of targets).
    A target that cannot be met even alone is its own conflict.
    """
    soft = [t for t in targets if not t.hard]
    budget = seconds / (3 * len(soft) + 2)

    def infeasible(keys: Sequence[str]) -> tuple[bool | None, list[str]]:
        model = _Model(cands, targets, board, leaders)
        lits = {model.met[k].index: k for k in keys}
        model.m.add_assumptions([model.met[k] for k in keys])
        solver = model.cp.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.05, budget)
        solver.parameters.num_workers = 1  # the assumption core needs the single-thread search
        code = solver.solve(model.m)
        if code == model.cp.INFEASIBLE:
            core = [lits[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in lits]
            return True, core or list(keys)
        if code in (model.cp.OPTIMAL, model.cp.FEASIBLE):
            return False, []
        return None, list(keys)

    alone = {
        t.key: _least_shortfall(cands, targets, board, leaders, t.key, (), workers, budget)
        for t in soft
    }
    out: list[Conflict] = []
    remaining = [t.key for t in soft]
    for t in soft:  # targets out of reach even alone
        if alone[t.key]:
            out.append(Conflict((t.key,), {t.key: int(alone[t.key] or 0)}, {t.key: None}, True))
            remaining.remove(t.key)
    found, core = infeasible(remaining) if len(remaining) > 1 else (False, [])
    if found is None:
        out.append(Conflict(tuple(remaining), {}, {}, False))
    elif found:
        core_keys = [k for k in remaining if k in core]
        for k in list(core_keys):
            if len(core_keys) <= 2:
                break
            trial = [x for x in core_keys if x != k]
            still, _ = infeasible(trial)
            if still:
                core_keys = trial
        with_others = {
            k: _least_shortfall(
                cands, targets, board, leaders, k, [o for o in core_keys if o != k], workers, budget
            )
            for k in core_keys
        }
        out.append(
            Conflict(
                tuple(core_keys),
                {k: int(alone[k] or 0) for k in core_keys},
                with_others,
                True,
            )
        )
    return tuple(out)

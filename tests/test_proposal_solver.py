"""The assignment solver against brute force and against scipy's linear_sum_assignment."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from luanchuyen.analysis.proposal import Board, Candidate, SolverName, Target, Weights, assign
from luanchuyen.errors import InputError

CATS = ("district_to_commune", "lateral_transfers")


@st.composite
def instances(draw: st.DrawFn) -> tuple[list[Candidate], list[Target], Board]:
    n_cadres = draw(st.integers(1, 5))
    n_posts = draw(st.integers(1, 4))
    bodies = draw(st.integers(1, 3))
    heads = draw(
        st.lists(st.sampled_from(["head", "deputy", "other"]), min_size=n_cadres, max_size=n_cadres)
    )
    woman = draw(st.lists(st.booleans(), min_size=n_cadres, max_size=n_cadres))
    cands = []
    for i in range(n_cadres):
        for j in range(n_posts):
            if not draw(st.booleans()):
                continue
            cands.append(
                Candidate(
                    cadre=f"c{i}",
                    post=f"p{j}",
                    categories=frozenset(draw(st.sets(st.sampled_from(CATS), max_size=1))),
                    priority_points=draw(st.integers(-1, 3)),
                    remaining_service_months=draw(st.one_of(st.none(), st.integers(0, 700))),
                    sending_body=f"b{i % bodies}",
                    woman=woman[i],
                    review=False,
                    head=heads[i] == "head",
                    deputy=heads[i] == "deputy",
                )
            )
    targets = [
        Target(
            key=c, kind="count", category=c, minimum=draw(st.integers(0, 3)), label_vi=c, label_en=c
        )
        for c in CATS
        if draw(st.booleans())
    ]
    if draw(st.booleans()):
        targets.append(
            Target(
                key="woman",
                kind="share",
                category="woman",
                minimum=draw(st.sampled_from([0, 30, 50, 100])),
                label_vi="nữ",
                label_en="women",
                hard=draw(st.booleans()),
            )
        )
    board = Board(
        max_per_sending_body=draw(st.one_of(st.none(), st.integers(1, 2))),
        keep_body_leadership=draw(st.booleans()),
    )
    return cands, targets, board


def _feasible(
    cands: Sequence[Candidate], chosen: Sequence[int], targets: Sequence[Target], board: Board
) -> bool:
    picked = [cands[k] for k in chosen]
    if len({c.cadre for c in picked}) < len(picked) or len({c.post for c in picked}) < len(picked):
        return False
    per_body: dict[str, int] = {}
    for c in picked:
        per_body[str(c.sending_body)] = per_body.get(str(c.sending_body), 0) + 1
    if board.max_per_sending_body is not None and any(
        v > board.max_per_sending_body for v in per_body.values()
    ):
        return False
    if board.keep_body_leadership:
        for body in {c.sending_body for c in cands}:
            members = {c.cadre: c for c in cands if c.sending_body == body}
            leaders = {k for k, c in members.items() if c.head or c.deputy}
            if any(c.head for c in members.values()) and leaders <= {c.cadre for c in picked}:
                return False
    for t in targets:
        if t.hard and 100 * sum(bool(c.woman) for c in picked) < t.minimum * len(picked):
            return False
    return True


def _key(
    cands: Sequence[Candidate], chosen: Sequence[int], targets: Sequence[Target]
) -> tuple[int, ...]:
    """The stated order, computed directly: met, −shortfall, filled, priority, service, −bodies."""
    picked = [cands[k] for k in chosen]
    met = short = 0
    for t in targets:
        if t.hard:
            continue
        if t.kind == "count":
            s = max(0, t.minimum - sum(t.category in c.categories for c in picked))
        else:
            s = max(
                0,
                math.ceil(
                    (t.minimum * len(picked) - 100 * sum(bool(c.woman) for c in picked)) / 100
                ),
            )
        met += s == 0
        short += s
    service = sum(min(600, c.remaining_service_months or 0) for c in picked)
    return (met, -short, len(picked), sum(c.priority_points for c in picked), service,
            -len({c.sending_body for c in picked}))  # fmt: skip


def _brute(cands: Sequence[Candidate], targets: Sequence[Target], board: Board) -> tuple[int, ...]:
    best: tuple[int, ...] | None = None
    for r in range(len(cands) + 1):
        for chosen in itertools.combinations(range(len(cands)), r):
            if _feasible(cands, chosen, targets, board):
                k = _key(cands, chosen, targets)
                best = k if best is None or k > best else best
    assert best is not None  # the empty plan is always feasible
    return best


@pytest.mark.parametrize("solver", ["highs", "cp-sat"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inst=instances())
def test_plan_is_optimal_for_the_stated_order(
    inst: tuple[list[Candidate], list[Target], Board], solver: SolverName
) -> None:
    cands, targets, board = inst
    sol = assign(cands, targets, board=board, time_limit=20, workers=1, solver=solver)
    assert sol.solver == solver
    assert sol.status == "optimal"
    assert _feasible(cands, sol.chosen, targets, board)
    assert _key(cands, sol.chosen, targets) == _brute(cands, targets, board)
    reported = {o.target.key: o.met for o in sol.targets}
    for t in targets:
        if not t.hard and not reported[t.key]:
            assert any(t.key in c.keys for c in sol.conflicts)  # every unmet target is explained


@pytest.mark.parametrize("solver", ["highs", "cp-sat"])
@settings(max_examples=20, deadline=None)
@given(
    n=st.integers(2, 12),
    m=st.integers(2, 9),
    density=st.floats(0.1, 0.9),
    seed=st.integers(0, 10_000),
)
def test_one_to_one_plan_matches_linear_sum_assignment(
    n: int, m: int, density: float, seed: int, solver: SolverName
) -> None:
    rng = np.random.default_rng(seed)
    ok = rng.random((n, m)) < density
    prio = rng.integers(0, 3, (n, m))
    service = rng.integers(0, 600, n)
    cands = [
        Candidate(
            f"c{i}",
            f"p{j}",
            priority_points=int(prio[i, j]),
            remaining_service_months=int(service[i]),
        )
        for i in range(n)
        for j in range(m)
        if ok[i, j]
    ]
    w = Weights(priority=1000, service=1, bodies=0)
    sol = assign(cands, (), weights=w, time_limit=20, workers=1, solver=solver)
    value = 1000 * prio + service[:, None]
    big = int(value.max()) * min(n, m) + 1  # one more post filled outweighs any preference
    gain = np.where(ok, big + value, 0)
    rows, cols = linear_sum_assignment(gain, maximize=True)
    lsa = [(int(i), int(j)) for i, j in zip(rows, cols, strict=True) if ok[i, j]]
    picked = [(int(cands[k].cadre[1:]), int(cands[k].post[1:])) for k in sol.chosen]
    assert len(picked) == len(lsa)
    assert sum(int(value[i, j]) for i, j in picked) == sum(int(value[i, j]) for i, j in lsa)
    assert sol.status == "optimal"


@pytest.mark.parametrize("solver", ["highs", "cp-sat"])
def test_a_target_out_of_reach_is_its_own_conflict(solver: SolverName) -> None:
    cands = [Candidate("a", "p1", frozenset({"district_to_commune"})), Candidate("b", "p2")]
    t = Target("district_to_commune", "count", "district_to_commune", 3, "luân chuyển", "rotation")
    sol = assign(cands, [t], solver=solver)
    assert [o.met for o in sol.targets] == [False]
    assert sol.targets[0].achieved == 1 and sol.targets[0].shortfall == 2
    assert [(c.keys, dict(c.alone)) for c in sol.conflicts] == [
        (("district_to_commune",), {"district_to_commune": 2})
    ]
    assert len(sol.chosen) == 2  # the best plan without the target still fills both posts


@pytest.mark.parametrize("solver", ["highs", "cp-sat"])
def test_two_targets_that_compete_for_the_same_posts_conflict_together(solver: SolverName) -> None:
    both = frozenset({"district_to_commune"}), frozenset({"lateral_transfers"})
    cands = [Candidate(f"c{i}", f"p{j}", both[i % 2]) for i in range(6) for j in range(3)]
    targets = [
        Target("district_to_commune", "count", "district_to_commune", 2, "a", "a"),
        Target("lateral_transfers", "count", "lateral_transfers", 2, "b", "b"),
        Target("woman", "share", "woman", 0, "nữ", "women"),
    ]
    sol = assign(cands, targets, solver=solver)
    assert sum(o.met for o in sol.targets) == 2
    (conflict,) = sol.conflicts
    assert set(conflict.keys) == {"district_to_commune", "lateral_transfers"} and conflict.proven
    assert dict(conflict.alone) == {"district_to_commune": 0, "lateral_transfers": 0}
    assert set(conflict.with_others.values()) == {1}


def test_targets_are_met_whenever_they_can_be() -> None:
    cands = [Candidate("a", "p1", frozenset({"lateral_transfers"}), priority_points=0),
             Candidate("a", "p2", priority_points=5), Candidate("b", "p2", frozenset({"lateral_transfers"}))]  # fmt: skip
    t = Target("lateral_transfers", "count", "lateral_transfers", 2, "b", "b")
    sol = assign(cands, [t])
    assert sol.targets[0].met and not sol.conflicts
    assert sorted(sol.chosen) == [0, 2]  # the priority of (a, p2) does not outrank the quota


def test_bad_targets_and_duplicate_pairs_are_input_errors() -> None:
    with pytest.raises(InputError, match="hai lần"):
        assign([Candidate("a", "p"), Candidate("a", "p")])
    with pytest.raises(InputError, match="cứng"):
        assign([Candidate("a", "p")], [Target("x", "count", "x", 1, "x", "x", hard=True)])
    with pytest.raises(InputError, match="cp-sat"):
        assign([Candidate("a", "p")], solver="glpk")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="không hợp lệ"):
        assign([Candidate("a", "p")], [Target("w", "share", "woman", 120, "w", "w")])


def test_weights_points_count_each_ground_once_and_the_review_penalty() -> None:
    w = Weights()
    assert w.points(["age_months", "age_months", "htxs_during_rotation"], review=False) == 2
    assert w.points(["planned_for_target"], review=True) == 0
    assert Weights(grounds={}, other_ground=2).points(["x"], review=False) == 2

"""The candidate search: every (cadre, post) verdict equal to the reference backend's.

Pairs are checked one by one against ``evaluate(..., backend="reference")`` on a full
200 × 50 population and on a random sample of 10,000 pairs of a larger one; the ranking
against :func:`luanchuyen.ranking.rank_candidates`; the registry's dependency classes on
derived facts.
"""

from __future__ import annotations

import random
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import luanchuyen
from luanchuyen import evaluate, load_rules
from luanchuyen.analysis.candidates import CODES, CandidateSearch, candidates
from luanchuyen.analysis.ranking import rank_candidates
from luanchuyen.batch import evaluate_many
from luanchuyen.errors import InputError
from luanchuyen.facts import derive_facts
from luanchuyen.facts.registry import FACTS
from luanchuyen.models import Cadre, Move, Position

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from synth import AS_OF, population


def _people(n_cadres: int, n_posts: int, seed: int) -> tuple[list[Cadre], list[Position]]:
    pop = population(n_cadres + n_posts, seed=seed)
    cadres = [Cadre.model_validate(c) for c, _ in pop[:n_cadres]]
    posts = [Position.model_validate(m["target"]) for _, m in pop[n_cadres:]]
    return cadres, posts


def _reference(res: CandidateSearch, cadre: Cadre, j: int, rules: Any = None) -> int:
    try:
        d = evaluate(cadre, res.move(j), as_of=res.as_of, rules=rules, backend="reference")
    except InputError:
        return CODES.index("error")
    return CODES.index(d.verdict.value)


@pytest.fixture(scope="module")
def small() -> tuple[list[Cadre], list[Position]]:
    return _people(200, 50, seed=14)


def test_every_pair_of_200_x_50_equals_the_reference(small: Any) -> None:
    cadres, posts = small
    res = candidates(cadres, posts, as_of=AS_OF, kind="luan_chuyen")
    assert res.verdicts.shape == (200, 50)
    bad = [
        (i, j)
        for i in range(200)
        for j in range(50)
        if _reference(res, cadres[i], j) != res.verdicts[i, j]
    ]
    assert bad == []
    counts = res.counts()
    assert sum(counts.values()) == 10_000
    assert min(counts["needs_review"], counts["unknown"], counts["not_eligible"]) > 0


@pytest.mark.parametrize(
    ("kind", "pack", "move"),
    [
        ("dieu_dong", "qd65", {}),
        ("chuyen_doi_vi_tri", "qd65", {"planned_start": "01/07/2024"}),
        ("luan_chuyen", "chi-lang-2024", {"planned_start": "01/07/2024", "planned_end": "30/06/2027"}),
        ("biet_phai", "qd65", {"decision_date": "15/08/2024", "special_case_requested": True}),
    ],
)  # fmt: skip
def test_kinds_packs_and_move_fields_equal_the_reference(
    small: Any, kind: str, pack: str, move: dict[str, Any]
) -> None:
    cadres, posts = small[0][:60], small[1][:20]
    rules = load_rules(pack)
    res = candidates(cadres, posts, as_of=AS_OF, kind=kind, move=move, rules=rules)
    got = [int(res.verdicts[i, j]) for i in range(60) for j in range(20)]
    want = [_reference(res, cadres[i], j, rules) for i in range(60) for j in range(20)]
    assert got == want


def test_a_sample_of_a_large_population_equals_the_reference() -> None:
    cadres, posts = _people(4_000, 200, seed=65)
    res = candidates(cadres, posts, as_of=AS_OF, kind="luan_chuyen")
    rng = random.Random(7)
    sample = [(rng.randrange(4_000), rng.randrange(200)) for _ in range(10_000)]
    bad = [(i, j) for i, j in sample if _reference(res, cadres[i], j) != res.verdicts[i, j]]
    assert bad == []


def test_the_ranking_is_rank_candidates_order(small: Any) -> None:
    cadres, posts = small
    res = candidates(cadres, posts[:8], as_of=AS_OF)
    for j in range(8):
        m = res.move(j)
        frame = evaluate_many([(c, m) for c in cadres], as_of=AS_OF, reasons=False)
        listed = frame.loc[frame["verdict"].isin(["eligible", "needs_review"])]
        want = [int(r) for r in rank_candidates(listed)["row"]]
        assert res.ranked(j) == want
        pos = {
            (int(a), int(b)): k
            for k, (a, b) in enumerate(zip(res.pair_cadre, res.pair_post, strict=True))
        }
        ranked = rank_candidates(listed)
        for row, count in zip(ranked["row"], ranked["priority_count"], strict=True):
            assert res.pair_priority[pos[(int(row), j)]] == count
    if res.ranked(0):
        full = res.ranked_frame(0)
        assert list(full["cadre_row"]) == res.ranked(0)
        assert full["explanation_vi"].str.len().min() > 0
    with pytest.raises(ValueError, match="ranked"):
        res.ranked(0, verdicts=("not_eligible",))


def test_decision_on_demand_is_evaluate(small: Any) -> None:
    cadres, posts = small
    res = candidates(cadres[:20], posts[:5], as_of=AS_OF)
    for i, j in [(0, 0), (3, 4), (19, 2)]:
        d = res.decision(i, j, backend="reference")
        want = evaluate(cadres[i], res.move(j), as_of=AS_OF, backend="reference")
        assert d.model_dump() == want.model_dump()
        assert CODES[res.verdicts[i, j]] == d.verdict.value


def test_bad_records_are_error_rows_and_columns_with_their_error(small: Any) -> None:
    cadres, posts = small
    born_later = cadres[1].model_copy(update={"date_of_birth": date(2025, 1, 1)})
    people: list[Any] = [cadres[0], {"id": "X", "name": "Sai", "gender": "?"}, born_later]
    targets: list[Any] = [posts[0], {"title": "Không cấp"}, posts[1]]
    res = candidates(people, targets, as_of=AS_OF)
    err = CODES.index("error")
    assert (res.verdicts[1] == err).all() and (res.verdicts[:, 1] == err).all()
    assert (res.verdicts[2] == err).all()  # refused by derive_facts: the row path's error
    assert res.fallback_pairs >= 2
    assert isinstance(res.errors[("cadre", 1)], InputError)
    assert isinstance(res.errors[("post", 1)], InputError)
    with pytest.raises(InputError):
        res.decision(1, 0)
    with pytest.raises(InputError):
        res.decision(2, 0, backend="reference")
    assert res.verdicts[0, 0] == _reference(res, cadres[0], 0)


def test_arrow_parquet_and_frames(small: Any, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    cadres, posts = small
    res = candidates(cadres[:40], posts[:10], as_of=AS_OF)
    table = res.to_arrow()
    assert table.num_rows == len(res.pair_cadre)
    out = tmp_path / "ung-vien.parquet"
    res.write_parquet(out, every_pair=True)
    back = pq.read_table(out).to_pandas()
    assert len(back) == 400
    assert list(back["verdict"].astype(str)) == [CODES[v] for v in res.verdicts.ravel()]
    assert [p.name for p in tmp_path.iterdir()] == ["ung-vien.parquet"]
    frame = res.frame(["not_eligible"])
    assert len(frame) == res.counts()["not_eligible"]
    assert set(frame["verdict"]) <= {"not_eligible"}


def test_public_name() -> None:
    assert "candidates" in luanchuyen.__all__
    assert luanchuyen.candidates is candidates


def test_registry_dependency_classes_hold_on_derived_facts(small: Any) -> None:
    """A cadre or move fact does not change with the target; a post or move fact does not
    change with the cadre (the classes the search relies on)."""
    cadres, posts = small
    assert {spec.depends for spec in FACTS.values()} == {"move", "cadre", "post", "pair"}
    seen = dict.fromkeys(FACTS, False)
    for kind in ("luan_chuyen", "dieu_dong"):
        moves = [Move(kind=kind, target=p) for p in posts[:12]]
        grid: list[list[dict[str, Any] | None]] = []
        for c in cadres[:40]:
            row: list[dict[str, Any] | None] = []
            for m in moves:
                try:
                    row.append(dict(derive_facts(c, m, AS_OF, {}).facts))
                except InputError:
                    row.append(None)
            grid.append(row)
        for name, spec in FACTS.items():
            for i, row in enumerate(grid):
                for j, facts in enumerate(row):
                    if facts is None:
                        continue
                    other_post = row[(j + 1) % len(row)]
                    other_cadre = grid[(i + 1) % len(grid)][j]
                    if spec.depends in ("move", "cadre") and other_post is not None:
                        assert facts.get(name) == other_post.get(name), name
                    if spec.depends in ("move", "post") and other_cadre is not None:
                        assert facts.get(name) == other_cadre.get(name), name
                    seen[name] |= name in facts
    assert sum(seen.values()) > 40


def test_small_chunks_give_the_same_result(small: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pair facts and the pairs are worked in chunks; the chunking changes nothing."""
    import luanchuyen.analysis.candidates as mod

    cadres, posts = small
    whole = candidates(cadres[:80], posts[:30], as_of=AS_OF)
    monkeypatch.setattr(mod, "_COMBO_CHUNK", 7)
    monkeypatch.setattr(mod, "_CHUNK_PAIRS", 100)
    chunked = candidates(cadres[:80], posts[:30], as_of=AS_OF)
    assert (chunked.verdicts == whole.verdicts).all()
    assert chunked.pair_priority.tolist() == whole.pair_priority.tolist()

"""The candidate search: every (cadre, post) verdict equal to the reference backend's.

Pairs are checked one by one against the reference backend on a full 200 × 50 population
(the national packs, the state pack ``nha-nuoc`` included) and on smaller grids for every
move kind, dates before and after the reform of 01/07/2025 and the Chi Lăng overlay; on a
random sample of a larger population; the ranking against
:func:`luanchuyen.ranking.rank_candidates`; the registry's dependency classes on derived
facts. ``make bench`` checks the 10,000-pair sample of the 20,000 × 500 population.

The reference verdict of a pair is the reference backend's rule states combined by
:func:`luanchuyen.verdict.combine`, as :func:`luanchuyen.decision.assemble` combines them
(checked against ``evaluate`` itself on a sample): building a full Decision for each of the
tens of thousands of pairs would cost minutes here.
"""

from __future__ import annotations

import random
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import luanchuyen
from factories import base_cadre
from luanchuyen import evaluate, load_rules
from luanchuyen.analysis.candidates import CODES, CandidateSearch, candidates
from luanchuyen.analysis.ranking import rank_candidates
from luanchuyen.batch import evaluate_many
from luanchuyen.errors import InputError
from luanchuyen.evaluation import default_rules, get_backend, prepare
from luanchuyen.facts import derive_facts
from luanchuyen.facts.inputs import FACT_INPUTS
from luanchuyen.facts.registry import FACTS
from luanchuyen.models import Cadre, Move, Position
from luanchuyen.ruleset.compile import RuleSet
from luanchuyen.verdict import combine, rule_severities

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from candidates_bench import people as _people
from synth import AS_OF

#: After the reform of 01/07/2025: NĐ 170/2025 bars, QĐ 368 equivalence (from 08/09/2025).
AFTER_REFORM = date(2026, 3, 1)
_REFERENCE = get_backend("reference")


def _reference(res: CandidateSearch, cadre: Cadre, j: int, rules: RuleSet | None = None) -> int:
    """The reference backend's verdict code of (cadre, post j), ``error`` when refused."""
    try:
        _, _, _, compiled, derived = prepare(cadre, res.move(j), as_of=res.as_of, rules=rules)
    except InputError:
        return CODES.index("error")
    states = _REFERENCE.states(compiled, derived.facts)
    severities = [
        rule_severities(
            r.effect,
            r.source.spec.exception.effect if r.source.spec.exception is not None else None,
            states[r.id],
        )
        for r in compiled.rules
    ]
    return CODES.index(combine(severities).verdict.value)


def _mismatches(res: CandidateSearch, cadres: list[Cadre], rules: RuleSet | None = None) -> Any:
    n_c, n_p = res.shape
    return [
        (i, j, CODES[int(res.verdicts[i, j])])
        for i in range(n_c)
        for j in range(n_p)
        if _reference(res, cadres[i], j, rules) != res.verdicts[i, j]
    ]


@pytest.fixture(scope="module")
def small() -> tuple[list[Cadre], list[Position]]:
    return _people(200, 50, seed=14)


def test_the_reference_verdict_here_is_evaluate(small: Any) -> None:
    cadres, posts = small
    res = candidates(cadres[:12], posts[:6], as_of=AFTER_REFORM, kind="dieu_dong")
    for i, j in [(i, j) for i in range(12) for j in range(6)][::6]:
        d = evaluate(cadres[i], res.move(j), as_of=AFTER_REFORM, backend="reference")
        assert CODES.index(d.verdict.value) == _reference(res, cadres[i], j)


def test_every_pair_of_200_x_50_equals_the_reference(small: Any) -> None:
    cadres, posts = small
    res = candidates(cadres, posts, as_of=AS_OF, kind="luan_chuyen")
    assert res.verdicts.shape == (200, 50)
    assert "nha-nuoc" in default_rules().pack_ids
    assert _mismatches(res, cadres) == []
    counts = res.counts()
    assert sum(counts.values()) == 10_000
    assert min(counts["needs_review"], counts["unknown"], counts["not_eligible"]) > 0


@pytest.mark.parametrize(
    ("day", "kind", "pack", "move"),
    [
        (AFTER_REFORM, "dieu_dong", None, {}),
        (AFTER_REFORM, "luan_chuyen", None, {"planned_start": "01/04/2026", "planned_end": "31/03/2029"}),
        (date(2025, 8, 1), "biet_phai", None, {"decision_date": "15/08/2025"}),
        (date(2026, 8, 1), "chuyen_doi_vi_tri", None, {"planned_start": "01/09/2026"}),
        (AS_OF, "dieu_dong", None, {"own_request": True}),
        (AS_OF, "biet_phai", None, {"decision_date": "15/08/2024", "special_case_requested": True}),
        (AS_OF, "luan_chuyen", "chi-lang-2024", {"planned_start": "01/07/2024", "planned_end": "30/06/2027"}),
        (AS_OF, "dieu_dong", "chi-lang-2024", {}),
    ],
)  # fmt: skip
def test_kinds_dates_packs_and_move_fields_equal_the_reference(
    small: Any, day: date, kind: str, pack: str | None, move: dict[str, Any]
) -> None:
    cadres, posts = small[0][:60], small[1][:20]
    rules = load_rules(pack) if pack else None
    res = candidates(cadres, posts, as_of=day, kind=kind, move=move, rules=rules)
    assert _mismatches(res, cadres, rules) == []


def test_a_sample_of_a_larger_population_equals_the_reference() -> None:
    cadres, posts = _people(1_500, 150, seed=65)
    res = candidates(cadres, posts, as_of=AFTER_REFORM, kind="dieu_dong")
    rng = random.Random(7)
    sample = [(rng.randrange(1_500), rng.randrange(150)) for _ in range(2_000)]
    bad = [(i, j) for i, j in sample if _reference(res, cadres[i], j) != res.verdicts[i, j]]
    assert bad == []


def test_other_posts_held_are_part_of_the_pair(small: Any) -> None:
    """Two cadres alike but for another post held: QĐ 368 ranks a person by the highest
    post, so the same target is higher for one and equivalent for the other."""
    post = {"title": "Phó Chủ tịch UBND xã", "title_code": "pho_chu_tich_ubnd", "level": "xa",
            "role": "cap_pho", "since": "01/01/2020"}  # fmt: skip
    held = {**post, "other_posts": [{"title_code": "chu_tich_ubnd", "level": "xa"}]}
    one = Cadre.model_validate(base_cadre(id="A", current_post=post))
    two = Cadre.model_validate(base_cadre(id="B", current_post=held))
    target = Position.model_validate({"title": "Chủ tịch UBND xã", "title_code": "chu_tich_ubnd",
                                      "level": "xa", "vacant": True})  # fmt: skip
    move = {"planned_start": "01/07/2024", "planned_end": "01/07/2027"}
    res = candidates([one, two], [target], as_of=AS_OF, kind="luan_chuyen", move=move)
    params = default_rules().compiled(AS_OF).params
    relations = [
        derive_facts(c, res.move(0), AS_OF, params).facts.get("target_relation") for c in (one, two)
    ]
    assert relations == ["higher", "equivalent"]
    assert _mismatches(res, [one, two]) == []
    assert res.verdicts[0, 0] != res.verdicts[1, 0]


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
    assert any(res.ranked(j) for j in range(8))
    j = next(j for j in range(8) if res.ranked(j))
    full = res.ranked_frame(j)
    assert list(full["cadre_row"]) == res.ranked(j)
    assert full["explanation_vi"].str.len().min() > 0
    with pytest.raises(ValueError, match="ranked"):
        res.ranked(0, verdicts=("not_eligible",))


def test_decision_on_demand_is_evaluate(small: Any) -> None:
    cadres, posts = small
    res = candidates(cadres[:20], posts[:5], as_of=AFTER_REFORM, kind="dieu_dong")
    for i, j in [(0, 0), (3, 4), (19, 2)]:
        d = res.decision(i, j, backend="reference")
        want = evaluate(cadres[i], res.move(j), as_of=AFTER_REFORM, backend="reference")
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


def _path_class(paths: tuple[str, ...]) -> set[str]:
    out = set()
    for p in paths:
        if p.startswith("move.target."):
            out.add("post")
        elif p.startswith("cadre."):
            out.add("cadre")
        elif p.startswith("move."):
            out.add("move")
    return out


def test_registry_classes_agree_with_the_fact_inputs() -> None:
    """Where :data:`FACT_INPUTS` names a fact's input fields, they give the same class."""
    for name, paths in FACT_INPUTS.items():
        sides = _path_class(paths)
        if {"cadre", "post"} <= sides:
            want = "pair"
        elif "post" in sides:
            want = "post"
        elif "cadre" in sides:
            want = "cadre"
        else:
            want = "move"
        assert FACTS[name].depends == want, name


@pytest.mark.parametrize("day", [AS_OF, AFTER_REFORM])
def test_registry_dependency_classes_hold_on_derived_facts(small: Any, day: date) -> None:
    """A cadre or move fact does not change with the target; a post or move fact does not
    change with the cadre (the classes the search relies on), with the parameters of the
    rules in force (the state pack's look-back, QĐ 368 equivalence…)."""
    cadres, posts = small
    params = default_rules().compiled(day).params
    assert {spec.depends for spec in FACTS.values()} == {"move", "cadre", "post", "pair"}
    seen = dict.fromkeys(FACTS, False)
    for kind in ("luan_chuyen", "dieu_dong", "biet_phai"):
        moves = [Move(kind=kind, target=p, own_request=True) for p in posts[:12]]
        grid: list[list[dict[str, Any] | None]] = []
        for c in cadres[:40]:
            row: list[dict[str, Any] | None] = []
            for m in moves:
                try:
                    row.append(dict(derive_facts(c, m, day, params).facts))
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
    assert sum(seen.values()) > 60


def test_small_chunks_give_the_same_result(small: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pair facts and the pairs are worked in chunks; the chunking changes nothing."""
    import luanchuyen.analysis.candidates as mod

    cadres, posts = small
    whole = candidates(cadres[:80], posts[:30], as_of=AS_OF)
    monkeypatch.setattr(mod, "_COMBO_CHUNK", 7)
    monkeypatch.setattr(mod, "_CHUNK_PAIRS", 100)
    monkeypatch.setattr(mod, "_TABLE_CHUNK", 5)
    chunked = candidates(cadres[:80], posts[:30], as_of=AS_OF)
    assert (chunked.verdicts == whole.verdicts).all()
    assert chunked.pair_priority.tolist() == whole.pair_priority.tolist()


def test_tables_in_as_the_sheet_readers_read_them() -> None:
    """A cadre table and a post table (read_table) give what their rows as models give."""
    from luanchuyen.io import tables
    from luanchuyen.records.frames import records

    root = Path(__file__).resolve().parents[1] / "examples"
    cadres, posts = (
        tables.read_table(root / "cadres.xlsx"),
        tables.read_table(root / "positions.xlsx"),
    )
    rules = load_rules("chi-lang-2024")
    from_tables = luanchuyen.candidates(
        cadres, posts, as_of="01/06/2024", rules=rules, kind="dieu_dong"
    )
    people = [r.cadre for r in records(cadres, "cadre")]
    places = [r.position for r in records(posts, "position")]
    from_rows = luanchuyen.candidates(
        people, places, as_of="01/06/2024", rules=rules, kind="dieu_dong"
    )
    assert (from_tables.verdicts == from_rows.verdicts).all()
    assert from_tables.counts() == from_rows.counts() and from_tables.counts()["eligible"] > 0

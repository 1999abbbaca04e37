"""propose_plan on the bundled Chi Lăng sheets, its outputs and the ``luanchuyen plan`` command."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import luanchuyen as lc
from luanchuyen.analysis.proposal import BoardConstraints, Plan, move_kind_for, propose_plan
from luanchuyen.cli import _register, app
from luanchuyen.io import tables
from luanchuyen.models import Level

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
AS_OF = date(2024, 6, 1)
MOVE = {"job_position_fit": True, "sending_unit_assessed": True}
runner = CliRunner()
_register()


@pytest.fixture(scope="module")
def sheets() -> tuple[Any, Any]:
    return tables.read_table(EXAMPLES / "cadres.xlsx"), tables.read_table(
        EXAMPLES / "positions.xlsx"
    )


@pytest.fixture(scope="module")
def chi_lang() -> lc.RuleSet:
    return lc.load_rules("chi-lang-2024")


@pytest.fixture(scope="module")
def plan(sheets: tuple[Any, Any], chi_lang: lc.RuleSet) -> Plan:
    return propose_plan(*sheets, as_of=AS_OF, rules=chi_lang, time_limit=10)


def test_move_kind_follows_from_the_levels() -> None:
    assert move_kind_for(Level.HUYEN, Level.XA).value == "luan_chuyen"
    assert move_kind_for(Level.XA, Level.HUYEN).value == "luan_chuyen"
    assert move_kind_for(Level.XA, Level.XA).value == "dieu_dong"
    assert move_kind_for(Level.HUYEN, Level.HUYEN).value == "dieu_dong"


def test_only_eligible_pairs_one_to_one_with_the_derived_kind(
    plan: Plan, sheets: tuple[Any, Any]
) -> None:
    assert plan.status == "optimal" and plan.gap == 0
    assert plan.assignments and all(a.verdict == "eligible" for a in plan.assignments)
    assert all(a.decision.verdict.value == "eligible" for a in plan.assignments)
    assert len({a.cadre_id for a in plan.assignments}) == len(plan.assignments)
    assert len({a.post_id for a in plan.assignments}) == len(plan.assignments)
    levels = {
        r.cadre["id"]: r.cadre["current_post"]["level"] for r in tables.records(sheets[0], "cadre")
    }
    posts = {r.position["id"]: r.position["level"] for r in tables.records(sheets[1], "position")}
    for a in plan.assignments:
        assert a.move_kind == move_kind_for(levels[a.cadre_id], posts[a.post_id]).value
        assert a.decision.move_kind == a.move_kind
        assert a.current_body != a.post_body
    # CL-29 already holds VT-08's title in that very body: no move, never a candidate
    assert ("CL-29", "VT-08") not in {(c.cadre, c.post) for c in plan.candidates}


def test_targets_come_from_the_overlay_parameters(plan: Plan) -> None:
    got = {
        o.target.key: (o.target.parameter, o.target.minimum, o.target.citation)
        for o in plan.targets
    }
    assert got["district_to_commune"][:2] == ("quota_district_to_commune", 4)
    assert got["lateral_transfers"][:2] == ("quota_lateral_transfers", 5)
    assert "Mục III.1" in str(got["district_to_commune"][2])
    counted = {k: sum(k in a.categories for a in plan.assignments) for k in got}
    assert counted == {o.target.key: o.achieved for o in plan.targets}


def test_unmet_targets_are_explained_never_raised(plan: Plan) -> None:
    assert len(plan.assignments) == 8 and not plan.unfilled
    unmet = {o.target.key for o in plan.targets if not o.met}
    assert unmet  # 8 posts cannot hold the Chi Lăng 4 + 5
    assert unmet <= {k for c in plan.conflicts for k in c.keys}
    for c in plan.conflicts:
        assert "không thể" in plan.conflict_text(c)


def test_without_the_overlay_there_is_no_target(sheets: tuple[Any, Any]) -> None:
    plan = propose_plan(*sheets, as_of=AS_OF, rules=lc.load_rules(), time_limit=10)
    assert plan.targets == () and plan.conflicts == ()
    after = propose_plan(
        *sheets, as_of=date(2025, 7, 1), rules=lc.load_rules("chi-lang-2024"), time_limit=10
    )
    assert after.targets == ()  # the overlay ends on 30/06/2025: its quotas with it


def test_review_pairs_only_when_allowed_and_marked(
    sheets: tuple[Any, Any], chi_lang: lc.RuleSet, plan: Plan
) -> None:
    assert not any(c.review for c in plan.candidates)
    wide = propose_plan(*sheets, as_of=AS_OF, rules=chi_lang, allow_review=True, time_limit=10)
    assert any(c.review for c in wide.candidates)
    for a in wide.assignments:
        assert a.verdict in {"eligible", "needs_review"}
        assert a.needs_review == (a.verdict == "needs_review")
        if a.needs_review:
            assert "cần cấp có thẩm quyền xem xét" in a.reason_vi()


def test_board_constraints(sheets: tuple[Any, Any], chi_lang: lc.RuleSet) -> None:
    board = BoardConstraints(
        max_per_sending_body=1, keep_body_leadership=True, min_share_women=50, shares_hard=True
    )
    plan = propose_plan(*sheets, as_of=AS_OF, rules=chi_lang, board=board, time_limit=10)
    bodies = [a.current_body for a in plan.assignments]
    assert len(bodies) == len(set(bodies))
    women = sum(a.decision.facts.get("gender") == "nu" for a in plan.assignments)
    assert 100 * women >= 50 * len(plan.assignments)
    share = next(o for o in plan.targets if o.target.key == "woman")
    assert share.target.hard and share.target.source == "board" and share.met


def test_no_commune_secretary_in_the_home_commune(chi_lang: lc.RuleSet) -> None:
    cadre = {"id": "A", "name": "Nguyễn Văn A", "gender": "nam", "date_of_birth": "01/01/1985",
             "disciplines": [], "under_disciplinary_review": False, "under_investigation": False,
             "rotation_history": [],
             "current_post": {"title": "Phó Bí thư xã", "title_code": "pho_bi_thu", "level": "xa",
                              "body": "Đảng ủy xã Y Tịch", "role": "cap_pho", "since": "01/01/2015"}}  # fmt: skip
    post = {"id": "P", "title": "Bí thư xã Quang Lang", "title_code": "bi_thu", "level": "xa",
            "body": "Đảng ủy xã Quang Lang", "locality": "xã Quang Lang", "vacant": True}  # fmt: skip
    free = propose_plan(
        [cadre], [post], as_of=AS_OF, rules=chi_lang, allow_review=True, time_limit=5, move=MOVE
    )
    assert [(c.cadre, c.post) for c in free.candidates] == [("A", "P")]
    board = BoardConstraints(non_local_secretary=True, home_communes={"A": "Xã Quang Lang"})
    held = propose_plan(
        [cadre],
        [post],
        as_of=AS_OF,
        rules=chi_lang,
        allow_review=True,
        board=board,
        time_limit=5,
        move=MOVE,
    )
    assert not held.candidates and not held.assignments
    assert "Chỉ thị 45" in held.unfilled[0].reason_vi
    elsewhere = BoardConstraints(non_local_secretary=True, home_communes={"A": "xã Y Tịch"})
    moved = propose_plan(
        [cadre],
        [post],
        as_of=AS_OF,
        rules=chi_lang,
        allow_review=True,
        board=elsewhere,
        time_limit=5,
        move=MOVE,
    )
    assert [a.cadre_id for a in moved.assignments] == ["A"] and moved.assignments[0].needs_review


def test_an_unfillable_post_says_why(chi_lang: lc.RuleSet, sheets: tuple[Any, Any]) -> None:
    post = {"id": "X", "title": "Giám đốc Sở Nội vụ", "title_code": "giam_doc_so", "level": "tinh",
            "body": "Sở Nội vụ"}  # fmt: skip
    plan = propose_plan(sheets[0], [post], as_of=AS_OF, rules=chi_lang, time_limit=5)
    (unfilled,) = plan.unfilled
    assert unfilled.candidates == 0 and unfilled.evaluated == 30
    assert (
        unfilled.reason_vi.startswith("không có ứng viên đủ điều kiện")
        and "vướng nhiều nhất" in unfilled.reason_vi
    )
    assert unfilled.blocking and all(n > 0 for _, n in unfilled.blocking)


def test_bad_rows_are_reported_not_dropped(chi_lang: lc.RuleSet) -> None:
    good = {"id": "P", "title": "Phó Chủ tịch UBND xã", "level": "xa", "body": "UBND xã A"}
    plan = propose_plan(
        [{"id": "B", "name": "x"}], [good, {"title": "no level"}], as_of=AS_OF, rules=chi_lang
    )
    assert [e[0] for e in plan.input_errors] == ["cadre #1", "position #2"]
    assert plan.assignments == () and len(plan.unfilled) == 1


def test_alternatives_and_outputs(plan: Plan, tmp_path: Path) -> None:
    assert plan.alternatives
    for alt in plan.alternatives:
        proposed = {a.post_id: a.cadre_id for a in plan.assignments}
        assert alt.cadre_id != proposed.get(alt.post_id)
    out = plan.write(tmp_path / "ke-hoach.xlsx")
    wb = load_workbook(out)
    assert wb.sheetnames == [
        "Phương án",
        "Vị trí chưa bố trí",
        "Chỉ tiêu",
        "Phương án thay thế",
        "Tóm tắt",
    ]
    assert wb["Phương án"]["B1"].value == "Mã cán bộ" and wb["Phương án"].max_row == 9
    assert [p.name for p in tmp_path.iterdir()] == ["ke-hoach.xlsx"]  # no temporary file left
    data = json.loads(plan.write(tmp_path / "ke-hoach.json").read_text(encoding="utf-8"))
    assert data["status"] == "optimal" and len(data["assignments"]) == 8
    assert data["assignments"][0]["decision"]["verdict"] == "eligible"
    html = plan._repr_html_()
    assert "Phương án bố trí cán bộ" in html and "Chưa đạt" in html
    assert "Phương án bố trí tại ngày 01/06/2024" in plan.explain()
    with pytest.raises(lc.InputError):
        plan.write(tmp_path / "ke-hoach.pdf")


def test_cli_plan_writes_the_workbook(tmp_path: Path) -> None:
    out = tmp_path / "ke-hoach.xlsx"
    result = runner.invoke(
        app,
        ["plan", str(EXAMPLES / "cadres.xlsx"), str(EXAMPLES / "positions.xlsx"), "--as-of", "2024-06-01",
         "--rules", "chi-lang-2024", "--out", str(out), "--max-per-body", "1", "--time-limit", "10"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "8 vị trí được bố trí" in result.output and out.exists()
    bad = runner.invoke(
        app,
        ["plan", str(EXAMPLES / "cadres.xlsx"), str(EXAMPLES / "positions.xlsx"), "--as-of", "2024-06-01",
         "--out", str(out), "--home-column", "Quê quán"],
    )  # fmt: skip
    assert bad.exit_code == 2 and "Quê quán" in bad.output


def test_propose_plan_is_public() -> None:
    assert lc.propose_plan is propose_plan
    assert "propose_plan" in lc.__all__


def test_the_notebook_builds_a_plan_from_the_bundled_sheets() -> None:
    import nbformat

    source = "\n".join(
        c.source for c in nbformat.read(EXAMPLES / "notebook.ipynb", as_version=4).cells
    )
    assert "propose_plan(cadres, positions, as_of=AS_OF" in source and ".write(" in source


def test_cli_plan_reads_a_database(tmp_path: Path) -> None:
    """Issue 15: the plan reads the same inputs as batch, a database among them."""
    import sqlite3

    db = tmp_path / "can-bo.db"
    with sqlite3.connect(db) as conn:
        tables.read_table(EXAMPLES / "cadres.xlsx").to_sql("can_bo", conn, index=False)
        tables.read_table(EXAMPLES / "positions.xlsx").to_sql("vi_tri", conn, index=False)
    out = tmp_path / "ke-hoach.json"
    result = runner.invoke(
        app,
        ["plan", "can_bo", "vi_tri", "--db", f"sqlite:///{db}", "--as-of", "2024-06-01",
         "--rules", "chi-lang-2024", "--out", str(out), "--max-per-body", "1", "--time-limit", "10"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "8 vị trí được bố trí" in result.output
    assert len(json.loads(out.read_text(encoding="utf-8"))["assignments"]) == 8
    missing = runner.invoke(
        app,
        ["plan", "can_bo", "khong_co", "--db", f"sqlite:///{db}", "--as-of", "2024-06-01",
         "--out", str(out)],
    )  # fmt: skip
    assert missing.exit_code == 2 and "table_file" in missing.output


def test_the_verdicts_of_the_plan_are_the_engines(
    sheets: tuple[Any, Any], chi_lang: lc.RuleSet
) -> None:
    """The candidate search gives the plan the verdict evaluate_many gives every pair."""
    from luanchuyen.analysis import proposal
    from luanchuyen.models import Cadre, Move, Position

    cadres, posts = sheets
    people, _, _ = proposal._models(cadres, Cadre, "cadre")
    places, _, _ = proposal._models(posts, Position, "position")
    index, pairs = [], []
    for i, c in enumerate(people):
        for j, p in enumerate(places):
            if c.current_post is not None:
                kind = move_kind_for(c.current_post.level, p.level)
                index.append((i, j))
                pairs.append((c, Move.model_validate({"kind": kind, "target": p})))
    got = proposal._verdicts(
        people, places, index, pairs, day=date(2024, 6, 1), rules=chi_lang, move={}
    )
    want = lc.evaluate_many(pairs, as_of="2024-06-01", rules=chi_lang, backend="reference")
    assert len({m.kind for _, m in pairs}) == 2  # both kinds are in play
    assert got == list(want["verdict"])

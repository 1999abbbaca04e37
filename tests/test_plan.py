"""Plan report: planned moves counted against the quotas read from the rule set (TC24)."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from factories import base_cadre, base_move, example_data_module
from luanchuyen import evaluate, load_rules
from luanchuyen.analysis.plan import PlanReport, plan_report
from luanchuyen.batch import evaluate_many
from luanchuyen.errors import InputError
from luanchuyen.io import tables
from luanchuyen.ruleset.compile import RuleSet

ROOT = Path(__file__).resolve().parent.parent
E1 = date(2024, 6, 1)


@pytest.fixture(scope="module")
def rules() -> Any:
    return load_rules("chi-lang-2024")


@pytest.fixture(scope="module")
def results(rules: Any) -> pd.DataFrame:
    return evaluate_many(
        example_data_module().plan_moves(), as_of=E1, rules=rules, backend="reference"
    )


def _counts(
    report: PlanReport, key: str
) -> tuple[int | None, int, dict[str, int], bool | None, bool | None]:
    ln = report.line(key)
    return ln.quota, ln.planned, ln.by_verdict, ln.met, ln.met_eligible


def test_example_plan_against_the_chi_lang_quotas(results: pd.DataFrame, rules: Any) -> None:
    report = plan_report(results, rules=rules)
    assert report.as_of == E1 and report.packs == ("nha-nuoc", "qd65", "chi-lang-2024")
    assert _counts(report, "district_to_commune") == (
        4, 6, {"eligible": 5, "needs_review": 0, "unknown": 0, "not_eligible": 1}, True, True,
    )  # fmt: skip
    # CL-20 moves within her own office (a promotion, not a transfer between units)
    assert _counts(report, "lateral_transfers") == (
        5, 5, {"eligible": 4, "needs_review": 0, "unknown": 0, "not_eligible": 1}, True, False,
    )  # fmt: skip
    assert _counts(report, "rotation_completed") == (
        None, 2, {"eligible": 2, "needs_review": 0, "unknown": 0, "not_eligible": 0}, None, None,
    )  # fmt: skip
    assert report.rows == 15 and report.error_rows == 0
    assert "Mục III.1" in (report.line("district_to_commune").citation or "")


def test_quotas_come_from_the_rule_parameters(results: pd.DataFrame, tmp_path: Path) -> None:
    pack = tmp_path / "chi-lang-2024"
    shutil.copytree(ROOT / "rules" / "chi-lang-2024", pack)
    meta = pack / "pack.yaml"
    text = meta.read_text(encoding="utf-8")
    text = re.sub(r"(quota_district_to_commune:.*?value: )4", r"\g<1>7", text, count=1, flags=re.S)
    text = re.sub(r"(quota_lateral_transfers:.*?value: )5", r"\g<1>3", text, count=1, flags=re.S)
    meta.write_text(text, encoding="utf-8")
    report = plan_report(results, rules=RuleSet.load(pack_dirs=[pack]))  # a path: from code
    assert _counts(report, "district_to_commune")[0::3] == (7, False)
    assert _counts(report, "lateral_transfers")[0::3] == (3, True)
    assert report.line("lateral_transfers").met_eligible is True


def test_no_quota_outside_the_plan(results: pd.DataFrame, rules: Any) -> None:
    national = plan_report(results, rules=load_rules())
    assert all(ln.quota is None and ln.met is None for ln in national.lines)
    assert national.notes_vi and "chỉ tiêu" in national.notes_vi[0]
    after = plan_report(results, rules=rules, as_of=date(2025, 7, 1))  # the plan has ended
    assert after.line("district_to_commune").quota is None
    assert after.packs == ("nha-nuoc", "qd65")


def test_counts_cadres_once_and_sets_errors_and_unclear_rows_apart(rules: Any) -> None:
    c3 = base_move(target={"title": "PBT, CT UBND xã", "title_code": "pho_bi_thu_chu_tich_ubnd", "level": "xa", "vacant": True})  # fmt: skip
    items: list[Any] = [
        (base_cadre(id="A"), c3),
        (base_cadre(id="A"), c3),  # listed twice
        (base_cadre(id="B", date_of_birth="10/09/1975"), c3),  # C3 fails: not eligible
        (base_cadre(id="C", current_post=None), c3),  # level unknown
        (base_cadre(id="D", gender="?"), c3),  # error row
    ]
    report = plan_report(items, rules=rules, as_of=E1)
    line = report.line("district_to_commune")
    assert (line.planned, line.by_verdict["eligible"], line.by_verdict["not_eligible"]) == (2, 1, 1)
    assert (report.rows, report.error_rows, report.unclear_rows) == (5, 1, 1)
    assert "Dòng lỗi dữ liệu: 1" in report.explain()


def test_inputs_raw_sheet_and_decisions(rules: Any, tmp_path: Path) -> None:
    mod = example_data_module()
    sheet = tables.read_table(
        tables.write_table(tables.requests_frame(mod.plan_moves()), tmp_path / "kh.csv")
    )
    from_sheet = plan_report(sheet, rules=rules, as_of="2024-06-01")
    decisions = [
        evaluate(c, m, as_of=E1, rules=rules, backend="reference") for c, m in mod.plan_moves()
    ]
    from_decisions = plan_report(decisions, rules=rules)
    assert from_sheet.lines == from_decisions.lines


def test_ambiguous_date_needs_as_of(rules: Any) -> None:
    items = [(base_cadre(), base_move(), E1), (base_cadre(), base_move(), date(2024, 7, 1))]
    with pytest.raises(InputError) as info:
        plan_report(items, rules=rules)
    assert info.value.field == "as_of"
    assert plan_report(items, rules=rules, as_of=E1).as_of == E1


def test_renderings(results: pd.DataFrame, rules: Any) -> None:
    report = plan_report(results, rules=rules)
    vi, en = report.explain(), report.explain("en")
    assert "không đánh giá cá nhân" in vi and "chỉ tiêu ≥ 4: ĐẠT" in vi and "CL-" not in vi
    assert "quota ≥ 5: MET (eligible only: not met)" in en
    frame = report.to_frame()
    assert list(frame["category"]) == [
        "district_to_commune",
        "lateral_transfers",
        "rotation_completed",
    ]
    assert list(frame["planned"]) == [6, 5, 2] and frame["quota"].iloc[2] is pd.NA
    html = report._repr_html_()
    assert "#c6efce" in html and "Chỉ tiêu" in html and str(report) == vi

"""When will they be eligible? Day-exact dates for criteria that lift with time."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from factories import base_cadre, base_move
from luanchuyen import evaluate, load_rules
from luanchuyen.analysis.forecast import earliest_eligible
from luanchuyen.errors import InputError

E1 = date(2024, 6, 1)


def _fails_on(cadre: Any, move: Any, day: date, rule_id: str, rules: Any = None) -> bool:
    d = evaluate(cadre, move, as_of=day, rules=rules, backend="reference")
    return any(c.rule_id == rule_id and c.outcome.value == "fail" for c in d.criteria)


def _exact(cadre: Any, move: Any, rule_id: str, when: date, rules: Any = None) -> None:
    """The criterion still fails the day before ``when`` and no longer on ``when``."""
    assert _fails_on(cadre, move, when - timedelta(days=1), rule_id, rules)
    assert not _fails_on(cadre, move, when, rule_id, rules)


def test_tc10c_child_turns_36_months_on_01_09_2026() -> None:
    cadre = base_cadre(
        id="TC10",
        gender="nữ",
        date_of_birth="02/11/1988",
        current_post={"title": "Công chức Văn phòng xã", "title_code": "cong_chuc", "level": "xa", "since": "01/03/2021"},
        family={"pregnant": False, "has_children": True, "youngest_child_date_of_birth": "01/09/2023"},
    )  # fmt: skip
    # within the same body: not a điều động, so the NĐ 170 Đ25.5 bars do not apply (Đ25.1c)
    move = base_move(kind="chuyen_doi_vi_tri", cross_unit=False, target={"title": "Công chức Tư pháp xã", "level": "xa", "vacant": True})  # fmt: skip
    f = earliest_eligible(cadre, move, as_of=E1)
    assert f.verdict.value == "not_eligible"
    rule = f.rule("post_change_deferral")
    assert (rule.earliest, rule.lifted_by, rule.effect) == (date(2026, 9, 1), "pass", "block")
    assert f.eligible_on == date(2026, 9, 1)
    _exact(cadre, move, "post_change_deferral", date(2026, 9, 1))
    assert "01/09/2026" in f.explain() and "01/09/2026" in f.explain("en")


def test_discipline_window_ends_tc19() -> None:
    cadre = base_cadre(
        id="TC19",
        date_of_birth="10/04/1982",
        current_post={"title": "Trưởng phòng Kinh tế xã", "title_code": "truong_phong", "level": "xa", "role": "cap_truong", "since": "01/07/2025"},
        planning=[{"title": "PCT UBND xã", "title_code": "pho_chu_tich_ubnd", "level": "xa", "approved_on": "15/12/2025"}],
        disciplines=[{"form": "khien_trach", "decision_date": "01/02/2024"}],
        ratings={2024: "htt", 2025: "htt"},
        health={"issued_on": "05/01/2026", "fit": True},
    )  # fmt: skip
    move = base_move(target={"title": "Phó Chủ tịch UBND xã B", "title_code": "pho_chu_tich_ubnd", "level": "xa", "vacant": True}, planned_start="01/04/2026", planned_end="01/04/2029")  # fmt: skip
    f = earliest_eligible(cadre, move, as_of=date(2026, 1, 15))
    assert f.rule("discipline_window_higher_post").earliest == date(2026, 2, 1)  # QĐ 377: 24 months
    _exact(cadre, move, "discipline_window_higher_post", date(2026, 2, 1))
    assert f.rule("time_in_post_24m").earliest == date(2027, 7, 1)
    equivalence = f.rule("placement_equivalence")  # a higher post stays a review: no date
    assert equivalence.earliest is None and equivalence.time_dependent is False
    assert f.eligible_on is None


def test_rotation_reaches_36_months_tc11_variant() -> None:
    rules = load_rules("chi-lang-2024")
    cadre = base_cadre(
        id="TC11",
        date_of_birth="14/02/1979",
        current_post={"title": "Bí thư Đảng ủy xã", "title_code": "bi_thu", "level": "xa", "role": "cap_truong", "since": "01/10/2021"},
        rotation_history=[{"from_post": "Phó Trưởng ban Tuyên giáo", "to_post": "Bí thư Đảng ủy xã", "start": "01/10/2021"}],
        ratings={2022: "htt", 2023: "htxs"},
    )  # fmt: skip
    move = base_move(kind="dieu_dong", target={"title": "Trưởng ban", "title_code": "truong_ban", "level": "huyen", "vacant": True}, sending_unit_assessed=True, job_position_fit=True)  # fmt: skip
    f = earliest_eligible(cadre, move, as_of=E1, rules=rules)
    assert f.verdict.value == "needs_review"
    assert f.rule("rotation_early_end").earliest == date(2024, 10, 1)
    assert f.eligible_on == date(2024, 10, 1)
    _exact(cadre, move, "rotation_early_end", date(2024, 10, 1), rules)


def test_time_in_post_reaches_24_months() -> None:
    cadre = base_cadre(current_post={"title": "Phó Trưởng phòng Nội vụ", "title_code": "pho_truong_phong", "level": "huyen", "role": "cap_pho", "since": "31/08/2023"})  # fmt: skip
    move = base_move(kind="dieu_dong", target={"title": "Trưởng phòng Nội vụ", "title_code": "truong_phong", "level": "huyen", "vacant": True})  # fmt: skip
    f = earliest_eligible(cadre, move, as_of=E1, horizon_months=36)
    # 31/08 + 24 months = 31/08/2025 (the completed-months rule of dates.py)
    assert f.rule("time_in_post_24m").earliest == date(2025, 8, 31)
    _exact(cadre, move, "time_in_post_24m", date(2025, 8, 31))


def test_conditions_that_worsen_never_lift_and_new_barriers_are_listed() -> None:
    rules = load_rules("chi-lang-2024")
    cadre = base_cadre(id="TC02", gender="nữ", date_of_birth="10/09/1975")
    f = earliest_eligible(cadre, base_move(), as_of=E1, rules=rules)
    c3 = f.rule("chilang_c3_deputy_three_terms")
    assert (c3.earliest, c3.lifted_by) == (date(2025, 7, 1), "not_in_force")  # the plan ends
    barriers = {b.rule_id: b.from_date for b in f.new_barriers}
    assert barriers["moratorium_kl128"] == date(2025, 3, 7)
    assert barriers["district_level_abolished"] == date(2025, 7, 1)
    assert barriers["min_remaining_service_10y"] == date(2025, 10, 10)  # 119 months left
    assert f.eligible_on is None
    text = f.explain()
    assert "Vướng mắc phát sinh sau" in text and "07/03/2025" in text
    old = earliest_eligible(
        base_cadre(date_of_birth="10/10/1963"), base_move(), as_of=E1, horizon_months=24
    )
    floor = old.rule("min_remaining_service_10y")
    assert floor.earliest is None and floor.time_dependent is True
    assert "không cải thiện theo thời gian" in old.explain()


def test_eligible_now_and_bad_input() -> None:
    f = earliest_eligible(base_cadre(), base_move(), as_of="2024-06-01")
    assert f.verdict.value == "eligible" and f.eligible_on == E1 and f.rules == ()
    assert "Đủ điều kiện ngay" in str(f) and f._repr_html_().startswith("<pre")
    with pytest.raises(InputError) as info:
        earliest_eligible(base_cadre(gender="?"), base_move(), as_of=E1)
    assert info.value.code == "invalid_enum"
    with pytest.raises(KeyError):
        f.rule("no_such_rule")


def test_a_given_decision_date_moves_with_the_search() -> None:
    cadre = base_cadre(date_of_birth="15/05/1966", current_post={"title": "Công chức xã", "title_code": "cong_chuc", "level": "xa", "since": "01/01/2015"})  # fmt: skip
    target = {"title": "Công chức Tư pháp xã", "level": "xa", "vacant": True}
    plain = base_move(kind="chuyen_doi_vi_tri", target=target)
    dated = base_move(kind="chuyen_doi_vi_tri", target=target, decision_date="01/06/2024")
    found = [
        {b.rule_id: b.from_date for b in earliest_eligible(cadre, m, as_of=E1).new_barriers}
        for m in (plain, dated)
    ]
    # fewer than 18 months left: no post change (NĐ 59 Đ38); the date does not freeze
    when = found[0]["near_retirement_no_post_change"]
    assert found[1]["near_retirement_no_post_change"] == when
    assert _fails_on(cadre, plain, when, "near_retirement_no_post_change")
    assert not _fails_on(cadre, plain, when - timedelta(days=1), "near_retirement_no_post_change")

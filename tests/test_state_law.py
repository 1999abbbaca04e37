"""The state-law layer (rules/nha-nuoc, facts/state.py): who binds, new inputs, boundaries.

The pack's own YAML cases (rules/nha-nuoc/tests) run on every backend through the pytest
plugin; this file covers what a YAML case cannot say: the day before any regime, model
validation, the derivation conventions, the rule schema's ``system`` and ``binds``, and the
columnar twin on the pack's own cases.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

import luanchuyen as lc
from factories import base_cadre, base_move
from luanchuyen.errors import InputError
from luanchuyen.evaluation import default_rules
from luanchuyen.facts import derive_facts
from luanchuyen.facts.columnar import derive_columns
from luanchuyen.facts.state import lookback_years
from luanchuyen.io.cases import load_cases
from luanchuyen.models import Cadre, Move
from luanchuyen.ruleset.compile import RuleSet

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / "rules" / "nha-nuoc"


def _civil_servant(**overrides: Any) -> dict[str, Any]:
    known = {
        "category": "cong_chuc",
        "serious_illness": False,
        "long_term_study": False,
        "special_hardship": False,
    }
    return base_cadre(**{**known, **overrides})


def _transfer(**overrides: Any) -> dict[str, Any]:
    target = {"title": "Công chức xã B", "title_code": "cong_chuc", "level": "xa", "vacant": True}
    known: dict[str, Any] = {"kind": "dieu_dong", "own_request": False, "target": target}
    return base_move(**{**known, **overrides})


def test_state_pack_is_in_the_default_rules() -> None:
    rules = default_rules()
    assert "nha-nuoc" in rules.pack_ids
    on = date(2026, 3, 1)
    ids = {r.id for r in rules.compiled(on).rules}
    assert {
        "nd170_bar_family",
        "nd170_secondment_max_36m",
        "vc_secondment_family_protection",
    } <= ids


def test_day_before_the_2019_amendment_has_no_regime() -> None:
    with pytest.raises(InputError) as err:
        lc.evaluate(_civil_servant(), _transfer(), as_of="30/06/2020", backend="reference")
    assert err.value.code == "no_regime"
    for day in ("01/07/2020", "02/07/2020"):
        decision = lc.evaluate(
            _civil_servant(under_disciplinary_review=True), _transfer(), as_of=day
        )
        assert decision.criterion(
            "lcbcc_no_move_during_discipline_or_proceedings"
        ).outcome.value == ("fail")
        assert decision.verdict.value == "not_eligible"


def test_rules_carry_their_system() -> None:
    rules = default_rules()
    systems = {r.id: r.source.system for r in rules.compiled(date(2026, 3, 1)).rules}
    assert systems["nd170_bar_family"] == "nha_nuoc"
    assert systems["vc_secondment_max_3y"] == "nha_nuoc"
    # qd65 is the Party pack; the state rules it carries say so one by one
    assert systems["min_remaining_service_10y"] == "dang"
    assert systems["post_change_deferral"] == "nha_nuoc"
    assert systems["past_retirement"] == "nha_nuoc"
    assert set(systems.values()) == {"dang", "nha_nuoc"}


def test_binds_compiles_into_applicability() -> None:
    compiled = default_rules().compiled(date(2026, 3, 1))
    rule = compiled.by_id()["nd170_bar_family"]
    assert "cadre_category" in rule.reads
    assert rule.source.spec.binds is not None
    assert [c.value for c in rule.source.spec.binds] == ["cong_chuc"]


def test_unknown_rule_system_is_refused() -> None:
    from luanchuyen.ruleset.schema import RuleSpec

    spec = {
        "id": "x",
        "title": {"vi": "x", "en": "x"},
        "kinds": ["dieu_dong"],
        "effect": "block",
        "require": {"fact": "pregnant", "op": "==", "value": False},
        "messages": {"pass": {"vi": "a", "en": "a"}, "fail": {"vi": "b", "en": "b"}},
        "citation": {"document": "d", "tag": "V"},
    }
    RuleSpec.model_validate({**spec, "system": "nha_nuoc", "binds": ["công chức"]})
    with pytest.raises(ValueError):
        RuleSpec.model_validate({**spec, "system": "toa_an"})
    with pytest.raises(ValueError):
        RuleSpec.model_validate({**spec, "binds": ["quan_nhan"]})
    with pytest.raises(ValueError):
        RuleSpec.model_validate({**spec, "binds": []})


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"category": "vien_chuc", "civil_servant": True}, "category"),
        ({"criminal_proceedings": True, "under_investigation": False}, "criminal"),
        (
            {"family": {"sole_carer": False, "sole_carer_reason": "vo_chet"}},
            "sole_carer",
        ),
    ],
)
def test_contradictory_inputs_are_refused(overrides: dict[str, Any], fragment: str) -> None:
    with pytest.raises(InputError) as err:
        lc.evaluate(_civil_servant(**overrides), _transfer(), as_of="01/03/2026")
    assert fragment in err.value.message_en


def _facts(cadre: dict[str, Any], move: dict[str, Any], on: date, **params: Any) -> Any:
    c, m = Cadre.model_validate(cadre), Move.model_validate(move)
    base = dict(default_rules().compiled(on).params)
    base.update(params)
    return derive_facts(c, m, on, base).facts


def test_category_and_elected_derivation() -> None:
    on = date(2026, 3, 1)
    assert _facts(base_cadre(civil_servant=True), _transfer(), on)["cadre_category"] == "cong_chuc"
    assert "cadre_category" not in _facts(base_cadre(civil_servant=False), _transfer(), on)
    post = {**base_cadre()["current_post"], "fill_method": "bau_cu"}
    assert _facts(base_cadre(current_post=post), _transfer(), on)["cadre_elected"] is True
    assert (
        _facts(base_cadre(current_post=post, elected=False), _transfer(), on)["cadre_elected"]
        is False
    )
    assert "cadre_elected" not in _facts(base_cadre(), _transfer(), on)


def test_criminal_proceedings_default_and_unknown() -> None:
    on = date(2026, 3, 1)
    assert _facts(base_cadre(), _transfer(), on)["criminal_proceedings"] is False
    assert "criminal_proceedings" not in _facts(
        base_cadre(under_investigation=True), _transfer(), on
    )
    assert "criminal_proceedings" not in _facts(
        base_cadre(under_investigation=None), _transfer(), on
    )


def test_secondment_from_history_and_rotation_apart() -> None:
    on = date(2026, 3, 1)
    history = [
        {"kind": "biet_phai", "start": "01/09/2025", "end": "28/02/2026"},
        {"start": "01/01/2025"},
    ]
    facts = _facts(base_cadre(rotation_history=history), _transfer(), on)
    assert facts["currently_seconded"] is False  # ended the day before
    assert facts["in_rotation"] is True
    history[0]["end"] = "01/03/2026"
    facts = _facts(base_cadre(rotation_history=history), _transfer(), on)
    assert facts["currently_seconded"] is True
    assert "currently_seconded" not in _facts(base_cadre(rotation_history=None), _transfer(), on)
    stated = _facts(base_cadre(rotation_history=history, currently_seconded=False), _transfer(), on)
    assert stated["currently_seconded"] is False


def test_rating_lookback_is_a_parameter() -> None:
    on = date(2026, 3, 1)
    ratings = {2021: "ht", 2022: "htt", 2023: "htt", 2024: "htxs", 2025: "htt"}
    cadre = base_cadre(ratings=ratings)
    assert _facts(cadre, _transfer(), on)["rated_htt_lookback"] is True
    # the disputed five-year reading: 2021 (HT) is inside it
    assert (
        _facts(cadre, _transfer(), on, job_change_rating_lookback_years=5)["rated_htt_lookback"]
        is False
    )
    assert (
        _facts(cadre, _transfer(), on, job_change_rating_lookback_years=4)["rated_htt_lookback"]
        is True
    )
    unset = _facts(cadre, _transfer(), on, job_change_rating_lookback_years=None)
    assert "rated_htt_lookback" not in unset
    # a move decided for next year looks at 2026, which has no rating yet on as_of
    later = _transfer(decision_date="01/02/2027")
    assert "rated_htt_lookback" not in _facts(cadre, later, on)
    assert [lookback_years(v) for v in (1, 5, 0, -1, True, "1", 51)] == [
        1, 5, None, None, None, None, None,
    ]  # fmt: skip


def test_public_employee_child_ban_is_unknown_after_the_amendment() -> None:
    before, after = date(2026, 6, 30), date(2026, 7, 1)
    assert _facts(base_cadre(), _transfer(), before)["vc_secondment_child_ban"] is True
    assert "vc_secondment_child_ban" not in _facts(base_cadre(), _transfer(), after)
    # a province that has verified the amended law sets the flag; the fact follows
    assert (
        _facts(base_cadre(), _transfer(), after, vc_secondment_child_ban=False)[
            "vc_secondment_child_ban"
        ]
        is False
    )


def test_sole_carer_reason_implies_sole_carer() -> None:
    on = date(2026, 3, 1)
    family = {"has_children": True, "sole_carer_reason": "vợ mất"}
    facts = _facts(base_cadre(family=family), _transfer(), on)
    assert facts["sole_carer"] is True
    assert facts["sole_carer_reason"] == "vo_chet"


def _pack_cases() -> list[Any]:
    return [c for f in sorted((PACK / "tests").glob("*.yaml")) for c in load_cases(f)]


def test_columnar_twin_on_the_pack_cases() -> None:
    rules = RuleSet.load()
    by_day: dict[date, list[Any]] = {}
    for case in _pack_cases():
        by_day.setdefault(case.as_of, []).append(case)
    for day, cases in by_day.items():
        params = rules.compiled(day).params
        cols = derive_columns([(c.cadre, c.move) for c in cases], day, params)
        for i, case in enumerate(cases):
            assert not cols.fallback[i], case.name
            want = derive_facts(case.cadre, case.move, day, params).facts
            got = cols.row(i)
            assert got == dict(want), case.name
            assert {k: type(v) for k, v in got.items()} == {k: type(v) for k, v in want.items()}


def test_decision_shows_each_system_and_which_binds() -> None:
    child = {**base_cadre()["family"], "maternity_leave": False}
    child.update(has_children=True, youngest_child_date_of_birth="01/07/2024")
    post = {
        "title": "Công chức xã",
        "title_code": "cong_chuc",
        "level": "xa",
        "since": "01/01/2022",
    }
    cadre = _civil_servant(gender="nu", family=child, current_post=post)
    decision = lc.evaluate(cadre, _transfer(), as_of="01/03/2026")
    by = {s.system: s for s in decision.systems}
    assert by["nha_nuoc"].verdict.value == "not_eligible" and by["nha_nuoc"].binds is True
    assert "nd170_bar_family" in by["nha_nuoc"].rules
    assert by["dang"].verdict.value == "eligible"
    assert decision.verdict.value == "not_eligible"
    assert decision.criterion("nd170_bar_family").system == "nha_nuoc"
    assert "Nhà nước (ràng buộc): Không đủ điều kiện" in decision.explain()
    # a viên chức: the civil-servant bars do not bind her, the system still does (other rules)
    vc = lc.evaluate({**cadre, "category": "vien_chuc"}, _transfer(), as_of="01/03/2026")
    assert vc.criterion("nd170_bar_family").outcome.value == "not_applicable"
    # category unknown: the state system's binding is unknown, never false
    unknown = {k: v for k, v in cadre.items() if k != "category"}
    d = lc.evaluate(unknown, _transfer(), as_of="01/03/2026")
    assert {s.system: s for s in d.systems}["nha_nuoc"].verdict.value == "unknown"


def test_worked_example_09_needs_the_provinces_list_of_equivalent_posts() -> None:
    """QĐ 368 leaves the detailed Group IV list to the province: unknown without it."""
    (case,) = load_cases(ROOT / "examples" / "cases" / "09_2026_rotation_commune_key_post.yaml")
    national = lc.evaluate(case.cadre, case.move, as_of=case.as_of, backend="reference")
    assert national.verdict is lc.Verdict.UNKNOWN
    assert "placement_equivalence" in national.settling_facts
    province = RuleSet.from_paths(
        [*(p.path for p in default_rules().packs), ROOT / "examples" / "province-overlay"]
    )
    with_list = lc.evaluate(case.cadre, case.move, as_of=case.as_of, rules=province)
    assert with_list.verdict is lc.Verdict.ELIGIBLE
    assert with_list.facts["target_relation"] == "equivalent"

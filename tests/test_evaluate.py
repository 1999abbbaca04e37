"""evaluate(): verdicts, three-valued outcomes, special cases, rendering, reproducibility."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

import luanchuyen as lc
from factories import base_cadre, base_move
from luanchuyen.decision import Outcome, Verdict, outcome_of
from luanchuyen.errors import InputError

AS_OF = date(2024, 6, 1)


@pytest.mark.parametrize("backend", ["reference", "durable"])
def test_tc01_national_is_eligible(backend: Any) -> None:
    d = lc.evaluate(base_cadre(), base_move(), as_of=AS_OF, backend=backend)
    assert d.verdict is Verdict.ELIGIBLE
    assert d.facts["remaining_service_months"] == 216
    assert d.facts["age_months"] == 528
    assert d.criterion("min_remaining_service_10y").outcome is Outcome.PASS
    assert d.context["retirement_date"] == date(2042, 5, 31)  # ISO in the JSON
    assert d.context_display["retirement_date"] == "31/05/2042"
    assert d.provenance.packs == ["nha-nuoc", "qd65"]


def test_backends_give_identical_decisions() -> None:
    a = lc.evaluate(base_cadre(), base_move(), as_of=AS_OF, backend="reference")
    b = lc.evaluate(base_cadre(), base_move(), as_of=AS_OF, backend="durable")
    strip = lambda d: {**json.loads(d.to_json()), "provenance": None}
    assert strip(a) == strip(b)


def test_overlays_are_never_implied() -> None:
    d = lc.evaluate(base_cadre(), base_move(), as_of=AS_OF, backend="reference")
    assert not any(c.rule_id.startswith("chilang_") for c in d.criteria)
    d2 = lc.evaluate(
        base_cadre(),
        base_move(),
        as_of=AS_OF,
        rules=lc.load_rules("chi-lang-2024"),
        backend="reference",
    )
    assert d2.criterion("chilang_c3_deputy_three_terms").outcome is Outcome.PASS


def test_as_of_accepts_strings() -> None:
    a = lc.evaluate(base_cadre(), base_move(), as_of="01/06/2024", backend="reference")
    b = lc.evaluate(base_cadre(), base_move(), as_of="2024-06-01", backend="reference")
    assert a.to_json() == b.to_json()


def test_decision_json_is_reproducible() -> None:
    a = lc.evaluate(base_cadre(), base_move(), as_of=AS_OF, backend="reference").to_json()
    b = lc.evaluate(base_cadre(), base_move(), as_of=AS_OF, backend="reference").to_json()
    assert a == b
    assert json.loads(a)["provenance"]["rules_hash"]


def test_unknown_planning_makes_the_verdict_unknown_and_names_the_fact() -> None:
    d = lc.evaluate(base_cadre(planning=None), base_move(), as_of=AS_OF, backend="reference")
    assert d.criterion("rotation_requires_planning").outcome is Outcome.UNKNOWN
    assert d.verdict is Verdict.UNKNOWN
    assert "in_planning" in d.missing_facts["rotation_requires_planning"]
    assert d.missing_inputs["rotation_requires_planning"] == ["cadre.planning"]
    assert "Đang trong quy hoạch" in d.criterion("rotation_requires_planning").message.vi


def test_not_in_planning_blocks_and_special_case_turns_it_into_review() -> None:
    d = lc.evaluate(base_cadre(planning=[]), base_move(), as_of=AS_OF, backend="reference")
    assert d.verdict is Verdict.NOT_ELIGIBLE
    assert d.blocking == ["rotation_requires_planning"]
    d2 = lc.evaluate(
        base_cadre(planning=[]),
        base_move(special_case_requested=True),
        as_of=AS_OF,
        backend="reference",
    )
    assert d2.verdict is Verdict.NEEDS_REVIEW
    assert d2.criterion("rotation_requires_planning").applied_effect == "review"


def test_birth_after_as_of_is_a_coded_error() -> None:
    with pytest.raises(InputError) as info:
        lc.evaluate(base_cadre(date_of_birth="01/01/2030"), base_move(), as_of=AS_OF)
    assert info.value.code == "birth_after_as_of"
    assert info.value.field == "cadre.date_of_birth"


def test_bad_input_is_a_coded_error_naming_the_field() -> None:
    with pytest.raises(InputError) as info:
        lc.evaluate(base_cadre(), base_move(kind="promotion"), as_of=AS_OF)
    assert info.value.code == "invalid_enum"
    assert info.value.field == "move.kind"


def test_unknown_backend() -> None:
    with pytest.raises(InputError):
        lc.evaluate(base_cadre(), base_move(), as_of=AS_OF, backend="nope")  # type: ignore[arg-type]


def test_rendering_vi_en_html() -> None:
    d = lc.evaluate(base_cadre(), base_move(), as_of=AS_OF, backend="reference")
    assert "ĐỦ ĐIỀU KIỆN" in str(d)
    assert "mọi điều kiện đều đạt" in d.explain()
    assert (
        "Quy định 65-QĐ/TW"
        in lc.evaluate(base_cadre(date_of_birth="10/10/1963"), base_move(), as_of=AS_OF).explain()
    )  # the basis of a deciding reason is printed
    assert "ELIGIBLE" in d.explain("en")
    html = d._repr_html_()
    assert "Đủ điều kiện" in html and "<table" in html


@pytest.mark.parametrize(
    ("effect", "applies", "test", "expected"),
    [
        ("block", False, None, Outcome.NOT_APPLICABLE),
        ("block", True, True, Outcome.PASS),
        ("block", True, False, Outcome.FAIL),
        ("block", True, None, Outcome.UNKNOWN),
        ("block", None, True, Outcome.PASS),
        ("block", None, False, Outcome.UNKNOWN),
        ("priority", None, True, Outcome.UNKNOWN),
        ("info", None, True, Outcome.UNKNOWN),
    ],
)
def test_outcome_table(effect: Any, applies: Any, test: Any, expected: Outcome) -> None:
    assert outcome_of(effect, applies, test) is expected


def test_regime_changes_with_as_of() -> None:
    """The QĐ 80 window (12 months) before 08/10/2025, QĐ 377 (24 months) after."""
    cadre = base_cadre(
        disciplines=[{"form": "khien_trach", "kind": "dang", "decision_date": "01/01/2024"}],
        current_post={
            "title": "Trưởng phòng",
            "title_code": "truong_phong",
            "level": "xa",
            "role": "cap_truong",
            "since": "01/07/2020",
        },
        planning=[{"title_code": "pho_chu_tich_ubnd", "level": "xa", "approved_on": "01/03/2025"}],
    )
    move = base_move(
        target={
            "title": "Phó Chủ tịch UBND xã",
            "title_code": "pho_chu_tich_ubnd",
            "level": "xa",
            "vacant": True,
        }
    )
    before = lc.evaluate(cadre, move, as_of="07/10/2025", backend="reference")
    after = lc.evaluate(cadre, move, as_of="08/10/2025", backend="reference")
    assert before.criterion("discipline_window_higher_post").outcome is Outcome.PASS
    assert after.criterion("discipline_window_higher_post").outcome is Outcome.FAIL


@pytest.mark.parametrize(
    ("convention", "expected_source", "expected_months"),
    [
        ("decision_date", "decision_date", 209),
        ("planned_start", "planned_start", 219),
        ("as_of", "as_of", 216),
    ],
)
def test_reference_date_convention_is_a_parameter(
    tmp_path: Any, convention: str, expected_source: str, expected_months: int
) -> None:
    import shutil

    from luanchuyen.ruleset.compile import RuleSet
    from luanchuyen.ruleset.loader import default_rules_dir

    pack = tmp_path / "qd65"
    shutil.copytree(default_rules_dir() / "qd65", pack)
    meta = pack / "pack.yaml"
    text = meta.read_text(encoding="utf-8").replace(
        "        value: decision_date", f"        value: {convention}", 1
    )
    meta.write_text(text, encoding="utf-8")
    move = base_move(decision_date="01/01/2025", planned_start="01/03/2024")
    d = lc.evaluate(
        base_cadre(), move, as_of=AS_OF, rules=RuleSet.from_paths([pack]), backend="reference"
    )
    assert d.context["reference_date_source"] == expected_source
    assert d.facts["remaining_service_months"] == expected_months


def test_expired_overlay_parameters_do_not_leak() -> None:
    rules = lc.load_rules("chi-lang-2024")
    move = base_move(
        target={"title": "Bí thư Đảng ủy xã", "title_code": "bi_thu", "level": "xa", "vacant": True}
    )
    cadre = base_cadre(
        current_post={
            "title": "Phó Bí thư",
            "title_code": "pho_bi_thu_thuong_truc",
            "level": "xa",
            "role": "cap_pho",
            "since": "01/07/2025",
        }
    )
    inside = lc.evaluate(cadre, move, as_of="01/06/2024", rules=rules, backend="reference")
    after = lc.evaluate(cadre, move, as_of="01/03/2026", rules=rules, backend="reference")
    assert "Chi Lăng" in inside.context["authority_vi"]
    assert "Chi Lăng" not in after.context["authority_vi"]
    assert after.provenance.packs == ["nha-nuoc", "qd65"]
    compiled = rules.compiled(date(2026, 3, 1))
    assert compiled.params["equivalence_cross_level"] is False


def test_no_rule_in_force_is_an_error_not_an_empty_eligible() -> None:
    with pytest.raises(InputError) as info:
        lc.evaluate(base_cadre(), base_move(), as_of="30/06/2020", backend="reference")
    assert info.value.code == "no_regime"
    assert info.value.field == "as_of"

"""Issue 12 (law-posts): equivalence of posts, the commune authority, ratings by points.

Each dated parameter is checked at D−1, D and D+1 of its boundary; the columnar facts are
checked equal to ``derive_facts`` for the new inputs (several posts, rating records, catalogue
codes).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from factories import base_cadre, base_move
from luanchuyen import load_rules
from luanchuyen.facts import derive_facts
from luanchuyen.facts.columnar import derive_columns
from luanchuyen.facts.equivalence import RELATION_SOURCES, PostRef, relation
from luanchuyen.facts.posts import COMMUNE_POST_CLASSES
from luanchuyen.facts.ratings import band_of, merge_ratings
from luanchuyen.facts.registry import FACTS
from luanchuyen.models import Cadre, Level, Move, Position, Rating, RatingRecord, TitleCode

T, L = TitleCode, Level
DAY = timedelta(days=1)
RULES = load_rules()


def _params(on: date, **extra: Any) -> dict[str, Any]:
    return {**RULES.compiled(on).params, **extra}


def _rel(day: date, mine: list[PostRef], theirs: PostRef, **extra: Any) -> Any:
    return relation(mine, theirs, _params(day, **extra), day)


def test_fact_codes_have_one_home() -> None:
    assert FACTS["target_relation_source"].values == RELATION_SOURCES
    assert FACTS["target_commune_post_class"].values == COMMUNE_POST_CLASSES


@pytest.mark.parametrize(("day", "regime"), [
    (date(2022, 5, 4), "library"), (date(2022, 5, 5), "kl35"), (date(2022, 5, 6), "kl35"),
    (date(2025, 9, 7), "kl35"), (date(2025, 9, 8), "qd368"), (date(2025, 9, 9), "qd368"),
])  # fmt: skip
def test_regime_by_date(day: date, regime: str) -> None:
    p = _params(day)
    assert p["post_equivalence_regime"] == regime
    assert bool(p["post_tiers"]) is (regime == "kl35")
    assert p["equivalence_library_fallback"] is True


def test_kl35_tiers_and_the_highest_post() -> None:
    day = date(2024, 6, 1)
    tier1 = [PostRef(L.HUYEN, T.TRUONG_PHONG)]
    assert _rel(day, tier1, PostRef(L.XA, T.BI_THU)) == ("equivalent", "kl35")
    assert _rel(day, [PostRef(L.XA, T.PHO_CHU_TICH_UBND)], PostRef(L.XA, T.CHU_TICH_MTTQ)) == (
        "equivalent",
        "kl35",
    )
    several = [PostRef(L.XA, T.PHO_CHU_TICH_HDND), PostRef(L.XA, T.PHO_BI_THU)]
    assert _rel(day, several, PostRef(L.XA, T.CHU_TICH_UBND)) == ("equivalent", "kl35")
    assert _rel(day, several[:1], PostRef(L.XA, T.CHU_TICH_UBND)) == ("higher", "kl35")
    assert _rel(day, several, PostRef(L.XA, T.PHO_CHU_TICH_UBND)) == ("lower", "kl35")


def test_tier_tables_head_above_deputy_groups_apart_and_unverified_rows() -> None:
    day = date(2026, 3, 1)
    rows = [
        {"level": "xa", "title_code": "bi_thu", "group": "IV", "tier": 3},
        {"level": "xa", "title_code": "chu_tich_ubnd", "group": "IV", "tier": 3, "deputy": True},
        {"level": "tinh", "title_code": "giam_doc_so", "group": "III", "tier": 1},
        {"level": "xa", "title_code": "chu_tich_hdnd", "group": "IV", "tier": None},
    ]
    local = {"post_tiers_local": rows}
    secretary, chair = PostRef(L.XA, T.BI_THU), PostRef(L.XA, T.CHU_TICH_UBND)
    assert _rel(day, [chair], secretary, **local) == ("higher", "province")
    assert _rel(day, [secretary], chair, **local) == ("lower", "province")
    assert _rel(day, [secretary], PostRef(L.TINH, T.GIAM_DOC_SO), **local) is None
    assert _rel(day, [PostRef(L.XA, T.CHU_TICH_HDND)], chair, **local) is None
    # a pair the province list does not place falls to the next sources
    assert _rel(day, [PostRef(L.XA, T.PHO_CHU_TICH_UBND)], chair, **local) == (
        "higher",
        "structural",
    )
    with pytest.raises(ValueError, match="tier"):
        _rel(day, [secretary], chair, post_tiers_local=[{**rows[0], "tier": "ba"}, rows[1]])


def test_explicit_ranks_win_and_the_library_needs_its_flag() -> None:
    day = date(2026, 3, 1)
    mine = [PostRef(L.XA, T.CHU_TICH_HDND, 30), PostRef(L.XA, T.PHO_BI_THU, 45)]
    assert _rel(day, mine, PostRef(L.XA, T.CHU_TICH_UBND, 45)) == ("equivalent", "explicit")
    hdnd, ubnd = PostRef(L.XA, T.CHU_TICH_HDND), PostRef(L.XA, T.CHU_TICH_UBND)
    assert _rel(day, [hdnd], ubnd) == ("higher", "library")
    assert _rel(day, [hdnd], ubnd, equivalence_library_fallback=False) is None
    # across levels only with equivalence_cross_level (the table's rule since the start)
    cross = [PostRef(L.HUYEN, T.PHO_TRUONG_PHONG)]
    assert _rel(date(2022, 5, 4), cross, PostRef(L.XA, T.PHO_BI_THU)) is None
    assert _rel(date(2022, 5, 4), cross, PostRef(L.XA, T.PHO_BI_THU), equivalence_cross_level=True)
    assert relation([], ubnd, {}, day) is None


@pytest.mark.parametrize(("day", "expected"), [
    (date(2025, 10, 14), None),
    (date(2025, 10, 15), ("equivalent", "structural")),
    (date(2025, 10, 16), ("equivalent", "structural")),
])  # fmt: skip
def test_nq332_centre_deputy_is_a_department_deputy(day: date, expected: Any) -> None:
    deputy = [PostRef(L.XA, T.PHO_TRUONG_PHONG)]
    assert _rel(day, deputy, PostRef(L.XA, T.PHO_GIAM_DOC_TRUNG_TAM)) == expected


def test_structural_needs_one_kind_of_post() -> None:
    day = date(2026, 3, 1)
    assert _rel(day, [PostRef(L.XA, T.TRUONG_BAN)], PostRef(L.XA, T.TRUONG_BAN)) is None
    assert _rel(day, [PostRef(L.XA, T.TRUONG_PHONG)], PostRef(L.XA, T.TRUONG_PHONG)) == (
        "equivalent",
        "structural",
    )
    assert _rel(day, [PostRef(L.XA, T.KHAC)], PostRef(L.XA, T.KHAC)) is None
    assert _rel(day, [PostRef(L.XA, T.BI_THU)], PostRef(L.XA, T.PHO_BI_THU_THUONG_TRUC)) == (
        "lower",
        "structural",
    )


# ------------------------------------------------------------------------------ authority


@pytest.mark.parametrize(("target", "klass", "words"), [
    ({"title": "Bí thư", "title_code": "bi_thu", "level": "xa"}, "party_or_key", "Tỉnh ủy"),
    ({"title": "Trưởng phòng", "title_code": "truong_phong", "level": "xa"}, "department", "Chủ tịch UBND xã"),
    ({"title": "Chuyên viên", "title_code": "cong_chuc", "level": "xa"}, "civil_servant", "Người đứng đầu"),
    ({"title": "Phó Trưởng ban", "title_code": "pho_truong_ban", "level": "xa"}, None, "theo loại chức danh"),
])  # fmt: skip
def test_commune_authority_by_class(target: dict[str, Any], klass: str | None, words: str) -> None:
    cadre = Cadre.model_validate(base_cadre())
    move = Move.model_validate({**base_move(), "target": target})
    after = derive_facts(cadre, move, date(2025, 7, 1), _params(date(2025, 7, 1)))
    assert after.facts.get("target_commune_post_class") == klass
    assert words in after.context["authority_vi"]
    before = derive_facts(cadre, move, date(2025, 6, 30), _params(date(2025, 6, 30)))
    assert "Huyện ủy" in before.context["authority_vi"]


@pytest.mark.parametrize(("day", "ubnd", "department"), [
    (date(2025, 6, 30), None, None), (date(2025, 7, 1), 2, None), (date(2025, 7, 2), 2, None),
    (date(2025, 10, 14), 2, None), (date(2025, 10, 15), 2, 2), (date(2025, 10, 16), 2, 2),
])  # fmt: skip
def test_counts_are_dated_parameters(day: date, ubnd: int | None, department: int | None) -> None:
    p = _params(day)
    assert p.get("commune_ubnd_deputies_max") == ubnd
    assert p.get("commune_hdnd_deputies_max") == (None if ubnd is None else 1)
    assert p.get("commune_department_deputies_average") == department


# ------------------------------------------------------------------------------ ratings


def test_rating_bands_parameter_dates() -> None:
    assert "rating_score_bands" not in _params(date(2025, 8, 29))
    for day in (date(2025, 8, 30), date(2025, 8, 31)):
        bands = _params(day)["rating_score_bands"]
        assert bands["reviews_from"] == date(2025, 8, 30)
        assert (bands["htxs_min"], bands["htt_min"], bands["ht_min"]) == (90, 70, 50)
    meta = {name: param for name, (_pack, param) in RULES.parameters(date(2026, 1, 1)).items()}
    first = meta["rating_score_bands"].values[0]
    assert first.from_ == first.value["reviews_from"], "the value repeats its own start date"


@pytest.mark.parametrize(("score", "met", "band", "good"), [
    (100, True, Rating.HTXS, True), (90, None, None, True), (90, False, Rating.HTT, True),
    (89.99, None, Rating.HTT, True), (70, None, Rating.HTT, True), (69.99, None, Rating.HT, False),
    (50, None, Rating.HT, False), (49.99, None, Rating.KHT, False), (0, None, Rating.KHT, False),
])  # fmt: skip
def test_band_of_score(score: float, met: bool | None, band: Rating | None, good: bool) -> None:
    record = RatingRecord(year=2025, score=score, htxs_conditions_met=met)
    assert band_of(record, _params(date(2026, 1, 1))) == (band, good)


def test_score_before_qd366_gives_no_band_and_kht_needs_its_flag() -> None:
    p = _params(date(2026, 1, 1))
    early = RatingRecord(year=2025, score=40, reviewed_on=date(2025, 8, 29))
    assert band_of(early, p) == (None, None)
    assert band_of(RatingRecord(year=2024, score=95), p) == (None, None)  # 31/12/2024
    assert band_of(
        RatingRecord(year=2025, score=40), {**p, "rating_score_kht_below_ht": False}
    ) == (
        None,
        False,
    )
    assert band_of(RatingRecord(year=2025, band=Rating.HT, score=95), p) == (Rating.HT, False)
    assert merge_ratings(None, None, p) is None
    bands, good = merge_ratings({2024: Rating.HTT}, [RatingRecord(year=2025, score=91)], p) or (
        {},
        {},
    )
    assert bands == {2024: Rating.HTT, 2025: None} and good == {2024: True, 2025: True}


def test_rating_records_validation() -> None:
    with pytest.raises(ValidationError, match="rating_conflict"):
        Cadre.model_validate(
            {
                **base_cadre(),
                "ratings": {2025: "htt"},
                "rating_records": [{"year": 2025, "band": "ht"}],
            }
        )
    with pytest.raises(ValidationError):
        RatingRecord(year=2025, score=101)
    assert RatingRecord(year=2025).review_date == date(2025, 12, 31)


# ------------------------------------------------------------------------------ columnar twin


def _pairs() -> list[tuple[Cadre, Move]]:
    base, move = base_cadre(), base_move()
    post = base["current_post"]
    rows: list[tuple[dict[str, Any], dict[str, Any]]] = [
        ({**base, "current_post": {**post, "title_code": "pho_chu_tich_hdnd", "level": "xa",
                                   "other_posts": [{"title_code": "pho_bi_thu", "level": "xa"}]}},
         {**move, "target": {"title": "CT", "title_code": "chu_tich_ubnd", "level": "xa"}}),
        ({**base, "current_post": {**post, "title_code": "pho_truong_phong", "level": "xa",
                                   "other_posts": [{"title_code": "cong_chuc", "level": "xa", "rank": 10}]}},
         {**move, "target": {"title": "PGĐ", "post_code": "xa.pho_giam_doc_trung_tam_phvhcc"}}),
        ({**base, "rating_records": [{"year": 2025, "score": 92}], "ratings": None},
         {**move, "target": {"title": "TB", "post_code": "xa.truong_ban_xay_dung_dang"}}),
        ({**base, "rating_records": [{"year": 2025, "score": 45, "reviewed_on": "01/09/2025"}],
          "rotation_history": [{"start": "01/01/2025"}]},
         {**move, "target": {"title": "CV", "title_code": "cong_chuc", "level": "xa"}}),
        ({**base, "rating_records": [{"year": 2025, "score": 95, "htxs_conditions_met": True}],
          "ratings": {}, "rotation_history": [{"start": "01/01/2025"}]},
         {**move, "target": {"title": "PB", "title_code": "pho_truong_ban", "level": "xa"}}),
        (base, move),
    ]  # fmt: skip
    return [(Cadre.model_validate(c), Move.model_validate(m)) for c, m in rows]


@settings(max_examples=25, deadline=None, database=None, derandomize=True)
@given(day=st.sampled_from([date(2022, 5, 4), date(2022, 5, 5), date(2025, 8, 29), date(2025, 8, 30),
                            date(2025, 9, 7), date(2025, 9, 8), date(2025, 10, 15), date(2026, 3, 1)]),
       local=st.booleans())  # fmt: skip
def test_columnar_equals_row_facts(day: date, local: bool) -> None:
    pairs = _pairs()
    extra = {"post_tiers_local": [{"level": "xa", "title_code": "chu_tich_ubnd", "group": "IV", "tier": 3},
                                  {"level": "xa", "title_code": "pho_bi_thu", "group": "IV", "tier": 3}]}  # fmt: skip
    params = _params(day, **(extra if local else {}))
    cols = derive_columns(pairs, day, params)
    for i, (cadre, move) in enumerate(pairs):
        if cadre.date_of_birth > day:
            continue
        assert not cols.fallback[i]
        assert cols.row(i) == dict(derive_facts(cadre, move, day, params).facts), i


def test_compiled_rules_do_not_share_fact_parameters_across_dates() -> None:
    """05/05/2022 changes only a fact parameter: its compilation must not be the 04/05 one."""
    before, after = RULES.compiled(date(2022, 5, 4)), RULES.compiled(date(2022, 5, 5))
    assert before.signature != after.signature  # the key covers parameter values (17.1)
    assert before.params["post_equivalence_regime"] == "library"
    assert after.params["post_equivalence_regime"] == "kl35"


def test_post_code_fills_the_post_and_is_checked() -> None:
    p = Position.model_validate({"title": "x", "post_code": "xa.chanh_van_phong_hdnd_ubnd"})
    assert (p.title_code, p.level, p.role.value) == (T.CHANH_VAN_PHONG, L.XA, "cap_truong")
    with pytest.raises(ValidationError, match="invalid_post_code"):
        Position.model_validate({"title": "x", "post_code": "xa.khong_co", "level": "xa"})
    with pytest.raises(ValidationError, match="post_code_mismatch"):
        Position.model_validate(
            {"title": "x", "post_code": "xa.bi_thu", "title_code": "pho_bi_thu"}
        )
    assert DAY.days == 1

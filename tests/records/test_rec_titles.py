"""Free-text titles → title codes (issue 13): abbreviations, rank words, combined posts, dates."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from luanchuyen.records.titles import THRESHOLD, match_title

BEFORE, AFTER = date(2025, 6, 30), date(2025, 7, 1)


@pytest.mark.parametrize(
    ("text", "code", "role", "level"),
    [
        ("Phó Trưởng phòng Nội vụ huyện", "pho_truong_phong", "cap_pho", "huyen"),
        ("Trưởng phòng VH-XH", "truong_phong", "cap_truong", None),
        ("PTP TC-KH huyện", "pho_truong_phong", "cap_pho", "huyen"),
        ("PCT UBND xã", "pho_chu_tich_ubnd", "cap_pho", "xa"),
        ("CT UBND xã", "chu_tich_ubnd", "cap_truong", "xa"),
        ("Chủ tịch HĐND huyện", "chu_tich_hdnd", "cap_truong", "huyen"),
        ("Phó Chủ tịch HĐND tỉnh", "pho_chu_tich_hdnd", "cap_pho", "tinh"),
        ("BT ĐU xã", "bi_thu", "cap_truong", "xa"),
        ("PBT ĐU xã", "pho_bi_thu", "cap_pho", "xa"),
        ("PBTTT Huyện ủy", "pho_bi_thu_thuong_truc", "cap_pho", "huyen"),
        ("UV BTV Huyện ủy", "uv_btv", "khac", "huyen"),
        ("Ủy viên BCH Đảng bộ xã", "uv_bch", "khac", "xa"),
        ("Chủ tịch UB MTTQ xã", "chu_tich_mttq", "cap_truong", "xa"),
        ("Chủ tịch Hội Liên hiệp Phụ nữ xã", "truong_doan_the", "cap_truong", "xa"),
        ("Phó Giám đốc Sở NN&PTNT", "pho_giam_doc_so", "cap_pho", None),
        ("Chủ nhiệm UBKT Đảng ủy xã", "chu_nhiem_ubkt", "cap_truong", "xa"),
        ("Chuyên viên Phòng Nội vụ", "cong_chuc", "khac", None),
        ("Pho chu tich UBND xa", "pho_chu_tich_ubnd", "cap_pho", "xa"),  # no diacritics
    ],
)
def test_titles_as_boards_write_them(text: str, code: str, role: str, level: str | None) -> None:
    m = match_title(text, on=BEFORE)
    assert (m.code, m.role, m.level) == (code, role, level)
    assert m.recognised and m.confidence >= THRESHOLD


def test_old_and_new_tone_placement_and_nfd_agree() -> None:
    import unicodedata

    texts = ["Phó Chủ tịch Ủy ban nhân dân xã", "Phó Chủ tịch Uỷ ban nhân dân xã"]
    texts.append(unicodedata.normalize("NFD", texts[0]))
    assert {match_title(t).code for t in texts} == {"pho_chu_tich_ubnd"}
    assert match_title(texts[2]).text == texts[2]  # the display keeps the original


def test_combined_posts_take_the_combined_title() -> None:
    m = match_title("Phó Bí thư, Chủ tịch UBND xã Mai Sao", on=AFTER)
    assert m.code == "pho_bi_thu_chu_tich_ubnd" and m.entry == "xa.pho_bi_thu_chu_tich_ubnd"
    assert [p.code for p in m.parts] == ["pho_bi_thu", "chu_tich_ubnd"]
    assert m.locality == "Mai Sao" and m.level == "xa"
    two = match_title("Bí thư Đảng ủy, Chủ tịch HĐND xã")
    assert two.code == "bi_thu"  # no combined title: the highest post
    assert [p.code for p in two.parts] == ["bi_thu", "chu_tich_hdnd"]


def test_comma_inside_a_body_name_is_not_a_second_post() -> None:
    m = match_title("Phó trưởng phòng Kinh tế, Hạ tầng và Đô thị phường Đông Kinh", on=AFTER)
    assert m.code == "pho_truong_phong" and not m.parts
    assert m.entry == "xa.pho_truong_phong_kinh_te_ha_tang_do_thi"


def test_catalogue_entries_by_date() -> None:
    assert match_title("PCT UBND xã", on=BEFORE).entry == "xa_nd33.pho_chu_tich_ubnd"
    assert match_title("PCT UBND xã", on=AFTER).entry == "xa.pho_chu_tich_ubnd"
    assert match_title("Phó Bí thư Huyện ủy", on=BEFORE).entry == "huyen.pho_bi_thu"
    after = match_title("Phó Bí thư Huyện ủy", on=AFTER)
    assert after.entry == "pho_bi_thu" and after.level == "huyen"  # generic: no district post
    assert match_title("Trưởng phòng Văn hóa – Xã hội xã", on=AFTER).entry == (
        "xa.truong_phong_van_hoa_xa_hoi"
    )


@pytest.mark.parametrize("text", ["Bảo vệ", "Trưởng Công an xã", "", "xyz 123", "Phó"])
def test_unknown_titles_stay_unknown(text: str) -> None:
    m = match_title(text)
    assert m.code is None and not m.recognised


_HEADS = ["Chủ tịch UBND", "Chủ tịch HĐND", "Trưởng phòng Nội vụ", "Bí thư Đảng ủy", "Trưởng ban Tổ chức",
          "Giám đốc Sở Tài chính", "Chánh Văn phòng"]  # fmt: skip
_PLACES = ["", " xã Mai Sao", " huyện Chi Lăng", " tỉnh Lạng Sơn", " phường Đông Kinh"]


@given(st.sampled_from(_HEADS), st.sampled_from(_PLACES), st.sampled_from(["Phó ", "phó ", "PHÓ "]))
def test_a_deputy_never_matches_a_head_post(head: str, place: str, pho: str) -> None:
    h = match_title(head + place)
    d = match_title(pho + head[0].lower() + head[1:] + place)
    assert h.code is not None and d.code is not None
    assert d.code == "pho_" + h.code and d.role == "cap_pho" and h.role == "cap_truong"

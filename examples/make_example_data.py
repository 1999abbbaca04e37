"""Tạo dữ liệu mẫu cho xử lý hàng loạt / build the example spreadsheets (deterministic).

Ghi / writes:

* ``examples/cadres.xlsx``: 30 cán bộ hư cấu của huyện Chi Lăng và các xã (bảng cán bộ);
* ``examples/positions.xlsx``: 8 vị trí dự kiến (bảng vị trí);
* ``examples/ke-hoach-2024.xlsx``: 15 đề xuất điều động, luân chuyển năm 2024 (bảng phẳng);
* ``examples/spreadsheet-template.md``: hướng dẫn mẫu bảng tính (sinh từ mã nguồn);
* ``docs/img/plot.png``: biểu đồ minh họa (kết luận theo đơn vị; thời gian công tác còn lại).

Mọi người và số liệu đều hư cấu. Không đọc đồng hồ hệ thống: ngày đánh giá là ``AS_OF``.
Everyone here is fictional. Run ``.venv/bin/python examples/make_example_data.py``.
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

from luanchuyen.io import tables
from luanchuyen.models import Cadre, Move, Position

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
AS_OF = date(2024, 6, 1)  # E1 of the law brief: the Chi Lăng 2024 plan is in force
STAMP = datetime(2024, 6, 1)  # noqa: DTZ001 - naive UTC, stored in the workbooks instead of the clock

HUYEN_CL = "huyện Chi Lăng"


def _post(title: str, code: str, body: str, level: str, role: str, since: str) -> dict[str, Any]:
    return {
        "title": title,
        "title_code": code,
        "body": body,
        "level": level,
        "role": role,
        "since": since,
        "locality": HUYEN_CL,
    }


def _cadre(
    cid: str,
    name: str,
    gender: str,
    dob: str,
    ethnicity: str,
    post: dict[str, Any],
    *,
    committee: list[dict[str, Any]] | None = None,
    planning: list[dict[str, Any]] | None = None,
    disciplines: list[dict[str, Any]] | None = None,
    ratings: dict[int, str] | None = None,
    child: str | None = "01/09/2012",
    pregnant: bool = False,
    fit: bool = True,
    review: bool = False,
    rotation: list[dict[str, Any]] | None = None,
    theory: str = "trung_cap",
) -> Cadre:
    return Cadre.model_validate(
        {
            "id": cid,
            "name": name,
            "gender": gender,
            "date_of_birth": dob,
            "ethnicity": ethnicity,
            "ethnic_minority": ethnicity != "Kinh",
            "party_member": True,
            "civil_servant": True,
            "local_origin": True,
            "current_post": post,
            "committee_memberships": committee or [],
            "planning": planning or [],
            "disciplines": disciplines or [],
            "under_disciplinary_review": review,
            "under_investigation": False,
            "serious_illness": False,
            "long_term_study": False,
            "special_hardship": False,
            "ratings": ratings or {2022: "htt", 2023: "htt"},
            "degree": "dai_hoc",
            "political_theory": theory,
            "health": {"issued_on": "15/03/2024", "fit": fit},
            "family": {
                "pregnant": pregnant if gender == "nữ" else None,
                "maternity_leave": False if gender == "nữ" else None,
                "has_children": child is not None,
                "youngest_child_date_of_birth": child,
            },
            "rotation_history": rotation or [],
        }
    )


def _plan(
    title: str, code: str, level: str = "huyen", approved: str = "10/01/2023"
) -> dict[str, Any]:
    return {
        "title": title,
        "title_code": code,
        "level": level,
        "term": "2025-2030",
        "approved_on": approved,
    }


BCH = [{"level": "huyen", "role": "uv_bch", "term": "2020-2025"}]
BTV = [{"level": "huyen", "role": "uv_btv", "term": "2020-2025"}]
H, X = "huyen", "xa"


def cadres() -> list[Cadre]:
    """The 30 fictional cadres (20 at district level, 10 in communes)."""
    return [
        _cadre("CL-01", "Hoàng Văn Thắng", "nam", "12/03/1979", "Tày",
               _post("Phó Chủ tịch UBND huyện", "pho_chu_tich_ubnd", "UBND huyện", H, "cap_pho", "01/07/2021"),
               committee=BTV, planning=[_plan("Chủ tịch UBND huyện", "chu_tich_ubnd")], theory="cao_cap"),
        _cadre("CL-02", "Nông Thị Hằng", "nữ", "31/01/1977", "Tày",
               _post("Trưởng phòng Dân tộc", "truong_phong", "Phòng Dân tộc", H, "cap_truong", "01/04/2019"),
               committee=BCH, planning=[_plan("Ủy viên Ban Thường vụ Huyện ủy", "uv_btv")], child="20/05/2008"),
        _cadre("CL-03", "Lục Văn Bình", "nam", "10/04/1982", "Nùng",
               _post("Trưởng phòng Tài chính – Kế hoạch", "truong_phong", "Phòng Tài chính – Kế hoạch", H, "cap_truong", "01/10/2020"),
               committee=BCH, planning=[_plan("Ủy viên Ban Thường vụ Huyện ủy", "uv_btv")],
               disciplines=[{"form": "khien_trach", "kind": "dang", "decision_date": "01/02/2024"}]),
        _cadre("CL-04", "Nguyễn Văn An", "nam", "15/05/1980", "Kinh",
               _post("Phó Trưởng phòng Nội vụ", "pho_truong_phong", "Phòng Nội vụ", H, "cap_pho", "01/01/2020"),
               planning=[_plan("Ủy viên BCH Đảng bộ huyện", "uv_bch")]),
        _cadre("CL-05", "Trần Thị Bích", "nữ", "10/09/1975", "Kinh",
               _post("Phó Trưởng phòng Nội vụ", "pho_truong_phong", "Phòng Nội vụ", H, "cap_pho", "01/01/2019"),
               planning=[_plan("Ủy viên BCH Đảng bộ huyện", "uv_bch")], child="01/01/2005"),
        _cadre("CL-06", "Hà Thị Thu", "nữ", "02/11/1988", "Tày",
               _post("Phó Trưởng phòng Y tế", "pho_truong_phong", "Phòng Y tế", H, "cap_pho", "01/03/2021"),
               planning=[_plan("Ủy viên BCH Đảng bộ huyện", "uv_bch")], child="01/09/2023"),
        _cadre("CL-07", "Vi Văn Đức", "nam", "01/01/1985", "Nùng",
               _post("Phó Trưởng phòng Kinh tế và Hạ tầng", "pho_truong_phong", "Phòng Kinh tế và Hạ tầng", H, "cap_pho", "01/06/2020")),
        _cadre("CL-08", "Lương Văn Hải", "nam", "10/10/1963", "Tày",
               _post("Chủ tịch Ủy ban MTTQ huyện", "chu_tich_mttq", "Ủy ban MTTQ huyện", H, "cap_truong", "01/10/2015"),
               committee=BTV, child="10/02/1995", theory="cao_cap"),
        _cadre("CL-09", "Mông Thị Lan", "nữ", "15/03/1968", "Nùng",
               _post("Phó Chủ tịch HĐND huyện", "pho_chu_tich_hdnd", "HĐND huyện", H, "cap_pho", "01/07/2021"),
               committee=BTV, planning=[_plan("Chủ tịch HĐND huyện", "chu_tich_hdnd", approved="15/01/2021")],
               child="01/06/1996", theory="cao_cap"),
        _cadre("CL-10", "Đinh Công Sơn", "nam", "09/09/1984", "Kinh",
               _post("Phó Trưởng ban Tuyên giáo Huyện ủy", "pho_truong_ban", "Ban Tuyên giáo Huyện ủy", H, "cap_pho", "01/09/2020"),
               planning=[_plan("Ủy viên BCH Đảng bộ huyện", "uv_bch")]),
        _cadre("CL-11", "Lý Thị Mai", "nữ", "20/07/1990", "Tày",
               _post("Phó Bí thư Huyện đoàn", "pho_truong_doan_the", "Huyện đoàn", H, "cap_pho", "01/12/2021"),
               planning=[_plan("Ủy viên BCH Đảng bộ huyện", "uv_bch")], child="12/12/2019"),
        _cadre("CL-12", "Chu Văn Tuấn", "nam", "05/05/1986", "Nùng",
               _post("Phó Trưởng phòng Giáo dục và Đào tạo", "pho_truong_phong", "Phòng Giáo dục và Đào tạo", H, "cap_pho", "01/08/2019"),
               planning=[_plan("Ủy viên BCH Đảng bộ huyện", "uv_bch")], ratings={2022: "htt", 2023: "kht"}),
        _cadre("CL-13", "Bế Văn Long", "nam", "18/08/1978", "Tày",
               _post("Chánh Văn phòng HĐND và UBND huyện", "truong_phong", "Văn phòng HĐND và UBND huyện", H, "cap_truong", "01/01/2021"),
               committee=BCH, planning=[_plan("Ủy viên Ban Thường vụ Huyện ủy", "uv_btv")]),
        _cadre("CL-14", "Hứa Thị Nga", "nữ", "25/12/1983", "Nùng",
               _post("Phó Chủ tịch Hội Liên hiệp Phụ nữ huyện", "pho_truong_doan_the", "Hội LHPN huyện", H, "cap_pho", "01/05/2021"),
               planning=[_plan("Ủy viên BCH Đảng bộ huyện", "uv_bch")], pregnant=True, child="03/03/2016"),
        _cadre("CL-15", "Triệu Văn Phúc", "nam", "14/02/1979", "Dao",
               _post("Bí thư Đảng ủy xã Hòa Bình", "bi_thu", "Đảng ủy xã Hòa Bình", X, "cap_truong", "15/03/2021"),
               planning=[_plan("Ủy viên Ban Thường vụ Huyện ủy", "uv_btv")], ratings={2022: "htt", 2023: "htxs"},
               rotation=[{"from_post": "Phó Trưởng ban Tuyên giáo Huyện ủy", "to_post": "Bí thư Đảng ủy xã Hòa Bình", "start": "15/03/2021"}]),
        _cadre("CL-16", "Lăng Văn Quân", "nam", "01/10/1980", "Tày",
               _post("Phó Bí thư thường trực Đảng ủy xã Gia Lộc", "pho_bi_thu_thuong_truc", "Đảng ủy xã Gia Lộc", X, "cap_pho", "01/10/2021"),
               planning=[_plan("Ủy viên BCH Đảng bộ huyện", "uv_bch")],
               rotation=[{"from_post": "Phó Chánh Văn phòng Huyện ủy", "to_post": "Phó Bí thư thường trực Đảng ủy xã Gia Lộc", "start": "01/10/2021"}]),
        _cadre("CL-17", "Hoàng Thị Yến", "nữ", "11/11/1981", "Tày",
               _post("Phó Chủ tịch UBND xã Vạn Linh", "pho_chu_tich_ubnd", "UBND xã Vạn Linh", X, "cap_pho", "01/04/2021"),
               planning=[_plan("Trưởng phòng Tư pháp", "truong_phong")],
               rotation=[{"from_post": "Phó Trưởng phòng Tư pháp", "to_post": "Phó Chủ tịch UBND xã Vạn Linh", "start": "01/04/2021"}]),
        _cadre("CL-18", "Phạm Minh Tuấn", "nam", "03/03/1987", "Kinh",
               _post("Phó Trưởng phòng Tài nguyên và Môi trường", "pho_truong_phong", "Phòng Tài nguyên và Môi trường", H, "cap_pho", "01/02/2021"),
               planning=[_plan("Ủy viên BCH Đảng bộ huyện", "uv_bch")], review=True),
        _cadre("CL-19", "Nông Văn Thành", "nam", "22/06/1976", "Tày",
               _post("Trưởng phòng Nông nghiệp và PTNT", "truong_phong", "Phòng Nông nghiệp và PTNT", H, "cap_truong", "01/03/2018"),
               committee=BCH, planning=[_plan("Ủy viên Ban Thường vụ Huyện ủy", "uv_btv")], child="30/06/2004"),
        _cadre("CL-20", "Vũ Thị Hoa", "nữ", "08/08/1979", "Kinh",
               _post("Phó Trưởng phòng Văn hóa và Thông tin", "pho_truong_phong", "Phòng Văn hóa và Thông tin", H, "cap_pho", "01/07/2022"),
               planning=[_plan("Trưởng phòng Văn hóa và Thông tin", "truong_phong")]),
        _cadre("CL-21", "Hoàng Văn Dũng", "nam", "16/06/1985", "Tày",
               _post("Phó Chủ tịch UBND xã Quang Lang", "pho_chu_tich_ubnd", "UBND xã Quang Lang", X, "cap_pho", "01/07/2021"),
               planning=[_plan("Chủ tịch UBND xã", "chu_tich_ubnd", X)]),
        _cadre("CL-22", "Lương Thị Thảo", "nữ", "30/04/1989", "Nùng",
               _post("Phó Chủ tịch UBND xã Vân An", "pho_chu_tich_ubnd", "UBND xã Vân An", X, "cap_pho", "01/07/2021"),
               planning=[_plan("Chủ tịch UBND xã", "chu_tich_ubnd", X)], child="15/08/2020"),
        _cadre("CL-23", "Lục Văn Hưng", "nam", "12/12/1983", "Nùng",
               _post("Chủ tịch UBND xã Bằng Mạc", "chu_tich_ubnd", "UBND xã Bằng Mạc", X, "cap_truong", "01/07/2021"),
               planning=[_plan("Bí thư Đảng ủy xã", "bi_thu", X)]),
        _cadre("CL-24", "Hà Văn Toàn", "nam", "07/07/1972", "Tày",
               _post("Bí thư Đảng ủy xã Nhân Lý", "bi_thu", "Đảng ủy xã Nhân Lý", X, "cap_truong", "01/07/2020"),
               child="01/01/2001"),
        _cadre("CL-25", "Vi Thị Duyên", "nữ", "19/09/1992", "Nùng",
               _post("Công chức Văn phòng – Thống kê xã Chi Lăng", "cong_chuc", "UBND xã Chi Lăng", X, "khac", "01/03/2018"),
               planning=[_plan("Phó Chủ tịch UBND xã", "pho_chu_tich_ubnd", X)], child=None),
        _cadre("CL-26", "Đào Văn Khánh", "nam", "02/02/1988", "Kinh",
               _post("Phó Bí thư Đảng ủy xã Y Tịch", "pho_bi_thu", "Đảng ủy xã Y Tịch", X, "cap_pho", "01/07/2020"),
               planning=[_plan("Bí thư Đảng ủy xã", "bi_thu", X)], child="05/05/2018"),
        _cadre("CL-27", "Mông Văn Lâm", "nam", "23/05/1966", "Nùng",
               _post("Chủ tịch HĐND xã Liên Sơn", "chu_tich_hdnd", "HĐND xã Liên Sơn", X, "cap_truong", "01/07/2021"),
               child="01/01/1994"),
        _cadre("CL-28", "Bế Thị Hương", "nữ", "14/10/1986", "Tày",
               _post("Chủ tịch Hội LHPN xã Thượng Cường", "truong_doan_the", "Hội LHPN xã Thượng Cường", X, "cap_truong", "01/01/2022"),
               planning=[_plan("Phó Chủ tịch UBND xã", "pho_chu_tich_ubnd", X)], fit=False, child="01/06/2014"),
        _cadre("CL-29", "Triệu Thị Phương", "nữ", "05/01/1991", "Dao",
               _post("Phó Chủ tịch UBND thị trấn Đồng Mỏ", "pho_chu_tich_ubnd", "UBND thị trấn Đồng Mỏ", X, "cap_pho", "01/07/2021"),
               planning=[_plan("Chủ tịch UBND xã", "chu_tich_ubnd", X)], child="10/10/2021"),
        _cadre("CL-30", "Nguyễn Đức Minh", "nam", "28/02/1984", "Kinh",
               _post("Phó Chủ tịch UBND xã Bắc Thủy", "pho_chu_tich_ubnd", "UBND xã Bắc Thủy", X, "cap_pho", "01/07/2021"),
               disciplines=[{"form": "canh_cao", "kind": "chinh_quyen", "decision_date": "15/05/2023"}]),
    ]  # fmt: skip


def _position(pid: str, title: str, code: str, body: str, level: str, role: str) -> Position:
    return Position.model_validate(
        {
            "id": pid,
            "title": title,
            "title_code": code,
            "body": body,
            "level": level,
            "role": role,
            "vacant": True,
            "locality": HUYEN_CL,
        }
    )


def positions() -> list[Position]:
    """Eight target posts: five key commune posts, two district offices, one town post."""
    return [
        _position("VT-01", "Bí thư Đảng ủy xã Quang Lang", "bi_thu", "Đảng ủy xã Quang Lang", X, "cap_truong"),
        _position("VT-02", "Bí thư Đảng ủy xã Vân An", "bi_thu", "Đảng ủy xã Vân An", X, "cap_truong"),
        _position("VT-03", "Phó Bí thư, Chủ tịch UBND xã Mai Sao", "pho_bi_thu_chu_tich_ubnd", "UBND xã Mai Sao", X, "cap_truong"),
        _position("VT-04", "Phó Bí thư thường trực Đảng ủy xã Bắc Thủy", "pho_bi_thu_thuong_truc", "Đảng ủy xã Bắc Thủy", X, "cap_pho"),
        _position("VT-05", "Phó Chủ tịch UBND xã Chiến Thắng", "pho_chu_tich_ubnd", "UBND xã Chiến Thắng", X, "cap_pho"),
        _position("VT-06", "Phó Trưởng phòng Nông nghiệp và PTNT", "pho_truong_phong", "Phòng Nông nghiệp và PTNT", H, "cap_pho"),
        _position("VT-07", "Trưởng phòng Văn hóa và Thông tin", "truong_phong", "Phòng Văn hóa và Thông tin", H, "cap_truong"),
        _position("VT-08", "Phó Chủ tịch UBND thị trấn Đồng Mỏ", "pho_chu_tich_ubnd", "UBND thị trấn Đồng Mỏ", X, "cap_pho"),
    ]  # fmt: skip


def _extra_target(title: str, code: str, body: str, level: str, role: str) -> dict[str, Any]:
    return {
        "title": title,
        "title_code": code,
        "body": body,
        "level": level,
        "role": role,
        "vacant": True,
        "locality": HUYEN_CL,
    }


def plan_moves() -> list[tuple[Cadre, Move]]:
    """The 2024 plan: district → commune rotations, lateral transfers, returns after rotation."""
    by_id = {c.id: c for c in cadres()}
    pos = {p.id: p for p in positions()}
    rotation = {
        "planned_start": "01/07/2024",
        "planned_end": "01/07/2027",
        "sending_unit_assessed": True,
    }
    transfer = {
        "planned_start": "01/07/2024",
        "sending_unit_assessed": True,
        "job_position_fit": True,
    }
    rows: list[tuple[str, str, Any, dict[str, Any]]] = [
        # Q1: district leaders → commune leadership
        ("CL-01", "luan_chuyen", pos["VT-01"], rotation),
        ("CL-02", "luan_chuyen", pos["VT-02"], rotation),
        ("CL-04", "luan_chuyen", pos["VT-03"], rotation),
        ("CL-06", "luan_chuyen", pos["VT-05"], rotation),
        ("CL-10", "luan_chuyen", pos["VT-04"], rotation),
        ("CL-03", "luan_chuyen", _extra_target("Bí thư Đảng ủy xã Hữu Kiên", "bi_thu", "Đảng ủy xã Hữu Kiên", X, "cap_truong"), rotation),
        # Q2: unit → unit, commune → commune
        ("CL-07", "dieu_dong", pos["VT-06"], transfer),
        ("CL-20", "dieu_dong", pos["VT-07"], transfer),
        ("CL-21", "dieu_dong", _extra_target("Phó Chủ tịch UBND xã Hữu Kiên", "pho_chu_tich_ubnd", "UBND xã Hữu Kiên", X, "cap_pho"), transfer),
        ("CL-23", "dieu_dong", _extra_target("Chủ tịch UBND xã Vân Thủy", "chu_tich_ubnd", "UBND xã Vân Thủy", X, "cap_truong"), transfer),
        ("CL-26", "dieu_dong", _extra_target("Phó Bí thư Đảng ủy xã Lâm Sơn", "pho_bi_thu", "Đảng ủy xã Lâm Sơn", X, "cap_pho"), transfer),
        ("CL-18", "dieu_dong", _extra_target("Phó Trưởng phòng Nội vụ", "pho_truong_phong", "Phòng Nội vụ", H, "cap_pho"), transfer),
        # Q3: rotations of 2021 that are complete → placement
        ("CL-15", "dieu_dong", _extra_target("Trưởng ban Dân vận Huyện ủy", "truong_ban", "Ban Dân vận Huyện ủy", H, "cap_truong"), transfer),
        ("CL-17", "dieu_dong", _extra_target("Trưởng phòng Tư pháp", "truong_phong", "Phòng Tư pháp", H, "cap_truong"), transfer),
        ("CL-16", "dieu_dong", _extra_target("Phó Chánh Văn phòng Huyện ủy", "pho_truong_phong", "Văn phòng Huyện ủy", H, "cap_pho"), transfer),
    ]  # fmt: skip
    out = []
    for cid, kind, target, extra in rows:
        tgt = target.model_dump(exclude_none=True) if isinstance(target, Position) else target
        out.append((by_id[cid], Move.model_validate({"kind": kind, "target": tgt, **extra})))
    return out


TEMPLATE_INTRO = """\
# Mẫu bảng tính / spreadsheet template

**Tiếng Việt.** Thư viện đọc danh sách cán bộ, vị trí và đề xuất điều động, luân chuyển từ
Excel (`.xlsx`), CSV hoặc JSON Lines. Có ba kiểu bảng:

1. **Bảng phẳng** (`ke-hoach-2024.xlsx`): mỗi dòng là một cán bộ × một đề xuất (các cột cán bộ
   và các cột đề xuất). Dùng cho `luanchuyen batch ke-hoach-2024.xlsx --as-of 2024-06-01`.
2. **Bảng cán bộ** (`cadres.xlsx`): chỉ các cột cán bộ; ghép với **bảng vị trí**
   (`positions.xlsx`) để xét mọi cán bộ cho mọi vị trí:
   `luanchuyen batch cadres.xlsx --positions positions.xlsx --kind luan_chuyen --as-of 2024-06-01`.
3. **Bảng vị trí** (`positions.xlsx`): các cột vị trí.

Bảng được đọc **như người ta vẫn lập**: dòng tiêu đề cột được tự tìm dưới các dòng quốc hiệu,
tên văn bản, dòng trống và ô gộp; nhận tiêu đề hai tầng (ô gộp «Xếp loại» trên «2022 | 2023»)
và dòng đánh số «(1) (2) (3)…» dưới tiêu đề; dòng tiêu đề nhóm («I. Khối Đảng») và chân bảng
(«Người lập biểu») được bỏ qua và liệt kê. Tệp Excel có nhiều trang: mọi trang có bảng đều
được đọc; trang hướng dẫn, danh mục được bỏ qua. `luanchuyen template --out mau.xlsx` tạo
mẫu có sẵn tiêu đề chuẩn, trang hướng dẫn và danh sách chọn cho các cột danh mục.

Quy ước ô:

- **Ô trống = chưa rõ** (không biết). Tiêu chí cần dữ liệu đó sẽ là «chưa rõ» và được nêu tên.
- Có/không ghi **«có»** hoặc **«không»** (cũng nhận `x`, `✓`, `1`/`0`, `yes`/`no`, `đạt`,
  `chưa`).
- Ngày ghi **dd/mm/yyyy**, `d/m/yyyy`, `dd.mm.yyyy`, `dd-mm-yyyy`, `yyyy-mm-dd`, ô kiểu ngày
  hoặc số ngày của Excel. Chỉ có **tháng và năm** (`8/2023`, `tháng 8/2023`) → ngày 01 của
  tháng; chỉ có **năm** (`2023`) → 01/01 của năm (NĐ 135 Đ3.3 cho ngày sinh); cách hiểu đã dùng
  được ghi lại thành lưu ý (`date_month_only`, `date_year_only`).
- Danh mục (giới tính, cấp, hình thức, hình thức kỷ luật, xếp loại…) nhận mã (`luan_chuyen`)
  hoặc chữ tiếng Việt có dấu hay không dấu (`Luân chuyển`, `luan chuyen`). Xếp loại nhận cả
  chữ viết đủ và viết tắt (`Hoàn thành xuất sắc nhiệm vụ`, `HTXSNV`, `HTXS`, `HTT`).
- Ô kỷ luật có thể ghi cả hình thức, hệ thống và thời điểm: `Khiển trách (2023)`,
  `Cảnh cáo Đảng 8/2023`, `Cách chức chính quyền 15/03/2022`.
- Chức vụ ghi tự do (`Phó Trưởng phòng Nội vụ huyện`, `PCT UBND xã`, `Phó Bí thư, Chủ tịch
  UBND xã Mai Sao`) được đọc ra mã chức danh, cấp trưởng/phó và cấp (xã, huyện, tỉnh) khi các
  ô đó để trống; không nhận ra thì mã chức danh để «chưa rõ» kèm lưu ý `title_unknown`
  (`luanchuyen titles TỆP --column «Chức vụ hiện tại»` cho xem cách đọc từng ô).
- Không có cột «Mã cán bộ»: số thứ tự (cột `STT`) hoặc số dòng được dùng làm mã, và kết quả
  ghi rõ điều đó.
- Một cán bộ có **nhiều** quy hoạch / kỷ luật / lần luân chuyển / cấp ủy: ghi các mục cách nhau
  bằng dấu **«;»** trong mỗi cột của nhóm, theo cùng thứ tự. Ghi **«không»** trong cột đầu của
  nhóm để khẳng định là không có (ví dụ không có kỷ luật nào); để trống là chưa rõ. Một nhóm
  điền chưa đủ (có «Đủ sức khỏe» mà không có ngày giấy khám) thì phần thiếu là «chưa rõ», không
  phải lỗi (lưu ý `group_incomplete`).
- Xếp loại: cột `Xếp loại 2022`, `Xếp loại năm 2023`, `Đánh giá 2024`… (hoặc `Xếp loại năm trước`).
- Tiêu đề cột được nhận có dấu hoặc không dấu, hoa hay thường, theo tên thường dùng, mục của
  Mẫu 2C hay tên cột cơ sở dữ liệu (`ho_ten`, `ngay_sinh`, `so_dinh_danh_ca_nhan`); cột `STT`
  và các cột lạ được bỏ qua (cột lạ được liệt kê trong `frame.attrs["unknown_columns"]`).
- CSV: UTF-8 (có hoặc không BOM), UTF-16, Windows-1258, Windows-1252 được tự nhận; tệp bảng mã
  cũ TCVN3 (ABC) hoặc VNI bị từ chối kèm hướng dẫn lưu lại dạng «CSV UTF-8».
- Giới hạn kích thước (tệp, dung lượng giải nén của tệp Excel, số dòng, số cột, độ dài ô) có
  mã lỗi `table_too_large` và nâng được bằng `luanchuyen.io.files.Limits`.
- Dòng sai (ngày sai, mã không có trong danh mục, ngày sinh sau ngày đánh giá, thiếu ô bắt
  buộc…) **không bị bỏ**: kết quả của dòng đó có `verdict = error`, mã lỗi ổn định và thông báo
  song ngữ nêu **mọi** ô sai của dòng (trang, dòng, cột).

Kết quả (`--out ket-qua.xlsx`) có tiêu đề tiếng Việt, ô «Kết luận» tô màu (xanh: đủ điều kiện;
đỏ: không đủ; vàng: cần cấp có thẩm quyền xem xét; tím: chưa đủ dữ liệu; xám: lỗi dữ liệu), trang
«Tóm tắt» và, với `--criteria`, trang «Tiêu chí» (mỗi tiêu chí một dòng).

**English.** Three layouts: *flat* (one row per cadre × move), *cadre* (crossed with a
*position* table). Empty cell = unknown; booleans `có`/`không`; dates `dd/mm/yyyy` or Excel
date cells; enum cells take codes or Vietnamese words with or without diacritics; list groups
(planning, disciplines, rotations, committees) hold `;`-separated items, `không` = known empty;
ratings go in `Xếp loại <year>` columns. Headers match without diacritics; the English field
path (`current_post.level`) is accepted too. Bad rows are kept as `verdict = error` rows with
a stable code and a bilingual message naming every bad cell (sheet, row, column). The header
row is found below title rows; no id column is needed (STT or the row number becomes the id);
free-text titles are read into title codes; month/year and year-only dates are read as day 01
and 01/01 with a note; CSV encodings are detected (UTF-8, UTF-16, Windows-1258/1252; TCVN3 and
VNI refused with a hint).

## Các cột / columns

"""


def write_template(path: Path) -> None:
    """Write the spreadsheet template guide (intro + the column tables from the code)."""
    path.write_text(TEMPLATE_INTRO + tables.template_markdown() + "\n", encoding="utf-8")


def write_plot(path: Path) -> None:
    """Evaluate every cadre for every post (luân chuyển) and save the two overview plots."""
    from luanchuyen.batch import cross, evaluate_many
    from luanchuyen.evaluation import load_rules
    from luanchuyen.render.plots import overview_figure

    frame = evaluate_many(
        cross(cadres(), positions(), kind="luan_chuyen", move={"planned_start": "01/07/2024", "planned_end": "01/07/2027"}),
        as_of=AS_OF,
        rules=load_rules("chi-lang-2024"),
        backend="reference",
    )  # fmt: skip
    fig = overview_figure(
        frame, title=f"Chi Lăng — {len(frame)} cặp cán bộ × vị trí, {AS_OF:%d/%m/%Y}"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=80, metadata={"Software": None})


def main(argv: list[str]) -> int:
    """Write every example file (``--no-plot`` skips ``docs/img/plot.png``)."""
    outputs = (
        (tables.cadres_frame(cadres()), "cadres.xlsx", "Cán bộ"),
        (tables.positions_frame(positions()), "positions.xlsx", "Vị trí"),
        (tables.requests_frame(plan_moves()), "ke-hoach-2024.xlsx", "Kế hoạch 2024"),
    )
    for frame, name, sheet in outputs:
        tables.write_table(frame, HERE / name, sheet_name=sheet, timestamp=STAMP)
    write_template(HERE / "spreadsheet-template.md")
    if "--no-plot" not in argv:
        write_plot(ROOT / "docs" / "img" / "plot.png")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

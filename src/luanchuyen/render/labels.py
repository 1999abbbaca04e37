"""The label catalogue: every code the library shows, in Vietnamese and English, with colours.

One home for what a person reads in place of a code — verdicts, outcomes, effects, row
statuses and every enum code of :mod:`luanchuyen.models.enums` — and for the colours of
verdicts and outcomes (text colour, light background, spreadsheet fill). The text, HTML,
plots and workbook renderers take their labels and colours from here. The verdict, outcome
and effect words themselves are data of :mod:`luanchuyen.verdict` (forecasts and rankings,
below this layer, word verdicts too); this module serves them with the rest.

>>> label("verdict", "needs_review"), label("status", "error", "en")
('Cần cấp có thẩm quyền xem xét', 'Error')
>>> label("MoveKind", "luan_chuyen"), label("Rating", "htt", "en")
('Luân chuyển', 'Completed tasks well')
>>> verdict_fill("unknown")
'E4DFEC'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from luanchuyen.models import enums
from luanchuyen.verdict import (
    EFFECT_LABELS,
    OUTCOME_LABELS,
    VERDICT_LABELS,
    VERDICT_ORDER,
    VERDICT_SHORT_LABELS,
)

__all__ = [
    "EFFECT_LABELS",
    "ENUM_LABELS",
    "OUTCOME_BACKGROUNDS",
    "OUTCOME_LABELS",
    "STATUS_LABELS",
    "VERDICT_BACKGROUNDS",
    "VERDICT_COLOURS",
    "VERDICT_LABELS",
    "VERDICT_ORDER",
    "VERDICT_SHORT_LABELS",
    "label",
    "outcome_fill",
    "verdict_fill",
    "verdict_label",
]

#: Row statuses of a result table, by language.
STATUS_LABELS: Final[Mapping[str, Mapping[str, str]]] = {
    "vi": {"ok": "Đã đánh giá", "error": "Lỗi dữ liệu"},
    "en": {"ok": "Evaluated", "error": "Error"},
}
#: Verdict text colours (HTML, charts); the key ``error`` colours rows with status error.
VERDICT_COLOURS: Final[Mapping[str, str]] = {
    "eligible": "#1b7f3b",
    "not_eligible": "#b3261e",
    "needs_review": "#b26a00",
    "unknown": "#6a3ea1",
    "error": "#8c8c8c",
}
#: Light backgrounds of verdict cells (HTML and the workbook share the hues).
VERDICT_BACKGROUNDS: Final[Mapping[str, str]] = {
    "eligible": "#c6efce",
    "not_eligible": "#ffc7ce",
    "needs_review": "#ffeb9c",
    "unknown": "#e4dfec",
    "error": "#d9d9d9",
}
#: Light backgrounds of criterion rows by outcome.
OUTCOME_BACKGROUNDS: Final[Mapping[str, str]] = {
    "pass": "#e6f4ea",
    "fail": "#fce8e6",
    "unknown": "#f3e8fd",
    "not_applicable": "#f1f3f4",
}

_VI: Final[dict[str, dict[str, str]]] = {
    "CommitteeRole": {
        "uv_bch": "Ủy viên Ban Chấp hành",
        "uv_btv": "Ủy viên Ban Thường vụ",
        "pho_bi_thu": "Phó Bí thư",
        "bi_thu": "Bí thư",
    },
    "DegreeLevel": {
        "thpt": "Trung học phổ thông",
        "trung_cap": "Trung cấp",
        "cao_dang": "Cao đẳng",
        "dai_hoc": "Đại học",
        "thac_si": "Thạc sĩ",
        "tien_si": "Tiến sĩ",
    },
    "DisciplineKind": {"dang": "Kỷ luật đảng", "chinh_quyen": "Kỷ luật hành chính"},
    "FillMethod": {"bau_cu": "Bầu cử", "bo_nhiem": "Bổ nhiệm", "chi_dinh": "Chỉ định"},
    "PlanningStatus": {"dang_quy_hoach": "Đang trong quy hoạch", "da_dua_ra": "Đã đưa ra"},
    "PoliticalTheory": {"so_cap": "Sơ cấp", "trung_cap": "Trung cấp", "cao_cap": "Cao cấp"},
    "PostRole": {"cap_truong": "Cấp trưởng", "cap_pho": "Cấp phó", "khac": "Khác"},
    "TitleCode": {
        "bi_thu": "Bí thư",
        "pho_bi_thu": "Phó Bí thư",
        "pho_bi_thu_thuong_truc": "Phó Bí thư Thường trực",
        "pho_bi_thu_chu_tich_ubnd": "Phó Bí thư, Chủ tịch UBND",
        "uv_btv": "Ủy viên Ban Thường vụ",
        "uv_bch": "Ủy viên Ban Chấp hành",
        "chu_tich_hdnd": "Chủ tịch HĐND",
        "pho_chu_tich_hdnd": "Phó Chủ tịch HĐND",
        "chu_tich_ubnd": "Chủ tịch UBND",
        "pho_chu_tich_ubnd": "Phó Chủ tịch UBND",
        "chu_tich_mttq": "Chủ tịch Ủy ban MTTQ",
        "truong_doan_the": "Người đứng đầu đoàn thể",
        "pho_truong_doan_the": "Cấp phó đoàn thể",
        "giam_doc_so": "Giám đốc sở",
        "pho_giam_doc_so": "Phó Giám đốc sở",
        "truong_ban": "Trưởng ban",
        "pho_truong_ban": "Phó Trưởng ban",
        "truong_phong": "Trưởng phòng",
        "pho_truong_phong": "Phó Trưởng phòng",
        "cong_chuc": "Công chức",
        "khac": "Khác",
    },
}
_EN: Final[dict[str, dict[str, str]]] = {
    "CommitteeRole": {
        "uv_bch": "Executive committee member",
        "uv_btv": "Standing committee member",
        "pho_bi_thu": "Deputy secretary",
        "bi_thu": "Secretary",
    },
    "DegreeLevel": {
        "thpt": "Upper secondary",
        "trung_cap": "Vocational (intermediate)",
        "cao_dang": "College",
        "dai_hoc": "Bachelor",
        "thac_si": "Master",
        "tien_si": "Doctorate",
    },
    "DisciplineForm": {
        "khien_trach": "Reprimand",
        "canh_cao": "Warning",
        "ha_bac_luong": "Salary step reduced",
        "giang_chuc": "Demotion",
        "cach_chuc": "Dismissal from post",
        "bai_nhiem": "Removal from elected office",
        "buoc_thoi_viec": "Forced resignation",
        "khai_tru": "Expulsion from the Party",
    },
    "DisciplineKind": {"dang": "Party discipline", "chinh_quyen": "Administrative discipline"},
    "FillMethod": {"bau_cu": "Election", "bo_nhiem": "Appointment", "chi_dinh": "Designation"},
    "Gender": {"nam": "Male", "nu": "Female"},
    "Level": {"trung_uong": "Central", "tinh": "Province", "huyen": "District", "xa": "Commune"},
    "MoveKind": {
        "luan_chuyen": "Rotation",
        "dieu_dong": "Transfer",
        "biet_phai": "Secondment",
        "chuyen_doi_vi_tri": "Change of post",
    },
    "PlanningStatus": {"dang_quy_hoach": "In planning", "da_dua_ra": "Removed from planning"},
    "PoliticalTheory": {"so_cap": "Basic", "trung_cap": "Intermediate", "cao_cap": "Advanced"},
    "PostRole": {"cap_truong": "Head", "cap_pho": "Deputy", "khac": "Other"},
    "Rating": {
        "htxs": "Completed tasks excellently",
        "htt": "Completed tasks well",
        "ht": "Completed tasks",
        "kht": "Did not complete tasks",
    },
    "TitleCode": {
        "bi_thu": "Secretary",
        "pho_bi_thu": "Deputy secretary",
        "pho_bi_thu_thuong_truc": "Standing deputy secretary",
        "pho_bi_thu_chu_tich_ubnd": "Deputy secretary and People's Committee chair",
        "uv_btv": "Standing committee member",
        "uv_bch": "Executive committee member",
        "chu_tich_hdnd": "People's Council chair",
        "pho_chu_tich_hdnd": "People's Council vice-chair",
        "chu_tich_ubnd": "People's Committee chair",
        "pho_chu_tich_ubnd": "People's Committee vice-chair",
        "chu_tich_mttq": "Fatherland Front chair",
        "truong_doan_the": "Head of a mass organisation",
        "pho_truong_doan_the": "Deputy head of a mass organisation",
        "giam_doc_so": "Department director",
        "pho_giam_doc_so": "Department deputy director",
        "truong_ban": "Head of board",
        "pho_truong_ban": "Deputy head of board",
        "truong_phong": "Head of division",
        "pho_truong_phong": "Deputy head of division",
        "cong_chuc": "Civil servant",
        "khac": "Other",
    },
}
_ENUMS: Final[tuple[type[enums.CodedEnum], ...]] = tuple(
    getattr(enums, name)
    for name in enums.__all__
    if name not in {"CodedEnum", "fold", "parse_gender"}
)


def _enum_labels() -> dict[str, dict[str, dict[str, str]]]:
    out: dict[str, dict[str, dict[str, str]]] = {}
    for cls in _ENUMS:
        name = cls.__name__
        codes = [str(m.value) for m in cls]
        vi = {**_VI.get(name, {}), **cls.__label_vi__}
        out[name] = {
            "vi": {c: vi.get(c, c) for c in codes},
            "en": {c: _EN.get(name, {}).get(c, c) for c in codes},
        }
    return out


#: Enum class name → language → code → label, for every enum of :mod:`luanchuyen.models`.
ENUM_LABELS: Final[Mapping[str, Mapping[str, Mapping[str, str]]]] = _enum_labels()


def label(kind: str, code: object, lang: str = "vi") -> str:
    """The label of ``code`` of a kind: ``verdict``, ``verdict_short``, ``outcome``,
    ``effect``, ``status`` or an enum class name (``MoveKind``…); the code itself if unknown."""
    lang = "en" if lang == "en" else "vi"
    text = str(getattr(code, "value", code))
    table: Mapping[str, str]
    if kind == "verdict":
        table = {v.value: s for v, s in VERDICT_LABELS[lang].items()}
    elif kind == "verdict_short":
        table = {v.value: s for v, s in VERDICT_SHORT_LABELS[lang].items()}
    elif kind == "outcome":
        table = {o.value: s for o, s in OUTCOME_LABELS[lang].items()}
    elif kind == "effect":
        table = EFFECT_LABELS[lang]
    elif kind == "status":
        table = STATUS_LABELS[lang]
    else:
        table = ENUM_LABELS.get(kind, {}).get(lang, {})
    return table.get(text, text)


def verdict_label(code: object, lang: str = "vi", *, status: object = "ok") -> str:
    """The label of a result row's verdict; a row with status ``error`` reads «Lỗi dữ liệu».

    >>> verdict_label("needs_review"), verdict_label(None, status="error")
    ('Cần cấp có thẩm quyền xem xét', 'Lỗi dữ liệu')
    """
    if status == "error" or code is None:
        return label("status", "error", lang)
    return label("verdict", code, lang)


def verdict_fill(code: object, *, status: object = "ok") -> str | None:
    """The spreadsheet fill (``RRGGBB``) of a verdict cell, or ``None``."""
    key = "error" if status == "error" else str(getattr(code, "value", code))
    colour = VERDICT_BACKGROUNDS.get(key)
    return colour[1:].upper() if colour else None


def outcome_fill(code: object) -> str | None:
    """The spreadsheet fill (``RRGGBB``) of an outcome cell, or ``None``."""
    colour = OUTCOME_BACKGROUNDS.get(str(getattr(code, "value", code)))
    return colour[1:].upper() if colour else None

"""Hypothesis strategies for valid luanchuyen inputs: cadres, positions, moves, whole cases.

Every value drawn is a *valid* model with realistic Vietnamese names, titles and bodies.
Optional fields are sometimes ``None`` (unknown), so the rules' unknown paths are exercised.
Dates stay in 1950–2030 and are coherent: the evaluation date is in 28/04/2022–31/12/2027,
the cadre is 22–64 years old on it, and disciplines, ratings, planning, rotations, children
and the current post all fall between adulthood and the evaluation date. Posts follow the
structure in force: no district (huyện) post on or after 01/07/2025.

>>> from hypothesis import given, settings
>>> @settings(max_examples=5, database=None)
... @given(cases())
... def check(case):
...     cadre, move, as_of = case
...     assert cadre.date_of_birth < as_of
>>> check()
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Final, NamedTuple

from hypothesis import strategies as st

from luanchuyen.dates import add_months
from luanchuyen.models import (
    Cadre,
    CadreCategory,
    CommitteeRole,
    DegreeLevel,
    DisciplineForm,
    DisciplineKind,
    FillMethod,
    Gender,
    Level,
    Move,
    MoveKind,
    PlanningStatus,
    PoliticalTheory,
    Position,
    PostRole,
    Rating,
    SoleCarerReason,
    TitleCode,
)
from luanchuyen.models.titles import catalogue

__all__ = [
    "AS_OF_MAX",
    "AS_OF_MIN",
    "DATE_MAX",
    "DATE_MIN",
    "GeneratedCase",
    "as_of_dates",
    "cadres",
    "cases",
    "moves",
    "positions",
]

DATE_MIN: Final = date(1950, 1, 1)
DATE_MAX: Final = date(2030, 12, 31)
AS_OF_MIN: Final = date(2022, 4, 28)
AS_OF_MAX: Final = date(2027, 12, 31)
TWO_TIER: Final = date(2025, 7, 1)

_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
           "Dương", "Lý", "Nông", "Hà", "Đinh", "Lương", "Hoàng", "Triệu", "Lường")  # fmt: skip
_MIDDLE = {
    Gender.NAM: ("Văn", "Đức", "Minh", "Hữu", "Quang", "Công", "Xuân", "Thanh", "Ngọc", "Đình"),
    Gender.NU: ("Thị", "Thu", "Minh", "Ngọc", "Thanh", "Hồng", "Kim", "Bích", "Thúy", "Phương"),
}
_GIVEN = {
    Gender.NAM: ("An", "Bình", "Cường", "Dũng", "Hùng", "Khang", "Long", "Nam", "Phong", "Quân",
                 "Sơn", "Thắng", "Tuấn", "Việt", "Hải", "Trung", "Lâm", "Kiên"),
    Gender.NU: ("Anh", "Chi", "Hà", "Hạnh", "Hoa", "Lan", "Linh", "Mai", "Nga", "Phương",
                "Thảo", "Trang", "Vân", "Yến", "Hương", "Huyền", "Ngân", "Tâm"),
}  # fmt: skip
_ETHNICITIES = (("Kinh", False), ("Tày", True), ("Nùng", True), ("Dao", True), ("H'Mông", True),
                ("Sán Chay", True), ("Hoa", True))  # fmt: skip
_PROVINCES = ("Lạng Sơn", "Cao Bằng", "Thái Nguyên", "Bắc Ninh", "Nghệ An", "Hà Tĩnh", "Sơn La")
_DISTRICTS = ("Chi Lăng", "Hữu Lũng", "Cao Lộc", "Văn Lãng", "Bình Gia", "Tràng Định", "Lộc Bình")
_COMMUNES = ("Đồng Đăng", "Chi Lăng", "Quang Lang", "Bằng Mạc", "Vân An", "Nhân Lý", "Mai Sao",
             "Hòa Bình", "Thượng Cường", "Gia Lộc", "Bắc Sơn", "Tân Thành")  # fmt: skip
_DISTRICT_OFFICES = ("Nội vụ", "Tài chính – Kế hoạch", "Kinh tế – Hạ tầng", "Y tế", "Tư pháp",
                     "Nông nghiệp và Phát triển nông thôn", "Văn hóa và Thông tin",
                     "Giáo dục và Đào tạo", "Tài nguyên và Môi trường")  # fmt: skip
_COMMUNE_OFFICES = ("Kinh tế", "Văn hóa – Xã hội", "Văn phòng HĐND và UBND")
_DEPARTMENTS = ("Sở Nội vụ", "Sở Tài chính", "Sở Nông nghiệp và Môi trường", "Sở Y tế",
                "Sở Giáo dục và Đào tạo", "Sở Xây dựng", "Sở Tư pháp")  # fmt: skip
_PARTY_BOARDS = ("Ban Tổ chức", "Ban Tuyên giáo và Dân vận", "Ủy ban Kiểm tra")
_CENTRAL_BODIES = ("Ban Tổ chức Trung ương", "Bộ Nội vụ", "Văn phòng Trung ương Đảng")

T = TitleCode
R = PostRole
# (level, title code, role, template); {c} commune, {d} district, {p} province, {o} office
_TITLES: Final[tuple[tuple[Level, TitleCode | None, PostRole, str], ...]] = (
    (Level.XA, T.BI_THU, R.CAP_TRUONG, "Bí thư Đảng ủy xã {c}"),
    (Level.XA, T.PHO_BI_THU_THUONG_TRUC, R.CAP_PHO, "Phó Bí thư thường trực Đảng ủy xã {c}"),
    (Level.XA, T.PHO_BI_THU_CHU_TICH_UBND, R.CAP_TRUONG, "Phó Bí thư, Chủ tịch UBND xã {c}"),
    (Level.XA, T.CHU_TICH_UBND, R.CAP_TRUONG, "Chủ tịch UBND xã {c}"),
    (Level.XA, T.PHO_CHU_TICH_UBND, R.CAP_PHO, "Phó Chủ tịch UBND xã {c}"),
    (Level.XA, T.CHU_TICH_HDND, R.CAP_TRUONG, "Chủ tịch HĐND xã {c}"),
    (Level.XA, T.PHO_CHU_TICH_HDND, R.CAP_PHO, "Phó Chủ tịch HĐND xã {c}"),
    (Level.XA, T.CHU_TICH_MTTQ, R.CAP_TRUONG, "Chủ tịch Ủy ban MTTQ Việt Nam xã {c}"),
    (Level.XA, T.TRUONG_PHONG, R.CAP_TRUONG, "Trưởng phòng {o} xã {c}"),
    (Level.XA, T.PHO_TRUONG_PHONG, R.CAP_PHO, "Phó Trưởng phòng {o} xã {c}"),
    (Level.XA, T.CONG_CHUC, R.KHAC, "Công chức {o} xã {c}"),
    (Level.HUYEN, T.BI_THU, R.CAP_TRUONG, "Bí thư Huyện ủy {d}"),
    (Level.HUYEN, T.PHO_BI_THU, R.CAP_PHO, "Phó Bí thư Huyện ủy {d}"),
    (Level.HUYEN, T.CHU_TICH_UBND, R.CAP_TRUONG, "Chủ tịch UBND huyện {d}"),
    (Level.HUYEN, T.PHO_CHU_TICH_UBND, R.CAP_PHO, "Phó Chủ tịch UBND huyện {d}"),
    (Level.HUYEN, T.UV_BTV, R.KHAC, "Ủy viên Ban Thường vụ Huyện ủy {d}"),
    (Level.HUYEN, T.TRUONG_PHONG, R.CAP_TRUONG, "Trưởng phòng {o} huyện {d}"),
    (Level.HUYEN, T.PHO_TRUONG_PHONG, R.CAP_PHO, "Phó Trưởng phòng {o} huyện {d}"),
    (Level.HUYEN, T.TRUONG_BAN, R.CAP_TRUONG, "Trưởng Ban Tổ chức Huyện ủy {d}"),
    (Level.HUYEN, T.PHO_TRUONG_BAN, R.CAP_PHO, "Phó Trưởng Ban Tuyên giáo Huyện ủy {d}"),
    (Level.HUYEN, T.CHU_TICH_MTTQ, R.CAP_TRUONG, "Chủ tịch Ủy ban MTTQ Việt Nam huyện {d}"),
    (Level.HUYEN, T.TRUONG_DOAN_THE, R.CAP_TRUONG, "Chủ tịch Hội Nông dân huyện {d}"),
    (Level.HUYEN, T.PHO_TRUONG_DOAN_THE, R.CAP_PHO, "Phó Bí thư Huyện đoàn {d}"),
    (Level.TINH, T.GIAM_DOC_SO, R.CAP_TRUONG, "Giám đốc {o} tỉnh {p}"),
    (Level.TINH, T.PHO_GIAM_DOC_SO, R.CAP_PHO, "Phó Giám đốc {o} tỉnh {p}"),
    (Level.TINH, T.TRUONG_PHONG, R.CAP_TRUONG, "Trưởng phòng Tổ chức cán bộ, {o} tỉnh {p}"),
    (Level.TINH, T.PHO_TRUONG_PHONG, R.CAP_PHO, "Phó Trưởng phòng Kế hoạch, {o} tỉnh {p}"),
    (Level.TINH, T.TRUONG_BAN, R.CAP_TRUONG, "Trưởng Ban Dân vận Tỉnh ủy {p}"),
    (Level.TINH, T.PHO_TRUONG_BAN, R.CAP_PHO, "Phó Trưởng Ban Tổ chức Tỉnh ủy {p}"),
    (Level.TINH, T.CONG_CHUC, R.KHAC, "Chuyên viên {o} tỉnh {p}"),
    (Level.TINH, None, R.KHAC, "Chánh Văn phòng Đoàn ĐBQH và HĐND tỉnh {p}"),
    (Level.TRUNG_UONG, T.CONG_CHUC, R.KHAC, "Chuyên viên {o}"),
    (Level.TRUNG_UONG, T.PHO_TRUONG_PHONG, R.CAP_PHO, "Phó Vụ trưởng, {o}"),
    (Level.TRUNG_UONG, None, R.CAP_TRUONG, "Vụ trưởng, {o}"),
)


class GeneratedCase(NamedTuple):
    """A generated evaluation request: unpack as ``cadre, move, as_of = case``."""

    cadre: Cadre
    move: Move
    as_of: date


# Drawing helpers. Strategies are built once and reused: building one per draw (and
# validating it) would dominate the cost of generating a case.
_PERCENT = st.integers(0, 99)
_SPAN = 1 << 16
_FRACTION = st.integers(0, _SPAN)
_BOOL = st.booleans()


@lru_cache(maxsize=256)
def _choice(options: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    return st.sampled_from(options)


def _pick(draw: st.DrawFn, options: Sequence[Any]) -> Any:
    """One of ``options`` (shrinks to the first)."""
    return draw(_choice(tuple(options)))


def _none(draw: st.DrawFn, p_none: float) -> bool:
    """Whether to leave a field unknown, ``p_none`` of the time (shrinks to unknown)."""
    return draw(_PERCENT) < round(p_none * 100)


def _maybe(draw: st.DrawFn, value: Callable[[], Any], p_none: float = 0.25) -> Any:
    """``value()`` or, ``p_none`` of the time, ``None`` (unknown)."""
    return None if _none(draw, p_none) else value()


def _years(d: date, n: int) -> date:
    return add_months(d, 12 * n)


def _clip(d: date) -> date:
    return min(max(d, DATE_MIN), DATE_MAX)


def _date(draw: st.DrawFn, lo: date, hi: date) -> date:
    """A date in ``[lo, hi]`` (clipped to 1950–2030); shrinks towards ``lo``."""
    lo, hi = sorted((_clip(lo), _clip(hi)))
    days = (hi - lo).days
    return lo + timedelta(days=days * draw(_FRACTION) // _SPAN)


def _int(draw: st.DrawFn, lo: int, hi: int) -> int:
    return lo + (hi - lo) * draw(_FRACTION) // _SPAN


_TURNING = (
    date(2022, 4, 28), date(2022, 8, 18), date(2025, 3, 7), date(2025, 6, 30),
    date(2025, 7, 1), date(2025, 10, 7), date(2025, 10, 8), date(2026, 3, 1),
)  # fmt: skip
_AS_OF = st.one_of(st.sampled_from(_TURNING), st.dates(AS_OF_MIN, AS_OF_MAX))


def as_of_dates() -> st.SearchStrategy[date]:
    """Evaluation dates in 28/04/2022–31/12/2027, with the legal turning points favoured."""
    return _AS_OF


def _levels(as_of: date) -> tuple[Level, ...]:
    if as_of >= TWO_TIER:
        return (Level.XA, Level.TINH, Level.TRUNG_UONG)
    return (Level.XA, Level.HUYEN, Level.TINH, Level.TRUNG_UONG)


_BODIES: Final[tuple[tuple[str, str], ...]] = (
    ("HĐND", "HĐND {x}"),
    ("MTTQ", "Ủy ban MTTQ Việt Nam {x}"),
    ("Hội Nông dân", "Hội Nông dân {x}"),
    ("Huyện đoàn", "Huyện đoàn {d}"),
    ("Đảng ủy", "Đảng ủy {x}"),
    ("Huyện ủy", "Huyện ủy {d}"),
    ("Tỉnh ủy", "Tỉnh ủy {p}"),
)
_OFFICES: Final[dict[Level, tuple[str, ...]]] = {
    Level.XA: _COMMUNE_OFFICES,
    Level.HUYEN: _DISTRICT_OFFICES,
    Level.TINH: _DEPARTMENTS,
    Level.TRUNG_UONG: _CENTRAL_BODIES,
}
_BY_LEVEL: Final[dict[Level, tuple[tuple[Level, TitleCode | None, PostRole, str], ...]]] = {
    lvl: tuple(t for t in _TITLES if t[0] is lvl) for lvl in Level
}


def _body(
    template: str, level: Level, commune: str, district: str, province: str, office: str
) -> str:
    """The body (cơ quan, đơn vị) a title belongs to."""
    if level is Level.TRUNG_UONG or (level is Level.TINH and "{o}" in template):
        return office
    unit = {Level.XA: f"xã {commune}", Level.HUYEN: f"huyện {district}"}.get(
        level, f"tỉnh {province}"
    )
    for keyword, body in _BODIES:
        if keyword in template:
            return body.format(x=unit, d=district, p=province)
    return f"UBND {unit}"


def _title(draw: st.DrawFn, level: Level) -> tuple[TitleCode | None, PostRole, str, str]:
    """(title code, role, title, body) for a post at ``level``."""
    _lvl, code, role, template = _pick(draw, _BY_LEVEL[level])
    commune, district = _pick(draw, _COMMUNES), _pick(draw, _DISTRICTS)
    province, office = _pick(draw, _PROVINCES), _pick(draw, _OFFICES[level])
    body = _body(template, level, commune, district, province, office)
    title = template.format(c=commune, d=district, p=province, o=office)
    return code, role, title, body


@st.composite
def positions(draw: st.DrawFn, as_of: date | None = None, level: Level | None = None) -> Position:
    """A target position (valid on ``as_of``: no district post from 01/07/2025)."""
    day = as_of or draw(as_of_dates())
    lvl = level or _pick(draw, _levels(day))
    code, role, title, body = _title(draw, lvl)
    data: dict[str, Any] = {
        "id": _maybe(draw, lambda: f"VT-{_int(draw, 100, 99999)}", 0.5),
        "title": title,
        "title_code": None if _none(draw, 0.1) else code,
        "body": _maybe(draw, lambda: body, 0.2),
        "level": lvl,
        "rank": _maybe(draw, lambda: _int(draw, 10, 90), 0.7),
        "role": role,
        "fill_method": _maybe(draw, lambda: _pick(draw, list(FillMethod)), 0.6),
        "key_commune_post": _maybe(draw, lambda: draw(_BOOL), 0.7) if lvl is Level.XA else None,
        "vacant": _maybe(draw, lambda: draw(_BOOL), 0.3),
        "created_for_move": draw(_PERCENT) >= 95,
        "locality": _maybe(draw, lambda: _pick(draw, _COMMUNES + _PROVINCES), 0.5),
        "on_post_change_list": _maybe(draw, lambda: draw(_BOOL), 0.5),
        "required_degree": _maybe(draw, lambda: _pick(draw, list(DegreeLevel)[2:]), 0.5),
        "required_political_theory": _maybe(draw, lambda: _pick(draw, list(PoliticalTheory)), 0.5),
        "allowance": _maybe(draw, lambda: _int(draw, 10, 130), 0.5),
    }
    return Position.model_validate(data)


def _current_post(draw: st.DrawFn, as_of: date, adult: date) -> dict[str, Any]:
    lvl = _pick(draw, _levels(as_of))
    code, role, title, body = _title(draw, lvl)
    since_lo = max(adult, TWO_TIER) if lvl is Level.XA and as_of >= TWO_TIER else adult
    return {
        "title": title,
        "title_code": None if _none(draw, 0.1) else code,
        "body": _maybe(draw, lambda: body, 0.2),
        "level": lvl,
        "rank": _maybe(draw, lambda: _int(draw, 10, 90), 0.7),
        "since": _maybe(draw, lambda: _date(draw, since_lo, as_of), 0.2),
        "role": role,
        "fill_method": _maybe(draw, lambda: _pick(draw, list(FillMethod)), 0.6),
        "locality": _maybe(draw, lambda: _pick(draw, _DISTRICTS + _COMMUNES), 0.5),
        "allowance": _maybe(draw, lambda: _int(draw, 10, 130), 0.5),
    }


def _list(draw: st.DrawFn, item: Callable[[], Any], max_size: int, p_none: float = 0.25) -> Any:
    """``None`` (unknown), or a list of 0..``max_size`` items (empty = known to be none)."""
    if _none(draw, p_none):
        return None
    return [item() for _ in range(_int(draw, 0, max_size))]


def _discipline(draw: st.DrawFn, lo: date, hi: date) -> dict[str, Any]:
    decided = _date(draw, lo, hi)
    return {
        "form": _pick(draw, list(DisciplineForm)),
        "kind": _pick(draw, list(DisciplineKind)),
        "decision_date": decided,
        "effective_date": _maybe(
            draw, lambda: _date(draw, decided, decided + timedelta(days=30)), 0.6
        ),
    }


def _rotation(draw: st.DrawFn, lo: date, hi: date) -> dict[str, Any]:
    start = _date(draw, lo, hi)
    end = _maybe(draw, lambda: _date(draw, start, add_months(start, 60)), 0.4)
    last = min((end or hi).year, hi.year)
    ratings = {
        y: _pick(draw, list(Rating)) for y in range(start.year, last + 1) if not _none(draw, 0.4)
    }
    return {
        "kind": _pick(draw, (MoveKind.LUAN_CHUYEN,) * 3 + (MoveKind.BIET_PHAI,)),
        "from_post": _title(draw, Level.XA if start >= TWO_TIER else Level.HUYEN)[2],
        "to_post": _title(draw, Level.XA)[2],
        "start": start,
        "end": end,
        "ratings": ratings,
    }


def _family(draw: st.DrawFn, gender: Gender, born: date, day: date) -> dict[str, Any]:
    woman = gender is Gender.NU
    child_dob = _maybe(draw, lambda: _date(draw, _years(born, 18), day), 0.4)
    has_children = True if child_dob is not None else _maybe(draw, lambda: draw(_BOOL), 0.3)
    sole_carer = None if woman else _maybe(draw, lambda: draw(_BOOL), 0.5)
    return {
        "pregnant": _maybe(draw, lambda: draw(_BOOL) if woman else False, 0.3),
        "maternity_leave": _maybe(draw, lambda: draw(_BOOL) if woman else False, 0.4),
        "has_children": has_children,
        "youngest_child_date_of_birth": child_dob,
        "sole_carer": sole_carer,
        "sole_carer_reason": None
        if woman or sole_carer is False
        else _maybe(draw, lambda: _pick(draw, list(SoleCarerReason)), 0.6),
    }


@st.composite
def cadres(draw: st.DrawFn, as_of: date | None = None) -> Cadre:
    """A cadre aged 22–64 on ``as_of`` (drawn when not given) with coherent records."""
    day = as_of or draw(as_of_dates())
    gender: Gender = _pick(draw, list(Gender))
    born = _date(draw, _years(day, -64), _years(day, -22))
    adult = _years(born, 22)
    name = " ".join(
        (_pick(draw, _FAMILY), _pick(draw, _MIDDLE[gender]), _pick(draw, _GIVEN[gender]))
    )
    precision = _pick(draw, ("day",) * 8 + ("month", "year"))
    dob: Any = born
    if precision == "month":
        dob = f"{born.month:02d}/{born.year}"
    elif precision == "year":
        dob = str(born.year)
    ethnicity = _maybe(draw, lambda: _pick(draw, _ETHNICITIES), 0.3)
    levels = _levels(day)
    civil = _maybe(draw, lambda: draw(_BOOL), 0.3)
    categories = {
        True: [CadreCategory.CONG_CHUC],
        False: [CadreCategory.CAN_BO, CadreCategory.VIEN_CHUC],
    }
    probed = _maybe(draw, lambda: draw(_PERCENT) >= 85, 0.3)
    data: dict[str, Any] = {
        "id": f"{_pick(draw, ('LS', 'HN', 'CB'))}-{_int(draw, 100, 999999):06d}",
        "name": name,
        "gender": gender,
        "date_of_birth": dob,
        "retirement_age_override_months": _maybe(draw, lambda: _int(draw, 700, 780), 0.95),
        "ethnicity": ethnicity[0] if ethnicity else None,
        "ethnic_minority": ethnicity[1] if ethnicity else _maybe(draw, lambda: draw(_BOOL), 0.5),
        "party_member": _maybe(draw, lambda: _pick(draw, (True, True, True, False)), 0.2),
        "civil_servant": civil,
        "category": _maybe(
            draw, lambda: _pick(draw, categories.get(civil, list(CadreCategory))), 0.4
        ),
        "elected": _maybe(draw, lambda: draw(_BOOL), 0.7),
        "current_post": _maybe(draw, lambda: _current_post(draw, day, adult), 0.15),
        "local_origin": _maybe(draw, lambda: draw(_BOOL), 0.4),
        "consecutive_terms_as_head": _maybe(draw, lambda: _int(draw, 0, 3), 0.5),
        "committee_memberships": _list(
            draw,
            lambda: {
                "level": _pick(draw, levels),
                "role": _pick(draw, list(CommitteeRole)),
                "term": _pick(draw, ("2020-2025", "2025-2030")),
            },
            2,
        ),
        "planning": _list(draw, lambda: _planning(draw, levels, adult, day), 2),
        "disciplines": _list(draw, lambda: _discipline(draw, adult, day), 2, 0.2),
        "under_disciplinary_review": _maybe(draw, lambda: draw(_PERCENT) >= 85, 0.3),
        "under_investigation": probed,
        "criminal_proceedings": _maybe(
            draw, lambda: False if probed is False else draw(_BOOL), 0.6
        ),
        "serious_illness": _maybe(draw, lambda: draw(_PERCENT) >= 90, 0.4),
        "long_term_study": _maybe(draw, lambda: draw(_PERCENT) >= 90, 0.4),
        "currently_seconded": _maybe(draw, lambda: draw(_PERCENT) >= 90, 0.6),
        "special_hardship": _maybe(draw, lambda: draw(_PERCENT) >= 90, 0.4),
        "ratings": _maybe(
            draw,
            lambda: {
                y: _pick(draw, list(Rating))
                for y in range(max(adult.year, day.year - 4), day.year + 1)
                if not _none(draw, 0.3)
            },
            0.2,
        ),
        "degree": _maybe(draw, lambda: _pick(draw, list(DegreeLevel)), 0.3),
        "political_theory": _maybe(draw, lambda: _pick(draw, list(PoliticalTheory)), 0.3),
        "health": _maybe(
            draw,
            lambda: {
                "issued_on": _date(draw, add_months(day, -18), day),
                "fit": draw(_PERCENT) < 90,
            },
            0.3,
        ),
        "family": _maybe(draw, lambda: _family(draw, gender, born, day), 0.2),
        "rotation_history": _list(draw, lambda: _rotation(draw, adult, day), 2, 0.3),
    }
    return Cadre.model_validate(data)


_TITLE_VI: Final[dict[TitleCode, str]] = {
    T.BI_THU: "Bí thư", T.PHO_BI_THU: "Phó Bí thư", T.PHO_BI_THU_THUONG_TRUC: "Phó Bí thư thường trực",
    T.PHO_BI_THU_CHU_TICH_UBND: "Phó Bí thư, Chủ tịch UBND", T.UV_BTV: "Ủy viên Ban Thường vụ",
    T.UV_BCH: "Ủy viên Ban Chấp hành", T.CHU_TICH_HDND: "Chủ tịch HĐND",
    T.PHO_CHU_TICH_HDND: "Phó Chủ tịch HĐND", T.CHU_TICH_UBND: "Chủ tịch UBND",
    T.PHO_CHU_TICH_UBND: "Phó Chủ tịch UBND", T.CHU_TICH_MTTQ: "Chủ tịch Ủy ban MTTQ",
    T.TRUONG_DOAN_THE: "Người đứng đầu đoàn thể", T.PHO_TRUONG_DOAN_THE: "Cấp phó đoàn thể",
    T.GIAM_DOC_SO: "Giám đốc Sở", T.PHO_GIAM_DOC_SO: "Phó Giám đốc Sở", T.TRUONG_BAN: "Trưởng ban",
    T.PHO_TRUONG_BAN: "Phó Trưởng ban", T.TRUONG_PHONG: "Trưởng phòng",
    T.PHO_TRUONG_PHONG: "Phó Trưởng phòng", T.CONG_CHUC: "Công chức", T.KHAC: "Chức danh khác",
}  # fmt: skip


def _title_vi(code: TitleCode) -> str:
    """The Vietnamese name of a title code (the title catalogue's, for codes added later)."""
    return _TITLE_VI.get(code) or catalogue().generic_entry(code).vi


def _planning(draw: st.DrawFn, levels: Sequence[Level], adult: date, day: date) -> dict[str, Any]:
    code = _maybe(draw, lambda: _pick(draw, list(TitleCode)), 0.2)
    term = _pick(draw, ("2020-2025", "2025-2030", "2026-2031"))
    return {
        "title": f"{_title_vi(code) if code else 'Chức danh lãnh đạo, quản lý'} ({term})",
        "title_code": code,
        "level": _pick(draw, levels),
        "term": term,
        "status": _pick(draw, (PlanningStatus.ACTIVE,) * 4 + (PlanningStatus.REMOVED,)),
        "approved_on": _maybe(draw, lambda: _date(draw, adult, day), 0.2),
    }


_NOTES = ("Theo kế hoạch luân chuyển năm", "Đề nghị của Ban Tổ chức", "Theo nguyện vọng cá nhân")


@st.composite
def moves(draw: st.DrawFn, as_of: date | None = None) -> Move:
    """A proposed move evaluated on ``as_of`` (drawn when not given)."""
    day = as_of or draw(as_of_dates())
    start = _maybe(
        draw, lambda: _date(draw, day - timedelta(days=30), day + timedelta(days=180)), 0.2
    )
    end = None
    if start is not None:
        end = _maybe(draw, lambda: min(add_months(start, _int(draw, 6, 72)), DATE_MAX), 0.2)
    data: dict[str, Any] = {
        "kind": _pick(draw, list(MoveKind)),
        "target": draw(positions(day)),
        "decision_date": _maybe(
            draw, lambda: _date(draw, day - timedelta(days=90), day + timedelta(days=180)), 0.6
        ),
        "planned_start": start,
        "planned_end": end,
        "special_case_requested": draw(_PERCENT) >= 90,
        "policy_case": draw(_PERCENT) >= 90,
        "re_election": _maybe(draw, lambda: draw(_BOOL), 0.6),
        "cross_unit": _maybe(draw, lambda: draw(_BOOL), 0.5),
        "requires_civil_service_intake": _maybe(draw, lambda: draw(_BOOL), 0.6),
        "job_position_fit": _maybe(draw, lambda: draw(_BOOL), 0.4),
        "sending_unit_assessed": _maybe(draw, lambda: draw(_BOOL), 0.4),
        "own_request": _maybe(draw, lambda: draw(_BOOL), 0.5),
        "head_other_bar": draw(_PERCENT) >= 90,
        "note": _maybe(draw, lambda: _pick(draw, _NOTES), 0.7),
    }
    return Move.model_validate(data)


@st.composite
def cases(draw: st.DrawFn, as_of: date | None = None) -> GeneratedCase:
    """A whole request: ``(cadre, move, as_of)`` with the as-of date shared by both."""
    day = as_of or draw(as_of_dates())
    return GeneratedCase(draw(cadres(day)), draw(moves(day)), day)

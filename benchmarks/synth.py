"""Deterministic synthetic cadres and moves for the benchmarks (and the reliability tests).

``population(n, seed)`` returns ``n`` (cadre, move) pairs as the JSON-like mappings an HR
export would give: a mix of move kinds, levels and titles, planning entries, discipline
records, ratings, health certificates, family circumstances and current rotations, with
some fields unknown. The same ``n`` and ``seed`` always give the same data.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

__all__ = ["AS_OF", "population"]

#: The evaluation date of the benchmark: every level (province, district, commune) exists.
AS_OF = date(2024, 6, 1)

_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
_MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Quốc", "Ngọc", "Thu"]
_GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hương", "Lan", "Long", "Nam", "Phương"]

# (level, title code, rank) as in the national equivalence table
_TITLES: dict[str, list[tuple[str, int]]] = {
    "xa": [
        ("cong_chuc", 10),
        ("pho_truong_phong", 15),
        ("truong_phong", 20),
        ("pho_chu_tich_ubnd", 30),
        ("chu_tich_hdnd", 35),
        ("chu_tich_ubnd", 40),
        ("pho_bi_thu", 40),
        ("bi_thu", 50),
    ],
    "huyen": [
        ("pho_truong_phong", 40),
        ("truong_phong", 50),
        ("truong_ban", 50),
        ("uv_btv", 60),
        ("pho_chu_tich_ubnd", 60),
        ("chu_tich_ubnd", 70),
        ("pho_bi_thu", 70),
        ("bi_thu", 80),
    ],
    "tinh": [
        ("pho_truong_phong", 40),
        ("truong_phong", 50),
        ("pho_giam_doc_so", 60),
        ("pho_truong_ban", 60),
        ("giam_doc_so", 70),
        ("truong_ban", 70),
    ],
}
_KINDS = ["luan_chuyen"] * 10 + ["dieu_dong"] * 5 + ["biet_phai"] * 2 + ["chuyen_doi_vi_tri"] * 3
_RATINGS = ["htxs"] * 2 + ["htt"] * 5 + ["ht"] * 3 + ["kht"]
_FORMS = ["khien_trach"] * 5 + ["canh_cao"] * 3 + ["cach_chuc", "ha_bac_luong", "khai_tru"]
_DEGREES = ["trung_cap", "cao_dang", "dai_hoc", "dai_hoc", "dai_hoc", "thac_si", "tien_si"]
_THEORY = ["so_cap", "trung_cap", "trung_cap", "cao_cap"]


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange(max(1, (end - start).days)))


def _fmt(d: date, rng: random.Random) -> str:
    """Dates as HR files give them: mostly dd/mm/yyyy, some ISO."""
    return d.strftime("%d/%m/%Y") if rng.random() < 0.8 else d.isoformat()


def _tri(rng: random.Random, p_true: float, p_unknown: float = 0.1) -> bool | None:
    x = rng.random()
    if x < p_unknown:
        return None
    return rng.random() < p_true


def _post(rng: random.Random, level: str) -> tuple[str, int]:
    return rng.choice(_TITLES[level])


def _cadre(i: int, rng: random.Random, as_of: date) -> dict[str, Any]:
    gender = "nu" if rng.random() < 0.4 else "nam"
    middle = "Thị" if gender == "nu" and rng.random() < 0.7 else rng.choice(_MIDDLE)
    name = f"{rng.choice(_FAMILY)} {middle} {rng.choice(_GIVEN)}"
    dob = _day(rng, date(as_of.year - 62, 1, 1), date(as_of.year - 24, 1, 1))
    level = rng.choice(["xa", "xa", "huyen", "huyen", "tinh"])
    code, _rank = _post(rng, level)
    since = _day(rng, max(dob + timedelta(days=365 * 24), date(2012, 1, 1)), as_of)
    cadre: dict[str, Any] = {
        "id": f"CB{i:06d}",
        "name": name,
        "gender": gender,
        "date_of_birth": _fmt(dob, rng),
        "party_member": _tri(rng, 0.9),
        "civil_servant": _tri(rng, 0.8),
        "ethnic_minority": _tri(rng, 0.12),
        "local_origin": _tri(rng, 0.6),
        "current_post": {
            "title": code.replace("_", " ").capitalize(),
            "title_code": code,
            "level": level,
            "since": _fmt(since, rng),
            "role": "cap_truong"
            if code.startswith(("truong", "giam", "bi_thu", "chu_tich"))
            else "cap_pho",
            "allowance": rng.choice([None, 20, 30, 40, 50, 60, 70]),
        },
        "degree": rng.choice([None, *_DEGREES]),
        "political_theory": rng.choice([None, *_THEORY]),
    }
    x = rng.random()
    if x < 0.55:
        plan_level = rng.choice([level, level, "tinh"])
        plan_code, _ = _post(rng, plan_level)
        approved = _day(rng, date(2019, 1, 1), as_of) if rng.random() < 0.9 else None
        cadre["planning"] = [
            {
                "level": plan_level,
                "title_code": plan_code,
                "approved_on": _fmt(approved, rng) if approved else None,
            }
        ]
    elif x < 0.9:
        cadre["planning"] = []
    x = rng.random()
    if x < 0.65:
        cadre["disciplines"] = []
    elif x < 0.92:
        decided = _day(rng, date(as_of.year - 6, 1, 1), as_of)
        cadre["disciplines"] = [
            {
                "form": rng.choice(_FORMS),
                "kind": "dang" if rng.random() < 0.7 else "chinh_quyen",
                "decision_date": _fmt(decided, rng),
            }
        ]
    cadre["under_disciplinary_review"] = _tri(rng, 0.04)
    cadre["under_investigation"] = _tri(rng, 0.03)
    if rng.random() < 0.9:
        years = range(as_of.year - rng.randint(1, 3), as_of.year)
        cadre["ratings"] = {y: rng.choice(_RATINGS) for y in years}
    if rng.random() < 0.7:
        issued = _day(rng, as_of - timedelta(days=400), as_of)
        cadre["health"] = {"issued_on": _fmt(issued, rng), "fit": rng.random() < 0.96}
    if rng.random() < 0.85:
        family: dict[str, Any] = {}
        if gender == "nu":
            family["pregnant"] = rng.random() < 0.05
        else:
            family["sole_carer"] = rng.random() < 0.03
        if rng.random() < 0.7:
            child = _day(rng, as_of - timedelta(days=365 * 18), as_of)
            family["youngest_child_date_of_birth"] = _fmt(child, rng)
        else:
            family["has_children"] = rng.random() < 0.3
        cadre["family"] = family
    x = rng.random()
    if x < 0.2:
        start = _day(rng, as_of - timedelta(days=365 * 4), as_of)
        cadre["rotation_history"] = [{"start": _fmt(start, rng), "from_post": "—"}]
    elif x < 0.8:
        cadre["rotation_history"] = []
    return {k: v for k, v in cadre.items() if v is not None}


def _move(rng: random.Random, cadre: dict[str, Any], as_of: date) -> dict[str, Any]:
    kind = rng.choice(_KINDS)
    level = cadre["current_post"]["level"]
    if kind == "luan_chuyen":
        level = rng.choice(
            {"xa": ["xa", "huyen"], "huyen": ["xa", "huyen", "tinh"]}.get(level, ["huyen", "tinh"])
        )
    code, _ = _post(rng, level)
    target: dict[str, Any] = {
        "title": code.replace("_", " ").capitalize(),
        "title_code": code,
        "level": level,
        "vacant": _tri(rng, 0.85),
        "created_for_move": rng.random() < 0.03,
        "allowance": rng.choice([None, 20, 30, 40, 50, 60, 70]),
    }
    if rng.random() < 0.5:
        target["required_degree"] = rng.choice(["dai_hoc", "dai_hoc", "thac_si"])
    if rng.random() < 0.4:
        target["required_political_theory"] = rng.choice(["trung_cap", "cao_cap"])
    move: dict[str, Any] = {
        "kind": kind,
        "target": {k: v for k, v in target.items() if v is not None},
        "special_case_requested": rng.random() < 0.05,
        "policy_case": rng.random() < 0.05,
    }
    if kind in ("luan_chuyen", "biet_phai") and rng.random() < 0.9:
        start = as_of + timedelta(days=rng.randint(0, 90))
        months = rng.choice([12, 24, 30, 36, 36, 48, 60])
        move["planned_start"] = _fmt(start, rng)
        move["planned_end"] = _fmt(start + timedelta(days=months * 30 + 5), rng)
    if rng.random() < 0.2:
        move["re_election"] = rng.random() < 0.5
    return move


def population(
    n: int, seed: int = 65, as_of: date = AS_OF
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """``n`` deterministic (cadre, move) pairs as JSON-like mappings."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        cadre = _cadre(i, rng, as_of)
        out.append((cadre, _move(rng, cadre, as_of)))
    return out

"""Current and target posts: levels, equivalence, time in post, standards, allowance."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from luanchuyen.dates import add_months, completed_months
from luanchuyen.facts._inputs import Inputs, dmy
from luanchuyen.facts.equivalence import PostRef, rank_of, relation
from luanchuyen.models import FillMethod, Level, PostRole, TitleCode
from luanchuyen.models.titles import TitleSystem, catalogue

T = TitleCode
#: Rank of each level, the centre first (a larger number is a lower level).
LEVEL_ORDER = {Level.TRUNG_UONG: 0, Level.TINH: 1, Level.HUYEN: 2, Level.XA: 3}
KEY_COMMUNE_TITLES = frozenset(
    {T.BI_THU, T.PHO_BI_THU, T.PHO_BI_THU_THUONG_TRUC, T.PHO_BI_THU_CHU_TICH_UBND,
     T.CHU_TICH_HDND, T.PHO_CHU_TICH_HDND, T.CHU_TICH_UBND, T.PHO_CHU_TICH_UBND,
     T.CHU_TICH_MTTQ, T.TRUONG_DOAN_THE}
)  # fmt: skip
ELECTED_TITLES = KEY_COMMUNE_TITLES | {T.UV_BTV, T.UV_BCH}
APPOINTED_TITLES = frozenset(
    {T.TRUONG_PHONG, T.PHO_TRUONG_PHONG, T.TRUONG_BAN, T.PHO_TRUONG_BAN, T.GIAM_DOC_SO,
     T.PHO_GIAM_DOC_SO, T.CONG_CHUC, T.CHANH_VAN_PHONG, T.PHO_CHANH_VAN_PHONG,
     T.GIAM_DOC_TRUNG_TAM, T.PHO_GIAM_DOC_TRUNG_TAM}
)  # fmt: skip
#: Heads and deputies of the commune People's Committee departments (Nghị định 150/2025; the
#: Văn phòng HĐND và UBND when the catalogue places the office in the State system).
COMMUNE_DEPARTMENT_TITLES = frozenset({T.TRUONG_PHONG, T.PHO_TRUONG_PHONG})
_OFFICE_TITLES = frozenset({T.CHANH_VAN_PHONG, T.PHO_CHANH_VAN_PHONG})
#: Codes of the ``target_commune_post_class`` fact (the deciding authority after 2025).
COMMUNE_POST_CLASSES = ("party_or_key", "department", "civil_servant")

__all__ = [
    "APPOINTED_TITLES",
    "COMMUNE_DEPARTMENT_TITLES",
    "COMMUNE_POST_CLASSES",
    "ELECTED_TITLES",
    "KEY_COMMUNE_TITLES",
    "LEVEL_ORDER",
    "commune_post_class",
    "derive",
    "rank_of",
]


def commune_post_class(
    level: Level,
    title_code: TitleCode | None,
    post_code: str | None,
    key_post: bool | None,
    on: date,
) -> str | None:
    """The class of a commune post that decides who decides (law-2026 §1.3, issue 12).

    ``party_or_key``: a Party post or a key commune post (Quy định 298, 377); ``department``:
    a head or deputy of a commune department (Nghị định 150/2025); ``civil_servant``: another
    commune civil servant (Nghị định 170/2025 Điều 25.2). ``None`` when the post says too
    little (a Trưởng ban of a Party board or of a People's Council committee; the service
    centre, whose appointing authority is not sourced). The system comes from the catalogue
    entry ``post_code``, else from the title when the catalogue gives it one system on ``on``.
    """
    if level is not Level.XA:
        return None
    cat = catalogue()
    entry = cat.get(post_code) if post_code else None
    code = title_code
    if entry is not None:
        system = entry.system
    else:
        system = cat.system_of(code, Level.XA, on) if code is not None else None
    if key_post is True or system is TitleSystem.DANG:
        return "party_or_key"
    if code in COMMUNE_DEPARTMENT_TITLES or (
        code in _OFFICE_TITLES and system is TitleSystem.NHA_NUOC
    ):
        return "department"
    if code is T.CONG_CHUC:
        return "civil_servant"
    return None


def derive(x: Inputs) -> None:
    """Derive post facts; the equivalence table is the ``post_equivalence`` parameter."""
    cur, tgt, c = x.cadre.current_post, x.move.target, x.cadre
    x.put("target_level", tgt.level.value)
    x.put("target_title_code", tgt.title_code.value if tgt.title_code else None)
    if tgt.key_commune_post is not None:
        key_post: bool | None = tgt.key_commune_post
    elif tgt.level is not Level.XA:
        key_post = False
    elif tgt.title_code is not None:
        key_post = tgt.title_code in KEY_COMMUNE_TITLES
    else:
        key_post = None
    x.put("target_is_key_commune_post", key_post)
    post_class = commune_post_class(tgt.level, tgt.title_code, tgt.post_code, key_post, x.as_of)
    x.put("target_commune_post_class", post_class)
    if tgt.fill_method is not None:
        x.put("target_is_elected", tgt.fill_method is FillMethod.BAU_CU)
    elif tgt.title_code in ELECTED_TITLES:
        x.put("target_is_elected", True)
    elif tgt.title_code in APPOINTED_TITLES:
        x.put("target_is_elected", False)
    x.put("target_vacant", tgt.vacant)
    x.put("target_created_for_move", tgt.created_for_move)
    x.put("target_on_post_change_list", tgt.on_post_change_list)
    x.put("target_requires_degree", tgt.required_degree is not None)
    x.put("target_requires_political_theory", tgt.required_political_theory is not None)
    if tgt.required_degree is not None and c.degree is not None:
        x.put("degree_gap", c.degree.rank - tgt.required_degree.rank)
    if tgt.required_political_theory is not None and c.political_theory is not None:
        x.put("political_theory_gap", c.political_theory.rank - tgt.required_political_theory.rank)
    if cur is None:
        return
    x.put("current_level", cur.level.value)
    x.put("current_title_code", cur.title_code.value if cur.title_code else None)
    x.put("current_on_post_change_list", cur.on_post_change_list)
    x.put("current_is_head", cur.role is PostRole.CAP_TRUONG)
    x.put("current_is_deputy", cur.role is PostRole.CAP_PHO)
    d_cur, d_tgt = LEVEL_ORDER[cur.level], LEVEL_ORDER[tgt.level]
    x.put("level_direction", "same" if d_cur == d_tgt else ("down" if d_tgt > d_cur else "up"))
    mine = (
        PostRef(cur.level, cur.title_code, cur.rank),
        *(PostRef(p.level, p.title_code, p.rank) for p in cur.other_posts),
    )
    found = relation(mine, PostRef(tgt.level, tgt.title_code, tgt.rank), x.params, x.as_of)
    if found is not None:
        x.put("target_relation", found[0])
        x.put("target_relation_source", found[1])
    if cur.since is not None and cur.since <= x.as_of:
        x.put("months_in_current_post", completed_months(cur.since, x.as_of))
    if cur.allowance is not None and tgt.allowance is not None:
        x.put("allowance_gap", tgt.allowance - cur.allowance)
    if x.move.cross_unit is not None:
        x.put("cross_unit", x.move.cross_unit)
    elif cur.body and tgt.body:
        x.put("cross_unit", cur.body.casefold() != tgt.body.casefold())
    x.context["appointment_end"] = dmy(add_months(x.reference_date, 60))
    authority = x.params.get("deciding_authority")
    if isinstance(authority, Mapping):
        entry = authority.get(tgt.level.value)
        if isinstance(entry, Mapping) and isinstance(entry.get(post_class), Mapping):
            entry = entry[post_class]  # by the class of the commune post (from 01/07/2025)
        if isinstance(entry, Mapping):
            x.context["authority_vi"] = entry.get("vi", "")
            x.context["authority_en"] = entry.get("en", "")

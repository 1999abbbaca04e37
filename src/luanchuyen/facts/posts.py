"""Current and target posts: levels, equivalence, time in post, standards, allowance."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from luanchuyen.dates import add_months, completed_months
from luanchuyen.facts._inputs import Inputs, dmy
from luanchuyen.models import FillMethod, Level, PostRole, TitleCode

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
     T.PHO_GIAM_DOC_SO, T.CONG_CHUC}
)  # fmt: skip


def rank_of(
    level: Level, title_code: TitleCode | None, rank: int | None, table: Sequence[Mapping[str, Any]]
) -> int | None:
    """A post's equivalence rank: its own ``rank``, else the equivalence table, else unknown."""
    if rank is not None:
        return rank
    if title_code is None:
        return None
    row = _index(table).get((level.value, title_code.value))
    return None if row is None else int(row["rank"])


# id(table) -> (table, {(level, title_code): first matching row}); the table is kept in the
# entry so that its id cannot be reused while the entry lives.
_INDEXES: dict[int, tuple[Sequence[Mapping[str, Any]], dict[tuple[Any, Any], Mapping[str, Any]]]]
_INDEXES = {}


def _index(table: Sequence[Mapping[str, Any]]) -> dict[tuple[Any, Any], Mapping[str, Any]]:
    """The equivalence table indexed by (level, title code), first row winning as in a scan."""
    hit = _INDEXES.get(id(table))
    if hit is not None and hit[0] is table:
        return hit[1]
    index: dict[tuple[Any, Any], Mapping[str, Any]] = {}
    for row in table:
        index.setdefault((row.get("level"), row.get("title_code")), row)
    if len(_INDEXES) > 64:
        _INDEXES.clear()
    _INDEXES[id(table)] = (table, index)
    return index


def derive(x: Inputs) -> None:
    """Derive post facts; the equivalence table is the ``post_equivalence`` parameter."""
    cur, tgt, c = x.cadre.current_post, x.move.target, x.cadre
    table: Sequence[Mapping[str, Any]] = x.params.get("post_equivalence", ())
    x.put("target_level", tgt.level.value)
    x.put("target_title_code", tgt.title_code.value if tgt.title_code else None)
    if tgt.key_commune_post is not None:
        x.put("target_is_key_commune_post", tgt.key_commune_post)
    elif tgt.level is not Level.XA:
        x.put("target_is_key_commune_post", False)
    elif tgt.title_code is not None:
        x.put("target_is_key_commune_post", tgt.title_code in KEY_COMMUNE_TITLES)
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
    explicit = cur.rank is not None and tgt.rank is not None
    comparable = explicit or cur.level is tgt.level or bool(x.params.get("equivalence_cross_level"))
    r_cur = rank_of(cur.level, cur.title_code, cur.rank, table)
    r_tgt = rank_of(tgt.level, tgt.title_code, tgt.rank, table)
    if comparable and r_cur is not None and r_tgt is not None:
        relation = "equivalent" if r_cur == r_tgt else ("higher" if r_tgt > r_cur else "lower")
        x.put("target_relation", relation)
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
        if isinstance(entry, Mapping):
            x.context["authority_vi"] = entry.get("vi", "")
            x.context["authority_en"] = entry.get("en", "")

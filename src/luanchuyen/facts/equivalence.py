"""Equivalence of posts (tương đương chức vụ): which table compares two posts, and how.

``target_relation`` says whether the target post is ``equivalent``, ``higher`` or ``lower``
than the person's post, and ``target_relation_source`` which source decided it. A comparison
uses the first source that places **every** post in it (the person's posts and the target):

1. ``explicit`` — ranks given on the input (``rank``) for all of them;
2. ``province`` — the province's detailed list (overlay parameter ``post_tiers_local``, rows
   ``{level, title_code, group, tier, deputy}``), which Quy định 368-QĐ/TW delegates to it;
3. the central list of the regime in force (parameter ``post_equivalence_regime`` names it,
   parameter ``post_tiers`` holds its sourced rows): ``kl35`` (Kết luận 35-KL/TW,
   05/05/2022 – 07/09/2025: the commune tiers) or ``qd368`` (from 08/09/2025; its Group IV
   rows for provinces and communes were not seen, so the national pack lists none);
4. ``structural`` — for a person with one post, at the same level, with titles that each name
   one kind of post there on that day (title catalogue) and no two systems: the same title
   (equivalent), or a deputy title and its own head title (parameter ``post_deputy_of``) [I];
5. ``library`` — the library's rank table (parameter ``post_equivalence``, tagged [I]) for the
   pairs no sourced list places, while the dated flag ``equivalence_library_fallback`` allows
   it (a province with its QĐ 368 list may switch it off), and only within one level unless
   ``equivalence_cross_level`` is set; the rule ``equivalence_library_table`` warns.

Before any table is read, a post the law declares equal to another (parameter
``post_same_as``; Nghị quyết 332: Phó Giám đốc Trung tâm Phục vụ hành chính công xã ≡ Phó
Trưởng phòng thuộc UBND xã) is read as that post. Tiers compare within one group: a lower
tier number is a higher post, and in one tier a head is above the matching deputy (QĐ 368:
heads and deputies in matching tiers); posts of different groups are not compared (unknown).
A person with several posts is placed by the highest (QĐ 368). A table that places all the
posts decides; it never hands a pair on to a weaker source.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from luanchuyen.models import Level, TitleCode
from luanchuyen.models.titles import catalogue

__all__ = ["RELATION_SOURCES", "PostRef", "rank_of", "relation"]

#: The codes of the ``target_relation_source`` fact.
RELATION_SOURCES: Final = ("explicit", "province", "kl35", "qd368", "structural", "library")
_REGIMES: Final = frozenset({"kl35", "qd368"})


@dataclass(frozen=True, slots=True)
class PostRef:
    """What equivalence reads of a post: level, title code, and the rank given on the input."""

    level: Level
    title_code: TitleCode | None
    rank: int | None = None


@dataclass(frozen=True, slots=True, order=True)
class _Place:
    group: str
    tier: int
    deputy: bool


_UNVERIFIED: Final = _Place("", 0, False)


def rank_of(
    level: Level, title_code: TitleCode | None, rank: int | None, table: Sequence[Mapping[str, Any]]
) -> int | None:
    """A post's library rank: its own ``rank``, else the ``post_equivalence`` table, else unknown."""
    if rank is not None:
        return rank
    if title_code is None:
        return None
    row = _index(table).get((level.value, title_code.value))
    return None if row is None else int(row["rank"])


# id(table) -> (table, {(level, title_code): first matching row}); the table is kept in the
# entry so that its id cannot be reused while the entry lives.
_INDEXES: dict[int, tuple[Any, dict[tuple[Any, Any], Any]]] = {}


def _index(table: Any) -> dict[tuple[Any, Any], Any]:
    """A table of rows indexed by (level, title code), the first row winning as in a scan.

    Anything but a list of mappings indexes as empty (a row that is not a mapping is skipped).
    """
    hit = _INDEXES.get(id(table))
    if hit is not None and hit[0] is table:
        return hit[1]
    index: dict[tuple[Any, Any], Any] = {}
    if isinstance(table, Sequence) and not isinstance(table, str):
        for row in table:
            if isinstance(row, Mapping):
                index.setdefault((row.get("level"), row.get("title_code")), row)
    if len(_INDEXES) > 64:
        _INDEXES.clear()
    _INDEXES[id(table)] = (table, index)
    return index


def _key(post: PostRef) -> tuple[str, str | None]:
    return post.level.value, post.title_code.value if post.title_code else None


def _place(table: Any, post: PostRef) -> _Place | None:
    row = _index(table).get(_key(post))
    if row is None:
        return None
    tier = row.get("tier")
    if tier is None:  # listed, but its tier is not verified: comparisons with it are unknown
        return _UNVERIFIED
    if not isinstance(tier, int) or isinstance(tier, bool):
        raise ValueError(f"equivalence row {dict(row)!r}: tier must be an integer or null")
    return _Place(str(row.get("group")), tier, bool(row.get("deputy", False)))


def _by_tiers(table: Any, posts: Sequence[PostRef], target: PostRef) -> tuple[bool, str | None]:
    """(placed, relation) from a tier table: ``placed`` when it lists every post."""
    if not table:
        return False, None
    t = _place(table, target)
    places = [_place(table, p) for p in posts]
    if t is None or any(p is None for p in places):
        return False, None
    placed = [p for p in places if p is not None]
    if t is _UNVERIFIED or any(p is _UNVERIFIED or p.group != t.group for p in placed):
        return True, None
    best = min(placed, key=lambda p: (p.tier, p.deputy))  # the highest post
    mine, theirs = (best.tier, best.deputy), (t.tier, t.deputy)
    if mine == theirs:
        return True, "equivalent"
    return True, "higher" if theirs < mine else "lower"


def _canonical(post: PostRef, same_as: Any) -> PostRef:
    if post.title_code is None:
        return post
    row = _index(same_as).get(_key(post))
    if row is None:
        return post
    return PostRef(post.level, TitleCode(row["same_as"]), post.rank)


def _structural(post: PostRef, target: PostRef, deputy_of: Any, day: date) -> str | None:
    a, b = post.title_code, target.title_code
    if post.level is not target.level or a is None or b is None:
        return None
    cat = catalogue()
    if not (cat.names_one_kind(a, post.level, day) and cat.names_one_kind(b, post.level, day)):
        return None  # a title shared by posts of different systems (a Trưởng ban…)
    sa, sb = cat.system_of(a, post.level, day), cat.system_of(b, post.level, day)
    if sa is not None and sb is not None and sa is not sb:
        return None
    if a is b:
        return "equivalent"
    heads = {str(k): str(v) for k, v in deputy_of.items()} if isinstance(deputy_of, Mapping) else {}
    if heads.get(a.value) == b.value:
        return "higher"
    if heads.get(b.value) == a.value:
        return "lower"
    return None


def _compare(mine: int, theirs: int) -> str:
    return "equivalent" if mine == theirs else ("higher" if theirs > mine else "lower")


def relation(
    posts: Sequence[PostRef], target: PostRef, params: Mapping[str, Any], day: date
) -> tuple[str, str] | None:
    """``(relation, source)`` of ``target`` against the highest of ``posts``; ``None`` = unknown.

    Raises:
        ValueError, KeyError, TypeError: a malformed table (a rank or tier that is not a
            number, a ``same_as`` that is not a title code).
    """
    if not posts:
        return None
    if target.rank is not None and all(p.rank is not None for p in posts):
        return _compare(max(p.rank for p in posts if p.rank is not None), target.rank), "explicit"
    same_as = params.get("post_same_as")
    mine = [_canonical(p, same_as) for p in posts]
    theirs = _canonical(target, same_as)
    regime = params.get("post_equivalence_regime")
    tables = [("province", params.get("post_tiers_local"))]
    if regime in _REGIMES:
        tables.append((str(regime), params.get("post_tiers")))
    for source, table in tables:
        placed, rel = _by_tiers(table, mine, theirs)
        if placed:
            return None if rel is None else (rel, source)
    if len(mine) == 1:
        rel = _structural(mine[0], theirs, params.get("post_deputy_of"), day)
        if rel is not None:
            return rel, "structural"
    if not params.get("equivalence_library_fallback", True):
        return None
    table = params.get("post_equivalence", ())
    cross = bool(params.get("equivalence_cross_level"))
    if not cross and any(p.level is not theirs.level for p in mine):
        return None
    r_tgt = rank_of(theirs.level, theirs.title_code, theirs.rank, table)
    ranks = [rank_of(p.level, p.title_code, p.rank, table) for p in mine]
    if r_tgt is None or any(r is None for r in ranks):
        return None
    return _compare(max(r for r in ranks if r is not None), r_tgt), "library"

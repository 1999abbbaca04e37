"""Private: the bundle every fact-deriving function receives."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Final, NamedTuple

from luanchuyen.facts.registry import FactValue
from luanchuyen.models import Cadre, Move
from luanchuyen.retirement_law import Retirement


def dmy(d: date) -> str:
    """``dd/mm/yyyy``, exactly as ``d.strftime("%d/%m/%Y")`` (a third of its cost)."""
    if d.year < 1000:  # strftime does not pad such years; keep its output
        return d.strftime("%d/%m/%Y")
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


@dataclass(slots=True)
class Inputs:
    """What a topic module reads (inputs) and writes (facts, context)."""

    cadre: Cadre
    move: Move
    as_of: date
    reference_date: date
    params: Mapping[str, Any]
    retirement: Retirement
    facts: dict[str, FactValue]
    context: dict[str, Any]

    def put(self, name: str, value: FactValue | None) -> None:
        """Record a fact; ``None`` means unknown and is simply left out."""
        if value is not None:
            self.facts[name] = value


class Dropped(NamedTuple):
    """A record :func:`known_on` left out: its input path and date, and how people read it."""

    path: str  # ``planning[0] 01/01/2099`` (machine)
    vi: str
    en: str


def _planning(planning: Any, as_of: date) -> tuple[Any, list[Dropped]]:
    if not planning or all(p.approved_on is None or p.approved_on <= as_of for p in planning):
        return planning, []
    dropped = []
    for i, p in enumerate(planning):
        if p.approved_on is not None and p.approved_on > as_of:
            d = dmy(p.approved_on)
            dropped.append(Dropped(f"planning[{i}] {d}", f"quy hoạch thứ {i + 1} (phê duyệt {d})",
                                   f"planning entry {i + 1} (approved {d})"))  # fmt: skip
    return [p for p in planning if p.approved_on is None or p.approved_on <= as_of], dropped


def _disciplines(disciplines: Any, as_of: date) -> tuple[Any, list[Dropped]]:
    later = [i for i, d in enumerate(disciplines or ()) if d.decision_date > as_of]
    if not later:
        return disciplines, []
    dropped = []
    for i in later:
        d = dmy(disciplines[i].decision_date)
        dropped.append(Dropped(f"disciplines[{i}] {d}", f"kỷ luật thứ {i + 1} (quyết định {d})",
                               f"discipline {i + 1} (decided {d})"))  # fmt: skip
    return [d for d in disciplines if d.decision_date <= as_of], dropped


def _ratings(ratings: Any, as_of: date) -> tuple[Any, list[Dropped]]:
    if not ratings or max(ratings) <= as_of.year:
        return ratings, []
    dropped = [Dropped(f"ratings[{y}]", f"xếp loại năm {y}", f"rating of {y}")
               for y in sorted(ratings) if y > as_of.year]  # fmt: skip
    return {y: r for y, r in ratings.items() if y <= as_of.year}, dropped


def _rotations(history: Any, as_of: date) -> tuple[Any, list[Dropped]]:
    if not history:
        return history, []
    dropped: list[Dropped] = []
    rotations = []
    for i, rot in enumerate(history):
        if rot.start > as_of:
            d = dmy(rot.start)
            dropped.append(Dropped(f"rotation_history[{i}] {d}", f"luân chuyển thứ {i + 1} (bắt đầu {d})",
                                   f"rotation {i + 1} (starting {d})"))  # fmt: skip
            continue
        if rot.ratings and max(rot.ratings) > as_of.year:
            later_years = sorted(y for y in rot.ratings if y > as_of.year)
            dropped += [Dropped(f"rotation_history[{i}].ratings[{y}]",
                                f"xếp loại năm {y} của lần luân chuyển thứ {i + 1}",
                                f"rating of {y} in rotation {i + 1}") for y in later_years]  # fmt: skip
            rot = rot.model_copy(
                update={"ratings": {y: r for y, r in rot.ratings.items() if y <= as_of.year}}
            )
        rotations.append(rot)
    return (rotations if dropped else history), dropped


def _health(health: Any, as_of: date) -> tuple[Any, list[Dropped]]:
    if health is None or health.issued_on <= as_of:
        return health, []
    d = dmy(health.issued_on)
    return None, [Dropped(f"health {d}", f"giấy khám sức khỏe (cấp {d})",
                          f"health certificate (issued {d})")]  # fmt: skip


def _family(family: Any, as_of: date) -> tuple[Any, list[Dropped]]:
    child = family.youngest_child_date_of_birth if family is not None else None
    if child is None or child <= as_of:
        return family, []
    d = dmy(child)
    left = Dropped(f"family.youngest_child_date_of_birth {d}", f"ngày sinh của con nhỏ nhất ({d})",
                   f"youngest child's date of birth ({d})")  # fmt: skip
    return family.model_copy(update={"youngest_child_date_of_birth": None}), [left]


#: The cadre's dated records, field by field: ``(value, as_of) → (value as it stood on
#: as_of, what was left out)``. The value comes back the same object when nothing is left out.
KNOWN_ON: Final[Mapping[str, Callable[[Any, date], tuple[Any, list[Dropped]]]]] = {
    "planning": _planning,
    "disciplines": _disciplines,
    "ratings": _ratings,
    "rotation_history": _rotations,
    "health": _health,
    "family": _family,
}


#: The date of each dated record that :data:`KNOWN_ON` compares with as_of (the ratings go
#: by their year). The column way of tables sends a row with a later one the model way.
DATED: Final[Mapping[str, str]] = {
    "planning": "approved_on",
    "disciplines": "decision_date",
    "rotation_history": "start",
    "health": "issued_on",
    "family": "youngest_child_date_of_birth",
}


def known_on(cadre: Cadre, as_of: date) -> tuple[Cadre, tuple[Dropped, ...]]:
    """The cadre as the record stood on ``as_of``: what is dated after it does not exist yet.

    One rule for every dated record (issue 17 item 4): a planning approval, a discipline
    decision, a rating (its year), a rotation (its start), a rotation's rating, a health
    certificate (its issue date) or a youngest child's birth dated after ``as_of`` is left
    out, and named in the returned :class:`Dropped` entries (``planning[0] 01/01/2099``,
    «quy hoạch thứ 1 (phê duyệt 01/01/2099)»). The cadre is returned unchanged (the same
    object) when nothing is dated after ``as_of``. Field by field, the rule is
    :data:`KNOWN_ON` (the column reader of tables applies it to each distinct record).
    """
    dropped: list[Dropped] = []
    update: dict[str, Any] = {}
    for name, known in KNOWN_ON.items():
        value, left = known(getattr(cadre, name), as_of)
        if left:
            dropped += left
            update[name] = value
    if not update:
        return cadre, ()
    return cadre.model_copy(update=update), tuple(dropped)

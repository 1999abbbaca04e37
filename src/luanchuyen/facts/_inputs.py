"""Private: the bundle every fact-deriving function receives."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

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


#: How people read the records :func:`known_on` leaves out (the input path's first part).
_RECORD_WORDS: dict[str, tuple[str, str]] = {
    "planning": ("quy hoạch thứ {n} (phê duyệt {d})", "planning entry {n} (approved {d})"),
    "disciplines": ("kỷ luật thứ {n} (quyết định {d})", "discipline {n} (decided {d})"),
    "ratings": ("xếp loại năm {y}", "rating of {y}"),
    "rotation": ("luân chuyển thứ {n} (bắt đầu {d})", "rotation {n} (starting {d})"),
    "rotation_rating": (
        "xếp loại năm {y} của lần luân chuyển thứ {n}",
        "rating of {y} in rotation {n}",
    ),
    "health": ("giấy khám sức khỏe (cấp {d})", "health certificate (issued {d})"),
    "child": ("ngày sinh của con nhỏ nhất ({d})", "youngest child's date of birth ({d})"),
}


def record_words(dropped: tuple[str, ...]) -> tuple[str, str]:
    """The records :func:`known_on` left out, in Vietnamese and in English (one line each).

    >>> record_words(("planning[0] 01/01/2099", "ratings[2027]"))[0]
    'quy hoạch thứ 1 (phê duyệt 01/01/2099), xếp loại năm 2027'
    """
    vi: list[str] = []
    en: list[str] = []
    for item in dropped:
        path, _, day = item.partition(" ")
        head, _, rest = path.partition("[")
        index = rest.split("]", 1)[0]
        if head == "rotation_history" and ".ratings[" in path:
            key, n, y = "rotation_rating", int(index) + 1, path.rsplit("[", 1)[1].rstrip("]")
        elif head == "rotation_history":
            key, n, y = "rotation", int(index) + 1, ""
        elif head == "ratings":
            key, n, y = "ratings", 0, index
        elif head.startswith("family"):
            key, n, y = "child", 0, ""
        else:
            key, n, y = head, int(index) + 1 if index else 0, ""
        words_vi, words_en = _RECORD_WORDS[key]
        vi.append(words_vi.format(n=n, d=day, y=y))
        en.append(words_en.format(n=n, d=day, y=y))
    return ", ".join(vi), ", ".join(en)


def known_on(cadre: Cadre, as_of: date) -> tuple[Cadre, tuple[str, ...]]:
    """The cadre as the record stood on ``as_of``: what is dated after it does not exist yet.

    One rule for every dated record (issue 17 item 4): a planning approval, a discipline
    decision, a rating (its year), a rotation (its start), a rotation's rating, a health
    certificate (its issue date) or a youngest child's birth dated after ``as_of`` is left
    out, and named in the returned warnings (``planning[0] 01/01/2099``). The cadre is
    returned unchanged (the same object) when nothing is dated after ``as_of``.
    """
    dropped: list[str] = []
    update: dict[str, Any] = {}
    if cadre.planning:
        kept = [p for p in cadre.planning if p.approved_on is None or p.approved_on <= as_of]
        if len(kept) != len(cadre.planning):
            dropped += [
                f"planning[{i}] {dmy(p.approved_on)}"
                for i, p in enumerate(cadre.planning)
                if p.approved_on is not None and p.approved_on > as_of
            ]
            update["planning"] = kept
    if cadre.disciplines:
        later = [i for i, d in enumerate(cadre.disciplines) if d.decision_date > as_of]
        if later:
            dropped += [
                f"disciplines[{i}] {dmy(cadre.disciplines[i].decision_date)}" for i in later
            ]
            update["disciplines"] = [d for d in cadre.disciplines if d.decision_date <= as_of]
    if cadre.ratings and max(cadre.ratings) > as_of.year:
        dropped += [f"ratings[{y}]" for y in sorted(cadre.ratings) if y > as_of.year]
        update["ratings"] = {y: r for y, r in cadre.ratings.items() if y <= as_of.year}
    if cadre.rotation_history:
        rotations = []
        for i, rot in enumerate(cadre.rotation_history):
            if rot.start > as_of:
                dropped.append(f"rotation_history[{i}] {dmy(rot.start)}")
                continue
            if rot.ratings and max(rot.ratings) > as_of.year:
                later_years = sorted(y for y in rot.ratings if y > as_of.year)
                dropped += [f"rotation_history[{i}].ratings[{y}]" for y in later_years]
                rot = rot.model_copy(
                    update={"ratings": {y: r for y, r in rot.ratings.items() if y <= as_of.year}}
                )
            rotations.append(rot)
        if len(dropped) and rotations != cadre.rotation_history:
            update["rotation_history"] = rotations
    if cadre.health is not None and cadre.health.issued_on > as_of:
        dropped.append(f"health {dmy(cadre.health.issued_on)}")
        update["health"] = None
    family = cadre.family
    child = family.youngest_child_date_of_birth if family is not None else None
    if family is not None and child is not None and child > as_of:
        dropped.append(f"family.youngest_child_date_of_birth {dmy(child)}")
        update["family"] = family.model_copy(update={"youngest_child_date_of_birth": None})
    if not update:
        return cadre, ()
    return cadre.model_copy(update=update), tuple(dropped)

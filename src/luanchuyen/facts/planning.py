"""Planning (quy hoạch) and Party committee membership."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from luanchuyen.facts._inputs import Inputs
from luanchuyen.models import CommitteeRole, Level, PlanningEntry, TitleCode

T = TitleCode
#: Planned titles that count as a district-level top post (``planned_district_top_post``).
DISTRICT_TOP_TITLES = frozenset(
    {T.BI_THU, T.PHO_BI_THU, T.PHO_BI_THU_THUONG_TRUC, T.CHU_TICH_HDND, T.PHO_CHU_TICH_HDND,
     T.CHU_TICH_UBND, T.PHO_CHU_TICH_UBND}
)  # fmt: skip
#: Planned titles for ``planned_district_standing_or_head``.
DISTRICT_STANDING_OR_HEAD_TITLES = frozenset(
    {T.UV_BTV, T.TRUONG_PHONG, T.TRUONG_BAN, T.TRUONG_DOAN_THE, T.CHU_TICH_MTTQ}
)
#: Planned titles for ``planned_district_committee``.
DISTRICT_COMMITTEE_TITLES = frozenset({T.UV_BCH, T.UV_BTV})


def _planned(entries: Iterable[PlanningEntry], codes: frozenset[TitleCode]) -> bool | None:
    """Whether an active district-level entry has one of ``codes`` (unknown if codes missing)."""
    unsure = False
    for e in entries:
        if e.level is not Level.HUYEN:
            continue
        if e.title_code is None:
            unsure = True
        elif e.title_code in codes:
            return True
    return None if unsure else False


def derive(x: Inputs) -> None:
    """Derive planning facts; ``planning_disciplined`` follows QĐ 50 automatic removal.

    A discipline counts when it took effect after the planning was approved and no later than
    the parameter ``planning_removal_by_discipline_until`` (the end of QĐ 50).
    """
    c = x.cadre
    active = c.active_planning
    if active is not None:
        x.put("in_planning", bool(active))
        x.put("planned_district_top_post", _planned(active, DISTRICT_TOP_TITLES))
        x.put(
            "planned_district_standing_or_head", _planned(active, DISTRICT_STANDING_OR_HEAD_TITLES)
        )
        x.put("planned_district_committee", _planned(active, DISTRICT_COMMITTEE_TITLES))
        target = x.move.target
        if target.title_code is not None:
            if any(e.title_code == target.title_code and e.level == target.level for e in active):
                x.put("planned_for_target", True)
            elif all(e.title_code is not None for e in active):
                x.put("planned_for_target", False)
        x.put("planning_disciplined", _planning_disciplined(x, active))
    if c.committee_memberships is not None:
        roles = {
            CommitteeRole.UV_BCH,
            CommitteeRole.UV_BTV,
            CommitteeRole.PHO_BI_THU,
            CommitteeRole.BI_THU,
        }
        x.put(
            "district_committee_member",
            any(m.level is Level.HUYEN and m.role in roles for m in c.committee_memberships),
        )


def _planning_disciplined(x: Inputs, active: list[PlanningEntry]) -> bool | None:
    disciplines = x.cadre.disciplines
    if not active:
        return False
    if disciplines is None:
        return None
    until = x.params.get("planning_removal_by_discipline_until")
    cutoff = min(x.as_of, date.fromisoformat(str(until))) if until else x.as_of
    effective = [d.effective for d in disciplines if d.effective <= cutoff]
    if not effective:
        return False
    latest = max(effective)
    approvals = [e.approved_on for e in active]
    if any(a is not None and a <= latest for a in approvals):
        return True
    return None if any(a is None for a in approvals) else False

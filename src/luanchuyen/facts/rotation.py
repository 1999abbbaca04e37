"""Ratings, the current rotation, and the move itself."""

from __future__ import annotations

from datetime import timedelta

from luanchuyen.dates import add_months, completed_months
from luanchuyen.facts._inputs import Inputs, dmy
from luanchuyen.facts.ratings import annual_ratings
from luanchuyen.models import MoveKind, Rating


def derive(x: Inputs) -> None:
    """Derive rating, rotation and move facts at ``as_of``."""
    c, m = x.cadre, x.move
    rated = annual_ratings(c, x.params)  # the stated bands, and those points give (QĐ 366)
    annual = None if rated is None else rated[0]
    if annual:
        years = [y for y in annual if y <= x.as_of.year]
        if years:
            year = max(years)
            band = annual[year]
            x.put("latest_rating", None if band is None else band.value)
            x.put("latest_rating_year", year)
            x.put("latest_rating_htt_or_better", rated[1][year] if rated else None)
    if c.rotation_history is not None:
        current = [
            r
            for r in c.rotation_history
            if r.start <= x.as_of
            and (r.end is None or r.end >= x.as_of)
            and r.kind is not MoveKind.BIET_PHAI  # a secondment is not a rotation (facts/state.py)
        ]
        x.put("in_rotation", bool(current))
        if current:
            rot = max(current, key=lambda r: r.start)
            x.put("months_in_rotation", completed_months(rot.start, x.as_of))
            x.context["rotation_start"] = dmy(rot.start)
            ratings: dict[int, Rating | None] = dict(rot.ratings)
            if not ratings and annual is not None:
                ratings = {y: v for y, v in annual.items() if rot.start.year <= y <= x.as_of.year}
            if Rating.HTXS in ratings.values():
                x.put("htxs_during_rotation", True)
            elif None not in ratings.values() and (ratings or annual is not None):
                x.put("htxs_during_rotation", False)
    x.put("move_kind", m.kind.value)
    x.put("special_case_requested", m.special_case_requested)
    x.put("policy_case", m.policy_case)
    x.put("re_election", m.re_election)
    x.put("requires_civil_service_intake", m.requires_civil_service_intake)
    x.put("job_position_fit", m.job_position_fit)
    x.put("sending_unit_assessed", m.sending_unit_assessed)
    if m.planned_start is not None and m.planned_end is not None:
        # The planned end is the last day served (01/07/2024 → 30/06/2027 is 36 months).
        end = m.planned_end + timedelta(days=1)
        months = completed_months(m.planned_start, end)
        x.put("planned_duration_months", months)
        x.put("planned_duration_extra_days", (end - add_months(m.planned_start, months)).days)

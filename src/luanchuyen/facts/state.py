"""State-law facts: who the state rules bind, and the bars of Nghị định 170/2025.

* ``cadre_category``: the stated category; a cadre flagged ``civil_servant: true`` is a
  công chức. ``civil_servant: false`` alone could be a cán bộ or a viên chức: unknown.
* ``cadre_elected``: the stated flag, else how the current post is filled.
* ``criminal_proceedings``: stated, else *no* when the cadre is known not to be under
  inspection, investigation, prosecution or trial (``under_investigation`` is the wider fact).
* ``currently_seconded``: stated, else from the rotation history when it is recorded (a
  record of kind ``biet_phai`` covering ``as_of``).
* ``rated_htt_lookback`` (NĐ 170 Đ23): every one of the ``job_change_rating_lookback_years``
  rating years before the year of the move is rated HTT or better; a year after ``as_of`` has
  no rating yet. The look-back is a disputed parameter (law-2026 §1.3): without it, unknown.
* ``vc_secondment_child_ban``: the dated flag ``vc_secondment_child_ban`` (Luật Viên chức);
  ``null`` where the law is not verified, so the fact is unknown there.
"""

from __future__ import annotations

from luanchuyen.facts._inputs import Inputs
from luanchuyen.facts.ratings import annual_ratings, good_in_every_year
from luanchuyen.models import CadreCategory, FillMethod, MoveKind


def lookback_years(value: object) -> int | None:
    """The look-back parameter as a whole number of years ≥ 1, or ``None`` (unset, malformed)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1 or value > 50:
        return None
    return value


def derive(x: Inputs) -> None:
    """Derive the state-law facts at ``as_of``."""
    c, m = x.cadre, x.move
    if c.category is not None:
        x.put("cadre_category", c.category.value)
    elif c.civil_servant:
        x.put("cadre_category", CadreCategory.CONG_CHUC.value)
    if c.elected is not None:
        x.put("cadre_elected", c.elected)
    elif c.current_post is not None and c.current_post.fill_method is not None:
        x.put("cadre_elected", c.current_post.fill_method is FillMethod.BAU_CU)
    if c.criminal_proceedings is not None:
        x.put("criminal_proceedings", c.criminal_proceedings)
    elif c.under_investigation is False:
        x.put("criminal_proceedings", False)
    x.put("serious_illness", c.serious_illness)
    x.put("long_term_study", c.long_term_study)
    x.put("special_hardship", c.special_hardship)
    if c.currently_seconded is not None:
        x.put("currently_seconded", c.currently_seconded)
    elif c.rotation_history is not None:
        x.put(
            "currently_seconded",
            any(
                r.kind is MoveKind.BIET_PHAI
                and r.start <= x.as_of
                and (r.end is None or r.end >= x.as_of)
                for r in c.rotation_history
            ),
        )
    x.put("own_request", m.own_request)
    x.put("head_other_bar", m.head_other_bar)
    years = lookback_years(x.params.get("job_change_rating_lookback_years"))
    if years is not None:
        last = x.reference_date.year - 1
        wanted = range(last - years + 1, last + 1)
        x.context["rating_lookback_years_vi"] = (
            str(last) if years == 1 else f"{wanted[0]}–{wanted[-1]}"
        )
        rated = annual_ratings(c, x.params)  # the stated bands and those points give
        held = good_in_every_year(None if rated is None else rated[1], wanted, x.as_of.year)
        if held is not None:
            x.put("rated_htt_lookback", held)
    ban = x.params.get("vc_secondment_child_ban")
    if isinstance(ban, bool):
        x.put("vc_secondment_child_ban", ban)

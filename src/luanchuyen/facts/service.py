"""Age, retirement and remaining service (Nghị định 135/2020; Hướng dẫn 06-HD/BTCTW)."""

from __future__ import annotations

from luanchuyen.dates import age_months, terms
from luanchuyen.facts._inputs import Inputs, dmy


def derive(x: Inputs) -> None:
    """Derive service facts at the reference date, and days to retirement at ``as_of``."""
    c, r = x.cadre, x.retirement
    age = age_months(c.date_of_birth, x.reference_date)
    remaining = r.age_months - age
    x.put("gender", c.gender.value)
    x.put("age_months", age)
    x.put("remaining_service_months", remaining)
    x.put("remaining_terms", terms(remaining, int(x.params.get("term_months", 60))))
    x.put("days_to_retirement", (r.retirement_date - x.as_of).days)
    start = x.move.planned_start or x.reference_date
    x.put("days_from_start_to_retirement", (r.retirement_date - start).days)
    x.context["start_date"] = dmy(start)
    x.put("party_member", c.party_member)
    x.put("civil_servant", c.civil_servant)
    x.put("ethnic_minority", c.ethnic_minority)
    x.put("local_origin", c.local_origin)
    x.put("consecutive_terms_as_head", c.consecutive_terms_as_head)
    x.context.update(
        retirement_date=dmy(r.retirement_date),
        retirement_age=f"{r.age_months // 12}y{r.age_months % 12}m",
        retirement_age_vi=f"{r.age_months // 12} năm {r.age_months % 12} tháng",
        age_vi=f"{age // 12} tuổi {age % 12} tháng",
        age_en=f"{age // 12}y{age % 12}m",
        reference_date=dmy(x.reference_date),
        as_of=dmy(x.as_of),
    )

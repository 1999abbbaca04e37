"""Health and family circumstances (secondment protection, NĐ 59 deferrals)."""

from __future__ import annotations

from luanchuyen.dates import completed_months
from luanchuyen.facts._inputs import Inputs, dmy


def derive(x: Inputs) -> None:
    """Derive health-certificate and family facts at ``as_of``."""
    c = x.cadre
    if c.health is not None:
        x.put("health_fit", c.health.fit)
        if c.health.issued_on <= x.as_of:
            x.put("health_certificate_age_months", completed_months(c.health.issued_on, x.as_of))
    f = c.family
    if f is None:
        return
    x.put("pregnant", f.pregnant)
    x.put("maternity_leave", f.maternity_leave)
    # A stated reason (NĐ 170 Đ25.5đ) says he raises the child alone.
    reason = f.sole_carer_reason
    x.put("sole_carer", True if reason is not None and f.sole_carer is None else f.sole_carer)
    if reason is not None:
        x.put("sole_carer_reason", reason.value)
        x.context["sole_carer_reason_vi"] = reason.label_vi.lower()
    dob = f.youngest_child_date_of_birth
    if dob is not None and dob <= x.as_of:
        x.put("has_children", True)
        x.put("youngest_child_age_months", completed_months(dob, x.as_of))
        x.context["youngest_child_dob"] = dmy(dob)
    else:
        x.put("has_children", f.has_children if dob is None else None)

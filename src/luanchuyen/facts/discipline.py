"""Discipline records reduced to flat facts: presence and months since, by severity bucket."""

from __future__ import annotations

from datetime import date

from luanchuyen.dates import completed_months
from luanchuyen.facts._inputs import Inputs, dmy
from luanchuyen.models import DisciplineForm

F = DisciplineForm
#: Severity buckets used by the discipline windows (QĐ 80 / QĐ 377; Luật CBCC 2019 Đ82).
#: Hạ bậc lương counts with cảnh cáo and giáng chức with cách chức [I].
BUCKETS: dict[str, frozenset[DisciplineForm]] = {
    "khien_trach": frozenset({F.KHIEN_TRACH}),
    "canh_cao": frozenset({F.CANH_CAO, F.HA_BAC_LUONG}),
    "cach_chuc": frozenset({F.CACH_CHUC, F.GIANG_CHUC}),
}
TERMINAL = frozenset({F.KHAI_TRU, F.BUOC_THOI_VIEC, F.BAI_NHIEM})


def derive(x: Inputs) -> None:
    """Derive discipline facts as of the evaluation date (later decisions are ignored)."""
    c = x.cadre
    x.put("under_disciplinary_review", c.under_disciplinary_review)
    x.put("under_investigation", c.under_investigation)
    if c.disciplines is None:
        return
    past = [d for d in c.disciplines if d.effective <= x.as_of]
    party = [d.effective for d in past if d.kind.value == "dang" and d.form not in TERMINAL]
    _put_since(x, "has_party_discipline", "months_since_party_discipline", party)
    for bucket, forms in BUCKETS.items():
        dates = [d.effective for d in past if d.form in forms]
        _put_since(x, f"has_discipline_{bucket}", f"months_since_{bucket}", dates)
    x.put("has_terminal_discipline", any(d.form in TERMINAL for d in past))
    latest = sorted(past, key=lambda d: d.effective, reverse=True)
    x.context["discipline_summary_vi"] = (
        "; ".join(
            f"{d.form.label_vi.lower()} từ {dmy(d.effective)}, đã {completed_months(d.effective, x.as_of)} tháng"
            for d in latest
        )
        or "không có kỷ luật"
    )
    x.context["discipline_summary_en"] = (
        "; ".join(
            f"{d.form.value} since {dmy(d.effective)}, {completed_months(d.effective, x.as_of)} months ago"
            for d in latest
        )
        or "no discipline"
    )
    if party:
        x.context["party_discipline_date"] = dmy(max(party))


def _put_since(x: Inputs, has: str, since: str, dates: list[date]) -> None:
    x.put(has, bool(dates))
    if dates:
        x.put(since, completed_months(max(dates), x.as_of))

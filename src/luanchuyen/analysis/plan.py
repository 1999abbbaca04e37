"""Báo cáo thực hiện kế hoạch / plan report: planned moves counted against the plan's quotas.

A local plan sets totals, not individual conditions: the Chi Lăng 2024 plan asks for at least
``quota_district_to_commune`` district leaders rotated to commune leadership (Q1) and at least
``quota_lateral_transfers`` unit → unit or commune → commune transfers (Q2), and for the
placement of cadres whose rotation is complete (Q3). :func:`plan_report` counts a list of
planned moves into these categories and compares the totals with the quotas **read from the
rule set's parameters on the as-of date** (a rule set without them reports no quota). It
reports totals only; it does not judge individuals (law brief TC24).

Categories (a move may fall in none):

* ``district_to_commune``: a rotation or transfer (``luan_chuyen``, ``dieu_dong``) from a
  district post to a key commune post (``target_is_key_commune_post``);
* ``lateral_transfers``: a rotation or transfer between two units of the same level
  (``level_direction == "same"`` and ``cross_unit``);
* ``rotation_completed``: the cadre's current rotation is complete, i.e. the rule
  ``rotation_completed_rearrange`` passes (no numeric quota in the plan).

Each category counts distinct cadres (a cadre listed twice counts once, with the best of
its verdicts). Rows whose level or unit is unknown are reported as unclear, error rows apart.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from html import escape
from typing import TYPE_CHECKING, Any, Final

from luanchuyen.batch import evaluate_many
from luanchuyen.dates import parse_vn_date
from luanchuyen.decision import Decision
from luanchuyen.errors import InputError
from luanchuyen.results import VERDICT_ORDER, decisions_frame
from luanchuyen.ruleset.compile import RuleSet

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CATEGORIES", "PlanLine", "PlanReport", "category_of", "plan_report"]

_MOVES: Final = frozenset({"luan_chuyen", "dieu_dong"})
_COMPLETED_RULE: Final = "rotation_completed_rearrange"


@dataclass(frozen=True, slots=True)
class _Category:
    key: str
    parameter: str | None
    vi: str
    en: str


#: The plan categories: key, quota parameter name, Vietnamese and English labels.
CATEGORIES: Final[tuple[_Category, ...]] = (
    _Category(
        "district_to_commune",
        "quota_district_to_commune",
        "Luân chuyển, điều động lãnh đạo cấp huyện về giữ chức vụ lãnh đạo cấp xã",
        "District leaders rotated or transferred to commune leadership",
    ),
    _Category(
        "lateral_transfers",
        "quota_lateral_transfers",
        "Điều động từ cơ quan, đơn vị này sang cơ quan, đơn vị khác; từ xã này sang xã khác",
        "Transfers from one unit to another, or from one commune to another",
    ),
    _Category(
        "rotation_completed",
        None,
        "Cán bộ luân chuyển đã đủ thời gian, cần bố trí",
        "Rotated cadres whose rotation is complete, to be placed",
    ),
)


@dataclass(frozen=True, slots=True)
class PlanLine:
    """One category of the plan: planned total, totals by verdict, quota and whether met.

    Attributes:
        key: ``district_to_commune``, ``lateral_transfers`` or ``rotation_completed``.
        label_vi: the category in Vietnamese.
        label_en: the category in English.
        parameter: the quota parameter's name, if the category has one.
        quota: the quota in force on the as-of date (``None`` if the rules set none).
        planned: distinct cadres planned in the category.
        by_verdict: those cadres by (best) verdict.
        met: ``planned >= quota`` (``None`` without a quota).
        met_eligible: the quota is reached by the *eligible* cadres alone.
        citation: the quota's legal source.
    """

    key: str
    label_vi: str
    label_en: str
    parameter: str | None
    quota: int | None
    planned: int
    by_verdict: dict[str, int]
    met: bool | None
    met_eligible: bool | None
    citation: str | None


@dataclass(frozen=True, slots=True)
class PlanReport:
    """Totals of a list of planned moves against the plan's quotas (no individual judgement)."""

    as_of: date
    packs: tuple[str, ...]
    lines: tuple[PlanLine, ...]
    rows: int
    error_rows: int
    unclear_rows: int
    notes_vi: tuple[str, ...] = field(default=())

    def line(self, key: str) -> PlanLine:
        """The line of one category."""
        for ln in self.lines:
            if ln.key == key:
                return ln
        raise KeyError(key)

    def to_frame(self) -> pd.DataFrame:
        """One row per category (English column names)."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "category": ln.key,
                    "label_vi": ln.label_vi,
                    "quota": ln.quota,
                    "planned": ln.planned,
                    **{v: ln.by_verdict.get(v, 0) for v in VERDICT_ORDER},
                    "met": ln.met,
                    "met_eligible": ln.met_eligible,
                    "citation": ln.citation,
                }
                for ln in self.lines
            ]
        ).astype({"quota": "Int64", "met": "boolean", "met_eligible": "boolean"})

    def explain(self, lang: str = "vi") -> str:
        """The report as text (Vietnamese by default, ``lang="en"`` for English)."""
        vi = lang != "en"
        out = [
            (
                f"Báo cáo thực hiện kế hoạch tại ngày {self.as_of:%d/%m/%Y} "
                f"(bộ quy tắc: {', '.join(self.packs)}) — chỉ tổng hợp số lượng, "
                "không đánh giá cá nhân."
                if vi
                else f"Plan report on {self.as_of:%d/%m/%Y} (packs: {', '.join(self.packs)}) "
                "— totals only, no judgement of individuals."
            )
        ]
        for ln in self.lines:
            counts = ln.by_verdict
            detail = (
                f"{counts.get('eligible', 0)} đủ điều kiện, {counts.get('needs_review', 0)} cần "
                f"xem xét, {counts.get('unknown', 0)} chưa đủ dữ liệu, "
                f"{counts.get('not_eligible', 0)} không đủ điều kiện"
                if vi
                else f"{counts.get('eligible', 0)} eligible, {counts.get('needs_review', 0)} "
                f"to review, {counts.get('unknown', 0)} unknown, "
                f"{counts.get('not_eligible', 0)} not eligible"
            )
            label = ln.label_vi if vi else ln.label_en
            if ln.quota is None:
                verdict = "không có chỉ tiêu số" if vi else "no numeric quota"
            elif vi:
                verdict = (
                    f"chỉ tiêu ≥ {ln.quota}: {'ĐẠT' if ln.met else 'CHƯA ĐẠT'} "
                    f"(chỉ tính người đủ điều kiện: {'đạt' if ln.met_eligible else 'chưa đạt'})"
                )
            else:
                verdict = (
                    f"quota ≥ {ln.quota}: {'MET' if ln.met else 'NOT MET'} "
                    f"(eligible only: {'met' if ln.met_eligible else 'not met'})"
                )
            source = f" [{ln.citation}]" if ln.citation else ""
            planned = "dự kiến" if vi else "planned"
            out.append(f"- {label}: {ln.planned} {planned} ({detail}); {verdict}{source}")
        if self.error_rows or self.unclear_rows:
            out.append(
                f"Dòng lỗi dữ liệu: {self.error_rows}; dòng chưa rõ cấp hoặc đơn vị: "
                f"{self.unclear_rows} (không được tính)."
                if vi
                else f"Error rows: {self.error_rows}; rows with unknown level or unit: "
                f"{self.unclear_rows} (not counted)."
            )
        out.extend(self.notes_vi if vi else ())
        return "\n".join(out)

    def __str__(self) -> str:
        return self.explain("vi")

    def _repr_html_(self) -> str:
        rows = []
        for ln in self.lines:
            if ln.met is None:
                status, colour = "—", "#f1f3f4"
            elif ln.met:
                status, colour = "Đạt", "#c6efce"
            else:
                status, colour = "Chưa đạt", "#ffc7ce"
            counts = ln.by_verdict
            rows.append(
                "<tr>"
                f"<td>{escape(ln.label_vi)}</td>"
                f"<td>{'' if ln.quota is None else f'≥ {ln.quota}'}</td>"
                f"<td><b>{ln.planned}</b></td>"
                f"<td>{counts.get('eligible', 0)}</td><td>{counts.get('needs_review', 0)}</td>"
                f"<td>{counts.get('unknown', 0)}</td><td>{counts.get('not_eligible', 0)}</td>"
                f'<td style="background:{colour};font-weight:bold">{status}</td>'
                f"<td><small>{escape(ln.citation or '')}</small></td></tr>"
            )
        return (
            '<div style="font-family:sans-serif">'
            f"<div><b>Báo cáo thực hiện kế hoạch</b> · {self.as_of:%d/%m/%Y} · "
            f"{escape(', '.join(self.packs))} · {self.rows} dòng "
            f"({self.error_rows} lỗi, {self.unclear_rows} chưa rõ)</div>"
            '<table style="border-collapse:collapse;font-size:0.9em"><tr>'
            "<th>Nội dung</th><th>Chỉ tiêu</th><th>Dự kiến</th><th>Đủ ĐK</th>"
            "<th>Cần xem xét</th><th>Chưa rõ</th><th>Không đủ ĐK</th><th>Kết quả</th>"
            "<th>Căn cứ</th></tr>" + "".join(rows) + "</table>"
            "<div><i>Chỉ tổng hợp số lượng, không đánh giá cá nhân.</i></div></div>"
        )


def _is_true(value: Any) -> bool | None:
    if value is None:
        return None
    try:
        if value != value:
            return None
    except (TypeError, ValueError):
        return None
    return bool(value)


def _value(rec: Mapping[str, Any], key: str) -> Any:
    """A cell of a result row, with pandas' missing values (NaN, NA) read as ``None``."""
    value = rec.get(key)
    if isinstance(value, float) and math.isnan(value):
        return None
    if type(value).__name__ in {"NAType", "NaTType"}:
        return None
    return value


def category_of(rec: Mapping[str, Any]) -> tuple[list[str], bool]:
    """The categories of one result row, and whether its level/unit data was unclear."""
    cats: list[str] = []
    unclear = False
    kind = _value(rec, "move_kind")
    infos = _value(rec, "info_rules") or []
    if _COMPLETED_RULE in infos:
        cats.append("rotation_completed")
    if kind in _MOVES:
        current, target = _value(rec, "current_level"), _value(rec, "target_level")
        if current is None or target is None:
            unclear = True
        elif current == "huyen" and target == "xa":
            key_post = _is_true(rec.get("target_is_key_commune_post"))
            if key_post is None:
                unclear = True
            elif key_post:
                cats.append("district_to_commune")
        if _value(rec, "level_direction") == "same":
            cross = _is_true(rec.get("cross_unit"))
            if cross is None:
                unclear = True
            elif cross:
                cats.append("lateral_transfers")
    return cats, unclear


def _results(data: Any, rules: RuleSet, as_of: date | str | None) -> pd.DataFrame:
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        if "verdict" in data.columns:
            return data
        return evaluate_many(data, as_of=as_of, rules=rules, backend="reference")
    items = list(data)

    if items and all(isinstance(x, Decision) for x in items):
        return decisions_frame(items)
    return evaluate_many(items, as_of=as_of, rules=rules, backend="reference")


def _as_of(frame: pd.DataFrame, as_of: date | str | None) -> date:
    if as_of is not None:
        if isinstance(as_of, date):
            return as_of

        return parse_vn_date(as_of, field="as_of")
    days = sorted({d for d in frame["as_of"] if isinstance(d, date)})
    if len(days) == 1:
        return days[0]
    raise InputError(
        "invalid_value",
        "Cần một ngày đánh giá duy nhất để đọc chỉ tiêu; hãy truyền as_of "
        f"(các dòng có {len(days)} ngày khác nhau)",
        f"One as-of date is needed to read the quotas; pass as_of (rows have {len(days)} dates)",
        field="as_of",
    )


def plan_report(
    moves_frame_or_decisions: pd.DataFrame | Iterable[Any],
    *,
    rules: RuleSet,
    as_of: date | str | None = None,
) -> PlanReport:
    """Count planned moves against the plan's quotas.

    Args:
        moves_frame_or_decisions: results of :func:`luanchuyen.batch.evaluate_many`; a flat
            input table not evaluated yet (it is evaluated with ``rules``); a list of
            :class:`~luanchuyen.decision.Decision`; or (cadre, move) pairs.
        rules: the rule set whose parameters hold the quotas (e.g.
            ``load_rules("chi-lang-2024")``).
        as_of: the date on which the quotas are read (default: the rows' single as-of date).

    Returns:
        A :class:`PlanReport` with one :class:`PlanLine` per category.
    """
    frame = _results(moves_frame_or_decisions, rules, as_of)
    day = _as_of(frame, as_of)
    compiled = rules.compiled(day)
    owners = rules.parameters()  # a quota counts only while the pack that sets it is in force
    best: dict[str, dict[str, int]] = {c.key: {} for c in CATEGORIES}
    errors = unclear = 0
    rank = {v: i for i, v in enumerate(VERDICT_ORDER)}
    records: list[dict[str, Any]] = [
        {str(k): v for k, v in r.items()} for r in frame.to_dict("records")
    ]
    for i, rec in enumerate(records):
        verdict = str(rec.get("verdict"))
        if rec.get("status") == "error" or verdict not in rank:
            errors += 1
            continue
        cats, is_unclear = category_of(rec)
        unclear += is_unclear
        who = str(rec.get("cadre_id") or f"#{i}")
        for key in cats:
            seen = best[key].get(who)
            if seen is None or rank[verdict] < seen:
                best[key][who] = rank[verdict]
    lines = []
    for cat in CATEGORIES:
        by_verdict = dict.fromkeys(VERDICT_ORDER, 0)
        for r in best[cat.key].values():
            by_verdict[VERDICT_ORDER[r]] += 1
        planned = sum(by_verdict.values())
        quota: int | None = None
        citation: str | None = None
        owner = owners.get(cat.parameter) if cat.parameter is not None else None
        in_force = owner is not None and owner[0].in_force(day)
        if cat.parameter is not None and in_force and cat.parameter in compiled.params:
            quota = int(compiled.params[cat.parameter])
            source = compiled.param_sources.get(cat.parameter)
            citation = str(source.citation) if source is not None else None
        lines.append(
            PlanLine(
                key=cat.key,
                label_vi=cat.vi,
                label_en=cat.en,
                parameter=cat.parameter,
                quota=quota,
                planned=planned,
                by_verdict=by_verdict,
                met=None if quota is None else planned >= quota,
                met_eligible=None if quota is None else by_verdict["eligible"] >= quota,
                citation=citation,
            )
        )
    notes: list[str] = []
    if all(ln.quota is None for ln in lines):
        notes.append(
            "Bộ quy tắc không có tham số chỉ tiêu tại ngày này (ví dụ quota_district_to_commune "
            "của kế hoạch Chi Lăng 2024): chỉ báo cáo số lượng."
        )
    return PlanReport(
        as_of=day,
        packs=tuple(compiled.pack_ids),
        lines=tuple(lines),
        rows=len(records),
        error_rows=errors,
        unclear_rows=unclear,
        notes_vi=tuple(notes),
    )

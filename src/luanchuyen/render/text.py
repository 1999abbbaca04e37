"""Plain-text explanation of a Decision, Vietnamese first (``lang="en"`` for English)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from luanchuyen.decision import Decision

__all__ = ["render_decision"]

_MARK = {"pass": "✓", "fail": "✗", "unknown": "?", "not_applicable": "–"}
_VERDICT = {
    "vi": {
        "eligible": "ĐỦ ĐIỀU KIỆN",
        "not_eligible": "KHÔNG ĐỦ ĐIỀU KIỆN",
        "needs_review": "CẦN CẤP CÓ THẨM QUYỀN XEM XÉT",
        "unknown": "CHƯA ĐỦ DỮ LIỆU ĐỂ KẾT LUẬN",
    },
    "en": {
        "eligible": "ELIGIBLE",
        "not_eligible": "NOT ELIGIBLE",
        "needs_review": "NEEDS REVIEW BY THE AUTHORITY",
        "unknown": "UNKNOWN (missing data)",
    },
}
_LABELS = {
    "vi": {
        "move": "Hình thức",
        "target": "Vị trí đến",
        "as_of": "Ngày đánh giá",
        "priority": "Ưu tiên",
        "warnings": "Lưu ý",
        "criteria": "Các tiêu chí",
        "missing": "Thiếu dữ liệu",
        "basis": "Căn cứ",
        "effect": {
            "block": "điều kiện",
            "review": "xem xét",
            "warn": "lưu ý",
            "priority": "ưu tiên",
            "info": "thông tin",
        },
        "rules": "Bộ quy tắc",
        "skipped": "tiêu chí không áp dụng",
    },
    "en": {
        "move": "Move",
        "target": "Target",
        "as_of": "As of",
        "priority": "Priority",
        "warnings": "Warnings",
        "criteria": "Criteria",
        "missing": "Missing data",
        "basis": "Basis",
        "effect": {
            "block": "condition",
            "review": "review",
            "warn": "warning",
            "priority": "priority",
            "info": "info",
        },
        "rules": "Rule packs",
        "skipped": "criteria not applicable",
    },
}


def render_decision(
    decision: Decision, *, lang: str = "vi", show_not_applicable: bool = False
) -> str:
    """Render a decision as text: verdict, priorities, warnings, then every criterion."""
    lang = "en" if lang == "en" else "vi"
    lab = _LABELS[lang]
    d = decision
    verdict = _VERDICT[lang][d.verdict.value]
    if d.priority:
        verdict += " + " + ("ƯU TIÊN" if lang == "vi" else "PRIORITY")
    lines = [
        f"{d.cadre_name} ({d.cadre_id}) → {d.target_title}",
        f"{lab['move']}: {d.move_kind} · {lab['as_of']}: {d.provenance.as_of:%d/%m/%Y}",
        f"==> {verdict}",
    ]
    for title, items in ((lab["priority"], d.priority_reasons), (lab["warnings"], d.warnings)):
        for t in items:
            lines.append(f"  [{title}] {getattr(t, lang)}")
    lines.append(f"{lab['criteria']}:")
    skipped = 0
    for c in d.criteria:
        if c.outcome.value == "not_applicable" and not show_not_applicable:
            skipped += 1
            continue
        effect = lab["effect"][c.applied_effect or c.effect]  # type: ignore[index]
        lines.append(
            f"  {_MARK[c.outcome.value]} {c.rule_id} ({effect}): {getattr(c.message, lang)}"
        )
        lines.append(f"      {lab['basis']}: {c.citation}")
    if skipped:
        lines.append(f"  ({skipped} {lab['skipped']})")
    lines.append(
        f"{lab['rules']}: {', '.join(d.provenance.packs)} · {d.provenance.rules_hash[:12]}"
    )
    return "\n".join(lines)

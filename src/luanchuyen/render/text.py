"""Plain-text explanation of a Decision, Vietnamese first (``lang="en"`` for English)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from luanchuyen.render.labels import label

if TYPE_CHECKING:
    from luanchuyen.decision import Decision

__all__ = ["render_decision"]

_MARK = {"pass": "✓", "fail": "✗", "unknown": "?", "not_applicable": "–"}
_LABELS = {
    "vi": {
        "move": "Hình thức",
        "target": "Vị trí đến",
        "as_of": "Ngày đánh giá",
        "priority": "Ưu tiên",
        "warnings": "Lưu ý",
        "criteria": "Các tiêu chí",
        "missing": "Thiếu dữ liệu",
        "possible": "Kết luận có thể",
        "settle": "Cần bổ sung để kết luận",
        "basis": "Căn cứ",
        "rules": "Bộ quy tắc",
        "skipped": "tiêu chí không áp dụng",
        "systems": "Theo từng hệ thống",
        "binds": {True: "ràng buộc", False: "không ràng buộc", None: "chưa rõ có ràng buộc không"},
    },
    "en": {
        "move": "Move",
        "target": "Target",
        "as_of": "As of",
        "priority": "Priority",
        "warnings": "Warnings",
        "criteria": "Criteria",
        "missing": "Missing data",
        "possible": "Possible verdicts",
        "settle": "To settle",
        "basis": "Basis",
        "rules": "Rule packs",
        "skipped": "criteria not applicable",
        "systems": "By system",
        "binds": {True: "binds", False: "does not bind", None: "binding unknown"},
    },
}


def render_decision(
    decision: Decision, *, lang: str = "vi", show_not_applicable: bool = False
) -> str:
    """Render a decision as text: verdict, priorities, warnings, then every criterion."""
    lang = "en" if lang == "en" else "vi"
    lab = _LABELS[lang]
    d = decision
    verdict = label("verdict", d.verdict, lang).upper()
    if d.priority:
        verdict += " + " + ("ƯU TIÊN" if lang == "vi" else "PRIORITY")
    lines = [
        f"{d.cadre_name} ({d.cadre_id}) → {d.target_title}",
        f"{lab['move']}: {label('MoveKind', d.move_kind, lang)} · {lab['as_of']}: {d.provenance.as_of:%d/%m/%Y}",
        f"==> {verdict}",
    ]
    if len(d.possible_verdicts) > 1:
        options = " / ".join(label("verdict", v, lang) for v in d.possible_verdicts)
        lines.append(f"  {lab['possible']}: {options}")
        for rule_id, facts in d.settling_facts.items():
            lines.append(f"  {lab['settle']} {rule_id}: {', '.join(facts) or '—'}")
    if d.systems:
        binds: Any = lab["binds"]
        parts = [
            f"{getattr(sv.label, lang)} ({binds[sv.binds]}): {label('verdict', sv.verdict, lang)}"
            for sv in d.systems
        ]
        lines.append(f"  {lab['systems']}: " + "; ".join(parts))
    for title, items in ((lab["priority"], d.priority_reasons), (lab["warnings"], d.warnings)):
        for t in items:
            lines.append(f"  [{title}] {getattr(t, lang)}")
    lines.append(f"{lab['criteria']}:")
    skipped = 0
    for c in d.criteria:
        if c.outcome.value == "not_applicable" and not show_not_applicable:
            skipped += 1
            continue
        effect = label("effect", c.applied_effect or c.effect, lang)
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

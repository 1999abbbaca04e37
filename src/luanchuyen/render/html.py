"""HTML for Jupyter: a Decision as a coloured card with its criteria table (Vietnamese)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from luanchuyen.decision import Decision

__all__ = ["OUTCOME_COLOURS", "VERDICT_COLOURS", "decision_html"]

VERDICT_COLOURS = {
    "eligible": "#1b7f3b",
    "not_eligible": "#b3261e",
    "needs_review": "#b26a00",
    "unknown": "#6a3ea1",
}
OUTCOME_COLOURS = {
    "pass": "#e6f4ea",
    "fail": "#fce8e6",
    "unknown": "#f3e8fd",
    "not_applicable": "#f1f3f4",
}


def decision_html(decision: Decision, *, show_not_applicable: bool = False) -> str:
    """Render a decision as an HTML fragment (self-contained inline styles)."""
    from luanchuyen.decision import OUTCOME_VI, VERDICT_VI

    d = decision
    colour = VERDICT_COLOURS[d.verdict.value]
    verdict = VERDICT_VI[d.verdict] + (" · ưu tiên" if d.priority else "")
    rows = []
    for c in d.criteria:
        if c.outcome.value == "not_applicable" and not show_not_applicable:
            continue
        rows.append(
            f'<tr style="background:{OUTCOME_COLOURS[c.outcome.value]}">'
            f"<td><code>{escape(c.rule_id)}</code></td>"
            f"<td>{escape(OUTCOME_VI[c.outcome])}</td>"
            f"<td>{escape(c.applied_effect or c.effect)}</td>"
            f"<td>{escape(c.message.vi)}</td>"
            f"<td><small>{escape(str(c.citation))}</small></td></tr>"
        )
    extras = "".join(
        f"<li>{escape(label)}: {escape(t.vi)}</li>"
        for label, items in (("Ưu tiên", d.priority_reasons), ("Lưu ý", d.warnings))
        for t in items
    )
    return (
        f'<div style="border-left:6px solid {colour};padding:6px 10px;font-family:sans-serif">'
        f"<div><b>{escape(d.cadre_name)}</b> ({escape(d.cadre_id)}) → {escape(d.target_title)}"
        f" · {escape(d.move_kind)} · {d.provenance.as_of:%d/%m/%Y}</div>"
        f'<div style="color:{colour};font-size:1.2em;font-weight:bold">{escape(verdict)}</div>'
        f"<ul>{extras}</ul>"
        '<table style="border-collapse:collapse;font-size:0.9em">'
        "<tr><th>Tiêu chí</th><th>Kết quả</th><th>Hiệu lực</th><th>Lý do</th><th>Căn cứ</th></tr>"
        + "".join(rows)
        + "</table></div>"
    )

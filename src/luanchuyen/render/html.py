"""HTML for Jupyter (Vietnamese): a Decision as a coloured card, batch results as a table."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from luanchuyen.render.labels import (
    OUTCOME_BACKGROUNDS,
    VERDICT_BACKGROUNDS,
    VERDICT_COLOURS,
    label,
    verdict_label,
)
from luanchuyen.results import SUMMARY_KEYS, summarise

if TYPE_CHECKING:
    import pandas as pd

    from luanchuyen.decision import Decision

__all__ = [
    "batch_html",
    "decision_html",
    "verdict_label",
]


def decision_html(decision: Decision, *, show_not_applicable: bool = False) -> str:
    """Render a decision as an HTML fragment (self-contained inline styles)."""
    d = decision
    colour = VERDICT_COLOURS[d.verdict.value]
    verdict = label("verdict", d.verdict) + (" · ưu tiên" if d.priority else "")
    if len(d.possible_verdicts) > 1:
        verdict += " (có thể: " + " / ".join(label("verdict", v) for v in d.possible_verdicts) + ")"
    rows = []
    for c in d.criteria:
        if c.outcome.value == "not_applicable" and not show_not_applicable:
            continue
        rows.append(
            f'<tr style="background:{OUTCOME_BACKGROUNDS[c.outcome.value]}">'
            f"<td><code>{escape(c.rule_id)}</code></td>"
            f"<td>{escape(label('outcome', c.outcome))}</td>"
            f"<td>{escape(label('effect', c.applied_effect or c.effect))}</td>"
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
        f" · {escape(label('MoveKind', d.move_kind))} · {d.provenance.as_of:%d/%m/%Y}</div>"
        f'<div style="color:{colour};font-size:1.2em;font-weight:bold">{escape(verdict)}</div>'
        f"<ul>{extras}</ul>"
        '<table style="border-collapse:collapse;font-size:0.9em">'
        "<tr><th>Tiêu chí</th><th>Kết quả</th><th>Hiệu lực</th><th>Lý do</th><th>Căn cứ</th></tr>"
        + "".join(rows)
        + "</table></div>"
    )


_BATCH_COLUMNS: Sequence[tuple[str, str]] = (
    ("row", "Dòng"),
    ("cadre_id", "Mã CB"),
    ("cadre_name", "Họ và tên"),
    ("target_title", "Vị trí đến"),
    ("move_kind", "Hình thức"),
    ("verdict", "Kết luận"),
    ("remaining_service_months", "Còn (tháng)"),
    ("reason_vi", "Lý do"),
)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    try:
        if value != value:  # NaN / NA
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _summary_label(key: str) -> str:
    return label("status", key) if key == "error" else label("verdict", key)


def batch_html(frame: pd.DataFrame, *, max_rows: int = 200) -> str:
    """Render batch results (from :func:`luanchuyen.batch.evaluate_many`) as an HTML table.

    A summary line counts rows by verdict; each row's verdict cell is coloured (green
    eligible, red not eligible, amber review, violet unknown, grey error) and the reason is
    the Vietnamese one. At most ``max_rows`` rows are shown (the summary counts all).
    """
    counts = summarise(frame) if "verdict" in frame.columns else {}
    chips = "".join(
        f'<span style="background:{VERDICT_BACKGROUNDS[v]};padding:2px 8px;margin-right:6px;'
        f'border-radius:3px">{escape(_summary_label(v))}: <b>{counts.get(v, 0)}</b></span>'
        for v in SUMMARY_KEYS
        if v in counts
    )
    cols = [(c, h) for c, h in _BATCH_COLUMNS if c in frame.columns]
    head = "".join(f'<th style="text-align:left">{escape(h)}</th>' for _, h in cols)
    body = []
    records = frame.head(max_rows).to_dict("records")
    for rec in records:
        cells = []
        for c, _ in cols:
            value = rec.get(c)
            if c == "verdict":
                status = rec.get("status", "ok")
                code = "error" if status == "error" else _cell(value)
                text = verdict_label(value, status=status)
                if rec.get("priority") is True:
                    text += " · ưu tiên"
                bg = VERDICT_BACKGROUNDS.get(code, "#ffffff")
                cells.append(f'<td style="background:{bg};font-weight:bold">{escape(text)}</td>')
            elif c == "reason_vi" and rec.get("error_code"):
                text = f"[{_cell(rec.get('error_code'))}] {_cell(value)}"
                cells.append(f"<td>{escape(text)}</td>")
            else:
                cells.append(f"<td>{escape(_cell(value))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    more = len(frame) - len(records)
    tail = f"<div><i>… và {more} dòng nữa / and {more} more rows</i></div>" if more > 0 else ""
    return (
        '<div style="font-family:sans-serif">'
        f'<div style="margin-bottom:6px"><b>{len(frame)} dòng</b> · {chips}</div>'
        '<table style="border-collapse:collapse;font-size:0.9em">'
        f"<tr>{head}</tr>" + "".join(body) + f"</table>{tail}</div>"
    )

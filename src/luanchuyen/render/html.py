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
    """Render a decision as an HTML fragment (inline styles), in the text's reading order.

    The verdict; what decides it (failed conditions, the unknowns that could change it with
    the input to supply, failed reviews); priorities and warnings; the other criteria folded
    in a ``<details>``. Criteria by title, the rule id in small print; one mark per kind.
    """
    from luanchuyen.render.text import MARKS, deciding, input_label

    d = decision
    colour = VERDICT_COLOURS[d.verdict.value]
    verdict = label("verdict", d.verdict) + (" · ưu tiên" if d.priority else "")
    if len(d.possible_verdicts) > 1:
        verdict += " (có thể: " + " / ".join(label("verdict", v) for v in d.possible_verdicts) + ")"
    shown: set[str] = set()

    def item(mark: str, c: Any, text: str) -> str:
        shown.add(c.rule_id)
        return (
            f'<li class="c-{escape(mark)}"><span title="{escape(mark)}">{MARKS[mark]}</span> '
            f"<b>{escape(c.title.vi)}</b>: {escape(text)}<br><small>mã {escape(c.rule_id)} · "
            f"Căn cứ: {escape(str(c.citation))}</small></li>"
        )

    failed, unknown, reviews = deciding(d)
    parts: list[str] = []
    if failed:
        parts.append("<div><b>Lý do</b></div><ul>")
        parts += [item("fail", c, c.message.vi) for c in failed]
        parts.append("</ul>")
    if unknown:
        parts.append("<div><b>Chưa rõ, có thể thay đổi kết luận</b></div><ul>")
        for c in unknown:
            paths = d.missing_inputs.get(c.rule_id) or []
            need = ", ".join(f"«{input_label(p)}»" for p in paths)
            parts.append(item("unknown", c, f"cần bổ sung {need}" if need else c.message.vi))
        parts.append("</ul>")
    if reviews:
        parts.append("<div><b>Cần cấp có thẩm quyền xem xét</b></div><ul>")
        parts += [item("review", c, c.message.vi) for c in reviews]
        parts.append("</ul>")
    extras = []
    for c in d.criteria:
        effect, outcome = c.applied_effect or c.effect, c.outcome.value
        if c.rule_id in shown or outcome not in {"pass", "fail"}:
            continue
        if effect == "priority":
            extras.append(
                item("priority" if outcome == "pass" else "priority_unmet", c, c.message.vi)
            )
        elif effect == "warn" and outcome == "fail":
            extras.append(item("warn", c, c.message.vi))
    for n in d.warnings:
        if n.rule_id is None:  # the library's own notice (records after the as-of date)
            extras.append(
                f'<li class="c-warn"><span title="warn">{MARKS["warn"]}</span> {escape(n.vi)}</li>'
            )
    if extras:
        parts.append("<div><b>Ưu tiên và lưu ý</b></div><ul>" + "".join(extras) + "</ul>")
    rows = []
    for c in d.criteria:
        if c.rule_id in shown:
            continue
        if c.outcome.value == "not_applicable" and not show_not_applicable:
            continue
        rows.append(
            f'<tr style="background:{OUTCOME_BACKGROUNDS[c.outcome.value]}">'
            f"<td>{escape(c.title.vi)}<br><small><code>{escape(c.rule_id)}</code></small></td>"
            f"<td>{escape(label('outcome', c.outcome))}</td>"
            f"<td>{escape(c.message.vi)}</td>"
            f"<td><small>{escape(str(c.citation))}</small></td></tr>"
        )
    folded = (
        f"<details><summary>Các tiêu chí khác ({len(rows)})</summary>"
        '<table style="border-collapse:collapse;font-size:0.9em">'
        "<tr><th>Tiêu chí</th><th>Kết quả</th><th>Lý do</th><th>Căn cứ</th></tr>"
        + "".join(rows)
        + "</table></details>"
        if rows
        else ""
    )
    from luanchuyen.models.enums import MoveKind

    kind = (
        MoveKind(d.move_kind).label_vi
        if d.move_kind in MoveKind._value2member_map_
        else d.move_kind
    )
    return (
        f'<div style="border-left:6px solid {colour};padding:6px 10px;font-family:sans-serif">'
        f"<div><b>{escape(d.cadre_name)}</b> ({escape(d.cadre_id)}) → {escape(d.target_title)}"
        f" · {escape(kind)} · {d.provenance.as_of:%d/%m/%Y}</div>"
        f'<div class="verdict" style="color:{colour};font-size:1.2em;font-weight:bold">'
        f"{escape(verdict)}</div>" + "".join(parts) + folded + "</div>"
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

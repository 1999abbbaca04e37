"""Plain-text explanation of a Decision, Vietnamese first (``lang="en"`` for English).

Reading order: the verdict; then what decides it (failed conditions; the unknowns that could
change it, each with the input to supply; failed reviews); then priorities and warnings; then
the rest, one short line each. A criterion is named by its title; its rule id and legal basis
follow on the line below, in small print. Codes are shown through their labels.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from luanchuyen.render.labels import label

if TYPE_CHECKING:
    from luanchuyen.decision import CriterionResult, Decision

__all__ = ["MARKS", "deciding", "input_label", "render_decision"]

#: One mark per kind of line: a failed condition, an unmet priority and information differ.
MARKS = {
    "fail": "✗",  # a failed condition: the move is barred
    "review": "⚠",  # failed: the competent authority must decide
    "unknown": "?",  # not known: the input to supply follows
    "warn": "!",  # a warning
    "priority": "★",  # a priority that holds
    "priority_unmet": "○",  # a priority that does not hold (never a failure)
    "info": "ℹ",  # information
    "pass": "✓",
    "not_applicable": "–",
}
_WORDS = {
    "vi": {
        "move": "Hình thức",
        "as_of": "Ngày đánh giá",
        "why": "Lý do",
        "could_change": "Chưa rõ, có thể thay đổi kết luận",
        "supply": "cần bổ sung",
        "possible": "kết luận có thể",
        "reviews": "Cần cấp có thẩm quyền xem xét",
        "extras": "Ưu tiên và lưu ý",
        "others": "Các tiêu chí khác",
        "basis": "Căn cứ",
        "code": "mã",
        "rules": "Bộ quy tắc",
        "skipped": "tiêu chí không áp dụng",
        "systems": "Theo từng hệ thống",
        "binds": {True: "ràng buộc", False: "không ràng buộc", None: "chưa rõ có ràng buộc không"},
        "all_met": "mọi điều kiện đều đạt.",
        "priority": "ƯU TIÊN",
    },
    "en": {
        "move": "Move",
        "as_of": "As of",
        "why": "Why",
        "could_change": "Unknown, could change the verdict",
        "supply": "supply",
        "possible": "possible verdicts",
        "reviews": "For the competent authority to review",
        "extras": "Priorities and warnings",
        "others": "Other criteria",
        "basis": "Basis",
        "code": "id",
        "rules": "Rule packs",
        "skipped": "criteria not applicable",
        "systems": "By system",
        "binds": {True: "binds", False: "does not bind", None: "binding unknown"},
        "all_met": "every condition is met.",
        "priority": "PRIORITY",
    },
}


@lru_cache(maxsize=256)
def input_label(path: str, lang: str = "vi") -> str:
    """What a user fills in for an input path: its spreadsheet header (``lang="en"``: the path).

    >>> input_label("cadre.date_of_birth"), input_label("cadre.disciplines")
    ('Ngày sinh', 'Kỷ luật (hình thức)')
    """
    if lang == "en":
        return path
    if path == "cadre.ratings":
        return "Xếp loại <năm>"
    from luanchuyen.records.layout import Layout

    return Layout.resolve([], "flat").header_for(path) or path


def deciding(
    decision: Decision,
) -> tuple[list[CriterionResult], list[CriterionResult], list[CriterionResult]]:
    """What decides the verdict, in rule order: failed conditions, the unknowns that could
    change it (none once a verdict is stated), failed reviews."""
    crit = decision.criteria
    failed = [c for c in crit if c.outcome.value == "fail" and c.applied_effect == "block"]
    reviews = [c for c in crit if c.outcome.value == "fail" and c.applied_effect == "review"]
    unknown = [c for c in crit if c.rule_id in decision.settling_facts]
    return failed, unknown, reviews


def render_decision(
    decision: Decision, *, lang: str = "vi", show_not_applicable: bool = False
) -> str:
    """Render a decision as text, what decides it first."""
    lang = "en" if lang == "en" else "vi"
    w = _WORDS[lang]
    d = decision
    verdict = label("verdict", d.verdict, lang).upper()
    if d.priority:
        verdict += f" + {w['priority']}"
    lines = [
        f"{d.cadre_name} ({d.cadre_id}) → {d.target_title}",
        f"{w['move']}: {label('MoveKind', d.move_kind, lang)} · "
        f"{w['as_of']}: {d.provenance.as_of:%d/%m/%Y}",
        f"==> {verdict}",
    ]
    shown: set[str] = set()

    def entry(mark: str, c: CriterionResult, text: str) -> None:
        shown.add(c.rule_id)
        lines.append(f"  {MARKS[mark]} {getattr(c.title, lang)}: {text}")
        lines.append(f"      ({w['code']} {c.rule_id} · {w['basis']}: {c.citation})")

    failed, unknown, reviews = deciding(d)
    if failed:
        lines.append(f"{w['why']}:")
        for c in failed:
            entry("fail", c, getattr(c.message, lang))
    if unknown:
        if len(d.possible_verdicts) > 1:
            options = " / ".join(label("verdict", v, lang) for v in d.possible_verdicts)
            lines.append(f"{w['could_change']} ({w['possible']}: {options}):")
        else:
            lines.append(f"{w['could_change']}:")
        for c in unknown:
            paths = d.missing_inputs.get(c.rule_id) or []
            need = ", ".join(f"«{input_label(p, lang)}»" for p in paths)
            entry("unknown", c, f"{w['supply']} {need}" if need else getattr(c.message, lang))
    if reviews:
        lines.append(f"{w['reviews']}:")
        for c in reviews:
            entry("review", c, getattr(c.message, lang))
    if not (failed or unknown or reviews) and d.verdict.value == "eligible":
        lines.append(f"{w['why']}: {w['all_met']}")
    if d.systems:
        binds: Any = w["binds"]
        parts = [
            f"{getattr(sv.label, lang)} ({binds[sv.binds]}): {label('verdict', sv.verdict, lang)}"
            for sv in d.systems
        ]
        lines.append(f"  {w['systems']}: " + "; ".join(parts))
    extras: list[tuple[str, CriterionResult]] = []
    for c in d.criteria:
        effect, outcome = c.applied_effect or c.effect, c.outcome.value
        if c.rule_id in shown or outcome not in {"pass", "fail"}:
            continue
        if effect == "priority":
            extras.append(("priority" if outcome == "pass" else "priority_unmet", c))
        elif effect == "warn" and outcome == "fail":
            extras.append(("warn", c))
    notices = [n for n in d.warnings if n.rule_id is None]  # the library's own, no rule
    if extras or notices:
        lines.append(f"{w['extras']}:")
        for mark, c in extras:
            entry(mark, c, getattr(c.message, lang))
        for n in notices:
            lines.append(f"  {MARKS['warn']} {getattr(n, lang)}")
    rest = [c for c in d.criteria if c.rule_id not in shown]
    visible = [c for c in rest if show_not_applicable or c.outcome.value != "not_applicable"]
    if visible:
        lines.append(f"{w['others']}:")
    for c in visible:
        effect = c.applied_effect or c.effect
        mark = "info" if effect == "info" and c.outcome.value == "pass" else c.outcome.value
        lines.append(f"  {MARKS[mark]} {getattr(c.title, lang)} ({c.rule_id})")
    if len(rest) > len(visible):
        lines.append(f"  ({len(rest) - len(visible)} {w['skipped']})")
    lines.append(f"{w['rules']}: {', '.join(d.provenance.packs)} · {d.provenance.rules_hash[:12]}")
    return "\n".join(lines)

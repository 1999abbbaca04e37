"""The result table: its schema, a Decision as a row, the main reason, the summary — one home.

Every path that produces result rows (the batch row path, the columnar fast path, a list of
decisions, the analysis tools) takes its columns, its main reason and its summary from here.
A row has a ``status`` (``ok`` or ``error``) apart from its ``verdict``: a row that could
not be evaluated has status ``error``, no verdict, and a coded bilingual message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, Final, Literal

from luanchuyen.decision import Decision
from luanchuyen.facts.inputs import inputs_for
from luanchuyen.models import Cadre, Move
from luanchuyen.ruleset.compile import CompiledRules
from luanchuyen.ruleset.conditions import facts_of
from luanchuyen.verdict import VERDICT_ORDER as _VERDICTS
from luanchuyen.verdict import Outcome, Verdict, verdict_text

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "BOOL_COLUMNS",
    "CONDITIONS",
    "CRITERIA_COLUMNS",
    "INT_COLUMNS",
    "LIST_COLUMNS",
    "RESULT_COLUMNS",
    "STATUSES",
    "SUMMARY_KEYS",
    "VERDICT_ORDER",
    "Row",
    "Status",
    "criteria_rows",
    "decision_row",
    "decisions_frame",
    "empty_row",
    "main_reason",
    "met_reason",
    "priority_grounds",
    "settling_inputs",
    "summarise",
    "test_facts",
    "typed_frames",
]

Row = dict[str, Any]
Status = Literal["ok", "error"]
ColumnKind = Literal["value", "list", "int", "bool"]
#: Row statuses: ``ok`` (evaluated; see ``verdict``) or ``error`` (see ``error_code``).
STATUSES: Final[tuple[Status, ...]] = ("ok", "error")

#: Columns of the result frame, in order, with their kind: ``list`` (a list, empty when
#: nothing), ``int`` (nullable integer), ``bool`` (nullable boolean), ``value`` (as is).
_COLUMNS: Final[tuple[tuple[str, ColumnKind], ...]] = (
    ("row", "int"),
    ("source_row", "value"),
    ("status", "value"),
    ("cadre_id", "value"),
    ("cadre_name", "value"),
    ("gender", "value"),
    ("ethnic_minority", "bool"),
    ("current_title", "value"),
    ("current_body", "value"),
    ("current_level", "value"),
    ("target_id", "value"),
    ("target_title", "value"),
    ("target_body", "value"),
    ("target_level", "value"),
    ("move_kind", "value"),
    ("as_of", "value"),
    ("verdict", "value"),
    ("possible_verdicts", "list"),
    ("priority", "bool"),
    ("reason_vi", "value"),
    ("blocking_rules", "list"),
    ("review_rules", "list"),
    ("unknown_rules", "list"),
    ("undecided_rules", "list"),
    ("missing_inputs", "list"),
    ("warning_rules", "list"),
    ("priority_rules", "list"),
    ("priority_labels", "list"),
    ("priority_grounds", "list"),
    ("info_rules", "list"),
    ("remaining_service_months", "int"),
    ("age_months", "int"),
    ("retirement_date", "value"),
    ("level_direction", "value"),
    ("cross_unit", "bool"),
    ("target_is_key_commune_post", "bool"),
    ("in_rotation", "bool"),
    ("months_in_rotation", "int"),
    ("ruleset", "value"),
    ("error_code", "value"),
    ("error_field", "value"),
    ("error_message_vi", "value"),
    ("error_message_en", "value"),
)
RESULT_COLUMNS: Final[tuple[str, ...]] = tuple(name for name, _ in _COLUMNS)
LIST_COLUMNS: Final[tuple[str, ...]] = tuple(n for n, k in _COLUMNS if k == "list")
INT_COLUMNS: Final[tuple[str, ...]] = tuple(n for n, k in _COLUMNS if k == "int")
BOOL_COLUMNS: Final[tuple[str, ...]] = tuple(n for n, k in _COLUMNS if k == "bool")
#: Columns of the per-criterion frame (``criteria=True``).
CRITERIA_COLUMNS: Final[tuple[str, ...]] = (
    "row",
    "cadre_id",
    "target_id",
    "rule_id",
    "pack",
    "title_vi",
    "outcome",
    "effect",
    "applied_effect",
    "message_vi",
    "message_en",
    "citation",
)
#: Verdicts from best to worst (the order of summaries and rankings).
VERDICT_ORDER: Final[tuple[str, ...]] = tuple(v.value for v in _VERDICTS)
#: Keys of :func:`summarise`: the verdicts, best first, then the rows with status ``error``.
SUMMARY_KEYS: Final[tuple[str, ...]] = (*VERDICT_ORDER, "error")
_CONSTRAINTS: Final = frozenset({"block", "review", "warn"})


def empty_row(row: int, source_row: Any = None, status: Status = "ok") -> Row:
    """A result row with every column empty (lists empty)."""
    out: Row = dict.fromkeys(RESULT_COLUMNS)
    out["row"] = row
    out["source_row"] = source_row
    out["status"] = status
    for c in LIST_COLUMNS:
        out[c] = []
    return out


def settling_inputs(settling: Iterable[Iterable[str]]) -> list[str]:
    """The input paths to fill in to settle the verdict: those of the facts that would settle
    each undecided rule, in rule order, without repeats (empty once the verdict is stated).

    >>> settling_inputs([["age_months"], ["age_months", "in_planning"]])
    ['cadre.date_of_birth', 'cadre.planning']
    """
    return inputs_for(f for facts in settling for f in facts)


def main_reason(d: Decision) -> str:
    """The reason a row shows first, in Vietnamese, in the order the verdict is decided.

    The first blocking failure; else (verdict unknown) the first unknown that could change
    the verdict; else the first failed review; else, for an eligible row, how many conditions
    applied and were met (:func:`met_reason`); else the verdict; with the priorities met.
    """
    for c in d.criteria:
        if c.applied_effect == "block":
            return c.message.vi
    if d.settling_facts:
        for c in d.criteria:
            if c.rule_id in d.settling_facts:
                return c.message.vi
    for c in d.criteria:
        if c.applied_effect == "review":
            return c.message.vi
    titles = [
        c.title.vi for c in d.criteria if c.effect == "priority" and c.outcome is Outcome.PASS
    ]
    if d.verdict is Verdict.ELIGIBLE:
        met = sum(1 for c in d.criteria if c.effect in CONDITIONS and c.outcome is Outcome.PASS)
        return met_reason(met, titles)
    return verdict_text(d.verdict, titles)


#: The effects of a condition (a rule that can stop or hold the move).
CONDITIONS: Final = frozenset({"block", "review"})


def met_reason(met: int, priority_titles: Iterable[str] = (), lang: str = "vi") -> str:
    """The reason of an eligible row: how many conditions applied and were met, priorities.

    >>> met_reason(12, ["Dưới 40 tuổi"])
    'Đạt cả 12 điều kiện áp dụng cho trường hợp này; ưu tiên: Dưới 40 tuổi'
    >>> met_reason(0, lang="en")
    'No condition applies to this case'
    """
    if lang == "en":
        text = (
            f"Meets all {met} conditions that apply to this case"
            if met
            else "No condition applies to this case"
        )
    else:
        text = (
            f"Đạt cả {met} điều kiện áp dụng cho trường hợp này"
            if met
            else "Không có điều kiện nào áp dụng cho trường hợp này"
        )
    titles = list(priority_titles)
    if titles:
        text += ("; priority: " if lang == "en" else "; ưu tiên: ") + "; ".join(titles)
    return text


_test_facts_cache: dict[str, dict[str, frozenset[str]]] = {}


def test_facts(compiled: CompiledRules) -> dict[str, frozenset[str]]:
    """Rule id → the facts its requirement tests (cached per compiled signature)."""
    found = _test_facts_cache.get(compiled.signature)
    if found is None:
        found = {r.id: frozenset(facts_of(r.test)) for r in compiled.rules}
        if len(_test_facts_cache) > 64:
            _test_facts_cache.clear()
        _test_facts_cache[compiled.signature] = found
    return found


test_facts.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def priority_grounds(d: Decision, compiled: CompiledRules | None) -> list[str]:
    """The distinct grounds of the priorities met: the facts their requirements test.

    Two rules on the same ground (QĐ 65 and Chi Lăng C4 both reward being under 40, fact
    ``age_months``) count once. Without the compiled rules, the facts each criterion used
    (minus ``move_kind``) are merged when they overlap.
    """
    passed = [c for c in d.criteria if c.effect == "priority" and c.outcome is Outcome.PASS]
    if compiled is not None:
        tests = test_facts(compiled)
        return sorted(set().union(*(tests.get(c.rule_id, frozenset()) for c in passed)))
    components: list[set[str]] = []
    for c in passed:
        used = set(c.facts_used) - {"move_kind"}
        merged = [g for g in components if g & used]
        for g in merged:
            components.remove(g)
            used |= g
        components.append(used)
    return sorted(min(g) for g in components if g)


def decision_row(
    d: Decision,
    row: int,
    source_row: Any = None,
    cadre: Cadre | None = None,
    move: Move | None = None,
    compiled: CompiledRules | None = None,
) -> Row:
    """One result row from a decision (and, when known, the models it came from)."""
    out = empty_row(row, source_row)
    facts = d.facts
    crit = d.criteria
    out.update(
        cadre_id=d.cadre_id,
        cadre_name=d.cadre_name,
        gender=facts.get("gender"),
        ethnic_minority=facts.get("ethnic_minority"),
        current_level=facts.get("current_level"),
        target_title=d.target_title,
        target_level=facts.get("target_level"),
        move_kind=d.move_kind,
        as_of=d.provenance.as_of,
        verdict=d.verdict.value,
        possible_verdicts=[v.value for v in d.possible_verdicts],
        priority=d.priority,
        reason_vi=main_reason(d),
        blocking_rules=list(d.blocking),
        review_rules=[c.rule_id for c in crit if c.applied_effect == "review"],
        unknown_rules=[
            c.rule_id for c in crit if c.outcome is Outcome.UNKNOWN and c.effect in _CONSTRAINTS
        ],
        undecided_rules=list(d.settling_facts),
        missing_inputs=settling_inputs(d.settling_facts.values()),
        warning_rules=[c.rule_id for c in crit if c.applied_effect == "warn"],
        priority_rules=[
            c.rule_id for c in crit if c.effect == "priority" and c.outcome is Outcome.PASS
        ],
        priority_labels=[
            c.title.vi for c in crit if c.effect == "priority" and c.outcome is Outcome.PASS
        ],
        priority_grounds=priority_grounds(d, compiled),
        info_rules=[c.rule_id for c in crit if c.effect == "info" and c.outcome is Outcome.PASS],
        remaining_service_months=facts.get("remaining_service_months"),
        age_months=facts.get("age_months"),
        level_direction=facts.get("level_direction"),
        cross_unit=facts.get("cross_unit"),
        target_is_key_commune_post=facts.get("target_is_key_commune_post"),
        in_rotation=facts.get("in_rotation"),
        months_in_rotation=facts.get("months_in_rotation"),
        ruleset=d.provenance.ruleset_signature,
    )
    retirement = d.context.get("retirement_date")  # a date: Decision.context is ISO
    if isinstance(retirement, date):
        out["retirement_date"] = retirement
    if cadre is not None and cadre.current_post is not None:
        out["current_title"] = cadre.current_post.title
        out["current_body"] = cadre.current_post.body
    if move is not None:
        out["target_id"] = move.target.id
        out["target_body"] = move.target.body
    return out


def criteria_rows(d: Decision, row: int, target_id: str | None) -> list[Row]:
    """The per-criterion rows of one decision (:data:`CRITERIA_COLUMNS`)."""
    return [
        {
            "row": row,
            "cadre_id": d.cadre_id,
            "target_id": target_id,
            "rule_id": c.rule_id,
            "pack": c.pack,
            "title_vi": c.title.vi,
            "outcome": c.outcome.value,
            "effect": c.effect,
            "applied_effect": c.applied_effect,
            "message_vi": c.message.vi,
            "message_en": c.message.en,
            "citation": str(c.citation),
        }
        for c in d.criteria
    ]


def typed_frames(
    frame: pd.DataFrame, crit: list[Row], criteria: bool
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The result frame with its column types, and the criteria frame."""
    import pandas as pd  # deferred: pandas is the heavy ``analysis`` extra

    for c in INT_COLUMNS:
        frame[c] = frame[c].astype("Int64")
    for c in BOOL_COLUMNS:
        frame[c] = frame[c].astype("boolean")
    crit_frame = pd.DataFrame(crit if criteria else [], columns=list(CRITERIA_COLUMNS))
    crit_frame["row"] = crit_frame["row"].astype("int64")
    return frame, crit_frame


def decisions_frame(decisions: Iterable[Decision]) -> pd.DataFrame:
    """Decisions (from :func:`luanchuyen.evaluate`) as a result frame like ``evaluate_many``'s.

    Columns that need the input models (current and target unit, target id) stay empty.
    """
    import pandas as pd  # deferred: pandas is the heavy ``analysis`` extra

    rows = [decision_row(d, i) for i, d in enumerate(decisions)]
    frame, _ = typed_frames(pd.DataFrame(rows, columns=list(RESULT_COLUMNS)), [], False)
    return frame


def summarise(frame: pd.DataFrame | Mapping[str, Any]) -> dict[str, int]:
    """Rows by verdict in :data:`VERDICT_ORDER`, then rows with status ``error`` (zeros included).

    >>> import pandas as pd
    >>> summarise(pd.DataFrame({"status": ["ok", "error"], "verdict": ["eligible", None]}))
    {'eligible': 1, 'needs_review': 0, 'unknown': 0, 'not_eligible': 0, 'error': 1}
    """
    counts = dict.fromkeys(SUMMARY_KEYS, 0)
    statuses = list(frame["status"]) if "status" in frame else ["ok"] * len(frame["verdict"])
    for status, v in zip(statuses, frame["verdict"], strict=True):
        key = "error" if status == "error" else str(v)
        counts[key] = counts.get(key, 0) + 1
    return counts

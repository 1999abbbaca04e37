"""Đánh giá hàng loạt / batch evaluation: many (cadre, move) pairs → one tidy table.

:func:`evaluate_many` accepts (cadre, move) pairs, ``{cadre, move, as_of}`` mappings, a pandas
DataFrame in the flat spreadsheet layout (:mod:`luanchuyen.io.tables`), or the product of
:func:`cross` (every cadre × every target position). It returns one row per input, in input
order. A bad row is never dropped and never stops the batch: it comes back with
``verdict == "error"``, a stable error code and a bilingual message.

How it works: every row is validated into models. With the vector backend (the default)
and no per-criterion frame, rows that share an as-of date go the columnar way
(:mod:`luanchuyen._batch_fast`): facts derived straight into typed columns, every rule
evaluated on the columns, the result columns computed on the state matrices; only each
row's main reason (``reasons=True``) is written row by row. Otherwise facts are derived per
row, the per-rule states of all rows come from **one** ``backend.states_many`` call per
compiled rule set, and each row's :class:`~luanchuyen.decision.Decision` is assembled as
:func:`luanchuyen.evaluate` does. Both ways give the same frame (tested), and a batch row
equals a single evaluation.

>>> from luanchuyen.batch import evaluate_many
>>> cadre = {"id": "CB1", "name": "Lê Văn A", "gender": "nam", "date_of_birth": "10/10/1963"}
>>> move = {"kind": "luan_chuyen", "target": {"title": "Bí thư xã", "level": "xa"}}
>>> df = evaluate_many([(cadre, move)], as_of="2024-06-01", backend="reference")
>>> row = df.iloc[0]
>>> row.cadre_id, row.verdict, int(row.remaining_service_months), row.blocking_rules
('CB1', 'not_eligible', 5, ['min_remaining_service_10y'])
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Final, Literal, overload

from pydantic import ValidationError

from luanchuyen.decision import Decision, Outcome, RuleStates, Verdict
from luanchuyen.engine.base import Backend
from luanchuyen.errors import EngineError, InputError, LuanChuyenError
from luanchuyen.evaluation import decide
from luanchuyen.facts import DerivedFacts, derive_facts
from luanchuyen.models import Cadre, Move
from luanchuyen.ruleset.compile import CompiledRules, RuleSet

if TYPE_CHECKING:
    import pandas as pd

    from luanchuyen.evaluation import BackendName
    from luanchuyen.io.tables import Layout

__all__ = [
    "CRITERIA_COLUMNS",
    "RESULT_COLUMNS",
    "VERDICT_ORDER",
    "BatchResult",
    "cross",
    "decisions_frame",
    "evaluate_many",
    "summarise",
]

#: Columns of the result frame, in order.
RESULT_COLUMNS: Final[tuple[str, ...]] = (
    "row",
    "source_row",
    "cadre_id",
    "cadre_name",
    "gender",
    "ethnic_minority",
    "current_title",
    "current_body",
    "current_level",
    "target_id",
    "target_title",
    "target_body",
    "target_level",
    "move_kind",
    "as_of",
    "verdict",
    "priority",
    "reason_vi",
    "blocking_rules",
    "review_rules",
    "unknown_rules",
    "warning_rules",
    "priority_rules",
    "priority_labels",
    "priority_grounds",
    "info_rules",
    "remaining_service_months",
    "age_months",
    "retirement_date",
    "level_direction",
    "cross_unit",
    "target_is_key_commune_post",
    "in_rotation",
    "months_in_rotation",
    "ruleset",
    "error_code",
    "error_field",
    "error_message_vi",
    "error_message_en",
)
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
#: Verdicts from best to worst, ``error`` last (the order of summaries and rankings).
VERDICT_ORDER: Final[tuple[str, ...]] = (
    "eligible",
    "needs_review",
    "unknown",
    "not_eligible",
    "error",
)
_LIST_COLUMNS: Final = (
    "blocking_rules",
    "review_rules",
    "unknown_rules",
    "warning_rules",
    "priority_rules",
    "priority_labels",
    "priority_grounds",
    "info_rules",
)
_INT_COLUMNS: Final = ("row", "remaining_service_months", "age_months", "months_in_rotation")
_BOOL_COLUMNS: Final = (
    "priority",
    "ethnic_minority",
    "cross_unit",
    "target_is_key_commune_post",
    "in_rotation",
)
_CONSTRAINTS: Final = frozenset({"block", "review", "warn"})
_CHUNK: Final = 1000
_FAST_CHUNK: Final = 16_384

Row = dict[str, Any]
Progress = Callable[[int, int], None]


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True, slots=True)
class _Item:
    """One input row: a flat table row (cells), a (cadre, move, as_of) triple, or an error."""

    row: int
    source_row: Any
    cells: tuple[Any, ...] | None = None
    pair: tuple[Any, Any, Any] | None = None
    error: LuanChuyenError | None = None


@dataclass(frozen=True, slots=True)
class _Valid:
    """Private: a validated row — its item, models, as-of date and the rules in force."""

    item: _Item
    cadre: Cadre
    move: Move
    as_of: date
    compiled: CompiledRules


@dataclass(frozen=True, slots=True)
class _Job(_Valid):
    """A validated row with its facts, ready for the engine."""

    derived: DerivedFacts


def _is_frame(data: Any) -> bool:
    return type(data).__name__ == "DataFrame" and hasattr(data, "itertuples")


def _label(value: Any) -> Any:
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _items(data: Any) -> tuple[list[_Item], tuple[str, ...] | None]:
    """Normalise the input into items (and the table headers for a DataFrame)."""
    if _is_frame(data):
        headers = tuple(str(c) for c in data.columns)
        items = [
            _Item(i, _label(label), cells=tuple(cells))
            for i, (label, cells) in enumerate(
                zip(data.index, data.itertuples(index=False, name=None), strict=True)
            )
        ]
        return items, headers
    if isinstance(data, str | bytes) or not isinstance(data, Iterable):
        raise InputError(
            "invalid_input",
            "Đầu vào phải là DataFrame hoặc danh sách cặp (cán bộ, đề xuất)",
            "Input must be a DataFrame or an iterable of (cadre, move) pairs",
            field="pairs_or_frame",
        )
    out: list[_Item] = []
    for i, raw in enumerate(data):
        if type(raw) is tuple and len(raw) == 2:  # the common case first: a (cadre, move) pair
            out.append(_Item(i, None, pair=(raw[0], raw[1], None)))
        elif isinstance(raw, LuanChuyenError):
            out.append(_Item(i, None, error=raw))
        elif isinstance(raw, Mapping) and "cadre" in raw and "move" in raw:
            out.append(_Item(i, None, pair=(raw["cadre"], raw["move"], raw.get("as_of"))))
        elif isinstance(raw, tuple | list) and len(raw) in (2, 3):
            out.append(_Item(i, None, pair=(raw[0], raw[1], raw[2] if len(raw) == 3 else None)))
        else:
            out.append(
                _Item(
                    i,
                    None,
                    error=InputError(
                        "invalid_input",
                        "Mục không phải là cặp (cán bộ, đề xuất) hay {cadre, move, as_of}",
                        "Item is not a (cadre, move) pair nor a {cadre, move, as_of} mapping",
                        field=f"item {i}",
                    ),
                )
            )
    return out, None


def _day(value: Any, field: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        from luanchuyen.dates import parse_vn_date

        return parse_vn_date(value, field=field)
    raise InputError(
        "invalid_date",
        f"Ngày đánh giá {value!r} không hợp lệ",
        f"Invalid as-of date {value!r}",
        field=field,
    )


def _model(cls: type[Cadre] | type[Move], raw: Any, prefix: str, layout: Layout | None) -> Any:
    if isinstance(raw, cls):
        return raw
    if raw is None:
        raise InputError(
            "missing_field",
            f"{prefix}: thiếu dữ liệu",
            f"{prefix}: data is missing",
            field=prefix,
        )
    try:
        return cls.model_validate(raw)
    except ValidationError as exc:
        if layout is not None:
            raise layout.error_for(exc, prefix) from None
        from luanchuyen.models.validate import input_error_from

        raise input_error_from(exc, prefix) from None


def _validate(
    item: _Item, layout: Layout | None, rules: RuleSet, default_as_of: date | None
) -> _Valid:
    """Validate one row into models, its as-of date and the rules in force (raises if bad)."""
    if item.error is not None:
        raise item.error
    if item.cells is not None:
        assert layout is not None
        req = layout.read(item.cells, as_of=default_as_of, row=item.source_row)
        raw_cadre, raw_move, day = req.cadre, req.move, req.as_of
    else:
        assert item.pair is not None
        raw_cadre, raw_move, raw_day = item.pair
        day = _day(raw_day, "as_of") if raw_day is not None else default_as_of
    if day is None:
        raise InputError(
            "missing_field",
            "Thiếu ngày đánh giá (tham số as_of hoặc cột «Ngày đánh giá»)",
            "The as-of date is missing (the as_of argument or the «Ngày đánh giá» column)",
            field="as_of",
        )
    cadre: Cadre = _model(Cadre, raw_cadre, "cadre", layout)
    move: Move = _model(Move, raw_move, "move", layout)
    return _Valid(item, cadre, move, day, rules.compiled(day))


def _derive(valid: _Valid, layout: Layout | None) -> _Job:
    """Derive one validated row's facts (raises on dates that cannot be right)."""
    try:
        derived = derive_facts(valid.cadre, valid.move, valid.as_of, valid.compiled.params)
    except LuanChuyenError as exc:
        raise (layout.with_column(exc) if layout is not None else exc) from None
    return _Job(valid.item, valid.cadre, valid.move, valid.as_of, valid.compiled, derived)


# --------------------------------------------------------------------------- rows


def _empty_row(item: _Item) -> Row:
    row: Row = dict.fromkeys(RESULT_COLUMNS)
    row["row"] = item.row
    row["source_row"] = item.source_row
    for c in _LIST_COLUMNS:
        row[c] = []
    return row


def _raw_get(raw: Any, name: str) -> Any:
    if isinstance(raw, Mapping):
        return raw.get(name)
    return getattr(raw, name, None)


def _error_row(item: _Item, layout: Layout | None, exc: LuanChuyenError) -> Row:
    row = _empty_row(item)
    if item.cells is not None and layout is not None:
        row["cadre_id"] = layout.peek(item.cells, "cadre.id")
        row["cadre_name"] = layout.peek(item.cells, "cadre.name")
        row["target_id"] = layout.peek(item.cells, "move.target.id")
        row["target_title"] = layout.peek(item.cells, "move.target.title")
        row["move_kind"] = layout.peek(item.cells, "move.kind")
    elif item.pair is not None:
        cadre, move, _ = item.pair
        for key, name in (("cadre_id", "id"), ("cadre_name", "name")):
            value = _raw_get(cadre, name)
            row[key] = str(value) if value is not None else None
        target = _raw_get(move, "target")
        for key, name in (("target_id", "id"), ("target_title", "title")):
            value = _raw_get(target, name)
            row[key] = str(value) if value is not None else None
        kind = _raw_get(move, "kind")
        row["move_kind"] = str(getattr(kind, "value", kind)) if kind is not None else None
    row["verdict"] = "error"
    row["reason_vi"] = exc.message_vi
    row["error_code"] = exc.code
    row["error_field"] = exc.field
    row["error_message_vi"] = exc.message_vi
    row["error_message_en"] = exc.message_en
    return row


def _unexpected(exc: Exception) -> InputError:
    return InputError(
        "unexpected_error",
        f"Lỗi không mong đợi khi xử lý dòng: {type(exc).__name__}: {exc}",
        f"Unexpected error while processing the row: {type(exc).__name__}: {exc}",
        details={"exception": type(exc).__name__},
    )


def _reason(d: Decision) -> str:
    fails = [c for c in d.criteria if c.outcome is Outcome.FAIL]
    for effect in ("block", "review"):
        for c in fails:
            if c.applied_effect == effect:
                return c.message.vi
    if d.verdict.value == "unknown":
        for c in d.criteria:
            if c.outcome is Outcome.UNKNOWN and c.effect == "block":
                return c.message.vi
    titles = [
        c.title.vi for c in d.criteria if c.effect == "priority" and c.outcome is Outcome.PASS
    ]
    return _verdict_text(d.verdict, titles)


def _verdict_text(verdict: Verdict, priority_titles: Sequence[str]) -> str:
    """The main reason when no rule gives it: the verdict, and the priorities met."""
    from luanchuyen.decision import VERDICT_VI

    text = VERDICT_VI[verdict]
    if priority_titles:
        text += "; ưu tiên: " + "; ".join(priority_titles)
    return text


_test_facts_cache: dict[str, dict[str, frozenset[str]]] = {}


def _test_facts(compiled: CompiledRules) -> dict[str, frozenset[str]]:
    """Rule id → the facts its requirement tests (cached per compiled signature)."""
    found = _test_facts_cache.get(compiled.signature)
    if found is None:
        from luanchuyen.ruleset.conditions import facts_of

        found = {r.id: frozenset(facts_of(r.test)) for r in compiled.rules}
        if len(_test_facts_cache) > 64:
            _test_facts_cache.clear()
        _test_facts_cache[compiled.signature] = found
    return found


def _grounds(d: Decision, compiled: CompiledRules | None) -> list[str]:
    """The distinct grounds of the priorities met: the facts their requirements test.

    Two rules on the same ground (QĐ 65 and Chi Lăng C4 both reward being under 40, fact
    ``age_months``) count once. Without the compiled rules, the facts each criterion used
    (minus ``move_kind``) are merged when they overlap.
    """
    passed = [c for c in d.criteria if c.effect == "priority" and c.outcome is Outcome.PASS]
    if compiled is not None:
        tests = _test_facts(compiled)
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


def _decision_row(
    d: Decision,
    item: _Item,
    cadre: Cadre | None,
    move: Move | None,
    compiled: CompiledRules | None = None,
) -> Row:
    """One result row from a decision (and, when known, the models it came from)."""
    row = _empty_row(item)
    facts = d.facts
    crit = d.criteria
    row.update(
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
        priority=d.priority,
        reason_vi=_reason(d),
        blocking_rules=list(d.blocking),
        review_rules=[
            c.rule_id for c in crit if c.outcome is Outcome.FAIL and c.applied_effect == "review"
        ],
        unknown_rules=[
            c.rule_id for c in crit if c.outcome is Outcome.UNKNOWN and c.effect in _CONSTRAINTS
        ],
        warning_rules=[
            c.rule_id for c in crit if c.outcome is Outcome.FAIL and c.applied_effect == "warn"
        ],
        priority_rules=[
            c.rule_id for c in crit if c.effect == "priority" and c.outcome is Outcome.PASS
        ],
        priority_labels=[
            c.title.vi for c in crit if c.effect == "priority" and c.outcome is Outcome.PASS
        ],
        priority_grounds=_grounds(d, compiled),
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
    retirement = d.context.get("retirement_date")
    if isinstance(retirement, str):
        from luanchuyen.dates import parse_vn_date

        row["retirement_date"] = parse_vn_date(retirement)
    if cadre is not None and cadre.current_post is not None:
        row["current_title"] = cadre.current_post.title
        row["current_body"] = cadre.current_post.body
    if move is not None:
        row["target_id"] = move.target.id
        row["target_body"] = move.target.body
    return row


def _criteria_rows(d: Decision, item: _Item, target_id: str | None) -> list[Row]:
    return [
        {
            "row": item.row,
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


# --------------------------------------------------------------------------- engine


def _states_many(
    engine: Backend, jobs: Sequence[_Job], *, criteria: bool
) -> list[tuple[Row, list[Row]] | LuanChuyenError]:
    """Per-rule states for all jobs, then one result row (and criteria rows) per job.

    Jobs are grouped by compiled rule set (``signature``); each group is sent to the backend
    in ONE ``states_many`` call when the backend has it, else row by row. If a group's call
    fails, its rows are retried one by one so that only the rows that fail carry the error.
    Each row's :class:`~luanchuyen.decision.Decision` is assembled as
    :func:`luanchuyen.evaluate` does. (The columnar fast path is :mod:`luanchuyen._batch_fast`.)
    """
    states: list[Mapping[str, RuleStates] | LuanChuyenError | None] = [None] * len(jobs)
    groups: dict[str, list[int]] = {}
    for i, job in enumerate(jobs):
        groups.setdefault(job.compiled.signature, []).append(i)
    many = getattr(engine, "states_many", None)
    for idx in groups.values():
        compiled = jobs[idx[0]].compiled
        facts = [jobs[i].derived.facts for i in idx]
        try:
            if many is None:
                raise EngineError("engine_failure", "không có states_many", "no states_many")
            results = list(many(compiled, facts))
            if len(results) != len(facts):
                raise EngineError(
                    "engine_conflict",
                    f"states_many trả {len(results)} kết quả cho {len(facts)} dòng",
                    f"states_many returned {len(results)} results for {len(facts)} rows",
                )
        except LuanChuyenError:
            results = []
            for f in facts:
                try:
                    results.append(engine.states(compiled, f))
                except LuanChuyenError as exc:
                    results.append(exc)
        for i, r in zip(idx, results, strict=True):
            states[i] = r
    out: list[tuple[Row, list[Row]] | LuanChuyenError] = []
    for job, st in zip(jobs, states, strict=True):
        if isinstance(st, LuanChuyenError):
            out.append(st)
            continue
        assert st is not None
        c, m = job.cadre, job.move
        decision = decide(job.compiled, st, job.derived, c, m, job.as_of, engine.name)
        row = _decision_row(decision, job.item, c, m, job.compiled)
        crit = _criteria_rows(decision, job.item, m.target.id) if criteria else []
        out.append((row, crit))
    return out


_fallback_warned = False


def _resolve_backend(backend: BackendName | Backend) -> Backend:
    """The backend; ``"vector"`` falls back to ``"reference"`` if its module cannot import."""
    global _fallback_warned
    from luanchuyen.evaluation import get_backend

    if backend == "vector":
        try:
            import luanchuyen.engine.vector  # noqa: F401
        except ImportError as exc:
            if not _fallback_warned:
                _fallback_warned = True
                warnings.warn(
                    f"Không nạp được bộ máy 'vector' ({exc}); dùng 'reference' / "
                    f"the 'vector' backend cannot be imported ({exc}); using 'reference'",
                    RuntimeWarning,
                    stacklevel=3,
                )
            backend = "reference"
    return get_backend(backend)


def _is_vector(engine: Backend) -> bool:
    import sys

    vector = sys.modules.get("luanchuyen.engine.vector")  # loaded only if it is the engine
    return vector is not None and isinstance(engine, vector.VectorBackend)


def _fast_frames(
    engine: Backend, valid: list[_Valid], reasons: bool
) -> tuple[list[Any], list[_Valid]]:
    """The columnar fast path over validated rows: result frames, and the rows it leaves."""
    from luanchuyen._batch_fast import group_frame

    groups: dict[date, list[_Valid]] = {}  # one rule set per date
    for v in valid:
        groups.setdefault(v.as_of, []).append(v)
    frames: list[Any] = []
    rest: list[_Valid] = []
    for group in groups.values():
        try:
            frame, left = group_frame(engine, group, reasons=reasons)  # type: ignore[arg-type]
        except Exception as exc:  # never lose a row to the fast path: the row path takes them
            warnings.warn(
                f"Đường nhanh lỗi, chuyển sang đánh giá từng dòng / the columnar fast path "
                f"failed ({type(exc).__name__}: {exc}); evaluating these rows one by one",
                RuntimeWarning,
                stacklevel=2,
            )
            rest.extend(group)
            continue
        frames.append(frame)
        rest.extend(left)
    return frames, rest


def _evaluate_items(
    items: Sequence[_Item],
    layout: Layout | None,
    rules: RuleSet,
    engine: Backend,
    default_as_of: date | None,
    criteria: bool,
    reasons: bool = True,
) -> tuple[pd.DataFrame, list[Row]]:
    """Evaluate a chunk of items into its result frame (rows in order) and criteria rows.

    Rows are validated one by one; with the vector backend and no criteria frame they then go
    the columnar way (:mod:`luanchuyen._batch_fast`), else facts are derived per row and
    states computed in bulk (:func:`_states_many`).
    """
    import pandas as pd

    rows: list[Row] = []
    valid: list[_Valid] = []
    for item in items:
        try:
            valid.append(_validate(item, layout, rules, default_as_of))
        except LuanChuyenError as exc:
            rows.append(_error_row(item, layout, exc))
        except ValidationError as exc:  # pragma: no cover - _model converts these
            from luanchuyen.models.validate import input_error_from

            rows.append(_error_row(item, layout, input_error_from(exc, "input")))
        except Exception as exc:  # a batch never stops on one row
            rows.append(_error_row(item, layout, _unexpected(exc)))
    frames: list[pd.DataFrame] = []
    if not criteria and valid and _is_vector(engine):
        frames, valid = _fast_frames(engine, valid, reasons)
    jobs: list[_Job] = []
    for v in valid:
        try:
            jobs.append(_derive(v, layout))
        except LuanChuyenError as exc:
            rows.append(_error_row(v.item, layout, exc))
        except Exception as exc:  # a batch never stops on one row
            rows.append(_error_row(v.item, layout, _unexpected(exc)))
    crit_rows: list[Row] = []
    for job, result in zip(jobs, _states_many(engine, jobs, criteria=criteria), strict=True):
        if isinstance(result, LuanChuyenError):
            rows.append(_error_row(job.item, layout, result))
        else:
            row, crit = result
            if not reasons:
                row["reason_vi"] = None
            rows.append(row)
            crit_rows.extend(crit)
    if rows or not frames:
        frames.append(pd.DataFrame(rows, columns=list(RESULT_COLUMNS)))
    return _in_order(frames), crit_rows


def _in_order(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Frames of one batch joined, in input order (column ``row``)."""
    import pandas as pd

    frames = [f for f in frames if len(f)] or list(frames[:1])
    if not frames:
        return pd.DataFrame([], columns=list(RESULT_COLUMNS))
    if len(frames) == 1:
        frame = frames[0]
    else:
        with warnings.catch_warnings():  # all-None columns in small frames: nothing to warn of
            warnings.simplefilter("ignore", FutureWarning)
            frame = pd.concat(frames, ignore_index=True)
        # A text column joined with an all-empty one is ``object``: infer its type again, so
        # that the dtypes do not depend on how the rows were split (all-empty columns stay).
        for name in frame.columns:
            col = frame[name]
            if col.dtype == object and col.notna().any():
                frame[name] = col.infer_objects()
    if not frame["row"].is_monotonic_increasing:
        frame = frame.sort_values("row", kind="stable")
    return frame.reset_index(drop=True)


# --------------------------------------------------------------------------- processes

_worker_rules: dict[tuple[str, ...], RuleSet] = {}


def _worker(
    items: list[_Item],
    headers: tuple[str, ...] | None,
    pack_paths: tuple[str, ...],
    backend: str,
    default_as_of: date | None,
    criteria: bool,
    reasons: bool = True,
) -> tuple[pd.DataFrame, list[Row]]:
    """Process-pool entry point: reload the rules (cached per process) and evaluate a chunk."""
    rules = _worker_rules.get(pack_paths)
    if rules is None:
        rules = RuleSet.from_paths(pack_paths)
        _worker_rules[pack_paths] = rules
    layout = _layout(headers)
    engine = _resolve_backend(backend)  # type: ignore[arg-type]
    return _evaluate_items(items, layout, rules, engine, default_as_of, criteria, reasons)


def _layout(headers: tuple[str, ...] | None) -> Layout | None:
    if headers is None:
        return None
    from luanchuyen.io.tables import Layout

    return Layout.resolve(headers, "flat")


def _run_parallel(
    items: list[_Item],
    headers: tuple[str, ...] | None,
    rules: RuleSet,
    backend: str,
    default_as_of: date | None,
    criteria: bool,
    workers: int,
    progress: Progress | None,
    reasons: bool = True,
) -> tuple[pd.DataFrame, list[Row]]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    import pandas as pd

    paths = tuple(str(p.path) for p in rules.packs)
    # Items that are already errors stay here: exceptions do not cross process boundaries.
    rows: list[Row] = [_error_row(it, None, it.error) for it in items if it.error is not None]
    work = [it for it in items if it.error is None]
    size = max(1, min(_CHUNK, math.ceil(len(work) / (workers * 4))))
    chunks = [work[i : i + size] for i in range(0, len(work), size)]
    crit: list[Row] = []
    frames = [pd.DataFrame(rows, columns=list(RESULT_COLUMNS))]
    done = len(rows)
    ctx = multiprocessing.get_context("spawn")  # never fork a process that may host threads
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        futures = [
            pool.submit(_worker, chunk, headers, paths, backend, default_as_of, criteria, reasons)
            for chunk in chunks
        ]
        for chunk, fut in zip(chunks, futures, strict=True):
            f, c = fut.result()
            frames.append(f)
            crit.extend(c)
            done += len(chunk)
            if progress is not None:
                progress(done, len(items))
    crit.sort(key=lambda r: int(r["row"]))  # stable: criteria keep their order within a row
    return _in_order(frames), crit


# --------------------------------------------------------------------------- public API


def _frames(
    frame: pd.DataFrame, crit: list[Row], criteria: bool
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The result frame with its column types, and the criteria frame."""
    import pandas as pd

    for c in _INT_COLUMNS:
        frame[c] = frame[c].astype("Int64")
    for c in _BOOL_COLUMNS:
        frame[c] = frame[c].astype("boolean")
    crit_frame = pd.DataFrame(crit if criteria else [], columns=list(CRITERIA_COLUMNS))
    crit_frame["row"] = crit_frame["row"].astype("int64")
    return frame, crit_frame


@overload
def evaluate_many(
    pairs_or_frame: Any,
    *,
    as_of: date | str | None,
    rules: RuleSet | None = ...,
    backend: BackendName | Backend = ...,
    criteria: Literal[False] = ...,
    workers: int | None = ...,
    progress: Progress | None = ...,
    reasons: bool = ...,
) -> pd.DataFrame: ...
@overload
def evaluate_many(
    pairs_or_frame: Any,
    *,
    as_of: date | str | None,
    rules: RuleSet | None = ...,
    backend: BackendName | Backend = ...,
    criteria: Literal[True],
    workers: int | None = ...,
    progress: Progress | None = ...,
    reasons: bool = ...,
) -> tuple[pd.DataFrame, pd.DataFrame]: ...
def evaluate_many(
    pairs_or_frame: Any,
    *,
    as_of: date | str | None,
    rules: RuleSet | None = None,
    backend: BackendName | Backend = "vector",
    criteria: bool = False,
    workers: int | None = None,
    progress: Progress | None = None,
    reasons: bool = True,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Evaluate many (cadre, move) pairs; one result row per input row, in input order.

    Args:
        pairs_or_frame: (cadre, move) or (cadre, move, as_of) tuples of models or mappings;
            ``{"cadre": …, "move": …, "as_of": …}`` mappings (JSON Lines); an
            :class:`~luanchuyen.errors.InputError` in place of an unreadable item; or a
            pandas DataFrame in the flat spreadsheet layout (see
            :mod:`luanchuyen.io.tables`), e.g. from :func:`cross`.
        as_of: the evaluation date of every row that does not carry its own (column
            ``Ngày đánh giá`` / key ``as_of``). ``None`` only if every row carries one.
        rules: the rule set (default: the national packs).
        backend: ``"vector"`` (default; falls back to ``"reference"`` with a warning if
            :mod:`luanchuyen.engine.vector` cannot be imported), ``"reference"``,
            ``"durable"`` or a backend instance (not with ``workers``).
        criteria: also return the long per-criterion frame (:data:`CRITERIA_COLUMNS`).
        workers: split the rows over this many processes (order preserved); the rules are
            reloaded in each process from their pack directories. Processes are *spawned*, so
            a script calling this needs the usual ``if __name__ == "__main__":`` guard.
        progress: called as ``progress(done, total)`` after each chunk of rows.
        reasons: write each row's main reason (``reason_vi``). ``False`` leaves that column
            empty (but on error rows, which always say what is wrong) and, with the vector backend, skips every per-row step: the national-scale
            setting (verdicts, priorities and the rule-id columns say which rules decided;
            :func:`luanchuyen.evaluate` on any row gives its full decision, every reason
            included, identical to the batch row).

    Returns:
        The result frame (:data:`RESULT_COLUMNS`), or ``(results, criteria)`` when
        ``criteria=True``. Rule-id columns hold lists; ``verdict`` is ``eligible``,
        ``needs_review``, ``unknown``, ``not_eligible`` or ``error`` (then ``error_code``,
        ``error_field`` and the bilingual ``error_message_*`` say why).

    Raises:
        InputError: only for a bad argument (``as_of``, the input type); never for a row.
    """
    default_as_of = _day(as_of, "as_of")
    rs = rules
    if rs is None:
        from luanchuyen.evaluation import default_rules

        rs = default_rules()
    items, headers = _items(pairs_or_frame)
    layout = _layout(headers)  # a table whose headers clash fails here, before any work
    if workers is not None and workers > 1 and len(items) > 1:
        name = backend if isinstance(backend, str) else getattr(backend, "name", None)
        if name not in {"vector", "reference", "durable"}:
            raise InputError(
                "invalid_value",
                "Chạy nhiều tiến trình cần tên bộ máy ('vector', 'reference' hoặc 'durable')",
                "Several workers need a backend name ('vector', 'reference' or 'durable')",
                field="backend",
            )
        joined, crit = _run_parallel(
            items, headers, rs, str(name), default_as_of, criteria, workers, progress, reasons
        )
    else:
        engine = _resolve_backend(backend)
        # The columnar path gains from long chunks; the row path reports progress more often.
        size = _FAST_CHUNK if not criteria and _is_vector(engine) else _CHUNK
        frames, crit = [], []
        for start in range(0, len(items), size):
            f, c = _evaluate_items(
                items[start : start + size], layout, rs, engine, default_as_of, criteria, reasons
            )
            frames.append(f)
            crit.extend(c)
            if progress is not None:
                progress(min(start + size, len(items)), len(items))
        joined = _in_order(frames)
    frame, crit_frame = _frames(joined, crit, criteria)
    if layout is not None and layout.unknown:
        frame.attrs["unknown_columns"] = list(layout.unknown)
    return (frame, crit_frame) if criteria else frame


def decisions_frame(decisions: Iterable[Decision]) -> pd.DataFrame:
    """Decisions (from :func:`luanchuyen.evaluate`) as a result frame like :func:`evaluate_many`.

    Columns that need the input models (current and target unit, target id) stay empty.
    """
    import pandas as pd

    rows = [_decision_row(d, _Item(i, None), None, None) for i, d in enumerate(decisions)]
    frame, _ = _frames(pd.DataFrame(rows, columns=list(RESULT_COLUMNS)), [], False)
    return frame


def summarise(frame: pd.DataFrame) -> dict[str, int]:
    """Rows by verdict, in :data:`VERDICT_ORDER` (every verdict present, zeros included)."""
    counts = dict.fromkeys(VERDICT_ORDER, 0)
    for v in frame["verdict"]:
        counts[str(v)] = counts.get(str(v), 0) + 1
    return counts


def cross(
    cadres: Any,
    positions: Any,
    *,
    kind: str = "luan_chuyen",
    move: Mapping[str, Any] | None = None,
) -> pd.DataFrame | list[tuple[Any, dict[str, Any]]]:
    """Every cadre × every target position, as input for :func:`evaluate_many`.

    Args:
        cadres: cadre models or mappings, or a DataFrame in the cadre layout.
        positions: position models or mappings, or a DataFrame in the position layout.
        kind: the move kind for every pair (``luan_chuyen``, ``dieu_dong``…; Vietnamese
            labels accepted).
        move: other move fields for every pair (``planned_start``, ``decision_date``…).

    Returns:
        A flat DataFrame (cadre columns + target columns, index ``"<cadre line>×<position
        line>"``) when either input is a DataFrame, so that a bad cadre or position cell
        becomes an error row; otherwise a list of ``(cadre, move mapping)`` pairs.
    """
    extra = dict(move or {})
    if not _is_frame(cadres) and not _is_frame(positions):
        return [(c, {**extra, "kind": kind, "target": p}) for c in cadres for p in positions]
    import pandas as pd

    from luanchuyen.io import tables

    cad = cadres if _is_frame(cadres) else tables.cadres_frame(cadres)
    pos = positions if _is_frame(positions) else tables.positions_frame(positions)
    matched = tables.Layout.resolve(list(pos.columns), "position").matched()
    renamed = {raw: tables.target_header(col) for raw, col in matched.items()}
    pos2 = pos[[c for c in pos.columns if str(c) in renamed]].rename(columns=renamed)
    cad2 = cad.copy()
    left = pd.Series([str(x) for x in cad2.index], index=cad2.index)
    right = pd.Series([str(x) for x in pos2.index], index=pos2.index)
    cad2["__cadre_line"] = left.to_numpy()
    pos2 = pos2.copy()
    pos2["__position_line"] = right.to_numpy()
    flat = cad2.merge(pos2, how="cross")
    index = [f"{a}×{b}" for a, b in zip(flat["__cadre_line"], flat["__position_line"], strict=True)]
    flat = flat.drop(columns=["__cadre_line", "__position_line"])
    flat.index = pd.Index(index, name="line")
    flat[_move_header("move.kind")] = kind
    for name, value in extra.items():
        flat[_move_header(f"move.{name}")] = value
    return flat


def _move_header(path: str) -> str:
    from luanchuyen.io.tables import MOVE_COLUMNS

    for c in MOVE_COLUMNS:
        if c.path == path:
            return c.header
    raise InputError(
        "invalid_input",
        f"Trường đề xuất '{path}' không có cột tương ứng",
        f"Move field '{path}' has no column",
        field=path,
    )


@dataclass(frozen=True)
class BatchResult:
    """Batch results wrapped for notebooks: renders as a coloured HTML table.

    >>> import pandas as pd
    >>> BatchResult(pd.DataFrame({"verdict": ["eligible", "error"]})).summary()
    {'eligible': 1, 'needs_review': 0, 'unknown': 0, 'not_eligible': 0, 'error': 1}
    """

    frame: pd.DataFrame
    criteria: pd.DataFrame | None = None

    def summary(self) -> dict[str, int]:
        """Rows by verdict."""
        return summarise(self.frame)

    def write(self, path: str) -> Any:
        """Write the results (and criteria) to .xlsx, .csv or .jsonl."""
        from luanchuyen.io.tables import write_results

        return write_results(self.frame, path, criteria=self.criteria)

    def _repr_html_(self) -> str:
        from luanchuyen.render.html import batch_html

        return batch_html(self.frame)

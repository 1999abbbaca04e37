"""Private: the columnar fast path of :func:`luanchuyen.batch.evaluate_many`.

Taken with the vector backend when no per-criterion frame is asked for. For one group of
validated rows that share an as-of date and a compiled rule set:

1. facts are derived straight into typed columns
   (:func:`luanchuyen.facts.columnar.derive_columns`), not one dictionary per row;
2. the vector backend evaluates every rule on those columns;
3. verdicts, possible verdicts and priorities come from the state matrices through
   :mod:`luanchuyen.verdict_columns` (the numpy twin of the verdict rule), the rule-id lists from the
   *pattern* of each row (which rules block, need review, are unknown, give priority…):
   rows with the same pattern share the work — a province has a few hundred patterns for
   tens of thousands of rows;
4. with ``reasons=True`` each row's main reason is written by the code a single evaluation
   uses (:func:`luanchuyen.decision.criterion_result` over the row's own derived facts); with
   ``reasons=False`` it is left out and nothing is derived row by row.

Rows the columnar derivation leaves to the row path (``fallback``: bad dates, and anything
it does not vectorise) are handed back to the caller. The frame equals the row path's
(tests/test_vector.py, tests/test_batch_fast.py).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import date
from itertools import repeat
from operator import attrgetter, is_, itemgetter
from typing import TYPE_CHECKING, Any, Final, TypeAlias

import numpy as np
import numpy.typing as npt

from luanchuyen.batch._intake import _Valid
from luanchuyen.decision import criterion_result
from luanchuyen.engine.vector import VectorBackend
from luanchuyen.facts import derive_facts
from luanchuyen.facts.columnar import ColumnarFacts, derive_coded, derive_columns
from luanchuyen.records.coded import Coded, CodedRecord, number_rows, read_coded
from luanchuyen.results import (
    CONDITIONS,
    RESULT_COLUMNS,
    met_reason,
    settling_inputs,
    test_facts,
)
from luanchuyen.verdict import (
    CONSTRAINT_EFFECTS,
    OUTCOME_CODES,
    TRISTATE_CODES,
    VERDICT_CODES,
    Outcome,
    Verdict,
    verdict_text,
)
from luanchuyen.verdict_columns import POSSIBLE_OF_MASK, effect_code

if TYPE_CHECKING:
    import pandas as pd

    from luanchuyen.models import Cadre, Move
    from luanchuyen.records.layout import Layout
    from luanchuyen.ruleset.compile import CompiledRules, RuleSet

__all__ = ["group_frame", "table_frames"]

_PASS = OUTCOME_CODES.index(Outcome.PASS)
_UNKNOWN = OUTCOME_CODES.index(Outcome.UNKNOWN)
_VERDICT_UNKNOWN = VERDICT_CODES.index(Verdict.UNKNOWN)
_VERDICT_ELIGIBLE = VERDICT_CODES.index(Verdict.ELIGIBLE)

Matrix: TypeAlias = npt.NDArray[np.bool_]
Ints: TypeAlias = npt.NDArray[np.int64]
_DICT = attrgetter("__dict__")
_CADRE_FIELDS = itemgetter("id", "name", "current_post")
_POST_FIELDS = itemgetter("title", "body")
_TARGET_FIELDS = itemgetter("id", "title", "body")
_NO_POST = (None, None)


def _patterns(matrix: Matrix) -> tuple[list[list[int]], list[int]]:
    """The distinct rows of a (rows × rules) matrix, as lists of rule indexes, and per row
    the index of its pattern. Rows with the same pattern share the work built on it."""
    n, r = matrix.shape
    if n == 0:
        return [], []
    if r == 0 or not matrix.any():
        return [[]], [0] * n
    import pandas as pd  # deferred: pandas is the heavy ``analysis`` extra

    packed = np.packbits(matrix, axis=1)
    words = np.zeros((n, -(-packed.shape[1] // 8) * 8), np.uint8)
    words[:, : packed.shape[1]] = packed
    # rows numbered by distinct pattern, 64 rules a word (hashing, not sorting)
    codes = [pd.factorize(word)[0].astype(np.int64) for word in words.view(np.uint64).T]
    inverse, first = number_rows(codes, n)
    shared = [np.flatnonzero(matrix[i]).tolist() for i in first.tolist()]
    return shared, inverse.tolist()


def _settling_inputs(undecided: Matrix, rules: Sequence[Any], cf: Any) -> npt.NDArray[np.object_]:
    """Per row, the input paths that would settle the verdict (``results.settling_inputs``
    over each undecided rule's absent facts, as ``DerivedFacts.missing`` lists them), once
    per distinct pattern of what decides them: the absent facts that an undecided rule of the
    row reads, and the undecided rules reading one."""
    n = undecided.shape[0]
    open_rows = np.flatnonzero(undecided.any(axis=1))
    if not len(open_rows):
        return _fresh([[]], [0] * n)
    undecided = undecided[open_rows]
    facts = sorted(
        {f for k in np.flatnonzero(undecided.any(axis=0)).tolist() for f in rules[k].facts}
    )
    absent = np.ones((len(open_rows), len(facts)), np.bool_)
    for j, name in enumerate(facts):
        if name in cf.ints:
            absent[:, j] = ~cf.ints[name][1][open_rows]
        elif name in cf.bools:
            absent[:, j] = ~cf.bools[name][1][open_rows]
        elif (coded := cf.enum_codes.get(name)) is not None:
            absent[:, j] = coded.codes[open_rows] == 0
        elif name in cf.enums:
            none = np.fromiter(map(is_, cf.enums[name], repeat(None)), np.bool_, n)
            absent[:, j] = none[open_rows]
    # Only what changes the answer tells rows apart: a fact absent and read by one of the
    # row's undecided rules, and the undecided rules reading one of those.
    reads = np.array([[f in rules[k].facts for f in facts] for k in range(undecided.shape[1])],
                     np.int32).reshape(undecided.shape[1], len(facts))  # fmt: skip
    absent &= (undecided.astype(np.int32) @ reads) > 0
    telling = undecided & ((absent.astype(np.int32) @ reads.T) > 0)
    shared, which = _patterns(np.concatenate([telling, absent], axis=1))
    r = undecided.shape[1]
    made: list[list[str]] = []
    for p in shared:
        gone = {facts[j - r] for j in p if j >= r}
        made.append(
            settling_inputs([sorted(f for f in rules[k].facts if f in gone) for k in p if k < r])
        )
    made.append([])  # the rows whose verdict is stated
    rows = np.full(n, len(made) - 1, np.int64)
    rows[open_rows] = which
    return _fresh(made, rows.tolist())


def _lists(matrix: Matrix, labels: Sequence[str]) -> npt.NDArray[np.object_]:
    """Per row, the labels of the rules set in ``matrix``, in rule order (a list per row)."""
    shared, which = _patterns(matrix)
    return _fresh([[labels[j] for j in p] for p in shared], which)


def _first(matrix: Matrix) -> npt.NDArray[np.intp]:
    """Per row, the index of the first rule set in ``matrix``, ``-1`` if none."""
    if matrix.shape[1] == 0:
        return np.full(matrix.shape[0], -1, dtype=np.intp)
    return np.where(matrix.any(axis=1), matrix.argmax(axis=1), -1)


_VERDICT_VALUES: Final = tuple(v.value for v in VERDICT_CODES)
_POSSIBLE_LISTS = tuple([v.value for v in p] for p in POSSIBLE_OF_MASK)


def _possible(masks: npt.NDArray[np.int8]) -> npt.NDArray[np.object_]:
    """Per row, the possible verdicts (a fresh list per row)."""
    return _fresh(_POSSIBLE_LISTS, masks.tolist())


def _fresh(shared: Sequence[list[Any]], which: Sequence[int]) -> npt.NDArray[np.object_]:
    """Per row, a copy of ``shared[which[i]]`` (rows never share a list), as the column of
    objects pandas makes of such lists (at C speed, and pandas has nothing to infer)."""
    copies = map(list.copy, map(shared.__getitem__, which))
    return np.fromiter(copies, dtype=object, count=len(which))


def _masked(pair: tuple[npt.NDArray[Any], npt.NDArray[np.bool_]], kind: str) -> Any:
    import pandas as pd  # deferred: pandas is the heavy ``analysis`` extra

    values, present = pair
    if kind == "int":
        return pd.arrays.IntegerArray(values.astype(np.int64), ~present)
    return pd.arrays.BooleanArray(values.astype(np.bool_), ~present)


@functools.cache
def _text_dtype() -> Any:
    """The dtype pandas infers for a list of text (pandas 3: ``str``, Arrow-backed when
    pyarrow is there; pandas 2: ``object``)."""
    import pandas as pd  # deferred: pandas is the heavy ``analysis`` extra

    return pd.Series(["a", None]).dtype


def _texts(values: Sequence[Any], codes: Ints | None = None) -> Any:
    """A text column (``values``, or ``values[codes[i]]`` with ``-1`` empty), of the dtype
    pandas infers from the list of its cells, built by Arrow where that dtype is Arrow-backed
    (no Python step a row); the list itself otherwise (pandas 2, no pyarrow, a cell that is
    not text, or no cell given: pandas infers another dtype for those)."""
    dtype = _text_dtype()
    if getattr(dtype, "storage", None) == "pyarrow":
        try:
            import pyarrow as pa

            got = pa.array(values, pa.large_string())
            if codes is not None:
                got = got.take(pa.array(codes, mask=codes < 0))
        except (ImportError, TypeError, ValueError):  # pyarrow's errors are these too
            pass
        else:
            if got.null_count < len(got):
                import pandas as pd  # deferred: pandas is the heavy ``analysis`` extra

                return pd.array(got, dtype=dtype)
    return values if codes is None else Coded(codes, list(values)).column()


def _enum_texts(cf: ColumnarFacts, name: str) -> Any:
    """An enum fact as a text column (:func:`_texts`), from its numbers where it has them."""
    coded = cf.enum_codes.get(name)
    if coded is None:
        return _texts(cf.enums[name])
    return _texts(coded.labels, coded.codes - 1)


def group_frame(
    engine: VectorBackend, group: Sequence[_Valid], *, reasons: bool
) -> tuple[pd.DataFrame, list[_Valid]]:
    """The result frame of a group's rows, and the rows left to the row path.

    Every row of ``group`` must share ``as_of`` and ``compiled``.
    """
    first = group[0]
    compiled, day = first.compiled, first.as_of
    cadres = [v.cadre for v in group]
    moves = [v.move for v in group]
    cf = derive_columns(list(zip(cadres, moves, strict=True)), day, compiled.params)
    # The models' own fields, read through each model's __dict__ once (the models of a big
    # batch are spread over memory: every separate pass over them costs cache misses).
    cadre_id, cadre_name, posts = zip(*map(_CADRE_FIELDS, map(_DICT, cadres)), strict=True)
    current_title, current_body = zip(
        *[_NO_POST if p is None else _POST_FIELDS(p.__dict__) for p in posts], strict=True
    )
    targets = [m.__dict__["target"].__dict__ for m in moves]
    target_id, target_title, target_body = zip(*map(_TARGET_FIELDS, targets), strict=True)
    names = {
        "row": [v.item.row for v in group],
        "source_row": [v.item.source_row for v in group],
        "cadre_id": _texts(cadre_id),
        "cadre_name": _texts(cadre_name),
        "current_title": _texts(current_title),
        "current_body": _texts(current_body),
        "target_id": _texts(target_id),
        "target_title": _texts(target_title),
        "target_body": _texts(target_body),
    }
    frame = _frame(engine, compiled, day, cf, names, lambda i: (cadres[i], moves[i]), reasons)
    fallback = cf.fallback
    if not fallback.any():
        return frame, []
    keep = ~fallback
    rest = [v for v, bad in zip(group, fallback.tolist(), strict=True) if bad]
    return frame.loc[keep].reset_index(drop=True), rest


def table_frames(
    engine: VectorBackend,
    rules: RuleSet,
    layout: Layout,
    columns: Sequence[Any],
    labels: Sequence[Any],
    first_row: int,
    default_as_of: date | None,
    models_of: Callable[[int], tuple[Cadre, Move]],
    *,
    reasons: bool,
) -> tuple[list[pd.DataFrame], list[int]]:
    """The result frames of a block of table rows read column by column, no model a row
    (:func:`luanchuyen.records.coded.read_coded`, :func:`~luanchuyen.facts.columnar.derive_coded`),
    and the rows (indexes in the block) left to the model way: those the reader does not
    take, those the facts leave, those of a date no rule set covers.

    ``models_of(i)``: row ``i``'s models, read the model way, for the main reason of a row
    that a rule decides (``reasons=True``).
    """
    read = read_coded(layout, columns, as_of=default_as_of, labels=labels)
    frames: list[pd.DataFrame] = []
    rest = np.flatnonzero(~read.taken).tolist()
    by_day: dict[date, list[int]] = {}
    for i in np.flatnonzero(read.taken).tolist():
        day = read.days[i]
        assert day is not None  # taken rows have a date
        by_day.setdefault(day, []).append(i)
    for day, where in by_day.items():
        picked = np.array(where, np.int64)
        try:
            compiled = rules.compiled(day)
        except Exception:  # the model way reports it on each row
            rest.extend(where)
            continue
        rows = read if len(picked) == read.n else read.take(picked)  # every row: no copy
        cf = derive_coded(rows, day, compiled.params)
        cadre, post, target = (rows.records[k] for k in ("cadre", "current_post", "target"))
        names = {
            "row": (picked + first_row).tolist(),
            "source_row": [labels[i] for i in where],
            "cadre_id": _texts(*_coded(cadre, "id")),
            "cadre_name": _texts(*_coded(cadre, "name")),
            "current_title": _texts(*_coded(post, "title")),
            "current_body": _texts(*_coded(post, "body")),
            "target_id": _texts(*_coded(target, "id")),
            "target_title": _texts(*_coded(target, "title")),
            "target_body": _texts(*_coded(target, "body")),
        }
        at = functools.partial(_model_at, models_of, where)
        frame = _frame(engine, compiled, day, cf, names, at, reasons)
        if cf.fallback.any():
            frame = frame.loc[~cf.fallback].reset_index(drop=True)
            rest.extend(picked[cf.fallback].tolist())
        frames.append(frame)
    return frames, sorted(rest)


def _coded(record: CodedRecord, name: str) -> tuple[list[Any], Ints]:
    """A field of a record: its values and per row its code (``-1`` on the rows without
    the record, or without the field)."""
    coded = record.fields[name]
    return coded.values, np.where(record.present, coded.codes, -1)


def _model_at(
    models_of: Callable[[int], tuple[Cadre, Move]], where: Sequence[int], k: int
) -> tuple[Cadre, Move]:
    return models_of(where[k])


def _frame(
    engine: VectorBackend,
    compiled: CompiledRules,
    day: date,
    cf: ColumnarFacts,
    names: dict[str, Any],
    models_of: Callable[[int], tuple[Cadre, Move]],
    reasons: bool,
) -> pd.DataFrame:
    """The result frame of rows whose facts are ``cf`` (their fallback rows included:
    the caller drops them), the rows' names and identities given in ``names``."""
    import pandas as pd  # deferred: pandas is the heavy ``analysis`` extra

    n = cf.n
    states = engine.columns(compiled, cf)
    outcomes = states.outcomes()
    applied = states.applied_effects()
    combined = states.combination()
    verdicts = combined.verdicts
    effects = states.effects
    rules = compiled.rules
    ids = [rule.id for rule in rules]
    constraint = np.array([e in CONSTRAINT_EFFECTS for e in effects], dtype=np.bool_)
    priority_rule = np.array([e == "priority" for e in effects], dtype=np.bool_)
    info_rule = np.array([e == "info" for e in effects], dtype=np.bool_)
    passed = outcomes == _PASS
    unknown = outcomes == _UNKNOWN
    blocking = applied == effect_code("block")
    review = applied == effect_code("review")
    undecided = combined.undecided
    prio = passed & priority_rule
    # The main reason, as ``results.main_reason``: the first blocking failure, else (verdict
    # unknown) the first unknown that could change it, else the first review, else (eligible)
    # how many conditions were met, else the verdict.
    reason_rule = _first(blocking)
    reason_rule = np.where(
        (reason_rule < 0) & (verdicts == _VERDICT_UNKNOWN), _first(undecided), reason_rule
    )
    reason_rule = np.where(reason_rule < 0, _first(review), reason_rule)
    tests = test_facts(compiled)
    prio_shared, prio_which = _patterns(prio)
    titles = [[rules[j].source.spec.title.vi for j in p] for p in prio_shared]
    grounds = [sorted(set().union(*(tests[ids[j]] for j in p))) for p in prio_shared]
    reason_vi: list[str | None] = [None] * n
    if reasons:  # the verdict's text here; a rule's message is written below
        condition = np.array([e in CONDITIONS for e in effects], dtype=np.bool_)
        met = (passed & condition).sum(axis=1).tolist()
        texts: dict[tuple[int, int, int], str] = {}
        codes = zip(verdicts.tolist(), prio_which, reason_rule.tolist(), met, strict=True)
        for i, (v, k, j, count) in enumerate(codes):
            if j < 0:
                eligible = v == _VERDICT_ELIGIBLE
                key = (v, k, count if eligible else -1)
                if key not in texts:
                    texts[key] = (
                        met_reason(count, titles[k])
                        if eligible
                        else verdict_text(VERDICT_CODES[v], titles[k])
                    )
                reason_vi[i] = texts[key]

    columns: dict[str, Any] = {
        **names,
        "gender": _enum_texts(cf, "gender"),
        "ethnic_minority": _masked(cf.bools["ethnic_minority"], "bool"),
        "current_level": _enum_texts(cf, "current_level"),
        "target_level": _enum_texts(cf, "target_level"),
        "move_kind": _enum_texts(cf, "move_kind"),
        "as_of": [day] * n,
        "status": _texts(["ok"], np.zeros(n, np.int64)),
        "verdict": _texts(_VERDICT_VALUES, verdicts.astype(np.int64)),
        "possible_verdicts": _possible(combined.possible),
        "priority": pd.arrays.BooleanArray(prio.any(axis=1), np.zeros(n, bool)),
        "reason_vi": reason_vi,
        "blocking_rules": _lists(blocking, ids),
        "review_rules": _lists(review, ids),
        "unknown_rules": _lists(unknown & constraint, ids),
        "undecided_rules": _lists(undecided, ids),
        "missing_inputs": _settling_inputs(undecided, rules, cf),
        "warning_rules": _lists(applied == effect_code("warn"), ids),
        "priority_rules": _lists(prio, ids),
        "priority_labels": _fresh(titles, prio_which),
        "priority_grounds": _fresh(grounds, prio_which),
        "info_rules": _lists(passed & info_rule, ids),
        "remaining_service_months": _masked(cf.ints["remaining_service_months"], "int"),
        "age_months": _masked(cf.ints["age_months"], "int"),
        # days_to_retirement is (retirement date - as_of), on every row derived in columns
        # (fallback rows are dropped below; their garbage must not reach date.fromordinal)
        "retirement_date": list(
            map(
                date.fromordinal,
                (
                    np.where(cf.fallback, 0, cf.ints["days_to_retirement"][0]) + day.toordinal()
                ).tolist(),
            )
        ),
        "level_direction": _enum_texts(cf, "level_direction"),
        "cross_unit": _masked(cf.bools["cross_unit"], "bool"),
        "target_is_key_commune_post": _masked(cf.bools["target_is_key_commune_post"], "bool"),
        "in_rotation": _masked(cf.bools["in_rotation"], "bool"),
        "months_in_rotation": _masked(cf.ints["months_in_rotation"], "int"),
        "ruleset": _texts([compiled.signature], np.zeros(n, np.int64)),
    }
    for name in RESULT_COLUMNS:
        if name not in columns:  # the error columns: empty, as on the row path
            columns[name] = [None] * n
    fallback = cf.fallback
    if reasons:
        tri = TRISTATE_CODES
        params = compiled.params
        for i in np.flatnonzero((reason_rule >= 0) & ~fallback).tolist():
            j = int(reason_rule[i])
            derived = derive_facts(*models_of(i), day, params)
            st = (tri[states.applies[i, j]], tri[states.test[i, j]], tri[states.exception[i, j]])
            reason_vi[i] = criterion_result(rules[j], st, derived, params).message.vi
    return pd.DataFrame(columns, columns=list(RESULT_COLUMNS))

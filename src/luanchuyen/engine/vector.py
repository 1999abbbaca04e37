"""The vector backend: every rule over many rows at once, with numpy.

The compiled conditions of a :class:`~luanchuyen.ruleset.compile.CompiledRules` are turned,
once per ``signature``, into a flat *program*: a list of column operations in which every
distinct sub-condition appears once (the rules share many tests, such as the move kind or
the special-case request). Facts become columns, one per fact, each with its values and a
presence mask; Kleene's three-valued logic is carried by two boolean arrays per node, "is
true" and "is false" (unknown is neither). Rows are processed in chunks so that memory
stays bounded however long the batch is.

The result is either the per-row mappings every backend returns (:meth:`states_many`) or
a columnar :class:`StateColumns` (:meth:`VectorBackend.columns`) from which outcomes,
verdicts and priorities are computed without building one dictionary per row.

The backend is exact: it returns the same tri-states as the reference backend. A row whose
facts do not have the registered types (a bool where an int is expected, an integer beyond
64 bits…) is evaluated by the reference evaluator, and so is every row of a rule set the
compiler does not recognise (a fact outside the registry, an ordering on a code).

This module imports numpy (the ``analysis`` extra); it is loaded only when the backend is
requested, never by ``import luanchuyen``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Any, Final, Literal, TypeAlias

import numpy as np
import numpy.typing as npt

from luanchuyen.engine.reference import ReferenceBackend
from luanchuyen.facts.columnar import ColumnarFacts, EnumCodes
from luanchuyen.facts.registry import FACTS, FactValue
from luanchuyen.ruleset.compile import CompiledRules
from luanchuyen.ruleset.conditions import (
    All,
    AnyOf,
    Compare,
    Condition,
    Known,
    Not,
    ParamRef,
    evaluate,
    facts_of,
)
from luanchuyen.ruleset.schema import Effect
from luanchuyen.verdict import (
    OUTCOME_CODES,
    TRISTATE_CODES,
    VERDICT_CODES,
    Outcome,
    RuleStates,
)
from luanchuyen.verdict_columns import (
    STATE_TABLE,
    ColumnVerdicts,
    RuleTables,
    combine_columns,
    effect_code,
    rule_tables,
    state_index,
)

__all__ = [
    "OUTCOME_CODES",
    "TRISTATE_CODES",
    "VERDICT_CODES",
    "FactTable",
    "StateColumns",
    "VectorBackend",
]

BoolArray: TypeAlias = npt.NDArray[np.bool_]
Int8Array: TypeAlias = npt.NDArray[np.int8]
IntArray: TypeAlias = npt.NDArray[np.integer[Any] | np.bool_]
Rows: TypeAlias = Sequence[Mapping[str, FactValue]]
#: Column-major facts: fact name → one value per row (``None`` where unknown).
FactTable: TypeAlias = Mapping[str, Sequence[FactValue | None]]
_Pair: TypeAlias = tuple[BoolArray, BoolArray]
_ColumnKind: TypeAlias = Literal["int", "bool", "enum"]

_PASS = OUTCOME_CODES.index(Outcome.PASS)
_FAIL = OUTCOME_CODES.index(Outcome.FAIL)

#: Rows evaluated together; bounds the memory of one evaluation (two bool arrays per node).
CHUNK_ROWS: Final[int] = 16_384
_MISSING: Final[int] = np.iinfo(np.int64).min  # presence sentinel in int columns
_ENUM_MISSING: Final[int] = -1
_ENUM_OTHER: Final[int] = -2  # a code the rules never name
_PYTYPE: Final[dict[str, type]] = {"int": int, "bool": bool, "enum": str}
_NONE: Final = type(None)
_BOOL_CODES: Final[dict[Any, int]] = {None: -1, False: 0, True: 1}
_PROGRAM_CACHE_SIZE: Final[int] = 64
_REFERENCE: Final = ReferenceBackend()


class _UnsupportedError(Exception):
    """The compiler met something it does not vectorise; the reference evaluator is used."""


# --------------------------------------------------------------------------- program


@dataclass(frozen=True, slots=True)
class _Step:
    """One node of the program: a leaf test or a combination of earlier slots."""

    kind: Literal["cmp", "known", "all", "any", "not"]
    fact: str = ""
    op: str = ""
    literal: int = 0
    literals: tuple[int, ...] = ()
    never: bool = False  # a comparison no present value can satisfy
    negated: bool = False
    args: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class _Program:
    """The column operations of one rule set, with what is needed to build the columns."""

    steps: tuple[_Step, ...]
    # slot of (applies, test, exception) per rule; -1 for an absent exception
    outputs: tuple[tuple[int, int, int], ...]
    kinds: Mapping[str, _ColumnKind]
    enum_codes: Mapping[str, Mapping[str, int]]


class _Compiler:
    """Turns conditions into a deduplicated list of steps (hash-consing on the frozen AST)."""

    def __init__(self, compiled: CompiledRules) -> None:
        self.steps: list[_Step] = []
        self.slots: dict[_Step, int] = {}
        self.kinds: dict[str, _ColumnKind] = {}
        self.enum_codes: dict[str, dict[str, int]] = {}
        facts: set[str] = set()
        for rule in compiled.rules:
            for cond in (rule.applies, rule.test, rule.exception):
                if cond is not None:
                    facts |= facts_of(cond)
        for name in sorted(facts):
            spec = FACTS.get(name)
            if spec is None:
                raise _UnsupportedError(name)
            self.kinds[name] = spec.type
            if spec.type == "enum":
                self.enum_codes[name] = {v: i for i, v in enumerate(spec.values)}

    def _emit(self, step: _Step) -> int:
        found = self.slots.get(step)
        if found is None:
            found = len(self.steps)
            self.steps.append(step)
            self.slots[step] = found
        return found

    def _code(self, fact: str, value: Any) -> int | None:
        """The column code of a literal, or ``None`` when no present value can equal it."""
        kind = self.kinds[fact]
        if kind == "enum":
            if not isinstance(value, str):
                return None
            codes = self.enum_codes[fact]
            return codes.setdefault(value, len(codes))
        if not isinstance(value, int):
            return None
        return int(value)

    def _compare(self, cond: Compare) -> _Step:
        fact, op, value = cond.fact, cond.op, cond.value
        if isinstance(value, ParamRef):
            raise _UnsupportedError("unresolved parameter")
        kind = self.kinds[fact]
        if op in ("in", "not in"):
            if not isinstance(value, tuple):
                raise _UnsupportedError("'in' needs a tuple")
            # ``actual in value`` uses plain equality (True == 1), like Python.
            codes = tuple(
                sorted({c for c in (self._code(fact, v) for v in value) if c is not None})
            )
            return _Step("cmp", fact=fact, op=op, literals=codes)
        if isinstance(value, tuple):
            raise _UnsupportedError("a tuple with a scalar operator")
        if op in ("==", "!="):
            # the reference also requires the same Python type (True != 1 there)
            same_type = type(value) is _PYTYPE[kind]
            code = self._code(fact, value) if same_type else None
            if code is None:
                return _Step("cmp", fact=fact, op=op, never=True)
            return _Step("cmp", fact=fact, op=op, literal=code)
        if kind == "enum" or isinstance(value, str):
            raise _UnsupportedError("ordering on a code")
        return _Step("cmp", fact=fact, op=op, literal=int(value))

    def compile(self, cond: Condition) -> int:
        """Emit the steps of ``cond`` and return the slot holding its (true, false) pair.

        Steps are shared by value (the encoded step, not the condition: ``True == 1`` in
        Python, but the reference tells them apart).
        """
        if isinstance(cond, Compare):
            slot = self._emit(self._compare(cond))
        elif isinstance(cond, Known):
            slot = self._emit(_Step("known", fact=cond.fact, negated=cond.negated))
        elif isinstance(cond, All | AnyOf):
            args = tuple(self.compile(c) for c in cond.items)
            kind: Literal["all", "any"] = "all" if isinstance(cond, All) else "any"
            slot = self._emit(_Step(kind, args=args))
        elif isinstance(cond, Not):
            slot = self._emit(_Step("not", args=(self.compile(cond.item),)))
        else:  # pragma: no cover - the AST is closed
            raise _UnsupportedError(type(cond).__name__)
        return slot


def _compile(compiled: CompiledRules) -> _Program | None:
    """Compile a rule set, or return ``None`` when it must go through the reference path."""
    try:
        comp = _Compiler(compiled)
        outputs = tuple(
            (
                comp.compile(r.applies),
                comp.compile(r.test),
                comp.compile(r.exception) if r.exception is not None else -1,
            )
            for r in compiled.rules
        )
    except _UnsupportedError:
        return None
    return _Program(
        steps=tuple(comp.steps),
        outputs=outputs,
        kinds=dict(comp.kinds),
        enum_codes={k: dict(v) for k, v in comp.enum_codes.items()},
    )


# --------------------------------------------------------------------------- columns


@dataclass(slots=True)
class _Columns:
    """One chunk of rows as columns: values (int64, enum codes, 0/1) and presence."""

    values: dict[str, IntArray]
    present: dict[str, BoolArray]
    irregular: set[int]  # row indices (within the chunk) to evaluate with the reference


def _irregular(values: Sequence[Any], expected: type) -> list[int]:
    """Rows whose value is present but not exactly of the registered Python type."""
    return [i for i, v in enumerate(values) if v is not None and type(v) is not expected]


def _drop(values: Sequence[Any], bad: list[int]) -> list[Any]:
    bad_set = set(bad)
    return [None if i in bad_set else v for i, v in enumerate(values)]


def _checked(
    values: Sequence[Any], expected: type, irregular: set[int]
) -> tuple[Sequence[Any], bool]:
    """``values`` with rows of another type (bool for int, str subclass…) blanked out.

    Also tells whether every value is present (no ``None``), which allows a faster path.
    """
    types = set(map(type, values))
    if types <= {expected, _NONE}:
        return values, _NONE not in types
    bad = _irregular(values, expected)
    irregular.update(bad)
    return _drop(values, bad), False


def _int_column(values: Sequence[Any], irregular: set[int]) -> tuple[IntArray, BoolArray]:
    values, full = _checked(values, int, irregular)
    try:
        if full:
            arr = np.array(values, dtype=np.int64)
            ok = not bool((arr == _MISSING).any())
        else:
            arr = np.array([_MISSING if v is None else v for v in values], dtype=np.int64)
            ok = int(np.count_nonzero(arr == _MISSING)) == values.count(None)
    except OverflowError:
        ok = False
    if not ok:  # a value at or beyond the int64 limits: leave those rows to the reference
        limit = 2**62
        bad = [i for i, v in enumerate(values) if v is not None and not -limit < v < limit]
        irregular.update(bad)
        values = _drop(values, bad)
        arr = np.array([_MISSING if v is None else v for v in values], dtype=np.int64)
    return arr, arr != _MISSING


def _bool_column(values: Sequence[Any], irregular: set[int]) -> tuple[IntArray, BoolArray]:
    values, full = _checked(values, bool, irregular)
    n = len(values)
    if full:
        return np.array(values, dtype=np.bool_), np.ones(n, dtype=np.bool_)
    arr = np.fromiter(map(_BOOL_CODES.__getitem__, values), dtype=np.int8, count=n)
    return arr, arr >= 0


def _enum_column(
    values: Sequence[Any], codes: Mapping[str, int], irregular: set[int]
) -> tuple[IntArray, BoolArray]:
    values, _full = _checked(values, str, irregular)
    table: dict[Any, int] = {None: _ENUM_MISSING, **codes}
    n = len(values)
    arr = np.fromiter(map(table.get, values, repeat(_ENUM_OTHER, n)), dtype=np.int16, count=n)
    return arr, arr != _ENUM_MISSING


def _enum_codes(raw: EnumCodes, codes: Mapping[str, int]) -> tuple[IntArray, BoolArray]:
    """:func:`_enum_column` of an enum fact given as numbers (``0`` absent, ``k`` for its
    ``k``-th label): the same codes, by one look-up table."""
    table = np.array(
        [_ENUM_MISSING, *(codes.get(label, _ENUM_OTHER) for label in raw.labels)], np.int16
    )
    arr = table[raw.codes]
    return arr, arr != _ENUM_MISSING


def _transpose(names: tuple[str, ...], rows: Sequence[Mapping[str, FactValue]]) -> list[list[Any]]:
    """The values of ``names`` in every row, one list per name (``None`` when absent).

    One flat pass over the rows, then strided slices: the cheapest transposition of
    dictionaries in CPython (about 40 ns per value).
    """
    k = len(names)
    if not k:
        return []
    flat = [v for row in rows for v in map(row.get, names)]
    return [flat[i::k] for i in range(k)]


def _columns(program: _Program, table: Mapping[str, Any], n: int) -> _Columns:
    """Convert the raw columns of one chunk (``None`` for an absent fact).

    A column may also come prepared, as a ``(values, present)`` pair of arrays (what
    :class:`~luanchuyen.facts.columnar.ColumnarFacts` holds); it is used as it is.
    """
    irregular: set[int] = set()
    values: dict[str, IntArray] = {}
    present: dict[str, BoolArray] = {}
    for name, kind in program.kinds.items():
        raw = table.get(name)
        if raw is None:
            values[name] = np.zeros(n, dtype=np.int8)
            present[name] = np.zeros(n, dtype=np.bool_)
            continue
        if isinstance(raw, tuple):  # prepared by the columnar derivation: already exact
            arr, mask = raw
        elif isinstance(raw, EnumCodes):  # numbered by the derivation: renumbered at once
            arr, mask = _enum_codes(raw, program.enum_codes[name])
        elif kind == "int":
            arr, mask = _int_column(raw, irregular)
        elif kind == "bool":
            arr, mask = _bool_column(raw, irregular)
        else:
            arr, mask = _enum_column(raw, program.enum_codes[name], irregular)
        values[name] = arr
        present[name] = mask
    return _Columns(values, present, irregular)


def _run(program: _Program, cols: _Columns, n: int) -> list[_Pair]:
    """Evaluate every step over one chunk; slot ``i`` holds (is true, is false)."""
    slots: list[_Pair] = []
    for step in program.steps:
        kind = step.kind
        if kind == "cmp":
            v, p = cols.values[step.fact], cols.present[step.fact]
            op = step.op
            if step.never:  # no present value equals the literal: "!=" always holds
                hit = np.full(n, op == "!=", dtype=np.bool_)
            elif op == "==":
                hit = v == step.literal
            elif op == "!=":
                hit = v != step.literal
            elif op == "<":
                hit = v < step.literal
            elif op == "<=":
                hit = v <= step.literal
            elif op == ">":
                hit = v > step.literal
            elif op == ">=":
                hit = v >= step.literal
            elif op == "in":
                hit = np.isin(v, step.literals)
            else:  # "not in"
                hit = ~np.isin(v, step.literals)
            slots.append((p & hit, p & ~hit))
        elif kind == "known":
            known = cols.present[step.fact]
            if step.negated:
                slots.append((~known, known.copy()))
            else:
                slots.append((known.copy(), ~known))
        elif kind == "all":
            if not step.args:
                slots.append((np.ones(n, dtype=np.bool_), np.zeros(n, dtype=np.bool_)))
                continue
            t = slots[step.args[0]][0].copy()
            f = slots[step.args[0]][1].copy()
            for a in step.args[1:]:
                t &= slots[a][0]
                f |= slots[a][1]
            slots.append((t, f))
        elif kind == "any":
            if not step.args:
                slots.append((np.zeros(n, dtype=np.bool_), np.ones(n, dtype=np.bool_)))
                continue
            t = slots[step.args[0]][0].copy()
            f = slots[step.args[0]][1].copy()
            for a in step.args[1:]:
                t |= slots[a][0]
                f &= slots[a][1]
            slots.append((t, f))
        else:  # "not"
            t, f = slots[step.args[0]]
            slots.append((f, t))
    return slots


def _codes(pair: _Pair) -> Int8Array:
    t, f = pair
    out = t.astype(np.int8)
    out[~(t | f)] = -1
    return out


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class StateColumns:
    """Per-rule tri-states of many rows, as ``int8`` matrices (rows × rules).

    Codes: ``1`` true, ``0`` false, ``-1`` unknown (see
    :data:`~luanchuyen.verdict.TRISTATE_CODES`). The
    exception matrix holds ``-1`` for rules without an exception, as the reference does.

    Attributes:
        rule_ids: the rule ids, in the order of the compiled rules (the matrix columns).
        applies: whether each rule applies.
        test: whether each rule's requirement holds.
        exception: whether each rule's exception holds.
        effects: each rule's declared effect.
        exception_effects: each rule's exception effect (``None`` without an exception).
    """

    rule_ids: tuple[str, ...]
    applies: Int8Array
    test: Int8Array
    exception: Int8Array
    effects: tuple[Effect, ...]
    exception_effects: tuple[Effect | None, ...]

    def __len__(self) -> int:
        return int(self.applies.shape[0])

    def row(self, index: int) -> dict[str, RuleStates]:
        """The states of one row, as the other backends return them."""
        codes = self._state_index()[index].tolist()
        return dict(zip(self.rule_ids, map(STATE_TABLE.__getitem__, codes), strict=True))

    def to_dicts(self) -> list[dict[str, RuleStates]]:
        """Every row's states, as the other backends return them."""
        ids = self.rule_ids
        get = STATE_TABLE.__getitem__
        return [dict(zip(ids, map(get, row), strict=True)) for row in self._state_index().tolist()]

    def _state_index(self) -> Int8Array:
        return state_index(self.applies, self.test, self.exception)

    def _tables(self) -> RuleTables:
        return rule_tables(self.effects, self.exception_effects)

    def outcomes(self) -> Int8Array:
        """Outcome codes (rows × rules), indexes into :data:`~luanchuyen.verdict.OUTCOME_CODES`.

        :func:`luanchuyen.verdict.outcome_of` on every cell (through its lookup table).
        """
        tables = self._tables()
        return tables.lookup(tables.outcome, self._state_index())

    def applied_effects(self) -> Int8Array:
        """Applied-effect codes (rows × rules; ``-1`` when the rule did not fail), indexes
        into :data:`~luanchuyen.verdict_columns.EFFECT_CODES` (:func:`~luanchuyen.verdict.applied_effect`)."""
        tables = self._tables()
        return tables.lookup(tables.applied, self._state_index())

    def applied_effect_is(self, effect: str, applied: Int8Array | None = None) -> BoolArray:
        """Rows × rules: the rule failed and the effect applied is ``effect``."""
        codes = self.applied_effects() if applied is None else applied
        result: BoolArray = codes == effect_code(effect)
        return result

    def combination(self) -> ColumnVerdicts:
        """The rule of combination on every row (:func:`luanchuyen.verdict.combine`)."""
        tables = self._tables()
        return combine_columns(tables.lookup(tables.severities, self._state_index()))

    def verdicts(self) -> Int8Array:
        """Verdict codes per row, indexes into :data:`~luanchuyen.verdict.VERDICT_CODES`."""
        return self.combination().verdicts

    def priority(self, outcomes: Int8Array | None = None) -> BoolArray:
        """Per row: at least one priority rule passes."""
        out = self.outcomes() if outcomes is None else outcomes
        is_priority = np.array([e == "priority" for e in self.effects], dtype=np.bool_)
        result: BoolArray = ((out == _PASS) & is_priority[np.newaxis, :]).any(axis=1)
        return result


# --------------------------------------------------------------------------- backend


class VectorBackend:
    """Evaluates many rows at once with numpy; exactly the reference backend's results.

    Thread-safe: compiled programs are cached per rule-set signature under a lock and are
    immutable; every evaluation works on its own arrays.
    """

    name = "vector"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._programs: OrderedDict[str, _Program | None] = OrderedDict()

    def _program(self, compiled: CompiledRules) -> _Program | None:
        key = compiled.signature
        with self._lock:
            if key in self._programs:
                self._programs.move_to_end(key)
                return self._programs[key]
        program = _compile(compiled)
        with self._lock:
            self._programs[key] = program
            while len(self._programs) > _PROGRAM_CACHE_SIZE:
                self._programs.popitem(last=False)
        return program

    def states(
        self, compiled: CompiledRules, facts: Mapping[str, FactValue]
    ) -> dict[str, RuleStates]:
        """One row: the reference evaluator (numpy only pays off on many rows)."""
        return _REFERENCE.states(compiled, facts)

    def states_many(
        self, compiled: CompiledRules, facts: Sequence[Mapping[str, FactValue]]
    ) -> list[dict[str, RuleStates]]:
        """Evaluate many rows; one ``{rule_id: (applies, test, exception)}`` per row."""
        return self.columns(compiled, facts).to_dicts()

    def columns(
        self, compiled: CompiledRules, facts: Rows | FactTable | ColumnarFacts
    ) -> StateColumns:
        """Evaluate many rows into a columnar :class:`StateColumns` (no per-row objects).

        Args:
            compiled: the rules in force.
            facts: either one mapping per row (what ``derive_facts`` gives), or a table:
                fact name → one value per row, ``None`` where the fact is unknown (every
                column of the same length; facts not in the table are unknown everywhere).
                A table skips the row-to-column step, the main cost on long batches. Or
                the :class:`~luanchuyen.facts.columnar.ColumnarFacts` of
                :func:`~luanchuyen.facts.columnar.derive_columns`: typed arrays, used as
                they are (its ``fallback`` rows are evaluated too; the caller ignores them).

        Raises:
            ValueError: the columns of a table have different lengths.
        """
        prepared: ColumnarFacts | None = None
        rows: Rows = ()
        if isinstance(facts, ColumnarFacts):
            prepared = facts
            n = facts.n
        elif isinstance(facts, Mapping):
            table: FactTable = facts
            lengths = {len(col) for col in table.values()}
            if len(lengths) > 1:
                raise ValueError(f"fact columns have different lengths: {sorted(lengths)}")
            n = lengths.pop() if lengths else 0
        else:
            rows = facts
            n = len(rows)
        r = len(compiled.rules)
        applies = np.full((n, r), -1, dtype=np.int8)
        test = np.full((n, r), -1, dtype=np.int8)
        exception = np.full((n, r), -1, dtype=np.int8)
        program = self._program(compiled)
        for start in range(0, n, CHUNK_ROWS):
            stop = min(n, start + CHUNK_ROWS)
            if program is None:
                irregular: Iterable[int] = range(stop - start)
            else:
                names = tuple(program.kinds)
                chunk: Mapping[str, Any]
                if prepared is not None:
                    chunk = prepared.chunk(names, start, stop)
                elif isinstance(facts, Mapping):
                    chunk = {k: table[k][start:stop] for k in names if k in table}
                else:
                    chunk = dict(zip(names, _transpose(names, rows[start:stop]), strict=True))
                cols = _columns(program, chunk, stop - start)
                slots = _run(program, cols, stop - start)
                for j, (sa, st, se) in enumerate(program.outputs):
                    applies[start:stop, j] = _codes(slots[sa])
                    test[start:stop, j] = _codes(slots[st])
                    if se >= 0:
                        exception[start:stop, j] = _codes(slots[se])
                irregular = cols.irregular
            for i in irregular:
                k = start + i
                row: Mapping[str, FactValue]
                if prepared is not None:
                    row = prepared.row(k)
                elif isinstance(facts, Mapping):
                    row = _row_of(table, k)
                else:
                    row = rows[k]
                _fill_row(compiled, row, applies[k], test[k], exception[k])
        return StateColumns(
            rule_ids=tuple(rule.id for rule in compiled.rules),
            applies=applies,
            test=test,
            exception=exception,
            effects=tuple(rule.effect for rule in compiled.rules),
            exception_effects=tuple(
                rule.source.spec.exception.effect if rule.source.spec.exception else None
                for rule in compiled.rules
            ),
        )


def _row_of(table: FactTable, index: int) -> dict[str, FactValue]:
    row: dict[str, FactValue] = {}
    for name, col in table.items():
        value = col[index]
        if value is not None:
            row[name] = value
    return row


def _code_of(value: bool | None) -> int:
    return -1 if value is None else int(value)


def _fill_row(
    compiled: CompiledRules,
    facts: Mapping[str, FactValue],
    applies: Int8Array,
    test: Int8Array,
    exception: Int8Array,
) -> None:
    """One row with the reference evaluator (the conditions ``ReferenceBackend`` evaluates)."""
    for j, rule in enumerate(compiled.rules):
        applies[j] = _code_of(evaluate(rule.applies, facts))
        test[j] = _code_of(evaluate(rule.test, facts))
        if rule.exception is not None:
            exception[j] = _code_of(evaluate(rule.exception, facts))

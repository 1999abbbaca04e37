"""The condition language: a tiny, validated AST over flat facts, with Kleene logic.

A condition is a comparison ``{fact, op, value | param}`` or a combination ``all`` /
``any`` / ``not``. A comparison on an absent fact is *unknown*; ``all``/``any``/``not``
follow Kleene's three-valued logic, so unknown is never silently false. ``is known`` is
the one test that is always decided.

The module also negates conditions to negation normal form (De Morgan, negation pushed to
the comparisons), which is how the durable-rules backend turns "fails" into a positive
pattern.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal, TypeAlias

from luanchuyen.errors import RuleFileError
from luanchuyen.facts.registry import FACTS, FactValue

__all__ = [
    "OPS",
    "All",
    "AnyOf",
    "Compare",
    "Condition",
    "Known",
    "Not",
    "Op",
    "ParamRef",
    "TriState",
    "evaluate",
    "facts_of",
    "negate",
    "parse_condition",
    "resolve",
    "to_data",
]

Op = Literal["==", "!=", "<", "<=", ">", ">=", "in", "not in"]
OPS: Final[tuple[str, ...]] = ("==", "!=", "<", "<=", ">", ">=", "in", "not in", "is known")
TriState: TypeAlias = bool | None
Scalar: TypeAlias = int | bool | str
Literal_: TypeAlias = Scalar | tuple[Scalar, ...]


@dataclass(frozen=True, slots=True)
class ParamRef:
    """A reference to a dated parameter, resolved when rules are compiled for a date."""

    name: str


@dataclass(frozen=True, slots=True)
class Compare:
    """``fact op value``; unknown when the fact is absent."""

    fact: str
    op: Op
    value: Literal_ | ParamRef


@dataclass(frozen=True, slots=True)
class Known:
    """``fact is known`` (or, negated, ``fact is not known``); never unknown itself."""

    fact: str
    negated: bool = False


@dataclass(frozen=True, slots=True)
class All:
    """Conjunction (true when empty)."""

    items: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    """Disjunction (false when empty)."""

    items: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Not:
    """Negation."""

    item: Condition


Condition: TypeAlias = Compare | Known | All | AnyOf | Not

_FLIP: Final[dict[str, Op]] = {
    "==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">", "in": "not in",
    "not in": "in",
}  # fmt: skip
_NUMERIC_OPS = frozenset({"<", "<=", ">", ">="})


# --------------------------------------------------------------------------- parsing


def _err(where: str, vi: str, en: str, code: str = "rule_schema") -> RuleFileError:
    return RuleFileError(code, f"{where}: {vi}", f"{where}: {en}")


def parse_condition(data: Any, *, where: str = "condition") -> Condition:
    """Parse and validate a condition given as YAML data.

    Raises:
        RuleFileError: naming ``where`` and the problem (unknown fact, bad operator, a value
            of the wrong type, an empty list…).
    """
    if not isinstance(data, Mapping):
        raise _err(where, "điều kiện phải là một ánh xạ", "a condition must be a mapping")
    keys = set(data)
    for combinator in ("all", "any"):
        if combinator in keys:
            if keys != {combinator}:
                raise _err(
                    where, f"'{combinator}' phải đứng một mình", f"'{combinator}' must stand alone"
                )
            items = data[combinator]
            if not isinstance(items, list) or not items:
                raise _err(
                    where,
                    f"'{combinator}' cần danh sách khác rỗng",
                    f"'{combinator}' needs a non-empty list",
                )
            parsed = tuple(
                parse_condition(x, where=f"{where}.{combinator}[{i}]") for i, x in enumerate(items)
            )
            return All(parsed) if combinator == "all" else AnyOf(parsed)
    if "not" in keys:
        if keys != {"not"}:
            raise _err(where, "'not' phải đứng một mình", "'not' must stand alone")
        return Not(parse_condition(data["not"], where=f"{where}.not"))
    if "fact" not in keys or "op" not in keys:
        raise _err(
            where,
            f"cần all/any/not hoặc fact+op, có: {sorted(keys)}",
            f"expected all/any/not or fact+op, got: {sorted(keys)}",
        )
    extra = keys - {"fact", "op", "value", "param"}
    if extra:
        raise _err(where, f"khóa không hợp lệ {sorted(extra)}", f"unexpected keys {sorted(extra)}")
    fact, op = data["fact"], data["op"]
    spec = FACTS.get(fact) if isinstance(fact, str) else None
    if spec is None:
        raise _err(
            where,
            f"dữ kiện {fact!r} không tồn tại (xem docs/facts.md)",
            f"unknown fact {fact!r} (see docs/facts.md)",
            code="unknown_fact",
        )
    if op not in OPS:
        raise _err(
            where,
            f"toán tử {op!r} không hợp lệ; cho phép {OPS}",
            f"operator {op!r} not allowed; use {OPS}",
        )
    if op == "is known":
        if "value" in keys or "param" in keys:
            raise _err(where, "'is known' không nhận giá trị", "'is known' takes no value")
        return Known(fact)
    if ("value" in keys) == ("param" in keys):
        raise _err(
            where, "cần đúng một trong value hoặc param", "exactly one of value or param is needed"
        )
    if "param" in keys:
        name = data["param"]
        if not isinstance(name, str) or not name:
            raise _err(where, "tên tham số không hợp lệ", "invalid parameter name")
        value: Literal_ | ParamRef = ParamRef(name)
    else:
        value = _literal(data["value"], where)
    cond = Compare(fact, op, value)
    if not isinstance(value, ParamRef):
        check_types(cond, where=where)
    return cond


def _literal(raw: Any, where: str) -> Literal_:
    if isinstance(raw, list):
        if not raw:
            raise _err(where, "danh sách giá trị rỗng", "empty list of values")
        return tuple(_literal(x, where) for x in raw)  # type: ignore[misc]
    if isinstance(raw, bool | int | str):
        return raw
    raise _err(
        where,
        f"giá trị {raw!r} phải là số nguyên, true/false hoặc mã",
        f"value {raw!r} must be an int, a bool or a code",
        code="type_mismatch",
    )


def check_types(cond: Compare, *, where: str) -> None:
    """Check that a resolved comparison fits its fact's type (raise ``RuleFileError``)."""
    spec = FACTS[cond.fact]
    value = cond.value
    assert not isinstance(value, ParamRef)

    def bad(vi: str, en: str) -> RuleFileError:
        return _err(where, vi, en, code="type_mismatch")

    if cond.op in ("in", "not in"):
        if not isinstance(value, tuple):
            raise bad(f"'{cond.op}' cần một danh sách", f"'{cond.op}' needs a list")
        items: tuple[Scalar, ...] = value
    else:
        if isinstance(value, tuple):
            raise bad(f"'{cond.op}' cần một giá trị đơn", f"'{cond.op}' needs a single value")
        items = (value,)
    if spec.type == "int":
        if any(isinstance(v, bool) or not isinstance(v, int) for v in items):
            raise bad(
                f"{cond.fact} là số nguyên, giá trị {value!r} không khớp",
                f"{cond.fact} is an int; {value!r} does not fit",
            )
    elif spec.type == "bool":
        if cond.op not in ("==", "!="):
            raise bad(
                f"{cond.fact} là đúng/sai, chỉ dùng == hoặc !=",
                f"{cond.fact} is a bool; use == or !=",
            )
        if not all(isinstance(v, bool) for v in items):
            raise bad(
                f"{cond.fact} cần true/false, có {value!r}",
                f"{cond.fact} needs true/false, got {value!r}",
            )
    else:
        if cond.op in _NUMERIC_OPS:
            raise bad(
                f"{cond.fact} là mã, không so sánh lớn/nhỏ", f"{cond.fact} is a code; no ordering"
            )
        unknown = [v for v in items if v not in spec.values]
        if unknown:
            raise bad(
                f"{cond.fact}: mã {unknown} không hợp lệ; cho phép {list(spec.values)}",
                f"{cond.fact}: codes {unknown} not allowed; allowed {list(spec.values)}",
            )


# --------------------------------------------------------------------------- operations


def walk(cond: Condition) -> Iterator[Condition]:
    """Yield the condition and every sub-condition, depth first."""
    yield cond
    if isinstance(cond, All | AnyOf):
        for item in cond.items:
            yield from walk(item)
    elif isinstance(cond, Not):
        yield from walk(cond.item)


def facts_of(cond: Condition) -> frozenset[str]:
    """The facts a condition reads."""
    return frozenset(c.fact for c in walk(cond) if isinstance(c, Compare | Known))


def params_of(cond: Condition) -> frozenset[str]:
    """The parameters a condition refers to."""
    return frozenset(
        c.value.name for c in walk(cond) if isinstance(c, Compare) and isinstance(c.value, ParamRef)
    )


def resolve(cond: Condition, params: Mapping[str, Any], *, where: str = "condition") -> Condition:
    """Replace parameter references by their values (and type-check them)."""
    if isinstance(cond, Compare):
        if not isinstance(cond.value, ParamRef):
            return cond
        name = cond.value.name
        if name not in params:
            raise _err(
                where,
                f"tham số {name!r} không có giá trị",
                f"parameter {name!r} has no value",
                code="unknown_parameter",
            )
        resolved = Compare(cond.fact, cond.op, _literal(params[name], where))
        check_types(resolved, where=f"{where} (param {name})")
        return resolved
    if isinstance(cond, All):
        return All(tuple(resolve(c, params, where=where) for c in cond.items))
    if isinstance(cond, AnyOf):
        return AnyOf(tuple(resolve(c, params, where=where) for c in cond.items))
    if isinstance(cond, Not):
        return Not(resolve(cond.item, params, where=where))
    return cond


def _compare(actual: FactValue, op: str, value: Literal_) -> bool:
    if op == "==":
        return actual == value and type(actual) is type(value)
    if op == "!=":
        return not (actual == value and type(actual) is type(value))
    if op == "in":
        assert isinstance(value, tuple)
        return actual in value
    if op == "not in":
        assert isinstance(value, tuple)
        return actual not in value
    assert isinstance(actual, int)
    assert isinstance(value, int)
    if op == "<":
        return actual < value
    if op == "<=":
        return actual <= value
    if op == ">":
        return actual > value
    return actual >= value


def evaluate(cond: Condition, facts: Mapping[str, FactValue]) -> TriState:
    """Evaluate a resolved condition under Kleene logic: True, False or None (unknown)."""
    if isinstance(cond, Compare):
        actual = facts.get(cond.fact)
        if actual is None:
            return None
        assert not isinstance(cond.value, ParamRef), "resolve() parameters first"
        return _compare(actual, cond.op, cond.value)
    if isinstance(cond, Known):
        return (cond.fact in facts and facts[cond.fact] is not None) != cond.negated
    if isinstance(cond, All):
        result: TriState = True
        for item in cond.items:
            r = evaluate(item, facts)
            if r is False:
                return False
            if r is None:
                result = None
        return result
    if isinstance(cond, AnyOf):
        result = False
        for item in cond.items:
            r = evaluate(item, facts)
            if r is True:
                return True
            if r is None:
                result = None
        return result
    r = evaluate(cond.item, facts)
    return None if r is None else not r


def negate(cond: Condition) -> Condition:
    """Return the negation in negation normal form (no ``Not`` left).

    Under Kleene logic ``evaluate(negate(c))`` equals ``not evaluate(c)`` (unknown stays
    unknown), which the property tests check.
    """
    if isinstance(cond, Compare):
        return Compare(cond.fact, _FLIP[cond.op], cond.value)
    if isinstance(cond, Known):
        return Known(cond.fact, not cond.negated)
    if isinstance(cond, All):
        return AnyOf(tuple(negate(c) for c in cond.items))
    if isinstance(cond, AnyOf):
        return All(tuple(negate(c) for c in cond.items))
    return nnf(cond.item)


def nnf(cond: Condition) -> Condition:
    """Return an equivalent condition in negation normal form."""
    if isinstance(cond, Not):
        return negate(cond.item)
    if isinstance(cond, All):
        return All(tuple(nnf(c) for c in cond.items))
    if isinstance(cond, AnyOf):
        return AnyOf(tuple(nnf(c) for c in cond.items))
    return cond


def to_data(cond: Condition) -> dict[str, Any]:
    """Serialise a condition back to its YAML/JSON form."""
    if isinstance(cond, Compare):
        if isinstance(cond.value, ParamRef):
            return {"fact": cond.fact, "op": cond.op, "param": cond.value.name}
        value = list(cond.value) if isinstance(cond.value, tuple) else cond.value
        return {"fact": cond.fact, "op": cond.op, "value": value}
    if isinstance(cond, Known):
        known: dict[str, Any] = {"fact": cond.fact, "op": "is known"}
        return {"not": known} if cond.negated else known
    if isinstance(cond, All):
        return {"all": [to_data(c) for c in cond.items]}
    if isinstance(cond, AnyOf):
        return {"any": [to_data(c) for c in cond.items]}
    return {"not": to_data(cond.item)}

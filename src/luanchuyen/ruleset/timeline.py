"""The timeline of a stack of packs, written once: what is in force on a date.

Every question "which packs, rules and parameter values hold on this day", "on which days
does anything change" and "do two validity windows meet" is answered here, and only here:
:class:`~luanchuyen.ruleset.compile.RuleSet` compiles with it, and the authoring tools
(lint, coverage, inspect) and the benchmarks ask it the same questions.

A validity window is closed on both ends (``valid_from`` ≤ day ≤ ``valid_to``); an open end
is ``None``. An overlay replaces the national rules it lists under ``overrides`` while it is
in force.

>>> from datetime import date
>>> windows_overlap((date(2024, 1, 1), date(2024, 12, 31)), (date(2025, 1, 1), None))
False
>>> windows_overlap((date(2024, 1, 1), date(2024, 12, 31)), (None, date(2024, 12, 31)))
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from luanchuyen.ruleset.conditions import params_of
from luanchuyen.ruleset.loader import LoadedRule, Pack
from luanchuyen.ruleset.schema import Parameter, ParamValue

__all__ = [
    "FAR_FUTURE",
    "Window",
    "boundary_dates",
    "packs_in_force",
    "param_value_at",
    "parameters_in_force",
    "params_on",
    "rule_check_dates",
    "rule_in_force_in",
    "rule_params",
    "rules_in_force",
    "stack_for",
    "windows_overlap",
]

#: The end of an open-ended validity, for arithmetic.
FAR_FUTURE = date(9999, 12, 31)

#: A closed validity window; ``None`` is an open end.
Window = tuple[date | None, date | None]


def windows_overlap(*windows: Window) -> bool:
    """Whether every window given shares at least one day with all the others."""
    starts = [s for s, _ in windows if s is not None]
    ends = [e for _, e in windows if e is not None]
    return not starts or not ends or max(starts) <= min(ends)


def param_value_at(param: Parameter, on: date) -> ParamValue | None:
    """The value of a dated parameter in force on ``on`` (the latest ``from`` ≤ ``on``)."""
    current: ParamValue | None = None
    for v in sorted(param.values, key=lambda pv: pv.from_):
        if v.from_ <= on and (v.to is None or on <= v.to):
            current = v
    return current


def packs_in_force(packs: Iterable[Pack], on: date) -> list[Pack]:
    """The packs of a stack valid on ``on``, in stack order."""
    return [p for p in packs if p.in_force(on)]


def parameters_in_force(
    packs: Iterable[Pack], on: date | None = None
) -> dict[str, tuple[Pack, Parameter]]:
    """Every parameter by name, later packs overriding earlier ones.

    With ``on``, only packs in force on that date contribute: an expired overlay's
    parameters (its equivalence table, its authority) never leak past its validity.
    """
    out: dict[str, tuple[Pack, Parameter]] = {}
    for pack in packs:
        if on is not None and not pack.in_force(on):
            continue
        for name, param in pack.parameters.items():
            out[name] = (pack, param)
    return out


def params_on(packs: Iterable[Pack], on: date) -> dict[str, tuple[Pack, ParamValue]]:
    """Every parameter with a value on ``on`` and the pack it comes from.

    A later pack's parameter replaces an earlier one's even where the later one has no
    value on ``on`` (then the name has no value): an overlay that redefines a parameter
    owns it for as long as the overlay is in force.
    """
    out: dict[str, tuple[Pack, ParamValue]] = {}
    for name, (pack, param) in parameters_in_force(packs, on).items():
        value = param_value_at(param, on)
        if value is not None:
            out[name] = (pack, value)
    return out


def _overridden(active: Sequence[Pack]) -> set[str]:
    return {rid for p in active for rid in p.meta.overrides}


def rules_in_force(packs: Iterable[Pack], on: date) -> list[LoadedRule]:
    """The rules in force on ``on``, overlays replacing the national rules they override."""
    active = packs_in_force(packs, on)
    overridden = _overridden(active)
    return [
        rule
        for pack in active
        for rule in pack.rules
        if rule.in_force(on) and not (rule.id in overridden and pack.meta.kind == "national")
    ]


def rule_in_force_in(rule: LoadedRule, pack: Pack, packs: Sequence[Pack], on: date) -> bool:
    """Whether ``rule`` of ``pack`` is among :func:`rules_in_force` of ``packs`` on ``on``.

    The same answer without building the whole list (the linter asks it per rule).
    """
    if not (pack.in_force(on) and rule.in_force(on)):
        return False
    if pack.meta.kind != "national":
        return True
    return rule.id not in _overridden(packs_in_force(packs, on))


def rule_params(rule: LoadedRule) -> frozenset[str]:
    """Every parameter a rule's conditions refer to."""
    out: frozenset[str] = params_of(rule.require)
    if rule.applies_when is not None:
        out |= params_of(rule.applies_when)
    if rule.exception_when is not None:
        out |= params_of(rule.exception_when)
    return out


def _clip(day: date | None, start: date, end: date, points: set[date], *, after: bool) -> None:
    if day is None:
        return
    if after:
        if day >= FAR_FUTURE:
            return
        day = day + timedelta(days=1)
    if start <= day <= end:
        points.add(day)


def boundary_dates(packs: Iterable[Pack], within: Pack) -> list[date]:
    """Every date on which something in ``packs`` starts or stops, inside ``within``'s validity.

    Between two consecutive dates of the result nothing changes (which packs, rules and
    parameter values are in force), so checking each of them checks every date.
    """
    start = within.meta.valid_from
    end = within.meta.valid_to or FAR_FUTURE
    points: set[date] = {start}
    for pack in packs:
        _clip(pack.meta.valid_from, start, end, points, after=False)
        _clip(pack.meta.valid_to, start, end, points, after=True)
        for rule in pack.rules:
            _clip(rule.spec.valid_from, start, end, points, after=False)
            _clip(rule.spec.valid_to, start, end, points, after=True)
        for param in pack.parameters.values():
            for v in param.values:
                _clip(v.from_, start, end, points, after=False)
                _clip(v.to, start, end, points, after=True)
    return sorted(points)


def rule_check_dates(rule: LoadedRule, pack: Pack, packs: Sequence[Pack]) -> list[date]:
    """The days on which ``rule`` of ``pack`` may change, in force or compiled form.

    A subset of :func:`boundary_dates`: the rule's own start, the starts and ends of the
    packs of the stack (which decide overrides and which parameters hold) and the dates of
    the parameters the rule reads, all inside the window where both ``pack`` and ``rule``
    are valid. Between two consecutive days of the result the rule is either out of force
    or compiles to the same conditions, so checking those days checks every day — in time
    proportional to the rule's own dates, not to the whole stack's.
    """
    starts = [d for d in (pack.meta.valid_from, rule.spec.valid_from) if d is not None]
    ends = [d for d in (pack.meta.valid_to, rule.spec.valid_to) if d is not None]
    start, end = max(starts), min(ends) if ends else FAR_FUTURE
    if end < start:
        return []
    points: set[date] = {start}
    for p in packs:
        _clip(p.meta.valid_from, start, end, points, after=False)
        _clip(p.meta.valid_to, start, end, points, after=True)
    wanted = rule_params(rule)
    for p in packs:
        for name in wanted & p.parameters.keys():
            for v in p.parameters[name].values:
                _clip(v.from_, start, end, points, after=False)
                _clip(v.to, start, end, points, after=True)
    return sorted(points)


def stack_for(pack: Pack, nationals: Sequence[Pack]) -> list[Pack]:
    """The stack a pack runs in: the national packs, plus the pack itself if an overlay."""
    if pack.meta.kind == "national":
        by_id = {p.id: p for p in nationals}
        by_id[pack.id] = pack
        return list(by_id.values())
    return [*(p for p in nationals if p.id != pack.id), pack]

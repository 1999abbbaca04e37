"""Khi nào đủ điều kiện? / when will a cadre become eligible?

:func:`earliest_eligible` re-evaluates the same cadre and move at later as-of dates, with the
rules in force on each date (a pack may end, a new regime may start), and reports for every
criterion failing today the earliest date on which it no longer fails, and the earliest date
on which the whole verdict is ``eligible``. Typical answers: a discipline window ends, the
youngest child turns 36 months, a rotation reaches 36 months, time in post reaches 24 months.
Conditions that only get worse with time (age, remaining service) never lift: ``None``.

Assumptions, stated in every answer: the record does not change; the move is decided on the
later date (a given ``decision_date`` moves with it; planned start and end stay as given).

Search: one evaluation per month up to the horizon, then bisection on days inside the first
month where the criterion (or the verdict) has lifted, so dates are exact to the day when the
condition does not flip back within that month.

>>> from datetime import date
>>> from luanchuyen.analysis.forecast import earliest_eligible
>>> cadre = {"id": "T1", "name": "Hà Thị Thu", "gender": "nữ", "date_of_birth": "02/11/1988",
...          "current_post": {"title": "Phó Trưởng phòng", "level": "huyen",
...                           "since": "01/01/2020"},
...          "family": {"pregnant": False, "youngest_child_date_of_birth": "01/09/2023"}}
>>> move = {"kind": "chuyen_doi_vi_tri", "target": {"title": "Chuyên viên", "level": "huyen"}}
>>> f = earliest_eligible(cadre, move, as_of=date(2024, 6, 1))
>>> f.rule("post_change_deferral").earliest
datetime.date(2026, 9, 1)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from typing import Any, Final, Literal

from luanchuyen.dates import add_months
from luanchuyen.decision import Decision
from luanchuyen.errors import LuanChuyenError
from luanchuyen.evaluation import default_rules, evaluate, prepare
from luanchuyen.models import Cadre, Move
from luanchuyen.ruleset.compile import RuleSet
from luanchuyen.verdict import CONSTRAINT_EFFECTS as _CONSTRAINTS
from luanchuyen.verdict import EFFECT_LABELS, VERDICT_LABELS, Outcome, Verdict

__all__ = ["Forecast", "NewBarrier", "RuleForecast", "earliest_eligible"]

Lifted = Literal["pass", "not_applicable", "not_in_force"]
_EFFECT_VI = EFFECT_LABELS["vi"]


@dataclass(frozen=True, slots=True)
class RuleForecast:
    """When one failing criterion stops failing.

    Attributes:
        rule_id: the rule.
        title_vi: its Vietnamese title.
        effect: the effect applied today (``block``, ``review`` or ``warn``).
        message_vi: today's reason.
        earliest: the first date on which it no longer fails, or ``None`` within the horizon.
        lifted_by: how it lifts: ``pass``, ``not_applicable`` or ``not_in_force`` (the rule
            is no longer in force on that date).
        time_dependent: whether the facts it reads change with the date at all (``False``
            means only a change of the record or of the move can lift it).
    """

    rule_id: str
    title_vi: str
    effect: str
    message_vi: str
    earliest: date | None
    lifted_by: Lifted | None
    time_dependent: bool

    def explain(self, horizon_months: int, lang: str = "vi") -> str:
        """One line about this criterion."""
        en = lang == "en"
        words = _FORECAST_WORDS["en" if en else "vi"]
        effect = self.effect if en else _EFFECT_VI.get(self.effect, self.effect)
        title = "" if en else f" — {self.title_vi}"
        if self.earliest is not None:
            how = words.get(self.lifted_by or "", words["not_in_force"])
            return (
                f"{self.rule_id} ({effect}): {how} {words['from']} {self.earliest:%d/%m/%Y}{title}"
            )
        why = (
            words["horizon"].format(months=horizon_months)
            if self.time_dependent
            else words["static"]
        )
        return f"{self.rule_id} ({effect}): {why}{title}"


#: The words of :meth:`RuleForecast.explain`, per language.
_FORECAST_WORDS: Final[dict[str, dict[str, str]]] = {
    "vi": {
        "pass": "đạt",
        "not_applicable": "không còn áp dụng",
        "not_in_force": "không còn hiệu lực",
        "from": "từ",
        "static": "không phụ thuộc thời gian (cần thay đổi hồ sơ hoặc đề xuất)",
        "horizon": "không đạt trong {months} tháng tới (không cải thiện theo thời gian)",
    },
    "en": {
        "pass": "passes",
        "not_applicable": "no longer applies",
        "not_in_force": "is no longer in force",
        "from": "from",
        "static": "does not depend on time (the record or the move must change)",
        "horizon": "not met within {months} months (it does not improve with time)",
    },
}


@dataclass(frozen=True, slots=True)
class NewBarrier:
    """A blocking or review criterion that passes on ``as_of`` but fails from a later date.

    Attributes:
        rule_id: the rule.
        title_vi: its Vietnamese title.
        effect: ``block`` or ``review``.
        from_date: the first date it fails within the horizon.
        message_vi: the reason on that date.
    """

    rule_id: str
    title_vi: str
    effect: str
    from_date: date
    message_vi: str

    def explain(self, lang: str = "vi") -> str:
        """One line about this barrier."""
        if lang == "en":
            return f"{self.rule_id} ({self.effect}): fails from {self.from_date:%d/%m/%Y}"
        effect = _EFFECT_VI.get(self.effect, self.effect)
        return (
            f"{self.rule_id} ({effect}): không đạt từ {self.from_date:%d/%m/%Y} — {self.message_vi}"
        )


@dataclass(frozen=True, slots=True)
class Forecast:
    """The answer of :func:`earliest_eligible`.

    Attributes:
        as_of: the date of the search start.
        horizon_end: the last date searched.
        horizon_months: the horizon in months.
        decision: the decision on ``as_of``.
        eligible_on: the first date the verdict is ``eligible`` (``as_of`` if it already is),
            or ``None`` within the horizon.
        rules: one :class:`RuleForecast` per criterion failing on ``as_of``.
        new_barriers: blocking or review criteria passing on ``as_of`` that fail from a
            later date within the horizon (a new regime, retirement…), in date order: the
            end of an eligibility window.
    """

    as_of: date
    horizon_end: date
    horizon_months: int
    decision: Decision
    eligible_on: date | None
    rules: tuple[RuleForecast, ...]
    new_barriers: tuple[NewBarrier, ...] = ()

    @property
    def verdict(self) -> Verdict:
        """The verdict on ``as_of``."""
        return self.decision.verdict

    def rule(self, rule_id: str) -> RuleForecast:
        """The forecast of one failing criterion."""
        for r in self.rules:
            if r.rule_id == rule_id:
                return r
        raise KeyError(rule_id)

    def explain(self, lang: str = "vi") -> str:
        """A readable answer (Vietnamese by default, ``lang="en"`` for English)."""
        d = self.decision
        en = lang == "en"
        head = f"{d.cadre_name} ({d.cadre_id}) → {d.target_title} · {d.move_kind}; " + (
            f"from {self.as_of:%d/%m/%Y}, horizon {self.horizon_months} months"
            if en
            else f"tính từ {self.as_of:%d/%m/%Y}, xét trong {self.horizon_months} tháng"
        )
        now = d.verdict.value if en else VERDICT_LABELS["vi"][d.verdict]
        lines = [head, ("Now: " if en else "Hiện nay: ") + now]
        lines += [f"  - {r.explain(self.horizon_months, lang)}" for r in self.rules]
        if self.new_barriers:
            lines.append("Later barriers:" if en else "Vướng mắc phát sinh sau:")
            lines += [f"  - {b.explain(lang)}" for b in self.new_barriers]
        if self.eligible_on is None:
            lines.append(
                f"Not eligible at any date within {self.horizon_months} months."
                if en
                else f"Không đủ điều kiện tại ngày nào trong {self.horizon_months} tháng tới."
            )
        elif self.eligible_on == self.as_of:
            lines.append("Eligible now." if en else "Đủ điều kiện ngay.")
        else:
            lines.append(
                f"Earliest eligible date: {self.eligible_on:%d/%m/%Y}"
                if en
                else f"Đủ điều kiện sớm nhất: {self.eligible_on:%d/%m/%Y}"
            )
        lines.append(
            "(Assumes the record does not change and the move is decided on that date.)"
            if en
            else "(Giả định hồ sơ không thay đổi và đề xuất được quyết định vào ngày đó.)"
        )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.explain("vi")

    def _repr_html_(self) -> str:
        return "<pre style='font-family:sans-serif'>" + escape(self.explain("vi")) + "</pre>"


def _lifted(decision: Decision, rule_id: str) -> Lifted | None:
    for c in decision.criteria:
        if c.rule_id == rule_id:
            if c.outcome is Outcome.PASS:
                return "pass"
            if c.outcome is Outcome.NOT_APPLICABLE:
                return "not_applicable"
            if c.outcome is Outcome.FAIL and c.applied_effect not in _CONSTRAINTS:
                return "pass"  # an exception turned it into info/priority: not a barrier
            return None
    return "not_in_force"


def _barriers(decision: Decision, known: set[str]) -> dict[str, str]:
    """Blocking / review criteria failing in ``decision`` that are not in ``known``."""
    return {
        c.rule_id: c.applied_effect or c.effect
        for c in decision.criteria
        if c.outcome is Outcome.FAIL
        and (c.applied_effect or c.effect) in {"block", "review"}
        and c.rule_id not in known
    }


def _facts_used(decision: Decision, rule_id: str) -> Mapping[str, Any] | None:
    for c in decision.criteria:
        if c.rule_id == rule_id:
            return c.facts_used
    return None


def earliest_eligible(
    cadre: Cadre | Mapping[str, Any],
    move: Move | Mapping[str, Any],
    *,
    as_of: date | str,
    rules: RuleSet | None = None,
    horizon_months: int = 120,
) -> Forecast:
    """For each criterion failing on ``as_of``, the earliest date it stops failing.

    Args:
        cadre: the cadre (model or mapping).
        move: the move (model or mapping).
        as_of: the date the search starts (explicit: the library never reads the clock).
        rules: the rule set (default: the national packs); on each date the rules in force
            on that date are used.
        horizon_months: how far to look (months after ``as_of``).

    Returns:
        A :class:`Forecast`: today's decision, one :class:`RuleForecast` per failing
        block / review / warn criterion, and the first date the verdict is eligible.

    Raises:
        InputError: bad input (as for :func:`luanchuyen.evaluate`).
    """

    rs = rules or default_rules()
    c, m, start, _, _ = prepare(cadre, move, as_of=as_of, rules=rs)
    horizon_months = max(1, int(horizon_months))
    end = add_months(start, horizon_months)
    cache: dict[date, Decision | None] = {}

    def decide(day: date) -> Decision | None:
        if day not in cache:
            moved = m.model_copy(update={"decision_date": day}) if m.decision_date else m
            try:
                cache[day] = evaluate(c, moved, as_of=day, rules=rs, backend="reference")
            except LuanChuyenError:  # e.g. a date beyond the calendar or an implausible age
                cache[day] = None
        return cache[day]

    now = evaluate(c, m, as_of=start, rules=rs, backend="reference")  # raises on bad input
    cache[start] = now
    failing = [
        cr
        for cr in now.criteria
        if cr.outcome is Outcome.FAIL and (cr.applied_effect or cr.effect) in _CONSTRAINTS
    ]
    verdict_ok = now.verdict is Verdict.ELIGIBLE

    def rule_test(rule_id: str) -> Callable[[date], bool]:
        def test(day: date) -> bool:
            dec = decide(day)
            return dec is not None and _lifted(dec, rule_id) is not None

        return test

    def verdict_test(day: date) -> bool:
        dec = decide(day)
        return dec is not None and dec.verdict is Verdict.ELIGIBLE

    def fails_test(rule_id: str) -> Callable[[date], bool]:
        def test(day: date) -> bool:
            dec = decide(day)
            return dec is not None and rule_id in _barriers(dec, set())

        return test

    tests = {cr.rule_id: rule_test(cr.rule_id) for cr in failing}
    brackets: dict[str, tuple[date, date]] = {}
    verdict_bracket: tuple[date, date] | None = None
    known = {cr.rule_id for cr in now.criteria if cr.outcome is Outcome.FAIL}
    new: dict[str, tuple[date, date]] = {}
    previous = start
    for k in range(1, horizon_months + 1):  # the whole horizon: later barriers matter too
        day = add_months(start, k)
        for rid, test in tests.items():
            if rid not in brackets and test(day):
                brackets[rid] = (previous, day)
        if not verdict_ok and verdict_bracket is None and verdict_test(day):
            verdict_bracket = (previous, day)
        dec = decide(day)
        if dec is not None:
            for rid in _barriers(dec, known | set(new)):
                new[rid] = (previous, day)
        previous = day

    def refine(bracket: tuple[date, date], test: Callable[[date], bool]) -> date:
        lo, hi = bracket  # test(lo) is False, test(hi) is True
        while (hi - lo).days > 1:
            mid = lo + timedelta(days=(hi - lo).days // 2)
            if test(mid):
                hi = mid
            else:
                lo = mid
        return hi

    last = decide(end)
    out: list[RuleForecast] = []
    for cr in failing:
        bracket = brackets.get(cr.rule_id)
        earliest = refine(bracket, tests[cr.rule_id]) if bracket else None
        when = decide(earliest) if earliest else None
        later = _facts_used(last, cr.rule_id) if last is not None else None
        out.append(
            RuleForecast(
                rule_id=cr.rule_id,
                title_vi=cr.title.vi,
                effect=cr.applied_effect or cr.effect,
                message_vi=cr.message.vi,
                earliest=earliest,
                lifted_by=_lifted(when, cr.rule_id) if when is not None else None,
                time_dependent=earliest is not None
                or later is None
                or dict(later) != dict(cr.facts_used),
            )
        )
    if verdict_ok:
        eligible_on: date | None = start
    elif verdict_bracket is not None:
        eligible_on = refine(verdict_bracket, verdict_test)
    else:
        eligible_on = None
    barriers: list[NewBarrier] = []
    for rid, bracket in new.items():
        first = refine(bracket, fails_test(rid))
        dec = decide(first)
        crit = next((x for x in dec.criteria if x.rule_id == rid), None) if dec else None
        if crit is None:  # pragma: no cover - the bracket's end date failed on this rule
            continue
        barriers.append(
            NewBarrier(
                rule_id=rid,
                title_vi=crit.title.vi,
                effect=crit.applied_effect or crit.effect,
                from_date=first,
                message_vi=crit.message.vi,
            )
        )
    barriers.sort(key=lambda b: (b.from_date, b.rule_id))
    return Forecast(
        as_of=start,
        horizon_end=end,
        horizon_months=horizon_months,
        decision=now,
        eligible_on=eligible_on,
        rules=tuple(out),
        new_barriers=tuple(barriers),
    )

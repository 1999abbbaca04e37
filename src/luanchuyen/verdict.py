"""The verdict rule, stated once: rule states → outcomes → the verdict and what could change it.

A backend reports, for each rule, three tri-states ``(applies, test, exception)`` (``True``,
``False`` or ``None`` for unknown). This module says everything that follows from them:

* the :class:`Outcome` of a criterion (:func:`outcome_of`) and the effect it applies when
  it fails (:func:`applied_effect`; an exception that holds turns a ``block`` into its own
  effect, usually a ``review``);
* which effects are *constraints* (:data:`CONSTRAINT_EFFECTS`: met when the requirement
  holds, even if applicability is unknown) and which can change the verdict
  (``block`` and ``review``);
* the **rule of combination** (:func:`combine`): a verdict is stated only when every way of
  filling in the unknown states leads to it. Some block fails → ``not_eligible``; otherwise,
  if filling in an unknown block, review or exception could change the verdict →
  ``unknown``, with the :attr:`Combination.possible` verdicts and the rules that would
  settle it; otherwise a failed review → ``needs_review``; otherwise ``eligible``.
  Priorities, warnings and information never change the verdict;
* the verdict codes of the columnar twin (:mod:`luanchuyen.verdict_columns`) and the
  labels of each verdict, outcome and effect (vi/en) — the data the label catalogue
  :mod:`luanchuyen.render.labels` serves with its colours and enum labels (they live here,
  below the analysis layer, because forecasts and rankings word verdicts too).

How the combination works: each rule, over every completion of its own unknown states, can
end in a set of *severities* (none, review, block). The verdict of a completion is the worst
severity of its rules. With ``floor`` the worst of each rule's mildest severity, the
verdicts reachable are the floor's and every worse severity some rule can reach; a rule can
change the verdict exactly when its worst severity is worse than the floor.

>>> combine([rule_severities("block", None, (True, None, None))]).possible
(<Verdict.ELIGIBLE: 'eligible'>, <Verdict.NOT_ELIGIBLE: 'not_eligible'>)
>>> c = combine([
...     rule_severities("block", None, (True, None, None)),   # blocking, unknown
...     rule_severities("review", None, (True, False, None)),  # review, fails
... ])
>>> c.verdict.value, [v.value for v in c.possible], c.undecided
('unknown', ['needs_review', 'not_eligible'], (0,))
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from functools import lru_cache
from typing import Final

from luanchuyen.ruleset.conditions import TriState
from luanchuyen.ruleset.schema import Effect

__all__ = [
    "CONSTRAINT_EFFECTS",
    "EFFECT_LABELS",
    "OUTCOME_CODES",
    "OUTCOME_LABELS",
    "TRISTATE_CODES",
    "VERDICT_CODES",
    "VERDICT_LABELS",
    "VERDICT_ORDER",
    "VERDICT_SHORT_LABELS",
    "Combination",
    "Outcome",
    "RuleStates",
    "Severity",
    "Verdict",
    "applied_effect",
    "combine",
    "outcome_of",
    "rule_severities",
    "severity_of",
    "verdict_text",
]

RuleStates = tuple[TriState, TriState, TriState]
"""Per rule: (applies, test, exception) — each True, False or None (unknown).

For a rule without an exception the third state is ``None`` and means "no exception".
"""


class Outcome(StrEnum):
    """The outcome of one criterion."""

    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"


class Verdict(StrEnum):
    """The overall verdict."""

    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    NEEDS_REVIEW = "needs_review"
    UNKNOWN = "unknown"


class Severity(IntEnum):
    """What a rule does to the verdict in one completion: nothing, a review, a block."""

    NONE = 0
    REVIEW = 1
    BLOCK = 2


#: Effects that are met when their requirement holds, even if applicability is unknown.
CONSTRAINT_EFFECTS: Final[frozenset[str]] = frozenset({"block", "review", "warn"})
#: The verdict each severity leads to when nothing is unknown.
_VERDICT_OF: Final[tuple[Verdict, Verdict, Verdict]] = (
    Verdict.ELIGIBLE,
    Verdict.NEEDS_REVIEW,
    Verdict.NOT_ELIGIBLE,
)
_SEVERITY_OF_EFFECT: Final[Mapping[str, Severity]] = {
    "block": Severity.BLOCK,
    "review": Severity.REVIEW,
}

#: Tri-state codes of the columnar twin: ``1`` true, ``0`` false, ``-1`` unknown.
#: Indexing this tuple with a code gives the Python value (``TRISTATE_CODES[-1] is None``).
TRISTATE_CODES: Final[tuple[bool, bool, None]] = (False, True, None)
#: Outcome codes of the columnar twin (index → outcome).
OUTCOME_CODES: Final[tuple[Outcome, ...]] = (
    Outcome.PASS,
    Outcome.FAIL,
    Outcome.UNKNOWN,
    Outcome.NOT_APPLICABLE,
)
#: Verdict codes of the columnar twin (index → verdict).
VERDICT_CODES: Final[tuple[Verdict, ...]] = (
    Verdict.ELIGIBLE,
    Verdict.NOT_ELIGIBLE,
    Verdict.NEEDS_REVIEW,
    Verdict.UNKNOWN,
)
#: Verdicts from best to worst (the order of summaries, rankings and ``possible_verdicts``).
VERDICT_ORDER: Final[tuple[Verdict, ...]] = (
    Verdict.ELIGIBLE,
    Verdict.NEEDS_REVIEW,
    Verdict.UNKNOWN,
    Verdict.NOT_ELIGIBLE,
)
#: The label of each verdict, by language (``render.labels`` serves these to every renderer).
VERDICT_LABELS: Final[Mapping[str, Mapping[Verdict, str]]] = {
    "vi": {
        Verdict.ELIGIBLE: "Đủ điều kiện",
        Verdict.NOT_ELIGIBLE: "Không đủ điều kiện",
        Verdict.NEEDS_REVIEW: "Cần cấp có thẩm quyền xem xét",
        Verdict.UNKNOWN: "Chưa đủ dữ liệu để kết luận",
    },
    "en": {
        Verdict.ELIGIBLE: "Eligible",
        Verdict.NOT_ELIGIBLE: "Not eligible",
        Verdict.NEEDS_REVIEW: "Needs review by the authority",
        Verdict.UNKNOWN: "Unknown (missing data)",
    },
}

#: Short verdict labels (tables, charts), by language.
VERDICT_SHORT_LABELS: Final[Mapping[str, Mapping[Verdict, str]]] = {
    "vi": {
        Verdict.ELIGIBLE: "Đủ điều kiện",
        Verdict.NOT_ELIGIBLE: "Không đủ điều kiện",
        Verdict.NEEDS_REVIEW: "Cần xem xét",
        Verdict.UNKNOWN: "Chưa đủ dữ liệu",
    },
    "en": {
        Verdict.ELIGIBLE: "Eligible",
        Verdict.NOT_ELIGIBLE: "Not eligible",
        Verdict.NEEDS_REVIEW: "Needs review",
        Verdict.UNKNOWN: "Unknown",
    },
}
#: The label of each outcome, by language.
OUTCOME_LABELS: Final[Mapping[str, Mapping[Outcome, str]]] = {
    "vi": {
        Outcome.PASS: "Đạt",
        Outcome.FAIL: "Không đạt",
        Outcome.UNKNOWN: "Chưa rõ",
        Outcome.NOT_APPLICABLE: "Không áp dụng",
    },
    "en": {
        Outcome.PASS: "Pass",
        Outcome.FAIL: "Fail",
        Outcome.UNKNOWN: "Unknown",
        Outcome.NOT_APPLICABLE: "Not applicable",
    },
}
#: The label of each effect, by language.
EFFECT_LABELS: Final[Mapping[str, Mapping[str, str]]] = {
    "vi": {
        "block": "điều kiện",
        "review": "xem xét",
        "warn": "lưu ý",
        "priority": "ưu tiên",
        "info": "thông tin",
    },
    "en": {
        "block": "condition",
        "review": "review",
        "warn": "warning",
        "priority": "priority",
        "info": "info",
    },
}


def outcome_of(effect: str, applies: TriState, test: TriState) -> Outcome:
    """Combine applicability and requirement into an outcome.

    A constraint (block / review / warn) whose requirement holds passes even when its
    applicability is unknown: it is met either way. A priority or an info needs to apply.

    >>> outcome_of("block", None, True).value, outcome_of("priority", None, True).value
    ('pass', 'unknown')
    """
    if applies is False:
        return Outcome.NOT_APPLICABLE
    if applies is True:
        if test is None:
            return Outcome.UNKNOWN
        return Outcome.PASS if test else Outcome.FAIL
    if test is True and effect in CONSTRAINT_EFFECTS:
        return Outcome.PASS
    return Outcome.UNKNOWN


def applied_effect(
    effect: Effect, exception_effect: Effect | None, outcome: Outcome, exception: TriState
) -> Effect | None:
    """The effect a failed criterion applies: its own, or its exception's when that holds.

    ``None`` when the criterion does not fail, or when it fails but the exception that would
    change its effect is unknown (then :func:`combine` reports the verdict as undecided).

    >>> applied_effect("block", "review", Outcome.FAIL, None) is None
    True
    """
    if outcome is not Outcome.FAIL:
        return None
    if exception_effect is None or exception_effect == effect or exception is False:
        return effect
    return exception_effect if exception is True else None


def severity_of(effect: str | None) -> Severity:
    """The severity of an applied effect (``block`` → BLOCK, ``review`` → REVIEW, else NONE)."""
    return _SEVERITY_OF_EFFECT.get(effect or "", Severity.NONE)


def _completions(state: TriState) -> tuple[bool, ...]:
    return (False, True) if state is None else (state,)


@lru_cache(maxsize=4096)  # a few effects × 27 state triples: the hot path of assembly
def rule_severities(
    effect: Effect, exception_effect: Effect | None, states: RuleStates
) -> frozenset[Severity]:
    """Every severity one rule can end in, over every completion of its unknown states.

    A rule without an exception (``exception_effect is None``) ignores the third state.

    >>> sorted(rule_severities("block", "review", (True, False, None)))
    [<Severity.REVIEW: 1>, <Severity.BLOCK: 2>]
    """
    applies, test, exception = states
    exceptions = _completions(exception) if exception_effect is not None else (False,)
    found: set[Severity] = set()
    for a in _completions(applies):
        for t in _completions(test):
            outcome = outcome_of(effect, a, t)
            for e in exceptions:
                found.add(severity_of(applied_effect(effect, exception_effect, outcome, e)))
    return frozenset(found)


@dataclass(frozen=True, slots=True)
class Combination:
    """The verdict of a set of rules, and what could change it.

    Attributes:
        verdict: the stated verdict; ``unknown`` when the completions disagree.
        possible: every verdict some completion of the unknowns leads to, best first
            (one element exactly when the verdict is stated).
        undecided: indexes of the rules whose unknown states could change the verdict
            (the ones whose missing facts would settle it).
    """

    verdict: Verdict
    possible: tuple[Verdict, ...]
    undecided: tuple[int, ...]


def combine(severities: Sequence[frozenset[Severity]]) -> Combination:
    """The rule of combination over each rule's possible severities (see the module doc)."""
    floor = max((min(s) for s in severities if s), default=Severity.NONE)
    reachable = {floor}
    undecided: list[int] = []
    for i, s in enumerate(severities):
        worse = [x for x in s if x > floor]
        if worse:
            reachable.update(worse)
            undecided.append(i)
    possible = tuple(_VERDICT_OF[x] for x in sorted(reachable))
    verdict = possible[0] if len(possible) == 1 else Verdict.UNKNOWN
    return Combination(verdict, possible, tuple(undecided))


def verdict_text(verdict: Verdict, priority_titles: Iterable[str] = (), lang: str = "vi") -> str:
    """The verdict in words, with the priorities met (the main reason when no rule gives one).

    >>> verdict_text(Verdict.ELIGIBLE, ["Dưới 40 tuổi"])
    'Đủ điều kiện; ưu tiên: Dưới 40 tuổi'
    """
    labels = VERDICT_LABELS["en" if lang == "en" else "vi"]
    text = labels[verdict]
    titles = list(priority_titles)
    if titles:
        text += ("; priority: " if lang == "en" else "; ưu tiên: ") + "; ".join(titles)
    return text

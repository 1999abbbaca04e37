"""Derived facts: computed once per (cadre, move, as_of), flat and typed.

One module per topic (service, planning, discipline, family, posts, rotation, state); the
registry lists every fact a rule may use. Python does all the date arithmetic here so
that the rule engines only compare scalars.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from luanchuyen.errors import InputError
from luanchuyen.facts import discipline, family, planning, posts, rotation, service, state
from luanchuyen.facts._inputs import Inputs, dmy, known_on
from luanchuyen.facts.registry import FACTS, FactSpec, FactValue
from luanchuyen.models import Cadre, Move
from luanchuyen.retirement_law import retirement

__all__ = ["FACTS", "DerivedFacts", "FactSpec", "derive_facts"]

_TOPICS = (service, planning, discipline, family, posts, rotation, state)


@dataclass(frozen=True, slots=True)
class DerivedFacts:
    """The flat facts the engines match, plus context values used only in messages."""

    facts: Mapping[str, FactValue]
    context: Mapping[str, Any] = field(default_factory=dict)
    reference_date: date | None = None

    def missing(self, names: frozenset[str]) -> list[str]:
        """Those of ``names`` that are unknown, sorted."""
        return sorted(n for n in names if n not in self.facts)


def derive_facts(
    cadre: Cadre, move: Move, as_of: date, params: Mapping[str, Any] | None = None
) -> DerivedFacts:
    """Derive every fact for one (cadre, move) on ``as_of``.

    The reference date for "from the time of rotation" follows the dated parameter
    ``service_reference_date`` (law brief §8.4): ``decision_date`` (default, reading A: the
    move's decision date, else ``as_of``), ``planned_start`` (the planned start, else the
    decision date, else ``as_of``) or ``as_of``. The choice is recorded in the context.

    Raises:
        InputError: ``birth_after_as_of`` or ``implausible_age`` when the dates cannot be right.
    """
    params = params or {}
    cadre, later = known_on(cadre, as_of)  # records dated after as_of do not exist yet
    convention = str(params.get("service_reference_date", "decision_date"))
    if convention == "as_of":
        reference, source = as_of, "as_of"
    elif convention == "planned_start" and move.planned_start is not None:
        reference, source = move.planned_start, "planned_start"
    elif move.decision_date is not None:
        reference, source = move.decision_date, "decision_date"
    else:
        reference, source = as_of, "as_of"
    for when, label in ((as_of, "as_of"), (reference, f"move.{source}")):
        if cadre.date_of_birth > when:
            raise InputError(
                "birth_after_as_of",
                f"Ngày sinh {dmy(cadre.date_of_birth)} sau {label} {dmy(when)}",
                f"Date of birth {dmy(cadre.date_of_birth)} is after {label} {dmy(when)}",
                field="cadre.date_of_birth",
            )
    if as_of.year - cadre.date_of_birth.year > 100:
        raise InputError(
            "implausible_age",
            "Tuổi trên 100 tại ngày đánh giá",
            "Age above 100 on the as-of date",
            field="cadre.date_of_birth",
        )
    ret = retirement(
        cadre.gender, cadre.date_of_birth, override_age_months=cadre.retirement_age_override_months
    )
    x = Inputs(cadre, move, as_of, reference, params, ret, {}, {})
    x.context["reference_date_source"] = source
    x.context["birth_date_precision"] = cadre.birth_date_precision
    if later:
        x.context["records_after_as_of"] = ", ".join(r.path for r in later)  # for machines
        x.context["records_after_as_of_vi"] = ", ".join(r.vi for r in later)
        x.context["records_after_as_of_en"] = ", ".join(r.en for r in later)
    for topic in _TOPICS:
        topic.derive(x)
    return DerivedFacts(x.facts, x.context, reference)

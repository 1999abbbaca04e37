"""Private: the bundle every fact-deriving function receives."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from luanchuyen.facts.registry import FactValue
from luanchuyen.models import Cadre, Move
from luanchuyen.retirement_law import Retirement


def dmy(d: date) -> str:
    """``dd/mm/yyyy``, exactly as ``d.strftime("%d/%m/%Y")`` (a third of its cost)."""
    if d.year < 1000:  # strftime does not pad such years; keep its output
        return d.strftime("%d/%m/%Y")
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


@dataclass(slots=True)
class Inputs:
    """What a topic module reads (inputs) and writes (facts, context)."""

    cadre: Cadre
    move: Move
    as_of: date
    reference_date: date
    params: Mapping[str, Any]
    retirement: Retirement
    facts: dict[str, FactValue]
    context: dict[str, Any]

    def put(self, name: str, value: FactValue | None) -> None:
        """Record a fact; ``None`` means unknown and is simply left out."""
        if value is not None:
            self.facts[name] = value

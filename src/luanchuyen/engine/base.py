"""The backend protocol: the whole contract between the rules and an engine."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, runtime_checkable

from luanchuyen.facts.registry import FactValue
from luanchuyen.ruleset.compile import CompiledRules
from luanchuyen.verdict import RuleStates

__all__ = ["Backend"]


@runtime_checkable
class Backend(Protocol):
    """An engine that decides, for every compiled rule, its three conditions.

    ``states`` returns, for each rule id, ``(applies, test, exception)`` where each is
    ``True``, ``False`` or ``None`` (unknown: a fact it needs is absent). Reasons, messages
    and verdicts are built from these by :mod:`luanchuyen.verdict` and
    :mod:`luanchuyen.decision`, never by the engine.
    """

    name: str

    def states(
        self, compiled: CompiledRules, facts: Mapping[str, FactValue]
    ) -> dict[str, RuleStates]:
        """Evaluate every rule's conditions over one flat fact."""
        ...

"""The pure-Python reference backend: Kleene evaluation of the compiled conditions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from luanchuyen.facts.registry import FactValue
from luanchuyen.ruleset.compile import CompiledRules
from luanchuyen.ruleset.conditions import evaluate
from luanchuyen.verdict import RuleStates

__all__ = ["ReferenceBackend"]


class ReferenceBackend:
    """Evaluates conditions directly in Python. Stateless, so thread-safe."""

    name = "reference"

    def states(
        self, compiled: CompiledRules, facts: Mapping[str, FactValue]
    ) -> dict[str, RuleStates]:
        """Evaluate every rule's applicability, requirement and exception."""
        return {
            r.id: (
                evaluate(r.applies, facts),
                evaluate(r.test, facts),
                evaluate(r.exception, facts) if r.exception is not None else None,
            )
            for r in compiled.rules
        }

    def states_many(
        self, compiled: CompiledRules, facts: Sequence[Mapping[str, FactValue]]
    ) -> list[dict[str, RuleStates]]:
        """Evaluate many facts (a plain loop; see the vector backend for the fast path)."""
        return [self.states(compiled, f) for f in facts]

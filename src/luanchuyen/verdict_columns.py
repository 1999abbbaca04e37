"""The numpy twin of :mod:`luanchuyen.verdict`: the same rule on (rows × rules) matrices.

Rule states come as three ``int8`` matrices (``1`` true, ``0`` false, ``-1`` unknown; see
:data:`~luanchuyen.verdict.TRISTATE_CODES`). Each rule has 27 possible state triples; the
outcome, the applied effect and the severities of every triple are computed **once per rule
by the scalar functions of** :mod:`luanchuyen.verdict` into small lookup tables, so the
matrices only index them: the twin cannot drift from the rule (tests/test_verdict.py checks
it anyway, with Hypothesis). The combination (floor, reachable verdicts, undecided rules)
is then a few reductions over bit masks.

This module imports numpy (the ``analysis`` extra): it is loaded by the vector backend and
the columnar batch path only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Final, TypeAlias

import numpy as np
import numpy.typing as npt

from luanchuyen.ruleset.schema import Effect
from luanchuyen.verdict import (
    OUTCOME_CODES,
    TRISTATE_CODES,
    VERDICT_CODES,
    RuleStates,
    Severity,
    Verdict,
    applied_effect,
    outcome_of,
    rule_severities,
)

__all__ = [
    "EFFECT_CODES",
    "POSSIBLE_OF_MASK",
    "STATE_TABLE",
    "ColumnVerdicts",
    "RuleTables",
    "combine_columns",
    "effect_code",
    "rule_tables",
    "severity_bits",
    "state_index",
]

BoolArray: TypeAlias = npt.NDArray[np.bool_]
Int8Array: TypeAlias = npt.NDArray[np.int8]

#: The 27 state triples, indexed by :func:`state_index` (``9*(a+1) + 3*(t+1) + (e+1)``).
STATE_TABLE: Final[tuple[RuleStates, ...]] = tuple(
    (TRISTATE_CODES[a], TRISTATE_CODES[t], TRISTATE_CODES[e])
    for a in (-1, 0, 1)
    for t in (-1, 0, 1)
    for e in (-1, 0, 1)
)
#: Applied-effect codes (index → effect); ``-1`` means no effect applied (the rule did not fail).
EFFECT_CODES: Final[tuple[Effect, ...]] = ("block", "review", "warn", "priority", "info")
_NONE_EFFECT: Final = -1
# A bit per severity: NONE 1, REVIEW 2, BLOCK 4. Per mask: its mildest and worst severity.
_LOW: Final = np.array([0, 0, 1, 0, 2, 0, 1, 0], dtype=np.int8)
_HIGH: Final = np.array([0, 0, 1, 1, 2, 2, 2, 2], dtype=np.int8)
_ABOVE: Final = np.array([0b110, 0b100, 0b000], dtype=np.int8)  # bits worse than a floor
# The verdict code of a one-bit reachable mask (else unknown).
_SINGLE: Final = np.full(8, VERDICT_CODES.index(Verdict.UNKNOWN), dtype=np.int8)
_SINGLE[1] = VERDICT_CODES.index(Verdict.ELIGIBLE)
_SINGLE[2] = VERDICT_CODES.index(Verdict.NEEDS_REVIEW)
_SINGLE[4] = VERDICT_CODES.index(Verdict.NOT_ELIGIBLE)
_POSSIBLE_ORDER: Final = (Verdict.ELIGIBLE, Verdict.NEEDS_REVIEW, Verdict.NOT_ELIGIBLE)
#: Reachable mask → the possible verdicts, best first.
POSSIBLE_OF_MASK: Final[tuple[tuple[Verdict, ...], ...]] = tuple(
    tuple(v for bit, v in enumerate(_POSSIBLE_ORDER) if mask >> bit & 1) for mask in range(8)
)


def state_index(applies: Int8Array, test: Int8Array, exception: Int8Array) -> Int8Array:
    """Per cell, the index of its state triple in :data:`STATE_TABLE`."""
    index = 9 * (applies + 1) + 3 * (test + 1) + (exception + 1)
    return index.astype(np.int8)


@dataclass(frozen=True, slots=True)
class RuleTables:
    """Per rule (rows) and state triple (27 columns): outcome code, applied effect, mask."""

    outcome: Int8Array
    applied: Int8Array
    severities: Int8Array

    def lookup(self, table: Int8Array, index: Int8Array) -> Int8Array:
        """``table[rule, index[row, rule]]`` for every cell (rows × rules)."""
        r = table.shape[0]
        if r == 0:
            return np.zeros(index.shape, dtype=np.int8)
        flat = index.astype(np.intp) + (27 * np.arange(r, dtype=np.intp))[np.newaxis, :]
        result: Int8Array = table.ravel()[flat]
        return result


@lru_cache(maxsize=64)
def rule_tables(
    effects: tuple[Effect, ...], exception_effects: tuple[Effect | None, ...]
) -> RuleTables:
    """The lookup tables of a rule set, built from :mod:`luanchuyen.verdict`'s functions."""
    r = len(effects)
    outcome = np.zeros((r, 27), dtype=np.int8)
    applied = np.full((r, 27), _NONE_EFFECT, dtype=np.int8)
    masks = np.zeros((r, 27), dtype=np.int8)
    for j, (effect, exc) in enumerate(zip(effects, exception_effects, strict=True)):
        for k, (a, t, e) in enumerate(STATE_TABLE):
            out = outcome_of(effect, a, t)
            outcome[j, k] = OUTCOME_CODES.index(out)
            eff = applied_effect(effect, exc, out, e)
            if eff is not None:
                applied[j, k] = EFFECT_CODES.index(eff)
            masks[j, k] = severity_bits(rule_severities(effect, exc, (a, t, e)))
    for table in (outcome, applied, masks):
        table.setflags(write=False)
    return RuleTables(outcome, applied, masks)


@dataclass(frozen=True, slots=True)
class ColumnVerdicts:
    """The combination of every row.

    Attributes:
        verdicts: verdict codes per row (indexes into :data:`~luanchuyen.verdict.VERDICT_CODES`).
        possible: per row, a bit mask of the reachable verdicts (bit 0 eligible, 1 needs
            review, 2 not eligible); :meth:`possible_verdicts` spells it out.
        undecided: rows × rules, the rule's unknowns could change the verdict.
    """

    verdicts: Int8Array
    possible: Int8Array
    undecided: BoolArray

    def possible_verdicts(self) -> list[tuple[Verdict, ...]]:
        """Per row, the possible verdicts, best first."""
        return [POSSIBLE_OF_MASK[m] for m in self.possible.tolist()]


def combine_columns(masks: Int8Array) -> ColumnVerdicts:
    """:func:`luanchuyen.verdict.combine` on a (rows × rules) matrix of severity masks."""
    n = masks.shape[0]
    if masks.shape[1] == 0:
        reach = np.ones(n, dtype=np.int8)
        return ColumnVerdicts(_SINGLE[reach], reach, np.zeros(masks.shape, dtype=np.bool_))
    floor = _LOW[masks].max(axis=1)
    undecided: BoolArray = _HIGH[masks] > floor[:, np.newaxis]
    above = np.bitwise_or.reduce(masks & _ABOVE[floor][:, np.newaxis], axis=1)
    reach = (np.left_shift(1, floor) | above).astype(np.int8)
    return ColumnVerdicts(_SINGLE[reach], reach, undecided)


def severity_bits(severities: frozenset[Severity]) -> int:
    """The bit mask of a set of severities (what :attr:`RuleTables.severities` holds)."""
    return sum(1 << int(s) for s in severities)


def effect_code(effect: str) -> int:
    """The code of an applied effect in :attr:`RuleTables.applied`."""
    return EFFECT_CODES.index(effect)

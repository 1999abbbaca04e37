"""Testing helpers for rule authors and library users.

* the pytest plugin (registered through the ``pytest11`` entry point): every
  ``<pack>/tests/*.yaml`` case becomes a test run on both backends;
* Hypothesis strategies producing valid, realistic inputs: :func:`cadres`,
  :func:`positions`, :func:`moves` and :func:`cases`.

Both need the ``testing`` extra (``pip install 'luanchuyen[testing]'``: pytest and
Hypothesis); without it, importing this package raises
:class:`~luanchuyen.errors.MissingExtraError` naming the extra.
"""

from __future__ import annotations

from luanchuyen.testing import _extra  # noqa: F401  (first: names the missing extra)
from luanchuyen.testing.plugin import (
    CaseMismatchError,
    CoverageRecorder,
    RuleCaseFile,
    RuleCaseItem,
    format_mismatches,
    session_coverage,
)
from luanchuyen.testing.strategies import (
    AS_OF_MAX,
    AS_OF_MIN,
    DATE_MAX,
    DATE_MIN,
    GeneratedCase,
    as_of_dates,
    cadres,
    cases,
    moves,
    positions,
)

__all__ = [
    "AS_OF_MAX",
    "AS_OF_MIN",
    "DATE_MAX",
    "DATE_MIN",
    "CaseMismatchError",
    "CoverageRecorder",
    "GeneratedCase",
    "RuleCaseFile",
    "RuleCaseItem",
    "as_of_dates",
    "cadres",
    "cases",
    "format_mismatches",
    "moves",
    "positions",
    "session_coverage",
]

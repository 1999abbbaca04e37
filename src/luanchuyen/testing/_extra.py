"""Fail early, naming the extra, when pytest or Hypothesis is not installed."""

from __future__ import annotations

from luanchuyen.errors import missing_extra

try:
    import hypothesis
    import pytest
except ModuleNotFoundError as exc:  # pragma: no cover - exercised in a venv without the extra
    found = missing_extra(exc)
    if found is None:
        raise
    raise found from None

__all__: list[str] = []
del hypothesis, pytest

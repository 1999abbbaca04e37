"""Shared fixtures: a complete, known-everything cadre and move (law brief §7 assumptions)."""

from __future__ import annotations

from typing import Any

import pytest

from factories import base_cadre, base_move


@pytest.fixture
def cadre() -> dict[str, Any]:
    return base_cadre()


@pytest.fixture
def move() -> dict[str, Any]:
    return base_move()

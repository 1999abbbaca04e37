"""Factories for complete inputs (law brief §7 shared assumptions)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def base_cadre(**overrides: Any) -> dict[str, Any]:
    """TC01 of the law brief: nothing unknown by accident."""
    cadre: dict[str, Any] = {
        "id": "TC01",
        "name": "Nguyễn Văn An",
        "gender": "nam",
        "date_of_birth": "15/05/1980",
        "party_member": True,
        "ethnic_minority": False,
        "current_post": {
            "title": "Phó Trưởng phòng Nội vụ",
            "title_code": "pho_truong_phong",
            "level": "huyen",
            "role": "cap_pho",
            "since": "01/01/2020",
            # Equal equivalence ranks (as a province's list would give): the cross-level
            # equivalence review is then decided, so TC01 is eligible under the honest rule of
            # combination (issue 11), where an unknown review no longer counts as passed.
            "rank": 40,
        },
        "committee_memberships": [],
        "planning": [
            {
                "title": "Ủy viên BCH",
                "title_code": "uv_bch",
                "level": "huyen",
                "approved_on": "10/01/2023",
            }
        ],
        "disciplines": [],
        "under_disciplinary_review": False,
        "under_investigation": False,
        "ratings": {2022: "htt", 2023: "htt"},
        "health": {"issued_on": "01/03/2024", "fit": True},
        "family": {"pregnant": False, "has_children": False},
        "rotation_history": [],
    }
    cadre.update(overrides)
    return cadre


def base_move(**overrides: Any) -> dict[str, Any]:
    """A 36-month rotation to a key commune post."""
    move: dict[str, Any] = {
        "kind": "luan_chuyen",
        "planned_start": "01/07/2024",
        "planned_end": "01/07/2027",
        "target": {
            "title": "Phó Bí thư, Chủ tịch UBND xã",
            "title_code": "pho_bi_thu_chu_tich_ubnd",
            "level": "xa",
            "vacant": True,
            "rank": 40,  # see base_cadre: equal ranks settle placement_equivalence
        },
    }
    move.update(overrides)
    return move


def example_data_module() -> ModuleType:
    """``examples/make_example_data.py``, imported as a module (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location(
        "make_example_data", ROOT / "examples" / "make_example_data.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def row_outcomes(frame: Any) -> list[str]:
    """Per result row, its verdict — or ``"error"`` for a row with status ``error``."""
    return [
        "error" if status == "error" else str(verdict)
        for status, verdict in zip(frame["status"], frame["verdict"], strict=True)
    ]

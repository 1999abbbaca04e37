"""luanchuyen: may this cadre be rotated, transferred or seconded to that post, and why?

The public API is listed in ``__all__``; everything else is private. Heavy parts (the
durable-rules engine, pandas) load only when first used, so ``import luanchuyen`` is fast.

>>> from datetime import date
>>> import luanchuyen
>>> luanchuyen.remaining_service_months("nam", date(1965, 2, 10), date(2021, 8, 10))
60
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from luanchuyen._version import __version__

__all__ = [
    "Backend",
    "Cadre",
    "CriterionResult",
    "CurrentPost",
    "Decision",
    "Discipline",
    "EngineError",
    "Family",
    "Gender",
    "HealthCertificate",
    "InputError",
    "Level",
    "LuanChuyenError",
    "Move",
    "MoveKind",
    "Outcome",
    "PlanningEntry",
    "Position",
    "Rating",
    "Retirement",
    "RotationRecord",
    "RuleFileError",
    "RuleSet",
    "TitleCode",
    "Verdict",
    "__version__",
    "candidates",
    "derive_facts",
    "evaluate",
    "evaluate_many",
    "load_rules",
    "propose_plan",
    "remaining_service_months",
    "retirement",
]

_LAZY: dict[str, str] = {
    "Backend": "luanchuyen.engine.base",
    "Cadre": "luanchuyen.models",
    "CurrentPost": "luanchuyen.models",
    "Discipline": "luanchuyen.models",
    "Family": "luanchuyen.models",
    "Gender": "luanchuyen.models",
    "HealthCertificate": "luanchuyen.models",
    "Level": "luanchuyen.models",
    "Move": "luanchuyen.models",
    "MoveKind": "luanchuyen.models",
    "PlanningEntry": "luanchuyen.models",
    "Position": "luanchuyen.models",
    "Rating": "luanchuyen.models",
    "RotationRecord": "luanchuyen.models",
    "TitleCode": "luanchuyen.models",
    "CriterionResult": "luanchuyen.decision",
    "Decision": "luanchuyen.decision",
    "Outcome": "luanchuyen.verdict",
    "Verdict": "luanchuyen.verdict",
    "EngineError": "luanchuyen.errors",
    "InputError": "luanchuyen.errors",
    "LuanChuyenError": "luanchuyen.errors",
    "RuleFileError": "luanchuyen.errors",
    "Retirement": "luanchuyen.retirement_law",
    "remaining_service_months": "luanchuyen.retirement_law",
    "retirement": "luanchuyen.retirement_law",
    "RuleSet": "luanchuyen.ruleset.compile",
    "candidates": "luanchuyen.analysis.candidates",
    "derive_facts": "luanchuyen.facts",
    "evaluate": "luanchuyen.evaluation",
    "load_rules": "luanchuyen.evaluation",
    "evaluate_many": "luanchuyen.batch",
    "propose_plan": "luanchuyen.analysis.proposal",
}

if TYPE_CHECKING:
    from luanchuyen.analysis.candidates import candidates
    from luanchuyen.analysis.proposal import propose_plan
    from luanchuyen.batch import evaluate_many
    from luanchuyen.decision import CriterionResult, Decision
    from luanchuyen.engine.base import Backend
    from luanchuyen.errors import EngineError, InputError, LuanChuyenError, RuleFileError
    from luanchuyen.evaluation import evaluate, load_rules
    from luanchuyen.facts import derive_facts
    from luanchuyen.models import (
        Cadre,
        CurrentPost,
        Discipline,
        Family,
        Gender,
        HealthCertificate,
        Level,
        Move,
        MoveKind,
        PlanningEntry,
        Position,
        Rating,
        RotationRecord,
        TitleCode,
    )
    from luanchuyen.retirement_law import Retirement, remaining_service_months, retirement
    from luanchuyen.ruleset.compile import RuleSet
    from luanchuyen.verdict import Outcome, Verdict


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'luanchuyen' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)

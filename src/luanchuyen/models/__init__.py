"""Input models: the cadre, the target position and the move (pydantic v2, frozen)."""

from luanchuyen.models.cadre import (
    Cadre,
    CommitteeMembership,
    CurrentPost,
    Discipline,
    Family,
    HealthCertificate,
    PlanningEntry,
    RotationRecord,
)
from luanchuyen.models.enums import (
    CadreCategory,
    CommitteeRole,
    DegreeLevel,
    DisciplineForm,
    DisciplineKind,
    FillMethod,
    Gender,
    Level,
    MoveKind,
    PlanningStatus,
    PoliticalTheory,
    PostRole,
    Rating,
    SoleCarerReason,
    TitleCode,
)
from luanchuyen.models.move import Move
from luanchuyen.models.position import Position

__all__ = [
    "Cadre",
    "CadreCategory",
    "CommitteeMembership",
    "CommitteeRole",
    "CurrentPost",
    "DegreeLevel",
    "Discipline",
    "DisciplineForm",
    "DisciplineKind",
    "Family",
    "FillMethod",
    "Gender",
    "HealthCertificate",
    "Level",
    "Move",
    "MoveKind",
    "PlanningEntry",
    "PlanningStatus",
    "PoliticalTheory",
    "Position",
    "PostRole",
    "Rating",
    "RotationRecord",
    "SoleCarerReason",
    "TitleCode",
]

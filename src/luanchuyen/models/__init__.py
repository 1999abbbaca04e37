"""Input models: the cadre, the target position and the move (pydantic v2, frozen)."""

from luanchuyen.models.cadre import (
    Cadre,
    CommitteeMembership,
    CurrentPost,
    Discipline,
    Family,
    HealthCertificate,
    HeldPost,
    PlanningEntry,
    RatingRecord,
    RotationRecord,
)
from luanchuyen.models.enums import (
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
    TitleCode,
)
from luanchuyen.models.move import Move
from luanchuyen.models.position import Position

__all__ = [
    "Cadre",
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
    "HeldPost",
    "Level",
    "Move",
    "MoveKind",
    "PlanningEntry",
    "PlanningStatus",
    "PoliticalTheory",
    "Position",
    "PostRole",
    "Rating",
    "RatingRecord",
    "RotationRecord",
    "TitleCode",
]

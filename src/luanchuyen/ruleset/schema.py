"""Pydantic models of the rule-pack files (``pack.yaml`` and ``rules/*.yaml``)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from luanchuyen.models.enums import CadreCategory, MoveKind

__all__ = [
    "Citation",
    "Effect",
    "ExceptionSpec",
    "Messages",
    "PackMeta",
    "ParamValue",
    "Parameter",
    "RuleSpec",
    "SourceTag",
    "System",
    "Text2",
]

Effect = Literal["block", "review", "warn", "priority", "info"]
SourceTag = Literal["V", "V-2", "R", "I"]
#: The system a rule comes from: the Party's (Đảng) or the State's (Nhà nước).
System = Literal["dang", "nha_nuoc"]
_CFG = ConfigDict(frozen=True, extra="forbid")


class Text2(BaseModel):
    """A text in Vietnamese and English."""

    model_config = _CFG
    vi: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Citation(BaseModel):
    """Legal citation with the source tag of the law brief ([V], [V-2], [R], [I])."""

    model_config = _CFG
    document: str = Field(min_length=1, description="Văn bản / document")
    article: str | None = Field(None, description="Điều / article")
    clause: str | None = Field(None, description="Khoản, điểm / clause")
    tag: SourceTag = Field(description="V: đọc trong nguồn; R: nhớ lại; I: suy luận")
    url: str | None = None
    note: str | None = None

    def __str__(self) -> str:
        parts = [self.document, self.article, self.clause]
        return ", ".join(p for p in parts if p) + f" [{self.tag}]"


class ParamValue(BaseModel):
    """One dated value of a parameter (OpenFisca style)."""

    model_config = _CFG
    from_: date = Field(alias="from")
    to: date | None = None
    value: Any
    citation: Citation


class Parameter(BaseModel):
    """A named parameter with dated values."""

    model_config = _CFG
    description: Text2
    unit: str | None = None
    values: list[ParamValue] = Field(min_length=1)


class PackMeta(BaseModel):
    """The ``pack.yaml`` of a rule pack."""

    model_config = _CFG
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    kind: Literal["national", "overlay"]
    title: Text2
    jurisdiction: str
    source: Citation
    valid_from: date
    valid_to: date | None = None
    localities: list[str] = Field(default_factory=list)
    extends: list[str] = Field(default_factory=list)
    overrides: list[str] = Field(default_factory=list)
    system: System | None = Field(
        None, description="Hệ thống mặc định của các quy tắc / default system"
    )
    parameters: dict[str, Parameter] = Field(default_factory=dict)


class Messages(BaseModel):
    """Message templates; ``{fact}``, ``{param.name}`` and ``{ctx.name}`` are filled in."""

    model_config = _CFG
    pass_: Text2 = Field(alias="pass")
    fail: Text2
    unknown: Text2 | None = None
    not_applicable: Text2 | None = None


class ExceptionSpec(BaseModel):
    """When the rule fails and ``when`` holds, the effect becomes ``effect`` (a special case)."""

    model_config = _CFG
    when: dict[str, Any]
    effect: Effect = "review"
    note: Text2 | None = None


class RuleSpec(BaseModel):
    """One rule: who it applies to, what it requires, what failing it means, and why."""

    model_config = _CFG
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: Text2
    kinds: list[MoveKind] = Field(min_length=1)
    valid_from: date | None = None
    valid_to: date | None = None
    effect: Effect
    applies_when: dict[str, Any] | None = None
    require: dict[str, Any]
    exception: ExceptionSpec | None = None
    messages: Messages
    citation: Citation
    overrides: bool = False
    authority: Text2 | None = None
    system: System | None = Field(None, description="dang / nha_nuoc (mặc định: của bộ)")
    binds: list[CadreCategory] | None = Field(
        None, min_length=1, description="Chỉ ràng buộc các loại: can_bo, cong_chuc, vien_chuc"
    )

    @field_validator("kinds", mode="before")
    @classmethod
    def _kinds(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [MoveKind.parse(v, field="kinds") for v in value]
        return value

    @field_validator("binds", mode="before")
    @classmethod
    def _binds(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [CadreCategory.parse(v, field="binds") for v in value]
        return value

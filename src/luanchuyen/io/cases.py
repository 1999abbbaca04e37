"""Case files (YAML or JSON): one cadre, one move, an as-of date, optional expectations.

The same format serves ``luanchuyen check``, the bundled examples and the rule authors'
test cases beside each pack (which add ``expected``).
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from luanchuyen.errors import InputError, RuleFileError
from luanchuyen.models import Cadre, Move, VnDate
from luanchuyen.models.validate import input_error_from
from luanchuyen.ruleset.compile import check_pack_name
from luanchuyen.ruleset.loader import MAX_FILE_BYTES, read_yaml

__all__ = ["Case", "Expected", "load_case", "load_cases"]


class Expected(BaseModel):
    """What a test case expects: verdict, priority, rule outcomes, derived facts."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    verdict: str | None = None
    priority: bool | None = None
    outcomes: dict[str, str] = Field(default_factory=dict)
    facts: dict[str, Any] = Field(default_factory=dict)


class Case(BaseModel):
    """One evaluation request, optionally with expectations."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    description: str | None = None
    as_of: VnDate
    rules: list[str] = Field(default_factory=list, description="Overlay packs to add")
    locality: str | None = None
    cadre: Cadre
    move: Move
    expected: Expected | None = None
    source: str | None = Field(None, description="File the case came from")

    @field_validator("rules")
    @classmethod
    def _pack_names(cls, value: list[str]) -> list[str]:
        # data names packs by id only: a path here could load any directory on disk
        for name in value:
            try:
                check_pack_name(name)
            except RuleFileError as exc:
                raise PydanticCustomError("pack_path_in_data", exc.message_en) from None
        return value

    @property
    def as_of_date(self) -> date:
        """The as-of date."""
        return self.as_of


def _parse(item: Any, file: str, index: int | None) -> Case:
    where = file if index is None else f"{file}[{index}]"
    if not isinstance(item, dict):
        raise InputError(
            "case_file",
            f"{where}: hồ sơ phải là ánh xạ",
            f"{where}: a case must be a mapping",
            field=where,
        )
    try:
        return Case.model_validate({**item, "source": where})
    except ValidationError as exc:
        raise input_error_from(exc, where) from None


def load_cases(path: str | os.PathLike[str]) -> list[Case]:
    """Load every case of a file: a single case, a list, or ``{cases: [...]}``."""
    p = Path(path)
    try:
        if p.suffix.lower() == ".json":
            size = p.stat().st_size
            if size > MAX_FILE_BYTES:
                raise InputError(
                    "case_file",
                    f"{p}: tệp quá lớn ({size} byte)",
                    f"{p}: file too large ({size} bytes)",
                    field=str(p),
                )
            data = json.loads(p.read_text(encoding="utf-8"))
        else:
            data = read_yaml(p)
    except (
        OSError,
        UnicodeDecodeError,
        json.JSONDecodeError,
        RecursionError,
        RuleFileError,
    ) as exc:
        msg = getattr(exc, "message_en", str(exc))
        msg_vi = getattr(exc, "message_vi", msg)
        code = (
            exc.code if isinstance(exc, RuleFileError) and exc.code == "yaml_alias" else "case_file"
        )
        raise InputError(
            code, f"{p}: không đọc được ({msg_vi})", f"{p}: cannot read ({msg})", field=str(p)
        ) from None
    if data is None:
        raise InputError("case_file", f"{p}: tệp rỗng", f"{p}: empty file", field=str(p))
    if isinstance(data, dict) and "cases" in data:
        data = data["cases"]
    if isinstance(data, list):
        return [_parse(item, str(p), i) for i, item in enumerate(data)]
    return [_parse(data, str(p), None)]


def load_case(path: str | os.PathLike[str]) -> Case:
    """Load a file holding exactly one case."""
    cases = load_cases(path)
    if len(cases) != 1:
        raise InputError(
            "case_file",
            f"{path}: cần đúng một hồ sơ, có {len(cases)}",
            f"{path}: expected one case, found {len(cases)}",
            field=str(path),
        )
    return cases[0]

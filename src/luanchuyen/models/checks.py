"""Kiểm tra chéo / the cross-field checks of the input models, stated once as data.

A field on its own is checked by its type (:mod:`luanchuyen.models._types`, the enums, the
``ge``/``le`` bounds). What is left is a handful of checks that read two fields of one record:
a date that may not be before another, two statements that contradict each other, a year
that no living cadre can have. They are declared here, each with its stable error code and
its bilingual message, and applied in two places:

* the models' ``model_validator``\\ s (:class:`~luanchuyen.models.Cadre` — for itself, then
  for each of its disciplines —, ``RotationRecord``, ``Family``,
  :class:`~luanchuyen.models.Move`) call :func:`enforce`, so a bad record raises the error
  pydantic reports;
* the column reader of tables (:mod:`luanchuyen.records.coded`) calls :meth:`Check.violated`
  once per distinct combination of the fields' values in a column block, so that a row that
  fails a check never takes the column way: it goes the model way and gets that same error.

A check is *violated* only when every field it reads is known (not ``None``): an unknown
date cannot contradict anything. The vocabulary is three kinds of check, nothing more:

``NotBefore(later, earlier)``
    ``later < earlier`` is an error (an end before its start).
``Excludes((field, values), (field, values))``
    the first field holding one of its values (any value, for ``None``) while the second
    holds one of its values is an error (criminal proceedings while "under investigation"
    is *no*).
``YearAtLeast(field, year)``
    a date whose year is before ``year`` is an error.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from pydantic_core import PydanticCustomError

from luanchuyen.models.enums import CadreCategory

__all__ = [
    "CHECKS",
    "Check",
    "Excludes",
    "NotBefore",
    "YearAtLeast",
    "enforce",
]


@dataclass(frozen=True, slots=True)
class Check:
    """One cross-field check: the fields it reads, its error code and message."""

    code: str
    message: str  # "Vietnamese / English", as pydantic errors of the models carry them

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields the check reads, in the order :meth:`violated` takes them."""
        raise NotImplementedError  # pragma: no cover - every kind below defines it

    def violated(self, *values: Any) -> bool:
        """Whether these values of :attr:`fields` break the check (never for ``None``)."""
        raise NotImplementedError  # pragma: no cover - every kind below defines it

    def error(self) -> PydanticCustomError:
        """The error the model raises when the check is violated."""
        return PydanticCustomError(self.code, self.message)


@dataclass(frozen=True, slots=True)
class NotBefore(Check):
    """``later`` may not be before ``earlier``."""

    later: str = ""
    earlier: str = ""

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.later, self.earlier)

    def violated(self, *values: Any) -> bool:
        later, earlier = values
        return later is not None and earlier is not None and later < earlier


@dataclass(frozen=True, slots=True)
class Excludes(Check):
    """``first`` holding one of ``first_values`` excludes ``second`` holding one of its."""

    first: str = ""
    first_values: Collection[Any] | None = None  # None: any stated value
    second: str = ""
    second_values: Collection[Any] | None = None

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.first, self.second)

    def violated(self, *values: Any) -> bool:
        a, b = values
        return (
            a is not None
            and b is not None
            and _member(a, self.first_values)
            and _member(b, self.second_values)
        )


def _member(value: Any, values: Collection[Any] | None) -> bool:
    # by type too: ``True`` is not the integer 1, an enum member not its value
    return values is None or any(type(value) is type(v) and value == v for v in values)


@dataclass(frozen=True, slots=True)
class YearAtLeast(Check):
    """A date of ``field`` must be in ``year`` or later."""

    field: str = ""
    year: int = 0

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.field,)

    def violated(self, *values: Any) -> bool:
        (value,) = values
        return isinstance(value, date) and value.year < self.year


_NOT_CONG_CHUC: Final = tuple(c for c in CadreCategory if c is not CadreCategory.CONG_CHUC)

#: Every model's checks, by model name, in the order the model applies them (the first one
#: violated is the error raised).
CHECKS: Final[Mapping[str, tuple[Check, ...]]] = {
    "Cadre": (
        YearAtLeast("implausible_age", "Năm sinh trước 1900 / birth year before 1900",
                    field="date_of_birth", year=1900),
        Excludes(
            "inconsistent",
            "Đang bị truy cứu trách nhiệm hình sự nhưng 'đang bị điều tra' là không / "
            "criminal proceedings but under_investigation is false",
            first="criminal_proceedings", first_values=(True,),
            second="under_investigation", second_values=(False,),
        ),
        Excludes(
            "inconsistent",
            "Phân loại cán bộ/công chức/viên chức mâu thuẫn với trường 'công chức' / "
            "category contradicts civil_servant",
            first="category", first_values=(CadreCategory.CONG_CHUC,),
            second="civil_servant", second_values=(False,),
        ),
        Excludes(
            "inconsistent",
            "Phân loại cán bộ/công chức/viên chức mâu thuẫn với trường 'công chức' / "
            "category contradicts civil_servant",
            first="category", first_values=_NOT_CONG_CHUC,
            second="civil_servant", second_values=(True,),
        ),
    ),
    # applied by Cadre to each of its disciplines, after its own checks
    "Cadre.disciplines": (
        NotBefore(
            "date_order",
            "Ngày hiệu lực kỷ luật trước ngày quyết định / "
            "discipline takes effect before its decision",
            later="effective_date", earlier="decision_date",
        ),
    ),
    "RotationRecord": (
        NotBefore(
            "date_order",
            "Ngày kết thúc luân chuyển trước ngày bắt đầu / rotation end is before its start",
            later="end", earlier="start",
        ),
    ),
    "Family": (
        Excludes(
            "inconsistent",
            "Có lý do nuôi con một mình nhưng 'nuôi con một mình' là không / "
            "a sole-carer reason is given but sole_carer is false",
            first="sole_carer_reason", first_values=None,  # any stated reason
            second="sole_carer", second_values=(False,),
        ),
    ),
    "Move": (
        NotBefore(
            "negative_duration",
            "Ngày kết thúc dự kiến trước ngày bắt đầu / planned end is before planned start",
            later="planned_end", earlier="planned_start",
        ),
    ),
}  # fmt: skip


def enforce(record: Any, model: str) -> None:
    """Raise the error of the first of ``CHECKS[model]`` that ``record`` violates."""
    for check in CHECKS[model]:
        if check.violated(*(getattr(record, f) for f in check.fields)):
            raise check.error()

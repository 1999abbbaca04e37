"""Input models: aliases, bilingual coded errors, JSON round trip, JSON Schema."""

from __future__ import annotations

import json
import unicodedata
from datetime import date

import pytest
from pydantic import ValidationError

from factories import base_cadre, base_move
from luanchuyen import Cadre, Gender, Level, Move, MoveKind
from luanchuyen.errors import ERROR_CODES, InputError
from luanchuyen.models.enums import DisciplineForm, Rating, TitleCode, fold
from luanchuyen.models.validate import input_error_from


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("nam", Gender.NAM), ("Nam", Gender.NAM), ("male", Gender.NAM), ("nữ", Gender.NU),
     ("NỮ", Gender.NU), ("nu", Gender.NU), ("female", Gender.NU), ("F", Gender.NU)],
)  # fmt: skip
def test_gender_aliases(raw: str, expected: Gender) -> None:
    assert Gender.parse(raw) is expected


def test_other_enum_aliases() -> None:
    assert MoveKind.parse("Luân chuyển") is MoveKind.LUAN_CHUYEN
    assert MoveKind.parse("biệt phái") is MoveKind.BIET_PHAI
    assert MoveKind.parse("Chuyển đổi vị trí công tác") is MoveKind.CHUYEN_DOI_VI_TRI
    assert Level.parse("Phường") is Level.XA
    assert Level.parse("district") is Level.HUYEN
    assert Rating.parse("Hoàn thành xuất sắc nhiệm vụ") is Rating.HTXS
    assert DisciplineForm.parse("Khiển trách") is DisciplineForm.KHIEN_TRACH
    assert TitleCode.parse("Bí thư Đảng ủy") is TitleCode.BI_THU


def test_nfd_input_is_accepted_and_normalised() -> None:
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Hà")
    c = Cadre.model_validate(base_cadre(name=nfd, gender=unicodedata.normalize("NFD", "nữ")))
    assert c.name == unicodedata.normalize("NFC", "Nguyễn Thị Hà")
    assert c.gender is Gender.NU
    assert fold(unicodedata.normalize("NFD", "Đảng")) == "dang"


def test_unknown_enum_names_field_and_lists_allowed() -> None:
    with pytest.raises(ValidationError) as info:
        Cadre.model_validate(base_cadre(gender="x"))
    err = input_error_from(info.value, "cadre")
    assert err.code == "invalid_enum"
    assert err.field == "cadre.gender"
    assert "Nam, Nữ" in err.message_vi and "nam, nu" in err.message_en


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"date_of_birth": "31/02/1980"}, "invalid_date", "cadre.date_of_birth"),
        ({"date_of_birth": None}, "invalid_date", "cadre.date_of_birth"),
        ({"nickname": "x"}, "invalid_input", "cadre.nickname"),
        (
            {"retirement_age_override_months": 10},
            "invalid_value",
            "cadre.retirement_age_override_months",
        ),
    ],
)
def test_bad_cadre_inputs_have_codes(overrides: dict[str, object], code: str, field: str) -> None:
    with pytest.raises(ValidationError) as info:
        Cadre.model_validate(base_cadre(**overrides))
    err = input_error_from(info.value, "cadre")
    assert err.code == code
    assert err.field == field
    assert err.code in ERROR_CODES


def test_missing_required_field() -> None:
    data = base_cadre()
    del data["gender"]
    with pytest.raises(ValidationError) as info:
        Cadre.model_validate(data)
    assert input_error_from(info.value, "cadre").code == "missing_field"


def test_negative_planned_duration_rejected() -> None:
    with pytest.raises(ValidationError) as info:
        Move.model_validate(base_move(planned_start="01/07/2024", planned_end="01/06/2024"))
    assert input_error_from(info.value, "move").code == "negative_duration"


@pytest.mark.parametrize(("raw", "expected", "precision"), [
    ("1980", date(1980, 1, 1), "year"), (1980, date(1980, 1, 1), "year"),
    ("05/1980", date(1980, 5, 1), "month"), ("15/05/1980", date(1980, 5, 15), "day"),
    ("1980-05-15", date(1980, 5, 15), "day"),
])  # fmt: skip
def test_birth_date_precision(raw: object, expected: date, precision: str) -> None:
    c = Cadre.model_validate(base_cadre(date_of_birth=raw))
    assert c.date_of_birth == expected
    assert c.birth_date_precision == precision


def test_json_round_trip() -> None:
    c = Cadre.model_validate(base_cadre())
    m = Move.model_validate(base_move())
    assert Cadre.model_validate_json(c.model_dump_json()) == c
    assert Move.model_validate_json(m.model_dump_json()) == m


def test_models_are_frozen() -> None:
    c = Cadre.model_validate(base_cadre())
    with pytest.raises(ValidationError):
        c.name = "x"  # type: ignore[misc]


def test_json_schema_export_names_enums() -> None:
    schema = Cadre.model_json_schema()
    text = json.dumps(schema, ensure_ascii=False)
    assert "date_of_birth" in schema["properties"]
    assert "Ngày sinh" in text
    assert Move.model_json_schema()["properties"]["kind"]


def test_input_error_is_value_error() -> None:
    err = InputError("invalid_value", "x", "y", field="f")
    assert isinstance(err, ValueError)
    assert err.to_dict() == {
        "code": "invalid_value",
        "field": "f",
        "message_vi": "x",
        "message_en": "y",
    }


def test_errors_pickle_round_trip() -> None:
    import pickle

    err = InputError(
        "invalid_enum", "sai", "wrong", field="cadre.gender", details={"allowed": ["nam"]}
    )
    back = pickle.loads(pickle.dumps(err))
    assert isinstance(back, InputError)
    assert back.to_dict() == err.to_dict()
    assert str(back).startswith("invalid_enum")

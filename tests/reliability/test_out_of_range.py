"""Issue 17 item 14: out-of-range dates, deeply nested JSON Lines, invisible or bidi names.

On main ``planned_end: 31/12/9999`` raised an uncoded ``OverflowError``; a JSON Lines row
nested 100,000 deep raised ``RecursionError`` and killed the batch; a name made only of a
zero-width space, or holding a right-to-left override, was accepted.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from factories import base_cadre, base_move
from luanchuyen import evaluate
from luanchuyen.batch import evaluate_many
from luanchuyen.errors import InputError
from luanchuyen.io.tables import read_jsonl

AS_OF = date(2024, 6, 1)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("planned_end", "31/12/9999"),
        ("planned_end", "9999-12-31"),
        ("planned_start", "01/01/0001"),
        ("decision_date", "31/12/9999"),
    ],
)
def test_dates_far_out_of_range_are_coded_errors(field: str, value: str) -> None:
    with pytest.raises(InputError) as info:
        evaluate(base_cadre(), base_move(**{field: value}), as_of=AS_OF, backend="reference")
    assert info.value.code == "invalid_date"
    assert info.value.field == f"move.{field}"


def test_far_dates_in_records_are_coded_errors_too() -> None:
    cadre = base_cadre(health={"issued_on": date(9999, 12, 31), "fit": True})
    with pytest.raises(InputError) as info:
        evaluate(cadre, base_move(), as_of=AS_OF, backend="reference")
    assert info.value.code == "invalid_date"


@pytest.mark.parametrize(
    "name",
    [
        "\u200b",
        "\u200b\u200c\u200d",
        "\ufeff \u2060",
        "Nguyễn \u202eAn",
        "\u202aAn",
        "An\u2066",
        "An\u2069",
        "\u202dAn\u202c",
    ],
)
def test_invisible_or_bidi_names_are_refused(name: str) -> None:
    with pytest.raises(InputError) as info:
        evaluate(base_cadre(name=name), base_move(), as_of=AS_OF, backend="reference")
    assert info.value.code == "invalid_value"
    assert info.value.field == "cadre.name"


def test_ordinary_names_with_joiners_inside_are_kept() -> None:
    d = evaluate(base_cadre(name="Nguyễn\u200dVăn An"), base_move(), as_of=AS_OF)
    assert d.cadre_name == "Nguyễn\u200dVăn An"


def test_a_json_lines_row_nested_100000_deep_is_an_error_row(tmp_path: Path) -> None:
    good = json.dumps({"cadre": base_cadre(), "move": base_move()}, ensure_ascii=False)
    path = tmp_path / "in.jsonl"
    lines = [good, '{"cadre": ' + "[" * 100_000 + "]" * 100_000 + "}", good]
    lines += ['{"a":' * 40 + "1" + "}" * 40, good]
    path.write_text("\n".join(lines), encoding="utf-8")
    rows = read_jsonl(path)
    assert len(rows) == 5
    assert isinstance(rows[1], InputError) and isinstance(rows[3], InputError)
    assert rows[1].field == "line 2" and "nested" in rows[1].message_en
    frame = evaluate_many(rows, as_of=AS_OF, backend="reference")
    assert list(frame["status"] == "error") == [False, True, False, True, False]

"""Tables read column by column without a model a row (issue 14, columnar input).

``records.coded.read_coded`` must give, for every row it takes, exactly the values that
``Layout.read`` and the models give (field for field, record for record), and take every row
the models accept except the few it documents (a list group with ``;``); a row it takes must
be one the models accept. ``evaluate_many`` on a table must give the frame the model way
gives, on the synthetic population (2024 and 2026, the state law's inputs), the example
sheets, board sheets and the bad-input corpus, and on tables with random bad cells.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import luanchuyen.batch._columnar as columnar
from luanchuyen import load_rules
from luanchuyen.batch import evaluate_many
from luanchuyen.batch._intake import _cells, _label
from luanchuyen.models import (
    Cadre,
    CommitteeMembership,
    CurrentPost,
    Discipline,
    Family,
    HealthCertificate,
    Move,
    PlanningEntry,
    Position,
    RotationRecord,
)
from luanchuyen.models.checks import CHECKS, Excludes, NotBefore, YearAtLeast
from luanchuyen.records.coded import MODEL_STEPS, read_coded
from luanchuyen.records.frames import requests_frame
from luanchuyen.records.layout import Layout
from test_table_columns import _tables

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from candidates_bench import state_fields  # noqa: E402
from synth import population  # noqa: E402

E1 = date(2024, 6, 1)
E2 = date(2026, 3, 1)
LISTS = ("planning", "disciplines", "committee_memberships", "rotation_history")
SINGLE = {
    "cadre": lambda c, m: c,
    "current_post": lambda c, m: c.current_post,
    "health": lambda c, m: c.health,
    "family": lambda c, m: c.family,
    "target": lambda c, m: m.target,
    "move": lambda c, m: m,
}


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    out = _tables(tmp_path_factory.mktemp("coded"))
    out["state"] = requests_frame(state_fields(population(300, seed=26), 26))
    return out


def _model_way(layout: Layout, cells: tuple[Any, ...], day: date, row: Any) -> Any:
    try:
        req = layout.read(cells, as_of=day, row=row)
        return Cadre.model_validate(req.cadre), Move.model_validate(req.move)
    except Exception:
        return None


def _has_several_items(layout: Layout, cells: tuple[Any, ...]) -> bool:
    return any(
        b.column.group is not None and isinstance(cells[b.index], str) and ";" in cells[b.index]
        for b in layout.bindings
    )


def _compare(frame: pd.DataFrame, day: date) -> tuple[int, int]:
    """Check every row of ``frame``; how many rows the reader took, and the models accept."""
    layout = Layout.resolve(list(frame.columns), "flat")
    columns = [frame.iloc[:, j] for j in range(frame.shape[1])]
    labels = [_label(x) for x in frame.index]
    read = read_coded(layout, columns, as_of=day, labels=labels)
    accepted = 0
    for i, cells in enumerate(_cells(frame)):
        models = _model_way(layout, cells, read.days[i] or day, labels[i])
        accepted += models is not None
        if not read.taken[i]:
            assert models is None or _has_several_items(layout, cells), f"row {i} left"
            continue
        assert models is not None, f"row {i} taken but the models refuse it"
        cadre, move = models
        for name, record in read.records.items():
            if name in LISTS:
                got = getattr(cadre, name)
                if not record.known[i]:
                    assert got is None, (i, name)
                elif not record.present[i]:
                    assert got == [], (i, name)
                else:
                    assert got is not None and len(got) == 1, (i, name)
                    for field, coded in record.fields.items():
                        assert getattr(got[0], field) == coded.value(i), (i, name, field)
                continue
            obj = SINGLE[name](cadre, move)
            assert record.present[i] == (obj is not None), (i, name)
            if obj is not None:
                for field, coded in record.fields.items():
                    assert getattr(obj, field) == coded.value(i), (i, name, field)
        assert cadre.ratings == read.ratings.value(i), i
    return int(read.taken.sum()), accepted


@pytest.mark.parametrize("name", ["synth", "examples", "board", "two_rows", "corpus", "state"])
def test_the_reader_gives_what_the_models_give(tables: dict[str, pd.DataFrame], name: str) -> None:
    taken, accepted = _compare(tables[name], E2 if name == "state" else E1)
    assert taken == accepted  # no row here has several items in a list group
    if name in ("synth", "examples", "board", "state"):
        assert taken == len(tables[name])  # clean tables: every row the column way


@contextmanager
def _model_way_only() -> Iterator[None]:
    """Every row of a table the model way (the column reader takes none)."""
    from luanchuyen.records.coded import _none

    original = columnar.read_coded
    columnar.read_coded = lambda layout, columns, **kw: _none(len(kw["labels"]))  # type: ignore[assignment]
    try:
        yield
    finally:
        columnar.read_coded = original


def _same_as_the_model_way(frame: pd.DataFrame, as_of: date | None, reasons: bool) -> pd.DataFrame:
    rules = load_rules("qd65", "nha-nuoc")
    columns = evaluate_many(frame, as_of=as_of, rules=rules, reasons=reasons)
    with _model_way_only():
        models = evaluate_many(frame, as_of=as_of, rules=rules, reasons=reasons)
    pd.testing.assert_frame_equal(columns, models)
    return columns


@pytest.mark.parametrize("name", ["synth", "examples", "board", "two_rows", "corpus", "state"])
def test_evaluate_many_gives_the_model_ways_frame(
    tables: dict[str, pd.DataFrame], name: str
) -> None:
    for reasons in (False, True):
        _same_as_the_model_way(tables[name], E2 if name == "state" else E1, reasons)


def test_every_model_step_is_known() -> None:
    """A model-level validator the column reader does not know makes this fail: the reader
    would accept what the model refuses. Add its step to records/coded.py first."""
    models = (Cadre, CurrentPost, HealthCertificate, Family, Position, Move, PlanningEntry,
              Discipline, CommitteeMembership, RotationRecord)  # fmt: skip
    for model in models:
        found = set(model.__pydantic_decorators__.model_validators)
        assert found == MODEL_STEPS[model.__name__], model.__name__


def test_the_checks_are_what_the_models_raise() -> None:
    """Each declared check, violated, is the error its model raises (code and message)."""
    base = {"id": "CB1", "name": "Lê Văn A", "gender": "nam", "date_of_birth": "01/01/1970"}
    bad = {
        "implausible_age": {**base, "date_of_birth": "01/01/1899"},
        "inconsistent": {**base, "criminal_proceedings": True, "under_investigation": False},
    }
    for code, data in bad.items():
        with pytest.raises(Exception) as info:
            Cadre.model_validate(data)
        assert code in str(info.value)
    for check in CHECKS["Cadre"]:
        assert check.fields and check.code in {"implausible_age", "inconsistent"}
    assert NotBefore("x", "m", later="b", earlier="a").violated(date(2020, 1, 1), date(2021, 1, 1))
    assert not NotBefore("x", "m", later="b", earlier="a").violated(None, date(2021, 1, 1))
    assert Excludes("x", "m", first="a", first_values=(True,), second="b",
                    second_values=(False,)).violated(True, False)  # fmt: skip
    assert not Excludes("x", "m", first="a", first_values=(True,), second="b",
                        second_values=(False,)).violated(1, False)  # fmt: skip
    assert YearAtLeast("x", "m", field="d", year=1900).violated(date(1899, 12, 31))
    assert not YearAtLeast("x", "m", field="d", year=1900).violated(date(1900, 1, 1))


def _frame(n: int = 30, seed: int = 5) -> pd.DataFrame:
    return requests_frame(state_fields(population(n, seed=seed), seed))


def test_records_dated_after_the_evaluation_date_go_the_model_way() -> None:
    frame = _frame()
    frame["Giấy khám sức khỏe ngày"] = date(2030, 1, 1)
    frame.loc[frame.index[:5], "Ngày phê duyệt quy hoạch"] = "01/01/2099"
    frame["Ngày sinh con nhỏ nhất"] = date(2029, 5, 5)
    _same_as_the_model_way(frame, E2, reasons=False)


def test_rows_with_their_own_dates_and_no_id_column() -> None:
    frame = _frame(40, 7).drop(columns=["Mã cán bộ"])
    frame.insert(0, "STT", [str(i) if i % 3 else None for i in range(len(frame))])
    frame["Ngày đánh giá"] = [E1 if i % 2 else "01/03/2026" for i in range(len(frame))]
    frame["Xếp loại năm trước"] = ["HTT" if i % 4 else None for i in range(len(frame))]
    columns = _same_as_the_model_way(frame, None, reasons=True)
    assert (columns["status"] == "ok").all()


_BAD_CELLS = st.sampled_from(
    [None, "", " ", "không", "có", "31/02/2024", "2024", "05/2023", "1/1/1800", 1850, 0, -3,
     1.5, True, 25, "abc", "Cảnh cáo Đảng 8/2023", "Xã", "tinh", "nam", "Nữ", "htt;ht", "a;b",
     date(2030, 1, 1), date(1899, 1, 1), "\u202eX", "\u200b", np.nan]
)  # fmt: skip


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 11), st.integers(0, 200), _BAD_CELLS), max_size=40))
def test_random_bad_cells_give_the_model_ways_frame(edits: list[tuple[int, int, Any]]) -> None:
    frame = _frame(12, 3).astype(object)
    for row, col, value in edits:
        frame.iat[row, col % frame.shape[1]] = value
    _same_as_the_model_way(frame, E2, reasons=False)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_a_text_cell_reads_as_text(cell: str) -> None:
    """The reader's fast way for text columns (``text`` over the distinct cells) is what
    ``parse_cell`` does with a text cell, and a blank one is what ``is_empty`` calls empty."""
    from luanchuyen.records.cells import is_empty, parse_cell, text
    from luanchuyen.records.columns import FLAT_COLUMNS

    for col in FLAT_COLUMNS:
        if col.kind in ("text", "title") and col.group is None:
            assert is_empty(cell) == (text(cell) == "")
            if not is_empty(cell):
                assert parse_cell(col, cell, []) == text(cell)


def test_workers_read_their_rows_by_columns_too(tables: dict[str, pd.DataFrame]) -> None:
    """``workers=2`` on a table: each worker reads its rows column by column; the frame is
    the one process's (bad rows included, in input order)."""
    frame = pd.concat([tables["corpus"], tables["synth"].head(60)], ignore_index=True)
    rules = load_rules("qd65", "nha-nuoc")
    one = evaluate_many(frame, as_of=E1, rules=rules, reasons=False)
    two = evaluate_many(frame, as_of=E1, rules=rules, reasons=False, workers=2)
    pd.testing.assert_frame_equal(one, two)
    assert (one["status"] == "error").any() and (one["status"] == "ok").any()


def test_tables_read_by_columns_in_many_threads(tables: dict[str, pd.DataFrame]) -> None:
    """Four threads evaluating tables at once (the collector pause is shared) give what one
    thread gives, and leave the collector as it was."""
    import gc
    import threading

    frames = [tables["synth"], tables["corpus"], tables["state"], tables["board"]]
    rules = load_rules("qd65", "nha-nuoc")
    alone = [evaluate_many(f, as_of=E2, rules=rules, reasons=False) for f in frames]
    got: dict[int, list[pd.DataFrame]] = {}

    def run(k: int) -> None:
        got[k] = [evaluate_many(f, as_of=E2, rules=rules, reasons=False) for f in frames * 2]

    assert gc.isenabled()
    threads = [threading.Thread(target=run, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert gc.isenabled()
    for k in range(4):
        for out, expected in zip(got[k], alone * 2, strict=True):
            pd.testing.assert_frame_equal(out, expected)


def test_a_reader_that_fails_loses_no_row_and_quotes_no_cell(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """If the column way raises, the block goes the model way (same frame), and the warning
    names the exception's type, never its message (which may quote a record)."""
    frame = _frame(20, 9)
    expected = _same_as_the_model_way(frame, E2, reasons=False)

    def boom(*args: Any, **kw: Any) -> Any:
        raise ValueError("Nguyễn Văn Bí Mật 01/02/1970")

    monkeypatch.setattr(columnar, "read_coded", boom)
    with pytest.warns(RuntimeWarning) as caught:
        got = evaluate_many(frame, as_of=E2, rules=load_rules("qd65", "nha-nuoc"), reasons=False)
    pd.testing.assert_frame_equal(got, expected)
    assert all("Bí Mật" not in str(w.message) for w in caught)
    assert any("ValueError" in str(w.message) for w in caught)


_SPACES_AND_INVISIBLES = [
    *" \t\n\u00a0\u3000\u2028xA\u0301",
    *"\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e",
]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(_SPACES_AND_INVISIBLES)))
def test_invisible_text_is_found_as_before(value: str) -> None:
    """``_types._nfc`` refuses a text made only of invisible characters and white space (the
    per-character rule), looking past the first character only when it is invisible."""
    import unicodedata

    from pydantic_core import PydanticCustomError

    from luanchuyen.models import _types

    text = unicodedata.normalize("NFC", value).strip()
    invisible = bool(text) and all(ch in _types._INVISIBLE or ch.isspace() for ch in text)
    try:
        assert _types._nfc(value) == text
        refused = False
    except PydanticCustomError:
        refused = True
    assert refused == invisible


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127)) | st.text())
def test_the_ascii_shortcut_reads_text_as_nfc_and_strip(value: str) -> None:
    """``records.cells.text`` and ``_types._nfc`` take ASCII text by ``strip()`` alone: the
    same as NFC then ``strip()`` (ASCII is its own NFC, and holds no bidirectional control
    and no invisible character), on every text Hypothesis finds (the ASCII controls
    ``\\x1c``–``\\x1f``, which ``strip()`` removes, included)."""
    import unicodedata

    from pydantic_core import PydanticCustomError

    from luanchuyen.models import _types
    from luanchuyen.records.cells import text

    expected = unicodedata.normalize("NFC", value).strip()
    assert text(value) == expected
    try:
        assert _types._nfc(value) == expected
    except PydanticCustomError:
        assert not value.isascii()


@given(st.dates() | st.datetimes())
def test_a_date_is_validated_as_to_date_does(value: date) -> None:
    """``_types._to_date``'s first case (an exact ``date``) is ``dates.to_date``'s, in range
    or refused alike; a datetime (a subclass) still goes ``to_date`` and keeps its day."""
    from pydantic_core import PydanticCustomError

    from luanchuyen.dates import to_date
    from luanchuyen.models import _types

    expected = to_date(value)
    try:
        got = _types._to_date(value)
    except PydanticCustomError:
        assert not _types.DATE_MIN <= expected <= _types.DATE_MAX
    else:
        assert got == expected and type(got) is date


@pytest.mark.parametrize(
    "index",
    [
        pd.RangeIndex(3, 9),
        pd.Index(np.array([5, -2, 7], np.int64)),
        pd.Index(np.array([1, 250, 3], np.uint8)),
        pd.Index([True, False, True]),
        pd.Index([1.5, float("nan"), 3.0]),
        pd.Index([np.int64(4), "dòng 5", None, np.float64("nan")], dtype=object),
        pd.Index(["a", "b", None]),
        pd.MultiIndex.from_tuples([(1, "x"), (2, "y")]),
    ],
    ids=["range", "int64", "uint8", "bool", "float-nan", "object", "text", "multi"],
)
def test_a_frames_labels_are_each_labels_label(index: pd.Index) -> None:
    """``_intake._labels`` (no step a label on an integer index) gives what ``_label`` gives
    on each label: Python scalars, ``None`` for NaN."""
    from luanchuyen.batch._intake import _label, _labels

    got, expected = _labels(index), [_label(x) for x in index]
    assert [type(x) for x in got] == [type(x) for x in expected]
    assert [None if x is None else repr(x) for x in got] == [
        None if x is None else repr(x) for x in expected
    ]


@pytest.mark.parametrize(
    ("values", "codes"),
    [
        (["CB1", "Nguyễn Thị Ánh", None], None),
        ([None, None], None),
        (["a", 3], None),
        (["có", "không"], np.array([1, -1, 0, 1], np.int64)),
        (["x"], np.array([-1, -1], np.int64)),
        ([], np.zeros(0, np.int64)),
    ],
    ids=["text", "no-cell", "not-text", "coded", "coded-empty", "no-row"],
)
def test_a_text_column_has_the_dtype_pandas_infers(values: list[Any], codes: Any) -> None:
    """``_columnar._texts`` (built by Arrow) is the column pandas makes of the cells' list:
    same values, same dtype (``str`` with text, ``object`` without)."""
    cells = values if codes is None else [None if k < 0 else values[k] for k in codes.tolist()]
    expected = pd.Series(cells, dtype=object if not cells else None)
    got = pd.Series(columnar._texts(values, codes), dtype=object if not cells else None)
    pd.testing.assert_series_equal(got, expected)


def _settled_fields() -> list[tuple[type[Any], str, str]]:
    import luanchuyen.models as models
    from luanchuyen.models._types import settled_kind

    out = []
    for name in sorted(dir(models)):
        model = getattr(models, name)
        if isinstance(model, type) and hasattr(model, "model_fields"):
            for field, info in model.model_fields.items():
                kind = settled_kind(info)
                if kind is not None:
                    out.append((model, field, kind))
    return out


_SETTLED = _settled_fields()


def test_the_settled_fields_are_the_text_and_date_fields() -> None:
    """Every Text and VnDate field is recognised (ids, names, titles, dates…), and no field
    with another constraint or type."""
    found = {(m.__name__, f): k for m, f, k in _SETTLED}
    assert found[("Cadre", "id")] == "text" and found[("Position", "title")] == "text"
    assert found[("CurrentPost", "since")] == "date" and found[("Move", "planned_end")] == "date"
    assert ("Cadre", "gender") not in found and ("Cadre", "retirement_age_months") not in found
    assert len(found) >= 25


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(_SETTLED),
    st.lists(
        st.text(alphabet=st.characters(max_codepoint=127), max_size=6)
        | st.text(max_size=4)
        | st.dates()
        | st.datetimes(),
        max_size=6,
    ),
)
def test_settled_values_are_what_the_field_gives(
    field: tuple[type[Any], str, str], values: list[Any]
) -> None:
    """When ``_types.settled`` says a field's validator returns every value as it is, the
    field's own adapter (``records.coded._adapter``) returns exactly those values."""
    from luanchuyen.models._types import settled
    from luanchuyen.records.coded import _adapter

    model, name, kind = field
    if settled(kind, values):  # type: ignore[arg-type]
        got = _adapter(model, name, many=True).validate_python(values)
        assert got == values and [type(v) for v in got] == [type(v) for v in values]

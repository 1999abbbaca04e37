"""Batch evaluation: one row per input, bad rows kept with coded errors, equal to evaluate()."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
import pytest

import luanchuyen.batch._intake as intake_mod
import luanchuyen.batch._rows as rows_mod
from factories import base_cadre, base_move, example_data_module, row_outcomes
from luanchuyen import evaluate, load_rules
from luanchuyen.batch import (
    CRITERIA_COLUMNS,
    RESULT_COLUMNS,
    BatchResult,
    cross,
    decisions_frame,
    evaluate_many,
    summarise,
)
from luanchuyen.engine.reference import ReferenceBackend
from luanchuyen.errors import EngineError, InputError
from luanchuyen.io import tables
from luanchuyen.render.html import batch_html

ROOT = Path(__file__).resolve().parent.parent
E1 = date(2024, 6, 1)
E2 = date(2026, 3, 1)


@pytest.fixture(scope="module")
def ex() -> ModuleType:
    return example_data_module()


@pytest.fixture(scope="module")
def chi_lang() -> Any:
    return load_rules("chi-lang-2024")


class SpyBackend:
    """A reference backend that records its calls."""

    name = "spy"

    def __init__(self, *, many: bool = True, fail_many: bool = False) -> None:
        self._ref = ReferenceBackend()
        self.many_calls: list[int] = []
        self.single_calls = 0
        self.fail_many = fail_many
        if not many:
            self.states_many = None  # type: ignore[assignment]

    def states(self, compiled: Any, facts: Mapping[str, Any]) -> Any:
        self.single_calls += 1
        if facts.get("age_months", 0) > 700:
            raise EngineError("engine_failure", "hỏng", "broken")
        return self._ref.states(compiled, facts)

    def states_many(self, compiled: Any, facts: Sequence[Mapping[str, Any]]) -> Any:
        self.many_calls.append(len(facts))
        if self.fail_many:
            raise EngineError("engine_failure", "hỏng cả lô", "batch broken")
        return self._ref.states_many(compiled, facts)


# --------------------------------------------------------------------------- equality


def _none(series: pd.Series) -> list[Any]:
    return [None if pd.isna(x) else x for x in series]


def _check_equal(
    row: Mapping[str, Any], crit: pd.DataFrame, cadre: Any, move: Any, day: date, rules: Any
) -> None:
    d = evaluate(cadre, move, as_of=day, rules=rules, backend="reference")
    assert row["verdict"] == d.verdict.value
    assert bool(row["priority"]) == d.priority
    assert row["blocking_rules"] == d.blocking
    assert row["review_rules"] == [
        c.rule_id for c in d.criteria if c.outcome.value == "fail" and c.applied_effect == "review"
    ]
    assert row["warning_rules"] == [
        c.rule_id for c in d.criteria if c.outcome.value == "fail" and c.applied_effect == "warn"
    ]
    assert row["priority_rules"] == [
        c.rule_id for c in d.criteria if c.effect == "priority" and c.outcome.value == "pass"
    ]
    assert row["remaining_service_months"] == d.facts.get("remaining_service_months")
    assert row["age_months"] == d.facts.get("age_months")
    assert pd.Timestamp(row["retirement_date"]).date() == d.context["retirement_date"]
    assert row["ruleset"] == d.provenance.ruleset_signature
    mine = crit.loc[crit["row"] == row["row"]]
    assert list(mine["rule_id"]) == [c.rule_id for c in d.criteria]
    assert list(mine["outcome"]) == [c.outcome.value for c in d.criteria]
    assert list(mine["message_vi"]) == [c.message.vi for c in d.criteria]
    assert _none(mine["applied_effect"]) == [c.applied_effect for c in d.criteria]


@pytest.mark.parametrize("backend", ["reference", "vector"])
def test_batch_equals_single_evaluation_row_by_row(
    ex: ModuleType, chi_lang: Any, backend: str
) -> None:
    pairs: list[tuple[Any, Any, date]] = [(c, m, E1) for c, m in ex.plan_moves()]
    cadres, positions = ex.cadres(), ex.positions()
    pairs += [
        (c, {"kind": "luan_chuyen", "target": p}, E1)
        for c, p in zip(cadres[::3], positions * 2, strict=False)
    ]
    pairs += [(c, {"kind": "biet_phai", "target": positions[0], "planned_start": "01/07/2024", "planned_end": "01/07/2026"}, E1) for c in cadres[1::5]]  # fmt: skip
    pairs += [(base_cadre(), base_move(), E2), (base_cadre(ratings={2025: "kht"}), base_move(), E2)]
    frame, crit = evaluate_many(pairs, as_of=None, rules=chi_lang, backend=backend, criteria=True)  # type: ignore[arg-type]
    assert len(frame) == len(pairs)
    assert list(frame.columns) == list(RESULT_COLUMNS)
    assert list(crit.columns) == list(CRITERIA_COLUMNS)
    assert set(frame["verdict"]) >= {"eligible", "not_eligible", "needs_review"}
    for row, (cadre, move, day) in zip(frame.to_dict("records"), pairs, strict=True):
        _check_equal(row, crit, cadre, move, day, chi_lang)


def test_frame_pairs_and_mappings_give_the_same_rows(
    ex: ModuleType, chi_lang: Any, tmp_path: Path
) -> None:
    pairs = ex.plan_moves()
    from_pairs = evaluate_many(pairs, as_of=E1, rules=chi_lang, backend="reference")
    from_dicts = evaluate_many(
        [{"cadre": c.model_dump(mode="json"), "move": m.model_dump(mode="json"), "as_of": "2024-06-01"} for c, m in pairs],
        as_of=None,
        rules=chi_lang,
        backend="reference",
    )  # fmt: skip
    sheet = tables.read_table(tables.write_table(tables.requests_frame(pairs), tmp_path / "p.xlsx"))
    from_sheet = evaluate_many(sheet, as_of=E1, rules=chi_lang, backend="reference")
    assert list(from_sheet["source_row"]) == list(range(2, 2 + len(pairs)))
    cols = [c for c in RESULT_COLUMNS if c != "source_row"]
    pd.testing.assert_frame_equal(from_pairs[cols], from_dicts[cols])
    pd.testing.assert_frame_equal(from_pairs[cols], from_sheet[cols])


# --------------------------------------------------------------------------- bad rows


_BAD_KINDS: list[tuple[str, str, Any, str]] = [
    ("wrong_date", "Ngày sinh", "31/02/1980", "invalid_date"),
    ("wrong_post_date", "Giữ chức vụ từ ngày", "32/13/2020", "invalid_date"),
    ("unknown_level", "Cấp hiện tại", "liên xã", "invalid_enum"),
    ("unknown_kind", "Hình thức", "thuyên chuyển", "invalid_enum"),
    ("birth_after_as_of", "Ngày sinh", "01/01/2030", "birth_after_as_of"),
    ("missing_name", "Họ và tên", None, "missing_field"),
    ("missing_target", "Vị trí đến", None, "missing_field"),
    ("bad_boolean", "Đang bị điều tra", "chưa biết", "invalid_value"),
]


@pytest.mark.slow
def test_two_thousand_rows_with_five_percent_bad_rows(
    ex: ModuleType, chi_lang: Any, tmp_path: Path
) -> None:
    base = tables.requests_frame(ex.plan_moves())
    base = base.loc[:, base.notna().any()]  # only the columns the example uses
    n = 2_000  # 100 bad rows of every kind in turn (10,000 rows took 71 s of the suite)
    big = pd.concat([base] * (n // len(base) + 1), ignore_index=True).iloc[:n].copy()
    big["Mã cán bộ"] = [f"CB{i:05d}" for i in range(n)]
    expected: dict[int, tuple[str, str]] = {}
    for j, i in enumerate(range(7, n, 20)):  # 5 %
        kind, column, value, code = _BAD_KINDS[j % len(_BAD_KINDS)]
        big.at[i, column] = value
        expected[i] = (code, kind)
    assert len(expected) == n // 20
    path = tables.write_table(big, tmp_path / "big.xlsx")
    sheet = tables.read_table(path)
    out = evaluate_many(sheet, as_of=E1, rules=chi_lang)
    assert len(out) == n
    assert list(out["row"]) == list(range(n))
    assert list(out["cadre_id"].iloc[:3]) == ["CB00000", "CB00001", "CB00002"]
    errors = out.loc[out["status"] == "error"]
    assert set(errors["row"]) == set(expected)
    for rec in errors.to_dict("records"):
        code, kind = expected[rec["row"]]
        assert rec["error_code"] == code, (kind, rec["error_message_en"])
        assert rec["error_message_vi"] and rec["error_message_en"]
        assert rec["source_row"] == rec["row"] + 2  # the line an analyst sees in Excel
        if kind != "missing_name":
            assert rec["cadre_name"]
        column = next(k[1] for k in _BAD_KINDS if k[0] == kind)
        if kind != "birth_after_as_of":
            assert f"«{column}»" in rec["error_message_vi"], rec["error_message_vi"]
    good = out.loc[out["status"] != "error"]
    assert good["error_code"].isna().all()
    assert set(good["verdict"]) <= {"eligible", "needs_review", "not_eligible", "unknown"}


def test_bad_items_become_error_rows_and_never_stop_the_batch() -> None:
    items: list[Any] = [
        (base_cadre(), base_move()),
        (base_cadre(gender="không rõ"), base_move()),
        ({"id": "X", "name": "Y"}, base_move()),
        (base_cadre(date_of_birth="01/01/2030"), base_move()),
        "not a pair",
        InputError("invalid_input", "dòng hỏng", "broken line", field="line 4"),
        (base_cadre(), base_move(), "30/02/2024"),
        (base_cadre(), base_move(target={"title": "Bí thư xã", "level": "thôn"})),
        (base_cadre(), base_move()),
    ]
    out = evaluate_many(items, as_of=E1, backend="reference")
    assert len(out) == len(items)
    assert _none(out["error_code"]) == [
        None, "invalid_enum", "missing_field", "birth_after_as_of", "invalid_input",
        "invalid_input", "invalid_date", "invalid_enum", None,
    ]  # fmt: skip
    assert out.loc[1, "cadre_id"] == "TC01" and out.loc[1, "error_field"] == "cadre.gender"
    assert out.loc[7, "target_title"] == "Bí thư xã"
    assert out.loc[5, "reason_vi"] == "dòng hỏng"
    assert out.loc[1, "priority"] is pd.NA
    assert out.loc[0, "verdict"] == out.loc[8, "verdict"] == "eligible"


def test_unexpected_exception_in_one_row_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    real = intake_mod.derive_facts

    def flaky(cadre: Any, move: Any, as_of: date, params: Any) -> Any:
        if cadre.id == "BOOM":
            raise ZeroDivisionError("division by zero")
        return real(cadre, move, as_of, params)

    monkeypatch.setattr(intake_mod, "derive_facts", flaky)
    out = evaluate_many(
        [
            (base_cadre(), base_move()),
            (base_cadre(id="BOOM"), base_move()),
            (base_cadre(), base_move()),
        ],
        as_of=E1,
        backend="reference",
    )
    assert row_outcomes(out) == ["eligible", "error", "eligible"]
    assert out.loc[1, "error_code"] == "unexpected_error"
    assert "ZeroDivisionError" in out.loc[1, "error_message_en"]


def test_missing_as_of_is_a_row_error_and_a_bad_argument_raises() -> None:
    out = evaluate_many(
        [(base_cadre(), base_move()), (base_cadre(), base_move(), E1)],
        as_of=None,
        backend="reference",
    )
    assert row_outcomes(out) == ["error", "eligible"]
    assert out.loc[0, "error_field"] == "as_of"
    with pytest.raises(InputError) as info:
        evaluate_many([], as_of="31/02/2024")
    assert info.value.code == "invalid_date"
    with pytest.raises(InputError):
        evaluate_many(42, as_of=E1)


# --------------------------------------------------------------------------- engine calls


def test_one_states_many_call_per_compiled_rule_set(chi_lang: Any) -> None:
    spy = SpyBackend()
    rows = [(base_cadre(id=f"A{i}"), base_move()) for i in range(30)]
    rows += [(base_cadre(id=f"B{i}"), base_move(), E2) for i in range(5)]
    out = evaluate_many(rows, as_of=E1, rules=chi_lang, backend=spy)  # type: ignore[arg-type]
    assert sorted(spy.many_calls) == [5, 30]
    assert spy.single_calls == 0
    assert (out["ruleset"].iloc[:30].nunique(), out["ruleset"].iloc[30:].nunique()) == (1, 1)
    assert out["ruleset"].iloc[0] != out["ruleset"].iloc[-1]


def test_backend_without_states_many_or_failing_batch_falls_back_per_row() -> None:
    rows = [(base_cadre(), base_move()), (base_cadre(date_of_birth="01/01/1966"), base_move())]
    plain = SpyBackend(many=False)
    out = evaluate_many(rows, as_of=E1, backend=plain)  # type: ignore[arg-type]
    assert plain.single_calls == 2 and plain.many_calls == []
    assert row_outcomes(out) == ["eligible", "error"]
    assert out.loc[1, "error_code"] == "engine_failure"
    broken = SpyBackend(fail_many=True)
    out2 = evaluate_many(rows, as_of=E1, backend=broken)  # type: ignore[arg-type]
    assert broken.many_calls == [2] and broken.single_calls == 2
    assert row_outcomes(out2) == ["eligible", "error"]


def test_vector_falls_back_to_reference_when_it_cannot_import(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "luanchuyen.engine.vector", None)
    monkeypatch.setattr(rows_mod, "_fallback_warned", False)
    with pytest.warns(RuntimeWarning, match="vector"):
        out = evaluate_many([(base_cadre(), base_move())], as_of=E1)
    assert out.loc[0, "verdict"] == "eligible"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        evaluate_many([(base_cadre(), base_move())], as_of=E1)  # warned once only


def test_workers_preserve_order_and_results(ex: ModuleType, chi_lang: Any) -> None:
    flat = cross(ex.cadres()[:12], ex.positions(), kind="luan_chuyen")
    assert isinstance(flat, list) and len(flat) == 96
    items: list[Any] = [*flat, ("not", "valid", "pair", "at all")]
    serial = evaluate_many(items, as_of=E1, rules=chi_lang, backend="reference")
    seen: list[tuple[int, int]] = []
    parallel = evaluate_many(
        items,
        as_of=E1,
        rules=chi_lang,
        backend="reference",
        workers=2,
        progress=lambda d, t: seen.append((d, t)),
    )
    pd.testing.assert_frame_equal(serial, parallel)
    assert seen[-1] == (97, 97)
    with pytest.raises(InputError):
        evaluate_many(items, as_of=E1, backend=SpyBackend(), workers=2)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- cross, helpers


def test_cross_of_frames_keeps_bad_cells_as_error_rows(ex: ModuleType, chi_lang: Any) -> None:
    cad = tables.cadres_frame(ex.cadres()[:4])
    pos = tables.positions_frame(ex.positions()[:3])
    pos.loc[1, "Cấp"] = "thôn"
    flat = cross(
        cad,
        pos,
        kind="Luân chuyển",
        move={"planned_start": "01/07/2024", "planned_end": "01/07/2027"},
    )
    assert isinstance(flat, pd.DataFrame) and len(flat) == 12
    assert list(flat.index[:3]) == ["0×0", "0×1", "0×2"]
    out = evaluate_many(flat, as_of=E1, rules=chi_lang, backend="reference")
    bad = out.loc[out["status"] == "error"]
    assert list(bad["source_row"]) == ["0×1", "1×1", "2×1", "3×1"]
    assert set(bad["error_code"]) == {"invalid_enum"}
    assert "«Cấp đến»" in bad["error_message_vi"].iloc[0]
    assert (out.loc[out["status"] != "error", "move_kind"] == "luan_chuyen").all()
    models = cross(
        ex.cadres()[:4],
        ex.positions()[:3],
        kind="luan_chuyen",
        move={"planned_start": "01/07/2024", "planned_end": "01/07/2027"},
    )
    from_models = evaluate_many(models, as_of=E1, rules=chi_lang, backend="reference")
    good = out["status"] != "error"
    assert list(out.loc[good, "verdict"]) == list(from_models.loc[good, "verdict"])


def test_decisions_frame_matches_batch_rows(ex: ModuleType, chi_lang: Any) -> None:
    pairs = ex.plan_moves()
    decisions = [evaluate(c, m, as_of=E1, rules=chi_lang, backend="reference") for c, m in pairs]
    frame = decisions_frame(decisions)
    out = evaluate_many(pairs, as_of=E1, rules=chi_lang, backend="reference")
    for col in ("verdict", "priority", "blocking_rules", "review_rules", "info_rules", "remaining_service_months", "priority_grounds"):  # fmt: skip
        assert list(frame[col]) == list(out[col]), col
    assert frame["current_body"].isna().all()


def test_priority_grounds_count_one_ground_once(chi_lang: Any) -> None:
    young = base_cadre(date_of_birth="20/07/1990")
    out = evaluate_many([(young, base_move())], as_of=E1, rules=chi_lang, backend="reference")
    assert out.loc[0, "priority_rules"] == ["youth_priority_under_40", "chilang_youth_priority_c4"]
    assert out.loc[0, "priority_grounds"] == ["age_months"]


def test_progress_summary_and_html() -> None:
    calls: list[tuple[int, int]] = []
    items = [
        (base_cadre(name="<b>Lê & Trần</b>"), base_move()),
        (base_cadre(gender="?"), base_move()),
    ]
    out = evaluate_many(
        items, as_of=E1, backend="reference", progress=lambda d, t: calls.append((d, t))
    )
    assert calls == [(2, 2)]
    assert summarise(out) == {
        "eligible": 1,
        "needs_review": 0,
        "unknown": 0,
        "not_eligible": 0,
        "error": 1,
    }
    html = batch_html(out)
    assert "&lt;b&gt;Lê &amp; Trần&lt;/b&gt;" in html and "<b>Lê" not in html
    assert "#c6efce" in html and "#d9d9d9" in html
    assert "[invalid_enum]" in html and "Lỗi dữ liệu: <b>1</b>" in html
    result = BatchResult(out)
    assert result._repr_html_() == html
    assert "… và 1 dòng nữa" in batch_html(out, max_rows=1)


# --------------------------------------------------------------------------- plots, imports


def test_plots_draw_the_counts_and_thresholds(
    ex: ModuleType, chi_lang: Any, tmp_path: Path
) -> None:
    from luanchuyen.render.plots import (
        overview_figure,
        plot_remaining_service,
        plot_verdicts_by_unit,
    )

    flat = cross(ex.cadres()[:10], ex.positions()[:4], kind="luan_chuyen")
    out = evaluate_many([*flat, ("bad", "item")], as_of=E1, rules=chi_lang, backend="reference")
    ax = plot_verdicts_by_unit(out, by="target_body")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "(không rõ)" in labels  # the error row has no target unit
    widths: dict[float, float] = {}
    for bar in ax.patches:
        widths[bar.get_y()] = widths.get(bar.get_y(), 0) + bar.get_width()
    assert sorted(widths.values()) == [1, 10, 10, 10, 10]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    from luanchuyen.render.labels import label

    shown = {label("verdict_short", v) for v in out.loc[out["status"] == "ok", "verdict"]}
    assert set(legend) == shown | {label("status", "error")}
    hist = plot_remaining_service(out)
    assert sum(p.get_height() for p in hist.patches) == 10  # one count per cadre
    assert sorted(line.get_xdata()[0] for line in hist.get_lines()) == [120, 180]
    fig = overview_figure(out, title="thử")
    path = tmp_path / "plot.png"
    fig.savefig(path, dpi=40)
    assert path.stat().st_size > 1000


def test_docs_plot_is_committed_and_small() -> None:
    png = ROOT / "docs" / "img" / "plot.png"
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) < 150_000


def test_import_stays_light() -> None:
    import subprocess

    code = (
        "import sys, time; t = time.perf_counter(); import luanchuyen; "
        "import luanchuyen.batch, luanchuyen.analysis.ranking, luanchuyen.analysis.plan, luanchuyen.analysis.forecast, "
        "luanchuyen.io.tables, luanchuyen.render.plots, luanchuyen.cli.batch; "
        "print(sorted(m for m in ('pandas', 'matplotlib', 'openpyxl', 'numpy') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stdout


@pytest.mark.parametrize(
    "module",
    [
        "luanchuyen.batch",
        "luanchuyen.io.tables",
        "luanchuyen.analysis.forecast",
        "luanchuyen.render.labels",
        "luanchuyen.verdict",
        "luanchuyen.results",
    ],
)
def test_docstring_examples_run(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0

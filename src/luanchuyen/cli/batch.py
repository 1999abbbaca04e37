"""``luanchuyen batch`` (spreadsheets in, results out) and ``luanchuyen schema``."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer

from luanchuyen.cli import app
from luanchuyen.errors import InputError, LuanChuyenError

if TYPE_CHECKING:
    import pandas as pd

    from luanchuyen.evaluation import BackendName

_STYLE = {
    "eligible": "bold green",
    "needs_review": "bold yellow",
    "unknown": "bold magenta",
    "not_eligible": "bold red",
    "error": "bold white on red",
}
_PROGRESS_FROM = 500  # rows; smaller batches finish before a bar is useful


def _fail(exc: LuanChuyenError) -> None:
    typer.echo(f"Lỗi [{exc.code}] {exc.message_vi}\nError [{exc.code}] {exc.message_en}", err=True)
    raise typer.Exit(2)


def _read_list(path: Path, key: str) -> list[Any]:
    from luanchuyen.io.tables import read_jsonl

    out: list[Any] = []
    for item in read_jsonl(path):
        if isinstance(item, InputError):
            raise item
        out.append(item.get(key, item) if isinstance(item, dict) else item)
    return out


def _inputs(path: Path, positions: Path | None, kind: str, sheet: str | None) -> Any:
    from luanchuyen.batch import cross
    from luanchuyen.io.tables import read_requests, read_table

    if positions is None:
        return read_requests(path, sheet=sheet)
    jsonl = {".jsonl", ".ndjson"}
    cadres = (
        _read_list(path, "cadre") if path.suffix.lower() in jsonl else read_table(path, sheet=sheet)
    )
    posts = (
        _read_list(positions, "position")
        if positions.suffix.lower() in jsonl
        else read_table(positions)
    )
    return cross(cadres, posts, kind=kind)


def _count(data: Any) -> int:
    try:
        return len(data)
    except TypeError:  # pragma: no cover - every reader returns a sized object
        return 0


@app.command()
def batch(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help="Tệp .xlsx, .csv hoặc .jsonl (bảng phẳng, hoặc bảng cán bộ với --positions)"
        ),
    ],
    as_of: Annotated[str, typer.Option("--as-of", help="Ngày đánh giá YYYY-MM-DD hoặc dd/mm/yyyy")],
    out: Annotated[Path, typer.Option("--out", help="Tệp kết quả .xlsx, .csv hoặc .jsonl")],
    rules: Annotated[
        list[str] | None,
        typer.Option("--rules", help="Bộ quy tắc bổ sung (overlay), ví dụ chi-lang-2024"),
    ] = None,
    locality: Annotated[
        str | None, typer.Option("--locality", help="Địa phương (chọn overlay)")
    ] = None,
    positions: Annotated[
        Path | None, typer.Option("--positions", help="Bảng vị trí: xét mọi cán bộ × mọi vị trí")
    ] = None,
    kind: Annotated[
        str, typer.Option("--kind", help="Hình thức khi dùng --positions (luan_chuyen, dieu_dong…)")
    ] = "luan_chuyen",
    criteria: Annotated[bool, typer.Option("--criteria", help="Ghi thêm từng tiêu chí")] = False,
    backend: Annotated[
        str, typer.Option("--backend", help="vector, reference hoặc durable")
    ] = "vector",
    workers: Annotated[
        int | None, typer.Option("--workers", help="Số tiến trình song song")
    ] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="Tên trang tính Excel")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Thoát mã 1 nếu có dòng lỗi")] = False,
    reasons: Annotated[
        bool,
        typer.Option(
            "--reasons/--no-reasons",
            help="Ghi lý do chính của từng dòng (--no-reasons: nhanh hơn, cho quy mô lớn)",
        ),
    ] = True,
) -> None:
    """Đánh giá hàng loạt từ bảng tính / evaluate a spreadsheet of cadres and moves."""
    from rich.console import Console

    from luanchuyen.batch import evaluate_many
    from luanchuyen.cli import split_pack_args
    from luanchuyen.dates import to_date
    from luanchuyen.io.tables import write_results
    from luanchuyen.models.enums import MoveKind
    from luanchuyen.ruleset.compile import RuleSet

    console = Console(stderr=True)
    try:
        engine = _backend(backend)
        day = to_date(as_of, "--as-of")
        move_kind = MoveKind.parse(kind, field="--kind").value
        names, dirs = split_pack_args(rules)
        rs = RuleSet.load(*names, locality=locality, pack_dirs=dirs)
        datasets = [(p, _inputs(p, positions, move_kind, sheet)) for p in inputs]
    except LuanChuyenError as exc:
        _fail(exc)
        return
    total = sum(_count(d) for _, d in datasets)
    frames: list[pd.DataFrame] = []
    crit_frames: list[pd.DataFrame] = []
    try:
        with _progress(console, total) as advance:
            for path, data in datasets:
                offset = _Offset(advance, sum(len(f) for f in frames))
                if criteria:  # the long per-criterion frame costs a full Decision per row
                    result, crit = evaluate_many(
                        data, as_of=day, rules=rs, backend=engine, criteria=True,
                        workers=workers, progress=offset,
                    )  # fmt: skip
                    crit_frames.append(crit)
                else:
                    result = evaluate_many(
                        data, as_of=day, rules=rs, backend=engine, workers=workers,
                        progress=offset, reasons=reasons,
                    )  # fmt: skip
                unknown = result.attrs.get("unknown_columns")
                if unknown:
                    console.print(
                        f"[yellow]{path.name}: bỏ qua cột không nhận ra / ignored columns: "
                        f"{', '.join(unknown)}[/]"
                    )
                if len(inputs) > 1:
                    result.insert(0, "source_file", path.name)
                frames.append(result)
    except LuanChuyenError as exc:
        _fail(exc)
        return
    import pandas as pd

    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    crit_all = pd.concat(crit_frames, ignore_index=True) if crit_frames else None
    try:
        write_results(frame, out, criteria=crit_all)
    except LuanChuyenError as exc:
        _fail(exc)
    except OSError as exc:
        typer.echo(f"Lỗi ghi tệp / cannot write {out}: {exc}", err=True)
        raise typer.Exit(2) from None
    errors = _summary(frame, out, day)
    if strict and errors:
        raise typer.Exit(1)


def _backend(name: str) -> BackendName:
    if name not in {"vector", "reference", "durable"}:
        raise InputError(
            "invalid_value",
            f"Bộ máy '{name}' không có; dùng vector, reference hoặc durable",
            f"Backend '{name}' does not exist; use vector, reference or durable",
            field="--backend",
        )
    return cast("BackendName", name)


class _Offset:
    """Progress callback of one input file, offset by the rows of the files before it."""

    def __init__(self, advance: Callable[[int], None], base: int) -> None:
        self._advance = advance
        self._base = base

    def __call__(self, done: int, total: int) -> None:
        self._advance(self._base + done)


class _NoProgress:
    def __enter__(self) -> Any:
        return lambda done: None

    def __exit__(self, *exc: object) -> None:
        return None


class _RichProgress:
    def __init__(self, console: Any, total: int) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        self._progress = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        )
        self._task = self._progress.add_task("Đang đánh giá / evaluating", total=total)

    def __enter__(self) -> Any:
        self._progress.start()
        return lambda done: self._progress.update(self._task, completed=done)

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()


def _progress(console: Any, total: int) -> _NoProgress | _RichProgress:
    return _RichProgress(console, total) if total >= _PROGRESS_FROM else _NoProgress()


def _summary(frame: pd.DataFrame, out: Path, day: date) -> int:
    """Print counts by verdict and the first error rows; return the number of error rows."""
    from rich.console import Console
    from rich.table import Table

    from luanchuyen.batch import summarise
    from luanchuyen.render.labels import label

    console = Console()
    counts = summarise(frame)
    table = Table(title=f"luanchuyen batch — {len(frame)} dòng · {day:%d/%m/%Y} → {out}")
    table.add_column("Kết luận / verdict")
    table.add_column("Mã / code")
    table.add_column("Số dòng / rows", justify="right")
    for verdict, n in counts.items():
        kind = "status" if verdict == "error" else "verdict"
        table.add_row(f"[{_STYLE.get(verdict, '')}]{label(kind, verdict)}[/]", verdict, str(n))
    table.add_row("Tổng / total", "", str(len(frame)), end_section=True)
    console.print(table)
    errors = frame.loc[frame["status"] == "error"]
    if len(errors):
        err_table = Table(title="Dòng lỗi / error rows (tối đa 20)")
        for col in ("Dòng", "Mã CB", "Mã lỗi", "Lỗi"):
            err_table.add_column(col)
        for rec in errors.head(20).to_dict("records"):
            line = rec.get("source_row")
            err_table.add_row(
                str(line if line is not None else rec.get("row")),
                str(rec.get("cadre_id") or ""),
                str(rec.get("error_code")),
                str(rec.get("error_message_vi")),
            )
        console.print(err_table)
    return len(errors)


@app.command()
def schema(
    model: Annotated[
        str, typer.Argument(help="cadre, position, move, case, decision hoặc all")
    ] = "all",
) -> None:
    """In JSON Schema (có $id và phiên bản) / print the JSON Schema of a model, with $id and version."""
    from luanchuyen.io.schema import SCHEMA_MODELS, json_schema

    name = model.strip().lower()
    if name != "all" and name not in SCHEMA_MODELS:
        choices = ", ".join((*SCHEMA_MODELS, "all"))
        _fail(
            InputError(
                "invalid_value",
                f"Không có mô hình '{model}'; chọn: {choices}",
                f"No model '{model}'; choose: {choices}",
                field="model",
            )
        )
    data: Any = {k: json_schema(k) for k in SCHEMA_MODELS} if name == "all" else json_schema(name)
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")

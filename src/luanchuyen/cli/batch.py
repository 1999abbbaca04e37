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

#: Exit codes of ``luanchuyen batch``: 0 done (error rows, if any, are in the output);
#: 1 with ``--strict``, some rows are errors; 2 a bad argument or an input that cannot be read
#: at all (coded message); 3 nothing could be read: no row, or every row is an error.
EXIT_SOME_ERRORS = 1
EXIT_BAD_INPUT = 2
EXIT_ALL_ERRORS = 3
_NOTES_SHOWN = 10


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


def _db_chunks(url: str, table: str | None, query: str | None, chunk: int) -> Any:
    """The database's rows as (name, chunk) pairs, read lazily (memory bounded by ``chunk``)."""
    from luanchuyen.io.db import read_db

    name = Path(f"db:{table or 'query'}")
    chunks = read_db(url, table=table, query=query, chunksize=chunk)
    first = next(chunks, None)  # a bad URL, table or query fails here, before any work
    if first is None:
        return []

    def pairs() -> Any:
        yield name, first
        for c in chunks:
            yield name, c

    return pairs()


def _count(data: Any) -> int:
    try:
        return len(data)
    except TypeError:  # pragma: no cover - every reader returns a sized object
        return 0


@app.command()
def batch(
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
    db: Annotated[
        str | None,
        typer.Option("--db", help="Cơ sở dữ liệu (URL SQLAlchemy, ví dụ sqlite:///can-bo.db)"),
    ] = None,
    table: Annotated[str | None, typer.Option("--table", help="Bảng cần đọc (với --db)")] = None,
    query: Annotated[str | None, typer.Option("--query", help="Câu SQL cần đọc (với --db)")] = None,
    write_table: Annotated[
        str | None, typer.Option("--write-table", help="Ghi kết quả vào bảng này (với --db)")
    ] = None,
    chunk: Annotated[int, typer.Option("--chunk", help="Số dòng mỗi lần đọc (với --db)")] = 10_000,
    inputs: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Tệp .xlsx, .csv hoặc .jsonl (bảng phẳng, hoặc bảng cán bộ với --positions)"
        ),
    ] = None,
) -> None:
    """Đánh giá hàng loạt từ bảng tính / evaluate a spreadsheet of cadres and moves."""
    from rich.console import Console

    console = Console(stderr=True)
    try:
        from luanchuyen.batch import evaluate_many
        from luanchuyen.cli import split_pack_args
        from luanchuyen.dates import to_date
        from luanchuyen.io.tables import write_results
        from luanchuyen.models.enums import MoveKind
        from luanchuyen.ruleset.compile import RuleSet

        engine = _backend(backend)
        day = to_date(as_of, "--as-of")
        move_kind = MoveKind.parse(kind, field="--kind").value
        names, dirs = split_pack_args(rules)
        rs = RuleSet.load(*names, locality=locality, pack_dirs=dirs)
        inputs = inputs or []
        datasets: Any
        if db is not None:
            if inputs or positions is not None:
                raise InputError(
                    "invalid_input",
                    "--db không dùng cùng tệp đầu vào hay --positions",
                    "--db is not used with input files or --positions",
                    field="--db",
                )
            datasets = _db_chunks(db, table, query, chunk)
        elif not inputs:
            raise InputError(
                "missing_field",
                "Cần tệp đầu vào hoặc --db",
                "An input file or --db is needed",
                field="inputs",
            )
        else:
            _refuse_overwriting(out, [*inputs, *([positions] if positions else [])], criteria)
            datasets = [(p, _inputs(p, positions, move_kind, sheet)) for p in inputs]
    except LuanChuyenError as exc:
        _fail(exc)
        return
    except KeyboardInterrupt:
        _interrupted(out)
    total = sum(_count(d) for _, d in datasets) if isinstance(datasets, list) else 0
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
                if _is_table(data):
                    _reading_notes(console, path, data, day)
                unknown = result.attrs.get("unknown_columns")
                if unknown:
                    console.print(
                        f"[yellow]{path.name}: bỏ qua cột không nhận ra / ignored columns: "
                        f"{', '.join(unknown)}[/]"
                    )
                if len(inputs or []) > 1:
                    result.insert(0, "source_file", path.name)
                frames.append(result)
    except LuanChuyenError as exc:
        _fail(exc)
        return
    except KeyboardInterrupt:
        _interrupted(out)
    import pandas as pd

    if not frames:
        _fail(InputError("table_file", "không có dòng nào", "no rows", field="--db"))
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    if db is not None:
        frame["row"] = range(len(frame))
        if write_table is not None:
            from luanchuyen.io.db import write_db

            try:
                write_db(frame, db, write_table)
            except LuanChuyenError as exc:
                _fail(exc)
    crit_all = pd.concat(crit_frames, ignore_index=True) if crit_frames else None
    try:
        write_results(frame, out, criteria=crit_all)
    except LuanChuyenError as exc:
        _fail(exc)
    except KeyboardInterrupt:
        _interrupted(out)
    except OSError as exc:
        typer.echo(f"Lỗi ghi tệp / cannot write {out}: {exc}", err=True)
        raise typer.Exit(2) from None
    errors = _summary(frame, out, day)
    if len(frame) == 0 or errors == len(frame):
        typer.echo(
            "Không đọc được dòng nào: mọi dòng đều lỗi / nothing could be read: every row is an error",
            err=True,
        )
        raise typer.Exit(EXIT_ALL_ERRORS)
    if strict and errors:
        raise typer.Exit(EXIT_SOME_ERRORS)


def _is_table(data: Any) -> bool:
    return type(data).__name__ == "DataFrame"


def _reading_notes(console: Any, path: Path, data: Any, day: date) -> None:
    """Say where ids come from and what the reader noted (by code, then the first few cells)."""
    from luanchuyen.records.frames import read_notes
    from luanchuyen.records.layout import Layout

    layout = Layout.resolve(list(data.columns), "flat")
    source = layout.id_source
    if source is not None:
        how = "số thứ tự (STT)" if source == "stt" else "số dòng"
        console.print(
            f"[yellow]{path.name}: không có cột «Mã cán bộ»: dùng {how} làm mã / "
            f"no cadre id column: the {'STT number' if source == 'stt' else 'row number'} is the id[/]"
        )
    notes = read_notes(data, "flat", as_of=day)
    if not notes:
        return
    counts: dict[str, int] = {}
    for n in notes:
        counts[n.code] = counts.get(n.code, 0) + 1
    console.print(
        f"[yellow]{path.name}: lưu ý khi đọc / reading notes: "
        + ", ".join(f"{code} × {k}" for code, k in counts.items())
        + "[/]"
    )
    for n in notes[:_NOTES_SHOWN]:
        where = ", ".join(
            x for x in (n.sheet and f"trang «{n.sheet}»", n.row is not None and f"dòng {n.row}",
                        n.column and f"cột «{n.column}»") if x
        )  # fmt: skip
        console.print(
            f"  [{n.code}] {where}: {n.message_vi}" + (f" — «{n.value}»" if n.value else "")
        )


def _refuse_overwriting(out: Path, inputs: list[Path], criteria: bool) -> None:
    """The output (and its criteria file) must not be one of the inputs."""
    from luanchuyen.io.safe_write import refuse_overwriting

    refuse_overwriting(out, *inputs)
    if criteria and out.suffix.lower() in {".csv", ".tsv"}:
        refuse_overwriting(out.with_suffix(".criteria" + out.suffix.lower()), *inputs)


def _interrupted(out: Path) -> None:
    """Ctrl-C: say so, exit 130; the output is written atomically, so it is untouched."""
    typer.echo(
        f"Đã dừng (Ctrl-C): không ghi kết quả, tệp {out} giữ nguyên / "
        f"interrupted (Ctrl-C): no results written, {out} is unchanged",
        err=True,
    )
    raise typer.Exit(130)


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

"""``luanchuyen titles`` (how a title column is read) and ``luanchuyen template`` (blank sheet)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from luanchuyen.cli import app
from luanchuyen.errors import InputError, LuanChuyenError


def _fail(exc: LuanChuyenError) -> None:
    typer.echo(f"Lỗi [{exc.code}] {exc.message_vi}\nError [{exc.code}] {exc.message_en}", err=True)
    raise typer.Exit(2)


@app.command()
def titles(
    path: Annotated[Path, typer.Argument(help="Tệp .xlsx hoặc .csv")],
    column: Annotated[
        str, typer.Option("--column", help="Tiêu đề cột chức vụ, ví dụ «Chức vụ hiện tại»")
    ],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Ngày (chức danh còn hiệu lực), dd/mm/yyyy")
    ] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="Tên trang tính")] = None,
) -> None:
    """Cho xem cách đọc một cột chức vụ / show how a title column is read."""
    from rich.console import Console
    from rich.table import Table

    from luanchuyen.dates import to_date
    from luanchuyen.io.files import read_table
    from luanchuyen.records.cells import is_empty, text
    from luanchuyen.records.columns import header_key
    from luanchuyen.records.titles import THRESHOLD, match_title_cached

    try:
        day: date | None = to_date(as_of, "--as-of") if as_of else None
        frame = read_table(path, sheet=sheet)
        wanted = header_key(column)
        names = [c for c in frame.columns if header_key(str(c)) == wanted]
        if not names:
            raise InputError(
                "invalid_value",
                f"Không có cột «{column}»; có: {', '.join(map(str, frame.columns))}",
                f"No column «{column}»; found: {', '.join(map(str, frame.columns))}",
                field="--column",
            )
    except LuanChuyenError as exc:
        _fail(exc)
        return
    table = Table(title=f"{path.name} — «{names[0]}»")
    for head in ("Dòng", "Chức vụ (như ghi)", "Mã chức danh", "Mục danh mục", "Cấp", "Trưởng/phó", "Địa bàn", "Tin cậy"):  # fmt: skip
        table.add_column(head)
    unknown = 0
    for label, value in frame[names[0]].items():
        if is_empty(value):
            continue
        m = match_title_cached(text(value), day)
        ok = m.recognised
        unknown += not ok
        parts = f" ({' + '.join(str(p.code) for p in m.parts)})" if len(m.parts) > 1 else ""
        table.add_row(
            str(label), text(value), (m.code or "?") + parts if ok else "[red]chưa rõ[/]",
            str(m.entry or ""), str(m.level or ""), str(m.role or ""), str(m.locality or ""),
            f"{m.confidence:.0f}" + ("" if ok else f" < {THRESHOLD:.0f}"),
        )  # fmt: skip
    Console(width=160).print(table)
    if unknown:
        typer.echo(f"{unknown} ô không nhận ra chức danh / cells with no recognised title")


@app.command()
def template(
    out: Annotated[Path, typer.Option("--out", help="Tệp mẫu .xlsx")] = Path("mau.xlsx"),
) -> None:
    """Ghi mẫu bảng tính trống (tiêu đề chuẩn, hướng dẫn, danh mục) / write the blank template."""
    from luanchuyen.io.template import write_template

    if out.suffix.lower() != ".xlsx":
        _fail(
            InputError(
                "invalid_value",
                "Mẫu chỉ ghi được dạng .xlsx",
                "The template is written as .xlsx only",
                field="--out",
            )
        )
    write_template(out)
    typer.echo(f"Đã ghi mẫu / template written: {out}")

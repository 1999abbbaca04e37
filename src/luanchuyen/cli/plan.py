"""``luanchuyen plan``: propose a rotation plan from a cadre table and a table of open posts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer

from luanchuyen.cli import app
from luanchuyen.errors import InputError, LuanChuyenError

if TYPE_CHECKING:
    from luanchuyen.analysis.proposal import SolverName

_JSONL = {".jsonl", ".ndjson"}


def _fail(exc: LuanChuyenError) -> None:
    typer.echo(f"Lỗi [{exc.code}] {exc.message_vi}\nError [{exc.code}] {exc.message_en}", err=True)
    raise typer.Exit(2)


def _read(path: Path, key: str, sheet: str | None) -> Any:
    """A table (.xlsx/.csv) as read by ``batch``, or JSON Lines of models (``{key: …}`` or bare)."""
    from luanchuyen.io.tables import read_jsonl, read_table

    if path.suffix.lower() not in _JSONL:
        return read_table(path, sheet=sheet)
    out: list[Any] = []
    for item in read_jsonl(path):
        if isinstance(item, InputError):
            raise item
        out.append(item.get(key, item))
    return out


def _read_db(url: str, table: str) -> Any:
    """A whole table of the database, row numbers 1-based (as ``batch --db`` reads it)."""
    import pandas as pd

    from luanchuyen.io.db import read_db

    parts = list(read_db(url, table=table))
    if not parts:
        raise InputError(
            "table_file",
            f"Bảng «{table}» không có dòng nào",
            f"Table «{table}» has no rows",
            field=table,
        )
    return pd.concat(parts)


def _homes(table: Any, column: str | None) -> dict[str, str]:
    """Cadre id → home commune, from one column of the cadre table (``--home-column``)."""
    if column is None:
        return {}
    if type(table).__name__ != "DataFrame" or column not in table.columns:
        raise InputError(
            "invalid_value",
            f"Bảng cán bộ không có cột «{column}» (--home-column)",
            f"The cadre table has no column «{column}» (--home-column)",
            field="--home-column",
        )
    from luanchuyen.io.tables import Layout

    id_col = next(
        raw for raw, col in Layout.resolve(list(table.columns), "cadre").matched().items()
        if col.path == "cadre.id"
    )  # fmt: skip
    return {
        str(i).strip(): str(h).strip()
        for i, h in zip(table[id_col], table[column], strict=True)
        if i == i and h == h and str(h).strip()
    }


@app.command()
def plan(
    cadres: Annotated[
        str, typer.Argument(help="Bảng cán bộ (.xlsx, .csv, .jsonl; với --db: tên bảng)")
    ],
    posts: Annotated[
        str, typer.Argument(help="Bảng vị trí cần bố trí (.xlsx, .csv, .jsonl; với --db: tên bảng)")
    ],
    as_of: Annotated[str, typer.Option("--as-of", help="Ngày đánh giá YYYY-MM-DD hoặc dd/mm/yyyy")],
    out: Annotated[Path, typer.Option("--out", help="Tệp phương án .xlsx hoặc .json")],
    rules: Annotated[
        list[str] | None,
        typer.Option(
            "--rules", help="Bộ quy tắc bổ sung (overlay) mang chỉ tiêu, ví dụ chi-lang-2024"
        ),
    ] = None,
    locality: Annotated[
        str | None, typer.Option("--locality", help="Địa phương (chọn overlay)")
    ] = None,
    allow_review: Annotated[
        bool, typer.Option("--allow-review", help="Dùng cả các cặp «cần xem xét» (được đánh dấu)")
    ] = False,
    time_limit: Annotated[
        float, typer.Option("--time-limit", help="Giới hạn thời gian giải (giây)")
    ] = 30.0,
    max_per_body: Annotated[
        int | None, typer.Option("--max-per-body", help="Tối đa số cán bộ lấy từ một đơn vị")
    ] = None,
    keep_leadership: Annotated[
        bool,
        typer.Option("--keep-leadership", help="Không để đơn vị mất cả cấp trưởng và mọi cấp phó"),
    ] = False,
    home_column: Annotated[
        str | None,
        typer.Option(
            "--home-column",
            help="Cột quê quán (xã) trong bảng cán bộ: bí thư cấp xã không bố trí tại quê (CT 45)",
        ),
    ] = None,
    min_women: Annotated[
        int | None, typer.Option("--min-women", help="Tỷ lệ nữ tối thiểu (%)")
    ] = None,
    min_ethnic: Annotated[
        int | None, typer.Option("--min-ethnic", help="Tỷ lệ dân tộc thiểu số tối thiểu (%)")
    ] = None,
    min_under_40: Annotated[
        int | None, typer.Option("--min-under-40", help="Tỷ lệ dưới 40 tuổi tối thiểu (%)")
    ] = None,
    hard_shares: Annotated[
        bool, typer.Option("--hard-shares", help="Tỷ lệ là ràng buộc cứng (mặc định: mục tiêu)")
    ] = False,
    solver: Annotated[
        str, typer.Option("--solver", help="Bộ giải: highs (mặc định) hoặc cp-sat")
    ] = "highs",
    sheet: Annotated[str | None, typer.Option("--sheet", help="Trang tính của bảng cán bộ")] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Cơ sở dữ liệu (URL SQLAlchemy): CADRES và POSTS là tên bảng trong đó",
        ),
    ] = None,
) -> None:
    """Đề xuất phương án bố trí cán bộ / propose a rotation plan (CP-SAT)."""
    from luanchuyen.analysis.proposal import BoardConstraints, propose_plan
    from luanchuyen.cli import split_pack_args
    from luanchuyen.dates import to_date
    from luanchuyen.ruleset.compile import RuleSet

    try:
        day = to_date(as_of, "--as-of")
        names, dirs = split_pack_args(rules)
        rs = RuleSet.load(*names, locality=locality, pack_dirs=dirs)
        if db is not None:
            cadre_data, post_data = _read_db(db, cadres), _read_db(db, posts)
        else:
            cadre_data = _read(Path(cadres), "cadre", sheet)
            post_data = _read(Path(posts), "position", None)
        board = BoardConstraints(
            non_local_secretary=home_column is not None,
            home_communes=_homes(cadre_data, home_column),
            max_per_sending_body=max_per_body,
            keep_body_leadership=keep_leadership,
            min_share_women=min_women,
            min_share_ethnic_minority=min_ethnic,
            min_share_under_40=min_under_40,
            shares_hard=hard_shares,
        )
        result = propose_plan(
            cadre_data, post_data, as_of=day, rules=rs, allow_review=allow_review,
            board=board, time_limit=time_limit, solver=cast("SolverName", solver),
        )  # fmt: skip
        result.write(out)
    except LuanChuyenError as exc:
        _fail(exc)
        return
    except OSError as exc:
        typer.echo(f"Lỗi ghi tệp / cannot write {out}: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(result.explain())
    typer.echo(f"→ {out}")

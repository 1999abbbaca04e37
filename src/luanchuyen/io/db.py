"""Cơ sở dữ liệu / cadre lists in a database, through SQLAlchemy.

HR systems and the national cadre database (Nghị định 27/2026, keyed on the 12-digit personal
identification number) keep cadres in tables whose columns are snake_case names
(``so_dinh_danh_ca_nhan``, ``ho_ten``, ``ngay_sinh``, ``chuc_vu_hien_tai``…). They map to the
model fields exactly as spreadsheet headers do (:mod:`luanchuyen.records.columns`), so a table or a
query reads like a sheet.

:func:`read_db` streams a table or a query in chunks (a server-side cursor where the driver has
one), each chunk a DataFrame whose index is the row number in the result (1, 2, …): memory stays
bounded by the chunk size, not the table. :func:`evaluate_db` evaluates every chunk and can
write the results back to a table; :func:`write_db` writes a frame in one transaction, so a
failure never leaves a half-written table under its name. SQLite is built in
(``sqlite:///cadres.db``); PostgreSQL goes through psycopg 3 (``postgresql+psycopg://…``);
install the extra: ``pip install 'luanchuyen[db]'``.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any, Final, Literal

from luanchuyen.errors import InputError

if TYPE_CHECKING:
    import pandas as pd
    from sqlalchemy.engine import Engine

    from luanchuyen.ruleset.compile import RuleSet

__all__ = ["DEFAULT_CHUNK", "engine_for", "evaluate_db", "read_db", "write_db"]

#: Rows per chunk.
DEFAULT_CHUNK: Final = 10_000


def _db_error(url: str, vi: str, en: str) -> InputError:
    return InputError(
        "table_file",
        f"Không đọc được cơ sở dữ liệu {_masked(url)}: {vi}",
        f"Cannot read the database {_masked(url)}: {en}",
        field="--db",
    )


def _masked(url: str) -> str:
    """A URL without its password (never log a secret)."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # a URL SQLAlchemy cannot parse is shown without any credentials part
        return url.split("@")[-1]


def engine_for(url: str | Engine) -> Engine:
    """An SQLAlchemy engine for ``url`` (an engine is returned as is).

    Raises:
        InputError: ``table_file`` for a URL SQLAlchemy cannot use (or a missing driver).
    """
    try:
        from sqlalchemy import create_engine
        from sqlalchemy.engine import Engine
    except ImportError:  # pragma: no cover - the [db] extra is missing
        raise InputError(
            "table_file",
            "Cần cài thêm: pip install 'luanchuyen[db]'",
            "Install the extra: pip install 'luanchuyen[db]'",
            field="--db",
        ) from None
    if isinstance(url, Engine):
        return url
    try:
        return create_engine(url)
    except Exception as exc:  # ArgumentError, NoSuchModuleError, ImportError of a driver
        raise _db_error(
            url, f"{type(exc).__name__}: {exc}", f"{type(exc).__name__}: {exc}"
        ) from None


def _plain(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def read_db(
    url: str | Engine,
    *,
    table: str | None = None,
    query: str | None = None,
    chunksize: int = DEFAULT_CHUNK,
) -> Iterator[pd.DataFrame]:
    """Stream a table (``schema.table`` accepted) or a query as DataFrames of ``chunksize`` rows.

    Each chunk's index continues the row numbers of the result (1-based); ``attrs["source"]``
    names the table or ``"query"``.

    Raises:
        InputError: ``invalid_input`` unless exactly one of ``table``/``query`` is given;
            ``table_file`` for a missing table, a bad query or a connection failure.
    """
    import pandas as pd
    from sqlalchemy import MetaData, Table, select, text
    from sqlalchemy.exc import SQLAlchemyError

    if (table is None) == (query is None):
        raise InputError(
            "invalid_input",
            "Cần đúng một trong hai: --table hoặc --query",
            "Give exactly one of --table or --query",
            field="--table",
        )
    engine = engine_for(url)
    name = str(engine.url)
    try:
        with engine.connect() as conn:
            if table is not None:
                schema, _, bare = table.rpartition(".")
                t = Table(bare, MetaData(), schema=schema or None, autoload_with=conn)
                stmt: Any = select(t)
            else:
                stmt = text(str(query))
            result = conn.execution_options(stream_results=True, yield_per=chunksize).execute(stmt)
            columns = [str(c) for c in result.keys()]  # noqa: SIM118 - a Result, not a dict
            start = 1
            for part in result.partitions(chunksize):
                rows = [[_plain(v) for v in row] for row in part]
                frame = pd.DataFrame(rows, columns=columns, dtype=object)
                frame.index = pd.RangeIndex(start, start + len(rows), name="line")
                frame.attrs["source"] = table or "query"
                start += len(rows)
                yield frame
    except SQLAlchemyError as exc:
        msg = str(exc).splitlines()[0]
        raise _db_error(name, msg, msg) from None


def _cell(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if hasattr(value, "item") and not isinstance(value, str | date):
        return value.item()
    return value


def write_db(
    frame: pd.DataFrame,
    url: str | Engine,
    table: str,
    *,
    if_exists: Literal["replace", "append", "fail"] = "replace",
) -> int:
    """Write a (result) frame to ``table`` in one transaction; list cells joined with ``; ``.

    Returns:
        The number of rows written.
    """
    from sqlalchemy.exc import SQLAlchemyError

    engine = engine_for(url)
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(_cell)
    schema, _, bare = table.rpartition(".")
    try:
        with engine.begin() as conn:  # replace = drop + create + insert, all or nothing
            out.to_sql(
                bare, conn, schema=schema or None, if_exists=if_exists, index=False, chunksize=5_000
            )
    except (SQLAlchemyError, ValueError) as exc:
        msg = str(exc).splitlines()[0]
        raise InputError(
            "table_file",
            f"Không ghi được bảng {table}: {msg}",
            f"Cannot write table {table}: {msg}",
            field="--write-table",
        ) from None
    return len(out)


def evaluate_db(
    url: str | Engine,
    *,
    as_of: date | str,
    table: str | None = None,
    query: str | None = None,
    rules: RuleSet | None = None,
    write_table: str | None = None,
    chunksize: int = DEFAULT_CHUNK,
    reasons: bool = True,
) -> pd.DataFrame:
    """Evaluate every row of a table or query (flat layout), chunk by chunk.

    The result frame has one row per input row in order (``source_row`` = the row number in
    the result); with ``write_table`` it is also written back to the database.
    """
    import pandas as pd

    from luanchuyen.batch import evaluate_many

    frames = [
        evaluate_many(chunk, as_of=as_of, rules=rules, reasons=reasons)
        for chunk in read_db(url, table=table, query=query, chunksize=chunksize)
    ]
    if not frames:
        raise _db_error(str(url), "bảng không có dòng nào", "the table has no rows")
    result = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    result["row"] = range(len(result))
    if write_table is not None:
        write_db(result, url, write_table)
    return result

"""Databases through SQLAlchemy: SQLite built in, PostgreSQL 15 against a real server."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from luanchuyen.cli import _register, app
from luanchuyen.errors import InputError
from luanchuyen.io.db import evaluate_db, read_db, write_db

runner = CliRunner()
_register()
AS_OF = date(2024, 6, 1)
_TITLES = (
    "Phó Trưởng phòng Nội vụ huyện",
    "PCT UBND xã",
    "Chuyên viên Phòng Tư pháp",
    "Bí thư Đảng ủy xã",
)
_TARGETS = ("Phó Chủ tịch UBND xã", "Trưởng phòng Văn hóa – Xã hội huyện", "Bí thư Đảng ủy xã")


def synthetic_cadres(n: int) -> pd.DataFrame:
    """``n`` synthetic cadres in an HR export's snake_case columns (nobody real)."""
    rows: list[dict[str, Any]] = []
    for i in range(n):
        rows.append(
            {
                "so_dinh_danh_ca_nhan": f"{20_000_000_0000 + i:012d}",
                "ho_ten": f"Cán bộ Thử {i}",
                "gioi_tinh": "Nam" if i % 3 else "Nữ",
                "ngay_sinh": date(1965, 1, 1) + timedelta(days=(i * 37) % 9000),
                "chuc_vu_hien_tai": _TITLES[i % len(_TITLES)],
                "cap": "huyen" if i % 2 else "xa",
                "la_dang_vien": bool(i % 5),
                "ky_luat": "không" if i % 7 else "Khiển trách (2023)",
                "xep_loai_2023": "HTT" if i % 4 else "HTXSNV",
                "hinh_thuc": "luan_chuyen",
                "chuc_vu_du_kien": _TARGETS[i % len(_TARGETS)],
                "cap_den": "xa",
            }
        )
    return pd.DataFrame(rows)


def _fill(url: str, n: int, table: str = "can_bo") -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        synthetic_cadres(n).to_sql(table, conn, if_exists="replace", index=False)
    engine.dispose()


def test_sqlite_table_streams_in_chunks(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cb.db'}"
    _fill(url, 25)
    chunks = list(read_db(url, table="can_bo", chunksize=10))
    assert [len(c) for c in chunks] == [10, 10, 5]
    assert list(chunks[1].index) == list(range(11, 21))
    result = evaluate_db(url, table="can_bo", as_of=AS_OF, chunksize=10, write_table="ket_qua")
    assert len(result) == 25 and "error" not in set(result["verdict"])
    assert result["cadre_id"].iloc[0] == "200000000000"
    back = pd.read_sql("select * from ket_qua", create_engine(url))
    assert len(back) == 25 and list(back["verdict"]) == list(result["verdict"])


def test_query_and_bad_arguments(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cb.db'}"
    _fill(url, 5)
    got = list(read_db(url, query="select * from can_bo where gioi_tinh = 'Nữ'"))
    assert len(got[0]) == 2
    with pytest.raises(InputError) as info:
        list(read_db(url, table="khong_co"))
    assert info.value.code == "table_file"
    with pytest.raises(InputError):
        list(read_db(url))


def test_batch_cli_reads_a_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cb.db'}"
    _fill(url, 12)
    out = tmp_path / "kq.csv"
    result = runner.invoke(
        app,
        ["batch", "--db", url, "--table", "can_bo", "--as-of", "01/06/2024", "--out", str(out),
         "--write-table", "ket_qua"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert len(pd.read_csv(out, encoding="utf-8-sig")) == 12
    with create_engine(url).connect() as conn:
        assert conn.execute(text("select count(*) from ket_qua")).scalar() == 12


def test_postgres_20000_cadres_evaluated_and_written_back(postgres_url: str) -> None:
    _fill(postgres_url, 20_000)
    result = evaluate_db(
        postgres_url, table="public.can_bo", as_of=AS_OF, write_table="ket_qua", reasons=False
    )
    assert len(result) == 20_000
    assert "error" not in set(result["status"]), result.loc[result["status"] == "error"].head()
    engine = create_engine(postgres_url)
    with engine.connect() as conn:
        assert conn.execute(text("select count(*) from ket_qua")).scalar() == 20_000
        counts = dict(
            conn.execute(text("select verdict, count(*) from ket_qua group by verdict")).all()
        )
    assert counts == result["verdict"].value_counts().to_dict()
    write_db(result.head(3), postgres_url, "ket_qua")  # replace is all or nothing
    with engine.connect() as conn:
        assert conn.execute(text("select count(*) from ket_qua")).scalar() == 3
    engine.dispose()

"""Tạo cơ sở dữ liệu mẫu / build the example SQLite database of ``make demo`` (synthetic people).

The 15 moves of ``ke-hoach-2024.xlsx`` as a table ``ke_hoach`` whose columns are snake_case
names, as HR systems export them (``ma_can_bo``, ``ho_va_ten``, ``ngay_sinh``, …). Then::

    luanchuyen batch --db sqlite:///build/demo/ke-hoach-2024.db --table ke_hoach \\
        --as-of 2024-06-01 --rules chi-lang-2024 --out ket-qua.xlsx --write-table ket_qua

Usage: ``python examples/demo_db.py PATH.db``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from sqlalchemy import create_engine

from luanchuyen.io import tables
from luanchuyen.records.columns import header_key

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    target = Path(argv[0] if argv else "build/demo/ke-hoach-2024.db")
    spec = importlib.util.spec_from_file_location(
        "make_example_data", HERE / "make_example_data.py"
    )
    assert spec is not None
    assert spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    frame = tables.requests_frame(mod.plan_moves())
    frame.columns = [header_key(str(c)) for c in frame.columns]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    engine = create_engine(f"sqlite:///{target}")
    with engine.begin() as conn:
        frame.to_sql("ke_hoach", conn, index=False)
    engine.dispose()
    print(
        f"wrote {target}: table ke_hoach, {len(frame)} rows, columns {', '.join(frame.columns[:6])}…"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

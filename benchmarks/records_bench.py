"""``make bench`` section "records": a 1,000,000-row database table streamed, a 50 MB CSV.

* **Database streaming**: a SQLite table of synthetic cadres (HR-export snake_case columns)
  read with :func:`luanchuyen.io.db.read_db` in chunks and every row read into nested mappings
  (:class:`luanchuyen.records.layout.Layout`, titles matched); peak RSS of a fresh process for
  100,000 and 1,000,000 rows shows that memory is bounded by the chunk, not the table.
* **50 MB Windows-1258 CSV**: written as Excel writes that encoding (tone marks combining),
  read with :func:`luanchuyen.io.files.read_table`; diacritics checked.

Run alone: ``python benchmarks/records_bench.py [--quick]``; the streaming figure comes from a
child process (``--stream N DB``) so that the parent's memory does not count.
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
import time
import unicodedata
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import peak_rss

MIB = 1024 * 1024
_TITLES = (
    "Phó Trưởng phòng Nội vụ huyện",
    "PCT UBND xã",
    "Chuyên viên Phòng Tư pháp",
    "Bí thư Đảng ủy xã",
)
_COLUMNS = (
    "so_dinh_danh_ca_nhan", "ho_ten", "gioi_tinh", "ngay_sinh", "chuc_vu_hien_tai", "cap",
    "ky_luat", "xep_loai_2023", "hinh_thuc", "chuc_vu_du_kien", "cap_den",
)  # fmt: skip


def _row(i: int) -> tuple[object, ...]:
    born = date(1965, 1, 1) + timedelta(days=(i * 37) % 9000)
    return (
        f"{200_000_000_000 + i:012d}", f"Nguyễn Văn Thử {i}", "Nam" if i % 3 else "Nữ",
        born.strftime("%d/%m/%Y"), _TITLES[i % 4], "huyen" if i % 2 else "xa",
        "không" if i % 7 else "Khiển trách (2023)", "HTT" if i % 4 else "HTXSNV", "luan_chuyen",
        "Phó Chủ tịch UBND xã", "xa",
    )  # fmt: skip


def build_db(path: Path, rows: int) -> None:
    """A SQLite table ``can_bo`` of ``rows`` synthetic cadres."""
    con = sqlite3.connect(path)
    con.execute(f"create table can_bo ({', '.join(c + ' text' for c in _COLUMNS)})")
    step = 50_000
    for start in range(0, rows, step):
        con.executemany(
            f"insert into can_bo values ({', '.join('?' * len(_COLUMNS))})",
            (_row(i) for i in range(start, min(rows, start + step))),
        )
    con.commit()
    con.close()


def stream(db: Path, rows: int) -> None:
    """Child process: stream the table, read every row; print rows, seconds, peak RSS (MiB)."""
    from luanchuyen.io.db import read_db
    from luanchuyen.records.layout import Layout

    started = time.perf_counter()
    n = errors = 0
    layout: Layout | None = None
    for chunk in read_db(f"sqlite:///{db}", table="can_bo", chunksize=10_000):
        if layout is None:
            layout = Layout.resolve(list(chunk.columns))
        for label, values in zip(
            chunk.index, chunk.itertuples(index=False, name=None), strict=True
        ):
            try:
                layout.read(values, as_of=date(2024, 6, 1), row=label)
            except ValueError:
                errors += 1
            n += 1
    seconds = time.perf_counter() - started
    peak = peak_rss() / MIB
    print(f"{n} {errors} {seconds:.3f} {peak:.1f}")
    assert n == rows


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _cp1258(text: str) -> bytes:
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        out += unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES)).encode(
            "cp1258"
        )
        out += "".join(c for c in parts if c in _TONES).encode("cp1258")
    return bytes(out)


def big_csv(path: Path, megabytes: int) -> int:
    """A Windows-1258 CSV of about ``megabytes`` MB; returns its row count."""
    header = "STT;Họ và tên;Giới tính;Ngày sinh;Chức vụ hiện tại;Đơn vị hiện tại\n"
    line = "{i};Nguyễn Thị Hường {i};Nữ;20.08.1983;Phó Trưởng phòng Nội vụ huyện;Phòng Nội vụ huyện Chi Lăng\n"
    with path.open("wb") as fh:
        fh.write(_cp1258(header))
        size, i = 0, 0
        while size < megabytes * 1_000_000:
            data = _cp1258(line.format(i=i))
            fh.write(data)
            size += len(data)
            i += 1
    return i


def run(quick: bool = False) -> list[tuple[str, bool]]:
    """Print the section; return its targets as (text, passed)."""
    from luanchuyen.io.files import read_table

    sizes = (10_000, 100_000) if quick else (100_000, 1_000_000)
    mb = 5 if quick else 50
    print("\nrecords: database streaming (SQLite, read_db + Layout.read, chunks of 10,000)")
    print(f"  {'rows':>10} {'seconds':>9} {'rows/s':>10} {'peak RSS MiB':>13}")
    peaks: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for rows in sizes:
            db = Path(tmp) / f"cb{rows}.db"
            build_db(db, rows)
            out = subprocess.run(
                [sys.executable, __file__, "--stream", str(rows), str(db)],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            n, errors, seconds, peak = out.stdout.split()
            peaks.append(float(peak))
            print(f"  {int(n):>10,} {float(seconds):>9.1f} {int(n) / float(seconds):>10,.0f} {float(peak):>13.0f}"
                  f"  ({int(errors)} error rows)")  # fmt: skip
        csv_path = Path(tmp) / "big.csv"
        n_csv = big_csv(csv_path, mb)
        started = time.perf_counter()
        frame = read_table(csv_path)
        seconds = time.perf_counter() - started
    ok_text = len(frame) == n_csv and frame.iloc[-1]["Họ và tên"].startswith("Nguyễn Thị Hường")
    print(
        f"\nrecords: {mb} MB Windows-1258 CSV ({n_csv:,} rows) read in {seconds:.1f} s; diacritics {'correct' if ok_text else 'WRONG'}"
    )
    bounded = peaks[1] < peaks[0] * 1.5 + 50
    return [
        (f"records: streaming {sizes[1]:,} rows peaks at {peaks[1]:.0f} MiB vs {peaks[0]:.0f} MiB for {sizes[0]:,} (bounded)", bounded),
        (f"records: {mb} MB Windows-1258 CSV reads with correct diacritics", ok_text),
    ]  # fmt: skip


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--stream", nargs=2, metavar=("ROWS", "DB"))
    args = parser.parse_args(argv)
    if args.stream:
        stream(Path(args.stream[1]), int(args.stream[0]))
        return 0
    results = run(args.quick)
    for text, ok in results:
        print(f"  {'PASS' if ok else 'FAIL'}  {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Đọc tệp / reading files: Excel and CSV as boards save them, JSON Lines, with size limits.

* **Excel** (``.xlsx``, ``.xlsm``): every sheet is searched for its table
  (:func:`~luanchuyen.records.layout.find_header`); a sheet without one (instructions, lists)
  is skipped and named in ``frame.attrs["skipped_sheets"]``. Several data sheets are read
  into one frame whose index is ``"<sheet>!<row>"``; one data sheet keeps the plain row number.
* **CSV** (``.csv``, ``.tsv``, ``.txt``): the encoding is detected (:func:`detect_encoding`):
  UTF-8 with or without BOM, UTF-16, then Windows-1258 or Windows-1252 through
  :mod:`charset_normalizer`; the legacy Vietnamese encodings TCVN3 (ABC) and VNI are
  recognised and refused with the hint to save the file as "CSV UTF-8". ``,``, ``;`` or tab.
* Heading and footer rows inside the table (one filled cell: "I. Khối Đảng", "Người lập
  biểu") are skipped and listed in ``frame.attrs["skipped_rows"]``; blank rows are skipped.
* The index of the frame is the row as the user sees it in Excel (the header's row + 1…).
* :class:`Limits` bound what a file may make the reader do (decompressed size of a workbook,
  rows, columns, characters in a cell); going past one is a coded ``table_too_large`` error
  raised before the work is done. Every limit can be raised by the caller.
"""

from __future__ import annotations

import csv
import io
import json
import os
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from luanchuyen.errors import InputError, LuanChuyenError
from luanchuyen.records.cells import is_empty, text
from luanchuyen.records.columns import LayoutKind
from luanchuyen.records.layout import find_header

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CSV_SUFFIXES",
    "EXCEL_SUFFIXES",
    "JSONL_SUFFIXES",
    "Limits",
    "detect_encoding",
    "file_error",
    "read_jsonl",
    "read_requests",
    "read_sheets",
    "read_table",
]

EXCEL_SUFFIXES: Final = frozenset({".xlsx", ".xlsm"})
CSV_SUFFIXES: Final = frozenset({".csv", ".tsv", ".txt"})
JSONL_SUFFIXES: Final = frozenset({".jsonl", ".ndjson"})


@dataclass(frozen=True, slots=True)
class Limits:
    """What a table file may make the reader do (each limit overridable).

    Attributes:
        max_file_bytes: size of the file on disk.
        max_xlsx_bytes: total decompressed size of the parts of a workbook.
        max_compression_ratio: decompressed / compressed size of a workbook larger than
            ``ratio_from_bytes`` decompressed (a few hundred KB expanding to 90 MB of XML is a
            zip bomb, not a cadre list).
        ratio_from_bytes: the decompressed size from which the ratio is checked.
        max_rows: data rows of one sheet or file.
        max_columns: columns of one sheet or file.
        max_cell_chars: characters in one cell (Excel's own limit is 32,767).
    """

    max_file_bytes: int = 512 * 1024 * 1024
    max_xlsx_bytes: int = 512 * 1024 * 1024
    max_compression_ratio: float = 100.0
    ratio_from_bytes: int = 16 * 1024 * 1024
    max_rows: int = 1_048_576
    max_columns: int = 2_000
    max_cell_chars: int = 32_767


DEFAULT_LIMITS: Final = Limits()


def file_error(path: Path, vi: str, en: str, code: str = "table_file") -> InputError:
    """A coded error on a whole file."""
    return InputError(
        code, f"Không đọc được tệp {path}: {vi}", f"Cannot read {path}: {en}", field=str(path)
    )


def _too_large(path: Path, what_vi: str, what_en: str, limit: str) -> InputError:
    return InputError(
        "table_too_large",
        f"Tệp {path.name} vượt giới hạn: {what_vi} (giới hạn {limit}; có thể nâng bằng Limits)",
        f"File {path.name} is over a limit: {what_en} (limit {limit}; raise it with Limits)",
        field=str(path),
        details={"limit": limit},
    )


# --------------------------------------------------------------------------- encodings

_TCVN3_LETTERS: Final = frozenset(
    b"\xa8\xa9\xaa\xab\xac\xad\xae\xb5\xb6\xb7\xb8\xb9\xbb\xbc\xbd\xbe"
)
_VNI_MARKS: Final = frozenset(b"\xf8\xfb\xef\xe4\xf6")
_ASCII_VOWELS: Final = frozenset(b"aeiouyAEIOUY")
_ASCII_LETTERS: Final = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_SAMPLE: Final = 256 * 1024


def _legacy(sample: bytes) -> str | None:
    """``"TCVN3"`` or ``"VNI"`` when the bytes look like those legacy Vietnamese encodings."""
    tcvn = vni = 0
    letters = 0
    for i in range(1, len(sample) - 1):
        b = sample[i]
        if b < 0x80:
            letters += b in _ASCII_LETTERS
            continue
        before, after = sample[i - 1], sample[i + 1]
        if b in _TCVN3_LETTERS and (before in _ASCII_LETTERS or after in _ASCII_LETTERS):
            tcvn += 1
        if b in _VNI_MARKS and before in _ASCII_VOWELS:
            vni += 1
    floor = max(3, letters // 200)
    if tcvn >= floor and tcvn >= vni:
        return "TCVN3"
    if vni >= floor:
        return "VNI"
    return None


def detect_encoding(data: bytes, path: Path | None = None) -> str:
    """The encoding of a text file's bytes (a Python codec name).

    Raises:
        InputError: ``table_encoding`` for TCVN3 / VNI (with the hint to save as CSV UTF-8)
            or bytes no supported encoding reads.
    """
    where = path or Path("?")
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    sample = data[:_SAMPLE]
    if sample.count(b"\x00") > len(sample) // 4:
        return "utf-16-le" if sample[1:2] == b"\x00" else "utf-16-be"
    legacy = _legacy(sample)
    if legacy is not None:
        raise file_error(
            where,
            f"tệp dùng bảng mã cũ {legacy}; hãy mở tệp bằng Excel (hoặc chuyển mã bằng Unikey) "
            "và lưu lại dạng «CSV UTF-8 (Comma delimited)»",
            f"the file uses the legacy Vietnamese encoding {legacy}; open it in Excel (or convert "
            "it with Unikey) and save it as «CSV UTF-8 (Comma delimited)»",
            code="table_encoding",
        )
    from charset_normalizer import from_bytes

    best = from_bytes(sample, cp_isolation=["cp1258", "cp1252"]).best()
    if best is None:
        raise file_error(
            where,
            "không nhận ra bảng mã; hãy lưu lại dạng «CSV UTF-8»",
            "the encoding is not recognised; save the file as «CSV UTF-8»",
            code="table_encoding",
        )
    return str(best.encoding)


def _decode(data: bytes, path: Path) -> str:
    encoding = detect_encoding(data, path)
    try:
        decoded = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise file_error(
            path,
            f"tệp không đọc được bằng bảng mã {encoding} ({exc.reason}); hãy lưu lại dạng «CSV UTF-8»",
            f"the file does not decode as {encoding} ({exc.reason}); save it as «CSV UTF-8»",
            code="table_encoding",
        ) from None
    # Windows-1258 writes tone marks as combining characters: compose them (NFC)
    return unicodedata.normalize("NFC", decoded.removeprefix("\ufeff"))


# --------------------------------------------------------------------------- raw rows


def _csv_rows(path: Path, limits: Limits) -> Iterator[list[str]]:
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise _too_large(path, f"{size:,} byte", f"{size:,} bytes", f"{limits.max_file_bytes:,}")
    data = path.read_bytes()
    first_end = data.find(b"\n", 0, limits.max_columns * (limits.max_cell_chars + 1) + 2)
    first = data[: first_end if first_end >= 0 else min(len(data), 1 << 20)]
    seps = {sep: first.count(sep.encode()) for sep in (",", ";", "\t")}
    sep = "\t" if path.suffix.lower() == ".tsv" else max(seps, key=lambda s: seps[s])
    if seps[sep] + 1 > limits.max_columns:
        raise _too_large(
            path, f"{seps[sep] + 1:,} cột", f"{seps[sep] + 1:,} columns", f"{limits.max_columns:,}"
        )
    content = _decode(data, path)
    del data
    csv.field_size_limit(limits.max_cell_chars)
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=sep)
    try:
        for row in reader:
            if len(row) > limits.max_columns:
                raise _too_large(
                    path, f"dòng {reader.line_num} có {len(row):,} cột",
                    f"line {reader.line_num} has {len(row):,} columns", f"{limits.max_columns:,}",
                )  # fmt: skip
            yield row
    except csv.Error as exc:
        if "field larger" in str(exc):
            raise _too_large(
                path, f"một ô ở dòng {reader.line_num} quá dài",
                f"a cell on line {reader.line_num} is too long", f"{limits.max_cell_chars:,} ký tự",
            ) from None  # fmt: skip
        raise file_error(
            path, f"CSV lỗi ở dòng {reader.line_num}: {exc}", f"bad CSV: {exc}"
        ) from None


def _check_workbook(path: Path, limits: Limits) -> None:
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise _too_large(path, f"{size:,} byte", f"{size:,} bytes", f"{limits.max_file_bytes:,}")
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except zipfile.BadZipFile:
        raise file_error(
            path, "không phải tệp Excel (.xlsx) hợp lệ", "not a valid .xlsx file"
        ) from None
    total = sum(i.file_size for i in infos)  # a part never yields more than its declared size
    packed = max(1, sum(i.compress_size for i in infos))
    if total > limits.max_xlsx_bytes:
        raise _too_large(
            path, f"giải nén ra {total:,} byte", f"{total:,} bytes decompressed",
            f"{limits.max_xlsx_bytes:,}",
        )  # fmt: skip
    if total > limits.ratio_from_bytes and total / packed > limits.max_compression_ratio:
        raise _too_large(
            path, f"tỷ lệ nén {total / packed:.0f}:1 (bom zip)",
            f"compression ratio {total / packed:.0f}:1 (a zip bomb)",
            f"{limits.max_compression_ratio:.0f}:1",
        )  # fmt: skip


def _sheet_rows(ws: Any, path: Path, limits: Limits) -> Iterator[list[Any]]:
    max_col = getattr(ws, "max_column", None)
    if isinstance(max_col, int) and max_col > limits.max_columns:
        raise _too_large(
            path, f"trang «{ws.title}» có {max_col:,} cột", f"sheet «{ws.title}» has {max_col:,} columns",
            f"{limits.max_columns:,}",
        )  # fmt: skip
    for n, row in enumerate(ws.iter_rows(values_only=True)):
        if n > limits.max_rows + 50:
            raise _too_large(
                path, f"trang «{ws.title}» có hơn {limits.max_rows:,} dòng",
                f"sheet «{ws.title}» has more than {limits.max_rows:,} rows", f"{limits.max_rows:,}",
            )  # fmt: skip
        if len(row) > limits.max_columns:
            raise _too_large(
                path, f"trang «{ws.title}» có {len(row):,} cột",
                f"sheet «{ws.title}» has {len(row):,} columns", f"{limits.max_columns:,}",
            )  # fmt: skip
        cells = list(row)
        for j, v in enumerate(cells):
            if isinstance(v, str) and len(v) > limits.max_cell_chars:
                raise _too_large(
                    path, f"ô dòng {n + 1}, cột {j + 1} của trang «{ws.title}» quá dài",
                    f"the cell at row {n + 1}, column {j + 1} of sheet «{ws.title}» is too long",
                    f"{limits.max_cell_chars:,}",
                )  # fmt: skip
        yield cells


# --------------------------------------------------------------------------- tables


def _table(
    rows: Sequence[Sequence[Any]], kind: LayoutKind | None, sheet: str | None
) -> tuple[list[str], list[Any], list[list[Any]], list[Any], int] | None:
    """Header, row labels, data rows, skipped rows and header row of one sheet (or ``None``)."""
    kinds: tuple[LayoutKind, ...] = (kind,) if kind else ("flat", "position")
    guesses = [g for k in kinds if (g := find_header(rows, k)) is not None]
    if not guesses:
        return None
    guess = max(guesses, key=lambda g: g.matched)
    headers: list[str] = []
    for j, h in enumerate(guess.headers):
        name = h.strip() if isinstance(h, str) else ""
        headers.append(name or f"Unnamed: {j}")
    width = len(headers)
    labels: list[Any] = []
    data: list[list[Any]] = []
    skipped: list[Any] = []
    for i in range(guess.data_start, len(rows)):
        row = list(rows[i][:width]) + [None] * max(0, width - len(rows[i]))
        filled = [v for v in row if not is_empty(v)]
        extra = [v for v in rows[i][width:] if not is_empty(v)]
        if not filled and not extra:
            continue
        label: Any = i + 1
        if len(filled) + len(extra) <= 1 and width > 2:
            skipped.append({"row": label, "sheet": sheet, "text": text((filled or extra)[0])[:80]})
            continue
        labels.append(label)
        data.append(row)
    return headers, labels, data, skipped, guess.header_row + 1


def read_sheets(
    path: str | os.PathLike[str],
    *,
    kind: LayoutKind | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> dict[str, pd.DataFrame]:
    """Every sheet of a workbook (or the one table of a CSV) that holds a table, by name.

    Raises:
        InputError: ``table_file``, ``table_encoding`` or ``table_too_large``.
    """
    import pandas as pd

    p = Path(path)
    suffix = p.suffix.lower()
    if not p.is_file():
        raise file_error(p, "không tìm thấy tệp", "file not found")
    sheets: list[tuple[str | None, list[list[Any]]]] = []
    try:
        if suffix in EXCEL_SUFFIXES:
            _check_workbook(p, limits)
            from openpyxl import load_workbook

            wb = load_workbook(p, read_only=True, data_only=True)
            try:
                for ws in wb.worksheets:
                    if getattr(ws, "sheet_state", "visible") != "visible":
                        continue
                    sheets.append((ws.title, list(_sheet_rows(ws, p, limits))))
            finally:
                wb.close()
        elif suffix in CSV_SUFFIXES:
            sheets.append((None, list(_csv_rows(p, limits))))
        else:
            raise file_error(
                p,
                f"định dạng {suffix or '(không có đuôi)'} không được hỗ trợ (.xlsx, .csv, .jsonl)",
                f"format {suffix or '(no extension)'} is not supported (.xlsx, .csv, .jsonl)",
            )
    except LuanChuyenError:
        raise
    except (OSError, ValueError, KeyError) as exc:
        raise file_error(p, str(exc), str(exc)) from None
    except Exception as exc:  # openpyxl / zipfile raise many kinds on a corrupt workbook
        raise file_error(
            p, f"{type(exc).__name__}: {exc}", f"{type(exc).__name__}: {exc}"
        ) from None
    out: dict[str, pd.DataFrame] = {}
    skipped_sheets: list[str] = []
    for name, rows in sheets:
        if len(rows) > limits.max_rows + 50:
            raise _too_large(
                p, f"{len(rows):,} dòng", f"{len(rows):,} rows", f"{limits.max_rows:,}"
            )
        got = _table(rows, kind, name)
        if got is None:
            if name is not None:
                skipped_sheets.append(name)
            continue
        headers, labels, data, skipped, header_row = got
        frame = pd.DataFrame(data, columns=headers, dtype=object)
        frame.index = pd.Index(labels, name="line")
        frame.attrs.update(
            {"sheet": name, "header_row": header_row, "skipped_rows": skipped, "source": str(p)}
        )
        out[name or p.name] = frame
    if not out:
        raise file_error(
            p,
            "không tìm thấy bảng: không dòng nào có ít nhất hai tiêu đề cột đã biết "
            "(xem examples/spreadsheet-template.md)",
            "no table found: no row has at least two known column headers "
            "(see examples/spreadsheet-template.md)",
        )
    for frame in out.values():
        frame.attrs["skipped_sheets"] = skipped_sheets
    return out


def read_table(
    path: str | os.PathLike[str],
    *,
    sheet: str | int | None = None,
    kind: LayoutKind | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> pd.DataFrame:
    """Read a spreadsheet (.xlsx) or a CSV file as raw cells (no type guessing).

    The table is found below title rows (see the module text). Excel date cells stay dates;
    CSV cells stay text. The index is the row as the user sees it (a workbook with several
    data sheets: ``"<sheet>!<row>"``). ``sheet`` picks one sheet by name or position.

    Raises:
        InputError: ``table_file`` when the file is missing, unreadable, of another type or
            holds no table; ``table_encoding``; ``table_too_large`` past a :class:`Limits`.
    """
    import pandas as pd

    frames = read_sheets(path, kind=kind, limits=limits)
    if sheet is not None:
        names = list(frames)
        key = names[sheet] if isinstance(sheet, int) and 0 <= sheet < len(names) else sheet
        if key not in frames:
            raise file_error(
                Path(path),
                f"không có trang tính {sheet!r} chứa bảng (có: {', '.join(names)})",
                f"no sheet {sheet!r} holding a table (found: {', '.join(names)})",
            )
        return frames[str(key)]
    if len(frames) == 1:
        return next(iter(frames.values()))
    parts = []
    for name, frame in frames.items():
        f = frame.copy()
        f.index = pd.Index([f"{name}!{i}" for i in frame.index], name="line")
        parts.append(f)
    joined = pd.concat(parts)
    joined.attrs.update(
        {
            "sheets": list(frames),
            "skipped_rows": [r for f in frames.values() for r in f.attrs["skipped_rows"]],
            "skipped_sheets": next(iter(frames.values())).attrs["skipped_sheets"],
            "source": str(path),
        }
    )
    return joined


#: JSON Lines objects nested deeper than this are error rows (a record needs about 5 levels).
MAX_JSON_DEPTH = 32


def _json_depth(value: Any) -> int:
    """Nesting depth of parsed JSON, without recursion (stops once past the limit)."""
    depth, level = 0, [value]
    while level and depth <= MAX_JSON_DEPTH:
        depth += 1
        nxt: list[Any] = []
        for v in level:
            if isinstance(v, dict):
                nxt.extend(v.values())
            elif isinstance(v, list):
                nxt.extend(v)
        level = nxt
    return depth - 1 if not level else depth


def read_jsonl(path: str | os.PathLike[str]) -> list[dict[str, Any] | InputError]:
    """Read JSON Lines: one JSON object per line (blank lines skipped).

    A line that is not a JSON object is returned as an :class:`InputError` in its place,
    so that a batch reports it as an error row instead of losing it.

    Raises:
        InputError: ``table_file`` when the file cannot be read at all.
    """
    p = Path(path)
    try:
        content = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise file_error(p, str(exc), str(exc)) from None
    out: list[dict[str, Any] | InputError] = []
    for n, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            out.append(
                InputError(
                    "invalid_input",
                    f"Dòng {n}: không phải JSON hợp lệ ({exc.msg})",
                    f"Line {n}: not valid JSON ({exc.msg})",
                    field=f"line {n}",
                )
            )
            continue
        except RecursionError:
            item = None  # nested past the interpreter's limit: refused just below
        if item is None or _json_depth(item) > MAX_JSON_DEPTH:
            out.append(
                InputError(
                    "invalid_input",
                    f"Dòng {n}: JSON lồng sâu quá {MAX_JSON_DEPTH} cấp",
                    f"Line {n}: JSON nested more than {MAX_JSON_DEPTH} levels deep",
                    field=f"line {n}",
                )
            )
            continue
        if not isinstance(item, dict):
            out.append(
                InputError(
                    "invalid_input",
                    f"Dòng {n}: cần một đối tượng JSON",
                    f"Line {n}: a JSON object is expected",
                    field=f"line {n}",
                )
            )
            continue
        out.append(item)
    return out


def read_requests(
    path: str | os.PathLike[str], *, sheet: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> pd.DataFrame | list[dict[str, Any] | InputError]:
    """Read batch input: a flat table (.xlsx/.csv) or JSON Lines of ``{cadre, move, as_of}``."""
    p = Path(path)
    if p.suffix.lower() in JSONL_SUFFIXES:
        return read_jsonl(p)
    return read_table(p, sheet=sheet, limits=limits)

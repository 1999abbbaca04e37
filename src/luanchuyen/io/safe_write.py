"""Writing files safely: never half a file under its final name, never a live formula.

* :func:`atomic_paths` gives temporary paths beside the targets (same directory, so the final
  ``os.replace`` is a rename on one file system); the caller writes them; on success each is
  flushed to disk (``fsync``) and renamed into place, then the directory is synced; on ANY
  exit by exception — ``KeyboardInterrupt`` included — every temporary file is removed and the
  previous files are left as they were. Several targets (a results file and its criteria file)
  are all written before the first is renamed, so a failure while writing leaves the old pair.
* :func:`save_workbook` saves an openpyxl workbook reproducibly (fixed times inside: the
  library never reads the wall clock) and atomically.
* :func:`formula_like` / :func:`neutralise` guard against formula injection (CSV injection): a
  text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return — also
  after Unicode NFKC normalisation (a full-width ``＝`` becomes ``=``) and after leading
  spaces — would be run by a spreadsheet as a formula. In xlsx such a value is written as a
  text cell (``t="inlineStr"``, quote prefix); in CSV it gets a leading apostrophe ``'``,
  which spreadsheets show as text (the apostrophe is visible when the CSV is read as data).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from luanchuyen.errors import InputError

__all__ = [
    "FIXED_TIME",
    "FORMULA_STARTS",
    "atomic_path",
    "atomic_paths",
    "formula_like",
    "leftover_temporary_files",
    "neutralise",
    "refuse_overwriting",
    "save_workbook",
    "text_cell",
    "write_bytes",
]

#: Characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS: Final[frozenset[str]] = frozenset("=+-@\t\r")
#: The time stored inside every workbook written (the ZIP epoch): outputs are reproducible.
FIXED_TIME: Final[datetime] = datetime(1980, 1, 1)  # noqa: DTZ001 - naive, as openpyxl stores it
_TMP = re.compile(r"^\..+\.[0-9a-f]{12}\.tmp$")


def _tmp_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows cannot open a directory
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse
        pass
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_paths(targets: Sequence[str | os.PathLike[str]]) -> Iterator[list[Path]]:
    """Temporary paths for ``targets``; renamed into place only if the block succeeds.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> with atomic_paths([d / "a.csv", d / "a.criteria.csv"]) as (a, b):
    ...     _ = a.write_text("x"); _ = b.write_text("y")
    >>> sorted(p.name for p in d.iterdir())
    ['a.criteria.csv', 'a.csv']
    """
    finals = [Path(t) for t in targets]
    temps: list[Path] = []
    done = False
    try:
        for final in finals:
            temps.append(_tmp_name(final))
        yield list(temps)
        for tmp in temps:
            if tmp.exists():
                _fsync_file(tmp)
        for tmp, final in zip(temps, finals, strict=True):
            if tmp.exists():
                tmp.replace(final)
        done = True
        for directory in {f.parent for f in finals}:
            _fsync_dir(directory)
    finally:
        if not done:
            for tmp in temps:
                with contextlib.suppress(OSError):
                    tmp.unlink()


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path for ``target``, renamed into place only if the block succeeds."""
    with atomic_paths([target]) as (tmp,):
        yield tmp


def write_bytes(target: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def refuse_overwriting(output: str | os.PathLike[str], *inputs: str | os.PathLike[str]) -> None:
    """Raise ``invalid_value`` if ``output`` is one of ``inputs`` (same file, links resolved)."""
    out = Path(output)
    for given in inputs:
        src = Path(given)
        same = out.resolve() == src.resolve()
        if not same and out.exists() and src.exists():
            same = out.samefile(src)
        if same:
            raise InputError(
                "invalid_value",
                f"Tệp kết quả {out} trùng với tệp đầu vào; chọn tên khác",
                f"The output file {out} is the input file; choose another name",
                field="out",
            )


# ----------------------------------------------------------------------------- workbooks

_CORE_TIME = re.compile(
    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)"
)


def save_workbook(wb: Any, target: str | os.PathLike[str], stamp: datetime | None = None) -> Path:
    """Save an openpyxl workbook atomically, with fixed times inside (reproducible bytes).

    ``stamp`` (default :data:`FIXED_TIME`) is stored as the creation and modification time of
    the document and as the time of every ZIP entry.
    """
    when = stamp or FIXED_TIME
    wb.properties.created = when
    buffer = io.BytesIO()
    wb.save(buffer)  # openpyxl stamps "modified" with the clock: replaced below
    iso = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    date_time = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    with zipfile.ZipFile(buffer) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _CORE_TIME.sub(rb"\g<1>" + iso + rb"\g<2>", data)
            fixed = zipfile.ZipInfo(info.filename, date_time=date_time)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            zout.writestr(fixed, data)
    return write_bytes(target, out.getvalue())


# ----------------------------------------------------------------------------- injection


def formula_like(value: Any) -> bool:
    """Whether a spreadsheet would read ``value`` as a formula.

    >>> formula_like("=HYPERLINK(\\"x\\")"), formula_like("\\uff1d1+1"), formula_like("An")
    (True, True, False)
    """
    if not isinstance(value, str) or not value:
        return False
    for text in (value, unicodedata.normalize("NFKC", value)):
        stripped = text.lstrip(" \u00a0\u3000")
        if stripped[:1] in FORMULA_STARTS or text[:1] in FORMULA_STARTS:
            return True
    return False


def neutralise(value: Any) -> Any:
    """``value`` made safe for a CSV cell: formula-like text gets a leading apostrophe.

    >>> neutralise("=1+1"), neutralise("-3 tháng"), neutralise(5), neutralise("An")
    ("'=1+1", "'-3 tháng", 5, 'An')
    """
    return "'" + value if formula_like(value) else value


def text_cell(ws: Any, value: str) -> Any:
    """An openpyxl write-only cell holding ``value`` as text, never as a formula."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def leftover_temporary_files(directory: str | os.PathLike[str]) -> list[Path]:
    """Temporary files of :func:`atomic_paths` left in ``directory`` (by a killed process)."""
    return sorted(p for p in Path(directory).iterdir() if _TMP.match(p.name))

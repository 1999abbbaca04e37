"""The public API: everything in ``__all__`` exists, is documented and is stable."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import luanchuyen

ROOT = Path(__file__).resolve().parent.parent


def test_all_names_resolve_and_are_documented() -> None:
    for name in luanchuyen.__all__:
        obj = getattr(luanchuyen, name)
        if name != "__version__":
            assert obj.__doc__, f"{name} has no docstring"


def test_dir_lists_public_api() -> None:
    assert set(dir(luanchuyen)) == set(luanchuyen.__all__)


def test_version_matches_pyproject() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    match = re.search(r'^version = "([^"]+)"', text, re.M)
    assert match and match.group(1) == luanchuyen.__version__


def test_unknown_attribute_raises() -> None:
    with pytest.raises(AttributeError, match="does_not_exist"):
        luanchuyen.does_not_exist  # type: ignore[attr-defined]  # noqa: B018


def test_import_is_light() -> None:
    """``import luanchuyen`` must not pull in durable-rules, pandas or numpy."""
    code = "import luanchuyen, sys; print(sorted(m for m in ('durable', 'pandas', 'numpy', 'matplotlib') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_library_never_reads_the_wall_clock() -> None:
    pattern = re.compile(r"date\.today\(|datetime\.now\(|datetime\.today\(|time\.time\(")
    offenders = [
        f"{p.relative_to(ROOT)}:{i}"
        for p in (ROOT / "src" / "luanchuyen").rglob("*.py")
        if "cli" not in p.parts
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


def test_public_retirement_api() -> None:
    from datetime import date

    r = luanchuyen.retirement("nam", date(1965, 2, 10))
    assert (r.age_months, r.reach_date, r.retirement_date) == (
        738,
        date(2026, 8, 10),
        date(2026, 8, 31),
    )
    assert (
        luanchuyen.remaining_service_months(
            luanchuyen.Gender.NAM, date(1965, 2, 10), date(2021, 8, 10)
        )
        == 60
    )
    assert luanchuyen.retirement("nữ", date(1980, 1, 1), override_age_months=720).age_months == 720

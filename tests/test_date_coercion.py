"""Issue 11 item 7: every date argument takes the same forms through one function."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from tests.factories import base_cadre, base_move
from typer.testing import CliRunner

import luanchuyen
from luanchuyen.dates import to_date
from luanchuyen.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
DAY = date(2024, 6, 1)
FORMS = [
    DAY,
    datetime(2024, 6, 1, 23, 59),  # noqa: DTZ001
    pd.Timestamp("2024-06-01 08:00"),
    "01/06/2024",
    "1/6/2024",
    "2024-06-01",
    " 01/06/2024 ",
]
BAD = [
    "2024/06/01",
    "01-06-2024",
    "06/2024",
    "31/06/2024",
    "",
    20240601,
    1.5,
    None,
    True,
    b"2024-06-01",
    ["2024-06-01"],
]


@pytest.mark.parametrize("value", FORMS, ids=repr)
def test_to_date_accepts(value: object) -> None:
    assert to_date(value) == DAY
    assert type(to_date(value)) is date


@pytest.mark.parametrize("value", BAD, ids=repr)
def test_to_date_refuses_with_a_coded_bilingual_error(value: object) -> None:
    with pytest.raises(InputError) as info:
        to_date(value, "as_of")
    err = info.value
    assert err.code == "invalid_date" and err.field == "as_of"
    assert err.message_vi != err.message_en and "as_of" in err.message_en


@pytest.mark.parametrize("value", FORMS, ids=repr)
def test_every_public_date_argument_takes_every_form(value: object) -> None:
    d = luanchuyen.evaluate(base_cadre(), base_move(), as_of=value, backend="reference")  # type: ignore[arg-type]
    assert d.provenance.as_of == DAY and type(d.provenance.as_of) is date
    born = value if not isinstance(value, str) else value.replace("2024", "1966")
    r = luanchuyen.retirement("nam", born if isinstance(value, str) else date(1966, 6, 1))  # type: ignore[arg-type]
    assert r.date_of_birth == date(1966, 6, 1)
    months = luanchuyen.remaining_service_months("nam", "01/06/1966", value)  # type: ignore[arg-type]
    assert months == luanchuyen.remaining_service_months("nam", date(1966, 6, 1), DAY)


@pytest.mark.parametrize("value", ["2024/06/01", 20240601, None])
def test_public_api_refuses_other_forms(value: object) -> None:
    with pytest.raises(InputError) as info:
        luanchuyen.evaluate(base_cadre(), base_move(), as_of=value, backend="reference")  # type: ignore[arg-type]
    assert info.value.code == "invalid_date"
    with pytest.raises(InputError) as info:
        luanchuyen.remaining_service_months("nam", date(1966, 6, 1), value)  # type: ignore[arg-type]
    assert info.value.code == "invalid_date"


def test_cli_check_as_of_takes_both_strings(tmp_path: Path) -> None:
    from luanchuyen.cli import _register, app

    _register()
    case = next((ROOT / "examples" / "cases").glob("*.yaml"))
    runner = CliRunner()
    outs = [
        runner.invoke(
            app, ["check", str(case), "--as-of", v, "--format", "json", "--backend", "reference"]
        )
        for v in ("01/06/2024", "2024-06-01")
    ]
    assert all(o.exit_code == 0 for o in outs), [o.output for o in outs]
    assert outs[0].output == outs[1].output
    bad = runner.invoke(app, ["check", str(case), "--as-of", "2024/06/01"])
    assert bad.exit_code == 2 and "invalid_date" in bad.output


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT
    )


def test_testing_package_names_its_extra_when_hypothesis_is_missing() -> None:
    out = _run(
        "import sys; sys.modules['hypothesis'] = None\n"
        "try:\n    import luanchuyen.testing\n"
        "except Exception as exc:\n    print(type(exc).__name__, exc.code, exc.message_en)\n"
    )
    assert "MissingExtraError missing_extra" in out.stdout, out
    assert "pip install 'luanchuyen[testing]'" in out.stdout


def test_cli_command_names_its_extra_when_pandas_is_missing(tmp_path: Path) -> None:
    sheet = tmp_path / "in.csv"
    sheet.write_text("a\n1\n", encoding="utf-8")
    out = _run(
        "import sys; sys.modules['pandas'] = None\n"
        "from luanchuyen.cli import main\n"
        f"sys.argv = ['luanchuyen', 'batch', {str(sheet)!r}, '--as-of', '01/06/2024', '--out', {str(tmp_path / 'o.csv')!r}]\n"
        "main()\n"
    )
    assert out.returncode == 2, out
    assert "Traceback" not in out.stderr, out.stderr
    assert "missing_extra" in out.stderr and "luanchuyen[analysis]" in out.stderr


def test_structural_lint_loads_no_engine() -> None:
    out = _run(
        "import sys\nfrom luanchuyen.authoring.lint import lint\n"
        "assert lint('rules', cases=False).ok\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('durable', 'pandas', 'numpy')"
        " or m.startswith(('luanchuyen.engine', 'luanchuyen.evaluation', 'luanchuyen.decision'))))\n"
    )
    assert out.stdout.strip() == "[]", out

"""``make soak``: coverage-guided fuzzing of the loaders with atheris, 5 minutes each.

Not part of ``make test`` (marked ``soak``; ``benchmarks/`` is not in the default test
paths either). Skipped when atheris is not installed (``pip install atheris``).
Set ``LUANCHUYEN_FUZZ_SECONDS`` to fuzz longer or shorter.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("fuzz_atheris.py")
SECONDS = int(os.environ.get("LUANCHUYEN_FUZZ_SECONDS", "300"))


@pytest.mark.soak
@pytest.mark.parametrize("target", ["rules", "cases"])
def test_fuzz_loaders_with_atheris(target: str, tmp_path: Path) -> None:
    pytest.importorskip("atheris")
    done = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            target,
            "--seconds",
            str(SECONDS),
            "--artifacts",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=SECONDS + 300,
    )
    crashes = sorted(p.name for p in tmp_path.iterdir())
    report = f"exit {done.returncode}, inputs {crashes} in {tmp_path}\n{done.stderr[-4000:]}"
    assert done.returncode == 0, report
    assert not crashes, report

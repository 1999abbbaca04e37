"""Issue 17 items 2 and 7: worker processes check what they loaded; a dead worker is error rows.

On main, workers reloaded the packs from disk and never compared their content with the
parent's (a pack edited during a run gave 48 of 2,000 different verdicts for one ``RuleSet``),
and a killed worker gave a ``BrokenProcessPool`` traceback and no output.
"""

from __future__ import annotations

import os
import shutil
import signal
from datetime import date
from pathlib import Path

import pytest

from factories import base_cadre, base_move
from luanchuyen.batch import evaluate_many
from luanchuyen.ruleset.compile import RuleSet
from luanchuyen.ruleset.loader import discover_packs

pytestmark = pytest.mark.slow
AS_OF = date(2024, 6, 1)


def _pairs(n: int) -> list[tuple[dict[str, object], dict[str, object]]]:
    return [(base_cadre(id=f"C{i}"), base_move()) for i in range(n)]


def test_a_pack_edited_on_disk_during_a_run_is_refused(tmp_path: Path) -> None:
    packs = discover_packs(None)
    src = packs["qd65"]
    copy = tmp_path / "qd65"
    shutil.copytree(src, copy)
    rules = RuleSet.from_paths([copy])
    for f in (copy / "rules").glob("*.yaml"):  # the edit lands after the parent loaded it
        f.write_text(f.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    frame = evaluate_many(_pairs(8), as_of=AS_OF, rules=rules, backend="reference", workers=2)
    assert len(frame) == 8
    assert (frame["status"] == "error").all()
    assert frame["error_code"].eq("rule_file").all()


def test_a_killed_worker_gives_coded_error_rows_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from loky import ProcessPoolExecutor

    original = ProcessPoolExecutor.submit

    def submit(self: ProcessPoolExecutor, fn: object, *a: object, **k: object) -> object:
        fut = original(self, fn, *a, **k)  # type: ignore[arg-type]
        for pid in list(self._processes):  # kill one worker as soon as work is queued
            os.kill(pid, signal.SIGKILL)
            break
        return fut

    monkeypatch.setattr(ProcessPoolExecutor, "submit", submit)
    frame = evaluate_many(_pairs(6), as_of=AS_OF, backend="reference", workers=2)
    assert len(frame) == 6
    errors = frame[frame["status"] == "error"]
    assert len(errors) >= 1
    assert errors["error_code"].eq("engine_failure").all()
    assert list(frame["row"]) == list(range(6))


PARENT = r"""
import sys, psutil
from datetime import date
sys.path.insert(0, "tests")
from factories import base_cadre, base_move
from luanchuyen.batch import evaluate_many

pairs = [(base_cadre(id=f"C{i}"), base_move()) for i in range(20000)]
told = []

def progress(done, total):
    if not told:
        told.append(1)
        kids = [p.pid for p in psutil.Process().children(recursive=True)]
        print(" ".join(map(str, kids)), flush=True)

evaluate_many(pairs, as_of=date(2024, 6, 1), backend="reference", workers=2, progress=progress)
print("finished", flush=True)
"""


def test_workers_leave_when_their_parent_is_killed() -> None:
    """17.7: SIGKILL the parent mid-batch; every process it started is gone within seconds."""
    import subprocess
    import sys
    import time

    import psutil

    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen(
        [sys.executable, "-c", PARENT], cwd=root, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().split()
        kids = [int(x) for x in line if x.isdigit()]
        assert len(kids) >= 2, line  # the two workers (and loky's resource tracker)
        proc.kill()
        proc.wait(timeout=30)
        deadline = time.monotonic() + 20
        alive = kids
        while alive and time.monotonic() < deadline:
            time.sleep(0.2)
            alive = [
                k
                for k in kids
                if psutil.pid_exists(k) and psutil.Process(k).status() != psutil.STATUS_ZOMBIE
            ]
        assert alive == [], f"still alive after the parent was killed: {alive}"
    finally:
        if proc.poll() is None:
            proc.kill()

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

"""Decision records are reproducible: same input, same rules → the same bytes.

Two separate interpreters (with different hash seeds, so that no set or dict ordering can
leak into the output) evaluate the same inputs with every backend; their JSON records must
be byte-for-byte equal to each other and to this process's, and carry the same rule hash.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from factories import base_cadre, base_move
from luanchuyen.evaluation import evaluate

INPUTS = [
    (base_cadre(), base_move(), "01/06/2024"),
    (
        base_cadre(id="R2", gender="nữ", disciplines=None, health=None, planning=[]),
        base_move(kind="biet_phai", planned_start="01/07/2024", planned_end="01/07/2028"),
        "2024-06-01",
    ),
    (
        base_cadre(
            id="R3",
            date_of_birth="1966",
            disciplines=[{"form": "canh_cao", "decision_date": "01/10/2023"}],
            current_post={"title": "Trưởng phòng", "title_code": "truong_phong", "level": "tinh"},
        ),
        base_move(
            kind="dieu_dong",
            target={"title": "Giám đốc Sở", "title_code": "giam_doc_so", "level": "tinh"},
        ),
        "23/11/2026",
    ),
]
BACKENDS = ("reference", "vector", "durable")

_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from luanchuyen.evaluation import evaluate
    inputs = json.load(open(sys.argv[1], encoding="utf-8"))
    out = []
    for cadre, move, as_of in inputs:
        for backend in {backends!r}:
            out.append(evaluate(cadre, move, as_of=as_of, backend=backend).to_json())
    sys.stdout.buffer.write("\\x1e".join(out).encode("utf-8"))
    """
).format(backends=BACKENDS)


def _records_in_child(inputs_file: Path, seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(inputs_file)],
        capture_output=True,
        env=env,
        timeout=180,
        check=True,
    )
    return done.stdout


def test_decision_json_is_byte_for_byte_reproducible(tmp_path: Path) -> None:
    inputs_file = tmp_path / "inputs.json"
    inputs_file.write_text(json.dumps(INPUTS, ensure_ascii=False), encoding="utf-8")
    first = _records_in_child(inputs_file, "1")
    second = _records_in_child(inputs_file, "2")
    assert first == second
    here = "\x1e".join(
        evaluate(c, m, as_of=d, backend=b).to_json() for c, m, d in INPUTS for b in BACKENDS
    ).encode("utf-8")
    assert first == here
    records = [json.loads(r) for r in first.decode("utf-8").split("\x1e")]
    assert len(records) == len(INPUTS) * len(BACKENDS)
    by_input = [records[i : i + len(BACKENDS)] for i in range(0, len(records), len(BACKENDS))]
    for group in by_input:
        hashes = {r["provenance"]["rules_hash"] for r in group}
        assert len(hashes) == 1
        # the backends differ only in the provenance's backend name
        bodies = {json.dumps({**r, "provenance": None}, sort_keys=True) for r in group}
        assert len(bodies) == 1

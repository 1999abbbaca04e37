"""Every YAML case beside a rule pack gives the same Decision on both backends.

The pytest plugin checks each case's *expectations*; this module checks that the reference
and the durable-rules backends agree on *everything else* too: the verdict, the priority, every
criterion's outcome, applied effect, message and missing facts, the warnings, reviews and
blocking lists, the derived facts and the context. Only ``provenance.backend`` may differ.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from luanchuyen.decision import Decision
from luanchuyen.engine.durable import DurableBackend
from luanchuyen.errors import LuanChuyenError
from luanchuyen.evaluation import evaluate
from luanchuyen.io.cases import Case, load_cases
from luanchuyen.ruleset.compile import RuleSet
from luanchuyen.ruleset.loader import load_pack

RULES = Path(__file__).resolve().parents[1] / "rules"
CASE_FILES = sorted(
    p for p in RULES.glob("*/tests/*.y*ml") if (p.parents[1] / "pack.yaml").is_file()
)


def _collect() -> tuple[list[Any], dict[str, str]]:
    """Every case as a pytest parameter, plus the files that could not be loaded."""
    params: list[Any] = []
    errors: dict[str, str] = {}
    for path in CASE_FILES:
        pack_dir = path.parents[1]
        try:
            cases = load_cases(path)
        except LuanChuyenError as exc:
            errors[str(path)] = f"[{exc.code}] {exc.message_en}"
            continue
        for case in cases:
            ident = f"{pack_dir.name}/{path.name}::{case.name}"
            params.append(pytest.param(pack_dir, case, id=ident))
    return params, errors


CASES, LOAD_ERRORS = _collect()


@cache
def _ruleset(pack_dir: Path, names: tuple[str, ...], locality: str | None) -> RuleSet:
    """The rule set the plugin uses: national packs, named overlays, the pack if an overlay."""
    wanted = list(names)
    if load_pack(pack_dir).meta.kind == "overlay" and pack_dir.name not in wanted:
        wanted.append(pack_dir.name)
    return RuleSet.load(*wanted, path=pack_dir.parent, locality=locality)


@cache
def _durable() -> DurableBackend:
    """One durable backend for the module, so that its session counters can be checked."""
    return DurableBackend()


def _comparable(decision: Decision) -> dict[str, Any]:
    data = decision.model_dump(mode="json")
    data["provenance"].pop("backend")
    return data


def _first_difference(a: Any, b: Any, path: str = "") -> str:
    """A readable path to the first place two dumped decisions differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b), key=str):
            if a.get(key) != b.get(key):
                return _first_difference(a.get(key), b.get(key), f"{path}.{key}")
    if isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            if x != y:
                label = x.get("rule_id", i) if isinstance(x, dict) else i
                return _first_difference(x, y, f"{path}[{label}]")
        if len(a) != len(b):
            return f"{path}: {len(a)} ≠ {len(b)} items"
    return f"{path}: {a!r} ≠ {b!r}"


def test_the_case_files_are_found() -> None:
    names = {p.name for p in CASE_FILES}
    assert {"tc_e1.yaml", "tc_e2.yaml", "tc_national.yaml", "boundaries.yaml"} <= names
    assert {"boundaries_service.yaml", "boundaries_discipline.yaml"} <= names
    assert {"boundaries_structure.yaml", "boundaries_family.yaml"} <= names
    # the worked cases of law brief §7 and the boundary cases alone are 192
    assert len(CASES) >= 192


def test_every_case_file_loads() -> None:
    assert not LOAD_ERRORS


def test_every_case_states_what_it_expects() -> None:
    missing = [p.id for p in CASES if p.values[1].expected is None]
    assert not missing, missing


@pytest.mark.parametrize(("pack_dir", "case"), CASES)
def test_reference_and_durable_decisions_are_identical(pack_dir: Path, case: Case) -> None:
    rules = _ruleset(pack_dir, tuple(case.rules), case.locality)
    durable = _durable()
    reference = evaluate(case.cadre, case.move, as_of=case.as_of, rules=rules, backend="reference")
    engine = evaluate(case.cadre, case.move, as_of=case.as_of, rules=rules, backend=durable)
    assert engine.provenance.backend == "durable"
    assert reference.provenance.backend == "reference"
    # The headline first, so that a failure names what matters most.
    assert engine.verdict == reference.verdict
    assert engine.priority == reference.priority
    assert engine.blocking == reference.blocking
    for ref_c, dur_c in zip(reference.criteria, engine.criteria, strict=True):
        assert dur_c.rule_id == ref_c.rule_id
        assert (dur_c.outcome, dur_c.applied_effect) == (ref_c.outcome, ref_c.applied_effect), (
            ref_c.rule_id
        )
        assert dur_c.message == ref_c.message, ref_c.rule_id
    left, right = _comparable(reference), _comparable(engine)
    assert left == right, _first_difference(left, right)
    assert durable.live_sessions == 0
    assert durable.max_live_seen <= 1

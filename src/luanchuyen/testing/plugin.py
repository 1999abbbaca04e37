"""pytest plugin: every ``tests/*.yaml`` beside a rule pack becomes a test item.

Registered through the ``pytest11`` entry point, so ``pytest rules/`` works in any project
that installs luanchuyen. A failure lists expected against actual, criterion by criterion,
in Vietnamese.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from luanchuyen.errors import LuanChuyenError

__all__ = ["CaseMismatch", "RuleCaseFile", "RuleCaseItem", "pytest_collect_file"]


class CaseMismatch(AssertionError):
    """Raised when a YAML case's expectation does not hold."""


def _is_rule_case(path: Path) -> bool:
    return (
        path.suffix in (".yaml", ".yml")
        and path.parent.name == "tests"
        and (path.parent.parent / "pack.yaml").is_file()
    )


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    """Collect ``<pack>/tests/*.yaml`` files."""
    if _is_rule_case(file_path):
        return RuleCaseFile.from_parent(parent, path=file_path)
    return None


class RuleCaseFile(pytest.File):
    """A YAML file of rule cases."""

    def collect(self) -> Iterator[RuleCaseItem]:
        from luanchuyen.io.cases import load_cases

        pack_dir = self.path.parent.parent
        for case in load_cases(self.path):
            yield RuleCaseItem.from_parent(self, name=case.name, case=case, pack_dir=pack_dir)


class RuleCaseItem(pytest.Item):
    """One YAML case, evaluated on the reference and the durable-rules backends."""

    def __init__(self, *, case: Any, pack_dir: Path, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.pack_dir = pack_dir

    def runtest(self) -> None:
        from luanchuyen.evaluation import evaluate
        from luanchuyen.ruleset.compile import RuleSet

        case = self.case
        root = self.pack_dir.parent
        names = list(case.rules)
        from luanchuyen.ruleset.loader import load_pack

        if load_pack(self.pack_dir).meta.kind == "overlay" and self.pack_dir.name not in names:
            names.append(self.pack_dir.name)
        rules = RuleSet.load(*names, path=root, locality=case.locality)
        expected = case.expected
        if expected is None:
            raise CaseMismatch(f"{case.name}: thiếu 'expected' / missing 'expected'")
        problems: list[str] = []
        for backend in ("reference", "durable"):
            d = evaluate(case.cadre, case.move, as_of=case.as_of, rules=rules, backend=backend)
            tag = f"[{backend}]"
            if expected.verdict is not None and d.verdict.value != expected.verdict:
                problems.append(f"{tag} kết luận: mong đợi {expected.verdict}, thực tế {d.verdict.value}")
            if expected.priority is not None and d.priority != expected.priority:
                problems.append(f"{tag} ưu tiên: mong đợi {expected.priority}, thực tế {d.priority}")
            outcomes = d.outcomes()
            for rid, want in expected.outcomes.items():
                got = outcomes.get(rid)
                got_s = got.value if got is not None else "không có trong bộ quy tắc"
                if got_s != want:
                    msg = d.criterion(rid).message.vi if got is not None else ""
                    problems.append(f"{tag} {rid}: mong đợi {want}, thực tế {got_s} — {msg}")
            for name, want_fact in expected.facts.items():
                if d.facts.get(name) != want_fact:
                    problems.append(f"{tag} dữ kiện {name}: mong đợi {want_fact!r}, thực tế {d.facts.get(name)!r}")
        if problems:
            raise CaseMismatch("\n".join(problems))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, CaseMismatch | LuanChuyenError):
            return f"Hồ sơ '{self.case.name}' ({self.path.name}):\n{excinfo.value}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"rule case: {self.case.name}"

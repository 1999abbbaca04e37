"""pytest plugin: every ``tests/*.yaml`` beside a rule pack becomes a test item.

Registered through the ``pytest11`` entry point, so ``pytest rules/`` works in any project
that installs luanchuyen (no ``conftest.py`` needed). Each case runs on the reference and
the durable-rules backends; a failure shows, in Vietnamese first, a table of expected
against actual, criterion by criterion, with the reason the engine gave.

Every outcome the cases produce is recorded per rule; ``pytest --rules-coverage`` prints
the coverage table at the end (the same data as ``luanchuyen rules coverage``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from luanchuyen.errors import LuanChuyenError

__all__ = [
    "CaseMismatchError",
    "CoverageRecorder",
    "RuleCaseFile",
    "RuleCaseItem",
    "format_mismatches",
    "pytest_addoption",
    "pytest_collect_file",
    "pytest_configure",
    "pytest_terminal_summary",
    "session_coverage",
]


class CaseMismatchError(AssertionError):
    """Raised when a YAML case's expectation does not hold (the message is the report)."""


class CoverageRecorder:
    """Per-rule outcomes of the YAML cases run in a session (reference backend)."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, str], dict[str, list[str]]] = {}
        self.pack_dirs: dict[str, Path] = {}

    def record(self, decision: Any, label: str, pack_dir: Path) -> None:
        """Record every criterion's outcome of ``decision`` under ``label``."""
        self.pack_dirs.setdefault(str(pack_dir.resolve()), pack_dir)
        for crit in decision.criteria:
            key = (crit.pack, crit.rule_id)
            self.seen.setdefault(key, {}).setdefault(crit.outcome.value, []).append(label)

    def rows(self) -> list[Any]:
        """:class:`~luanchuyen.authoring.coverage.RuleCoverage` rows for the packs whose cases ran."""
        from luanchuyen.authoring.coverage import RuleCoverage, rule_reachability
        from luanchuyen.authoring.inspect import national_packs_for
        from luanchuyen.ruleset.loader import load_pack

        out: list[RuleCoverage] = []
        for pack_dir in self.pack_dirs.values():
            try:
                pack = load_pack(pack_dir)
                reach = rule_reachability(pack, national_packs_for(pack_dir))
            except LuanChuyenError:
                continue
            for rule in pack.rules:
                seen = self.seen.get((pack.id, rule.id), {})
                out.append(
                    RuleCoverage(
                        pack.id,
                        rule.id,
                        rule.file,
                        rule.spec.effect,
                        {k: list(v) for k, v in seen.items()},
                        reach.get(rule.id),
                    )
                )
        return out


_RECORDER = pytest.StashKey[CoverageRecorder]()
_RUNNER = pytest.StashKey[Any]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--rules-coverage``."""
    group = parser.getgroup("luanchuyen", "luanchuyen rule cases")
    group.addoption(
        "--rules-coverage",
        action="store_true",
        default=False,
        help="In độ phủ quy tắc của các hồ sơ YAML / print per-rule coverage of the YAML cases",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Create the session's coverage recorder and case runner."""
    from luanchuyen.authoring.coverage import CaseRunner

    config.stash[_RECORDER] = CoverageRecorder()
    config.stash[_RUNNER] = CaseRunner()


def session_coverage(config: pytest.Config) -> CoverageRecorder:
    """The coverage recorded so far in this session."""
    return config.stash[_RECORDER]


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


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """With ``--rules-coverage``, print which outcomes the cases exercised, rule by rule."""
    if not config.getoption("--rules-coverage", default=False):
        return
    rows = config.stash[_RECORDER].rows() if _RECORDER in config.stash else []
    if not rows:
        return
    from luanchuyen.authoring.coverage import OUTCOMES

    tr = terminalreporter
    tr.section("luanchuyen: độ phủ quy tắc / rule coverage")
    width = max(len(r.rule_id) for r in rows)
    pw = max(len(r.pack_id) for r in rows)
    tr.write_line(f"{'pack':<{pw}} {'rule':<{width}} " + " ".join(f"{o:>14}" for o in OUTCOMES))
    for r in rows:
        cells = []
        for o in OUTCOMES:
            n = r.count(o)
            cell = "—" if not r.can(o) else (f"{n} !" if o in r.missing else str(n))
            cells.append(f"{cell:>14}")
        tr.write_line(f"{r.pack_id:<{pw}} {r.rule_id:<{width}} " + " ".join(cells))
    missing = [r for r in rows if r.missing]
    tr.write_line(
        f"{len(rows) - len(missing)}/{len(rows)} quy tắc có hồ sơ đạt và không đạt / "
        "rules with both a passing and a failing case ('!' = còn thiếu / missing, "
        "'—' = không thể xảy ra / unreachable)"
    )


class RuleCaseFile(pytest.File):
    """A YAML file of rule cases."""

    def collect(self) -> Iterator[pytest.Item]:
        """One item per case (or one failing item when the file cannot be read)."""
        from luanchuyen.io.cases import load_cases

        pack_dir = self.path.parent.parent
        try:
            cases = load_cases(self.path)
        except LuanChuyenError as exc:
            yield RuleCaseItem.from_parent(
                self, name=self.path.name, case=None, pack_dir=pack_dir, load_error=exc
            )
            return
        used: dict[str, int] = {}
        for case in cases:
            n = used[case.name] = used.get(case.name, 0) + 1
            name = case.name if n == 1 else f"{case.name} #{n}"
            yield RuleCaseItem.from_parent(self, name=name, case=case, pack_dir=pack_dir)


def _table(rows: Sequence[tuple[str, str, str, str]]) -> list[str]:
    head = ("mã quy tắc / rule id", "mong đợi / expected", "thực tế / actual", "lý do / reason")
    widths = [max(len(r[i]) for r in (head, *rows)) for i in range(3)]

    def line(r: tuple[str, str, str, str]) -> str:
        return " | ".join(r[i].ljust(widths[i]) for i in range(3)) + " | " + r[3]

    sep = "-+-".join("-" * w for w in widths) + "-+-" + "-" * 20
    return [line(head), sep, *(line(r) for r in rows)]


def _row(m: Any) -> tuple[str, str, str, str]:
    if m.aspect == "verdict":
        key = "(kết luận / verdict)"
    elif m.aspect == "priority":
        key = "(ưu tiên / priority)"
    elif m.aspect == "fact":
        key = f"dữ kiện / fact {m.key}"
    elif m.aspect == "expectation":
        key = f"{m.key} (mong đợi sai / bad expectation)"
    else:
        key = m.key
    return key, m.expected, m.actual, m.reason_vi


def format_mismatches(
    case: Any, problems: Mapping[str, Sequence[Any]], *, packs: Sequence[str] = ()
) -> str:
    """The failure report of one case: a table per distinct set of mismatches.

    Args:
        case: the :class:`~luanchuyen.io.cases.Case`.
        problems: backend name → its mismatches (the same list for two backends is shown once).
        packs: the packs the case ran with.
    """
    lines = [
        f"Hồ sơ '{case.name}' không khớp mong đợi / the case does not match its expectation",
        f"Ngày đánh giá / as of: {case.as_of:%d/%m/%Y}"
        + (f" · bộ quy tắc / packs: {', '.join(packs)}" if packs else ""),
    ]
    if case.description:
        lines.append(f"Mô tả / description: {case.description}")
    groups: list[tuple[list[str], Sequence[Any]]] = []
    for backend, found in problems.items():
        if not found:
            continue
        for names, other in groups:
            if list(other) == list(found):
                names.append(backend)
                break
        else:
            groups.append(([backend], found))
    for names, found in groups:
        lines += ["", f"[{', '.join(names)}]", *_table([_row(m) for m in found])]
        english = [f"  {m.key}: {m.reason_en}" for m in found if m.reason_en]
        if english:
            lines += ["English reasons:", *english]
    return "\n".join(lines)


class RuleCaseItem(pytest.Item):
    """One YAML case, evaluated on the reference and the durable-rules backends."""

    def __init__(
        self,
        *,
        case: Any,
        pack_dir: Path,
        load_error: LuanChuyenError | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.pack_dir = pack_dir
        self.load_error = load_error

    def runtest(self) -> None:
        """Run the case on both backends and compare with its expectations."""
        from luanchuyen.authoring.coverage import CaseRunner, compare_backends, compare_expected

        if self.load_error is not None:
            raise self.load_error
        case = self.case
        if case.expected is None:
            raise CaseMismatchError(
                f"Hồ sơ '{case.name}': thiếu 'expected' (kết quả mong đợi)\n"
                f"Case '{case.name}': missing 'expected'"
            )
        runner = self.config.stash.get(_RUNNER, None) or CaseRunner()
        reference = runner.run(case, self.pack_dir, "reference")
        if _RECORDER in self.config.stash:
            self.config.stash[_RECORDER].record(
                reference, f"{self.path.name}: {case.name}", self.pack_dir
            )
        durable = runner.run(case, self.pack_dir, "durable")
        problems = {
            "reference": compare_expected(case.expected, reference),
            "durable": compare_expected(case.expected, durable)
            + compare_backends(reference, durable),
        }
        if any(problems.values()):
            raise CaseMismatchError(
                format_mismatches(case, problems, packs=reference.provenance.packs)
            )

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        """The report for a mismatch or a bilingual error; a traceback for anything else."""
        exc = excinfo.value
        where = f"Tệp / file: {self.path}"
        if isinstance(exc, CaseMismatchError):
            return f"{where}\n{exc}"
        if isinstance(exc, LuanChuyenError):
            from luanchuyen.authoring.coverage import yaml_hint

            label = self.case.name if self.case is not None else self.path.name
            hint_vi, hint_en = yaml_hint(exc)
            return (
                f"{where}: '{label}'\n"
                f"Lỗi [{exc.code}] {exc.message_vi}{hint_vi}\n"
                f"Error [{exc.code}] {exc.message_en}{hint_en}"
            )
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        """Where the case lives."""
        label = self.case.name if self.case is not None else self.path.name
        return self.path, 0, f"rule case: {label}"

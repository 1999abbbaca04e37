"""Rule coverage: which outcomes the YAML test cases beside the packs exercise, rule by rule.

Every ``<pack>/tests/*.yaml`` case is evaluated (on the reference backend by default) and
each criterion's outcome (pass, fail, unknown, not applicable) is recorded against its rule.
A rule counts as tested when some case makes it pass and some case makes it fail, unless
that outcome is *unreachable*: :func:`reachable_outcomes` enumerates the few values that
matter for each fact the rule reads (a rule requiring ``move_kind is known`` can never
fail, for example, because the move kind is always known).

The same module runs one case the way the pytest plugin does (:class:`CaseRunner`) and
compares a decision with a case's expectations (:func:`compare_expected`), so that
``pytest rules/``, ``luanchuyen rules lint`` and ``luanchuyen rules coverage`` agree.
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Final

from luanchuyen.authoring.inspect import national_pack_dirs, national_packs_for
from luanchuyen.decision import Decision, Outcome, Verdict, outcome_of
from luanchuyen.errors import LuanChuyenError
from luanchuyen.facts.registry import FACTS, FactValue
from luanchuyen.io.cases import Case, Expected, load_cases
from luanchuyen.ruleset.compile import CompiledRule, RuleSet, compile_rule
from luanchuyen.ruleset.conditions import Compare, Condition, ParamRef, evaluate, facts_of, walk
from luanchuyen.ruleset.loader import Pack, default_rules_dir, discover_packs, load_pack
from luanchuyen.ruleset.timeline import params_on, rule_check_dates, stack_for

__all__ = [
    "ALWAYS_KNOWN_FACTS",
    "OUTCOMES",
    "CaseProblem",
    "CaseRunner",
    "CoverageReport",
    "Mismatch",
    "RuleCoverage",
    "compare_backends",
    "compare_expected",
    "coverage_table",
    "measure_coverage",
    "pack_case_files",
    "reachable_outcomes",
    "rule_reachability",
    "yaml_hint",
]

#: The four outcomes, in the order tables show them.
OUTCOMES: Final[tuple[str, ...]] = tuple(o.value for o in Outcome)

#: Facts that :func:`luanchuyen.facts.derive_facts` derives for every valid (cadre, move):
#: they come from required fields or from fields with a default. A condition on them is
#: never unknown, which :func:`reachable_outcomes` uses (``tests/test_strategies.py`` checks
#: the list against generated cases).
ALWAYS_KNOWN_FACTS: Final[frozenset[str]] = frozenset(
    {
        "move_kind",  # move.kind (required)
        "special_case_requested",  # move field, default false
        "policy_case",  # move field, default false
        "gender",  # cadre.gender (required)
        "age_months",  # cadre.date_of_birth (required)
        "remaining_service_months",
        "remaining_terms",
        "days_to_retirement",
        "target_level",  # move.target.level (required)
        "target_created_for_move",  # target field, default false
        "target_requires_degree",  # whether target.required_degree is set
        "target_requires_political_theory",
    }
)

#: Above this many combinations, :func:`reachable_outcomes` gives up (returns ``None``).
MAX_COMBINATIONS: Final[int] = 400_000


# --------------------------------------------------------------------------- running cases


def pack_case_files(pack_dir: str | os.PathLike[str]) -> list[Path]:
    """The YAML case files of a pack (``tests/*.yaml`` and ``tests/*.yml``), sorted."""
    tests = Path(pack_dir) / "tests"
    if not tests.is_dir():
        return []
    return sorted([*tests.glob("*.yaml"), *tests.glob("*.yml")])


def _has_national(root: Path) -> bool:
    return root.is_dir() and bool(national_pack_dirs(root))


class CaseRunner:
    """Evaluates YAML cases the way the pytest plugin does, caching rule sets.

    A case beside pack ``P`` runs with the national packs next to ``P`` (or, when there are
    none, the bundled ones), the overlays the case names in ``rules:`` or declares through
    ``locality:``, and ``P`` itself when ``P`` is an overlay.
    """

    def __init__(self) -> None:
        self._rulesets: dict[tuple[str, tuple[str, ...], str | None], RuleSet] = {}
        self._roots: dict[Path, Path] = {}
        self._packs: dict[Path, Pack] = {}

    def _pack(self, pack_dir: Path) -> Pack:
        found = self._packs.get(pack_dir)
        if found is None:
            found = self._packs[pack_dir] = load_pack(pack_dir)
        return found

    def _root(self, pack_dir: Path) -> Path:
        root = self._roots.get(pack_dir)
        if root is None:
            parent = pack_dir.parent
            root = parent if _has_national(parent) else default_rules_dir()
            self._roots[pack_dir] = root
        return root

    def ruleset(self, case: Case, pack_dir: str | os.PathLike[str]) -> RuleSet:
        """The rule set a case of ``pack_dir`` runs with (cached)."""
        pdir = Path(pack_dir).resolve()
        key = (str(pdir), tuple(case.rules), case.locality)
        cached = self._rulesets.get(key)
        if cached is not None:
            return cached
        pack = self._pack(pdir)
        root = self._root(pdir)
        inside = pdir.parent == Path(root).resolve()
        names = [n for n in case.rules if n not in (pack.id, pdir.name)]
        own: list[Path] = []
        if pack.meta.kind == "overlay" or not inside:
            if inside:
                names.append(pdir.name)
            else:
                own.append(pdir)  # the pack under test: a path from the caller, not from data
        rules = RuleSet.load(*names, path=root, locality=case.locality, pack_dirs=own)
        self._rulesets[key] = rules
        return rules

    def run(
        self, case: Case, pack_dir: str | os.PathLike[str], backend: str = "reference"
    ) -> Decision:
        """Evaluate one case on ``backend`` ("reference" or "durable")."""
        from luanchuyen.evaluation import evaluate

        rules = self.ruleset(case, pack_dir)
        return evaluate(
            case.cadre,
            case.move,
            as_of=case.as_of,
            rules=rules,
            backend="durable" if backend == "durable" else "reference",
        )


def yaml_hint(exc: LuanChuyenError) -> tuple[str, str]:
    """Extra advice for a case-file error that usually comes from YAML writing (else empty).

    In a ``{title: ..., level: ...}`` mapping, a comma inside the title ends the value: the
    rest becomes an "unexpected field" whose name contains spaces.
    """
    field = exc.field or ""
    last = field.rsplit(".", 1)[-1]
    if exc.code == "invalid_input" and " " in last:
        return (
            " — có thể do dấu phẩy trong {...}: đặt giá trị trong ngoặc kép, ví dụ "
            'title: "Phó Trưởng phòng Kế hoạch, Sở Tài chính"',
            " — probably a comma inside {...}: put the value in double quotes, for example "
            'title: "Deputy head, Department of Finance"',
        )
    return "", ""


# --------------------------------------------------------------------------- expectations


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One expectation that does not hold (or a disagreement between backends)."""

    aspect: str  # "verdict" | "priority" | "outcome" | "fact" | "backend" | "expectation"
    key: str
    expected: str
    actual: str
    reason_vi: str = ""
    reason_en: str = ""


_ABSENT_VI = "không có trong bộ quy tắc"
_ABSENT_EN = "not in the rule set"


def _show(value: Any) -> str:
    if value is None:
        return "(chưa rõ / unknown)"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _same(a: Any, b: Any) -> bool:
    return bool(a == b and type(a) is type(b))


def _verdict_reason(decision: Decision) -> tuple[str, str]:
    """Why the decision has its verdict: the criteria that drive it."""
    crit = decision.criteria
    if decision.verdict is Verdict.NOT_ELIGIBLE:
        drivers = [c for c in crit if c.rule_id in decision.blocking]
    elif decision.verdict is Verdict.NEEDS_REVIEW:
        drivers = [c for c in crit if c.outcome is Outcome.FAIL and c.applied_effect == "review"]
    elif decision.verdict is Verdict.UNKNOWN:
        drivers = [c for c in crit if c.outcome is Outcome.UNKNOWN and c.effect == "block"]
    else:
        return (
            "mọi điều kiện bắt buộc đều đạt hoặc không áp dụng",
            "every binding criterion passes or does not apply",
        )
    return (
        "; ".join(f"{c.rule_id}: {c.message.vi}" for c in drivers),
        "; ".join(f"{c.rule_id}: {c.message.en}" for c in drivers),
    )


def compare_expected(expected: Expected, decision: Decision) -> list[Mismatch]:
    """Every way ``decision`` differs from ``expected`` (verdict, priority, outcomes, facts).

    An expected fact of ``null`` means the fact must be unknown (absent).
    """
    out: list[Mismatch] = []
    verdicts = {v.value for v in Verdict}
    if expected.verdict is not None:
        if expected.verdict not in verdicts:
            out.append(
                Mismatch(
                    "expectation",
                    "verdict",
                    expected.verdict,
                    decision.verdict.value,
                    f"kết luận mong đợi không hợp lệ; dùng {sorted(verdicts)}",
                    f"invalid expected verdict; use {sorted(verdicts)}",
                )
            )
        elif decision.verdict.value != expected.verdict:
            vi, en = _verdict_reason(decision)
            out.append(
                Mismatch("verdict", "verdict", expected.verdict, decision.verdict.value, vi, en)
            )
    if expected.priority is not None and decision.priority != expected.priority:
        out.append(
            Mismatch(
                "priority",
                "priority",
                _show(expected.priority),
                _show(decision.priority),
                "; ".join(t.vi for t in decision.priority_reasons),
                "; ".join(t.en for t in decision.priority_reasons),
            )
        )
    outcomes = {c.rule_id: c for c in decision.criteria}
    for rid, want in expected.outcomes.items():
        if want not in OUTCOMES:
            out.append(
                Mismatch(
                    "expectation",
                    rid,
                    want,
                    outcomes[rid].outcome.value if rid in outcomes else "—",
                    f"kết quả mong đợi không hợp lệ; dùng {list(OUTCOMES)}",
                    f"invalid expected outcome; use {list(OUTCOMES)}",
                )
            )
            continue
        crit = outcomes.get(rid)
        if crit is None:
            out.append(Mismatch("outcome", rid, want, _ABSENT_VI, _ABSENT_VI, _ABSENT_EN))
        elif crit.outcome.value != want:
            out.append(
                Mismatch("outcome", rid, want, crit.outcome.value, crit.message.vi, crit.message.en)
            )
    for name, want_fact in expected.facts.items():
        got = decision.facts.get(name)
        if name not in FACTS:
            out.append(
                Mismatch(
                    "expectation",
                    name,
                    _show(want_fact),
                    "—",
                    "dữ kiện không tồn tại (xem docs/facts.md)",
                    "no such fact (see docs/facts.md)",
                )
            )
        elif not (want_fact is None and got is None) and not _same(got, want_fact):
            spec = FACTS[name]
            out.append(Mismatch("fact", name, _show(want_fact), _show(got), spec.vi, spec.en))
    return out


def compare_backends(reference: Decision, other: Decision) -> list[Mismatch]:
    """Where another backend's decision differs from the reference backend's."""
    out: list[Mismatch] = []
    if reference.verdict != other.verdict:
        out.append(
            Mismatch(
                "backend",
                "verdict",
                reference.verdict.value,
                other.verdict.value,
                f"bộ máy {other.provenance.backend} khác bộ máy tham chiếu",
                f"backend {other.provenance.backend} differs from the reference",
            )
        )
    ref = reference.outcomes()
    for rid, got in other.outcomes().items():
        want = ref.get(rid)
        if want != got:
            out.append(
                Mismatch(
                    "backend",
                    rid,
                    want.value if want is not None else "—",
                    got.value,
                    f"bộ máy {other.provenance.backend} khác bộ máy tham chiếu",
                    f"backend {other.provenance.backend} differs from the reference",
                )
            )
    return out


# --------------------------------------------------------------------------- reachability


def _literals(conds: Iterable[Condition]) -> dict[str, set[Any]]:
    out: dict[str, set[Any]] = {}
    for cond in conds:
        for c in walk(cond):
            if isinstance(c, Compare) and not isinstance(c.value, ParamRef):
                items = c.value if isinstance(c.value, tuple) else (c.value,)
                out.setdefault(c.fact, set()).update(items)
    return out


def _domain(name: str, literals: set[Any]) -> list[FactValue | None]:
    spec = FACTS[name]
    values: list[FactValue | None]
    if spec.type == "bool":
        values = [True, False]
    elif spec.type == "enum":
        mentioned = sorted(str(v) for v in literals)
        others = [v for v in spec.values if v not in literals]
        values = [*mentioned, *others[:1]]
    else:
        ints = {v for v in literals if isinstance(v, int) and not isinstance(v, bool)}
        points = {k + d for k in ints for d in (-1, 0, 1)} or {0}
        values = [*sorted(points)]
    if name not in ALWAYS_KNOWN_FACTS:
        values.append(None)
    return values


def reachable_outcomes(
    rule: CompiledRule, *, limit: int = MAX_COMBINATIONS
) -> frozenset[str] | None:
    """The outcomes a compiled rule can produce, or ``None`` when there are too many cases.

    Every fact the rule reads ranges over the values that can change a comparison (each
    constant it is compared with, one less and one more; each code mentioned and one code
    not mentioned; true and false) and, unless it is in :data:`ALWAYS_KNOWN_FACTS`,
    *unknown*. The result over-approximates: facts are treated as independent.
    """
    names = sorted(facts_of(rule.applies) | facts_of(rule.test))
    literals = _literals((rule.applies, rule.test))
    domains = [_domain(n, literals.get(n, set())) for n in names]
    if math.prod(len(d) for d in domains) > limit:
        return None
    found: set[str] = set()
    for combo in itertools.product(*domains):
        facts: dict[str, FactValue] = {
            n: v for n, v in zip(names, combo, strict=True) if v is not None
        }
        applies = evaluate(rule.applies, facts)
        test = evaluate(rule.test, facts)
        found.add(outcome_of(rule.effect, applies, test).value)
        if len(found) == len(OUTCOMES):
            break
    return frozenset(found)


def rule_reachability(pack: Pack, nationals: Sequence[Pack]) -> dict[str, frozenset[str] | None]:
    """For every rule of ``pack``: the outcomes it can produce on some date it is in force.

    ``None`` means "not analysed": too many combinations, or the rule could not be compiled
    on any date it is in force (a missing parameter, which the lint reports separately).
    """
    stack = stack_for(pack, nationals)
    out: dict[str, frozenset[str] | None] = {}
    values_on: dict[date, dict[str, Any]] = {}
    for rule in pack.rules:
        for day in rule_check_dates(rule, pack, stack):
            if not rule.in_force(day):
                continue
            params = values_on.get(day)
            if params is None:
                params = {n: v.value for n, (_p, v) in params_on(stack, day).items()}
                values_on[day] = params
            try:
                compiled = compile_rule(rule, params)
            except LuanChuyenError:
                continue  # a parameter is missing on this date: the lint reports it
            reach = reachable_outcomes(compiled)
            if reach is None:
                out[rule.id] = None
                break
            out[rule.id] = (out.get(rule.id) or frozenset()) | reach
    for rule in pack.rules:
        out.setdefault(rule.id, None)
    return out


# --------------------------------------------------------------------------- the report


@dataclass(slots=True)
class RuleCoverage:
    """The outcomes the YAML cases produced for one rule, and which it can produce."""

    pack_id: str
    rule_id: str
    file: str
    effect: str
    seen: dict[str, list[str]] = field(default_factory=dict)
    reachable: frozenset[str] | None = None

    def count(self, outcome: str) -> int:
        """How many cases produced ``outcome``."""
        return len(self.seen.get(outcome, ()))

    def can(self, outcome: str) -> bool:
        """Whether the rule can produce ``outcome`` (``True`` when not analysed)."""
        return self.reachable is None or outcome in self.reachable

    @property
    def missing(self) -> tuple[str, ...]:
        """``pass`` and/or ``fail`` when reachable but exercised by no case."""
        return tuple(o for o in ("pass", "fail") if self.can(o) and not self.count(o))


@dataclass(frozen=True, slots=True)
class CaseProblem:
    """A case that could not be loaded or run, or whose expectations do not hold."""

    file: str
    case: str | None
    code: str  # "case_error" | "case_mismatch"
    message_vi: str
    message_en: str
    mismatches: tuple[Mismatch, ...] = ()


@dataclass(slots=True)
class CoverageReport:
    """Per-rule coverage of the packs under a path, plus the case problems met."""

    rules: list[RuleCoverage]
    problems: list[CaseProblem]
    cases_run: int
    backend: str

    def by_key(self) -> dict[tuple[str, str], RuleCoverage]:
        """The rows by (pack id, rule id)."""
        return {(r.pack_id, r.rule_id): r for r in self.rules}


def _case_packs(path: Path) -> dict[str, Path]:
    """The packs whose cases to run: those under ``path`` (one pack: only its own).

    Linting one pack runs that pack's cases and reads no sibling directory but the national
    packs it runs with.
    """
    return discover_packs(path)


def measure_coverage(
    path: str | os.PathLike[str] | None = None,
    *,
    backend: str = "reference",
    reachability: bool = True,
    runner: CaseRunner | None = None,
    on_decision: Any = None,
    packs: Sequence[Pack] | None = None,
) -> CoverageReport:
    """Run the YAML cases of the packs under ``path`` and record every rule's outcomes.

    Args:
        path: a rules root (every pack) or one pack directory; default: the bundled rules.
            For one pack, only its own cases run.
        backend: "reference" (default) or "durable".
        reachability: also compute each rule's reachable outcomes.
        runner: a :class:`CaseRunner` to reuse.
        on_decision: optional callback ``(case, file, decision)`` called after each case.
        packs: the packs under ``path`` when the caller has loaded them already.

    Raises:
        RuleFileError: a pack under ``path`` cannot be loaded (lint reports it first).
    """
    base = Path(path) if path is not None else default_rules_dir()
    targets = (
        list(packs) if packs is not None else [load_pack(p) for p in discover_packs(base).values()]
    )
    rows: dict[tuple[str, str], RuleCoverage] = {}
    for pack in targets:
        for rule in pack.rules:
            rows[(pack.id, rule.id)] = RuleCoverage(pack.id, rule.id, rule.file, rule.spec.effect)
    run = runner or CaseRunner()
    problems: list[CaseProblem] = []
    count = 0
    for pack_dir in _case_packs(base).values():
        for file in pack_case_files(pack_dir):
            try:
                cases = load_cases(file)
            except LuanChuyenError as exc:
                hint_vi, hint_en = yaml_hint(exc)
                problems.append(
                    CaseProblem(
                        str(file),
                        None,
                        "case_error",
                        exc.message_vi + hint_vi,
                        exc.message_en + hint_en,
                    )
                )
                continue
            for case in cases:
                try:
                    decision = run.run(case, pack_dir, backend)
                except LuanChuyenError as exc:
                    problems.append(
                        CaseProblem(
                            str(file), case.name, "case_error", exc.message_vi, exc.message_en
                        )
                    )
                    continue
                count += 1
                if on_decision is not None:
                    on_decision(case, file, decision)
                label = f"{file.name}: {case.name}"
                for crit in decision.criteria:
                    row = rows.get((crit.pack, crit.rule_id))
                    if row is not None:
                        row.seen.setdefault(crit.outcome.value, []).append(label)
                if case.expected is None:
                    problems.append(
                        CaseProblem(
                            str(file),
                            case.name,
                            "case_mismatch",
                            "hồ sơ kiểm thử thiếu 'expected'",
                            "test case has no 'expected'",
                        )
                    )
                    continue
                found = compare_expected(case.expected, decision)
                if found:
                    problems.append(
                        CaseProblem(
                            str(file),
                            case.name,
                            "case_mismatch",
                            "kết quả khác mong đợi: "
                            + "; ".join(f"{m.key} {m.expected}→{m.actual}" for m in found),
                            "result differs from the expectation: "
                            + "; ".join(f"{m.key} {m.expected}→{m.actual}" for m in found),
                            tuple(found),
                        )
                    )
    if reachability:
        nationals_of: dict[Path, list[Pack]] = {}
        for pack in targets:
            parent = pack.path.resolve().parent
            if parent not in nationals_of:
                nationals_of[parent] = national_packs_for(pack.path, targets)
            nationals = nationals_of[parent]
            for rid, reach in rule_reachability(pack, nationals).items():
                row = rows.get((pack.id, rid))
                if row is not None:
                    row.reachable = reach
    return CoverageReport(list(rows.values()), problems, count, backend)


def coverage_table(report: CoverageReport) -> list[dict[str, Any]]:
    """The report as rows of plain data (for JSON output)."""
    out: list[dict[str, Any]] = []
    for r in report.rules:
        out.append(
            {
                "pack": r.pack_id,
                "rule": r.rule_id,
                "effect": r.effect,
                **{o: r.count(o) for o in OUTCOMES},
                "reachable": sorted(r.reachable) if r.reachable is not None else None,
                "missing": list(r.missing),
            }
        )
    return out

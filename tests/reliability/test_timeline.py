"""Issue 17.1, 17.3, 17.10: the compiled-rules cache, pack names from data, YAML bombs, lint.

Each test here failed on the main branch before the fix it guards.
"""

from __future__ import annotations

import itertools
import textwrap
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.factories import base_cadre, base_move

from luanchuyen.authoring.lint import lint
from luanchuyen.errors import InputError, RuleFileError
from luanchuyen.evaluation import evaluate
from luanchuyen.io.cases import load_cases
from luanchuyen.models import Cadre, Move
from luanchuyen.ruleset.compile import RuleSet
from luanchuyen.ruleset.loader import MAX_DEPTH, load_pack, read_pack_source, read_yaml

CITE = '{document: "Văn bản thử nghiệm tổng hợp", tag: I}'


def _write_pack(
    root: Path, pid: str, *, kind: str = "national", params: str = "", rules: str
) -> Path:
    pdir = root / pid
    (pdir / "rules").mkdir(parents=True)
    (pdir / "pack.yaml").write_text(
        textwrap.dedent(
            f"""\
            id: {pid}
            kind: {kind}
            title: {{vi: Bộ thử {pid}, en: Test pack {pid}}}
            jurisdiction: VN
            source: {CITE}
            valid_from: 2020-01-01
            """
        )
        + ("localities: [Tỉnh Thử]\n" if kind == "overlay" else "")
        + params,
        encoding="utf-8",
    )
    (pdir / "rules" / "rules.yaml").write_text(rules, encoding="utf-8")
    return pdir


TERM_PARAMS = f"""\
parameters:
  service_reference_date:
    description: {{vi: Mốc tính, en: Reference date}}
    values:
      - {{from: 2017-01-01, value: as_of, citation: {CITE}}}
  term_months:
    description: {{vi: Độ dài nhiệm kỳ, en: Term length}}
    unit: months
    values:
      - {{from: 2017-01-01, to: 2024-12-31, value: 60, citation: {CITE}}}
      - {{from: 2025-01-01, value: 48, citation: {CITE}}}
"""

TERM_RULE = f"""\
rules:
  - id: one_more_term
    title: {{vi: Còn trọn một nhiệm kỳ, en: One full term left}}
    kinds: [luan_chuyen, dieu_dong, biet_phai]
    effect: block
    require: {{fact: remaining_terms, op: ">=", value: 1}}
    messages:
      pass: {{vi: còn đủ, en: enough}}
      fail: {{vi: không đủ, en: not enough}}
    citation: {CITE}
"""


@pytest.fixture(scope="module")
def term_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("term")
    _write_pack(root, "synth-term", params=TERM_PARAMS, rules=TERM_RULE)
    return root


# A man born 15/06/1967 retires at 62y0m: 54 months left on 15/12/2024 (no 60-month term),
# 53 on 15/01/2025 (one 48-month term).
DAYS = [date(2024, 12, 15), date(2024, 12, 31), date(2025, 1, 1), date(2025, 1, 15)]
BIRTHS = ["15/06/1967", "15/06/1966", "15/01/1970"]


def _pair(birth: str) -> tuple[Cadre, Move]:
    return Cadre.model_validate(base_cadre(date_of_birth=birth)), Move.model_validate(base_move())


def _alone(root: Path, birth: str, day: date) -> tuple[str, Any]:
    c, m = _pair(birth)
    d = evaluate(c, m, as_of=day, rules=RuleSet.load(path=root), backend="reference")
    return d.verdict.value, d.facts.get("remaining_terms")


def test_dated_parameter_changes_the_answer_alone_and_after_another_date(term_pack: Path) -> None:
    """17.1: the reproduction of the issue, on one shared RuleSet."""
    c, m = _pair("15/06/1967")
    assert _alone(term_pack, "15/06/1967", date(2025, 1, 15))[0] == "eligible"
    shared = RuleSet.load(path=term_pack)
    first = evaluate(c, m, as_of=date(2024, 12, 15), rules=shared, backend="reference")
    later = evaluate(c, m, as_of=date(2025, 1, 15), rules=shared, backend="reference")
    assert first.verdict.value == "not_eligible"
    assert later.verdict.value == "eligible"
    a, b = shared.compiled(date(2024, 12, 15)), shared.compiled(date(2025, 1, 15))
    assert a.params["term_months"] == 60 and b.params["term_months"] == 48
    assert a.signature != b.signature


def test_signature_covers_sources_and_pack_content(tmp_path: Path) -> None:
    """Same conditions and values, different citation or pack text: different signatures."""
    one = _write_pack(tmp_path / "a", "synth-term", params=TERM_PARAMS, rules=TERM_RULE)
    two = _write_pack(
        tmp_path / "b",
        "synth-term",
        params=TERM_PARAMS.replace(
            'to: 2024-12-31, value: 60, citation: {document: "Văn bản thử nghiệm tổng hợp"',
            'to: 2024-12-31, value: 60, citation: {document: "Văn bản khác"',
        ),
        rules=TERM_RULE.replace("không đủ", "chưa đủ"),
    )
    day = date(2024, 6, 1)
    sig_a = RuleSet.from_paths([one]).compiled(day).signature
    sig_b = RuleSet.from_paths([two]).compiled(day).signature
    assert sig_a != sig_b


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    rows=st.lists(
        st.tuples(st.sampled_from(BIRTHS), st.sampled_from(DAYS)), min_size=1, max_size=8
    ),
    cuts=st.lists(st.integers(0, 8), max_size=3),
    backend=st.sampled_from(["reference", "vector"]),
)
def test_any_order_and_grouping_gives_each_row_its_own_answer(
    term_pack: Path, rows: list[tuple[str, date]], cuts: list[int], backend: str
) -> None:
    """17.1 property: rows evaluated in any order and any grouping, on one RuleSet, give
    what each row gives alone."""
    from luanchuyen.batch import evaluate_many

    expected = [_ALONE[(b, d)] for b, d in rows]
    shared = RuleSet.load(path=term_pack)
    bounds = sorted({0, len(rows), *(c for c in cuts if c < len(rows))})
    got: list[str] = []
    for lo, hi in itertools.pairwise(bounds):
        group = [(*_pair(b), d) for b, d in rows[lo:hi]]
        frame = evaluate_many(group, as_of=None, rules=shared, backend=backend)  # type: ignore[arg-type]
        got += list(frame["verdict"])
    assert got == [v for v, _t in expected]


_ALONE: dict[tuple[str, date], tuple[str, Any]] = {}


@pytest.fixture(scope="module", autouse=True)
def _alone_table(term_pack: Path) -> None:
    for b in BIRTHS:
        for d in DAYS:
            _ALONE[(b, d)] = _alone(term_pack, b, d)
    assert {v for v, _t in _ALONE.values()} >= {"eligible", "not_eligible"}


# --------------------------------------------------------------------------- 17.3


def _case_file(tmp_path: Path, rules: str) -> Path:
    f = tmp_path / "case.yaml"
    f.write_text(
        textwrap.dedent(
            f"""\
            name: thử
            as_of: 2024-06-01
            rules: {rules}
            cadre: {{id: X1, name: Nguyễn Văn A, gender: nam, date_of_birth: 15/05/1980}}
            move:
              kind: luan_chuyen
              target: {{title: Chủ tịch UBND xã, title_code: chu_tich_ubnd, level: xa}}
            """
        ),
        encoding="utf-8",
    )
    return f


@pytest.mark.parametrize("name", ["../../elsewhere/evil", "/tmp/evil", "a/b", "..", "x\\y"])
def test_case_file_cannot_name_a_pack_by_path(tmp_path: Path, name: str) -> None:
    with pytest.raises(InputError) as info:
        load_cases(_case_file(tmp_path, f"['{name}']"))
    assert info.value.code == "pack_path_in_data"


def test_ruleset_load_refuses_paths_and_duplicate_ids(tmp_path: Path) -> None:
    evil = _write_pack(tmp_path / "elsewhere", "qd65", kind="overlay", rules=TERM_RULE)
    with pytest.raises(RuleFileError) as info:
        RuleSet.load(str(evil))
    assert info.value.code == "pack_path_in_data"
    with pytest.raises(RuleFileError) as info:
        RuleSet.load(pack_dirs=[evil])  # explicit path from code: allowed, but the id is taken
    assert info.value.code == "duplicate_pack"


# --------------------------------------------------------------------------- 17.10


def _bomb(levels: int, width: int) -> str:
    lines = ["a0: &a0 [x]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_fast(tmp_path: Path) -> None:
    f = tmp_path / "bomb.yaml"
    f.write_text(_bomb(10, 10), encoding="utf-8")  # ~800 bytes, 10^9 nodes expanded
    assert f.stat().st_size < 1000
    start = time.perf_counter()
    with pytest.raises(RuleFileError) as info:
        read_yaml(f)
    assert info.value.code == "yaml_alias"
    assert time.perf_counter() - start < 5


def test_alias_bomb_in_a_case_file_is_a_coded_case_error(tmp_path: Path) -> None:
    f = tmp_path / "case.yaml"
    f.write_text(_bomb(10, 10), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_cases(f)
    assert info.value.code == "yaml_alias"


def test_alias_cannot_bypass_the_depth_limit(tmp_path: Path) -> None:
    half = MAX_DEPTH // 2 + 2
    deep = "[" * half + "1" + "]" * half
    f = tmp_path / "deep.yaml"
    f.write_text(f"a: &a {deep}\nb: " + "[" * half + "*a" + "]" * half + "\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        read_yaml(f)
    assert info.value.code == "rule_file" and "alias" in info.value.message_en


def test_shared_anchors_within_limits_still_load(tmp_path: Path) -> None:
    f = tmp_path / "ok.yaml"
    f.write_text("base: &b {x: 1, y: [1, 2]}\ncopy: *b\n", encoding="utf-8")
    assert read_yaml(f) == {"base": {"x": 1, "y": [1, 2]}, "copy": {"x": 1, "y": [1, 2]}}


def test_lint_of_one_pack_reads_no_sibling_overlay(tmp_path: Path) -> None:
    root = tmp_path / "rules"
    target = _write_pack(root, "synth-term", params=TERM_PARAMS, rules=TERM_RULE)
    sibling = _write_pack(
        root, "other", kind="overlay", rules=TERM_RULE.replace("one_more_term", "x_rule")
    )
    (sibling / "tests").mkdir()
    (sibling / "tests" / "bomb.yaml").write_text(_bomb(10, 10), encoding="utf-8")
    (sibling / "rules" / "broken.yaml").write_text("rules: [", encoding="utf-8")
    report = lint(target)
    assert report.packs == ["synth-term"]
    assert not any("other" in d.file for d in report.diagnostics), report.diagnostics


def test_unnamed_rule_numbered_the_same_by_loader_and_lint(tmp_path: Path) -> None:
    """One pack reader: the second rule of a file, without an id, is '#2' for both."""
    bad = TERM_RULE + TERM_RULE.split("rules:\n", 1)[1].replace(
        "  - id: one_more_term\n    title", "  - title"
    )
    pdir = _write_pack(tmp_path, "synth-term", params=TERM_PARAMS, rules=bad)
    src = read_pack_source(pdir)
    assert [r.label for f in src.files for r in f.rules] == ["one_more_term", "#2"]
    with pytest.raises(RuleFileError) as info:
        load_pack(pdir)
    assert info.value.rule == "#2"
    subjects = {d.subject for d in lint(pdir, cases=False).diagnostics if d.code == "LC002"}
    assert subjects == {"#2"}


def _many_rules(n: int) -> str:
    out = ["rules:"]
    for i in range(n):
        out.append(
            f"""\
  - id: r{i}
    title: {{vi: Quy tắc {i}, en: Rule {i}}}
    kinds: [luan_chuyen]
    valid_from: {date.fromordinal(date(2020, 1, 1).toordinal() + i).isoformat()}
    effect: info
    require: {{fact: remaining_terms, op: ">=", value: 1}}
    messages: {{pass: {{vi: đạt, en: ok}}, fail: {{vi: không, en: failed}}}}
    citation: {CITE}"""
        )
    return "\n".join(out) + "\n"


def _lint_times(tmp_path: Path, sizes: tuple[int, ...]) -> dict[int, float]:
    times = {}
    for n in sizes:
        pdir = _write_pack(
            tmp_path / str(n), "synth-term", params=TERM_PARAMS, rules=_many_rules(n)
        )
        start = time.perf_counter()
        report = lint(pdir, cases=False)
        times[n] = time.perf_counter() - start
        assert report.ok, report.diagnostics[:3]
    return times


def test_lint_work_grows_linearly_with_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """17.14: rules each with its own start date (the worst case for boundary dates). Ten
    times the rules cost ten times the work, not a hundred (main compiled every rule on every
    rule's date: quadratic). Counted in compilations and days checked, not in seconds: a
    2-core machine's timings vary too much to be a test (the time is in ``make soak``)."""
    import luanchuyen.authoring.lint as lint_module

    counts = {"compile": 0, "days": 0}
    compile_rule, check_dates = lint_module.compile_rule, lint_module.rule_check_dates

    def counted_compile(*args: Any, **kw: Any) -> Any:
        counts["compile"] += 1
        return compile_rule(*args, **kw)

    def counted_dates(*args: Any, **kw: Any) -> Any:
        days = check_dates(*args, **kw)
        counts["days"] += len(days)
        return days

    monkeypatch.setattr(lint_module, "compile_rule", counted_compile)
    monkeypatch.setattr(lint_module, "rule_check_dates", counted_dates)
    work = {}
    for n in (200, 2_000):
        counts.update(compile=0, days=0)
        _lint_times(tmp_path, (n,))
        work[n] = dict(counts)
    for key in ("compile", "days"):
        assert work[200][key] >= 200, work  # every rule is checked at least once
        assert work[2_000][key] <= 10 * work[200][key], work
        assert work[2_000][key] <= 3 * 2_000, work


@pytest.mark.soak
def test_lint_of_10000_rules(tmp_path: Path) -> None:
    """17.14 at the size of the report: 10,000 rules (main: more than 115 s)."""
    times = _lint_times(tmp_path, (1_000, 10_000))
    assert times[10_000] < 60, times
    assert times[10_000] < 30 * times[1_000], times

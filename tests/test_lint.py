"""``luanchuyen rules lint``: deliberately broken copies of real packs fail with clear messages.

Each test copies the rule packs into ``tmp_path``, breaks one thing in the YAML text, and
checks that the lint reports it with the right code, naming the file and the rule.
"""

from __future__ import annotations

import ast
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from luanchuyen.authoring.coverage import (
    ALWAYS_KNOWN_FACTS,
    measure_coverage,
    reachable_outcomes,
)
from luanchuyen.authoring.inspect import condition_text, diff_dates, diff_markdown
from luanchuyen.authoring.lint import (
    CONTEXT_KEYS,
    LINT_CODES,
    Diagnostic,
    LintReport,
    format_diagnostic,
    format_report,
    lint,
)
from luanchuyen.cli import _register, app
from luanchuyen.ruleset.compile import CompiledRule, RuleSet, compile_rule
from luanchuyen.ruleset.conditions import parse_condition
from luanchuyen.ruleset.loader import LoadedRule, load_pack

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
EXAMPLE = ROOT / "examples" / "province-overlay"


@pytest.fixture
def packs(tmp_path: Path) -> Path:
    """A copy of every rule pack (so that cases of one pack may load another)."""
    dest = tmp_path / "rules"
    shutil.copytree(RULES, dest)
    return dest


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the worked example overlay, alone in its directory."""
    dest = tmp_path / "examples" / "province-overlay"
    shutil.copytree(EXAMPLE, dest)
    return dest


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace ``old`` by ``new`` in a file, insisting that ``old`` is there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def found(report: LintReport, code: str, *, subject: str | None = None) -> list[Diagnostic]:
    """The diagnostics with ``code`` (and ``subject``)."""
    return [
        d
        for d in report.diagnostics
        if d.code == code and (subject is None or d.subject == subject)
    ]


def assert_reported(
    report: LintReport, code: str, file: str, subject: str | None, *words: str
) -> Diagnostic:
    """One ``code`` diagnostic names ``file`` and ``subject`` and says ``words``; lint fails."""
    hits = [d for d in found(report, code, subject=subject) if d.file.endswith(file)]
    assert hits, f"no {code} for {subject} in {file}:\n{format_report(report)}"
    text = format_diagnostic(hits[0])
    assert file in text
    if subject:
        assert f"[{subject}]" in text
    for word in words:
        assert word in text, text
    assert hits[0].severity == LINT_CODES[code].severity
    if LINT_CODES[code].severity == "error":
        assert not report.ok
    return hits[0]


# --------------------------------------------------------------------------- the real packs


def test_real_packs_pass_lint() -> None:
    report = lint(RULES)
    assert report.ok, format_report(report, min_severity="warning")
    assert set(report.packs) == {"qd65", "nha-nuoc", "chi-lang-2024", "ha-noi-188"}
    assert report.coverage is not None and report.coverage.cases_run > 0


def test_cli_lint_real_packs_exit_zero() -> None:
    _register()
    result = CliRunner().invoke(app, ["rules", "lint", str(RULES), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "Tổng kết" in result.output and "Summary" in result.output


def test_example_overlay_passes_lint() -> None:
    report = lint(EXAMPLE)
    assert report.ok, format_report(report)
    assert report.packs == ["vi-du-tinh-x-2026"]
    assert report.coverage is not None and report.coverage.cases_run >= 5
    assert not report.diagnostics, format_report(report)


# --------------------------------------------------------------------------- the five breakages


def test_missing_citation(packs: Path) -> None:
    service = packs / "qd65" / "rules" / "service.yaml"
    edit(
        service,
        '    citation: {document: "Bộ luật Lao động 2019 Điều 169; Nghị định 135/2020/NĐ-CP", '
        'article: "Điều 3, Điều 4", tag: V-2}\n',
        "",
    )
    report = lint(packs / "qd65")
    d = assert_reported(report, "LC020", "service.yaml", "past_retirement", "trích dẫn", "citation")
    assert d.line is not None  # points at the rule's "id:" line
    assert "LC069" in report.codes()  # cases are not run on a broken pack


def test_missing_source_tag(packs: Path) -> None:
    edit(
        packs / "qd65" / "rules" / "secondment.yaml",
        'Luật Cán bộ, công chức 2008 Điều 53", tag: R}',
        'Luật Cán bộ, công chức 2008 Điều 53", tag: X}',
    )
    report = lint(packs / "qd65")
    assert_reported(report, "LC021", "secondment.yaml", "secondment_max_3y", "V, V-2, R")


def test_overlapping_dated_values(packs: Path) -> None:
    meta = packs / "qd65" / "pack.yaml"
    edit(
        meta,
        "      - from: 2017-12-19\n        to: 2022-08-17\n        value: 12\n",
        "      - from: 2017-12-19\n        value: 12\n",
    )
    report = lint(packs / "qd65")
    assert_reported(
        report, "LC040", "pack.yaml", "window_khien_trach_months", "chồng", "overlaps", "2022-08-17"
    )


def test_gap_between_values(example: Path) -> None:
    edit(example / "pack.yaml", "        to: 2026-06-30\n", "        to: 2026-05-31\n")
    report = lint(example)
    assert_reported(
        report, "LC043", "pack.yaml", "x_province_to_commune_min_remaining_months", "2026-06-01"
    )
    # the rule reading the parameter is in force during the gap: that is an error
    assert_reported(
        report,
        "LC050",
        "commune.yaml",
        "tinhx_province_to_commune_terms",
        "01/06/2026 – 30/06/2026",
    )


def test_values_out_of_order(example: Path) -> None:
    meta = example / "pack.yaml"
    text = meta.read_text(encoding="utf-8")
    first = text.index("      - from: 2026-01-01")
    second = text.index("      - from: 2026-07-01")
    meta.write_text(text[:first] + text[second:] + text[first:second], encoding="utf-8")
    report = lint(example)
    assert_reported(
        report, "LC041", "pack.yaml", "x_province_to_commune_min_remaining_months", "01/07/2026"
    )


def test_gap_while_rule_in_force_is_an_error(example: Path) -> None:
    meta = example / "pack.yaml"
    text = meta.read_text(encoding="utf-8")
    start = text.index("      - from: 2026-01-01")
    end = text.index("      - from: 2026-07-01")
    meta.write_text(text[:start] + text[end:], encoding="utf-8")
    report = lint(example)
    d = assert_reported(
        report,
        "LC050",
        "commune.yaml",
        "tinhx_province_to_commune_terms",
        "x_province_to_commune_min_remaining_months",
        "01/01/2026 – 30/06/2026",
    )
    assert "2026-01-01 – 2026-06-30" in d.message_en


def test_unknown_fact(packs: Path) -> None:
    edit(
        packs / "qd65" / "rules" / "service.yaml",
        "require: {fact: days_to_retirement,",
        "require: {fact: days_to_retirment,",
    )
    report = lint(packs / "qd65")
    assert_reported(
        report,
        "LC003",
        "service.yaml",
        "past_retirement",
        "days_to_retirment",
        "days_to_retirement",
    )


def test_duplicate_id_across_files(packs: Path) -> None:
    edit(
        packs / "qd65" / "rules" / "discipline.yaml",
        "id: terminal_discipline",
        "id: past_retirement",
    )
    report = lint(packs / "qd65")
    d = assert_reported(report, "LC010", "service.yaml", "past_retirement", "discipline.yaml")
    assert "đã dùng" in d.message_vi and "already used" in d.message_en


def test_rule_without_failing_case(packs: Path) -> None:
    rotation = packs / "qd65" / "rules" / "rotation.yaml"
    rotation.write_text(
        rotation.read_text(encoding="utf-8")
        + """
  - id: under_75_for_test
    title: {vi: "Dưới 75 tuổi (quy tắc thử)", en: "Under 75 (test rule)"}
    kinds: [luan_chuyen, dieu_dong, biet_phai, chuyen_doi_vi_tri]
    effect: warn
    require: {fact: age_months, op: "<", value: 900}
    messages:
      pass: {vi: "Dưới 75 tuổi.", en: "Under 75."}
      fail: {vi: "Từ 75 tuổi.", en: "75 or older."}
    citation: {document: "Quy tắc thử nghiệm", tag: I}
""",
        encoding="utf-8",
    )
    report = lint(packs / "qd65")
    d = assert_reported(report, "LC061", "rotation.yaml", "under_75_for_test", "không đạt", "fail")
    assert "pass ×" in d.message_en  # says what the cases did exercise
    assert not found(report, "LC060", subject="under_75_for_test")


# --------------------------------------------------------------------------- more checks


def test_unknown_placeholders(packs: Path) -> None:
    service = packs / "qd65" / "rules" / "service.yaml"
    edit(
        service,
        "Đã đến ngày nghỉ hưu {ctx.retirement_date}",
        "Đã đến ngày nghỉ hưu {ctx.retirement_day}",
    )
    edit(service, "(≥ {param.min_months_in_post_for_higher}).", "(≥ {param.min_month_in_post}).")
    edit(
        service,
        "{remaining_service_months} months left (≥",
        "{remaining_service_month} months left (≥",
    )
    report = lint(packs / "qd65")
    assert_reported(report, "LC031", "service.yaml", "past_retirement", "ctx.retirement_day")
    assert_reported(report, "LC031", "service.yaml", "time_in_post_24m", "param.min_month_in_post")
    d = assert_reported(report, "LC031", "service.yaml", "first_appointment_age_5y")
    assert "did you mean: remaining_service_months" in d.message_en


def test_message_missing_english(packs: Path) -> None:
    edit(
        packs / "qd65" / "rules" / "secondment.yaml",
        ', en: "Secondment of {planned_duration_months} months {planned_duration_extra_days} days exceeds {param.max_secondment_months} months."}',
        "}",
    )
    report = lint(packs / "qd65")
    assert_reported(report, "LC030", "secondment.yaml", "secondment_max_3y", "messages.fail.en")


def test_schema_error_reports_every_rule(packs: Path) -> None:
    structure = packs / "qd65" / "rules" / "structure.yaml"
    edit(structure, "effect: block", "effect: forbid", count=2)
    report = lint(packs / "qd65")
    subjects = {d.subject for d in found(report, "LC002")}
    assert {"moratorium_kl128", "district_level_abolished"} <= subjects


def test_unsafe_yaml_tag_is_refused(example: Path) -> None:
    rules = example / "rules" / "commune.yaml"
    rules.write_text(
        rules.read_text(encoding="utf-8") + "\nextra: !!python/object/apply:os.system ['true']\n",
        encoding="utf-8",
    )
    report = lint(example)
    assert_reported(report, "LC001", "commune.yaml", None, "không được chạy mã", "never run code")


def test_overlay_redefining_national_rule_needs_both_declarations(example: Path) -> None:
    edit(example / "pack.yaml", "overrides: [target_vacancy]", "overrides: []")
    report = lint(example)
    d = assert_reported(report, "LC012", "placement.yaml", "target_vacancy", "overrides")
    assert "pack.yaml" in d.message_vi


def test_override_flag_missing_on_rule(example: Path) -> None:
    edit(example / "rules" / "placement.yaml", "    overrides: true\n", "")
    report = lint(example)
    assert_reported(report, "LC012", "placement.yaml", "target_vacancy", "overrides: true")


def test_duplicate_id_across_national_packs(packs: Path) -> None:
    twin = packs / "qd65-copy"
    shutil.copytree(packs / "qd65", twin)
    shutil.rmtree(twin / "tests")
    edit(twin / "pack.yaml", "id: qd65", "id: qd65-copy")
    report = lint(packs, cases=False)
    assert_reported(report, "LC011", "service.yaml", "past_retirement", "qd65-copy")


def test_case_expectation_mismatch(example: Path) -> None:
    edit(
        example / "tests" / "cases.yaml", "tinhx_youth_priority: pass", "tinhx_youth_priority: fail"
    )
    report = lint(example)
    assert_reported(
        report, "LC071", "cases.yaml", None, "tinhx_youth_priority", "mong đợi fail, thực tế pass"
    )


def test_case_file_with_comma_gets_a_hint(example: Path) -> None:
    edit(
        example / "tests" / "cases.yaml",
        "{title: Bí thư Đảng ủy xã Tân Thành,",
        "{title: Bí thư Đảng ủy, xã Tân Thành,",
    )
    report = lint(example)
    d = assert_reported(report, "LC070", "cases.yaml", None, "ngoặc kép")
    assert "double quotes" in d.message_en


def test_never_failing_rules_are_noted_not_required() -> None:
    report = lint(RULES)
    notes = {d.subject for d in found(report, "LC062")}
    assert {"deciding_authority", "structure_women_ethnic", "hanoi_internal_move"} <= notes
    assert all(d.severity == "info" for d in found(report, "LC062"))
    assert not found(report, "LC061", subject="deciding_authority")


def test_cli_lint_broken_copy_exits_one(packs: Path) -> None:
    edit(
        packs / "qd65" / "rules" / "service.yaml",
        "require: {fact: days_to_retirement,",
        "require: {fact: days_to_retirment,",
    )
    _register()
    result = CliRunner().invoke(app, ["rules", "lint", str(packs / "qd65")])
    assert result.exit_code == 1
    assert "LC003" in result.output and "past_retirement" in result.output
    json_result = CliRunner().invoke(
        app, ["rules", "lint", str(packs / "qd65"), "--format", "json"]
    )
    assert json_result.exit_code == 1
    assert '"code": "LC003"' in json_result.output


def test_context_keys_match_the_fact_derivation() -> None:
    """Every ``x.context[...]`` / ``context.update(...)`` key in luanchuyen/facts is listed."""
    keys: set[str] = set()
    for file in (ROOT / "src" / "luanchuyen" / "facts").glob("*.py"):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Subscript)
                and isinstance(node.value, ast.Attribute)
                and node.value.attr == "context"
                and isinstance(node.slice, ast.Constant)
            ):
                keys.add(str(node.slice.value))
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "update"
                and isinstance(node.func.value, ast.Attribute)
                and node.func.value.attr == "context"
            ):
                keys.update(k.arg for k in node.keywords if k.arg)
    assert keys == set(CONTEXT_KEYS)


def test_every_lint_code_is_documented() -> None:
    guide = (ROOT / "docs" / "rules-guide.md").read_text(encoding="utf-8")
    for code in LINT_CODES:
        assert re.search(rf"\b{code}\b", guide), f"{code} missing from docs/rules-guide.md"


# --------------------------------------------------------------------------- reachability


def _compiled(data: dict[str, object]) -> CompiledRule:
    """A block rule of the national pack with ``data`` as its requirement (no applies_when)."""
    pack = load_pack(RULES / "qd65")
    rule = next(r for r in pack.rules if r.spec.effect == "block")
    spec = rule.spec.model_copy(update={"applies_when": None})
    fake = LoadedRule(spec, "t", "t.yaml", None, parse_condition(data), None)
    return compile_rule(fake, {})


def test_reachability_of_simple_conditions() -> None:
    always = reachable_outcomes(_compiled({"fact": "move_kind", "op": "is known"}))
    assert always == {"pass", "not_applicable"}
    assert "move_kind" in ALWAYS_KNOWN_FACTS
    both = reachable_outcomes(
        _compiled({"fact": "remaining_service_months", "op": ">=", "value": 120})
    )
    assert both == {"pass", "fail", "not_applicable"}  # always known: never unknown
    unknown = reachable_outcomes(_compiled({"fact": "in_planning", "op": "==", "value": True}))
    assert unknown == {"pass", "fail", "unknown", "not_applicable"}
    never = reachable_outcomes(
        _compiled({"all": [{"fact": "in_planning", "op": "==", "value": True},
                           {"fact": "in_planning", "op": "==", "value": False}]})
    )  # fmt: skip
    assert never is not None and "pass" not in never


# --------------------------------------------------------------------------- coverage, list, show, diff


def test_coverage_counts_every_rule() -> None:
    report = measure_coverage(RULES)
    rows = report.by_key()
    assert ("qd65", "past_retirement") in rows
    assert rows[("qd65", "past_retirement")].count("pass") > 0
    assert not report.problems, report.problems
    assert all(not r.missing for r in report.rules), [
        (r.rule_id, r.missing) for r in report.rules if r.missing
    ]


def test_cli_list_show_coverage() -> None:
    _register()
    runner = CliRunner()
    out = runner.invoke(app, ["rules", "list", "--as-of", "2024-06-01", "--rules", "chi-lang-2024"])
    assert out.exit_code == 0, out.output
    assert "chilang_c3_deputy_three_terms" in out.output and "[chi-lang-2024]" in out.output
    assert "party_discipline_in_effect_377" not in out.output  # not yet in force in 2024
    out = runner.invoke(
        app, ["rules", "show", "discipline_window_higher_post", "--as-of", "15/01/2026"]
    )
    assert out.exit_code == 0, out.output
    assert "window_canh_cao_months = 36" in out.output  # QĐ 377 value on that date
    out = runner.invoke(app, ["rules", "show", "no_such_rule"])
    assert out.exit_code == 1
    out = runner.invoke(app, ["rules", "coverage", str(EXAMPLE)])
    assert out.exit_code == 0, out.output
    assert "tinhx_youth_priority" in out.output


def test_diff_between_dates_and_directories(example: Path, tmp_path: Path) -> None:
    rs = RuleSet.load()
    diff = diff_dates(rs, date(2025, 6, 1), date(2026, 1, 15))
    added = {r.rule_id for r in diff.added}
    removed = {r.rule_id for r in diff.removed}
    assert {"party_discipline_in_effect_377", "district_level_abolished"} <= added
    assert {"moratorium_kl128", "party_discipline_in_effect"} <= removed
    canh_cao = next(p for p in diff.params if p.name == "window_canh_cao_months")
    assert "30" in canh_cao.details[0] and "36" in canh_cao.details[0]
    assert canh_cao.rules == ("discipline_window_higher_post",)
    text = diff_markdown(diff)
    assert text.startswith("### ") and "#### Thêm / Added" in text

    old = tmp_path / "old"
    shutil.copytree(example, old)
    edit(example / "rules" / "commune.yaml", "effect: warn", "effect: review")
    edit(example / "pack.yaml", "        value: 108\n", "        value: 96\n")
    _register()
    out = CliRunner().invoke(app, ["rules", "diff", str(old), str(example)])
    assert out.exit_code == 0, out.output
    assert "`tinhx_non_local_commune_secretary`" in out.output
    assert "`effect`: warn → review" in out.output
    assert "x_province_to_commune_min_remaining_months" in out.output and "96" in out.output


def test_condition_text() -> None:
    cond = parse_condition(
        {
            "not": {
                "all": [
                    {"fact": "gender", "op": "==", "value": "nu"},
                    {"fact": "pregnant", "op": "is known"},
                ]
            }
        }
    )
    assert condition_text(cond) == "not(all(gender == nu, pregnant is known))"

"""``luanchuyen rules …``: the rule authors' commands (lint, list, show, diff, coverage)."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from luanchuyen.cli import app
from luanchuyen.errors import LuanChuyenError

rules_app = typer.Typer(
    name="rules",
    help="Công cụ cho người soạn quy tắc / tools for rule authors: lint, list, show, diff, coverage.",
    no_args_is_help=True,
)
app.add_typer(rules_app, name="rules")

_EFFECT = {
    "block": "chặn/block",
    "review": "xem xét/review",
    "warn": "lưu ý/warn",
    "priority": "ưu tiên/priority",
    "info": "thông tin/info",
}

AsOf = Annotated[
    str | None,
    typer.Option("--as-of", help="Ngày, YYYY-MM-DD hoặc dd/mm/yyyy (mặc định: hôm nay) / date"),
]
Packs = Annotated[
    list[str] | None,
    typer.Option("--rules", help="Bộ quy tắc địa phương thêm vào (overlay) / overlay packs to add"),
]
RulesPath = Annotated[
    Path | None,
    typer.Option(
        "--path", help="Thư mục quy tắc hoặc một bộ quy tắc (mặc định: bộ kèm thư viện) / rules dir"
    ),
]
Locality = Annotated[
    str | None, typer.Option("--locality", help="Chọn bộ địa phương theo địa bàn / locality")
]


def _fail(exc: LuanChuyenError) -> None:
    typer.echo(f"Lỗi [{exc.code}] {exc.message_vi}\nError [{exc.code}] {exc.message_en}", err=True)
    raise typer.Exit(2)


def _day(value: str | None, option: str = "--as-of") -> date:
    if value is None:
        # The command line may read the clock (the library never does); Vietnam is UTC+7.
        return datetime.now(timezone(timedelta(hours=7))).date()
    from luanchuyen.dates import to_date as coerce_date

    try:
        return coerce_date(value, option)
    except ValueError:
        typer.echo(
            f"Lỗi: ngày {value!r} không hợp lệ cho {option}\n"
            f"Error: invalid date {value!r} for {option}",
            err=True,
        )
        raise typer.Exit(2) from None


def _ruleset(path: Path | None, packs: list[str] | None, locality: str | None) -> Any:
    from luanchuyen.authoring.inspect import national_packs_for
    from luanchuyen.cli import split_pack_args
    from luanchuyen.ruleset.compile import RuleSet
    from luanchuyen.ruleset.loader import load_pack
    from luanchuyen.ruleset.timeline import stack_for

    names, dirs = split_pack_args(packs)
    if path is not None and (path / "pack.yaml").is_file():
        pack = load_pack(path)
        stack = stack_for(pack, national_packs_for(path))
        extra = RuleSet.load(*names, locality=locality, pack_dirs=dirs).packs if packs else ()
        ids = {p.id for p in stack}
        return RuleSet([*stack, *(p for p in extra if p.id not in ids)])
    return RuleSet.load(*names, path=path, locality=locality, pack_dirs=dirs)


def _vn(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "…"


@rules_app.command("lint")
def lint_cmd(
    path: Annotated[
        Path | None,
        typer.Argument(help="Thư mục quy tắc (mọi bộ) hoặc một bộ quy tắc / rules root or pack"),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="text hoặc json")] = "text",
    no_cases: Annotated[
        bool, typer.Option("--no-cases", help="Không chạy hồ sơ kiểm thử / skip the YAML cases")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Chỉ lỗi và cảnh báo / errors and warnings only")
    ] = False,
) -> None:
    """Kiểm tra bộ quy tắc (mã LC…) / lint rule packs; exit 1 when there is an error."""
    from luanchuyen.authoring.lint import format_report, lint

    report = lint(path, cases=not no_cases)
    if fmt == "json":
        data = {
            "path": report.path,
            "ok": report.ok,
            "packs": report.packs,
            "diagnostics": [d.to_dict() for d in report.diagnostics],
        }
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(format_report(report, min_severity="warning" if quiet else "info") + "\n")
    raise typer.Exit(0 if report.ok else 1)


@rules_app.command("list")
def list_cmd(
    as_of: AsOf = None,
    rules: Packs = None,
    path: RulesPath = None,
    locality: Locality = None,
) -> None:
    """Các quy tắc có hiệu lực vào một ngày / the rules in force on a date."""
    from luanchuyen.authoring.inspect import rules_in_force

    day = _day(as_of)
    try:
        rs = _ruleset(path, rules, locality)
        rows = rules_in_force(rs, day)
    except LuanChuyenError as exc:
        _fail(exc)
    active = sorted({r.pack_id for r in rows}, key=[p.id for p in rs.packs].index)
    typer.echo(
        f"Quy tắc có hiệu lực ngày {_vn(day)} ({len(rows)}) — bộ: {', '.join(active) or '—'}\n"
        f"Rules in force on {day.isoformat()} ({len(rows)}) — packs: {', '.join(active) or '—'}"
    )
    width = max((len(r.rule_id) for r in rows), default=10)
    for pack_id in active:
        mine = [r for r in rows if r.pack_id == pack_id]
        typer.echo(f"\n[{pack_id}] {len(mine)} quy tắc / rules")
        for r in mine:
            span = ""
            if r.valid_from or r.valid_to:
                span = f" ({_vn(r.valid_from)} – {_vn(r.valid_to)})"
            over = " ↺ thay thế/overrides" if r.overrides else ""
            typer.echo(
                f"  {r.rule_id:<{width}}  {_EFFECT[r.effect]:<16} {r.title_vi}{span}{over}\n"
                f"  {'':<{width}}  {'':<16} {r.citation}"
            )


@rules_app.command("show")
def show_cmd(
    rule_id: Annotated[str, typer.Argument(help="Mã quy tắc / rule id")],
    as_of: AsOf = None,
    rules: Packs = None,
    path: RulesPath = None,
    locality: Locality = None,
) -> None:
    """Một quy tắc đầy đủ, với giá trị tham số vào ngày / one rule in full."""
    from luanchuyen.authoring.inspect import show_rule

    day = _day(as_of)
    try:
        rs = _ruleset(path, rules, locality)
        detail = show_rule(rs, rule_id, day)
    except LuanChuyenError as exc:
        _fail(exc)
    except KeyError:
        typer.echo(
            f"Lỗi: không có quy tắc '{rule_id}' trong {', '.join(rs.pack_ids)} "
            "(thêm --rules cho bộ địa phương)\n"
            f"Error: no rule '{rule_id}' in {', '.join(rs.pack_ids)} (add --rules for overlays)",
            err=True,
        )
        raise typer.Exit(1) from None
    state_vi = "có hiệu lực" if detail.in_force else "KHÔNG có hiệu lực"
    state_en = "in force" if detail.in_force else "NOT in force"
    typer.echo(f"# {detail.rule_id}  ({detail.pack_id}: {detail.file})")
    typer.echo(f"# Ngày {_vn(day)}: {state_vi} / on {day.isoformat()}: {state_en}\n")
    typer.echo(
        yaml.safe_dump(
            detail.data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100
        ).rstrip()
    )
    typer.echo("\n# Điều kiện (dạng gọn) / Conditions (compact)")
    for name, text in detail.conditions.items():
        typer.echo(f"#   {name}: {text}")
    if detail.parameters:
        typer.echo(f"\n# Tham số ngày {_vn(day)} / Parameters on {day.isoformat()}")
        for p in detail.parameters:
            unit = f" {p.unit}" if p.unit else ""
            typer.echo(
                f"#   {p.name} = {p.value}{unit}  [{_vn(p.valid_from)} – {_vn(p.valid_to)}]"
                f"  ({p.pack_id}) {p.citation}"
            )


@rules_app.command("diff")
def diff_cmd(
    old: Annotated[Path, typer.Argument(help="Thư mục cũ / old rules dir (or the only dir)")],
    new: Annotated[Path | None, typer.Argument(help="Thư mục mới / new rules dir")] = None,
    from_date: Annotated[
        str | None, typer.Option("--from-date", help="So sánh theo ngày: ngày đầu / first date")
    ] = None,
    to_date: Annotated[
        str | None, typer.Option("--to-date", help="So sánh theo ngày: ngày sau / second date")
    ] = None,
    rules: Packs = None,
    locality: Locality = None,
) -> None:
    """Khác biệt giữa hai thư mục quy tắc hoặc hai ngày, dạng Markdown / diff as Markdown."""
    from luanchuyen.authoring.inspect import diff_dates, diff_dirs, diff_markdown

    try:
        if new is not None:
            if from_date or to_date:
                typer.echo(
                    "Lỗi: dùng hai thư mục HOẶC --from-date/--to-date\n"
                    "Error: give two directories OR --from-date/--to-date",
                    err=True,
                )
                raise typer.Exit(2)
            diff = diff_dirs(old, new)
        else:
            if not (from_date and to_date):
                typer.echo(
                    "Lỗi: cần thư mục thứ hai, hoặc cả --from-date và --to-date\n"
                    "Error: give a second directory, or both --from-date and --to-date",
                    err=True,
                )
                raise typer.Exit(2)
            rs = _ruleset(old, rules, locality)
            diff = diff_dates(rs, _day(from_date, "--from-date"), _day(to_date, "--to-date"))
    except LuanChuyenError as exc:
        _fail(exc)
    sys.stdout.write(diff_markdown(diff))


@rules_app.command("coverage")
def coverage_cmd(
    path: Annotated[
        Path | None,
        typer.Argument(help="Thư mục quy tắc (mọi bộ) hoặc một bộ quy tắc / rules root or pack"),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="text hoặc json")] = "text",
    backend: Annotated[str, typer.Option("--backend", help="reference hoặc durable")] = "reference",
) -> None:
    """Độ phủ: kết quả nào của mỗi quy tắc đã được hồ sơ kiểm thử dùng tới / rule coverage."""
    from luanchuyen.authoring.coverage import OUTCOMES, coverage_table, measure_coverage

    try:
        report = measure_coverage(path, backend=backend)
    except LuanChuyenError as exc:
        _fail(exc)
    if fmt == "json":
        data = {
            "cases": report.cases_run,
            "backend": report.backend,
            "rules": coverage_table(report),
            "problems": [
                {"file": p.file, "case": p.case, "code": p.code, "message_vi": p.message_vi}
                for p in report.problems
            ],
        }
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        raise typer.Exit(1 if any(r.missing for r in report.rules) else 0)
    width = max((len(r.rule_id) for r in report.rules), default=10)
    head = "".join(f"{o:>15}" for o in OUTCOMES)
    typer.echo(
        f"Độ phủ hồ sơ kiểm thử ({report.cases_run} hồ sơ, bộ máy {report.backend}) / "
        f"YAML case coverage ({report.cases_run} cases, {report.backend} backend)\n"
        "Số hồ sơ theo kết quả; '—' = không thể xảy ra; '!' = còn thiếu / "
        "cases per outcome; '—' = unreachable; '!' = missing\n"
    )
    pack = None
    missing = 0
    for row in report.rules:
        if row.pack_id != pack:
            pack = row.pack_id
            typer.echo(f"[{pack}]\n  {'rule':<{width}} {head}")
        cells = []
        for o in OUTCOMES:
            n = row.count(o)
            if not row.can(o):
                cell = "—"
            elif n == 0 and o in row.missing:
                cell = "0 !"
            else:
                cell = str(n)
            cells.append(f"{cell:>15}")
        missing += bool(row.missing)
        typer.echo(f"  {row.rule_id:<{width}} {''.join(cells)}")
    for p in report.problems:
        typer.echo(f"! {p.file}: {p.case or ''} [{p.code}] {p.message_vi} / {p.message_en}")
    typer.echo(
        f"\n{len(report.rules) - missing}/{len(report.rules)} quy tắc có đủ hồ sơ đạt và không đạt"
        f" / rules with both a passing and a failing case"
    )
    raise typer.Exit(1 if missing or report.problems else 0)

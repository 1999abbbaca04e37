"""``luanchuyen check`` and ``luanchuyen demo``: evaluate case files and explain the result."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from luanchuyen.cli import app
from luanchuyen.errors import LuanChuyenError

_VERDICT_STYLE = {
    "eligible": "bold green",
    "not_eligible": "bold red",
    "needs_review": "bold yellow",
    "unknown": "bold magenta",
}


def _fail(exc: LuanChuyenError) -> None:
    typer.echo(f"Lỗi [{exc.code}] {exc.message_vi}\nError [{exc.code}] {exc.message_en}", err=True)
    raise typer.Exit(2)


@app.command()
def check(
    case: Annotated[Path, typer.Argument(help="Tệp hồ sơ .yaml hoặc .json / case file")],
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Ngày đánh giá dd/mm/yyyy hoặc yyyy-mm-dd (mặc định: trong tệp) / as-of date",
        ),
    ] = None,
    rules: Annotated[
        list[str] | None, typer.Option("--rules", help="Bộ quy tắc bổ sung (overlay)")
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="vi hoặc en")] = "vi",
    fmt: Annotated[str, typer.Option("--format", help="text hoặc json")] = "text",
    backend: Annotated[str, typer.Option("--backend", help="durable hoặc reference")] = "durable",
) -> None:
    """Đánh giá một hoặc nhiều hồ sơ trong tệp / evaluate the case(s) in a file."""
    from luanchuyen.cli import split_pack_args
    from luanchuyen.dates import to_date
    from luanchuyen.evaluation import evaluate
    from luanchuyen.io.cases import load_cases
    from luanchuyen.ruleset.compile import RuleSet

    try:
        cases = load_cases(case)
        outputs = []
        for c in cases:
            day = to_date(as_of, "--as-of") if as_of else c.as_of
            names, dirs = split_pack_args(rules) if rules else (list(c.rules), [])
            rs = RuleSet.load(*names, locality=c.locality, pack_dirs=dirs)
            decision = evaluate(c.cadre, c.move, as_of=day, rules=rs, backend=backend)  # type: ignore[arg-type]
            outputs.append(decision.to_json() if fmt == "json" else decision.explain(lang))
    except LuanChuyenError as exc:
        _fail(exc)
    except ValueError as exc:
        typer.echo(f"Lỗi / Error: {exc}", err=True)
        raise typer.Exit(2) from None
    if fmt == "json" and len(outputs) > 1:
        sys.stdout.write("[" + ",\n".join(outputs) + "]\n")
    else:
        sys.stdout.write("\n\n".join(outputs) + "\n")


@app.command()
def demo(
    folder: Annotated[Path, typer.Argument(help="Thư mục ví dụ")] = Path("examples"),
    lang: Annotated[str, typer.Option("--lang")] = "vi",
) -> None:
    """Chạy mọi hồ sơ mẫu trong thư mục và in kết luận kèm lý do / run every example case."""
    from rich.console import Console
    from rich.table import Table

    from luanchuyen.evaluation import evaluate, load_rules
    from luanchuyen.io.cases import load_cases
    from luanchuyen.retirement_law import retirement

    console = Console(width=120)
    files = sorted(folder.glob("cases/*.yaml")) + sorted(folder.glob("cases/*.json"))
    if not files:
        typer.echo(f"Không có hồ sơ trong {folder}/cases / no cases found", err=True)
        raise typer.Exit(1)
    table = Table(title="luanchuyen — kết luận / verdicts")
    for col in ("Hồ sơ", "Cán bộ", "Hình thức", "Ngày", "Nghỉ hưu", "Còn (tháng)", "Kết luận"):
        table.add_column(col)
    try:
        for file in files:
            for c in load_cases(file):
                rs = load_rules(*c.rules, locality=c.locality)
                d = evaluate(c.cadre, c.move, as_of=c.as_of, rules=rs)
                r = retirement(
                    c.cadre.gender,
                    c.cadre.date_of_birth,
                    override_age_months=c.cadre.retirement_age_override_months,
                )
                console.rule(f"[bold]{c.name}[/bold]  ({file.name})")
                console.print(d.explain(lang), highlight=False)
                verdict = d.verdict.value + (" + ưu tiên" if d.priority else "")
                table.add_row(
                    c.name,
                    c.cadre.name,
                    c.move.kind.value,
                    f"{c.as_of:%d/%m/%Y}",
                    f"{r.retirement_date:%d/%m/%Y}",
                    str(d.facts.get("remaining_service_months", "?")),
                    f"[{_VERDICT_STYLE[d.verdict.value]}]{verdict}[/]",
                )
    except LuanChuyenError as exc:
        _fail(exc)
    console.print(table)

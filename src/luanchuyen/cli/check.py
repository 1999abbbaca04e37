"""``luanchuyen check`` and ``luanchuyen demo``: evaluate case files and explain the result.

Exit codes of ``check`` (also in its ``--help``):

* 0 — every case was evaluated (and none has a verdict named by ``--fail-on``);
* 1 — at least one case has a verdict named by ``--fail-on``;
* 2 — bad input: a case file, a date, a rule pack or an option that cannot be used.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from luanchuyen.cli import app
from luanchuyen.decision import Verdict
from luanchuyen.errors import InputError, LuanChuyenError

if TYPE_CHECKING:
    from luanchuyen.io.cases import Case

_VERDICT_STYLE = {
    "eligible": "bold green",
    "not_eligible": "bold red",
    "needs_review": "bold yellow",
    "unknown": "bold magenta",
}
#: Exit codes of ``check``.
EXIT_OK, EXIT_FAIL_ON, EXIT_INPUT = 0, 1, 2

Lang = Literal["vi", "en"]
Format = Literal["text", "json", "jsonl"]
Engine = Literal["durable", "reference", "vector"]


def _fail(exc: LuanChuyenError) -> None:
    typer.echo(f"Lỗi [{exc.code}] {exc.message_vi}\nError [{exc.code}] {exc.message_en}", err=True)
    raise typer.Exit(EXIT_INPUT)


def _read_cases(source: str) -> list[Case]:
    """Cases from a file, or from standard input when ``source`` is ``-`` (YAML or JSON)."""
    from luanchuyen.io.cases import load_cases

    if source != "-":
        return load_cases(source)
    text = sys.stdin.read()
    with tempfile.TemporaryDirectory(prefix="luanchuyen-") as tmp:
        path = Path(tmp) / "stdin.yaml"  # YAML reads JSON too; the safe loader is used
        path.write_text(text, encoding="utf-8")
        return load_cases(path)


def _write(out: str, chunks: Iterable[str]) -> None:
    """Write to stdout (``-``) or to a file, never leaving it half-written under its name."""
    if out == "-":
        for chunk in chunks:
            sys.stdout.write(chunk)
        sys.stdout.flush()
        return
    target = Path(out)
    fd, tmp = tempfile.mkstemp(dir=target.parent or Path(), prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            for chunk in chunks:
                fh.write(chunk)
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@app.command(
    epilog=(
        "Mã thoát / exit codes: 0 đã đánh giá xong / evaluated; 1 có kết luận thuộc --fail-on "
        "/ a verdict named by --fail-on; 2 dữ liệu hoặc tùy chọn sai / bad input."
    )
)
def check(
    case: Annotated[
        str, typer.Argument(help="Tệp hồ sơ .yaml hoặc .json; «-» đọc từ stdin / case file")
    ],
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
    lang: Annotated[Lang, typer.Option("--lang", help="Ngôn ngữ / language")] = "vi",
    fmt: Annotated[
        Format,
        typer.Option(
            "--format",
            help="text; json = luôn là một mảng JSON các Decision / always a JSON array; "
            "jsonl = mỗi dòng một Decision / one Decision per line",
        ),
    ] = "text",
    backend: Annotated[
        Engine, typer.Option("--backend", help="Bộ máy suy luận / engine")
    ] = "durable",
    out: Annotated[
        str, typer.Option("--out", "-o", help="Tệp kết quả; «-» là stdout / output file")
    ] = "-",
    fail_on: Annotated[
        list[Verdict] | None,
        typer.Option(
            "--fail-on",
            help="Thoát mã 1 nếu có hồ sơ mang kết luận này (lặp lại được) / exit 1 on verdict",
        ),
    ] = None,
) -> None:
    """Đánh giá một hoặc nhiều hồ sơ trong tệp / evaluate the case(s) in a file."""
    from luanchuyen.cli import split_pack_args
    from luanchuyen.dates import to_date
    from luanchuyen.evaluation import evaluate
    from luanchuyen.ruleset.compile import RuleSet

    decisions = []
    try:
        day: date | None = to_date(as_of, "--as-of") if as_of else None
        for c in _read_cases(case):
            names, dirs = split_pack_args(rules) if rules else (list(c.rules), [])
            rs = RuleSet.load(*names, locality=c.locality, pack_dirs=dirs)
            decisions.append(
                evaluate(c.cadre, c.move, as_of=day or c.as_of, rules=rs, backend=backend)
            )
    except LuanChuyenError as exc:
        _fail(exc)
    except ValueError as exc:  # pragma: no cover - every library error is coded
        _fail(InputError("invalid_input", str(exc), str(exc)))
    if fmt == "json":
        chunks = ["[", ",\n".join(d.to_json() for d in decisions), "]\n"]
    elif fmt == "jsonl":
        chunks = [d.to_json(indent=None) + "\n" for d in decisions]
    else:
        chunks = ["\n\n".join(d.explain(lang) for d in decisions) + "\n"]
    try:
        _write(out, chunks)
    except OSError as exc:
        typer.echo(f"Lỗi ghi tệp / cannot write {out}: {exc.strerror}", err=True)
        raise typer.Exit(EXIT_INPUT) from None
    if fail_on and any(d.verdict in fail_on for d in decisions):
        raise typer.Exit(EXIT_FAIL_ON)


@app.command()
def demo(
    folder: Annotated[Path, typer.Argument(help="Thư mục ví dụ")] = Path("examples"),
    lang: Annotated[Lang, typer.Option("--lang", help="Ngôn ngữ / language")] = "vi",
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

"""The ``luanchuyen`` command line (typer). Each command group lives in its own module.

Exit codes shared by every command: 0 success; 1 a check failed (``--fail-on`` verdicts,
``rules lint`` errors, ``batch --strict`` error rows); 2 bad input or options (choices are
validated by the CLI library itself: ``--lang fr`` or ``--format xml`` are refused), or an
optional extra that is missing (the message names the ``pip install`` to run).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    name="luanchuyen",
    help="Kiểm tra điều kiện luân chuyển, điều động, biệt phái cán bộ (Quy định 65-QĐ/TW).",
    no_args_is_help=True,
    add_completion=False,
)


def split_pack_args(values: Sequence[str] | None) -> tuple[list[str], list[Path]]:
    """Split ``--rules`` values into pack ids and pack directories.

    On the command line the caller may name a pack directory by path (a value holding a
    path separator, or an existing directory with a ``pack.yaml``); a case file never can.
    """
    names: list[str] = []
    dirs: list[Path] = []
    for value in values or ():
        p = Path(value)
        if "/" in value or "\\" in value or (p / "pack.yaml").is_file():
            dirs.append(p)
        else:
            names.append(value)
    return names, dirs


def _version(value: bool) -> None:
    if value:
        from luanchuyen._version import __version__

        typer.echo(f"luanchuyen {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            is_eager=True,
            callback=_version,
            help="In phiên bản rồi thoát / print the version and exit",
        ),
    ] = False,
) -> None:
    """Kiểm tra điều kiện luân chuyển, điều động, biệt phái cán bộ (Quy định 65-QĐ/TW)."""


def _register() -> None:
    import luanchuyen.cli.batch
    import luanchuyen.cli.records  # noqa: F401
    from luanchuyen.cli import check, plan, rules, serve  # noqa: F401  (commands register on import)


def main() -> None:
    """Entry point of the ``luanchuyen`` console script.

    A command that needs an optional dependency which is not installed says which extra
    to install (``pip install 'luanchuyen[analysis]'``) instead of printing a traceback.
    Ctrl-C anywhere says so and exits 130 (outputs are written atomically: none is half-written).
    """
    from luanchuyen.errors import MissingExtraError, missing_extra

    try:
        _register()
        app()
    except MissingExtraError as exc:
        typer.echo(
            f"Lỗi [{exc.code}] {exc.message_vi}\nError [{exc.code}] {exc.message_en}", err=True
        )
        sys.exit(2)
    except ModuleNotFoundError as exc:
        found = missing_extra(exc)
        if found is None:
            raise
        typer.echo(
            f"Lỗi [{found.code}] {found.message_vi}\nError [{found.code}] {found.message_en}",
            err=True,
        )
        sys.exit(2)
    except KeyboardInterrupt:
        print("Đã dừng (Ctrl-C) / interrupted (Ctrl-C)", file=sys.stderr)
        raise SystemExit(130) from None

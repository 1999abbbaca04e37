"""The ``luanchuyen`` command line (typer). Each command group lives in its own module."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="luanchuyen",
    help="Kiểm tra điều kiện luân chuyển, điều động, biệt phái cán bộ (Quy định 65-QĐ/TW).",
    no_args_is_help=True,
    add_completion=False,
)


def _register() -> None:
    import luanchuyen.cli.batch  # noqa: F401
    from luanchuyen.cli import check, rules  # noqa: F401  (commands register on import)


def main() -> None:
    """Entry point of the ``luanchuyen`` console script."""
    _register()
    app()

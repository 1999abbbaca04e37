"""``luanchuyen serve``: the HTTP service and the officers' page (needs ``luanchuyen[server]``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

from luanchuyen.cli import app
from luanchuyen.errors import LuanChuyenError

Engine = Literal["durable", "reference", "vector"]


@app.command()
def serve(
    host: Annotated[
        str, typer.Option("--host", help="Địa chỉ lắng nghe (mặc định chỉ máy này) / bind address")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Cổng; 0 = cổng trống bất kỳ / port")
    ] = 8000,
    api_keys_file: Annotated[
        Path | None,
        typer.Option(
            "--api-keys-file",
            help="Tệp khóa truy cập, mỗi dòng một khóa (cùng LUANCHUYEN_API_KEYS) / key file",
        ),
    ] = None,
    max_body_mb: Annotated[
        float, typer.Option("--max-body-mb", min=0.001, help="Giới hạn dữ liệu gửi lên (MiB)")
    ] = 10.0,
    max_rows: Annotated[
        int, typer.Option("--max-rows", min=1, help="Số dòng tối đa mỗi yêu cầu hàng loạt")
    ] = 10_000,
    time_limit: Annotated[
        float, typer.Option("--time-limit", min=0.01, help="Thời gian tối đa mỗi yêu cầu (giây)")
    ] = 60.0,
    workers: Annotated[
        int, typer.Option("--workers", min=1, max=64, help="Số tiến trình phục vụ / processes")
    ] = 1,
    backend: Annotated[
        Engine, typer.Option("--backend", help="Bộ máy suy luận mặc định / default engine")
    ] = "reference",
    log_level: Annotated[
        Literal["critical", "error", "warning", "info", "debug"],
        typer.Option("--log-level", help="Mức ghi nhật ký (không bao giờ ghi hồ sơ) / log level"),
    ] = "info",
) -> None:
    """Chạy dịch vụ HTTP và trang kiểm tra cho cán bộ / run the HTTP service and the page.

    Prints ``luanchuyen serve: http://HOST:PORT`` once it listens, then serves until
    interrupted. Exit code 2 on a bad setting or when the ``server`` extra is missing.
    """
    try:
        import fastapi  # noqa: F401  (deferred: an optional extra)
        import uvicorn  # noqa: F401
    except ModuleNotFoundError as exc:
        from luanchuyen.errors import MissingExtraError

        raise MissingExtraError(
            exc.name or "fastapi", "server", feature="luanchuyen serve"
        ) from None
    from luanchuyen.server import ServerSettings
    from luanchuyen.server import serve as run

    try:
        keys_file = str(api_keys_file) if api_keys_file else None
        settings = ServerSettings.from_env(
            keys_file=keys_file,
            max_body_bytes=int(max_body_mb * 1024 * 1024),
            max_rows=max_rows,
            time_limit_seconds=time_limit,
            backend=backend,
        )
    except LuanChuyenError as exc:
        typer.echo(
            f"Lỗi [{exc.code}] {exc.message_vi}\nError [{exc.code}] {exc.message_en}", err=True
        )
        raise typer.Exit(2) from None

    def ready(bound: int) -> None:
        shown = f"[{host}]" if ":" in host else host
        auth = "có khóa truy cập" if settings.auth_required else "không cần khóa"
        sys.stdout.write(f"luanchuyen serve: http://{shown}:{bound} ({auth})\n")
        sys.stdout.flush()

    try:
        run(
            settings,
            host=host,
            port=port,
            log_level=log_level,
            workers=workers,
            keys_file=keys_file,
            ready=ready,
        )
    except OSError as exc:
        typer.echo(
            f"Lỗi: không mở được cổng {host}:{port} ({exc.strerror})\n"
            f"Error: cannot listen on {host}:{port} ({exc.strerror})",
            err=True,
        )
        raise typer.Exit(2) from None

"""``luanchuyen serve``: the library as an HTTP service (FastAPI + uvicorn) and a page for officers.

* ``/v1/…``: the JSON API (OpenAPI 3 at ``/openapi.json``, descriptions in Vietnamese);
  every call needs ``Authorization: Bearer <key>`` when API keys are configured.
* ``/``: a Vietnamese page to check one cadre against one post, or to upload a sheet and get
  the results workbook back; every asset is served from this process (no CDN).

Errors are coded JSON (``code``, ``field``, ``message_vi``, ``message_en``), never a
traceback; request bodies are limited in size, batches in rows, requests in time; no record
is ever logged (cadre data is state-secret under Nghị định 27/2026). The engines are shared
across requests: every backend is thread-safe (the durable-rules one serialises its sessions
under a lock).

Needs the ``server`` extra: ``pip install 'luanchuyen[server]'``.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import TYPE_CHECKING, Any

from luanchuyen.server._settings import ServerSettings

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["ServerSettings", "app_from_env", "create_app", "listening_socket", "serve"]

#: Environment variable carrying the settings to worker processes (never the keys themselves).
_SETTINGS_ENV = "LUANCHUYEN_SERVER_SETTINGS"

_STATIC = Path(__file__).resolve().parent / "static"
_DESCRIPTION = """\
Kiểm tra điều kiện luân chuyển, điều động, biệt phái cán bộ theo Quy định 65-QĐ/TW, Nghị định
170/2025 và các quy định liên quan, có lý do và căn cứ cho từng tiêu chí.

* Mọi ngày trong dữ liệu vào nhận `dd/mm/yyyy` hoặc `yyyy-mm-dd`; mọi ngày trong kết quả là
  ISO `yyyy-mm-dd`.
* Khi máy chủ cấu hình khóa (`LUANCHUYEN_API_KEYS`), mọi lời gọi `/v1` cần
  `Authorization: Bearer <khóa>`.
* Lỗi trả về JSON `{code, field, message_vi, message_en}` với mã ổn định (docs/errors.md).

Eligibility of Vietnamese cadres for rotation, transfer and secondment, with reasons and
legal basis for every criterion.
"""


class _BodyLimit:
    """ASGI middleware: refuse bodies over ``limit`` bytes (declared or streamed) with 413.

    The body is read here, up to the limit, before the application sees the request; every
    route reads whole bodies anyway, and the limit bounds what is held.
    """

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _too_large(send, self.limit)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message.get("type") != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            more = bool(message.get("more_body", False))
            if size > self.limit:
                await _drain(receive, more, _DRAIN_LIMIT)
                await _too_large(send, self.limit)
                return
            chunks.append(chunk)
            if not more:
                break
        replayed = False

        async def replay() -> Any:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


#: Bytes of an oversized body read and dropped before the 413 (so the client reads the answer).
_DRAIN_LIMIT = 64 * 1024 * 1024


async def _drain(receive: Any, more: bool, limit: int) -> None:
    dropped = 0
    while more and dropped < limit:
        message = await receive()
        if message.get("type") != "http.request":
            return
        dropped += len(message.get("body", b""))
        more = bool(message.get("more_body", False))


def _too_large_error(limit: int) -> Any:
    from luanchuyen.server._errors import HttpError

    return HttpError(
        413,
        "payload_too_large",
        f"Dữ liệu gửi lên vượt {limit:,} byte",
        f"The request body exceeds {limit:,} bytes",
        field="body",
    )


async def _too_large(send: Any, limit: int) -> None:
    import json

    body = json.dumps(_too_large_error(limit).to_dict(), ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def create_app(settings: ServerSettings | None = None) -> FastAPI:
    """The ASGI application (for uvicorn, or any ASGI server).

    Args:
        settings: keys and limits (default: :meth:`ServerSettings.from_env`).
    """
    from fastapi import FastAPI, Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse
    from fastapi.routing import APIRoute
    from fastapi.staticfiles import StaticFiles
    from starlette.exceptions import HTTPException as StarletteHTTPException

    from luanchuyen._version import __version__
    from luanchuyen.errors import LuanChuyenError
    from luanchuyen.server._api import api_router
    from luanchuyen.server._errors import (
        error_response,
        from_http_exception,
        unexpected,
        validation_error,
    )
    from luanchuyen.server._page import page_router

    s = settings if settings is not None else ServerSettings.from_env()
    app = FastAPI(
        title="luanchuyen — dịch vụ kiểm tra điều kiện luân chuyển cán bộ",
        version=__version__,
        description=_DESCRIPTION,
        docs_url=None,  # Swagger UI and ReDoc load scripts from a CDN: not on a closed network
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.settings = s
    app.include_router(api_router)
    app.include_router(page_router)
    app.mount("/static", StaticFiles(directory=_STATIC), name="static")

    async def coded(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, LuanChuyenError)
        return error_response(exc)

    async def invalid(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return error_response(validation_error(list(exc.errors())))

    async def http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        return error_response(from_http_exception(exc.status_code))

    async def anything(request: Request, exc: Exception) -> JSONResponse:
        return error_response(unexpected(exc, request.url.path))

    app.add_exception_handler(LuanChuyenError, coded)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, anything)
    for route in app.routes:  # one bad request never reaches the server's traceback log
        if isinstance(route, APIRoute):
            route.app = _guarded(route.app)
    app.add_middleware(_BodyLimit, limit=s.max_body_bytes)
    return app


def _guarded(inner: Any) -> Any:
    """Wrap a route's ASGI app: an unexpected exception becomes a coded 500, logged by type."""
    from luanchuyen.server._errors import error_response, unexpected

    async def app(scope: Any, receive: Any, send: Any) -> None:
        started = False

        async def tracking(message: Any) -> None:
            nonlocal started
            if message.get("type") == "http.response.start":
                started = True
            await send(message)

        try:
            await inner(scope, receive, tracking)
        except Exception as exc:
            from luanchuyen.errors import LuanChuyenError

            if started:  # a streamed answer already begun: nothing more can be said
                unexpected(exc, str(scope.get("path")))
                return
            if isinstance(exc, LuanChuyenError):
                raise
            await error_response(unexpected(exc, str(scope.get("path"))))(scope, receive, send)

    return app


def app_from_env() -> FastAPI:
    """The application built from the environment (the factory each worker process calls).

    The settings other than the keys come from ``LUANCHUYEN_SERVER_SETTINGS`` (JSON, set by
    :func:`serve`); the keys from ``LUANCHUYEN_API_KEYS`` and the key file, read again here.
    """
    import json
    import os

    data = json.loads(os.environ.get(_SETTINGS_ENV) or "{}")
    keys_file = data.pop("keys_file", None)
    return create_app(ServerSettings.from_env(keys_file=keys_file, **data))


def listening_socket(host: str, port: int) -> socket.socket:
    """The socket the service listens on, bound to ``host:port`` (``0``: a free port).

    It is created with ``proto=IPPROTO_TCP``: asyncio turns Nagle's algorithm off
    (``TCP_NODELAY``) only on connections of such a socket. Without it every answer whose
    headers and body go out in two writes waited for the client's delayed ACK, about 40 ms a
    request (measured: 20 evaluations/s for one client instead of several hundred).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(512)
    return sock


def serve(
    settings: ServerSettings | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    log_level: str = "info",
    workers: int = 1,
    keys_file: str | None = None,
    ready: Any = None,
) -> None:
    """Run the service with uvicorn until interrupted.

    ``port=0`` picks a free port; ``ready`` (a callable) receives the bound port once the
    socket listens (the CLI prints it). ``workers > 1`` runs that many processes on the one
    socket (each with its own engines); they rebuild their settings from the environment, so
    pass the key file as ``keys_file`` rather than inside ``settings``.
    """
    import json
    import os

    import uvicorn

    s = settings if settings is not None else ServerSettings.from_env(keys_file=keys_file)
    sock = listening_socket(host, port)
    bound = int(sock.getsockname()[1])
    access = log_level == "debug"
    if workers <= 1:
        config = uvicorn.Config(create_app(s), log_level=log_level, access_log=access)
        if ready is not None:
            ready(bound)
        uvicorn.Server(config).run(sockets=[sock])
        return
    from uvicorn.supervisors import Multiprocess

    os.environ[_SETTINGS_ENV] = json.dumps(
        {
            "keys_file": keys_file,
            "max_body_bytes": s.max_body_bytes,
            "max_rows": s.max_rows,
            "time_limit_seconds": s.time_limit_seconds,
            "backend": s.backend,
        }
    )
    config = uvicorn.Config(
        "luanchuyen.server:app_from_env",
        factory=True,
        workers=workers,
        log_level=log_level,
        access_log=access,
    )
    if ready is not None:
        ready(bound)
    Multiprocess(config, sockets=[sock]).run()

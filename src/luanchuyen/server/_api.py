"""The JSON API under ``/v1``: evaluate, evaluate many (streamed), forecast, rules, facts, schemas."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict
from datetime import date
from functools import lru_cache
from typing import Annotated, Any, Literal, TypeVar

import anyio
from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import PlainTextResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from luanchuyen._version import __version__
from luanchuyen.decision import Decision
from luanchuyen.errors import InputError, LuanChuyenError
from luanchuyen.models import Cadre, Move
from luanchuyen.ruleset.compile import RuleSet
from luanchuyen.server._errors import HttpError, unexpected
from luanchuyen.server._settings import BackendName, ServerSettings

__all__ = [
    "EvaluateRequest",
    "ForecastRequest",
    "ManyItem",
    "api_router",
    "check_key",
    "in_thread",
    "ruleset_for",
]

T = TypeVar("T")

_AS_OF = "Ngày đánh giá: dd/mm/yyyy hoặc yyyy-mm-dd (chọn quy tắc có hiệu lực) / as-of date"
_RULES = "Bộ quy tắc địa phương thêm vào (overlay), ví dụ chi-lang-2024 / overlay packs"
_LOCALITY = "Địa bàn: chọn overlay khai báo cho địa bàn này / locality"
_JSONL_TYPES = ("application/x-ndjson", "application/jsonl", "application/x-jsonlines")


# --------------------------------------------------------------------------- shared helpers


def check_key(settings: ServerSettings, supplied: str | None) -> None:
    """Refuse (401) unless ``supplied`` is one of the configured keys (constant-time)."""
    if not settings.api_keys:
        return
    token = (supplied or "").encode()
    ok = False
    for key in settings.api_keys:  # every key compared: the time does not tell which matched
        ok |= secrets.compare_digest(token, key.encode())
    if not ok:
        raise HttpError(
            401,
            "unauthorized",
            "Cần khóa truy cập hợp lệ: Authorization: Bearer <khóa>",
            "A valid API key is required: Authorization: Bearer <key>",
            field="Authorization",
            headers={"WWW-Authenticate": "Bearer"},
        )


def bearer(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer …`` header, if any."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def _settings(request: Request) -> ServerSettings:
    settings: ServerSettings = request.app.state.settings
    return settings


async def _authorised(request: Request) -> None:
    # async: a sync dependency would cost every call a hop through the thread pool
    check_key(_settings(request), bearer(request))


async def in_thread(settings: ServerSettings, fn: Callable[[], T]) -> T:
    """Run blocking work in a worker thread; answer 503 ``time_limit`` when it runs too long."""
    try:
        with anyio.fail_after(settings.time_limit_seconds):
            return await anyio.to_thread.run_sync(fn, abandon_on_cancel=True)
    except TimeoutError:
        raise _time_limit(settings) from None


def _time_limit(settings: ServerSettings) -> HttpError:
    s = settings.time_limit_seconds
    return HttpError(
        503,
        "time_limit",
        f"Yêu cầu chạy quá {s:g} giây và đã bị dừng",
        f"The request ran longer than {s:g} s and was stopped",
    )


@lru_cache(maxsize=32)
def _load(packs: tuple[str, ...], locality: str | None) -> RuleSet:
    from luanchuyen.evaluation import default_rules, load_rules

    if not packs and not locality:
        return default_rules()
    return load_rules(*packs, locality=locality)


def ruleset_for(packs: list[str] | tuple[str, ...] | None, locality: str | None) -> RuleSet:
    """The rule set of the national packs plus these overlays (loaded once per combination)."""
    clean = tuple(sorted({p.strip() for p in packs or () if p.strip()}))
    try:
        return _load(clean, (locality or "").strip() or None)
    except LuanChuyenError as exc:
        raise InputError(exc.code, exc.message_vi, exc.message_en, field="rules") from None


def _day(value: str, field: str = "as_of") -> date:
    from luanchuyen.dates import parse_vn_date

    return parse_vn_date(value, field=field)


def _json(data: Any, status: int = 200) -> Response:
    return Response(
        json.dumps(data, ensure_ascii=False, default=str),
        status_code=status,
        media_type="application/json",
    )


# --------------------------------------------------------------------------- request models


class EvaluateRequest(BaseModel):
    """Một hồ sơ: cán bộ, đề xuất và ngày đánh giá / one case."""

    model_config = ConfigDict(extra="forbid")

    cadre: Cadre = Field(description="Hồ sơ cán bộ (xem /v1/schema/cadre) / the cadre")
    move: Move = Field(description="Đề xuất luân chuyển, điều động, biệt phái / the move")
    as_of: str = Field(description=_AS_OF, examples=["2026-03-01", "01/03/2026"])
    rules: list[str] = Field(default_factory=list, description=_RULES)
    locality: str | None = Field(None, description=_LOCALITY)
    lang: Literal["vi", "en"] = Field(
        "vi", description="Ngôn ngữ của bản giải thích (Accept: text/plain) / language"
    )
    backend: BackendName | None = Field(
        None, description="Bộ máy suy luận (mặc định của máy chủ) / engine"
    )


class ForecastRequest(BaseModel):
    """Một hồ sơ và khoảng thời gian tìm ngày sớm nhất đủ điều kiện / one case and a horizon."""

    model_config = ConfigDict(extra="forbid")

    cadre: Cadre = Field(description="Hồ sơ cán bộ / the cadre")
    move: Move = Field(description="Đề xuất / the move")
    as_of: str = Field(description="Ngày bắt đầu tìm / search start: dd/mm/yyyy or yyyy-mm-dd")
    rules: list[str] = Field(default_factory=list, description=_RULES)
    locality: str | None = Field(None, description=_LOCALITY)
    horizon_months: int = Field(
        120, ge=1, le=600, description="Số tháng xét tới / months to look ahead"
    )


class ManyItem(BaseModel):
    """Một dòng của /v1/evaluate-many (vào) / one input row."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(None, description="Mã do ứng dụng đặt, trả lại nguyên vẹn / echoed")
    cadre: dict[str, Any] = Field(description="Hồ sơ cán bộ / the cadre")
    move: dict[str, Any] = Field(description="Đề xuất / the move")
    as_of: str | None = Field(None, description="Ngày đánh giá của dòng (mặc định: ?as_of=)")


class ManyResult(BaseModel):
    """Một dòng kết quả của /v1/evaluate-many (ra) / one output row."""

    row: int = Field(description="Số thứ tự dòng vào, từ 1 / input row number, from 1")
    id: str | None = Field(None, description="Mã ứng dụng đã gửi / the id sent")
    status: Literal["ok", "error"] = Field(description="ok: có kết luận; error: xem error")
    decision: Decision | None = None
    error: dict[str, Any] | None = Field(
        None, description="{code, field, message_vi, message_en} khi status = error"
    )


class ErrorBody(BaseModel):
    """Lỗi có mã ổn định / a coded error."""

    code: str = Field(description="Mã lỗi ổn định (docs/errors.md) / stable error code")
    field: str | None = Field(None, description="Trường liên quan / the field concerned")
    message_vi: str
    message_en: str


_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text}
    for status, text in (
        (400, "Yêu cầu không đọc được / malformed request"),
        (401, "Thiếu hoặc sai khóa truy cập / missing or wrong API key"),
        (413, "Quá lớn hoặc quá nhiều dòng / too large or too many rows"),
        (422, "Dữ liệu không hợp lệ / invalid input"),
        (503, "Quá thời gian / time limit"),
    )
}

api_router = APIRouter(prefix="/v1", dependencies=[Depends(_authorised)], responses=_ERRORS)


# --------------------------------------------------------------------------- routes


@api_router.get(
    "/health",
    summary="Tình trạng máy chủ / health",
    description="Phiên bản thư viện, bộ quy tắc quốc gia, giới hạn của máy chủ.",
)
async def health(request: Request) -> Response:
    s = _settings(request)
    rs = ruleset_for(None, None)
    return _json(
        {
            "status": "ok",
            "version": __version__,
            "packs": [p.id for p in rs.packs],
            "rules_hash": rs.content_hash,
            "backend": s.backend,
            "auth": s.auth_required,
            "limits": {
                "max_body_bytes": s.max_body_bytes,
                "max_rows": s.max_rows,
                "time_limit_seconds": s.time_limit_seconds,
            },
        }
    )


def _wants(request: Request, *types: str) -> bool:
    accept = request.headers.get("accept", "")
    return any(t in accept for t in types) and "application/json" not in accept


@api_router.post(
    "/evaluate",
    summary="Đánh giá một hồ sơ / evaluate one case",
    description=(
        "Trả về Decision (JSON): kết luận, từng tiêu chí với lý do và căn cứ, dữ kiện, "
        "nguồn gốc. `Accept: text/plain` trả bản giải thích (theo `lang`), "
        "`Accept: text/html` trả thẻ HTML tiếng Việt."
    ),
    responses={
        200: {
            "model": Decision,
            "content": {"text/plain": {}, "text/html": {}},
            "description": "Decision",
        }
    },
)
async def evaluate_one(request: Request, body: EvaluateRequest) -> Response:
    from luanchuyen.evaluation import evaluate

    s = _settings(request)
    rs = ruleset_for(body.rules, body.locality)
    decision = await in_thread(
        s,
        lambda: evaluate(
            body.cadre, body.move, as_of=body.as_of, rules=rs, backend=body.backend or s.backend
        ),
    )
    if _wants(request, "text/plain"):
        return PlainTextResponse(
            decision.explain(body.lang), headers={"Content-Language": body.lang}
        )
    if _wants(request, "text/html"):
        from luanchuyen.render.html import decision_html

        return Response(
            decision_html(decision), media_type="text/html", headers={"Content-Language": "vi"}
        )
    return Response(decision.model_dump_json(), media_type="application/json")


def _parse_many(raw: bytes, lines: bool) -> list[dict[str, Any] | InputError]:
    """The rows of a JSON array or of JSON Lines; an unreadable row becomes its error."""
    if not lines:
        try:
            data = json.loads(raw or b"null")
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputError(
                "invalid_input",
                f"Nội dung không phải JSON hợp lệ ({getattr(exc, 'msg', 'utf-8')})",
                f"The body is not valid JSON ({getattr(exc, 'msg', 'utf-8')})",
                field="body",
            ) from None
        if not isinstance(data, list):
            raise InputError(
                "invalid_input",
                "Cần một mảng JSON các hồ sơ {cadre, move, as_of}, hoặc JSON Lines",
                "A JSON array of {cadre, move, as_of} objects, or JSON Lines, is expected",
                field="body",
            )
        return [
            item if isinstance(item, dict) else _not_object(f"[{i}]") for i, item in enumerate(data)
        ]
    out: list[dict[str, Any] | InputError] = []
    for n, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError):
            out.append(
                InputError(
                    "invalid_input",
                    f"Dòng {n}: không phải JSON hợp lệ",
                    f"Line {n}: not valid JSON",
                    field=f"line {n}",
                )
            )
            continue
        out.append(item if isinstance(item, dict) else _not_object(f"line {n}"))
    return out


def _not_object(where: str) -> InputError:
    return InputError(
        "invalid_input",
        f"{where}: cần một đối tượng {{cadre, move, as_of}}",
        f"{where}: an object {{cadre, move, as_of}} is expected",
        field=where,
    )


def _error_json(exc: LuanChuyenError) -> dict[str, Any]:
    body = exc.to_dict()
    body.pop("details", None)
    return body


@api_router.post(
    "/evaluate-many",
    summary="Đánh giá nhiều hồ sơ (trả dần) / evaluate many, streamed",
    description=(
        "Vào: mảng JSON các `{id?, cadre, move, as_of?}` (Content-Type: application/json) "
        "hoặc JSON Lines (application/x-ndjson). Ra: cùng dạng (hoặc theo `Accept`), mỗi "
        "dòng một `{row, id, status, decision | error}` theo thứ tự vào, trả dần khi tính "
        "xong. Một dòng lỗi không bao giờ bị bỏ: nó trả `status: error` với mã lỗi."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/ManyItem"}}
                },
                "application/x-ndjson": {"schema": {"type": "string"}},
            },
        }
    },
    responses={
        200: {
            "description": "Kết quả từng dòng / one result per row",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/ManyResult"},
                    }
                },
                "application/x-ndjson": {"schema": {"type": "string"}},
            },
        }
    },
)
async def evaluate_many(
    request: Request,
    as_of: Annotated[str | None, Query(description=_AS_OF)] = None,
    rules: Annotated[list[str] | None, Query(description=_RULES)] = None,
    locality: Annotated[str | None, Query(description=_LOCALITY)] = None,
    backend: Annotated[BackendName | None, Query(description="Bộ máy / engine")] = None,
) -> Response:
    s = _settings(request)
    ctype = request.headers.get("content-type", "")
    lines_in = any(t in ctype for t in _JSONL_TYPES)
    accept = request.headers.get("accept", "")
    lines_out = (
        any(t in accept for t in _JSONL_TYPES)
        if any(t in accept for t in (*_JSONL_TYPES, "application/json"))
        else lines_in
    )
    default_day = _day(as_of) if as_of else None
    rs = ruleset_for(rules, locality)
    raw = await request.body()
    items = await in_thread(s, lambda: _parse_many(raw, lines_in))
    if len(items) > s.max_rows:
        raise HttpError(
            413,
            "too_many_rows",
            f"{len(items)} dòng vượt giới hạn {s.max_rows} dòng mỗi yêu cầu; hãy chia nhỏ",
            f"{len(items)} rows exceed the limit of {s.max_rows} per request; split them",
            field="body",
        )
    deadline = time.monotonic() + s.time_limit_seconds
    engine = backend or s.backend

    def one(n: int, item: dict[str, Any] | InputError) -> str:
        from luanchuyen.evaluation import evaluate

        ident: Any = None
        try:
            if isinstance(item, InputError):
                raise item
            parsed = _many_item(item)
            ident = parsed.id
            if time.monotonic() > deadline:
                raise _time_limit(s)
            day: date | str | None = parsed.as_of or default_day
            if day is None:
                raise InputError(
                    "missing_field",
                    "Thiếu ngày đánh giá: as_of của dòng hoặc ?as_of=",
                    "No as-of date: give the row's as_of or ?as_of=",
                    field="as_of",
                )
            d = evaluate(parsed.cadre, parsed.move, as_of=day, rules=rs, backend=engine)
        except LuanChuyenError as exc:
            err = json.dumps(_error_json(exc), ensure_ascii=False)
            return f'{{"row":{n},"id":{json.dumps(ident)},"status":"error","error":{err}}}'
        except Exception as exc:  # one bad row never stops the stream
            err = json.dumps(_error_json(unexpected(exc, "evaluate-many")), ensure_ascii=False)
            return f'{{"row":{n},"id":{json.dumps(ident)},"status":"error","error":{err}}}'
        return (
            f'{{"row":{n},"id":{json.dumps(ident)},"status":"ok","decision":{d.model_dump_json()}}}'
        )

    def stream() -> Iterator[bytes]:
        if lines_out:
            for n, item in enumerate(items, start=1):
                yield (one(n, item) + "\n").encode()
            return
        yield b"["
        for n, item in enumerate(items, start=1):
            yield ((",\n" if n > 1 else "") + one(n, item)).encode()
        yield b"]\n"

    media = "application/x-ndjson" if lines_out else "application/json"
    return StreamingResponse(stream(), media_type=media)


def _many_item(item: Mapping[str, Any]) -> ManyItem:
    from pydantic import ValidationError

    from luanchuyen.models.validate import input_error_from

    try:
        return ManyItem.model_validate(item)
    except ValidationError as exc:
        raise input_error_from(exc, "") from None


@api_router.post(
    "/forecast",
    summary="Ngày sớm nhất đủ điều kiện / earliest eligible date",
    description=(
        "Với mỗi tiêu chí chưa đạt tại `as_of`: ngày sớm nhất nó không còn vướng; ngày sớm "
        "nhất kết luận là đủ điều kiện; các vướng mắc phát sinh sau (giả định hồ sơ không đổi)."
    ),
)
async def forecast(request: Request, body: ForecastRequest) -> Response:
    from luanchuyen.analysis.forecast import earliest_eligible

    s = _settings(request)
    rs = ruleset_for(body.rules, body.locality)
    fc = await in_thread(
        s,
        lambda: earliest_eligible(
            body.cadre, body.move, as_of=body.as_of, rules=rs, horizon_months=body.horizon_months
        ),
    )
    out = {
        "as_of": fc.as_of.isoformat(),
        "horizon_months": fc.horizon_months,
        "horizon_end": fc.horizon_end.isoformat(),
        "verdict": fc.verdict.value,
        "eligible_on": fc.eligible_on.isoformat() if fc.eligible_on else None,
        "rules": [_plain(asdict(r)) for r in fc.rules],
        "new_barriers": [_plain(asdict(b)) for b in fc.new_barriers],
        "explanation": {"vi": fc.explain("vi"), "en": fc.explain("en")},
        "decision": fc.decision.model_dump(mode="json"),
    }
    return _json(out)


def _plain(value: Any) -> Any:
    """Dates to ISO strings, tuples to lists, recursively (for JSON)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


AsOfQuery = Annotated[str, Query(description=_AS_OF)]
RulesQuery = Annotated[list[str] | None, Query(description=_RULES)]
LocalityQuery = Annotated[str | None, Query(description=_LOCALITY)]


@api_router.get(
    "/rules",
    summary="Các quy tắc có hiệu lực tại một ngày / rules in force on a date",
    description="Mã, bộ, hiệu lực khi không đạt, tên tiếng Việt, căn cứ và thời gian hiệu lực.",
)
async def list_rules(
    as_of: AsOfQuery, rules: RulesQuery = None, locality: LocalityQuery = None
) -> Response:
    from luanchuyen.authoring.inspect import rules_in_force

    day = _day(as_of)
    rs = ruleset_for(rules, locality)
    rows = rules_in_force(rs, day)
    return _json(
        {
            "as_of": day.isoformat(),
            "packs": [p.id for p in rs.packs],
            "rules": [_plain(asdict(r)) for r in rows],
        }
    )


@api_router.get(
    "/rules/{rule_id}",
    summary="Một quy tắc tại một ngày / one rule on a date",
    description="Toàn bộ dữ liệu của quy tắc, điều kiện dạng chữ và tham số tại ngày đó.",
    responses={404: {"model": ErrorBody, "description": "Không có quy tắc này / no such rule"}},
)
async def show_rule(
    rule_id: Annotated[str, Path(description="Mã quy tắc / rule id")],
    as_of: AsOfQuery,
    rules: RulesQuery = None,
    locality: LocalityQuery = None,
) -> Response:
    from luanchuyen.authoring.inspect import show_rule as _show

    day = _day(as_of)
    rs = ruleset_for(rules, locality)
    try:
        detail = _show(rs, rule_id, day)
    except KeyError:
        raise HttpError(
            404,
            "not_found",
            f"Không có quy tắc «{rule_id}» trong các bộ {', '.join(p.id for p in rs.packs)}",
            f"No rule «{rule_id}» in packs {', '.join(p.id for p in rs.packs)}",
            field="rule_id",
        ) from None
    return _json(_plain(asdict(detail)))


@api_router.get(
    "/facts",
    summary="Các dữ kiện suy ra / derived facts",
    description="Tên, kiểu, đơn vị, ý nghĩa tiếng Việt và tiếng Anh, các giá trị cho phép.",
)
async def facts() -> Response:
    from luanchuyen.facts.registry import FACTS

    rows = [_plain(asdict(spec)) for spec in sorted(FACTS.values(), key=lambda f: f.name)]
    return _json({"facts": rows})


@api_router.get(
    "/schema/{model}",
    summary="JSON Schema của một mô hình / JSON Schema of a model",
    description="cadre, position, move, case (vào) hoặc decision (ra).",
    responses={404: {"model": ErrorBody, "description": "Không có mô hình này / no such model"}},
)
async def schema(
    model: Annotated[str, Path(description="cadre, position, move, case, decision")],
) -> Response:
    from luanchuyen.io.schema import SCHEMA_MODELS, json_schema

    name = model.strip().lower()
    if name not in SCHEMA_MODELS:
        raise HttpError(
            404,
            "not_found",
            f"Không có mô hình «{model}»; chọn: {', '.join(SCHEMA_MODELS)}",
            f"No model «{model}»; choose: {', '.join(SCHEMA_MODELS)}",
            field="model",
        )
    return _json(json_schema(name))

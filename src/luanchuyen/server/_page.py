"""The officers' page at ``/``: one cadre against one post, or a sheet in and the workbook out.

Plain HTML forms, no script and no asset from outside (government networks have no
internet): the style sheet is served from ``/static``. Every form field is a column of the
spreadsheet layout (:mod:`luanchuyen.io.tables`), named by its Vietnamese header, so the form
reads its cells exactly as a sheet's row is read (``dd/mm/yyyy`` dates, ``có``/``không``,
Vietnamese labels for codes).
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from luanchuyen._version import __version__
from luanchuyen.errors import InputError, LuanChuyenError
from luanchuyen.models.enums import (
    CodedEnum,
    DisciplineForm,
    Gender,
    Level,
    MoveKind,
    PostRole,
    Rating,
    TitleCode,
)
from luanchuyen.server._api import bearer, check_key, in_thread, ruleset_for
from luanchuyen.server._errors import HttpError, status_of, unexpected
from luanchuyen.server._settings import ServerSettings

__all__ = ["page_router"]

page_router = APIRouter(include_in_schema=False)

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True, slots=True)
class _Field:
    path: str
    enum: type[CodedEnum] | None = None
    required: bool = False
    hint: str = ""


_DATE = "dd/mm/yyyy"
#: The form, section by section: spreadsheet column paths (headers come from the catalogue).
_SECTIONS: tuple[tuple[str, tuple[_Field, ...]], ...] = (
    (
        "Cán bộ",
        (
            _Field("cadre.id", required=True),
            _Field("cadre.name", required=True),
            _Field("cadre.gender", Gender, required=True),
            _Field("cadre.date_of_birth", required=True, hint="dd/mm/yyyy, mm/yyyy hoặc yyyy"),
            _Field("cadre.party_member"),
            _Field("cadre.ethnic_minority"),
        ),
    ),
    (
        "Chức vụ hiện tại",
        (
            _Field("cadre.current_post.title"),
            _Field("cadre.current_post.title_code", TitleCode),
            _Field("cadre.current_post.level", Level),
            _Field("cadre.current_post.role", PostRole),
            _Field("cadre.current_post.since", hint=_DATE),
        ),
    ),
    (
        "Quy hoạch, kỷ luật, đánh giá",
        (
            _Field("cadre.planning[].title_code", TitleCode),
            _Field("cadre.planning[].level", Level),
            _Field("cadre.planning[].approved_on", hint=_DATE),
            _Field("cadre.disciplines[].form", DisciplineForm, hint="«Không» nếu chưa từng bị"),
            _Field("cadre.disciplines[].effective_date", hint=_DATE),
            _Field("cadre.under_disciplinary_review"),
            _Field("cadre.under_investigation"),
            _Field("rating.1", Rating),
            _Field("rating.2", Rating),
        ),
    ),
    (
        "Sức khỏe, gia đình",
        (
            _Field("cadre.health.issued_on", hint=_DATE),
            _Field("cadre.health.fit"),
            _Field("cadre.family.has_children"),
            _Field("cadre.family.youngest_child_date_of_birth", hint=_DATE),
            _Field("cadre.family.pregnant"),
        ),
    ),
    (
        "Đề xuất",
        (
            _Field("move.kind", MoveKind, required=True),
            _Field("move.target.title", required=True),
            _Field("move.target.title_code", TitleCode),
            _Field("move.target.level", Level, required=True),
            _Field("move.target.role", PostRole),
            _Field("move.target.vacant"),
            _Field("move.planned_start", hint=_DATE),
            _Field("move.planned_end", hint=_DATE),
            _Field("move.decision_date", hint=_DATE),
        ),
    ),
)
_RATING_LABELS = {"rating.1": "Xếp loại năm trước", "rating.2": "Xếp loại hai năm trước"}


def _columns() -> dict[str, Any]:
    from luanchuyen.io.tables import CADRE_COLUMNS, MOVE_COLUMNS

    return {c.path: c for c in (*CADRE_COLUMNS, *MOVE_COLUMNS)}


def _label(path: str) -> str:
    return _RATING_LABELS.get(path) or _columns()[path].header


def _kind(path: str) -> str:
    return "code" if path.startswith("rating.") else str(_columns()[path].kind)


# --------------------------------------------------------------------------- HTML


def _page(body: str, *, title: str = "Kiểm tra điều kiện luân chuyển cán bộ") -> str:
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title>"
        '<link rel="stylesheet" href="/static/page.css"></head><body>'
        f'<header><h1>{escape(title)}</h1><p class="sub">Quy định 65-QĐ/TW và các quy định '
        f"liên quan · luanchuyen {escape(__version__)}</p></header><main>{body}</main>"
        "<footer>Dữ liệu hồ sơ không được lưu lại trên máy chủ.</footer></body></html>"
    )


def _options(enum: type[CodedEnum] | None, kind: str, chosen: str) -> str:
    if enum is not None:
        items: list[tuple[str, str]] = [(str(m.value), m.label_vi) for m in enum]
    elif kind == "bool":
        items = [("có", "Có"), ("không", "Không")]
    else:  # pragma: no cover - only called for selects
        items = []
    opts = ['<option value="">— chưa rõ —</option>']
    if enum is DisciplineForm:
        opts.append(
            f'<option value="không"{" selected" if chosen == "không" else ""}>'
            "Không (chưa từng bị kỷ luật)</option>"
        )
    for value, label in items:
        sel = " selected" if value == chosen else ""
        opts.append(f'<option value="{escape(value)}"{sel}>{escape(label)}</option>')
    return "".join(opts)


def _input(f: _Field, values: Mapping[str, str]) -> str:
    name = f.path
    kind = _kind(name)
    value = values.get(name, "")
    req = " required" if f.required else ""
    star = ' <span class="req">*</span>' if f.required else ""
    label = f'<label for="{escape(name)}">{escape(_label(name))}{star}</label>'
    if f.enum is not None or kind == "bool":
        widget = (
            f'<select id="{escape(name)}" name="{escape(name)}"{req}>'
            f"{_options(f.enum, kind, value)}</select>"
        )
    else:
        hint = f.hint or ("số" if kind == "int" else "")
        widget = (
            f'<input id="{escape(name)}" name="{escape(name)}" value="{escape(value)}"'
            f' placeholder="{escape(hint)}" autocomplete="off"{req}>'
        )
    return f'<div class="field">{label}{widget}</div>'


def _key_field(settings: ServerSettings) -> str:
    if not settings.auth_required:
        return ""
    return (
        '<div class="field"><label for="api_key">Khóa truy cập <span class="req">*</span>'
        '</label><input id="api_key" name="api_key" type="password" required '
        'autocomplete="off"></div>'
    )


def _packs() -> list[str]:
    from luanchuyen.ruleset.loader import discover_packs

    return sorted(discover_packs(None))


def _common(settings: ServerSettings, values: Mapping[str, str], prefix: str) -> str:
    packs = "".join(f'<option value="{escape(p)}"></option>' for p in _packs())
    return (
        f'<div class="field"><label for="{prefix}as_of">Ngày đánh giá <span class="req">*'
        f'</span></label><input id="{prefix}as_of" name="as_of" required placeholder="dd/mm/yyyy"'
        f' value="{escape(values.get("as_of", ""))}" autocomplete="off"></div>'
        f'<div class="field"><label for="{prefix}rules">Bộ quy tắc địa phương (nếu có)</label>'
        f'<input id="{prefix}rules" name="rules" list="packs" placeholder="ví dụ chi-lang-2024"'
        f' value="{escape(values.get("rules", ""))}" autocomplete="off">'
        f'<datalist id="packs">{packs}</datalist></div>' + _key_field(settings)
    )


def _forms(settings: ServerSettings, values: Mapping[str, str], result: str = "") -> str:
    sections = "".join(
        f"<fieldset><legend>{escape(title)}</legend>"
        + "".join(_input(f, values) for f in fields)
        + "</fieldset>"
        for title, fields in _SECTIONS
    )
    return (
        result + '<section class="card"><h2>Kiểm tra một cán bộ với một vị trí</h2>'
        '<form id="form-check" method="post" action="/kiem-tra">'
        f"<fieldset><legend>Đánh giá</legend>{_common(settings, values, '')}</fieldset>"
        f"{sections}"
        '<p class="note">Ô để trống là <b>chưa rõ</b>: tiêu chí cần nó sẽ được báo '
        "«chưa đủ dữ liệu» kèm ô cần bổ sung.</p>"
        '<button id="submit-check" type="submit">Kiểm tra</button></form></section>'
        '<section class="card"><h2>Kiểm tra hàng loạt từ bảng tính</h2>'
        '<form id="form-batch" method="post" action="/tai-len" enctype="multipart/form-data">'
        f"{_common(settings, {}, 'b_')}"
        '<div class="field"><label for="sheet">Tệp .xlsx hoặc .csv (mẫu cột: '
        'examples/spreadsheet-template.md) <span class="req">*</span></label>'
        '<input id="sheet" name="sheet" type="file" accept=".xlsx,.csv" required></div>'
        '<button id="submit-batch" type="submit">Tải lên và nhận bảng kết quả</button>'
        "</form></section>"
    )


def _error_box(exc: LuanChuyenError, label: str | None = None) -> str:
    where = f"<b>{escape(label)}</b>: " if label else ""
    return (
        f'<div id="loi" class="error" role="alert" data-code="{escape(exc.code)}">'
        f"<p>{where}{escape(exc.message_vi)}</p>"
        f'<p class="en" lang="en">{escape(exc.message_en)}</p></div>'
    )


def _label_of(field: str | None, layout: Any) -> str | None:
    if not field:
        return None
    header = layout.header_for(field) if layout is not None else None
    return str(header) if header else None


# --------------------------------------------------------------------------- reading the form


def _read_form(
    form: Mapping[str, str], rules_text: str
) -> tuple[dict[str, Any], dict[str, Any], date, Any, Any]:
    """The form's cells → (cadre, move, as_of, rule set, layout), via the sheet reader."""
    from luanchuyen.dates import parse_vn_date
    from luanchuyen.io.tables import Layout

    day = parse_vn_date(form.get("as_of", "").strip(), field="as_of")
    headers: list[str] = []
    cells: list[Any] = []
    for _, fields in _SECTIONS:
        for f in fields:
            value = form.get(f.path, "").strip()
            if f.path.startswith("rating."):
                back = int(f.path.split(".")[1])
                headers.append(f"Xếp loại {day.year - back}")
            else:
                headers.append(_columns()[f.path].header)
            cells.append(value or None)
    layout = Layout.resolve(headers, "flat")
    try:
        req = layout.read(cells, as_of=day)
    except InputError as exc:
        raise _LocatedError(exc, layout) from None
    rs = ruleset_for(list(rules_text.replace(";", ",").split(",")), None)
    return req.cadre or {}, req.move or {}, day, rs, layout


class _LocatedError(Exception):
    def __init__(self, error: LuanChuyenError, layout: Any) -> None:
        super().__init__(error.code)
        self.error = error
        self.layout = layout


async def _form(request: Request) -> dict[str, Any]:
    async with request.form(max_files=1, max_fields=200) as form:
        out: dict[str, Any] = {}
        for key, value in form.multi_items():
            if isinstance(value, str):
                out[key] = value
            else:
                out[key] = (value.filename or "", await value.read())
        return out


def _auth(request: Request, settings: ServerSettings, form: Mapping[str, Any]) -> None:
    supplied = bearer(request) or (
        form.get("api_key") if isinstance(form.get("api_key"), str) else None
    )
    check_key(settings, supplied)


def _html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(_page(body), status_code=status)


# --------------------------------------------------------------------------- routes


@page_router.get("/", response_class=HTMLResponse)
async def index(request: Request) -> HTMLResponse:
    settings: ServerSettings = request.app.state.settings
    return _html(_forms(settings, {}))


@page_router.post("/kiem-tra", response_class=HTMLResponse)
async def check(request: Request) -> HTMLResponse:
    settings: ServerSettings = request.app.state.settings
    form = await _form(request)
    values = {k: v for k, v in form.items() if isinstance(v, str) and k != "api_key"}
    try:
        _auth(request, settings, form)
    except HttpError as exc:
        return _html(_error_box(exc) + _forms(settings, values), exc.status)
    layout = None
    try:
        cadre, move, day, rs, layout = _read_form(values, values.get("rules", ""))
        decision = await in_thread(
            settings,
            lambda: _evaluate(cadre, move, day, rs, settings),
        )
    except _LocatedError as exc:
        return _html(
            _error_box(exc.error, _label_of(exc.error.field, exc.layout))
            + _forms(settings, values),
            422,
        )
    except LuanChuyenError as exc:
        label = _label_of(exc.field, layout) or ("Ngày đánh giá" if exc.field == "as_of" else None)
        return _html(_error_box(exc, label) + _forms(settings, values), status_of(exc))
    except Exception as exc:
        err = unexpected(exc, "page check")
        return _html(_error_box(err) + _forms(settings, values), 500)
    return _html(_forms(settings, values, _result(decision)))


def _evaluate(
    cadre: dict[str, Any], move: dict[str, Any], day: date, rs: Any, settings: ServerSettings
) -> Any:
    from luanchuyen.evaluation import evaluate

    return evaluate(cadre, move, as_of=day, rules=rs, backend=settings.backend)


def _result(decision: Any) -> str:
    from luanchuyen.render.html import decision_html
    from luanchuyen.render.labels import verdict_label

    code = decision.verdict.value
    return (
        f'<section id="ket-qua" class="card result" data-verdict="{escape(code)}">'
        f'<h2>Kết luận: <span id="ket-luan" class="verdict v-{escape(code)}">'
        f"{escape(verdict_label(code))}</span></h2>"
        f'<div class="decision">{decision_html(decision)}</div></section>'
    )


@page_router.post("/tai-len")
async def upload(request: Request) -> Response:
    settings: ServerSettings = request.app.state.settings
    form = await _form(request)
    values = {k: v for k, v in form.items() if isinstance(v, str) and k != "api_key"}
    try:
        _auth(request, settings, form)
    except HttpError as exc:
        return _html(_error_box(exc) + _forms(settings, {}), exc.status)
    sheet = form.get("sheet")
    try:
        if not isinstance(sheet, tuple) or not sheet[1]:
            raise InputError(
                "missing_field",
                "Chưa chọn tệp bảng tính",
                "No spreadsheet was chosen",
                field="sheet",
            )
        from luanchuyen.dates import parse_vn_date

        day = parse_vn_date(values.get("as_of", "").strip(), field="as_of")
        rs = ruleset_for(values.get("rules", "").replace(";", ",").split(","), None)
        content = await in_thread(
            settings, lambda: _workbook(sheet[0], sheet[1], day, rs, settings)
        )
    except LuanChuyenError as exc:
        label = {"as_of": "Ngày đánh giá", "sheet": "Tệp"}.get(exc.field or "")
        return _html(_error_box(exc, label) + _forms(settings, {}), status_of(exc))
    except Exception as exc:
        err = unexpected(exc, "page upload")
        return _html(_error_box(err) + _forms(settings, {}), 500)
    return Response(
        content,
        media_type=_XLSX,
        headers={"Content-Disposition": 'attachment; filename="ket-qua-luan-chuyen.xlsx"'},
    )


def _workbook(filename: str, data: bytes, day: date, rs: Any, settings: ServerSettings) -> bytes:
    """Evaluate an uploaded sheet; return the results workbook (temporary files removed)."""
    from luanchuyen.batch import evaluate_many
    from luanchuyen.io.tables import read_requests, write_results

    suffix = Path(filename).suffix.lower()
    if suffix not in {".xlsx", ".xlsm", ".csv"}:
        raise InputError(
            "table_file",
            f"Chỉ nhận tệp .xlsx hoặc .csv (tệp gửi lên: {suffix or 'không có đuôi'})",
            f"Only .xlsx or .csv files are accepted (got: {suffix or 'no extension'})",
            field="sheet",
        )
    with tempfile.TemporaryDirectory(prefix="luanchuyen-") as tmp:
        src = Path(tmp) / f"dau-vao{suffix}"
        src.write_bytes(data)
        rows: Any = read_requests(src)
        if len(rows) > settings.max_rows:
            raise HttpError(
                413,
                "too_many_rows",
                f"Bảng có {len(rows)} dòng, vượt giới hạn {settings.max_rows} dòng",
                f"The sheet has {len(rows)} rows, over the limit of {settings.max_rows}",
                field="sheet",
            )
        frame = evaluate_many(rows, as_of=day, rules=rs)
        out = write_results(frame, Path(tmp) / "ket-qua.xlsx")
        return out.read_bytes()

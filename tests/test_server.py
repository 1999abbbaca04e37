"""``luanchuyen serve`` started as a real process on a loopback port and called over HTTP."""

from __future__ import annotations

import io
import json
import socket
from collections.abc import Iterator
from typing import Any

import httpx
import jsonschema
import pytest

import luanchuyen as lc
from factories import base_cadre, base_move
from luanchuyen.io.schema import SCHEMA_VERSION
from server_process import Served, running_server

AS_OF = "2024-06-01"
KEYS = ("key-from-env-1", "key-from-env-2")
FILE_KEY = "key-from-file"
ERROR_KEYS = {"code", "field", "message_vi", "message_en"}


def _case(**over: Any) -> dict[str, Any]:
    return {"cadre": base_cadre(), "move": base_move(), "as_of": AS_OF, **over}


def _old_cadre() -> dict[str, Any]:
    return base_cadre(id="OLD1", name="Trần Văn Cao", date_of_birth="10/10/1963")


@pytest.fixture(scope="module")
def server() -> Iterator[Served]:
    with running_server(["--max-body-mb", "0.25", "--max-rows", "5"]) as s:
        yield s


@pytest.fixture(scope="module")
def http(server: Served) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        yield client


@pytest.fixture(scope="module")
def keyed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    key_file = tmp_path_factory.mktemp("keys") / "keys.txt"
    key_file.write_text(f"# khóa cấp cho ứng dụng A\n{FILE_KEY}\n", encoding="utf-8")
    with running_server(
        ["--api-keys-file", str(key_file)], env={"LUANCHUYEN_API_KEYS": ",".join(KEYS)}
    ) as s:
        yield s


def _assert_error(r: httpx.Response, status: int, code: str, field: str | None = None) -> None:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) >= ERROR_KEYS, body
    assert body["code"] == code, body
    assert body["code"] in lc.errors.ERROR_CODES
    if field is not None:
        assert body["field"] == field, body
    assert "Traceback" not in r.text
    assert body["message_vi"] and body["message_en"]


# --------------------------------------------------------------------------- discovery


def test_openapi_is_version_3_with_vietnamese_descriptions(http: httpx.Client) -> None:
    spec = http.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    paths = set(spec["paths"])
    assert {
        "/v1/health",
        "/v1/evaluate",
        "/v1/evaluate-many",
        "/v1/forecast",
        "/v1/rules",
        "/v1/rules/{rule_id}",
        "/v1/facts",
        "/v1/schema/{model}",
    } <= paths
    assert spec["paths"]["/v1/evaluate"]["post"]["summary"].startswith("Đánh giá một hồ sơ")
    assert "Kiểm tra điều kiện luân chuyển" in spec["info"]["description"]
    assert "Decision" in spec["components"]["schemas"]
    # No page that loads Swagger UI from a CDN.
    assert http.get("/docs").status_code == 404


def test_health(http: httpx.Client) -> None:
    body = http.get("/v1/health").json()
    assert body["status"] == "ok"
    assert body["version"] == lc.__version__
    assert body["packs"] == ["nha-nuoc", "qd65"]
    assert body["auth"] is False
    assert body["limits"]["max_rows"] == 5


# --------------------------------------------------------------------------- evaluate


def test_evaluate_returns_the_library_decision(http: httpx.Client) -> None:
    r = http.post("/v1/evaluate", json=_case(cadre=_old_cadre()))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    expected = lc.evaluate(_old_cadre(), base_move(), as_of=AS_OF, backend="reference")
    assert r.json() == json.loads(expected.to_json())
    assert r.json()["verdict"] == "not_eligible"
    schema = http.get("/v1/schema/decision").json()
    jsonschema.validate(r.json(), schema)


def test_evaluate_with_an_overlay_and_the_reference_engine(http: httpx.Client) -> None:
    r = http.post("/v1/evaluate", json=_case(rules=["chi-lang-2024"], backend="durable"))
    assert r.status_code == 200, r.text
    prov = r.json()["provenance"]
    assert prov["packs"] == ["nha-nuoc", "qd65", "chi-lang-2024"]
    assert prov["backend"] == "durable"
    same = http.post("/v1/evaluate", json=_case(rules=["chi-lang-2024"])).json()
    assert same["provenance"]["backend"] == "reference"
    assert same["verdict"] == r.json()["verdict"]


def test_evaluate_as_text_and_html(http: httpx.Client) -> None:
    r = http.post("/v1/evaluate", json=_case(lang="en"), headers={"Accept": "text/plain"})
    assert r.status_code == 200
    assert r.headers["content-language"] == "en"
    assert "==> ELIGIBLE" in r.text
    r = http.post("/v1/evaluate", json=_case(), headers={"Accept": "text/html"})
    assert r.headers["content-type"].startswith("text/html")
    assert "Đủ điều kiện" in r.text


@pytest.mark.parametrize(
    ("change", "status", "code", "field"),
    [
        ({"as_of": "31/02/2024"}, 422, "invalid_date", "as_of"),
        ({"as_of": "2020-01-01"}, 422, "no_regime", "as_of"),
        ({"cadre": {**base_cadre(), "gender": "x"}}, 422, "invalid_enum", "cadre.gender"),
        ({"cadre": {**base_cadre(), "date_of_birth": None}}, 422, None, "cadre.date_of_birth"),
        ({"move": {"kind": "luan_chuyen"}}, 422, "missing_field", "move.target"),
        ({"lang": "fr"}, 422, "invalid_value", "lang"),
        ({"backend": "quantum"}, 422, "invalid_value", "backend"),
        ({"surprise": 1}, 422, "invalid_input", "surprise"),
        ({"rules": ["no-such-pack"]}, 422, "no_pack", "rules"),
    ],
)
def test_evaluate_bad_input_is_a_coded_error(
    http: httpx.Client, change: dict[str, Any], status: int, code: str | None, field: str
) -> None:
    r = http.post("/v1/evaluate", json=_case(**change))
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) >= ERROR_KEYS
    if code is not None:
        assert body["code"] == code
    assert body["field"] == field
    assert "Input should" not in body["message_vi"]


def test_evaluate_wrong_type_has_a_vietnamese_message(http: httpx.Client) -> None:
    cadre = {**base_cadre(), "consecutive_terms_as_head": "hai"}
    r = http.post("/v1/evaluate", json=_case(cadre=cadre))
    _assert_error(r, 422, "invalid_value", "cadre.consecutive_terms_as_head")
    assert "cần một số nguyên" in r.json()["message_vi"]


def test_malformed_json_is_400(http: httpx.Client) -> None:
    r = http.post(
        "/v1/evaluate", content=b'{"cadre": ', headers={"content-type": "application/json"}
    )
    _assert_error(r, 400, "invalid_input")


def test_unknown_route_and_wrong_method(http: httpx.Client) -> None:
    _assert_error(http.get("/v1/nothing-here"), 404, "not_found")
    _assert_error(http.get("/v1/evaluate"), 405, "method_not_allowed")


# --------------------------------------------------------------------------- evaluate many


def test_evaluate_many_json_array_keeps_order_and_every_row(http: httpx.Client) -> None:
    rows = [
        {"id": "a", "cadre": base_cadre(), "move": base_move(), "as_of": AS_OF},
        {"id": "b", "cadre": _old_cadre(), "move": base_move()},
        {"id": "c", "cadre": {**base_cadre(), "gender": "?"}, "move": base_move()},
        7,
    ]
    r = http.post("/v1/evaluate-many", params={"as_of": AS_OF}, json=rows)
    assert r.status_code == 200, r.text
    out = r.json()
    assert [o["row"] for o in out] == [1, 2, 3, 4]
    assert [o["id"] for o in out] == ["a", "b", "c", None]
    assert [o["status"] for o in out] == ["ok", "ok", "error", "error"]
    assert out[0]["decision"]["verdict"] == "eligible"
    assert out[1]["decision"]["verdict"] == "not_eligible"
    assert out[2]["error"]["field"] == "cadre.gender"
    assert out[3]["error"]["code"] == "invalid_input"
    single = http.post("/v1/evaluate", json=_case(cadre=_old_cadre())).json()
    assert out[1]["decision"] == single


def test_evaluate_many_json_lines_in_and_out(http: httpx.Client) -> None:
    lines = [
        json.dumps({"cadre": base_cadre(), "move": base_move(), "as_of": "01/06/2024"}),
        "{not json",
        "",
        json.dumps({"cadre": base_cadre(), "move": base_move()}),
    ]
    r = http.post(
        "/v1/evaluate-many",
        content="\n".join(lines).encode(),
        headers={"content-type": "application/x-ndjson"},
    )
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/x-ndjson")
    out = [json.loads(line) for line in r.text.splitlines()]
    assert [o["status"] for o in out] == ["ok", "error", "error"]
    assert out[1]["error"]["field"] == "line 2"
    assert out[2]["error"]["code"] == "missing_field"  # no as_of anywhere
    # Accept asks for a JSON array instead.
    r = http.post(
        "/v1/evaluate-many",
        content=lines[0].encode(),
        headers={"content-type": "application/x-ndjson", "accept": "application/json"},
    )
    assert isinstance(r.json(), list)


def test_evaluate_many_streams(server: Served) -> None:
    rows = [_case() for _ in range(5)]
    with (
        httpx.Client(base_url=server.url, timeout=60) as client,
        client.stream(
            "POST", "/v1/evaluate-many", json=rows, headers={"accept": "application/x-ndjson"}
        ) as r,
    ):
        assert r.headers.get("transfer-encoding") == "chunked"
        got = [json.loads(line) for line in r.iter_lines() if line]
    assert [g["row"] for g in got] == [1, 2, 3, 4, 5]


def test_evaluate_many_row_limit(http: httpx.Client) -> None:
    r = http.post("/v1/evaluate-many", json=[_case() for _ in range(6)])
    _assert_error(r, 413, "too_many_rows", "body")


def test_evaluate_many_body_not_an_array(http: httpx.Client) -> None:
    _assert_error(http.post("/v1/evaluate-many", json={"cadre": {}}), 400, "invalid_input")


def test_body_size_limit_declared_and_streamed(http: httpx.Client) -> None:
    big = json.dumps([_case(pad="x" * 300_000)]).encode()
    # Declared too large: the headers alone get the 413 (a client still sending the body may
    # instead see the connection closed under it, so the body is not sent here).
    url = http.base_url
    with socket.create_connection((url.host, url.port), timeout=30) as sock:
        head = (
            f"POST /v1/evaluate-many HTTP/1.1\r\nHost: {url.host}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(big)}\r\n"
        )
        auth = http.headers.get("authorization")
        head += (f"Authorization: {auth}\r\n" if auth else "") + "\r\n"
        sock.sendall(head.encode())
        answer = b""
        while b"payload_too_large" not in answer and len(answer) < 65_536:
            got = sock.recv(4096)
            if not got:
                break
            answer += got
    assert answer.startswith(b"HTTP/1.1 413") and b"payload_too_large" in answer, answer[:300]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while read
        for i in range(0, len(big), 16_384):
            yield big[i : i + 16_384]

    try:
        r = http.post(
            "/v1/evaluate", content=chunks(), headers={"content-type": "application/json"}
        )
    except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError):
        return  # the service answered 413 and closed while the client was still sending
    _assert_error(r, 413, "payload_too_large")


# --------------------------------------------------------------------------- forecast, rules, facts


def test_forecast(http: httpx.Client) -> None:
    cadre = base_cadre(current_post={**base_cadre()["current_post"], "since": "01/01/2024"})
    r = http.post("/v1/forecast", json={"cadre": cadre, "move": base_move(), "as_of": AS_OF})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["as_of"] == AS_OF
    assert body["horizon_months"] == 120
    assert body["decision"]["provenance"]["as_of"] == AS_OF
    from luanchuyen.analysis.forecast import earliest_eligible

    expected = earliest_eligible(cadre, base_move(), as_of=AS_OF)
    assert body["eligible_on"] == (
        expected.eligible_on.isoformat() if expected.eligible_on else None
    )
    assert [x["rule_id"] for x in body["rules"]] == [x.rule_id for x in expected.rules]
    _assert_error(
        http.post("/v1/forecast", json={**_case(), "horizon_months": 0}),
        422,
        "invalid_value",
        "horizon_months",
    )


def test_rules_as_of_a_date(http: httpx.Client) -> None:
    body = http.get("/v1/rules", params={"as_of": AS_OF}).json()
    ids = {r["rule_id"] for r in body["rules"]}
    assert "min_remaining_service_10y" in ids
    assert all(r["valid_from"] is None or len(r["valid_from"]) == 10 for r in body["rules"])
    overlay = http.get("/v1/rules", params={"as_of": AS_OF, "rules": "chi-lang-2024"}).json()
    assert overlay["packs"] == ["nha-nuoc", "qd65", "chi-lang-2024"]
    assert len(overlay["rules"]) > len(body["rules"])
    _assert_error(http.get("/v1/rules"), 422, "missing_field", "as_of")
    _assert_error(http.get("/v1/rules", params={"as_of": "hôm qua"}), 422, "invalid_date")


def test_one_rule(http: httpx.Client) -> None:
    r = http.get("/v1/rules/min_remaining_service_10y", params={"as_of": "01/06/2024"})
    body = r.json()
    assert body["rule_id"] == "min_remaining_service_10y"
    assert body["on"] == AS_OF
    assert body["in_force"] is True
    assert body["data"]["title"]["vi"]
    _assert_error(
        http.get("/v1/rules/no_such_rule", params={"as_of": AS_OF}), 404, "not_found", "rule_id"
    )


def test_facts(http: httpx.Client) -> None:
    facts = {f["name"]: f for f in http.get("/v1/facts").json()["facts"]}
    assert facts["age_months"]["type"] == "int"
    assert facts["age_months"]["vi"]


@pytest.mark.parametrize("model", ["cadre", "position", "move", "case", "decision"])
def test_schemas(http: httpx.Client, model: str) -> None:
    body = http.get(f"/v1/schema/{model}").json()
    assert body["$id"] == f"urn:luanchuyen:schema:{model}:{SCHEMA_VERSION}"
    jsonschema.Draft202012Validator.check_schema(body)


def test_unknown_schema(http: httpx.Client) -> None:
    _assert_error(http.get("/v1/schema/nothing"), 404, "not_found", "model")


# --------------------------------------------------------------------------- the page over HTTP


def test_page_assets_are_local(http: httpx.Client) -> None:
    page = http.get("/").text
    assert 'lang="vi"' in page
    assert "http://" not in page and "https://" not in page
    assert http.get("/static/page.css").status_code == 200


def _sheet(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(
        ["Mã cán bộ", "Họ và tên", "Giới tính", "Ngày sinh", "Hình thức", "Vị trí đến", "Cấp đến"]
    )
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_upload_a_sheet_returns_the_results_workbook(http: httpx.Client) -> None:
    from openpyxl import load_workbook

    sheet = _sheet(
        [
            ["S1", "Hoàng Văn Sơn", "Nam", "10/10/1963", "Luân chuyển", "Bí thư xã", "Xã"],
            ["S2", "Vũ Thị Thu", "Nữ", "99/99/1990", "Luân chuyển", "Bí thư xã", "Xã"],
        ]
    )
    r = http.post(
        "/tai-len", data={"as_of": "01/06/2024"}, files={"sheet": ("danh-sach.xlsx", sheet)}
    )
    assert r.status_code == 200, r.text[:2000]
    assert "attachment" in r.headers["content-disposition"]
    wb = load_workbook(io.BytesIO(r.content))
    assert "Kết quả" in wb.sheetnames
    values = [str(v) for row in wb["Kết quả"].iter_rows(values_only=True) for v in row]
    assert "S1" in values and "S2" in values  # the bad row is reported, not dropped
    r = http.post("/tai-len", data={"as_of": "01/06/2024"}, files={"sheet": ("x.txt", sheet)})
    assert r.status_code == 400
    assert 'data-code="table_file"' in r.text


def test_upload_row_limit(http: httpx.Client) -> None:
    lines = ["Mã cán bộ,Họ và tên,Giới tính,Ngày sinh,Hình thức,Vị trí đến,Cấp đến"]
    lines += [f"A{i},Người {i},Nam,01/01/1980,Luân chuyển,Bí thư xã,Xã" for i in range(6)]
    r = http.post(
        "/tai-len",
        data={"as_of": "01/06/2024"},
        files={"sheet": ("six.csv", "\n".join(lines).encode())},
    )
    assert r.status_code == 413
    assert 'data-code="too_many_rows"' in r.text


# --------------------------------------------------------------------------- keys


_ROUTES: list[tuple[str, str, Any]] = [
    ("GET", "/v1/health", None),
    ("POST", "/v1/evaluate", _case()),
    ("POST", "/v1/evaluate-many", [_case()]),
    ("POST", "/v1/forecast", _case()),
    ("GET", f"/v1/rules?as_of={AS_OF}", None),
    ("GET", f"/v1/rules/min_remaining_service_10y?as_of={AS_OF}", None),
    ("GET", "/v1/facts", None),
    ("GET", "/v1/schema/decision", None),
]


def test_keys_required_on_every_route(keyed: Served) -> None:
    with httpx.Client(base_url=keyed.url, timeout=60) as client:
        for method, path, body in _ROUTES:
            for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": KEYS[0]}):
                r = client.request(method, path, json=body, headers=headers)
                _assert_error(r, 401, "unauthorized", "Authorization")
                assert r.headers["www-authenticate"] == "Bearer"
            for key in (*KEYS, FILE_KEY):
                r = client.request(
                    method, path, json=body, headers={"Authorization": f"Bearer {key}"}
                )
                assert r.status_code == 200, (path, r.text[:300])
        assert client.get("/v1/health", headers={"Authorization": f"bearer {KEYS[1]}"}).json()[
            "auth"
        ]


def test_keys_on_the_page(keyed: Served) -> None:
    form = {
        "as_of": "01/06/2024",
        "cadre.id": "P1",
        "cadre.name": "Phạm Thị Hoa",
        "cadre.gender": "nu",
        "cadre.date_of_birth": "01/01/1985",
        "move.kind": "luan_chuyen",
        "move.target.title": "Bí thư xã",
        "move.target.level": "xa",
    }
    with httpx.Client(base_url=keyed.url, timeout=60) as client:
        page = client.get("/")
        assert page.status_code == 200 and 'name="api_key"' in page.text
        r = client.post("/kiem-tra", data=form)
        assert r.status_code == 401 and 'data-code="unauthorized"' in r.text
        r = client.post("/kiem-tra", data={**form, "api_key": FILE_KEY})
        assert r.status_code == 200 and 'id="ket-qua"' in r.text


# --------------------------------------------------------------------------- time limit, logs


def test_time_limit() -> None:
    with (
        running_server(["--time-limit", "0.5"]) as s,
        httpx.Client(base_url=s.url, timeout=60) as c,
    ):
        r = c.post("/v1/forecast", json={**_case(), "horizon_months": 240})
        _assert_error(r, 503, "time_limit")
        # A streamed batch past its deadline reports the remaining rows, never drops them.
        rows = [_case() for _ in range(400)]
        out = c.post("/v1/evaluate-many", json=rows).json()
        assert len(out) == 400
        assert out[-1]["status"] == "error" and out[-1]["error"]["code"] == "time_limit"


def test_no_record_in_the_server_log(server: Served, http: httpx.Client) -> None:
    http.post("/v1/evaluate", json=_case(cadre=_old_cadre()))
    http.post("/v1/evaluate", json=_case(cadre={**_old_cadre(), "gender": "x"}))
    log = server.log()
    assert "Trần Văn Cao" not in log
    assert "OLD1" not in log
    assert "Traceback" not in log


def test_two_worker_processes_keep_keys_and_limits(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    key_file = tmp_path_factory.mktemp("keys2") / "keys.txt"
    key_file.write_text(FILE_KEY + "\n", encoding="utf-8")
    args = ["--workers", "2", "--api-keys-file", str(key_file), "--max-rows", "2"]
    with running_server(args) as s, httpx.Client(base_url=s.url, timeout=60) as c:
        auth = {"Authorization": f"Bearer {FILE_KEY}"}
        for _ in range(4):  # whichever process answers
            _assert_error(c.get("/v1/health"), 401, "unauthorized")
            health = c.get("/v1/health", headers=auth).json()
            assert health["auth"] is True and health["limits"]["max_rows"] == 2
        r = c.post("/v1/evaluate-many", json=[_case()] * 3, headers=auth)
        _assert_error(r, 413, "too_many_rows")


def test_answers_are_not_held_by_nagle() -> None:
    """The listening socket is TCP by protocol, so asyncio sets TCP_NODELAY on each connection.

    Without it an answer written in two parts (headers, then body) waited ~40 ms for the
    client's delayed ACK: the service gave 20 evaluations/s to one client.
    """
    import asyncio
    import socket

    from luanchuyen.server import listening_socket

    async def accepted_nodelay() -> int:
        listener = listening_socket("127.0.0.1", 0)
        found: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        def protocol() -> asyncio.Protocol:
            class P(asyncio.Protocol):
                def connection_made(self, transport: asyncio.BaseTransport) -> None:
                    sock = transport.get_extra_info("socket")
                    found.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                    transport.close()

            return P()

        server = await asyncio.get_running_loop().create_server(protocol, sock=listener)
        try:
            port = listener.getsockname()[1]
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            value = await asyncio.wait_for(found, 10)
            writer.close()
            return value
        finally:
            server.close()

    assert asyncio.run(accepted_nodelay()) != 0

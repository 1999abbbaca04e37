"""The officers' page driven by Debian's headless chromium (Playwright, never a downloaded browser)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from server_process import Served, running_server

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    with running_server() as s:
        yield s


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if not CHROMIUM.is_file():
        pytest.fail(
            "Debian's chromium is missing: `make test` installs it (apt-get install -y chromium)"
        )
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")  # a fresh --user-data-dir
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=FLAGS,
            accept_downloads=True,
        )
        try:
            yield context
        finally:
            context.close()


def _fill(page: Any, values: dict[str, str], selects: dict[str, str]) -> None:
    for name, value in values.items():
        page.fill(f'[name="{name}"]', value)
    for name, value in selects.items():
        page.select_option(f'select[name="{name}"]', value)


def _check(page: Any, url: str, values: dict[str, str], selects: dict[str, str]) -> None:
    page.goto(url + "/")
    _fill(page, values, selects)
    with page.expect_navigation():
        page.click("#submit-check")


def test_check_one_cadre_in_the_browser(served: Served, browser: Any) -> None:
    page = browser.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda req: outside.append(req.url) if not req.url.startswith(served.url) else None,
    )
    _check(
        page,
        served.url,
        {
            "as_of": "01/06/2024",
            "cadre.id": "TD-01",
            "cadre.name": "Lý Văn Tùng",
            "cadre.date_of_birth": "10/10/1963",
            "move.target.title": "Bí thư Đảng ủy xã",
        },
        {"cadre.gender": "nam", "move.kind": "luan_chuyen", "move.target.level": "xa"},
    )
    assert page.get_attribute("#ket-qua", "data-verdict") == "not_eligible"
    assert page.inner_text("#ket-luan") == "Không đủ điều kiện"
    assert "Lý Văn Tùng" in page.inner_text("#ket-qua")
    # The values typed are kept in the form for the next try.
    assert page.input_value('[name="cadre.name"]') == "Lý Văn Tùng"
    assert outside == []  # every asset is served by the service itself


def test_bad_date_is_named_in_vietnamese(served: Served, browser: Any) -> None:
    page = browser.new_page()
    _check(
        page,
        served.url,
        {
            "as_of": "01/06/2024",
            "cadre.id": "TD-02",
            "cadre.name": "Đỗ Thị Mai",
            "cadre.date_of_birth": "31/02/1980",
            "move.target.title": "Phó Chủ tịch UBND xã",
        },
        {"cadre.gender": "nu", "move.kind": "dieu_dong", "move.target.level": "xa"},
    )
    error = page.inner_text("#loi")
    assert page.get_attribute("#loi", "data-code") == "invalid_date"
    assert "Ngày sinh" in error
    assert page.locator("#ket-qua").count() == 0


def test_upload_a_sheet_in_the_browser(served: Served, browser: Any, tmp_path: Path) -> None:
    from openpyxl import Workbook, load_workbook

    sheet = tmp_path / "danh-sach.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(
        ["Mã cán bộ", "Họ và tên", "Giới tính", "Ngày sinh", "Hình thức", "Vị trí đến", "Cấp đến"]
    )
    ws.append(["U1", "Cao Văn Bình", "Nam", "10/10/1963", "Luân chuyển", "Bí thư xã", "Xã"])
    wb.save(sheet)
    page = browser.new_page()
    page.goto(served.url + "/")
    page.fill("#b_as_of", "01/06/2024")
    page.set_input_files("#sheet", str(sheet))
    with page.expect_download() as info:
        page.click("#submit-batch")
    out = tmp_path / "ket-qua.xlsx"
    info.value.save_as(out)
    result = load_workbook(out)
    assert "Kết quả" in result.sheetnames
    cells = [str(v) for row in result["Kết quả"].iter_rows(values_only=True) for v in row]
    assert "U1" in cells

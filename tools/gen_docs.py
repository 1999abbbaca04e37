"""Regenerate docs/facts.md and docs/errors.md from the code (a test checks they are current)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from luanchuyen.errors import ERROR_CODES  # noqa: E402
from luanchuyen.facts.registry import FACTS  # noqa: E402


def facts_md() -> str:
    """The table of derived facts."""
    lines = [
        "# Dữ kiện suy ra / Derived facts",
        "",
        "Quy tắc chỉ được so sánh các dữ kiện dưới đây (tạo tự động từ `luanchuyen.facts.registry`;",
        "chạy `python tools/gen_docs.py` sau khi thêm dữ kiện). A rule may only test these facts;",
        "a fact that cannot be derived from the input is absent, and conditions on it are *unknown*.",
        "",
        "| dữ kiện / fact | kiểu / type | đơn vị / unit | ý nghĩa | meaning | giá trị / values |",
        "|---|---|---|---|---|---|",
    ]
    for spec in sorted(FACTS.values(), key=lambda s: (s.topic, s.name)):
        values = ", ".join(spec.values) if spec.values else ""
        lines.append(
            f"| `{spec.name}` | {spec.type} | {spec.unit or ''} | {spec.vi} | {spec.en} | {values} |"
        )
    return "\n".join(lines) + "\n"


def errors_md() -> str:
    """The table of stable error codes."""
    lines = [
        "# Mã lỗi / Error codes",
        "",
        "Mỗi lỗi có mã ổn định, trường liên quan và thông điệp tiếng Việt, tiếng Anh",
        "(`LuanChuyenError.code`, `.field`, `.message_vi`, `.message_en`). Codes never change meaning.",
        "",
        "| mã / code | ý nghĩa | meaning |",
        "|---|---|---|",
    ]
    lines += [f"| `{code}` | {vi} | {en} |" for code, (vi, en) in ERROR_CODES.items()]
    return "\n".join(lines) + "\n"


OUTPUTS = {"docs/facts.md": facts_md, "docs/errors.md": errors_md}

if __name__ == "__main__":
    for rel, make in OUTPUTS.items():
        (ROOT / rel).write_text(make(), encoding="utf-8")
        print(f"wrote {rel}")

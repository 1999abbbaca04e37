"""``luanchuyen rules lint``: check rule packs the way a careful reviewer would.

Every finding is a :class:`Diagnostic` with a stable code (``LC…``, listed in
:data:`LINT_CODES` and documented in ``docs/rules-guide.md``), a severity, the file (and
line) and the rule or parameter concerned, and a message in Vietnamese and English.
Errors make the command exit with a non-zero status; warnings and notes do not.

The checks, in order:

1. files and schema (``LC001``–``LC004``, ``LC010``, ``LC020``, ``LC021``, ``LC030``): each
   file is read with the safe loader and each rule validated on its own, so that every
   problem is reported, not just the first;
2. texts and placeholders (``LC030``, ``LC031``);
3. dated parameters (``LC040``–``LC044``);
4. every date on which something changes (``LC050``–``LC052``): each rule is compiled with
   the parameter values of that date;
5. ids across packs and overrides (``LC011``–``LC013``);
6. the YAML test cases (``LC060``–``LC072``): they are run on the reference backend; every
   rule needs a case where it passes and one where it fails, unless that outcome is
   unreachable.
"""

from __future__ import annotations

import difflib
import itertools
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from pydantic import ValidationError

from luanchuyen.authoring.inspect import display_path, national_packs_for
from luanchuyen.errors import RuleFileError
from luanchuyen.facts.registry import FACTS
from luanchuyen.models.enums import fold
from luanchuyen.ruleset.compile import compile_rule
from luanchuyen.ruleset.conditions import parse_condition
from luanchuyen.ruleset.loader import (
    LoadedRule,
    Pack,
    PackSource,
    RawRule,
    build_pack,
    default_rules_dir,
    discover_packs,
    read_pack_source,
)
from luanchuyen.ruleset.schema import PackMeta, Parameter, RuleSpec
from luanchuyen.ruleset.timeline import (
    params_on,
    rule_check_dates,
    rule_in_force_in,
    rule_params,
    stack_for,
    windows_overlap,
)

if TYPE_CHECKING:
    from luanchuyen.authoring.coverage import CoverageReport

__all__ = [
    "CONTEXT_KEYS",
    "LINT_CODES",
    "Diagnostic",
    "LintCode",
    "LintReport",
    "Severity",
    "format_diagnostic",
    "format_report",
    "lint",
]

Severity = Literal["error", "warning", "info"]

from luanchuyen.facts.registry import CONTEXT_KEYS  # noqa: E402  (re-exported)


@dataclass(frozen=True, slots=True)
class LintCode:
    """A lint code: default severity and what it means."""

    severity: Severity
    vi: str
    en: str


#: Every lint code. Codes never change meaning; new ones may be added.
LINT_CODES: Final[dict[str, LintCode]] = {
    "LC001": LintCode("error", "Tệp không đọc được (YAML sai, thẻ không an toàn, thiếu pack.yaml)", "File cannot be read (bad YAML, unsafe tag, no pack.yaml)"),
    "LC002": LintCode("error", "Sai cấu trúc (trường thiếu, thừa hoặc sai kiểu)", "Schema error (missing, unexpected or mistyped field)"),
    "LC003": LintCode("error", "Điều kiện dùng dữ kiện thư viện không tính", "Condition on a fact the library does not derive"),
    "LC004": LintCode("error", "Điều kiện sai (toán tử, giá trị, cấu trúc)", "Invalid condition (operator, value, structure)"),
    "LC010": LintCode("error", "Trùng mã quy tắc trong một bộ quy tắc", "Duplicate rule id within a pack"),
    "LC011": LintCode("error", "Trùng mã quy tắc giữa các bộ cùng hiệu lực", "Duplicate rule id across packs in force together"),
    "LC012": LintCode("error", "Bộ địa phương định nghĩa lại quy tắc quốc gia mà không khai báo thay thế", "Overlay redefines a national rule without declaring the override"),
    "LC013": LintCode("warning", "Khai báo thay thế một quy tắc không tồn tại", "Override of a rule that does not exist"),
    "LC020": LintCode("error", "Thiếu trích dẫn văn bản", "Missing citation"),
    "LC021": LintCode("error", "Thiếu hoặc sai nhãn nguồn (V, V-2, R, I)", "Missing or invalid source tag (V, V-2, R, I)"),
    "LC030": LintCode("error", "Thiếu nội dung tiếng Việt hoặc tiếng Anh", "Text missing in Vietnamese or English"),
    "LC031": LintCode("error", "Chỗ điền ({...}) không hợp lệ hoặc không tồn tại", "Unknown or invalid placeholder ({...})"),
    "LC040": LintCode("error", "Các mốc giá trị của tham số chồng lấn", "Dated parameter values overlap"),
    "LC041": LintCode("error", "Các mốc giá trị của tham số không theo thứ tự thời gian", "Dated parameter values out of order"),
    "LC042": LintCode("error", "Mốc giá trị kết thúc trước khi bắt đầu", "A parameter value ends before it starts"),
    "LC043": LintCode("warning", "Khoảng trống giữa các mốc giá trị của tham số", "Gap between dated parameter values"),
    "LC044": LintCode("info", "Bộ địa phương thay giá trị một tham số quốc gia", "Overlay redefines a national parameter"),
    "LC050": LintCode("error", "Tham số chưa có giá trị vào ngày quy tắc có hiệu lực", "Parameter undefined on a date the rule is in force"),
    "LC051": LintCode("error", "Giá trị tham số không hợp với dữ kiện so sánh", "Parameter value does not fit the fact it is compared with"),
    "LC052": LintCode("warning", "Quy tắc không bao giờ có hiệu lực", "Rule is never in force"),
    "LC060": LintCode("error", "Không có hồ sơ kiểm thử nào quy tắc đạt", "No test case in which the rule passes"),
    "LC061": LintCode("error", "Không có hồ sơ kiểm thử nào quy tắc không đạt", "No test case in which the rule fails"),
    "LC062": LintCode("warning", "Quy tắc không bao giờ 'không đạt'", "The rule can never fail"),
    "LC063": LintCode("warning", "Quy tắc không bao giờ 'đạt'", "The rule can never pass"),
    "LC069": LintCode("info", "Chưa kiểm tra độ phủ vì còn lỗi", "Coverage not checked because of errors"),
    "LC070": LintCode("error", "Hồ sơ kiểm thử không đọc hoặc không chạy được", "Test case cannot be loaded or run"),
    "LC071": LintCode("error", "Kết quả hồ sơ kiểm thử khác mong đợi", "Test case result differs from its expectation"),
    "LC072": LintCode("warning", "Bộ quy tắc chưa có hồ sơ kiểm thử", "Pack has no test cases"),
}  # fmt: skip

_SEVERITY_VI: Final[dict[str, str]] = {"error": "lỗi", "warning": "cảnh báo", "info": "ghi chú"}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_VALID_PLACEHOLDER = re.compile(r"[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)?")
_TEXT_FIELDS = ("vi", "en")
_RULE_LINE = re.compile(r"^\s*(?:-\s*)?id:\s*[\"']?([^\s\"'#]+)[\"']?\s*(?:#.*)?$")
_PARAM_LINE = re.compile(r"^\s+([^\s:#]+):\s*(?:#.*)?$")


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One lint finding."""

    code: str
    severity: Severity
    file: str
    subject: str | None
    message_vi: str
    message_en: str
    line: int | None = None

    @property
    def location(self) -> str:
        """``file:line`` (or just the file)."""
        return f"{self.file}:{self.line}" if self.line else self.file

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


@dataclass(slots=True)
class LintReport:
    """All findings for a path, plus the coverage measured (when it was)."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    packs: list[str] = field(default_factory=list)
    coverage: CoverageReport | None = None

    def count(self, severity: Severity) -> int:
        """How many findings have ``severity``."""
        return sum(1 for d in self.diagnostics if d.severity == severity)

    @property
    def ok(self) -> bool:
        """Whether there is no error."""
        return self.count("error") == 0

    def codes(self) -> set[str]:
        """The codes found."""
        return {d.code for d in self.diagnostics}


# --------------------------------------------------------------------------- helpers


_rel = display_path


def _vn(day: date) -> str:
    return day.strftime("%d/%m/%Y")


class _Sink:
    """Collects diagnostics, finding line numbers in the files they name."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []
        self._lines: dict[str, list[str]] = {}
        self._index: dict[tuple[str, str], dict[str, int]] = {}

    def _text(self, file: str) -> list[str]:
        if file not in self._lines:
            try:
                self._lines[file] = Path(file).read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                self._lines[file] = []
        return self._lines[file]

    def _keyed(self, file: str, kind: str) -> dict[str, int]:
        """First line of each rule id (or parameter name) of a file, indexed once per file:
        a pack with many findings costs one scan of each file, not one per finding."""
        key = (file, kind)
        found = self._index.get(key)
        if found is None:
            pattern = _RULE_LINE if kind == "rule" else _PARAM_LINE
            found = {}
            for i, line in enumerate(self._text(file), start=1):
                m = pattern.match(line)
                if m is not None:
                    found.setdefault(m.group(1), i)
            self._index[key] = found
        return found

    def line_of(self, file: str, subject: str | None, *, kind: str = "rule") -> int | None:
        if not subject:
            return None
        if kind in ("rule", "param"):
            return self._keyed(file, kind).get(subject)
        pattern = re.compile(rf"^\s*(?:-\s*)?name:\s*[\"']?{re.escape(subject)}")
        for i, line in enumerate(self._text(file), start=1):
            if pattern.match(line):
                return i
        return None

    def add(
        self,
        code: str,
        file: str | os.PathLike[str],
        subject: str | None,
        vi: str,
        en: str,
        *,
        kind: str = "rule",
        severity: Severity | None = None,
        line: int | None = None,
    ) -> None:
        name = str(file)
        self.items.append(
            Diagnostic(
                code=code,
                severity=severity or LINT_CODES[code].severity,
                file=_rel(name),
                subject=subject,
                message_vi=vi,
                message_en=en,
                line=line if line is not None else self.line_of(name, subject, kind=kind),
            )
        )


def _loc_text(loc: Sequence[Any]) -> str:
    return ".".join(str(x) for x in loc) or "(gốc / root)"


def _schema_code(loc: tuple[str, ...], etype: str) -> str:
    """Map a pydantic error location to a lint code."""
    if "citation" in loc or (loc and loc[0] == "source"):
        return "LC021" if loc[-1] == "tag" else "LC020"
    if loc and loc[-1] in _TEXT_FIELDS:
        return "LC030"
    text_fields = {"title", "messages", "pass", "fail", "description"}
    if etype == "missing" and loc and loc[-1] in text_fields:
        return "LC030"
    return "LC002"


def _schema_message(code: str, loc: str, msg: str) -> tuple[str, str]:
    if code == "LC020":
        return (
            f"thiếu trích dẫn văn bản (trường '{loc}': {msg}); mỗi quy tắc, tham số và bộ quy tắc "
            "phải ghi văn bản, điều, khoản và nhãn nguồn",
            f"missing citation (field '{loc}': {msg}); every rule, parameter and pack must cite "
            "its document, article, clause and source tag",
        )
    if code == "LC021":
        return (
            f"thiếu hoặc sai nhãn nguồn (trường '{loc}': {msg}); dùng V, V-2, R hoặc I",
            f"missing or invalid source tag (field '{loc}': {msg}); use V, V-2, R or I",
        )
    if code == "LC030":
        return (
            f"thiếu nội dung (trường '{loc}': {msg}); cần cả tiếng Việt (vi) và tiếng Anh (en)",
            f"missing text (field '{loc}': {msg}); both Vietnamese (vi) and English (en) are needed",
        )
    return (f"sai cấu trúc ở trường '{loc}': {msg}", f"schema error in field '{loc}': {msg}")


def _report_validation(
    sink: _Sink,
    exc: ValidationError,
    file: str,
    subject: str | None,
    *,
    prefix: tuple[str, ...] = (),
    kind: str = "rule",
) -> None:
    for err in exc.errors():
        loc = prefix + tuple(str(x) for x in err["loc"])
        code = _schema_code(loc, err["type"])
        vi, en = _schema_message(code, _loc_text(loc), err["msg"])
        sink.add(code, file, subject, vi, en, kind=kind)


def _raw_facts(data: Any) -> Iterator[str]:
    """Every ``fact`` name in a raw (YAML) condition."""
    if isinstance(data, Mapping):
        fact = data.get("fact")
        if isinstance(fact, str):
            yield fact
        for key in ("all", "any"):
            items = data.get(key)
            if isinstance(items, list):
                for item in items:
                    yield from _raw_facts(item)
        if "not" in data:
            yield from _raw_facts(data["not"])


def _suggest(name: str) -> str:
    close = difflib.get_close_matches(name, list(FACTS), n=3, cutoff=0.6)
    return ", ".join(close)


# --------------------------------------------------------------------------- 1. structure


def _scan_meta(sink: _Sink, src: PackSource) -> bool:
    file = src.meta_file
    if src.problem is not None:
        sink.add(
            "LC001", src.problem.file or file, None, src.problem.message_vi, src.problem.message_en
        )
        return False
    raw = src.meta
    if not isinstance(raw, dict):
        sink.add("LC002", file, None, "pack.yaml phải là ánh xạ", "pack.yaml must be a mapping")
        return False
    ok = True
    params = raw.get("parameters", {})
    try:
        PackMeta.model_validate({**raw, "parameters": {}})
    except ValidationError as exc:
        _report_validation(sink, exc, str(file), None)
        ok = False
    if params is None:
        params = {}
    if not isinstance(params, dict):
        sink.add(
            "LC002", file, None, "'parameters' phải là ánh xạ", "'parameters' must be a mapping"
        )
        return False
    for name, data in params.items():
        try:
            Parameter.model_validate(data)
        except ValidationError as exc:
            _report_validation(sink, exc, str(file), str(name), kind="param")
            ok = False
    return ok


def _scan_rule(sink: _Sink, raw: RawRule) -> bool:
    item, file, label = raw.data, raw.file, raw.label
    if not isinstance(item, dict):
        sink.add(
            "LC002",
            file,
            None,
            f"quy tắc {label} phải là ánh xạ",
            f"rule {label} must be a mapping",
        )
        return False
    ok = True
    unknown = False
    exc_data = item.get("exception")
    conditions = [("applies_when", item.get("applies_when")), ("require", item.get("require"))]
    if isinstance(exc_data, dict):
        conditions.append(("exception.when", exc_data.get("when")))
    for where, data in conditions:
        for fact in _raw_facts(data):
            if fact not in FACTS:
                unknown = True
                hint = _suggest(fact)
                sink.add(
                    "LC003",
                    file,
                    label,
                    f"'{where}' dùng dữ kiện '{fact}' mà thư viện không tính"
                    + (f"; có phải: {hint}?" if hint else "")
                    + " (danh sách dữ kiện: docs/facts.md)",
                    f"'{where}' uses fact '{fact}', which the library does not derive"
                    + (f"; did you mean: {hint}?" if hint else "")
                    + " (fact list: docs/facts.md)",
                )
    try:
        spec = RuleSpec.model_validate(item)
    except ValidationError as exc:
        _report_validation(sink, exc, str(file), label)
        return False
    if unknown:
        return False
    conds: list[tuple[str, Any]] = [("require", spec.require)]
    if spec.applies_when is not None:
        conds.append(("applies_when", spec.applies_when))
    if spec.exception is not None:
        conds.append(("exception.when", spec.exception.when))
    for where, data in conds:
        try:
            parse_condition(data, where=where)
        except RuleFileError as exc:
            code = "LC003" if exc.code == "unknown_fact" else "LC004"
            sink.add(code, file, label, exc.message_vi, exc.message_en)
            ok = False
    return ok


def _scan_pack(sink: _Sink, src: PackSource) -> bool:
    """Structural checks of one pack as read; ``True`` when it can be built."""
    ok = _scan_meta(sink, src)
    seen: dict[str, Path] = {}
    for rf in src.files:
        if rf.problem is not None:
            code = "LC002" if rf.problem.code == "rule_schema" else "LC001"
            sink.add(code, rf.path, None, rf.problem.message_vi, rf.problem.message_en)
            ok = False
            continue
        for raw in rf.rules:
            ok = _scan_rule(sink, raw) and ok
            rid = raw.data.get("id") if isinstance(raw.data, dict) else None
            if isinstance(rid, str):
                if rid in seen:
                    first = _rel(seen[rid])
                    sink.add(
                        "LC010",
                        rf.path,
                        rid,
                        f"mã quy tắc '{rid}' đã dùng trong {first}; mỗi mã chỉ dùng một lần",
                        f"rule id '{rid}' is already used in {first}; each id is used once",
                    )
                    ok = False
                else:
                    seen[rid] = rf.path
    return ok


# --------------------------------------------------------------------------- 2. texts


def _texts(rule: LoadedRule) -> Iterator[tuple[str, str, str, bool]]:
    """(where, lang, text, filled) for every text of a rule; ``filled`` = placeholders work."""
    s = rule.spec
    for lang in _TEXT_FIELDS:
        yield "title", lang, getattr(s.title, lang), False
    msgs = s.messages
    for name, text in (
        ("pass", msgs.pass_),
        ("fail", msgs.fail),
        ("unknown", msgs.unknown),
        ("not_applicable", msgs.not_applicable),
    ):
        if text is not None:
            for lang in _TEXT_FIELDS:
                yield f"messages.{name}", lang, getattr(text, lang), True
    if s.exception is not None and s.exception.note is not None:
        for lang in _TEXT_FIELDS:
            yield "exception.note", lang, getattr(s.exception.note, lang), False
    if s.authority is not None:
        for lang in _TEXT_FIELDS:
            yield "authority", lang, getattr(s.authority, lang), False


def _check_texts(sink: _Sink, pack: Pack, param_names: set[str]) -> None:
    for rule in pack.rules:
        for where, lang, text, filled in _texts(rule):
            if not text.strip():
                sink.add(
                    "LC030",
                    rule.file,
                    rule.id,
                    f"'{where}.{lang}' để trống",
                    f"'{where}.{lang}' is blank",
                )
                continue
            for m in _PLACEHOLDER.finditer(text):
                problem = _placeholder_problem(m.group(1), filled, param_names)
                if problem is not None:
                    sink.add(
                        "LC031",
                        rule.file,
                        rule.id,
                        f"'{where}.{lang}': chỗ điền {m.group(0)} {problem[0]}",
                        f"'{where}.{lang}': placeholder {m.group(0)} {problem[1]}",
                    )
        cit = rule.spec.citation
        if not cit.document.strip():
            sink.add("LC020", rule.file, rule.id, "trích dẫn để trống", "the citation is blank")


def _placeholder_problem(key: str, filled: bool, params: set[str]) -> tuple[str, str] | None:
    if not filled:
        return (
            "không được điền ở đây (chỉ điền trong messages)",
            "is not filled here (only messages are filled)",
        )
    if not _VALID_PLACEHOLDER.fullmatch(key):
        return (
            "sai dạng; dùng {dữ_kiện}, {param.tên} hoặc {ctx.tên}",
            "is malformed; use {fact}, {param.name} or {ctx.name}",
        )
    if key.startswith("param."):
        name = key[6:]
        if name not in params:
            return (
                f"gọi tham số '{name}' chưa được định nghĩa",
                f"names undefined parameter '{name}'",
            )
        return None
    if key.startswith("ctx."):
        name = key[4:]
        if name not in CONTEXT_KEYS:
            allowed = ", ".join(sorted(CONTEXT_KEYS))
            return (
                f"gọi giá trị ngữ cảnh '{name}' không tồn tại; có: {allowed}",
                f"names unknown context value '{name}'; known: {allowed}",
            )
        return None
    if "." in key:
        return (
            "sai dạng; chỉ có tiền tố param. hoặc ctx.",
            "is malformed; the only prefixes are param. and ctx.",
        )
    if key not in FACTS:
        hint = _suggest(key)
        return (
            f"gọi dữ kiện '{key}' không tồn tại" + (f"; có phải: {hint}?" if hint else ""),
            f"names unknown fact '{key}'" + (f"; did you mean: {hint}?" if hint else ""),
        )
    return None


# --------------------------------------------------------------------------- 3. parameters


def _check_parameters(sink: _Sink, pack: Pack, nationals: Sequence[Pack]) -> None:
    meta_file = str(pack.path / "pack.yaml")
    national_params = {n for p in nationals if p.id != pack.id for n in p.parameters}
    for name, param in pack.parameters.items():
        values = param.values
        for v in values:
            if v.to is not None and v.to < v.from_:
                sink.add(
                    "LC042",
                    meta_file,
                    name,
                    f"mốc từ {_vn(v.from_)} kết thúc {_vn(v.to)}, trước khi bắt đầu",
                    f"value from {v.from_} ends on {v.to}, before it starts",
                    kind="param",
                )
            if not v.citation.document.strip():
                sink.add(
                    "LC020",
                    meta_file,
                    name,
                    f"mốc từ {_vn(v.from_)} có trích dẫn để trống",
                    f"value from {v.from_} has a blank citation",
                    kind="param",
                )
        starts = [v.from_ for v in values]
        if starts != sorted(starts):
            sink.add(
                "LC041",
                meta_file,
                name,
                "các mốc phải viết theo thứ tự thời gian tăng dần: "
                + ", ".join(_vn(d) for d in starts),
                "values must be listed from the earliest date: "
                + ", ".join(str(d) for d in starts),
                kind="param",
            )
        ordered = sorted(values, key=lambda v: v.from_)
        for a, b in itertools.pairwise(ordered):
            if a.to is None or a.to >= b.from_:
                end_vi = _vn(a.to) if a.to else "không thời hạn"
                end_en = str(a.to) if a.to else "open-ended"
                sink.add(
                    "LC040",
                    meta_file,
                    name,
                    f"mốc từ {_vn(a.from_)} (đến {end_vi}) chồng lên mốc từ {_vn(b.from_)}; "
                    f"ghi 'to: {b.from_ - timedelta(days=1)}' cho mốc trước",
                    f"value from {a.from_} (to {end_en}) overlaps the value from {b.from_}; "
                    f"give the earlier one 'to: {b.from_ - timedelta(days=1)}'",
                    kind="param",
                )
            elif a.to + timedelta(days=1) < b.from_:
                sink.add(
                    "LC043",
                    meta_file,
                    name,
                    f"không có giá trị từ {_vn(a.to + timedelta(days=1))} đến "
                    f"{_vn(b.from_ - timedelta(days=1))}",
                    f"no value from {a.to + timedelta(days=1)} to {b.from_ - timedelta(days=1)}",
                    kind="param",
                )
        if pack.meta.kind == "overlay" and name in national_params:
            sink.add(
                "LC044",
                meta_file,
                name,
                f"bộ '{pack.id}' thay giá trị tham số quốc gia '{name}' khi được chọn",
                f"pack '{pack.id}' replaces the national parameter '{name}' when chosen",
                kind="param",
            )


# --------------------------------------------------------------------------- 4. dates


def _intervals(
    days: list[date], bad: set[date], end: date | None
) -> list[tuple[date, date | None]]:
    """Group the ``bad`` boundary days into intervals (a bad day lasts until the next day)."""
    out: list[tuple[date, date | None]] = []
    for i, day in enumerate(days):
        if day not in bad:
            continue
        until = days[i + 1] - timedelta(days=1) if i + 1 < len(days) else end
        if out and out[-1][1] is not None and out[-1][1] + timedelta(days=1) == day:
            out[-1] = (out[-1][0], until)
        else:
            out.append((day, until))
    return out


def _check_dates(sink: _Sink, pack: Pack, stack: Sequence[Pack]) -> None:
    """Compile each rule on every day its compiled form may change (LC050–LC052).

    Each rule is checked on its own dates (:func:`rule_check_dates`), so the time grows with
    the number of rules, not with its square.
    """
    missing: dict[tuple[str, str], tuple[list[date], set[date]]] = {}
    mismatched: dict[tuple[str, str], tuple[date, RuleFileError]] = {}
    by_id = {r.id: r for r in pack.rules}
    ever: set[str] = set()
    values_on: dict[date, dict[str, Any]] = {}
    for rule in pack.rules:
        days = rule_check_dates(rule, pack, stack)
        wanted = sorted(rule_params(rule))
        for day in days:
            if not rule_in_force_in(rule, pack, stack, day):
                continue
            ever.add(rule.id)
            values = values_on.get(day)
            if values is None:
                values = {n: v.value for n, (_p, v) in params_on(stack, day).items()}
                values_on[day] = values
            absent = [n for n in wanted if n not in values]
            for name in absent:
                missing.setdefault((rule.id, name), (days, set()))[1].add(day)
            if absent:
                continue
            try:
                compile_rule(rule, values)
            except RuleFileError as exc:
                mismatched.setdefault((rule.id, exc.code), (day, exc))
    for (rid, name), (days, bad) in missing.items():
        rule = by_id[rid]
        ends = [d for d in (pack.meta.valid_to, rule.spec.valid_to) if d is not None]
        spans = _intervals(days, bad, min(ends) if ends else None)
        vi = "; ".join(f"{_vn(a)} – {_vn(b) if b else '…'}" for a, b in spans)
        en = "; ".join(f"{a} – {b or '…'}" for a, b in spans)
        sink.add(
            "LC050",
            rule.file,
            rid,
            f"tham số '{name}' không có giá trị ({vi}) trong khi quy tắc có hiệu lực; "
            "thêm mốc giá trị cho tham số hoặc ghi 'valid_from' cho quy tắc",
            f"parameter '{name}' has no value ({en}) while the rule is in force; add a dated "
            "value to the parameter or give the rule a 'valid_from'",
        )
    for (rid, _code), (day, problem) in mismatched.items():
        rule = by_id[rid]
        sink.add(
            "LC051",
            rule.file,
            rid,
            f"ngày {_vn(day)}: {problem.message_vi}",
            f"on {day}: {problem.message_en}",
        )
    for rule in pack.rules:
        if rule.id in ever:
            continue
        s = rule.spec
        if s.valid_from and s.valid_to and s.valid_to < s.valid_from:
            vi = f"valid_to {_vn(s.valid_to)} trước valid_from {_vn(s.valid_from)}"
            en = f"valid_to {s.valid_to} is before valid_from {s.valid_from}"
        else:
            vi = "khoảng hiệu lực của quy tắc nằm ngoài hiệu lực của bộ quy tắc (hoặc bị thay thế)"
            en = "the rule's validity lies outside the pack's (or it is always overridden)"
        sink.add("LC052", rule.file, rule.id, vi, en)


# --------------------------------------------------------------------------- 5. ids


def _overlap(a: Pack, ra: LoadedRule, b: Pack, rb: LoadedRule) -> bool:
    return windows_overlap(
        (a.meta.valid_from, a.meta.valid_to),
        (b.meta.valid_from, b.meta.valid_to),
        (ra.spec.valid_from, ra.spec.valid_to),
        (rb.spec.valid_from, rb.spec.valid_to),
    )


def _check_ids(sink: _Sink, pack: Pack, nationals: Sequence[Pack], others: Sequence[Pack]) -> None:
    meta_file = str(pack.path / "pack.yaml")
    if pack.meta.kind == "national":
        for other in nationals:
            if other.id == pack.id or other.path.resolve() == pack.path.resolve():
                continue
            theirs = {r.id: r for r in other.rules}
            for rule in pack.rules:
                twin = theirs.get(rule.id)
                if twin is not None and _overlap(pack, rule, other, twin):
                    sink.add(
                        "LC011",
                        rule.file,
                        rule.id,
                        f"mã '{rule.id}' cũng có trong bộ quốc gia '{other.id}' ({_rel(twin.file)}) "
                        "cùng thời gian hiệu lực; đổi mã một trong hai",
                        f"id '{rule.id}' is also in national pack '{other.id}' ({_rel(twin.file)}) "
                        "for overlapping dates; rename one of them",
                    )
        if pack.meta.overrides:
            sink.add(
                "LC013",
                meta_file,
                None,
                "bộ quốc gia không thay thế quy tắc nào; bỏ 'overrides'",
                "a national pack overrides nothing; remove 'overrides'",
            )
        return
    national_rules: dict[str, tuple[Pack, LoadedRule]] = {}
    for p in nationals:
        for r in p.rules:
            national_rules.setdefault(r.id, (p, r))
    listed = set(pack.meta.overrides)
    for rule in pack.rules:
        found = national_rules.get(rule.id)
        if found is not None and _overlap(pack, rule, found[0], found[1]):
            missing: list[tuple[str, str]] = []
            if not rule.spec.overrides:
                missing.append(
                    ("ghi 'overrides: true' cho quy tắc", "set 'overrides: true' on the rule")
                )
            if rule.id not in listed:
                missing.append(
                    (
                        f"thêm '{rule.id}' vào 'overrides' trong pack.yaml",
                        f"list '{rule.id}' under 'overrides' in pack.yaml",
                    )
                )
            if missing:
                sink.add(
                    "LC012",
                    rule.file,
                    rule.id,
                    f"quy tắc định nghĩa lại quy tắc quốc gia '{rule.id}' của bộ '{found[0].id}'; "
                    "để thay thế: "
                    + " và ".join(m[0] for m in missing)
                    + "; nếu không, hãy đổi mã",
                    f"the rule redefines national rule '{rule.id}' of pack '{found[0].id}'; to "
                    "replace it: " + " and ".join(m[1] for m in missing) + "; otherwise rename it",
                )
        elif rule.spec.overrides:
            sink.add(
                "LC013",
                rule.file,
                rule.id,
                f"'overrides: true' nhưng không có quy tắc quốc gia nào mã '{rule.id}'",
                f"'overrides: true' but no national rule has id '{rule.id}'",
            )
    for rid in pack.meta.overrides:
        if rid not in national_rules:
            sink.add(
                "LC013",
                meta_file,
                None,
                f"'overrides' gọi '{rid}' nhưng không bộ quốc gia nào có quy tắc này",
                f"'overrides' names '{rid}' but no national pack has that rule",
            )
    mine = {fold(loc) for loc in pack.meta.localities}
    for other in others:
        if other is pack or other.meta.kind != "overlay" or other.id == pack.id:
            continue
        if not mine & {fold(loc) for loc in other.meta.localities}:
            continue
        theirs = {r.id: r for r in other.rules}
        for rule in pack.rules:
            twin = theirs.get(rule.id)
            if twin is not None and _overlap(pack, rule, other, twin) and pack.id < other.id:
                sink.add(
                    "LC011",
                    rule.file,
                    rule.id,
                    f"mã '{rule.id}' cũng có trong bộ '{other.id}' cùng địa bàn và thời gian; "
                    "đổi mã một trong hai",
                    f"id '{rule.id}' is also in pack '{other.id}' for the same locality and "
                    "dates; rename one of them",
                )


# --------------------------------------------------------------------------- 6. cases


def _check_cases(sink: _Sink, report: CoverageReport, packs: Sequence[Pack]) -> None:
    for prob in report.problems:
        code = "LC070" if prob.code == "case_error" else "LC071"
        if prob.mismatches:
            rows_vi = "; ".join(
                f"{m.key}: mong đợi {m.expected}, thực tế {m.actual}" for m in prob.mismatches
            )
            rows_en = "; ".join(
                f"{m.key}: expected {m.expected}, got {m.actual}" for m in prob.mismatches
            )
            vi, en = f"kết quả khác mong đợi — {rows_vi}", f"result differs — {rows_en}"
        else:
            vi, en = prob.message_vi, prob.message_en
        sink.add(code, prob.file, prob.case, vi, en, kind="case")
    for pack in packs:
        if not any((pack.path / "tests").glob("*.y*ml")):
            sink.add(
                "LC072",
                pack.path / "pack.yaml",
                None,
                f"bộ '{pack.id}' chưa có hồ sơ kiểm thử trong tests/",
                f"pack '{pack.id}' has no test case in tests/",
            )
    for row in report.rules:
        seen = ", ".join(f"{o} ×{len(c)}" for o, c in row.seen.items()) or "—"
        if row.reachable is not None and "fail" not in row.reachable:
            weak = row.effect in ("info", "priority")
            sink.add(
                "LC062",
                row.file,
                row.rule_id,
                "quy tắc không bao giờ 'không đạt' (điều kiện 'require' luôn đúng khi áp dụng)"
                + ("" if weak else "; một điều kiện không thể trượt là đáng ngờ"),
                "the rule can never fail ('require' always holds when it applies)"
                + ("" if weak else "; a constraint that cannot fail is suspect"),
                severity="info" if weak else "warning",
            )
        if row.reachable is not None and "pass" not in row.reachable:
            sink.add(
                "LC063",
                row.file,
                row.rule_id,
                "quy tắc không bao giờ 'đạt'",
                "the rule can never pass",
            )
        for outcome in row.missing:
            code = "LC060" if outcome == "pass" else "LC061"
            word_vi = "đạt (pass)" if outcome == "pass" else "không đạt (fail)"
            sink.add(
                code,
                row.file,
                row.rule_id,
                f"chưa có hồ sơ kiểm thử nào quy tắc {word_vi}; đã có: {seen}. "
                "Thêm một hồ sơ vào tests/*.yaml",
                f"no test case makes the rule {outcome}; seen: {seen}. Add a case to tests/*.yaml",
            )


# --------------------------------------------------------------------------- entry point


def lint(path: str | os.PathLike[str] | None = None, *, cases: bool = True) -> LintReport:
    """Lint the packs under ``path`` (a rules root or one pack directory).

    Args:
        path: default: the bundled rules.
        cases: run the YAML test cases (coverage and expectations); ``False`` skips them.
    """
    base = Path(path) if path is not None else default_rules_dir()
    sink = _Sink()
    report = LintReport(path=_rel(base))
    if not base.exists():
        sink.add("LC001", base, None, "đường dẫn không tồn tại", "path does not exist")
        report.diagnostics = sink.items
        return report
    found = discover_packs(base) if base.is_dir() else {}
    if not found:
        sink.add(
            "LC001",
            base,
            None,
            "không có bộ quy tắc nào (thư mục có pack.yaml)",
            "no rule pack found (a directory with pack.yaml)",
        )
        report.diagnostics = sink.items
        return report
    loaded: list[Pack] = []
    clean = True
    for pdir in found.values():
        src = read_pack_source(pdir)  # each pack is read once, then checked and built
        if not _scan_pack(sink, src):
            clean = False
            continue
        try:
            loaded.append(build_pack(src))
        except RuleFileError as exc:
            sink.add("LC002", exc.file or pdir, exc.rule, exc.message_vi, exc.message_en)
            clean = False
    report.packs = [p.id for p in loaded]
    nationals_of: dict[Path, list[Pack] | RuleFileError] = {}
    for pack in loaded:
        parent = pack.path.resolve().parent
        if parent not in nationals_of:
            try:
                nationals_of[parent] = national_packs_for(pack.path, loaded)
            except RuleFileError as exc:
                nationals_of[parent] = exc
        nationals = nationals_of[parent]
        if isinstance(nationals, RuleFileError):
            bad = nationals
            sink.add("LC001", bad.file or pack.path, bad.rule, bad.message_vi, bad.message_en)
            clean = False
            continue
        stack = stack_for(pack, nationals)
        names = {n for p in stack for n in p.parameters}
        _check_texts(sink, pack, names)
        _check_parameters(sink, pack, nationals)
        _check_dates(sink, pack, stack)
        _check_ids(sink, pack, nationals, loaded)
    if cases:
        if clean:
            # deferred: running the cases loads the evaluator and the engines, which the
            # structural checks (``cases=False``) never need
            from luanchuyen.authoring.coverage import measure_coverage

            report.coverage = measure_coverage(base, packs=loaded)
            _check_cases(sink, report.coverage, loaded)
        else:
            sink.add(
                "LC069",
                base,
                None,
                "chưa chạy hồ sơ kiểm thử và độ phủ vì còn lỗi cấu trúc",
                "test cases and coverage were not run because of structural errors",
            )
    order = {"error": 0, "warning": 1, "info": 2}
    report.diagnostics = sorted(
        sink.items, key=lambda d: (d.file, d.line or 0, order[d.severity], d.code)
    )
    return report


def format_diagnostic(d: Diagnostic) -> str:
    """Two lines: Vietnamese, then English."""
    subject = f" [{d.subject}]" if d.subject else ""
    head = f"{d.location}{subject} {d.code}"
    return f"{head} {_SEVERITY_VI[d.severity]}: {d.message_vi}\n    {d.severity}: {d.message_en}"


def format_report(report: LintReport, *, min_severity: Severity = "info") -> str:
    """The whole report as text, with a bilingual summary line."""
    rank = {"error": 0, "warning": 1, "info": 2}
    lines = [
        format_diagnostic(d) for d in report.diagnostics if rank[d.severity] <= rank[min_severity]
    ]
    cases = report.coverage.cases_run if report.coverage is not None else 0
    e, w, i = report.count("error"), report.count("warning"), report.count("info")
    lines.append(
        f"Tổng kết: {e} lỗi, {w} cảnh báo, {i} ghi chú; {len(report.packs)} bộ quy tắc, "
        f"{cases} hồ sơ kiểm thử. / Summary: {e} errors, {w} warnings, {i} notes; "
        f"{len(report.packs)} packs, {cases} test cases."
    )
    return "\n".join(lines)

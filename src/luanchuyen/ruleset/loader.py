"""Load rule packs safely: YAML with the safe loader only, validated into frozen objects."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from luanchuyen.errors import RuleFileError
from luanchuyen.models.enums import fold
from luanchuyen.ruleset.conditions import Condition, parse_condition
from luanchuyen.ruleset.schema import PackMeta, Parameter, RuleSpec

__all__ = [
    "LoadedRule",
    "Pack",
    "default_rules_dir",
    "discover_packs",
    "load_pack",
    "read_yaml",
]

try:  # the C loader is faster; both are "safe" loaders that never build Python objects
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

MAX_FILE_BYTES = 5 * 1024 * 1024


def read_yaml(path: Path) -> Any:
    """Read a YAML (or JSON) file with the safe loader; raise ``RuleFileError`` on any problem."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise RuleFileError(
                "rule_file",
                f"tệp quá lớn ({size} byte)",
                f"file too large ({size} bytes)",
                file=name,
            )
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(
            "rule_file", f"không đọc được: {exc}", f"cannot read: {exc}", file=name
        ) from None
    _check_depth(text, name)
    try:
        loader = _SafeLoader(text)  # the C or pure-Python *safe* loader: never builds objects
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.constructor.ConstructorError as exc:
        raise RuleFileError(
            "unsafe_yaml",
            f"thẻ YAML không được phép (tệp quy tắc không được chạy mã): {exc.problem}",
            f"YAML tag not allowed (rule files never run code): {exc.problem}",
            file=name,
        ) from None
    except yaml.YAMLError as exc:
        raise RuleFileError(
            "rule_file", f"YAML sai cú pháp: {exc}", f"YAML syntax error: {exc}", file=name
        ) from None
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError) as exc:
        # e.g. an impossible unquoted date (2024-02-31) or "!!int ~": PyYAML raises plain errors
        raise RuleFileError(
            "rule_file",
            f"giá trị YAML không hợp lệ: {exc!r}",
            f"invalid YAML value: {exc!r}",
            file=name,
        ) from None


#: Deepest nesting of mappings and lists a rule or case file may have.
MAX_DEPTH = 64


def _check_depth(text: str, name: str) -> None:
    """Reject absurdly nested YAML before loading it (PyYAML's C loader can segfault on it)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise RuleFileError(
                        "rule_file",
                        f"lồng quá sâu (hơn {MAX_DEPTH} cấp)",
                        f"nested too deeply (more than {MAX_DEPTH} levels)",
                        file=name,
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as exc:
        raise RuleFileError(
            "rule_file", f"YAML sai cú pháp: {exc}", f"YAML syntax error: {exc}", file=name
        ) from None


def _validation_error(exc: ValidationError, file: str, rule: str | None) -> RuleFileError:
    first = exc.errors()[0]
    loc = ".".join(str(x) for x in first["loc"])
    return RuleFileError(
        "rule_schema",
        f"trường '{loc}': {first['msg']}",
        f"field '{loc}': {first['msg']}",
        file=file,
        rule=rule,
        field=f"{file}:{rule or ''}:{loc}",
    )


@dataclass(frozen=True, slots=True)
class LoadedRule:
    """A validated rule with its parsed conditions and where it came from."""

    spec: RuleSpec
    pack_id: str
    file: str
    applies_when: Condition | None
    require: Condition
    exception_when: Condition | None

    @property
    def id(self) -> str:
        """The rule id."""
        return self.spec.id

    def in_force(self, on: date) -> bool:
        """Whether the rule itself is in force on ``on`` (pack validity is checked apart)."""
        s = self.spec
        return (s.valid_from is None or s.valid_from <= on) and (
            s.valid_to is None or on <= s.valid_to
        )


@dataclass(frozen=True, slots=True)
class Pack:
    """A loaded rule pack: metadata, parameters, rules and a content hash."""

    meta: PackMeta
    path: Path
    rules: tuple[LoadedRule, ...]
    content_hash: str
    test_files: tuple[Path, ...] = field(default=())

    @property
    def id(self) -> str:
        """The pack id."""
        return self.meta.id

    @property
    def parameters(self) -> dict[str, Parameter]:
        """The pack's parameters."""
        return self.meta.parameters

    def in_force(self, on: date) -> bool:
        """Whether the pack is valid on ``on``."""
        m = self.meta
        return m.valid_from <= on and (m.valid_to is None or on <= m.valid_to)

    def matches_locality(self, locality: str) -> bool:
        """Whether the pack declares ``locality`` (compared without diacritics or case)."""
        key = fold(locality)
        return any(fold(loc) == key for loc in self.meta.localities)


def _rule_files(path: Path) -> list[Path]:
    rules_dir = path / "rules"
    files = sorted(rules_dir.glob("*.yaml")) + sorted(rules_dir.glob("*.yml"))
    return sorted(files)


def load_pack(path: str | os.PathLike[str]) -> Pack:
    """Load and validate one pack directory (``pack.yaml``, ``rules/*.yaml``, ``tests/*.yaml``)."""
    root = Path(path)
    meta_file = root / "pack.yaml"
    if not meta_file.is_file():
        raise RuleFileError("no_pack", "thiếu pack.yaml", "pack.yaml is missing", file=str(root))
    raw_meta = read_yaml(meta_file)
    if not isinstance(raw_meta, dict):
        raise RuleFileError(
            "rule_schema",
            "pack.yaml phải là ánh xạ",
            "pack.yaml must be a mapping",
            file=str(meta_file),
        )
    try:
        meta = PackMeta.model_validate(raw_meta)
    except ValidationError as exc:
        raise _validation_error(exc, str(meta_file), None) from None
    digest = hashlib.sha256()
    digest.update(meta_file.read_bytes())
    rules: list[LoadedRule] = []
    seen: dict[str, str] = {}
    for file in _rule_files(root):
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
        data = read_yaml(file)
        items = data.get("rules") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise RuleFileError(
                "rule_schema",
                "cần khóa 'rules' là danh sách",
                "expected a 'rules' list",
                file=str(file),
            )
        for i, item in enumerate(items):
            rid = item.get("id") if isinstance(item, dict) else None
            label = rid if isinstance(rid, str) else f"#{i}"
            rules.append(_load_rule(item, meta.id, str(file), label))
            if label in seen:
                raise RuleFileError(
                    "duplicate_id",
                    f"mã quy tắc '{label}' trùng (đã có trong {seen[label]})",
                    f"duplicate rule id '{label}' (already in {seen[label]})",
                    file=str(file),
                    rule=label,
                )
            seen[label] = str(file)
    tests_dir = root / "tests"
    tests = tuple(sorted(tests_dir.glob("*.yaml"))) if tests_dir.is_dir() else ()
    return Pack(meta, root, tuple(rules), digest.hexdigest(), tests)


def _load_rule(item: Any, pack_id: str, file: str, label: str) -> LoadedRule:
    if not isinstance(item, dict):
        raise RuleFileError(
            "rule_schema",
            "quy tắc phải là ánh xạ",
            "a rule must be a mapping",
            file=file,
            rule=label,
        )
    try:
        spec = RuleSpec.model_validate(item)
    except ValidationError as exc:
        raise _validation_error(exc, file, label) from None

    def cond(data: Any, where: str) -> Condition:
        try:
            return parse_condition(data, where=where)
        except RuleFileError as exc:
            raise RuleFileError(
                exc.code, exc.message_vi, exc.message_en, file=file, rule=label
            ) from None

    applies = cond(spec.applies_when, "applies_when") if spec.applies_when is not None else None
    require = cond(spec.require, "require")
    exc_when = cond(spec.exception.when, "exception.when") if spec.exception else None
    return LoadedRule(spec, pack_id, file, applies, require, exc_when)


def default_rules_dir() -> Path:
    """The bundled rules: ``$LUANCHUYEN_RULES_DIR``, else the packs shipped with the package."""
    env = os.environ.get("LUANCHUYEN_RULES_DIR")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent.parent
    bundled = here / "_rules"
    if bundled.is_dir():
        return bundled
    return here.parent.parent / "rules"  # pragma: no cover - source checkout without the link


def discover_packs(root: str | os.PathLike[str] | None = None) -> dict[str, Path]:
    """Map pack id (directory name) to its directory under ``root``."""
    base = Path(root) if root is not None else default_rules_dir()
    if (base / "pack.yaml").is_file():
        return {base.name: base}
    return {p.name: p for p in sorted(base.iterdir()) if (p / "pack.yaml").is_file()}


def ids_of(packs: Iterable[Pack]) -> Sequence[str]:
    """The ids of packs, in order."""
    return [p.id for p in packs]

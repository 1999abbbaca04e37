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
    "PackSource",
    "RawRule",
    "RuleFile",
    "build_pack",
    "default_rules_dir",
    "discover_packs",
    "load_pack",
    "parse_yaml",
    "read_pack_source",
    "read_yaml",
    "rule_files",
    "unnamed_rule_label",
]

try:  # the C loader is faster; both are "safe" loaders that never build Python objects
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

MAX_FILE_BYTES = 5 * 1024 * 1024


def _read_text(path: Path) -> str:
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
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(
            "rule_file", f"không đọc được: {exc}", f"cannot read: {exc}", file=name
        ) from None


def read_yaml(path: Path) -> Any:
    """Read a YAML (or JSON) file with the safe loader; raise ``RuleFileError`` on any problem."""
    return parse_yaml(_read_text(path), str(path))


def parse_yaml(text: str, name: str) -> Any:
    """Parse YAML text with the safe loader, after the depth and alias checks.

    Raises:
        RuleFileError: ``yaml_alias`` when aliases expand past :data:`MAX_EXPANDED_NODES`,
            ``rule_file`` for a file nested deeper than :data:`MAX_DEPTH` (aliases
            expanded) or not YAML, ``unsafe_yaml`` for a tag that builds objects.
    """
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


#: Deepest nesting of mappings and lists a rule or case file may have (aliases expanded).
MAX_DEPTH = 64
#: Most nodes (scalars and collections) a file may hold once its aliases are expanded.
MAX_EXPANDED_NODES = 1_000_000


def _too_deep(name: str, *, alias: bool) -> RuleFileError:
    via_vi, via_en = (" (qua bí danh YAML)", " (through a YAML alias)") if alias else ("", "")
    return RuleFileError(
        "rule_file",
        f"lồng quá sâu (hơn {MAX_DEPTH} cấp){via_vi}",
        f"nested too deeply (more than {MAX_DEPTH} levels){via_en}",
        file=name,
    )


def _check_depth(text: str, name: str) -> None:
    """Check nesting and alias expansion on the event stream, before loading anything.

    PyYAML's C loader can segfault on deep nesting, and a few hundred bytes of nested
    aliases (``&a [*b, *b, …]``) stand for gigabytes once anything walks them. Anchors and
    aliases are allowed (the case files share a cadre between cases) but counted as
    expanded: the depth of an alias is the depth where it appears plus the height of the
    node it names, and every alias adds the size of that node to the file's node count.
    """
    depth = 0
    expanded = 0
    # per open collection: [anchor, size in nodes, height]; anchors: name -> (size, height)
    open_nodes: list[list[Any]] = []
    anchors: dict[str, tuple[int, int]] = {}

    def closed(anchor: str | None, size: int, height: int) -> None:
        if anchor is not None:
            anchors[anchor] = (size, height)
        if open_nodes:
            parent = open_nodes[-1]
            parent[1] += size
            parent[2] = max(parent[2], height + 1)

    try:
        for event in yaml.parse(text, Loader=_SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                expanded += 1
                if depth > MAX_DEPTH:
                    raise _too_deep(name, alias=False)
                open_nodes.append([event.anchor, 1, 1])
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
                anchor, size, height = open_nodes.pop()
                closed(anchor, size, height)
            elif isinstance(event, yaml.ScalarEvent):
                expanded += 1
                closed(event.anchor, 1, 0)
            elif isinstance(event, yaml.AliasEvent):
                size, height = anchors.get(str(event.anchor), (1, 0))
                if depth + height > MAX_DEPTH:
                    raise _too_deep(name, alias=True)
                expanded += size
                closed(None, size, height)
            if expanded > MAX_EXPANDED_NODES:
                raise RuleFileError(
                    "yaml_alias",
                    f"bí danh YAML (*) mở rộng quá {MAX_EXPANDED_NODES:,} nút; "
                    "hãy viết đầy đủ giá trị thay vì lồng bí danh",
                    f"YAML aliases (*) expand past {MAX_EXPANDED_NODES:,} nodes; "
                    "write values out instead of nesting aliases",
                    file=name,
                )
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
    #: ``dang`` or ``nha_nuoc``: the rule's own ``system``, else its pack's (None: not said).
    system: str | None = None

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


def unnamed_rule_label(index: int) -> str:
    """How a rule without a (string) id is named in messages: ``#1`` for the first of a file."""
    return f"#{index + 1}"


@dataclass(frozen=True, slots=True)
class RawRule:
    """One item of a rule file's ``rules`` list, as read (not yet validated)."""

    file: Path
    index: int
    data: Any

    @property
    def label(self) -> str:
        """The rule's id, or its position (see :func:`unnamed_rule_label`)."""
        rid = self.data.get("id") if isinstance(self.data, dict) else None
        return rid if isinstance(rid, str) else unnamed_rule_label(self.index)


@dataclass(frozen=True, slots=True)
class RuleFile:
    """A rule file as read: its bytes, its rules, or why it cannot be used."""

    path: Path
    content: bytes
    rules: tuple[RawRule, ...]
    problem: RuleFileError | None = None


@dataclass(frozen=True, slots=True)
class PackSource:
    """Every file of a pack directory, read once (the one pack walker).

    :func:`load_pack` builds a :class:`Pack` from it, stopping at the first problem; the
    linter reads the same object and reports every problem.
    """

    root: Path
    meta_file: Path
    meta_content: bytes
    meta: Any
    problem: RuleFileError | None
    files: tuple[RuleFile, ...]
    test_files: tuple[Path, ...]


def rule_files(root: Path) -> list[Path]:
    """The rule files of a pack directory (``rules/*.yaml`` and ``*.yml``), sorted."""
    rules_dir = root / "rules"
    return sorted([*rules_dir.glob("*.yaml"), *rules_dir.glob("*.yml")])


def _read_rule_file(path: Path) -> RuleFile:
    try:
        text = _read_text(path)
        data = parse_yaml(text, str(path))
    except RuleFileError as exc:
        return RuleFile(path, b"", (), exc)
    content = text.encode("utf-8")
    items = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(items, list):
        problem = RuleFileError(
            "rule_schema",
            "cần khóa 'rules' chứa danh sách quy tắc",
            "expected a 'rules' key holding a list of rules",
            file=str(path),
        )
        return RuleFile(path, content, (), problem)
    return RuleFile(path, content, tuple(RawRule(path, i, d) for i, d in enumerate(items)))


def read_pack_source(path: str | os.PathLike[str]) -> PackSource:
    """Read every file of a pack directory once; never raises for a problem in a file."""
    root = Path(path)
    meta_file = root / "pack.yaml"
    content, meta, problem = b"", None, None
    if not meta_file.is_file():
        problem = RuleFileError(
            "no_pack", "thiếu pack.yaml", "pack.yaml is missing", file=str(root)
        )
    else:
        try:
            text = _read_text(meta_file)
            meta = parse_yaml(text, str(meta_file))
            content = text.encode("utf-8")
        except RuleFileError as exc:
            problem = exc
    files = tuple(_read_rule_file(f) for f in rule_files(root)) if problem is None else ()
    tests_dir = root / "tests"
    tests = tuple(sorted(tests_dir.glob("*.yaml"))) if tests_dir.is_dir() else ()
    return PackSource(root, meta_file, content, meta, problem, files, tests)


def load_pack(path: str | os.PathLike[str]) -> Pack:
    """Load and validate one pack directory (``pack.yaml``, ``rules/*.yaml``, ``tests/*.yaml``)."""
    return build_pack(read_pack_source(path))


def build_pack(src: PackSource) -> Pack:
    """Validate a pack as read into a :class:`Pack`; raise the first problem found.

    Raises:
        RuleFileError: the first unreadable file, schema error or duplicate rule id.
    """
    if src.problem is not None:
        raise src.problem
    if not isinstance(src.meta, dict):
        raise RuleFileError(
            "rule_schema",
            "pack.yaml phải là ánh xạ",
            "pack.yaml must be a mapping",
            file=str(src.meta_file),
        )
    try:
        meta = PackMeta.model_validate(src.meta)
    except ValidationError as exc:
        raise _validation_error(exc, str(src.meta_file), None) from None
    digest = hashlib.sha256()
    digest.update(src.meta_content)
    rules: list[LoadedRule] = []
    seen: dict[str, str] = {}
    for rf in src.files:
        if rf.problem is not None:
            raise rf.problem
        digest.update(rf.path.name.encode())
        digest.update(rf.content)
        for raw in rf.rules:
            label = raw.label
            rules.append(_load_rule(raw.data, meta.id, str(rf.path), label, meta.system))
            if label in seen:
                raise RuleFileError(
                    "duplicate_id",
                    f"mã quy tắc '{label}' trùng (đã có trong {seen[label]})",
                    f"duplicate rule id '{label}' (already in {seen[label]})",
                    file=str(rf.path),
                    rule=label,
                )
            seen[label] = str(rf.path)
    return Pack(meta, src.root, tuple(rules), digest.hexdigest(), src.test_files)


def _load_rule(
    item: Any, pack_id: str, file: str, label: str, system: str | None = None
) -> LoadedRule:
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
    return LoadedRule(spec, pack_id, file, applies, require, exc_when, spec.system or system)


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

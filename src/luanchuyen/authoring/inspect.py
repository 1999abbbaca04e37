"""Look inside rule packs: what is in force on a date, one rule in full, and what changed.

Pure functions returning plain data (dataclasses and dicts); the command line
(``luanchuyen rules list/show/diff``) only prints them. Which rules and parameter
values hold on a date is asked of :mod:`luanchuyen.ruleset.timeline`, as everywhere.

>>> from luanchuyen.ruleset.conditions import parse_condition
>>> condition_text(parse_condition({"fact": "age_months", "op": "<", "param": "youth_age_months"}))
'age_months < param.youth_age_months'
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from luanchuyen.errors import RuleFileError
from luanchuyen.ruleset.compile import RuleSet
from luanchuyen.ruleset.conditions import (
    All,
    AnyOf,
    Compare,
    Condition,
    Known,
    Not,
    ParamRef,
)
from luanchuyen.ruleset.loader import (
    LoadedRule,
    Pack,
    default_rules_dir,
    discover_packs,
    load_pack,
    read_yaml,
)
from luanchuyen.ruleset.schema import Parameter, ParamValue
from luanchuyen.ruleset.timeline import parameters_in_force, params_on, rule_params

__all__ = [
    "FieldChange",
    "ParamChange",
    "ParamOnDate",
    "RuleChange",
    "RuleDetail",
    "RuleRow",
    "RulesDiff",
    "condition_text",
    "diff_dates",
    "diff_dirs",
    "diff_markdown",
    "display_path",
    "load_packs",
    "national_pack_dirs",
    "national_packs_for",
    "rules_in_force",
    "show_rule",
]

# --------------------------------------------------------------------------- paths


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as users should read it: relative to the working directory when inside it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(p)


# --------------------------------------------------------------------------- conditions


def _value_text(value: Any) -> str:
    if isinstance(value, ParamRef):
        return f"param.{value.name}"
    if isinstance(value, tuple):
        return "[" + ", ".join(_value_text(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def condition_text(cond: Condition | None) -> str:
    """A one-line, readable form of a condition (``all(a, b)``, ``fact >= param.name``).

    >>> from luanchuyen.ruleset.conditions import parse_condition
    >>> condition_text(parse_condition({"any": [
    ...     {"fact": "in_planning", "op": "==", "value": True},
    ...     {"fact": "policy_case", "op": "is known"}]}))
    'any(in_planning == true, policy_case is known)'
    """
    if cond is None:
        return "—"
    if isinstance(cond, Compare):
        return f"{cond.fact} {cond.op} {_value_text(cond.value)}"
    if isinstance(cond, Known):
        return f"{cond.fact} is {'not ' if cond.negated else ''}known"
    if isinstance(cond, All):
        return "all(" + ", ".join(condition_text(c) for c in cond.items) + ")"
    if isinstance(cond, AnyOf):
        return "any(" + ", ".join(condition_text(c) for c in cond.items) + ")"
    assert isinstance(cond, Not)
    return f"not({condition_text(cond.item)})"


# --------------------------------------------------------------------------- stacks and dates


def load_packs(path: str | os.PathLike[str]) -> list[Pack]:
    """Load every pack under ``path`` (a rules root, or one pack directory)."""
    return [load_pack(p) for p in discover_packs(path).values()]


def national_packs_for(pack_dir: str | os.PathLike[str], loaded: Iterable[Pack] = ()) -> list[Pack]:
    """The national packs a pack is evaluated with.

    Those beside it (its parent directory) when there are any, else the bundled ones
    (``$LUANCHUYEN_RULES_DIR`` or the packs shipped with the library). Only the
    ``pack.yaml`` of a sibling is read to learn its kind: an overlay beside the pack is
    never loaded, so linting one pack reads only that pack and the national ones. A pack
    in ``loaded`` (already read by the caller) is not read again.
    """
    root = Path(pack_dir).resolve().parent
    found = national_pack_dirs(root) if root.is_dir() else []
    if not found:
        found = national_pack_dirs(default_rules_dir())
    known = {p.path.resolve(): p for p in loaded}
    return [known.get(p.resolve()) or load_pack(p) for p in found]


def national_pack_dirs(root: Path) -> list[Path]:
    """The national pack directories under ``root`` (only each ``pack.yaml`` is read)."""
    out: list[Path] = []
    for pdir in discover_packs(root).values():
        try:
            meta = read_yaml(pdir / "pack.yaml")
        except RuleFileError:
            continue  # reported when that pack itself is linted
        if isinstance(meta, dict) and meta.get("kind") == "national":
            out.append(pdir)
    return out


# --------------------------------------------------------------------------- list and show


@dataclass(frozen=True, slots=True)
class RuleRow:
    """One rule as listed: id, pack, effect, kinds, title, citation and validity."""

    rule_id: str
    pack_id: str
    effect: str
    kinds: tuple[str, ...]
    title_vi: str
    title_en: str
    citation: str
    tag: str
    valid_from: date | None
    valid_to: date | None
    overrides: bool
    file: str


def _row(rule: LoadedRule) -> RuleRow:
    s = rule.spec
    return RuleRow(
        rule_id=rule.id,
        pack_id=rule.pack_id,
        effect=s.effect,
        kinds=tuple(k.value for k in s.kinds),
        title_vi=s.title.vi,
        title_en=s.title.en,
        citation=str(s.citation),
        tag=s.citation.tag,
        valid_from=s.valid_from,
        valid_to=s.valid_to,
        overrides=s.overrides,
        file=display_path(rule.file),
    )


def rules_in_force(ruleset: RuleSet, on: date) -> list[RuleRow]:
    """The rules in force on ``on`` (overlays replacing what they override), in stack order."""
    return [_row(r) for r in ruleset.rules_in_force(on)]


@dataclass(frozen=True, slots=True)
class ParamOnDate:
    """A parameter's value on a date, with where it comes from."""

    name: str
    pack_id: str
    value: Any
    valid_from: date | None
    valid_to: date | None
    citation: str
    unit: str | None


@dataclass(frozen=True, slots=True)
class RuleDetail:
    """One rule in full: its YAML data, where it lives, and its parameters on a date."""

    rule_id: str
    pack_id: str
    file: str
    on: date
    in_force: bool
    data: dict[str, Any]
    parameters: tuple[ParamOnDate, ...]
    conditions: dict[str, str] = field(default_factory=dict)


def show_rule(ruleset: RuleSet, rule_id: str, on: date) -> RuleDetail:
    """Everything about ``rule_id`` on ``on``: prefer the version in force, else the last one.

    Raises:
        KeyError: no pack of the rule set defines ``rule_id``.
    """
    active = {id(r) for r in ruleset.rules_in_force(on)}
    versions = [r for p in ruleset.packs for r in p.rules if r.id == rule_id]
    if not versions:
        raise KeyError(rule_id)
    in_force = [r for r in versions if id(r) in active]
    rule = in_force[-1] if in_force else versions[-1]
    params = params_on(ruleset.packs, on)
    units = parameters_in_force(ruleset.packs)
    rows: list[ParamOnDate] = []
    for name in sorted(rule_params(rule)):
        found = params.get(name)
        unit = units[name][1].unit if name in units else None
        if found is None:
            rows.append(ParamOnDate(name, "—", None, None, None, "—", unit))
            continue
        pack, value = found
        rows.append(
            ParamOnDate(
                name, pack.id, value.value, value.from_, value.to, str(value.citation), unit
            )
        )
    conditions = {
        "applies_when": condition_text(rule.applies_when),
        "require": condition_text(rule.require),
    }
    if rule.exception_when is not None:
        conditions["exception.when"] = condition_text(rule.exception_when)
    return RuleDetail(
        rule_id=rule.id,
        pack_id=rule.pack_id,
        file=display_path(rule.file),
        on=on,
        in_force=bool(in_force),
        data=rule.spec.model_dump(mode="json", by_alias=True, exclude_none=True),
        parameters=tuple(rows),
        conditions=conditions,
    )


# --------------------------------------------------------------------------- diff


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One changed field of a rule: its name and the old and new texts."""

    name: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class RuleChange:
    """A rule present on both sides whose content differs."""

    key: str
    pack_id: str
    title_vi: str
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True, slots=True)
class ParamChange:
    """A parameter added, removed or changed (values, citation, description or unit)."""

    name: str
    pack_id: str
    kind: str  # "added" | "removed" | "changed"
    details: tuple[str, ...]
    rules: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RulesDiff:
    """What changed between two rule directories, or one directory on two dates."""

    old_label: str
    new_label: str
    added: tuple[RuleRow, ...]
    removed: tuple[RuleRow, ...]
    changed: tuple[RuleChange, ...]
    params: tuple[ParamChange, ...]

    @property
    def empty(self) -> bool:
        """Whether nothing changed."""
        return not (self.added or self.removed or self.changed or self.params)


def _text2(data: Any) -> str:
    if isinstance(data, Mapping):
        return " / ".join(str(data[k]) for k in ("vi", "en") if k in data)
    return str(data)


def _rule_fields(rule: LoadedRule) -> dict[str, str]:
    s = rule.spec
    out = {
        "title": f"{s.title.vi} / {s.title.en}",
        "kinds": ", ".join(k.value for k in s.kinds),
        "valid_from": str(s.valid_from or "—"),
        "valid_to": str(s.valid_to or "—"),
        "effect": s.effect,
        "applies_when": condition_text(rule.applies_when),
        "require": condition_text(rule.require),
        "exception.when": condition_text(rule.exception_when),
        "exception.effect": s.exception.effect if s.exception else "—",
        "exception.note": _text2(s.exception.note.model_dump())
        if s.exception and s.exception.note
        else "—",
        "citation": str(s.citation),
        "citation.url": s.citation.url or "—",
        "citation.note": s.citation.note or "—",
        "overrides": "true" if s.overrides else "false",
        "authority": _text2(s.authority.model_dump()) if s.authority else "—",
    }
    msgs = s.messages.model_dump(by_alias=True)
    for outcome in ("pass", "fail", "unknown", "not_applicable"):
        text = msgs.get(outcome)
        for lang in ("vi", "en"):
            out[f"messages.{outcome}.{lang}"] = text[lang] if text else "—"
    return out


def _compare_rules(old: LoadedRule, new: LoadedRule) -> tuple[FieldChange, ...]:
    a, b = _rule_fields(old), _rule_fields(new)
    changes = [FieldChange(k, a[k], b[k]) for k in a if a[k] != b[k]]
    if old.pack_id != new.pack_id:
        changes.insert(0, FieldChange("pack", old.pack_id, new.pack_id))
    return tuple(changes)


def _value_repr(value: Any) -> str:
    if isinstance(value, list | dict) and len(repr(value)) > 80:
        size = len(value)
        return f"<{type(value).__name__} ×{size}>"
    return repr(value) if isinstance(value, str) else str(value)


def _pv(v: ParamValue) -> str:
    span = f"{v.from_}" + (f"→{v.to}" if v.to else "→")
    return f"{span}: {_value_repr(v.value)} ({v.citation})"


def _compare_params(old: Parameter, new: Parameter) -> tuple[str, ...]:
    details: list[str] = []
    if old.description != new.description:
        details.append(
            f"mô tả / description: {_text2(old.description.model_dump())} → "
            f"{_text2(new.description.model_dump())}"
        )
    if old.unit != new.unit:
        details.append(f"đơn vị / unit: {old.unit} → {new.unit}")
    a = {v.from_: v for v in old.values}
    b = {v.from_: v for v in new.values}
    for day in sorted(a.keys() | b.keys()):
        va, vb = a.get(day), b.get(day)
        if va is None and vb is not None:
            details.append(f"thêm mốc / new value {_pv(vb)}")
        elif vb is None and va is not None:
            details.append(f"bỏ mốc / removed value {_pv(va)}")
        elif va is not None and vb is not None and va != vb:
            if va.value != vb.value or va.to != vb.to:
                details.append(f"mốc / value {day}: {_pv(va)} → {_pv(vb)}")
            else:
                details.append(f"trích dẫn / citation {day}: {va.citation} → {vb.citation}")
    return tuple(details)


def _users(packs: Iterable[Pack], name: str) -> tuple[str, ...]:
    return tuple(sorted({r.id for p in packs for r in p.rules if name in rule_params(r)}))


def diff_dirs(old: str | os.PathLike[str], new: str | os.PathLike[str]) -> RulesDiff:
    """Compare two rule directories (two roots, or two versions of one pack).

    Rules are matched by id when both sides are a single pack, else by ``pack/id``.
    """
    a_packs, b_packs = load_packs(old), load_packs(new)
    single = len(a_packs) == 1 and len(b_packs) == 1

    def keyed(packs: list[Pack]) -> dict[str, LoadedRule]:
        return {(r.id if single else f"{r.pack_id}/{r.id}"): r for p in packs for r in p.rules}

    a_rules, b_rules = keyed(a_packs), keyed(b_packs)
    added = tuple(_row(b_rules[k]) for k in b_rules if k not in a_rules)
    removed = tuple(_row(a_rules[k]) for k in a_rules if k not in b_rules)
    changed: list[RuleChange] = []
    for key, rule in b_rules.items():
        before = a_rules.get(key)
        if before is None:
            continue
        fields = _compare_rules(before, rule)
        if fields:
            changed.append(RuleChange(key, rule.pack_id, rule.spec.title.vi, fields))

    def pkeyed(packs: list[Pack]) -> dict[str, tuple[Pack, Parameter]]:
        return {
            (n if single else f"{p.id}/{n}"): (p, prm)
            for p in packs
            for n, prm in p.parameters.items()
        }

    a_params, b_params = pkeyed(a_packs), pkeyed(b_packs)
    params: list[ParamChange] = []
    for key in sorted(a_params.keys() | b_params.keys()):
        pa, pb = a_params.get(key), b_params.get(key)
        name = key.rsplit("/", 1)[-1]
        if pa is None and pb is not None:
            details = tuple(f"mốc / value {_pv(v)}" for v in pb[1].values)
            params.append(ParamChange(key, pb[0].id, "added", details, _users(b_packs, name)))
        elif pb is None and pa is not None:
            params.append(ParamChange(key, pa[0].id, "removed", (), _users(a_packs, name)))
        elif pa is not None and pb is not None:
            details = _compare_params(pa[1], pb[1])
            if details:
                params.append(ParamChange(key, pb[0].id, "changed", details, _users(b_packs, name)))
    return RulesDiff(
        old_label=str(old),
        new_label=str(new),
        added=added,
        removed=removed,
        changed=tuple(changed),
        params=tuple(params),
    )


def diff_dates(ruleset: RuleSet, old: date, new: date) -> RulesDiff:
    """Compare what one rule set puts in force on two dates (rules and parameter values)."""
    a_rules = {r.id: r for r in ruleset.rules_in_force(old)}
    b_rules = {r.id: r for r in ruleset.rules_in_force(new)}
    added = tuple(_row(b_rules[k]) for k in b_rules if k not in a_rules)
    removed = tuple(_row(a_rules[k]) for k in a_rules if k not in b_rules)
    changed: list[RuleChange] = []
    for key, rule in b_rules.items():
        before = a_rules.get(key)
        if before is not None and before is not rule:
            fields = _compare_rules(before, rule)
            if fields:
                changed.append(RuleChange(key, rule.pack_id, rule.spec.title.vi, fields))
    a_params, b_params = params_on(ruleset.packs, old), params_on(ruleset.packs, new)
    in_force_new = list(b_rules.values())
    params: list[ParamChange] = []
    for name in sorted(a_params.keys() | b_params.keys()):
        pa, pb = a_params.get(name), b_params.get(name)
        users = tuple(sorted(r.id for r in in_force_new if name in rule_params(r)))
        if pa is None and pb is not None:
            params.append(ParamChange(name, pb[0].id, "added", (_pv(pb[1]),), users))
        elif pb is None and pa is not None:
            params.append(ParamChange(name, pa[0].id, "removed", (_pv(pa[1]),), users))
        elif pa is not None and pb is not None and (pa[1] != pb[1] or pa[0].id != pb[0].id):
            if pa[1].value == pb[1].value:
                detail = (
                    f"giá trị không đổi / value unchanged: {_value_repr(pb[1].value)}; "
                    f"căn cứ / basis: {pa[1].citation} → {pb[1].citation}"
                )
            else:
                detail = f"{_pv(pa[1])} → {_pv(pb[1])}"
            if pa[0].id != pb[0].id:
                detail += f" (bộ / pack {pa[0].id} → {pb[0].id})"
            params.append(ParamChange(name, pb[0].id, "changed", (detail,), users))
    return RulesDiff(
        old_label=old.isoformat(),
        new_label=new.isoformat(),
        added=added,
        removed=removed,
        changed=tuple(changed),
        params=tuple(params),
    )


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def diff_markdown(diff: RulesDiff) -> str:
    """Render a diff as Markdown, ready to paste under ``## [Unreleased]`` in CHANGELOG.md."""
    lines = [f"### Quy tắc / Rules: `{diff.old_label}` → `{diff.new_label}`", ""]
    if diff.empty:
        lines.append("- Không có thay đổi / No changes.")
        return "\n".join(lines) + "\n"
    if diff.added:
        lines += ["#### Thêm / Added", ""]
        for r in diff.added:
            lines.append(
                f"- `{r.rule_id}` ({r.pack_id}, {r.effect}): {_md(r.title_vi)} / "
                f"{_md(r.title_en)} — {_md(r.citation)}"
            )
        lines.append("")
    if diff.removed:
        lines += ["#### Bỏ / Removed", ""]
        for r in diff.removed:
            lines.append(f"- `{r.rule_id}` ({r.pack_id}): {_md(r.title_vi)} / {_md(r.title_en)}")
        lines.append("")
    if diff.changed:
        lines += ["#### Sửa / Changed", ""]
        for c in diff.changed:
            lines.append(f"- `{c.key}` ({c.pack_id}): {_md(c.title_vi)}")
            for f in c.fields:
                lines.append(f"  - `{f.name}`: {_md(f.old)} → {_md(f.new)}")
        lines.append("")
    if diff.params:
        lines += ["#### Tham số / Parameters", ""]
        label = {"added": "thêm / added", "removed": "bỏ / removed", "changed": "sửa / changed"}
        for p in diff.params:
            used = f" — dùng trong / used by: {', '.join(p.rules)}" if p.rules else ""
            lines.append(f"- `{p.name}` ({p.pack_id}, {label[p.kind]}){used}")
            for d in p.details:
                lines.append(f"  - {_md(d)}")
        lines.append("")
    return "\n".join(lines)

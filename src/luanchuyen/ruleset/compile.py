"""Select what is in force on a date and compile it into backend-neutral conditions.

A :class:`RuleSet` is a stack of packs (national packs first, overlays after). For a given
as-of date it resolves every dated parameter, keeps the rules in force, folds the move
kinds into the applicability condition and returns a frozen :class:`CompiledRules`. The
result is cached per distinct content (its ``signature``), so a province-wide batch on
one date compiles once.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from luanchuyen.errors import RuleFileError
from luanchuyen.ruleset.conditions import (
    All,
    Compare,
    Condition,
    facts_of,
    resolve,
    to_data,
)
from luanchuyen.ruleset.loader import LoadedRule, Pack, discover_packs, load_pack
from luanchuyen.ruleset.schema import Effect, Parameter, ParamValue
from luanchuyen.ruleset.timeline import (
    packs_in_force,
    param_value_at,
    parameters_in_force,
    params_on,
)
from luanchuyen.ruleset.timeline import rules_in_force as _rules_in_force

__all__ = [
    "CompiledRule",
    "CompiledRules",
    "RuleSet",
    "check_pack_name",
    "compile_rule",
    "param_value_at",
]


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """One rule ready for a backend: resolved conditions plus its source rule."""

    id: str
    effect: Effect
    applies: Condition
    test: Condition
    exception: Condition | None
    source: LoadedRule
    reads: frozenset[str] = frozenset()

    @property
    def facts(self) -> frozenset[str]:
        """Every fact the rule reads (exception included)."""
        return self.reads | facts_of(self.exception) if self.exception is not None else self.reads


@dataclass(frozen=True, slots=True)
class CompiledRules:
    """The rules in force on one date, compiled; ``signature`` names their exact content."""

    rules: tuple[CompiledRule, ...]
    params: Mapping[str, Any]
    param_sources: Mapping[str, ParamValue]
    signature: str
    pack_ids: tuple[str, ...]
    content_hash: str

    def by_id(self) -> dict[str, CompiledRule]:
        """The rules by id."""
        return {r.id: r for r in self.rules}


_PACK_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def check_pack_name(name: str) -> str:
    """``name`` if it names a pack (an id or a directory name), else a coded error.

    >>> check_pack_name("chi-lang-2024")
    'chi-lang-2024'

    Raises:
        RuleFileError: ``pack_path_in_data`` for a path (``../x``, ``/x``, ``a/b``, ``..``).
    """
    if not isinstance(name, str) or not _PACK_NAME.fullmatch(name) or set(name) <= {"."}:
        raise RuleFileError(
            "pack_path_in_data",
            f"'{name}' không phải tên bộ quy tắc; chỉ được gọi bộ quy tắc theo mã (như "
            "'chi-lang-2024') trong thư mục quy tắc đã cấu hình, không theo đường dẫn",
            f"'{name}' is not a rule pack name; packs are named by id (such as "
            "'chi-lang-2024') in the configured rule directory, never by path",
        )
    return name


def compile_rule(rule: LoadedRule, params: Mapping[str, Any]) -> CompiledRule:
    """Compile one rule with the parameter values given: the only rule compiler.

    The move kinds (and the categories the rule ``binds``) are folded into the
    applicability condition and every ``param`` is replaced by its value.

    Raises:
        RuleFileError: ``unknown_parameter`` or ``type_mismatch`` when a parameter is missing
            or its value does not fit the fact it is compared with.
    """
    where = f"{rule.file}:{rule.id}"
    kinds = Compare("move_kind", "in", tuple(k.value for k in rule.spec.kinds))
    applies: Condition = kinds
    if rule.spec.binds is not None:  # who the rule binds: unknown category → unknown
        binds = tuple(c.value for c in rule.spec.binds)
        applies = All((kinds, Compare("cadre_category", "in", binds)))
    if rule.applies_when is not None:
        applies = All((applies, resolve(rule.applies_when, params, where=where)))
    exc = rule.exception_when
    test = resolve(rule.require, params, where=where)
    return CompiledRule(
        id=rule.id,
        effect=rule.spec.effect,
        applies=applies,
        test=test,
        exception=resolve(exc, params, where=where) if exc is not None else None,
        source=rule,
        reads=facts_of(applies) | facts_of(test),
    )


def _signature(
    rules: Sequence[CompiledRule],
    params: Mapping[str, Any],
    sources: Mapping[str, ParamValue],
    packs: Sequence[Pack],
) -> str:
    """A name for everything a compiled rule set carries.

    The conditions, every parameter value *and* its source (fact derivation, messages,
    citations and quotas read parameters that no condition mentions), and the id and content
    hash of each pack in force (texts, citations and rule files). Two dates share a
    signature only when nothing a decision can show differs between them.
    """
    blob = json.dumps(
        {
            "rules": [
                [r.id, r.source.pack_id, r.effect, to_data(r.applies), to_data(r.test)]
                + ([to_data(r.exception)] if r.exception is not None else [])
                for r in rules
            ],
            "params": {n: params[n] for n in sorted(params)},
            "sources": {
                n: sources[n].model_dump(mode="json", by_alias=True) for n in sorted(sources)
            },
            "packs": [[p.id, p.content_hash] for p in packs],
        },
        sort_keys=True,
        ensure_ascii=True,
        default=str,
    )
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


class RuleSet:
    """A stack of rule packs; compile it for a date with :meth:`compiled`.

    Thread-safe: compiled results are cached under a lock and never mutated.
    """

    def __init__(self, packs: Sequence[Pack]) -> None:
        if not packs:
            raise RuleFileError("no_pack", "không có bộ quy tắc nào", "no rule pack given")
        self.packs: tuple[Pack, ...] = tuple(packs)
        seen: dict[str, Pack] = {}
        for p in self.packs:
            first = seen.setdefault(p.id, p)
            if first is not p:
                raise RuleFileError(
                    "duplicate_pack",
                    f"hai bộ quy tắc cùng mã '{p.id}' ({first.path} và {p.path}); "
                    "mỗi mã chỉ được nạp một lần",
                    f"two rule packs claim id '{p.id}' ({first.path} and {p.path}); "
                    "each id may be loaded once",
                    file=str(p.path),
                )
        digest = hashlib.sha256()
        for p in self.packs:
            digest.update(p.id.encode())
            digest.update(p.content_hash.encode())
        self.content_hash = digest.hexdigest()
        self._by_date: dict[date, CompiledRules] = {}
        self._by_signature: dict[tuple[str, str], CompiledRules] = {}
        self._lock = threading.Lock()

    # ----------------------------------------------------------------- construction

    @classmethod
    def load(
        cls,
        *names: str,
        path: str | Path | None = None,
        locality: str | None = None,
        pack_dirs: Iterable[str | Path] = (),
    ) -> RuleSet:
        """Load national packs plus the overlays named (or declared for ``locality``).

        Overlays are never chosen by default: name them, or give a locality they declare.
        A name is a pack id (or its directory name) looked up only in the configured rule
        directory ``path`` (default: :func:`~luanchuyen.ruleset.loader.default_rules_dir`);
        a path given as a name is refused, so data (a case file's ``rules:``) can never
        load a directory elsewhere on disk. A pack outside that directory is added only by
        the caller's code, through ``pack_dirs``.

        Raises:
            RuleFileError: ``no_pack`` for an unknown name, ``pack_path_in_data`` for a name
                that is a path, ``duplicate_pack`` when two packs claim one id.
        """
        for name in names:
            check_pack_name(name)
        available = discover_packs(path)
        chosen: list[Pack] = []
        overlays: list[Pack] = []
        for pid, pdir in available.items():
            pack = load_pack(pdir)
            if pack.meta.kind == "national":
                chosen.append(pack)
            elif pid in names or pack.id in names or (locality and pack.matches_locality(locality)):
                overlays.append(pack)
        known = {*available, *(p.id for p in chosen), *(o.id for o in overlays)}
        for name in names:
            if name not in known:
                raise RuleFileError(
                    "no_pack",
                    f"không tìm thấy bộ quy tắc '{name}'; có: {sorted(available)}",
                    f"rule pack '{name}' not found; available: {sorted(available)}",
                )
        for extra in pack_dirs:
            pack = load_pack(extra)
            (chosen if pack.meta.kind == "national" else overlays).append(pack)
        return cls([*chosen, *overlays])

    @classmethod
    def from_paths(cls, paths: Iterable[str | Path]) -> RuleSet:
        """Build from explicit pack directories, in the order given."""
        return cls([load_pack(p) for p in paths])

    # ----------------------------------------------------------------- queries

    @property
    def pack_ids(self) -> tuple[str, ...]:
        """Ids of the packs in the stack."""
        return tuple(p.id for p in self.packs)

    def parameters(self, on: date | None = None) -> dict[str, tuple[Pack, Parameter]]:
        """Every parameter by name, later packs overriding earlier ones (see
        :func:`~luanchuyen.ruleset.timeline.parameters_in_force`)."""
        return parameters_in_force(self.packs, on)

    def rules_in_force(self, on: date) -> list[LoadedRule]:
        """The rules in force on ``on``, overlays replacing the rules they declare to override."""
        return _rules_in_force(self.packs, on)

    def compiled(self, on: date) -> CompiledRules:
        """Compile the rules in force on ``on`` (cached)."""
        cached = self._by_date.get(on)
        if cached is not None:
            return cached
        compiled = self._compile(on)
        with self._lock:
            # parameters read only by the facts (equivalence tables, thresholds) are not in the
            # signature: share a compilation only when they are equal too
            key = (compiled.signature, _params_key(compiled.params))
            existing = self._by_signature.setdefault(key, compiled)
            self._by_date[on] = existing
        return existing

    def _compile(self, on: date) -> CompiledRules:
        found = params_on(self.packs, on)
        params: dict[str, Any] = {n: v.value for n, (_p, v) in found.items()}
        sources: dict[str, ParamValue] = {n: v for n, (_p, v) in found.items()}
        rules = [compile_rule(lr, params) for lr in self.rules_in_force(on)]
        active = packs_in_force(self.packs, on)
        return CompiledRules(
            rules=tuple(rules),
            params=params,
            param_sources=sources,
            signature=_signature(rules, params, sources, active),
            pack_ids=tuple(p.id for p in active),
            content_hash=self.content_hash,
        )


def _params_key(params: Mapping[str, Any]) -> str:
    """A fingerprint of parameter values (dates and other scalars as text)."""
    blob = json.dumps(params, sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]

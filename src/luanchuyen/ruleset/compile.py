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

__all__ = ["CompiledRule", "CompiledRules", "RuleSet", "param_value_at"]


def param_value_at(param: Parameter, on: date) -> ParamValue | None:
    """The value of a dated parameter in force on ``on`` (the latest ``from`` ≤ ``on``)."""
    current: ParamValue | None = None
    for v in sorted(param.values, key=lambda pv: pv.from_):
        if v.from_ <= on and (v.to is None or on <= v.to):
            current = v
    return current


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


class RuleSet:
    """A stack of rule packs; compile it for a date with :meth:`compiled`.

    Thread-safe: compiled results are cached under a lock and never mutated.
    """

    def __init__(self, packs: Sequence[Pack]) -> None:
        if not packs:
            raise RuleFileError("no_pack", "không có bộ quy tắc nào", "no rule pack given")
        self.packs: tuple[Pack, ...] = tuple(packs)
        digest = hashlib.sha256()
        for p in self.packs:
            digest.update(p.id.encode())
            digest.update(p.content_hash.encode())
        self.content_hash = digest.hexdigest()
        self._by_date: dict[date, CompiledRules] = {}
        self._by_signature: dict[str, CompiledRules] = {}
        self._lock = threading.Lock()

    # ----------------------------------------------------------------- construction

    @classmethod
    def load(
        cls,
        *names: str,
        path: str | Path | None = None,
        locality: str | None = None,
    ) -> RuleSet:
        """Load national packs plus the overlays named (or declared for ``locality``).

        Overlays are never chosen by default: name them, or give a locality they declare.
        A name may also be a path to a pack directory.
        """
        available = discover_packs(path)
        chosen: list[Pack] = []
        overlays: list[Pack] = []
        for pid, pdir in available.items():
            pack = load_pack(pdir)
            if pack.meta.kind == "national":
                chosen.append(pack)
            elif pid in names or pack.id in names or (locality and pack.matches_locality(locality)):
                overlays.append(pack)
        for name in names:
            if name in available or any(o.id == name for o in overlays):
                continue
            p = Path(name)
            if (p / "pack.yaml").is_file():
                pack = load_pack(p)
                (chosen if pack.meta.kind == "national" else overlays).append(pack)
                continue
            raise RuleFileError(
                "no_pack",
                f"không tìm thấy bộ quy tắc '{name}'; có: {sorted(available)}",
                f"rule pack '{name}' not found; available: {sorted(available)}",
            )
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
        """Every parameter by name, later packs overriding earlier ones.

        With ``on``, only packs in force on that date contribute: an expired overlay's
        parameters (its equivalence table, its authority) never leak past its validity.
        """
        out: dict[str, tuple[Pack, Parameter]] = {}
        for pack in self.packs:
            if on is not None and not pack.in_force(on):
                continue
            for name, param in pack.parameters.items():
                out[name] = (pack, param)
        return out

    def rules_in_force(self, on: date) -> list[LoadedRule]:
        """The rules in force on ``on``, overlays replacing the rules they declare to override."""
        active = [p for p in self.packs if p.in_force(on)]
        overridden = {rid for p in active for rid in p.meta.overrides}
        out: list[LoadedRule] = []
        for pack in active:
            for rule in pack.rules:
                if not rule.in_force(on):
                    continue
                if rule.id in overridden and pack.meta.kind == "national":
                    continue
                out.append(rule)
        return out

    def compiled(self, on: date) -> CompiledRules:
        """Compile the rules in force on ``on`` (cached)."""
        cached = self._by_date.get(on)
        if cached is not None:
            return cached
        compiled = self._compile(on)
        with self._lock:
            existing = self._by_signature.setdefault(compiled.signature, compiled)
            self._by_date[on] = existing
        return existing

    def _compile(self, on: date) -> CompiledRules:
        params: dict[str, Any] = {}
        sources: dict[str, ParamValue] = {}
        for name, (_pack, param) in self.parameters(on).items():
            value = param_value_at(param, on)
            if value is not None:
                params[name] = value.value
                sources[name] = value
        rules: list[CompiledRule] = []
        for lr in self.rules_in_force(on):
            where = f"{lr.file}:{lr.id}"
            kinds = Compare("move_kind", "in", tuple(k.value for k in lr.spec.kinds))
            applies: Condition = kinds
            if lr.applies_when is not None:
                applies = All((kinds, resolve(lr.applies_when, params, where=where)))
            exc = lr.exception_when
            test = resolve(lr.require, params, where=where)
            rules.append(
                CompiledRule(
                    id=lr.id,
                    effect=lr.spec.effect,
                    applies=applies,
                    test=test,
                    exception=resolve(exc, params, where=where) if exc is not None else None,
                    source=lr,
                    reads=facts_of(applies) | facts_of(test),
                )
            )
        blob = json.dumps(
            [
                [r.id, r.effect, to_data(r.applies), to_data(r.test)]
                + ([to_data(r.exception)] if r.exception is not None else [])
                for r in rules
            ],
            sort_keys=True,
            ensure_ascii=True,
        )
        signature = hashlib.sha256(blob.encode()).hexdigest()[:16]
        return CompiledRules(
            rules=tuple(rules),
            params=params,
            param_sources=sources,
            signature=signature,
            pack_ids=tuple(p.id for p in self.packs if p.in_force(on)),
            content_hash=self.content_hash,
        )

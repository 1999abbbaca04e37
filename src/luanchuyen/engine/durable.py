"""The durable-rules backend: the only module that imports ``durable``.

Used as ``docs/durable-rules.md`` prescribes:

* a :class:`_SyncHost` without the background dispatcher threads (they race and segfault);
* one flat *fact* per evaluation (events are consumed by the first rule that fires);
* for every rule and each of its conditions a pair of patterns, "holds" and "fails" (the
  negation pushed to the comparisons), so that a condition whose facts are absent fires
  neither and is reported as unknown;
* every pattern AND-ed with a ``kind`` discriminator (otherwise negative patterns match the
  engine's own state fact and loop forever);
* every rule's patterns placed in their own subtree of the alpha network by two extra
  discriminators (a group of :data:`GROUP_SIZE` rules, then the rule itself): the C core walks
  matching alpha nodes with a fixed stack of 64 entries (``MAX_STACK_SIZE`` in ``events.c``)
  and fails with error 303 — then corrupts memory on ``delete_state`` — when too many sibling
  nodes match one fact, which a flat pack of ~40 rules already reaches;
* a fresh sid per evaluation and ``delete_state`` in ``finally``, under a lock, so that at
  most one session is ever alive (the engine crashes past 1,024 live sessions);
* versioned ruleset names (``luanchuyen@<signature>``), one per distinct compiled content;
* the action queue is drained with the engine's own C calls, recording only the names of the
  rules that fired (no consequent code runs, so none can fail silently), and every C error is
  raised as an :class:`~luanchuyen.errors.EngineError`.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Mapping
from typing import Any

from luanchuyen.errors import EngineError
from luanchuyen.facts.registry import FactValue
from luanchuyen.ruleset.compile import CompiledRules
from luanchuyen.ruleset.conditions import All, AnyOf, Compare, Condition, Known, negate, nnf
from luanchuyen.verdict import RuleStates

__all__ = ["MAX_LIVE_SESSIONS", "DurableBackend", "to_durable"]

#: Sessions alive at once never exceed this (the engine's own hard limit is 1,024).
MAX_LIVE_SESSIONS = 1
#: Rules per discriminator group; keeps the C core's alpha-walk stack far below 64.
GROUP_SIZE = 8
_KIND = "luanchuyen_fact"
_PARTS = ("a", "t", "e")  # applies, test, exception
_OPS = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte", "!=": "$neq"}


def _consequent(c: Any) -> None:
    """The registered consequent. Never run: :meth:`DurableBackend._run` drains the queue."""


def _import_durable() -> Any:
    try:
        import durable.engine as engine
    except ImportError as exc:  # pragma: no cover - depends on the interpreter
        raise EngineError(
            "engine_unavailable",
            f"Không nạp được durable-rules ({exc}); cần Python 3.11 hoặc 3.12 và trình biên dịch C",
            f"durable-rules cannot be imported ({exc}); it needs Python 3.11 or 3.12 and a C compiler",
        ) from exc
    return engine


def to_durable(cond: Condition) -> dict[str, Any] | None:
    """Translate a condition in negation normal form into a durable-rules expression.

    Returns ``None`` for a condition that can never hold (an empty ``any``); an empty
    ``all`` becomes an empty ``$and``, which the caller drops.
    """
    if isinstance(cond, Compare):
        value = cond.value
        if cond.op == "==":
            return {cond.fact: value}
        if cond.op in ("in", "not in"):
            assert isinstance(value, tuple)
            items: list[dict[str, Any]]
            if cond.op == "in":
                items = [{cond.fact: v} for v in value]
                return items[0] if len(items) == 1 else {"$or": items}
            items = [{"$neq": {cond.fact: v}} for v in value]
            return items[0] if len(items) == 1 else {"$and": items}
        return {_OPS[cond.op]: {cond.fact: value}}
    if isinstance(cond, Known):
        return {("$nex" if cond.negated else "$ex"): {cond.fact: 1}}
    if isinstance(cond, All | AnyOf):
        parts = [to_durable(c) for c in cond.items]
        if isinstance(cond, All):
            if any(p is None for p in parts):
                return None
            kept = [p for p in parts if p]
            return kept[0] if len(kept) == 1 else {"$and": kept}
        kept = [p for p in parts if p is not None]
        if not kept:
            return None
        if any(p == {} for p in kept):
            return {}
        return kept[0] if len(kept) == 1 else {"$or": kept}
    raise AssertionError("to_durable expects negation normal form")  # pragma: no cover


class DurableBackend:
    """Evaluates compiled rules with durable-rules 2.0.28 (thread-safe, bounded sessions)."""

    name = "durable"

    def __init__(self) -> None:
        engine = _import_durable()

        class _SyncHost(engine.Host):  # type: ignore[misc, name-defined]
            def _run(self) -> None:  # no dispatcher / timer threads
                return None

        import durable_rules_engine

        self._engine = engine
        self._native = durable_rules_engine
        self._host = _SyncHost()
        self._lock = threading.RLock()
        self._rulesets: dict[str, tuple[Any, dict[str, tuple[str, int, bool]], dict[str, int]]] = {}
        self._sids = itertools.count(1)
        self._live = 0
        self.max_live_seen = 0
        self.evaluations = 0

    @property
    def live_sessions(self) -> int:
        """Sessions alive right now (0 between evaluations)."""
        return self._live

    def _ruleset(
        self, compiled: CompiledRules
    ) -> tuple[Any, dict[str, tuple[str, int, bool]], dict[str, int]]:
        found = self._rulesets.get(compiled.signature)
        if found is not None:
            return found
        name = f"luanchuyen@{compiled.signature}"
        definition: dict[str, Any] = {}
        keys: dict[str, tuple[str, int, bool]] = {}
        discriminators: dict[str, int] = {"kind": 0}
        for i, rule in enumerate(compiled.rules):
            group, own = f"_g{i // GROUP_SIZE}", f"_r{i}"
            discriminators[group] = discriminators[own] = 1
            guard: list[dict[str, Any]] = [{"kind": _KIND}, {group: 1}, {own: 1}]
            conds = (rule.applies, rule.test, rule.exception)
            for part_index, cond in enumerate(conds):
                if cond is None:
                    continue
                for truth, variant in ((True, nnf(cond)), (False, negate(cond))):
                    expr = to_durable(variant)
                    if expr is None:
                        continue
                    pattern: dict[str, Any] = {"$and": [*guard, expr] if expr else guard}
                    key = f"r{i}{_PARTS[part_index]}{'t' if truth else 'f'}"
                    keys[key] = (rule.id, part_index, truth)
                    definition[key] = {"all": [{"m": pattern}], "run": _consequent}
        self._host.register_rulesets({name: definition})
        ruleset = self._host.get_ruleset(name)
        discriminators.pop("kind")
        self._rulesets[compiled.signature] = (ruleset, keys, discriminators)
        return ruleset, keys, discriminators

    def states(
        self, compiled: CompiledRules, facts: Mapping[str, FactValue]
    ) -> dict[str, RuleStates]:
        """Assert one fact in a fresh session, collect what fired, delete the session."""
        with self._lock:
            ruleset, keys, discriminators = self._ruleset(compiled)
            sid = f"e{next(self._sids)}"
            message = {**facts, **discriminators, "kind": _KIND, "sid": sid}
            if self._live >= MAX_LIVE_SESSIONS:  # pragma: no cover - guarded by the lock
                raise EngineError(
                    "engine_capacity",
                    "Số phiên durable-rules vượt giới hạn",
                    "durable-rules live-session bound exceeded",
                )
            self._live += 1
            self.max_live_seen = max(self.max_live_seen, self._live)
            try:
                fired = self._run(ruleset, message)
            except BaseException:
                self._delete(ruleset, sid, quiet=True)  # never mask the original error
                raise
            else:
                self._delete(ruleset, sid, quiet=False)
            self.evaluations += 1
        return self._collect(compiled, keys, fired)

    def _delete(self, ruleset: Any, sid: str, *, quiet: bool) -> None:
        """Delete the session (always) and count it as closed."""
        try:
            ruleset.delete_state(sid)
        except self._native.error as exc:
            if not quiet:
                raise EngineError(
                    "engine_failure",
                    f"durable-rules không xóa được phiên {sid}: {exc}",
                    f"durable-rules could not delete session {sid}: {exc}",
                ) from exc
        finally:
            self._live -= 1

    def _run(self, ruleset: Any, message: dict[str, Any]) -> list[str]:
        """Assert the fact and drain the action queue, returning the names of fired rules.

        The queue is drained with the C calls ``Ruleset.do_actions`` makes, minus its per-action
        glue (a ``Closure``, a JSON round trip of the session state and an ``update_state``):
        our consequents record nothing but their own name, which is the first key of each
        queued action message. This is where most of durable-rules' time went (§3.1 of
        ``docs/durable-rules.md``).
        """
        native = self._native
        try:
            handle = ruleset.assert_fact(message)
        except self._engine.MessageNotHandledException:
            return []
        except native.error as exc:
            raise EngineError(
                "engine_failure",
                f"durable-rules báo lỗi khi ghi dữ kiện: {exc}",
                f"durable-rules failed to assert the fact: {exc}",
            ) from exc
        fired: list[str] = []
        try:
            result = native.start_action_for_state(ruleset._handle, handle)
            action = result[1] if result else None
            while action:
                fired.append(action[2 : action.index('"', 2)])
                action = native.complete_and_start_action(ruleset._handle, handle)
        except native.error as exc:
            raise EngineError(
                "engine_failure",
                f"durable-rules báo lỗi khi chạy hành động: {exc}",
                f"durable-rules failed while running actions: {exc}",
            ) from exc
        return fired

    @staticmethod
    def _collect(
        compiled: CompiledRules, keys: Mapping[str, tuple[str, int, bool]], fired: list[str]
    ) -> dict[str, RuleStates]:
        seen: dict[tuple[str, int], bool] = {}
        for key in fired:
            rid, part, truth = keys[key]
            previous = seen.setdefault((rid, part), truth)
            if previous != truth:
                raise EngineError(
                    "engine_conflict",
                    f"Quy tắc {rid}: cả 'đạt' và 'không đạt' cùng khớp",
                    f"Rule {rid}: both the holds and fails patterns matched",
                )
        out: dict[str, RuleStates] = {}
        for r in compiled.rules:
            exc = seen.get((r.id, 2)) if r.exception is not None else None
            out[r.id] = (seen.get((r.id, 0)), seen.get((r.id, 1)), exc)
        return out

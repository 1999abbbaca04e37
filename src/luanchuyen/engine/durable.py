"""The durable-rules backend: the only module that imports ``durable``.

Used as ``docs/durable-rules.md`` prescribes, and hardened as ``docs/reliability.md`` records:

* the C core (``durable_rules_engine``) is driven directly, without ``durable.engine.Host``:
  no dispatcher threads (they race and segfault), no consequent code (the action queue is
  drained by our own loop, recording only the names of the rules that fired), no ruleset
  directory (so no "already registered" state can outlive an interrupted registration);
* one flat *fact* per evaluation (events are consumed by the first rule that fires);
* every condition is *planned* into leaves small enough for the engine: a sub-condition whose
  durable expression nests deeper than :data:`MAX_PATTERN_DEPTH` or reads more than
  :data:`MAX_LEAF_FACTS` facts is split into its parts, and Python combines the parts' states
  with the same Kleene logic the patterns express (``docs/durable-limits`` in
  ``docs/reliability.md``: the C core refuses nesting past 14 levels with error 113);
* each leaf is a pair of patterns, "holds" and "fails" (the negation pushed to the
  comparisons), so that a leaf whose facts are absent fires neither and is unknown;
* every pattern AND-ed with a ``kind`` discriminator (otherwise negative patterns match the
  engine's own state fact and loop forever), and placed in its own subtree of the alpha network
  by two more discriminators (a group of :data:`GROUP_SIZE` leaves, then the leaf itself): the
  C core walks matching alpha nodes with a fixed stack of 64 entries (error 303);
* leaves are spread over several C rulesets of at most :data:`LEAVES_PER_RULESET` leaves, each
  asserted with only the facts its leaves read: a message may hold at most 254 properties
  (error 302), which a single ruleset of ~180 rules already exceeded;
* a fresh sid per evaluation and ``delete_state`` in ``finally``, under a lock, so that at most
  one session is ever alive (the engine crashes past 1,024 live sessions); the open session is
  journalled *before* the C call that creates it, and the journal is repaired at the start of
  the next evaluation, so an exception at any line (``KeyboardInterrupt`` included) cannot leave
  the backend broken; on the main thread, SIGINT is deferred across an evaluation and delivered
  when it ends;
* at most :data:`MAX_PROGRAMS` compiled rule sets are kept; the least recently used is deleted
  from the C core (memory per version is bounded);
* after ``os.fork`` the child gets a fresh lock and repairs the journal, so a fork while another
  thread evaluates cannot deadlock the child;
* every engine failure is an :class:`~luanchuyen.errors.EngineError` (coded, per row in a batch).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import signal
import threading
import weakref
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import FrameType
from typing import Any, TypeAlias

from luanchuyen.errors import EngineError
from luanchuyen.facts.registry import FactValue
from luanchuyen.ruleset.compile import CompiledRules
from luanchuyen.ruleset.conditions import (
    All,
    AnyOf,
    Compare,
    Condition,
    Known,
    TriState,
    facts_of,
    negate,
    nnf,
)
from luanchuyen.verdict import RuleStates

__all__ = [
    "GROUP_SIZE",
    "LEAVES_PER_RULESET",
    "MAX_LEAF_FACTS",
    "MAX_LIVE_SESSIONS",
    "MAX_PATTERN_DEPTH",
    "MAX_PROGRAMS",
    "PROPERTY_BUDGET",
    "DurableBackend",
    "plan_condition",
    "to_durable",
]

#: Sessions alive at once never exceed this (the engine's own hard limit is 1,024).
MAX_LIVE_SESSIONS = 1
#: Leaves per discriminator group; keeps the C core's alpha-walk stack far below 64.
GROUP_SIZE = 8
#: Leaves per C ruleset (each leaf adds one discriminator property to the message).
LEAVES_PER_RULESET = 96
#: Properties of one asserted message, at most (the C core refuses 255: error 302).
PROPERTY_BUDGET = 200
#: ``$and``/``$or`` nesting of one pattern, at most (the C core refuses 15: error 113).
MAX_PATTERN_DEPTH = 8
#: Facts one leaf may read; a wider sub-condition is split into its parts.
MAX_LEAF_FACTS = 32
#: Values of an ``in`` kept in one pattern; a longer list is split into comparisons.
MAX_LEAF_VALUES = 64
#: Compiled rule sets kept in the C core; the least recently used is deleted.
MAX_PROGRAMS = 32
_KIND = "luanchuyen_fact"
_OPS = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte", "!=": "$neq"}

#: A plan: a leaf index, or ``(is_all, children)`` combined in Python with Kleene logic.
Plan: TypeAlias = "int | tuple[bool, tuple[Plan, ...]]"


def _import_native() -> Any:
    try:
        import durable_rules_engine
    except ImportError as exc:  # pragma: no cover - depends on the interpreter
        raise EngineError(
            "engine_unavailable",
            f"Không nạp được durable-rules ({exc}); cần Python 3.11 hoặc 3.12 và trình biên dịch C",
            f"durable-rules cannot be imported ({exc}); it needs Python 3.11 or 3.12 and a C compiler",
        ) from exc
    return durable_rules_engine


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


def _depth(expr: Any) -> int:
    """``$and``/``$or`` nesting of a durable expression."""
    if isinstance(expr, dict):
        inner = [_depth(v) for k, v in expr.items() if k in ("$and", "$or")]
        return 1 + max(inner, default=0) if inner else 0
    if isinstance(expr, list):
        return max((_depth(v) for v in expr), default=0)
    return 0


def _fits(cond: Condition) -> bool:
    if isinstance(cond, Compare) and cond.op in ("in", "not in"):
        assert isinstance(cond.value, tuple)
        return len(cond.value) <= MAX_LEAF_VALUES
    if len(facts_of(cond)) > MAX_LEAF_FACTS:
        return False
    return all(
        _depth(to_durable(c)) <= MAX_PATTERN_DEPTH for c in (cond, negate(cond)) if c is not None
    )


def plan_condition(cond: Condition, leaves: list[Condition]) -> Plan:
    """Split a condition (negation normal form) into leaves the engine accepts.

    Each leaf is appended to ``leaves``; the returned plan says how Python combines their
    states. A condition that fits is one leaf; an ``all``/``any`` that does not is split into
    its items; a long ``in``/``not in`` into single comparisons.
    """
    if _fits(cond):
        leaves.append(cond)
        return len(leaves) - 1
    if isinstance(cond, Compare):  # a long "in" / "not in"
        assert isinstance(cond.value, tuple)
        if cond.op == "in":
            return plan_condition(
                AnyOf(tuple(Compare(cond.fact, "==", v) for v in cond.value)), leaves
            )
        return plan_condition(All(tuple(Compare(cond.fact, "!=", v) for v in cond.value)), leaves)
    assert isinstance(cond, All | AnyOf)
    return (isinstance(cond, All), tuple(plan_condition(c, leaves) for c in cond.items))


def _combine(plan: Plan, leaf_states: Sequence[TriState]) -> TriState:
    """The Kleene value of a plan over its leaves' states."""
    if isinstance(plan, int):
        return leaf_states[plan]
    is_all, children = plan
    values = [_combine(c, leaf_states) for c in children]
    if is_all:
        return False if False in values else (None if None in values else True)
    return True if True in values else (None if None in values else False)


@dataclass(frozen=True, slots=True)
class _Chunk:
    """One C ruleset: its handle, rule names → (leaf, truth), discriminators, facts read."""

    handle: int
    keys: Mapping[str, tuple[int, bool]]
    discriminators: Mapping[str, int]
    facts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Program:
    """A compiled rule set in the engine: its chunks and, per rule part, the plan."""

    chunks: tuple[_Chunk, ...]
    parts: tuple[tuple[str, tuple[Plan | None, Plan | None, Plan | None]], ...]
    leaves: int


# ----------------------------------------------------------------------------- signals


class _DeferSigint:
    """A SIGINT handler that, inside :meth:`DurableBackend.states`, only records the signal.

    Outside that method (a handler left installed by an exception at the wrong line) it
    forwards at once, so it can never swallow a Ctrl-C.
    """

    def __init__(self, previous: Any) -> None:
        while isinstance(previous, _DeferSigint):
            previous = previous.previous
        self.previous: Any = previous
        self.pending: tuple[int, FrameType | None] | None = None

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        f = frame
        for _ in range(64):
            if f is None:
                break
            if f.f_code is _CRITICAL:
                self.pending = (signum, frame)
                return
            f = f.f_back
        self.deliver(signum, frame)

    def deliver(self, signum: int, frame: FrameType | None) -> None:
        previous = self.previous
        if callable(previous):
            previous(signum, frame)
        elif previous == signal.SIG_DFL:  # pragma: no cover - the default is a Python handler
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
        elif previous is None:  # installed outside Python: behave as Python's default
            raise KeyboardInterrupt


def _defer_sigint() -> _DeferSigint | None:
    if threading.current_thread() is not threading.main_thread():
        return None  # signals are only ever handled on the main thread
    try:
        guard = _DeferSigint(signal.getsignal(signal.SIGINT))
        signal.signal(signal.SIGINT, guard)
    except (ValueError, OSError):  # pragma: no cover - e.g. an embedded interpreter
        return None
    return guard


def _restore_sigint(guard: _DeferSigint | None) -> None:
    if guard is None:
        return
    installed: bool = signal.getsignal(signal.SIGINT) is guard
    if installed:
        previous = guard.previous
        signal.signal(signal.SIGINT, previous if previous is not None else signal.SIG_DFL)
    pending, guard.pending = guard.pending, None
    if pending is not None:
        guard.deliver(*pending)


# ----------------------------------------------------------------------------- fork

_backends: weakref.WeakSet[DurableBackend] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for backend in list(_backends):
        backend._reset_after_fork()


class DurableBackend:
    """Evaluates compiled rules with durable-rules 2.0.28 (thread-safe, bounded sessions)."""

    name = "durable"

    def __init__(self) -> None:
        self._native = _import_native()
        self._lock = threading.RLock()
        self._programs: OrderedDict[str, _Program] = OrderedDict()
        self._sids = itertools.count(1)
        # The journal: [ruleset handle, sid, assert result] of the session that may be alive.
        self._open: list[Any] | None = None
        self.max_live_seen = 0
        self.evaluations = 0
        self.evictions = 0
        _backends.add(self)

    @property
    def live_sessions(self) -> int:
        """Sessions that may be alive right now (0 between evaluations)."""
        return 0 if self._open is None else 1

    @property
    def ruleset_names(self) -> tuple[str, ...]:
        """The compiled rule sets held in the engine, by name (least recently used first)."""
        return tuple(f"luanchuyen@{s}" for s in self._programs)

    # ------------------------------------------------------------------ engine errors

    def _fail(self, what_vi: str, what_en: str, exc: BaseException) -> EngineError:
        return EngineError(
            "engine_failure",
            f"durable-rules báo lỗi khi {what_vi}: {exc}",
            f"durable-rules failed to {what_en}: {exc}",
            details={"exception": type(exc).__name__},
        )

    # ------------------------------------------------------------------ programs

    def _program(self, compiled: CompiledRules) -> _Program:
        found = self._programs.get(compiled.signature)
        if found is not None:
            self._programs.move_to_end(compiled.signature)
            return found
        while len(self._programs) >= MAX_PROGRAMS:
            _, old = self._programs.popitem(last=False)
            self.evictions += 1
            for chunk in old.chunks:
                with contextlib.suppress(Exception):  # a leaked ruleset is only memory
                    self._native.delete_ruleset(chunk.handle)
        leaves: list[Condition] = []
        parts: list[tuple[str, tuple[Plan | None, Plan | None, Plan | None]]] = []
        for rule in compiled.rules:
            conds = (rule.applies, rule.test, rule.exception)
            plans = tuple(None if c is None else plan_condition(nnf(c), leaves) for c in conds)
            parts.append((rule.id, plans))  # type: ignore[arg-type]
        chunks: list[_Chunk] = []
        try:
            for start, stop in self._chunk_bounds(leaves):
                chunks.append(self._create(compiled.signature, leaves, start, stop))
        except BaseException:
            for chunk in chunks:  # never keep half a program
                self._native.delete_ruleset(chunk.handle)
            raise
        program = _Program(tuple(chunks), tuple(parts), len(leaves))
        self._programs[compiled.signature] = program
        return program

    @staticmethod
    def _chunk_bounds(leaves: Sequence[Condition]) -> list[tuple[int, int]]:
        """Split the leaves into runs whose messages stay within :data:`PROPERTY_BUDGET`."""
        bounds: list[tuple[int, int]] = []
        start, facts = 0, set[str]()
        for i, leaf in enumerate(leaves):
            more = facts | facts_of(leaf)
            n = i + 1 - start
            props = len(more) + n + (n + GROUP_SIZE - 1) // GROUP_SIZE + 4  # + kind, _s, sid, id
            if i > start and (n > LEAVES_PER_RULESET or props > PROPERTY_BUDGET):
                bounds.append((start, i))
                start, more = i, set(facts_of(leaf))
            facts = more
        if start < len(leaves) or not bounds:
            bounds.append((start, len(leaves)))
        return bounds

    def _create(self, signature: str, leaves: Sequence[Condition], start: int, stop: int) -> _Chunk:
        definition: dict[str, Any] = {}
        keys: dict[str, tuple[int, bool]] = {}
        discriminators: dict[str, int] = {}
        facts: set[str] = set()
        for i in range(start, stop):
            group, own = f"_g{(i - start) // GROUP_SIZE}", f"_l{i - start}"
            discriminators[group] = discriminators[own] = 1
            guard: list[dict[str, Any]] = [{"kind": _KIND}, {group: 1}, {own: 1}]
            facts |= facts_of(leaves[i])
            for truth, variant in ((True, leaves[i]), (False, negate(leaves[i]))):
                expr = to_durable(variant)
                if expr is None:
                    continue
                key = f"l{i}{'t' if truth else 'f'}"
                keys[key] = (i, truth)
                definition[key] = {"all": [{"m": {"$and": [*guard, expr] if expr else guard}}]}
        # A sentinel that always fires: the C core corrupts its heap when the session of a
        # message that matched nothing is deleted (measured: docs/reliability.md).
        discriminators["_s"] = 1
        definition["s"] = {"all": [{"m": {"$and": [{"kind": _KIND}, {"_s": 1}]}}]}
        name = f"luanchuyen@{signature}#{start}"
        try:
            text = json.dumps(definition, ensure_ascii=False)
            handle = self._native.create_ruleset(name, text)
        except Exception as exc:
            raise self._fail("dựng bộ quy tắc", "build the rule set", exc) from exc
        return _Chunk(handle, keys, discriminators, tuple(sorted(facts)))

    # ------------------------------------------------------------------ sessions

    def _repair(self) -> None:
        """Close the journalled session, if any (left open by an exception at any line).

        Its queued actions are drained first, starting with ``start_action_for_state``: the C
        core corrupts its heap when a session is deleted with actions queued but none started,
        or when ``complete_and_start_action`` is called with none started (measured).
        """
        opened = self._open
        if opened is None:
            return
        handle, sid, result = opened
        native = self._native
        if result is not None and result[0] == 0:
            try:
                more = native.start_action_for_state(handle, result[1])
                for _ in range(2 * LEAVES_PER_RULESET + 4):  # at most one action per pattern
                    if not more:
                        break
                    more = native.complete_and_start_action(handle, result[1])
            except Exception:
                pass  # an action in progress: deleting the session is then safe (measured)
        try:  # one line: the deleted state is never drained again (that would segfault)
            opened[2] = native.delete_state(handle, sid)
        except Exception:  # never created (the assert did not run or failed), or deleted
            opened[2] = None
        self._open = None

    def _reset_after_fork(self) -> None:
        """In a forked child: a fresh lock (its holder does not exist here), nothing inherited.

        Another thread of the parent may have been inside the C core at the fork, halfway
        through a session or a rule set: the child's copy of that state is never touched
        again (draining or deleting it aborted the child, 1 fork in about 60 under load).
        The inherited rule sets are left as they are, a leak of the child's copy only, and
        the programs are rebuilt on first use.
        """
        self._lock = threading.RLock()
        self._open = None
        self._programs = OrderedDict()

    def states(
        self, compiled: CompiledRules, facts: Mapping[str, FactValue]
    ) -> dict[str, RuleStates]:
        """Assert the fact in fresh sessions, collect what fired, delete the sessions.

        On the main thread a Ctrl-C arriving meanwhile is delivered when this returns.
        """
        guard = _defer_sigint()
        try:
            with self._lock:
                self._repair()
                program = self._program(compiled)
                leaf_states: list[TriState] = [None] * program.leaves
                for chunk in program.chunks:
                    self._session(chunk, facts, leaf_states)
                self.evaluations += 1
            return self._collect(program, leaf_states)
        finally:
            _restore_sigint(guard)

    def _session(
        self, chunk: _Chunk, facts: Mapping[str, FactValue], leaf_states: list[TriState]
    ) -> None:
        sid = f"e{next(self._sids)}"
        message: dict[str, Any] = {f: facts[f] for f in chunk.facts if f in facts}
        message.update(chunk.discriminators)
        message["kind"] = _KIND
        message["sid"] = sid
        try:
            text = json.dumps(message, ensure_ascii=False)
        except (TypeError, ValueError) as exc:
            raise self._fail("ghi dữ kiện", "assert the fact", exc) from exc
        self._open = [chunk.handle, sid, None]  # journalled before the session can exist
        self.max_live_seen = max(self.max_live_seen, 1)
        try:
            fired = self._run(chunk.handle, text)
        finally:
            self._repair()
        for key in fired:
            found = chunk.keys.get(key)
            if found is None:
                continue  # the sentinel
            leaf, truth = found
            previous = leaf_states[leaf]
            if previous is not None and previous != truth:
                raise EngineError(
                    "engine_conflict",
                    "Cả mẫu 'đạt' và 'không đạt' của một điều kiện cùng khớp",
                    "Both the holds and the fails pattern of one condition matched",
                )
            leaf_states[leaf] = truth

    def _run(self, handle: int, text: str) -> list[str]:
        """Assert the fact and drain the action queue, returning the names of fired rules.

        The queue is drained with the C calls ``Ruleset.do_actions`` makes, minus its
        per-action glue (a ``Closure``, a JSON round trip of the session state and an
        ``update_state``): the name of a fired rule is the first key of its action message.
        """
        native = self._native
        journal = self._open
        assert journal is not None
        try:
            journal[2] = result = native.assert_fact(handle, text)  # one line: one trace step
        except Exception as exc:
            raise self._fail("ghi dữ kiện", "assert the fact", exc) from exc
        if result[0] != 0:  # 1: matched nothing (never: the sentinel); 2: already observed
            return []
        state = result[1]
        fired: list[str] = []
        try:
            started = native.start_action_for_state(handle, state)
            action = started[1] if started else None
            while action:
                fired.append(action[2 : action.index('"', 2)])
                action = native.complete_and_start_action(handle, state)
        except Exception as exc:
            raise self._fail("chạy hành động", "run the actions", exc) from exc
        return fired

    @staticmethod
    def _collect(program: _Program, leaf_states: Sequence[TriState]) -> dict[str, RuleStates]:
        out: dict[str, RuleStates] = {}
        for rule_id, (a, t, e) in program.parts:
            out[rule_id] = (
                None if a is None else _combine(a, leaf_states),
                None if t is None else _combine(t, leaf_states),
                None if e is None else _combine(e, leaf_states),
            )
        return out


_CRITICAL = DurableBackend.states.__code__
os.register_at_fork(after_in_child=_after_fork_in_child)

"""Candidate search: every cadre × every open post for one as-of date, rule set and move kind.

:func:`candidates` evaluates the whole cross product without building one pair of models
per (cadre, post). It splits the work by what each fact is a function of — the
:data:`~luanchuyen.facts.registry.Dependency` of every fact in the registry, the one place
that says it:

1. **cadre facts** (and the move's own fields, which every pair shares) are derived once per
   cadre, **post facts** once per post, both by
   :func:`~luanchuyen.facts.columnar.derive_columns` (the columnar derivation tested equal to
   ``derive_facts``);
2. the rules are split the same way: a rule whose facts are all cadre-side is evaluated once
   per cadre, a rule whose facts are all post-side once per post (vector backend), and only
   the *pair* rules need the pairs;
3. the pair facts (relation of the target to the posts held, level direction, unit change,
   degree and political-theory gaps, allowance gap, planning for the target) come in small
   families, each reading a few fields of the cadre and of the target post: a family's facts
   are derived once per (cadre key × post key) of the fields it reads, on one representative
   cadre and post of each key, by the same ``derive_columns``;
4. each pair rule is evaluated once per (cadre key × post key) of what it reads: the values
   of its cadre-side facts with the family keys of its pair facts, and likewise for the post;
5. the verdict of a pair joins the parts' reachable-verdict masks by broadcasting, with
   :func:`~luanchuyen.verdict_columns.combine_columns` (the one rule of combination), in
   chunks of cadres so that memory stays bounded (one ``int8`` per pair is kept).

Pairs the columnar derivation leaves to the row path (its ``fallback``: a birth after the
as-of date, integers beyond 64 bits…) are evaluated one by one with the reference backend,
which also gives their exact error. ``tests/test_candidates.py`` checks every pair's verdict
against the reference backend.

The result, :class:`CandidateSearch`, keeps the verdict code matrix, the eligible and
needs-review pairs as a sparse list, each post's candidates in the order of
:func:`luanchuyen.ranking.rank_candidates`, and gives any pair's full
:class:`~luanchuyen.decision.Decision` on demand (:meth:`CandidateSearch.decision`, which is
:func:`luanchuyen.evaluate` on that pair). Large results go to Arrow or Parquet
(:meth:`CandidateSearch.to_arrow`, :meth:`CandidateSearch.write_parquet`, pyarrow from the
``analysis`` extra); a pandas frame is built only of what is asked for.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias

import numpy as np
import numpy.typing as npt

from luanchuyen._edge import edge_function
from luanchuyen.analysis.ranking import rank_key
from luanchuyen.dates import to_date
from luanchuyen.engine.vector import StateColumns, VectorBackend
from luanchuyen.errors import InputError
from luanchuyen.evaluation import decide, default_rules, evaluate, get_backend, prepare
from luanchuyen.facts.columnar import ColumnarFacts, derive_columns
from luanchuyen.facts.registry import FACTS
from luanchuyen.models import Cadre, CurrentPost, Move, Position
from luanchuyen.models.validate import validate_model
from luanchuyen.ruleset.compile import CompiledRule, CompiledRules, RuleSet
from luanchuyen.ruleset.conditions import facts_of
from luanchuyen.verdict import OUTCOME_CODES, VERDICT_CODES, VERDICT_ORDER, Outcome, Verdict
from luanchuyen.verdict_columns import combine_columns

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from luanchuyen.decision import Decision
    from luanchuyen.engine.base import Backend
    from luanchuyen.evaluation import BackendName

__all__ = ["CODES", "CandidateSearch", "candidates"]

Bools: TypeAlias = npt.NDArray[np.bool_]
Ints: TypeAlias = npt.NDArray[np.int64]
Codes: TypeAlias = npt.NDArray[np.int8]
_Side: TypeAlias = Literal["cadre", "post", "pair"]

#: The verdict codes of :attr:`CandidateSearch.verdicts`: the vector backend's verdict
#: codes (0 eligible, 1 not eligible, 2 needs review, 3 unknown), then 4 for a pair whose
#: input is refused (a bad cadre or post record: :attr:`CandidateSearch.errors`).
CODES: Final[tuple[str, ...]] = (*(v.value for v in VERDICT_CODES), "error")
ELIGIBLE, NOT_ELIGIBLE, NEEDS_REVIEW, UNKNOWN, ERROR = range(5)
_PASS: Final = OUTCOME_CODES.index(Outcome.PASS)
#: Cadres whose pairs are combined at a time: bounds the temporary arrays to a few MiB.
_CHUNK_PAIRS: Final = 1 << 20
#: (cadre signature × post signature) rows derived at a time.
_COMBO_CHUNK: Final = 1 << 15
_ENGINE: Final = VectorBackend()
_NO_INT: Final = np.iinfo(np.int64).min
_RANKED_VERDICTS: Final = ("eligible", "needs_review")
#: Verdicts best first, then ``error`` (the order of counts and of the ranking).
_ORDER: Final[tuple[str, ...]] = (*(v.value for v in VERDICT_ORDER), "error")


# --------------------------------------------------------------------------- rule sides


def _side(rule: CompiledRule) -> _Side:
    """Which part of a pair a rule reads: cadre-side only, post-side only, or both."""
    sides = {FACTS[f].depends if f in FACTS else "pair" for f in rule.facts}
    if "pair" in sides or {"cadre", "post"} <= sides:
        return "pair"
    return "post" if "post" in sides else "cadre"


def _subset(compiled: CompiledRules, rules: Sequence[CompiledRule], side: str) -> CompiledRules:
    return replace(compiled, rules=tuple(rules), signature=f"{compiled.signature}#{side}")


@dataclass(frozen=True, slots=True)
class _Flags:
    """Per row of one part: the verdicts its rules can reach (the bit mask of
    :attr:`~luanchuyen.verdict_columns.ColumnVerdicts.possible`) and the priority rules
    passed. The rule of combination only needs each part's reachable mask: the masks of two
    parts combine as the rules of both would (:data:`_JOIN`)."""

    mask: npt.NDArray[np.int8]
    priority: Bools  # rows × priority rules of the part

    @classmethod
    def of(cls, states: StateColumns) -> _Flags:
        out = states.outcomes()
        is_prio = np.array([e == "priority" for e in states.effects], np.bool_)
        return cls(
            mask=np.asarray(states.combination().possible, np.int8),
            priority=np.asarray((out == _PASS)[:, is_prio], np.bool_),
        )

    @classmethod
    def empty(cls, n: int) -> _Flags:
        return cls(np.asarray(combine_columns(np.zeros((n, 0), np.int8)).possible, np.int8),
                   np.zeros((n, 0), np.bool_))  # fmt: skip


def _evaluate(compiled: CompiledRules, rules: Sequence[CompiledRule], side: str,
              facts: ColumnarFacts) -> _Flags:  # fmt: skip
    if not rules:
        return _Flags.empty(facts.n)
    return _Flags.of(_ENGINE.columns(_subset(compiled, rules, side), facts))


def _patterns(matrix: Bools) -> tuple[Ints, list[tuple[int, ...]]]:
    """Per row the index of its distinct pattern of set columns, and the patterns."""
    n, r = matrix.shape
    if r == 0 or n == 0:
        return np.zeros(n, np.int64), [()]
    packed = np.ascontiguousarray(np.packbits(matrix, axis=1))
    keys = packed.view(np.dtype((np.void, packed.shape[1]))).ravel()
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    shared = [tuple(np.flatnonzero(matrix[i]).tolist()) for i in first.tolist()]
    return inverse.reshape(-1).astype(np.int64), shared


# --------------------------------------------------------------------------- pair rules

_PRIO_BIT: Final = 8
_MASKS: Final = np.arange(8, dtype=np.int8)
#: ``_JOIN[a, b]``: the reachable mask of two parts whose masks are ``a`` and ``b``
#: (:func:`~luanchuyen.verdict_columns.combine_columns` on the two, the one rule of
#: combination); ``_VERDICT_OF_MASK[m]`` the verdict of a mask.
_JOIN: Final = np.asarray(
    combine_columns(np.stack(np.meshgrid(_MASKS, _MASKS, indexing="ij"), -1).reshape(-1, 2))
    .possible, np.int8
).reshape(8, 8)  # fmt: skip
_VERDICT_OF_MASK: Final = np.asarray(combine_columns(_MASKS[:, None]).verdicts, np.int8)
#: Rows of a pair rule's table evaluated at a time.
_TABLE_CHUNK: Final = 1 << 18


def _codes(cf: ColumnarFacts, name: str) -> Ints:
    """One fact column as integers, equal exactly where the values are (absent included)."""
    if name in cf.enums:
        labels: dict[str | None, int] = {}
        col = cf.enums[name]
        return np.fromiter((labels.setdefault(v, len(labels)) for v in col), np.int64, len(col))
    if name in cf.ints:
        values, present = cf.ints[name]
        return np.where(present, values, _NO_INT)
    if name in cf.bools:
        flags, known = cf.bools[name]
        return np.where(known, flags.astype(np.int64), -1)
    return np.zeros(cf.n, np.int64)  # a fact no column holds: absent everywhere


def _group(columns: Sequence[Ints], n: int) -> tuple[Ints, int]:
    """Per row the number of its distinct combination of the columns' values, and how many
    combinations there are (one pass of 1-D ``unique`` per column: no lexicographic sort)."""
    key = np.zeros(n, np.int64)
    size = 1
    for col in columns:
        values, inverse = np.unique(col, return_inverse=True)
        joined, key = np.unique(key * len(values) + inverse.reshape(-1), return_inverse=True)
        key = key.reshape(-1)
        size = len(joined)
    return key, size if n else 0


def _representatives(groups: Ints, size: int, prefer: Bools) -> Ints:
    """One row of each group, a ``prefer`` row when the group has one."""
    order = np.argsort(~prefer, kind="stable")
    found, first = np.unique(groups[order], return_index=True)
    reps = np.zeros(size, np.int64)
    reps[found] = order[first]
    return reps


def _take(cf: ColumnarFacts, names: Iterable[str], rows: Ints, into: _Columns) -> None:
    """Rows ``rows`` of the facts ``names`` of ``cf``, added to ``into``."""
    for f in names:
        if f in cf.ints:
            values, present = cf.ints[f]
            into.ints[f] = (values[rows], present[rows])
        elif f in cf.bools:
            flags, known = cf.bools[f]
            into.bools[f] = (flags[rows], known[rows])
        elif f in cf.enums:
            col = cf.enums[f]
            into.enums[f] = [col[k] for k in rows.tolist()]


@dataclass(slots=True)
class _Columns:
    """Fact columns being gathered for a table of rows (:class:`ColumnarFacts` once done)."""

    n: int
    ints: dict[str, tuple[Ints, Bools]] = field(default_factory=dict)
    bools: dict[str, tuple[Bools, Bools]] = field(default_factory=dict)
    enums: dict[str, list[str | None]] = field(default_factory=dict)

    def done(self) -> ColumnarFacts:
        return ColumnarFacts(self.n, self.ints, self.bools, self.enums, np.zeros(self.n, np.bool_))


@dataclass(frozen=True, slots=True, eq=False)
class _Family:
    """Pair facts derived together, and per cadre and per post the key of every field they
    read: the facts are derived once per (cadre key × post key), on one representative cadre
    and post of each (``facts`` holds those ``n_c × n_p`` rows, row-major)."""

    names: tuple[str, ...]
    of_cadre: Ints
    of_post: Ints
    n_p: int
    facts: ColumnarFacts
    fallback: Bools  # n_c × n_p

    def rows(self, cadres: Ints, posts: Ints) -> Ints:
        """The rows of ``facts`` of the pairs (cadres[k], posts[k])."""
        out: Ints = self.of_cadre[cadres] * self.n_p + self.of_post[posts]
        return out


@dataclass(frozen=True, slots=True)
class _PairRule:
    """One pair rule, evaluated once per (cadre key × post key): the keys hold the values of
    the rule's cadre-side facts and the family keys of its pair facts (and likewise for the
    post). ``table`` holds the bits of each key pair: the reachable mask, and
    :data:`_PRIO_BIT` when a priority rule passes."""

    rule: CompiledRule
    table: npt.NDArray[np.uint8]  # n_c × n_p, flattened
    of_cadre: Ints
    of_post: Ints
    n_p: int

    @classmethod
    def build(cls, compiled: CompiledRules, rule: CompiledRule, cf_c: ColumnarFacts,
              cf_p: ColumnarFacts, families: Mapping[str, _Family], codes: _CodeCache,
              ok_c: Bools, ok_p: Bools) -> _PairRule:  # fmt: skip
        names = sorted(rule.facts)
        on_c = [f for f in names if f in FACTS and FACTS[f].depends in ("cadre", "move")]
        on_p = [f for f in names if f in FACTS and FACTS[f].depends == "post"]
        fams = list(dict.fromkeys(families[f] for f in names if f in families))
        uc, n_c = _group([codes("cadre", f) for f in on_c] + [x.of_cadre for x in fams], cf_c.n)
        up, n_p = _group([codes("post", f) for f in on_p] + [x.of_post for x in fams], cf_p.n)
        rc, rp = _representatives(uc, n_c, ok_c), _representatives(up, n_p, ok_p)
        subset = _subset(compiled, [rule], f"pair:{rule.id}")
        table = np.empty(n_c * n_p, np.uint8)
        for lo in range(0, n_c * n_p, _TABLE_CHUNK):
            cell = np.arange(lo, min(n_c * n_p, lo + _TABLE_CHUNK), dtype=np.int64)
            cad, post = rc[cell // n_p], rp[cell % n_p]
            cols = _Columns(len(cell))
            _take(cf_c, on_c, cad, cols)
            _take(cf_p, on_p, post, cols)
            for x in fams:
                _take(x.facts, [f for f in names if f in x.names], x.rows(cad, post), cols)
            flags = _Flags.of(_ENGINE.columns(subset, cols.done()))
            bits = flags.mask.astype(np.uint8)
            if rule.effect == "priority":
                bits |= flags.priority[:, 0].astype(np.uint8) * _PRIO_BIT
            table[cell] = bits
        return cls(rule, table, uc, up, n_p)

    def gather(self, lo: int, hi: int) -> npt.NDArray[np.uint8]:
        """The bits of the pairs of cadres ``lo:hi`` × every post."""
        out: npt.NDArray[np.uint8] = self.table[
            self.of_cadre[lo:hi, None] * self.n_p + self.of_post[None, :]
        ]
        return out

    def pick(self, rows: Ints, cols: Ints) -> npt.NDArray[np.uint8]:
        """The bits of the pairs (rows[k], cols[k])."""
        out: npt.NDArray[np.uint8] = self.table[self.of_cadre[rows] * self.n_p + self.of_post[cols]]
        return out


# --------------------------------------------------------------------------- pair keys


def _body(body: str | None, shared: frozenset[str]) -> str | None:
    """A unit name as ``cross_unit`` compares it: only whether it matches the other side."""
    if not body:
        return None
    folded = body.casefold()
    return folded if folded in shared else "\x00other"


_CadreKey: TypeAlias = Callable[[Cadre], Hashable]
_PostKey: TypeAlias = Callable[[Position], Hashable]


def _families(c_bodies: frozenset[str], p_bodies: frozenset[str]
              ) -> tuple[tuple[tuple[str, ...], _CadreKey, _PostKey], ...]:  # fmt: skip
    """The pair facts of the registry in families, each with the fields of the cadre and of the
    target post it reads (``facts/posts.py``: nothing of the current post is read when the
    cadre has none; ``facts/planning.py`` for ``planned_for_target``). Every pair fact of the
    registry is in one family (checked below)."""

    def post_of(c: Cadre, key: Callable[[CurrentPost], Hashable]) -> Hashable:
        return None if c.current_post is None else (key(c.current_post),)

    def held(p: CurrentPost) -> Hashable:  # QĐ 368: a person ranked by the highest post
        return (p.level, p.title_code, p.rank,
                tuple((o.level, o.title_code, o.rank) for o in p.other_posts))  # fmt: skip

    return (
        (("level_direction",), lambda c: post_of(c, lambda p: p.level), lambda t: t.level),
        (("target_relation", "target_relation_source"), lambda c: post_of(c, held),
         lambda t: (t.level, t.title_code, t.rank)),
        (("allowance_gap",), lambda c: post_of(c, lambda p: p.allowance), lambda t: t.allowance),
        (("cross_unit",), lambda c: post_of(c, lambda p: _body(p.body, p_bodies)),
         lambda t: _body(t.body, c_bodies)),
        (("degree_gap",), lambda c: c.degree, lambda t: t.required_degree),
        (("political_theory_gap",), lambda c: c.political_theory,
         lambda t: t.required_political_theory),
        (("planned_for_target",),
         lambda c: None if c.planning is None
         else tuple((e.status, e.level, e.title_code) for e in c.planning),
         lambda t: (t.level, t.title_code)),
    )  # fmt: skip


_IN_FAMILIES: Final = frozenset(
    f for names, _, _ in _families(frozenset(), frozenset()) for f in names
)
_PAIR_FACTS: Final = frozenset(f for f, spec in FACTS.items() if spec.depends == "pair")
if _IN_FAMILIES != _PAIR_FACTS:  # pragma: no cover - a new pair fact needs its family
    raise RuntimeError(f"pair facts without a family: {sorted(_PAIR_FACTS ^ _IN_FAMILIES)}")


def _keyed(keys: Iterable[Hashable], n: int, prefer: Bools) -> tuple[Ints, Ints]:
    """Per row its key's number, and one representative row per key (``prefer`` first)."""
    index: dict[Hashable, int] = {}
    ids = np.fromiter((index.setdefault(k, len(index)) for k in keys), np.int64, n)
    return ids, _representatives(ids, len(index), prefer)


def _concat(parts: Sequence[ColumnarFacts]) -> ColumnarFacts:
    """The rows of ``parts`` one after the other (the same facts in each)."""
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    return ColumnarFacts(
        sum(p.n for p in parts),
        {f: (np.concatenate([p.ints[f][0] for p in parts]),
             np.concatenate([p.ints[f][1] for p in parts])) for f in first.ints},
        {f: (np.concatenate([p.bools[f][0] for p in parts]),
             np.concatenate([p.bools[f][1] for p in parts])) for f in first.bools},
        {f: [v for p in parts for v in p.enums[f]] for f in first.enums},
        np.concatenate([p.fallback for p in parts]),
    )  # fmt: skip


_CodeCache: TypeAlias = Callable[[str, str], Ints]


# --------------------------------------------------------------------------- the result


@dataclass(frozen=True)
class CandidateSearch:
    """The verdict of every (cadre, post) pair of a search, and what to rank and explain.

    Attributes:
        as_of: the evaluation date.
        kind: the move kind of every pair.
        cadre_ids: the cadre ids, in input order (the matrix rows).
        post_ids: the post ids (the matrix columns; the title when a post has no id).
        verdicts: ``int8`` (cadres × posts), codes into :data:`CODES`.
        pair_cadre, pair_post, pair_verdict: the eligible and needs-review pairs (the
            sparse list), in row-major order.
        pair_priority: per listed pair, the number of distinct priority grounds met (the
            ranking's ``priority_count``).
        remaining_service_months: per cadre (``-1`` entries of ``remaining_known`` unknown).
        errors: the refused records: ``("cadre", i)`` or ``("post", j)`` → the InputError.
        fallback_pairs: the pairs evaluated one by one (the columnar path left them).
    """

    as_of: date
    kind: str
    cadre_ids: tuple[str | None, ...]
    post_ids: tuple[str, ...]
    verdicts: Codes
    pair_cadre: Ints
    pair_post: Ints
    pair_verdict: Codes
    pair_priority: Ints
    remaining_service_months: Ints
    remaining_known: Bools
    errors: Mapping[tuple[str, int], InputError]
    fallback_pairs: int
    _cadres: Sequence[Cadre | None] = field(repr=False)
    _moves: Sequence[Move | None] = field(repr=False)
    _rules: RuleSet = field(repr=False)

    @property
    def shape(self) -> tuple[int, int]:
        """(cadres, posts)."""
        return (len(self.cadre_ids), len(self.post_ids))

    def counts(self) -> dict[str, int]:
        """Pairs by verdict, best first, then ``error``."""
        found = np.bincount(self.verdicts.ravel(), minlength=len(CODES)).tolist()
        return {v: int(found[CODES.index(v)]) for v in _ORDER}

    def _post(self, post: int | str) -> int:
        if isinstance(post, int):
            return post
        try:
            return self.post_ids.index(post)
        except ValueError:
            raise KeyError(post) from None

    def ranked(self, post: int | str, verdicts: Sequence[str] = _RANKED_VERDICTS) -> list[int]:
        """The cadres (row numbers) with one of ``verdicts`` for ``post``, best first.

        The order of :func:`luanchuyen.ranking.rank_candidates`: verdict, then the number of
        distinct priority grounds (more first), remaining service (more first, unknown
        last), the cadre id, the input order. ``verdicts`` may name only eligible and
        needs-review pairs (the listed ones)."""
        if not set(verdicts) <= set(_RANKED_VERDICTS):
            raise ValueError(f"ranked() lists {_RANKED_VERDICTS}, not {tuple(verdicts)}")
        j = self._post(post)
        wanted = [CODES.index(v) for v in verdicts]
        sel = np.flatnonzero((self.pair_post == j) & np.isin(self.pair_verdict, wanted))
        rows = self.pair_cadre[sel].tolist()
        known, months = self.remaining_known.tolist(), self.remaining_service_months.tolist()
        keys = {
            i: rank_key(CODES[v], p, months[i] if known[i] else None, str(self.cadre_ids[i] or ""))
            for i, v, p in zip(rows, self.pair_verdict[sel].tolist(),
                               self.pair_priority[sel].tolist(), strict=True)
        }  # fmt: skip
        return sorted(sorted(rows), key=keys.__getitem__)  # ties: the input order

    def move(self, post: int | str) -> Move:
        """The move of every pair with ``post`` (the kind, the template fields, the post)."""
        m = self._moves[self._post(post)]
        if m is None:
            raise self.errors[("post", self._post(post))]
        return m

    def decision(
        self, cadre: int, post: int | str, *, backend: BackendName | Backend = "durable"
    ) -> Decision:
        """The full :class:`Decision` of one pair: :func:`luanchuyen.evaluate` on it.

        Raises:
            InputError: the pair's cadre or post record is refused (its exact error).
        """
        c = self._cadres[cadre]
        if c is None:
            raise self.errors[("cadre", cadre)]
        return evaluate(c, self.move(post), as_of=self.as_of, rules=self._rules, backend=backend)

    def ranked_frame(self, post: int | str) -> pd.DataFrame:
        """The ranking of ``post``'s eligible and needs-review candidates with every column
        of :func:`luanchuyen.ranking.rank_candidates` (explanations included), built only
        for those candidates."""
        from luanchuyen.analysis.ranking import rank_candidates
        from luanchuyen.batch import evaluate_many

        rows = self.ranked(post)
        m = self.move(post)
        pairs = [(self._cadres[i], m) for i in rows]
        frame = evaluate_many(pairs, as_of=self.as_of, rules=self._rules)
        ranked = rank_candidates(frame)
        ranked["row"] = [rows[int(r)] for r in ranked["row"]]
        return ranked.rename(columns={"row": "cadre_row"})

    def to_arrow(self, *, every_pair: bool = False) -> pa.Table:
        """The listed pairs (or, with ``every_pair``, every pair) as an Arrow table:
        ``cadre``, ``post`` (row numbers), ``cadre_id``, ``post_id``, ``verdict`` (a
        dictionary column of :data:`CODES`) and, for listed pairs, ``priority_count``."""
        import pyarrow as pa

        if every_pair:
            n_c, n_p = self.shape
            cadre = np.repeat(np.arange(n_c, dtype=np.int64), n_p)
            post = np.tile(np.arange(n_p, dtype=np.int64), n_c)
            codes = self.verdicts.ravel()
        else:
            cadre, post, codes = self.pair_cadre, self.pair_post, self.pair_verdict
        columns: dict[str, Any] = {
            "cadre": pa.array(cadre),
            "post": pa.array(post),
            "cadre_id": pa.DictionaryArray.from_arrays(
                pa.array(cadre.astype(np.int32)), pa.array(list(self.cadre_ids), pa.string())
            ),
            "post_id": pa.DictionaryArray.from_arrays(
                pa.array(post.astype(np.int32)), pa.array(list(self.post_ids), pa.string())
            ),
            "verdict": pa.DictionaryArray.from_arrays(
                pa.array(codes.astype(np.int8)), pa.array(list(CODES))
            ),
        }
        if not every_pair:
            columns["priority_count"] = pa.array(self.pair_priority)
        return pa.table(columns)

    def write_parquet(self, path: str | os.PathLike[str], *, every_pair: bool = False) -> None:
        """Write :meth:`to_arrow` to a Parquet file, never half-written under ``path``
        (``io.safe_write.atomic_path``, reached by name: writing files is the edge's job)."""
        import pyarrow.parquet as pq

        with edge_function("luanchuyen.io.safe_write", "atomic_path")(path) as tmp:
            pq.write_table(self.to_arrow(every_pair=every_pair), tmp)

    def frame(self, verdicts: Sequence[str] = _RANKED_VERDICTS) -> pd.DataFrame:
        """A pandas frame of the pairs with one of ``verdicts`` only (any of :data:`CODES`)."""
        import pandas as pd

        wanted = [CODES.index(v) for v in verdicts]
        rows, cols = np.nonzero(np.isin(self.verdicts, wanted))
        return pd.DataFrame(
            {
                "cadre": rows,
                "post": cols,
                "cadre_id": [self.cadre_ids[i] for i in rows.tolist()],
                "post_id": [self.post_ids[j] for j in cols.tolist()],
                "verdict": [CODES[v] for v in self.verdicts[rows, cols].tolist()],
            }
        )


# --------------------------------------------------------------------------- the search


def _rows(data: Any, kind: Literal["cadre", "position"]) -> list[Any]:
    """Models or mappings as given, or a table's rows read as the sheet readers read them."""
    if type(data).__name__ != "DataFrame":
        return list(data)
    from luanchuyen.records.frames import records  # deferred: pandas (the analysis extra)

    return [r if isinstance(r, InputError) else getattr(r, kind) for r in records(data, kind)]


def _validate(values: Sequence[Any], cls: type[Any], prefix: str,
              errors: dict[tuple[str, int], InputError], side: str) -> list[Any]:  # fmt: skip
    out: list[Any] = []
    for i, value in enumerate(values):
        if isinstance(value, InputError):  # a table row that could not be read
            errors[(side, i)] = value
            out.append(None)
            continue
        try:
            out.append(validate_model(cls, value, prefix))
        except InputError as exc:
            errors[(side, i)] = exc
            out.append(None)
    return out


def _row_verdict(d: Decision) -> int:
    return VERDICT_CODES.index(Verdict(d.verdict))


def candidates(
    cadres: Sequence[Cadre | Mapping[str, Any]] | pd.DataFrame,
    posts: Sequence[Position | Mapping[str, Any]] | pd.DataFrame,
    *,
    as_of: date | str,
    rules: RuleSet | None = None,
    kind: str = "luan_chuyen",
    move: Mapping[str, Any] | None = None,
) -> CandidateSearch:
    """Evaluate every cadre against every post for one move kind on ``as_of``.

    Args:
        cadres: cadre models or mappings, or a table in the cadre layout
            (:func:`luanchuyen.io.tables.read_table`); a bad record makes its row ``error``.
        posts: target positions, models or mappings, or a table in the position layout; a
            bad one makes its column ``error``.
        as_of: the evaluation date; it selects the rules in force.
        rules: a :class:`RuleSet` (default: the national packs).
        kind: the move kind of every pair (``luan_chuyen``, ``dieu_dong``…).
        move: the other move fields shared by every pair (``decision_date``,
            ``planned_start``, ``special_case_requested``…), as for
            :func:`luanchuyen.batch.cross`.

    Returns:
        A :class:`CandidateSearch`: verdict codes of every pair, the eligible and
        needs-review pairs, rankings and decisions on demand.

    Raises:
        InputError: a bad ``as_of``, no rule in force, or move fields that are refused for
            every post (the error of the first post).
    """
    day = to_date(as_of, "as_of")
    ruleset = rules or default_rules()
    compiled = ruleset.compiled(day)
    errors: dict[tuple[str, int], InputError] = {}
    cadre_list = _rows(cadres, "cadre")
    good_c = _validate(cadre_list, Cadre, "cadre", errors, "cadre")
    post_list = _validate(_rows(posts, "position"), Position, "move.target", errors, "post")
    extra = dict(move or {})
    moves: list[Move | None] = [None] * len(post_list)
    for j, p in enumerate(post_list):
        if p is None:
            continue
        try:
            moves[j] = validate_model(Move, {**extra, "kind": kind, "target": p}, "move")
        except InputError as exc:
            errors[("post", j)] = exc
    if post_list and all(m is None for m in moves) and ("post", 0) in errors:
        raise errors[("post", 0)]
    gc = np.array([i for i, c in enumerate(good_c) if c is not None], np.int64)
    gp = np.array([j for j, m in enumerate(moves) if m is not None], np.int64)
    n_c, n_p = len(good_c), len(moves)
    verdicts = np.full((n_c, n_p), ERROR, np.int8)
    remaining = np.zeros(n_c, np.int64)
    remaining_known = np.zeros(n_c, np.bool_)
    kind_value = moves[int(gp[0])].kind.value if len(gp) else kind  # type: ignore[union-attr]
    ids = tuple(c.id if c is not None else None for c in good_c)
    titles = tuple((p.id or p.title) if p is not None else "" for p in post_list)
    empty = np.zeros(0, np.int64)

    def result(pc: Ints, pp: Ints, pv: Codes, prio: Ints, fallback: int) -> CandidateSearch:
        return CandidateSearch(
            as_of=day, kind=kind_value, cadre_ids=ids, post_ids=titles, verdicts=verdicts,
            pair_cadre=pc, pair_post=pp, pair_verdict=pv, pair_priority=prio,
            remaining_service_months=remaining, remaining_known=remaining_known,
            errors=errors, fallback_pairs=fallback, _cadres=good_c, _moves=moves,
            _rules=ruleset,
        )  # fmt: skip

    if not len(gc) or not len(gp):
        return result(empty, empty, np.zeros(0, np.int8), empty, 0)
    if not compiled.rules:  # the exact error of a single evaluation (no regime)
        prepare(good_c[int(gc[0])] or {}, moves[int(gp[0])] or {}, as_of=day, rules=ruleset)
    params = compiled.params
    cads: list[Cadre] = [good_c[i] for i in gc.tolist()]
    mvs: list[Move] = [moves[j] for j in gp.tolist()]

    # 1. cadre-side and post-side facts, once each
    cf_c = derive_columns([(c, mvs[0]) for c in cads], day, params)
    c_fallback = cf_c.fallback
    usable = np.flatnonzero(~c_fallback)
    rep_cadre = cads[int(usable[0])] if len(usable) else cads[0]
    cf_p = derive_columns([(rep_cadre, m) for m in mvs], day, params)
    p_fallback = cf_p.fallback  # a post the columnar path leaves: its pairs go one by one
    values, present = cf_c.ints["remaining_service_months"]
    remaining[gc] = values
    remaining_known[gc] = present & ~c_fallback

    # 2. the rules by side
    sides: dict[str, list[CompiledRule]] = {"cadre": [], "post": [], "pair": []}
    for rule in compiled.rules:
        sides[_side(rule)].append(rule)
    fc = _evaluate(compiled, sides["cadre"], "cadre", cf_c)
    fp = _evaluate(compiled, sides["post"], "post", cf_p)

    # 3. the pair facts, family by family, once per (cadre key × post key) of the family:
    #    the keys hold every field of the cadre and of the post the family's facts read
    c_bodies = frozenset(c.current_post.body.casefold() for c in cads
                         if c.current_post is not None and c.current_post.body)  # fmt: skip
    p_bodies = frozenset(m.target.body.casefold() for m in mvs if m.target.body)
    ok_c, ok_p = ~c_fallback, ~p_fallback
    wanted = {f for r in sides["pair"] for f in r.facts}
    families: dict[str, _Family] = {}
    for names, c_key, p_key in _families(c_bodies, p_bodies):
        if not wanted.intersection(names):
            continue
        of_c, reps_c = _keyed(map(c_key, cads), len(cads), ok_c)
        of_p, reps_p = _keyed((p_key(m.target) for m in mvs), len(mvs), ok_p)
        combos = [(cads[a], mvs[b]) for a in reps_c.tolist() for b in reps_p.tolist()]
        parts = [derive_columns(combos[k : k + _COMBO_CHUNK], day, params)
                 for k in range(0, len(combos), _COMBO_CHUNK)]  # fmt: skip
        facts = _concat(parts)
        family = _Family(names, of_c, of_p, len(reps_p), facts,
                         facts.fallback.reshape(len(reps_c), len(reps_p)))  # fmt: skip
        families.update(dict.fromkeys(names, family))
    used = list(dict.fromkeys(families.values()))

    # 4. each pair rule once per (cadre key × post key) of what it reads
    cache: dict[tuple[str, str], Ints] = {}

    def codes(side: str, name: str) -> Ints:
        if (side, name) not in cache:
            cache[(side, name)] = _codes(cf_c if side == "cadre" else cf_p, name)
        return cache[(side, name)]

    tables = [_PairRule.build(compiled, rule, cf_c, cf_p, families, codes, ok_c, ok_p)
              for rule in sides["pair"]]  # fmt: skip

    # 5. the verdict of every pair, in chunks of cadres
    step = max(1, _CHUNK_PAIRS // len(mvs))
    sub = np.empty((len(cads), len(mvs)), np.int8)
    fallback_rows: list[Ints] = []
    fallback_cols: list[Ints] = []
    for lo in range(0, len(cads), step):
        hi = min(len(cads), lo + step)
        mask = _JOIN[fc.mask[lo:hi, None], fp.mask[None, :]]
        for t in tables:
            mask = _JOIN[mask, t.gather(lo, hi) & 7]
        sub[lo:hi] = _VERDICT_OF_MASK[mask]
        left = c_fallback[lo:hi, None] | p_fallback[None, :]
        for x in used:
            left |= x.fallback[x.of_cadre[lo:hi, None], x.of_post[None, :]]
        r, col = np.nonzero(left)
        fallback_rows.append(r + lo)
        fallback_cols.append(col)
    f_rows = np.concatenate(fallback_rows)
    f_cols = np.concatenate(fallback_cols)

    # priority grounds of the cadre and post parts' patterns
    tests = {r.id: frozenset(facts_of(r.test)) for r in compiled.rules}
    prio_ids = [[r.id for r in sides[s] if r.effect == "priority"] for s in ("cadre", "post")]
    pc_id, pc_pat = _patterns(fc.priority)
    pp_id, pp_pat = _patterns(fp.priority)
    prio_pair = [t for t in tables if t.rule.effect == "priority"]

    # 6. the pairs the columnar path left: one by one, with their exact result
    engine = get_backend("reference")
    fb_priority: dict[tuple[int, int], int] = {}
    for i, j in zip(f_rows.tolist(), f_cols.tolist(), strict=True):
        ci, pj = int(gc[i]), int(gp[j])
        try:
            c, m, d0, comp, derived = prepare(cads[i], mvs[j], as_of=day, rules=ruleset)
        except InputError:
            sub[i, j] = ERROR
            continue
        d = decide(comp, engine.states(comp, derived.facts), derived, c, m, d0, engine.name)
        sub[i, j] = _row_verdict(d)
        met = [
            x.rule_id for x in d.criteria if x.effect == "priority" and x.outcome == Outcome.PASS
        ]
        fb_priority[(ci, pj)] = len(set().union(*(tests[r] for r in met)))
        if (months := derived.facts.get("remaining_service_months")) is not None:
            remaining[ci], remaining_known[ci] = int(months), True
    verdicts[np.ix_(gc, gp)] = sub

    # 7. the sparse list, with each listed pair's priority count
    li, lj = np.nonzero((sub == ELIGIBLE) | (sub == NEEDS_REVIEW))
    n_pp, n_x = len(pp_pat), 1 << len(prio_pair)
    mask = np.zeros(len(li), np.int64)
    for k, t in enumerate(prio_pair):
        passed = (t.pick(li, lj) & _PRIO_BIT) > 0
        mask |= passed.astype(np.int64) << k
    key = (pc_id[li] * n_pp + pp_id[lj]) * n_x + mask
    uniq, inv = np.unique(key, return_inverse=True)
    counts = []
    for k in uniq.tolist():
        rest, x = divmod(k, n_x)
        a, b = divmod(rest, n_pp)
        met = [prio_ids[0][t] for t in pc_pat[a]] + [prio_ids[1][t] for t in pp_pat[b]]
        met += [t.rule.id for q, t in enumerate(prio_pair) if x >> q & 1]
        counts.append(len(set().union(*(tests[r] for r in met))))
    prio = np.array(counts, np.int64)[inv.reshape(-1)] if len(uniq) else np.zeros(0, np.int64)
    pair_c, pair_p = gc[li], gp[lj]
    if fb_priority:  # the listed pairs are in row-major order: find each by its flat index
        flat = pair_c * n_p + pair_p
        for (ci, pj), n in fb_priority.items():
            at = int(np.searchsorted(flat, ci * n_p + pj))
            if at < len(flat) and flat[at] == ci * n_p + pj:
                prio[at] = n
    return result(pair_c, pair_p, sub[li, lj], prio, len(f_rows))

"""``evaluate``: one cadre, one move, one as-of date → a :class:`~luanchuyen.decision.Decision`."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import date
from typing import Any, Literal

from luanchuyen._version import __version__
from luanchuyen.dates import to_date
from luanchuyen.decision import Decision, Provenance, RuleStates, assemble
from luanchuyen.engine.base import Backend
from luanchuyen.engine.reference import ReferenceBackend
from luanchuyen.errors import InputError
from luanchuyen.facts import DerivedFacts, derive_facts
from luanchuyen.models import Cadre, Move
from luanchuyen.models.validate import validate_model
from luanchuyen.ruleset.compile import CompiledRules, RuleSet

__all__ = [
    "BackendName",
    "decide",
    "default_rules",
    "evaluate",
    "get_backend",
    "input_hash",
    "load_rules",
    "prepare",
    "replay",
]

BackendName = Literal["durable", "reference", "vector"]
_lock = threading.Lock()
_default_rules: RuleSet | None = None
_backends: dict[str, Backend] = {}


def load_rules(*packs: str, path: str | None = None, locality: str | None = None) -> RuleSet:
    """Load the national packs plus the overlays named (or declared for ``locality``).

    >>> rs = load_rules("chi-lang-2024")
    >>> rs.pack_ids
    ('nha-nuoc', 'qd65', 'chi-lang-2024')
    """
    return RuleSet.load(*packs, path=path, locality=locality)


def default_rules() -> RuleSet:
    """The national packs (loaded once, shared, thread-safe)."""
    global _default_rules
    if _default_rules is None:
        with _lock:
            if _default_rules is None:
                _default_rules = RuleSet.load()
    return _default_rules


def get_backend(backend: BackendName | Backend = "durable") -> Backend:
    """A backend by name (one shared instance per name) or the instance given."""
    if not isinstance(backend, str):
        return backend
    found = _backends.get(backend)
    if found is None:
        with _lock:
            found = _backends.get(backend)
            if found is None:
                if backend == "durable":
                    # deferred: durable-rules is a C extension, loaded only when asked for
                    from luanchuyen.engine.durable import DurableBackend

                    found = DurableBackend()
                elif backend == "vector":
                    # deferred: numpy, the ``analysis`` extra
                    from luanchuyen.engine.vector import VectorBackend

                    found = VectorBackend()
                elif backend == "reference":
                    found = ReferenceBackend()
                else:
                    raise InputError(
                        "invalid_value",
                        f"Bộ máy '{backend}' không có; dùng 'durable', 'reference' hoặc 'vector'",
                        f"Backend '{backend}' does not exist; use 'durable', 'reference' or 'vector'",
                        field="backend",
                    )
                _backends[backend] = found
    return found


def _as_date(value: date | str, field: str) -> date:
    return to_date(value, field)


def _model(cls: type[Cadre] | type[Move], value: Any, field: str) -> Any:
    return validate_model(cls, value, field)


def prepare(
    cadre: Cadre | Mapping[str, Any],
    move: Move | Mapping[str, Any],
    *,
    as_of: date | str,
    rules: RuleSet | None = None,
) -> tuple[Cadre, Move, date, CompiledRules, DerivedFacts]:
    """Validate the inputs, compile the rules in force and derive the facts."""
    c: Cadre = _model(Cadre, cadre, "cadre")
    m: Move = _model(Move, move, "move")
    day = _as_date(as_of, "as_of")
    compiled = (rules or default_rules()).compiled(day)
    if not compiled.rules:
        raise InputError(
            "no_regime",
            f"Không có quy tắc nào có hiệu lực ngày {day:%d/%m/%Y} (Quy định 65-QĐ/TW có hiệu lực từ 28/04/2022)",
            f"No rule is in force on {day:%d/%m/%Y} (Quy định 65-QĐ/TW applies from 28/04/2022)",
            field="as_of",
        )
    return c, m, day, compiled, derive_facts(c, m, day, compiled.params)


def evaluate(
    cadre: Cadre | Mapping[str, Any],
    move: Move | Mapping[str, Any],
    *,
    as_of: date | str,
    rules: RuleSet | None = None,
    backend: BackendName | Backend = "durable",
) -> Decision:
    """Decide whether ``cadre`` may make ``move`` on ``as_of``.

    Args:
        cadre: a :class:`Cadre` or its JSON-like mapping.
        move: a :class:`Move` (kind, target, decision date…) or its mapping.
        as_of: the evaluation date; it selects the regime and the rules in force. The
            library never reads the clock.
        rules: a :class:`RuleSet` (default: the national packs; overlays are never implied).
        backend: ``"durable"`` (durable-rules, the default), ``"reference"`` (pure Python)
            or any object implementing :class:`~luanchuyen.engine.base.Backend`.

    Raises:
        InputError: bad input, with a stable code, the field and a bilingual message.
    """
    c, m, day, compiled, derived = prepare(cadre, move, as_of=as_of, rules=rules)
    engine = get_backend(backend)
    return decide(compiled, engine.states(compiled, derived.facts), derived, c, m, day, engine.name)


def input_hash(cadre: Cadre, move: Move) -> str:
    """The receipt's hash of the validated inputs (canonical JSON, BLAKE2b-256)."""
    import hashlib

    digest = hashlib.blake2b(digest_size=32)
    digest.update(cadre.model_dump_json().encode())
    digest.update(b"\n")
    digest.update(move.model_dump_json().encode())
    return digest.hexdigest()


def decide(
    compiled: CompiledRules,
    states: Mapping[str, RuleStates],
    derived: DerivedFacts,
    cadre: Cadre,
    move: Move,
    as_of: date,
    backend_name: str,
) -> Decision:
    """Assemble the :class:`Decision` of one evaluation from a backend's per-rule states."""
    return assemble(
        compiled,
        states,
        derived,
        cadre_id=cadre.id,
        cadre_name=cadre.name,
        move_kind=move.kind.value,
        target_title=move.target.title,
        provenance=Provenance(
            library_version=__version__,
            packs=list(compiled.pack_ids),
            rules_hash=compiled.content_hash,
            ruleset_signature=compiled.signature,
            backend=backend_name,
            as_of=as_of,
            reference_date=derived.reference_date or as_of,
            input_hash=input_hash(cadre, move),
        ),
    )


def replay(
    stored: Decision | Mapping[str, Any] | str | bytes,
    cadre: Cadre | Mapping[str, Any],
    move: Move | Mapping[str, Any],
    *,
    rules: RuleSet | None = None,
) -> Decision:
    """Evaluate again the case a stored decision answered, and check it against its receipt.

    ``stored`` is the Decision, its JSON or the parsed JSON. The inputs must hash to the
    receipt's ``input_hash``, the packs (``rules``, default: the packs the receipt names) to its
    ``rules_hash``, this library must be the receipt's ``library_version``; the decision made
    again on the receipt's ``as_of`` with its backend must equal the stored one.

    Returns:
        The decision made again (equal to ``stored``).

    Raises:
        InputError: code ``receipt_mismatch``, ``field`` naming what differs
            (``provenance.input_hash``, ``provenance.rules_hash``,
            ``provenance.library_version`` or ``decision``).
    """
    import json

    if isinstance(stored, Decision):
        data: Mapping[str, Any] = json.loads(stored.to_json())
    elif isinstance(stored, str | bytes):
        data = json.loads(stored)
    else:
        data = stored
    receipt = data.get("provenance") or {}
    c = validate_model(Cadre, cadre, "cadre")
    m = validate_model(Move, move, "move")

    def mismatch(field: str, vi: str, en: str) -> InputError:
        return InputError("receipt_mismatch", vi, en, field=field)

    if receipt.get("input_hash") != input_hash(c, m):
        raise mismatch(
            "provenance.input_hash",
            "Hồ sơ đưa vào không phải hồ sơ đã được đánh giá (input_hash khác)",
            "These inputs are not the ones decided (input_hash differs)",
        )
    if receipt.get("library_version") != __version__:
        raise mismatch(
            "provenance.library_version",
            f"Kết luận do phiên bản {receipt.get('library_version')} lập, đây là {__version__}",
            f"Decided by version {receipt.get('library_version')}, this is {__version__}",
        )
    packs = [str(p) for p in receipt.get("packs") or ()]
    if rules is None:
        national = set(default_rules().pack_ids)
        rules = load_rules(*[p for p in packs if p not in national])
    if rules.content_hash != receipt.get("rules_hash") or list(rules.pack_ids) != packs:
        raise mismatch(
            "provenance.rules_hash",
            "Bộ quy tắc khác bộ quy tắc đã dùng (rules_hash khác)",
            "The rule packs differ from the ones used (rules_hash differs)",
        )
    backend = receipt.get("backend", "durable")
    as_of = str(receipt.get("as_of") or "")  # an empty date is refused by evaluate
    again = evaluate(c, m, as_of=as_of, rules=rules, backend=backend)
    if json.loads(again.to_json()) != dict(data):
        raise mismatch(
            "decision",
            "Đánh giá lại cho kết quả khác kết luận đã lưu",
            "Evaluating again gives another result than the stored decision",
        )
    return again

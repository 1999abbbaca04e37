"""The Decision: verdict, every criterion's outcome with reasons and citations, provenance.

Assembly is engine-independent: a backend only reports, for each rule, whether its
applicability, its requirement and its exception hold (true / false / unknown). The verdict
rule (outcomes, applied effects, the rule of combination) is :mod:`luanchuyen.verdict`'s;
this module adds the messages, citations, facts used and missing facts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any, Final, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from luanchuyen._edge import edge_function
from luanchuyen.facts import DerivedFacts
from luanchuyen.facts.inputs import inputs_for
from luanchuyen.facts.registry import FACTS, FactValue
from luanchuyen.facts.values import value_label
from luanchuyen.ruleset.compile import CompiledRule, CompiledRules
from luanchuyen.ruleset.schema import Citation, Effect, Text2
from luanchuyen.verdict import (
    VERDICT_LABELS,
    Outcome,
    RuleStates,
    Verdict,
    applied_effect,
    combine,
    outcome_of,
    rule_severities,
)

__all__ = [
    "SYSTEM_LABELS",
    "CriterionResult",
    "Decision",
    "Note",
    "Outcome",
    "Provenance",
    "RuleStates",
    "SystemVerdict",
    "Verdict",
    "assemble",
    "built",
    "criterion_result",
    "fill",
    "machine_context",
    "outcome_of",
]

#: Deprecated alias: the Vietnamese verdict labels (the catalogue is :mod:`luanchuyen.render.labels`).
VERDICT_VI: Mapping[Verdict, str] = VERDICT_LABELS["vi"]


class Note(Text2):
    """A message of the decision (a review, a warning, a priority) with the rule it comes from.

    ``rule_id`` names the criterion (``Decision.criterion(rule_id)`` gives its whole result);
    it is ``None`` only for the library's own notice that records dated after the as-of date
    were left out (``code`` ``records_after_as_of``), which no rule produces.
    """

    rule_id: str | None = Field(
        description="Tiêu chí sinh ra nội dung này / the rule the message comes from"
    )
    code: str | None = Field(
        None,
        description=(
            "records_after_as_of cho thông báo của thư viện, còn lại null / "
            "records_after_as_of for the library's own notice; else null"
        ),
    )


class CriterionResult(BaseModel):
    """One criterion's result with its reason and legal basis."""

    model_config = ConfigDict(frozen=True)

    rule_id: str
    pack: str
    title: Text2
    outcome: Outcome
    effect: Effect = Field(description="Declared effect of failing the rule")
    applied_effect: Effect | None = Field(
        None, description="Effect actually applied (a special case may turn block into review)"
    )
    message: Text2
    citation: Citation
    missing_facts: list[str] = Field(default_factory=list)
    facts_used: dict[str, FactValue] = Field(default_factory=dict)
    system: str | None = Field(None, description="dang / nha_nuoc: the system the rule comes from")

    @property
    def source_tag(self) -> str:
        """The citation's source tag ([V], [V-2], [R], [I])."""
        return self.citation.tag


class Provenance(BaseModel):
    """The receipt of a decision: what produced it, so that it can be replayed and checked.

    Evaluating the same inputs (``input_hash``) with the same packs (``rules_hash``), library
    version and ``as_of`` gives the same decision, byte for byte (tested).
    """

    model_config = ConfigDict(frozen=True)

    library_version: str
    packs: list[str]
    rules_hash: str
    ruleset_signature: str
    backend: str
    as_of: date
    reference_date: date
    input_hash: str = Field(
        "", description="BLAKE2b-256 of the validated cadre and move (canonical JSON)"
    )


#: The systems a rule may come from, in display order, with their labels.
SYSTEM_LABELS: Mapping[str, Text2] = {
    "dang": Text2(vi="Đảng", en="Party"),
    "nha_nuoc": Text2(vi="Nhà nước", en="State"),
}


class SystemVerdict(BaseModel):
    """The verdict of one system's rules (Đảng or Nhà nước) and whether the system binds.

    The verdict is :func:`luanchuyen.verdict.combine` over that system's rules alone. The
    system binds when one of its constraints (block or review) applies to the case, does not
    when none can apply, and is unknown otherwise (for example an unknown category).
    """

    model_config = ConfigDict(frozen=True)

    system: str
    label: Text2
    verdict: Verdict
    possible_verdicts: list[Verdict]
    binds: bool | None
    rules: list[str]


class Decision(BaseModel):
    """The answer for one (cadre, move, as_of)."""

    model_config = ConfigDict(frozen=True)

    cadre_id: str
    cadre_name: str
    move_kind: str
    target_title: str
    verdict: Verdict
    possible_verdicts: list[Verdict] = Field(
        default_factory=list,
        description=(
            "Every verdict some way of filling in the missing facts leads to, best first; "
            "one element exactly when the verdict is stated"
        ),
    )
    settling_facts: dict[str, list[str]] = Field(
        default_factory=dict,
        description=(
            "The rules whose unknowns could change the verdict (id → the facts that would "
            "settle it, exception included); empty when the verdict is stated"
        ),
    )
    priority: bool
    priority_reasons: list[Note] = Field(
        default_factory=list,
        description="Các ưu tiên được hưởng, kèm mã tiêu chí / the priorities that hold",
    )
    warnings: list[Note] = Field(
        default_factory=list, description="Các lưu ý, kèm mã tiêu chí / the warnings"
    )
    reviews: list[Note] = Field(
        default_factory=list,
        description=(
            "Các nội dung cần cấp có thẩm quyền xem xét, kèm mã tiêu chí / "
            "the failed reviews, for the competent authority"
        ),
    )
    blocking: list[str] = Field(default_factory=list, description="Ids of failed blocking rules")
    criteria: list[CriterionResult]
    missing_facts: dict[str, list[str]] = Field(
        default_factory=dict, description="Unknown rule id → facts that would settle it"
    )
    missing_inputs: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Unknown rule id → the input fields to fill in (cadre.date_of_birth…)",
    )
    facts: dict[str, FactValue]
    context: dict[str, Any] = Field(
        default_factory=dict,
        description=(
            "Giá trị các thông điệp trích dẫn, cho máy: ngày ISO yyyy-mm-dd / values the "
            "messages quote, for machines: dates ISO yyyy-mm-dd (also inside "
            "records_after_as_of), codes, and texts named *_vi / *_en"
        ),
    )
    context_display: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "Cách thông điệp hiển thị các giá trị đó (ngày dd/mm/yyyy) / how the messages "
            "show the context values that differ from their machine form, by the same keys"
        ),
    )
    provenance: Provenance
    systems: list[SystemVerdict] = Field(
        default_factory=list,
        description="The verdict of each system (Đảng, Nhà nước) and whether it binds",
    )

    def criterion(self, rule_id: str) -> CriterionResult:
        """The result of one rule, by id."""
        for c in self.criteria:
            if c.rule_id == rule_id:
                return c
        raise KeyError(rule_id)

    def outcomes(self) -> dict[str, Outcome]:
        """Rule id → outcome."""
        return {c.rule_id: c.outcome for c in self.criteria}

    def explain(self, lang: str = "vi") -> str:
        """A readable explanation (Vietnamese by default, ``lang="en"`` for English)."""
        text: str = edge_function("luanchuyen.render.text", "render_decision")(self, lang=lang)
        return text

    def to_json(self, *, indent: int | None = 2) -> str:
        """Serialise to JSON (stable key order; the same input gives the same bytes)."""
        return self.model_dump_json(indent=indent)

    def __str__(self) -> str:
        return self.explain("vi")

    def _repr_html_(self) -> str:
        html: str = edge_function("luanchuyen.render.html", "decision_html")(self)
        return html


# --------------------------------------------------------------------------- assembly

_M = TypeVar("_M", bound=BaseModel)
_FIELD_SETS: dict[type[BaseModel], set[str]] = {}


def built(cls: type[_M], values: dict[str, Any]) -> _M:
    """``cls.model_construct(**values)`` for complete, already valid values, ≈ 5× faster.

    The assembly builds ≈ 40 frozen models a decision from validated rule files and derived
    facts; pydantic's ``model_construct`` spends ≈ 12 µs each on defaults and aliases these
    values do not need (profiled: a quarter of a single evaluation). ``values`` must name every
    field. The result equals ``model_construct``'s and serialises to the same bytes
    (``tests/test_json_contract.py``).
    """
    fields = _FIELD_SETS.get(cls)
    if fields is None:
        fields = _FIELD_SETS.setdefault(cls, set(cls.model_fields))
    obj = cls.__new__(cls)
    object.__setattr__(obj, "__dict__", values)
    object.__setattr__(obj, "__pydantic_fields_set__", fields)  # frozen models: never mutated
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj


_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)?)\}")


def _fmt(value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return ("có" if value else "không") if lang == "vi" else ("yes" if value else "no")
    if isinstance(value, list | tuple):
        return ", ".join(_fmt(v, lang) for v in value)
    return str(value)


def fill(
    template: str,
    lang: str,
    facts: Mapping[str, Any],
    ctx: Mapping[str, Any],
    params: Mapping[str, Any],
) -> str:
    """Fill ``{fact}``, ``{param.name}`` and ``{ctx.name}`` placeholders; unknowns show as ``?``."""

    if "{" not in template:
        return template

    def sub(m: re.Match[str]) -> str:
        key = m.group(1)
        if key.startswith("param."):
            v = params.get(key[6:])
        elif key.startswith("ctx."):
            v = ctx.get(key[4:])
        else:
            v = facts.get(key)
            if v is not None and not isinstance(v, bool):
                words = value_label(key, v, lang)  # an enum fact's code never reaches text
                if words is not None:
                    return words
        return "?" if v is None else _fmt(v, lang)

    return _PLACEHOLDER.sub(sub, template)


_NOT_APPLICABLE = Text2(vi="Không áp dụng cho trường hợp này", en="Does not apply here")


def _unknown_message(missing: list[str]) -> Text2:
    # Vietnamese text names what a person knows (the meaning), never the internal fact name.
    names_vi = "; ".join(FACTS[n].vi for n in missing) or "—"
    names_en = ", ".join(f"{n} ({FACTS[n].en})" for n in missing) or "—"
    return Text2(
        vi=f"Chưa đủ dữ liệu để kết luận; cần bổ sung: {names_vi}",
        en=f"Not enough data to decide; needed: {names_en}",
    )


def criterion_result(
    rule: CompiledRule, states: RuleStates, derived: DerivedFacts, params: Mapping[str, Any]
) -> CriterionResult:
    """One criterion's result: its outcome, applied effect, filled message and facts."""
    applies, test, exception = states
    spec = rule.source.spec
    outcome = outcome_of(rule.effect, applies, test)
    used_names = rule.reads
    facts = derived.facts
    missing: list[str] = []
    applied = applied_effect(
        rule.effect, spec.exception.effect if spec.exception else None, outcome, exception
    )
    msgs = spec.messages
    if outcome is Outcome.PASS:
        text = msgs.pass_
    elif outcome is Outcome.FAIL:
        text = msgs.fail
    elif outcome is Outcome.NOT_APPLICABLE:
        text = msgs.not_applicable or _NOT_APPLICABLE
    else:
        missing = derived.missing(used_names)
        text = msgs.unknown or _unknown_message(missing)
    ctx = derived.context
    vi, en = fill(text.vi, "vi", facts, ctx, params), fill(text.en, "en", facts, ctx, params)
    if applied is not None and applied != rule.effect and spec.exception and spec.exception.note:
        vi, en = f"{vi} {spec.exception.note.vi}", f"{en} {spec.exception.note.en}"
    # A message without placeholders is the rule's own (frozen) text: shared, not rebuilt.
    message = text if (vi is text.vi and en is text.en) else built(Text2, {"vi": vi, "en": en})
    # Built from validated rule files and derived facts: no re-validation on this hot path.
    return built(
        CriterionResult,
        {
            "rule_id": rule.id,
            "pack": rule.source.pack_id,
            "title": spec.title,
            "outcome": outcome,
            "effect": rule.effect,
            "applied_effect": applied,
            "message": message,
            "citation": spec.citation,
            "missing_facts": missing,
            "facts_used": {n: facts[n] for n in sorted(used_names) if n in facts},
            "system": rule.source.system,
        },
    )


def _note(c: CriterionResult) -> Note:
    return built(Note, {"vi": c.message.vi, "en": c.message.en, "rule_id": c.rule_id, "code": None})


#: Context keys ending so are texts for people, kept as they are (their dates read dd/mm/yyyy).
_TEXT_SUFFIXES: Final = ("_vi", "_en")
_DMY = re.compile(r"\b(\d{2})/(\d{2})/(\d{4})\b")


def machine_context(context: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The context for machines (dates ISO) and the display strings that differ from it.

    The fact derivation writes dates as messages show them (``dd/mm/yyyy``); a value that is
    one date becomes a :class:`~datetime.date`, another value with dates in it gets them ISO,
    and the original text goes to the display map under the same key. Texts for people (keys
    ending ``_vi`` / ``_en``) stay as they are.

    >>> machine_context({"as_of": "01/06/2024", "age_vi": "44 tuổi", "n": 3})
    ({'age_vi': '44 tuổi', 'as_of': datetime.date(2024, 6, 1), 'n': 3}, {'as_of': '01/06/2024'})
    """
    machine: dict[str, Any] = {}
    display: dict[str, str] = {}
    for key, value in sorted(context.items()):
        if isinstance(value, str) and not key.endswith(_TEXT_SUFFIXES) and _DMY.search(value):
            try:
                whole = _DMY.fullmatch(value) is not None
                machine[key] = (
                    date(int(value[6:]), int(value[3:5]), int(value[:2]))
                    if whole
                    else _DMY.sub(r"\3-\2-\1", value)
                )
            except ValueError:  # not a calendar day: keep the text as it is
                machine[key] = value
                continue
            display[key] = value
        else:
            machine[key] = value
    return machine, display


def _exception_effect(rule: CompiledRule) -> Effect | None:
    exc = rule.source.spec.exception
    return exc.effect if exc is not None else None


def assemble(
    compiled: CompiledRules,
    states: Mapping[str, RuleStates],
    derived: DerivedFacts,
    *,
    cadre_id: str,
    cadre_name: str,
    move_kind: str,
    target_title: str,
    provenance: Provenance,
) -> Decision:
    """Build the :class:`Decision` from per-rule states reported by a backend."""
    rules = compiled.rules
    rule_states = [states[r.id] for r in rules]
    criteria = [
        criterion_result(r, st, derived, compiled.params)
        for r, st in zip(rules, rule_states, strict=True)
    ]
    severities = [
        rule_severities(r.effect, _exception_effect(r), st)
        for r, st in zip(rules, rule_states, strict=True)
    ]
    combination = combine(severities)
    blocking = [c.rule_id for c in criteria if c.applied_effect == "block"]
    reviews = [c for c in criteria if c.applied_effect == "review"]
    priorities = [c for c in criteria if c.effect == "priority" and c.outcome is Outcome.PASS]
    warnings = [_note(c) for c in criteria if c.applied_effect == "warn"]
    later = derived.context.get("records_after_as_of")
    if later:  # facts/_inputs.known_on left them out
        warnings.append(
            Note(
                vi="Hồ sơ ghi ngày sau ngày đánh giá, không được tính: "
                + derived.context["records_after_as_of_vi"],
                en="Records dated after the as-of date were left out: "
                + derived.context["records_after_as_of_en"],
                rule_id=None,
                code="records_after_as_of",
            )
        )
    context, display = machine_context(derived.context)
    return Decision(
        cadre_id=cadre_id,
        cadre_name=cadre_name,
        move_kind=move_kind,
        target_title=target_title,
        verdict=combination.verdict,
        possible_verdicts=list(combination.possible),
        settling_facts={
            rules[i].id: derived.missing(rules[i].facts) for i in combination.undecided
        },
        priority=bool(priorities),
        priority_reasons=[_note(c) for c in priorities],
        warnings=warnings,
        reviews=[_note(c) for c in reviews],
        blocking=blocking,
        criteria=criteria,
        missing_facts={
            c.rule_id: c.missing_facts for c in criteria if c.outcome is Outcome.UNKNOWN
        },
        missing_inputs={
            c.rule_id: inputs_for(c.missing_facts) for c in criteria if c.outcome is Outcome.UNKNOWN
        },
        facts=dict(sorted(derived.facts.items())),
        context=context,
        context_display=display,
        provenance=provenance,
        systems=_systems(rules, rule_states, severities),
    )


def _systems(
    rules: tuple[CompiledRule, ...], states: list[RuleStates], severities: list[Any]
) -> list[SystemVerdict]:
    """Each system's verdict: the one rule of combination over its own rules."""
    out: list[SystemVerdict] = []
    for name, label in SYSTEM_LABELS.items():
        idx = [i for i, r in enumerate(rules) if r.source.system == name]
        if not idx:
            continue
        combined = combine([severities[i] for i in idx])
        applies = [states[i][0] for i in idx if rules[i].effect in ("block", "review")]
        binds = (
            True
            if any(a is True for a in applies)
            else (False if all(a is False for a in applies) else None)
        )
        out.append(
            SystemVerdict.model_construct(
                system=name,
                label=label,
                verdict=combined.verdict,
                possible_verdicts=list(combined.possible),
                binds=binds,
                rules=[rules[i].id for i in idx],
            )
        )
    return out

"""The Decision: verdict, every criterion's outcome with reasons and citations, provenance.

Assembly is engine-independent: a backend only reports, for each rule, whether its
applicability, its requirement and its exception hold (true / false / unknown). This module
turns those into outcomes, messages, the verdict and the list of missing facts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from luanchuyen.facts import DerivedFacts
from luanchuyen.facts.registry import FACTS, FactValue
from luanchuyen.ruleset.compile import CompiledRule, CompiledRules
from luanchuyen.ruleset.conditions import TriState
from luanchuyen.ruleset.schema import Citation, Effect, Text2

__all__ = [
    "CriterionResult",
    "Decision",
    "Outcome",
    "Provenance",
    "RuleStates",
    "Verdict",
    "assemble",
    "outcome_of",
]

RuleStates = tuple[TriState, TriState, TriState]
"""Per rule: (applies, test, exception) — each True, False or None (unknown)."""


class Outcome(StrEnum):
    """The outcome of one criterion."""

    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"


class Verdict(StrEnum):
    """The overall verdict."""

    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    NEEDS_REVIEW = "needs_review"
    UNKNOWN = "unknown"


VERDICT_VI: Mapping[Verdict, str] = {
    Verdict.ELIGIBLE: "Đủ điều kiện",
    Verdict.NOT_ELIGIBLE: "Không đủ điều kiện",
    Verdict.NEEDS_REVIEW: "Cần cấp có thẩm quyền xem xét",
    Verdict.UNKNOWN: "Chưa đủ dữ liệu để kết luận",
}
OUTCOME_VI: Mapping[Outcome, str] = {
    Outcome.PASS: "Đạt",
    Outcome.FAIL: "Không đạt",
    Outcome.UNKNOWN: "Chưa rõ",
    Outcome.NOT_APPLICABLE: "Không áp dụng",
}
_CONSTRAINTS = frozenset({"block", "review", "warn"})


def outcome_of(effect: Effect, applies: TriState, test: TriState) -> Outcome:
    """Combine applicability and requirement into an outcome.

    A constraint (block / review / warn) whose requirement holds passes even when its
    applicability is unknown: it is met either way. A priority or an info needs to apply.
    """
    if applies is False:
        return Outcome.NOT_APPLICABLE
    if applies is True:
        if test is None:
            return Outcome.UNKNOWN
        return Outcome.PASS if test else Outcome.FAIL
    if test is True and effect in _CONSTRAINTS:
        return Outcome.PASS
    return Outcome.UNKNOWN


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

    @property
    def source_tag(self) -> str:
        """The citation's source tag ([V], [V-2], [R], [I])."""
        return self.citation.tag


class Provenance(BaseModel):
    """What produced a decision, so that it can be reproduced."""

    model_config = ConfigDict(frozen=True)

    library_version: str
    packs: list[str]
    rules_hash: str
    ruleset_signature: str
    backend: str
    as_of: date
    reference_date: date


class Decision(BaseModel):
    """The answer for one (cadre, move, as_of)."""

    model_config = ConfigDict(frozen=True)

    cadre_id: str
    cadre_name: str
    move_kind: str
    target_title: str
    verdict: Verdict
    priority: bool
    priority_reasons: list[Text2] = Field(default_factory=list)
    warnings: list[Text2] = Field(default_factory=list)
    reviews: list[Text2] = Field(default_factory=list)
    blocking: list[str] = Field(default_factory=list, description="Ids of failed blocking rules")
    criteria: list[CriterionResult]
    missing_facts: dict[str, list[str]] = Field(
        default_factory=dict, description="Unknown rule id → facts that would settle it"
    )
    facts: dict[str, FactValue]
    context: dict[str, Any] = Field(default_factory=dict)
    provenance: Provenance

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
        from luanchuyen.render.text import render_decision

        return render_decision(self, lang=lang)

    def to_json(self, *, indent: int | None = 2) -> str:
        """Serialise to JSON (stable key order; the same input gives the same bytes)."""
        return self.model_dump_json(indent=indent)

    def __str__(self) -> str:
        return self.explain("vi")

    def _repr_html_(self) -> str:
        from luanchuyen.render.html import decision_html

        return decision_html(self)


# --------------------------------------------------------------------------- assembly

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
        return "?" if v is None else _fmt(v, lang)

    return _PLACEHOLDER.sub(sub, template)


_NOT_APPLICABLE = Text2(vi="Không áp dụng cho trường hợp này", en="Does not apply here")


def _unknown_message(missing: list[str]) -> Text2:
    names_vi = ", ".join(f"{n} ({FACTS[n].vi})" for n in missing) or "—"
    names_en = ", ".join(f"{n} ({FACTS[n].en})" for n in missing) or "—"
    return Text2(
        vi=f"Chưa đủ dữ liệu để kết luận; cần bổ sung: {names_vi}",
        en=f"Not enough data to decide; needed: {names_en}",
    )


def _criterion(
    rule: CompiledRule, states: RuleStates, derived: DerivedFacts, params: Mapping[str, Any]
) -> CriterionResult:
    applies, test, exception = states
    spec = rule.source.spec
    outcome = outcome_of(rule.effect, applies, test)
    used_names = rule.reads
    facts = derived.facts
    missing: list[str] = []
    applied: Effect | None = None
    msgs = spec.messages
    if outcome is Outcome.PASS:
        text = msgs.pass_
    elif outcome is Outcome.FAIL:
        text = msgs.fail
        applied = rule.effect
        if exception is True and spec.exception is not None:
            applied = spec.exception.effect
    elif outcome is Outcome.NOT_APPLICABLE:
        text = msgs.not_applicable or _NOT_APPLICABLE
    else:
        missing = derived.missing(used_names)
        text = msgs.unknown or _unknown_message(missing)
    ctx = derived.context
    vi, en = fill(text.vi, "vi", facts, ctx, params), fill(text.en, "en", facts, ctx, params)
    if applied is not None and applied != rule.effect and spec.exception and spec.exception.note:
        vi, en = f"{vi} {spec.exception.note.vi}", f"{en} {spec.exception.note.en}"
    # Built from validated rule files and derived facts: no re-validation on this hot path.
    return CriterionResult.model_construct(
        rule_id=rule.id,
        pack=rule.source.pack_id,
        title=spec.title,
        outcome=outcome,
        effect=rule.effect,
        applied_effect=applied,
        message=Text2.model_construct(vi=vi, en=en),
        citation=spec.citation,
        missing_facts=missing,
        facts_used={n: facts[n] for n in sorted(used_names) if n in facts},
    )


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
    criteria = [_criterion(r, states[r.id], derived, compiled.params) for r in compiled.rules]
    blocking = [
        c.rule_id for c in criteria if c.outcome is Outcome.FAIL and c.applied_effect == "block"
    ]
    reviews = [c for c in criteria if c.outcome is Outcome.FAIL and c.applied_effect == "review"]
    unknown_blocks = [c for c in criteria if c.outcome is Outcome.UNKNOWN and c.effect == "block"]
    if blocking:
        verdict = Verdict.NOT_ELIGIBLE
    elif reviews:
        verdict = Verdict.NEEDS_REVIEW
    elif unknown_blocks:
        verdict = Verdict.UNKNOWN
    else:
        verdict = Verdict.ELIGIBLE
    priorities = [c for c in criteria if c.effect == "priority" and c.outcome is Outcome.PASS]
    warnings = [
        c.message for c in criteria if c.outcome is Outcome.FAIL and c.applied_effect == "warn"
    ]
    return Decision(
        cadre_id=cadre_id,
        cadre_name=cadre_name,
        move_kind=move_kind,
        target_title=target_title,
        verdict=verdict,
        priority=bool(priorities),
        priority_reasons=[c.message for c in priorities],
        warnings=warnings,
        reviews=[c.message for c in reviews],
        blocking=blocking,
        criteria=criteria,
        missing_facts={
            c.rule_id: c.missing_facts for c in criteria if c.outcome is Outcome.UNKNOWN
        },
        facts=dict(sorted(derived.facts.items())),
        context=dict(sorted(derived.context.items())),
        provenance=provenance,
    )

"""Vietnamese text carries no raw code and no English: rule templates are linted, filled
messages and explanations of the worked examples are checked."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from luanchuyen.facts.registry import FACTS
from luanchuyen.facts.values import value_label
from luanchuyen.ruleset.loader import discover_packs, load_pack

ROOT = Path(__file__).resolve().parent.parent
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)?)\}")
_CODE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")  # snake_case: a code, never a word
#: English words that are not Vietnamese syllables (``to``, ``con``… are Vietnamese: not here).
_ENGLISH = frozenset(
    [
        "the",
        "and",
        "of",
        "is",
        "are",
        "not",
        "with",
        "for",
        "from",
        "than",
        "equivalent",
        "higher",
        "lower",
        "months",
        "years",
        "rotation",
        "transfer",
        "secondment",
        "required",
        "missing",
        "unknown",
        "eligible",
        "review",
        "applies",
        "none",
        "true",
        "false",
        "yes",
        "no",
        "needs",
        "needed",
        "data",
        "rule",
        "rules",
        "post",
        "level",
    ]
)


def problems(text: str, *, template: bool = True) -> list[str]:
    """What would put a raw code or English into Vietnamese text (empty when clean)."""
    found: list[str] = []
    if template:
        for name in _PLACEHOLDER.findall(text):
            if name.startswith("ctx.") and name.endswith("_en"):
                found.append(f"English context {{{name}}}")
            spec = FACTS.get(name)
            if spec is not None and spec.type == "enum":
                raw = [v for v in spec.values if (value_label(name, v) or v) == v]
                if raw:
                    found.append(f"{{{name}}} would show raw codes {raw[:3]}")
        text = _PLACEHOLDER.sub(" ", text)
    found += [f"code «{c}»" for c in _CODE.findall(text)]
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", text)}
    found += [f"English «{w}»" for w in sorted(words & _ENGLISH)]
    return found


def _vi_templates() -> Iterator[tuple[str, str]]:
    for pack_id, pack_dir in sorted(discover_packs(None).items()):
        for rule in load_pack(pack_dir).rules:
            spec = rule.spec
            texts = [("title", spec.title.vi)]
            for kind in ("pass_", "fail", "unknown", "not_applicable"):
                msg = getattr(spec.messages, kind, None)
                if msg is not None:
                    texts.append((kind.rstrip("_"), msg.vi))
            if spec.exception is not None and spec.exception.note is not None:
                texts.append(("exception.note", spec.exception.note.vi))
            for kind, text in texts:
                yield f"{pack_id}:{rule.id}:{kind}", text


TEMPLATES = list(_vi_templates())


def test_the_lint_catches_codes_and_english() -> None:
    assert problems("Chức vụ đến {target_relation} so với hiện tại") == []
    assert problems("Chức vụ đến equivalent so với hiện tại")
    assert problems("Hình thức: luan_chuyen")
    assert problems("Tuổi: {ctx.age_en}")
    assert problems("Xếp loại: {latest_rating}") == []
    assert problems("Không đủ điều kiện; cần bổ sung ngày sinh") == []


@pytest.mark.parametrize(("where", "text"), TEMPLATES, ids=[w for w, _ in TEMPLATES])
def test_rule_templates_are_vietnamese(where: str, text: str) -> None:
    assert problems(text) == [], where


def test_worked_examples_read_in_vietnamese() -> None:
    import luanchuyen as lc
    from luanchuyen.io.cases import load_cases

    for file in sorted((ROOT / "examples" / "cases").glob("*.yaml")):
        for case in load_cases(file):
            rules = lc.load_rules(*case.rules, locality=case.locality)
            d = lc.evaluate(case.cadre, case.move, as_of=case.as_of, rules=rules)
            for c in d.criteria:
                assert problems(c.message.vi, template=False) == [], (case.name, c.rule_id)

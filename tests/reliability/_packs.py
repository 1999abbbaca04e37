"""Synthetic rule packs for the reliability tests (synthetic rules, no real law)."""

from __future__ import annotations

from pathlib import Path

from luanchuyen.ruleset.compile import RuleSet

PACK = """
id: {name}
kind: national
title: {{vi: Thử, en: Test}}
jurisdiction: VN
source: {{document: test, tag: I}}
valid_from: 2020-01-01
"""


def nested(depth: int, i: int = 0) -> str:
    """A condition nested ``depth`` levels deep, alternating ``any`` and ``all``."""
    cond = f'{{fact: age_months, op: ">=", value: {i * 3}}}'
    for d in range(depth - 1):
        op = "any" if d % 2 == 0 else "all"
        cond = (
            f'{{{op}: [{{fact: gender, op: "==", value: nam}}, {cond}, '
            f'{{fact: age_months, op: ">", value: {d + i}}}]}}'
        )
    return cond


def write_pack(tmp: Path, n: int, depth: int = 1, name: str = "wide") -> Path:
    """A pack of ``n`` block rules whose requirement is nested ``depth`` levels deep."""
    pack = tmp / name
    (pack / "rules").mkdir(parents=True, exist_ok=True)
    (pack / "pack.yaml").write_text(PACK.format(name=name), encoding="utf-8")
    rules = ["rules:"]
    for i in range(n):
        rules.append(
            f"""  - id: r{i}
    title: {{vi: r{i}, en: r{i}}}
    kinds: [luan_chuyen]
    effect: block
    applies_when: {{any: [{{fact: gender, op: "==", value: nam}}, {{fact: age_months, op: ">", value: {i}}}]}}
    require: {nested(depth, i)}
    messages: {{pass: {{vi: ok, en: ok}}, fail: {{vi: ko, en: fails}}}}
    citation: {{document: test, tag: I}}"""
        )
    (pack / "rules" / "all.yaml").write_text("\n".join(rules), encoding="utf-8")
    return pack


def pack_rules(tmp: Path, n: int, depth: int = 1, name: str = "wide") -> RuleSet:
    return RuleSet.from_paths([write_pack(tmp, n, depth, name)])

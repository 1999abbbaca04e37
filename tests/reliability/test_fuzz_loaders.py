"""Fuzzing the two loaders of outside data: rule packs and case files.

Whatever bytes or structures they are given, the rule loader raises only
:class:`~luanchuyen.errors.RuleFileError` and the case loader only
:class:`~luanchuyen.errors.InputError`, always with a code listed in ``ERROR_CODES`` and in
``docs/errors.md``. Three kinds of input: random text made of YAML tokens, random nested
structures dumped as YAML or JSON, and random mutations of the real national pack and of a
valid case (so that the fuzzing reaches the deep validation, not just the parser). A pack
that loads is also compiled on several dates and evaluated; a case that loads is evaluated.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factories import base_cadre, base_move
from luanchuyen.engine.reference import ReferenceBackend
from luanchuyen.errors import ERROR_CODES, InputError, LuanChuyenError, RuleFileError
from luanchuyen.evaluation import evaluate
from luanchuyen.facts import derive_facts
from luanchuyen.facts.registry import FACTS
from luanchuyen.io.cases import load_cases
from luanchuyen.models import Cadre, Move
from luanchuyen.ruleset.compile import RuleSet
from luanchuyen.ruleset.conditions import OPS
from luanchuyen.ruleset.loader import default_rules_dir, load_pack, read_yaml

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTED = {code for code in ERROR_CODES if f"`{code}`" in (ROOT / "docs/errors.md").read_text()}
NATIONAL = default_rules_dir() / "qd65"
PACK_META: dict[str, Any] = read_yaml(NATIONAL / "pack.yaml")
RULE_FILES: dict[str, Any] = {p.name: read_yaml(p) for p in sorted(NATIONAL.glob("rules/*.yaml"))}
DATES = (date(2021, 1, 1), date(2024, 6, 1), date(2026, 11, 23))
# Derandomized: the same examples on every run (no flaky CI); ``make soak`` explores at random
# for longer (benchmarks/fuzz_atheris.py).
FUZZ = settings(
    max_examples=50,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

TOKENS = [
    ":", ": ", "-", "- ", "{", "}", "[", "]", ",", "!!", "!!str ", "!!int ", "!!binary ",
    "!!python/object/apply:os.system [echo x]", "!!python/name:os.system", "&a ", "*a", "<<: *a",
    "'", '"', "\n", "  ", "    ", "\t", "#", "---", "...", "%YAML 1.2\n", "%TAG ! tag:x,2000:\n",
    "|", ">", "?", "~", "null", "true", "no", "1e400", "0x1F", "0o17", ".nan", "-.inf",
    "31/02/2024", "2024-02-31", "2024-06-01", "9" * 40, "id", "rules", "kind", "national",
    "fact", "op", "value", "param", "all", "any", "not", "require", "applies_when", "messages",
    "effect", "block", "kinds", "luan_chuyen", "age_months", "is known", "in", ">=", "\x00",
    "\ufeff", "ặ", "Nữ", "e\u0301", "🙂", "\u202e", "\\", "\r\n",
]  # fmt: skip
SCHEMA_KEYS = [
    "id", "kind", "title", "vi", "en", "jurisdiction", "source", "document", "tag", "valid_from",
    "valid_to", "parameters", "values", "from", "to", "value", "citation", "rules", "kinds",
    "effect", "applies_when", "require", "exception", "when", "note", "messages", "pass", "fail",
    "unknown", "fact", "op", "param", "all", "any", "not", "overrides", "localities", "extends",
    "cadre", "move", "as_of", "name", "gender", "date_of_birth", "target", "level", "expected",
]  # fmt: skip

yaml_soup = st.lists(st.sampled_from(TOKENS) | st.text(max_size=6), max_size=60).map("".join)
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(TOKENS)
    | st.dates()
)
keys = st.sampled_from(SCHEMA_KEYS) | st.text(max_size=8)
#: Plausible values: real fact names, operators, parameters, codes, dates, thresholds.
DOMAIN = [
    *FACTS, *OPS, *PACK_META.get("parameters", {}), "not_a_fact", "nam", "nu", "nữ", "Nữ",
    "luan_chuyen", "Luân chuyển", "dieu_dong", "biet_phai", "tinh", "huyen", "xa", "htt", "kht",
    "block", "review", "warn", "priority", "info", "V", "V-2", "R", "I", "01/06/2024",
    "31/02/2024", "2030-01-01", "1899", "05/2024", 0, 1, -1, 12, 36, 60, 120, 480, 2**64,
    True, False, None, [], {}, ["nam"], [1, 2], ["luan_chuyen", "ma_la"],
]  # fmt: skip
domain = st.sampled_from(DOMAIN)
structures = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(keys, inner, max_size=6),
    max_leaves=40,
)


def _dump(data: Any, as_json: bool) -> str:
    if as_json:
        return json.dumps(data, default=str, ensure_ascii=False)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@st.composite
def mutated(draw: st.DrawFn, data: Any) -> Any:
    """``data`` with a few random edits: a value replaced, a key dropped or added."""

    def edit(node: Any, depth: int) -> Any:
        if isinstance(node, dict) and node:
            key = draw(st.sampled_from(sorted(node, key=str)))
            action = draw(st.integers(0, 8))  # 3 and above: go deeper
            out = dict(node)
            if action == 0:
                out.pop(key)
            elif action in (1, 2):
                out[key] = draw(domain | structures)
            elif action == 3:
                out[draw(keys)] = draw(domain | structures)
            else:
                out[key] = edit(node[key], depth + 1)
            return out
        if isinstance(node, list) and node:
            i = draw(st.integers(0, len(node) - 1))
            out_list = list(node)
            action = draw(st.integers(0, 5))
            if action >= 2:
                out_list[i] = edit(node[i], depth + 1)
            elif action == 1:
                out_list[i] = draw(domain | structures)
            else:
                out_list.insert(i, node[i])  # a duplicate (duplicate ids…)
            return out_list
        return draw(domain | structures)

    for _ in range(draw(st.integers(1, 4))):
        data = edit(data, 0)
    return data


@contextmanager
def _pack(meta: str, rules: dict[str, str]) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "fuzzpack"
        (root / "rules").mkdir(parents=True)
        (root / "pack.yaml").write_text(meta, encoding="utf-8", errors="surrogatepass")
        for name, text in rules.items():
            (root / "rules" / name).write_text(text, encoding="utf-8", errors="surrogatepass")
        yield root


SAMPLE = (Cadre.model_validate(base_cadre()), Move.model_validate(base_move()))


#: What the fuzzing reached, by outcome (``ok`` or the error code): printed with ``-s``.
REACHED: Counter[str] = Counter()


#: YAML that PyYAML's *safe* loader rejects with a plain ``ValueError``, ``KeyError``,
#: ``AttributeError`` or ``IndexError`` instead of a ``YAMLError`` (its scalar constructors);
#: ``read_yaml`` must turn each into a coded error.
YAML_CONSTRUCTOR_TRAPS = ("d: 2024-02-31", "d: !!int ~", "d: !!int ", "d: !!float x",
                          "d: !!bool maybe", "d: !!timestamp x")  # fmt: skip


def _check(error: LuanChuyenError | None) -> None:
    REACHED[error.code if error is not None else "ok"] += 1
    if error is not None:
        assert error.code in DOCUMENTED, error.code
        assert error.message_vi
        assert error.message_en


def _load_and_use_pack(root: Path) -> None:
    """Load, compile on several dates and evaluate: only documented RuleFileErrors may escape."""
    error: RuleFileError | None = None
    try:
        pack = load_pack(root)
        rules = RuleSet([pack])
        for day in DATES:
            compiled = rules.compiled(day)
            facts = derive_facts(*SAMPLE, day, compiled.params).facts
            ReferenceBackend().states(compiled, facts)
    except RuleFileError as exc:
        error = exc
    _check(error)


def _load_and_use_cases(path: Path) -> None:
    """Load and evaluate: only documented InputErrors may escape."""
    error: InputError | None = None
    try:
        for case in load_cases(path):
            evaluate(case.cadre, case.move, as_of=case.as_of, backend="reference")
    except InputError as exc:
        error = exc
    _check(error)


# ----------------------------------------------------------------- rule packs


@FUZZ
@given(meta=yaml_soup, rules=yaml_soup)
def test_rule_loader_random_text(meta: str, rules: str) -> None:
    with _pack(meta, {"a.yaml": rules}) as root:
        _load_and_use_pack(root)
    with _pack(_dump(PACK_META, False), {"a.yaml": rules}) as root:
        _load_and_use_pack(root)


@FUZZ
@given(data=structures, as_json=st.booleans(), in_meta=st.booleans())
def test_rule_loader_random_structures(data: Any, as_json: bool, in_meta: bool) -> None:
    text = _dump(data, as_json)
    if in_meta:
        files = {"pack.yaml": text, "rules": {"a.yaml": _dump(RULE_FILES["rotation.yaml"], False)}}
    else:
        files = {"pack.yaml": _dump(PACK_META, False), "rules": {"a.yaml": text}}
    with _pack(files["pack.yaml"], files["rules"]) as root:  # type: ignore[arg-type]
        _load_and_use_pack(root)


DUMPED = {name: _dump(content, False) for name, content in RULE_FILES.items()}


@settings(FUZZ, max_examples=40)
@given(data=st.data(), which=st.sampled_from(sorted(RULE_FILES)), meta_too=st.booleans())
def test_rule_loader_mutated_national_pack(data: st.DataObject, which: str, meta_too: bool) -> None:
    rules = dict(DUMPED)
    rules[which] = _dump(data.draw(mutated(RULE_FILES[which])), False)
    meta = data.draw(mutated(PACK_META)) if meta_too else PACK_META
    with _pack(_dump(meta, False), rules) as root:
        _load_and_use_pack(root)


leaf_values = domain | st.lists(domain, max_size=4) | scalars


@st.composite
def conditions(draw: st.DrawFn, depth: int = 0) -> Any:
    """A condition from the grammar, with wrong facts, operators, types and parameters."""
    kind = draw(st.integers(0, 9 if depth < 3 else 5))
    if kind <= 4:
        leaf: dict[str, Any] = {
            "fact": draw(st.sampled_from(sorted(FACTS)) | st.sampled_from(["not_a_fact", 3])),
            "op": draw(st.sampled_from([*OPS, "=~", "", None])),
        }
        which = draw(st.integers(0, 3))
        if which in (0, 2):
            leaf["value"] = draw(leaf_values)
        if which in (1, 2):
            leaf["param"] = draw(
                st.sampled_from(sorted(PACK_META["parameters"])) | st.sampled_from(["nope", 1])
            )
        return leaf
    if kind == 5:
        return draw(domain)
    items = draw(st.lists(conditions(depth + 1), max_size=3))
    if kind == 6:
        return {"all": items}
    if kind == 7:
        return {"any": items}
    if kind == 8:
        return {"not": items[0] if items else {}}
    return {"all": items, "not": {}}  # two combinators at once


@FUZZ
@given(
    applies=st.none() | conditions(),
    require=conditions(),
    exception=st.none() | conditions(),
    effect=st.sampled_from(["block", "review", "warn", "priority", "info", "explode"]),
)
def test_rule_loader_random_conditions(
    applies: Any, require: Any, exception: Any, effect: str
) -> None:
    rule: dict[str, Any] = {
        "id": "fuzzed",
        "title": {"vi": "Thử", "en": "Fuzz"},
        "kinds": ["luan_chuyen", "biet_phai"],
        "effect": effect,
        "require": require,
        "messages": {
            "pass": {"vi": "đạt {age_months}", "en": "ok"},
            "fail": {"vi": "k", "en": "ko"},
        },
        "citation": {"document": "fuzz", "tag": "I"},
    }
    if applies is not None:
        rule["applies_when"] = applies
    if exception is not None:
        rule["exception"] = {"when": exception, "effect": "review"}
    with _pack(_dump(PACK_META, False), {"a.yaml": _dump({"rules": [rule]}, False)}) as root:
        _load_and_use_pack(root)


def test_the_unmutated_pack_loads() -> None:
    """The fuzzing starts from a pack that is valid (so the mutations are what fails)."""
    rules = {name: _dump(content, False) for name, content in RULE_FILES.items()}
    with _pack(_dump(PACK_META, False), rules) as root:
        pack = load_pack(root)
        assert len(pack.rules) == sum(len(c["rules"]) for c in RULE_FILES.values())
        RuleSet([pack]).compiled(date(2024, 6, 1))


# ----------------------------------------------------------------- case files

VALID_CASE: dict[str, Any] = {
    "name": "fuzz",
    "as_of": "01/06/2024",
    "cadre": base_cadre(),
    "move": base_move(),
    "expected": {"verdict": "eligible", "outcomes": {"health_fit": "pass"}},
}


def _case_file(text: str, suffix: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"case{suffix}"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        yield path


@FUZZ
@given(text=yaml_soup | st.text(), suffix=st.sampled_from([".yaml", ".json", ".yml"]))
def test_case_loader_random_text(text: str, suffix: str) -> None:
    for path in _case_file(text, suffix):
        _load_and_use_cases(path)


@FUZZ
@given(data=structures, as_json=st.booleans())
def test_case_loader_random_structures(data: Any, as_json: bool) -> None:
    for path in _case_file(_dump(data, as_json), ".json" if as_json else ".yaml"):
        _load_and_use_cases(path)


@settings(FUZZ, max_examples=200)
@given(data=st.data(), as_json=st.booleans(), many=st.booleans())
def test_case_loader_mutated_case(data: st.DataObject, as_json: bool, many: bool) -> None:
    case = data.draw(mutated(VALID_CASE))
    content: Any = {"cases": [VALID_CASE, case]} if many else case
    for path in _case_file(_dump(content, as_json), ".json" if as_json else ".yaml"):
        _load_and_use_cases(path)


def test_the_unmutated_case_loads(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(_dump(VALID_CASE, False), encoding="utf-8")
    (case,) = load_cases(path)
    assert evaluate(case.cadre, case.move, as_of=case.as_of).verdict.value == "eligible"


@pytest.mark.parametrize("loader", ["rules", "cases"])
def test_errors_are_luanchuyen_errors(loader: str, tmp_path: Path) -> None:
    """The error types the fuzzing accepts are the library's own, with bilingual messages."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules: [", encoding="utf-8")
    load = load_cases if loader == "cases" else read_yaml
    with pytest.raises(LuanChuyenError) as info:
        load(bad)
    assert info.value.code in DOCUMENTED
    assert isinstance(info.value, InputError if loader == "cases" else RuleFileError)


@pytest.mark.parametrize("loader", ["rules", "cases"])
def test_yaml_constructor_errors_are_coded(loader: str, tmp_path: Path) -> None:
    """``as_of: 2024-02-31`` unquoted, ``!!int ~``…: a coded error, never a bare ValueError."""
    load = load_cases if loader == "cases" else read_yaml
    for i, text in enumerate(YAML_CONSTRUCTOR_TRAPS):
        path = tmp_path / f"trap{i}.yaml"
        path.write_text(text + "\n", encoding="utf-8")
        with pytest.raises(LuanChuyenError) as info:
            load(path)
        assert info.value.code in DOCUMENTED


def test_zz_fuzzing_reached_deep() -> None:
    """The fuzzers reach past the parsers: loads that succeed and the schema's own errors.

    Runs last in this module (after the fuzz tests fill ``REACHED``); ``-s`` prints the tally.
    """
    print("\nfuzz reach:", dict(REACHED.most_common()))
    if sum(REACHED.values()) < 400:
        pytest.skip("run with the whole module")
    assert REACHED["ok"] > 0
    codes = ("rule_schema", "unknown_fact", "type_mismatch", "invalid_date", "missing_field")
    for code in (*codes, "case_file"):
        assert REACHED[code] > 0, code

"""A corpus of bad inputs, each with the error code it must produce.

``corpus/cases/<code>__<what>.yaml|json`` are case files, loaded with ``load_cases`` and
evaluated; ``corpus/rules/<code>__<what>.yaml`` are rule files, put in a minimal pack and
loaded. The code before ``__`` is the expected error code, ``ok`` a success. Inputs too big
or too deep to keep in the repository (over 5 MiB, nested 100,000 levels) are generated in
``tmp_path``.

Decision for case files over 5 MiB: rejected with ``case_file``, as rule files over 5 MiB
are rejected with ``rule_file`` — YAML and JSON alike. A case file is one request or a
rule pack's test cases; bulk data goes through ``evaluate_many`` and spreadsheets.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from luanchuyen.errors import ERROR_CODES, InputError, RuleFileError
from luanchuyen.evaluation import evaluate
from luanchuyen.io.cases import load_cases
from luanchuyen.ruleset.compile import RuleSet
from luanchuyen.ruleset.loader import MAX_FILE_BYTES, load_pack

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(p for p in (CORPUS / "cases").iterdir() if p.suffix in (".yaml", ".json"))
RULES = sorted((CORPUS / "rules").glob("*.yaml"))
IN_FORCE = date(2024, 6, 1)
PACK_YAML = """\
id: corpus
kind: national
title: {vi: Bộ mẫu, en: Corpus pack}
jurisdiction: VN
source: {document: Kiểm thử, tag: I}
valid_from: 2020-01-01
"""


def _expected(path: Path) -> str:
    code = path.name.split("__", 1)[0]
    assert code == "ok" or code in ERROR_CODES, f"{path.name}: unknown expected code {code}"
    return code


def _evaluate_all(path: Path) -> None:
    for case in load_cases(path):
        evaluate(case.cadre, case.move, as_of=case.as_of, backend="reference")


def test_the_corpus_covers_the_codes() -> None:
    codes = {_expected(p) for p in CASES} | {_expected(p) for p in RULES}
    for code in (
        "invalid_date", "invalid_enum", "invalid_value", "birth_after_as_of", "implausible_age",
        "negative_duration", "date_order", "missing_field", "invalid_input", "case_file",
        "unsafe_yaml", "unknown_fact", "type_mismatch", "unknown_parameter", "duplicate_id",
        "rule_schema", "rule_file", "ok",
    ):  # fmt: skip
        assert code in codes, code


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_case_corpus(path: Path) -> None:
    code = _expected(path)
    if code == "ok":
        _evaluate_all(path)
        return
    with pytest.raises(InputError) as info:
        _evaluate_all(path)
    assert info.value.code == code, info.value
    assert info.value.message_vi
    assert info.value.message_en


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_nfd_text_and_aliases_become_nfc(suffix: str) -> None:
    path = CORPUS / "cases" / f"ok__nfd_names_and_aliases{suffix}"
    raw = path.read_text(encoding="utf-8")
    assert raw != unicodedata.normalize("NFC", raw), "the corpus file must hold NFD text"
    (case,) = load_cases(path)
    assert case.cadre.name == "Nguyễn Thị Hương" == unicodedata.normalize("NFC", case.cadre.name)
    assert case.cadre.gender.value == "nu"
    assert case.move.kind.value == "luan_chuyen"
    assert case.move.target.level.value == "xa"
    assert case.cadre.current_post is not None
    assert case.cadre.current_post.level.value == "huyen"
    assert case.cadre.current_post.title == unicodedata.normalize("NFC", "Phó Trưởng phòng Nội vụ")
    assert case.cadre.ratings is not None
    assert case.cadre.ratings[2022].value == "htt"
    decision = evaluate(case.cadre, case.move, as_of=case.as_of, backend="reference")
    assert decision.cadre_name == "Nguyễn Thị Hương"
    assert decision.facts["gender"] == "nu"


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_nfd_and_nfc_files_decide_alike(suffix: str, tmp_path: Path) -> None:
    nfd = CORPUS / "cases" / f"ok__nfd_names_and_aliases{suffix}"
    nfc = tmp_path / f"nfc{suffix}"
    nfc.write_text(unicodedata.normalize("NFC", nfd.read_text(encoding="utf-8")), encoding="utf-8")
    (a,) = load_cases(nfd)
    (b,) = load_cases(nfc)
    da = evaluate(a.cadre, a.move, as_of=a.as_of, backend="reference")
    db = evaluate(b.cadre, b.move, as_of=b.as_of, backend="reference")
    assert da.to_json() == db.to_json()


def _pack(tmp_path: Path, rule_file: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "rules").mkdir(parents=True)
    (root / "pack.yaml").write_text(PACK_YAML, encoding="utf-8")
    (root / "rules" / "rules.yaml").write_bytes(rule_file.read_bytes())
    return root


@pytest.mark.parametrize("path", RULES, ids=lambda p: p.name)
def test_rule_corpus(path: Path, tmp_path: Path) -> None:
    code = _expected(path)
    root = _pack(tmp_path, path)
    if code == "ok":
        RuleSet([load_pack(root)]).compiled(IN_FORCE)
        return
    with pytest.raises(RuleFileError) as info:
        RuleSet([load_pack(root)]).compiled(IN_FORCE)
    assert info.value.code == code, info.value
    assert info.value.message_vi
    assert info.value.message_en


def test_unsafe_yaml_never_runs_code(tmp_path: Path) -> None:
    """The tag would create a file if the loader ran it."""
    marker = tmp_path / "pwned"
    payload = f'rules: !!python/object/apply:os.system ["touch {marker}"]\n'
    rule_file = tmp_path / "payload.yaml"
    rule_file.write_text(payload, encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        load_pack(_pack(tmp_path, rule_file))
    assert info.value.code == "unsafe_yaml"
    case_file = tmp_path / "case.yaml"
    case_file.write_text(f'name: !!python/object/apply:os.system ["touch {marker}"]\n')
    with pytest.raises(InputError) as case_info:
        load_cases(case_file)
    assert case_info.value.code == "case_file"
    assert "unsafe" in case_info.value.message_en.lower() or "tag" in case_info.value.message_en
    assert not marker.exists()


# ----------------------------------------------------------------- huge and deep inputs


def _huge_rules_text() -> str:
    rule = (
        "  - id: r{i}\n    title: {{vi: r, en: r}}\n    kinds: [luan_chuyen]\n    effect: info\n"
        "    require: {{fact: age_months, op: '>=', value: {i}}}\n"
        "    messages: {{pass: {{vi: a, en: a}}, fail: {{vi: b, en: b}}}}\n"
        "    citation: {{document: d, tag: I}}\n"
    )
    chunks = ["rules:\n"]
    size, i = 0, 0
    while size <= MAX_FILE_BYTES:
        text = rule.format(i=i)
        chunks.append(text)
        size += len(text)
        i += 1
    return "".join(chunks)


def test_rule_file_over_the_limit_is_rejected(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text(_huge_rules_text(), encoding="utf-8")
    assert big.stat().st_size > MAX_FILE_BYTES
    with pytest.raises(RuleFileError) as info:
        load_pack(_pack(tmp_path, big))
    assert info.value.code == "rule_file"
    assert "too large" in info.value.message_en


def _huge_cases(base: dict[str, object]) -> list[dict[str, object]]:
    """Distinct copies (a shared object would be dumped once, as a YAML alias)."""
    text = json.dumps(base, ensure_ascii=False)
    return [
        {**json.loads(text), "name": f"case {i}"} for i in range(MAX_FILE_BYTES // len(text) + 10)
    ]


@pytest.fixture
def one_case() -> dict[str, object]:
    (case,) = load_cases(CORPUS / "cases" / "ok__nfd_names_and_aliases.json")
    return json.loads(case.model_dump_json(exclude={"source", "expected"}))  # type: ignore[no-any-return]


def test_yaml_case_file_over_the_limit_is_rejected(
    tmp_path: Path, one_case: dict[str, object]
) -> None:
    import yaml

    big = tmp_path / "big.yaml"
    one = yaml.dump([one_case], Dumper=yaml.CSafeDumper, allow_unicode=True)
    copies = MAX_FILE_BYTES // len(one.encode()) + 10
    big.write_text("cases:\n" + one * copies, encoding="utf-8")
    assert big.stat().st_size > MAX_FILE_BYTES
    with pytest.raises(InputError) as info:
        load_cases(big)
    assert info.value.code == "case_file"
    assert "too large" in info.value.message_en


def test_json_case_file_over_the_limit_is_rejected(
    tmp_path: Path, one_case: dict[str, object]
) -> None:
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"cases": _huge_cases(one_case)}, ensure_ascii=False))
    assert big.stat().st_size > MAX_FILE_BYTES
    with pytest.raises(InputError) as info:
        load_cases(big)
    assert info.value.code == "case_file"


DEPTH = 100_000


def test_deeply_nested_json_case_file(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * DEPTH + "]" * DEPTH, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_cases(deep)
    assert info.value.code == "case_file"


def test_deeply_nested_condition_is_a_rule_file_error(tmp_path: Path) -> None:
    depth = 3_000
    condition = "{not: " * depth + '{fact: age_months, op: ">=", value: 1}' + "}" * depth
    rule_file = tmp_path / "deep.yaml"
    rule_file.write_text(
        "rules:\n  - id: deep\n    title: {vi: sâu, en: deep}\n    kinds: [luan_chuyen]\n"
        f"    effect: block\n    require: {condition}\n"
        "    messages: {pass: {vi: a, en: a}, fail: {vi: b, en: b}}\n"
        "    citation: {document: d, tag: I}\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleFileError) as info:
        load_pack(_pack(tmp_path, rule_file))
    assert info.value.code in ERROR_CODES


_DEEP_YAML_SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from luanchuyen.errors import LuanChuyenError
    from luanchuyen.io.cases import load_cases
    from luanchuyen.ruleset.loader import read_yaml
    path = Path(sys.argv[1])
    path.write_text("[" * {depth} + "]" * {depth}, encoding="utf-8")
    load = load_cases if sys.argv[2] == "cases" else read_yaml
    try:
        load(path)
    except LuanChuyenError as exc:
        print(exc.code)
    """
)


@pytest.mark.parametrize("loader", ["rules", "cases"])
def test_deeply_nested_yaml_does_not_crash(loader: str, tmp_path: Path) -> None:
    """Run in a child process: today this input kills the interpreter."""
    script = _DEEP_YAML_SCRIPT.format(depth=DEPTH)
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "deep.yaml"), loader],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-500:]}"
    assert done.stdout.strip() == ("case_file" if loader == "cases" else "rule_file")

"""Coverage-guided fuzzing of the rule and case loaders with atheris (``make soak`` only).

    python benchmarks/fuzz_atheris.py rules --seconds 120
    python benchmarks/fuzz_atheris.py cases --seconds 120 [--strict]

Each input is written as a file and loaded the way a user's file is: ``rules`` puts it in a
pack (as a rule file, or as ``pack.yaml``), loads, compiles on two dates and evaluates one
cadre; ``cases`` writes a ``.yaml`` or ``.json`` case file, loads it with ``load_cases`` and
evaluates every case. The only acceptable failures are the library's own errors —
``RuleFileError`` for packs, ``InputError`` for cases — with a documented code. Anything
else is a crash: atheris stops, prints the traceback and writes the input under
``--artifacts``.

Known bugs with a fix proposed in the performance report (PyYAML constructor errors escaping
``read_yaml``; ``RecursionError`` on deeply nested JSON case files) are tallied, not
crashed on, unless ``--strict``. The seeds are the national pack and the reliability corpus,
copied to a scratch corpus directory (libFuzzer writes into its first corpus directory).
Requires ``pip install atheris`` (Linux/macOS wheels; it is not a dependency).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import traceback
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KNOWN: Counter[str] = Counter()


def _known(exc: BaseException) -> str | None:
    """The known bug an exception is, if any."""
    frames = traceback.extract_tb(exc.__traceback__)
    if frames and "/yaml/" in frames[-1].filename.replace("\\", "/"):
        return f"yaml constructor {type(exc).__name__}"
    if isinstance(exc, RecursionError) and any(f.name == "load_cases" for f in frames):
        return "json RecursionError"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", choices=["rules", "cases"])
    parser.add_argument("--seconds", type=int, default=120, help="fuzzing time (default 120)")
    parser.add_argument("--max-len", type=int, default=8192, help="largest input in bytes")
    parser.add_argument("--strict", action="store_true", help="crash on known bugs too")
    parser.add_argument("--artifacts", default=None, help="where crashing inputs are written")
    args = parser.parse_args(argv)

    import atheris

    with atheris.instrument_imports(include=["luanchuyen", "yaml"]):
        from luanchuyen.errors import ERROR_CODES, InputError, LuanChuyenError, RuleFileError
        from luanchuyen.evaluation import evaluate, get_backend
        from luanchuyen.facts import derive_facts
        from luanchuyen.io.cases import load_cases
        from luanchuyen.models import Cadre, Move
        from luanchuyen.ruleset.compile import RuleSet
        from luanchuyen.ruleset.loader import default_rules_dir, load_pack

    documented = {c for c in ERROR_CODES if f"`{c}`" in (ROOT / "docs/errors.md").read_text()}
    national = default_rules_dir() / "qd65"
    work = Path(tempfile.mkdtemp(prefix="luanchuyen-fuzz-"))
    seeds = work / "corpus"
    seeds.mkdir()
    pack_meta = (national / "pack.yaml").read_bytes()
    if args.target == "rules":
        sources = [*national.glob("rules/*.yaml"), *ROOT.glob("tests/reliability/corpus/rules/*")]
        sources.append(national / "pack.yaml")
    else:
        sources = [
            *ROOT.glob("tests/reliability/corpus/cases/*"),
            *ROOT.glob("rules/*/tests/*.yaml"),
        ]
    for i, src in enumerate(sources):
        shutil.copy(src, seeds / f"seed{i}")
    sample = (
        Cadre.model_validate({"id": "F", "name": "Fuzz", "gender": "nam", "date_of_birth": "1980"}),
        Move.model_validate({"kind": "luan_chuyen", "target": {"title": "T", "level": "tinh"}}),
    )
    reference = get_backend("reference")
    scratch = work / "scratch"

    def tolerate(exc: BaseException) -> bool:
        bug = None if args.strict else _known(exc)
        if bug is None:
            return False
        KNOWN[bug] += 1
        if KNOWN[bug] in (1, 10, 100, 1000):  # libFuzzer exits without running atexit hooks
            print(f"known bug tolerated ({KNOWN[bug]}×): {bug}", file=sys.stderr, flush=True)
        return True

    def fuzz_rules(data: bytes) -> None:
        shutil.rmtree(scratch, ignore_errors=True)
        (scratch / "rules").mkdir(parents=True)
        as_meta = bool(data) and data[0] % 8 == 0
        (scratch / "pack.yaml").write_bytes(data if as_meta else pack_meta)
        (scratch / "rules" / "fuzz.yaml").write_bytes(b"rules: []\n" if as_meta else data)
        try:
            rules = RuleSet([load_pack(scratch)])
            for day in (date(2024, 6, 1), date(2026, 11, 23)):
                compiled = rules.compiled(day)
                reference.states(compiled, derive_facts(*sample, day, compiled.params).facts)
        except RuleFileError as exc:
            if exc.code not in documented:
                raise AssertionError(f"undocumented code {exc.code}") from exc
        except LuanChuyenError:
            raise
        except Exception as exc:
            if not tolerate(exc):
                raise

    def fuzz_cases(data: bytes) -> None:
        suffix = ".json" if data[:1] in (b"{", b"[") else ".yaml"
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(parents=True)
        path = scratch / f"case{suffix}"
        path.write_bytes(data)
        try:
            for case in load_cases(path):
                evaluate(case.cadre, case.move, as_of=case.as_of, backend="reference")
        except InputError as exc:
            if exc.code not in documented:
                raise AssertionError(f"undocumented code {exc.code}") from exc
        except LuanChuyenError:
            raise
        except Exception as exc:
            if not tolerate(exc):
                raise

    artifacts = Path(args.artifacts) if args.artifacts else work / "crashes"
    artifacts.mkdir(parents=True, exist_ok=True)
    libfuzzer = [
        sys.argv[0],
        str(seeds),
        f"-max_total_time={args.seconds}",
        f"-max_len={args.max_len}",
        f"-artifact_prefix={artifacts}/",
        "-print_final_stats=1",
    ]
    atheris.Setup(libfuzzer, fuzz_rules if args.target == "rules" else fuzz_cases)
    atheris.Fuzz()  # exits the process: 0 when the time is up, non-zero on a crash
    return 0


if __name__ == "__main__":
    sys.exit(main())

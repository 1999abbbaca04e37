"""Generated reference docs are current; README shows the two set-up commands."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _gen() -> object:
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "tools" / "gen_docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_docs_are_current() -> None:
    gen = _gen()
    for rel, make in gen.OUTPUTS.items():  # type: ignore[attr-defined]
        assert (ROOT / rel).read_text(encoding="utf-8") == make(), (
            f"run: python tools/gen_docs.py ({rel})"
        )


def test_readme_quick_start() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in text and "make test" in text

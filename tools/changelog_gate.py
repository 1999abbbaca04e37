#!/usr/bin/env python3
"""CI gate: a change under ``rules/`` must come with a change to ``CHANGELOG.md``.

Thay đổi trong ``rules/`` phải đi kèm một dòng trong ``CHANGELOG.md`` (cổng kiểm tra CI).

What counts as changed:

* the last commit (``git diff --name-only HEAD~1..HEAD``), or, with ``--base REF``, every
  commit since the merge base of ``REF`` and ``HEAD`` (for pull requests);
* plus everything not yet committed: staged and unstaged changes against ``HEAD`` and new,
  untracked files.

Edge cases are handled without failing for the wrong reason: a repository whose only commit
is the root commit (its whole content counts as changed), a shallow clone whose previous
commit is missing (only uncommitted changes can be checked; a note says so), a repository
without any commit, and a directory that is not a git repository at all (nothing to check).

Exit status: 0 when the rule is respected (or cannot be checked), 1 when ``rules/`` changed
without ``CHANGELOG.md``, 2 on a usage error.

Usage::

    python tools/changelog_gate.py [--repo DIR] [--base REF] [--rules-dir rules]
                                   [--changelog CHANGELOG.md]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["GateResult", "changed_files", "check", "main"]


@dataclass
class GateResult:
    """What the gate saw and decided."""

    ok: bool
    rule_files: list[str] = field(default_factory=list)
    changelog_changed: bool = False
    notes: list[tuple[str, str]] = field(default_factory=list)  # (vi, en)
    checked: bool = True


def _git(repo: Path, *args: str) -> tuple[int, str]:
    try:
        proc = subprocess.run(
            ["git", "-C", str(repo), *args],
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        return 127, ""
    return proc.returncode, proc.stdout


def _lines(text: str) -> set[str]:
    return {line.strip() for line in text.splitlines() if line.strip()}


def changed_files(
    repo: Path, base: str | None = None
) -> tuple[set[str], list[tuple[str, str]], bool]:
    """Files changed in the range checked plus uncommitted ones, relative to the top level.

    Returns:
        ``(files, notes, checked)``; ``checked`` is ``False`` when nothing could be inspected.
    """
    notes: list[tuple[str, str]] = []
    rc, top = _git(repo, "rev-parse", "--show-toplevel")
    if rc != 0:
        notes.append(
            (
                "không phải kho git: không có gì để kiểm tra",
                "not a git repository: nothing to check",
            )
        )
        return set(), notes, False
    root = Path(top.strip())
    files: set[str] = set()
    has_head = _git(root, "rev-parse", "--verify", "-q", "HEAD")[0] == 0
    if has_head:
        files |= _lines(_git(root, "diff", "--name-only", "HEAD")[1])
    else:
        files |= _lines(_git(root, "diff", "--name-only", "--cached")[1])
        notes.append(("kho chưa có commit nào", "the repository has no commit yet"))
    files |= _lines(_git(root, "ls-files", "--others", "--exclude-standard")[1])
    if not has_head:
        return files, notes, True
    if base is not None:
        rc, merge_base = _git(root, "merge-base", base, "HEAD")
        if rc == 0:
            files |= _lines(_git(root, "diff", "--name-only", f"{merge_base.strip()}..HEAD")[1])
            return files, notes, True
        notes.append(
            (
                f"không tìm được điểm rẽ nhánh với '{base}'; dùng commit trước đó",
                f"no merge base with '{base}'; using the previous commit",
            )
        )
    if _git(root, "rev-parse", "--verify", "-q", "HEAD~1")[0] == 0:
        files |= _lines(_git(root, "diff", "--name-only", "HEAD~1..HEAD")[1])
    elif _git(root, "rev-parse", "--is-shallow-repository")[1].strip() == "true":
        notes.append(
            (
                "bản sao nông (shallow): không thấy commit trước nên chỉ kiểm tra thay đổi chưa "
                "commit; trong CI hãy lấy ít nhất 2 commit (fetch-depth: 2)",
                "shallow clone: the previous commit is missing, so only uncommitted changes are "
                "checked; fetch at least 2 commits in CI (fetch-depth: 2)",
            )
        )
    else:
        files |= _lines(
            _git(root, "diff-tree", "--no-commit-id", "--name-only", "-r", "--root", "HEAD")[1]
        )
        notes.append(
            (
                "kho chỉ có một commit: mọi tệp của commit đó được tính là thay đổi",
                "single-commit repository: every file of that commit counts as changed",
            )
        )
    return files, notes, True


def check(
    repo: Path,
    *,
    base: str | None = None,
    rules_dir: str = "rules",
    changelog: str = "CHANGELOG.md",
) -> GateResult:
    """Apply the gate to ``repo``."""
    files, notes, checked = changed_files(repo, base)
    prefix = rules_dir.strip("/") + "/"
    rule_files = sorted(f for f in files if f.startswith(prefix))
    changelog_changed = changelog in files
    ok = not rule_files or changelog_changed
    return GateResult(ok, rule_files, changelog_changed, notes, checked)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(
        description="Thay đổi trong rules/ phải kèm CHANGELOG.md / rules/ changes need a "
        "CHANGELOG.md entry"
    )
    parser.add_argument("--repo", default=".", help="kho git / repository (default: .)")
    parser.add_argument("--base", default=None, help="so với điểm rẽ nhánh của REF / merge base")
    parser.add_argument("--rules-dir", default="rules")
    parser.add_argument("--changelog", default="CHANGELOG.md")
    args = parser.parse_args(argv)
    result = check(
        Path(args.repo), base=args.base, rules_dir=args.rules_dir, changelog=args.changelog
    )
    for vi, en in result.notes:
        print(f"Ghi chú: {vi}\nNote: {en}")
    if result.ok:
        if result.rule_files:
            print(
                f"Cổng CHANGELOG: đạt ({len(result.rule_files)} tệp quy tắc thay đổi, "
                f"{args.changelog} có cập nhật).\n"
                f"CHANGELOG gate: OK ({len(result.rule_files)} rule files changed, "
                f"{args.changelog} updated)."
            )
        else:
            print(
                "Cổng CHANGELOG: đạt (không có thay đổi trong rules/).\n"
                "CHANGELOG gate: OK (no change under rules/)."
            )
        return 0
    shown = "\n".join(f"  - {f}" for f in result.rule_files[:20])
    more = len(result.rule_files) - 20
    if more > 0:
        shown += f"\n  … (+{more})"
    print(
        f"Cổng CHANGELOG: KHÔNG ĐẠT. Các tệp quy tắc sau đã thay đổi nhưng {args.changelog} "
        "thì không:\n"
        f"{shown}\n"
        f"Hãy thêm một dòng mô tả thay đổi (văn bản, điều, khoản căn cứ) vào {args.changelog}, "
        "mục [Unreleased]; có thể dùng 'luanchuyen rules diff' để tạo nội dung.\n"
        f"CHANGELOG gate: FAILED. The rule files above changed but {args.changelog} did not. "
        f"Add a line describing the change (and its legal basis) under [Unreleased] in "
        f"{args.changelog}; 'luanchuyen rules diff' prints one ready to paste.",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())

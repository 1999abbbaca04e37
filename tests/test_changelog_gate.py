"""``tools/changelog_gate.py`` on temporary git repositories."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GATE = ROOT / "tools" / "changelog_gate.py"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Gate Test",
    "GIT_AUTHOR_EMAIL": "gate@example.invalid",
    "GIT_COMMITTER_NAME": "Gate Test",
    "GIT_COMMITTER_EMAIL": "gate@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
    "HOME": "/nonexistent",
}


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(
        [
            "git",
            "-C",
            str(repo),
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        capture_output=True,
        text=True,
        env=ENV,
        check=True,
    )
    return proc.stdout


def write(repo: Path, rel: str, text: str) -> None:
    path = repo / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def gate(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(GATE), "--repo", str(repo), *args],
        capture_output=True,
        text=True,
        env=ENV,
        check=False,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with one commit holding a rule file and the changelog."""
    path = tmp_path / "repo"
    path.mkdir()
    git(path, "init", "-q")
    write(path, "rules/qd65/pack.yaml", "id: qd65\n")
    write(path, "CHANGELOG.md", "# Changelog\n")
    write(path, "README.md", "hello\n")
    commit(path, "initial")
    return path


def test_single_commit_with_changelog_passes(repo: Path) -> None:
    result = gate(repo)
    assert result.returncode == 0, result.stderr
    assert "một commit" in result.stdout and "single-commit" in result.stdout


def test_single_commit_without_changelog_fails(tmp_path: Path) -> None:
    path = tmp_path / "solo"
    path.mkdir()
    git(path, "init", "-q")
    write(path, "rules/qd65/pack.yaml", "id: qd65\n")
    commit(path, "only rules")
    result = gate(path)
    assert result.returncode == 1
    assert "rules/qd65/pack.yaml" in result.stderr


def test_rule_change_without_changelog_fails(repo: Path) -> None:
    write(repo, "rules/qd65/pack.yaml", "id: qd65\nkind: national\n")
    commit(repo, "change a rule")
    result = gate(repo)
    assert result.returncode == 1
    assert "KHÔNG ĐẠT" in result.stderr and "FAILED" in result.stderr
    assert "rules/qd65/pack.yaml" in result.stderr


def test_rule_change_with_changelog_passes(repo: Path) -> None:
    write(repo, "rules/qd65/pack.yaml", "id: qd65\nkind: national\n")
    write(repo, "CHANGELOG.md", "# Changelog\n- qd65: kind\n")
    commit(repo, "change a rule, with changelog")
    result = gate(repo)
    assert result.returncode == 0, result.stderr
    assert "đạt" in result.stdout and "OK" in result.stdout


def test_change_outside_rules_passes(repo: Path) -> None:
    write(repo, "README.md", "changed\n")
    commit(repo, "docs")
    result = gate(repo)
    assert result.returncode == 0
    assert "no change under rules/" in result.stdout


def test_uncommitted_changes_count(repo: Path) -> None:
    write(repo, "README.md", "changed\n")
    commit(repo, "docs")
    write(repo, "rules/qd65/pack.yaml", "id: qd65\n# edited\n")  # unstaged
    assert gate(repo).returncode == 1
    write(repo, "CHANGELOG.md", "# Changelog\n- edited\n")  # unstaged too
    assert gate(repo).returncode == 0


def test_untracked_rule_file_counts(repo: Path) -> None:
    write(repo, "README.md", "changed\n")
    commit(repo, "docs")
    write(repo, "rules/qd65/tests/new_case.yaml", "cases: []\n")
    result = gate(repo)
    assert result.returncode == 1
    assert "rules/qd65/tests/new_case.yaml" in result.stderr


def test_base_ref_checks_the_whole_branch(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "feature")
    write(repo, "rules/qd65/pack.yaml", "id: qd65\n# feature\n")
    commit(repo, "rule change")
    write(repo, "README.md", "later\n")
    commit(repo, "unrelated")
    assert gate(repo).returncode == 0  # only HEAD~1..HEAD is seen
    assert gate(repo, "--base", "main").returncode == 1  # the branch changed rules/
    assert gate(repo, "--base", "no-such-ref").returncode == 0  # falls back, with a note


def test_shallow_clone_is_handled(repo: Path, tmp_path: Path) -> None:
    write(repo, "rules/qd65/pack.yaml", "id: qd65\n# second\n")
    commit(repo, "rule change")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)],
        check=True,
        env=ENV,
        capture_output=True,
    )
    result = gate(clone)
    assert result.returncode == 0
    assert "shallow" in result.stdout
    write(clone, "rules/qd65/pack.yaml", "id: qd65\n# in the clone\n")
    assert gate(clone).returncode == 1  # uncommitted changes are still checked


def test_not_a_repository(tmp_path: Path) -> None:
    result = gate(tmp_path)
    assert result.returncode == 0
    assert "not a git repository" in result.stdout


def test_repository_without_commits(tmp_path: Path) -> None:
    path = tmp_path / "empty"
    path.mkdir()
    git(path, "init", "-q")
    write(path, "rules/x.yaml", "rules: []\n")
    result = gate(path)
    assert result.returncode == 1
    write(path, "CHANGELOG.md", "# Changelog\n")
    assert gate(path).returncode == 0

"""The pre-commit hook definition (.pre-commit-hooks.yaml), run as pre-commit would."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
HOOKS = REPO / ".pre-commit-hooks.yaml"


def parse_hooks(text: str) -> list[dict[str, Any]]:
    """Read the hook file: a YAML list of flat mappings (all this file uses)."""
    hooks: list[dict[str, Any]] = []
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if raw.startswith("- "):
            hooks.append({})
            body = raw[2:]
        elif raw.startswith("  ") and hooks:
            body = stripped
        else:
            raise AssertionError(f"unexpected line in {HOOKS.name}: {raw!r}")
        key, sep, value = body.partition(":")
        assert sep, raw
        hooks[-1][key.strip()] = _scalar(value.strip())
    return hooks


def _scalar(value: str) -> Any:
    if value.startswith("[") and value.endswith("]"):
        return [_scalar(item.strip()) for item in value[1:-1].split(",") if item.strip()]
    if value in ("true", "false"):
        return value == "true"
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


@pytest.fixture(scope="module")
def hook() -> dict[str, Any]:
    hooks = parse_hooks(HOOKS.read_text(encoding="utf-8"))
    try:  # PyYAML, when installed, cross-checks the little parser
        import yaml  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:
        pass
    else:
        assert yaml.safe_load(HOOKS.read_text(encoding="utf-8")) == hooks
    (found,) = [h for h in hooks if h["id"] == "promisescore-check"]
    return found


def run_hook(hook: dict[str, Any], cwd: Path, files: list[str]) -> subprocess.CompletedProcess[str]:
    """Run the hook's entry with its args and the matching files, as pre-commit does."""
    entry = hook["entry"].split()
    assert entry[0] == "promisescore"
    command = [sys.executable, "-m", "promisescore", *entry[1:], *hook.get("args", []), *files]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "NO_COLOR": "1"}
    env.pop("GITHUB_STEP_SUMMARY", None)
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def matching(hook: dict[str, Any], root: Path) -> list[str]:
    pattern = re.compile(hook["files"])
    names = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    return [n for n in names if pattern.search(n) and "/." not in f"/{n}"]


def test_hook_definition(hook: dict[str, Any]) -> None:
    assert hook["entry"] == "promisescore check"
    assert hook["language"] == "python"
    assert hook["name"]
    pattern = re.compile(hook["files"])
    for path in ("rubrics/a.toml", "rubrics/us/evidence.json"):
        assert pattern.search(path), path
    for path in ("pyproject.toml", "package.json", "src/x.toml", "rubrics/notes.md"):
        assert not pattern.search(path), path


def test_hook_passes_on_the_bundled_rubrics(hook: dict[str, Any]) -> None:
    files = matching(hook, REPO)
    assert "rubrics/us-immigration-2021.toml" in files
    assert "rubrics/us-immigration-2021/assessments-we-are-home.toml" in files  # included file
    assert "pyproject.toml" not in files
    result = run_hook(hook, REPO, files)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_hook_fails_on_a_bad_rubric(hook: dict[str, Any], tmp_path: Path) -> None:
    (tmp_path / "rubrics").mkdir()
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    (tmp_path / "rubrics" / "bad.toml").write_text(
        'format = 1\n[report]\ntitle = "t"\nstart = 2021-01-01\n[scale]\npreset = "kept"\n',
        encoding="utf-8",
    )
    files = matching(hook, tmp_path)
    assert files == ["rubrics/bad.toml"]
    result = run_hook(hook, tmp_path, files)
    assert result.returncode == 1
    assert "rubrics/bad.toml:6: E208 unknown scale preset 'kept'" in result.stdout

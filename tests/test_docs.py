"""The documentation: its examples run and print what the pages show, its references match
the code, and the site builds with warnings as errors.

The conventions for examples are in ``tests/docs_examples.py`` and
``docs/about-these-docs.md``.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from promisescore.cli import main
from promisescore.errors import CODES
from promisescore.fields import CLASSES, TOP_LEVEL_KEYS, field_table

from . import docs_examples
from .docs_examples import DOCS, REPO, Block, blocks, commands, output_matches, pages, shown

#: The one documented command that builds the site (docs/about-these-docs.md).
BUILD_COMMAND = "python3 -m sphinx -W --keep-going -b html docs docs/_build/html"
DOCS_MODULES = ("sphinx", "furo", "myst_parser", "sphinx_click")


# --------------------------------------------------------------------------- examples


@pytest.mark.parametrize("page", pages(), ids=shown)
def test_examples_run_and_print_what_the_page_shows(page: Path, tmp_path: Path) -> None:
    result = docs_examples.run_page(page, tmp_path / "page")
    assert not result.failures, "\n\n".join(result.failures)


def test_the_docs_have_examples_to_run() -> None:
    # Guards against a parser change that silently finds nothing to run.
    found = blocks((DOCS / "tutorial.md").read_text(encoding="utf-8"))
    runnable = [c for b in found if b.language == "console" for c in commands(b) if c.runs]
    assert len(runnable) >= 10
    assert sum(c.expected is not None for c in runnable) >= 8
    assert {b.language for b in found} >= {"console", "python", "pycon", "toml"}
    assert sum(b.excerpt is not None for b in found) >= 3


def test_every_command_has_an_example_in_its_help() -> None:
    lacking = [
        name
        for name, command in main.commands.items()
        if not re.search(r"^\s*Examples?:\s*$", command.help or "", re.MULTILINE)
        or f"promisescore {name}" not in (command.help or "")
    ]
    assert not lacking, f"commands whose --help has no 'Example:' block: {lacking}"


def test_every_example_in_the_help_runs(tmp_path: Path) -> None:
    examples = [
        example
        for command in main.commands.values()
        for example in docs_examples.help_examples(command.help or "")
    ]
    assert len(examples) >= len(main.commands)
    result, skipped = docs_examples.run_examples(examples, tmp_path / "work")
    assert not result.failures, "\n\n".join(result.failures)
    assert result.ran >= len(main.commands), f"most examples name placeholder files: {skipped}"


def test_placeholder_files_are_recognised(tmp_path: Path) -> None:
    (tmp_path / "rubric.toml").write_text("", encoding="utf-8")
    assert docs_examples.placeholders(
        "promisescore diff old.toml@2021-01-01 rubric.toml", tmp_path
    ) == ["old.toml"]
    assert (
        docs_examples.placeholders("promisescore report rubric.toml -o card.json", tmp_path) == []
    )
    assert docs_examples.placeholders("promisescore check rubrics/*.toml", tmp_path) == []


def test_yaml_scripts() -> None:
    block = Block(
        "yaml",
        (
            "steps:",
            "  - run: pip install promisescore",
            "  - run: promisescore check rubrics/*.toml",
            "  - run: |",
            "      git worktree add ../base main",
            "      promisescore score ../base/r.toml",
            "  - run: |",
            "      promisescore check a.toml",
            "      promisescore check b.toml",
            "script:",
            "  - promisescore badge r.toml -o badge.svg",
        ),
        start=10,
    )
    assert [(c.command, c.line) for c in docs_examples.yaml_commands(block)] == [
        ("promisescore check rubrics/*.toml", 12),
        ("promisescore check a.toml", 17),
        ("promisescore check b.toml", 18),
        ("promisescore badge r.toml -o badge.svg", 20),
    ]


def test_help_examples_are_found() -> None:
    text = """Do things.

    \b
    Examples:
      promisescore report a.toml
      promisescore report a.toml -o card.md \\
          --format markdown

    More text mentioning promisescore check.
    """
    assert docs_examples.help_examples(text) == [
        "promisescore report a.toml",
        "promisescore report a.toml -o card.md --format markdown",
    ]


def test_every_command_is_run_somewhere_in_the_docs() -> None:
    documented = docs_examples.documented_commands()
    missing = sorted(set(main.commands) - set(documented))
    assert not missing, f"commands that no ```console example in the docs runs: {missing}"


def test_parsing_conventions() -> None:
    page = "\n".join(
        [
            "<!-- file: a.toml -->",
            "```toml",
            "format = 1",
            "```",
            "```console",
            "$ promisescore check a.toml \\",
            "    --strict  # exit 1",
            "a.toml:1: E102 ...",
            "$ pip install promisescore",
            "$ promisescore scales",
            "```",
            "```{toctree}",
            "index",
            "```",
        ]
    )
    found = blocks(page)
    assert [(b.language, b.file, b.start) for b in found] == [
        ("toml", "a.toml", 2),
        ("console", None, 5),
    ]
    first, pip, scales = commands(found[1])
    assert first.command == "promisescore check a.toml --strict  # exit 1"
    assert (first.exit_codes, first.line, first.expected) == ((1,), 5, ("a.toml:1: E102 ...",))
    assert first.output_span == (7, 8)
    assert not pip.runs
    assert scales.runs
    assert scales.expected is None


def test_output_matching() -> None:
    assert output_matches(("a", "b"), "a  \nb\n\n")
    assert not output_matches(("a", "b"), "a\nc\n")
    assert output_matches(("a", "...", "z"), "a\nb\nc\nz\n")
    assert output_matches(("a", "...", "z"), "a\nz\n")
    assert not output_matches(("a", "...", "z"), "a\nb\n")
    assert output_matches(("...",), "")


def test_a_wrong_example_is_reported_with_its_line(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "# A page\n\n```console\n$ promisescore scales\nnot what it prints\n```\n\n"
        "```console\n$ promisescore check missing.toml\n```\n\n"
        "```python\nraise RuntimeError('boom')\n```\n\n"
        "```pycon\n>>> 1 + 1\n3\n```\n\n"
        "```toml\n[[promises]]\nid = 'a'\ntitle = 'A'\ncategory = 'nowhere'\n```\n",
        encoding="utf-8",
    )
    result = docs_examples.run_page(page, tmp_path / "work")
    lines = [failure.split(": ", 1)[0] for failure in result.failures]
    assert lines == [f"{page}:4", f"{page}:9", f"{page}:13", f"{page}:17", f"{page}:22"]
    assert "E304" in result.failures[-1]
    assert docs_examples.update(page, result)
    assert "not what it prints" not in page.read_text(encoding="utf-8")
    assert "politifact" in page.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- references


def _table_rows(text: str) -> list[list[str]]:
    rows = []
    for line in text.splitlines():
        if line.startswith("|") and not re.fullmatch(r"\|[\s:|-]+\|", line):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def _sections(text: str) -> dict[str, str]:
    """The text after each ``(rubric-KIND)=`` label, up to the next label."""
    parts = re.split(r"^\(rubric-([a-z-]+)\)=$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


TYPE_WORDS = {
    "str": "string",
    "id": "id",
    "date": "date",
    "number": "number",
    "bool": "boolean",
    "deadline": "deadline",
    "source": "source",
    "strs": "list of strings",
    "ids": "list of ids",
    "meta": "table",
}
PLURALS = {"level": "levels", "band": "bands", "criterion": "criteria"}


def _type_word(tag: str) -> str:
    if tag.startswith("tables:"):
        return f"list of {PLURALS[tag[7:]]}"
    if tag.startswith("table:"):
        return tag[6:]
    return TYPE_WORDS[tag]


def test_rubric_reference_lists_every_key_of_the_field_table() -> None:
    """docs/reference/rubric.md against the model's field table: the same keys in the
    same order, their types, required-ness, the *1.1* mark and the allowed values."""
    sections = _sections((DOCS / "reference" / "rubric.md").read_text(encoding="utf-8"))
    assert set(sections) == {"top-level", *CLASSES}
    top = [row[0].strip("`") for row in _table_rows(sections["top-level"])[1:]]
    assert top == list(TOP_LEVEL_KEYS)
    for kind in CLASSES:
        table = field_table(kind)
        rows = _table_rows(sections[kind])[1:]
        documented = [row[0].strip("`") for row in rows]
        assert documented == [spec.key for spec in table], f"`{kind}`: the keys differ"
        for spec, row in zip(table, rows, strict=True):
            where = f"`{kind}.{spec.key}`"
            assert row[1] == _type_word(spec.tag), f"{where}: type {row[1]!r}"
            assert (row[2] == "yes") == spec.required, f"{where}: required {row[2]!r}"
            assert row[3].startswith("*1.1*") == (spec.since == "1.1"), f"{where}: *1.1* mark"
            for choice in spec.choices or ():
                assert f"`{choice}`" in row[3] or f'"{choice}"' in row[3], (
                    f"{where}: the allowed value {choice!r} is not documented"
                )


def test_problem_code_reference_lists_every_code() -> None:
    rows = _table_rows((DOCS / "reference" / "codes.md").read_text(encoding="utf-8"))
    documented = {row[0].strip("`"): row[1] for row in rows if re.fullmatch(r"`[EW]\d{3}`", row[0])}
    assert set(documented) == set(CODES)
    for code, meaning in CODES.items():
        assert documented[code] == meaning, code


def test_cli_reference_documents_the_whole_group() -> None:
    text = (DOCS / "reference" / "cli.md").read_text(encoding="utf-8")
    assert "promisescore.cli:main" in text
    assert ":nested: full" in text


def test_documented_build_command() -> None:
    text = (DOCS / "about-these-docs.md").read_text(encoding="utf-8")
    assert BUILD_COMMAND in text
    assert "getting-started" in (DOCS / "index.md").read_text(encoding="utf-8")


def test_docs_extra_lists_the_build_dependencies() -> None:
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    extra = re.search(r"^docs = \[(.*?)\]", text, re.MULTILINE | re.DOTALL)
    assert extra is not None, "pyproject.toml has no `docs` extra"
    for module in DOCS_MODULES:
        assert module.replace("_", "-") in extra.group(1)


# --------------------------------------------------------------------------- the site


def _missing_docs_modules() -> list[str]:
    return [name for name in DOCS_MODULES if importlib.util.find_spec(name) is None]


@pytest.mark.slow
def test_site_builds_with_warnings_as_errors(tmp_path: Path) -> None:
    missing = _missing_docs_modules()
    if missing:
        reason = (
            f"the docs extra is not installed (missing {', '.join(missing)}): "
            "pip install -e '.[docs]'"
        )
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must build the site")
        pytest.skip(reason)
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-W",
        "--keep-going",
        "-q",
        "-b",
        "html",
        "-d",
        str(tmp_path / "doctrees"),
        str(DOCS),
        str(tmp_path / "html"),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=REPO)
    assert result.returncode == 0, result.stderr + result.stdout
    assert not result.stderr.strip(), result.stderr
    cli = (tmp_path / "html" / "reference" / "cli.html").read_text(encoding="utf-8")
    for name in main.commands:
        assert f'id="promisescore-{name}"' in cli, f"`{name}` is not in the CLI reference"
    api = (tmp_path / "html" / "api.html").read_text(encoding="utf-8")
    for name in ("load", "loads", "check", "score", "explain", "render", "dump", "dumps"):
        assert f'id="promisescore.{name}"' in api, f"promisescore.{name} is not documented"
    for page in pages():
        if page.is_relative_to(DOCS):
            built = tmp_path / "html" / page.relative_to(DOCS).with_suffix(".html")
            assert built.exists(), f"{shown(page)} was not built"


def test_click_commands_are_plain_click() -> None:
    # sphinx-click documents Click objects; a command registered some other way would be
    # missing from the reference.
    for command in main.commands.values():
        assert isinstance(command, click.Command)

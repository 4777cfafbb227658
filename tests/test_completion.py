"""Shell completion (Click's built-in), as docs/ci.md documents it."""

from __future__ import annotations

from click.testing import CliRunner

from promisescore.cli import main


def complete(words: str, cword: int) -> list[str]:
    result = CliRunner().invoke(
        main,
        [],
        prog_name="promisescore",
        env={
            "_PROMISESCORE_COMPLETE": "bash_complete",
            "COMP_WORDS": words,
            "COMP_CWORD": str(cword),
        },
    )
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def test_bash_source_script() -> None:
    result = CliRunner().invoke(
        main, [], prog_name="promisescore", env={"_PROMISESCORE_COMPLETE": "bash_source"}
    )
    assert result.exit_code == 0
    assert "_promisescore_completion" in result.stdout
    assert "complete -o nosort -F _promisescore_completion promisescore" in result.stdout


def test_commands_options_and_choices_complete() -> None:
    assert "plain,check" in complete("promisescore ch", 1)
    assert {"plain,--fail-under", "plain,--fail-under-category"} <= set(
        complete("promisescore check --fail", 2)
    )
    assert complete("promisescore init --scale p", 3) == [
        "plain,politifact",
        "plain,polimetre",
        "plain,percent",
    ]
    assert complete("promisescore check ", 2) == ["file,"]  # the shell completes file names

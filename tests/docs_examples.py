"""Run the examples of the documentation, so that the docs cannot rot.

``tests/test_docs.py`` runs every page through :func:`run_page`. The conventions, as
``docs/about-these-docs.md`` describes them to writers:

- Each page (``README.md`` and every ``docs/**/*.md``) runs in a fresh working directory
  holding a copy of ``rubrics/``; its blocks run in page order and share that directory,
  so a page can write a file and use it further down.
- ```` ```console ```` blocks: each line ``$ promisescore ...`` is run by ``bash`` (so
  globs and redirections work) with ``promisescore`` being this checkout's command, and
  ``NO_COLOR=1``, ``COLUMNS=100``. Lines after a command, up to the next ``$`` line, are
  its output (standard output and standard error together) and must match exactly,
  trailing spaces aside; a line ``...`` stands for any number of lines. A command that
  shows no output is run and must succeed, its output unchecked. The exit code must be 0
  unless the command ends with a comment ``# exit N``. ``$`` lines running anything
  other than ``promisescore`` (``pip``, ``git``, ...) are not run.
- A block right after a comment ``<!-- file: NAME -->`` is written to ``NAME`` in the
  working directory (and not otherwise checked: the commands using it are). A block
  right after ``<!-- excerpt: PATH -->`` must appear word for word in the repository's
  file ``PATH`` (an excerpt of a bundled rubric, say).
- ```` ```python ```` blocks are executed, and ```` ```pycon ```` blocks (and ``python``
  blocks starting with ``>>>``) are doctests, all in one fresh Python process per page
  (so one namespace per page, and nothing from the test process leaks in).
- ```` ```toml ```` blocks holding rubric keys must load without errors: a block with
  ``format = 1`` as it is, a fragment completed with a ``[report]``, the ``politifact``
  scale and one promise ``example``, each unless the fragment has its own. A TOML block
  with no rubric key (``[tool.promisescore]`` settings, say) need only parse.
- ```` ```yaml ```` blocks (CI recipes): every ``promisescore ...`` command in them is run
  as a console command showing no output.

Run as a program to refresh the outputs shown in console blocks after an intended change
(then review the diff)::

    PYTHONPATH=src python3 -m tests.docs_examples --update docs/tutorial.md
"""

from __future__ import annotations

import argparse
import contextlib
import doctest
import glob
import io
import json
import os
import re
import select
import shlex
import shutil
import subprocess
import sys
import tempfile
import tomllib
import traceback
from datetime import date
from pathlib import Path
from typing import Any

import attrs

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
DOCS = REPO / "docs"

_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*)$")
_MARKER = re.compile(r"^<!--\s*(?P<kind>file|excerpt):\s*(?P<name>\S+)\s*-->$")
_EXIT = re.compile(r"#\s*exit\s+(?P<code>\d+)\s*$")
_YAML_COMMAND = re.compile(r"^\s*(?:-\s+)?(?:(?:run|script):\s*)?(?P<command>promisescore\s.*)$")
_YAML_SCRIPT = re.compile(r"^\s*(?:-\s+)?(?:(?:run|script):\s*)?[|>][-+]?\s*$")
ELLIPSIS = "..."
TIMEOUT = 300

#: What a rubric fragment is completed with (each part only when the fragment lacks it).
FRAGMENT_DEFAULTS: dict[str, Any] = {
    "format": 1,
    "report": {"title": "Example", "start": date(2021, 1, 20)},
    "scale": {"preset": "politifact"},
    "promises": [{"id": "example", "title": "An example promise"}],
}


def pages() -> list[Path]:
    """Every page whose examples are run: the README and the docs, in a stable order."""
    found = [REPO / "README.md"]
    found += sorted(p for p in DOCS.rglob("*.md") if "_build" not in p.relative_to(DOCS).parts)
    return [p for p in found if p.exists()]


def shown(path: Path) -> str:
    try:
        return str(path.relative_to(REPO))
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------- parsing


@attrs.frozen
class Block:
    """One fenced code block of a page."""

    language: str
    lines: tuple[str, ...]
    #: 0-based index in the page of the block's first content line.
    start: int
    #: The name given by a ``<!-- file: NAME -->`` comment just before the block.
    file: str | None = None
    #: The file named by an ``<!-- excerpt: PATH -->`` comment just before the block.
    excerpt: str | None = None

    @property
    def text(self) -> str:
        return "".join(f"{line}\n" for line in self.lines)


def blocks(text: str) -> list[Block]:
    """The fenced code blocks of a Markdown page (MyST directives ``{...}`` left out)."""
    lines = text.splitlines()
    found: list[Block] = []
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        fence = opening.group("fence")
        info = opening.group("info").strip()
        language = info.split()[0] if info else ""
        end = index + 1
        while end < len(lines):
            closing = lines[end].strip()
            if closing.startswith(fence) and set(closing) == {fence[0]}:
                break
            end += 1
        marker = _MARKER.match(lines[index - 1].strip()) if index > 0 else None
        named = {marker.group("kind"): marker.group("name")} if marker else {}
        if not language.startswith("{"):
            found.append(
                Block(
                    language=language.lower(),
                    lines=tuple(lines[index + 1 : end]),
                    start=index + 1,
                    file=named.get("file"),
                    excerpt=named.get("excerpt"),
                )
            )
        index = end + 1
    return found


@attrs.frozen
class Command:
    """One ``$ ...`` line of a console block, with the output the page shows for it."""

    command: str
    #: 0-based index in the page of the ``$`` line.
    line: int
    #: The shown output (``None``: none shown, not checked).
    expected: tuple[str, ...] | None
    #: 0-based indexes in the page of the shown output: [first, stop).
    output_span: tuple[int, int]
    #: The exit codes accepted (default: the one of a ``# exit N`` comment, else 0).
    accept: tuple[int, ...] = ()

    @property
    def exit_codes(self) -> tuple[int, ...]:
        if self.accept:
            return self.accept
        match = _EXIT.search(self.command)
        return (int(match.group("code")),) if match else (0,)

    @property
    def runs(self) -> bool:
        """Only ``promisescore`` commands are run; other shell commands are for people."""
        return self.command.split(maxsplit=1)[0] == "promisescore"


def commands(block: Block) -> list[Command]:
    """The ``$`` commands of a console block (a trailing ``\\`` continues a command)."""
    found: list[Command] = []
    lines = block.lines
    index = 0
    while index < len(lines):
        if not lines[index].startswith("$ "):
            index += 1
            continue
        first = index
        parts = [lines[index][2:]]
        while parts[-1].endswith("\\") and index + 1 < len(lines):
            index += 1
            parts[-1] = parts[-1][:-1].rstrip()
            parts.append(lines[index].strip())
        index += 1
        output_start = index
        while index < len(lines) and not lines[index].startswith("$ "):
            index += 1
        output = lines[output_start:index]
        found.append(
            Command(
                command=" ".join(parts),
                line=block.start + first,
                expected=tuple(output) if any(line.strip() for line in output) else None,
                output_span=(block.start + output_start, block.start + index),
            )
        )
    return found


def yaml_commands(block: Block) -> list[Command]:
    """The ``promisescore`` commands of a CI recipe.

    A one-line step (``run: promisescore ...``, a ``script:`` item ``- promisescore ...``)
    is run. A multi-line script (``run: |``) is run only when every line of it is a
    ``promisescore`` command: its other lines (``git worktree add ...``) prepare what the
    commands need, which a test cannot reproduce.
    """
    found: list[Command] = []
    lines = block.lines
    index = 0
    while index < len(lines):
        line = lines[index]
        script = _YAML_SCRIPT.match(line)
        if script:
            indent = len(line) - len(line.lstrip())
            body: list[int] = []
            index += 1
            while index < len(lines) and (
                not lines[index].strip() or len(lines[index]) - len(lines[index].lstrip()) > indent
            ):
                if lines[index].strip():
                    body.append(index)
                index += 1
            if all(lines[i].strip().startswith("promisescore ") for i in body):
                for i in body:
                    where = block.start + i
                    found.append(Command(lines[i].strip(), where, None, (where, where)))
            continue
        match = _YAML_COMMAND.match(line)
        if match:
            where = block.start + index
            found.append(Command(match.group("command").strip(), where, None, (where, where)))
        index += 1
    return found


def help_examples(help_text: str) -> list[str]:
    """The commands of the ``Example:``/``Examples:`` paragraphs of a Click help text."""
    found: list[str] = []
    inside = False
    pending = ""
    for raw in help_text.splitlines():
        line = raw.strip()
        if line in ("Example:", "Examples:"):
            inside = True
            continue
        if not line or line == "\b":
            inside = False
            continue
        if not inside:
            continue
        line = pending + line
        if line.endswith("\\"):
            pending = line[:-1].rstrip() + " "
            continue
        pending = ""
        if line.startswith("promisescore "):
            found.append(line)
    return found


def placeholders(command: str, workdir: Path) -> list[str]:
    """Input files a command names that do not exist in ``workdir`` (``old.toml`` in an
    example such as ``promisescore diff old.toml new.toml``); outputs do not count."""
    words = shlex.split(command)
    missing: list[str] = []
    for before, word in zip(["", *words], words, strict=False):
        if before in ("-o", "--output", "--to") or word.startswith("-"):
            continue
        name = re.sub(r"@\d{4}-\d{2}-\d{2}$", "", word)  # diff's FILE@DATE
        if before == "--from" and not (workdir / name).exists():  # import --from DIR
            missing.append(name)
            continue
        is_input = Path(name).suffix in (".toml", ".json", ".csv", ".xlsx") and not glob.has_magic(
            name
        )
        if is_input and not (workdir / name).exists():
            missing.append(name)
    return missing


def run_examples(commands: list[str], workdir: Path) -> tuple[Page, list[str]]:
    """Run the examples of ``--help`` texts in ``workdir``, as a page's commands.

    An example must be a valid invocation: it may find problems (exit 1, like
    ``check --strict`` on a rubric with warnings) but not be a usage error (exit 2).
    Examples naming input files that are placeholders are not run; they are returned.
    """
    page = Page(REPO / "src" / "promisescore" / "cli", workdir, prepare(workdir))
    skipped: list[str] = []
    for index, command in enumerate(commands):
        if placeholders(command, workdir):
            skipped.append(command)
            continue
        run_command(page, Command(command, index, None, (index, index), accept=(0, 1)))
    return page, skipped


def documented_commands() -> dict[str, list[str]]:
    """``promisescore`` subcommand → the console commands of the docs that run it."""
    found: dict[str, list[str]] = {}
    for page in pages():
        for block in blocks(page.read_text(encoding="utf-8")):
            if block.language != "console":
                continue
            for command in commands(block):
                words = command.command.split()
                if command.runs and len(words) > 1 and not words[1].startswith("-"):
                    found.setdefault(words[1], []).append(command.command)
    return found


# --------------------------------------------------------------------------- matching


def _normal(lines: list[str] | tuple[str, ...]) -> list[str]:
    result = [line.rstrip() for line in lines]
    while result and not result[-1]:
        result.pop()
    return result


def output_matches(expected: tuple[str, ...], actual: str) -> bool:
    """Shown output against real output: exact line by line, ``...`` matching any lines."""
    want = _normal(expected)
    have = _normal(actual.splitlines())
    memo: dict[tuple[int, int], bool] = {}

    def match(i: int, j: int) -> bool:
        key = (i, j)
        if key not in memo:
            if i == len(want):
                memo[key] = j == len(have)
            elif want[i] == ELLIPSIS:
                memo[key] = any(match(i + 1, k) for k in range(j, len(have) + 1))
            else:
                memo[key] = j < len(have) and want[i] == have[j] and match(i + 1, j + 1)
        return memo[key]

    return match(0, 0)


# --------------------------------------------------------------------------- running


@attrs.define
class Page:
    """The state of one page's run: its working directory and its Python process."""

    path: Path
    workdir: Path
    bindir: Path
    python: Interpreter | None = None
    failures: list[str] = attrs.Factory(list)
    #: (first, stop, new output lines) for ``--update``.
    updates: list[tuple[int, int, list[str]]] = attrs.Factory(list)
    ran: int = 0

    def fail(self, line: int, message: str) -> None:
        self.failures.append(f"{shown(self.path)}:{line + 1}: {message}")


def prepare(workdir: Path) -> Path:
    """Fill a page's working directory; return the directory of the ``promisescore`` shim."""
    shutil.copytree(REPO / "rubrics", workdir / "rubrics")
    bindir = workdir.parent / f"{workdir.name}-bin"
    bindir.mkdir()
    shim = bindir / "promisescore"
    shim.write_text(
        f"#!{sys.executable}\n"
        "import sys\n"
        f"sys.path.insert(0, {str(SRC)!r})\n"
        "from promisescore.cli import main\n"
        "main()\n",
        encoding="utf-8",
    )
    shim.chmod(0o755)
    return bindir


def environment(page: Page) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        NO_COLOR="1",
        COLUMNS="100",
        PYTHONPATH=str(SRC),
        PYTHONUNBUFFERED="1",
        PYTHONUTF8="1",
        PATH=f"{page.bindir}{os.pathsep}{env.get('PATH', '')}",
        GITHUB_STEP_SUMMARY=str(page.workdir / "github-step-summary.md"),
    )
    return env


def run_command(page: Page, command: Command) -> None:
    page.ran += 1
    try:
        result = subprocess.run(
            ["bash", "-c", command.command],
            cwd=page.workdir,
            env=environment(page),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        page.fail(command.line, f"`{command.command}` ran for more than {TIMEOUT} s")
        return
    output = result.stdout.decode("utf-8", errors="replace")
    if "Traceback (most recent call last)" in output:
        page.fail(command.line, f"`{command.command}` printed a traceback:\n{output}")
        return
    if result.returncode not in command.exit_codes:
        expected = " or ".join(str(code) for code in command.exit_codes)
        page.fail(
            command.line,
            f"`{command.command}` exited with {result.returncode}, "
            f"expected {expected}; it printed:\n{output}",
        )
        return
    if command.expected is None:
        return
    if output_matches(command.expected, output):
        return
    if ELLIPSIS in (line.rstrip() for line in command.expected):
        page.fail(
            command.line,
            f"`{command.command}` printed something else than shown (the shown output has "
            f"'...', so --update leaves it to you); it printed:\n{output}",
        )
        return
    first, stop = command.output_span
    page.updates.append((first, stop, _normal(output.splitlines())))
    page.fail(
        command.line,
        f"`{command.command}` printed something else than shown:\n{_diff(command.expected, output)}",
    )


def _diff(expected: tuple[str, ...], actual: str) -> str:
    import difflib

    return "\n".join(
        difflib.unified_diff(
            _normal(expected), _normal(actual.splitlines()), "shown", "printed", lineterm=""
        )
    )


class Interpreter:
    """A fresh Python process for one page's ``python`` and ``pycon`` blocks.

    The blocks run there one at a time, in page order between the page's commands, and
    share one namespace, as in a reader's session: in the page's working directory, and
    unaffected by whatever the test process has imported or changed.
    """

    def __init__(self, page: Page) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                f"import sys; sys.path.insert(1, {str(REPO)!r}); "
                "from tests.docs_examples import serve; serve()",
            ],
            cwd=page.workdir,
            env=environment(page),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def run(self, kind: str, text: str, name: str, line: int) -> str | None:
        """Run one block; return what went wrong, or ``None``."""
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        request = {"kind": kind, "text": text, "name": name, "line": line}
        try:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
        except BrokenPipeError:
            return "the page's Python process has ended"
        ready, _, _ = select.select([self.process.stdout], [], [], TIMEOUT)
        if not ready:
            self.process.kill()
            return f"the example ran for more than {TIMEOUT} s"
        reply = self.process.stdout.readline()
        if not reply:
            return "the page's Python process ended unexpectedly"
        failure: str | None = json.loads(reply)["failure"]
        return failure

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def run_python(page: Page, block: Block, kind: str) -> None:
    page.ran += 1
    if page.python is None:
        page.python = Interpreter(page)
    failure = page.python.run(
        kind, block.text, f"{shown(page.path)}:{block.start + 1}", block.start
    )
    if failure:
        what = "the doctest failed" if kind == "doctest" else "the Python example raised"
        page.fail(block.start, f"{what}:\n{failure}")


def serve() -> None:
    """The loop of an :class:`Interpreter`: one JSON request per line in, one reply out."""
    namespace: dict[str, Any] = {"__name__": "__main__"}
    replies = sys.stdout
    for line in sys.stdin:
        request = json.loads(line)
        failure = _execute(request, namespace)
        replies.write(json.dumps({"failure": failure}) + "\n")
        replies.flush()


def _execute(request: dict[str, Any], namespace: dict[str, Any]) -> str | None:
    text, name = request["text"], request["name"]
    if request["kind"] == "doctest":
        test = doctest.DocTestParser().get_doctest(
            text, namespace, name, name.rsplit(":", 1)[0], request["line"]
        )
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
        report = io.StringIO()
        runner.run(test, out=report.write, clear_globs=False)
        namespace.update(test.globs)  # DocTest works on a copy; later blocks see the names
        return report.getvalue() if runner.failures else None
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(text, name, "exec"), namespace)
    except Exception:
        return traceback.format_exc()
    return None


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def check_toml(page: Page, block: Block) -> None:
    from promisescore import check_text
    from promisescore.loading.structure import TOP_LEVEL_KEYS

    page.ran += 1
    try:
        data = tomllib.loads(block.text)
    except tomllib.TOMLDecodeError as exc:
        page.fail(block.start, f"the TOML does not parse: {exc}")
        return
    if not set(data) & set(TOP_LEVEL_KEYS):
        return  # not a rubric: settings and the like
    if "format" in data:
        result = check_text(block.text, name=f"{shown(page.path)}:{block.start + 1}")
    else:
        whole = {**FRAGMENT_DEFAULTS, **data}
        result = check_text(
            json.dumps(whole, default=_jsonable),
            "json",
            name=f"{shown(page.path)}:{block.start + 1} (a fragment, completed)",
        )
    if result.errors:
        listed = "\n".join(problem.format() for problem in result.errors)
        page.fail(block.start, f"the rubric example does not load:\n{listed}")


def check_excerpt(page: Page, block: Block) -> None:
    page.ran += 1
    source = REPO / block.excerpt if block.excerpt else REPO
    if not source.is_file():
        page.fail(block.start, f"the excerpt names {block.excerpt}, which does not exist")
    elif block.text not in source.read_text(encoding="utf-8"):
        page.fail(block.start, f"the block is not an excerpt of {block.excerpt} (any more)")


def run_page(path: Path, workdir: Path) -> Page:
    """Run every example of one page in ``workdir`` (an empty directory)."""
    page = Page(path, workdir, prepare(workdir))
    try:
        run_blocks(page)
    finally:
        if page.python is not None:
            page.python.close()
    return page


def run_blocks(page: Page) -> None:
    workdir = page.workdir
    for block in blocks(page.path.read_text(encoding="utf-8")):
        if block.file is not None:
            target = workdir / block.file
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.text, encoding="utf-8")
            continue
        if block.excerpt is not None:
            check_excerpt(page, block)
            continue
        if block.language == "console":
            for command in commands(block):
                if command.runs:
                    run_command(page, command)
        elif block.language in ("python", "py", "pycon"):
            if block.language == "pycon" or block.text.lstrip().startswith(">>>"):
                run_python(page, block, "doctest")
            else:
                run_python(page, block, "exec")
        elif block.language == "toml":
            check_toml(page, block)
        elif block.language in ("yaml", "yml"):
            for command in yaml_commands(block):
                run_command(page, command)


def update(path: Path, page: Page) -> bool:
    """Write the real outputs into the page's console blocks; True if anything changed."""
    if not page.updates:
        return False
    lines = path.read_text(encoding="utf-8").splitlines()
    for first, stop, new in sorted(page.updates, reverse=True):
        lines[first:stop] = new
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m tests.docs_examples", description=__doc__)
    parser.add_argument("pages", nargs="*", type=Path, help="default: every page")
    parser.add_argument(
        "--update", action="store_true", help="write the real outputs into the pages"
    )
    args = parser.parse_args(argv)
    failed = 0
    for path in [p.resolve() for p in args.pages] or pages():
        with tempfile.TemporaryDirectory() as tmp:
            page = run_page(path, Path(tmp) / "page")
        if args.update and update(path, page):
            print(f"updated {shown(path)}")
        for failure in page.failures:
            if not (args.update and "printed something else than shown:" in failure):
                failed += 1
                print(failure, file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

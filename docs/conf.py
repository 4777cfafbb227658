"""Sphinx configuration of the promisescore documentation site.

Build it from the repository root (warnings are errors):

    python3 -m pip install -e '.[docs]'
    python3 -m sphinx -W --keep-going -b html docs docs/_build/html

Pages are Markdown (MyST). Nothing here reaches the network (no intersphinx) or reads the
clock, so the same sources give the same site.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parent
REPO = DOCS.parent
# Document the checkout's code, installed or not.
sys.path.insert(0, str(REPO / "src"))

from promisescore import __version__  # noqa: E402

project = "promisescore"
author = "promisescore developers"
copyright = "promisescore developers"  # no year: the build does not read the clock
version = release = __version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx_click",
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "**/.pytest_cache"]
language = "en"

# Markdown: `::: note` admonitions, definition lists, and anchors for ## and ### headings
# so that links such as [timeline](#timeline) and (format.md#clarifications) resolve.
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# In docstrings and Click help, `text` means code, as in Markdown.
default_role = "literal"

# Curly quotes, but never `--` to a dash: option names such as --strict stay as typed.
smartquotes_action = "qe"

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_typehints_format = "short"
autodoc_default_options: dict[str, Any] = {"members": True}

html_theme = "furo"
html_title = f"promisescore {release}"
html_short_title = "promisescore"
html_show_sphinx = False
html_copy_source = False
html_last_updated_fmt: str | None = None  # no build date on the pages
html_theme_options: dict[str, Any] = {
    # "Edit this page" links (the repository named in pyproject.toml).
    "source_repository": "https://github.com/promisescore/promisescore/",
    "source_branch": "main",
    "source_directory": "docs/",
}

pygments_style = "friendly"
pygments_dark_style = "monokai"


# --------------------------------------------------------------------------- the index
# In a toctree of index.md, the entry `*` stands for every top-level page that no toctree
# of index.md lists by name (sorted), and `reference/*` for every such page in
# `reference/`. Sphinx's own `:glob:` cannot leave out the pages that other toctrees of
# the same page list (they would then be listed twice), and it fails when a pattern
# matches nothing; a page left out of every toctree fails the build too. So a new page
# appears under "Guides" (or "Reference") until someone files it by name.

_TOCTREE = re.compile(r"^```\{toctree\}\n(.*?)^```", re.MULTILINE | re.DOTALL)
_REST = re.compile(r"^(?:([a-z0-9_-]+)/)?\*$", re.MULTILINE)


def _listed(text: str) -> set[str]:
    names: set[str] = set()
    for body in _TOCTREE.findall(text):
        for line in body.splitlines():
            entry = line.strip()
            if entry and not entry.startswith(":") and not _REST.fullmatch(entry):
                names.add(entry.removesuffix(".md"))
    return names


def _expand_rest(app: Any, docname: str, source: list[str]) -> None:
    if docname != root_doc:
        return
    text = source[0]
    listed = _listed(text) | {root_doc}

    def rest(match: re.Match[str]) -> str:
        folder = match.group(1)
        prefix = f"{folder}/" if folder else ""
        return "\n".join(
            sorted(
                name
                for name in app.env.found_docs
                if name.startswith(prefix)
                and "/" not in name.removeprefix(prefix)
                and name not in listed
            )
        )

    source[0] = _TOCTREE.sub(lambda block: _REST.sub(rest, block.group(0)), text)


# --------------------------------------------------------------------------- CLI help
# sphinx-click renders Click's `\b` paragraphs (the "Example:" blocks of every command's
# help) as line blocks, whose text is parsed as reStructuredText: `rubrics/*.toml` would
# start an emphasis. They hold commands, so render them as code, as typed.


def _examples_as_code(app: Any, ctx: Any, lines: list[str]) -> None:
    out: list[str] = []
    index = 0
    while index < len(lines):
        if not lines[index].startswith("| "):
            out.append(lines[index])
            index += 1
            continue
        block: list[str] = []
        while index < len(lines) and lines[index].startswith("| "):
            block.append(lines[index][2:])
            index += 1
        if block[0].rstrip().endswith(":") and len(block) > 1:
            out += [block[0].rstrip(), ""]
            block = block[1:]
        width = min(len(line) - len(line.lstrip()) for line in block if line.strip())
        out += [".. code-block:: shell", ""]
        out += [f"   {line[width:]}" for line in block]
        out.append("")
    lines[:] = out


def setup(app: Any) -> dict[str, Any]:
    app.connect("source-read", _expand_rest)
    app.connect("sphinx-click-process-description", _examples_as_code)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

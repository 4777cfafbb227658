"""Hypothesis strategies for fuzzing the loader: valid rubric texts, then mutated.

The seeds cover every kind of object (categories, criteria, targets, custom levels,
grading with a late cap); the mutations are the ones hand-written files suffer: a
flipped byte, a truncated file, a line duplicated, dropped or swapped, a value
replaced by a hostile one (NaN, huge numbers, extreme dates, deep brackets, long
strings, a BOM, CR characters, NUL), and since issue 19 the shapes a probe of the
CLI found: integers too big for a float (decimal, hex, with underscores, past
Python's 4,300-digit limit), lone surrogate escapes, terminal escapes and bidi
overrides, newlines that would forge lines, spreadsheet formulas and @mentions.
:func:`symlinked_trees` makes include trees with symbolic links to ``..``, loops and
dangling links.
"""

from __future__ import annotations

import json
import tomllib
from datetime import date
from typing import Any

from hypothesis import strategies as st

SEED_TOML = """\
format = 1

[report]
title = "Fuzz"
subject = "Someone"
start = 2021-01-20
end = 2025-01-20

[scale]
levels = [
  { id = "none", label = "Not rated", unrated = true },
  { id = "broken", label = "Broken", value = 0, final = true },
  { id = "partial", label = "Partly", value = 0.5 },
  { id = "kept", label = "Kept", value = 1, final = true },
]

[grading]
consensus = "median"
unrated = "exclude"
late = "partial"
bands = [{ grade = "A", min = 0.9 }, { grade = "F", min = 0 }]

[[categories]]
id = "c1"
title = "Category one"
weight = 2

[[promises]]
id = "p1"
title = "Plain promise"
category = "c1"
weight = 1.5
made_on = 2021-01-20
deadline = "P100D"
tags = ["a", "b"]
source = { title = "Speech", kind = "claim", date = 2020-10-01 }

[[promises]]
id = "p2"
title = "Criteria promise"
deadline = "end-of-term"
criteria = [{ id = "x", title = "X", weight = 2 }, { id = "y", title = "Y" }]

[[promises]]
id = "p3"
title = "Target promise"
deadline = 2023-01-01
target = { metric = "jobs", baseline = 0, target = 100, unit = "k" }

[[evidence]]
id = "e1"
promise = "p1"
date = 2021-03-01
summary = "Signed"
source = { title = "Order", kind = "record", url = "https://example.org" }

[[evidence]]
id = "e2"
promise = "p3"
date = 2022-01-01
summary = "Half way"
source = "A report"
value = 50
effect = "advances"

[[evidence]]
id = "e3"
promise = "p2"
criterion = "x"
date = 2021-06-01
summary = "Part x"
source = { title = "Report", kind = "report" }

[[assessments]]
promise = "p1"
by = "alice"
date = 2021-04-01
rating = "kept"
evidence = ["e1"]

[[assessments]]
promise = "p1"
by = "bob"
date = 2021-05-01
rating = "partial"
evidence = ["e1"]
note = "slow"

[[assessments]]
promise = "p2"
criterion = "x"
by = "alice"
date = 2021-06-02
rating = "kept"
evidence = ["e3"]
"""


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


SEED_JSON = json.dumps(_jsonable(tomllib.loads(SEED_TOML)), indent=1)

SEEDS: tuple[tuple[str, str], ...] = (("toml", SEED_TOML), ("json", SEED_JSON))

HOSTILE_VALUES: tuple[str, ...] = (
    "nan",
    "inf",
    "-inf",
    "NaN",
    "Infinity",
    "-1",
    "0",
    "1e400",
    "1e308",
    "-0.0",
    "5e-324",
    "0001-01-01",
    "9999-12-31",
    '"0001-01-01"',
    '"9999-12-31"',
    '"P9999Y"',
    '"P0D"',
    '"end-of-term"',
    "[[[[[[[[[[",
    "[" * 200 + "]" * 200,
    '"' + "x" * 2000 + '"',
    '""',
    "true",
    "null",
    "{}",
    "[]",
    '{ title = "t" }',
    '{"title": "t"}',
    '"\\u0000"',
    '"\\ud800"',
    "1979-05-27T07:32:00Z",
    "07:32:00",
    # issue 19: numbers no float can hold
    "1" + "0" * 400,
    "-" + "9" * 320,
    "0x" + "f" * 300,
    "1" + "_000" * 110,
    "9" * 5000,
    # lone surrogates, control characters, forged lines, formulas, mentions
    '"\\udfff"',
    '"a\\ud83d"',
    '"\\u001b]0;title\\u0007"',
    '"\\u001b[2J\\u202eevil"',
    '"x\\n::error file=README.md,line=1::forged"',
    '"x\\r\\nr.toml:1: E999 forged"',
    '"=HYPERLINK(\\"http://x\\")"',
    '"@octocat"',
    '"A\\" onload=\\"alert(1)\\" x=\\""',
)

SPLICES: tuple[str, ...] = (
    "\ufeff",
    "\r",
    "\r\n",
    "\x00",
    "\\",
    '"',
    "'",
    "=",
    ",",
    "]",
    "}",
    "\x1b",
    "\x07",
    "\u202e",
    "\x85",
    "\u2028",
)


@st.composite
def mutated_text(draw: st.DrawFn, syntax: str, *, as_bytes: bool = False) -> Any:
    """A seed rubric in ``syntax`` with one to three mutations (bytes if ``as_bytes``)."""
    text = SEED_TOML if syntax == "toml" else SEED_JSON
    for _ in range(draw(st.integers(1, 3))):
        text = draw(_mutation(text))
    if not as_bytes:
        return text
    raw = text.encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        at = draw(st.integers(0, len(raw)))
        raw = (
            raw[:at]
            + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xef\xbb\xbf"]))
            + raw[at:]
        )
    return raw


@st.composite
def _mutation(draw: st.DrawFn, text: str) -> str:
    lines = text.split("\n")
    kind = draw(
        st.sampled_from(["flip", "truncate", "duplicate", "drop", "swap", "value", "splice"])
    )
    if kind == "flip" and text:
        at = draw(st.integers(0, len(text) - 1))
        char = draw(st.characters(codec="utf-8", exclude_categories=["Cs"]))
        return text[:at] + char + text[at + 1 :]
    if kind == "truncate":
        return text[: draw(st.integers(0, len(text)))]
    if kind == "duplicate" and lines:
        i = draw(st.integers(0, len(lines) - 1))
        return "\n".join([*lines[: i + 1], lines[i], *lines[i + 1 :]])
    if kind == "drop":
        i = draw(st.integers(0, len(lines) - 1))
        return "\n".join(lines[:i] + lines[i + 1 :])
    if kind == "swap":
        i = draw(st.integers(0, len(lines) - 1))
        j = draw(st.integers(0, len(lines) - 1))
        a, b = lines[i], lines[j]
        if "=" in a and "=" in b and ":" not in a + b:  # TOML: swap the values
            lines[i] = a.split("=", 1)[0] + "=" + b.split("=", 1)[1]
            lines[j] = b.split("=", 1)[0] + "=" + a.split("=", 1)[1]
        elif ":" in a and ":" in b:  # JSON: swap the values
            lines[i] = a.split(":", 1)[0] + ":" + b.split(":", 1)[1]
            lines[j] = b.split(":", 1)[0] + ":" + a.split(":", 1)[1]
        else:
            lines[i], lines[j] = b, a
        return "\n".join(lines)
    if kind == "value":
        candidates = [i for i, line in enumerate(lines) if "=" in line or ":" in line]
        if not candidates:
            return text
        i = draw(st.sampled_from(candidates))
        sep = "=" if "=" in lines[i] else ":"
        head, tail = lines[i].split(sep, 1)
        value = draw(st.sampled_from(HOSTILE_VALUES))
        comma = "," if tail.rstrip().endswith(",") else ""
        lines[i] = f"{head}{sep} {value}{comma}"
        return "\n".join(lines)
    at = draw(st.integers(0, len(text)))
    return text[:at] + draw(st.sampled_from(SPLICES)) + text[at:]


#: What a file of a symlinked tree may be: a rubric part, or a link (``-> target``).
_TREE_FILES = (
    'include = ["**/*.toml"]\n',
    'include = ["*/*.toml"]\n',
    'include = ["up/*.toml"]\n',
    '[[promises]]\nid = "q{n}"\ntitle = "Included {n}"\n',
)
_TREE_LINKS = ("-> ..", "-> ../..", "-> .", "-> {self}", "-> missing", "-> ../root.toml")


@st.composite
def symlinked_trees(draw: st.DrawFn) -> dict[str, str]:
    """An include tree below ``root.toml``: a few directories, rubric parts that include
    by glob, and symbolic links to ``..``, ``.``, themselves (a loop) or nowhere.

    Paths map to file text, or to ``-> TARGET`` for a link (``{self}`` is the link's
    own name). Whatever the tree, checking ``root.toml`` must end, quickly, with a
    clear result.
    """
    dirs = draw(st.lists(st.sampled_from(["a", "a/b", "c", "a/b/d"]), max_size=3, unique=True))
    tree: dict[str, str] = {"root.toml": 'include = ["**/*.toml"]\n' + SEED_TOML}
    for n, folder in enumerate(dirs):
        text = draw(st.sampled_from(_TREE_FILES)).replace("{n}", str(n))
        tree[f"{folder}/part{n}.toml"] = text
        for m in range(draw(st.integers(0, 2))):
            name = f"{folder}/link{m}" + draw(st.sampled_from(["", ".toml"]))
            target = draw(st.sampled_from(_TREE_LINKS)).replace("{self}", name.rsplit("/", 1)[-1])
            tree[name] = target
    if draw(st.booleans()):
        tree["root.toml"] = draw(st.sampled_from(_TREE_FILES[:3])) + SEED_TOML
    return tree

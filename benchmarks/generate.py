"""Generate a seeded synthetic rubric: N promises, M evidence, K assessments, A assessors.

    python benchmarks/generate.py --promises 100000 --evidence 1000000 \\
        --assessments 1000000 --assessors 3 --format json --out big.json

The same arguments and seed always give the same bytes. The rubric is valid and clean
(no warnings): every promise has evidence, every assessment cites evidence, ratings of
"kept" rest on a primary record. About 90% of promises are plain, 5% have criteria and
5% a numeric target; deadlines mix dates, durations and "end-of-term". Files are
written one object at a time, so generating a million items takes little memory.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TextIO

START = date(2021, 1, 20)
END = date(2025, 1, 20)
DAYS = (END - START).days
LEVELS = ("not-yet-rated", "broken", "stalled", "in-the-works", "compromise", "kept")
RATING_WEIGHTS = (1, 3, 2, 4, 3, 4)
KINDS = ("record", "report", "claim", "advocacy")
WORDS = [
    "the",
    "administration",
    "signed",
    "an",
    "order",
    "on",
    "border",
    "asylum",
    "rules",
    "funding",
    "court",
    "report",
    "agency",
    "staff",
    "program",
    "families",
    "detention",
    "visa",
    "review",
    "backlog",
    "policy",
    "congress",
    "bill",
    "budget",
    "states",
    "cities",
    "data",
    "office",
    "department",
    "released",
]
CATEGORIES = 20


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def _day(rng: random.Random) -> date:
    return START + timedelta(days=rng.randrange(DAYS))


class Plan:
    """Which promise each evidence and assessment belongs to (decided up front)."""

    def __init__(self, promises: int, evidence: int, assessments: int, assessors: int) -> None:
        if promises < 1:
            raise SystemExit("need at least one promise")
        self.n, self.m, self.k, self.a = promises, evidence, assessments, max(1, assessors)
        # promise kinds: every 20th has criteria, every 20th (offset 10) a target
        self.assessable = [p for p in range(promises) if self.kind(p) != "target"] or [0]

    def kind(self, p: int) -> str:
        if p % 20 == 7:
            return "criteria"
        if p % 20 == 17 and self.n > 1:
            return "target"
        return "plain"

    def evidence_promise(self, j: int) -> int:
        return j % self.n


def promises(plan: Plan, rng: random.Random) -> Iterator[dict[str, Any]]:
    for p in range(plan.n):
        item: dict[str, Any] = {
            "id": f"p{p}",
            "title": _words(rng, 6),
            "category": f"c{p % CATEGORIES}",
            "weight": rng.choice((1, 1, 1, 2, 3)),
            "made_on": START,
            "authority": rng.choice(("executive", "legislature", "shared")),
        }
        deadline = rng.randrange(5)
        if deadline == 1:
            item["deadline"] = "P100D"
        elif deadline == 2:
            item["deadline"] = "P2Y"
        elif deadline == 3:
            item["deadline"] = "end-of-term"
        elif deadline == 4:
            item["deadline"] = _day(rng)
        kind = plan.kind(p)
        if kind == "criteria":
            item["criteria"] = [
                {"id": "a", "title": "First part", "weight": 2},
                {"id": "b", "title": "Second part"},
            ]
        elif kind == "target":
            item["target"] = {"metric": "jobs", "baseline": 0, "target": 1000, "unit": "k"}
        yield item


def evidence(plan: Plan, rng: random.Random) -> Iterator[dict[str, Any]]:
    for j in range(plan.m):
        p = plan.evidence_promise(j)
        first = j < plan.n  # each promise's first evidence is a primary record
        item: dict[str, Any] = {
            "id": f"e{j}",
            "promise": f"p{p}",
            "date": _day(rng),
            "summary": _words(rng, 10),
            "source": {
                "title": _words(rng, 5),
                "url": f"https://example.org/{j}",
                "publisher": rng.choice(("Agency", "Newspaper", "Campaign", "Advocates")),
                "kind": "record" if first else rng.choice(KINDS),
            },
            "effect": rng.choice(("advances", "advances", "regresses", "neutral")),
        }
        if plan.kind(p) == "criteria":
            item["criterion"] = rng.choice(("a", "b"))
        if plan.kind(p) == "target":
            item["value"] = rng.randrange(0, 1200)
        if rng.random() < 0.3:
            item["quote"] = _words(rng, 12)
        yield item


def assessments(plan: Plan, rng: random.Random) -> Iterator[dict[str, Any]]:
    names = [f"assessor-{i}" for i in range(plan.a)]
    for i in range(plan.k):
        p = plan.assessable[i % len(plan.assessable)]
        cited = [f"e{p}"] if p < plan.m else []
        if p + plan.n < plan.m:
            cited.append(f"e{p + plan.n}")
        item: dict[str, Any] = {
            "promise": f"p{p}",
            "by": names[(i // len(plan.assessable)) % plan.a],
            "date": _day(rng),
            "rating": rng.choices(LEVELS, RATING_WEIGHTS)[0],
            "evidence": cited,
        }
        if plan.kind(p) == "criteria":
            item["criterion"] = rng.choice(("a", "b"))
        if rng.random() < 0.2:
            item["note"] = _words(rng, 8)
        yield item


def head(plan: Plan) -> dict[str, Any]:
    return {
        "format": 1,
        "report": {
            "title": f"Synthetic rubric: {plan.n} promises, {plan.m} evidence, {plan.k} assessments",
            "subject": "A generated government",
            "start": START,
            "end": END,
        },
        "scale": {"preset": "politifact"},
        "categories": [{"id": f"c{c}", "title": f"Category {c}"} for c in range(CATEGORIES)],
    }


def _json_default(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def write_json(plan: Plan, seed: int, out: TextIO) -> None:
    rng = random.Random(seed)
    top = head(plan)
    out.write("{\n")
    for key, value in top.items():
        out.write(f"{json.dumps(key)}: {json.dumps(value, default=_json_default)},\n")
    sections = (
        ("promises", promises(plan, rng)),
        ("evidence", evidence(plan, rng)),
        ("assessments", assessments(plan, rng)),
    )
    for index, (key, items) in enumerate(sections):
        out.write(f'"{key}": [\n')
        first = True
        for item in items:
            if not first:
                out.write(",\n")
            out.write(json.dumps(item, default=_json_default, ensure_ascii=False))
            first = False
        out.write("\n]" + ("," if index < len(sections) - 1 else "") + "\n")
    out.write("}\n")


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a valid TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(type(value).__name__)


def write_toml(plan: Plan, seed: int, out: TextIO) -> None:
    rng = random.Random(seed)
    top = head(plan)
    out.write(f"format = {top['format']}\n")
    for table in ("report", "scale"):
        out.write(f"\n[{table}]\n")
        for key, value in top[table].items():
            out.write(f"{key} = {_toml_value(value)}\n")
    for key, items in (
        ("categories", iter(top["categories"])),
        ("promises", promises(plan, rng)),
        ("evidence", evidence(plan, rng)),
        ("assessments", assessments(plan, rng)),
    ):
        for item in items:
            out.write(f"\n[[{key}]]\n")
            for name, value in item.items():
                out.write(f"{name} = {_toml_value(value)}\n")


def generate(
    path: Path,
    promises: int,
    evidence: int,
    assessments: int,
    assessors: int,
    syntax: str,
    seed: int = 0,
) -> Path:
    plan = Plan(promises, evidence, assessments, assessors)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as out:
        (write_json if syntax == "json" else write_toml)(plan, seed, out)
    tmp.replace(path)
    return path


# -- the shape of issue 18 -------------------------------------------------------------------
#
# 50 categories; every evidence item carries its own inline source table {title, kind};
# every assessment (by one of the assessors) cites exactly one evidence item of its
# promise; the whole document is written with one plain ``json.dump`` (one line, as
# most programs write JSON). ``warnings`` extra promises have no evidence (W101 each).


def issue_document(
    promises: int, evidence: int, assessments: int, assessors: int, warnings: int = 0, seed: int = 0
) -> dict[str, Any]:
    rng = random.Random(seed)
    categories = 50
    names = [f"assessor-{i}" for i in range(max(1, assessors))]
    doc: dict[str, Any] = {
        "format": 1,
        "report": {
            "title": f"Issue-18 rubric: {promises} promises, {evidence} evidence",
            "subject": "A generated government",
            "start": START.isoformat(),
            "end": END.isoformat(),
        },
        "scale": {"preset": "politifact"},
        "categories": [{"id": f"c{c}", "title": f"Category {c}"} for c in range(categories)],
        "promises": [
            {"id": f"p{p}", "title": _words(rng, 6), "category": f"c{p % categories}"}
            for p in range(promises)
        ]
        + [
            {"id": f"w{w}", "title": "A promise nobody followed up", "category": "c0"}
            for w in range(warnings)
        ],
        "evidence": [
            {
                "id": f"e{j}",
                "promise": f"p{j % promises}",
                "date": _day(rng).isoformat(),
                "summary": _words(rng, 8),
                "source": {
                    "title": _words(rng, 4),
                    "kind": "record" if j < promises else rng.choice(KINDS),
                },
            }
            for j in range(evidence)
        ],
        "assessments": [
            {
                "promise": f"p{(i % evidence) % promises}",
                "by": names[i % len(names)],
                "date": _day(rng).isoformat(),
                "rating": rng.choices(LEVELS, RATING_WEIGHTS)[0],
                "evidence": [f"e{i % evidence}"],
            }
            for i in range(assessments)
        ],
    }
    return doc


def generate_issue(
    path: Path,
    promises: int,
    evidence: int,
    assessments: int,
    assessors: int = 3,
    syntax: str = "json",
    warnings: int = 0,
    seed: int = 0,
) -> Path:
    """Write the issue-18 shape (see above) as JSON (one ``json.dump``) or TOML."""
    doc = issue_document(promises, evidence, assessments, assessors, warnings, seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as out:
        if syntax == "json":
            json.dump(doc, out)
        else:
            out.write(f"format = {doc['format']}\n")
            for table in ("report", "scale"):
                out.write(f"\n[{table}]\n")
                for key, value in doc[table].items():
                    out.write(f"{key} = {_toml_value(value)}\n")
            for key in ("categories", "promises", "evidence", "assessments"):
                for item in doc[key]:
                    out.write(f"\n[[{key}]]\n")
                    for name, value in item.items():
                        out.write(f"{name} = {_toml_value(value)}\n")
    tmp.replace(path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--promises", type=int, default=1000)
    parser.add_argument("--evidence", type=int, default=10000)
    parser.add_argument("--assessments", type=int, default=10000)
    parser.add_argument("--assessors", type=int, default=3)
    parser.add_argument("--format", choices=("toml", "json"), default="json")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    generate(
        args.out,
        args.promises,
        args.evidence,
        args.assessments,
        args.assessors,
        args.format,
        args.seed,
    )
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""A smaller face: docs/api.md says what is public, and the code agrees both ways.

Public: every name of ``promisescore.__all__`` and the names docs/api.md documents from
the submodules it lists. So every public name is documented there, every name documented
there exists, and no module's ``__all__`` promises a name the page does not document.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import promisescore

REPO = Path(__file__).resolve().parents[1]
API = REPO / "docs" / "api.md"
#: Deprecated aliases: they warn on import and go away (their names are another module's).
ALIASES = {"promisescore.output", "promisescore.writing"}

DIRECTIVE = re.compile(
    r"^\.\. auto(function|class|exception|data|method|attribute|module):: (\S+)$", re.M
)


def _page() -> str:
    return API.read_text(encoding="utf-8")


def documented() -> dict[str, str]:
    """Every name documented by an autodoc directive of docs/api.md → its directive."""
    return {name: kind for kind, name in DIRECTIVE.findall(_page())}


def resolve(dotted: str) -> Any:
    """The object a dotted name stands for: the longest importable module, then
    attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            value: Any = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[cut:]:
            value = getattr(value, attribute)
        return value
    raise ModuleNotFoundError(dotted)


def _modules() -> list[str]:
    names = ["promisescore"]
    for info in pkgutil.walk_packages(promisescore.__path__, "promisescore."):
        if info.name not in ALIASES and not info.name.endswith("__main__"):
            names.append(info.name)
    return sorted(names)


def _documented_objects() -> list[Any]:
    return [resolve(name) for name in documented()]


def _is_documented(module: str, name: str) -> bool:
    names = documented()
    if f"{module}.{name}" in names:
        return True
    if names.get(module) == "module":  # ``automodule`` with its members
        return True
    value = getattr(importlib.import_module(module), name)
    return any(value is other for other in _documented_objects())


def test_the_api_page_is_docs_api_md() -> None:
    assert API.exists()
    assert not (REPO / "docs" / "reference" / "api.md").exists()  # one place
    index = (REPO / "docs" / "index.md").read_text(encoding="utf-8")
    assert re.search(r"^api$", index, re.M), "docs/api.md is not in the toctree"


def test_every_documented_name_exists() -> None:
    names = documented()
    assert len(names) > 100
    missing = []
    for name in names:
        try:
            resolve(name)
        except (ImportError, AttributeError):
            missing.append(name)
    assert missing == []


@pytest.mark.parametrize("name", promisescore.__all__)
def test_every_top_level_name_is_documented(name: str) -> None:
    assert hasattr(promisescore, name)
    assert _is_documented("promisescore", name), f"promisescore.{name} is not in docs/api.md"


def _home(name: str) -> str:
    """The module a documented dotted name lives in (the longest prefix that is one)."""
    value = resolve(name)
    if isinstance(value, ModuleType):
        return value.__name__
    parent = name.rpartition(".")[0]
    while not isinstance(resolve(parent), ModuleType):
        parent = parent.rpartition(".")[0]
    return parent


def test_the_listed_submodules_are_those_documented() -> None:
    """The submodules "What is public" names are those the page documents names of."""
    section = _page().split("from these submodules:", 1)[1].split("Everything else", 1)[0]
    listed = set(re.findall(r"`(promisescore\.[a-z_]+)`", section))
    listed |= {f"promisescore.{m}" for m in re.findall(r"`([a-z_]+\.[a-z_]+)\.\w+`", section)}
    homes = {_home(name) for name in documented()} - {"promisescore"}
    assert homes == listed


@pytest.mark.parametrize("module", _modules())
def test_no_all_promises_an_internal(module: str) -> None:
    """A module's ``__all__`` lists only names docs/api.md documents (or it has none)."""
    loaded = importlib.import_module(module)
    exported = getattr(loaded, "__all__", None)
    if exported is None:
        return
    undocumented = [name for name in exported if not _is_documented(module, name)]
    assert undocumented == [], f"{module}.__all__ promises internals: {undocumented}"

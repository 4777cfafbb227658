"""The layers hold: no import cycle between modules, the import-linter contract, public
seams instead of private reach-ins, and export lists that agree with what they export.

Imports are read from every module's source (its AST), so imports inside functions count
as much as those at the top, and so do imports inside ``if TYPE_CHECKING:``: they never
run, but a module that names a higher layer's type, even in an annotation only, still
depends on it (grimp's and ``[tool.importlinter]``'s default; there
``exclude_type_checking_imports = false``). One cycle is known and allowed, made only
through a TYPE_CHECKING import: :data:`KNOWN_CYCLES`. Among the imports that run there is
no cycle at all. docs/development.md describes the layers.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import sys
import types
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

import promisescore

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
PACKAGE = SRC / "promisescore"


# --------------------------------------------------------------------------- the checker


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    line: int
    in_function: bool
    type_checking: bool


def module_names(root: Path, package: str) -> dict[str, Path]:
    """Every module of the package under ``root`` (its directory): dotted name → file."""
    found: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join([package, *parts])] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def collect_imports(root: Path, package: str) -> list[Import]:
    """All imports between the package's modules, wherever they are written."""
    modules = module_names(root, package)
    out: list[Import] = []
    for importer, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        out.extend(_imports_of(tree, importer, path.name == "__init__.py", set(modules)))
    return out


def _imports_of(tree: ast.AST, importer: str, is_package: bool, modules: set[str]) -> list[Import]:
    out: list[Import] = []

    def target(name: str) -> str | None:
        # the module itself, or the nearest enclosing module for an attribute
        while name:
            if name in modules:
                return name
            name = name.rpartition(".")[0]
        return None

    def visit(node: ast.AST, in_function: bool, type_checking: bool) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for statement in node.body:
                visit(statement, in_function, True)
            for statement in node.orelse:
                visit(statement, in_function, type_checking)
            return
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            in_function = True
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = importer if is_package else importer.rpartition(".")[0]
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                origin = f"{base}.{node.module}" if node.module else base
            else:
                origin = node.module or ""
            names = [
                f"{origin}.{alias.name}" if f"{origin}.{alias.name}" in modules else origin
                for alias in node.names
            ]
        for name in names:
            imported = target(name)
            if imported is not None and imported != importer:
                line = getattr(node, "lineno", 0)
                out.append(Import(importer, imported, line, in_function, type_checking))
        for child in ast.iter_child_nodes(node):
            visit(child, in_function, type_checking)

    visit(tree, False, False)
    return out


#: The import cycles still allowed, each closed only by an ``if TYPE_CHECKING:`` import:
#: none. (The last one, ``model`` <-> ``validate``, went when the relation checks that
#: building a ``Rubric`` runs moved into ``promisescore.model.rubric``; issue 12.)
KNOWN_CYCLES: list[list[str]] = []


def cycles(imports: Iterable[Import], *, type_checking: bool = True) -> list[list[str]]:
    """The import cycles (strongly connected components of more than one module), counting
    the imports inside ``if TYPE_CHECKING:`` unless ``type_checking`` is false."""
    graph: dict[str, set[str]] = {}
    for item in imports:
        if type_checking or not item.type_checking:
            graph.setdefault(item.importer, set()).add(item.imported)
            graph.setdefault(item.imported, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:  # Tarjan's algorithm
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                connect(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def _explain(found: list[list[str]], imports: list[Import]) -> str:
    lines = []
    for component in found:
        lines.append("cycle: " + " ".join(component))
        members = set(component)
        for item in imports:
            if item.importer in members and item.imported in members:
                where = "in a function" if item.in_function else "at the top"
                if item.type_checking:
                    where += ", under TYPE_CHECKING"
                lines.append(f"  {item.importer}:{item.line} imports {item.imported} ({where})")
    return "\n".join(lines)


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- the checker checked


def test_the_checker_sees_a_cycle_through_a_function_level_import(tmp_path: Path) -> None:
    _write(
        tmp_path / "pkg",
        {
            "__init__.py": "",
            "a.py": "def f():\n    from . import b\n    return b\n",
            "b.py": "from .sub.c import x\n",
            "sub/__init__.py": "",
            "sub/c.py": "import pkg.a\nx = 1\n",
        },
    )
    imports = collect_imports(tmp_path / "pkg", "pkg")
    assert cycles(imports) == [["pkg.a", "pkg.b", "pkg.sub.c"]]
    function_level = [i for i in imports if i.in_function]
    assert function_level == [Import("pkg.a", "pkg.b", 2, True, False)]


def test_the_checker_counts_type_checking_imports_unless_told(tmp_path: Path) -> None:
    _write(
        tmp_path / "pkg",
        {
            "__init__.py": "",
            "a.py": "from .b import B\n",
            "b.py": (
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .a import A\n"
                "else:\n    import pkg.c\nclass B: ...\n"
            ),
            "c.py": "",
        },
    )
    imports = collect_imports(tmp_path / "pkg", "pkg")
    assert cycles(imports) == [["pkg.a", "pkg.b"]]
    assert cycles(imports, type_checking=False) == []
    assert Import("pkg.b", "pkg.a", 3, False, True) in imports
    assert Import("pkg.b", "pkg.c", 5, False, False) in imports


def test_the_checker_resolves_names_to_modules_or_their_package(tmp_path: Path) -> None:
    _write(
        tmp_path / "pkg",
        {
            "__init__.py": "from .tools import helper, thing\n",
            "tools/__init__.py": "def thing(): ...\n",
            "tools/helper.py": "from .. import x\n",
        },
    )
    imports = {(i.importer, i.imported) for i in collect_imports(tmp_path / "pkg", "pkg")}
    assert imports == {
        ("pkg", "pkg.tools.helper"),
        ("pkg", "pkg.tools"),
        ("pkg.tools.helper", "pkg"),
    }


# --------------------------------------------------------------------------- promisescore


def test_no_import_cycle_between_modules() -> None:
    """Counting every import (in functions, under TYPE_CHECKING): no cycle but the known
    one (:data:`KNOWN_CYCLES`); among the imports that run, none at all."""
    imports = collect_imports(PACKAGE, "promisescore")
    assert len({i.importer for i in imports}) > 50  # the checker read the package
    assert any(i.in_function for i in imports)
    assert any(i.type_checking for i in imports)
    found = cycles(imports)
    assert found == KNOWN_CYCLES, _explain(found, imports)
    running = cycles(imports, type_checking=False)
    assert running == [], _explain(running, imports)


def test_the_model_checks_its_relations_itself() -> None:
    """The cycle issue 12 removed last: building a ``Rubric`` runs the relation checks,
    which live in the model (``model.rubric``); ``validate`` (the §3 warnings) sits
    above the model and imports it, never the other way round."""
    imports = collect_imports(PACKAGE, "promisescore")
    from_model = {i for i in imports if i.importer.startswith("promisescore.model")}
    assert not [i for i in from_model if i.imported == "promisescore.validate"]
    assert any(
        i.importer == "promisescore.validate" and i.imported.startswith("promisescore.model")
        for i in imports
    )


def test_frames_knows_no_result_type() -> None:
    """The cycle issue 12 removed: ``frames`` (tables of results) sits below scoring and
    analysis and imports nothing from the package; each result type makes its records."""
    imports = collect_imports(PACKAGE, "promisescore")
    assert [i for i in imports if i.importer == "promisescore.frames"] == []
    users = {i.importer for i in imports if i.imported == "promisescore.frames"}
    assert {"promisescore.scoring.scorecard", "promisescore.analysis.timelines"} <= users


@pytest.mark.parametrize("exclude_type_checking", [False, True])
def test_grimp_sees_the_same_imports_and_cycles(exclude_type_checking: bool) -> None:
    grimp = pytest.importorskip("grimp")
    graph = grimp.build_graph(
        "promisescore",
        include_external_packages=False,
        exclude_type_checking_imports=exclude_type_checking,
        cache_dir=None,  # grimp's cache can miss a change of module
    )
    theirs = {
        (importer, imported)
        for importer in graph.modules
        for imported in graph.find_modules_directly_imported_by(importer)
    }
    ours = {
        (i.importer, i.imported)
        for i in collect_imports(PACKAGE, "promisescore")
        if not (exclude_type_checking and i.type_checking)
    }
    assert ours == theirs
    allowed = set() if exclude_type_checking else {frozenset(c) for c in KNOWN_CYCLES}
    for importer, imported in sorted(theirs):
        if any({importer, imported} <= members for members in allowed):
            continue
        assert not graph.chain_exists(imported=importer, importer=imported), (importer, imported)


def test_the_import_linter_contract_is_kept(capsys: pytest.CaptureFixture[str]) -> None:
    cli = pytest.importorskip("importlinter.cli")
    code = cli.lint_imports(config_filename=str(REPO / "pyproject.toml"), no_cache=True)
    out = capsys.readouterr().out
    assert code == 0, out
    assert "1 kept, 0 broken" in out


def test_every_module_is_placed_in_a_layer() -> None:
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = config["tool"]["importlinter"]["contracts"]
    placed = {
        name.strip() for layer in contract["layers"] for name in layer.replace(":", "|").split("|")
    }
    top_level = {
        name.split(".")[1] for name in module_names(PACKAGE, "promisescore") if "." in name
    }
    assert top_level == placed
    assert "lint-imports" in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_the_display_seam_only_reaches_renderers() -> None:
    from promisescore import display

    for name, (module, text, html) in display.NOTEBOOK.items():
        assert module.startswith("promisescore.renderers."), name
        loaded = importlib.import_module(module)
        assert callable(getattr(loaded, text)), (name, text)
        assert callable(getattr(loaded, html)), (name, html)
    with pytest.raises(TypeError, match="no notebook display for int"):
        display.text(3)


# --------------------------------------------------------------------------- public seams


def test_csvio_builds_rubrics_through_the_public_assemble() -> None:
    from promisescore import loading

    assert "assemble" in loading.__all__
    private = [
        i
        for i in _import_froms()
        if i[1].endswith("loading") and any(name.startswith("_") for name in i[2])
    ]
    assert private == []


def _import_froms() -> list[tuple[str, str, list[str]]]:
    out = []
    for module, path in module_names(PACKAGE, "promisescore").items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                out.append((module, node.module or "", [a.name for a in node.names]))
    return out


@pytest.mark.parametrize(
    "package", ["promisescore", "promisescore.analysis", "promisescore.scoring"]
)
def test_no_package_exports_a_function_under_a_module_name(package: str) -> None:
    namespace = importlib.import_module(package)
    for name in namespace.__all__:
        spec = importlib.util.find_spec(f"{package}.{name}") if name.isidentifier() else None
        assert spec is None, f"{package}.{name} is both a module and an exported name"
        assert not isinstance(getattr(namespace, name), types.ModuleType), name


def _packages() -> list[str]:
    import pkgutil

    import promisescore

    names = ["promisescore"]
    for info in pkgutil.walk_packages(promisescore.__path__, "promisescore."):
        if info.ispkg:
            names.append(info.name)
    return sorted(names)


@pytest.mark.parametrize("package", _packages())
def test_no_package_attribute_hides_its_submodule(package: str) -> None:
    # `from .structure import structure` in a package made `loading.structure` the
    # function, not the module: every submodule must stay reachable as an attribute.
    import pkgutil

    namespace = importlib.import_module(package)
    for info in pkgutil.iter_modules(namespace.__path__):
        if info.name in ("__main__", "output", "writing"):
            continue  # the entry point and the deprecated aliases (they warn on import)
        module = importlib.import_module(f"{package}.{info.name}")
        value = getattr(namespace, info.name)
        assert value is module, f"{package}.{info.name} is {value!r}, not the module"


def _private_imports_across_packages() -> list[str]:
    """``from X import _name`` where X is in another top-level module or package."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        package = module if parts[-1] == "__init__" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or not node.level:
                continue
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            target = f"{base}.{node.module}" if node.module else base
            if target.split(".")[:2] == module.split(".")[:2]:
                continue  # inside one module or package: its own business
            found += [f"{module} <- {target}.{a.name}" for a in node.names if a.name[:1] == "_"]
    return found


def test_no_private_name_is_imported_from_another_package() -> None:
    # `_version.__version__` is the one dunder every package reads
    allowed = {"promisescore <- promisescore._version.__version__"}
    allowed.add("promisescore.cli <- promisescore._version.__version__")
    assert set(_private_imports_across_packages()) <= allowed


def test_analysis_and_scoring_names_are_the_functions() -> None:
    import promisescore.analysis
    import promisescore.scoring

    for function in ("timeline", "diff", "agreement", "compare", "sensitivity"):
        value = getattr(promisescore.analysis, function)
        assert isinstance(value, types.FunctionType), function
        assert value.__name__ == function
    assert isinstance(promisescore.scoring.explain, types.FunctionType)


def test_validate_no_longer_shadows_the_warnings_module() -> None:
    from promisescore import validate

    assert not hasattr(validate, "warnings")
    assert callable(validate.warning_problems)


def test_output_is_a_deprecated_alias_of_safe_write() -> None:
    from promisescore import safe_write

    sys.modules.pop("promisescore.output", None)
    with pytest.warns(DeprecationWarning, match="promisescore.safe_write"):
        output = importlib.import_module("promisescore.output")
    sys.modules.pop("promisescore.output", None)
    for name in output.__all__:
        assert getattr(output, name) is getattr(safe_write, name), name
    assert set(output.__all__) <= set(dir(safe_write))


# --------------------------------------------------------------------------- export lists


def _lazy() -> dict[str, str]:
    lazy: dict[str, str] = vars(promisescore)["_LAZY"]
    return lazy


def test_every_name_in_all_resolves() -> None:
    for name in promisescore.__all__:
        assert getattr(promisescore, name) is not None, name


def test_the_lazy_map_and_all_agree() -> None:
    assert set(promisescore.__all__) == {*_lazy(), "__version__"}
    assert len(promisescore.__all__) == len(set(promisescore.__all__))
    assert set(dir(promisescore)) >= set(promisescore.__all__)


def test_each_lazy_name_comes_from_its_module() -> None:
    for name, module in _lazy().items():
        source = importlib.import_module(f"promisescore.{module}")
        assert getattr(promisescore, name) is getattr(source, name), (name, module)


def test_the_type_checking_imports_mirror_the_lazy_map() -> None:
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    typed: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                assert isinstance(child, ast.ImportFrom)
                assert child.level == 1
                for alias in child.names:
                    typed[alias.asname or alias.name] = child.module or ""
    assert typed == _lazy()


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = promisescore.nope


@pytest.mark.parametrize(
    "package",
    [
        "promisescore.analysis",
        "promisescore.scoring",
        "promisescore.loading",
        "promisescore.site",
        "promisescore.model",
    ],
)
def test_package_all_lists_resolve(package: str) -> None:
    namespace = importlib.import_module(package)
    exported = namespace.__all__
    assert len(exported) == len(set(exported))
    for name in exported:
        assert hasattr(namespace, name), (package, name)


@pytest.mark.parametrize("package", ["promisescore.analysis", "promisescore.scoring"])
def test_re_exporting_packages_list_what_they_import(package: str) -> None:
    path = PACKAGE / package.split(".")[1] / "__init__.py"
    imported = {
        alias.asname or alias.name
        for node in ast.parse(path.read_text(encoding="utf-8")).body
        if isinstance(node, ast.ImportFrom) and node.level == 1
        for alias in node.names
    }
    assert imported == set(importlib.import_module(package).__all__)


# --------------------------------------------------------------------------- the slow marker


def _collected(marker: str, *files: str) -> set[str]:
    import subprocess

    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
            "-m",
            marker,
            *files,
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert run.returncode in (0, 5), run.stdout + run.stderr  # 5: nothing collected
    return {line for line in run.stdout.splitlines() if "::" in line}


def test_the_docs_build_and_the_browser_tests_are_slow() -> None:
    files = ("tests/test_docs.py", "tests/test_html_browser.py", "tests/test_site_browser.py")
    slow = _collected("slow", *files)
    fast = _collected("not slow", *files)
    assert "tests/test_docs.py::test_site_builds_with_warnings_as_errors" in slow
    assert {item.split("::")[0] for item in slow} == set(files)
    assert not any(
        item.startswith(("tests/test_html_browser", "tests/test_site_browser")) for item in fast
    )
    assert len(fast) > 10  # the rest of test_docs.py stays in the fast loop

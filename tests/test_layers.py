"""The layers of ``tryg_geo`` point one way, read from the source with :mod:`ast`.

``LAYERS`` below is the one declared order, lowest first: a module may import from its own
layer and from the layers before it, never from a later one. Every ``import`` and
``from … import`` counts, at the top of a module or inside a function (a deferred import is
still a dependency), with relative imports resolved. Besides the direction, the tests ask that
no modules import each other (directly or round a loop; an import under ``if TYPE_CHECKING:``
counts for the layers but makes no loop, as it never runs), that no module takes another
module's private (``_name``) helper, and that nothing in the package imports Streamlit.

The order follows what the code does: ``geo`` is geometry on coordinates that the loaded
dataset uses to draw its cells; ``ingest`` writes into the ``store``, enriches with ``geo`` and
checks measurements against the indicator registry in ``compute``, so it sits above them;
``analysis``, ``views`` and ``render`` never need the import machinery.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "tryg_geo"

#: The layers, lowest first. ``name.*`` is a subpackage with all its modules; a name without
#: ``.*`` is that one module. The base holds the top-level helpers every layer may use.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "base",
        (
            "tryg_geo.errors",
            "tryg_geo.settings",
            "tryg_geo.fmt",
            "tryg_geo.cookie_secret",
            "tryg_geo.access",
            "tryg_geo.csv_safe",
            "tryg_geo.http_rules",
            "tryg_geo.cache",
            "tryg_geo.palette",
            "tryg_geo.periods",
        ),
    ),
    # Geometry on coordinates only (DDKN cells, point in polygon): the loaded dataset draws
    # its cells with it, and it knows nothing of the data folder.
    ("geo", ("tryg_geo.geo.*",)),
    ("store", ("tryg_geo.store.*",)),
    ("compute", ("tryg_geo.compute.*",)),
    ("ingest", ("tryg_geo.ingest.*",)),
    ("demo", ("tryg_geo.demo.*",)),
    ("analysis", ("tryg_geo.analysis.*",)),
    # role_files filters views (View, MapSpec) by role, so it stands with them.
    ("views", ("tryg_geo.views.*", "tryg_geo.role_files")),
    ("render", ("tryg_geo.render.*",)),
    # Sending: the SMTP relay, the digest and the alerts after an import (composed from the
    # views and render, and wrapping the importer).
    ("notify", ("tryg_geo.notify.*",)),
    ("cli", ("tryg_geo.cli.*",)),
    # The curated public API re-exports every layer; the pages import only from it.
    ("api", ("tryg_geo", "tryg_geo.__main__")),
)


@dataclass(frozen=True)
class Import:
    """One import of a ``tryg_geo`` module by another."""

    importer: str
    imported: str
    line: int
    names: tuple[str, ...]  # the names taken with ``from … import``
    typing_only: bool  # under ``if TYPE_CHECKING:``: never runs


def module_name(path: Path, root: Path = PACKAGE) -> str:
    """``tryg_geo/store/folder.py`` -> ``tryg_geo.store.folder``; a package is its ``__init__``."""
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> str | None:
    """The layer of ``module`` from :data:`LAYERS`, or None when no entry names it."""
    for layer, entries in LAYERS:
        for entry in entries:
            if entry.endswith(".*"):
                package = entry[:-2]
                if module == package or module.startswith(package + "."):
                    return layer
            elif module == entry:
                return layer
    return None


def _typing_only_nodes(tree: ast.Module) -> set[int]:
    """The ids of the import nodes inside ``if TYPE_CHECKING:`` blocks."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", None)
            if name == "TYPE_CHECKING":
                found |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    return found


def imports_in(
    module: str, source: str, *, is_package: bool, known: Iterable[str]
) -> Iterator[Import]:
    """Every import of a module of ``known`` in ``source``, relative ones resolved.

    ``from pkg import name`` names the module ``pkg.name`` when that is a module, else ``pkg``.
    """
    known = set(known)
    tree = ast.parse(source)
    typing_only = _typing_only_nodes(tree)
    here = module.split(".") if is_package else module.split(".")[:-1]
    for node in ast.walk(tree):
        guarded = id(node) in typing_only
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known:
                    yield Import(module, alias.name, node.lineno, (), guarded)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target not in known:
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                imported = sub if sub in known else target
                names = () if sub in known else (alias.name,)
                yield Import(module, imported, node.lineno, names, guarded)


def package_imports(root: Path = PACKAGE) -> list[Import]:
    """Every import between the modules under ``root``."""
    paths = {module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    found: list[Import] = []
    for module, path in paths.items():
        found += imports_in(
            module, path.read_text(), is_package=path.name == "__init__.py", known=paths
        )
    return found


def against_layers(imports: Iterable[Import]) -> list[str]:
    """A sentence for each import from a later layer than the importer's."""
    order = [layer for layer, _ in LAYERS]
    problems = []
    for imp in imports:
        mine, theirs = layer_of(imp.importer), layer_of(imp.imported)
        if mine is None or theirs is None:
            continue  # reported by test_every_module_has_a_layer
        if order.index(theirs) > order.index(mine):
            allowed = " → ".join(order[: order.index(mine) + 1])
            problems.append(
                f"{imp.importer} (line {imp.line}, layer {mine}) imports {imp.imported} "
                f"(layer {theirs}): a module of layer {mine} may import only from "
                f"{allowed}"
            )
    return problems


def cycles(imports: Iterable[Import]) -> list[list[str]]:
    """Groups of modules that import each other at run time (strongly connected components).

    Imports under ``if TYPE_CHECKING:`` never run, so they make no cycle.
    """
    graph: dict[str, set[str]] = {}
    for imp in imports:
        if not imp.typing_only and imp.imported != imp.importer:
            graph.setdefault(imp.importer, set()).add(imp.imported)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan; the graph has a few hundred nodes
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def private_imports(imports: Iterable[Import]) -> list[str]:
    """A sentence for each ``_name`` taken from another module."""
    return [
        f"{imp.importer} (line {imp.line}) imports the private {name} of {imp.imported}: "
        f"make it public where it is really shared"
        for imp in imports
        for name in imp.names
        if name.startswith("_") and not name.startswith("__")
    ]


@functools.cache
def _imports() -> tuple[Import, ...]:
    """The package's imports, read once per run (a fixture argument would fill a failure's
    report with the whole list)."""
    return tuple(package_imports())


def test_every_module_has_a_layer() -> None:
    modules = [module_name(p) for p in PACKAGE.rglob("*.py")]
    missing = sorted(m for m in modules if layer_of(m) is None)
    assert not missing, f"no layer in tests/test_layers.py LAYERS for: {', '.join(missing)}"


def test_imports_point_down_the_layers() -> None:
    problems = against_layers(_imports())
    assert not problems, "imports against the layers:\n" + "\n".join(problems)


def test_no_import_cycles() -> None:
    found = cycles(_imports())
    assert not found, "modules that import each other:\n" + "\n".join(
        " ↔ ".join(group) for group in found
    )


def test_no_private_helper_taken_from_another_module() -> None:
    problems = private_imports(_imports())
    assert not problems, "\n".join(problems)


def test_package_never_imports_streamlit() -> None:
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            else:
                continue
            bad = [n for n in names if n.split(".")[0] == "streamlit"]
            assert not bad, f"{module_name(path)} (line {node.lineno}) imports {bad[0]}"


# ---- the checker itself, on a small made-up package ------------------------------------------
def _made_up(tmp_path: Path, files: dict[str, str]) -> list[Import]:
    root = tmp_path / "tryg_geo"
    for name, text in {"__init__.py": "", **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return package_imports(root)


def test_checker_finds_an_upward_import_in_every_form(tmp_path: Path) -> None:
    found = _made_up(
        tmp_path,
        {
            "views/__init__.py": "",
            "views/model.py": "COLOUR = 1\n",
            "compute/__init__.py": "",
            "compute/a.py": "from ..views.model import COLOUR\n",
            "compute/b.py": "def f():\n    import tryg_geo.views.model\n",
            "compute/c.py": "from ..views import model\n",
            "compute/d.py": "from tryg_geo.views import model\n",
        },
    )
    problems = against_layers(found)
    assert [p.split(" ")[0] for p in problems] == [f"tryg_geo.compute.{m}" for m in "abcd"]
    assert "imports tryg_geo.views.model (layer views)" in problems[0]
    assert "may import only from base → geo → store → compute" in problems[0]


def test_checker_finds_cycles_and_private_names(tmp_path: Path) -> None:
    found = _made_up(
        tmp_path,
        {
            "store/__init__.py": "",
            "store/a.py": "from .b import _helper\n",
            "store/b.py": "def g():\n    from . import a\n",
            "store/c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .d import D\n",
            "store/d.py": "from .c import C\n",
        },
    )
    assert cycles(found) == [["tryg_geo.store.a", "tryg_geo.store.b"]]
    assert private_imports(found) == [
        "tryg_geo.store.a (line 1) imports the private _helper of tryg_geo.store.b: "
        "make it public where it is really shared"
    ]

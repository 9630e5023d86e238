"""The stages and their walls, read from every file's imports (top level or inside functions).

The library, ``transforms/`` (installed as ``claimtrack.transforms``), is pure: no Prefect, no
HTTP client, and DuckDB only in ``transforms/warehouse/``. The application, ``flows/``
(installed as ``claimtrack``), is the only Prefect code, and only ``flows/ingest/`` imports an
HTTP client. Everything is imported as ``claimtrack.…``; a package is used through its
``__init__`` (tests may reach inside), no file takes another package's private name, and no
modules import each other in a circle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT

HTTP_CLIENTS = {"httpx", "httpcore", "requests", "aiohttp", "urllib3", "urllib.request", "http.client"}
FOLDERS = {"flows": "claimtrack", "transforms": "claimtrack.transforms"}  # repository folder -> installed name
CODE = sorted(p for folder in FOLDERS for p in (ROOT / folder).rglob("*.py"))
EVERY_FILE = CODE + sorted(p for folder in ("tests", "benchmarks") for p in (ROOT / folder).rglob("*.py"))


def module_of(path: Path) -> str:
    """The installed module name of a file under ``flows/`` or ``transforms/``."""
    relative = path.relative_to(ROOT)
    parts = [FOLDERS[relative.parts[0]], *relative.with_suffix("").parts[1:]]
    return ".".join(parts).removesuffix(".__init__")


MODULES = {module_of(path): path for path in CODE}


def imported(path: Path) -> Iterator[tuple[str, str | None]]:
    """Each ``(module, name)`` a file imports: ``name`` is None for ``import module``."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from ((alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield from ((node.module, alias.name) for alias in node.names)


def imports(path: Path) -> set[str]:
    """Every module a file imports, and every ``module.name`` it takes."""
    return {f"{module}.{name}" if name else module for module, name in imported(path)} | {
        module for module, _ in imported(path)
    }


def banned(found: set[str], roots: set[str]) -> set[str]:
    return {name for name in found if any(name == root or name.startswith(root + ".") for root in roots)}


def package_of(module: str) -> str:
    """The package a module belongs to: itself for a package's ``__init__``, else its parent."""
    return module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]


def target(module: str, name: str | None) -> str:
    """The module an import reaches: ``from pkg import sub`` reaches the submodule ``pkg.sub``."""
    return f"{module}.{name}" if name and f"{module}.{name}" in MODULES else module


@pytest.mark.parametrize("path", sorted((ROOT / "transforms").rglob("*.py")), ids=lambda p: module_of(p))
def test_transforms_import_neither_prefect_nor_an_http_client(path: Path) -> None:
    found = imports(path)
    assert not banned(found, {"prefect", "socket"} | HTTP_CLIENTS)
    if "warehouse" not in path.relative_to(ROOT / "transforms").parts:
        assert not banned(found, {"duckdb"}), "only transforms/warehouse/ may import duckdb"


@pytest.mark.parametrize("path", sorted((ROOT / "flows").rglob("*.py")), ids=lambda p: module_of(p))
def test_only_flows_ingest_imports_an_http_client(path: Path) -> None:
    if path.parent.name != "ingest":
        assert not banned(imports(path), HTTP_CLIENTS)
    if path.parent.name != "ingest" and path.name != "local_server.py":  # a free loopback port
        assert not banned(imports(path), {"socket"})


@pytest.mark.parametrize("path", sorted((ROOT / "flows").rglob("*.py")), ids=lambda p: module_of(p))
def test_flows_use_duckdb_only_through_the_warehouse(path: Path) -> None:
    assert not banned(imports(path), {"duckdb"})


def test_only_flows_import_prefect() -> None:
    outside = [p for p in (ROOT / "transforms", ROOT / "dashboards", ROOT / "data") for p in p.rglob("*.py")]
    assert not {p.name: banned(imports(p), {"prefect"}) for p in outside if banned(imports(p), {"prefect"})}


@pytest.mark.parametrize("path", EVERY_FILE, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_everything_is_imported_as_claimtrack(path: Path) -> None:
    assert not banned({module for module, _ in imported(path)}, {"flows", "transforms"}), (
        "import claimtrack.… (flows/ is installed as claimtrack, transforms/ as claimtrack.transforms)"
    )


@pytest.mark.parametrize("path", CODE, ids=lambda p: module_of(p))
def test_other_packages_are_used_through_their_face(path: Path) -> None:
    here = package_of(module_of(path))
    for module, name in imported(path):
        reached = target(module, name)
        if reached not in MODULES or reached == here or reached.startswith(here + "."):
            continue
        owner = package_of(reached)
        if (
            owner != reached
            and owner != here
            and MODULES[owner].name == "__init__.py"
            and owner not in ("claimtrack", "claimtrack.transforms")
        ):
            pytest.fail(f"{module_of(path)} imports {reached}: use the face of {owner} instead")


@pytest.mark.parametrize("path", CODE, ids=lambda p: module_of(p))
def test_no_package_takes_a_private_name_of_another(path: Path) -> None:
    here = package_of(module_of(path))
    for module, name in imported(path):
        if (
            name
            and name.startswith("_")
            and not name.startswith("__")
            and module in MODULES
            and package_of(module) != here
        ):
            pytest.fail(f"{module_of(path)} imports the private {module}.{name}")


def test_no_import_circle() -> None:
    """No module reaches itself again through the modules it imports (a face importing its own
    modules counts: a module importing its package's face back closes a circle)."""
    arrows = {
        module: {target(m, n) for m, n in imported(path) if target(m, n) in MODULES} - {module}
        for module, path in MODULES.items()
    }
    circles = []
    for start in arrows:
        seen, stack = set(), [(start, [start])]
        while stack:
            module, trail = stack.pop()
            for after in arrows[module]:
                if after == start:
                    circles.append(trail)
                elif after not in seen:
                    seen.add(after)
                    stack.append((after, [*trail, after]))
    assert not circles, circles


def test_sql_lives_in_sql_files() -> None:
    folder = ROOT / "transforms" / "warehouse" / "sql"
    sql = {p.relative_to(folder).as_posix() for p in folder.rglob("*.sql")}
    assert {"schema/001_tables.sql", "views/00_articles.sql", "views/01_claims.sql", "views/02_comparisons.sql"} <= sql

"""Import rules: transforms/ is pure (no Prefect, no HTTP client, DuckDB only in the warehouse package);
in flows/, only fetch.py (and polite.py, which wraps it; local_server.py, which finds a free
loopback port and polls the local Prefect server's health) talk to the network."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

NETWORK = {"httpx", "requests", "aiohttp", "urllib3", "socket", "urllib.request", "http.client"}


def imports(path: Path) -> set[str]:
    """Every module a file imports, anywhere in it (top level or inside functions)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def banned(found: set[str], roots: set[str]) -> set[str]:
    return {name for name in found if any(name == root or name.startswith(root + ".") for root in roots)}


@pytest.mark.parametrize("path", sorted((ROOT / "transforms").rglob("*.py")), ids=lambda p: p.name)
def test_transforms_import_neither_prefect_nor_a_network_client(path: Path) -> None:
    found = imports(path)
    assert not banned(found, {"prefect"} | NETWORK)
    if path.relative_to(ROOT / "transforms").parts[0] != "warehouse":
        assert not banned(found, {"duckdb"}), "only transforms/warehouse/ may import duckdb"


def test_callers_use_the_warehouse_package_not_its_modules() -> None:
    callers = [p for folder in ("flows", "dashboards", "benchmarks") for p in (ROOT / folder).rglob("*.py")]
    callers += [p for p in (ROOT / "transforms").rglob("*.py") if "warehouse" not in p.parts]
    inside = {path.name: banned(imports(path), {"transforms.warehouse"}) - {"transforms.warehouse"} for path in callers}
    assert not {name: found for name, found in inside.items() if found}


@pytest.mark.parametrize("path", sorted((ROOT / "flows").rglob("*.py")), ids=lambda p: p.name)
def test_only_flows_fetch_does_network_io(path: Path) -> None:
    if path.name not in ("fetch.py", "polite.py", "local_server.py"):
        assert not banned(imports(path), NETWORK)


def test_sql_lives_in_sql_files() -> None:
    sql = {p.relative_to(ROOT / "transforms" / "sql").as_posix() for p in (ROOT / "transforms" / "sql").rglob("*.sql")}
    assert {"schema/001_tables.sql", "views/00_articles.sql", "views/01_claims.sql", "views/02_comparisons.sql"} <= sql

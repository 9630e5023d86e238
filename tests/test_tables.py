"""``claimtrack tables``: the public views with their columns and meanings, from the one file
(transforms/warehouse/views.yaml) the README's view tables come from too."""

from __future__ import annotations

import re
import shlex

import pytest
from click.testing import CliRunner
from conftest import ROOT

from claimtrack.cli import main
from claimtrack.transforms import warehouse

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"<!-- (claimtrack tables [^>]*) -->\n(.*?)<!-- end of claimtrack tables -->", re.S)


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_every_view_column_is_described_and_typed() -> None:
    views = warehouse.public_views()  # raises when views.yaml and the SQL disagree
    names = {view.name for view in views}
    assert {"claims", "series", "latest", "daily", "conflicts", "sources", "comparison_periods"} <= names
    assert all(column.meaning and column.type for view in views for column in view.columns)
    latest = next(view for view in views if view.name == "latest")
    assert ("sources", "varchar[]") in {(c.name, c.type) for c in latest.columns}


@pytest.mark.parametrize("command", [m.group(1) for m in BLOCK.finditer(README)])
def test_readme_tables_are_what_the_command_prints(command: str) -> None:
    block = next(m.group(2) for m in BLOCK.finditer(README) if m.group(1) == command)
    code, out, err = invoke(*shlex.split(command)[1:])
    assert code == 0, err
    assert block == out, f"README is out of date: replace the block with the output of `{command}`"


def test_readme_describes_every_public_view() -> None:
    named = [shlex.split(m.group(1).removesuffix(" --format markdown"))[2:] for m in BLOCK.finditer(README)]
    described = {name for names in named for name in names}
    assert described == {view.name for view in warehouse.public_views()}


def test_text_listing_and_one_line_errors() -> None:
    code, out, _ = invoke("tables", "latest")
    assert code == 0 and out.startswith("latest: per metric, subject, kind and unit")
    assert re.search(r"^  sources +varchar\[\] +every reporter", out, re.M)
    assert invoke("schema", "latest") == (code, out, "")
    code, _, err = invoke("tables", "lates")
    assert code == 2 and err.count("\n") == 1 and "views: articles, " in err

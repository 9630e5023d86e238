"""``claimtrack tables`` (also ``schema``): the public views with their columns and meanings.

Everything printed comes from ``claimtrack.transforms.warehouse.public_views`` (``views.yaml``
joined with the views' own columns); the README's view tables are this command's markdown
output, checked by tests/test_tables.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from claimtrack.cli.options import Command, UsageProblem, handle_errors

if TYPE_CHECKING:
    from claimtrack.transforms.warehouse import View


@click.command("tables", cls=Command)
@click.argument("views", nargs=-1)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown"]),
    default="text",
    show_default=True,
    help="markdown: the tables of README.md.",
)
@handle_errors
def tables_command(views: tuple[str, ...], fmt: str) -> None:
    """List the public views (or only VIEWS) with their columns, types and meanings.

    Query these views, not the raw tables; no database is needed to list them.

    \b
    Examples:
      claimtrack tables
      claimtrack tables latest conflicts
      claimtrack schema series --format markdown
    """
    from claimtrack.transforms import warehouse

    known = warehouse.public_views()
    unknown = [name for name in views if name not in {view.name for view in known}]
    if unknown:
        raise UsageProblem(f"no public view '{unknown[0]}'; views: {', '.join(view.name for view in known)}")
    chosen = [view for view in known if not views or view.name in views]
    click.echo(("\n\n" if fmt == "markdown" else "\n").join(render(view, fmt) for view in chosen))


def render(view: View, fmt: str) -> str:
    """One view as text (an aligned column list) or markdown (a paragraph and a table)."""
    if fmt == "markdown":
        rows = [f"| `{c.name}` | {c.type} | {c.meaning.replace('|', chr(92) + '|')} |" for c in view.columns]
        return "\n".join(
            [f"**`{view.name}`**: {view.about}.", "", "| column | type | meaning |", "|---|---|---|", *rows]
        )
    name_width = max(len(c.name) for c in view.columns)
    type_width = max(len(c.type) for c in view.columns)
    rows = [f"  {c.name:<{name_width}}  {c.type:<{type_width}}  {c.meaning}" for c in view.columns]
    return "\n".join([f"{view.name}: {view.about}", *rows])

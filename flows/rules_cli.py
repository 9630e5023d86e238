"""``claimtrack rules-check``: validate the rule tables in data/ and run their inline examples."""
from __future__ import annotations

import click

from transforms.rules import RuleError


@click.command("rules-check")
def rules_check_command() -> None:
    """Validate every rule table in data/ and run every inline example.

    Run it after editing a YAML table: it names the file, the rule and the fix of a broken
    table, and lists each example that no longer holds. Exit status 1 when anything fails.

    Example:

      claimtrack rules-check
    """
    from transforms.rule_examples import check_all

    try:
        count, failures = check_all()
    except RuleError as exc:
        raise click.ClickException(str(exc)) from None
    for failure in failures:
        click.echo(failure, err=True)
    if failures:
        raise click.ClickException(f"{len(failures)} of {count} rule examples fail")
    click.echo(f"rules-check: every table loads; {count} inline examples hold")
